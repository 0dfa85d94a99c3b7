//! Links as the site serves them, in the tree: the file a link reaches
//! (`linked_page`, `page_file`), and in-page fragments as the headings they name
//! (`Fragments`, through the pair's heading alignment).

use std::borrow::Cow;
use std::collections::HashMap;

use crate::align::Pair;
use crate::links::{split_path, strip_locale_prefix, Site};
use crate::model::{Doc, Heading};
use crate::rules::{Base, Files, Resolution, Workspace};

/// The file a link of a translation reaches, as the site serves it: a site path with
/// the translation's locale prefix (`/ja/docs/x/`) is a page of the translation's tree,
/// one without (`/docs/x/`) a page of the source's; a relative target is looked for
/// beside the translation, then beside the source (sites fall back to the source
/// language for pages not translated).
pub fn linked_page(files: &Files, target: &str, locale: &str, site: &Site) -> Option<String> {
    let ws = files.workspace;
    let target = on_site(target, site)?;
    let target = target.as_ref();
    if target.starts_with('/') {
        return match strip_locale_prefix(target, locale) {
            Some(rest) => page_file(ws, files.translation, &rest, site),
            None => page_file(ws, files.source, target, site),
        };
    }
    page_file(ws, files.translation, target, site).or_else(|| page_file(ws, files.source, target, site))
}

/// A target as a link within the site: the site's own URL as the site path after it;
/// `None` for another host.
fn on_site<'t>(target: &'t str, site: &Site) -> Option<Cow<'t, str>> {
    if !target.contains("://") {
        return Some(Cow::Borrowed(target));
    }
    let key = site.page_key(&crate::targets::normalize_target(target), None).into_owned();
    (!key.contains("://")).then_some(Cow::Owned(key))
}

/// The file a link from the root-relative page `from` reaches, inside the root: a
/// relative target against the page's folder, or (for a URL-style target such as
/// `../kubectl_cp/`) against the page's own URL as Hugo serves it (`x.md` at `x/`); a
/// site path (`/docs/x/`, or the site's URL) under the nearest folder above `from` that
/// holds it. Each candidate is `x`, `x.md`, `x.mdx`, `x/index.md`, `x/_index.md`,
/// `x/index.mdx`. `None` when no such file exists or the target leaves the root.
pub fn page_file(workspace: &dyn Workspace, from: &str, target: &str, site: &Site) -> Option<String> {
    let target = on_site(target, site)?;
    let target = target.as_ref();
    let (path, _) = split_path(target);
    if path.is_empty() {
        return Some(from.to_string());
    }
    if let Some(site_path) = path.strip_prefix('/') {
        let site_path = site_path.trim_end_matches('/');
        if site_path.split('/').any(|segment| segment == "..") {
            return None;
        }
        let mut folder = from;
        loop {
            folder = folder.rfind('/').map_or("", |i| &folder[..i]);
            let at = if folder.is_empty() { site_path.to_string() } else { format!("{folder}/{site_path}") };
            if let Some(found) = existing(workspace, &at) {
                return Some(found);
            }
            if folder.is_empty() {
                return None;
            }
        }
    }
    let mut resolved = String::new();
    if Base::of(from).resolve_into(path, &mut resolved) == Resolution::Inside {
        if let Some(found) = existing(workspace, &resolved) {
            return Some(found);
        }
    }
    // Hugo serves `a/b.md` at `a/b/`, so `../c/` from it is `a/c/`; a bundle's
    // `index.md` is served at its folder, which the first try covered.
    let name = from.rsplit('/').next().unwrap_or(from);
    let bundle = matches!(name, "index.md" | "_index.md" | "index.mdx" | "_index.mdx");
    let url_style = !path.ends_with(".md") && !path.ends_with(".mdx");
    let stem = from.strip_suffix(".md").or_else(|| from.strip_suffix(".mdx"));
    if let (false, true, Some(stem)) = (bundle, url_style, stem) {
        let page_url = format!("{stem}/index");
        if Base::of(&page_url).resolve_into(path, &mut resolved) == Resolution::Inside {
            return existing(workspace, &resolved);
        }
    }
    None
}

/// The first of a page path's file spellings that exists.
fn existing(workspace: &dyn Workspace, path: &str) -> Option<String> {
    let path = path.trim_end_matches('/');
    if path.is_empty() {
        return None;
    }
    if workspace.exists(path) {
        return Some(path.to_string());
    }
    // A page file named as such (`x.md`) has no other spelling: no `x.md.md` is asked
    // of the tree (each question is kept with the cached findings).
    if path.ends_with(".md") || path.ends_with(".mdx") {
        return None;
    }
    [".md", ".mdx", "/index.md", "/_index.md", "/index.mdx"]
        .iter()
        .map(|ext| format!("{path}{ext}"))
        .find(|p| workspace.exists(p))
}

