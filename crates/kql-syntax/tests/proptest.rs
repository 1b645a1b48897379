//! Property tests: any input gives a tree whose text is the input, with diagnostics inside the
//! text on char boundaries, and never a panic. Plus stack-safety checks on pathological inputs.
//!
//! `PROPTEST_CASES=N` changes the number of cases per property (default below).

mod common;

use common::{check_invariants, fixtures};
use proptest::prelude::*;
use proptest::test_runner::Config;

const DEFAULT_CASES: u32 = 1000;

fn config() -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(DEFAULT_CASES);
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

fn assert_invariants(text: &str) -> Result<(), TestCaseError> {
    let parse = kql_syntax::parse(text);
    check_invariants(text, &parse)
        .map_err(|e| TestCaseError::fail(format!("{e}; input {text:?}")))?;
    let blocks = kql_syntax::parse_blocks(text);
    check_invariants(text, &blocks)
        .map_err(|e| TestCaseError::fail(format!("blocks: {e}; input {text:?}")))?;
    // The lexer alone is lossless too.
    let tokens = kql_syntax::lexer::tokenize(text);
    let joined: String = (0..tokens.len()).map(|i| tokens.text(i)).collect();
    prop_assert_eq!(
        joined.as_str(),
        text,
        "token texts do not concatenate to the input"
    );
    Ok(())
}

/// Pieces of KQL that, glued together at random, reach deep into the grammar.
const VOCAB: &[&str] = &[
    "DeviceProcessEvents",
    "|",
    "where",
    "project",
    "extend",
    "summarize",
    "by",
    "join",
    "kind",
    "=",
    "==",
    "!=",
    "=~",
    "!~",
    "has",
    "!has",
    "in",
    "!in",
    "in~",
    "between",
    "..",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    ";",
    ":",
    ".",
    "let",
    "set",
    "declare",
    "query_parameters",
    "alias",
    "restrict",
    "access",
    "to",
    "materialize",
    "view",
    "toscalar",
    "datatable",
    "print",
    "range",
    "from",
    "step",
    "with",
    "on",
    "$left",
    "$right",
    "mv-expand",
    "mv-apply",
    "make-series",
    "parse",
    "parse-kv",
    "scan",
    "declare",
    "fork",
    "facet",
    "find",
    "search",
    "union",
    "lookup",
    "top",
    "top-nested",
    "of",
    "render",
    "timechart",
    "evaluate",
    "invoke",
    "as",
    "count",
    "take",
    "1",
    "1.5",
    "1e3",
    "0x1F",
    "7d",
    "1.5h",
    "10ms",
    "'s'",
    "\"d\"",
    "@'v'",
    "h'x'",
    "```m```",
    "'unterminated",
    "datetime(2024-01-01)",
    "timespan(1d)",
    "guid(null)",
    "dynamic({\"a\":[1]})",
    "typeof(string)",
    "true",
    "false",
    "int(null)",
    "['q n']",
    "*",
    "+",
    "-",
    "/",
    "%",
    "<",
    ">",
    "and",
    "or",
    "not",
    "=>",
    "->",
    "-->",
    "--",
    "#connect",
    ".show",
    "//c\n",
    "\n",
    " ",
    "\t",
    "\n\n",
    "é",
    "\u{1F600}",
    "\0",
    "`",
    "\\",
    "graph-match",
    "make-graph",
    "partition",
];

fn token_soup() -> impl Strategy<Value = String> {
    prop::collection::vec(
        (
            prop::sample::select(VOCAB),
            prop::sample::select(&["", " ", "\n"][..]),
        ),
        0..60,
    )
    .prop_map(|parts| {
        let mut s = String::new();
        for (tok, sep) in parts {
            s.push_str(tok);
            s.push_str(sep);
        }
        s
    })
}

#[derive(Debug, Clone)]
enum Edit {
    InsertChar(prop::sample::Index, char),
    InsertToken(prop::sample::Index, &'static str),
    Delete(prop::sample::Index, usize),
    ReplaceChar(prop::sample::Index, char),
}

fn edit() -> impl Strategy<Value = Edit> {
    let interesting = prop::sample::select(
        &[
            '(',
            ')',
            '[',
            ']',
            '{',
            '}',
            '|',
            '\'',
            '"',
            '`',
            '@',
            '\\',
            ';',
            ',',
            '.',
            '=',
            '!',
            '~',
            '-',
            ' ',
            '\n',
            'x',
            '0',
            'é',
            '\u{10348}',
        ][..],
    );
    prop_oneof![
        (
            any::<prop::sample::Index>(),
            prop_oneof![interesting.clone(), any::<char>()]
        )
            .prop_map(|(i, c)| Edit::InsertChar(i, c)),
        (any::<prop::sample::Index>(), prop::sample::select(VOCAB))
            .prop_map(|(i, t)| Edit::InsertToken(i, t)),
        (any::<prop::sample::Index>(), 1usize..12).prop_map(|(i, n)| Edit::Delete(i, n)),
        (any::<prop::sample::Index>(), interesting).prop_map(|(i, c)| Edit::ReplaceChar(i, c)),
    ]
}

/// The char boundary at or before the index chosen within `0..=len`.
fn boundary(text: &str, i: &prop::sample::Index) -> usize {
    let mut pos = i.index(text.len() + 1);
    while !text.is_char_boundary(pos) {
        pos -= 1;
    }
    pos
}

fn apply(text: &mut String, e: &Edit) {
    match e {
        Edit::InsertChar(i, c) => {
            let at = boundary(text, i);
            text.insert(at, *c);
        }
        Edit::InsertToken(i, t) => {
            let at = boundary(text, i);
            text.insert_str(at, t);
        }
        Edit::Delete(i, n) => {
            let at = boundary(text, i);
            let mut end = (at + n).min(text.len());
            while !text.is_char_boundary(end) {
                end += 1;
            }
            text.replace_range(at..end, "");
        }
        Edit::ReplaceChar(i, c) => {
            let at = boundary(text, i);
            if let Some(old) = text[at..].chars().next() {
                text.replace_range(at..at + old.len_utf8(), &c.to_string());
            } else {
                text.push(*c);
            }
        }
    }
}

fn fixture_texts() -> Vec<String> {
    let mut all: Vec<String> = fixtures("ok").into_iter().map(|f| f.text).collect();
    all.extend(fixtures("err").into_iter().map(|f| f.text));
    all
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_strings(text in any::<String>()) {
        assert_invariants(&text)?;
    }

    #[test]
    fn arbitrary_bytes_lossy(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let text = String::from_utf8_lossy(&bytes);
        assert_invariants(&text)?;
    }

    #[test]
    fn kql_token_soup(text in token_soup()) {
        assert_invariants(&text)?;
    }

    #[test]
    fn mutated_fixtures(
        which in any::<prop::sample::Index>(),
        edits in prop::collection::vec(edit(), 1..8),
    ) {
        let texts = fixture_texts();
        let mut text = texts[which.index(texts.len())].clone();
        for e in &edits {
            apply(&mut text, e);
        }
        assert_invariants(&text)?;
    }
}
