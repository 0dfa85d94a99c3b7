//! `--changed-since REV`: the files that changed since the merge base with REV, from git.
//!
//! The merge base, not REV itself, so that a pull request is compared with the commit it
//! branched from and not blamed for what landed on the base branch since. The working
//! tree counts (a pre-push hook or a local run sees uncommitted edits), and so do deleted
//! files: a deleted source turns its translations into orphans, which must be reported.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The revision `--changed-since` uses without a value: the pull request's base branch
/// on GitHub Actions (`GITHUB_BASE_REF`), as fetched from `origin`.
pub fn default_rev() -> Result<String, String> {
    match std::env::var("GITHUB_BASE_REF") {
        Ok(base) if !base.trim().is_empty() => Ok(format!("origin/{}", base.trim())),
        _ => Err("`--changed-since` needs a revision (such as `origin/main`) when GITHUB_BASE_REF is not set".into()),
    }
}

/// Files changed between the merge base of `rev` and HEAD, plus uncommitted changes, as
/// absolute paths. `dir` is any directory inside the repository.
pub fn files(dir: &Path, rev: &str) -> Result<Vec<PathBuf>, String> {
    let top = git(dir, &["rev-parse", "--show-toplevel"])?;
    let top = PathBuf::from(top.trim());
    // `origin/main` may be missing in a shallow or single-branch checkout where `main`
    // exists; try the bare name before giving up.
    let base = git(dir, &["merge-base", rev, "HEAD"]).or_else(|e| match rev.strip_prefix("origin/") {
        Some(bare) => git(dir, &["merge-base", bare, "HEAD"]),
        None => Err(e),
    })?;
    // Both listings are run from the top so that their paths are relative to it.
    let listing = git(&top, &["diff", "--name-only", "--no-renames", "-z", base.trim()])?;
    // Untracked files are changes too, unless ignored.
    let untracked = git(&top, &["ls-files", "--others", "--exclude-standard", "-z"])?;
    let mut out: Vec<PathBuf> =
        listing.split('\0').chain(untracked.split('\0')).filter(|n| !n.is_empty()).map(|n| top.join(n)).collect();
    out.sort();
    out.dedup();
    Ok(out)
}

fn git(dir: &Path, args: &[&str]) -> Result<String, String> {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .map_err(|e| format!("cannot run git for `--changed-since`: {e}"))?;
    if !output.status.success() {
        let err = String::from_utf8_lossy(&output.stderr);
        return Err(format!("`git {}` failed: {}", args.join(" "), err.trim()));
    }
    String::from_utf8(output.stdout).map_err(|_| format!("`git {}` printed a non-UTF-8 path", args.join(" ")))
}
