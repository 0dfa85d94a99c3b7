//! Links as a localized site sees them: which spellings reach the same page, and which
//! fragment of a translation is the counterpart of the source's.
//!
//! A translation of `/docs/x/` links `/ja/docs/x/` (Hugo, Docusaurus, Starlight and
//! VitePress serve each locale under its prefix), or `https://kubernetes.io/docs/x` (the
//! site's own URL), or `x/` where the source wrote `x.md`; all are the page the source
//! links. An in-page `#habilitar-el-autocompletado` names the translated heading of the
//! source's `#enable-autocompletion`. None of these is a stale link.

use std::borrow::Cow;
use std::collections::HashMap;

use crate::align::Pair;
use crate::model::{Doc, Heading};
use crate::rules::{Base, Files, Resolution, Workspace};
use crate::slug::IdStyle;

/// What locdrift knows of the site the pages are published on.
#[derive(Debug, Clone, Default)]
pub struct Site {
    /// How the site makes heading ids.
    pub heading_ids: IdStyle,
    /// The site's own absolute URLs (Hugo `baseURL`, Docusaurus `url`, MkDocs `site_url`,
    /// `site-url:` in locdrift.yaml), as `normalize_target` writes them: lower case,
    /// `https`, no trailing slash.
    pub urls: Vec<String>,
    /// How the site serves pages, which decides how a link resolves to a file.
    pub generator: Generator,
}

/// The static-site generators whose URL rules `broken-link` follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Generator {
    /// Links are file paths (GitHub, Microsoft Learn, MkDocs).
    #[default]
    Files,
    /// Hugo: a page `x.md` is served at `x/`, so a page-relative link resolves against
    /// that URL, not the file's folder.
    Hugo,
    /// Docusaurus: `/docs/x` is `docs/x.md(x)`, numbered prefixes (`01-intro.md`) dropped.
    Docusaurus,
    /// Starlight: `/x` is `src/content/docs/x.md(x)`.
    Starlight,
}

impl Site {
    /// What a site's config states (`site::find`): its URL, its heading ids (the
    /// generator's default where the config is silent) and how it serves pages.
    pub fn of(config: Option<&crate::site::Site>) -> Site {
        use crate::site::Kind;
        let mut site = Site::default();
        let Some(config) = config else { return site };
        if let Some(url) = &config.base_url {
            site.add_url(url);
        }
        let stated = config.heading_ids.as_deref().and_then(IdStyle::parse);
        site.heading_ids = stated.unwrap_or(match config.kind {
            Kind::Hugo => IdStyle::Goldmark,
            Kind::Mkdocs => IdStyle::Mkdocs,
            _ => IdStyle::Github,
        });
        // pymdownx's `slugify {case: lower}` keeps non-ASCII letters: as GitHub does.
        if config.kind == Kind::Mkdocs && config.heading_ids.as_deref().is_some_and(|s| s.contains("pymdownx")) {
            site.heading_ids = IdStyle::Github;
        }
        site.generator = match config.kind {
            Kind::Hugo => Generator::Hugo,
            Kind::Docusaurus => Generator::Docusaurus,
            Kind::Starlight => Generator::Starlight,
            _ => Generator::Files,
        };
        site
    }

    /// Adds an absolute URL of the site (`https://kubernetes.io/`).
    /// Only its scheme and host count: site paths in links are written from the host
    /// (`/docs/x`), whatever path the site's URL has.
    pub fn add_url(&mut self, url: &str) {
        let url = crate::rules::normalize_target(url);
        let Some(scheme_end) = url.find("://") else { return };
        let host_end = url[scheme_end + 3..].find(['/', '?', '#']).map_or(url.len(), |i| scheme_end + 3 + i);
        let url = url[..host_end].to_string();
        if !self.urls.contains(&url) {
            self.urls.push(url);
        }
    }

