use super::prelude::*;
use kql_semantic::fold::{format_datetime, TICKS_PER_DAY};

declare_rule! {
    /// Time range reaches past the retention window.
    ///
    /// ## What it does
    /// Finds the lower and upper bounds a query puts on a table's time column (`Timestamp`) —
    /// from `>`, `>=`, `<`, `<=` (either operand order), `==`, `between`, `in`, with `ago()`,
    /// `now()`, `datetime(...)`, `startof*()`, `datetime_add`, arithmetic and `let` constants —
    /// and reports when the lower bound is older than the retention window (30 days by default),
    /// or when the whole range lies before it. `and` keeps the tightest bound, `or` the loosest;
    /// every leg of `union`/`join`/`lookup` and every statement is checked.
    ///
    /// Windows follow the rows through user functions: a filter in a function's body folds its
    /// parameters to the call's arguments, or to their default values
    /// (`let f = (lookback: timespan = 45d) { … ago(lookback) }; f()`), for every call; a table
    /// passed to a tabular parameter, or piped into `invoke`, is bounded by the body's filters.
    /// A filter in a function's body whose window comes from the call (a parameter) is reported
    /// at each call in the query that reaches past the window (`f(90d)`), with the filter as a
    /// related location; a body filter with the same window in every call, at the filter.
    /// `union` with wildcards (`union Device*`, `union *`) and `search`/`find` without `in (…)`
    /// read every matching table: the filters after them bound each of those reads.
    ///
    /// ## Why is this bad?
    /// Advanced Hunting keeps 30 days of data. A query that asks for 45 days does not fail: it
    /// silently returns 30 days, and conclusions are drawn from incomplete data.
    ///
    /// ## Example
    /// ```kql
    /// DeviceProcessEvents | where Timestamp > ago(45d)
    /// ```
    ///
    /// ## Use instead
    /// ```kql
    /// DeviceProcessEvents | where Timestamp > ago(30d)
    /// ```
    /// (or query Microsoft Sentinel / a data lake for longer history).
    ///
    /// A bound less than one day past the window is not reported: day-rounding
    /// (`startofday(ago(30d))`, `bin(Timestamp, 1d)`) reaches up to a day further back, and the
    /// result must not depend on the time of day `--now` falls on. One day or more is reported
    /// (`ago(31d)`).
    ///
    /// ## Fix safety
    /// No fix: narrowing the range changes the question.
    ///
    /// ## Options
    /// `[limits] retention-days`, `--now`, `--timespan` (the request window narrows the range
    /// like a filter and is itself reported when it reaches past retention).
    pub struct TimeBeyondRetention { code: "AH001", name: "time-beyond-retention", category: Correctness, severity: Warning, fix: None, weight: 2 }
}

fn days(ticks: i64) -> String {
    let d = format!("{:.1}", ticks as f64 / TICKS_PER_DAY as f64);
    d.strip_suffix(".0").map(str::to_string).unwrap_or(d)
}

/// Whether `t` lies one day or more before `start` (the retention window's start). Less than a
/// day past the window is rounding (`startofday(ago(30d))`, `bin(Timestamp, 1d)`) and is not
/// reported, whatever the time of day `--now` falls on.
fn past_retention(t: i64, start: i64) -> bool {
    t <= start.saturating_sub(TICKS_PER_DAY)
}

/// Whether the semantic checker already reports something inside `range` (a filter on a column
/// the table does not have, such as `TimeGenerated` on a Defender table): that one diagnostic is
/// enough.
fn names_unknown_column(cx: &Checker, range: TextRange) -> bool {
    cx.model()
        .diagnostics()
        .iter()
        .any(|d| range.contains_range(d.range))
}

pub fn check(cx: &Checker) -> Vec<Diagnostic> {
    let start = cx.settings.retention_start();
    let window = cx.settings.retention_days;
    // One finding per filter and call: the call in the query a filter in a function's body ran
    // in (`None` for a filter in the query itself); a filter reached from one call along
    // several paths reports the widest (the oldest start; for a range wholly before retention,
    // the latest end).
    let mut ends: Vec<(Place, i64)> = Vec::new();
    let mut starts: Vec<(Place, i64)> = Vec::new();
    for (_, _, paths) in time_reads(cx) {
        for p in paths.iter() {
            if let Bound::At(hi, Some(range)) = p.window.hi {
                if past_retention(hi, start) {
                    keep(&mut ends, (range, p.hi_call), hi, |new, old| new > old);
                    continue;
                }
            }
            if let Bound::At(lo, Some(range)) = p.window.lo {
                if past_retention(lo, start) && !names_unknown_column(cx, range) {
                    keep(&mut starts, (range, p.lo_call), lo, |new, old| new < old);
                }
            }
        }
    }
    // Ranges that end before the window first, then starts reaching past it; each finding says
    // how far back, in days and as a date.
    let keeps = format!("Advanced Hunting keeps only the last {window} days of data");
    let ended = ends.into_iter().map(|(range, t)| (range, t, true));
    let reached = starts.into_iter().map(|(range, t)| (range, t, false));
    ended
        .chain(reached)
        .map(|((range, call), t, whole_range)| {
            let (ago, date) = (days(cx.settings.now - t), format_datetime(t));
            let (msg, help) = if whole_range {
                (
                    format!("the whole time range ends {ago} days ago ({date}), before the {window}-day retention window: the query returns no rows"),
                    keeps.clone(),
                )
            } else {
                (
                    format!("time filter reaches back {ago} days (to {date}), past the {window}-day retention window: older rows are silently missing"),
                    format!("{keeps}; narrow the range to {window} days"),
                )
            };
            match call {
                // At the call that gives the window, with the body's filter as the related place.
                Some(call) => cx
                    .report(msg, call)
                    .with_help(help)
                    .with_label(range, "the filter in the function's body this call reaches back with"),
                None => cx.report(msg, range).with_help(help),
            }
        })
        .collect()
}

/// A filter and the call in the query it ran in (`None`: in the query itself).
type Place = (TextRange, Option<TextRange>);

/// Records `t` for `place`, or replaces the one recorded when `better(t, old)`.
fn keep(found: &mut Vec<(Place, i64)>, place: Place, t: i64, better: fn(i64, i64) -> bool) {
    match found.iter_mut().find(|(p, _)| *p == place) {
        Some((_, old)) if better(t, *old) => *old = t,
        Some(_) => {}
        None => found.push((place, t)),
    }
}

/// `--timespan` itself reaching past retention (reported at the start of the file).
pub fn check_timespan(cx: &Checker) -> Vec<Diagnostic> {
    let Some((s, _, text)) = &cx.settings.timespan else {
        return Vec::new();
    };
    if !past_retention(*s, cx.settings.retention_start()) {
        return Vec::new();
    }
    vec![cx
        .report(
            format!(
                "request timespan `{text}` reaches back {} days, past the {}-day retention window",
                days(cx.settings.now - s),
                cx.settings.retention_days
            ),
            TextRange::empty(0.into()),
        )
        .with_rule("time-beyond-retention")]
}
