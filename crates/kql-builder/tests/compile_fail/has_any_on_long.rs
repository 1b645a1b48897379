// `has_any` is a string operator.
use kql_builder::{types, Column};
fn main() {
    let _ = Column::<types::Long>::new("RemotePort").has_any(["443"]);
}
