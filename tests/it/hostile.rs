//! Hostile input: every case gets a clear finding (or none) and the run exits normally.

use std::path::Path;

use serde_json::Value;

use crate::root;

fn write(dir: &Path, rel: &str, data: &[u8]) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, data).unwrap();
}

#[cfg(unix)]
fn is_root() -> bool {
    std::process::Command::new("id").arg("-u").output().map(|o| o.stdout.starts_with(b"0")).unwrap_or(false)
}

#[test]
#[cfg(unix)]
fn hostile_tree_is_survived_with_clear_findings() {
    use std::os::unix::fs::{symlink, PermissionsExt};

    let dir = tempfile::tempdir().unwrap();
    let tree = dir.path().join("docs");
    std::fs::create_dir_all(&tree).unwrap();
    crate::copy_tree(&root().join("fixtures/hostile"), &tree);
    let page = b"# Page\n\nSee [the guide](guide.md).\n";
    let big: &[(&str, Vec<u8>)] = &[
        ("huge", vec![b'a'; 50 * 1024 * 1024]),
        ("nested-quotes", format!("{}deep\n", "> ".repeat(10_000)).into_bytes()),
        ("nested-lists", format!("{}deep\n", "- ".repeat(10_000)).into_bytes()),
        ("wide-table", {
            let row = |cell: &str| format!("|{}|\n", vec![cell; 10_000].join("|"));
            format!("{}{}{}", row("h"), row("-"), row("x")).into_bytes()
        }),
        ("long-line", "ord ".repeat(250_000).into_bytes()),
    ];
    for (name, data) in big {
        write(&tree, &format!("en-us/{name}.md"), page);
        write(&tree, &format!("sv-se/{name}.md"), data);
    }
    write(&tree, "en-us/loop.md", page);
    symlink("loop.md", tree.join("sv-se/loop.md")).unwrap();
    write(&tree, "en-us/outside.md", page);
    write(dir.path(), "secret.md", b"# Secret outside the root\n");
    symlink(dir.path().join("secret.md"), tree.join("sv-se/outside.md")).unwrap();
    write(&tree, "en-us/unreadable.md", page);
    write(&tree, "sv-se/unreadable.md", page);
    std::fs::set_permissions(tree.join("sv-se/unreadable.md"), std::fs::Permissions::from_mode(0o000)).unwrap();

    // Root reads any file whatever its mode; run as `nobody` there so "permission
    // denied" is real.
    let mut cmd = if is_root() {
        for p in [dir.path(), tree.as_path()] {
            std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        // The build directory may not be reachable for `nobody`; a copy beside the tree is.
        let bin = dir.path().join("locdrift");
        std::fs::copy(env!("CARGO_BIN_EXE_locdrift"), &bin).unwrap();
        std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).unwrap();
        let mut c = std::process::Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"]).arg(&bin);
        c
    } else {
        std::process::Command::new(env!("CARGO_BIN_EXE_locdrift"))
    };
    let out = cmd.args(["check", "--format", "json"]).arg(&tree).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "findings, not a crash: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = doc["findings"].as_array().unwrap();
    let message = |file: &str, rule: &str| -> String {
        findings
            .iter()
            .find(|f| f["file"].as_str().unwrap().ends_with(&format!("sv-se/{file}")) && f["rule"] == rule)
            .map(|f| f["message"].as_str().unwrap().to_string())
            .unwrap_or_else(|| panic!("no {rule} for {file}: {findings:#?}"))
    };
    assert!(message("invalid-utf8.md", "io-error").contains("not valid UTF-8"));
    assert!(message("utf16-bom.md", "io-error").contains("UTF-16"));
    assert!(message("huge.md", "io-error").contains("above the 10485760-byte limit"));
    assert!(message("front-matter-list.md", "front-matter-invalid").contains("not a mapping"));
    assert!(message("yaml-bomb.md", "front-matter-invalid").contains("limit"));
    assert!(message("escaping-links.md", "broken-link").contains("outside the repository root"));
    assert!(message("mixed-line-endings.md", "stale-link").contains("old-guide.md"));
    assert!(message("nul-bytes.md", "stale-link").contains("old-guide.md"));
    assert!(message("loop.md", "io-error").contains("cannot be resolved"));
    assert!(message("outside.md", "io-error").contains("outside the checked root"));
    assert!(message("unreadable.md", "io-error").contains("permission denied"));
    // Deep and wide input is parsed, not rejected, and does not crash a lint.
    for name in ["nested-quotes.md", "nested-lists.md", "wide-table.md", "long-line.md"] {
        let bad: Vec<_> = findings
            .iter()
            .filter(|f| f["file"].as_str().unwrap().ends_with(&format!("sv-se/{name}")) && f["rule"] == "io-error")
            .collect();
        assert!(bad.is_empty(), "{name}: {bad:?}");
    }
    // Nothing outside the root was read: the secret's text appears nowhere.
    assert!(!String::from_utf8_lossy(&out.stdout).contains("Secret outside the root"));
}

