//! A docs site's own config file: which kind of site a tree is, and what its config states.
//!
//! Layout detection (`pair`), dialect auto-detection and link / heading-id handling all
//! ask the same question: "what does `hugo.toml` (or `docusaurus.config.js`, …) say?".
//! [`find`] answers it once, from the checked root, the folders above it up to the
//! repository root, and the folders just below it (`docs/`, `docs/en/`, `website/`).
//!
//! TOML is read with the `toml` crate and YAML through `yaml.rs`. JavaScript and
//! TypeScript configs cannot be run here, so they are read leniently: string literals
//! and object keys found by pattern. A config that cannot be read or parsed still tells
//! the kind of site; what it could not tell is a warning in [`Site::warnings`].

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;

/// The kind of site, named as its dialect (`rules/dialects/<name>.yaml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Hugo,
    Docusaurus,
    Starlight,
    Vitepress,
    Mkdocs,
    Mdbook,
    Myst,
    Tldr,
    Docfx,
}

impl Kind {
    /// The dialect name (`dialect:` in locdrift.yaml).
    pub fn name(self) -> &'static str {
        match self {
            Kind::Hugo => "hugo",
            Kind::Docusaurus => "docusaurus",
            Kind::Starlight => "starlight",
            Kind::Vitepress => "vitepress",
            Kind::Mkdocs => "mkdocs",
            Kind::Mdbook => "mdbook",
            Kind::Myst => "myst",
            Kind::Tldr => "tldr",
            Kind::Docfx => "docfx",
        }
    }

    /// Whether `.mdx` files are pages of this kind of site.
    pub fn uses_mdx(self) -> bool {
        matches!(self, Kind::Docusaurus | Kind::Starlight)
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// One locale the site's config states.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteLocale {
    /// The locale as the site names it: its config key or folder (`zh-cn`, `pt_BR`), or
    /// `root` for the Starlight / VitePress locale served at the site root.
    pub key: String,
    /// The language tag, where the config gives one apart from the key (`lang: 'zh-CN'`).
    pub lang: Option<String>,
    /// Its content folder relative to [`Site::root`], with `/` (`content/de`,
    /// `i18n/ko/docusaurus-plugin-content-docs/current`, `` for the root); None when the
    /// site does not keep this locale in a folder of its own (Hugo filename suffixes).
    pub content_dir: Option<String>,
}

impl SiteLocale {
    /// The locale code: the language tag for the root locale, else the key.
    pub fn code(&self) -> &str {
        match (&self.lang, self.key.as_str()) {
            (Some(lang), "root") => lang,
            _ => &self.key,
        }
    }
}

/// What a site's config file states. Fields the config does not state are None or empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    pub kind: Kind,
    /// The file that told the kind (for tldr, the `pages` folder).
    pub config_path: PathBuf,
    /// The folder the site's paths are relative to: Hugo's project folder, the Docusaurus
    /// or Astro project, VitePress' source folder (the one holding `.vitepress/`), the
    /// folder of `mkdocs.yml` or `book.toml`, the DocFX repository.
    pub root: PathBuf,
    /// The key (in `locales`) of the source locale.
    pub default_locale: Option<String>,
    /// Every locale the config states, the default one included, in the config's order.
    pub locales: Vec<SiteLocale>,
    /// The absolute URL the site is served at (Hugo `baseURL`, Docusaurus `url` +
    /// `baseUrl`, Astro `site`, MkDocs `site_url`), so links to it are site paths.
    pub base_url: Option<String>,
    /// The heading-id style, as the config states it: Hugo
    /// `markup.goldmark.parser.autoHeadingIDType` (`github`, `github-ascii`,
    /// `blackfriday`), MkDocs `toc.slugify` (`pymdownx.slugs.slugify {case: lower}`).
    /// None means the kind's default.
    pub heading_ids: Option<String>,
    /// The URL path the docs are served under, as the config states it: Docusaurus
    /// `routeBasePath` of the docs (`/` for the site's root). None means the kind's
    /// default (`docs` for Docusaurus).
    pub route_base: Option<String>,
    /// Whether Docusaurus drops numbered prefixes from page and folder names in URLs:
    /// false where the docs plugin says `numberPrefixParser: false`.
    pub number_prefixes: bool,
    /// Folders whose pages a plugin writes at build time, so the tree does not hold
    /// them (`outputDir` of Docusaurus' OpenAPI docs), relative to [`Site::root`].
    pub generated: Vec<String>,
    /// What could not be read, each naming the file: a config that does not parse, an
    /// imported locale list that is missing.
    pub warnings: Vec<String>,
    /// Content folders besides the locales' own, relative to [`Site::root`], each with
    /// its translations' folder holding `{locale}`: the Docusaurus blog (`blog` and
    /// `i18n/{locale}/docusaurus-plugin-content-blog`).
    pub more_content: Vec<(String, String)>,
}

impl Site {
    fn new(kind: Kind, config_path: PathBuf, root: PathBuf) -> Site {
        Site {
            kind,
            config_path,
            root,
            default_locale: None,
            locales: Vec::new(),
            base_url: None,
            heading_ids: None,
            route_base: None,
            number_prefixes: true,
            generated: Vec::new(),
            warnings: Vec::new(),
            more_content: Vec::new(),
        }
    }

    /// The default locale's entry, if the config lists it.
    pub fn default_entry(&self) -> Option<&SiteLocale> {
        let key = self.default_locale.as_deref()?;
        self.locales.iter().find(|l| l.key == key)
    }

    /// The source locale's code (`en` for a Starlight `root: { lang: 'en' }`).
    pub fn source_locale(&self) -> Option<&str> {
        self.default_entry().map(SiteLocale::code).or(self.default_locale.as_deref())
    }

    /// The locales other than the default one.
    pub fn translations(&self) -> impl Iterator<Item = &SiteLocale> {
        self.locales.iter().filter(move |l| Some(l.key.as_str()) != self.default_locale.as_deref())
    }

