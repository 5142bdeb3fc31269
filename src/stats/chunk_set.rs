//! Which chunks of a run's fixed grid a summary holds.
//!
//! A run's paths are cut into chunks on one grid (see
//! [`crate::engine::chunk_paths`]); a summary of any set of them merges
//! exactly with a summary of any other, disjoint set. The set is what makes
//! a shard, a run stopped half-way and the rest of it mergeable, and what
//! tells a merge that nothing is missing or counted twice.

use std::fmt;
use std::ops::Range;

use serde::{Deserialize, Serialize};

/// A set of chunk numbers: sorted, disjoint, non-adjacent half-open ranges.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<(u64, u64)>", into = "Vec<(u64, u64)>")]
pub struct ChunkSet {
    ranges: Vec<Range<u64>>,
}

impl ChunkSet {
    /// The chunks `range`.
    pub fn from_range(range: Range<u64>) -> ChunkSet {
        let mut set = ChunkSet::default();
        set.insert_range(range);
        set
    }

    /// Whether it holds no chunk.
    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    /// The number of chunks held.
    pub fn len(&self) -> u64 {
        self.ranges.iter().map(|r| r.end - r.start).sum()
    }

    /// Whether chunk `chunk` is held.
    pub fn contains(&self, chunk: u64) -> bool {
        self.ranges.iter().any(|r| r.contains(&chunk))
    }

    /// The chunks held, in increasing order.
    pub fn iter(&self) -> impl Iterator<Item = u64> + '_ {
        self.ranges.iter().flat_map(Clone::clone)
    }

    /// The ranges of chunks held, in increasing order.
    pub fn ranges(&self) -> &[Range<u64>] {
        &self.ranges
    }

    /// Adds chunk `chunk`.
    pub fn insert(&mut self, chunk: u64) {
        self.insert_range(chunk..chunk + 1);
    }

    /// Adds the chunks `range`.
    pub fn insert_range(&mut self, range: Range<u64>) {
        if range.is_empty() {
            return;
        }
        // Few ranges in practice (one per shard or interruption): a linear
        // merge keeps this simple.
        let mut merged = Vec::with_capacity(self.ranges.len() + 1);
        let mut new = range;
        for r in self.ranges.drain(..) {
            if r.end < new.start || new.end < r.start {
                merged.push(r);
            } else {
                new = new.start.min(r.start)..new.end.max(r.end);
            }
        }
        merged.push(new);
        merged.sort_by_key(|r| r.start);
        self.ranges = merged;
    }

    /// The first chunk held by both sets, if any.
    pub fn first_shared(&self, other: &ChunkSet) -> Option<u64> {
        self.ranges
            .iter()
            .flat_map(|a| {
                other.ranges.iter().filter_map(move |b| {
                    let (lo, hi) = (a.start.max(b.start), a.end.min(b.end));
                    (lo < hi).then_some(lo)
                })
            })
            .min()
    }

    /// Adds every chunk of `other`.
    pub fn union(&mut self, other: &ChunkSet) {
        for r in &other.ranges {
            self.insert_range(r.clone());
        }
    }

    /// The chunks of this set that `other` does not hold.
    pub fn without(&self, other: &ChunkSet) -> ChunkSet {
        let mut rest = ChunkSet::default();
        for r in &self.ranges {
            rest.union(&other.missing_from(r.clone()));
        }
        rest
    }

    /// The chunks of `range` this set does not hold.
    pub fn missing_from(&self, range: Range<u64>) -> ChunkSet {
        let mut missing = ChunkSet::default();
        let mut next = range.start;
        for r in &self.ranges {
            if r.start > next {
                missing.insert_range(next..r.start.min(range.end));
            }
            next = next.max(r.end);
        }
        missing.insert_range(next..range.end);
        missing
    }
}

impl fmt::Display for ChunkSet {
    /// `0-3, 7, 9-12` (inclusive ends), or `none`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ranges.is_empty() {
            return f.write_str("none");
        }
        for (k, r) in self.ranges.iter().enumerate() {
            if k > 0 {
                f.write_str(", ")?;
            }
            if r.end - r.start == 1 {
                write!(f, "{}", r.start)?;
            } else {
                write!(f, "{}-{}", r.start, r.end - 1)?;
            }
        }
        Ok(())
    }
}

impl From<ChunkSet> for Vec<(u64, u64)> {
    fn from(set: ChunkSet) -> Self {
        set.ranges.into_iter().map(|r| (r.start, r.end)).collect()
    }
}

impl TryFrom<Vec<(u64, u64)>> for ChunkSet {
    type Error = String;

    /// Only the canonical form is read: what a state file holds was
    /// written by [`ChunkSet`] itself.
    fn try_from(pairs: Vec<(u64, u64)>) -> Result<Self, String> {
        let ranges: Vec<Range<u64>> = pairs.into_iter().map(|(a, b)| a..b).collect();
        let canonical = ranges.iter().all(|r| r.start < r.end)
            && ranges.windows(2).all(|w| w[0].end < w[1].start);
        if !canonical {
            return Err("chunk ranges are not sorted and disjoint".to_string());
        }
        Ok(ChunkSet { ranges })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_join_when_they_touch() {
        let mut set = ChunkSet::default();
        for c in [5, 1, 0, 3, 2, 9] {
            set.insert(c);
        }
        assert_eq!(set.ranges(), &[0..4, 5..6, 9..10]);
        assert_eq!(set.len(), 6);
        assert_eq!(set.to_string(), "0-3, 5, 9");
        set.insert(4);
        assert_eq!(set.ranges(), &[0..6, 9..10]);
    }

    #[test]
    fn missing_and_shared_chunks() {
        let mut set = ChunkSet::from_range(2..4);
        set.insert(7);
        assert_eq!(set.missing_from(0..10).ranges(), &[0..2, 4..7, 8..10]);
        assert_eq!(set.missing_from(2..4), ChunkSet::default());
        let all = ChunkSet::from_range(0..10);
        assert_eq!(all.without(&set), set.missing_from(0..10));
        assert_eq!(set.without(&all), ChunkSet::default());
        assert_eq!(set.first_shared(&ChunkSet::from_range(3..9)), Some(3));
        assert_eq!(set.first_shared(&ChunkSet::from_range(4..7)), None);
    }

    #[test]
    fn only_canonical_ranges_are_read() {
        assert!(ChunkSet::try_from(vec![(0, 2), (3, 4)]).is_ok());
        assert!(ChunkSet::try_from(vec![(0, 2), (2, 4)]).is_err());
        assert!(ChunkSet::try_from(vec![(3, 4), (0, 2)]).is_err());
        assert!(ChunkSet::try_from(vec![(2, 2)]).is_err());
    }
}
