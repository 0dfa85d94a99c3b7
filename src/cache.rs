//! The incremental cache: a pair's findings, kept on disk and reused while both files, the config and the build are unchanged.
//!
//! An entry is stored under the translation's path and holds the content hashes of the
//! source and the translation, the locale and the findings the rules reported for that
//! pair (before the driver adds paths and severities). It is used only when both content
//! hashes match the files as they are now; the whole cache is used only when its
//! fingerprint (the cache format, the tool version and build, the config file's text and
//! the enabled rules) matches this run's. Anything else (a different build, a changed
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
//! The cache lives in `.locdrift-cache/` under the root (hidden, so the walker skips it,
//! and excluded there explicitly as well), with a `.gitignore` and a `CACHEDIR.TAG` so
//! neither git nor backup tools pick it up. It is written to a temporary file and
//! renamed into place, so a crash or a concurrent run never leaves half a file. A run
//! that learnt only a few pairs appends them instead, as a segment with its own checksum
//! and fingerprint: a torn or foreign segment is ignored (with anything after it), and
//! once the segments pass a quarter of the file, the next write is a whole new file.
//!
//! Rules may also ask about the tree around the pair (`rules::Workspace`: does a linked
//! file exist, which anchors does it have, what does git say, what do the source's other
//! translations record). A `Recorder` between the rules and the tree notes every question
//! and its answer, and the entry keeps them: a cached pair is reused only while every
//! answer still holds (`Around::holds`), so a deleted link target or a renamed heading
//! in another file makes the pair be linted again. Questions are stored once per file
//! in a table that entries number into, and each is put to the tree once per run.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, SystemTime};

use xxhash_rust::xxh3::{xxh3_128, xxh3_64};

use crate::config::Config;
use crate::discover::Found;
use crate::finding::{Finding, Fix, Span};
use crate::rules::{Peer, Workspace, RULES};

/// The cache folder's name under the root.
pub const DIR: &str = ".locdrift-cache";
const FILE: &str = "findings-v1.bin";
/// The first line of the file; bump the number when the format changes.
const MAGIC: &str = "locdrift-cache 6";
/// How long a file must have been left alone before its metadata may stand for its hash.
const SETTLE: Duration = Duration::from_secs(2);

/// A content hash: XXH3-128, fast enough to hash every file of a large tree on each run
/// and wide enough that two different texts do not collide by accident.
pub fn hash(bytes: &[u8]) -> u128 {
    xxh3_128(bytes)
}

/// What a pair's entry must match to be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key<'a> {
    pub source: u128,
    pub translation: u128,
    pub locale: &'a str,
}

/// What the file system says about a file, enough to notice any write to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Stat {
    len: u64,
    /// Modification and status-change times, in nanoseconds since the epoch.
    modified: i128,
    changed: i128,
    inode: u64,
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
    fn settled(&self, start: SystemTime) -> bool {
        let limit = match (start - SETTLE).duration_since(SystemTime::UNIX_EPOCH) {
            Ok(d) => d.as_nanos() as i128,
            Err(_) => return false,
        };
        self.modified < limit && self.changed < limit
    }
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

/// The entries of one run, by translation, in their stored form (`encode_entry`), with
/// the table their question numbers refer to.
#[derive(Default)]
struct Learnt {
    entries: HashMap<String, Vec<u8>>,
    questions: Table,
}

/// Questions about the tree, each stored once however many pairs asked it: the pages of
/// a tree link to the same few pages and ask about the same sources, so a table shared
/// by all entries (an entry holds numbers into it) is a small part of a copy per pair.
#[derive(Default)]
struct Table {
    /// The questions one after the other (`write_asked`).
    bytes: Vec<u8>,
    /// Where each question starts in `bytes`.
    starts: Vec<usize>,
    /// A question's number by the 64-bit hash of its stored form. The bytes are
    /// compared too: of two questions with the same hash, the second is stored again
    /// under a new number each time, which costs a few bytes, never correctness.
    numbers: HashMap<u64, u32, Prehashed>,
}

impl Table {
    /// The number of a question in its stored form, added if new.
    fn number(&mut self, question: &[u8]) -> u32 {
        let key = xxh3_64(question);
        if let Some(&n) = self.numbers.get(&key) {
            let end = self.starts.get(n as usize + 1).copied().unwrap_or(self.bytes.len());
            if self.bytes[self.starts[n as usize]..end] == *question {
                return n;
            }
        }
        let n = self.starts.len() as u32;
        self.starts.push(self.bytes.len());
        self.bytes.extend_from_slice(question);
        self.numbers.entry(key).or_insert(n);
        n
    }
}

impl Cache {
    /// Whether a run that lints `pairs` pairs under `config.root` had better read the
    /// cache: not when the cache file is so much larger than the run that reading it
    /// would take longer than linting them (a pre-commit run on three files of a tree
    /// of a hundred thousand).
    pub fn worth_opening(config: &Config, pairs: usize) -> bool {
        let len = std::fs::metadata(config.root.join(DIR).join(FILE)).map_or(0, |m| m.len());
        // An entry takes about 250 bytes with its share of the question table (90k files:
        // 19.8 MB for 80,000 pairs) and reads in well under a microsecond; a pair takes a
        // few milliseconds to lint. Below a sixty-fourth, linting is cheaper.
        (pairs as u64).saturating_mul(64) >= len / 80
    }

    /// Opens the cache under `config.root`. A missing, unreadable, corrupted or
    /// mismatched file yields an empty cache.
    pub fn open(config: &Config) -> Cache {
        let fingerprint = fingerprint(config);
        let file = config.root.join(DIR).join(FILE);
        let loaded = std::fs::read(&file).ok().and_then(|bytes| decode(bytes, &fingerprint).ok());
        Cache {
            file,
            fingerprint,
            start: SystemTime::now(),
            rewrite: loaded.is_none(),
            old: loaded.unwrap_or_default(),
            new: Mutex::new(Learnt::default()),
        }
    }

    /// Whether the cache holds no entry (it was missing, stale or damaged): every pair
    /// of the run will be linted.
    pub fn is_empty(&self) -> bool {
        self.old.by_path.is_empty()
    }

    /// The findings stored for the translation at `rel` if neither file was touched
    /// since its content was hashed: no need to read either.
    pub fn unchanged(&self, rel: &str, locale: &str, stats: Stats, around: &Around) -> Option<Vec<Finding>> {
        let (section, entry) = self.old.get(rel)?;
        let (Some(s), Some(t)) = (stats.source, stats.translation) else { return None };
        if entry.locale != locale || entry.source_stat != Some(s) || entry.translation_stat != Some(t) {
            return None;
        }
        if !self.still_true(section, &entry, around) {
            return None;
        }
        entry.findings()
    }

    /// The findings stored for the translation at `rel` if both contents are as
    /// hashed in `key`. The entry is renewed with `stats`, so that the next run can
    /// tell from the metadata alone.
    pub fn get(&self, rel: &str, key: Key, stats: Stats, around: &Around) -> Option<Vec<Finding>> {
        let (section, entry) = self.old.get(rel)?;
        if entry.source != key.source || entry.translation != key.translation || entry.locale != key.locale {
            return None;
        }
        if !self.still_true(section, &entry, around) {
            return None;
        }
        let findings = entry.findings()?;
        let (source_stat, translation_stat) = (self.settled(stats.source), self.settled(stats.translation));
        if (source_stat, translation_stat) != (entry.source_stat, entry.translation_stat) {
            let mut new = self.new.lock().expect("no panic while holding the lock");
            let renewed = self.old.renumber(section, &entry, source_stat, translation_stat, &mut new.questions);
            new.entries.insert(rel.to_string(), renewed);
        }
        Some(findings)
    }

    /// Whether every question of an entry still has its recorded answer. Each question
    /// of the table is put to the tree at most once a run, however many entries share it.
    fn still_true(&self, section: usize, entry: &EntryRef, around: &Around) -> bool {
        let known = &self.old.sections[section].holds;
        entry.numbers().all(|n| {
            let Some(slot) = n.and_then(|n| known.get(n)) else { return false };
            match slot.load(Ordering::Relaxed) {
                HOLDS => true,
                FAILS => false,
                _ => {
                    let holds =
                        self.old.question(section, n.unwrap_or_default()).is_some_and(|q| around.holds(&q, self.start));
                    slot.store(if holds { HOLDS } else { FAILS }, Ordering::Relaxed);
                    holds
                }
            }
        })
    }

    /// Records the findings of a pair linted in this run.
    pub fn put(&self, rel: &str, key: Key, stats: Stats, findings: &[Finding], asked: Vec<Asked>) {
        let mut stored = Writer(Vec::new());
        for f in findings {
            write_finding(&mut stored, f);
        }
        // Encoded outside the lock, numbered inside it.
        let mut questions = Writer(Vec::with_capacity(asked.len() * 24));
        let mut ends = Vec::with_capacity(asked.len());
        for q in &asked {
            write_asked(&mut questions, q);
            ends.push(questions.0.len());
        }
        let (source_stat, translation_stat) = (self.settled(stats.source), self.settled(stats.translation));
        let mut new = self.new.lock().expect("no panic while holding the lock");
        let mut numbers = Writer(Vec::with_capacity(asked.len() * 2));
        let mut from = 0;
        for end in ends {
            numbers.u64(u64::from(new.questions.number(&questions.0[from..end])));
            from = end;
        }
        let entry = encode_entry(key, source_stat, translation_stat, &stored.0, &numbers.0);
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
            let segment = encode_segment(&self.fingerprint, &new.questions, &learnt);
            let appended = self.old.bytes.len() - self.old.main_end + segment.len();
            if appended * 4 <= self.old.main_end && append(&self.file, self.old.bytes.len(), &segment).is_ok() {
                std::thread::spawn(move || drop(self.old));
                return;
            }
        }
        let Learnt { entries: new_entries, mut questions } = new;
        let present: HashSet<&str> = files.iter().map(String::as_str).collect();
        let mut kept: Vec<(&str, Vec<u8>)> = Vec::new();
        for (section, entry) in self.old.live() {
            if new_entries.contains_key(entry.rel) || !present.contains(entry.rel) {
                continue;
            }
            let stored = self.old.renumber(section, &entry, entry.source_stat, entry.translation_stat, &mut questions);
            kept.push((entry.rel, stored));
        }
        let mut entries: Vec<(&str, &[u8])> = kept.iter().map(|(rel, e)| (*rel, e.as_slice())).collect();
        entries.extend(new_entries.iter().map(|(rel, e)| (rel.as_str(), e.as_slice())));
        entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let (head, body) = encode_parts(&self.fingerprint, &questions, &entries);
        let _ = write_parts_atomically(&self.file, &[&head, &body]);
    }
}

