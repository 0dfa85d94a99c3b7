//! Markdown -> `Doc`: the only module that knows pulldown-cmark.
//!
//! Parsing never fails: broken front matter becomes `FrontMatter::Invalid`, and whatever
//! pulldown-cmark makes of odd Markdown is taken as it is. Every span is a byte range
//! into the original text, BOM and front matter included.

use std::sync::LazyLock;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};
use regex::Regex;

use crate::finding::Span;
use crate::model::{
    Alert, AlertKind, Anchor, Block, Cell, CellValue, CodeBlock, Comment, Doc, FrontMatter, FrontMatterEntry, Heading,
    Include, Link, Marker, Number, Paragraph, Row, RowKey, Table,
};
use crate::slug::{IdStyle, Ids};
use crate::vocab::Vocab;

/// The kind is read as ASCII word characters: only ASCII names are kinds
/// (`AlertKind::parse`), and a kind with any other letter was never one. Unicode's `\w`
/// made this the costliest pattern to compile.
static ALERT_RE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\s*>\s*\[!([0-9A-Za-z_]+)\]").unwrap());
static ALERT_TEXT_RE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\s*\[!\w+\]\s*").unwrap());
static INCLUDE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)\[!INCLUDE\s*\[([^\]]*)\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)\s*\]"#).unwrap()
});
static ANCHOR_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(?i)<a\s+[^>]*?\b(?:name|id)\s*=\s*["']([^"']+)["']"#).unwrap());
static COMMENT_RE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?s)<!--(.*?)-->").unwrap());
static NUMBER_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\d{1,3}(?:[\u{a0}\u{202f} ]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)*").unwrap());

/// Parses one file. `text` is the whole file as read (a leading BOM is allowed). Headings
/// get GitHub's ids; `parse_with_ids` gives them a site's. No vocabulary is needed: a
/// cell's value and markers are worked out when a rule asks (`cell_value`,
/// `cell_markers`), in the run's vocabulary.
pub fn parse(text: &str) -> Doc {
    parse_with_ids(text, IdStyle::Github)
}

/// `parse`, with heading ids (`Heading::slug`, `Doc::anchors`) in a site's style.
pub fn parse_with_ids(text: &str, ids: IdStyle) -> Doc {
    parse_with_syntax(text, ids, false, None)
}

/// `parse_with_ids` with the run's site's heading ids.
pub fn parse_for(text: &str, settings: &crate::settings::Settings) -> Doc {
    parse_with_ids(text, settings.site.heading_ids)
}

/// `parse_for` of a file at `path`: an `.mdx` page is read with MDX's block rules
/// (`mdx_body`), any other as CommonMark.
pub fn parse_file(text: &str, settings: &crate::settings::Settings, path: impl AsRef<std::path::Path>) -> Doc {
    parse_with_syntax(text, settings.site.heading_ids, is_mdx(path), None)
}

/// `parse_file` of a translation beside its source's `LinkKeys`: a link whose target the
/// source has as it is written gets the source's key (`Link::key` depends on the target
/// alone), so most of a translation's links are not normalized again.
pub fn parse_file_beside(
    text: &str,
    settings: &crate::settings::Settings,
    path: impl AsRef<std::path::Path>,
    source_keys: &LinkKeys,
) -> Doc {
    parse_with_syntax(text, settings.site.heading_ids, is_mdx(path), Some(source_keys))
}

/// A source's link keys by target (its links, images and the links in its cells), made
/// once for all its translations (`skeleton::Shared::link_keys`).
#[derive(Default)]
pub struct LinkKeys(std::collections::HashMap<String, String, foldhash::fast::FixedState>);

impl LinkKeys {
    pub fn of(doc: &Doc) -> LinkKeys {
        let cells = doc.tables().flat_map(|t| t.rows.iter()).flat_map(|r| r.cells.iter()).flat_map(|c| c.links.iter());
        LinkKeys(doc.links.iter().chain(&doc.images).chain(cells).map(|l| (l.target.clone(), l.key.clone())).collect())
    }
}

/// Whether a file is an MDX page (Docusaurus, Starlight), by its extension.
pub fn is_mdx(path: impl AsRef<std::path::Path>) -> bool {
    path.as_ref().extension().is_some_and(|x| x.eq_ignore_ascii_case("mdx"))
}

fn parse_with_syntax(text: &str, ids: IdStyle, mdx: bool, source_keys: Option<&LinkKeys>) -> Doc {
    let base = bom_len(text);
    let (front_matter, body_start) = front_matter(text, base);
    let body = &text[body_start..];
    let mut builder = Builder {
        text,
        ids: Ids::new(ids),
        // Room for the blocks and links a page of this size usually has: growing the
        // vectors by doubling was a fifth of what pushing to them cost.
        doc: Doc {
            front_matter,
            blocks: Vec::with_capacity(body.len() / 128 + 4),
            links: Vec::with_capacity(body.len() / 256 + 4),
            ..Doc::default()
        },
        known_keys: source_keys,
        ..Builder::default()
    };
    let options = Options::ENABLE_TABLES | Options::ENABLE_HEADING_ATTRIBUTES | Options::ENABLE_STRIKETHROUGH;
    let body = if mdx { mdx_body(body) } else { std::borrow::Cow::Borrowed(body) };
    let lenient = lenient_tables(&body);
    for (event, range) in Parser::new_ext(&lenient, options).into_offset_iter() {
        let span = Span::new(range.start + body_start, range.end + body_start);
        builder.event(event, span);
    }
    builder.finish()
}

/// MDX (Docusaurus, Starlight) ends a JSX tag's block at the end of its line and opens
/// a fence at any indentation; CommonMark runs an HTML block on to the next blank line
/// and reads a fence indented four spaces as indented code. Two edits that keep every
/// byte offset make pulldown-cmark see the headings MDX sees: a lone tag line right
/// before an ATX heading (`<Box icon="check-list">` over `## Checklist`) becomes
/// spaces, so the HTML block ends before the heading (the same before a fence, which
/// the block would bury too); and the closing fence of a fence
/// opened four spaces deep (```` ```jsx ```` in `<Fragment slot="jsx">`) becomes spaces
/// where CommonMark would take it for an opening one that swallows the rest of the page.
fn mdx_body(body: &str) -> std::borrow::Cow<'_, str> {
    let mut out: Option<String> = None;
    // The open fence, as MDX reads it: (char, length, opened four spaces deep).
    let mut fence: Option<(u8, usize, bool)> = None;
    let mut pos = 0;
    while pos < body.len() {
        let end = memchr::memchr(b'\n', &body.as_bytes()[pos..]).map_or(body.len(), |i| pos + i);
        let next = (end + 1).min(body.len());
        let line = &body[pos..end];
        let t = line.trim_start_matches([' ', '\t']);
        let deep = indent_columns(&line[..line.len() - t.len()]) >= 4;
        let t = t.trim_end();
        let blank = match fence {
            Some((ch, len, opened_deep)) => {
                let closes = t.len() >= len && t.bytes().all(|b| b == ch);
                if closes {
                    fence = None;
                }
                closes && opened_deep && !deep
            }
            None => {
                fence = mdx_fence(t).map(|(ch, len)| (ch, len, deep));
                fence.is_none() && is_lone_tag(t) && ends_html_block(&body[next..])
            }
        };
        if blank {
            out.get_or_insert_with(|| body.to_string()).replace_range(pos..end, &" ".repeat(end - pos));
        }
        pos = if next == pos { body.len() } else { next };
    }
    out.map_or(std::borrow::Cow::Borrowed(body), std::borrow::Cow::Owned)
}

fn indent_columns(indent: &str) -> usize {
    indent.bytes().map(|b| if b == b'\t' { 4 } else { 1 }).sum()
}

/// A fence opening (trimmed line): its char and length.
fn mdx_fence(t: &str) -> Option<(u8, usize)> {
    let ch = *t.as_bytes().first().filter(|&&c| c == b'`' || c == b'~')?;
    let len = t.bytes().take_while(|&b| b == ch).count();
    (len >= 3 && !(ch == b'`' && t[len..].contains('`'))).then_some((ch, len))
}

/// A line (trimmed) that is one JSX tag and nothing else: `<Tabs>`, `</TabItem>`,
/// `<Box icon="x">`, `<Aside />`, `<>`. An `<a>` tag is left alone: it may carry an
/// anchor (`<a name="x" />`).
fn is_lone_tag(t: &str) -> bool {
    let Some(inner) = t.strip_prefix('<').and_then(|t| t.strip_suffix('>')) else { return false };
    let name = inner.strip_prefix('/').unwrap_or(inner);
    let name_len =
        name.bytes().take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b':')).count();
    let starts_with_letter = name.as_bytes().first().is_some_and(u8::is_ascii_alphabetic);
    !inner.contains(['<', '>'])
        && (inner.is_empty() || inner == "/" || starts_with_letter)
        && !name[..name_len].eq_ignore_ascii_case("a")
}

