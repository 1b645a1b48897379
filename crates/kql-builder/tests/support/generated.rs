//! Checked-in generated files: a test fails when one is stale, and `KQL_BUILDER_BLESS=1`
//! rewrites it instead.

use std::path::Path;

/// Fails unless the file at `relative_path` (from the crate root) holds `expected`; with
/// `KQL_BUILDER_BLESS` set, writes `expected` there instead. `test` names the test target that
/// regenerates it, for the failure message.
pub fn assert_current_or_bless(relative_path: &str, expected: &str, test: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative_path);
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    if std::env::var_os("KQL_BUILDER_BLESS").is_some() {
        if actual != expected {
            std::fs::write(&path, expected).unwrap();
        }
        return;
    }
    assert!(
        actual == expected,
        "{relative_path} is stale; regenerate it with\n    KQL_BUILDER_BLESS=1 cargo test -p kql-builder --test {test}"
    );
}
