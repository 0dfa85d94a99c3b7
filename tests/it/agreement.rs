//! The editor and the command line agree: for every fixture tree (the seeds, bad and
//! hostile input, each layout, each rule's fires and clean), and for a tree with
//! `per-file-ignores` and suppression comments, the language server publishes for each
//! translation exactly the findings `check --format json` reports for it.
//!
//! Both call `engine::lint`; what this guards is everything around it (which rules run,
//! severities, ignores, suppressions, orphans, unreadable and oversized files).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use locdrift::check::{self, Request};
use lsp_types::{Diagnostic, DiagnosticSeverity};

use crate::lsp::{code, utf8_client, Client};
use crate::{root, run, write_file};

/// One finding as both sides can state it: the file (from the tree's root), the rule,
/// the byte span, the severity and the message.
type Seen = (String, String, usize, usize, String, String);

/// Every fixture tree, and the tree below.
#[test]
fn the_editor_and_check_report_the_same_findings_for_every_fixture_tree() {
    let fixtures = root().join("fixtures");
    let mut trees = vec![fixtures.join("azure-ml"), fixtures.join("bad-input"), fixtures.join("hostile")];
    // `layouts/suffix` included: the editor finds its root at `mkdocs.yml` from the
    // site's i18n languages, as `check` given the tree does (issue 18).
    trees.extend(sorted_dirs(&fixtures.join("layouts")));
    for rule in sorted_dirs(&fixtures.join("rules")) {
        trees.extend(["fires", "clean"].map(|case| rule.join(case)).into_iter().filter(|d| d.is_dir()));
    }
    let mut compared = 0;
    for tree in &trees {
        compared += agree(tree);
    }
    assert!(compared > 60, "only {compared} translations compared");
}

/// `per-file-ignores` and the four kinds of suppression comment, also over the
/// findings about whole files: an orphan hidden by a comment, an orphan hidden by a
/// glob, an orphan that shows, an unused suppression, and a file too large to read,
/// whose comments cannot hide its `io-error`.
#[test]
fn the_editor_and_check_agree_under_ignores_and_suppressions() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let write = |rel: &str, text: &str| write_file(&root.join(rel), text);
    write(
        "locdrift.yaml",
        "layout:\n  source: \"en-us/{path}\"\n  translation: \"{locale}/{path}\"\nmax-file-size: 2000\n\
         per-file-ignores:\n  \"sv-se/legacy/**\": [stale-link, orphan-translation]\n  \"*.draft.md\": [LD2]\n",
    );
    let source = "# Setup\n\nSee [the guide](guide.md).\n\nRead [the FAQ](faq.md).\n\n> [!NOTE]\n> Keep it.\n";
    let stale = "# Inställning\n\nSe [guiden](other.md).\n\nLäs [frågorna](faq2.md).\n\n> [!NOTE]\n> Behåll.\n";
    for page in ["a.md", "b.md", "legacy/c.md", "notes.draft.md", "big.md"] {
        write(&format!("en-us/{page}"), source);
    }
    for page in ["guide.md", "faq.md", "other.md", "faq2.md", "legacy/other.md", "legacy/faq2.md"] {
        write(&format!("en-us/{page}"), "# Page\n");
    }
    // A suppression for the next line, an unused region, one naming an unknown rule.
    write(
        "sv-se/a.md",
        "# Inställning\n\n<!-- locdrift-disable-next-line stale-link -->\nSe [guiden](other.md).\n\n\
         Läs [frågorna](faq2.md).\n\n<!-- locdrift-disable row-order -->\n> [!NOTE]\n> Behåll.\n\
         <!-- locdrift-enable -->\n<!-- locdrift-disable-line nope -->\n",
    );
    write("sv-se/b.md", &format!("<!-- locdrift-disable-file stale-link -->\n{stale}"));
    write("sv-se/legacy/c.md", stale);
    // `LD2` hides the missing note; the stale link shows.
    write("sv-se/notes.draft.md", "# Anteckningar\n\nSe [guiden](other.md).\n\nLäs [frågorna](faq.md).\n");
    // Too large to read: its comment cannot hide its `io-error`.
    write("sv-se/big.md", &format!("<!-- locdrift-disable-file -->\n{}", stale.repeat(40)));
    write("sv-se/gone.md", "<!-- locdrift-disable-file orphan-translation -->\n# Borta\n");
    write("sv-se/gone-too.md", "# Också borta\n");
    write("sv-se/legacy/old.md", "# Gammal\n");
    let compared = agree(root);
    assert_eq!(compared, 8);
    // The tree exercises what it says it does (on the command line's side; the editor's
    // side equals it).
    let (findings, _) = cli(root);
    let rules_in = |file: &str| -> Vec<String> {
        findings.iter().filter(|f| f.0 == file).map(|f| f.1.clone()).collect::<Vec<_>>()
    };
    assert_eq!(
        rules_in("sv-se/a.md"),
        ["stale-link", "unused-suppression", "unused-suppression", "unused-suppression"],
        "{findings:?}"
    );
    assert_eq!(rules_in("sv-se/notes.draft.md"), ["stale-link"], "{findings:?}");
    assert_eq!(rules_in("sv-se/big.md"), ["io-error"], "{findings:?}");
    assert_eq!(rules_in("sv-se/gone-too.md"), ["orphan-translation"], "{findings:?}");
    for quiet in ["sv-se/b.md", "sv-se/legacy/c.md", "sv-se/gone.md", "sv-se/legacy/old.md"] {
        assert_eq!(rules_in(quiet), Vec::<String>::new(), "{quiet}: {findings:?}");
    }
}

