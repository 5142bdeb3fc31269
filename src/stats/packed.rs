//! Compact records of what a [`Distribution`](super::Distribution) has
//! counted: its moments and its sketch's counts in one allocation of a few
//! hundred bytes, instead of three exact sums and a dense sketch of
//! several KiB.
//!
//! A record reads out exactly as the dense [`Sketch`] and the
//! [`ExactSum`]s with the same counts and sums would (the same integer
//! counts per bucket, the same exact sums), and is written to a state file
//! in their form, so the compact layout changes no result and no byte of a
//! state file. It comes in two kinds:
//!
//! - A **chunk** record holds the values of one chunk as `add_chunk`
//!   computes them: the number of values, of zeros and of NaN, the exact
//!   range, the chunk's mean and sum of squared deviations (`n·m`,
//!   `n·m²` and `M2` are formed only when the chunk is merged, as they
//!   were), and per store the non-empty buckets as a byte stream: one byte
//!   per bucket, four bits of gap since the previous one and four of
//!   count, with varint escapes for gaps above 14 and counts above 15. It
//!   is what a worker's summary of its current chunk holds: written once,
//!   read once when the chunk is added to the run's.
//! - A **merged** record holds any number of chunks: the counts and the
//!   range, the partials of the three exact sums, and per store its counts
//!   in segments, runs of buckets without [`SPLIT`] empty ones in a row,
//!   each one, two or four bytes a bucket as its largest count needs.
//!   Adding a chunk adds its counts in place where the segments hold their
//!   buckets and have room (time proportional to the chunk's non-empty
//!   buckets); only a count outside the segments, or one that outgrows its
//!   segment's width, makes the store be written again.
//!
//! Layouts (integers little-endian, `varint` LEB128):
//!
//! ```text
//! chunk:  0u8, store+, store−, varint n, varint zero, varint nan,
//!         f64 min, f64 max, f64 mean, f64 m2
//!         store = u16 length L, and when L > 0: i32 first key,
//!                 u16 last key − first, the stream (L − 6 bytes)
//! merged: 1u8 | flags, u64 n, u64 zero, u64 nan, f64 min, f64 max,
//!         store+, store−, sum, sum of squared means, within
//!         store = u16 length L, and when L > 0: i32 first key, segments:
//!                 u16 first key − store's first, u16 length | log2 width << 14,
//!                 the counts
//!         sum = varint k, k f64 partials, f64 non-finite part if its flag
//!               (bit 1, 2, 3 of the tag) is set
//! ```
//!
//! Keys are those of [`Sketch`]: at most [`MAX_WIDTH`] of them per store,
//! all within 32 octaves of the largest, so offsets fit in 16 bits.

use std::cell::RefCell;

use super::ExactSum;
use super::sketch::{self, Bucket, MAX_WIDTH, ReadOut, Sketch, negative_bucket, positive_bucket};

/// Empty buckets in a row that split a merged store's segments: fewer are
/// kept as zeros inside a segment, which costs less than a new segment's
/// four-byte header and lets later counts fall into place.
const SPLIT: i64 = 4;

/// Tag of a chunk record.
const CHUNK: u8 = 0;
/// Tag of a merged record (its bits 1-3 flag the sums' non-finite parts).
const MERGED: u8 = 1;
/// Tag of an emptied record, kept for its memory.
const EMPTY: u8 = 0x80;
/// Bytes of a merged record before its stores: tag, n, zero, nan, min, max.
const MERGED_HEAD: usize = 1 + 5 * 8;

/// The moments and sketch counts of a distribution, compactly (see the
/// module's documentation).
#[derive(Clone)]
pub(super) struct Record(Box<[u8]>);

/// The counts and exact range of a record.
#[derive(Debug, Clone, Copy)]
pub(super) struct Head {
    /// Values added, NaN included.
    pub(super) n: u64,
    /// Values counted as zero.
    pub(super) zero: u64,
    /// NaN values.
    pub(super) nan: u64,
    /// Smallest value (NaN excluded; `inf` when none).
    pub(super) min: f64,
    /// Largest value (NaN excluded; `-inf` when none).
    pub(super) max: f64,
}

/// Buffers reused by every record operation of a thread.
#[derive(Default)]
struct Scratch {
    /// A record being written.
    out: Vec<u8>,
    /// Rewritten stores (their length first).
    positive: Vec<u8>,
    negative: Vec<u8>,
    /// Rewritten sums.
    tail: Vec<u8>,
    /// The sums being added to, and those being added.
    mine: [ExactSum; 3],
    theirs: [ExactSum; 3],
    /// The buffers of adding a store.
    store: Buffers,
    /// The counts of a dense store.
    counts: Vec<u32>,
    /// The non-zero counts of a chunk being written.
    found: Found,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

impl Record {
    /// The record of one chunk of `values`, whose smallest and largest
    /// are `range` (NaN excluded), some NaN if `has_nan`, with the chunk's
    /// `mean` and sum of squared deviations `m2`.
    ///
    /// Written into `reuse`'s memory when it has room (the bytes after the
    /// record's are then unused: a chunk record is read from its start).
    pub(super) fn chunk(
        values: &[f64],
        range: (f64, f64),
        has_nan: bool,
        (mean, m2): (f64, f64),
        reuse: Option<Record>,
    ) -> Record {
        SCRATCH.with_borrow_mut(|s| {
            let (out, found) = (&mut s.out, &mut s.found);
            out.clear();
            out.push(CHUNK);
            let fast = sketch::count_fresh(values, range, has_nan, |first, counts| {
                put_stream(out, first, counts, found);
            });
            let head = match fast {
                Some(zero) => {
                    if out.len() == 1 {
                        // Only zeros: no positive store.
                        out.extend([0, 0]);
                    }
                    out.extend([0, 0]);
                    Head {
                        n: values.len() as u64,
                        zero,
                        nan: 0,
                        min: f64::INFINITY.min(range.0),
                        max: f64::NEG_INFINITY.max(range.1),
                    }
                }
                None => {
                    // Negative, NaN or infinite values: one by one, as the
                    // sketch counts them.
                    let mut sketch = Sketch::default();
                    sketch.add_slice(values, range.0, range.1, has_nan);
                    for (first, counts) in sketch.stores() {
                        s.counts.clear();
                        s.counts.extend_from_slice(counts);
                        put_stream(out, first, &mut s.counts, &mut s.found);
                    }
                    let (min, max) = sketch.range();
                    Head {
                        n: values.len() as u64,
                        zero: sketch.zero_count(),
                        nan: sketch.nan_count(),
                        min,
                        max,
                    }
                }
            };
            for x in [head.n, head.zero, head.nan] {
                put_varint(out, x);
            }
            for x in [head.min, head.max, mean, m2] {
                out.extend(x.to_le_bytes());
            }
            match reuse {
                Some(mut r) if r.0.len() >= out.len() => {
                    r.0[..out.len()].copy_from_slice(out);
                    r
                }
                _ => {
                    // The whole block the allocator would give anyway (its
                    // sizes step by 16 bytes), as room for later chunks.
                    let len = out.len();
                    out.resize((len + 8).next_multiple_of(16) - 8, 0);
                    Record(Box::from(&out[..]))
                }
            }
        })
    }

