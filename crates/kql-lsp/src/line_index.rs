//! LSP positions ↔ byte offsets, in the position encoding negotiated at `initialize`.
//!
//! Lines end at `\n`, `\r\n` or a lone `\r`, as the protocol defines them. A `character` past the
//! end of its line means the end of the line, a line past the end means the end of the text, and
//! a UTF-16 position inside a surrogate pair (or a UTF-8 one inside a character) moves back to the
//! start of that character: clients send such positions, and none of them may crash the server.

use kql_diagnostics::{TextRange, TextSize};
use tower_lsp_server::ls_types::{Position, PositionEncodingKind, Range};

/// How `Position::character` counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    /// UTF-8 code units (bytes): no conversion needed.
    Utf8,
    /// UTF-16 code units: the protocol's default.
    #[default]
    Utf16,
}

impl Encoding {
    /// UTF-8 when the client offers it, else UTF-16 (which every client must accept).
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
        match offered {
            Some(kinds) if kinds.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
            _ => Encoding::Utf16,
        }
    }

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }
    }
}

/// The start of each line of one text, and whether the text is all ASCII (then every encoding
/// counts bytes and no line needs scanning).
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<u32>,
    ascii: bool,
    encoding: Encoding,
}

impl LineIndex {
    pub fn new(text: &str, encoding: Encoding) -> LineIndex {
        let bytes = text.as_bytes();
        let mut line_starts = vec![0];
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => line_starts.push(i as u32 + 1),
                b'\r' if bytes.get(i + 1) != Some(&b'\n') => line_starts.push(i as u32 + 1),
                _ => {}
            }
            i += 1;
        }
        LineIndex {
            line_starts,
            ascii: text.is_ascii(),
            encoding,
        }
    }

    pub fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// The byte offset of `pos` in `text` (the text this index was built from), clamped as the
    /// module documentation says.
    pub fn offset(&self, text: &str, pos: Position) -> TextSize {
        let Some(&start) = self.line_starts.get(pos.line as usize) else {
            return TextSize::of(text);
        };
        let start = start as usize;
        let end = self.line_content_end(text, pos.line as usize);
        let line = &text[start..end];
        let col = pos.character as usize;
        let within = if self.ascii {
            col.min(line.len())
        } else {
            match self.encoding {
                Encoding::Utf8 => {
                    let mut c = col.min(line.len());
                    while !line.is_char_boundary(c) {
                        c -= 1;
                    }
                    c
                }
                Encoding::Utf16 => {
                    let mut units = 0;
                    let mut bytes = line.len();
                    for (i, ch) in line.char_indices() {
                        let next = units + ch.len_utf16();
                        if next > col {
                            bytes = i;
                            break;
                        }
                        units = next;
                    }
                    bytes
                }
            }
        };
        TextSize::from((start + within) as u32)
    }

    /// The position of byte `offset` in `text` (clamped to the text, moved back to a character
    /// boundary).
    pub fn position(&self, text: &str, offset: TextSize) -> Position {
        let mut offset = (u32::from(offset) as usize).min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self
            .line_starts
            .partition_point(|&s| s as usize <= offset)
            .saturating_sub(1);
        let start = self.line_starts[line] as usize;
        // An offset between `\r` and `\n` belongs to the end of the line's content.
        let offset = offset.min(self.line_content_end(text, line)).max(start);
        let character = if self.ascii || self.encoding == Encoding::Utf8 {
            offset - start
        } else {
            text[start..offset].chars().map(char::len_utf16).sum()
        };
        Position::new(line as u32, character as u32)
    }

    pub fn range(&self, text: &str, range: TextRange) -> Range {
        Range::new(
            self.position(text, range.start()),
            self.position(text, range.end()),
        )
    }

    /// The byte range of `range`; an inverted range becomes empty at its start.
    pub fn text_range(&self, text: &str, range: Range) -> TextRange {
        let start = self.offset(text, range.start);
        let end = self.offset(text, range.end).max(start);
        TextRange::new(start, end)
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The end of line `line`'s content (before its line break).
    fn line_content_end(&self, text: &str, line: usize) -> usize {
        let Some(&next) = self.line_starts.get(line + 1) else {
            return text.len();
        };
        let next = next as usize;
        let bytes = text.as_bytes();
        if next >= 2 && bytes[next - 1] == b'\n' && bytes[next - 2] == b'\r' {
            next - 2
        } else {
            next - 1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(line: u32, character: u32) -> Position {
        Position::new(line, character)
    }

    #[test]
    fn utf16_counts_surrogate_pairs_and_clamps_inside_them() {
        let text = "a😀b\r\nc";
        let idx = LineIndex::new(text, Encoding::Utf16);
        assert_eq!(idx.offset(text, pos(0, 1)), 1.into());
        assert_eq!(idx.offset(text, pos(0, 3)), 5.into(), "after the emoji");
        assert_eq!(
            idx.offset(text, pos(0, 2)),
            1.into(),
            "inside the pair: its start"
        );
        assert_eq!(
            idx.offset(text, pos(0, 99)),
            6.into(),
            "past the line: before CRLF"
        );
        assert_eq!(idx.offset(text, pos(1, 0)), 8.into());
        assert_eq!(
            idx.offset(text, pos(7, 0)),
            9.into(),
            "past the text: its end"
        );
        assert_eq!(idx.position(text, 5.into()), pos(0, 3));
        assert_eq!(idx.position(text, 7.into()), pos(0, 4), "between CR and LF");
        assert_eq!(idx.position(text, 3.into()), pos(0, 1), "inside the emoji");
    }

    #[test]
    fn utf8_counts_bytes_and_lone_cr_breaks_lines() {
        let text = "é\rx";
        let idx = LineIndex::new(text, Encoding::Utf8);
        assert_eq!(idx.line_count(), 2);
        assert_eq!(idx.offset(text, pos(0, 1)), 0.into(), "inside é");
        assert_eq!(idx.offset(text, pos(0, 2)), 2.into());
        assert_eq!(idx.offset(text, pos(1, 1)), 4.into());
        assert_eq!(idx.position(text, 4.into()), pos(1, 1));
    }

    #[test]
    fn negotiation_prefers_utf8() {
        let offered = [PositionEncodingKind::UTF16, PositionEncodingKind::UTF8];
        assert_eq!(Encoding::negotiate(Some(&offered)), Encoding::Utf8);
        assert_eq!(Encoding::negotiate(Some(&offered[..1])), Encoding::Utf16);
        assert_eq!(Encoding::negotiate(None), Encoding::Utf16);
    }
}
