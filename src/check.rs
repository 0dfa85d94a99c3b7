//! `locdrift check`: the file-system driver around the sans-I/O core.
//!
//! Builds the work list (config, walk, pairing), lints groups in parallel with rayon
//! (each source parsed once, however many locales it has), turns every unreadable file
//! into an `io-error` finding, and returns findings sorted for deterministic output.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::cache::{self, Cache};
use crate::config::{self, Config, ConfigError};
use crate::discover::{self, WalkOptions};
use crate::finding::{self, Finding, Severity};
use crate::pair::{self, Group, Layout, Plan, Role};
use crate::progress::Progress;
use crate::rules::{io_error, missing_translation, orphan_translation, Files};
use crate::settings::{Selection, Settings};
use crate::workspace::Tree;

/// What the command line asks for.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub paths: Vec<PathBuf>,
    pub config: Option<PathBuf>,
    pub selection: Selection,
    /// Only the work touching these files (`--changed-since`): a changed source brings
    /// its translations, a changed translation its source. Absolute or relative to the
    /// current directory; files that no longer exist count (a deleted source makes its
    /// translations orphans).
    pub changed: Option<Vec<PathBuf>>,
    /// Only this slice of the pairs (`--shard K/N`).
    pub shard: Option<Shard>,
    /// Reuse and update the on-disk cache of findings (`cache.rs`); off for `--no-cache`.
    pub cache: bool,
    /// Show a progress bar on stderr if the run turns out long (`progress.rs`).
    pub progress: bool,
    /// Leave `Summary::pairs` and `Outcome::translations` empty: they have an entry per
    /// translation of the tree, and only JUnit, `--prune-baseline` and `report` read them.
    pub no_inventory: bool,
}

/// Slice `index` (1-based) of `count`: pairs are assigned by a stable hash of their
/// paths, so every job of a CI matrix picks the same split without talking to the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl Shard {
    /// Parses `K/N` with 1 <= K <= N.
    pub fn parse(text: &str) -> Result<Shard, String> {
        let bad = || format!("expected K/N with 1 <= K <= N (such as 2/4), not `{text}`");
        let (k, n) = text.split_once('/').ok_or_else(bad)?;
        let (index, count) = (k.trim().parse::<u64>().map_err(|_| bad())?, n.trim().parse::<u64>().map_err(|_| bad())?);
        if index == 0 || count == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }

    /// Whether the work identified by these relative paths falls in this shard.
    pub fn owns(&self, parts: &[&str]) -> bool {
        finding::stable_hash(parts) % self.count == self.index - 1
    }
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Summary {
    pub files: usize,
    pub sources: usize,
    pub translations: usize,
    pub orphans: usize,
    pub missing_translations: usize,
    pub locales: Vec<String>,
    /// The same counts per locale (every locale of `locales` has an entry), for reports.
    pub by_locale: BTreeMap<String, LocaleCounts>,
    /// Every translation checked (orphans included), for formats that list what passed
    /// (JUnit) and for pruning a baseline only where the run looked. Empty when the
    /// request says `no_inventory`.
    #[serde(skip)]
    pub pairs: Vec<PairInfo>,
    /// Findings hidden because a baseline lists them (set by the caller that applies it).
    #[serde(skip)]
    pub baselined: usize,
}

/// How many translations a locale has, lacks, and has without a source.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct LocaleCounts {
    /// Translations paired with a source.
    pub translations: usize,
    pub missing: usize,
    pub orphans: usize,
}

/// One translation the run looked at, paired or orphaned. Reports need the files
/// without findings too (a share of files with findings needs its denominator).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Translation {
    pub locale: String,
    /// As findings show it (`Finding::file`).
    pub file: PathBuf,
    /// The source, or for an orphan the source it would have.
    pub source_file: PathBuf,
    /// The part of the path the translation shares with its source (`{path}` of the
    /// layout), e.g. `includes/x.md` for `sv-se/includes/x.md`.
    pub path: String,
    pub orphan: bool,
}

/// One checked translation and its source (none for an orphan).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct PairInfo {
    pub translation: PathBuf,
    pub source: Option<PathBuf>,
    pub locale: String,
}

pub struct Outcome {
    pub findings: Vec<Finding>,
    pub summary: Summary,
    /// Every translation checked, in path order (none when the request says `no_inventory`).
    pub translations: Vec<Translation>,
    /// The config's `fail-on`, if it sets one (the command line wins over it).
    pub fail_on: Option<Severity>,
}

/// A problem that stops the run (exit 2): bad config, no layout, a path that does not exist.
#[derive(Debug)]
pub enum CheckError {
    Config(ConfigError),
    Usage(String),
}

impl std::fmt::Display for CheckError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CheckError::Config(e) => e.fmt(f),
            CheckError::Usage(m) => f.write_str(m),
        }
    }
}

/// A root with its config, layout and the subset of files the user asked for.
struct Job {
    config: Config,
    layout: Layout,
    plan: Plan,
    problems: Vec<Finding>,
    /// What the walk found under the root (the plan may be restricted to less).
    found: Arc<discover::Found>,
    /// The walked files being stat'ed in the background since the walk, for a run over
    /// the whole root with a cache (`early_stats`).
    walking: Option<std::thread::JoinHandle<cache::Walked>>,
}

/// Walks and plans already made in this run, by root: a pre-commit hook passes several
/// files of one tree, and each must not walk and pair the whole tree again.
/// What a walk depends on: the root, the extensions and the exclusions.
type WalkKey = (PathBuf, Vec<String>, Vec<String>);
/// What a plan depends on: the root, the layout and the config's locales.
type PlanKey = (PathBuf, String, Option<Vec<String>>);

