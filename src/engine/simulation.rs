//! A run put together piece by piece: the scenario, the run's
//! configuration, what may stop it, the BTC price process and the farms'
//! power contracts (the scenario's own unless others are plugged in).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

use rayon::prelude::*;

use super::chunk::{Scratch, run_chunk};
use super::control::Control;
use super::observer::{NoObserver, Observer};
use super::path;
use super::{EngineError, RunConfig, check_paths, empty_summary, shard_chunks, thread_pool};
use crate::model::contract::{Plugged, PowerContract, ScenarioContract};
use crate::model::price_process::{PriceProcess, ScenarioPrice};
use crate::scenario::Scenario;
use crate::stats::{ChunkSet, Summary};

/// A run of a scenario, built step by step: [`Simulation::new`], then
/// optionally a [`control`](Simulation::control), a
/// [`price_process`](Simulation::price_process) and farm
/// [`contract`](Simulation::contract)s of one's own, then
/// [`run`](Simulation::run) (the config's shard) or
/// [`run_chunks`](Simulation::run_chunks).
///
/// # Example
/// ```
/// use hashwatt::engine::{RunConfig, Simulation, simulate};
/// use hashwatt::Scenario;
/// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/reference-core.toml");
/// let scenario = Scenario::from_path_with(path, &["horizon_days=60".parse()?])?;
/// let config = RunConfig::new(7, 500);
/// let summary = Simulation::new(&scenario, &config).run()?;
/// assert_eq!(summary, simulate(&scenario, &config)?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct Simulation<'a, P = ScenarioPrice<'a>, C = ScenarioContract> {
    scenario: &'a Scenario,
    config: &'a RunConfig,
    control: Control<'a>,
    price: P,
    /// One per farm, in the scenario's order.
    contracts: Vec<C>,
}

impl<'a> Simulation<'a> {
    /// A run of `scenario` with `config`, its own price process and
    /// contracts, and nothing to stop it or report to.
    pub fn new(scenario: &'a Scenario, config: &'a RunConfig) -> Self {
        Simulation {
            scenario,
            config,
            control: Control::NONE,
            price: scenario.price_process(),
            contracts: scenario.contracts(),
        }
    }
}

impl<'a, P: PriceProcess> Simulation<'a, P> {
    /// The run with `contract` as farm `farm`'s power contract instead of
    /// the scenario's ([`PowerContract`] says what it must do); the other
    /// farms keep theirs ([`Plugged`]). Every process, the farm's bids
    /// aside, draws the same numbers as with the scenario's contract
    /// (common random numbers); the summary's identity records
    /// [`PowerContract::identity`], so it merges only with parts run with
    /// the same contracts. After a move ([`Farm::migration`](crate::model::farm::Farm::migration))
    /// the farm buys on its new region's index, as with any contract.
    ///
    /// # Errors
    /// [`EngineError::UnknownFarm`] for a farm the scenario does not have,
    /// [`EngineError::OffGridFarm`] for a farm outside the regions (it has
    /// no market to bid in).
    pub fn contract<D: PowerContract>(
        self,
        farm: &str,
        contract: D,
    ) -> Result<Simulation<'a, P, Plugged<D>>, EngineError> {
        let contracts = self.contracts.into_iter().map(Plugged::Scenario).collect();
        Simulation {
            scenario: self.scenario,
            config: self.config,
            control: self.control,
            price: self.price,
            contracts,
        }
        .contract(farm, contract)
    }
}

impl<'a, P: PriceProcess, D: PowerContract> Simulation<'a, P, Plugged<D>> {
    /// Plugs `contract` into farm `farm` too (see the first
    /// [`contract`](Simulation::contract)).
    ///
    /// # Errors
    /// As the first [`contract`](Simulation::contract).
    pub fn contract(mut self, farm: &str, contract: D) -> Result<Self, EngineError> {
        let farms = self.scenario.farms();
        let Some(f) = farms.iter().position(|x| x.name == farm) else {
            return Err(EngineError::UnknownFarm(farm.to_string()));
        };
        if farms[f].region.is_none() {
            return Err(EngineError::OffGridFarm(farm.to_string()));
        }
        self.contracts[f] = Plugged::Own(contract);
        Ok(self)
    }
}

impl<'a, P: PriceProcess, C: PowerContract> Simulation<'a, P, C> {
    /// The run with `control` to report progress to and stop on.
    pub fn control(self, control: Control<'a>) -> Self {
        Simulation { control, ..self }
    }

