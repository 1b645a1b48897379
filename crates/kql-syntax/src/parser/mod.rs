//! The parser: recursive descent over the significant tokens, producing a flat list of events
//! that [`build_tree`] turns into a lossless rowan tree.
//!
//! Error recovery follows Kusto.Language's habits: a required token that is absent becomes a
//! zero-width token of the expected kind plus a diagnostic ([`Parser::expect`]); unexpected tokens
//! are wrapped in an `ERROR` node up to a synchronisation point ([`Parser::recover_until`]); every
//! loop makes progress or stops. Recursion depth is bounded so that 100,000 nested `(` produce a
//! diagnostic instead of a stack overflow.

mod event;
pub(crate) mod grammar;

pub(crate) use event::{build_tree, Event};

use kql_diagnostics::{Diagnostic, TextRange, TextSize};
use nom::Parser as _;

use crate::lexer::Tokens;
use crate::token_input::{SigToken, TokResult, TokenSlice};
use crate::SyntaxKind::{self, *};

/// How deeply expressions and subqueries may nest before the parser gives up on the rest.
pub(crate) const MAX_DEPTH: u32 = 128;

/// How deep the tree itself may grow: each nesting level and each change of operator in a
/// left-associative chain (`a + b - c`, `a.b.c...`) adds one level; a pipeline and a run of one
/// operator (`a + b + c`) are one node whatever their length. Trees are dropped and walked
/// recursively, so this bounds stack use everywhere downstream.
pub(crate) const MAX_TREE_DEPTH: u32 = 4096;

pub(crate) struct Parser<'t> {
    sig: Vec<SigToken<'t>>,
    /// Byte range of each significant token (parallel to `sig`).
    ranges: Vec<(u32, u32)>,
    pos: usize,
    pub(crate) events: Vec<Event>,
    pub(crate) diagnostics: Vec<Diagnostic>,
    depth: u32,
    /// Set once the depth limit has been hit, so it is reported once.
    too_deep: bool,
    /// Current tree depth (see [`MAX_TREE_DEPTH`]).
    tree_depth: u32,
    source_len: u32,
    /// Whether a bare `*` may stand as an operand (`search * has "x"`, `find where * has "x"`).
    pub(crate) allow_star: bool,
}

/// A started node; it must be completed or abandoned.
pub(crate) struct Marker {
    pos: u32,
}

/// A finished node, which can still be wrapped by a new parent with [`CompletedMarker::precede`].
#[derive(Clone, Copy)]
pub(crate) struct CompletedMarker {
    pos: u32,
    kind: SyntaxKind,
}

impl<'t> Parser<'t> {
    pub(crate) fn new(tokens: &Tokens<'t>) -> Parser<'t> {
        // One pass over the raw tokens, reading each token's end from the next one's start.
        let raw = &tokens.tokens;
        let source = tokens.source;
        let mut sig = Vec::with_capacity(raw.len());
        let mut ranges = Vec::with_capacity(raw.len());
        let mut after_trivia = false;
        for (i, token) in raw.iter().enumerate() {
            if token.kind.is_trivia() {
                after_trivia = true;
                continue;
            }
            let end = raw
                .get(i + 1)
                .map_or(source.len() as u32, |next| next.start);
            sig.push(SigToken {
                kind: token.kind,
                text: &source[token.start as usize..end as usize],
                after_trivia,
            });
            ranges.push((token.start, end));
            after_trivia = false;
        }
        // About three events per significant token (its token, and a start and finish of a node).
        let events = Vec::with_capacity(sig.len() * 3 + 4);
        Parser {
            sig,
            ranges,
            pos: 0,
            events,
            diagnostics: Vec::new(),
            depth: 0,
            too_deep: false,
            tree_depth: 0,
            source_len: tokens.source.len() as u32,
            allow_star: false,
        }
    }

    // ---- looking ----

    pub(crate) fn nth(&self, n: usize) -> SyntaxKind {
        self.sig.get(self.pos + n).map_or(EOF, |t| t.kind)
    }

    pub(crate) fn current(&self) -> SyntaxKind {
        self.nth(0)
    }

    pub(crate) fn nth_text(&self, n: usize) -> &'t str {
        self.sig.get(self.pos + n).map_or("", |t| t.text)
    }

