//! Constant values as the model resolves names: what the time and row rules (and editor features)
//! ask for the value of a filter's bound, a `let` constant or a function parameter at a call.

use kql_syntax::ast::{self, AstNode};
use kql_syntax::{SyntaxKind, SyntaxNode};

use crate::fold::{fold_in, parameter_of, Call, Definition, Names, TreeNames, Value};
use crate::Model;

impl Model {
    /// The constant value of `expr` (a node of the tree this model was built from) with "now" at
    /// `now`, inside the user-function `calls` (outermost first; empty outside any call): `let`
    /// names and parameters resolve as the binder resolved them, a parameter to the argument of
    /// the innermost call of its function (or its default value).
    pub fn fold(&self, expr: &SyntaxNode, now: i64, calls: &[Call]) -> Option<Value> {
        fold_in(expr, now, self, calls)
    }

    /// The function (`LAMBDA`) a call's callee (`f` in `f(1d)` or `invoke f()`) names, when it is a
    /// `let` of this text.
    pub fn called_function(&self, callee: &SyntaxNode) -> Option<SyntaxNode> {
        match self.definition(callee)? {
            Definition::Let(v) if v.kind() == SyntaxKind::LAMBDA => Some(v),
            _ => None,
        }
    }

    /// The uses of parameter `param` (a `PARAM` node) inside its function, as the binder
    /// resolved them.
    pub fn parameter_uses(&self, param: &SyntaxNode) -> Vec<SyntaxNode> {
        let Some(name) = param.children().find(|c| c.kind() == SyntaxKind::NAME) else {
            return Vec::new();
        };
        let Some(symbol) = self.symbol_defined_at(name.text_range()) else {
            return Vec::new();
        };
        let root = root_of(param);
        symbol
            .references
            .iter()
            .filter_map(|r| node_at(&root, *r))
            .collect()
    }
}

/// A name the binder resolved to a `let` or parameter gets that definition. A name it did not
/// resolve to one (a column, or a name in an operator argument the binder does not visit, such as
/// `take n`'s count) falls back to the tree's scopes ([`TreeNames`]), but only when the text
/// defines something of that name at all: most such names are columns (every column a time
/// filter folds), and walking the scopes for each of them was most of the time rules' cost.
impl Names for Model {
    fn definition(&self, name_ref: &SyntaxNode) -> Option<Definition> {
        let Some(symbol) = self.referenced_symbol(name_ref.text_range()) else {
            let name = crate::names::name_ref_text(name_ref)?;
            if !self.symbols().iter().any(|s| s.name == name) {
                return None;
            }
            return TreeNames.definition(name_ref);
        };
        let name = node_at(&root_of(name_ref), symbol.definition)?;
        let parent = name.parent()?;
        match parent.kind() {
            SyntaxKind::LET_STMT => ast::LetStmt::cast(parent)?.value().map(Definition::Let),
            _ => parameter_of(&name),
        }
    }
}

fn root_of(node: &SyntaxNode) -> SyntaxNode {
    node.ancestors().last().unwrap_or_else(|| node.clone())
}

/// The innermost node that spans exactly `range`.
fn node_at(root: &SyntaxNode, range: kql_syntax::TextRange) -> Option<SyntaxNode> {
    let mut node = match root.covering_element(range) {
        rowan::NodeOrToken::Node(n) => n,
        rowan::NodeOrToken::Token(t) => t.parent()?,
    };
    while node.text_range() != range {
        node = node.parent()?;
    }
    Some(node)
}

#[cfg(test)]
mod tests {
    use crate::fold::{Call, Value, TICKS_PER_DAY};

    /// The model's names: a parameter folds to the argument of the call around it, through a
    /// function that calls a function; a `let` in the body is found as the binder bound it.
    #[test]
    fn model_folds_parameters_at_a_call() {
        let text = "let f = (lb: timespan) { let w = lb * 2; DeviceProcessEvents | where Timestamp > ago(w) }; let g = (n: timespan) { f(n + 1d) }; g(4d)";
        let parse = kql_syntax::parse(text);
        let root = parse.syntax();
        let model = crate::analyze(&parse, kql_schema::Schema::advanced_hunting());
        let find = |t: &str| root.descendants().filter(|n| n.text() == t).last().unwrap();
        let lambda = |i: usize| {
            root.descendants()
                .filter(|n| n.kind() == kql_syntax::SyntaxKind::LAMBDA)
                .nth(i)
                .unwrap()
        };
        let calls = [
            Call {
                lambda: lambda(1),
                call: find("g(4d)"),
                piped: false,
            },
            Call {
                lambda: lambda(0),
                call: find("f(n + 1d)"),
                piped: false,
            },
        ];
        assert_eq!(
            model.called_function(&find("g(4d)").first_child().unwrap()),
            Some(lambda(1))
        );
        let ago = find("ago(w)");
        assert_eq!(
            model.fold(&ago, 0, &calls),
            Some(Value::DateTime(-10 * TICKS_PER_DAY))
        );
        // Outside the calls the parameter has no value.
        assert_eq!(model.fold(&ago, 0, &calls[..1]), None);
    }
}
