//! The checked-in `src/tables/generated.rs` must equal what the generator makes from the schema.

use std::path::{Path, PathBuf};

mod support;

fn schema_path() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let candidates = [
        here.join("../kql-schema/data/advanced_hunting.json"),
        here.join("../../../shared/schema/advanced_hunting.json"),
    ];
    candidates
        .iter()
        .find(|p| p.exists())
        .cloned()
        .unwrap_or_else(|| panic!("Advanced Hunting schema not found; looked in {candidates:?}"))
}

#[test]
fn generated_tables_are_up_to_date() {
    let json = std::fs::read_to_string(schema_path()).unwrap();
    let tables = kql_builder::codegen::TableSpec::from_schema_json(&json).unwrap();
    assert_eq!(
        tables.len(),
        64,
        "Advanced Hunting has 64 tables in the schema data"
    );
    let expected = kql_builder::codegen::generate(&tables);
    support::generated::assert_current_or_bless(
        "src/tables/generated.rs",
        &expected,
        "generated_tables",
    );
}
