//! Byte offset -> line and column, computed only at the edges (renderers, LSP).

/// Line starts of one text, for repeated lookups.
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

/// A 1-based line and column. `column` counts Unicode scalar values; `utf16` counts
/// UTF-16 code units (what LSP clients use by default); both 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
    pub utf16: usize,
    pub byte: usize,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> LineIndex<'a> {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, starts }
    }

    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let prefix = &self.text[start..offset];
        // A byte-order mark is invisible; it does not move the first column.
        let prefix = prefix.strip_prefix('\u{feff}').unwrap_or(prefix);
        Position {
            line: line + 1,
            column: prefix.chars().count() + 1,
            utf16: prefix.encode_utf16().count() + 1,
            byte: prefix.len() + 1,
        }
    }

    /// The byte offset of a 0-based line and UTF-16 column (LSP positions).
    pub fn offset_utf16(&self, line: usize, utf16_col: usize) -> usize {
        let Some(&start) = self.starts.get(line) else { return self.text.len() };
        let end = self.starts.get(line + 1).copied().unwrap_or(self.text.len());
        let mut units = 0;
        for (i, c) in self.text[start..end].char_indices() {
            if units >= utf16_col {
                return start + i;
            }
            units += c.len_utf16();
        }
        end
    }

    /// The byte offset of a 0-based line and byte column (LSP positions in UTF-8), clamped
    /// to the line's end (before its newline) and moved back to a character boundary.
    pub fn offset_utf8(&self, line: usize, byte_col: usize) -> usize {
        let Some(&start) = self.starts.get(line) else { return self.text.len() };
        let end = self.starts.get(line + 1).map_or(self.text.len(), |&next| next - 1);
        let mut offset = (start + byte_col).min(end);
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_and_utf16_units() {
        let text = "a\n日本語 x😀y\n";
        let idx = LineIndex::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(idx.position(x), Position { line: 2, column: 5, utf16: 5, byte: 11 });
        let y = text.find('y').unwrap();
        assert_eq!(idx.position(y).column, 7);
        assert_eq!(idx.position(y).utf16, 8);
        assert_eq!(idx.offset_utf16(1, 7), y);
        assert_eq!(idx.offset_utf8(1, 10), x);
        assert_eq!(idx.offset_utf8(1, 1), text.find('日').unwrap(), "inside a character: back to its start");
        assert_eq!(idx.offset_utf8(1, 99), text.len() - 1, "past the line: its end");
    }
}
