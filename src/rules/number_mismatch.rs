//! `number-mismatch`: numbers in a cell, note or paragraph differ from the source's.
//!
//! Numbers compare as values, whatever the locale writes: `1,5 GB` is `1.5 GB`, and
//! `10 000` is `10,000`. Only blocks paired with certainty are compared: table cells of
//! aligned rows, notes of the same kind in order, paragraphs of sections that agree.
//! Whole numbers up to ten that one side writes as a word are not reported (see
//! `compare`).

use std::collections::BTreeMap;

use crate::rules::RuleId;
use crate::finding::{Finding, Span};
use crate::model::Number;
use crate::rules::{row_name, Cx};
use crate::text::normalize_number;

pub fn check(cx: &Cx, acc: &mut Vec<Finding>) {
    // A stub gets one untranslated-page finding, not one per block.
    if super::untranslated_page::stub(cx).is_some() {
        return;
    }
    for t in &cx.tables {
        if !t.same_shape() {
            continue;
        }
        for (s_row, t_row) in t.paired_rows() {
            for (col, (s, tr)) in s_row.cells.iter().zip(&t_row.cells).enumerate() {
                // Named only for a finding: most cells have no number at all.
                let place = || format!("\"{}\" of row {}", t.column_name(col), row_name(s_row));
                compare(&s.numbers, &tr.numbers, s.span, tr.span, place, acc);
            }
        }
    }
    let (src, tr) = (&cx.src_alerts, &cx.tr_alerts);
    for &p in &cx.notes {
        if let crate::align::Pair::Same(i, j) | crate::align::Pair::Changed(i, j) = p {
            compare(
                &src[i].numbers,
                &tr[j].numbers,
                src[i].marker_span,
                tr[j].marker_span,
                || format!("this {}", tr[j].kind.as_str()),
                acc,
            );
        }
    }
    for (s, t) in &cx.paragraphs {
        // Commands are compared by command-mismatch, placeholders and all.
        if crate::skeleton::is_command(&cx.src_text[s.span.start..s.span.end]) {
            continue;
        }
        compare(&s.numbers, &t.numbers, s.span, t.span, || "this paragraph".to_string(), acc);
    }
}

fn compare(
    src: &[Number],
    tr: &[Number],
    src_block: Span,
    tr_block: Span,
    place: impl FnOnce() -> String,
    acc: &mut Vec<Finding>,
) {
    // The same numbers written the same way, as in most blocks: nothing to normalize.
    if src.len() == tr.len() && src.iter().zip(tr).all(|(a, b)| a.text == b.text) {
        return;
    }
    let (want, have) = (count(src), count(tr));
    let mut missing: Vec<&Number> =
        want.iter().flat_map(|(k, v)| v.iter().skip(have.get(k).map_or(0, Vec::len)).copied()).collect();
    let mut extra: Vec<&Number> =
        have.iter().flat_map(|(k, v)| v.iter().skip(want.get(k).map_or(0, Vec::len)).copied()).collect();
    // Small counts are written as words on one side and digits on the other ("5 minutes"
    // is "cinq minutes", "one identity" is "1 つの ID"): a small whole number that is only
    // missing, or only extra, is a matter of style. A number replaced by another is not.
    if extra.is_empty() {
        missing.retain(|n| !is_small_count(n));
    }
    if missing.is_empty() {
        extra.retain(|n| !is_small_count(n));
    }
    if missing.is_empty() && extra.is_empty() {
        return;
    }
    // One finding per block: "48 in the source is 64 here" reads better than two.
    let place = place();
    let list = |ns: &[&Number]| ns.iter().map(|n| n.text.as_str()).collect::<Vec<_>>().join(", ");
    let message = match (missing.is_empty(), extra.is_empty()) {
        (false, false) => format!("{place} has {} where the source has {}", list(&extra), list(&missing)),
        (false, true) => format!("{place} lacks the number {} of the source", list(&missing)),
        _ => format!("{place} has the number {} that the source does not", list(&extra)),
    };
    let span = extra.first().map_or(tr_block, |n| n.span);
    let source_span = missing.first().map_or(src_block, |n| n.span);
    acc.push(Finding::new(RuleId::NumberMismatch, span, message).with_source(source_span));
}

/// A whole number from 0 to 10, which style guides spell out in running text.
fn is_small_count(n: &Number) -> bool {
    n.text.chars().all(|c| c.is_ascii_digit()) && n.text.parse::<u32>().is_ok_and(|v| v <= 10)
}

fn count(numbers: &[Number]) -> BTreeMap<String, Vec<&Number>> {
    let mut m: BTreeMap<String, Vec<&Number>> = BTreeMap::new();
    for n in numbers {
        m.entry(normalize_number(&n.text)).or_default().push(n);
    }
    m
}
