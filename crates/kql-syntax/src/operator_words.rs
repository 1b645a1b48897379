//! The one table of tabular operator words: which words name an operator, the node each one
//! parses to, where it may stand (after `|`, at the start of a query, or both) and which
//! spellings are legacy. The lexer (hyphenated names are one token), the parser (operator
//! dispatch, contextual pipelines, query sources) and editor completion read it; a test checks
//! that every consumer knows every word.

use crate::SyntaxKind::{self, *};

/// Where an operator word may stand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Position {
    /// Only after `|` (or first in a subquery whose input is implied: `fork (where x)`).
    Pipe,
    /// After `|`, and also at the start of a query with no table before it (`union A, B`).
    Both,
    /// Only at the start of a query (`print 1`, `range x from 1 to 3 step 1`).
    Source,
}

/// One operator word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperatorWord {
    /// The word as written (`project-away`, `mvexpand`).
    pub word: &'static str,
    /// The node kind the parser makes of it.
    pub kind: SyntaxKind,
    pub position: Position,
    /// For a legacy or alternative spelling, the word to prefer (`mvexpand` → `mv-expand`).
    pub preferred: Option<&'static str>,
}

const fn op(word: &'static str, kind: SyntaxKind, position: Position) -> OperatorWord {
    OperatorWord {
        word,
        kind,
        position,
        preferred: None,
    }
}

const fn alias(
    word: &'static str,
    kind: SyntaxKind,
    position: Position,
    preferred: &'static str,
) -> OperatorWord {
    OperatorWord {
        preferred: Some(preferred),
        ..op(word, kind, position)
    }
}

use Position::{Both, Pipe, Source};

/// Every tabular operator word Kusto's parser knows in the Advanced Hunting dialect.
pub const OPERATOR_WORDS: &[OperatorWord] = &[
    op("where", WHERE_OP, Pipe),
    op("extend", EXTEND_OP, Pipe),
    op("project", PROJECT_OP, Pipe),
    op("project-away", PROJECT_AWAY_OP, Pipe),
    op("project-keep", PROJECT_KEEP_OP, Pipe),
    op("project-rename", PROJECT_RENAME_OP, Pipe),
    op("project-reorder", PROJECT_REORDER_OP, Pipe),
    op("project-by-names", PROJECT_BY_NAMES_OP, Pipe),
    op("project-smart", PROJECT_SMART_OP, Pipe),
    op("summarize", SUMMARIZE_OP, Pipe),
    op("count", COUNT_OP, Pipe),
    op("take", TAKE_OP, Pipe),
    op("top", TOP_OP, Pipe),
    op("top-nested", TOP_NESTED_OP, Pipe),
    op("top-hitters", TOP_HITTERS_OP, Pipe),
    op("order", ORDER_OP, Pipe),
    op("sort", ORDER_OP, Pipe),
    op("distinct", DISTINCT_OP, Pipe),
    op("join", JOIN_OP, Pipe),
    op("lookup", LOOKUP_OP, Pipe),
    op("union", UNION_OP, Both),
    op("mv-expand", MV_EXPAND_OP, Pipe),
    op("mv-apply", MV_APPLY_OP, Pipe),
    op("parse", PARSE_OP, Pipe),
    op("parse-where", PARSE_WHERE_OP, Pipe),
    op("parse-kv", PARSE_KV_OP, Pipe),
    op("evaluate", EVALUATE_OP, Both),
    op("invoke", INVOKE_OP, Pipe),
    op("render", RENDER_OP, Pipe),
    op("as", AS_OP, Pipe),
    op("getschema", GETSCHEMA_OP, Pipe),
    op("serialize", SERIALIZE_OP, Pipe),
    op("consume", CONSUME_OP, Pipe),
    op("sample", SAMPLE_OP, Pipe),
    op("sample-distinct", SAMPLE_DISTINCT_OP, Pipe),
    op("make-series", MAKE_SERIES_OP, Pipe),
    op("facet", FACET_OP, Pipe),
    op("fork", FORK_OP, Pipe),
    op("partition", PARTITION_OP, Pipe),
    op("reduce", REDUCE_OP, Pipe),
    op("scan", SCAN_OP, Pipe),
    op("search", SEARCH_OP, Both),
    op("graph-match", GRAPH_MATCH_OP, Pipe),
    op("graph-shortest-paths", GRAPH_SHORTEST_PATHS_OP, Pipe),
    op("make-graph", MAKE_GRAPH_OP, Pipe),
    op("graph-to-table", GRAPH_TO_TABLE_OP, Pipe),
    op("graph-mark-components", GRAPH_MARK_COMPONENTS_OP, Pipe),
    op("graph-merge", GRAPH_MERGE_OP, Pipe),
    op("assert-schema", ASSERT_SCHEMA_OP, Pipe),
    op("execute-and-cache", EXECUTE_AND_CACHE_OP, Pipe),
    op("print", PRINT_OP, Source),
    op("range", RANGE_OP, Source),
    op("datatable", DATATABLE_OP, Source),
    op("externaldata", EXTERNALDATA_OP, Source),
    op("find", FIND_OP, Source),
    op("macro-expand", MACRO_EXPAND_OP, Source),
    op("inline_external_table", EXTERNALDATA_OP, Source),
    // Legacy and alternative spellings, with the word to prefer.
    alias("filter", WHERE_OP, Pipe, "where"),
    alias("limit", TAKE_OP, Pipe, "take"),
    alias("mvexpand", MV_EXPAND_OP, Pipe, "mv-expand"),
    alias("mvapply", MV_APPLY_OP, Pipe, "mv-apply"),
    alias("external_data", EXTERNALDATA_OP, Source, "externaldata"),
];

