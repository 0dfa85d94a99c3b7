//! The only module that imports serde_yaml (deprecated upstream), so it can be swapped in one place.
//!
//! Config, rule catalog, vocabularies, table schemas and Markdown front matter all go
//! through here. Errors carry a byte offset into the YAML text so callers can point at it.

use serde::de::DeserializeOwned;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub message: String,
    /// Byte offset of the error in the YAML text, when the parser knows it.
    pub offset: Option<usize>,
}

impl std::fmt::Display for YamlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for YamlError {}

fn convert(err: serde_yaml::Error) -> YamlError {
    let offset = err.location().map(|l| l.index());
    // serde_yaml appends "at line X column Y" to its messages; renderers show the
    // position themselves, so keep only the description.
    let text = err.to_string();
    let message = match text.find(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    };
    YamlError { message, offset }
}

/// Deserializes a typed document (config, catalog, vocabulary).
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    serde_yaml::from_str(text).map_err(convert)
}

/// One front-matter value, flattened: nested mappings become dotted keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub key: String,
    pub value: String,
    /// Byte offset of the line that holds the top-level key, within the YAML text.
    pub offset: usize,
    /// Where that line ends (its first `\r` or `\n`, else the end of the text).
    pub end: usize,
}

/// Parses front matter. It must be a mapping (or empty); scalars are rendered as text.
pub fn front_matter(text: &str) -> Result<Vec<Entry>, YamlError> {
    match simple_front_matter(text) {
        Some(entries) => Ok(entries),
        None => parsed_front_matter(text),
    }
}

/// Front matter through the YAML parser: any YAML, with its errors.
fn parsed_front_matter(text: &str) -> Result<Vec<Entry>, YamlError> {
    let value: serde_yaml::Value = serde_yaml::from_str(text).map_err(convert)?;
    let mapping = match value {
        serde_yaml::Value::Mapping(m) => m,
        serde_yaml::Value::Null => return Ok(Vec::new()),
        other => {
            return Err(YamlError {
                message: format!("front matter is a {}, not a mapping of keys to values", kind(&other)),
                offset: Some(0),
            })
        }
    };
    let mut out = Vec::new();
    for (key, value) in &mapping {
        let key = scalar(key);
        let offset = key_line_offset(text, &key, None);
        flatten(text, &key, value, offset, &mut out);
    }
    Ok(out)
}

/// Front matter as almost every docs site writes it, one `key: value` per line with
/// plain or simply quoted string values, read without the YAML parser. Kept as a
/// measured fast path: with every front matter through the parser, a full check of the
/// 2k corpus took 980 M instructions instead of 601 M (+63%; bench/README.md, "Fast
/// paths"). Anything else (nesting, lists, escapes, comments after a
/// value, values that YAML reads as numbers, booleans or null, anything that may be an
/// error) returns None and goes through the parser, so both paths give the same
/// entries; tests compare them.
fn simple_front_matter(text: &str) -> Option<Vec<Entry>> {
    match simple_lines(text)? {
        (entries, stop) if stop == text.len() => Some(entries),
        _ => None,
    }
}

