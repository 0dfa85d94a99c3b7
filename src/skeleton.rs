//! The skeleton of a page: every block, in order, with its byte span and a language-neutral
//! signature (DESIGN.md, "The skeleton"), read with the site's dialect.
//!
//! A line scanner, not pulldown-cmark: the dialects' containers cut across CommonMark's
//! block structure (an indented `!!!` body is an indented code block to CommonMark, a
//! `:::` line joins the paragraph under it, `{{< note >}}` is inline HTML-ish text), so
//! the containers are found on lines and the Markdown blocks between them the same way.
//! Blocks hold spans only; what a rule compares is read from the text when asked.

use crate::dialect::{Dialect, Form};
use crate::finding::Span;
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

/// What a block is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Heading,
    Paragraph,
    ListItem,
    /// A paragraph or list item that is only inline code (tldr's example lines).
    Command,
    /// One `>` line of a quote that is not an alert.
    Quote,
    Alert,
    Directive,
    Include,
    Code,
    Table,
    Html,
}

impl Kind {
    /// How messages name the kind.
    pub fn noun(self) -> &'static str {
        match self {
            Kind::Heading => "heading",
            Kind::Paragraph => "paragraph",
            Kind::ListItem => "list item",
            Kind::Command => "command",
            Kind::Quote => "quote line",
            Kind::Alert => "admonition",
            Kind::Directive => "directive",
            Kind::Include => "include",
            Kind::Code => "code block",
            Kind::Table => "table",
            Kind::Html => "HTML block",
        }
    }

    /// Prose that translators merge, split and reword.
    pub fn is_prose(self) -> bool {
        matches!(self, Kind::Paragraph | Kind::ListItem | Kind::Quote)
    }
}

/// One block. `head` is what identifies it beyond its kind: the admonition's kind word,
/// the directive's name and arguments, the include's path, the code block's info string,
/// the command's code, the heading's line; for prose it is the block itself.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct Block {
    pub kind: Kind,
    pub span: Span,
    pub head: Span,
    /// List depth (1 for a top-level item), or 0.
    pub depth: u16,
    /// Heading level, or 0.
    pub level: u8,
    /// The enclosing alert or directive (its index + 1), 0 at the top.
    pub parent: u32,
    /// The heading this block is under (its index + 1), 0 before the first heading.
    pub section: u32,
    /// A directive written inside a line of prose (`{{< glossary_tooltip >}}`).
    pub inline: bool,
}

impl Block {
    /// Whether block-missing / block-extra report this block when one side lacks it.
    /// Headings, tables, code blocks, `> [!NOTE]` alerts and `[!INCLUDE]`s have rules of
    /// their own (heading-mismatch, table-missing, code-mismatch, missing-note,
    /// include-mismatch); a directive inside a line of prose belongs to that prose.
    pub fn is_skeleton_finding(&self, text: &str) -> bool {
        let head = &text[self.head.start..self.head.end];
        match self.kind {
            Kind::Heading | Kind::Table | Kind::Code => false,
            Kind::Alert => !text[self.span.start..].trim_start().starts_with('>'),
            Kind::Include => !head.trim_start().starts_with(['[', '!']) && !text[self.span.start..].starts_with("[!"),
            Kind::Directive => !self.inline,
            // `</TabItem>`, `</Testimonial>\n</TestimonialGrid>`: a component's end, whose
            // content blocks are findings of their own.
            Kind::Html => !closing_tags_only(&text[self.span.start..self.span.end]),
            _ => true,
        }
    }
}

fn closing_tags_only(body: &str) -> bool {
    let t = body.trim();
    t.starts_with("</")
        && t.split('>').all(|part| {
            let part = part.trim();
            part.is_empty() || part.starts_with("</") && !part[2..].contains(['<', ' '])
        })
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Skeleton {
    pub blocks: Vec<Block>,
}

/// What `locdrift model FILE` prints: the model, and the skeleton with each block's head.
#[derive(serde::Serialize)]
pub struct ModelView<'a> {
    #[serde(flatten)]
    pub doc: &'a crate::model::Doc,
    pub skeleton: Vec<BlockView<'a>>,
}

#[derive(serde::Serialize)]
pub struct BlockView<'a> {
    #[serde(flatten)]
    pub block: Block,
    pub text: &'a str,
}

impl Skeleton {
    pub fn view<'a>(&self, text: &'a str) -> Vec<BlockView<'a>> {
        self.blocks.iter().map(|b| BlockView { block: *b, text: &text[b.head.start..b.head.end] }).collect()
    }
}

/// How an open container ends.
#[derive(Debug, Clone)]
enum Close {
    /// `:::` with this many colons.
    Colon(usize),
    /// ```` ``` ```` or `~~~` of at least this length.
    Fence(u8, usize),
    /// `{{< /name >}}`.
    Shortcode(String),
    /// `///` with this many slashes.
    Slashes(usize),
    /// The first non-blank line indented less than this.
    Indent(usize),
    /// The first line that is not a `>` line (GFM alerts).
    Quote,
}

struct Open {
    block: usize,
    close: Close,
}

/// Nesting deeper than this is read as plain text: a page is not a stack bomb.
const MAX_DEPTH: usize = 64;

pub fn build(text: &str, dialect: &Dialect) -> Skeleton {
    let mut include_starts = ByteSet::default();
    for inc in &dialect.includes {
        match inc.open.as_bytes().first() {
            Some(&c) => {
                include_starts.add(c.to_ascii_lowercase());
                include_starts.add(c.to_ascii_uppercase());
            }
            None => include_starts = ByteSet([u64::MAX; 4]),
        }
    }
    let mut s = Scanner {
        text,
        dialect,
        // Pages have a block per few hundred bytes: room for most of them up front.
        blocks: Vec::with_capacity(text.len() / 256 + 4),
        stack: Vec::new(),
        prose: None,
        section: 0,
        lists: Vec::new(),
        include_starts,
    };
    s.run();
    Skeleton { blocks: s.blocks }
}

struct Scanner<'a> {
    text: &'a str,
    dialect: &'a Dialect,
    blocks: Vec<Block>,
    stack: Vec<Open>,
    /// The paragraph, list item or table being read, which a following line may continue.
    prose: Option<usize>,
    section: u32,
    /// Indents of the open list items, innermost last.
    lists: Vec<usize>,
    /// The first bytes of the dialect's include openings, in either case.
    include_starts: ByteSet,
}

/// A set of bytes.
#[derive(Default)]
struct ByteSet([u64; 4]);

impl ByteSet {
    fn add(&mut self, b: u8) {
        self.0[b as usize >> 6] |= 1 << (b & 63);
    }

    fn has(&self, b: u8) -> bool {
        self.0[b as usize >> 6] & (1 << (b & 63)) != 0
    }
}

/// The end of the line at `pos` (before its `\n`) and where the next line starts. memchr:
/// this runs for every line of every page, and most lines are short.
fn line_at(text: &str, pos: usize) -> (usize, usize) {
    let end = memchr::memchr(b'\n', &text.as_bytes()[pos..]).map_or(text.len(), |i| pos + i);
    (end, if end < text.len() { end + 1 } else { end })
}

fn indent_of(line: &str) -> usize {
    line.bytes().take_while(|&b| b == b' ' || b == b'\t').map(|b| if b == b'\t' { 4 } else { 1 }).sum()
}