    /// A locale's content folder relative to `dir` (a checked root at or above
    /// [`Site::root`]), with `/` and no trailing slash; None when the locale has no folder
    /// or the site is not inside `dir`.
    pub fn content_dir_under(&self, locale: &SiteLocale, dir: &Path) -> Option<String> {
        self.under(locale.content_dir.as_deref()?, dir)
    }

    /// A folder relative to [`Site::root`], made relative to `dir` (a checked root at or
    /// above it), with `/` and no trailing slash; None when the site is not inside `dir`.
    pub fn under(&self, content: &str, dir: &Path) -> Option<String> {
        let prefix = match self.root.strip_prefix(dir) {
            Ok(p) => p.to_path_buf(),
            // `find` gives absolute paths; `dir` may be relative or hold a link.
            Err(_) => self.root.canonicalize().ok()?.strip_prefix(dir.canonicalize().ok()?).ok()?.to_path_buf(),
        };
        let joined = crate::discover::to_slash(&prefix.join(content));
        Some(joined.trim_end_matches('/').to_string())
    }
}

/// The site config for a checked root: in `root`, then in each folder above it up to the
/// repository root (the first with `.git`), then in the folders up to two levels below it
/// (shallowest first, by name). None when there is no site config.
pub fn find(root: &Path) -> Option<Site> {
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    for dir in root.ancestors() {
        if let Some(site) = at(dir) {
            return Some(site);
        }
        if dir.join(".git").exists() {
            break;
        }
    }
    let mut level = vec![root];
    for _ in 0..2 {
        let mut next = Vec::new();
        for dir in &level {
            for child in subfolders(dir) {
                if let Some(site) = at(&child) {
                    return Some(site);
                }
                next.push(child);
            }
        }
        level = next;
    }
    None
}

/// The site config in exactly `dir`, if there is one. The order decides between files
/// that could both be there: a specific name before a generic one (`config.toml`).
pub fn at(dir: &Path) -> Option<Site> {
    let file = |name: &str| Some(dir.join(name)).filter(|p| p.is_file());
    let first = |names: &[&str]| names.iter().find_map(|n| file(n));
    if let Some(path) = first(&["hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json"]) {
        return Some(hugo(dir, &path));
    }
    if dir.join("config/_default").is_dir() {
        let d = dir.join("config/_default");
        let path =
            ["hugo.toml", "hugo.yaml", "config.toml", "config.yaml"].iter().map(|n| d.join(n)).find(|p| p.is_file());
        if let Some(path) = path {
            return Some(hugo(dir, &path));
        }
    }
    if let Some(path) = first(&["docusaurus.config.js", "docusaurus.config.ts", "docusaurus.config.mjs"]) {
        return Some(docusaurus(dir, &path));
    }
    for ext in JS_EXTENSIONS {
        if let Some(path) = file(&format!("astro.config.{ext}")) {
            if let Ok(text) = std::fs::read_to_string(&path) {
                if text.contains("starlight") {
                    return Some(starlight(dir, &path, &text));
                }
            }
        }
    }
    let vitepress = JS_EXTENSIONS
        .iter()
        .flat_map(|ext| [format!(".vitepress/config.{ext}"), format!(".vitepress/config/index.{ext}")])
        .find_map(|n| file(&n));
    if let Some(path) = vitepress {
        return Some(vitepress_site(dir, &path));
    }
    if let Some(path) = first(&["mkdocs.yml", "mkdocs.yaml"]) {
        return Some(mkdocs(dir, &path));
    }
    if let Some(path) = file("book.toml") {
        return Some(mdbook(dir, &path));
    }
    if let Some(path) = file("conf.py") {
        if std::fs::read_to_string(&path).is_ok_and(|t| t.contains("myst_parser") || t.contains("myst_nb")) {
            return Some(myst(dir, &path));
        }
    }
    if let Some(site) = tldr(dir) {
        return Some(site);
    }
    if let Some(path) = first(&[".openpublishing.publish.config.json", "docfx.json"]) {
        return Some(docfx(dir, &path));
    }
    if let Some(path) = file("config.toml") {
        // A generic name: Hugo's only when it says something only Hugo says.
        if std::fs::read_to_string(&path).is_ok_and(|t| HUGO_KEYS.is_match(&t)) {
            return Some(hugo(dir, &path));
        }
    }
    None
}

const JS_EXTENSIONS: [&str; 6] = ["mjs", "ts", "js", "mts", "cjs", "cts"];

static HUGO_KEYS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?im)^\s*(baseURL|defaultContentLanguage|contentDir|languageCode|\[languages[.\]])").unwrap()
});

/// Folders directly in `dir` that may hold a site (not hidden, not dependencies), by name.
fn subfolders(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut dirs: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter(|e| e.file_name().to_str().is_some_and(|n| !n.starts_with('.') && n != "node_modules"))
        .map(|e| e.path())
        .collect();
    dirs.sort();
    dirs
}

/// Reads a config file as text, or records why not.
fn read(site: &mut Site, path: &Path) -> Option<String> {
    match std::fs::read_to_string(path) {
        Ok(text) => Some(text),
        Err(err) => {
            site.warnings.push(format!("{}: cannot read the site config: {err}", path.display()));
            None
        }
    }
}

/// A TOML, YAML or JSON config file as one JSON value, or a warning.
fn parse_data(site: &mut Site, path: &Path) -> Option<Value> {
    let text = read(site, path)?;
    let parsed = match path.extension().and_then(|e| e.to_str()) {
        Some("toml") => toml::from_str::<Value>(&text).map_err(|e| e.message().to_string()),
        Some("json") => serde_json::from_str::<Value>(&text).map_err(|e| e.to_string()),
        _ => crate::yaml::from_str::<Value>(&strip_yaml_tags(&text)).map_err(|e| e.to_string()),
    };
    match parsed {
        Ok(value) => Some(value),
        Err(err) => {
            site.warnings
                .push(format!("{}: cannot parse the site config ({err}); its settings are not used", path.display()));
            None
        }
    }
}

