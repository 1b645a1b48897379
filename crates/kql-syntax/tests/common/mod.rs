//! Helpers shared by the integration tests: fixture discovery and diagnostic rendering.

#![allow(dead_code)]

use std::fmt::Write;
use std::path::{Path, PathBuf};

use kql_syntax::{Diagnostic, Parse, SyntaxKind, SyntaxNode, TextRange};

/// The crate's fixture root, `tests/data`.
pub fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("data")
}

/// One fixture: its name (file stem), path and text.
pub struct Fixture {
    pub name: String,
    pub path: PathBuf,
    pub text: String,
}

/// Every `*.kql` file directly in `tests/data/<sub>`, sorted by name.
pub fn fixtures(sub: &str) -> Vec<Fixture> {
    let dir = data_dir().join(sub);
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|ext| ext == "kql"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no fixtures in {}", dir.display());
    paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            Fixture { name, path, text }
        })
        .collect()
}

fn range(r: TextRange) -> String {
    format!("{}..{}", u32::from(r.start()), u32::from(r.end()))
}

/// One line per diagnostic (and one indented line per label).
pub fn render_diagnostics(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let _ = writeln!(
            out,
            "{} {} {}: {}",
            d.severity.as_str(),
            d.code,
            range(d.range),
            d.message
        );
        for label in &d.labels {
            let _ = writeln!(out, "  label {}: {}", range(label.range), label.message);
        }
    }
    if out.is_empty() {
        out.push_str("(none)\n");
    }
    out
}

/// The snapshot text: diagnostics first (short, the interesting part), then the tree.
pub fn snapshot_text(parse: &Parse) -> String {
    format!(
        "diagnostics:\n{}\ntree:\n{}",
        render_diagnostics(parse.diagnostics()),
        kql_syntax::debug_tree(&parse.syntax())
    )
}

/// Checks the invariants every parse must satisfy, returning a description of the first violation:
/// the tree's text equals the input, and each diagnostic/label range lies inside the text on char
/// boundaries.
pub fn check_invariants(text: &str, parse: &Parse) -> Result<(), String> {
    let root = parse.syntax();
    let tree_text = root.to_string();
    if tree_text != text {
        return Err(format!(
            "tree text differs from input (input {} bytes, tree {} bytes)",
            text.len(),
            tree_text.len()
        ));
    }
    if u32::from(root.text_range().end()) as usize != text.len() {
        return Err("root range does not cover the text".into());
    }
    let in_text = |r: TextRange| {
        let (s, e) = (u32::from(r.start()) as usize, u32::from(r.end()) as usize);
        s <= e && e <= text.len() && text.is_char_boundary(s) && text.is_char_boundary(e)
    };
    for d in parse.diagnostics() {
        if !in_text(d.range) {
            return Err(format!(
                "diagnostic range {:?} outside text: {}",
                d.range, d.message
            ));
        }
        for l in &d.labels {
            if !in_text(l.range) {
                return Err(format!(
                    "label range {:?} outside text: {}",
                    l.range, l.message
                ));
            }
        }
    }
    Ok(())
}

/// Nodes of `kind` in preorder.
pub fn nodes_of_kind(root: &SyntaxNode, kind: SyntaxKind) -> Vec<SyntaxNode> {
    root.descendants().filter(|n| n.kind() == kind).collect()
}
