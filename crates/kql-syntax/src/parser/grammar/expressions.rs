//! Expressions: a Pratt loop for binary operators, with `|` as the loosest operator so that
//! tabular pipelines and scalar expressions share one grammar (as in Kusto.Language).

use super::names::*;
use super::operators::{at_source_operator, source_operator, tabular_operator};
use super::parameters::*;
use super::statements::body_statements;
use super::types::*;
use super::{at_operator_end, delimited, Parser};
use crate::parser::{CompletedMarker, Marker};
use crate::token_input::kind;
use crate::word_operators::is_word_operator;
use crate::SyntaxKind::{self, *};

/// Binding power of the `|` pipe.
pub(super) const PIPE_BP: u8 = 1;

/// Binding power of comparison and string operators.
pub(super) const COMPARISON_BP: u8 = 5;

/// An expression, pipes included: `T | where x > 1 | count`.
pub(crate) fn expr(p: &mut Parser<'_>) -> Option<CompletedMarker> {
    expr_bp(p, 0)
}

/// A scalar expression: stops before `|` (operands of tabular operators).
pub(crate) fn scalar_expr(p: &mut Parser<'_>) -> Option<CompletedMarker> {
    expr_bp(p, PIPE_BP)
}

/// The binding power of the binary operator at the current token, if it is one.
pub(super) fn infix_bp(p: &Parser<'_>) -> Option<u8> {
    Some(match p.current() {
        PIPE => PIPE_BP,
        // `a : "x"` is Kusto's term-match operator; it binds looser than comparisons.
        COLON => 4,
        EQ2 | NEQ | LT | LTEQ | GT | GTEQ | EQ_TILDE | BANG_TILDE | OP_WORD => COMPARISON_BP,
        PLUS | MINUS => 6,
        STAR | SLASH | PERCENT => 7,
        IDENT => match p.nth_text(0) {
            "or" => 2,
            "and" => 3,
            w if is_word_operator(w) => COMPARISON_BP,
            _ => return None,
        },
        _ => return None,
    })
}

pub(super) fn expr_bp(p: &mut Parser<'_>, min_bp: u8) -> Option<CompletedMarker> {
    if !p.enter() {
        p.skip_rest();
        return None;
    }
    let result = expr_bp_inner(p, min_bp);
    p.exit();
    result
}

pub(super) fn expr_bp_inner(p: &mut Parser<'_>, min_bp: u8) -> Option<CompletedMarker> {
    // `union`, `print`, `range x from ...` start a query only where a whole query may stand;
    // `datatable` and `externaldata` are values that may stand anywhere (as function arguments).
    let source_here = min_bp == 0
        || matches!(
            p.nth_text(0),
            "datatable" | "externaldata" | "external_data"
        );
    let first = if source_here && at_source_operator(p) {
        source_operator(p).or_else(|| unary(p))
    } else {
        unary(p)
    };
    let mut lhs = match first {
        Some(lhs) => lhs,
        None => {
            // A pipeline may also start at `|` inside contextual subqueries; elsewhere the
            // operand is simply missing.
            if !(min_bp == 0 && p.at(PIPE)) {
                return None;
            }
            let m = p.start();
            p.missing(NAME_REF, "a table or tabular expression before `|`");
            m.complete(p, NAME_REF)
        }
    };
    let mut compared = false;
    let mut links = 0;
    // An open run of one associative operator (`a and b and c`, `x + y + z`): its operands are
    // siblings under one BIN_EXPR, so the run's length adds no tree depth.
    let mut run: Option<(Marker, SyntaxKind, &str)> = None;
    while let Some(bp) = infix_bp(p) {
        if bp <= min_bp && !(bp == PIPE_BP && min_bp == 0) {
            break;
        }
        let op = p.nth_text(0);
        let op_kind = p.current();
        if let Some((_, kind, text)) = &run {
            if *kind == op_kind && *text == op {
                p.bump_any();
                operand(p, bp);
                continue;
            }
        }
        if let Some((m, _, _)) = run.take() {
            lhs = m.complete(p, BIN_EXPR);
        }
        if !p.deepen(1) {
            p.skip_rest();
            break;
        }
        links += 1;
        let chains = !matches!(op, "has_any" | "has_all");
        if bp == COMPARISON_BP && !chains {
            // Kusto accepts `a has "x" has_any ("y")`: these two do not count as a chain.
        } else if bp == COMPARISON_BP {
            // `a == b == c` is an error in Kusto: comparisons do not chain.
            if compared {
                let found = p.found_description();
                p.error_here(format!(
                    "comparisons cannot be chained; found a second one, {found}"
                ));
            }
            compared = true;
        } else if bp < COMPARISON_BP {
            compared = false;
        }
        if bp == PIPE_BP {
            // One PIPE_EXPR holds the source and every `| operator` pair after it.
            let m = lhs.precede(p);
            while p.eat(PIPE) {
                tabular_operator(p);
                // Junk after an operator is skipped up to the next `|`, so an error in one
                // operator keeps the rest of the pipeline.
                if !at_operator_end(p) && !p.at(COMMA) {
                    let found = p.found_description();
                    p.recover_until(
                        format!("expected `|`, `;` or the end of the query, found {found}"),
                        |p| at_operator_end(p) || p.at(COMMA),
                    );
                }
            }
            lhs = m.complete(p, PIPE_EXPR);
            continue;
        }
        let m = lhs.precede(p);
        p.bump_any();
        let node = match (op_kind, op) {
            (IDENT, "in" | "has_any" | "has_all") | (OP_WORD, "!in" | "in~" | "!in~") => {
                in_operand(p);
                IN_EXPR
            }
            (IDENT, "between" | "notbetween") | (OP_WORD, "!between") => {
                between_operand(p);
                BETWEEN_EXPR
            }
            (IDENT, "matches") => {
                p.expect_word("regex");
                operand(p, bp);
                BIN_EXPR
            }
            _ => {
                operand(p, bp);
                if is_associative(op_kind, op) {
                    run = Some((m, op_kind, op));
                    continue;
                }
                BIN_EXPR
            }
        };
        lhs = m.complete(p, node);
    }
    if let Some((m, _, _)) = run.take() {
        lhs = m.complete(p, BIN_EXPR);
    }
    p.shallow(links);
    Some(lhs)
}

