//! Links as the site serves them, in the tree: the file a link reaches
//! (`linked_page`, `page_file`), and in-page fragments as the headings they name
//! (`Fragments`, through the pair's heading alignment).

use std::borrow::Cow;
use std::collections::HashMap;

use crate::align::Pair;
use crate::links::{split_path, strip_locale_prefix, strip_number_prefix, Route, Site};
use crate::model::{Doc, Heading, Link};
use crate::rules::{Base, Cx, Files, Resolution, Workspace};

/// The file a link of a translation reaches, as the site serves it: a site path with
/// the translation's locale prefix (`/ja/docs/x/`) is a page of the translation's tree,
/// one without (`/docs/x/`) a page of the source's; a relative target is looked for
/// beside the translation, then beside the source (sites fall back to the source
/// language for pages not translated).
pub fn linked_page(files: &Files, target: &str, locale: &str, site: &Site) -> Option<String> {
    let ws = files.workspace;
    let target = on_site(target, site)?;
    let target = target.as_ref();
    // The site's routes know each locale's prefix and folder.
    if target.starts_with('/') && site_prefix(files.translation, site).is_some() {
        return page_file(ws, files.translation, target, site);
    }
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
    let routed = site_prefix(from, site).is_some();
    if routed && path.starts_with('/') {
        return match route(workspace, from, path, site) {
            Routed::File(found) => Some(found),
            Routed::Missing { .. } | Routed::Unknown => None,
        };
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
            if let Some(found) = existing(workspace, &at, site) {
                return Some(found);
            }
            if folder.is_empty() {
                return None;
            }
        }
    }
    let mut resolved = String::new();
    if Base::of(from).resolve_into(path, &mut resolved) == Resolution::Inside {
        if let Some(found) = existing(workspace, &resolved, site) {
            return Some(found);
        }
    }
    // Docusaurus also looks a file link up from its docs folder's root.
    if let Some((prefix, r)) = site_prefix(from, site).filter(|(_, r)| r.docusaurus && !url_style_link(path)) {
        let default = site.routes.iter().filter(|d| d.default && d.base == r.base);
        for dir in std::iter::once(r).chain(default).map(|r| &r.dir) {
            let mut at = String::new();
            if Base::of(&format!("{prefix}{dir}/index.md")).resolve_into(path, &mut at) == Resolution::Inside {
                if let Some(found) = existing(workspace, &at, site) {
                    return Some(found);
                }
            }
        }
    }
    // A link without `.md` is a URL, which the browser resolves against the page's
    // own URL (`/ja/docs/a/b` for `…/current/a/b.md`), never above the site's root.
    if routed && url_style_link(path) {
        return url_relative(from, path, site).into_iter().find_map(|url| match route(workspace, from, &url, site) {
            Routed::File(found) => Some(found),
            Routed::Missing { .. } | Routed::Unknown => None,
        });
    }
    // Hugo serves `a/b.md` at `a/b/`, so `../c/` from it is `a/c/`; a bundle's
    // `index.md` is served at its folder, which the first try covered.
    let name = from.rsplit('/').next().unwrap_or(from);
    let bundle = matches!(name, "index.md" | "_index.md" | "index.mdx" | "_index.mdx");
    let url_style = url_style_link(path);
    let stem = from.strip_suffix(".md").or_else(|| from.strip_suffix(".mdx"));
    if let (false, true, Some(stem)) = (bundle, url_style, stem) {
        let page_url = format!("{stem}/index");
        if Base::of(&page_url).resolve_into(path, &mut resolved) == Resolution::Inside {
            return existing(workspace, &resolved, site);
        }
    }
    None
}

/// Whether a relative link is a URL (`../x/`), not a page file (`../x.md#y`).
pub fn url_style_link(target: &str) -> bool {
    let path = split_path(target).0;
    !path.ends_with(".md") && !path.ends_with(".mdx")
}

/// Where a site path leads by the site's routes (`links::Route`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Routed {
    /// The page's file.
    File(String),
    /// A path of a folder whose pages are all served by their path, and no page there.
    Missing {
        /// The paths looked for (the locale's, then the default locale's).
        looked: Vec<String>,
        /// A page file at the path that the site serves at another URL (its `slug:`,
        /// `id:` or numbered prefix moves it, or its translation's front matter does).
        moved: Option<String>,
    },
    /// Not for the routes to say: no route serves it, a route that does not serve all
    /// its pages by their path (blog posts, `src/pages`), or a page a plugin writes at
    /// build time (`Site::is_generated`).
    Unknown,
}

