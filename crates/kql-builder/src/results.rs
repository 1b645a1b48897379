//! Results back into queries: typed access to result rows by a builder column, and one
//! conversion each between the API's result values and the builder's literals, so a value
//! read from one query can be put into the next (`DateTimeValue::from(row_time)`).
//!
//! ```
//! use kql_builder::results::TypedRows;
//! use kql_builder::tables::DeviceFileEvents as F;
//! let response: kql_hunting_api::QueryResponse = serde_json::from_str(
//!     r#"{"Schema": [], "Results": [{"FileSize": "1024", "Timestamp": "2024-05-01T10:00:00.5Z"}]}"#,
//! ).unwrap();
//! let row = response.typed_rows().next().unwrap();
//! let size: Option<i64> = row.get(&F::FileSize).unwrap();
//! assert_eq!(size, Some(1024));
//! let when = row.get(&F::Timestamp).unwrap().unwrap();
//! let next = F::query().where_(F::Timestamp.gt(when));
//! assert_eq!(next.to_kql(), "DeviceFileEvents\n| where Timestamp > datetime(2024-05-01T10:00:00.5000000Z)");
//! ```

use kql_hunting_api::{decode_value, ColumnType, DecodeError, Guid, Row, UtcDateTime};
use serde_json::Value;

use crate::types::{self as ty, KqlType};
use crate::{Column, DateTimeValue, GuidValue, TimeSpanValue};

impl From<UtcDateTime> for DateTimeValue {
    /// Both hold ticks since the Unix epoch over the same range (`kql_calendar::in_range`).
    fn from(t: UtcDateTime) -> Self {
        DateTimeValue::from_unix_ticks(t.unix_ticks())
            .expect("UtcDateTime and DateTimeValue share kql_calendar's range")
    }
}

impl From<DateTimeValue> for UtcDateTime {
    fn from(t: DateTimeValue) -> Self {
        UtcDateTime::from_unix_ticks(t.unix_ticks())
            .expect("UtcDateTime and DateTimeValue share kql_calendar's range")
    }
}

impl From<Guid> for GuidValue {
    fn from(g: Guid) -> Self {
        GuidValue::from_u128(g.as_u128())
    }
}

impl From<GuidValue> for Guid {
    fn from(g: GuidValue) -> Self {
        // `GuidValue` prints `guid(8-4-4-4-12)`; the text between the parentheses is canonical.
        let text = g.to_string();
        let inner = text
            .strip_prefix("guid(")
            .and_then(|t| t.strip_suffix(')'))
            .unwrap_or(&text);
        inner.parse().unwrap_or(Guid::from_u128(0))
    }
}

/// A KQL type whose result cells decode into a Rust value.
pub trait CellType: KqlType {
    /// The Rust value of one cell.
    type Value;
    /// The schema type the service reports for such a column.
    fn column_type() -> ColumnType;
    /// Decodes one non-null cell.
    fn decode(value: &Value) -> Result<Self::Value, String>;
}

// Each type decodes through the API's decoding of its column type into `$via`, then
// converts to the builder's value.
macro_rules! cells {
    ($($kql:ident => $rust:ty, $col:ident via $via:ty;)*) => {$(
        impl CellType for ty::$kql {
            type Value = $rust;
            fn column_type() -> ColumnType { ColumnType::$col }
            fn decode(value: &Value) -> Result<$rust, String> {
                decode_value::<$via>(value, &ColumnType::$col).map(<$rust>::from)
            }
        }
    )*};
}
cells! {
    String => String, String via String;
    Long => i64, Int64 via i64;
    Int => i32, Int32 via i32;
    Real => f64, Double via f64;
    Bool => bool, Boolean via bool;
    Dynamic => Value, Dynamic via Value;
    DateTime => DateTimeValue, DateTime via UtcDateTime;
    Guid => GuidValue, Guid via Guid;
}

impl CellType for ty::TimeSpan {
    type Value = TimeSpanValue;
    fn column_type() -> ColumnType {
        ColumnType::TimeSpan
    }
    /// .NET `TimeSpan` text (`[-][d.]hh:mm:ss[.fffffff]`).
    fn decode(value: &Value) -> Result<TimeSpanValue, String> {
        let text: String = decode_value(value, &ColumnType::TimeSpan)?;
        let (negative, body) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text.as_str()),
        };
        let d = kql_hunting_api::parse_dotnet_timespan(body).map_err(|e| e.to_string())?;
        let ticks = i64::try_from(d.as_nanos() / 100).map_err(|_| "timespan too large")?;
        Ok(TimeSpanValue::from_ticks(if negative {
            -ticks
        } else {
            ticks
        }))
    }
}

/// One result row read through builder columns: `row.get(&P::FileSize)` is an `i64`.
#[derive(Debug, Clone, Copy)]
pub struct ResultRow<'a> {
    row: &'a Row,
    index: usize,
}

impl<'a> ResultRow<'a> {
    /// Row `index` of a result set (the index only labels errors).
    pub fn new(row: &'a Row, index: usize) -> Self {
        ResultRow { row, index }
    }

    /// The column's value: `None` when the cell is null or absent, an error naming the row,
    /// the column and its type when the value does not fit.
    pub fn get<T: CellType>(&self, column: &Column<T>) -> Result<Option<T::Value>, DecodeError> {
        match self.row.get(column.name()) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => T::decode(v).map(Some).map_err(|message| DecodeError {
                row: self.index,
                column: Some(column.name().to_owned()),
                expected: Some(T::column_type()),
                message,
            }),
        }
    }
}

/// The rows of a response (Defender's `QueryResponse` or Graph's `HuntingQueryResults`), for
/// typed access by builder columns.
pub trait TypedRows {
    /// The response's rows as sent.
    fn raw_rows(&self) -> &[Row];

    /// Each row, in order.
    fn typed_rows(&self) -> impl Iterator<Item = ResultRow<'_>> {
        self.raw_rows()
            .iter()
            .enumerate()
            .map(|(i, r)| ResultRow::new(r, i))
    }
}

impl TypedRows for kql_hunting_api::QueryResponse {
    fn raw_rows(&self) -> &[Row] {
        &self.results
    }
}

impl TypedRows for kql_hunting_api::HuntingQueryResults {
    fn raw_rows(&self) -> &[Row] {
        &self.results
    }
}
