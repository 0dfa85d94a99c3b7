//! The rule table (one line per rule) and the comparison context every rule reads.
//!
//! A rule is a plain function `fn check(cx: &Cx, acc: &mut Vec<Finding>)`: context first,
//! accumulator last, no I/O. What several rules need (table, row and link alignment) is
//! computed once in `Cx::new`.

use std::sync::LazyLock;

use regex::Regex;

use crate::align::{self, Pair};
use crate::finding::Finding;
use crate::model::{Cell, CellValue, Doc, Link, Row, Table};
use crate::settings::Settings;
use crate::suppress::Suppressions;

mod column_count;
mod extra_link;
mod extra_note;
mod flag_mismatch;
mod front_matter_invalid;
mod include_mismatch;
pub mod io_error;
mod marker_mismatch;
mod missing_link;
mod missing_note;
pub mod missing_translation;
mod note_kind_mismatch;
pub mod orphan_translation;
mod row_extra;
mod row_missing;
mod row_order;
mod stale_link;
mod table_extra;
mod table_missing;
pub mod unused_suppression;

/// Which documents a rule needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Compares a translation with its source.
    Pair,
    /// Looks at the translation alone; also runs on orphans.
    Translation,
    /// Reported by the driver about files, not documents (I/O, pairing).
    Tree,
    /// Judges the translation's suppression comments; runs after the others, once
    /// `lint_docs` has applied the suppressions to their findings.
    Suppressions,
}

pub struct Rule {
    pub name: &'static str,
    pub scope: Scope,
    pub check: Option<fn(&Cx, &mut Vec<Finding>)>,
}

const fn rule(name: &'static str, scope: Scope, check: fn(&Cx, &mut Vec<Finding>)) -> Rule {
    Rule { name, scope, check: Some(check) }
}

const fn tree(name: &'static str) -> Rule {
    Rule { name, scope: Scope::Tree, check: None }
}

/// Every rule, in catalog order.
pub const RULES: &[Rule] = &[
    tree(missing_translation::NAME),
    tree(orphan_translation::NAME),
    rule("table-missing", Scope::Pair, table_missing::check),
    rule("table-extra", Scope::Pair, table_extra::check),
    rule("column-count", Scope::Pair, column_count::check),
    rule("row-missing", Scope::Pair, row_missing::check),
    rule("row-extra", Scope::Pair, row_extra::check),
    rule("row-order", Scope::Pair, row_order::check),
    rule("flag-mismatch", Scope::Pair, flag_mismatch::check),
    rule("marker-mismatch", Scope::Pair, marker_mismatch::check),
    rule("missing-note", Scope::Pair, missing_note::check),
    rule("extra-note", Scope::Pair, extra_note::check),
    rule("note-kind-mismatch", Scope::Pair, note_kind_mismatch::check),
    rule("stale-link", Scope::Pair, stale_link::check),
    rule("missing-link", Scope::Pair, missing_link::check),
    rule("extra-link", Scope::Pair, extra_link::check),
    rule("include-mismatch", Scope::Pair, include_mismatch::check),
    rule("front-matter-invalid", Scope::Translation, front_matter_invalid::check),
    tree(io_error::NAME),
    rule(unused_suppression::NAME, Scope::Suppressions, unused_suppression::check),
];

pub fn get(name: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.name == name)
}

/// A source table, its translation and how their rows pair up.
pub struct TablePair<'a> {
    /// The source table's position among the source's tables (0-based): the stable part
    /// of a structural key, since the source does not move when the translation is edited.
    pub index: usize,
    pub src: &'a Table,
    pub tr: &'a Table,
    pub rows: Vec<Pair>,
    /// Per source column: whether every source cell is a yes/no word or empty.
    pub flag_columns: Vec<bool>,
}

impl<'a> TablePair<'a> {
    /// Rows present on both sides, as (source row, translation row).
    pub fn paired_rows(&self) -> impl Iterator<Item = (&'a Row, &'a Row)> + '_ {
        let (src, tr) = (self.src, self.tr);
        self.rows.iter().filter_map(move |p| match *p {
            Pair::Same(i, j) | Pair::Changed(i, j) | Pair::Moved(i, j) => Some((&src.rows[i], &tr.rows[j])),
            _ => None,
        })
    }

    /// Cells can only be compared column by column when the columns agree.
    pub fn same_shape(&self) -> bool {
        self.src.columns() == self.tr.columns()
    }

    /// The source header of a column, which names it in messages ("GPU support").
    pub fn column_name(&self, col: usize) -> String {
        self.src
            .header
            .get(col)
            .map(|c| c.text.clone())
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| format!("column {}", col + 1))
    }
}

