//! `block-extra`: the translation has a skeleton block with no counterpart in the source.

use crate::align::Pair;
use crate::rules::RuleId;
use crate::finding::Finding;
use crate::rules::Cx;

use super::block_missing::{
    command_elsewhere, command_of, flat, in_one_block, neutral_tokens, same_line_elsewhere, same_text_elsewhere,
};

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
        if !b.is_skeleton_finding(cx.tr_text)
            || !telling(&al.tr, j, cx.tr_text)
            || al.tr.in_gfm_alert(j, cx.tr_text)
            || al.in_unpaired(&al.tr, j, false)
        {
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
            || command_of(&al.tr, j, cx.tr_text, &unpaired)
                .is_some_and(|c| command_elsewhere(al, c, true, (cx.src_text, cx.tr_text), false))
            || b.kind == crate::skeleton::Kind::Alert && admonition_elsewhere(al, j, cx)
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

/// Whether an unpaired block of the translation says by its form that the source lacks it:
/// a command or an example, an admonition, a directive, an include, an HTML block, a DocFX
/// extension line (`> [!Video …]`). Prose is not: when the source rewords a paragraph, a
/// list item or a quote line, its translation keeps no code span or link to pair it by,
/// and on the real corpora such prose was as often reworded as removed (a random 30 of
/// all block-extra findings was 73% real, prose making most of the rest).
fn telling(side: &crate::skeleton::Skeleton, j: usize, text: &str) -> bool {
    use crate::skeleton::Kind;
    let b = &side.blocks[j];
    match b.kind {
        Kind::Paragraph => false,
        Kind::ListItem => side.is_example(j),
        Kind::Quote => text[b.head.start..b.head.end].trim_start().trim_start_matches('>').trim_start().starts_with("[!"),
        _ => true,
    }
}

/// Whether an admonition of the translation is, by its code spans and link targets, one the
/// source has elsewhere on the page (the section it is in was moved or restructured): an
/// admonition of the same kind whose text holds all of them.
fn admonition_elsewhere(al: &crate::skeleton::Alignment, j: usize, cx: &Cx) -> bool {
    let b = &al.tr.blocks[j];
    let tokens = neutral_tokens(&cx.tr_text[b.span.start..b.span.end]);
    if tokens.is_empty() {
        return false;
    }
    let kind = |side: &crate::skeleton::Skeleton, k: usize, text: &str| {
        crate::skeleton::neutral(&side.blocks[k], text, cx.settings.dialect)
    };
    let own = kind(&al.tr, j, cx.tr_text);
    al.src.blocks.iter().enumerate().any(|(k, s)| {
        s.kind == crate::skeleton::Kind::Alert
            && kind(al.src, k, cx.src_text) == own
            && tokens.iter().all(|t| cx.src_text[s.span.start..s.span.end].contains(t.as_str()))
    })
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
