//! The generator's output for awkward names (Rust keywords, spaces, leading digits, clashes)
//! compiles and keeps the KQL names. `codegen/custom_tables.rs` is generated from `spec()` and
//! checked in; `KQL_BUILDER_BLESS=1` rewrites it.

use kql_builder::codegen::{generate, ColumnSpec, TableSpec};
use kql_builder::Table;

mod support;

#[allow(dead_code)]
mod custom {
    include!("codegen/custom_tables.rs");
}

fn spec() -> Vec<TableSpec> {
    vec![
        TableSpec {
            name: "My Alerts".into(),
            time_column: Some("TimeGenerated".into()),
            columns: vec![
                ColumnSpec::new("TimeGenerated", "datetime"),
                ColumnSpec::new("type", "string"),
                ColumnSpec::new("self", "long"),
                ColumnSpec::new("query", "string"),
                ColumnSpec::new("Risk Score", "real"),
                ColumnSpec::new("Risk-Score", "double"),
                ColumnSpec::new("1st", "int"),
                ColumnSpec::new("where", "bool"),
                ColumnSpec::new("Span", "timespan"),
                ColumnSpec::new("Id", "guid"),
                ColumnSpec::new("Bag", "dynamic"),
            ],
        },
        TableSpec {
            name: "match".into(),
            time_column: None,
            columns: vec![ColumnSpec::new("x", "string")],
        },
    ]
}

#[test]
fn checked_in_output_is_current() {
    let expected = generate(&spec());
    support::generated::assert_current_or_bless(
        "tests/codegen/custom_tables.rs",
        &expected,
        "codegen_custom",
    );
}

#[test]
fn awkward_names_keep_their_kql_spelling() {
    use custom::My_Alerts as A;
    assert_eq!(A::NAME, "My Alerts");
    assert_eq!(A::r#type.name(), "type");
    assert_eq!(A::self_.name(), "self");
    assert_eq!(A::query_.name(), "query");
    assert_eq!(A::Risk_Score.name(), "Risk Score");
    assert_eq!(A::Risk_Score_2.name(), "Risk-Score");
    assert_eq!(A::_1st.name(), "1st");
    assert_eq!(custom::r#match::NAME, "match");
    assert_eq!(A::TIME_COLUMN, Some("TimeGenerated"));
    let spec = spec();
    let schema: Vec<(&str, &str)> = spec[0]
        .columns
        .iter()
        .map(|c| (c.name.as_str(), c.kql_type.as_str()))
        .collect();
    assert_eq!(
        A::COLUMNS,
        schema,
        "COLUMNS keeps the schema's names and type spellings"
    );
    let q = A::query()
        .where_(A::r#where.and(A::Risk_Score.gt(0.5)).and(A::_1st.eq(1)))
        .project((A::r#type, A::Risk_Score_2, A::Span.as_("span")));
    assert_eq!(
        q.to_kql(),
        "['My Alerts']\n| where ['where'] and ['Risk Score'] > 0.5 and ['1st'] == 1\n| project type, ['Risk-Score'], span = Span"
    );
    assert!(!kql_syntax::parse(&q.to_kql()).has_errors());
}
