//! The tree around a pair, as the rules may ask about it: file existence, anchors of a
//! linked page, git history. This is driver-side I/O behind the `rules::Workspace` trait.
//!
//! Every question takes a root-relative path that rules resolved lexically; answers never
//! come from outside the root: a symbolic link that leads out of it counts as absent.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use crate::cache::Prehashed;
use crate::history::{self, Head};
use crate::rules::{Peer, Workspace};
use crate::settings::Settings;

pub struct Tree {
    root: PathBuf,
    canonical_root: PathBuf,
    /// A copy, so a tree can live as long as its user needs (the language server keeps
    /// one per project across requests).
    settings: Settings,
    /// The anchors of pages, by the 128-bit hash of their root-relative path (`cache::hash`,
    /// which two paths of one tree share by accident no more than two files' contents
    /// do): of every page the run parsed in full (`parsed`) and of every page asked
    /// about. `None` for a page that cannot be read.
    anchors: Mutex<HashMap<u128, Option<AnchorSet>, Prehashed>>,
    /// Whether `broken-anchor`, the only rule that asks for anchors, is enabled: without
    /// it, `parsed` keeps nothing.
    keep_anchors: bool,
    /// HEAD of the checkout, asked once: None outside a repository.
    head: OnceLock<Option<Head>>,
    /// How many `changed_since` questions were asked, and the commit graph that answers
    /// them once there are many.
    stamps_asked: std::sync::atomic::AtomicUsize,
    graph: OnceLock<Option<history::Graph>>,
    /// The paths of a run over a few files: their versions are read path by path.
    few: Option<HashSet<String>>,
    /// How many paths are read one by one before the whole history: one pair's
    /// (`VERSIONS_ONE_BY_ONE`) for the editor and `diff`, none for `check` over many files.
    one_by_one: usize,
    /// Source -> its translations (locale, path), to answer `peers`.
    translations: HashMap<String, Vec<(String, String)>>,
    peers: Mutex<HashMap<String, Vec<Peer>>>,
    /// The versions of every path (`history::Versions`), read on the first sync-point
    /// question of a run over many files; a run over a few reads each path's own
    /// (`versions_of`).
    versions: OnceLock<Option<history::Versions>>,
    versions_of: Mutex<HashMap<String, Arc<OnceLock<Option<history::Versions>>>>>,
    /// Source versions read and parsed, by blob id: a source's translations in every
    /// locale ask about the same versions.
    blobs: Mutex<Option<history::Blobs>>,
    versions_read: Mutex<HashMap<String, Arc<Parsed>>>,
    /// The pages each folder of the site's routes serves, by URL path below the route's
    /// base (`Workspace::served`): made on the first question about the folder, once
    /// per run, from every page's name and front matter.
    routes: Mutex<HashMap<String, Arc<OnceLock<RouteTable>>>>,
}

/// URL path -> root-relative page file, for one folder of the site's routes.
type RouteTable = HashMap<String, String>;

/// A source version read from git: its text and its signature.
struct Parsed {
    text: Arc<str>,
    signature: crate::sync::Signature,
}

/// How many of a source's versions since its translation appeared are compared with the
/// translation, newest first: a page rewritten hundreds of times is not read back to its
/// first version.
const MAX_CANDIDATES: usize = 200;

/// How many paths a run over many files asks git for one by one before it reads the
/// whole history once: one pair's two.
const VERSIONS_ONE_BY_ONE: usize = 2;

impl Tree {
    pub fn new(root: &Path, settings: &Settings) -> Tree {
        Tree {
            root: root.to_path_buf(),
            canonical_root: root.canonicalize().unwrap_or_else(|_| root.to_path_buf()),
            settings: settings.clone(),
            anchors: Mutex::new(HashMap::default()),
            keep_anchors: settings.is_enabled(crate::rules::RuleId::BrokenAnchor),
            head: OnceLock::new(),
            stamps_asked: std::sync::atomic::AtomicUsize::new(0),
            graph: OnceLock::new(),
            few: None,
            one_by_one: VERSIONS_ONE_BY_ONE,
            translations: HashMap::new(),
            peers: Mutex::new(HashMap::new()),
            versions: OnceLock::new(),
            versions_of: Mutex::new(HashMap::new()),
            blobs: Mutex::new(None),
            versions_read: Mutex::new(HashMap::new()),
            routes: Mutex::new(HashMap::new()),
        }
    }

