//! Writing query text as a JSON string or YAML double-quoted scalar body, written independently
//! of kql-embed's writers so property tests can build host files without the code under test.
//! Shared by kql-embed's property tests and the CLI-level one in
//! `tests/tests/embedded_property.rs` (included by path).

/// `q` escaped for a JSON string or a YAML double-quoted scalar: `\"`, `\\`, `\n`, `\r`,
/// `\t`; non-ASCII as `\u` escapes when `unicode`; `e` and `T` as `\u0065`/`\u0054` when
/// `ascii_u`; `/` as `\/` when `slash`.
pub fn escape(q: &str, yaml: bool, unicode: bool, ascii_u: bool, slash: bool) -> String {
    let mut out = String::new();
    for c in q.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '/' if slash => out.push_str("\\/"),
            'e' | 'T' if ascii_u => out.push_str(&format!("\\u{:04x}", c as u32)),
            // YAML has no surrogate escapes: `\U` with eight digits (JSON has only `\u`).
            c if unicode && yaml && !c.is_ascii() && c as u32 > 0xFFFF => {
                out.push_str(&format!("\\U{:08X}", c as u32));
            }
            c if unicode && !c.is_ascii() => {
                let mut buf = [0u16; 2];
                for u in c.encode_utf16(&mut buf) {
                    out.push_str(&format!("\\u{u:04X}"));
                }
            }
            c => out.push(c),
        }
    }
    out
}
