// KQL rejects == on dynamic values without a cast.
use kql_builder::{types, Column};
fn main() {
    let d = Column::<types::Dynamic>::new("AdditionalFields");
    let _ = d.eq(serde_json::json!(1));
}