#[derive(Default)]
struct Made {
    /// Only worth it (and the copies it costs) when there are several paths.
    remember: bool,
    walks: Vec<(WalkKey, Arc<discover::Found>)>,
    plans: Vec<(PlanKey, Arc<Plan>)>,
    roles: Vec<(PlanKey, Arc<Roles>)>,
}

/// Every walked file's role in the layout, and every locale the plan of the whole tree
/// would know (after the config's `locales:`).
struct Roles {
    roles: Vec<pair::Role>,
    locales: Vec<String>,
}

pub fn run(request: &Request) -> Result<Outcome, CheckError> {
    let paths = if request.paths.is_empty() { vec![PathBuf::from(".")] } else { request.paths.clone() };
    let mut jobs: Vec<Job> = Vec::new();
    let mut made = Made { remember: paths.len() > 1, ..Made::default() };
    for path in &paths {
        if !path.exists() {
            return Err(CheckError::Usage(format!("{}: no such file or directory", path.display())));
        }
        let job = prepare(path, request, &mut made)?;
        // Several paths under one root merge into that root's job.
        match jobs.iter_mut().find(|j| j.config.root == job.config.root) {
            Some(existing) => merge(&mut existing.plan, job.plan),
            None => jobs.push(job),
        }
    }
    let mut findings = Vec::new();
    let mut summary = Summary::default();
    let mut fail_on = None;
    let mut translations = Vec::new();
    let mut progress = None;
    let several = jobs.len() > 1;
    for mut job in jobs {
        if let Some(changed) = &request.changed {
            let rels = relative_to(&job.config.root, changed);
            retain_work(&mut job, |parts| parts.iter().any(|p| rels.contains(*p)));
        }
        if let Some(shard) = request.shard {
            retain_work(&mut job, |parts| shard.owns(parts));
        }
        let pairs: usize = job.plan.groups.iter().map(|g| g.translations.len()).sum();
        let use_cache = request.cache && Cache::worth_opening(&job.config, pairs);
        // The cache file is read in the background while the walked files are indexed
        // and, for a cache, every pair's files stat'ed (before a cached pair is believed),
        // and while the summary is counted: on a warm run over a large tree, these are
        // most of what is left to wait for.
        let early = job.walking.take();
        let (cache, walked, tree) = std::thread::scope(|scope| {
            let opening = use_cache.then(|| scope.spawn(|| Cache::open(&job.config)));
            let (root, found, plan) = (&job.config.root, &job.found, &job.plan);
            let walking = scope.spawn(move || {
                if let Some(early) = early {
                    return early.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                }
                if !use_cache {
                    return cache::Walked::new(root, Arc::clone(found));
                }
                let walked = cache::Walked::with_stats(root, Arc::clone(found));
                walked.stat_all(plan.groups.iter().flat_map(|g| {
                    std::iter::once(g.source.as_str()).chain(g.translations.iter().map(|(_, t)| t.as_str()))
                }));
                walked
            });
            inventory(&job, &mut summary, (!request.no_inventory).then_some(&mut translations));
            let tree = Tree::new(&job.config.root, &job.config.settings)
                .with_groups(&job.plan.groups)
                .with_history(request.cache, few_paths(&job.plan, job.found.files.len()));
            let walked = walking.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (opening.and_then(|h| h.join().ok()), walked, tree)
        });
        summary.files += job.found.files.len();
        summary.sources += job.plan.groups.len();
        summary.translations += job.plan.groups.iter().map(|g| g.translations.len()).sum::<usize>();
        summary.orphans += job.plan.orphans.len();
        summary.missing_translations += job.plan.missing.len();
        summary.locales.extend(job.plan.locales.iter().cloned());
        fail_on = fail_on.or(job.config.fail_on);
        findings.extend(job.problems.iter().cloned());
        // Counted once the work is known (after --changed-since and --shard).
        let progress = progress.get_or_insert_with(|| Progress::new(0, request.progress));
        progress.add(pairs);
        let around = cache::Around::new(&tree, &walked);
        findings.extend(lint_plan(&job.config, &job.plan, &around, &tree, cache.as_ref(), progress));
        if let Some(cache) = cache {
            cache.save(&job.found.files);
        }
        // Freeing the plan, the walk and its metadata (a few hundred thousand
        // allocations for a large tree) need not hold up the report.
        drop(around);
        std::thread::spawn(move || drop((job, walked, tree)));
    }
    if let Some(progress) = progress {
        progress.finish();
    }
    summary.locales.sort();
    summary.locales.dedup();
    // Each job's lists come sorted; only several roots need merging.
    if several {
        summary.pairs.par_sort_unstable();
        translations.par_sort_by(|a: &Translation, b: &Translation| a.file.cmp(&b.file));
    }
    summary.pairs.dedup();
    finding::sort(&mut findings);
    findings.dedup();
    Ok(Outcome { findings, summary, translations, fail_on })
}

/// Every path a rule may ask git about in this plan (sources, translations, the sources
/// orphans would have), when the run was narrowed to few enough for reading their
/// history alone to beat reading the whole history (`history::FEW_PATHS`). A run over
/// a whole small tree reads (and stores) the whole history, which costs little there.
fn few_paths(plan: &Plan, walked: usize) -> Option<std::collections::HashSet<String>> {
    let limit = crate::history::FEW_PATHS.min(walked / 2);
    let mut paths = std::collections::HashSet::new();
    let groups = plan.groups.iter().flat_map(|g| std::iter::once(&g.source).chain(g.translations.iter().map(|t| &t.1)));
    for rel in groups.chain(plan.orphans.iter().flat_map(|(_, rel, expected)| [rel, expected])) {
        if paths.insert(rel.clone()) && paths.len() > limit {
            return None;
        }
    }
    Some(paths)
}