/// The part of a page's path before the site's folders (where the site's root is in the
/// checked tree) and the route serving the page; `None` for a page of no route.
fn site_prefix<'f, 's>(from: &'f str, site: &'s Site) -> Option<(&'f str, &'s Route)> {
    let mut best: Option<(&str, &Route)> = None;
    for r in &site.routes {
        let inside = |at: usize| from[at..].strip_prefix(r.dir.as_str()).is_some_and(|rest| rest.starts_with('/'));
        let at = if inside(0) {
            Some(0)
        } else {
            let needle = format!("/{}/", r.dir);
            from.find(&needle).map(|i| i + 1)
        };
        if let Some(at) = at {
            if best.is_none_or(|(_, b)| r.dir.len() > b.dir.len()) {
                best = Some((&from[..at], r));
            }
        }
    }
    best
}

/// The file a site path (`/ko/docs/x/`) is served from, by the site's routes: the
/// folder of the URL's locale and base, then the default locale's (untranslated pages
/// fall back to it).
pub fn route(workspace: &dyn Workspace, from: &str, site_path: &str, site: &Site) -> Routed {
    let Some((prefix, _)) = site_prefix(from, site) else { return Routed::Unknown };
    let (path, _) = split_path(site_path);
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty() && *s != ".").collect();
    if segments.contains(&"..") {
        return Routed::Unknown;
    }
    let localized =
        |segment: &str| site.routes.iter().any(|r| !r.locale.is_empty() && r.locale.eq_ignore_ascii_case(segment));
    let (locale, rest) = match segments.split_first() {
        Some((first, rest)) if localized(first) => (*first, rest),
        _ => ("", &segments[..]),
    };
    let under = |r: &Route| -> Option<usize> {
        let base: Vec<&str> = r.base.split('/').filter(|s| !s.is_empty()).collect();
        rest.starts_with(&base).then_some(base.len())
    };
    let mut routes: Vec<(&Route, usize)> = site
        .routes
        .iter()
        .filter(|r| r.locale.eq_ignore_ascii_case(locale))
        .filter_map(|r| under(r).map(|n| (r, n)))
        .collect();
    routes.sort_by_key(|(r, _)| std::cmp::Reverse(r.base.len()));
    // Each with the locale's folder it stands in for.
    let fallbacks: Vec<(&Route, usize, Option<&Route>)> = routes
        .iter()
        .filter_map(|(r, n)| {
            site.routes.iter().find(|d| d.default && d.base == r.base && d.dir != r.dir).map(|d| (d, *n, Some(*r)))
        })
        .collect();
    let (mut missing, mut moved) = (Vec::new(), None);
    let own = routes.iter().map(|(r, n)| (*r, *n, None));
    for (r, n, localized) in own.chain(fallbacks) {
        let sub = rest[n..].join("/");
        let dir = format!("{prefix}{}", r.dir);
        let at = if sub.is_empty() { dir.clone() } else { format!("{dir}/{sub}") };
        // A folder whose every page is served by its route: the site's routes say which
        // page that is (a `slug:`, an `id:` or a numbered prefix moves a page from its
        // file's path); a file named with its extension is a file link. Elsewhere (blog
        // posts, `src/pages`) a file there proves the link.
        let found = if r.complete && !sub.ends_with(".md") && !sub.ends_with(".mdx") {
            workspace.served(&dir, &crate::links::percent_decoded(&sub))
        } else {
            existing(workspace, &at, site)
        };
        // The default locale's page serves a locale that has not translated it; a
        // translated page is served where its own front matter says, which may be
        // elsewhere.
        let translated = |found: &str| {
            let rel = found.strip_prefix(dir.as_str()).and_then(|r| r.strip_prefix('/'));
            localized.zip(rel).is_some_and(|(l, rel)| workspace.exists(&format!("{prefix}{}/{rel}", l.dir)))
        };
        match found {
            Some(found) if r.complete && translated(&found) => {
                let rel = &found[dir.len() + 1..];
                let l = localized.map_or("", |l| l.dir.as_str());
                moved.get_or_insert(format!("{prefix}{l}/{rel}"));
            }
            Some(found) => return Routed::File(found),
            // A page file at the path the site serves elsewhere: said, to help the fix.
            None if r.complete && !sub.is_empty() && moved.is_none() => moved = existing(workspace, &at, site),
            None => {}
        }
        if site.is_generated(&at) {
            return Routed::Unknown;
        }
        if r.complete {
            missing.push(at);
        }
    }
    if missing.is_empty() {
        Routed::Unknown
    } else {
        Routed::Missing { looked: missing, moved }
    }
}

