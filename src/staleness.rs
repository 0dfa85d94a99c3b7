//! `locdrift diff TRANSLATION` and `locdrift stamp TRANSLATION...`: what a translator must
//! carry over since the translation's sync point, and recording a new sync point once
//! they have.
//!
//! Both find the translation's source as `check` pairs it, and ask git through the same
//! `workspace::Tree` a check uses, rooted at the top of the work tree (paths in git's
//! history are relative to it).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::check::{self, Request};
use crate::finding::Finding;
use crate::rules::{RuleId, Workspace};
use crate::settings::Settings;
use crate::sync::{self, Change, SyncPoint};
use crate::workspace::Tree;

/// Rules whose findings mean the translation's structure differs from its source's:
/// `stamp` refuses to record a sync point over them (the translation would claim a
/// version it does not match).
const STRUCTURAL: &[RuleId] = &[
    RuleId::TableMissing,
    RuleId::TableExtra,
    RuleId::ColumnCount,
    RuleId::RowMissing,
    RuleId::RowExtra,
    RuleId::RowOrder,
    RuleId::FlagMismatch,
    RuleId::ValueMismatch,
    RuleId::NumberMismatch,
    RuleId::MarkerMismatch,
    RuleId::MissingNote,
    RuleId::ExtraNote,
    RuleId::NoteKindMismatch,
    RuleId::StaleLink,
    RuleId::MissingLink,
    RuleId::ExtraLink,
    RuleId::IncludeMismatch,
    RuleId::HeadingMismatch,
    RuleId::CodeMismatch,
    RuleId::ImageMismatch,
    RuleId::BlockMissing,
    RuleId::BlockExtra,
    RuleId::CommandMismatch,
    RuleId::DirectiveMismatch,
    RuleId::UntranslatedPage,
];

/// A translation and its source, as `check` paired them, with their places in git.
struct Pair {
    translation: PathBuf,
    source: PathBuf,
    /// The top of the work tree, and both paths relative to it.
    top: PathBuf,
    tr_rel: String,
    src_rel: String,
    settings: Settings,
    /// The findings of a check of this pair (all enabled rules).
    findings: Vec<Finding>,
}

fn pair(path: &Path, config: Option<&Path>) -> Result<Pair, String> {
    if !path.is_file() {
        return Err(format!("{}: no such file", path.display()));
    }
    let request =
        Request { paths: vec![path.to_path_buf()], config: config.map(Path::to_path_buf), ..Request::default() };
    let outcome = check::run(&request).map_err(|e| match e {
        check::CheckError::Config(e) => format!("{:?}", miette::Report::new(e)),
        check::CheckError::Usage(m) => m,
    })?;
    let wanted = path.canonicalize().map_err(|e| format!("{}: {e}", path.display()))?;
    let found = outcome
        .translations
        .iter()
        .find(|t| !t.orphan && t.file.canonicalize().is_ok_and(|f| f == wanted))
        .ok_or_else(|| format!("{}: not a translation with a source (see `locdrift check`)", path.display()))?;
    let top = git_top(path).ok_or_else(|| format!("{}: not in a git work tree", path.display()))?;
    let rel = |p: &Path| -> Result<String, String> {
        let abs = p.canonicalize().map_err(|e| format!("{}: {e}", p.display()))?;
        let rel = abs.strip_prefix(&top).map_err(|_| format!("{}: outside {}", p.display(), top.display()))?;
        Ok(crate::discover::to_slash(rel))
    };
    let config_file = config.map(Path::to_path_buf).or_else(|| crate::config::find(path));
    let settings = match config_file {
        Some(file) => crate::config::load(&file).map_err(|e| format!("{:?}", miette::Report::new(e)))?.settings,
        None => Settings::default(),
    };
    let findings = outcome.findings.into_iter().filter(|f| f.file == found.file).collect();
    Ok(Pair {
        tr_rel: rel(&found.file)?,
        src_rel: rel(&found.source_file)?,
        translation: found.file.clone(),
        source: found.source_file.clone(),
        top,
        settings,
        findings,
    })
}