    /// How much history this tree has: `none` outside a repository, `shallow` in a
    /// shallow clone, else `full`.
    pub fn history_state(&self) -> HistoryState {
        match history::state(self.head()) {
            "none" => HistoryState::None,
            "shallow" => HistoryState::Shallow,
            _ => HistoryState::Full,
        }
    }

    /// The versions of `rel` across renames, newest first: from the whole history, or
    /// on a run over a few files from the path's own `git log --follow`.
    pub fn versions(&self, rel: &str) -> Vec<history::Version> {
        let keywords = &self.settings.options.skip_keywords;
        // A run on a few files, or the editor's tree linting the file just saved (one
        // pair: two paths), reads each path's own history; past that, and from the first
        // question of `check` over many files, one walk of the whole history answers the
        // rest of the run. Each `--follow` walk reads the whole history for its one path:
        // on bench/sync-points.sh (20,000 commits) the first 32 questions asked one by one
        // made a cold run 3.5 times the whole history's read. The budget counts paths, not
        // questions, and is taken under the lock: a path asked again (its translations in
        // every locale) does not use it up, so which walks a run makes does not depend on
        // the order threads ask in.
        let own = {
            let Ok(mut known) = self.versions_of.lock() else { return Vec::new() };
            match known.get(rel) {
                Some(own) => Some(Arc::clone(own)),
                None if self.few.is_none() && (known.len() >= self.one_by_one || self.versions.get().is_some()) => None,
                None => {
                    let own = Arc::new(OnceLock::new());
                    known.insert(rel.to_string(), Arc::clone(&own));
                    Some(own)
                }
            }
        };
        let of = |v: &Option<history::Versions>| v.as_ref().map(|v| v.of(rel)).unwrap_or_default();
        match own {
            Some(own) => of(own.get_or_init(|| history::Versions::load(&self.root, keywords, Some(rel)))),
            None => of(self.versions.get_or_init(|| history::Versions::load(&self.root, keywords, None))),
        }
    }

    /// Where a source that no longer exists went, by git's rename detection.
    pub fn renamed_to(&self, rel: &str) -> Option<String> {
        self.head()?;
        let keywords = &self.settings.options.skip_keywords;
        let all = self.versions.get_or_init(|| history::Versions::load(&self.root, keywords, None));
        all.as_ref()?.renamed_to(rel)
    }

    /// A commit's id and time, by a stamp (a full or abbreviated id).
    fn stamp_commit(&self, stamp: &str) -> Option<(String, i64)> {
        if self.few.is_none() {
            if let Some(Some(all)) = self.versions.get() {
                return all.commit(stamp).map(|c| (c.id.clone(), c.time));
            }
        }
        let out = git_here(&self.root)
            .args(["show", "-s", "--format=%H %ct"])
            .arg(format!("{stamp}^{{commit}}"))
            .arg("--")
            .stderr(std::process::Stdio::null())
            .output()
            .ok()?;
        let text = String::from_utf8(out.stdout).ok()?;
        let (id, time) = text.trim().split_once(' ')?;
        out.status.success().then(|| (id.to_string(), time.parse().ok()))?.1.map(|t| (id.to_string(), t))
    }

    /// The sync point a stamp records: the source as it was at that commit (the newest
    /// version not after it). None for a commit git does not know.
    pub fn sync_point_at(&self, source: &str, stamp: &str) -> Option<crate::sync::SyncPoint> {
        // A stamp is a commit id; anything else is not passed to git.
        if stamp.len() < 7 || !stamp.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        let versions = self.versions(source);
        let (id, time) = match versions.iter().find(|v| v.commit.id.starts_with(&stamp.to_ascii_lowercase())) {
            Some(v) => (v.commit.id.clone(), v.commit.time),
            None => self.stamp_commit(stamp)?,
        };
        let at = versions.iter().position(|v| v.commit.id == id || v.commit.time <= time)?;
        self.point(&versions, at, id, time, true)
    }

