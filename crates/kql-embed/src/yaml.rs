//! YAML hosts: walks saphyr-parser's events, keeps track of which mapping key each scalar is the
//! value of, and decodes the values of query keys with [`crate::yaml_scalar`].

use std::borrow::Cow;

use saphyr_parser::{Event, Marker, Parser, ScalarStyle, Span};

use crate::map::MapBuilder;
use crate::yaml_scalar::{self, FlowStyle};
use crate::{EmbedError, EmbedOptions, Embedded, Form, HostValue};

/// The Sentinel key read as [`crate::Metadata::query_period`].
const QUERY_PERIOD: &str = "queryPeriod";

/// Character index → host byte offset (the parser counts characters).
struct Positions {
    bom: usize,
    /// Byte offset of each character, for non-ASCII text only.
    offsets: Option<Vec<usize>>,
}

impl Positions {
    fn new(src: &str, bom: usize) -> Positions {
        let offsets = (!src.is_ascii()).then(|| {
            let mut v: Vec<usize> = src.char_indices().map(|(i, _)| i).collect();
            v.push(src.len());
            v
        });
        Positions { bom, offsets }
    }

    fn byte(&self, m: &Marker) -> usize {
        let i = m.index();
        self.bom
            + match &self.offsets {
                Some(v) => v[i.min(v.len() - 1)],
                None => i,
            }
    }
}

#[derive(Debug)]
enum Frame {
    Map {
        path: String,
        expect_key: bool,
        key: Option<String>,
        /// Column of the current key (the mapping's indentation).
        key_col: usize,
        /// Host offset where the current key ends.
        key_end: usize,
        found: Vec<usize>,
        period: Option<HostValue>,
        flow: bool,
    },
    Seq {
        path: String,
        index: usize,
        flow: bool,
    },
}

/// What the node that starts now is to its parent.
enum Role {
    Key,
    Value {
        key: Option<String>,
        path: String,
        key_col: usize,
        key_end: usize,
    },
    Other(String),
}

