//! Links as a localized site sees them: which spellings reach the same page, and which
//! fragment of a translation is the counterpart of the source's.
//!
//! A translation of `/docs/x/` links `/ja/docs/x/` (Hugo, Docusaurus, Starlight and
//! VitePress serve each locale under its prefix), or `https://kubernetes.io/docs/x` (the
//! site's own URL), or `x/` where the source wrote `x.md`; all are the page the source
//! links. An in-page `#habilitar-el-autocompletado` names the translated heading of the
//! source's `#enable-autocompletion`. None of these is a stale link.

use std::borrow::Cow;

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
    /// The folders the site serves pages from and the URL paths they are served at
    /// (Docusaurus, Starlight); empty where links are file paths.
    pub routes: Vec<Route>,
    /// Folders (relative to the site's root) whose pages a plugin writes at build time:
    /// a link into one is not judged.
    pub generated: Vec<String>,
}

/// A folder of pages and the URL path it is served at: `/ko/docs/x` is
/// `i18n/ko/docusaurus-plugin-content-docs/current/x.md`, `/ko/x/` is
/// `src/content/docs/ko/x.mdx`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// The URL's first segment for the folder's locale; empty for the locale the site
    /// serves at its root (Docusaurus' default locale, Starlight's `root`).
    pub locale: String,
    /// The URL path below the locale the folder is served at, without slashes: `docs`
    /// (Docusaurus `routeBasePath`), `blog`, or empty.
    pub base: String,
    /// The folder, relative to the site's root, without a trailing slash.
    pub dir: String,
    /// Every page served under `base` is a file of `dir` at its URL path, so a page
    /// missing there is a broken link; false where pages are served elsewhere too (blog
    /// posts at dated URLs, `src/pages`).
    pub complete: bool,
    /// The default locale's folder, which serves the pages another locale lacks.
    pub default: bool,
    /// Docusaurus drops a numbered prefix (`01-intro.md` is served at `intro`) and serves
    /// `x/x.md` and `x/README.md` at `x`; a page's front matter `slug:` or `id:` moves it.
    pub docusaurus: bool,
    /// Whether Docusaurus drops numbered prefixes in this folder: false where the docs
    /// plugin says `numberPrefixParser: false`.
    pub number_prefixes: bool,
}

/// What a page's front matter says of its URL (`Route::url_of`).
#[derive(Debug, Clone, Copy, Default)]
pub struct PageMeta<'a> {
    /// `slug:`: the page's URL, from the route's base (`/x`) or from its folder's (`x`).
    pub slug: Option<&'a str>,
    /// `id:` (Docusaurus): the last part of its URL, where no slug says otherwise.
    pub id: Option<&'a str>,
    /// `parse_number_prefixes:` (Docusaurus): false keeps this page's numbered prefixes.
    pub number_prefixes: Option<bool>,
}

impl Route {
    /// The URL path below the route's base (no slashes at either end) that the site
    /// serves the page at, `rel` its path in `dir` (`guides/01-setup.md`); `None` for a
    /// file the site does not serve (Docusaurus' `_partial.mdx`, Starlight's `_x.md`).
    ///
    /// Docusaurus (`docs.ts` and `slug.ts` of its docs plugin): numbered prefixes go from
    /// every folder and the file name (unless the site or the page says not); a category
    /// index (`index`, `README`, or the file named as its folder) is served at its folder;
    /// a `slug:` from `/` is the URL, another is resolved against the folder's URL; else
    /// the `id:` or the file name is the last part. Starlight: the path, each part
    /// slugged as Astro does, `index` at its folder; a `slug:` (from the collection's root,
    /// so a localized page's starts with its locale) is the URL.
    pub fn url_of(&self, rel: &str, meta: &PageMeta) -> Option<String> {
        let stem = rel.strip_suffix(".mdx").or_else(|| rel.strip_suffix(".md")).unwrap_or(rel);
        let (folder, name) = stem.rsplit_once('/').unwrap_or(("", stem));
        let hidden = |part: &str| part.starts_with('_');
        if !self.docusaurus {
            if hidden(name) {
                return None;
            }
            if let Some(slug) = meta.slug {
                let slug = slug.trim_matches('/');
                if self.locale.is_empty() {
                    return Some(slug.to_string());
                }
                let rest = slug.strip_prefix(self.locale.as_str())?;
                return (rest.is_empty() || rest.starts_with('/')).then(|| rest.trim_start_matches('/').to_string());
            }
            let mut parts: Vec<String> = stem.split('/').map(crate::slug::github).collect();
            if parts.last().is_some_and(|p| p == "index") {
                parts.pop();
            }
            return Some(parts.join("/"));
        }
        if folder.split('/').any(hidden) || hidden(name) {
            return None;
        }
        let strip = self.number_prefixes && meta.number_prefixes != Some(false);
        let unprefixed = |part: &'_ str| -> String {
            if strip {
                strip_number_prefix(part).to_string()
            } else {
                part.to_string()
            }
        };
        let folder_url: Vec<String> = folder.split('/').filter(|p| !p.is_empty()).map(unprefixed).collect();
        if let Some(slug) = meta.slug.filter(|s| s.starts_with('/')) {
            return Some(resolve_url(Vec::new(), slug));
        }
        let parent = folder.rsplit('/').next().unwrap_or_default();
        let index = ["index", "readme"].iter().any(|n| name.eq_ignore_ascii_case(n))
            || (!parent.is_empty() && name.eq_ignore_ascii_case(parent));
        if meta.slug.is_none() && index {
            return Some(folder_url.join("/"));
        }
        let last = match (meta.slug, meta.id) {
            (Some(slug), _) => slug.to_string(),
            (None, Some(id)) => id.to_string(),
            (None, None) => unprefixed(name),
        };
        Some(resolve_url(folder_url, &last))
    }
}

