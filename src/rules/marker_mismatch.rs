//! `marker-mismatch`: a marker such as (Preview) is present in one cell and not the other.

use crate::finding::{Finding, Fix, Span};
use crate::rules::{key, row_name, Cx, RuleId};

pub fn check(cx: &Cx, acc: &mut Vec<Finding>) {
    // Looked up only for a finding: most cells lack no marker.
    let language = || cx.settings.vocab.language_for(cx.locale);
    for t in &cx.tables {
        for (s_row, col, s, tr) in t.changed_cells() {
            let (s_markers, tr_markers) = (s.markers(), tr.markers());
            for (k, marker) in s_markers.iter().enumerate() {
                // One finding per marker kind the translation lacks.
                if s_markers[..k].iter().any(|m| m.kind == marker.kind)
                    || tr_markers.iter().any(|m| m.kind == marker.kind)
                {
                    continue;
                }
                // The marker as this locale writes it, when its vocabulary knows one.
                let word = language()
                    .and_then(|l| l.markers.get(&marker.kind))
                    .and_then(|w| w.first())
                    .map(|w| format!("({w})"))
                    .unwrap_or_else(|| marker.text.clone());
                let at_start = marker.span.start <= s.span.start;
                let fix = Fix {
                    span: if at_start {
                        Span::new(tr.span.start, tr.span.start)
                    } else {
                        Span::new(tr.span.end, tr.span.end)
                    },
                    replacement: if at_start { format!("{word} ") } else { format!(" {word}") },
                    safe: true,
                };
                acc.push(
                    Finding::new(
                        RuleId::MarkerMismatch,
                        tr.span,
                        format!(
                            "the source marks \"{}\" of row {} as {}; the translation dropped the marker",
                            t.column_name(col),
                            row_name(s_row),
                            marker.text
                        ),
                    )
                    .with_source(marker.span)
                    .with_key(key::under(&key::cell(t.index, &s_row.key, col), &format!("marker:-{}", marker.kind)))
                    .with_help(format!("restore the marker: {word}"))
                    .with_fix(fix),
                );
            }
            for marker in tr_markers {
                if s_markers.iter().any(|m| m.kind == marker.kind) {
                    continue;
                }
                acc.push(
                    Finding::new(
                        RuleId::MarkerMismatch,
                        marker.span,
                        format!(
                            "{} marks \"{}\" of row {} here, but the source cell has no such marker",
                            marker.text,
                            t.column_name(col),
                            row_name(s_row)
                        ),
                    )
                    .with_source(s.span)
                    .with_key(key::under(&key::cell(t.index, &s_row.key, col), &format!("marker:+{}", marker.kind))),
                );
            }
        }
    }
}
