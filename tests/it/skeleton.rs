//! The skeleton on real corpora (issue 19): a page compared with itself gives no finding,
//! removing one block gives exactly one finding that names it at its place, and constructs
//! dropped or changed in real translations are reported with their rule and line.

use std::path::{Path, PathBuf};

use locdrift::dialect::Dialect;
use locdrift::rules::RuleId;
use locdrift::settings::Settings;
use locdrift::skeleton;

/// Each corpus: its name, dialect and the folder of its source pages.
const CORPORA: &[(&str, &str, &str)] = &[
    ("azure-ml", "docfx", "en-us"),
    ("docfx-nuget", "docfx", "docs.microsoft.com-nuget/docs"),
    ("docusaurus-kaia", "docusaurus", "docs"),
    ("hugo-k8s", "hugo", "content/en"),
    ("mkdocs-fastapi", "mkdocs", "docs/en/docs"),
    ("starlight-astro", "starlight", "src/content/docs/en"),
    ("starlight-self", "starlight", "docs/src/content/docs"),
    ("tldr", "tldr", "pages"),
    ("vitepress-self", "vitepress", "docs/en"),
    ("vitepress-testutils", "vitepress", "docs"),
];

/// Pages per corpus the properties are checked on: an even spread, so the test stays fast.
const SAMPLE: usize = 8;

fn pages(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "md" || x == "mdx") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn sample(dir: &Path) -> Vec<PathBuf> {
    let all = pages(dir);
    let step = (all.len() / SAMPLE).max(1);
    all.into_iter().step_by(step).take(SAMPLE).collect()
}

fn settings(dialect: &str, rules: &[&str]) -> Settings {
    let id = |name: &str| RuleId::from_name(name).unwrap_or_else(|| panic!("no rule {name}"));
    let mut s = Settings::only(id(rules[0]));
    for r in &rules[1..] {
        s.set_enabled(id(r), true);
    }
    s.dialect = Dialect::get(dialect).unwrap();
    s
}

fn line_of(text: &str, at: usize) -> usize {
    text[..at].matches('\n').count() + 1
}

#[test]
fn a_page_compared_with_itself_gives_no_finding() {
    for &(name, dialect, src) in CORPORA {
        let Some(root) = crate::corpus(name) else { return };
        let mut s = Settings::default();
        s.dialect = Dialect::get(dialect).unwrap();
        for page in sample(&root.join(src)) {
            let text = std::fs::read_to_string(&page).unwrap();
            // "en": a translation in the source's language, where identical text is expected.
            let mut findings = locdrift::lint_pair(&text, &text, "en", &s);
            // Defects of the page alone (an anchor it names, unclosed front matter) are
            // reported whatever it is compared with.
            findings.retain(|f| f.rule.scope() == locdrift::rules::Scope::Pair);
            assert!(findings.is_empty(), "{}: {findings:#?}", page.display());
        }
    }
}

#[test]
fn removing_one_block_gives_one_finding_at_its_place() {
    let rules = ["block-missing", "block-extra", "untranslated-page"];
    for &(name, dialect, src) in CORPORA {
        let Some(root) = crate::corpus(name) else { return };
        let s = settings(dialect, &rules);
        let d = Dialect::get(dialect).unwrap();
        let mut checked = 0;
        for page in sample(&root.join(src)) {
            let text = std::fs::read_to_string(&page).unwrap();
            let sk = skeleton::build(&text, d);
            let sigs = sk.signatures(&text, d);
            for (i, b) in sk.blocks.iter().enumerate() {
                // Blocks other rules own, and ones whose removal would join their
                // neighbours into another block (a line of a paragraph, a list item's
                // tail), are not this property's.
                if !b.is_skeleton_finding(&text) || b.inline || i == 0 {
                    continue;
                }
                // Whole lines, `>` prefixes included.
                let start = text[..b.span.start].rfind('\n').map_or(0, |k| k + 1);
                let end = text[b.span.end..].find('\n').map_or(text.len(), |k| b.span.end + k + 1);
                if !text[start..b.span.start].trim_start_matches(['>', ' ']).trim().is_empty() {
                    continue;
                }
                let cut = format!("{}{}", &text[..start], &text[end..]);
                // Only removals that leave every other block as it was (removing the line
                // between a quote and an alert joins them, for one).
                let kinds = |s: &skeleton::Skeleton, skip: &dyn Fn(usize) -> bool| -> Vec<skeleton::Kind> {
                    s.blocks.iter().enumerate().filter(|(k, _)| !skip(*k)).map(|(_, b)| b.kind).collect()
                };
                let rest = kinds(&sk, &|k| k == i || sk.is_inside(k, i));
                if kinds(&skeleton::build(&cut, d), &|_| false) != rest {
                    continue;
                }
                let findings = locdrift::lint_pair(&text, &cut, "en", &s);
                let what = sk.describe(i, &text);
                assert_eq!(findings.len(), 1, "{}: removing the {what}: {findings:#?}", page.display());
                let f = &findings[0];
                assert_eq!(f.rule.name(), "block-missing", "{}: {f:?}", page.display());
                // Of two blocks with the same text, or prose with the same neutral tokens
                // (what a translation keeps), either may be the one missing.
                let body = |k: usize| &text[sk.blocks[k].span.start..sk.blocks[k].span.end];
                let twin = |k: usize| {
                    k != i && (body(k) == body(i) || sigs[k].kind == sigs[i].kind && sigs[k].key == sigs[i].key)
                };
                if (0..sk.blocks.len()).any(twin) {
                    checked += 1;
                    continue;
                }
                assert!(f.message.contains(&what), "{}: {} does not name {what}", page.display(), f.message);
                let prev = &sk.blocks[i - 1];
                let want = if sk.is_inside(i, i - 1) {
                    line_of(&text, prev.span.start)
                } else {
                    line_of(&text, text[..prev.span.end].trim_end().len())
                };
                assert_eq!(line_of(&cut, f.span.start), want, "{}: removing the {what}", page.display());
                checked += 1;
            }
        }
        assert!(checked > 0 || name == "azure-ml", "{name}: no block removed");
    }
}

