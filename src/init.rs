//! `locdrift init [DIR]`: detect the layout, source locale and locales of a docs tree and
//! write a commented `locdrift.yaml` that pairs exactly what detection pairs.
//!
//! The written keys are those `config.rs` accepts (it denies unknown fields), and a test
//! runs `check` with the written file against detection on three layout fixtures.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::config::FILE_NAME;
use crate::discover::{self, WalkOptions};
use crate::model::Doc;
use crate::pair::{self, Layout};

/// What detection found, and what the config will say.
#[derive(Debug, Clone)]
pub struct Proposal {
    pub layout: Layout,
    /// How the layout was recognized, for the config's comment.
    pub kind: String,
    /// The dialect the site's config names (`hugo`, `docusaurus`) and the file that says so.
    pub dialect: Option<(&'static str, String)>,
    /// Whether `locales:` lists today's locales (`--pin-locales`) or is left out.
    pub pin_locales: bool,
    pub source_locale: String,
    /// Where the source locale came from when it is not in the layout (`ms.contentlocale`).
    pub source_locale_from: Option<String>,
    pub locales: Vec<(String, usize)>,
    pub sources: usize,
    pub extensions: Vec<String>,
}

#[derive(Debug)]
pub enum InitError {
    /// A config is already there; it is never overwritten.
    Exists(PathBuf),
    /// No layout under this folder, among this many documents.
    NoLayout(PathBuf, usize),
    Io(PathBuf, std::io::Error),
}

impl std::fmt::Display for InitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InitError::Exists(p) => write!(
                f,
                "{} already exists; not overwriting it (edit it, or delete it and run `locdrift init` again)",
                p.display()
            ),
            InitError::NoLayout(p, documents) => {
                write!(f, "{}; or run `locdrift init` where the layout shows", crate::check::no_layout(p, *documents))
            }
            InitError::Io(p, e) => write!(f, "{}: {e}", p.display()),
        }
    }
}

/// Detects what `check DIR` would detect, and the locales and counts behind it.
pub fn propose(dir: &Path, pin_locales: bool) -> Result<Proposal, InitError> {
    if !dir.is_dir() {
        return Err(InitError::Io(dir.to_path_buf(), std::io::Error::other("not a directory")));
    }
    let site = crate::site::find(dir);
    let mut extensions: Vec<String> = vec!["md".into(), "markdown".into()];
    crate::site::add_extensions(&mut extensions, site.as_ref());
    let found = discover::walk(dir, &WalkOptions { extensions: &extensions, exclude: &[] });
    let detected = pair::detect_with(dir, &found.files, site)
        .ok_or_else(|| InitError::NoLayout(dir.to_path_buf(), found.files.len()))?;
    let dialect = detected.site.as_ref().map(|s| {
        let file = s.config_path.strip_prefix(dir.canonicalize().unwrap_or_default()).unwrap_or(&s.config_path);
        (s.kind.name(), discover::to_slash(file))
    });
    let (layout, kind) = (detected.layout, detected.how);
    let plan = pair::plan(&layout, &found.files, None);
    let mut locales: Vec<(String, usize)> = plan.locales.iter().map(|l| (l.clone(), 0)).collect();
    for (locale, _) in plan.groups.iter().flat_map(|g| &g.translations) {
        if let Some(entry) = locales.iter_mut().find(|(l, _)| l == locale) {
            entry.1 += 1;
        }
    }
    let sources = found.files.iter().filter(|f| matches!(layout.classify(f), pair::Role::Source { .. })).count();
    let in_layout = layout.source.pattern.contains(&layout.source_locale);
    let mut proposal = Proposal {
        source_locale: layout.source_locale.clone(),
        layout,
        kind,
        dialect,
        pin_locales,
        source_locale_from: None,
        locales,
        sources,
        extensions,
    };
    // With suffixes the source files carry no locale in their names; their front matter
    // may (`ms.contentlocale: en-us`, `lang: de`). Folder names win when there are some.
    if !in_layout {
        if let Some((locale, key)) = front_matter_locale(dir, &proposal.layout, &found.files) {
            proposal.source_locale = locale;
            proposal.source_locale_from = Some(key);
        }
    }
    Ok(proposal)
}

/// The locale the first sources' front matter declares, with the key that declared it.
fn front_matter_locale(dir: &Path, layout: &Layout, files: &[String]) -> Option<(String, String)> {
    files.iter().filter(|f| matches!(layout.classify(f), pair::Role::Source { .. })).take(20).find_map(|rel| {
        let text = std::fs::read_to_string(dir.join(rel)).ok()?;
        let doc: Doc = crate::parse::parse(&text);
        ["ms.contentlocale", "locale", "lang", "language"].iter().find_map(|key| {
            let value = doc.front_matter.get(key)?.value.trim().to_string();
            pair::is_locale(&value).then(|| (value, key.to_string()))
        })
    })
}

