//! `stale-link`: a link points elsewhere than the source's corresponding link.

use crate::align::Pair;
use crate::finding::{Finding, Fix};
use crate::rules::{Cx, RuleId};

pub fn check(cx: &Cx, acc: &mut Vec<Finding>) {
    for group in &cx.links {
        for p in &group.pairs {
            let Pair::Changed(i, j) = *p else { continue };
            let (s, t) = (&group.src[i], &group.tr[j]);
            let mut f = Finding::new(
                RuleId::StaleLink,
                t.target_span,
                format!("link points to `{}`; the source links `{}`", t.target, s.target),
            )
            .with_source(s.target_span)
            .with_key(group.key(&format!("{}->{}", s.target, t.target)));
            // Only a destination found verbatim in the text can be replaced safely
            // (reference-style links keep it elsewhere).
            if t.target_span != t.span {
                f = f.with_fix(Fix { span: t.target_span, replacement: s.target.clone(), safe: true });
            }
            acc.push(f);
        }
    }
}
