//! `--format gitlab`: a GitLab Code Quality report (`artifacts:reports:codequality`).
//!
//! A JSON array of issues in GitLab's subset of the Code Climate format:
//! `description`, `check_name` (the rule), `fingerprint`, `severity`
//! (`major` for errors, `minor` for warnings, `info`) and `location.path` +
//! `location.lines.begin`. GitLab compares reports of the base and the merge request by
//! fingerprint, so it is made from the structural key, not the line; findings that share
//! a key are numbered so every fingerprint stays unique.

use std::collections::HashMap;

use serde_json::{json, Value};

use crate::finding::{stable_hash, Finding, Severity};
use crate::render::{show_path, Sources};

pub fn render(findings: &[Finding], sources: &Sources) -> String {
    let mut seen: HashMap<u64, usize> = HashMap::new();
    let issues: Vec<Value> = findings
        .iter()
        .map(|f| {
            let path = show_path(&f.file);
            let source = f.source_file.as_deref().map(show_path).unwrap_or_default();
            let base = stable_hash(&[f.rule.name(), &path, &source, f.identity()]);
            let nth = seen.entry(base).or_default();
            *nth += 1;
            let fingerprint = stable_hash(&[&format!("{base:016x}"), &nth.to_string()]);
            let line = sources.position(&f.file, f.span.start).line;
            json!({
                "description": f.message,
                "check_name": f.rule,
                "fingerprint": format!("{fingerprint:016x}"),
                "severity": match f.severity {
                    Severity::Error => "major",
                    Severity::Warning => "minor",
                    Severity::Info => "info",
                },
                "location": {"path": path, "lines": {"begin": line}},
            })
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&issues).expect("JSON values serialize");
    out.push('\n');
    out
}