    /// The sync point at `versions[at]`, with what later commits marked `[skip l10n]`
    /// changed.
    fn point(
        &self,
        versions: &[history::Version],
        at: usize,
        commit: String,
        time: i64,
        stamped: bool,
    ) -> Option<crate::sync::SyncPoint> {
        let text = Arc::clone(&self.version(&versions[at].blob)?.text);
        let mut skipped = Vec::new();
        for k in (0..at).filter(|&k| versions[k].commit.skip) {
            if let (Some(after), Some(before)) = (self.version(&versions[k].blob), self.version(&versions[k + 1].blob))
            {
                skipped.push((Arc::clone(&before.text), Arc::clone(&after.text)));
            }
        }
        Some(crate::sync::SyncPoint { commit, time, text, skipped, stamped })
    }

    /// A source version read from git and parsed, once per run.
    fn version(&self, blob: &str) -> Option<Arc<Parsed>> {
        if let Some(known) = self.versions_read.lock().ok()?.get(blob) {
            return Some(Arc::clone(known));
        }
        let bytes = {
            let mut blobs = self.blobs.lock().ok()?;
            if blobs.is_none() {
                *blobs = history::Blobs::open(&self.root);
            }
            blobs.as_mut()?.read(blob)?
        };
        let text: Arc<str> = String::from_utf8(bytes).ok()?.into();
        let doc = crate::parse::parse(&text);
        let signature = crate::sync::signature(&doc, &text);
        let parsed = Arc::new(Parsed { text, signature });
        self.versions_read.lock().ok()?.insert(blob.to_string(), Arc::clone(&parsed));
        Some(parsed)
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

    /// `paths` are all the paths the run will ask about, for a run on a few files
    /// (ignored above `history::FEW_PATHS`): their versions are read path by path.
    /// Without them (`None`, a run over many files), the first version question reads
    /// the whole history: each `git log --follow` of one path walks all of it too, and on
    /// bench/sync-points.sh (20,000 commits) the two a cold run asked first cost 1.3-1.4 s
    /// of wall time each beside the whole walk's (bench/README.md, "Sync points").
    pub fn with_few_paths(mut self, paths: Option<HashSet<String>>) -> Self {
        self.few = paths.filter(|p| !p.is_empty() && p.len() <= history::FEW_PATHS);
        if self.few.is_none() {
            self.one_by_one = 0;
        }
        self
    }

    /// The driver parsed the page at `rel` in full, as read from inside the root, and
    /// these are its anchors (`Doc::anchors`, which are exactly what `parse::anchors`
    /// returns): kept, so a link to the page asks no second parse of it.
    pub fn parsed<'n>(&self, rel: &str, names: impl IntoIterator<Item = &'n str>) {
        if !self.keep_anchors {
            return;
        }
        let set = AnchorSet::new(names);
        if let Ok(mut known) = self.anchors.lock() {
            known.entry(crate::cache::hash(rel.as_bytes())).or_insert(Some(set));
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

    /// The pages the folder `dir` of a route serves (`Workspace::served`), by URL path:
    /// every page file under it (`.md`, `.mdx`; no hidden folder, no symbolic link to a
    /// folder), each read up to its front matter. Pages are read on a few threads of
    /// their own, not rayon's: the rules asking run on rayon's, and a rayon thread
    /// waiting for its own jobs may pick up another pair that asks for this very table.
    /// Two pages at one URL: the first by path wins.
    fn route_table(&self, dir: &str) -> RouteTable {
        let inside = |r: &crate::links::Route| dir == r.dir || dir.ends_with(&format!("/{}", r.dir));
        let Some(route) = self.settings.site.routes.iter().filter(|r| inside(r)).max_by_key(|r| r.dir.len()) else {
            return RouteTable::new();
        };
        // The folder comes from the site's config (`docs.path`): one that leaves the root
        // (`../x`, or a link to a folder elsewhere) serves nothing here.
        let folder = self.root.join(dir).canonicalize();
        if !folder.is_ok_and(|f| f.starts_with(&self.canonical_root)) {
            return RouteTable::new();
        }
        let mut pages = Vec::new();
        let mut todo = vec![String::new()];
        while let Some(sub) = todo.pop() {
            let Ok(entries) = std::fs::read_dir(self.root.join(dir).join(&sub)) else { continue };
            for entry in entries.flatten() {
                let Ok(name) = entry.file_name().into_string() else { continue };
                if name.starts_with('.') {
                    continue;
                }
                let rel = if sub.is_empty() { name.clone() } else { format!("{sub}/{name}") };
                match entry.file_type() {
                    Ok(t) if t.is_dir() => todo.push(rel),
                    Ok(t) if name.ends_with(".md") || name.ends_with(".mdx") => pages.push((rel, t.is_symlink())),
                    _ => {}
                }
            }
        }
        pages.sort_unstable();
        let url = |(rel, link): &(String, bool)| -> Option<String> {
            // A symbolic link counts only if it stays inside the root.
            let path = if *link { self.inside(&format!("{dir}/{rel}"))? } else { self.root.join(dir).join(rel) };
            let head = read_head(&path).unwrap_or_default();
            let fm = crate::parse::front_matter_only(&head);
            let value = |key: &str| fm.get(key).map(|e| e.value.trim()).filter(|v| !v.is_empty());
            let meta = crate::links::PageMeta {
                slug: value("slug"),
                id: value("id"),
                number_prefixes: value("parse_number_prefixes").map(|v| v != "false"),
            };
            route.url_of(rel, &meta)
        };
        let threads = std::thread::available_parallelism().map_or(1, usize::from).clamp(1, 8);
        let chunk = pages.len().div_ceil(threads).max(64);
        let urls: Vec<Option<String>> = std::thread::scope(|scope| {
            let handles: Vec<_> =
                pages.chunks(chunk).map(|part| scope.spawn(move || part.iter().map(url).collect::<Vec<_>>())).collect();
            handles.into_iter().flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p))).collect()
        });
        let mut table = RouteTable::with_capacity(pages.len());
        for ((rel, _), url) in pages.iter().zip(urls) {
            if let Some(url) = url {
                table.entry(url).or_insert_with(|| format!("{dir}/{rel}"));
            }
        }
        table
    }

    fn head(&self) -> Option<&Head> {
        self.head.get_or_init(|| Head::of(&self.root)).as_ref()
    }
}

