//! The offset map from query bytes to host bytes: a sorted list of segments, each either verbatim
//! (query bytes are host bytes, one for one) or produced (an escape sequence, a CRLF, a folded line
//! break: all its query bytes map to the start of its host bytes, and a range ending inside it
//! covers the whole host sequence).

use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Seg {
    /// Query offset where the segment starts.
    q: usize,
    /// Host offset where its source bytes start.
    h: usize,
    /// Host length of its source bytes.
    h_len: usize,
    /// Query bytes equal host bytes one for one (then the query length is `h_len`).
    verbatim: bool,
}

/// Query offsets → host offsets. Built in query order by [`MapBuilder`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OffsetMap {
    segs: Vec<Seg>,
    /// Query length.
    len: usize,
    /// Host offset for the query's end offset.
    end: usize,
}

impl OffsetMap {
    /// A query that is `len` host bytes from `start` unchanged.
    pub(crate) fn identity(start: usize, len: usize) -> OffsetMap {
        let mut b = MapBuilder::new(start);
        b.verbatim(start, len);
        b.finish(start + len)
    }

    pub(crate) fn to_host(&self, q: usize) -> usize {
        if q >= self.len {
            return self.end;
        }
        let seg = self.seg_at(q);
        if seg.verbatim {
            seg.h + (q - seg.q)
        } else {
            seg.h
        }
    }

    pub(crate) fn range_to_host(&self, r: Range<usize>) -> Range<usize> {
        let start = self.to_host(r.start);
        if r.end <= r.start || r.start >= self.len {
            return start..start;
        }
        let end = r.end.min(self.len);
        let seg = self.seg_at(end - 1);
        let host_end = if seg.verbatim {
            seg.h + (end - seg.q)
        } else {
            seg.h + seg.h_len
        };
        start..host_end
    }

    fn seg_at(&self, q: usize) -> Seg {
        let i = self.segs.partition_point(|s| s.q <= q);
        self.segs[i - 1]
    }
}

/// Builds an [`OffsetMap`] segment by segment, in query order.
#[derive(Debug)]
pub(crate) struct MapBuilder {
    segs: Vec<Seg>,
    q: usize,
    start: usize,
}

impl MapBuilder {
    /// `start`: the host offset an empty query maps to.
    pub(crate) fn new(start: usize) -> MapBuilder {
        MapBuilder {
            segs: Vec::new(),
            q: 0,
            start,
        }
    }

    /// `len` query bytes copied from host offset `h`.
    pub(crate) fn verbatim(&mut self, h: usize, len: usize) {
        if len == 0 {
            return;
        }
        if let Some(last) = self.segs.last_mut() {
            if last.verbatim && last.h + last.h_len == h {
                last.h_len += len;
                self.q += len;
                return;
            }
        }
        self.segs.push(Seg {
            q: self.q,
            h,
            h_len: len,
            verbatim: true,
        });
        self.q += len;
    }

    /// `q_len` query bytes produced by host bytes `host` (an escape, a CRLF, a fold).
    pub(crate) fn produced(&mut self, q_len: usize, host: Range<usize>) {
        if q_len == 0 {
            return;
        }
        self.segs.push(Seg {
            q: self.q,
            h: host.start,
            h_len: host.end - host.start,
            verbatim: false,
        });
        self.q += q_len;
    }

    /// The map; `end` is the host offset of the query's end.
    pub(crate) fn finish(self, end: usize) -> OffsetMap {
        let end = if self.segs.is_empty() {
            self.start.max(end)
        } else {
            end
        };
        OffsetMap {
            segs: self.segs,
            len: self.q,
            end,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verbatim_and_produced_segments() {
        // host: `"a\nb"` at 10: a(11) \n(12..14) b(14)
        let mut b = MapBuilder::new(11);
        b.verbatim(11, 1);
        b.produced(1, 12..14);
        b.verbatim(14, 1);
        let m = b.finish(15);
        assert_eq!(m.to_host(0), 11);
        assert_eq!(m.to_host(1), 12);
        assert_eq!(m.to_host(2), 14);
        assert_eq!(m.to_host(3), 15);
        assert_eq!(m.range_to_host(1..2), 12..14);
        assert_eq!(m.range_to_host(0..3), 11..15);
        assert_eq!(m.range_to_host(2..2), 14..14);
    }

    #[test]
    fn empty_query_maps_to_start() {
        let m = MapBuilder::new(7).finish(7);
        assert_eq!(m.to_host(0), 7);
        assert_eq!(m.range_to_host(0..0), 7..7);
    }
}
