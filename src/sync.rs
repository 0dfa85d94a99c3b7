//! Sync points and what changed since: which source version a translation was made from,
//! and how the source changed after it, told apart into meaningful and cosmetic changes.
//!
//! Two views of a document, both pure (no I/O):
//!
//! - `signature`: per block, a hash of what translation does not change (kind, list or
//!   paragraph, heading level and explicit ids, code, numbers, link targets, include
//!   paths, directive arguments). A translation made from a source version has that
//!   version's signature; `closest` picks the newest version the translation matches.
//!   It is this module's own reading of `model::Doc`, kept behind `Signature` so it can
//!   give way to the skeleton's per-block signatures when they land.
//! - `units`: the source's blocks as text with cosmetic differences taken out (emphasis
//!   markers, white space and reflow, link targets spelled differently for the same page,
//!   `{{% %}}` versus `{{< >}}`, heading ids). Two source versions are diffed over these;
//!   whatever still differs is a meaningful change.

use std::hash::{Hash, Hasher};

use crate::finding::Span;
use crate::model::{Block, Doc};

/// The language-neutral signature of a document: one hash per block, in order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Signature(pub Vec<u64>);

impl Signature {
    /// A hash of the whole signature, which is what a cache records.
    pub fn digest(&self) -> u128 {
        let bytes: Vec<u8> = self.0.iter().flat_map(|h| h.to_le_bytes()).collect();
        crate::hash::hash(&bytes)
    }

    /// How alike two signatures are, from 0 to 1: twice the longest common subsequence of
    /// their blocks over their total length. Translators merge and split little of what a
    /// signature holds, so the version a translation was made from scores highest.
    pub fn similarity(&self, other: &Signature) -> f64 {
        let total = self.0.len() + other.0.len();
        if total == 0 {
            return 1.0;
        }
        2.0 * lcs_len(&self.0, &other.0) as f64 / total as f64
    }
}

fn hasher() -> std::collections::hash_map::DefaultHasher {
    // Fixed keys: signatures are compared across processes through the cache.
    std::collections::hash_map::DefaultHasher::new()
}

/// The signature of a parsed document whose text is `text`.
pub fn signature(doc: &Doc, text: &str) -> Signature {
    let mut out = Vec::with_capacity(doc.blocks.len());
    for block in &doc.blocks {
        let mut h = hasher();
        let span = block.span();
        let raw = text.get(span.start..span.end).unwrap_or("");
        match block {
            Block::Heading(b) => {
                ("h", b.level).hash(&mut h);
                for a in b.anchors.iter().filter(|a| a.explicit) {
                    a.name.hash(&mut h);
                }
            }
            Block::Table(t) => {
                ("t", t.columns(), t.rows.len()).hash(&mut h);
                for cell in t.rows.iter().flat_map(|r| &r.cells) {
                    for l in &cell.links {
                        l.key.hash(&mut h);
                    }
                    for n in crate::parse::numbers(&cell.text, text, cell.raw) {
                        digits(&n.text).hash(&mut h);
                    }
                }
            }
            Block::Alert(a) => {
                ("a", a.kind.as_str()).hash(&mut h);
                for n in &a.numbers {
                    digits(&n.text).hash(&mut h);
                }
            }
            Block::Include(i) => ("i", &i.path).hash(&mut h),
            Block::Code(c) => ("c", &c.lang, code_key(&c.text)).hash(&mut h),
            Block::Paragraph(p) => {
                (if is_list_item(text, span) { "l" } else { "p" }).hash(&mut h);
                for n in crate::parse::paragraph_numbers(p, text) {
                    digits(&n.text).hash(&mut h);
                }
                for span in inline_code(raw) {
                    placeholders_out(span).hash(&mut h);
                }
                for arg in directive_args(raw) {
                    arg.hash(&mut h);
                }
            }
        }
        if !matches!(block, Block::Table(_)) {
            for l in doc.links.iter().filter(|l| span.contains(l.span)) {
                page_key(&l.key).hash(&mut h);
            }
        }
        out.push(h.finish());
    }
    Signature(out)
}