    pub(crate) fn at(&self, kind: SyntaxKind) -> bool {
        self.current() == kind
    }

    pub(crate) fn at_eof(&self) -> bool {
        self.pos >= self.sig.len()
    }

    pub(crate) fn nth_at(&self, n: usize, kind: SyntaxKind) -> bool {
        self.nth(n) == kind
    }

    /// Whether the current token is the word `w`.
    pub(crate) fn at_word(&self, w: &str) -> bool {
        self.nth_is_word(0, w)
    }

    pub(crate) fn nth_is_word(&self, n: usize, w: &str) -> bool {
        self.sig
            .get(self.pos + n)
            .is_some_and(|t| t.kind == IDENT && t.text == w)
    }

    pub(crate) fn at_any_word(&self, words: &[&str]) -> bool {
        self.current() == IDENT && words.contains(&self.nth_text(0))
    }

    /// Whether token `n` follows token `n - 1` with no trivia between.
    pub(crate) fn nth_glued(&self, n: usize) -> bool {
        self.sig.get(self.pos + n).is_some_and(|t| !t.after_trivia)
    }

    /// Runs a nom parser over the remaining significant tokens without consuming anything and
    /// returns how many tokens it matched.
    pub(crate) fn lookahead<'s, O>(
        &'s self,
        mut f: impl FnMut(TokenSlice<'s>) -> TokResult<'s, O>,
    ) -> Option<usize> {
        let input = TokenSlice(&self.sig[self.pos.min(self.sig.len())..]);
        match f.parse(input) {
            Ok((rest, _)) => Some(input.0.len() - rest.0.len()),
            Err(_) => None,
        }
    }

    /// Byte range of the current token (empty at the end of input).
    pub(crate) fn current_range(&self) -> TextRange {
        match self.ranges.get(self.pos) {
            Some(&(s, e)) => TextRange::new(s.into(), e.into()),
            None => TextRange::empty(self.source_len.into()),
        }
    }

    /// Byte range of token `n` ahead.
    pub(crate) fn nth_range(&self, n: usize) -> TextRange {
        match self.ranges.get(self.pos + n) {
            Some(&(s, e)) => TextRange::new(s.into(), e.into()),
            None => TextRange::empty(self.source_len.into()),
        }
    }

    /// Zero-width range just after the previous significant token: where a missing token goes.
    pub(crate) fn missing_range(&self) -> TextRange {
        let at = if self.pos == 0 {
            0
        } else {
            self.ranges[self.pos - 1].1
        };
        TextRange::empty(TextSize::from(at))
    }

    // ---- consuming ----

    pub(crate) fn bump_any(&mut self) {
        if self.at_eof() {
            return;
        }
        self.events.push(Event::Token {
            kind: self.current(),
        });
        self.pos += 1;
    }

    pub(crate) fn eat(&mut self, kind: SyntaxKind) -> bool {
        if self.at(kind) {
            self.bump_any();
            true
        } else {
            false
        }
    }

    pub(crate) fn eat_word(&mut self, w: &str) -> bool {
        if self.at_word(w) {
            self.bump_any();
            true
        } else {
            false
        }
    }

    /// A required token: consumed when present; otherwise a zero-width token of that kind and a
    /// diagnostic saying what was expected.
    pub(crate) fn expect(&mut self, kind: SyntaxKind, what: &str) -> bool {
        if self.eat(kind) {
            return true;
        }
        self.missing(kind, what);
        false
    }

    /// A required word (`by`, `on`, `with`...).
    pub(crate) fn expect_word(&mut self, w: &str) -> bool {
        if self.eat_word(w) {
            return true;
        }
        self.missing(IDENT, &format!("`{w}`"));
        false
    }

