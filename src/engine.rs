//! The one entry point from a translation's text to its final findings.
//!
//! `lint` is what `check`, the language server and the tests call: it parses the
//! translation, runs the selected rules against the source, reports a missing or
//! unreadable file, applies the translation's suppression comments (to the findings about
//! the file too) and judges them (`unused-suppression`), then settles what the run's
//! settings decide (enabled rules, severities, `per-file-ignores`). A panic in a rule
//! becomes an `io-error` finding for that file; the run goes on. Drivers only read files,
//! answer the tree's questions (`Workspace`), cache and render.

use std::borrow::Cow;
use std::panic::AssertUnwindSafe;
use std::path::Path;

use crate::finding::{self, Finding};
use crate::model::Doc;
use crate::parse;
use crate::rules::{io_error, orphan_translation, Cx, Files, RuleId, Scope, Workspace, RULES};
use crate::settings::Settings;
use crate::skeleton;
use crate::verify;

/// One file to lint, as a driver found it.
pub struct Input<'a> {
    /// Its path from the root, with `/`: what `per-file-ignores` match and rules ask the
    /// tree about.
    pub rel: &'a str,
    /// The translation's locale; `None` for a source looked at on its own.
    pub locale: Option<&'a str>,
    /// The file's text, or why there is none (an `io-error`).
    pub text: Result<&'a str, &'a str>,
    /// The source's path from the root (for an orphan, the path it would have); `None`
    /// for a source looked at on its own.
    pub source_rel: Option<&'a str>,
    pub source: Source<'a>,
    /// Answers the rules' questions about the tree (links, anchors, history); without
    /// one, those rules stay silent.
    pub workspace: Option<&'a dyn Workspace>,
    /// Told of the translation's document once parsed (a driver remembers its anchors),
    /// inside the panic guard.
    pub on_parse: Option<&'a dyn Fn(&Doc)>,
}

