// `has` exists only on strings.
use kql_builder::{types, Column};
fn main() {
    let _ = Column::<types::Long>::new("ProcessId").has("x");
}
