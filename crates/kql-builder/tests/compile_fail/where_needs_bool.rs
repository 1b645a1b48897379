// `where_` takes only a bool expression.
use kql_builder::{types, Column, Query};
fn main() {
    let _ = Query::table("T").where_(Column::<types::String>::new("FileName"));
}
