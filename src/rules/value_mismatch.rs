//! `value-mismatch`: a categorical vocabulary term in a cell differs from the source's term.

use crate::finding::Finding;
use crate::model::CellValue;
use crate::rules::{key, row_name, Cx, RuleId};
use crate::tables::Role;

pub fn check(cx: &Cx, acc: &mut Vec<Finding>) {
    for t in &cx.tables {
        for (s_row, col, s, tr) in t.changed_cells() {
            // The values first: the column's role is worked out only when asked. The
            // source cell's first: its value is worked out once for every translation.
            let CellValue::Term(want) = s.value() else { continue };
            let got = tr.value();
            if col == 0 || t.role(col) == Role::Flag {
                continue;
            }
            let differs = match got {
                CellValue::Term(got) => got != want,
                CellValue::Empty | CellValue::Flag(_) => true,
                // Free text in a term column is only judged with a schema that
                // says the column holds terms.
                CellValue::Text => t.role(col) == Role::Term,
            };
            if !differs {
                continue;
            }
            let got_text = match got {
                CellValue::Term(id) => format!("`{id}` (\"{}\")", tr.text),
                CellValue::Empty => "empty".to_string(),
                _ => format!("\"{}\", which is not a known term", crate::text::shorten(&tr.text, 40)),
            };
            acc.push(
                Finding::new(
                    RuleId::ValueMismatch,
                    tr.span,
                    format!(
                        "\"{}\" is `{want}` in the source but {got_text} here, in row {}",
                        t.column_name(col),
                        row_name(s_row)
                    ),
                )
                .with_source(s.span)
                .with_key(key::cell(t.index, &s_row.key, col)),
            );
        }
    }
}
