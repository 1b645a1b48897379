//! `Query::check` / `Query::lint` give what `kql check` / `kql lint` give for the emitted text.

use kql_builder::check::{settings_at, Severity};
use kql_builder::tables::DeviceProcessEvents as P;
use kql_builder::*;

fn now() -> DateTimeValue {
    DateTimeValue::from_ymd_hms(2024, 6, 1, 12, 0, 0).unwrap()
}

fn bounded() -> Query {
    P::query()
        .where_(P::Timestamp.gt(ago(days(7))))
        .where_(P::FileName.eq_ci("powershell.exe"))
        .project((P::Timestamp, P::DeviceName, P::ProcessCommandLine))
        .take(100)
}

#[test]
fn a_bounded_query_is_clean() {
    let q = bounded();
    assert!(q.check().is_clean(), "{}", q.check());
    let report = q.lint(&settings_at(now()));
    assert!(report.is_clean(), "{report}");
}

#[test]
fn an_unknown_column_is_a_check_error() {
    let q = P::query().where_(Column::<types::String>::new("FileNme").eq("x"));
    let report = q.check();
    assert!(report.has_errors(), "{report}");
    assert!(report.to_string().contains("FileNme"), "{report}");
}

#[test]
fn a_45_day_lookback_is_reported() {
    let q = P::query().where_(P::Timestamp.gt(ago(days(45)))).take(10);
    let report = q.lint(&settings_at(now()));
    assert!(report.has("time-beyond-retention"), "{report}");
}

#[test]
fn a_45_day_graph_window_is_refused() {
    let q = bounded();
    let window: Timespan = "P45D".parse().unwrap();
    let refused = q
        .checked_graph_request(window, &settings_at(now()), Severity::Warning)
        .unwrap_err();
    assert!(refused.has("time-beyond-retention"), "{refused}");
    let ok = q
        .checked_graph_request(
            "P7D".parse().unwrap(),
            &settings_at(now()),
            Severity::Warning,
        )
        .unwrap();
    assert_eq!(ok.query, q.to_kql());
}

#[test]
fn an_unbounded_query_is_reported() {
    let q = P::query().where_(P::Timestamp.gt(ago(days(1))));
    let report = q.lint(&settings_at(now()));
    assert!(report.has("unbounded-result"), "{report}");
    assert_eq!(
        report.to_string(),
        "1:1 warning AH002 [unbounded-result] may return more than 100,000 rows; rows past that are dropped without notice\n"
    );
}
