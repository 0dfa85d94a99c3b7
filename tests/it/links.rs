//! Links and anchors as a localized site sees them (issue 20): the spellings of one page,
//! heading ids in each site's style, and fixes that never leave a page worse, on the
//! link fixtures and on real corpora.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::{corpus, root};

/// A Markdown link's destination in a finding's message, up to its `)` or the quote's cut.
static LINK_TARGET: std::sync::LazyLock<regex::Regex> =
    std::sync::LazyLock::new(|| regex::Regex::new(r"\]\([^)\s]*\)?").expect("valid"));

/// `check --format json` run in `dir` (paths in the output relative to it).
fn findings_in(dir: &Path, args: &[&str]) -> Vec<Value> {
    let out = crate::locdrift()
        .current_dir(dir)
        .args(["check", "--no-cache", "--format", "json"])
        .args(args)
        .arg(".")
        .output()
        .expect("runs");
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    let doc: Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("JSON from {}: {e}\n{}", dir.display(), String::from_utf8_lossy(&out.stderr)));
    doc["findings"].as_array().expect("findings").clone()
}

fn line(f: &Value) -> String {
    let fix = match &f["fix"] {
        Value::Null => String::new(),
        fix => {
            format!(" [fix {} -> `{}`]", fix["applicability"].as_str().unwrap(), fix["replacement"].as_str().unwrap())
        }
    };
    format!(
        "{}:{}:{} {} ({}) {}{fix}",
        f["file"].as_str().unwrap(),
        f["line"],
        f["column"],
        f["rule"].as_str().unwrap(),
        f["kind"].as_str().unwrap(),
        f["message"].as_str().unwrap()
    )
}

/// A Hugo site (baseURL, blackfriday ids) whose Japanese page links every page the way
/// the site serves it: `/ja/docs/x/` for `/docs/x/`, the site's own URL, `x/` for `x.md`,
/// `_index.md` for the section, translated fragments, an email autolink and `mailto:`.
/// Only the link that really points elsewhere (ingress for services) is reported.
#[test]
fn one_page_many_spellings() {
    let dir = root().join("fixtures/links/hugo");
    let found: Vec<String> = findings_in(&dir, &[]).iter().map(line).collect();
    insta::assert_snapshot!("links__hugo_spellings", found.join("\n"));
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].contains("stale-link") && found[0].contains("/ja/docs/concepts/ingress/"), "{found:#?}");
}

/// For each heading-id style, the translation's in-page links by the ids that style
/// gives its translated headings (repeats, explicit `{#id}`, `{ #id }`, `<a name>` and
/// `<a id>` included) are clean; the one link by another style's id is a broken anchor
/// and a stale link whose safe fix names the translated heading.
#[test]
fn heading_ids_in_each_sites_style() {
    let styles = ["github", "goldmark", "github-ascii", "blackfriday", "mkdocs"];
    let mut all = Vec::new();
    for style in styles {
        let dir = root().join(format!("fixtures/links/ids-{style}"));
        let found = findings_in(&dir, &[]);
        let rules: Vec<&str> = found.iter().map(|f| f["rule"].as_str().unwrap()).collect();
        assert_eq!(rules, ["broken-anchor", "stale-link"], "{style}: {found:#?}");
        assert!(found.iter().all(|f| f["line"] == 4 && f["column"] == 76), "{style}: the wrong link only");
        let fix = &found[1]["fix"];
        assert_eq!(fix["applicability"], "safe", "{style}");
        let text = std::fs::read_to_string(dir.join("de-de/page.md")).unwrap();
        let first_link = text.lines().nth(2).unwrap();
        let right = fix["replacement"].as_str().unwrap();
        assert!(first_link.contains(&format!("]({right})")), "{style}: the fix names the translated heading, {right}");
        all.push(format!("{style}:\n{}", found.iter().map(line).collect::<Vec<_>>().join("\n")));
    }
    insta::assert_snapshot!("links__heading_id_styles", all.join("\n\n"));
}

/// Docusaurus and Starlight serve pages at routes: `/ko/docs/x` is the Korean page or,
/// untranslated, the English one; a category's `guides/guides.md` is served at
/// `/docs/guides`; `./guides/setup` is a URL relative to the page's; Docusaurus looks
/// `intro.md` up from the docs folder too; a static file is not judged; a page with a
/// numbered prefix (`01-basics/02-install.md`, served at `basics/install`) is not judged
/// missing. Only the link to the removed page is broken.
#[test]
fn docusaurus_and_starlight_routes() {
    let mut all = Vec::new();
    for site in ["docusaurus", "starlight"] {
        let dir = root().join(format!("fixtures/links/{site}"));
        let found = findings_in(&dir, &["--select", "broken-link,broken-anchor"]);
        // The page of routes that front matter moves has a test of its own.
        let lines: Vec<String> =
            found.iter().filter(|f| !f["file"].as_str().unwrap().ends_with("/routes.md")).map(line).collect();
        assert_eq!(lines.len(), 1, "{site}: {lines:#?}");
        assert!(lines[0].contains("broken-link") && lines[0].contains("/removed"), "{site}: {lines:#?}");
        all.push(format!("{site}:\n{}", lines.join("\n")));
    }
    insta::assert_snapshot!("links__routes", all.join("\n\n"));
}