#[test]
fn a_file_deleted_before_it_is_read_is_an_io_error() {
    let dir = tempfile::tempdir().unwrap();
    let why = locdrift::workspace::read_text(&dir.path().join("gone.md"), 1 << 20).unwrap_err();
    assert!(why.contains("deleted while checking"), "{why}");
}

/// Rules ask the workspace about files; a link that leaves the root is never asked about.
#[test]
fn escaping_links_are_never_looked_up() {
    use std::sync::Mutex;

    use locdrift::engine;
    use locdrift::rules::Workspace;

    struct Recorder(Mutex<Vec<String>>);
    impl Workspace for Recorder {
        fn exists(&self, rel: &str) -> bool {
            self.0.lock().unwrap().push(rel.to_string());
            false
        }
        fn has_anchor(&self, rel: &str, _: &str) -> Option<bool> {
            self.0.lock().unwrap().push(rel.to_string());
            None
        }
        fn changed_since(&self, _: &str, _: &str) -> Option<bool> {
            None
        }
    }
    let text = "[a](../../../../etc/passwd) [b](/etc/passwd) [c](file:///etc/passwd) [d](C:/Windows/win.ini) [e](../../x.md#y)";
    let settings = locdrift::settings::Settings::default();
    let doc = locdrift::parse::parse(text);
    let recorder = Recorder(Mutex::new(Vec::new()));
    let input = engine::Input {
        rel: "sv-se/a/page.md",
        locale: Some("sv-se"),
        text: Ok(text),
        source_rel: Some("en-us/a/page.md"),
        source: engine::Source::Doc(&doc, text),
        workspace: Some(&recorder),
        on_parse: None,
    };
    let findings = engine::lint(&input, &settings).findings;
    let asked = recorder.0.into_inner().unwrap();
    assert!(asked.iter().all(|p| !p.contains("etc") && !p.contains("Windows") && !p.starts_with('/')), "{asked:?}");
    let outside = findings
        .iter()
        .filter(|f| f.rule == "broken-link" && f.message.contains("outside the repository root"))
        .count();
    assert_eq!(outside, 1, "only the `..` link escapes; URLs, site paths and drives are not relative: {findings:?}");
}

/// Minimized fuzz crashers (fixtures/fuzz/) keep the fuzz targets' invariants: a document
/// compared with itself has no drift, and every span is a slice of its text.
#[test]
fn fuzz_regressions_hold_the_fuzz_invariants() {
    let settings = locdrift::settings::Settings::default();
    let mut checked = 0;
    for entry in std::fs::read_dir(root().join("fixtures/fuzz")).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().is_some_and(|n| n == "README.md") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let findings = locdrift::lint_pair(&text, &text, "en-gb", &settings);
        for f in &findings {
            let scope = Some(f.rule.scope());
            assert_ne!(scope, Some(locdrift::rules::Scope::Pair), "{}: {f:?}", path.display());
            assert!(text.get(f.span.start..f.span.end).is_some(), "{}: {f:?}", path.display());
        }
        checked += 1;
    }
    assert!(checked > 0, "fixtures/fuzz holds at least one regression input");
}
