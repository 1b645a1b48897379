//! The generated function wrappers: the functions hunting queries use most, with their KQL
//! result types, and the overloads KQL accepts.

use kql_builder::functions as f;
use kql_builder::tables::{
    DeviceFileEvents as F, DeviceNetworkEvents as N, DeviceProcessEvents as P,
};
use kql_builder::types as ty;
use kql_builder::*;

fn parses<T: ty::KqlType>(e: &Expr<T>) -> String {
    let text = e.to_kql();
    let parse = kql_syntax::parse(&format!("print x = {text}"));
    assert!(!parse.has_errors(), "{text}\n{:#?}", parse.diagnostics());
    text
}

#[test]
fn hunting_functions_have_their_kql_types() {
    let private: Expr<ty::Bool> = f::ipv4_is_private(N::RemoteIP);
    assert_eq!(parses(&private), "ipv4_is_private(RemoteIP)");
    let urls: Expr<ty::Dynamic> = f::extract_all(r"https?://\S+", P::ProcessCommandLine);
    assert_eq!(
        parses(&urls),
        r#"extract_all("https?://\\S+", ProcessCommandLine)"#
    );
    let groups = f::extract_all_3(
        r"(\w+)=(\w+)",
        serde_json::json!([1, 2]),
        P::ProcessCommandLine,
    );
    assert_eq!(
        parses(&groups),
        r#"extract_all("(\\w+)=(\\w+)", dynamic([1,2]), ProcessCommandLine)"#
    );
    let day: Expr<ty::String> = f::format_datetime(P::Timestamp, "yyyy-MM-dd");
    assert_eq!(parses(&day), r#"format_datetime(Timestamp, "yyyy-MM-dd")"#);
    let hash: Expr<ty::String> = f::hash_sha256(P::ProcessCommandLine);
    assert_eq!(parses(&hash), "hash_sha256(ProcessCommandLine)");
    let name: Expr<ty::String> = f::coalesce([P::InitiatingProcessFileName, P::FileName]);
    assert_eq!(
        parses(&name),
        "coalesce(InitiatingProcessFileName, FileName)"
    );
    let n: Expr<ty::Long> = f::array_length(f::bag_keys(f::parse_json(P::AdditionalFields)));
    assert_eq!(
        parses(&n),
        "array_length(bag_keys(parse_json(AdditionalFields)))"
    );
    let geo: Expr<ty::Dynamic> = f::geo_info_from_ip_address(N::RemoteIP);
    assert_eq!(parses(&geo), "geo_info_from_ip_address(RemoteIP)");
    let label: Expr<ty::String> = f::case(
        [
            (N::RemotePort.eq(443), "https"),
            (N::RemotePort.eq(80), "http"),
        ],
        "other",
    );
    assert_eq!(
        parses(&label),
        r#"case(RemotePort == 443, "https", RemotePort == 80, "http", "other")"#
    );
    let line: Expr<ty::String> = f::strcat((P::DeviceName, ":", P::ProcessId));
    assert_eq!(parses(&line), r#"strcat(DeviceName, ":", ProcessId)"#);
    let size: Expr<ty::Long> = f::iff(F::FileSize.gt(0), F::FileSize, 0);
    assert_eq!(parses(&size), "iff(FileSize > 0, FileSize, 0)");
    let dur: Expr<ty::TimeSpan> = f::abs(P::Timestamp - F::Timestamp);
    assert_eq!(parses(&dur), "abs(Timestamp - Timestamp)");
}

#[test]
fn overloads_kql_accepts_compile() {
    // max / arg_max on strings, has on dynamic, parse_json of dynamic.
    let j = Column::<ty::Dynamic>::new("j");
    let q = P::query()
        .extend(j.set(f::parse_json(P::AdditionalFields)))
        .where_(j.has("mimikatz"))
        .extend(j.set(f::parse_json(&j)))
        .summarize_by(
            (
                max(P::FileName).as_("LastName"),
                f::max(P::FileName).as_("LastName2"),
                f::dcount_2(P::DeviceId, 2).as_("Devices"),
            ),
            P::DeviceId,
        )
        .summarize_by(arg_max(Column::<ty::String>::new("LastName"), ()), ());
    let text = q.to_kql();
    assert!(!kql_syntax::parse(&text).has_errors(), "{text}");
    assert_eq!(
        text,
        "DeviceProcessEvents\n| extend j = parse_json(AdditionalFields)\n\
         | where j has \"mimikatz\"\n| extend j = parse_json(j)\n\
         | summarize LastName = max(FileName), LastName2 = max(FileName), Devices = dcount(DeviceId, 2) by DeviceId\n\
         | summarize arg_max(LastName, *)"
    );
}

#[test]
fn every_generated_function_is_known_to_the_checker() {
    // Each wrapper's KQL name comes from the catalog `kql check` uses; a sample through the
    // checker gives no unknown-function finding.
    let q = N::query()
        .where_(f::ipv4_is_private(N::RemoteIP).not())
        .extend((
            Column::<ty::Dynamic>::new("Geo").set(f::geo_info_from_ip_address(N::RemoteIP)),
            Column::<ty::String>::new("Day").set(f::format_datetime(N::Timestamp, "yyyy-MM-dd")),
        ))
        .take(10);
    let report = q.check();
    assert!(!report.has_errors(), "{report}");
}
