//! Git history for `stale-translation`, kept in the cache folder between runs: reused at
//! the same HEAD, brought up to date after new commits, read again after a rebase or a
//! branch switch or when damaged, and read for the named paths only on a run over a few
//! files. Every run must report what a run without the cache reports. The language
//! server keeps it too, between the saves that make it forget what it read.
//!
//! What git was asked is observed through a `git` on PATH that logs its arguments
//! before running the real one: "no `git log`" is a fact the test sees, not a timing.

use std::path::{Path, PathBuf};

/// A repository of sibling locale folders whose history the test writes commit by
/// commit, at the dates it chooses, and a logging `git` for locdrift to run.
struct Repo {
    dir: tempfile::TempDir,
    bin: tempfile::TempDir,
    log: PathBuf,
}

impl Repo {
    fn new() -> Repo {
        let (dir, bin) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let log = bin.path().join("calls.log");
        let real = std::env::split_paths(&std::env::var_os("PATH").unwrap())
            .map(|d| d.join("git"))
            .find(|p| p.is_file())
            .expect("git is installed (.ci/run installs it)");
        let script =
            format!("#!/bin/sh\nprintf '%s\\n' \"$*\" >> '{}'\nexec '{}' \"$@\"\n", log.display(), real.display());
        let wrapper = bin.path().join("git");
        std::fs::write(&wrapper, script).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755)).unwrap();
        let repo = Repo { dir, bin, log };
        repo.git(&["init", "-q", "-b", "main"], "2024-01-01T00:00:00Z");
        repo
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn git(&self, args: &[&str], date: &str) -> String {
        crate::git_at(self.root(), args, date).trim().to_string()
    }

    /// Writes the files and commits them (and nothing else) at `date`.
    fn commit(&self, files: &[(&str, &str)], date: &str) -> String {
        for (rel, text) in files {
            let p = self.root().join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        let mut add = vec!["add", "--"];
        add.extend(files.iter().map(|(rel, _)| *rel));
        self.git(&add, date);
        self.git(&["commit", "-qm", date], date);
        self.git(&["rev-parse", "HEAD"], date)
    }

    /// `locdrift check --select stale-translation ARGS` in the root, with the logging
    /// git first on PATH; returns the concise output and what git was asked, a line
    /// per call.
    fn check(&self, args: &[&str]) -> (String, Vec<String>) {
        let _ = std::fs::remove_file(&self.log);
        let out = crate::locdrift()
            .current_dir(self.root())
            .env("PATH", self.path())
            .args(["check", "--format", "concise", "--select", "stale-translation"])
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.code().is_some_and(|c| c < 2), "{}", String::from_utf8_lossy(&out.stderr));
        let calls = std::fs::read_to_string(&self.log).unwrap_or_default();
        (String::from_utf8(out.stdout).unwrap(), calls.lines().map(String::from).collect())
    }

    /// PATH with the logging git first.
    fn path(&self) -> std::ffi::OsString {
        std::env::join_paths(
            std::iter::once(self.bin.path().to_path_buf())
                .chain(std::env::split_paths(&std::env::var_os("PATH").unwrap())),
        )
        .unwrap()
    }

    /// What a run without the cache reports over the whole root.
    fn uncached(&self) -> String {
        self.check(&["--no-cache", "."]).0
    }

    fn store(&self) -> PathBuf {
        self.root().join(".locdrift-cache/history-v1.bin")
    }
}

/// The `git log` calls among `calls`.
fn logs(calls: &[String]) -> Vec<&String> {
    calls.iter().filter(|c| c.split(' ').any(|w| w == "log")).collect()
}

/// Whether a `git log` call read the whole history of the root (`-- .`, no range).
fn full(call: &str) -> bool {
    call.ends_with(" -- .") && !call.contains("..")
}

const A: &str = "# A\n\nText.\n";
const B: &str = "# B\n\nText.\n";

/// Sources and translations committed on day 1; then the source of `a.md` and of the
/// non-ASCII `ö.md` on day 5 (both stale by 4 days), and the translation of `b.md` on
/// day 8 (newer than its source: not stale).
fn history() -> Repo {
    let repo = Repo::new();
    let files: Vec<(String, &str)> = ["a.md", "b.md", "c.md", "ö.md"]
        .iter()
        .flat_map(|f| [(format!("en-us/{f}"), A), (format!("sv-se/{f}"), A)])
        .collect();
    let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), *t)).collect();
    repo.commit(&files, "2024-01-01T00:00:00Z");
    repo.commit(&[("en-us/a.md", B), ("en-us/ö.md", B)], "2024-01-05T00:00:00Z");
    repo.commit(&[("sv-se/b.md", B)], "2024-01-08T00:00:00Z");
    repo
}