    /// Whether the record was emptied ([`Record::empty`]).
    pub(super) fn is_empty(&self) -> bool {
        self.0[0] == EMPTY
    }

    /// Forgets what the record holds, keeping its memory.
    pub(super) fn empty(&mut self) {
        self.0[0] = EMPTY;
    }

    /// A copy without the unused bytes after a chunk record.
    pub(super) fn trimmed(&self) -> Record {
        let used = if self.0[0] == CHUNK {
            parse(&self.0).end
        } else {
            self.0.len()
        };
        Record(Box::from(&self.0[..used]))
    }

    /// The merged record of `n` values with the exact `sums` (sum, sum of
    /// the chunks' `n·m²`, sum of their `M2`) and the counts of `sketch`:
    /// how a state file's distribution is read back.
    pub(super) fn from_parts(n: u64, sums: [&ExactSum; 3], sketch: &Sketch) -> Record {
        SCRATCH.with_borrow_mut(|s| {
            let (min, max) = sketch.range();
            let head = Head {
                n,
                zero: sketch.zero_count(),
                nan: sketch.nan_count(),
                min,
                max,
            };
            s.tail.clear();
            let flags = put_sums(&mut s.tail, sums);
            let [positive, negative] = sketch.stores();
            for (out, (first, counts)) in [(&mut s.positive, positive), (&mut s.negative, negative)]
            {
                put_dense(out, first, counts);
            }
            let (out, parts) = (&mut s.out, [&s.positive[..], &s.negative[..], &s.tail[..]]);
            merged_bytes(out, &head, flags, parts);
            Record(Box::from(&out[..]))
        })
    }

    /// Adds every count and sum of `other`.
    pub(super) fn merge(&mut self, other: &Record) {
        SCRATCH.with_borrow_mut(|s| {
            if self.0[0] == CHUNK {
                // In the chunk record's own memory, grown where it lies.
                let mut merged = Record::empty_merged(s);
                s.add(&mut merged.0, &self.0);
                replace(&mut self.0, &merged.0);
            }
            s.add(&mut self.0, &other.0);
        });
    }

    /// A merged record of nothing.
    fn empty_merged(s: &mut Scratch) -> Record {
        let head = Head {
            n: 0,
            zero: 0,
            nan: 0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
        };
        let parts: [&[u8]; 3] = [&[0, 0], &[0, 0], &[0, 0, 0]];
        merged_bytes(&mut s.out, &head, MERGED, parts);
        Record(Box::from(&s.out[..]))
    }

    /// Number of values added, NaN included.
    pub(super) fn count(&self) -> u64 {
        self.parse().head.n
    }

    /// The counts and exact range.
    pub(super) fn head(&self) -> Head {
        self.parse().head
    }

    /// The three exact sums: `Σ n_c·m_c`, `Σ n_c·m_c²` and `Σ M2_c` over
    /// the chunks.
    pub(super) fn sums(&self) -> [ExactSum; 3] {
        let mut sums: [ExactSum; 3] = Default::default();
        let parsed = self.parse();
        match parsed.kind {
            Kind::Chunk { mean, m2 } => {
                // As a merge into an empty distribution forms them.
                let mut chunk: [ExactSum; 3] = Default::default();
                chunk_sums(&mut chunk, parsed.head.n, mean, m2);
                for (s, c) in sums.iter_mut().zip(&chunk) {
                    s.merge(c);
                }
            }
            Kind::Merged { flags, sums: bytes } => read_sums(&mut sums, bytes, flags),
        }
        sums
    }

    /// The non-empty buckets of the positive and the negative store, in
    /// increasing order of key.
    pub(super) fn entries(&self) -> [impl Iterator<Item = (i64, u32)> + '_; 2] {
        let parsed = self.parse();
        [parsed.positive.entries(), parsed.negative.entries()]
    }

    /// The record, read for quantiles.
    pub(super) fn view(&self) -> View<'_> {
        let parsed = self.parse();
        let mut negative: Vec<(i64, u32)> = parsed.negative.entries().collect();
        negative.reverse();
        let counted = parsed.head.zero
            + parsed.positive.total()
            + negative.iter().map(|&(_, c)| u64::from(c)).sum::<u64>();
        View {
            head: parsed.head,
            positive: parsed.positive,
            negative,
            counted,
        }
    }

    /// The positive and the negative store, to be written as a dense
    /// [`Sketch`] writes its stores.
    pub(super) fn store_forms(&self) -> [StoreForm<'_>; 2] {
        let parsed = self.parse();
        [
            StoreForm(Some(parsed.positive)),
            StoreForm(Some(parsed.negative)),
        ]
    }

    /// The heap bytes of the record.
    pub(super) fn bytes(&self) -> usize {
        self.0.len()
    }

    fn parse(&self) -> Parsed<'_> {
        parse(&self.0)
    }
}

