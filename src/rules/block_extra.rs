//! `block-extra`: the translation has a skeleton block with no counterpart in the source.

use crate::align::Pair;
use crate::rules::RuleId;
use crate::finding::Finding;
use crate::rules::Cx;

use super::block_missing::{flat, same_text_elsewhere};

pub fn check(cx: &Cx, acc: &mut Vec<Finding>) {
    if super::untranslated_page::stub(cx).is_some() {
        return;
    }
    let al = cx.blocks();
    let unpaired: Vec<usize> =
        al.pairs.iter().filter_map(|p| if let Pair::Extra(k) = *p { Some(k) } else { None }).collect();
    let missing: Vec<String> = al
        .pairs
        .iter()
        .filter_map(|p| match *p {
            Pair::Missing(i) => Some(flat(&cx.src_text[al.src.blocks[i].span.start..al.src.blocks[i].span.end])),
            _ => None,
        })
        .collect();
    for p in &al.pairs {
        let Pair::Extra(j) = *p else { continue };
        let b = &al.tr.blocks[j];
        if !b.is_skeleton_finding(cx.tr_text) || al.tr.in_gfm_alert(j, cx.tr_text) || al.in_unpaired(&al.tr, j, false) {
            continue;
        }
        // A command whose description went with it is one example, reported once.
        if j > 0 && al.tr.is_example(j - 1) && unpaired.contains(&(j - 1)) {
            continue;
        }
        let body = &cx.tr_text[b.span.start..b.span.end];
        if same_text_elsewhere(&flat(body), &missing) {
            continue;
        }
        let what = al.tr.describe(j, cx.tr_text);
        let line_end = cx.tr_text[b.span.start..].find('\n').map_or(b.span.end, |k| (b.span.start + k).min(b.span.end));
        acc.push(
            Finding::new(
                RuleId::BlockExtra,
                crate::finding::Span::new(b.span.start, line_end),
                format!("the translation's {what} has no counterpart in the source: '{}'", al.tr.quote(j, cx.tr_text)),
            )
            .with_key(format!("extra-block:{what}")),
        );
    }
}
