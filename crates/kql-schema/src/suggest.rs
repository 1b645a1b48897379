//! "Did you mean" support: the closest known name by edit distance, ignoring case.

/// Returns the candidate closest to `name` by Levenshtein distance over lowercased characters, or
/// `None` when nothing is close enough to be a plausible typo.
///
/// Case is ignored when measuring because the commonest KQL mistake is the wrong case
/// (`tostring` vs `ToString`, `deviceevents`): such a candidate scores 0 and always wins. An exact
/// (case-sensitive) match is not a suggestion and is skipped. The limit is a third of the longer
/// name's length (at least 1, at most 4), so short names only suggest near-identical ones.
pub fn suggest<'a, I>(name: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let mut target: Vec<char> = Vec::new();
    lowercase_into(name, &mut target);
    let target_hist = histogram(&target);
    let mut best: Option<(usize, &'a str)> = None;
    // Buffers reused across candidates: this runs for every unknown name, over every table,
    // column or function, so it must not allocate per candidate.
    let mut c: Vec<char> = Vec::new();
    let mut rows = (Vec::new(), Vec::new());
    for cand in candidates {
        if cand == name {
            continue;
        }
        // Cheap length check first: most candidates are ruled out without lowercasing them.
        let cand_len = if cand.is_ascii() {
            cand.len()
        } else {
            cand.chars().count()
        };
        let rough_limit = (target.len().max(cand_len) / 3).clamp(1, 4);
        if target.len().abs_diff(cand_len) > rough_limit + 1 {
            continue;
        }
        lowercase_into(cand, &mut c);
        let limit = (target.len().max(c.len()) / 3).clamp(1, 4);
        if target.len().abs_diff(c.len()) > limit {
            continue;
        }
        // A worse distance than the best so far can never win: search only up to it.
        let limit = best.map_or(limit, |(bd, _)| limit.min(bd));
        if bag_distance(target_hist, target.len(), &c) > limit {
            continue;
        }
        let d = levenshtein_with(&target, &c, limit, &mut rows);
        if d <= limit && best.is_none_or(|(bd, bc)| d < bd || (d == bd && cand < bc)) {
            best = Some((d, cand));
        }
    }
    best.map(|(_, c)| c)
}

/// `s` lowercased into `out` as characters (fast path for ASCII).
fn lowercase_into(s: &str, out: &mut Vec<char>) {
    out.clear();
    if s.is_ascii() {
        out.extend(s.bytes().map(|b| char::from(b.to_ascii_lowercase())));
    } else {
        out.extend(s.chars().flat_map(char::to_lowercase));
    }
}

const BUCKETS: usize = 64;

/// Character counts, bucketed (different characters may share a bucket).
fn histogram(s: &[char]) -> [i32; BUCKETS] {
    let mut h = [0; BUCKETS];
    for &ch in s {
        h[ch as usize % BUCKETS] += 1;
    }
    h
}

/// A cheap lower bound of the Levenshtein distance (the bag distance: characters one side has
/// and the other lacks), to rule out most candidates without the quadratic computation.
/// Bucketing characters only lowers it, so it stays a lower bound.
fn bag_distance(mut hist: [i32; BUCKETS], a_len: usize, b: &[char]) -> usize {
    // Count `b`'s characters that find no match in `a` as they are taken out; the unmatched
    // rest of `a` then follows from the lengths, with no pass over every bucket.
    let mut missing = 0usize;
    for &ch in b {
        let slot = &mut hist[ch as usize % BUCKETS];
        *slot -= 1;
        if *slot < 0 {
            missing += 1;
        }
    }
    let extra = a_len - (b.len() - missing);
    extra.max(missing)
}

/// Two-row Levenshtein distance; stops early (returning more than `limit`) once every entry of
/// a row exceeds `limit`, since the distance can only grow from there.
#[cfg(test)]
fn levenshtein(a: &[char], b: &[char], limit: usize) -> usize {
    levenshtein_with(a, b, limit, &mut (Vec::new(), Vec::new()))
}

/// [`levenshtein`] with caller-provided row buffers.
fn levenshtein_with(
    a: &[char],
    b: &[char],
    limit: usize,
    (prev, cur): &mut (Vec<usize>, Vec<usize>),
) -> usize {
    prev.clear();
    prev.extend(0..=b.len());
    cur.clear();
    cur.resize(b.len() + 1, 0);
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        let mut row_min = cur[0];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            let d = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
            cur[j + 1] = d;
            row_min = row_min.min(d);
        }
        std::mem::swap(prev, cur);
        if row_min > limit {
            return limit + 1;
        }
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance() {
        let d = |a: &str, b: &str| {
            levenshtein(
                &a.chars().collect::<Vec<_>>(),
                &b.chars().collect::<Vec<_>>(),
                100,
            )
        };
        assert_eq!(d("kitten", "sitting"), 3);
        assert_eq!(d("", "abc"), 3);
        assert_eq!(d("abc", "abc"), 0);
        // Past the limit the exact distance does not matter, only that it is over.
        let far = levenshtein(&['a'; 10], &['b'; 10], 2);
        assert!(far > 2);
    }

    #[test]
    fn prefers_case_only_difference() {
        let c = ["DeviceEvents", "DeviceEvent", "DeviceInfo"];
        assert_eq!(suggest("deviceevents", c), Some("DeviceEvents"));
    }

    #[test]
    fn finds_typos_and_rejects_far_names() {
        let c = ["DeviceProcessEvents", "DeviceFileEvents", "EmailEvents"];
        assert_eq!(
            suggest("DeviceProcesEvents", c),
            Some("DeviceProcessEvents")
        );
        assert_eq!(suggest("Foo", c), None);
        assert_eq!(
            suggest("DeviceProcessEvents", c),
            None,
            "exact match is no suggestion"
        );
    }
}
