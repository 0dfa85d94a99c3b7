//! Fixes checked before anyone sees them: a fix is offered only if the page, fixed, has no
//! finding it did not have (`verify`, which `engine::lint` runs), and the in-memory
//! application of fixes that `--fix` writes (`apply`).

use crate::finding::{Finding, Fix};
use crate::rule_id::RuleId;

/// Applies non-overlapping fixes to a text; returns the new text and how many applied.
pub fn apply(text: &str, fixes: &[&Fix]) -> (String, usize) {
    let mut sorted: Vec<&Fix> = fixes.to_vec();
    // Stable: insertions at one place keep the order the rules reported them in.
    sorted.sort_by_key(|f| (f.span.start, f.span.end));
    sorted.dedup_by(|a, b| a == b);
    let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    let mut applied = 0;
    for fix in sorted {
        let (start, end) = (fix.span.start, fix.span.end);
        let valid = start >= at && end <= text.len() && text.is_char_boundary(start) && text.is_char_boundary(end);
        if !valid {
            continue;
        }
        out.push_str(&text[at..start]);
        out.push_str(&with_line_ending(&fix.replacement, eol));
        at = end;
        applied += 1;
    }
    out.push_str(&text[at..]);
    (out, applied)
}

/// How many fixes of one file are tried one by one when applying them together would
/// make a new finding; past this, the rest are not offered.
const TRIED_ALONE: usize = 64;

/// Keeps only fixes that cannot break the page: with a fix applied, the translation
/// must have no finding it did not have before, of any rule `relint` runs (a retargeted
/// link that does not resolve is a new `broken-link` or `broken-anchor`). The fixes are
/// applied in memory, together as `--unsafe-fixes` would and the safe ones as `--fix`
/// would, and the text linted again; if that makes a new finding, each fix is tried
/// alone, and one that makes a finding, alone or in the company of the file's other
/// fixes, is withdrawn, with the reason in `help`. `--fix`, `--unsafe-fixes` and the
/// editor's code actions all read the result (`engine::lint` calls this).
///
/// `baseline` is what `relint` finds in the text as it is (the findings themselves when
/// `relint` runs the same rules).
pub fn verify(findings: &mut [Finding], baseline: &[Finding], text: &str, relint: impl Fn(&str) -> Vec<Finding>) {
    let with_fix: Vec<usize> = (0..findings.len()).filter(|&k| findings[k].fix.is_some()).collect();
    if with_fix.is_empty() {
        return;
    }
    let mut before: std::collections::HashMap<(RuleId, String), usize> = std::collections::HashMap::new();
    for f in baseline {
        *before.entry((f.rule, f.identity().to_string())).or_default() += 1;
    }
    // The first finding the fixes make that the text did not have.
    let new_finding = |fixes: &[&Fix]| -> Option<Finding> {
        let (after, _) = apply(text, fixes);
        if after == text {
            return None;
        }
        let mut left = before.clone();
        relint(&after).into_iter().find(|f| {
            let n = left.entry((f.rule, f.identity().to_string())).or_default();
            let new = *n == 0;
            *n = n.saturating_sub(1);
            new
        })
    };
    let fixes = |findings: &[Finding], safe_only: bool| -> Vec<Fix> {
        findings.iter().filter_map(|f| f.fix.clone()).filter(|x| x.safe || !safe_only).collect()
    };
    let made = |fixes: &[Fix]| new_finding(&fixes.iter().collect::<Vec<_>>());
    let (all, safe) = (fixes(findings, false), fixes(findings, true));
    let clean_all = made(&all).is_none();
    if clean_all && (safe.len() == all.len() || safe.is_empty() || made(&safe).is_none()) {
        return;
    }
    let withdraw = |f: &mut Finding, why: String| {
        f.fix = None;
        f.help = Some(format!("no fix offered: {why}"));
    };
    for (n, &k) in with_fix.iter().enumerate() {
        let why = if n >= TRIED_ALONE {
            Some("the file has more fixes than are checked one by one".to_string())
        } else {
            let fix = findings[k].fix.as_ref().expect("has a fix");
            new_finding(&[fix])
                .map(|f| format!("applied, it would make a new `{}` finding ({})", f.rule.name(), f.message))
        };
        if let Some(why) = why {
            withdraw(&mut findings[k], why);
        }
    }
    // Each of the rest is harmless alone; in company they must be too, the safe ones
    // as `--fix` applies them, then all as `--unsafe-fixes` does.
    for safe_only in [true, false] {
        if let Some(f) = made(&fixes(findings, safe_only)) {
            let why = format!(
                "applied with the file's other fixes, it would make a new `{}` finding ({})",
                f.rule.name(),
                f.message
            );
            for k in with_fix.iter().copied() {
                let hit = findings[k].fix.as_ref().is_some_and(|x| x.safe == safe_only);
                if hit {
                    withdraw(&mut findings[k], why.clone());
                }
            }
        }
    }
}

fn with_line_ending(text: &str, eol: &str) -> String {
    if eol == "\n" || !text.contains('\n') {
        return text.to_string();
    }
    text.replace("\r\n", "\n").replace('\n', eol)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Span;

    fn fix(start: usize, end: usize, replacement: &str) -> Fix {
        Fix { span: Span::new(start, end), replacement: replacement.into(), safe: true }
    }

    /// A fix whose result has a finding the text did not have is withdrawn, with the
    /// reason; a harmless one stays as it was.
    #[test]
    fn fixes_that_make_new_findings_are_withdrawn() {
        let text = "see [a](#x) and [b](#y)";
        let finding = |at: usize, to: &str| {
            Finding::new(RuleId::StaleLink, Span::new(at, at + 2), format!("stale {at}")).with_fix(fix(at, at + 2, to))
        };
        let (x, y) = (text.find("#x").unwrap(), text.find("#y").unwrap());
        let mut found = vec![finding(x, "#good"), finding(y, "#gone")];
        let baseline = found.clone();
        // The "linter": a fragment that is not `#good` or the original ones is broken.
        let relint = |t: &str| {
            let mut out: Vec<Finding> = baseline
                .iter()
                .filter(|f| t[f.span.start..].starts_with(&text[f.span.start..f.span.end]))
                .cloned()
                .collect();
            if t.contains("#gone") {
                out.push(Finding::new(RuleId::BrokenAnchor, Span::new(0, 1), "`#gone` names no heading"));
            }
            out
        };
        verify(&mut found, &baseline, text, relint);
        assert!(found[0].fix.as_ref().is_some_and(|f| f.safe), "{:?}", found[0]);
        assert!(found[1].fix.is_none());
        let help = found[1].help.as_deref().unwrap();
        assert!(help.starts_with("no fix offered: applied, it would make a new `broken-anchor` finding"), "{help}");
    }
}
