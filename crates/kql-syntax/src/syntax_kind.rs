//! Every kind of token and node in the KQL syntax tree.
//!
//! Words are not split into keyword kinds: KQL keywords are contextual (`count`, `kind`, `title`
//! are keywords in one place and column names in another), so the lexer produces [`SyntaxKind::IDENT`]
//! for every word and the parser decides by position and text.

/// Declares the kind enum and the table of all kinds (so raw values convert back without `unsafe`).
macro_rules! syntax_kinds {
    ($($(#[$meta:meta])* $name:ident,)*) => {
        /// Token and node kinds. Tokens come first; `is_trivia` and `is_token` tell them apart.
        #[allow(non_camel_case_types, clippy::upper_case_acronyms)]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[repr(u16)]
        pub enum SyntaxKind {
            $($(#[$meta])* $name,)*
        }

        const ALL_KINDS: &[SyntaxKind] = &[$(SyntaxKind::$name,)*];
    };
}

syntax_kinds! {
    // ---- trivia ----
    WHITESPACE,
    COMMENT,
    // ---- tokens ----
    /// A word: identifier or contextual keyword, including hyphenated operator names such as
    /// `project-away` and `$left`.
    IDENT,
    /// `!has`, `!contains_cs`, `!in`, `!between` ... and `in~`: word operators glued to `!`/`~`.
    OP_WORD,
    INT_LITERAL,
    REAL_LITERAL,
    TIMESPAN_LITERAL,
    STRING_LITERAL,
    /// `datetime(...)`, `timespan(...)`, `guid(...)`, `int(...)`, `decimal(...)`, `bool(...)` and
    /// the other literals whose parenthesised text is not made of ordinary tokens.
    TYPED_LITERAL,
    /// A `#connect`-style client directive line.
    DIRECTIVE,
    PIPE,
    SEMICOLON,
    COMMA,
    DOT,
    DOT2,
    COLON,
    L_PAREN,
    R_PAREN,
    L_BRACK,
    R_BRACK,
    L_CURLY,
    R_CURLY,
    EQ,
    EQ2,
    NEQ,
    LT,
    LTEQ,
    GT,
    GTEQ,
    EQ_TILDE,
    BANG_TILDE,
    PLUS,
    MINUS,
    STAR,
    SLASH,
    PERCENT,
    FAT_ARROW,
    QUESTION,
    AT,
    /// A character that starts no KQL token.
    ERROR_TOKEN,
    EOF,

    // ---- nodes ----
    SOURCE_FILE,
    /// One blank-line-separated block in blocks mode.
    QUERY_BLOCK,
    ERROR,

    // statements
    LET_STMT,
    SET_STMT,
    DECLARE_STMT,
    ALIAS_STMT,
    PATTERN_STMT,
    RESTRICT_STMT,
    QUERY_STMT,
    CONTROL_COMMAND,
    DIRECTIVE_STMT,

    // shared pieces
    NAME,
    NAME_LIST,
    OPERATOR_PARAM,
    TYPE_REF,
    SCHEMA,
    COLUMN_DECL,
    PARAM_LIST,
    PARAM,
    FUNCTION_BODY,
    LAMBDA,
    ASSIGNMENT,
    TUPLE_NAMES,
    BY_CLAUSE,
    ON_CLAUSE,
    WITH_CLAUSE,
    SORT_KEY,
    TO_TYPEOF,
    PARSE_PATTERN,
    WILDCARD_NAME,
    SUBQUERY,

    // expressions
    PIPE_EXPR,
    BIN_EXPR,
    PREFIX_EXPR,
    PAREN_EXPR,
    LIST_EXPR,
    CALL_EXPR,
    ARG_LIST,
    NAMED_ARG,
    NAME_REF,
    LITERAL,
    DYNAMIC_LITERAL,
    JSON_ARRAY,
    JSON_OBJECT,
    JSON_PAIR,
    TYPEOF_EXPR,
    MEMBER_EXPR,
    INDEX_EXPR,
    IN_EXPR,
    BETWEEN_EXPR,
    RANGE_PAIR,
    STAR_EXPR,
    /// A lone `@` used as a value (Kusto's parser accepts it; it is not a verbatim string).
    AT_EXPR,
    GRAPH_PATTERN,
    GRAPH_NODE,
    GRAPH_EDGE,

    // tabular operators
    AS_OP,
    CONSUME_OP,
    COUNT_OP,
    DATATABLE_OP,
    DISTINCT_OP,
    EVALUATE_OP,
    EXTEND_OP,
    EXTERNALDATA_OP,
    FACET_OP,
    FIND_OP,
    FORK_OP,
    GETSCHEMA_OP,
    GRAPH_MATCH_OP,
    GRAPH_SHORTEST_PATHS_OP,
    GRAPH_TO_TABLE_OP,
    GRAPH_MARK_COMPONENTS_OP,
    GRAPH_MERGE_OP,
    MAKE_GRAPH_OP,
    INVOKE_OP,
    JOIN_OP,
    TAKE_OP,
    LOOKUP_OP,
    MAKE_SERIES_OP,
    MV_APPLY_OP,
    MV_EXPAND_OP,
    ORDER_OP,
    PARSE_OP,
    PARSE_WHERE_OP,
    PARSE_KV_OP,
    PARTITION_OP,
    PRINT_OP,
    PROJECT_OP,
    PROJECT_AWAY_OP,
    PROJECT_KEEP_OP,
    PROJECT_RENAME_OP,
    PROJECT_REORDER_OP,
    PROJECT_BY_NAMES_OP,
    PROJECT_SMART_OP,
    RANGE_OP,
    REDUCE_OP,
    RENDER_OP,
    SAMPLE_OP,
    SAMPLE_DISTINCT_OP,
    SCAN_OP,
    SCAN_STEP,
    SEARCH_OP,
    SERIALIZE_OP,
    SUMMARIZE_OP,
    TOP_OP,
    TOP_NESTED_OP,
    TOP_NESTED_CLAUSE,
    TOP_HITTERS_OP,
    UNION_OP,
    WHERE_OP,
    MACRO_EXPAND_OP,
    ASSERT_SCHEMA_OP,
    EXECUTE_AND_CACHE_OP,
    /// `|` followed by something that is not a known operator.
    UNKNOWN_OP,
    #[doc(hidden)]
    __LAST,
}

use SyntaxKind::*;

impl SyntaxKind {
    pub fn is_trivia(self) -> bool {
        matches!(self, WHITESPACE | COMMENT)
    }

    pub fn is_token(self) -> bool {
        (self as u16) <= (EOF as u16)
    }

    pub fn is_literal_token(self) -> bool {
        matches!(
            self,
            INT_LITERAL | REAL_LITERAL | TIMESPAN_LITERAL | STRING_LITERAL | TYPED_LITERAL
        )
    }

    /// Whether this node kind is a tabular operator (the thing after a `|`).
    pub fn is_tabular_operator(self) -> bool {
        (self as u16) >= (AS_OP as u16)
            && (self as u16) <= (UNKNOWN_OP as u16)
            // Clauses declared among the operators, not operators themselves.
            && !matches!(self, SCAN_STEP | TOP_NESTED_CLAUSE)
    }
}

impl From<SyntaxKind> for rowan::SyntaxKind {
    fn from(kind: SyntaxKind) -> Self {
        rowan::SyntaxKind(kind as u16)
    }
}

/// The rowan language tag for KQL trees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum KqlLanguage {}

impl rowan::Language for KqlLanguage {
    type Kind = SyntaxKind;

    fn kind_from_raw(raw: rowan::SyntaxKind) -> SyntaxKind {
        ALL_KINDS.get(raw.0 as usize).copied().unwrap_or(ERROR)
    }

    fn kind_to_raw(kind: SyntaxKind) -> rowan::SyntaxKind {
        kind.into()
    }
}

pub type SyntaxNode = rowan::SyntaxNode<KqlLanguage>;
pub type SyntaxToken = rowan::SyntaxToken<KqlLanguage>;
pub type SyntaxElement = rowan::SyntaxElement<KqlLanguage>;