/// The source side of an `Input`.
#[derive(Clone, Copy)]
pub enum Source<'a> {
    /// The source, parsed once for all its translations, with its text; its skeleton is
    /// built for this translation alone (a test, an editor's one file).
    Doc(&'a Doc, &'a str),
    /// The same, with the source's skeleton built when the first of its translations
    /// asks and shared by all of them (`check`: a group's translations).
    Shared(&'a Doc, &'a str, &'a skeleton::Shared),
    /// No source file: the translation is an orphan. `shown` is how the finding names
    /// the source it expected.
    Missing { shown: &'a Path },
    /// The source exists but cannot be read (`why`); reported on the translation.
    Unreadable { shown: &'a Path, why: &'a str },
    /// Not read: the file is a source looked at on its own, or the translation is not
    /// text and nothing is compared.
    Unread,
}

impl<'a> Source<'a> {
    /// The parsed source, its text and its shared skeleton if it has one.
    fn parsed(&self) -> Option<(&'a Doc, &'a str, Option<&'a skeleton::Shared>)> {
        match *self {
            Source::Doc(doc, text) => Some((doc, text, None)),
            Source::Shared(doc, text, side) => Some((doc, text, Some(side))),
            _ => None,
        }
    }
}

/// The findings of one `lint`, sorted, each with its severity and locale; the driver
/// sets the paths (`Finding::file`, `source_file`), which depend on how it shows them.
pub struct Linted {
    pub findings: Vec<Finding>,
    /// The panic message when a rule crashed (the findings then say so as an
    /// `io-error`): a driver logs it, and does not cache the result.
    pub crash: Option<String>,
}

/// Lints one file: see the module documentation.
pub fn lint(input: &Input, settings: &Settings) -> Linted {
    let mut about_file = Vec::new();
    match input.source {
        Source::Missing { shown } => about_file.push(orphan_translation::finding(shown)),
        Source::Unreadable { shown, why } => {
            about_file.push(io_error::finding(format!("the source `{}` cannot be read: {why}", shown.display())))
        }
        Source::Doc(..) | Source::Shared(..) | Source::Unread => {}
    }
    // A driver that reads files refuses a large one before reading it; an editor has it
    // in memory already, and says the same.
    let too_large;
    let text = match input.text {
        Ok(text) if text.len() as u64 > settings.max_file_size => {
            too_large = io_error::too_large(text.len(), settings.max_file_size);
            Err(too_large.as_str())
        }
        text => text,
    };
    let (findings, crash) = match text {
        Err(why) => {
            about_file.push(io_error::finding(why));
            (about_file, None)
        }
        Ok(text) => match std::panic::catch_unwind(AssertUnwindSafe(|| run_rules(input, text, settings, about_file))) {
            Ok(found) => (found, None),
            Err(panic) => {
                let what = panic_message(panic.as_ref());
                let message =
                    format!("this file could not be checked: locdrift crashed on it ({what}); please report it");
                (vec![io_error::finding(message)], Some(what))
            }
        },
    };
    Linted { findings: settle(findings, input, settings), crash }
}

/// What a cache does not keep of `lint`'s findings (their severity and locale), set
/// again from the settings it was keyed by.
pub fn restore(mut findings: Vec<Finding>, settings: &Settings, locale: Option<&str>) -> Vec<Finding> {
    for f in &mut findings {
        f.severity = settings.severity(f.rule);
        f.locale = locale.map(str::to_string);
    }
    findings
}

/// Parses the translation and runs the rules; the findings about the file go through
/// its suppression comments with the rules' own. A fix is offered only if the page,
/// fixed, has no new finding (`verify::verify`): the links it retargets must resolve,
/// whichever rules the run selected; `--fix`, `--unsafe-fixes` and the editor's code
/// actions all read the result.
fn run_rules(input: &Input, text: &str, settings: &Settings, about_file: Vec<Finding>) -> Vec<Finding> {
    let mut found = run_once(input, text, settings, about_file, true);
    if !found.iter().any(|f| f.fix.is_some()) {
        return found;
    }
    let link_rules = [RuleId::BrokenLink, RuleId::BrokenAnchor];
    let mut checking = Cow::Borrowed(settings);
    for rule in link_rules {
        if !checking.is_enabled(rule) {
            checking.to_mut().set_enabled(rule, true);
        }
    }
    // What the fixed page is compared with: the page as it is, under the same rules, and
    // the links the source itself cannot resolve (a partial tree): pointing where the
    // source points breaks nothing the source does not.
    let mut baseline = match &checking {
        Cow::Borrowed(_) => found.clone(),
        Cow::Owned(more) => run_once(input, text, more, Vec::new(), false),
    };
    if let (Some((_, src_text, _)), Some(source_rel), Some(_)) =
        (input.source.parsed(), input.source_rel, input.workspace)
    {
        let mut links_only = checking.clone().into_owned();
        for rule in RULES {
            links_only.set_enabled(rule.id, link_rules.contains(&rule.id));
        }
        let own = Input { rel: source_rel, text: Ok(src_text), source: Source::Unread, on_parse: None, ..*input };
        baseline.extend(run_once(&own, src_text, &links_only, Vec::new(), false));
    }
    verify::verify(&mut found, &baseline, text, |fixed| run_once(input, fixed, &checking, Vec::new(), false));
    found
}

/// One pass of the rules over the translation's text (`run_rules` without checking the
/// fixes); `first` tells the driver of the parse (`Input::on_parse`).
fn run_once(input: &Input, text: &str, settings: &Settings, about_file: Vec<Finding>, first: bool) -> Vec<Finding> {
    // An orphan, or a file on its own, is compared with an empty source.
    let empty = Doc::default();
    let own_side = skeleton::Shared::default();
    let (src, src_text, side, paired) = match input.source.parsed() {
        Some((doc, text, side)) => (doc, text, side.unwrap_or(&own_side), true),
        None => (&empty, "", &own_side, false),
    };
    let doc = if paired {
        parse::parse_file_beside(text, settings, input.rel, side.link_keys(src))
    } else {
        parse::parse_file(text, settings, input.rel)
    };
    if let Some(on_parse) = input.on_parse.filter(|_| first) {
        on_parse(&doc);
    }
    let locale = input.locale.unwrap_or_default();
    let mut cx = Cx::new(src, &doc, src_text, text, locale, settings, side);
    let files = input.workspace.map(|workspace| Files {
        workspace,
        source: input.source_rel.unwrap_or_default(),
        translation: input.rel,
    });
    cx.files = files.as_ref();
    // To tell a used suppression from an unused one, the rules a comment names run even
    // when not enabled; their findings are dropped after the suppressions are applied.
    let judge = settings.is_enabled(RuleId::UnusedSuppression) && !cx.suppressions.is_empty();
    let mut acc = about_file;
    for rule in RULES {
        let Some(check) = rule.check else { continue };
        let wanted = settings.is_enabled(rule.id) || judge && cx.suppressions.mentions(rule.id);
        if !wanted || rule.scope == Scope::Suppressions || rule.scope == Scope::Pair && !paired {
            continue;
        }
        check(&cx, &mut acc);
    }
    cx.suppressions.apply(&mut acc);
    acc.retain(|f| settings.is_enabled(f.rule));
    for rule in RULES.iter().filter(|r| r.scope == Scope::Suppressions && settings.is_enabled(r.id)) {
        if let Some(check) = rule.check {
            check(&cx, &mut acc);
        }
    }
    acc
}

/// What the run's settings decide: enabled rules, severities, the locale and
/// `per-file-ignores` (matched against the file and its source); then the order.
fn settle(mut findings: Vec<Finding>, input: &Input, settings: &Settings) -> Vec<Finding> {
    let files: &[&str] = match input.source_rel {
        Some(source) => &[input.rel, source],
        None => &[input.rel],
    };
    findings.retain(|f| settings.is_enabled(f.rule) && !settings.is_ignored(f.rule, files));
    let mut findings = restore(findings, settings, input.locale);
    finding::sort(&mut findings);
    findings
}

/// What a caught panic says, for the `io-error` finding and the log.
pub(crate) fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}