impl<'a> Scanner<'a> {
    fn run(&mut self) {
        let text = self.text;
        let mut pos = crate::parse::front_matter_end(text);
        // Fenced code being read: (fence char, length, block index).
        let mut fence: Option<(u8, usize, usize)> = None;
        // A shortcode whose body is code (`highlight`): its closing name and block.
        let mut code_shortcode: Option<(String, usize)> = None;
        let mut html: Option<(usize, bool)> = None; // block, is a comment
        while pos < text.len() {
            let (end, next) = line_at(text, pos);
            let raw = &text[pos..end];
            let raw = raw.strip_suffix('\r').unwrap_or(raw);
            if let Some((ch, len, b)) = fence {
                let (off, content) = self.strip_quote_prefix(pos, raw);
                let t = content.trim();
                if t.len() >= len && t.bytes().all(|c| c == ch) {
                    fence = None;
                    self.blocks[b].span.end = off + content.len();
                    if matches!(self.stack.last(), Some(Open { close: Close::Fence(..), block }) if *block == b) {
                        self.stack.pop();
                    }
                }
                self.extend_open(end);
                pos = next;
                continue;
            }
            if let Some((name, b)) = &code_shortcode {
                if let Some((_, n, closing)) = shortcode_at(raw.trim_start()) {
                    if closing && n == name {
                        if let Some(block) = self.blocks.get_mut(*b) {
                            block.span.end = end;
                        }
                        code_shortcode = None;
                    }
                }
                self.extend_open(end);
                pos = next;
                continue;
            }
            if let Some((b, comment)) = html {
                if comment {
                    if raw.contains("-->") {
                        html = None;
                    }
                    pos = next;
                    continue;
                }
                // MDX ends a JSX tag's block at its line: a heading or fence right after
                // it is one.
                if raw.trim().is_empty()
                    || self.dialect.mdx && (is_atx_heading(raw) || fence_open(raw.trim()).is_some())
                {
                    html = None;
                } else {
                    self.blocks[b].span.end = end;
                    self.extend_open(end);
                    pos = next;
                    continue;
                }
            }
            // Outside every container (most lines) there is nothing to close or strip.
            let line = if self.stack.is_empty() {
                raw
            } else {
                self.close_by_quote_or_indent(raw);
                let (_, line) = self.strip_quote_prefix(pos, raw);
                self.strip_container_indent(line)
            };
            let line_end = pos + raw.len();
            let ind = indent_of(line);
            let lead = line.trim_start();
            let start = line_end - lead.len();
            let t = lead.trim_end();
            if t.is_empty() {
                self.prose = None;
                pos = next;
                continue;
            }
            // The closing fence of a MyST fenced directive.
            if let Some(Open { close: Close::Fence(ch, len), block }) = self.stack.last() {
                if t.len() >= *len && t.bytes().all(|c| c == *ch) {
                    let b = *block;
                    self.blocks[b].span.end = line_end;
                    self.stack.pop();
                    self.prose = None;
                    pos = next;
                    continue;
                }
            }
            // Fenced code, or a MyST fenced directive.
            if let Some((ch, len, info)) = fence_open(t) {
                self.prose = None;
                let info_start = start + len;
                if self.dialect.has(Form::MystFence) && info.starts_with('{') {
                    if let Some(close) = info.find('}') {
                        let name = &info[1..close];
                        let kind = self.alert_or_directive(name, Form::MystFence);
                        // A directive's head is its whole opening line (`{include} ../a.md`):
                        // its arguments follow the name there. An admonition's is its name.
                        let head = if kind == Kind::Directive {
                            Span::new(info_start, start + t.len())
                        } else {
                            Span::new(info_start + 1, info_start + close)
                        };
                        let b = self.push(kind, Span::new(start, line_end), head, 0);
                        if self.stack.len() < MAX_DEPTH {
                            self.stack.push(Open { block: b, close: Close::Fence(ch, len) });
                            pos = next;
                            continue;
                        }
                    }
                }
                let lang_end = info.find(|c: char| c.is_whitespace() || c == '{' || c == ',').unwrap_or(info.len());
                let b =
                    self.push(Kind::Code, Span::new(start, line_end), Span::new(info_start, info_start + lang_end), 0);
                fence = Some((ch, len, b));
                pos = next;
                continue;
            }
            if t.starts_with("<!--") {
                self.prose = None;
                if !t.contains("-->") {
                    html = Some((0, true));
                }
                pos = next;
                continue;
            }
            if self.container_line(t, start, line_end, ind) {
                self.prose = None;
                pos = next;
                continue;
            }
            if let Some(code_name) = self.shortcode_line(t, start, line_end) {
                if let Some((name, hidden)) = code_name {
                    // A hidden body has no block to extend.
                    code_shortcode = Some((name, if hidden { usize::MAX } else { self.blocks.len() - 1 }));
                }
                self.prose = None;
                pos = next;
                continue;
            }
            if let Some(b) = self.include_line(t, start, line_end) {
                let _ = b;
                self.prose = None;
                pos = next;
                continue;
            }
            // ATX heading.
            let hashes = t.bytes().take_while(|&b| b == b'#').count();
            if (1..=6).contains(&hashes) && (t.len() == hashes || t.as_bytes()[hashes] == b' ') && ind < 4 {
                self.prose = None;
                self.lists.clear();
                let b = self.push(Kind::Heading, Span::new(start, line_end), Span::new(start, line_end), 0);
                self.blocks[b].level = hashes as u8;
                self.section = b as u32 + 1;
                self.blocks[b].section = self.section;
                pos = next;
                continue;
            }
            if is_thematic_break(t) {
                self.prose = None;
                pos = next;
                continue;
            }
            // A quote: a GFM alert opens a container, any other `>` line is a quote line.
            if let Some(rest) = t.strip_prefix('>') {
                self.prose = None;
                let rest_t = rest.trim();
                if self.dialect.has(Form::GfmAlert) && rest_t.starts_with("[!") && rest_t.ends_with(']') {
                    let word = &rest_t[2..rest_t.len() - 1];
                    if !word.is_empty() && word.bytes().all(|b| b.is_ascii_alphabetic()) {
                        let ws = line_end - rest.trim_start().len() + 2;
                        let b = self.push(Kind::Alert, Span::new(start, line_end), Span::new(ws, ws + word.len()), 0);
                        if self.stack.len() < MAX_DEPTH {
                            self.stack.push(Open { block: b, close: Close::Quote });
                        }
                        pos = next;
                        continue;
                    }
                }
                // Text after `>` on a line of a non-alert quote.
                if !rest_t.is_empty() && !rest_t.chars().all(|c| c == '>') {
                    self.push(Kind::Quote, Span::new(start, line_end), Span::new(start, line_end), 0);
                }
                pos = next;
                continue;
            }
            // A component the site places on one side by convention, and its import.
            if self.dialect.mdx && t.starts_with(['<', 'i']) && is_convention_component(t, self.dialect) {
                pos = next;
                continue;
            }
            // HTML, and MDX imports / components.
            if is_html_start(t) && (self.dialect.mdx || !inline_html_then_text(t))
                || self.dialect.mdx && (t.starts_with("import ") || t.starts_with("export "))
            {
                self.prose = None;
                let b = self.push(Kind::Html, Span::new(start, line_end), Span::new(start, line_end), 0);
                html = Some((b, false));
                pos = next;
                continue;
            }
            // Table: a `|` line, or a line whose next line is a delimiter row.
            if let Some(p) = self.prose {
                if self.blocks[p].kind == Kind::Table && has_pipe(t) {
                    self.blocks[p].span.end = line_end;
                    self.extend_open(line_end);
                    pos = next;
                    continue;
                }
            }
            // The line's own pipe is looked for before the next line is read.
            if self.prose.is_none() && has_pipe(t) && (t.starts_with('|') || next_is_delimiter(text, next)) {
                let b = self.push(Kind::Table, Span::new(start, line_end), Span::new(start, line_end), 0);
                self.prose = Some(b);
                pos = next;
                continue;
            }
            // List item.
            if let Some(marker) = list_marker(t) {
                while self.lists.last().is_some_and(|&i| i > ind) {
                    self.lists.pop();
                }
                if self.lists.last() != Some(&ind) {
                    self.lists.push(ind);
                }
                let content = start + marker;
                let b = self.push(
                    Kind::ListItem,
                    Span::new(start, line_end),
                    Span::new(content, line_end),
                    self.lists.len(),
                );
                self.prose = Some(b);
                pos = next;
                continue;
            }
            // Continuation of a paragraph or list item.
            if let Some(p) = self.prose {
                if self.blocks[p].kind != Kind::Table {
                    self.blocks[p].span.end = line_end;
                    self.blocks[p].head.end = line_end;
                    self.extend_open(line_end);
                    pos = next;
                    continue;
                }
            }
            if ind == 0 {
                self.lists.clear();
            }
            let depth = self.lists.iter().filter(|&&i| i < ind).count();
            let b = self.push(Kind::Paragraph, Span::new(start, line_end), Span::new(start, line_end), depth);
            self.prose = Some(b);
            pos = next;
        }
        let _ = html;
        self.finish();
    }

    /// Marks prose blocks that are only inline code as commands, and adds the directives
    /// written inside prose lines.
    fn finish(&mut self) {
        let n = self.blocks.len();
        let mut extra = Vec::new();
        // Only a dialect with shortcodes has directives inside prose.
        let inline = self.dialect.has(Form::Shortcode);
        for i in 0..n {
            let b = self.blocks[i];
            if matches!(b.kind, Kind::Paragraph | Kind::ListItem | Kind::Quote) {
                // Untrimmed: `is_code_only` trims what it reads, and no `{{` has white space in it.
                let body = &self.text[b.head.start..b.head.end];
                if b.kind != Kind::Quote && is_code_only(body) {
                    self.blocks[i].kind = Kind::Command;
                }
                if inline && has_double_brace(body.as_bytes()) {
                    extra.push(i);
                }
            }
        }
        // Inline directives follow their prose block, so alignment keeps them in place.
        if extra.is_empty() {
            return;
        }
        let mut out = Vec::with_capacity(n + extra.len());
        let mut remap = vec![0u32; n + 1];
        let mut e = 0;
        for i in 0..n {
            // Containers and headings come before what they hold: already renumbered.
            let mut b = self.blocks[i];
            b.parent = remap[b.parent as usize];
            b.section = remap[b.section as usize];
            out.push(b);
            remap[i + 1] = out.len() as u32;
            if e < extra.len() && extra[e] == i {
                e += 1;
                for (s, h) in inline_shortcodes(self.text, b.head, self.dialect) {
                    out.push(Block {
                        kind: Kind::Directive,
                        span: s,
                        head: h,
                        depth: b.depth,
                        level: 0,
                        parent: b.parent,
                        section: b.section,
                        inline: true,
                    });
                }
            }
        }
        self.blocks = out;
    }

    fn push(&mut self, kind: Kind, span: Span, head: Span, depth: usize) -> usize {
        let parent = self.stack.last().map_or(0, |o| o.block as u32 + 1);
        self.blocks.push(Block {
            kind,
            span,
            head,
            depth: depth.min(u16::MAX as usize) as u16,
            level: 0,
            parent,
            section: self.section,
            inline: false,
        });
        self.extend_open(span.end);
        self.blocks.len() - 1
    }

