//! The human output: grouped by file, capped per file, with a summary by rule and locale.

use std::path::Path;

use crate::{locdrift, write_file};

/// A tldr-style page of `n` examples; the translation changes every example's number
/// and its first line, so each example drifts once.
fn page(n: usize, translated: bool) -> String {
    let mut text = String::from("# tool\n\n> Does things.\n\n");
    for i in 1..=n {
        let (what, value) = if translated { ("Mach", i * 10) } else { ("Do", i) };
        text.push_str(&format!("- {what} thing {i}:\n\n`tool --level {value}`\n\n"));
    }
    text
}

fn tree(dir: &Path) {
    write_file(&dir.join("pages/common/tool.md"), page(25, false));
    write_file(&dir.join("pages.de/common/tool.md"), page(25, true));
    write_file(&dir.join("pages/common/small.md"), page(2, false));
    write_file(&dir.join("pages.de/common/small.md"), page(2, true));
}

fn human(dir: &Path, args: &[&str]) -> String {
    let out = locdrift().current_dir(dir).args(["check", "--no-cache"]).args(args).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn a_file_with_many_findings_is_capped() {
    let tmp = tempfile::tempdir().unwrap();
    tree(tmp.path());
    let capped = human(tmp.path(), &["."]);
    insta::assert_snapshot!("capped_file", capped);
    let count = |text: &str| text.lines().filter(|l| l.contains(" warning LD")).count();
    assert_eq!(count(&capped), 20 + 2);
    assert!(capped.contains("… 5 more in this file: locdrift check pages.de/common/tool.md --max-per-file 0"));
    assert_eq!(count(&human(tmp.path(), &["--max-per-file", "0", "."])), 25 + 2);
    assert_eq!(count(&human(tmp.path(), &["--max-per-file", "3", "."])), 3 + 2);
    // The command it names shows the rest.
    let file = human(tmp.path(), &["--max-per-file", "0", "pages.de/common/tool.md"]);
    assert_eq!(count(&file), 25);
}
