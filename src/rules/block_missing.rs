//! `block-missing`: a skeleton block of the source (paragraph, list item, command, quote line,
//! admonition, directive, include, HTML block) has no counterpart in the translation.
//!
//! Headings, tables, code blocks, `> [!NOTE]` alerts and `[!INCLUDE]`s have rules of their
//! own (heading-mismatch, table-missing, code-mismatch, missing-note, include-mismatch);
//! directives inside a line of prose belong to that prose, which translators reword.

use crate::align::Pair;
use crate::rules::RuleId;
use crate::finding::Finding;
use crate::rules::Cx;

pub fn check(cx: &Cx, acc: &mut Vec<Finding>) {
    if super::untranslated_page::stub(cx).is_some() {
        return;
    }
    let al = cx.blocks();
    let unpaired: Vec<usize> =
        al.pairs.iter().filter_map(|p| if let Pair::Missing(k) = *p { Some(k) } else { None }).collect();
    let extra: Vec<String> = al
        .pairs
        .iter()
        .filter_map(|p| if let Pair::Extra(j) = *p { Some(flat(&cx.tr_text[al.tr.blocks[j].span.start..al.tr.blocks[j].span.end])) } else { None })
        .collect();
    let extra_lines: Vec<String> = al
        .pairs
        .iter()
        .filter_map(|p| if let Pair::Extra(j) = *p { Some(&cx.tr_text[al.tr.blocks[j].span.start..al.tr.blocks[j].span.end]) } else { None })
        .flat_map(|body| body.lines().map(flat))
        .collect();
    for p in &al.pairs {
        let Pair::Missing(i) = *p else { continue };
        let b = &al.src.blocks[i];
        if !b.is_skeleton_finding(cx.src_text) || al.src.in_gfm_alert(i, cx.src_text) || al.in_unpaired(al.src, i, true) {
            continue;
        }
        // A command whose description went with it is one example, reported once.
        if i > 0 && al.src.is_example(i - 1) && unpaired.contains(&(i - 1)) {
            continue;
        }
        let body = &cx.src_text[b.span.start..b.span.end];
        if same_text_elsewhere(&flat(body), &extra)
            || command_of(al.src, i, cx.src_text, &unpaired)
                .is_some_and(|c| command_elsewhere(al, c, false, (cx.src_text, cx.tr_text), true))
            || same_line_elsewhere(&flat(body), &extra_lines)
            || moved_into_one_block(al, i, cx.src_text, cx.tr_text)
            || b.kind == crate::skeleton::Kind::ListItem && escaped_list_here(al, i, cx.tr_text)
        {
            continue;
        }
        let what = al.src.describe(i, cx.src_text);
        acc.push(
            Finding::new(
                RuleId::BlockMissing,
                al.place_of_missing(i, cx.tr_text),
                format!("the source's {what} is missing here: '{}'", al.src.quote(i, cx.src_text)),
            )
            .with_source(b.span)
            .with_key(format!("block:{}", what)),
        );
    }
}

/// Whether the source's unpaired block `i` sits, moved or in another kind of block, in ONE
/// block of the translation: its neutral tokens (code spans, link targets) are that block's
/// own (as tokens of prose, or in the text of code and HTML), and that block's counterpart
/// in the source, if it has one, does not explain them. A stale translation of a
/// restructured page keeps a paragraph as a list item elsewhere, or a search example in a
/// code block's comments; a block that is really gone has its tokens nowhere, or spread
/// over blocks whose counterparts carry them. One short token (`--version`, `rewrites`)
/// recurs all over a page and proves nothing; two, or one long one (a link target), do.
fn moved_into_one_block(al: &crate::skeleton::Alignment, i: usize, src_text: &str, tr_text: &str) -> bool {
    let mut partner = vec![usize::MAX; al.tr.blocks.len()];
    for (a, j) in al.paired() {
        partner[j] = a;
    }
    in_one_block((al.src, src_text), i, (&al.tr, tr_text), &partner)
}