/// The table entry for `word` (case-sensitive, as Kusto's keywords are).
pub fn operator_word(word: &str) -> Option<&'static OperatorWord> {
    // The parser asks at every query start and after every `|`: the table is split by word length
    // once, so a lookup compares a handful of words instead of scanning them all.
    static BY_LEN: std::sync::OnceLock<Vec<Vec<&'static OperatorWord>>> =
        std::sync::OnceLock::new();
    let by_len = BY_LEN.get_or_init(|| {
        let longest = OPERATOR_WORDS
            .iter()
            .map(|w| w.word.len())
            .max()
            .unwrap_or(0);
        let mut by_len = vec![Vec::new(); longest + 1];
        for w in OPERATOR_WORDS {
            by_len[w.word.len()].push(w);
        }
        by_len
    });
    by_len
        .get(word.len())?
        .iter()
        .copied()
        .find(|w| w.word == word)
}

/// Whether `word` names an operator that may follow `|` (and so begin a subquery whose input is
/// implied).
pub fn is_pipe_operator(word: &str) -> bool {
    operator_word(word).is_some_and(|w| w.position != Source)
}

/// Whether `word` names an operator that may begin a query with no table before it.
pub fn is_source_operator(word: &str) -> bool {
    operator_word(word).is_some_and(|w| w.position != Pipe)
}

/// The operator words written with hyphens (`project-away`): the lexer makes each one token.
/// Picked out of the table once: the lexer asks at every word followed by `-`.
pub fn hyphenated() -> impl Iterator<Item = &'static str> {
    static HYPHENATED: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    HYPHENATED
        .get_or_init(|| {
            OPERATOR_WORDS
                .iter()
                .map(|w| w.word)
                .filter(|w| w.contains('-'))
                .collect()
        })
        .iter()
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ast::{AstNode, PipeExpr};

    /// Every word is lexed as one token and parsed, where it may stand, into its node kind.
    #[test]
    fn every_consumer_knows_every_word() {
        for w in OPERATOR_WORDS {
            let tokens = crate::lexer::tokenize(w.word);
            assert_eq!(tokens.len(), 1, "the lexer splits `{}`", w.word);
            if w.position != Source {
                let text = format!("T | {}", w.word);
                let root = crate::parse(&text).syntax();
                let pipe = root.descendants().find_map(PipeExpr::cast).expect("pipe");
                let ops: Vec<SyntaxKind> = pipe.operators().iter().map(|o| o.kind()).collect();
                assert_eq!(
                    ops,
                    [w.kind],
                    "the parser's dispatch after `|` for `{}`",
                    w.word
                );
                // First in a subquery with an implied input.
                let text = format!("T | fork ({})", w.word);
                let root = crate::parse(&text).syntax();
                let fork = root.descendants().find(|n| n.kind() == FORK_OP).unwrap();
                let inner = fork
                    .descendants()
                    .skip(1)
                    .find(|n| n.kind().is_tabular_operator());
                assert_eq!(inner.map(|n| n.kind()), Some(w.kind), "`fork ({})`", w.word);
            }
            if w.position != Pipe {
                let text = match w.word {
                    "range" => "range x from 1 to 2 step 1".to_string(),
                    word => word.to_string(),
                };
                let root = crate::parse(&text).syntax();
                let stmt = root.children().find(|n| n.kind() == QUERY_STMT).unwrap();
                let first = stmt.first_child().map(|n| n.kind());
                assert_eq!(first, Some(w.kind), "a query starting with `{}`", w.word);
            }
        }
    }

    /// Every operator node kind has a word.
    #[test]
    fn every_operator_kind_has_a_word() {
        for k in (0..SyntaxKind::__LAST as u16).filter_map(|k| {
            let kind = <crate::KqlLanguage as rowan::Language>::kind_from_raw(rowan::SyntaxKind(k));
            Some(kind).filter(|k| k.is_tabular_operator() && *k != UNKNOWN_OP)
        }) {
            assert!(
                OPERATOR_WORDS.iter().any(|w| w.kind == k),
                "no operator word makes {k:?}"
            );
        }
    }
}