/// Which heading of a page an id names: its id in the site's style or an explicit anchor.
fn heading_ids(headings: &[&Heading]) -> HashMap<String, usize> {
    let mut out = HashMap::new();
    for (i, h) in headings.iter().enumerate() {
        out.entry(h.slug.to_ascii_lowercase()).or_insert(i);
        for a in &h.anchors {
            out.entry(a.name.to_ascii_lowercase()).or_insert(i);
        }
    }
    out
}

/// In-page fragments of a pair, as the headings they name: a translation's fragment
/// that names the translated counterpart of the heading the source's fragment names is
/// the same fragment.
pub struct Fragments {
    /// Source heading by id.
    src: HashMap<String, usize>,
    /// Translation heading by id, as the source heading it is paired with.
    tr: HashMap<String, usize>,
    /// The id of each paired source heading's counterpart in the translation.
    counterpart_id: HashMap<usize, String>,
}

impl Fragments {
    /// From the pair's heading alignment (`heading_pairs`).
    pub fn new(src: &Doc, tr: &Doc) -> Fragments {
        let (s, t): (Vec<&Heading>, Vec<&Heading>) = (src.headings().collect(), tr.headings().collect());
        let pairs = heading_pairs(&s, &t);
        let by_tr = heading_ids(&t);
        let counterpart: HashMap<usize, usize> = pairs
            .iter()
            .filter_map(|p| match *p {
                Pair::Same(i, j) | Pair::Changed(i, j) | Pair::Moved(i, j) if s[i].level == t[j].level => Some((j, i)),
                _ => None,
            })
            .collect();
        let counterpart_id = counterpart.iter().map(|(&j, &i)| (i, t[j].slug.clone())).collect();
        let tr = by_tr.into_iter().filter_map(|(id, j)| counterpart.get(&j).map(|&i| (id, i))).collect();
        Fragments { src: heading_ids(&s), tr, counterpart_id }
    }

    /// The translation's id for the heading a source fragment names: where a source
    /// `#fragment` should point in the translation.
    pub fn translated_fragment(&self, fragment: &str) -> Option<&str> {
        self.counterpart_id.get(&self.source_heading(&fragment.to_ascii_lowercase())?).map(String::as_str)
    }

    /// The source heading an in-page fragment (`#x`, lower case) of the source names.
    pub fn source_heading(&self, fragment: &str) -> Option<usize> {
        self.src.get(&fragment.to_ascii_lowercase()).copied()
    }

    /// The source heading whose counterpart an in-page fragment of the translation names.
    pub fn translated_heading(&self, fragment: &str) -> Option<usize> {
        self.tr.get(&fragment.to_ascii_lowercase()).copied()
    }

    /// A target's key with an in-page fragment replaced by the heading it names, so a
    /// source fragment and its translated counterpart compare equal; `None` when the
    /// target is not an in-page fragment naming a heading.
    pub fn heading_key(&self, key: &str, translation: bool) -> Option<String> {
        let fragment = key.strip_prefix('#')?;
        let heading = if translation { self.translated_heading(fragment) } else { self.source_heading(fragment) }?;
        Some(format!("#\u{0}heading:{heading}"))
    }
}

/// How the headings of a pair align: the alignment `heading-mismatch` judges, behind one
/// function so the link rules read the same pairing (and switch with it to the
/// skeleton's).
pub fn heading_pairs(src: &[&Heading], tr: &[&Heading]) -> Vec<Pair> {
    crate::rules::heading_pairs(src, tr)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn translated_fragments_name_the_counterpart_heading() {
        let vocab = crate::vocab::Vocab::builtin();
        let src = crate::parse::parse("# Title\n\n## Enable shell autocompletion\n\n## Next\n", &vocab);
        let tr = crate::parse::parse("# Título\n\n## Habilitar el autocompletado\n\n## Siguiente\n", &vocab);
        let f = Fragments::new(&src, &tr);
        assert_eq!(
            f.heading_key("#enable-shell-autocompletion", false),
            f.heading_key("#habilitar-el-autocompletado", true)
        );
        assert_ne!(f.heading_key("#next", false), f.heading_key("#habilitar-el-autocompletado", true));
        assert_eq!(f.heading_key("#nowhere", true), None);
    }
}
