//! Where findings point and what they are called: structural keys, line helpers, row names.

use crate::model::Row;

use super::TablePair;

/// Builders for `Finding::key`, the structural identity of a finding (see its docs).
///
/// Tables are numbered from 1 in the source; rows are named by their `RowKey`, which is
/// what alignment matches them by; columns are numbered from 1.
pub mod key {
    use crate::model::RowKey;

    pub fn table(index: usize) -> String {
        format!("table:{}", index + 1)
    }

    /// A translation table without a counterpart (`j` counts the translation's tables).
    pub fn extra_table(j: usize) -> String {
        format!("table:+{}", j + 1)
    }

    pub fn row(table: usize, row: &RowKey) -> String {
        let row = match row {
            RowKey::Link(t) => format!("link:{t}"),
            RowKey::Code(t) => format!("code:{t}"),
            RowKey::Number(t) => format!("number:{t}"),
            RowKey::Text(t) => format!("text:{t}"),
            RowKey::Position(i) => format!("position:{}", i + 1),
        };
        format!("{}/row:{row}", self::table(table))
    }

    pub fn cell(table: usize, row: &RowKey, col: usize) -> String {
        format!("{}/col:{}", self::row(table, row), col + 1)
    }

    /// `tail` inside `scope` (which may be empty, for the page itself).
    pub fn under(scope: &str, tail: &str) -> String {
        if scope.is_empty() {
            tail.to_string()
        } else {
            format!("{scope}/{tail}")
        }
    }
}

/// Where to point when something is absent from the translation: the translation row
/// that precedes the place, else the table's first line.
pub fn insertion_point(t: &TablePair, upto: usize, text: &str) -> crate::finding::Span {
    match t.tr_row_before(upto) {
        Some(j) => t.tr.rows[j].span,
        None => first_line(t.tr.span, text),
    }
}

/// The first line of a span, which is what a label should cover for multi-line blocks.
pub fn first_line(span: crate::finding::Span, text: &str) -> crate::finding::Span {
    let raw = text.get(span.start..span.end).unwrap_or("");
    let end = raw.find(['\r', '\n']).unwrap_or(raw.len());
    crate::finding::Span::new(span.start, span.start + end)
}

/// A short quote of a source row for messages: its first cell's text.
pub fn row_name(row: &Row) -> String {
    let text = row.cells.first().map(|c| c.text.as_str()).unwrap_or("");
    if text.is_empty() {
        row.key.describe()
    } else {
        format!("\"{}\"", crate::text::shorten(text, 60))
    }
}
