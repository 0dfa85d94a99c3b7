//! The incremental cache: a layer around the lint entry point that keeps each pair's findings on disk and reuses them while both files, the tree around them, the config and the build are unchanged.
//!
//! An entry is stored under the translation's path and holds the content hashes of the
//! source and the translation, the locale and the findings the rules reported for that
//! pair (before the driver adds paths and severities). It is used only when both content
//! hashes match the files as they are now; the whole cache is used only when its
//! fingerprint (the cache format, the tool version and build, the config file's text,
//! what the site's config says, and the enabled rules) matches this run's. Anything else (a different build, a changed
//! config, a truncated or edited file, an unknown rule name) makes the run ignore the
//! file and write a fresh one: the cache can make a run faster, never different.
//!
//! Knowing a file's content hash needs reading the file, which is most of a warm run's
//! cost. As git does with its index, an entry therefore also records each file's
//! metadata (size, modification and change times, inode) when it was hashed, and a file
//! whose metadata is exactly as recorded is taken to still have that hash. Metadata is
//! recorded only for files that had not changed for a while before the run started, so
//! that a file rewritten within the file system's timestamp granularity after being
//! read ("racily clean" in git's words) is always read again.
//!
//! The parts, each in its own module:
//! - `format`: the file (a checked header, a body and appended segments, written by
//!   postcard) and the entries read in place from it;
//! - `walked`: the files the walk found, by path hash, and their metadata (`Stat`);
//! - `recorder`: the questions rules ask the tree (`Asked`), noted while a pair is
//!   linted (`Recorder`) and checked again on a later run (`Around::holds`).
//!
//! The cache lives in `.locdrift-cache/` under the root (hidden, so the walker skips it,
//! and excluded there explicitly as well), with a `.gitignore` and a `CACHEDIR.TAG` so
//! neither git nor backup tools pick it up. It is written to a temporary file and
//! renamed into place (`atomic`), so a crash or a concurrent run never leaves half a
//! file. A run that learnt only a few pairs appends them instead, as a segment with its
//! own checksum and fingerprint: a torn or foreign segment is ignored (with anything
//! after it), and once the segments pass a quarter of the file, the next write is a
//! whole new file.
//!
//! Rules may also ask about the tree around the pair (`rules::Workspace`: does a linked
//! file exist, which anchors does it have, which page does a site's route serve, what
//! does git say, what do the source's other translations record). A `Recorder` between the rules and the tree notes every question
//! and its answer, and the entry keeps them: a cached pair is reused only while every
//! answer still holds, so a deleted link target or a renamed heading in another file
//! makes the pair be linted again. Questions are stored once per file in a table that
//! entries number into, and each is put to the tree once per run.
//!
//! ## Adding a question a rule may ask the tree
//!
//! 1. Declare it on `rules::Workspace` and answer it in `workspace::Tree` (and in the
//!    test doubles that implement the trait).
//! 2. Add a variant to `Asked` with the question's arguments and its answer (a long
//!    answer as a hash: only its equality matters), at the end of the enum.
//! 3. In `recorder.rs`, forward it in `impl Workspace for Recorder` with `note`, and say
//!    in `Around::holds` when a recorded answer still holds.
//!
//! Nothing else: postcard writes the new variant, and no format version changes, since
//! a cache is only ever read by the build that wrote it (the fingerprint holds the
//! build). Bump `format::MAGIC` only when the file's layout itself changes.

mod format;
mod recorder;
#[cfg(test)]
mod tests;
mod walked;

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

pub use self::recorder::{Around, Asked, Recorder};
pub use self::walked::{Stat, Walked};
pub use crate::hash::hash;
pub(crate) use crate::hash::Prehashed;

use self::format::{Stored, Table};
use crate::config::Config;
use crate::finding::Finding;
use crate::rules::RULES;

/// The cache folder's name under the root (the walk skips it, so the walk names it).
pub const DIR: &str = crate::discover::CACHE_DIR;
const FILE: &str = "findings-v1.bin";
/// How long a file must have been left alone before its metadata may stand for its hash.
const SETTLE: Duration = Duration::from_secs(2);

