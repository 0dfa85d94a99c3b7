//! Docs dialects as data: which admonition, directive, include and placeholder forms a site's
//! Markdown uses (`rules/dialects/<name>.yaml`, embedded, parsed once through `yaml.rs`).
//!
//! The code in `skeleton.rs` knows the shapes (a `:::` container, a paired shortcode, an
//! indented `!!!` body); a dialect names which shapes a site uses and what they are called.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

/// Every built-in dialect, in the order `dialect:` lists them.
const SOURCES: &[(&str, &str)] = &[
    ("gfm", include_str!("../rules/dialects/gfm.yaml")),
    ("docfx", include_str!("../rules/dialects/docfx.yaml")),
    ("hugo", include_str!("../rules/dialects/hugo.yaml")),
    ("docusaurus", include_str!("../rules/dialects/docusaurus.yaml")),
    ("starlight", include_str!("../rules/dialects/starlight.yaml")),
    ("vitepress", include_str!("../rules/dialects/vitepress.yaml")),
    ("mkdocs", include_str!("../rules/dialects/mkdocs.yaml")),
    ("myst", include_str!("../rules/dialects/myst.yaml")),
    ("mdbook", include_str!("../rules/dialects/mdbook.yaml")),
    ("tldr", include_str!("../rules/dialects/tldr.yaml")),
];

/// The names `dialect:` accepts besides `auto`.
pub fn names() -> impl Iterator<Item = &'static str> {
    SOURCES.iter().map(|(n, _)| *n)
}

/// An admonition or container shape the skeleton scanner knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Form {
    /// `> [!NOTE]` (GFM, DocFX).
    GfmAlert,
    /// `{{< note >}}` … `{{< /note >}}` and `{{% note %}}` (Hugo).
    Shortcode,
    /// `:::note[Title]` / `::: tip Title` … `:::` (Docusaurus, Starlight, VitePress).
    Colon,
    /// `:::image type="content" … :::` on one line (DocFX).
    ColonInline,
    /// `:::{note}` … `:::` (MyST).
    MystColon,
    /// ```` ```{note} ```` … ```` ``` ```` (MyST).
    MystFence,
    /// `!!! note "Title"` / `??? note` with an indented body (Material for MkDocs).
    Bang,
    /// `/// note | Title` … `///` (pymdownx.blocks).
    Blocks,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    name: String,
    #[serde(rename = "heading-ids")]
    heading_ids: String,
    #[serde(default)]
    admonitions: Option<Admonitions>,
    #[serde(default)]
    directives: Vec<DirectiveFile>,
    #[serde(default)]
    includes: Vec<Delimiters>,
    #[serde(default)]
    escapes: Vec<String>,
    #[serde(default)]
    placeholders: Vec<Placeholder>,
    #[serde(default, rename = "example-words")]
    example_words: Vec<String>,
    #[serde(default, rename = "convention-components")]
    convention_components: Vec<String>,
    #[serde(default)]
    mdx: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Admonitions {
    forms: Vec<Form>,
    kinds: HashMap<String, String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct DirectiveFile {
    name: String,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    args: Vec<String>,
    #[serde(default)]
    form: Option<Form>,
    #[serde(default)]
    paired: bool,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    include: bool,
}

/// An opening and closing string around something: `{*` … `*}`, `{{` … `}}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Delimiters {
    pub open: String,
    pub close: String,
}

/// A placeholder form in commands: what it holds is translated (`<pod-name>` -> `<nom-du-pod>`),
/// so it compares as one token. Either delimiters (`open`, `close`) or a `run` of one
/// character at least `min` long (`chaindata-xxxxxxxx.tar.gz`, whose length translators change).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Placeholder {
    #[serde(default)]
    pub open: String,
    #[serde(default)]
    pub close: String,
    /// Only a whole word holding no space and some letter (`astro [command]`), never a
    /// part of one (`.items[*]`) nor a shell test (`[ -f x ]`).
    #[serde(default)]
    pub word: bool,
    #[serde(default)]
    pub run: Option<char>,
    #[serde(default)]
    pub min: usize,
}

impl Placeholder {
    /// How the catalog names it: `<…>`, `[…]` (a whole word), `xxxx…`.
    pub fn describe(&self) -> String {
        match self.run {
            Some(c) => format!("`{}…`", c.to_string().repeat(self.min)),
            None if self.word => format!("`{}…{}` (a whole word)", self.open, self.close),
            None => format!("`{}…{}`", self.open, self.close),
        }
    }
}

