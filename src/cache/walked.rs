//! The files a walk found, found again by their path hash, and their metadata (`Stat`), taken once each and a folder at a time.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use super::SETTLE;
use crate::discover::Found;
use crate::hash::{hash, Prehashed};

/// What the file system says about a file, enough to notice any write to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(from = "StoredStat", into = "StoredStat")]
pub struct Stat {
    pub(super) len: u64,
    /// Modification and status-change times, in nanoseconds since the epoch.
    pub(super) modified: i128,
    pub(super) changed: i128,
    pub(super) inode: u64,
}

/// A `Stat` as the cache file holds it: the change time as its distance from the
/// modification time, mostly zero or small, so one byte instead of nine.
#[derive(Serialize, Deserialize)]
struct StoredStat(u64, i128, i128, u64);

impl From<Stat> for StoredStat {
    fn from(s: Stat) -> StoredStat {
        StoredStat(s.len, s.modified, s.changed.wrapping_sub(s.modified), s.inode)
    }
}

impl From<StoredStat> for Stat {
    fn from(StoredStat(len, modified, delta, inode): StoredStat) -> Stat {
        Stat { len, modified, changed: modified.wrapping_add(delta), inode }
    }
}

impl Stat {
    /// Stands for the source of an orphan, which has none: no file is this long, and
    /// the times (in the past, so settled) carry `key`, the hash that stands for the
    /// source's content in the orphan's entry, so that metadata alone never matches an
    /// entry made for another key.
    pub fn absent(key: u128) -> Stat {
        let past = |half: u64| -(i128::from(half)) - 1;
        Stat { len: u64::MAX, modified: past((key >> 64) as u64), changed: past(key as u64), inode: 0 }
    }

    pub fn of(path: &Path) -> Option<Stat> {
        let meta = std::fs::metadata(path).ok()?;
        let nanos = |t: SystemTime| match t.duration_since(SystemTime::UNIX_EPOCH) {
            Ok(d) => d.as_nanos() as i128,
            Err(e) => -(e.duration().as_nanos() as i128),
        };
        let modified = nanos(meta.modified().ok()?);
        #[cfg(unix)]
        let (changed, inode) = {
            use std::os::unix::fs::MetadataExt;
            (meta.ctime() as i128 * 1_000_000_000 + meta.ctime_nsec() as i128, meta.ino())
        };
        // Elsewhere the modification time stands in for the change time.
        #[cfg(not(unix))]
        let (changed, inode) = (modified, 0);
        Some(Stat { len: meta.len(), modified, changed, inode })
    }

    /// The metadata of the file `name` in the folder open as `dir`, which the kernel
    /// finds without walking the folder's path again.
    #[cfg(unix)]
    fn at(dir: &rustix::fd::OwnedFd, name: &str) -> Option<Stat> {
        let s = rustix::fs::statat(dir, name, rustix::fs::AtFlags::empty()).ok()?;
        let nanos = |secs: i128, nanos: i128| secs * 1_000_000_000 + nanos;
        Some(Stat {
            len: s.st_size as u64,
            modified: nanos(s.st_mtime as i128, s.st_mtime_nsec as i128),
            changed: nanos(s.st_ctime as i128, s.st_ctime_nsec as i128),
            inode: s.st_ino as u64,
        })
    }

    /// Whether the file was last touched well before `start`, so a later write within
    /// the same timestamp tick cannot go unnoticed.
    pub(super) fn settled(&self, start: SystemTime) -> bool {
        let limit = match (start - SETTLE).duration_since(SystemTime::UNIX_EPOCH) {
            Ok(d) => d.as_nanos() as i128,
            Err(_) => return false,
        };
        self.modified < limit && self.changed < limit
    }
}

/// The files a walk found, found again by path without comparing strings until the
/// end, and for a run with a cache their metadata, taken once each. Made for each root
/// while the tree is planned or the cache file read, and shared by the threads that
/// lint without a lock.
pub struct Walked {
    pub(super) root: PathBuf,
    pub(super) found: Arc<Found>,
    /// Each file's place in `files`, by its path hash (`hash`), which is also what
    /// `Asked::Walked` records. `collided` holds the second of two walked paths with
    /// the same hash, should that ever happen; only then are paths compared on lookup.
    pub(super) by_hash: HashMap<u128, usize, Prehashed>,
    pub(super) collided: HashMap<String, usize>,
    /// By place in `files`; empty for a run without a cache, which asks for little.
    stats: Vec<OnceLock<Option<Stat>>>,
}

