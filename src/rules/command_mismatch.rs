//! `command-mismatch`: a command differs from the source's after placeholders are normalized:
//! a line that is only inline code (tldr's examples), or a command line in a shell code block.
//!
//! Translators translate placeholders (`{{path/to/file}}` -> `{{chemin/vers/fichier}}`) and
//! comments, trailing ones included; neither is drift. The command itself is. So are example
//! names (`my-astro-project` -> `mon-projet-astro`), quoted sentences (`echo "…"`) and output
//! shown in a shell block (an `output` block, the lines after a prompt, `[plugin] …` log lines).

use crate::rules::RuleId;
use crate::finding::{Finding, Span};
use crate::rules::Cx;
use crate::dialect::Dialect;
use crate::skeleton::{normalize_command, same_command, Kind};

pub fn check(cx: &Cx, acc: &mut Vec<Finding>) {
    let al = cx.blocks();
    let dialect = cx.settings.dialect;
    for (i, j) in al.paired() {
        let (s, t) = (&al.src.blocks[i], &al.tr.blocks[j]);
        // A block the translation kept byte for byte has no command that differs (most
        // code blocks are kept so).
        if cx.src_text[s.span.start..s.span.end] == cx.tr_text[t.span.start..t.span.end] {
            continue;
        }
        match (s.kind, t.kind) {
            (Kind::Command, Kind::Command) => {
                let a = normalize_command(strip_ticks(&cx.src_text[s.head.start..s.head.end]), dialect);
                let b = normalize_command(strip_ticks(&cx.tr_text[t.head.start..t.head.end]), dialect);
                if !same_command(&a, &b) && !same_words(&a, &b) && !same_but_examples(&a, &b, dialect) {
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
                for ((src_span, x), (span, y)) in a.iter().zip(&b) {
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
                    let (x_n, y_n) = (normalize_command(x, dialect), normalize_command(y, dialect));
                    if !same_command(&x_n, &y_n) && !same_but_examples(&x_n, &y_n, dialect) {
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
                            .with_source(*src_span)
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

/// The same command but where the source names an example (`my-astro-project`,
/// `myRootFolder/myProjectFolder`), which the translation may name in its own language.
fn same_but_examples(a: &str, b: &str, dialect: &Dialect) -> bool {
    let example = |w: &str| {
        dialect.example_words.iter().any(|p| {
            w.strip_prefix(p.as_str())
                .and_then(|r| r.chars().next())
                .is_some_and(|c| c == '-' || c == '_' || c.is_uppercase())
        })
    };
    let (mut x, mut y) = (a.split_whitespace(), b.split_whitespace());
    let mut any = false;
    loop {
        match (x.next(), y.next()) {
            (None, None) => return any,
            (Some(v), Some(w)) if v == w => {}
            (Some(v), Some(w)) => {
                let (mut vs, mut ws) = (v.split('/'), w.split('/'));
                loop {
                    match (vs.next(), ws.next()) {
                        (None, None) => break,
                        (Some(p), Some(q)) if p == q || example(p) => any |= p != q,
                        _ => return false,
                    }
                }
            }
            _ => return false,
        }
    }
}

/// Shell languages, whose lines are commands.
pub fn is_shell(lang: &str) -> bool {
    matches!(
        lang.trim().to_ascii_lowercase().as_str(),
        "sh" | "bash" | "shell" | "console" | "zsh" | "shell-session" | "powershell" | "ps1" | "pwsh" | "cmd" | "bat"
    )
}

/// The command lines of a shell code block, trailing comments and prompts removed, with
/// their spans. Not commands: comment-only lines (`#`, `//`), a block whose info string says
/// `output`, lines without a prompt in a block that has prompts (`console` blocks, or `$ `,
/// `❯ `, `PS> ` lines: the others are output, unless they continue a command after `\`), and
/// log lines (`[plugin-name] Starting…`, `Fatal: …`), which translators translate.
fn commands(text: &str, span: Span) -> Vec<(Span, &str)> {
    const PROMPTS: [&str; 3] = ["$ ", "PS> ", "❯ "];
    let body = &text[span.start..span.end];
    let mut out = Vec::new();
    let mut offset = span.start;
    let mut lines = body.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    offset += first.len();
    if first.trim_start().trim_start_matches(['`', '~']).split_whitespace().any(|w| w.eq_ignore_ascii_case("output")) {
        return out;
    }
    let session = first.contains("console")
        || first.contains("session")
        || body.lines().skip(1).any(|l| PROMPTS.iter().any(|p| l.trim_start().starts_with(p)));
    let mut continued = false;
    for line in lines {
        let start = offset;
        offset += line.len();
        let l = line.trim_end();
        let t = l.trim_start();
        let was_continued = std::mem::replace(&mut continued, false);
        if t.starts_with("```")
            || t.starts_with("~~~")
            || t.is_empty()
            || t.starts_with('#') && !t.starts_with("#!")
            || t.starts_with("//")
        {
            continue;
        }
        let cmd = if let Some(r) = PROMPTS.iter().find_map(|p| t.strip_prefix(p)) {
            r
        } else if session && !was_continued {
            continue;
        } else {
            t
        };
        if is_log_line(cmd) {
            continue;
        }
        continued = cmd.ends_with('\\');
        let cmd = match cmd.find(" #") {
            Some(k) if !cmd[..k].contains(['\'', '"']) => cmd[..k].trim_end(),
            _ => cmd,
        };
        let lead = l.len() - t.len();
        out.push((Span::new(start + lead, start + l.len()), cmd));
    }
    out
}

/// A log line: `[tag] message`, the tag a word (a shell test is `[ -f x ]`), or a capitalized
/// level (`Fatal: …`, `INFO[08/27,14:09:01] …`).
fn is_log_line(line: &str) -> bool {
    let tagged = line.strip_prefix('[').is_some_and(|r| {
        r.find("] ").is_some_and(|e| e > 0 && !r[..e].contains(char::is_whitespace) && !r.starts_with('['))
    });
    let level = line.find(|c: char| !c.is_ascii_alphabetic()).is_some_and(|e| {
        e > 1 && line.starts_with(|c: char| c.is_ascii_uppercase()) && (line[e..].starts_with(": ") || line[e..].starts_with('['))
    });
    tagged || level
}
