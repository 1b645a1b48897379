//! The lexer: a nom parser over `&str` that turns every byte of the input into a token.
//!
//! Nothing is ever dropped: whitespace and `//` comments become trivia tokens, characters that start
//! no KQL token become [`SyntaxKind::ERROR_TOKEN`], and an unterminated string runs to the end of
//! its line. The concatenated token texts are always the input. Problems the lexer can see on its
//! own (an unterminated string) are reported as [`LexError`]s; everything else is the parser's job.

use nom::branch::alt;
use nom::bytes::complete::{tag, take_till, take_while, take_while1};
use nom::character::complete::{anychar, char, digit1, one_of};
use nom::combinator::{opt, recognize};
use nom::sequence::{pair, preceded};
use nom::{IResult, Parser};

use crate::SyntaxKind::{self, *};

/// One token: its kind and the byte offset where it starts (it ends where the next one starts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub kind: SyntaxKind,
    pub start: u32,
}

/// A problem found while lexing, reported with the token's range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexError {
    pub start: u32,
    pub end: u32,
    pub message: &'static str,
}

/// The tokens of a text; `text(i)` gives a token's text.
#[derive(Debug, Clone)]
pub struct Tokens<'a> {
    pub source: &'a str,
    pub tokens: Vec<Token>,
    pub errors: Vec<LexError>,
}

impl<'a> Tokens<'a> {
    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    pub fn kind(&self, i: usize) -> SyntaxKind {
        self.tokens[i].kind
    }

    pub fn start(&self, i: usize) -> u32 {
        self.tokens[i].start
    }

    pub fn end(&self, i: usize) -> u32 {
        self.tokens
            .get(i + 1)
            .map_or(self.source.len() as u32, |t| t.start)
    }

    pub fn text(&self, i: usize) -> &'a str {
        &self.source[self.start(i) as usize..self.end(i) as usize]
    }
}

/// Splits `source` into tokens covering every byte.
pub fn tokenize(source: &str) -> Tokens<'_> {
    let mut tokens = Vec::with_capacity(source.len() / 4 + 1);
    let mut errors = Vec::new();
    let mut rest = source;
    let mut at_line_start = true;
    while !rest.is_empty() {
        let start = (source.len() - rest.len()) as u32;
        let (kind, len) = if at_line_start && rest.starts_with('#') {
            (DIRECTIVE, rest.find('\n').unwrap_or(rest.len()))
        } else {
            match next_token(rest) {
                Ok((after, kind)) => (kind, rest.len() - after.len()),
                // Every branch of `next_token` ends in `anychar`, so this only guards the invariant.
                Err(_) => (ERROR_TOKEN, rest.chars().next().map_or(1, char::len_utf8)),
            }
        };
        let guid = match kind {
            INT_LITERAL | IDENT | REAL_LITERAL | TIMESPAN_LITERAL => raw_guid_len(rest),
            _ => None,
        };
        let (kind, len) = match guid {
            Some(n) => {
                errors.push(LexError {
                    start,
                    end: start + n as u32,
                    message: "raw guid literals are not allowed here; write guid(...)",
                });
                (TYPED_LITERAL, n)
            }
            _ => (kind, len),
        };
        let text = &rest[..len];
        if kind == STRING_LITERAL && !string_is_terminated(text) {
            errors.push(LexError {
                start,
                end: start + len as u32,
                message: "unterminated string literal",
            });
        }
        at_line_start = kind == WHITESPACE && (at_line_start || text.contains('\n'));
        tokens.push(Token { kind, start });
        rest = &rest[len..];
    }
    Tokens {
        source,
        tokens,
        errors,
    }
}

type LexResult<'a> = IResult<&'a str, SyntaxKind>;

/// Length of a bare `8-4-4-4-12` hex guid at the start of `input` (Kusto rejects those).
fn raw_guid_len(input: &str) -> Option<usize> {
    let b = input.as_bytes();
    if b.len() < 36
        || b.get(36)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
    {
        return None;
    }
    let ok = (0..36).all(|i| match i {
        8 | 13 | 18 | 23 => b[i] == b'-',
        _ => b[i].is_ascii_hexdigit(),
    });
    ok.then_some(36)
}

