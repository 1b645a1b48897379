//! Decoding one YAML scalar from its raw host lines, building the exact offset map as we go.
//! The YAML parser tells where the scalar is and what its value is; this file re-derives the value
//! byte by byte (block scalars with chomping and indentation indicators, line folding, quote and
//! escape decoding) so each query byte knows the host bytes that produced it. The caller compares
//! the result with the parser's value and falls back to a coarse map when they differ.

use std::ops::Range;

use crate::map::{MapBuilder, OffsetMap};

/// A decoded scalar: its value and the map from value bytes to host bytes.
#[derive(Debug)]
pub(crate) struct Decoded {
    pub(crate) value: String,
    pub(crate) map: OffsetMap,
    /// Host bytes of the scalar as defined in the crate docs.
    pub(crate) range: Range<usize>,
}

/// Chomping indicator of a block scalar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Chomp {
    Strip,
    Clip,
    Keep,
}

/// What the writer needs to know about a block scalar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BlockInfo {
    pub(crate) literal: bool,
    /// Content indentation in columns, if the scalar has content lines or an indicator.
    pub(crate) indent: Option<usize>,
    /// The indentation of the mapping holding the key (what an indentation indicator adds to).
    pub(crate) parent_indent: usize,
    /// Host bytes of the indicator characters (`|2-`).
    pub(crate) header: Range<usize>,
    /// Host offset where the header line's line break starts (or the end of the host).
    pub(crate) header_line_end: usize,
    /// The host's line break (`\r\n` or `\n`), from the header line.
    pub(crate) eol: &'static str,
}

/// One raw host line: `[start, end)` without its line break, then the break `[end, brk_end)`.
#[derive(Debug, Clone, Copy)]
struct Line {
    start: usize,
    end: usize,
    brk_end: usize,
}

fn line_at(host: &[u8], start: usize) -> Line {
    let nl = memchr_nl(host, start);
    match nl {
        Some(i) => {
            let end = if i > start && host[i - 1] == b'\r' {
                i - 1
            } else {
                i
            };
            Line {
                start,
                end,
                brk_end: i + 1,
            }
        }
        None => Line {
            start,
            end: host.len(),
            brk_end: host.len(),
        },
    }
}

fn memchr_nl(host: &[u8], from: usize) -> Option<usize> {
    host[from..]
        .iter()
        .position(|&b| b == b'\n')
        .map(|i| from + i)
}

fn leading_spaces(host: &[u8], line: Line) -> usize {
    host[line.start..line.end]
        .iter()
        .take_while(|&&b| b == b' ')
        .count()
}

/// Emits one line break into the map: `\n` verbatim, `\r\n` produced.
fn push_break(b: &mut MapBuilder, value: &mut String, line: Line) {
    if line.brk_end == line.end {
        return;
    }
    if line.brk_end - line.end == 1 {
        b.verbatim(line.end, 1);
    } else {
        b.produced(1, line.end..line.brk_end);
    }
    value.push('\n');
}

