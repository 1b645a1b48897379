//! Single-thread throughput of `format_text` (parse + layout + print + the token check) over every
//! `.kql` file of a folder, next to parsing alone for reference.
//!
//!     cargo bench -p kql-fmt                         # ../shared/corpus/valid when present
//!     KQL_BENCH_DIR=some/folder cargo bench -p kql-fmt
//!
//! Files with syntax errors are skipped (they are not formatted). Like the `kql` binary, the bench
//! runs on mimalloc.

#[path = "../tests/common/mod.rs"]
mod common;

use std::path::{Path, PathBuf};

use divan::counter::BytesCount;
use divan::{black_box, Bencher};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `KQL_BENCH_DIR`, else the measuring corpus beside the repository, else the crate's fixtures.
fn bench_dir() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = here.join("../../../shared/corpus/valid");
    kql_syntax::corpus::bench_dir(if corpus.is_dir() {
        corpus
    } else {
        here.join("tests/data")
    })
}

fn texts() -> Vec<String> {
    let dir = bench_dir();
    let texts: Vec<String> = common::kql_files(&dir)
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .filter(|t| !kql_syntax::parse(t).has_errors())
        .collect();
    // A relative KQL_BENCH_DIR resolves against this crate's folder, not the workspace root:
    // an empty set would silently measure nothing (0 B/s).
    assert!(
        !texts.is_empty(),
        "no valid .kql files in {} (use an absolute KQL_BENCH_DIR)",
        dir.display()
    );
    texts
}

/// Times `each` over every file, counting the bytes of all of them.
fn bench_each(bencher: Bencher, each: impl Fn(&str) + Sync) {
    let texts = texts();
    let bytes = BytesCount::new(texts.iter().map(String::len).sum::<usize>());
    bencher.counter(bytes).bench(|| {
        for t in &texts {
            each(black_box(t));
        }
    });
}

/// Parse and format every file (what `kql fmt` does per file, without the I/O).
#[divan::bench(sample_count = 30)]
fn parse_and_format(bencher: Bencher) {
    let options = kql_fmt::FormatOptions::default();
    bench_each(bencher, |t| {
        black_box(kql_fmt::format_text(t, &options).ok());
    });
}

/// Parsing alone, for reference: the formatter's own cost is the difference.
#[divan::bench(sample_count = 30)]
fn parse_only(bencher: Bencher) {
    bench_each(bencher, |t| {
        black_box(kql_syntax::parse(t));
    });
}

fn main() {
    divan::main();
}