/// Whether the first line of `rest` starts a block that MDX reads right after a tag
/// line and CommonMark would bury in the tag's HTML block: an ATX heading, or a fence
/// less than four spaces deep (`  ```shell` in `<Fragment slot="npm">`).
fn ends_html_block(rest: &str) -> bool {
    let line = rest.split('\n').next().unwrap_or_default();
    let t = line.trim_start_matches(' ');
    is_atx_heading(line) || line.len() - t.len() < 4 && mdx_fence(t.trim_end()).is_some()
}

/// Whether `line` is an ATX heading.
fn is_atx_heading(line: &str) -> bool {
    let t = line.trim_start_matches(' ');
    let hashes = t.bytes().take_while(|&b| b == b'#').count();
    line.len() - t.len() < 4
        && (1..=6).contains(&hashes)
        && t[hashes..].chars().next().is_none_or(|c| c == ' ' || c == '\t' || c == '\r')
}

static DELIMITER_ROW_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)+\|?\s*$").unwrap());

/// Microsoft Learn renders a table whose delimiter row has more cells than its header
/// (Markdig does not enforce GFM's rule; concept-compute-target.md has
/// `| **Supported VM series** | **Category** | **Supported by** |` over
/// `|------------|------------|------------|------------|`), so its surplus pipes are
/// read as dashes here. Only `|` becomes `-`, so every byte offset stays where it was.
/// (A memchr pre-test for rows with surplus cells was worth 1.3% of a full check:
/// removed, bench/README.md "Fast paths".)
fn lenient_tables(body: &str) -> std::borrow::Cow<'_, str> {
    let mut out: Option<String> = None;
    let mut previous: Option<&str> = None;
    let mut offset = 0;
    let mut fence: Option<&str> = None;
    for line in crate::text::lines_inclusive(body) {
        let trimmed = line.trim_start();
        // Only a fence (``` or ~~~) or a delimiter row (`|`, `:` or `-` first) matters
        // here; any other line is only remembered as the header of the next one.
        if !matches!(trimmed.as_bytes().first(), Some(b'`' | b'~' | b'|' | b':' | b'-')) {
            previous = Some(line);
            offset += line.len();
            continue;
        }
        let marker = ["```", "~~~"].into_iter().find(|m| trimmed.starts_with(m));
        match (fence, marker) {
            (None, Some(m)) => fence = Some(m),
            (Some(f), Some(m)) if f == m => fence = None,
            _ => {}
        }
        // A delimiter row holds only pipes, colons, dashes and spaces; rows of text are
        // told apart without the regex.
        let maybe_delimiter = !line.bytes().any(|b| b.is_ascii_alphanumeric()) && line.contains('-');
        if fence.is_none() && maybe_delimiter && DELIMITER_ROW_RE.is_match(line.trim_end()) {
            if let Some(header) = previous.filter(|h| h.contains('|') && !h.contains('\\') && !h.contains('`')) {
                let (want, have) = (cell_count(header), cell_count(line));
                if have > want && want > 0 {
                    let fixed = out.get_or_insert_with(|| body.to_string());
                    merge_surplus_cells(fixed, offset, line, want);
                }
            }
        }
        previous = Some(line);
        offset += line.len();
    }
    match out {
        Some(text) => std::borrow::Cow::Owned(text),
        None => std::borrow::Cow::Borrowed(body),
    }
}

/// Cells of a pipe-table row: the pipes between its optional outer pipes, plus one.
fn cell_count(row: &str) -> usize {
    let t = row.trim();
    let t = t.strip_prefix('|').unwrap_or(t);
    let t = t.strip_suffix('|').unwrap_or(t);
    t.matches('|').count() + 1
}

/// Turns the inner pipes of a delimiter row past the `want`-th cell into dashes.
fn merge_surplus_cells(text: &mut String, offset: usize, line: &str, want: usize) {
    let content = line.trim_end();
    let lead = content.len() - content.trim_start().len();
    let inner = content.trim_start();
    let first = usize::from(inner.starts_with('|'));
    let last = if inner.ends_with('|') && inner.len() > 1 { inner.len() - 1 } else { usize::MAX };
    let mut seen = 0;
    let mut positions = Vec::new();
    for (i, c) in inner.char_indices() {
        if c != '|' || (i == 0 && first == 1) || i == last {
            continue;
        }
        seen += 1;
        if seen >= want {
            positions.push(offset + lead + i);
        }
    }
    for at in positions {
        text.replace_range(at..at + 1, "-");
    }
}

/// Only the anchors of a file (heading slugs, heading ids and `<a name>`/`id` tags), as
/// `parse(text).anchors` names them, without building the rest of the document: what
/// `broken-anchor` needs of every page a translation links to.
pub fn anchors(text: &str) -> Vec<String> {
    anchors_with_ids(text, IdStyle::Github)
}

/// `anchors`, with heading ids in a site's style, as `parse_with_ids` names them.
pub fn anchors_with_ids(text: &str, style: IdStyle) -> Vec<String> {
    anchors_of(text, style, false)
}

/// `anchors_with_ids` of a file at `path`, read as `parse_file` reads it.
pub fn anchors_of_file(text: &str, style: IdStyle, path: impl AsRef<std::path::Path>) -> Vec<String> {
    anchors_of(text, style, is_mdx(path))
}

