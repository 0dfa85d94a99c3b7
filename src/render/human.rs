//! `--format human` (the default): findings grouped by file, each with the whole line it
//! points at and, where it helps, the source's line as one related block; then a summary
//! by rule and locale.
//!
//! Written by hand rather than through miette's report handler: a large tree has tens of
//! thousands of findings, and the handler's boxes made each one a dozen lines (an "Advice"
//! section per source excerpt) and most of the run's time. Here a finding is three to six
//! lines, each file is named once, and at most `max_per_file` findings of a file are shown.
//!
//! ```text
//! sv-se/includes/x.md  (sv-se, source en-us/includes/x.md)
//!   23:34 warning LD301 stale-link  link points to `a.md`; the source links `b.md`
//!      23 │ For more, see [local](a.md).
//!         │                       ^^^^ this target
//!   source
//!      16 │ For more, see [local](b.md).
//!   help: safe fix: `b.md`
//! ```

use std::collections::HashMap;
use std::fmt::Write;
use std::io::IsTerminal;
use std::path::Path;

use unicode_width::UnicodeWidthChar;

use crate::check::Summary;
use crate::finding::{Finding, Severity, Span};
use crate::line_index::LineIndex;
use crate::render::{show_path, Sources};
use crate::rules::RuleId;

/// Colour, width and how many findings of one file to show.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    pub width: usize,
    /// At most this many findings per file (0: all); the rest are counted.
    pub max_per_file: usize,
}

/// Above this many findings the summary suggests recording them in a baseline.
const MANY: usize = 100;

impl Style {
    /// Tests and pipes get no colour and a fixed width, so output is stable.
    pub const PLAIN: Style = Style { color: false, width: 100, max_per_file: 20 };

    pub fn detect() -> Style {
        let tty = std::io::stdout().is_terminal();
        let color = tty && std::env::var_os("NO_COLOR").is_none();
        Style { color, ..Style::PLAIN }
    }
}

pub fn render(findings: &[Finding], summary: &Summary, sources: &Sources, style: Style) -> String {
    let paint = Paint(style.color);
    let mut out = String::with_capacity(findings.len() * 256);
    let mut shown = 0;
    // Findings come sorted by file; grouping keeps the first appearance of each file in
    // case a caller's are not, and orders a file's findings by position.
    let mut files: Vec<(&Path, Vec<&Finding>)> = Vec::new();
    let mut index: HashMap<&Path, usize> = HashMap::new();
    for f in findings {
        let i = *index.entry(&f.file).or_insert_with(|| {
            files.push((&f.file, Vec::new()));
            files.len() - 1
        });
        files[i].1.push(f);
    }
    // Source texts with their line starts, made once however many findings point there.
    let mut source_texts: HashMap<&Path, Option<Lines>> = HashMap::new();
    for (file, mut group) in files {
        group.sort_by_key(|f| (f.span.start, f.span.end));
        let text = sources.get(file);
        let lines = text.as_deref().map(|t| LineIndex::new(t));
        header(&mut out, file, &group, paint);
        let limit = if style.max_per_file == 0 { group.len() } else { style.max_per_file.min(group.len()) };
        for f in &group[..limit] {
            let source = f.source_span.zip(f.source_file.as_deref()).and_then(|(span, path)| {
                let lines = source_texts.entry(path).or_insert_with(|| sources.get(path).map(Lines::new)).as_ref()?;
                Some((span, path, lines))
            });
            finding(&mut out, f, text.as_deref().map(String::as_str).zip(lines.as_ref()), source, &group, style);
        }
        shown += limit;
        if limit < group.len() {
            let more = group.len() - limit;
            let _ = writeln!(
                out,
                "  {} {more} more in this file: locdrift check {} --max-per-file 0",
                paint.dim("…"),
                show_path(file)
            );
        }
        out.push('\n');
    }
    out.push_str(&summary_line(findings, summary));
    if shown < findings.len() {
        let _ = writeln!(out, "Shown: {shown} (at most {} per file; --max-per-file 0 shows all).", style.max_per_file);
    }
    if findings.len() > 20 {
        out.push_str(&by_rule_and_locale(findings));
    }
    if findings.len() > MANY {
        let _ = writeln!(
            out,
            "To gate only new drift: locdrift check --write-baseline locdrift-baseline.json, then \
             --baseline locdrift-baseline.json."
        );
    }
    out
}

