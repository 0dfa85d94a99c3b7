//! What git knows that staleness needs: a source's versions across renames (`Versions`,
//! their texts from one `git cat-file --batch`: `Blobs`), whether a path changed since a
//! recorded stamp (`changed_since`, then the commit graph: `Graph`), where a deleted
//! source went (`Versions::renamed_to`), and whether the clone is shallow (`state`).
//! Nothing is kept between runs here: the cache records the answers (`Asked::Sync`,
//! `Asked::ChangedSince`) with HEAD.
//!
//! A stamp question counts commits the same way through git and through the graph, so
//! they agree: merges do not count (they bring changes made elsewhere), and side branches
//! are not simplified away.
//!
//! `git log` is read with `-z`: without it, paths with non-ASCII characters come quoted
//! and never match. `--full-history` keeps git from skipping a side branch whose merge
//! left a path as the other parent had it, which would make the answer depend on the
//! pathspec.

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

/// Above this many paths, reading the history of the named paths only is not worth it:
/// git matches every changed path of every commit against each of them. Measured on
/// 20,000 commits (bench/git-history.sh; the whole history takes 1.2-1.3 s there), for
/// random paths: 13 paths 0.25 s, 25 0.41-0.61 s, 32 0.46-0.78 s, 50 0.73 s, 100 2.4 s.
pub const FEW_PATHS: usize = 32;
/// How many `changed_since` questions a run asks git one at a time before it reads the
/// commit graph once (`Graph`). On 20,000 commits one question takes 7 ms for a recent
/// stamp and 140 ms for one 15,000 commits old, the whole graph about 1 s
/// (bench/git-history.sh's repository).
pub const ASK_ONE_BY_ONE: usize = 16;

/// Where a history is: the checkout's HEAD commit and the root's place in the repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub commit: String,
    /// The root relative to the top of the work tree (`git rev-parse --show-prefix`),
    /// empty at the top: a stored history is for one root.
    pub prefix: String,
    /// A shallow clone (`git rev-parse --is-shallow-repository`): versions before its
    /// boundary are missing.
    pub shallow: bool,
}

impl Head {
    /// HEAD of the repository the root is in; None outside a repository, in one without
    /// commits, or without git. One `rev-parse` answers the three questions: it is all a
    /// warm run at the same HEAD asks git.
    pub fn of(root: &Path) -> Option<Head> {
        let out = git(root)
            .args(["rev-parse", "HEAD", "--show-prefix", "--is-shallow-repository"])
            .stderr(Stdio::null())
            .output()
            .ok()?;
        if !out.status.success() {
            return None;
        }
        let text = String::from_utf8(out.stdout).ok()?;
        let mut lines = text.split('\n');
        let commit = lines.next()?.trim().to_string();
        let prefix = lines.next().unwrap_or("").to_string();
        let shallow = lines.next() == Some("true");
        is_commit_id(&commit).then_some(Head { commit, prefix, shallow })
    }
}

fn git(root: &Path) -> Command {
    let mut cmd = Command::new("git");
    // Paths are paths, not patterns: a file named `*.md` or `:x` means itself.
    cmd.arg("-C").arg(root).arg("--literal-pathspecs");
    cmd
}