/// One translation of a job, borrowed from the plan until the job's list is sorted.
struct Listed<'a> {
    locale: &'a str,
    rel: &'a str,
    /// The source, or for an orphan the source it would have.
    source: &'a str,
    /// The `{path}` the translation shares with its source.
    path: &'a str,
    orphan: bool,
}

/// Counts a job's translations per locale and, given a list to fill, lists them (paired
/// and orphaned) in path order, as `PairInfo`s for the summary and as `Translation`s.
///
/// There is one of each per translation of the tree: they are sorted while still
/// borrowed, with paths compared as strings (`discover::cmp_paths`), and made in
/// parallel; `PathBuf`s compare component by component, several times slower.
fn inventory(job: &Job, summary: &mut Summary, out: Option<&mut Vec<Translation>>) {
    let plan = &job.plan;
    let mut counts: BTreeMap<&str, LocaleCounts> =
        plan.locales.iter().map(|l| (l.as_str(), Default::default())).collect();
    for (locale, _) in plan.groups.iter().flat_map(|g| &g.translations) {
        counts.entry(locale).or_default().translations += 1;
    }
    for (locale, _, _) in &plan.orphans {
        counts.entry(locale).or_default().orphans += 1;
    }
    for (_, locale, _) in &plan.missing {
        counts.entry(locale).or_default().missing += 1;
    }
    for (locale, c) in counts {
        let total = summary.by_locale.entry(locale.to_string()).or_default();
        total.translations += c.translations;
        total.orphans += c.orphans;
        total.missing += c.missing;
    }
    let Some(out) = out else { return };
    let root = &job.config.root;
    let shared = |rel: &str| match job.layout.classify(rel) {
        Role::Translation { path, .. } => path,
        _ => rel.to_string(),
    };
    // A source and its translations share their `{path}`: that is how they paired.
    let group_paths: Vec<String> = plan
        .groups
        .par_iter()
        .map(|g| match job.layout.classify(&g.source) {
            Role::Source { path } => path,
            _ => g.translations.first().map(|(_, rel)| shared(rel)).unwrap_or_default(),
        })
        .collect();
    let orphan_paths: Vec<String> = plan.orphans.iter().map(|(_, rel, _)| shared(rel)).collect();
    let mut listed = Vec::with_capacity(plan.groups.iter().map(|g| g.translations.len()).sum::<usize>());
    for (g, path) in plan.groups.iter().zip(&group_paths) {
        for (locale, rel) in &g.translations {
            listed.push(Listed { locale, rel, source: &g.source, path, orphan: false });
        }
    }
    for ((locale, rel, expected), path) in plan.orphans.iter().zip(&orphan_paths) {
        listed.push(Listed { locale, rel, source: expected, path, orphan: true });
    }
    // The order of `PairInfo`'s fields (an orphan has no source), and of `Translation::file`:
    // paths under one root sort as their relative paths do.
    listed.par_sort_unstable_by(|a, b| {
        discover::cmp_paths(a.rel, b.rel)
            .then_with(|| match (a.orphan, b.orphan) {
                (false, false) => discover::cmp_paths(a.source, b.source),
                (x, y) => y.cmp(&x),
            })
            .then_with(|| a.locale.cmp(b.locale))
    });
    let (pairs, translations) = rayon::join(
        || {
            listed
                .par_iter()
                .map(|t| PairInfo {
                    translation: display_path(root, t.rel),
                    source: (!t.orphan).then(|| display_path(root, t.source)),
                    locale: t.locale.to_string(),
                })
                .collect::<Vec<_>>()
        },
        || {
            listed
                .par_iter()
                .map(|t| Translation {
                    locale: t.locale.to_string(),
                    file: display_path(root, t.rel),
                    source_file: display_path(root, t.source),
                    path: t.path.to_string(),
                    orphan: t.orphan,
                })
                .collect::<Vec<_>>()
        },
    );
    summary.pairs.extend(pairs);
    out.extend(translations);
}

