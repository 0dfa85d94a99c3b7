//! `row-missing`: a source table row has no counterpart in the translated table.

use crate::align::Pair;
use crate::finding::Finding;
use crate::rules::{insertion_point, key, row_name, Cx};

pub fn check(cx: &Cx, acc: &mut Vec<Finding>) {
    for t in &cx.tables {
        for (k, p) in t.rows.iter().enumerate() {
            let Pair::Missing(i) = *p else { continue };
            let row = &t.src.rows[i];
            acc.push(
                Finding::new(
                    "row-missing",
                    insertion_point(t, k, cx.tr_text),
                    format!("row {} of the source table ({}) is missing here", i + 1, row_name(row)),
                )
                .with_source(row.span)
                .with_help(format!("rows are matched by {}", row.key.describe()))
                .with_key(key::row(t.index, &row.key)),
            );
        }
    }
}