/// Links of one scope (the prose of the page, or one table cell) on both sides.
pub struct LinkGroup<'a> {
    /// The structural key of the scope: empty for the prose, the cell's key for a cell.
    pub scope: String,
    pub src: Vec<&'a Link>,
    pub tr: Vec<&'a Link>,
    pub pairs: Vec<Pair>,
}

/// What a rule sees: both documents, their texts, the settings and shared alignments.
pub struct Cx<'a> {
    pub src: &'a Doc,
    pub tr: &'a Doc,
    pub src_text: &'a str,
    pub tr_text: &'a str,
    pub locale: &'a str,
    pub settings: &'a Settings,
    /// How source tables pair with translation tables, by order.
    pub table_order: Vec<Pair>,
    pub tables: Vec<TablePair<'a>>,
    pub links: Vec<LinkGroup<'a>>,
    /// The translation's suppression comments; `lint_docs` records which were used.
    pub suppressions: Suppressions,
}

impl<'a> Cx<'a> {
    pub fn new(
        src: &'a Doc,
        tr: &'a Doc,
        src_text: &'a str,
        tr_text: &'a str,
        locale: &'a str,
        settings: &'a Settings,
    ) -> Cx<'a> {
        let src_tables: Vec<&Table> = src.tables().collect();
        let tr_tables: Vec<&Table> = tr.tables().collect();
        let table_order = if src_tables.len() == tr_tables.len() {
            (0..src_tables.len()).map(|i| Pair::Changed(i, i)).collect()
        } else {
            align::pairs(&src_tables, &tr_tables, |_, _| false, |a, b| table_similarity(a, b))
        };
        let tables: Vec<TablePair> = table_order
            .iter()
            .filter_map(|p| match *p {
                Pair::Changed(i, j) | Pair::Same(i, j) | Pair::Moved(i, j) => Some((i, src_tables[i], tr_tables[j])),
                _ => None,
            })
            .map(|(index, s, t)| TablePair {
                index,
                src: s,
                tr: t,
                rows: align::pairs(&s.rows, &t.rows, |a, b| a.key == b.key, row_similarity),
                flag_columns: flag_columns(s),
            })
            .collect();
        let mut links = vec![link_group(String::new(), src.links.iter().collect(), tr.links.iter().collect())];
        for t in &tables {
            if !t.same_shape() {
                continue;
            }
            for (s_row, t_row) in t.paired_rows() {
                for (col, (s_cell, t_cell)) in s_row.cells.iter().zip(&t_row.cells).enumerate() {
                    if !s_cell.links.is_empty() || !t_cell.links.is_empty() {
                        links.push(link_group(
                            key::cell(t.index, &s_row.key, col),
                            s_cell.links.iter().collect(),
                            t_cell.links.iter().collect(),
                        ));
                    }
                }
            }
        }
        let suppressions = Suppressions::new(&tr.comments, tr_text);
        Cx { src, tr, src_text, tr_text, locale, settings, table_order, tables, links, suppressions }
    }
}

fn link_group<'a>(scope: String, src: Vec<&'a Link>, tr: Vec<&'a Link>) -> LinkGroup<'a> {
    let pairs = align::pairs(&src, &tr, |a, b| same_target(&a.target, &b.target), |a, b| link_similarity(a, b));
    LinkGroup { scope, src, tr, pairs }
}

impl LinkGroup<'_> {
    /// The structural key of a link of this group: `link:{what}` after the cell's key.
    pub fn key(&self, what: &str) -> String {
        key::under(&self.scope, &format!("link:{what}"))
    }
}

/// Builders for `Finding::key`, the structural identity of a finding (see its docs).
///
/// Tables are numbered from 1 in the source; rows are named by their `RowKey`, which is
/// what alignment matches them by; columns are numbered from 1.
pub mod key {
    use crate::model::RowKey;

