use super::prelude::*;
use kql_diagnostics::LineIndex;
use kql_semantic::FunctionBody;

declare_rule! {
    /// A call of a user function whose body has errors.
    ///
    /// ## What it does
    /// Reports each call of a `let` function or of a stored function (from a `--schema` file:
    /// `.show database schema as json` or a CSL script, with the function's body) whose body
    /// has a syntax error or an error of names or types (an unknown column, a wrong argument
    /// count…). One finding per call, at the function's name, whatever the number of errors;
    /// the body's first error is in the message and every one is attached:
    ///
    /// - for a `let` function, as related information pointing into the body (the error is also
    ///   reported where it is, by the parser or the checker, as Microsoft's editor does: that
    ///   is where it gets fixed, and the call is where it breaks the query);
    /// - for a stored function, with its line and column in the body text of the schema file.
    ///   Those errors have no place in the query, so the finding says so, and they are
    ///   reported only here: `kql check` does not lint the schema file.
    ///
    /// A body that is fine for its declared parameter types (a table parameter `T:(*)` may have
    /// any column) but fails for the table one call passes (a column that table lacks) is
    /// reported at that call, as such: the body is bound again with each known table argument,
    /// as Kusto expands a call.
    ///
    /// ## Why is this bad?
    /// The query cannot run: the service compiles the function's body with the query, so an
    /// error there fails every query that calls it, and with a stored function the error is
    /// out of sight, in a definition the analyst did not write.
    ///
    /// ## Example
    /// ```kql
    /// let recentLogons = (user:string) { DeviceLogonEvents | where AccountNme == user };
    /// recentLogons("alice")
    /// ```
    ///
    /// ## Use instead
    /// ```kql
    /// let recentLogons = (user:string) { DeviceLogonEvents | where AccountName == user };
    /// recentLogons("alice")
    /// ```
    ///
    /// ## Fix safety
    /// No fix: the error is in the body, and the fix is the body's (for a `let` function, the
    /// checker's own finding there may have one).
    ///
    /// ## Compared with Microsoft's analyzer (KS512)
    /// Same trigger (a call of a function whose body, nested functions included, has an error),
    /// same place (the function's name at each call) and the same severity (warning). Over
    /// `../shared/corpus/valid`: 7 files both, with the same 9 calls; 0 kqlkit-only; 10
    /// Microsoft-only, because Microsoft expands each call's body with all its actual arguments,
    /// where kqlkit binds it again only with the table passed to a table first parameter (scalar
    /// values are not substituted, other table arguments stay open): 3 files where an argument's value makes the body wrong (`table(name)` called with a
    /// literal name the schema lacks), 5 where an argument is itself wrong (an unknown table or
    /// function passed in: kqlkit reports it at the argument instead), 2 whose body has an
    /// error kqlkit's checker does not detect (an argument that must be a literal; `and` of two
    /// strings). Whether the body's own errors are also reported: yes for `let` functions (by
    /// the parser or checker, where they are, as Microsoft does); for stored functions only
    /// through this rule, since they have no place in the query.
    pub struct FunctionWithErrors { code: "AH124", name: "function-with-errors", category: Suspicious, severity: Warning, fix: None, weight: 0 }
}

/// How many of a body's errors a finding lists.
const LISTED: usize = 5;

pub fn check(cx: &Checker) -> Vec<Diagnostic> {
    let model = cx.model();
    let mut out: Vec<Diagnostic> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for call in model.function_calls() {
        if !seen.insert(call.callee) {
            continue;
        }
        // The body's own errors; else those of this call's binding of it (a table argument
        // that lacks what the body reads).
        let mut errors = model.body_errors(call);
        let for_call = errors.is_empty();
        if for_call {
            errors = call.call_errors.iter().collect();
        }
        let Some(first) = errors.first() else {
            continue;
        };
        let what = if for_call {
            "errors for the table this call passes"
        } else {
            "errors in its body"
        };
        let more = match errors.len() {
            1 => String::new(),
            n => format!(" (and {} more)", n - 1),
        };
        let d = match &call.body {
            FunctionBody::Let { .. } => {
                let mut d = cx.report(
                    format!(
                        "function `{}` has {what}: {}{more}",
                        call.name, first.message
                    ),
                    call.callee,
                );
                for e in errors.iter().take(LISTED) {
                    d = d.with_label(e.range, format!("in `{}`: {}", call.name, e.message));
                }
                d.with_help(if for_call {
                    format!(
                        "the table passed lacks what the body of `{}` reads: fix the body or \
                         the input",
                        call.name
                    )
                } else {
                    format!("fix the body of `{}`", call.name)
                })
            }
            FunctionBody::Stored { text, .. } => {
                let index = LineIndex::new(text);
                let at = |e: &Diagnostic| {
                    let lc = index.line_col(text, e.range.start());
                    format!("line {}, column {} of its body", lc.line, lc.column)
                };
                let listed: Vec<String> = errors
                    .iter()
                    .take(LISTED)
                    .map(|e| format!("{} ({}): {}", e.code, at(e), e.message))
                    .collect();
                cx.report(
                    format!(
                        "stored function `{}` has {}, which comes from the schema file (no \
                         location in this query): {} at {}{more}",
                        call.name,
                        if for_call {
                            "errors for the table this call passes to its definition"
                        } else {
                            "errors in its definition"
                        },
                        first.message,
                        at(first)
                    ),
                    call.callee,
                )
                .with_label(call.callee, listed.join("; "))
                .with_help(format!(
                    "fix `{}` where it is defined (the database, then the schema file)",
                    call.name
                ))
            }
        };
        out.push(d);
    }
    out
}
