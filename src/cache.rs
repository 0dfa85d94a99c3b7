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
//! renamed into place, so a crash or a concurrent run never leaves half a file.
//!
//! Rules may also ask about the tree around the pair (`rules::Workspace`: does a linked
//! file exist, which anchors does it have, what does git say, what do the source's other
//! translations record). A `Recorder` between the rules and the tree notes every question
//! and its answer, and the entry keeps them: a cached pair is reused only while every
//! answer still holds (`Around::still_true`), so a deleted link target or a renamed
//! heading in another file makes the pair be linted again.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::xxh3_128;

use crate::config::Config;
use crate::finding::{Finding, Fix, Span};
use crate::rules::{Peer, Workspace, RULES};

/// The cache folder's name under the root.
pub const DIR: &str = ".locdrift-cache";
const FILE: &str = "findings-v1.bin";
/// The first line of the file; bump the number when the format changes.
const MAGIC: &str = "locdrift-cache 1";
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
    old: HashMap<String, Entry>,
    new: Mutex<HashMap<String, Entry>>,
    /// Whether the file on disk was missing, stale or invalid, so must be written.
    rewrite: bool,
}

impl Cache {
    /// The cache for a run that lints `pairs` pairs under `config.root`; None when the
    /// cache file is so much larger than the run that reading it would take longer than
    /// linting them (a pre-commit run on three files of a tree of a hundred thousand).
    pub fn open_for(config: &Config, pairs: usize) -> Option<Cache> {
        let len = std::fs::metadata(config.root.join(DIR).join(FILE)).map_or(0, |m| m.len());
        // An entry takes about 200 bytes and reads in about a microsecond; a pair takes
        // a hundred times that to lint. Below a sixty-fourth, linting is cheaper.
        if (pairs as u64).saturating_mul(64) < len / 200 {
            return None;
        }
        Some(Cache::open(config))
    }

    /// Opens the cache under `config.root`. A missing, unreadable, corrupted or
    /// mismatched file yields an empty cache.
    pub fn open(config: &Config) -> Cache {
        let fingerprint = fingerprint(config);
        let file = config.root.join(DIR).join(FILE);
        let loaded = std::fs::read(&file).ok().and_then(|bytes| decode(&bytes, &fingerprint).ok());
        Cache {
            file,
            fingerprint,
            start: SystemTime::now(),
            rewrite: loaded.is_none(),
            old: loaded.unwrap_or_default(),
            new: Mutex::new(HashMap::new()),
        }
    }

    /// The findings stored for the translation at `rel` if neither file was touched
    /// since its content was hashed: no need to read either.
    pub fn unchanged(&self, rel: &str, locale: &str, stats: Stats, around: &Around) -> Option<Vec<Finding>> {
        let entry = self.old.get(rel)?;
        let (Some(s), Some(t)) = (stats.source, stats.translation) else { return None };
        if entry.locale != locale || entry.source_stat != Some(s) || entry.translation_stat != Some(t) {
            return None;
        }
        if !around.still_true(&entry.asked, self.start) {
            return None;
        }
        entry.findings.iter().map(StoredFinding::to_finding).collect()
    }

    /// The findings stored for the translation at `rel` if both contents are as
    /// hashed in `key`. The entry is renewed with `stats`, so that the next run can
    /// tell from the metadata alone.
    pub fn get(&self, rel: &str, key: Key, stats: Stats, around: &Around) -> Option<Vec<Finding>> {
        let entry = self.old.get(rel)?;
        if entry.source != key.source || entry.translation != key.translation || entry.locale != key.locale {
            return None;
        }
        if !around.still_true(&entry.asked, self.start) {
            return None;
        }
        // `decode` made sure every rule name resolves.
        let findings: Vec<Finding> = entry.findings.iter().map(StoredFinding::to_finding).collect::<Option<_>>()?;
        let renewed = Entry { findings: entry.findings.clone(), asked: entry.asked.clone(), ..self.entry(key, stats) };
        if renewed != *entry {
            self.new.lock().expect("no panic while holding the lock").insert(rel.to_string(), renewed);
        }
        Some(findings)
    }