#[test]
fn the_stored_history_is_reused_at_the_same_head() {
    let repo = history();
    let expected = repo.uncached();
    insta::assert_snapshot!("history_stale", expected);
    let (out, calls) = repo.check(&["."]);
    assert_eq!(out, expected);
    assert_eq!(logs(&calls).len(), 1, "{calls:?}");
    assert!(full(logs(&calls)[0]), "{calls:?}");
    assert!(repo.store().is_file());
    // Findings from the cache, their commit times checked against the stored history:
    // git is asked where HEAD is, and nothing else.
    let (out, calls) = repo.check(&["."]);
    assert_eq!(out, expected);
    assert!(logs(&calls).is_empty(), "{calls:?}");
    assert_eq!(calls.len(), 1, "{calls:?}");
    // The same with the findings cache gone: every pair linted, no history read.
    std::fs::remove_file(repo.root().join(".locdrift-cache/findings-v1.bin")).unwrap();
    let (out, calls) = repo.check(&["."]);
    assert_eq!(out, expected);
    assert!(logs(&calls).is_empty(), "{calls:?}");
}

#[test]
fn new_commits_are_read_and_merged_into_the_stored_history() {
    let repo = history();
    let before = repo.git(&["rev-parse", "HEAD"], "2024-01-01T00:00:00Z");
    repo.check(&["."]);
    let after = repo.commit(&[("en-us/b.md", B), ("en-us/c.md", B)], "2024-01-20T00:00:00Z");
    let expected = repo.uncached();
    assert!(expected.contains("sv-se/b.md:1:1: stale-translation the source was committed 12 days"), "{expected}");
    assert!(expected.contains("sv-se/c.md:1:1: stale-translation the source was committed 19 days"), "{expected}");
    let (out, calls) = repo.check(&["."]);
    assert_eq!(out, expected);
    let logs = logs(&calls);
    assert_eq!(logs.len(), 1, "{calls:?}");
    assert!(logs[0].contains(&format!("{before}..{after}")), "only the new commits: {calls:?}");
    // The merged history was stored at the new HEAD.
    let (out, calls) = repo.check(&["."]);
    assert_eq!(out, expected);
    assert!(calls.iter().all(|c| !c.contains(" log ")), "{calls:?}");
}

#[test]
fn another_branch_or_a_rebase_reads_the_whole_history_again() {
    let repo = history();
    repo.check(&["."]);
    // A branch from day 1 where the translation of `a.md` was updated after its source
    // changed, and `c.md`'s source changed: the stored history of `main` says otherwise.
    let day1 = repo.git(&["rev-list", "--max-parents=0", "HEAD"], "2024-01-01T00:00:00Z");
    repo.git(&["checkout", "-q", "-b", "other", &day1], "2024-01-01T00:00:00Z");
    repo.commit(&[("en-us/c.md", B)], "2024-01-03T00:00:00Z");
    repo.commit(&[("en-us/a.md", B), ("sv-se/a.md", B)], "2024-01-09T00:00:00Z");
    let expected = repo.uncached();
    assert!(expected.contains("sv-se/c.md:1:1: stale-translation the source was committed 2 days"), "{expected}");
    // Not stale here, as the stored history of `main` would have it.
    assert!(!expected.contains("sv-se/a.md") && !expected.contains("ö.md"), "{expected}");
    let (out, calls) = repo.check(&["."]);
    assert_eq!(out, expected);
    assert!(logs(&calls).len() == 1 && full(logs(&calls)[0]), "{calls:?}");
    // Back on main, rewritten: its old HEAD is no ancestor of the new one.
    repo.git(&["checkout", "-q", "main"], "2024-01-01T00:00:00Z");
    repo.git(&["reset", "-q", "--hard", "HEAD~1"], "2024-01-01T00:00:00Z");
    repo.commit(&[("sv-se/b.md", B), ("en-us/b.md", B)], "2024-01-30T00:00:00Z");
    let expected = repo.uncached();
    let (out, calls) = repo.check(&["."]);
    assert_eq!(out, expected);
    assert!(logs(&calls).len() == 1 && full(logs(&calls)[0]), "{calls:?}");
}