fn prepare(path: &Path, request: &Request, made: &mut Made) -> Result<Job, CheckError> {
    let mut config = match request.config.as_deref().map(Path::to_path_buf).or_else(|| config::find(path)) {
        Some(file) => config::load(&file).map_err(CheckError::Config)?,
        None => Config::defaults(path),
    };
    config.settings.apply(&request.selection).map_err(CheckError::Usage)?;
    let mut walk = |root: &Path, config: &Config| {
        let key = (root.to_path_buf(), config.extensions.clone(), config.exclude.clone());
        if let Some((_, found)) = made.walks.iter().find(|(k, _)| *k == key) {
            return Arc::clone(found);
        }
        let options = WalkOptions { extensions: &config.extensions, exclude: &config.exclude };
        let found = Arc::new(discover::walk(root, &options));
        if made.remember {
            made.walks.push((key, Arc::clone(&found)));
        }
        found
    };
    let (layout, found) = match &config.layout {
        Some(l) => (l.clone(), walk(&config.root, &config)),
        None => {
            // Without a config: the checked directory itself if a layout shows there,
            // else the nearest ancestor with locale folders (`check sv-se/x.md`).
            let mut detected = None;
            if path.is_dir() {
                let found = walk(path, &config);
                if let Some(layout) = pair::detect(path, &found.files) {
                    detected = Some((path.to_path_buf(), layout, found));
                }
            }
            if detected.is_none() {
                let root = detect_root(path);
                let found = walk(&root, &config);
                if let Some(layout) = pair::detect(&root, &found.files) {
                    detected = Some((root, layout, found));
                }
            }
            let (root, layout, found) = detected.ok_or_else(|| {
                CheckError::Usage(format!(
                    "{}: no localized layout detected (expected locale folders such as en-us/ and sv-se/, or \
                     name.{{locale}}.md files); add a {} with a `layout:`",
                    path.display(),
                    config::FILE_NAME
                ))
            })?;
            config.root = root;
            (layout, found)
        }
    };
    let root = config.root.clone();
    let walking = early_stats(path, &root, request, made).then(|| {
        let (root, found) = (root.clone(), Arc::clone(&found));
        std::thread::spawn(move || {
            let walked = cache::Walked::with_stats(&root, found);
            walked.stat_all(walked.files().iter().map(String::as_str));
            walked
        })
    });
    let key = (root.clone(), layout.describe(), config.locales.clone());
    let plan = match plan_for_file(path, &root, &layout, &config, &found, made, &key) {
        Some(plan) => plan,
        None => match made.plans.iter().find(|(k, _)| *k == key) {
            Some((_, plan)) => restrict(Cow::Borrowed(plan), &root, path),
            None if made.remember => {
                let plan = Arc::new(pair::plan(&layout, &found.files, config.locales.as_deref()));
                made.plans.push((key, Arc::clone(&plan)));
                restrict(Cow::Borrowed(&plan), &root, path)
            }
            None => restrict(Cow::Owned(pair::plan(&layout, &found.files, config.locales.as_deref())), &root, path),
        },
    };
    let mut problems = found.problems.clone();
    for f in &mut problems {
        f.severity = config.settings.severity(f.rule);
    }
    problems.retain(|f| {
        let rel = f.file.strip_prefix(&root).map(discover::to_slash).unwrap_or_default();
        config.settings.is_enabled(f.rule) && !config.is_ignored(f.rule, &[&rel])
    });
    Ok(Job { found, config, layout, plan, problems, walking })
}

/// Whether the walked files are worth stat'ing while the tree is planned: when a cache
/// will want every pair's files stat'ed, which for a run over the whole root (not a
/// few paths, not `--changed-since`, not a shard) is nearly every walked file.
fn early_stats(path: &Path, root: &Path, request: &Request, made: &Made) -> bool {
    let whole = || matches!((path.canonicalize(), root.canonicalize()), (Ok(p), Ok(r)) if p == r);
    request.cache && request.changed.is_none() && request.shard.is_none() && !made.remember && whole()
}

/// The plan for one file (a source with its translations, a translation with its
/// source and the source's other translations), made from the few files that share its
/// `{path}` instead of pairing the whole tree: what a pre-commit hook asks for. None
/// when `path` is not a walked file, for the whole-tree plan to decide.
fn plan_for_file(
    path: &Path,
    root: &Path,
    layout: &Layout,
    config: &Config,
    found: &discover::Found,
    made: &mut Made,
    key: &PlanKey,
) -> Option<Plan> {
    if !path.is_file() {
        return None;
    }
    let rel = discover::to_slash(path.canonicalize().ok()?.strip_prefix(root.canonicalize().ok()?).ok()?);
    let index = found.files.binary_search(&rel).ok()?;
    let roles = match made.roles.iter().find(|(k, _)| k == key) {
        Some((_, roles)) => Arc::clone(roles),
        None => {
            let roles = {
                use rayon::prelude::*;
                found.files.par_iter().map(|f| layout.classify(f)).collect::<Vec<_>>()
            };
            // The locales of the whole tree, as `pair::plan` collects them, so that the
            // plan of a few files reports missing translations for all of them.
            let mut locales: std::collections::BTreeSet<&str> = roles
                .iter()
                .filter_map(|r| match r {
                    pair::Role::Translation { locale, .. } => Some(locale.as_str()),
                    _ => None,
                })
                .filter(|l| config.locales.as_deref().is_none_or(|ls| ls.iter().any(|x| x.eq_ignore_ascii_case(l))))
                .collect();
            locales.extend(config.locales.iter().flatten().map(String::as_str));
            let locales = locales.into_iter().map(str::to_string).collect();
            let roles = Arc::new(Roles { roles, locales });
            if made.remember {
                made.roles.push((key.clone(), Arc::clone(&roles)));
            }
            roles
        }
    };
    let doc_path = |role: &pair::Role| match role {
        pair::Role::Source { path } | pair::Role::Translation { path, .. } => Some(path.clone()),
        pair::Role::Other => None,
    };
    let wanted = doc_path(&roles.roles[index]);
    let files: Vec<String> = found
        .files
        .iter()
        .zip(&roles.roles)
        .filter(|(_, r)| wanted.is_some() && doc_path(r) == wanted)
        .map(|(f, _)| f.clone())
        .collect();
    let plan = pair::plan(layout, &files, Some(&roles.locales));
    Some(restrict(Cow::Owned(plan), root, path))
}

