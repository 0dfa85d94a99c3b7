//! The cache file: a text header, a body of entries with the questions they number into, then any segments appended since; bodies written by postcard and read in place.
//!
//! The header is three lines: the format (`MAGIC`), the fingerprint of the run that
//! wrote the file, and the body's XXH3-128 checksum and length. The body is a `Section`
//! in postcard. Each appended segment is its length (8 bytes), its checksum (16 bytes),
//! then the fingerprint and a `Section` of its own in postcard, so a segment appended
//! by another build, torn by a crash or altered is noticed and ignored with everything
//! after it. A body that does not read, or another format or fingerprint, makes the
//! whole file ignored.
//!
//! Opening a cache reads the section lists (where each entry and question lies in the
//! file) but not the entries themselves: a pair's entry is decoded when the pair asks
//! for it, so a warm run of a hundred thousand pairs does not build a hundred thousand
//! entries up front. An entry that does not read, names a rule this build does not know
//! or numbers a question its section lacks is a miss, never trusted.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::atomic::AtomicU8;

use serde::{Deserialize, Serialize};
use serde_bytes::Bytes;
use xxhash_rust::xxh3::xxh3_64;

use super::recorder::Asked;
use super::walked::Stat;
use super::Key;
use crate::finding::{Finding, Fix, Span};
use crate::hash::{hash, Prehashed};
use crate::rules::RuleId;

/// The first line of the file; bump the number when the format changes.
pub(super) const MAGIC: &str = "locdrift-cache 6";

/// A pair's entry as stored, after the translation's path.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct Entry<'a> {
    /// Content hashes of the source and the translation.
    #[serde(with = "fixed")]
    pub source: u128,
    #[serde(with = "fixed")]
    pub translation: u128,
    pub locale: &'a str,
    /// Metadata of the files when hashed, if they had settled by then.
    pub source_stat: Option<Stat>,
    pub translation_stat: Option<Stat>,
    #[serde(borrow)]
    findings: Vec<StoredFinding<'a>>,
    /// What the rules asked about the tree and were told: numbers into the question
    /// table of the entry's section.
    questions: Vec<u32>,
}

impl<'a> Entry<'a> {
    pub fn key(&self) -> Key<'a> {
        Key { source: self.source, translation: self.translation, locale: self.locale }
    }

    /// The stored findings, ready for the driver to add paths and severities; None if
    /// one names a rule this build does not know (which a matching fingerprint rules
    /// out, short of a bug).
    pub fn findings(&self) -> Option<Vec<Finding>> {
        self.findings.iter().map(StoredFinding::finding).collect()
    }

    pub fn questions(&self) -> &[u32] {
        &self.questions
    }
}

/// The stored form of an entry.
pub(super) fn encode_entry(
    key: Key,
    source_stat: Option<Stat>,
    translation_stat: Option<Stat>,
    findings: &[Finding],
    questions: Vec<u32>,
) -> Vec<u8> {
    let findings = findings.iter().map(StoredFinding::of).collect();
    let entry = Entry {
        source: key.source,
        translation: key.translation,
        locale: key.locale,
        source_stat,
        translation_stat,
        findings,
        questions,
    };
    to_bytes(&entry)
}

/// A finding as the rules returned it (the driver adds file, locale and severity).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct StoredFinding<'a> {
    rule: &'a str,
    message: &'a str,
    span: (usize, usize),
    source_span: Option<(usize, usize)>,
    #[serde(borrow)]
    help: Option<&'a str>,
    #[serde(borrow)]
    fix: Option<(usize, usize, &'a str, bool)>,
    #[serde(borrow)]
    key: Option<&'a str>,
}

impl<'a> StoredFinding<'a> {
    fn of(f: &'a Finding) -> StoredFinding<'a> {
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
            rule: rule.name(),
            message,
            span: (span.start, span.end),
            source_span: source_span.map(|s| (s.start, s.end)),
            help: help.as_deref(),
            fix: fix.as_ref().map(|x| (x.span.start, x.span.end, x.replacement.as_str(), x.safe)),
            key: key.as_deref(),
        }
    }

    fn finding(&self) -> Option<Finding> {
        let rule = RuleId::from_name(self.rule)?;
        let mut f = Finding::new(rule, Span::new(self.span.0, self.span.1), self.message);
        f.source_span = self.source_span.map(|(start, end)| Span::new(start, end));
        f.help = self.help.map(str::to_string);
        f.fix = self.fix.map(|(start, end, replacement, safe)| Fix {
            span: Span::new(start, end),
            replacement: replacement.to_string(),
            safe,
        });
        f.key = self.key.map(str::to_string);
        Some(f)
    }
}

