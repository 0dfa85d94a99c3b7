//! The cache's own tests: entries, questions and the file, against a tree that answers from lists.

use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use super::format::{
    decode, encode_entry, encode_parts, encode_segment, path_key, to_bytes, Rejected, Stored, Table, MAGIC,
};
use super::*;
use crate::discover::Found;
use crate::finding::{Fix, Span};
use crate::rules::{RuleId, Workspace};

const KEY: Key<'static> = Key { source: 1 << 100, translation: 7, locale: "sv-se" };

fn findings() -> Vec<Finding> {
    vec![
        Finding::new(RuleId::StaleLink, Span::new(3, 9), "link points elsewhere")
            .with_source(Span::new(4, 10))
            .with_key("link:a->b"),
        Finding::new(RuleId::StaleLink, Span::new(1, 2), "länk").with_help("byt den").with_fix(Fix {
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
        Asked::ChangedSince { rel: "en-us/a.md".into(), commit: "abc1234".into(), head: None, answer: Some(true) },
        Asked::ChangedSince {
            rel: "en-us/b.md".into(),
            commit: "abc1234".into(),
            head: Some("f00d".repeat(10)),
            answer: None,
        },
        Asked::Peers { source: "en-us/a.md".into(), answer: 9 },
        Asked::Sync {
            source: "en-us/a.md".into(),
            translation: "sv-se/a.md".into(),
            head: Some("f".repeat(40)),
            answer: 5,
        },
        Asked::Sync { source: "en-us/b.md".into(), translation: "sv-se/b.md".into(), head: None, answer: 0 },
        Asked::Served { dir: "docs".into(), path: "guides/start".into(), answer: Some("docs/guides/setup.md".into()) },
        Asked::Served { dir: "i18n/ko/x/current".into(), path: "".into(), answer: None },
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
            let numbers = asked.iter().map(|q| table.number(&to_bytes(q))).collect();
            (*rel, encode_entry(*key, stats.0, stats.1, findings, numbers))
        })
        .collect();
    let entries: Vec<(&str, &[u8])> = stored.iter().map(|(rel, e)| (*rel, e.as_slice())).collect();
    encode(fingerprint, &table, &entries)
}

/// The whole file for these entries.
fn encode(fingerprint: &str, questions: &Table, entries: &[(&str, &[u8])]) -> Vec<u8> {
    let (head, body) = encode_parts(fingerprint, questions, entries);
    [head, body].concat()
}

/// What an entry of `stored` asked, as recorded.
fn asked_of(stored: &Stored, rel: &str) -> Vec<Asked> {
    let (section, entry) = stored.get(rel).unwrap();
    entry.questions().iter().map(|&n| owned(stored.question(section, n).unwrap())).collect()
}

fn owned(q: Asked<&str>) -> Asked {
    match q {
        Asked::Walked { path } => Asked::Walked { path },
        Asked::Exists { rel, answer } => Asked::Exists { rel: rel.into(), answer },
        Asked::Anchors { rel, fragment, stat, answer } => {
            Asked::Anchors { rel: rel.into(), fragment: fragment.into(), stat, answer }
        }
        Asked::ChangedSince { rel, commit, head, answer } => {
            Asked::ChangedSince { rel: rel.into(), commit: commit.into(), head: head.map(Into::into), answer }
        }
        Asked::Peers { source, answer } => Asked::Peers { source: source.into(), answer },
        Asked::Served { dir, path, answer } => {
            Asked::Served { dir: dir.into(), path: path.into(), answer: answer.map(Into::into) }
        }
        Asked::Sync { source, translation, head, answer } => {
            Asked::Sync { source: source.into(), translation: translation.into(), head: head.map(Into::into), answer }
        }
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

/// A `stale-translation` finding's sync point reads back as written.
#[test]
fn a_sync_point_reads_back() {
    let synced = vec![Finding {
        sync: Some(crate::finding::SyncInfo {
            commit: "a".repeat(40),
            date: "2024-03-01".into(),
            changes: 3,
            sections: "'Before you begin' +1 list item".into(),
        }),
        ..Finding::new(RuleId::StaleTranslation, Span::new(0, 0), "3 changes since 2024-03-01")
    }];
    let cache =
        cache_read(SystemTime::now(), file_of("", &[("sv-se/a.md", stored(KEY, (None, None), &synced, &asked()))]));
    let (_, a) = cache.old.get("sv-se/a.md").unwrap();
    assert_eq!(a.findings(), Some(synced));
    assert_eq!(asked_of(&cache.old, "sv-se/a.md"), asked());
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
    assert_eq!((b.findings(), b.questions().len()), (Some(Vec::new()), 0));
    assert!(cache.old.get("sv-se/c.md").is_none());
    // Kept entries are written back as they were read.
    let mut table = Table::default();
    let kept: Vec<(&str, Vec<u8>)> = cache
        .old
        .live()
        .map(|(s, rel, e)| (rel, cache.old.renumber(s, &e, e.source_stat, e.translation_stat, &mut table).unwrap()))
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
    let questions: usize = asked().iter().map(|q| to_bytes(q).len()).sum();
    assert!(questions > 100);
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
    assert!(cache.get("sv-se/a.md", KEY, Stats::default(), &around).is_none(), "a recorded answer no longer holds");
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
    // What two paths with the same key would do: the other path is not found.
    cache.old.by_path.insert(path_key("sv-se/x.md"), (0, 0));
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
    // Behind a valid checksum: a short body and a count that promises more questions
    // than there are make the file unread; an entry that names a rule this build does
    // not know, or a question its table lacks, is not found.
    let header = bytes.iter().enumerate().filter(|(_, &b)| b == b'\n').nth(2).unwrap().0 + 1;
    let forge =
        |body: &[u8]| [format!("{MAGIC}\nprint\n{:032x} {}\n", hash(body), body.len()).as_bytes(), body].concat();
    let good = decode(forge(&bytes[header..]), "print").ok().unwrap();
    assert!(good.get("sv-se/a.md").is_some());
    assert_eq!(decode(forge(&bytes[header..bytes.len() - 1]), "print").err(), corrupted);
    let mut more = bytes[header..].to_vec();
    more[0] = 200;
    assert_eq!(decode(forge(&more), "print").err(), corrupted);
    let unknown = decode(forge(&replace("stale-link", "stale-lonk")[header..]), "print").ok().unwrap();
    let (_, entry) = unknown.get("sv-se/a.md").unwrap();
    assert_eq!(entry.findings(), None, "a rule this build does not know");
    let odd = encode("print", &Table::default(), &[("sv-se/a.md", &encode_entry(KEY, None, None, &[], vec![9]))]);
    let odd_header = odd.iter().enumerate().filter(|(_, &b)| b == b'\n').nth(2).unwrap().0 + 1;
    assert!(decode(forge(&odd[odd_header..]), "print").ok().unwrap().get("sv-se/a.md").is_none());
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
    let added =
        Fake { files: vec!["sv-se/x.md"], anchors: vec![("sv-se/c.md", vec!["setup", "intro"])], ..Fake::default() };
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
    let rels: Vec<&str> = saved.live().map(|(_, rel, _)| rel).collect();
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

/// A run that learnt a few pairs appends them after the file as it was, and the
/// next run reads them, in place of the older entries for the same paths.
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
    assert_eq!(cache.get("sv-se/00.md", Key { translation: 8, ..KEY }, Stats::default(), &around), Some(findings()));
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
    let stray = encode_entry(Key { translation: 9, ..KEY }, None, None, &[], Vec::new());
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

/// A whole run reads its cache even where entries are large (docfx-nuget: 6.5 kB a pair);
/// a run of a few pages of a large tree does not.
#[test]
fn whole_runs_read_the_cache_and_small_runs_of_large_trees_do_not() {
    assert!(worth_reading(640 * 6_545, 640));
    assert!(worth_reading(0, 0));
    assert!(!worth_reading(90_000 * 3_000, 3));
    assert!(worth_reading(90_000 * 3_000, 300));
}
