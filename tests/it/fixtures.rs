//! Fixture trees: the Azure ML seeds end to end, and one fires/clean pair per rule.

use std::path::Path;

use locdrift::check::{self, Request};
use locdrift::render::{self, human, Sources};
use locdrift::settings::Selection;
use serde_json::Value;

use crate::{root, run};

fn json_findings(args: &[&str]) -> (Vec<Value>, i32) {
    let mut full = vec!["check", "--format", "json"];
    full.extend_from_slice(args);
    let (out, err, code) = run(&full);
    let doc: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("JSON output: {e}\n{out}\n{err}"));
    (doc["findings"].as_array().expect("findings array").clone(), code)
}

fn has(findings: &[Value], file_part: &str, rule: &str, message_part: &str) -> bool {
    findings.iter().any(|f| {
        f["file"].as_str().unwrap().contains(file_part)
            && f["rule"] == rule
            && f["message"].as_str().unwrap().contains(message_part)
    })
}

#[test]
fn azure_ml_reports_the_known_drifts() {
    let (findings, code) = json_findings(&["fixtures/azure-ml"]);
    assert_eq!(code, 1);
    assert!(has(&findings, "sv-se/includes", "stale-link", "data-box-edge-overview.md"), "sv-se Data Box Edge link");
    for locale in ["nl-nl", "pt-br"] {
        assert!(has(&findings, locale, "extra-note", "NOTE"), "{locale} second note");
        assert!(has(&findings, locale, "stale-link", "how-to-deploy-azure-kubernetes-service.md"), "{locale} AKS link");
        assert!(has(&findings, locale, "stale-link", "how-to-deploy-azure-container-instance.md"), "{locale} ACI link");
        assert!(
            has(&findings, locale, "marker-mismatch", "Azure Machine Learning compute clusters"),
            "{locale} batch inference marker"
        );
    }
    assert!(has(
        &findings,
        "sv-se/articles/machine-learning/concept-compute-target.md",
        "orphan-translation",
        "no source"
    ));
    assert!(!findings.iter().any(|f| f["rule"] == "flag-mismatch"), "Ja/Sim/Yes are the same fact");
    // The untranslated English sentence in a Swedish cell, and nothing else, is mixed language.
    let mixed: Vec<&Value> = findings.iter().filter(|f| f["rule"] == "mixed-language").collect();
    assert_eq!(mixed.len(), 1, "{mixed:?}");
    assert!(mixed[0]["file"].as_str().unwrap().contains("sv-se/includes"));
    assert!(mixed[0]["message"].as_str().unwrap().contains("Use for low-scale CPU-based workloads"));
    // The rows were aligned, not cascaded: nothing reports a missing or extra row.
    assert!(!findings.iter().any(|f| f["rule"] == "row-missing" || f["rule"] == "row-extra"));
}