/// The file's line: its path, once, with the locale and the source.
fn header(out: &mut String, file: &Path, group: &[&Finding], paint: Paint) {
    let first = group[0];
    let _ = write!(out, "{}", paint.bold(&show_path(file)));
    let source = first.source_file.as_deref().filter(|s| group.iter().all(|f| f.source_file.as_deref() == Some(*s)));
    match (first.locale.as_deref(), source) {
        (Some(l), Some(s)) => {
            let _ = write!(out, "  ({l}, source {})", show_path(s));
        }
        (Some(l), None) => {
            let _ = write!(out, "  ({l})");
        }
        (None, Some(s)) => {
            let _ = write!(out, "  (source {})", show_path(s));
        }
        (None, None) => {}
    }
    out.push('\n');
}

/// A source's text and where its lines start.
struct Lines {
    text: std::rc::Rc<String>,
    starts: Vec<usize>,
}

impl Lines {
    fn new(text: std::rc::Rc<String>) -> Lines {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        Lines { text, starts }
    }

    /// The 1-based line of a byte offset.
    fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset.min(self.text.len()))
    }
}

type SourceExcerpt<'a> = (Span, &'a Path, &'a Lines);

fn finding(
    out: &mut String,
    f: &Finding,
    text: Option<(&str, &LineIndex)>,
    source: Option<SourceExcerpt>,
    group: &[&Finding],
    style: Style,
) {
    let paint = Paint(style.color);
    let position = text.map(|(_, idx)| idx.position(f.span.start));
    let at = position.map_or(String::new(), |p| format!("{}:{} ", p.line, p.column));
    let severity = match f.severity {
        Severity::Error => paint.red("error"),
        Severity::Warning => paint.yellow("warning"),
        Severity::Info => paint.cyan("info"),
    };
    let _ = writeln!(out, "  {at}{severity} {} {}  {}", paint.dim(f.rule.code()), f.rule, f.message);
    let gutter = 6;
    if let (Some((text, _)), Some(p)) = (text, position) {
        excerpt(out, text, f.span, p.line, Some(label_for(f)), gutter, style);
    }
    if let Some((span, path, lines)) = source {
        let src_text = lines.text.as_str();
        // The source's line helps unless it is the translation's line, word for word.
        let same_line = text.is_some_and(|(t, _)| line_of(t, f.span.start) == line_of(src_text, span.start));
        if !same_line {
            let named = group.iter().any(|g| g.source_file.as_deref() != Some(path));
            let what = if named { format!("source {}", show_path(path)) } else { "source".to_string() };
            let _ = writeln!(out, "  {}", paint.dim(&what));
            excerpt(out, src_text, span, lines.line(span.start), None, gutter, style);
        }
    }
    if let Some(help) = &f.help {
        for (i, line) in help.lines().enumerate() {
            let _ = writeln!(out, "  {}{line}", if i == 0 { "help: " } else { "      " });
        }
    }
    if let Some(fix) = &f.fix {
        let kind = if fix.safe { "safe" } else { "unsafe" };
        let replacement = fix.replacement.trim();
        if replacement.is_empty() {
            let _ = writeln!(out, "  {kind} fix: delete it");
        } else if !replacement.contains('\n') {
            let _ = writeln!(out, "  {kind} fix: `{replacement}`");
        } else {
            let _ = writeln!(out, "  {kind} fix: insert");
            for line in replacement.lines() {
                let _ = writeln!(out, "{:>6} {} {line}", "", paint.dim("+"));
            }
        }
    }
}

/// The line holding `offset`, without its newline.
fn line_of(text: &str, offset: usize) -> &str {
    let offset = offset.min(text.len());
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    &text[start..end]
}