    /// Records the findings of a pair linted in this run.
    pub fn put(&self, rel: &str, key: Key, stats: Stats, findings: &[Finding], asked: Vec<Asked>) {
        let findings = findings.iter().map(StoredFinding::from_finding).collect();
        let entry = Entry { findings, asked, ..self.entry(key, stats) };
        self.new.lock().expect("no panic while holding the lock").insert(rel.to_string(), entry);
    }

    fn entry(&self, key: Key, stats: Stats) -> Entry {
        let settled = |s: Option<Stat>| s.filter(|s| s.settled(self.start));
        Entry {
            source: key.source,
            translation: key.translation,
            locale: key.locale.to_string(),
            source_stat: settled(stats.source),
            translation_stat: settled(stats.translation),
            findings: Vec::new(),
            asked: Vec::new(),
        }
    }

    /// Writes the cache back if anything changed. Entries of this run replace the old
    /// ones; old entries for translations this run did not look at are kept while they
    /// are among `files` (a run on a few files must not forget the rest). Failing to
    /// write is not an error: the next run is only slower.
    pub fn save(self, files: &[String]) {
        let new = self.new.into_inner().expect("no panic while holding the lock");
        // Nothing learnt: the file is right as it is. Entries of deleted files are
        // harmless (their hashes can only match the same contents) and go at the next
        // write, so a run on a few files does not pay for looking at every entry.
        if !self.rewrite && new.is_empty() {
            // Freeing a hundred thousand entries takes a while; nothing waits for it.
            std::thread::spawn(move || drop(self.old));
            return;
        }
        let present: HashSet<&str> = files.iter().map(String::as_str).collect();
        let mut rewrite = self.rewrite || !new.is_empty();
        let mut entries: Vec<(String, Entry)> = Vec::with_capacity(self.old.len().max(new.len()));
        for (rel, entry) in self.old {
            if new.contains_key(&rel) {
                continue;
            }
            if present.contains(rel.as_str()) {
                entries.push((rel, entry));
            } else {
                rewrite = true;
            }
        }
        if !rewrite {
            return;
        }
        entries.extend(new);
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        let _ = write_atomically(&self.file, &encode(&self.fingerprint, &entries));
    }
}

#[derive(Debug, Clone, PartialEq)]
struct Entry {
    /// Content hashes of the source and the translation.
    source: u128,
    translation: u128,
    locale: String,
    /// Metadata of the files when hashed, if they had settled by then.
    source_stat: Option<Stat>,
    translation_stat: Option<Stat>,
    findings: Vec<StoredFinding>,
    /// What the rules asked about the tree, and were told.
    asked: Vec<Asked>,
}

/// A finding as the rules returned it; the driver adds file, locale and severity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct StoredFinding {
    rule: String,
    message: String,
    span: (usize, usize),
    #[serde(default, skip_serializing_if = "Option::is_none")]
    source_span: Option<(usize, usize)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    help: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    fix: Option<StoredFix>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    key: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct StoredFix {
    span: (usize, usize),
    replacement: String,
    safe: bool,
}

impl StoredFinding {
    fn from_finding(f: &Finding) -> StoredFinding {
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
        } = f;
        StoredFinding {
            rule: rule.to_string(),
            message: message.clone(),
            span: (span.start, span.end),
            source_span: source_span.map(|s| (s.start, s.end)),
            help: help.clone(),
            fix: fix.as_ref().map(|x| StoredFix {
                span: (x.span.start, x.span.end),
                replacement: x.replacement.clone(),
                safe: x.safe,
            }),
            key: key.clone(),
        }
    }

    /// None for a rule this build does not know, which a matching fingerprint rules
    /// out; `decode` rejects such a file as a whole.
    fn to_finding(&self) -> Option<Finding> {
        let rule = RULES.iter().find(|r| r.name == self.rule)?.name;
        let mut f = Finding::new(rule, Span::new(self.span.0, self.span.1), self.message.clone());
        f.source_span = self.source_span.map(|(a, b)| Span::new(a, b));
        f.help = self.help.clone();
        f.fix = self.fix.as_ref().map(|x| Fix {
            span: Span::new(x.span.0, x.span.1),
            replacement: x.replacement.clone(),
            safe: x.safe,
        });
        f.key = self.key.clone();
        Some(f)
    }
}