fn anchors_of(text: &str, style: IdStyle, mdx: bool) -> Vec<String> {
    let mut ids = Ids::new(style);
    let body = &text[front_matter_end(text)..];
    let options = Options::ENABLE_TABLES | Options::ENABLE_HEADING_ATTRIBUTES | Options::ENABLE_STRIKETHROUGH;
    let body = if mdx { mdx_body(body) } else { std::borrow::Cow::Borrowed(body) };
    let lenient = lenient_tables(&body);
    let mut out = Vec::new();
    // The open heading's text and its explicit anchors, which follow its slug.
    let mut heading: Option<(String, Vec<String>)> = None;
    for event in Parser::new_ext(&lenient, options) {
        match event {
            Event::Start(Tag::Heading { id, .. }) => {
                heading = Some((String::new(), id.map(|id| id.into_string()).into_iter().collect()));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((text, explicit)) = heading.take() {
                    out.push(ids.next(&text));
                    out.extend(explicit);
                }
            }
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                if let Some((text, _)) = &mut heading {
                    text.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some((text, _)) = &mut heading {
                    text.push(' ');
                }
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                for (start, end) in anchor_names(&html) {
                    let name = html[start..end].to_string();
                    match &mut heading {
                        Some((_, explicit)) => explicit.push(name),
                        None => out.push(name),
                    }
                }
                if let Some((text, _)) = &mut heading {
                    if html.trim_start().as_bytes().get(..3).is_some_and(|head| head.eq_ignore_ascii_case(b"<br")) {
                        text.push(' ');
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Only the front matter of a file, for cheap questions about many files.
pub fn front_matter_only(text: &str) -> FrontMatter {
    let base = bom_len(text);
    front_matter(text, base).0
}

/// Splits off YAML front matter: `---` on the first line up to a closing `---` or `...`.
fn front_matter(text: &str, base: usize) -> (FrontMatter, usize) {
    simple_front_matter(text, base).unwrap_or_else(|| front_matter_by_bounds(text, base))
}

/// Front matter of simple `key: value` lines, as almost every file has: read from the
/// line after the opening `---`, and closed by the first line the reader does not take,
/// which must be the closing fence (else None, and `front_matter_by_bounds` reads it).
/// One pass over the lines finds both the entries and the fence.
fn simple_front_matter(text: &str, base: usize) -> Option<(FrontMatter, usize)> {
    let rest = &text[base..];
    let yaml_start = base + memchr::memchr(b'\n', rest.as_bytes())? + 1;
    if !is_fence(&text[base..yaml_start], "---") {
        return None;
    }
    let (entries, stop) = crate::yaml::simple_lines(&text[yaml_start..])?;
    let fence = yaml_start + stop;
    let end = memchr::memchr(b'\n', &text.as_bytes()[fence..]).map_or(text.len(), |i| fence + i + 1);
    if !(is_fence(&text[fence..end], "---") || is_fence(&text[fence..end], "...")) {
        return None;
    }
    let entries = entries
        .into_iter()
        .map(|e| FrontMatterEntry {
            key: e.key,
            value: e.value,
            span: Span::new(yaml_start + e.offset, yaml_start + e.end),
        })
        .collect();
    Some((FrontMatter::Valid { span: Span::new(base, end), entries }, end))
}

/// Front matter of any kind: its bounds first, then the YAML between them.
fn front_matter_by_bounds(text: &str, base: usize) -> (FrontMatter, usize) {
    let (yaml_start, yaml_end, end) = match front_matter_bounds(text, base) {
        Bounds::Absent => return (FrontMatter::Absent, base),
        Bounds::Closed { yaml_start, yaml_end, end } => (yaml_start, yaml_end, end),
        Bounds::Unclosed => {
            // An opening `---` that is never closed: the whole file is Markdown (a
            // thematic break, then text), and the front matter is reported broken at
            // its first line.
            let rest = &text[base..];
            let first_line = &rest[..rest.find('\n').unwrap_or(rest.len())];
            let first = Span::new(base, base + first_line.trim_end().len());
            let message = "front matter opened with `---` is never closed by a `---` line".to_string();
            return (FrontMatter::Invalid { span: first, error_span: first, message }, base);
        }
    };
    let yaml = &text[yaml_start..yaml_end];
    let span = Span::new(base, end);
    let fm = match crate::yaml::front_matter(yaml) {
        Ok(entries) => FrontMatter::Valid {
            span,
            entries: entries
                .into_iter()
                .map(|e| FrontMatterEntry {
                    key: e.key,
                    value: e.value,
                    span: Span::new(yaml_start + e.offset, yaml_start + e.end),
                })
                .collect(),
        },
        Err(err) => {
            // An error found at the end of the YAML (an unclosed bracket or quote) is
            // reported on the last YAML line, not on the closing `---`.
            let mut local = err.offset.unwrap_or(0).min(yaml.len());
            if local >= yaml.trim_end().len() {
                local = yaml.trim_end().rfind('\n').map_or(0, |i| i + 1);
            }
            let at = yaml_start + local;
            let line_end = crate::text::line_end(text, at);
            FrontMatter::Invalid { span, error_span: Span::new(at, line_end.max(at)), message: err.message }
        }
    };
    (fm, end)
}

/// Where front matter lies: absent, closed (the YAML between the `---` lines, and where
/// the body starts), or opened and never closed.
enum Bounds {
    Absent,
    Closed { yaml_start: usize, yaml_end: usize, end: usize },
    Unclosed,
}

fn front_matter_bounds(text: &str, base: usize) -> Bounds {
    let rest = &text[base..];
    let first_line_len = memchr::memchr(b'\n', rest.as_bytes()).map_or(rest.len(), |i| i + 1);
    if !is_fence(&rest[..first_line_len], "---") {
        return Bounds::Absent;
    }
    let yaml_start = base + first_line_len;
    if yaml_start == text.len() {
        return Bounds::Unclosed;
    }
    // The first line that is `---` or `...`: found by searching for either after a line
    // break (the opening line's included), instead of looking at every line. The first
    // `---` line bounds the search for a `...` line.
    let from = yaml_start - 1;
    let closing = |finder: &memchr::memmem::Finder<'_>, fence: &str, until: usize| {
        let mut at = from;
        while let Some(i) = finder.find(&text.as_bytes()[at..until]) {
            let line = at + i + 1;
            let end = memchr::memchr(b'\n', &text.as_bytes()[line..]).map_or(text.len(), |i| line + i + 1);
            if is_fence(&text[line..end], fence) {
                return Some((line, end));
            }
            at = line;
        }
        None
    };
    static DASHES: LazyLock<memchr::memmem::Finder<'static>> = LazyLock::new(|| memchr::memmem::Finder::new("\n---"));
    static DOTS: LazyLock<memchr::memmem::Finder<'static>> = LazyLock::new(|| memchr::memmem::Finder::new("\n..."));
    let dashes = closing(&DASHES, "---", text.len());
    let dots = closing(&DOTS, "...", dashes.map_or(text.len(), |(line, _)| line));
    match dots.or(dashes) {
        Some((yaml_end, end)) => Bounds::Closed { yaml_start, yaml_end, end },
        None => Bounds::Unclosed,
    }
}

/// Whether a line (its line break included) is `fence` followed by nothing but white
/// space, as `trim_end` takes it.
fn is_fence(line: &str, fence: &str) -> bool {
    line.strip_prefix(fence).is_some_and(|rest| rest.trim_end().is_empty())
}

/// Where a text starts after its byte-order mark, if it has one.
fn bom_len(text: &str) -> usize {
    if text.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    }
}

/// Where the Markdown body starts: after closed front matter, else after the byte-order
/// mark (an unclosed `---` is Markdown, as `front_matter` reads it). The skeleton and
/// `untranslated-page` start there too, so that every reader agrees where a body begins.
pub fn front_matter_end(text: &str) -> usize {
    let base = bom_len(text);
    match front_matter_bounds(text, base) {
        Bounds::Closed { end, .. } => end,
        Bounds::Absent | Bounds::Unclosed => base,
    }
}

#[derive(Default)]
struct CellBuilder {
    text: String,
    span: Span,
    links: Vec<Link>,
    code: Vec<String>,
}

#[derive(Default)]
struct TableBuilder {
    span: Span,
    in_head: bool,
    header: Vec<Cell>,
    rows: Vec<(Vec<Cell>, Span)>,
    current: Vec<Cell>,
    row_span: Span,
}

struct LinkBuilder {
    target: String,
    text: String,
    start: usize,
    image: bool,
}

struct HeadingBuilder {
    level: u8,
    text: String,
    anchors: Vec<Anchor>,
    span: Span,
}

struct AlertBuilder {
    kind: AlertKind,
    depth: usize,
    text: String,
    span: Span,
    marker_span: Span,
}

struct CodeBuilder {
    lang: String,
    text: String,
    span: Span,
}

struct ProseBuilder {
    text: String,
    span: Span,
}

#[derive(Default)]
struct Builder<'a> {
    text: &'a str,
    doc: Doc,
    table: Option<TableBuilder>,
    cell: Option<CellBuilder>,
    links: Vec<LinkBuilder>,
    heading: Option<HeadingBuilder>,
    alert: Option<AlertBuilder>,
    quote_depth: usize,
    code: Option<CodeBuilder>,
    prose: Vec<ProseBuilder>,
    includes: Vec<Span>,
    /// The page's heading ids so far, in the site's style.
    ids: Ids,
    /// The source's link keys by target, for a translation (`parse_file_beside`).
    known_keys: Option<&'a LinkKeys>,
}

impl<'a> Builder<'a> {
    // Texts are collected with room for their block's raw length, which the visible text
    // does not exceed: growing them by doubling was two thirds of `push_text`.
    fn event(&mut self, event: Event<'_>, span: Span) {
        match event {
            Event::Start(tag) => self.start(tag, span),
            Event::End(tag) => self.end(tag, span),
            Event::Text(t) => self.push_text(&t),
            Event::Code(t) => {
                if let Some(cell) = &mut self.cell {
                    cell.code.push(String::from(&*t));
                }
                self.push_text(&t);
            }
            Event::SoftBreak | Event::HardBreak => self.push_text(" "),
            Event::InlineHtml(html) => {
                self.comments(span);
                self.html(&html, span);
            }
            Event::Html(html) => self.html(&html, span),
            Event::InlineMath(t) | Event::DisplayMath(t) => self.push_text(&t),
            Event::FootnoteReference(_) | Event::Rule | Event::TaskListMarker(_) => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>, span: Span) {
        match tag {
            Tag::Table(_) => self.table = Some(TableBuilder { span, ..TableBuilder::default() }),
            // A block's comments are read from its whole text: one comment may span lines,
            // which pulldown-cmark hands over as separate `Html` events.
            Tag::HtmlBlock => self.comments(span),
            Tag::TableHead => {
                if let Some(t) = &mut self.table {
                    t.in_head = true;
                    t.row_span = span;
                }
            }
            Tag::TableRow => {
                if let Some(t) = &mut self.table {
                    t.row_span = span;
                }
            }
            Tag::TableCell => {
                self.cell =
                    Some(CellBuilder { text: String::with_capacity(span.len()), span, ..CellBuilder::default() })
            }
            // `into_string`, not `to_string`, which would format through `Display`.
            Tag::Link { dest_url, .. } => self.links.push(LinkBuilder {
                target: dest_url.into_string(),
                text: String::with_capacity(span.len()),
                start: span.start,
                image: false,
            }),
            Tag::Image { dest_url, .. } => self.links.push(LinkBuilder {
                target: dest_url.into_string(),
                text: String::with_capacity(span.len()),
                start: span.start,
                image: true,
            }),
            Tag::Heading { level, id, .. } => {
                let mut anchors = Vec::new();
                if let Some(id) = id {
                    anchors.push(Anchor { name: id.into_string(), span, explicit: true });
                }
                self.heading =
                    Some(HeadingBuilder { level: level as u8, text: String::with_capacity(span.len()), anchors, span });
            }
            Tag::BlockQuote(_) => {
                self.quote_depth += 1;
                if self.alert.is_none() {
                    let raw = &self.text[span.start..span.end];
                    if let Some(c) = ALERT_RE.captures(raw) {
                        let word = c.get(1).expect("group 1");
                        if let Some(kind) = AlertKind::parse(word.as_str()) {
                            let line_end = raw.find('\n').unwrap_or(raw.len());
                            let marker_span = Span::new(span.start, span.start + raw[..line_end].trim_end().len());
                            self.alert = Some(AlertBuilder {
                                kind,
                                depth: self.quote_depth,
                                text: String::with_capacity(span.len()),
                                span,
                                marker_span,
                            });
                        }
                    }
                }
            }
            Tag::CodeBlock(kind) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info.split_whitespace().next().unwrap_or("").to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                self.code = Some(CodeBuilder { lang, text: String::with_capacity(span.len()), span });
            }
            // Paragraphs inside an item collect into the item; text in cells, headings
            // and alerts belongs to those.
            Tag::Paragraph | Tag::Item if self.cell.is_none() && self.heading.is_none() && self.alert.is_none() => {
                self.prose.push(ProseBuilder { text: String::with_capacity(span.len()), span });
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd, span: Span) {
        match tag {
            TagEnd::TableCell => {
                if let (Some(cell), Some(table)) = (self.cell.take(), &mut self.table) {
                    let cell = finish_cell(cell, self.text);
                    table.current.push(cell);
                }
            }
            TagEnd::TableHead => {
                if let Some(t) = &mut self.table {
                    t.header = std::mem::take(&mut t.current);
                    t.current.reserve(t.header.len());
                    t.in_head = false;
                }
            }
            TagEnd::TableRow => {
                if let Some(t) = &mut self.table {
                    let cells = std::mem::replace(&mut t.current, Vec::with_capacity(t.header.len()));
                    t.rows.push((cells, t.row_span));
                }
            }
            TagEnd::Table => {
                if let Some(t) = self.table.take() {
                    self.doc.blocks.push(Block::Table(finish_table(t, self.text)));
                }
            }
            TagEnd::Link | TagEnd::Image => {
                if let Some(link) = self.links.pop() {
                    let whole = Span::new(link.start, span.end);
                    let raw = &self.text[whole.start..whole.end];
                    // The last `](`, by memrchr: `rfind` with a two-byte needle sets up a
                    // substring searcher for every link.
                    let bytes = raw.as_bytes();
                    let target_span = memchr::memrchr_iter(b'(', bytes)
                        .find(|&i| i > 0 && bytes[i - 1] == b']')
                        .map(|i| i - 1)
                        .and_then(|open| {
                            // Usually the target follows `](` directly; a substring search
                            // (slow to set up for short needles) only for `](<x>)` and the like.
                            if raw[open + 2..].starts_with(link.target.as_str()) {
                                return Some(open + 2);
                            }
                            raw[open..].find(link.target.as_str()).map(|i| open + i)
                        })
                        .map(|i| Span::new(whole.start + i, whole.start + i + link.target.len()))
                        .unwrap_or(whole);
                    let text = normalize_owned(link.text);
                    let key = match self.known_keys.and_then(|k| k.0.get(&link.target)) {
                        Some(key) => key.clone(),
                        None => crate::targets::normalize_target(&link.target),
                    };
                    let made = Link { target: link.target, key, text, span: whole, target_span };
                    if link.image {
                        self.doc.images.push(made);
                    } else if let Some(cell) = &mut self.cell {
                        cell.links.push(made);
                    } else if self.table.is_none() {
                        self.doc.links.push(made);
                    }
                }
            }
            TagEnd::Heading(_) => {
                if let Some(h) = self.heading.take() {
                    // The id from the text as written: github-slugger drops a no-break
                    // space that `normalize_owned` would make a space (a hyphen).
                    let slug = self.ids.next(&h.text);
                    let text = normalize_owned(h.text);
                    self.doc.anchors.push(Anchor { name: slug.clone(), span: h.span, explicit: false });
                    self.doc.anchors.extend(h.anchors.iter().cloned());
                    self.doc.blocks.push(Block::Heading(Heading {
                        level: h.level,
                        text,
                        slug,
                        anchors: h.anchors,
                        span: h.span,
                    }));
                }
            }
            TagEnd::BlockQuote(_) => {
                if self.alert.as_ref().is_some_and(|a| a.depth == self.quote_depth) {
                    let a = self.alert.take().expect("checked");
                    let text = normalize_space(&alert_body(&a.text));
                    let numbers = numbers(&text, self.text, a.span);
                    self.doc.blocks.push(Block::Alert(Alert {
                        kind: a.kind,
                        text,
                        span: a.span,
                        marker_span: a.marker_span,
                        numbers,
                    }));
                }
                self.quote_depth = self.quote_depth.saturating_sub(1);
            }
            TagEnd::CodeBlock => {
                if let Some(c) = self.code.take() {
                    self.doc.blocks.push(Block::Code(CodeBlock { lang: c.lang, text: c.text, span: c.span }));
                }
            }
            TagEnd::Paragraph | TagEnd::Item => {
                let owns = self.prose.last().is_some_and(|p| p.span == span);
                if owns {
                    let p = self.prose.pop().expect("checked");
                    self.finish_prose(p);
                }
            }
            _ => {}
        }
    }

    fn push_text(&mut self, text: &str) {
        for link in &mut self.links {
            link.text.push_str(text);
        }
        if let Some(code) = &mut self.code {
            code.text.push_str(text);
            return;
        }
        if let Some(cell) = &mut self.cell {
            cell.text.push_str(text);
            return;
        }
        if let Some(h) = &mut self.heading {
            h.text.push_str(text);
            return;
        }
        if let Some(a) = &mut self.alert {
            a.text.push_str(text);
            return;
        }
        if let Some(p) = self.prose.last_mut() {
            p.text.push_str(text);
        }
    }

    fn html(&mut self, html: &str, span: Span) {
        // An anchor tag starts `<a`; most HTML here is `<br>`, `<sup>` or a comment, and
        // is told apart without starting the regex.
        let bytes = html.as_bytes();
        if memchr::memchr_iter(b'<', bytes).any(|i| matches!(bytes.get(i + 1), Some(b'a' | b'A'))) {
            for (start, end) in anchor_names(html) {
                let name = html[start..end].to_string();
                let anchor = Anchor { name, span, explicit: true };
                match &mut self.heading {
                    Some(h) => h.anchors.push(anchor),
                    None => self.doc.anchors.push(anchor),
                }
            }
        }
        // `<br>` separates words in table cells.
        if html.trim_start().as_bytes().get(..3).is_some_and(|head| head.eq_ignore_ascii_case(b"<br")) {
            self.push_text(" ");
        }
    }

    /// Records the HTML comments in a span of raw HTML (a block or an inline tag).
    fn comments(&mut self, span: Span) {
        let raw = &self.text[span.start..span.end];
        // Most HTML is a tag (`<br>`, `<a name>`, `<sup>`), told apart by a plain search
        // for the comment's opening before the regex is set to work.
        if memchr::memmem::find(raw.as_bytes(), b"<!--").is_none() {
            return;
        }
        // The text is what lies between `<!--` and `-->`: a plain search, no captures.
        for whole in COMMENT_RE.find_iter(raw) {
            let inner = &whole.as_str()["<!--".len()..whole.as_str().len() - "-->".len()];
            self.doc.comments.push(Comment {
                text: inner.trim().to_string(),
                span: Span::new(span.start + whole.start(), span.start + whole.end()),
            });
        }
    }

    fn finish_prose(&mut self, p: ProseBuilder) {
        let raw = &self.text[p.span.start..p.span.end];
        if is_mdx_esm(raw) {
            return;
        }
        // Every include directive contains `[!`; most paragraphs do not, and skip the
        // regex work below (which is then a no-op) on the way to a plain paragraph.
        if !has_directive(raw) && !has_directive(&p.text) {
            if raw.trim().is_empty() {
                return;
            }
            let text = normalize_owned(p.text);
            if !text.is_empty() {
                self.doc.blocks.push(Block::Paragraph(Paragraph::new(text, p.span)));
            }
            return;
        }
        let found = include_matches(raw);
        let mut gap_start = 0;
        let mut blank = true;
        for m in &found {
            blank &= raw[gap_start..m.whole.0].trim().is_empty();
            gap_start = m.whole.1;
            let at = |(start, end): (usize, usize)| Span::new(p.span.start + start, p.span.start + end);
            let span = at(m.whole);
            self.includes.push(span);
            self.doc.blocks.push(Block::Include(Include {
                name: raw[m.name.0..m.name.1].trim().to_string(),
                path: raw[m.path.0..m.path.1].to_string(),
                span,
                path_span: at(m.path),
            }));
        }
        // A paragraph of include lines and white space only has no text of its own.
        if blank && raw[gap_start..].trim().is_empty() {
            return;
        }
        let text = normalize_space(&INCLUDE_RE.replace_all(&p.text, ""));
        let text = text.replace("[!INCLUDE ]", "").trim().to_string();
        if text.is_empty() {
            return;
        }
        self.doc.blocks.push(Block::Paragraph(Paragraph::new(text, p.span)));
    }

    fn finish(mut self) -> Doc {
        // Links inside `[!INCLUDE [x](path)]` are the include, not a link of the page.
        let includes = std::mem::take(&mut self.includes);
        self.doc.links.retain(|l| !includes.iter().any(|i| i.contains(l.span)));
        // Blocks arrive in closing order; a paragraph closes after the includes found in
        // it, so restore document order.
        self.doc.blocks.sort_by_key(|b| b.span().start);
        self.doc
    }
}

/// A cell's visible text; its value, numbers and markers wait until a rule asks
/// (`Cell::value`). (A per-thread memo of finished cells by their Markdown was worth 4.2%
/// of a full check: removed, bench/README.md "Fast paths".)
fn finish_cell(cell: CellBuilder, text: &str) -> Cell {
    Cell::new(normalize_owned(cell.text), trim_span(text, cell.span), cell.span, cell.links, cell.code)
}

/// A cell's value in the vocabulary the page is read in: worked out the first time a
/// rule asks.
pub fn cell_value<'c>(cell: &'c Cell, vocab: &Vocab) -> &'c CellValue {
    cell.value_with(|| {
        // `(Preview) Yes` is a yes.
        if cell.text.is_empty() {
            CellValue::Empty
        } else {
            vocab.classify(&vocab.strip_markers(&cell.text))
        }
    })
}

/// A cell's numbers (spans into `file`, the page's text): worked out the first time a
/// rule asks.
pub fn cell_numbers<'c>(cell: &'c Cell, file: &str) -> &'c [Number] {
    cell.numbers_with(|| numbers(&cell.text, file, cell.raw))
}

/// A cell's markers (spans into `file`, the page's text) in the vocabulary the page is
/// read in: worked out the first time a rule asks.
pub fn cell_markers<'c>(cell: &'c Cell, file: &str, vocab: &Vocab) -> &'c [Marker] {
    cell.markers_with(|| vocab.markers(&file[cell.raw.start..cell.raw.end], cell.raw.start))
}

