//! Where the cursor is, read from the tokens before it (incomplete text parses into odd trees,
//! but its tokens are always right): the word being typed, and what may go there.

use kql_schema::{FunctionCatalog, FunctionKind};
use kql_syntax::{SyntaxKind, SyntaxNode, SyntaxToken, TextRange, TextSize};
use rowan::TokenAtOffset;

use crate::names::prev_significant;

/// What may be written at the cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Position {
    /// Start of a query (or a tabular argument): tables, tabular `let` names, source keywords.
    QueryStart,
    /// A `let` value: what starts a query, and scalar values too.
    LetValue,
    /// Right after `|`: tabular operators.
    AfterPipe,
    /// Fixed values: after `join kind=`, `union kind=`, `lookup kind=`; a date part as the
    /// first argument of `datetime_diff`/`datetime_add`.
    KindValue(&'static [&'static str]),
    /// After `$left.` / `$right.` in a `join`/`lookup`.
    Side { right: bool },
    /// A value inside an operator: columns, functions, `let` names.
    Value(Clause),
    /// After a complete expression inside an operator: the words that may follow it.
    AfterExpr,
    /// After `evaluate`: plugins.
    Plugin,
    /// After `render`: chart types.
    Chart,
    /// After `invoke`: stored functions taking a table.
    Invoke,
    /// Nothing sensible (inside a comment or string, a name being declared).
    Nothing,
}

/// Which part of an operator a value is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Clause {
    /// A predicate or computed value (`where`, `extend`, `project` …).
    Scalar,
    /// Where aggregations go (`summarize` before `by`, `make-series`, `top-nested … by`).
    Aggregate,
    /// Columns or expressions over them (`by`, `mv-expand`, `on` …).
    Columns,
    /// Column names only (`project-away`, `project-keep`, `project-reorder`).
    Names,
    /// A row count (`take`, `limit`, `sample`, `top N`): no columns.
    Count,
    /// The keys after `join … on` / `lookup … on`: columns both sides have, `$left`, `$right`.
    JoinKeys,
}

/// The cursor's surroundings.
#[derive(Debug, Clone)]
pub(crate) struct Context {
    pub position: Position,
    /// The partial word the items replace (empty at the cursor when none).
    pub replace: TextRange,
    /// The keyword token of the operator the cursor is in (`where`, `summarize`).
    pub operator: Option<SyntaxToken>,
    /// The last significant token before the word being typed.
    pub before: Option<SyntaxToken>,
}

const JOIN_KINDS: &[&str] = &[
    "inner",
    "innerunique",
    "leftouter",
    "rightouter",
    "fullouter",
    "leftanti",
    "rightanti",
    "leftsemi",
    "rightsemi",
    "anti",
    "leftantisemi",
    "rightantisemi",
];
const LOOKUP_KINDS: &[&str] = &["leftouter", "inner"];
const UNION_KINDS: &[&str] = &["outer", "inner"];

/// The context at `offset`; `blocks`: a blank line ends a query (blocks mode).
pub(crate) fn context(root: &SyntaxNode, offset: TextSize, blocks: bool) -> Context {
    let left = match root.token_at_offset(offset) {
        TokenAtOffset::None => None,
        TokenAtOffset::Single(t) => Some(t),
        TokenAtOffset::Between(l, _) => Some(l),
    };
    let mut replace = TextRange::empty(offset);
    let mut before = left.clone();
    if let Some(t) = &left {
        let inside = t.text_range().start() < offset && offset < t.text_range().end();
        match t.kind() {
            SyntaxKind::COMMENT | SyntaxKind::STRING_LITERAL | SyntaxKind::TYPED_LITERAL
                if inside || !t.text_range().contains_inclusive(offset) || is_open_literal(t) =>
            {
                return nothing(replace);
            }
            SyntaxKind::COMMENT if t.text().starts_with("//") => return nothing(replace),
            SyntaxKind::IDENT if t.text_range().start() < offset => {
                replace = t.text_range();
                before = prev_significant(t);
            }
            _ => {
                if t.kind().is_trivia() || t.text().is_empty() {
                    before = prev_token_or_self(t);
                }
            }
        }
    }
    let Some(prev) = before else {
        return at(Position::QueryStart, replace, None, None);
    };
    if blocks && blank_line_between(root, prev.text_range().end(), replace.start()) {
        return at(Position::QueryStart, replace, None, None);
    }
    let operator = operator_keyword(&prev);
    let position = position_after(&prev, operator.as_ref());
    at(position, replace, operator, Some(prev))
}

fn at(
    position: Position,
    replace: TextRange,
    operator: Option<SyntaxToken>,
    before: Option<SyntaxToken>,
) -> Context {
    Context {
        position,
        replace,
        operator,
        before,
    }
}

fn nothing(replace: TextRange) -> Context {
    at(Position::Nothing, replace, None, None)
}

