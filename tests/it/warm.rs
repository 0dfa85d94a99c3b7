//! Warm runs at scale: with every pair found in the cache by file metadata alone, each
//! format prints what a run without the cache prints, byte for byte.

use std::path::Path;
use std::time::Duration;

use locdrift::check::{self, Request};

use crate::generated::corpus;
use crate::{locdrift, write_file};

const FORMATS: [&str; 7] = ["json", "human", "concise", "sarif", "github", "junit", "gitlab"];

/// A generated corpus with drifts of every kind, old enough that the cache records its
/// files' metadata: a file touched within two seconds of a run is always read again.
fn settled_corpus() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let options = corpus::Options { sources: 120, locales: 3, seed: 9, drift_rate: 0.2 };
    corpus::generate(dir.path(), &options).unwrap();
    std::thread::sleep(Duration::from_millis(2100));
    dir
}

fn check(dir: &Path, format: &str, extra: &[&str]) -> String {
    let out = locdrift().args(["check", "--format", format]).args(extra).arg(dir).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{format}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn a_warm_run_prints_what_a_run_without_cache_prints() {
    let dir = settled_corpus();
    let cache = dir.path().join(".locdrift-cache/findings-v1.bin");
    let uncached: Vec<String> = FORMATS.iter().map(|f| check(dir.path(), f, &["--no-cache"])).collect();
    assert!(uncached[0].contains("\"rule\": \"stale-link\""), "{}", uncached[0]);
    assert_eq!(check(dir.path(), "json", &[]), uncached[0], "cold, writing the cache");
    let written = std::fs::read(&cache).unwrap();
    for (format, expected) in FORMATS.iter().zip(&uncached) {
        assert_eq!(&check(dir.path(), format, &[]), expected, "warm, {format}");
    }
    // Every pair was known by its files' metadata: nothing was renewed, so nothing
    // was written.
    assert_eq!(std::fs::read(&cache).unwrap(), written);
}

/// The list of every translation checked is made only for what reads it; the findings
/// and the counts do not depend on it.
#[test]
fn the_inventory_is_made_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let options = corpus::Options { sources: 40, locales: 3, seed: 4, drift_rate: 0.3 };
    corpus::generate(dir.path(), &options).unwrap();
    let run = |no_inventory| {
        check::run(&Request { paths: vec![dir.path().to_path_buf()], no_inventory, ..Request::default() }).unwrap()
    };
    let (full, lean) = (run(false), run(true));
    assert_eq!(full.findings, lean.findings);
    assert!(full.summary.orphans > 0, "orphans are listed too");
    assert_eq!(full.summary.pairs.len(), full.summary.translations + full.summary.orphans);
    assert_eq!(full.translations.len(), full.summary.pairs.len());
    assert!(lean.summary.pairs.is_empty() && lean.translations.is_empty());
    let counts = |o: &check::Outcome| {
        let s = &o.summary;
        (s.files, s.sources, s.translations, s.orphans, s.missing_translations, s.locales.clone(), s.by_locale.clone())
    };
    assert_eq!(counts(&full), counts(&lean));
    // Listed in path order, as `Path` orders them.
    let files: Vec<&Path> = full.translations.iter().map(|t| t.file.as_path()).collect();
    assert!(files.windows(2).all(|w| w[0] < w[1]), "{files:?}");
    assert!(full.summary.pairs.windows(2).all(|w| w[0] < w[1]));
}

/// A translation that is not text is known from its content: the cache keeps its
/// `io-error`, but not while its source is not text either, whose own `io-error` only
/// a run that reads the source reports.
#[test]
fn files_that_are_not_text_are_reported_by_warm_runs() {
    let dir = tempfile::tempdir().unwrap();
    let write = |rel: &str, bytes: &[u8]| write_file(&dir.path().join(rel), bytes);
    write("en-us/a.md", "# Café\n\nText.\n".as_bytes());
    write("sv-se/a.md", b"# Caf\xe9\n\nText.\n");
    write("en-us/b.md", b"# B\xe9\n\nText.\n");
    write("sv-se/b.md", b"# B\xe9\n\nText.\n");
    std::thread::sleep(Duration::from_millis(2100));
    let expected = check(dir.path(), "concise", &["--no-cache"]);
    for file in ["sv-se/a.md", "en-us/b.md", "sv-se/b.md"] {
        assert!(expected.lines().any(|l| l.contains(file) && l.contains("io-error")), "{file}: {expected}");
    }
    assert_eq!(check(dir.path(), "concise", &[]), expected, "cold");
    let cache = std::fs::read(dir.path().join(".locdrift-cache/findings-v1.bin")).unwrap();
    let has = |rel: &str| cache.windows(rel.len()).any(|w| w == rel.as_bytes());
    assert!(has("sv-se/a.md") && !has("sv-se/b.md"), "what the cache keeps");
    assert_eq!(check(dir.path(), "concise", &[]), expected, "warm");
}