fn is_commit_id(text: &str) -> bool {
    matches!(text.len(), 40 | 64) && text.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Whether `rel` changed in `commit..HEAD` (a translation's source stamp, such as
/// `l10n.sourceCommit`), asked of git for this one question: a commit that is not an
/// ancestor of `commit` and changes the path. Counted as `History` counts: merges do not
/// count and side branches are not simplified away, so this and `Graph::changed_since`
/// agree. None when git cannot tell (an unknown commit, no repository).
pub fn changed_since(root: &Path, rel: &str, commit: &str) -> Option<bool> {
    let out = git(root)
        .args(["log", "--format=%H", "-1", "--no-merges", "--full-history"])
        .arg(format!("{commit}..HEAD"))
        .arg("--")
        .arg(rel)
        .stderr(Stdio::null())
        .output()
        .ok()?;
    out.status.success().then(|| !out.stdout.iter().all(u8::is_ascii_whitespace))
}

/// The commits reachable from HEAD with their parents, and the non-merge commits that
/// change each path under the root: every `changed_since` question of a run answered
/// from one walk of the history. A question costs one `git log` of its own (tens of
/// milliseconds to over a hundred on 20,000 commits, growing with the stamp's age), so a
/// tree whose translations all carry a stamp asked git thousands of times.
pub struct Graph {
    /// Commit ids, sorted, with their index: abbreviated stamps are unique prefixes.
    ids: Vec<(String, u32)>,
    parents: Vec<Vec<u32>>,
    /// One more than the largest generation of a parent: an ancestor's is always smaller.
    generation: Vec<u32>,
    /// Root-relative path -> the commits that change it.
    touched: HashMap<String, Vec<u32>>,
}

impl Graph {
    /// Reads the history of HEAD in one `git log`. None when git fails.
    pub fn load(root: &Path) -> Option<Graph> {
        let mut cmd = git(root);
        // Every commit, children before parents (`--topo-order`), so that generations
        // follow in one backward pass; merges list no paths, which is how they do not count.
        cmd.args(["log", "-z", "--topo-order", "--format=%x01%x02%H %P", "--name-only", "--no-renames", "--relative"]);
        cmd.arg("HEAD");
        let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::null()).spawn().ok()?;
        let mut log = LogReader::new(child.stdout.take()?);
        let mut commits: Vec<(String, Vec<String>)> = Vec::new();
        let mut touched: HashMap<String, Vec<u32>> = HashMap::new();
        while let Some(record) = log.next().ok()? {
            match record {
                Record::Commit(header) => {
                    let mut words = std::str::from_utf8(header).ok()?.split_whitespace().map(String::from);
                    let id = words.next()?;
                    commits.push((id, words.collect()));
                }
                Record::Path(name) => {
                    if let Some(index) = commits.len().checked_sub(1) {
                        touched.entry(name.to_string()).or_default().push(index as u32);
                    }
                }
            }
        }
        drop(log);
        if !child.wait().ok()?.success() {
            return None;
        }
        let mut ids: Vec<(String, u32)> =
            commits.iter().enumerate().map(|(i, (id, _))| (id.clone(), i as u32)).collect();
        ids.sort_unstable();
        let find = |id: &str| ids.binary_search_by(|(k, _)| k.as_str().cmp(id)).ok().map(|k| ids[k].1);
        // A parent missing from the walk (a shallow clone) is left out.
        let parents: Vec<Vec<u32>> =
            commits.iter().map(|(_, parents)| parents.iter().filter_map(|p| find(p)).collect()).collect();
        let mut generation = vec![0u32; commits.len()];
        for i in (0..commits.len()).rev() {
            generation[i] = 1 + parents[i].iter().map(|&p| generation[p as usize]).max().unwrap_or(0);
        }
        Some(Graph { ids, parents, generation, touched })
    }

    /// `changed_since` for a commit of this graph, given by its id or a unique prefix of
    /// it; None for any other (not reachable from HEAD, ambiguous, unknown), which the
    /// caller asks git about.
    pub fn changed_since(&self, rel: &str, commit: &str) -> Option<bool> {
        let start = self.ids.partition_point(|(k, _)| k.as_str() < commit);
        let mut matching = self.ids[start..].iter().take_while(|(k, _)| k.starts_with(commit));
        let (_, stamp) = *matching.next()?;
        if matching.next().is_some() {
            return None;
        }
        let Some(touching) = self.touched.get(rel) else { return Some(false) };
        Some(touching.iter().any(|&c| c != stamp && !self.reaches(stamp, c)))
    }

    /// Whether `to` is an ancestor of `from`. Only commits of a generation above `to`'s
    /// can lead to it, so the search never goes below that.
    fn reaches(&self, from: u32, to: u32) -> bool {
        let floor = self.generation[to as usize];
        if self.generation[from as usize] <= floor {
            return false;
        }
        let mut seen = HashSet::new();
        let mut stack = vec![from];
        while let Some(n) = stack.pop() {
            for &p in &self.parents[n as usize] {
                if p == to {
                    return true;
                }
                if self.generation[p as usize] > floor && seen.insert(p) {
                    stack.push(p);
                }
            }
        }
        false
    }
}

/// One record of `git log -z --format=%x01%x02… --name-only`: a commit's header (what
/// its format puts after `\x01\x02`), or one path it changes. Paths that are not UTF-8,
/// or empty, are skipped: no walked file has such a name.
enum Record<'a> {
    Commit(&'a [u8]),
    Path(&'a str),
}

/// Reads `Record`s from git's output, one NUL-terminated record at a time.
struct LogReader<R> {
    reader: BufReader<R>,
    record: Vec<u8>,
}

impl<R: std::io::Read> LogReader<R> {
    fn new(out: R) -> LogReader<R> {
        LogReader { reader: BufReader::with_capacity(1 << 16, out), record: Vec::new() }
    }

    /// The next record; `Ok(None)` at the end of the output.
    fn next(&mut self) -> std::io::Result<Option<Record<'_>>> {
        // The loop only decides which record to return; the borrow is taken after it,
        // which a borrow returned from inside the loop would not allow.
        let path_start = loop {
            self.record.clear();
            if self.reader.read_until(0, &mut self.record)? == 0 {
                return Ok(None);
            }
            if self.record.last() == Some(&0) {
                self.record.pop();
            }
            // The header's record is the format's line; each path follows in its own,
            // the first after a newline.
            if self.record.starts_with(b"\x01\x02") {
                break None;
            }
            let start = usize::from(self.record.first() == Some(&b'\n'));
            if self.record.len() > start && std::str::from_utf8(&self.record[start..]).is_ok() {
                break Some(start);
            }
        };
        Ok(Some(match path_start {
            None => Record::Commit(&self.record[2..]),
            Some(start) => Record::Path(std::str::from_utf8(&self.record[start..]).expect("checked in the loop")),
        }))
    }
}

/// Whether the checkout's history can answer staleness questions, as `summary.history`
/// says: `full`, `shallow` (a shallow clone: versions before its boundary are missing)
/// or `none` (no repository, no commits, or no git).
pub fn state(head: Option<&Head>) -> &'static str {
    match head {
        None => "none",
        Some(h) if h.shallow => "shallow",
        Some(_) => "full",
    }
}

