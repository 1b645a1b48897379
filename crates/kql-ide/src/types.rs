//! The plain structs editor features return. Ranges and offsets are UTF-8 byte offsets into the
//! document text; converting them (and these kinds) to a protocol is the client's business.

use kql_diagnostics::{TextEdit, TextRange, TextSize};

/// What a completion item is (an LSP client maps it to its own item kinds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CompletionKind {
    Table,
    Column,
    /// A scalar (or window) built-in function.
    Function,
    AggregateFunction,
    /// An `evaluate` plugin.
    Plugin,
    /// A `let` name or an `as` name.
    Variable,
    /// A parameter of the enclosing function.
    Parameter,
    /// A stored function of the schema or a `let` function.
    UserFunction,
    /// A tabular operator after `|`, or a statement keyword.
    Keyword,
    /// A fixed value, such as a `kind=` flavour.
    Value,
}

/// One completion proposal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompletionItem {
    /// What the list shows (`DeviceName`, `project-away`, `strcat`).
    pub label: String,
    pub kind: CompletionKind,
    /// A short note shown beside the label (a column's type, a function's signature).
    pub detail: Option<String>,
    /// Longer Markdown text (a function's description).
    pub documentation: Option<String>,
    /// The text to insert in place of `replace_range`; a snippet when `is_snippet`.
    pub insert_text: String,
    /// `insert_text` uses snippet syntax (`$1`, `${1:name}`, `$0`).
    pub is_snippet: bool,
    /// The range the item replaces: the partial word before (and after) the cursor.
    pub replace_range: TextRange,
    /// Relevance order: clients sort by this string (lower first).
    pub sort_text: String,
}

/// Hover text for the thing under the cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hover {
    /// The range the hover is about (the name, the literal, the finding).
    pub range: TextRange,
    pub markdown: String,
}

/// One parameter of a [`SignatureInfo`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParameterInfo {
    /// The parameter as written in the signature label (`start:long`).
    pub label: String,
    /// Byte range of `label` within the signature's label.
    pub label_range: std::ops::Range<usize>,
    pub documentation: Option<String>,
}

/// One signature (overload) of a function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureInfo {
    /// `substring(source:string, start:long, length:long?) -> string`.
    pub label: String,
    pub documentation: Option<String>,
    pub parameters: Vec<ParameterInfo>,
}

/// Signature help for the call around the cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureHelp {
    pub signatures: Vec<SignatureInfo>,
    pub active_signature: usize,
    /// The parameter the cursor's argument binds to (`None` past the last parameter).
    pub active_parameter: Option<usize>,
}

/// Whether an occurrence reads or defines a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HighlightKind {
    Read,
    Write,
}

/// One occurrence of the name under the cursor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Highlight {
    pub range: TextRange,
    pub kind: HighlightKind,
}

/// What a [`DocumentSymbol`] stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SymbolKind {
    /// A blank-line-separated block (blocks mode).
    Block,
    /// A query statement (the tabular expression that produces a result).
    Query,
    /// A `let` bound to a value.
    Variable,
    /// A `let` bound to a function (`let f = (x:long) { ... }`).
    Function,
    Parameter,
    /// A column introduced by `extend`, `project`, `summarize`.
    Column,
    /// `set`, `declare`, `alias`, `pattern`, `restrict` statements.
    Statement,
}

/// An outline entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentSymbol {
    pub name: String,
    pub detail: Option<String>,
    pub kind: SymbolKind,
    /// The whole construct.
    pub range: TextRange,
    /// The part to select when the symbol is picked (its name).
    pub selection_range: TextRange,
    pub children: Vec<DocumentSymbol>,
}

/// What a [`Fold`] folds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FoldKind {
    /// A run of line comments.
    Comment,
    /// A block, a multi-line statement, subquery, argument list or string.
    Region,
}

/// A foldable range (whole lines, from the line of `range.start()` to that of `range.end()`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fold {
    pub range: TextRange,
    pub kind: FoldKind,
}

