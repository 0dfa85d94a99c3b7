//! Layouts: which files are sources, which are translations of what, and orphans.
//!
//! Every layout is a pair of path templates with `{path}` and `{locale}`:
//! sibling trees `en-us/{path}` + `{locale}/{path}`, a locale segment
//! `content/en/{path}` + `content/{locale}/{path}`, or suffixes `{path}.md` +
//! `{path}.{locale}.md`. Detection proposes one of these when there is no config.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::path::Path;

use regex::Regex;

use crate::site::{self, Site};

pub use crate::locale::is_locale;

#[derive(Debug, Clone)]
pub struct Template {
    pub pattern: String,
    regex: Regex,
    /// The same match without the regex, for the shapes layouts usually have.
    quick: Quick,
}

/// Templates that end in `{path}` and have at most a `{locale}` before it, followed by
/// a character that cannot be part of a locale (`en-us/{path}`, `{locale}/{path}`,
/// `content/{locale}/{path}`): matching them is a prefix test and a scan, several
/// times faster than the regex, and every path of the tree is matched once or twice.
#[derive(Debug, Clone)]
enum Quick {
    /// `{prefix}{path}`.
    Path { prefix: String },
    /// `{prefix}{locale}{middle}{path}`, `middle` starting with a character that no
    /// locale has, so the locale ends at the first such character.
    Locale { prefix: String, middle: String },
    /// Any other shape: the regex decides.
    No,
}

impl Quick {
    fn of(pattern: &str) -> Quick {
        let Some(head) = pattern.strip_suffix("{path}") else { return Quick::No };
        match head.split_once("{locale}") {
            None => Quick::Path { prefix: head.to_string() },
            Some((prefix, middle)) if middle.chars().next().is_some_and(|c| !is_locale_char(c)) => {
                Quick::Locale { prefix: prefix.to_string(), middle: middle.to_string() }
            }
            Some(_) => Quick::No,
        }
    }

    /// What the regex would capture: None when it does not match, Some(None) when this
    /// shape cannot tell.
    fn matches<'a>(&self, rel: &'a str) -> Option<Option<(Option<&'a str>, &'a str)>> {
        // `{path}` is `.+`, which needs a character and matches any but a newline.
        let path = |rest: &'a str| (!rest.is_empty() && !rest.contains('\n')).then_some(rest);
        match self {
            Quick::No => Some(None),
            Quick::Path { prefix } => Some(Some((None, path(rel.strip_prefix(prefix.as_str())?)?))),
            Quick::Locale { prefix, middle } => {
                let rest = rel.strip_prefix(prefix.as_str())?;
                let end = rest.find(|c| !is_locale_char(c)).unwrap_or(rest.len());
                let locale = &rest[..end];
                if !locale_shaped(locale) {
                    return None;
                }
                Some(Some((Some(locale), path(rest[end..].strip_prefix(middle.as_str())?)?)))
            }
        }
    }
}

/// A character the `{locale}` pattern can match.
fn is_locale_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}

