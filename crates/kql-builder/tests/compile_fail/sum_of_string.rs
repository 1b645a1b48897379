// `sum` needs a numeric column.
use kql_builder::{sum, tables::DeviceProcessEvents as P};
fn main() {
    let _ = sum(P::FileName);
}