/// One commit of a walk: its id, committer time, and whether its message carries a
/// keyword that marks it as not needing translation (`[skip l10n]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commit {
    pub id: String,
    pub time: i64,
    pub skip: bool,
}

/// What one commit did to one path.
#[derive(Debug, Clone)]
struct Event {
    commit: std::sync::Arc<Commit>,
    /// Position in the walk (0 for the newest): git lists children before parents.
    seq: u32,
    /// The path's blob after the commit; None when the commit deleted it.
    blob: Option<String>,
    /// The path it was renamed from, for a rename.
    from: Option<String>,
    /// The commit created the path (added, or renamed into it).
    created: bool,
}

/// One version of a file: the commit that made it and its blob.
#[derive(Debug, Clone)]
pub struct Version {
    pub commit: std::sync::Arc<Commit>,
    pub blob: String,
    /// The file's path in that version (it differs before a rename).
    pub path: String,
}

/// Every path's versions, read from the history of HEAD in one `git log --raw` with
/// rename detection (or, for a run on a few files, from `git log --follow` of one path):
/// what sync points are inferred from.
#[derive(Debug, Default)]
pub struct Versions {
    events: HashMap<String, Vec<Event>>,
    /// Every commit of the walk, sorted by id, to find a stamp by its (abbreviated) id.
    commits: Vec<std::sync::Arc<Commit>>,
}