/// A 128-bit hash as its 16 bytes: postcard writes integers as LEB128, which takes 19
/// bytes for a hash (its bits are as likely set as not).
pub(super) mod fixed {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(v: &u128, s: S) -> Result<S::Ok, S::Error> {
        v.to_le_bytes().serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u128, D::Error> {
        <[u8; 16]>::deserialize(d).map(u128::from_le_bytes)
    }
}

/// A value of the format in postcard. Every type of the format has a length-prefixed
/// form, so writing to memory cannot fail.
pub(super) fn to_bytes<T: Serialize>(value: &T) -> Vec<u8> {
    postcard::to_allocvec(value).expect("postcard writes every type of the cache format")
}

/// Questions about the tree, each stored once however many pairs asked it: the pages of
/// a tree link to the same few pages and ask about the same sources, so a table shared
/// by all entries (an entry holds numbers into it) is a small part of a copy per pair.
#[derive(Default)]
pub(super) struct Table {
    /// The questions one after the other, each in postcard.
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
    pub fn number(&mut self, question: &[u8]) -> u32 {
        let key = xxh3_64(question);
        if let Some(&n) = self.numbers.get(&key) {
            if self.question(n as usize) == question {
                return n;
            }
        }
        let n = self.starts.len() as u32;
        self.starts.push(self.bytes.len());
        self.bytes.extend_from_slice(question);
        self.numbers.entry(key).or_insert(n);
        n
    }

    fn question(&self, n: usize) -> &[u8] {
        let end = self.starts.get(n + 1).copied().unwrap_or(self.bytes.len());
        &self.bytes[self.starts[n]..end]
    }
}

/// A question table and entries (sorted by path) numbering into it, as written.
#[derive(Serialize, Deserialize)]
struct SectionForm<'a> {
    /// Each question in postcard (`Asked`), decoded only when a pair's entry needs it.
    #[serde(borrow)]
    questions: Vec<&'a Bytes>,
    /// Each entry's path and stored form (`Entry` in postcard).
    #[serde(borrow)]
    entries: Vec<(&'a str, &'a Bytes)>,
}

/// The file's bytes for a body: the header and the body apart, which `save` writes one
/// after the other rather than copy tens of megabytes into one buffer.
pub(super) fn encode_parts(fingerprint: &str, questions: &Table, entries: &[(&str, &[u8])]) -> (Vec<u8>, Vec<u8>) {
    let body = to_bytes(&section_form(questions, entries));
    let head = format!("{MAGIC}\n{fingerprint}\n{:032x} {}\n", hash(&body), body.len()).into_bytes();
    (head, body)
}

/// A segment appended after the main body: its length (8 bytes), the checksum of what
/// follows (16 bytes), then the fingerprint (so that a segment another build appended
/// to a file it did not write is not believed) and a section of its own.
pub(super) fn encode_segment(fingerprint: &str, questions: &Table, entries: &[(&str, &[u8])]) -> Vec<u8> {
    let inner = to_bytes(&(fingerprint, section_form(questions, entries)));
    let mut out = Vec::with_capacity(24 + inner.len());
    out.extend_from_slice(&(inner.len() as u64).to_le_bytes());
    out.extend_from_slice(&hash(&inner).to_le_bytes());
    out.extend_from_slice(&inner);
    out
}

fn section_form<'a>(questions: &'a Table, entries: &[(&'a str, &'a [u8])]) -> SectionForm<'a> {
    SectionForm {
        questions: (0..questions.starts.len()).map(|n| Bytes::new(questions.question(n))).collect(),
        entries: entries.iter().map(|&(rel, stored)| (rel, Bytes::new(stored))).collect(),
    }
}

/// The entries of the cache file, kept as the file's bytes and decoded only when a pair
/// asks for its own.
#[derive(Default)]
pub(super) struct Stored {
    pub bytes: Vec<u8>,
    /// The main body, then each appended segment that read.
    pub sections: Vec<Section>,
    /// Where the main body ends and the appended segments begin.
    pub main_end: usize,
    /// An entry's section and place in it, by a 64-bit hash of its path. A later
    /// section's entry for a path replaces an earlier one's. Of two paths with the same
    /// hash only one is found: the other pair is linted again, which costs time, never
    /// correctness (the path is compared on every lookup).
    pub by_path: HashMap<u64, (usize, usize), Prehashed>,
    /// Whether an appended segment did not read (a torn append, damage, another build's
    /// segment): it and everything after it are ignored, and the next save rewrites.
    pub damaged: bool,
}

/// The main body or an appended segment: where its questions and entries lie in the
/// file's bytes.
#[derive(Default)]
pub(super) struct Section {
    questions: Vec<Range<usize>>,
    /// Whether each question holds in this run (`HOLDS`, `FAILS`, 0 before it is asked).
    pub holds: Vec<AtomicU8>,
    /// Each entry's path and stored form, in file order.
    entries: Vec<(Range<usize>, Range<usize>)>,
}

