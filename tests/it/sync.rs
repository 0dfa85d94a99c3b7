//! Sync points and what changed since (`stale-translation`, `locdrift diff`, `locdrift
//! stamp`), on git repositories the tests write commit by commit: cosmetic source edits
//! leave a translation up to date, a translation's typo fix or a bulk commit does not
//! hide a meaningful source change, stamps are believed, and a run without full history
//! says so.

use crate::history::{logs, Repo, Stdio};

const EN: &str = "---
title: Pods
---
# Pods

A Pod runs [containers](/docs/concepts/containers/) with `kubectl run`.

{{< feature-state for_k8s_version=\"v1.24\" state=\"alpha\" >}}

{{< note >}}
Pods are ephemeral.
{{< /note >}}

## Before you begin

- Install kubectl.
- Start a cluster.

## Create a Pod

Run the command and wait for the Pod to start. It takes a few seconds on most clusters, depending
on how fast the image is pulled.

## Clean up

```shell
kubectl delete pod nginx
```
";

const SV: &str = "---
title: Poddar
---
# Poddar

En Pod kör [behållare](/docs/concepts/containers/) med `kubectl run`.

{{< feature-state for_k8s_version=\"v1.24\" state=\"alpha\" >}}

{{< note >}}
Poddar är kortlivade.
{{< /note >}}

## Innan du börjar

- Installera kubectl.
- Starta ett kluster.

## Skapa en Pod

Kör kommandot och vänta tills Podden startar. Det tar några sekunder i de flesta kluster.

## Rensa

```shell
kubectl delete pod nginx
```
";

const DAY1: &str = "2024-03-01T10:00:00Z";

/// The English page made meaningfully newer: a list item more, other code, and the
/// feature state moved from alpha in 1.24 to beta in 1.26.
fn newer(en: &str) -> String {
    en.replace("- Start a cluster.\n", "- Start a cluster.\n- Enable the feature gate.\n")
        .replace("kubectl delete pod nginx", "kubectl delete pod nginx --now")
        .replace("\"v1.24\" state=\"alpha\"", "\"v1.26\" state=\"beta\"")
}

/// A repository with the page and its Swedish translation committed on day 1.
fn repo() -> (Repo, String) {
    let repo = Repo::new();
    let first = repo.commit(&[("en-us/pods.md", EN), ("sv-se/pods.md", SV)], DAY1);
    (repo, first)
}

/// `check --format json --select stale-translation` without the cache: the findings.
fn stale(repo: &Repo, extra: &[&str]) -> Vec<serde_json::Value> {
    let out = crate::locdrift()
        .current_dir(repo.root())
        .args(["check", "--format", "json", "--no-cache", "--select", "stale-translation"])
        .args(extra)
        .arg(".")
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    json["findings"].as_array().unwrap().clone()
}

#[test]
fn cosmetic_source_commits_leave_the_translation_up_to_date() {
    let (repo, _) = repo();
    type Edit = fn(&str) -> String;
    let edits: [(&str, Edit); 5] = [
        ("emphasis", |t| t.replace("A Pod runs", "A *Pod* runs").replace("Install kubectl.", "Install **kubectl**.")),
        ("link canonicalization", |t| t.replace("(/docs/concepts/containers/)", "(/docs/concepts/containers)")),
        ("shortcode delimiters", |t| {
            t.replace("{{< note >}}", "{{% note %}}").replace("{{< /note >}}", "{{% /note %}}")
        }),
        ("reflow", |t| {
            t.replace(
                "It takes a few seconds on most clusters, depending\non how",
                "It takes a few seconds\non most clusters, depending on how",
            )
        }),
        ("heading id", |t| t.replace("## Clean up\n", "## Clean up {#clean-up}\n")),
    ];
    let mut en = EN.to_string();
    for (day, (what, edit)) in edits.iter().enumerate() {
        let edited = edit(&en);
        assert_ne!(edited, en, "{what} changes the text");
        en = edited;
        repo.commit(&[("en-us/pods.md", &en)], &format!("2024-03-0{}T10:00:00Z", day + 2));
        assert_eq!(stale(&repo, &[]), Vec::<serde_json::Value>::new(), "after {what}");
    }
}

#[test]
fn a_translation_typo_fix_does_not_hide_a_meaningful_source_change() {
    let (repo, first) = repo();
    repo.commit(&[("en-us/pods.md", &newer(EN))], "2024-03-05T10:00:00Z");
    // The translation's last commit is now the newest of all.
    repo.commit(&[("sv-se/pods.md", &SV.replace("kortlivade", "kortlivade."))], "2024-03-06T10:00:00Z");
    let found = stale(&repo, &[]);
    assert_eq!(found.len(), 1, "{found:#?}");
    let f = &found[0];
    assert_eq!(f["sync"]["commit"], first.as_str());
    assert_eq!(f["sync"]["date"], "2024-03-01");
    assert_eq!(f["sync"]["changes"], 3);
    assert_eq!(
        f["message"],
        format!(
            "3 changes since 2024-03-01 ({}): text in 'Pods' changed; 'Before you begin' +1 list item; \
             code in 'Clean up' changed",
            &first[..7]
        )
    );
    assert_eq!(f["file"], "sv-se/pods.md");
}

#[test]
fn a_bulk_commit_over_every_translation_is_not_an_update() {
    let (repo, first) = repo();
    let nl = SV.replace("Poddar", "Pods");
    repo.commit(&[("nl-nl/pods.md", &nl)], "2024-03-01T11:00:00Z");
    repo.commit(&[("en-us/pods.md", &newer(EN))], "2024-03-05T10:00:00Z");
    // "*: synchronize all translations": front matter reordered, trailing space dropped,
    // nothing said differently.
    let sync = |t: &str| t.replacen("---\ntitle:", "---\n# synced\ntitle:", 1);
    repo.commit(&[("sv-se/pods.md", &sync(SV)), ("nl-nl/pods.md", &sync(&nl))], "2024-03-07T10:00:00Z");
    let found = stale(&repo, &[]);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(found.iter().all(|f| f["sync"]["changes"] == 3), "{found:#?}");
    assert_eq!(found[0]["sync"]["commit"], first.as_str());
    // A real update of the Swedish page: up to date again.
    let updated = sync(SV)
        .replace("- Starta ett kluster.\n", "- Starta ett kluster.\n- Aktivera funktionen.\n")
        .replace("kubectl delete pod nginx", "kubectl delete pod nginx --now")
        .replace("\"v1.24\" state=\"alpha\"", "\"v1.26\" state=\"beta\"");
    repo.commit(&[("sv-se/pods.md", &updated)], "2024-03-08T10:00:00Z");
    let found = stale(&repo, &[]);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0]["file"], "nl-nl/pods.md");
}

#[test]
fn a_commit_marked_skip_l10n_needs_no_translation() {
    let (repo, _) = repo();
    repo.commit(&[("en-us/pods.md", &EN.replace("kubectl delete pod nginx", "kubectl delete pods nginx"))], DAY1);
    repo.git(&["commit", "-q", "--amend", "-m", "Fix the command\n\n[skip l10n]"], "2024-03-02T10:00:00Z");
    assert_eq!(stale(&repo, &[]), Vec::<serde_json::Value>::new());
    // A later meaningful commit is counted, the skipped one still is not.
    let en = EN.replace("kubectl delete pod nginx", "kubectl delete pods nginx");
    repo.commit(
        &[("en-us/pods.md", &en.replace("- Start a cluster.\n", "- Start a cluster.\n- Log in.\n"))],
        "2024-03-03T10:00:00Z",
    );
    let found = stale(&repo, &[]);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0]["sync"]["changes"], 1, "{found:#?}");
}