/// A paragraph's numbers (spans into `file`, the page's text): worked out the first time
/// a rule asks.
pub fn paragraph_numbers<'p>(p: &'p Paragraph, file: &str) -> &'p [Number] {
    p.numbers_with(|| numbers(&p.text, file, p.span))
}

fn finish_table(t: TableBuilder, text: &str) -> Table {
    let rows = t
        .rows
        .into_iter()
        .enumerate()
        .map(|(i, (cells, span))| {
            let key = match cells.first() {
                Some(first) => row_key(first, i, text),
                None => RowKey::Position(i),
            };
            Row { cells, key, span }
        })
        .collect();
    Table { header: t.header, rows, span: t.span }
}

fn row_key(first: &Cell, index: usize, text: &str) -> RowKey {
    if let Some(link) = first.links.first() {
        return RowKey::Link(link.target.trim().to_string());
    }
    if let Some(code) = first.code.first() {
        return RowKey::Code(code.clone());
    }
    if first.text.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ',' || c.is_whitespace()) {
        if let Some(n) = numbers(&first.text, text, first.raw).into_iter().next() {
            return RowKey::Number(n.text);
        }
    }
    if !first.text.is_empty() {
        return RowKey::Text(first.text.clone());
    }
    RowKey::Position(index)
}

/// Numbers in visible text, with spans found by searching the block's source in order.
pub(crate) fn numbers(visible: &str, text: &str, block: Span) -> Vec<Number> {
    // `\d` is any Unicode decimal digit; most blocks have none, and a scan is much
    // cheaper than a regex search that finds nothing. A match starts with a digit, so
    // no match starts before the next byte that may start one (`next_digit`, always a
    // character boundary): each search starts there, and none is made after the last,
    // instead of the regex reading the words between. (A byte test of the rest for any
    // script's digits before the regex was worth 5.6 M of 865 M on the 2k corpus, 0.6%,
    // and a hand scanner of ASCII numbers was worth 2.7% of a full check: removed,
    // bench/README.md "Fast paths".)
    let bytes = visible.as_bytes();
    let Some(first) = next_digit(bytes, 0) else { return Vec::new() };
    let raw = &text[block.start..block.end];
    let mut from = 0;
    let mut out = Vec::new();
    let mut at = first;
    while let Some(found) = next_digit(bytes, at).and_then(|i| NUMBER_RE.find_at(visible, i)) {
        at = found.end();
        let (start, end, m) = (found.start(), found.end(), found.as_str());
        // Digits glued to letters are names (NCsv3, H100, ML2), not quantities.
        let before = visible[..start].chars().next_back();
        let after = visible[end..].chars().next();
        // A version (`v1.33`) is a number; `16진수` (hexadecimal) is a word.
        let version = matches!(before, Some('v' | 'V'))
            && !visible[..start - 1].chars().next_back().is_some_and(|c| c.is_alphanumeric());
        if before.is_some_and(|c| c.is_alphabetic()) && !version
            || after.is_some_and(|c| c.is_ascii_alphabetic() && !is_unit_start(&visible[end..]))
            || ["진수", "진법", "進数", "进制", "進位", "進法"].iter().any(|w| visible[end..].starts_with(w))
        {
            continue;
        }
        let found = crate::text::find_short(&raw[from..], m).map(|i| from + i);
        let span = match found {
            Some(i) => {
                from = i + m.len();
                Span::new(block.start + i, block.start + i + m.len())
            }
            None => block,
        };
        out.push(Number { text: m.to_string(), span });
    }
    out
}