/// A block scalar whose indicator (`|` or `>`) is at host offset `indicator`.
pub(crate) fn block(host: &str, indicator: usize, parent_indent: usize) -> (Decoded, BlockInfo) {
    let bytes = host.as_bytes();
    let literal = bytes[indicator] == b'|';
    let mut i = indicator + 1;
    let mut chomp = Chomp::Clip;
    let mut explicit = None;
    while i < bytes.len() && i < indicator + 3 {
        match bytes[i] {
            b'-' => chomp = Chomp::Strip,
            b'+' => chomp = Chomp::Keep,
            d @ b'1'..=b'9' => explicit = Some(usize::from(d - b'0')),
            _ => break,
        }
        i += 1;
    }
    let header = indicator..i;
    let head = line_at(bytes, indicator);
    let eol = if head.brk_end - head.end == 2 {
        "\r\n"
    } else {
        "\n"
    };
    let content_start = head.brk_end;

    // The content lines: everything up to the first non-blank line indented less than the content.
    let mut lines = Vec::new();
    let mut at = content_start;
    let mut indent = explicit.map(|d| parent_indent + d);
    while at < bytes.len() {
        let line = line_at(bytes, at);
        let spaces = leading_spaces(bytes, line);
        let blank = line.start + spaces == line.end;
        if indent.is_none() && !blank {
            if spaces > parent_indent {
                indent = Some(spaces);
            } else {
                break;
            }
        }
        if !blank && indent.is_some_and(|n| spaces < n) {
            break;
        }
        lines.push(line);
        at = line.brk_end;
    }
    let n = indent.unwrap_or(usize::MAX);
    let is_content = |l: &Line| l.end - l.start > n;
    let last_content = lines.iter().rposition(is_content);

    let mut value = String::new();
    let mut b = MapBuilder::new(content_start);
    let mut prev_content: Option<(Line, bool)> = None;
    let mut empties: Vec<Line> = Vec::new();
    let upto = last_content.map_or(0, |m| m + 1);
    for line in &lines[..upto] {
        if !is_content(line) {
            empties.push(*line);
            continue;
        }
        let text = line.start + n..line.end;
        let spaced = matches!(bytes[text.start], b' ' | b'\t');
        match prev_content {
            None => {
                for e in empties.drain(..) {
                    push_break(&mut b, &mut value, e);
                }
            }
            Some((prev, _)) if literal => {
                push_break(&mut b, &mut value, prev);
                for e in empties.drain(..) {
                    push_break(&mut b, &mut value, e);
                }
            }
            Some((prev, prev_spaced)) => {
                let k = empties.len();
                empties.clear();
                let produced = if spaced || prev_spaced { k + 1 } else { k };
                if produced == 0 {
                    value.push(' ');
                    b.produced(1, prev.end..text.start);
                } else {
                    value.extend(std::iter::repeat_n('\n', produced));
                    b.produced(produced, prev.end..text.start);
                }
            }
        }
        b.verbatim(text.start, text.end - text.start);
        value.push_str(&host[text]);
        prev_content = Some((*line, spaced));
    }
    let mut end = prev_content.map_or(content_start, |(l, _)| l.end);
    let mut range_end = prev_content.map_or(head.brk_end, |(l, _)| l.brk_end);
    if let Some((last, _)) = prev_content {
        if chomp != Chomp::Strip {
            push_break(&mut b, &mut value, last);
            end = last.brk_end;
        }
    }
    if chomp == Chomp::Keep {
        for line in &lines[upto..] {
            push_break(&mut b, &mut value, *line);
            end = line.brk_end;
            range_end = line.brk_end;
        }
    }
    let info = BlockInfo {
        literal,
        indent,
        parent_indent,
        header,
        header_line_end: head.end,
        eol,
    };
    let decoded = Decoded {
        value,
        map: b.finish(end),
        range: indicator..range_end,
    };
    (decoded, info)
}

/// The style of a flow scalar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FlowStyle {
    Plain,
    Single,
    Double,
}

