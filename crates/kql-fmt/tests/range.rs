//! Range formatting: only the statements a selection touches change.

use kql_diagnostics::{apply_edits, TextEdit};
use kql_fmt::{format_range, format_range_blocks, format_text, FormatError, FormatOptions};
use kql_syntax::{TextRange, TextSize};

fn range(text: &str, needle: &str) -> TextRange {
    let start = text.find(needle).expect("needle in text");
    TextRange::at(TextSize::from(start as u32), TextSize::of(needle))
}

/// [`format_range`] or [`format_range_blocks`].
type RangeFormat = fn(&str, TextRange, &FormatOptions) -> Result<Vec<TextEdit>, FormatError>;

/// `text` after the edits `format` makes for `selection` with the default options.
fn after(format: RangeFormat, text: &str, selection: TextRange) -> String {
    let edits = format(text, selection, &FormatOptions::default()).unwrap();
    apply_edits(text, &edits).0
}

#[test]
fn only_the_statements_a_selection_touches_change() {
    let text = "let a=1;\nlet b=2;\nT|where x>a";
    let cursor = TextRange::empty(TextSize::of(text));
    let across = TextRange::new(range(text, "a=1").start(), range(text, "b=2").end());
    // Each row: what is selected, the selection, and the text after formatting it.
    let cases = [
        (
            "b=2",
            range(text, "b=2"),
            "let a=1;\nlet b = 2;\nT|where x>a",
        ),
        // A cursor formats its statement.
        ("the end", cursor, "let a=1;\nlet b=2;\nT\n| where x > a"),
        // A run covers several.
        ("a=1 to b=2", across, "let a = 1;\nlet b = 2;\nT|where x>a"),
    ];
    for (selected, selection, want) in cases {
        assert_eq!(after(format_range, text, selection), want, "{selected}");
    }
}

#[test]
fn formatted_statements_give_no_edit_and_the_whole_range_matches_format_text() {
    let o = FormatOptions::default();
    let text = "let a = 1;\nT\n| take a\n";
    assert!(format_range(text, range(text, "take"), &o)
        .unwrap()
        .is_empty());
    let messy = "let a=1;T|take a|count";
    let all = TextRange::new(0.into(), TextSize::of(messy));
    let out = after(format_range, messy, all);
    assert_eq!(format!("{out}\n"), format_text(messy, &o).unwrap());
}

#[test]
fn blocks_variant_formats_touched_blocks_even_when_others_are_broken() {
    let text = "T|take 1\n\nU | where\n";
    let take = range(text, "take");
    let out = after(format_range_blocks, text, take);
    assert_eq!(out, "T\n| take 1\n\nU | where\n");
    assert!(format_range(text, take, &FormatOptions::default()).is_err());
}
