//! Git history for `stale-translation`: stamp answers from one walk of the commit graph,
//! kept while HEAD stays. The sync point tests are in `sync.rs`, on this module's `Repo`.
//!
//! What git was asked is observed through a `git` on PATH that logs its arguments
//! before running the real one: "no `git log`" is a fact the test sees, not a timing.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// A repository of sibling locale folders whose history the test writes commit by
/// commit, at the dates it chooses, and a logging `git` for locdrift to run.
pub struct Repo {
    dir: tempfile::TempDir,
    bin: tempfile::TempDir,
    log: PathBuf,
}

impl Repo {
    pub fn new() -> Repo {
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

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn git(&self, args: &[&str], date: &str) -> String {
        crate::git_at(self.root(), args, date).trim().to_string()
    }

    /// Writes the files and commits them (and nothing else) at `date`.
    pub fn commit(&self, files: &[(&str, &str)], date: &str) -> String {
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
    pub fn check(&self, args: &[&str]) -> (String, Vec<String>) {
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
    pub fn path(&self) -> std::ffi::OsString {
        std::env::join_paths(
            std::iter::once(self.bin.path().to_path_buf())
                .chain(std::env::split_paths(&std::env::var_os("PATH").unwrap())),
        )
        .unwrap()
    }

    /// What a run without the cache reports over the whole root.
    pub fn uncached(&self) -> String {
        self.check(&["--no-cache", "."]).0
    }
}

/// The `git log` calls among `calls`.
pub fn logs(calls: &[String]) -> Vec<&String> {
    calls.iter().filter(|c| c.split(' ').any(|w| w == "log")).collect()
}

const A: &str = "# A\n\nText.\n";
const B: &str = "# B\n\nText.\n";

/// `locdrift lsp` over stdio: JSON-RPC messages framed by `Content-Length` headers.
pub struct Stdio {
    pub child: std::process::Child,
    pub out: std::io::BufReader<std::process::ChildStdout>,
}

impl Stdio {
    pub fn send(&mut self, message: serde_json::Value) {
        use std::io::Write;
        let body = message.to_string();
        let stdin = self.child.stdin.as_mut().unwrap();
        write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        stdin.flush().unwrap();
    }

    pub fn receive(&mut self) -> serde_json::Value {
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
    pub fn diagnostics(&mut self, uri: &str) -> Vec<String> {
        loop {
            let m = self.receive();
            if m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri {
                let list = m["params"]["diagnostics"].as_array().unwrap();
                return list.iter().map(|d| format!("{} {}", d["code"], d["message"])).collect();
            }
        }
    }
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
    // Each stamp is then read against its source's versions: over the whole tree, from
    // one walk of the whole history and no `--follow` of a single path (each walks the
    // whole history too).
    assert_eq!(logs.iter().filter(|c| c.contains("--follow")).count(), 0, "{logs:#?}");
    assert_eq!(logs.iter().filter(|c| c.contains("--raw") && !c.contains("--follow")).count(), 1, "{logs:#?}");
    let stamps: Vec<_> = logs.iter().filter(|c| !c.contains("--raw")).collect();
    assert_eq!(stamps.len(), locdrift::history::ASK_ONE_BY_ONE + 1, "{logs:#?}");
    assert_eq!(logs.iter().filter(|c| c.contains("--topo-order")).count(), 1, "{logs:#?}");
    // A run on a few files reads each source's own history once, whatever the order its
    // translations ask in (a budget counted in questions made this flaky: with one
    // thread, a.md's translations used it up before b.md asked).
    let named = ["sv-se/a.md", "pt-br/a.md", "sv-se/b.md", "pt-br/b.md", "nl-nl/a.md"];
    let (few, calls) = repo.check(&[&["--no-cache"][..], &named[..]].concat());
    assert_eq!(few.lines().filter(|l| l.contains("stale-translation")).count(), 4, "{few}");
    let logs = self::logs(&calls);
    let follows: Vec<&str> =
        logs.iter().filter(|c| c.contains("--follow")).map(|c| c.rsplit(' ').next().unwrap()).collect();
    assert_eq!(follows.iter().copied().collect::<BTreeSet<_>>(), BTreeSet::from(["en-us/a.md", "en-us/b.md"]));
    assert_eq!(follows.len(), 2, "{logs:#?}");
    assert_eq!(logs.iter().filter(|c| c.contains("--raw") && !c.contains("--follow")).count(), 0, "{logs:#?}");
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
