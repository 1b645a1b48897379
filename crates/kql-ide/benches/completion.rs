//! Completion latency on a large document.

fn main() {
    divan::main();
}
