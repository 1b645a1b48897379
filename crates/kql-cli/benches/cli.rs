//! Benchmarks that catch the `kql` command going superlinear:
//! * rendering 4,000 findings in a 1 MB file in the full format (and one finding spanning the
//!   whole file), which must stay linear in the file plus the findings;
//! * `lint --blocks` over 1 MB and 4 MB of blank-line-separated queries: the 4 MB run should take
//!   about four times as long as the 1 MB one, not sixteen.
//!
//! Run with `cargo bench -p kql-cli --bench cli`.

use kql_cli::analysis::lint_file;
use kql_cli::files::decode;
use kql_cli::render::{write_reports, Options};
use kql_cli::{FileReport, Format};
use kql_diagnostics::{Diagnostic, TextRange, TextSize};

fn main() {
    divan::main();
}

const QUERY: &str = "// Failed logons per account over a week.\nDeviceLogonEvents\n| where Timestamp > ago(90d)\n| where ActionType == \"LogonFailed\"\n| summarize Failures = count() by AccountName\n";

/// About `bytes` of queries separated by blank lines.
fn queries(bytes: usize) -> String {
    let mut text = String::with_capacity(bytes + QUERY.len());
    while text.len() < bytes {
        text.push_str(QUERY);
        text.push('\n');
    }
    text
}

fn report(text: String, diagnostics: Vec<Diagnostic>) -> FileReport {
    FileReport::new(decode(text.into_bytes(), "big.kql".into()), diagnostics)
}

/// The full format of `report`, as bytes.
fn render_full(report: &[FileReport]) -> Vec<u8> {
    let options = Options {
        format: Format::Full,
        colour: false,
        summary: true,
    };
    let mut out = Vec::new();
    write_reports(report, &options, &mut out).expect("render");
    out
}

#[divan::bench]
fn render_4000_findings_in_1mb(bencher: divan::Bencher) {
    let text = queries(1_000_000);
    let step = text.len() / 4000;
    let diagnostics: Vec<Diagnostic> = (0..4000)
        .map(|i| {
            let at = TextSize::from((i * step) as u32);
            Diagnostic::warning("AH001", "finding", TextRange::at(at, 5.into())).with_rule("rule")
        })
        .collect();
    let r = vec![report(text, diagnostics)];
    bencher.bench_local(|| render_full(&r).len());
}

#[divan::bench]
fn render_one_finding_over_a_1mb_file(bencher: divan::Bencher) {
    let text = queries(1_000_000);
    let all = TextRange::up_to(TextSize::from(text.len() as u32));
    let r = vec![report(
        text,
        vec![Diagnostic::error("KQL002", "unclosed", all)],
    )];
    bencher.bench_local(|| {
        let out = render_full(&r);
        assert!(out.len() < 10_000, "a multi-line span is capped");
        out.len()
    });
}

#[divan::bench(args = [1_000_000, 4_000_000])]
fn lint_blocks(bencher: divan::Bencher, bytes: usize) {
    let text = queries(bytes);
    let settings = kql_lint::Settings::at_unix_ticks(0).expect("now within years 1..=9999");
    let schema = kql_schema::Schema::advanced_hunting();
    bencher.bench_local(|| lint_file(&text, true, &settings, schema).len());
}