fn git_top(path: &Path) -> Option<PathBuf> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["rev-parse", "--show-toplevel"])
        .stderr(Stdio::null())
        .output()
        .ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    out.status.success().then(|| PathBuf::from(text.trim())).and_then(|p| p.canonicalize().ok())
}

/// The stamp a translation carries: its key and value.
fn stamp_of<'d>(doc: &'d crate::model::Doc, settings: &Settings) -> Option<(&'d str, &'d str)> {
    settings.options.stamp_keys.iter().find_map(|k| doc.front_matter.get(k).map(|e| (e.key.as_str(), e.value.trim())))
}

/// What `diff` found: the sync point and the meaningful changes since.
pub struct Diff {
    pub text: String,
    pub changes: usize,
}

/// `locdrift diff`: the source's meaningful changes since the translation's sync point,
/// as a unified diff of the source (hunks with only cosmetic changes left out), each
/// hunk headed by its section.
pub fn diff(path: &Path, config: Option<&Path>, color: bool) -> Result<Diff, String> {
    let p = pair(path, config)?;
    let tr_text = crate::workspace::read_text(&p.translation, u64::MAX)?;
    let src_text = crate::workspace::read_text(&p.source, u64::MAX)?;
    let (tr, src) = (crate::parse::parse(&tr_text), crate::parse::parse(&src_text));
    let signature = sync::signature(&tr, &tr_text);
    let tree = Tree::new(&p.top, &p.settings);
    let stamp = stamp_of(&tr, &p.settings).map(|(_, v)| v);
    let point: Option<SyncPoint> = if stamp.is_none() && sync::signature(&src, &src_text) == signature {
        None
    } else {
        // A stamp git does not know (another repository's commit) is no sync point.
        let found = tree
            .sync_point(&p.src_rel, &p.tr_rel, &signature, stamp)
            .or_else(|| stamp.and_then(|_| tree.sync_point(&p.src_rel, &p.tr_rel, &signature, None)));
        if found.is_none() && tree.history_state() != check::HistoryState::Full {
            return Err(format!(
                "{}: {}",
                path.display(),
                tree.history_state().warning().unwrap_or("no history to find the sync point in")
            ));
        }
        found
    };
    let Some(point) = point else {
        return Ok(Diff {
            text: format!(
                "{}: up to date with {}\n",
                crate::render::show_path(&p.translation),
                crate::render::show_path(&p.source)
            ),
            changes: 0,
        });
    };
    let changes = point.changes(&src, &src_text);
    if changes.is_empty() {
        return Ok(Diff {
            text: format!(
                "{}: no meaningful change in {} since {} ({})\n",
                crate::render::show_path(&p.translation),
                crate::render::show_path(&p.source),
                sync::date(point.time),
                short(&point.commit)
            ),
            changes: 0,
        });
    }
    let name = crate::render::show_path(&p.source);
    let header = format!(
        "--- a/{name}\t({} {}, the sync point of {})\n+++ b/{name}\t(now)\n",
        short(&point.commit),
        sync::date(point.time),
        crate::render::show_path(&p.translation)
    );
    let body = hunks(&point.text, &src_text, &changes, color);
    let paint = |s: &str, code: &str| if color { format!("\x1b[{code}m{s}\x1b[0m") } else { s.to_string() };
    let mut text = String::new();
    for line in header.lines() {
        text.push_str(&paint(line, "1"));
        text.push('\n');
    }
    text.push_str(&body);
    Ok(Diff { text, changes: changes.len() })
}

fn short(commit: &str) -> &str {
    &commit[..commit.len().min(7)]
}

