//! `broken-anchor`: a `#fragment` names no heading or explicit anchor in its target.

use crate::finding::Finding;
use crate::links::linked_page;
use crate::rules::Cx;

pub fn check(cx: &Cx, acc: &mut Vec<Finding>) {
    let cells = cx.tr.tables().flat_map(|t| &t.rows).flat_map(|r| &r.cells).flat_map(|c| &c.links);
    for link in cx.tr.links.iter().chain(cells) {
        let (target, span) = (link.target.as_str(), link.target_span);
        // Most links have no fragment: one byte search tells.
        let Some(hash) = memchr::memchr(b'#', target.as_bytes()) else { continue };
        let (path, fragment) = (&target[..hash], &target[hash + 1..]);
        if fragment.is_empty() {
            continue;
        }
        let found = if path.is_empty() {
            cx.tr.anchors.iter().any(|a| a.name.eq_ignore_ascii_case(fragment))
        } else {
            let Some(files) = cx.files else { continue };
            // A page of the tree: a relative path, a site path or the site's own URL,
            // as the site serves it (`links::page_file`); other hosts are not looked at.
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
            Finding::new("broken-anchor", span, format!("`#{fragment}` names no heading or anchor in {place}"))
                .with_help("translated headings get translated slugs; link to an explicit `<a name=\"…\">` anchor, which translation keeps")
                .with_key(format!("link:{target}")),
        );
    }
}
