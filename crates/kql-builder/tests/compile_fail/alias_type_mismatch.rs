// Naming an aggregate with a typed column checks the type: count() is a long.
use kql_builder::{count, types, Column};
fn main() {
    let _ = count().as_(Column::<types::String>::new("n"));
}
