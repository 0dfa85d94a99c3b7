//! Baselines (`--write-baseline`, `--baseline`, `--prune-baseline`): known findings a run
//! hides, so a gate can be adopted on a tree that already drifted and fail only on new
//! drift.
//!
//! An entry is keyed by structure, not position: the translation and source paths
//! (relative to the baseline file, so it can be committed and used from any directory),
//! the rule, and the finding's structural key (`Finding::key`: table, row, column, link
//! target…). A paragraph added above a baselined finding moves its line, not its key, so
//! it stays hidden. Identical keys are counted: two equal stale links are two entries'
//! worth, and a third is new.
//!
//! The file is JSON, sorted, one entry per key, so that it diffs well in review:
//! `{"version":1,"entries":[{"file","source","rule","key","count"}]}`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::finding::Finding;

const VERSION: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileFormat {
    version: u32,
    entries: Vec<Entry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    file: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    source: Option<String>,
    rule: String,
    key: String,
    count: usize,
}

/// What identifies a finding in a baseline.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct EntryKey {
    file: String,
    source: Option<String>,
    rule: String,
    key: String,
}

/// A loaded (or freshly made) baseline.
#[derive(Debug, Clone)]
pub struct Baseline {
    path: PathBuf,
    /// The directory paths are relative to, resolved once.
    dir: PathBuf,
    entries: BTreeMap<EntryKey, usize>,
}

/// The result of hiding baselined findings.
#[derive(Debug, Default)]
pub struct Filtered {
    /// Findings the baseline does not list: the new ones.
    pub findings: Vec<Finding>,
    /// How many findings were hidden.
    pub hidden: usize,
    used: BTreeMap<EntryKey, usize>,
}

impl Baseline {
    /// An empty baseline that will be written to `path`.
    pub fn new(path: &Path) -> Baseline {
        Baseline { path: path.to_path_buf(), dir: base_dir(path), entries: BTreeMap::new() }
    }

    pub fn load(path: &Path) -> Result<Baseline, String> {
        let text =
            std::fs::read_to_string(path).map_err(|e| format!("{}: cannot read baseline: {e}", path.display()))?;
        let file: FileFormat =
            serde_json::from_str(&text).map_err(|e| format!("{}: not a locdrift baseline: {e}", path.display()))?;
        if file.version != VERSION {
            return Err(format!(
                "{}: baseline version {} is not supported (expected {VERSION})",
                path.display(),
                file.version
            ));
        }
        let mut b = Baseline::new(path);
        for e in file.entries {
            let key = EntryKey { file: e.file, source: e.source, rule: e.rule, key: e.key };
            *b.entries.entry(key).or_default() += e.count;
        }
        Ok(b)
    }

    /// A baseline listing exactly these findings.
    pub fn from_findings(path: &Path, findings: &[Finding]) -> Baseline {
        let mut b = Baseline::new(path);
        for f in findings {
            *b.entries.entry(b.key_of(f)).or_default() += 1;
        }
        b
    }

    /// How many findings the baseline lists.
    pub fn len(&self) -> usize {
        self.entries.values().sum()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Hides the findings the baseline lists, up to each entry's count.
    pub fn filter(&self, findings: Vec<Finding>) -> Filtered {
        let mut out = Filtered::default();
        for f in findings {
            let key = self.key_of(&f);
            let allowed = self.entries.get(&key).copied().unwrap_or(0);
            let used = out.used.entry(key).or_default();
            if *used < allowed {
                *used += 1;
                out.hidden += 1;
            } else {
                out.findings.push(f);
            }
        }
        out
    }

    /// Drops what no longer matches: entries of files this run checked (`checked`, paths
    /// as the findings carry them) beyond what `filtered` used, and entries of files that
    /// no longer exist. Entries of files outside the run are kept, so pruning after a
    /// partial run (`check FILE`, a shard) does not forget the rest. Returns how many
    /// findings' worth of entries were dropped.
    pub fn prune(&mut self, filtered: &Filtered, checked: &[PathBuf]) -> usize {
        let checked: BTreeSet<String> = checked.iter().map(|p| self.relative(p)).collect();
        let before = self.len();
        let dir = self.dir.clone();
        self.entries.retain(|k, count| {
            if !dir.join(&k.file).exists() {
                return false;
            }
            if checked.contains(&k.file) {
                *count = (*count).min(filtered.used.get(k).copied().unwrap_or(0));
            }
            *count > 0
        });
        before - self.len()
    }

    /// Writes the baseline atomically.
    pub fn write(&self) -> std::io::Result<()> {
        let entries = self
            .entries
            .iter()
            .map(|(k, count)| Entry {
                file: k.file.clone(),
                source: k.source.clone(),
                rule: k.rule.clone(),
                key: k.key.clone(),
                count: *count,
            })
            .collect();
        let mut text =
            serde_json::to_string_pretty(&FileFormat { version: VERSION, entries }).expect("a baseline serializes");
        text.push('\n');
        crate::atomic::write(&self.path, text.as_bytes())
    }

    fn key_of(&self, f: &Finding) -> EntryKey {
        EntryKey {
            file: self.relative(&f.file),
            source: f.source_file.as_deref().map(|s| self.relative(s)),
            rule: f.rule.to_string(),
            key: f.identity().to_string(),
        }
    }

    /// A path relative to the baseline's directory, with `/`; as given when outside it.
    fn relative(&self, path: &Path) -> String {
        let abs = absolute(path);
        match abs.strip_prefix(&self.dir) {
            Ok(rel) => crate::discover::to_slash(rel),
            Err(_) => crate::discover::to_slash(&abs),
        }
    }
}

fn base_dir(path: &Path) -> PathBuf {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    absolute(dir)
}

/// An absolute, normalized path: canonical where the file exists (symlinks resolved, as
/// for the baseline's own directory), else its existing ancestor's canonical path joined
/// with the rest.
fn absolute(path: &Path) -> PathBuf {
    if let Ok(c) = path.canonicalize() {
        return c;
    }
    let joined =
        if path.is_absolute() { path.to_path_buf() } else { std::env::current_dir().unwrap_or_default().join(path) };
    let mut normal = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::ParentDir => {
                normal.pop();
            }
            Component::CurDir => {}
            other => normal.push(other),
        }
    }
    let mut existing = normal.clone();
    let mut tail = Vec::new();
    while !existing.exists() {
        match (existing.file_name().map(|n| n.to_os_string()), existing.parent().map(Path::to_path_buf)) {
            (Some(name), Some(parent)) => {
                tail.push(name);
                existing = parent;
            }
            _ => return normal,
        }
    }
    let mut out = existing.canonicalize().unwrap_or(existing);
    for name in tail.iter().rev() {
        out.push(name);
    }
    out
}
