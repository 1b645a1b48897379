//! Make-series anomaly hunt: hourly outbound connection counts per device over a week, and
//! the hours Kusto's `series_decompose_anomalies` flags. Prints the query and the Graph body.
//!
//! `cargo run -p kql-builder --example anomaly_hunt`

mod common;

use kql_builder::functions as f;
use kql_builder::tables::DeviceNetworkEvents as N;
use kql_builder::types as ty;
use kql_builder::{ago, count, days, hours, now, Column, MakeSeries, MvExpand, Query};

/// The hunting query.
pub fn build() -> Query {
    let connections = Column::<ty::Dynamic>::new("Connections");
    let anomalies = Column::<ty::Dynamic>::new("Anomalies");
    let flag = Column::<ty::Long>::new("Anomalies");
    let count_at = Column::<ty::Long>::new("Connections");
    let hour = Column::<ty::DateTime>::new("Timestamp");
    N::query()
        .where_(N::Timestamp.gt(ago(days(7))))
        .where_(N::ActionType.eq("ConnectionSuccess"))
        .make_series(
            MakeSeries::new(count().as_(connections.name()))
                .default_value(0)
                .on(&N::Timestamp)
                .range(ago(days(7)), now(), hours(1))
                .by(N::DeviceId),
        )
        .extend(anomalies.set(f::series_decompose_anomalies(&connections)))
        .mv_expand_with(
            MvExpand::new()
                .column_to::<ty::DateTime>(N::Timestamp)
                .column_to::<ty::Long>(&connections)
                .column_to::<ty::Long>(&anomalies),
        )
        .where_(flag.gt(0))
        .project((hour, N::DeviceId, count_at))
        .order_by(N::Timestamp.desc())
        .take(500)
}

/// The Graph request window: the same week the query reads.
pub const WINDOW: &str = "P7D";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    common::print_with_graph_body(&build(), WINDOW)
}
