//! `command-mismatch`: a command differs from the source's after placeholders are normalized:
//! a line that is only inline code (tldr's examples), or a command line in a shell code block.
//!
//! Translators translate placeholders (`{{path/to/file}}` -> `{{chemin/vers/fichier}}`) and
//! comments, trailing ones included; neither is drift. The command itself is.

use crate::finding::{Finding, Span};
use crate::rules::RuleId;
use crate::rules::Cx;
use crate::skeleton::{normalize_command, Kind};

pub fn check(cx: &Cx, acc: &mut Vec<Finding>) {
    let al = cx.blocks();
    let dialect = cx.settings.dialect;
    for (i, j) in al.paired() {
        let (s, t) = (&al.src.blocks[i], &al.tr.blocks[j]);
        match (s.kind, t.kind) {
            (Kind::Command, Kind::Command) => {
                let a = normalize_command(strip_ticks(&cx.src_text[s.head.start..s.head.end]), dialect);
                let b = normalize_command(strip_ticks(&cx.tr_text[t.head.start..t.head.end]), dialect);
                if a != b && !same_words(&a, &b) {
                    acc.push(
                        Finding::new(
                            RuleId::CommandMismatch,
                            t.head,
                            format!(
                                "this command is `{}`; the source's is `{}`",
                                crate::text::shorten(&b, 60),
                                crate::text::shorten(&a, 60)
                            ),
                        )
                        .with_source(s.head)
                        .with_key(format!("command:{}", crate::text::shorten(&a, 60))),
                    );
                }
            }
            (Kind::Code, Kind::Code) if is_shell(&cx.src_text[s.head.start..s.head.end]) => {
                let a = commands(cx.src_text, s.span);
                let b = commands(cx.tr_text, t.span);
                if a.len() != b.len() {
                    continue; // code-mismatch reports the block's lines
                }
                for ((_, x), (span, y)) in a.iter().zip(&b) {
                    // A line whose words the translation wrote in its own script (help
                    // text, output, a full-width colon) is prose shown in a shell block.
                    let translated = |l: &str| {
                        l.chars().any(|c| {
                            !c.is_ascii()
                                && (c.is_alphabetic()
                                    || c.is_ascii_punctuation()
                                    || ('\u{ff00}'..='\u{ffef}').contains(&c))
                        })
                    };
                    if translated(y) && !translated(x) {
                        continue;
                    }
                    if normalize_command(x, dialect) != normalize_command(y, dialect) {
                        acc.push(
                            Finding::new(
                                RuleId::CommandMismatch,
                                *span,
                                format!(
                                    "this command is `{}`; the source's is `{}`",
                                    crate::text::shorten(y, 60),
                                    crate::text::shorten(x, 60)
                                ),
                            )
                            .with_source(s.span)
                            .with_key(format!("command:{}", crate::text::shorten(x, 60))),
                        );
                    }
                }
            }
            _ => {}
        }
    }
}

fn strip_ticks(s: &str) -> &str {
    s.trim().trim_matches('`').trim()
}

/// Spelling-only differences of a placeholder's surroundings (`{{file}}s` kept as one
/// token) are not a different command.
fn same_words(a: &str, b: &str) -> bool {
    a.split_whitespace().eq(b.split_whitespace())
}

/// Shell languages, whose lines are commands.
pub fn is_shell(lang: &str) -> bool {
    matches!(
        lang.trim().to_ascii_lowercase().as_str(),
        "sh" | "bash" | "shell" | "console" | "zsh" | "shell-session" | "powershell" | "ps1" | "pwsh" | "cmd" | "bat"
    )
}

/// The command lines of a shell code block, trailing comments and prompts removed, with
/// their spans: comment-only and output lines (in `console` blocks, lines without a
/// prompt) are not commands.
fn commands(text: &str, span: Span) -> Vec<(Span, &str)> {
    let body = &text[span.start..span.end];
    let mut out = Vec::new();
    let mut offset = span.start;
    let mut lines = body.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    offset += first.len();
    let console = first.contains("console") || first.contains("session");
    for line in lines {
        let start = offset;
        offset += line.len();
        let l = line.trim_end();
        let t = l.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") || t.is_empty() || t.starts_with('#') && !t.starts_with("#!") {
            continue;
        }
        let cmd = if let Some(r) = t.strip_prefix("$ ").or_else(|| t.strip_prefix("PS> ")) {
            r
        } else if console {
            continue;
        } else {
            t
        };
        let cmd = match cmd.find(" #") {
            Some(k) if !cmd[..k].contains(['\'', '"']) => cmd[..k].trim_end(),
            _ => cmd,
        };
        let lead = l.len() - t.len();
        out.push((Span::new(start + lead, start + l.len()), cmd));
    }
    out
}