    /// Open containers reach at least to `end`.
    fn extend_open(&mut self, end: usize) {
        for o in &self.stack {
            let b = &mut self.blocks[o.block];
            if b.span.end < end {
                b.span.end = end;
            }
        }
    }

    fn alert_or_directive(&self, name: &str, form: Form) -> Kind {
        if self.dialect.kind(name).is_some() || self.dialect.directive(name, form).is_none() && form != Form::Shortcode
        {
            Kind::Alert
        } else {
            Kind::Directive
        }
    }

    /// Closes GFM alerts at a line without `>` and indented bodies at a line indented less.
    fn close_by_quote_or_indent(&mut self, raw: &str) {
        loop {
            let Some(top) = self.stack.last() else { return };
            let close = match &top.close {
                Close::Quote => {
                    let depth = self.stack.iter().filter(|o| matches!(o.close, Close::Quote)).count();
                    quote_depth(raw) < depth
                }
                Close::Indent(n) => !raw.trim().is_empty() && indent_of(raw) < *n,
                _ => false,
            };
            if !close {
                return;
            }
            self.stack.pop();
            self.prose = None;
        }
    }

    /// The line without the `>` markers of the open GFM alerts, and where it starts.
    fn strip_quote_prefix<'t>(&self, pos: usize, raw: &'t str) -> (usize, &'t str) {
        let depth = self.stack.iter().filter(|o| matches!(o.close, Close::Quote)).count();
        let mut line = raw;
        for _ in 0..depth {
            let t = line.trim_start();
            match t.strip_prefix('>') {
                Some(r) => line = r.strip_prefix(' ').unwrap_or(r),
                None => break,
            }
        }
        (pos + raw.len() - line.len(), line)
    }

    fn container_indent(&self) -> usize {
        self.stack.iter().filter_map(|o| if let Close::Indent(n) = o.close { Some(n) } else { None }).max().unwrap_or(0)
    }

    fn strip_container_indent<'t>(&self, line: &'t str) -> &'t str {
        let n = self.container_indent();
        if n == 0 {
            return line;
        }
        let mut skip = 0;
        let mut width = 0;
        for b in line.bytes() {
            if width >= n || !(b == b' ' || b == b'\t') {
                break;
            }
            width += if b == b'\t' { 4 } else { 1 };
            skip += 1;
        }
        &line[skip..]
    }

    /// Closes the open container at stack position `at` (and any inside it) at `end`;
    /// false when there is none, so the closing line is read as text.
    fn close_at(&mut self, at: Option<usize>, end: usize) -> bool {
        let Some(k) = at else { return false };
        let b = self.stack[k].block;
        self.blocks[b].span.end = end;
        self.stack.truncate(k);
        true
    }

    /// `:::`, `///`, `!!!`/`???` lines: opens or closes a container. True when the line
    /// was one.
    fn container_line(&mut self, t: &str, start: usize, end: usize, ind: usize) -> bool {
        let d = self.dialect;
        if !matches!(t.as_bytes()[0], b':' | b'/' | b'!' | b'?') {
            return false;
        }
        if t.starts_with(":::") && (d.has(Form::Colon) || d.has(Form::MystColon) || d.has(Form::ColonInline)) {
            let colons = t.bytes().take_while(|&b| b == b':').count();
            let rest = &t[colons..];
            if rest.trim().is_empty() {
                // A closing line: the innermost colon container with as many colons,
                // else the innermost colon container; none open -> plain text.
                let at = self
                    .stack
                    .iter()
                    .rposition(|o| matches!(o.close, Close::Colon(n) if n == colons))
                    .or_else(|| self.stack.iter().rposition(|o| matches!(o.close, Close::Colon(_))));
                return self.close_at(at, end);
            }
            let rest_start = start + colons;
            // DocFX `:::image … :::` on one line.
            if rest.trim_end().ends_with(":::") && d.has(Form::ColonInline) {
                let name_len = rest.find(|c: char| c.is_whitespace() || c == ':').unwrap_or(rest.len());
                let args_end = start + t.trim_end().len() - 3;
                let h = Span::new(rest_start, args_end.max(rest_start + name_len));
                self.push(Kind::Directive, Span::new(start, end), h, 0);
                return true;
            }
            let (name, name_start) = if rest.starts_with('{') && d.has(Form::MystColon) {
                let close = rest.find('}').unwrap_or(rest.len());
                (&rest[1..close], rest_start + 1)
            } else {
                let r = rest.trim_start();
                let skip = rest.len() - r.len();
                let n = r.find(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_')).unwrap_or(r.len());
                (&r[..n], rest_start + skip)
            };
            if name.is_empty() {
                return false;
            }
            // DocFX's `:::moniker range="…"` / `:::moniker-end`, `:::zone …` / `:::zone-end`:
            // one-line markers around Markdown, not containers.
            if !d.has(Form::Colon) && !d.has(Form::MystColon) {
                let h = Span::new(name_start, start + t.len());
                self.push(Kind::Directive, Span::new(start, end), h, 0);
                return true;
            }
            let kind = if d.kind(name).is_some() {
                Kind::Alert
            } else if d.directive(name, Form::Colon).is_some() || name.contains('-') {
                Kind::Directive
            } else {
                Kind::Alert
            };
            let b = self.push(kind, Span::new(start, end), Span::new(name_start, name_start + name.len()), 0);
            if self.stack.len() < MAX_DEPTH {
                self.stack.push(Open { block: b, close: Close::Colon(colons) });
            }
            return true;
        }
        if t.starts_with("///") && d.has(Form::Blocks) {
            let slashes = t.bytes().take_while(|&b| b == b'/').count();
            let rest = t[slashes..].trim();
            if rest.is_empty() {
                let at = self.stack.iter().rposition(|o| matches!(o.close, Close::Slashes(n) if n == slashes));
                return self.close_at(at, end);
            }
            let name_start = start + slashes + (t[slashes..].len() - t[slashes..].trim_start().len());
            let n = rest.find(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_')).unwrap_or(rest.len());
            if n == 0 {
                return false;
            }
            let name = &rest[..n];
            let (kind, head) = if d.kind(name).is_some() {
                (Kind::Alert, Span::new(name_start, name_start + n))
            } else {
                // `//// tab | Label`: the label is what tells tabs apart, and it is
                // usually code or a product name; the directive's head is the whole line.
                (Kind::Directive, Span::new(name_start, end))
            };
            let b = self.push(kind, Span::new(start, end), head, 0);
            if self.stack.len() < MAX_DEPTH {
                self.stack.push(Open { block: b, close: Close::Slashes(slashes) });
            }
            return true;
        }
        if (t.starts_with("!!!") || t.starts_with("???")) && d.has(Form::Bang) {
            let rest = t[3..].trim_start_matches('+');
            let r = rest.trim_start();
            let n = r.find(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_')).unwrap_or(r.len());
            if n == 0 {
                return false;
            }
            let name_start = end - r.len();
            let b = self.push(Kind::Alert, Span::new(start, end), Span::new(name_start, name_start + n), 0);
            if self.stack.len() < MAX_DEPTH {
                self.stack.push(Open { block: b, close: Close::Indent(ind + 4) });
            }
            return true;
        }
        false
    }

    /// A line that starts with a shortcode. Returns None when it does not; Some(Some((name,
    /// hidden))) when it opened a shortcode whose body is code, or is not rendered (hidden).
    fn shortcode_line(&mut self, t: &str, start: usize, end: usize) -> Option<Option<(String, bool)>> {
        let d = self.dialect;
        if !(t.starts_with("{{<") || t.starts_with("{{%")) || !d.has(Form::Shortcode) {
            return None;
        }
        if d.escapes.iter().any(|e| t.starts_with(e.as_str())) {
            return None;
        }
        let (len, name, closing) = shortcode_at(t)?;
        let name = name.to_string();
        let tag_end = start + len;
        if closing {
            // The end of a shortcode the dialect does not know as a container (`{{< /table >}}`
            // after a `{{< table caption="…" >}}` line): markup that shows nothing, no block.
            let Some(at) = self.stack.iter().rposition(|o| matches!(&o.close, Close::Shortcode(n) if *n == name))
            else {
                return t[len..].trim().is_empty().then_some(None);
            };
            let b = self.stack[at].block;
            self.blocks[b].span.end = tag_end;
            self.stack.truncate(at);
            self.after_tag(t, len, tag_end, end);
            return Some(None);
        }
        let head = Span::new(start, tag_end);
        if d.kind(&name).is_some() && d.directive(&name, Form::Shortcode).is_none() {
            let b = self.push(Kind::Alert, Span::new(start, end), head, 0);
            // A one-line note (`{{< note >}}text{{< /note >}}`) closes itself.
            if !t[len..].contains(&format!("/{name}")) && self.stack.len() < MAX_DEPTH {
                self.stack.push(Open { block: b, close: Close::Shortcode(name) });
            }
            self.after_tag(t, len, tag_end, end);
            return Some(None);
        }
        let spec = d.directive(&name, Form::Shortcode);
        if spec.is_some_and(|s| s.hidden_body) {
            let closed = t[len..].contains(&format!("/{name}"));
            return Some((!closed).then_some((name, true)));
        }
        if spec.is_some_and(|s| s.code_body) {
            self.push(Kind::Code, Span::new(start, end), head, 0);
            return Some(Some((name, false)));
        }
        if spec.is_some_and(|s| s.include) {
            self.push(Kind::Include, Span::new(start, end), head, 0);
            return Some(None);
        }
        // A shortcode that starts a line of prose (`{{< glossary_tooltip >}} is …`)
        // belongs to that prose: it is read as an inline directive.
        let after = t[len..].trim();
        let inline = spec.is_none_or(|s| !s.paired);
        // Inside a paragraph, or followed by text on its line, it is part of prose.
        if inline
            && (self.prose.is_some_and(|p| self.blocks[p].kind != Kind::Table)
                || !after.is_empty() && !after.starts_with("{{"))
        {
            return None;
        }
        let b = self.push(Kind::Directive, Span::new(start, end), head, 0);
        if spec.is_some_and(|s| s.paired) && self.stack.len() < MAX_DEPTH {
            self.stack.push(Open { block: b, close: Close::Shortcode(name) });
        }
        Some(None)
    }

    /// Text after a block shortcode on the same line starts a paragraph.
    fn after_tag(&mut self, t: &str, len: usize, tag_end: usize, end: usize) {
        let after = &t[len..];
        let a = after.trim();
        if a.is_empty() {
            return;
        }
        let s = tag_end + (after.len() - after.trim_start().len());
        if let Some((l, name, closing)) = shortcode_at(a) {
            if closing {
                if let Some(at) = self.stack.iter().rposition(|o| matches!(&o.close, Close::Shortcode(n) if n == name))
                {
                    let b = self.stack[at].block;
                    self.blocks[b].span.end = s + l;
                    self.stack.truncate(at);
                }
                return;
            }
        }
        // Prose up to a closing shortcode on the same line.
        let stop = a.find("{{< /").or_else(|| a.find("{{% /")).unwrap_or(a.len());
        let b = self.push(
            Kind::Paragraph,
            Span::new(s, s + a[..stop].trim_end().len()),
            Span::new(s, s + a[..stop].trim_end().len()),
            0,
        );
        if stop < a.len() {
            if let Some((l, name, true)) = shortcode_at(&a[stop..]) {
                if let Some(at) = self.stack.iter().rposition(|o| matches!(&o.close, Close::Shortcode(n) if n == name))
                {
                    let ab = self.stack[at].block;
                    self.blocks[ab].span.end = s + stop + l;
                    self.stack.truncate(at);
                }
            }
            self.prose = None;
        } else {
            self.prose = Some(b);
        }
        let _ = end;
    }

    fn include_line(&mut self, t: &str, start: usize, end: usize) -> Option<usize> {
        let tb = t.as_bytes();
        // The first byte rules out most lines before any opening is compared.
        if !self.include_starts.has(tb[0]) {
            return None;
        }
        for inc in &self.dialect.includes {
            let open = inc.open.as_bytes();
            let matches = tb.len() >= open.len() && tb[..open.len()].eq_ignore_ascii_case(open);
            if matches && t.ends_with(inc.close.as_str()) && t.len() >= open.len() + inc.close.len() {
                let inner_start = start + open.len();
                let inner_end = start + t.len() - inc.close.len();
                return Some(self.push(
                    Kind::Include,
                    Span::new(start, end),
                    Span::new(inner_start, inner_end.max(inner_start)),
                    0,
                ));
            }
        }
        None
    }
}

fn quote_depth(raw: &str) -> usize {
    let mut d = 0;
    let mut s = raw;
    loop {
        let t = s.trim_start();
        match t.strip_prefix('>') {
            Some(r) => {
                d += 1;
                s = r;
            }
            None => return d,
        }
    }
}

/// ```` ``` ```` / `~~~` opening: (char, length, info string).
fn fence_open(t: &str) -> Option<(u8, usize, &str)> {
    let ch = *t.as_bytes().first()?;
    if ch != b'`' && ch != b'~' {
        return None;
    }
    let len = t.bytes().take_while(|&b| b == ch).count();
    if len < 3 {
        return None;
    }
    let info = t[len..].trim();
    if ch == b'`' && info.contains('`') {
        return None;
    }
    Some((ch, len, info))
}

fn is_thematic_break(t: &str) -> bool {
    let c = t.as_bytes()[0];
    matches!(c, b'-' | b'*' | b'_' | b'=')
        && t.bytes().filter(|&b| b != b' ').all(|b| b == c)
        && t.bytes().filter(|&b| b == c).count() >= 3
}

/// A line that is only a convention component (`<DontEditWarning />`) or its import
/// (`import DontEditWarning from '…'`).
fn is_convention_component(line: &str, dialect: &Dialect) -> bool {
    dialect.convention_components.iter().any(|name| {
        let used = line.strip_prefix('<').and_then(|r| r.strip_prefix(name.as_str())).is_some_and(|r| {
            let r = r.trim_end();
            r.trim_start() == "/>" || r.starts_with(char::is_whitespace) && r.ends_with("/>")
        });
        let imported = line
            .strip_prefix("import ")
            .and_then(|r| r.trim_start().strip_prefix(name.as_str()))
            .is_some_and(|r| r.trim_start().starts_with("from "));
        used || imported
    })
}

fn is_atx_heading(raw: &str) -> bool {
    let t = raw.trim_start_matches(' ');
    let hashes = t.bytes().take_while(|&b| b == b'#').count();
    raw.len() - t.len() < 4
        && (1..=6).contains(&hashes)
        && matches!(t.as_bytes().get(hashes), None | Some(b' ' | b'\t'))
}

fn is_html_start(t: &str) -> bool {
    let b = t.as_bytes();
    b.len() > 1 && b[0] == b'<' && (b[1].is_ascii_alphabetic() || b[1] == b'/' || b[1] == b'!')
}

/// A line that opens with an inline tag and goes on with text, which CommonMark reads as a
/// paragraph (an HTML block starts only at a block-level tag such as `<div>`, `<table>` or
/// `<p>`, or at a line of tags): `<abbr title="…">Deployment</abbr> bedeutet …`, `<b>Note:</b>
/// …`, and a tag that goes on on the next line. A line of tags and comments alone
/// (`<a name="x"></a>`, `<br /><!-- nit -->`) shows no text and stays an HTML block.
fn inline_html_then_text(t: &str) -> bool {
    let name = &t.as_bytes()[1..];
    let name = &name[..name.iter().take_while(|c| c.is_ascii_alphanumeric() || **c == b'-').count()];
    if name.is_empty() || BLOCK_TAGS.iter().any(|tag| tag.as_bytes().eq_ignore_ascii_case(name)) {
        return false;
    }
    let mut rest = t;
    while let Some(lt) = rest.find('<') {
        if !rest[..lt].trim().is_empty() {
            return true;
        }
        match rest[lt..].find('>') {
            Some(gt) => rest = &rest[lt + gt + 1..],
            None => return true,
        }
    }
    !rest.trim().is_empty()
}

/// The tags that start an HTML block wherever they are (CommonMark's conditions 1 and 6).
const BLOCK_TAGS: &[&str] = &[
    "address",
    "article",
    "aside",
    "base",
    "basefont",
    "blockquote",
    "body",
    "caption",
    "center",
    "col",
    "colgroup",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "iframe",
    "legend",
    "li",
    "link",
    "main",
    "menu",
    "menuitem",
    "nav",
    "noframes",
    "ol",
    "optgroup",
    "option",
    "p",
    "param",
    "pre",
    "script",
    "search",
    "section",
    "style",
    "summary",
    "table",
    "tbody",
    "td",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "track",
    "ul",
];

fn has_pipe(t: &str) -> bool {
    memchr::memchr(b'|', t.as_bytes()).is_some()
}

fn next_is_delimiter(text: &str, next: usize) -> bool {
    if next >= text.len() {
        return false;
    }
    let (end, _) = line_at(text, next);
    let l = text[next..end].trim();
    memchr::memchr(b'-', l.as_bytes()).is_some()
        && has_pipe(l)
        && l.bytes().all(|b| matches!(b, b'|' | b'-' | b':' | b' ' | b'\t'))
}

/// Length of a list marker with its space (`- `, `12. `), or None.
fn list_marker(t: &str) -> Option<usize> {
    let b = t.as_bytes();
    if b.is_empty() {
        return None;
    }
    if matches!(b[0], b'-' | b'*' | b'+') && (b.len() == 1 || b[1] == b' ' || b[1] == b'\t') {
        return Some(if b.len() == 1 { 1 } else { 2 });
    }
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if (1..=9).contains(&digits)
        && b.len() > digits
        && matches!(b[digits], b'.' | b')')
        && (b.len() == digits + 1 || b[digits + 1] == b' ')
    {
        return Some((digits + 2).min(b.len()));
    }
    None
}

/// Whether `{{` occurs: a shortcode may be inline in this prose. memchr for the first
/// brace rather than a substring searcher built for every block.
fn has_double_brace(b: &[u8]) -> bool {
    memchr::memchr_iter(b'{', b).any(|i| b.get(i + 1) == Some(&b'{'))
}

/// Whether the Markdown of a paragraph or list item is only inline code (a command):
/// rules about prose leave it alone.
pub fn is_command(raw: &str) -> bool {
    // Only the start: `is_code_only` trims the end, and a marker with nothing after it
    // leaves nothing that is code either way.
    let t = raw.trim_start();
    let t = match list_marker(t) {
        Some(n) if !t.is_empty() => &t[n.min(t.len())..],
        _ => t,
    };
    is_code_only(t)
}

/// Whether prose is only inline code: `` `tar xvf {{file}}` ``.
pub fn is_code_only(body: &str) -> bool {
    // The start rules out almost all prose before the end is trimmed.
    let b = body.trim_start();
    if !b.starts_with('`') {
        return false;
    }
    let b = b.trim_end();
    if b.len() < 3 || !b.ends_with('`') {
        return false;
    }
    let ticks = b.bytes().take_while(|&c| c == b'`').count();
    if b.len() < 2 * ticks + 1 {
        return false;
    }
    // As many backticks in a row inside would end the span early.
    let inner = &b.as_bytes()[ticks..b.len() - ticks];
    let mut run = (0, 0); // where the backticks read last end, and how many in a row
    let ends_early = memchr::memchr_iter(b'`', inner).any(|i| {
        run = if run.1 > 0 && run.0 == i { (i + 1, run.1 + 1) } else { (i + 1, 1) };
        run.1 >= ticks
    });
    !ends_early && b.bytes().rev().take_while(|&c| c == b'`').count() == ticks
}

/// A shortcode at the start of `t`: (its length, name, whether it is a closing one).
pub fn shortcode_at(t: &str) -> Option<(usize, &str, bool)> {
    let (close_delim, inner_start) = if t.starts_with("{{<") {
        (">}}", 3)
    } else if t.starts_with("{{%") {
        ("%}}", 3)
    } else {
        return None;
    };
    let close = t[inner_start..].find(close_delim)? + inner_start;
    let inner = t[inner_start..close].trim();
    if inner.starts_with("/*") {
        return None;
    }
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(r) => (true, r.trim_start()),
        None => (false, inner),
    };
    let n = inner.find(|c: char| c.is_whitespace()).unwrap_or(inner.len());
    let name = &inner[..n];
    if name.is_empty() {
        return None;
    }
    Some((close + close_delim.len(), name, closing))
}

/// Shortcodes inside a span of prose: (whole span, head span).
fn inline_shortcodes(text: &str, span: Span, dialect: &Dialect) -> Vec<(Span, Span)> {
    let mut out = Vec::new();
    if !dialect.has(Form::Shortcode) {
        return out;
    }
    let s = &text[span.start..span.end];
    let mut from = 0;
    while let Some(i) = s[from..].find("{{") {
        let at = from + i;
        match shortcode_at(&s[at..]) {
            Some((len, _, false)) if !dialect.escapes.iter().any(|e| s[at..].starts_with(e.as_str())) => {
                let sp = Span::new(span.start + at, span.start + at + len);
                out.push((sp, sp));
                from = at + len;
            }
            Some((len, _, true)) => from = at + len,
            _ => from = at + 2,
        }
        if out.len() > 10_000 {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str, dialect: &str) -> Vec<(Kind, String)> {
        let d = Dialect::get(dialect).unwrap();
        build(text, d).blocks.iter().map(|b| (b.kind, text[b.head.start..b.head.end].to_string())).collect()
    }

    #[test]
    fn tldr_page() {
        let page = "# tar\n\n> Archiving utility.\n> More information: <https://x>.\n\n- Extract:\n\n`tar xvf {{path/to/file}}`\n";
        let k: Vec<Kind> = kinds(page, "tldr").into_iter().map(|x| x.0).collect();
        assert_eq!(k, [Kind::Heading, Kind::Quote, Kind::Quote, Kind::ListItem, Kind::Command]);
    }

    #[test]
    fn hugo_note_and_feature_state() {
        let page = "## A\n\n{{< feature-state for_k8s_version=\"v1.30\" state=\"beta\" >}}\n\n{{< note >}}\nText with {{< glossary_tooltip text=\"Pod\" term_id=\"pod\" >}}.\n{{< /note >}}\n\n{{< highlight yaml >}}\n# not a heading\n{{< /highlight >}}\n";
        let k = kinds(page, "hugo");
        let names: Vec<Kind> = k.iter().map(|x| x.0).collect();
        assert_eq!(names, [Kind::Heading, Kind::Directive, Kind::Alert, Kind::Paragraph, Kind::Directive, Kind::Code]);
    }

    #[test]
    fn colon_and_blocks_and_bang() {
        let k: Vec<Kind> =
            kinds(":::tip[Title]\nBody\n:::\n\n/// note | T\nx\n///\n\n!!! warning \"W\"\n    body\n\nafter\n", "auto")
                .into_iter()
                .map(|x| x.0)
                .collect();
        assert_eq!(
            k,
            [Kind::Alert, Kind::Paragraph, Kind::Alert, Kind::Paragraph, Kind::Alert, Kind::Paragraph, Kind::Paragraph]
        );
    }

    /// The skeleton's blocks start where the model's body does: front matter, opened with
    /// trailing white space or after a byte-order mark and closed by `---` or `...`, is no
    /// block; an unclosed `---` is Markdown.
    #[test]
    fn front_matter_is_no_block() {
        for page in
            ["---\ntitle: x\n---\n# T\n", "--- \r\ntitle: x\r\n...\r\n# T\r\n", "\u{feff}---\ntitle: x\n---\n# T\n"]
        {
            assert_eq!(kinds(page, "auto"), [(Kind::Heading, "# T".to_string())], "{page:?}");
            let body = crate::parse::front_matter_end(page);
            assert_eq!(&page[body..body + 3], "# T", "{page:?}");
        }
        let unclosed = kinds("---\ntitle: x\n\n# T\n", "auto");
        assert_eq!(unclosed.last(), Some(&(Kind::Heading, "# T".to_string())));
        assert!(unclosed.len() > 1);
    }

    #[test]
    fn deep_nesting_and_many_args_do_not_hang() {
        let deep = "::::note\n".repeat(1000) + "x\n" + &":::\n".repeat(1000);
        let s = build(&deep, Dialect::auto());
        assert!(!s.blocks.is_empty());
        let args: String = (0..10_000).map(|i| format!(" a{i}=\"{i}\"")).collect();
        let page = format!("{{{{< feature-state{args} >}}}}\n\n{{{{< note >}}}}\nunterminated\n");
        assert!(!build(&page, Dialect::auto()).blocks.is_empty());
        let quotes = ">".repeat(1000) + " [!NOTE]\n";
        build(&quotes, Dialect::auto());
    }
}

/// What alignment compares a block by: its kind, a hash of what translation does not
/// change (`key`), the neutral tokens one by one (for similarity), its length and a hash
/// of its whole text (equal text is the same block, whatever its kind says; 0 in a
/// translation's block as long as none of its source's, which cannot have its text).
#[derive(Debug, Clone)]
pub struct Sig {
    pub kind: Kind,
    pub key: u64,
    /// The neutral tokens, sorted: this range of the side's `Sigs::tokens` (one buffer for
    /// the page, not one per block).
    pub tokens: std::ops::Range<u32>,
    pub len: usize,
    pub text: u64,
    pub depth: u16,
    /// Directives pair only with directives of the same name.
    pub group: u64,
    /// The key of the enclosing alert or directive (0 at the top): a block stays in its
    /// container.
    pub parent: u64,
    /// The key of the command that follows a list item (tldr's description + example).
    pub next: u64,
    /// A heading's level and id: the explicit one, else its text's GitHub slug. DocFX translations
    /// write `## <a name="english-slug"></a>Übersetzt` under a source heading with none.
    pub slug: u64,
    /// A picture, whatever its syntax: a paragraph that is one `![alt](src)`, or an image
    /// directive (DocFX's `:::image`). A source that moved to the directive still has the
    /// translation's picture in that place.
    pub image: bool,
    /// The heading this block is under (its index + 1), 0 before the first: prose of a
    /// section the source moved elsewhere on the page stays that section's.
    pub section: u32,
}

impl Sig {
    /// How many neutral tokens the block has.
    pub fn token_count(&self) -> usize {
        self.tokens.len()
    }
}

/// A page's signatures, one per block, and the tokens they share.
#[derive(Debug, Clone, Default)]
pub struct Sigs {
    pub list: Vec<Sig>,
    pub tokens: Vec<u64>,
    /// A source's blocks' lengths, sorted (empty for a translation): the only lengths a
    /// translation's block can have to equal one of them.
    pub lens: Vec<usize>,
    /// A source's headings' levels, slugs and ids (the explicit one, else the GitHub slug of
    /// the title; empty for a translation). A translation's heading without an id of its
    /// own is compared with these rather than slugged: it differs from most at once.
    pub ids: Vec<(u8, u64, Box<str>)>,
}

impl Sigs {
    /// The sorted neutral tokens of `sig`, one of this page's.
    pub fn tokens(&self, sig: &Sig) -> &[u64] {
        &self.tokens[sig.tokens.start as usize..sig.tokens.end as usize]
    }
}

/// Whether a paragraph is a single Markdown image (`![alt](src "title")`), nothing else.
fn image_only(head: &str) -> bool {
    // The start rules out almost every paragraph before the end is trimmed.
    let t = head.trim_start();
    if !t.starts_with("![") {
        return false;
    }
    let t = t.trim_end();
    t.ends_with(')') && t.find("](").is_some_and(|k| !t[k + 2..t.len() - 1].contains(['(', ')', '[', ']']))
}

fn hash(s: &str) -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = foldhash::fast::FixedState::with_seed(7).build_hasher();
    h.write(s.as_bytes());
    h.finish()
}

impl Skeleton {
    /// Every block's signature; built when a rule first asks for the alignment. `source`,
    /// for a translation: its source's signatures, the only texts its blocks' are compared with.
    pub fn signatures(&self, text: &str, dialect: &Dialect, source: Option<&Sigs>) -> Sigs {
        let mut list: Vec<Sig> = Vec::with_capacity(self.blocks.len());
        let mut tokens: Vec<u64> = Vec::with_capacity(self.blocks.len() * 2);
        let mut ids: Vec<(u8, u64, Box<str>)> = Vec::new();
        for b in &self.blocks {
            let head = &text[b.head.start..b.head.end];
            let start = tokens.len();
            let mut slug = 0;
            let mut image = false;
            match b.kind {
                Kind::Paragraph | Kind::ListItem | Kind::Quote => {
                    prose_tokens(head, |t| tokens.push(hash(t)));
                    image = b.kind == Kind::Paragraph && image_only(head);
                }
                Kind::Heading => {
                    tokens.push(b.level as u64);
                    let mut first = None;
                    heading_ids(head, |id| {
                        let h = hash(id);
                        first.get_or_insert((h, id));
                        tokens.push(h);
                    });
                    // The title is read only for a heading without an id of its own.
                    let title = || head.trim_start_matches('#').trim();
                    slug = match (first, source) {
                        (Some((h, _)), Some(_)) => h.wrapping_add(b.level as u64),
                        // The slug of the source heading it is the id of; 0, none.
                        (None, Some(s)) => {
                            let title = title();
                            s.ids
                                .iter()
                                .find(|(level, _, id)| *level == b.level && crate::slug::github_is(title, id))
                                .map_or(0, |&(_, slug, _)| slug)
                        }
                        (first, None) => {
                            let id: Box<str> =
                                first.map_or_else(|| crate::slug::github(title()).into(), |(_, id)| id.into());
                            let slug = hash(&id).wrapping_add(b.level as u64);
                            ids.push((b.level, slug, id));
                            slug
                        }
                    };
                }
                Kind::Directive | Kind::Command => {
                    let key = neutral_in(b, text, dialect);
                    if b.kind == Kind::Command {
                        tokens.push(hash(&key));
                    }
                    tokens.extend(key.split(' ').map(hash));
                    image = b.kind == Kind::Directive && key.split(' ').next() == Some("image");
                }
                _ => tokens.push(hash(&neutral_in(b, text, dialect))),
            }
            let group = if b.kind == Kind::Directive { tokens[start] } else { 0 };
            let sorted = &mut tokens[start..];
            sorted.sort_unstable();
            let key =
                sorted.iter().fold(b.kind as u64, |acc, t| acc.rotate_left(5) ^ t.wrapping_mul(0x9e37_79b9_7f4a_7c15));
            list.push(Sig {
                kind: b.kind,
                key,
                tokens: start as u32..tokens.len() as u32,
                len: b.span.len(),
                text: if source.is_none_or(|s| s.lens.binary_search(&b.span.len()).is_ok()) {
                    hash(&text[b.span.start..b.span.end]) | 1
                } else {
                    0
                },
                depth: b.depth,
                group,
                parent: 0,
                next: 0,
                slug,
                image,
                section: b.section,
            });
        }
        for (i, b) in self.blocks.iter().enumerate() {
            if b.parent != 0 {
                list[i].parent = list[b.parent as usize - 1].key;
            }
            if b.kind == Kind::ListItem && list.get(i + 1).is_some_and(|n| n.kind == Kind::Command) {
                list[i].next = list[i + 1].key;
            }
        }
        let lens = if source.is_none() {
            let mut lens: Vec<usize> = list.iter().map(|s| s.len).collect();
            lens.sort_unstable();
            lens
        } else {
            Vec::new()
        };
        Sigs { list, tokens, lens, ids }
    }
}

/// What a non-prose block is, language-neutrally: `note`, `feature-state for_k8s_version=v1.30
/// state=beta`, the include path, the code's language, the command with placeholders made one.
pub fn neutral(b: &Block, text: &str, dialect: &Dialect) -> String {
    neutral_in(b, text, dialect).into_owned()
}

/// `neutral`, borrowed where the text says it as it is: `signatures` hashes it and drops it.
fn neutral_in<'t>(b: &Block, text: &'t str, dialect: &'t Dialect) -> Cow<'t, str> {
    let head = &text[b.head.start..b.head.end];
    match b.kind {
        Kind::Alert => {
            let name = match shortcode_at(head) {
                Some((_, n, _)) => n,
                None => head.trim().trim_start_matches('{').trim_end_matches('}'),
            };
            match dialect.kind(name) {
                Some(kind) => Cow::Borrowed(kind),
                None => lowercase(name),
            }
        }
        Kind::Directive => Cow::Owned(directive_key(head, dialect)),
        Kind::Include => Cow::Borrowed(include_target(head)),
        Kind::Code => lowercase(head.trim()),
        Kind::Command => Cow::Owned(normalize_command(head.trim().trim_matches('`'), dialect)),
        Kind::Table => {
            let first = head.lines().next().unwrap_or("").trim().trim_matches('|');
            Cow::Owned((memchr::memchr_iter(b'|', first.as_bytes()).count() + 1).to_string())
        }
        Kind::Html => {
            let t = head.trim();
            if t.starts_with("import ") || t.starts_with("export ") {
                Cow::Borrowed(t)
            } else {
                Cow::Borrowed(
                    t.trim_start_matches(['<', '/'])
                        .split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '.'))
                        .next()
                        .unwrap_or(""),
                )
            }
        }
        _ => Cow::Borrowed(""),
    }
}

