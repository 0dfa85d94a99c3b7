//! `locdrift report`: translation status aggregated per locale, rule and folder.
//!
//! `build` turns what `check::run` returns into a `Report`: counts per locale (up to date,
//! stale, missing, orphans, findings by rule and severity), per rule and locale, a
//! heatmap of locales by top-level folder, the files with findings and the most severe
//! findings. Everything is counted here, in Rust, so the renderers stay thin and the
//! HTML page only pages through data it is handed, however large the tree.
//!
//! `--format json` is `Report` serialized: `{"version":1,"totals":{..},"locales":[..],
//! "rules":[..],"heatmap":{"folders":[..],"cells":[..]},"files":[..],"top_findings":[..]}`
//! plus `"changes"` when a baseline is given. Fields are only ever added. The same file
//! read back is the baseline of a later run (`--baseline`), see `compare`.
//!
//! Definitions: a locale's sources = up to date + stale + missing. A translation is
//! *stale* when it has a `stale-translation` finding (other than "newer than its source"),
//! *up to date* when it is paired with
//! its source and not stale (it may still have structural findings), *missing* when the
//! pairing plan expects it and it does not exist.

pub mod html;
pub mod markdown;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::check::{Outcome, Translation};
use crate::finding::{Finding, Severity, Span};
use crate::line_index::LineIndex;
use crate::render::show_path;
use crate::rules::RuleId;

/// The rule whose findings make a translation count as stale.
const STALE_RULE: RuleId = RuleId::StaleTranslation;

/// The heatmap keeps this many folders; the rest are summed into one column.
const MAX_FOLDERS: usize = 40;
/// The name of the column for files directly in the root of the shared path.
pub const TOP_LEVEL: &str = "(top level)";
/// The name of the column that sums the folders beyond `MAX_FOLDERS`.
pub const OTHER_FOLDERS: &str = "(other)";