    /// Records a zero-width token of `kind` where `what` was expected.
    pub(crate) fn missing(&mut self, kind: SyntaxKind, what: &str) {
        self.events.push(Event::Missing { kind });
        self.error_expected(what);
    }

    /// `expected {what}, found ...` (KQL001) after the last token, without a node for it.
    pub(crate) fn error_expected(&mut self, what: &str) {
        let found = self.found_description();
        let range = self.missing_range();
        self.push_error("KQL001", format!("expected {what}, found {found}"), range);
    }

    /// `expected `)` to close `(` opened here`.
    pub(crate) fn expect_closing(&mut self, kind: SyntaxKind, opened: TextRange) -> bool {
        if self.eat(kind) {
            return true;
        }
        let (close, open) = match kind {
            R_PAREN => (")", "("),
            R_BRACK => ("]", "["),
            _ => ("}", "{"),
        };
        self.events.push(Event::Missing { kind });
        let found = self.found_description();
        let range = self.missing_range();
        let d = Diagnostic::error(
            "KQL002",
            format!("expected `{close}` to close `{open}`, found {found}"),
            range,
        )
        .with_label(opened, format!("`{open}` opened here"));
        self.diagnostics.push(d);
        false
    }

    pub(crate) fn found_description(&self) -> String {
        if self.at_eof() {
            return "end of query".to_string();
        }
        let text = self.nth_text(0);
        if text.chars().count() > 30 {
            let short: String = text.chars().take(27).collect();
            format!("`{short}...`")
        } else {
            format!("`{text}`")
        }
    }

    pub(crate) fn push_error(&mut self, code: &str, message: String, range: TextRange) {
        // One error per position is enough: recovery can otherwise report the same spot twice.
        if let Some(last) = self.diagnostics.last() {
            if last.range.start() == range.start() && last.code != "KQL003" {
                return;
            }
        }
        self.diagnostics
            .push(Diagnostic::error(code, message, range));
    }

    /// An error at the current token with `help` on how to fix it. Always kept: these name the
    /// token itself (a keyword used as a name, an unknown type), not a recovery position.
    pub(crate) fn error_here_with_help(
        &mut self,
        code: &str,
        message: String,
        help: impl Into<String>,
    ) {
        let range = self.current_range();
        self.diagnostics
            .push(Diagnostic::error(code, message, range).with_help(help));
    }

    /// Reports an error at the current token without consuming it.
    pub(crate) fn error_here(&mut self, message: String) {
        let range = self.current_range();
        self.push_error("KQL001", message, range);
    }

