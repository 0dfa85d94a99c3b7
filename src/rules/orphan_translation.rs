//! `orphan-translation`: a localized file has no source file.

use std::path::Path;

use crate::rules::RuleId;
use crate::finding::{Finding, Span};


pub fn finding(expected_source: &Path) -> Finding {
    Finding::new(
        RuleId::OrphanTranslation,
        Span::new(0, 0),
        format!("no source file for this translation (expected `{}`)", expected_source.display()),
    )
    .with_help("the source was deleted, renamed or moved; delete the translation or move it with its source")
    .with_key("file")
}