#[test]
fn a_damaged_stored_history_is_not_trusted() {
    let repo = history();
    let expected = repo.uncached();
    repo.check(&["."]);
    let stored = std::fs::read(repo.store()).unwrap();
    // Another time for `en-us/a.md` (one that would hide its translation's finding),
    // failing the checksum; bytes that are no history; half the file.
    let text = String::from_utf8(stored.clone()).unwrap();
    let t1 = repo.git(&["log", "-1", "--format=%ct", "--", "en-us/a.md"], "2024-01-01T00:00:00Z");
    assert!(text.contains(&format!("{t1} en-us/a.md\0")), "{text:?}");
    let edited = text.replace(&format!("{t1} en-us/a.md\0"), "1 en-us/a.md\0");
    for damaged in [edited.into_bytes(), b"locdrift-history 1\ngarbage".to_vec(), stored[..stored.len() / 2].to_vec()] {
        std::fs::write(repo.store(), &damaged).unwrap();
        let (out, calls) = repo.check(&["."]);
        assert_eq!(out, expected);
        assert!(logs(&calls).len() == 1 && full(logs(&calls)[0]), "{calls:?}");
        assert_eq!(std::fs::read(repo.store()).unwrap(), stored, "written again");
    }
}

#[test]
fn a_run_on_a_few_files_reads_their_history_only() {
    let repo = history();
    let all = repo.uncached();
    for named in ["sv-se/a.md", "sv-se/ö.md", "sv-se/b.md", "en-us/a.md"] {
        let (out, calls) = repo.check(&[named]);
        // The same findings as the whole run has for the pairs of that file.
        let stem = &named[6..];
        let expected: String = all.lines().filter(|l| l.contains(stem)).map(|l| format!("{l}\n")).collect();
        assert_eq!(out, expected, "{named}");
        let logs = logs(&calls);
        assert_eq!(logs.len(), 1, "{calls:?}");
        assert!(logs[0].contains(&format!("en-us/{stem}")) && logs[0].contains(&format!("sv-se/{stem}")), "{calls:?}");
        assert!(!full(logs[0]), "{calls:?}");
        assert!(!repo.store().exists(), "a history of some paths is not stored");
    }
    // With a stored history, a run on a few files reads none.
    repo.check(&["."]);
    let (out, calls) = repo.check(&["sv-se/a.md"]);
    assert!(out.contains("sv-se/a.md:1:1: stale-translation the source was committed 4 days"), "{out}");
    assert!(logs(&calls).is_empty(), "{calls:?}");
}

/// A side branch whose merge kept `main`'s version of a file: its commit still touched
/// the file, for a run on that file as for a run over the whole root (without
/// `--full-history`, git would skip the side branch for the one path only).
#[test]
fn a_merged_side_branch_counts_the_same_for_a_few_files_and_for_all() {
    let repo = history();
    repo.git(&["checkout", "-q", "-b", "side"], "2024-01-10T00:00:00Z");
    repo.commit(&[("en-us/c.md", B), ("en-us/b.md", B)], "2024-01-10T00:00:00Z");
    repo.git(&["checkout", "-q", "main"], "2024-01-11T00:00:00Z");
    repo.git(&["merge", "-q", "--no-ff", "--no-commit", "side"], "2024-01-11T00:00:00Z");
    repo.git(&["checkout", "HEAD", "--", "en-us/c.md"], "2024-01-11T00:00:00Z");
    repo.git(&["commit", "-qm", "merge side, keeping main's c.md"], "2024-01-11T00:00:00Z");
    assert_eq!(std::fs::read_to_string(repo.root().join("en-us/c.md")).unwrap(), A);
    let all = repo.uncached();
    assert!(all.contains("sv-se/c.md:1:1: stale-translation the source was committed 9 days"), "{all}");
    assert!(all.contains("sv-se/b.md:1:1: stale-translation the source was committed 2 days"), "{all}");
    for named in ["sv-se/c.md", "sv-se/b.md"] {
        let (out, calls) = repo.check(&["--no-cache", named]);
        let expected: String = all.lines().filter(|l| l.starts_with(named)).map(|l| format!("{l}\n")).collect();
        assert_eq!(out, expected, "{named}");
        assert!(logs(&calls).len() == 1 && !full(logs(&calls)[0]), "{calls:?}");
    }
}

/// `locdrift lsp` over stdio: JSON-RPC messages framed by `Content-Length` headers.
struct Stdio {
    child: std::process::Child,
    out: std::io::BufReader<std::process::ChildStdout>,
}

impl Stdio {
    fn send(&mut self, message: serde_json::Value) {
        use std::io::Write;
        let body = message.to_string();
        let stdin = self.child.stdin.as_mut().unwrap();
        write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        stdin.flush().unwrap();
    }