/// Operators whose runs are kept flat: one BIN_EXPR with every operand of `a op b op c`, read
/// left to right (`and`, `or` and arithmetic; comparisons do not chain).
pub(super) fn is_associative(kind: SyntaxKind, op: &str) -> bool {
    match kind {
        PLUS | MINUS | STAR | SLASH | PERCENT => true,
        IDENT => op == "and" || op == "or",
        _ => false,
    }
}

/// An expression that stops before comparison operators (`on Timestamp in range(...)`).
pub(crate) fn arithmetic_expr(p: &mut Parser<'_>) -> Option<CompletedMarker> {
    expr_bp(p, COMPARISON_BP)
}

pub(super) fn operand(p: &mut Parser<'_>, bp: u8) {
    if expr_bp(p, bp).is_none() {
        p.missing(NAME_REF, "an expression");
    }
}

/// The right side of `in`, `has_any`, ...: `(a, b, c)`, `(T | project x)`, or a name/dynamic.
pub(super) fn in_operand(p: &mut Parser<'_>) {
    // Kusto requires the parentheses, even around a single `let` name or `dynamic(...)`.
    if p.at(L_PAREN) {
        paren_or_list(p);
    } else {
        p.missing(LIST_EXPR, "`(` and a list of values");
    }
}

/// `between (a .. b)`.
pub(super) fn between_operand(p: &mut Parser<'_>) {
    delimited(p, RANGE_PAIR, L_PAREN, "`(` after `between`", |p| {
        operand(p, PIPE_BP);
        p.expect(DOT2, "`..`");
        operand(p, PIPE_BP);
    });
}

pub(super) fn unary(p: &mut Parser<'_>) -> Option<CompletedMarker> {
    if matches!(p.current(), MINUS | PLUS) {
        let m = p.start();
        p.bump_any();
        // Kusto does not stack signs: `- -8` is an error, `-(-8)` is fine.
        if postfix(p).is_none() {
            p.missing(NAME_REF, "an expression");
        }
        return Some(m.complete(p, PREFIX_EXPR));
    }
    postfix(p)
}

