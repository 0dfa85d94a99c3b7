//! `broken-anchor`: a `#fragment` names no heading or explicit anchor in its target.

use crate::finding::{Finding, Span};
use crate::model::Doc;
use crate::rules::{linked_page, Cx, RuleId};

/// A link this rule judges: its target, its span, and the target split at `#`.
pub struct FragmentLink<'d> {
    pub target: &'d str,
    pub span: Span,
    /// Empty for a link into the same page.
    pub path: &'d str,
    pub fragment: &'d str,
}

/// The links of `doc` (prose and table cells) that name a fragment: what this rule
/// checks (a URL only when it is the site's own, `linked_page`), and what `check`
/// orders its work by.
pub fn fragment_links(doc: &Doc) -> impl Iterator<Item = FragmentLink<'_>> {
    let cells = doc.tables().flat_map(|t| &t.rows).flat_map(|r| &r.cells).flat_map(|c| &c.links);
    doc.links.iter().chain(cells).filter_map(|link| {
        let target = link.target.as_str();
        // Most links have no fragment: one byte search tells.
        let hash = memchr::memchr(b'#', target.as_bytes())?;
        let (path, fragment) = (&target[..hash], &target[hash + 1..]);
        (!fragment.is_empty()).then_some(FragmentLink {
            target,
            span: link.target_span,
            path,
            fragment,
        })
    })
}

pub fn check(cx: &Cx, acc: &mut Vec<Finding>) {
    for FragmentLink { target, span, path, fragment } in fragment_links(cx.tr) {
        let found = if path.is_empty() {
            cx.tr.anchors.iter().any(|a| a.name.eq_ignore_ascii_case(fragment))
        } else {
            let Some(files) = cx.files else { continue };
            // A page of the tree: a relative path, a site path or the site's own URL,
            // as the site serves it (`linked_page`); other hosts are not looked at.
            let page = linked_page(files, path, cx.locale, &cx.settings.site);
            // A target that cannot be read is `broken-link`'s finding, not this one.
            match page.and_then(|p| files.workspace.has_anchor(&p, fragment)) {
                Some(found) => found,
                None => continue,
            }
        };
        if found {
            continue;
        }
        let place = if path.is_empty() { "this page".to_string() } else { format!("`{path}`") };
        acc.push(
            Finding::new(RuleId::BrokenAnchor, span, format!("`#{fragment}` names no heading or anchor in {place}"))
                .with_help("translated headings get translated slugs; link to an explicit `<a name=\"…\">` anchor, which translation keeps")
                .with_key(format!("link:{target}")),
        );
    }
}