/// What `Section::holds` says of a question: not asked yet this run, holds, does not.
const HOLDS: u8 = 1;
const FAILS: u8 = 2;

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

/// The entries of the cache file, kept as the file's bytes and decoded only when a pair
/// asks for its own. Decoding every entry up front (a hundred thousand of them, each with
/// a dozen questions) took most of a warm run; this way, opening the cache is reading
/// and checking the file, and finding where each entry starts.
#[derive(Default)]
struct Stored {
    bytes: Vec<u8>,
    /// The main body, then each appended segment that read.
    sections: Vec<Section>,
    /// Where the main body ends and the appended segments begin.
    main_end: usize,
    /// Where an entry starts, by a 64-bit hash of its path (`path_key`): its section
    /// and offset. A later section's entry for a path replaces an earlier one's. Of two
    /// paths with the same hash only one is found: the other pair is linted again,
    /// which costs time, never correctness (the path is compared on every lookup).
    by_path: HashMap<u64, (usize, usize), Prehashed>,
    /// Whether an appended segment did not read (a torn append, damage, another build's
    /// segment): it and everything after it are ignored, and the next save rewrites.
    damaged: bool,
}

/// The main body or an appended segment: a question table and entries numbering into it.
#[derive(Default)]
struct Section {
    /// Where each question starts in `bytes`, then where the last one ends.
    questions: Vec<usize>,
    /// Whether each question holds in this run (`HOLDS`, `FAILS`, 0 before it is asked).
    holds: Vec<AtomicU8>,
    /// Where each entry starts in `bytes`, in file order.
    starts: Vec<usize>,
}

impl Stored {
    /// The entry of a translation, if there is one, with its section.
    fn get(&self, rel: &str) -> Option<(usize, EntryRef<'_>)> {
        let &(section, at) = self.by_path.get(&path_key(rel))?;
        let entry = EntryRef::read(&mut Reader(self.bytes.get(at..)?))?;
        (entry.rel == rel).then_some((section, entry))
    }

    /// Question `n` of a section, in its stored form.
    fn raw_question(&self, section: usize, n: usize) -> Option<&[u8]> {
        let q = &self.sections.get(section)?.questions;
        self.bytes.get(*q.get(n)?..*q.get(n + 1)?)
    }

    fn question(&self, section: usize, n: usize) -> Option<Asked<&str>> {
        read_asked(&mut Reader(self.raw_question(section, n)?))
    }

    /// Every entry a lookup can find (not replaced by a later segment's), in file order.
    fn live(&self) -> impl Iterator<Item = (usize, EntryRef<'_>)> {
        self.sections.iter().enumerate().flat_map(move |(section, s)| {
            s.starts.iter().filter_map(move |&at| {
                let entry = EntryRef::read(&mut Reader(self.bytes.get(at..)?))?;
                (self.by_path.get(&path_key(entry.rel)) == Some(&(section, at))).then_some((section, entry))
            })
        })
    }

    /// An entry's stored form with its questions numbered in `table`, and these stats.
    fn renumber(
        &self,
        section: usize,
        entry: &EntryRef,
        source_stat: Option<Stat>,
        translation_stat: Option<Stat>,
        table: &mut Table,
    ) -> Vec<u8> {
        let mut numbers = Writer(Vec::with_capacity(entry.questions.len()));
        for n in entry.numbers().flatten() {
            // `decode` checked every number against its table.
            if let Some(q) = self.raw_question(section, n) {
                numbers.u64(u64::from(table.number(q)));
            }
        }
        let key = Key { source: entry.source, translation: entry.translation, locale: entry.locale };
        encode_entry(key, source_stat, translation_stat, entry.findings, &numbers.0)
    }
}

fn path_key(rel: &str) -> u64 {
    xxh3_64(rel.as_bytes())
}

/// A hasher for keys that are hashes already (path keys, path hashes): it passes them
/// through instead of hashing them again, which a hundred thousand lookups notice.
#[derive(Default)]
pub(crate) struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only for keys other than u64 and u128, which this hasher is not used with.
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }

    fn write_u128(&mut self, n: u128) {
        self.0 = n as u64 ^ (n >> 64) as u64;
    }
}

pub(crate) type Prehashed = BuildHasherDefault<PassThrough>;

/// One entry, read in place from the cache file's bytes.
#[derive(Debug, Clone, Copy, PartialEq)]
struct EntryRef<'a> {
    rel: &'a str,
    /// Content hashes of the source and the translation.
    source: u128,
    translation: u128,
    locale: &'a str,
    /// Metadata of the files when hashed, if they had settled by then.
    source_stat: Option<Stat>,
    translation_stat: Option<Stat>,
    /// The findings (`write_finding`), then what the rules asked about the tree and
    /// were told, as numbers into the section's question table (`Writer::var`).
    findings: &'a [u8],
    questions: &'a [u8],
}

impl<'a> EntryRef<'a> {
    /// Reads an entry's fields; `check` looks inside its findings and questions.
    fn read(r: &mut Reader<'a>) -> Option<EntryRef<'a>> {
        let rel = r.str()?;
        let (source, translation) = (r.u128()?, r.u128()?);
        let locale = r.str()?;
        let (source_stat, translation_stat) = (r.opt_stat()?, r.opt_stat()?);
        let (findings, questions) = (r.bytes()?, r.bytes()?);
        Some(EntryRef { rel, source, translation, locale, source_stat, translation_stat, findings, questions })
    }

    /// Whether the findings read to their end with every rule name known to this build
    /// (which a matching fingerprint promises), and every question number is one of the
    /// `table` questions of its section.
    fn check(&self, table: usize) -> bool {
        let mut findings = Reader(self.findings);
        while !findings.0.is_empty() {
            if read_finding(&mut findings).is_none() {
                return false;
            }
        }
        self.numbers().all(|n| n.is_some_and(|n| n < table))
    }

    /// The stored findings, ready for the driver to add paths and severities.
    fn findings(&self) -> Option<Vec<Finding>> {
        let mut r = Reader(self.findings);
        let mut out = Vec::new();
        while !r.0.is_empty() {
            out.push(read_finding(&mut r)?);
        }
        Some(out)
    }

    /// The numbers of the questions, each None if it does not read (which `check`
    /// rules out).
    fn numbers(&self) -> impl Iterator<Item = Option<usize>> + 'a {
        let mut r = Reader(self.questions);
        std::iter::from_fn(move || {
            if r.0.is_empty() {
                return None;
            }
            let n = r.u64().and_then(|n| usize::try_from(n).ok());
            if n.is_none() {
                r.0 = &[];
            }
            Some(n)
        })
    }
}

/// A finding as the rules returned it (the driver adds file, locale and severity):
/// rule, message, span, then the optional source span, help, fix and key.
fn write_finding(w: &mut Writer, f: &Finding) {
    // Every field named: a field added to `Finding` must be decided on here (stored,
    // or set by the driver after the cache), or the cache would drop it unseen.
    let Finding {
        rule,
        severity: _,
        message,
        span,
        source_span,
        help,
        fix,
        file: _,
        locale: _,
        source_file: _,
        key,
        sync,
    } = f;
    w.str(rule);
    w.str(message);
    w.span(*span);
    w.opt(source_span.as_ref(), |w, s| w.span(*s));
    w.opt(help.as_ref(), |w, h| w.str(h));
    w.opt(fix.as_ref(), |w, x| {
        w.span(x.span);
        w.str(&x.replacement);
        w.0.push(u8::from(x.safe));
    });
    w.opt(key.as_ref(), |w, k| w.str(k));
    w.opt(sync.as_ref(), |w, s| {
        w.str(&s.commit);
        w.str(&s.date);
        w.u64(s.changes as u64);
        w.str(&s.sections);
    });
}

/// None when the bytes do not read, or name a rule this build does not know.
fn read_finding(r: &mut Reader) -> Option<Finding> {
    let name = r.str()?;
    let rule = RULES.iter().find(|x| x.name == name)?.name;
    let message = r.str()?;
    let mut f = Finding::new(rule, r.span()?, message);
    f.source_span = r.opt(|r| r.span())?;
    f.help = r.opt(|r| Some(r.str()?.to_string()))?;
    f.fix = r.opt(|r| Some(Fix { span: r.span()?, replacement: r.str()?.to_string(), safe: r.flag()? }))?;
    f.key = r.opt(|r| Some(r.str()?.to_string()))?;
    f.sync = r.opt(|r| {
        Some(crate::finding::SyncInfo {
            commit: r.str()?.to_string(),
            date: r.str()?.to_string(),
            changes: usize::try_from(r.u64()?).ok()?,
            sections: r.str()?.to_string(),
        })
    })?;
    Some(f)
}

/// A question a rule asked about the tree while a pair was linted, and the answer.
/// Answers that may be long are kept as hashes: only their equality matters. Paths are
/// `String`s when recorded, `&str`s when read back from the cache file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Asked<S = String> {
    /// A file the walk found exists: holds while the walk finds a file with this path
    /// hash. Most link targets are such files; this keeps their entries small.
    Walked {
        path: u128,
    },
    Exists {
        rel: S,
        answer: bool,
    },
    /// Whether the page has this anchor (`Workspace::has_anchor`), with the file's
    /// metadata when asked (if it had settled), which vouches for the answer as long as
    /// it is unchanged. Asked of the fragment, not of the page's anchors as a whole, so
    /// an edit to another heading of a page many pages link to re-lints none of them.
    Anchors {
        rel: S,
        fragment: S,
        stat: Option<Stat>,
        answer: Option<bool>,
    },
    CommitTime {
        rel: S,
        answer: Option<i64>,
    },
    /// With HEAD when asked: the answer depends on nothing else, so it holds without
    /// asking git again while HEAD is the same commit.
    ChangedSince {
        rel: S,
        commit: S,
        head: Option<S>,
        answer: Option<bool>,
    },
    Peers {
        source: S,
        answer: u128,
    },
    /// A translation's sync point (`Workspace::sync_point`), as the hash of its commit.
    /// The answer depends on the pair's texts (which the entry is keyed by) and on the
    /// history, so it holds while HEAD is the same commit (or while there is still no repository); after that the pair is linted
    /// again (the question needs the translation's signature, which only a lint makes).
    Sync {
        source: S,
        translation: S,
        head: Option<S>,
        answer: u128,
    },
}

