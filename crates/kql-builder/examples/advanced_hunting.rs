//! Builds Microsoft's Advanced Hunting documentation query and prints the API request body.
//!
//! `cargo run -p kql-builder --example advanced_hunting`

use kql_builder::tables::DeviceProcessEvents as P;
use kql_builder::Query;

/// DeviceProcessEvents | where InitiatingProcessFileName =~ "powershell.exe"
/// | project Timestamp, FileName, InitiatingProcessFileName | order by Timestamp desc | limit 2
pub fn build() -> Query {
    P::query()
        .where_(P::InitiatingProcessFileName.eq_ci("powershell.exe"))
        .project((P::Timestamp, P::FileName, P::InitiatingProcessFileName))
        .order_by(P::Timestamp.desc())
        .limit(2)
}

fn main() {
    let body = serde_json::to_string_pretty(&build().to_request()).expect("a request serializes");
    println!("{body}");
}
