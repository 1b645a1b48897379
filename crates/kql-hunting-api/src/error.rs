//! Error bodies and the HTTP 429 quota response.
//!
//! Both APIs wrap errors as `{"error": {"code", "message", …}}`. Defender adds `target` (the
//! request id); Graph adds `innerError` (`date`, `request-id`, `client-request-id`). Keys are read
//! ASCII-case-insensitively (Graph writes both `innerError` and `innererror`) and `code` may be a
//! string or a number (Defender's 429 sends `"429"`).
//!
//! The 429 body is not specified: the documentation only says "read the response body to
//! understand what limit was reached". The shapes known from Microsoft's issue tracker
//! (MicrosoftDocs/microsoft-365-docs#4616) are
//! `API calls quota exceeded! maximum allowed 45 per 00:01:00` and
//! `… maximum allowed 1500 per 01:00:00`; Graph's generic throttling body says only
//! `Too many requests.` plus a `Retry-After` header. [`QuotaExceeded`] therefore parses what it
//! can (which resource, the allowance, the window), always keeps the raw message, and never fails:
//! an unrecognised message gives [`QuotaResource::Unknown`].

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::datetime::UtcDateTime;
use crate::dotnet::{format_dotnet_timespan, parse_dotnet_timespan};
use crate::ParseError;

/// An error body: `{"error": {...}}`.
///
/// ```
/// use kql_hunting_api::ErrorResponse;
/// let body = r#"{"error": {"code": "BadRequest", "message": "Syntax error", "target": "43f4cb08-8fac-4b65-9db1-745c2ae65f3a"}}"#;
/// let e = ErrorResponse::from_json(body).unwrap();
/// assert_eq!(e.error.code, "BadRequest");
/// assert_eq!(e.error.target.as_deref(), Some("43f4cb08-8fac-4b65-9db1-745c2ae65f3a"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorResponse {
    /// The error.
    #[serde(alias = "Error")]
    pub error: ApiError,
}

impl ErrorResponse {
    /// Parses an error body.
    pub fn from_json(body: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(body)
    }
}

impl fmt::Display for ErrorResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.error.fmt(f)
    }
}

impl std::error::Error for ErrorResponse {}

/// The `error` object of both APIs.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ApiError {
    /// Machine-readable code (`BadRequest`, `TooManyRequests`, `429`, …).
    pub code: String,
    /// Human-readable message; Microsoft says it is free text that can change.
    pub message: String,
    /// Defender: what the error refers to (in practice the request id).
    pub target: Option<String>,
    /// Graph: request correlation data.
    pub inner_error: Option<InnerError>,
    /// Other fields (`details`, …).
    pub extra: Map<String, Value>,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for ApiError {}

/// Graph's `innerError`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct InnerError {
    /// When the error happened (Graph writes it without a time zone, so it stays text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// `request-id`, to quote to Microsoft support.
    #[serde(
        rename = "request-id",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub request_id: Option<String>,
    /// `client-request-id`.
    #[serde(
        rename = "client-request-id",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub client_request_id: Option<String>,
    /// Other fields.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

fn take_ci(map: &mut Map<String, Value>, name: &str) -> Option<Value> {
    let key = map.keys().find(|k| k.eq_ignore_ascii_case(name))?.clone();
    map.remove(&key)
}

fn text(v: Option<Value>) -> Option<String> {
    match v? {
        Value::Null => None,
        Value::String(s) => Some(s),
        other => Some(other.to_string()),
    }
}

impl<'de> Deserialize<'de> for ApiError {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut map = Map::deserialize(deserializer)?;
        let code = text(take_ci(&mut map, "code")).unwrap_or_default();
        let message = text(take_ci(&mut map, "message")).unwrap_or_default();
        let target = text(take_ci(&mut map, "target"));
        let inner_error = match take_ci(&mut map, "innerError") {
            None | Some(Value::Null) => None,
            Some(v) => Some(serde_json::from_value(v).map_err(serde::de::Error::custom)?),
        };
        Ok(ApiError {
            code,
            message,
            target,
            inner_error,
            extra: map,
        })
    }
}

impl Serialize for ApiError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut m = serializer.serialize_map(None)?;
        m.serialize_entry("code", &self.code)?;
        m.serialize_entry("message", &self.message)?;
        if let Some(t) = &self.target {
            m.serialize_entry("target", t)?;
        }
        if let Some(i) = &self.inner_error {
            m.serialize_entry("innerError", i)?;
        }
        for (k, v) in &self.extra {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// The value of a `Retry-After` header: seconds, or an HTTP date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryAfter {
    /// `Retry-After: 30`
    Delay(Duration),
    /// `Retry-After: Wed, 21 Oct 2015 07:28:00 GMT`
    At(UtcDateTime),
}

