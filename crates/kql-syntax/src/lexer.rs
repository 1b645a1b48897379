//! The lexer: a nom lexer over `&str` that turns every byte of the input into a token.
//!
//! Nothing is ever dropped: whitespace and `//` comments become trivia tokens, characters that start
//! no KQL token become [`SyntaxKind::ERROR_TOKEN`], and an unterminated string runs to the end of
//! its line. The concatenated token texts are always the input. Problems the lexer can see on its
//! own (an unterminated string) are reported as [`LexError`]s; everything else is the parser's job.
//!
//! Speed: [`tokenize`] dispatches on a token's first byte through a 256-entry class table, and the
//! hot token kinds (whitespace, words, numbers, punctuation, quoted strings, comments) are
//! hand-written byte loops. nom parses the rare forms: non-ASCII whitespace, `!has`-style
//! operators, fenced and verbatim strings.

use nom::bytes::complete::{tag, take_while, take_while1};
use nom::character::complete::char;
use nom::combinator::recognize;
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
    let bytes = source.as_bytes();
    // Real queries average a token per 4 to 5 bytes, short ones up to one per 1.3 bytes: half the
    // length rarely has to grow (a regrowth copies the whole vector).
    let mut tokens: Vec<Token> = Vec::with_capacity(source.len() / 2 + 1);
    let mut errors = Vec::new();
    let mut pos = 0;
    while pos < bytes.len() {
        let b = bytes[pos];
        let (kind, end) = match CLASS[usize::from(b)] {
            Class::Space => (WHITESPACE, ascii_whitespace_end(bytes, pos + 1)),
            Class::Single => (SINGLE[usize::from(b & 0x7f)], pos + 1),
            Class::Word => raw_guid_or(bytes, pos, word(source, pos, pos + 1), &mut errors),
            Class::Digit => raw_guid_or(bytes, pos, number(source, pos), &mut errors),
            Class::Punct => punct(bytes, pos),
            Class::Quote => check_string(source, pos, quoted_string_end(source, pos), &mut errors),
            Class::Slash if bytes.get(pos + 1) == Some(&b'/') => (COMMENT, line_end(source, pos)),
            Class::Slash => (SLASH, pos + 1),
            Class::H => match obfuscated_string_end(source, pos) {
                Some(string) => check_string(source, pos, string, &mut errors),
                None => word(source, pos, pos + 1),
            },
            Class::At => match bytes.get(pos + 1) {
                Some(b'\'' | b'"') => {
                    let string = doubled_quote_string_end(bytes, pos + 1);
                    check_string(source, pos, string, &mut errors)
                }
                _ => (AT, pos + 1),
            },
            Class::Fence => match multiline_string(source, pos) {
                Some(string) => check_string(source, pos, string, &mut errors),
                None => (ERROR_TOKEN, pos + 1),
            },
            Class::Bang => match bang_word(&source[pos..]) {
                Ok((rest, kind)) => (kind, source.len() - rest.len()),
                Err(_) => punct(bytes, pos),
            },
            Class::Hash if at_line_start(bytes, &tokens, pos) => (DIRECTIVE, line_end(source, pos)),
            Class::Hash => (ERROR_TOKEN, pos + 1),
            Class::NonAscii => non_ascii(source, pos),
        };
        tokens.push(Token {
            kind,
            start: pos as u32,
        });
        pos = end;
    }
    Tokens {
        source,
        tokens,
        errors,
    }
}

/// What a token's first byte says about it: the dispatch of [`tokenize`].
#[derive(Debug, Clone, Copy)]
enum Class {
    /// ASCII whitespace: ` `, `\t`, `\r`, `\n`, form feed.
    Space,
    /// Always a one-byte token, of kind `SINGLE[byte]` (`|`, `,`, `(` ...; `ERROR_TOKEN` for bytes
    /// that start no token).
    Single,
    /// ASCII letters (but `h`/`H`), `_` and `$`.
    Word,
    Digit,
    /// `=`, `<`, `>`, `.`: one- or two-byte operators.
    Punct,
    /// `'` and `"`.
    Quote,
    Slash,
    /// `h`/`H`: an obfuscated string (`h'...'`) or a word.
    H,
    At,
    /// `` ` `` and `~`: a fenced multi-line string, or an error.
    Fence,
    Bang,
    Hash,
    /// The first byte of a non-ASCII character.
    NonAscii,
}