/// For a path inside a locale folder (`docs/sv-se/includes/x.md`), the folder that holds
/// the locale folders (`docs`). Only the path's own ancestors count: a search never wanders
/// into unrelated sibling trees. Otherwise the path's own directory.
pub fn detect_root(path: &Path) -> PathBuf {
    let start = if path.is_file() { path.parent().unwrap_or(Path::new(".")) } else { path };
    let start = if start.as_os_str().is_empty() { Path::new(".") } else { start };
    let absolute = start.canonicalize().unwrap_or_else(|_| start.to_path_buf());
    for dir in absolute.ancestors() {
        let is_locale = dir.file_name().and_then(|n| n.to_str()).is_some_and(pair::is_locale);
        if let (true, Some(parent)) = (is_locale, dir.parent()) {
            if pair::detect(parent, &[]).is_some() {
                // Keep the user's spelling: a relative path gives a relative root.
                let cwd = std::env::current_dir().ok().and_then(|c| c.canonicalize().ok());
                let root = match cwd.as_deref().and_then(|c| parent.strip_prefix(c).ok()) {
                    Some(rel) if start.is_relative() && rel.as_os_str().is_empty() => PathBuf::from("."),
                    Some(rel) if start.is_relative() => rel.to_path_buf(),
                    _ => parent.to_path_buf(),
                };
                return root;
            }
        }
    }
    start.to_path_buf()
}

/// Keeps only the work that concerns `path`: all of it for the root; for a directory or
/// file below it, the groups touching it. A source pulls in all its translations; a
/// translation pulls in its source.
fn restrict(plan: Cow<Plan>, root: &Path, path: &Path) -> Plan {
    let (Ok(abs_root), Ok(abs_path)) = (root.canonicalize(), path.canonicalize()) else { return plan.into_owned() };
    let Ok(rel) = abs_path.strip_prefix(&abs_root) else { return plan.into_owned() };
    let rel = discover::to_slash(rel);
    if rel.is_empty() {
        return plan.into_owned();
    }
    let folder = format!("{rel}/");
    let under = |f: &str| f == rel || f.starts_with(&folder);
    let groups = plan
        .groups
        .iter()
        .filter_map(|g| {
            let translations: Vec<(String, String)> =
                g.translations.iter().filter(|(_, t)| under(&g.source) || under(t)).cloned().collect();
            (!translations.is_empty()).then(|| Group { source: g.source.clone(), translations })
        })
        .collect();
    Plan {
        groups,
        orphans: plan.orphans.iter().filter(|(_, t, _)| under(t)).cloned().collect(),
        missing: plan.missing.iter().filter(|(s, _, t)| under(s) || under(t)).cloned().collect(),
        locales: plan.locales.clone(),
    }
}

/// Keeps the work for which `keep` accepts the relative paths involved: (source,
/// translation) for a pair, (translation, expected source) for an orphan, (source,
/// expected translation) for a missing translation, the file for a walk problem.
///
/// The order of the parts is fixed per kind, so a shard's hash does not depend on which
/// side of a pair changed.
fn retain_work(job: &mut Job, keep: impl Fn(&[&str]) -> bool) {
    for g in &mut job.plan.groups {
        let source = g.source.clone();
        g.translations.retain(|(_, t)| keep(&[source.as_str(), t.as_str()]));
    }
    job.plan.groups.retain(|g| !g.translations.is_empty());
    job.plan.orphans.retain(|(_, t, expected)| keep(&[t.as_str(), expected.as_str()]));
    job.plan.missing.retain(|(s, _, expected)| keep(&[s.as_str(), expected.as_str()]));
    let root = job.config.root.clone();
    job.problems.retain(|f| {
        let rel = f.file.strip_prefix(&root).map(discover::to_slash).unwrap_or_else(|_| discover::to_slash(&f.file));
        keep(&[rel.as_str()])
    });
}

/// The files among `paths` that lie under `root`, relative to it with `/`. A file that
/// no longer exists is resolved through its parent directory (or the nearest ancestor
/// that still exists), so deletions count too.
fn relative_to(root: &Path, paths: &[PathBuf]) -> std::collections::BTreeSet<String> {
    let Ok(abs_root) = root.canonicalize() else { return Default::default() };
    let mut out = std::collections::BTreeSet::new();
    for path in paths {
        let mut existing = path.as_path();
        let mut tail = Vec::new();
        let resolved = loop {
            if let Ok(c) = existing.canonicalize() {
                break Some(c);
            }
            match (existing.parent(), existing.file_name()) {
                (Some(parent), Some(name)) => {
                    tail.push(name.to_os_string());
                    existing = if parent.as_os_str().is_empty() { Path::new(".") } else { parent };
                }
                _ => break None,
            }
        };
        let Some(mut abs) = resolved else { continue };
        for name in tail.iter().rev() {
            abs.push(name);
        }
        if let Ok(rel) = abs.strip_prefix(&abs_root) {
            out.insert(discover::to_slash(rel));
        }
    }
    out
}

fn merge(into: &mut Plan, other: Plan) {
    for g in other.groups {
        match into.groups.iter_mut().find(|x| x.source == g.source) {
            Some(x) => {
                for t in g.translations {
                    if !x.translations.contains(&t) {
                        x.translations.push(t);
                    }
                }
            }
            None => into.groups.push(g),
        }
    }
    into.orphans.extend(other.orphans);
    into.missing.extend(other.missing);
    into.orphans.sort();
    into.orphans.dedup();
    into.missing.sort();
    into.missing.dedup();
}

/// The path shown for a file: the root joined with its relative path, without `./`.
pub fn display_path(root: &Path, rel: &str) -> PathBuf {
    if root == Path::new(".") {
        PathBuf::from(rel)
    } else {
        root.join(rel)
    }
}

/// What the groups and orphans of a job are linted with.
struct Linting<'a> {
    config: &'a Config,
    plan: &'a Plan,
    around: &'a cache::Around<'a>,
    /// What `around` asks. It is also told the anchors of every page parsed in full, so
    /// that a link to a page parsed earlier in the run does not parse it again.
    tree: &'a Tree,
    cache: Option<&'a Cache>,
    progress: &'a Progress,
    order: Order<'a>,
}