    /// The run with `price` as the BTC price process instead of the
    /// scenario's ([`PriceProcess`] says what it must do). Every other
    /// process draws the same numbers as with the scenario's own (common
    /// random numbers); the summary's identity records
    /// [`PriceProcess::identity`], so it merges only with parts run with
    /// the same process.
    pub fn price_process<Q: PriceProcess>(self, price: Q) -> Simulation<'a, Q, C> {
        Simulation {
            scenario: self.scenario,
            config: self.config,
            control: self.control,
            price,
            contracts: self.contracts,
        }
    }

    /// Runs the config's shard and summarises its paths.
    ///
    /// # Errors
    /// [`EngineError`] for zero paths or a thread pool that cannot start,
    /// and [`EngineError::Interrupted`] when the control was asked to stop
    /// before the end (its workers stop within one time block of steps);
    /// [`run_chunks`](Simulation::run_chunks) keeps what was finished
    /// instead.
    pub fn run(&self) -> Result<Summary, EngineError> {
        let summary = self.run_chunks(&shard_chunks(self.config))?;
        if self.control.stopped() {
            return Err(EngineError::Interrupted);
        }
        Ok(summary)
    }

    /// Runs the chunks `todo` of the run's grid (chunk `c` holds paths
    /// `c·chunk_paths(P) ..`). When the control asks to stop, the workers
    /// drop the chunks they are in and the summary holds the chunks
    /// finished so far ([`Summary::chunks`]): merged with a summary of the
    /// others, it gives the bits of the whole run.
    ///
    /// # Errors
    /// [`EngineError`] for zero paths, chunks outside the run or a thread
    /// pool that cannot start.
    pub fn run_chunks(&self, todo: &ChunkSet) -> Result<Summary, EngineError> {
        Ok(self.run_chunks_observed(todo, &NoObserver)?.0)
    }

    /// [`run`](Simulation::run) with `observer` shown every recorded value
    /// of every path: the summary, and what the observer kept of each chunk
    /// of the config's shard, in increasing chunk order (chunk `c` holds
    /// paths `c·chunk_paths(P) ..`), the same for any thread count.
    ///
    /// # Errors
    /// As [`run`](Simulation::run).
    pub fn run_observed<O: Observer>(
        &self,
        observer: &O,
    ) -> Result<(Summary, Vec<O::Chunk>), EngineError> {
        let done = self.run_chunks_observed(&shard_chunks(self.config), observer)?;
        if self.control.stopped() {
            return Err(EngineError::Interrupted);
        }
        Ok(done)
    }

    /// [`run_chunks`](Simulation::run_chunks) with `observer`: the
    /// summary, and what the observer kept of each finished chunk, in
    /// increasing chunk order.
    ///
    /// # Errors
    /// As [`run_chunks`](Simulation::run_chunks).
    pub fn run_chunks_observed<O: Observer>(
        &self,
        todo: &ChunkSet,
        observer: &O,
    ) -> Result<(Summary, Vec<O::Chunk>), EngineError> {
        let (scenario, config, control) = (self.scenario, self.config, &self.control);
        check_paths(config)?;
        let chunks = config.chunks();
        if let Some(outside) = todo.iter().find(|&c| c >= chunks) {
            return Err(EngineError::ChunkOutside {
                chunk: outside,
                chunks,
            });
        }
        let pool = thread_pool(config)?;
        let todo: Vec<u64> = todo.iter().collect();
        let processes = (&self.price, &self.contracts[..]);
        let empty = empty_summary(scenario, config, processes);
        let done = Mutex::new(empty.clone());
        let seen = Mutex::new(Vec::with_capacity(todo.len()));
        let next = AtomicUsize::new(0);
        let workers = pool.current_num_threads().min(todo.len()).max(1);
        let run = (scenario, &self.price, &self.contracts[..]);
        pool.install(|| {
            (0..workers).into_par_iter().for_each(|_| {
                // Each chunk is summarised apart and added to what is done
                // only when it is finished, so that a stop keeps whole
                // chunks only. Adding is exact: the order chunks finish in
                // changes no bit. The chunk's summary holds that chunk's
                // values only (compact records, emptied for the next), so
                // it costs a fraction of the run's and adding it takes time
                // in proportion to the chunk's values.
                let mut part = empty.clone();
                let mut scratch = Scratch::new(run, config);
                loop {
                    let k = next.fetch_add(1, Ordering::Relaxed);
                    if k >= todo.len() || control.stopped() {
                        break;
                    }
                    part.clear_counts();
                    let chunk = todo[k];
                    let observed = (config, observer);
                    match run_chunk(run, observed, chunk, &mut scratch, &mut part, control) {
                        Some((paths, observation)) => {
                            lock(&done).add_counts_here(&part);
                            lock(&seen).push((chunk, observation));
                            control.report(paths);
                        }
                        None => break,
                    }
                }
            });
        });
        // Workers finish chunks in any order; the observations go back in
        // the chunks' order.
        let mut seen = seen.into_inner().unwrap_or_else(PoisonError::into_inner);
        seen.sort_unstable_by_key(|&(chunk, _)| chunk);
        let summary = done.into_inner().unwrap_or_else(PoisonError::into_inner);
        Ok((summary, seen.into_iter().map(|(_, o)| o).collect()))
    }

    /// The names of the series the run records, in the order of the
    /// summary's series and of [`StepValues::series`](super::StepValues::series).
    pub fn series_names(&self) -> Vec<String> {
        path::series_names(self.scenario, &self.price, &self.contracts)
    }

    /// The index of series `name` in [`series_names`](Simulation::series_names).
    pub fn series_index(&self, name: &str) -> Option<usize> {
        self.series_names().iter().position(|n| n == name)
    }
}

/// The summary of finished chunks. A worker that panicked cannot have left
/// it half-added (adding does not panic), so a poisoned lock is still sound.
fn lock<T>(done: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    done.lock().unwrap_or_else(PoisonError::into_inner)
}
