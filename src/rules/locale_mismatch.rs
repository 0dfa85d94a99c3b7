//! `locale-mismatch`: the front-matter locale disagrees with the locale of the file's tree.

use crate::finding::Finding;
use crate::rules::Cx;

/// Front-matter keys that state a page's language, by docs platform.
const KEYS: &[&str] = &["ms.contentlocale", "lang", "locale", "language"];

pub fn check(cx: &Cx, acc: &mut Vec<Finding>) {
    for key in KEYS {
        let Some(entry) = cx.tr.front_matter.get(key) else { continue };
        let stated = normalize(&entry.value);
        let tree = normalize(cx.locale);
        // `sv` in the front matter of an `sv-se` tree (or the reverse) is the same language
        // written at another precision, not a mismatch.
        let same = stated == tree
            || stated.split('-').next() == tree.split('-').next() && (!stated.contains('-') || !tree.contains('-'));
        if stated.is_empty() || same {
            continue;
        }
        acc.push(
            Finding::new(
                "locale-mismatch",
                entry.span,
                format!("`{key}: {}` but the file is in the {} tree", entry.value, cx.locale),
            )
            .with_help("the page was copied from another locale, or its metadata was")
            .with_key(format!("front-matter:{key}")),
        );
    }
}

fn normalize(locale: &str) -> String {
    locale.trim().to_ascii_lowercase().replace('_', "-")
}
