//! `extra-link`: the translation has a link the source does not.

use crate::align::Pair;
use crate::finding::Finding;
use crate::rules::{same_routed_page, Cx, RuleId};

pub fn check(cx: &Cx, acc: &mut Vec<Finding>) {
    // A stub is one untranslated-page finding, not one per link it lacks.
    if super::untranslated_page::stub(cx).is_some() {
        return;
    }
    for group in &cx.links {
        for p in &group.pairs {
            let Pair::Extra(j) = *p else { continue };
            let t = &group.tr[j];
            // The source links the same page by another route.
            let routes = !cx.settings.site.routes.is_empty();
            if routes
                && group.pairs.iter().any(|p| matches!(*p, Pair::Missing(i) if same_routed_page(cx, &group.src[i], t)))
            {
                continue;
            }
            acc.push(
                Finding::new(RuleId::ExtraLink, t.span, format!("link to `{}` has no counterpart in the source", t.target))
                    .with_key(group.key(&t.target)),
            );
        }
    }
}
