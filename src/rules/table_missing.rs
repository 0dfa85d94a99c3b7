//! `table-missing`: the source has a table the translation lacks.

use crate::align::Pair;
use crate::finding::Finding;
use crate::rules::{first_line, Cx, RuleId};

pub fn check(cx: &Cx, acc: &mut Vec<Finding>) {
    let src_tables: Vec<_> = cx.src.tables().collect();
    let tr_count = cx.tr.tables().count();
    for p in &cx.table_order {
        let Pair::Missing(i) = *p else { continue };
        let table = src_tables[i];
        // Point at the end of the translation's last table, or its start when it has none.
        let span = match cx.tr.tables().last() {
            Some(t) => first_line(t.span, cx.tr_text),
            None => crate::finding::Span::new(0, 0),
        };
        acc.push(
            Finding::new(
                RuleId::TableMissing,
                span,
                format!(
                    "the source has {} tables, the translation {}: table {} (\"{}\", {} rows) is missing",
                    src_tables.len(),
                    tr_count,
                    i + 1,
                    crate::text::shorten(
                        &table.header.iter().map(|c| c.text.as_str()).collect::<Vec<_>>().join(" | "),
                        60
                    ),
                    table.rows.len()
                ),
            )
            .with_source(first_line(table.span, cx.src_text))
            .with_key(crate::rules::key::table(i)),
        );
    }
}