/// `s` in ASCII lower case, copied only when it has an upper-case letter.
fn lowercase(s: &str) -> Cow<'_, str> {
    if s.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(s.to_ascii_lowercase())
    } else {
        Cow::Borrowed(s)
    }
}

/// A directive's name and its language-neutral arguments, in a canonical spelling:
/// `code_sample file=x.yaml` for `{{% codenew file="x.yaml" %}}`.
pub fn directive_key(head: &str, dialect: &Dialect) -> String {
    let (name, args) = directive_parts(head);
    let form = if head.starts_with("{{") {
        Form::Shortcode
    } else if head.starts_with(":::") || !head.starts_with('{') {
        Form::Colon
    } else {
        Form::MystFence
    };
    let spec = dialect
        .directive(name, form)
        .or_else(|| dialect.directives.iter().find(|d| d.name == name || d.aliases.iter().any(|a| a == name)));
    let mut out = spec.map_or(name, |s| s.name.as_str()).to_string();
    if let Some(spec) = spec {
        for (i, (k, v)) in args.iter().enumerate() {
            let wanted = match k {
                Some(k) => spec.args.iter().any(|a| a == k),
                None => spec.args.iter().any(|a| a.strip_prefix('$').and_then(|n| n.parse::<usize>().ok()) == Some(i)),
            };
            if wanted {
                out.push(' ');
                if let Some(k) = k {
                    out.push_str(k);
                    out.push('=');
                }
                // A site path in a locale (`/ko/docs/images/x.svg`) is the same file; ids
                // are compared without case.
                out.push_str(&neutral_value(v));
            }
        }
    } else if head.starts_with("//") {
        // A pymdownx tab's label.
        out = head.trim().to_string();
    }
    out
}