static CLASS: [Class; 256] = {
    let mut t = [Class::Single; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = match i as u8 {
            b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' => Class::Space,
            b'h' | b'H' => Class::H,
            b'a'..=b'z' | b'A'..=b'Z' | b'_' | b'$' => Class::Word,
            b'0'..=b'9' => Class::Digit,
            b'=' | b'<' | b'>' | b'.' => Class::Punct,
            b'\'' | b'"' => Class::Quote,
            b'/' => Class::Slash,
            b'@' => Class::At,
            b'`' | b'~' => Class::Fence,
            b'!' => Class::Bang,
            b'#' => Class::Hash,
            0x80..=0xff => Class::NonAscii,
            _ => Class::Single,
        };
        i += 1;
    }
    t
};

/// The kind of each [`Class::Single`] byte.
static SINGLE: [SyntaxKind; 128] = {
    let mut t = [ERROR_TOKEN; 128];
    t[b'|' as usize] = PIPE;
    t[b';' as usize] = SEMICOLON;
    t[b',' as usize] = COMMA;
    t[b':' as usize] = COLON;
    t[b'(' as usize] = L_PAREN;
    t[b')' as usize] = R_PAREN;
    t[b'[' as usize] = L_BRACK;
    t[b']' as usize] = R_BRACK;
    t[b'{' as usize] = L_CURLY;
    t[b'}' as usize] = R_CURLY;
    t[b'+' as usize] = PLUS;
    t[b'-' as usize] = MINUS;
    t[b'*' as usize] = STAR;
    t[b'%' as usize] = PERCENT;
    t[b'?' as usize] = QUESTION;
    t
};

type LexResult<'a> = IResult<&'a str, SyntaxKind>;

/// A `#` starts a directive when only whitespace precedes it on its line. Walks back over the
/// tokens already lexed (only when a `#` is seen): whitespace tokens (non-ASCII spaces included,
/// a stray `\x0b` not) up to one holding a line break, or up to the start of the text.
#[cold]
fn at_line_start(bytes: &[u8], tokens: &[Token], pos: usize) -> bool {
    let mut end = pos;
    for t in tokens.iter().rev() {
        if t.kind != WHITESPACE {
            return false;
        }
        let start = t.start as usize;
        if bytes[start..end].contains(&b'\n') {
            return true;
        }
        end = start;
    }
    true
}

/// Where the line holding `pos` ends (before its `\n`): comments and directives.
fn line_end(source: &str, pos: usize) -> usize {
    // `str::find` with a `char` uses memchr; comments can be long.
    source[pos..].find('\n').map_or(source.len(), |n| pos + n)
}

/// A word, number or `1e5`-like token that is really a bare guid becomes a `TYPED_LITERAL` (with an
/// error); anything else passes through.
#[inline]
fn raw_guid_or(
    bytes: &[u8],
    pos: usize,
    (kind, end): (SyntaxKind, usize),
    errors: &mut Vec<LexError>,
) -> (SyntaxKind, usize) {
    // A guid has its first `-` at offset 8: a one-byte test spares the full check for all other
    // tokens. (The token itself need not end there: `1234567e-1234` is a real.)
    if bytes.get(pos + 8) != Some(&b'-')
        || !matches!(kind, INT_LITERAL | IDENT | REAL_LITERAL | TIMESPAN_LITERAL)
    {
        return (kind, end);
    }
    match raw_guid_len(&bytes[pos..]) {
        Some(n) => {
            errors.push(LexError {
                start: pos as u32,
                end: (pos + n) as u32,
                message: "raw guid literals are not allowed here; write guid(...)",
            });
            (TYPED_LITERAL, pos + n)
        }
        None => (kind, end),
    }
}

