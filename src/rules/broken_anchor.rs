//! `broken-anchor`: a `#fragment` names no heading or explicit anchor in its target.

use crate::finding::{Finding, Span};
use crate::rules::{resolve_relative, split_fragment, Cx};

pub fn check(cx: &Cx, acc: &mut Vec<Finding>) {
    let mut links: Vec<(&str, Span)> = cx.tr.links.iter().map(|l| (l.target.as_str(), l.target_span)).collect();
    for table in cx.tr.tables() {
        for row in &table.rows {
            for cell in &row.cells {
                links.extend(cell.links.iter().map(|l| (l.target.as_str(), l.target_span)));
            }
        }
    }
    for (target, span) in links {
        let (path, fragment) = split_fragment(target);
        if fragment.is_empty() || path.contains("://") {
            continue;
        }
        let anchors: Vec<String> = if path.is_empty() {
            cx.tr.anchors.iter().map(|a| a.name.clone()).collect()
        } else {
            let Some(files) = cx.files else { continue };
            if !path.ends_with(".md") {
                continue;
            }
            let own = resolve_relative(files.translation, target).and_then(|p| files.workspace.anchors(&p));
            let fallback = || resolve_relative(files.source, target).and_then(|p| files.workspace.anchors(&p));
            // A target that cannot be read is `broken-link`'s finding, not this one.
            match own.or_else(fallback) {
                Some(a) => a,
                None => continue,
            }
        };
        if anchors.iter().any(|a| a.eq_ignore_ascii_case(fragment)) {
            continue;
        }
        let place = if path.is_empty() { "this page".to_string() } else { format!("`{path}`") };
        acc.push(
            Finding::new("broken-anchor", span, format!("`#{fragment}` names no heading or anchor in {place}"))
                .with_help("translated headings get translated slugs; link to an explicit `<a name=\"…\">` anchor, which translation keeps"),
        );
    }
}
