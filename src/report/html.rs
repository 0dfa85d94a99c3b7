//! `report --html OUT.html`: one self-contained page (inline CSS and JavaScript, no
//! external asset, no network) with a heatmap of locales by folder, the status of each
//! locale, findings by rule, and a sortable, filterable, paginated table of files whose
//! findings show the source and translation lines side by side.
//!
//! Rust does the counting (`Report`) and places every finding (line, snippets); the page
//! embeds that as one JSON document and its script only filters, sorts and shows one
//! page of rows at a time, so a tree of 100,000 files stays responsive. Rows are arrays,
//! not objects, to keep the page small; the layout of each is documented in `page.html`.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use serde_json::{json, Value};

use super::{locate, Place, Report, Snippet};
use crate::check::Outcome;
use crate::finding::{Finding, Severity};
use crate::render::show_path;

const PAGE: &str = include_str!("page.html");

/// The page carries the details of at most this many findings (messages, snippets),
/// files in path order; every file is still listed with its counts and rules. Details
/// weigh about 450 bytes a finding when every file differs. Measured on a generated
/// tree of 102,400 files (74,400 translations, 434,000 findings): a 14 MB page that
/// headless Chromium loads and draws in about 5 s; with 50,000 details it was 29 MB.
pub const MAX_DETAILED: usize = 25_000;

/// Renders the page. `out_dir` is where it will be written: links to files are relative
/// to it, so the page works when opened from disk next to the tree.
pub fn render(report: &Report, outcome: &Outcome, out_dir: &Path, title: &str) -> String {
    render_with(report, outcome, out_dir, title, MAX_DETAILED)
}

/// `render` with another detail budget (tests use a small one).
pub fn render_with(report: &Report, outcome: &Outcome, out_dir: &Path, title: &str, max_detailed: usize) -> String {
    let data = data(report, outcome, out_dir, title, max_detailed);
    // `<` never appears raw inside the script element, so no text of a document can end
    // it early (`</script>` in a message); JSON.parse reads the escape back.
    let json = serde_json::to_string(&data).expect("report data serializes").replace('<', "\\u003c");
    PAGE.replacen("{{TITLE}}", &escape(title), 1).replacen("{{DATA}}", &json, 1)
}

/// The embedded document (also what tests read back from the page).
pub fn data(report: &Report, outcome: &Outcome, out_dir: &Path, title: &str, max_detailed: usize) -> Value {
    let locales: Vec<&str> = report.locales.iter().map(|l| l.locale.as_str()).collect();
    let locale_index: HashMap<&str, usize> = locales.iter().enumerate().map(|(i, l)| (*l, i)).collect();
    let folder_index: HashMap<&str, usize> =
        report.heatmap.folders.iter().enumerate().map(|(i, f)| (f.as_str(), i)).collect();
    let rule_index: HashMap<&str, usize> = report.rules.iter().enumerate().map(|(i, r)| (r.rule.as_str(), i)).collect();

    // The findings of each file row, in the order the rows are listed.
    let file_index: HashMap<(&str, Option<&str>), usize> =
        report.files.iter().enumerate().map(|(i, f)| ((f.file.as_str(), f.locale.as_deref()), i)).collect();
    let mut per_file: Vec<Vec<&Finding>> = vec![Vec::new(); report.files.len()];
    let shown: Vec<String> = outcome.findings.iter().map(|f| show_path(&f.file)).collect();
    for (f, path) in outcome.findings.iter().zip(&shown) {
        if let Some(&i) = file_index.get(&(path.as_str(), f.locale.as_deref())) {
            per_file[i].push(f);
        }
    }
    // Whole files only: a file is detailed with all its findings or listed with counts.
    let mut budget = max_detailed;
    let detailed_files = per_file
        .iter()
        .take_while(|mine| {
            let fits = mine.len() <= budget;
            budget = budget.saturating_sub(mine.len());
            fits
        })
        .count();
    let ordered: Vec<&Finding> = per_file[..detailed_files].iter().flatten().copied().collect();
    let places = locate(&ordered, true);

    let mut strings = Strings::default();
    let mut files = Vec::with_capacity(report.files.len());
    let mut findings = Vec::with_capacity(ordered.len());
    for (i, (file, mine)) in report.files.iter().zip(&per_file).enumerate() {
        let first = if i < detailed_files { findings.len() as i64 } else { -1 };
        if i < detailed_files {
            for f in mine {
                findings.push(finding_row(f, &places[findings.len()], &rule_index, &mut strings));
            }
        }
        let rules: Vec<usize> =
            file.by_rule.iter().flat_map(|(r, n)| [rule_index.get(r.as_str()).copied().unwrap_or(0), *n]).collect();
        files.push(json!([
            file.file,
            file.locale.as_deref().and_then(|l| locale_index.get(l)).map_or(-1, |&i| i as i64),
            file.folder.as_deref().and_then(|f| folder_index.get(f)).map_or(-1, |&i| i as i64),
            file.source_file.as_deref().map_or(-1, |s| strings.get(s) as i64),
            file.errors,
            file.warnings,
            file.infos,
            first,
            file.findings,
            rules,
        ]));
    }

    let rules: Vec<Value> = report
        .rules
        .iter()
        .map(|r| {
            let summary = crate::catalog::get(&r.rule).map(|d| d.summary.as_str()).unwrap_or("");
            json!({"rule": r.rule, "code": r.code, "severity": r.severity, "summary": summary,
                   "findings": r.findings, "by_locale": r.by_locale})
        })
        .collect();
    json!({
        "version": 1,
        "title": title,
        "base": link_base(out_dir),
        "totals": report.totals,
        "locales": report.locales,
        "rules": rules,
        "heatmap": report.heatmap,
        "files": files,
        "findings": findings,
        "strings": strings.list,
        "without_details": report.totals.findings.saturating_sub(ordered.len()),
    })
}

