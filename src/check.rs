//! `locdrift check`: the file-system driver around the sans-I/O core.
//!
//! Builds the work list (config, walk, pairing), lints groups in parallel with rayon
//! (each source parsed once, however many locales it has), turns every unreadable file
//! into an `io-error` finding, and returns findings sorted for deterministic output.

use std::collections::BTreeMap;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::{self, Config, ConfigError};
use crate::discover::{self, WalkOptions};
use crate::finding::{self, Finding, Severity};
use crate::pair::{self, Group, Layout, Plan, Role};
use crate::rules::{io_error, missing_translation, orphan_translation, Files};
use crate::settings::Selection;
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
    /// (JUnit) and for pruning a baseline only where the run looked.
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
    /// Every translation checked, in path order.
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
    files: usize,
}

pub fn run(request: &Request) -> Result<Outcome, CheckError> {
    let paths = if request.paths.is_empty() { vec![PathBuf::from(".")] } else { request.paths.clone() };
    let mut jobs: Vec<Job> = Vec::new();
    for path in &paths {
        if !path.exists() {
            return Err(CheckError::Usage(format!("{}: no such file or directory", path.display())));
        }
        let job = prepare(path, request)?;
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
    for mut job in jobs {
        if let Some(changed) = &request.changed {
            let rels = relative_to(&job.config.root, changed);
            retain_work(&mut job, |parts| parts.iter().any(|p| rels.contains(*p)));
        }
        if let Some(shard) = request.shard {
            retain_work(&mut job, |parts| shard.owns(parts));
        }
        let root = job.config.root.clone();
        for g in &job.plan.groups {
            for (locale, t) in &g.translations {
                summary.pairs.push(PairInfo {
                    translation: display_path(&root, t),
                    source: Some(display_path(&root, &g.source)),
                    locale: locale.clone(),
                });
            }
        }
        for (locale, t, _) in &job.plan.orphans {
            summary.pairs.push(PairInfo { translation: display_path(&root, t), source: None, locale: locale.clone() });
        }
        inventory(&job, &mut summary, &mut translations);
        summary.files += job.files;
        summary.sources += job.plan.groups.len();
        summary.translations += job.plan.groups.iter().map(|g| g.translations.len()).sum::<usize>();
        summary.orphans += job.plan.orphans.len();
        summary.missing_translations += job.plan.missing.len();
        summary.locales.extend(job.plan.locales.iter().cloned());
        fail_on = fail_on.or(job.config.fail_on);
        findings.extend(job.problems.iter().cloned());
        findings.extend(lint_plan(&job.config, &job.layout, &job.plan));
    }
    summary.locales.sort();
    summary.locales.dedup();
    summary.pairs.sort();
    summary.pairs.dedup();
    finding::sort(&mut findings);
    findings.dedup();
    translations.sort_by(|a: &Translation, b: &Translation| a.file.cmp(&b.file));
    Ok(Outcome { findings, summary, translations, fail_on })
}

/// Lists a job's translations and counts them per locale.
fn inventory(job: &Job, summary: &mut Summary, out: &mut Vec<Translation>) {
    let root = &job.config.root;
    let shared = |rel: &str| match job.layout.classify(rel) {
        Role::Translation { path, .. } => path,
        _ => rel.to_string(),
    };
    for locale in &job.plan.locales {
        summary.by_locale.entry(locale.clone()).or_default();
    }
    for g in &job.plan.groups {
        for (locale, rel) in &g.translations {
            summary.by_locale.entry(locale.clone()).or_default().translations += 1;
            out.push(Translation {
                locale: locale.clone(),
                file: display_path(root, rel),
                source_file: display_path(root, &g.source),
                path: shared(rel),
                orphan: false,
            });
        }
    }
    for (locale, rel, expected) in &job.plan.orphans {
        summary.by_locale.entry(locale.clone()).or_default().orphans += 1;
        out.push(Translation {
            locale: locale.clone(),
            file: display_path(root, rel),
            source_file: display_path(root, expected),
            path: shared(rel),
            orphan: true,
        });
    }
    for (_, locale, _) in &job.plan.missing {
        summary.by_locale.entry(locale.clone()).or_default().missing += 1;
    }
}

fn prepare(path: &Path, request: &Request) -> Result<Job, CheckError> {
    let mut config = match request.config.as_deref().map(Path::to_path_buf).or_else(|| config::find(path)) {
        Some(file) => config::load(&file).map_err(CheckError::Config)?,
        None => Config::defaults(path),
    };
    config.settings.apply(&request.selection).map_err(CheckError::Usage)?;
    let walk = |root: &Path, config: &Config| {
        discover::walk(root, &WalkOptions { extensions: &config.extensions, exclude: &config.exclude })
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
    let mut plan = pair::plan(&layout, &found.files, config.locales.as_deref());
    restrict(&mut plan, &root, path);
    let mut problems = found.problems;
    for f in &mut problems {
        f.severity = config.settings.severity(f.rule);
    }
    problems.retain(|f| {
        let rel = f.file.strip_prefix(&root).map(discover::to_slash).unwrap_or_default();
        config.settings.is_enabled(f.rule) && !config.is_ignored(f.rule, &[&rel])
    });
    Ok(Job { files: found.files.len(), config, layout, plan, problems })
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
fn restrict(plan: &mut Plan, root: &Path, path: &Path) {
    let (Ok(abs_root), Ok(abs_path)) = (root.canonicalize(), path.canonicalize()) else { return };
    let Ok(rel) = abs_path.strip_prefix(&abs_root) else { return };
    let rel = discover::to_slash(rel);
    if rel.is_empty() {
        return;
    }
    let under = |f: &str| f == rel || f.starts_with(&format!("{rel}/"));
    for g in &mut plan.groups {
        if !under(&g.source) {
            g.translations.retain(|(_, t)| under(t));
        }
    }
    plan.groups
        .retain(|g| !g.translations.is_empty() && (under(&g.source) || g.translations.iter().any(|(_, t)| under(t))));
    plan.orphans.retain(|(_, t, _)| under(t));
    plan.missing.retain(|(s, _, t)| under(s) || under(t));
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

fn lint_plan(config: &Config, layout: &Layout, plan: &Plan) -> Vec<Finding> {
    let root = &config.root;
    let settings = &config.settings;
    let tree = Tree::new(root, settings).with_groups(&plan.groups);
    let mut out: Vec<Finding> = plan.groups.par_iter().flat_map_iter(|g| lint_group(config, &tree, g)).collect();
    out.par_extend(plan.orphans.par_iter().flat_map_iter(|(locale, rel, expected)| {
        let path = display_path(root, rel);
        let mut acc = Vec::new();
        if settings.is_enabled(orphan_translation::NAME) {
            let mut f = orphan_translation::finding(&display_path(root, expected));
            f.severity = settings.severity(f.rule);
            f.locale = Some(locale.clone());
            f.file = path.clone();
            acc.push(f);
        }
        // An orphan still gets the checks that need no source (broken front matter), and
        // its suppression comments apply to the orphan finding itself.
        let mut acc = match read_or_finding(&path, settings.max_file_size) {
            Ok(text) => guarded(&path, locale, || {
                let doc = crate::parse::parse(&text, &settings.vocab);
                let files = Files { workspace: &tree, source: expected, translation: rel };
                crate::lint_docs_with(None, &doc, &text, locale, settings, Some(&files), acc)
            }),
            Err(f) => {
                acc.push(*f);
                acc
            }
        };
        for f in &mut acc {
            f.file = path.clone();
        }
        let mut acc = finish(acc, settings, Some(locale));
        acc.retain(|f| !config.is_ignored(f.rule, &[rel, expected]));
        acc
    }));
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
    let _ = layout;
    out
}

fn lint_group(config: &Config, tree: &Tree, group: &Group) -> Vec<Finding> {
    let settings = &config.settings;
    let src_path = display_path(&config.root, &group.source);
    let source = match read_or_finding(&src_path, settings.max_file_size) {
        Ok(text) => Some(text),
        Err(mut f) => {
            f.file = src_path.clone();
            // The source's problem is reported once, not once per locale.
            let mut acc = finish(vec![*f], settings, None);
            acc.retain(|f| !config.is_ignored(f.rule, &[&group.source]));
            return acc;
        }
    };
    let src_text = source.expect("read above");
    let src_doc = crate::parse::parse(&src_text, &settings.vocab);
    group
        .translations
        .par_iter()
        .flat_map_iter(|(locale, rel)| {
            let path = display_path(&config.root, rel);
            let acc = match read_or_finding(&path, settings.max_file_size) {
                Ok(text) => guarded(&path, locale, || {
                    let doc = crate::parse::parse(&text, &settings.vocab);
                    let files = Files { workspace: tree, source: &group.source, translation: rel };
                    crate::lint_docs_in(Some((&src_doc, &src_text)), &doc, &text, locale, settings, Some(&files))
                }),
                Err(f) => vec![*f],
            };
            let mut acc = finish(acc, settings, Some(locale));
            acc.retain(|f| !config.is_ignored(f.rule, &[rel, &group.source]));
            for f in &mut acc {
                f.file = path.clone();
                f.source_file = Some(src_path.clone());
            }
            acc
        })
        .collect()
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

fn finish(mut acc: Vec<Finding>, settings: &crate::settings::Settings, locale: Option<&String>) -> Vec<Finding> {
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
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read file: {}", io_message(&e)))?;
    if meta.len() > max {
        return Err(format!("file is {} bytes, above the {max}-byte limit (`max-file-size`); not checked", meta.len()));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read file: {}", io_message(&e)))?;
    if let Some(why) = io_error::describe_invalid_utf8(&bytes) {
        return Err(why);
    }
    String::from_utf8(bytes).map_err(|e| format!("file is not valid UTF-8: {e}"))
}

/// `read_text`, with a failure as an `io-error` finding against the file.
fn read_or_finding(path: &Path, max: u64) -> Result<String, Box<Finding>> {
    read_text(path, max).map_err(|m| {
        let mut f = io_error::finding(m);
        f.file = path.to_path_buf();
        Box::new(f)
    })
}

fn io_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "file not found (deleted while checking?)".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}
