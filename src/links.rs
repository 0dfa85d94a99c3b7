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
    /// Adds an absolute URL of the site (`https://kubernetes.io/`).
    pub fn add_url(&mut self, url: &str) {
        let url = crate::rules::normalize_target(url);
        if url.contains("://") && !self.urls.contains(&url) {
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
                out = Cow::Owned(rest);
            }
        }
        let (path, tail) = split_path(&out);
        let page = page_path(path);
        if page.len() != path.len() {
            out = Cow::Owned(format!("{page}{tail}"));
        }
        out
    }
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
        let tr = by_tr.into_iter().filter_map(|(id, j)| counterpart.get(&j).map(|&i| (id, i))).collect();
        Fragments { src: heading_ids(&s), tr }
    }

    /// The source heading an in-page fragment (`#x`, lower case) of the source names.
    pub fn source_heading(&self, fragment: &str) -> Option<usize> {
        self.src.get(fragment).copied()
    }

    /// The source heading whose counterpart an in-page fragment of the translation names.
    pub fn translated_heading(&self, fragment: &str) -> Option<usize> {
        self.tr.get(fragment).copied()
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