/// YAML with application tags (`!!python/name:x`, `!ENV`) dropped, so it reads as plain
/// data: MkDocs configs are full of them and none of the values read here carries one.
fn strip_yaml_tags(text: &str) -> String {
    static TAG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?m)(^|[:\-\[,]\s*)!!?[A-Za-z][^\s,\]\}]*").unwrap());
    TAG.replace_all(text, "$1").into_owned()
}

/// Keys in lowercase at every level: Hugo's keys are case-insensitive (`baseURL`, `baseurl`).
fn lowercase_keys(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            Value::Object(map.into_iter().map(|(k, v)| (k.to_lowercase(), lowercase_keys(v))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(lowercase_keys).collect()),
        other => other,
    }
}

fn string_at(value: &Value, path: &[&str]) -> Option<String> {
    let mut v = value;
    for key in path {
        v = v.get(key)?;
    }
    v.as_str().map(str::to_string)
}

fn hugo(root: &Path, path: &Path) -> Site {
    let mut site = Site::new(Kind::Hugo, path.to_path_buf(), root.to_path_buf());
    let Some(mut config) = parse_data(&mut site, path).map(lowercase_keys) else { return site };
    // `config/_default/languages.toml`, `markup.toml`, …: each file is the key it is named after.
    if path.parent().is_some_and(|p| p.ends_with("config/_default")) {
        for name in ["languages", "markup", "params"] {
            for ext in ["toml", "yaml", "yml", "json"] {
                let part = path.with_file_name(format!("{name}.{ext}"));
                if part.is_file() {
                    if let (Some(value), Some(map)) = (parse_data(&mut site, &part), config.as_object_mut()) {
                        map.insert(name.to_string(), lowercase_keys(value));
                    }
                }
            }
        }
    }
    site.base_url = string_at(&config, &["baseurl"]).filter(|u| !u.is_empty());
    site.heading_ids = string_at(&config, &["markup", "goldmark", "parser", "autoheadingidtype"]);
    let default = string_at(&config, &["defaultcontentlanguage"]).unwrap_or_else(|| "en".into());
    let top_dir = string_at(&config, &["contentdir"]);
    if let Some(languages) = config.get("languages").and_then(Value::as_object) {
        for (key, lang) in languages {
            let dir = string_at(lang, &["contentdir"]).or_else(|| (*key == default).then(|| top_dir.clone()).flatten());
            let tag = string_at(lang, &["languagecode"]).or_else(|| string_at(lang, &["locale"]));
            site.locales.push(SiteLocale { key: key.clone(), lang: tag, content_dir: dir });
        }
    }
    if !site.locales.iter().any(|l| l.key == default) {
        site.locales.insert(0, SiteLocale { key: default.clone(), lang: None, content_dir: top_dir });
    }
    // Without any `contentDir`, Hugo finds translations by file name (`page.de.md`) in
    // one `content/` folder: the default language's folder is that one.
    if site.locales.iter().all(|l| l.content_dir.is_none()) {
        if let Some(l) = site.locales.iter_mut().find(|l| l.key == default) {
            l.content_dir = Some("content".into());
        }
    }
    site.default_locale = Some(default);
    site
}

fn docusaurus(root: &Path, path: &Path) -> Site {
    let mut site = Site::new(Kind::Docusaurus, path.to_path_buf(), root.to_path_buf());
    let Some(text) = read(&mut site, path) else { return site };
    let text = strip_js_comments(&text);
    let url = js_string(&text, "url");
    let base = js_string(&text, "baseUrl");
    site.base_url = url.map(|u| join_url(&u, base.as_deref().unwrap_or("/")));
    let i18n = property_value(&text, "i18n").map(|start| &text[start..]).and_then(object_text);
    let (default, locales, folder) = match i18n {
        Some(i18n) => (
            js_string(i18n, "defaultLocale"),
            property_value(i18n, "locales").and_then(|s| string_list(&i18n[s..])),
            js_string(i18n, "path").unwrap_or_else(|| "i18n".into()),
        ),
        None => (None, None, "i18n".into()),
    };
    let default = default.unwrap_or_else(|| "en".into());
    let mut keys = locales.unwrap_or_default();
    if !keys.contains(&default) {
        keys.insert(0, default.clone());
    }
    for key in keys {
        let content_dir = if key == default {
            "docs".to_string()
        } else {
            format!("{folder}/{key}/docusaurus-plugin-content-docs/current")
        };
        site.locales.push(SiteLocale { key, lang: None, content_dir: Some(content_dir) });
    }
    // The blog, unless the preset turns it off (`blog: false`), at its `path` or `blog`.
    let blog = property_value(&text, "blog").map(|start| &text[start..]);
    if !blog.is_some_and(|b| b.starts_with("false")) {
        let path = blog.and_then(object_text).and_then(|b| js_string(b, "path")).unwrap_or_else(|| "blog".into());
        let path = path.trim_start_matches("./").trim_end_matches('/').to_string();
        site.more_content.push((path, format!("{folder}/{{locale}}/docusaurus-plugin-content-blog")));
    }
    site.default_locale = Some(default);
    // The docs plugin's options: in the classic preset (`docs: {…}`) or the plugin's own.
    let docs = property_value(&text, "docs").map(|start| &text[start..]).and_then(object_text);
    site.route_base = docs.and_then(|d| js_string(d, "routeBasePath"));
    // A parser function of the site's own cannot be run here: only `false` is read.
    static NO_NUMBER_PREFIXES: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?:^|[^\w$.])numberPrefixParser\s*:\s*false\b").unwrap());
    site.number_prefixes = !docs.is_some_and(|d| NO_NUMBER_PREFIXES.is_match(d));
    static OUTPUT_DIR: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r#"(?:^|[^\w$.])outputDir\s*:\s*['"`]([^'"`\n$]+)['"`]"#).unwrap());
    site.generated = OUTPUT_DIR
        .captures_iter(&text)
        .map(|c| c[1].trim_start_matches("./").trim_end_matches('/').to_string())
        .collect();
    site
}

