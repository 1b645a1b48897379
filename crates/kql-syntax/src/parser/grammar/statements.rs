//! Statements: `let`, `set`, `declare`, `alias`, `restrict`, `pattern`, query statements; control
//! commands and client directives.

use kql_diagnostics::Diagnostic;

use super::expressions::{expr, function_body};
use super::names::name;
use super::parameters::param_list;
use crate::parser::Parser;
use crate::SyntaxKind::*;

/// The whole text as one query: statements separated by `;`.
pub(crate) fn source_file(p: &mut Parser<'_>) {
    let m = p.start();
    let directives = (0..).take_while(|&i| p.nth_at(i, DIRECTIVE)).count();
    if p.nth_at(directives, DOT) {
        for _ in 0..directives {
            let d = p.start();
            p.bump_any();
            d.complete(p, DIRECTIVE_STMT);
        }
        control_command(p);
    } else {
        statements(p);
    }
    m.complete(p, SOURCE_FILE);
}

/// `.show tables`, `.create table ...`: valid Kusto, but not something Advanced Hunting runs.
/// The command's text is kept whole in one node and reported once.
fn control_command(p: &mut Parser<'_>) {
    let m = p.start();
    let start = p.current_range();
    let name_range = if p.nth_glued(1) {
        p.nth_range(1)
    } else {
        start
    };
    let name = if p.nth_glued(1) { p.nth_text(1) } else { "" };
    // Kusto takes any text after the `.`; only a bare `.` (or `. |`) misses the command.
    let has_name = !matches!(p.nth(1), EOF | PIPE);
    while !p.at_eof() {
        p.bump_any();
    }
    m.complete(p, CONTROL_COMMAND);
    if !has_name {
        p.diagnostics.push(Diagnostic::error(
            "KQL001",
            "expected a command name after `.`",
            start,
        ));
        return;
    }
    p.diagnostics.push(
        Diagnostic::warning(
            "KQL010",
            format!("`.{name}` is a control command: Advanced Hunting only runs queries"),
            start.cover(name_range),
        )
        .with_help("control commands run against a Kusto cluster (Azure Data Explorer), not through the Advanced Hunting API"),
    );
}

/// The statements of the whole text, separated by `;`, until the end of input.
pub(crate) fn statements(p: &mut Parser<'_>) {
    loop {
        if p.at(SEMICOLON) {
            // Kusto rejects empty statements (`;;`, a leading `;`).
            p.err_and_bump("unexpected `;`: there is no statement before it".to_string());
            continue;
        }
        if p.at_eof() {
            break;
        }
        if p.at(DIRECTIVE) {
            let m = p.start();
            p.bump_any();
            m.complete(p, DIRECTIVE_STMT);
            continue;
        }
        let before = p.position();
        statement(p);
        if p.at_eof() {
            break;
        }
        if p.eat(SEMICOLON) {
            continue;
        }
        let found = p.found_description();
        p.recover_until(
            format!("expected `;` or the end of the query, found {found}"),
            |p| p.at(SEMICOLON) || p.at(PIPE),
        );
        if p.position() == before {
            p.bump_any();
        }
    }
}

/// The statements of a `{ ... }` body (a function, a `partition` subquery): `let` and
/// `declare` statements, each ended by `;`, then at most one expression, optionally followed by
/// `;`. Kusto rejects anything after that expression and a `let` left without its `;`.
pub(crate) fn body_statements(p: &mut Parser<'_>) {
    loop {
        if p.at(SEMICOLON) {
            p.err_and_bump("unexpected `;`: there is no statement before it".to_string());
            continue;
        }
        if p.at_eof() || p.at(R_CURLY) {
            break;
        }
        let declaration = matches!(p.nth_text(0), "let" | "declare")
            && p.current() == IDENT
            && matches!(p.nth(1), IDENT | L_BRACK);
        let before = p.position();
        statement(p);
        if p.eat(SEMICOLON) {
            if declaration || p.at(R_CURLY) || p.at_eof() {
                continue;
            }
            // `{ T | take 1; print 2 }`: the body's value has been given already, so the `}`
            // is missing here (reported by the caller).
            break;
        }
        if declaration {
            // Report the missing `;` where it belongs and read on: what follows is most likely
            // the next statement.
            p.missing(SEMICOLON, "`;` after the `let` statement");
            if p.position() == before {
                p.bump_any();
            }
            continue;
        }
        if p.at_eof() || p.at(R_CURLY) {
            break;
        }
        let found = p.found_description();
        p.recover_until(format!("expected `;` or `}}`, found {found}"), |p| {
            p.at(SEMICOLON) || p.at(PIPE) || p.at(R_CURLY)
        });
        if p.position() == before {
            p.bump_any();
        }
    }
}

