//! Completion latency on a 5,000-line document (target: < 10 ms), and for reference the cost
//! of analysing that document.

use kql_ide::{Analysis, IdeConfig, TextSize};

fn main() {
    divan::main();
}

/// 1,000 five-line `let` pipelines, then a query ending in `| where ` (5,003 lines).
fn document() -> (String, TextSize, TextSize) {
    let mut text = String::new();
    let mut middle = 0;
    for i in 0..1000 {
        if i == 500 {
            middle = text.len() + "let q500 = DeviceProcessEvents\n    | where ".len();
        }
        text.push_str(&format!(
            "let q{i} = DeviceProcessEvents\n    | where Timestamp > ago({d}d) and FileName =~ \"f{i}.exe\"\n    | extend Cmd{i} = tolower(ProcessCommandLine)\n    | summarize Count = count() by DeviceName, Cmd{i}\n    | where Count > {i};\n",
            d = i % 30 + 1
        ));
    }
    text.push_str("q999\n| join kind=inner (DeviceInfo | project DeviceName, OSPlatform) on DeviceName\n| where ");
    let end = TextSize::of(text.as_str());
    (text, end, TextSize::from(middle as u32))
}

#[divan::bench]
fn completion_at_end(bencher: divan::Bencher) {
    let (text, end, _) = document();
    let analysis = Analysis::new(&text, &IdeConfig::default());
    assert!(analysis
        .completions(end, true)
        .iter()
        .any(|i| i.label == "OSPlatform"));
    bencher.bench_local(|| analysis.completions(divan::black_box(end), true));
}

#[divan::bench]
fn completion_in_the_middle(bencher: divan::Bencher) {
    let (text, _, middle) = document();
    let analysis = Analysis::new(&text, &IdeConfig::default());
    assert!(analysis
        .completions(middle, true)
        .iter()
        .any(|i| i.label == "FileName"));
    bencher.bench_local(|| analysis.completions(divan::black_box(middle), true));
}

#[divan::bench(sample_count = 10)]
fn analysis_of_the_document(bencher: divan::Bencher) {
    let (text, _, _) = document();
    bencher.bench_local(|| Analysis::new(divan::black_box(&text), &IdeConfig::default()));
}
