//! Recall and precision on a generated corpus (bench/corpus/): every injected drift found, nothing else.

// The generator is shared with the `gen-corpus` example; this crate uses part of it.
#[allow(dead_code)]
#[path = "../../bench/corpus/mod.rs"]
pub(crate) mod corpus;

use std::path::Path;

use locdrift::check::{self, Request};
use locdrift::rules::RULES;

/// (file relative to the corpus, rule) of every finding of a default `locdrift check`.
fn lint(root: &Path) -> Vec<(String, String)> {
    let outcome = check::run(&Request { paths: vec![root.to_path_buf()], ..Request::default() }).expect("check runs");
    outcome
        .findings
        .iter()
        .map(|f| {
            let rel = f.file.strip_prefix(root).expect("findings are under the root");
            (locdrift::discover::to_slash(rel), f.rule.to_string())
        })
        .collect()
}

#[test]
fn every_injected_drift_is_reported_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let options = corpus::Options { sources: 200, locales: 3, seed: 7, drift_rate: 0.1 };
    let made = corpus::generate(dir.path(), &options).unwrap();
    assert_eq!(made.files, 800);
    assert_eq!(corpus::read_expected(dir.path()).unwrap(), made.expected, "expected.jsonl round-trips");
    // Every kind of drift the generator knows is in this corpus, so a rule that stops
    // firing (or starts firing on faithful translations) cannot go unnoticed.
    for drift in corpus::DRIFTS {
        assert!(made.expected.iter().any(|e| e.what == drift.what), "never injected: {}", drift.what);
    }
    let findings = lint(dir.path());
    let verdict = corpus::verify(&made.expected, &findings);
    assert!(verdict.missed.is_empty(), "drifts not reported with their rule: {:#?}", verdict.missed);
    assert!(verdict.unexpected.is_empty(), "findings without an injected drift: {:#?}", verdict.unexpected);
    let table: String = verdict
        .by_rule
        .iter()
        .map(|(rule, (injected, found))| format!("{rule:<22} injected {injected:>2}, reported {found:>2}\n"))
        .collect();
    insta::assert_snapshot!("generated_corpus_by_rule", table);
}

#[test]
fn every_drift_names_a_rule() {
    for drift in corpus::DRIFTS {
        assert!(RULES.iter().any(|r| r.name == drift.rule), "{}: no rule `{}` in RULES", drift.what, drift.rule);
    }
}

#[test]
fn the_same_options_write_the_same_corpus() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let options = corpus::Options { sources: 12, locales: 2, seed: 3, drift_rate: 0.5 };
    let made_a = corpus::generate(a.path(), &options).unwrap();
    let made_b = corpus::generate(b.path(), &options).unwrap();
    assert_eq!(made_a.expected, made_b.expected);
    assert_eq!(made_a.bytes, made_b.bytes);
    let first = "en-us/includes";
    let names = |d: &Path| {
        let mut v: Vec<_> = std::fs::read_dir(d.join(first)).unwrap().map(|e| e.unwrap().file_name()).collect();
        v.sort();
        v
    };
    assert_eq!(names(a.path()), names(b.path()));
    for name in names(a.path()) {
        let rel = Path::new(first).join(name);
        assert_eq!(std::fs::read(a.path().join(&rel)).unwrap(), std::fs::read(b.path().join(&rel)).unwrap());
    }
}

/// What the corpus looks like, for review: an include file (a compute-target table and
/// notes) and its Japanese translation.
#[test]
fn a_generated_page_and_its_translation() {
    let dir = tempfile::tempdir().unwrap();
    let options = corpus::Options { sources: 5, locales: 6, seed: 11, drift_rate: 0.0 };
    corpus::generate(dir.path(), &options).unwrap();
    let include = std::fs::read_dir(dir.path().join("en-us/includes")).unwrap().next().unwrap().unwrap().file_name();
    let rel = Path::new("includes").join(include);
    let source = crate::read(&dir.path().join("en-us").join(&rel));
    let translation = crate::read(&dir.path().join("ja-jp").join(&rel));
    assert!(source.contains("| ----- |") && translation.contains("ms.contentlocale: ja-JP"));
    insta::assert_snapshot!("generated_page", format!("{source}\n======== ja-jp ========\n\n{translation}"));
    assert!(lint(dir.path()).is_empty(), "a corpus without drifts is clean");
}

/// A pre-commit run names a few files; it must report for them exactly what a run on
/// the whole tree reports for them (their pairs, orphans and missing translations),
/// although it pairs only the files that share their paths.
#[test]
fn a_few_files_are_checked_as_in_the_whole_tree() {
    let dir = tempfile::tempdir().unwrap();
    let options = corpus::Options { sources: 60, locales: 3, seed: 5, drift_rate: 0.3 };
    let made = corpus::generate(dir.path(), &options).unwrap();
    // (file relative to the corpus, rule, offset, message), sorted.
    let run = |files: &[String]| {
        let selection =
            locdrift::settings::Selection { extend_select: vec!["missing-translation".into()], ..Default::default() };
        let paths = if files.is_empty() {
            vec![dir.path().to_path_buf()]
        } else {
            files.iter().map(|f| dir.path().join(f)).collect()
        };
        let outcome = check::run(&Request { paths, selection, ..Request::default() }).expect("check runs");
        let mut found: Vec<(String, String, usize, String)> = outcome
            .findings
            .iter()
            .map(|f| {
                let rel = locdrift::discover::to_slash(f.file.strip_prefix(dir.path()).unwrap());
                (rel, f.rule.to_string(), f.span.start, f.message.clone())
            })
            .collect();
        found.sort();
        found
    };
    let whole = run(&[]);
    let first = |rule: &str| made.expected.iter().find(|e| e.rule == rule).expect(rule).file.clone();
    let (orphan, drifted, broken) = (first("orphan-translation"), first("stale-link"), first("io-error"));
    let source = format!("en-us/{}", drifted.split_once('/').unwrap().1);
    // The source whose translation was left behind under an old name misses it.
    let renamed = format!("en-us/{}", orphan.split_once('/').unwrap().1.replace("previous-", ""));
    for files in [
        vec![drifted.clone()],
        vec![source.clone()],
        vec![orphan.clone()],
        vec![renamed.clone()],
        vec![drifted.clone(), broken.clone(), source.clone(), renamed.clone()],
    ] {
        // A finding concerns the named files if it is on one of them or, for a named
        // source, on one of its translations.
        let concerns = |file: &str| {
            files.iter().any(|f| {
                file == f
                    || f.strip_prefix("en-us/").is_some_and(|rest| file.split_once('/').is_some_and(|(_, r)| r == rest))
            })
        };
        let expected: Vec<_> = whole.iter().filter(|(file, ..)| concerns(file)).cloned().collect();
        assert!(!expected.is_empty(), "{files:?}: the whole run reports something about them");
        assert_eq!(run(&files), expected, "{files:?}");
    }
}
