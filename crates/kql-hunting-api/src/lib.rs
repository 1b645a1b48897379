//! Serde types for Microsoft Defender Advanced Hunting: the Defender API
//! (`POST https://api.security.microsoft.com/api/advancedhunting/run`) and its successor, Microsoft
//! Graph's `runHuntingQuery` (`POST https://graph.microsoft.com/v1.0/security/runHuntingQuery`).
//!
//! - Requests: [`RunQueryRequest`], [`RunHuntingQueryRequest`] with a validated [`Timespan`].
//! - Responses: [`QueryResponse`] (Defender, with [`Stats`]) and [`HuntingQueryResults`] (Graph);
//!   `rows::<T>()` decodes result rows into your own `Deserialize` types using the schema.
//! - Errors: [`ErrorResponse`] / [`ApiError`] for both APIs, [`QuotaExceeded`] for HTTP 429.
//! - [`limits`]: the documented retention, row cap and quotas, each with its source.
//!
//! ```
//! use kql_hunting_api::{limits, RunHuntingQueryRequest, Timespan, UtcDateTime};
//! let timespan: Timespan = "P45D".parse()?;
//! let now: UtcDateTime = "2024-02-15T00:00:00Z".parse()?;
//! // 45 days reach past the 30 days the service keeps: the query would silently return less.
//! assert!(timespan.lookback(now).unwrap() > limits::RETENTION);
//! let body = serde_json::to_string(&RunHuntingQueryRequest::new("DeviceEvents").with_timespan(timespan))?;
//! assert_eq!(body, r#"{"Query":"DeviceEvents","Timespan":"P45D"}"#);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Decisions
//! - **No HTTP client, no async.** These are data types; callers bring `reqwest`, `ureq` or a
//!   test double. The crate depends on `serde` and `serde_json` only.
//! - **Own datetime type.** [`UtcDateTime`] covers what the API needs (parse, print, add,
//!   calendar months) with .NET tick precision, so the workspace does not compile `chrono` or
//!   `time`. It (de)serialises as its canonical text.
//! - **Exact text round trips.** [`Timespan`], [`IsoDuration`] and [`ColumnType`] print exactly
//!   what they parsed when it was in canonical form; see each type for what is normalised.
//! - **Lenient reading, precise writing.** Response containers match field names
//!   case-insensitively (Graph documents both `name` and `Name`) and keep unknown fields in
//!   `extra`; serialisation uses each API's documented spelling.
//! - **Never panic on service data.** Malformed values become [`DecodeError`]s naming the row,
//!   the column and the expected type; unrecognised 429 bodies keep their raw message.
//! - **Undocumented 429 body.** Microsoft documents only "read the body"; the message shapes we
//!   parse come from Microsoft's issue tracker (see [`QuotaExceeded`]).
//! - **Limits drift.** Microsoft's pages disagree; [`limits`] gives every number a source so the
//!   linter can cite it, and keeps the legacy numbers under their own names.

mod cell;
mod datetime;
mod dotnet;
mod error;
mod guid;
pub mod limits;
mod request;
mod response;
mod timespan;

use std::fmt;

pub use datetime::UtcDateTime;
pub use dotnet::{format_dotnet_timespan, parse_dotnet_timespan, serde_dotnet_timespan};
pub use error::{
    Allowance, ApiError, ErrorResponse, InnerError, QuotaExceeded, QuotaKind, QuotaResource,
    RetryAfter,
};
pub use guid::Guid;
pub use request::{
    RunHuntingQueryRequest, RunQueryRequest, DEFENDER_RUN_URL, GRAPH_RUN_HUNTING_QUERY_URL,
};
pub use response::{
    decode_rows, decode_value, CacheCounters, CacheUsage, ColumnType, CpuUsage, DatasetStatistics,
    DecodeError, HuntingQueryResults, MemoryUsage, QueryResponse, ResourceUsage, Row, SchemaColumn,
    Stats,
};
pub use timespan::{DurationValue, IsoDuration, Timespan};

/// Serde for the types whose JSON form is their canonical text: `Serialize` writes the
/// `Display` text, `Deserialize` parses a string with `FromStr`.
macro_rules! serde_as_text {
    ($($ty:ty),*) => {$(
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                <String as serde::Deserialize>::deserialize(deserializer)?
                    .parse()
                    .map_err(serde::de::Error::custom)
            }
        }
    )*};
}

serde_as_text!(UtcDateTime, Guid, IsoDuration, Timespan);

/// Text that is not a valid datetime, duration, timespan or `Retry-After` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    what: &'static str,
    input: String,
    reason: String,
}

impl ParseError {
    pub(crate) fn new(what: &'static str, input: &str, reason: String) -> Self {
        ParseError {
            what,
            input: input.to_string(),
            reason,
        }
    }

    /// What was being parsed (`"timespan"`, `"datetime"`, …).
    pub fn kind(&self) -> &'static str {
        self.what
    }

    /// The rejected input.
    pub fn input(&self) -> &str {
        &self.input
    }

    /// Why it was rejected.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid {} {:?}: {}", self.what, self.input, self.reason)
    }
}

impl std::error::Error for ParseError {}