/// Length of a bare `8-4-4-4-12` hex guid at the start of `b` (Kusto rejects those).
#[cold]
fn raw_guid_len(b: &[u8]) -> Option<usize> {
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

/// Records an unterminated string; gives the string token. The string scanners know whether they
/// met the closing quote, which is what [`string_is_terminated`] reads back from the text.
#[inline]
fn check_string(
    source: &str,
    start: usize,
    (end, terminated): (usize, bool),
    errors: &mut Vec<LexError>,
) -> (SyntaxKind, usize) {
    debug_assert_eq!(terminated, string_is_terminated(&source[start..end]));
    if !terminated {
        unterminated_string(start, end, errors);
    }
    (STRING_LITERAL, end)
}

#[cold]
fn unterminated_string(start: usize, end: usize, errors: &mut Vec<LexError>) {
    errors.push(LexError {
        start: start as u32,
        end: end as u32,
        message: "unterminated string literal",
    });
}

#[inline]
fn is_ascii_whitespace(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'\x0c')
}

/// End of the run of ASCII whitespace from `i` (the input's most common token).
#[inline]
fn ascii_whitespace_end(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && is_ascii_whitespace(bytes[i]) {
        i += 1;
    }
    i
}

/// A token starting with a non-ASCII character: a space, a word, or an error.
#[cold]
fn non_ascii(source: &str, pos: usize) -> (SyntaxKind, usize) {
    let input = &source[pos..];
    if let Ok((rest, kind)) = unicode_whitespace(input) {
        return (kind, source.len() - rest.len());
    }
    let c = input.chars().next().unwrap_or_default();
    if is_word_start(c) {
        return word(source, pos, pos + c.len_utf8());
    }
    (ERROR_TOKEN, pos + c.len_utf8())
}

/// Non-ASCII spaces (no-break space, narrow no-break space, ...) separate tokens like spaces do.
fn unicode_whitespace(input: &str) -> LexResult<'_> {
    take_while1(char::is_whitespace)
        .map(|_| WHITESPACE)
        .parse(input)
}

