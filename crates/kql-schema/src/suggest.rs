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
    let target: Vec<char> = name.chars().flat_map(char::to_lowercase).collect();
    let mut best: Option<(usize, &'a str)> = None;
    let mut c: Vec<char> = Vec::new();
    for cand in candidates {
        if cand == name {
            continue;
        }
        // Cheap length check first: most candidates are ruled out without lowercasing them.
        let cand_len = cand.chars().count();
        let rough_limit = (target.len().max(cand_len) / 3).clamp(1, 4);
        if target.len().abs_diff(cand_len) > rough_limit + 1 {
            continue;
        }
        c.clear();
        c.extend(cand.chars().flat_map(char::to_lowercase));
        let limit = (target.len().max(c.len()) / 3).clamp(1, 4);
        if target.len().abs_diff(c.len()) > limit {
            continue;
        }
        let d = levenshtein(&target, &c, limit);
        if d <= limit && best.is_none_or(|(bd, bc)| d < bd || (d == bd && cand < bc)) {
            best = Some((d, cand));
        }
    }
    best.map(|(_, c)| c)
}

/// Two-row Levenshtein distance; stops early (returning more than `limit`) once every entry of
/// a row exceeds `limit`, since the distance can only grow from there.
fn levenshtein(a: &[char], b: &[char], limit: usize) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
        if prev.iter().all(|&d| d > limit) {
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
