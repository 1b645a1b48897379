//! Calls of user functions (`let` functions and stored functions from a schema file), with what
//! is wrong in the body of the function called: the lint rule `function-with-errors` reports a
//! call of a function whose body has errors, as Microsoft's analyzer does (KS512).

use std::rc::Rc;

use kql_diagnostics::{Diagnostic, Severity, TextRange};

use crate::Model;

/// Where the body of a called function is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FunctionBody {
    /// A `let` function of this text: the range of its `{ ... }` body.
    Let { body: TextRange },
    /// A stored function from the schema: its body's text as the schema file gives it, and the
    /// errors found in it (syntax, names, types), with ranges into `text` (not into the query).
    Stored {
        text: Rc<str>,
        errors: Rc<[Diagnostic]>,
    },
}

/// One call of a user function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionCall {
    /// The function's name at the call (`f` in `f(1)`, `invoke f()`).
    pub callee: TextRange,
    pub name: String,
    pub body: FunctionBody,
    /// Errors of the body bound again for this call, with the table it passes to a table
    /// parameter (ranges as for `body`): a body that is fine as declared but not for this
    /// input, such as a column the piped table lacks. Empty when the body was not bound again.
    pub call_errors: Vec<Diagnostic>,
}

impl Model {
    /// Every call of a user function (`let` or stored), in the order the binder met them.
    pub fn function_calls(&self) -> &[FunctionCall] {
        &self.function_calls
    }

    /// The errors in the body of the function `call` calls: for a `let` function, the syntax
    /// and semantic errors inside its body (syntax errors only when the model was built by
    /// [`crate::analyze`], which has the parse); for a stored function, those found when its
    /// body was analyzed (ranges into the body's text).
    pub fn body_errors<'m>(&'m self, call: &'m FunctionCall) -> Vec<&'m Diagnostic> {
        match &call.body {
            FunctionBody::Let { body } => self
                .syntax_errors
                .iter()
                .chain(&self.diagnostics)
                .filter(|d| d.severity == Severity::Error && body.contains_range(d.range))
                .collect(),
            FunctionBody::Stored { errors, .. } => errors.iter().collect(),
        }
    }
}