/// One real translation per corpus, a construct changed or dropped in a temp copy: the
/// finding's rule and line.
#[test]
fn constructs_dropped_or_changed_in_real_translations() {
    // (corpus, dialect, translation page, what to find, what to put instead, rule)
    let cases: &[(&str, &str, &str, &str, &str, &str)] = &[
        ("tldr", "tldr", "pages.fr/common/tar.md", "`tar x", "`tar t", "command-mismatch"),
        (
            "hugo-k8s",
            "hugo",
            "content/ja/docs/concepts/workloads/pods/_index.md",
            "{{< note >}}",
            "{{< warning >}}",
            "note-kind-mismatch",
        ),
        (
            "hugo-k8s",
            "hugo",
            "content/ja/docs/concepts/workloads/pods/_index.md",
            "term_id=\"container\"",
            "term_id=\"pod\"",
            "directive-mismatch",
        ),
        (
            "mkdocs-fastapi",
            "mkdocs",
            "docs/de/docs/advanced/async-tests.md",
            "{* ../../docs_src/async_tests/app_a_py310/test_main.py",
            "{* ../../docs_src/async_tests/app_b/test_main.py",
            "directive-mismatch",
        ),
    ];
    for &(name, dialect, rel, from, to, rule) in cases {
        let Some(root) = crate::corpus(name) else { return };
        let tr_path = root.join(rel);
        let Ok(tr) = std::fs::read_to_string(&tr_path) else { continue };
        let src_path = source_of(name, rel);
        let src = std::fs::read_to_string(root.join(&src_path)).unwrap();
        let Some(at) = tr.find(from) else { panic!("{rel}: `{from}` not found") };
        let changed = format!("{}{}{}", &tr[..at], to, &tr[at + from.len()..]);
        let s = settings(dialect, &[rule]);
        let before: Vec<_> =
            locdrift::lint_pair(&src, &tr, "xx", &s).into_iter().map(|f| line_of(&tr, f.span.start)).collect();
        let after = locdrift::lint_pair(&src, &changed, "xx", &s);
        let line = line_of(&tr, at);
        assert!(
            after.iter().any(|f| f.rule.name() == rule && line_of(&changed, f.span.start) == line)
                && !before.contains(&line),
            "{rel}: changing `{from}` to `{to}` should give {rule} at line {line}: {after:#?}"
        );
    }
}

fn source_of(corpus: &str, rel: &str) -> String {
    match corpus {
        "tldr" => format!("pages/{}", rel.split_once('/').unwrap().1),
        "hugo-k8s" => {
            let rest = rel.strip_prefix("content/").unwrap().split_once('/').unwrap().1;
            format!("content/en/{rest}")
        }
        "mkdocs-fastapi" => {
            let rest = rel.strip_prefix("docs/").unwrap().split_once('/').unwrap().1;
            format!("docs/en/{rest}")
        }
        _ => unreachable!(),
    }
}