/// A URL path with its percent escapes decoded (`%EC%8B%9C%EC%9E%91` is `시작`, `%20` a
/// space), as the site's router matches it; unchanged where the escapes do not make
/// UTF-8.
pub fn percent_decoded(path: &str) -> Cow<'_, str> {
    if !path.contains('%') {
        return Cow::Borrowed(path);
    }
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match hex.filter(|_| bytes[i] == b'%').and_then(|h| u8::from_str_radix(h, 16).ok()) {
            Some(b) => {
                out.push(b);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_or(Cow::Borrowed(path), Cow::Owned)
}

/// `to` resolved as a URL against the folder whose parts are `from` (`/a/b/` and `../c`
/// make `a/c`), without slashes at either end; `..` stops at the root.
fn resolve_url(from: Vec<String>, to: &str) -> String {
    let mut url = if to.starts_with('/') { Vec::new() } else { from };
    for part in to.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                url.pop();
            }
            p => url.push(p.to_string()),
        }
    }
    url.join("/")
}

/// A page name without the numbered prefix Docusaurus drops (`01-intro` is `intro`,
/// `2. Setup` is `Setup`), as its default `numberPrefixParser` does: a name that is only
/// a number keeps it, and so does one that starts like a date or a version (`2024-01-x`,
/// `1.2-x`).
pub fn strip_number_prefix(name: &str) -> &str {
    let digits = name.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return name;
    }
    // `^\d+[-_.]\d+`: a date or a version, not a position.
    let after_digits = &name.as_bytes()[digits..];
    if after_digits.len() >= 2 && matches!(after_digits[0], b'-' | b'_' | b'.') && after_digits[1].is_ascii_digit() {
        return name;
    }
    let rest = name[digits..].trim_start_matches(' ');
    let after = rest.trim_start_matches(['-', '_', '.']);
    if after.len() == rest.len() {
        return name;
    }
    let after = after.trim_start_matches(' ');
    if after.is_empty() || after.starts_with(['-', '_', '.']) {
        return name;
    }
    after
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
    /// Whether a root-relative path lies in a folder whose pages are written at build
    /// time (`generated`), wherever the site's root is in the checked tree.
    pub fn is_generated(&self, path: &str) -> bool {
        self.generated.iter().any(|g| {
            let inside =
                |at: usize| path[at..].strip_prefix(g.as_str()).is_some_and(|r| r.is_empty() || r.starts_with('/'));
            inside(0) || path.match_indices(&format!("/{g}")).any(|(i, _)| inside(i + 1))
        })
    }

    /// Adds an absolute URL of the site (`https://kubernetes.io/`).
    /// Only its scheme and host count: site paths in links are written from the host
    /// (`/docs/x`), whatever path the site's URL has.
    pub fn add_url(&mut self, url: &str) {
        let url = crate::targets::normalize_target(url);
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

/// A key without what marks it as the page of one locale, so the localized page of an
/// external site and the source's page compare equal: path segments naming `language`
/// (its primary subtag, or the language with any region: `es`, `zh-cn`, `fr_fr`, or the
/// `{locale}` that `normalize_target` writes for `xx-yy`), a first host label naming it
/// (`ko.vite.dev`, `cn.vite.dev` for zh-cn, `zh.wikipedia.org`) and a query parameter
/// whose value names it (`?lang=pt-br`). `…/content/zh-cn/docs/x` of a translation and
/// `…/content/en/docs/x` of its source are the same file in two locales,
/// `developer.mozilla.org/es/docs/x` the localized `/en-US/docs/x`.
pub fn locale_folders_aside(key: &str, language: &str) -> String {
    if language.is_empty() || !key.contains('/') {
        return key.to_string();
    }
    let fold = |c: u8| if c == b'_' { b'-' } else { c.to_ascii_lowercase() };
    let folded = |part: &str, name: &str| {
        part.len() == name.len() && part.bytes().zip(name.bytes()).all(|(a, b)| fold(a) == fold(b))
    };
    let mut subtags = language.split(['-', '_']);
    let primary = subtags.next().unwrap_or(language);
    let region = subtags.next().filter(|r| r.len() == 2);
    // A segment naming the language with a region of any country (`fr_fr`, `es-mx`).
    let regional = |part: &str| {
        part.split_once(['-', '_']).is_some_and(|(p, r)| {
            folded(p, primary) && (2..=4).contains(&r.len()) && r.bytes().all(|b| b.is_ascii_alphanumeric())
        })
    };
    let names_locale = |part: &str| folded(part, language) || folded(part, primary) || regional(part);
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
            let host = match part.split_once('.') {
                Some((label, rest))
                    if rest.contains('.') && (names_locale(label) || region.is_some_and(|r| folded(label, r))) =>
                {
                    rest
                }
                _ => part,
            };
            out.push_str(host);
            continue;
        }
        if k > 0 && (names_locale(part) || *part == "{locale}") {
            // The segment goes, with the slash before it.
            out.pop();
        } else {
            out.push_str(part);
        }
    }
    // `?lang=pt-br`: the site's own choice of language, not another page.
    let (query, fragment) = match tail.find('#') {
        Some(i) => tail.split_at(i),
        None => (tail, ""),
    };
    let params: Vec<&str> = query
        .strip_prefix('?')
        .map(|q| q.split('&').filter(|p| !p.split_once('=').is_some_and(|(_, v)| names_locale(v))).collect())
        .unwrap_or_default();
    if !params.is_empty() {
        out.push('?');
        out.push_str(&params.join("&"));
    }
    out.push_str(fragment);
    out
}

