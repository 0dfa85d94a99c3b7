//! `locdrift check`: the file-system driver around the sans-I/O core.
//!
//! Builds the work list (config, walk, pairing), lints groups in parallel with rayon
//! (each source parsed once, however many locales it has), turns every unreadable file
//! into an `io-error` finding, and returns findings sorted for deterministic output.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::cache::{self, Cache};
use crate::config::{self, Config, ConfigError};
use crate::discover::{self, WalkOptions};
use crate::engine;
use crate::finding::{self, Finding, Severity};
use crate::model::Doc;
use crate::pair::{self, Group, Layout, Plan, Role};
use crate::progress::Progress;
use crate::rules::RuleId;
use crate::rules::{broken_anchor, missing_translation, orphan_translation};
use crate::settings::Selection;
pub use crate::workspace::HistoryState;
use crate::workspace::Tree;
use crate::workspace::{read_file, text};

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
    pub(crate) fn owns(&self, parts: &[&str]) -> bool {
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
    /// Whether git history could answer staleness questions (the least of the roots').
    pub history: HistoryState,
    /// What the run could not check and says so (a named path outside every pair).
    #[serde(skip)]
    pub notes: Vec<String>,
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
    let mut notes = Vec::new();
    for path in &paths {
        if !path.exists() {
            return Err(CheckError::Usage(format!("{}: no such file or directory", path.display())));
        }
        let job = prepare(path, request, &mut made, &mut notes)?;
        // Several paths under one root merge into that root's job.
        match jobs.iter_mut().find(|j| j.config.root == job.config.root) {
            Some(existing) => merge(&mut existing.plan, job.plan),
            None => jobs.push(job),
        }
    }
    let mut findings = Vec::new();
    let mut summary = Summary { notes, ..Summary::default() };
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
                .with_few_paths(few_paths(&job.plan, job.found.files.len()));
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
        if job.config.settings.is_enabled(RuleId::StaleTranslation) && pairs > 0 {
            summary.history = summary.history.min(tree.history_state());
        }
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
/// a whole small tree reads the whole history, which costs little there.
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
                    // A layout's other content folders mark their `{path}` with a `/`.
                    path: t.path.trim_start_matches('/').to_string(),
                    orphan: t.orphan,
                })
                .collect::<Vec<_>>()
        },
    );
    summary.pairs.extend(pairs);
    out.extend(translations);
}

fn prepare(path: &Path, request: &Request, made: &mut Made, notes: &mut Vec<String>) -> Result<Job, CheckError> {
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
                let site = crate::site::find(path);
                crate::site::add_extensions(&mut config.extensions, site.as_ref());
                let found = walk(path, &config);
                if let Some(d) = pair::detect_with(path, &found.files, site) {
                    detected = Some((path.to_path_buf(), d.layout, found));
                }
            }
            if detected.is_none() {
                let root = detect_root(path);
                let found = walk(&root, &config);
                if let Some(layout) = pair::detect(&root, &found.files) {
                    detected = Some((root, layout, found));
                }
            }
            let (root, layout, found) =
                detected.ok_or_else(|| CheckError::Usage(no_layout(path, walk(path, &config).files.len())))?;
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
    if plan.groups.is_empty() && plan.orphans.is_empty() {
        if same_place(path, &root) {
            return Err(CheckError::Usage(nothing_paired(&layout, &root, config.file.as_deref(), &found.files)));
        }
        notes.push(outside_pairs(path, &layout));
    }
    let mut problems = found.problems.clone();
    for f in &mut problems {
        f.severity = config.settings.severity(f.rule);
    }
    problems.retain(|f| {
        let rel = f.file.strip_prefix(&root).map(discover::to_slash).unwrap_or_default();
        config.settings.is_enabled(f.rule) && !config.settings.is_ignored(f.rule, &[&rel])
    });
    Ok(Job { found, config, layout, plan, problems, walking })
}

/// Whether the walked files are worth stat'ing while the tree is planned: when a cache
/// will want every pair's files stat'ed, which for a run over the whole root (not a
/// few paths, not `--changed-since`, not a shard) is nearly every walked file.
fn early_stats(path: &Path, root: &Path, request: &Request, made: &Made) -> bool {
    request.cache && request.changed.is_none() && request.shard.is_none() && !made.remember && same_place(path, root)
}