/// A record read for quantiles and tail means ([`ReadOut`]).
pub(super) struct View<'a> {
    head: Head,
    positive: Store<'a>,
    /// The negative store from its largest key.
    negative: Vec<(i64, u32)>,
    counted: u64,
}

impl ReadOut for View<'_> {
    fn counted(&self) -> u64 {
        self.counted
    }

    fn extent(&self) -> (f64, f64) {
        (self.head.min, self.head.max)
    }

    fn buckets(&self) -> impl Iterator<Item = Bucket> + '_ {
        let negative = self.negative.iter().map(|&(k, c)| negative_bucket(k, c));
        let zero = (self.head.zero > 0).then_some(Bucket::new(0.0, 0.0, self.head.zero));
        let positive = self.positive.entries().map(|(k, c)| positive_bucket(k, c));
        negative.chain(zero).chain(positive)
    }
}

impl Scratch {
    /// Adds the record `other` to the merged record `mine`.
    fn add(&mut self, mine: &mut Box<[u8]>, other: &[u8]) {
        let theirs = parse(other);
        match theirs.kind {
            Kind::Chunk { mean, m2 } => chunk_sums(&mut self.theirs, theirs.head.n, mean, m2),
            Kind::Merged { flags, sums } => read_sums(&mut self.theirs, sums, flags),
        }
        let layout = merged_layout(mine);
        let old = parse(mine);
        let Kind::Merged { flags, sums } = old.kind else {
            unreachable!("only merged records are added to")
        };
        read_sums(&mut self.mine, sums, flags);
        for (m, t) in self.mine.iter_mut().zip(&self.theirs) {
            m.merge(t);
        }
        let h = old.head;
        let head = Head {
            n: h.n + theirs.head.n,
            zero: h.zero + theirs.head.zero,
            nan: h.nan + theirs.head.nan,
            min: h.min.min(theirs.head.min),
            max: h.max.max(theirs.head.max),
        };
        self.tail.clear();
        let [a, b, c] = &self.mine;
        let flags = put_sums(&mut self.tail, [a, b, c]);
        let buffers = &mut self.store;
        let positive = &mut mine[layout.positive.clone()];
        let rewrote_positive = add_store(positive, &theirs.positive, buffers, &mut self.positive);
        let negative = &mut mine[layout.negative.clone()];
        let rewrote_negative = add_store(negative, &theirs.negative, buffers, &mut self.negative);
        let rewritten = [rewrote_positive, rewrote_negative];
        if rewritten == [false, false] && self.tail.len() == layout.tail.len() {
            write_head(&mut mine[..MERGED_HEAD], &head, flags);
            mine[layout.tail].copy_from_slice(&self.tail);
            return;
        }
        let positive = if rewritten[0] {
            &self.positive[..]
        } else {
            &mine[layout.positive.start - 2..layout.positive.end]
        };
        let negative = if rewritten[1] {
            &self.negative[..]
        } else {
            &mine[layout.negative.start - 2..layout.negative.end]
        };
        merged_bytes(
            &mut self.out,
            &head,
            flags,
            [positive, negative, &self.tail],
        );
        replace(mine, &self.out);
    }
}

/// Adds the counts of `theirs` to the merged store whose bytes (after its
/// length) are `section`, in place where they fit; returns whether it had
/// to be written again instead, into `out` (its length first). Their
/// largest key may raise this store's floor: keys below it then count at
/// it, as in [`Sketch`].
fn add_store(
    section: &mut [u8],
    theirs: &Store<'_>,
    buffers: &mut Buffers,
    out: &mut Vec<u8>,
) -> bool {
    let Some(their_top) = theirs.top() else {
        return false;
    };
    let mine = Store::Segments(section);
    let Some(my_top) = mine.top() else {
        rewrite(
            out,
            section,
            theirs.entries(),
            their_top,
            &mut buffers.counts,
        );
        return true;
    };
    let top = my_top.max(their_top);
    let floor = top.saturating_sub(MAX_WIDTH - 1);
    if mine.first().is_some_and(|first| first < floor) {
        // Their larger keys fold some of these.
        rewrite(out, section, theirs.entries(), top, &mut buffers.counts);
        return true;
    }
    let leftovers = &mut buffers.leftovers;
    leftovers.clear();
    match theirs.entries() {
        Entries::Stream { r, next } => {
            let stream = StreamEntries {
                bytes: r.bytes,
                at: r.at,
                next,
            };
            add_in_place(section, stream.map(|(k, c)| (k.max(floor), c)), leftovers);
        }
        entries => add_in_place(section, entries.map(|(k, c)| (k.max(floor), c)), leftovers),
    }
    if leftovers.is_empty() {
        return false;
    }
    splice(out, section, leftovers, &mut buffers.counts);
    true
}