/// A directive or shortcode whose listed arguments do not change with translation.
#[derive(Debug, Clone)]
pub struct Directive {
    /// The canonical name (`code_sample` for `codenew` too).
    pub name: String,
    pub aliases: Vec<String>,
    /// Named arguments (`for_k8s_version`) or positions (`$0`) that are language-neutral.
    pub args: Vec<String>,
    pub form: Form,
    /// Has a closing form (`{{< /tabs >}}`).
    pub paired: bool,
    /// The body is code (`highlight`): its `#` lines are not headings.
    pub code_body: bool,
    /// The body is not rendered (Hugo's `comment`): like an HTML comment, it is no block.
    pub hidden_body: bool,
    /// Its first neutral argument names a file whose content is included.
    pub include: bool,
}

/// One dialect, typed.
#[derive(Debug, Clone)]
pub struct Dialect {
    pub name: String,
    /// How the kind of site makes heading ids where its config does not say.
    pub heading_ids: crate::slug::IdStyle,
    pub forms: Vec<Form>,
    /// Admonition name as written, lower case -> canonical kind.
    pub kinds: HashMap<String, String>,
    pub directives: Vec<Directive>,
    pub includes: Vec<Delimiters>,
    pub escapes: Vec<String>,
    pub placeholders: Vec<Placeholder>,
    /// Source words that name an example (`my` for `my-project`, `myRootFolder`): translators
    /// translate them like placeholders, so a command may differ there.
    pub example_words: Vec<String>,
    /// MDX components one side carries by the site's convention, not by the page's content
    /// (a notice translators are told to remove): their lines and imports are no blocks.
    pub convention_components: Vec<String>,
    /// Pages may be MDX: `import` lines and JSX components are HTML blocks.
    pub mdx: bool,
}

impl Dialect {
    /// A built-in dialect by name (`auto` is the union of them all).
    pub fn get(name: &str) -> Option<&'static Dialect> {
        let all = all();
        if name == "auto" {
            return Some(&all.auto);
        }
        all.named.iter().find(|d| d.name == name)
    }

    /// What `auto` means when no site config tells the dialect: every form of every
    /// dialect, which overlap little (a Hugo shortcode is no admonition elsewhere).
    pub fn auto() -> &'static Dialect {
        &all().auto
    }

    pub fn has(&self, form: Form) -> bool {
        self.forms.contains(&form)
    }

    /// The canonical kind of an admonition name, or None when it is none of this dialect's.
    pub fn kind(&self, written: &str) -> Option<&str> {
        self.kinds.get(written.to_ascii_lowercase().as_str()).map(String::as_str)
    }

    /// The directive a name (or alias) stands for, written in one of these forms.
    pub fn directive(&self, name: &str, form: Form) -> Option<&Directive> {
        self.directives.iter().find(|d| d.form == form && (d.name == name || d.aliases.iter().any(|a| a == name)))
    }
}

struct All {
    named: Vec<Dialect>,
    auto: Dialect,
}

fn all() -> &'static All {
    static ALL: OnceLock<All> = OnceLock::new();
    ALL.get_or_init(|| {
        let named: Vec<Dialect> = SOURCES
            .iter()
            .map(|(name, text)| match parse(text) {
                Ok(d) if d.name == *name => d,
                Ok(d) => panic!("rules/dialects/{name}.yaml names itself `{}`", d.name),
                Err(e) => panic!("rules/dialects/{name}.yaml: {e}"),
            })
            .collect();
        let auto = union(&named);
        All { named, auto }
    })
}

