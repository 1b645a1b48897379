//! Byte offset → line and column. Columns are 1-based counts of Unicode scalar values, which is
//! what terminals and CI annotations expect; UTF-16 columns exist only in the language server.

use text_size::TextSize;

/// A 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineCol {
    pub line: u32,
    pub column: u32,
}

/// The start offset of every line of one text.
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<u32>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut line_starts = vec![0];
        for (i, b) in text.bytes().enumerate() {
            if b == b'\n' {
                line_starts.push(i as u32 + 1);
            }
        }
        LineIndex { line_starts }
    }

    /// Line and column of `offset` in `text` (the text this index was built from).
    pub fn line_col(&self, text: &str, offset: TextSize) -> LineCol {
        let offset = u32::from(offset).min(text.len() as u32);
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line] as usize;
        let mut end = offset as usize;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        LineCol {
            line: line as u32 + 1,
            column: text[start..end].chars().count() as u32 + 1,
        }
    }

    /// The 0-based line holding `offset` (a binary search: no scan of the text).
    pub fn line_of(&self, offset: TextSize) -> usize {
        self.line_starts
            .partition_point(|&s| s <= u32::from(offset))
            - 1
    }

    /// Byte offset of the start of 0-based line `line`, if it exists.
    pub fn line_start(&self, line: usize) -> Option<TextSize> {
        self.line_starts.get(line).map(|&s| TextSize::from(s))
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns_are_one_based() {
        let text = "ab\nc\u{e9}d\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 0.into()), LineCol { line: 1, column: 1 });
        assert_eq!(idx.line_col(text, 3.into()), LineCol { line: 2, column: 1 });
        // 'é' is two bytes: the 'd' after it is column 3.
        assert_eq!(idx.line_col(text, 6.into()), LineCol { line: 2, column: 3 });
        assert_eq!(idx.line_col(text, 8.into()), LineCol { line: 3, column: 1 });
    }
}