/// The digits of a number as written: `1,5` and `1.5` differ only by locale.
fn digits(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

/// Code as translation leaves it: comment lines (translated) and placeholders
/// (`{{path/to/file}}`, localized in tldr) taken out, white space collapsed.
fn code_key(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    for line in code.lines() {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') || t.starts_with("//") || t.starts_with("<!--") {
            continue;
        }
        let t = t.split(" # ").next().unwrap_or(t);
        out.push_str(&placeholders_out(t).split_whitespace().collect::<Vec<_>>().join(" "));
        out.push('\n');
    }
    out
}

/// `{{anything}}` as `{{}}`: command placeholders are translated.
fn placeholders_out(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = memchr::memmem::find(rest.as_bytes(), b"{{") {
        out.push_str(&rest[..i + 2]);
        match rest[i + 2..].find("}}") {
            Some(j) => rest = &rest[i + 2 + j..],
            None => {
                rest = &rest[i + 2..];
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The inline code spans of a block's text (single backticks; good enough for what a
/// signature needs).
fn inline_code(raw: &str) -> impl Iterator<Item = &str> {
    raw.split('`').skip(1).step_by(2)
}

/// The language-neutral arguments of the shortcodes in a block: `key="value"` pairs
/// whose key does not name prose (`text`, `title`, …), as `key=value`.
fn directive_args(raw: &str) -> Vec<String> {
    const PROSE: &[&str] = &["text", "title", "description", "alt", "caption", "label", "prepend", "content"];
    let mut out = Vec::new();
    let mut rest = raw;
    // memchr: this runs over every block of both pages of every pair.
    while let Some(i) = memchr::memmem::find(rest.as_bytes(), b"{{") {
        let after = &rest[i + 2..];
        let Some(end) = after.find("}}") else { break };
        let inner = after[..end].trim_matches(|c| c == '<' || c == '%' || c == ' ');
        let mut words = inner.split_whitespace();
        if let Some(name) = words.next() {
            out.push(name.to_string());
        }
        for word in words {
            if let Some((k, v)) = word.split_once('=') {
                if !PROSE.contains(&k) {
                    out.push(format!("{k}={}", v.trim_matches('"')));
                }
            }
        }
        rest = &after[end..];
    }
    out
}

/// A link target as the page it names: the spellings a site accepts for one page
/// (`/docs/x/`, `/docs/x`, `/docs/x/index.md`, `../x.md`'s file name) made one.
pub fn page_key(key: &str) -> String {
    let (path, fragment) = match key.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (key, None),
    };
    let mut p = path.trim_end_matches('/');
    for end in ["/index.md", "/_index.md", "/index", "/_index", ".md", ".html"] {
        if let Some(stripped) = p.strip_suffix(end) {
            p = stripped;
            break;
        }
    }
    let p = p.trim_start_matches("./");
    match fragment {
        Some(f) => format!("{p}#{f}"),
        None => p.to_string(),
    }
}

/// Whether a paragraph block is a list item: its line starts with a list marker.
fn is_list_item(text: &str, span: Span) -> bool {
    let line = &text[crate::text::line_start(text, span.start)..span.end.min(text.len())];
    let t = line.trim_start().trim_start_matches('>').trim_start();
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    t.starts_with("- ")
        || t.starts_with("* ")
        || t.starts_with("+ ")
        || (digits > 0 && (t[digits..].starts_with(". ") || t[digits..].starts_with(") ")))
}

/// Whether a block is only one inline code span (after a list marker): a command.
fn is_command(raw: &str) -> bool {
    let t = raw.trim();
    let t = t.strip_prefix("- ").or_else(|| t.strip_prefix("* ")).unwrap_or(t).trim();
    t.len() > 2 && t.starts_with('`') && t.ends_with('`') && t.matches('`').count() == 2
}

/// The kinds of block a change names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Heading,
    Paragraph,
    ListItem,
    /// A paragraph or list item that is only inline code (tldr's examples).
    Command,
    Code,
    Table,
    Note,
    Include,
}

impl Kind {
    fn name(self, n: usize) -> &'static str {
        let one = n == 1;
        match self {
            Kind::Heading if one => "heading",
            Kind::Heading => "headings",
            Kind::Paragraph if one => "paragraph",
            Kind::Paragraph => "paragraphs",
            Kind::ListItem if one => "list item",
            Kind::ListItem => "list items",
            Kind::Command if one => "command",
            Kind::Command => "commands",
            Kind::Code if one => "code block",
            Kind::Code => "code blocks",
            Kind::Table if one => "table",
            Kind::Table => "tables",
            Kind::Note if one => "note",
            Kind::Note => "notes",
            Kind::Include if one => "include",
            Kind::Include => "includes",
        }
    }

    /// What "changed" is said of: "code in 'Clean up' changed".
    fn changed(self) -> &'static str {
        match self {
            Kind::Heading => "heading",
            Kind::Paragraph => "text",
            Kind::ListItem => "a list item",
            Kind::Command => "a command",
            Kind::Code => "code",
            Kind::Table => "a table",
            Kind::Note => "a note",
            Kind::Include => "an include",
        }
    }
}

