//! The tree around a pair, as the rules may ask about it: file existence, anchors of a
//! linked page, git history. This is driver-side I/O behind the `rules::Workspace` trait.
//!
//! Every question takes a root-relative path that rules resolved lexically; answers never
//! come from outside the root: a symbolic link that leads out of it counts as absent.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use crate::history::{self, Head, History};
use crate::rules::{Peer, Workspace};
use crate::settings::Settings;

pub struct Tree {
    root: PathBuf,
    canonical_root: PathBuf,
    /// A copy, so a tree can live as long as its user needs (the language server keeps
    /// one per project across requests).
    settings: Settings,
    anchors: Mutex<HashMap<String, Option<Vec<String>>>>,
    /// HEAD of the checkout, asked once: None outside a repository.
    head: OnceLock<Option<Head>>,
    /// The history as `history::load` found it cheapest to read, for the paths of
    /// `few` when a run names only those; `full` for any other path asked about.
    history: OnceLock<Option<History>>,
    full: OnceLock<Option<History>>,
    /// How many `changed_since` questions were asked, and the commit graph that answers
    /// them once there are many.
    stamps_asked: std::sync::atomic::AtomicUsize,
    graph: OnceLock<Option<history::Graph>>,
    /// Whether the history may be read from and kept in the cache folder.
    store: bool,
    few: Option<HashSet<String>>,
    /// Source -> its translations (locale, path), to answer `peers`.
    translations: HashMap<String, Vec<(String, String)>>,
    peers: Mutex<HashMap<String, Vec<Peer>>>,
}

impl Tree {
    pub fn new(root: &Path, settings: &Settings) -> Tree {
        Tree {
            root: root.to_path_buf(),
            canonical_root: root.canonicalize().unwrap_or_else(|_| root.to_path_buf()),
            settings: settings.clone(),
            anchors: Mutex::new(HashMap::new()),
            head: OnceLock::new(),
            history: OnceLock::new(),
            full: OnceLock::new(),
            stamps_asked: std::sync::atomic::AtomicUsize::new(0),
            graph: OnceLock::new(),
            store: false,
            few: None,
            translations: HashMap::new(),
            peers: Mutex::new(HashMap::new()),
        }
    }

    /// Tells the tree which translations each source has.
    pub fn with_groups(mut self, groups: &[crate::pair::Group]) -> Self {
        // Only the opt-in `handoff-hash` check of `stale-translation` asks for peers; a
        // large tree need not copy its pairing for nothing.
        if !self.settings.options.stale_handoff_hash {
            return self;
        }
        self.translations = groups.iter().map(|g| (g.source.clone(), g.translations.clone())).collect();
        self
    }

    /// How git history may be read: `store` keeps it in the cache folder between runs
    /// (off for `--no-cache`); `paths` are all the paths the run will ask about, for a
    /// run on a few files (ignored above `history::FEW_PATHS`).
    pub fn with_history(mut self, store: bool, paths: Option<HashSet<String>>) -> Self {
        self.store = store;
        self.few = paths.filter(|p| !p.is_empty() && p.len() <= history::FEW_PATHS);
        self
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

    fn head(&self) -> Option<&Head> {
        self.head.get_or_init(|| Head::of(&self.root)).as_ref()
    }

    fn load(&self, few: Option<&HashSet<String>>) -> Option<History> {
        let store = self.store.then(|| self.root.join(crate::cache::DIR).join(history::STORE));
        history::load(&self.root, self.head()?, &history::Load { store, few })
    }

    /// The history that knows `rel`: the one read for the run's few paths if it covers
    /// it, else the whole root's.
    fn history(&self, rel: &str) -> Option<&History> {
        let first = self.history.get_or_init(|| self.load(self.few.as_ref())).as_ref()?;
        if first.covers(rel) {
            return Some(first);
        }
        self.full.get_or_init(|| self.load(None)).as_ref()
    }
}

impl Workspace for Tree {
    fn exists(&self, rel: &str) -> bool {
        self.inside(rel).is_some()
    }

    fn anchors(&self, rel: &str) -> Option<Vec<String>> {
        if let Some(known) = self.anchors.lock().ok()?.get(rel) {
            return known.clone();
        }
        let anchors = self.inside(rel).and_then(|path| {
            let text = crate::check::read_text(&path, self.settings.max_file_size).ok()?;
            Some(crate::parse::anchors(&text))
        });
        self.anchors.lock().ok()?.insert(rel.to_string(), anchors.clone());
        anchors
    }

    fn last_commit_time(&self, rel: &str) -> Option<i64> {
        self.history(rel)?.last.get(rel).copied()
    }

    fn changed_since(&self, rel: &str, commit: &str) -> Option<bool> {
        // A stamp is a commit id; anything else (options, ranges) is not passed to git.
        if commit.len() < 7 || !commit.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        // Outside a repository there is nothing to ask.
        self.head()?;
        // The first questions go to git one at a time (a run on a few files asks a few);
        // past them, one walk of the whole history answers the rest of the run.
        if self.stamps_asked.fetch_add(1, std::sync::atomic::Ordering::Relaxed) >= history::ASK_ONE_BY_ONE {
            let graph = self.graph.get_or_init(|| history::Graph::load(&self.root));
            if let Some(answer) = graph.as_ref().and_then(|g| g.changed_since(rel, &commit.to_ascii_lowercase())) {
                return Some(answer);
            }
        }
        history::changed_since(&self.root, rel, commit)
    }

    fn head_commit(&self) -> Option<&str> {
        self.head().map(|h| h.commit.as_str())
    }

    fn peers(&self, source: &str) -> Vec<Peer> {
        if let Some(known) = self.peers.lock().ok().and_then(|p| p.get(source).cloned()) {
            return known;
        }
        let mut peers = Vec::new();
        for (locale, rel) in self.translations.get(source).map(Vec::as_slice).unwrap_or(&[]) {
            let Some(head) = self.inside(rel).and_then(|p| read_head(&p)) else { continue };
            let fm = crate::parse::front_matter_only(&head);
            if let Some(hash) = fm.get("ms.openlocfilehash") {
                peers.push(Peer {
                    locale: locale.clone(),
                    hash: hash.value.clone(),
                    date: fm.get("ms.date").map(|d| d.value.clone()),
                });
            }
        }
        if let Ok(mut cache) = self.peers.lock() {
            cache.insert(source.to_string(), peers.clone());
        }
        peers
    }
}

/// The first 16 KiB of a file as text: enough for any front matter, cheap for many files.
fn read_head(path: &Path) -> Option<String> {
    use std::io::Read;
    let mut buf = Vec::with_capacity(16 * 1024);
    std::fs::File::open(path).ok()?.take(16 * 1024).read_to_end(&mut buf).ok()?;
    // A cut multi-byte character at the end is dropped, not an error.
    let valid = match std::str::from_utf8(&buf) {
        Ok(s) => s.len(),
        Err(e) => e.valid_up_to(),
    };
    buf.truncate(valid);
    String::from_utf8(buf).ok()
}
