//! The builder's `to_kql()` output is already in kql-fmt's layout: one `| operator` a line,
//! kql-fmt's spacing, single-operator subqueries on one line. Two known differences, both the
//! builder's layout being simpler than the formatter's: it does not wrap lines longer than the
//! line width (so the comparison uses an unbounded width) and it writes a subquery of several
//! operators on one line, where kql-fmt gives each operator its own line. Calling
//! `kql_fmt::format_text` from `to_kql()` would remove both; that is the builder's decision.

use kql_builder::tables::{DeviceInfo as I, DeviceNetworkEvents as N, DeviceProcessEvents as P};
use kql_builder::{JoinKind, LookupKind, Query};
use kql_fmt::{format_text, FormatOptions};

fn unwrapped() -> FormatOptions {
    FormatOptions {
        line_width: usize::MAX,
        ..FormatOptions::default()
    }
}

fn assert_unchanged(query: &str) {
    let formatted = format_text(query, &unwrapped()).expect("builder output parses");
    assert_eq!(
        formatted,
        format!("{query}\n"),
        "kql fmt changed builder output"
    );
}

#[test]
fn built_queries_are_left_unchanged() {
    let queries: Vec<Query> = vec![
        P::query()
            .where_(P::InitiatingProcessFileName.eq_ci("powershell.exe"))
            .project((P::Timestamp, P::FileName, P::InitiatingProcessFileName))
            .order_by(P::Timestamp.desc())
            .limit(2),
        P::query().join(
            JoinKind::Inner,
            N::query().where_(N::RemotePort.eq(443)),
            N::DeviceId,
        ),
        P::query().lookup(
            LookupKind::LeftOuter,
            I::query().project((I::DeviceId, I::OSPlatform)),
            I::DeviceId,
        ),
        P::query().union([N::query().where_(N::RemotePort.eq(3389))]),
        Query::union_of([P::query(), N::query().take(1)]),
    ];
    for q in &queries {
        assert_unchanged(&q.to_kql());
    }
}

/// Every operator the builder emits, as its own emit test records them (one query per `-- name`
/// section of its snapshot).
#[test]
fn every_operator_the_builder_emits_is_left_unchanged() {
    let snap = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../kql-builder/tests/snapshots/emit__every_operator.snap"),
    )
    .expect("the builder's snapshot");
    let body = snap.splitn(3, "---\n").nth(2).expect("snapshot body");
    let mut count = 0;
    for section in body.split("-- ").filter(|s| !s.trim().is_empty()) {
        let (_name, query) = section.split_once('\n').expect("a name line");
        assert_unchanged(query.trim_end_matches('\n'));
        count += 1;
    }
    assert!(count >= 30, "only {count} builder queries found");
}