/// `moved_into_one_block` from either side: whether block `i` of `from` is, by its neutral
/// tokens, in one block of `to` that its own counterpart (`partner`, indexed by `to`'s
/// blocks) does not explain. block-extra asks it of the translation's unpaired blocks.
pub(crate) fn in_one_block(
    (from, from_text): (&crate::skeleton::Skeleton, &str),
    i: usize,
    (to, to_text): (&crate::skeleton::Skeleton, &str),
    partner: &[usize],
) -> bool {
    use crate::skeleton::Kind;
    let b = &from.blocks[i];
    let html = b.kind == Kind::Html;
    if !(b.kind.is_prose() || b.kind == Kind::Command || html) {
        return false;
    }
    let mut tokens = if html {
        html_tokens(&from_text[b.span.start..b.span.end])
    } else {
        neutral_tokens(&from_text[b.head.start..b.head.end])
    };
    tokens.sort_unstable();
    tokens.dedup();
    if tokens.is_empty() {
        return false;
    }
    let telling = tokens.len() >= 2 || tokens[0].chars().count() >= 16;
    to.blocks.iter().enumerate().any(|(j, tb)| {
        let body = &to_text[tb.span.start..tb.span.end];
        let holds = if !html && (tb.kind.is_prose() || tb.kind == Kind::Command) {
            let mut own = neutral_tokens(body);
            own.sort_unstable();
            own.dedup();
            // One short token is enough only in an unpaired block that has exactly it
            // (`**References in `packages.config`:**` moved further down).
            (telling || partner[j] == usize::MAX && own == tokens) && tokens.iter().all(|t| own.contains(t))
        } else {
            telling && tokens.iter().all(|t| body.contains(t.as_str()))
        };
        holds
            && partner.get(j).is_none_or(|&k| {
                k == usize::MAX || {
                    let theirs = &from_text[from.blocks[k].span.start..from.blocks[k].span.end];
                    !tokens.iter().all(|t| theirs.contains(t.as_str()))
                }
            })
    })
}

/// What moves with a prose block whatever the language: code spans and link targets long
/// enough to be told from text, and version-like numbers (`1.00`, `2.0.0`).
pub(crate) fn neutral_tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    crate::skeleton::prose_tokens(text, |t| {
        let t = t.trim();
        if t.chars().count() >= 4 {
            out.push(t.to_string());
        }
    });
    for w in text.split(|c: char| !(c.is_ascii_digit() || c == '.')) {
        let w = w.trim_matches('.');
        if w.contains('.') && w.len() >= 3 && w.starts_with(|c: char| c.is_ascii_digit()) {
            out.push(w.to_string());
        }
    }
    out
}

/// What an HTML block is made of, language-neutrally: each line's link target
/// (`href="…"`, `src="…"`), else the line itself (`<Since v="3.8.0" pkg="@astrojs/vercel" />`).
fn html_tokens(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in body.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let before = out.len();
        for attr in ["href=\"", "src=\""] {
            let mut rest = line;
            while let Some(k) = rest.find(attr) {
                rest = &rest[k + attr.len()..];
                let end = rest.find('"').unwrap_or(rest.len());
                out.push(rest[..end].to_string());
                rest = &rest[end..];
            }
        }
        if out.len() == before {
            out.push(line.to_string());
        }
    }
    out
}

/// Whether a short block (a quote line such as `> 'PackageB' 4.0.0`) is a whole line of one
/// of the translation's unpaired blocks (kept as `<pre>` there): equal lines, unlike a
/// part of a text, need no length to mean something.
pub(crate) fn same_line_elsewhere(text: &str, lines: &[String]) -> bool {
    text.chars().count() >= 8 && lines.iter().any(|l| *l == text)
}

/// Whether the translation wrote this list as text where the item belongs: a paragraph
/// of `\- item` lines (escaped markers, as some translation tools write them), which
/// renders the items as lines of one paragraph.
fn escaped_list_here(al: &crate::skeleton::Alignment, i: usize, tr_text: &str) -> bool {
    let at = al.place_of_missing(i, tr_text);
    al.tr.blocks.iter().any(|b| {
        b.kind == crate::skeleton::Kind::Paragraph
            && b.span.start <= at.start
            && at.start < b.span.end
            && tr_text[b.span.start..b.span.end].lines().any(|l| l.trim_start().strip_prefix('\\').is_some_and(|r| r.starts_with(['-', '*', '+'])))
    })
}

/// A block's words without Markdown's line prefixes (`>`, list markers) or HTML tags, with
/// whitespace collapsed, to see the same text in another form (a `> quote` that a
/// translation keeps as `<pre>…</pre>`).
pub(crate) fn flat(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    for line in body.lines() {
        let line = line.trim_start().trim_start_matches(['>', ' ']).trim_start_matches(['-', '*', '+']);
        for word in without_tags(line).split_whitespace().flat_map(|w| w.split("&nbsp;")).filter(|w| !w.is_empty()) {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
        }
    }
    out
}

/// The command of block `i` of `side`, its backticks off: a command's own, or an example's
/// (its description) when the command went with it (`unpaired` holds the side's unpaired
/// blocks); a description alone has none.
pub(crate) fn command_of<'t>(
    side: &crate::skeleton::Skeleton,
    i: usize,
    text: &'t str,
    unpaired: &[usize],
) -> Option<&'t str> {
    let k = if side.is_example(i) && unpaired.contains(&(i + 1)) { i + 1 } else { i };
    let b = side.blocks.get(k).filter(|b| b.kind == crate::skeleton::Kind::Command)?;
    Some(text[b.head.start..b.head.end].trim().trim_matches('`'))
}

