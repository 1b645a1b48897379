//! Input → output snapshots: every parser fixture (one per operator and construct the parser
//! covers, `crates/kql-syntax/tests/data/ok`), our own fixtures for comments in every position,
//! blank lines, long lines, subqueries and spacing (`tests/data`), and each option.
//! The input is the snapshot's description, so a review shows both.

mod common;

use std::path::Path;

use common::kql_files;

use kql_fmt::{format_blocks, format_text, FormatOptions, PipeStyle};

fn snapshot(name: &str, input: &str, options: &FormatOptions) {
    let output = match format_text(input, options) {
        Ok(out) => out,
        Err(e) => format!("not formatted: {e} at {:?}", e.range),
    };
    insta::with_settings!({ description => input, omit_expression => true }, {
        insta::assert_snapshot!(name, output);
    });
}

/// One snapshot per query file of `dir` (relative to this crate), named `prefix` + file stem.
fn snapshot_folder(dir: &str, prefix: &str) {
    for path in kql_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join(dir)) {
        let stem = path.file_stem().unwrap().to_string_lossy().to_string();
        let input = std::fs::read_to_string(&path).unwrap();
        snapshot(
            &format!("{prefix}{stem}"),
            &input,
            &FormatOptions::default(),
        );
    }
}

#[test]
fn parser_fixtures() {
    snapshot_folder("../kql-syntax/tests/data/ok", "construct__");
}

#[test]
fn own_fixtures() {
    snapshot_folder("tests/data", "");
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data")
            .join(name),
    )
    .unwrap()
}

#[test]
fn option_indent_width_2() {
    let options = FormatOptions {
        indent_width: 2,
        ..FormatOptions::default()
    };
    snapshot(
        "option_indent_width_2",
        &fixture("subqueries.kql"),
        &options,
    );
}

#[test]
fn option_line_width_60() {
    let options = FormatOptions {
        line_width: 60,
        ..FormatOptions::default()
    };
    snapshot("option_line_width_60", &fixture("long_lines.kql"), &options);
}

#[test]
fn option_trailing_pipes() {
    let options = FormatOptions {
        pipe_style: PipeStyle::Trailing,
        ..FormatOptions::default()
    };
    snapshot(
        "option_trailing_pipes",
        &fixture("subqueries.kql"),
        &options,
    );
}

#[test]
fn syntax_error_is_not_formatted() {
    let e = format_text("T | where a >\n| take 1", &FormatOptions::default()).unwrap_err();
    assert_eq!(usize::from(e.range.start()), 13, "{e:?}");
    assert!(!e.message.is_empty());
}

#[test]
fn blocks_are_formatted_one_by_one() {
    let input = "T|take 1\n\n\n// second\nU|where a>1|count\n";
    let out = format_blocks(input, &FormatOptions::default()).unwrap();
    assert_eq!(out, "T\n| take 1\n\n// second\nU\n| where a > 1\n| count\n");
    // As one query the same text is two statements without `;`: an error.
    assert!(format_text(input, &FormatOptions::default()).is_err());
}

#[test]
fn empty_and_comment_only_texts() {
    let o = FormatOptions::default();
    assert_eq!(format_text("", &o).unwrap(), "");
    assert_eq!(format_text(" \n\n", &o).unwrap(), "");
    assert_eq!(
        format_text("  // just a note  \n", &o).unwrap(),
        "// just a note\n"
    );
}

#[test]
fn windows_line_ends_are_kept() {
    let out = format_text(
        "// c\r\nT|take 1 // t\r\n\r\n| count\r\n",
        &FormatOptions::default(),
    )
    .unwrap();
    assert_eq!(out, "// c\r\nT\r\n| take 1 // t\r\n\r\n| count\r\n");
    assert_eq!(format_text(&out, &FormatOptions::default()).unwrap(), out);
}

#[test]
fn deep_and_wide_expressions_format_without_overflow() {
    // Alternating operators nest as deep as the parser allows (4,096 levels).
    let terms: Vec<String> = (1..4000)
        .map(|i| format!("{i} {}", if i % 2 == 1 { "+" } else { "-" }))
        .collect();
    let deep = format!("print x = {} 1", terms.join(" "));
    let out = format_text(&deep, &FormatOptions::default()).unwrap();
    assert_eq!(format_text(&out, &FormatOptions::default()).unwrap(), out);
    // A long `or` chain: one operand a line.
    let wide = format!(
        "T | where {}",
        (0..20_000)
            .map(|i| format!("a == {i}"))
            .collect::<Vec<_>>()
            .join(" or ")
    );
    let out = format_text(&wide, &FormatOptions::default()).unwrap();
    assert_eq!(out.lines().count(), 20_001);
}