/// What a pair's entry must match to be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key<'a> {
    pub source: u128,
    pub translation: u128,
    pub locale: &'a str,
}

/// The metadata of a pair's two files, when they could be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stats {
    pub source: Option<Stat>,
    pub translation: Option<Stat>,
}

/// The cache of one root for one run: the entries read at the start and the pairs this
/// run linted or confirmed, written back at the end.
pub struct Cache {
    file: PathBuf,
    fingerprint: String,
    start: SystemTime,
    old: Stored,
    /// What this run learnt, written back at the end.
    new: Mutex<Learnt>,
    /// Whether the file on disk was missing, stale or invalid, so must be written.
    rewrite: bool,
}

/// The entries of one run, by translation, in their stored form, with the table their
/// question numbers refer to.
#[derive(Default)]
struct Learnt {
    entries: HashMap<String, Vec<u8>>,
    questions: Table,
}

/// What `Section::holds` says of a question: not asked yet this run, holds, does not.
const HOLDS: u8 = 1;
const FAILS: u8 = 2;

impl Cache {
    /// Whether a run that lints `pairs` pairs under `config.root` had better read the
    /// cache: not when the cache file is so much larger than the run that reading it
    /// would take longer than linting them (a pre-commit run on three files of a tree
    /// of a hundred thousand).
    pub fn worth_opening(config: &Config, pairs: usize) -> bool {
        let len = std::fs::metadata(config.root.join(DIR).join(FILE)).map_or(0, |m| m.len());
        worth_reading(len, pairs)
    }

    /// Opens the cache under `config.root`. A missing, unreadable, corrupted or
    /// mismatched file yields an empty cache.
    pub fn open(config: &Config) -> Cache {
        let fingerprint = fingerprint(config);
        let file = config.root.join(DIR).join(FILE);
        let loaded = std::fs::read(&file).ok().and_then(|bytes| format::decode(bytes, &fingerprint).ok());
        Cache {
            file,
            fingerprint,
            start: SystemTime::now(),
            rewrite: loaded.is_none(),
            old: loaded.unwrap_or_default(),
            new: Mutex::new(Learnt::default()),
        }
    }

    /// When this run started: a file touched after `SETTLE` before it is read again.
    pub(crate) fn start(&self) -> SystemTime {
        self.start
    }

    /// Whether the cache holds no entry (it was missing, stale or damaged): every pair
    /// of the run will be linted.
    pub fn is_empty(&self) -> bool {
        self.old.is_empty()
    }

    /// The findings stored for the translation at `rel` if neither file was touched
    /// since its content was hashed: no need to read either.
    pub fn unchanged(&self, rel: &str, locale: &str, stats: Stats, around: &Around) -> Option<Vec<Finding>> {
        let (section, entry) = self.old.get(rel)?;
        let (Some(s), Some(t)) = (stats.source, stats.translation) else { return None };
        if entry.locale != locale || entry.source_stat != Some(s) || entry.translation_stat != Some(t) {
            return None;
        }
        if !self.still_true(section, entry.questions(), around) {
            return None;
        }
        entry.findings()
    }

    /// The findings stored for the translation at `rel` if both contents are as
    /// hashed in `key`. The entry is renewed with `stats`, so that the next run can
    /// tell from the metadata alone.
    pub fn get(&self, rel: &str, key: Key, stats: Stats, around: &Around) -> Option<Vec<Finding>> {
        let (section, entry) = self.old.get(rel)?;
        if entry.key() != key || !self.still_true(section, entry.questions(), around) {
            return None;
        }
        let findings = entry.findings()?;
        let (source_stat, translation_stat) = (self.settled(stats.source), self.settled(stats.translation));
        if (source_stat, translation_stat) != (entry.source_stat, entry.translation_stat) {
            let mut new = self.new.lock().expect("no panic while holding the lock");
            if let Some(renewed) = self.old.renumber(section, &entry, source_stat, translation_stat, &mut new.questions)
            {
                new.entries.insert(rel.to_string(), renewed);
            }
        }
        Some(findings)
    }

