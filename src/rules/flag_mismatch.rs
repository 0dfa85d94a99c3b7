//! `flag-mismatch`: a yes/no cell says something else than the source after normalization.

use crate::finding::Finding;
use crate::model::CellValue;
use crate::rules::{key, row_name, Cx, RuleId};

pub fn check(cx: &Cx, acc: &mut Vec<Finding>) {
    for t in &cx.tables {
        for (s_row, col, s, tr) in t.changed_cells() {
            // A word no vocabulary knows is `unknown-vocabulary`'s business: it may
            // well say yes, and guessing here would be noise. The source cell first: its
            // value is worked out once for every translation.
            let Some(want) = flag(s.value()) else { continue };
            let Some(got) = flag(tr.value()) else { continue };
            // The values first: the column's role is worked out only when asked.
            if want == got || t.role(col) != crate::tables::Role::Flag {
                continue;
            }
            acc.push(
                Finding::new(
                    RuleId::FlagMismatch,
                    tr.span,
                    format!(
                        "\"{}\" is {} in the source but {} here, in row {}",
                        t.column_name(col),
                        describe(want),
                        describe_cell(got, &tr.text),
                        row_name(s_row)
                    ),
                )
                .with_source(s.span)
                .with_key(key::cell(t.index, &s_row.key, col)),
            );
        }
    }
}

/// Some(Some(b)) for a yes/no word, Some(None) for an empty cell, None for other text.
fn flag(value: &CellValue) -> Option<Option<bool>> {
    match value {
        CellValue::Flag(b) => Some(Some(*b)),
        CellValue::Empty => Some(None),
        _ => None,
    }
}

fn describe(value: Option<bool>) -> &'static str {
    match value {
        Some(true) => "yes",
        Some(false) => "no",
        None => "empty",
    }
}

fn describe_cell(value: Option<bool>, text: &str) -> String {
    match value {
        None => "empty".to_string(),
        Some(b) => format!("{} (\"{}\")", describe(Some(b)), crate::text::shorten(text, 30)),
    }
}