    pub fn table(index: usize) -> String {
        format!("table:{}", index + 1)
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

static LOCALE_SEGMENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)/[a-z]{2,3}(?:-[a-z0-9]{2,4}){1,2}/").expect("valid regex"));

/// Link targets compare equal when they differ only in case, a trailing slash or the
/// locale segment of a URL (`/en-us/azure/...` vs `/sv-se/azure/...`), which
/// localization changes on purpose.
pub fn normalize_target(target: &str) -> String {
    let t = target.trim().trim_end_matches('/');
    LOCALE_SEGMENT.replace_all(&t.to_lowercase(), "/{locale}/").into_owned()
}

pub fn same_target(a: &str, b: &str) -> bool {
    a == b || normalize_target(a) == normalize_target(b)
}

/// Two links at the same place are the same link retargeted when they are alone in
/// their gap; file name, fragment or visible text in common make it more certain.
fn link_similarity(a: &Link, b: &Link) -> f32 {
    let (pa, fa) = split_fragment(&a.target);
    let (pb, fb) = split_fragment(&b.target);
    let mut score: f32 = 0.5;
    if !fa.is_empty() && fa == fb {
        score += 0.25;
    }
    if file_name(pa) == file_name(pb) {
        score += 0.25;
    }
    if a.text == b.text {
        score += 0.1;
    }
    score.min(1.0)
}

pub fn split_fragment(target: &str) -> (&str, &str) {
    match target.split_once('#') {
        Some((p, f)) => (p, f),
        None => (target, ""),
    }
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// How alike two rows are, judged only on what does not depend on language: flags,
/// terms, emptiness, numbers and link targets of the cells after the key.
pub fn row_similarity(a: &Row, b: &Row) -> f32 {
    let mut agree = 0.0;
    let mut total = 0.0;
    for (x, y) in a.cells.iter().zip(&b.cells).skip(1) {
        match (&x.value, &y.value) {
            (CellValue::Text, CellValue::Text) => {
                let (nx, ny) = (numbers_of(x), numbers_of(y));
                if !nx.is_empty() || !ny.is_empty() {
                    total += 1.0;
                    if nx == ny {
                        agree += 1.0;
                    }
                }
            }
            (vx, vy) => {
                total += 1.0;
                if vx == vy {
                    agree += 1.0;
                }
            }
        }
        if !x.links.is_empty() || !y.links.is_empty() {
            total += 1.0;
            if x.links.iter().any(|l| y.links.iter().any(|m| same_target(&l.target, &m.target))) {
                agree += 1.0;
            }
        }
    }
    if a.cells.len() != b.cells.len() {
        total += 1.0;
    }
    if total == 0.0 {
        // Nothing language-neutral to compare: neither for nor against.
        return align::MIN_SCORE;
    }
    agree / total
}

fn numbers_of(cell: &Cell) -> Vec<String> {
    cell.numbers.iter().map(|n| crate::text::normalize_number(&n.text)).collect()
}

fn table_similarity(a: &Table, b: &Table) -> f32 {
    let cols = if a.columns() == b.columns() { 0.5 } else { 0.0 };
    let shared = a.rows.iter().filter(|r| b.rows.iter().any(|s| s.key == r.key)).count();
    let total = a.rows.len().max(b.rows.len()).max(1);
    cols + 0.5 * shared as f32 / total as f32
}

/// A column is a flag column when every source cell in it is a yes/no word or empty,
/// and at least one is a word.
fn flag_columns(table: &Table) -> Vec<bool> {
    (0..table.columns())
        .map(|col| {
            let mut any = false;
            for row in &table.rows {
                match row.cells.get(col).map(|c| &c.value) {
                    Some(CellValue::Flag(_)) => any = true,
                    Some(CellValue::Empty) | None => {}
                    Some(_) => return false,
                }
            }
            any && col > 0
        })
        .collect()
}

/// Where to point when something is absent from the translation: the translation row
/// that precedes the place, else the table's first line.
pub fn insertion_point(t: &TablePair, upto: usize, text: &str) -> crate::finding::Span {
    let mut last = None;
    for p in &t.rows[..upto] {
        if let Pair::Same(_, j) | Pair::Changed(_, j) | Pair::Extra(j) = *p {
            last = Some(j);
        }
    }
    match last {
        Some(j) => t.tr.rows[j].span,
        None => first_line(t.tr.span, text),
    }
}

/// The offset where the line holding `at` starts.
pub fn line_start(text: &str, at: usize) -> usize {
    text[..at.min(text.len())].rfind('\n').map_or(0, |i| i + 1)
}

/// The offset where the line holding `at` ends, before its `\n` or `\r\n`.
pub fn line_end(text: &str, at: usize) -> usize {
    let at = at.min(text.len());
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    if end > at && text.as_bytes()[end - 1] == b'\r' {
        end - 1
    } else {
        end
    }
}

/// The offset where the line after the one holding `at` starts (the text's end if none).
pub fn next_line_start(text: &str, at: usize) -> usize {
    let at = at.min(text.len());
    text[at..].find('\n').map_or(text.len(), |i| at + i + 1)
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

/// Alerts pair by kind in document order; a gap of one on each side is a kind change.
pub fn note_pairs(src: &[&crate::model::Alert], tr: &[&crate::model::Alert]) -> Vec<Pair> {
    align::pairs(src, tr, |a, b| a.kind == b.kind, |_, _| align::MIN_SCORE)
}
