//! `locdrift.yaml`: read, validated, and turned into `Settings` and a layout.
//!
//! Unknown keys are errors (a typo must not silently disable a check); every error is a
//! miette diagnostic pointing at the offending place in the YAML.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use miette::{Diagnostic, LabeledSpan, NamedSource, SourceSpan};
use schemars::JsonSchema;
use serde::Deserialize;

use crate::finding::Severity;
use crate::pair::Layout;
use crate::settings::{self, PerFileIgnore, Selection, Settings};
use crate::vocab::{LanguageWords, Vocab};

pub const FILE_NAME: &str = "locdrift.yaml";

/// `locdrift.yaml`. The doc comments are the descriptions editors show from the
/// generated JSON Schema (`locdrift schema`, checked in as `locdrift.schema.json`).
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(title = "locdrift.yaml", description = "Configuration of locdrift, the linter for localized documentation.")]
struct ConfigFile {
    /// The locale of the source tree (`en-us`, `en`); needs a `layout`.
    source_locale: Option<String>,
    /// Where sources and translations live, as two path templates with `{path}` (the part
    /// they share) and `{locale}`. Without it, locdrift detects the common layouts.
    layout: Option<LayoutFile>,
    /// Only these translations (default: every locale found).
    locales: Option<Vec<String>>,
    /// File extensions to check (default: md, markdown).
    extensions: Option<Vec<String>>,
    /// Globs of files to skip, relative to this file.
    #[serde(default)]
    exclude: Vec<String>,
    /// Only these rules: names, codes (`LD301`), code prefixes (`LD3`) or `ALL`.
    select: Option<Vec<String>>,
    /// Rules to add to the selection.
    #[serde(default)]
    extend_select: Vec<String>,
    /// Rules to skip.
    #[serde(default)]
    ignore: Vec<String>,
    /// Rules to skip in some files: a glob (relative to this file, matched against the
    /// translation's and the source's path; a glob without `/` matches file names) mapped
    /// to rule names, codes or prefixes.
    #[serde(default)]
    per_file_ignores: BTreeMap<String, Vec<String>>,
    /// Exit 1 only for findings at or above this severity.
    #[schemars(extend("enum" = ["error", "warning", "info"]))]
    fail_on: Option<String>,
    /// Per-rule settings, by rule name, code or prefix.
    #[serde(default)]
    rules: BTreeMap<String, RuleFile>,
    /// Extra words per language code, merged with the built-in vocabularies.
    #[serde(default)]
    vocabulary: BTreeMap<String, LanguageWords>,
    /// Files larger than this many bytes are reported, not parsed.
    max_file_size: Option<u64>,
    /// The site's own absolute URL (`https://kubernetes.io`): a link to it is a link to the
    /// site path after it. The site's config gives it too (Hugo `baseURL`, Docusaurus
    /// `url`, MkDocs `site_url`).
    site_url: Option<String>,
    /// How the site makes heading ids, which `broken-anchor` and the link rules follow:
    /// github (also Docusaurus, VitePress, Starlight), goldmark, github-ascii, blackfriday
    /// (Hugo's `autoHeadingIDType`) or mkdocs.
    #[schemars(extend("enum" = ["github", "goldmark", "github-ascii", "blackfriday", "mkdocs"]))]
    heading_ids: Option<String>,
    /// The site's Markdown dialect: which admonitions, shortcodes, directives and includes
    /// its pages use (`auto`, the default, detects it from the site's config file).
    #[schemars(extend("enum" = ["auto", "gfm", "docfx", "hugo", "docusaurus", "starlight", "vitepress", "mkdocs", "myst", "mdbook", "tldr"]))]
    dialect: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct LayoutFile {
    /// The source's path template, such as `en-us/{path}`.
    source: String,
    /// The translations' path template, such as `{locale}/{path}`.
    translation: String,
    /// More content folders under the same locales, each with its own `source` and
    /// `translation` templates (the Docusaurus blog beside the docs).
    #[serde(default)]
    also: Vec<LayoutPair>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct LayoutPair {
    /// The source's path template, such as `blog/{path}`.
    source: String,
    /// The translations' path template, such as
    /// `i18n/{locale}/docusaurus-plugin-content-blog/{path}`.
    translation: String,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RuleFile {
    /// Overrides the rule's default severity.
    #[schemars(extend("enum" = ["error", "warning", "info"]))]
    severity: Option<String>,
    /// Turns the rule on or off.
    enabled: Option<bool>,
    /// Option of `front-matter-mismatch`: the front-matter keys compared with the source
    /// (default: ms.service, ms.topic, ms.author, author, services).
    keys: Option<Vec<String>>,
    /// Option of `untranslated`: identical prose shorter than this many characters is not
    /// reported (default 20).
    min_chars: Option<usize>,
    /// Option of `mixed-language`: sentences with fewer words are not judged (default 8).
    min_words: Option<usize>,
    /// Option of `stale-translation`: also report a translation whose ms.openlocfilehash
    /// differs from the one most locales with the source's ms.date share (default false).
    handoff_hash: Option<bool>,
    /// Option of `stale-translation`: the front-matter key that records the source commit
    /// a translation was made from; read first, and written by `locdrift stamp`
    /// (default: l10n.sourceCommit, default_lang_commit or ms.sourcegitcommit, whichever the
    /// translation has).
    stamp_key: Option<String>,
    /// Option of `stale-translation`: source commits whose message contains one of these
    /// need no translation (default: `[skip l10n]`, `[l10n skip]`, `[skip translation]`).
    skip_keywords: Option<Vec<String>>,
}

/// The JSON Schema of `locdrift.yaml`, for editors (yaml-language-server and others).
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(ConfigFile);
    let mut out = serde_json::to_string_pretty(&schema).expect("a schema serializes");
    out.push('\n');
    out
}

/// A loaded configuration (or the defaults when there is no file).
#[derive(Debug, Clone)]
pub struct Config {
    /// The directory templates are relative to: the config file's, or the checked root.
    pub root: PathBuf,
    pub file: Option<PathBuf>,
    pub layout: Option<Layout>,
    pub locales: Option<Vec<String>>,
    pub extensions: Vec<String>,
    pub exclude: Vec<String>,
    pub fail_on: Option<Severity>,
    pub settings: Settings,
}

impl Config {
    pub fn defaults(root: &Path) -> Config {
        let mut config = Config::with_settings(root, Settings::default());
        config.settings.dialect = detect_dialect(root);
        config.settings.site = crate::links::Site::of(crate::site::find(root).as_ref());
        config
    }

    /// The defaults with these settings: a config file makes its own, and building the
    /// default ones first (vocabularies, rule catalog) would be thrown away.
    fn with_settings(root: &Path, settings: Settings) -> Config {
        Config {
            root: root.to_path_buf(),
            file: None,
            layout: None,
            locales: None,
            extensions: vec!["md".into(), "markdown".into()],
            exclude: Vec::new(),
            fail_on: None,
            settings,
        }
    }
}

/// `dialect: auto`: the dialect of the site config found at, above or just below the root
/// (`site::find`), else every dialect's forms at once (they overlap little).
fn detect_dialect(root: &Path) -> &'static crate::dialect::Dialect {
    crate::site::find(root)
        .and_then(|site| crate::dialect::Dialect::get(site.kind.name()))
        .unwrap_or_else(crate::dialect::Dialect::auto)
}

/// The nearest `locdrift.yaml` at or above `start` (a file or directory). A relative
/// start gives a relative result, so output paths stay as short as the user typed them.
pub fn find(start: &Path) -> Option<PathBuf> {
    let dir = if start.is_file() { start.parent()? } else { start };
    let dir = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
    let absolute = dir.canonicalize().ok()?;
    let found = absolute.ancestors().map(|d| d.join(FILE_NAME)).find(|c| c.is_file())?;
    if dir.is_relative() {
        if let Some(rel) = std::env::current_dir()
            .ok()
            .and_then(|c| c.canonicalize().ok())
            .and_then(|c| found.strip_prefix(c).ok().map(Path::to_path_buf))
        {
            return Some(rel);
        }
    }
    Some(found)
}

/// Reads and validates a config file.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let text =
        std::fs::read_to_string(path).map_err(|e| ConfigError::plain(path, format!("cannot read config: {e}")))?;
    parse(path, &text)
}

pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigError> {
    let err = |message: String, at: Option<usize>| ConfigError::at(path, text, message, at);
    let file: ConfigFile = if text.trim().is_empty() {
        ConfigFile::default()
    } else {
        crate::yaml::from_str(text).map_err(|e| err(e.message, e.offset))?
    };
    let root = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let root = if root.as_os_str().is_empty() { PathBuf::from(".") } else { root };
    let source_locale = file.source_locale.clone();
    let mut layout = None;
    if let Some(l) = &file.layout {
        // `content/en/{path}` against `content/{locale}/{path}` names the source locale.
        let src_locale = source_locale
            .clone()
            .or_else(|| crate::pair::implied_source_locale(&l.source, &l.translation))
            .unwrap_or_else(|| "en-us".to_string());
        let mut made = Layout::new(&l.source, &l.translation, &src_locale);
        for more in &l.also {
            made = made.and_then(|m| m.with_also(&more.source, &more.translation));
        }
        layout = Some(made.map_err(|m| err(m, find_offset(text, "layout")))?);
    } else if source_locale.is_some() {
        return Err(err(
            "`source-locale` needs a `layout` (or remove it and let detection choose)".into(),
            find_offset(text, "source-locale"),
        ));
    }
    for glob in &file.exclude {
        if let Err(e) = globset_check(glob) {
            return Err(err(format!("invalid glob `{glob}` in `exclude`: {e}"), find_offset(text, glob)));
        }
    }
    let mut fail_on = None;
    if let Some(f) = &file.fail_on {
        fail_on = Some(Severity::parse(f).ok_or_else(|| {
            err(format!("`fail-on` must be error, warning or info, not `{f}`"), find_offset(text, "fail-on"))
        })?);
    }
    let vocab = Vocab::with_extra(&file.vocabulary).map_err(|m| err(m, find_offset(text, "vocabulary")))?;
    let mut settings = Settings::with_vocab(vocab);
    let selection = Selection { select: file.select, extend_select: file.extend_select, ignore: file.ignore };
    for s in selection.select.iter().flatten().chain(&selection.extend_select).chain(&selection.ignore) {
        settings::resolve(s).map_err(|m| err(m, find_offset(text, s)))?;
    }
    settings.apply(&selection).map_err(|m| err(m, None))?;
    // What the site's own config states, unless locdrift.yaml says otherwise.
    settings.site = crate::links::Site::of(crate::site::find(&root).as_ref());
    if let Some(url) = &file.site_url {
        settings.site.urls.clear();
        if !url.contains("://") {
            return Err(err(format!("`site-url` must be an absolute URL, not `{url}`"), find_offset(text, "site-url")));
        }
        settings.site.add_url(url);
    }
    if let Some(style) = &file.heading_ids {
        // A style's name, or a kind of site's, whose dialect data names its style.
        let named = crate::slug::IdStyle::parse(style)
            .or_else(|| crate::dialect::Dialect::get(&style.trim().to_ascii_lowercase()).map(|d| d.heading_ids));
        settings.site.heading_ids = named.ok_or_else(|| {
            err(
                format!("`heading-ids` must be github, goldmark, github-ascii, blackfriday or mkdocs, not `{style}`"),
                find_offset(text, "heading-ids"),
            )
        })?;
    }
    for (name, rule) in &file.rules {
        let resolved = settings::resolve(name).map_err(|m| err(m, find_offset(text, name)))?;
        for r in resolved {
            if let Some(sev) = &rule.severity {
                let sev = Severity::parse(sev).ok_or_else(|| {
                    err(format!("severity must be error, warning or info, not `{sev}`"), find_offset(text, sev))
                })?;
                settings.set_severity(r, sev);
            }
            if let Some(on) = rule.enabled {
                settings.set_enabled(r, on);
            }
        }
        apply_options(name, rule, &mut settings).map_err(|m| err(m, find_offset(text, name)))?;
    }
    let mut config = Config::with_settings(&root, settings);
    config.file = Some(path.to_path_buf());
    config.layout = layout;
    config.locales = file.locales;
    if let Some(ext) = file.extensions {
        config.extensions = ext.into_iter().map(|e| e.trim_start_matches('.').to_string()).collect();
    }
    config.exclude = file.exclude;
    config.fail_on = fail_on;
    for (glob, selectors) in &file.per_file_ignores {
        let matcher = globset::GlobBuilder::new(glob)
            .literal_separator(true)
            .build()
            .map_err(|e| err(format!("invalid glob `{glob}` in `per-file-ignores`: {e}"), find_offset(text, glob)))?
            .compile_matcher();
        let mut rules = Vec::new();
        for s in selectors {
            rules.extend(settings::resolve(s).map_err(|m| err(m, find_offset(text, s)))?);
        }
        config.settings.per_file_ignores.push(PerFileIgnore::new(glob, matcher, rules));
    }
    config.max_file_size_override(file.max_file_size);
    match file.dialect.as_deref() {
        None | Some("auto") => config.settings.dialect = detect_dialect(&config.root),
        Some(name) => {
            config.settings.dialect = crate::dialect::Dialect::get(name).ok_or_else(|| {
                let known: Vec<&str> = std::iter::once("auto").chain(crate::dialect::names()).collect();
                err(format!("unknown dialect `{name}`; known: {}", known.join(", ")), find_offset(text, "dialect"))
            })?;
        }
    }
    Ok(config)
}

