//! The command line: exit codes, subcommands, config errors, path selection.

use crate::{locdrift, run};

#[test]
fn exit_codes_follow_fail_on() {
    let (_, _, code) = run(&["check", "fixtures/rules/stale-link/clean", "--select", "stale-link"]);
    assert_eq!(code, 0, "a clean tree exits 0");
    let (_, _, code) = run(&["check", "fixtures/rules/stale-link/fires", "--select", "stale-link"]);
    assert_eq!(code, 1, "a warning fails at the default --fail-on warning");
    let (_, _, code) =
        run(&["check", "fixtures/rules/stale-link/fires", "--select", "stale-link", "--fail-on", "error"]);
    assert_eq!(code, 0, "a warning passes --fail-on error");
    let (_, _, code) =
        run(&["check", "fixtures/rules/row-missing/fires", "--select", "row-missing", "--fail-on", "error"]);
    assert_eq!(code, 1, "row-missing is an error");
    let (_, err, code) = run(&["check", "fixtures/does-not-exist"]);
    assert_eq!(code, 2);
    assert!(err.contains("no such file"), "{err}");
    let (_, _, code) = run(&["check", "--format", "yaml", "fixtures/azure-ml"]);
    assert_eq!(code, 2, "usage errors exit 2");
}

#[test]
fn select_and_ignore_filter_rules() {
    let (out, _, _) = run(&["check", "fixtures/azure-ml", "--format", "concise", "--select", "extra-note"]);
    assert!(out.lines().count() == 2 && out.lines().all(|l| l.contains(" extra-note ")), "{out}");
    let (out, _, _) = run(&["check", "fixtures/azure-ml", "--format", "concise", "--ignore", "stale-link,LD110"]);
    assert!(!out.contains("stale-link") && !out.contains("marker-mismatch") && out.contains("extra-note"), "{out}");
    let (_, err, code) = run(&["check", "fixtures/azure-ml", "--select", "no-such-rule"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown rule or code `no-such-rule`"), "{err}");
}

#[test]
fn a_single_file_pulls_in_its_partners() {
    // A translation pulls in its source: only that pair is checked.
    let (out, _, _) =
        run(&["check", "fixtures/azure-ml/sv-se/includes/aml-compute-target-deploy.md", "--format", "concise"]);
    assert!(out.contains("data-box-edge-overview.md"), "{out}");
    assert!(!out.contains("nl-nl") && !out.contains("orphan"), "{out}");
    // A source pulls in every translation.
    let (out, _, _) =
        run(&["check", "fixtures/azure-ml/en-us/includes/aml-compute-target-deploy.md", "--format", "concise"]);
    for locale in ["sv-se", "nl-nl", "pt-br"] {
        assert!(out.contains(locale), "{locale}: {out}");
    }
}

#[test]
fn rules_and_explain_come_from_the_catalog() {
    let (out, _, code) = run(&["rules"]);
    assert_eq!(code, 0);
    assert!(out.lines().any(|l| l.starts_with("LD301") && l.contains("stale-link") && l.contains("warning")), "{out}");
    assert!(out.lines().any(|l| l.contains("missing-translation") && l.contains("off by default")), "{out}");
    let (out, _, code) = run(&["explain", "stale-link"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("# stale-link (LD301)"), "{out}");
    assert!(out.contains("## Why") && out.contains("## Example"), "{out}");
    let (by_code, _, _) = run(&["explain", "LD301"]);
    assert_eq!(out, by_code);
    let (_, err, code) = run(&["explain", "nope"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown rule"), "{err}");
}

/// `explain` says which dialects a rule covers, from rules/dialects/ (issue 22): every
/// dialect's admonition forms, the directives and includes each names, or every dialect;
/// with examples in more than Microsoft Learn's syntax.
#[test]
fn explain_says_which_dialects_a_rule_covers() {
    for rule in ["note-kind-mismatch", "directive-mismatch", "stale-link"] {
        let (out, _, code) = run(&["explain", rule]);
        assert_eq!(code, 0);
        insta::assert_snapshot!(format!("explain_{rule}"), out);
    }
}

#[test]
fn config_errors_point_at_the_yaml_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("en-us")).unwrap();
    std::fs::create_dir_all(dir.path().join("sv-se")).unwrap();
    std::fs::write(
        dir.path().join("locdrift.yaml"),
        "layout:\n  source: \"en-us/{path}\"\n  translation: \"{locale}/{path}\"\nfail-onn: error\n",
    )
    .unwrap();
    let out = locdrift().arg("check").arg(dir.path()).env("NO_COLOR", "1").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("unknown field `fail-onn`"), "{err}");
    assert!(err.contains("4 │ fail-onn: error"), "miette shows the offending line: {err}");
}

#[test]
fn config_layouts_pair_files() {
    let dir = tempfile::tempdir().unwrap();
    let write = |rel: &str, text: &str| {
        let p = dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    // tldr-pages style: pages/{path} and pages.{locale}/{path}.
    write("pages/common/tar.md", "See [docs](https://example.com/tar).\n");
    write("pages.sv/common/tar.md", "Se [dokumentationen](https://example.com/tar-old).\n");
    write(
        "locdrift.yaml",
        "source-locale: en\nlayout:\n  source: \"pages/{path}\"\n  translation: \"pages.{locale}/{path}\"\n",
    );
    let out = locdrift().args(["check", "--format", "concise"]).arg(dir.path()).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("pages.sv/common/tar.md:1:") && text.contains("stale-link"), "{text}");
}

#[test]
fn detected_layouts_pair_files() {
    let dir = tempfile::tempdir().unwrap();
    let write = |rel: &str, text: &str| {
        let p = dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    // Locale segment (Hugo): content/en/{path} and content/{locale}/{path}.
    write("site/content/en/docs/a.md", "> [!NOTE]\n> Read this.\n");
    write("site/content/de/docs/a.md", "Lies das.\n");
    // Suffix (mkdocs-static-i18n): {path}.md and {path}.{locale}.md.
    write("mk/docs/b.md", "| A | B |\n|---|---|\n| [x](x.md) | Yes |\n");
    write("mk/docs/b.fr.md", "| A | B |\n|---|---|\n| [x](x.md) | Non |\n");
    let out = locdrift().args(["check", "--format", "concise"]).arg(dir.path().join("site")).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("content/de/docs/a.md:1:1: missing-note"), "{text}");
    let out = locdrift().args(["check", "--format", "concise"]).arg(dir.path().join("mk")).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("docs/b.fr.md:3:") && text.contains("flag-mismatch"), "{text}");
}

#[test]
fn no_layout_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("readme.md"), "# Hello\n").unwrap();
    let out = locdrift().arg("check").arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr).unwrap().contains("no localized layout detected"));
}