#[test]
fn a_stamped_translation_is_judged_from_its_stamp() {
    let (repo, first) = repo();
    let second = repo.commit(&[("en-us/pods.md", &newer(EN))], "2024-03-05T10:00:00Z");
    // Stamped at the first commit, though its content would match neither better.
    let stamped = |commit: &str| SV.replacen("---\n", &format!("---\ndefault_lang_commit: {commit}\n"), 1);
    repo.commit(&[("sv-se/pods.md", &stamped(&first[..10]))], "2024-03-06T10:00:00Z");
    let found = stale(&repo, &[]);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0]["sync"]["commit"], first.as_str());
    assert_eq!(found[0]["line"], 2, "reported at the stamp");
    // Stamped at the newer commit: believed, though the text still is the old one.
    repo.commit(&[("sv-se/pods.md", &stamped(&second))], "2024-03-07T10:00:00Z");
    assert_eq!(stale(&repo, &[]), Vec::<serde_json::Value>::new());
}

#[test]
fn stamp_then_check_is_clean_and_fix_never_stamps() {
    let (repo, _) = repo();
    let second = repo.commit(&[("en-us/pods.md", &newer(EN))], "2024-03-05T10:00:00Z");
    let run = |args: &[&str]| {
        let out = crate::locdrift().current_dir(repo.root()).args(args).output().unwrap();
        (String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap(), out.status.code().unwrap())
    };
    let before = std::fs::read_to_string(repo.root().join("sv-se/pods.md")).unwrap();
    let (_, _, code) = run(&["check", "--fix", "--no-cache", "."]);
    assert_eq!(code, 1);
    let fixed = std::fs::read_to_string(repo.root().join("sv-se/pods.md")).unwrap();
    assert!(!fixed.contains("sourceCommit") && !fixed.contains("default_lang_commit"), "--fix never stamps: {fixed}");
    std::fs::write(repo.root().join("sv-se/pods.md"), &before).unwrap();
    // The code differs from the source's: not stamped without --force.
    let (out, err, code) = run(&["stamp", "sv-se/pods.md"]);
    assert_eq!((out.as_str(), code), ("", 1), "{err}");
    assert!(err.contains("not stamped: ") && err.contains("code-mismatch"), "{err}");
    assert_eq!(std::fs::read_to_string(repo.root().join("sv-se/pods.md")).unwrap(), before);
    // Translated: stamped with the source's last commit, every other byte kept.
    let updated = SV
        .replace("- Starta ett kluster.\n", "- Starta ett kluster.\n- Aktivera funktionen.\n")
        .replace("kubectl delete pod nginx", "kubectl delete pod nginx --now")
        .replace("\"v1.24\" state=\"alpha\"", "\"v1.26\" state=\"beta\"");
    std::fs::write(repo.root().join("sv-se/pods.md"), &updated).unwrap();
    let (out, err, code) = run(&["stamp", "sv-se/pods.md"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, format!("sv-se/pods.md: l10n.sourceCommit = {second}\n"));
    let now = std::fs::read_to_string(repo.root().join("sv-se/pods.md")).unwrap();
    assert_eq!(
        now,
        updated.replacen("title: Poddar\n", &format!("title: Poddar\nl10n:\n  sourceCommit: {second}\n"), 1)
    );
    assert_eq!(stale(&repo, &[]), Vec::<serde_json::Value>::new());
    let (_, _, code) = run(&["check", "--no-cache", "."]);
    assert_eq!(code, 0, "stamp then check is clean");
}

#[test]
fn diff_shows_exactly_the_meaningful_hunks() {
    let (repo, first) = repo();
    // Cosmetic in 'Create a Pod' (reflow), meaningful in 'Before you begin' and 'Clean up'.
    let en = newer(EN).replace(
        "It takes a few seconds on most clusters, depending\non how",
        "It takes a few seconds\non most clusters, depending on how",
    );
    repo.commit(&[("en-us/pods.md", &en)], "2024-03-05T10:00:00Z");
    let out = crate::locdrift().current_dir(repo.root()).args(["diff", "sv-se/pods.md"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap().replace(&first[..7], "SYNC");
    assert!(!text.contains('\x1b'), "no colour outside a terminal");
    insta::assert_snapshot!("sync_diff", text);
    // Up to date: nothing to show, exit 0.
    let out = crate::locdrift().current_dir(repo.root()).args(["diff", "en-us/pods.md"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "a source is not a translation");
    repo.commit(&[("en-us/pods.md", EN)], "2024-03-06T10:00:00Z");
    let out = crate::locdrift().current_dir(repo.root()).args(["diff", "sv-se/pods.md"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
}

/// A run whose tree has no history, or a shallow one, says so once on stderr, in the
/// human summary and in JSON.
#[test]
fn no_history_and_shallow_history_are_said() {
    let plain = tempfile::tempdir().unwrap();
    crate::write_file(&plain.path().join("en-us/pods.md"), newer(EN));
    crate::write_file(&plain.path().join("sv-se/pods.md"), SV);
    let (repo, _) = repo();
    repo.commit(&[("en-us/pods.md", &newer(EN))], "2024-03-05T10:00:00Z");
    let shallow = tempfile::tempdir().unwrap();
    let url = format!("file://{}", repo.root().display());
    let to = shallow.path().join("clone");
    crate::git_at(shallow.path(), &["clone", "-q", "--depth", "1", &url, to.to_str().unwrap()], DAY1);
    for (dir, state) in [(plain.path().to_path_buf(), "none"), (to, "shallow")] {
        let run = |format: &str| {
            crate::locdrift().current_dir(&dir).args(["check", "--no-cache", "--format", format, "."]).output().unwrap()
        };
        let json = run("json");
        let err = String::from_utf8(json.stderr).unwrap();
        assert_eq!(err.matches("warning:").count(), 1, "{state}: {err}");
        let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
        assert_eq!(value["summary"]["history"], state);
        let human = String::from_utf8(run("human").stdout).unwrap();
        let said = if state == "none" { "no git history" } else { "shallow git clone" };
        assert!(human.contains(said), "{human}");
    }
    let full = crate::locdrift()
        .current_dir(repo.root())
        .args(["check", "--no-cache", "--format", "json", "."])
        .output()
        .unwrap();
    assert!(!String::from_utf8(full.stderr).unwrap().contains("warning:"));
    let value: serde_json::Value = serde_json::from_slice(&full.stdout).unwrap();
    assert_eq!(value["summary"]["history"], "full");
}

#[test]
fn a_renamed_source_keeps_its_history_and_an_orphan_is_told_where_it_went() {
    let (repo, first) = repo();
    repo.commit(&[("en-us/pods.md", &newer(EN))], "2024-03-02T10:00:00Z");
    repo.git(&["mv", "en-us/pods.md", "en-us/workloads.md"], "2024-03-03T10:00:00Z");
    repo.git(&["mv", "sv-se/pods.md", "sv-se/workloads.md"], "2024-03-03T10:00:00Z");
    repo.git(&["commit", "-qm", "move"], "2024-03-03T10:00:00Z");
    let found = stale(&repo, &[]);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0]["sync"]["commit"], first.as_str(), "the version before the move");
    // The source moves on alone: its translation is an orphan told how to follow.
    std::fs::create_dir_all(repo.root().join("en-us/concepts")).unwrap();
    repo.git(&["mv", "en-us/workloads.md", "en-us/concepts/pods.md"], "2024-03-06T10:00:00Z");
    repo.git(&["commit", "-qm", "move the source"], "2024-03-06T10:00:00Z");
    // With one source left, under a folder of its own, detection would take that folder
    // for the layout's root: the layout is the project's, as its config says.
    let layout = "layout:\n  source: \"en-us/{path}\"\n  translation: \"{locale}/{path}\"\n";
    std::fs::write(repo.root().join("locdrift.yaml"), layout).unwrap();
    let out = crate::locdrift()
        .current_dir(repo.root())
        .args(["check", "--no-cache", "--format", "json", "--select", "orphan-translation", "."])
        .output()
        .unwrap();
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let help = value["findings"][0]["help"].as_str().unwrap_or_default().to_string();
    assert!(help.contains("`git mv sv-se/workloads.md sv-se/concepts/pods.md`"), "{value:#}");
}

/// A cold run reads the history; a warm one at the same HEAD reads none of it.
#[test]
fn a_warm_run_at_the_same_head_asks_git_for_no_history() {
    let (repo, _) = repo();
    repo.commit(&[("en-us/pods.md", &newer(EN))], "2024-03-05T10:00:00Z");
    let expected = repo.uncached();
    assert!(expected.contains("3 changes since 2024-03-01"), "{expected}");
    let (cold, calls) = repo.check(&["."]);
    assert_eq!(cold, expected);
    assert!(!logs(&calls).is_empty() && calls.iter().any(|c| c.contains("cat-file")), "{calls:?}");
    let (warm, calls) = repo.check(&["."]);
    assert_eq!(warm, expected);
    // One `rev-parse` (HEAD, the root's prefix, shallow or not), no history, no blob.
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert!(calls[0].contains("rev-parse HEAD --show-prefix --is-shallow-repository"), "{calls:?}");
}

/// The editor's server reports the same finding, from each path's own history.
#[test]
fn the_language_server_reports_what_changed_since() {
    let (repo, _) = repo();
    repo.commit(&[("en-us/pods.md", &newer(EN))], "2024-03-05T10:00:00Z");
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
    let uri = format!("file://{}", root.join("sv-se/pods.md").display());
    lsp.send(serde_json::json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}));
    while lsp.receive()["id"] != 1 {}
    lsp.send(serde_json::json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
    lsp.send(serde_json::json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
        "textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": SV}
    }}));
    let first = lsp.diagnostics(&uri);
    assert!(first.iter().any(|d| d.contains("3 changes since 2024-03-01")), "{first:?}");
    lsp.send(serde_json::json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}));
    while lsp.receive()["id"] != 2 {}
    lsp.send(serde_json::json!({"jsonrpc": "2.0", "method": "exit"}));
    assert!(lsp.child.wait().unwrap().success());
}

/// The report says how far behind a stale translation is and where; its page view
/// carries the source's diff since the sync point.
#[test]
fn reports_show_how_far_behind_with_the_sections_and_the_diff() {
    let (repo, _) = repo();
    repo.commit(&[("en-us/pods.md", &newer(EN))], "2024-03-05T10:00:00Z");
    let out =
        crate::locdrift().current_dir(repo.root()).args(["report", "--format", "markdown", "."]).output().unwrap();
    let markdown = String::from_utf8(out.stdout).unwrap();
    assert!(
        markdown.contains(
            "- `sv-se/pods.md`: 3 changes behind since 2024-03-01: text in 'Pods' changed; \
             'Before you begin' +1 list item; code in 'Clean up' changed\n"
        ),
        "{markdown}"
    );
    let page = repo.root().join("status.html");
    let out =
        crate::locdrift().current_dir(repo.root()).args(["report", "--html", "status.html", "."]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let html = std::fs::read_to_string(page).unwrap();
    assert!(html.contains("3 changes behind since 2024-03-01"), "the file's label");
    assert!(html.contains("+- Enable the feature gate."), "the diff in the page view");
    assert!(!html.contains("-It takes a few seconds"), "only meaningful hunks");
}
