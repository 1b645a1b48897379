//! Stack safety on pathological inputs: each case parses, round-trips, walks and drops its tree
//! on a thread with the default 2 MiB stack. A stack overflow aborts the whole process, so every
//! case runs in a child process (this same test binary, re-run with `KQL_DEEP_CASE` set) and a
//! crash is reported as that one test failing.

#[path = "common/child_process.rs"]
mod child_process;
mod common;

use child_process::run_in_child_process;
use common::check_invariants;

const CASE_VAR: &str = "KQL_DEEP_CASE";

/// What the parse must report besides not crashing.
#[derive(Clone, Copy)]
enum Expect {
    /// At least one error.
    Error,
    /// Exactly one diagnostic, `KQL004` (nesting too deep), and nothing after it.
    OnlyTooDeep,
    /// No error: Microsoft's parser accepts the input (checked with the oracle).
    NoError,
    /// Only that it does not crash and round-trips.
    NoCrash,
}

/// Runs `make_text`'s input through the parser in a child process on a 2 MiB stack.
fn isolated(test_name: &str, make_text: fn() -> String, expect: Expect) {
    run_in_child_process(CASE_VAR, test_name, move || {
        let text = make_text();
        let parse = kql_syntax::parse(&text);
        if let Err(e) = check_invariants(&text, &parse) {
            panic!("{e}");
        }
        match expect {
            Expect::Error => assert!(parse.has_errors(), "expected a diagnostic"),
            Expect::NoError => assert!(
                !parse.has_errors(),
                "Microsoft's parser accepts this input; we report: {}",
                common::render_diagnostics(&parse.diagnostics()[..1])
            ),
            Expect::OnlyTooDeep => {
                let codes: Vec<&str> = parse
                    .diagnostics()
                    .iter()
                    .map(|d| d.code.as_str())
                    .collect();
                assert_eq!(codes, ["KQL004"]);
            }
            Expect::NoCrash => {}
        }
        let _ = kql_syntax::debug_tree(&parse.syntax());
        drop(parse);
    });
}

#[test]
fn deep_parens_give_a_diagnostic() {
    isolated(
        "deep_parens_give_a_diagnostic",
        || format!("print {}", "(".repeat(100_000)),
        Expect::OnlyTooDeep,
    );
}

#[test]
fn deep_balanced_parens() {
    isolated(
        "deep_balanced_parens",
        || format!("print {}1{}", "(".repeat(100_000), ")".repeat(100_000)),
        Expect::NoCrash,
    );
}

#[test]
fn deep_brackets() {
    isolated(
        "deep_brackets",
        || format!("print {}", "[".repeat(100_000)),
        Expect::Error,
    );
}

#[test]
fn deep_braces() {
    isolated(
        "deep_braces",
        || format!("print {}", "{".repeat(100_000)),
        Expect::Error,
    );
}

#[test]
fn deep_calls() {
    isolated(
        "deep_calls",
        || format!("print {}", "f(".repeat(50_000)),
        Expect::Error,
    );
}

#[test]
fn deep_not_calls() {
    isolated(
        "deep_not_calls",
        || format!("print {}1", "not(".repeat(30_000)),
        Expect::Error,
    );
}

/// `--` is one token (a graph edge), as in Microsoft's parser, so the signs are spaced.
/// (Microsoft's parser rejects `- - 1`, so only the absence of a crash is checked.)
#[test]
fn many_prefix_signs() {
    isolated(
        "many_prefix_signs",
        || format!("print {}1", "- ".repeat(100_000)),
        Expect::NoCrash,
    );
}

/// Unspaced `-` signs lex as `--` tokens: a long run of errors, still no crash.
#[test]
fn many_unspaced_minus() {
    isolated(
        "many_unspaced_minus",
        || format!("print {}1", "-".repeat(100_000)),
        Expect::Error,
    );
}

/// Microsoft's parser accepts a 10,000-operator pipeline: the operators of one pipeline are
/// siblings under one `PIPE_EXPR`, so length adds no depth.
#[test]
fn long_pipeline() {
    isolated(
        "long_pipeline",
        || format!("DeviceProcessEvents{}", "\n| where a".repeat(100_000)),
        Expect::NoError,
    );
}

/// A run of one binary operator is one `BIN_EXPR` with every operand: no depth either.
#[test]
fn long_plus_chain() {
    isolated(
        "long_plus_chain",
        || format!("print {}a", "a+".repeat(100_000)),
        Expect::NoError,
    );
}

#[test]
fn long_and_chain() {
    isolated(
        "long_and_chain",
        || format!("print {}a", "a and ".repeat(100_000)),
        Expect::NoError,
    );
}

#[test]
fn long_or_chain() {
    isolated(
        "long_or_chain",
        || format!("print {}a", "a or ".repeat(100_000)),
        Expect::NoError,
    );
}

/// Alternating operators nest (each change of operator is a level): the tree-depth limit still
/// applies to them.
#[test]
fn long_alternating_chain() {
    isolated(
        "long_alternating_chain",
        || format!("print {}a", "a+a-".repeat(50_000)),
        Expect::Error,
    );
}

#[test]
fn long_member_chain() {
    isolated(
        "long_member_chain",
        || format!("print a{}", ".b".repeat(50_000)),
        Expect::NoCrash,
    );
}

#[test]
fn many_statements() {
    isolated(
        "many_statements",
        || "let a = 1;\n".repeat(20_000) + "print a",
        Expect::NoError,
    );
}