    /// The page a normalized link target (`Link::key`) reaches, spelled one way: the
    /// site's own URL is a site path, the locale prefix of `locale` (the translation's)
    /// goes, and `x.md`, `x.mdx`, `x/index.md`, `x/_index.md` and `x/` are all `x`.
    pub fn page_key<'k>(&self, key: &'k str, locale: Option<&str>) -> Cow<'k, str> {
        let mut out = Cow::Borrowed(key);
        for url in &self.urls {
            if let Some(rest) = out.strip_prefix(url.as_str()) {
                if rest.is_empty() || rest.starts_with(['/', '#', '?']) {
                    out = Cow::Owned(format!("/{}", rest.trim_start_matches('/')));
                    break;
                }
            }
        }
        if let Some(locale) = locale.filter(|l| !l.is_empty()) {
            if let Some(rest) = strip_locale_prefix(&out, locale) {
                out = Cow::Owned(rest.replace("//", "/"));
            }
        }
        let (path, tail) = split_path(&out);
        // `/ko//docs/x` is `/ko/docs/x` to the server.
        let path_start = path.find("://").map_or(0, |i| i + 3);
        if path[path_start..].contains("//") {
            let mut p = path.to_string();
            while p[path_start..].contains("//") {
                p = format!("{}{}", &p[..path_start], p[path_start..].replace("//", "/"));
            }
            out = Cow::Owned(format!("{p}{tail}"));
        }
        let (path, tail) = split_path(&out);
        let page = page_path(path);
        if page.len() != path.len() {
            out = Cow::Owned(format!("{page}{tail}"));
        }
        out
    }
}

/// A key without its path segments named `language` or its primary subtag (ignoring
/// case, `_` as `-`, or the `{locale}` that `normalize_target` writes for `xx-yy`), and
/// with a host whose first label is the language written as a placeholder:
/// `…/content/zh-cn/docs/x` of a translation and `…/content/en/docs/x` of its source are
/// the same file in two locales, `training.example.org/ja/cert` the localized
/// `training.example.org/cert`, `zh.wikipedia.org/wiki/Cron` the article of
/// `en.wikipedia.org`.
pub fn locale_folders_aside(key: &str, language: &str) -> String {
    if language.is_empty() || !key.contains('/') {
        return key.to_string();
    }
    let folded = |part: &str, name: &str| {
        part.len() == name.len()
            && part.bytes().zip(name.bytes()).all(|(a, b)| {
                let fold = |c: u8| if c == b'_' { b'-' } else { c.to_ascii_lowercase() };
                fold(a) == fold(b)
            })
    };
    let primary = language.split(['-', '_']).next().unwrap_or(language);
    let (path, tail) = split_path(key);
    let (scheme, path) = match path.find("://") {
        Some(i) => path.split_at(i + 3),
        None => ("", path),
    };
    let parts: Vec<&str> = path.split('/').collect();
    let mut out = String::with_capacity(key.len());
    out.push_str(scheme);
    for (k, part) in parts.iter().enumerate() {
        if k > 0 {
            out.push('/');
        }
        if k == 0 && !scheme.is_empty() {
            match part.split_once('.') {
                Some((label, rest)) if folded(label, primary) && rest.contains('.') => {
                    out.push_str("\u{0}locale.");
                    out.push_str(rest);
                }
                _ => out.push_str(part),
            }
            continue;
        }
        let locale = folded(part, language) || folded(part, primary) || *part == "{locale}";
        if locale && k > 0 {
            // The segment goes, with the slash before it.
            out.pop();
        } else {
            out.push_str(part);
        }
    }
    out.push_str(tail);
    out
}

/// `/ja/docs/x` without `/ja` when `locale` is `ja` (ignoring case, `_` as `-`).
fn strip_locale_prefix(key: &str, locale: &str) -> Option<String> {
    let rest = key.strip_prefix('/')?;
    let end = rest.find(['/', '#', '?']).unwrap_or(rest.len());
    let segment = &rest[..end];
    let same = segment.len() == locale.len()
        && segment.bytes().zip(locale.bytes()).all(|(a, b)| {
            let fold = |c: u8| if c == b'_' { b'-' } else { c.to_ascii_lowercase() };
            fold(a) == fold(b)
        });
    if !same {
        return None;
    }
    let tail = &rest[end..];
    Some(if tail.starts_with('/') { tail.to_string() } else { format!("/{tail}") })
}

