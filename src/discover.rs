//! Walks a root for Markdown files with the `ignore` crate (respects .gitignore), sorted.

use std::path::{Path, PathBuf};

use crate::finding::Finding;
use crate::rules::io_error;

/// What a walk found: files as paths relative to the root (with `/`), and problems.
#[derive(Debug, Default)]
pub struct Found {
    pub files: Vec<String>,
    /// Entries that could not be walked (permission denied, symlink loop, a link out of
    /// the root), as findings against the entry.
    pub problems: Vec<Finding>,
}

pub struct WalkOptions<'a> {
    pub extensions: &'a [String],
    pub exclude: &'a [String],
}

pub fn walk(root: &Path, options: &WalkOptions) -> Found {
    let mut found = Found::default();
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut builder = ignore::WalkBuilder::new(root);
    builder.follow_links(false).sort_by_file_name(|a, b| a.cmp(b)).require_git(false);
    if !options.exclude.is_empty() {
        let mut overrides = ignore::overrides::OverrideBuilder::new(root);
        for glob in options.exclude {
            // An override glob with `!` excludes; invalid globs were rejected by config.
            let _ = overrides.add(&format!("!{glob}"));
        }
        if let Ok(o) = overrides.build() {
            builder.overrides(o);
        }
    }
    for entry in builder.build() {
        let entry = match entry {
            Ok(e) => e,
            Err(err) => {
                let path = error_path(&err).unwrap_or_else(|| root.to_path_buf());
                let mut f = io_error::finding(format!("cannot walk this path: {}", strip_path(&err.to_string())));
                f.file = path;
                found.problems.push(f);
                continue;
            }
        };
        let path = entry.path();
        if !has_extension(path, options.extensions) {
            continue;
        }
        let Some(ft) = entry.file_type() else { continue };
        if ft.is_symlink() {
            // A link is read only when it resolves to a file inside the root: locdrift
            // never reads outside the repository, and a loop resolves to nothing.
            match path.canonicalize() {
                Ok(target) if target.starts_with(&canonical_root) && target.is_file() => {}
                Ok(target) if !target.starts_with(&canonical_root) => {
                    let mut f = io_error::finding("symbolic link points outside the checked root; not read");
                    f.file = path.to_path_buf();
                    found.problems.push(f);
                    continue;
                }
                Ok(_) => continue,
                Err(err) => {
                    let mut f = io_error::finding(format!("symbolic link cannot be resolved: {err}"));
                    f.file = path.to_path_buf();
                    found.problems.push(f);
                    continue;
                }
            }
        } else if !ft.is_file() {
            continue;
        }
        if let Ok(rel) = path.strip_prefix(root) {
            found.files.push(to_slash(rel));
        }
    }
    found.files.sort();
    found
}

pub fn has_extension(path: &Path, extensions: &[String]) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| extensions.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

fn error_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } => error_path(err),
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        _ => None,
    }
}

/// The walker prefixes messages with the path, which the finding already names.
fn strip_path(message: &str) -> String {
    match message.rsplit_once(": ") {
        Some((_, rest)) if !rest.is_empty() => rest.to_string(),
        _ => message.to_string(),
    }
}

/// A relative path with `/` separators, as templates and output use.
pub fn to_slash(path: &Path) -> String {
    let text = path.to_string_lossy();
    let text = if std::path::MAIN_SEPARATOR == '\\' { text.replace('\\', "/") } else { text.into_owned() };
    text.strip_prefix("./").map(str::to_string).unwrap_or(text)
}
