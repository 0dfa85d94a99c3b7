//! `block-missing`: a skeleton block of the source (paragraph, list item, command, quote line,
//! admonition, directive, include, HTML block) has no counterpart in the translation.
//!
//! Headings, tables, code blocks, `> [!NOTE]` alerts and `[!INCLUDE]`s have rules of their
//! own (heading-mismatch, table-missing, code-mismatch, missing-note, include-mismatch);
//! directives inside a line of prose belong to that prose, which translators reword.

use crate::align::Pair;
use crate::rules::RuleId;
use crate::finding::Finding;
use crate::rules::Cx;

pub fn check(cx: &Cx, acc: &mut Vec<Finding>) {
    if super::untranslated_page::stub(cx).is_some() {
        return;
    }
    let al = cx.blocks();
    let unpaired: Vec<usize> =
        al.pairs.iter().filter_map(|p| if let Pair::Missing(k) = *p { Some(k) } else { None }).collect();
    for p in &al.pairs {
        let Pair::Missing(i) = *p else { continue };
        let b = &al.src.blocks[i];
        if !b.is_skeleton_finding(cx.src_text) || al.src.in_gfm_alert(i, cx.src_text) || al.in_unpaired(al.src, i, true) {
            continue;
        }
        // A command whose description went with it is one example, reported once.
        if i > 0 && al.src.is_example(i - 1) && unpaired.contains(&(i - 1)) {
            continue;
        }
        let what = al.src.describe(i, cx.src_text);
        acc.push(
            Finding::new(
                RuleId::BlockMissing,
                al.place_of_missing(i, cx.tr_text),
                format!("the source's {what} is missing after this line: \"{}\"", al.src.quote(i, cx.src_text)),
            )
            .with_source(b.span)
            .with_key(format!("block:{}", what)),
        );
    }
}
