//! Decoding a slice of a host file back to query text, written independently of kql-embed's
//! offset map so property tests can check the map against it. Shared by kql-embed's property
//! tests and the CLI-level one in `tests/tests/embedded_property.rs` (included by path).

/// How a host slice decodes back to query text.
#[derive(Debug, Clone)]
pub enum Decode {
    Identity,
    Json,
    /// A YAML flow scalar: the slice, quoted again, is read by the YAML parser.
    YamlQuoted(char),
    /// A block scalar or fence: every line after the first loses this prefix (a blank line may
    /// have lost its trailing spaces); CRLF reads as LF.
    Lines(String),
}

/// The query text that `slice` of a host file, written in form `d`, stands for.
pub fn decode(d: &Decode, slice: &str) -> String {
    match d {
        Decode::Identity => slice.to_string(),
        Decode::Json => {
            serde_json::from_str::<String>(&format!("\"{slice}\"")).expect("JSON slice")
        }
        Decode::YamlQuoted(q) => {
            let doc = format!("k: {q}{slice}{q}\n");
            let scalars: Vec<String> = saphyr_parser::Parser::new_from_str(&doc)
                .filter_map(|ev| match ev.expect("quoted slice parses").0 {
                    saphyr_parser::Event::Scalar(v, ..) => Some(v.into_owned()),
                    _ => None,
                })
                .collect();
            scalars[1].clone()
        }
        Decode::Lines(prefix) => {
            let s = slice.replace("\r\n", "\n");
            let mut out = String::new();
            for (i, line) in s.split('\n').enumerate() {
                if i == 0 {
                    out.push_str(line);
                    continue;
                }
                out.push('\n');
                let rest = line
                    .strip_prefix(prefix.as_str())
                    .or_else(|| line.strip_prefix(prefix.trim_end()))
                    .unwrap_or(line);
                out.push_str(rest);
            }
            out
        }
    }
}
