//! Values of string literal tokens: escapes, verbatim and multi-line forms.

/// The value of one complete string literal token's text, or `None` when the text is not exactly
/// one well-formed string literal.
///
/// ```
/// use kql_syntax::string_literal_value;
/// assert_eq!(string_literal_value(r"'a\'b\n'").as_deref(), Some("a'b\n"));
/// assert_eq!(string_literal_value("@'C:\\x''y'").as_deref(), Some("C:\\x'y"));
/// assert_eq!(string_literal_value("h\"secret\"").as_deref(), Some("secret"));
/// assert_eq!(string_literal_value("'open"), None);
/// ```
pub fn string_literal_value(text: &str) -> Option<String> {
    let body = text
        .strip_prefix('h')
        .or_else(|| text.strip_prefix('H'))
        .unwrap_or(text);
    for fence in ["```", "~~~"] {
        if let Some(rest) = body.strip_prefix(fence) {
            let inner = rest.strip_suffix(fence)?;
            return (!inner.contains(fence)).then(|| inner.to_string());
        }
    }
    if let Some(rest) = body.strip_prefix('@') {
        return verbatim_value(rest);
    }
    escaped_value(body)
}

fn verbatim_value(body: &str) -> Option<String> {
    let q = body.chars().next().filter(|c| *c == '\'' || *c == '"')?;
    let inner = body.strip_prefix(q)?.strip_suffix(q)?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == q {
            // Inside, the quote must be doubled.
            if chars.next() != Some(q) {
                return None;
            }
        }
        if c == '\n' {
            return None;
        }
        out.push(c);
    }
    Some(out)
}

fn escaped_value(body: &str) -> Option<String> {
    let q = body.chars().next().filter(|c| *c == '\'' || *c == '"')?;
    let inner = body.strip_prefix(q)?.strip_suffix(q)?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push(escape(&mut chars)?),
            '\n' => return None,
            c if c == q => return None,
            c => out.push(c),
        }
    }
    Some(out)
}

/// Decodes the escape after a backslash. `None` for an escape KQL does not know.
pub(crate) fn escape(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Option<char> {
    let c = chars.next()?;
    Some(match c {
        '\\' | '\'' | '"' => c,
        'n' => '\n',
        't' => '\t',
        'r' => '\r',
        'a' => '\u{7}',
        'b' => '\u{8}',
        'f' => '\u{c}',
        'v' => '\u{b}',
        'x' => hex(chars, 2)?,
        'u' => hex(chars, 4)?,
        'U' => 'U',
        '0'..='7' => {
            // Up to three octal digits: `\0` is NUL, `\101` is `A`.
            let mut v = c.to_digit(8)?;
            for _ in 0..2 {
                match chars.peek().and_then(|d| d.to_digit(8)) {
                    Some(d) => {
                        v = v * 8 + d;
                        chars.next();
                    }
                    None => break,
                }
            }
            char::from_u32(v)?
        }
        _ => return None,
    })
}

fn hex(chars: &mut std::iter::Peekable<std::str::Chars<'_>>, n: usize) -> Option<char> {
    let mut v = 0u32;
    for _ in 0..n {
        v = v * 16 + chars.next()?.to_digit(16)?;
    }
    char::from_u32(v)
}

#[cfg(test)]
mod tests {
    use super::string_literal_value as v;

    #[test]
    fn escapes() {
        assert_eq!(v(r"'\t\r\0'").as_deref(), Some("\t\r\0"));
        assert_eq!(v(r"'\u0041\x41\101'").as_deref(), Some("AAA"));
        assert_eq!(v(r#""a\"b""#).as_deref(), Some("a\"b"));
        assert_eq!(v(r"'\q'"), None);
        assert_eq!(v("'a'b'"), None);
    }

    #[test]
    fn other_forms() {
        assert_eq!(v("```a\nb```").as_deref(), Some("a\nb"));
        assert_eq!(v("~~~x~~~").as_deref(), Some("x"));
        assert_eq!(v("@\"a\"\"b\"").as_deref(), Some("a\"b"));
        assert_eq!(v("H@'x'").as_deref(), Some("x"));
        assert_eq!(v("@'a'b'"), None);
    }
}
