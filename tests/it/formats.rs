//! Output formats for CI (SARIF, GitHub annotations, JUnit, GitLab Code Quality,
//! `--statistics`), each snapshotted on the Azure ML seeds and checked for what its
//! consumer relies on.
//!
//! `tests/sarif-schema-2.1.0.json` is the OASIS SARIF 2.1.0 schema
//! (`$id` https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json),
//! as shipped in the `serde-sarif` 0.8.0 crate on crates.io (`src/schema.json`, sha256
//! af47e7b67f24efe74076621fd3a5fbe7398add9e84fe820c971219a385895cea).

use serde_json::Value;

use crate::{read, root, run};

/// The findings of the JSON format, which the other formats must agree with.
fn azure_json() -> Vec<Value> {
    let (out, _) = azure("json");
    let doc: Value = serde_json::from_str(&out).unwrap();
    doc["findings"].as_array().unwrap().clone()
}

fn azure(format: &str) -> (String, i32) {
    let (out, err, code) = run(&["check", "fixtures/azure-ml", "--format", format]);
    assert!(err.is_empty(), "{err}");
    (out, code)
}

#[test]
fn sarif_is_valid_and_points_at_translation_and_source() {
    let (out, code) = azure("sarif");
    assert_eq!(code, 1, "the format does not change the exit code");
    let doc: Value = serde_json::from_str(&out).unwrap();
    let mut schema: Value = serde_json::from_str(&read(&root().join("tests/sarif-schema-2.1.0.json"))).unwrap();
    // The official schema's `language` patterns (in `run` and `toolComponent`) have a stray
    // `]`, which ECMAScript reads as a literal and the `jsonschema` crate's meta-schema
    // check rejects as an invalid regex. Escape it (same meaning); locdrift emits no
    // `language` anyway.
    let fixed = escape_stray_bracket(&mut schema);
    assert_eq!(fixed, 2, "the vendored schema changed; revisit this workaround");
    let validator = jsonschema::validator_for(&schema).expect("the SARIF schema compiles");
    let errors: Vec<String> = validator.iter_errors(&doc).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "SARIF output violates the 2.1.0 schema:\n{}", errors.join("\n"));
    // The validator is live: a result with a level SARIF does not define is rejected.
    let mut broken = doc.clone();
    broken["runs"][0]["results"][0]["level"] = Value::from("fatal");
    assert!(!validator.is_valid(&broken));

    let run = &doc["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let catalog = locdrift::catalog::all();
    assert_eq!(rules.len(), catalog.len(), "every catalog entry is a SARIF rule");
    for (rule, entry) in rules.iter().zip(catalog) {
        assert_eq!(rule["id"], entry.name.as_str());
        assert_eq!(rule["properties"]["code"], entry.code.as_str());
        assert_eq!(rule["shortDescription"]["text"], entry.summary.trim());
    }
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), azure_json().len());
    for r in results {
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], r["ruleId"], "ruleIndex points at the rule");
    }
    let sv = results
        .iter()
        .find(|r| {
            r["ruleId"] == "stale-link"
                && r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap().contains("sv-se/")
        })
        .expect("the Swedish stale link");
    let at = &sv["locations"][0]["physicalLocation"];
    assert_eq!(at["artifactLocation"]["uri"], "fixtures/azure-ml/sv-se/includes/aml-compute-target-deploy.md");
    assert_eq!((at["region"]["startLine"].as_u64(), at["region"]["startColumn"].as_u64()), (Some(28), Some(25)));
    let src = &sv["relatedLocations"][0]["physicalLocation"];
    assert_eq!(src["artifactLocation"]["uri"], "fixtures/azure-ml/en-us/includes/aml-compute-target-deploy.md");
    assert_eq!(
        sv["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"],
        "../articles/databox-online/azure-stack-edge-overview.md"
    );

    // The catalogue's prose is reviewed in rules/catalog.yaml; the snapshot keeps the
    // rule list to ids so that editing a rule's text does not churn this file.
    let mut shown = doc.clone();
    shown["runs"][0]["tool"]["driver"]["rules"] = Value::Array(rules.iter().map(|r| r["id"].clone()).collect());
    insta::assert_json_snapshot!("azure_ml_sarif", shown);
}

fn escape_stray_bracket(value: &mut Value) -> usize {
    const BROKEN: &str = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";
    match value {
        Value::String(s) if s == BROKEN => {
            *s = r"^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\]?$".to_string();
            1
        }
        Value::Array(items) => items.iter_mut().map(escape_stray_bracket).sum(),
        Value::Object(map) => map.values_mut().map(escape_stray_bracket).sum(),
        _ => 0,
    }
}