impl Stored {
    pub fn is_empty(&self) -> bool {
        self.by_path.is_empty()
    }

    /// The entry of a translation, if there is one that reads, with its section.
    pub fn get(&self, rel: &str) -> Option<(usize, Entry<'_>)> {
        let &(section, i) = self.by_path.get(&path_key(rel))?;
        let (path, entry) = self.entry(section, i)?;
        (path == rel).then_some((section, entry))
    }

    fn entry(&self, section: usize, i: usize) -> Option<(&str, Entry<'_>)> {
        let s = self.sections.get(section)?;
        let (path, stored) = s.entries.get(i)?;
        let path = std::str::from_utf8(self.bytes.get(path.clone())?).ok()?;
        let entry: Entry = postcard::from_bytes(self.bytes.get(stored.clone())?).ok()?;
        entry.questions.iter().all(|&n| (n as usize) < s.questions.len()).then_some((path, entry))
    }

    /// Question `n` of a section, in its stored form.
    fn raw_question(&self, section: usize, n: u32) -> Option<&[u8]> {
        self.bytes.get(self.sections.get(section)?.questions.get(n as usize)?.clone())
    }

    pub fn question(&self, section: usize, n: u32) -> Option<Asked<&str>> {
        postcard::from_bytes(self.raw_question(section, n)?).ok()
    }

    /// Every entry a lookup can find (not replaced by a later segment's), in file order.
    pub fn live(&self) -> impl Iterator<Item = (usize, &str, Entry<'_>)> {
        self.sections.iter().enumerate().flat_map(move |(section, s)| {
            (0..s.entries.len()).filter_map(move |i| {
                let (path, entry) = self.entry(section, i)?;
                (self.by_path.get(&path_key(path)) == Some(&(section, i))).then_some((section, path, entry))
            })
        })
    }

    /// An entry's stored form with its questions numbered in `table`, and these stats.
    pub fn renumber(
        &self,
        section: usize,
        entry: &Entry,
        source_stat: Option<Stat>,
        translation_stat: Option<Stat>,
        table: &mut Table,
    ) -> Option<Vec<u8>> {
        let questions = entry
            .questions
            .iter()
            .map(|&n| Some(table.number(self.raw_question(section, n)?)))
            .collect::<Option<_>>()?;
        let findings = entry.findings.clone();
        Some(to_bytes(&Entry { source_stat, translation_stat, findings, questions, ..*entry }))
    }
}

pub(super) fn path_key(rel: &str) -> u64 {
    xxh3_64(rel.as_bytes())
}

/// Why a cache file was not used.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Rejected {
    Malformed,
    OtherFingerprint,
    Corrupted,
}

/// Checks a cache file and finds its sections. A main body that does not read is
/// rejected as a whole; an appended segment that does not read is ignored with
/// everything after it (`damaged`).
pub(super) fn decode(bytes: Vec<u8>, fingerprint: &str) -> Result<Stored, Rejected> {
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
    let (form, after) =
        postcard::take_from_bytes::<SectionForm>(&bytes[body..main_end]).map_err(|_| Rejected::Corrupted)?;
    if !after.is_empty() {
        return Err(Rejected::Corrupted);
    }
    stored.sections.push(section(&bytes, &form, 0, &mut stored.by_path));
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
/// fingerprint, and reads.
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
    let ((print, form), after) = postcard::take_from_bytes::<(&str, SectionForm)>(inner).ok()?;
    if print != fingerprint || !after.is_empty() {
        return None;
    }
    Some((section(bytes, &form, number, by_path), end))
}

/// Where a section's questions and entries lie in `bytes`, each entry's place added to
/// `by_path` (a later entry for a path replacing an earlier one).
fn section(
    bytes: &[u8],
    form: &SectionForm,
    number: usize,
    by_path: &mut HashMap<u64, (usize, usize), Prehashed>,
) -> Section {
    // The form borrows from `bytes`: each slice is kept as its place in the file, so
    // that the cache can own the bytes and still find its entries.
    let place = |part: &[u8]| {
        let start = part.as_ptr() as usize - bytes.as_ptr() as usize;
        start..start + part.len()
    };
    by_path.reserve(form.entries.len());
    let entries = form
        .entries
        .iter()
        .enumerate()
        .map(|(i, &(rel, stored))| {
            by_path.insert(path_key(rel), (number, i));
            (place(rel.as_bytes()), place(stored))
        })
        .collect();
    let questions: Vec<Range<usize>> = form.questions.iter().map(|q| place(q)).collect();
    let holds = questions.iter().map(|_| AtomicU8::new(0)).collect();
    Section { questions, holds, entries }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
