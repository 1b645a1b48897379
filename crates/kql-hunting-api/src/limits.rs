//! The documented limits of Advanced Hunting, in one place for the linter and for clients.
//!
//! Microsoft has changed these numbers several times and its pages disagree with each other
//! (MicrosoftDocs/microsoft-365-docs#9425). Each constant names its source and date. The
//! current numbers are the `DEFENDER_*` and `GRAPH_*` ones; the `LEGACY_*` ones are what the
//! first Microsoft 365 Defender API page documented (before January 2021) and are kept because
//! older tooling and our own design notes quote them. The call quotas are *minimums*: Microsoft
//! says they grow with tenant size.

use std::time::Duration;

/// Queries see only the last 30 days of data; older data is silently not returned.
/// Source: every version of the Defender API page ("You can only run a query on data from the
/// last 30 days") and the Graph security API overview ("Queries explore and return data from
/// the past 30 days").
pub const RETENTION_DAYS: u64 = 30;

/// [`RETENTION_DAYS`] as a duration.
pub const RETENTION: Duration = Duration::from_secs(RETENTION_DAYS * 86_400);

/// At most 100,000 rows are returned; the rest is silently dropped.
/// Source: Defender API page ("The results include a maximum of 100,000 rows") and the Graph
/// security API overview ("Results can return up to 100,000 rows"). (Before late 2019 the
/// Defender ATP page said 10,000.)
pub const MAX_ROWS: u64 = 100_000;

/// Defender API (`/api/advancedhunting/run`): calls per minute per tenant.
/// Source: learn.microsoft.com/defender-endpoint/api/run-advanced-query-api, "Limitations"
/// ("Up to 45 calls per minute, and up to 1,500 calls per hour"); 429 bodies confirm it
/// ("maximum allowed 45 per 00:01:00", MicrosoftDocs/microsoft-365-docs#4616).
pub const DEFENDER_CALLS_PER_MINUTE: u32 = 45;

/// Defender API: calls per hour per tenant. Source: as [`DEFENDER_CALLS_PER_MINUTE`]
/// ("maximum allowed 1500 per 01:00:00").
pub const DEFENDER_CALLS_PER_HOUR: u32 = 1_500;

/// Defender API: running time per hour per tenant.
/// Source: run-advanced-query-api, "Limitations" ("10 minutes of running time every hour").
pub const DEFENDER_RUN_TIME_PER_HOUR: Duration = Duration::from_secs(10 * 60);

/// Defender API: running time per day per tenant.
/// Source: run-advanced-query-api, "Limitations" ("3 hours of running time a day").
pub const DEFENDER_RUN_TIME_PER_DAY: Duration = Duration::from_secs(3 * 3600);

/// Defender API: longest run of a single request.
/// Source: run-advanced-query-api, "Limitations" ("The maximal execution time of a single
/// request is 200 seconds").
pub const DEFENDER_REQUEST_TIMEOUT: Duration = Duration::from_secs(200);

/// Largest result of a single request, in bytes (124 MB); larger results fail with HTTP 400
/// "Query execution has exceeded the allowed result size".
/// Source: run-advanced-query-api, "Limitations" ("can't exceed 124 MB"), added after
/// MicrosoftDocs/microsoft-365-docs#5874 measured "approximately 130 million bytes", i.e.
/// 124 × 2^20. The Graph overview documented the same until June 2023.
pub const MAX_RESULT_BYTES: u64 = 124 * 1024 * 1024;

/// Graph API (`/security/runHuntingQuery`): calls per minute per tenant, "at least"; it varies
/// with tenant size.
/// Source: Microsoft Graph "Use the Microsoft Graph security API", "Quotas and resource
/// allocation" (since microsoftgraph/microsoft-graph-docs#21554, June 2023).
pub const GRAPH_CALLS_PER_MINUTE: u32 = 45;

/// Graph API: calls per hour per tenant.
/// Source: the Graph security API overview before June 2023 (the current text names only the
/// per-minute quota); equal to [`DEFENDER_CALLS_PER_HOUR`].
pub const GRAPH_CALLS_PER_HOUR: u32 = 1_500;

/// Graph API: longest run of a single request.
/// Source: the Graph security API overview ("If a single request runs for more than three
/// minutes, it times out and returns an error"). Before June 2023 it said 200 seconds, like
/// [`DEFENDER_REQUEST_TIMEOUT`]; the stricter current value is used.
pub const GRAPH_REQUEST_TIMEOUT: Duration = Duration::from_secs(3 * 60);

/// Graph API: CPU is allocated per tenant (amount by tenant size, not published); once used up,
/// queries are blocked "until after the next 15-minute cycle".
/// Source: the Graph security API overview, "Quotas and resource allocation".
pub const GRAPH_CPU_QUOTA_CYCLE: Duration = Duration::from_secs(15 * 60);

/// The default `Timespan` when a Graph request names none: 30 days.
/// Source: runHuntingQuery, "Request body" ("If not provided, the default timespan of 30 days
/// will be used").
pub const GRAPH_DEFAULT_TIMESPAN_DAYS: u64 = 30;

/// Legacy Microsoft 365 Defender API: calls per minute (10), as first documented; raised to 15
/// in January 2021 (MicrosoftDocs/microsoft-365-docs#3931) and to 45 later that year (#6713).
pub const LEGACY_CALLS_PER_MINUTE: u32 = 10;

/// Legacy Microsoft 365 Defender API: running time per hour (10 minutes), as first documented.
/// Source: microsoft-365/security/mtp/api-advanced-hunting.md before #3931.
pub const LEGACY_RUN_TIME_PER_HOUR: Duration = Duration::from_secs(10 * 60);

/// Legacy Microsoft 365 Defender API: running time per day (4 hours), as first documented.
/// Source: as [`LEGACY_RUN_TIME_PER_HOUR`].
pub const LEGACY_RUN_TIME_PER_DAY: Duration = Duration::from_secs(4 * 3600);

/// Legacy Microsoft 365 Defender API: longest run of a single request (10 minutes).
/// Source: as [`LEGACY_RUN_TIME_PER_HOUR`] ("If a single request runs for more than 10
/// minutes, it will time out").
pub const LEGACY_REQUEST_TIMEOUT: Duration = Duration::from_secs(10 * 60);