#[test]
fn github_annotations() {
    let (out, code) = azure("github");
    assert_eq!(code, 1);
    assert_eq!(out.lines().count(), azure_json().len());
    for line in out.lines() {
        assert!(line.starts_with("::warning file=") || line.starts_with("::error file="), "{line}");
        let (props, message) = line[2..].split_once("::").expect("properties::message");
        assert!(props.contains(",line=") && props.contains(",col=") && props.contains(",title="), "{line}");
        assert!(!message.is_empty());
    }
    assert!(out.contains(
        "::warning file=fixtures/azure-ml/sv-se/includes/aml-compute-target-deploy.md,line=28,endLine=28,col=25,"
    ));
    // The help goes on a second line of the annotation, escaped.
    assert!(out.contains("dropped the marker (LD110)%0Arestore the marker: (Versão prévia)"), "{out}");
    insta::assert_snapshot!("azure_ml_github", out);
}

#[test]
fn junit_has_one_testcase_per_pair() {
    let (out, code) = azure("junit");
    assert_eq!(code, 1);
    assert!(out.starts_with(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"locdrift\" tests=\"4\" failures=\"4\""
    ));
    assert_eq!(out.matches("<testcase ").count(), 4, "three pairs and one orphan");
    assert_eq!(out.matches("<testsuite ").count(), 3, "one suite per locale");
    assert_eq!(out.matches("<failure ").count(), out.matches("</failure>").count());
    let nl = "fixtures/azure-ml/nl-nl/includes/aml-compute-target-deploy.md";
    let nl_findings = azure_json().iter().filter(|f| f["file"] == nl).count();
    let case = format!(
        "<testcase name=\"{nl}\" classname=\"nl-nl\" file=\"{nl}\">\n      <failure message=\"{nl_findings} findings \
         against fixtures/azure-ml/en-us/includes/aml-compute-target-deploy.md\""
    );
    assert!(out.contains(&case), "{out}");
    assert!(!out.contains("\"Used for\""), "quotes are escaped inside XML text and attributes");
    insta::assert_snapshot!("azure_ml_junit", out);

    // A clean pair is a passing test case.
    let (out, _, code) =
        run(&["check", "fixtures/rules/stale-link/clean", "--format", "junit", "--select", "stale-link"]);
    assert_eq!(code, 0);
    assert!(out.contains("<testcase name=\"fixtures/rules/stale-link/clean/sv-se/articles/compute-targets.md\" classname=\"sv-se\" file=\"fixtures/rules/stale-link/clean/sv-se/articles/compute-targets.md\"/>"), "{out}");
    assert!(out.contains("tests=\"1\" failures=\"0\""), "{out}");
}

#[test]
fn gitlab_code_quality() {
    let (out, code) = azure("gitlab");
    assert_eq!(code, 1);
    let issues: Vec<Value> = serde_json::from_str(&out).unwrap();
    let n = azure_json().len();
    assert_eq!(issues.len(), n);
    let mut prints: Vec<&str> = issues.iter().map(|i| i["fingerprint"].as_str().unwrap()).collect();
    prints.sort();
    prints.dedup();
    assert_eq!(prints.len(), n, "fingerprints are unique");
    for i in &issues {
        assert!(i["location"]["lines"]["begin"].as_u64().unwrap() >= 1);
        assert!(["major", "minor", "info"].contains(&i["severity"].as_str().unwrap()));
    }
    insta::assert_snapshot!("azure_ml_gitlab", out);
}

#[test]
fn statistics_count_per_rule_and_locale() {
    let findings = azure_json();
    let count = |key: &str, value: &str| findings.iter().filter(|f| f[key] == value).count().to_string();
    let (stale, nl) = (count("rule", "stale-link"), count("locale", "nl-nl"));
    let (out, _, code) = run(&["check", "fixtures/azure-ml", "--statistics"]);
    assert_eq!(code, 1, "--statistics keeps the exit code");
    let rows: Vec<Vec<&str>> = out.lines().map(|l| l.split_whitespace().collect()).collect();
    assert!(rows.contains(&vec![stale.as_str(), "LD301", "stale-link", "drift", stale.as_str()]), "{out}");
    assert!(rows.contains(&vec![nl.as_str(), "nl-nl"]), "{out}");
    insta::assert_snapshot!("azure_ml_statistics", out);
    let (out, _, _) = run(&["check", "fixtures/azure-ml", "--statistics", "--format", "json"]);
    let doc: Value = serde_json::from_str(&out).unwrap();
    let stale_row = doc["rules"].as_array().unwrap().iter().find(|r| r["rule"] == "stale-link").unwrap();
    assert_eq!(stale_row["count"].to_string(), stale);
    assert_eq!(stale_row["fixable"].to_string(), stale, "every stale link in the seeds has a safe fix");
    let total: usize = doc["locales"].as_array().unwrap().iter().map(|l| l["count"].as_u64().unwrap() as usize).sum();
    assert_eq!(total, findings.len());
}
