//! The cost score of a file (`kql lint --max-cost N`): a rough, explainable estimate of how much
//! of the Advanced Hunting quota a query spends, in the spirit of kql-guard's score.
//!
//! Each rule declares a `weight` in its header (`declare_rule!`): what one finding adds. Rules
//! that are not about cost (meta, suspicious, and correctness rules whose queries fail or
//! mislead rather than run long) weigh 0. A file's score is the sum over the findings it
//! reports, so whatever `select`/`ignore`, inline suppressions or a baseline hide does not
//! count.
//!
//! A full read of a big table costs more than one of a small table. When the schema has sizes
//! for the table a full-read finding points at (`.show tables details` output, see
//! [`kql_schema::TableStats`]), that finding's weight is multiplied by [`size_factor`]:
//! `max(1, floor(log10(rows)) - 5)`, so up to 9,999,999 rows ×1, 10 million ×2, 100 million ×3,
//! a billion ×4. Without a row count the data size stands in, at about 1 KB a row
//! (`max(1, floor(log10(bytes)) - 8)`: 10 GB ×2). Tables without sizes count ×1. The full-read
//! findings are [`SCALED`]'s: a read with no time filter and a result with no row bound; their
//! findings point at the table read (a `union` wildcard counts every table it matches).

use kql_diagnostics::Diagnostic;
use kql_schema::{Schema, TableStats};

use crate::registry;

/// The rules whose finding is a full read of the table it points at.
pub const SCALED: &[&str] = &["missing-time-filter", "unbounded-result"];

/// What one finding adds to its file's score.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindingCost {
    /// The rule's weight times `factor`.
    pub points: u64,
    /// The table-size factor (1 unless the finding is a full read of a table with sizes).
    pub factor: u64,
    /// The table whose size scaled the weight.
    pub table: Option<String>,
}

/// The score of one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileCost {
    pub score: u64,
    /// Points per rule name, for findings that weigh anything: most points first, then in
    /// code order.
    pub by_rule: Vec<(&'static str, u64)>,
}

/// The cost of one finding in `text` (the text its range points into): 0 for findings of no
/// rule (syntax, semantic) and of rules that weigh 0.
pub fn finding_cost(d: &Diagnostic, text: &str, schema: &Schema) -> FindingCost {
    let weight = d
        .rule
        .as_deref()
        .and_then(registry::by_name)
        .map_or(0, |r| u64::from(r.weight));
    let mut cost = FindingCost {
        points: weight,
        factor: 1,
        table: None,
    };
    if weight == 0 || !d.rule.as_deref().is_some_and(|r| SCALED.contains(&r)) {
        return cost;
    }
    let Some(name) = text.get(d.range.start().into()..d.range.end().into()) else {
        return cost;
    };
    let name = name.trim();
    if let Some(stats) = table_size(schema, name) {
        cost.factor = size_factor(&stats);
        cost.points = weight * cost.factor;
        cost.table = Some(name.to_string());
    }
    cost
}

/// The score of a file from the findings it reports.
pub fn file_cost(diagnostics: &[Diagnostic], text: &str, schema: &Schema) -> FileCost {
    let mut out = FileCost::default();
    for d in diagnostics {
        let points = finding_cost(d, text, schema).points;
        if points == 0 {
            continue;
        }
        out.score += points;
        let rule = registry::by_name(d.rule.as_deref().unwrap_or_default()).map(|r| r.name);
        if let Some(rule) = rule {
            match out.by_rule.iter_mut().find(|(n, _)| *n == rule) {
                Some(entry) => entry.1 += points,
                None => out.by_rule.push((rule, points)),
            }
        }
    }
    let order = |n: &str| registry::RULES.iter().position(|r| r.name == n);
    out.by_rule
        .sort_by_key(|(n, points)| (std::cmp::Reverse(*points), order(n)));
    out
}

/// The multiplier for a full read of a table this big (at least 1).
pub fn size_factor(stats: &TableStats) -> u64 {
    let (value, small) = match (
        stats.row_count,
        stats.original_size_bytes,
        stats.extent_size_bytes,
    ) {
        (Some(rows), ..) => (rows, 5),
        (None, Some(bytes), _) | (None, None, Some(bytes)) => (bytes, 8),
        (None, None, None) => return 1,
    };
    u64::from(
        value
            .checked_ilog10()
            .unwrap_or(0)
            .saturating_sub(small)
            .max(1),
    )
}

