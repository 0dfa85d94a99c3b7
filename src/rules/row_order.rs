//! `row-order`: a row exists on both sides but at a different place.

use crate::align::Pair;
use crate::finding::Finding;
use crate::rules::{key, row_name, Cx, RuleId};

pub fn check(cx: &Cx, acc: &mut Vec<Finding>) {
    for t in &cx.tables {
        for p in &t.rows {
            let Pair::Moved(i, j) = *p else { continue };
            acc.push(
                Finding::new(
                    RuleId::RowOrder,
                    t.tr.rows[j].span,
                    format!(
                        "this row ({}) is row {} here but row {} in the source",
                        row_name(&t.src.rows[i]),
                        j + 1,
                        i + 1
                    ),
                )
                .with_source(t.src.rows[i].span)
                .with_key(key::row(t.index, &t.src.rows[i].key)),
            );
        }
    }
}
