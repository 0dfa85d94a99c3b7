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
    let extra: Vec<String> = al
        .pairs
        .iter()
        .filter_map(|p| if let Pair::Extra(j) = *p { Some(flat(&cx.tr_text[al.tr.blocks[j].span.start..al.tr.blocks[j].span.end])) } else { None })
        .collect();
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
        let body = &cx.src_text[b.span.start..b.span.end];
        if same_text_elsewhere(&flat(body), &extra) {
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

/// A block's words without Markdown's line prefixes (`>`, list markers) or HTML tags, with
/// whitespace collapsed, to see the same text in another form (a `> quote` that a
/// translation keeps as `<pre>…</pre>`).
pub(crate) fn flat(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    for line in body.lines() {
        let line = line.trim_start().trim_start_matches(['>', ' ']).trim_start_matches(['-', '*', '+']);
        for word in without_tags(line).split_whitespace() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
        }
    }
    out
}

/// Whether this text (long enough to mean something) is the whole or part of one of the
/// other side's unpaired blocks: the block is there, in another form.
pub(crate) fn same_text_elsewhere(text: &str, others: &[String]) -> bool {
    text.chars().count() >= 20 && others.iter().any(|o| o.contains(text))
}

fn without_tags(line: &str) -> std::borrow::Cow<'_, str> {
    if !line.contains('<') {
        return line.into();
    }
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        match rest[i..].find('>') {
            Some(e) if rest[i + 1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '/') => {
                out.push(' ');
                rest = &rest[i + e + 1..];
            }
            _ => {
                out.push('<');
                rest = &rest[i + 1..];
            }
        }
    }
    out.push_str(rest);
    out.into()
}

/// Where a source block of this kind starting at `at` (a code block, an alert) belongs in
/// the translation when it is missing there: after the counterpart of the block before it
/// in the page's one alignment. `None` when the skeleton has no such block.
pub(crate) fn place_of(cx: &Cx, kind: crate::skeleton::Kind, at: usize) -> Option<crate::finding::Span> {
    let al = cx.blocks();
    let k = al.src.blocks.iter().position(|b| b.kind == kind && b.span.start <= at && at < b.span.end.max(b.span.start + 1))?;
    Some(al.place_of_missing(k, cx.tr_text))
}
