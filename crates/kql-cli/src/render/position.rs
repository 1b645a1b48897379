//! Byte offsets to lines and columns, in time linear in the text plus the findings.
//!
//! Columns count Unicode scalar values from the line start (a tab is one column), in every format.
//! Findings come sorted, so the column of the next offset on the same line is counted from the
//! previous one instead of from the line start: 4,000 findings on one long line stay linear.

use std::cell::Cell;

use kql_diagnostics::{LineCol, LineIndex, TextSize};

pub struct Positions<'a> {
    text: &'a str,
    index: LineIndex,
    /// The last offset asked for, and its line and column.
    last: Cell<(usize, LineCol)>,
}

impl<'a> Positions<'a> {
    pub fn new(text: &'a str) -> Positions<'a> {
        Positions {
            text,
            index: LineIndex::new(text),
            last: Cell::new((0, LineCol { line: 1, column: 1 })),
        }
    }

    pub fn text(&self) -> &'a str {
        self.text
    }

    /// 1-based line and column of `offset` (rounded down to a character boundary).
    pub fn line_col(&self, offset: TextSize) -> LineCol {
        let mut offset = usize::from(offset).min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.index.line_of(TextSize::from(offset as u32));
        let (last_offset, last) = self.last.get();
        let (from, column) = if last.line as usize == line + 1 && last_offset <= offset {
            (last_offset, last.column)
        } else {
            (self.line_start(line), 1)
        };
        let column = column + self.text[from..offset].chars().count() as u32;
        let at = LineCol {
            line: line as u32 + 1,
            column,
        };
        self.last.set((offset, at));
        at
    }

    /// The 0-based line holding `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.index
            .line_of(TextSize::from(offset.min(self.text.len()) as u32))
    }

    /// Byte offset where 0-based `line` starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.index
            .line_start(line)
            .map_or(self.text.len(), usize::from)
    }

    /// Byte offset where 0-based `line`'s content ends (before `\n` or `\r\n`).
    pub fn line_end(&self, line: usize) -> usize {
        let next = if line + 1 < self.index.line_count() {
            self.line_start(line + 1)
        } else {
            self.text.len()
        };
        let content = &self.text[self.line_start(line).min(next)..next];
        let trimmed = content.strip_suffix('\n').unwrap_or(content);
        let trimmed = trimmed.strip_suffix('\r').unwrap_or(trimmed);
        self.line_start(line) + trimmed.len()
    }
}