/// Whether a string matches the `{locale}` pattern as a whole: 2 or 3 letters, then
/// parts of 2 to 8 letters or digits, each after a `-` or `_`.
fn locale_shaped(s: &str) -> bool {
    let mut parts = s.split(['-', '_']);
    let lang = parts.next().unwrap_or("");
    (2..=3).contains(&lang.len())
        && lang.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

impl Template {
    /// `{path}` must appear exactly once; `{locale}` at most once.
    pub fn parse(pattern: &str) -> Result<Template, String> {
        if pattern.matches("{path}").count() != 1 {
            return Err(format!("layout pattern `{pattern}` must contain `{{path}}` exactly once"));
        }
        if pattern.matches("{locale}").count() > 1 {
            return Err(format!("layout pattern `{pattern}` contains `{{locale}}` more than once"));
        }
        let mut re = String::from("^");
        let mut rest = pattern;
        while !rest.is_empty() {
            if let Some(r) = rest.strip_prefix("{path}") {
                re.push_str("(?P<path>.+?)");
                rest = r;
            } else if let Some(r) = rest.strip_prefix("{locale}") {
                re.push_str("(?P<locale>[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*)");
                rest = r;
            } else {
                let c = rest.chars().next().expect("non-empty");
                re.push_str(&regex::escape(&c.to_string()));
                rest = &rest[c.len_utf8()..];
            }
        }
        re.push('$');
        let regex = Regex::new(&re).map_err(|e| format!("layout pattern `{pattern}`: {e}"))?;
        Ok(Template { pattern: pattern.to_string(), regex, quick: Quick::of(pattern) })
    }

    /// (locale if the template has one, path) for a relative path that fits.
    pub fn matches(&self, rel: &str) -> Option<(Option<String>, String)> {
        let (locale, path) = match self.quick.matches(rel)? {
            Some(found) => found,
            None => {
                let c = self.regex.captures(rel)?;
                (c.name("locale").map(|m| m.as_str()), c.name("path")?.as_str())
            }
        };
        if locale.is_some_and(|l| !is_locale(l)) {
            return None;
        }
        Some((locale.map(str::to_string), path.to_string()))
    }

    pub fn render(&self, locale: &str, path: &str) -> String {
        self.pattern.replace("{locale}", locale).replace("{path}", path)
    }
}

#[derive(Debug, Clone)]
pub struct Layout {
    pub source: Template,
    pub translation: Template,
    pub source_locale: String,
    /// The locales a site's config names (lowercase), when detection read them: a
    /// `{locale}` outside them is not a translation (Starlight's English at the root
    /// holds folders beside the locales'; `trunk.io.md` is not in locale "io").
    pub known_locales: Option<Vec<String>>,
    /// More source and translation templates under the same locales, each a content
    /// folder of its own (the Docusaurus blog beside the docs). Their files' shared
    /// `{path}` in a [`Role`] is `/` and the source's path: a walked path never starts
    /// with `/`, so it never meets a `{path}` of the main templates.
    pub also: Vec<(Template, Template)>,
}

impl Layout {
    pub fn new(source: &str, translation: &str, source_locale: &str) -> Result<Layout, String> {
        let translation = Template::parse(translation)?;
        if !translation.pattern.contains("{locale}") {
            return Err(format!("translation pattern `{}` must contain `{{locale}}`", translation.pattern));
        }
        Ok(Layout {
            source: Template::parse(source)?,
            translation,
            source_locale: source_locale.to_string(),
            known_locales: None,
            also: Vec::new(),
        })
    }

    /// The same layout with one more content folder and its translations' folder.
    pub fn with_also(mut self, source: &str, translation: &str) -> Result<Layout, String> {
        let translation = Template::parse(translation)?;
        if !translation.pattern.contains("{locale}") {
            return Err(format!("translation pattern `{}` must contain `{{locale}}`", translation.pattern));
        }
        self.also.push((Template::parse(source)?, translation));
        Ok(self)
    }

    /// The same layout, taking only these locales as translations.
    pub fn with_locales(mut self, locales: Vec<String>) -> Layout {
        self.known_locales = Some(locales.iter().map(|l| l.to_lowercase()).collect());
        self
    }

    pub fn describe(&self) -> String {
        let mut out = format!("source `{}`, translations `{}`", self.source.pattern, self.translation.pattern);
        for (s, t) in &self.also {
            out.push_str(&format!("; source `{}`, translations `{}`", s.pattern, t.pattern));
        }
        out
    }

    /// Classifies a relative path. A path the translation template claims with a
    /// locale other than the source's is a translation, even when the source template
    /// fits too (with suffixes, `{path}.md` also fits `guide.sv.md`). The other content
    /// folders (`also`) are asked first: `blog/{path}` is more specific than a `{path}`.
    pub fn classify(&self, rel: &str) -> Role {
        for (source, translation) in &self.also {
            match self.classify_with(source, translation, rel) {
                Role::Translation { locale, path } => {
                    let path = format!("/{}", source.render(&self.source_locale, &path));
                    return Role::Translation { locale, path };
                }
                Role::Source { .. } => return Role::Source { path: format!("/{rel}") },
                Role::Other => {}
            }
        }
        self.classify_with(&self.source, &self.translation, rel)
    }

    fn classify_with(&self, source: &Template, translation: &Template, rel: &str) -> Role {
        if let Some((Some(locale), path)) = translation.matches(rel) {
            let known =
                || self.known_locales.as_ref().is_none_or(|ls| ls.iter().any(|l| l.eq_ignore_ascii_case(&locale)));
            if !locale.eq_ignore_ascii_case(&self.source_locale) && known() {
                return Role::Translation { locale, path };
            }
        }
        if let Some((locale, path)) = source.matches(rel) {
            if locale.is_none_or(|l| l.eq_ignore_ascii_case(&self.source_locale)) {
                return Role::Source { path };
            }
        }
        Role::Other
    }

    /// The source of a `{path}` a [`Role`] gave.
    pub fn source_of(&self, path: &str) -> String {
        match path.strip_prefix('/') {
            Some(source) => source.to_string(),
            None => self.source.render(&self.source_locale, path),
        }
    }

    /// Where the translation of a `{path}` a [`Role`] gave is, in `locale`.
    pub fn translation_of(&self, locale: &str, path: &str) -> String {
        let Some(source) = path.strip_prefix('/') else { return self.translation.render(locale, path) };
        self.also
            .iter()
            .find_map(|(s, t)| s.matches(source).map(|(_, p)| t.render(locale, &p)))
            .unwrap_or_else(|| self.translation.render(locale, source))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    Source { path: String },
    Translation { locale: String, path: String },
    Other,
}

/// One source and the translations to compare with it. The source is parsed once for all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub source: String,
    pub translations: Vec<(String, String)>,
}

#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub groups: Vec<Group>,
    /// Translations without a source: (locale, translation, expected source).
    pub orphans: Vec<(String, String, String)>,
    /// Sources without a translation in a locale: (source, locale, expected translation).
    pub missing: Vec<(String, String, String)>,
    pub locales: Vec<String>,
}