/// Whether the text between two offsets holds an empty line (a block boundary).
fn blank_line_between(root: &SyntaxNode, from: TextSize, to: TextSize) -> bool {
    if from >= to {
        return false;
    }
    let text = root.text().slice(TextRange::new(from, to)).to_string();
    let mut lines = text.split('\n');
    lines.next();
    let mut middle: Vec<&str> = lines.collect();
    middle.pop();
    middle.iter().any(|l| l.trim().is_empty())
}

/// A string or comment token the cursor is still inside at its end (unterminated).
fn is_open_literal(t: &SyntaxToken) -> bool {
    let text = t.text();
    match t.kind() {
        SyntaxKind::STRING_LITERAL => {
            let quote = text.trim_start_matches(['@', 'h', 'H']).chars().next();
            text.len() < 2 || quote.is_none_or(|q| !text.ends_with(q))
        }
        SyntaxKind::COMMENT => text.starts_with("/*") && !text.ends_with("*/"),
        _ => false,
    }
}

/// The token itself when significant, else the previous significant one.
fn prev_token_or_self(t: &SyntaxToken) -> Option<SyntaxToken> {
    if t.kind().is_trivia() || t.text().is_empty() {
        prev_significant(t)
    } else {
        Some(t.clone())
    }
}

fn is_word(t: &SyntaxToken, word: &str) -> bool {
    t.kind() == SyntaxKind::IDENT && t.text().eq_ignore_ascii_case(word)
}

/// Whether an `IDENT` is a keyword (not part of a name).
fn is_keyword(t: &SyntaxToken) -> bool {
    t.kind() == SyntaxKind::IDENT
        && t.parent()
            .is_some_and(|p| !matches!(p.kind(), SyntaxKind::NAME | SyntaxKind::NAME_REF))
}

/// What may follow `prev`, the last significant token before the cursor (or the word there).
fn position_after(prev: &SyntaxToken, operator: Option<&SyntaxToken>) -> Position {
    use SyntaxKind::*;
    let p2 = prev_significant(prev);
    match prev.kind() {
        SEMICOLON => return Position::QueryStart,
        PIPE => return Position::AfterPipe,
        DOT if p2.as_ref().is_some_and(|t| t.text() == "$left") => {
            return Position::Side { right: false }
        }
        DOT if p2.as_ref().is_some_and(|t| t.text() == "$right") => {
            return Position::Side { right: true }
        }
        EQ if p2.as_ref().is_some_and(|t| is_word(t, "kind")) => {
            let op = operator.map(|o| o.text().to_ascii_lowercase());
            return match op.as_deref() {
                Some("lookup") => Position::KindValue(LOOKUP_KINDS),
                Some("union") => Position::KindValue(UNION_KINDS),
                Some("join") => Position::KindValue(JOIN_KINDS),
                _ => Position::Nothing,
            };
        }
        EQ if p2
            .as_ref()
            .and_then(prev_significant)
            .is_some_and(|t| is_word(&t, "let")) =>
        {
            return Position::LetValue
        }
        L_PAREN if p2.as_ref().is_some_and(opens_tabular) => return Position::QueryStart,
        // `let x = (`: a parenthesized value, tabular or scalar.
        L_PAREN
            if p2.as_ref().is_some_and(|eq| {
                eq.kind() == EQ
                    && prev_significant(eq)
                        .and_then(|name| prev_significant(&name))
                        .is_some_and(|t| is_word(&t, "let"))
            }) =>
        {
            return Position::LetValue
        }
        _ => {}
    }
    // Parameters being declared, and the constants of a `dynamic(…)` literal, take no values
    // from the query.
    if prev.parent_ancestors().any(|n| n.kind() == PARAM_LIST) || inside_dynamic(prev) {
        return Position::Nothing;
    }
    if is_word(prev, "let") || is_word(prev, "as") {
        return Position::Nothing;
    }
    let Some(op) = operator else {
        // Before any operator: a statement's start, a function body's start (`(…) {`), a value
        // outside any operator (`let n = toint(`, a function body's expression), or right
        // after a statement's source.
        return match prev.kind() {
            SEMICOLON => Position::QueryStart,
            L_CURLY if p2.as_ref().is_some_and(|t| t.kind() == R_PAREN) => Position::LetValue,
            L_CURLY => Position::Nothing,
            _ if is_value_slot(prev) => within_call(Position::Value(Clause::Scalar), None, prev),
            _ => Position::AfterExpr,
        };
    };
    let op_name = op.text().to_ascii_lowercase();
    if prev == op {
        match op_name.as_str() {
            "evaluate" => return Position::Plugin,
            "render" => return Position::Chart,
            "invoke" => return Position::Invoke,
            "union" | "join" | "lookup" => return Position::QueryStart,
            _ => {}
        }
    }
    // `union T1, ` and `union kind=outer ` still list tables.
    if op_name == "union" && matches!(prev.kind(), COMMA) {
        return Position::QueryStart;
    }
    if prev != op && !is_value_slot(prev) {
        return Position::AfterExpr;
    }
    within_call(Position::Value(clause(prev, op, &op_name)), Some(op), prev)
}

