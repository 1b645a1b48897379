// No arithmetic on strings.
use kql_builder::{types, Column};
fn main() {
    let _ = Column::<types::String>::new("FileName") - 1i64;
}
