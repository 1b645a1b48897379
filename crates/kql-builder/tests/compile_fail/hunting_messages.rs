// The messages of the builder's traits name the KQL rule a query breaks.
use kql_builder::tables::{DeviceFileEvents as F, DeviceProcessEvents as P};
use kql_builder::{count, max, sum, tostring, Column, Lets, Query};

fn main() {
    // An aggregate outside `summarize`.
    let _ = P::query().where_(count());
    let _ = tostring(count());
    // A string literal where a datetime is expected: suggests datetime(...).
    let _ = P::Timestamp.gt("2024-01-01");
    // Ordering on strings.
    let _ = P::FileName.gt("a");
    let _ = P::FileName.between("a", "b");
    // Aggregates that need numbers, or an order.
    let _ = Query::table("T").summarize(sum(P::FileName));
    let _ = Query::table("T").summarize(max(Column::<kql_builder::types::Dynamic>::new("d")));
    // An IOC list or subquery of the wrong element type.
    let mut lets = Lets::new();
    let sizes = lets.array("sizes", [1i64, 2]);
    let _ = F::SHA256.in_(&sizes);
    let _ = F::SHA256.in_(F::query().select(&F::FileSize));
    // Equality on dynamic.
    let _ = Column::<kql_builder::types::Dynamic>::new("d").eq(serde_json::json!(1));
}
