//! Writing a query back into a YAML scalar: a block scalar keeps its style and indentation (the
//! header's chomping and indentation indicators are rewritten to fit the new text), a quoted or
//! plain scalar stays in its style when the text allows it and becomes double-quoted otherwise.

use std::ops::Range;

use crate::yaml_scalar::{BlockInfo, Chomp, FlowStyle};
use crate::{HostEdit, Unrepresentable};

fn unrepresentable(reason: &str) -> Unrepresentable {
    Unrepresentable {
        reason: reason.to_string(),
    }
}

/// YAML's printable characters (c-printable), less the BOM, which a parser may take for a
/// document prefix.
fn printable(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{85}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
        && c != '\u{feff}'
}

/// The edit writing `new` over the block scalar at `range` (indicator to the end of its lines).
pub(crate) fn block(
    host: &str,
    range: Range<usize>,
    info: &BlockInfo,
    new: &str,
) -> Result<HostEdit, Unrepresentable> {
    if new.contains('\r') {
        return Err(unrepresentable(
            "a carriage return inside a YAML block scalar would be read as a line break",
        ));
    }
    if !new.chars().all(printable) {
        return Err(unrepresentable(
            "the query has characters a YAML block scalar cannot hold (control characters)",
        ));
    }
    let body = new.trim_end_matches('\n');
    let trailing = new.len() - body.len();
    if !info.literal && body.contains('\n') {
        return Err(unrepresentable(
            "a line break inside a folded `>` scalar would be read as a space; use a literal `|` block",
        ));
    }
    let chomp = match (body.is_empty(), trailing) {
        (_, 0) => Chomp::Strip,
        (false, 1) => Chomp::Clip,
        _ => Chomp::Keep,
    };
    if chomp == Chomp::Keep && blank_line_follows(host, range.end) {
        return Err(unrepresentable(
            "the query ends with blank lines, and the blank lines after this YAML block would join them",
        ));
    }
    let indent = info.indent.unwrap_or(info.parent_indent + 2);
    let lines: Vec<&str> = if body.is_empty() {
        Vec::new()
    } else {
        body.split('\n').collect()
    };
    let first_spaced = lines
        .iter()
        .find(|l| !l.is_empty())
        .is_some_and(|l| l.starts_with(' '));
    let mut text = String::with_capacity(new.len() + 16 * lines.len());
    text.push(if info.literal { '|' } else { '>' });
    if first_spaced {
        match indent.checked_sub(info.parent_indent) {
            Some(d @ 1..=9) => text.push(char::from(b'0' + d as u8)),
            _ => {
                return Err(unrepresentable(
                    "the query starts with spaces and the block's indentation cannot be given as an indicator",
                ))
            }
        }
    }
    match chomp {
        Chomp::Strip => text.push('-'),
        Chomp::Clip => {}
        Chomp::Keep => text.push('+'),
    }
    text.push_str(&host[info.header.end..info.header_line_end]);
    text.push_str(info.eol);
    for line in &lines {
        if !line.is_empty() {
            text.extend(std::iter::repeat_n(' ', indent));
            text.push_str(line);
        }
        text.push_str(info.eol);
    }
    let extra = if body.is_empty() {
        trailing
    } else {
        trailing.saturating_sub(1)
    };
    for _ in 0..extra {
        text.push_str(info.eol);
    }
    Ok(HostEdit {
        range: info.header.start..range.end,
        text,
    })
}

/// Whether the line starting at `at` is blank (spaces only), so a keeping block would take it in.
fn blank_line_follows(host: &str, at: usize) -> bool {
    let rest = &host[at..];
    if rest.is_empty() {
        return false;
    }
    let line = rest.split('\n').next().unwrap_or("");
    line.trim_end_matches('\r').bytes().all(|b| b == b' ')
}

/// The edit writing `new` over the flow scalar at `range` (quotes included).
pub(crate) fn flow(
    range: Range<usize>,
    style: FlowStyle,
    flow_context: bool,
    new: &str,
) -> Result<HostEdit, Unrepresentable> {
    let text = match style {
        FlowStyle::Plain if plain_safe(new, flow_context) => new.to_string(),
        FlowStyle::Single if !new.contains(['\n', '\r']) && new.chars().all(printable) => {
            format!("'{}'", new.replace('\'', "''"))
        }
        _ => double_quoted(new),
    };
    Ok(HostEdit { range, text })
}

/// A multi-line query over a one-line scalar in block context reads best as a literal block
/// (`|` / `|-`), when the scalar ends its line (the line's break then ends the block) and the text
/// needs no indicator other than chomping.
pub(crate) fn flow_as_block(
    host: &str,
    range: Range<usize>,
    key_col: usize,
    new: &str,
) -> Option<HostEdit> {
    let body = new.strip_suffix('\n').unwrap_or(new);
    let rest = &host[range.end..];
    let eol = if rest.starts_with("\r\n") {
        "\r\n"
    } else if rest.starts_with('\n') {
        "\n"
    } else {
        return None;
    };
    let simple = body.contains('\n')
        && !body.ends_with('\n')
        && !new.contains('\r')
        && new.chars().all(printable)
        && !body.starts_with([' ', '\n']);
    if !simple {
        return None;
    }
    let mut text = String::from(if body.len() == new.len() { "|-" } else { "|" });
    let indent = " ".repeat(key_col + 2);
    for line in body.split('\n') {
        text.push_str(eol);
        if !line.is_empty() {
            text.push_str(&indent);
            text.push_str(line);
        }
    }
    Some(HostEdit { range, text })
}

/// Whether `s` reads back as the same string when written as a plain scalar.
fn plain_safe(s: &str, flow_context: bool) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    let looks_typed = matches!(
        s.to_ascii_lowercase().as_str(),
        "null" | "~" | "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n"
    ) || s.parse::<f64>().is_ok()
        || s.starts_with("0x")
        || s.starts_with("0o")
        || s.starts_with('.');
    !looks_typed
        && !"-?:,[]{}#&*!|>'\"%@` \t".contains(first)
        && !s.ends_with([' ', '\t', ':'])
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.contains(['\t', '\n', '\r'])
        && !(flow_context && s.contains([',', '[', ']', '{', '}']))
        && s.chars().all(printable)
}

/// `s` as a one-line YAML double-quoted scalar.
pub(crate) fn double_quoted(s: &str) -> String {
    crate::json::double_quoted(s, |out, c| match c {
        c if printable(c) => out.push(c),
        c if (c as u32) <= 0xff => out.push_str(&format!("\\x{:02X}", c as u32)),
        c if (c as u32) <= 0xffff => out.push_str(&format!("\\u{:04X}", c as u32)),
        c => out.push_str(&format!("\\U{:08X}", c as u32)),
    })
}
