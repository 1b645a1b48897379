//! From a syntax tree to a layout ([`Piece`]s): which constructs break, where, and how deep.
//!
//! Every significant token goes through [`Layout::token`], in document order, which also places
//! the comments around it; the constructs below only add line breaks, groups and indentation.
//! Pipelines and operator runs are read through `PipeExpr::source/operators` and
//! `BinExpr::operands`, so the layout does not depend on how the tree nests them.

use kql_syntax::ast::{AstNode, BinExpr, PipeExpr};
use kql_syntax::{SyntaxElement, SyntaxKind, SyntaxNode, SyntaxToken};

use crate::doc::Piece;
use crate::spacing::space_between;
use crate::trivia::{scan_gap, trailing_comment};
use crate::{FormatOptions, PipeStyle};

use SyntaxKind::*;

pub(crate) struct Layout<'a, 'o> {
    text: &'a str,
    options: &'o FormatOptions,
    /// End of the text already printed: the previous token and its trailing comment.
    done: usize,
    pub(crate) pieces: Vec<Piece<'a>>,
    prev: Option<SyntaxToken>,
    /// A line break (or a `Line`) was placed since `prev`.
    broke: bool,
    /// The next token starts a line where the author's blank line may be kept.
    blank_ok: bool,
    /// A token was visited out of order or skipped (a bug in this module; the caller refuses
    /// the result).
    pub(crate) out_of_order: bool,
    /// Inside a construct whose spacing is kept as written (graph patterns).
    verbatim_spacing: usize,
    /// Emptied child lists, for reuse.
    spare: Vec<Vec<SyntaxElement>>,
}

impl<'a, 'o> Layout<'a, 'o> {
    pub(crate) fn new(text: &'a str, options: &'o FormatOptions) -> Self {
        Layout {
            text,
            options,
            done: 0,
            pieces: Vec::with_capacity(text.len() / 4),
            prev: None,
            broke: false,
            blank_ok: false,
            out_of_order: false,
            verbatim_spacing: 0,
            spare: Vec::new(),
        }
    }

    /// Lays out the whole tree, then the comments after its last token.
    pub(crate) fn root(&mut self, root: &SyntaxNode) {
        self.node(root);
        self.blank_ok = true;
        self.gap_before(self.text.len());
    }

    // ---------------------------------------------------------------- pieces

    fn push(&mut self, piece: Piece<'a>) {
        if matches!(piece, Piece::Line { .. } | Piece::Hard | Piece::Blank) {
            self.broke = true;
        }
        self.pieces.push(piece);
    }

    fn line(&mut self) {
        self.push(Piece::Line { space: true });
    }

    /// A forced line break where the author's blank line (if any) is kept.
    fn hard_keeping_blank(&mut self) {
        self.push(Piece::Hard);
        self.blank_ok = true;
    }

    /// Prints the own-line comments (and keeps the blank lines, where allowed) between the last
    /// printed text and `start`. Returns whether the author wrote something (space or comment)
    /// there.
    fn gap_before(&mut self, start: usize) -> bool {
        if start < self.done {
            // Tokens out of order: a bug here; the caller refuses the result.
            self.out_of_order = true;
            return true;
        }
        let gap = scan_gap(&self.text[self.done..start]);
        self.out_of_order |= gap.skipped_text;
        for comment in &gap.comments {
            if comment.blank_before && self.blank_ok {
                self.push(Piece::Blank);
            } else {
                self.push(Piece::Hard);
            }
            self.push(Piece::Text(comment.text));
            self.push(Piece::Hard);
        }
        if gap.blank_before && self.blank_ok {
            self.push(Piece::Blank);
        }
        !gap.empty
    }

    /// Prints the next significant token with its comments and the space before it.
    fn token(&mut self, token: &SyntaxToken) {
        let range = token.text_range();
        let (start, end) = (usize::from(range.start()), usize::from(range.end()));
        let spaced = self.gap_before(start);
        if let Some(prev) = &self.prev {
            if !self.broke
                && (if self.verbatim_spacing > 0 {
                    spaced
                } else {
                    space_between(prev, token, spaced)
                })
            {
                self.push(Piece::Space);
            }
        }
        self.push(Piece::Text(&self.text[start..end]));
        self.done = end;
        if let Some((comment, stop)) = trailing_comment(self.text, end) {
            self.push(Piece::Suffix(comment));
            self.done = stop;
        }
        self.prev = Some(token.clone());
        self.broke = false;
        self.blank_ok = false;
    }