/// An orphan's findings come from the cache too, and name the source it would have as
/// the root was written in each run, whatever the run that stored them wrote.
#[test]
fn orphans_are_cached_with_the_root_as_written() {
    let dir = tempfile::tempdir().unwrap();
    for (rel, text) in [
        ("en-us/a.md", "# A\n\nSee [B](b.md).\n"),
        ("sv-se/a.md", "# A\n\nSe [B](b.md).\n"),
        ("sv-se/gone.md", "---\ntitle: [broken\n---\n# Borta\n\nSe [A](a.md).\n"),
    ] {
        write_file(&dir.path().join(rel), text);
    }
    std::thread::sleep(Duration::from_millis(2100));
    let run = |root: &str, extra: &[&str]| {
        let out = locdrift().current_dir(dir.path()).args(["check", "--format", "concise", root]).args(extra).output();
        String::from_utf8(out.unwrap().stdout).unwrap()
    };
    let absolute = dir.path().to_str().unwrap();
    let (here, there) = (run(".", &["--no-cache"]), run(absolute, &["--no-cache"]));
    assert!(here.contains("expected `en-us/gone.md`") && here.contains("front-matter-invalid"), "{here}");
    assert!(there.contains(&format!("expected `{}`", dir.path().join("en-us/gone.md").display())), "{there}");
    let cache = dir.path().join(".locdrift-cache/findings-v1.bin");
    assert_eq!(run(absolute, &[]), there, "cold");
    let written = std::fs::read(&cache).unwrap();
    assert_eq!(run(absolute, &[]), there, "warm");
    assert_eq!(std::fs::read(&cache).unwrap(), written, "the orphan was known by its metadata");
    assert_eq!(run(".", &[]), here, "warm, the root written otherwise");
    assert_eq!(run(".", &[]), here);
}

/// The translations of a generated corpus, sorted.
fn translations(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    for locale in std::fs::read_dir(dir).unwrap() {
        let locale = locale.unwrap().path();
        if !locale.is_dir() || locale.ends_with("en-us") || locale.ends_with(".locdrift-cache") {
            continue;
        }
        let mut stack = vec![locale];
        while let Some(folder) = stack.pop() {
            for entry in std::fs::read_dir(folder).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "md") {
                    found.push(path);
                }
            }
        }
    }
    found.sort();
    found
}

/// Whether the cache file is one body: its header's length is the rest of the file.
fn one_body(bytes: &[u8]) -> bool {
    let mut lines = bytes.splitn(4, |&b| b == b'\n');
    let (_, _, sum) = (lines.next(), lines.next(), lines.next().unwrap());
    let len: usize = std::str::from_utf8(sum).unwrap().split(' ').nth(1).unwrap().parse().unwrap();
    lines.next().unwrap().len() == len
}

/// A run that learnt a few pairs appends them to the cache file instead of writing it
/// again; many pairs, or a damaged appended part, make it write the whole file. Each
/// run prints what a run without the cache prints.
#[test]
fn a_few_changes_are_appended_to_the_cache() {
    let dir = settled_corpus();
    let cache = dir.path().join(".locdrift-cache/findings-v1.bin");
    let edit = |files: &[std::path::PathBuf]| {
        for f in files {
            let text = std::fs::read(f).unwrap();
            std::fs::write(f, [text.as_slice(), "\nEtt nytt stycke med en [länk](saknas.md).\n".as_bytes()].concat())
                .unwrap();
        }
    };
    let agree =
        |what: &str| assert_eq!(check(dir.path(), "json", &[]), check(dir.path(), "json", &["--no-cache"]), "{what}");
    agree("cold");
    let cold = std::fs::read(&cache).unwrap();
    assert!(one_body(&cold));
    let files = translations(dir.path());
    assert!(files.len() > 300, "{}", files.len());
    edit(&files[..3]);
    agree("three files changed");
    let appended = std::fs::read(&cache).unwrap();
    assert!(appended.len() > cold.len() && appended.starts_with(&cold), "appended to");
    assert!(appended.len() - cold.len() < cold.len() / 20, "{} of {}", appended.len() - cold.len(), cold.len());
    agree("warm after the append");
    // A damaged tail is not trusted, and goes at the next write.
    std::fs::write(&cache, [appended.as_slice(), b"\x07\x00\x00\x00\x00\x00\x00\x00torn"].concat()).unwrap();
    agree("a torn append");
    let rewritten = std::fs::read(&cache).unwrap();
    assert!(one_body(&rewritten), "rewritten without the damage");
    // Many changes: the whole file is written again.
    edit(&files[3..]);
    agree("most files changed");
    assert!(one_body(&std::fs::read(&cache).unwrap()));
}
