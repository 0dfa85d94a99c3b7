//! `stale-link`: a link points elsewhere than the source's corresponding link.
//!
//! Two links pair as one link retargeted only with evidence (a fragment, page name or
//! text in common) or at a certain place (`certain_pairing`); otherwise they are a
//! `missing-link` and an `extra-link`.
//!
//! Links are compared as the page they reach (`links::Site::page_key`), in-page
//! fragments as the heading they name (`rules::Fragments`); a fragment into another page
//! that names an anchor of the translated page is that page's translated anchor, not a
//! stale one. On a site of routes, two links that reach the same page (a file path and
//! its route, or the localized route a translated `slug:` gives) are one link.

use crate::align::Pair;
use crate::finding::{Finding, Fix};
use crate::model::Link;
use crate::rules::{certain_pairing, linked_page, page_file, same_routed_page, split_fragment, Cx, Fragments, RuleId};

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
            if translated_anchor(cx, s, t) || same_routed_page(cx, s, t) {
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
/// `/docs/x/#type-nodeport`): the counterpart of the source's fragment. The page itself
/// may be spelled as a path (`/fr/guides/aws/#hébergement` in `fr/guides/aws.mdx`), and
/// an external site's localized page (`developer.mozilla.org/fr/docs/x#syntaxe` for
/// `/en-US/docs/x#syntax`) has its own fragments, which locdrift cannot read.
fn translated_anchor(cx: &Cx, s: &Link, t: &Link) -> bool {
    let ((sp, sf), (tp, tf)) = (split_fragment(&s.key), split_fragment(&t.key));
    let site = &cx.settings.site;
    // The page itself, however it is spelled.
    let own_source = sp.is_empty()
        || cx.files.is_some_and(|f| {
            page_file(f.workspace, f.source, split_fragment(&s.target).0, site).as_deref() == Some(f.source)
        });
    let own_translation = tp.is_empty()
        || cx.files.is_some_and(|f| {
            linked_page(f, split_fragment(&t.target).0, cx.locale, site).as_deref() == Some(f.translation)
        });
    if own_source && own_translation {
        if sf == tf {
            return true;
        }
        // Where the headings did not pair (the translation has more or fewer): a
        // fragment that names a heading of the translation, for one that names a
        // heading of the source, is the translator's choice of its counterpart.
        let names = |doc: &crate::model::Doc, f: &str| doc.anchors.iter().any(|a| a.name.eq_ignore_ascii_case(f));
        return !sf.is_empty() && !tf.is_empty() && names(cx.src, sf) && names(cx.tr, tf);
    }
    if sp.is_empty() || tp.is_empty() {
        return false;
    }
    // Each side without its own locale's prefix: Astro's English pages link `/en/x/`.
    let (src_page, tr_page) = (site.page_key(sp, Some(&cx.settings.source_language)), site.page_key(tp, Some(cx.locale)));
    if src_page != tr_page {
        return localized_page(&src_page, &cx.settings.source_language, &tr_page, cx.locale);
    }
    if sf.is_empty() || tf.is_empty() || sf == tf {
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

/// Whether the translation's external link is the localized page of the source's: on
/// the same host, marked with the translation's locale (a path segment, host label or
/// `?lang=`, `links::locale_folders_aside`), and the same page once the marks go, or the
/// same last path segment (`developer.mozilla.org/fr/docs/Web/HTTP/Reference/Headers/Vary`
/// for `/en-US/docs/Web/HTTP/Headers/Vary`: sites move pages within their tree, and a
/// translator links the localized page where it is now; a help centre's article
/// `10168395-title` by its number), `x.html` being `x`. Its
/// fragments are ids of its
/// translated headings, which locdrift cannot read: they do not count.
fn localized_page(src_page: &str, source_language: &str, tr_page: &str, locale: &str) -> bool {
    if !tr_page.contains("://") {
        return false;
    }
    let tr = crate::links::locale_folders_aside(split_fragment(tr_page).0, locale);
    if tr == split_fragment(tr_page).0 {
        return false;
    }
    // A static host serves `x.html` at `x` too.
    let pretty = |key: String| key.strip_suffix(".html").map_or(key.clone(), str::to_string);
    let tr = pretty(tr);
    let src = pretty(crate::links::locale_folders_aside(split_fragment(src_page).0, source_language));
    if tr == src {
        return true;
    }
    let host = |key: &str| key.split("://").nth(1).and_then(|rest| rest.split(['/', '?']).next()).map(str::to_string);
    let leaf = |key: &str| {
        let path = crate::links::split_path(key).0;
        let path = path.split_once("://").map_or(path, |(_, rest)| rest.split_once('/').map_or("", |(_, p)| p));
        path.trim_end_matches('/').rsplit('/').next().unwrap_or_default().to_string()
    };
    // A help centre's article is its number; the title after it is translated
    // (`/es/articles/10168395-configuracion…` for `/en/articles/10168395-setting-up…`).
    let id = |leaf: String| match leaf.split_once('-') {
        Some((number, _)) if number.len() >= 4 && number.bytes().all(|b| b.is_ascii_digit()) => number.to_string(),
        _ => leaf,
    };
    host(&tr).is_some() && host(&tr) == host(&src) && !leaf(&tr).is_empty() && id(leaf(&tr)) == id(leaf(&src))
}
