//! `note-kind-mismatch`: an alert is a different kind (NOTE vs WARNING) than the source's, in
//! any dialect.

use crate::rules::RuleId;
use crate::align::Pair;
use crate::finding::{Finding, Fix};
use crate::rules::Cx;

pub fn check(cx: &Cx, acc: &mut Vec<Finding>) {
    dialect_admonitions(cx, acc);
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

/// Admonitions of the other dialects (`{{< note >}}`, `:::tip`, `!!! warning`, `/// danger`),
/// paired by the skeleton alignment; their kinds are an open set (canonical kind, else the
/// name as written).
fn dialect_admonitions(cx: &Cx, acc: &mut Vec<Finding>) {
    use crate::skeleton::{neutral, Kind};
    let al = cx.blocks();
    let d = cx.settings.dialect;
    for (i, j) in al.paired() {
        let (s, t) = (&al.src.blocks[i], &al.tr.blocks[j]);
        if s.kind != Kind::Alert || t.kind != Kind::Alert || cx.src_text[s.span.start..].trim_start().starts_with('>') {
            continue;
        }
        let (a, b) = (neutral(s, cx.src_text, d), neutral(t, cx.tr_text, d));
        if a == b {
            continue;
        }
        acc.push(
            Finding::new(
                RuleId::NoteKindMismatch,
                t.head,
                format!("this admonition is a {b}; the source's admonition at this place is a {a}"),
            )
            .with_source(s.head)
            .with_key(format!("admonition:{}:{a}->{b}", i + 1)),
        );
    }
}