/// Primary expression followed by `.name`, `[index]` and `(args)`.
pub(crate) fn postfix(p: &mut Parser<'_>) -> Option<CompletedMarker> {
    let mut lhs = primary(p)?;
    let mut links = 0;
    loop {
        if matches!(p.current(), DOT | L_BRACK | L_PAREN) {
            if !p.deepen(1) {
                p.skip_rest();
                break;
            }
            links += 1;
        }
        match p.current() {
            DOT if p.nth_at(1, L_BRACK) && p.nth_at(2, STRING_LITERAL) => {
                let m = lhs.precede(p);
                p.bump_any();
                bracketed_name(p);
                lhs = m.complete(p, MEMBER_EXPR);
            }
            // `a.[0]`, `a.[name]`: element access written after a dot.
            DOT if p.nth_at(1, L_BRACK) => {
                let m = lhs.precede(p);
                p.bump_any();
                let open = p.current_range();
                p.bump_any();
                operand(p, PIPE_BP);
                p.expect_closing(R_BRACK, open);
                lhs = m.complete(p, INDEX_EXPR);
            }
            // `database("db").*`, `database("db").Device*`: wildcard table names.
            DOT if matches!(lhs.kind(), NAME_REF | CALL_EXPR | MEMBER_EXPR)
                && (p.nth_at(1, STAR)
                    || (p.nth_at(1, IDENT) && p.nth_at(2, STAR) && p.nth_glued(2))) =>
            {
                let m = lhs.precede(p);
                p.bump_any();
                let w = p.start();
                p.bump_any();
                while matches!(p.current(), STAR | IDENT | INT_LITERAL) && p.nth_glued(0) {
                    p.bump_any();
                }
                w.complete(p, WILDCARD_NAME);
                lhs = m.complete(p, MEMBER_EXPR);
            }
            DOT if p.nth_at(1, IDENT) => {
                let m = lhs.precede(p);
                p.bump_any();
                check_not_reserved(p);
                name(p);
                lhs = m.complete(p, MEMBER_EXPR);
            }
            L_BRACK => {
                let m = lhs.precede(p);
                let open = p.current_range();
                p.bump_any();
                operand(p, PIPE_BP);
                p.expect_closing(R_BRACK, open);
                lhs = m.complete(p, INDEX_EXPR);
            }
            L_PAREN if lhs.kind() == MEMBER_EXPR => {
                let m = lhs.precede(p);
                arg_list(p);
                lhs = m.complete(p, CALL_EXPR);
            }
            _ => break,
        }
    }
    p.shallow(links);
    Some(lhs)
}

/// Words that begin a literal or another construct rather than naming something.
pub(super) fn primary(p: &mut Parser<'_>) -> Option<CompletedMarker> {
    match p.current() {
        INT_LITERAL | REAL_LITERAL | TIMESPAN_LITERAL | TYPED_LITERAL => {
            let m = p.start();
            p.bump_any();
            Some(m.complete(p, LITERAL))
        }
        STRING_LITERAL => {
            let m = p.start();
            // Adjacent string literals are one value: 'a' "b" == 'ab'.
            while p.at(STRING_LITERAL) {
                p.bump_any();
            }
            Some(m.complete(p, LITERAL))
        }
        L_PAREN => Some(paren_expr(p)),
        AT => {
            let m = p.start();
            p.bump_any();
            Some(m.complete(p, AT_EXPR))
        }
        L_BRACK if p.nth_at(1, STRING_LITERAL) && matches!(p.nth(2), R_BRACK | STRING_LITERAL) => {
            Some(name_ref(p))
        }
        // `*` means "any column", only before a term operator: `where * has "x"`, `search *`.
        STAR if p.allow_star
            && (matches!(
                p.nth(1),
                COLON | EQ2 | OP_WORD | PIPE | SEMICOLON | R_PAREN | EOF
            ) || (p.nth_at(1, IDENT) && is_word_operator(p.nth_text(1)))) =>
        {
            let m = p.start();
            p.bump_any();
            Some(m.complete(p, STAR_EXPR))
        }
        // `[expr]`: Kusto reads a bracketed expression where a name could stand.
        L_BRACK => {
            let m = p.start();
            let open = p.current_range();
            p.bump_any();
            operand(p, PIPE_BP);
            p.expect_closing(R_BRACK, open);
            Some(m.complete(p, NAME_REF))
        }
        IDENT => Some(word_primary(p)),
        _ => None,
    }
}

