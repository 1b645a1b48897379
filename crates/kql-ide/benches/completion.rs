//! Completion latency on a 5,000-line document (target: < 10 ms), and for reference the cost
//! of analysing that document.

use kql_ide::{Analysis, IdeConfig, TextSize};

fn main() {
    divan::main();
}

/// The benchmarked document and its two completion points.
struct Document {
    text: String,
    /// After the final `| where `.
    end: TextSize,
    /// After the `| where ` of `q500`, in the middle of the document.
    middle: TextSize,
}

/// 1,000 five-line `let` pipelines, then a query ending in `| where ` (5,003 lines).
fn document() -> Document {
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
    Document {
        text,
        end,
        middle: TextSize::from(middle as u32),
    }
}

/// Times completion at the point `at` picks, after checking that it offers `expected` there.
fn bench_completion(bencher: divan::Bencher, at: fn(&Document) -> TextSize, expected: &str) {
    let doc = document();
    let at = at(&doc);
    let analysis = Analysis::new(&doc.text, &IdeConfig::default());
    let items = analysis.completions(at, true);
    assert!(items.iter().any(|i| i.label == expected), "{expected}");
    bencher.bench_local(|| analysis.completions(divan::black_box(at), true));
}

#[divan::bench]
fn completion_at_end(bencher: divan::Bencher) {
    bench_completion(bencher, |d| d.end, "OSPlatform");
}

#[divan::bench]
fn completion_in_the_middle(bencher: divan::Bencher) {
    bench_completion(bencher, |d| d.middle, "FileName");
}

#[divan::bench(sample_count = 10)]
fn analysis_of_the_document(bencher: divan::Bencher) {
    let text = document().text;
    bencher.bench_local(|| Analysis::new(divan::black_box(&text), &IdeConfig::default()));
}