/// Pairs discovered files. `locales`, when given, limits which translations count.
///
/// Groups come sorted by source, their translations and the orphans in the order of
/// `files`, missing translations by `{path}` then locale.
pub fn plan(layout: &Layout, files: &[String], locales: Option<&[String]>) -> Plan {
    // Matching paths against the templates is most of the planning; it runs in parallel.
    let roles: Vec<Role> = {
        use rayon::prelude::*;
        files.par_iter().map(|rel| layout.classify(rel)).collect()
    };
    // By `{path}`: the source (of two with one `{path}`, the later file), and its group
    // once a translation pairs with it.
    let mut sources: HashMap<&str, (&str, Option<usize>), Fast> = HashMap::default();
    // (locale, path, file)
    let mut translations: Vec<(&str, &str, &str)> = Vec::with_capacity(files.len());
    for (rel, role) in files.iter().zip(&roles) {
        match role {
            Role::Source { path } => {
                sources.insert(path, (rel, None));
            }
            Role::Translation { locale, path } => {
                if locales.is_none_or(|ls| ls.iter().any(|l| l.eq_ignore_ascii_case(locale))) {
                    translations.push((locale, path, rel));
                }
            }
            Role::Other => {}
        }
    }
    let mut seen_locales: BTreeSet<&str> = translations.iter().map(|t| t.0).collect();
    if let Some(ls) = locales {
        seen_locales.extend(ls.iter().map(String::as_str));
    }
    let mut plan = Plan::default();
    // Which `{path}`s have a translation in which locale, whatever the case of either.
    let mut have: HashSet<(Cow<str>, Cow<str>), Fast> =
        HashSet::with_capacity_and_hasher(translations.len(), Fast::default());
    for (locale, path, rel) in translations {
        have.insert((lowercase(path), lowercase(locale)));
        match sources.get_mut(path) {
            Some((src, group)) => {
                let i = *group.get_or_insert_with(|| {
                    plan.groups.push(Group { source: src.to_string(), translations: Vec::new() });
                    plan.groups.len() - 1
                });
                plan.groups[i].translations.push((locale.to_string(), rel.to_string()));
            }
            None => plan.orphans.push((locale.to_string(), rel.to_string(), layout.source_of(path))),
        }
    }
    let mut sources: Vec<(&str, &str)> = sources.into_iter().map(|(path, (src, _))| (path, src)).collect();
    sources.sort_unstable();
    let seen: Vec<(&str, Cow<str>)> = seen_locales.iter().map(|l| (*l, lowercase(l))).collect();
    for (path, src) in sources {
        let lower = lowercase(path);
        for (locale, lower_locale) in &seen {
            if !have.contains(&(Cow::Borrowed(&*lower), Cow::Borrowed(&**lower_locale))) {
                plan.missing.push((src.to_string(), locale.to_string(), layout.translation_of(locale, path)));
            }
        }
    }
    plan.groups.sort_unstable_by(|a, b| a.source.cmp(&b.source));
    plan.locales = seen_locales.into_iter().map(str::to_string).collect();
    plan
}