/// The lines at the start of `text` that `simple_front_matter` takes (`key: value`,
/// blank or a comment), and where the first line it does not take starts (the end of
/// the text when it takes them all); None when one of the lines it took holds a
/// character YAML may read otherwise (see `usual`). Markdown front matter is read
/// through this from its first line on: the line it stops at is the closing `---` of
/// almost every file, which is then found without another search.
///
/// Every file comes this way, so each line is read in one pass: the key by a table of
/// its bytes, then one memchr to the end of the line that stops at what may end or
/// change the value; the characters of all the lines taken are judged at the end in one
/// vectorized pass.
pub fn simple_lines(text: &str) -> Option<(Vec<Entry>, usize)> {
    let b = text.as_bytes();
    // Most front matter has fewer keys than this, and more grows the list.
    let mut out: Vec<Entry> = Vec::with_capacity(16);
    // The keys seen, as bits of a hash: a key whose bit is new is no duplicate, and
    // only the rare others are compared with every earlier key.
    let mut seen = 0u64;
    let mut start = 0;
    let stop = 'lines: loop {
        if start >= b.len() {
            break b.len();
        }
        let line = &b[start..];
        let key_len = line.iter().position(|&c| !KEY_BYTE[usize::from(c)]).unwrap_or(line.len());
        if key_len == 0 {
            // A blank line (spaces only) or a comment; anything else is for the parser.
            let end = memchr::memchr(b'\n', line).map_or(b.len(), |n| start + n + 1);
            let line = &b[start..end];
            let line = line.strip_suffix(b"\n").unwrap_or(line);
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if !(line.first() == Some(&b'#') || line.iter().all(|&c| c == b' ')) {
                break 'lines start;
            }
            start = end;
            continue;
        }
        let i = start + key_len;
        let key = &text[start..i];
        if !(line[0].is_ascii_alphabetic() || line[0] == b'_') || may_be_reserved(line[0], key_len) && reserved(key) {
            break 'lines start;
        }
        // Hashed by its length and three of its bytes, which tells most keys of a
        // front matter apart.
        let hash = (key_len as u32 | u32::from(line[0]) << 8 | u32::from(line[key_len / 2]) << 16)
            ^ u32::from(line[key_len - 1]) << 24;
        let bit = 1u64 << (hash.wrapping_mul(0x9e37_79b9) >> 26);
        if seen & bit != 0 && out.iter().any(|e| e.key == key) {
            break 'lines start;
        }
        seen |= bit;
        // `:`, then the end of the line or a space (a `\r` is taken as the start of a
        // line break here: one elsewhere is found by `usual` at the end).
        if b.get(i) != Some(&b':') || !matches!(b.get(i + 1), None | Some(b' ' | b'\r' | b'\n')) {
            break 'lines start;
        }
        let mut j = i + 1;
        while b.get(j) == Some(&b' ') {
            j += 1;
        }
        let (value, end) = match b.get(j) {
            None | Some(b'\r' | b'\n') => (String::new(), j),
            Some(&q @ (b'"' | b'\'')) => {
                // The next quote (or, in double quotes, escape) must close the value,
                // with only spaces after it: anything else needs the parser.
                let close = match q {
                    b'"' => memchr::memchr3(b'"', b'\\', b'\n', &b[j + 1..]),
                    _ => memchr::memchr2(b'\'', b'\n', &b[j + 1..]),
                };
                let Some(close) = close else { break 'lines start };
                let k = j + 1 + close;
                if b[k] != q {
                    break 'lines start;
                }
                let mut end = k + 1;
                while b.get(end) == Some(&b' ') {
                    end += 1;
                }
                if !matches!(b.get(end), None | Some(b'\r' | b'\n')) {
                    break 'lines start;
                }
                (text[j + 1..k].to_string(), end)
            }
            Some(&c) => {
                if INDICATOR[usize::from(c)] {
                    break 'lines start;
                }
                // `: ` or ` #` inside, or `:` at the end, would change the value; the
                // memchr stops at those marks and at the end of the line.
                let mut end = b.len();
                for k in memchr::memchr3_iter(b':', b'#', b'\n', &b[j..]).map(|k| j + k) {
                    match b[k] {
                        b':' if matches!(b.get(k + 1), None | Some(b' ' | b'\r' | b'\n')) => break 'lines start,
                        b'#' if b[k - 1] == b' ' => break 'lines start,
                        b'\n' => {
                            end = k;
                            break;
                        }
                        _ => {}
                    }
                }
                if b[end - 1] == b'\r' {
                    end -= 1;
                }
                let mut value_end = end;
                while b[value_end - 1] == b' ' {
                    value_end -= 1;
                }
                let v = &text[j..value_end];
                if may_be_reserved(c, v.len()) && reserved(v) || may_be_number(v) {
                    break 'lines start;
                }
                (v.to_string(), end)
            }
        };
        out.push(Entry { key: key.to_string(), value, offset: start, end });
        // The line ends at `end` with `\n`, `\r\n` or a `\r` that ends the text.
        start = match b.get(end) {
            Some(b'\n') => end + 1,
            Some(_) => (end + 2).min(b.len()),
            None => b.len(),
        };
    };
    usual(&b[..stop]).then_some((out, stop))
}

/// Bytes of a key the simple reader takes: ASCII letters, digits, `_`, `.` and `-`.
static KEY_BYTE: [bool; 256] = {
    let mut table = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        table[c] = b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-');
        c += 1;
    }
    table
};

