//! Fixtures: text with a `$0` cursor marker, a fixed "now", and renderers for snapshots.

use kql_ide::{Analysis, IdeConfig, TextRange, TextSize};

/// 2024-10-04T00:00:00Z, so time windows in snapshots do not move.
pub const NOW: i64 = 20_000 * kql_semantic::fold::TICKS_PER_DAY;

pub fn config() -> IdeConfig {
    IdeConfig {
        lint: kql_lint::Settings::at_unix_ticks(NOW).expect("now within years 1..=9999"),
        ..IdeConfig::default()
    }
}

/// The analysis of `fixture` without its `$0`, and the cursor offset.
pub fn cursor(fixture: &str) -> (Analysis, TextSize) {
    cursor_with(fixture, &config())
}

pub fn cursor_with(fixture: &str, config: &IdeConfig) -> (Analysis, TextSize) {
    let at = fixture.find("$0").expect("fixture has a $0 cursor");
    let text = fixture.replacen("$0", "", 1);
    (Analysis::new(&text, config), TextSize::from(at as u32))
}

/// `text` with each range wrapped in `«…»` (ranges sorted and non-overlapping).
pub fn mark(text: &str, ranges: &[TextRange]) -> String {
    let mut ranges = ranges.to_vec();
    ranges.sort_by_key(|r| (r.start(), r.end()));
    let mut out = String::new();
    let mut pos = 0usize;
    for r in ranges {
        let (s, e) = (usize::from(r.start()), usize::from(r.end()));
        out.push_str(&text[pos..s]);
        out.push('«');
        out.push_str(&text[s..e]);
        out.push('»');
        pos = e;
    }
    out.push_str(&text[pos..]);
    out
}

/// Snapshots `render(fixture)` of every `(name, fixture)` case under its own name, so a failure
/// names the case; the snapshot records the fixture. A macro so that the snapshots are named
/// after the calling module, as its single-case tests were.
macro_rules! snapshot_cases {
    ($cases:expr, $render:expr) => {
        for (name, fixture) in $cases {
            insta::assert_snapshot!(*name, $render(fixture), fixture);
        }
    };
}
pub(crate) use snapshot_cases;
