//! Check, lint, then build the Graph body: the query is checked against the Advanced Hunting
//! schema and linted with kqlkit's rules before it is sent; a 45-day window (the service
//! keeps 30 days) is refused, a 7-day one accepted. Needs the `lint` feature.
//!
//! `cargo run -p kql-builder --features lint --example lint_before_send`

use kql_builder::check::{settings_at, Report, Severity};
use kql_builder::tables::DeviceProcessEvents as P;
use kql_builder::{ago, days, DateTimeValue, Query, RunHuntingQueryRequest, Timespan};

/// The hunting query: encoded PowerShell launched by Office applications.
pub fn build() -> Query {
    P::query()
        .where_(P::Timestamp.gt(ago(days(7))))
        .where_(P::InitiatingProcessFileName.in_ci(["winword.exe", "excel.exe", "outlook.exe"]))
        .where_(P::FileName.eq_ci("powershell.exe"))
        .where_(P::ProcessCommandLine.has_any(["-enc", "-encodedcommand"]))
        .project((
            P::Timestamp,
            P::DeviceName,
            P::AccountName,
            P::ProcessCommandLine,
        ))
        .take(1000)
}

/// Checks and lints `query` for a Graph request over `window`; the request when nothing at
/// warning level or above was found.
pub fn send(
    query: &Query,
    window: &str,
    now: DateTimeValue,
) -> Result<RunHuntingQueryRequest, Report> {
    let check = query.check();
    if check.has_errors() {
        return Err(check);
    }
    let window: Timespan = window.parse().expect("a valid ISO 8601 duration");
    query.checked_graph_request(window, &settings_at(now), Severity::Warning)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let query = build();
    let now = DateTimeValue::from_ymd_hms(2024, 6, 1, 12, 0, 0).expect("a valid date");
    println!("{query}\n");
    match send(&query, "P45D", now) {
        Ok(_) => println!("P45D: accepted"),
        Err(report) => print!("P45D: refused\n{report}"),
    }
    let request = send(&query, "P7D", now).map_err(|r| r.to_string())?;
    println!(
        "\nP7D: accepted\n{}",
        serde_json::to_string_pretty(&request)?
    );
    Ok(())
}