/// Writes into `out` (its length first) the merged store `section` (bytes
/// after its length) with `leftovers` added (increasing keys, at or above
/// its floor): segments that no leftover falls into or next to are copied
/// as they are; those that one does, with the leftovers near them, are
/// laid out densely in `dense` and written again. The result is the
/// store [`rewrite`] would write, in time proportional to the bytes
/// copied and the segments touched.
fn splice(out: &mut Vec<u8>, section: &[u8], leftovers: &[(i64, u32)], dense: &mut Vec<u32>) {
    let first = i64::from(i32::from_le_bytes([
        section[0], section[1], section[2], section[3],
    ]));
    let new_first = leftovers.first().map_or(first, |&(k, _)| k.min(first));
    out.clear();
    out.extend([0, 0]);
    out.extend((new_first as i32).to_le_bytes());
    // The group being gathered: its first and last key, the bytes of its
    // segments in `section` and its leftovers.
    let mut group: Option<Group> = None;
    // Where the untouched bytes not written yet start.
    let mut copy = None;
    let (mut at, mut l) = (4, 0);
    loop {
        let segment = (at < section.len()).then(|| segment_header(&section[at..at + 4], first));
        let leftover = leftovers.get(l).map(|&(k, _)| k);
        // The next unit in key order: a segment, or a leftover.
        let (start, end, is_segment) = match (segment, leftover) {
            (None, None) => break,
            (Some((s, len, _)), k) if k.is_none_or(|k| s <= k) => (s, s + len as i64 - 1, true),
            (_, Some(k)) => (k, k, false),
            (Some(_), None) => unreachable!("covered by the segment arm"),
        };
        let unit_bytes = segment.map_or(0, |(_, len, width)| 4 + len * width);
        match &mut group {
            Some((_, last, segments, lefts)) if start - *last - 1 < SPLIT => {
                *last = (*last).max(end);
                if is_segment {
                    segments.end = at + unit_bytes;
                } else {
                    lefts.end = l + 1;
                }
            }
            _ => {
                if let Some(g) = group.take() {
                    put_unit(
                        out,
                        section,
                        (first, new_first),
                        g,
                        leftovers,
                        dense,
                        &mut copy,
                    );
                }
                group = Some(if is_segment {
                    (start, end, at..at + unit_bytes, l..l)
                } else {
                    (start, end, at..at, l..l + 1)
                });
            }
        }
        if is_segment {
            at += unit_bytes;
        } else {
            l += 1;
        }
    }
    if let Some(g) = group {
        put_unit(
            out,
            section,
            (first, new_first),
            g,
            leftovers,
            dense,
            &mut copy,
        );
    }
    if let Some(from) = copy {
        out.extend_from_slice(&section[from..]);
    }
    let length = (out.len() - 2) as u16;
    out[..2].copy_from_slice(&length.to_le_bytes());
}

/// A group of a [`splice`]: its first and last key, the bytes of its
/// segments in the store and its leftovers.
type Group = (i64, i64, std::ops::Range<usize>, std::ops::Range<usize>);

/// Writes a group of a [`splice`], or, when no leftover falls in it and
/// the store's first key stays, leaves it to be copied with the untouched
/// bytes around it in one piece (from `copy`).
fn put_unit(
    out: &mut Vec<u8>,
    section: &[u8],
    (first, new_first): (i64, i64),
    group: Group,
    leftovers: &[(i64, u32)],
    dense: &mut Vec<u32>,
    copy: &mut Option<usize>,
) {
    if group.3.is_empty() && first == new_first {
        copy.get_or_insert(group.2.start);
        return;
    }
    if let Some(from) = copy.take() {
        out.extend_from_slice(&section[from..group.2.start]);
    }
    put_group(out, section, first, new_first, group, leftovers, dense);
}

/// Writes one segment of a [`splice`]: the keys `start..=last`, from the
/// segments at `segments` of a store whose first key was `first` and the
/// `leftovers[lefts]`, in a store whose first key is `new_first`.
fn put_group(
    out: &mut Vec<u8>,
    section: &[u8],
    first: i64,
    new_first: i64,
    (start, last, segments, lefts): Group,
    leftovers: &[(i64, u32)],
    dense: &mut Vec<u32>,
) {
    let bytes = &section[segments];
    let (s0, len0, width0) = match bytes.len() {
        0 => (start, 0, 1),
        _ => segment_header(&bytes[..4], first),
    };
    if lefts.is_empty() && bytes.len() == 4 + len0 * width0 {
        // One segment, untouched: copied with its offset from the new first key.
        out.extend(((s0 - new_first) as u16).to_le_bytes());
        out.extend_from_slice(&bytes[2..]);
        return;
    }
    if !bytes.is_empty()
        && put_copied(
            out,
            bytes,
            first,
            (start, last, new_first),
            &leftovers[lefts.clone()],
        )
    {
        return;
    }
    dense.clear();
    dense.resize((last - start) as usize + 1, 0);
    let mut at = 0;
    while at < bytes.len() {
        let (s, len, width) = segment_header(&bytes[at..at + 4], first);
        add_cells(
            &mut dense[(s - start) as usize..][..len],
            &bytes[at + 4..at + 4 + len * width],
        );
        at += 4 + len * width;
    }
    for &(k, c) in &leftovers[lefts] {
        dense[(k - start) as usize] += c;
    }
    put_cells(out, start - new_first, dense);
}

/// [`put_group`] by copying bytes: when the group's segments (their
/// `bytes`, in a store whose first key was `first`) all have one width and
/// its `leftovers` fit in it, its counts are the segments' bytes with the
/// leftovers added in place. Returns false, having written nothing, when
/// they do not.
fn put_copied(
    out: &mut Vec<u8>,
    bytes: &[u8],
    first: i64,
    (start, last, new_first): (i64, i64, i64),
    leftovers: &[(i64, u32)],
) -> bool {
    let (_, _, width) = segment_header(&bytes[..4], first);
    let mut at = 0;
    while at < bytes.len() {
        let (_, len, w) = segment_header(&bytes[at..at + 4], first);
        if w != width {
            return false;
        }
        at += 4 + len * w;
    }
    let mark = out.len();
    let len = (last - start) as usize + 1;
    let log2 = width.trailing_zeros() as u16;
    out.extend(((start - new_first) as u16).to_le_bytes());
    out.extend((len as u16 | log2 << 14).to_le_bytes());
    let cells = out.len();
    out.resize(cells + len * width, 0);
    let mut at = 0;
    while at < bytes.len() {
        let (s, len, _) = segment_header(&bytes[at..at + 4], first);
        let i = cells + (s - start) as usize * width;
        out[i..i + len * width].copy_from_slice(&bytes[at + 4..at + 4 + len * width]);
        at += 4 + len * width;
    }
    for &(k, c) in leftovers {
        let i = cells + (k - start) as usize * width;
        let cell = &mut out[i..i + width];
        let sum = u64::from(read_count(cell)) + u64::from(c);
        if sum >> (8 * width) != 0 {
            out.truncate(mark);
            return false;
        }
        cell.copy_from_slice(&sum.to_le_bytes()[..width]);
    }
    true
}