/// The line range (0-based, end exclusive) a byte span covers.
fn lines_of(text: &str, span: crate::finding::Span) -> (usize, usize) {
    let start = text[..span.start.min(text.len())].matches('\n').count();
    let end = text[..span.end.min(text.len())].matches('\n').count() + 1;
    (start, end.max(start + 1))
}

/// Lines of unchanged context around a hunk.
const CONTEXT: usize = 3;

/// The hunks of a line diff from `old` to `new` made of the edits that touch a
/// meaningful change, each headed by the section of the change. An edit that touches
/// none (a reflowed paragraph, a link spelled anew) is left out, and splits the hunks
/// around it: what is shown is exactly what must be carried over.
fn hunks(old: &str, new: &str, changes: &[Change], color: bool) -> String {
    use similar::DiffTag;
    let diff = similar::TextDiff::from_lines(old, new);
    let (old_lines, new_lines) = (diff.old_slices(), diff.new_slices());
    type Lines = Option<(usize, usize)>;
    let touched: Vec<(Lines, Lines, &str)> = changes
        .iter()
        .map(|c| (c.old.map(|s| lines_of(old, s)), c.new.map(|s| lines_of(new, s)), c.section.as_str()))
        .collect();
    let overlaps = |r: std::ops::Range<usize>, l: Option<(usize, usize)>| {
        l.is_some_and(|(a, b)| r.start < b && a < r.end.max(r.start + 1))
    };
    let ops = diff.ops();
    // The section of each edit that touches a meaningful change.
    let kept: Vec<Option<&str>> = ops
        .iter()
        .map(|op| {
            if op.tag() == DiffTag::Equal {
                return None;
            }
            touched
                .iter()
                .find(|(a, b, _)| overlaps(op.old_range(), *a) || overlaps(op.new_range(), *b))
                .map(|(_, _, s)| *s)
        })
        .collect();
    let paint = |s: String, code: &str| if color { format!("\x1b[{code}m{s}\x1b[0m") } else { s };
    let mut out = String::new();
    let mut i = 0;
    while i < ops.len() {
        let Some(section) = kept[i] else {
            i += 1;
            continue;
        };
        // The kept edits of this hunk, joined across short unchanged stretches.
        let mut last = i;
        while last + 2 < ops.len()
            && ops[last + 1].tag() == DiffTag::Equal
            && ops[last + 1].old_range().len() <= 2 * CONTEXT
            && kept[last + 2].is_some()
        {
            last += 2;
        }
        let before = match i.checked_sub(1).map(|k| &ops[k]) {
            Some(op) if op.tag() == DiffTag::Equal => op.old_range().len().min(CONTEXT),
            _ => 0,
        };
        let after = match ops.get(last + 1) {
            Some(op) if op.tag() == DiffTag::Equal => op.old_range().len().min(CONTEXT),
            _ => 0,
        };
        let (os, oe) = (ops[i].old_range().start - before, ops[last].old_range().end + after);
        let (ns, ne) = (ops[i].new_range().start - before, ops[last].new_range().end + after);
        let title = if section.is_empty() { String::new() } else { format!(" {section}") };
        out.push_str(&paint(format!("@@ -{},{} +{},{} @@{title}", os + 1, oe - os, ns + 1, ne - ns), "36"));
        out.push('\n');
        let mut line = |sign: char, text: &str, code: &str| {
            let shown = format!("{sign}{}", text.trim_end_matches(['\n', '\r']));
            out.push_str(&if code.is_empty() { shown } else { paint(shown, code) });
            out.push('\n');
            if !text.ends_with('\n') {
                out.push_str("\\ No newline at end of file\n");
            }
        };
        for text in &old_lines[os..ops[i].old_range().start] {
            line(' ', text, "");
        }
        for op in &ops[i..=last] {
            if op.tag() == DiffTag::Equal {
                for k in op.old_range() {
                    line(' ', old_lines[k], "");
                }
                continue;
            }
            for k in op.old_range() {
                line('-', old_lines[k], "31");
            }
            for k in op.new_range() {
                line('+', new_lines[k], "32");
            }
        }
        for text in &old_lines[ops[last].old_range().end..oe] {
            line(' ', text, "");
        }
        i = last + 1;
    }
    out
}