/// The files a walk found, found again by path without comparing strings until the
/// end, and for a run with a cache their metadata, taken once each. Made for each root
/// while the tree is planned or the cache file read, and shared by the threads that
/// lint without a lock.
pub struct Walked {
    root: PathBuf,
    found: Arc<Found>,
    /// Each file's place in `files`, by its path hash (`hash`), which is also what
    /// `Asked::Walked` records. `collided` holds the second of two walked paths with
    /// the same hash, should that ever happen; only then are paths compared on lookup.
    by_hash: HashMap<u128, usize, Prehashed>,
    collided: HashMap<String, usize>,
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
    fn find(&self, rel: &str) -> Option<usize> {
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
    fn has(&self, path: u128) -> bool {
        self.by_hash.contains_key(&path)
    }

    /// The metadata of a walked file (taken now if it was not yet), when there is room
    /// for it.
    fn stat(&self, rel: &str) -> Option<Option<Stat>> {
        let slot = self.stats.get(self.find(rel)?)?;
        Some(*slot.get_or_init(|| Stat::of(&self.root.join(rel))))
    }
}

/// The tree around the pairs of one run: what rules ask (`workspace`), where it is, and
/// the walked files, which answer most existence questions without a system call.
pub struct Around<'a> {
    pub workspace: &'a dyn Workspace,
    pub root: &'a Path,
    walked: &'a Walked,
    /// The metadata of other files asked for in this run (link targets outside the walk).
    other_stats: Mutex<HashMap<String, Option<Stat>>>,
}

impl<'a> Around<'a> {
    pub fn new(workspace: &'a dyn Workspace, walked: &'a Walked) -> Around<'a> {
        Around { workspace, root: &walked.root, walked, other_stats: Mutex::new(HashMap::new()) }
    }

    /// The metadata of a root-relative file, asked once per run.
    pub fn stat(&self, rel: &str) -> Option<Stat> {
        if let Some(stat) = self.walked.stat(rel) {
            return stat;
        }
        if let Some(known) = self.other_stats.lock().expect("no panic while holding the lock").get(rel) {
            return *known;
        }
        let stat = Stat::of(&self.root.join(rel));
        self.other_stats.lock().expect("no panic while holding the lock").insert(rel.to_string(), stat);
        stat
    }

    /// Whether a recorded answer is still what the tree says.
    fn holds(&self, q: &Asked<&str>, start: SystemTime) -> bool {
        match *q {
            Asked::Walked { path } => self.walked.has(path),
            Asked::Exists { rel, answer } => self.walked.find(rel).is_none() && self.workspace.exists(rel) == answer,
            Asked::Anchors { rel, fragment, stat, answer } => {
                let same_file = stat.is_some() && self.stat(rel).filter(|s| s.settled(start)) == stat;
                same_file || self.workspace.has_anchor(rel, fragment) == answer
            }
            Asked::CommitTime { rel, answer } => self.workspace.last_commit_time(rel) == answer,
            Asked::ChangedSince { rel, commit, head, answer } => {
                let same_head = head.is_some() && self.workspace.head_commit() == head;
                same_head || self.workspace.changed_since(rel, commit) == answer
            }
            Asked::Peers { source, answer } => hash_peers(&self.workspace.peers(source)) == answer,
            Asked::Sync { head, .. } => self.workspace.head_commit() == head,
        }
    }
}

fn hash_peers(list: &[Peer]) -> u128 {
    let text: Vec<String> =
        list.iter().map(|p| format!("{}\0{}\0{}", p.locale, p.hash, p.date.as_deref().unwrap_or("\u{1}"))).collect();
    hash(text.join("\0\0").as_bytes())
}

/// Stands between the rules and the tree while a pair is linted, noting every question.
pub struct Recorder<'a> {
    around: &'a Around<'a>,
    start: SystemTime,
    asked: Mutex<Vec<Asked>>,
    /// Off when no cache will store the answers (`--no-cache`): nothing is noted, and
    /// no file is stat'ed or answer hashed for it.
    recording: bool,
}

impl<'a> Recorder<'a> {
    pub fn new(around: &'a Around<'a>, cache: Option<&Cache>) -> Recorder<'a> {
        Recorder {
            around,
            start: cache.map_or_else(SystemTime::now, |c| c.start),
            asked: Mutex::new(Vec::new()),
            recording: true,
        }
    }

    /// A recorder that notes nothing, for a run without a cache: rules still get the
    /// walked files' quick existence answers.
    pub fn passive(around: &'a Around<'a>) -> Recorder<'a> {
        Recorder { recording: false, ..Recorder::new(around, None) }
    }

    /// What was asked, each question once.
    pub fn into_asked(self) -> Vec<Asked> {
        let mut asked = self.asked.into_inner().expect("no panic while holding the lock");
        asked.sort();
        asked.dedup();
        asked
    }

    fn note(&self, q: impl FnOnce() -> Asked) {
        if !self.recording {
            return;
        }
        let q = q();
        self.asked.lock().expect("no panic while holding the lock").push(q);
    }
}

impl Workspace for Recorder<'_> {
    fn exists(&self, rel: &str) -> bool {
        // A walked file exists (the walk keeps regular files and links to files inside
        // the root, what the tree would check): no system call for most link targets.
        if self.around.walked.find(rel).is_some() {
            self.note(|| Asked::Walked { path: hash(rel.as_bytes()) });
            return true;
        }
        let answer = self.around.workspace.exists(rel);
        self.note(|| Asked::Exists { rel: rel.to_string(), answer });
        answer
    }

    fn has_anchor(&self, rel: &str, fragment: &str) -> Option<bool> {
        // Stat'ed before the answer is read, so a file written in between is read again
        // by the next run.
        let stat = self.recording.then(|| self.around.stat(rel).filter(|s| s.settled(self.start))).flatten();
        let answer = self.around.workspace.has_anchor(rel, fragment);
        self.note(|| Asked::Anchors { rel: rel.to_string(), fragment: fragment.to_string(), stat, answer });
        answer
    }

    fn last_commit_time(&self, rel: &str) -> Option<i64> {
        let answer = self.around.workspace.last_commit_time(rel);
        self.note(|| Asked::CommitTime { rel: rel.to_string(), answer });
        answer
    }

    fn changed_since(&self, rel: &str, commit: &str) -> Option<bool> {
        let answer = self.around.workspace.changed_since(rel, commit);
        self.note(|| Asked::ChangedSince {
            rel: rel.to_string(),
            commit: commit.to_string(),
            head: self.around.workspace.head_commit().map(str::to_string),
            answer,
        });
        answer
    }

    fn peers(&self, source: &str) -> Vec<Peer> {
        let answer = self.around.workspace.peers(source);
        self.note(|| Asked::Peers { source: source.to_string(), answer: hash_peers(&answer) });
        answer
    }

    fn head_commit(&self) -> Option<&str> {
        self.around.workspace.head_commit()
    }

    fn sync_point(
        &self,
        source: &str,
        translation: &str,
        signature: &crate::sync::Signature,
        stamp: Option<&str>,
    ) -> Option<crate::sync::SyncPoint> {
        let answer = self.around.workspace.sync_point(source, translation, signature, stamp);
        self.note(|| Asked::Sync {
            source: source.to_string(),
            translation: translation.to_string(),
            head: self.around.workspace.head_commit().map(str::to_string),
            answer: answer.as_ref().map_or(0, |s| hash(s.commit.as_bytes())),
        });
        answer
    }
}

