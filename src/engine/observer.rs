//! Custom statistics without forking the engine: an [`Observer`] sees every
//! recorded value of every path, a chunk of paths at a time, and keeps
//! what it wants of them.
//!
//! Determinism: the engine gives each chunk a fresh [`Observer::Chunk`],
//! feeds it that chunk's steps in order, and hands back the chunks'
//! observations in increasing chunk order, whichever worker ran which
//! chunk. So an observer that only reads what it is given (no shared
//! mutable state) gives the same observations for any thread count, and a
//! shard's observations are the whole run's for its chunks.

/// A statistic computed from the paths as they run.
///
/// The engine calls [`start_chunk`](Observer::start_chunk) once per chunk
/// of paths, then [`step`](Observer::step) once per recorded step with the
/// values of every series on the chunk's paths, then
/// [`finish_chunk`](Observer::finish_chunk). `step` runs in the hot loop
/// (once per step, not per path): keep it free of allocation.
///
/// # Example
/// The largest BTC price each path reaches:
/// ```
/// use hashwatt::engine::{Observer, RunConfig, Simulation, StepValues};
/// use hashwatt::Scenario;
///
/// struct Peak {
///     price: usize,
/// }
///
/// impl Observer for Peak {
///     type Chunk = Vec<f64>;
///     fn start_chunk(&self, _first_path: u64, paths: usize) -> Vec<f64> {
///         vec![f64::NEG_INFINITY; paths]
///     }
///     fn step(&self, peaks: &mut Vec<f64>, _step: usize, values: &StepValues<'_>) {
///         for (peak, &p) in peaks.iter_mut().zip(values.series(self.price)) {
///             *peak = peak.max(p);
///         }
///     }
/// }
///
/// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/reference-core.toml");
/// let scenario = Scenario::from_path_with(path, &["horizon_days=30".parse()?])?;
/// let config = RunConfig::new(7, 1500);
/// let run = Simulation::new(&scenario, &config);
/// let price = run.series_index("btc_price_usd").expect("a core series");
/// let (summary, chunks) = run.run_observed(&Peak { price })?;
/// let peaks: Vec<f64> = chunks.into_iter().flatten().collect();
/// assert_eq!(peaks.len() as u64, summary.paths_done());
/// assert!(peaks.iter().all(|&p| p >= scenario.initial_btc_price()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait Observer: Sync {
    /// What the observer keeps of one chunk of paths.
    type Chunk: Send;

    /// A fresh observation of the chunk whose paths are `first_path ..
    /// first_path + paths`.
    fn start_chunk(&self, first_path: u64, paths: usize) -> Self::Chunk;

    /// Sees step `step` (from 0) of the chunk: `values.series(s)` holds
    /// series `s`'s value on each of the chunk's paths, in path order.
    fn step(&self, chunk: &mut Self::Chunk, step: usize, values: &StepValues<'_>);

    /// Called after the chunk's last step; does nothing unless overridden.
    fn finish_chunk(&self, chunk: &mut Self::Chunk) {
        let _ = chunk;
    }
}

/// One step's recorded values on the paths of a chunk, series by series.
/// Series `s` is the `s`-th of
/// [`Simulation::series_names`](super::Simulation::series_names), the
/// order of the summary's series.
pub struct StepValues<'a> {
    /// The time block's values: `values[(s·TIME_BLOCK + dt)·chunk + i]`, `chunk` the run's [`chunk_paths`](super::chunk_paths).
    pub(crate) values: &'a [f64],
    /// Offset of this step in the block: `dt·chunk`.
    pub(crate) offset: usize,
    /// Distance between two series of one step: `TIME_BLOCK·chunk`.
    pub(crate) series_stride: usize,
    /// The chunk's number of paths.
    pub(crate) paths: usize,
    /// The number of recorded series.
    pub(crate) series: usize,
}

impl StepValues<'_> {
    /// Series `s`'s value on each of the chunk's paths.
    ///
    /// # Panics
    /// When `s` is not below [`series_count`](StepValues::series_count).
    pub fn series(&self, s: usize) -> &[f64] {
        assert!(s < self.series, "series {s} of {}", self.series);
        let at = s * self.series_stride + self.offset;
        &self.values[at..at + self.paths]
    }

    /// The number of recorded series.
    pub fn series_count(&self) -> usize {
        self.series
    }

    /// The chunk's number of paths.
    pub fn paths(&self) -> usize {
        self.paths
    }
}

/// The observer of a run without one: keeps nothing, costs nothing.
pub(crate) struct NoObserver;

impl Observer for NoObserver {
    type Chunk = ();
    #[inline(always)]
    fn start_chunk(&self, _first_path: u64, _paths: usize) {}
    #[inline(always)]
    fn step(&self, _chunk: &mut (), _step: usize, _values: &StepValues<'_>) {}
}
