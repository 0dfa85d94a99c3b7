//! `stale-link`: a link points elsewhere than the source's corresponding link.
//!
//! Links are compared as the page they reach (`links::Site::page_key`), in-page
//! fragments as the heading they name (`links::Fragments`); a fragment into another page
//! that names an anchor of the translated page is that page's translated anchor, not a
//! stale one.

use crate::align::Pair;
use crate::finding::{Finding, Fix};
use crate::links::{linked_page, Fragments};
use crate::model::Link;
use crate::rules::{split_fragment, Cx, LinkGroup};

pub fn check(cx: &Cx, acc: &mut Vec<Finding>) {
    let fragments = std::cell::OnceCell::new();
    for group in &cx.links {
        for p in &group.pairs {
            let Pair::Changed(i, j) = *p else { continue };
            let (s, t) = (&group.src[i], &group.tr[j]);
            if translated_anchor(cx, s, t) {
                continue;
            }
            let mut f = Finding::new(
                "stale-link",
                t.target_span,
                format!("link points to `{}`; the source links `{}`", t.target, s.target),
            )
            .with_source(s.target_span)
            .with_key(group.key(&format!("{}->{}", s.target, t.target)));
            // Only a destination found verbatim in the text can be replaced (reference-
            // style links keep it elsewhere).
            if t.target_span != t.span {
                // An in-page fragment points to the translated heading of the one the
                // source's names, not to the source's id, which the translation lacks.
                let replacement = match s.target.strip_prefix('#') {
                    Some(fragment) => fragments
                        .get_or_init(|| Fragments::new(cx.src, cx.tr))
                        .translated_fragment(fragment)
                        .map_or_else(|| s.target.clone(), |id| format!("#{id}")),
                    None => s.target.clone(),
                };
                let certain = certain(cx, group, i, j);
                f = f.with_fix(Fix { span: t.target_span, replacement, safe: certain });
                if !certain {
                    f = f.with_help(
                        "not applied by --fix: which source link this one translates is a guess here (another \
                         block, another place among its links, or a table row paired by likeness); check the \
                         source before applying it with --unsafe-fixes",
                    );
                }
            }
            acc.push(f);
        }
    }
}

/// Whether the translation links the same page as the source with a fragment of its
/// own that names an anchor of the translated page (`/es/docs/x/#tipo-nodeport` for
/// `/docs/x/#type-nodeport`): the counterpart of the source's fragment.
fn translated_anchor(cx: &Cx, s: &Link, t: &Link) -> bool {
    let ((sp, sf), (tp, tf)) = (split_fragment(&s.key), split_fragment(&t.key));
    if sf.is_empty() || tf.is_empty() || sf == tf || sp.is_empty() || tp.is_empty() {
        return false;
    }
    let site = &cx.settings.site;
    if site.page_key(sp, None) != site.page_key(tp, Some(cx.locale)) {
        return false;
    }
    let Some(files) = cx.files else { return false };
    let (path, fragment) = split_fragment(&t.target);
    linked_page(files, path, cx.locale, site)
        .and_then(|page| files.workspace.has_anchor(&page, fragment))
        .unwrap_or(false)
}

/// Whether the pairing of source link `i` with translation link `j` is certain: both in
/// blocks paired for sure (paragraphs of sections that agree, or one cell of rows with
/// the same key in tables of the same shape), at the same place among that block's
/// links, with as many links on both sides. A guess must not be applied unseen.
fn certain(cx: &Cx, group: &LinkGroup, i: usize, j: usize) -> bool {
    let (s, t) = (&group.src[i], &group.tr[j]);
    match group.cell {
        Some((table, row_key, _)) => {
            let keyed = cx.tables.iter().find(|tp| tp.index == table).is_some_and(|tp| {
                tp.same_shape()
                    && tp.rows.iter().any(|p| match *p {
                        Pair::Same(a, b) | Pair::Moved(a, b) => {
                            tp.src.rows[a].key == *row_key && tp.tr.rows[b].key == *row_key
                        }
                        _ => false,
                    })
            });
            keyed && i == j && group.src.len() == group.tr.len()
        }
        None => {
            let Some((ps, pt)) = cx.paragraphs.iter().find(|(a, b)| a.span.contains(s.span) && b.span.contains(t.span))
            else {
                return false;
            };
            let place = |links: &[Link], span: crate::finding::Span, of: usize| {
                let inside: Vec<usize> =
                    links.iter().enumerate().filter(|(_, l)| span.contains(l.span)).map(|(k, _)| k).collect();
                (inside.iter().position(|&k| k == of), inside.len())
            };
            let (at_s, n_s) = place(group.src, ps.span, i);
            let (at_t, n_t) = place(group.tr, pt.span, j);
            at_s.is_some() && at_s == at_t && n_s == n_t
        }
    }
}
