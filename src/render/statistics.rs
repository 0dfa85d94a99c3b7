//! `--statistics`: how many findings per rule and per locale, instead of the findings.
//!
//! As text, two aligned tables sorted by count (then name), the way ruff prints its
//! statistics; with `--format json`, the same as an object
//! `{"rules":[{"rule","code","count","fixable"}],"locales":[{"locale","count"}]}`.

use std::collections::BTreeMap;

use serde_json::json;

use crate::finding::Finding;

/// One rule's count.
pub struct Row<'a> {
    pub rule: &'a str,
    pub code: &'a str,
    pub count: usize,
    pub fixable: usize,
}

/// Findings per rule and per locale, most first (then by code or name).
pub fn counts(findings: &[Finding]) -> (Vec<Row<'_>>, Vec<(&str, usize)>) {
    let mut by_rule: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut by_locale: BTreeMap<&str, usize> = BTreeMap::new();
    for f in findings {
        let e = by_rule.entry(f.rule.name()).or_default();
        e.0 += 1;
        if f.fix.as_ref().is_some_and(|x| x.safe) {
            e.1 += 1;
        }
        *by_locale.entry(f.locale.as_deref().unwrap_or("-")).or_default() += 1;
    }
    let mut rules: Vec<Row> = by_rule
        .into_iter()
        .map(|(rule, (count, fixable))| Row {
            rule,
            code: crate::catalog::head(rule).map_or("", |h| h.code),
            count,
            fixable,
        })
        .collect();
    rules.sort_by(|a, b| b.count.cmp(&a.count).then(a.code.cmp(b.code)).then(a.rule.cmp(b.rule)));
    let mut locales: Vec<(&str, usize)> = by_locale.into_iter().collect();
    locales.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    (rules, locales)
}

pub fn render(findings: &[Finding], as_json: bool) -> String {
    let (rules, locales) = counts(findings);
    if as_json {
        let doc = json!({
            "rules": rules.iter().map(|r| json!({"rule": r.rule, "code": r.code, "count": r.count, "fixable": r.fixable})).collect::<Vec<_>>(),
            "locales": locales.iter().map(|(l, n)| json!({"locale": l, "count": n})).collect::<Vec<_>>(),
        });
        let mut out = serde_json::to_string_pretty(&doc).expect("JSON values serialize");
        out.push('\n');
        return out;
    }
    let width = rules.iter().map(|r| r.rule.len()).max().unwrap_or(4).max(4);
    let mut out = format!("{:>5}  {:<5}  {:<width$}  fixable\n", "count", "code", "rule");
    for r in &rules {
        out.push_str(&format!("{:>5}  {:<5}  {:<width$}  {}\n", r.count, r.code, r.rule, r.fixable));
    }
    out.push('\n');
    out.push_str(&format!("{:>5}  locale\n", "count"));
    for (locale, n) in &locales {
        out.push_str(&format!("{n:>5}  {locale}\n"));
    }
    out
}
