//! `missing-link`: a link of the source has no counterpart in the translation.

use crate::align::Pair;
use crate::finding::{Finding, Span};
use crate::rules::{routed_pairs, Cx, RuleId};

pub fn check(cx: &Cx, acc: &mut Vec<Finding>) {
    // A stub is one untranslated-page finding, not one per link it lacks.
    if super::untranslated_page::stub(cx).is_some() {
        return;
    }
    for group in &cx.links {
        let mut last: Option<Span> = None;
        let routed = routed_pairs(cx, group);
        for p in &group.pairs {
            match *p {
                Pair::Same(_, j) | Pair::Changed(_, j) | Pair::Extra(j) => last = Some(group.tr[j].span),
                Pair::Moved(..) => {}
                Pair::Missing(i) => {
                    let s = &group.src[i];
                    // An extra link of the translation reaches the same page by another route.
                    if routed.iter().any(|&(si, _)| si == i) {
                        continue;
                    }
                    let span =
                        last.or_else(|| group.tr.first().map(|l| l.span)).or(group.place).unwrap_or(Span::new(0, 0));
                    acc.push(
                        Finding::new(
                            RuleId::MissingLink,
                            span,
                            format!(
                                "the source links `{}` (\"{}\") here; the translation has no such link",
                                s.target,
                                crate::text::shorten(&s.text, 40)
                            ),
                        )
                        .with_source(s.span)
                        .with_key(group.key(&s.target)),
                    );
                }
            }
        }
    }
}

