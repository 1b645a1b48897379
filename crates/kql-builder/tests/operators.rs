//! Every operator Advanced Hunting users write: exact text, kqlkit's parser, and Microsoft's
//! parser (one oracle run over all of them).

mod support;

use kql_builder::functions as f;
use kql_builder::tables::{
    DeviceFileEvents as F, DeviceInfo as I, DeviceNetworkEvents as N, DeviceProcessEvents as P,
    FileProfile,
};
use kql_builder::types as ty;
use kql_builder::*;

fn cases() -> Vec<(&'static str, Query, &'static str)> {
    let tags = Column::<ty::Dynamic>::new("Tags");
    let tag = Column::<ty::String>::new("Tags");
    let ip = Column::<ty::String>::new("IP");
    let score = Column::<ty::Long>::new("Score");
    let user = Column::<ty::String>::new("user");
    let port = Column::<ty::Long>::new("port");
    let props = Column::<ty::Dynamic>::new("Props");
    let mut lets = Lets::new();
    let recent = lets.tabular(
        "recent",
        materialize(P::query().where_(P::Timestamp.gt(ago(hours(1))))),
    );
    vec![
        (
            "make-series",
            N::query().make_series(
                MakeSeries::new((count().as_("Connections"), dcount(N::RemoteIP).as_("Ips")))
                    .default_value(0)
                    .on(&N::Timestamp)
                    .range(ago(days(7)), now(), hours(1))
                    .by(N::DeviceId),
            ),
            "DeviceNetworkEvents\n| make-series Connections = count() default=0, Ips = dcount(RemoteIP) default=0 on Timestamp from ago(7d) to now() step 1h by DeviceId",
        ),
        (
            "make-series step only",
            N::query().make_series(MakeSeries::new(count()).on(&N::Timestamp).step(days(1))),
            "DeviceNetworkEvents\n| make-series count() on Timestamp step 1d",
        ),
        (
            "mv-expand options",
            Query::table("T").mv_expand_with(
                MvExpand::new()
                    .column_to::<ty::String>(&tags)
                    .column(Column::<ty::Dynamic>::new("Other"))
                    .with_itemindex("Index")
                    .bagexpansion(BagExpansion::Bag)
                    .limit(100),
            ),
            "T\n| mv-expand bagexpansion=bag with_itemindex=Index Tags to typeof(string), Other limit 100",
        ),
        (
            "mv-apply",
            Query::table("T").mv_apply::<ty::String>(
                &tags,
                Query::pipe().where_(tag.startswith("adm")).take(1),
            ),
            "T\n| mv-apply Tags to typeof(string) on (where Tags startswith \"adm\" | take 1)",
        ),
        (
            "datatable",
            Query::datatable((&ip, &score), [("10.0.0.1", 5i64), ("10.0.0.2", 9)])
                .where_(score.gt(6)),
            "datatable(IP:string, Score:long) [\"10.0.0.1\", 5, \"10.0.0.2\", 9]\n| where Score > 6",
        ),
        (
            "project-keep and project-reorder",
            P::query().project_keep((P::Timestamp, P::FileName)).project_reorder(P::FileName),
            "DeviceProcessEvents\n| project-keep Timestamp, FileName\n| project-reorder FileName",
        ),
        (
            "sample and sample-distinct",
            P::query().sample(10).sample_distinct(5, P::DeviceName),
            "DeviceProcessEvents\n| sample 10\n| sample-distinct 5 of DeviceName",
        ),
        (
            "top-nested",
            P::query().top_nested([
                TopNested::new(3, P::DeviceName, count().as_("Events")),
                TopNested::new(2, P::FileName, count()).with_others("other"),
                TopNested::all(P::AccountName, max(P::Timestamp)).asc(),
            ]),
            "DeviceProcessEvents\n| top-nested 3 of DeviceName by Events = count(), top-nested 2 of FileName with others = \"other\" by count(), top-nested of AccountName by max(Timestamp) asc",
        ),
        (
            "invoke FileProfile",
            F::query()
                .where_(F::Timestamp.gt(ago(days(1))))
                .project((F::Timestamp, F::FileName, F::SHA256))
                .invoke_file_profile(&F::SHA256, 1000)
                .where_(FileProfile::GlobalPrevalence.lt(5)),
            "DeviceFileEvents\n| where Timestamp > ago(1d)\n| project Timestamp, FileName, SHA256\n| invoke FileProfile(SHA256, 1000)\n| where GlobalPrevalence < 5",
        ),
        (
            "DeviceFromIP",
            Query::device_from_ip("10.1.2.3", ago(hours(2))),
            "DeviceFromIP(\"10.1.2.3\", ago(2h))",
        ),
        (
            "AssignedIPAddresses",
            Query::assigned_ip_addresses("host.contoso.com", now()).take(5),
            "AssignedIPAddresses(\"host.contoso.com\", now())\n| take 5",
        ),
        (
            "bag_unpack",
            Query::table("T").bag_unpack(&props, Some("p_")),
            "T\n| evaluate bag_unpack(Props, \"p_\")",
        ),
        (
            "pivot",
            P::query().project((P::DeviceName, P::FileName)).pivot(P::FileName, Some(count().into()), P::DeviceName),
            "DeviceProcessEvents\n| project DeviceName, FileName\n| evaluate pivot(FileName, count(), DeviceName)",
        ),
        (
            "parse, parse-where",
            P::query()
                .parse(P::ProcessCommandLine, ParsePattern::new().any().text("-p ").column(&port))
                .parse_where(P::ProcessCommandLine, ParsePattern::new().text("user=").column(&user).any()),
            "DeviceProcessEvents\n| parse ProcessCommandLine with * \"-p \" port:long\n| parse-where ProcessCommandLine with \"user=\" user:string *",
        ),
        (
            "parse-kv",
            P::query().parse_kv(P::ProcessCommandLine, (&user, &port), " ", "="),
            "DeviceProcessEvents\n| parse-kv ProcessCommandLine as (user:string, port:long) with (pair_delimiter=\" \", kv_delimiter=\"=\")",
        ),
        (
            "union of typed tables",
            Query::union_of_with_source("Table", [
                P::query().project((P::Timestamp, P::DeviceId)),
                F::query().project((F::Timestamp, F::DeviceId)),
                N::query(),
            ]),
            "union withsource=Table (DeviceProcessEvents | project Timestamp, DeviceId), (DeviceFileEvents | project Timestamp, DeviceId), DeviceNetworkEvents",
        ),
        (
            "as, materialize, toscalar",
            recent
                .clone()
                .as_("R")
                .where_(P::Timestamp.gt(toscalar(recent.clone().summarize(max(P::Timestamp).as_("T")).as_column(&P::Timestamp)) - minutes(5))),
            "let recent = materialize(DeviceProcessEvents | where Timestamp > ago(1h));\nrecent\n| as R\n| where Timestamp > toscalar(recent | summarize T = max(Timestamp)) - 5m",
        ),
        (
            "in subquery and let array",
            {
                let mut lets = Lets::new();
                let iocs = lets.array("iocs", ["1.2.3.4", "5.6.7.8"]);
                N::query()
                    .where_(N::RemoteIP.in_(&iocs))
                    .where_(N::DeviceId.in_(I::query().where_(I::OSPlatform.eq("Windows10")).select(&I::DeviceId)))
                    .extend(Column::<ty::Bool>::new("Private").set(f::ipv4_is_private(N::RemoteIP)))
            },
            "let iocs = dynamic([\"1.2.3.4\",\"5.6.7.8\"]);\nDeviceNetworkEvents\n| where RemoteIP in (iocs)\n| where DeviceId in (DeviceInfo | where OSPlatform == \"Windows10\" | project DeviceId)\n| extend Private = ipv4_is_private(RemoteIP)",
        ),
    ]
}

#[test]
fn operators_emit_exact_text() {
    for (label, q, expected) in cases() {
        let text = q.to_kql();
        assert_eq!(text, expected, "{label}");
        let parse = kql_syntax::parse(&text);
        assert!(
            !parse.has_errors(),
            "{label}: {text}\n{:#?}",
            parse.diagnostics()
        );
    }
}

#[test]
fn microsoft_parser_accepts_every_operator() {
    let texts: Vec<(String, String)> = cases()
        .into_iter()
        .map(|(label, q, _)| (label.to_owned(), q.to_kql()))
        .collect();
    support::oracle::assert_microsoft_parses(&texts);
}