/// What a cache file must have been written by: this format, this build of locdrift,
/// this config and this selection of rules.
fn fingerprint(config: &Config) -> String {
    let mut parts = vec![MAGIC.to_string(), env!("CARGO_PKG_VERSION").to_string(), build_id()];
    parts.push(match &config.file {
        Some(file) => std::fs::read_to_string(file).unwrap_or_else(|_| "unreadable config".into()),
        None => "no config file".into(),
    });
    let enabled: Vec<&str> = RULES.iter().map(|r| r.name).filter(|n| config.settings.is_enabled(n)).collect();
    parts.push(enabled.join(","));
    format!("{:032x}", hash(parts.join("\n\u{0}\n").as_bytes()))
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

/// The file: a line with the format, a line with the fingerprint, a line with the hash
/// and the length of the main body, the main body (`encode_section`), then any segments
/// appended since (`encode_segment`). All in a compact binary form (`Writer`) that is
/// read in place (`Stored`).
#[cfg(test)]
fn encode(fingerprint: &str, questions: &Table, entries: &[(&str, &[u8])]) -> Vec<u8> {
    let (head, body) = encode_parts(fingerprint, questions, entries);
    [head, body].concat()
}

/// `encode` as the header and the body, which `save` writes one after the other rather
/// than copy tens of megabytes into one buffer.
fn encode_parts(fingerprint: &str, questions: &Table, entries: &[(&str, &[u8])]) -> (Vec<u8>, Vec<u8>) {
    let body = encode_section(questions, entries);
    let head = format!("{MAGIC}\n{fingerprint}\n{:032x} {}\n", hash(&body), body.len()).into_bytes();
    (head, body)
}

/// A question table and entries (sorted by path) numbering into it: the number of
/// questions, the questions (`write_asked`), the number of entries, then each entry's
/// path and its stored form (`encode_entry`).
fn encode_section(questions: &Table, entries: &[(&str, &[u8])]) -> Vec<u8> {
    let size: usize = entries.iter().map(|(rel, stored)| 2 + rel.len() + stored.len()).sum();
    let mut w = Writer(Vec::with_capacity(16 + questions.bytes.len() + size));
    w.u64(questions.starts.len() as u64);
    w.0.extend_from_slice(&questions.bytes);
    w.u64(entries.len() as u64);
    for (rel, stored) in entries {
        w.str(rel);
        w.0.extend_from_slice(stored);
    }
    w.0
}

/// A segment appended after the main body: its length (8 bytes), the hash of what
/// follows (16 bytes), then the fingerprint (so that a segment another build appended
/// to a file it did not write is not believed) and a section of its own.
fn encode_segment(fingerprint: &str, questions: &Table, entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut inner = Writer(Vec::new());
    inner.str(fingerprint);
    inner.0.extend_from_slice(&encode_section(questions, entries));
    let mut out = Vec::with_capacity(24 + inner.0.len());
    out.extend_from_slice(&(inner.0.len() as u64).to_le_bytes());
    out.extend_from_slice(&hash(&inner.0).to_le_bytes());
    out.extend_from_slice(&inner.0);
    out
}

/// An entry's stored form after its path: the content hashes, the locale, the settled
/// metadata, then the findings (a length-prefixed run of `write_finding`) and the
/// numbers of its questions in the section's table (a length-prefixed run of varints).
fn encode_entry(
    key: Key,
    source_stat: Option<Stat>,
    translation_stat: Option<Stat>,
    findings: &[u8],
    numbers: &[u8],
) -> Vec<u8> {
    let mut w = Writer(Vec::with_capacity(100 + findings.len() + numbers.len()));
    w.u128(key.source);
    w.u128(key.translation);
    w.str(key.locale);
    w.opt(source_stat.as_ref(), Writer::stat);
    w.opt(translation_stat.as_ref(), Writer::stat);
    w.bytes(findings);
    w.bytes(numbers);
    w.0
}

/// Why a cache file was not used.
#[derive(Debug, PartialEq, Eq)]
enum Rejected {
    Malformed,
    OtherFingerprint,
    Corrupted,
}

/// Checks a cache file and finds its entries. Every entry and question of the main
/// body is read through once, so a body that does not read to its end, or names a rule
/// this build does not know, is rejected as a whole rather than trusted in part. An
/// appended segment that does not read is ignored with everything after it (`damaged`).
fn decode(bytes: Vec<u8>, fingerprint: &str) -> Result<Stored, Rejected> {
    let mut rest = bytes.as_slice();
    let mut line = || -> Result<&str, Rejected> {
        let end = rest.iter().position(|&b| b == b'\n').ok_or(Rejected::Malformed)?;
        let text = std::str::from_utf8(&rest[..end]).map_err(|_| Rejected::Malformed)?;
        rest = &rest[end + 1..];
        Ok(text)
    };
    let (magic, print, sum) = (line()?, line()?, line()?);
    if magic != MAGIC {
        return Err(Rejected::Malformed);
    }
    if print != fingerprint {
        return Err(Rejected::OtherFingerprint);
    }
    let (sum, len) = sum.split_once(' ').ok_or(Rejected::Malformed)?;
    let len: usize = len.parse().map_err(|_| Rejected::Malformed)?;
    let body = bytes.len() - rest.len();
    let main_end = body.checked_add(len).filter(|&end| end <= bytes.len()).ok_or(Rejected::Corrupted)?;
    if sum != format!("{:032x}", hash(&bytes[body..main_end])) {
        return Err(Rejected::Corrupted);
    }
    let mut stored = Stored { main_end, ..Stored::default() };
    let main = section(&bytes, body, main_end, 0, &mut stored.by_path).ok_or(Rejected::Corrupted)?;
    stored.sections.push(main);
    let mut at = main_end;
    while at < bytes.len() {
        match segment(&bytes, at, fingerprint, stored.sections.len(), &mut stored.by_path) {
            Some((s, end)) => {
                stored.sections.push(s);
                at = end;
            }
            None => {
                stored.damaged = true;
                break;
            }
        }
    }
    stored.bytes = bytes;
    Ok(stored)
}

/// The appended segment at `at`, and where it ends, if it is whole, for this
/// fingerprint, and reads. Its entries are added to `by_path` only then.
fn segment(
    bytes: &[u8],
    at: usize,
    fingerprint: &str,
    number: usize,
    by_path: &mut HashMap<u64, (usize, usize), Prehashed>,
) -> Option<(Section, usize)> {
    let head = bytes.get(at..at.checked_add(24)?)?;
    let len = usize::try_from(u64::from_le_bytes(head[..8].try_into().ok()?)).ok()?;
    let sum = u128::from_le_bytes(head[8..].try_into().ok()?);
    let end = (at + 24).checked_add(len)?;
    let inner = bytes.get(at + 24..end)?;
    if hash(inner) != sum {
        return None;
    }
    let mut r = Reader(inner);
    if r.str()? != fingerprint {
        return None;
    }
    let start = end - r.0.len();
    let mut found = HashMap::default();
    let s = section(bytes, start, end, number, &mut found)?;
    by_path.extend(found);
    Some((s, end))
}

/// Reads the section in `bytes[from..to]`: where each question and entry starts, with
/// each entry's place added to `by_path` (a later entry for a path replacing an earlier
/// one). None if anything does not read or a number points outside the table.
fn section(
    bytes: &[u8],
    from: usize,
    to: usize,
    number: usize,
    by_path: &mut HashMap<u64, (usize, usize), Prehashed>,
) -> Option<Section> {
    let mut r = Reader(&bytes[from..to]);
    let at = |r: &Reader| to - r.0.len();
    // Never trust a count to size an allocation: a question takes at least 17 bytes
    // and an entry at least 40.
    let count = usize::try_from(r.u64()?).ok()?;
    let mut questions = Vec::with_capacity(count.min(r.0.len() / 17) + 1);
    for _ in 0..count {
        questions.push(at(&r));
        read_asked(&mut r)?;
    }
    questions.push(at(&r));
    let count = usize::try_from(r.u64()?).ok()?;
    let mut starts = Vec::with_capacity(count.min(r.0.len() / 40));
    by_path.reserve(count.min(r.0.len() / 40));
    let table = questions.len() - 1;
    for _ in 0..count {
        let start = at(&r);
        let entry = EntryRef::read(&mut r)?;
        if !entry.check(table) {
            return None;
        }
        starts.push(start);
        by_path.insert(path_key(entry.rel), (number, start));
    }
    let holds = (0..table).map(|_| AtomicU8::new(0)).collect();
    r.0.is_empty().then_some(Section { questions, holds, starts })
}

fn write_asked<S: AsRef<str>>(w: &mut Writer, q: &Asked<S>) {
    match q {
        Asked::Walked { path } => {
            w.0.push(0);
            w.u128(*path);
        }
        Asked::Exists { rel, answer } => {
            w.0.push(1);
            w.str(rel.as_ref());
            w.0.push(u8::from(*answer));
        }
        Asked::Anchors { rel, fragment, stat, answer } => {
            w.0.push(2);
            w.str(rel.as_ref());
            w.str(fragment.as_ref());
            w.opt(stat.as_ref(), Writer::stat);
            w.0.push(tri(*answer));
        }
        Asked::CommitTime { rel, answer } => {
            w.0.push(3);
            w.str(rel.as_ref());
            w.opt(answer.as_ref(), |w, t| w.i128(i128::from(*t)));
        }
        Asked::ChangedSince { rel, commit, head, answer } => {
            w.0.push(4);
            w.str(rel.as_ref());
            w.str(commit.as_ref());
            w.opt(head.as_ref(), |w, h| w.str(h.as_ref()));
            w.0.push(tri(*answer));
        }
        Asked::Peers { source, answer } => {
            w.0.push(5);
            w.str(source.as_ref());
            w.u128(*answer);
        }
        Asked::Sync { source, translation, head, answer } => {
            w.0.push(6);
            w.str(source.as_ref());
            w.str(translation.as_ref());
            w.opt(head.as_ref(), |w, h| w.str(h.as_ref()));
            w.u128(*answer);
        }
    }
}

/// An answer that may be unknown, as one byte.
fn tri(answer: Option<bool>) -> u8 {
    match answer {
        None => 0,
        Some(false) => 1,
        Some(true) => 2,
    }
}

/// `tri` undone; `None` for a byte it does not write.
fn untri(byte: u8) -> Option<Option<bool>> {
    match byte {
        0 => Some(None),
        1 => Some(Some(false)),
        2 => Some(Some(true)),
        _ => None,
    }
}

fn read_asked<'a>(r: &mut Reader<'a>) -> Option<Asked<&'a str>> {
    Some(match r.byte()? {
        0 => Asked::Walked { path: r.u128()? },
        1 => Asked::Exists { rel: r.str()?, answer: r.flag()? },
        2 => Asked::Anchors { rel: r.str()?, fragment: r.str()?, stat: r.opt_stat()?, answer: untri(r.byte()?)? },
        3 => Asked::CommitTime { rel: r.str()?, answer: r.opt(|r| i64::try_from(r.i128()?).ok())? },
        4 => {
            let (rel, commit, head) = (r.str()?, r.str()?, r.opt(|r| r.str())?);
            Asked::ChangedSince { rel, commit, head, answer: untri(r.byte()?)? }
        }
        5 => Asked::Peers { source: r.str()?, answer: r.u128()? },
        6 => {
            let (source, translation, head) = (r.str()?, r.str()?, r.opt(|r| r.str())?);
            Asked::Sync { source, translation, head, answer: r.u128()? }
        }
        _ => return None,
    })
}

struct Writer(Vec<u8>);

impl Writer {
    /// A number in LEB128: seven bits a byte, low bits first, the top bit set on every
    /// byte but the last. Lengths, spans and question numbers take one or two bytes
    /// instead of eight, which is most of what made the file large.
    fn var(&mut self, mut v: u128) {
        while v >= 0x80 {
            self.0.push(v as u8 | 0x80);
            v >>= 7;
        }
        self.0.push(v as u8);
    }

    fn u64(&mut self, v: u64) {
        self.var(u128::from(v));
    }

    /// A signed number, zigzagged so that small negative numbers stay short.
    fn i128(&mut self, v: i128) {
        self.var(((v << 1) ^ (v >> 127)) as u128);
    }