fn statement(p: &mut Parser<'_>) {
    match p.nth_text(0) {
        "let" if p.current() == IDENT && p.nth_at(1, IDENT) || p.nth(1) == L_BRACK => let_stmt(p),
        "set" if p.nth_at(1, IDENT) && p.nth_text(1) != "by" => set_stmt(p),
        "declare" if p.nth_at(1, IDENT) => declare_stmt(p),
        "alias" if p.nth_at(1, IDENT) => alias_stmt(p),
        "restrict" if p.nth_is_word(1, "access") => restrict_stmt(p),
        // A statement may also start directly with an operator (`where x > 1`): its input is
        // implied, as in Kusto.
        w if p.current() == IDENT
            && super::operators::is_operator_word(w)
            && !super::operators::at_source_operator(p)
            && !matches!(p.nth(1), EQ | EQ2 | DOT | COMMA)
            && !(w == "count" && p.nth_at(1, L_PAREN)) =>
        {
            let m = p.start();
            super::operators::contextual_pipeline(p);
            m.complete(p, QUERY_STMT);
        }
        _ => {
            let m = p.start();
            expr(p);
            m.complete(p, QUERY_STMT);
        }
    }
}

/// `let name = expr`, `let f = (a:long, b:string = "x") { ... }`, `let v = view () { ... }`.
fn let_stmt(p: &mut Parser<'_>) {
    let m = p.start();
    p.bump_any(); // let
    super::names::check_not_reserved(p);
    name(p);
    p.expect(EQ, "`=`");
    let lambda_follows = |p: &Parser<'_>, at: usize| {
        p.nth_at(at, L_PAREN)
            && (p.nth_at(at + 1, R_PAREN)
                || (p.nth_at(at + 2, COLON) && matches!(p.nth(at + 1), IDENT | L_BRACK))
                || (p.nth_at(at + 1, L_BRACK) && p.nth_at(at + 4, COLON)))
    };
    if p.at_word("view") && lambda_follows(p, 1) {
        let l = p.start();
        p.bump_any();
        param_list(p);
        function_body(p);
        l.complete(p, LAMBDA);
    } else if lambda_follows(p, 0) {
        let l = p.start();
        param_list(p);
        function_body(p);
        l.complete(p, LAMBDA);
    } else if expr(p).is_none() {
        p.missing(NAME_REF, "a value after `=`");
    }
    m.complete(p, LET_STMT);
}

/// `set querytrace;`, `set notruncation = true;`
fn set_stmt(p: &mut Parser<'_>) {
    let m = p.start();
    p.bump_any();
    super::names::check_not_reserved(p);
    name(p);
    if p.eat(EQ) && expr(p).is_none() {
        p.missing(LITERAL, "a value after `=`");
    }
    m.complete(p, SET_STMT);
}

/// `declare query_parameters (a:string, b:long = 5);` and `declare pattern name ...;`
fn declare_stmt(p: &mut Parser<'_>) {
    let m = p.start();
    p.bump_any();
    if p.eat_word("query_parameters") {
        param_list(p);
    } else if p.eat_word("pattern") {
        name(p);
        if p.eat(EQ) {
            if p.at(L_PAREN) {
                param_list(p);
            }
            if p.at(L_BRACK) {
                let b = p.start();
                p.bump_any();
                while !p.at_eof() && !p.at(R_BRACK) {
                    p.bump_any();
                }
                p.expect(R_BRACK, "`]`");
                b.complete(p, SCHEMA);
            }
            if p.at(L_CURLY) {
                skip_balanced(p);
            }
        }
    } else {
        p.error_here(format!(
            "expected `query_parameters` or `pattern` after `declare`, found {}",
            p.found_description()
        ));
    }
    m.complete(p, DECLARE_STMT);
}

/// `alias database x = cluster("c").database("d");`
fn alias_stmt(p: &mut Parser<'_>) {
    let m = p.start();
    p.bump_any();
    p.eat_word("database");
    name(p);
    p.expect(EQ, "`=`");
    expr(p);
    m.complete(p, ALIAS_STMT);
}

/// `restrict access to (T1, T2);`
fn restrict_stmt(p: &mut Parser<'_>) {
    let m = p.start();
    p.bump_any();
    p.bump_any(); // access
    p.expect_word("to");
    if p.at(L_PAREN) {
        if p.nth_at(1, R_PAREN) {
            // `restrict access to ()` gives access to nothing: Kusto requires at least one name.
            let range = p.nth_range(1);
            p.push_error(
                "KQL001",
                "expected a table name, found `)`".to_string(),
                range,
            );
        }
        super::operators::paren_table_list(p);
    } else {
        p.missing(NAME_LIST, "`(` and the tables");
    }
    m.complete(p, RESTRICT_STMT);
}

/// Consumes a `{ ... }` group whole (bodies of pattern declarations).
fn skip_balanced(p: &mut Parser<'_>) {
    let m = p.start();
    let mut depth = 0;
    while !p.at_eof() {
        match p.current() {
            L_CURLY => depth += 1,
            R_CURLY => {
                depth -= 1;
                if depth == 0 {
                    p.bump_any();
                    break;
                }
            }
            _ => {}
        }
        p.bump_any();
    }
    m.complete(p, FUNCTION_BODY);
}
