//! Throughput of parse + analyze + lint over the shared corpus (single thread).
//! Run: `cargo bench -p kql-lint` (skips when ../shared/corpus/valid is absent).

use divan::counter::BytesCount;
use divan::Bencher;

fn corpus() -> Vec<String> {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/valid");
    let mut out = Vec::new();
    let mut stack = vec![std::path::PathBuf::from(root)];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "kql") {
                if let Ok(t) = std::fs::read_to_string(&p) {
                    out.push(t);
                }
            }
        }
    }
    out
}

fn settings() -> kql_lint::Settings {
    kql_lint::Settings::new(kql_semantic::fold::parse_datetime("2026-11-27T00:00:00Z").unwrap())
}

#[divan::bench(sample_count = 10)]
fn parse_analyze_lint(bencher: Bencher) {
    let texts = corpus();
    let bytes: usize = texts.iter().map(String::len).sum();
    let s = settings();
    let schema = kql_schema::Schema::advanced_hunting();
    bencher.counter(BytesCount::new(bytes)).bench(|| {
        let mut n = 0;
        for t in &texts {
            let parse = kql_syntax::parse(t);
            n += kql_semantic::analyze(&parse, schema).diagnostics().len();
            n += kql_lint::lint(t, &parse, &s).len();
        }
        n
    });
}

#[divan::bench(sample_count = 10)]
fn lint_only(bencher: Bencher) {
    let texts = corpus();
    let bytes: usize = texts.iter().map(String::len).sum();
    let s = settings();
    let parses: Vec<_> = texts.iter().map(|t| kql_syntax::parse(t)).collect();
    bencher.counter(BytesCount::new(bytes)).bench(|| {
        texts
            .iter()
            .zip(&parses)
            .map(|(t, p)| kql_lint::lint(t, p, &s).len())
            .sum::<usize>()
    });
}

fn main() {
    divan::main();
}
