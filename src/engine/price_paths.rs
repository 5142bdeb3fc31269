//! The price process's share of a chunk: each path's state and streams,
//! laid out flat so that a chunk allocates them once.

use super::streams::{StreamRng, stream};
use crate::model::price_process::PriceProcess;

/// The price states of a chunk's paths and their streams: path `i` has
/// state `states[i]` and streams `streams[i·k .. (i+1)·k]`, for the `k`
/// names of the process.
pub(crate) struct PricePaths<S> {
    pub states: Vec<S>,
    pub streams: Vec<StreamRng>,
    /// Streams per path.
    pub per_path: usize,
}

impl<S: Copy> PricePaths<S> {
    /// Room for `paths` paths of `process`.
    pub(crate) fn new<P: PriceProcess<State = S>>(process: &P, paths: usize) -> Self {
        let per_path = process.stream_names().len();
        PricePaths {
            states: Vec::with_capacity(paths),
            streams: Vec::with_capacity(paths * per_path),
            per_path,
        }
    }

    /// Puts paths `first .. first + n` of a run with `seed` at their start:
    /// opens their streams and draws their initial states.
    pub(crate) fn start<P: PriceProcess<State = S>>(
        &mut self,
        process: &P,
        seed: u64,
        first: u64,
        n: usize,
    ) {
        self.states.clear();
        self.streams.clear();
        for i in 0..n as u64 {
            let names = process.stream_names();
            self.streams
                .extend(names.iter().map(|name| stream(seed, first + i, name)));
            let at = self.streams.len() - names.len();
            self.states.push(process.init(&mut self.streams[at..]));
        }
    }

    /// The share of paths `first..last`.
    pub(crate) fn group(&mut self, first: usize, last: usize) -> PriceGroup<'_, S> {
        let k = self.per_path;
        PriceGroup {
            states: &mut self.states[first..last],
            streams: &mut self.streams[first * k..last * k],
            per_path: k,
        }
    }
}

/// A group's share of [`PricePaths`]: its path `i` has state `states[i]`
/// and streams `streams[i·per_path ..]`.
pub(crate) struct PriceGroup<'a, S> {
    pub states: &'a mut [S],
    pub streams: &'a mut [StreamRng],
    pub per_path: usize,
}

impl<S> PriceGroup<'_, S> {
    /// The state and the streams of the group's path `i`.
    #[inline]
    pub(crate) fn path(&mut self, i: usize) -> (&mut S, &mut [StreamRng]) {
        let k = self.per_path;
        (&mut self.states[i], &mut self.streams[i * k..(i + 1) * k])
    }
}
