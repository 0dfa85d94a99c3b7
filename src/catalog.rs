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
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    pub locale: String,
    pub source: Option<String>,
    pub translation: String,
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
    if let Some(ex) = &doc.example {
        out.push_str(&format!("## Example ({})\n\n", ex.locale));
        if let Some(src) = &ex.source {
            out.push_str("Source:\n\n");
            out.push_str(&indent(src));
        }
        out.push_str("Translation:\n\n");
        out.push_str(&indent(&ex.translation));
        if let Some(fixed) = &doc.fixed {
            out.push_str("Fixed translation:\n\n");
            out.push_str(&indent(fixed));
        }
    }
    if let Some(options) = &doc.options {
        out.push_str("## Options\n\n");
        out.push_str(&indent(options));
    }
    out
}

fn indent(text: &str) -> String {
    let mut out: String =
        text.trim_end().lines().map(|l| if l.is_empty() { "\n".to_string() } else { format!("    {l}\n") }).collect();
    out.push('\n');
    out
}