/// One block of a source version, for diffing versions of the same source.
#[derive(Debug, Clone)]
pub struct Unit {
    pub kind: Kind,
    /// The heading text of the section the block is in (the block's own for a heading);
    /// empty before the first heading.
    pub section: String,
    /// The block's text with cosmetic differences taken out.
    pub norm: String,
    pub span: Span,
}

/// The blocks of a source version with cosmetic differences taken out.
pub fn units(doc: &Doc, text: &str) -> Vec<Unit> {
    let mut section = String::new();
    let mut out = Vec::with_capacity(doc.blocks.len());
    for block in &doc.blocks {
        let span = block.span();
        let raw = text.get(span.start..span.end).unwrap_or("");
        let links: Vec<(Span, String)> = doc
            .links
            .iter()
            .chain(&doc.images)
            .filter(|l| span.contains(l.target_span))
            .map(|l| (Span::new(l.target_span.start - span.start, l.target_span.end - span.start), page_key(&l.key)))
            .collect();
        let (kind, norm) = match block {
            Block::Heading(h) => {
                section = h.text.trim().to_string();
                (Kind::Heading, format!("h{} {}", h.level, cosmetic(&heading_text(raw), &[])))
            }
            Block::Code(c) => (Kind::Code, format!("{}\n{}", c.lang, c.text.trim_end())),
            Block::Table(_) => (Kind::Table, cosmetic(raw, &links)),
            Block::Alert(_) => (Kind::Note, cosmetic(raw, &links)),
            Block::Include(i) => (Kind::Include, i.path.clone()),
            Block::Paragraph(_) if is_command(raw) => (Kind::Command, cosmetic(raw, &links)),
            Block::Paragraph(_) if is_list_item(text, span) => (Kind::ListItem, cosmetic(raw, &links)),
            Block::Paragraph(_) => (Kind::Paragraph, cosmetic(raw, &links)),
        };
        out.push(Unit { kind, section: section.clone(), norm, span });
    }
    out
}

/// A heading's text without its markers and explicit id (`{#x}`, `<a name="x"></a>`):
/// an id-only change does not change what a reader reads.
fn heading_text(raw: &str) -> String {
    let mut t = raw.trim().trim_start_matches('#').trim().trim_end_matches('#').trim().to_string();
    if let Some(i) = t.rfind("{#") {
        if t.ends_with('}') {
            t.truncate(i);
        }
    }
    while let Some(i) = t.find("<a ") {
        let end = t[i..].find("</a>").map(|e| i + e + 4).or_else(|| t[i..].find('>').map(|e| i + e + 1));
        match end {
            Some(end) => t.replace_range(i..end, ""),
            None => break,
        }
    }
    t
}

/// A block's text with what does not change its meaning taken out: link targets become
/// the page they name, shortcode delimiters `{{% %}}` become `{{< >}}`, emphasis markers
/// go, white space collapses (reflow), list markers go (renumbering).
fn cosmetic(raw: &str, links: &[(Span, String)]) -> String {
    let mut text = String::with_capacity(raw.len());
    let mut at = 0;
    for (span, key) in links {
        if span.start < at || span.end > raw.len() {
            continue;
        }
        text.push_str(&raw[at..span.start]);
        text.push_str(key);
        at = span.end;
    }
    text.push_str(&raw[at..]);
    let text = text.replace("{{%", "{{<").replace("%}}", ">}}");
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut in_code = false;
    for (i, &c) in chars.iter().enumerate() {
        if c == '`' {
            in_code = !in_code;
        }
        if !in_code && (c == '*' || c == '_') {
            let before = i.checked_sub(1).map(|j| chars[j]);
            let after = chars.get(i + 1).copied();
            let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
            // Inside a word (`for_k8s_version`) it is a character, not emphasis.
            if !(word(before) && word(after)) {
                continue;
            }
        }
        out.push(c);
    }
    let mut words = out.split_whitespace().peekable();
    // A list marker (`-`, `1.`) is not content: renumbering a list changes none.
    if let Some(first) = words.peek() {
        let marker = matches!(*first, "-" | "+" | "*")
            || first.len() > 1
                && first.ends_with(['.', ')'])
                && first[..first.len() - 1].bytes().all(|b| b.is_ascii_digit());
        if marker {
            words.next();
        }
    }
    words.collect::<Vec<_>>().join(" ")
}

