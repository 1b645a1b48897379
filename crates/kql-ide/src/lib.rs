//! Editor features for KQL as plain, synchronous functions over one document.
//!
//! [`Analysis::new`] parses, binds and lints a text once (exactly what `kql lint` reports for it
//! with the same settings); every feature is then a method taking UTF-8 byte offsets and
//! returning plain structs ([`types`]). Nothing here knows a protocol or a runtime: `kql-lsp`
//! converts positions and kinds at its boundary and runs these on its analysis thread.
//!
//! [`Analysis`] holds the semantic model, which uses `Rc`, so it is not `Send`: build and use it
//! on one thread.
//!
//! Every feature works on incomplete text (the tree is always there) and never panics on an
//! offset past the end (offsets are clamped).
//!
//! Decisions:
//! * Completion reads its context from the tokens before the cursor (unfinished text parses
//!   into odd trees, its tokens are always right) and the columns from the semantic model's
//!   scope of the operator the cursor is in. Items are not filtered by the typed prefix:
//!   clients filter as the user types.
//! * Columns are followed by name along a pipeline and through `let` names (see
//!   `occurrences.rs`); a table's columns can be found and highlighted but not renamed.
//! * Built-in functions have no descriptions (the catalog carries none): hover and completion
//!   show their signatures and kind.
//! * Inlay hints come from `kql_lint::analysis` (the same time paths and row bounds the rules
//!   judge), so a hint and a finding never disagree.

mod code_actions;
mod completion;
mod folding;
mod formatting;
mod hover;
mod inlay_hints;
mod names;
mod navigation;
mod occurrences;
mod selection;
mod semantic_tokens;
mod signature_help;
mod signatures;
mod symbols;
pub mod types;

use std::sync::{Arc, OnceLock};

pub use kql_diagnostics::{Diagnostic, TextEdit, TextRange, TextSize};
pub use types::*;

use kql_schema::Schema;
use kql_syntax::{Parse, SyntaxNode};

/// What an analysis is configured with: the lint settings, the schema, blocks mode, and which
/// optional features are on.
#[derive(Debug, Clone)]
pub struct IdeConfig {
    pub lint: kql_lint::Settings,
    /// Tables and stored functions. Use [`builtin_schema`] for the built-in Advanced Hunting
    /// schema: analysis recognises that `Arc` and takes the built-in schema's cached fast paths.
    pub schema: Arc<Schema>,
    /// Split the text into blank-line-separated blocks, as `kql lint --blocks` does.
    pub blocks: bool,
    /// Show inlay hints (time windows and row bounds).
    pub inlay_hints: bool,
    /// Layout for [`Analysis::format`] and [`Analysis::format_range`].
    pub format: kql_fmt::FormatOptions,
}

impl Default for IdeConfig {
    fn default() -> Self {
        IdeConfig {
            lint: kql_lint::Settings::default(),
            schema: builtin_schema(),
            blocks: false,
            inlay_hints: true,
            format: kql_fmt::FormatOptions::default(),
        }
    }
}

/// The built-in Advanced Hunting schema, shared. [`Analysis::new`] recognises this `Arc` (by
/// pointer) and uses the built-in schema's caches.
pub fn builtin_schema() -> Arc<Schema> {
    static BUILTIN: OnceLock<Arc<Schema>> = OnceLock::new();
    BUILTIN
        .get_or_init(|| Arc::new(Schema::advanced_hunting().clone()))
        .clone()
}

/// One analysed document: text, tree, semantic model and diagnostics.
#[derive(Debug)]
pub struct Analysis {
    text: String,
    parse: Parse,
    model: kql_semantic::Model,
    diagnostics: Vec<Diagnostic>,
    config: IdeConfig,
}

