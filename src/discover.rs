//! Walks a root for Markdown files with the `ignore` crate (respects .gitignore), sorted.

use std::path::{Path, PathBuf};

use crate::finding::Finding;
use crate::rules::io_error;

/// The cache folder's name under the root: it holds no documents.
pub const CACHE_DIR: &str = ".locdrift-cache";

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
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut builder = ignore::WalkBuilder::new(root);
    // In parallel: at a hundred thousand files the walk is a noticeable part of a run
    // that finds everything in the cache. Order is restored by sorting below.
    builder.follow_links(false).require_git(false).threads(rayon::current_num_threads());
    // The cache folder holds no documents; being hidden, it is skipped anyway, but a
    // setting that shows hidden files must not walk into it either.
    // Hidden folders (`.git`, `.vitepress`) hold no pages, but a hidden file is a page
    // like any other: tldr has `..md` (the `..` command) in every language.
    builder.hidden(false);
    builder.filter_entry(|e| {
        let hidden_dir = e.depth() > 0
            && e.file_type().is_some_and(|t| t.is_dir())
            && e.file_name().as_encoded_bytes().first() == Some(&b'.');
        e.file_name() != CACHE_DIR && !hidden_dir
    });
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
    let found = std::sync::Mutex::new(Found::default());
    builder.build_parallel().run(|| {
        // Each thread collects on its own and hands over when done: one lock per
        // thread, not one per file.
        let mut mine = Collected { found: Found::default(), into: &found };
        let canonical_root = &canonical_root;
        Box::new(move |entry| {
            match visit(root, canonical_root, options, entry) {
                Some(Ok(rel)) => mine.found.files.push(rel),
                Some(Err(problem)) => mine.found.problems.push(*problem),
                None => {}
            }
            ignore::WalkState::Continue
        })
    });
    let mut found = found.into_inner().expect("no panic while holding the lock");
    // Paths are unique: an unstable sort gives the same order, faster.
    found.files.sort_unstable();
    found.problems.sort_by(|a, b| (&a.file, &a.message).cmp(&(&b.file, &b.message)));
    found
}

/// What one thread of the walk found, added to the whole when the thread is done.
struct Collected<'a> {
    found: Found,
    into: &'a std::sync::Mutex<Found>,
}

impl Drop for Collected<'_> {
    fn drop(&mut self) {
        // A poisoned lock means another thread panicked, which the walker reports.
        if let Ok(mut all) = self.into.lock() {
            all.files.append(&mut self.found.files);
            all.problems.append(&mut self.found.problems);
        }
    }
}

/// One entry of the walk: a Markdown file (relative path), a problem, or nothing.
fn visit(
    root: &Path,
    canonical_root: &Path,
    options: &WalkOptions,
    entry: Result<ignore::DirEntry, ignore::Error>,
) -> Option<Result<String, Box<Finding>>> {
    let problem = |path: &Path, message: String| {
        let mut f = io_error::finding(message);
        f.file = path.to_path_buf();
        Some(Err(Box::new(f)))
    };
    let entry = match entry {
        Ok(e) => e,
        Err(err) => {
            let path = error_path(&err).unwrap_or_else(|| root.to_path_buf());
            return problem(&path, format!("cannot walk this path: {}", strip_path(&err.to_string())));
        }
    };
    let path = entry.path();
    if !has_extension(path, options.extensions) {
        return None;
    }
    let ft = entry.file_type()?;
    if ft.is_symlink() {
        // A link is read only when it resolves to a file inside the root: locdrift
        // never reads outside the repository, and a loop resolves to nothing.
        match path.canonicalize() {
            Ok(target) if target.starts_with(canonical_root) && target.is_file() => {}
            Ok(target) if !target.starts_with(canonical_root) => {
                return problem(path, "symbolic link points outside the checked root; not read".into());
            }
            Ok(_) => return None,
            Err(err) => return problem(path, format!("symbolic link cannot be resolved: {err}")),
        }
    } else if !ft.is_file() {
        return None;
    }
    relative(path, root).map(Ok)
}

/// `path` relative to `root`, with `/`. Walked paths are the root joined with names, so
/// their text starts with the root's: cutting it off is faster than comparing components.
fn relative(path: &Path, root: &Path) -> Option<String> {
    if let (Some(p), Some(r)) = (path.to_str(), root.to_str()) {
        if let Some(rest) = p.strip_prefix(r) {
            return Some(to_slash(Path::new(rest.strip_prefix(['/', std::path::MAIN_SEPARATOR]).unwrap_or(rest))));
        }
    }
    path.strip_prefix(root).ok().map(to_slash)
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

/// Orders two relative paths with `/` separators as `Path` orders them (component by
/// component), for the paths a walk makes: no `.` or empty components, no trailing `/`.
/// Comparing components is the same as comparing the strings with `/` below every
/// other character; this does that, several times faster than `Path::cmp`.
pub fn cmp_paths(a: &str, b: &str) -> std::cmp::Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    match a.iter().zip(b).position(|(x, y)| x != y) {
        None => a.len().cmp(&b.len()),
        Some(i) => match (a[i], b[i]) {
            (b'/', _) => std::cmp::Ordering::Less,
            (_, b'/') => std::cmp::Ordering::Greater,
            (x, y) => x.cmp(&y),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn walked_paths_are_made_relative_as_components_would() {
        for (root, path) in [
            ("docs", "docs/sv-se/a.md"),
            ("docs/", "docs/sv-se/a.md"),
            (".", "./sv-se/a.md"),
            ("./", "./sv-se/a.md"),
            ("docs/.", "docs/./sv-se/a.md"),
            ("/", "/sv-se/a.md"),
            ("", "sv-se/a.md"),
            ("docs", "docs"),
        ] {
            let (root, path) = (Path::new(root), Path::new(path));
            assert_eq!(relative(path, root), path.strip_prefix(root).ok().map(to_slash), "{root:?} {path:?}");
        }
    }

    #[test]
    fn paths_sort_by_component() {
        let mut paths = vec!["a-b", "a/b", "a", "a.md", "a/b/c.md", "a/b-c.md", "ab", "A/b", "é/a"];
        paths.sort_by(|a, b| cmp_paths(a, b));
        assert_eq!(paths, ["A/b", "a", "a/b", "a/b/c.md", "a/b-c.md", "a-b", "a.md", "ab", "é/a"]);
    }

    proptest! {
        #[test]
        fn paths_sort_as_path_does(a in "[a-c.\\-_é]{1,3}(/[a-c.\\-_é]{1,3}){0,3}", b in "[a-c.\\-_é]{1,3}(/[a-c.\\-_é]{1,3}){0,3}") {
            // Walked paths have no `.` components; a name such as `..` or `.` is left out.
            prop_assume!(!a.split('/').chain(b.split('/')).any(|c| c == "." || c == ".."));
            prop_assert_eq!(cmp_paths(&a, &b), Path::new(&a).cmp(Path::new(&b)));
        }
    }
}
