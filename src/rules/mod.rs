//! The rule table (one line per rule) and the comparison context every rule reads.
//!
//! A rule is a plain function `fn check(cx: &Cx, acc: &mut Vec<Finding>)`: context first,
//! accumulator last, no I/O. What several rules need (table, row and link alignment) is
//! computed once in `Cx::new`.

use crate::finding::Finding;

mod cx;
mod place;
mod targets;

pub use cx::{certain_pairing, note_pairs, row_similarity, Cx, Files, LinkGroup, Peer, TablePair, Workspace};
pub use heading_mismatch::heading_pairs;
pub use place::{first_line, insertion_point, key, line_end, line_start, next_line_start, row_name};
pub use targets::{escapes_root, normalize_target, resolve_relative, same_target, split_fragment, Base, Resolution};

mod broken_anchor;
mod broken_link;
mod code_mismatch;
mod column_count;
mod extra_link;
mod extra_note;
mod flag_mismatch;
mod front_matter_invalid;
mod front_matter_mismatch;
mod heading_mismatch;
mod image_mismatch;
mod include_mismatch;
pub mod io_error;
mod locale_mismatch;
mod marker_mismatch;
mod missing_link;
mod missing_note;
pub mod missing_translation;
mod mixed_language;
mod note_kind_mismatch;
mod number_mismatch;
pub mod orphan_translation;
mod row_extra;
mod row_missing;
mod row_order;
mod stale_link;
pub mod stale_translation;
mod table_extra;
mod table_missing;
mod unknown_vocabulary;
mod untranslated;
pub mod unused_suppression;
mod value_mismatch;

/// Which documents a rule needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Compares a translation with its source.
    Pair,
    /// Looks at the translation alone; also runs on orphans.
    Translation,
    /// Reported by the driver about files, not documents (I/O, pairing).
    Tree,
    /// Judges the translation's suppression comments; runs after the others, once
    /// `lint_docs` has applied the suppressions to their findings.
    Suppressions,
}

pub struct Rule {
    pub name: &'static str,
    pub scope: Scope,
    pub check: Option<fn(&Cx, &mut Vec<Finding>)>,
}

const fn rule(name: &'static str, scope: Scope, check: fn(&Cx, &mut Vec<Finding>)) -> Rule {
    Rule { name, scope, check: Some(check) }
}

const fn tree(name: &'static str) -> Rule {
    Rule { name, scope: Scope::Tree, check: None }
}

/// Every rule, in catalog order.
pub const RULES: &[Rule] = &[
    tree(missing_translation::NAME),
    tree(orphan_translation::NAME),
    rule("locale-mismatch", Scope::Translation, locale_mismatch::check),
    rule("table-missing", Scope::Pair, table_missing::check),
    rule("table-extra", Scope::Pair, table_extra::check),
    rule("column-count", Scope::Pair, column_count::check),
    rule("row-missing", Scope::Pair, row_missing::check),
    rule("row-extra", Scope::Pair, row_extra::check),
    rule("row-order", Scope::Pair, row_order::check),
    rule("flag-mismatch", Scope::Pair, flag_mismatch::check),
    rule("value-mismatch", Scope::Pair, value_mismatch::check),
    rule("number-mismatch", Scope::Pair, number_mismatch::check),
    rule("marker-mismatch", Scope::Pair, marker_mismatch::check),
    rule("unknown-vocabulary", Scope::Pair, unknown_vocabulary::check),
    rule("missing-note", Scope::Pair, missing_note::check),
    rule("extra-note", Scope::Pair, extra_note::check),
    rule("note-kind-mismatch", Scope::Pair, note_kind_mismatch::check),
    rule("stale-link", Scope::Pair, stale_link::check),
    rule("missing-link", Scope::Pair, missing_link::check),
    rule("extra-link", Scope::Pair, extra_link::check),
    rule("broken-link", Scope::Translation, broken_link::check),
    rule("broken-anchor", Scope::Translation, broken_anchor::check),
    rule("include-mismatch", Scope::Pair, include_mismatch::check),
    rule("heading-mismatch", Scope::Pair, heading_mismatch::check),
    rule("code-mismatch", Scope::Pair, code_mismatch::check),
    rule("image-mismatch", Scope::Pair, image_mismatch::check),
    rule("stale-translation", Scope::Pair, stale_translation::check),
    rule("untranslated", Scope::Pair, untranslated::check),
    rule("mixed-language", Scope::Translation, mixed_language::check),
    rule("front-matter-mismatch", Scope::Pair, front_matter_mismatch::check),
    rule("front-matter-invalid", Scope::Translation, front_matter_invalid::check),
    tree(io_error::NAME),
    rule(unused_suppression::NAME, Scope::Suppressions, unused_suppression::check),
];

pub fn get(name: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.name == name)
}
