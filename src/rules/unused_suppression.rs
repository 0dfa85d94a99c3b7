//! `unused-suppression`: a `locdrift-disable…` comment hid nothing (or names no rule).
//!
//! Runs after every other rule, once `engine::lint` has applied the suppressions: only then
//! is it known which comments hid a finding. The rules a comment names run for this even
//! when they are not enabled, so a comment is judged by the whole catalogue, not by the
//! selection of one run.

use crate::rules::RuleId;
use crate::finding::Finding;
use crate::rules::Cx;


pub fn check(cx: &Cx, acc: &mut Vec<Finding>) {
    for unused in cx.suppressions.unused() {
        acc.push(
            Finding::new(RuleId::UnusedSuppression, unused.comment, unused.message)
                .with_key(format!("comment:{}", unused.text))
                .with_help("a stale suppression would silently hide the next real drift here"),
        );
    }
}
