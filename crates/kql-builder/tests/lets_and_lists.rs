//! `let` names stay unique, and `in`-style operators take IOC lists and subqueries.

use kql_builder::tables::{DeviceFileEvents as F, DeviceInfo as I, DeviceNetworkEvents as N};
use kql_builder::types as ty;
use kql_builder::*;

mod support;
use support::oracle as mod_support;

fn parses(text: &str) -> &str {
    let parse = kql_syntax::parse(text);
    assert!(!parse.has_errors(), "{text}\n{:#?}", parse.diagnostics());
    text
}

/// Asserts that `q` emits `expected`, and that kqlkit's parser accepts it.
fn assert_kql(q: &Query, expected: &str) {
    assert_eq!(parses(&q.to_kql()), expected);
}

#[test]
fn two_bindings_of_one_name_get_distinct_names() {
    let mut lets = Lets::new();
    let a = lets.scalar("x", 1i64);
    let b = lets.scalar("x", 2i64);
    let q = lets.query(Query::table("T").where_(a.lt(b)));
    assert_kql(&q, "let x = 1;\nlet x_2 = 2;\nT\n| where x < x_2");
}

#[test]
fn the_same_binding_twice_is_one_statement() {
    let mut one = Lets::new();
    let mut two = Lets::new();
    let a = one.scalar("since", ago(days(7)));
    let b = two.scalar("since", ago(days(7)));
    let q = Query::table("T").where_(F::Timestamp.gt(a).and(F::Timestamp.gt(b)));
    assert_kql(
        &q,
        "let since = ago(7d);\nT\n| where Timestamp > since and Timestamp > since",
    );
}

/// `table | where Timestamp > since | project columns`, built with its own `let since`.
fn recent(
    table: Query,
    timestamp: Column<ty::DateTime>,
    window: TimeSpanValue,
    columns: impl Items<Named>,
) -> Query {
    let mut lets = Lets::new();
    let since = lets.scalar("since", ago(window));
    table.where_(timestamp.gt(&since)).project(columns)
}

/// Two subqueries built independently, each with its own `since`, joined.
fn joined_windows() -> Query {
    let files = recent(F::query(), F::Timestamp, days(7), (F::DeviceId, F::SHA256));
    let connections = recent(
        N::query(),
        N::Timestamp,
        hours(1),
        (N::DeviceId, N::RemoteIP),
    );
    files.join(JoinKind::Inner, connections, F::DeviceId)
}

/// Before, both sides read the right side's window. Each side must keep its own.
#[test]
fn joined_subqueries_keep_their_own_windows() {
    assert_kql(
        &joined_windows(),
        "let since = ago(7d);\nlet since_2 = ago(1h);\nDeviceFileEvents\n\
         | where Timestamp > since\n| project DeviceId, SHA256\n\
         | join kind=inner (DeviceNetworkEvents | where Timestamp > since_2 | project DeviceId, RemoteIP) on DeviceId"
    );
}

fn subquery_with_lets() -> Query {
    let mut lets = Lets::new();
    let since = lets.scalar("since", ago(days(1)));
    let recent = I::query()
        .where_(I::Timestamp.gt(&since))
        .select(&I::DeviceId);
    let mut other = Lets::new();
    let since2 = other.scalar("since", ago(hours(1)));
    N::query()
        .where_(N::Timestamp.gt(&since2))
        .where_(N::DeviceId.in_(recent))
}

/// Microsoft's parser and analyzer accept the renamed bindings and the subquery `in`.
#[test]
fn microsoft_accepts_renamed_lets_and_subquery_in() {
    let texts: Vec<(String, String)> = [
        ("join", joined_windows()),
        ("subquery with lets", subquery_with_lets()),
        (
            "let array",
            F::query().where_(F::SHA256.in_(Lets::new().array("iocs", ["a1", "b2"]))),
        ),
    ]
    .into_iter()
    .map(|(l, q)| (l.to_owned(), q.to_kql()))
    .collect();
    mod_support::assert_microsoft_accepts(&texts);
}

#[test]
fn a_tabular_let_renamed_keeps_its_references() {
    let mut lets = Lets::new();
    let a = lets.tabular("events", F::query().take(1));
    let mut other = Lets::new();
    let b = other.tabular("events", N::query().take(2));
    let q = a.union([b]);
    assert_kql(
        &q,
        "let events = DeviceFileEvents | take 1;\nlet events_2 = DeviceNetworkEvents | take 2;\nevents\n| union events_2"
    );
}

