//! Results back into queries: typed cells by builder column, time and GUID conversions.

use kql_builder::results::{ResultRow, TypedRows};
use kql_builder::tables::{DeviceFileEvents as F, DeviceInfo as I};
use kql_builder::types as ty;
use kql_builder::*;

#[test]
fn typed_access_by_builder_column() {
    let body = r#"{"schema": [], "results": [
        {"FileSize": "1024", "Timestamp": "2024-05-01T10:00:00.1234567Z", "FileName": "a.exe",
         "DeviceId": "d1", "Score": "NaN", "Span": "-1.02:00:00", "Id": "6A8C7B1E-0000-4C3B-9F00-0123456789AB",
         "Bag": "{\"k\": 1}", "Ok": 1},
        {"FileSize": null, "Timestamp": "not a date"}]}"#;
    let results: kql_hunting_api::HuntingQueryResults = serde_json::from_str(body).unwrap();
    let rows: Vec<ResultRow> = results.typed_rows().collect();
    assert_eq!(rows[0].get(&F::FileSize).unwrap(), Some(1024i64));
    assert_eq!(rows[0].get(&F::FileName).unwrap().as_deref(), Some("a.exe"));
    let score = rows[0]
        .get(&Column::<ty::Real>::new("Score"))
        .unwrap()
        .unwrap();
    assert!(score.is_nan());
    let span = rows[0]
        .get(&Column::<ty::TimeSpan>::new("Span"))
        .unwrap()
        .unwrap();
    assert_eq!(span, -(days(1) + hours(2)));
    let id = rows[0]
        .get(&Column::<ty::Guid>::new("Id"))
        .unwrap()
        .unwrap();
    assert_eq!(id.to_string(), "guid(6a8c7b1e-0000-4c3b-9f00-0123456789ab)");
    let bag = rows[0]
        .get(&Column::<ty::Dynamic>::new("Bag"))
        .unwrap()
        .unwrap();
    assert_eq!(bag["k"], 1);
    assert_eq!(
        rows[0].get(&Column::<ty::Bool>::new("Ok")).unwrap(),
        Some(true)
    );
    assert_eq!(rows[1].get(&F::FileSize).unwrap(), None);
    assert_eq!(rows[1].get(&F::SHA256).unwrap(), None);
    let err = rows[1].get(&F::Timestamp).unwrap_err();
    assert_eq!((err.row, err.column.as_deref()), (1, Some("Timestamp")));

    // A value read from one query goes into the next one, to the tick.
    let when = rows[0].get(&F::Timestamp).unwrap().unwrap();
    let device = rows[0].get(&F::DeviceId).unwrap().unwrap();
    let next = I::query()
        .where_(I::Timestamp.between(when, lit(when) + minutes(5)))
        .where_(I::DeviceId.eq(device))
        .where_(Column::<ty::Guid>::new("Id").eq(id));
    assert_eq!(
        next.to_kql(),
        "DeviceInfo\n| where Timestamp between (datetime(2024-05-01T10:00:00.1234567Z) .. datetime(2024-05-01T10:00:00.1234567Z) + 5m)\n\
         | where DeviceId == \"d1\"\n| where Id == guid(6a8c7b1e-0000-4c3b-9f00-0123456789ab)"
    );
}

#[test]
fn time_and_guid_convert_both_ways() {
    for text in [
        "0001-01-01T00:00:00Z",
        "9999-12-31T23:59:59.9999999Z",
        "2024-02-29T12:00:00.5Z",
    ] {
        let api: UtcDateTime = text.parse().unwrap();
        let builder = DateTimeValue::from(api);
        assert_eq!(builder.unix_ticks(), api.unix_ticks());
        assert_eq!(UtcDateTime::from(builder), api);
    }
    let g: Guid = "00000000-0000-0000-0000-0000000000ff".parse().unwrap();
    assert_eq!(Guid::from(GuidValue::from(g)), g);
}

#[test]
fn builder_and_api_glob_imports_do_not_clash() {
    #[allow(unused_imports)]
    use kql_hunting_api::*;
    // `Column` is the builder's: the API's schema column is `SchemaColumn`.
    let c: Column<ty::Long> = Column::new("x");
    let s = SchemaColumn::new("x", ColumnType::Int64);
    assert_eq!(c.name(), s.name);
}
