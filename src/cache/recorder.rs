//! What rules ask the tree while a pair is linted (`Asked`), noted by a `Recorder` between the rules and the tree, and checked again on a later run (`Around::holds`).

use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use super::walked::{Stat, Walked};
use super::Cache;
use crate::hash::hash;
use crate::rules::{Peer, Workspace};

/// A question a rule asked about the tree while a pair was linted, and the answer.
/// Answers that may be long are kept as hashes: only their equality matters. Paths are
/// `String`s when recorded, `&str`s when read back from the cache file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Asked<S = String> {
    /// A file the walk found exists: holds while the walk finds a file with this path
    /// hash. Most link targets are such files; this keeps their entries small.
    Walked {
        #[serde(with = "super::format::fixed")]
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
        #[serde(with = "super::format::fixed")]
        answer: u128,
    },
    /// A translation's sync point (`Workspace::sync_point`), as the hash of its commit.
    /// The answer depends on the pair's texts (which the entry is keyed by) and on the
    /// history, so it holds while HEAD is the same commit (or while there is still no
    /// repository); after that the pair is linted again (the question needs the
    /// translation's signature, which only a lint makes).
    Sync {
        source: S,
        translation: S,
        head: Option<S>,
        #[serde(with = "super::format::fixed")]
        answer: u128,
    },
    /// The page a folder of the site's routes serves at a URL path
    /// (`Workspace::served`). The answer depends on the names and front matter of every
    /// page of the folder (a `slug:` elsewhere may take the path), so it is asked again
    /// on a later run: the folder's routes are made once per run for all the questions.
    Served {
        dir: S,
        path: S,
        answer: Option<S>,
    },
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
    pub(super) fn holds(&self, q: &Asked<&str>, start: SystemTime) -> bool {
        match *q {
            Asked::Walked { path } => self.walked.has(path),
            Asked::Exists { rel, answer } => self.walked.find(rel).is_none() && self.workspace.exists(rel) == answer,
            Asked::Anchors { rel, fragment, stat, answer } => {
                let same_file = stat.is_some() && self.stat(rel).filter(|s| s.settled(start)) == stat;
                same_file || self.workspace.has_anchor(rel, fragment) == answer
            }
            Asked::ChangedSince { rel, commit, head, answer } => {
                let same_head = head.is_some() && self.workspace.head_commit() == head;
                same_head || self.workspace.changed_since(rel, commit) == answer
            }
            Asked::Peers { source, answer } => hash_peers(&self.workspace.peers(source)) == answer,
            Asked::Sync { head, .. } => self.workspace.head_commit() == head,
            Asked::Served { dir, path, answer } => self.workspace.served(dir, path).as_deref() == answer,
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
            start: cache.map_or_else(SystemTime::now, Cache::start),
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

    fn served(&self, dir: &str, path: &str) -> Option<String> {
        let answer = self.around.workspace.served(dir, path);
        self.note(|| Asked::Served { dir: dir.to_string(), path: path.to_string(), answer: answer.clone() });
        answer
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
