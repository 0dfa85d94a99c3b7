//! The one integration-test binary: fixture trees, the command line, the language server and invariants.

mod agreement;
mod atomic;
mod cache;
mod cli;
mod corpora;
mod dialects;
mod fix;
mod fixtures;
mod formats;
mod gate;
mod generated;
#[cfg(unix)]
mod history;
mod hostile;
mod human;
mod init;
mod layouts;
mod links;
mod lsp;
mod precommit;
mod properties;
mod regressions;
mod report;
mod site;
mod skeleton;
mod sync;
mod tidy;
mod warm;

use std::path::{Path, PathBuf};

/// The crate root, where fixtures live; tests run the binary from here so paths in
/// the output are the short relative ones users see.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `locdrift` run from the crate root.
pub fn locdrift() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("locdrift").expect("binary builds");
    cmd.current_dir(root());
    cmd.env_remove("NO_COLOR");
    cmd
}

/// Runs `locdrift ARGS` and returns (stdout, stderr, exit code).
pub fn run(args: &[&str]) -> (String, String, i32) {
    let out = locdrift().args(args).output().expect("runs");
    (
        String::from_utf8(out.stdout).expect("UTF-8 stdout"),
        String::from_utf8(out.stderr).expect("UTF-8 stderr"),
        out.status.code().unwrap_or(-1),
    )
}

/// Runs git in `root` with author and committer set and both dates at `date`, so
/// commits (and their ids) do not depend on the machine; returns stdout.
pub fn git_at(root: &Path, args: &[&str], date: &str) -> String {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// Writes a file, making its folders first.
pub fn write_file(path: &Path, contents: impl AsRef<[u8]>) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, contents).unwrap();
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Copies a directory tree (files and folders only).
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A real corpus from `../shared/corpus/NAME` (beside the project), read at test time and
/// never copied into the project. `None` when it is absent, after saying why, so a
/// checkout without `../shared` still passes; under `CI=true` its absence fails the test.
#[allow(clippy::print_stderr, reason = "a skipped test says why it is skipped")]
pub fn corpus(name: &str) -> Option<PathBuf> {
    let dir = root().join("..").join("shared").join("corpus").join(name);
    if dir.is_dir() {
        return Some(dir);
    }
    let why = format!("{} is absent: the real-corpus test is skipped", dir.display());
    assert!(std::env::var("CI").as_deref() != Ok("true"), "{why} (CI=true needs it)");
    eprintln!("{why}");
    None
}
