//! `--fix`, `--unsafe-fixes` and `--diff`: applying the findings' fixes to translations.
//!
//! A fix is a byte-span replacement in the translation it was found in. Fixes of one file
//! are applied together, in order, skipping any that overlaps one already taken (the next
//! pass picks it up, as ruff does). Replacements that span lines take the file's line
//! ending, so a CRLF file stays CRLF; a BOM is outside every span a rule reports and so
//! stays too. Files are replaced atomically with their permissions (`atomic.rs`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::finding::{Finding, Fix};
pub use crate::verify::apply;

/// Which fixes to take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applicability {
    /// Only fixes that keep the meaning of the translation (`--fix`).
    Safe,
    /// Also those that need a translator's eye afterwards (`--unsafe-fixes`).
    Unsafe,
}

impl Applicability {
    fn admits(self, fix: &Fix) -> bool {
        fix.safe || self == Applicability::Unsafe
    }
}

/// One file's text before and after its fixes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub file: PathBuf,
    pub before: String,
    pub after: String,
    /// How many fixes were applied.
    pub fixes: usize,
}

/// The edits the findings' fixes make, one per file that changes, in path order. `read`
/// supplies a file's current text (the files on disk, or texts in memory for tests and
/// the language server); a file it cannot supply is skipped.
pub fn edits(findings: &[Finding], applicability: Applicability, read: impl Fn(&Path) -> Option<String>) -> Vec<Edit> {
    let mut by_file: BTreeMap<&Path, Vec<&Fix>> = BTreeMap::new();
    for f in findings {
        if let Some(fix) = f.fix.as_ref().filter(|x| applicability.admits(x)) {
            by_file.entry(f.file.as_path()).or_default().push(fix);
        }
    }
    let mut out = Vec::new();
    for (file, fixes) in by_file {
        let Some(before) = read(file) else { continue };
        let (after, applied) = apply(&before, &fixes);
        if applied > 0 && after != before {
            out.push(Edit { file: file.to_path_buf(), before, after, fixes: applied });
        }
    }
    out
}

/// Writes the edits; the first failure stops and is returned with its file.
pub fn write(edits: &[Edit]) -> Result<(), (PathBuf, std::io::Error)> {
    for e in edits {
        crate::atomic::write(&e.file, e.after.as_bytes()).map_err(|err| (e.file.clone(), err))?;
    }
    Ok(())
}

/// A unified diff of the edits (`--diff`), as `git diff` and `patch -p1` read it.
pub fn unified_diff(edits: &[Edit]) -> String {
    let mut out = String::new();
    for e in edits {
        let name = crate::discover::to_slash(&e.file);
        let diff = similar::TextDiff::from_lines(&e.before, &e.after);
        let text = diff.unified_diff().context_radius(3).header(&format!("a/{name}"), &format!("b/{name}")).to_string();
        out.push_str(&text);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Span;

    fn fix(start: usize, end: usize, replacement: &str) -> Fix {
        Fix { span: Span::new(start, end), replacement: replacement.into(), safe: true }
    }

    #[test]
    fn overlapping_fixes_are_left_for_the_next_pass() {
        let text = "abcdef";
        let (a, b, c) = (fix(1, 3, "X"), fix(2, 4, "Y"), fix(4, 4, "+"));
        let (out, n) = apply(text, &[&b, &c, &a]);
        assert_eq!((out.as_str(), n), ("aXd+ef", 2), "b overlaps a and waits");
    }

    #[test]
    fn multi_line_replacements_take_the_files_line_ending() {
        let text = "\u{feff}| a |\r\n|---|\r\n| b |\r\n";
        let at = text.find("| b |").unwrap() + 5;
        let (out, _) = apply(text, &[&fix(at, at, "\n| c |")]);
        assert_eq!(out, "\u{feff}| a |\r\n|---|\r\n| b |\r\n| c |\r\n");
    }
}
