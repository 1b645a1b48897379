//! The example programs (one per hunting scenario) build queries that Microsoft's parser and
//! analyzer (names and types against the Advanced Hunting schema) accept and that `kql check` finds no error in (through `Query::check`, the same parse and
//! semantic model as the CLI), and the lint-before-send example refuses a 45-day window.

mod support;

// Each Graph example brings its own copy of `examples/common`.
#[allow(dead_code, clippy::duplicate_mod)]
#[path = "../examples/anomaly_hunt.rs"]
mod anomaly_hunt;
// Each Graph example brings its own copy of `examples/common`.
#[allow(dead_code, clippy::duplicate_mod)]
#[path = "../examples/device_enrichment.rs"]
mod device_enrichment;
#[allow(dead_code)]
#[path = "../examples/ioc_from_file.rs"]
mod ioc_from_file;
#[allow(dead_code)]
#[path = "../examples/lint_before_send.rs"]
mod lint_before_send;

use kql_builder::{DateTimeValue, Query};

fn iocs() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/data/iocs.txt"
    ))
    .unwrap()
}

fn queries() -> Vec<(String, Query)> {
    vec![
        ("ioc_from_file".into(), ioc_from_file::build(&iocs())),
        ("device_enrichment".into(), device_enrichment::build()),
        ("anomaly_hunt".into(), anomaly_hunt::build()),
        ("lint_before_send".into(), lint_before_send::build()),
    ]
}

#[test]
fn example_queries_have_no_check_errors() {
    for (name, q) in queries() {
        let report = q.check();
        assert!(!report.has_errors(), "{name}:\n{}\n{report}", report.text);
    }
}

#[test]
fn microsoft_parser_and_analyzer_accept_example_queries() {
    let texts: Vec<(String, String)> = queries()
        .into_iter()
        .map(|(name, q)| (name, q.to_kql()))
        .collect();
    let checked = support::oracle::assert_microsoft_accepts(&texts);
    assert!(checked == texts.len() || checked == 0, "{checked}");
}

#[test]
fn ioc_file_becomes_a_let_array() {
    let q = ioc_from_file::build("# feed\n\naa11\n  bb22  \n");
    assert!(q
        .to_kql()
        .starts_with("let iocs = dynamic([\"aa11\",\"bb22\"]);\nDeviceFileEvents\n"));
    assert!(q.to_kql().contains("| where SHA256 in (iocs)\n"));
}

#[test]
fn lint_before_send_refuses_45_days_and_sends_7() {
    let q = lint_before_send::build();
    let now = DateTimeValue::from_ymd_hms(2024, 6, 1, 12, 0, 0).unwrap();
    let refused = lint_before_send::send(&q, "P45D", now).unwrap_err();
    assert!(refused.has("time-beyond-retention"), "{refused}");
    let request = lint_before_send::send(&q, "P7D", now).unwrap();
    let body = serde_json::to_value(&request).unwrap();
    assert_eq!(body["Timespan"], "P7D");
    assert_eq!(body["Query"], q.to_kql());
}

#[test]
fn graph_bodies_carry_the_examples_windows() {
    for (query, window, expected) in [
        (device_enrichment::build(), device_enrichment::WINDOW, "P1D"),
        (anomaly_hunt::build(), anomaly_hunt::WINDOW, "P7D"),
    ] {
        let body = serde_json::to_value(query.to_graph_request(window.parse().unwrap())).unwrap();
        assert_eq!(body["Timespan"], expected, "{}", query.to_kql());
    }
}