fn lint_plan(
    config: &Config,
    plan: &Plan,
    around: &cache::Around,
    tree: &Tree,
    cache: Option<&Cache>,
    progress: &Progress,
) -> Vec<Finding> {
    let root = &config.root;
    let settings = &config.settings;
    // Every pair is linted (no cache, or one with nothing in it yet), so every source
    // is parsed: its links may decide the order.
    let every_pair = cache.is_none_or(Cache::is_empty);
    let order = Order::new(plan, settings.is_enabled("broken-anchor") && every_pair);
    let run = Linting { config, plan, around, tree, cache, progress, order };
    let mut out: Vec<Finding> = plan
        .groups
        .par_iter()
        .enumerate()
        .flat_map_iter(|(i, g)| if run.order.take(i) { lint_group(&run, g, 0) } else { Vec::new() })
        .collect();
    out.par_extend(
        plan.orphans.par_iter().flat_map_iter(|(locale, rel, expected)| lint_orphan(&run, locale, rel, expected)),
    );
    if settings.is_enabled(missing_translation::NAME) {
        for (src, locale, expected) in &plan.missing {
            if config.is_ignored(missing_translation::NAME, &[src, expected]) {
                continue;
            }
            let mut f = missing_translation::finding(locale, &display_path(root, expected));
            f.file = display_path(root, src);
            f.locale = Some(locale.clone());
            f.severity = settings.severity(f.rule);
            out.push(f);
        }
    }
    out
}

/// An orphan's findings: the orphan finding and the checks that need no source (broken
/// front matter), its suppression comments applied to the orphan finding too. Cached
/// like a pair's, with the source's hash standing for the path the orphan finding
/// names (which depends on how the root was written) and its metadata for none.
fn lint_orphan(run: &Linting, locale: &String, rel: &str, expected: &str) -> Vec<Finding> {
    let (config, around, tree, cache) = (run.config, run.around, run.tree, run.cache);
    let settings = &config.settings;
    let path = display_path(&config.root, rel);
    let expected_path = display_path(&config.root, expected);
    let mut acc = Vec::new();
    if settings.is_enabled(orphan_translation::NAME) {
        let mut f = orphan_translation::finding(&expected_path);
        f.severity = settings.severity(f.rule);
        f.locale = Some(locale.clone());
        f.file = path.clone();
        acc.push(f);
    }
    let source = cache::hash(&[b"orphan of ", expected_path.as_os_str().as_encoded_bytes()].concat());
    let stats =
        cache::Stats { source: Some(cache::Stat::absent(source)), translation: cache.and_then(|_| around.stat(rel)) };
    let acc = match cache.and_then(|c| c.unchanged(rel, locale, stats, around)) {
        Some(found) => found,
        None => match read_bytes(&path, settings.max_file_size) {
            Ok(bytes) => {
                let key = cache::Key { source, translation: cache::hash(&bytes), locale };
                match cache.and_then(|c| c.get(rel, key, stats, around)) {
                    Some(found) => found,
                    None => match text_or_finding(&path, bytes) {
                        Err(f) => {
                            acc.push(*f);
                            if let Some(c) = cache {
                                c.put(rel, key, stats, &acc, Vec::new());
                            }
                            acc
                        }
                        Ok(text) => guarded(&path, locale, || {
                            let doc = crate::parse::parse_for(&text, settings);
                            tree.parsed(rel, doc.anchors.iter().map(|a| a.name.as_str()));
                            let recorder = match cache {
                                Some(_) => cache::Recorder::new(around, cache),
                                None => cache::Recorder::passive(around),
                            };
                            let files = Files { workspace: &recorder, source: expected, translation: rel };
                            let found = crate::lint_docs_with(None, &doc, &text, locale, settings, Some(&files), acc);
                            // Only a lint that ran to the end is stored; a crash is retried.
                            if let Some(c) = cache {
                                c.put(rel, key, stats, &found, recorder.into_asked());
                            }
                            found
                        }),
                    },
                }
            }
            Err(f) => {
                acc.push(*f);
                acc
            }
        },
    };
    let mut acc = finish(acc, settings, Some(locale));
    for f in &mut acc {
        f.file = path.clone();
    }
    acc.retain(|f| !config.is_ignored(f.rule, &[rel, expected]));
    acc
}

