//! `note-kind-mismatch`: an alert is a different kind (NOTE vs WARNING) than the source's.

use crate::align::Pair;
use crate::finding::{Finding, Fix};
use crate::rules::{Cx, RuleId};

pub fn check(cx: &Cx, acc: &mut Vec<Finding>) {
    let (src, tr) = (&cx.src_alerts, &cx.tr_alerts);
    for &p in &cx.notes {
        let Pair::Changed(i, j) = p else { continue };
        let (s, t) = (src[i], tr[j]);
        if s.kind == t.kind {
            continue;
        }
        let raw = &cx.tr_text[t.marker_span.start..t.marker_span.end];
        let fix = raw
            .find(&format!("[!{}", t.kind.as_str()))
            .or_else(|| raw.to_ascii_uppercase().find(&format!("[!{}", t.kind.as_str())))
            .map(|at| {
                let start = t.marker_span.start + at + 2;
                Fix {
                    span: crate::finding::Span::new(start, start + t.kind.as_str().len()),
                    replacement: s.kind.as_str().to_string(),
                    safe: true,
                }
            });
        let mut f = Finding::new(
            RuleId::NoteKindMismatch,
            t.marker_span,
            format!("this alert is a {}; the source's alert at this place is a {}", t.kind.as_str(), s.kind.as_str()),
        )
        .with_source(s.marker_span)
        .with_key(format!("note:{}:{}->{}", i + 1, s.kind.as_str(), t.kind.as_str()));
        if let Some(fix) = fix {
            f = f.with_fix(fix);
        }
        acc.push(f);
    }
}
