//! `missing-translation`: a source file has no counterpart in a locale (off by default).

use std::path::Path;

use crate::rules::RuleId;
use crate::finding::{Finding, Span};


pub fn finding(locale: &str, expected: &Path) -> Finding {
    Finding::new(
        RuleId::MissingTranslation,
        Span::new(0, 0),
        format!("no {locale} translation of this file (expected `{}`)", expected.display()),
    )
    .with_key(format!("file:{locale}"))
}
