//! locdrift: a linter for localized documentation.
//!
//! The pipeline, in the order data flows:
//! config (`config`) -> discover files (`discover`) -> pair translations with sources
//! (`pair`) -> parse each file once (`parse`, the only pulldown-cmark user) -> language-
//! neutral `model::Doc` -> rules on (source, translation) (`rules`, aligned by `align`)
//! -> findings with byte spans (`finding`) -> sorted -> rendered (`render`, `lsp`).
//!
//! `lint_pair` is the sans-I/O core that the CLI (`check`), the language server and the
//! tests all call: text in, findings out.

pub mod align;
pub mod catalog;
pub mod check;
pub mod cli;
pub mod config;
pub mod discover;
pub mod finding;
pub mod init;
pub mod line_index;
pub mod lsp;
pub mod model;
pub mod pair;
pub mod parse;
pub mod render;
pub mod report;
pub mod rules;
pub mod settings;
pub mod tables;
pub mod text;
pub mod vocab;
pub mod workspace;
pub mod yaml;

use finding::Finding;
use model::Doc;
use rules::{Cx, Scope, RULES};
use settings::Settings;

/// Lints a translation against its source, both as text. `locale` is the translation's.
pub fn lint_pair(source_text: &str, translation_text: &str, locale: &str, settings: &Settings) -> Vec<Finding> {
    let src = parse::parse(source_text, &settings.vocab);
    let tr = parse::parse(translation_text, &settings.vocab);
    lint_docs(Some((&src, source_text)), &tr, translation_text, locale, settings)
}

/// Lints parsed documents. Without a source (an orphan), only the rules that look at the
/// translation alone run.
pub fn lint_docs(
    source: Option<(&Doc, &str)>,
    tr: &Doc,
    tr_text: &str,
    locale: &str,
    settings: &Settings,
) -> Vec<Finding> {
    lint_docs_in(source, tr, tr_text, locale, settings, None)
}

/// `lint_docs` for a pair that lives in a tree: rules that look at the tree (links and
/// anchors that must exist, git history) ask `files`, which the driver answers.
pub fn lint_docs_in(
    source: Option<(&Doc, &str)>,
    tr: &Doc,
    tr_text: &str,
    locale: &str,
    settings: &Settings,
    files: Option<&rules::Files>,
) -> Vec<Finding> {
    let empty = Doc::default();
    let (src, src_text) = source.unwrap_or((&empty, ""));
    let mut cx = Cx::new(src, tr, src_text, tr_text, locale, settings);
    cx.files = files;
    let mut acc = Vec::new();
    for rule in RULES {
        let Some(check) = rule.check else { continue };
        if !settings.is_enabled(rule.name) || (rule.scope == Scope::Pair && source.is_none()) {
            continue;
        }
        check(&cx, &mut acc);
    }
    for f in &mut acc {
        f.severity = settings.severity(f.rule);
        f.locale = Some(locale.to_string());
    }
    finding::sort(&mut acc);
    acc
}