/// Semantic token types. [`SemanticTokenKind::LEGEND`] lists their names in index order; the
/// names are LSP's standard token types except `datetime` and `timespan`, which have none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u32)]
pub enum SemanticTokenKind {
    /// A table (standard type `class`).
    Table,
    /// A column (`property`).
    Column,
    /// A function call (`function`).
    Function,
    /// A `let` or `as` name (`variable`).
    Variable,
    Parameter,
    /// Operator and statement keywords (`where`, `let`, `by`, `and`, `has`).
    Keyword,
    /// Symbolic operators (`==`, `+`, `|`).
    Operator,
    String,
    Number,
    /// `datetime(...)` literals (custom type; clients may map it to `number`).
    DateTime,
    /// `1d`, `timespan(...)` literals (custom type; clients may map it to `number`).
    TimeSpan,
    Comment,
    /// A type name in a declaration (`type`).
    Type,
}

impl SemanticTokenKind {
    /// Token type names, indexed by `kind as u32`.
    pub const LEGEND: &'static [&'static str] = &[
        "class",
        "property",
        "function",
        "variable",
        "parameter",
        "keyword",
        "operator",
        "string",
        "number",
        "datetime",
        "timespan",
        "comment",
        "type",
    ];

    pub fn index(self) -> u32 {
        self as u32
    }

    pub fn name(self) -> &'static str {
        Self::LEGEND[self as usize]
    }
}

/// Semantic token modifiers, as bits; [`SemanticTokenModifiers::LEGEND`] names bit `i`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct SemanticTokenModifiers(pub u32);

impl SemanticTokenModifiers {
    /// Where a name is defined.
    pub const DECLARATION: SemanticTokenModifiers = SemanticTokenModifiers(1);
    /// Built-in functions and the built-in schema's tables.
    pub const DEFAULT_LIBRARY: SemanticTokenModifiers = SemanticTokenModifiers(2);
    /// A deprecated function or renamed table.
    pub const DEPRECATED: SemanticTokenModifiers = SemanticTokenModifiers(4);
    pub const LEGEND: &'static [&'static str] = &["declaration", "defaultLibrary", "deprecated"];

    pub fn contains(self, other: SemanticTokenModifiers) -> bool {
        self.0 & other.0 == other.0
    }
}

impl std::ops::BitOr for SemanticTokenModifiers {
    type Output = SemanticTokenModifiers;
    fn bitor(self, rhs: Self) -> Self {
        SemanticTokenModifiers(self.0 | rhs.0)
    }
}

/// One classified range. Tokens never span lines except block comments and multi-line strings;
/// a client that cannot show multi-line tokens splits them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SemanticToken {
    pub range: TextRange,
    pub kind: SemanticTokenKind,
    pub modifiers: SemanticTokenModifiers,
}

/// What an [`InlayHint`] shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InlayHintKind {
    /// The time window a table read reaches, after its time filter.
    TimeWindow,
    /// The proven bound on the rows a query returns, at its end.
    RowBound,
}

/// A hint shown inline at `offset`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlayHint {
    pub offset: TextSize,
    pub label: String,
    pub kind: InlayHintKind,
    pub tooltip: Option<String>,
}

/// The kind of a [`CodeAction`] (LSP: `quickfix`, `source.fixAll.kql`, `refactor.rewrite`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CodeActionKind {
    QuickFix,
    /// All safe fixes of the document (`source.fixAll.kql`).
    SourceFixAll,
    RefactorRewrite,
}

/// A change the editor can apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeAction {
    pub title: String,
    pub kind: CodeActionKind,
    /// Non-overlapping edits against the current text.
    pub edits: Vec<TextEdit>,
    /// The action the editor may apply on its own (safe lint fixes).
    pub is_preferred: bool,
    /// The index in [`crate::Analysis::diagnostics`] of the finding this action fixes.
    pub diagnostic: Option<usize>,
    /// That finding's code (`KQL202`, `KQL1xx`).
    pub code: Option<String>,
}