impl Config {
    fn max_file_size_override(&mut self, size: Option<u64>) {
        if let Some(size) = size {
            self.settings.max_file_size = size;
        }
    }
}

/// Rule options are typed fields; each is accepted only under the rule it belongs to.
fn apply_options(name: &str, rule: &RuleFile, settings: &mut Settings) -> Result<(), String> {
    let options = [
        ("keys", rule.keys.is_some(), "front-matter-mismatch"),
        ("min-chars", rule.min_chars.is_some(), "untranslated"),
        ("min-words", rule.min_words.is_some(), "mixed-language"),
        ("handoff-hash", rule.handoff_hash.is_some(), "stale-translation"),
        ("stamp-key", rule.stamp_key.is_some(), "stale-translation"),
        ("skip-keywords", rule.skip_keywords.is_some(), "stale-translation"),
    ];
    for (option, set, owner) in options {
        if set && name != owner {
            return Err(format!("`{option}` is an option of `{owner}`, not of `{name}`"));
        }
    }
    if let Some(keys) = &rule.keys {
        settings.options.front_matter_keys = keys.clone();
    }
    if let Some(n) = rule.min_chars {
        settings.options.untranslated_min_chars = n;
    }
    if let Some(n) = rule.min_words {
        settings.options.mixed_language_min_words = n;
    }
    if let Some(on) = rule.handoff_hash {
        settings.options.stale_handoff_hash = on;
    }
    if let Some(key) = &rule.stamp_key {
        let keys = &mut settings.options.stamp_keys;
        keys.retain(|k| k != key);
        keys.insert(0, key.clone());
    }
    if let Some(words) = &rule.skip_keywords {
        settings.options.skip_keywords = words.clone();
    }
    Ok(())
}

