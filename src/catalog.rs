//! The rule catalog (`rules/catalog.yaml`): names, codes, default severities and docs.

use std::sync::LazyLock;

use serde::Deserialize;

use crate::finding::Severity;

const CATALOG_YAML: &str = include_str!("../rules/catalog.yaml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleDoc {
    pub name: String,
    pub code: String,
    pub severity: String,
    pub enabled: bool,
    /// `drift` or `defect` (`Head::kind`).
    #[serde(default = "drift")]
    pub kind: String,
    pub fixable: bool,
    pub summary: String,
    pub why: String,
    #[serde(default)]
    pub options: Option<String>,
    pub example: Option<Example>,
    #[serde(default)]
    pub fixed: Option<String>,
    /// What the rule reads, which says which dialects it covers (`explain` lists them
    /// from `rules/dialects/`, so the list follows the data).
    pub dialects: Covers,
    /// More examples, in other dialects' syntax; `explain` shows them and the catalog
    /// test runs them, each with its own dialect.
    #[serde(default)]
    pub also: Vec<Example>,
}

/// What a rule reads of a page, and so which dialects it covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Covers {
    /// Markdown every dialect shares: files, front matter, tables, links, code, prose.
    Every,
    /// Every dialect's admonitions, in the forms and kinds its file names.
    Admonitions,
    /// `> [!KIND]` alerts, in every dialect.
    Alerts,
    /// Shortcodes, directives and includes whose arguments a dialect file lists.
    Directives,
    /// Microsoft Learn's `[!INCLUDE [name](path)]`, in every dialect.
    LearnIncludes,
    /// Commands (inline-code-only lines, shell code blocks), with each dialect's placeholders.
    Commands,
    /// Headings and anchors, with each dialect's heading-id style.
    HeadingIds,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    pub locale: String,
    /// The dialect the example is written in and linted with (`auto` when not given).
    #[serde(default)]
    pub dialect: Option<String>,
    pub source: Option<String>,
    pub translation: String,
    /// The fixed translation of an `also` example (the main example's is the entry's).
    #[serde(default)]
    pub fixed: Option<String>,
}

fn drift() -> String {
    "drift".to_string()
}

impl RuleDoc {
    pub fn default_severity(&self) -> Severity {
        Severity::parse(&self.severity).unwrap_or(Severity::Warning)
    }
}

static CATALOG: LazyLock<Vec<RuleDoc>> =
    LazyLock::new(|| crate::yaml::from_str(CATALOG_YAML).expect("rules/catalog.yaml parses (checked by tests)"));

/// What every run needs of each rule's entry (its name, code, default severity and
/// whether it is on by default), borrowed from the parsed catalog, and the whole entry.
#[derive(Debug)]
pub struct Head {
    pub name: &'static str,
    pub code: &'static str,
    pub severity: &'static str,
    pub enabled: bool,
    /// `drift` (the translation differs from its source) or `defect` (wrong in the
    /// translation alone: a broken link or anchor, an unreadable file, invalid front
    /// matter); `drift` where the entry does not say.
    pub kind: &'static str,
    doc: &'static RuleDoc,
}

impl Head {
    pub fn default_severity(&self) -> Severity {
        self.doc.default_severity()
    }

    /// The whole entry.
    pub fn doc(&self) -> &'static RuleDoc {
        self.doc
    }
}

/// The catalog is parsed once, by the YAML parser, on first use: 7.2 M instructions
/// more than reading the heads from its lines by hand did, paid once a run (about 0.03%
/// of a check of 90,000 files; bench/README.md, "Fast paths").
static HEADS: LazyLock<Vec<Head>> = LazyLock::new(|| {
    CATALOG
        .iter()
        .map(|doc| Head {
            name: &doc.name,
            code: &doc.code,
            severity: &doc.severity,
            enabled: doc.enabled,
            kind: &doc.kind,
            doc,
        })
        .collect()
});

/// Every documented rule, ordered by code.
pub fn all() -> &'static [RuleDoc] {
    &CATALOG
}

/// The head of a rule's entry, by name or code.
pub fn head(name: &str) -> Option<&'static Head> {
    HEADS.iter().find(|h| h.name == name || h.code.eq_ignore_ascii_case(name))
}

pub fn get(name: &str) -> Option<&'static RuleDoc> {
    head(name).map(Head::doc)
}

/// The catalog entry of a rule the code knows; every rule has one (a tidy test checks).
pub fn doc(name: &str) -> &'static RuleDoc {
    known(name).doc()
}

