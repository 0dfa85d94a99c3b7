//! `missing-note`: the source has an alert (`> [!NOTE]` …) the translation lacks.

use crate::align::Pair;
use crate::finding::{Finding, Fix, Span};
use crate::model::Alert;
use crate::rules::{first_line, Cx, RuleId};

pub fn check(cx: &Cx, acc: &mut Vec<Finding>) {
    // A stub gets one untranslated-page finding, not one per block.
    if super::untranslated_page::stub(cx).is_some() {
        return;
    }
    let (src, tr, pairs) = (&cx.src_alerts, &cx.tr_alerts, &cx.notes);
    let mut last_tr: Option<&Alert> = None;
    for (k, p) in pairs.iter().enumerate() {
        match *p {
            Pair::Same(_, j) | Pair::Changed(_, j) | Pair::Moved(_, j) | Pair::Extra(j) => last_tr = Some(tr[j]),
            Pair::Missing(i) => {
                let note = src[i];
                let nth = src[..=i].iter().filter(|n| n.kind == note.kind).count();
                // Where it belongs in the page's one alignment (after the counterpart of the
                // block before it), else after the previous translation alert.
                let span = super::block_missing::place_of(cx, crate::skeleton::Kind::Alert, note.span.start)
                    .or_else(|| last_tr.map(|a| a.marker_span))
                    .unwrap_or_else(|| {
                        cx.tr.blocks.last().map_or(Span::new(0, 0), |b| first_line(b.span(), cx.tr_text))
                    });
                // The next translation alert, for a missing note that comes first.
                let next = pairs[k..].iter().find_map(|p| match *p {
                    Pair::Same(_, j) | Pair::Changed(_, j) | Pair::Moved(_, j) | Pair::Extra(j) => Some(tr[j]),
                    Pair::Missing(_) => None,
                });
                acc.push(
                    Finding::new(
                        RuleId::MissingNote,
                        span,
                        format!(
                            "the source's {} {} is missing here: \"{}\"",
                            ordinal(nth),
                            note.kind.as_str(),
                            crate::text::shorten(&note.text, 70)
                        ),
                    )
                    .with_source(note.marker_span)
                    .with_key(format!("note:{}#{nth}", note.kind.as_str()))
                    .with_fix(placeholder(cx, note, last_tr, next)),
                );
            }
        }
    }
}

/// The source's note copied, untranslated, after the translation alert that precedes it,
/// else before the one that follows it, else at the end of the file. Unsafe: the copy
/// still needs translating, and without a neighbouring alert its place is a guess.
fn placeholder(cx: &Cx, note: &Alert, previous: Option<&Alert>, next: Option<&Alert>) -> Fix {
    let raw = cx.src_text[note.span.start..note.span.end].trim_end();
    let end_of = |span: Span| span.start + cx.tr_text[span.start..span.end].trim_end().len();
    let (at, replacement) = match (previous, next) {
        (Some(p), _) => (end_of(p.span), format!("\n\n{raw}")),
        (None, Some(n)) => (n.span.start, format!("{raw}\n\n")),
        (None, None) => (cx.tr_text.trim_end().len(), format!("\n\n{raw}")),
    };
    Fix { span: Span::new(at, at), replacement, safe: false }
}

fn ordinal(n: usize) -> String {
    match n {
        1 => "first".into(),
        2 => "second".into(),
        3 => "third".into(),
        n => format!("{n}th"),
    }
}
