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
pub mod atomic;
pub mod baseline;
pub mod cache;
pub mod catalog;
pub mod changed;
pub mod check;
pub mod cli;
pub mod config;
pub mod discover;
pub mod finding;
pub mod fix;
pub mod history;
pub mod init;
pub mod line_index;
pub mod links;
pub mod lsp;
pub mod model;
pub mod pair;
pub mod parse;
pub mod progress;
pub mod render;
pub mod report;
pub mod rules;
pub mod settings;
pub mod site;
pub mod slug;
pub mod suppress;
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
    let src = parse::parse_for(source_text, settings);
    let tr = parse::parse_for(translation_text, settings);
    lint_docs(Some((&src, source_text)), &tr, translation_text, locale, settings)
}

/// Lints parsed documents. Without a source (an orphan), only the rules that look at the
/// translation alone run. The translation's suppression comments are honoured here, so
/// every caller (CLI, language server, tests) hides the same findings.
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
    lint_docs_with(source, tr, tr_text, locale, settings, files, Vec::new())
}

/// `lint_docs_in`, with findings the driver made about the same file (an orphan's
/// `orphan-translation`) passed through the file's suppression comments too.
pub fn lint_docs_with(
    source: Option<(&Doc, &str)>,
    tr: &Doc,
    tr_text: &str,
    locale: &str,
    settings: &Settings,
    files: Option<&rules::Files>,
    driver_findings: Vec<Finding>,
) -> Vec<Finding> {
    let mut found = lint_once(source, tr, tr_text, locale, settings, files, driver_findings);
    // A fix is offered only if the page, fixed, has no new finding: the links it
    // retargets must resolve, whichever rules the run selected.
    if found.iter().any(|f| f.fix.is_some()) {
        let mut checking = std::borrow::Cow::Borrowed(settings);
        for rule in ["broken-link", "broken-anchor"] {
            if !checking.is_enabled(rule) {
                checking.to_mut().set_enabled(rule, true);
            }
        }
        // What the fixed page is compared with: the page as it is, under the same rules,
        // and the links the source itself cannot resolve (a partial tree): pointing where
        // the source points breaks nothing the source does not.
        let mut baseline = match &checking {
            std::borrow::Cow::Borrowed(_) => found.clone(),
            std::borrow::Cow::Owned(more) => lint_once(source, tr, tr_text, locale, more, files, Vec::new()),
        };
        if let (Some((src, src_text)), Some(f)) = (source, files) {
            let mut links_only = checking.clone().into_owned();
            for rule in RULES {
                links_only.set_enabled(rule.name, matches!(rule.name, "broken-link" | "broken-anchor"));
            }
            let own = rules::Files { workspace: f.workspace, source: f.source, translation: f.source };
            baseline.extend(lint_once(None, src, src_text, locale, &links_only, Some(&own), Vec::new()));
        }
        fix::verify(&mut found, &baseline, tr_text, |text| {
            let doc = parse::parse_for(text, &checking);
            lint_once(source, &doc, text, locale, &checking, files, Vec::new())
        });
    }
    found
}

/// One pass of the rules over a pair (`lint_docs_with` without checking the fixes).
fn lint_once(
    source: Option<(&Doc, &str)>,
    tr: &Doc,
    tr_text: &str,
    locale: &str,
    settings: &Settings,
    files: Option<&rules::Files>,
    driver_findings: Vec<Finding>,
) -> Vec<Finding> {
    // An orphan is compared with an empty source, made only for it.
    let empty;
    let (src, src_text) = match source {
        Some(source) => source,
        None => {
            empty = Doc::default();
            (&empty, "")
        }
    };
    let mut cx = Cx::new(src, tr, src_text, tr_text, locale, settings);
    cx.files = files;
    // To tell a used suppression from an unused one, the rules a comment names run even
    // when not enabled; their findings are dropped after the suppressions are applied.
    let judge = settings.is_enabled(rules::unused_suppression::NAME) && !cx.suppressions.is_empty();
    let mut acc = driver_findings;
    for rule in RULES {
        let Some(check) = rule.check else { continue };
        let wanted = settings.is_enabled(rule.name) || judge && cx.suppressions.mentions(rule.name);
        if !wanted || rule.scope == Scope::Suppressions || (rule.scope == Scope::Pair && source.is_none()) {
            continue;
        }
        check(&cx, &mut acc);
    }
    cx.suppressions.apply(&mut acc);
    acc.retain(|f| settings.is_enabled(f.rule));
    for rule in RULES.iter().filter(|r| r.scope == Scope::Suppressions && settings.is_enabled(r.name)) {
        if let Some(check) = rule.check {
            check(&cx, &mut acc);
        }
    }
    for f in &mut acc {
        f.severity = settings.severity(f.rule);
        f.locale = Some(locale.to_string());
    }
    finding::sort(&mut acc);
    acc
}