/// Hashes with XXH3 instead of SipHash, several times faster on paths: planning hashes
/// every path of the tree two or three times, and nothing here needs SipHash's defence
/// against keys chosen to collide.
#[derive(Default)]
struct Xxh3(u64);

impl Hasher for Xxh3 {
    fn write(&mut self, bytes: &[u8]) {
        self.0 = xxhash_rust::xxh3::xxh3_64_with_seed(bytes, self.0);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type Fast = BuildHasherDefault<Xxh3>;

/// `str::to_lowercase`, without a copy for the (usual) text that is lowercase ASCII.
fn lowercase(s: &str) -> Cow<'_, str> {
    if s.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase()) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.to_lowercase())
    }
}

/// How a layout was found, for `init`'s comment and the zero-pairs message.
#[derive(Debug, Clone)]
pub struct Detected {
    pub layout: Layout,
    /// What told it, in words: "Hugo languages in hugo.toml", "sibling locale folders".
    pub how: String,
    /// The site config, when there is one at, above or just below the root.
    pub site: Option<Site>,
}

/// Proposes a layout for a root without config.
pub fn detect(root: &Path, files: &[String]) -> Option<Layout> {
    detect_with(root, files, site::find(root)).map(|d| d.layout)
}

/// Proposes a layout for a root without config, from the site's config where it states
/// the locales' folders (Hugo, Docusaurus, Starlight, VitePress, tldr), else from the tree:
/// locale folders beside the source's (`content/en` + `content/de`, `docs/en/docs` +
/// `docs/de/docs`), folders named after the source's with a locale suffix (`pages` +
/// `pages.de`, `repo` + `repo.de-de`), else `name.{locale}.md` suffixes.
pub fn detect_with(root: &Path, files: &[String], site: Option<Site>) -> Option<Detected> {
    if let Some(site) = site {
        let found = from_site(root, &site);
        let source_dir = site.default_entry().and_then(|l| site.content_dir_under(l, root));
        let base = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let config = crate::discover::to_slash(site.config_path.strip_prefix(&base).unwrap_or(&site.config_path));
        let how = |what: &str| match site.kind {
            site::Kind::Tldr => "tldr-pages folders".to_string(),
            kind => format!("{what} ({kind} site, {config})"),
        };
        if let Some(mut layout) = found {
            // The site's other content folders that exist here, with their translations.
            for (source, translation) in &site.more_content {
                let (Some(source), Some(translation)) = (site.under(source, root), site.under(translation, root))
                else {
                    continue;
                };
                if root.join(&source).is_dir() {
                    layout = layout.with_also(&join_path(&source), &join_path(&translation)).ok()?;
                }
            }
            let what = if layout.translation.pattern.ends_with("{path}.{locale}.md") {
                "locale suffixes for the locales its config names"
            } else {
                "the locales' folders its config names"
            };
            return Some(Detected { layout, how: how(what), site: Some(site) });
        }
        if let Some(layout) = source_dir.as_deref().and_then(|dir| mirror(root, dir, site.source_locale())) {
            return Some(Detected { layout, how: how("locale folders beside its source folder"), site: Some(site) });
        }
        let tree = detect_tree(root, files)?;
        return Some(Detected { site: Some(site), ..tree });
    }
    detect_tree(root, files)
}