fn globset_check(glob: &str) -> Result<(), String> {
    let mut b = ignore::overrides::OverrideBuilder::new(".");
    b.add(glob).map(|_| ()).map_err(|e| e.to_string())
}

/// The first place `needle` appears as a word in the YAML, to point an error at.
fn find_offset(text: &str, needle: &str) -> Option<usize> {
    text.match_indices(needle)
        .find(|(i, _)| {
            let before = text[..*i].chars().next_back();
            before.is_none_or(|c| !c.is_alphanumeric() && c != '-')
        })
        .map(|(i, _)| i)
}

/// A config problem, rendered by miette with the YAML line underlined.
#[derive(Debug)]
pub struct ConfigError {
    pub message: String,
    source: Option<NamedSource<String>>,
    span: Option<SourceSpan>,
}

impl ConfigError {
    pub fn plain(path: &Path, message: String) -> ConfigError {
        ConfigError { message: format!("{}: {message}", path.display()), source: None, span: None }
    }

    fn at(path: &Path, text: &str, message: String, offset: Option<usize>) -> ConfigError {
        let span = offset.map(|o| {
            let o = o.min(text.len());
            let end = text[o..].find('\n').map_or(text.len(), |i| o + i);
            SourceSpan::new(o.into(), end - o)
        });
        ConfigError {
            message: format!("invalid config {}: {message}", path.display()),
            source: Some(NamedSource::new(path.display().to_string(), text.to_string())),
            span,
        }
    }
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ConfigError {}

impl Diagnostic for ConfigError {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new("locdrift::config"))
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = self.span?;
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(Some("here".into()), span))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleId;

    #[test]
    fn unknown_key_points_at_its_line() {
        let text = "source-locale: en-us\nlayout:\n  source: \"en-us/{path}\"\n  translation: \"{locale}/{path}\"\nsevrity: x\n";
        let e = parse(Path::new("locdrift.yaml"), text).unwrap_err();
        assert!(e.message.contains("unknown field `sevrity`"), "{}", e.message);
        assert_eq!(e.span.unwrap().offset(), text.find("sevrity").unwrap());
    }

    #[test]
    fn unknown_rule_is_an_error() {
        let text = "ignore: [stale-lnk]\n";
        let e = parse(Path::new("locdrift.yaml"), text).unwrap_err();
        assert!(e.message.contains("stale-lnk"), "{}", e.message);
        assert_eq!(e.span.unwrap().offset(), 9);
    }

    #[test]
    fn per_file_ignores_match_paths_and_names() {
        let text = "per-file-ignores:\n  \"sv-se/legacy/**\": [stale-link, LD2]\n  \"*.draft.md\": [ALL]\n";
        let c = parse(Path::new("locdrift.yaml"), text).unwrap();
        assert!(c.settings.is_ignored(RuleId::StaleLink, &["sv-se/legacy/a/b.md", "en-us/legacy/a/b.md"]));
        assert!(c.settings.is_ignored(RuleId::ExtraNote, &["sv-se/legacy/b.md"]), "a code prefix selects LD2xx");
        assert!(!c.settings.is_ignored(RuleId::RowMissing, &["sv-se/legacy/b.md"]));
        assert!(!c.settings.is_ignored(RuleId::StaleLink, &["sv-se/other/b.md"]));
        assert!(
            c.settings.is_ignored(RuleId::RowMissing, &["nl-nl/deep/x.draft.md"]),
            "a glob without / matches names"
        );
        let bad = parse(Path::new("locdrift.yaml"), "per-file-ignores:\n  \"a/[\": [stale-link]\n").unwrap_err();
        assert!(bad.message.contains("invalid glob"), "{}", bad.message);
    }

    #[test]
    fn rules_can_be_tuned() {
        let text = "rules:\n  stale-link:\n    severity: error\n  row-order:\n    enabled: false\n";
        let c = parse(Path::new("locdrift.yaml"), text).unwrap();
        assert_eq!(c.settings.severity(RuleId::StaleLink), Severity::Error);
        assert!(!c.settings.is_enabled(RuleId::RowOrder));
    }
}
