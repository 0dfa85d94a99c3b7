//! locdrift: a linter for localized documentation.
//!
//! The pipeline, in the order data flows:
//! config (`config`) -> discover files (`discover`) -> pair translations with sources
//! (`pair`) -> parse each file once (`parse`, the only pulldown-cmark user) -> language-
//! neutral `model::Doc` -> rules on (source, translation) (`rules`, aligned by `align`)
//! -> findings with byte spans (`finding`) -> sorted -> rendered (`render`, `lsp`).
//!
//! `engine::lint` is the one entry point that the CLI (`check`), the language server and
//! the tests all call: a file's text in, its final findings out.

pub(crate) mod align;
pub(crate) mod atomic;
pub mod baseline;
pub mod cache;
pub mod catalog;
pub mod changed;
pub mod check;
pub mod cli;
pub mod config;
pub mod dialect;
pub mod discover;
pub mod engine;
pub mod finding;
pub mod fix;
pub mod hash;
pub mod history;
pub mod init;
pub(crate) mod line_index;
pub(crate) mod locale;
pub mod lsp;
pub mod model;
pub mod pair;
pub mod parse;
pub mod progress;
pub mod render;
pub mod report;
pub(crate) mod rule_id;
pub mod rules;
pub mod settings;
pub mod site;
pub mod skeleton;
pub(crate) mod suppress;
pub(crate) mod tables;
pub(crate) mod targets;
pub(crate) mod text;
pub mod vocab;
pub mod workspace;
pub mod yaml;

use finding::Finding;
use settings::Settings;

/// Lints a translation against its source, both as text, outside any tree (no
/// `per-file-ignores` path, no tree questions): `engine::lint` for tests, fuzzers and
/// examples. `locale` is the translation's.
pub fn lint_pair(source_text: &str, translation_text: &str, locale: &str, settings: &Settings) -> Vec<Finding> {
    let source = parse::parse(source_text, &settings.vocab);
    let input = engine::Input {
        rel: "",
        locale: Some(locale),
        text: Ok(translation_text),
        source_rel: None,
        source: engine::Source::Doc(&source, source_text),
        workspace: None,
        on_parse: None,
    };
    engine::lint(&input, settings).findings
}