/// Where the names of `ANCHOR_RE`'s matches are in `html` (group 1), left to right.
/// (A hand reader of ASCII tags was worth 1.5% of a full check: removed, bench/README.md
/// "Fast paths".)
fn anchor_names(html: &str) -> Vec<(usize, usize)> {
    ANCHOR_RE.captures_iter(html).filter_map(|c| c.get(1)).map(|m| (m.start(), m.end())).collect()
}

/// An alert's text without its `[!KIND]` marker, up to the white space that
/// `normalize_space` removes next. (An ASCII reader of the kind was worth nothing
/// measurable, -0.2 M of 865 M on the 2k corpus: removed, bench/README.md "Fast paths".)
fn alert_body(text: &str) -> std::borrow::Cow<'_, str> {
    ALERT_TEXT_RE.replace(text, "")
}

/// Whether `text` holds `[!`, which every include directive starts with: a memchr for
/// `[`, without setting up a substring searcher for every paragraph.
/// Whether a paragraph is MDX's `import`/`export` statements (Docusaurus, Starlight): code
/// that every locale repeats as it is, not prose to compare or to call untranslated.
/// Lower-case `import `/`export ` at the start and a statement's end (`;`, a quote, `}`)
/// keep sentences such as "Import the module…" prose.
fn is_mdx_esm(raw: &str) -> bool {
    let text = raw.trim();
    (text.starts_with("import ") || text.starts_with("export "))
        && text.ends_with([';', '\'', '"', '}'])
        && text.lines().all(|l| !l.trim().is_empty())
}

fn has_directive(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'[', bytes).any(|i| bytes.get(i + 1) == Some(&b'!'))
}

/// One match of `INCLUDE_RE`: the whole directive, the name and the path, as byte ranges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct IncludeMatch {
    whole: (usize, usize),
    name: (usize, usize),
    path: (usize, usize),
}

/// Where `INCLUDE_RE` matches in `text`, left to right. (A hand reader of the directive
/// was worth 2.6% of a full check: removed, bench/README.md "Fast paths".)
fn include_matches(text: &str) -> Vec<IncludeMatch> {
    INCLUDE_RE
        .captures_iter(text)
        .map(|c| {
            let range = |g: usize| c.get(g).map_or((0, 0), |m| (m.start(), m.end()));
            IncludeMatch { whole: range(0), name: range(1), path: range(2) }
        })
        .collect()
}

/// Where the first byte from `at` on may start a decimal digit (`\d`): an ASCII digit or
/// the UTF-8 lead byte of another script's digits, which are Arabic-Indic (0xd9), Extended
/// Arabic-Indic (0xdb), NKo (0xdf), the Indic and Southeast Asian scripts (0xe0, 0xe1),
/// Vai to Meetei Mayek (0xea), full-width (0xef) and the supplementary planes (0xf0).
/// CJK ideographs, kana (0xe3-0xe9) and most Hangul (0xeb-0xed) start no search.
/// Looked up in a table, which costs fewer instructions a byte than the comparisons.
fn next_digit(bytes: &[u8], at: usize) -> Option<usize> {
    const DIGIT_START: [bool; 256] = {
        let mut table = [false; 256];
        let mut b = 0;
        while b < 256 {
            table[b] = matches!(b as u8, b'0'..=b'9' | 0xd9 | 0xdb | 0xdf | 0xe0 | 0xe1 | 0xea | 0xef | 0xf0);
            b += 1;
        }
        table
    };
    bytes[at..].iter().position(|&b| DIGIT_START[b as usize]).map(|i| at + i)
}