/// Whether a value may follow `prev`: an opening bracket, a separator, an operator or a
/// keyword (`by`, `and`, `on`).
fn is_value_slot(prev: &SyntaxToken) -> bool {
    use SyntaxKind::*;
    matches!(
        prev.kind(),
        COMMA
            | L_PAREN
            | L_BRACK
            | EQ
            | EQ2
            | NEQ
            | LT
            | LTEQ
            | GT
            | GTEQ
            | EQ_TILDE
            | BANG_TILDE
            | PLUS
            | MINUS
            | STAR
            | SLASH
            | PERCENT
            | OP_WORD
            | FAT_ARROW
            | DOT2
            | COLON
    ) || is_keyword(prev)
}

/// `(` that opens a tabular argument: after `join`, `lookup`, `union`, `kind=…`, a `materialize(`
/// / `toscalar(` call, or a `let X = (` value.
fn opens_tabular(before_paren: &SyntaxToken) -> bool {
    let t = before_paren.text().to_ascii_lowercase();
    if matches!(
        t.as_str(),
        "join" | "lookup" | "union" | "materialize" | "toscalar" | "totable" | "fork"
    ) {
        return true;
    }
    // `kind=inner (`, `hint.strategy=shuffle (`.
    prev_significant(before_paren).is_some_and(|eq| {
        eq.kind() == SyntaxKind::EQ
            && prev_significant(&eq).is_some_and(|k| {
                let k = k.text().to_ascii_lowercase();
                k == "kind" || k.starts_with("hint.")
            })
    })
}

/// Which clause of `op` the value slot after `prev` is in: aggregates before `by` in
/// `summarize`, a column list after `by`/`on` and in column-list operators.
fn clause(prev: &SyntaxToken, op: &SyntaxToken, op_name: &str) -> Clause {
    let after_by = tokens_between(op, prev)
        .iter()
        .any(|t| is_word(t, "by") || is_word(t, "on"));
    match op_name {
        "summarize" | "make-series" | "top-nested" if !after_by => Clause::Aggregate,
        "project-away" | "project-keep" | "project-reorder" => Clause::Names,
        "take" | "limit" | "sample" => Clause::Count,
        "top" | "top-hitters" if !after_by => Clause::Count,
        "mv-expand" | "distinct" | "order" | "sort" | "project-rename" => Clause::Columns,
        "join" | "lookup" if after_by => Clause::JoinKeys,
        "summarize" | "top" | "make-series" | "top-nested" if after_by => Clause::Columns,
        _ => Clause::Scalar,
    }
}

/// The name before the innermost bracket still open at `prev` when it is `(` (the callee of
/// the call the cursor is in), and that `(`; the walk stops at the operator keyword `op`, a
/// `|` or a `;`.
fn open_call(op: Option<&SyntaxToken>, prev: &SyntaxToken) -> Option<(SyntaxToken, SyntaxToken)> {
    let open = open_brackets(prev, op).next()?;
    if open.kind() != SyntaxKind::L_PAREN {
        return None;
    }
    prev_significant(&open)
        .filter(|t| t.kind() == SyntaxKind::IDENT)
        .map(|callee| (callee, open))
}

/// The brackets (`(`, `[`, `{`) still open at `prev`, innermost first: a backward walk over the
/// tokens that skips balanced pairs and ends at `stop`, or at a `|` or `;` outside them.
fn open_brackets(
    prev: &SyntaxToken,
    stop: Option<&SyntaxToken>,
) -> impl Iterator<Item = SyntaxToken> {
    let stop = stop.cloned();
    let mut depth = 0i32;
    let mut cur = Some(prev.clone());
    std::iter::from_fn(move || {
        while let Some(tok) = cur.take() {
            if stop.as_ref() == Some(&tok) {
                return None;
            }
            match tok.kind() {
                SyntaxKind::R_PAREN | SyntaxKind::R_BRACK | SyntaxKind::R_CURLY => depth += 1,
                SyntaxKind::L_PAREN | SyntaxKind::L_BRACK | SyntaxKind::L_CURLY if depth > 0 => {
                    depth -= 1
                }
                SyntaxKind::L_PAREN | SyntaxKind::L_BRACK | SyntaxKind::L_CURLY => {
                    cur = tok.prev_token();
                    return Some(tok);
                }
                SyntaxKind::PIPE | SyntaxKind::SEMICOLON if depth == 0 => return None,
                _ => {}
            }
            cur = tok.prev_token();
        }
        None
    })
}

