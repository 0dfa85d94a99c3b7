//! `--format json`: the stable machine format of DESIGN.md.
//!
//! One object: `{"version":1,"findings":[...],"summary":{...}}`. Each finding has
//! `rule` (name), `code`, `severity`, `message`, `file` (the translation), `locale`,
//! `source_file`, `line` and `column` (1-based, column in Unicode scalar values), `span`
//! (`{"offset","length"}` in bytes), and when known `source_span` (same shape, plus
//! `line` and `column` in the source), `help` and `fix`
//! (`{"offset","length","replacement","applicability":"safe"|"unsafe"}`).
//! The summary counts files, pairs, orphans, missing translations and findings by
//! severity and by rule. Fields are only ever added, never renamed.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use crate::check::Summary;
use crate::finding::Finding;
use crate::render::{show_path, Sources};

pub fn render(findings: &[Finding], summary: &Summary, sources: &Sources) -> String {
    let items: Vec<Value> = findings.iter().map(|f| finding(f, sources)).collect();
    let doc = json!({
        "version": 1,
        "findings": items,
        "summary": summary_value(findings, summary),
    });
    let mut out = serde_json::to_string_pretty(&doc).expect("JSON values serialize");
    out.push('\n');
    out
}

pub fn finding(f: &Finding, sources: &Sources) -> Value {
    let pos = sources.position(&f.file, f.span.start);
    let mut m = Map::new();
    m.insert("rule".into(), json!(f.rule));
    m.insert("code".into(), json!(crate::catalog::get(f.rule).map(|d| d.code.as_str()).unwrap_or("")));
    m.insert("severity".into(), json!(f.severity.as_str()));
    m.insert("message".into(), json!(f.message));
    m.insert("file".into(), json!(show_path(&f.file)));
    m.insert("locale".into(), json!(f.locale));
    m.insert("source_file".into(), json!(f.source_file.as_deref().map(show_path)));
    m.insert("line".into(), json!(pos.line));
    m.insert("column".into(), json!(pos.column));
    m.insert("span".into(), json!({"offset": f.span.start, "length": f.span.len()}));
    if let (Some(span), Some(src)) = (f.source_span, &f.source_file) {
        let p = sources.position(src, span.start);
        m.insert(
            "source_span".into(),
            json!({"offset": span.start, "length": span.len(), "line": p.line, "column": p.column}),
        );
    }
    if let Some(help) = &f.help {
        m.insert("help".into(), json!(help));
    }
    if let Some(fix) = &f.fix {
        m.insert(
            "fix".into(),
            json!({
                "offset": fix.span.start,
                "length": fix.span.len(),
                "replacement": fix.replacement,
                "applicability": if fix.safe { "safe" } else { "unsafe" },
            }),
        );
    }
    Value::Object(m)
}

fn summary_value(findings: &[Finding], summary: &Summary) -> Value {
    let mut by_rule: BTreeMap<&str, usize> = BTreeMap::new();
    let mut by_severity: BTreeMap<&str, usize> = [("error", 0), ("warning", 0), ("info", 0)].into_iter().collect();
    let mut by_locale: BTreeMap<String, usize> = BTreeMap::new();
    for f in findings {
        *by_rule.entry(f.rule).or_default() += 1;
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
        "by_rule": by_rule,
        "by_locale": by_locale,
    })
}