/// Docusaurus serves a page where its front matter and name say (issue 20): at its
/// absolute `slug:` (`/docs/configuration`), its relative one (`reference/command-line`),
/// its `id:` (`reference/api`), its path without numbered prefixes (`02-tutorials/
/// 01-first-steps.md` at `tutorials/first-steps`), and a translation at its own
/// translated `slug:` (`/ko/docs/구성`). The Korean page links each as the site serves
/// it, and the file path of the source's link too: nothing is broken, stale, missing or
/// extra there. Each page's file path is no URL of the site: those five links are
/// broken, and each says which page the site moved (the English `/docs/configuration`
/// is not Korean, whose page moved to `/ko/docs/구성`). Starlight's `slug:` (from the
/// collection's root: `en/configuration`) moves a page the same way.
#[test]
fn front_matter_and_numbered_prefixes_move_pages() {
    let mut all = Vec::new();
    for (site, broken) in [("docusaurus", &[8, 9, 10, 11, 12][..]), ("starlight", &[6][..])] {
        let dir = root().join(format!("fixtures/links/{site}"));
        let found: Vec<Value> = findings_in(&dir, &["--ignore", "stale-translation"])
            .into_iter()
            .filter(|f| f["file"].as_str().unwrap().ends_with("/routes.md"))
            .collect();
        let lines: Vec<String> = found.iter().map(line).collect();
        assert!(found.iter().all(|f| f["rule"] == "broken-link"), "{site}: {lines:#?}");
        let at: Vec<i64> = found.iter().map(|f| f["line"].as_i64().unwrap()).collect();
        assert_eq!(at, broken, "{site}: only the file paths of moved pages: {lines:#?}");
        let moved = |f: &Value| f["message"].as_str().unwrap().contains("is served at another URL");
        assert!(found.iter().all(moved), "{site}: {lines:#?}");
        all.push(format!("{site}:\n{}", lines.join("\n")));
    }
    insta::assert_snapshot!("links__front_matter_routes", all.join("\n\n"));
}

/// MDX pages (Starlight) with headings right after JSX tags (`<Box>` over `## Checklist`,
/// `<Steps>` over `## Last step`) and after tabs whose fences are indented inside the
/// component: MDX sees every heading, so the translated in-page links are neither broken
/// nor stale and no code block is misread. A Markdown page stays CommonMark: its heading
/// inside `<div>` is part of the HTML block, and the link to it is broken.
#[test]
fn headings_after_jsx_tags_in_mdx_pages() {
    let dir = root().join("fixtures/links/mdx");
    // Every rule but the one that reads the fixture's git history.
    let found = findings_in(&dir, &["--ignore", "stale-translation"]);
    let lines: Vec<String> = found.iter().map(line).collect();
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(
        lines[0].contains("plain.md") && lines[0].contains("broken-anchor") && lines[0].contains("#inside"),
        "{lines:#?}"
    );
}