/// Whether, on a site of routes (Docusaurus, Starlight), both links reach the same page
/// spelled two ways: a file path and its route, or the source's route and the localized
/// route the translated page's own `slug:` gives it (`/docs/setup` and `/ko/docs/설정`
/// for `setup.md` and its Korean translation). The source's link is resolved from the
/// source, the translation's from the translation; its fragment is the source's or an
/// anchor of the page it reaches.
pub fn same_routed_page(cx: &Cx, s: &Link, t: &Link) -> bool {
    let site = &cx.settings.site;
    let Some(files) = cx.files.filter(|_| !site.routes.is_empty()) else { return false };
    let ((sp, sf), (tp, tf)) = (crate::targets::split_fragment(&s.target), crate::targets::split_fragment(&t.target));
    if sp.is_empty() || tp.is_empty() {
        return false;
    }
    let Some(src_page) = page_file(files.workspace, files.source, sp, site) else { return false };
    let Some(tr_page) = linked_page(files, tp, cx.locale, site) else { return false };
    let same = site_page(&src_page, site).is_some_and(|page| site_page(&tr_page, site) == Some(page));
    same && (sf == tf || (!tf.is_empty() && files.workspace.has_anchor(&tr_page, tf) == Some(true)))
}

/// The links of a group that the alignment left without a counterpart (a source link
/// missing, a translated one extra) but that reach the same page of the site's routes
/// (`same_routed_page`): `./setup.md` and `/ko/docs/설정` do not look alike, yet they are
/// one link. Each link pairs once: links at a certain place first (the same paragraph,
/// `certain_pairing`), then those whose fragments share the most, then the nearest (a
/// translation with one link to a page where the source has two still misses one);
/// `(source index, translation index)`.
pub fn routed_pairs(cx: &Cx, group: &crate::rules::LinkGroup) -> Vec<(usize, usize)> {
    use crate::align::Pair;
    if cx.settings.site.routes.is_empty() {
        return Vec::new();
    }
    let place = |want_missing: bool| -> Vec<(usize, usize)> {
        let pick = |p: &Pair| match *p {
            Pair::Missing(i) if want_missing => Some(i),
            Pair::Extra(j) if !want_missing => Some(j),
            _ => None,
        };
        group.pairs.iter().enumerate().filter_map(|(k, p)| pick(p).map(|x| (k, x))).collect()
    };
    let (missing, extra) = (place(true), place(false));
    if missing.is_empty() || extra.is_empty() {
        return Vec::new();
    }
    let mut candidates: Vec<(bool, std::cmp::Reverse<usize>, usize, usize, usize)> = Vec::new();
    for &(km, i) in &missing {
        for &(ke, j) in &extra {
            if same_routed_page(cx, &group.src[i], &group.tr[j]) {
                let certain =
                    crate::rules::certain_pairing(&cx.tables, &cx.paragraphs, (cx.src_text, cx.tr_text), group, i, j);
                // A translated fragment often keeps some of the source's (`#grupos-
                // autogenerados` for `#autogenerated-links`, not `#internal-links`).
                let alike = std::cmp::Reverse(shared_trigrams(&group.src[i].key, &group.tr[j].key));
                candidates.push((!certain, alike, km.abs_diff(ke), i, j));
            }
        }
    }
    candidates.sort_unstable();
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (_, _, _, i, j) in candidates {
        if out.iter().all(|&(si, tj)| si != i && tj != j) {
            out.push((i, j));
        }
    }
    out
}

/// The share (in thousandths) of the three-byte runs of the fragment of `a` (ASCII case
/// ignored) that occur in `b`'s: a share, so a long fragment does not win by its length.
fn shared_trigrams(a: &str, b: &str) -> usize {
    let fragment = |k: &str| k.split_once('#').map_or(String::new(), |(_, f)| f.to_ascii_lowercase());
    let (a, b) = (fragment(a), fragment(b));
    let runs = a.len().saturating_sub(2);
    let shared = a.as_bytes().windows(3).filter(|w| b.as_bytes().windows(3).any(|v| v == *w)).count();
    (shared * 1000).checked_div(runs).unwrap_or(0)
}

/// A page of the site's routes as the same page in every locale: its route's base and
/// its path in the route's folder (`docs/x.md` and `i18n/ko/…/current/x.md` are both
/// `("docs", "x.md")`); `None` for a file of no route.
pub fn site_page<'f>(file: &'f str, site: &'f Site) -> Option<(&'f str, &'f str)> {
    let (prefix, r) = site_prefix(file, site)?;
    Some((r.base.as_str(), file.get(prefix.len() + r.dir.len() + 1..)?))
}