fn is_word_start(c: char) -> bool {
    c.is_alphabetic() || c == '_' || c == '$'
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// End of the run of word characters (letters, digits, `_`, Unicode included) from `i`.
#[inline(always)]
fn word_chars_end(source: &str, mut i: usize) -> usize {
    let bytes = source.as_bytes();
    // ASCII runs eight bytes at a time (a table loop for the last few bytes of the text); a
    // non-ASCII byte hands over to the char-wise loop.
    loop {
        let Some(chunk) = bytes.get(i..i + 8) else {
            while i < bytes.len() && ASCII_WORD[usize::from(bytes[i])] {
                i += 1;
            }
            break;
        };
        let stop = !word_bytes(load8(chunk)) & splat(0x80);
        if stop != 0 {
            i += first_flagged(stop);
            break;
        }
        i += 8;
    }
    match bytes.get(i) {
        Some(&b) if b >= 0x80 => unicode_word_chars_end(source, i),
        _ => i,
    }
}

#[cold]
fn unicode_word_chars_end(source: &str, mut i: usize) -> usize {
    let bytes = source.as_bytes();
    while i < bytes.len() {
        let b = bytes[i];
        if ASCII_WORD[usize::from(b)] {
            i += 1;
        } else if b < 0x80 {
            break;
        } else {
            match source[i..].chars().next() {
                Some(c) if is_word_char(c) => i += c.len_utf8(),
                _ => break,
            }
        }
    }
    i
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

/// Words whose parenthesised argument is raw literal text, not tokens: `datetime(2024-01-01 10:00)`.
fn is_typed_literal_word(w: &str) -> bool {
    matches!(
        w,
        "datetime"
            | "date"
            | "timespan"
            | "time"
            | "guid"
            | "uniqueid"
            | "int"
            | "int32"
            | "long"
            | "int64"
            | "real"
            | "double"
            | "decimal"
            | "bool"
            | "boolean"
    )
}

/// A word starting at `start` whose first character ends at `from`: an identifier, a hyphenated
/// operator name, `in~`, or a typed literal such as `datetime(...)`.
#[inline(always)]
fn word(source: &str, start: usize, from: usize) -> (SyntaxKind, usize) {
    let end = word_chars_end(source, from);
    // The special forms all hang on the byte after the word, so most words skip them at once
    // (and the check for them stays out of the hot loop).
    match source.as_bytes().get(end) {
        Some(b'-' | b'~' | b'(') => special_word(source, start, end),
        _ => (IDENT, end),
    }
}

/// The word `start..end` followed by `-`, `~` or `(`.
#[inline(never)]
fn special_word(source: &str, start: usize, end: usize) -> (SyntaxKind, usize) {
    match source.as_bytes()[end] {
        // `project-away`, `mv-expand`, ...: only the known names, so `a-b` stays a subtraction.
        b'-' => match hyphenated_len(&source[start..], end - start) {
            Some(len) => (IDENT, start + len),
            None => (IDENT, end),
        },
        // `in~` is one operator.
        b'~' if &source[start..end] == "in" => (OP_WORD, end + 1),
        b'(' if is_typed_literal_word(&source[start..end]) => {
            let after = &source.as_bytes()[end + 1..];
            match after.iter().position(|&b| b == b')' || b == b'\n') {
                Some(close) if after[close] == b')' => (TYPED_LITERAL, end + close + 2),
                _ => (IDENT, end),
            }
        }
        _ => (IDENT, end),
    }
}

/// The longest known hyphenated name `input` starts with, given that its first word is
/// `word_len` bytes long (and followed by `-`).
fn hyphenated_len(input: &str, word_len: usize) -> Option<usize> {
    // The hyphenated names of the operator word table (`project-away`, `mv-expand`, ...).
    crate::operator_words::hyphenated()
        // A name can only match if its own first word is as long: a cheap test before comparing.
        .filter(|h| h.as_bytes().get(word_len) == Some(&b'-'))
        .filter(|h| input.starts_with(*h))
        .filter(|h| !input[h.len()..].starts_with(is_word_char))
        .map(|h| h.len())
        .max()
}

#[inline(never)]
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
fn is_timespan_unit(s: &str) -> bool {
    matches!(
        s,
        "d" | "day"
            | "days"
            | "h"
            | "hr"
            | "hrs"
            | "hour"
            | "hours"
            | "m"
            | "min"
            | "minute"
            | "minutes"
            | "s"
            | "sec"
            | "second"
            | "seconds"
            | "ms"
            | "milli"
            | "millis"
            | "millisecond"
            | "milliseconds"
            | "micro"
            | "micros"
            | "microsecond"
            | "microseconds"
            | "nano"
            | "nanos"
            | "nanosecond"
            | "nanoseconds"
            | "tick"
            | "ticks"
    )
}

#[inline]
fn digits_end(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && bytes[i].is_ascii_digit() {
        i += 1;
    }
    i
}

/// A number starting at `start` (an ASCII digit): int, real, timespan, hex, or a name that starts
/// with digits.
fn number(source: &str, start: usize) -> (SyntaxKind, usize) {
    let bytes = source.as_bytes();
    if bytes[start] == b'0' && matches!(bytes.get(start + 1), Some(b'x' | b'X')) {
        let mut i = start + 2;
        while i < bytes.len() && bytes[i].is_ascii_hexdigit() {
            i += 1;
        }
        if i > start + 2 {
            return (INT_LITERAL, i);
        }
    }
    let mut i = digits_end(bytes, start + 1);
    let mut kind = INT_LITERAL;
    // `1.5` and `1.` are reals; `1..5` is a range, so a second dot ends the number.
    if bytes.get(i) == Some(&b'.') && bytes.get(i + 1) != Some(&b'.') {
        i = digits_end(bytes, i + 1);
        kind = REAL_LITERAL;
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        let mut j = i + 1;
        if matches!(bytes.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        let k = digits_end(bytes, j);
        if k > j {
            i = k;
            kind = REAL_LITERAL;
        }
    }
    // A suffix glued to the number: a timespan unit, or anything else Kusto tolerates (`10L`).
    let suffix_end = word_chars_end(source, i);
    if suffix_end == i {
        return (kind, i);
    }
    if is_timespan_unit(&source[i..suffix_end]) {
        return (TIMESPAN_LITERAL, suffix_end);
    }
    // Kusto reads `5h_MovingAvg` or `1abc` as a name that starts with digits.
    (IDENT, word_chars_end(source, start))
}

/// `'...'` or `"..."` starting at `start`, with backslash escapes, on one line: where it ends and
/// whether it is terminated. Unterminated strings stop at the line end.
#[inline]
fn quoted_string_end(source: &str, start: usize) -> (usize, bool) {
    let bytes = source.as_bytes();
    let quote = bytes[start];
    let mut i = start + 1;
    loop {
        // Skip the plain bytes eight at a time, up to the next quote, backslash or line break.
        while let Some(chunk) = bytes.get(i..i + 8) {
            let x = load8(chunk);
            let found = bytes_equal(x, quote) | bytes_equal(x, b'\\') | bytes_equal(x, b'\n');
            if found != 0 {
                i += first_flagged(found);
                break;
            }
            i += 8;
        }
        match bytes.get(i) {
            None | Some(b'\n') => break,
            Some(b'\\') => i += 2,
            Some(&c) if c == quote => return (i + 1, true),
            Some(_) => i += 1,
        }
    }
    // Never split a UTF-8 character (an escape can skip into one).
    let mut end = i.min(bytes.len());
    while !source.is_char_boundary(end) {
        end += 1;
    }
    (end, false)
}

/// Eight bytes as a little-endian `u64` (the first byte lowest), for the SWAR scans.
#[inline(always)]
fn load8(chunk: &[u8]) -> u64 {
    u64::from_le_bytes([
        chunk[0], chunk[1], chunk[2], chunk[3], chunk[4], chunk[5], chunk[6], chunk[7],
    ])
}

/// The ASCII word bytes (letters, digits, `_`) of `x` get their high bit set, each byte tested
/// on its own: the high bits are cleared first, so no sum carries into the next byte.
#[inline(always)]
fn word_bytes(x: u64) -> u64 {
    let low = x & splat(0x7f);
    // High bit set where the byte is at least `b`.
    let at_least = |v: u64, b: u8| v + splat(0x80 - b);
    // Setting 0x20 folds `A-Z` onto `a-z` (and nothing else onto them).
    let folded = low | splat(0x20);
    let letters = at_least(folded, b'a') & !at_least(folded, b'z' + 1);
    let digits = at_least(low, b'0') & !at_least(low, b'9' + 1);
    let underscore = !((low ^ splat(b'_')) + splat(0x7f));
    (letters | digits | underscore) & !x & splat(0x80)
}

/// Eight copies of a byte.
const fn splat(b: u8) -> u64 {
    u64::from_le_bytes([b; 8])
}

/// The bytes of `x` (eight bytes, little-endian) equal to `b` get their high bit set. Borrows can
/// also flag a byte above a true match, never below one, so the lowest flag is exact: read it with
/// [`first_flagged`].
#[inline(always)]
fn bytes_equal(x: u64, b: u8) -> u64 {
    let y = x ^ splat(b);
    y.wrapping_sub(splat(0x01)) & !y & splat(0x80)
}

/// The offset of the lowest flagged byte of a non-zero [`bytes_equal`]-style mask.
#[inline(always)]
fn first_flagged(mask: u64) -> usize {
    (mask.trailing_zeros() / 8) as usize
}

/// `'...'` / `"..."` starting at `start` with no escapes, the quote doubled standing for itself
/// (the body of `@'...'`): where it ends and whether it is terminated.
fn doubled_quote_string_end(bytes: &[u8], start: usize) -> (usize, bool) {
    let q = bytes[start];
    let mut i = start + 1;
    while i < bytes.len() {
        if bytes[i] == q {
            if bytes.get(i + 1) == Some(&q) {
                i += 2;
                continue;
            }
            return (i + 1, true);
        }
        if bytes[i] == b'\n' {
            break;
        }
        i += 1;
    }
    (i, false)
}

/// `h'...'`, `H"..."`, `h@'...'` at `start`: obfuscated strings (kept out of logs by the service).
fn obfuscated_string_end(source: &str, start: usize) -> Option<(usize, bool)> {
    let bytes = source.as_bytes();
    match bytes.get(start + 1) {
        Some(b'\'' | b'"') => Some(quoted_string_end(source, start + 1)),
        Some(b'@') if matches!(bytes.get(start + 2), Some(b'\'' | b'"')) => {
            Some(doubled_quote_string_end(bytes, start + 2))
        }
        _ => None,
    }
}

/// ```` ```...``` ```` and `~~~...~~~` at `start`: multi-line strings without escapes.
#[cold]
fn multiline_string(source: &str, start: usize) -> Option<(usize, bool)> {
    let input = &source[start..];
    let fence = if input.starts_with('`') { "```" } else { "~~~" };
    let (rest, _) = tag::<_, _, nom::error::Error<&str>>(fence)
        .parse(input)
        .ok()?;
    Some(match find_fence(rest, fence) {
        Some(end) => (source.len() - rest.len() + end + fence.len(), true),
        None => (source.len(), false),
    })
}

/// The first `fence` in `text`: memchr for its first byte, then a look at the next two (faster
/// than `str::find` with a string pattern over long strings).
fn find_fence(text: &str, fence: &str) -> Option<usize> {
    let first = char::from(fence.as_bytes()[0]);
    let mut from = 0;
    while let Some(i) = text[from..].find(first) {
        if text[from + i..].starts_with(fence) {
            return Some(from + i);
        }
        from += i + 1;
    }
    None
}

/// `=`, `<`, `>`, `.` and `!` operators: a direct match on the first two bytes.
fn punct(bytes: &[u8], pos: usize) -> (SyntaxKind, usize) {
    let second = bytes.get(pos + 1).copied().unwrap_or(0);
    let (kind, len) = match (bytes[pos], second) {
        (b'=', b'=') => (EQ2, 2),
        (b'=', b'~') => (EQ_TILDE, 2),
        (b'=', b'>') => (FAT_ARROW, 2),
        (b'!', b'=') => (NEQ, 2),
        (b'!', b'~') => (BANG_TILDE, 2),
        (b'<', b'>') => (NEQ, 2),
        (b'<', b'=') => (LTEQ, 2),
        (b'>', b'=') => (GTEQ, 2),
        (b'.', b'.') => (DOT2, 2),
        (b'.', _) => (DOT, 1),
        (b'=', _) => (EQ, 1),
        (b'<', _) => (LT, 1),
        (b'>', _) => (GT, 1),
        _ => (ERROR_TOKEN, 1),
    };
    (kind, pos + len)
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

    /// `(input, index, kind, text)`: token `index` of `input` is a `kind` spelled `text`.
    const TOKENS: &[(&str, usize, SyntaxKind, &str)] = &[
        // Timespans and numbers.
        ("1.5d", 0, TIMESPAN_LITERAL, "1.5d"),
        ("10ms", 0, TIMESPAN_LITERAL, "10ms"),
        ("3ticks", 0, TIMESPAN_LITERAL, "3ticks"),
        ("1e3", 0, REAL_LITERAL, "1e3"),
        ("0x1F", 0, INT_LITERAL, "0x1F"),
        ("1..5", 0, INT_LITERAL, "1"),
        ("1..5", 1, DOT2, ".."),
        // Strings.
        (r"'a\'b'", 0, STRING_LITERAL, r"'a\'b'"),
        ("@'a''b'", 0, STRING_LITERAL, "@'a''b'"),
        ("h@\"x\"", 0, STRING_LITERAL, "h@\"x\""),
        ("```a\nb```", 0, STRING_LITERAL, "```a\nb```"),
        ("hello", 0, IDENT, "hello"),
        // Words and operators.
        ("project-away", 0, IDENT, "project-away"),
        ("a-b", 0, IDENT, "a"),
        ("!has_cs", 0, OP_WORD, "!has_cs"),
        ("!in~", 0, OP_WORD, "!in~"),
        ("in~", 0, OP_WORD, "in~"),
        (
            "datetime(2024-01-01 10:00)",
            0,
            TYPED_LITERAL,
            "datetime(2024-01-01 10:00)",
        ),
        ("datetime (2024)", 0, IDENT, "datetime"),
        ("#connect x\nT", 0, DIRECTIVE, "#connect x"),
        ("=~", 0, EQ_TILDE, "=~"),
        // Directives only at the start of a line.
        (" \u{a0}#x\n", 2, DIRECTIVE, "#x"),
        ("a\n\t#x", 2, DIRECTIVE, "#x"),
        ("#a\n#b", 2, DIRECTIVE, "#b"),
        ("a #x", 2, ERROR_TOKEN, "#"),
        // A vertical tab is whitespace to Unicode but an error token to the lexer.
        ("\n\x0b#x", 2, ERROR_TOKEN, "#"),
    ];

    #[test]
    fn single_tokens() {
        for &(input, index, kind, text) in TOKENS {
            assert_eq!(
                kinds(input).get(index),
                Some(&(kind, text)),
                "token {index} of {input:?}"
            );
        }
    }

    #[test]
    fn unterminated_strings() {
        assert!(tokenize("'abc").errors.len() == 1);
        assert!(tokenize(r"'abc\'").errors.len() == 1);
        assert!(tokenize("'abc'").errors.is_empty());
    }

    /// An escaped line break keeps a string going: its `#` is no directive.
    #[test]
    fn escaped_line_break_keeps_a_string_going() {
        assert_eq!(kinds("'a\\\n#x"), [(STRING_LITERAL, "'a\\\n#x")]);
    }

    #[test]
    fn raw_guids() {
        let g = "12345678-1234-1234-1234-123456789abc";
        assert_eq!(kinds(g)[0], (TYPED_LITERAL, g));
        assert_eq!(tokenize(g).errors.len(), 1);
        // The guid wins even where a number would run past its first `-` (`1234567e-1234`).
        let g = "1234567e-1234-1234-1234-123456789abc";
        assert_eq!(kinds(g)[0], (TYPED_LITERAL, g));
        assert_eq!(
            kinds("1e345678-1234-1234-1234-123456789abc")[0].0,
            TYPED_LITERAL
        );
        assert_eq!(
            kinds("12345678-1234-1234-1234-123456789abcd")[0],
            (INT_LITERAL, "12345678")
        );
    }

    #[test]
    fn swar_word_bytes_match_the_table() {
        for b in 0..=255u8 {
            for at in 0..8 {
                let mut chunk = [b'-'; 8];
                chunk[at] = b;
                let flags = word_bytes(load8(&chunk));
                assert_eq!(flags, u64::from(ASCII_WORD[usize::from(b)]) << (8 * at + 7));
            }
        }
    }

    #[test]
    fn swar_bytes_equal_finds_the_first_match() {
        for b in 0..=255u8 {
            for at in 0..8 {
                for filler in [0u8, 1, b'a', 0x7f, 0x80, 0xff, b.wrapping_add(1)] {
                    if filler == b {
                        continue;
                    }
                    let mut chunk = [filler; 8];
                    chunk[at] = b;
                    let found = bytes_equal(load8(&chunk), b);
                    assert_eq!(first_flagged(found), at, "byte {b} at {at} among {filler}");
                }
            }
        }
    }
}