    fn element(&mut self, e: &SyntaxElement) {
        match e {
            SyntaxElement::Token(t) if !t.kind().is_trivia() => self.token(t),
            SyntaxElement::Token(_) => {}
            SyntaxElement::Node(n) => self.node(n),
        }
    }

    // ---------------------------------------------------------------- constructs

    fn node(&mut self, node: &SyntaxNode) {
        // Left-nested operator chains nest as deep as the parser allows; grow the stack rather
        // than overflow it (the check is a comparison of the stack pointer).
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || self.node_kind(node));
    }

    fn node_kind(&mut self, node: &SyntaxNode) {
        match node.kind() {
            SOURCE_FILE | QUERY_BLOCK => self.statements(node),
            FUNCTION_BODY => self.braces(node),
            CONTROL_COMMAND | DIRECTIVE_STMT | GRAPH_PATTERN => {
                self.verbatim_spacing += 1;
                self.generic(node);
                self.verbatim_spacing -= 1;
            }
            PIPE_EXPR => self.pipeline(node),
            SCAN_OP => self.scan(node),
            _ => self.generic(node),
        }
    }

    /// Top-level statements (or blocks) one per line; a blank line the author left between
    /// them is kept, and blocks are always separated by one.
    fn statements(&mut self, node: &SyntaxNode) {
        let mut first = true;
        for e in node.children_with_tokens() {
            match &e {
                SyntaxElement::Node(n) if n.kind() == QUERY_BLOCK => {
                    if !first {
                        self.push(Piece::Blank);
                    }
                    self.node(n);
                    first = false;
                }
                SyntaxElement::Node(n) => {
                    if !first {
                        self.push(Piece::Hard);
                    }
                    // Also for the first statement: a blank line after a heading comment stays.
                    self.blank_ok = true;
                    self.node(n);
                    first = false;
                }
                _ => self.element(&e),
            }
        }
    }

    /// `{ statements }`: on one line when it fits, else the body indented on its own lines.
    fn braces(&mut self, node: &SyntaxNode) {
        let children: Vec<SyntaxElement> = significant(node).collect();
        let (Some(open), Some(close)) = (children.first(), children.last()) else {
            return self.generic(node);
        };
        if open.kind() != L_CURLY || close.kind() != R_CURLY || children.len() < 2 {
            return self.generic(node);
        }
        self.push(Piece::GroupStart);
        self.element(open);
        self.push(Piece::IndentStart);
        self.line();
        let mut first = true;
        for e in &children[1..children.len() - 1] {
            match e {
                SyntaxElement::Node(n) => {
                    if !first {
                        self.line();
                        self.blank_ok = true;
                    }
                    self.node(n);
                    first = false;
                }
                _ => self.element(e),
            }
        }
        self.push(Piece::IndentEnd);
        self.line();
        self.element(close);
        self.push(Piece::GroupEnd);
    }

    /// A pipeline: at the top of a statement every operator starts a line; inside a query
    /// (subqueries, `let x = ...`, function bodies) it stays on one line when it has one operator
    /// and fits, else each operator starts a line. After `let x =` a broken pipeline starts on
    /// the next line, one level in (as Kusto's formatter and most authors do).
    fn pipeline(&mut self, node: &SyntaxNode) {
        let Some(pipe) = PipeExpr::cast(node.clone()) else {
            return self.generic(node);
        };
        let Some(source) = pipe.source() else {
            return self.generic(node);
        };
        let operators: Vec<SyntaxNode> = pipe
            .operators()
            .into_iter()
            .filter(|op| *op != source)
            .collect();
        let parent = node.parent().map(|p| p.kind());
        let grandparent = node.parent().and_then(|p| p.parent()).map(|p| p.kind());
        let top =
            parent == Some(QUERY_STMT) && matches!(grandparent, Some(SOURCE_FILE | QUERY_BLOCK));
        // A subquery may start with an operator (`mv-apply ... on (where ... | ...)`).
        let count = operators.len() + usize::from(source.kind().is_tabular_operator());
        let broken = top || count > 1;
        let indent = !top
            && !matches!(
                parent,
                Some(QUERY_STMT | PAREN_EXPR | SUBQUERY | ARG_LIST | LIST_EXPR)
            );
        if !broken {
            self.push(Piece::GroupStart);
        }
        if indent {
            // `let x =` then the whole pipeline on its own lines, one level in.
            self.push(Piece::IndentStart);
            if broken {
                self.push(Piece::Hard);
            }
        }
        self.node(&source);
        for op in &operators {
            let bar = op
                .siblings_with_tokens(rowan::Direction::Prev)
                .skip(1)
                .filter(|e| !e.kind().is_trivia())
                .take_while(|e| e.kind() == PIPE)
                .find_map(|e| e.into_token());
            match self.options.pipe_style {
                PipeStyle::Leading => {
                    self.break_before_operator(broken);
                    if let Some(bar) = &bar {
                        self.token(bar);
                    }
                }
                PipeStyle::Trailing => {
                    if let Some(bar) = &bar {
                        self.token(bar);
                    }
                    self.break_before_operator(broken);
                }
            }
            self.node(op);
        }
        if indent {
            self.push(Piece::IndentEnd);
        }
        if !broken {
            self.push(Piece::GroupEnd);
        }
    }

    fn break_before_operator(&mut self, broken: bool) {
        if broken {
            self.hard_keeping_blank();
        } else {
            self.line();
        }
    }

    /// `scan ... with (step ...; step ...;)`: one step a line, indented.
    fn scan(&mut self, node: &SyntaxNode) {
        let mut in_steps = false;
        for e in significant(node) {
            match e.kind() {
                L_PAREN if node.children().any(|c| c.kind() == SCAN_STEP) && !in_steps => {
                    in_steps = true;
                    self.element(&e);
                    self.push(Piece::IndentStart);
                }
                SCAN_STEP => {
                    self.push(Piece::Hard);
                    self.element(&e);
                }
                R_PAREN if in_steps => {
                    self.push(Piece::IndentEnd);
                    self.push(Piece::Hard);
                    self.element(&e);
                }
                _ => self.element(&e),
            }
        }
    }

    /// `a and b and c`: on one line when it fits, else one operand a line, each line after the
    /// first starting with the operator.
    fn logical_chain(&mut self, node: &SyntaxNode) {
        let Some(expr) = BinExpr::cast(node.clone()) else {
            return self.generic(node);
        };
        let operands = expr.operands();
        let Some((first, rest)) = operands.split_first() else {
            return self.generic(node);
        };
        self.push(Piece::GroupStart);
        self.node(first);
        self.push(Piece::IndentStart);
        for operand in rest {
            self.line();
            let mut ops: Vec<SyntaxToken> = operand
                .siblings_with_tokens(rowan::Direction::Prev)
                .skip(1)
                .take_while(|e| e.as_token().is_some())
                .filter_map(|e| e.into_token())
                .filter(|t| !t.kind().is_trivia())
                .collect();
            ops.reverse();
            for t in &ops {
                self.token(t);
            }
            self.node(operand);
        }
        self.push(Piece::IndentEnd);
        self.push(Piece::GroupEnd);
    }

    /// Any other node: its children in order, with comma-separated lists wrapped one item per
    /// line when they do not fit, and brackets around a list or a single expression.
    fn generic(&mut self, node: &SyntaxNode) {
        // Child lists are short-lived: their buffers are reused rather than allocated per node.
        let mut children = self.spare.pop().unwrap_or_default();
        children.extend(significant(node));
        if node.kind() == BIN_EXPR && is_logical(&children) {
            self.logical_chain(node);
        } else {
            self.generic_children(node, &children);
        }
        children.clear();
        self.spare.push(children);
    }

    fn generic_children(&mut self, node: &SyntaxNode, children: &[SyntaxElement]) {
        if self.verbatim_spacing == 0 {
            if let Some((first, last)) = list_span(children) {
                return self.with_list(node, children, first, last);
            }
            if is_bracketed(children) && children.len() == 3 {
                return self.bracketed(children, 1, 1);
            }
            // `summarize count() by ...`: the `by` clause moves to the next line when it does not
            // fit after what precedes it (which may itself have broken over lines).
            if let Some(by) = children.iter().position(|e| e.kind() == BY_CLAUSE) {
                if by > 0 && node.kind().is_tabular_operator() {
                    for e in &children[..by] {
                        self.element(e);
                    }
                    self.push(Piece::GroupStart);
                    self.push(Piece::IndentStart);
                    self.line();
                    for e in &children[by..] {
                        self.element(e);
                    }
                    self.push(Piece::IndentEnd);
                    self.push(Piece::GroupEnd);
                    return;
                }
            }
        }
        for e in children {
            self.element(e);
        }
    }

    fn with_list(
        &mut self,
        node: &SyntaxNode,
        children: &[SyntaxElement],
        first: usize,
        last: usize,
    ) {
        if is_bracketed(children) && first == 1 && last == children.len() - 2 {
            return self.bracketed(children, first, last);
        }
        // An operator's item list (`project a, b`), maybe followed by a clause (`by ...`).
        let clause_break = node.kind().is_tabular_operator() || node.kind() == BY_CLAUSE;
        self.push(Piece::GroupStart);
        for e in &children[..first] {
            self.element(e);
        }
        self.push(Piece::GroupStart);
        self.push(Piece::IndentStart);
        if first > 0 {
            self.line();
        } else {
            // The node is the list itself (`union`'s table list): a break before the first
            // item, with the usual spacing when it stays on the line.
            self.pieces.push(Piece::Line { space: false });
        }
        self.items(&children[first..=last]);
        self.push(Piece::IndentEnd);
        self.push(Piece::GroupEnd);
        if last + 1 < children.len() {
            self.push(Piece::IndentStart);
            if clause_break {
                self.line();
            }
            for e in &children[last + 1..] {
                self.element(e);
            }
            self.push(Piece::IndentEnd);
        }
        self.push(Piece::GroupEnd);
    }

    /// `( items )`: on one line when it fits, else the items indented one a line and the closing
    /// bracket on its own line.
    fn bracketed(&mut self, children: &[SyntaxElement], first: usize, last: usize) {
        // `{ body }` keeps a space inside its braces; `(x)` and `[x]` have none.
        let space = children[0].kind() == L_CURLY;
        self.push(Piece::GroupStart);
        self.element(&children[0]);
        self.push(Piece::IndentStart);
        self.push(Piece::Line { space });
        self.items(&children[first..=last]);
        self.push(Piece::IndentEnd);
        self.push(Piece::Line { space });
        self.element(&children[children.len() - 1]);
        self.push(Piece::GroupEnd);
    }

    /// Items and the commas between them, a line break allowed after each comma.
    fn items(&mut self, items: &[SyntaxElement]) {
        for (i, e) in items.iter().enumerate() {
            self.element(e);
            if e.kind() == COMMA && i + 1 < items.len() {
                self.line();
            }
        }
    }
}

