//! `row-extra`: a translated table has a row the source table does not.

use crate::align::Pair;
use crate::finding::Finding;
use crate::rules::{key, row_name, Cx, RuleId};

pub fn check(cx: &Cx, acc: &mut Vec<Finding>) {
    for t in &cx.tables {
        for p in &t.rows {
            let Pair::Extra(j) = *p else { continue };
            let row = &t.tr.rows[j];
            acc.push(
                Finding::new(
                    RuleId::RowExtra,
                    row.span,
                    format!("this row ({}) has no counterpart in the source table", row_name(row)),
                )
                .with_help(format!("rows are matched by {}", row.key.describe()))
                .with_key(key::row(t.index, &row.key)),
            );
        }
    }
}
