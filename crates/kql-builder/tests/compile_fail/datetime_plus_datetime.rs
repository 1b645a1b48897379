// datetime + datetime is not defined in KQL (datetime - datetime is a timespan).
use kql_builder::{types, Column};
fn main() {
    let t = Column::<types::DateTime>::new("Timestamp");
    let _ = t.clone() + t;
}