fn significant(node: &SyntaxNode) -> impl Iterator<Item = SyntaxElement> {
    node.children_with_tokens()
        .filter(|e| !e.kind().is_trivia())
}

/// Whether a binary expression's children (nested or flat) join operands with `and` or `or`.
fn is_logical(children: &[SyntaxElement]) -> bool {
    children
        .iter()
        .find_map(|e| e.as_token())
        .is_some_and(|t| matches!(t.text(), "and" | "or"))
}

fn is_bracketed(children: &[SyntaxElement]) -> bool {
    let (Some(open), Some(close)) = (children.first(), children.last()) else {
        return false;
    };
    matches!(
        (open.kind(), close.kind()),
        (L_PAREN, R_PAREN) | (L_BRACK, R_BRACK) | (L_CURLY, R_CURLY)
    ) && children.len() >= 2
}

/// The first and last item of a comma-separated list among the children: items alternate with
/// commas and are single nodes (or words). `None` when there is no such list.
fn list_span(children: &[SyntaxElement]) -> Option<(usize, usize)> {
    let first_comma = children.iter().position(|e| e.kind() == COMMA)?;
    let first = first_comma.checked_sub(1)?;
    let mut last = children.iter().rposition(|e| e.kind() == COMMA)? + 1;
    if is_bracketed(children) && last == children.len() - 1 {
        // A trailing comma before the closing bracket (`[1, 2,]`) ends the list.
        last -= 1;
    } else if last >= children.len() {
        return None;
    }
    let item = |e: &SyntaxElement| {
        e.as_node().is_some()
            || e.as_token().is_some_and(|t| {
                t.kind().is_literal_token() || t.kind() == IDENT || t.kind() == STAR
            })
    };
    for (i, e) in children[first..=last].iter().enumerate() {
        let want_comma = i % 2 == 1;
        if (e.kind() == COMMA) != want_comma || (!want_comma && !item(e)) {
            return None;
        }
    }
    Some((first, last))
}
