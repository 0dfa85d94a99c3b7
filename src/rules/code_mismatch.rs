//! `code-mismatch`: fenced code blocks differ in count, language or content.
//!
//! Translators may translate comments inside code; lines that are only a comment are left
//! out of the content comparison.

use crate::align::{self, Pair};
use crate::finding::{Finding, Span};
use crate::model::CodeBlock;
use crate::rules::{first_line, Cx, RuleId};

pub fn check(cx: &Cx, acc: &mut Vec<Finding>) {
    // A stub gets one untranslated-page finding, not one per block.
    if super::untranslated_page::stub(cx).is_some() {
        return;
    }
    // A MyST fenced directive (```` ```{warning} ````) is an admonition or directive, which
    // the skeleton rules judge.
    let not_directive = |c: &&CodeBlock| !c.lang.starts_with('{');
    let src: Vec<&CodeBlock> = cx.src.code_blocks().filter(not_directive).collect();
    let tr: Vec<&CodeBlock> = cx.tr.code_blocks().filter(not_directive).collect();
    let pairs = align::pairs(
        &src,
        &tr,
        // Code is most often copied as it stands: equal texts have equal code lines.
        |a, b| a.lang == b.lang && (a.text == b.text || code_lines(a).eq(code_lines(b))),
        |a, b| if a.lang == b.lang { 0.9 } else { 0.6 },
    );
    let mut last = Span::new(0, 0);
    for p in pairs {
        match p {
            Pair::Same(_, j) | Pair::Moved(_, j) => last = first_line(tr[j].span, cx.tr_text),
            Pair::Changed(i, j) => {
                let span = first_line(tr[j].span, cx.tr_text);
                last = span;
                let source = first_line(src[i].span, cx.src_text);
                if src[i].lang != tr[j].lang {
                    acc.push(
                        Finding::new(
                            RuleId::CodeMismatch,
                            span,
                            format!("code block is `{}`; the source's is `{}`", lang(tr[j]), lang(src[i])),
                        )
                        .with_source(source),
                    );
                } else {
                    let (a, b) = (code(src[i]), code(tr[j]));
                    let line = a.iter().zip(&b).position(|(x, y)| x != y).unwrap_or(a.len().min(b.len()));
                    acc.push(
                        Finding::new(
                            RuleId::CodeMismatch,
                            span,
                            format!(
                                "this `{}` code block differs from the source's at code line {}",
                                lang(tr[j]),
                                line + 1
                            ),
                        )
                        .with_source(source)
                        .with_help("code is not translated; copy it from the source (translated comments are fine)"),
                    );
                }
            }
            Pair::Missing(i) => acc.push(
                Finding::new(
                    RuleId::CodeMismatch,
                    // Where it belongs: after the counterpart of the block before it in the
                    // page's one alignment (not after the previous code block, or at 1:1).
                    super::block_missing::place_of(cx, crate::skeleton::Kind::Code, src[i].span.start).unwrap_or(last),
                    format!(
                        "the source's `{}` code block is missing here ({} code blocks in the source, {} here)",
                        lang(src[i]),
                        src.len(),
                        tr.len()
                    ),
                )
                .with_source(first_line(src[i].span, cx.src_text)),
            ),
            Pair::Extra(j) => {
                last = first_line(tr[j].span, cx.tr_text);
                acc.push(Finding::new(
                    RuleId::CodeMismatch,
                    last,
                    format!("this `{}` code block has no counterpart in the source", lang(tr[j])),
                ));
            }
        }
    }
}

fn lang(c: &CodeBlock) -> &str {
    if c.lang.is_empty() {
        "plain"
    } else {
        &c.lang
    }
}

/// Code lines without comment-only lines and surrounding white space.
fn code(c: &CodeBlock) -> Vec<&str> {
    code_lines(c).collect()
}

/// `code`, line by line: blocks are compared for every pair, most often equal.
fn code_lines(c: &CodeBlock) -> impl Iterator<Item = &str> {
    c.text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .filter(|l| !["#", "//", "--", ";", "REM ", "rem ", "/*", "*", "<!--", "'"].iter().any(|m| l.starts_with(m)))
}

