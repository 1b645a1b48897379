//! Request bodies. No HTTP client: send these with whatever client you use.

use serde::{Deserialize, Serialize};

use crate::timespan::Timespan;

/// Defender API endpoint (`POST`, body [`RunQueryRequest`]).
pub const DEFENDER_RUN_URL: &str = "https://api.security.microsoft.com/api/advancedhunting/run";

/// Microsoft Graph endpoint (`POST`, body [`RunHuntingQueryRequest`]), the Defender API's
/// successor.
pub const GRAPH_RUN_HUNTING_QUERY_URL: &str =
    "https://graph.microsoft.com/v1.0/security/runHuntingQuery";

/// The Defender API body: `{"Query": "..."}`.
///
/// ```
/// use kql_hunting_api::RunQueryRequest;
/// let body = serde_json::to_string(&RunQueryRequest::new("DeviceProcessEvents | take 1")).unwrap();
/// assert_eq!(body, r#"{"Query":"DeviceProcessEvents | take 1"}"#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RunQueryRequest {
    /// The KQL text.
    #[serde(rename = "Query", alias = "query")]
    pub query: String,
}

impl RunQueryRequest {
    /// A request for `query`.
    pub fn new(query: impl Into<String>) -> Self {
        RunQueryRequest {
            query: query.into(),
        }
    }
}

/// The Graph body: `{"Query": "...", "Timespan": "P30D"}`; `Timespan` is left out when `None`
/// (the service then uses its default of 30 days).
///
/// ```
/// use kql_hunting_api::{RunHuntingQueryRequest, Timespan};
/// let req = RunHuntingQueryRequest::new("DeviceProcessEvents")
///     .with_timespan("2024-01-01T00:00:00Z/P7D".parse::<Timespan>().unwrap());
/// assert_eq!(
///     serde_json::to_string(&req).unwrap(),
///     r#"{"Query":"DeviceProcessEvents","Timespan":"2024-01-01T00:00:00Z/P7D"}"#
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RunHuntingQueryRequest {
    /// The KQL text.
    #[serde(rename = "Query", alias = "query")]
    pub query: String,
    /// The window to query, validated.
    #[serde(
        rename = "Timespan",
        alias = "timespan",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub timespan: Option<Timespan>,
}

impl RunHuntingQueryRequest {
    /// A request for `query` with the service's default timespan.
    pub fn new(query: impl Into<String>) -> Self {
        RunHuntingQueryRequest {
            query: query.into(),
            timespan: None,
        }
    }

    /// Sets the timespan.
    pub fn with_timespan(mut self, timespan: Timespan) -> Self {
        self.timespan = Some(timespan);
        self
    }
}

impl From<RunQueryRequest> for RunHuntingQueryRequest {
    fn from(r: RunQueryRequest) -> Self {
        RunHuntingQueryRequest::new(r.query)
    }
}