    /// Whether every question of an entry still has its recorded answer. Each question
    /// of the table is put to the tree at most once a run, however many entries share it.
    fn still_true(&self, section: usize, numbers: &[u32], around: &Around) -> bool {
        let known = &self.old.sections[section].holds;
        numbers.iter().all(|&n| {
            let Some(slot) = known.get(n as usize) else { return false };
            match slot.load(Ordering::Relaxed) {
                HOLDS => true,
                FAILS => false,
                _ => {
                    let holds = self.old.question(section, n).is_some_and(|q| around.holds(&q, self.start));
                    slot.store(if holds { HOLDS } else { FAILS }, Ordering::Relaxed);
                    holds
                }
            }
        })
    }

    /// Records the findings of a pair linted in this run.
    pub fn put(&self, rel: &str, key: Key, stats: Stats, findings: &[Finding], asked: Vec<Asked>) {
        // Encoded outside the lock, numbered inside it.
        let questions: Vec<Vec<u8>> = asked.iter().map(format::to_bytes).collect();
        let (source_stat, translation_stat) = (self.settled(stats.source), self.settled(stats.translation));
        let mut new = self.new.lock().expect("no panic while holding the lock");
        let numbers = questions.iter().map(|q| new.questions.number(q)).collect();
        let entry = format::encode_entry(key, source_stat, translation_stat, findings, numbers);
        new.entries.insert(rel.to_string(), entry);
    }

    /// The metadata worth recording: only a settled file's stat stands for its content.
    fn settled(&self, stat: Option<Stat>) -> Option<Stat> {
        stat.filter(|s| s.settled(self.start))
    }

    /// Writes what this run learnt. A few new entries are appended to the file as a
    /// segment of their own (with its own checksum) instead of rewriting tens of
    /// megabytes; once the appended segments pass a quarter of the main body, or when
    /// the file was missing, stale or damaged, the whole file is written again: entries
    /// of this run replace the old ones, and old entries for translations this run did
    /// not look at are kept while they are among `files` (a run on a few files must not
    /// forget the rest). Failing to write is not an error: the next run is only slower.
    pub fn save(self, files: &[String]) {
        let new = self.new.into_inner().expect("no panic while holding the lock");
        // Nothing learnt: the file is right as it is. Entries of deleted files are
        // harmless (their hashes can only match the same contents) and go at the next
        // full write, so a run on a few files does not pay for looking at every entry.
        if !self.rewrite && !self.old.damaged && new.entries.is_empty() {
            // Giving the file's bytes back takes a few milliseconds; nothing waits for it.
            std::thread::spawn(move || drop(self.old));
            return;
        }
        let mut learnt: Vec<(&str, &[u8])> = new.entries.iter().map(|(rel, e)| (rel.as_str(), e.as_slice())).collect();
        learnt.sort_unstable_by(|a, b| a.0.cmp(b.0));
        if !self.rewrite && !self.old.damaged {
            let segment = format::encode_segment(&self.fingerprint, &new.questions, &learnt);
            let appended = self.old.bytes.len() - self.old.main_end + segment.len();
            if appended * 4 <= self.old.main_end && append(&self.file, self.old.bytes.len(), &segment).is_ok() {
                std::thread::spawn(move || drop(self.old));
                return;
            }
        }
        let Learnt { entries: new_entries, mut questions } = new;
        let present: HashSet<&str> = files.iter().map(String::as_str).collect();
        let mut kept: Vec<(&str, Vec<u8>)> = Vec::new();
        for (section, rel, entry) in self.old.live() {
            if new_entries.contains_key(rel) || !present.contains(rel) {
                continue;
            }
            let (source_stat, translation_stat) = (entry.source_stat, entry.translation_stat);
            if let Some(stored) = self.old.renumber(section, &entry, source_stat, translation_stat, &mut questions) {
                kept.push((rel, stored));
            }
        }
        let mut entries: Vec<(&str, &[u8])> = kept.iter().map(|(rel, e)| (*rel, e.as_slice())).collect();
        entries.extend(new_entries.iter().map(|(rel, e)| (rel.as_str(), e.as_slice())));
        entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let (head, body) = format::encode_parts(&self.fingerprint, &questions, &entries);
        let _ = write_parts(&self.file, &[&head, &body]);
    }
}