/// Adds the counts of a segment's `data` (its width is `data`'s length
/// over `cells`') to `cells`.
fn add_cells(cells: &mut [u32], data: &[u8]) {
    match data.len() / cells.len().max(1) {
        1 => cells
            .iter_mut()
            .zip(data)
            .for_each(|(d, &b)| *d += u32::from(b)),
        2 => {
            let data = data.as_chunks::<2>().0;
            cells
                .iter_mut()
                .zip(data)
                .for_each(|(d, b)| *d += u32::from(u16::from_le_bytes(*b)));
        }
        _ => {
            let data = data.as_chunks::<4>().0;
            cells
                .iter_mut()
                .zip(data)
                .for_each(|(d, b)| *d += u32::from_le_bytes(*b));
        }
    }
}

/// The buffers of [`add_store`].
#[derive(Default)]
struct Buffers {
    /// The counts that did not fit in place.
    leftovers: Vec<(i64, u32)>,
    /// A dense store.
    counts: Vec<u32>,
}

/// Adds `entries` (increasing keys, all at or above the store's floor) to
/// the segments of a merged store's `section` where they hold the key and
/// have room for the sum; the others go to `leftovers`.
#[inline]
fn add_in_place(
    section: &mut [u8],
    entries: impl Iterator<Item = (i64, u32)>,
    leftovers: &mut Vec<(i64, u32)>,
) {
    let first = i64::from(i32::from_le_bytes([
        section[0], section[1], section[2], section[3],
    ]));
    // The current segment: its first key, the key after it, its width and
    // where its counts start.
    let (mut start, mut end, mut width, mut data) = (first, first, 1, 4);
    let mut at = 4;
    for (k, c) in entries {
        while k >= end && at < section.len() {
            let (s, len, w) = segment_header(&section[at..at + 4], first);
            (start, end, width, data) = (s, s + len as i64, w, at + 4);
            at += 4 + len * w;
        }
        if k < start || k >= end {
            leftovers.push((k, c));
            continue;
        }
        let i = data + (k - start) as usize * width;
        let fits = match width {
            1 => {
                let sum = u32::from(section[i]) + c;
                let fits = sum <= 0xff;
                if fits {
                    section[i] = sum as u8;
                }
                fits
            }
            2 => {
                let sum = u32::from(u16::from_le_bytes([section[i], section[i + 1]])) + c;
                let fits = sum <= 0xffff;
                if fits {
                    section[i..i + 2].copy_from_slice(&(sum as u16).to_le_bytes());
                }
                fits
            }
            _ => {
                let cell = &mut section[i..i + 4];
                let old = u32::from_le_bytes([cell[0], cell[1], cell[2], cell[3]]);
                match old.checked_add(c) {
                    Some(sum) => {
                        cell.copy_from_slice(&sum.to_le_bytes());
                        true
                    }
                    None => false,
                }
            }
        };
        if !fits {
            leftovers.push((k, c));
        }
    }
}

/// The entries of a chunk's stream, read inline (see [`Entries`]).
struct StreamEntries<'a> {
    bytes: &'a [u8],
    at: usize,
    /// The key after the last one read.
    next: i64,
}

impl Iterator for StreamEntries<'_> {
    type Item = (i64, u32);

    #[inline(always)]
    fn next(&mut self) -> Option<(i64, u32)> {
        let b = *self.bytes.get(self.at)?;
        self.at += 1;
        let mut gap = u64::from(b >> 4);
        if gap == 15 {
            gap += self.varint();
        }
        let mut count = u32::from(b & 15);
        if count == 0 {
            count = 16 + self.varint() as u32;
        }
        let key = self.next + gap as i64;
        self.next = key + 1;
        Some((key, count))
    }
}

impl StreamEntries<'_> {
    #[cold]
    fn varint(&mut self) -> u64 {
        let mut r = Reader {
            bytes: self.bytes,
            at: self.at,
        };
        let x = r.varint();
        self.at = r.at;
        x
    }
}

/// Writes into `out` (its length first) the merged store of the counts of
/// the store `section` (bytes after its length, maybe empty) and of
/// `entries` (increasing keys), whose largest key is at most `top`: both
/// laid out densely in `dense` (keys below the floor at the floor), then
/// cut into segments.
fn rewrite(
    out: &mut Vec<u8>,
    section: &[u8],
    entries: impl Iterator<Item = (i64, u32)>,
    top: i64,
    dense: &mut Vec<u32>,
) {
    let floor = top.saturating_sub(MAX_WIDTH - 1);
    let mut entries = entries.peekable();
    let mine = Store::Segments(section).first();
    let theirs = entries.peek().map(|&(k, _)| k);
    let lo = match (mine, theirs) {
        (Some(a), Some(b)) => a.min(b),
        (Some(a), None) => a,
        (None, Some(b)) => b,
        (None, None) => {
            out.clear();
            out.extend([0, 0]);
            return;
        }
    }
    .max(floor);
    dense.clear();
    dense.resize((top - lo) as usize + 1, 0);
    if let Some(first) = mine {
        let mut at = 4;
        while at < section.len() {
            let (start, len, width) = segment_header(&section[at..at + 4], first);
            let data = &section[at + 4..at + 4 + len * width];
            at += 4 + len * width;
            if start >= floor {
                add_cells(&mut dense[(start - lo) as usize..][..len], data);
            } else {
                for (j, cell) in data.chunks_exact(width).enumerate() {
                    let k = (start + j as i64).max(floor);
                    dense[(k - lo) as usize] += read_count(cell);
                }
            }
        }
    }
    for (k, c) in entries {
        dense[(k.max(floor) - lo) as usize] += c;
    }
    put_dense(out, lo, dense);
}

