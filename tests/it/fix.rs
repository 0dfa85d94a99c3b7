//! `--fix`, `--unsafe-fixes` and `--diff`: what gets written, that nothing else changes
//! (BOM, CRLF, permissions), and that a second run has nothing left to do.

use std::path::Path;

use crate::gate::{run_in, write_tree, SOURCE};
use crate::root;

fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_name() == locdrift::cache::DIR {
            continue;
        }
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Every file under `dir` with its bytes, sorted by path. The findings cache is not the
/// documents: a run may write it.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let p = entry.unwrap().path();
            if p.file_name().is_some_and(|n| n == locdrift::cache::DIR) {
                continue;
            }
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.strip_prefix(dir).unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn fix_is_idempotent_on_the_azure_ml_seeds() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join("fixtures/azure-ml"), dir.path());
    let before = snapshot(dir.path());
    let (out, err, code) = run_in(dir.path(), &["check", "--fix", "--format", "concise"]);
    assert_eq!(code, 1, "what cannot be fixed is still reported: {err}");
    assert!(err.contains("fixed 11 findings in 3 files"), "{err}");
    assert!(!out.contains("stale-link") && !out.contains("marker-mismatch"), "{out}");
    assert!(out.contains("extra-note") && out.contains("orphan-translation"), "{out}");
    let after = snapshot(dir.path());
    assert_ne!(before, after);
    let changed: Vec<&str> = after.iter().zip(&before).filter(|(a, b)| a != b).map(|(a, _)| a.0.as_str()).collect();
    assert_eq!(
        changed,
        [
            "nl-nl/includes/aml-compute-target-deploy.md",
            "pt-br/includes/aml-compute-target-deploy.md",
            "sv-se/includes/aml-compute-target-deploy.md"
        ]
    );
    let sv = String::from_utf8(after.iter().find(|f| f.0.starts_with("sv-se/includes")).unwrap().1.clone()).unwrap();
    assert!(sv.contains(
        "| [Azure Data Box Edge](../articles/databox-online/azure-stack-edge-overview.md)   | Via IoT Edge |"
    ));
    let pt = String::from_utf8(after.iter().find(|f| f.0.starts_with("pt-br/")).unwrap().1.clone()).unwrap();
    assert!(pt.contains("| (Versão prévia) Inferência&nbsp;de lote |"), "the marker in the locale's words");

    // The second run changes nothing and says so.
    let (_, err, _) = run_in(dir.path(), &["check", "--fix"]);
    assert!(!err.contains("fixed"), "{err}");
    assert_eq!(snapshot(dir.path()), after);
    let (out, err, code) = run_in(dir.path(), &["check", "--diff"]);
    assert_eq!((out.as_str(), code), ("", 0), "{err}");
}

#[test]
fn diff_shows_fixes_without_writing() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join("fixtures/rules/stale-link/fires"), dir.path());
    let before = snapshot(dir.path());
    let (out, err, code) = run_in(dir.path(), &["check", "--diff"]);
    assert_eq!(code, 1, "pending fixes fail like findings");
    assert!(err.contains("1 fix in 1 file would be applied"), "{err}");
    assert_eq!(snapshot(dir.path()), before, "--diff writes nothing");
    insta::assert_snapshot!("stale_link_diff", out);
    // The diff applies with `git apply`: it is a real unified diff of the fix.
    let patch = dir.path().join("fix.patch");
    std::fs::write(&patch, &out).unwrap();
    let applied = std::process::Command::new("git")
        .args(["apply", "--unsafe-paths", "-p1", "fix.patch"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(applied.status.success(), "{}", String::from_utf8_lossy(&applied.stderr));
    std::fs::remove_file(&patch).unwrap();
    let (_, _, code) = run_in(dir.path(), &["check", "--select", "stale-link"]);
    assert_eq!(code, 0, "the patched tree has no stale link");
}

#[test]
fn fixes_keep_bom_crlf_and_permissions() {
    let dir = tempfile::tempdir().unwrap();
    // A BOM and CRLF line endings, as files from Windows translation tools come.
    let translation = "\u{feff}# Beräkningsmål\r\n\r\n| Target | Used for | GPU |\r\n| --- | --- | --- |\r\n| [AKS](https://example.com/aks) | Inferens i realtid | Ja |\r\n\r\nSe [hur du distribuerar](https://example.com/deploy-old).\r\n";
    write_tree(dir.path(), &[("en-us/a.md", SOURCE), ("sv-se/a.md", translation)]);
    let path = dir.path().join("sv-se/a.md");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }

    // Safe fixes only: the link and the marker; the missing row and note need --unsafe-fixes.
    let (out, err, _) = run_in(dir.path(), &["check", "--fix", "--format", "concise"]);
    assert!(err.contains("fixed 2 findings in 1 file"), "{err}");
    assert!(out.contains("row-missing") && out.contains("missing-note"), "{out}");
    let (_, err, code) = run_in(dir.path(), &["check", "--fix", "--unsafe-fixes", "--format", "concise"]);
    assert!(err.contains("fixed 2 findings in 1 file"), "{err}");
    assert_eq!(code, 0, "{err}");
    let fixed = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        fixed,
        "\u{feff}# Beräkningsmål\r\n\r\n| Target | Used for | GPU |\r\n| --- | --- | --- |\r\n\
         | [AKS](https://example.com/aks) | (Förhandsgranska) Inferens i realtid | Ja |\r\n\
         | [ACI](https://example.com/aci) | Testing | No |\r\n\r\n\
         Se [hur du distribuerar](https://example.com/deploy).\r\n\r\n\
         > [!NOTE]\r\n> Use a GPU only on AKS.\r\n"
    );
    assert!(!fixed.replace("\r\n", "").contains('\n'), "every line ending is still CRLF");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "permissions are kept");
    }
    // Idempotent: nothing left to fix, byte for byte.
    let (_, err, code) = run_in(dir.path(), &["check", "--fix", "--unsafe-fixes"]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("fixed"), "{err}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), fixed);
    let names: Vec<_> = std::fs::read_dir(dir.path().join("sv-se")).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names.len(), 1, "no temporary file left behind: {names:?}");
}
