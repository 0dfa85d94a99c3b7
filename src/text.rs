//! Small text helpers shared by rules and renderers: number normalization, quoting, lines.

/// A number as a value, whatever the locale's separators: `1,5` and `1.5` are both
/// `1.5`; `10 000`, `10,000` and `10.000` are all `10000`.
///
/// A single separator followed by exactly three digits is a thousands separator
/// (`1,000`); any other single separator is a decimal point (`1,5`, `2.25`).
pub fn normalize_number(text: &str) -> String {
    let compact: String = text.chars().filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}')).map(ascii_digit).collect();
    let seps: Vec<(usize, char)> = compact.char_indices().filter(|(_, c)| *c == '.' || *c == ',').collect();
    match seps.as_slice() {
        [] => trim_zeros(&compact),
        [(i, _)] => {
            let after = &compact[i + 1..];
            if after.len() == 3 && compact[..*i].len() <= 3 && !compact[..*i].starts_with('0') {
                trim_zeros(&compact.replace(['.', ','], ""))
            } else {
                trim_zeros(&format!("{}.{}", &compact[..*i], after))
            }
        }
        many => {
            // Several separators: all but a different last one group thousands.
            let last = many[many.len() - 1];
            let all_same = many.iter().all(|(_, c)| *c == last.1);
            if all_same {
                trim_zeros(&compact.replace(last.1, ""))
            } else {
                let int: String = compact[..last.0].chars().filter(|c| c.is_ascii_digit()).collect();
                trim_zeros(&format!("{int}.{}", &compact[last.0 + 1..]))
            }
        }
    }
}

/// A decimal digit of another script (Arabic-Indic, Persian, Devanagari, Bengali, Thai,
/// full-width …) as its ASCII digit; `٫` (Arabic decimal separator) as `.`.
fn ascii_digit(c: char) -> char {
    const ZEROS: [u32; 16] = [
        0x660, 0x6F0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66, 0xE50, 0xED0, 0xF20, 0x1040,
        0xFF10,
    ];
    let u = c as u32;
    if c == '\u{66b}' {
        return '.';
    }
    if c == '\u{66c}' {
        return ',';
    }
    ZEROS.iter().find(|&&z| (z..z + 10).contains(&u)).map_or(c, |z| char::from(b'0' + (u - z) as u8))
}

fn trim_zeros(n: &str) -> String {
    let n = if n.contains('.') { n.trim_end_matches('0').trim_end_matches('.') } else { n };
    let n = n.trim_start_matches('0');
    if n.is_empty() || n.starts_with('.') {
        format!("0{n}")
    } else {
        n.to_string()
    }
}

/// `haystack.find(needle)` for short needles (a number, a placeholder's closing): a
/// memchr for the first byte and a comparison, where `str::find` would set up a
/// substring searcher for every call. An empty needle is found at 0.
pub fn find_short(haystack: &str, needle: &str) -> Option<usize> {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    let Some(&first) = n.first() else { return Some(0) };
    memchr::memchr_iter(first, h).find(|&i| h[i..].starts_with(n))
}

/// Quotes at most `max` characters of text, with an ellipsis when cut.
pub fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max.saturating_sub(1)).collect();
    format!("{}…", cut.trim_end())
}

/// The lines of a text, each with its `\n` (the last one without, if the text does not
/// end in one): `str::split_inclusive('\n')`, found with memchr. The parser walks every
/// line of every file more than once, and the general character search costs more per
/// line than a line's work.
pub fn lines_inclusive(text: &str) -> impl Iterator<Item = &str> {
    let mut start = 0;
    let mut ends = memchr::memchr_iter(b'\n', text.as_bytes());
    std::iter::from_fn(move || {
        if start >= text.len() {
            return None;
        }
        let end = ends.next().map_or(text.len(), |i| i + 1);
        let line = &text[start..end];
        start = end;
        Some(line)
    })
}

/// The offset where the line holding `at` starts.
pub fn line_start(text: &str, at: usize) -> usize {
    text[..at.min(text.len())].rfind('\n').map_or(0, |i| i + 1)
}

/// The offset where the line holding `at` ends, before its `\n` or `\r\n`.
pub fn line_end(text: &str, at: usize) -> usize {
    let at = at.min(text.len());
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    if end > at && text.as_bytes()[end - 1] == b'\r' {
        end - 1
    } else {
        end
    }
}

/// The offset where the line after the one holding `at` starts (the text's end if none).
pub fn next_line_start(text: &str, at: usize) -> usize {
    let at = at.min(text.len());
    text[at..].find('\n').map_or(text.len(), |i| at + i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `find_short` finds what `str::find` finds, the empty needle included.
    #[test]
    fn short_needles_are_found_where_str_find_finds_them() {
        for (haystack, needle) in
            [("a 1,5 b 1,5", "1,5"), ("{{x}} y}}", "}}"), ("日本 3 件", "件"), ("ab", "abc"), ("x", "")]
        {
            assert_eq!(find_short(haystack, needle), haystack.find(needle), "{haystack:?} {needle:?}");
        }
    }

    #[test]
    fn lines_are_split_as_split_inclusive_does() {
        for text in ["", "\n", "a", "a\n", "a\nb", "a\r\nb\n\n", "\n\nx", "é\n日本\n"] {
            assert_eq!(
                lines_inclusive(text).collect::<Vec<_>>(),
                text.split_inclusive('\n').collect::<Vec<_>>(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn numbers_normalize_across_locales() {
        assert_eq!(normalize_number("1,5"), "1.5");
        assert_eq!(normalize_number("1.5"), "1.5");
        assert_eq!(normalize_number("10 000"), "10000");
        assert_eq!(normalize_number("10,000"), "10000");
        assert_eq!(normalize_number("10.000"), "10000");
        assert_eq!(normalize_number("1.234.567,8"), "1234567.8");
        assert_eq!(normalize_number("48"), "48");
        assert_eq!(normalize_number("0.50"), "0.5");
    }

    #[test]
    fn shorten_counts_characters() {
        assert_eq!(shorten("ab", 5), "ab");
        assert_eq!(shorten("日本語のテキスト", 4), "日本語…");
    }
}
