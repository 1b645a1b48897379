//! `Guid` result values (`"6a8c7b1e-..."`), decodable from rows.

use std::fmt;
use std::str::FromStr;

use crate::ParseError;

/// A GUID as the service sends it in `Guid` columns: canonical 8-4-4-4-12 hex text (either
/// case, optional braces). Prints lowercase.
///
/// ```
/// use kql_hunting_api::Guid;
/// let g: Guid = "{6A8C7B1E-0000-4C3B-9F00-0123456789AB}".parse().unwrap();
/// assert_eq!(g.to_string(), "6a8c7b1e-0000-4c3b-9f00-0123456789ab");
/// assert_eq!(g.as_u128(), 0x6a8c7b1e_0000_4c3b_9f00_0123456789ab);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Guid(u128);

impl Guid {
    /// From the 128-bit value (big-endian reading of the text).
    pub const fn from_u128(v: u128) -> Self {
        Guid(v)
    }

    /// The 128-bit value.
    pub const fn as_u128(self) -> u128 {
        self.0
    }
}

impl FromStr for Guid {
    type Err = ParseError;

    fn from_str(text: &str) -> Result<Self, ParseError> {
        let bad = |reason: &str| ParseError::new("GUID", text, reason.to_owned());
        let t = text
            .strip_prefix('{')
            .and_then(|t| t.strip_suffix('}'))
            .unwrap_or(text);
        let lens: Vec<usize> = t.split('-').map(str::len).collect();
        if lens != [8, 4, 4, 4, 12] {
            return Err(bad("expected 8-4-4-4-12 hex digits"));
        }
        let hex: String = t.chars().filter(|c| *c != '-').collect();
        // `from_str_radix` alone would take a leading `+` in place of a digit.
        if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(bad("expected hex digits"));
        }
        u128::from_str_radix(&hex, 16)
            .map(Guid)
            .map_err(|_| bad("expected hex digits"))
    }
}

impl fmt::Display for Guid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let h = format!("{:032x}", self.0);
        write!(
            f,
            "{}-{}-{}-{}-{}",
            &h[..8],
            &h[8..12],
            &h[12..16],
            &h[16..20],
            &h[20..]
        )
    }
}

impl fmt::Debug for Guid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Guid({self})")
    }
}