/// An argument's value as compared: a site path without its locale, ids without case,
/// versions without their `v` (`1.11` is `v1.11`).
pub fn neutral_value(v: &str) -> String {
    let v = unlocalize(v.trim());
    let v = match v.strip_prefix(['v', 'V']) {
        Some(r) if r.starts_with(|c: char| c.is_ascii_digit()) => r,
        _ => v,
    };
    v.to_lowercase()
}

/// A directive's name and arguments: `key="value"`, `key=value`, or positional values.
pub fn directive_parts(head: &str) -> (&str, Vec<(Option<&str>, &str)>) {
    let inner = head.trim();
    let inner = if let Some(r) = inner.strip_prefix("{{<").or_else(|| inner.strip_prefix("{{%")) {
        r.trim_end_matches("}}").trim_end_matches(['>', '%']).trim()
    } else {
        inner.trim_start_matches(':').trim_end_matches(':').trim()
    };
    let (name, mut rest) = match inner.strip_prefix('{') {
        // MyST's fenced directive: ```` ```{include} ../a.md ````.
        Some(r) => {
            let c = r.find('}').unwrap_or(r.len());
            (&r[..c], r.get(c + 1..).unwrap_or("").trim_start())
        }
        None => {
            let n = inner.find(char::is_whitespace).unwrap_or(inner.len());
            (&inner[..n], inner[n..].trim_start())
        }
    };
    let mut args = Vec::new();
    while !rest.is_empty() && args.len() < 10_000 {
        let key_len = rest.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-')).unwrap_or(rest.len());
        // `key="v"`, and the `key = "v"` some pages write.
        let eq = rest[key_len..].trim_start();
        let (key, after) = if key_len > 0 && eq.starts_with('=') {
            (Some(&rest[..key_len]), eq[1..].trim_start())
        } else {
            (None, rest)
        };
        let (value, remaining) = if let Some(q) = after.chars().next().filter(|c| *c == '"' || *c == '\'' || *c == '`')
        {
            match after[1..].find(q) {
                Some(e) => (&after[1..1 + e], &after[e + 2..]),
                None => (&after[1..], ""),
            }
        } else {
            let e = after.find(char::is_whitespace).unwrap_or(after.len());
            (&after[..e], &after[e..])
        };
        if key.is_none() && value.is_empty() && remaining.len() == rest.len() {
            break;
        }
        args.push((key, value));
        rest = remaining.trim_start();
    }
    (name, args)
}