impl Workspace for Tree {
    fn exists(&self, rel: &str) -> bool {
        self.inside(rel).is_some()
    }

    fn has_anchor(&self, rel: &str, fragment: &str) -> Option<bool> {
        let key = crate::cache::hash(rel.as_bytes());
        let name = name_key(fragment);
        if let Some(known) = self.anchors.lock().ok()?.get(&key) {
            return known.as_ref().map(|set| set.contains(name));
        }
        // Read outside the lock: another thread may read the same page meanwhile, which
        // costs a parse, never a different answer.
        let set = self.inside(rel).and_then(|path| {
            let text = read_text(&path, self.settings.max_file_size).ok()?;
            Some(AnchorSet::new(
                crate::parse::anchors_of_file(&text, self.settings.site.heading_ids, rel).iter().map(String::as_str),
            ))
        });
        let answer = set.as_ref().map(|set| set.contains(name));
        self.anchors.lock().ok()?.entry(key).or_insert(set);
        answer
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

    fn served(&self, dir: &str, path: &str) -> Option<String> {
        let table = {
            let mut known = self.routes.lock().ok()?;
            Arc::clone(known.entry(dir.to_string()).or_default())
        };
        table.get_or_init(|| self.route_table(dir)).get(path.trim_matches('/')).cloned()
    }

    fn sync_point(
        &self,
        source: &str,
        translation: &str,
        signature: &crate::sync::Signature,
        stamp: Option<&str>,
    ) -> Option<crate::sync::SyncPoint> {
        self.head()?;
        if let Some(stamp) = stamp {
            return self.sync_point_at(source, stamp);
        }
        let versions = self.versions(source);
        // Versions since the translation first appeared, and the one it appeared over;
        // all of them for a translation never committed.
        let first = self.versions(translation).last().map(|v| v.commit.time);
        let since = first.map_or(versions.len(), |t| versions.iter().take_while(|v| v.commit.time >= t).count());
        let candidates = (since + 1).min(versions.len()).min(MAX_CANDIDATES);
        let mut best: Option<(usize, f64)> = None;
        let mut newer: Option<Arc<Parsed>> = None;
        for (i, v) in versions.iter().take(candidates).enumerate() {
            let Some(p) = self.version(&v.blob) else { continue };
            if p.signature == *signature {
                best = Some((i, 2.0));
                break;
            }
            // An older version with the newer one's signature differs from it in nothing
            // a translation shows (a word, emphasis): the newer one stands for both.
            if newer.as_ref().is_some_and(|n| n.signature == p.signature) {
                continue;
            }
            let score = p.signature.similarity(signature);
            // Ties between versions that differ go to the older one: nothing says the
            // translation saw the newer (on tldr with a synthetic history, ties to the
            // newer hid 203 of 781 meaningful changes behind a drift the translation
            // already had).
            if best.is_none_or(|(_, s)| score >= s) {
                best = Some((i, score));
            }
            newer = Some(p);
        }
        let (at, _) = best?;
        let (commit, time) = (versions[at].commit.id.clone(), versions[at].commit.time);
        self.point(&versions, at, commit, time, false)
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

fn git_here(root: &Path) -> std::process::Command {
    let mut cmd = std::process::Command::new("git");
    cmd.arg("-C").arg(root);
    cmd
}

/// A page's anchor names as the sorted 128-bit hashes of their ASCII-lower-cased forms
/// (`name_key`): `broken-anchor` compares names ignoring ASCII case, and only asks
/// whether a name is among them. Kept for every page of a large tree, this takes a few
/// megabytes where the names themselves took tens.
///
/// A fragment that names no anchor is taken for one only if its hash equals one of the
/// page's k anchors' hashes, with a chance of k in 2^128 for names that are not chosen
/// to collide: far below that of the content hashes the cache already trusts with whole
/// files, so no broken anchor goes unreported in practice.
struct AnchorSet(Box<[u128]>);

impl AnchorSet {
    fn new<'n>(names: impl IntoIterator<Item = &'n str>) -> AnchorSet {
        let mut keys: Vec<u128> = names.into_iter().map(name_key).collect();
        keys.sort_unstable();
        keys.dedup();
        AnchorSet(keys.into_boxed_slice())
    }

    fn contains(&self, key: u128) -> bool {
        self.0.binary_search(&key).is_ok()
    }
}

/// The hash of an anchor name ignoring ASCII case: two names are `eq_ignore_ascii_case`
/// exactly when their ASCII-lower-cased forms are equal.
fn name_key(name: &str) -> u128 {
    // Lower-cased on the stack, eight bytes at a time: every anchor of every page
    // parsed comes here.
    let mut buf = [0u8; 64];
    let Some(lower) = buf.get_mut(..name.len()) else {
        return crate::cache::hash(name.to_ascii_lowercase().as_bytes());
    };
    lower.copy_from_slice(name.as_bytes());
    // The zeros after the name lower-case to zeros.
    for word in buf[..name.len().div_ceil(8) * 8].chunks_exact_mut(8) {
        let w = u64::from_le_bytes(word.try_into().expect("eight bytes"));
        word.copy_from_slice(&lower_ascii(w).to_le_bytes());
    }
    crate::cache::hash(&buf[..name.len()])
}

/// Eight bytes with `A`-`Z` lower-cased and every other byte as it was, as
/// `u8::to_ascii_lowercase` does to each.
fn lower_ascii(w: u64) -> u64 {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Each byte's low seven bits plus 0x3f (0x25) sets its top bit when they are at
    // least `A` (`[`), and cannot carry into the next byte.
    let low = w & LOW7;
    let from_a = low + 0x3f3f_3f3f_3f3f_3f3f;
    let past_z = low + 0x2525_2525_2525_2525;
    // ASCII (top bit clear) and from `A` up to `Z`: add 0x20.
    let upper = from_a & !past_z & !w & HIGH;
    w | (upper >> 2)
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

/// Reads a file as text, or says why it cannot be: missing, unreadable, too large,
/// not UTF-8. The caller turns the reason into an `io-error` finding.
pub fn read_text(path: &Path, max: u64) -> Result<String, String> {
    text(read_file(path, max)?)
}

/// Reads a file's bytes, or says why it cannot be: missing, unreadable, too large.
pub fn read_file(path: &Path, max: u64) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let cannot = |e: std::io::Error| format!("cannot read file: {}", io_message(&e));
    // One open, one fstat and one read per file: at a hundred thousand files, every
    // extra system call shows.
    let mut file = std::fs::File::open(path).map_err(cannot)?;
    let len = file.metadata().map_err(cannot)?.len();
    if len > max {
        return Err(crate::rules::io_error::too_large(len, max));
    }
    // One byte more than the file has, to see its end in the same read, and read
    // through `Take`: `File::read_to_end` would ask for the size and the position
    // again (a statx and an lseek per file) to size a buffer that is sized already.
    let mut bytes = Vec::with_capacity(len as usize + 1);
    (&mut file).take(max.saturating_add(1)).read_to_end(&mut bytes).map_err(cannot)?;
    if bytes.len() as u64 > max {
        let len = bytes.len();
        return Err(crate::rules::io_error::too_large(format!("{len}+"), max));
    }
    Ok(bytes)
}

/// Bytes as text, validated once; or why they are not UTF-8.
pub fn text(bytes: Vec<u8>) -> Result<String, String> {
    String::from_utf8(bytes).map_err(|e| {
        crate::rules::io_error::describe_invalid_utf8(e.as_bytes())
            .unwrap_or_else(|| format!("file is not valid UTF-8: {e}"))
    })
}

fn io_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "file not found (deleted while checking?)".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LONG: &str = "An-Explicit-Anchor-Name-Longer-Than-Sixty-Four-Bytes-Which-Is-Hashed-From-The-Heap";
    const PAGE: &str = "# Set Up the CLI\n\nText <a name=\"Deep-Link\"></a>.\n\n## Next {#after}\n\n\
        <a id=\"An-Explicit-Anchor-Name-Longer-Than-Sixty-Four-Bytes-Which-Is-Hashed-From-The-Heap\"></a>\n\n\
        ```\n## not a heading\n```\n";

    /// What `broken-anchor` compared before the tree kept hashes: the names, ignoring ASCII case.
    fn named(text: &str, fragment: &str) -> bool {
        crate::parse::anchors(text).iter().any(|a| a.eq_ignore_ascii_case(fragment))
    }

    const FRAGMENTS: [&str; 12] = [
        "set-up-the-cli",
        "SET-UP-THE-CLI",
        "deep-link",
        "Deep-Link",
        "after",
        "next",
        "not-a-heading",
        "set",
        "",
        LONG,
        "an-explicit-anchor-name-longer-than-sixty-four-bytes-which-is-hashed-from-the-heap",
        "An-Explicit-Anchor-Name-Longer-Than-Sixty-Four-Bytes-Which-Is-Hashed-From-The-Hea",
    ];

    /// A page read for the question and a page parsed in full by the driver answer as
    /// the names themselves would; a page that cannot be read has no answer.
    #[test]
    fn anchors_are_answered_as_the_names_compare() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.md"), PAGE).unwrap();
        let read = Tree::new(dir.path(), &Settings::default());
        let told = Tree::new(dir.path(), &Settings::default());
        let doc = crate::parse::parse(PAGE);
        told.parsed("a.md", doc.anchors.iter().map(|a| a.name.as_str()));
        std::fs::remove_file(dir.path().join("a.md")).unwrap();
        for fragment in FRAGMENTS {
            assert_eq!(told.has_anchor("a.md", fragment), Some(named(PAGE, fragment)), "{fragment}");
        }
        std::fs::write(dir.path().join("a.md"), PAGE).unwrap();
        for fragment in FRAGMENTS {
            assert_eq!(read.has_anchor("a.md", fragment), Some(named(PAGE, fragment)), "{fragment}");
        }
        assert!(named(PAGE, &LONG.to_lowercase()) && FRAGMENTS.iter().any(|f| !named(PAGE, f)));
        assert_eq!(read.has_anchor("b.md", "after"), None);
        assert_eq!(read.has_anchor("../a.md", "after"), None);
    }

