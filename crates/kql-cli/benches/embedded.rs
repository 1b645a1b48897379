//! `kql lint` over a detection repository: 2,000 Sentinel-style analytic rules in YAML (each
//! query in a `query: |` block, with a `queryPeriod`) against the same 2,000 queries as `.kql`
//! files. Target: the YAML folder within 2x the time of the `.kql` folder.
//!
//!     KQL_BENCH_DIR=/abs/path/to/shared/corpus/valid cargo bench -p kql-cli --bench embedded
//!
//! The two folders are generated into a temporary folder from the first 2,000 `.kql` files under
//! `KQL_BENCH_DIR` (sorted; cycled if there are fewer). Each iteration is what `kql lint FOLDER`
//! does, minus the terminal: walk the folder, read the files, resolve settings, lint every file in
//! parallel (host files through extraction and position mapping), and render the `concise`
//! format into memory.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use kql_cli::analysis::{lint_input, LintJob};
use kql_cli::files::{collect, Discovery};
use kql_cli::render::{write_reports, Options};
use kql_cli::settings::Resolver;
use kql_cli::{FileReport, Format};
use kql_lint::Settings;
use rayon::prelude::*;

/// Trees are one allocation per node and token: measure with the allocator `kql` uses.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const FILES: usize = 2_000;

/// The generated repository (removed when the benchmarks end).
static REPO: OnceLock<PathBuf> = OnceLock::new();

fn main() {
    divan::main();
    if let Some(root) = REPO.get() {
        let _ = std::fs::remove_dir_all(root);
    }
}

/// The corpus queries, sorted by path.
fn corpus() -> Vec<String> {
    let dir = std::env::var_os("KQL_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/valid")
        });
    let mut paths = Vec::new();
    let mut stack = vec![dir.clone()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "kql") {
                paths.push(p);
            }
        }
    }
    paths.sort();
    let queries: Vec<String> = paths
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect();
    assert!(
        !queries.is_empty(),
        "no .kql files under {} (set KQL_BENCH_DIR to an absolute path)",
        dir.display()
    );
    queries
}

/// `query` as a Sentinel analytic rule: metadata, then a literal block indented by two spaces
/// (an indentation indicator when the query starts with spaces; `|+` keeps trailing newlines).
fn rule_yaml(i: usize, query: &str) -> String {
    let spaced = query
        .lines()
        .find(|l| !l.trim().is_empty())
        .is_some_and(|l| l.starts_with([' ', '\t']));
    let mut out = format!(
        "id: 00000000-0000-4000-8000-{i:012}\nname: Generated rule {i}\nseverity: Medium\n\
         queryFrequency: 1h\nqueryPeriod: 1d\ntriggerOperator: gt\ntriggerThreshold: 0\n\
         query: |{}\n",
        if spaced { "2" } else { "" }
    );
    for line in query.lines() {
        if !line.trim().is_empty() {
            out.push_str("  ");
            out.push_str(line);
        }
        out.push('\n');
    }
    out.push_str("kind: Scheduled\n");
    out
}

/// The generated repository: `kql/` and `yaml/`, each with one file a query.
fn repo() -> &'static Path {
    REPO.get_or_init(|| {
        let queries = corpus();
        let root = std::env::temp_dir().join(format!("kql-bench-embedded-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        for sub in ["kql", "yaml"] {
            std::fs::create_dir_all(root.join(sub)).expect("bench folder");
        }
        for i in 0..FILES {
            let q = &queries[i % queries.len()];
            std::fs::write(root.join(format!("kql/rule_{i:04}.kql")), q).expect("write");
            std::fs::write(root.join(format!("yaml/rule_{i:04}.yaml")), rule_yaml(i, q))
                .expect("write");
        }
        root
    })
}

/// What `kql lint --output-format concise DIR` does, output into memory; returns its size.
fn lint_folder(dir: &Path) -> usize {
    let discovery = Discovery {
        respect_gitignore: true,
        stdin_filename: None,
        config: None,
        embedded: true,
    };
    let paths = [dir.to_string_lossy().into_owned()];
    let inputs = collect(&paths, &discovery, &mut |_| {}).expect("inputs");
    assert_eq!(inputs.len(), FILES);
    let base = Settings::at_unix_ticks(0).expect("now");
    let resolver = Resolver::new(None, base, Default::default()).expect("settings");
    let schema = kql_schema::Schema::advanced_hunting();
    let reports: Vec<FileReport> = inputs
        .into_par_iter()
        .filter_map(|input| {
            let (settings, _) = resolver.settings_for(&input.anchor).expect("settings");
            let opts = resolver.embed_options_for(&input).expect("options");
            let job = LintJob {
                blocks: false,
                settings: &settings,
                schema,
                fix: None,
                relint: false,
            };
            let outcome = lint_input(&input, &opts, &job)?;
            Some(FileReport::new(input, outcome.diagnostics))
        })
        .collect();
    assert_eq!(reports.len(), FILES, "every rule file holds a query");
    let options = Options {
        format: Format::Concise,
        colour: false,
        summary: true,
    };
    let mut out = Vec::new();
    write_reports(&reports, &options, &mut out).expect("render");
    out.len()
}

#[divan::bench(args = ["kql", "yaml"], sample_count = 10, sample_size = 1)]
fn lint_2000_files(bencher: divan::Bencher, kind: &str) {
    let dir = repo().join(kind);
    bencher.bench_local(|| lint_folder(&dir));
}
