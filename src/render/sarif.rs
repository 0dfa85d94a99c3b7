//! `--format sarif`: SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
//!
//! One run. `tool.driver.rules` lists the whole catalogue (`rules/catalog.yaml`), so a
//! viewer can explain a rule that did not fire in this run too; each result points at
//! the translation (`locations`) and, when the finding has one, at the corresponding
//! place in the source (`relatedLocations`). Columns are UTF-16 code units
//! (`columnKind`), as GitHub expects; byte offsets are given beside them. Each result
//! carries a `partialFingerprints` entry made from the finding's structural key, so code
//! scanning keeps tracking an alert when lines above it move. Fixes are SARIF `fixes`.
//! Validated against the OASIS schema in `tests/it/formats.rs`.

use serde_json::{json, Map, Value};

use crate::catalog;
use crate::finding::{Finding, Severity, Span};
use crate::render::{show_path, Sources};

pub const SCHEMA: &str = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

pub fn render(findings: &[Finding], sources: &Sources) -> String {
    let rules: Vec<Value> = catalog::all().iter().map(rule).collect();
    let results: Vec<Value> = findings.iter().map(|f| result(f, sources)).collect();
    let doc = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "locdrift",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }
            },
            "columnKind": "utf16CodeUnits",
            "results": results,
        }],
    });
    let mut out = serde_json::to_string_pretty(&doc).expect("JSON values serialize");
    out.push('\n');
    out
}

fn rule(doc: &catalog::RuleDoc) -> Value {
    json!({
        "id": doc.name,
        "name": pascal_case(&doc.name),
        "shortDescription": {"text": doc.summary.trim()},
        "fullDescription": {"text": doc.why.trim()},
        "help": {"text": catalog::explain(doc), "markdown": catalog::explain(doc)},
        "defaultConfiguration": {"level": level(doc.default_severity()), "enabled": doc.enabled},
        "properties": {"code": doc.code, "kind": doc.kind, "tags": ["localization", "documentation", doc.kind]},
    })
}

fn result(f: &Finding, sources: &Sources) -> Value {
    let mut m = Map::new();
    m.insert("ruleId".into(), json!(f.rule));
    if let Some(i) = catalog::all().iter().position(|d| d.name == f.rule.name()) {
        m.insert("ruleIndex".into(), json!(i));
    }
    m.insert("level".into(), json!(level(f.severity)));
    let text = match &f.help {
        Some(help) => format!("{}\n{help}", f.message),
        None => f.message.clone(),
    };
    m.insert("message".into(), json!({"text": text}));
    m.insert("locations".into(), json!([{"physicalLocation": physical(&f.file, f.span, sources)}]));
    if let (Some(span), Some(src)) = (f.source_span, &f.source_file) {
        m.insert(
            "relatedLocations".into(),
            json!([{
                "id": 0,
                "message": {"text": "the corresponding place in the source"},
                "physicalLocation": physical(src, span, sources),
            }]),
        );
    }
    let source = f.source_file.as_deref().map(show_path).unwrap_or_default();
    let fingerprint = crate::finding::stable_hash(&[f.rule.name(), &show_path(&f.file), &source, f.identity()]);
    m.insert("partialFingerprints".into(), json!({"locdriftKey/v1": format!("{fingerprint:016x}")}));
    if let Some(fix) = &f.fix {
        m.insert(
            "fixes".into(),
            json!([{
                "description": {"text": if fix.safe { "safe fix (--fix)" } else { "unsafe fix (--unsafe-fixes)" }},
                "artifactChanges": [{
                    "artifactLocation": {"uri": uri(&show_path(&f.file))},
                    "replacements": [{
                        "deletedRegion": {"byteOffset": fix.span.start, "byteLength": fix.span.len()},
                        "insertedContent": {"text": fix.replacement},
                    }],
                }],
            }]),
        );
    }
    m.insert(
        "properties".into(),
        json!({"code": f.rule.code(), "kind": catalog::kind(f.rule.name()), "locale": f.locale}),
    );
    Value::Object(m)
}

fn physical(path: &std::path::Path, span: Span, sources: &Sources) -> Value {
    let start = sources.position(path, span.start);
    let end = sources.position(path, span.end);
    json!({
        "artifactLocation": {"uri": uri(&show_path(path))},
        "region": {
            "startLine": start.line,
            "startColumn": start.utf16,
            "endLine": end.line,
            "endColumn": end.utf16,
            "byteOffset": span.start,
            "byteLength": span.len(),
        },
    })
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A path as a URI reference: relative paths stay relative (GitHub resolves them against
/// the repository root), absolute ones become `file://` URIs; every byte outside the
/// unreserved set and `/` is percent-encoded (spaces, non-ASCII file names).
pub fn uri(path: &str) -> String {
    let mut out = String::new();
    let (prefix, rest) = if path.starts_with('/') {
        ("file://", path)
    } else if path.len() > 2 && path.as_bytes()[1] == b':' {
        // A Windows drive path shown with forward slashes: `C:/docs/a.md`.
        ("file:///", path)
    } else {
        ("", path)
    };
    out.push_str(prefix);
    for (i, b) in rest.bytes().enumerate() {
        let keep = b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') || (i == 1 && b == b':');
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn pascal_case(name: &str) -> String {
    name.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next().map(|f| f.to_uppercase().chain(c).collect::<String>()).unwrap_or_default()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(uri("sv-se/includes/a b.md"), "sv-se/includes/a%20b.md");
        assert_eq!(uri("ja-jp/日本.md"), "ja-jp/%E6%97%A5%E6%9C%AC.md");
        assert_eq!(uri("/tmp/x#1.md"), "file:///tmp/x%231.md");
        assert_eq!(uri("C:/docs/a.md"), "file:///C:/docs/a.md");
    }
}
