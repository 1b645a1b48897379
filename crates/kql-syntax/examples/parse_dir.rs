//! Parses every `.kql` file under a folder a number of times; a driver for profilers.
//!
//! `cargo run --release -p kql-syntax --example parse_dir -- DIR [ROUNDS]`

use std::path::Path;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args.next().unwrap_or_else(|| "tests/data".to_string());
    let rounds: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(20);
    let texts = kql_syntax::corpus::kql_texts(Path::new(&dir));
    let bytes: usize = texts.iter().map(String::len).sum();
    let start = std::time::Instant::now();
    let mut errors = 0;
    for _ in 0..rounds {
        for t in &texts {
            errors += kql_syntax::parse(t).diagnostics().len();
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{} files, {} bytes, {} rounds: {:.1} MB/s ({} diagnostics)",
        texts.len(),
        bytes,
        rounds,
        (bytes * rounds) as f64 / secs / 1e6,
        errors / rounds.max(1)
    );
}