impl RetryAfter {
    /// The instant at which to retry, for a response received at `now`.
    pub fn instant(self, now: UtcDateTime) -> Option<UtcDateTime> {
        match self {
            RetryAfter::Delay(d) => now.checked_add(d),
            RetryAfter::At(t) => Some(t),
        }
    }
}

impl FromStr for RetryAfter {
    type Err = ParseError;

    /// Accepts delta-seconds and the IMF-fixdate form of RFC 9110 (the obsolete RFC 850 and
    /// asctime forms are not accepted).
    fn from_str(s: &str) -> Result<Self, ParseError> {
        let t = s.trim();
        if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
            return t
                .parse::<u64>()
                .map(|n| RetryAfter::Delay(Duration::from_secs(n)))
                .map_err(|_| ParseError::new("Retry-After", s, "too many seconds".into()));
        }
        parse_http_date(t).map(RetryAfter::At).ok_or_else(|| {
            ParseError::new(
                "Retry-After",
                s,
                "expected seconds or an HTTP date like `Wed, 21 Oct 2015 07:28:00 GMT`".into(),
            )
        })
    }
}

/// IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT`.
fn parse_http_date(s: &str) -> Option<UtcDateTime> {
    let mut it = s.split_ascii_whitespace();
    let _weekday = it.next().filter(|w| w.ends_with(','))?;
    let day: u32 = it.next()?.parse().ok()?;
    let month = match it.next()? {
        "Jan" => 1,
        "Feb" => 2,
        "Mar" => 3,
        "Apr" => 4,
        "May" => 5,
        "Jun" => 6,
        "Jul" => 7,
        "Aug" => 8,
        "Sep" => 9,
        "Oct" => 10,
        "Nov" => 11,
        "Dec" => 12,
        _ => return None,
    };
    let year: i32 = it.next()?.parse().ok()?;
    let mut hms = it.next()?.split(':').map(|p| p.parse::<u32>().ok());
    let (h, m, sec) = (hms.next()??, hms.next()??, hms.next()??);
    if hms.next().is_some() || it.next()? != "GMT" || it.next().is_some() {
        return None;
    }
    UtcDateTime::from_parts((year, month, day), (h, m, sec, 0))
}

/// Which resource a 429 says is exhausted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QuotaResource {
    /// Number of API calls.
    Calls,
    /// CPU / running time.
    Cpu,
    /// The message did not say (e.g. Graph's generic "Too many requests.").
    Unknown,
}

/// The allowance named in the message (`maximum allowed 45 per …`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Allowance {
    /// A number of calls.
    Calls(u64),
    /// An amount of running time.
    Time(Duration),
}

/// The quotas the documentation names, for matching on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QuotaKind {
    /// Calls per minute ([`crate::limits::DEFENDER_CALLS_PER_MINUTE`]).
    CallsPerMinute,
    /// Calls per hour ([`crate::limits::DEFENDER_CALLS_PER_HOUR`]).
    CallsPerHour,
    /// Running time per hour ([`crate::limits::DEFENDER_RUN_TIME_PER_HOUR`]).
    CpuPerHour,
    /// Running time per day ([`crate::limits::DEFENDER_RUN_TIME_PER_DAY`]).
    CpuPerDay,
    /// Anything else, including unrecognised messages.
    Other,
}

/// An HTTP 429 answer: which quota was hit and when to try again.
///
/// ```
/// use std::time::Duration;
/// use kql_hunting_api::{QuotaExceeded, QuotaKind, UtcDateTime};
/// let body = r#"{"error": {"code": "429", "message": "API calls quota exceeded! maximum allowed 45 per 00:01:00", "target": "00000000-0000-0000-0000-000000000000"}}"#;
/// let q = QuotaExceeded::from_response(body, Some("17"));
/// assert_eq!(q.kind(), QuotaKind::CallsPerMinute);
/// let now: UtcDateTime = "2024-01-01T00:00:00Z".parse().unwrap();
/// assert_eq!(q.retry_at(now).unwrap().to_string(), "2024-01-01T00:00:17Z");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuotaExceeded {
    /// What ran out.
    pub resource: QuotaResource,
    /// The allowance the message states, if any.
    pub allowed: Option<Allowance>,
    /// The window the allowance applies to (`per 01:00:00`), if stated.
    pub window: Option<Duration>,
    /// The `Retry-After` header, if sent and valid.
    pub retry_after: Option<RetryAfter>,
    /// The error code, if the body was an error object.
    pub code: Option<String>,
    /// The raw message (or the raw body when it was not an error object).
    pub message: String,
}

