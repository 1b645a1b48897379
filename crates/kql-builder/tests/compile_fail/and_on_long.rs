// `and` exists only on bools.
use kql_builder::{types, Column};
fn main() {
    let a = Column::<types::Long>::new("a");
    let _ = a.and(Column::<types::Bool>::new("b"));
}