/// The layout the site's config states: the default locale's content folder and the
/// others', when the others differ only by the locale.
fn from_site(root: &Path, site: &Site) -> Option<Layout> {
    let source = site.content_dir_under(site.default_entry()?, root)?;
    // mkdocs-static-i18n's suffix structure: every locale in the source's folder, each
    // page's translations beside it as `name.{locale}.md`.
    let keys: Vec<String> = site.translations().map(|l| l.key.clone()).collect();
    if site.kind == site::Kind::Mkdocs
        && !keys.is_empty()
        && site.translations().all(|l| site.content_dir_under(l, root).as_deref() == Some(source.as_str()))
    {
        let base = join_path(&source);
        let source_locale = site.source_locale().unwrap_or("en");
        return Some(
            Layout::new(&format!("{base}.md"), &format!("{base}.{{locale}}.md"), source_locale)
                .ok()?
                .with_locales(keys),
        );
    }
    let mut templates: Vec<(String, &str)> = Vec::new();
    for locale in site.translations() {
        let Some(dir) = site.content_dir_under(locale, root) else { continue };
        if let Some(t) = with_locale_slot(&dir, &locale.key) {
            templates.push((t, &locale.key));
        }
    }
    // The template most locales share (a locale whose folder breaks the pattern is left out).
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for (t, _) in &templates {
        match counts.iter_mut().find(|(x, _)| x == t) {
            Some(c) => c.1 += 1,
            None => counts.push((t, 1)),
        }
    }
    let (template, _) = counts.iter().max_by_key(|(_, n)| *n)?;
    let translation = join_path(template);
    let source_template = join_path(&source);
    // `content/en` under `content/{locale}`: the folder names the source locale.
    let folder_locale = Template::parse(&translation)
        .ok()
        .and_then(|t| t.matches(&format!("{source}/x")).and_then(|(l, _)| l))
        .filter(|_| !source.is_empty());
    let source_locale =
        folder_locale.or_else(|| site.source_locale().map(str::to_string)).unwrap_or_else(|| "en".into());
    let known = templates.iter().filter(|(t, _)| t == template).map(|(_, k)| k.to_string()).collect();
    Some(Layout::new(&source_template, &translation, &source_locale).ok()?.with_locales(known))
}

/// `dir` with the locale `key` (a whole path segment, or a segment's `.{key}` end)
/// replaced by `{locale}`.
fn with_locale_slot(dir: &str, key: &str) -> Option<String> {
    let segments: Vec<&str> = dir.split('/').collect();
    let i = segments.iter().rposition(|s| s.eq_ignore_ascii_case(key) || s.ends_with(&format!(".{key}")))?;
    let mut out: Vec<String> = segments.iter().map(|s| s.to_string()).collect();
    out[i] = if segments[i].eq_ignore_ascii_case(key) {
        "{locale}".into()
    } else {
        format!("{}.{{locale}}", &segments[i][..segments[i].len() - key.len() - 1])
    };
    Some(out.join("/"))
}

fn join_path(dir: &str) -> String {
    if dir.is_empty() {
        "{path}".into()
    } else {
        format!("{dir}/{{path}}")
    }
}