/// Appends a segment to the cache file, if the file is still as long as when it was
/// read (another run may have written it since; then it is rewritten instead). A torn
/// append (a crash, a full disk) fails the segment's checksum and is ignored.
fn append(file: &Path, read_len: usize, segment: &[u8]) -> std::io::Result<()> {
    let mut f = std::fs::OpenOptions::new().append(true).open(file)?;
    if f.metadata()?.len() != read_len as u64 {
        return Err(std::io::Error::other("the cache file changed since it was read"));
    }
    f.write_all(segment)
}

/// Writes a file of the cache folder (made with its `.gitignore` and `CACHEDIR.TAG` if
/// missing) atomically, these parts one after the other.
fn write_parts(file: &Path, parts: &[&[u8]]) -> std::io::Result<()> {
    let dir = file.parent().expect("the cache file is in the cache folder");
    std::fs::create_dir_all(dir)?;
    for (name, text) in [
        (".gitignore", "# Created by locdrift: its cache, not for version control.\n*\n"),
        ("CACHEDIR.TAG", "Signature: 8a477f597d28d172789f06886806bc55\n# This is locdrift's cache folder.\n"),
    ] {
        let path = dir.join(name);
        if !path.exists() {
            std::fs::write(path, text)?;
        }
    }
    // Not flushed to disk: a file torn by a power cut fails its checksum and is
    // rebuilt, which is all a cache needs, and syncing tens of megabytes would slow
    // every write.
    crate::atomic::write_parts(file, parts, crate::atomic::Durability::Replaceable)
}

/// What a cache file must have been written by: this format, this build of locdrift,
/// this config and this selection of rules.
fn fingerprint(config: &Config) -> String {
    let mut parts = vec![format::MAGIC.to_string(), env!("CARGO_PKG_VERSION").to_string(), build_id()];
    parts.push(match &config.file {
        Some(file) => std::fs::read_to_string(file).unwrap_or_else(|_| "unreadable config".into()),
        None => "no config file".into(),
    });
    let enabled: Vec<&str> = RULES.iter().filter(|r| config.settings.is_enabled(r.id)).map(|r| r.name).collect();
    parts.push(enabled.join(","));
    // What the site's own config decides (its URLs, heading ids, generator), which
    // locdrift.yaml's text does not show: a changed `baseURL` re-lints.
    parts.push(format!("{:?}", config.settings.site));
    format!("{:032x}", hash(parts.join("\n\u{0}\n").as_bytes()))
}

/// Whether a cache file of `len` bytes is worth reading for a run of `pairs` pairs: when
/// the run lints at least a sixty-fourth of the pairs the file may hold (a pair takes a
/// few milliseconds to lint; an entry reads in microseconds). An entry with its findings
/// and its share of the question table (links asked about, the fix checks' re-lints)
/// takes 0.3 to 6.5 kB on the corpora (docfx-nuget, 19 findings a pair, the most), so
/// the file is taken to hold one pair per 16 kB: a whole run of any of them reads its
/// cache, and a pre-commit run of a few pages of a 90,000-page tree does not.
fn worth_reading(len: u64, pairs: usize) -> bool {
    (pairs as u64).saturating_mul(64) >= len / 16_384
}

/// Identifies the running build: every rebuild gives the executable a new modification
/// time, so a cache never outlives a change to the rules, even within one version.
fn build_id() -> String {
    let exe = std::env::current_exe().ok();
    let meta = exe.as_deref().and_then(|p| std::fs::metadata(p).ok());
    match (exe, meta) {
        (Some(exe), Some(m)) => format!("{} {} {:?}", exe.display(), m.len(), m.modified().ok()),
        // Without a way to tell builds apart, nothing written before can be trusted.
        _ => format!("unknown build {:?}", SystemTime::now()),
    }
}
