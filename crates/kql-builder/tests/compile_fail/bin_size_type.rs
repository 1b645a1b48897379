// bin() of a datetime needs a timespan size.
use kql_builder::{bin, tables::DeviceProcessEvents as P};
fn main() {
    let _ = bin(P::Timestamp, 3600i64);
}
