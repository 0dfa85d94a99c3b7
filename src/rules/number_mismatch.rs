//! `number-mismatch`: numbers in a cell, note or paragraph differ from the source's.
//!
//! Numbers compare as values, whatever the locale writes: `1,5 GB` is `1.5 GB`, and
//! `10 000` is `10,000`. Only blocks paired with certainty are compared: table cells of
//! aligned rows, notes of the same kind in order, paragraphs of sections that agree, and
//! paragraphs the translator merged or split, as the skeleton alignment finds them.
//! Whole numbers up to ten that one side writes as a word are not reported (see
//! `compare`).

use std::collections::BTreeMap;

use crate::align::Pair;
use crate::finding::{Finding, Span};
use crate::model::Number;
use crate::parse::paragraph_numbers;
use crate::rules::{row_name, Cx, RuleId};
use crate::text::normalize_number;

pub fn check(cx: &Cx, acc: &mut Vec<Finding>) {
    // A stub gets one untranslated-page finding, not one per block.
    if super::untranslated_page::stub(cx).is_some() {
        return;
    }
    for t in &cx.tables {
        for (s_row, col, s, tr) in t.changed_cells() {
            // Named only for a finding: most cells have no number at all.
            let place = || format!("\"{}\" of row {}", t.column_name(col), row_name(s_row));
            compare(cx, s.numbers(), tr.numbers(), s.span, tr.span, place, acc);
        }
    }
    let (src, tr) = (&cx.src_alerts, &cx.tr_alerts);
    for &p in &cx.notes {
        if let crate::align::Pair::Same(i, j) | crate::align::Pair::Changed(i, j) = p {
            compare(
                cx,
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
        let raw = &cx.src_text[s.span.start..s.span.end];
        // Commands are compared by command-mismatch, placeholders and all; a paragraph
        // the same in both has the same numbers, left unread.
        if crate::skeleton::is_command(raw) || s.text == t.text && raw == &cx.tr_text[t.span.start..t.span.end] {
            continue;
        }
        let (sn, tn) = (paragraph_numbers(s, cx.src_text), paragraph_numbers(t, cx.tr_text));
        compare(cx, sn, tn, s.span, t.span, || "this paragraph".to_string(), acc);
    }
    merged(cx, acc);
}

/// Paragraphs the translator merged or split: the pairing by position above skips their
/// section, so the skeleton alignment's merges are compared as one block each side (the
/// numbers are the same whichever paragraph carries them).
fn merged(cx: &Cx, acc: &mut Vec<Finding>) {
    // Most pages pair every section by position: then there is nothing merged to compare.
    if cx.src.paragraphs().count() == cx.tr.paragraphs().count() {
        return;
    }
    let al = cx.blocks();
    let (src, tr) = (&al.src.blocks, &al.tr.blocks);
    // A block in no pair at all was merged into (or split from) a neighbour: the
    // alignment drops those rather than calling them missing or extra.
    let mut placed_src = vec![false; src.len()];
    let mut placed_tr = vec![false; tr.len()];
    for p in &al.pairs {
        match *p {
            Pair::Same(i, j) | Pair::Changed(i, j) | Pair::Moved(i, j) => (placed_src[i], placed_tr[j]) = (true, true),
            Pair::Missing(i) => placed_src[i] = true,
            Pair::Extra(j) => placed_tr[j] = true,
        }
    }
    // How much longer a paired block's counterpart is than itself: a dropped block went
    // to the neighbour that grew the most.
    let mut growth_src = vec![0.0f32; src.len()];
    let mut growth_tr = vec![0.0f32; tr.len()];
    for (i, j) in al.paired() {
        growth_src[i] = tr[j].span.len() as f32 / src[i].span.len().max(1) as f32;
        growth_tr[j] = src[i].span.len() as f32 / tr[j].span.len().max(1) as f32;
    }
    // The run of dropped blocks of `at`'s kind around it that belong to it (a paragraph
    // split into list items is a rewrite, not a split), as a byte range and a count.
    let run = |blocks: &[crate::skeleton::Block], placed: &[bool], growth: &[f32], at: usize| {
        let loose = |k: usize| !placed[k] && blocks[k].kind == blocks[at].kind;
        // A dropped block between two paired ones belongs to the one that grew more.
        let dropped = |k: usize| {
            loose(k) && {
                let prev = (0..k).rev().find(|&x| !loose(x));
                let next = (k + 1..blocks.len()).find(|&x| !loose(x));
                let g = |x: Option<usize>| x.map_or(-1.0, |x| growth[x]);
                if at < k { g(Some(at)) >= g(next) } else { g(Some(at)) > g(prev) }
            }
        };
        let mut first = at;
        while first > 0 && dropped(first - 1) {
            first -= 1;
        }
        let mut last = at;
        while last + 1 < blocks.len() && dropped(last + 1) {
            last += 1;
        }
        (first != at || last != at).then(|| (Span::new(blocks[first].span.start, blocks[last].span.end), last - first + 1))
    };
    let numbers_in = |doc: &crate::model::Doc, file: &str, range: Span| -> Vec<Number> {
        doc.paragraphs()
            .filter(|p| p.span.start < range.end && range.start < p.span.end)
            .flat_map(|p| {
                let inside = move |n: &&Number| range.start <= n.span.start && n.span.end <= range.end;
                paragraph_numbers(p, file).iter().filter(inside).cloned()
            })
            .collect()
    };
    // Only around blocks whose place is certain: the pairs on either side are the same
    // blocks (kind and neutral tokens), or the page ends there. In a page rewritten since
    // its translation, blocks paired by likeness alone can be unrelated prose, and their
    // numbers say nothing (measured on docfx-nuget: most such findings compared different
    // paragraphs).
    let certain = |k: usize| {
        let same = |p: Option<&Pair>| matches!(p, None | Some(Pair::Same(..)));
        same(k.checked_sub(1).and_then(|b| al.pairs.get(b))) && same(al.pairs.get(k + 1))
    };
    for (k, p) in al.pairs.iter().enumerate() {
        let (Pair::Same(i, j) | Pair::Changed(i, j)) = *p else { continue };
        if !src[i].kind.is_prose() || !tr[j].kind.is_prose() || !(matches!(p, Pair::Same(..)) || certain(k)) {
            continue;
        }
        let (a, b) = (run(src, &placed_src, &growth_src, i), run(tr, &placed_tr, &growth_tr, j));
        let place = match (a, b) {
            (None, None) => continue,
            (Some((_, n)), _) => format!("this paragraph (the source's {n} merged into one)"),
            (None, Some((_, n))) => format!("this split paragraph ({n} here, one in the source)"),
        };
        let (a, b) = (a.map_or(src[i].span, |r| r.0), b.map_or(tr[j].span, |r| r.0));
        let (sn, tn) = (numbers_in(cx.src, cx.src_text, a), numbers_in(cx.tr, cx.tr_text, b));
        compare(cx, &sn, &tn, a, b, || place, acc);
    }
}

fn compare(
    cx: &Cx,
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
    // A number in a directive's arguments (`{{< feature-state for_k8s_version="v1.30" >}}`)
    // is directive-mismatch's to report, with the argument's name. Read only here, where
    // the numbers differ: the skeleton is not needed for the many blocks that agree.
    if !missing.is_empty() || !extra.is_empty() {
        let al = cx.blocks();
        missing.retain(|n| !in_arguments(al.src, n.span));
        extra.retain(|n| !in_arguments(&al.tr, n.span));
    }
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

/// Whether a number sits in the arguments of a directive or include, block or inline.
fn in_arguments(sk: &crate::skeleton::Skeleton, at: Span) -> bool {
    use crate::skeleton::Kind;
    sk.blocks
        .iter()
        .any(|b| matches!(b.kind, Kind::Directive | Kind::Include) && b.head.start <= at.start && at.end <= b.head.end)
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
