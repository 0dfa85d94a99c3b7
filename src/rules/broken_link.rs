//! `broken-link`: a relative link's target file does not exist in the translation's tree
//! nor, as a fallback, in the source's.
//!
//! Targets are resolved lexically against the root-relative path; a target that would
//! leave the root is reported and never looked up. Sites, URLs and pure fragments are
//! not this rule's business.

use crate::finding::Finding;
use crate::rules::{Base, Cx, Files, Resolution};

pub fn check(cx: &Cx, acc: &mut Vec<Finding>) {
    let Some(files) = cx.files else { return };
    let cells = cx.tr.tables().flat_map(|t| &t.rows).flat_map(|r| &r.cells).flat_map(|c| &c.links);
    let targets = (cx.tr.links.iter().chain(&cx.tr.images).chain(cells))
        .map(|l| (l.target.as_str(), l.target_span))
        .chain(cx.tr.includes().map(|i| (i.path.as_str(), i.path_span)));
    // Both folders are taken apart once for all the page's links, and every target is
    // resolved into the same buffer.
    let (own, source) = (Base::of(files.translation), Base::of(files.source));
    let mut resolved = String::with_capacity(256);
    for (target, span) in targets {
        match own.resolve_into(target, &mut resolved) {
            Resolution::NotRelative => continue,
            Resolution::EscapesRoot => {
                acc.push(Finding::new(
                    "broken-link",
                    span,
                    format!("`{target}` points outside the repository root; it is not followed"),
                ));
                continue;
            }
            Resolution::Inside => {}
        }
        if exists(files, &resolved) {
            continue;
        }
        // Localized trees often hold only part of the pages; the site falls back to the
        // source language, so the source tree's file counts.
        let fallback = source.resolve(target);
        if fallback.as_deref().is_some_and(|f| exists(files, f)) {
            continue;
        }
        acc.push(
            Finding::new(
                "broken-link",
                span,
                format!(
                    "`{target}` does not exist (looked for `{resolved}`{})",
                    match &fallback {
                        Some(f) => format!(" and `{f}`"),
                        None => String::new(),
                    }
                ),
            )
            .with_help("fix the path, or create the page"),
        );
    }
}

/// Docs sites accept a link without `.md`, or to a folder with an index page.
pub fn exists(files: &Files, path: &str) -> bool {
    let ws = files.workspace;
    ws.exists(path)
        || (!path.ends_with(".md")
            && (ws.exists(&format!("{path}.md"))
                || ws.exists(&format!("{path}/index.md"))
                || ws.exists(&format!("{path}/_index.md"))))
}
