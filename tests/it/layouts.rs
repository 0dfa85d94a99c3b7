//! Layout detection on the real corpora: every translation pairs with its source, with
//! no config (`check`) and with the config `init` writes; nothing is a false locale.

use std::collections::BTreeMap;
use std::path::Path;

use locdrift::discover::{self, WalkOptions};
use locdrift::pair::{self, Role};
use locdrift::site;

use crate::{locdrift, read};

/// Every corpus that is one site (azure-ml is a collection of versions).
const SITES: [&str; 9] = [
    "docfx-nuget",
    "docusaurus-kaia",
    "hugo-k8s",
    "mkdocs-fastapi",
    "starlight-astro",
    "starlight-self",
    "tldr",
    "vitepress-self",
    "vitepress-testutils",
];

/// The corpus' own list of its pages: path -> locale (`en` for a source).
fn manifest(dir: &Path) -> BTreeMap<String, String> {
    read(&dir.join("MANIFEST.tsv"))
        .lines()
        .skip(1)
        .filter_map(|line| {
            let mut cols = line.split('\t');
            let (locale, path) = (cols.next()?, cols.next()?);
            (path.ends_with(".md") || path.ends_with(".mdx")).then(|| (path.to_string(), locale.to_string()))
        })
        .collect()
}

/// Whether a locale as detected names the manifest's (`de-de` for `de-DE`, `pt_BR`).
fn same_locale(detected: &str, listed: &str) -> bool {
    detected.eq_ignore_ascii_case(listed) || detected.replace('_', "-").eq_ignore_ascii_case(&listed.replace('_', "-"))
}

/// Checks a plan of `dir` against its manifest: each listed source is a source, each
/// listed translation pairs with a source in its own locale, nothing else is a translation.
fn assert_pairs_as_listed(name: &str, dir: &Path, files: &[String], layout: &pair::Layout) {
    let listed = manifest(dir);
    let plan = pair::plan(layout, files, None);
    assert!(plan.orphans.is_empty(), "{name}: false orphans: {:?}", &plan.orphans[..plan.orphans.len().min(5)]);
    let mut paired: BTreeMap<&str, &str> = BTreeMap::new();
    for g in &plan.groups {
        assert_eq!(
            listed.get(&g.source).map(String::as_str),
            Some("en"),
            "{name}: {} is not an English page",
            g.source
        );
        for (locale, t) in &g.translations {
            paired.insert(t, locale);
        }
    }
    let mut translations = 0;
    for (path, locale) in &listed {
        if locale == "en" {
            assert_eq!(layout.classify(path), Role::Source { path: source_path(layout, path) }, "{name}: {path}");
            continue;
        }
        translations += 1;
        let found = paired.get(path.as_str()).unwrap_or_else(|| panic!("{name}: {path} ({locale}) is not paired"));
        assert!(same_locale(found, locale), "{name}: {path} is {locale}, detected as {found}");
    }
    assert_eq!(paired.len(), translations, "{name}: only the listed translations are translations");
    assert!(translations > 0, "{name}: the manifest lists translations");
}

fn source_path(layout: &pair::Layout, rel: &str) -> String {
    match layout.source.matches(rel) {
        Some((_, path)) => path,
        None => String::new(),
    }
}

#[test]
fn every_site_corpus_pairs_completely_without_config() {
    for name in SITES {
        let Some(dir) = crate::corpus(name) else { continue };
        let site = site::find(&dir);
        let mut extensions = vec!["md".to_string(), "markdown".to_string()];
        site::add_extensions(&mut extensions, site.as_ref());
        let found = discover::walk(&dir, &WalkOptions { extensions: &extensions, exclude: &[] });
        let detected = pair::detect_with(&dir, &found.files, site).unwrap_or_else(|| panic!("{name}: no layout"));
        assert_pairs_as_listed(name, &dir, &found.files, &detected.layout);
    }
}