/// The first argument of `datetime_diff` and `datetime_add`: a date part, as a string.
const DATE_PARTS: &[&str] = &[
    "'year'",
    "'quarter'",
    "'month'",
    "'week'",
    "'day'",
    "'hour'",
    "'minute'",
    "'second'",
    "'millisecond'",
    "'microsecond'",
    "'nanosecond'",
];

/// Whether `prev` is inside the parentheses of a `dynamic(…)` literal (in the statement or
/// operator it belongs to).
fn inside_dynamic(prev: &SyntaxToken) -> bool {
    open_brackets(prev, None).any(|open| {
        open.kind() == SyntaxKind::L_PAREN
            && prev_significant(&open).is_some_and(|t| is_word(&t, "dynamic"))
    })
}

/// Words whose parentheses declare names and types (`datatable(a:string)`, `scan declare(…)`,
/// `typeof(…)`) rather than take values.
const DECLARING: &[&str] = &[
    "datatable",
    "declare",
    "externaldata",
    "external_data",
    "typeof",
];

/// Narrows a value slot by the call the cursor is in: nothing inside a declaration list or the
/// parentheses of a function taking no arguments (`count(`, `now(`), scalar values inside an
/// aggregation's arguments (aggregations do not nest).
fn within_call(position: Position, op: Option<&SyntaxToken>, prev: &SyntaxToken) -> Position {
    let Position::Value(clause) = position else {
        return position;
    };
    let Some((callee, paren)) = open_call(op, prev) else {
        return position;
    };
    let name = callee.text();
    if DECLARING.iter().any(|d| name.eq_ignore_ascii_case(d)) {
        return Position::Nothing;
    }
    if matches!(name, "datetime_diff" | "datetime_add") && paren == *prev {
        return Position::KindValue(DATE_PARTS);
    }
    let catalog = FunctionCatalog::builtin();
    if catalog
        .lookup(name)
        .is_some_and(|f| f.max_args() == Some(0))
    {
        return Position::Nothing;
    }
    if clause == Clause::Aggregate && catalog.lookup_kind(name, FunctionKind::Aggregate).is_some() {
        return Position::Value(Clause::Scalar);
    }
    position
}

/// The significant tokens after `from` up to and including `to`, at bracket depth 0.
fn tokens_between(from: &SyntaxToken, to: &SyntaxToken) -> Vec<SyntaxToken> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut t = from.next_token();
    while let Some(tok) = t {
        if tok.text_range().start() > to.text_range().start() {
            break;
        }
        match tok.kind() {
            SyntaxKind::L_PAREN | SyntaxKind::L_BRACK | SyntaxKind::L_CURLY => depth += 1,
            SyntaxKind::R_PAREN | SyntaxKind::R_BRACK | SyntaxKind::R_CURLY => depth -= 1,
            _ if depth == 0 && !tok.kind().is_trivia() => out.push(tok.clone()),
            _ => {}
        }
        if tok == *to {
            break;
        }
        t = tok.next_token();
    }
    out
}

/// The keyword of the operator `prev` belongs to: walking back over balanced brackets to the
/// token after the nearest `|` (or the statement's first token), unless an unmatched tabular
/// `(` comes first. `None` at the start of a statement with no operator keyword.
pub(crate) fn operator_keyword(prev: &SyntaxToken) -> Option<SyntaxToken> {
    let mut depth = 0i32;
    let mut cur = Some(prev.clone());
    let mut first: Option<SyntaxToken> = None;
    // A pipeline is short; this bounds the walk on pathological input anyway.
    for _ in 0..100_000 {
        let Some(tok) = cur else { break };
        match tok.kind() {
            SyntaxKind::R_PAREN | SyntaxKind::R_BRACK | SyntaxKind::R_CURLY => depth += 1,
            SyntaxKind::L_PAREN | SyntaxKind::L_BRACK | SyntaxKind::L_CURLY => {
                if depth == 0 {
                    let before = prev_significant(&tok);
                    if tok.kind() == SyntaxKind::L_CURLY
                        || before.as_ref().is_some_and(opens_tabular)
                    {
                        break;
                    }
                } else {
                    depth -= 1;
                }
            }
            SyntaxKind::PIPE if depth == 0 => break,
            SyntaxKind::SEMICOLON if depth == 0 => break,
            _ => {}
        }
        if !tok.kind().is_trivia() {
            first = Some(tok.clone());
        }
        cur = tok.prev_token();
    }
    let first = first?;
    // A statement's first word is an operator keyword only for sources such as `print`.
    let is_operator = first
        .parent()
        .is_some_and(|p| p.kind().is_tabular_operator() || p.kind() == SyntaxKind::ERROR);
    (first.kind() == SyntaxKind::IDENT && is_operator).then_some(first)
}