#[test]
fn a_binding_used_in_an_expression_brings_its_statement() {
    let mut lets = Lets::new();
    let since = lets.scalar("since", ago(days(1)));
    let until = lets.scalar("until", since.clone() + hours(2));
    // No `lets.query(...)`: the expression carries both statements, in order.
    let q = F::query().where_(F::Timestamp.between(&since, &until));
    assert_kql(
        &q,
        "let since = ago(1d);\nlet until = since + 2h;\nDeviceFileEvents\n| where Timestamp between (since .. until)"
    );
    assert_eq!(until.to_kql(), "until");
}

#[test]
fn in_takes_a_let_bound_dynamic_array() {
    let mut lets = Lets::new();
    let iocs: Expr<ty::Dynamic> = lets.scalar("iocs", serde_json::json!(["a1b2", "c3d4"]));
    let q = F::query().where_(F::SHA256.in_(&iocs));
    assert_kql(
        &q,
        "let iocs = dynamic([\"a1b2\",\"c3d4\"]);\nDeviceFileEvents\n| where SHA256 in (iocs)",
    );
    let q = F::query().where_(F::FileName.has_any(iocs));
    assert!(q.to_kql().ends_with("| where FileName has_any (iocs)"));
}

#[test]
fn typed_arrays_for_every_list_operator() {
    let mut lets = Lets::new();
    let names = lets.array("names", ["cmd.exe", "powershell.exe"]);
    let ports = lets.array("ports", [4444i64, 8080]);
    let q = N::query()
        .where_(N::InitiatingProcessFileName.in_ci(&names))
        .where_(N::InitiatingProcessFileName.not_in_ci(&names))
        .where_(N::InitiatingProcessFileName.has_all(&names))
        .where_(N::RemotePort.not_in(&ports))
        .where_(N::RemotePort.in_(array([1i64, 2])));
    assert_kql(
        &q,
        "let names = dynamic([\"cmd.exe\",\"powershell.exe\"]);\nlet ports = dynamic([4444,8080]);\n\
         DeviceNetworkEvents\n| where InitiatingProcessFileName in~ (names)\n\
         | where InitiatingProcessFileName !in~ (names)\n| where InitiatingProcessFileName has_all (names)\n\
         | where RemotePort !in (ports)\n| where RemotePort in (dynamic([1,2]))"
    );
}

#[test]
fn ioc_strings_are_escaped_inside_the_array() {
    let hostile = ["a\"b", "c\\d", "e\nf", "'); drop"];
    let q = F::query().where_(F::FileName.in_(array(hostile)));
    let text = q.to_kql();
    parses(&text);
    assert_eq!(
        text,
        "DeviceFileEvents\n| where FileName in (dynamic([\"a\\\"b\",\"c\\\\d\",\"e\\nf\",\"'); drop\"]))"
    );
}

#[test]
fn in_takes_a_one_column_subquery() {
    let internet_facing = I::query()
        .where_(I::IsInternetFacing.eq(true))
        .select(&I::DeviceId);
    let q = N::query().where_(N::DeviceId.in_(internet_facing.clone()));
    assert_kql(
        &q,
        "DeviceNetworkEvents\n| where DeviceId in (DeviceInfo | where IsInternetFacing == true | project DeviceId)"
    );
    let q = N::query().where_(N::DeviceId.not_in(&internet_facing));
    assert!(q.to_kql().contains("DeviceId !in (DeviceInfo |"));
    // A subquery ending in `distinct` is already one column.
    let names = I::query().distinct(I::DeviceName).as_column(&I::DeviceName);
    let q = N::query().where_(N::DeviceName.in_ci(names));
    assert!(parses(&q.to_kql()).ends_with("DeviceName in~ (DeviceInfo | distinct DeviceName)"));
}

#[test]
fn a_subquery_brings_its_own_lets() {
    let q = subquery_with_lets();
    assert_kql(
        &q,
        "let since = ago(1h);\nlet since_2 = ago(1d);\nDeviceNetworkEvents\n| where Timestamp > since\n\
         | where DeviceId in (DeviceInfo | where Timestamp > since_2 | project DeviceId)"
    );
}

#[test]
fn raw_text_cannot_forge_a_let_reference() {
    assert!(Expr::<ty::Long>::raw("\u{1}1\u{2}").is_err());
}
