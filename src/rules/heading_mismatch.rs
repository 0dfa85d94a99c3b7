//! `heading-mismatch`: heading structure (levels) or explicit anchors differ from the source.

use crate::rules::RuleId;
use crate::align::{self, Pair};
use crate::finding::{Finding, Span};
use crate::model::Heading;
use crate::rules::Cx;

pub fn check(cx: &Cx, acc: &mut Vec<Finding>) {
    // A stub gets one untranslated-page finding, not one per block.
    if super::untranslated_page::stub(cx).is_some() {
        return;
    }
    let src: Vec<&Heading> = cx.src.headings().collect();
    let tr: Vec<&Heading> = cx.tr.headings().collect();
    let explicit = |h: &Heading| h.anchors.iter().map(|a| a.name.clone()).collect::<Vec<_>>();
    // Headings pair on level and explicit anchors (which translation keeps); text differs.
    // The anchors are compared in place: headings are compared for every pair.
    let same = |a: &Heading, b: &Heading| a.level == b.level && names(a).eq(added_anchors_aside(a, b));
    // Most often every heading is the same as its counterpart: nothing to report.
    if src.len() == tr.len() && src.iter().zip(&tr).all(|(a, b)| same(a, b)) {
        return;
    }
    let pairs = align::pairs(
        &src,
        &tr,
        |a, b| same(a, b),
        |a, b| {
            if a.level == b.level {
                0.75
            } else if names(a).eq(names(b)) && !a.anchors.is_empty() {
                0.6
            } else {
                align::MIN_SCORE
            }
        },
    );
    let mut last = Span::new(0, 0);
    for p in pairs {
        match p {
            Pair::Same(_, j) => last = tr[j].span,
            Pair::Changed(i, j) => {
                last = tr[j].span;
                let (a, b) = (src[i], tr[j]);
                if a.level != b.level {
                    acc.push(
                        Finding::new(
                            RuleId::HeadingMismatch,
                            b.span,
                            format!(
                                "this heading is level {}; the source's \"{}\" is level {}",
                                b.level, a.text, a.level
                            ),
                        )
                        .with_source(a.span),
                    );
                }
                let (ea, eb) = (explicit(a), explicit(b));
                for name in ea.iter().filter(|n| !eb.contains(n)) {
                    acc.push(
                        Finding::new(RuleId::HeadingMismatch, b.span, format!("this heading lacks the anchor `{name}` of the source heading \"{}\"; links to `#{name}` break", a.text))
                            .with_source(a.span),
                    );
                }
                // The slug of the source heading, written as an explicit anchor, keeps the
                // source's `#links` working in the translation: that is what Microsoft's
                // localization adds to every translated heading, not a drift.
                for name in eb.iter().filter(|n| !ea.contains(n) && **n != a.slug) {
                    acc.push(
                        Finding::new(
                            RuleId::HeadingMismatch,
                            b.span,
                            format!(
                                "this heading has an anchor `{name}` that the source heading \"{}\" does not",
                                a.text
                            ),
                        )
                        .with_source(a.span),
                    );
                }
            }
            Pair::Moved(i, j) => {
                last = tr[j].span;
                acc.push(
                    Finding::new(
                        RuleId::HeadingMismatch,
                        tr[j].span,
                        format!(
                            "this heading (\"{}\" in the source) is in a different place than in the source",
                            src[i].text
                        ),
                    )
                    .with_source(src[i].span),
                );
            }
            Pair::Missing(i) => acc.push(
                Finding::new(
                    RuleId::HeadingMismatch,
                    last,
                    format!("the source's level-{} heading \"{}\" has no counterpart here", src[i].level, src[i].text),
                )
                .with_source(src[i].span),
            ),
            Pair::Extra(j) => {
                last = tr[j].span;
                acc.push(Finding::new(
                    RuleId::HeadingMismatch,
                    tr[j].span,
                    format!("this level-{} heading has no counterpart in the source", tr[j].level),
                ));
            }
        }
    }
}

/// A heading's explicit anchors, in order.
fn names(h: &Heading) -> impl Iterator<Item = &str> {
    h.anchors.iter().map(|a| a.name.as_str())
}

/// The translation heading's explicit anchors without the source heading's slug, which
/// localization adds (`## <a name="next-steps"></a>Nästa steg` for `## Next steps`).
fn added_anchors_aside<'a>(src: &'a Heading, tr: &'a Heading) -> impl Iterator<Item = &'a str> {
    tr.anchors.iter().map(|a| a.name.as_str()).filter(|n| *n != src.slug || src.anchors.iter().any(|a| a.name == *n))
}