/// A question a rule asked about the tree while a pair was linted, and the answer.
/// Answers that may be long are kept as hashes: only their equality matters.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Asked {
    /// A file the walk found exists: holds while the walk finds a file with this path
    /// hash. Most link targets are such files; this keeps their entries small.
    Walked {
        path: u128,
    },
    Exists {
        rel: String,
        answer: bool,
    },
    /// With the file's metadata when asked (if it had settled), which vouches for the
    /// answer as long as it is unchanged.
    Anchors {
        rel: String,
        stat: Option<Stat>,
        answer: u128,
    },
    CommitTime {
        rel: String,
        answer: Option<i64>,
    },
    ChangedSince {
        rel: String,
        commit: String,
        answer: Option<bool>,
    },
    Peers {
        source: String,
        answer: u128,
    },
}

/// The tree around the pairs of one run: what rules ask (`workspace`), where it is, and
/// the walked files, which answer most existence questions without a system call.
pub struct Around<'a> {
    pub workspace: &'a dyn Workspace,
    pub root: &'a Path,
    walked: HashSet<&'a str>,
    walked_hashes: HashSet<u128>,
    /// File metadata asked for in this run, by root-relative path: a link target is the
    /// target of many pairs.
    stats: Mutex<HashMap<String, Option<Stat>>>,
}