/// One token from the start of `input` (which is never empty).
fn next_token(input: &str) -> LexResult<'_> {
    let b = input.as_bytes()[0];
    match b {
        b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' => whitespace(input),
        b'/' if input.as_bytes().get(1) == Some(&b'/') => comment(input),
        b'0'..=b'9' => number(input),
        b'\'' | b'"' => quoted_string(input),
        b'@' => alt((verbatim_string, punct)).parse(input),
        b'`' => alt((multiline_string("```"), punct)).parse(input),
        b'~' => alt((multiline_string("~~~"), punct)).parse(input),
        b'h' | b'H' => alt((obfuscated_string, word)).parse(input),
        b'a'..=b'z' | b'A'..=b'Z' | b'_' | b'$' => word(input),
        b'!' => alt((bang_word, punct)).parse(input),
        _ if b >= 0x80 => alt((unicode_whitespace, word, punct)).parse(input),
        _ => punct(input),
    }
}

fn whitespace(input: &str) -> LexResult<'_> {
    // ASCII whitespace, scanned bytewise (the input's most common token).
    let len = input
        .bytes()
        .position(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'\x0c'))
        .unwrap_or(input.len());
    Ok((&input[len..], WHITESPACE))
}

/// Non-ASCII spaces (no-break space, narrow no-break space, ...) separate tokens like spaces do.
fn unicode_whitespace(input: &str) -> LexResult<'_> {
    take_while1(char::is_whitespace)
        .map(|_| WHITESPACE)
        .parse(input)
}

fn comment(input: &str) -> LexResult<'_> {
    recognize(pair(tag("//"), take_till(|c| c == '\n')))
        .map(|_| COMMENT)
        .parse(input)
}

fn is_word_start(c: char) -> bool {
    c.is_alphabetic() || c == '_' || c == '$'
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The words of multi-word operator names; `project-away` is one token when it is one of these.
const HYPHENATED: &[&str] = &[
    "project-away",
    "project-keep",
    "project-rename",
    "project-reorder",
    "project-smart",
    "project-by-names",
    "mv-expand",
    "mv-apply",
    "parse-where",
    "parse-kv",
    "make-series",
    "make-graph",
    "top-nested",
    "top-hitters",
    "sample-distinct",
    "graph-match",
    "graph-merge",
    "graph-shortest-paths",
    "graph-to-table",
    "graph-mark-components",
    "macro-expand",
    "assert-schema",
    "execute-and-cache",
];

/// Words whose parenthesised argument is raw literal text, not tokens: `datetime(2024-01-01 10:00)`.
const TYPED_LITERAL_WORDS: &[&str] = &[
    "datetime", "date", "timespan", "time", "guid", "uniqueid", "int", "int32", "long", "int64",
    "real", "double", "decimal", "bool", "boolean",
];

fn word(input: &str) -> LexResult<'_> {
    // Fast path for ASCII words; nom's char-wise parser handles the rest.
    let bytes = input.as_bytes();
    let mut ascii_len = usize::from(bytes[0] == b'$');
    while ascii_len < bytes.len() && ASCII_WORD[usize::from(bytes[ascii_len])] {
        ascii_len += 1;
    }
    let (rest, w) = if ascii_len > 0 && bytes.get(ascii_len).is_none_or(|b| b.is_ascii()) {
        (&input[ascii_len..], &input[..ascii_len])
    } else {
        recognize(pair(
            nom::character::complete::satisfy(is_word_start),
            take_while(is_word_char),
        ))
        .parse(input)?
    };
    // `project-away`, `mv-expand`, ...: only the known names, so `a-b` stays a subtraction.
    if rest.starts_with('-') {
        if let Some(len) = hyphenated_len(input) {
            return Ok((&input[len..], IDENT));
        }
    }
    // `in~` is one operator.
    if w == "in" && rest.starts_with('~') {
        return Ok((&rest[1..], OP_WORD));
    }
    if rest.starts_with('(') && TYPED_LITERAL_WORDS.contains(&w) {
        if let Some(close) = rest[1..].find([')', '\n']) {
            if rest.as_bytes()[close + 1] == b')' {
                return Ok((&rest[close + 2..], TYPED_LITERAL));
            }
        }
    }
    Ok((rest, IDENT))
}

