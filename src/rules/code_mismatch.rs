//! `code-mismatch`: fenced code blocks differ in count, language or content.
//!
//! Code blocks pair as the page's one skeleton alignment pairs them (`Cx::blocks`), so this
//! rule and block-missing never disagree on which block is which: a source code block inside
//! a container that block-missing reports missing is that container's finding, not one here. Translators may translate comments inside code; lines that are
//! only a comment are left out of the content comparison.

use crate::align::Pair;
use crate::finding::{Finding, Span};
use crate::model::CodeBlock;
use crate::rules::{first_line, Cx, RuleId};
use crate::skeleton::{Kind, Skeleton};

/// A skeleton code block as this rule compares it: the model's code block at its place
/// (its language and text as the parser reads them), else its text read from the span (a
/// `{{< highlight >}}` body, which is no code block to CommonMark).
struct Code<'t> {
    lang: &'t str,
    text: &'t str,
    span: Span,
}

pub fn check<'a>(cx: &Cx<'a>, acc: &mut Vec<Finding>) {
    // A stub gets one untranslated-page finding, not one per block.
    if super::untranslated_page::stub(cx).is_some() {
        return;
    }
    let al = cx.blocks();
    let src = codes(al.src, cx.src_text, cx.src.code_blocks());
    let tr = codes(&al.tr, cx.tr_text, cx.tr.code_blocks());
    // Code the skeleton does not see (an indented code block, which its line scanner does
    // not read): a fence kept there as indented code is not missing, nor extra.
    let unseen = |codes: &[Option<Code>], model: &'a crate::model::Doc| -> Vec<Vec<&'a str>> {
        model
            .code_blocks()
            .filter(|c| !codes.iter().flatten().any(|k| k.text.as_ptr() == c.text.as_ptr()))
            .map(|c| code_lines(&Code { lang: &c.lang, text: &c.text, span: c.span }).collect())
            .collect()
    };
    let (src_unseen, tr_unseen) = (unseen(&src, cx.src), unseen(&tr, cx.tr));
    let in_unseen = |c: &Code, unseen: &[Vec<&str>]| {
        let lines: Vec<&str> = code_lines(c).collect();
        !lines.is_empty() && unseen.contains(&lines)
    };
    let count = |v: &[Option<Code>]| v.iter().flatten().count();
    for p in &al.pairs {
        match *p {
            Pair::Same(i, j) | Pair::Changed(i, j) | Pair::Moved(i, j) => {
                // A code block paired with a block of another kind has equal text (the
                // alignment pairs no other way across kinds): nothing differs.
                let (Some(a), Some(b)) = (&src[i], &tr[j]) else { continue };
                // In a container block-missing reports, the container is the finding.
                if al.in_unpaired(al.src, i, true) {
                    continue;
                }
                let span = first_line(b.span, cx.tr_text);
                let source = first_line(a.span, cx.src_text);
                if a.lang != b.lang {
                    acc.push(
                        Finding::new(
                            RuleId::CodeMismatch,
                            span,
                            format!("code block is `{}`; the source's is `{}`", lang(b), lang(a)),
                        )
                        .with_source(source),
                    );
                } else if a.text != b.text && !code_lines(a).eq(code_lines(b)) {
                    let (x, y): (Vec<&str>, Vec<&str>) = (code_lines(a).collect(), code_lines(b).collect());
                    let line = x.iter().zip(&y).position(|(x, y)| x != y).unwrap_or(x.len().min(y.len()));
                    acc.push(
                        Finding::new(
                            RuleId::CodeMismatch,
                            span,
                            format!("this `{}` code block differs from the source's at code line {}", lang(b), line + 1),
                        )
                        .with_source(source)
                        .with_help("code is not translated; copy it from the source (translated comments are fine)"),
                    );
                }
            }
            Pair::Missing(i) => {
                let Some(a) = &src[i] else { continue };
                if al.in_unpaired(al.src, i, true) || in_unseen(a, &tr_unseen) {
                    continue;
                }
                acc.push(
                    Finding::new(
                        RuleId::CodeMismatch,
                        // Where it belongs: after the counterpart of the block before it.
                        al.place_of_missing(i, cx.tr_text),
                        format!(
                            "the source's `{}` code block is missing here ({} code blocks in the source, {} here)",
                            lang(a),
                            count(&src),
                            count(&tr)
                        ),
                    )
                    .with_source(first_line(a.span, cx.src_text)),
                );
            }
            Pair::Extra(j) => {
                // Reported in a container of the translation's own too: block-extra,
                // which would report that container, is off by default.
                let Some(b) = &tr[j] else { continue };
                if in_unseen(b, &src_unseen) {
                    continue;
                }
                acc.push(Finding::new(
                    RuleId::CodeMismatch,
                    first_line(b.span, cx.tr_text),
                    format!("this `{}` code block has no counterpart in the source", lang(b)),
                ));
            }
        }
    }
}

