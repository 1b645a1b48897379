//! JSON hosts (ARM templates, Defender and Sentinel exports): jsonc-parser's AST gives every
//! string literal's host range; we decode the raw literal ourselves to build the offset map.

use std::ops::Range;

use jsonc_parser::ast::{ObjectPropName, Value};
use jsonc_parser::{parse_to_ast, CollectOptions, ParseOptions};

use crate::map::MapBuilder;
use crate::{EmbedError, EmbedOptions, Embedded, Form, HostEdit, HostValue};

/// Strict JSON, plus the comments and trailing commas ARM templates allow.
fn parse_options() -> ParseOptions {
    ParseOptions {
        allow_comments: true,
        allow_loose_object_property_names: false,
        allow_trailing_commas: true,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    }
}

pub(crate) fn extract(host: &str, opts: &EmbedOptions) -> Result<Vec<Embedded>, EmbedError> {
    let bom = if host.starts_with('\u{feff}') { 3 } else { 0 };
    let src = &host[bom..];
    let parsed = parse_to_ast(src, &CollectOptions::default(), &parse_options()).map_err(|e| {
        EmbedError {
            message: format!("JSON: {}", e.kind()),
            offset: bom + e.range().start,
            code: "EMB003",
        }
    })?;
    let mut out = Vec::new();
    if let Some(value) = &parsed.value {
        let mut walk = Walk {
            host,
            bom,
            opts,
            out: &mut out,
        };
        walk.value(value, String::new());
    }
    Ok(out)
}

struct Walk<'a> {
    host: &'a str,
    bom: usize,
    opts: &'a EmbedOptions,
    out: &'a mut Vec<Embedded>,
}

impl Walk<'_> {
    fn value(&mut self, value: &Value<'_>, path: String) {
        match value {
            Value::Object(obj) => {
                let mut direct = Vec::new();
                let mut period = None;
                for prop in &obj.properties {
                    let name = match &prop.name {
                        ObjectPropName::String(s) => s.value.as_ref(),
                        ObjectPropName::Word(w) => w.value,
                    };
                    let child = if path.is_empty() {
                        name.to_string()
                    } else {
                        format!("{path}.{name}")
                    };
                    match &prop.value {
                        Value::StringLit(s) if self.opts.json_keys.iter().any(|k| k == name) => {
                            let range = self.bom + s.range.start..self.bom + s.range.end;
                            direct.push(self.out.len());
                            self.out.push(embed(self.host, range, &s.value, child));
                        }
                        Value::StringLit(s) if name == "queryPeriod" => {
                            period = Some(HostValue {
                                text: s.value.to_string(),
                                range: self.bom + s.range.start..self.bom + s.range.end,
                            });
                        }
                        other => self.value(other, child),
                    }
                }
                for i in direct {
                    self.out[i].metadata.query_period = period.clone();
                }
            }
            Value::Array(arr) => {
                for (i, v) in arr.elements.iter().enumerate() {
                    self.value(v, format!("{path}[{i}]"));
                }
            }
            _ => {}
        }
    }
}

fn embed(host: &str, range: Range<usize>, parsed: &str, label: String) -> Embedded {
    match decode(host, range.clone()) {
        Some((value, map)) if value == parsed => {
            Embedded::new(value, label, range, map, Form::Json)
        }
        _ => {
            let mut b = MapBuilder::new(range.start);
            b.produced(parsed.len(), range.clone());
            let reason = "this JSON string is not mapped byte by byte".to_string();
            let map = b.finish(range.end);
            Embedded::new(parsed.to_string(), label, range, map, Form::Opaque(reason))
        }
    }
}

/// Decodes the string literal at host `range` (quotes included).
fn decode(host: &str, range: Range<usize>) -> Option<(String, crate::map::OffsetMap)> {
    let bytes = host.as_bytes();
    let (cs, ce) = (range.start + 1, range.end.checked_sub(1)?);
    let mut b = MapBuilder::new(cs);
    let mut value = String::with_capacity(ce.saturating_sub(cs));
    let mut run = cs;
    let mut i = cs;
    while i < ce {
        if bytes[i] != b'\\' {
            i += 1;
            continue;
        }
        b.verbatim(run, i - run);
        value.push_str(&host[run..i]);
        let (c, len) = escape(&host[i..ce])?;
        b.produced(c.len_utf8(), i..i + len);
        value.push(c);
        i += len;
        run = i;
    }
    b.verbatim(run, ce - run);
    value.push_str(&host[run..ce]);
    Some((value, b.finish(ce)))
}

/// A JSON escape at the start of `s`: its character and host length (a surrogate pair is one).
fn escape(s: &str) -> Option<(char, usize)> {
    let c = match *s.as_bytes().get(1)? {
        b'"' => '"',
        b'\\' => '\\',
        b'/' => '/',
        b'b' => '\x08',
        b'f' => '\x0c',
        b'n' => '\n',
        b'r' => '\r',
        b't' => '\t',
        b'u' => {
            let hi = u32::from_str_radix(s.get(2..6)?, 16).ok()?;
            if (0xd800..0xdc00).contains(&hi) && s.get(6..8) == Some("\\u") {
                let lo = u32::from_str_radix(s.get(8..12)?, 16).ok()?;
                if (0xdc00..0xe000).contains(&lo) {
                    let c = char::from_u32(0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00))?;
                    return Some((c, 12));
                }
            }
            return Some((char::from_u32(hi)?, 6));
        }
        _ => return None,
    };
    Some((c, 2))
}

/// `s` in double quotes, with `"`, `\`, LF, CR and tab escaped the way JSON strings and YAML
/// double-quoted scalars both spell them; `other` writes every other character.
pub(crate) fn double_quoted(s: &str, other: impl Fn(&mut String, char)) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => other(&mut out, c),
        }
    }
    out.push('"');
    out
}

/// The edit writing `new` as the JSON string literal at `range`.
pub(crate) fn write(range: Range<usize>, new: &str) -> HostEdit {
    let text = double_quoted(new, |out, c| match c {
        '\x08' => out.push_str("\\b"),
        '\x0c' => out.push_str("\\f"),
        c if (c as u32) < 0x20 || c == '\u{7f}' => {
            out.push_str(&format!("\\u{:04x}", c as u32));
        }
        c => out.push(c),
    });
    HostEdit { range, text }
}
