//! `extra-link`: the translation has a link the source does not.

use crate::align::Pair;
use crate::finding::Finding;
use crate::rules::{routed_pairs, Cx, RuleId};

pub fn check(cx: &Cx, acc: &mut Vec<Finding>) {
    // A stub is one untranslated-page finding, not one per link it lacks.
    if super::untranslated_page::stub(cx).is_some() {
        return;
    }
    for group in &cx.links {
        let routed = routed_pairs(cx, group);
        for p in &group.pairs {
            let Pair::Extra(j) = *p else { continue };
            let t = &group.tr[j];
            // A missing link of the source reaches the same page by another route.
            if routed.iter().any(|&(_, tj)| tj == j) {
                continue;
            }
            acc.push(
                Finding::new(RuleId::ExtraLink, t.span, format!("link to `{}` has no counterpart in the source", t.target))
                    .with_key(group.key(&t.target)),
            );
        }
    }
}
