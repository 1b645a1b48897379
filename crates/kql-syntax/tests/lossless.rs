//! The tree's text equals the input, byte for byte: over the project's fixtures always, and over
//! the real-world corpus (`../shared/corpus` beside the checkout, or `KQL_CORPUS=DIR`) when it is
//! there. Both modes (whole text and blocks) are checked.

mod common;

use std::path::{Path, PathBuf};

use common::{check_invariants, fixtures};

fn check_text(label: &str, text: &str, failures: &mut Vec<String>) {
    let parse = kql_syntax::parse(text);
    if let Err(e) = check_invariants(text, &parse) {
        failures.push(format!("{label}: {e}"));
    }
    let blocks = kql_syntax::parse_blocks(text);
    if let Err(e) = check_invariants(text, &blocks) {
        failures.push(format!("{label} (blocks): {e}"));
    }
}

#[test]
fn fixtures_round_trip() {
    let mut failures = Vec::new();
    let mut count = 0;
    for sub in ["ok", "err"] {
        for f in fixtures(sub) {
            count += 1;
            check_text(&format!("{sub}/{}", f.name), &f.text, &mut failures);
        }
    }
    assert!(count > 0);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `KQL_CORPUS`, else `<workspace>/../shared/corpus`.
fn corpus_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("KQL_CORPUS") {
        return Some(PathBuf::from(dir));
    }
    let beside = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    beside.is_dir().then_some(beside)
}

#[test]
fn corpus_round_trips() {
    let Some(dir) = corpus_dir() else {
        println!("note: no corpus (set KQL_CORPUS or place ../shared/corpus beside the checkout); skipped");
        return;
    };
    assert!(
        dir.is_dir(),
        "KQL_CORPUS={} is not a directory",
        dir.display()
    );
    let files = kql_syntax::corpus::kql_files(&dir);
    let mut failures = Vec::new();
    let mut bytes = 0usize;
    for path in &files {
        let raw = std::fs::read(path).unwrap();
        bytes += raw.len();
        // Corpus files are UTF-8; lossy decoding keeps the check total if one is not.
        let text = String::from_utf8_lossy(&raw);
        check_text(&path.display().to_string(), &text, &mut failures);
    }
    println!(
        "corpus {}: {} files, {} bytes, {} failures",
        dir.display(),
        files.len(),
        bytes,
        failures.len()
    );
    assert!(!files.is_empty(), "no .kql files under {}", dir.display());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