impl Versions {
    /// The whole history of HEAD under the root, or with `path` that path's history
    /// across renames (`--follow`). None when git fails.
    pub fn load(root: &Path, keywords: &[String], path: Option<&str>) -> Option<Versions> {
        let mut cmd = git(root);
        // `%B` is the whole message: keywords and trailers (`L10n: skip`) live in its body.
        cmd.args([
            "log",
            "-z",
            "--raw",
            "--no-abbrev",
            "-M",
            "--full-history",
            "--format=%x01%x02%H %ct%n%B",
            "--relative",
        ]);
        cmd.arg("HEAD");
        match path {
            Some(p) => cmd.args(["--follow", "--", p]),
            None => cmd.args(["--", "."]),
        };
        let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::null()).spawn().ok()?;
        let mut reader = BufReader::with_capacity(1 << 16, child.stdout.take()?);
        let mut versions = Versions::default();
        let mut record = Vec::new();
        let mut commit: Option<std::sync::Arc<Commit>> = None;
        let mut seq = 0u32;
        // A raw entry's meta line (`:100644 100644 OLD NEW M`) is followed by one path,
        // or by two for a rename or copy.
        let mut pending: Option<(String, char)> = None;
        let mut renamed_from: Option<String> = None;
        loop {
            record.clear();
            if reader.read_until(0, &mut record).ok()? == 0 {
                break;
            }
            if record.last() == Some(&0) {
                record.pop();
            }
            if pending.is_none() && record.starts_with(b"\x01\x02") {
                let text = String::from_utf8_lossy(&record[2..]);
                let (line, message) = text.split_once('\n').unwrap_or((&text, ""));
                let (id, time) = line.split_once(' ')?;
                let skip = keywords.iter().any(|k| !k.is_empty() && message.contains(k.as_str()));
                let c = std::sync::Arc::new(Commit { id: id.to_string(), time: time.trim().parse().ok()?, skip });
                versions.commits.push(std::sync::Arc::clone(&c));
                commit = Some(c);
                seq += 1;
                continue;
            }
            let body = record.strip_prefix(b"\n").unwrap_or(&record);
            match pending.take() {
                None => {
                    // The meta line: `:mode mode old new status`.
                    let meta = std::str::from_utf8(body).ok()?;
                    let mut words = meta.split(' ');
                    let new = words.nth(3)?.to_string();
                    let status = words.next()?.chars().next()?;
                    pending = Some((new, status));
                }
                Some((new, status)) => {
                    let name = String::from_utf8_lossy(body).into_owned();
                    if matches!(status, 'R' | 'C') && renamed_from.is_none() {
                        renamed_from = Some(name);
                        pending = Some((new, status));
                        continue;
                    }
                    let from = renamed_from.take();
                    let Some(c) = commit.as_ref() else { continue };
                    let deleted = status == 'D';
                    let event = Event {
                        commit: std::sync::Arc::clone(c),
                        seq,
                        blob: (!deleted).then_some(new),
                        // A copy leaves its origin in place: the new path starts there.
                        created: matches!(status, 'A' | 'R' | 'C'),
                        from: from.filter(|_| status == 'R' || status == 'C'),
                    };
                    versions.events.entry(name).or_default().push(event);
                }
            }
        }
        drop(reader);
        if !child.wait().ok()?.success() {
            return None;
        }
        versions.commits.sort_by(|a, b| a.id.cmp(&b.id));
        Some(versions)
    }

    /// The versions of the file at `rel`, newest first, following renames back to where
    /// it was created (or to the edge of a shallow clone).
    pub fn of(&self, rel: &str) -> Vec<Version> {
        let mut out = Vec::new();
        let mut path = rel.to_string();
        let mut after = 0u32;
        // A rename cycle (a to b, b to a) is followed once per path.
        let mut seen = HashSet::new();
        while seen.insert(path.clone()) {
            let Some(events) = self.events.get(&path) else { break };
            let mut next = None;
            for e in events.iter().filter(|e| e.seq > after) {
                let Some(blob) = &e.blob else {
                    // Deleted here: what was at this path before is another file.
                    return out;
                };
                out.push(Version { commit: std::sync::Arc::clone(&e.commit), blob: blob.clone(), path: path.clone() });
                if e.created {
                    next = e.from.clone().map(|from| (from, e.seq));
                    break;
                }
            }
            match next {
                Some((from, seq)) => {
                    path = from;
                    after = seq;
                }
                None => break,
            }
        }
        out
    }

    /// The commit a stamp names, by its id or a unique prefix of it.
    pub fn commit(&self, stamp: &str) -> Option<&std::sync::Arc<Commit>> {
        let stamp = stamp.to_ascii_lowercase();
        let start = self.commits.partition_point(|c| c.id.as_str() < stamp.as_str());
        let mut matching = self.commits[start..].iter().take_while(|c| c.id.starts_with(&stamp));
        let found = matching.next()?;
        matching.next().is_none().then_some(found)
    }

    /// Where a file that no longer exists went: the path it was last renamed to (and on
    /// from there), or None when it was deleted or never committed.
    pub fn renamed_to(&self, rel: &str) -> Option<String> {
        let mut path = rel.to_string();
        let mut seen = HashSet::new();
        let mut newest_seq = u32::MAX;
        while seen.insert(path.clone()) {
            // The newest rename away from `path` that is newer than how we got here.
            let next = self
                .events
                .iter()
                .flat_map(|(to, events)| events.iter().map(move |e| (to, e)))
                .filter(|(_, e)| e.from.as_deref() == Some(path.as_str()) && e.seq < newest_seq)
                .min_by_key(|(_, e)| e.seq);
            match next {
                Some((to, e)) => {
                    newest_seq = e.seq;
                    path = to.clone();
                }
                None => break,
            }
        }
        (path != rel).then_some(path)
    }
}

/// Reads blobs by id through one `git cat-file --batch`, kept open for the run.
pub struct Blobs {
    child: std::process::Child,
    stdin: std::process::ChildStdin,
    stdout: BufReader<std::process::ChildStdout>,
}

impl Blobs {
    pub fn open(root: &Path) -> Option<Blobs> {
        let mut child = git(root)
            .args(["cat-file", "--batch"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        let stdin = child.stdin.take()?;
        let stdout = BufReader::new(child.stdout.take()?);
        Some(Blobs { child, stdin, stdout })
    }

    /// The object's bytes (a blob id, or `COMMIT:PATH`); None when git has no such object.
    pub fn read(&mut self, object: &str) -> Option<Vec<u8>> {
        use std::io::{Read, Write};
        if object.contains('\n') {
            return None;
        }
        writeln!(self.stdin, "{object}").ok()?;
        self.stdin.flush().ok()?;
        let mut header = String::new();
        self.stdout.read_line(&mut header).ok()?;
        // `<id> <type> <size>`, or `<object> missing`.
        let mut words = header.split_whitespace();
        let (_, kind, size) = (words.next()?, words.next()?, words.next()?);
        let size: usize = size.parse().ok()?;
        let mut bytes = vec![0; size + 1];
        self.stdout.read_exact(&mut bytes).ok()?;
        bytes.pop();
        (kind == "blob").then_some(bytes)
    }
}

impl Drop for Blobs {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
