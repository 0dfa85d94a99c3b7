//! Rule identities: the one rule table (`rule_table!`), and `RuleId` with each rule's
//! name, code and scope.
//!
//! The table is a macro that hands its lines to another macro, so that the identities
//! (here, needed by findings, settings and suppression comments) and the implementations
//! (`rules`, which needs all of those) are made from the same line without a circle
//! between the modules. Adding a rule is one line here plus its file in `src/rules/`
//! (and its catalog entry and fixtures; tidy tests check both).

/// Calls `$then!` with every rule, in catalog order: its typed id, its module in
/// `src/rules/`, its name (the stable id of JSON, SARIF and LSP output), its code and
/// which documents it needs.
macro_rules! rule_table {
    ($then:ident) => {
        $then! {
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
        BlockMissing,        block_missing,         "block-missing",         "LD405", Pair;
        BlockExtra,          block_extra,           "block-extra",           "LD406", Pair;
        CommandMismatch,     command_mismatch,      "command-mismatch",      "LD407", Pair;
        DirectiveMismatch,   directive_mismatch,    "directive-mismatch",    "LD408", Pair;
        StaleTranslation,    stale_translation,     "stale-translation",     "LD501", Pair;
        Untranslated,        untranslated,          "untranslated",          "LD502", Pair;
        MixedLanguage,       mixed_language,        "mixed-language",        "LD503", Translation;
        UntranslatedPage,    untranslated_page,     "untranslated-page",     "LD504", Pair;
        FrontMatterMismatch, front_matter_mismatch, "front-matter-mismatch", "LD601", Pair;
        FrontMatterInvalid,  front_matter_invalid,  "front-matter-invalid",  "LD602", Translation;
        IoError,             io_error,              "io-error",              "LD901", Tree;
        UnusedSuppression,   unused_suppression,    "unused-suppression",    "LD902", Suppressions;
        }
    };
}
pub(crate) use rule_table;

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

/// What identifies a rule, by `RuleId`.
struct Identity {
    name: &'static str,
    code: &'static str,
    scope: Scope,
}

macro_rules! declare_ids {
    ($($id:ident, $module:ident, $name:literal, $code:literal, $scope:ident;)*) => {
        /// A rule, by its place in the table.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum RuleId {
            $($id,)*
        }

        const IDS: &[RuleId] = &[$(RuleId::$id,)*];

        const IDENTITIES: &[Identity] = &[$(Identity { name: $name, code: $code, scope: Scope::$scope },)*];
    };
}
rule_table!(declare_ids);

impl RuleId {
    /// How many rules there are: the size of every per-rule table.
    pub const COUNT: usize = IDS.len();

    fn identity(self) -> &'static Identity {
        &IDENTITIES[self as usize]
    }

    /// The rule's name, e.g. `stale-link`.
    pub fn name(self) -> &'static str {
        self.identity().name
    }

    /// The rule's code, e.g. `LD301`.
    pub fn code(self) -> &'static str {
        self.identity().code
    }

    pub fn scope(self) -> Scope {
        self.identity().scope
    }

    /// The rule named `name` (a name, not a code).
    pub fn from_name(name: &str) -> Option<RuleId> {
        RuleId::all().find(|r| r.name() == name)
    }

    /// The rule with this name or code (any case), as suppression comments name them.
    pub(crate) fn from_name_or_code(text: &str) -> Option<RuleId> {
        RuleId::all().find(|r| r.name() == text || r.code().eq_ignore_ascii_case(text))
    }

    /// Every rule, in table order.
    pub fn all() -> impl Iterator<Item = RuleId> {
        IDS.iter().copied()
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
