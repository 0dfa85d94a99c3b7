//! `--format json`: the stable machine format of DESIGN.md.
//!
//! One object: `{"version":1,"findings":[...],"summary":{...}}`. Each finding has
//! `rule` (name), `code`, `severity`, `kind` (`drift`: differs from the source, or
//! `defect`: wrong in the translation alone), `message`, `file` (the translation), `locale`,
//! `source_file`, `line` and `column` (1-based, column in Unicode scalar values), `span`
//! (`{"offset","length"}` in bytes), and when known `source_span` (same shape, plus
//! `line` and `column` in the source), `help` and `fix`
//! (`{"offset","length","replacement","applicability":"safe"|"unsafe"}`).
//! The summary counts files, pairs, orphans, missing translations and findings by
//! severity, by kind and by rule. Fields are only ever added, never renamed.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{json, Value};

use crate::check::Summary;
use crate::finding::Finding;
use crate::render::{show_path, Sources};

pub fn render(findings: &[Finding], summary: &Summary, sources: &Sources) -> String {
    let doc = Document {
        version: 1,
        findings: findings.iter().map(|f| finding(f, sources)).collect(),
        summary: summary_value(findings, summary),
    };
    let mut out = serde_json::to_string_pretty(&doc).expect("JSON values serialize");
    out.push('\n');
    out
}

/// The output, in the order of its fields. Typed rather than built as `Value`s: a large
/// run has thousands of findings, and a map per finding took longer than the rest of
/// rendering.
#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    findings: Vec<Item<'a>>,
    summary: Value,
}

#[derive(Serialize)]
struct Item<'a> {
    rule: &'a str,
    code: &'a str,
    severity: &'a str,
    kind: &'static str,
    message: &'a str,
    file: String,
    locale: &'a Option<String>,
    source_file: Option<String>,
    line: usize,
    column: usize,
    span: Place,
    #[serde(skip_serializing_if = "Option::is_none")]
    source_span: Option<SourcePlace>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<Edit<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sync: Option<&'a crate::finding::SyncInfo>,
}

#[derive(Serialize)]
struct Place {
    offset: usize,
    length: usize,
}

#[derive(Serialize)]
struct SourcePlace {
    offset: usize,
    length: usize,
    line: usize,
    column: usize,
}

#[derive(Serialize)]
struct Edit<'a> {
    offset: usize,
    length: usize,
    replacement: &'a str,
    applicability: &'static str,
}

fn finding<'a>(f: &'a Finding, sources: &Sources) -> Item<'a> {
    let pos = sources.position(&f.file, f.span.start);
    Item {
        rule: f.rule.name(),
        code: f.rule.code(),
        severity: f.severity.as_str(),
        kind: crate::catalog::kind(f.rule.name()),
        message: &f.message,
        file: show_path(&f.file),
        locale: &f.locale,
        source_file: f.source_file.as_deref().map(show_path),
        line: pos.line,
        column: pos.column,
        span: Place { offset: f.span.start, length: f.span.len() },
        source_span: f.source_span.zip(f.source_file.as_deref()).map(|(span, src)| {
            let p = sources.position(src, span.start);
            SourcePlace { offset: span.start, length: span.len(), line: p.line, column: p.column }
        }),
        help: f.help.as_deref(),
        fix: f.fix.as_ref().map(|fix| Edit {
            offset: fix.span.start,
            length: fix.span.len(),
            replacement: &fix.replacement,
            applicability: if fix.safe { "safe" } else { "unsafe" },
        }),
        sync: f.sync.as_ref(),
    }
}

fn summary_value(findings: &[Finding], summary: &Summary) -> Value {
    let mut by_rule: BTreeMap<&str, usize> = BTreeMap::new();
    let mut by_severity: BTreeMap<&str, usize> = [("error", 0), ("warning", 0), ("info", 0)].into_iter().collect();
    let mut by_locale: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_kind: BTreeMap<&str, usize> = [("drift", 0), ("defect", 0)].into_iter().collect();
    for f in findings {
        *by_kind.entry(crate::catalog::kind(f.rule.name())).or_default() += 1;
        *by_rule.entry(f.rule.name()).or_default() += 1;
        *by_severity.entry(f.severity.as_str()).or_default() += 1;
        if let Some(l) = &f.locale {
            *by_locale.entry(l.clone()).or_default() += 1;
        }
    }
    json!({
        "files": summary.files,
        "sources": summary.sources,
        "translations": summary.translations,
        "orphans": summary.orphans,
        "missing_translations": summary.missing_translations,
        "locales": summary.locales,
        "findings": findings.len(),
        "by_severity": by_severity,
        "by_kind": by_kind,
        "by_rule": by_rule,
        "by_locale": by_locale,
        "history": summary.history.as_str(),
    })
}
