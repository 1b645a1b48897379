//! Writes generated string literals for checking with Microsoft's parser.
//!
//! ```sh
//! cargo run -p kql-builder --example literal_corpus -- 3000 /tmp/lits
//! node ../shared/oracle/oracle.js literals < /tmp/lits/literals.jsonl > /tmp/lits/oracle.jsonl
//! ```
//! `literals.jsonl` has one JSON string per line (the KQL literal text, as the oracle reads it);
//! `expected.jsonl` the value each literal must have, in the same order.

use std::io::Write;

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

const TRICKY: &[char] = &[
    '\'',
    '"',
    '\\',
    '\n',
    '\r',
    '\t',
    '\0',
    '\u{1}',
    '\u{1f}',
    '\u{7f}',
    '\u{85}',
    '\u{a0}',
    '\u{2028}',
    '\u{2029}',
    '\u{feff}',
    '\u{fffd}',
    '@',
    'h',
    'H',
    '[',
    ']',
    '/',
    '*',
    '`',
    'é',
    '😀',
    '\u{10ffff}',
    '𝄞',
];

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(3000);
    let dir = std::path::PathBuf::from(args.next().unwrap_or_else(|| "literal_corpus".into()));
    std::fs::create_dir_all(&dir).expect("create output directory");
    let mut lits =
        std::io::BufWriter::new(std::fs::File::create(dir.join("literals.jsonl")).unwrap());
    let mut expected =
        std::io::BufWriter::new(std::fs::File::create(dir.join("expected.jsonl")).unwrap());
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for i in 0..n {
        let len = (rng.next() % 24) as usize;
        let s: String = (0..len)
            .map(|_| match rng.next() % 4 {
                0 | 1 => TRICKY[(rng.next() % TRICKY.len() as u64) as usize],
                2 => char::from_u32((rng.next() % 0x80) as u32).unwrap(),
                _ => loop {
                    if let Some(c) = char::from_u32((rng.next() % 0x11_0000) as u32) {
                        break c;
                    }
                },
            })
            .collect();
        // Every third case is also checked as a quoted identifier's inside (`'...'` form).
        let lit = if i % 3 == 2 {
            let id = kql_builder::escape_identifier(&s);
            match id.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
                Some(inner) => inner.to_owned(),
                None => kql_builder::escape_string(&s),
            }
        } else {
            kql_builder::escape_string(&s)
        };
        writeln!(lits, "{}", serde_json::Value::String(lit)).unwrap();
        writeln!(expected, "{}", serde_json::Value::String(s)).unwrap();
    }
}
