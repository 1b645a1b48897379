//! What the Graph-request examples share: printing the query and the request body that sends it.

use kql_builder::{Query, Timespan};

/// Prints `query`, then the Microsoft Graph `runHuntingQuery` body over `window` (an ISO 8601
/// duration such as `P7D`).
pub fn print_with_graph_body(
    query: &Query,
    window: &str,
) -> Result<(), Box<dyn std::error::Error>> {
    let window: Timespan = window.parse()?;
    println!("{query}\n");
    println!(
        "{}",
        serde_json::to_string_pretty(&query.to_graph_request(window))?
    );
    Ok(())
}