/// Every kind of config mistake stops the run with exit 2 and points at the place.
#[test]
fn config_mistakes_exit_2_pointing_at_the_place() {
    let bomb = {
        let mut y = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for i in 0..8u8 {
            let (p, n) = ((b'a' + i) as char, (b'b' + i) as char);
            y.push_str(&format!("{n}: &{n} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"));
        }
        y
    };
    let cases: &[(&str, &str, &str)] = &[
        ("bad YAML", "select: [stale-link\nfail-on: error\n", "fail-on: error"),
        ("unknown rule", "ignore: [stale-lnk]\n", "ignore: [stale-lnk]"),
        ("bad glob", "exclude: [\"docs/[unclosed\"]\n", "exclude:"),
        ("bad layout", "layout:\n  source: \"en-us/{path}\"\n  translation: \"{locale}/docs\"\n", "layout:"),
        ("rule option under the wrong rule", "rules:\n  stale-link:\n    min-words: 3\n", "stale-link:"),
        // A typed config rejects the first unknown key before any alias is expanded.
        ("alias bomb", &bomb, "unknown field `a`"),
    ];
    for (what, yaml, shown) in cases {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("en-us")).unwrap();
        std::fs::create_dir_all(dir.path().join("sv-se")).unwrap();
        std::fs::write(dir.path().join("locdrift.yaml"), yaml).unwrap();
        let out = locdrift().arg("check").arg(dir.path()).env("NO_COLOR", "1").output().unwrap();
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(2), "{what}: {err}");
        assert!(err.contains("invalid config") && err.contains(shown), "{what}: {err}");
    }
}

/// A pre-commit hook runs from the repository root with paths relative to it.
#[test]
fn relative_paths_from_the_root_find_the_layout() {
    let out = locdrift()
        .current_dir(crate::root().join("fixtures/azure-ml"))
        .args(["check", "--format", "concise", "--no-cache", "sv-se/includes/aml-compute-target-deploy.md"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{text}{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.starts_with("sv-se/includes/aml-compute-target-deploy.md:"), "{text}");
    assert!(text.contains("stale-link") && !text.contains("nl-nl"), "{text}");
}
