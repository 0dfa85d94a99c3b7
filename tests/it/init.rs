//! `locdrift init`: on each layout fixture the written config pairs what detection pairs;
//! an existing config is never overwritten.

use std::collections::BTreeMap;
use std::path::Path;

use locdrift::check::{self, LocaleCounts, Request};
use locdrift::config;
use locdrift::rules::RuleId;

use crate::{locdrift, read, root};

type Pairs = Vec<(String, String, String, bool)>;

/// What `check DIR` pairs: (locale, translation, source, orphan) relative to `dir`, and
/// the counts per locale (missing translations included).
fn pairs(dir: &Path) -> (Pairs, BTreeMap<String, LocaleCounts>) {
    let outcome = check::run(&Request { paths: vec![dir.to_path_buf()], ..Request::default() })
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let rel = |p: &Path| p.strip_prefix(dir).unwrap_or(p).to_string_lossy().replace('\\', "/");
    let list =
        outcome.translations.iter().map(|t| (t.locale.clone(), rel(&t.file), rel(&t.source_file), t.orphan)).collect();
    (list, outcome.summary.by_locale)
}

#[test]
fn init_writes_a_config_that_pairs_what_detection_pairs() {
    for layout in ["sibling", "segment", "suffix", "docusaurus"] {
        let fixture = root().join("fixtures/layouts").join(layout);
        assert!(!fixture.join(config::FILE_NAME).exists(), "{layout}: the fixture must be detected, not configured");
        let (detected, counts) = pairs(&fixture);
        assert!(detected.len() >= 3, "{layout}: detection pairs the fixture: {detected:?}");

        let tmp = tempfile::tempdir().unwrap();
        crate::copy_tree(&fixture, tmp.path());
        let out = locdrift().arg("init").arg(tmp.path()).output().unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert_eq!(out.status.code(), Some(0), "{layout}: {stdout}{}", String::from_utf8_lossy(&out.stderr));
        assert!(stdout.starts_with("Wrote ") && stdout.contains("Next: locdrift check"), "{stdout}");

        let written = tmp.path().join(config::FILE_NAME);
        let text = read(&written);
        let loaded = config::load(&written).unwrap_or_else(|e| panic!("{layout}: the written config loads: {e}"));
        assert!(loaded.layout.is_some(), "{layout}: the config states the layout");
        let (configured, configured_counts) = pairs(tmp.path());
        assert_eq!(configured, detected, "{layout}: the config pairs what detection pairs");
        assert_eq!(configured_counts, counts, "{layout}: same locales, missing and orphans");
        insta::assert_snapshot!(format!("init__{layout}"), text);
    }
}

#[test]
fn init_detects_source_locale_and_locales() {
    let tmp = tempfile::tempdir().unwrap();
    crate::copy_tree(&root().join("fixtures/layouts/segment"), tmp.path());
    let p = locdrift::init::propose(tmp.path(), false).unwrap();
    assert_eq!(p.layout.source.pattern, "content/en/{path}");
    assert_eq!(p.layout.translation.pattern, "content/{locale}/{path}");
    assert_eq!(p.source_locale, "en");
    assert_eq!(p.locales, vec![("fr".to_string(), 2), ("zh-hans".to_string(), 1)]);
    assert_eq!(p.sources, 2);
    // Suffix names carry no source locale; the sources' front matter does (`lang: en`).
    let p = locdrift::init::propose(&root().join("fixtures/layouts/suffix"), false).unwrap();
    assert_eq!((p.source_locale.as_str(), p.source_locale_from.as_deref()), ("en", Some("lang")));
    assert_eq!(p.locales, vec![("de".to_string(), 1), ("fr".to_string(), 2)]);
}

#[test]
fn init_refuses_to_overwrite_a_config() {
    let tmp = tempfile::tempdir().unwrap();
    crate::copy_tree(&root().join("fixtures/layouts/sibling"), tmp.path());
    let mine = "# hand-written\nfail-on: error\n";
    std::fs::write(tmp.path().join(config::FILE_NAME), mine).unwrap();
    let out = locdrift().arg("init").arg(tmp.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("locdrift.yaml already exists; not overwriting it"), "{err}");
    assert_eq!(read(&tmp.path().join(config::FILE_NAME)), mine, "the existing config is untouched");
}

#[test]
fn init_without_a_layout_says_what_it_expected() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("readme.md"), "# Hello\n").unwrap();
    let out = locdrift().arg("init").arg(tmp.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("no localized layout detected") && err.contains("layout:"), "{err}");
    assert!(!tmp.path().join(config::FILE_NAME).exists(), "nothing is written");
}

/// The commented-out examples are valid config too: uncommented, they load.
#[test]
fn commented_examples_in_the_config_are_valid() {
    let tmp = tempfile::tempdir().unwrap();
    crate::copy_tree(&root().join("fixtures/layouts/sibling"), tmp.path());
    let proposal = locdrift::init::propose(tmp.path(), false).unwrap();
    let text = locdrift::init::render(&proposal);
    let key = regex::Regex::new(r#"^# ( *)([a-z-]+|"[a-z]+"):( |$)"#).unwrap();
    let mut uncommented = 0;
    let all: String = text
        .lines()
        .map(|l| {
            if key.is_match(l) {
                uncommented += 1;
                format!("{}\n", &l[2..])
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    assert!(uncommented >= 12, "the examples were found ({uncommented} lines):\n{all}");
    let c = config::parse(&tmp.path().join(config::FILE_NAME), &all).unwrap_or_else(|e| panic!("{e}\n{all}"));
    assert_eq!(c.settings.severity(RuleId::StaleLink), locdrift::finding::Severity::Error);
    assert!(!c.settings.is_enabled(RuleId::ExtraLink) && !c.settings.is_enabled(RuleId::RowOrder));
    assert_eq!(c.exclude, vec!["**/includes/legacy/**".to_string()]);
}