/// A plain or quoted scalar at host bytes `range` (quotes included).
pub(crate) fn flow(host: &str, range: Range<usize>, style: FlowStyle) -> Option<Decoded> {
    let bytes = host.as_bytes();
    let (cs, ce) = match style {
        FlowStyle::Plain => (range.start, range.end),
        _ => (range.start + 1, range.end.checked_sub(1)?),
    };
    let mut lines = Vec::new();
    let mut at = cs;
    loop {
        let mut line = line_at(&bytes[..ce], at);
        line.end = line.end.min(ce);
        lines.push(line);
        if line.brk_end == line.end {
            break;
        }
        at = line.brk_end;
    }
    let white = |c: u8| c == b' ' || c == b'\t';
    let last = lines.len() - 1;
    let mut value = String::new();
    let mut b = MapBuilder::new(cs);
    let mut k = 0;
    // Host offset where the pending line break (fold) started, and whether it was escaped.
    let mut pending: Option<(usize, bool)> = None;
    let mut empties = 0;
    while k <= last {
        let line = lines[k];
        let mut a = line.start;
        if k > 0 {
            while a < line.end && white(bytes[a]) {
                a += 1;
            }
            if a == line.end && k < last {
                empties += 1;
                k += 1;
                continue;
            }
        }
        if let Some((from, escaped)) = pending.take() {
            let (text, n) = match (escaped, empties) {
                (true, 0) => ("", 0),
                (false, 0) => (" ", 1),
                (_, e) => ("\n", e),
            };
            for _ in 0..n {
                value.push_str(text);
            }
            if n > 0 {
                b.produced(text.len() * n, from..a);
            }
            empties = 0;
        }
        let (z, escaped_break) = if k < last {
            line_text_end(bytes, a, line.end, style)
        } else {
            (line.end, false)
        };
        decode_run(host, a..z, style, &mut b, &mut value)?;
        pending = Some((z, escaped_break));
        k += 1;
    }
    Some(Decoded {
        value,
        map: b.finish(ce),
        range,
    })
}

/// Where a non-last line's text ends (trailing white space is folded away), and whether it ends
/// with an escaped line break (`\` at the end of a double-quoted line).
fn line_text_end(bytes: &[u8], a: usize, end: usize, style: FlowStyle) -> (usize, bool) {
    let mut keep = a;
    let mut i = a;
    while i < end {
        match bytes[i] {
            b'\\' if style == FlowStyle::Double => {
                if i + 1 == end {
                    return (i, true);
                }
                i += 2;
                keep = i;
            }
            b' ' | b'\t' => i += 1,
            _ => {
                i += 1;
                keep = i;
            }
        }
    }
    (keep, false)
}

/// Decodes one line's text: plain text is verbatim, `''` and backslash escapes are produced.
fn decode_run(
    host: &str,
    r: Range<usize>,
    style: FlowStyle,
    b: &mut MapBuilder,
    value: &mut String,
) -> Option<()> {
    let bytes = host.as_bytes();
    let mut run = r.start;
    let mut i = r.start;
    while i < r.end {
        let special = match style {
            FlowStyle::Plain => None,
            FlowStyle::Single if bytes[i] == b'\'' => Some(("'".to_string(), 2)),
            FlowStyle::Double if bytes[i] == b'\\' => Some(escape(&host[i..r.end])?),
            _ => None,
        };
        match special {
            Some((_, len)) if i + len > r.end => return None,
            Some((text, len)) => {
                b.verbatim(run, i - run);
                value.push_str(&host[run..i]);
                b.produced(text.len(), i..i + len);
                value.push_str(&text);
                i += len;
                run = i;
            }
            None => i += 1,
        }
    }
    b.verbatim(run, r.end - run);
    value.push_str(&host[run..r.end]);
    Some(())
}

/// A YAML double-quoted escape at the start of `s`: its text and its host length.
fn escape(s: &str) -> Option<(String, usize)> {
    let c = *s.as_bytes().get(1)?;
    let simple = match c {
        b'0' => '\0',
        b'a' => '\x07',
        b'b' => '\x08',
        b't' | b'\t' => '\t',
        b'n' => '\n',
        b'v' => '\x0b',
        b'f' => '\x0c',
        b'r' => '\r',
        b'e' => '\x1b',
        b' ' => ' ',
        b'"' => '"',
        b'/' => '/',
        b'\\' => '\\',
        b'N' => '\u{85}',
        b'_' => '\u{a0}',
        b'L' => '\u{2028}',
        b'P' => '\u{2029}',
        b'x' | b'u' | b'U' => {
            let digits = match c {
                b'x' => 2,
                b'u' => 4,
                _ => 8,
            };
            let hex = s.get(2..2 + digits)?;
            let ch = char::from_u32(u32::from_str_radix(hex, 16).ok()?)?;
            return Some((ch.to_string(), 2 + digits));
        }
        _ => return None,
    };
    Some((simple.to_string(), 2))
}