/// ASCII letters, digits and `_`: the bytes that continue a word.
static ASCII_WORD: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = c.is_ascii_alphanumeric() || c == b'_';
        b += 1;
    }
    t
};

fn hyphenated_len(input: &str) -> Option<usize> {
    HYPHENATED
        .iter()
        .filter(|h| input.starts_with(**h))
        .filter(|h| !input[h.len()..].starts_with(is_word_char))
        .map(|h| h.len())
        .max()
}

fn bang_word(input: &str) -> LexResult<'_> {
    let (rest, w) = preceded(
        char('!'),
        recognize(pair(
            nom::character::complete::satisfy(|c: char| c.is_ascii_alphabetic()),
            take_while(|c: char| c.is_ascii_alphanumeric() || c == '_'),
        )),
    )
    .parse(input)?;
    if !crate::word_operators::is_negatable(w) {
        return Err(nom::Err::Error(nom::error::Error::new(
            input,
            nom::error::ErrorKind::Tag,
        )));
    }
    if w == "in" && rest.starts_with('~') {
        return Ok((&rest[1..], OP_WORD));
    }
    Ok((rest, OP_WORD))
}

/// Timespan units Kusto accepts after a number (`1.5d`, `10min`, `100ms`, `2ticks`).
const TIMESPAN_UNITS: &[&str] = &[
    "d",
    "day",
    "days",
    "h",
    "hr",
    "hrs",
    "hour",
    "hours",
    "m",
    "min",
    "minute",
    "minutes",
    "s",
    "sec",
    "second",
    "seconds",
    "ms",
    "milli",
    "millis",
    "millisecond",
    "milliseconds",
    "micro",
    "micros",
    "microsecond",
    "microseconds",
    "nano",
    "nanos",
    "nanosecond",
    "nanoseconds",
    "tick",
    "ticks",
];

fn number(input: &str) -> LexResult<'_> {
    if let Ok((rest, _)) = recognize(pair(
        alt((tag::<_, _, nom::error::Error<&str>>("0x"), tag("0X"))),
        take_while1(|c: char| c.is_ascii_hexdigit()),
    ))
    .parse(input)
    {
        return Ok((rest, INT_LITERAL));
    }
    let (rest, _) = digit1(input)?;
    let mut kind = INT_LITERAL;
    let mut rest = rest;
    // `1.5` and `1.` are reals; `1..5` is a range, so a second dot ends the number.
    if rest.starts_with('.') && !rest.starts_with("..") {
        let (r, _) = pair(char('.'), take_while(|c: char| c.is_ascii_digit())).parse(rest)?;
        rest = r;
        kind = REAL_LITERAL;
    }
    if let Ok((r, _)) = (
        one_of::<_, _, nom::error::Error<&str>>("eE"),
        opt(one_of("+-")),
        digit1,
    )
        .parse(rest)
    {
        rest = r;
        kind = REAL_LITERAL;
    }
    // A suffix glued to the number: a timespan unit, or anything else Kusto tolerates (`10L`).
    let (after_suffix, suffix) = take_while(is_word_char).parse(rest)?;
    if suffix.is_empty() {
        return Ok((rest, kind));
    }
    if TIMESPAN_UNITS.contains(&suffix) {
        return Ok((after_suffix, TIMESPAN_LITERAL));
    }
    // Kusto reads `5h_MovingAvg` or `1abc` as a name that starts with digits.
    let (after_word, _) = take_while(is_word_char).parse(input)?;
    Ok((after_word, IDENT))
}

