// A long column compared with a string literal.
use kql_builder::{types, Column};
fn main() {
    let _ = Column::<types::Long>::new("ProcessId").eq("4");
}
