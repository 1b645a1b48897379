// Ordering comparisons exist only on numbers, datetimes and timespans.
use kql_builder::{types, Column};
fn main() {
    let _ = Column::<types::String>::new("FileName").gt("a");
}