#[test]
fn init_then_check_pairs_every_translation_of_each_site_corpus() {
    let mut seen = String::new();
    for name in SITES {
        let Some(dir) = crate::corpus(name) else { continue };
        let tmp = tempfile::tempdir().unwrap();
        crate::copy_tree(&dir, tmp.path());
        let out = locdrift().arg("init").arg(tmp.path()).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{name}: {}", String::from_utf8_lossy(&out.stderr));
        let config = read(&tmp.path().join("locdrift.yaml"));
        // What init decided, without the counts of its first comment line.
        let decided: Vec<&str> = config
            .lines()
            .filter(|l| {
                [
                    "# locdrift.yaml",
                    "source-locale:",
                    "  source:",
                    "  translation:",
                    "dialect:",
                    "locales:",
                    "extensions:",
                ]
                .iter()
                .any(|k| l.starts_with(k))
            })
            .collect();
        seen.push_str(&format!("== {name}\n{}\n", decided.join("\n")));

        let loaded = locdrift::config::load(&tmp.path().join("locdrift.yaml")).unwrap();
        let layout = loaded.layout.expect("init writes a layout");
        let found = discover::walk(tmp.path(), &WalkOptions { extensions: &loaded.extensions, exclude: &[] });
        assert_pairs_as_listed(name, tmp.path(), &found.files, &layout);

        let out = locdrift()
            .args(["check", "--no-cache", "--select", "orphan-translation", "--format", "json"])
            .arg(tmp.path())
            .output()
            .unwrap();
        let json: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{name}: {e}: {}", String::from_utf8_lossy(&out.stderr)));
        let translations = manifest(&dir).values().filter(|l| *l != "en").count() as u64;
        assert_eq!(json["summary"]["translations"], translations, "{name}: check pairs every translation");
        assert_eq!(json["summary"]["orphans"], 0, "{name}");
    }
    if !seen.is_empty() {
        insta::assert_snapshot!("init_on_site_corpora", seen);
    }
}

/// A tldr-style tree whose pages have the given names, each translation with one drift
/// (a number changed in its command).
fn tldr_tree(names: &[&str]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    for name in names {
        let page = |text: &str, n: u32| format!("# {name}\n\n> {text}\n\n- {text}:\n\n`{name} {n}`\n");
        crate::write_file(&tmp.path().join(format!("pages/common/{name}.md")), page("Run it", 1));
        crate::write_file(&tmp.path().join(format!("pages.de/common/{name}.md")), page("Lauf", 2));
    }
    crate::write_file(&tmp.path().join("README.md"), "# Pages\n");
    tmp
}

/// (stdout, stderr, exit code) of `locdrift ARGS` run in `dir`.
fn run_in(dir: &Path, args: &[&str]) -> (String, String, i32) {
    let out = locdrift().current_dir(dir).args(args).output().unwrap();
    (String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap(), out.status.code().unwrap_or(-1))
}

#[test]
fn dot_named_and_shell_special_pages_are_checked() {
    let names = ["..", "...", "!", "[", "[[", "$", "g++", "%", "ok"];
    let tmp = tldr_tree(&names);
    let (out, err, code) = run_in(tmp.path(), &["check", "--no-cache", "--format", "concise", "."]);
    assert_eq!(code, 1, "{err}");
    for name in names {
        let file = format!("pages.de/common/{name}.md:7:");
        assert!(out.lines().any(|l| l.starts_with(&file)), "{name}: not checked:\n{out}");
    }
    // Named on the command line, each is checked too.
    for name in names {
        let path = format!("pages.de/common/{name}.md");
        let (out, err, code) = run_in(tmp.path(), &["check", "--no-cache", "--format", "concise", &path]);
        assert_eq!((code, out.lines().count()), (1, 1), "{name}: {out}{err}");
    }
}

#[test]
fn a_path_without_subcommand_is_checked() {
    let tmp = tldr_tree(&["ls"]);
    let with = run_in(tmp.path(), &["check", "--no-cache", "--format", "concise", "."]);
    let without = run_in(tmp.path(), &["--no-cache", "--format", "concise", "."]);
    assert_eq!(with, without);
    assert_eq!(without.2, 1);
    // A subcommand's name still wins.
    let (out, _, code) = run_in(tmp.path(), &["rules"]);
    assert_eq!(code, 0);
    assert!(out.contains("orphan-translation"), "{out}");
}

