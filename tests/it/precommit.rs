//! The pre-commit hook end to end, with the real `pre-commit` tool (from PyPI; `.ci/run`
//! installs it) in a temporary git repository: the hook sees the staged files, a staged
//! source pulls in its translations, and a drift fails the commit.
//!
//! The published `.pre-commit-hooks.yaml` says `language: rust`, which makes pre-commit
//! build locdrift from its repository with cargo (network, minutes). The test runs the
//! same hook definition as a `repo: local` hook with `language: system` and the binary
//! under test as the entry; everything else (id, file types, serial run) is taken from
//! the published file, so the two cannot drift apart.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{json, Value};

use crate::gate::{write_tree, CLEAN, SOURCE};
use crate::{read, root};

fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|d| d.join(name)).find(|p| p.is_file())
}

struct Repo {
    dir: tempfile::TempDir,
    pre_commit: PathBuf,
}

impl Repo {
    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn cmd(&self, program: &Path, args: &[&str]) -> Output {
        Command::new(program)
            .args(args)
            .current_dir(self.path())
            .env("PRE_COMMIT_HOME", self.path().join(".cache-pre-commit"))
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.com")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.com")
            .env_remove("GIT_DIR")
            .env_remove("GIT_INDEX_FILE")
            .output()
            .unwrap_or_else(|e| panic!("{}: {e}", program.display()))
    }

    fn git(&self, args: &[&str]) -> Output {
        self.cmd(Path::new("git"), args)
    }

    fn ok(&self, args: &[&str]) {
        let out = self.git(args);
        assert!(out.status.success(), "git {args:?}: {}", text(&out));
    }

    fn commits(&self) -> usize {
        String::from_utf8(self.git(&["rev-list", "--count", "HEAD"]).stdout).unwrap().trim().parse().unwrap()
    }
}

fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

/// The published hook, run as a local one with the binary under test.
fn local_hook_config() -> Value {
    let published: Value = locdrift::yaml::from_str(&read(&root().join(".pre-commit-hooks.yaml"))).unwrap();
    let hooks = published.as_array().expect("a list of hooks");
    assert_eq!(hooks.len(), 1);
    let mut hook = hooks[0].clone();
    assert_eq!(hook["id"], "locdrift");
    assert_eq!(hook["language"], "rust", "users get the hook built by cargo");
    assert_eq!(hook["types"], json!(["markdown"]));
    let entry = hook["entry"].as_str().unwrap();
    let args = entry.strip_prefix("locdrift").expect("the entry runs the locdrift binary");
    let binary = assert_cmd::cargo::cargo_bin("locdrift");
    hook["entry"] = Value::from(format!("{}{args}", binary.display()));
    hook["language"] = Value::from("system");
    // JSON is YAML, which is what pre-commit reads.
    json!({"repos": [{"repo": "local", "hooks": [hook]}]})
}

#[test]
// A skipped run says so on stderr, so a local `cargo test` does not look like it tested the hook.
#[allow(clippy::print_stderr)]
fn the_hook_checks_staged_files_and_fails_on_drift() {
    let Some(pre_commit) = find_on_path("pre-commit") else {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("`pre-commit` is not on PATH; .ci/run installs it from PyPI (pip install pre-commit)");
        }
        eprintln!("skipping: `pre-commit` is not installed (pip install pre-commit); CI runs this test");
        return;
    };
    let repo = Repo { dir: tempfile::tempdir().unwrap(), pre_commit };
    let stale = CLEAN.replace("(https://example.com/deploy)", "(https://example.com/deploy-old)");
    write_tree(
        repo.path(),
        &[
            ("en-us/a.md", SOURCE),
            ("sv-se/a.md", CLEAN),
            ("en-us/b.md", SOURCE),
            ("sv-se/b.md", CLEAN),
            (".pre-commit-config.yaml", &serde_json::to_string_pretty(&local_hook_config()).unwrap()),
        ],
    );
    repo.ok(&["init", "-q", "-b", "main"]);
    repo.ok(&["add", "."]);
    repo.ok(&["commit", "-qm", "docs"]);
    let out = repo.cmd(&repo.pre_commit, &["install"]);
    assert!(out.status.success(), "pre-commit install: {}", text(&out));

    // A staged drift fails the commit, and nothing is committed.
    write_tree(repo.path(), &[("sv-se/a.md", &stale)]);
    repo.ok(&["add", "sv-se/a.md"]);
    let out = repo.git(&["commit", "-m", "drift"]);
    let log = text(&out);
    assert!(!out.status.success(), "the commit must fail: {log}");
    assert!(log.contains("\nsv-se/a.md  (sv-se") && log.contains("  11:26 warning LD301 stale-link"), "{log}");
    assert!(log.contains("example.com/deploy-old"), "{log}");
    assert_eq!(repo.commits(), 1);

    // Unstaged drift elsewhere does not block a clean commit: the hook sees what is staged.
    write_tree(repo.path(), &[("sv-se/a.md", &CLEAN.replace("Testning", "Testning och felsökning"))]);
    repo.ok(&["add", "sv-se/a.md"]);
    write_tree(repo.path(), &[("sv-se/b.md", &stale)]);
    let out = repo.git(&["commit", "-m", "clean edit"]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(repo.commits(), 2);
    assert_eq!(read(&repo.path().join("sv-se/b.md")), stale, "pre-commit restored the unstaged change");

    // A staged source pulls in its translations: retargeting the English link makes the
    // committed Swedish file stale, and the commit fails although only en-us/b.md is staged.
    repo.ok(&["checkout", "--", "sv-se/b.md"]);
    write_tree(
        repo.path(),
        &[("en-us/b.md", &SOURCE.replace("(https://example.com/deploy)", "(https://example.com/deploy-v2)"))],
    );
    repo.ok(&["add", "en-us/b.md"]);
    let out = repo.git(&["commit", "-m", "retarget"]);
    let log = text(&out);
    assert!(!out.status.success(), "{log}");
    assert!(log.contains("sv-se/b.md") && log.contains("example.com/deploy-v2"), "{log}");
    assert_eq!(repo.commits(), 2);
}
