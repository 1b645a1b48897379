//! Parser events and their conversion to a rowan green tree, with trivia put back in place.

use rowan::{GreenNode, GreenToken, NodeOrToken};

use crate::lexer::Tokens;
use crate::SyntaxKind::{self, __LAST};

#[derive(Debug, Clone, Copy)]
pub(crate) enum Event {
    /// Start of a node; `forward_parent` points (relative) to a node that must enclose this one.
    Start {
        kind: SyntaxKind,
        forward_parent: Option<u32>,
    },
    Finish,
    /// The next significant token.
    Token {
        kind: SyntaxKind,
    },
    /// A zero-width token that should have been there.
    Missing {
        kind: SyntaxKind,
    },
}

impl Event {
    pub(crate) fn tombstone() -> Event {
        Event::Start {
            kind: SyntaxKind::__LAST,
            forward_parent: None,
        }
    }
}

/// Builds the tree. `events` must describe one root node; all trivia of `tokens` is attached so
/// that the tree's text is exactly the source.
pub(crate) fn build_tree<'s>(tokens: &Tokens<'s>, mut events: Vec<Event>) -> GreenNode {
    // Nodes are built directly rather than through rowan's `GreenNodeBuilder`: its node cache
    // hashes whole subtrees (recursively, so long chains were quadratic and deep ones overflowed
    // the stack) and cost a fifth of the parse time for little sharing in query-sized texts.
    let mut builder = TreeBuilder::<'s>::default();
    let mut raw = 0usize; // next raw token index
    let n = tokens.len();
    let mut forward = Vec::new();

    for i in 0..events.len() {
        match std::mem::replace(&mut events[i], Event::tombstone()) {
            Event::Start {
                kind,
                forward_parent,
            } => {
                if kind == __LAST {
                    continue;
                }
                forward.clear();
                forward.push(kind);
                let mut idx = i;
                let mut fp = forward_parent;
                while let Some(delta) = fp {
                    idx += delta as usize;
                    fp = match std::mem::replace(&mut events[idx], Event::tombstone()) {
                        Event::Start {
                            kind,
                            forward_parent,
                        } => {
                            forward.push(kind);
                            forward_parent
                        }
                        _ => None,
                    };
                }
                for kind in forward.drain(..).rev() {
                    // Leading trivia belongs to the parent, except at the root.
                    if builder.depth() > 0 {
                        builder.trivia(tokens, &mut raw);
                    }
                    builder.start_node(kind);
                }
            }
            Event::Finish => {
                if builder.depth() == 1 {
                    builder.trivia(tokens, &mut raw);
                    // Anything left (should not happen) is kept rather than lost.
                    while raw < n {
                        builder.token(tokens.kind(raw), tokens.text(raw));
                        raw += 1;
                    }
                }
                builder.finish_node();
            }
            Event::Token { kind } => {
                builder.trivia(tokens, &mut raw);
                if raw < n {
                    builder.token(kind, tokens.text(raw));
                    raw += 1;
                }
            }
            Event::Missing { kind } => {
                builder.token(kind, "");
            }
        }
    }
    builder.finish()
}

/// A stack of open nodes and their children.
#[derive(Default)]
struct TreeBuilder<'s> {
    open: Vec<(SyntaxKind, usize)>,
    children: Vec<NodeOrToken<GreenNode, GreenToken>>,
    root: Option<GreenNode>,
    shared: TokenCache,
    _source: std::marker::PhantomData<&'s str>,
}

/// A small direct-mapped cache of short tokens. Most tokens are a space, a line break, `|`,
/// `(` or `,`: reusing them saves an allocation each, and picking the slot from the kind, length
/// and first byte (no hashing of the text) keeps the lookup cheaper than the allocation.
struct TokenCache {
    slots: Vec<Option<GreenToken>>,
}

impl Default for TokenCache {
    fn default() -> Self {
        TokenCache {
            slots: vec![None; 256],
        }
    }
}

impl TokenCache {
    fn get(&mut self, kind: SyntaxKind, text: &str) -> GreenToken {
        if text.len() > 8 || text.is_empty() {
            return GreenToken::new(kind.into(), text);
        }
        let slot = (kind as usize * 31 + text.len() * 7 + usize::from(text.as_bytes()[0])) & 255;
        if let Some(t) = &self.slots[slot] {
            if t.kind() == kind.into() && t.text() == text {
                return t.clone();
            }
        }
        let t = GreenToken::new(kind.into(), text);
        self.slots[slot] = Some(t.clone());
        t
    }
}

impl<'s> TreeBuilder<'s> {
    fn depth(&self) -> usize {
        self.open.len()
    }

    fn start_node(&mut self, kind: SyntaxKind) {
        self.open.push((kind, self.children.len()));
    }

    fn finish_node(&mut self) {
        let Some((kind, first)) = self.open.pop() else {
            return;
        };
        let node = GreenNode::new(kind.into(), self.children.drain(first..));
        if self.open.is_empty() {
            self.root = Some(node);
        } else {
            self.children.push(NodeOrToken::Node(node));
        }
    }

    fn token(&mut self, kind: SyntaxKind, text: &'s str) {
        let token = self.shared.get(kind, text);
        self.children.push(NodeOrToken::Token(token));
    }

    fn trivia(&mut self, tokens: &Tokens<'s>, raw: &mut usize) {
        while *raw < tokens.len() && tokens.kind(*raw).is_trivia() {
            self.token(tokens.kind(*raw), tokens.text(*raw));
            *raw += 1;
        }
    }

    fn finish(mut self) -> GreenNode {
        while !self.open.is_empty() {
            self.finish_node();
        }
        self.root
            .unwrap_or_else(|| GreenNode::new(SyntaxKind::SOURCE_FILE.into(), std::iter::empty()))
    }
}