#[test]
fn a_run_that_pairs_nothing_says_what_it_looked_for() {
    let tmp = tldr_tree(&[]);
    crate::write_file(&tmp.path().join("docs/x.md"), "# X\n");
    let config = "layout:\n  source: 'pages/{path}'\n  translation: 'pages.{locale}/{path}'\n";
    crate::write_file(&tmp.path().join("locdrift.yaml"), config);
    let (out, err, code) = run_in(tmp.path(), &["check", "--no-cache", "."]);
    assert_eq!((code, out.as_str()), (2, ""));
    insta::assert_snapshot!("nothing_paired_with_config", err);
    std::fs::remove_file(tmp.path().join("locdrift.yaml")).unwrap();
    let (_, err, code) = run_in(tmp.path(), &["check", "--no-cache", "."]);
    assert_eq!(code, 2);
    insta::assert_snapshot!("no_layout_detected", err);
}

#[test]
fn a_named_path_outside_every_pair_is_reported() {
    let tmp = tldr_tree(&["ls"]);
    let (out, err, code) = run_in(tmp.path(), &["check", "--no-cache", "--format", "concise", "README.md"]);
    assert_eq!((code, out.as_str()), (0, ""));
    assert_eq!(
        err,
        "locdrift: warning: README.md: not part of any source/translation pair (layout `pages/{path}` → \
         `pages.{locale}/{path}`); not checked\n"
    );
    // Beside a path that is checked, it is still reported.
    let (out, err, code) =
        run_in(tmp.path(), &["check", "--no-cache", "--format", "concise", "README.md", "pages.de/common/ls.md"]);
    assert_eq!((code, out.lines().count()), (1, 1), "{out}");
    assert!(err.contains("README.md: not part of any"), "{err}");
}

/// The Docusaurus blog is a second layout beside the docs (issue 22): `blog/{path}` with
/// `i18n/{locale}/docusaurus-plugin-content-blog/{path}`, found from the site's config by
/// `check` without a config, and named under `layout.also` by the config `init` writes.
#[test]
fn the_docusaurus_blog_pairs_beside_the_docs() {
    let fixture = crate::root().join("fixtures/layouts/docusaurus");
    let (out, err, code) = run_in(&fixture, &["check", "--no-cache", "--format", "concise", "."]);
    assert_eq!(code, 1, "{err}");
    let blog = "i18n/fr/docusaurus-plugin-content-blog/2024-05-01-release.md:12:4: note-kind-mismatch";
    assert!(out.lines().any(|l| l.starts_with(blog)), "the blog post pairs with its source:\n{out}");
    let orphan = "i18n/ja/docusaurus-plugin-content-blog/2023-12-01-old-post.md:1:1: orphan-translation";
    assert!(out.lines().any(|l| l.starts_with(orphan) && l.contains("`blog/2023-12-01-old-post.md`")), "{out}");
    assert_eq!(out.lines().count(), 2, "the docs page and the Japanese post agree:\n{out}");
    // A blog page named on the command line pulls in its translations.
    let (named, _, _) = run_in(&fixture, &["check", "--no-cache", "--format", "concise", "blog/2024-05-01-release.md"]);
    assert_eq!(named.lines().collect::<Vec<_>>(), vec![out.lines().next().unwrap()], "{named}");
    // `blog: false` in the preset: no blog layout.
    let tmp = tempfile::tempdir().unwrap();
    crate::copy_tree(&fixture, tmp.path());
    let config =
        read(&tmp.path().join("docusaurus.config.js")).replace("blog: { showReadingTime: true }", "blog: false");
    crate::write_file(&tmp.path().join("docusaurus.config.js"), &config);
    let (out, _, _) = run_in(tmp.path(), &["check", "--no-cache", "--format", "concise", "."]);
    assert!(!out.contains("docusaurus-plugin-content-blog"), "{out}");
}
