//! `front-matter-mismatch`: front-matter keys that must equal the source's differ or are missing.

use crate::finding::{Finding, Span};
use crate::model::FrontMatter;
use crate::rules::{Cx, RuleId};

pub fn check(cx: &Cx, acc: &mut Vec<Finding>) {
    // Broken front matter is `front-matter-invalid`'s finding; comparing it would only echo it.
    if !matches!(cx.src.front_matter, FrontMatter::Valid { .. })
        || matches!(cx.tr.front_matter, FrontMatter::Invalid { .. })
    {
        return;
    }
    let fm_start = || cx.tr.front_matter.span().map_or(Span::new(0, 0), |s| crate::rules::first_line(s, cx.tr_text));
    for key in &cx.settings.options.front_matter_keys {
        let Some(want) = cx.src.front_matter.get(key) else { continue };
        match cx.tr.front_matter.get(key) {
            None => acc.push(
                Finding::new(
                    RuleId::FrontMatterMismatch,
                    fm_start(),
                    format!("front matter lacks `{key}` (the source has `{key}: {}`)", want.value),
                )
                .with_source(want.span)
                .with_key(format!("front-matter:{key}")),
            ),
            Some(got) if got.value != want.value && got.value.trim() != want.value.trim() => acc.push(
                Finding::new(
                    RuleId::FrontMatterMismatch,
                    got.span,
                    format!("`{key}` is `{}`; the source's is `{}`", got.value, want.value),
                )
                .with_source(want.span)
                .with_key(format!("front-matter:{key}")),
            ),
            Some(_) => {}
        }
    }
}