/// First bytes of a value that make it something other than a plain string (a list, a
/// mapping, an alias, a tag, a block scalar, a comment, reserved characters).
static INDICATOR: [bool; 256] = {
    let mut table = [false; 256];
    let marks = b"-?:,[]{}#&*!|>%@`";
    let mut i = 0;
    while i < marks.len() {
        table[marks[i] as usize] = true;
        i += 1;
    }
    table
};

/// Whether the lines of `b` (as `lines_inclusive` splits them) hold only characters YAML
/// reads as they are: no control character (tab included) other than the `\r` of a
/// line break, line or paragraph separator, byte-order mark or noncharacter. Judged
/// from the UTF-8 bytes: C0 and DEL, C2 80..9F (the C1 controls), E2 80 A8/A9, EF BB BF,
/// EF BF BE/BF.
fn usual(b: &[u8]) -> bool {
    // One pass the compiler vectorizes, lane by lane over blocks of a fixed size (the
    // last one padded with spaces, so no byte is left to a loop of one byte at a time):
    // the greatest byte, and the least of `(c ^ b'\n') - 1`, which is below 0x1f just
    // for the controls other than `\n` (xor with 0x0a keeps 0x00..=0x1f among
    // themselves and sends `\n` to 0, which wraps to 0xff). Most front matter is ASCII
    // with `\n` line breaks and needs no other look.
    let (mut least, mut most) = ([u8::MAX; 32], [0u8; 32]);
    let mut fold = |block: &[u8; 32]| {
        for ((l, m), &c) in least.iter_mut().zip(&mut most).zip(block) {
            *l = (*l).min((c ^ b'\n').wrapping_sub(1));
            *m = (*m).max(c);
        }
    };
    let mut blocks = b.chunks_exact(32);
    for block in blocks.by_ref() {
        fold(block.try_into().expect("32 bytes"));
    }
    let mut last = [b' '; 32];
    last[..blocks.remainder().len()].copy_from_slice(blocks.remainder());
    fold(&last);
    // Folded, not `min()`, which the compiler does not vectorize.
    if least.iter().fold(u8::MAX, |a, &l| a.min(l)) < 0x1f {
        // Only a `\r` may be there, before a `\n` or at the end.
        let other = b.iter().fold(false, |other, &c| other | (c < 0x20 && c != b'\n' && c != b'\r'));
        if other || memchr::memchr_iter(b'\r', b).any(|i| !matches!(b.get(i + 1), None | Some(b'\n'))) {
            return false;
        }
    }
    !(most.iter().fold(0, |a, &m| a.max(m)) >= 0x7f && has_unusual_high_byte(b))
}

/// DEL, a C1 control, a line or paragraph separator, a byte-order mark or a noncharacter
/// in UTF-8 text: only DEL or one of three lead bytes can start one, and memchr jumps to
/// them (text in other scripts holds few: `（`, `–` or `’` start with them).
fn has_unusual_high_byte(b: &[u8]) -> bool {
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    memchr::memchr(0x7f, b).is_some()
        || memchr::memchr3_iter(0xc2, 0xe2, 0xef, b).any(|i| match b[i] {
            0xc2 => (0x80..=0x9f).contains(&at(i + 1)),
            0xe2 => at(i + 1) == 0x80 && matches!(at(i + 2), 0xa8 | 0xa9),
            _ => matches!((at(i + 1), at(i + 2)), (0xbb, 0xbf) | (0xbf, 0xbe) | (0xbf, 0xbf)),
        })
}

/// Whether YAML may read a plain scalar as a number rather than as text: what Rust
/// parses as a float (YAML's floats are among those), anything after a `.`, or `0x`,
/// `0o` or `0b` followed by digits of that base. A date (`08/23/2019`) or a hash
/// (`2ec4b3d0…`, `0b5f8d83…`) is none of them.
#[inline]
fn may_be_number(v: &str) -> bool {
    // Most values start with a letter that begins none of them.
    matches!(v.as_bytes().first(), Some(b'0'..=b'9' | b'+' | b'-' | b'.' | b'i' | b'I' | b'n' | b'N')) && number_like(v)
}