/// A group's findings, and those of the groups it pulls (`Order`) at `depth` below
/// the group the run took from the plan.
fn lint_group(run: &Linting, group: &Group, depth: usize) -> Vec<Finding> {
    let (config, around, tree, cache, progress) = (run.config, run.around, run.tree, run.cache, run.progress);
    let settings = &config.settings;
    let src_path = display_path(&config.root, &group.source);
    let mut out = Vec::new();
    let mut todo: Vec<&(String, String)> = group.translations.iter().collect();
    let src_stat = cache.and_then(|_| around.stat(&group.source));
    if let Some(cache) = cache {
        // Pairs whose files were not touched since the cache saw them: nothing to read.
        todo.retain(|(locale, rel)| {
            let stats = cache::Stats { source: src_stat, translation: around.stat(rel) };
            let Some(found) = cache.unchanged(rel, locale, stats, around) else { return true };
            // Most pairs have no findings, and need no paths made for them.
            if !found.is_empty() {
                let path = display_path(&config.root, rel);
                out.extend(finish_pair(config, found, locale, rel, group, &path, &src_path));
            }
            progress.inc(1);
            false
        });
        if todo.is_empty() {
            return out;
        }
    }
    let src_bytes = match read_bytes(&src_path, settings.max_file_size) {
        Ok(bytes) => bytes,
        Err(mut f) => {
            f.file = src_path.clone();
            progress.inc(todo.len());
            // The source's problem is reported once, not once per locale.
            let mut acc = finish(vec![*f], settings, None);
            acc.retain(|f| !config.is_ignored(f.rule, &[&group.source]));
            out.extend(acc);
            return out;
        }
    };
    let src_hash = cache.map(|_| cache::hash(&src_bytes));
    // Decoded when the first translation is read, parsed when the first one that is
    // text needs it: with a warm cache, none may.
    let (src_text, src_doc) = (std::sync::OnceLock::new(), std::sync::OnceLock::new());
    let decode = || src_text.get_or_init(|| text_or_finding(&src_path, src_bytes.clone()));
    let parsed = |text: &String| {
        src_doc.get_or_init(|| {
            let doc = crate::parse::parse_for(text, settings);
            tree.parsed(&group.source, doc.anchors.iter().map(|a| a.name.as_str()));
            doc
        })
    };
    // Whether a translation asked for the source's text: only then is a source that
    // is not text reported (a pull below decodes it for its own sake).
    let asked = std::sync::atomic::AtomicBool::new(false);
    let decoded = || {
        asked.store(true, std::sync::atomic::Ordering::Relaxed);
        decode()
    };
    let source = || -> Result<(&String, &crate::model::Doc), &Box<Finding>> {
        let text = decoded().as_ref()?;
        Ok((text, parsed(text)))
    };
    // The groups of the pages the source links to with a fragment go first, so that
    // their anchors are known when the translations, which link where their source
    // does, ask for them.
    if run.order.pulls(depth) {
        if let Ok(text) = decode() {
            for i in run.order.linked(&group.source, parsed(text)) {
                if run.order.take(i) {
                    out.extend(lint_group(run, &run.plan.groups[i], depth + 1));
                }
            }
        }
    }
    out.par_extend(todo.par_iter().flat_map_iter(|(locale, rel)| {
        let path = display_path(&config.root, rel);
        let acc = match read_bytes(&path, settings.max_file_size) {
            Ok(bytes) => {
                let stats = cache::Stats { source: src_stat, translation: cache.and_then(|_| around.stat(rel)) };
                let key = src_hash.map(|source| cache::Key { source, translation: cache::hash(&bytes), locale });
                let cached = cache.zip(key).and_then(|(c, key)| c.get(rel, key, stats, around));
                match cached {
                    Some(found) => found,
                    None => match text_or_finding(&path, bytes) {
                        Err(f) => {
                            let found = vec![*f];
                            // Decided by the content alone, so stored like a lint's findings,
                            // unless the source is not text either: then the source's problem
                            // must keep being reported, by a run that reads it.
                            if let (Some(c), Some(key), Ok(_)) = (cache, key, decoded()) {
                                c.put(rel, key, stats, &found, Vec::new());
                            }
                            found
                        }
                        Ok(text) => match source() {
                            // Reported against the source, once, below.
                            Err(_) => Vec::new(),
                            Ok((src_text, src_doc)) => guarded(&path, locale, || {
                                let doc = crate::parse::parse_for(&text, settings);
                                tree.parsed(rel, doc.anchors.iter().map(|a| a.name.as_str()));
                                // What the rules ask about the tree is recorded with the
                                // findings: a cached pair is reused only while the answers hold.
                                let recorder = match cache {
                                    Some(_) => cache::Recorder::new(around, cache),
                                    None => cache::Recorder::passive(around),
                                };
                                let files = Files { workspace: &recorder, source: &group.source, translation: rel };
                                let found = crate::lint_docs_in(
                                    Some((src_doc, src_text)),
                                    &doc,
                                    &text,
                                    locale,
                                    settings,
                                    Some(&files),
                                );
                                // Only a lint that ran to the end is stored; a crash is retried.
                                if let (Some(c), Some(key)) = (cache, key) {
                                    c.put(rel, key, stats, &found, recorder.into_asked());
                                }
                                found
                            }),
                        },
                    },
                }
            }
            Err(f) => vec![*f],
        };
        progress.inc(1);
        finish_pair(config, acc, locale, rel, group, &path, &src_path)
    }));
    if let (true, Some(Err(f))) = (asked.into_inner(), src_text.get()) {
        let mut f = (**f).clone();
        f.file = src_path.clone();
        let mut acc = finish(vec![f], settings, None);
        acc.retain(|f| !config.is_ignored(f.rule, &[&group.source]));
        out.extend(acc);
    }
    out
}

/// How deep a group may pull the groups its source links to (`Order`): each level
/// keeps one source's text and document alive on its thread.
const PULL_DEPTH: usize = 8;

/// Which groups of the plan were taken to be linted, and for a run that pulls, where
/// each source's group is.
///
/// `broken-anchor` asks for the anchors of every page a translation links to with a
/// fragment. A page the run parsed already answers from memory (`Tree::parsed`); any
/// other costs a parse of its own, and in path order most linked pages come after the
/// first page linking to them. A translation links where its source does, so a group
/// whose source links to the page of a group not yet taken lints that group first, and
/// that group the groups it links to, up to `PULL_DEPTH` deep: on the generated 90k
/// corpus, 88 of 5,438 linked pages (106 with two threads) are then parsed for their
/// anchors alone rather than about 4,000. Findings are sorted at the end, so the order
/// changes no output.
struct Order<'p> {
    /// Empty when the run does not pull: then every group is taken where it lies.
    taken: Vec<std::sync::atomic::AtomicBool>,
    by_source: std::collections::HashMap<&'p str, usize>,
}

