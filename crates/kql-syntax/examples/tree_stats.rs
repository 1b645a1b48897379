//! Counts nodes and tokens by kind over every `.kql` file under a folder (where parse time goes).
//!
//! `cargo run --release -p kql-syntax --example tree_stats -- DIR`

use std::collections::BTreeMap;

fn main() {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "tests/data".to_string());
    let mut nodes: BTreeMap<String, usize> = BTreeMap::new();
    let (mut n_nodes, mut n_tokens) = (0usize, 0usize);
    for text in kql_syntax::corpus::kql_texts(std::path::Path::new(&dir)) {
        for el in kql_syntax::parse(&text).syntax().descendants_with_tokens() {
            match el {
                rowan::NodeOrToken::Node(n) => {
                    n_nodes += 1;
                    *nodes.entry(format!("{:?}", n.kind())).or_default() += 1;
                }
                rowan::NodeOrToken::Token(_) => n_tokens += 1,
            }
        }
    }
    println!("nodes {n_nodes}, tokens {n_tokens}");
    let mut v: Vec<_> = nodes.into_iter().collect();
    v.sort_by_key(|e| std::cmp::Reverse(e.1));
    for (k, c) in v.iter().take(15) {
        println!("{c:8} {k}");
    }
}
