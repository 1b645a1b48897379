//! IOC sweep: SHA256 hashes from a file (one a line, `#` comments) become a `let` array, and
//! every file event of the last 7 days with one of them is listed. Prints the query and the
//! Defender API request body.
//!
//! `cargo run -p kql-builder --example ioc_from_file -- [FILE]` (default: examples/data/iocs.txt)

use kql_builder::tables::DeviceFileEvents as F;
use kql_builder::{ago, days, Lets, Query};

/// The hunting query for the hashes listed in `text`.
pub fn build(text: &str) -> Query {
    let hashes: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    let mut lets = Lets::new();
    let iocs = lets.array("iocs", hashes);
    F::query()
        .where_(F::Timestamp.gt(ago(days(7))))
        .where_(F::SHA256.in_(&iocs))
        .project((
            F::Timestamp,
            F::DeviceName,
            F::FolderPath,
            F::FileName,
            F::SHA256,
            F::InitiatingProcessAccountName,
        ))
        .order_by(F::Timestamp.desc())
        .take(1000)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).unwrap_or_else(|| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data/iocs.txt").to_owned()
    });
    let query = build(&std::fs::read_to_string(&path)?);
    println!("{query}\n");
    println!("{}", serde_json::to_string_pretty(&query.to_request())?);
    Ok(())
}
