//! Layouts: which files are sources, which are translations of what, and orphans.
//!
//! Every layout is a pair of path templates with `{path}` and `{locale}`:
//! sibling trees `en-us/{path}` + `{locale}/{path}`, a locale segment
//! `content/en/{path}` + `content/{locale}/{path}`, or suffixes `{path}.md` +
//! `{path}.{locale}.md`. Detection proposes one of these when there is no config.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use regex::Regex;

/// ISO 639-1 codes plus a few 639-2 ones used by docs sites; a folder or suffix is a
/// locale only if its language part is one of these, so `docs/` or `api.md` never is.
const LANGUAGES: &str = "aa ab af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy \
da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik \
io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt \
my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so \
sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu \
fil haw yue ast ckb kab";

/// Whether a string is a locale code such as `sv-SE`, `pt_BR`, `zh-Hant` or `de`.
pub fn is_locale(s: &str) -> bool {
    // Asked for every path of every run: a set, not a scan of the list.
    static KNOWN: std::sync::LazyLock<std::collections::HashSet<&str>> =
        std::sync::LazyLock::new(|| LANGUAGES.split_whitespace().collect());
    let mut parts = s.split(['-', '_']);
    let lang = parts.next().unwrap_or("").to_ascii_lowercase();
    if !KNOWN.contains(lang.as_str()) {
        return false;
    }
    parts.all(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

#[derive(Debug, Clone)]
pub struct Template {
    pub pattern: String,
    regex: Regex,
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
        Ok(Template { pattern: pattern.to_string(), regex })
    }

    /// (locale if the template has one, path) for a relative path that fits.
    pub fn matches(&self, rel: &str) -> Option<(Option<String>, String)> {
        let c = self.regex.captures(rel)?;
        let locale = c.name("locale").map(|m| m.as_str().to_string());
        if locale.as_deref().is_some_and(|l| !is_locale(l)) {
            return None;
        }
        Some((locale, c.name("path")?.as_str().to_string()))
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
}

impl Layout {
    pub fn new(source: &str, translation: &str, source_locale: &str) -> Result<Layout, String> {
        let translation = Template::parse(translation)?;
        if !translation.pattern.contains("{locale}") {
            return Err(format!("translation pattern `{}` must contain `{{locale}}`", translation.pattern));
        }
        Ok(Layout { source: Template::parse(source)?, translation, source_locale: source_locale.to_string() })
    }

    pub fn describe(&self) -> String {
        format!("source `{}`, translations `{}`", self.source.pattern, self.translation.pattern)
    }

    /// Classifies a relative path. A path the translation template claims with a
    /// locale other than the source's is a translation, even when the source template
    /// fits too (with suffixes, `{path}.md` also fits `guide.sv.md`).
    pub fn classify(&self, rel: &str) -> Role {
        if let Some((Some(locale), path)) = self.translation.matches(rel) {
            if !locale.eq_ignore_ascii_case(&self.source_locale) {
                return Role::Translation { locale, path };
            }
        }
        if let Some((locale, path)) = self.source.matches(rel) {
            if locale.is_none_or(|l| l.eq_ignore_ascii_case(&self.source_locale)) {
                return Role::Source { path };
            }
        }
        Role::Other
    }

    pub fn source_of(&self, path: &str) -> String {
        self.source.render(&self.source_locale, path)
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
pub fn plan(layout: &Layout, files: &[String], locales: Option<&[String]>) -> Plan {
    let mut sources: BTreeMap<String, String> = BTreeMap::new();
    let mut translations: Vec<(String, String, String)> = Vec::new();
    // Matching paths against the templates is most of the planning; it runs in parallel.
    let roles: Vec<Role> = {
        use rayon::prelude::*;
        files.par_iter().map(|rel| layout.classify(rel)).collect()
    };
    for (rel, role) in files.iter().zip(roles) {
        match role {
            Role::Source { path } => {
                sources.insert(path, rel.clone());
            }
            Role::Translation { locale, path } => {
                if locales.is_none_or(|ls| ls.iter().any(|l| l.eq_ignore_ascii_case(&locale))) {
                    translations.push((locale, path, rel.clone()));
                }
            }
            Role::Other => {}
        }
    }
    let mut seen_locales: BTreeSet<String> = translations.iter().map(|t| t.0.clone()).collect();
    if let Some(ls) = locales {
        seen_locales.extend(ls.iter().cloned());
    }
    let mut by_source: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    let mut plan = Plan::default();
    let mut have: BTreeSet<(String, String)> = BTreeSet::new();
    for (locale, path, rel) in translations {
        have.insert((path.to_lowercase(), locale.to_lowercase()));
        match sources.get(&path) {
            Some(src) => by_source.entry(src.clone()).or_default().push((locale, rel)),
            None => plan.orphans.push((locale, rel, layout.source_of(&path))),
        }
    }
    for (path, src) in &sources {
        for locale in &seen_locales {
            if !have.contains(&(path.to_lowercase(), locale.to_lowercase())) {
                plan.missing.push((src.clone(), locale.clone(), layout.translation.render(locale, path)));
            }
        }
    }
    plan.groups = by_source.into_iter().map(|(source, translations)| Group { source, translations }).collect();
    plan.locales = seen_locales.into_iter().collect();
    plan
}

/// Proposes a layout for a root without config: sibling locale folders (at the root or
/// a few levels down, like `content/en`), else `name.{locale}.md` suffixes.
pub fn detect(root: &Path, files: &[String]) -> Option<Layout> {
    if let Some(layout) = detect_folders(root, "", 0) {
        return Some(layout);
    }
    let suffix = Layout::new("{path}.md", "{path}.{locale}.md", "en").ok()?;
    let any = files.iter().any(|f| matches!(suffix.classify(f), Role::Translation { .. }));
    any.then_some(suffix)
}

fn detect_folders(root: &Path, prefix: &str, depth: usize) -> Option<Layout> {
    let dir = if prefix.is_empty() { root.to_path_buf() } else { root.join(prefix) };
    let mut children: Vec<String> = std::fs::read_dir(&dir)
        .ok()?
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().map(|t| t.is_dir()).unwrap_or(false))
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter(|n| !n.starts_with('.'))
        .collect();
    children.sort();
    let locales: Vec<&String> = children.iter().filter(|c| is_locale(c)).collect();
    let source =
        ["en-us", "en", "en-gb"].iter().find_map(|s| locales.iter().find(|l| l.eq_ignore_ascii_case(s))).copied();
    if let Some(source) = source {
        if locales.len() >= 2 {
            let p = if prefix.is_empty() { String::new() } else { format!("{prefix}/") };
            return Layout::new(&format!("{p}{source}/{{path}}"), &format!("{p}{{locale}}/{{path}}"), source).ok();
        }
    }
    if depth >= 2 {
        return None;
    }
    children.iter().filter(|c| !is_locale(c)).find_map(|c| {
        detect_folders(root, &if prefix.is_empty() { c.clone() } else { format!("{prefix}/{c}") }, depth + 1)
    })
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
}
