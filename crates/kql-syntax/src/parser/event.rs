//! Parser events and their conversion to a rowan green tree, with trivia put back in place.

use rowan::{GreenNode, GreenNodeBuilder};

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
pub(crate) fn build_tree(tokens: &Tokens<'_>, mut events: Vec<Event>) -> GreenNode {
    let mut builder = GreenNodeBuilder::new();
    let mut raw = 0usize; // next raw token index
    let n = tokens.len();
    let mut forward = Vec::new();
    let mut depth = 0usize;

    let flush_trivia = |builder: &mut GreenNodeBuilder<'static>, raw: &mut usize| {
        while *raw < n && tokens.kind(*raw).is_trivia() {
            builder.token(tokens.kind(*raw).into(), tokens.text(*raw));
            *raw += 1;
        }
    };

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
                    if depth > 0 {
                        flush_trivia(&mut builder, &mut raw);
                    }
                    builder.start_node(kind.into());
                    depth += 1;
                }
            }
            Event::Finish => {
                depth -= 1;
                if depth == 0 {
                    flush_trivia(&mut builder, &mut raw);
                    // Anything left (should not happen) is kept rather than lost.
                    while raw < n {
                        builder.token(tokens.kind(raw).into(), tokens.text(raw));
                        raw += 1;
                    }
                }
                builder.finish_node();
            }
            Event::Token { kind } => {
                flush_trivia(&mut builder, &mut raw);
                if raw < n {
                    builder.token(kind.into(), tokens.text(raw));
                    raw += 1;
                }
            }
            Event::Missing { kind } => {
                builder.token(kind.into(), "");
            }
        }
    }
    builder.finish()
}