    /// Wraps tokens in an `ERROR` node until one that `stop` accepts (which is not consumed),
    /// reporting `message` once. Always consumes at least one token unless at a stop or the end.
    pub(crate) fn recover_until(&mut self, message: String, stop: impl Fn(&Parser<'t>) -> bool) {
        let range = self.current_range();
        self.push_error("KQL003", message, range);
        if self.at_eof() || stop(self) {
            return;
        }
        let m = self.start();
        let mut depth = 0i32;
        while !self.at_eof() {
            match self.current() {
                L_PAREN | L_BRACK | L_CURLY => depth += 1,
                R_PAREN | R_BRACK | R_CURLY if depth > 0 => depth -= 1,
                _ if depth == 0 && stop(self) => break,
                _ => {}
            }
            self.bump_any();
        }
        m.complete(self, ERROR);
    }

    /// Wraps exactly the current token in an `ERROR` node with a message.
    pub(crate) fn err_and_bump(&mut self, message: String) {
        let range = self.current_range();
        self.push_error("KQL003", message, range);
        let m = self.start();
        self.bump_any();
        m.complete(self, ERROR);
    }

    // ---- nodes ----

    pub(crate) fn start(&mut self) -> Marker {
        let pos = self.events.len() as u32;
        self.events.push(Event::tombstone());
        Marker { pos }
    }

    /// Enters one level of nesting; `false` (after reporting once) when the limit is reached,
    /// in which case the caller must not recurse.
    pub(crate) fn enter(&mut self) -> bool {
        if self.depth >= MAX_DEPTH {
            if !self.too_deep {
                self.too_deep = true;
                let range = self.current_range();
                self.diagnostics.push(Diagnostic::error(
                    "KQL004",
                    format!(
                        "the query nests more than {MAX_DEPTH} levels deep; the rest is not parsed"
                    ),
                    range,
                ));
            }
            return false;
        }
        self.depth += 1;
        true
    }

    pub(crate) fn exit(&mut self) {
        self.depth -= 1;
    }

    /// Adds `n` levels of tree depth for a chain link; `false` (reported once) past the limit.
    pub(crate) fn deepen(&mut self, n: u32) -> bool {
        if self.tree_depth + n > MAX_TREE_DEPTH {
            if !self.too_deep {
                self.too_deep = true;
                let range = self.current_range();
                self.diagnostics.push(Diagnostic::error(
                    "KQL004",
                    format!("the expression is more than {MAX_TREE_DEPTH} levels deep; the rest is not parsed"),
                    range,
                ));
            }
            return false;
        }
        self.tree_depth += n;
        true
    }

    /// Gives back tree depth taken with [`Parser::deepen`].
    pub(crate) fn shallow(&mut self, n: u32) {
        self.tree_depth -= n;
    }

    /// Items separated by `,`, with the progress guard every list needs: parses `item` until no
    /// comma follows it, or it consumed nothing. With `end`, the list may be empty and stops
    /// before that token (a closing bracket) or the end of input.
    pub(crate) fn comma_separated(
        &mut self,
        end: Option<SyntaxKind>,
        mut item: impl FnMut(&mut Parser<'t>),
    ) {
        loop {
            if let Some(end) = end {
                if self.at(end) || self.at_eof() {
                    break;
                }
            }
            let before = self.pos;
            item(self);
            if !self.eat(COMMA) || self.pos == before {
                break;
            }
        }
    }

    /// Consumes everything left into one `ERROR` node (used when nesting is too deep).
    pub(crate) fn skip_rest(&mut self) {
        if self.at_eof() {
            return;
        }
        let m = self.start();
        while !self.at_eof() {
            self.bump_any();
        }
        m.complete(self, ERROR);
    }

    pub(crate) fn position(&self) -> usize {
        self.pos
    }
}

impl Marker {
    pub(crate) fn complete(self, p: &mut Parser<'_>, kind: SyntaxKind) -> CompletedMarker {
        p.events[self.pos as usize] = Event::Start {
            kind,
            forward_parent: None,
        };
        p.events.push(Event::Finish);
        CompletedMarker {
            pos: self.pos,
            kind,
        }
    }

    pub(crate) fn abandon(self, p: &mut Parser<'_>) {
        if self.pos as usize == p.events.len() - 1 {
            p.events.pop();
        }
    }
}

impl CompletedMarker {
    /// Starts a new node that will contain this one (for left-recursive forms: `a + b`, `T | op`).
    pub(crate) fn precede(self, p: &mut Parser<'_>) -> Marker {
        let new = p.start();
        if let Event::Start { forward_parent, .. } = &mut p.events[self.pos as usize] {
            *forward_parent = Some(new.pos - self.pos);
        }
        new
    }

    pub(crate) fn kind(&self) -> SyntaxKind {
        self.kind
    }
}

impl Parser<'_> {
    /// The events and diagnostics collected so far.
    /// Once the depth limit was hit (`KQL004`, "the rest is not parsed"), nothing after it is
    /// reported: the unclosed brackets and missing operands that follow are its consequences.
    pub(crate) fn finish(mut self) -> (Vec<Event>, Vec<Diagnostic>) {
        if self.too_deep {
            if let Some(at) = self.diagnostics.iter().position(|d| d.code == "KQL004") {
                self.diagnostics.truncate(at + 1);
            }
        }
        (self.events, self.diagnostics)
    }
}
