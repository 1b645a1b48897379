//! Lexing and parsing throughput over every `.kql` file in a folder (recursively).
//!
//!     KQL_BENCH_DIR=../shared/corpus/valid cargo bench -p kql-syntax
//!
//! The folder defaults to the crate's own fixtures (`tests/data`). Each iteration processes every
//! file once; divan reports bytes per second. Like the `kql` binary, the bench runs on mimalloc:
//! a rowan tree is one allocation per node and token, so the allocator is part of the cost.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use divan::counter::BytesCount;
use divan::{black_box, Bencher};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let files = texts();
    let bytes: usize = files.iter().map(String::len).sum();
    eprintln!(
        "kql-syntax bench: {} files, {} bytes from {}",
        files.len(),
        bytes,
        bench_dir().display()
    );
    divan::main();
}

fn bench_dir() -> PathBuf {
    kql_syntax::corpus::bench_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data"))
}

/// Every `.kql` file under the bench folder, read once.
fn texts() -> &'static [String] {
    static TEXTS: OnceLock<Vec<String>> = OnceLock::new();
    TEXTS.get_or_init(|| {
        let paths = kql_syntax::corpus::kql_files(&bench_dir());
        assert!(
            !paths.is_empty(),
            "no .kql files under {}",
            bench_dir().display()
        );
        paths
            .iter()
            .map(|p| String::from_utf8_lossy(&std::fs::read(p).unwrap()).into_owned())
            .collect()
    })
}

fn total_bytes() -> BytesCount {
    BytesCount::new(texts().iter().map(String::len).sum::<usize>())
}

/// Times `each` over every file (what it makes is dropped inside the timed loop).
fn bench_each(bencher: Bencher, each: impl Fn(&str) + Sync) {
    let files = texts();
    bencher.counter(total_bytes()).bench(|| {
        for text in files {
            each(black_box(text));
        }
    });
}

/// Times `each` over every file, its results returned, so divan drops them after the sample is
/// timed: this is the cost of producing them.
fn bench_kept<T: Send>(bencher: Bencher, each: impl Fn(&str) -> T + Sync) {
    let files = texts();
    bencher.counter(total_bytes()).bench(|| {
        files
            .iter()
            .map(|text| each(black_box(text)))
            .collect::<Vec<_>>()
    });
}

/// The nom lexer alone: text to tokens (trivia included).
#[divan::bench]
fn lex(bencher: Bencher) {
    bench_each(bencher, |text| {
        black_box(kql_syntax::lexer::tokenize(text));
    });
}

/// Lexing, parsing and building the lossless rowan tree, diagnostics included (trees kept, see
/// [`bench_kept`]).
#[divan::bench]
fn parse(bencher: Bencher) {
    bench_kept(bencher, kql_syntax::parse);
}

/// `parse` with the trees dropped inside the timed loop (a rowan tree frees one allocation per
/// node and token), for comparison.
#[divan::bench]
fn parse_and_drop(bencher: Bencher) {
    bench_each(bencher, |text| {
        black_box(kql_syntax::parse(text));
    });
}

/// Blocks mode: split at blank lines, then parse each block.
#[divan::bench]
fn parse_blocks(bencher: Bencher) {
    bench_kept(bencher, kql_syntax::parse_blocks);
}

/// The floor for any parser that produces this rowan tree: rebuilding each corpus tree node by
/// node from an already-built one, with every token shared (no lexing, no grammar, no token
/// allocation). Whatever `parse` costs above this is ours.
#[divan::bench]
fn rowan_rebuild_floor(bencher: Bencher) {
    use rowan::{GreenNode, NodeOrToken};

    fn rebuild(node: &rowan::GreenNodeData) -> GreenNode {
        GreenNode::new(
            node.kind(),
            node.children().map(|child| match child {
                NodeOrToken::Node(n) => NodeOrToken::Node(rebuild(n)),
                NodeOrToken::Token(t) => NodeOrToken::Token(t.to_owned()),
            }),
        )
    }

    let trees: Vec<GreenNode> = texts()
        .iter()
        .map(|text| kql_syntax::parse(text).green().clone())
        .collect();
    bencher
        .counter(total_bytes())
        .bench(|| trees.iter().map(|t| rebuild(t)).collect::<Vec<_>>());
}