/// The commented config text.
pub fn render(p: &Proposal) -> String {
    let locales: Vec<String> = p.locales.iter().map(|(l, _)| quote(l)).collect();
    let locales = if p.pin_locales {
        format!(
            "# The locales to check (pinned by --pin-locales). Remove the key to check every\n\
             # locale found at each run, a new one included.\nlocales: [{}]",
            locales.join(", ")
        )
    } else {
        format!(
            "# Every locale found is checked, a new one included. To check only some, or to\n\
             # report a locale's missing translations before its first file, list them:\n# locales: [{}]",
            locales.join(", ")
        )
    };
    let dialect = match &p.dialect {
        Some((name, file)) if crate::dialect::Dialect::get(name).is_some() => format!(
            "# The Markdown dialect (admonitions, shortcodes, includes, heading ids), from {file}.\n\
             # `auto` reads the site's config at each run.\ndialect: {name}\n\n"
        ),
        _ => "# The Markdown dialect (admonitions, shortcodes, includes, heading ids); `auto`\n\
              # reads the site's config at each run, or knows every dialect's forms.\ndialect: auto\n\n"
            .to_string(),
    };
    let counts: Vec<String> = p.locales.iter().map(|(l, n)| format!("{l} {n}")).collect();
    let source_note = match &p.source_locale_from {
        Some(key) => format!("# (from `{key}` in the sources' front matter)\n"),
        None if !p.layout.source.pattern.contains(&p.source_locale) => {
            "# (a guess: the file names do not say; set it to the sources' language)\n".to_string()
        }
        None => String::new(),
    };
    format!(
        r#"# locdrift.yaml, written by `locdrift init` from what it found here: {kind},
# {sources} source {files}, translations per locale: {counts}.
# Every key is optional and explained in the README (section Configuration); unknown
# keys are errors, so a typo never switches a check off silently.

# The language the sources are written in.
{source_note}source-locale: {source_locale}

# Where sources and translations live, relative to this file. `{{path}}` is the part a
# translation shares with its source; `{{locale}}` is the translation's locale, taken as
# written (sv-se, pt_BR, zh-Hant).
layout:
  source: {source}
  translation: {translation}{also}

{locales}

{dialect}# Which files are documents.
extensions: [{extensions}]

# Globs of files to skip, relative to this file.
# exclude: ["**/includes/legacy/**"]

# Rules by name, code (LD301) or code prefix (LD3); `locdrift rules` lists them.
# select: [ALL]
# extend-select: [missing-translation]
# ignore: [row-order]

# `locdrift check` exits 1 when a finding is at or above this severity.
fail-on: warning

# Per-rule severity, or switch a rule off.
# rules:
#   stale-link:
#     severity: error
#   extra-link:
#     enabled: false

# Words the built-in vocabularies lack, per language.
# vocabulary:
#   sv:
#     "yes": ["Jo"]

# Files larger than this many bytes are reported, not parsed.
# max-file-size: 10485760
"#,
        kind = p.kind,
        sources = p.sources,
        files = if p.sources == 1 { "file" } else { "files" },
        counts = if counts.is_empty() { "none yet".to_string() } else { counts.join(", ") },
        source_locale = quote(&p.source_locale),
        source = quote(&p.layout.source.pattern),
        translation = quote(&p.layout.translation.pattern),
        also = also(&p.layout),
        extensions = p.extensions.join(", "),
        locales = locales,
        dialect = dialect,
    )
}

/// The layout's other content folders (the Docusaurus blog), as `also:` entries.
fn also(layout: &Layout) -> String {
    let mut out = String::new();
    if !layout.also.is_empty() {
        out.push_str("\n  # More content folders under the same locales.\n  also:");
    }
    for (source, translation) in &layout.also {
        out.push_str(&format!(
            "\n    - source: {}\n      translation: {}",
            quote(&source.pattern),
            quote(&translation.pattern)
        ));
    }
    out
}

/// Writes `DIR/locdrift.yaml`, refusing to replace one (also one created meanwhile:
/// the file is opened with create-new).
pub fn write(dir: &Path, pin_locales: bool) -> Result<(PathBuf, Proposal), InitError> {
    let path = dir.join(FILE_NAME);
    if path.exists() {
        return Err(InitError::Exists(path));
    }
    let proposal = propose(dir, pin_locales)?;
    let text = render(&proposal);
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(&path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            InitError::Exists(path.clone())
        } else {
            InitError::Io(path.clone(), e)
        }
    })?;
    file.write_all(text.as_bytes()).map_err(|e| InitError::Io(path.clone(), e))?;
    Ok((path, proposal))
}

/// A double-quoted YAML scalar: locale names such as `no` (Norwegian) or `on` would
/// otherwise read as booleans in YAML 1.1 tools.
fn quote(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}
