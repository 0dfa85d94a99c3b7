//! locdrift as a CI gate: suppression comments, baselines, changed-file selection,
//! sharding, per-file ignores and the config's JSON Schema.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::{locdrift, read, root};

/// Writes files (relative path, text) under `dir`.
pub fn write_tree(dir: &Path, files: &[(&str, &str)]) {
    for (rel, text) in files {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
}

/// Runs `locdrift ARGS` in `cwd`; returns (stdout, stderr, exit code).
pub fn run_in(cwd: &Path, args: &[&str]) -> (String, String, i32) {
    let out = locdrift().current_dir(cwd).args(args).output().unwrap();
    (String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap(), out.status.code().unwrap_or(-1))
}

pub const SOURCE: &str = "# Compute targets

| Target | Used for | GPU |
| --- | --- | --- |
| [AKS](https://example.com/aks) | (Preview) Real-time inference | Yes |
| [ACI](https://example.com/aci) | Testing | No |

> [!NOTE]
> Use a GPU only on AKS.

See [how to deploy](https://example.com/deploy).
";

/// The Swedish translation of `SOURCE`, without drift.
pub const CLEAN: &str = "# Beräkningsmål

| Target | Used for | GPU |
| --- | --- | --- |
| [AKS](https://example.com/aks) | (Förhandsversion) Inferens i realtid | Ja |
| [ACI](https://example.com/aci) | Testning | Nej |

> [!NOTE]
> Använd endast en GPU i AKS.

Se [hur du distribuerar](https://example.com/deploy).
";

fn concise(dir: &Path, extra: &[&str]) -> (String, i32) {
    let mut args = vec!["check", "--format", "concise"];
    args.extend_from_slice(extra);
    let (out, err, code) = run_in(dir, &args);
    assert!(code != 2, "{err}");
    (out, code)
}

// ---- suppressions -------------------------------------------------------------------

fn suppression_case(translation: &str) -> (String, i32) {
    let dir = tempfile::tempdir().unwrap();
    write_tree(dir.path(), &[("en-us/a.md", SOURCE), ("sv-se/a.md", translation)]);
    concise(dir.path(), &[])
}

#[test]
fn disable_next_line_hides_one_line() {
    let tr = CLEAN.replace(
        "Se [hur du distribuerar](https://example.com/deploy).",
        "<!-- locdrift-disable-next-line stale-link -- the old page redirects -->\nSe [hur du distribuerar](https://example.com/deploy-old).",
    );
    let (out, code) = suppression_case(&tr);
    assert_eq!((out.as_str(), code), ("", 0));
    // Another rule on that line is still reported.
    let tr = tr.replace("<!-- locdrift-disable-next-line stale-link", "<!-- locdrift-disable-next-line extra-link");
    let (out, code) = suppression_case(&tr);
    assert_eq!(code, 1);
    assert!(out.contains("sv-se/a.md:12:26: stale-link") && out.contains("unused-suppression"), "{out}");
}

#[test]
fn disable_enable_regions_end_at_enable() {
    let tr = CLEAN
        .replace("| [AKS](https://example.com/aks)", "| [AKS](https://example.com/aks-old)")
        .replace("| [ACI](https://example.com/aci)", "| [ACI](https://example.com/aci-old)")
        .replace("# Beräkningsmål\n", "# Beräkningsmål\n\n<!-- locdrift-disable stale-link,row-order -->\n")
        .replace("> [!NOTE]", "<!-- locdrift-enable -->\n\n> [!NOTE]")
        .replace("(https://example.com/deploy)", "(https://example.com/deploy-old)");
    let (out, code) = suppression_case(&tr);
    assert_eq!(code, 1);
    let lines: Vec<&str> = out.lines().collect();
    // The table's links are inside the region; the prose link after `enable` is not;
    // `row-order` hid nothing, so the comment is reported for it.
    assert_eq!(lines.len(), 2, "{out}");
    assert!(lines[0].contains("sv-se/a.md:3:1: unused-suppression `row-order` in this"), "{out}");
    assert!(lines[1].contains("stale-link") && lines[1].contains("example.com/deploy-old"), "{out}");
}

#[test]
fn disable_file_and_disable_line_in_a_table_cell() {
    let drifted = CLEAN
        .replace("| [AKS](https://example.com/aks)", "| [AKS](https://example.com/aks-old)")
        .replace("(https://example.com/deploy)", "(https://example.com/x)");
    let tr = format!("<!-- locdrift-disable-file LD301 -->\n{drifted}");
    assert_eq!(suppression_case(&tr), (String::new(), 0));
    // In a table a comment on its own line would end the table; `disable-line` sits in
    // the cell, and covers only its own row.
    let tr = drifted.replace(
        "| [AKS](https://example.com/aks-old) |",
        "| [AKS](https://example.com/aks-old) <!-- locdrift-disable-line stale-link --> |",
    );
    let (out, code) = suppression_case(&tr);
    assert_eq!(code, 1);
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.contains("stale-link link points to `https://example.com/x`"), "{out}");
}

#[test]
fn unused_and_misspelt_suppressions_are_reported() {
    let tr = CLEAN.replace(
        "Se [hur",
        "<!-- locdrift-disable-next-line stale-link -->\n<!-- locdrift-disabel-line x -->\nSe [hur",
    );
    let (out, code) = suppression_case(&tr);
    assert_eq!(code, 1);
    assert!(out.contains("sv-se/a.md:11:1: unused-suppression this `locdrift-disable-next-line` comment for `stale-link` hid nothing"), "{out}");
    assert!(out.contains("sv-se/a.md:12:1: unused-suppression unknown directive `locdrift-disabel-line`"), "{out}");
    // Judged by the whole catalogue: a suppression of a rule this run does not select
    // is still used when that rule would fire.
    let tr = CLEAN.replace(
        "Se [hur du distribuerar](https://example.com/deploy).",
        "<!-- locdrift-disable-next-line stale-link -->\nSe [hur du distribuerar](https://example.com/deploy-old).",
    );
    let dir = tempfile::tempdir().unwrap();
    write_tree(dir.path(), &[("en-us/a.md", SOURCE), ("sv-se/a.md", &tr)]);
    assert_eq!(concise(dir.path(), &["--select", "unused-suppression"]), (String::new(), 0));
}

/// The language server calls the core, not the CLI: suppressions live there.
#[test]
fn the_core_honours_suppressions() {
    let settings = locdrift::settings::Settings::default();
    let tr = CLEAN.replace("(https://example.com/deploy)", "(https://example.com/deploy-old)");
    let found = locdrift::lint_pair(SOURCE, &tr, "sv-se", &settings);
    assert!(found.iter().any(|f| f.rule == "stale-link"));
    let tr = format!("<!-- locdrift-disable-file -->\n{tr}");
    let found = locdrift::lint_pair(SOURCE, &tr, "sv-se", &settings);
    assert!(found.is_empty(), "{found:?}");
}

// ---- baselines ----------------------------------------------------------------------

#[test]
fn baseline_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let drifted = CLEAN
        .replace("| [AKS](https://example.com/aks)", "| [AKS](https://example.com/aks-old)")
        .replace("(https://example.com/deploy)", "(https://example.com/deploy-old)");
    write_tree(
        dir.path(),
        &[("en-us/a.md", SOURCE), ("sv-se/a.md", &drifted), ("en-us/b.md", SOURCE), ("sv-se/b.md", &drifted)],
    );
    let (_, err, code) = run_in(dir.path(), &["check", "--write-baseline", "locdrift-baseline.json"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("recorded 4 findings"), "{err}");
    let baseline = read(&dir.path().join("locdrift-baseline.json"));
    let doc: Value = serde_json::from_str(&baseline).unwrap();
    let entries = doc["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 4);
    assert!(entries.iter().all(|e| e.get("line").is_none() && e["count"] == 1), "{baseline}");
    assert!(
        entries.iter().any(|e| e["file"] == "sv-se/a.md"
            && e["source"] == "en-us/a.md"
            && e["key"] == "table:1/row:link:https://example.com/aks/col:1/link:https://example.com/aks->https://example.com/aks-old"),
        "{baseline}"
    );

    let with_baseline = ["check", "--format", "concise", "--baseline", "locdrift-baseline.json"];
    assert_eq!(concise(dir.path(), &with_baseline[3..]), (String::new(), 0));
    let (human, _, _) = run_in(dir.path(), &["check", "--baseline", "locdrift-baseline.json"]);
    assert!(human.starts_with("All checks passed (4 more hidden by the baseline)"), "{human}");

    // Edits above the findings move their lines, not their keys (comments: a paragraph
    // the source lacks would be a block-extra finding of its own).
    let moved = drifted
        .replace("# Beräkningsmål\n", "# Beräkningsmål\n\n<!-- En ny inledning. -->\n\n<!-- Och ett stycke till. -->\n")
        .replace("> [!NOTE]", "<!-- Mer text här. -->\n\n> [!NOTE]");
    write_tree(dir.path(), &[("sv-se/a.md", &moved)]);
    assert_eq!(concise(dir.path(), &with_baseline[3..]), (String::new(), 0), "still hidden after the edit");
    // The baseline works from another directory: its paths are relative to itself.
    let (out, err, code) = run_in(
        &dir.path().join("sv-se"),
        &["check", "--format", "concise", "--baseline", "../locdrift-baseline.json", ".."],
    );
    assert_eq!((out.as_str(), code), ("", 0), "{err}");

    // A new finding fails the gate, and only it is shown.
    let worse = moved.replace("| [ACI](https://example.com/aci)", "| [ACI](https://example.com/aci-old)");
    write_tree(dir.path(), &[("sv-se/a.md", &worse)]);
    let (out, code) = concise(dir.path(), &with_baseline[3..]);
    assert_eq!(code, 1);
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.contains("sv-se/a.md:10:") && out.contains("example.com/aci-old"), "{out}");

    // Fixing a baselined finding and pruning drops its entry; a partial run (one file)
    // prunes only the entries of the files it checked.
    let fixed = moved.replace("(https://example.com/deploy-old)", "(https://example.com/deploy)");
    write_tree(dir.path(), &[("sv-se/a.md", &fixed), ("sv-se/b.md", CLEAN)]);
    let (_, err, code) =
        run_in(dir.path(), &["check", "sv-se/a.md", "--baseline", "locdrift-baseline.json", "--prune-baseline"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("removed 1 stale entry"), "{err}");
    let pruned = read(&dir.path().join("locdrift-baseline.json"));
    let doc: Value = serde_json::from_str(&pruned).unwrap();
    let files: Vec<(&str, &str)> = doc["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["file"].as_str().unwrap(), e["key"].as_str().unwrap()))
        .collect();
    assert_eq!(
        files,
        [
            ("sv-se/a.md", "table:1/row:link:https://example.com/aks/col:1/link:https://example.com/aks->https://example.com/aks-old"),
            ("sv-se/b.md", "link:https://example.com/deploy->https://example.com/deploy-old"),
            ("sv-se/b.md", "table:1/row:link:https://example.com/aks/col:1/link:https://example.com/aks->https://example.com/aks-old"),
        ],
        "b.md was not checked, so its (now stale) entries stay"
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(!leftovers.iter().any(|n| n.to_string_lossy().ends_with(".tmp")), "{leftovers:?}");
}

#[test]
fn a_broken_baseline_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    write_tree(
        dir.path(),
        &[("en-us/a.md", SOURCE), ("sv-se/a.md", CLEAN), ("b.json", "{\"version\": 7, \"entries\": []}")],
    );
    let (_, err, code) = run_in(dir.path(), &["check", "--baseline", "b.json"]);
    assert_eq!(code, 2);
    assert!(err.contains("baseline version 7 is not supported"), "{err}");
    let (_, err, code) = run_in(dir.path(), &["check", "--prune-baseline"]);
    assert_eq!(code, 2, "--prune-baseline needs --baseline: {err}");
}

// ---- changed files ------------------------------------------------------------------

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

fn pairs_checked(dir: &Path, extra: &[&str], env: &[(&str, &str)]) -> (Vec<String>, Vec<Value>) {
    let mut cmd = locdrift();
    cmd.current_dir(dir).args(["check", "--format", "junit"]).args(extra).env_remove("GITHUB_BASE_REF");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.code() != Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    let names = text.split("<testcase name=\"").skip(1).map(|t| t.split('"').next().unwrap().to_string()).collect();
    let mut cmd = locdrift();
    cmd.current_dir(dir).args(["check", "--format", "json"]).args(extra).env_remove("GITHUB_BASE_REF");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let doc: Value = serde_json::from_slice(&cmd.output().unwrap().stdout).unwrap();
    (names, doc["findings"].as_array().unwrap().clone())
}

#[test]
fn changed_since_checks_the_pairs_touched_since_the_merge_base() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut files = Vec::new();
    for name in ["a", "b", "c", "d"] {
        files.push((format!("en-us/{name}.md"), SOURCE.to_string()));
        for locale in ["sv-se", "nl-nl"] {
            files.push((format!("{locale}/{name}.md"), CLEAN.to_string()));
        }
    }
    let refs: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    write_tree(d, &refs);
    git(d, &["init", "-q", "-b", "main"]);
    git(d, &["add", "."]);
    git(d, &["commit", "-qm", "base"]);
    git(d, &["checkout", "-qb", "feature"]);
    // Committed on the branch: a translation changed.
    write_tree(
        d,
        &[("sv-se/b.md", &CLEAN.replace("(https://example.com/deploy)", "(https://example.com/deploy-old)"))],
    );
    git(d, &["commit", "-qam", "b"]);
    // On the base branch after the fork: not this branch's change, must not be checked.
    git(d, &["checkout", "-q", "main"]);
    write_tree(d, &[("sv-se/a.md", &CLEAN.replace("Ja |", "Nej |"))]);
    git(d, &["commit", "-qam", "a on main"]);
    git(d, &["checkout", "-q", "feature"]);
    // Uncommitted: a source changed (its translations now drift) and a source deleted.
    write_tree(
        d,
        &[("en-us/c.md", &SOURCE.replace("(https://example.com/deploy)", "(https://example.com/deploy-new)"))],
    );
    std::fs::remove_file(d.join("en-us/d.md")).unwrap();

    let (pairs, findings) = pairs_checked(d, &["--changed-since", "main"], &[]);
    assert_eq!(
        pairs,
        ["nl-nl/c.md", "nl-nl/d.md", "sv-se/b.md", "sv-se/c.md", "sv-se/d.md"],
        "b's translation, c's translations (its source changed), d's orphans; never a"
    );
    let rules: Vec<(&str, &str)> =
        findings.iter().map(|f| (f["file"].as_str().unwrap(), f["rule"].as_str().unwrap())).collect();
    assert_eq!(
        rules,
        [
            ("nl-nl/c.md", "stale-link"),
            ("nl-nl/d.md", "orphan-translation"),
            ("sv-se/b.md", "stale-link"),
            ("sv-se/c.md", "stale-link"),
            ("sv-se/d.md", "orphan-translation"),
        ]
    );
    // On GitHub Actions the base branch comes from the environment (origin/main is not
    // fetched here, so `main` is used).
    let (from_env, _) = pairs_checked(d, &["--changed-since"], &[("GITHUB_BASE_REF", "main")]);
    assert_eq!(from_env, pairs);
    // Paths still narrow the run.
    let (narrow, _) = pairs_checked(d, &["--changed-since", "main", "sv-se"], &[]);
    assert_eq!(narrow, ["sv-se/b.md", "sv-se/c.md", "sv-se/d.md"]);
    let out =
        locdrift().current_dir(d).args(["check", "--changed-since"]).env_remove("GITHUB_BASE_REF").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("needs a revision"));
    let out = locdrift().current_dir(d).args(["check", "--changed-since", "no-such-rev"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "an unknown revision is a usage error");
}

// ---- shards -------------------------------------------------------------------------

#[test]
fn the_union_of_all_shards_is_the_unsharded_run() {
    let dir = tempfile::tempdir().unwrap();
    let mut files: Vec<(String, String)> = Vec::new();
    for i in 0..24 {
        files.push((format!("en-us/docs/page-{i}.md"), SOURCE.to_string()));
        for (k, locale) in ["sv-se", "de-de", "ja-jp"].iter().enumerate() {
            let text = match (i + k) % 4 {
                0 => CLEAN.to_string(),
                1 => CLEAN.replace("(https://example.com/deploy)", &format!("(https://example.com/deploy-{i})")),
                2 => CLEAN.replace("| [ACI](https://example.com/aci) | Testning | Nej |\n", ""),
                _ => CLEAN.replace("> [!NOTE]\n> Använd endast en GPU i AKS.\n", ""),
            };
            files.push((format!("{locale}/docs/page-{i}.md"), text));
        }
    }
    files.push(("sv-se/docs/orphan.md".into(), CLEAN.into()));
    let refs: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    write_tree(dir.path(), &refs);
    let findings = |extra: &[&str]| -> Vec<String> {
        let mut args = vec!["check", "--format", "concise"];
        args.extend_from_slice(extra);
        let (out, err, code) = run_in(dir.path(), &args);
        assert!(code != 2, "{err}");
        out.lines().map(String::from).collect()
    };
    let all = findings(&[]);
    assert!(all.len() > 40, "{}", all.len());
    let mut union = Vec::new();
    for k in 1..=3 {
        let shard = findings(&["--shard", &format!("{k}/3")]);
        assert!(!shard.is_empty() && shard.len() < all.len(), "shard {k}/3 has {} of {}", shard.len(), all.len());
        union.extend(shard);
    }
    union.sort();
    let mut expected = all.clone();
    expected.sort();
    assert_eq!(union, expected, "shards are disjoint and cover everything");
    assert_eq!(findings(&["--shard", "1/1"]), all);
    for bad in ["0/3", "4/3", "x", "1/0"] {
        let (_, err, code) = run_in(dir.path(), &["check", "--shard", bad]);
        assert_eq!(code, 2, "{bad}: {err}");
    }
}

// ---- config -------------------------------------------------------------------------

#[test]
fn per_file_ignores_skip_rules_for_matching_files() {
    let dir = tempfile::tempdir().unwrap();
    let drifted = CLEAN.replace("(https://example.com/deploy)", "(https://example.com/deploy-old)");
    write_tree(
        dir.path(),
        &[
            ("en-us/legacy/a.md", SOURCE),
            ("sv-se/legacy/a.md", &drifted),
            ("en-us/b.md", SOURCE),
            ("sv-se/b.md", &drifted),
            ("en-us/notes.draft.md", SOURCE),
            ("sv-se/notes.draft.md", &drifted.replace("> [!NOTE]\n> Använd endast en GPU i AKS.\n", "")),
            (
                "locdrift.yaml",
                "layout:\n  source: \"en-us/{path}\"\n  translation: \"{locale}/{path}\"\nper-file-ignores:\n  \"sv-se/legacy/**\": [stale-link]\n  \"*.draft.md\": [ALL]\n",
            ),
        ],
    );
    let (out, code) = concise(dir.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.starts_with("sv-se/b.md:11:") && out.contains("stale-link"), "{out}");
}

#[test]
fn the_checked_in_config_schema_is_current() {
    let (generated, _, code) = crate::run(&["schema"]);
    assert_eq!(code, 0);
    let checked_in = read(&root().join("locdrift.schema.json"));
    assert!(
        generated == checked_in,
        "locdrift.schema.json is out of date: run `cargo run -- schema > locdrift.schema.json`"
    );
    let schema: Value = serde_json::from_str(&checked_in).unwrap();
    let props = schema["properties"].as_object().unwrap();
    for key in ["layout", "select", "extend-select", "ignore", "per-file-ignores", "rules", "fail-on"] {
        assert!(props.contains_key(key), "{key} is in the schema");
    }
    assert_eq!(schema["additionalProperties"], false, "unknown keys are errors, as in config.rs");
    // The schema accepts the README's example config and rejects a typo.
    let validator = jsonschema::validator_for(&schema).unwrap();
    let example: Value =
        locdrift::yaml::from_str("layout:\n  source: \"en-us/{path}\"\n  translation: \"{locale}/{path}\"\nper-file-ignores:\n  \"*.md\": [stale-link]\nrules:\n  stale-link:\n    severity: error\n").unwrap();
    assert!(validator.is_valid(&example));
    let typo: Value = locdrift::yaml::from_str("fail-onn: error\n").unwrap();
    assert!(!validator.is_valid(&typo));
}