/// Prints the whole line at `span.start` (1-based `line`), the span underlined, windowed
/// to the width when the line is longer.
fn excerpt(out: &mut String, text: &str, span: Span, line: usize, label: Option<&str>, gutter: usize, style: Style) {
    let paint = Paint(style.color);
    let mut start = span.start.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let line_text = text[line_start..line_end].trim_end_matches('\r');
    let end = span.end.clamp(start, text.len());
    let first_end = end.min(line_start + line_text.len());
    // A span that ends with its line's newline does not continue.
    let continues = text[first_end..end].trim_end_matches(['\n', '\r']).matches('\n').count();
    // Columns of the span within the line, in display cells.
    let cells: Vec<(usize, char, usize)> = line_text
        .char_indices()
        .map(|(i, c)| (line_start + i, if c == '\t' { ' ' } else { c }, c.width().unwrap_or(0)))
        .collect();
    let room = style.width.saturating_sub(gutter + 4).max(20);
    let total: usize = cells.iter().map(|c| c.2).sum();
    let (mut from, mut to) = (0, cells.len());
    if total > room {
        // Window the line: keep the span's start with some context before it.
        let at = cells.iter().position(|c| c.0 >= start).unwrap_or(cells.len());
        let mut before = 0;
        from = at;
        while from > 0 && before + cells[from - 1].2 <= room / 4 {
            from -= 1;
            before += cells[from].2;
        }
        let mut used = 0;
        to = from;
        while to < cells.len() && used + cells[to].2 <= room - 2 {
            used += cells[to].2;
            to += 1;
        }
    }
    let mut shown = String::new();
    let mut marks = String::new();
    if from > 0 {
        shown.push('…');
        marks.push(' ');
    }
    for &(offset, c, w) in &cells[from..to] {
        shown.push(c);
        let inside = offset >= start && offset < first_end.max(start + 1);
        for _ in 0..w {
            marks.push(if inside { '^' } else { ' ' });
        }
    }
    if to < cells.len() {
        shown.push('…');
    }
    if start >= line_start + line_text.len() && cells.get(from..to).is_some() {
        // A span at the end of the line (or an empty one there): a caret after it.
        marks.push('^');
    }
    let marks = marks.trim_end();
    let number = line.to_string();
    let _ = writeln!(out, "{:>gutter$} {} {}", paint.dim(&number), paint.dim("│"), shown.trim_end());
    let mut note = label.unwrap_or("").to_string();
    if continues > 0 {
        let more = format!("(and {continues} more {})", if continues == 1 { "line" } else { "lines" });
        note = if note.is_empty() { more } else { format!("{note} {more}") };
    }
    let caret = if marks.is_empty() { "^" } else { marks };
    let sep = if note.is_empty() { "" } else { " " };
    let _ = writeln!(out, "{:>gutter$} {} {}{sep}{note}", "", paint.dim("│"), paint.caret(caret));
}

fn label_for(f: &Finding) -> &'static str {
    match f.rule {
        RuleId::StaleLink | RuleId::IncludeMismatch => "this target",
        RuleId::MissingLink | RuleId::MissingNote | RuleId::RowMissing | RuleId::TableMissing => "expected near here",
        _ => "here",
    }
}

pub fn summary_line(findings: &[Finding], summary: &Summary) -> String {
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    let pairs = format!(
        "{} {} of {} {} checked",
        summary.translations,
        plural(summary.translations, "translation", "translations"),
        summary.sources,
        plural(summary.sources, "source", "sources")
    );
    let baselined = match summary.baselined {
        0 => String::new(),
        n => format!(" ({n} more hidden by the baseline)"),
    };
    if findings.is_empty() {
        return format!("All checks passed{baselined}: {pairs}.\n");
    }
    let fixable = findings.iter().filter(|f| f.fix.as_ref().is_some_and(|x| x.safe)).count();
    let mut line = format!(
        "Found {} {}{baselined} ({} {}, {} {}, {} info) in {} {}; {pairs}.\n",
        findings.len(),
        plural(findings.len(), "finding", "findings"),
        count(Severity::Error),
        plural(count(Severity::Error), "error", "errors"),
        count(Severity::Warning),
        plural(count(Severity::Warning), "warning", "warnings"),
        count(Severity::Info),
        files_with_findings(findings),
        plural(files_with_findings(findings), "file", "files"),
    );
    if fixable > 0 {
        line.push_str(&format!("{fixable} fixable with `--fix`.\n"));
    }
    line
}

/// Two lines: findings per rule and per locale, most first.
fn by_rule_and_locale(findings: &[Finding]) -> String {
    let (rules, locales) = crate::render::statistics::counts(findings);
    let rules: Vec<String> = rules.iter().map(|r| format!("{} {}", r.count, r.rule)).collect();
    let locales: Vec<String> = locales.iter().map(|(l, n)| format!("{n} {l}")).collect();
    format!("By rule: {}.\nBy locale: {}.\n", rules.join(", "), locales.join(", "))
}

fn files_with_findings(findings: &[Finding]) -> usize {
    let mut files: Vec<_> = findings.iter().map(|f| &f.file).collect();
    files.sort_unstable();
    files.dedup();
    files.len()
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}

/// ANSI colours, or plain text.
#[derive(Clone, Copy)]
struct Paint(bool);

impl Paint {
    fn wrap(self, code: &str, text: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
    fn bold(self, t: &str) -> String {
        self.wrap("1", t)
    }
    fn dim(self, t: &str) -> String {
        self.wrap("2", t)
    }
    fn red(self, t: &str) -> String {
        self.wrap("31", t)
    }
    fn yellow(self, t: &str) -> String {
        self.wrap("33", t)
    }
    fn cyan(self, t: &str) -> String {
        self.wrap("36", t)
    }
    fn caret(self, t: &str) -> String {
        self.wrap("35", t)
    }
}
