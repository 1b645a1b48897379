//! Every feature over real queries (../shared/corpus/valid): no panic, and the invariants
//! clients rely on (sorted non-overlapping semantic tokens, nested selection ranges, edits
//! inside the text).

use std::path::Path;

use kql_ide::{Analysis, TextRange, TextSize};

use crate::fixture::config;

fn corpus_files() -> Vec<std::path::PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/valid");
    kql_syntax::corpus::kql_files(&root)
}

#[test]
fn every_feature_on_real_queries() {
    let files = corpus_files();
    assert!(files.len() > 1000, "corpus not found beside the repository");
    // Every 7th file keeps this quick in debug builds; each at a spread of offsets.
    for path in files.iter().step_by(7) {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let a = Analysis::new(&text, &config());
        let len = TextSize::of(text.as_str());
        let tokens = a.semantic_tokens(None);
        for w in tokens.windows(2) {
            assert!(w[0].range.end() <= w[1].range.start(), "{}", path.display());
        }
        let _ = (
            a.document_symbols(),
            a.folding_ranges(),
            a.inlay_hints(TextRange::up_to(len)),
        );
        let _ = a.code_actions(TextRange::up_to(len));
        let step = (text.len() / 12).max(1);
        for i in (0..=text.len()).step_by(step) {
            let at = TextSize::from(i as u32);
            let _ = (a.completions(at, true), a.hover(at), a.signature_help(at));
            let _ = (
                a.goto_definition(at),
                a.highlights(at),
                a.prepare_rename(at),
            );
            if let Ok(edits) = a.rename(at, "renamed") {
                assert!(
                    edits.iter().all(|e| e.range.end() <= len),
                    "{}",
                    path.display()
                );
            }
            let sel = a.selection_ranges(at);
            for w in sel.windows(2) {
                assert!(w[1].contains_range(w[0]), "{}", path.display());
            }
        }
    }
}

#[test]
fn every_feature_on_broken_text_at_every_offset() {
    let texts = [
        "",
        "|",
        "((((",
        "let",
        "let x =",
        "T | join kind=inner (U) on $left.",
        "print 'é', \"ü\" | where é",
        "print \"unterminated",
        "/* open comment",
        "T | summarize by by by",
        "datatable(a:long)[1, 2",
        "let f = (a:long { a };\nf(",
        ".show tables",
        "T\n\n| where",
    ];
    for text in texts {
        let a = Analysis::new(text, &config());
        let past = TextSize::of(text) + TextSize::from(5);
        let everything = TextRange::up_to(past);
        let _ = (
            a.semantic_tokens(Some(everything)),
            a.inlay_hints(everything),
        );
        let _ = (
            a.code_actions(everything),
            a.format_range(everything),
            a.format(),
        );
        let _ = (a.document_symbols(), a.folding_ranges(), a.syntax_tree());
        for i in 0..=u32::from(past) {
            let at = TextSize::from(i);
            let _ = (a.completions(at, true), a.hover(at), a.signature_help(at));
            let _ = (
                a.goto_definition(at),
                a.references(at, true),
                a.highlights(at),
            );
            let _ = (
                a.prepare_rename(at),
                a.rename(at, "n"),
                a.selection_ranges(at),
            );
        }
    }
}