impl Analysis {
    /// Parses (whole text, or blocks per `config.blocks`), binds and lints `text`.
    pub fn new(text: &str, config: &IdeConfig) -> Analysis {
        let parse = parse_text(text, config.blocks);
        let report = kql_lint::check_and_lint(text, &parse, &config.lint, schema_of(config));
        Analysis {
            text: text.to_string(),
            parse,
            model: report.model,
            diagnostics: report.diagnostics,
            config: config.clone(),
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// Syntax, semantic and lint findings, in the order `kql lint` reports them.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    pub fn config(&self) -> &IdeConfig {
        &self.config
    }

    /// The completion items at `offset`; `snippets`: whether the client accepts snippet text
    /// (functions then complete with placeholders for their parameters).
    pub fn completions(&self, offset: TextSize, snippets: bool) -> Vec<CompletionItem> {
        completion::completions(self, self.clamp(offset), snippets)
    }

    pub fn hover(&self, offset: TextSize) -> Option<Hover> {
        hover::hover(self, self.clamp(offset))
    }

    pub fn signature_help(&self, offset: TextSize) -> Option<SignatureHelp> {
        signature_help::signature_help(self, self.clamp(offset))
    }

    /// Where the name at `offset` is defined (empty when it is not a name we can follow).
    pub fn goto_definition(&self, offset: TextSize) -> Vec<TextRange> {
        navigation::goto_definition(self, self.clamp(offset))
    }

    /// Every use of the name at `offset`, sorted, with its definition when asked.
    pub fn references(&self, offset: TextSize, include_declaration: bool) -> Vec<TextRange> {
        navigation::references(self, self.clamp(offset), include_declaration)
    }

    pub fn highlights(&self, offset: TextSize) -> Vec<Highlight> {
        navigation::highlights(self, self.clamp(offset))
    }

    /// The range of the renameable name at `offset`, or why it cannot be renamed.
    pub fn prepare_rename(&self, offset: TextSize) -> Result<TextRange, String> {
        navigation::prepare_rename(self, self.clamp(offset))
    }

    /// The edits that rename the name at `offset` (definition and every reference).
    pub fn rename(&self, offset: TextSize, new_name: &str) -> Result<Vec<TextEdit>, String> {
        navigation::rename(self, self.clamp(offset), new_name)
    }

    pub fn document_symbols(&self) -> Vec<DocumentSymbol> {
        symbols::document_symbols(self)
    }

    pub fn folding_ranges(&self) -> Vec<Fold> {
        folding::folding_ranges(self)
    }

    /// Ranges around `offset`, innermost first, each containing the previous one.
    pub fn selection_ranges(&self, offset: TextSize) -> Vec<TextRange> {
        selection::selection_ranges(self, self.clamp(offset))
    }

    /// Classified ranges (all of them, or those overlapping `range`), sorted, non-overlapping.
    pub fn semantic_tokens(&self, range: Option<TextRange>) -> Vec<SemanticToken> {
        semantic_tokens::semantic_tokens(self, range.map(|r| self.clamp_range(r)))
    }

    /// Time windows and row bounds inside `range` (none when `inlay_hints` is off).
    pub fn inlay_hints(&self, range: TextRange) -> Vec<InlayHint> {
        if !self.config.inlay_hints {
            return Vec::new();
        }
        inlay_hints::inlay_hints(self, self.clamp_range(range))
    }

    /// Quick fixes for the findings that overlap `range`, and the document's fix-all action.
    pub fn code_actions(&self, range: TextRange) -> Vec<CodeAction> {
        code_actions::code_actions(self, self.clamp_range(range))
    }

    /// Edits that format the whole document (none when it is already formatted); an error
    /// (the first syntax error) when the text does not parse.
    pub fn format(&self) -> Result<Vec<TextEdit>, String> {
        formatting::format(self)
    }

    /// Edits that format the statements overlapping `range`.
    pub fn format_range(&self, range: TextRange) -> Result<Vec<TextEdit>, String> {
        formatting::format_range(self, self.clamp_range(range))
    }

    /// The lossless tree as text (as `kql parse --tree` prints it).
    pub fn syntax_tree(&self) -> String {
        kql_syntax::debug_tree(&self.root())
    }

    pub(crate) fn root(&self) -> SyntaxNode {
        self.parse.syntax()
    }

    pub(crate) fn model(&self) -> &kql_semantic::Model {
        &self.model
    }

    pub(crate) fn schema(&self) -> &Schema {
        schema_of(&self.config)
    }

    /// `range` with both ends clamped like [`Analysis::clamp`].
    fn clamp_range(&self, range: TextRange) -> TextRange {
        TextRange::new(self.clamp(range.start()), self.clamp(range.end()))
    }

    /// `offset`, moved back to the end of the text when past it.
    fn clamp(&self, offset: TextSize) -> TextSize {
        let end = TextSize::of(self.text.as_str());
        let mut o = offset.min(end);
        while !self.text.is_char_boundary(u32::from(o) as usize) {
            o -= TextSize::from(1);
        }
        o
    }
}

/// Parses `text` whole, or block by block in blocks mode (as `kql lint --blocks`).
pub(crate) fn parse_text(text: &str, blocks: bool) -> Parse {
    if blocks {
        kql_syntax::parse_blocks(text)
    } else {
        kql_syntax::parse(text)
    }
}

/// The schema to analyse with: the built-in `&'static` one when `config` holds [`builtin_schema`].
fn schema_of(config: &IdeConfig) -> &Schema {
    if Arc::ptr_eq(&config.schema, &builtin_schema()) {
        Schema::advanced_hunting()
    } else {
        &config.schema
    }
}
