//! The only module that imports serde_yaml (deprecated upstream), so it can be swapped in one place.
//!
//! Config, rule catalog, vocabularies and Markdown front matter all go through these two
//! functions. Errors carry a byte offset into the YAML text so callers can point at it.

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
/// plain or simply quoted string values, read without the YAML parser, which would take
/// a fifth of a whole run. Anything else (nesting, lists, escapes, comments after a
/// value, values that YAML reads as numbers, booleans or null, anything that may be an
/// error) returns None and goes through the parser, so both paths give the same
/// entries; a test compares them.
fn simple_front_matter(text: &str) -> Option<Vec<Entry>> {
    let mut out: Vec<Entry> = Vec::new();
    let mut offset = 0;
    for raw in crate::text::lines_inclusive(text) {
        let start = offset;
        offset += raw.len();
        let line = raw.strip_suffix('\n').unwrap_or(raw);
        let line = line.strip_suffix('\r').unwrap_or(line);
        if has_unusual_char(line) {
            return None;
        }
        if line.trim_start_matches(' ').is_empty() || line.starts_with('#') {
            continue;
        }
        // Read as bytes: a key is ASCII, and any other character ends it at its first byte.
        let key_len = line
            .bytes()
            .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-')))
            .unwrap_or(line.len());
        let (key, rest) = line.split_at(key_len);
        let first = key.chars().next()?;
        if !(first.is_ascii_alphabetic() || first == '_') || reserved(key) || out.iter().any(|e| e.key == key) {
            return None;
        }
        let rest = rest.strip_prefix(':')?;
        if !(rest.is_empty() || rest.starts_with(' ')) {
            return None;
        }
        let value = simple_value(rest.trim_matches(' '))?;
        out.push(Entry { key: key.to_string(), value, offset: start });
    }
    Some(out)
}

/// Control characters (tab included), line and paragraph separators, a byte-order mark
/// or a noncharacter: YAML may reject them or read them otherwise. Judged from the UTF-8
/// bytes: C0 and DEL, C2 80..9F (the C1 controls), E2 80 A8/A9, EF BB BF, EF BF BE/BF.
fn has_unusual_char(line: &str) -> bool {
    let b = line.as_bytes();
    // Most front matter is printable ASCII, told in one pass the compiler vectorizes
    // (no early exit); only other lines are looked at byte by byte.
    if b.iter().fold(false, |odd, &c| odd | !(0x20..0x7f).contains(&c)) {
        // Text in other scripts: only a control byte or one of three lead bytes can start
        // an unusual character, which another vectorized pass rules out for most lines.
        return b
            .iter()
            .fold(false, |odd, &c| odd | (c < 0x20) | (c == 0x7f) | (c == 0xc2) | (c == 0xe2) | (c == 0xef))
            && has_unusual_byte(b);
    }
    false
}

/// `has_unusual_char`, byte by byte.
fn has_unusual_byte(b: &[u8]) -> bool {
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    (0..b.len()).any(|i| match b[i] {
        0x00..=0x1f | 0x7f => true,
        0xc2 => (0x80..=0x9f).contains(&at(i + 1)),
        0xe2 => at(i + 1) == 0x80 && matches!(at(i + 2), 0xa8 | 0xa9),
        0xef => matches!((at(i + 1), at(i + 2)), (0xbb, 0xbf) | (0xbf, 0xbe) | (0xbf, 0xbf)),
        _ => false,
    })
}

/// A scalar that YAML reads as this very string, or None when unsure.
fn simple_value(v: &str) -> Option<String> {
    let quoted = |q: char| {
        let inner = v.strip_prefix(q)?.strip_suffix(q)?;
        // A quote inside, or an escape in double quotes, needs the parser.
        let needs_parser = inner.contains(q) || (q == '"' && inner.contains('\\'));
        (!needs_parser).then(|| inner.to_string())
    };
    match v.chars().next() {
        None => Some(String::new()),
        Some('"') => quoted('"'),
        Some('\'') => quoted('\''),
        Some('-' | '?' | ':' | ',' | '[' | ']' | '{' | '}' | '#' | '&' | '*' | '!' | '|' | '>' | '%' | '@' | '`') => {
            None
        }
        Some(c) => {
            // `: ` or ` #`, found from a memchr2 for either mark: a substring search sets
            // up a searcher per call, and every value of every file's front matter is asked.
            let b = v.as_bytes();
            let comment_or_mapping = memchr::memchr2_iter(b':', b'#', b).any(|i| match b[i] {
                b':' => b.get(i + 1) == Some(&b' '),
                _ => i > 0 && b[i - 1] == b' ',
            });
            if comment_or_mapping || v.ends_with(':') || reserved(v) {
                return None;
            }
            // YAML reads a number where Rust reads a float, or after 0x, 0o or 0b;
            // a date (`08/23/2019`) or a hash (`2ec4b3d0…`) is neither.
            let unsigned = v.trim_start_matches('+');
            // Only a digit, a sign, a point or the start of `inf`/`nan` can begin what
            // Rust parses as a float; other text is not parsed at all.
            let may_be_float = unsigned
                .bytes()
                .next()
                .is_some_and(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'i' | b'I' | b'n' | b'N'));
            if c == '.'
                || (may_be_float && unsigned.parse::<f64>().is_ok())
                || ["0x", "0o", "0b"].iter().any(|p| unsigned.starts_with(p))
            {
                return None;
            }
            Some(v.to_string())
        }
    }
}

/// Words YAML may read as a boolean or null rather than as text.
fn reserved(word: &str) -> bool {
    // Every key and plain value is asked; the longest reserved word has five letters.
    word.len() <= 5
        && ["~", "null", "true", "false", "yes", "no", "on", "off", "y", "n"]
            .iter()
            .any(|r| r.eq_ignore_ascii_case(word))
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
        other => out.push(Entry { key: prefix.to_string(), value: scalar(other), offset }),
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

    #[test]
    fn unusual_characters_are_found_in_the_bytes() {
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let expected =
                c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}');
            assert_eq!(has_unusual_char(&format!("a{c}b")), expected, "U+{:04X}", c as u32);
        }
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
            "",
        ];
        let unsure = [
            "title: 'Don''t'\n",
            "count: 12\n",
            "ratio: 1.5\n",
            "big: 1e5\n",
            "hex: 0x1F\n",
            "zero: 0123\n",
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
        ];
        for text in simple {
            let fast = simple_front_matter(text).unwrap_or_else(|| panic!("not read without the parser: {text:?}"));
            assert_eq!(Ok(fast), parsed_front_matter(text), "{text:?}");
        }
        for text in unsure {
            assert_eq!(simple_front_matter(text), None, "{text:?}");
        }
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