/// `/ja/docs/x` without `/ja` when `locale` is `ja` (ignoring case, `_` as `-`).
pub(crate) fn strip_locale_prefix(key: &str, locale: &str) -> Option<String> {
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
pub(crate) fn split_path(target: &str) -> (&str, &str) {
    // Bytes, not chars: every link of every page passes here.
    let end = memchr::memchr2(b'#', b'?', target.as_bytes()).unwrap_or(target.len());
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

/// Whether a link target is an email address (`<conduct@cncf.io>` autolinks to one
/// without a scheme), which is no file.
pub fn is_email(target: &str) -> bool {
    let (path, _) = split_path(target);
    path.find('@')
        .is_some_and(|at| !path[..at].contains('/') && path[at + 1..].contains('.') && !path[at + 1..].contains('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Docusaurus' `numberPrefixParser`: digits, then separators, then a name.
    #[test]
    fn numbered_prefixes_go_as_docusaurus_drops_them() {
        for (name, page) in [
            ("01-intro", "intro"),
            ("1_intro", "intro"),
            ("2. Setup", "Setup"),
            ("10 - a b", "a b"),
            ("4nodes-setup", "4nodes-setup"),
            ("2024", "2024"),
            ("1-", "1-"),
            ("1--", "1--"),
            ("intro", "intro"),
            ("2024-01-02-release", "2024-01-02-release"),
            ("1.2-upgrade", "1.2-upgrade"),
            ("1--2fa", "2fa"),
        ] {
            assert_eq!(strip_number_prefix(name), page, "{name}");
        }
    }

    /// Where Docusaurus and Starlight serve a page, by its path and its front matter.
    #[test]
    fn pages_are_served_where_their_names_and_front_matter_say() {
        let route = |docusaurus: bool, locale: &str| Route {
            locale: locale.into(),
            base: "docs".into(),
            dir: "docs".into(),
            complete: true,
            default: true,
            docusaurus,
            number_prefixes: docusaurus,
        };
        let d = route(true, "");
        let meta = |slug: Option<&'static str>, id: Option<&'static str>| PageMeta { slug, id, number_prefixes: None };
        let none = meta(None, None);
        for (rel, meta, url) in [
            ("intro.md", none, Some("intro")),
            ("01-basics/02-install.md", none, Some("basics/install")),
            ("guides/guides.md", none, Some("guides")),
            ("guides/README.mdx", none, Some("guides")),
            ("01-guides/01-guides.md", none, Some("guides")),
            ("index.md", none, Some("")),
            ("guides/setup.md", meta(Some("/start"), None), Some("start")),
            ("guides/setup.md", meta(Some("begin"), None), Some("guides/begin")),
            ("guides/setup.md", meta(Some("../begin/"), None), Some("begin")),
            ("guides/setup.md", meta(Some("/"), None), Some("")),
            ("01-guides/setup.md", meta(None, Some("first-steps")), Some("guides/first-steps")),
            ("guides/guides.md", meta(None, Some("all")), Some("guides")),
            ("_shared/part.mdx", none, None),
            ("guides/_part.md", none, None),
        ] {
            assert_eq!(d.url_of(rel, &meta).as_deref(), url, "{rel} {meta:?}");
        }
        let kept = PageMeta { number_prefixes: Some(false), ..PageMeta::default() };
        assert_eq!(d.url_of("01-basics/02-install.md", &kept).as_deref(), Some("01-basics/02-install"));
        let off = Route { number_prefixes: false, ..d.clone() };
        assert_eq!(off.url_of("01-basics/02-install.md", &none).as_deref(), Some("01-basics/02-install"));
        let s = route(false, "");
        assert_eq!(s.url_of("Guides/Getting Started.md", &none).as_deref(), Some("guides/getting-started"));
        assert_eq!(s.url_of("start/index.mdx", &none).as_deref(), Some("start"));
        assert_eq!(s.url_of("guides/setup.md", &meta(Some("/begin/"), None)).as_deref(), Some("begin"));
        let ko = route(false, "ko");
        assert_eq!(ko.url_of("guides/setup.md", &meta(Some("ko/begin"), None)).as_deref(), Some("begin"));
        assert_eq!(ko.url_of("guides/setup.md", &meta(Some("begin"), None)), None);
        assert_eq!(percent_decoded("a/%EC%8B%9C%EC%9E%91/my%20doc"), "a/시작/my doc");
        assert_eq!(percent_decoded("100%/%zz/%FF"), "100%/%zz/%FF");
    }

    fn site() -> Site {
        let mut s = Site::default();
        s.add_url("https://kubernetes.io/");
        s
    }

    #[test]
    fn spellings_of_one_page_have_one_key() {
        let site = site();
        let key =
            |t: &str, locale: Option<&str>| site.page_key(&crate::targets::normalize_target(t), locale).into_owned();
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
        // A locale's subdomain, its region as one (`cn.` for zh-cn), a regional folder
        // (`fr_fr`) and `?lang=` mark the localized page of the same one.
        for (t, s, language) in [
            ("https://ko.vite.dev/guide/", "https://vite.dev/guide/", "ko"),
            ("https://cn.vite.dev/guide/", "https://vite.dev/guide/", "zh-cn"),
            ("https://docs.aws.amazon.com/fr_fr/amplify/x", "https://docs.aws.amazon.com/amplify/x", "fr"),
            ("https://preactjs.com/?lang=pt-br", "https://preactjs.com/", "pt-br"),
            ("https://x.org/?lang=de&q=1#a", "https://x.org/?q=1#a", "de"),
        ] {
            assert_eq!(repo(t, language), repo(s, "en"), "{t}");
        }
        assert_ne!(repo("https://main.vite.dev/guide/", "ko"), repo("https://vite.dev/guide/", "en"));
        assert_ne!(repo("https://x.org/?q=de", "fr"), repo("https://x.org/", "en"));
        // Another locale, another host or another page stays apart.
        assert_ne!(key("/ja/docs/concepts/x/", Some("ko")), page);
        assert_ne!(key("https://kubernetes.io.evil/docs/concepts/x", None), page);
        assert_ne!(key("/docs/concepts/y/", None), page);
        assert_ne!(key("/janet/docs/concepts/x/", Some("ja")), page);
    }
}
