// Aggregates belong in `summarize`, not in `where_`.
use kql_builder::{count, Query};
fn main() {
    let _ = Query::table("T").where_(count());
}