/// The meaningful hunks of a source since `commit` (a stale translation's sync point),
/// for the report's page view; None when git cannot tell.
pub fn source_diff(source: &Path, commit: &str) -> Option<String> {
    let top = git_top(source)?;
    let rel = crate::discover::to_slash(source.canonicalize().ok()?.strip_prefix(&top).ok()?);
    let settings = Settings::default();
    let point = Tree::new(&top, &settings).sync_point_at(&rel, commit)?;
    let text = crate::workspace::read_text(source, u64::MAX).ok()?;
    let changes = point.changes(&crate::parse::parse(&text), &text);
    (!changes.is_empty()).then(|| hunks(&point.text, &text, &changes, false))
}

/// What `stamp` did to one translation.
pub struct Stamped {
    pub file: PathBuf,
    pub key: String,
    pub commit: String,
}

/// `locdrift stamp`: records the source's current commit (the last one that changed it)
/// in the translation's front matter. Refuses a translation whose structure differs
/// from its source's (unless `force`), a source with uncommitted changes, and a
/// translation whose front matter does not parse.
pub fn stamp(path: &Path, config: Option<&Path>, force: bool) -> Result<Stamped, String> {
    let p = pair(path, config)?;
    let shown = crate::render::show_path(&p.translation);
    let drift: Vec<&Finding> = p.findings.iter().filter(|f| STRUCTURAL.contains(&f.rule)).collect();
    if !drift.is_empty() && !force {
        let mut rules: Vec<&str> = drift.iter().map(|f| f.rule.name()).collect();
        rules.dedup();
        return Err(format!(
            "{shown}: not stamped: {} structural {} ({}); the translation does not match its source yet \
             (`locdrift check {shown}`), or pass --force",
            drift.len(),
            if drift.len() == 1 { "difference" } else { "differences" },
            rules.join(", ")
        ));
    }
    let tree = Tree::new(&p.top, &p.settings);
    let dirty = Command::new("git")
        .arg("-C")
        .arg(&p.top)
        .args(["diff", "--quiet", "HEAD", "--", &p.src_rel])
        .stderr(Stdio::null())
        .status()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !dirty.success() && !force {
        return Err(format!(
            "{shown}: not stamped: the source {} has uncommitted changes; commit them first (or pass --force to \
             record its last commit)",
            crate::render::show_path(&p.source)
        ));
    }
    let commit = tree
        .versions(&p.src_rel)
        .first()
        .map(|v| v.commit.id.clone())
        .ok_or_else(|| format!("{shown}: not stamped: the source has no commit yet"))?;
    let text = std::fs::read_to_string(&p.translation).map_err(|e| format!("{shown}: {e}"))?;
    let doc = crate::parse::parse(&text);
    let key = stamp_of(&doc, &p.settings)
        .map(|(k, _)| k.to_string())
        .or_else(|| p.settings.options.stamp_keys.first().cloned())
        .unwrap_or_else(|| crate::settings::STAMP_KEYS[0].to_string());
    let stamped = with_stamp(&text, &doc, &key, &commit)
        .ok_or_else(|| format!("{shown}: not stamped: its front matter does not parse (see `locdrift check`)"))?;
    if stamped != text {
        crate::atomic::write(&p.translation, stamped.as_bytes()).map_err(|e| format!("{shown}: cannot write: {e}"))?;
    }
    Ok(Stamped { file: p.translation, key, commit })
}

