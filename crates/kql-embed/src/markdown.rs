//! Markdown hosts: pulldown-cmark's offset iterator gives each fenced block and the host range of
//! every piece of its content (container prefixes such as list indentation and `> ` already
//! stripped, CRLF already read as LF), so the offset map is the concatenation of those pieces.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

use crate::map::MapBuilder;
use crate::{EmbedOptions, Embedded, Form, HostEdit, Unrepresentable};

/// What the writer needs to know about a fence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Fence {
    /// `` ` `` or `~`.
    ch: u8,
    /// Host bytes of the opening fence's run of fence characters.
    open: Range<usize>,
    /// Host bytes of the closing fence's run, when the block is closed.
    close: Option<Range<usize>>,
    /// What starts each content line: the container prefix (list indentation, `> `) and the
    /// fence's own indentation.
    prefix: String,
    eol: &'static str,
}

struct Open {
    fence: Fence,
    content_start: usize,
    label: String,
    query: String,
    map: MapBuilder,
    last_end: usize,
}

pub(crate) fn extract(host: &str, opts: &EmbedOptions) -> Vec<Embedded> {
    let bom = if host.starts_with('\u{feff}') { 3 } else { 0 };
    let src = &host[bom..];
    let bytes = host.as_bytes();
    let mut out = Vec::new();
    let mut open: Option<Open> = None;
    let mut line = 1;
    let mut counted = 0;
    for (event, r) in Parser::new_ext(src, Options::empty()).into_offset_iter() {
        let r = r.start + bom..r.end + bom;
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                let word = info.split_whitespace().next().unwrap_or("");
                if !opts
                    .markdown_tags
                    .iter()
                    .any(|t| t.eq_ignore_ascii_case(word))
                {
                    continue;
                }
                line += bytes[counted..r.start]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count();
                counted = r.start;
                let ch = bytes[r.start];
                let run = bytes[r.start..].iter().take_while(|&&b| b == ch).count();
                let nl = memchr(bytes, r.start, r.end);
                let content_start = nl.map_or(r.end, |i| i + 1);
                let eol = match nl {
                    Some(i) if i > 0 && bytes[i - 1] == b'\r' => "\r\n",
                    _ => "\n",
                };
                let line_start = host[..r.start].rfind('\n').map_or(bom, |i| i + 1);
                let prefix = host[line_start..r.start]
                    .chars()
                    .map(|c| {
                        if c == '>' || c.is_whitespace() {
                            c
                        } else {
                            ' '
                        }
                    })
                    .collect();
                let fence_text = &host[r.start..r.start + run];
                open = Some(Open {
                    fence: Fence {
                        ch,
                        open: r.start..r.start + run,
                        close: closing_fence(bytes, content_start, r.end, ch, run),
                        prefix,
                        eol,
                    },
                    content_start,
                    label: format!("{fence_text}{word} fence at line {line}"),
                    query: String::new(),
                    map: MapBuilder::new(content_start),
                    last_end: content_start,
                });
            }
            Event::Text(text) => {
                if let Some(o) = open.as_mut() {
                    if host.get(r.clone()) == Some(&*text) {
                        o.map.verbatim(r.start, text.len());
                    } else {
                        o.map.produced(text.len(), r.clone());
                    }
                    o.query.push_str(&text);
                    o.last_end = r.end;
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some(o) = open.take() {
                    let content_end = match &o.fence.close {
                        Some(c) => host[..c.start].rfind('\n').map_or(c.start, |i| i + 1),
                        None => o.last_end.max(o.content_start),
                    }
                    .max(o.content_start);
                    out.push(Embedded::new(
                        o.query,
                        o.label,
                        o.content_start..content_end,
                        o.map.finish(o.last_end),
                        Form::Markdown(o.fence),
                    ));
                }
            }
            _ => {}
        }
    }
    out
}

fn memchr(bytes: &[u8], from: usize, to: usize) -> Option<usize> {
    bytes[from..to]
        .iter()
        .position(|&b| b == b'\n')
        .map(|i| from + i)
}

/// The closing fence's run on the block's last line, if that line is one: at least `len` fence
/// characters, then only white space (after the container prefix and up to 3 spaces).
fn closing_fence(
    bytes: &[u8],
    content_start: usize,
    end: usize,
    ch: u8,
    len: usize,
) -> Option<Range<usize>> {
    if end <= content_start {
        return None;
    }
    let mut start = end;
    while start > content_start && bytes[start - 1] != b'\n' {
        start -= 1;
    }
    let line = &bytes[start..end];
    let first = line.iter().position(|&b| b == ch)?;
    if !line[..first]
        .iter()
        .all(|&b| matches!(b, b' ' | b'\t' | b'>'))
    {
        return None;
    }
    let run = line[first..].iter().take_while(|&&b| b == ch).count();
    let rest_white = line[first + run..]
        .iter()
        .all(|&b| matches!(b, b' ' | b'\t' | b'\r'));
    (run >= len && rest_white).then(|| start + first..start + first + run)
}

/// The longest run of `ch` that would close a fence if `line` were content.
fn fence_like_run(line: &str, ch: u8) -> usize {
    let t = line.trim_start_matches([' ', '\t']);
    let run = t.bytes().take_while(|&b| b == ch).count();
    let rest_white = t[run..].bytes().all(|b| b == b' ' || b == b'\t');
    if run >= 3 && rest_white {
        run
    } else {
        0
    }
}

/// The edit writing `new` as the content of the fence whose content lines are `range`.
pub(crate) fn write(
    host: &str,
    range: Range<usize>,
    fence: &Fence,
    new: &str,
) -> Result<HostEdit, Unrepresentable> {
    let fail = |reason: &str| {
        Err(Unrepresentable {
            reason: reason.to_string(),
        })
    };
    if new.contains('\r') {
        return fail("a carriage return in a Markdown fence would be read as a line break");
    }
    if !new.is_empty() && !new.ends_with('\n') {
        return fail("a Markdown fence's content always ends with a line break");
    }
    let lines: Vec<&str> = if new.is_empty() {
        Vec::new()
    } else {
        new[..new.len() - 1].split('\n').collect()
    };
    let mut content = String::with_capacity(new.len() + lines.len() * (fence.prefix.len() + 1));
    for line in &lines {
        if line.is_empty() {
            content.push_str(fence.prefix.trim_end());
        } else {
            content.push_str(&fence.prefix);
            content.push_str(line);
        }
        content.push_str(fence.eol);
    }
    let old = fence.open.len();
    let needed = lines
        .iter()
        .map(|l| fence_like_run(l, fence.ch))
        .max()
        .unwrap_or(0);
    if needed < old {
        return Ok(HostEdit {
            range,
            text: content,
        });
    }
    // The content holds this fence: lengthen the opening and closing fences.
    let run = String::from(char::from(fence.ch)).repeat(needed + 1);
    let mut text = run.clone();
    text.push_str(&host[fence.open.end..range.start]);
    text.push_str(&content);
    let end = match &fence.close {
        Some(close) => {
            text.push_str(&host[range.end..close.start]);
            text.push_str(&run);
            close.end
        }
        None => range.end,
    };
    Ok(HostEdit {
        range: fence.open.start..end,
        text,
    })
}
