//! Findings: what a rule reports, with byte spans and a deterministic order.

use std::path::PathBuf;

use serde::Serialize;

use crate::rule_id::RuleId;

/// A half-open byte range into one file's text.
///
/// Spans are bytes everywhere in the core; line and column are computed only when a
/// finding is rendered, because localized text is full of multi-byte characters and
/// every output format counts columns differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end: end.max(start) }
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    pub fn shift(self, by: usize) -> Span {
        Span::new(self.start + by, self.end + by)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(text: &str) -> Option<Severity> {
        match text {
            "info" => Some(Severity::Info),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

/// A replacement that repairs a finding in the translation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    pub span: Span,
    pub replacement: String,
    /// Safe fixes are applied by `--fix`; the rest only with `--unsafe-fixes`.
    pub safe: bool,
}

/// One reported drift.
///
/// Rules fill in `rule`, `span`, `message` and the optional parts; the driver fills in
/// the file, locale and severity, which depend on the run's settings rather than on the
/// comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: RuleId,
    pub severity: Severity,
    pub message: String,
    pub span: Span,
    pub source_span: Option<Span>,
    pub help: Option<String>,
    pub fix: Option<Fix>,
    /// The translation (or, for file-level findings without one, the file concerned).
    pub file: PathBuf,
    pub locale: Option<String>,
    pub source_file: Option<PathBuf>,
    /// Where the drift is, by structure rather than by position: what a baseline entry and
    /// a SARIF fingerprint are keyed by, so that an edit above a finding (a new paragraph,
    /// a reworded sentence) does not make it look new.
    ///
    /// The pattern, for every rule that compares structure: `/`-separated segments built
    /// from what identifies the place on the source side, which the translation cannot
    /// shift, using the helpers in `rules/mod.rs`:
    /// `table:2` (`key::table`), `table:2/row:link:../aks.md` (`key::row`),
    /// `table:2/row:link:../aks.md/col:3` (`key::cell`), then a rule-specific tail:
    /// `link:{target}` or `link:{source target}->{translation target}` for links (prefixed by
    /// the cell's key inside a table), `note:NOTE#2` for the second NOTE, `include:{path}`,
    /// `front-matter:{key}`, `file` for whole-file findings. Never a line, a column or a
    /// byte offset. Rules without a key fall back to their message, which is weaker.
    pub key: Option<String>,
}

impl Finding {
    pub fn new(rule: RuleId, span: Span, message: impl Into<String>) -> Finding {
        Finding {
            rule,
            severity: Severity::Warning,
            message: message.into(),
            span,
            source_span: None,
            help: None,
            fix: None,
            file: PathBuf::new(),
            locale: None,
            source_file: None,
            key: None,
        }
    }

    /// Sets the structural key (see the field's documentation for the pattern).
    pub(crate) fn with_key(mut self, key: impl Into<String>) -> Finding {
        self.key = Some(key.into());
        self
    }

    /// The structural key, or the message for findings that have none.
    pub fn identity(&self) -> &str {
        self.key.as_deref().unwrap_or(&self.message)
    }

    pub(crate) fn with_source(mut self, span: Span) -> Finding {
        self.source_span = Some(span);
        self
    }

    pub(crate) fn with_help(mut self, help: impl Into<String>) -> Finding {
        self.help = Some(help.into());
        self
    }

    pub(crate) fn with_fix(mut self, fix: Fix) -> Finding {
        self.fix = Some(fix);
        self
    }

    /// The order every output uses: by file, then position, then rule name, so that
    /// parallel runs print the same bytes as sequential ones.
    pub(crate) fn sort_key(&self) -> (&PathBuf, usize, usize, &'static str, &str) {
        (&self.file, self.span.start, self.span.end, self.rule.name(), &self.message)
    }
}

/// A hash that is the same on every platform, build and run (64-bit FNV-1a over the
/// parts, each followed by a zero byte): what shards and fingerprints are made of, which
/// must not change when the standard library's hasher does.
pub(crate) fn stable_hash(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.bytes().chain(std::iter::once(0)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

pub fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
}