fn starlight(root: &Path, path: &Path, text: &str) -> Site {
    let mut site = Site::new(Kind::Starlight, path.to_path_buf(), root.to_path_buf());
    let text = strip_js_comments(text);
    site.base_url = js_string(&text, "site").or_else(|| js_variable_url(&text, "site"));
    let mut default = js_string(&text, "defaultLocale");
    let entries = js_object_entries(&mut site, root, &text, "locales");
    for (key, body) in entries {
        let lang = js_string(body.as_str(), "lang");
        let dir = if key == "root" { String::new() } else { key.clone() };
        site.locales.push(SiteLocale { key, lang, content_dir: Some(format!("src/content/docs/{dir}")) });
    }
    if default.is_none() && site.locales.iter().any(|l| l.key == "root") {
        default = Some("root".into());
    }
    if site.locales.is_empty() {
        // A site without `locales` is one language at the content root.
        let key = default.clone().unwrap_or_else(|| "root".into());
        site.locales.push(SiteLocale { key, lang: None, content_dir: Some("src/content/docs".into()) });
        default.get_or_insert_with(|| "root".into());
    }
    site.default_locale = default;
    for l in &mut site.locales {
        if let Some(dir) = &mut l.content_dir {
            *dir = dir.trim_end_matches('/').to_string();
        }
    }
    site
}

fn vitepress_site(dir: &Path, path: &Path) -> Site {
    let mut site = Site::new(Kind::Vitepress, path.to_path_buf(), dir.to_path_buf());
    let Some(text) = read(&mut site, path) else { return site };
    let text = strip_js_comments(&text);
    if let Some(src) = js_string(&text, "srcDir") {
        site.root = dir.join(src.trim_start_matches("./"));
    }
    site.base_url = js_string(&text, "hostname");
    // `rewrites: { 'en/:rest*': ':rest*' }` serves a folder at the root: the root locale's pages.
    static REWRITE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r#"['"]([\w.-]+)/:(\w+)\*['"]\s*:\s*['"]:(\w+)\*['"]"#).unwrap());
    let root_dir = REWRITE.captures(&text).filter(|c| c[2] == c[3]).map(|c| c[1].to_string()).unwrap_or_default();
    let config_dir = path.parent().unwrap_or(dir).to_path_buf();
    for (key, body) in js_object_entries(&mut site, &config_dir, &text, "locales") {
        let lang = js_string(body.as_str(), "lang");
        let content_dir = if key == "root" { root_dir.clone() } else { key.clone() };
        site.locales.push(SiteLocale { key, lang, content_dir: Some(content_dir) });
    }
    if site.locales.is_empty() {
        site.locales.push(SiteLocale { key: "root".into(), lang: None, content_dir: Some(root_dir) });
    }
    site.default_locale = Some("root".into()).filter(|r| site.locales.iter().any(|l| &l.key == r));
    site
}

fn mkdocs(dir: &Path, path: &Path) -> Site {
    let mut site = Site::new(Kind::Mkdocs, path.to_path_buf(), dir.to_path_buf());
    let Some(text) = read(&mut site, path) else { return site };
    static SLUGIFY: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?m)^\s+slugify:\s*(.+?)\s*$").unwrap());
    site.heading_ids = SLUGIFY.captures(&text).map(|c| {
        // `!!python/object/apply:pymdownx.slugs.slugify` and the lines of its arguments.
        let head = c[1].trim_start_matches("!!python/object/apply:").trim_start_matches("!!python/name:").to_string();
        let args: Vec<&str> = text[c.get(0).unwrap().end()..]
            .lines()
            .skip(1)
            .take_while(|l| l.starts_with(&" ".repeat(indent(c.get(0).unwrap().as_str()) + 1)))
            .map(str::trim)
            .collect();
        if args.is_empty() {
            head
        } else {
            format!("{head} {{{}}}", args.join(" "))
        }
    });
    let Some(config) = parse_data(&mut site, path) else { return site };
    site.base_url = string_at(&config, &["site_url"]).filter(|u| !u.is_empty());
    let docs_dir = string_at(&config, &["docs_dir"]).unwrap_or_else(|| "docs".into());
    let docs_dir = docs_dir.trim_end_matches('/').to_string();
    // mkdocs-static-i18n: `plugins: [{i18n: {docs_structure, languages: [{locale, default}]}}]`.
    let i18n = config
        .get("plugins")
        .and_then(Value::as_array)
        .and_then(|plugins| plugins.iter().find_map(|p| p.get("i18n")))
        .cloned();
    let mut default = None;
    if let Some(i18n) = i18n {
        let folders = string_at(&i18n, &["docs_structure"]).as_deref() == Some("folder");
        for lang in i18n.get("languages").and_then(Value::as_array).into_iter().flatten() {
            let Some(key) = string_at(lang, &["locale"]) else { continue };
            if lang.get("default").and_then(Value::as_bool) == Some(true) {
                default = Some(key.clone());
            }
            let content_dir = Some(if folders { format!("{docs_dir}/{key}") } else { docs_dir.clone() });
            site.locales.push(SiteLocale { key, lang: None, content_dir });
        }
    }
    if site.locales.is_empty() {
        let key = string_at(&config, &["theme", "language"]).unwrap_or_else(|| "en".into());
        site.locales.push(SiteLocale { key: key.clone(), lang: None, content_dir: Some(docs_dir) });
        default = Some(key);
    }
    site.default_locale = default;
    site
}

fn indent(line: &str) -> usize {
    line.trim_start_matches('\n').len() - line.trim_start_matches('\n').trim_start().len()
}

fn mdbook(dir: &Path, path: &Path) -> Site {
    let mut site = Site::new(Kind::Mdbook, path.to_path_buf(), dir.to_path_buf());
    let Some(config) = parse_data(&mut site, path) else { return site };
    let src = string_at(&config, &["book", "src"]).unwrap_or_else(|| "src".into());
    let key = string_at(&config, &["book", "language"]).unwrap_or_else(|| "en".into());
    site.base_url = string_at(&config, &["output", "html", "site-url"]);
    site.locales.push(SiteLocale { key: key.clone(), lang: None, content_dir: Some(src) });
    site.default_locale = Some(key);
    site
}