/// Writes the merged store of the counts `dense` of keys `lo..` (its
/// length first): runs of keys without [`SPLIT`] empty ones in a row
/// become segments, each as wide as its largest count needs.
fn put_dense(out: &mut Vec<u8>, lo: i64, dense: &[u32]) {
    out.clear();
    out.extend([0, 0]);
    let Some(first) = dense.iter().position(|&c| c > 0) else {
        return;
    };
    out.extend(((lo + first as i64) as i32).to_le_bytes());
    let (mut start, mut last) = (first, first);
    for (i, &c) in dense.iter().enumerate().skip(first + 1) {
        if c > 0 {
            if i - last > SPLIT as usize {
                put_cells(out, (start - first) as i64, &dense[start..=last]);
                start = i;
            }
            last = i;
        }
    }
    put_cells(out, (start - first) as i64, &dense[start..=last]);
    let length = (out.len() - 2) as u16;
    out[..2].copy_from_slice(&length.to_le_bytes());
}

/// Writes one segment of `counts` starting `offset` keys after its store's
/// first.
fn put_cells(out: &mut Vec<u8>, offset: i64, counts: &[u32]) {
    debug_assert!((0..MAX_WIDTH).contains(&offset) && counts.len() as i64 <= MAX_WIDTH);
    let largest = counts.iter().copied().max().unwrap_or(0);
    let log2: u16 = match largest {
        0..=0xff => 0,
        0x100..=0xffff => 1,
        _ => 2,
    };
    out.extend((offset as u16).to_le_bytes());
    out.extend((counts.len() as u16 | log2 << 14).to_le_bytes());
    match log2 {
        0 => out.extend(counts.iter().map(|&c| c as u8)),
        1 => counts
            .iter()
            .for_each(|&c| out.extend((c as u16).to_le_bytes())),
        _ => counts.iter().for_each(|&c| out.extend(c.to_le_bytes())),
    }
}

/// A segment's first key, length and width (bytes a count) from its
/// header, in a store whose first key is `first`.
fn segment_header(header: &[u8], first: i64) -> (i64, usize, usize) {
    let offset = u16::from_le_bytes([header[0], header[1]]);
    let lw = u16::from_le_bytes([header[2], header[3]]);
    let (len, width) = (usize::from(lw & 0x3fff), 1 << (lw >> 14));
    (first + i64::from(offset), len, width)
}

fn read_count(cell: &[u8]) -> u32 {
    match cell.len() {
        1 => u32::from(cell[0]),
        2 => u32::from(u16::from_le_bytes([cell[0], cell[1]])),
        _ => u32::from_le_bytes([cell[0], cell[1], cell[2], cell[3]]),
    }
}

/// Buffers of [`put_stream`]: a slot for each key a store can hold.
struct Found {
    offsets: Box<[u16; WIDTH]>,
    nonzero: Box<[u32; WIDTH]>,
}

/// Keys a store holds at most ([`MAX_WIDTH`]), a power of two.
const WIDTH: usize = MAX_WIDTH as usize;

impl Default for Found {
    fn default() -> Self {
        Found {
            offsets: Box::new([0; WIDTH]),
            nonzero: Box::new([0; WIDTH]),
        }
    }
}

/// Writes the chunk store of the non-zero `counts` of keys `first..`
/// (at most [`MAX_WIDTH`] of them; length first), leaving `counts` zero.
/// The non-zero counts are found first without a branch on each count
/// (zeros and counts alternate unpredictably in a distribution's tails),
/// then written.
fn put_stream(out: &mut Vec<u8>, first: i64, counts: &mut [u32], found: &mut Found) {
    debug_assert!(counts.len() <= WIDTH);
    let at = out.len();
    out.extend([0, 0]);
    let (offsets, nonzero) = (&mut *found.offsets, &mut *found.nonzero);
    let mut n = 0;
    for (i, c) in counts.iter_mut().enumerate() {
        let c = std::mem::take(c);
        offsets[n & (WIDTH - 1)] = i as u16;
        nonzero[n & (WIDTH - 1)] = c;
        n += usize::from(c != 0);
    }
    if n == 0 {
        return;
    }
    let (lo, hi) = (offsets[0], offsets[n - 1]);
    out.extend(((first + i64::from(lo)) as i32).to_le_bytes());
    out.extend((hi - lo).to_le_bytes());
    // At most 1 + 2 + 5 bytes an entry (a gap below 2¹⁴, a u32 count).
    let start = out.len();
    out.resize(start + 8 * n, 0);
    let buf = &mut out[start..];
    let (mut w, mut next) = (0, lo);
    for (&o, &c) in offsets[..n].iter().zip(&nonzero[..n]) {
        let gap = u64::from(o - next);
        next = o + 1;
        let (g, k) = (gap.min(15) as u8, if c < 16 { c as u8 } else { 0 });
        buf[w] = g << 4 | k;
        w += 1;
        if g == 15 {
            w += write_varint(&mut buf[w..], gap - 15);
        }
        if k == 0 {
            w += write_varint(&mut buf[w..], u64::from(c) - 16);
        }
    }
    out.truncate(start + w);
    let length = (out.len() - at - 2) as u16;
    out[at..at + 2].copy_from_slice(&length.to_le_bytes());
}

/// Writes `x` as a varint at the start of `buf`; returns its length.
fn write_varint(buf: &mut [u8], mut x: u64) -> usize {
    let mut i = 0;
    while x >= 0x80 {
        buf[i] = x as u8 | 0x80;
        x >>= 7;
        i += 1;
    }
    buf[i] = x as u8;
    i + 1
}

/// The sums of one chunk of `n` values with mean `mean` and sum of squared
/// deviations `m2`, formed as `add_chunk` always formed them.
fn chunk_sums(sums: &mut [ExactSum; 3], n: u64, mean: f64, m2: f64) {
    let n = n as f64;
    sums.iter_mut().for_each(ExactSum::clear);
    let [sum, sum_sq_means, within] = sums;
    sum.add_product(n, mean);
    let sq = mean * mean;
    sum_sq_means.add_product(n, sq);
    sum_sq_means.add_product(n, mean.mul_add(mean, -sq));
    within.add(m2);
}

/// Writes the three sums; returns the tag with their non-finite flags.
fn put_sums(out: &mut Vec<u8>, sums: [&ExactSum; 3]) -> u8 {
    let mut tag = MERGED;
    for (i, s) in sums.into_iter().enumerate() {
        let (partials, non_finite) = s.raw();
        put_varint(out, partials.len() as u64);
        for p in partials {
            out.extend(p.to_le_bytes());
        }
        if non_finite.to_bits() != 0 {
            tag |= 2 << i;
            out.extend(non_finite.to_le_bytes());
        }
    }
    tag
}

