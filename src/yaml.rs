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
    for line in text[start..].split_inclusive('\n') {
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
