//! `--statistics` on each real corpus (issue 19): what locdrift finds per rule and locale on
//! real translation trees, as a snapshot, so a change in any rule shows up as a reviewed
//! count per corpus. The corpora are read from `../shared/corpus` at test time.

#[test]
fn statistics_per_corpus() {
    // Each checked as a user would: `locdrift check DIR --statistics`, the layout and dialect
    // detected from the tree.
    for &(name, _, _) in crate::skeleton::CORPORA {
        let Some(dir) = crate::corpus(name) else { return };
        let out = crate::locdrift().arg("check").arg(&dir).args(["--statistics", "--no-cache"]).output().unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap();
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
        assert!(matches!(out.status.code(), Some(0 | 1)), "{name}: {stderr}");
        insta::assert_snapshot!(format!("statistics_{name}"), stdout);
    }
}
