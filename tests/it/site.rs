//! What `site::find` reads from the config files of the real corpora.

use std::fmt::Write;

use locdrift::site;

/// The site of a corpus, with paths relative to it.
fn describe(name: &str) -> Option<String> {
    let dir = crate::corpus(name)?.canonicalize().unwrap();
    let Some(site) = site::find(&dir) else { return Some("no site config".into()) };
    let rel = |p: &std::path::Path| locdrift::discover::to_slash(p.strip_prefix(&dir).unwrap());
    let mut out = String::new();
    writeln!(out, "kind: {}", site.kind).unwrap();
    writeln!(out, "config: {}", rel(&site.config_path)).unwrap();
    writeln!(out, "root: {}", rel(&site.root)).unwrap();
    writeln!(out, "default: {:?} (source locale {:?})", site.default_locale, site.source_locale()).unwrap();
    for l in &site.locales {
        let under = site.content_dir_under(l, &dir);
        writeln!(out, "locale: {} lang={:?} dir={:?}", l.key, l.lang, under).unwrap();
    }
    writeln!(out, "base_url: {:?}", site.base_url).unwrap();
    writeln!(out, "heading_ids: {:?}", site.heading_ids).unwrap();
    writeln!(out, "warnings: {:?}", site.warnings).unwrap();
    Some(out)
}

#[test]
fn corpus_site_configs() {
    for name in [
        "hugo-k8s",
        "docusaurus-kaia",
        "starlight-astro",
        "starlight-self",
        "vitepress-self",
        "vitepress-testutils",
        "mkdocs-fastapi",
        "tldr",
        "docfx-nuget",
    ] {
        let Some(text) = describe(name) else { continue };
        insta::assert_snapshot!(format!("site_{name}"), text);
    }
}