/// The path an include names: `[!INCLUDE [x](path)]`, `"path"`, `path hl[3]`.
pub fn include_target(head: &str) -> &str {
    let t = head.trim();
    let b = t.as_bytes();
    if let Some(i) = memchr::memchr_iter(b']', b).find(|&i| b.get(i + 1) == Some(&b'(')) {
        let r = &t[i + 2..];
        return r[..memchr::memchr(b')', r.as_bytes()).unwrap_or(r.len())].trim();
    }
    let t = if let Some((_, n, _)) = shortcode_at(t) {
        let inner = t.trim_start_matches("{{<").trim_start_matches("{{%").trim_start();
        inner[n.len()..].trim_start()
    } else {
        t.trim_start_matches('>')
    };
    let t = t.trim_start();
    let q = t.chars().next();
    if let Some(q @ ('"' | '\'')) = q {
        let r = &t[1..];
        return &r[..r.find(q).unwrap_or(r.len())];
    }
    t.split_whitespace().next().unwrap_or("")
}

/// A command with every placeholder made one token (`{}`) and spacing normalized. A quoted
/// sentence (`echo "This is not rendered as a terminal"`) is prose, which translators
/// translate: it is a placeholder too (`"{}"`).
pub fn normalize_command(code: &str, dialect: &Dialect) -> String {
    let special = command_specials(dialect);
    let mut out = String::with_capacity(code.len());
    let mut rest = code.trim();
    let mut word_start = true;
    'outer: while !rest.is_empty() {
        // Characters that start nothing (no placeholder, quote or space) are copied as
        // they are, a run of them at once.
        let n = rest.bytes().take_while(|&b| b < 0x80 && !special.has(b)).count();
        if n > 0 {
            out.push_str(&rest[..n]);
            rest = &rest[n..];
            word_start = false;
            continue;
        }
        for p in &dialect.placeholders {
            if let Some(c) = p.run {
                let n = rest.chars().take_while(|&x| x == c).count();
                if n >= p.min {
                    out.push_str("{}");
                    rest = &rest[n * c.len_utf8()..];
                    word_start = false;
                    continue 'outer;
                }
                continue;
            }
            if p.word && !word_start {
                continue;
            }
            if let Some(r) = rest.strip_prefix(p.open.as_str()) {
                if let Some(e) = crate::text::find_short(r, &p.close) {
                    let inner = &r[..e];
                    let after = &r[e + p.close.len()..];
                    if p.word
                        && (inner.contains(char::is_whitespace)
                            || !inner.chars().any(char::is_alphabetic)
                            || !after.chars().next().is_none_or(char::is_whitespace))
                    {
                        continue;
                    }
                    // tldr's option alternatives (`{{[-v|--verbose]}}`) are not translated.
                    if inner.starts_with('[') && inner.contains('|') {
                        out.push_str(inner);
                    } else {
                        out.push_str("{}");
                    }
                    rest = after;
                    word_start = false;
                    continue 'outer;
                }
            }
        }
        let c = rest.chars().next().unwrap_or(' ');
        if let Some(len) = (word_start || out.ends_with('=')).then(|| quoted_prose(rest)).flatten() {
            out.push(c);
            out.push_str("{}");
            out.push(c);
            rest = &rest[len..];
            word_start = false;
            continue;
        }
        if c.is_whitespace() {
            if !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
        word_start = c.is_whitespace();
        rest = &rest[c.len_utf8()..];
    }
    // Trimmed in place rather than copied.
    out.truncate(out.trim_end().len());
    let lead = out.len() - out.trim_start().len();
    if lead > 0 {
        out.drain(..lead);
    }
    out
}

