//! Following and stopping a run from outside: a progress callback and a
//! stop flag, shared by [`simulate_with_control`](super::simulate_with_control)
//! and [`compare`](super::compare).

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};

/// How a caller follows a run and stops it.
///
/// `progress(paths)` is called (from the worker threads) each time a chunk
/// of `paths` paths is done. Setting the `stop` flag (from a Ctrl-C
/// handler, another thread, a timer) makes the workers stop at the end of
/// their current time block of 16 steps, well under a
/// second into it, and the run return
/// [`EngineError::Interrupted`](super::EngineError::Interrupted) without
/// a result.
///
/// # Example
/// ```
/// use std::sync::atomic::{AtomicBool, Ordering};
/// use hashwatt::engine::{Control, EngineError, RunConfig, simulate_with_control};
/// use hashwatt::Scenario;
/// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/reference-core.toml");
/// let scenario = Scenario::from_path(path)?;
/// let stop = AtomicBool::new(true); // asked to stop before it starts
/// let control = Control::new(&|_| {}, &stop);
/// let result = simulate_with_control(&scenario, &RunConfig::new(1, 100), control);
/// assert_eq!(result, Err(EngineError::Interrupted));
/// # Ok::<(), hashwatt::ScenarioError>(())
/// ```
#[derive(Clone, Copy)]
pub struct Control<'a> {
    progress: &'a (dyn Fn(u64) + Sync),
    stop: Option<&'a AtomicBool>,
}

/// A progress callback that ignores the news.
fn ignore(_paths: u64) {}

impl Control<'static> {
    /// No progress reports, no way to stop: the run goes to its end.
    pub const NONE: Control<'static> = Control {
        progress: &ignore,
        stop: None,
    };
}

impl Default for Control<'static> {
    fn default() -> Self {
        Control::NONE
    }
}

impl<'a> Control<'a> {
    /// Reports to `progress` and stops when `stop` is set.
    pub fn new(progress: &'a (dyn Fn(u64) + Sync), stop: &'a AtomicBool) -> Self {
        Control {
            progress,
            stop: Some(stop),
        }
    }

    /// Reports to `progress`; cannot be stopped.
    pub fn with_progress(progress: &'a (dyn Fn(u64) + Sync)) -> Self {
        Control {
            progress,
            stop: None,
        }
    }

    /// Tells the caller that `paths` more paths are done.
    pub fn report(&self, paths: u64) {
        (self.progress)(paths);
    }

    /// Whether the caller asked the run to stop.
    #[inline]
    pub fn stopped(&self) -> bool {
        // Relaxed: the flag carries no data, and a worker that reads it a
        // block late stops a block late.
        self.stop.is_some_and(|s| s.load(Ordering::Relaxed))
    }
}

impl fmt::Debug for Control<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Control")
            .field("stopped", &self.stopped())
            .finish_non_exhaustive()
    }
}
