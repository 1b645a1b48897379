//! The formatter's promises over every real query we have: the 2,077 queries of
//! `../shared/corpus/valid` (when present beside the checkout) and the project's own fixtures.
//! Each file that parses without errors must format, keep its tokens and comments, and format
//! to itself a second time.

mod common;

use std::path::{Path, PathBuf};

use kql_fmt::{format_text, FormatOptions, PipeStyle};
use kql_syntax::lexer::tokenize;
use kql_syntax::SyntaxKind;

fn corpus() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    [
        "../shared/corpus/valid",
        "crates/kql-syntax/tests/data/ok",
        "tests/fixtures",
        "crates/kql-lint/tests/fixtures",
    ]
    .iter()
    .flat_map(|dir| common::kql_files(&root.join(dir)))
    .collect()
}

/// Comment texts, sorted (a multiset).
fn comments(text: &str) -> Vec<String> {
    let t = tokenize(text);
    let mut out: Vec<String> = (0..t.len())
        .filter(|&i| t.kind(i) == SyntaxKind::COMMENT)
        .map(|i| t.text(i).trim_end().to_string())
        .collect();
    out.sort();
    out
}

fn significant(text: &str) -> Vec<(SyntaxKind, String)> {
    let t = tokenize(text);
    (0..t.len())
        .filter(|&i| !t.kind(i).is_trivia() && t.kind(i) != SyntaxKind::EOF)
        .map(|i| (t.kind(i), t.text(i).to_string()))
        .collect()
}

fn check_all(options: &FormatOptions) {
    let files = corpus();
    let mut failures = Vec::new();
    let mut formatted = 0;
    for path in &files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        if kql_syntax::parse(text).has_errors() {
            continue;
        }
        let name = path.display();
        let out = match format_text(text, options) {
            Ok(out) => out,
            Err(e) => {
                failures.push(format!("{name}: not formatted: {e}"));
                continue;
            }
        };
        formatted += 1;
        if significant(text) != significant(&out) {
            failures.push(format!("{name}: tokens changed"));
        }
        if comments(text) != comments(&out) {
            failures.push(format!("{name}: comments changed"));
        }
        if kql_syntax::parse(&out).has_errors() {
            failures.push(format!("{name}: output has syntax errors"));
        }
        match format_text(&out, options) {
            Ok(again) if again == out => {}
            Ok(again) => failures.push(format!(
                "{name}: not idempotent\n--- first\n{out}--- second\n{again}"
            )),
            Err(e) => failures.push(format!("{name}: output not formatted again: {e}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {formatted} files failed:\n{}",
        failures.len(),
        failures
            .iter()
            .take(10)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(formatted > 50, "only {formatted} files found");
}

#[test]
fn corpus_default_options() {
    check_all(&FormatOptions::default());
}

#[test]
fn corpus_trailing_pipes_narrow_lines() {
    check_all(&FormatOptions {
        indent_width: 2,
        line_width: 60,
        pipe_style: PipeStyle::Trailing,
    });
}