/// A finding's kind (`Head::kind`): `drift` or `defect`; `drift` for a rule the catalog
/// does not know.
pub fn kind(rule: &str) -> &'static str {
    head(rule).map_or("drift", |h| h.kind)
}

/// The head of the entry of a rule the code knows.
pub fn known(name: &str) -> &'static Head {
    head(name).unwrap_or_else(|| panic!("rule `{name}` has no entry in rules/catalog.yaml"))
}

/// `explain NAME`: the entry as readable text.
pub fn explain(doc: &RuleDoc) -> String {
    let mut out = format!("# {} ({})\n\n{}\n\n", doc.name, doc.code, doc.summary);
    out.push_str(&format!(
        "Default severity: {}{}{}\n\n",
        doc.severity,
        if doc.enabled { "" } else { " (off by default)" },
        if doc.fixable { "; fixable with --fix" } else { "" }
    ));
    out.push_str("## Why\n\n");
    out.push_str(doc.why.trim_end());
    out.push_str("\n\n");
    out.push_str("## Dialects\n\n");
    for paragraph in dialects(doc.dialects).lines() {
        out.push_str(&wrap(paragraph, 96));
    }
    out.push('\n');
    if let Some(ex) = &doc.example {
        example(&mut out, ex, doc.fixed.as_deref());
    }
    for ex in &doc.also {
        example(&mut out, ex, ex.fixed.as_deref());
    }
    if let Some(options) = &doc.options {
        out.push_str("## Options\n\n");
        out.push_str(&indent(options));
    }
    out
}

fn example(out: &mut String, ex: &Example, fixed: Option<&str>) {
    match &ex.dialect {
        Some(dialect) => out.push_str(&format!("## Example ({}, {dialect})\n\n", ex.locale)),
        None => out.push_str(&format!("## Example ({})\n\n", ex.locale)),
    }
    if let Some(src) = &ex.source {
        out.push_str("Source:\n\n");
        out.push_str(&indent(src));
    }
    out.push_str("Translation:\n\n");
    out.push_str(&indent(&ex.translation));
    if let Some(fixed) = fixed {
        out.push_str("Fixed translation:\n\n");
        out.push_str(&indent(fixed));
    }
}

/// Which dialects a rule covers, read from the dialect files: a dialect that gains an
/// admonition or a directive shows it here without an edit to the catalog.
pub fn dialects(covers: Covers) -> String {
    use crate::dialect::{self, Dialect};
    let named: Vec<&Dialect> = dialect::names().filter_map(Dialect::get).collect();
    let every = named.iter().map(|d| d.name.as_str()).collect::<Vec<_>>().join(", ");
    let table = |row: &dyn Fn(&Dialect) -> Option<String>| -> String {
        let mut out = String::new();
        for d in &named {
            out.push_str(&format!("- {}: {}\n", d.name, row(d).unwrap_or_else(|| "none".into())));
        }
        out
    };
    match covers {
        Covers::Every => format!("Every dialect ({every}): it reads Markdown they all share.\n"),
        Covers::Admonitions => format!(
            "Every dialect's admonitions as rules/dialects/ names them: their forms, then their \
             kinds (in parentheses, the kind it compares as where that is another):\n\n{}",
            table(&|d| {
                let forms: Vec<String> = d.forms.iter().filter_map(|&f| admonition_form(f)).collect();
                if forms.is_empty() || d.kinds.is_empty() {
                    return None;
                }
                let mut kinds: Vec<String> =
                    d.kinds.iter().map(|(k, v)| if k == v { k.clone() } else { format!("{k} ({v})") }).collect();
                kinds.sort();
                Some(format!("{}; {}", forms.join(", "), kinds.join(", ")))
            })
        ),
        Covers::Alerts => {
            let native: Vec<&str> =
                named.iter().filter(|d| d.has(dialect::Form::GfmAlert)).map(|d| d.name.as_str()).collect();
            format!(
                "`> [!KIND]` alerts, in every dialect ({every}); they are the admonition form of {}. \
                 Other admonition forms are compared by note-kind-mismatch, block-missing and \
                 block-extra.\n",
                native.join(", ")
            )
        }
        Covers::Directives => format!(
            "The shortcodes and directives whose language-neutral arguments rules/dialects/ \
             lists (in brackets), and the includes it names, per dialect:\n\n{}",
            table(&|d| {
                let mut parts: Vec<String> = d
                    .directives
                    .iter()
                    .filter(|x| !x.args.is_empty())
                    .map(|x| format!("{} [{}]", directive_form(x.form, &x.name), x.args.join(", ")))
                    .collect();
                parts.extend(d.includes.iter().map(|i| {
                    let close = if i.close.is_empty() { String::new() } else { format!(" {}", i.close) };
                    format!("include `{} …{close}`", i.open)
                }));
                (!parts.is_empty()).then(|| parts.join(", "))
            })
        ),
        Covers::LearnIncludes => format!(
            "Microsoft Learn's `[!INCLUDE [name](path)]`, in every dialect ({every}); the other \
             dialects' includes (`{{{{< include >}}}}`, `--8<--`, `{{* *}}`, `{{{{#include}}}}`, `<<<`) are \
             compared by directive-mismatch.\n"
        ),
        Covers::Commands => {
            // Dialects with the same placeholders are named together.
            let mut groups: Vec<(Vec<&str>, String)> = Vec::new();
            for d in named.iter().filter(|d| !d.placeholders.is_empty()) {
                let forms = d.placeholders.iter().map(|p| p.describe()).collect::<Vec<_>>().join(", ");
                match groups.iter_mut().find(|(_, f)| *f == forms) {
                    Some((names, _)) => names.push(&d.name),
                    None => groups.push((vec![&d.name], forms)),
                }
            }
            let placeholders: Vec<String> =
                groups.iter().map(|(names, forms)| format!("{}: {forms}", names.join(", "))).collect();
            format!(
                "Every dialect ({every}): lines that are only inline code, and shell code blocks. \
                 Placeholders compare as one token ({}).\n",
                if placeholders.is_empty() { "none".to_string() } else { placeholders.join("; ") }
            )
        }
        Covers::HeadingIds => format!(
            "Every dialect, each with its heading-id style (a site config may set another: Hugo \
             `autoHeadingIDType`, MkDocs `toc.slugify`):\n\n{}",
            table(&|d| Some(d.heading_ids.name().to_string()))
        ),
    }
}