/// `'...'` or `"..."` with backslash escapes, on one line. Unterminated strings stop at the line end.
fn quoted_string(input: &str) -> LexResult<'_> {
    let bytes = input.as_bytes();
    let quote = bytes[0];
    let mut i = 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'\n' => break,
            c if c == quote => {
                return Ok((&input[i + 1..], STRING_LITERAL));
            }
            _ => i += 1,
        }
    }
    // Never split a UTF-8 character (an escape can skip into one).
    let mut end = i.min(bytes.len());
    while !input.is_char_boundary(end) {
        end += 1;
    }
    Ok((&input[end..], STRING_LITERAL))
}

/// `@'...'` / `@"..."`: no escapes, the quote doubled stands for itself.
fn verbatim_string(input: &str) -> LexResult<'_> {
    let (rest, _) = char('@').parse(input)?;
    doubled_quote_string(rest)
}

fn doubled_quote_string(input: &str) -> LexResult<'_> {
    let (_, quote) = one_of("'\"").parse(input)?;
    let bytes = input.as_bytes();
    let q = quote as u8;
    let mut i = 1;
    while i < bytes.len() {
        if bytes[i] == q {
            if bytes.get(i + 1) == Some(&q) {
                i += 2;
                continue;
            }
            return Ok((&input[i + 1..], STRING_LITERAL));
        }
        if bytes[i] == b'\n' {
            break;
        }
        i += 1;
    }
    Ok((&input[i..], STRING_LITERAL))
}

/// `h'...'`, `H"..."`, `h@'...'`: obfuscated strings (kept out of logs by the service).
fn obfuscated_string(input: &str) -> LexResult<'_> {
    let (rest, _) = one_of("hH").parse(input)?;
    alt((verbatim_string, quoted_string_strict)).parse(rest)
}

fn quoted_string_strict(input: &str) -> LexResult<'_> {
    let (_, _) = one_of("'\"").parse(input)?;
    quoted_string(input)
}

/// ```` ```...``` ```` and `~~~...~~~`: multi-line strings without escapes.
fn multiline_string(fence: &'static str) -> impl Fn(&str) -> LexResult<'_> {
    move |input| {
        let (rest, _) = tag(fence).parse(input)?;
        match rest.find(fence) {
            Some(end) => Ok((&rest[end + fence.len()..], STRING_LITERAL)),
            None => Ok(("", STRING_LITERAL)),
        }
    }
}

fn punct(input: &str) -> LexResult<'_> {
    // A direct match on the first two bytes: trying each two-character operator with `tag` in turn
    // was the lexer's hottest spot.
    let bytes = input.as_bytes();
    let second = bytes.get(1).copied().unwrap_or(0);
    let (kind, len) = match (bytes[0], second) {
        (b'=', b'=') => (EQ2, 2),
        (b'=', b'~') => (EQ_TILDE, 2),
        (b'=', b'>') => (FAT_ARROW, 2),
        (b'!', b'=') => (NEQ, 2),
        (b'!', b'~') => (BANG_TILDE, 2),
        (b'<', b'>') => (NEQ, 2),
        (b'<', b'=') => (LTEQ, 2),
        (b'>', b'=') => (GTEQ, 2),
        (b'.', b'.') => (DOT2, 2),
        (b'|', _) => (PIPE, 1),
        (b';', _) => (SEMICOLON, 1),
        (b',', _) => (COMMA, 1),
        (b'.', _) => (DOT, 1),
        (b':', _) => (COLON, 1),
        (b'(', _) => (L_PAREN, 1),
        (b')', _) => (R_PAREN, 1),
        (b'[', _) => (L_BRACK, 1),
        (b']', _) => (R_BRACK, 1),
        (b'{', _) => (L_CURLY, 1),
        (b'}', _) => (R_CURLY, 1),
        (b'=', _) => (EQ, 1),
        (b'<', _) => (LT, 1),
        (b'>', _) => (GT, 1),
        (b'+', _) => (PLUS, 1),
        (b'-', _) => (MINUS, 1),
        (b'*', _) => (STAR, 1),
        (b'/', _) => (SLASH, 1),
        (b'%', _) => (PERCENT, 1),
        (b'?', _) => (QUESTION, 1),
        (b'@', _) => (AT, 1),
        _ => {
            let (rest, _) = anychar(input)?;
            return Ok((rest, ERROR_TOKEN));
        }
    };
    Ok((&input[len..], kind))
}