    fn receive(&mut self) -> serde_json::Value {
        use std::io::{BufRead, Read};
        let mut length = 0;
        loop {
            let mut line = String::new();
            assert!(self.out.read_line(&mut line).unwrap() > 0, "the server closed its output");
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(n) = line.strip_prefix("Content-Length: ") {
                length = n.parse().unwrap();
            }
        }
        let mut body = vec![0; length];
        self.out.read_exact(&mut body).unwrap();
        serde_json::from_slice(&body).unwrap()
    }

    /// The next diagnostics published for `uri`, skipping other messages.
    fn diagnostics(&mut self, uri: &str) -> Vec<String> {
        loop {
            let m = self.receive();
            if m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri {
                let list = m["params"]["diagnostics"].as_array().unwrap();
                return list.iter().map(|d| format!("{} {}", d["code"], d["message"])).collect();
            }
        }
    }
}

/// The editor's server makes its tree again after every save; it must not read the
/// whole history again each time while HEAD stays where it was.
#[test]
fn the_language_server_keeps_the_history_between_saves() {
    let repo = history();
    let _ = std::fs::remove_file(&repo.log);
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("locdrift"))
        .arg("lsp")
        .current_dir(repo.root())
        .env("PATH", repo.path())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let out = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut lsp = Stdio { child, out };
    let root = repo.root().canonicalize().unwrap();
    let uri = format!("file://{}", root.join("sv-se/a.md").display());
    lsp.send(serde_json::json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}));
    while lsp.receive()["id"] != 1 {}
    lsp.send(serde_json::json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
    lsp.send(serde_json::json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
        "textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": A}
    }}));
    let first = lsp.diagnostics(&uri);
    assert!(first.iter().any(|d| d.contains("stale-translation")), "{first:?}");
    for _ in 0..2 {
        lsp.send(serde_json::json!({"jsonrpc": "2.0", "method": "textDocument/didSave", "params": {
            "textDocument": {"uri": uri}
        }}));
        assert_eq!(lsp.diagnostics(&uri), first, "the same findings after a save");
    }
    lsp.send(serde_json::json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}));
    while lsp.receive()["id"] != 2 {}
    lsp.send(serde_json::json!({"jsonrpc": "2.0", "method": "exit"}));
    assert!(lsp.child.wait().unwrap().success());
    let calls: Vec<String> = std::fs::read_to_string(&repo.log).unwrap().lines().map(String::from).collect();
    let logs = logs(&calls);
    assert_eq!(logs.len(), 1, "one walk of the history for three lints: {logs:#?}");
    assert!(full(logs[0]), "{logs:#?}");
    assert!(repo.store().is_file(), "the history is stored for the next session");
}

/// A history with a side branch: `a.md` and `b.md` on day 1; `a.md` changed on day 2;
/// a branch from there changes `b.md` on day 3 while main changes `a.md` on day 4; the
/// branch is merged on day 5, and `b.md` changed on main on day 6. Returns the commits
/// of days 1 to 6 (5 is the merge).
fn branched() -> (Repo, Vec<String>) {
    let repo = Repo::new();
    let mut commits = vec![repo.commit(&[("en-us/a.md", A), ("en-us/b.md", A)], "2024-01-01T00:00:00Z")];
    commits.push(repo.commit(&[("en-us/a.md", B)], "2024-01-02T00:00:00Z"));
    repo.git(&["checkout", "-q", "-b", "side"], "2024-01-03T00:00:00Z");
    commits.push(repo.commit(&[("en-us/b.md", B)], "2024-01-03T00:00:00Z"));
    repo.git(&["checkout", "-q", "main"], "2024-01-04T00:00:00Z");
    commits.push(repo.commit(&[("en-us/a.md", "# A\n\nMore.\n")], "2024-01-04T00:00:00Z"));
    repo.git(&["merge", "-q", "--no-ff", "-m", "merge", "side"], "2024-01-05T00:00:00Z");
    commits.push(repo.git(&["rev-parse", "HEAD"], "2024-01-05T00:00:00Z"));
    commits.push(repo.commit(&[("en-us/b.md", "# B\n\nMore.\n")], "2024-01-06T00:00:00Z"));
    (repo, commits)
}