/// Each skeleton block's code (`None` for other kinds): the model's code block that
/// overlaps its span, else the text between its first and last lines. A MyST fenced
/// directive (```` ```{warning} ````) is an admonition or directive, which the skeleton
/// rules judge, in a dialect that does not know it too.
fn codes<'t, 'd: 't>(sk: &Skeleton, text: &'t str, model: impl Iterator<Item = &'d CodeBlock>) -> Vec<Option<Code<'t>>> {
    let model: Vec<&CodeBlock> = model.collect();
    sk.blocks
        .iter()
        .map(|b| {
            if b.kind != Kind::Code || text[b.head.start..].starts_with('{') {
                return None;
            }
            // Both lists are in page order. The model's block must open on this block's
            // first line: an indented code block around it (a fence indented in JSX) is
            // another block, whose text is more than this one's.
            let first = crate::text::line_end(text, b.span.start);
            let k = model.partition_point(|c| c.span.start < b.span.start);
            if let Some(c) = model.get(k).filter(|c| c.span.start <= first) {
                return (!c.lang.starts_with('{')).then_some(Code { lang: &c.lang, text: &c.text, span: b.span });
            }
            let body = &text[b.span.start..b.span.end];
            let inner = body.split_once('\n').map_or("", |(_, rest)| rest);
            let inner = inner.rsplit_once('\n').map_or("", |(rest, _)| rest);
            let head = text[b.head.start..b.head.end].trim();
            // `{{< highlight go "linenos=table" >}}`: the language is its first argument.
            let lang = match crate::skeleton::shortcode_at(head) {
                Some((_, name, _)) => {
                    head.split_whitespace().skip_while(|w| !w.contains(name)).nth(1).unwrap_or("").trim_matches('"')
                }
                None => head,
            };
            Some(Code { lang, text: inner, span: b.span })
        })
        .collect()
}

fn lang<'c>(c: &'c Code) -> &'c str {
    if c.lang.is_empty() {
        "plain"
    } else {
        c.lang
    }
}

/// Code lines without comments and surrounding white space; compared line by line for
/// every pair, most often equal. A comment is a comment-only line, a line of a `/* … */` or
/// `<!-- … -->` block, or what follows ` # ` or ` // ` on a line of code (`replicas: 1 #
/// defaulted by apiserver`): translators translate all of them.
fn code_lines<'c>(c: &Code<'c>) -> impl Iterator<Item = &'c str> {
    let mut closing: Option<&str> = None;
    c.text.lines().map(str::trim).filter_map(move |l| {
        if let Some(close) = closing {
            if l.contains(close) {
                closing = None;
            }
            return None;
        }
        for (open, close) in [("/*", "*/"), ("<!--", "-->")] {
            if l.starts_with(open) && !l.contains(close) {
                closing = Some(close);
                return None;
            }
        }
        if l.is_empty() || ["#", "//", "--", ";", "REM ", "rem ", "/*", "*", "<!--", "'"].iter().any(|m| l.starts_with(m)) {
            return None;
        }
        let code = [" # ", " // "].iter().filter_map(|m| l.find(m)).min().map_or(l, |k| l[..k].trim_end());
        Some(code)
    })
}