pub(crate) fn extract(host: &str, opts: &EmbedOptions) -> Result<Vec<Embedded>, EmbedError> {
    let bom = if host.starts_with('\u{feff}') { 3 } else { 0 };
    let src = &host[bom..];
    let pos = Positions::new(src, bom);
    let mut frames: Vec<Frame> = Vec::new();
    let mut out: Vec<Embedded> = Vec::new();
    for event in Parser::new_from_str(src) {
        let (event, span) = event.map_err(|e| {
            let code = if e.info().contains("tab") {
                "EMB002"
            } else {
                "EMB001"
            };
            let mut offset = pos.byte(e.marker()).min(host.len());
            if code == "EMB002" {
                offset = first_tab_from_line_of(host, offset);
            }
            EmbedError {
                message: format!("YAML: {}", e.info()),
                offset,
                code,
            }
        })?;
        match event {
            Event::Scalar(value, style, _, _) => {
                let role = role(&frames);
                let flow_ctx = frames.iter().any(|f| match f {
                    Frame::Map { flow, .. } | Frame::Seq { flow, .. } => *flow,
                });
                match role {
                    Role::Key => {
                        if let Some(Frame::Map {
                            key,
                            key_col,
                            key_end,
                            ..
                        }) = frames.last_mut()
                        {
                            *key = Some(value.to_string());
                            *key_col = span.start.col();
                            *key_end = pos.byte(&span.end);
                        }
                    }
                    Role::Value {
                        key: Some(key),
                        path,
                        key_col,
                        key_end,
                    } => {
                        let scalar = Scalar {
                            value,
                            style,
                            span,
                            key_col,
                            key_end,
                            flow_ctx,
                        };
                        if opts.yaml_keys.contains(&key) {
                            out.push(embed(host, &pos, &scalar, path));
                            if let Some(Frame::Map { found, .. }) = frames.last_mut() {
                                found.push(out.len() - 1);
                            }
                        } else if key == QUERY_PERIOD {
                            let start = pos.byte(&span.start);
                            let end = match style {
                                ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => {
                                    closing_quote(host, start)
                                }
                                _ => None,
                            };
                            let range = start..end.unwrap_or_else(|| pos.byte(&span.end));
                            if let Some(Frame::Map { period, .. }) = frames.last_mut() {
                                *period = Some(HostValue {
                                    text: scalar.value.to_string(),
                                    range,
                                });
                            }
                        }
                    }
                    _ => {}
                }
                end_node(&mut frames);
            }
            Event::Alias(_) => end_node(&mut frames),
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                let path = match role(&frames) {
                    Role::Key => String::new(),
                    Role::Value { path, .. } | Role::Other(path) => path,
                };
                let at = pos.byte(&span.start);
                let flow = matches!(host.as_bytes().get(at), Some(b'{' | b'['));
                frames.push(if matches!(event, Event::MappingStart(..)) {
                    Frame::Map {
                        path,
                        expect_key: true,
                        key: None,
                        key_col: 0,
                        key_end: 0,
                        found: Vec::new(),
                        period: None,
                        flow,
                    }
                } else {
                    Frame::Seq {
                        path,
                        index: 0,
                        flow,
                    }
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                if let Some(Frame::Map { found, period, .. }) = frames.pop() {
                    for i in found {
                        out[i].metadata.query_period = period.clone();
                    }
                }
                end_node(&mut frames);
            }
            _ => {}
        }
    }
    Ok(out)
}

fn role(frames: &[Frame]) -> Role {
    match frames.last() {
        Some(Frame::Map {
            expect_key: true, ..
        }) => Role::Key,
        Some(Frame::Map {
            path,
            key,
            key_col,
            key_end,
            ..
        }) => Role::Value {
            path: join(path, key.as_deref().unwrap_or("?")),
            key: key.clone(),
            key_col: *key_col,
            key_end: *key_end,
        },
        Some(Frame::Seq { path, index, .. }) => Role::Other(format!("{path}[{index}]")),
        None => Role::Other(String::new()),
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// A node ended: a mapping moves between key and value, a sequence to its next item.
fn end_node(frames: &mut [Frame]) {
    match frames.last_mut() {
        Some(Frame::Map {
            expect_key, key, ..
        }) => {
            if !*expect_key {
                *key = None;
            }
            *expect_key = !*expect_key;
        }
        Some(Frame::Seq { index, .. }) => *index += 1,
        None => {}
    }
}

struct Scalar<'a> {
    value: Cow<'a, str>,
    style: ScalarStyle,
    span: Span,
    key_col: usize,
    key_end: usize,
    flow_ctx: bool,
}

/// The embedded query for a scalar value; a coarse map when our decoding disagrees with the
/// parser (some YAML form we do not map byte by byte).
fn embed(host: &str, pos: &Positions, s: &Scalar<'_>, label: String) -> Embedded {
    let start = pos.byte(&s.span.start);
    let end = pos.byte(&s.span.end);
    let decoded = match s.style {
        ScalarStyle::Literal | ScalarStyle::Folded => find_indicator(host, s.key_end).map(|at| {
            let (d, info) = yaml_scalar::block(host, at, s.key_col);
            (d, Form::YamlBlock(info))
        }),
        ScalarStyle::Plain | ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => {
            let style = match s.style {
                ScalarStyle::Plain => FlowStyle::Plain,
                ScalarStyle::SingleQuoted => FlowStyle::Single,
                _ => FlowStyle::Double,
            };
            // saphyr-parser 0.3 extends a quoted scalar's span over a comment after it: find the
            // closing quote ourselves.
            let end = match style {
                FlowStyle::Plain => Some(end),
                _ => closing_quote(host, start),
            };
            end.and_then(|end| yaml_scalar::flow(host, start..end, style))
                .map(|d| {
                    let form = Form::YamlFlow {
                        style,
                        flow_context: s.flow_ctx,
                        key_col: s.key_col,
                    };
                    (d, form)
                })
        }
    };
    match decoded {
        Some((d, form)) if d.value == s.value => {
            Embedded::new(d.value, label, d.range, d.map, form)
        }
        _ => {
            let range = start..end.max(start);
            let mut b = MapBuilder::new(start);
            b.produced(s.value.len(), range.clone());
            let reason = "this YAML scalar form is not mapped byte by byte".to_string();
            Embedded::new(
                s.value.to_string(),
                label,
                range.clone(),
                b.finish(range.end),
                Form::Opaque(reason),
            )
        }
    }
}

/// The block scalar indicator (`|` or `>`) after a key ending at `from`: skips `:`, white space,
/// comments, tags and anchors.
fn find_indicator(host: &str, from: usize) -> Option<usize> {
    let bytes = host.as_bytes();
    let mut i = from;
    while i < bytes.len() {
        match bytes[i] {
            b'|' | b'>' => return Some(i),
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'!' | b'&' => {
                while i < bytes.len() && !matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r') {
                    i += 1;
                }
            }
            b':' | b' ' | b'\t' | b'\n' | b'\r' => i += 1,
            _ => return None,
        }
    }
    None
}

/// The parser reports a tab error just after the tab or at the construct the tab breaks: point
/// at the first tab from the start of that line on.
fn first_tab_from_line_of(host: &str, offset: usize) -> usize {
    let line_start = host[..offset].rfind('\n').map_or(0, |i| i + 1);
    host[line_start..]
        .find('\t')
        .map_or(offset, |i| line_start + i)
}

/// The end (after the closing quote) of the quoted scalar starting at `start`.
fn closing_quote(host: &str, start: usize) -> Option<usize> {
    let bytes = host.as_bytes();
    let quote = *bytes.get(start)?;
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if quote == b'"' => i += 2,
            b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
            b if b == quote => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}