/// The ASCII characters that start something in `normalize_command`: white space, a
/// quote (quoted prose), a placeholder's run or opening; every byte when a placeholder
/// matches anywhere (an empty opening, a run of at least none).
fn command_specials(dialect: &Dialect) -> ByteSet {
    let mut special = ByteSet::default();
    for b in *b" \t\n\x0b\x0c\r\"'" {
        special.add(b);
    }
    for p in &dialect.placeholders {
        match p.run {
            Some(c) if p.min > 0 => {
                if c.is_ascii() {
                    special.add(c as u8);
                }
            }
            Some(_) => return ByteSet([u64::MAX; 4]),
            None => match p.open.as_bytes().first() {
                Some(&b) => special.add(b),
                None => return ByteSet([u64::MAX; 4]),
            },
        }
    }
    special
}

/// Two normalized commands are the same when they differ only in the spacing around a
/// placeholder: translation tools drop the space before one (`--datadir<DATADIR>`).
pub fn same_command(a: &str, b: &str) -> bool {
    a == b || tight(a) == tight(b)
}

/// A normalized command without the spaces around its placeholders.
fn tight(command: &str) -> String {
    command.replace(" {}", "{}").replace("{} ", "{}")
}

/// The byte length of a quoted sentence at the start of `s` (quotes included): three words
/// or more, each with a letter, of letters and sentence punctuation; no digits, no shell or
/// code syntax (`"reset HEAD --"` is a command).
fn quoted_prose(s: &str) -> Option<usize> {
    let q = s.chars().next().filter(|&c| c == '"' || c == '\'')?;
    let inner = &s[1..];
    let end = inner.find(q)?;
    let body = &inner[..end];
    let words = || body.split(' ').filter(|w| !w.is_empty());
    let prose = words().count() >= 3
        && words().all(|w| w.chars().any(char::is_alphabetic))
        && body.chars().all(|c| c.is_alphabetic() || c == ' ' || ".,!?;:'’…-".contains(c));
    prose.then_some(end + 2)
}

/// Explicit heading ids, in this order: `{#x}` / `{ #x }`, then every `name="x"`, then
/// every `id="x"` (as in `<a name="x">`, `<a id="x">`).
fn heading_ids<'t>(line: &'t str, mut id: impl FnMut(&'t str)) {
    let b = line.as_bytes();
    if let Some(i) = memchr::memrchr(b'{', b) {
        let r = line[i + 1..].trim_start();
        if let Some(r) = r.strip_prefix('#') {
            let e = r.find(|c: char| c == '}' || c.is_whitespace()).unwrap_or(r.len());
            id(&r[..e]);
        }
    }
    // Most headings have no attribute at all: no search for one. Otherwise each `"` that
    // follows `name=` (or `id=`) and is not inside the previous value opens one.
    if memchr::memchr(b'"', b).is_none() {
        return;
    }
    for attr in [&b"name="[..], &b"id="[..]] {
        let mut from = 0;
        for q in memchr::memchr_iter(b'"', b) {
            if q < from + attr.len() || !b[..q].ends_with(attr) {
                continue;
            }
            let s = q + 1;
            let e = memchr::memchr(b'"', &b[s..]).map_or(b.len(), |e| s + e);
            id(&line[s..e]);
            from = e;
        }
    }
}

/// The neutral tokens of prose: code spans and link targets (a locale segment at the
/// start of a site path removed, since sites localize their own links), each handed to
/// `token` as a slice of `text`. Runs over every prose block of every page: it jumps from
/// one backtick or `]` to the next and allocates nothing.
pub fn prose_tokens<'t>(text: &'t str, mut token: impl FnMut(&'t str)) {
    let b = text.as_bytes();
    let mut i = 0;
    while let Some(k) = memchr::memchr2(b'`', b']', &b[i..]) {
        i += k;
        if b[i] == b'`' {
            let ticks = b[i..].iter().take_while(|&&c| c == b'`').count();
            // The closing run is spelled as the opening one: that slice of the text.
            let close = &b[i..i + ticks];
            let rest = &b[i + ticks..];
            let found = if ticks == 1 { memchr::memchr(b'`', rest) } else { memchr::memmem::find(rest, close) };
            if let Some(e) = found {
                token(text[i + ticks..i + ticks + e].trim());
                i += ticks + e + ticks;
                continue;
            }
            i += ticks;
            continue;
        }
        if b.get(i + 1) == Some(&b'(') {
            if let Some(e) = memchr::memchr(b')', &b[i + 2..]) {
                token(unlocalize(first_word(&text[i + 2..i + 2 + e])));
                i += 2 + e;
                continue;
            }
        }
        i += 1;
    }
}