/// A relative URL (`../x`) as the site paths it may reach from a page of the site's
/// routes, resolved as a browser does against the page's URL: Starlight serves `a/b.md`
/// at `/a/b/`; Docusaurus at `/a/b`, which hosts serve with or without the slash, so a
/// link may be relative to `/a/b/` or `/a/`. `..` stops at the site's root.
pub fn url_relative(from: &str, target: &str, site: &Site) -> Vec<String> {
    let Some((prefix, r)) = site_prefix(from, site) else { return Vec::new() };
    let page = from[prefix.len() + r.dir.len() + 1..].trim_end_matches(".mdx").trim_end_matches(".md");
    let mut url: Vec<&str> = Vec::new();
    url.extend(Some(r.locale.as_str()).filter(|l| !l.is_empty()));
    url.extend(r.base.split('/').filter(|s| !s.is_empty()));
    let names: Vec<&str> = page.split('/').collect();
    for (k, name) in names.iter().enumerate() {
        let last = k + 1 == names.len();
        let parent = k.checked_sub(1).map(|p| names[p]);
        let index = *name == "index"
            || (r.docusaurus && (name.eq_ignore_ascii_case("readme") || parent.is_some_and(|p| p == *name)));
        if last && index {
            break;
        }
        url.push(if r.docusaurus && r.number_prefixes { strip_number_prefix(name) } else { name });
    }
    fn resolve<'a>(mut url: Vec<&'a str>, target: &'a str) -> String {
        for segment in split_path(target).0.split('/') {
            match segment {
                "" | "." => {}
                ".." => {
                    url.pop();
                }
                s => url.push(s),
            }
        }
        format!("/{}", url.join("/"))
    }
    let mut out = vec![resolve(url.clone(), target)];
    if r.docusaurus && !url.is_empty() {
        url.pop();
        out.push(resolve(url, target));
    }
    out
}

/// The first of a page path's file spellings that exists.
fn existing(workspace: &dyn Workspace, path: &str, site: &Site) -> Option<String> {
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
    let found = [".md", ".mdx", "/index.md", "/_index.md", "/index.mdx"]
        .iter()
        .map(|ext| format!("{path}{ext}"))
        .find(|p| workspace.exists(p));
    if found.is_some() || site.generator != crate::links::Generator::Docusaurus {
        return found;
    }
    // Docusaurus serves a category's `x/x.md` or `x/README.md` at `x`.
    let name = path.rsplit('/').next().unwrap_or(path);
    [
        format!("{path}/{name}.md"),
        format!("{path}/{name}.mdx"),
        format!("{path}/README.md"),
        format!("{path}/README.mdx"),
    ]
    .into_iter()
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

    /// Relative URLs resolve against the page's URL as each site serves it, never above
    /// the site's root.
    #[test]
    fn relative_urls_resolve_against_the_pages_url() {
        let route = |locale: &str, base: &str, dir: &str, docusaurus: bool| Route {
            locale: locale.into(),
            base: base.into(),
            dir: dir.into(),
            complete: true,
            default: locale.is_empty() || locale == "en",
            docusaurus,
            number_prefixes: docusaurus,
        };
        let mut site = Site {
            routes: vec![route("", "docs", "docs", true), route("ko", "docs", "i18n/ko/x/current", true)],
            ..Site::default()
        };
        let ko = "site/i18n/ko/x/current/guides/01-setup.md";
        assert_eq!(url_relative(ko, "../intro", &site), ["/ko/docs/guides/intro", "/ko/docs/intro"]);
        assert_eq!(url_relative(ko, "../../../../../../x", &site), ["/x", "/x"]);
        assert_eq!(url_relative("docs/guides/guides.md", "./setup", &site), ["/docs/guides/setup", "/docs/setup"]);
        site.routes = vec![route("en", "", "src/content/docs/en", false)];
        assert_eq!(url_relative("src/content/docs/en/guides/setup.md", "../../start/", &site), ["/en/start"]);
        assert_eq!(url_relative("src/content/docs/en/start/index.mdx", "../guides/", &site), ["/en/guides"]);
        assert!(url_relative("docs/elsewhere.md", "x", &site).is_empty());
    }

    #[test]
    fn translated_fragments_name_the_counterpart_heading() {
        let src = crate::parse::parse("# Title\n\n## Enable shell autocompletion\n\n## Next\n");
        let tr = crate::parse::parse("# Título\n\n## Habilitar el autocompletado\n\n## Siguiente\n");
        let f = Fragments::new(&src, &tr);
        assert_eq!(
            f.heading_key("#enable-shell-autocompletion", false),
            f.heading_key("#habilitar-el-autocompletado", true)
        );
        assert_ne!(f.heading_key("#next", false), f.heading_key("#habilitar-el-autocompletado", true));
        assert_eq!(f.heading_key("#nowhere", true), None);
    }
}