    fn u128(&mut self, v: u128) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }

    /// Bytes, after their length.
    fn bytes(&mut self, b: &[u8]) {
        self.u64(b.len() as u64);
        self.0.extend_from_slice(b);
    }

    fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }

    fn span(&mut self, s: Span) {
        self.u64(s.start as u64);
        self.u64(s.end as u64);
    }

    /// The change time as its distance from the modification time, which is mostly
    /// zero or small.
    fn stat(&mut self, s: &Stat) {
        self.u64(s.len);
        self.i128(s.modified);
        self.i128(s.changed.wrapping_sub(s.modified));
        self.u64(s.inode);
    }

    /// A flag byte (0 for none, 1 for some), then the value if there is one.
    fn opt<T>(&mut self, v: Option<&T>, write: impl FnOnce(&mut Writer, &T)) {
        match v {
            Some(v) => {
                self.0.push(1);
                write(self, v);
            }
            None => self.0.push(0),
        }
    }
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (head, tail) = self.0.split_at(n);
        self.0 = tail;
        Some(head)
    }

    fn byte(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }

    /// `Writer::var`; None past the end, or for a number wider than 128 bits or not
    /// written in its shortest form (so that each number has one encoding).
    fn var(&mut self) -> Option<u128> {
        // Up to nine bytes (63 bits: every length, and times until 2262) in a u64, which
        // a warm run that reads two file times per entry notices.
        let mut v = 0u64;
        for (i, &b) in self.0.iter().take(9).enumerate() {
            v |= u64::from(b & 0x7f) << (7 * i);
            if b & 0x80 == 0 {
                if b == 0 && i > 0 {
                    return None;
                }
                self.0 = &self.0[i + 1..];
                return Some(u128::from(v));
            }
        }
        self.var_long()
    }

    fn var_long(&mut self) -> Option<u128> {
        let mut v = 0u128;
        for shift in (0..128).step_by(7) {
            let b = self.byte()?;
            let bits = u128::from(b & 0x7f);
            if (bits << shift) >> shift != bits {
                return None;
            }
            v |= bits << shift;
            if b & 0x80 == 0 {
                return (b != 0 || shift == 0).then_some(v);
            }
        }
        None
    }

    fn u64(&mut self) -> Option<u64> {
        u64::try_from(self.var()?).ok()
    }

    fn i128(&mut self) -> Option<i128> {
        let z = self.var()?;
        Some((z >> 1) as i128 ^ -((z & 1) as i128))
    }

    fn u128(&mut self) -> Option<u128> {
        Some(u128::from_le_bytes(self.take(16)?.try_into().ok()?))
    }

    fn usize(&mut self) -> Option<usize> {
        usize::try_from(self.u64()?).ok()
    }

    /// A byte that must be 0 or 1.
    fn flag(&mut self) -> Option<bool> {
        match self.byte()? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }

    fn bytes(&mut self) -> Option<&'a [u8]> {
        let len = self.usize()?;
        self.take(len)
    }

    fn str(&mut self) -> Option<&'a str> {
        std::str::from_utf8(self.bytes()?).ok()
    }

    fn span(&mut self) -> Option<Span> {
        Some(Span::new(self.usize()?, self.usize()?))
    }

    fn stat(&mut self) -> Option<Stat> {
        let len = self.u64()?;
        let modified = self.i128()?;
        Some(Stat { len, modified, changed: modified.wrapping_add(self.i128()?), inode: self.u64()? })
    }

    fn opt_stat(&mut self) -> Option<Option<Stat>> {
        self.opt(Reader::stat)
    }

    /// `Writer::opt`: Some(None) for none, Some(Some(value)) for a value that reads.
    fn opt<T>(&mut self, read: impl FnOnce(&mut Reader<'a>) -> Option<T>) -> Option<Option<T>> {
        match self.flag()? {
            false => Some(None),
            true => Some(Some(read(self)?)),
        }
    }
}

/// Writes a file of the cache folder (made with its `.gitignore` and `CACHEDIR.TAG` if
/// missing) through a temporary file renamed into place. The stored git history
/// (`history.rs`) is written this way too.
pub(crate) fn write_atomically(file: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_parts_atomically(file, &[bytes])
}