impl<'p> Order<'p> {
    fn new(plan: &'p Plan, pull: bool) -> Order<'p> {
        if !pull {
            return Order { taken: Vec::new(), by_source: Default::default() };
        }
        Order {
            taken: plan.groups.iter().map(|_| Default::default()).collect(),
            by_source: plan.groups.iter().enumerate().map(|(i, g)| (g.source.as_str(), i)).collect(),
        }
    }

    /// Whether group `i` is the caller's to lint: each group is taken once.
    fn take(&self, i: usize) -> bool {
        self.taken.get(i).is_none_or(|t| !t.swap(true, std::sync::atomic::Ordering::Relaxed))
    }

    /// Whether a group at this depth pulls the groups it links to.
    fn pulls(&self, depth: usize) -> bool {
        !self.taken.is_empty() && depth < PULL_DEPTH
    }

    /// The groups whose sources `doc`, the source at `from`, links to with a fragment,
    /// as `broken-anchor` reads its links.
    fn linked(&self, from: &str, doc: &crate::model::Doc) -> Vec<usize> {
        let cells = doc.tables().flat_map(|t| &t.rows).flat_map(|r| &r.cells).flat_map(|c| &c.links);
        let mut out = Vec::new();
        for link in doc.links.iter().chain(cells) {
            let Some((path, fragment)) = link.target.split_once('#') else { continue };
            if fragment.is_empty() || !path.ends_with(".md") || path.contains("://") {
                continue;
            }
            let Some(rel) = crate::rules::resolve_relative(from, &link.target) else { continue };
            if let Some(&i) = self.by_source.get(rel.as_str()) {
                out.push(i);
            }
        }
        out
    }
}

/// Settles a pair's findings: severities, the locale, `per-file-ignores` and the paths.
fn finish_pair(
    config: &Config,
    acc: Vec<Finding>,
    locale: &String,
    rel: &str,
    group: &Group,
    path: &Path,
    src_path: &Path,
) -> Vec<Finding> {
    let mut acc = finish(acc, &config.settings, Some(locale));
    acc.retain(|f| !config.is_ignored(f.rule, &[rel, &group.source]));
    for f in &mut acc {
        f.file = path.to_path_buf();
        f.source_file = Some(src_path.to_path_buf());
    }
    acc
}

/// Runs a lint, turning a panic (a bug) into a finding so the rest of the run goes on.
fn guarded(path: &Path, locale: &str, lint: impl FnOnce() -> Vec<Finding>) -> Vec<Finding> {
    match std::panic::catch_unwind(AssertUnwindSafe(lint)) {
        Ok(f) => f,
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            let mut f = io_error::finding(format!(
                "this file could not be checked: locdrift crashed on it ({what}); please report it"
            ));
            f.file = path.to_path_buf();
            f.locale = Some(locale.to_string());
            vec![f]
        }
    }
}

fn finish(mut acc: Vec<Finding>, settings: &Settings, locale: Option<&String>) -> Vec<Finding> {
    acc.retain(|f| settings.is_enabled(f.rule));
    for f in &mut acc {
        f.severity = settings.severity(f.rule);
        if f.locale.is_none() {
            f.locale = locale.cloned();
        }
    }
    acc
}

/// Reads a file as text, or says why it cannot be: missing, unreadable, too large,
/// not UTF-8. The caller turns the reason into an `io-error` finding.
pub fn read_text(path: &Path, max: u64) -> Result<String, String> {
    text(read_file(path, max)?)
}

/// Reads a file's bytes, or says why it cannot be: missing, unreadable, too large.
fn read_file(path: &Path, max: u64) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let cannot = |e: std::io::Error| format!("cannot read file: {}", io_message(&e));
    // One open, one fstat and one read per file: at a hundred thousand files, every
    // extra system call shows.
    let mut file = std::fs::File::open(path).map_err(cannot)?;
    let len = file.metadata().map_err(cannot)?.len();
    if len > max {
        return Err(format!("file is {len} bytes, above the {max}-byte limit (`max-file-size`); not checked"));
    }
    // One byte more than the file has, to see its end in the same read, and read
    // through `Take`: `File::read_to_end` would ask for the size and the position
    // again (a statx and an lseek per file) to size a buffer that is sized already.
    let mut bytes = Vec::with_capacity(len as usize + 1);
    (&mut file).take(max.saturating_add(1)).read_to_end(&mut bytes).map_err(cannot)?;
    if bytes.len() as u64 > max {
        let len = bytes.len();
        return Err(format!("file is {len}+ bytes, above the {max}-byte limit (`max-file-size`); not checked"));
    }
    Ok(bytes)
}

/// Bytes as text, validated once; or why they are not UTF-8.
fn text(bytes: Vec<u8>) -> Result<String, String> {
    String::from_utf8(bytes).map_err(|e| {
        io_error::describe_invalid_utf8(e.as_bytes()).unwrap_or_else(|| format!("file is not valid UTF-8: {e}"))
    })
}

/// `read_file`, with a failure as an `io-error` finding. The bytes are hashed for the
/// cache before they are decoded, which a cached pair never needs.
fn read_bytes(path: &Path, max: u64) -> Result<Vec<u8>, Box<Finding>> {
    read_file(path, max).map_err(|m| io_finding(path, m))
}

fn text_or_finding(path: &Path, bytes: Vec<u8>) -> Result<String, Box<Finding>> {
    text(bytes).map_err(|m| io_finding(path, m))
}

fn io_finding(path: &Path, message: String) -> Box<Finding> {
    let mut f = io_error::finding(message);
    f.file = path.to_path_buf();
    Box::new(f)
}

fn io_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "file not found (deleted while checking?)".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}
