//! Formatting through `kql-fmt`, as edits against the current text.

use crate::{Analysis, TextEdit, TextRange, TextSize};

/// The whole document, formatted as one query or block by block (per the configuration).
pub(crate) fn format(a: &Analysis) -> Result<Vec<TextEdit>, String> {
    let options = &a.config().format;
    let formatted = if a.config().blocks {
        kql_fmt::format_blocks(a.text(), options)
    } else {
        kql_fmt::format_text(a.text(), options)
    }
    .map_err(|e| e.message)?;
    Ok(minimal_edit(a.text(), &formatted).into_iter().collect())
}

pub(crate) fn format_range(a: &Analysis, range: TextRange) -> Result<Vec<TextEdit>, String> {
    kql_fmt::format_range(a.text(), range, &a.config().format).map_err(|e| e.message)
}

/// One edit replacing only what differs between `old` and `new` (their common prefix and
/// suffix are kept, so the editor keeps the cursor and folds outside the change).
pub(crate) fn minimal_edit(old: &str, new: &str) -> Option<TextEdit> {
    if old == new {
        return None;
    }
    let mut prefix = old
        .bytes()
        .zip(new.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(prefix) || !new.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let max_suffix = (old.len() - prefix).min(new.len() - prefix);
    let mut suffix = old
        .bytes()
        .rev()
        .zip(new.bytes().rev())
        .take(max_suffix)
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(old.len() - suffix) || !new.is_char_boundary(new.len() - suffix) {
        suffix -= 1;
    }
    let range = TextRange::new(
        TextSize::from(prefix as u32),
        TextSize::from((old.len() - suffix) as u32),
    );
    Some(TextEdit::replace(range, &new[prefix..new.len() - suffix]))
}

#[cfg(test)]
mod tests {
    use super::minimal_edit;
    use kql_diagnostics::apply_edits;

    #[test]
    fn minimal_edit_applies_to_the_new_text() {
        for (old, new) in [
            ("T|where a>1", "T\n| where a > 1\n"),
            ("abc", "abc"),
            ("aé", "aè"),
            ("xx", "xxx"),
            ("", "T\n"),
        ] {
            let edits: Vec<_> = minimal_edit(old, new).into_iter().collect();
            assert_eq!(apply_edits(old, &edits).0, new, "{old:?} -> {new:?}");
        }
        assert!(minimal_edit("abc", "abc").is_none());
    }
}