/// How an admonition of a form is written; None for a form that is no admonition.
fn admonition_form(form: crate::dialect::Form) -> Option<String> {
    use crate::dialect::Form;
    Some(
        match form {
            Form::GfmAlert => "`> [!NOTE]`",
            Form::Shortcode => "`{{< note >}} … {{< /note >}}`",
            Form::Colon => "`:::note … :::`",
            Form::MystColon => "`:::{note} … :::`",
            Form::MystFence => "```` ```{note} ````",
            Form::Bang => "`!!! note` / `??? note`",
            Form::Blocks => "`/// note … ///`",
            Form::ColonInline => return None,
        }
        .to_string(),
    )
}

/// How a directive of a form is written.
fn directive_form(form: crate::dialect::Form, name: &str) -> String {
    use crate::dialect::Form;
    match form {
        Form::Shortcode => format!("`{{{{< {name} >}}}}`"),
        Form::ColonInline => format!("`:::{name} … :::`"),
        Form::Colon => format!("`::: {name}`"),
        Form::MystColon => format!("`:::{{{name}}}`"),
        Form::MystFence => format!("```` ```{{{name}}} ````"),
        Form::Bang => format!("`!!! {name}`"),
        Form::Blocks => format!("`/// {name}`"),
        Form::GfmAlert => format!("`> [!{name}]`"),
    }
}

/// A line of prose broken at spaces before `width` characters; a list item's lines
/// after the first are indented under its text.
fn wrap(line: &str, width: usize) -> String {
    let hang = if line.starts_with("- ") { "  " } else { "" };
    let mut out = String::new();
    let mut current = String::new();
    // A code span is one word: `{{< glossary_tooltip >}}` is not broken at its spaces. A
    // run of backticks closes only a span its length opened (```` ```{note} ````).
    let mut words: Vec<String> = Vec::new();
    let mut open: Option<usize> = None;
    for word in line.split(' ') {
        match words.last_mut() {
            Some(last) if open.is_some() => {
                last.push(' ');
                last.push_str(word);
            }
            _ => words.push(word.to_string()),
        }
        for run in word.split(|c| c != '`').filter(|r| !r.is_empty()) {
            match open {
                None => open = Some(run.len()),
                Some(n) if n == run.len() => open = None,
                Some(_) => {}
            }
        }
    }
    for word in &words {
        if !current.is_empty() && current.chars().count() + 1 + word.chars().count() > width {
            out.push_str(&current);
            out.push('\n');
            current = hang.to_string();
        } else if !current.is_empty() && current != hang {
            current.push(' ');
        }
        current.push_str(word);
    }
    out.push_str(&current);
    out.push('\n');
    out
}

fn indent(text: &str) -> String {
    let mut out: String =
        text.trim_end().lines().map(|l| if l.is_empty() { "\n".to_string() } else { format!("    {l}\n") }).collect();
    out.push('\n');
    out
}