impl QuotaExceeded {
    /// Interprets a 429 response body and its `Retry-After` header. Never fails: whatever cannot
    /// be recognised is left `None`/`Unknown` and the raw text kept in `message`.
    pub fn from_response(body: &str, retry_after: Option<&str>) -> Self {
        match ErrorResponse::from_json(body) {
            Ok(e) => Self::from_error(&e.error, retry_after),
            Err(_) => {
                let mut q = Self::from_message(body);
                q.retry_after = retry_after.and_then(|h| h.parse().ok());
                q
            }
        }
    }

    /// Interprets an already parsed error object.
    pub fn from_error(error: &ApiError, retry_after: Option<&str>) -> Self {
        let mut q = Self::from_message(&error.message);
        q.code = Some(error.code.clone());
        q.retry_after = retry_after.and_then(|h| h.parse().ok());
        q
    }

    /// Interprets a quota message such as `API calls quota exceeded! maximum allowed 1500 per
    /// 01:00:00`.
    pub fn from_message(message: &str) -> Self {
        let lower = message.to_ascii_lowercase();
        let mut resource = if ["cpu", "running time", "execution time", "resource"]
            .iter()
            .any(|w| lower.contains(w))
        {
            QuotaResource::Cpu
        } else if lower.contains("call") || lower.contains("request") {
            QuotaResource::Calls
        } else {
            QuotaResource::Unknown
        };
        let clean = |w: &str| w.trim_end_matches(['.', ',', '!', ';', ')']).to_string();
        let words: Vec<&str> = message.split_ascii_whitespace().collect();
        let mut allowed = None;
        let mut window = None;
        for (i, w) in words.iter().enumerate() {
            let next = words.get(i + 1).map(|n| clean(n));
            if w.eq_ignore_ascii_case("allowed") && allowed.is_none() {
                if let Some(n) = next.as_deref() {
                    allowed = n
                        .parse::<u64>()
                        .map(Allowance::Calls)
                        .ok()
                        .or_else(|| parse_dotnet_timespan(n).ok().map(Allowance::Time));
                }
            } else if w.eq_ignore_ascii_case("per") && window.is_none() {
                window = next.as_deref().and_then(|n| {
                    parse_dotnet_timespan(n)
                        .ok()
                        .or(match n.to_ascii_lowercase().as_str() {
                            "minute" => Some(Duration::from_secs(60)),
                            "hour" => Some(Duration::from_secs(3600)),
                            "day" => Some(Duration::from_secs(86_400)),
                            _ => None,
                        })
                });
            }
        }
        if resource == QuotaResource::Unknown {
            resource = match allowed {
                Some(Allowance::Calls(_)) => QuotaResource::Calls,
                Some(Allowance::Time(_)) => QuotaResource::Cpu,
                None => QuotaResource::Unknown,
            };
        }
        QuotaExceeded {
            resource,
            allowed,
            window,
            retry_after: None,
            code: None,
            message: message.to_string(),
        }
    }

    /// The documented quota this matches, from the resource and the window.
    pub fn kind(&self) -> QuotaKind {
        const MINUTE: Duration = Duration::from_secs(60);
        const HOUR: Duration = Duration::from_secs(3600);
        const DAY: Duration = Duration::from_secs(86_400);
        match (self.resource, self.window) {
            (QuotaResource::Calls, Some(MINUTE)) => QuotaKind::CallsPerMinute,
            (QuotaResource::Calls, Some(HOUR)) => QuotaKind::CallsPerHour,
            (QuotaResource::Cpu, Some(HOUR)) => QuotaKind::CpuPerHour,
            (QuotaResource::Cpu, Some(DAY)) => QuotaKind::CpuPerDay,
            _ => QuotaKind::Other,
        }
    }

    /// When to retry, for a response received at `now`: the `Retry-After` header when sent;
    /// otherwise `now + window`, an upper bound on when a per-window quota renews; `None` when
    /// neither is known.
    pub fn retry_at(&self, now: UtcDateTime) -> Option<UtcDateTime> {
        match self.retry_after {
            Some(r) => r.instant(now),
            None => now.checked_add(self.window?),
        }
    }
}

impl fmt::Display for QuotaExceeded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.resource {
            QuotaResource::Calls => "API call quota exceeded",
            QuotaResource::Cpu => "CPU quota exceeded",
            QuotaResource::Unknown => "quota exceeded",
        };
        f.write_str(what)?;
        match (self.allowed, self.window) {
            (Some(Allowance::Calls(n)), Some(w)) => {
                write!(f, " ({n} calls per {})", format_dotnet_timespan(w))?
            }
            (Some(Allowance::Time(t)), Some(w)) => write!(
                f,
                " ({} per {})",
                format_dotnet_timespan(t),
                format_dotnet_timespan(w)
            )?,
            _ => {}
        }
        match self.retry_after {
            Some(RetryAfter::Delay(d)) => write!(f, "; retry after {} s", d.as_secs())?,
            Some(RetryAfter::At(t)) => write!(f, "; retry at {t}")?,
            None => {}
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for QuotaExceeded {}
