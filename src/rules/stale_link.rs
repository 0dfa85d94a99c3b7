//! `stale-link`: a link points elsewhere than the source's corresponding link.
//!
//! Two links pair as one link retargeted only with evidence (a fragment, page name or
//! text in common) or at a certain place (`certain_pairing`); otherwise they are a
//! `missing-link` and an `extra-link`.
//!
//! Links are compared as the page they reach (`links::Site::page_key`), in-page
//! fragments as the heading they name (`rules::Fragments`); a fragment into another page
//! that names an anchor of the translated page is that page's translated anchor, not a
//! stale one.

use crate::align::Pair;
use crate::finding::{Finding, Fix};
use crate::model::Link;
use crate::rules::{certain_pairing, linked_page, split_fragment, Cx, Fragments, RuleId};

pub fn check(cx: &Cx, acc: &mut Vec<Finding>) {
    // A stub is one untranslated-page finding, not one per link it lacks.
    if super::untranslated_page::stub(cx).is_some() {
        return;
    }
    let fragments = std::cell::OnceCell::new();
    for group in &cx.links {
        for p in &group.pairs {
            let Pair::Changed(i, j) = *p else { continue };
            let (s, t) = (&group.src[i], &group.tr[j]);
            if translated_anchor(cx, s, t) {
                continue;
            }
            let mut f = Finding::new(
                RuleId::StaleLink,
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
                let certain = certain_pairing(&cx.tables, &cx.paragraphs, (cx.src_text, cx.tr_text), group, i, j);
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
    if sf.is_empty() || tf.is_empty() || sf == tf {
        return false;
    }
    // In the page itself, where the headings did not pair (the translation has more or
    // fewer): a fragment that names a heading of the translation, for one that names a
    // heading of the source, is the translator's choice of its counterpart.
    if sp.is_empty() && tp.is_empty() {
        let names = |doc: &crate::model::Doc, f: &str| doc.anchors.iter().any(|a| a.name.eq_ignore_ascii_case(f));
        return names(cx.src, sf) && names(cx.tr, tf);
    }
    if sp.is_empty() || tp.is_empty() {
        return false;
    }
    let site = &cx.settings.site;
    // Each side without its own locale's prefix: Astro's English pages link `/en/x/`.
    if site.page_key(sp, Some(&cx.settings.source_language)) != site.page_key(tp, Some(cx.locale)) {
        return false;
    }
    let Some(files) = cx.files else { return false };
    let (path, fragment) = split_fragment(&t.target);
    // A translated page the tree does not hold (a partial checkout) cannot say the
    // fragment is wrong: the page is the source's, and no finding is better than a guess.
    linked_page(files, path, cx.locale, site)
        .and_then(|page| files.workspace.has_anchor(&page, fragment))
        .unwrap_or(true)
}