fn myst(dir: &Path, path: &Path) -> Site {
    let mut site = Site::new(Kind::Myst, path.to_path_buf(), dir.to_path_buf());
    let Some(text) = read(&mut site, path) else { return site };
    static LANGUAGE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#"(?m)^language\s*=\s*['"]([^'"]+)['"]"#).unwrap());
    static ANCHORS: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?m)^myst_heading_anchors\s*=\s*(\d+)").unwrap());
    if let Some(c) = LANGUAGE.captures(&text) {
        site.locales.push(SiteLocale { key: c[1].to_string(), lang: None, content_dir: Some(String::new()) });
        site.default_locale = Some(c[1].to_string());
    }
    site.heading_ids = ANCHORS.captures(&text).map(|c| format!("myst_heading_anchors = {}", &c[1]));
    site
}

/// tldr-pages: `pages/` and at least one `pages.{locale}/` beside it.
fn tldr(dir: &Path) -> Option<Site> {
    let pages = dir.join("pages");
    if !pages.is_dir() {
        return None;
    }
    let mut keys: Vec<String> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| e.file_name().to_str()?.strip_prefix("pages.").map(str::to_string))
        .filter(|l| crate::locale::is_locale(l))
        .collect();
    if keys.is_empty() {
        return None;
    }
    keys.sort();
    let mut site = Site::new(Kind::Tldr, pages, dir.to_path_buf());
    site.locales.push(SiteLocale { key: "en".into(), lang: None, content_dir: Some("pages".into()) });
    for key in keys {
        site.locales.push(SiteLocale { content_dir: Some(format!("pages.{key}")), key, lang: None });
    }
    site.default_locale = Some("en".into());
    Some(site)
}

/// Microsoft Learn: the publish config names each docset's locale and folder.
fn docfx(dir: &Path, path: &Path) -> Site {
    let mut site = Site::new(Kind::Docfx, path.to_path_buf(), dir.to_path_buf());
    let Some(config) = parse_data(&mut site, path) else { return site };
    let docset = config.get("docsets_to_publish").and_then(Value::as_array).and_then(|d| d.first());
    if let Some(docset) = docset {
        let key = string_at(docset, &["locale"]).unwrap_or_else(|| "en-us".into());
        let folder = string_at(docset, &["build_source_folder"]).map(|f| f.trim_matches(['.', '/']).to_string());
        site.locales.push(SiteLocale { key: key.clone(), lang: None, content_dir: folder });
        site.default_locale = Some(key);
    }
    site
}

/// JavaScript with `//` and `/* */` comments blanked out (strings kept), so a
/// commented-out setting is not read as set. Offsets are kept.
fn strip_js_comments(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = bytes.to_vec();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            q @ (b'"' | b'\'' | b'`') => {
                i += 1;
                while i < bytes.len() && bytes[i] != q {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') && (i == 0 || bytes[i - 1] != b':') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    out[i] = b' ';
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let end = text[i + 2..].find("*/").map_or(bytes.len(), |e| i + 2 + e + 2);
                for b in &mut out[i..end] {
                    if *b != b'\n' {
                        *b = b' ';
                    }
                }
                i = end;
            }
            _ => i += 1,
        }
    }
    // Only ASCII bytes outside strings were replaced, with ASCII: still UTF-8.
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