/// `4GB`, `2x`, `8vCPU`: a unit glued to a number still makes it a quantity.
fn is_unit_start(rest: &str) -> bool {
    // Time units glued to the number (`300s`, `5m`, `2h`, `30min`), as a whole word.
    let word = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
    if ["s", "m", "h", "d", "w", "y", "ms", "us", "ns", "min", "sec", "hr", "hrs", "mins", "secs"]
        .contains(&rest[..word].to_ascii_lowercase().as_str())
    {
        return true;
    }
    let rest = rest.as_bytes();
    ["gb", "mb", "kb", "tb", "gib", "mib", "ms", "px", "x ", "vcpu", "ghz", "mhz", "k ", "m "]
        .iter()
        .any(|u| rest.get(..u.len()).is_some_and(|head| head.eq_ignore_ascii_case(u.as_bytes())))
}

/// Collapses runs of white space (including no-break spaces from `&nbsp;`) and trims.
pub fn normalize_space(text: &str) -> String {
    if is_normal_space(text) {
        return text.to_string();
    }
    normalize_runs(text)
}

/// `normalize_space` of a text the caller owns and no longer needs: most texts are
/// normal already, and keep their buffer.
fn normalize_owned(text: String) -> String {
    if is_normal_space(&text) {
        return text;
    }
    normalize_runs(&text)
}

/// Whether `normalize_space` would return `text` as it is: no space at either end, no
/// two spaces in a row, no control byte (tab, line breaks and the rest) and no other
/// white-space character. Told in passes the compiler vectorizes (no early exit); text
/// with a lead byte of other white space is then judged by the exact UTF-8 bytes (see
/// `space_len`), because those lead bytes also start every kana, the em dash and the
/// curly quotes. Kept as a measured fast path: every text through `normalize_runs`
/// instead costs 9.6% of a full check (bench/README.md, "Fast paths").
fn is_normal_space(text: &str) -> bool {
    let b = text.as_bytes();
    let n = b.len();
    if b.first() == Some(&b' ') || b.last() == Some(&b' ') {
        return false;
    }
    if n < 3 {
        return (0..n).all(|i| space_len(b, i) == 0);
    }
    let (control, lead) = b.iter().fold((false, false), |(control, lead), &c| {
        (control | (c < 0x20), lead | matches!(c, 0xc2 | 0xe1 | 0xe2 | 0xe3))
    });
    let double = b.iter().zip(&b[1..]).fold(false, |d, (&x, &y)| d | ((x == b' ') & (y == b' ')));
    if control || double {
        return false;
    }
    if !lead {
        return true;
    }
    // Only text with a lead byte of other white space gets here. Each window of three
    // bytes: a white-space character of two or three bytes starting there. The last two
    // starts are looked at below: the last byte is no space, so only a two-byte
    // character can start second to last.
    let windows = b.iter().zip(&b[1..]).zip(&b[2..]).fold(false, |hit, ((&x, &y), &z)| {
        hit | ((x == 0xc2) & ((y == 0x85) | (y == 0xa0)))
            | ((x == 0xe1) & (y == 0x9a) & (z == 0x80))
            | ((x == 0xe2) & (y == 0x80) & (((0x80..=0x8a).contains(&z)) | (z == 0xa8) | (z == 0xa9) | (z == 0xaf)))
            | ((x == 0xe2) & (y == 0x81) & (z == 0x9f))
            | ((x == 0xe3) & (y == 0x80) & (z == 0x80))
    });
    let tail = b[n - 2] == 0xc2 && matches!(b[n - 1], 0x85 | 0xa0);
    !windows && !tail
}

/// `normalize_space` for text that needs work.
fn normalize_runs(text: &str) -> String {
    // This runs on every text of every file. Text is mostly words between single
    // spaces already, so it is copied in runs that end only where the spacing changes,
    // and bytes that cannot start a white-space character are skipped by a table.
    // White space at the ends goes first: a table cell of `&nbsp;` is nothing else.
    let text = text.trim();
    if text.is_empty() {
        return String::new();
    }
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut run: Option<usize> = None;
    let mut i = 0;
    while i < bytes.len() {
        let plain = i;
        while i < bytes.len() && !MAY_BE_SPACE[bytes[i] as usize] {
            i += 1;
        }
        let w = if i < bytes.len() { space_len(bytes, i) } else { 0 };
        if w == 0 {
            // Text, up to here and including a lead byte that is not white space.
            if run.is_none() && (i > plain || i < bytes.len()) {
                if !out.is_empty() {
                    out.push(' ');
                }
                run = Some(plain);
            }
            i += 1;
            continue;
        }
        if run.is_none() && i > plain {
            if !out.is_empty() {
                out.push(' ');
            }
            run = Some(plain);
        }
        let mut end = i + w;
        loop {
            match space_len(bytes, end) {
                0 => break,
                more => end += more,
            }
        }
        if let Some(start) = run {
            // One plain space inside the text is already what the output wants.
            if end == i + 1 && bytes[i] == b' ' && end < bytes.len() {
                i = end;
                continue;
            }
            out.push_str(&text[start..i]);
            run = None;
        }
        i = end;
    }
    if let Some(start) = run {
        out.push_str(&text[start..]);
    }
    out
}

/// Bytes that may start a white-space character: ASCII spaces and the UTF-8 lead bytes
/// of the others (see `space_len`).
const MAY_BE_SPACE: [bool; 256] = {
    let mut t = [false; 256];
    let mut k = 0;
    while k < 256 {
        t[k] = matches!(k as u8, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c | 0xc2 | 0xe1 | 0xe2 | 0xe3);
        k += 1;
    }
    t
};

/// The length in bytes of the white-space character at `i` (as `char::is_whitespace`
/// says), or 0. Read from the UTF-8 bytes, so that ordinary text costs one comparison
/// per byte; continuation bytes are never taken for the start of a character.
#[inline]
fn space_len(bytes: &[u8], i: usize) -> usize {
    let at = |k: usize| bytes.get(i + k).copied().unwrap_or(0);
    match at(0) {
        b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c => 1,
        // U+0085, U+00A0
        0xc2 if matches!(at(1), 0x85 | 0xa0) => 2,
        // U+1680
        0xe1 if (at(1), at(2)) == (0x9a, 0x80) => 3,
        // U+2000..=U+200A, U+2028, U+2029, U+202F, U+205F
        0xe2 if matches!((at(1), at(2)), (0x80, 0x80..=0x8a | 0xa8 | 0xa9 | 0xaf) | (0x81, 0x9f)) => 3,
        // U+3000
        0xe3 if (at(1), at(2)) == (0x80, 0x80) => 3,
        _ => 0,
    }
}