/// Whether two commands are one command in two placeholder spellings, as a stale tldr page
/// has them. `{{[-c|--check]}}` or `{{enable|disable}}` is any of its choices, a placeholder
/// is the same as one spelled alike, and a word with a placeholder inside
/// (`{{word}}="{{command}}"`) is the same as one spelled alike around its placeholders.
/// `loose`, for the other side's unpaired commands, also takes a placeholder for any other
/// (translated: `{{pfad/zu/datei}}`) or any one word (`git config alias.unstage` against
/// `git config {{alias.unstage}}`); against every command of the page that would take
/// `mkdir -p {{path/to/{a,b}}}` for `mkdir -p {{path/to/directory}}`. The number of words
/// must agree, and the command's name: a placeholder there is no literal.
pub(crate) fn same_command(a: &str, b: &str, spelling: Spelling) -> bool {
    let (translated, loose) = (spelling != Spelling::Exact, spelling == Spelling::Loose);
    let (a, b) = (command_words(a), command_words(b));
    a.len() == b.len()
        && a.len() > 1
        && !matches!((&a[0], &b[0]), (Word::Any(_), Word::Plain(_)) | (Word::Plain(_), Word::Any(_)))
        && a.iter().zip(&b).all(|(x, y)| match (x, y) {
            (Word::Any(x), Word::Any(y)) => translated || x == y,
            (Word::Any(_), Word::Plain(_)) | (Word::Plain(_), Word::Any(_)) => loose,
            (Word::Plain(x), Word::Plain(y)) => x == y,
            (Word::Plain(p), Word::OneOf(set)) | (Word::OneOf(set), Word::Plain(p)) => set.contains(p),
            (Word::OneOf(x), Word::OneOf(y)) => x.iter().any(|w| y.contains(w)),
            (Word::Around(x), Word::Around(y)) => x == y,
            _ => false,
        })
}

/// How far two spellings of a command may differ (`same_command`).
#[derive(PartialEq, Eq, Clone, Copy, Debug)]
pub(crate) enum Spelling {
    /// Placeholders spelled alike.
    Exact,
    /// A placeholder for another (`{{pfad/zu/datei}}` for `{{path/to/file}}`).
    Translated,
    /// Also a placeholder for a literal word (`alias.unstage` for `{{alias.unstage}}`).
    Loose,
}

/// Whether `cmd` is, in another spelling, a command of `other` (the other side of the
/// alignment): an unpaired one, loosely, or any other with its placeholders translated.
/// With `once`, that other must not be taken by its own counterpart already: the
/// translation's `mkdir -p {{pfad}}` stands for one source example, not for every `mkdir
/// -p {{…}}` the source has, so a missing one is still missing. Without it (block-extra),
/// any command of that shape in the source is doubt enough that an extra one is new.
pub(crate) fn command_elsewhere(
    al: &crate::skeleton::Alignment,
    cmd: &str,
    other_is_source: bool,
    (src_text, tr_text): (&str, &str),
    once: bool,
) -> bool {
    let (other, other_text, mine, mine_text) =
        if other_is_source { (al.src, src_text, &al.tr, tr_text) } else { (&al.tr, tr_text, al.src, src_text) };
    let mut counterpart = vec![usize::MAX; other.blocks.len()];
    for (i, j) in al.paired() {
        let (o, m) = if other_is_source { (i, j) } else { (j, i) };
        counterpart[o] = m;
    }
    let unpaired = |k: usize| counterpart[k] == usize::MAX;
    (0..other.blocks.len()).any(|k| {
        let Some(theirs) = command_of(other, k, other_text, &[]) else { return false };
        if unpaired(k) {
            return same_command(cmd, theirs, Spelling::Loose);
        }
        let taken = once
            && command_of(mine, counterpart[k], mine_text, &[])
            .is_some_and(|own| same_command(own, theirs, Spelling::Translated));
        !taken && same_command(cmd, theirs, Spelling::Translated)
    })
}