/// The layout of a source folder whose counterparts differ in one segment: a locale
/// folder beside a locale folder (`docs/en/docs` and `docs/de/docs`), or a folder with a
/// locale suffix beside one without (`pages` and `pages.de`, `repo` and `repo.de-de`).
fn mirror(root: &Path, source: &str, source_locale: Option<&str>) -> Option<Layout> {
    let segments: Vec<&str> = source.split('/').filter(|s| !s.is_empty()).collect();
    for i in (0..segments.len()).rev() {
        let parent = segments[..i].join("/");
        let rest = segments[i + 1..].join("/");
        let seg = segments[i];
        let names = subdirectories(&root.join(&parent));
        let has_rest = |name: &str| rest.is_empty() || root.join(&parent).join(name).join(&rest).is_dir();
        let prefix = if parent.is_empty() { String::new() } else { format!("{parent}/") };
        let suffix = if rest.is_empty() { String::new() } else { format!("/{rest}") };
        if is_locale(seg) {
            let locales: Vec<&String> = names.iter().filter(|n| is_locale(n) && *n != seg && has_rest(n)).collect();
            if !locales.is_empty() {
                let layout = Layout::new(
                    &format!("{prefix}{seg}{suffix}/{{path}}"),
                    &format!("{prefix}{{locale}}{suffix}/{{path}}"),
                    seg,
                );
                return layout.ok();
            }
        }
        let dotted = format!("{seg}.");
        let locales: Vec<&str> = names
            .iter()
            .filter_map(|n| n.strip_prefix(&dotted))
            .filter(|l| is_locale(l) && has_rest(&format!("{dotted}{l}")))
            .collect();
        if !locales.is_empty() {
            // Translations named `de-de` come from an `en-us` source; `de` from `en`.
            let regional = locales.iter().all(|l| l.contains(['-', '_']));
            let source_locale = source_locale.unwrap_or(if regional { "en-us" } else { "en" });
            let layout = Layout::new(
                &format!("{prefix}{seg}{suffix}/{{path}}"),
                &format!("{prefix}{seg}.{{locale}}{suffix}/{{path}}"),
                source_locale,
            );
            return layout.ok();
        }
    }
    None
}

/// Detection from the tree alone.
fn detect_tree(root: &Path, files: &[String]) -> Option<Detected> {
    if let Some((layout, how)) = detect_folders(root, "", 0) {
        return Some(Detected { layout, how: how.into(), site: None });
    }
    detect_suffix(files).map(|layout| Detected { layout, how: "locale suffixes in file names".into(), site: None })
}

/// `name.{locale}.md` beside `name.md`: only suffixes that name a locale of at least one
/// file whose source is there count, so `trunk.io.md` alone is not a page in locale "io".
fn detect_suffix(files: &[String]) -> Option<Layout> {
    let suffix = Layout::new("{path}.md", "{path}.{locale}.md", "en").ok()?;
    let all: HashSet<&str> = files.iter().map(String::as_str).collect();
    let mut locales: BTreeSet<String> = BTreeSet::new();
    for f in files {
        if let Role::Translation { locale, path } = suffix.classify(f) {
            if all.contains(suffix.source_of(&path).as_str()) {
                locales.insert(locale);
            }
        }
    }
    (!locales.is_empty()).then(|| suffix.with_locales(locales.into_iter().collect()))
}

/// The folders directly in `dir`, by name, without hidden ones.
fn subdirectories(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut children: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().map(|t| t.is_dir()).unwrap_or(false))
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter(|n| !n.starts_with('.') && n != "node_modules")
        .collect();
    children.sort();
    children
}