/// Reads the three sums written by [`put_sums`] with the tag `flags`.
fn read_sums(sums: &mut [ExactSum; 3], bytes: &[u8], flags: u8) {
    let mut r = Reader::new(bytes);
    for (i, s) in sums.iter_mut().enumerate() {
        let k = r.varint() as usize;
        let partials = r.take(8 * k);
        let non_finite = if flags & (2 << i) != 0 { r.f64() } else { 0.0 };
        let parts = partials
            .chunks_exact(8)
            .map(|b| f64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]));
        s.set_raw(parts, non_finite);
    }
}

/// Writes into `out` the bytes of a merged record: its head, then `parts`
/// (the two stores, their lengths first, and the sums).
fn merged_bytes(out: &mut Vec<u8>, head: &Head, tag: u8, parts: [&[u8]; 3]) {
    out.clear();
    out.resize(MERGED_HEAD, 0);
    write_head(&mut out[..], head, tag);
    for p in parts {
        out.extend_from_slice(p);
    }
}

/// Makes `record` hold `bytes`, in its own allocation grown or shrunk in
/// place where the allocator can (a new allocation and a freed one for
/// every rewritten record would scatter the heap).
fn replace(record: &mut Box<[u8]>, bytes: &[u8]) {
    if record.len() == bytes.len() {
        record.copy_from_slice(bytes);
        return;
    }
    let mut v = Vec::from(std::mem::take(record));
    v.clear();
    v.extend_from_slice(bytes);
    *record = v.into_boxed_slice();
}

fn write_head(out: &mut [u8], head: &Head, tag: u8) {
    out[0] = tag;
    let fields = [
        head.n,
        head.zero,
        head.nan,
        head.min.to_bits(),
        head.max.to_bits(),
    ];
    for (i, x) in fields.into_iter().enumerate() {
        out[1 + 8 * i..9 + 8 * i].copy_from_slice(&x.to_le_bytes());
    }
}

/// Where a merged record's stores (after their lengths) and sums are.
struct Layout {
    positive: std::ops::Range<usize>,
    negative: std::ops::Range<usize>,
    tail: std::ops::Range<usize>,
}

fn merged_layout(bytes: &[u8]) -> Layout {
    let length = |at: usize| usize::from(u16::from_le_bytes([bytes[at], bytes[at + 1]]));
    let p = MERGED_HEAD + 2;
    let positive = p..p + length(MERGED_HEAD);
    let n = positive.end + 2;
    let negative = n..n + length(positive.end);
    let tail = negative.end..bytes.len();
    Layout {
        positive,
        negative,
        tail,
    }
}

/// A record, read.
struct Parsed<'a> {
    /// Where the record ends (a chunk record may have unused bytes after).
    end: usize,
    head: Head,
    kind: Kind<'a>,
    positive: Store<'a>,
    negative: Store<'a>,
}

enum Kind<'a> {
    /// One chunk's mean and sum of squared deviations.
    Chunk { mean: f64, m2: f64 },
    /// The sums' bytes and the tag that flags their non-finite parts.
    Merged { flags: u8, sums: &'a [u8] },
}

fn parse(bytes: &[u8]) -> Parsed<'_> {
    let mut r = Reader::new(bytes);
    let tag = r.u8();
    if tag == CHUNK {
        let mut store = || {
            let length = usize::from(r.u16());
            Store::Stream(r.take(length))
        };
        let (positive, negative) = (store(), store());
        let (n, zero, nan) = (r.varint(), r.varint(), r.varint());
        let (min, max, mean, m2) = (r.f64(), r.f64(), r.f64(), r.f64());
        return Parsed {
            end: r.at,
            head: Head {
                n,
                zero,
                nan,
                min,
                max,
            },
            kind: Kind::Chunk { mean, m2 },
            positive,
            negative,
        };
    }
    let head = Head {
        n: r.u64(),
        zero: r.u64(),
        nan: r.u64(),
        min: r.f64(),
        max: r.f64(),
    };
    let mut store = || {
        let length = usize::from(r.u16());
        Store::Segments(r.take(length))
    };
    let (positive, negative) = (store(), store());
    Parsed {
        end: bytes.len(),
        head,
        kind: Kind::Merged {
            flags: tag,
            sums: &bytes[r.at..],
        },
        positive,
        negative,
    }
}

/// One store of a record (its bytes after the length; empty when it holds
/// nothing).
#[derive(Clone, Copy)]
pub(super) enum Store<'a> {
    /// A chunk's: first key, span, stream.
    Stream(&'a [u8]),
    /// A merged record's: first key, segments.
    Segments(&'a [u8]),
}

impl<'a> Store<'a> {
    fn bytes(&self) -> &'a [u8] {
        match *self {
            Store::Stream(b) | Store::Segments(b) => b,
        }
    }

    /// The smallest key held.
    fn first(&self) -> Option<i64> {
        let b = self.bytes();
        (!b.is_empty()).then(|| i64::from(i32::from_le_bytes([b[0], b[1], b[2], b[3]])))
    }

    /// The largest key held.
    fn top(&self) -> Option<i64> {
        let first = self.first()?;
        let b = self.bytes();
        match self {
            Store::Stream(_) => Some(first + i64::from(u16::from_le_bytes([b[4], b[5]]))),
            Store::Segments(_) => {
                let (mut at, mut top) = (4, first);
                while at < b.len() {
                    let (start, len, width) = segment_header(&b[at..at + 4], first);
                    top = start + len as i64 - 1;
                    at += 4 + len * width;
                }
                Some(top)
            }
        }
    }

    /// The sum of the counts.
    fn total(&self) -> u64 {
        match self {
            Store::Stream(_) => self.entries().map(|(_, c)| u64::from(c)).sum(),
            Store::Segments(b) => {
                let Some(first) = self.first() else {
                    return 0;
                };
                let (mut at, mut total) = (4, 0u64);
                while at < b.len() {
                    let (_, len, width) = segment_header(&b[at..at + 4], first);
                    let data = &b[at + 4..at + 4 + len * width];
                    total += match width {
                        1 => data.iter().map(|&c| u64::from(c)).sum::<u64>(),
                        2 => data
                            .as_chunks::<2>()
                            .0
                            .iter()
                            .map(|c| u64::from(u16::from_le_bytes(*c)))
                            .sum(),
                        _ => data
                            .as_chunks::<4>()
                            .0
                            .iter()
                            .map(|c| u64::from(u32::from_le_bytes(*c)))
                            .sum(),
                    };
                    at += 4 + len * width;
                }
                total
            }
        }
    }

    /// The non-zero counts, in increasing order of key.
    fn entries(&self) -> Entries<'a> {
        let b = self.bytes();
        let Some(first) = self.first() else {
            return Entries::Empty;
        };
        match self {
            Store::Stream(_) => Entries::Stream {
                r: Reader::new(&b[6..]),
                next: first,
            },
            Store::Segments(_) => Entries::Segments {
                r: Reader::new(&b[4..]),
                first,
                start: first,
                counts: &[],
                width: 1,
                i: 0,
            },
        }
    }
}

