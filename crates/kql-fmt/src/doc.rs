//! The layout language and its printer, in the spirit of Wadler's "prettier printer" (as used by
//! prettier and Biome): the layout is a flat list of pieces where a *group* is printed on one line
//! when it fits in the line width and otherwise breaks each of its own soft lines.
//!
//! A group fits when its own text fits from the column it starts at; what follows it on the line
//! is not counted (unlike prettier), so a call is not broken open just because the unbreakable
//! text after it is long.
//!
//! Flat (not a tree) so that building is a push per piece and printing is two linear passes.

/// One piece of a layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Piece<'a> {
    /// Text printed as is (a token or a comment; may hold line breaks inside a string literal).
    Text(&'a str),
    /// One space, dropped at the start of a line.
    Space,
    /// A space (or nothing, when `space` is false) if the enclosing group is flat, else a line break.
    Line {
        space: bool,
    },
    /// A line break, whatever the group; collapses with an adjacent line break.
    Hard,
    /// A line break leaving one blank line (never more than one; none at the start of the text).
    Blank,
    /// A comment that must end its line: printed before the next line break.
    Suffix(&'a str),
    IndentStart,
    IndentEnd,
    GroupStart,
    GroupEnd,
}

const INFINITE: usize = usize::MAX / 4;

/// Whether a piece of text spans lines (only string literals can); a plain loop, as pieces are
/// short and a `memchr` call per token costs more than the scan.
fn has_newline(s: &str) -> bool {
    s.bytes().any(|b| b == b'\n')
}

fn text_width(s: &str) -> usize {
    if has_newline(s) {
        INFINITE
    } else if s.is_ascii() {
        s.len()
    } else {
        s.chars().count()
    }
}

/// Flat width of each group, in the order the groups start.
fn measure(pieces: &[Piece<'_>]) -> Vec<usize> {
    let mut width = Vec::new();
    // Open groups: (group number, accumulated width, a trailing comment is pending in it).
    let mut open: Vec<(usize, usize, bool)> = Vec::new();
    let mut pending_suffixes = 0usize;
    for piece in pieces {
        let w = match *piece {
            Piece::Text(s) => {
                if pending_suffixes > 0 {
                    // Text after a trailing comment inside the same group: the group must break.
                    for g in open.iter_mut().filter(|g| g.2) {
                        g.1 = INFINITE;
                        g.2 = false;
                    }
                    pending_suffixes = 0;
                }
                text_width(s)
            }
            Piece::Space => 1,
            Piece::Line { space } => usize::from(space),
            Piece::Hard | Piece::Blank => INFINITE,
            Piece::Suffix(_) => {
                for g in open.iter_mut() {
                    if !g.2 {
                        g.2 = true;
                        pending_suffixes += 1;
                    }
                }
                0
            }
            Piece::GroupStart => {
                open.push((width.len(), 0, false));
                width.push(0);
                continue;
            }
            Piece::GroupEnd => {
                if let Some((start, w, pending)) = open.pop() {
                    if pending {
                        pending_suffixes = pending_suffixes.saturating_sub(1);
                    }
                    width[start] = w;
                    w
                } else {
                    0
                }
            }
            Piece::IndentStart | Piece::IndentEnd => 0,
        };
        if let Some(g) = open.last_mut() {
            g.1 = g.1.saturating_add(w).min(INFINITE);
        }
    }
    width
}

/// Prints a layout: groups that fit stay on one line, lines are indented by `indent_width` per
/// level, no line ends with spaces, lines end with `eol` (`\n` or `\r\n`), and the result ends
/// with one line end (empty stays empty).
pub(crate) fn print(
    pieces: &[Piece<'_>],
    indent_width: usize,
    line_width: usize,
    eol: &'static str,
) -> String {
    let width = measure(pieces);
    let mut p = Printer {
        out: String::with_capacity(pieces.len() * 4),
        column: 0,
        indent: 0,
        indent_width,
        at_line_start: true,
        blank_done: true,
        suffix: None,
        eol,
    };
    // For each open group: whether it is flat.
    let mut flat: Vec<bool> = Vec::new();
    let mut group = 0usize; // the number of the next group to start
    for piece in pieces {
        match *piece {
            Piece::Text(s) => p.text(s),
            Piece::Space => {
                if !p.at_line_start {
                    p.out.push(' ');
                    p.column += 1;
                }
            }
            Piece::Line { space } => {
                if flat.last().copied().unwrap_or(false) {
                    if space && !p.at_line_start {
                        p.out.push(' ');
                        p.column += 1;
                    }
                } else {
                    p.newline();
                }
            }
            Piece::Hard => p.newline(),
            Piece::Blank => {
                p.newline();
                if !p.blank_done {
                    p.out.push_str(eol);
                    p.blank_done = true;
                }
            }
            Piece::Suffix(s) => p.suffix = Some(s),
            Piece::IndentStart => p.indent += 1,
            Piece::IndentEnd => p.indent = p.indent.saturating_sub(1),
            Piece::GroupStart => {
                let fits = if flat.last().copied().unwrap_or(false) {
                    true
                } else {
                    let column = if p.at_line_start {
                        p.indent * p.indent_width
                    } else {
                        p.column
                    };
                    let w = width.get(group).copied().unwrap_or(INFINITE);
                    w < INFINITE && column.saturating_add(w) <= line_width
                };
                group += 1;
                flat.push(fits);
            }
            Piece::GroupEnd => {
                flat.pop();
            }
        }
    }
    p.newline();
    while p.out.ends_with(eol) {
        p.out.truncate(p.out.len() - eol.len());
    }
    if !p.out.is_empty() {
        p.out.push_str(eol);
    }
    p.out
}

struct Printer<'a> {
    out: String,
    column: usize,
    indent: usize,
    indent_width: usize,
    /// Nothing but (not yet written) indentation on the current line.
    at_line_start: bool,
    /// The text ends with a blank line (or is empty), so `Blank` adds nothing.
    blank_done: bool,
    suffix: Option<&'a str>,
    eol: &'static str,
}

impl<'a> Printer<'a> {
    fn text(&mut self, s: &'a str) {
        if self.suffix.is_some() {
            self.newline();
        }
        if self.at_line_start {
            let n = self.indent * self.indent_width;
            self.out.extend(std::iter::repeat_n(' ', n));
            self.column = n;
            self.at_line_start = false;
        }
        self.out.push_str(s);
        self.blank_done = false;
        let last_line = if has_newline(s) { s.rfind('\n') } else { None };
        match last_line {
            Some(i) => self.column = text_width(&s[i + 1..]),
            None => self.column += text_width(s),
        }
    }

    fn newline(&mut self) {
        if let Some(comment) = self.suffix.take() {
            if !self.at_line_start {
                self.out.push(' ');
            }
            self.text(comment);
        }
        if self.at_line_start {
            return;
        }
        while self.out.ends_with(' ') {
            self.out.pop();
        }
        self.out.push_str(self.eol);
        self.at_line_start = true;
        self.column = 0;
    }
}
