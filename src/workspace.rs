//! The tree around a pair, as the rules may ask about it: file existence, anchors of a
//! linked page, git history. This is driver-side I/O behind the `rules::Workspace` trait.
//!
//! Every question takes a root-relative path that rules resolved lexically; answers never
//! come from outside the root: a symbolic link that leads out of it counts as absent.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, OnceLock};

use crate::rules::Workspace;
use crate::settings::Settings;

pub struct Tree<'a> {
    root: PathBuf,
    canonical_root: PathBuf,
    settings: &'a Settings,
    anchors: Mutex<HashMap<String, Option<Vec<String>>>>,
    history: OnceLock<Option<History>>,
}

/// The last commit time of every file, from one `git log` over the root.
struct History {
    /// Root-relative path -> Unix time of its last commit.
    last: HashMap<String, i64>,
}

impl<'a> Tree<'a> {
    pub fn new(root: &Path, settings: &'a Settings) -> Tree<'a> {
        Tree {
            root: root.to_path_buf(),
            canonical_root: root.canonicalize().unwrap_or_else(|_| root.to_path_buf()),
            settings,
            anchors: Mutex::new(HashMap::new()),
            history: OnceLock::new(),
        }
    }

    /// The file's path, if it is a regular file whose real location is inside the root.
    fn inside(&self, rel: &str) -> Option<PathBuf> {
        let path = self.root.join(rel);
        let meta = std::fs::symlink_metadata(&path).ok()?;
        if meta.file_type().is_symlink() {
            let real = path.canonicalize().ok()?;
            if !real.starts_with(&self.canonical_root) || !real.is_file() {
                return None;
            }
        } else if !meta.is_file() {
            return None;
        }
        Some(path)
    }

    fn history(&self) -> Option<&History> {
        self.history.get_or_init(|| load_history(&self.root)).as_ref()
    }
}

impl Workspace for Tree<'_> {
    fn exists(&self, rel: &str) -> bool {
        self.inside(rel).is_some()
    }

    fn anchors(&self, rel: &str) -> Option<Vec<String>> {
        if let Some(known) = self.anchors.lock().ok()?.get(rel) {
            return known.clone();
        }
        let anchors = self.inside(rel).and_then(|path| {
            let text = crate::check::read_text(&path, self.settings.max_file_size).ok()?;
            let doc = crate::parse::parse(&text, &self.settings.vocab);
            Some(doc.anchors.into_iter().map(|a| a.name).collect::<Vec<_>>())
        });
        self.anchors.lock().ok()?.insert(rel.to_string(), anchors.clone());
        anchors
    }

    fn last_commit_time(&self, rel: &str) -> Option<i64> {
        self.history()?.last.get(rel).copied()
    }

    fn changed_since(&self, rel: &str, commit: &str) -> Option<bool> {
        // A stamp is a commit id; anything else (options, ranges) is not passed to git.
        if commit.len() < 7 || !commit.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        self.history()?;
        let out = Command::new("git")
            .arg("-C")
            .arg(&self.root)
            .args(["log", "--format=%H", "-1"])
            .arg(format!("{commit}..HEAD"))
            .arg("--")
            .arg(rel)
            .output()
            .ok()?;
        out.status.success().then(|| !out.stdout.iter().all(u8::is_ascii_whitespace))
    }
}

/// Reads the history once: newest commits first, so a path's first time is its last commit.
fn load_history(root: &Path) -> Option<History> {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["log", "--format=%x00%ct", "--name-only", "--no-renames", "--relative", "--", "."])
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let mut last = HashMap::new();
    let mut time = 0i64;
    for line in text.lines() {
        if let Some(t) = line.strip_prefix('\0') {
            time = t.trim().parse().unwrap_or(0);
        } else if !line.is_empty() {
            last.entry(line.to_string()).or_insert(time);
        }
    }
    Some(History { last })
}