/// Printed formats of `report --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Markdown,
    Json,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Report {
    pub version: u32,
    pub totals: Totals,
    pub locales: Vec<LocaleStatus>,
    pub rules: Vec<RuleCount>,
    pub heatmap: Heatmap,
    /// Files with findings, in path order (a file-level finding without a locale, such as
    /// an unreadable source, has `locale: null`).
    pub files: Vec<FileStatus>,
    /// The most severe findings first, then in path order.
    pub top_findings: Vec<TopFinding>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changes: Option<Changes>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Totals {
    pub sources: usize,
    /// Translations paired with a source (orphans are counted apart).
    pub translations: usize,
    pub locales: usize,
    pub up_to_date: usize,
    pub stale: usize,
    pub missing: usize,
    pub orphans: usize,
    pub files_with_findings: usize,
    pub findings: usize,
    pub by_severity: BTreeMap<String, usize>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct LocaleStatus {
    pub locale: String,
    pub translations: usize,
    pub up_to_date: usize,
    pub stale: usize,
    pub missing: usize,
    pub orphans: usize,
    pub files_with_findings: usize,
    pub findings: usize,
    pub by_severity: BTreeMap<String, usize>,
    pub by_rule: BTreeMap<String, usize>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RuleCount {
    pub rule: String,
    pub code: String,
    /// The severity its findings had in this run.
    pub severity: String,
    pub findings: usize,
    pub by_locale: BTreeMap<String, usize>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Heatmap {
    /// Top-level folders of the shared path (`includes` for `sv-se/includes/x.md`); one
    /// level deeper when every file sits in the same folder.
    pub folders: Vec<String>,
    /// One cell per locale and folder that has translations.
    pub cells: Vec<HeatCell>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HeatCell {
    pub locale: String,
    pub folder: String,
    pub files: usize,
    pub with_findings: usize,
    pub findings: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FileStatus {
    pub file: String,
    pub locale: Option<String>,
    pub source_file: Option<String>,
    pub folder: Option<String>,
    pub findings: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub by_rule: BTreeMap<String, usize>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TopFinding {
    pub rule: String,
    pub code: String,
    pub severity: String,
    pub file: String,
    pub locale: Option<String>,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// What changed since a baseline (a previous `report --format json`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Changes {
    pub baseline: String,
    pub findings: Delta,
    /// Every locale of either run, in name order.
    pub by_locale: Vec<Named<Delta>>,
    /// Rules whose count changed, in name order.
    pub by_rule: Vec<Named<Delta>>,
    /// Files whose count changed, largest change first.
    pub files: Vec<Named<Delta>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Delta {
    pub before: usize,
    pub after: usize,
}

impl Delta {
    pub fn change(&self) -> i64 {
        self.after as i64 - self.before as i64
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Named<T> {
    pub name: String,
    #[serde(flatten)]
    pub value: T,
}

/// Where a finding is, for display: line and column (1-based, column in characters) in
/// the translation and the source, and when asked the lines around both spans.
#[derive(Debug, Clone, Default)]
pub struct Place {
    pub line: usize,
    pub column: usize,
    pub source_line: Option<usize>,
    pub snippet: Option<Snippet>,
    pub source_snippet: Option<Snippet>,
}

/// One line of text around a span, cut to a readable width. `mark` is the span within
/// `text` in UTF-16 code units, what JavaScript's string indices count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    pub text: String,
    pub mark: (usize, usize),
}

/// How much of a long line a snippet keeps around its span, in characters.
const SNIPPET_BEFORE: usize = 50;
const SNIPPET_WIDTH: usize = 160;

pub struct Options {
    /// How many findings `top_findings` lists.
    pub top: usize,
}

/// Aggregates a check run.
pub fn build(outcome: &Outcome, options: &Options) -> Report {
    let findings = &outcome.findings;
    let summary = &outcome.summary;
    let by_file: HashMap<&Path, &Translation> = outcome.translations.iter().map(|t| (t.file.as_path(), t)).collect();
    let folder_of = folders(&outcome.translations);

    // Files with findings, keyed by (file, locale) in finding order (sorted by file).
    let mut files: Vec<FileStatus> = Vec::new();
    let mut index: HashMap<(&Path, Option<&str>), usize> = HashMap::new();
    let mut stale: BTreeSet<(&Path, &str)> = BTreeSet::new();
    for f in findings {
        let key = (f.file.as_path(), f.locale.as_deref());
        let i = *index.entry(key).or_insert_with(|| {
            let t = by_file.get(f.file.as_path());
            files.push(FileStatus {
                file: show_path(&f.file),
                locale: f.locale.clone(),
                source_file: t.map(|t| show_path(&t.source_file)).or_else(|| f.source_file.as_deref().map(show_path)),
                folder: t.map(|t| folder_of[&t.file.as_path()].clone()),
                findings: 0,
                errors: 0,
                warnings: 0,
                infos: 0,
                by_rule: BTreeMap::new(),
            });
            files.len() - 1
        });
        let file = &mut files[i];
        file.findings += 1;
        match f.severity {
            Severity::Error => file.errors += 1,
            Severity::Warning => file.warnings += 1,
            Severity::Info => file.infos += 1,
        }
        *file.by_rule.entry(f.rule.to_string()).or_default() += 1;
        // A translation newer than its source is reported by the same rule, but it is the
        // source checkout that is behind, not the translation.
        let newer = f.key.as_deref() == Some(crate::rules::stale_translation::KEY_NEWER);
        if f.rule == STALE_RULE && !newer {
            if let Some(l) = &f.locale {
                stale.insert((f.file.as_path(), l.as_str()));
            }
        }
    }
    files.sort_by(|a, b| (&a.file, &a.locale).cmp(&(&b.file, &b.locale)));

    let mut locales: BTreeMap<String, LocaleStatus> = summary
        .by_locale
        .iter()
        .map(|(l, c)| {
            let status = LocaleStatus {
                locale: l.clone(),
                translations: c.translations,
                missing: c.missing,
                orphans: c.orphans,
                by_severity: severity_map(),
                ..LocaleStatus::default()
            };
            (l.clone(), status)
        })
        .collect();
    for l in &summary.locales {
        locales.entry(l.clone()).or_insert_with(|| LocaleStatus {
            locale: l.clone(),
            by_severity: severity_map(),
            ..LocaleStatus::default()
        });
    }
    let mut rules: BTreeMap<&str, RuleCount> = BTreeMap::new();
    let mut totals = Totals { by_severity: severity_map(), ..Totals::default() };
    for f in findings {
        totals.findings += 1;
        *totals.by_severity.entry(f.severity.as_str().to_string()).or_default() += 1;
        let rule = rules.entry(f.rule.name()).or_insert_with(|| RuleCount {
            rule: f.rule.to_string(),
            code: f.rule.code().to_string(),
            severity: f.severity.as_str().to_string(),
            findings: 0,
            by_locale: BTreeMap::new(),
        });
        rule.findings += 1;
        if let Some(l) = &f.locale {
            *rule.by_locale.entry(l.clone()).or_default() += 1;
            let status = locales.entry(l.clone()).or_insert_with(|| LocaleStatus {
                locale: l.clone(),
                by_severity: severity_map(),
                ..LocaleStatus::default()
            });
            status.findings += 1;
            *status.by_severity.entry(f.severity.as_str().to_string()).or_default() += 1;
            *status.by_rule.entry(f.rule.to_string()).or_default() += 1;
        }
    }
    for file in &files {
        if let Some(status) = file.locale.as_ref().and_then(|l| locales.get_mut(l)) {
            status.files_with_findings += 1;
        }
    }
    for (_, locale) in &stale {
        if let Some(status) = locales.get_mut(*locale) {
            status.stale += 1;
        }
    }
    for status in locales.values_mut() {
        // Only paired translations can be stale; an orphan has nothing to be behind.
        status.up_to_date = status.translations.saturating_sub(status.stale);
    }
    let locales: Vec<LocaleStatus> = locales.into_values().collect();
    totals.sources = summary.sources;
    totals.translations = summary.translations;
    totals.locales = locales.len();
    totals.missing = summary.missing_translations;
    totals.orphans = summary.orphans;
    totals.stale = locales.iter().map(|l| l.stale).sum();
    totals.up_to_date = locales.iter().map(|l| l.up_to_date).sum();
    totals.files_with_findings = files.len();

    let heatmap = heatmap(outcome, &folder_of);
    let top_findings = top(findings, options.top);
    Report {
        version: 1,
        totals,
        locales,
        rules: rules.into_values().collect(),
        heatmap,
        files,
        top_findings,
        changes: None,
    }
}

fn severity_map() -> BTreeMap<String, usize> {
    ["error", "warning", "info"].into_iter().map(|s| (s.to_string(), 0)).collect()
}

/// The heatmap column of every translation. One level of the shared path, or deeper
/// while all files share the same folder (Microsoft Learn keeps everything under
/// `articles/`, which would make a one-column heatmap); folders beyond the largest
/// `MAX_FOLDERS` are summed into one column.
fn folders(translations: &[Translation]) -> HashMap<&Path, String> {
    fn segments(t: &Translation) -> Vec<&str> {
        let mut s: Vec<&str> = t.path.split('/').collect();
        s.pop(); // the file name is never a folder
        s
    }
    let mut depth = 1;
    while depth < 4 {
        let mut first: Option<Vec<&str>> = None;
        let all_same = translations.iter().all(|t| {
            let s = segments(t);
            if s.len() <= depth {
                return false;
            }
            let head = s[..depth].to_vec();
            first.get_or_insert_with(|| head.clone()) == &head
        });
        if !all_same || translations.is_empty() {
            break;
        }
        depth += 1;
    }
    let name = |t: &Translation| {
        let s = segments(t);
        if s.is_empty() {
            TOP_LEVEL.to_string()
        } else {
            s[..depth.min(s.len())].join("/")
        }
    };
    let mut sizes: BTreeMap<String, usize> = BTreeMap::new();
    for t in translations {
        *sizes.entry(name(t)).or_default() += 1;
    }
    let kept: BTreeSet<String> = if sizes.len() > MAX_FOLDERS {
        let mut by_size: Vec<(&String, &usize)> = sizes.iter().collect();
        by_size.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        by_size.into_iter().take(MAX_FOLDERS - 1).map(|(n, _)| n.clone()).collect()
    } else {
        sizes.into_keys().collect()
    };
    translations
        .iter()
        .map(|t| {
            let n = name(t);
            let n = if kept.contains(&n) { n } else { OTHER_FOLDERS.to_string() };
            (t.file.as_path(), n)
        })
        .collect()
}

fn heatmap(outcome: &Outcome, folder_of: &HashMap<&Path, String>) -> Heatmap {
    let mut per_file: HashMap<&Path, usize> = HashMap::new();
    for f in &outcome.findings {
        *per_file.entry(f.file.as_path()).or_default() += 1;
    }
    let mut cells: BTreeMap<(&str, &str), HeatCell> = BTreeMap::new();
    for t in &outcome.translations {
        let folder = folder_of[&t.file.as_path()].as_str();
        let cell = cells.entry((t.locale.as_str(), folder)).or_insert_with(|| HeatCell {
            locale: t.locale.clone(),
            folder: folder.to_string(),
            files: 0,
            with_findings: 0,
            findings: 0,
        });
        cell.files += 1;
        let n = per_file.get(t.file.as_path()).copied().unwrap_or(0);
        cell.findings += n;
        cell.with_findings += usize::from(n > 0);
    }
    let mut folders: Vec<String> = folder_of.values().cloned().collect::<BTreeSet<_>>().into_iter().collect();
    // The special columns go to the edges: top level first, the rest last.
    folders.sort_by_key(|f| (f != TOP_LEVEL, f == OTHER_FOLDERS, f.clone()));
    Heatmap { folders, cells: cells.into_values().collect() }
}

/// The `n` most severe findings, in path order within a severity.
fn top(findings: &[Finding], n: usize) -> Vec<TopFinding> {
    let mut order: Vec<&Finding> = findings.iter().collect();
    // A stable sort keeps the path order of findings of the same severity.
    order.sort_by_key(|f| std::cmp::Reverse(f.severity));
    order.truncate(n);
    let places = locate(&order, false);
    order
        .iter()
        .zip(places)
        .map(|(f, p)| TopFinding {
            rule: f.rule.to_string(),
            code: f.rule.code().to_string(),
            severity: f.severity.as_str().to_string(),
            file: show_path(&f.file),
            locale: f.locale.clone(),
            line: p.line,
            column: p.column,
            message: f.message.clone(),
        })
        .collect()
}

/// Line, column and (with `snippets`) the lines around every finding. Each file is read
/// once and dropped when its findings are placed, so a large run does not hold every
/// text at once; files are placed in parallel.
pub fn locate(findings: &[&Finding], snippets: bool) -> Vec<Place> {
    // Runs of findings in the same file (findings arrive sorted by file).
    let mut runs: Vec<std::ops::Range<usize>> = Vec::new();
    let mut start = 0;
    for i in 1..=findings.len() {
        if i == findings.len() || findings[i].file != findings[start].file {
            if start < i {
                runs.push(start..i);
            }
            start = i;
        }
    }
    let placed: Vec<Vec<Place>> = runs
        .par_iter()
        .map(|run| {
            let group = &findings[run.clone()];
            let text = read(&group[0].file);
            let index = text.as_deref().map(LineIndex::new);
            let mut sources: HashMap<&Path, Option<String>> = HashMap::new();
            for f in group {
                if let Some(src) = &f.source_file {
                    sources.entry(src.as_path()).or_insert_with(|| read(src));
                }
            }
            let src_index: HashMap<&Path, LineIndex> =
                sources.iter().filter_map(|(p, t)| t.as_deref().map(|t| (*p, LineIndex::new(t)))).collect();
            group
                .iter()
                .map(|f| {
                    let mut place = Place { line: 1, column: 1, ..Place::default() };
                    if let Some(index) = &index {
                        let p = index.position(f.span.start);
                        place.line = p.line;
                        place.column = p.column;
                    }
                    let whole_file = f.span == Span::new(0, 0);
                    if snippets && !whole_file {
                        place.snippet = text.as_deref().map(|t| snippet(t, f.span));
                    }
                    if let (Some(span), Some(src)) = (f.source_span, &f.source_file) {
                        if let (Some(index), Some(Some(t))) = (src_index.get(src.as_path()), sources.get(src.as_path()))
                        {
                            place.source_line = Some(index.position(span.start).line);
                            if snippets {
                                place.source_snippet = Some(snippet(t, span));
                            }
                        }
                    }
                    place
                })
                .collect()
        })
        .collect();
    placed.into_iter().flatten().collect()
}

fn read(path: &Path) -> Option<String> {
    std::fs::read(path).ok().and_then(|b| String::from_utf8(b).ok())
}

/// The line holding `span.start`, cut around the span when long, with the span marked.
pub fn snippet(text: &str, span: Span) -> Snippet {
    let floor = |mut i: usize| {
        i = i.min(text.len());
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let start = floor(span.start);
    let (line_start, line_end) = (crate::text::line_start(text, start), crate::text::line_end(text, start));
    let mut line = &text[line_start..line_end];
    let mut offset = line_start;
    if let Some(rest) = line.strip_prefix('\u{feff}') {
        offset += '\u{feff}'.len_utf8();
        line = rest;
    }
    let line = line.trim_end_matches('\r');
    // Both ends fall on character boundaries of `line`: they are boundaries of `text`
    // clamped to the line's ends.
    let mark_start = start.saturating_sub(offset).min(line.len());
    let mark_end = floor(span.end).saturating_sub(offset).clamp(mark_start, line.len());
    let skip = line[..mark_start].chars().count().saturating_sub(SNIPPET_BEFORE);
    let cut_start = line.char_indices().nth(skip).map_or(line.len(), |(i, _)| i);
    let cut_end = line[cut_start..].char_indices().nth(SNIPPET_WIDTH).map_or(line.len(), |(i, _)| cut_start + i);
    let lead = if cut_start > 0 { "…" } else { "" };
    let tail = if cut_end < line.len() { "…" } else { "" };
    let utf16 = |s: &str| s.encode_utf16().count();
    let from = utf16(lead) + utf16(&line[cut_start..mark_start.clamp(cut_start, cut_end)]);
    let to = utf16(lead) + utf16(&line[cut_start..mark_end.clamp(cut_start, cut_end)]);
    Snippet { text: format!("{lead}{}{tail}", &line[cut_start..cut_end]), mark: (from, to - from) }
}

/// Reads a previous `report --format json` output to compare with.
pub fn load_baseline(path: &Path) -> Result<Report, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: cannot read baseline: {e}", path.display()))?;
    let report: Report = serde_json::from_str(&text)
        .map_err(|e| format!("{}: not a `locdrift report --format json` output ({e})", path.display()))?;
    if report.version != 1 {
        return Err(format!("{}: report version {} is not supported (expected 1)", path.display(), report.version));
    }
    Ok(report)
}

/// What changed between a baseline report and this one, by locale, rule and file.
pub fn compare(baseline: &Report, current: &Report, baseline_name: &str) -> Changes {
    fn deltas(before: BTreeMap<String, usize>, after: BTreeMap<String, usize>, keep_equal: bool) -> Vec<Named<Delta>> {
        let names: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
        names
            .into_iter()
            .map(|n| Named {
                name: n.clone(),
                value: Delta { before: before.get(n).copied().unwrap_or(0), after: after.get(n).copied().unwrap_or(0) },
            })
            .filter(|d| keep_equal || d.value.before != d.value.after)
            .collect()
    }
    let locales = |r: &Report| r.locales.iter().map(|l| (l.locale.clone(), l.findings)).collect();
    let rules = |r: &Report| r.rules.iter().map(|x| (x.rule.clone(), x.findings)).collect();
    let files = |r: &Report| {
        let mut m: BTreeMap<String, usize> = BTreeMap::new();
        for f in &r.files {
            *m.entry(f.file.clone()).or_default() += f.findings;
        }
        m
    };
    let mut file_changes = deltas(files(baseline), files(current), false);
    file_changes.sort_by(|a, b| b.value.change().abs().cmp(&a.value.change().abs()).then(a.name.cmp(&b.name)));
    Changes {
        baseline: baseline_name.to_string(),
        findings: Delta { before: baseline.totals.findings, after: current.totals.findings },
        by_locale: deltas(locales(baseline), locales(current), true),
        by_rule: deltas(rules(baseline), rules(current), false),
        files: file_changes,
    }
}

/// `--format json`.
pub fn to_json(report: &Report) -> String {
    let mut out = serde_json::to_string_pretty(report).expect("a report serializes");
    out.push('\n');
    out
}

/// A signed count for humans: `+2`, `−1` (a true minus sign), `0`.
pub fn signed(n: i64) -> String {
    match n {
        0 => "0".to_string(),
        n if n > 0 => format!("+{n}"),
        n => format!("−{}", -n),
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::check::{LocaleCounts, Summary};

    fn translation(locale: &str, path: &str) -> Translation {
        Translation {
            locale: locale.into(),
            file: PathBuf::from(format!("{locale}/{path}")),
            source_file: PathBuf::from(format!("en-us/{path}")),
            path: path.into(),
            orphan: false,
        }
    }

    fn finding(rule: RuleId, locale: &str, path: &str) -> Finding {
        let mut f = Finding::new(rule, Span::new(0, 1), "m");
        f.locale = Some(locale.into());
        f.file = PathBuf::from(format!("{locale}/{path}"));
        f
    }

    /// `stale-translation` is counted by name, so a stale file is stale whatever else
    /// it has; up to date + stale + missing = the sources of the locale.
    #[test]
    fn stale_translations_are_counted_by_rule_name() {
        let mut summary = Summary { sources: 3, translations: 2, missing_translations: 1, ..Summary::default() };
        summary.locales = vec!["sv-se".into()];
        summary.by_locale.insert("sv-se".into(), LocaleCounts { translations: 2, missing: 1, orphans: 0 });
        let outcome = Outcome {
            findings: vec![
                finding(STALE_RULE, "sv-se", "articles/a.md"),
                finding(RuleId::StaleLink, "sv-se", "articles/a.md"),
                finding(RuleId::StaleLink, "sv-se", "articles/b.md"),
            ],
            summary,
            translations: vec![translation("sv-se", "articles/a.md"), translation("sv-se", "articles/b.md")],
            fail_on: None,
        };
        let r = build(&outcome, &Options { top: 10 });
        let sv = &r.locales[0];
        assert_eq!((sv.up_to_date, sv.stale, sv.missing), (1, 1, 1));
        assert_eq!((sv.files_with_findings, sv.findings), (2, 3));
        assert_eq!(sv.by_rule.get(STALE_RULE.name()), Some(&1));
        assert_eq!((r.totals.up_to_date, r.totals.stale), (1, 1));
    }

    /// Microsoft Learn keeps everything under `articles/`: the heatmap goes one level
    /// down rather than showing a single column.
    #[test]
    fn folders_descend_while_all_files_share_one() {
        let ts = vec![
            translation("sv-se", "articles/ml/a.md"),
            translation("sv-se", "articles/storage/b.md"),
            translation("sv-se", "articles/storage/deep/c.md"),
        ];
        let f = folders(&ts);
        let names: BTreeSet<&str> = f.values().map(String::as_str).collect();
        assert_eq!(names, ["articles/ml", "articles/storage"].into_iter().collect());
        let ts = vec![translation("de", "index.md"), translation("de", "guide/a.md")];
        let f = folders(&ts);
        assert_eq!(f[Path::new("de/index.md")], TOP_LEVEL);
        assert_eq!(f[Path::new("de/guide/a.md")], "guide");
    }

    #[test]
    fn many_folders_keep_the_largest() {
        let mut ts = Vec::new();
        for i in 0..(MAX_FOLDERS + 5) {
            for j in 0..=(i % 3) {
                ts.push(translation("fr", &format!("f{i:02}/{j}.md")));
            }
        }
        let f = folders(&ts);
        let names: BTreeSet<&str> = f.values().map(String::as_str).collect();
        assert_eq!(names.len(), MAX_FOLDERS);
        assert!(names.contains(OTHER_FOLDERS));
    }

    #[test]
    fn snippets_mark_the_span_in_utf16_units() {
        let text = "---\ntitle: x\n---\n| 日本 | [a](b.md) |\n";
        let at = text.find("[a]").unwrap();
        let s = snippet(text, Span::new(at, at + 9));
        assert_eq!(s.text, "| 日本 | [a](b.md) |");
        let marked: String = s.text.encode_utf16().skip(s.mark.0).take(s.mark.1).map(|u| u as u8 as char).collect();
        assert_eq!(marked, "[a](b.md)");
    }

    #[test]
    fn long_lines_are_cut_around_the_span() {
        let line = format!("{}TARGET{}", "a".repeat(300), "b".repeat(300));
        let at = line.find("TARGET").unwrap();
        let s = snippet(&line, Span::new(at, at + 6));
        assert!(s.text.starts_with('…') && s.text.ends_with('…'), "{}", s.text);
        assert_eq!(s.text.chars().count(), SNIPPET_WIDTH + 2);
        let units: Vec<u16> = s.text.encode_utf16().collect();
        assert_eq!(String::from_utf16(&units[s.mark.0..s.mark.0 + s.mark.1]).unwrap(), "TARGET");
    }

    #[test]
    fn spans_past_the_line_are_clipped() {
        let text = "first line\r\nsecond";
        let s = snippet(text, Span::new(6, 15));
        assert_eq!(s.text, "first line");
        assert_eq!(s.mark, (6, 4));
    }
}