/// A translation links the localized page of another site (MDN's `/es/docs/…` with its
/// Spanish fragment, `ko.vite.dev`, `cn.vite.dev` for zh-cn, `?lang=`, a page MDN moved
/// within its tree, `x` for `x.html`) and its own page spelled as a path: none of these
/// is stale. Another page of the same site is.
#[test]
fn localized_pages_of_other_sites_are_not_stale() {
    let dir = tempfile::tempdir().unwrap();
    crate::write_file(
        &dir.path().join("locdrift.yaml"),
        "source-locale: en\nlayout:\n  source: \"docs/en/{path}\"\n  translation: \"docs/{locale}/{path}\"\n",
    );
    let en = "# Fetch\n\n## Options\n\n\
        - [fetch](https://developer.mozilla.org/en-US/docs/Web/API/Response/Response#options)\n\
        - [env](https://vite.dev/guide/env-and-mode.html#env-files)\n\
        - [Preact](https://preactjs.com/)\n\
        - [Vary](https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Vary)\n\
        - [onMounted](https://vuejs.org/api/composition-api-lifecycle.html#onmounted)\n\
        - [options](#options)\n\
        - [import](https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Statements/import)\n\
        - [Claude](https://support.anthropic.com/en/articles/10168395-setting-up-integrations#h_cd)\n";
    let tr = |locale: &str, host: &str| {
        format!(
            "# Fetch\n\n## Opciones\n\n\
            - [fetch](https://developer.mozilla.org/{locale}/docs/Web/API/Response/Response#opciones)\n\
            - [env](https://{host}.vite.dev/guide/env-and-mode.html#archivos-env)\n\
            - [Preact](https://preactjs.com/?lang={locale})\n\
            - [Vary](https://developer.mozilla.org/{locale}/docs/Web/HTTP/Reference/Headers/Vary)\n\
            - [onMounted](https://{host}.vuejs.org/api/composition-api-lifecycle#onmounted)\n\
            - [opciones](/{locale}/page/#opciones)\n\
            - [import](https://developer.mozilla.org/{locale}/docs/Web/JavaScript/Reference/Statements/export)\n\
            - [Claude](https://support.anthropic.com/{locale}/articles/10168395-configuracion#h_cd)\n"
        )
    };
    crate::write_file(&dir.path().join("docs/en/page.md"), en);
    crate::write_file(&dir.path().join("docs/es/page.md"), tr("es", "es"));
    crate::write_file(&dir.path().join("docs/zh-cn/page.md"), tr("zh-cn", "cn"));
    let stale: Vec<String> = findings_in(dir.path(), &["--select", "stale-link"])
        .iter()
        .map(|f| format!("{} {}", f["file"].as_str().unwrap(), f["message"].as_str().unwrap()))
        .collect();
    assert_eq!(stale.len(), 2, "only `export` for `import`, in each locale: {stale:#?}");
    assert!(stale.iter().all(|m| m.contains("Statements/export")), "{stale:#?}");
}

/// Every finding of a run, by (file, rule, message), with how often it occurs.
fn tally(findings: &[Value]) -> BTreeMap<(String, String, String), usize> {
    let mut out = BTreeMap::new();
    for f in findings {
        // A message that quotes a block quotes its links as written, which a fix changes.
        let message = LINK_TARGET.replace_all(f["message"].as_str().unwrap(), "](…)").into_owned();
        let key = (f["file"].as_str().unwrap().to_string(), f["rule"].to_string(), message);
        *out.entry(key).or_default() += 1;
    }
    out
}

/// Every file of a tree and its bytes.
fn snapshot_tree(dir: &Path) -> BTreeMap<std::path::PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                todo.push(e.path());
            } else {
                out.insert(e.path(), std::fs::read(e.path()).unwrap());
            }
        }
    }
    out
}

/// `check --fix` (then `--fix --unsafe-fixes`) on a copy of `tree`: afterwards `check`
/// shows no finding that was not there before and fewer in all, and a second run of the
/// same fix changes nothing. Returns how many findings the fixes removed.
fn fixes_leave_no_page_worse(tree: &Path, config: Option<&str>) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for mode in [&["--fix"][..], &["--fix", "--unsafe-fixes"][..]] {
        let tmp = tempfile::tempdir().unwrap();
        crate::copy_tree(tree, tmp.path());
        if let Some(config) = config {
            std::fs::write(tmp.path().join("locdrift.yaml"), config).unwrap();
        }
        let before = findings_in(tmp.path(), &[]);
        let fix = |dir: &Path| {
            let out = crate::locdrift().current_dir(dir).args(["check", "--no-cache"]).args(mode).arg(".").output();
            String::from_utf8(out.unwrap().stderr).unwrap()
        };
        let said = fix(tmp.path());
        let after = findings_in(tmp.path(), &[]);
        let (b, a) = (tally(&before), tally(&after));
        let new: Vec<_> = a.iter().filter(|(k, n)| b.get(*k).copied().unwrap_or(0) < **n).collect();
        assert!(new.is_empty(), "{} {mode:?}: new findings after the fix: {new:#?}", tree.display());
        if said.contains("fixed") {
            assert!(after.len() < before.len(), "{} {mode:?}: {said}", tree.display());
        } else {
            assert_eq!(after.len(), before.len());
        }
        let fixed_once = snapshot_tree(tmp.path());
        let again = fix(tmp.path());
        assert!(!again.contains("fixed"), "{} {mode:?}: a second fix changed files: {again}", tree.display());
        assert!(snapshot_tree(tmp.path()) == fixed_once, "{} {mode:?}: the second fix changed files", tree.display());
        out.push((before.len(), after.len()));
    }
    out
}

#[test]
fn fixes_never_leave_a_page_worse_on_the_seeds() {
    let counts = fixes_leave_no_page_worse(&root().join("fixtures/azure-ml"), None);
    assert!(counts[0].1 < counts[0].0, "the seeds' safe fixes apply: {counts:?}");
}