impl Walked {
    pub fn new(root: &Path, found: Arc<Found>) -> Walked {
        let mut by_hash = HashMap::with_capacity_and_hasher(found.files.len(), Prehashed::default());
        let mut collided = HashMap::new();
        for (i, f) in found.files.iter().enumerate() {
            if let Some(first) = by_hash.insert(hash(f.as_bytes()), i) {
                by_hash.insert(hash(f.as_bytes()), first);
                collided.insert(f.clone(), i);
            }
        }
        Walked { root: root.to_path_buf(), found, by_hash, collided, stats: Vec::new() }
    }

    /// `new`, with room for the metadata a cache needs.
    pub fn with_stats(root: &Path, found: Arc<Found>) -> Walked {
        let stats = found.files.iter().map(|_| OnceLock::new()).collect();
        Walked { stats, ..Walked::new(root, found) }
    }

    /// The walked files, relative to the root.
    pub fn files(&self) -> &[String] {
        &self.found.files
    }

    /// Takes the metadata of these files now, in parallel and a folder at a time (each
    /// folder opened once, its files stat'ed relative to it): a warm run asks for every
    /// file of the tree, and the system calls are most of what it does.
    pub fn stat_all<'f>(&self, rels: impl Iterator<Item = &'f str>) {
        use rayon::prelude::*;
        if self.stats.is_empty() {
            return;
        }
        let mut wanted: Vec<usize> = rels.filter_map(|rel| self.find(rel)).collect();
        wanted.sort_unstable();
        wanted.dedup();
        let folder = |i: usize| self.files()[i].rfind('/').map_or("", |end| &self.files()[i][..end]);
        // The walk's order keeps most of a folder's files together.
        let runs: Vec<&[usize]> = wanted.chunk_by(|a, b| folder(*a) == folder(*b)).collect();
        runs.par_iter().for_each(|run| {
            let dir = folder(run[0]);
            #[cfg(unix)]
            let open = {
                use rustix::fs::{Mode, OFlags};
                #[cfg(any(target_os = "linux", target_os = "android"))]
                let flags = OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC;
                #[cfg(not(any(target_os = "linux", target_os = "android")))]
                let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
                rustix::fs::open(self.root.join(dir), flags, Mode::empty()).ok()
            };
            for &i in *run {
                let rel = &self.files()[i];
                let name = if dir.is_empty() { rel.as_str() } else { &rel[dir.len() + 1..] };
                self.stats[i].get_or_init(|| {
                    #[cfg(unix)]
                    if let Some(dir) = &open {
                        return Stat::at(dir, name);
                    }
                    let _ = name;
                    Stat::of(&self.root.join(rel))
                });
            }
        });
    }

    /// A walked file's place in `files`.
    pub(super) fn find(&self, rel: &str) -> Option<usize> {
        let found = self.by_hash.get(&hash(rel.as_bytes())).copied();
        // The 128-bit path hash is trusted as the cache trusts its content hashes and
        // `Asked::Walked` its path hashes: comparing the path as well cost 5% of a
        // 90,000-file check (a cache miss on a string far away in memory per link
        // target) to rule out an odds-of-2^-128 accident. Among walked paths a shared
        // hash is noticed by `new`, and then paths are compared.
        if self.collided.is_empty() {
            return found;
        }
        match found {
            Some(i) if self.files()[i] == rel => Some(i),
            _ => self.collided.get(rel).copied(),
        }
    }

    /// Whether the walk found a file with this path hash.
    pub(super) fn has(&self, path: u128) -> bool {
        self.by_hash.contains_key(&path)
    }

    /// The metadata of a walked file (taken now if it was not yet), when there is room
    /// for it.
    pub(super) fn stat(&self, rel: &str) -> Option<Option<Stat>> {
        let slot = self.stats.get(self.find(rel)?)?;
        Some(*slot.get_or_init(|| Stat::of(&self.root.join(rel))))
    }
}