    /// A routed folder outside the root, by `..` or by a symbolic link, serves no page:
    /// its files are never read.
    #[test]
    fn routes_are_never_read_outside_the_root() {
        let top = tempfile::tempdir().unwrap();
        let (root, outside) = (top.path().join("site"), top.path().join("outside"));
        for d in [root.join("docs"), outside.clone()] {
            std::fs::create_dir_all(d).unwrap();
        }
        std::fs::write(root.join("docs/a.md"), "---\nslug: /inside\n---\n# A\n").unwrap();
        std::fs::write(outside.join("b.md"), "---\nslug: /secret\n---\n# B\n").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(&outside, root.join("linked")).unwrap();
        let mut settings = Settings::default();
        let route = |dir: &str| crate::links::Route {
            locale: String::new(),
            base: "docs".into(),
            dir: dir.into(),
            complete: true,
            default: true,
            docusaurus: true,
            number_prefixes: true,
        };
        settings.site.routes = vec![route("docs"), route("../outside"), route("linked")];
        let tree = Tree::new(&root, &settings);
        assert_eq!(tree.served("docs", "inside").as_deref(), Some("docs/a.md"));
        assert_eq!(tree.served("../outside", "secret"), None);
        #[cfg(unix)]
        assert_eq!(tree.served("linked", "secret"), None);
    }

