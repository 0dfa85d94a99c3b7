//! The LSP edge: byte spans to positions in the negotiated encoding, file URIs to paths,
//! findings to diagnostics. Nothing here knows about the server's state.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use lsp_types::{
    Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, InitializeParams, Location, NumberOrString, Position,
    PositionEncodingKind, Range, Uri,
};

use crate::finding::{Finding, Severity, Span};
use crate::line_index::LineIndex;

/// How the client counts columns. LSP's default is UTF-16 code units; a client that lists
/// `utf-8` in `general.positionEncodings` gets byte columns, which is what locdrift's spans
/// already are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

impl Encoding {
    /// UTF-8 when the client offers it, else the mandatory UTF-16.
    pub fn negotiate(params: &InitializeParams) -> Encoding {
        let offered = params.capabilities.general.as_ref().and_then(|g| g.position_encodings.as_ref());
        if offered.is_some_and(|kinds| kinds.contains(&PositionEncodingKind::UTF8)) {
            Encoding::Utf8
        } else {
            Encoding::Utf16
        }
    }

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }
    }
}

pub fn position(index: &LineIndex, offset: usize, encoding: Encoding) -> Position {
    let p = index.position(offset);
    let column = match encoding {
        Encoding::Utf8 => p.byte,
        Encoding::Utf16 => p.utf16,
    };
    Position::new((p.line - 1) as u32, (column - 1) as u32)
}

pub fn range(index: &LineIndex, span: Span, encoding: Encoding) -> Range {
    Range::new(position(index, span.start, encoding), position(index, span.end, encoding))
}

/// The byte offset of a client position; positions past a line's end clamp to it.
pub fn offset(index: &LineIndex, position: Position, encoding: Encoding) -> usize {
    let (line, column) = (position.line as usize, position.character as usize);
    match encoding {
        Encoding::Utf8 => index.offset_utf8(line, column),
        Encoding::Utf16 => index.offset_utf16(line, column),
    }
}

pub fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}

/// Where a finding's counterpart is in the source, for `relatedInformation` and hovers.
pub(crate) struct SourceSide<'a> {
    pub uri: &'a Uri,
    pub text: &'a str,
    pub index: &'a LineIndex<'a>,
}

/// A finding as an LSP diagnostic: the rule name is the code, the source location is the
/// related information (labelled with the source's text there, so the editor's list
/// shows what the translation should say without opening the source).
pub fn diagnostic(f: &Finding, index: &LineIndex, source: Option<&SourceSide>, encoding: Encoding) -> Diagnostic {
    let related = match (f.source_span, source) {
        (Some(span), Some(src)) => Some(vec![DiagnosticRelatedInformation {
            location: Location::new(src.uri.clone(), range(src.index, span, encoding)),
            message: format!("source: {}", excerpt(src.text.get(span.start..span.end).unwrap_or(""), 80)),
        }]),
        _ => None,
    };
    Diagnostic {
        range: range(index, f.span, encoding),
        severity: Some(severity(f.severity)),
        code: Some(NumberOrString::String(f.rule.to_string())),
        code_description: None,
        source: Some("locdrift".to_string()),
        message: f.message.clone(),
        related_information: related,
        tags: None,
        data: None,
    }
}

/// The first line of `text`, cut at `max` characters, for one-line labels and titles.
pub fn excerpt(text: &str, max: usize) -> String {
    let line = text.trim().lines().next().unwrap_or("").trim();
    if line.chars().count() <= max {
        let more = text.trim().lines().nth(1).is_some();
        return if more { format!("{line}…") } else { line.to_string() };
    }
    let cut: String = line.chars().take(max.saturating_sub(1)).collect();
    format!("{}…", cut.trim_end())
}

/// The local path of a `file:` URI (percent-decoded); `None` for other schemes, remote
/// authorities or paths that are not UTF-8.
pub fn path_of(uri: &Uri) -> Option<PathBuf> {
    let text = uri.as_str();
    let scheme_end = text.find(':')?;
    if !text[..scheme_end].eq_ignore_ascii_case("file") {
        return None;
    }
    let rest = text[scheme_end + 1..].strip_prefix("//")?;
    let slash = rest.find('/')?;
    let authority = &rest[..slash];
    if !(authority.is_empty() || authority.eq_ignore_ascii_case("localhost")) {
        return None;
    }
    let path = rest[slash..].split(['?', '#']).next()?;
    let decoded = percent_decode(path)?;
    // `file:///C:/docs/x.md` is `C:/docs/x.md` on Windows.
    let decoded =
        if cfg!(windows) && decoded.as_bytes().get(2) == Some(&b':') { decoded[1..].to_string() } else { decoded };
    Some(PathBuf::from(decoded))
}

/// A `file:` URI for an absolute path, percent-encoding everything but unreserved
/// characters and `/`.
pub fn uri_of(path: &Path) -> Option<Uri> {
    let text = path.to_str()?.replace('\\', "/");
    let text = if text.starts_with('/') { text } else { format!("/{text}") };
    let mut out = String::from("file://");
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) || (b == b':' && cfg!(windows)) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    Uri::from_str(&out).ok()
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_uris_round_trip_with_non_ascii_and_spaces() {
        let path = Path::new("/tmp/dokument/översikt av 日本語.md");
        let uri = uri_of(path).unwrap();
        assert_eq!(uri.as_str(), "file:///tmp/dokument/%C3%B6versikt%20av%20%E6%97%A5%E6%9C%AC%E8%AA%9E.md");
        assert_eq!(path_of(&uri).unwrap(), path);
        let other: Uri = "untitled:Untitled-1".parse().unwrap();
        assert_eq!(path_of(&other), None);
        let remote: Uri = "file://server/share/x.md".parse().unwrap();
        assert_eq!(path_of(&remote), None);
    }

    #[test]
    fn positions_count_in_the_negotiated_encoding() {
        let text = "| 日本語 | Ja |\n";
        let index = LineIndex::new(text);
        let ja = text.find("Ja").unwrap();
        assert_eq!(position(&index, ja, Encoding::Utf16), Position::new(0, 8));
        assert_eq!(position(&index, ja, Encoding::Utf8), Position::new(0, 14));
        for encoding in [Encoding::Utf8, Encoding::Utf16] {
            assert_eq!(offset(&index, position(&index, ja, encoding), encoding), ja);
        }
    }
}
