// `ago` takes a timespan, not a number.
use kql_builder::ago;
fn main() {
    let _ = ago(7i64);
}
