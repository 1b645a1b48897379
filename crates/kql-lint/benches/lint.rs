//! Single-thread throughput of the analysis stages over every `.kql` file in a folder:
//! parse + analyze (the semantic binder) and parse + analyze + lint, plus lint alone.
//!
//!     KQL_BENCH_DIR=../shared/corpus/valid cargo bench -p kql-lint
//!
//! The folder defaults to the linter's own fixtures. Like the `kql` binary, the bench runs on
//! mimalloc (trees are one allocation per node and token).

use std::path::{Path, PathBuf};

use divan::counter::BytesCount;
use divan::{black_box, Bencher};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn bench_dir() -> PathBuf {
    kql_syntax::corpus::bench_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures"))
}

fn texts() -> Vec<String> {
    kql_syntax::corpus::kql_texts(&bench_dir())
}

fn settings() -> kql_lint::Settings {
    kql_lint::Settings::at_unix_ticks(
        kql_semantic::fold::parse_datetime("2026-11-27T00:00:00Z").expect("valid datetime"),
    )
    .expect("now within years 1..=9999")
}

fn bytes(texts: &[String]) -> BytesCount {
    BytesCount::new(texts.iter().map(String::len).sum::<usize>())
}

/// Parse and analyze every file. The trees and models are returned, so divan drops them after
/// the sample is timed (as in kql-syntax's `parse` bench): this is the cost of producing them.
#[divan::bench(sample_count = 50)]
fn parse_analyze(bencher: Bencher) {
    let texts = texts();
    let schema = kql_schema::Schema::advanced_hunting();
    bencher.counter(bytes(&texts)).bench(|| {
        texts
            .iter()
            .map(|t| {
                let parse = kql_syntax::parse(black_box(t));
                let model = kql_semantic::analyze(&parse, schema);
                (parse, model)
            })
            .collect::<Vec<_>>()
    });
}

/// What the CLI's `kql lint` computes for a file: its tree, semantic model and findings.
type Linted = (
    kql_syntax::Parse,
    kql_semantic::Model,
    Vec<kql_diagnostics::Diagnostic>,
);

/// Parse, analyze and lint one text.
fn parse_analyze_lint_one(text: &str, settings: &kql_lint::Settings) -> Linted {
    let parse = kql_syntax::parse(black_box(text));
    let schema = kql_schema::Schema::advanced_hunting();
    let model = kql_semantic::analyze(&parse, schema);
    // The rules read the model built once, as `kql lint` does (`check_and_lint`).
    let findings = kql_lint::lint_with_model(text, &parse, settings, schema, &model);
    (parse, model, findings)
}

/// [`parse_analyze_lint_one`] of every text, one item a file.
fn parse_analyze_lint_each<'a>(
    texts: &'a [String],
    settings: &'a kql_lint::Settings,
) -> impl Iterator<Item = Linted> + 'a {
    texts.iter().map(|t| parse_analyze_lint_one(t, settings))
}

/// Parse, analyze and lint every file (trees, models and findings dropped after timing).
#[divan::bench(sample_count = 50)]
fn parse_analyze_lint(bencher: Bencher) {
    let texts = texts();
    let s = settings();
    bencher
        .counter(bytes(&texts))
        .bench(|| parse_analyze_lint_each(&texts, &s).collect::<Vec<_>>());
}

/// `parse_analyze_lint` with everything dropped inside the timed loop, for comparison.
#[divan::bench(sample_count = 50)]
fn parse_analyze_lint_and_drop(bencher: Bencher) {
    let texts = texts();
    let s = settings();
    bencher.counter(bytes(&texts)).bench(|| {
        parse_analyze_lint_each(&texts, &s)
            .map(|(_, _, findings)| findings.len())
            .sum::<usize>()
    });
}

/// The rules alone, over trees and models built before timing.
#[divan::bench(sample_count = 50)]
fn lint_only(bencher: Bencher) {
    bench_rules(bencher, &settings());
}

/// Times the rules under `s` over every file, with the trees and models built before timing.
fn bench_rules(bencher: Bencher, s: &kql_lint::Settings) {
    let texts = texts();
    let schema = kql_schema::Schema::advanced_hunting();
    let parses: Vec<_> = texts.iter().map(|t| kql_syntax::parse(t)).collect();
    let models: Vec<_> = parses
        .iter()
        .map(|p| kql_semantic::analyze(p, schema))
        .collect();
    // `bench_local`: models hold `Rc`s, so the closure is not `Sync`.
    bencher.counter(bytes(&texts)).bench_local(|| {
        texts
            .iter()
            .zip(&parses)
            .zip(&models)
            .map(|((t, p), m)| kql_lint::lint_with_model(t, p, s, schema, m).len())
            .sum::<usize>()
    });
}

/// The rules that existed at 1cc24ef (before the one-model work), by code: `lint_only` with
/// only these is the like-for-like comparison with that commit's `lint_only` (issue #9).
const RULES_AT_1CC24EF: [&str; 15] = [
    "AH001", "AH002", "AH003", "AH004", "AH101", "AH102", "AH103", "AH104", "AH105", "AH106",
    "AH107", "AH108", "AH109", "AH110", "AH900",
];

/// `lint_only` with only [`RULES_AT_1CC24EF`] selected.
#[divan::bench(sample_count = 50)]
fn lint_only_old_rules(bencher: Bencher) {
    let mut s = settings();
    let select: Vec<String> = RULES_AT_1CC24EF.iter().map(|c| c.to_string()).collect();
    s.apply_selection(Some(&select), &[], &Default::default());
    bench_rules(bencher, &s);
}

fn main() {
    eprintln!("kql-lint bench over {}", bench_dir().display());
    divan::main();
}
