//! The fix harness over the measuring corpus: for every file of `../shared/corpus/valid` (beside
//! the repository, as in CI), applying every fix, unsafe ones included, until the text is stable
//! (as `kql lint --fix --unsafe-fixes` does) must not add a syntax or semantic diagnostic: those
//! after the fixes are a subset of those before, per file. Without the corpus the test has
//! nothing to check and says so.

use std::path::{Path, PathBuf};

use kql_lint::Settings;

mod support;
use support::{errors, fix_round, settings};

/// Applies every fix until the text is stable (10 rounds at most, as the CLI does).
fn fix_all(text: &str, settings: &Settings) -> String {
    let mut cur = text.to_string();
    for _ in 0..10 {
        match fix_round(&cur, settings) {
            Some(next) => cur = next,
            None => break,
        }
    }
    cur
}

/// One line per file whose fixes added a diagnostic.
fn broken_by_fixes(files: &[PathBuf], settings: &Settings) -> Vec<String> {
    let mut out = Vec::new();
    for path in files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let fixed = fix_all(&text, settings);
        if fixed == text {
            continue;
        }
        let before = errors(&text);
        let added: Vec<_> = errors(&fixed).difference(&before).cloned().collect();
        if !added.is_empty() {
            out.push(format!("{}: {added:?}", path.display()));
        }
    }
    out
}

#[test]
fn fixes_add_no_error_over_the_corpus() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/valid");
    // Every query file the CLI reads in a folder, sorted.
    let files = kql_syntax::corpus::files_with_extensions(&corpus, &["kql", "csl", "kusto"]);
    if files.is_empty() {
        eprintln!("no corpus at {}: nothing to check", corpus.display());
        return;
    }
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let chunk = files.len().div_ceil(threads);
    let settings = settings();
    let broken: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = files
            .chunks(chunk)
            .map(|part| s.spawn(|| broken_by_fixes(part, &settings)))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("no panic"))
            .collect()
    });
    eprintln!("fixes checked over {} corpus files", files.len());
    assert!(
        broken.is_empty(),
        "{} corpus files get a new error from the fixes:\n{}",
        broken.len(),
        broken.join("\n")
    );
}
