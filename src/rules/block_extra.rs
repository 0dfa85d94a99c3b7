//! `block-extra`: the translation has a skeleton block with no counterpart in the source.

use crate::align::Pair;
use crate::rules::RuleId;
use crate::finding::Finding;
use crate::rules::Cx;

use super::block_missing::{flat, in_one_block, same_line_elsewhere, same_text_elsewhere};

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
    let missing_lines: Vec<String> = al
        .pairs
        .iter()
        .filter_map(|p| if let Pair::Missing(i) = *p { Some(&cx.src_text[al.src.blocks[i].span.start..al.src.blocks[i].span.end]) } else { None })
        .flat_map(|body| body.lines().map(flat))
        .collect();
    let mut partner = vec![usize::MAX; al.src.blocks.len()];
    for (i, j) in al.paired() {
        partner[i] = j;
    }
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
        // The source's block in another form: the same text, one whole line of it (quote
        // lines kept as one `<pre>`), or its code and link targets in one block the
        // source has elsewhere, which is not this block's counterpart.
        if same_text_elsewhere(&flat(body), &missing)
            || body.lines().any(|l| same_line_elsewhere(&flat(l), &missing_lines))
            || in_one_block((&al.tr, cx.tr_text), j, (al.src, cx.src_text), &partner)
            || b.kind == crate::skeleton::Kind::Html && anchor_only(body)
        {
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

/// An HTML block of empty anchors (`<a name="cousin-dependencies"></a>` over the heading
/// that carries the same id): nothing a reader sees, so nothing that can say more than the
/// source. Whether links still reach it is the link rules' question.
fn anchor_only(body: &str) -> bool {
    let mut rest = body;
    let mut anchors = 0;
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            return anchors > 0;
        }
        let end = if rest.starts_with("<!--") {
            rest.find("-->").map(|k| k + 3)
        } else if rest.starts_with("<a ") || rest.starts_with("</a>") {
            anchors += 1;
            rest.find('>').map(|k| k + 1)
        } else {
            None
        };
        let Some(end) = end else { return false };
        rest = &rest[end..];
    }
}