pub(super) fn word_primary(p: &mut Parser<'_>) -> CompletedMarker {
    let text = p.nth_text(0);
    match text {
        "true" | "false" => {
            let m = p.start();
            p.bump_any();
            return m.complete(p, LITERAL);
        }
        "dynamic" if p.nth_at(1, L_PAREN) => return dynamic_literal(p),
        "typeof" if p.nth_at(1, L_PAREN) => return typeof_expr(p),
        // `entity_group [cluster('a').database('b'), ...]` (for `macro-expand`).
        "entity_group" if p.nth_at(1, L_BRACK) => {
            let m = p.start();
            p.bump_any();
            let l = p.start();
            let open = p.current_range();
            p.bump_any();
            p.comma_separated(Some(R_BRACK), |p| operand(p, PIPE_BP));
            p.expect_closing(R_BRACK, open);
            l.complete(p, LIST_EXPR);
            return m.complete(p, CALL_EXPR);
        }
        _ => {}
    }
    if !(p.nth_at(1, L_PAREN) && CALLABLE_KEYWORDS.contains(&text)) {
        check_not_reserved(p);
    }
    let name_ref = name_ref(p);
    // Legacy `T datascope=hotcache` table parameter.
    if p.at_word("datascope") && p.nth_at(1, EQ) {
        let outer = name_ref.precede(p);
        operator_params(p, &["datascope"]);
        return outer.complete(p, NAME_REF);
    }
    if p.at(L_PAREN) {
        let call = name_ref.precede(p);
        args(p, PIPELINE_ARG_CALLS.contains(&text), Names::Arguments);
        return call.complete(p, CALL_EXPR);
    }
    name_ref
}

/// `(expr)` or `(T | where ...)`; a list `(a, b)` only after `in`-like operators.
pub(super) fn paren_expr(p: &mut Parser<'_>) -> CompletedMarker {
    let m = p.start();
    let open = p.current_range();
    p.bump_any();
    if expr(p).is_none() {
        p.missing(NAME_REF, "an expression");
    }
    p.expect_closing(R_PAREN, open);
    m.complete(p, PAREN_EXPR)
}

/// `(expr)`, `(a, b, c)`, `()`, or `(T | where ...)`.
pub(crate) fn paren_or_list(p: &mut Parser<'_>) -> CompletedMarker {
    let m = p.start();
    let open = p.current_range();
    p.bump_any();
    let mut count = 0;
    p.comma_separated(None, |p| {
        // Every item is required: `()` and `(a, )` are errors in Kusto.
        if expr(p).is_none() {
            p.missing(NAME_REF, "an expression");
        }
        count += 1;
    });
    p.expect_closing(R_PAREN, open);
    m.complete(p, if count == 1 { PAREN_EXPR } else { LIST_EXPR })
}

/// `dynamic([1, 2])`, `dynamic({"a": 1})`, `dynamic(null)`.
pub(super) fn dynamic_literal(p: &mut Parser<'_>) -> CompletedMarker {
    let m = p.start();
    p.bump_any();
    let open = p.current_range();
    p.bump_any();
    json_value(p);
    p.expect_closing(R_PAREN, open);
    m.complete(p, DYNAMIC_LITERAL)
}

pub(crate) fn json_value(p: &mut Parser<'_>) {
    if !p.enter() {
        p.skip_rest();
        return;
    }
    match p.current() {
        L_BRACK => {
            delimited(p, JSON_ARRAY, L_BRACK, "`[`", |p| {
                while !p.at(R_BRACK) && !p.at_eof() {
                    let before = p.position();
                    json_value(p);
                    if !p.eat(COMMA) || p.position() == before {
                        break;
                    }
                    if p.at(R_BRACK) {
                        p.error_here("expected a value after `,`".to_string());
                    }
                }
            });
        }
        L_CURLY => {
            delimited(p, JSON_OBJECT, L_CURLY, "`{`", |p| {
                while !p.at(R_CURLY) && !p.at_eof() {
                    let pair = p.start();
                    if p.at(IDENT) && p.nth_at(1, COLON) {
                        // Kusto wants JSON property names quoted: `{"a": 1}`, not `{a: 1}`.
                        let name = p.nth_text(0);
                        p.error_here(format!(
                            "property names are quoted strings: write \"{name}\""
                        ));
                        p.bump_any();
                    } else if !p.eat(STRING_LITERAL) {
                        p.error_here(format!(
                            "expected a quoted property name, found {}",
                            p.found_description()
                        ));
                        pair.abandon(p);
                        break;
                    }
                    p.expect(COLON, "`:`");
                    json_value(p);
                    pair.complete(p, JSON_PAIR);
                    if !p.eat(COMMA) {
                        break;
                    }
                }
            });
        }
        MINUS | PLUS if matches!(p.nth(1), INT_LITERAL | REAL_LITERAL | TIMESPAN_LITERAL) => {
            let m = p.start();
            p.bump_any();
            p.bump_any();
            m.complete(p, PREFIX_EXPR);
        }
        INT_LITERAL | REAL_LITERAL | TIMESPAN_LITERAL | TYPED_LITERAL => {
            let m = p.start();
            p.bump_any();
            m.complete(p, LITERAL);
        }
        STRING_LITERAL => {
            let m = p.start();
            while p.at(STRING_LITERAL) {
                p.bump_any();
            }
            m.complete(p, LITERAL);
        }
        IDENT if p.at_word("dynamic") && p.nth_at(1, L_PAREN) => {
            dynamic_literal(p);
        }
        IDENT if matches!(p.nth_text(0), "true" | "false" | "null") => {
            let m = p.start();
            p.bump_any();
            m.complete(p, LITERAL);
        }
        _ => {
            // Inside `dynamic(...)` only constants are allowed, not names or calls.
            let found = p.found_description();
            p.error_here(format!(
                "expected a constant value in `dynamic(...)`, found {found}"
            ));
        }
    }
    p.exit();
}

