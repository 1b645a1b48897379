//! Random incremental edits (insertions, deletions, replacements at random UTF-16 positions,
//! with emoji, CRLF and lone CR) through the service: after each edit the server's text equals
//! the edits applied to a plain UTF-16 buffer, and the diagnostics it publishes for that version
//! equal a fresh `kql lint` (check_and_lint) of that text.

mod support;

use proptest::prelude::*;
use serde_json::{json, Value};
use support::TestClient;

const URI: &str = "file:///work/prop.kql";
const START: &str = "let x = \"😀\";\r\nDeviceEvents\r\n| where Timestamp > ago(45d)\n| take 10";
const PIECES: &[&str] = &[
    "",
    "a",
    "😀",
    "é",
    "\r\n",
    "\n",
    "\r",
    " ",
    "| where ",
    "ago(45d)",
    "DeviceEvents",
    "(",
    "\"",
    "// c\n",
    "| summarize count() by DeviceName",
    "let y = 1;",
];

/// One edit: two fractions of the text (start, length) and what to insert.
#[derive(Debug, Clone)]
struct Edit {
    at: f64,
    len: f64,
    piece: usize,
}

fn edit() -> impl Strategy<Value = Edit> {
    (
        0.0..=1.0f64,
        prop_oneof![Just(0.0), 0.0..0.2f64],
        0..PIECES.len(),
    )
        .prop_map(|(at, len, piece)| Edit { at, len, piece })
}

/// A UTF-16 offset moved off the middle of a surrogate pair and of a CRLF.
fn snap(units: &[u16], mut off: usize) -> usize {
    off = off.min(units.len());
    while off > 0
        && off < units.len()
        && ((0xDC00..0xE000).contains(&units[off]) || (units[off - 1] == 13 && units[off] == 10))
    {
        off -= 1;
    }
    off
}

/// LSP line and character of a UTF-16 offset (lines end at LF, CRLF or a lone CR).
fn position(units: &[u16], off: usize) -> Value {
    let off = snap(units, off);
    let (mut line, mut col) = (0u32, 0u32);
    let mut i = 0;
    while i < off {
        match units[i] {
            10 => (line, col) = (line + 1, 0),
            13 if units.get(i + 1) != Some(&10) => (line, col) = (line + 1, 0),
            13 => {}
            _ => col += 1,
        }
        i += 1;
    }
    json!({"line": line, "character": col})
}

/// The diagnostics `kql lint` gives `text`, as (code, message, range) in UTF-16 positions.
fn fresh_lint(text: &str) -> Vec<(String, String, Value)> {
    let report = support::lint(text);
    let units: Vec<u16> = text.encode_utf16().collect();
    let utf16 = |byte: u32| text[..byte as usize].encode_utf16().count();
    report
        .diagnostics
        .iter()
        .map(|d| {
            let range = json!({
                "start": position(&units, utf16(d.range.start().into())),
                "end": position(&units, utf16(d.range.end().into())),
            });
            (d.code.clone(), d.message.clone(), range)
        })
        .collect()
}

fn published(diags: &[Value]) -> Vec<(String, String, Value)> {
    diags
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["message"].as_str().unwrap().to_string(),
                d["range"].clone(),
            )
        })
        .collect()
}

async fn run(edits: Vec<Edit>) {
    let mut c = TestClient::start(TestClient::options()).await;
    c.open(URI, START).await;
    assert_eq!(published(&c.diagnostics(URI, 1).await), fresh_lint(START));
    let mut units: Vec<u16> = START.encode_utf16().collect();
    for (i, e) in edits.iter().enumerate() {
        let version = i as i64 + 2;
        let start = snap(&units, (e.at * units.len() as f64) as usize);
        let end = snap(&units, start + (e.len * units.len() as f64) as usize).max(start);
        let piece: Vec<u16> = PIECES[e.piece].encode_utf16().collect();
        let range = json!({"start": position(&units, start), "end": position(&units, end)});
        units.splice(start..end, piece);
        let change = json!({
            "textDocument": {"uri": URI, "version": version},
            "contentChanges": [{"range": range, "text": PIECES[e.piece]}]
        });
        c.notify("textDocument/didChange", change).await;
        let expected = String::from_utf16(&units).unwrap();
        let held = c
            .service
            .inner()
            .document_text(&URI.parse().unwrap())
            .unwrap();
        assert_eq!(held, expected, "text after edit {i}: {e:?}");
        let diags = c.diagnostics(URI, version).await;
        assert_eq!(
            published(&diags),
            fresh_lint(&expected),
            "diagnostics of {expected:?}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn random_edits_keep_text_and_diagnostics_in_sync(edits in prop::collection::vec(edit(), 1..12)) {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap()
            .block_on(run(edits));
    }
}