/// The commit graph read once answers every stamp question as asking git about each
/// one does: any path, any commit of the history (also abbreviated), across a merge.
#[test]
fn the_commit_graph_answers_stamp_questions_as_git_does() {
    let (repo, commits) = branched();
    let graph = locdrift::history::Graph::load(repo.root()).expect("the graph loads");
    let mut stamps: Vec<String> = commits.clone();
    stamps.push(commits[1][..7].to_string());
    let mut asked = 0;
    for rel in ["en-us/a.md", "en-us/b.md", "en-us/never.md"] {
        for stamp in &stamps {
            let alone = locdrift::history::changed_since(repo.root(), rel, stamp);
            assert!(alone.is_some(), "git answers for {rel} since {stamp}");
            assert_eq!(graph.changed_since(rel, stamp), alone, "{rel} since {stamp}");
            asked += 1;
        }
    }
    assert_eq!(asked, 21);
    // What the day-2 stamp says: `a.md` changed after it on main, `b.md` on the branch.
    assert_eq!(graph.changed_since("en-us/a.md", &commits[1]), Some(true));
    assert_eq!(graph.changed_since("en-us/b.md", &commits[1]), Some(true));
    assert_eq!(graph.changed_since("en-us/a.md", &commits[5]), Some(false));
    // A commit the graph does not have is left to git.
    assert_eq!(graph.changed_since("en-us/a.md", "deadbeefdeadbeef"), None);
}

/// Translations that all carry a source stamp: the first questions go to git one by
/// one, the rest are answered from one walk of the history, and the findings are the
/// same either way.
#[test]
fn many_stamped_translations_read_the_history_once() {
    let (repo, commits) = branched();
    // 12 locales with a translation of each source, stamped alternately with the day-2
    // commit (both sources changed since: stale) and the last one (up to date).
    let locales =
        ["sv-se", "nl-nl", "pt-br", "de-de", "fr-fr", "ja-jp", "es-es", "zh-cn", "it-it", "ko-kr", "pl-pl", "tr-tr"];
    let mut files = Vec::new();
    for (i, locale) in locales.iter().enumerate() {
        let stamp = if i % 2 == 0 { &commits[1][..] } else { &commits[5][..] };
        for f in ["a.md", "b.md"] {
            files.push((format!("{locale}/{f}"), format!("---\nl10n.sourceCommit: {stamp}\n---\n# A\n\nText.\n")));
        }
    }
    let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    repo.commit(&files, "2024-01-07T00:00:00Z");
    let (out, calls) = repo.check(&["--no-cache", "."]);
    let stale: Vec<&str> = out.lines().filter(|l| l.contains("stale-translation")).collect();
    assert_eq!(stale.len(), 12, "{out}");
    for (i, locale) in locales.iter().enumerate() {
        let listed = stale.iter().filter(|l| l.starts_with(&format!("{locale}/"))).count();
        assert_eq!(listed, if i % 2 == 0 { 2 } else { 0 }, "{locale}: {out}");
    }
    let logs = logs(&calls);
    assert_eq!(logs.len(), locdrift::history::ASK_ONE_BY_ONE + 1, "{logs:#?}");
    assert_eq!(logs.iter().filter(|c| c.contains("--topo-order")).count(), 1, "{logs:#?}");
}

/// A warm run trusts the stamp answers it stored while HEAD stays: no `git log` at all.
/// After a commit that changes a source, the stamps are asked again, and the warm run
/// reports what a run without the cache reports.
#[test]
fn stamp_answers_are_kept_until_head_moves() {
    let (repo, commits) = branched();
    let stamped = |stamp: &str| format!("---\nl10n.sourceCommit: {stamp}\n---\n# A\n\nText.\n");
    let (old, new) = (stamped(&commits[1]), stamped(&commits[5]));
    repo.commit(&[("sv-se/a.md", &old), ("sv-se/b.md", &new), ("nl-nl/a.md", &new)], "2024-01-07T00:00:00Z");
    let expected = repo.uncached();
    assert_eq!(expected.lines().filter(|l| l.contains("stale-translation")).count(), 1, "{expected}");
    let (cold, _) = repo.check(&["."]);
    assert_eq!(cold, expected);
    let (warm, calls) = repo.check(&["."]);
    assert_eq!(warm, expected);
    assert_eq!(logs(&calls), Vec::<&String>::new(), "a warm run at the same HEAD asks no git log");
    // The source of nl-nl/a.md changes after its stamp: now stale, in both runs.
    repo.commit(&[("en-us/a.md", "# A\n\nNewer.\n")], "2024-01-08T00:00:00Z");
    let expected = repo.uncached();
    assert_eq!(expected.lines().filter(|l| l.contains("stale-translation")).count(), 2, "{expected}");
    let (warm, calls) = repo.check(&["."]);
    assert_eq!(warm, expected);
    assert!(!logs(&calls).is_empty(), "after a commit the stamps are asked again");
}