/// Texts that repeat (help, source lines shared by every locale, source paths) are
/// stored once; rows refer to them by index.
#[derive(Default)]
struct Strings {
    list: Vec<String>,
    index: HashMap<String, usize>,
}

impl Strings {
    fn get(&mut self, s: &str) -> usize {
        if let Some(&i) = self.index.get(s) {
            return i;
        }
        self.list.push(s.to_string());
        self.index.insert(s.to_string(), self.list.len() - 1);
        self.list.len() - 1
    }

    fn opt(&mut self, s: Option<&str>) -> i64 {
        s.filter(|s| !s.is_empty()).map_or(-1, |s| self.get(s) as i64)
    }
}

/// `[rule, severity (0 error, 1 warning, 2 info), line, column, message, help,
///   snippet, mark start, mark length, source line, source snippet, mark start, mark length]`
/// with texts as indices into `strings` (-1: none) and 0 for an unknown source line.
fn finding_row(f: &Finding, place: &Place, rule_index: &HashMap<&str, usize>, strings: &mut Strings) -> Value {
    let severity = match f.severity {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Info => 2,
    };
    let text = |s: &Option<Snippet>, strings: &mut Strings| match s {
        Some(s) => (strings.opt(Some(&s.text)), s.mark.0, s.mark.1),
        None => (-1, 0, 0),
    };
    let tr = text(&place.snippet, strings);
    let src = text(&place.source_snippet, strings);
    json!([
        rule_index.get(f.rule.name()).copied().unwrap_or(0),
        severity,
        place.line,
        place.column,
        strings.get(&f.message),
        strings.opt(f.help.as_deref()),
        tr.0,
        tr.1,
        tr.2,
        place.source_line.unwrap_or(0),
        src.0,
        src.1,
        src.2,
    ])
}

/// The URL prefix from the page to the directory shown paths are relative to (the
/// working directory), so a link is prefix + path; empty when the page is written there.
fn link_base(out_dir: &Path) -> String {
    let dir = if out_dir.as_os_str().is_empty() { Path::new(".") } else { out_dir };
    match (dir.canonicalize(), std::env::current_dir().and_then(|d| d.canonicalize())) {
        (Ok(page), Ok(cwd)) => {
            let rel = show_path(&relative(&page, &cwd));
            if rel.is_empty() {
                String::new()
            } else {
                format!("{}/", encode(&rel))
            }
        }
        _ => String::new(),
    }
}

/// The path from directory `from` to `to`, both absolute.
fn relative(from: &Path, to: &Path) -> PathBuf {
    let a: Vec<Component> = from.components().collect();
    let b: Vec<Component> = to.components().collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut out = PathBuf::new();
    for _ in common..a.len() {
        out.push("..");
    }
    for c in &b[common..] {
        out.push(c.as_os_str());
    }
    out
}

/// Percent-encodes what a URL path cannot hold as is.
fn encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_climb_and_descend() {
        assert_eq!(relative(Path::new("/a/b/out"), Path::new("/a/b/c/d")), PathBuf::from("../c/d"));
        assert_eq!(relative(Path::new("/a"), Path::new("/a")), PathBuf::new());
        assert_eq!(encode("sv-se/a b#c.md"), "sv-se/a%20b%23c.md");
        assert_eq!(encode("ja-jp/日.md"), "ja-jp/%E6%97%A5.md");
    }
}