/// Compares both sides on every translation of `tree` that is text; returns how many.
fn agree(tree: &Path) -> usize {
    let tree = tree.canonicalize().unwrap();
    let (cli_findings, translations) = cli(&tree);
    let (mut client, _) = Client::start(utf8_client());
    let mut compared = 0;
    let mut seen_by_editor = BTreeSet::new();
    for file in &translations {
        let path = tree.join(file);
        // A file that is not UTF-8 cannot reach the editor as the bytes `check` reads;
        // `check` reports it (the fixtures say how).
        let Ok(text) = String::from_utf8(std::fs::read(&path).unwrap()) else { continue };
        client.open(&path, &text);
        let published = client.diagnostics();
        assert_eq!(locdrift::lsp::path_of(&published.uri).as_deref(), Some(path.as_path()));
        seen_by_editor.extend(published.diagnostics.iter().map(|d| seen(file, &text, d)));
        compared += 1;
    }
    client.finish();
    // What `check` reports on sources (their own unreadable bytes, missing
    // translations) has no open translation to show it in the editor.
    let seen_by_cli: BTreeSet<Seen> =
        cli_findings.into_iter().filter(|f| translations.contains(&f.0) && is_text(&tree.join(&f.0))).collect();
    let only_cli: Vec<&Seen> = seen_by_cli.difference(&seen_by_editor).collect();
    let only_editor: Vec<&Seen> = seen_by_editor.difference(&seen_by_cli).collect();
    assert!(
        only_cli.is_empty() && only_editor.is_empty(),
        "{}: check alone: {only_cli:#?}\nthe editor alone: {only_editor:#?}",
        tree.display()
    );
    compared
}

/// `check --format json` on a tree: its findings (paths from the tree's root, which
/// messages naming a file use too) and the translations it checked.
fn cli(tree: &Path) -> (Vec<Seen>, Vec<String>) {
    let tree = tree.canonicalize().unwrap();
    let shown = format!("{}/", tree.display());
    let (out, err, _) = run(&["check", "--format", "json", "--no-cache", tree.to_str().unwrap()]);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}\n{err}"));
    let findings = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let offset = f["span"]["offset"].as_u64().unwrap() as usize;
            let file = f["file"].as_str().unwrap().strip_prefix(&shown).unwrap().to_string();
            (
                file,
                f["rule"].as_str().unwrap().to_string(),
                offset,
                offset + f["span"]["length"].as_u64().unwrap() as usize,
                f["severity"].as_str().unwrap().to_string(),
                f["message"].as_str().unwrap().replace(&shown, ""),
            )
        })
        .collect();
    let request = Request { paths: vec![tree.clone()], ..Request::default() };
    let outcome = check::run(&request).unwrap_or_else(|e| panic!("{}: {e}", tree.display()));
    let translations = outcome
        .translations
        .iter()
        .map(|t| t.file.strip_prefix(&tree).unwrap().to_string_lossy().replace('\\', "/"))
        .collect();
    (findings, translations)
}

/// A diagnostic as a `Seen`: its UTF-8 range turned back into bytes of `text`.
fn seen(file: &str, text: &str, d: &Diagnostic) -> Seen {
    let line_starts: Vec<usize> = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
    let offset = |p: lsp_types::Position| line_starts[p.line as usize] + p.character as usize;
    let severity = match d.severity {
        Some(DiagnosticSeverity::ERROR) => "error",
        Some(DiagnosticSeverity::WARNING) => "warning",
        _ => "info",
    };
    (
        file.to_string(),
        code(d).to_string(),
        offset(d.range.start),
        offset(d.range.end),
        severity.to_string(),
        d.message.clone(),
    )
}

fn is_text(path: &Path) -> bool {
    std::fs::read(path).is_ok_and(|b| String::from_utf8(b).is_ok())
}

fn sorted_dirs(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_dir()).collect();
    out.sort();
    out
}
