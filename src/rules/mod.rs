//! The rule table (one line per rule) and the comparison context every rule reads.
//!
//! A rule is a plain function `fn check(cx: &Cx, acc: &mut Vec<Finding>)`: context first,
//! accumulator last, no I/O. What several rules need (table, row and link alignment) is
//! computed once in `Cx::new`.
//!
//! Adding a rule: its file `src/rules/<name>.rs` with a `check` function (none for a `Tree`
//! rule, which a driver reports), one line in `rules!` below, its entry in
//! `rules/catalog.yaml` (a tidy test keeps the two in step) and its fixture folder.

use crate::finding::Finding;

mod cx;
mod place;
mod targets;

pub use cx::{note_pairs, row_similarity, Cx, Files, LinkGroup, Peer, TablePair, Workspace};
pub use place::{first_line, insertion_point, key, line_end, line_start, next_line_start, row_name};
pub use targets::{escapes_root, normalize_target, resolve_relative, same_target, split_fragment, Base, Resolution};

/// Declares the rule modules, `RuleId` and `RULES` from one table, so a rule's id, name,
/// code and scope are written once.
macro_rules! rules {
    ($($id:ident, $module:ident, $name:literal, $code:literal, $scope:ident;)*) => {
        $(pub(crate) mod $module;)*

        /// A rule, by its place in `RULES`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum RuleId {
            $($id,)*
        }

        /// Every rule, in catalog order; `RULES[id as usize].id == id`.
        pub const RULES: &[Rule] = &[
            $(Rule { id: RuleId::$id, name: $name, code: $code, scope: Scope::$scope, check: check_fn!($scope, $module) },)*
        ];
    };
}

/// A `Tree` rule has no check function; every other rule's module has one.
macro_rules! check_fn {
    (Tree, $module:ident) => {
        None
    };
    ($scope:ident, $module:ident) => {
        Some($module::check)
    };
}

// Every rule, in catalog order: its typed id, its module, its name (the stable id of
// JSON, SARIF and LSP output), its code and which documents it needs.
rules! {
    MissingTranslation,  missing_translation,   "missing-translation",   "LD001", Tree;
    OrphanTranslation,   orphan_translation,    "orphan-translation",    "LD002", Tree;
    LocaleMismatch,      locale_mismatch,       "locale-mismatch",       "LD003", Translation;
    TableMissing,        table_missing,         "table-missing",         "LD101", Pair;
    TableExtra,          table_extra,           "table-extra",           "LD102", Pair;
    ColumnCount,         column_count,          "column-count",          "LD103", Pair;
    RowMissing,          row_missing,           "row-missing",           "LD104", Pair;
    RowExtra,            row_extra,             "row-extra",             "LD105", Pair;
    RowOrder,            row_order,             "row-order",             "LD106", Pair;
    FlagMismatch,        flag_mismatch,         "flag-mismatch",         "LD107", Pair;
    ValueMismatch,       value_mismatch,        "value-mismatch",        "LD108", Pair;
    NumberMismatch,      number_mismatch,       "number-mismatch",       "LD109", Pair;
    MarkerMismatch,      marker_mismatch,       "marker-mismatch",       "LD110", Pair;
    UnknownVocabulary,   unknown_vocabulary,    "unknown-vocabulary",    "LD111", Pair;
    MissingNote,         missing_note,          "missing-note",          "LD201", Pair;
    ExtraNote,           extra_note,            "extra-note",            "LD202", Pair;
    NoteKindMismatch,    note_kind_mismatch,    "note-kind-mismatch",    "LD203", Pair;
    StaleLink,           stale_link,            "stale-link",            "LD301", Pair;
    MissingLink,         missing_link,          "missing-link",          "LD302", Pair;
    ExtraLink,           extra_link,            "extra-link",            "LD303", Pair;
    BrokenLink,          broken_link,           "broken-link",           "LD304", Translation;
    BrokenAnchor,        broken_anchor,         "broken-anchor",         "LD305", Translation;
    IncludeMismatch,     include_mismatch,      "include-mismatch",      "LD401", Pair;
    HeadingMismatch,     heading_mismatch,      "heading-mismatch",      "LD402", Pair;
    CodeMismatch,        code_mismatch,         "code-mismatch",         "LD403", Pair;
    ImageMismatch,       image_mismatch,        "image-mismatch",        "LD404", Pair;
    StaleTranslation,    stale_translation,     "stale-translation",     "LD501", Pair;
    Untranslated,        untranslated,          "untranslated",          "LD502", Pair;
    MixedLanguage,       mixed_language,        "mixed-language",        "LD503", Translation;
    FrontMatterMismatch, front_matter_mismatch, "front-matter-mismatch", "LD601", Pair;
    FrontMatterInvalid,  front_matter_invalid,  "front-matter-invalid",  "LD602", Translation;
    IoError,             io_error,              "io-error",              "LD901", Tree;
    UnusedSuppression,   unused_suppression,    "unused-suppression",    "LD902", Suppressions;
}

/// Which documents a rule needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Compares a translation with its source.
    Pair,
    /// Looks at the translation alone; also runs on orphans.
    Translation,
    /// Reported by the driver about files, not documents (I/O, pairing).
    Tree,
    /// Judges the translation's suppression comments; runs after the others, once the
    /// suppressions have been applied to their findings.
    Suppressions,
}

/// A rule's row in the table.
pub struct Rule {
    pub id: RuleId,
    pub name: &'static str,
    pub code: &'static str,
    pub scope: Scope,
    /// `None` for `Tree` rules, whose findings a driver makes.
    pub check: Option<fn(&Cx, &mut Vec<Finding>)>,
}

impl RuleId {
    /// How many rules there are: the size of every per-rule table.
    pub const COUNT: usize = RULES.len();

    pub fn rule(self) -> &'static Rule {
        &RULES[self as usize]
    }

    /// The rule's name, e.g. `stale-link`.
    pub fn name(self) -> &'static str {
        self.rule().name
    }

    /// The rule's code, e.g. `LD301`.
    pub fn code(self) -> &'static str {
        self.rule().code
    }

    pub fn scope(self) -> Scope {
        self.rule().scope
    }

    /// The rule named `name` (a name, not a code).
    pub fn from_name(name: &str) -> Option<RuleId> {
        RULES.iter().find(|r| r.name == name).map(|r| r.id)
    }

    /// Every rule, in table order.
    pub fn all() -> impl Iterator<Item = RuleId> {
        RULES.iter().map(|r| r.id)
    }
}

impl std::fmt::Display for RuleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl PartialEq<str> for RuleId {
    fn eq(&self, other: &str) -> bool {
        self.name() == other
    }
}

impl PartialEq<&str> for RuleId {
    fn eq(&self, other: &&str) -> bool {
        self.name() == *other
    }
}

impl serde::Serialize for RuleId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}
