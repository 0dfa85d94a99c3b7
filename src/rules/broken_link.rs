//! `broken-link`: a relative link's target file does not exist in the translation's tree
//! nor, as a fallback, in the source's.
//!
//! Targets are resolved lexically against the root-relative path, and for a URL-style
//! target (`../kubectl_cp/`) also against the page's URL as Hugo serves it; a target that
//! would leave the root is reported and never looked up. On a Docusaurus or Starlight
//! site, a site path (`/ko/docs/x`) and a relative URL (`../x`) are routes, looked up in
//! the folder the site serves them from (`rules::route`), as the site builds its URLs
//! from every page's name and front matter (`Workspace::served`): a page whose `slug:`,
//! `id:` or numbered prefix moves it is not at its file's path. Email addresses (`mailto:`,
//! `<a@b.org>`), other site paths, URLs and pure fragments are not this rule's business.

use crate::finding::{Finding, Span};
use crate::rules::{page_file, route, url_relative, url_style_link, Base, Cx, Files, Resolution, Routed, RuleId};

pub fn check(cx: &Cx, acc: &mut Vec<Finding>) {
    let Some(files) = cx.files else { return };
    // The translation's folder is taken apart once for all the page's links (the
    // source's only if a link needs the fallback), and every target is resolved into
    // the same buffer.
    let own = Base::of(files.translation);
    let source = std::cell::OnceCell::new();
    let mut resolved = String::with_capacity(256);
    let site = &cx.settings.site;
    let mut check = |target: &str, span: Span| {
        if crate::links::is_email(target) {
            return;
        }
        // A site path of a Docusaurus or Starlight site is a route: the folder its
        // locale and base are served from must hold the page.
        if !site.routes.is_empty() && target.starts_with('/') && !target.starts_with("//") {
            // A static file (`/img/x.png`) is served from `static/` or `public/`, which a
            // docs checkout often lacks: only pages are judged.
            let name = crate::links::split_path(target).0.rsplit('/').next().unwrap_or_default();
            let asset = name.rsplit_once('.').is_some_and(|(_, ext)| ext != "md" && ext != "mdx");
            if asset {
                return;
            }
            if let Routed::Missing { looked, moved } = route(files.workspace, files.translation, target, site) {
                let (message, help) = match moved {
                    Some(page) => (
                        format!(
                            "`{target}` is served from no page of the site: `{page}` is served at another URL, which \
                             its front matter or its file name gives it"
                        ),
                        "link the URL the page is served at",
                    ),
                    None => (
                        format!("`{target}` is served from no page of the site (looked for `{}`)", looked.join("` and `")),
                        "fix the path, or create the page",
                    ),
                };
                acc.push(
                    Finding::new(RuleId::BrokenLink, span, message)
                        .with_help(help)
                        .with_key(format!("link:{target}")),
                );
            }
            return;
        }
        match own.resolve_into(target, &mut resolved) {
            Resolution::NotRelative => return,
            Resolution::EscapesRoot => {
                acc.push(
                    Finding::new(
                        RuleId::BrokenLink,
                        span,
                        format!("`{target}` points outside the repository root; it is not followed"),
                    )
                    .with_key(format!("link:{target}")),
                );
                return;
            }
            Resolution::Inside => {}
        }
        if exists(files, &resolved) {
            return;
        }
        // A URL-style link (`../kubectl_cp/`) resolves against the page's URL on Hugo.
        let ws = files.workspace;
        if page_file(ws, files.translation, target, site).is_some()
            || page_file(ws, files.source, target, site).is_some()
        {
            return;
        }
        // Localized trees often hold only part of the pages; the site falls back to the
        // source language, so the source tree's file counts.
        let fallback = source.get_or_init(|| Base::of(files.source)).resolve(target);
        if fallback.as_deref().is_some_and(|f| exists(files, f) || site.is_generated(f)) || site.is_generated(&resolved)
        {
            return;
        }
        // A relative URL on a site of routes reaches what its routes cannot judge (a
        // generated page, a blog post, a static file).
        if url_style_link(target)
            && url_relative(files.translation, target, site)
                .iter()
                .any(|url| route(ws, files.translation, url, site) == Routed::Unknown)
        {
            return;
        }
        acc.push(
            Finding::new(
                RuleId::BrokenLink,
                span,
                format!(
                    "`{target}` does not exist (looked for `{resolved}`{})",
                    match &fallback {
                        Some(f) => format!(" and `{f}`"),
                        None => String::new(),
                    }
                ),
            )
            .with_help("fix the path, or create the page")
            .with_key(format!("link:{target}")),
        );
    };
    // Plain loops rather than a chain of nested iterators: this visits every link of
    // every translation.
    for l in cx.tr.links.iter().chain(&cx.tr.images) {
        check(&l.target, l.target_span);
    }
    for table in cx.tr.tables() {
        for row in &table.rows {
            for cell in &row.cells {
                for l in &cell.links {
                    check(&l.target, l.target_span);
                }
            }
        }
    }
    for include in cx.tr.includes() {
        check(&include.path, include.path_span);
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