/// `may_be_number` for a value that starts as a number may.
fn number_like(v: &str) -> bool {
    let unsigned = v.trim_start_matches('+');
    let u = unsigned.as_bytes();
    // Rust's floats are a sign, digits, a point and an exponent, or inf, infinity or
    // nan in any case: other text is not handed to the float parser at all.
    let float_like = u.iter().all(|&c| matches!(c, b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-'))
        || u.len() <= 9 && matches!(u.first(), Some(b'i' | b'I' | b'n' | b'N' | b'-'));
    if v.starts_with('.') || float_like && unsigned.parse::<f64>().is_ok() {
        return true;
    }
    match u {
        [b'0', base @ (b'x' | b'o' | b'b'), digits @ ..] => {
            !digits.is_empty()
                && digits.iter().all(|c| match base {
                    b'x' => c.is_ascii_hexdigit(),
                    b'o' => (b'0'..=b'7').contains(c),
                    _ => matches!(c, b'0' | b'1'),
                })
        }
        _ => false,
    }
}

/// Whether a word that starts with `first` and has `len` bytes may be `reserved`: every
/// key and plain value is asked, and most are told by this.
#[inline]
fn may_be_reserved(first: u8, len: usize) -> bool {
    len <= 5 && matches!(first.to_ascii_lowercase(), b'~' | b'n' | b't' | b'f' | b'y' | b'o')
}

/// Words YAML may read as a boolean or null rather than as text (in any case; YAML
/// itself takes fewer, but these are left to the parser).
fn reserved(word: &str) -> bool {
    let b = word.as_bytes();
    if b.len() > 5 {
        return false;
    }
    let mut lower = [0u8; 5];
    for (l, c) in lower.iter_mut().zip(b) {
        *l = c.to_ascii_lowercase();
    }
    matches!(&lower[..b.len()], b"~" | b"null" | b"true" | b"false" | b"yes" | b"no" | b"on" | b"off" | b"y" | b"n")
}

fn flatten(text: &str, prefix: &str, value: &serde_yaml::Value, offset: usize, out: &mut Vec<Entry>) {
    match value {
        serde_yaml::Value::Mapping(m) => {
            for (k, v) in m {
                let key = scalar(k);
                // A nested key is on an indented line after its parent's.
                let at = key_line_offset(text, &key, Some(offset));
                flatten(text, &format!("{prefix}.{key}"), v, at, out);
            }
        }
        serde_yaml::Value::Tagged(t) => flatten(text, prefix, &t.value, offset, out),
        other => {
            let end = memchr::memchr2(b'\r', b'\n', &text.as_bytes()[offset..]).map_or(text.len(), |i| offset + i);
            out.push(Entry { key: prefix.to_string(), value: scalar(other), offset, end });
        }
    }
}

fn scalar(value: &serde_yaml::Value) -> String {
    match value {
        serde_yaml::Value::Null => String::new(),
        serde_yaml::Value::Bool(b) => b.to_string(),
        serde_yaml::Value::Number(n) => n.to_string(),
        serde_yaml::Value::String(s) => s.clone(),
        serde_yaml::Value::Sequence(items) => items.iter().map(scalar).collect::<Vec<_>>().join(", "),
        serde_yaml::Value::Mapping(_) => String::from("{…}"),
        serde_yaml::Value::Tagged(t) => scalar(&t.value),
    }
}

fn kind(value: &serde_yaml::Value) -> &'static str {
    match value {
        serde_yaml::Value::Null => "null",
        serde_yaml::Value::Bool(_) => "boolean",
        serde_yaml::Value::Number(_) => "number",
        serde_yaml::Value::String(_) => "string",
        serde_yaml::Value::Sequence(_) => "list",
        serde_yaml::Value::Mapping(_) => "mapping",
        serde_yaml::Value::Tagged(_) => "tagged value",
    }
}

/// Finds the line that holds `key:`. A top-level key (`parent` is `None`) starts its
/// line; a nested key is indented on a line after its parent's. The YAML parser does not
/// report positions of values, and a line is precise enough to point a reader at.
fn key_line_offset(text: &str, key: &str, parent: Option<usize>) -> usize {
    let start = match parent {
        Some(p) => text[p.min(text.len())..].find('\n').map_or(text.len(), |i| p + i + 1),
        None => 0,
    };
    let mut offset = start;
    for line in crate::text::lines_inclusive(&text[start..]) {
        let candidate = if parent.is_some() { line.trim_start() } else { line };
        let quoted =
            |q: char| candidate.strip_prefix(q).and_then(|l| l.strip_prefix(key)).and_then(|l| l.strip_prefix(q));
        let rest = candidate.strip_prefix(key).or_else(|| quoted('"')).or_else(|| quoted('\''));
        if rest.is_some_and(|r| r.trim_start().starts_with(':')) {
            return offset;
        }
        offset += line.len();
    }
    parent.unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flattens_nested_front_matter() {
        let entries = front_matter("title: x\nl10n:\n  sourceCommit: abc\n").unwrap();
        assert_eq!(entries[1].key, "l10n.sourceCommit");
        assert_eq!(entries[1].value, "abc");
        assert_eq!(entries[1].offset, 15, "the nested key's own line");
    }

    /// What `usual` rules out, told character by character.
    fn is_unusual(c: char) -> bool {
        c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}')
    }

    #[test]
    fn unusual_characters_are_found_in_the_bytes() {
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let expected = is_unusual(c) && c != '\n';
            let text = format!("a{c}b");
            assert_eq!(!usual(text.as_bytes()), expected, "U+{:04X}", c as u32);
        }
    }

    /// `usual` over the whole text answers as a look at each line (its line break taken
    /// off) character by character does.
    #[test]
    fn usual_agrees_with_a_look_at_each_line() {
        use proptest::prelude::*;
        let by_lines = |text: &str| {
            crate::text::lines_inclusive(text).all(|raw| {
                let line = raw.strip_suffix('\n').unwrap_or(raw);
                let line = line.strip_suffix('\r').unwrap_or(line);
                !line.chars().any(is_unusual)
            })
        };
        let piece = prop::sample::select(vec![
            "a", " ", "\n", "\r", "\r\n", "\t", "é", "中", "（", "–", "\u{85}", "\u{a0}", "\u{2028}", "\u{feff}",
            "\u{fffe}", "\u{7f}", "\u{ff}", "\u{2000}",
        ]);
        let mut runner = proptest::test_runner::TestRunner::default();
        runner
            .run(&prop::collection::vec(piece, 0..80), |pieces| {
                let text = pieces.concat();
                prop_assert_eq!(usual(text.as_bytes()), by_lines(&text), "{:?}", text);
                Ok(())
            })
            .expect("the whole-text look agrees with the line by line one");
    }

    /// The line reader takes what it can and agrees with the YAML parser on it.
    #[test]
    fn simple_front_matter_agrees_with_the_yaml_parser() {
        let simple = [
            "title: Azure Machine Learning\nms.date: 08/23/2019\nms.locfileid: \"76122599\"\n",
            "title: 'Single: quoted'\n",
            "title: \"Quoted: with a colon\"\r\nauthor: sdgilley\r\n",
            "ms.custom: devx-track-python, sdkv1\n\n# a comment\ntitle: C# and F#\n",
            "title: Beräkningsmål för distribution (förhandsversion)\nms.contentlocale: sv-SE\n",
            "description: 使用できるコンピューティング ターゲット\nempty:\n",
            "title: 1.5 Release notes\nversion: 2019-08-23T10:00\n",
            "ms.openlocfilehash: 2ec4b3d0bad7dc0071400c2a2264399e4fe34897\nms.date: 08/23/2019\n",
            "ms.sourcegitcommit: 0b5f8d833d869b52fd58d290b77ae89acb37188c\nms.openlocfilehash: 0bf82524ee91\n",
            "a: 0x\nb: 0xg1\nc: 0o8\nd: 0b2\ne: 0x1F_\nf: 1_000\n",
            "time: 12:30\nurl: https://x.y/z#a\ntag: a:b\n",
            "title:   spaced   \r\n  \r\n\r\nnext: 'x'  \r\nlast: \"\"",
            "key:\r\nother: x\r",
            "_private: x\nms.a-b_c.d: z\n",
            "",
        ];
        let unsure = [
            "title: 'Don''t'\n",
            "count: 12\n",
            "ratio: 1.5\n",
            "big: 1e5\n",
            "hex: 0x1F\n",
            "oct: 0o17\n",
            "bin: +0b101\n",
            "zero: 0123\n",
            "dot: .x\n",
            "inf: -inf\n",
            "flag: true\nother: x\n",
            "n: ~\n",
            "title: Azure: broken\n",
            "title: \"escaped \\\" quote\"\n",
            "l10n:\n  sourceCommit: abc\n",
            "tags: [a, b]\n",
            "a: x\na: y\n",
            "title: x # comment\n",
            "title: *alias\n",
            "- item\n",
            "title: x\n  continued\n",
            "key:value\n",
            "title: \"unclosed\n",
            "title: x\ttab\n",
            "title: x\rcarriage\n",
            "title: x\r\r\n",
            "  # indented comment\n",
        ];
        for text in simple {
            let fast = simple_front_matter(text).unwrap_or_else(|| panic!("not read without the parser: {text:?}"));
            assert_eq!(Ok(fast), parsed_front_matter(text), "{text:?}");
        }
        for text in unsure {
            assert_eq!(simple_front_matter(text), None, "{text:?}");
        }
    }

    /// Front matter put together line by line from keys, separators, values and line
    /// breaks, right, wrong and odd: whatever the line reader takes, the YAML parser
    /// reads the same, and the reader takes most of the plain ones.
    #[test]
    fn simple_front_matter_agrees_with_the_yaml_parser_on_random_lines() {
        use proptest::prelude::*;
        // Each part is drawn from the usual choices three times in four, so that most
        // texts have several readable lines before an odd one.
        fn part(usual: &[&'static str], odd: &[&'static str]) -> BoxedStrategy<&'static str> {
            prop_oneof![3 => prop::sample::select(usual.to_vec()), 1 => prop::sample::select(odd.to_vec())].boxed()
        }
        let keys = part(&["title", "ms.date", "a", "_x", "b-c"], &["1a", "true", "Null", "y", "#", " ", "", "-", "on"]);
        let separators = part(&[": "], &[":", ":  ", " : ", ":x", ": \"", ": '"]);
        let values = part(
            &["Azure ML", "", "x", "08/23/2019", "\"76122599\"", "'a: b'", "0b5f8d", "a:b", "a#b", "é", "中文（预览）"],
            &[
                "\"C# \\ x\"",
                "'it''s'",
                "12",
                "1.5",
                "1e5",
                "0x1F",
                "0b101",
                "0o17",
                "0o9",
                "+12",
                ".5",
                "inf",
                "nan",
                "NaN",
                "infinity",
                "~",
                "null",
                "yes",
                "No",
                "a: b",
                "a #b",
                "x:",
                "[a]",
                "{a: 1}",
                "*x",
                "&x y",
                "!x",
                "|",
                ">",
                "%x",
                "@x",
                "`x`",
                "-x",
                "? x",
                "\"x\" y",
                "'x' ",
                "\"x",
                "x\"",
                "\u{2028}",
                "\u{a0}x",
                "x ",
            ],
        );
        let ends = part(&["\n", "\r\n"], &["", " \n", "\r", "\t\n", "\n\n", "\n# c\n", "\n  nested: x\n"]);
        let line = (keys, separators, values, ends);
        let taken = std::cell::Cell::new(0);
        let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(4096));
        runner
            .run(&prop::collection::vec(line, 0..5), |lines| {
                let text: String = lines.iter().map(|(k, s, v, e)| format!("{k}{s}{v}{e}")).collect();
                if let Some(fast) = simple_front_matter(&text) {
                    taken.set(taken.get() + 1);
                    prop_assert_eq!(Ok(fast), parsed_front_matter(&text), "{:?}", text);
                }
                Ok(())
            })
            .expect("the line reader agrees with the parser");
        assert!(taken.get() > 200, "the line reader took only {} texts", taken.get());
    }

    #[test]
    fn rejects_a_scalar_front_matter() {
        let err = front_matter("just text").unwrap_err();
        assert!(err.message.contains("not a mapping"), "{}", err.message);
    }

    #[test]
    fn alias_bombs_are_rejected() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for i in 0..9u8 {
            let prev = (b'a' + i) as char;
            let next = (b'b' + i) as char;
            text.push_str(&format!(
                "{next}: &{next} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
        }
        assert!(front_matter(&text).is_err());
    }
}
