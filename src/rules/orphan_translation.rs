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

/// The help of an orphan whose source git saw renamed to `source`: the `git mv` that
/// moves the translation `from` with it `to` (`moved_translation`).
pub fn moved_help(source: &Path, from: &Path, to: &Path) -> String {
    format!(
        "the source was renamed to `{}`; move the translation with it: `git mv {} {}`",
        source.display(),
        from.display(),
        to.display()
    )
}

/// Where a translation goes when its source moved from `expected` to `source_now`: the
/// translation and the old source share their last path components (`{path}` of the
/// layout); the new source's path after the source's own prefix, under the
/// translation's prefix. None when the new source is outside the source's folder.
pub fn moved_translation(translation: &str, expected: &str, source_now: &str) -> Option<String> {
    let (t, e): (Vec<&str>, Vec<&str>) = (translation.split('/').collect(), expected.split('/').collect());
    let shared = t.iter().rev().zip(e.iter().rev()).take_while(|(a, b)| a == b).count();
    if shared == 0 {
        return None;
    }
    let (t_prefix, e_prefix) = (&t[..t.len() - shared], &e[..e.len() - shared]);
    let now: Vec<&str> = source_now.split('/').collect();
    let rest = now.strip_prefix(e_prefix)?;
    Some(t_prefix.iter().chain(rest).copied().collect::<Vec<_>>().join("/"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_translation_follows_its_source_into_the_same_layout() {
        use super::moved_translation as m;
        assert_eq!(m("sv-se/a/x.md", "en-us/a/x.md", "en-us/b/y.md").as_deref(), Some("sv-se/b/y.md"));
        assert_eq!(
            m("content/ko/docs/x.md", "content/en/docs/x.md", "content/en/docs/z/x.md").as_deref(),
            Some("content/ko/docs/z/x.md")
        );
        assert_eq!(m("sv-se/x.md", "en-us/x.md", "other/x.md"), None);
    }
}
