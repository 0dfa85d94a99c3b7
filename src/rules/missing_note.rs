//! `missing-note`: the source has an alert (`> [!NOTE]` …) the translation lacks.

use crate::align::Pair;
use crate::finding::{Finding, Span};
use crate::rules::{first_line, Cx};

pub fn check(cx: &Cx, acc: &mut Vec<Finding>) {
    let src: Vec<_> = cx.src.alerts().collect();
    let tr: Vec<_> = cx.tr.alerts().collect();
    let mut last_tr: Option<Span> = None;
    for p in super::note_pairs(&src, &tr) {
        match p {
            Pair::Same(_, j) | Pair::Changed(_, j) | Pair::Moved(_, j) | Pair::Extra(j) => {
                last_tr = Some(tr[j].marker_span)
            }
            Pair::Missing(i) => {
                let note = src[i];
                let nth = src[..=i].iter().filter(|n| n.kind == note.kind).count();
                let span = last_tr.unwrap_or_else(|| {
                    cx.tr.blocks.last().map_or(Span::new(0, 0), |b| first_line(b.span(), cx.tr_text))
                });
                acc.push(
                    Finding::new(
                        "missing-note",
                        span,
                        format!(
                            "the source's {} {} is missing here: \"{}\"",
                            ordinal(nth),
                            note.kind.as_str(),
                            crate::text::shorten(&note.text, 70)
                        ),
                    )
                    .with_source(note.marker_span)
                    .with_key(format!("note:{}#{nth}", note.kind.as_str())),
                );
            }
        }
    }
}

fn ordinal(n: usize) -> String {
    match n {
        1 => "first".into(),
        2 => "second".into(),
        3 => "third".into(),
        n => format!("{n}th"),
    }
}
