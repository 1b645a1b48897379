//! Device enrichment by subquery: outbound connections from internet-facing Windows devices
//! (chosen by a `DeviceInfo` subquery inside `in`), with each device's OS and exposure looked
//! up from its latest `DeviceInfo` row. Prints the query and the Graph request body.
//!
//! `cargo run -p kql-builder --example device_enrichment`

mod common;

use kql_builder::functions as f;
use kql_builder::tables::{DeviceInfo as I, DeviceNetworkEvents as N};
use kql_builder::{ago, arg_max, days, hours, JoinKind, Query};

/// The hunting query.
pub fn build() -> Query {
    let exposed = I::query()
        .where_(I::Timestamp.gt(ago(days(1))))
        .where_(I::IsInternetFacing.eq(true))
        .where_(I::OSPlatform.startswith("Windows"))
        .distinct(I::DeviceId)
        .as_column(&I::DeviceId);
    let latest_info = I::query()
        .where_(I::Timestamp.gt(ago(days(1))))
        .summarize_by(
            arg_max(I::Timestamp, (I::OSPlatform, I::ExposureLevel)),
            I::DeviceId,
        );
    N::query()
        .where_(N::Timestamp.gt(ago(hours(24))))
        .where_(N::DeviceId.in_(exposed))
        .where_(N::RemoteIPType.eq("Public"))
        .where_(f::ipv4_is_private(N::RemoteIP).not())
        .summarize_by(
            (
                kql_builder::dcount(N::RemoteIP).as_("RemoteIPs"),
                kql_builder::count().as_("Connections"),
            ),
            N::DeviceId,
        )
        .join(JoinKind::LeftOuter, latest_info, N::DeviceId)
        .project_away("DeviceId1")
        .order_by(kql_builder::Column::<kql_builder::types::Long>::new("RemoteIPs").desc())
        .take(100)
}

/// The Graph request window: the last day.
pub const WINDOW: &str = "P1D";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    common::print_with_graph_body(&build(), WINDOW)
}
