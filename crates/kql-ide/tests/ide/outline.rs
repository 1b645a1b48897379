//! Document symbols, folding ranges, selection ranges.

use kql_ide::{Analysis, DocumentSymbol, IdeConfig};

use crate::fixture::{config, cursor, mark};

fn symbols(text: &str, cfg: &IdeConfig) -> String {
    fn walk(out: &mut String, text: &str, syms: &[DocumentSymbol], depth: usize) {
        for s in syms {
            out.push_str(&format!(
                "{:indent$}{:?} {} ({}) sel={:?}\n",
                "",
                s.kind,
                s.name,
                s.detail.as_deref().unwrap_or("-"),
                &text[s.selection_range],
                indent = depth * 2
            ));
            walk(out, text, &s.children, depth + 1);
        }
    }
    let a = Analysis::new(text, cfg);
    let mut out = String::new();
    walk(&mut out, text, &a.document_symbols(), 0);
    out
}

const QUERY: &str = "// Hunting query
// two lines of comments
let lookback = 7d;
let f = (n:long, s:string = \"x\") {
    print n
};
DeviceProcessEvents
| where Timestamp > ago(lookback)
| extend Cmd = tolower(ProcessCommandLine)
| summarize Count = count() by DeviceName
| take 10";

#[test]
fn document_symbols() {
    insta::assert_snapshot!(symbols(QUERY, &config()));
}

#[test]
fn document_symbols_in_blocks_mode() {
    let cfg = IdeConfig {
        blocks: true,
        ..config()
    };
    insta::assert_snapshot!(symbols("DeviceInfo | take 1\n\nlet x = 1;\nprint x", &cfg));
}

#[test]
fn folding_ranges() {
    let a = Analysis::new(QUERY, &config());
    let folds: Vec<String> = a
        .folding_ranges()
        .iter()
        .map(|f| format!("{:?}: {:?}", f.kind, &QUERY[f.range]))
        .collect();
    insta::assert_snapshot!(folds.join("\n"));
}

#[test]
fn selection_ranges_grow_outwards() {
    let (a, at) =
        cursor("DeviceInfo\n| where OSPlatform == \"Windows$010\" and IsAzureADJoined\n| take 1");
    let ranges = a.selection_ranges(at);
    for w in ranges.windows(2) {
        assert!(w[1].contains_range(w[0]) && w[1] != w[0], "{ranges:?}");
    }
    let steps: Vec<String> = ranges.iter().map(|r| mark(a.text(), &[*r])).collect();
    insta::assert_snapshot!(steps.join("\n---\n"));
}

#[test]
fn formatting_goes_through_kql_fmt() {
    let text = "DeviceInfo|where Timestamp>ago(1d)|take 1";
    let a = Analysis::new(text, &config());
    let edits = a.format().expect("formats");
    let (after, _) = kql_diagnostics::apply_edits(text, &edits);
    assert_eq!(
        after,
        kql_fmt::format_text(text, &Default::default()).unwrap()
    );
    let formatted = Analysis::new(&after, &config());
    assert_eq!(
        formatted.format(),
        Ok(Vec::new()),
        "formatted text needs no edits"
    );
    assert!(Analysis::new("DeviceInfo | where (", &config())
        .format()
        .is_err());
}