impl<'a> Around<'a> {
    pub fn new(workspace: &'a dyn Workspace, root: &'a Path, files: &'a [String]) -> Around<'a> {
        let walked: HashSet<&str> = files.iter().map(String::as_str).collect();
        // Only a cache checks entries against path hashes; hashing 90,000 paths costs
        // a few milliseconds, which a run that reads no cache need not spend.
        Around { workspace, root, walked, walked_hashes: HashSet::new(), stats: Mutex::new(HashMap::new()) }
    }

    /// `new`, ready to check recorded answers.
    pub fn for_cache(workspace: &'a dyn Workspace, root: &'a Path, files: &'a [String]) -> Around<'a> {
        let mut around = Around::new(workspace, root, files);
        around.walked_hashes = files.iter().map(|f| hash(f.as_bytes())).collect();
        around
    }

    /// The metadata of a root-relative file, asked once per run.
    pub fn stat(&self, rel: &str) -> Option<Stat> {
        if let Some(known) = self.stats.lock().expect("no panic while holding the lock").get(rel) {
            return *known;
        }
        let stat = Stat::of(&self.root.join(rel));
        self.stats.lock().expect("no panic while holding the lock").insert(rel.to_string(), stat);
        stat
    }

    /// Whether every recorded answer is still what the tree says.
    fn still_true(&self, asked: &[Asked], start: SystemTime) -> bool {
        asked.iter().all(|q| match q {
            Asked::Walked { path } => self.walked_hashes.contains(path),
            Asked::Exists { rel, answer } => {
                !self.walked.contains(rel.as_str()) && self.workspace.exists(rel) == *answer
            }
            Asked::Anchors { rel, stat, answer } => {
                let same_file = stat.is_some() && self.stat(rel).filter(|s| s.settled(start)) == *stat;
                same_file || hash_anchors(&self.workspace.anchors(rel)) == *answer
            }
            Asked::CommitTime { rel, answer } => self.workspace.last_commit_time(rel) == *answer,
            Asked::ChangedSince { rel, commit, answer } => self.workspace.changed_since(rel, commit) == *answer,
            Asked::Peers { source, answer } => hash_peers(&self.workspace.peers(source)) == *answer,
        })
    }
}

fn hash_anchors(anchors: &Option<Vec<String>>) -> u128 {
    match anchors {
        None => 0,
        Some(list) => hash(format!("some\0{}", list.join("\0")).as_bytes()),
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
        if self.around.walked.contains(rel) {
            self.note(|| Asked::Walked { path: hash(rel.as_bytes()) });
            return true;
        }
        let answer = self.around.workspace.exists(rel);
        self.note(|| Asked::Exists { rel: rel.to_string(), answer });
        answer
    }

    fn anchors(&self, rel: &str) -> Option<Vec<String>> {
        // Stat'ed before the answer is read, so a file written in between is read again
        // by the next run.
        let stat = self.recording.then(|| self.around.stat(rel).filter(|s| s.settled(self.start))).flatten();
        let answer = self.around.workspace.anchors(rel);
        self.note(|| Asked::Anchors { rel: rel.to_string(), stat, answer: hash_anchors(&answer) });
        answer
    }

    fn last_commit_time(&self, rel: &str) -> Option<i64> {
        let answer = self.around.workspace.last_commit_time(rel);
        self.note(|| Asked::CommitTime { rel: rel.to_string(), answer });
        answer
    }

    fn changed_since(&self, rel: &str, commit: &str) -> Option<bool> {
        let answer = self.around.workspace.changed_since(rel, commit);
        self.note(|| Asked::ChangedSince { rel: rel.to_string(), commit: commit.to_string(), answer });
        answer
    }

    fn peers(&self, source: &str) -> Vec<Peer> {
        let answer = self.around.workspace.peers(source);
        self.note(|| Asked::Peers { source: source.to_string(), answer: hash_peers(&answer) });
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
/// of the rest, then the entries in a compact binary form (`Writer`), which a warm run
/// of a large tree reads several times faster than JSON.
fn encode(fingerprint: &str, entries: &[(String, Entry)]) -> Vec<u8> {
    let mut body = Writer(Vec::with_capacity(entries.len() * 160));
    body.u64(entries.len() as u64);
    for (rel, e) in entries {
        body.str(rel);
        body.u128(e.source);
        body.u128(e.translation);
        body.str(&e.locale);
        for stat in [e.source_stat, e.translation_stat] {
            match stat {
                Some(s) => {
                    body.0.push(1);
                    body.u64(s.len);
                    body.u128(s.modified as u128);
                    body.u128(s.changed as u128);
                    body.u64(s.inode);
                }
                None => body.0.push(0),
            }
        }
        // Findings are few and varied: JSON, empty when there are none.
        let findings =
            if e.findings.is_empty() { String::new() } else { serde_json::to_string(&e.findings).expect("serializes") };
        body.str(&findings);
        body.u64(e.asked.len() as u64);
        for q in &e.asked {
            write_asked(&mut body, q);
        }
    }
    let mut out = format!("{MAGIC}\n{fingerprint}\n{:032x}\n", hash(&body.0)).into_bytes();
    out.extend_from_slice(&body.0);
    out
}

/// Why a cache file was not used.
#[derive(Debug, PartialEq, Eq)]
enum Rejected {
    Malformed,
    OtherFingerprint,
    Corrupted,
}

fn decode(bytes: &[u8], fingerprint: &str) -> Result<HashMap<String, Entry>, Rejected> {
    let mut rest = bytes;
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
    if sum != format!("{:032x}", hash(rest)) {
        return Err(Rejected::Corrupted);
    }
    read_entries(&mut Reader(rest)).ok_or(Rejected::Corrupted)
}

fn read_entries(r: &mut Reader) -> Option<HashMap<String, Entry>> {
    let count = r.u64()? as usize;
    // Never trust a count to size an allocation: each entry takes at least 40 bytes.
    let mut entries = HashMap::with_capacity(count.min(r.0.len() / 40));
    for _ in 0..count {
        let rel = r.str()?.to_string();
        let (source, translation) = (r.u128()?, r.u128()?);
        let locale = r.str()?.to_string();
        let mut stat = || -> Option<Option<Stat>> {
            Some(match r.byte()? {
                0 => None,
                1 => Some(Stat {
                    len: r.u64()?,
                    modified: r.u128()? as i128,
                    changed: r.u128()? as i128,
                    inode: r.u64()?,
                }),
                _ => return None,
            })
        };
        let (source_stat, translation_stat) = (stat()?, stat()?);
        let findings: Vec<StoredFinding> = match r.str()? {
            "" => Vec::new(),
            json => serde_json::from_str(json).ok()?,
        };
        if findings.iter().any(|f| f.to_finding().is_none()) {
            return None;
        }
        let count = usize::try_from(r.u64()?).ok()?;
        let mut asked = Vec::with_capacity(count.min(r.0.len() / 17));
        for _ in 0..count {
            asked.push(read_asked(r)?);
        }
        entries.insert(rel, Entry { source, translation, locale, source_stat, translation_stat, findings, asked });
    }
    r.0.is_empty().then_some(entries)
}

fn write_asked(w: &mut Writer, q: &Asked) {
    let opt_stat = |w: &mut Writer, s: &Option<Stat>| match s {
        Some(s) => {
            w.0.push(1);
            w.stat(s);
        }
        None => w.0.push(0),
    };
    match q {
        Asked::Walked { path } => {
            w.0.push(0);
            w.u128(*path);
        }
        Asked::Exists { rel, answer } => {
            w.0.push(1);
            w.str(rel);
            w.0.push(u8::from(*answer));
        }
        Asked::Anchors { rel, stat, answer } => {
            w.0.push(2);
            w.str(rel);
            opt_stat(w, stat);
            w.u128(*answer);
        }
        Asked::CommitTime { rel, answer } => {
            w.0.push(3);
            w.str(rel);
            match answer {
                Some(t) => {
                    w.0.push(1);
                    w.u64(*t as u64);
                }
                None => w.0.push(0),
            }
        }
        Asked::ChangedSince { rel, commit, answer } => {
            w.0.push(4);
            w.str(rel);
            w.str(commit);
            w.0.push(match answer {
                None => 0,
                Some(false) => 1,
                Some(true) => 2,
            });
        }
        Asked::Peers { source, answer } => {
            w.0.push(5);
            w.str(source);
            w.u128(*answer);
        }
    }
}

fn read_asked(r: &mut Reader) -> Option<Asked> {
    Some(match r.byte()? {
        0 => Asked::Walked { path: r.u128()? },
        1 => Asked::Exists { rel: r.str()?.to_string(), answer: r.flag()? },
        2 => {
            let rel = r.str()?.to_string();
            let stat = if r.flag()? { Some(r.stat()?) } else { None };
            Asked::Anchors { rel, stat, answer: r.u128()? }
        }
        3 => {
            let rel = r.str()?.to_string();
            let answer = if r.flag()? { Some(r.u64()? as i64) } else { None };
            Asked::CommitTime { rel, answer }
        }
        4 => {
            let (rel, commit) = (r.str()?.to_string(), r.str()?.to_string());
            let answer = match r.byte()? {
                0 => None,
                1 => Some(false),
                2 => Some(true),
                _ => return None,
            };
            Asked::ChangedSince { rel, commit, answer }
        }
        5 => Asked::Peers { source: r.str()?.to_string(), answer: r.u128()? },
        _ => return None,
    })
}

struct Writer(Vec<u8>);

impl Writer {
    fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }

    fn u128(&mut self, v: u128) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }

    fn str(&mut self, s: &str) {
        self.u64(s.len() as u64);
        self.0.extend_from_slice(s.as_bytes());
    }

    fn stat(&mut self, s: &Stat) {
        self.u64(s.len);
        self.u128(s.modified as u128);
        self.u128(s.changed as u128);
        self.u64(s.inode);
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

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    fn u128(&mut self) -> Option<u128> {
        Some(u128::from_le_bytes(self.take(16)?.try_into().ok()?))
    }

    /// A byte that must be 0 or 1.
    fn flag(&mut self) -> Option<bool> {
        match self.byte()? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }

    fn stat(&mut self) -> Option<Stat> {
        Some(Stat {
            len: self.u64()?,
            modified: self.u128()? as i128,
            changed: self.u128()? as i128,
            inode: self.u64()?,
        })
    }

    fn str(&mut self) -> Option<&'a str> {
        let len = usize::try_from(self.u64()?).ok()?;
        std::str::from_utf8(self.take(len)?).ok()
    }
}

fn write_atomically(file: &Path, bytes: &[u8]) -> std::io::Result<()> {
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
    // Unique per process and call, so concurrent runs never write the same temporary.
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = dir.join(format!(".{FILE}.{}.{n}.tmp", std::process::id()));
    let result = (|| {
        // No fsync: a file torn by a power cut fails its checksum and is rebuilt, which
        // is all a cache needs, and syncing tens of megabytes would slow every write.
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
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

    fn entry() -> Entry {
        Entry {
            source: 1 << 100,
            translation: 7,
            locale: "sv-se".into(),
            source_stat: None,
            translation_stat: Some(Stat { len: 12, modified: -5, changed: 1 << 70, inode: 9 }),
            findings: vec![StoredFinding {
                rule: "stale-link".into(),
                message: "link points elsewhere".into(),
                span: (3, 9),
                source_span: Some((4, 10)),
                help: None,
                fix: None,
                key: Some("link:a->b".into()),
            }],
            asked: vec![
                Asked::Exists { rel: "sv-se/b.md".into(), answer: true },
                Asked::Anchors {
                    rel: "sv-se/c.md".into(),
                    stat: None,
                    answer: hash_anchors(&Some(vec!["intro".into()])),
                },
                Asked::Walked { path: hash(b"sv-se/d.md") },
                Asked::CommitTime { rel: "en-us/a.md".into(), answer: Some(-3) },
                Asked::ChangedSince { rel: "en-us/a.md".into(), commit: "abc1234".into(), answer: Some(true) },
                Asked::Peers { source: "en-us/a.md".into(), answer: 9 },
            ],
        }
    }

    /// A tree that answers from lists.
    #[derive(Default)]
    struct Fake {
        files: Vec<&'static str>,
        anchors: Vec<(&'static str, Vec<&'static str>)>,
    }

    impl Workspace for Fake {
        fn exists(&self, rel: &str) -> bool {
            self.files.contains(&rel)
        }

        fn anchors(&self, rel: &str) -> Option<Vec<String>> {
            let (_, a) = self.anchors.iter().find(|(f, _)| *f == rel)?;
            Some(a.iter().map(|s| s.to_string()).collect())
        }

        fn last_commit_time(&self, _: &str) -> Option<i64> {
            None
        }

        fn changed_since(&self, _: &str, _: &str) -> Option<bool> {
            None
        }
    }

    #[test]
    fn a_written_cache_reads_back() {
        let plain = Entry { findings: Vec::new(), translation_stat: None, asked: Vec::new(), ..entry() };
        let entries = vec![("sv-se/a.md".to_string(), entry()), ("sv-se/b.md".to_string(), plain)];
        let bytes = encode("print", &entries);
        assert_eq!(decode(&bytes, "print"), Ok(entries.into_iter().collect()));
    }

    #[test]
    fn a_damaged_or_foreign_cache_is_rejected() {
        let bytes = encode("print", &[("sv-se/a.md".to_string(), entry())]);
        assert_eq!(decode(&bytes, "other print"), Err(Rejected::OtherFingerprint));
        let replace = |from: &str, to: &str| {
            let at = bytes.windows(from.len()).position(|w| w == from.as_bytes()).unwrap();
            [&bytes[..at], to.as_bytes(), &bytes[at + from.len()..]].concat()
        };
        assert_eq!(decode(&replace("points elsewhere", "points anywhere!"), "print"), Err(Rejected::Corrupted));
        assert_eq!(decode(&bytes[..bytes.len() - 5], "print"), Err(Rejected::Corrupted));
        assert_eq!(decode(b"garbage", "print"), Err(Rejected::Malformed));
        assert_eq!(decode(&[0xff, 0xfe, b'\n'], "print"), Err(Rejected::Malformed));
        // Behind a valid checksum: a rule this build does not know, a short body, a
        // count that promises more entries than there are.
        let header = format!("{MAGIC}\nprint\n").len() + 33;
        let forge = |body: &[u8]| [format!("{MAGIC}\nprint\n{:032x}\n", hash(body)).as_bytes(), body].concat();
        let unknown = replace("stale-link", "stale-lonk");
        assert_eq!(decode(&forge(&unknown[header..]), "print"), Err(Rejected::Corrupted));
        assert_eq!(decode(&forge(&bytes[header..bytes.len() - 1]), "print"), Err(Rejected::Corrupted));
        let mut more = bytes[header..].to_vec();
        more[0] = 200;
        assert_eq!(decode(&forge(&more), "print"), Err(Rejected::Corrupted));
    }

    #[test]
    fn unchanged_metadata_stands_for_the_content() {
        let start = SystemTime::now();
        let ns = |t: SystemTime| t.duration_since(SystemTime::UNIX_EPOCH).unwrap().as_nanos() as i128;
        let stat =
            |inode| Stat { len: 5, modified: ns(start) - 60_000_000_000, changed: ns(start) - 60_000_000_000, inode };
        let stats = Stats { source: Some(stat(1)), translation: Some(stat(2)) };
        let cache = Cache {
            file: PathBuf::new(),
            fingerprint: String::new(),
            start,
            old: HashMap::new(),
            new: Mutex::new(HashMap::new()),
            rewrite: false,
        };
        let fake = Fake::default();
        let around = Around::for_cache(&fake, Path::new("."), &[]);
        let key = Key { source: 1, translation: 2, locale: "sv-se" };
        let found = entry().findings.iter().map(|f| f.to_finding().unwrap()).collect::<Vec<_>>();
        cache.put("sv-se/a.md", key, stats, &found, Vec::new());
        let cache = Cache { old: cache.new.into_inner().unwrap(), new: Mutex::new(HashMap::new()), ..cache };
        assert_eq!(cache.unchanged("sv-se/a.md", "sv-se", stats, &around), Some(found.clone()));
        assert_eq!(found[0].key.as_deref(), Some("link:a->b"), "baseline keys survive the cache");
        assert_eq!(cache.unchanged("sv-se/a.md", "nl-nl", stats, &around), None, "another locale");
        let touched = Stats { translation: Some(Stat { changed: ns(start), ..stat(2) }), ..stats };
        assert_eq!(cache.unchanged("sv-se/a.md", "sv-se", touched, &around), None, "a touched translation");
        let moved = Stats { source: Some(stat(9)), ..stats };
        assert_eq!(cache.unchanged("sv-se/a.md", "sv-se", moved, &around), None, "another source file");
        assert_eq!(cache.unchanged("sv-se/a.md", "sv-se", Stats::default(), &around), None);
        // By content, with new metadata: found, and renewed for the next run.
        assert_eq!(cache.get("sv-se/a.md", key, touched, &around), Some(found));
        assert_eq!(cache.get("sv-se/a.md", Key { translation: 3, ..key }, stats, &around), None, "other content");
        assert!(cache.new.lock().unwrap().contains_key("sv-se/a.md"));
    }

    /// A pair's findings may depend on other files (a link target, its anchors): they
    /// are reused only while what the rules were told still holds.
    #[test]
    fn answers_about_the_tree_must_still_hold() {
        let then = Fake { files: vec!["sv-se/x.md"], anchors: vec![("sv-se/c.md", vec!["intro"])] };
        let walked = ["sv-se/b.md".to_string()];
        let around = Around::for_cache(&then, Path::new("."), &walked);
        // What a lint asks is noted once per question, a walked file by its path hash.
        let recorder = Recorder::new(&around, None);
        assert!(recorder.exists("sv-se/b.md") && recorder.exists("sv-se/x.md") && !recorder.exists("sv-se/y.md"));
        assert_eq!(recorder.anchors("sv-se/c.md"), Some(vec!["intro".to_string()]));
        assert!(recorder.exists("sv-se/b.md"));
        let asked = recorder.into_asked();
        assert_eq!(asked.len(), 4, "{asked:?}");
        assert!(asked.contains(&Asked::Walked { path: hash(b"sv-se/b.md") }));
        let cache = Cache {
            file: PathBuf::new(),
            fingerprint: String::new(),
            start: SystemTime::now(),
            old: [("sv-se/a.md".to_string(), Entry { asked, ..entry() })].into_iter().collect(),
            new: Mutex::new(HashMap::new()),
            rewrite: false,
        };
        let key = Key { source: 1 << 100, translation: 7, locale: "sv-se" };
        let get = |ws: &Fake, walked: &[String]| {
            cache.get("sv-se/a.md", key, Stats::default(), &Around::for_cache(ws, Path::new("."), walked)).is_some()
        };
        assert!(get(&then, &walked), "nothing changed");
        assert!(!get(&then, &[]), "the walked target is gone");
        assert!(!get(&Fake { files: vec![], ..Fake::default() }, &walked), "a target outside the walk is gone");
        let created = Fake { files: vec!["sv-se/x.md", "sv-se/y.md"], anchors: vec![("sv-se/c.md", vec!["intro"])] };
        assert!(!get(&created, &walked), "a missing target appeared");
        let renamed = Fake { files: vec!["sv-se/x.md"], anchors: vec![("sv-se/c.md", vec!["introduction"])] };
        assert!(!get(&renamed, &walked), "the anchor was renamed");
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
    }
}