fn detect_folders(root: &Path, prefix: &str, depth: usize) -> Option<(Layout, &'static str)> {
    let dir = if prefix.is_empty() { root.to_path_buf() } else { root.join(prefix) };
    let children = subdirectories(&dir);
    if children.is_empty() && !dir.is_dir() {
        return None;
    }
    let locales: Vec<&String> = children.iter().filter(|c| is_locale(c)).collect();
    let source =
        ["en-us", "en", "en-gb"].iter().find_map(|s| locales.iter().find(|l| l.eq_ignore_ascii_case(s))).copied();
    let p = if prefix.is_empty() { String::new() } else { format!("{prefix}/") };
    if let Some(source) = source {
        if locales.len() >= 2 {
            // FastAPI: `docs/en/docs/` + `docs/de/docs/`, each locale folder holding one
            // folder of the same name (and the site's config beside it).
            let inner = subdirectories(&dir.join(source));
            let pages_beside =
                std::fs::read_dir(dir.join(source)).into_iter().flatten().filter_map(Result::ok).any(|e| {
                    e.file_type().is_ok_and(|t| t.is_file())
                        && e.path().extension().is_some_and(|x| x == "md" || x == "mdx")
                });
            if let (false, [only]) = (pages_beside, inner.as_slice()) {
                let shared = locales.iter().filter(|l| **l != source).all(|l| {
                    let theirs = subdirectories(&dir.join(l));
                    theirs.is_empty() || theirs == inner
                });
                if shared {
                    let layout = Layout::new(
                        &format!("{p}{source}/{only}/{{path}}"),
                        &format!("{p}{{locale}}/{only}/{{path}}"),
                        source,
                    );
                    return layout.ok().map(|l| (l, "locale folders, each with its own docs folder"));
                }
            }
            let layout = Layout::new(&format!("{p}{source}/{{path}}"), &format!("{p}{{locale}}/{{path}}"), source);
            return layout.ok().map(|l| (l, "locale folders side by side"));
        }
    }
    // tldr `pages` + `pages.de`, Microsoft Learn `repo` + `repo.de-de`.
    for c in &children {
        let dotted = format!("{c}.");
        let suffixed: Vec<&str> =
            children.iter().filter_map(|n| n.strip_prefix(&dotted)).filter(|l| is_locale(l)).collect();
        if !suffixed.is_empty() {
            let regional = suffixed.iter().all(|l| l.contains(['-', '_']));
            let source_locale = if regional { "en-us" } else { "en" };
            let layout =
                Layout::new(&format!("{p}{c}/{{path}}"), &format!("{p}{c}.{{locale}}/{{path}}"), source_locale);
            return layout.ok().map(|l| (l, "folders named after the source folder with a locale suffix"));
        }
    }
    if depth >= 2 {
        return None;
    }
    children.iter().filter(|c| !is_locale(c)).find_map(|c| detect_folders(root, &format!("{p}{c}"), depth + 1))
}