/// A target's path and what follows it (`?query#fragment`).
fn split_path(target: &str) -> (&str, &str) {
    let end = target.find(['#', '?']).unwrap_or(target.len());
    target.split_at(end)
}

/// A page's path without what the site adds to a file: `x.md`, `x/index.md`,
/// `x/_index.md` and `x/` are the page `x`.
fn page_path(path: &str) -> &str {
    let mut p = path.trim_end_matches('/');
    for suffix in ["/_index.md", "/index.md", "/_index.mdx", "/index.mdx", "/_index", "/index"] {
        if let Some(rest) = p.strip_suffix(suffix) {
            p = rest;
            break;
        }
    }
    if p == "_index.md" || p == "index.md" || p == "_index" || p == "index" {
        return "";
    }
    for ext in [".md", ".mdx"] {
        if let Some(rest) = p.strip_suffix(ext) {
            return rest;
        }
    }
    p.strip_prefix("./").unwrap_or(p)
}

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
    let key = site.page_key(&crate::rules::normalize_target(target), None).into_owned();
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

/// Whether a link target is an email address (`<conduct@cncf.io>` autolinks to one
/// without a scheme), which is no file.
pub fn is_email(target: &str) -> bool {
    let (path, _) = split_path(target);
    path.find('@')
        .is_some_and(|at| !path[..at].contains('/') && path[at + 1..].contains('.') && !path[at + 1..].contains('/'))
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

    fn site() -> Site {
        let mut s = Site::default();
        s.add_url("https://kubernetes.io/");
        s
    }

    #[test]
    fn spellings_of_one_page_have_one_key() {
        let site = site();
        let key =
            |t: &str, locale: Option<&str>| site.page_key(&crate::rules::normalize_target(t), locale).into_owned();
        let page = key("/docs/concepts/x/", None);
        for (t, locale) in [
            ("/ja/docs/concepts/x/", Some("ja")),
            ("/pt-br/docs/concepts/x/", Some("pt-br")),
            ("/zh-cn/docs/concepts/x", Some("zh-cn")),
            ("https://kubernetes.io/docs/concepts/x/", None),
            ("https://kubernetes.io/ko/docs/concepts/x", Some("ko")),
            ("http://Kubernetes.io/docs/concepts/x", None),
            ("/docs/concepts/x/_index.md", None),
            ("/docs/concepts/x.md", None),
            ("/docs/concepts/x/index.md", None),
        ] {
            assert_eq!(key(t, locale), page, "{t}");
        }
        assert_eq!(key("/ja/docs/x/#a", Some("ja")), key("/docs/x#a", None));
        let repo = |t: &str, language: &str| locale_folders_aside(&key(t, None), language);
        assert_eq!(
            repo("https://github.com/k/w/tree/main/content/zh-cn/docs/x", "zh-CN"),
            repo("https://github.com/k/w/tree/main/content/en/docs/x", "en")
        );
        assert_eq!(
            repo("https://zh.wikipedia.org/wiki/Cron", "zh-cn"),
            repo("https://en.wikipedia.org/wiki/Cron", "en")
        );
        assert_eq!(key("/ko//docs/x/", Some("ko")), key("/docs/x", None));
        assert_ne!(
            repo("https://github.com/k/w/tree/main/content/ko/docs/x", "ja"),
            repo("https://github.com/k/w/tree/main/content/en/docs/x", "en")
        );
        assert_eq!(key("../x.md#y", None), key("../x/#y", None));
        // Another locale, another host or another page stays apart.
        assert_ne!(key("/ja/docs/concepts/x/", Some("ko")), page);
        assert_ne!(key("https://kubernetes.io.evil/docs/concepts/x", None), page);
        assert_ne!(key("/docs/concepts/y/", None), page);
        assert_ne!(key("/janet/docs/concepts/x/", Some("ja")), page);
    }

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