/// `write_atomically` of these parts one after the other.
fn write_parts_atomically(file: &Path, parts: &[&[u8]]) -> std::io::Result<()> {
    let dir = file.parent().expect("the cache file is in the cache folder");
    let name = file.file_name().map_or_else(|| FILE.into(), |n| n.to_string_lossy());
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
    // Unique per process and call, so concurrent runs never write the same temporary.
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = dir.join(format!(".{name}.{}.{n}.tmp", std::process::id()));
    let result = (|| {
        // No fsync: a file torn by a power cut fails its checksum and is rebuilt, which
        // is all a cache needs, and syncing tens of megabytes would slow every write.
        let mut f = std::fs::File::create(&tmp)?;
        for part in parts {
            f.write_all(part)?;
        }
        drop(f);
        std::fs::rename(&tmp, file)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: Key<'static> = Key { source: 1 << 100, translation: 7, locale: "sv-se" };

    fn findings() -> Vec<Finding> {
        vec![
            Finding::new("stale-link", Span::new(3, 9), "link points elsewhere")
                .with_source(Span::new(4, 10))
                .with_key("link:a->b"),
            Finding::new("stale-link", Span::new(1, 2), "länk").with_help("byt den").with_fix(Fix {
                span: Span::new(1, 2),
                replacement: "ny".into(),
                safe: true,
            }),
        ]
    }

    fn asked() -> Vec<Asked> {
        vec![
            Asked::Exists { rel: "sv-se/b.md".into(), answer: true },
            Asked::Anchors { rel: "sv-se/c.md".into(), fragment: "intro".into(), stat: None, answer: Some(true) },
            Asked::Anchors { rel: "sv-se/e.md".into(), fragment: "Setup".into(), stat: None, answer: None },
            Asked::Walked { path: hash(b"sv-se/d.md") },
            Asked::CommitTime { rel: "en-us/a.md".into(), answer: Some(-3) },
            Asked::Sync {
                source: "en-us/a.md".into(),
                translation: "sv-se/a.md".into(),
                head: Some("f".repeat(40)),
                answer: 5,
            },
            Asked::Sync { source: "en-us/b.md".into(), translation: "sv-se/b.md".into(), head: None, answer: 0 },
            Asked::ChangedSince { rel: "en-us/a.md".into(), commit: "abc1234".into(), head: None, answer: Some(true) },
            Asked::ChangedSince {
                rel: "en-us/b.md".into(),
                commit: "abc1234".into(),
                head: Some("f00d".repeat(10)),
                answer: None,
            },
            Asked::Peers { source: "en-us/a.md".into(), answer: 9 },
        ]
    }

    /// What a walk of these files would have found.
    fn walk(files: &[&str]) -> Arc<Found> {
        Arc::new(Found { files: files.iter().map(|f| f.to_string()).collect(), problems: Vec::new() })
    }

    /// What an entry is made of, for `file_of`.
    type Made = (Key<'static>, (Option<Stat>, Option<Stat>), Vec<Finding>, Vec<Asked>);

    fn stored(key: Key<'static>, stats: (Option<Stat>, Option<Stat>), findings: &[Finding], asked: &[Asked]) -> Made {
        (key, stats, findings.to_vec(), asked.to_vec())
    }

    /// A cache file with these entries (sorted by path), as `put` and `save` make them
    /// (but with the metadata as given, settled or not).
    fn file_of(fingerprint: &str, entries: &[(&str, Made)]) -> Vec<u8> {
        let mut table = Table::default();
        let stored: Vec<(&str, Vec<u8>)> = entries
            .iter()
            .map(|(rel, (key, stats, findings, asked))| {
                let (mut f, mut numbers) = (Writer(Vec::new()), Writer(Vec::new()));
                findings.iter().for_each(|x| write_finding(&mut f, x));
                for q in asked {
                    let mut w = Writer(Vec::new());
                    write_asked(&mut w, q);
                    numbers.u64(u64::from(table.number(&w.0)));
                }
                (*rel, encode_entry(*key, stats.0, stats.1, &f.0, &numbers.0))
            })
            .collect();
        let entries: Vec<(&str, &[u8])> = stored.iter().map(|(rel, e)| (*rel, e.as_slice())).collect();
        encode(fingerprint, &table, &entries)
    }

    /// What an entry of `stored` asked, as recorded.
    fn asked_of(stored: &Stored, rel: &str) -> Vec<Asked> {
        let (section, entry) = stored.get(rel).unwrap();
        entry.numbers().map(|n| owned(stored.question(section, n.unwrap()).unwrap())).collect()
    }

    fn owned(q: Asked<&str>) -> Asked {
        match q {
            Asked::Walked { path } => Asked::Walked { path },
            Asked::Exists { rel, answer } => Asked::Exists { rel: rel.into(), answer },
            Asked::Anchors { rel, fragment, stat, answer } => {
                Asked::Anchors { rel: rel.into(), fragment: fragment.into(), stat, answer }
            }
            Asked::CommitTime { rel, answer } => Asked::CommitTime { rel: rel.into(), answer },
            Asked::ChangedSince { rel, commit, head, answer } => {
                Asked::ChangedSince { rel: rel.into(), commit: commit.into(), head: head.map(Into::into), answer }
            }
            Asked::Peers { source, answer } => Asked::Peers { source: source.into(), answer },
            Asked::Sync { source, translation, head, answer } => Asked::Sync {
                source: source.into(),
                translation: translation.into(),
                head: head.map(Into::into),
                answer,
            },
        }
    }

    /// A cache whose file held these entries (sorted by path).
    fn cache_of(start: SystemTime, entries: &[(&str, Made)]) -> Cache {
        cache_read(start, file_of("", entries))
    }

    fn cache_read(start: SystemTime, bytes: Vec<u8>) -> Cache {
        Cache {
            file: PathBuf::new(),
            fingerprint: String::new(),
            start,
            old: decode(bytes, "").ok().unwrap(),
            new: Mutex::new(Learnt::default()),
            rewrite: false,
        }
    }

    /// The same cache as the next run sees it, with only this run's entries written.
    fn reopen(cache: Cache) -> Cache {
        let learnt = cache.new.into_inner().unwrap();
        let mut new: Vec<(&str, &[u8])> = learnt.entries.iter().map(|(rel, e)| (rel.as_str(), e.as_slice())).collect();
        new.sort();
        cache_read(cache.start, encode("", &learnt.questions, &new))
    }

    /// A tree that answers from lists.
    #[derive(Default)]
    struct Fake {
        files: Vec<&'static str>,
        anchors: Vec<(&'static str, Vec<&'static str>)>,
        /// HEAD, and the answer to every source-stamp question, counted as asked.
        head: Option<&'static str>,
        stamp: Option<bool>,
        stamps_asked: std::sync::atomic::AtomicUsize,
    }

    impl Workspace for Fake {
        fn exists(&self, rel: &str) -> bool {
            self.files.contains(&rel)
        }

        fn has_anchor(&self, rel: &str, fragment: &str) -> Option<bool> {
            let (_, a) = self.anchors.iter().find(|(f, _)| *f == rel)?;
            Some(a.iter().any(|s| s.eq_ignore_ascii_case(fragment)))
        }

        fn last_commit_time(&self, _: &str) -> Option<i64> {
            None
        }

        fn changed_since(&self, _: &str, _: &str) -> Option<bool> {
            self.stamps_asked.fetch_add(1, Ordering::Relaxed);
            self.stamp
        }

        fn head_commit(&self) -> Option<&str> {
            self.head
        }
    }

    /// A source-stamp answer depends on HEAD alone: recorded with HEAD, it holds without
    /// asking git again while HEAD stays, and is asked again at another HEAD or without one.
    #[test]
    fn stamp_answers_hold_while_head_stays() {
        let at = |head, stamp| Fake { head, stamp, ..Fake::default() };
        let (one, two) = ("1111111111111111111111111111111111111111", "2222222222222222222222222222222222222222");
        let then = at(Some(one), Some(true));
        let walked = Walked::with_stats(Path::new("."), walk(&[]));
        let around = Around::new(&then, &walked);
        let recorder = Recorder::new(&around, None);
        assert_eq!(recorder.changed_since("en-us/a.md", "abc1234"), Some(true));
        let asked = recorder.into_asked();
        let head = Some(one.to_string());
        assert_eq!(
            asked,
            [Asked::ChangedSince { rel: "en-us/a.md".into(), commit: "abc1234".into(), head, answer: Some(true) }]
        );
        let cache = cache_of(SystemTime::now(), &[("sv-se/a.md", stored(KEY, (None, None), &findings(), &asked))]);
        let get = |ws: &Fake| {
            cache.old.sections[0].holds.iter().for_each(|h| h.store(0, Ordering::Relaxed));
            let found = cache.get("sv-se/a.md", KEY, Stats::default(), &Around::new(ws, &walked)).is_some();
            (found, ws.stamps_asked.load(Ordering::Relaxed))
        };
        // At the same HEAD the recorded answer stands; the tree is not asked (this one
        // would even answer otherwise, which at one HEAD it cannot).
        assert_eq!(get(&at(Some(one), Some(false))), (true, 0));
        assert_eq!(get(&at(Some(two), Some(true))), (true, 1), "another HEAD, the same answer");
        assert_eq!(get(&at(Some(two), Some(false))), (false, 1), "another HEAD, another answer");
        assert_eq!(get(&at(None, Some(true))), (true, 1), "no HEAD to compare: asked");
    }

    #[test]
    fn a_written_cache_reads_back() {
        let stat = Stat { len: 12, modified: -5, changed: 1 << 70, inode: 9 };
        let plain = Key { locale: "nl-nl", ..KEY };
        let entries = [
            ("sv-se/a.md", stored(KEY, (None, Some(stat)), &findings(), &asked())),
            ("sv-se/b.md", stored(plain, (Some(stat), None), &[], &[])),
        ];
        let bytes = file_of("", &entries);
        let cache = cache_read(SystemTime::now(), bytes.clone());
        let (_, a) = cache.old.get("sv-se/a.md").unwrap();
        assert_eq!((a.source, a.translation, a.locale), (KEY.source, KEY.translation, "sv-se"));
        assert_eq!((a.source_stat, a.translation_stat), (None, Some(stat)));
        assert_eq!(a.findings(), Some(findings()));
        assert_eq!(asked_of(&cache.old, "sv-se/a.md"), asked());
        let (_, b) = cache.old.get("sv-se/b.md").unwrap();
        assert_eq!((b.locale, b.source_stat, b.translation_stat), ("nl-nl", Some(stat), None));
        assert_eq!((b.findings(), b.numbers().count()), (Some(Vec::new()), 0));
        assert!(cache.old.get("sv-se/c.md").is_none());
        // Kept entries are written back as they were read.
        let mut table = Table::default();
        let kept: Vec<(&str, Vec<u8>)> = cache
            .old
            .live()
            .map(|(s, e)| (e.rel, cache.old.renumber(s, &e, e.source_stat, e.translation_stat, &mut table)))
            .collect();
        let kept: Vec<(&str, &[u8])> = kept.iter().map(|(rel, e)| (*rel, e.as_slice())).collect();
        assert_eq!(encode("", &table, &kept), bytes);
    }

    /// Questions are stored once per file, however many entries asked them, and each
    /// is put to the tree once per run.
    #[test]
    fn questions_are_shared_between_entries() {
        let entries: Vec<(&str, Made)> = ["sv-se/a.md", "sv-se/b.md", "sv-se/c.md"]
            .into_iter()
            .map(|rel| (rel, stored(KEY, (None, None), &[], &asked())))
            .collect();
        let three = file_of("", &entries);
        let one = file_of("", &entries[..1]);
        // Each further entry adds its path, hashes and numbers, not its questions.
        let mut questions = Writer(Vec::new());
        asked().iter().for_each(|q| write_asked(&mut questions, q));
        assert!(questions.0.len() > 100);
        assert!(three.len() - one.len() < 2 * (100 + asked().len()), "{} {}", three.len(), one.len());
        let cache = cache_read(SystemTime::now(), three);
        assert_eq!(cache.old.sections[0].holds.len(), asked().len());
        for rel in ["sv-se/a.md", "sv-se/b.md", "sv-se/c.md"] {
            assert_eq!(asked_of(&cache.old, rel), asked());
        }
        // Asked once: a tree where the walked file exists answers for every entry.
        let fake = Fake { files: vec!["sv-se/b.md"], anchors: vec![("sv-se/c.md", vec!["intro"])], ..Fake::default() };
        let walked = Walked::with_stats(Path::new("."), walk(&["sv-se/d.md"]));
        let around = Around::new(&fake, &walked);
        assert!(cache.get("sv-se/a.md", KEY, Stats::default(), &around).is_none(), "no commit time now");
        let known = || cache.old.sections[0].holds.iter().map(|h| h.load(Ordering::Relaxed)).collect::<Vec<u8>>();
        assert!(known().contains(&FAILS) && known().contains(&HOLDS), "{:?}", known());
        assert!(cache.get("sv-se/b.md", KEY, Stats::default(), &around).is_none());
        // Answers are remembered for the run, not asked again: as if every one held.
        cache.old.sections[0].holds.iter().for_each(|h| h.store(HOLDS, Ordering::Relaxed));
        assert_eq!(cache.get("sv-se/c.md", KEY, Stats::default(), &around), Some(Vec::new()));
    }

    #[test]
    fn a_lookup_compares_the_path() {
        let mut cache = cache_of(SystemTime::now(), &[("sv-se/a.md", stored(KEY, (None, None), &[], &[]))]);
        let at = cache.old.sections[0].starts[0];
        // What two paths with the same key would do: the other path is not found.
        cache.old.by_path.insert(path_key("sv-se/x.md"), (0, at));
        assert!(cache.old.get("sv-se/a.md").is_some());
        assert!(cache.old.get("sv-se/x.md").is_none());
    }

    #[test]
    fn a_damaged_or_foreign_cache_is_rejected() {
        let bytes = file_of("print", &[("sv-se/a.md", stored(KEY, (None, None), &findings(), &asked()))]);
        assert_eq!(decode(bytes.clone(), "other print").err(), Some(Rejected::OtherFingerprint));
        let replace = |from: &str, to: &str| {
            let at = bytes.windows(from.len()).position(|w| w == from.as_bytes()).unwrap();
            [&bytes[..at], to.as_bytes(), &bytes[at + from.len()..]].concat()
        };
        let corrupted = Some(Rejected::Corrupted);
        assert_eq!(decode(replace("points elsewhere", "points anywhere!"), "print").err(), corrupted);
        assert_eq!(decode(bytes[..bytes.len() - 5].to_vec(), "print").err(), corrupted);
        assert_eq!(decode(b"garbage".to_vec(), "print").err(), Some(Rejected::Malformed));
        assert_eq!(decode(vec![0xff, 0xfe, b'\n'], "print").err(), Some(Rejected::Malformed));
        let v1 = [b"locdrift-cache 1".as_slice(), &bytes[MAGIC.len()..]].concat();
        assert_eq!(decode(v1, "print").err(), Some(Rejected::Malformed), "the previous format");
        // Behind a valid checksum: a rule this build does not know, a short body, a
        // count that promises more entries than there are, a question of no known kind.
        let header = bytes.iter().enumerate().filter(|(_, &b)| b == b'\n').nth(2).unwrap().0 + 1;
        let forge =
            |body: &[u8]| [format!("{MAGIC}\nprint\n{:032x} {}\n", hash(body), body.len()).as_bytes(), body].concat();
        assert!(decode(forge(&bytes[header..]), "print").is_ok());
        let unknown = replace("stale-link", "stale-lonk");
        assert_eq!(decode(forge(&unknown[header..]), "print").err(), corrupted);
        assert_eq!(decode(forge(&bytes[header..bytes.len() - 1]), "print").err(), corrupted);
        let mut more = bytes[header..].to_vec();
        more[0] = 200;
        assert_eq!(decode(forge(&more), "print").err(), corrupted);
        let odd = encode("print", &Table::default(), &[("sv-se/a.md", &encode_entry(KEY, None, None, &[], &[9]))]);
        assert_eq!(decode(forge(&odd[header..]), "print").err(), corrupted);
    }

    #[test]
    fn unchanged_metadata_stands_for_the_content() {
        let start = SystemTime::now();
        let ns = |t: SystemTime| t.duration_since(SystemTime::UNIX_EPOCH).unwrap().as_nanos() as i128;
        let stat =
            |inode| Stat { len: 5, modified: ns(start) - 60_000_000_000, changed: ns(start) - 60_000_000_000, inode };
        let stats = Stats { source: Some(stat(1)), translation: Some(stat(2)) };
        let cache = cache_of(start, &[]);
        let fake = Fake::default();
        let walked = Walked::with_stats(Path::new("."), walk(&[]));
        let around = Around::new(&fake, &walked);
        let key = Key { source: 1, translation: 2, locale: "sv-se" };
        let found = findings();
        cache.put("sv-se/a.md", key, stats, &found, Vec::new());
        let cache = reopen(cache);
        assert_eq!(cache.unchanged("sv-se/a.md", "sv-se", stats, &around), Some(found.clone()));
        assert_eq!(found[0].key.as_deref(), Some("link:a->b"), "baseline keys survive the cache");
        assert_eq!(cache.unchanged("sv-se/a.md", "nl-nl", stats, &around), None, "another locale");
        let touched = Stats { translation: Some(Stat { changed: ns(start), ..stat(2) }), ..stats };
        assert_eq!(cache.unchanged("sv-se/a.md", "sv-se", touched, &around), None, "a touched translation");
        let moved = Stats { source: Some(stat(9)), ..stats };
        assert_eq!(cache.unchanged("sv-se/a.md", "sv-se", moved, &around), None, "another source file");
        assert_eq!(cache.unchanged("sv-se/a.md", "sv-se", Stats::default(), &around), None);
        // By content, with the same metadata: found, and nothing to write.
        assert_eq!(cache.get("sv-se/a.md", key, stats, &around), Some(found.clone()));
        assert!(cache.new.lock().unwrap().entries.is_empty());
        // By content, with new metadata: found, and renewed for the next run, which
        // knows the file by its metadata again (not yet settled: still by content).
        let renewed = Stats { translation: Some(stat(3)), ..stats };
        assert_eq!(cache.get("sv-se/a.md", key, renewed, &around), Some(found.clone()));
        assert_eq!(cache.get("sv-se/a.md", Key { translation: 3, ..key }, stats, &around), None, "other content");
        assert!(cache.new.lock().unwrap().entries.contains_key("sv-se/a.md"));
        let cache = reopen(cache);
        assert_eq!(cache.unchanged("sv-se/a.md", "sv-se", renewed, &around), Some(found.clone()));
        assert_eq!(cache.unchanged("sv-se/a.md", "sv-se", stats, &around), None);
        cache.put("sv-se/a.md", key, touched, &found, Vec::new());
        let cache = reopen(cache);
        assert_eq!(cache.unchanged("sv-se/a.md", "sv-se", touched, &around), None, "a racily clean file");
        assert_eq!(cache.get("sv-se/a.md", key, touched, &around), Some(found));
    }

    /// A pair's findings may depend on other files (a link target, its anchors): they
    /// are reused only while what the rules were told still holds.
    #[test]
    fn answers_about_the_tree_must_still_hold() {
        let then = Fake { files: vec!["sv-se/x.md"], anchors: vec![("sv-se/c.md", vec!["intro"])], ..Fake::default() };
        let walked = ["sv-se/b.md"];
        let walked_then = Walked::with_stats(Path::new("."), walk(&walked));
        let around = Around::new(&then, &walked_then);
        // What a lint asks is noted once per question, a walked file by its path hash.
        let recorder = Recorder::new(&around, None);
        assert!(recorder.exists("sv-se/b.md") && recorder.exists("sv-se/x.md") && !recorder.exists("sv-se/y.md"));
        assert_eq!(recorder.has_anchor("sv-se/c.md", "Intro"), Some(true));
        assert!(recorder.exists("sv-se/b.md"));
        let asked = recorder.into_asked();
        assert_eq!(asked.len(), 4, "{asked:?}");
        assert!(asked.contains(&Asked::Walked { path: hash(b"sv-se/b.md") }));
        let cache = cache_of(SystemTime::now(), &[("sv-se/a.md", stored(KEY, (None, None), &findings(), &asked))]);
        let get = |ws: &Fake, walked: &[&str]| {
            // Each call stands for a run of its own, which asks every question afresh.
            cache.old.sections[0].holds.iter().for_each(|h| h.store(0, Ordering::Relaxed));
            let walked = Walked::with_stats(Path::new("."), walk(walked));
            cache.get("sv-se/a.md", KEY, Stats::default(), &Around::new(ws, &walked)).is_some()
        };
        assert!(get(&then, &walked), "nothing changed");
        assert!(!get(&then, &[]), "the walked target is gone");
        assert!(!get(&Fake { files: vec![], ..Fake::default() }, &walked), "a target outside the walk is gone");
        let created = Fake {
            files: vec!["sv-se/x.md", "sv-se/y.md"],
            anchors: vec![("sv-se/c.md", vec!["intro"])],
            ..Fake::default()
        };
        assert!(!get(&created, &walked), "a missing target appeared");
        let renamed =
            Fake { files: vec!["sv-se/x.md"], anchors: vec![("sv-se/c.md", vec!["introduction"])], ..Fake::default() };
        assert!(!get(&renamed, &walked), "the anchor was renamed");
        let added = Fake {
            files: vec!["sv-se/x.md"],
            anchors: vec![("sv-se/c.md", vec!["setup", "intro"])],
            ..Fake::default()
        };
        assert!(get(&added, &walked), "another anchor of the page is none of the pair's business");
    }

    /// Walked files are found by path hash; once two walked paths shared a hash, the
    /// path is compared too: the second is found through `collided`, the first in
    /// place, an unknown path not at all.
    #[test]
    fn walked_files_are_found_by_hash_and_path() {
        let mut walked = Walked::with_stats(Path::new("."), walk(&["en-us/a.md", "sv-se/a.md"]));
        assert_eq!((walked.find("en-us/a.md"), walked.find("sv-se/a.md")), (Some(0), Some(1)));
        assert_eq!(walked.find("sv-se/b.md"), None);
        // As if the second path's hash were the first's, as `new` would have recorded it.
        walked.by_hash.insert(hash(b"sv-se/a.md"), 0);
        walked.collided.insert("sv-se/a.md".into(), 1);
        assert_eq!((walked.find("en-us/a.md"), walked.find("sv-se/a.md")), (Some(0), Some(1)));
        assert_eq!(walked.find("sv-se/b.md"), None);
        // A path that shares a walked path's hash but was never walked is not found.
        walked.by_hash.insert(hash(b"sv-se/b.md"), 0);
        assert_eq!(walked.find("sv-se/b.md"), None);
    }

    /// Metadata taken up front, a folder at a time, is what `Stat::of` says, for files
    /// at the root and in folders, and none for a file that is gone.
    #[test]
    fn metadata_taken_up_front_is_the_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("sv-se/a")).unwrap();
        let files: Vec<String> = ["gone.md", "sv-se/a/b.md", "sv-se/a/c.md", "top.md"].map(String::from).to_vec();
        for f in &files[1..] {
            std::fs::write(dir.path().join(f), f.as_bytes()).unwrap();
        }
        let walked = Walked::with_stats(dir.path(), walk(&files.iter().map(String::as_str).collect::<Vec<_>>()));
        walked.stat_all(files.iter().map(String::as_str).chain(["not-walked.md"]));
        assert_eq!(walked.stat("gone.md"), Some(None));
        for f in &files[1..] {
            let stat = walked.stat(f).unwrap();
            assert!(stat.is_some() && stat == Stat::of(&dir.path().join(f)), "{f}");
        }
        assert_eq!(walked.stat("not-walked.md"), None);
        assert_eq!(Walked::new(dir.path(), walked.found.clone()).stat("top.md"), None, "no room without a cache");
    }

    /// Saving keeps what it read (byte for byte) for files that still exist, replaces
    /// what this run renewed, and forgets deleted files.
    #[test]
    fn a_save_keeps_old_entries_of_present_files() {
        let dir = tempfile::tempdir().unwrap();
        let start = SystemTime::now();
        let old = [
            ("sv-se/a.md", stored(KEY, (None, None), &findings(), &asked())),
            ("sv-se/b.md", stored(KEY, (None, None), &[], &[])),
            ("sv-se/gone.md", stored(KEY, (None, None), &[], &[])),
        ];
        let mut cache = cache_of(start, &old);
        cache.file = dir.path().join(FILE);
        cache.put("sv-se/b.md", Key { translation: 8, ..KEY }, Stats::default(), &findings(), Vec::new());
        cache.put("sv-se/c.md", KEY, Stats::default(), &[], Vec::new());
        let files: Vec<String> = ["sv-se/a.md", "sv-se/b.md", "sv-se/c.md"].map(String::from).to_vec();
        cache.save(&files);
        let saved = decode(std::fs::read(dir.path().join(FILE)).unwrap(), "").ok().unwrap();
        assert_eq!(saved.sections.len(), 1, "rewritten, not appended to");
        let rels: Vec<&str> = saved.live().map(|(_, e)| e.rel).collect();
        assert_eq!(rels, ["sv-se/a.md", "sv-se/b.md", "sv-se/c.md"]);
        let (_, a) = saved.get("sv-se/a.md").unwrap();
        assert_eq!((a.findings(), asked_of(&saved, "sv-se/a.md")), (Some(findings()), asked()), "kept as it was");
        let (_, b) = saved.get("sv-se/b.md").unwrap();
        assert_eq!((b.translation, b.findings()), (8, Some(findings())));
    }

    /// The cache in `file` as a run with an empty fingerprint opens it.
    fn cache_at(file: &Path) -> Cache {
        Cache { file: file.to_path_buf(), ..cache_read(SystemTime::now(), std::fs::read(file).unwrap()) }
    }

    /// A cache file of `n` entries `sv-se/NN.md`, each with the questions of `asked()`.
    fn file_with(dir: &Path, n: usize) -> (PathBuf, Vec<String>) {
        let rels: Vec<String> = (0..n).map(|i| format!("sv-se/{i:02}.md")).collect();
        let entries: Vec<(&str, Made)> =
            rels.iter().map(|rel| (rel.as_str(), stored(KEY, (None, None), &[], &asked()))).collect();
        let file = dir.join(FILE);
        std::fs::write(&file, file_of("", &entries)).unwrap();
        (file, rels)
    }

    /// Numbers of every width read back as written, and only their shortest form reads.
    #[test]
    fn numbers_read_back() {
        let values = [0, 1, 127, 128, 300, u64::MAX as u128 >> 1, u64::MAX as u128, 1 << 100, u128::MAX];
        for v in values {
            let mut w = Writer(Vec::new());
            w.var(v);
            w.i128(v as i128);
            w.i128(-(v as i128));
            let mut r = Reader(&w.0);
            assert_eq!((r.var(), r.i128(), r.i128(), r.0.len()), (Some(v), Some(v as i128), Some(-(v as i128)), 0));
        }
        assert_eq!(Reader(&[0x80, 0x00]).var(), None, "a longer form of zero");
        assert_eq!(Reader(&[0xff; 9]).var(), None, "cut short");
        assert_eq!(Reader(&[0xff; 20]).var(), None, "wider than 128 bits");
    }

    /// A question is numbered once; another with the same 64-bit hash is not mistaken
    /// for it.
    #[test]
    fn a_table_numbers_each_question_once() {
        let mut table = Table::default();
        let (one, two) = (b"one question".as_slice(), b"another".as_slice());
        assert_eq!((table.number(one), table.number(two), table.number(one)), (0, 1, 0));
        let mut collided = Table::default();
        assert_eq!(collided.number(one), 0);
        // As if `two` had the hash of `one`.
        collided.numbers.clear();
        collided.numbers.insert(xxh3_64(two), 0);
        assert_eq!((collided.number(two), collided.number(two)), (1, 2));
        assert_eq!(collided.bytes, [one, two, two].concat());
    }

    /// A run that learnt a few pairs appends them after the file as it was, and the
    /// next run reads them, in place of the older entries for the same paths.
    /// A sync-point question and a finding's sync point read back as written.
    #[test]
    fn sync_points_round_trip() {
        let finding = Finding {
            sync: Some(crate::finding::SyncInfo {
                commit: "a".repeat(40),
                date: "2024-03-01".into(),
                changes: 3,
                sections: "'Before you begin' +1 list item".into(),
            }),
            ..Finding::new("stale-translation", Span::new(0, 0), "3 changes since 2024-03-01")
        };
        let mut w = Writer(Vec::new());
        write_finding(&mut w, &finding);
        assert_eq!(read_finding(&mut Reader(&w.0)), Some(finding));
        for q in [
            Asked::Sync { source: "en-us/a.md", translation: "sv-se/a.md", head: Some("f"), answer: 5 },
            Asked::Sync { source: "en-us/b.md", translation: "sv-se/b.md", head: None, answer: 0 },
        ] {
            let mut w = Writer(Vec::new());
            write_asked(&mut w, &q);
            assert_eq!(read_asked(&mut Reader(&w.0)), Some(q));
        }
    }

    #[test]
    fn a_few_new_entries_are_appended_and_used() {
        let dir = tempfile::tempdir().unwrap();
        let (file, mut files) = file_with(dir.path(), 40);
        let before = std::fs::read(&file).unwrap();
        let cache = cache_at(&file);
        let other = [Asked::Walked { path: hash(b"sv-se/new.md") }];
        cache.put("sv-se/00.md", Key { translation: 8, ..KEY }, Stats::default(), &findings(), other.to_vec());
        cache.put("sv-se/new.md", KEY, Stats::default(), &findings(), asked());
        files.push("sv-se/new.md".into());
        cache.save(&files);
        let after = std::fs::read(&file).unwrap();
        assert!(after.len() > before.len() && after.starts_with(&before), "appended, not rewritten");
        let cache = cache_at(&file);
        assert_eq!((cache.old.sections.len(), cache.old.damaged), (2, false));
        let (_, changed) = cache.old.get("sv-se/00.md").unwrap();
        assert_eq!((changed.translation, changed.findings()), (8, Some(findings())));
        assert_eq!(asked_of(&cache.old, "sv-se/00.md"), other);
        let (_, new) = cache.old.get("sv-se/new.md").unwrap();
        assert_eq!((new.findings(), asked_of(&cache.old, "sv-se/new.md")), (Some(findings()), asked()));
        let (_, kept) = cache.old.get("sv-se/01.md").unwrap();
        assert_eq!((kept.translation, kept.findings()), (KEY.translation, Some(Vec::new())));
        assert_eq!(cache.old.live().count(), 41, "the replaced entry is not live");
        // A cached pair is found through the segment with the tree's answers checked.
        let fake = Fake::default();
        let walked = Walked::with_stats(Path::new("."), walk(&["sv-se/new.md"]));
        let around = Around::new(&fake, &walked);
        assert_eq!(
            cache.get("sv-se/00.md", Key { translation: 8, ..KEY }, Stats::default(), &around),
            Some(findings())
        );
        // Nothing learnt: nothing written.
        cache.save(&files);
        assert_eq!(std::fs::read(&file).unwrap(), after);
    }

    /// An appended segment that is torn, altered or written for another fingerprint is
    /// not believed, nor anything after it; the next save rewrites the file without it.
    #[test]
    fn a_damaged_segment_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let (file, files) = file_with(dir.path(), 40);
        let main = std::fs::read(&file).unwrap();
        let cache = cache_at(&file);
        cache.put("sv-se/00.md", Key { translation: 8, ..KEY }, Stats::default(), &findings(), Vec::new());
        cache.save(&files);
        let whole = std::fs::read(&file).unwrap();
        let mut flipped = whole.clone();
        *flipped.last_mut().unwrap() ^= 1;
        let mut learnt = Learnt::default();
        let stray = encode_entry(Key { translation: 9, ..KEY }, None, None, &[], &[]);
        learnt.entries.insert("sv-se/00.md".into(), stray);
        let entries: Vec<(&str, &[u8])> = learnt.entries.iter().map(|(r, e)| (r.as_str(), e.as_slice())).collect();
        let foreign = [whole.as_slice(), &encode_segment("other print", &learnt.questions, &entries)].concat();
        let mut cases = vec![("torn", whole[..whole.len() - 3].to_vec()), ("flipped", flipped)];
        cases.push(("half a header", [main.as_slice(), &whole[main.len()..main.len() + 10]].concat()));
        for (what, bytes) in cases {
            std::fs::write(&file, &bytes).unwrap();
            let cache = cache_at(&file);
            assert_eq!((cache.old.sections.len(), cache.old.damaged), (1, true), "{what}");
            let (_, old) = cache.old.get("sv-se/00.md").unwrap();
            assert_eq!((old.translation, old.findings()), (KEY.translation, Some(Vec::new())), "{what}");
            cache.save(&files);
            let rewritten = std::fs::read(&file).unwrap();
            let cache = cache_at(&file);
            assert_eq!((cache.old.sections.len(), cache.old.damaged), (1, false), "{what}");
            assert_eq!(cache.old.main_end, rewritten.len(), "{what}");
            assert_eq!(cache.old.live().count(), 40, "{what}");
        }
        // After a good segment, another build's is ignored and the good one kept.
        std::fs::write(&file, &foreign).unwrap();
        let cache = cache_at(&file);
        assert_eq!((cache.old.sections.len(), cache.old.damaged), (2, true));
        assert_eq!(cache.old.get("sv-se/00.md").unwrap().1.translation, 8);
    }

    /// Once the appended segments would pass a quarter of the main body, the file is
    /// written again as one body, with every entry.
    #[test]
    fn appending_gives_way_to_a_rewrite() {
        let dir = tempfile::tempdir().unwrap();
        let (file, files) = file_with(dir.path(), 40);
        for round in 0..2 {
            let cache = cache_at(&file);
            for rel in files.iter().skip(round * 3).take(3) {
                cache.put(rel, Key { translation: 100 + round as u128, ..KEY }, Stats::default(), &[], Vec::new());
            }
            cache.save(&files);
        }
        let cache = cache_at(&file);
        assert_eq!(cache.old.sections.len(), 3, "appended while the segments are small");
        let cache = cache_at(&file);
        for rel in files.iter().skip(6).take(16) {
            cache.put(rel, Key { translation: 7, ..KEY }, Stats::default(), &findings(), Vec::new());
        }
        cache.save(&files);
        let cache = cache_at(&file);
        assert_eq!((cache.old.sections.len(), cache.old.main_end), (1, std::fs::read(&file).unwrap().len()));
        let translations: Vec<u128> = files.iter().map(|rel| cache.old.get(rel).unwrap().1.translation).collect();
        let expected: Vec<u128> = (0..22).map(|i| if i < 6 { 100 + i as u128 / 3 } else { 7 }).collect();
        assert_eq!(translations[..22], expected);
        assert!(translations[22..].iter().all(|&t| t == KEY.translation));
        assert_eq!(cache.old.get("sv-se/13.md").unwrap().1.findings(), Some(findings()));
        assert_eq!(asked_of(&cache.old, "sv-se/30.md"), asked(), "kept entries keep their questions");
    }

    #[test]
    fn only_settled_files_are_known_by_their_metadata() {
        let now = SystemTime::now();
        let ns = |t: SystemTime| t.duration_since(SystemTime::UNIX_EPOCH).unwrap().as_nanos() as i128;
        let old = Stat {
            len: 1,
            modified: ns(now - Duration::from_secs(60)),
            changed: ns(now - Duration::from_secs(60)),
            inode: 1,
        };
        assert!(old.settled(now));
        assert!(!Stat { modified: ns(now), ..old }.settled(now));
        assert!(!Stat { changed: ns(now - Duration::from_millis(500)), ..old }.settled(now));
        // What stands for an orphan's source is settled, and differs with what it stands for.
        for key in [0, 1, u128::MAX, hash(b"orphan of en-us/a.md")] {
            assert!(Stat::absent(key).settled(now));
            assert_ne!(Stat::absent(key), Stat::absent(key ^ 1));
            assert_ne!(Stat::absent(key), Stat::absent(key ^ (1 << 100)));
        }
    }
}
