//! `row-missing`: a source table row has no counterpart in the translated table.

use crate::rules::RuleId;
use crate::align::Pair;
use crate::finding::{Finding, Fix, Span};
use crate::rules::{insertion_point, key, line_end, line_start, next_line_start, row_name, Cx, TablePair};

pub fn check(cx: &Cx, acc: &mut Vec<Finding>) {
    for t in &cx.tables {
        for (k, p) in t.rows.iter().enumerate() {
            let Pair::Missing(i) = *p else { continue };
            let row = &t.src.rows[i];
            let mut f = Finding::new(
                RuleId::RowMissing,
                insertion_point(t, k, cx.tr_text),
                format!("row {} of the source table ({}) is missing here", i + 1, row_name(row)),
            )
            .with_source(row.span)
            .with_help(format!("rows are matched by {}", row.key.describe()))
            .with_key(key::row(t.index, &row.key));
            if let Some(fix) = placeholder(cx, t, k, i) {
                f = f.with_fix(fix);
            }
            acc.push(f);
        }
    }
}

/// The source row copied, untranslated, where it belongs: after the translation row that
/// precedes it, or after the delimiter row when it comes first. Unsafe: the copy still
/// needs translating, and only tables of the same shape can take it.
fn placeholder(cx: &Cx, t: &TablePair, upto: usize, src_row: usize) -> Option<Fix> {
    if !t.same_shape() {
        return None;
    }
    let after = match t.tr_row_before(upto) {
        Some(j) => line_end(cx.tr_text, t.tr.rows[j].span.start),
        // The header line, then the delimiter line.
        None => line_end(cx.tr_text, next_line_start(cx.tr_text, t.tr.span.start)),
    };
    let row = t.src.rows[src_row].span;
    let text = &cx.src_text[line_start(cx.src_text, row.start)..line_end(cx.src_text, row.start)];
    Some(Fix { span: Span::new(after, after), replacement: format!("\n{text}"), safe: false })
}