    proptest::proptest! {
        /// The fast case folding is byte for byte `to_ascii_lowercase`.
        #[test]
        fn words_lower_case_as_bytes_do(w in proptest::num::u64::ANY, bytes in proptest::array::uniform8(b'>'..b'a')) {
            for w in [w, u64::from_le_bytes(bytes)] {
                proptest::prop_assert_eq!(lower_ascii(w).to_le_bytes(), w.to_le_bytes().map(|b| b.to_ascii_lowercase()));
            }
        }

        /// Names hash as their lower-cased forms, however long.
        #[test]
        fn names_hash_as_lower_case(name in "[ -~é]{0,80}") {
            proptest::prop_assert_eq!(name_key(&name), crate::cache::hash(name.to_ascii_lowercase().as_bytes()));
        }
    }

    /// The tree answers from a page's full parse when the run parsed it first, else from
    /// `parse::anchors`: on any text both must name the same anchors, or the output
    /// would depend on the order the pages were linted in. Random Markdown made of the
    /// pieces that make or hide anchors (headings of both kinds, ids, HTML anchors in
    /// and out of headings, code, tables, lists, quotes, front matter, a BOM).
    #[test]
    fn a_page_parsed_in_full_names_the_anchors_parse_anchors_names() {
        use proptest::prelude::*;
        let piece = prop::sample::select(vec![
            "# ",
            "## ",
            "### ",
            "#",
            "####### ",
            "Title",
            " Two Words",
            " `code`",
            " *em*",
            " [link](x.md)",
            " &amp;",
            " \\#",
            " {#own-id}",
            " {#Own}",
            "{.class}",
            " <br>",
            "<BR/>",
            " <a name=\"n1\"></a>",
            "<a id='I2'>",
            "<a name=n3>",
            "<A NAME=\"Up\"></A>",
            "<div id=\"d\">",
            "<!-- <a name=\"c\"> -->",
            "\n",
            "\n\n",
            "\n===",
            "\n---",
            "\n---\ntitle: x\n---\n",
            "```\n",
            "~~~\n",
            "    ",
            "> ",
            "- ",
            "1. ",
            "| a | b |\n|---|---|\n| ",
            " | ",
            "\t",
            "é",
            "日本",
            "\u{feff}",
            "<",
            ">",
            "`",
            "*",
            "_",
            "\\",
        ]);
        let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(4096));
        runner
            .run(&prop::collection::vec(piece, 0..40), |pieces| {
                let text = pieces.concat();
                let full: Vec<String> = crate::parse::parse(&text).anchors.into_iter().map(|a| a.name).collect();
                prop_assert_eq!(crate::parse::anchors(&text), full, "{:?}", text);
                Ok(())
            })
            .expect("the full parse and parse::anchors name the same anchors");
    }

    /// Without `broken-anchor`, nobody asks: a parsed page's anchors are not kept.
    #[test]
    fn nothing_is_kept_for_a_disabled_rule() {
        let dir = tempfile::tempdir().unwrap();
        let tree = Tree::new(dir.path(), &Settings::only(crate::rules::RuleId::StaleLink));
        tree.parsed("a.md", ["intro"]);
        assert_eq!(tree.has_anchor("a.md", "intro"), None);
    }
}

/// How much git history a run had (`summary.history`): staleness without history (an
/// exported tree) or with part of it (a shallow clone) is said, never passed silently.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum HistoryState {
    None,
    Shallow,
    #[default]
    Full,
}

impl HistoryState {
    pub fn as_str(self) -> &'static str {
        match self {
            HistoryState::None => "none",
            HistoryState::Shallow => "shallow",
            HistoryState::Full => "full",
        }
    }

    /// What a run without full history says once, on stderr and in the human summary.
    pub fn warning(self) -> Option<&'static str> {
        match self {
            HistoryState::None => Some(
                "warning: no git history here, so `stale-translation` could not tell which source version \
                 translations were made from; run in a git checkout",
            ),
            HistoryState::Shallow => Some(
                "warning: shallow git clone: translations made before its first commit cannot be dated; \
                 fetch the whole history (`git fetch --unshallow`, or `fetch-depth: 0` in actions/checkout)",
            ),
            HistoryState::Full => None,
        }
    }
}
