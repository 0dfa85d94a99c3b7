//! `directive-mismatch`: a shortcode / directive's language-neutral arguments differ from the
//! source's (Hugo feature-state version or state, glossary term, code sample file), or an
//! include names another file, in any dialect.

use crate::rules::RuleId;
use crate::finding::Finding;
use crate::rules::Cx;
use crate::skeleton::{directive_key, directive_parts, include_target, neutral_value, Kind};

pub fn check(cx: &Cx, acc: &mut Vec<Finding>) {
    let al = cx.blocks();
    let dialect = cx.settings.dialect;
    // Directives inside prose follow the sentence's word order, which translation changes:
    // one whose counterpart appears elsewhere on the other side was moved, not changed.
    let inline_keys = |sk: &crate::skeleton::Skeleton, text: &str| -> Vec<String> {
        sk.blocks.iter().filter(|b| b.inline).map(|b| directive_key(&text[b.head.start..b.head.end], dialect)).collect()
    };
    let (src_inline, tr_inline) = (inline_keys(al.src, cx.src_text), inline_keys(&al.tr, cx.tr_text));
    for (i, j) in al.paired() {
        let (s, t) = (&al.src.blocks[i], &al.tr.blocks[j]);
        let (sh, th) = (&cx.src_text[s.head.start..s.head.end], &cx.tr_text[t.head.start..t.head.end]);
        match (s.kind, t.kind) {
            (Kind::Directive, Kind::Directive) => {
                let (a, b) = (directive_key(sh, dialect), directive_key(th, dialect));
                if a == b || s.inline && t.inline && tr_inline.contains(&a) && src_inline.contains(&b) {
                    continue;
                }
                let name = a.split(' ').next().unwrap_or("");
                let message = match differing_arg(sh, th, &a, &b) {
                    Some((k, x, Some(y))) => format!("`{name}` has {k}=`{y}` here; the source's is `{x}`"),
                    Some((k, x, None)) => format!("`{name}` has no {k} here; the source's is `{x}`"),
                    None => format!("this directive is `{b}`; the source's is `{a}`"),
                };
                acc.push(
                    Finding::new(RuleId::DirectiveMismatch, t.head, message)
                        .with_source(s.head)
                        .with_key(format!("directive:{a}")),
                );
            }
            (Kind::Include, Kind::Include) => {
                let (a, b) = (include_target(sh), include_target(th));
                // `[!INCLUDE]` paths are include-mismatch's.
                if a == b || cx.src_text[s.span.start..].starts_with("[!") {
                    continue;
                }
                acc.push(
                    Finding::new(
                        RuleId::DirectiveMismatch,
                        t.head,
                        format!("this include names `{b}`; the source's names `{a}`"),
                    )
                    .with_source(s.head)
                    .with_key(format!("include:{a}")),
                );
            }
            _ => {}
        }
    }
}

/// The first neutral argument whose value differs: (argument, source value, translation value).
fn differing_arg(sh: &str, th: &str, a: &str, b: &str) -> Option<(String, String, Option<String>)> {
    let (_, sa) = directive_parts(sh);
    let (_, ta) = directive_parts(th);
    let neutral =
        |key: &str| a.split(' ').chain(b.split(' ')).any(|t| t.split_once('=').is_some_and(|(k, _)| k == key));
    for (k, v) in sa.iter().filter_map(|(k, v)| k.map(|k| (k, *v))) {
        if !neutral(k) {
            continue;
        }
        let other = ta.iter().find(|(tk, _)| *tk == Some(k)).map(|(_, tv)| *tv);
        match other {
            Some(tv) if neutral_value(tv) == neutral_value(v) => {}
            Some(tv) => return Some((k.to_string(), v.to_string(), Some(tv.to_string()))),
            None => return Some((k.to_string(), v.to_string(), None)),
        }
    }
    None
}
