//! `--format junit`: JUnit XML, one test case per checked file pair, for CI systems that
//! show test reports (GitLab `artifacts:reports:junit`, Jenkins, Azure Pipelines).
//!
//! One `<testsuite>` per locale; each translation is a `<testcase>` named after its path
//! (classname = locale), passing when it has no finding and failing with one line per
//! finding otherwise. Findings about a file that is not a checked translation (a source
//! that cannot be read, a missing translation) get a test case of their own. No times:
//! the output is the same on every run.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::check::Summary;
use crate::finding::Finding;
use crate::render::{show_path, Sources};

#[derive(Default)]
struct Case<'a> {
    source: Option<PathBuf>,
    findings: Vec<&'a Finding>,
}

pub fn render(findings: &[Finding], summary: &Summary, sources: &Sources) -> String {
    // (locale, file) -> case, so suites and cases come out sorted.
    let mut cases: BTreeMap<(String, PathBuf), Case> = BTreeMap::new();
    for p in &summary.pairs {
        cases
            .insert((p.locale.clone(), p.translation.clone()), Case { source: p.source.clone(), findings: Vec::new() });
    }
    for f in findings {
        let locale = f.locale.clone().unwrap_or_default();
        let case = cases.entry((locale, f.file.clone())).or_default();
        if case.source.is_none() {
            case.source = f.source_file.clone();
        }
        case.findings.push(f);
    }
    let mut suites: BTreeMap<&str, Vec<(&PathBuf, &Case)>> = BTreeMap::new();
    for ((locale, file), case) in &cases {
        suites.entry(locale.as_str()).or_default().push((file, case));
    }
    let failures = cases.values().filter(|c| !c.findings.is_empty()).count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"locdrift\" tests=\"{}\" failures=\"{failures}\" errors=\"0\">\n",
        cases.len()
    ));
    for (locale, members) in suites {
        let name = if locale.is_empty() { "locdrift" } else { locale };
        let failed = members.iter().filter(|(_, c)| !c.findings.is_empty()).count();
        out.push_str(&format!(
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failed}\" errors=\"0\" skipped=\"0\">\n",
            escape(name),
            members.len()
        ));
        for (file, case) in members {
            let path = show_path(file);
            out.push_str(&format!(
                "    <testcase name=\"{}\" classname=\"{}\" file=\"{}\"",
                escape(&path),
                escape(name),
                escape(&path)
            ));
            if case.findings.is_empty() {
                out.push_str("/>\n");
                continue;
            }
            out.push_str(">\n");
            let n = case.findings.len();
            let against = case.source.as_ref().map(|s| format!(" against {}", show_path(s))).unwrap_or_default();
            let mut body = String::new();
            for f in &case.findings {
                let pos = sources.position(&f.file, f.span.start);
                body.push_str(&format!(
                    "{path}:{}:{}: {} [{}] {}\n",
                    pos.line,
                    pos.column,
                    f.rule,
                    f.severity.as_str(),
                    f.message
                ));
            }
            out.push_str(&format!(
                "      <failure message=\"{}\" type=\"drift\">{}</failure>\n",
                escape(&format!("{n} {}{against}", if n == 1 { "finding" } else { "findings" })),
                escape(&body)
            ));
            out.push_str("    </testcase>\n");
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

/// Escapes text for an XML attribute or element; characters XML 1.0 cannot carry at all
/// (most control characters) become U+FFFD.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}