/// What happened to a block between two versions of the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Edit {
    Added,
    Removed,
    Changed,
}

/// One meaningful change between two versions of a source.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Change {
    pub edit: Edit,
    pub kind: Kind,
    /// The section it is in (in the newer version, else the older).
    pub section: String,
    /// The block in the older version (removed, changed) and in the newer (added, changed).
    pub old: Option<Span>,
    pub new: Option<Span>,
    /// The cosmetic-free texts, which tell this change from another with the same place.
    pub old_norm: Option<String>,
    pub new_norm: Option<String>,
}

/// The meaningful changes from `old` to `new`, in the newer version's order. Blocks are
/// matched by their cosmetic-free text (a diff), and a run of removed and added blocks
/// of the same kind pairs up as changed blocks.
pub fn changes(old: &[Unit], new: &[Unit]) -> Vec<Change> {
    let a: Vec<&str> = old.iter().map(|u| u.norm.as_str()).collect();
    let b: Vec<&str> = new.iter().map(|u| u.norm.as_str()).collect();
    let script = diff(&a, &b);
    let mut out = Vec::new();
    let mut removed: Vec<usize> = Vec::new();
    let mut added: Vec<usize> = Vec::new();
    let flush = |removed: &mut Vec<usize>, added: &mut Vec<usize>, out: &mut Vec<Change>| {
        let mut used = vec![false; added.len()];
        for &i in removed.iter() {
            let partner = added.iter().enumerate().find(|(k, &j)| !used[*k] && new[j].kind == old[i].kind);
            match partner {
                Some((k, &j)) => {
                    used[k] = true;
                    out.push(change(Edit::Changed, Some(&old[i]), Some(&new[j])));
                }
                None => out.push(change(Edit::Removed, Some(&old[i]), None)),
            }
        }
        for (k, &j) in added.iter().enumerate() {
            if !used[k] {
                out.push(change(Edit::Added, None, Some(&new[j])));
            }
        }
        removed.clear();
        added.clear();
    };
    for step in script {
        match step {
            Step::Same(..) => flush(&mut removed, &mut added, &mut out),
            Step::Removed(i) => removed.push(i),
            Step::Added(j) => added.push(j),
        }
    }
    flush(&mut removed, &mut added, &mut out);
    out
}

fn change(edit: Edit, old: Option<&Unit>, new: Option<&Unit>) -> Change {
    let unit = new.or(old).expect("a change has a side");
    Change {
        edit,
        kind: unit.kind,
        section: unit.section.clone(),
        old: old.map(|u| u.span),
        new: new.map(|u| u.span),
        old_norm: old.map(|u| u.norm.clone()),
        new_norm: new.map(|u| u.norm.clone()),
    }
}

/// `changes` without those a commit marked as not needing translation made: a change
/// is dropped when a skipped step made the same one (same edit, same texts).
pub fn without_skipped(changes: Vec<Change>, skipped: &[Change]) -> Vec<Change> {
    changes
        .into_iter()
        .filter(|c| {
            !skipped.iter().any(|s| match c.edit {
                Edit::Added => s.new_norm == c.new_norm && s.new_norm.is_some(),
                Edit::Removed => s.old_norm == c.old_norm && s.old_norm.is_some(),
                Edit::Changed => s.new_norm == c.new_norm && s.new_norm.is_some(),
            })
        })
        .collect()
}