/// `s.split_whitespace().next()`, or "". A link target is mostly ASCII without
/// whitespace: its bytes are scanned up to the first space, control or non-ASCII byte,
/// and only a word that ends in something other than ASCII whitespace is split by chars.
fn first_word(s: &str) -> &str {
    let t = s.trim_start();
    let b = t.as_bytes();
    match b.iter().position(|&c| c <= b' ' || c >= 0x80) {
        None => t,
        Some(end) if matches!(b[end], b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ') => &t[..end],
        Some(_) => t.split_whitespace().next().unwrap_or(""),
    }
}

/// `/ja/docs/x` -> `/docs/x`: a site path in a locale is the same page.
pub fn unlocalize(target: &str) -> &str {
    if let Some(r) = target.strip_prefix('/') {
        if let Some(slash) = r.find('/') {
            let seg = &r[..slash];
            let looks_locale = (2..=7).contains(&seg.len())
                && seg
                    .split(['-', '_'])
                    .all(|p| (2..=4).contains(&p.len()) && p.bytes().all(|c| c.is_ascii_alphabetic()))
                && seg.bytes().next().is_some_and(|c| c.is_ascii_lowercase())
                && seg != "docs"
                && seg != "blog"
                && seg != "api";
            if looks_locale {
                return &r[slash..];
            }
        }
    }
    target
}

/// One page's skeleton and its blocks' signatures: what the alignment reads of each side.
pub struct Side {
    pub skeleton: Skeleton,
    pub sigs: Sigs,
}

impl Side {
    /// A source's side, or (with its source's) a translation's.
    pub fn new(text: &str, dialect: &Dialect, source: Option<&Side>) -> Side {
        let skeleton = build(text, dialect);
        let sigs = skeleton.signatures(text, dialect, source.map(|s| &s.sigs));
        Side { skeleton, sigs }
    }
}

/// What is made of a source for its translations' rules, made when the first of them asks
/// and shared by all (they are linted in parallel): the source's work is done once per
/// group, not once per locale.
#[derive(Default)]
pub struct Shared {
    side: std::sync::OnceLock<Side>,
    signature: std::sync::OnceLock<crate::sync::Signature>,
    /// The source's `sync::units` now, and those of its older versions by their text:
    /// what stale-translation's "what changed since" compares. On bench/sync-points.sh
    /// (3,648 stale translations of 625 sources) making them once per group instead of
    /// once per translation took a cold run from 5.8 G to 3.3 G instructions.
    units: std::sync::OnceLock<Vec<crate::sync::Unit>>,
    versions: std::sync::Mutex<HashMap<Box<str>, Arc<Vec<crate::sync::Unit>>>>,
    /// The source's link keys by target, which its translations are parsed beside.
    link_keys: std::sync::OnceLock<crate::parse::LinkKeys>,
}

impl Shared {
    /// The side of `text`, which must be the same text at every call.
    pub fn get(&self, text: &str, dialect: &Dialect) -> &Side {
        self.side.get_or_init(|| Side::new(text, dialect, None))
    }

    /// The source's `sync::signature`, which stale-translation compares with each
    /// translation's; the same document at every call.
    pub fn signature(&self, doc: &crate::model::Doc, text: &str) -> &crate::sync::Signature {
        self.signature.get_or_init(|| crate::sync::signature(doc, text))
    }

    /// The source's `parse::LinkKeys`; the same document at every call.
    pub fn link_keys(&self, doc: &crate::model::Doc) -> &crate::parse::LinkKeys {
        self.link_keys.get_or_init(|| crate::parse::LinkKeys::of(doc))
    }

    /// The source's `sync::units`; the same document at every call.
    pub fn units(&self, doc: &crate::model::Doc, text: &str) -> &[crate::sync::Unit] {
        self.units.get_or_init(|| crate::sync::units(doc, text))
    }

    /// The `sync::units` of an older version of the source, by its text.
    pub fn version_units(&self, text: &str) -> Arc<Vec<crate::sync::Unit>> {
        if let Some(known) = self.versions.lock().ok().and_then(|v| v.get(text).cloned()) {
            return known;
        }
        let made = Arc::new(crate::sync::units(&crate::parse::parse(text), text));
        if let Ok(mut v) = self.versions.lock() {
            v.insert(text.into(), Arc::clone(&made));
        }
        made
    }
}

/// Both skeletons of a pair and how their blocks align: what every skeleton rule reads.
pub struct Alignment<'a> {
    pub src: &'a Skeleton,
    pub tr: Skeleton,
    pub pairs: Vec<crate::align::Pair>,
}

impl<'a> Alignment<'a> {
    pub fn new(src: &'a Side, tr_text: &str, dialect: &Dialect) -> Alignment<'a> {
        let tr = Side::new(tr_text, dialect, Some(src));
        let pairs = crate::align::skeletons(&src.sigs, &tr.sigs);
        Alignment { src: &src.skeleton, tr: tr.skeleton, pairs }
    }

    /// Whether a block's container (alert or directive) is itself unpaired: then the
    /// container is the finding, not each block in it.
    pub fn in_unpaired(&self, sk: &Skeleton, i: usize, source: bool) -> bool {
        use crate::align::Pair;
        let mut p = sk.blocks[i].parent;
        while p != 0 {
            let k = p as usize - 1;
            if self.pairs.iter().any(|x| if source { *x == Pair::Missing(k) } else { *x == Pair::Extra(k) }) {
                return true;
            }
            p = sk.blocks[k].parent;
        }
        false
    }

    /// The paired blocks, as (source index, translation index).
    pub fn paired(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        use crate::align::Pair;
        self.pairs.iter().filter_map(|p| match *p {
            Pair::Same(i, j) | Pair::Changed(i, j) | Pair::Moved(i, j) => Some((i, j)),
            _ => None,
        })
    }
}

impl Skeleton {
    /// How a message names block `i`: "the 3rd list item under 'Before you begin'".
    pub fn describe(&self, i: usize, text: &str) -> String {
        let b = &self.blocks[i];
        let nth = self.blocks[..=i]
            .iter()
            .filter(|x| x.section == b.section && x.kind == b.kind && x.parent == b.parent)
            .count();
        let noun = if self.is_example(i) { "example" } else { b.kind.noun() };
        let mut out = format!("{} {noun}", ordinal(nth));
        if b.parent != 0 {
            let p = &self.blocks[b.parent as usize - 1];
            out.push_str(&format!(" in the {}", p.kind.noun()));
        }
        if b.section != 0 {
            let h = &self.blocks[b.section as usize - 1];
            let title = text[h.head.start..h.head.end].trim_start_matches('#').trim();
            out.push_str(&format!(" under '{}'", crate::text::shorten(title, 50)));
        }
        out
    }

    /// Whether block `i` is inside container `k` (at any depth).
    pub fn is_inside(&self, i: usize, k: usize) -> bool {
        let mut p = self.blocks[i].parent;
        while p != 0 {
            if p as usize - 1 == k {
                return true;
            }
            p = self.blocks[p as usize - 1].parent;
        }
        false
    }

    /// Whether block `i` is inside a `> [!NOTE]` alert, whose text the note rules judge.
    pub fn in_gfm_alert(&self, i: usize, text: &str) -> bool {
        let mut p = self.blocks[i].parent;
        while p != 0 {
            let b = &self.blocks[p as usize - 1];
            if b.kind == Kind::Alert && text[b.span.start..].trim_start().starts_with('>') {
                return true;
            }
            p = b.parent;
        }
        false
    }

    /// A list item followed by its command: tldr's unit of a page.
    pub fn is_example(&self, i: usize) -> bool {
        self.blocks[i].kind == Kind::ListItem && self.blocks.get(i + 1).is_some_and(|n| n.kind == Kind::Command)
    }

    /// The block's text, shortened for a message.
    pub fn quote(&self, i: usize, text: &str) -> String {
        let b = &self.blocks[i];
        let span = if b.kind.is_prose() { b.head } else { b.span };
        let t = &text[span.start..span.end];
        let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
        crate::text::shorten(&t, 70)
    }
}

pub fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

impl Alignment<'_> {
    /// Where source block `i`, absent from the translation, belongs there: the last line
    /// of the counterpart of the nearest source block before it, else the first line of
    /// the translation's first block.
    pub fn place_of_missing(&self, i: usize, tr_text: &str) -> Span {
        let mut partner = vec![usize::MAX; self.src.blocks.len()];
        for (a, b) in self.paired() {
            partner[a] = b;
        }
        let line_of = |at: usize| {
            let s = tr_text[..at].rfind('\n').map_or(0, |k| k + 1);
            let e = tr_text[at..].find('\n').map_or(tr_text.len(), |k| at + k);
            Span::new(s, e)
        };
        if let Some(mut k) = (0..i).rev().find(|&k| partner[k] != usize::MAX) {
            // After the last block of a container (`::: code-group`) that the missing block is
            // not in: after the container's counterpart, closing line included.
            while let Some(p) = (self.src.blocks[k].parent as usize).checked_sub(1) {
                if self.src.is_inside(i, p) || partner[p] == usize::MAX {
                    break;
                }
                k = p;
            }
            let b = &self.tr.blocks[partner[k]];
            // The first block of a container belongs after the container's opening line.
            if self.src.is_inside(i, k) {
                return line_of(b.span.start);
            }
            return line_of(tr_text[..b.span.end].trim_end().len());
        }
        match self.tr.blocks.first() {
            Some(b) => line_of(b.span.start),
            None => line_of(tr_text.trim_end().len()),
        }
    }
}