/// Whether a string token's text has its closing quote.
fn string_is_terminated(text: &str) -> bool {
    let body = text.trim_start_matches(['h', 'H']);
    if let Some(fence) = ["```", "~~~"].iter().find(|f| body.starts_with(**f)) {
        return body.len() >= 6 && body.ends_with(fence);
    }
    let (verbatim, body) = match body.strip_prefix('@') {
        Some(b) => (true, b),
        None => (false, body),
    };
    let Some(q) = body.chars().next() else {
        return false;
    };
    if body.len() < 2 || !body.ends_with(q) {
        return false;
    }
    if verbatim {
        // Inside, quotes come in pairs; an odd run at the end means the last one is escaped.
        let inner = &body[1..body.len() - 1];
        let trailing = inner.chars().rev().take_while(|&c| c == q).count();
        return trailing % 2 == 0;
    }
    // The closing quote must not be escaped by an odd number of backslashes.
    let inner = &body[1..body.len() - 1];
    let backslashes = inner.chars().rev().take_while(|&c| c == '\\').count();
    backslashes % 2 == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(s: &str) -> Vec<(SyntaxKind, &str)> {
        let t = tokenize(s);
        (0..t.len()).map(|i| (t.kind(i), t.text(i))).collect()
    }

    #[test]
    fn tokens_cover_the_input() {
        for s in [
            "T | where a == 'x'",
            "a\u{e9}b // c\n",
            "'unterminated\nnext",
            "\u{1F600}",
        ] {
            let t = tokenize(s);
            let joined: String = (0..t.len()).map(|i| t.text(i)).collect();
            assert_eq!(joined, s);
        }
    }

    #[test]
    fn timespans_and_numbers() {
        assert_eq!(kinds("1.5d")[0], (TIMESPAN_LITERAL, "1.5d"));
        assert_eq!(kinds("10ms")[0], (TIMESPAN_LITERAL, "10ms"));
        assert_eq!(kinds("3ticks")[0], (TIMESPAN_LITERAL, "3ticks"));
        assert_eq!(kinds("1e3")[0], (REAL_LITERAL, "1e3"));
        assert_eq!(kinds("0x1F")[0], (INT_LITERAL, "0x1F"));
        assert_eq!(kinds("1..5")[0], (INT_LITERAL, "1"));
        assert_eq!(kinds("1..5")[1], (DOT2, ".."));
    }

    #[test]
    fn strings() {
        assert_eq!(kinds(r"'a\'b'")[0], (STRING_LITERAL, r"'a\'b'"));
        assert_eq!(kinds("@'a''b'")[0], (STRING_LITERAL, "@'a''b'"));
        assert_eq!(kinds("h@\"x\"")[0], (STRING_LITERAL, "h@\"x\""));
        assert_eq!(kinds("```a\nb```")[0], (STRING_LITERAL, "```a\nb```"));
        assert_eq!(kinds("hello")[0], (IDENT, "hello"));
        assert!(tokenize("'abc").errors.len() == 1);
        assert!(tokenize(r"'abc\'").errors.len() == 1);
        assert!(tokenize("'abc'").errors.is_empty());
    }

    #[test]
    fn words_and_operators() {
        assert_eq!(kinds("project-away")[0], (IDENT, "project-away"));
        assert_eq!(kinds("a-b")[0], (IDENT, "a"));
        assert_eq!(kinds("!has_cs")[0], (OP_WORD, "!has_cs"));
        assert_eq!(kinds("!in~")[0], (OP_WORD, "!in~"));
        assert_eq!(kinds("in~")[0], (OP_WORD, "in~"));
        assert_eq!(kinds("datetime(2024-01-01 10:00)")[0].0, TYPED_LITERAL);
        assert_eq!(kinds("datetime (2024)")[0], (IDENT, "datetime"));
        assert_eq!(kinds("#connect x\nT")[0], (DIRECTIVE, "#connect x"));
        assert_eq!(kinds("=~")[0].0, EQ_TILDE);
    }
}
