//! Range formatting: only the statements a selection touches change.

use kql_diagnostics::apply_edits;
use kql_fmt::{format_range, format_range_blocks, format_text, FormatOptions};
use kql_syntax::{TextRange, TextSize};

fn range(text: &str, needle: &str) -> TextRange {
    let start = text.find(needle).expect("needle in text");
    TextRange::at(TextSize::from(start as u32), TextSize::of(needle))
}

#[test]
fn formats_only_the_touched_statement() {
    let text = "let a=1;\nlet b=2;\nT|where x>a";
    let edits = format_range(text, range(text, "b=2"), &FormatOptions::default()).unwrap();
    let (out, _) = apply_edits(text, &edits);
    assert_eq!(out, "let a=1;\nlet b = 2;\nT|where x>a");
}

#[test]
fn a_cursor_formats_its_statement_and_a_run_covers_several() {
    let text = "let a=1;\nlet b=2;\nT|where x>a";
    let cursor = TextRange::empty(TextSize::from(text.len() as u32));
    let (out, _) = apply_edits(
        text,
        &format_range(text, cursor, &FormatOptions::default()).unwrap(),
    );
    assert_eq!(out, "let a=1;\nlet b=2;\nT\n| where x > a");
    let across = TextRange::new(range(text, "a=1").start(), range(text, "b=2").end());
    let (out, _) = apply_edits(
        text,
        &format_range(text, across, &FormatOptions::default()).unwrap(),
    );
    assert_eq!(out, "let a = 1;\nlet b = 2;\nT|where x>a");
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
    let (out, _) = apply_edits(messy, &format_range(messy, all, &o).unwrap());
    assert_eq!(format!("{out}\n"), format_text(messy, &o).unwrap());
}

#[test]
fn blocks_variant_formats_touched_blocks_even_when_others_are_broken() {
    let text = "T|take 1\n\nU | where\n";
    let edits = format_range_blocks(text, range(text, "take"), &FormatOptions::default()).unwrap();
    let (out, _) = apply_edits(text, &edits);
    assert_eq!(out, "T\n| take 1\n\nU | where\n");
    assert!(format_range(text, range(text, "take"), &FormatOptions::default()).is_err());
}