/// The source locale a pair of templates states: the segment of the source template
/// where the translation template has `{locale}` (`content/en/{path}` against
/// `content/{locale}/{path}` says `en`), when it is a locale.
pub fn implied_source_locale(source: &str, translation: &str) -> Option<String> {
    let (before, after) = translation.split_once("{locale}")?;
    let middle = source.strip_prefix(before)?.strip_suffix(after)?;
    is_locale(middle).then(|| middle.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locales_are_recognized() {
        for l in ["sv-se", "pt_BR", "zh-Hant", "de", "en-us"] {
            assert!(is_locale(l), "{l}");
        }
        for l in ["docs", "api", "includes", "v2"] {
            assert!(!is_locale(l), "{l}");
        }
    }

    #[test]
    fn three_layouts_classify() {
        let sib = Layout::new("en-us/{path}", "{locale}/{path}", "en-us").unwrap();
        assert_eq!(sib.classify("en-us/a/b.md"), Role::Source { path: "a/b.md".into() });
        assert_eq!(sib.classify("sv-se/a/b.md"), Role::Translation { locale: "sv-se".into(), path: "a/b.md".into() });
        let seg = Layout::new("content/en/{path}", "content/{locale}/{path}", "en").unwrap();
        assert_eq!(seg.classify("content/de/x.md"), Role::Translation { locale: "de".into(), path: "x.md".into() });
        assert_eq!(seg.classify("content/en/x.md"), Role::Source { path: "x.md".into() });
        let suf = Layout::new("{path}.md", "{path}.{locale}.md", "en").unwrap();
        assert_eq!(suf.classify("docs/x.sv.md"), Role::Translation { locale: "sv".into(), path: "docs/x".into() });
        assert_eq!(suf.classify("docs/x.md"), Role::Source { path: "docs/x".into() });
        assert_eq!(suf.classify("docs/notes.old.md"), Role::Source { path: "docs/notes.old".into() });
    }

    /// The quick match captures what the regex captures, for every shape it takes on.
    #[test]
    fn quick_matches_agree_with_the_regex() {
        use proptest::prelude::*;
        let templates = ["en-us/{path}", "{locale}/{path}", "content/{locale}/{path}", "{locale}.{path}", "x{path}"];
        for pattern in templates {
            let t = Template::parse(pattern).unwrap();
            assert!(!matches!(t.quick, Quick::No), "{pattern}");
            let mut runner = proptest::test_runner::TestRunner::default();
            let rels = "(en-us/|content/|x|sv-se/|content/de/|)[a-zA-Z0-9_./\n-]{0,4}[a-zA-Z0-9_./\né-]{0,8}";
            let fixed = [
                "sv-se/a.md",
                "content/de/x.md",
                "en-us/",
                "sv-se/a\nb",
                "sv-sé/a",
                "toolong/a",
                "de.x",
                "en_US/a",
                "abcd/a",
                "ab-c/a",
                "abc-abcdefghi/x",
                "abc-abcdefgh/x",
                "a/x",
                "e1/x",
                "zh-Hant-TW.x",
                "sv--se/a",
            ];
            for rel in fixed {
                let by_regex =
                    t.regex.captures(rel).map(|c| (c.name("locale").map(|m| m.as_str()), c["path"].to_string()));
                let quick = t.quick.matches(rel).map(|m| m.map(|(l, p)| (l, p.to_string())).unwrap());
                assert_eq!(quick, by_regex, "{pattern} on {rel:?}");
            }
            runner
                .run(&rels, |rel| {
                    let by_regex = t.regex.captures(&rel).map(|c| {
                        (c.name("locale").map(|m| m.as_str().to_string()), c.name("path").unwrap().as_str().to_string())
                    });
                    let quick = t.quick.matches(&rel).map(|m| {
                        let (locale, path) = m.expect("decided without the regex");
                        (locale.map(str::to_string), path.to_string())
                    });
                    prop_assert_eq!(quick, by_regex, "{} on {:?}", pattern, rel);
                    Ok(())
                })
                .unwrap();
        }
        for pattern in ["{path}.{locale}.md", "{locale}-x/{path}", "{path}/x"] {
            assert!(matches!(Template::parse(pattern).unwrap().quick, Quick::No), "{pattern}");
        }
    }

    #[test]
    fn plan_finds_orphans_and_missing() {
        let sib = Layout::new("en-us/{path}", "{locale}/{path}", "en-us").unwrap();
        let files: Vec<String> =
            ["en-us/a.md", "en-us/b.md", "sv-se/a.md", "sv-se/c.md"].iter().map(|s| s.to_string()).collect();
        let plan = plan(&sib, &files, None);
        assert_eq!(
            plan.groups,
            vec![Group { source: "en-us/a.md".into(), translations: vec![("sv-se".into(), "sv-se/a.md".into())] }]
        );
        assert_eq!(plan.orphans, vec![("sv-se".into(), "sv-se/c.md".into(), "en-us/c.md".into())]);
        assert_eq!(plan.missing, vec![("en-us/b.md".into(), "sv-se".into(), "sv-se/b.md".into())]);
    }

    /// A translation whose path differs from its source's only in case does not pair
    /// with it, but the source is not missing that translation either.
    #[test]
    fn case_decides_pairs_but_not_missing_translations() {
        let sib = Layout::new("en-us/{path}", "{locale}/{path}", "en-us").unwrap();
        let files: Vec<String> = ["en-us/A.md", "en-us/b.md", "nl-NL/b.md", "sv-se/a.md", "sv-se/b.md"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let plan = plan(&sib, &files, None);
        let group = Group {
            source: "en-us/b.md".into(),
            translations: vec![("nl-NL".into(), "nl-NL/b.md".into()), ("sv-se".into(), "sv-se/b.md".into())],
        };
        assert_eq!(plan.groups, vec![group]);
        assert_eq!(plan.orphans, vec![("sv-se".into(), "sv-se/a.md".into(), "en-us/a.md".into())]);
        assert_eq!(plan.missing, vec![("en-us/A.md".into(), "nl-NL".into(), "nl-NL/A.md".into())]);
        assert_eq!(plan.locales, ["nl-NL", "sv-se"]);
    }
}