/// The first string literal value of property `key` (`key: 'value'`).
fn js_string(text: &str, key: &str) -> Option<String> {
    let re =
        Regex::new(&format!(r#"(?:^|[^\w$.]){}\s*:\s*(?:'([^'\n]*)'|"([^"\n]*)"|`([^`$]*)`)"#, regex::escape(key)))
            .ok()?;
    let c = re.captures(text)?;
    c.get(1).or(c.get(2)).or(c.get(3)).map(|m| m.as_str().to_string())
}

/// A URL assigned to a variable (`const site = PREVIEW || 'https://x/'`), for configs
/// that pass the variable by name.
fn js_variable_url(text: &str, name: &str) -> Option<String> {
    let re = Regex::new(&format!(r#"(?m)^\s*(?:export\s+)?(?:const|let|var)\s+{}\s*=\s*(.+)$"#, regex::escape(name)))
        .ok()?;
    static URL: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#"['"`](https?://[^'"`\s]+)['"`]"#).unwrap());
    let line = re.captures(text)?.get(1)?.as_str().to_string();
    URL.captures(&line).map(|c| c[1].to_string())
}

/// Where the value of property `key` starts (after `key:`), or the property's own
/// position for the shorthand `{ key, … }`, whose value is the variable of that name.
fn property_value(text: &str, key: &str) -> Option<usize> {
    let re = Regex::new(&format!(r#"(?:^|[^\w$.])['"]?{}['"]?\s*(:|,|\}}|\n)"#, regex::escape(key))).ok()?;
    let c = re.captures(text)?;
    let sep = c.get(1)?;
    if sep.as_str() == ":" {
        Some(sep.end() + text[sep.end()..].len() - text[sep.end()..].trim_start().len())
    } else {
        Some(c.get(0)?.start() + c.get(0)?.as_str().find(key)?)
    }
}

/// The text of the object literal starting at the beginning of `text` (`{…}`), braces included.
fn object_text(text: &str) -> Option<&str> {
    if !text.starts_with('{') {
        return None;
    }
    let end = walk_js(text, |_, b, depth| matches!(b, b'}' | b']' | b')') && depth == 0)?;
    text.get(..=end)
}

/// Walks JS/TS source byte by byte, skipping string literals, and calls `visit(index, byte,
/// depth)` for each bracket and comma outside them, with the nesting depth after that byte.
/// Stops at the first byte `visit` accepts and returns its index.
fn walk_js(text: &str, mut visit: impl FnMut(usize, u8, usize) -> bool) -> Option<usize> {
    let bytes = text.as_bytes();
    let (mut depth, mut i) = (0usize, 0usize);
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'"' | b'\'' | b'`' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'{' | b'[' | b'(' | b'}' | b']' | b')' | b',' => {
                match b {
                    b'{' | b'[' | b'(' => depth += 1,
                    b'}' | b']' | b')' => depth = depth.saturating_sub(1),
                    _ => {}
                }
                if visit(i, b, depth) {
                    return Some(i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The string literals of an array literal at the start of `text` (`['en', 'ko']`).
fn string_list(text: &str) -> Option<Vec<String>> {
    let end = text.strip_prefix('[')?.find(']')? + 1;
    static STRING: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#"'([^']*)'|"([^"]*)""#).unwrap());
    Some(
        STRING
            .captures_iter(&text[1..end])
            .filter_map(|c| c.get(1).or(c.get(2)))
            .map(|m| m.as_str().to_string())
            .collect(),
    )
}

/// The top-level (key, value text) pairs of an object literal.
fn entries(object: &str) -> Vec<(String, String)> {
    let inner = &object[1..object.len().saturating_sub(1)];
    let mut out = Vec::new();
    let mut push = |part: &str| {
        static KEY: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(r#"^\s*(?:'([^']+)'|"([^"]+)"|([\w$-]+))\s*:\s*([\s\S]*)$"#).unwrap());
        if let Some(c) = KEY.captures(part) {
            let key = c.get(1).or(c.get(2)).or(c.get(3)).map_or("", |m| m.as_str());
            out.push((key.to_string(), c[4].trim().to_string()));
        }
    };
    let mut commas = Vec::new();
    walk_js(inner, |i, b, depth| {
        if b == b',' && depth == 0 {
            commas.push(i);
        }
        false
    });
    let mut start = 0;
    for comma in commas {
        push(&inner[start..comma]);
        start = comma + 1;
    }
    push(&inner[start.min(inner.len())..]);
    out
}

/// The entries of the object that property `key` holds: written in place, held by a
/// variable of this file, or imported from a relative module (`./config/locales`).
fn js_object_entries(site: &mut Site, dir: &Path, text: &str, key: &str) -> Vec<(String, String)> {
    let Some(start) = property_value(text, key) else { return Vec::new() };
    let value = &text[start..];
    if let Some(object) = object_text(value) {
        return entries(object);
    }
    static IDENT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[A-Za-z_$][\w$]*").unwrap());
    let Some(name) = IDENT.find(value).map(|m| m.as_str().to_string()) else { return Vec::new() };
    if let Some(object) = js_variable_object(text, &name) {
        return entries(object);
    }
    let import = Regex::new(&format!(
        r#"import\s*\{{[^}}]*\b{}\b[^}}]*\}}\s*from\s*['"](\.{{1,2}}/[^'"]+)['"]"#,
        regex::escape(&name)
    ))
    .ok()
    .and_then(|re| re.captures(text).map(|c| c[1].to_string()));
    let Some(module) = import else {
        site.warnings
            .push(format!("{}: `{key}` is `{name}`, whose value is not found in the file", site.config_path.display()));
        return Vec::new();
    };
    let base = dir.join(&module);
    let candidates = std::iter::once(base.clone()).chain(JS_EXTENSIONS.iter().map(|e| base.with_extension(e)));
    for path in candidates.filter(|p| p.is_file()) {
        if let Ok(imported) = std::fs::read_to_string(&path) {
            let imported = strip_js_comments(&imported);
            if let Some(object) = js_variable_object(&imported, &name) {
                return entries(object);
            }
        }
    }
    site.warnings.push(format!(
        "{}: `{key}` is `{name}` from `{module}`, which cannot be read; the site's locales are not known",
        site.config_path.display()
    ));
    Vec::new()
}

/// The object literal a `const NAME = {…}` declaration holds.
fn js_variable_object<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    let re = Regex::new(&format!(r"(?:const|let|var)\s+{}\b[^=]*=\s*", regex::escape(name))).ok()?;
    let m = re.find(text)?;
    object_text(&text[m.end()..])
}

fn join_url(url: &str, base: &str) -> String {
    format!("{}/{}", url.trim_end_matches('/'), base.trim_start_matches('/'))
}

/// The default extensions plus `mdx` for a site whose pages are MDX (Docusaurus,
/// Starlight); extensions a config chose are left alone.
pub fn add_extensions(extensions: &mut Vec<String>, site: Option<&Site>) {
    let default = extensions.len() == 2 && extensions[0] == "md" && extensions[1] == "markdown";
    if default && site.is_some_and(|s| s.kind.uses_mdx()) {
        extensions.push("mdx".into());
    }
}

/// What locdrift takes of a site's config for its links (`links::Site`).
impl crate::links::Site {
    /// What a site's config states (`site::find`): its URL, its heading ids (the
    /// generator's default where the config is silent) and how it serves pages.
    pub fn of(config: Option<&Site>) -> crate::links::Site {
        let mut site = crate::links::Site::default();
        let Some(config) = config else { return site };
        if let Some(url) = &config.base_url {
            site.add_url(url);
        }
        let stated = config.heading_ids.as_deref().and_then(crate::slug::IdStyle::parse);
        // Where the config is silent, the generator's default: the dialect data's.
        site.heading_ids = stated.unwrap_or_else(|| {
            crate::dialect::Dialect::get(config.kind.name()).map_or(crate::slug::IdStyle::Github, |d| d.heading_ids)
        });
        // pymdownx's `slugify {case: lower}` keeps non-ASCII letters: as GitHub does.
        if config.kind == Kind::Mkdocs && config.heading_ids.as_deref().is_some_and(|s| s.contains("pymdownx")) {
            site.heading_ids = crate::slug::IdStyle::Github;
        }
        site.generator = match config.kind {
            Kind::Hugo => crate::links::Generator::Hugo,
            Kind::Docusaurus => crate::links::Generator::Docusaurus,
            Kind::Starlight => crate::links::Generator::Starlight,
            _ => crate::links::Generator::Files,
        };
        site.routes = routes(config);
        site.generated.clone_from(&config.generated);
        site
    }
}

/// The folders a Docusaurus or Starlight site serves pages from, by its config.
fn routes(config: &Site) -> Vec<crate::links::Route> {
    use crate::links::Route;
    let default_key = config.default_locale.as_deref();
    let mut out = Vec::new();
    match config.kind {
        Kind::Docusaurus => {
            let base = config.route_base.as_deref().unwrap_or("docs").trim_matches('/').to_string();
            for l in &config.locales {
                let Some(dir) = &l.content_dir else { continue };
                let default = Some(l.key.as_str()) == default_key;
                let locale = if default { String::new() } else { l.key.clone() };
                let route = |base: &str, dir: String, complete: bool| Route {
                    locale: locale.clone(),
                    base: base.to_string(),
                    dir,
                    complete,
                    default,
                    docusaurus: true,
                    number_prefixes: config.number_prefixes,
                };
                out.push(route(&base, dir.clone(), true));
                // Blog posts are served at dated URLs (`/blog/2024/01/02/x`): a file found
                // proves a link, none missing disproves one.
                let blog = match dir.strip_suffix("docusaurus-plugin-content-docs/current") {
                    Some(i18n) => format!("{i18n}docusaurus-plugin-content-blog"),
                    None => "blog".to_string(),
                };
                out.push(route("blog", blog, false));
                if default {
                    out.push(route("", "src/pages".into(), false));
                }
            }
        }
        Kind::Starlight => {
            for l in &config.locales {
                let Some(dir) = &l.content_dir else { continue };
                let default = Some(l.key.as_str()) == default_key;
                let locale = if l.key == "root" { String::new() } else { l.key.clone() };
                out.push(Route {
                    locale,
                    base: String::new(),
                    dir: dir.clone(),
                    complete: true,
                    default,
                    docusaurus: false,
                    number_prefixes: false,
                });
            }
            out.push(Route {
                locale: String::new(),
                base: String::new(),
                dir: "src/pages".into(),
                complete: false,
                default: false,
                docusaurus: false,
                number_prefixes: false,
            });
        }
        _ => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let p = dir.path().join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        dir
    }

    fn keys(site: &Site) -> Vec<(&str, Option<&str>)> {
        site.locales.iter().map(|l| (l.key.as_str(), l.content_dir.as_deref())).collect()
    }

    #[test]
    fn hugo_languages_and_heading_ids() {
        let dir = tree(&[(
            "hugo.toml",
            "baseURL = 'https://example.org/'\ndefaultContentLanguage = 'en'\n\
             [markup.goldmark.parser]\nautoHeadingIDType = 'github-ascii'\n\
             [languages.en]\ncontentDir = 'content/en'\n[languages.de]\ncontentDir = 'content/de'\nlanguageCode = 'de-DE'\n",
        )]);
        let site = at(dir.path()).unwrap();
        assert_eq!(site.kind, Kind::Hugo);
        assert_eq!(site.base_url.as_deref(), Some("https://example.org/"));
        assert_eq!(site.heading_ids.as_deref(), Some("github-ascii"));
        assert_eq!(keys(&site), [("en", Some("content/en")), ("de", Some("content/de"))]);
        assert_eq!(site.locales[1].lang.as_deref(), Some("de-DE"));
        assert_eq!(site.source_locale(), Some("en"));
    }

    #[test]
    fn hugo_config_folder_merges_its_files() {
        let dir = tree(&[
            ("config/_default/hugo.toml", "baseURL = 'https://x.org'\ndefaultContentLanguage = 'fr'\n"),
            ("config/_default/languages.yaml", "fr:\n  contentDir: content/fr\nen:\n  contentDir: content/en\n"),
        ]);
        let site = at(dir.path()).unwrap();
        assert_eq!(site.default_locale.as_deref(), Some("fr"));
        assert_eq!(keys(&site), [("fr", Some("content/fr")), ("en", Some("content/en"))]);
    }

    #[test]
    fn a_generic_config_toml_is_hugo_only_when_it_says_so() {
        assert!(at(tree(&[("config.toml", "[tool]\nx = 1\n")]).path()).is_none());
        let site = at(tree(&[("config.toml", "baseurl = 'https://a.b'\n")]).path()).unwrap();
        assert_eq!((site.kind, site.base_url.as_deref()), (Kind::Hugo, Some("https://a.b")));
    }

    #[test]
    fn a_broken_config_is_a_warning_and_still_tells_the_kind() {
        let dir = tree(&[("hugo.toml", "baseURL = \n[languages\n")]);
        let site = at(dir.path()).unwrap();
        assert_eq!(site.kind, Kind::Hugo);
        assert_eq!(site.warnings.len(), 1, "{:?}", site.warnings);
        assert!(site.warnings[0].contains("hugo.toml: cannot parse the site config"), "{}", site.warnings[0]);
        let site = at(tree(&[("mkdocs.yml", "site_url: [\n")]).path()).unwrap();
        assert_eq!((site.kind, site.warnings.len()), (Kind::Mkdocs, 1));
    }

    #[test]
    fn docusaurus_i18n() {
        let dir = tree(&[(
            "docusaurus.config.ts",
            "export default {\n  url: 'https://docs.x.io', // the site\n  baseUrl: '/docs/',\n  \
             // locales: ['no'],\n  i18n: { defaultLocale: 'en', locales: ['en', \"pt-BR\"] },\n};\n",
        )]);
        let site = at(dir.path()).unwrap();
        assert_eq!(site.kind, Kind::Docusaurus);
        assert_eq!(site.base_url.as_deref(), Some("https://docs.x.io/docs/"));
        assert_eq!(
            keys(&site),
            [("en", Some("docs")), ("pt-BR", Some("i18n/pt-BR/docusaurus-plugin-content-docs/current"))]
        );
        assert!(site.number_prefixes, "Docusaurus drops numbered prefixes by default");
    }

    /// `numberPrefixParser: false` in the docs plugin's options keeps numbered prefixes
    /// in every route; a parser function of the site's own is not run, and the default
    /// stands.
    #[test]
    fn docusaurus_number_prefix_parser() {
        let config = |parser: &str| {
            format!("module.exports = {{ presets: [['classic', {{ docs: {{ routeBasePath: '/', {parser} }} }}]] }};\n")
        };
        let prefixes = |parser: &str| {
            let dir = tree(&[("docusaurus.config.js", &config(parser))]);
            let site = at(dir.path()).unwrap();
            let links = crate::links::Site::of(Some(&site));
            (site.number_prefixes, links.routes.iter().filter(|r| r.docusaurus).all(|r| r.number_prefixes))
        };
        assert_eq!(prefixes("numberPrefixParser: false"), (false, false));
        assert_eq!(prefixes("numberPrefixParser: (name) => ({ filename: name })"), (true, true));
        assert_eq!(prefixes(""), (true, true));
    }

    #[test]
    fn starlight_root_locale_and_imported_locales() {
        let dir = tree(&[(
            "astro.config.mjs",
            "import starlight from '@astrojs/starlight';\nexport default { site: 'https://s.dev', integrations: [starlight({\n  \
             locales: { root: { label: 'English', lang: 'en' }, 'zh-cn': { label: '简体中文', lang: 'zh-CN' } },\n})] };\n",
        )]);
        let site = at(dir.path()).unwrap();
        assert_eq!(site.kind, Kind::Starlight);
        assert_eq!(site.default_locale.as_deref(), Some("root"));
        assert_eq!(site.source_locale(), Some("en"));
        assert_eq!(keys(&site), [("root", Some("src/content/docs")), ("zh-cn", Some("src/content/docs/zh-cn"))]);
        let dir = tree(&[
            (
                "astro.config.ts",
                "import starlight from '@astrojs/starlight';\nimport { locales as L } from './x';\nimport { localesConfig } from './config/locales';\n\
                 export default { integrations: [starlight({ defaultLocale: 'en', locales: localesConfig })] };\n",
            ),
            ("config/locales.ts", "export const localesConfig = {\n  en: { lang: 'en' },\n  de: { lang: 'de' },\n};\n"),
        ]);
        let site = at(dir.path()).unwrap();
        assert_eq!(keys(&site), [("en", Some("src/content/docs/en")), ("de", Some("src/content/docs/de"))]);
        assert!(site.warnings.is_empty(), "{:?}", site.warnings);
        // Astro without Starlight is not a docs site this knows.
        assert!(at(tree(&[("astro.config.mjs", "export default {}")]).path()).is_none());
    }

    #[test]
    fn vitepress_locales_and_rewritten_root() {
        let dir = tree(&[(
            "docs/.vitepress/config.ts",
            "export default defineConfig({\n  rewrites: { 'en/:rest*': ':rest*' },\n  locales: {\n    root: { label: 'English', lang: 'en-US' },\n    zh: { lang: 'zh-Hans', markdown: zh },\n  },\n})\n",
        )]);
        let site = find(dir.path()).unwrap();
        assert_eq!(site.kind, Kind::Vitepress);
        assert!(site.root.ends_with("docs"));
        assert_eq!(keys(&site), [("root", Some("en")), ("zh", Some("zh"))]);
        assert_eq!(site.source_locale(), Some("en-US"));
        let under = site.content_dir_under(&site.locales[1], &dir.path().canonicalize().unwrap());
        assert_eq!(under.as_deref(), Some("docs/zh"));
    }

    #[test]
    fn mkdocs_site_url_slugify_and_i18n() {
        let dir = tree(&[(
            "mkdocs.yml",
            "site_url: https://m.dev/\ntheme:\n  icon: !!python/name:material.x\nmarkdown_extensions:\n  - toc:\n      slugify: !!python/object/apply:pymdownx.slugs.slugify\n        kwds:\n          case: lower\nplugins:\n  - i18n:\n      docs_structure: folder\n      languages:\n        - locale: en\n          default: true\n        - locale: fr\n",
        )]);
        let site = at(dir.path()).unwrap();
        assert_eq!(site.warnings, Vec::<String>::new());
        assert_eq!(site.base_url.as_deref(), Some("https://m.dev/"));
        assert_eq!(site.heading_ids.as_deref(), Some("pymdownx.slugs.slugify {kwds: case: lower}"));
        assert_eq!(keys(&site), [("en", Some("docs/en")), ("fr", Some("docs/fr"))]);
        assert_eq!(site.default_locale.as_deref(), Some("en"));
    }

    #[test]
    fn book_conf_py_tldr_and_docfx() {
        let site = at(tree(&[("book.toml", "[book]\nsrc = 'text'\nlanguage = 'ja'\n")]).path()).unwrap();
        assert_eq!((site.kind, keys(&site)), (Kind::Mdbook, vec![("ja", Some("text"))]));
        let site = at(tree(&[("conf.py", "extensions = ['myst_parser']\nlanguage = 'en'\n")]).path()).unwrap();
        assert_eq!(site.kind, Kind::Myst);
        assert!(at(tree(&[("conf.py", "extensions = ['sphinx.ext.autodoc']\n")]).path()).is_none());
        let site = at(tree(&[("pages/a.md", ""), ("pages.pt_BR/a.md", ""), ("pages.de/a.md", "")]).path()).unwrap();
        assert_eq!(
            (site.kind, keys(&site)),
            (Kind::Tldr, vec![("en", Some("pages")), ("de", Some("pages.de")), ("pt_BR", Some("pages.pt_BR"))])
        );
        let dir = tree(&[(
            "repo/.openpublishing.publish.config.json",
            r#"{"docsets_to_publish": [{"locale": "en-us", "build_source_folder": "docs"}]}"#,
        )]);
        let site = find(dir.path()).unwrap();
        assert_eq!((site.kind, keys(&site)), (Kind::Docfx, vec![("en-us", Some("docs"))]));
    }

    #[test]
    fn found_above_the_checked_folder_up_to_the_repository() {
        let dir = tree(&[("hugo.toml", ""), ("content/en/a.md", ""), ("content/.keep", "")]);
        let site = find(&dir.path().join("content/en")).unwrap();
        assert_eq!(site.kind, Kind::Hugo);
        let dir = tree(&[("hugo.toml", ""), ("repo/.git/HEAD", ""), ("repo/docs/a.md", "")]);
        assert!(find(&dir.path().join("repo/docs")).is_none());
    }
}
