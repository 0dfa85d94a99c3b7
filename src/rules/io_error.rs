//! `io-error`: a file cannot be read, is not UTF-8 or is too large; reported, never fatal.

use crate::rules::RuleId;
use crate::finding::{Finding, Span};


/// A finding for a file that could not be turned into text.
pub fn finding(message: impl Into<String>) -> Finding {
    Finding::new(RuleId::IoError, Span::new(0, 0), message).with_key("file")
}

/// Why a file is not checked: `len` bytes (`"123"` or `"123+"`) above `max`.
pub fn too_large(len: impl std::fmt::Display, max: u64) -> String {
    format!("file is {len} bytes, above the {max}-byte limit (`max-file-size`); not checked")
}

/// Why bytes are not text: the first invalid UTF-8 sequence, with its offset.
pub fn describe_invalid_utf8(bytes: &[u8]) -> Option<String> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Some("file is UTF-16 (it starts with a UTF-16 byte-order mark); locdrift reads UTF-8".to_string());
    }
    match std::str::from_utf8(bytes) {
        Ok(_) => None,
        Err(e) => Some(format!("file is not valid UTF-8: invalid byte sequence at byte offset {}", e.valid_up_to())),
    }
}