/// Parses one dialect file (the built-in ones are checked by a test).
pub fn parse(text: &str) -> Result<Dialect, String> {
    let file: File = crate::yaml::from_str(text).map_err(|e| e.message)?;
    let (forms, kinds) = match file.admonitions {
        Some(a) => (a.forms, a.kinds),
        None => (Vec::new(), HashMap::new()),
    };
    let mut directives = Vec::new();
    for d in file.directives {
        let (code_body, hidden_body) = match d.body.as_deref() {
            None | Some("markdown") => (false, false),
            Some("code") => (true, false),
            Some("hidden") => (false, true),
            Some(other) => {
                return Err(format!("directive `{}`: body must be code, markdown or hidden, not `{other}`", d.name))
            }
        };
        directives.push(Directive {
            name: d.name,
            aliases: d.aliases,
            args: d.args,
            form: d.form.unwrap_or(Form::Shortcode),
            paired: d.paired,
            code_body,
            hidden_body,
            include: d.include,
        });
    }
    let mut forms = forms;
    for d in &directives {
        if !forms.contains(&d.form) && d.form != Form::Shortcode {
            forms.push(d.form);
        }
    }
    for p in &file.placeholders {
        let ok = match p.run {
            Some(_) => p.open.is_empty() && p.close.is_empty() && p.min >= 2,
            None => !p.open.is_empty() && !p.close.is_empty(),
        };
        if !ok {
            return Err("a placeholder is `open` and `close`, or a `run` character with `min` of 2 or more".into());
        }
    }
    let heading_ids = crate::slug::IdStyle::parse(&file.heading_ids).ok_or_else(|| {
        format!("heading-ids must be github, goldmark, github-ascii, blackfriday or mkdocs, not `{}`", file.heading_ids)
    })?;
    Ok(Dialect {
        name: file.name,
        heading_ids,
        forms,
        kinds,
        directives,
        includes: file.includes,
        escapes: file.escapes,
        placeholders: file.placeholders,
        example_words: file.example_words,
        convention_components: file.convention_components,
        mdx: file.mdx,
    })
}

fn union(named: &[Dialect]) -> Dialect {
    let mut out = Dialect {
        name: "auto".into(),
        heading_ids: crate::slug::IdStyle::Github,
        forms: Vec::new(),
        kinds: HashMap::new(),
        directives: Vec::new(),
        includes: Vec::new(),
        escapes: Vec::new(),
        placeholders: Vec::new(),
        example_words: Vec::new(),
        convention_components: Vec::new(),
        mdx: true,
    };
    for d in named {
        for f in &d.forms {
            if !out.forms.contains(f) {
                out.forms.push(*f);
            }
        }
        for (k, v) in &d.kinds {
            out.kinds.entry(k.clone()).or_insert_with(|| v.clone());
        }
        for dir in &d.directives {
            if !out.directives.iter().any(|o| o.name == dir.name && o.form == dir.form) {
                out.directives.push(dir.clone());
            }
        }
        for i in &d.includes {
            if !out.includes.contains(i) {
                out.includes.push(i.clone());
            }
        }
        out.escapes.extend(d.escapes.iter().filter(|e| !out.escapes.contains(e)).cloned().collect::<Vec<_>>());
        // tldr's `{{…}}` placeholders are not stripped from other sites' prose: only
        // commands (inline-code-only lines) normalize them, where they mean the same.
        for p in &d.placeholders {
            if !out.placeholders.contains(p) {
                out.placeholders.push(p.clone());
            }
        }
        for w in &d.example_words {
            if !out.example_words.contains(w) {
                out.example_words.push(w.clone());
            }
        }
        for c in &d.convention_components {
            if !out.convention_components.contains(c) {
                out.convention_components.push(c.clone());
            }
        }
    }
    // Forms implied by directives (colon-inline, myst-fence) count as forms of the union.
    for d in &out.directives {
        if !out.forms.contains(&d.form) {
            out.forms.push(d.form);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_dialect_parses() {
        for name in names() {
            let d = Dialect::get(name).unwrap();
            assert_eq!(d.name, name);
        }
        let hugo = Dialect::get("hugo").unwrap();
        assert_eq!(hugo.directive("codenew", Form::Shortcode).unwrap().name, "code_sample");
        assert_eq!(Dialect::auto().kind("Danger"), Some("danger"));
    }

    #[test]
    fn heading_ids_name_a_style() {
        assert!(parse("name: x\nheading-ids: klingon\n").unwrap_err().contains("klingon"));
        assert_eq!(Dialect::get("hugo").unwrap().heading_ids, crate::slug::IdStyle::Goldmark);
        assert_eq!(Dialect::get("mkdocs").unwrap().heading_ids, crate::slug::IdStyle::Mkdocs);
    }

    #[test]
    fn unknown_fields_are_errors() {
        assert!(parse("name: x\nheading-ids: github\nadmonition: {}\n").is_err());
    }
}