fn trim_span(text: &str, span: Span) -> Span {
    let raw = &text[span.start..span.end];
    let lead = raw.len() - raw.trim_start().len();
    let trail = raw.len() - raw.trim_end().len();
    if lead + trail >= raw.len() {
        return span;
    }
    Span::new(span.start + lead, span.end - trail)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Doc {
        parse(text)
    }

    #[test]
    fn a_translation_parsed_beside_its_source_has_the_keys_it_would_have_alone() {
        let settings = crate::settings::Settings::default();
        let source = doc("See [a](/en-us/azure/x/) and ![i](img.png).\n\n| k | v |\n|---|---|\n| [b](B.md) | 1 |\n");
        let tr = "Voir [a](/en-us/azure/x/), [c](/fr-fr/azure/y) et ![i](img.png).\n\n| k | v |\n|---|---|\n| [b](B.md) | 1 |\n";
        let keys = LinkKeys::of(&source);
        let beside = parse_file_beside(tr, &settings, "x.md", &keys);
        let alone = parse_file(tr, &settings, "x.md");
        let all = |d: &Doc| -> Vec<(String, String)> {
            let cells =
                d.tables().flat_map(|t| t.rows.iter()).flat_map(|r| r.cells.iter()).flat_map(|c| c.links.iter());
            d.links.iter().chain(&d.images).chain(cells).map(|l| (l.target.clone(), l.key.clone())).collect()
        };
        assert_eq!(all(&beside), all(&alone));
        assert_eq!(all(&beside).len(), 4);
        assert!(all(&beside).iter().all(|(t, k)| *k == crate::targets::normalize_target(t)));
    }

    #[test]
    fn table_cells_are_normalized() {
        let text = "| a | GPU |\n|---|---|\n| [x](x.md) | [Ja](../y.md) (webbtjänst) |\n| [z](z.md) | &nbsp; |\n";
        let (d, vocab) = (doc(text), Vocab::builtin());
        let t = d.tables().next().unwrap();
        assert_eq!(t.rows[0].key, RowKey::Link("x.md".into()));
        assert_eq!(*cell_value(&t.rows[0].cells[1], &vocab), CellValue::Flag(true));
        assert_eq!(*cell_value(&t.rows[1].cells[1], &vocab), CellValue::Empty);
    }

    #[test]
    fn alerts_includes_and_anchors() {
        let text =
            "## <a name=\"deploy\"></a>Distribution\n\n[!INCLUDE [x](../includes/x.md)]\n\n> [!NOTE]\n> Text 48 GB.\n";
        let d = doc(text);
        let alert = d.alerts().next().unwrap();
        assert_eq!(alert.kind, AlertKind::Note);
        assert_eq!(alert.text, "Text 48 GB.");
        assert_eq!(alert.numbers[0].text, "48");
        assert_eq!(&text[alert.numbers[0].span.start..alert.numbers[0].span.end], "48");
        assert_eq!(d.includes().next().unwrap().path, "../includes/x.md");
        assert!(d.links.is_empty(), "the include's link is not a page link");
        assert!(d.anchors.iter().any(|a| a.name == "deploy" && a.explicit));
    }

    #[test]
    fn bom_and_crlf_keep_offsets() {
        let text = "\u{feff}---\r\ntitle: x\r\n---\r\nSee [a](b.md).\r\n";
        let d = doc(text);
        assert!(matches!(d.front_matter, FrontMatter::Valid { .. }));
        let link = &d.links[0];
        assert_eq!(&text[link.target_span.start..link.target_span.end], "b.md");
    }

    /// A delimiter row with more cells than its header is read with the header's count.
    #[test]
    fn surplus_delimiter_cells_are_merged() {
        let mut fixed = 0;
        for body in ["| a | b |\n|---|---|---|\n", "x\n| a |\n| - | - |\n"] {
            fixed += usize::from(matches!(lenient_tables(body), std::borrow::Cow::Owned(_)));
        }
        assert_eq!(fixed, 2, "surplus delimiter rows are still merged");
        assert!(matches!(lenient_tables("| a | b |\n|---|---|\n"), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn include_directives_are_found_with_their_parts() {
        let text = "x [!include[n](<a.md> \"t\")] y [!INCLUDE [m](b.md)]";
        let found: Vec<(&str, &str)> =
            include_matches(text).iter().map(|m| (&text[m.name.0..m.name.1], &text[m.path.0..m.path.1])).collect();
        assert_eq!(found, [("n", "a.md"), ("m", "b.md")]);
    }

    /// A kind is one of the ASCII names; a word with another letter makes a plain quote.
    #[test]
    fn alert_kinds_are_ascii_names() {
        for (text, kind) in [
            ("> [!note]\n> x\n", Some(AlertKind::Note)),
            ("  > [!WARNING]\n> x\n", Some(AlertKind::Warning)),
            ("> [!NOTEä]\n> x\n", None),
            ("> [!ÄNDERUNG]\n> x\n", None),
            ("> [!NOTE_2]\n> x\n", None),
        ] {
            assert_eq!(doc(text).alerts().next().map(|a| a.kind), kind, "{text:?}");
        }
    }

    #[test]
    fn alert_markers_come_off_as_the_regex_takes_them() {
        let texts = [
            "[!NOTE] Text",
            "  [!TIP]\u{a0}x",
            "[!] x",
            "[!NOTE x",
            "x [!NOTE] y",
            "[!Wichtig] ä",
            "[!ÄNDERUNG] x",
            "[!NOTE_2]",
            "\u{3000}[!NOTE]テキスト",
            "",
            "[!NOTE]",
            "[!NO TE] x",
            "[!ノート] x",
        ];
        for text in texts {
            assert_eq!(
                normalize_space(&alert_body(text)),
                normalize_space(&ALERT_TEXT_RE.replace(text, "")),
                "{text:?}"
            );
        }
    }

    #[test]
    fn anchor_names_are_read_from_a_tags() {
        assert_eq!(anchor_names("<a name=\"top\"></a>"), [(9, 12)]);
        assert_eq!(anchor_names("<A id='x'> <b name=\"y\">"), [(7, 8)]);
    }

    #[test]
    fn white_space_bytes_are_the_white_space_characters() {
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let mut buf = [0; 4];
            let encoded = c.encode_utf8(&mut buf);
            let expected = if c.is_whitespace() { c.len_utf8() } else { 0 };
            assert_eq!(space_len(encoded.as_bytes(), 0), expected, "{:?} U+{:04X}", c, c as u32);
        }
    }

    /// Numbers are found wherever they are: first, between words and digits of other
    /// scripts, and last; names with digits are not numbers.
    #[test]
    fn numbers_are_found_between_words() {
        let found = |text: &str| -> Vec<String> {
            numbers(text, text, Span::new(0, text.len())).into_iter().map(|n| n.text).collect()
        };
        assert_eq!(
            found("12 GB, NC6 und v1.33 mit ١٢ Kernen — 日本語 3 件 10 000 Zeilen 7"),
            ["12", "1.33", "١٢", "3", "10 000", "7"]
        );
        assert_eq!(found("日本語のテキスト（全角）、ＮＣ６"), Vec::<String>::new());
        assert_eq!(found("Das Ende: 4"), ["4"]);
    }

    /// Every script's decimal digits make numbers, one script per UTF-8 lead byte its
    /// digits have, and so does every other character `\d` matches; CJK text around them
    /// (ideographs, kana, Hangul, full-width punctuation) adds none.
    #[test]
    fn numbers_of_every_script_are_found() {
        let found = |text: &str| -> Vec<String> {
            numbers(text, text, Span::new(0, text.len())).into_iter().map(|n| n.text).collect()
        };
        for (digit, script) in [
            ("٣", "Arabic-Indic"),
            ("۴", "Extended Arabic-Indic"),
            ("߅", "NKo"),
            ("५", "Devanagari"),
            ("๗", "Thai"),
            ("၃", "Myanmar"),
            ("꘣", "Vai"),
            ("７", "full-width"),
            ("𝟕", "mathematical bold"),
            ("𑁧", "Brahmi"),
        ] {
            assert_eq!(found(&format!("合計 {digit}{digit} 件")), [format!("{digit}{digit}")], "{script}");
        }
        let digit = Regex::new(r"^\d$").unwrap();
        let mut checked = 0;
        for c in (0..=char::MAX as u32).filter_map(char::from_u32) {
            let text = c.to_string();
            if digit.is_match(&text) {
                assert_eq!(found(&format!("x {text} y")), [text], "U+{:04X}", c as u32);
                checked += 1;
            }
        }
        assert!(checked >= 650, "{checked} digits");
        assert_eq!(
            found("価格は 3 件、（２）と 10,5 ＧＢ、한국어 텍스트 7 개。「テスト」：꿀 뷁 힣"),
            ["3", "２", "10,5", "7"]
        );
        assert_eq!(found("日本語のテキスト（全角）、ＮＣ６、中文文本，한국어 텍스트"), Vec::<String>::new());
    }

    /// `anchors` is `parse(..).anchors` without the rest: the same names in the same
    /// order on every Markdown file of the fixtures, hostile ones included.
    #[test]
    fn anchors_agree_with_the_full_parse() {
        let mut checked = 0;
        let mut dirs = vec![std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap().flatten() {
                let path = entry.path();
                let kind = entry.file_type().unwrap();
                if kind.is_dir() {
                    dirs.push(path);
                } else if kind.is_file() && path.extension().is_some_and(|e| e == "md") {
                    let Ok(text) = std::fs::read_to_string(&path) else { continue };
                    let full: Vec<String> = parse(&text).anchors.into_iter().map(|a| a.name).collect();
                    assert_eq!(anchors(&text), full, "{}", path.display());
                    checked += 1;
                }
            }
        }
        assert!(checked > 100, "only {checked} fixture files");
        let text = "---\ntitle: x\n---\n# A `b` <br> c {#own}\n\n## <a name=\"n\"></a>Two\n\n<a id='free'></a>\n";
        let full: Vec<String> = parse(text).anchors.into_iter().map(|a| a.name).collect();
        assert_eq!(anchors(text), full);
        assert_eq!(full, ["a-b-c", "own", "two", "n", "free"]);
    }

    #[test]
    fn normalize_space_agrees_with_split_and_join() {
        let alphabet =
            [' ', ' ', '\t', '\n', 'a', 'b', 'é', '日', 'テ', '\u{a0}', '\u{3000}', '\u{2003}', '\u{2028}', '\u{e2}'];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for len in 0..400 {
            let text: String = (0..len % 23)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    alphabet[(seed % alphabet.len() as u64) as usize]
                })
                .collect();
            let expected = text.split(char::is_whitespace).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ");
            assert_eq!(normalize_space(&text), expected, "{text:?}");
        }
        // Mostly words and single spaces, long enough for whole vector chunks: the texts
        // that `is_normal_space` passes through as they are.
        // Half the texts draw from the first five pieces only (words and single spaces,
        // doubled now and then), the others from all of them.
        let words = [
            "ab", "é", "日本", " ", "cd", "\u{1c}", "\u{a9}", "\u{2014}", "x\u{a0}y", "\t", "\u{85}", "\u{1680}",
            "\u{1681}", "\u{205f}", "\u{202f}", "\u{200a}", "\u{200b}", "\u{2029}", "\u{2010}", "\u{3001}", "\u{3000}",
            "テ", "\u{a0}",
        ];
        let mut clean = 0;
        for len in 0..600 {
            let kinds = if len % 2 == 0 { 5 } else { words.len() as u64 };
            let text: String = (0..len % 61)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    words[(seed % kinds) as usize]
                })
                .collect();
            clean += usize::from(is_normal_space(&text) && text.len() > 64);
            // The last bytes are judged apart from the rest: end in two-byte characters too.
            for end in ["", "\u{a0}", "\u{85}", "é"] {
                let text = format!("{text}{end}");
                let expected = text.split(char::is_whitespace).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ");
                assert_eq!(normalize_space(&text), expected, "{text:?}");
                assert_eq!(normalize_owned(text.clone()), expected, "{text:?}");
            }
        }
        assert!(clean > 10, "the shortcut was taken by {clean} long texts only");
    }

    #[test]
    fn spaces_collapse_to_one() {
        assert_eq!(normalize_space(" a \t b\n\u{a0}c\u{202f}\u{3000}日本 "), "a b c 日本");
        assert_eq!(normalize_space("\u{a0} \n"), "");
        assert_eq!(normalize_space("one"), "one");
        assert_eq!(normalize_space("a b  c\u{a0}d  "), "a b c d");
        assert_eq!(normalize_space("  a b"), "a b");
        assert_eq!(normalize_space("日本 語\u{3000}テ"), "日本 語 テ");
        assert_eq!(normalize_space("x\u{a0}"), "x");
        assert_eq!(normalize_space("é"), "é");
        // Kana, dashes and curly quotes start with the lead bytes of white space too.
        assert!(is_normal_space("日本語のテキスト — “quoted” © 2024"));
        assert!(!is_normal_space("日本語\u{3000}テキスト"));
    }

    #[test]
    fn unclosed_front_matter_is_invalid() {
        let d = doc("---\ntitle: x\n\nBody\n");
        assert!(matches!(d.front_matter, FrontMatter::Invalid { .. }));
    }

    #[test]
    fn mdx_pages_see_headings_after_jsx_tags() {
        let text = "<Box>\n## Checklist\n</Box>\n\n<Tabs>\n  <Tab>\n    ```js\n    a\n\n    b\n```\n  </Tab>\n</Tabs>\n\n<P>\n  <F>\n  ```sh\n  # one\n  \n  ```\n  </F>\n  <F>\n  ```sh\n  # two\n  \n  ```\n  </F>\n</P>\n\n## Manual setup\n\n<a name=\"kept\"></a>\n## Kept\n";
        let mdx = anchors_of_file(text, IdStyle::Github, "x.MDX");
        assert_eq!(mdx, ["checklist", "manual-setup", "kept", "kept"]);
        // A Markdown page is CommonMark: the HTML block and the fence opened by the
        // unindented closing one swallow every heading.
        assert!(anchors_of_file(text, IdStyle::Github, "x.md").is_empty());
        let doc = parse_file(text, &crate::settings::Settings::default(), "x.mdx");
        let names: Vec<&str> = doc.anchors.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, mdx);
        // Offsets are kept: a heading's span is its text in the page.
        let heading = doc.blocks.iter().find_map(|b| match b {
            Block::Heading(h) if h.slug == "manual-setup" => Some(h.span),
            _ => None,
        });
        assert_eq!(heading.map(|s| &text[s.start..s.end]), Some("## Manual setup\n"));
    }

    #[test]
    fn comments_are_collected_outside_code() {
        let text = "<!-- a\n  b -->\nText <!-- c --> more.\n\n| x | y <!-- d --> |\n|---|---|\n| 1 | 2 |\n\n```\n<!-- code -->\n```\n";
        let d = doc(text);
        let texts: Vec<&str> = d.comments.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(texts, ["a\n  b", "c", "d"]);
        for c in &d.comments {
            let raw = &text[c.span.start..c.span.end];
            assert!(raw.starts_with("<!--") && raw.ends_with("-->"), "{raw}");
        }
    }

    #[test]
    fn delimiter_rows_with_surplus_cells_still_make_a_table() {
        let text = "| **Supported VM series** | **Category** |\n|------------|------------|------------|\n| [Dv2](dv2.md) | General purpose |\n";
        let d = doc(text);
        let t = d.tables().next().expect("a table, as Microsoft Learn renders it");
        assert_eq!(t.columns(), 2);
        assert_eq!(t.rows[0].key, RowKey::Link("dv2.md".into()));
        assert_eq!(&text[t.rows[0].cells[1].span.start..t.rows[0].cells[1].span.end], "General purpose");
        // A delimiter with fewer cells is still no table, and code is left alone.
        assert!(doc("| a | b |\n|---|\n| c | d |\n").tables().next().is_none());
        assert!(doc("```\n| a |\n|---|---|\n```\n").tables().next().is_none());
    }

    /// The fence search of `front_matter_bounds` finds what a look at every line (as it
    /// was written before) finds, on random text made of fences, line breaks, white
    /// space and other characters.
    #[test]
    fn front_matter_bounds_agree_with_a_look_at_every_line() {
        use proptest::prelude::*;
        fn by_lines(text: &str, base: usize) -> (u8, usize, usize, usize) {
            let rest = &text[base..];
            let first_line_len = rest.find('\n').map_or(rest.len(), |i| i + 1);
            if rest[..first_line_len].trim_end() != "---" {
                return (0, 0, 0, 0);
            }
            let yaml_start = base + first_line_len;
            let mut offset = yaml_start;
            for line in crate::text::lines_inclusive(&text[yaml_start..]) {
                let trimmed = line.trim_end();
                if trimmed == "---" || trimmed == "..." {
                    return (1, yaml_start, offset, offset + line.len());
                }
                offset += line.len();
            }
            (2, 0, 0, 0)
        }
        let fast = |text: &str, base: usize| match front_matter_bounds(text, base) {
            Bounds::Absent => (0, 0, 0, 0),
            Bounds::Closed { yaml_start, yaml_end, end } => (1, yaml_start, yaml_end, end),
            Bounds::Unclosed => (2, 0, 0, 0),
        };
        let piece = prop::sample::select(vec![
            "---", "...", "\n", "\r\n", " ", "\u{a0}", "\u{2028}", "-", ".", "x", "a: b\n", "---\n", "...\n", "----",
        ]);
        let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(4096));
        runner
            .run(&(prop::collection::vec(piece, 0..12), any::<bool>()), |(pieces, bom)| {
                let text = format!("{}---\n{}", if bom { "\u{feff}" } else { "" }, pieces.concat());
                // With the opening fence, and without it (then maybe opened by a piece).
                let body = if bom { 7 } else { 4 };
                for text in [text.as_str(), &text[body..]] {
                    let base = if text.starts_with('\u{feff}') { 3 } else { 0 };
                    prop_assert_eq!(fast(text, base), by_lines(text, base), "{:?}", text);
                }
                Ok(())
            })
            .expect("the fence search agrees with the line by line look");
    }

    /// Front matter read line by line up to the fence (`simple_front_matter`) is what
    /// finding the fence first and reading the YAML between makes of it, on random
    /// files made of key lines, odd lines and fences.
    #[test]
    fn simple_front_matter_agrees_with_reading_between_the_bounds() {
        use proptest::prelude::*;
        let line = prop::sample::select(vec![
            "title: x\n",
            "ms.date: 08/23/2019\r\n",
            "a: \"q\"\n",
            "\n",
            "# c\n",
            "---\n",
            "...\n",
            "--- \n",
            "----\n",
            "---",
            "b: 1\n",
            "c: [x]\n",
            "title: y\n",
            "  d: x\n",
            "e: x\ty\n",
            "f: é\n",
            "Body\n",
            "\r\n",
            "g: x\r",
            "h:\n",
            "....\n",
            "...x\n",
            "--- x\n",
            "---\u{a0}\n",
            "..\n",
        ]);
        let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(4096));
        runner
            .run(&(prop::collection::vec(line, 0..10), any::<bool>()), |(lines, bom)| {
                let text = format!("{}---\n{}", if bom { "\u{feff}" } else { "" }, lines.concat());
                let base = if bom { 3 } else { 0 };
                let fast = front_matter(&text, base);
                let slow = front_matter_by_bounds(&text, base);
                prop_assert_eq!(format!("{:?}", fast), format!("{:?}", slow), "{:?}", text);
                Ok(())
            })
            .expect("reading up to the fence agrees with reading between the bounds");
    }
}
