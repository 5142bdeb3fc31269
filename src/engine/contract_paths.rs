//! The farms' contracts' share of a chunk: each farm's contract state and
//! streams on each path, laid out flat so that a chunk allocates them once.

use super::streams::{StreamRng, stream};
use crate::model::contract::PowerContract;
use crate::scenario::Scenario;

/// The contract states of a chunk's paths and their streams: farm `f` on
/// path `i` has state `states[i·n_farms + f]` and streams
/// `streams[i·per_path + first[f] ..][..count[f]]`.
pub(crate) struct ContractPaths<K> {
    pub states: Vec<K>,
    pub streams: Vec<StreamRng>,
    /// Each farm's first stream in a path's, and their number.
    first: Vec<usize>,
    count: Vec<usize>,
    /// Streams per path.
    per_path: usize,
    /// Number of series each farm's contract records.
    pub series: Vec<usize>,
    /// Each farm's stream names, `farm.<farm>.<stream>`.
    names: Vec<String>,
}

impl<K: Copy> ContractPaths<K> {
    /// Room for `paths` paths of `scenario`'s farms with `contracts`.
    pub(crate) fn new<C: PowerContract<State = K>>(
        scenario: &Scenario,
        contracts: &[C],
        paths: usize,
    ) -> Self {
        let mut first = Vec::with_capacity(contracts.len());
        let mut count = Vec::with_capacity(contracts.len());
        let mut names = Vec::new();
        for (farm, contract) in scenario.farms().iter().zip(contracts) {
            first.push(names.len());
            let own = contract.stream_names();
            count.push(own.len());
            names.extend(own.iter().map(|s| format!("farm.{}.{s}", farm.name)));
        }
        let per_path = names.len();
        ContractPaths {
            states: Vec::with_capacity(paths * contracts.len()),
            streams: Vec::with_capacity(paths * per_path),
            first,
            count,
            per_path,
            series: contracts.iter().map(|c| c.series_names().len()).collect(),
            names,
        }
    }

    /// Puts paths `first .. first + n` of a run with `seed` at their start:
    /// opens their streams and draws their initial states.
    pub(crate) fn start<C: PowerContract<State = K>>(
        &mut self,
        contracts: &[C],
        seed: u64,
        first: u64,
        n: usize,
    ) {
        self.states.clear();
        self.streams.clear();
        for i in 0..n as u64 {
            let at = self.streams.len();
            let names = self.names.iter();
            self.streams
                .extend(names.map(|name| stream(seed, first + i, name)));
            for (f, contract) in contracts.iter().enumerate() {
                let own = &mut self.streams[at + self.first[f]..][..self.count[f]];
                self.states.push(contract.init(own));
            }
        }
    }

    /// The share of paths `first..last`.
    pub(crate) fn group(&mut self, first: usize, last: usize) -> ContractGroup<'_, K> {
        let (farms, k) = (self.first.len(), self.per_path);
        ContractGroup {
            states: &mut self.states[first * farms..last * farms],
            streams: &mut self.streams[first * k..last * k],
            first: &self.first,
            count: &self.count,
            per_path: k,
            series: &self.series,
        }
    }
}

/// A group's share of [`ContractPaths`].
pub(crate) struct ContractGroup<'a, K> {
    pub states: &'a mut [K],
    streams: &'a mut [StreamRng],
    first: &'a [usize],
    count: &'a [usize],
    per_path: usize,
    /// Number of series each farm's contract records.
    pub series: &'a [usize],
}

impl<K> ContractGroup<'_, K> {
    /// The contract states of the group's path `i`, one per farm.
    #[inline]
    pub(crate) fn path(&self, i: usize) -> &[K] {
        let farms = self.first.len();
        &self.states[i * farms..(i + 1) * farms]
    }

    /// Farm `f`'s state and streams on the group's path `i`.
    #[inline]
    pub(crate) fn farm(&mut self, i: usize, f: usize) -> (&mut K, &mut [StreamRng]) {
        let farms = self.first.len();
        let at = i * self.per_path + self.first[f];
        (
            &mut self.states[i * farms + f],
            &mut self.streams[at..at + self.count[f]],
        )
    }
}