/// Whether two paths name the same folder.
fn same_place(path: &Path, root: &Path) -> bool {
    matches!((path.canonicalize(), root.canonicalize()), (Ok(p), Ok(r)) if p == r)
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

/// For a path inside a site (`content/de/docs/x.md` under `hugo.toml`), the site's root;
/// inside a locale folder (`docs/sv-se/includes/x.md`), the folder that holds the locale
/// folders (`docs`). Only the path's own ancestors count: a search never wanders into
/// unrelated sibling trees. Otherwise the path's own directory.
pub(crate) fn detect_root(path: &Path) -> PathBuf {
    let start = if path.is_file() { path.parent().unwrap_or(Path::new(".")) } else { path };
    let start = if start.as_os_str().is_empty() { Path::new(".") } else { start };
    let absolute = start.canonicalize().unwrap_or_else(|_| start.to_path_buf());
    // A site config at or above the path (`hugo.toml`, tldr's `pages/`) knows the root.
    let site_root = crate::site::find(&absolute)
        .map(|s| s.root)
        .filter(|root| absolute.starts_with(root) && pair::detect(root, &[]).is_some());
    let found = site_root.or_else(|| {
        absolute.ancestors().find_map(|dir| {
            let is_locale = dir.file_name().and_then(|n| n.to_str()).is_some_and(pair::is_locale);
            let parent = dir.parent().filter(|_| is_locale)?;
            pair::detect(parent, &[]).is_some().then(|| parent.to_path_buf())
        })
    });
    if let Some(parent) = found {
        // Keep the user's spelling: a relative path gives a relative root.
        let cwd = std::env::current_dir().ok().and_then(|c| c.canonicalize().ok());
        return match cwd.as_deref().and_then(|c| parent.strip_prefix(c).ok()) {
            Some(rel) if start.is_relative() && rel.as_os_str().is_empty() => PathBuf::from("."),
            Some(rel) if start.is_relative() => rel.to_path_buf(),
            _ => parent,
        };
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
pub(crate) fn display_path(root: &Path, rel: &str) -> PathBuf {
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
    let order = Order::new(plan, settings.is_enabled(crate::rules::RuleId::BrokenAnchor) && every_pair);
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
    if settings.is_enabled(RuleId::MissingTranslation) {
        for (src, locale, expected) in &plan.missing {
            if settings.is_ignored(RuleId::MissingTranslation, &[src, expected]) {
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
/// front matter). Cached like a pair's, with the hash of the path the orphan finding
/// names (which depends on how the root was written) standing for the source and its
/// metadata for none.
fn lint_orphan(run: &Linting, locale: &str, rel: &str, expected: &str) -> Vec<Finding> {
    let shown = display_path(&run.config.root, expected);
    let source_hash = cache::hash(&[b"orphan of ", shown.as_os_str().as_encoded_bytes()].concat());
    let stats = cache::Stats {
        source: Some(cache::Stat::absent(source_hash)),
        translation: run.cache.and_then(|_| run.around.stat(rel)),
    };
    let target = Target { locale, rel, source_rel: expected, source_path: None, orphan: Some(&shown), stats };
    let mut found = match unchanged(run, &target) {
        Some(found) => found,
        None => {
            lint_file(run, &target, run.cache.map(|_| source_hash), || Some(engine::Source::Missing { shown: &shown }))
        }
    };
    // Where the source went, when git saw it renamed: the help names the `git mv`. Asked
    // after the cache, since the answer depends on the history, not on the two files.
    if let Some(f) = found.iter_mut().find(|f| f.rule == RuleId::OrphanTranslation) {
        let moved = run.tree.renamed_to(expected).and_then(|to| {
            let tr = orphan_translation::moved_translation(rel, expected, &to)?;
            Some((display_path(&run.config.root, &to), display_path(&run.config.root, &tr)))
        });
        if let Some((to, tr)) = moved {
            f.help = Some(orphan_translation::moved_help(&to, &display_path(&run.config.root, rel), &tr));
        }
    }
    found
}

/// A group's findings, and those of the groups it pulls (`Order`) at `depth` below
/// the group the run took from the plan.
fn lint_group(run: &Linting, group: &Group, depth: usize) -> Vec<Finding> {
    let (config, around, tree, cache, progress) = (run.config, run.around, run.tree, run.cache, run.progress);
    let settings = &config.settings;
    let src_path = display_path(&config.root, &group.source);
    let src_stat = cache.and_then(|_| around.stat(&group.source));
    let target = |pair| Target::pair(run, group, &src_path, src_stat, pair);
    let mut out = Vec::new();
    let mut todo: Vec<&(String, String)> = group.translations.iter().collect();
    if cache.is_some() {
        // Pairs whose files were not touched since the cache saw them: nothing to read.
        todo.retain(|pair| match unchanged(run, &target(pair)) {
            Some(found) => {
                out.extend(found);
                progress.inc(1);
                false
            }
            None => true,
        });
        if todo.is_empty() {
            return out;
        }
    }
    // The source's own problem is reported once, on the source, not once per locale.
    let own_problem = |why: &str| {
        let input = engine::Input {
            rel: &group.source,
            locale: None,
            text: Err(why),
            source_rel: None,
            source: engine::Source::Unread,
            workspace: None,
            on_parse: None,
        };
        let mut found = engine::lint(&input, settings).findings;
        for f in &mut found {
            f.file = src_path.clone();
        }
        found
    };
    let src_bytes = match read_file(&src_path, settings.max_file_size) {
        Ok(bytes) => bytes,
        Err(why) => {
            progress.inc(todo.len());
            out.extend(own_problem(&why));
            return out;
        }
    };
    let src_hash = cache.map(|_| cache::hash(&src_bytes));
    // Decoded when the first translation is read, parsed when the first one that is
    // text needs it: with a warm cache, none may.
    let (src_text, src_doc) = (std::sync::OnceLock::new(), std::sync::OnceLock::new());
    // Its skeleton, built when the first translation's rules ask, for all of them.
    let src_side = crate::skeleton::Shared::default();
    let decode = || src_text.get_or_init(|| text(src_bytes.clone()));
    let parsed = |text: &String| {
        src_doc.get_or_init(|| {
            let doc = crate::parse::parse_for(text, settings);
            tree.parsed(&group.source, doc.anchors.iter().map(|a| a.name.as_str()));
            doc
        })
    };
    // Whether a translation asked for the source: only then is a source that is not
    // text reported (a pull below decodes it for its own sake).
    let asked = std::sync::atomic::AtomicBool::new(false);
    let source = || {
        asked.store(true, std::sync::atomic::Ordering::Relaxed);
        let text = decode().as_ref().ok()?;
        Some(engine::Source::Shared(parsed(text), text, &src_side))
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
    out.par_extend(todo.par_iter().flat_map_iter(|pair| {
        let found = lint_file(run, &target(pair), src_hash, source);
        progress.inc(1);
        found
    }));
    if let (true, Some(Err(why))) = (asked.into_inner(), src_text.get()) {
        out.extend(own_problem(why));
    }
    out
}

/// One translation (or orphan) to read and lint, and how its findings show it.
struct Target<'a> {
    locale: &'a str,
    rel: &'a str,
    /// The source's path from the root (for an orphan, the path it would have).
    source_rel: &'a str,
    /// The source as findings show it; `None` for an orphan.
    source_path: Option<&'a Path>,
    /// For an orphan, the source it expected, as its finding names it.
    orphan: Option<&'a Path>,
    stats: cache::Stats,
}

impl<'a> Target<'a> {
    fn pair(
        run: &Linting,
        group: &'a Group,
        src_path: &'a Path,
        src_stat: Option<cache::Stat>,
        (locale, rel): &'a (String, String),
    ) -> Target<'a> {
        let stats = cache::Stats { source: src_stat, translation: run.cache.and_then(|_| run.around.stat(rel)) };
        Target { locale, rel, source_rel: &group.source, source_path: Some(src_path), orphan: None, stats }
    }

    /// The engine's input for this file, with its text (or why it has none).
    fn input<'i>(&'i self, text: Result<&'i str, &'i str>, source: engine::Source<'i>) -> engine::Input<'i> {
        engine::Input {
            rel: self.rel,
            locale: Some(self.locale),
            text,
            source_rel: Some(self.source_rel),
            source,
            workspace: None,
            on_parse: None,
        }
    }

    /// What stands for the source when the file is not read as text.
    fn unread(&self) -> engine::Source<'_> {
        match self.orphan {
            Some(shown) => engine::Source::Missing { shown },
            None => engine::Source::Unread,
        }
    }

    /// Sets the paths findings show (`Finding::file`, `source_file`).
    fn place(&self, root: &Path, mut found: Vec<Finding>) -> Vec<Finding> {
        // Most files have no findings, and need no paths made for them.
        if !found.is_empty() {
            let path = display_path(root, self.rel);
            for f in &mut found {
                f.file = path.clone();
                f.source_file = self.source_path.map(Path::to_path_buf);
            }
        }
        found
    }
}

/// A file the cache saw untouched since it stored its findings: those findings.
fn unchanged(run: &Linting, t: &Target) -> Option<Vec<Finding>> {
    let found = run.cache?.unchanged(t.rel, t.locale, t.stats, run.around)?;
    Some(t.place(&run.config.root, engine::restore(found, &run.config.settings, Some(t.locale))))
}

/// Reads a file, takes its findings from the cache, or lints it (`engine::lint`) and
/// stores them. `source` is asked only for a file that is text (or to know whether an
/// unreadable one may be stored): `None` when the source is not text either, which the
/// caller reports on the source.
fn lint_file<'s>(
    run: &Linting,
    t: &Target,
    source_hash: Option<u128>,
    source: impl FnOnce() -> Option<engine::Source<'s>>,
) -> Vec<Finding> {
    let (settings, cache, around) = (&run.config.settings, run.cache, run.around);
    let path = display_path(&run.config.root, t.rel);
    let found = match read_file(&path, settings.max_file_size) {
        Err(why) => engine::lint(&t.input(Err(&why), t.unread()), settings).findings,
        Ok(bytes) => {
            let key =
                source_hash.map(|source| cache::Key { source, translation: cache::hash(&bytes), locale: t.locale });
            match cache.zip(key).and_then(|(c, key)| c.get(t.rel, key, t.stats, around)) {
                Some(found) => engine::restore(found, settings, Some(t.locale)),
                None => match text(bytes) {
                    Err(why) => {
                        let found = engine::lint(&t.input(Err(&why), t.unread()), settings).findings;
                        // Decided by the content alone, so stored like a lint's findings,
                        // unless the source is not text either: then the source's problem
                        // must keep being reported, by a run that reads it.
                        if let (Some(c), Some(key), Some(_)) = (cache, key, source()) {
                            c.put(t.rel, key, t.stats, &found, Vec::new());
                        }
                        found
                    }
                    Ok(text) => match source() {
                        // Reported against the source, once, by the caller.
                        None => Vec::new(),
                        Some(source) => {
                            // What the rules ask about the tree is recorded with the
                            // findings: a cached pair is reused only while the answers hold.
                            let recorder = match cache {
                                Some(_) => cache::Recorder::new(around, cache),
                                None => cache::Recorder::passive(around),
                            };
                            let on_parse =
                                |doc: &Doc| run.tree.parsed(t.rel, doc.anchors.iter().map(|a| a.name.as_str()));
                            let input = engine::Input {
                                workspace: Some(&recorder),
                                on_parse: Some(&on_parse),
                                ..t.input(Ok(&text), source)
                            };
                            let linted = engine::lint(&input, settings);
                            // Only a lint that ran to the end is stored; a crash is retried.
                            if let (Some(c), Some(key), None) = (cache, key, &linted.crash) {
                                c.put(t.rel, key, t.stats, &linted.findings, recorder.into_asked());
                            }
                            linted.findings
                        }
                    },
                },
            }
        }
    };
    t.place(&run.config.root, found)
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
    fn linked(&self, from: &str, doc: &Doc) -> Vec<usize> {
        broken_anchor::fragment_links(doc)
            .filter(|link| link.path.ends_with(".md") && !link.path.contains("://"))
            .filter_map(|link| crate::rules::resolve_relative(from, link.target))
            .filter_map(|rel| self.by_source.get(rel.as_str()).copied())
            .collect()
    }
}

/// Why a run stops when its layout pairs nothing: what was looked for, relative to what,
/// and how much was there.
pub fn nothing_paired(layout: &Layout, root: &Path, config: Option<&Path>, files: &[String]) -> String {
    let sources = files.iter().filter(|f| matches!(layout.classify(f), Role::Source { .. })).count();
    let relative_to = match config {
        Some(file) => discover::to_slash(file),
        None => format!("{} (detected, no {})", discover::to_slash(root), config::FILE_NAME),
    };
    format!(
        "no translation found: layout `{}` → `{}` relative to {relative_to} matched {sources} source {} and 0 \
         translations among {} {} under {}",
        layout.source.pattern,
        layout.translation.pattern,
        if sources == 1 { "file" } else { "files" },
        files.len(),
        if files.len() == 1 { "document" } else { "documents" },
        discover::to_slash(root),
    )
}

/// Why a run without config stops when no layout shows: what was looked for, and where.
pub fn no_layout(path: &Path, documents: usize) -> String {
    format!(
        "no localized layout detected under {} ({documents} {}): looked for a site config (hugo.toml, \
         docusaurus.config.*, astro.config.* with Starlight, .vitepress/config.*, mkdocs.yml, book.toml, conf.py, \
         docfx.json) here, above and just below, for locale folders (en/ + de/, content/en/ + content/de/, \
         pages/ + pages.de/, repo/ + repo.de-de/) and for name.{{locale}}.md beside name.md; add a {} with a \
         `layout:` (README, section Layouts)",
        discover::to_slash(path),
        if documents == 1 { "document" } else { "documents" },
        config::FILE_NAME
    )
}

/// What a run says about a path it was given that no pair includes.
pub fn outside_pairs(path: &Path, layout: &Layout) -> String {
    format!(
        "{}: not part of any source/translation pair (layout `{}` → `{}`); not checked",
        discover::to_slash(path),
        layout.source.pattern,
        layout.translation.pattern
    )
}
