//! Schema files in the formats Kusto and its editors write (fixtures in `tests/fixtures/`,
//! written by us): each loads through `Schema::load_file`'s auto-detection.

use kql_schema::{ParamType, ScalarType, Schema, SchemaError};
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn load(name: &str) -> Schema {
    Schema::load_file(fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn columns(schema: &Schema, table: &str) -> Vec<(String, ScalarType)> {
    let t = schema
        .table(table)
        .unwrap_or_else(|| panic!("no table {table}"));
    t.columns.iter().map(|c| (c.name.clone(), c.ty)).collect()
}

fn expect_logon_audit(schema: &Schema) {
    use ScalarType::*;
    let want: Vec<(std::string::String, ScalarType)> = [
        ("TimeGenerated", DateTime),
        ("Account", String),
        ("Workstation", String),
        ("FailureCount", Int),
        ("Details", Dynamic),
    ]
    .iter()
    .map(|(n, t)| (n.to_string(), *t))
    .collect();
    assert_eq!(columns(schema, "LogonAudit"), want);
    let t = schema.table("LogonAudit").unwrap();
    assert_eq!(t.time_column.as_deref(), Some("TimeGenerated"));
    assert_eq!(
        columns(schema, "HostInventory"),
        [("Host".to_string(), String), ("RamBytes".to_string(), Long)]
    );
}

/// The stored functions, as both the JSON dump and the CSL script give them.
fn expect_functions(schema: &Schema) {
    let failed = schema.function("FailedLogons").expect("FailedLogons");
    let params: Vec<_> = failed
        .parameters
        .iter()
        .map(|p| (p.name.as_str(), p.ty, p.default.as_deref()))
        .collect();
    assert_eq!(
        params,
        [
            (
                "lookback",
                ParamType::Scalar(ScalarType::TimeSpan),
                Some("1d")
            ),
            ("minFailures", ParamType::Scalar(ScalarType::Long), None),
        ]
    );
    assert_eq!(failed.min_args(), 1);
    let body = failed.body.as_deref().unwrap();
    assert!(body.starts_with('{') && body.ends_with('}'), "{body}");
    assert!(body.contains("FailureCount >= minFailures"), "{body}");
    let tag = schema.function("TagHosts").expect("TagHosts");
    assert!(tag.takes_table_input());
    assert_eq!(tag.parameters[1].ty, ParamType::Scalar(ScalarType::String));
}

#[test]
fn show_database_schema_as_json_raw_and_as_result_tables() {
    for name in [
        "show_schema.json",
        "show_schema_v1.json",
        "show_schema_v2.json",
    ] {
        let s = load(name);
        expect_logon_audit(&s);
        expect_functions(&s);
        let failed = s.function("FailedLogons").unwrap();
        let out: Vec<_> = failed
            .columns
            .as_ref()
            .unwrap()
            .iter()
            .map(|c| c.name.as_str())
            .collect();
        assert_eq!(out, ["Account", "Workstation", "FailureCount"], "{name}");
        assert_eq!(
            failed.description.as_deref(),
            Some("Accounts with at least minFailures failed logons")
        );
        assert!(
            s.function("TagHosts").unwrap().columns.is_none(),
            "no output columns declared"
        );
        assert_eq!(
            s.function("TagHosts").unwrap().parameters[1]
                .default
                .as_deref(),
            Some("\"unknown\"")
        );
        assert!(
            s.table("LatestLogonPerAccount").is_some(),
            "materialized views are tables"
        );
        assert!(
            s.table("ArchivedLogons").is_none(),
            "external tables are not"
        );
    }
}

#[test]
fn show_database_schema_csl_script() {
    let s = load("show_schema.csl");
    expect_logon_audit(&s);
    expect_functions(&s);
    assert_eq!(s.tables.len(), 2, "policies and views are skipped");
    let tag = s.function("TagHosts").unwrap();
    assert_eq!(tag.parameters[1].default.as_deref(), Some("\"un,known)\""));
    assert!(tag.body.as_deref().unwrap().ends_with("Note = \"{\" }"));
}

#[test]
fn simple_table_map() {
    let s = load("table_map.json");
    assert_eq!(s.tables.len(), 2);
    assert_eq!(
        columns(&s, "LogonAudit")[2],
        ("FailureCount".to_string(), ScalarType::Int)
    );
    assert_eq!(
        s.table("LogonAudit").unwrap().time_column.as_deref(),
        Some("TimeGenerated")
    );
}

#[test]
fn show_tables_details_json_and_csv() {
    for name in ["tables_details.json", "tables_details.csv"] {
        let s = load(name);
        let big = s
            .table_stats("LogonAudit")
            .unwrap_or_else(|| panic!("{name}"));
        assert_eq!(big.row_count, Some(1_250_000_000), "{name}");
        assert_eq!(big.extent_size_bytes, Some(18_253_611_008), "{name}");
        assert_eq!(big.original_size_bytes, Some(96_024_551_424), "{name}");
        assert_eq!(
            s.table_stats("HostInventory").unwrap().row_count,
            Some(5200)
        );
        assert!(
            s.tables.is_empty(),
            "sizes only: columns come from a schema file"
        );
    }
    let mut schema = load("show_schema.json");
    schema.merge(load("tables_details.csv"));
    assert!(schema.table("LogonAudit").is_some());
    assert_eq!(
        schema.table_stats("LogonAudit").unwrap().row_count,
        Some(1_250_000_000)
    );
}

#[test]
fn bad_files_name_the_problem() {
    let parse = |text: &str| -> SchemaError {
        Schema::from_str_with_format(text, kql_schema::SchemaFormat::Auto, None).unwrap_err()
    };
    let e = parse(
        r#"{"Databases": {"d": {"Tables": {"T": {"Name": "T", "OrderedColumns": [{"Name": "a", "CslType": "varchar"}]}}}}}"#,
    );
    assert!(e.message.contains("varchar"), "{e}");
    let e = parse(
        r#"{"Tables": [{"TableName": "Table_0", "Columns": [{"ColumnName": "DatabaseSchema"}], "Rows": [["not json"]]}]}"#,
    );
    assert!(e.message.contains("not JSON"), "{e}");
    let e = parse(r#"{"T": [{"name": "a", "type": "strng"}]}"#);
    assert!(e.message.contains("strng"), "{e}");
    let e = parse(".create function F(a:string) { T | where a == 1 ");
    assert!(e.message.contains("unclosed"), "{e}");
    let e = parse(r#"{"whatever": 1}"#);
    assert!(e.message.contains(".show database schema as json"), "{e}");
}