#[test]
fn fixes_never_leave_a_page_worse_on_hugo_k8s() {
    let Some(dir) = corpus("hugo-k8s") else { return };
    let counts = fixes_leave_no_page_worse(&dir, None);
    assert!(counts[0].1 < counts[0].0 && counts[1].1 < counts[1].0, "{counts:?}");
}

#[test]
fn fixes_never_leave_a_page_worse_on_docusaurus_kaia() {
    let Some(dir) = corpus("docusaurus-kaia") else { return };
    let layout = "layout:\n  source: docs/{path}\n  translation: i18n/{locale}/docusaurus-plugin-content-docs/current/{path}\nextensions: [md, mdx]\n";
    fixes_leave_no_page_worse(&dir, Some(layout));
}

#[test]
fn fixes_never_leave_a_page_worse_on_mkdocs_fastapi() {
    let Some(dir) = corpus("mkdocs-fastapi") else { return };
    fixes_leave_no_page_worse(&dir, None);
}

/// The Kubernetes tree as the site serves it: no `stale-link` between a `/{locale}/…`
/// link and its unprefixed source, nor between `https://kubernetes.io/…` and the site
/// path; no `broken-anchor` on an in-page fragment that is the blackfriday id of one of
/// the page's headings (`hugo.toml` says `autoHeadingIDType = "blackfriday"`).
#[test]
fn hugo_k8s_links_as_the_site_sees_them() {
    let Some(dir) = corpus("hugo-k8s") else { return };
    let found = findings_in(&dir, &["--select", "stale-link,broken-anchor"]);
    let stale: Vec<&Value> = found.iter().filter(|f| f["rule"] == "stale-link").collect();
    assert!(!stale.is_empty() && stale.len() < 450, "{} stale links (1,114 before issue 20)", stale.len());
    for f in &stale {
        let message = f["message"].as_str().unwrap();
        let locale = f["locale"].as_str().unwrap();
        let parts: Vec<&str> = message.split('`').collect();
        let (t, s) = (parts[1], parts[3]);
        let page = |x: &str| {
            let x = x.trim_start_matches("https://kubernetes.io").trim_end_matches('/');
            let x = x.strip_prefix(&format!("/{locale}/")).map_or(x.to_string(), |rest| format!("/{rest}"));
            x.to_lowercase()
        };
        assert_ne!(page(t), page(s), "the same page spelled two ways: {message}");
    }
    for f in found.iter().filter(|f| f["rule"] == "broken-anchor") {
        let message = f["message"].as_str().unwrap();
        if !message.ends_with("in this page") {
            continue;
        }
        let fragment = message.split('`').nth(1).unwrap().trim_start_matches('#');
        let text = std::fs::read_to_string(dir.join(f["file"].as_str().unwrap())).unwrap();
        let doc = locdrift::parse::parse_with_ids(&text, locdrift::slug::IdStyle::Blackfriday);
        let mut ids = locdrift::slug::Ids::new(locdrift::slug::IdStyle::Blackfriday);
        for h in doc.headings() {
            let id = ids.next(&h.text);
            assert!(!id.eq_ignore_ascii_case(fragment), "`#{fragment}` is the id of \"{}\": {message}", h.text);
        }
    }
}

/// Astro's English pages link `/en/x/#english-id` and its translations `/fr/x/#id-traduit`:
/// one page, each side with its own locale's prefix and the fragment of its own heading.
/// When the tree does not hold the linked page, nothing says the fragment is wrong.
#[test]
fn locale_prefixed_links_on_both_sides_with_translated_fragments_are_not_stale() {
    let dir = tempfile::tempdir().unwrap();
    let en = "# Imports\n\nSee [dynamic routes](/en/guides/routing/#dynamic-routes).\n";
    let fr = "# Importations\n\nVoir [les routes dynamiques](/fr/guides/routing/#routes-dynamiques).\n";
    let moved = "# Importations\n\nVoir [les routes dynamiques](/fr/guides/endpoints/#routes-dynamiques).\n";
    crate::write_file(
        &dir.path().join("locdrift.yaml"),
        "source-locale: en\nlayout:\n  source: \"docs/en/{path}\"\n  translation: \"docs/{locale}/{path}\"\n",
    );
    crate::write_file(&dir.path().join("docs/en/imports.md"), en);
    crate::write_file(&dir.path().join("docs/fr/imports.md"), fr);
    crate::write_file(&dir.path().join("docs/fr/other.md"), moved);
    crate::write_file(&dir.path().join("docs/en/other.md"), en);
    let stale: Vec<String> = findings_in(dir.path(), &["--select", "stale-link"])
        .iter()
        .map(|f| f["file"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(stale, ["docs/fr/other.md"], "only the link to another page is stale");
}