/// Where the changes are, section by section, in the newer version's order:
/// "'Before you begin' +1 list item; code in 'Clean up' changed".
pub fn describe(changes: &[Change]) -> String {
    let mut sections: Vec<(&str, Vec<&Change>)> = Vec::new();
    for c in changes {
        match sections.iter_mut().find(|(s, _)| *s == c.section) {
            Some((_, list)) => list.push(c),
            None => sections.push((&c.section, vec![c])),
        }
    }
    const SHOWN: usize = 4;
    let mut parts = Vec::new();
    for (section, list) in sections.iter().take(SHOWN) {
        let name = if section.is_empty() { "the introduction".to_string() } else { format!("'{section}'") };
        let mut counts: Vec<String> = Vec::new();
        for edit in [Edit::Added, Edit::Removed] {
            let mut kinds: Vec<(Kind, usize)> = Vec::new();
            for c in list.iter().filter(|c| c.edit == edit) {
                match kinds.iter_mut().find(|(k, _)| *k == c.kind) {
                    Some((_, n)) => *n += 1,
                    None => kinds.push((c.kind, 1)),
                }
            }
            let sign = if edit == Edit::Added { '+' } else { '-' };
            counts.extend(kinds.iter().map(|(k, n)| format!("{sign}{n} {}", k.name(*n))));
        }
        let mut said = Vec::new();
        if !counts.is_empty() {
            said.push(format!("{name} {}", counts.join(", ")));
        }
        let mut changed: Vec<Kind> = Vec::new();
        for c in list.iter().filter(|c| c.edit == Edit::Changed) {
            if !changed.contains(&c.kind) {
                changed.push(c.kind);
            }
        }
        for k in changed {
            if k == Kind::Heading {
                said.push(format!("heading {name} changed"));
            } else {
                said.push(format!("{} in {name} changed", k.changed()));
            }
        }
        parts.push(said.join("; "));
    }
    if sections.len() > SHOWN {
        let more = sections.len() - SHOWN;
        parts.push(format!("and {more} more {}", if more == 1 { "section" } else { "sections" }));
    }
    parts.join("; ")
}

/// The source version a translation was made from, as the tree found it.
#[derive(Debug, Clone)]
pub struct SyncPoint {
    /// The commit: the recorded stamp's, or the one that made the matched version.
    pub commit: String,
    /// Its committer time (Unix seconds).
    pub time: i64,
    /// The source's text in that version.
    pub text: std::sync::Arc<str>,
    /// The source before and after each later commit whose message says it needs no
    /// translation (`[skip l10n]`): what those commits changed is not counted.
    pub skipped: Vec<(std::sync::Arc<str>, std::sync::Arc<str>)>,
    /// Recorded in the translation (a stamp) rather than inferred from history.
    pub stamped: bool,
}

impl SyncPoint {
    /// The meaningful changes from this version of the source to `now` (the source as
    /// checked), without what skipped commits changed.
    pub fn changes(&self, now: &Doc, now_text: &str) -> Vec<Change> {
        self.changes_from(&units(now, now_text), &|text| std::sync::Arc::new(units(&crate::parse::parse(text), text)))
    }

    /// `changes`, with the units of the source now and a way to the units of any version
    /// of it: `stale-translation` takes both from its group's memo (`skeleton::Shared`),
    /// since a source's translations in every locale are mostly behind the same versions.
    pub fn changes_from(&self, now: &[Unit], units_of: &dyn Fn(&str) -> std::sync::Arc<Vec<Unit>>) -> Vec<Change> {
        let all = changes(&units_of(&self.text), now);
        if all.is_empty() || self.skipped.is_empty() {
            return all;
        }
        let mut skipped = Vec::new();
        for (before, after) in &self.skipped {
            skipped.extend(changes(&units_of(before), &units_of(after)));
        }
        without_skipped(all, &skipped)
    }
}

/// A step of an edit script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Same(usize, usize),
    Removed(usize),
    Added(usize),
}