/// The sizes of table `name`, or the summed sizes of the tables a `*` pattern matches
/// (`Device*`); `None` when the schema has no sizes for it.
fn table_size(schema: &Schema, name: &str) -> Option<TableStats> {
    if !name.contains('*') {
        return schema.table_stats(name).copied();
    }
    let add = |a: Option<u64>, b: Option<u64>| match (a, b) {
        (Some(a), Some(b)) => Some(a.saturating_add(b)),
        (a, b) => a.or(b),
    };
    schema
        .table_stats
        .iter()
        .filter(|(table, _)| glob(name, table))
        .map(|(_, s)| *s)
        .reduce(|a, b| TableStats {
            row_count: add(a.row_count, b.row_count),
            extent_size_bytes: add(a.extent_size_bytes, b.extent_size_bytes),
            original_size_bytes: add(a.original_size_bytes, b.original_size_bytes),
        })
}

/// Whether `text` matches `pattern`, where `*` stands for any run of characters.
fn glob(pattern: &str, text: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or_default();
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    for (i, part) in parts.iter().enumerate() {
        if i + 1 == parts.len() {
            return rest.ends_with(part);
        }
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(n: u64) -> TableStats {
        TableStats {
            row_count: Some(n),
            ..TableStats::default()
        }
    }

    #[test]
    fn size_factor_grows_with_log10_of_rows_then_bytes() {
        assert_eq!(size_factor(&TableStats::default()), 1);
        assert_eq!(size_factor(&rows(0)), 1);
        assert_eq!(size_factor(&rows(9_999_999)), 1);
        assert_eq!(size_factor(&rows(10_000_000)), 2);
        assert_eq!(size_factor(&rows(250_000_000)), 3);
        assert_eq!(size_factor(&rows(1_000_000_000)), 4);
        let bytes = TableStats {
            original_size_bytes: Some(20_000_000_000),
            extent_size_bytes: Some(1),
            ..TableStats::default()
        };
        assert_eq!(size_factor(&bytes), 2);
        let extent = TableStats {
            extent_size_bytes: Some(1_000_000_000_000),
            ..TableStats::default()
        };
        assert_eq!(size_factor(&extent), 4);
    }

    #[test]
    fn glob_matches_star_patterns() {
        assert!(glob("Device*", "DeviceEvents"));
        assert!(glob("*Events", "DeviceEvents"));
        assert!(glob("D*ce*s", "DeviceEvents"));
        assert!(glob("*", "X"));
        assert!(!glob("Device*", "EmailEvents"));
        assert!(!glob("*Logon", "DeviceLogonEvents"));
    }

    #[test]
    fn full_reads_of_big_tables_weigh_more_and_other_findings_do_not() {
        let mut schema = Schema::default();
        schema.table_stats.insert("Big".into(), rows(3_000_000_000));
        schema
            .table_stats
            .insert("Bigger".into(), rows(40_000_000_000));
        let text = "Big | union Big* | sort by X";
        let at = |s: usize, e: usize, rule: &str| {
            Diagnostic::warning(
                "AH",
                "m",
                kql_diagnostics::TextRange::new((s as u32).into(), (e as u32).into()),
            )
            .with_rule(rule)
        };
        let read = finding_cost(&at(0, 3, "missing-time-filter"), text, &schema);
        assert_eq!((read.factor, read.points), (4, 20));
        assert_eq!(read.table.as_deref(), Some("Big"));
        // `Big*` reads both tables: 43 billion rows.
        let union = finding_cost(&at(12, 16, "unbounded-result"), text, &schema);
        assert_eq!((union.factor, union.points), (5, 15));
        // A rule that is not a full read is not scaled; a rule of weight 0 stays 0.
        assert_eq!(
            finding_cost(&at(0, 3, "unbounded-sort"), text, &schema).points,
            3
        );
        assert_eq!(
            finding_cost(&at(0, 3, "join-without-kind"), text, &schema).points,
            0
        );
        let file = file_cost(
            &[
                at(0, 3, "missing-time-filter"),
                at(19, 23, "unbounded-sort"),
                at(0, 3, "missing-time-filter"),
            ],
            text,
            &schema,
        );
        assert_eq!(file.score, 43);
        assert_eq!(
            file.by_rule,
            vec![("missing-time-filter", 40), ("unbounded-sort", 3)]
        );
    }
}