#[test]
fn azure_ml_human_output() {
    let (out, _, code) = run(&["check", "fixtures/azure-ml"]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("azure_ml_human", out);
}

#[test]
fn azure_ml_json_output() {
    let (out, _, _) = run(&["check", "fixtures/azure-ml", "--format", "json"]);
    insta::assert_snapshot!("azure_ml_json", out);
}

#[test]
fn azure_ml_concise_output() {
    let (out, _, _) = run(&["check", "fixtures/azure-ml", "--format", "concise"]);
    insta::assert_snapshot!("azure_ml_concise", out);
}

/// Every `fixtures/rules/<rule>/fires` tree yields at least one finding of that rule and
/// `clean` none, with only that rule enabled; the rendered output is snapshotted.
#[test]
fn rule_fixtures_fire_and_stay_clean() {
    let dir = root().join("fixtures/rules");
    let mut rules: Vec<String> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    rules.sort();
    assert!(!rules.is_empty());
    for rule in rules {
        for case in ["fires", "clean"] {
            let rel = format!("fixtures/rules/{rule}/{case}");
            // Relative paths, as a user types them, keep absolute paths out of messages.
            let request = Request {
                paths: vec![std::path::PathBuf::from(&rel)],
                config: None,
                selection: Selection { select: Some(vec![rule.clone()]), ..Selection::default() },
                ..Request::default()
            };
            let outcome = check::run(&request).unwrap_or_else(|e| panic!("{rel}: {e}"));
            let mine = outcome.findings.iter().filter(|f| f.rule.name() == rule).count();
            let others: Vec<_> = outcome.findings.iter().filter(|f| f.rule.name() != rule).collect();
            assert!(others.is_empty(), "{rel}: only {rule} is selected, got {others:?}");
            if case == "fires" {
                assert!(mine > 0, "{rel}: expected a {rule} finding");
            } else {
                assert_eq!(mine, 0, "{rel}: expected no finding, got {:?}", outcome.findings);
            }
            let mut findings = outcome.findings.clone();
            for f in &mut findings {
                strip_root(&mut f.file);
                if let Some(s) = &mut f.source_file {
                    strip_root(s);
                }
                // Messages that name an expected file carry the absolute path of the
                // checkout; the snapshot must not depend on where the repository is.
                f.message = f.message.replace(&format!("{}/", root().display()), "");
            }
            let sources = Sources::new();
            for f in &outcome.findings {
                let mut short = f.file.clone();
                strip_root(&mut short);
                if let Ok(text) = std::fs::read_to_string(&f.file) {
                    sources.insert(&short, text);
                }
                if let Some(src) = &f.source_file {
                    let mut short = src.clone();
                    strip_root(&mut short);
                    sources.insert(&short, std::fs::read_to_string(src).unwrap());
                }
            }
            let text = human::render(&findings, &outcome.summary, &sources, human::Style::PLAIN);
            let concise = render::concise::render(&findings, &sources);
            insta::assert_snapshot!(format!("rule__{rule}__{case}"), format!("{concise}\n{text}"));
        }
    }
}

fn strip_root(path: &mut std::path::PathBuf) {
    if let Ok(rel) = path.strip_prefix(root()) {
        *path = rel.to_path_buf();
    }
}

/// Bad input is a finding for that file; the run goes on and nothing panics.
#[test]
fn bad_input_is_reported_and_the_run_goes_on() {
    let (findings, code) = json_findings(&["fixtures/bad-input"]);
    assert_eq!(code, 1);
    let find = |file: &str, rule: &str| {
        findings.iter().find(|f| f["file"].as_str().unwrap().ends_with(file) && f["rule"] == rule).cloned()
    };
    let latin1 = find("sv-se/latin1.md", "io-error").expect("io-error for a Latin-1 file");
    assert!(latin1["message"].as_str().unwrap().contains("not valid UTF-8"));
    let utf16 = find("sv-se/utf16.md", "io-error").expect("io-error for a UTF-16 file");
    assert!(utf16["message"].as_str().unwrap().contains("UTF-16"));
    let fm = find("sv-se/broken-front-matter.md", "front-matter-invalid").expect("broken front matter");
    assert_eq!(fm["line"], 3, "points at the bad YAML line: {fm}");
    // BOM + CRLF are read as text; the drift in that file is found at the right place.
    let crlf = find("sv-se/bom-crlf.md", "stale-link").expect("stale link in a BOM + CRLF file");
    assert_eq!((crlf["line"].as_u64(), crlf["column"].as_u64()), (Some(6), Some(13)), "{crlf}");
    assert!(find("sv-se/bom-crlf.md", "front-matter-invalid").is_none(), "BOM + CRLF front matter parses");
    // The good pair next to them is still checked.
    assert!(find("sv-se/fine.md", "stale-link").is_some());
}

#[test]
fn model_is_printed_as_json() {
    let (out, _, code) = run(&["model", "fixtures/azure-ml/sv-se/includes/aml-compute-target-deploy.md"]);
    assert_eq!(code, 0);
    let doc: Value = serde_json::from_str(&out).unwrap();
    let table = doc["blocks"].as_array().unwrap().iter().find(|b| b["type"] == "table").unwrap();
    let aks = &table["rows"][2];
    assert_eq!(aks["key"]["value"], "../articles/machine-learning/how-to-deploy-and-where.md#aks");
    assert_eq!(aks["cells"][2]["value"], serde_json::json!({"kind": "flag", "value": true}));
    assert!(Path::new(&root().join("fixtures/azure-ml/sv-se")).is_dir());
}

/// Microsoft's hand-off stamp: translations made from the same source version share
/// `ms.openlocfilehash`; one that differs while its `ms.date` matches was made from another.
#[test]
fn stale_translation_by_handoff_hash() {
    let dir = tempfile::tempdir().unwrap();
    let write = |rel: &str, text: &str| {
        let p = dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    let fm = |hash: &str| format!("---\ntitle: x\nms.date: 06/25/2020\nms.openlocfilehash: {hash}\n---\n\nText.\n");
    write("en-us/page.md", "---\ntitle: x\nms.date: 06/25/2020\n---\n\nText.\n");
    write("sv-se/page.md", &fm("944b96e7726f2b2becd5960a17a89c00d00c878a"));
    write("pt-br/page.md", &fm("944b96e7726f2b2becd5960a17a89c00d00c878a"));
    write("cs-cz/page.md", &fm("82234719320f1ac707147c7c8393c0464956dd99"));
    let quiet = crate::locdrift()
        .args(["check", "--format", "concise", "--select", "stale-translation"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(quiet.stdout.is_empty(), "the hash signal is off by default");
    write("locdrift.yaml", "rules:\n  stale-translation:\n    handoff-hash: true\n");
    let out = crate::locdrift()
        .args(["check", "--format", "concise", "--select", "stale-translation"])
        .arg(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1, "{text}");
    assert!(lines[0].contains("cs-cz/page.md:4:1: stale-translation translated from another source version"), "{text}");
    assert!(lines[0].contains("pt-br, sv-se"), "{text}");
}

/// Git history and explicit source stamps (MDN's `l10n.sourceCommit`).
#[test]
fn stale_translation_from_git_history_and_stamps() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let git = |args: &[&str], date: &str| crate::git_at(root, args, date);
    let write = |rel: &str, text: &str| {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    git(&["init", "-q"], "2024-01-01T00:00:00Z");
    write("en-us/a.md", "Text.\n");
    write("en-us/b.md", "Text.\n");
    git(&["add", "."], "2024-01-01T00:00:00Z");
    git(&["commit", "-qm", "sources"], "2024-01-01T00:00:00Z");
    let first = git(&["rev-parse", "HEAD"], "2024-01-01T00:00:00Z").trim().to_string();
    write("sv-se/a.md", "Text.\n");
    write("sv-se/b.md", &format!("---\nl10n:\n  sourceCommit: {first}\n---\n\nText.\n"));
    git(&["add", "."], "2024-01-02T00:00:00Z");
    git(&["commit", "-qm", "translations"], "2024-01-02T00:00:00Z");
    write("en-us/a.md", "Text, changed.\n");
    write("en-us/b.md", "Text, changed.\n");
    git(&["commit", "-qam", "source update"], "2024-01-12T00:00:00Z");
    let out = crate::locdrift()
        .args(["check", "--format", "concise", "--select", "stale-translation"])
        .arg(root)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains(
            "sv-se/a.md:1:1: stale-translation the source was committed 10 days after the translation's last commit"
        ),
        "{text}"
    );
    assert!(
        text.contains(&format!("sv-se/b.md:3:1: stale-translation the source changed after commit {}", &first[..10])),
        "{text}"
    );
    assert_eq!(text.lines().count(), 2, "{text}");
}
