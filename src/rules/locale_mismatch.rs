//! `locale-mismatch`: the front-matter locale disagrees with the locale of the file's tree.

use crate::finding::Finding;
use crate::rules::{Cx, RuleId};

/// Front-matter keys that state a page's language, by docs platform.
const KEYS: &[&str] = &["ms.contentlocale", "lang", "locale", "language"];

pub fn check(cx: &Cx, acc: &mut Vec<Finding>) {
    for key in KEYS {
        let Some(entry) = cx.tr.front_matter.get(key) else { continue };
        if entry.value.trim().is_empty() || agree(&entry.value, cx.locale) {
            continue;
        }
        acc.push(
            Finding::new(
                RuleId::LocaleMismatch,
                entry.span,
                format!("`{key}: {}` but the file is in the {} tree", entry.value, cx.locale),
            )
            .with_help("the page was copied from another locale, or its metadata was")
            .with_key(format!("front-matter:{key}")),
        );
    }
}

/// Whether a stated locale agrees with the tree's, compared as trimmed, lower-case and
/// with `-` for `_`: `sv` in the front matter of an `sv-se` tree (or the reverse) is the
/// same language written at another precision, not a mismatch. Compared byte by byte
/// without building the normalized strings, since every translation states its locale.
fn agree(stated: &str, tree: &str) -> bool {
    fn normalized(l: &str) -> impl Iterator<Item = u8> + '_ {
        l.trim().bytes().map(|b| if b == b'_' { b'-' } else { b.to_ascii_lowercase() })
    }
    let primary = |l| normalized(l).take_while(|&b| b != b'-');
    let precise = |l| normalized(l).any(|b| b == b'-');
    normalized(stated).eq(normalized(tree)) || primary(stated).eq(primary(tree)) && (!precise(stated) || !precise(tree))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normalize(locale: &str) -> String {
        locale.trim().to_ascii_lowercase().replace('_', "-")
    }

    /// The comparison in place agrees with comparing the normalized strings.
    #[test]
    fn locales_agree_as_normalized_strings_do() {
        use proptest::prelude::*;
        let slow = |stated: &str, tree: &str| {
            let (stated, tree) = (normalize(stated), normalize(tree));
            stated == tree
                || stated.split('-').next() == tree.split('-').next() && (!stated.contains('-') || !tree.contains('-'))
        };
        let piece = prop::sample::select(vec!["sv", "SV", "se", "-", "_", " ", "en", "US", "ä", "Ä", "zh", "hant"]);
        let locale = prop::collection::vec(piece, 0..5).prop_map(|p| p.concat());
        let mut runner = proptest::test_runner::TestRunner::default();
        runner
            .run(&(locale.clone(), locale), |(a, b)| {
                prop_assert_eq!(agree(&a, &b), slow(&a, &b), "{:?} {:?}", a, b);
                Ok(())
            })
            .expect("the comparisons agree");
    }
}