/// A store written as a dense [`Sketch`]'s trimmed store: its first key
/// (0 when empty) and every count from there to its last key (`None`: an
/// empty store).
pub(super) struct StoreForm<'a>(pub(super) Option<Store<'a>>);

impl serde::Serialize for StoreForm<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let span = self.0.and_then(|s| Some((s.first()?, s.top()?)));
        let mut t = serializer.serialize_struct("TrimmedRef", 2)?;
        t.serialize_field("offset", &span.map_or(0, |(first, _)| first))?;
        t.serialize_field(
            "counts",
            &DenseCounts(self.0.filter(|_| span.is_some()), span),
        )?;
        t.end()
    }
}

/// The counts of a store from its first key to its last, zeros between.
struct DenseCounts<'a>(Option<Store<'a>>, Option<(i64, i64)>);

impl serde::Serialize for DenseCounts<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let (Some(store), Some((first, top))) = (self.0, self.1) else {
            return serializer.serialize_seq(Some(0))?.end();
        };
        let mut seq = serializer.serialize_seq(Some((top - first + 1) as usize))?;
        let mut next = first;
        match store {
            Store::Stream(_) => {
                for (k, c) in store.entries() {
                    for _ in next..k {
                        seq.serialize_element(&0u32)?;
                    }
                    seq.serialize_element(&c)?;
                    next = k + 1;
                }
            }
            Store::Segments(b) => {
                let mut at = 4;
                while at < b.len() {
                    let (start, len, width) = segment_header(&b[at..at + 4], first);
                    for _ in next..start {
                        seq.serialize_element(&0u32)?;
                    }
                    for cell in b[at + 4..at + 4 + len * width].chunks_exact(width) {
                        seq.serialize_element(&read_count(cell))?;
                    }
                    next = start + len as i64;
                    at += 4 + len * width;
                }
            }
        }
        seq.end()
    }
}

/// The non-zero counts of a store, in increasing order of key.
#[derive(Clone)]
enum Entries<'a> {
    Empty,
    Stream {
        r: Reader<'a>,
        /// The key after the last one read.
        next: i64,
    },
    Segments {
        /// At the next segment's header.
        r: Reader<'a>,
        first: i64,
        /// The current segment: its first key, counts, width, next count.
        start: i64,
        counts: &'a [u8],
        width: usize,
        i: usize,
    },
}

impl Iterator for Entries<'_> {
    type Item = (i64, u32);

    #[inline]
    fn next(&mut self) -> Option<(i64, u32)> {
        match self {
            Entries::Empty => None,
            Entries::Stream { r, next } => {
                if r.done() {
                    return None;
                }
                let b = r.u8();
                let mut gap = u64::from(b >> 4);
                if gap == 15 {
                    gap += r.varint();
                }
                let mut count = u32::from(b & 15);
                if count == 0 {
                    count = 16 + r.varint() as u32;
                }
                let key = *next + gap as i64;
                *next = key + 1;
                Some((key, count))
            }
            Entries::Segments {
                r,
                first,
                start,
                counts,
                width,
                i,
            } => loop {
                while *i * *width < counts.len() {
                    let at = *i * *width;
                    let c = read_count(&counts[at..at + *width]);
                    *i += 1;
                    if c > 0 {
                        return Some((*start + *i as i64 - 1, c));
                    }
                }
                if r.done() {
                    return None;
                }
                let (s, len, w) = segment_header(r.take(4), *first);
                (*start, *width, *i) = (s, w, 0);
                *counts = r.take(len * w);
            },
        }
    }
}

fn put_varint(out: &mut Vec<u8>, mut x: u64) {
    while x >= 0x80 {
        out.push(x as u8 | 0x80);
        x >>= 7;
    }
    out.push(x as u8);
}

/// Reads a record's bytes in order.
#[derive(Clone)]
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes, at: 0 }
    }

    fn done(&self) -> bool {
        self.at >= self.bytes.len()
    }

    fn u8(&mut self) -> u8 {
        let b = self.bytes[self.at];
        self.at += 1;
        b
    }

    fn take(&mut self, n: usize) -> &'a [u8] {
        let b = &self.bytes[self.at..self.at + n];
        self.at += n;
        b
    }

    fn varint(&mut self) -> u64 {
        let (mut x, mut shift) = (0u64, 0);
        loop {
            let b = self.u8();
            x |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return x;
            }
            shift += 7;
        }
    }

    fn u16(&mut self) -> u16 {
        let b = self.take(2);
        u16::from_le_bytes([b[0], b[1]])
    }

    fn u64(&mut self) -> u64 {
        let b = self.take(8);
        u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]])
    }

    fn f64(&mut self) -> f64 {
        f64::from_bits(self.u64())
    }
}
