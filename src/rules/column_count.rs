//! `column-count`: a table's column count differs from the source table's.

use crate::finding::Finding;
use crate::rules::{first_line, key, Cx, RuleId};

pub fn check(cx: &Cx, acc: &mut Vec<Finding>) {
    for t in &cx.tables {
        if t.same_shape() {
            continue;
        }
        let names: Vec<&str> = t.src.header.iter().map(|c| c.text.as_str()).collect();
        acc.push(
            Finding::new(
                RuleId::ColumnCount,
                first_line(t.tr.span, cx.tr_text),
                format!("this table has {} columns; the source table has {}", t.tr.columns(), t.src.columns()),
            )
            .with_source(first_line(t.src.span, cx.src_text))
            .with_key(key::table(t.index))
            .with_help(format!("source columns: {}", names.join(" | "))),
        );
    }
}