/// The text with `key: commit` in its front matter: the value replaced where the key is,
/// else a line added at the end of the front matter (`a:` then `  b:` for a dotted key
/// `a.b` whose parent is absent), else a front matter made for it. Every other byte is
/// kept. None for front matter that does not parse.
pub fn with_stamp(text: &str, doc: &crate::model::Doc, key: &str, commit: &str) -> Option<String> {
    use crate::model::FrontMatter;
    let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
    match &doc.front_matter {
        FrontMatter::Invalid { .. } => None,
        FrontMatter::Absent => {
            let bom = if text.starts_with('\u{feff}') { "\u{feff}" } else { "" };
            let body = &text[bom.len()..];
            Some(format!("{bom}---{eol}{}{eol}---{eol}{body}", line_for(key, commit, eol)))
        }
        FrontMatter::Valid { span, .. } => {
            if let Some(entry) = doc.front_matter.get(key) {
                let s = entry.span;
                let old = entry.value.trim();
                let within = &text[s.start..s.end];
                let at = if old.is_empty() { None } else { within.rfind(old) };
                let mut out = String::with_capacity(text.len() + 48);
                match at {
                    Some(i) => {
                        out.push_str(&text[..s.start + i]);
                        out.push_str(commit);
                        out.push_str(&text[s.start + i + old.len()..]);
                    }
                    None => {
                        // An empty value: the key's own line is `key:`.
                        out.push_str(&text[..s.end]);
                        out.push(' ');
                        out.push_str(commit);
                        out.push_str(&text[s.end..]);
                    }
                }
                return Some(out);
            }
            // The closing `---` line of the front matter.
            let block = &text[span.start..span.end];
            let close = block.trim_end().rfind(['\n']).map(|i| span.start + i + 1)?;
            if let Some((parent, child)) = key.split_once('.') {
                let parent_line = format!("{parent}:");
                let mut at = span.start;
                for line in text[span.start..close].split_inclusive('\n') {
                    if line.trim_end() == parent_line {
                        let insert = at + line.len();
                        return Some(format!("{}  {child}: {commit}{eol}{}", &text[..insert], &text[insert..]));
                    }
                    at += line.len();
                }
            }
            Some(format!("{}{}{eol}{}", &text[..close], line_for(key, commit, eol), &text[close..]))
        }
    }
}

/// The front-matter line(s) that record `key: commit`; a dotted key nests.
fn line_for(key: &str, commit: &str, eol: &str) -> String {
    match key.split_once('.') {
        Some((parent, child)) => format!("{parent}:{eol}  {child}: {commit}"),
        None => format!("{key}: {commit}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamped(text: &str, key: &str) -> String {
        let doc = crate::parse::parse(text);
        with_stamp(text, &doc, key, "abc1234").unwrap()
    }

    #[test]
    fn a_stamp_keeps_every_other_byte() {
        assert_eq!(stamped("# T\n", "default_lang_commit"), "---\ndefault_lang_commit: abc1234\n---\n# T\n");
        assert_eq!(stamped("\u{feff}# T\r\n", "x"), "\u{feff}---\r\nx: abc1234\r\n---\r\n# T\r\n");
        assert_eq!(stamped("---\ntitle: T # c\n---\n# T\n", "x"), "---\ntitle: T # c\nx: abc1234\n---\n# T\n");
        assert_eq!(stamped("---\nx: 0123456\ntitle: T\n---\n", "x"), "---\nx: abc1234\ntitle: T\n---\n");
        assert_eq!(
            stamped("---\nl10n:\n  a: b\n---\n", "l10n.sourceCommit"),
            "---\nl10n:\n  sourceCommit: abc1234\n  a: b\n---\n"
        );
        assert_eq!(
            stamped("---\ntitle: T\n---\n", "l10n.sourceCommit"),
            "---\ntitle: T\nl10n:\n  sourceCommit: abc1234\n---\n"
        );
        let doc = crate::parse::parse("---\n: [\n---\n");
        assert_eq!(with_stamp("---\n: [\n---\n", &doc, "x", "abc1234"), None);
    }
}
