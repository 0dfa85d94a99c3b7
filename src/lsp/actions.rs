//! Requests about the findings of an open translation: code actions (safe fixes, a
//! suppression comment) and hovers (the source's text, the rule's explanation).

use std::collections::HashMap;

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, Hover, HoverContents, MarkupContent, MarkupKind, Position, Range,
    TextEdit, Uri, WorkspaceEdit,
};

use super::convert::{self, Encoding, SourceSide};
use super::{Linted, OpenDoc, Source, DISABLE_NEXT_LINE};
use crate::finding::{Finding, Span};
use crate::line_index::LineIndex;

/// The actions for the findings a range touches: each safe fix, then one "Disable RULE
/// for this line" per rule and line.
pub fn code_actions(doc: &OpenDoc, linted: &Linted, range: Range, encoding: Encoding) -> Vec<CodeActionOrCommand> {
    let index = LineIndex::new(&doc.text);
    let start = convert::offset(&index, range.start, encoding);
    let end = convert::offset(&index, range.end, encoding);
    let source = linted.source.as_ref();
    let source_index = source.map(|s| LineIndex::new(&s.text));
    let side = source.zip(source_index.as_ref()).map(|(s, index)| SourceSide { uri: &s.uri, text: &s.text, index });
    let mut fixes = Vec::new();
    let mut disables: Vec<CodeActionOrCommand> = Vec::new();
    let mut disabled: Vec<(usize, &str)> = Vec::new();
    for f in linted.findings.iter().filter(|f| f.span.start <= end && start <= f.span.end) {
        let diagnostic = convert::diagnostic(f, &index, side.as_ref(), encoding);
        if let Some(fix) = f.fix.as_ref().filter(|fix| fix.safe) {
            let edit = TextEdit::new(convert::range(&index, fix.span, encoding), fix.replacement.clone());
            fixes.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: fix_title(&doc.text, fix.span, &fix.replacement),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diagnostic.clone()]),
                edit: Some(workspace_edit(&doc.uri, edit)),
                is_preferred: Some(true),
                ..Default::default()
            }));
        }
        let line_start = crate::text::line_start(&doc.text, f.span.start);
        if disabled.contains(&(line_start, f.rule.name())) {
            continue;
        }
        disabled.push((line_start, f.rule.name()));
        let Some(edit) = disable_edit(&doc.text, &index, line_start, f.rule.name(), encoding) else { continue };
        disables.push(CodeActionOrCommand::CodeAction(CodeAction {
            title: format!("Disable {} for this line", f.rule),
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![diagnostic]),
            edit: Some(workspace_edit(&doc.uri, edit)),
            ..Default::default()
        }));
    }
    // Fixes first: they are what the writer most likely wants.
    fixes.extend(disables);
    fixes
}

/// The hover at a position inside one or more findings.
pub fn hover(doc: &OpenDoc, linted: &Linted, position: Position, encoding: Encoding) -> Option<Hover> {
    let index = LineIndex::new(&doc.text);
    let offset = convert::offset(&index, position, encoding);
    let hits: Vec<&Finding> =
        linted.findings.iter().filter(|f| f.span.start <= offset && offset <= f.span.end).collect();
    let first = hits.first()?;
    let range = hits.iter().fold(first.span, |acc, f| Span::new(acc.start.min(f.span.start), acc.end.max(f.span.end)));
    let source = linted.source.as_ref();
    let parts: Vec<String> = hits.iter().map(|f| hover_text(f, source)).collect();
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent { kind: MarkupKind::Markdown, value: parts.join("\n\n---\n\n") }),
        range: Some(convert::range(&index, range, encoding)),
    })
}

/// The hover for one finding: the rule, the source's text at the counterpart, the help,
/// and the catalog's summary and rationale.
fn hover_text(f: &Finding, source: Option<&Source>) -> String {
    let mut out = String::new();
    match crate::catalog::get(f.rule.name()) {
        Some(doc) => out.push_str(&format!("**{}** ({}): {}\n", doc.name, doc.code, doc.summary.trim())),
        None => out.push_str(&format!("**{}**\n", f.rule)),
    }
    if let (Some(span), Some(src)) = (f.source_span, source) {
        let text = src.text.get(span.start..span.end).unwrap_or("");
        let line = LineIndex::new(&src.text).position(span.start).line;
        let name = src.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        out.push_str(&format!("\nThe source (`{name}`, line {line}) has:\n\n{}", fenced(text)));
    }
    if let Some(help) = &f.help {
        out.push_str(&format!("\nHelp: {help}\n"));
    }
    if let Some(doc) = crate::catalog::get(f.rule.name()) {
        out.push_str(&format!("\n{}\n", doc.why.trim()));
    }
    out
}

/// `text` in a fenced block whose fence is longer than any backtick run inside it.
fn fenced(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    format!("{fence}markdown\n{}\n{fence}\n", text.trim_end())
}

fn fix_title(text: &str, span: Span, replacement: &str) -> String {
    let old = text.get(span.start..span.end).unwrap_or("");
    let (old, new) = (convert::excerpt(old, 60), convert::excerpt(replacement, 60));
    if old.is_empty() {
        format!("Insert `{new}`")
    } else if new.is_empty() {
        format!("Delete `{old}`")
    } else {
        format!("Replace `{old}` with `{new}`")
    }
}

/// The edit inserting `<!-- locdrift-disable-next-line RULE -->` above the line at
/// `line_start`, with that line's indentation and blockquote markers so the comment stays
/// inside the same list item or note. `None` when the comment is already there.
fn disable_edit(text: &str, index: &LineIndex, line_start: usize, rule: &str, encoding: Encoding) -> Option<TextEdit> {
    let line = &text[line_start..];
    let prefix_len = line.find(|c: char| !matches!(c, ' ' | '\t' | '>')).unwrap_or(line.len());
    let prefix = &line[..prefix_len];
    let comment = format!("<!-- {DISABLE_NEXT_LINE} {rule} -->");
    let above = text[..line_start].trim_end_matches(['\n', '\r']);
    let above = &above[crate::text::line_start(above, above.len())..];
    if line_start > 0 && above.trim_start_matches([' ', '\t', '>']).trim_end() == comment {
        return None;
    }
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let at = convert::position(index, line_start, encoding);
    Some(TextEdit::new(lsp_types::Range::new(at, at), format!("{prefix}{comment}{newline}")))
}

fn workspace_edit(uri: &Uri, edit: TextEdit) -> WorkspaceEdit {
    WorkspaceEdit { changes: Some(HashMap::from([(uri.clone(), vec![edit])])), ..Default::default() }
}
