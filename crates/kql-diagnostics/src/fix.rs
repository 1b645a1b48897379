//! Fixes are data: text edits plus how safe they are. Rules never edit text themselves.

use text_size::TextRange;

/// Whether a fix keeps the query's meaning exactly (`Safe`) or may change results (`Unsafe`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Applicability {
    Safe,
    Unsafe,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        }
    }
}

/// Replace the bytes in `range` with `replacement` (an insertion when the range is empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextEdit {
    pub range: TextRange,
    pub replacement: String,
}

impl TextEdit {
    pub fn replace(range: TextRange, replacement: impl Into<String>) -> TextEdit {
        TextEdit {
            range,
            replacement: replacement.into(),
        }
    }

    pub fn insert(at: text_size::TextSize, text: impl Into<String>) -> TextEdit {
        TextEdit::replace(TextRange::empty(at), text)
    }

    pub fn delete(range: TextRange) -> TextEdit {
        TextEdit::replace(range, "")
    }
}

/// A suggested change attached to a diagnostic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// What the fix does, in the imperative ("Replace `contains` with `has`").
    pub message: String,
    /// Non-overlapping edits, in any order.
    pub edits: Vec<TextEdit>,
    pub applicability: Applicability,
}

impl Fix {
    pub fn safe(message: impl Into<String>, edits: Vec<TextEdit>) -> Fix {
        Fix {
            message: message.into(),
            edits,
            applicability: Applicability::Safe,
        }
    }

    pub fn unsafe_(message: impl Into<String>, edits: Vec<TextEdit>) -> Fix {
        Fix {
            message: message.into(),
            edits,
            applicability: Applicability::Unsafe,
        }
    }
}

/// Applies edits to `text`. Edits that overlap an earlier (lower-offset) edit or fall outside the
/// text are skipped, so a set of fixes from different rules can be applied in one pass; the
/// number applied is returned with the new text.
pub fn apply_edits(text: &str, edits: &[TextEdit]) -> (String, usize) {
    let mut sorted: Vec<&TextEdit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.range.start(), e.range.end()));
    let mut out = String::with_capacity(text.len());
    let mut pos = 0usize;
    let mut applied = 0;
    for e in sorted {
        let (start, end) = (usize::from(e.range.start()), usize::from(e.range.end()));
        if start < pos
            || end > text.len()
            || !text.is_char_boundary(start)
            || !text.is_char_boundary(end)
        {
            continue;
        }
        out.push_str(&text[pos..start]);
        out.push_str(&e.replacement);
        pos = end;
        applied += 1;
    }
    out.push_str(&text[pos..]);
    (out, applied)
}

#[cfg(test)]
mod tests {
    use super::*;
    use text_size::TextSize;

    fn r(a: u32, b: u32) -> TextRange {
        TextRange::new(TextSize::from(a), TextSize::from(b))
    }

    #[test]
    fn applies_in_offset_order_and_skips_overlaps() {
        let edits = vec![
            TextEdit::replace(r(6, 11), "there"),
            TextEdit::replace(r(0, 5), "bye"),
            TextEdit::replace(r(8, 9), "X"),
        ];
        let (out, n) = apply_edits("hello world", &edits);
        assert_eq!(out, "bye there");
        assert_eq!(n, 2);
    }

    #[test]
    fn insertion_and_deletion() {
        let edits = vec![
            TextEdit::insert(TextSize::from(0), ">"),
            TextEdit::delete(r(1, 2)),
        ];
        assert_eq!(apply_edits("abc", &edits).0, ">ac");
    }
}
