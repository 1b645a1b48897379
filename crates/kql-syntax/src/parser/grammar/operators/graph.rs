//! Graph operators: graph-match, graph-shortest-paths (node and edge patterns) and make-graph.

use super::*;

/// `graph-match [cycles=none] (a)-[e]->(b), ... [where pred] [project cols]`.
pub(super) fn graph_match(p: &mut Parser<'_>, kind: SyntaxKind) -> CompletedMarker {
    simple(p, kind, GRAPH_PARAMS, |p| {
        loop {
            graph_pattern(p);
            if !p.eat(COMMA) {
                break;
            }
        }
        if p.eat_word("where") {
            expect_expr(p);
        }
        if p.eat_word("project") {
            list(p, &[]);
        }
    })
}

/// `(a)-[e*1..3]->(b)<--(c)`: nodes joined by edges.
pub(super) fn graph_pattern(p: &mut Parser<'_>) {
    let pat = p.start();
    graph_node(p);
    while matches!(p.current(), MINUS | LT) {
        graph_edge(p);
        graph_node(p);
    }
    pat.complete(p, GRAPH_PATTERN);
}

pub(super) fn graph_node(p: &mut Parser<'_>) {
    delimited(p, GRAPH_NODE, L_PAREN, "`(` to start a graph node", |p| {
        if p.at(IDENT) {
            name(p);
        }
    });
}

/// `--`, `-->`, `<--`, `-[e]-`, `-[e]->`, `<-[e]-`, with `[e*1..3]` ranges; tokens glued.
pub(super) fn graph_edge(p: &mut Parser<'_>) {
    let edge = p.start();
    if p.eat(LT) {
        if !glued_minus(p) {
            edge.complete(p, GRAPH_EDGE);
            return;
        }
    } else {
        p.bump_any(); // `-`
    }
    if p.at(L_BRACK) && p.nth_glued(0) {
        let open = p.current_range();
        p.bump_any();
        if p.at(IDENT) {
            name(p);
        }
        if p.eat(STAR) {
            hop_count(p);
            if p.eat(DOT2) {
                hop_count(p);
            }
        }
        p.expect_closing(R_BRACK, open);
    }
    if glued_minus(p) && p.at(GT) && p.nth_glued(0) {
        p.bump_any();
    }
    edge.complete(p, GRAPH_EDGE);
}

/// A path length in `[e*1..3]`: a number or a `let` name.
pub(super) fn hop_count(p: &mut Parser<'_>) {
    if p.at(IDENT) {
        name_ref(p);
    } else {
        p.expect(INT_LITERAL, "a hop count");
    }
}

/// Consumes a `-` glued to the previous token, reporting it when absent.
pub(super) fn glued_minus(p: &mut Parser<'_>) -> bool {
    if p.at(MINUS) && p.nth_glued(0) {
        p.bump_any();
        return true;
    }
    p.missing(MINUS, "`-` to continue the graph edge");
    false
}

/// `make-graph src --> dst [with nodes on key]`.
pub(super) fn make_graph(p: &mut Parser<'_>) -> CompletedMarker {
    simple(p, MAKE_GRAPH_OP, GRAPH_PARAMS, |p| {
        expect_expr_no_arrows(p);
        if p.eat(MINUS) && glued_minus(p) {
            if p.at(GT) && p.nth_glued(0) {
                p.bump_any();
            }
        } else {
            p.missing(MINUS, "`-->` or `--`");
        }
        expect_expr_no_arrows(p);
        // `with nodes on key`, `partitioned-by key (subquery)`: kept as a balanced token run.
        let rest = p.start();
        let mut depth = 0u32;
        while !p.at_eof() && (depth > 0 || !at_operator_end(p)) {
            match p.current() {
                L_PAREN | L_BRACK | L_CURLY => depth += 1,
                R_PAREN | R_BRACK | R_CURLY => depth = depth.saturating_sub(1),
                _ => {}
            }
            p.bump_any();
        }
        rest.complete(p, WITH_CLAUSE);
    })
}

/// A column before or after the `-->` of `make-graph` (stops before `-`).
pub(super) fn expect_expr_no_arrows(p: &mut Parser<'_>) {
    if postfix(p).is_none() {
        p.missing(NAME_REF, "a column");
    }
}