/// `{ let x = 1; T | where a > x }`.
pub(crate) fn function_body(p: &mut Parser<'_>) {
    delimited(
        p,
        FUNCTION_BODY,
        L_CURLY,
        "`{` to start the function body",
        |p| {
            if p.enter() {
                body_statements(p);
                p.exit();
            } else {
                p.skip_rest();
            }
        },
    );
}

/// `name = expr`, `(a, b) = expr`, or a bare expression: items of `extend`, `project`, `summarize`.
pub(crate) fn assignment_or_expr(p: &mut Parser<'_>) -> bool {
    if p.lookahead(|i| (name_tokens, kind(EQ)).parse_tokens(i))
        .is_some()
    {
        let m = p.start();
        check_not_reserved_target(p);
        name(p);
        p.bump_any();
        operand(p, PIPE_BP);
        m.complete(p, ASSIGNMENT);
        return true;
    }
    if p.at(L_PAREN) && tuple_names_ahead(p) {
        let m = p.start();
        let t = p.start();
        let open = p.current_range();
        p.bump_any();
        loop {
            name(p);
            if !p.eat(COMMA) {
                break;
            }
        }
        p.expect_closing(R_PAREN, open);
        t.complete(p, TUPLE_NAMES);
        p.expect(EQ, "`=`");
        operand(p, PIPE_BP);
        m.complete(p, ASSIGNMENT);
        return true;
    }
    scalar_expr(p).is_some()
}

/// Whether `(a, b, ...) =` follows.
pub(super) fn tuple_names_ahead(p: &Parser<'_>) -> bool {
    let mut i = 1;
    loop {
        match p.nth(i) {
            IDENT => i += 1,
            L_BRACK if p.nth_at(i + 1, STRING_LITERAL) => {
                i += 2;
                while p.nth_at(i, STRING_LITERAL) {
                    i += 1;
                }
                if !p.nth_at(i, R_BRACK) {
                    return false;
                }
                i += 1;
            }
            _ => return false,
        }
        match p.nth(i) {
            COMMA => i += 1,
            R_PAREN => return p.nth_at(i + 1, EQ),
            _ => return false,
        }
    }
}

/// A comma-separated list of assignments or expressions; returns how many items were parsed.
pub(crate) fn assignment_list(p: &mut Parser<'_>, stop_words: &[&str]) -> usize {
    let mut count = 0;
    loop {
        if at_operator_end(p) || p.at_any_word(stop_words) {
            break;
        }
        let before = p.position();
        if !assignment_or_expr(p) {
            let found = p.found_description();
            p.recover_until(format!("expected an expression, found {found}"), |p| {
                at_operator_end(p) || p.at(COMMA) || p.at_any_word(stop_words)
            });
        }
        count += 1;
        if !p.eat(COMMA) || p.position() == before {
            break;
        }
        if at_operator_end(p) {
            p.missing(NAME_REF, "an expression after `,`");
        } else if p.at_any_word(stop_words) {
            // `summarize count(), by x`: a comma never comes before the `by` clause.
            let word = p.nth_text(0);
            p.missing(
                NAME_REF,
                &format!("an expression after `,` (write `['{word}']` for a column named {word})"),
            );
        }
    }
    count
}