#[derive(PartialEq, Debug)]
enum Word<'t> {
    Plain(&'t str),
    OneOf(Vec<&'t str>),
    /// A placeholder, by its text.
    Any(&'t str),
    /// A word with placeholders inside, as the literal parts around them.
    Around(Vec<&'t str>),
}

/// A command's words; a `{{…}}` with spaces inside is one word.
fn command_words(cmd: &str) -> Vec<Word<'_>> {
    let mut out = Vec::new();
    let mut rest = cmd.trim();
    while !rest.is_empty() {
        let mut end = 0;
        while end < rest.len() {
            let r = &rest[end..];
            if r.starts_with("{{") {
                end += r.find("}}").map_or(r.len(), |e| e + 2);
            } else if r.starts_with(char::is_whitespace) {
                break;
            } else {
                end += r.chars().next().map_or(1, char::len_utf8);
            }
        }
        // A quoted placeholder (`"{{search_pattern}}"`) is one as much as a bare one.
        let w = &rest[..end];
        let w = ['"', '\''].iter().find_map(|q| w.strip_prefix(*q)?.strip_suffix(*q)).filter(|x| x.starts_with("{{")).unwrap_or(w);
        let whole = w.strip_prefix("{{").and_then(|x| x.strip_suffix("}}")).filter(|x| !x.contains("{{"));
        out.push(match whole {
            Some(inner) => {
                let inner = inner.strip_prefix('[').and_then(|x| x.strip_suffix(']')).unwrap_or(inner);
                if inner.contains('|') {
                    Word::OneOf(inner.split('|').collect())
                } else {
                    Word::Any(inner)
                }
            }
            None if w.contains("{{") => {
                let mut parts = Vec::new();
                let mut r = w;
                while let Some(open) = r.find("{{") {
                    parts.push(&r[..open]);
                    r = r[open..].find("}}").map_or("", |e| &r[open + e + 2..]);
                }
                parts.push(r);
                Word::Around(parts)
            }
            None => Word::Plain(w),
        });
        rest = rest[end..].trim_start();
    }
    out
}

/// Whether this text (long enough to mean something) is the whole or part of one of the
/// other side's unpaired blocks: the block is there, in another form.
pub(crate) fn same_text_elsewhere(text: &str, others: &[String]) -> bool {
    text.chars().count() >= 20 && others.iter().any(|o| o.contains(text))
}

fn without_tags(line: &str) -> std::borrow::Cow<'_, str> {
    if !line.contains('<') {
        return line.into();
    }
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        match rest[i..].find('>') {
            Some(e) if rest[i + 1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '/') => {
                out.push(' ');
                rest = &rest[i + e + 1..];
            }
            _ => {
                out.push('<');
                rest = &rest[i + 1..];
            }
        }
    }
    out.push_str(rest);
    out.into()
}

/// Where a source block of this kind starting at `at` (a code block, an alert) belongs in
/// the translation when it is missing there: after the counterpart of the block before it
/// in the page's one alignment. `None` when the skeleton has no such block.
pub(crate) fn place_of(cx: &Cx, kind: crate::skeleton::Kind, at: usize) -> Option<crate::finding::Span> {
    let al = cx.blocks();
    let k = al.src.blocks.iter().position(|b| b.kind == kind && b.span.start <= at && at < b.span.end.max(b.span.start + 1))?;
    Some(al.place_of_missing(k, cx.tr_text))
}

#[cfg(test)]
mod tests {
    use super::{same_command, Spelling};

    #[test]
    fn commands_in_two_placeholder_spellings_are_one() {
        let same = |a, b, s| same_command(a, b, s);
        // A choice of options is any of them; a quoted placeholder is a placeholder.
        assert!(same("md5sum -c {{path/to/file.md5}}", "md5sum {{[-c|--check]}} {{path/to/file.md5}}", Spelling::Exact));
        assert!(same("sudo ufw disable", "sudo ufw {{enable|disable}}", Spelling::Exact));
        assert!(same(r#"grep -E "{{pattern}}" {{file}}"#, "grep -E {{pattern}} {{file}}", Spelling::Exact));
        // A translated placeholder, and a literal for a placeholder, only as far as asked.
        assert!(!same("deno run {{pfad/zu/datei.ts}}", "deno run {{path/to/file.ts}}", Spelling::Exact));
        assert!(same("deno run {{pfad/zu/datei.ts}}", "deno run {{path/to/file.ts}}", Spelling::Translated));
        assert!(!same("git config alias.unstage", "git config {{alias.unstage}}", Spelling::Translated));
        assert!(same("git config alias.unstage", "git config {{alias.unstage}}", Spelling::Loose));
        // Other options, another number of words, a placeholder inside a word, or a
        // placeholder for the command's name are other commands.
        assert!(!same("md5sum -b {{file}}", "md5sum {{[-c|--check]}} {{file}}", Spelling::Loose));
        assert!(!same("cat > {{file}}", "cat - > {{file}}", Spelling::Loose));
        assert!(!same(r#"alias {{word}}="{{command}}""#, "alias {{word}}", Spelling::Loose));
        assert!(!same("{{command}} | sed -n", "cat | sed -n", Spelling::Loose));
    }
}
