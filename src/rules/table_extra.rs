//! `table-extra`: the translation has a table the source does not.

use crate::rules::RuleId;
use crate::align::Pair;
use crate::finding::Finding;
use crate::rules::{first_line, key, Cx};

pub fn check(cx: &Cx, acc: &mut Vec<Finding>) {
    let tr_tables: Vec<_> = cx.tr.tables().collect();
    let src_count = cx.src.tables().count();
    for p in &cx.table_order {
        let Pair::Extra(j) = *p else { continue };
        acc.push(
            Finding::new(
                RuleId::TableExtra,
                first_line(tr_tables[j].span, cx.tr_text),
                format!(
                    "the translation has {} tables, the source {}: this table ({} rows) has no counterpart in the \
                     source",
                    tr_tables.len(),
                    src_count,
                    tr_tables[j].rows.len()
                ),
            )
            // Extra tables have no source position; the translation's own is the best there is.
            .with_key(key::extra_table(j)),
        );
    }
}