/// A shortest edit script from `a` to `b` (longest common subsequence, after the common
/// head and tail are set aside: versions of one page share most of their blocks).
pub fn diff<T: PartialEq>(a: &[T], b: &[T]) -> Vec<Step> {
    let head = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let tail = a[head..].iter().rev().zip(b[head..].iter().rev()).take_while(|(x, y)| x == y).count();
    let (ma, mb) = (&a[head..a.len() - tail], &b[head..b.len() - tail]);
    let (n, m) = (ma.len(), mb.len());
    let mut table = vec![0u32; (n + 1) * (m + 1)];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            table[i * (m + 1) + j] = if ma[i] == mb[j] {
                table[(i + 1) * (m + 1) + j + 1] + 1
            } else {
                table[(i + 1) * (m + 1) + j].max(table[i * (m + 1) + j + 1])
            };
        }
    }
    let mut out: Vec<Step> = (0..head).map(|k| Step::Same(k, k)).collect();
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && ma[i] == mb[j] {
            out.push(Step::Same(head + i, head + j));
            i += 1;
            j += 1;
        } else if j < m && (i == n || table[i * (m + 1) + j + 1] >= table[(i + 1) * (m + 1) + j]) {
            out.push(Step::Added(head + j));
            j += 1;
        } else {
            out.push(Step::Removed(head + i));
            i += 1;
        }
    }
    out.extend((0..tail).map(|k| Step::Same(a.len() - tail + k, b.len() - tail + k)));
    out
}

fn lcs_len(a: &[u64], b: &[u64]) -> usize {
    diff(a, b).iter().filter(|s| matches!(s, Step::Same(..))).count()
}

/// A Unix time as its UTC date, `2024-03-01`.
pub fn date(time: i64) -> String {
    // Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
    let z = time.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn units_of(text: &str) -> Vec<Unit> {
        units(&crate::parse::parse(text), text)
    }

    fn sig(text: &str) -> Signature {
        signature(&crate::parse::parse(text), text)
    }

    const PAGE: &str = "# Title\n\nIntro [link](/docs/x/) and `kubectl get`.\n\n## Before you begin\n\n- one\n- two\n\n## Clean up\n\n```shell\nkubectl delete pod x\n```\n";

    #[test]
    fn cosmetic_edits_change_nothing() {
        let old = units_of(PAGE);
        for edited in [
            PAGE.replace("Intro [link](/docs/x/) and", "*Intro* [link](/docs/x) and"),
            PAGE.replace("Intro [link](/docs/x/) and", "Intro\n[link](/docs/x/index.md) and"),
            PAGE.replace("## Before you begin", "## Before you begin {#before}"),
            PAGE.replace("- one\n- two", "* one\n* two"),
        ] {
            assert_eq!(changes(&old, &units_of(&edited)), vec![], "{edited}");
        }
        let with = |s: &str| units_of(&format!("{PAGE}\n{s}\n"));
        assert_eq!(
            changes(&with("{{< note >}}\nA note.\n{{< /note >}}"), &with("{{% note %}}\nA note.\n{{% /note %}}")),
            vec![]
        );
    }

    #[test]
    fn meaningful_edits_are_described_by_section() {
        let new = PAGE.replace("- two\n", "- two\n- three\n").replace("delete pod x", "delete pod y");
        let found = changes(&units_of(PAGE), &units_of(&new));
        assert_eq!(found.len(), 2);
        assert_eq!(describe(&found), "'Before you begin' +1 list item; code in 'Clean up' changed");
        let renamed = PAGE.replace("## Clean up", "## Cleaning up");
        assert_eq!(describe(&changes(&units_of(PAGE), &units_of(&renamed))), "heading 'Cleaning up' changed");
    }

    #[test]
    fn signatures_ignore_language_and_keep_facts() {
        let sv = "# Titel\n\nInledning [länk](/docs/x/) och `kubectl get`.\n\n## Innan du börjar\n\n- ett\n- två\n\n## Rensa\n\n```shell\n# ta bort\nkubectl delete pod x\n```\n";
        assert_eq!(sig(PAGE), sig(sv));
        assert_ne!(sig(PAGE), sig(&sv.replace("pod x", "pod y")));
        assert_ne!(sig(PAGE), sig(&sv.replace("- två\n", "- två\n- tre\n")));
        let fs = |v: &str, s: &str| sig(&format!("{{{{< feature-state for_k8s_version=\"{v}\" state=\"{s}\" >}}}}\n"));
        assert_ne!(fs("v1.24", "alpha"), fs("v1.26", "beta"));
        assert_eq!(fs("v1.24", "alpha"), fs("v1.24", "alpha"));
    }

    #[test]
    fn dates_read_right() {
        assert_eq!(date(1_709_251_200), "2024-03-01");
        assert_eq!(date(0), "1970-01-01");
    }
}
