//! Lossless, error-resilient KQL parser.
//!
//! ```
//! let parse = kql_syntax::parse("DeviceProcessEvents | where Timestamp > ago(7d) | take 10");
//! assert!(parse.diagnostics().is_empty());
//! assert_eq!(parse.syntax().to_string(), "DeviceProcessEvents | where Timestamp > ago(7d) | take 10");
//! ```
//!
//! * The lexer ([`lexer`]) is a nom parser over `&str`; every byte lands in a token.
//! * The grammar runs over the significant tokens, using nom combinators over the token slice
//!   ([`token_input`]) for fixed token sequences, and emits events that become a rowan tree.
//!   Any input gives a tree plus diagnostics; `parse(text).syntax().to_string() == text` always.
//! * [`parse`] treats the whole text as one query (what the Advanced Hunting API receives);
//!   [`parse_blocks`] splits at blank lines first, like Kusto's editors.
//!
//! Diagnostic codes: `KQL001` expected something, `KQL002` unclosed bracket, `KQL003`
//! unexpected tokens skipped, `KQL004` nesting too deep, `KQL005` unterminated string,
//! `KQL010` control command (a warning: Advanced Hunting does not run them).

pub mod ast;
mod blocks;
pub mod corpus;
pub mod lexer;
mod literal;
pub mod names;
pub mod operator_words;
mod parser;
mod syntax_kind;
pub mod token_input;
mod tree_dump;
pub mod word_operators;

pub use kql_diagnostics::{Diagnostic, Severity, TextRange, TextSize};
pub use literal::string_literal_value;
pub use syntax_kind::{KqlLanguage, SyntaxElement, SyntaxKind, SyntaxNode, SyntaxToken};
pub use tree_dump::debug_tree;

use ast::AstNode;
use rowan::GreenNode;

/// A parsed text: the lossless tree and the syntax diagnostics. Parsing never fails.
#[derive(Debug, Clone)]
pub struct Parse {
    green: GreenNode,
    diagnostics: Vec<Diagnostic>,
}

impl Parse {
    /// The root node (`SOURCE_FILE`).
    pub fn syntax(&self) -> SyntaxNode {
        SyntaxNode::new_root(self.green.clone())
    }

    /// The typed root.
    pub fn tree(&self) -> ast::SourceFile {
        ast::SourceFile::cast(self.syntax()).expect("the root is always a SOURCE_FILE")
    }

    pub fn green(&self) -> &GreenNode {
        &self.green
    }

    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        self.diagnostics
    }

    /// Whether any diagnostic is an error (control-command warnings are not).
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
}

/// Parses the whole text as one query.
pub fn parse(text: &str) -> Parse {
    let (green, diagnostics) = parse_to_green(text, SyntaxKind::SOURCE_FILE);
    Parse { green, diagnostics }
}

/// Splits the text into blocks at blank lines (as Kusto Explorer and the Azure Data Explorer web
/// UI do) and parses each block on its own. The root holds one `QUERY_BLOCK` per block.
pub fn parse_blocks(text: &str) -> Parse {
    blocks::parse_blocks(text)
}

/// The byte ranges of the blank-line-separated blocks of `text`.
pub fn block_ranges(text: &str) -> Vec<TextRange> {
    blocks::block_ranges(text)
}

pub(crate) fn parse_to_green(text: &str, root: SyntaxKind) -> (GreenNode, Vec<Diagnostic>) {
    let tokens = lexer::tokenize(text);
    let mut p = parser::Parser::new(&tokens);
    parser::grammar::source_file(&mut p);
    let (mut events, mut diagnostics) = p.finish();
    if let Some(parser::Event::Start { kind, .. }) = events.first_mut() {
        *kind = root;
    }
    let green = parser::build_tree(&tokens, events);
    for e in &tokens.errors {
        diagnostics.push(Diagnostic::error(
            "KQL005",
            e.message,
            TextRange::new(e.start.into(), e.end.into()),
        ));
    }
    diagnostics.sort_by_key(|d| d.range.start());
    (green, diagnostics)
}
