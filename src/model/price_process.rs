//! The BTC price as a plug-in process (model.md §3): what the engine asks
//! of any price process, and the scenario's choice between the two built
//! in, the regime-switching jump-diffusion ([`RegimeSwitchingPrice`]) and
//! the historical replay ([`PriceReplay`]).
//!
//! A process owns its per-path state ([`PriceProcess::State`]) and names
//! the random streams it draws from ([`PriceProcess::stream_names`]); the
//! engine opens one stream per name and path, keyed by (seed, path, name)
//! like every other process's. So a process of one's own, run with the
//! engine's [`Simulation`](crate::engine::Simulation), keeps the engine's
//! guarantees: the same seed gives the same bits for any thread count and
//! sharding, the other processes (fees, regimes, grid, ...) draw the same
//! numbers as with the built-in price (common random numbers), and the
//! summaries merge. The engine calls a process through generics only: no
//! dynamic call per path and step.

use rand::Rng;

use super::price::JumpDiffusion;
use super::regime::RegimeChain;

/// Where a path is when its price steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PriceStep {
    /// The step that ends (from 0): the new state is the price at the
    /// start of step `step + 1`.
    pub step: usize,
    /// The path's macro regime during the step (an index into the
    /// scenario's [`RegimeChain::regimes`]).
    pub regime: usize,
}

/// A BTC price process: per-path state, its random streams, how it steps,
/// and the series it records besides the price.
///
/// # Example
/// A price that grows at a fixed rate, with a lognormal shock each step
/// drawn from its own stream:
/// ```
/// use hashwatt::model::price_process::{PriceProcess, PriceStep};
/// use rand::Rng;
/// use rand_distr::{Distribution, StandardNormal};
///
/// struct Lognormal { start_usd: f64, log_drift: f64, log_sd: f64 }
///
/// impl PriceProcess for Lognormal {
///     type State = f64;
///     fn stream_names(&self) -> &[&'static str] { &["my_price.shock"] }
///     fn identity(&self) -> Option<String> {
///         Some(format!("lognormal {} {} {}", self.start_usd, self.log_drift, self.log_sd))
///     }
///     fn init<R: Rng>(&self, _: &mut [R]) -> f64 { self.start_usd }
///     fn price_usd(&self, state: &f64) -> f64 { *state }
///     fn step<R: Rng>(&self, state: &mut f64, _: PriceStep, streams: &mut [R]) {
///         let z: f64 = StandardNormal.sample(&mut streams[0]);
///         *state *= (self.log_drift + self.log_sd * z).exp();
///     }
/// }
/// ```
pub trait PriceProcess: Sync {
    /// What the process carries from one step to the next on a path.
    type State: Copy + Send + Sync;

    /// Names of the random streams it draws from: stream `k` of
    /// [`init`](PriceProcess::init) and [`step`](PriceProcess::step) is
    /// the path's stream of `stream_names()[k]`. A name shared with another
    /// process shares its numbers: the built-in jump-diffusion draws from
    /// `btc_price.diffusion` and `btc_price.jumps`.
    fn stream_names(&self) -> &[&'static str];

    /// What the process is, parameters included, for the run's identity:
    /// parts of runs merge only when it is the same. `None` only for the
    /// scenario's own process, which the scenario's identity already holds.
    fn identity(&self) -> Option<String>;

    /// The state at the start of a path (step 0).
    fn init<R: Rng>(&self, streams: &mut [R]) -> Self::State;

    /// The BTC price of `state`, USD/BTC.
    fn price_usd(&self, state: &Self::State) -> f64;

    /// Advances `state` from the start of step `at.step` to the start of
    /// the next (model.md §2, step 7).
    fn step<R: Rng>(&self, state: &mut Self::State, at: PriceStep, streams: &mut [R]);

    /// Names of the series it records each step besides `btc_price_usd`
    /// (recorded last in a row, in this order).
    fn series_names(&self) -> Vec<String> {
        Vec::new()
    }

    /// The value of its series `k` in `state`, at the start of a step.
    fn series_value(&self, state: &Self::State, k: usize) -> f64 {
        let _ = (state, k);
        f64::NAN
    }
}

/// The compensated log jump-diffusion whose parameters the macro regime
/// sets (model.md §3, [core]).
#[derive(Debug, Clone, Copy)]
pub struct RegimeSwitchingPrice<'a> {
    /// The regimes, each with its [`JumpDiffusion`].
    pub regimes: &'a RegimeChain,
    /// The price at the start, USD/BTC.
    pub initial_usd: f64,
}

/// The streams of the built-in jump-diffusion: diffusion, then jumps.
const JUMP_DIFFUSION_STREAMS: [&str; 2] = ["btc_price.diffusion", "btc_price.jumps"];

impl PriceProcess for RegimeSwitchingPrice<'_> {
    type State = f64;

    fn stream_names(&self) -> &[&'static str] {
        &JUMP_DIFFUSION_STREAMS
    }

    fn identity(&self) -> Option<String> {
        None
    }

    fn init<R: Rng>(&self, _: &mut [R]) -> f64 {
        self.initial_usd
    }

    #[inline]
    fn price_usd(&self, state: &f64) -> f64 {
        *state
    }

    #[inline]
    fn step<R: Rng>(&self, state: &mut f64, at: PriceStep, streams: &mut [R]) {
        let process: &JumpDiffusion = &self.regimes.regimes()[at.regime].price;
        let [diffusion, jumps] = streams else {
            unreachable!("the engine opens the two streams named")
        };
        *state = process.step(*state, diffusion, jumps);
    }
}

/// A historical price series replayed: the price at the start of step `t`
/// is `prices[t]` (model.md §3, "Replay").
#[derive(Debug, Clone, Copy)]
pub struct PriceReplay<'a> {
    /// One price per step, USD/BTC (at least one).
    pub prices: &'a [f64],
}

impl PriceProcess for PriceReplay<'_> {
    type State = f64;

    fn stream_names(&self) -> &[&'static str] {
        &[]
    }

    fn identity(&self) -> Option<String> {
        None
    }

    fn init<R: Rng>(&self, _: &mut [R]) -> f64 {
        self.prices.first().copied().unwrap_or(f64::NAN)
    }

    #[inline]
    fn price_usd(&self, state: &f64) -> f64 {
        *state
    }

    /// The price of the next step; after the last, nothing reads it.
    #[inline]
    fn step<R: Rng>(&self, state: &mut f64, at: PriceStep, _: &mut [R]) {
        *state = self.prices.get(at.step + 1).copied().unwrap_or(*state);
    }
}

/// The scenario's price process: the jump-diffusion, or the replay of
/// `[btc_price] replay`. One `match` a step picks the kind (as cheap as
/// the branch it replaces); both keep the bits of the engine before the
/// trait.
#[derive(Debug, Clone, Copy)]
pub enum ScenarioPrice<'a> {
    /// The regime-switching jump-diffusion.
    JumpDiffusion(RegimeSwitchingPrice<'a>),
    /// A replayed series.
    Replay(PriceReplay<'a>),
}

impl PriceProcess for ScenarioPrice<'_> {
    type State = f64;

    fn stream_names(&self) -> &[&'static str] {
        match self {
            ScenarioPrice::JumpDiffusion(p) => p.stream_names(),
            ScenarioPrice::Replay(p) => p.stream_names(),
        }
    }

    fn identity(&self) -> Option<String> {
        None
    }

    fn init<R: Rng>(&self, streams: &mut [R]) -> f64 {
        match self {
            ScenarioPrice::JumpDiffusion(p) => p.init(streams),
            ScenarioPrice::Replay(p) => p.init(streams),
        }
    }

    #[inline]
    fn price_usd(&self, state: &f64) -> f64 {
        *state
    }

    #[inline]
    fn step<R: Rng>(&self, state: &mut f64, at: PriceStep, streams: &mut [R]) {
        match self {
            ScenarioPrice::JumpDiffusion(p) => p.step(state, at, streams),
            ScenarioPrice::Replay(p) => p.step(state, at, streams),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::price::PriceParams;
    use crate::model::regime::Regime;
    use rand::SeedableRng;
    use rand_pcg::Pcg64Mcg;

    fn streams() -> [Pcg64Mcg; 2] {
        [Pcg64Mcg::seed_from_u64(1), Pcg64Mcg::seed_from_u64(2)]
    }

    #[test]
    fn replay_steps_through_its_prices_and_holds_the_last() {
        let replay = PriceReplay {
            prices: &[10.0, 20.0, 30.0],
        };
        let mut none: [Pcg64Mcg; 0] = [];
        let mut state = replay.init(&mut none);
        let mut seen = vec![state];
        for step in 0..3 {
            replay.step(&mut state, PriceStep { step, regime: 0 }, &mut none);
            seen.push(state);
        }
        assert_eq!(seen, [10.0, 20.0, 30.0, 30.0]);
        assert!(replay.stream_names().is_empty());
    }

    #[test]
    fn the_jump_diffusion_draws_as_its_regime_does() {
        let params = |drift| PriceParams {
            drift,
            volatility: 0.6,
            jump_intensity: 3.0,
            jump_mean: -0.05,
            jump_sd: 0.1,
        };
        let regime = |name: &str, drift| Regime {
            name: name.into(),
            price: JumpDiffusion::new(params(drift), 7.0 / 365.0),
            fuel_multiplier: 1.0,
            hurdle_premium: 0.0,
        };
        let regimes = vec![regime("calm", 0.1), regime("stress", -0.4)];
        let chain = RegimeChain::new(regimes, &[vec![0.0, 1.0], vec![1.0, 0.0]], 0, 7.0 / 365.0);
        let process = RegimeSwitchingPrice {
            regimes: &chain,
            initial_usd: 90_000.0,
        };
        let (mut ours, mut theirs) = (streams(), streams());
        let mut state = process.init(&mut ours);
        let mut expected = 90_000.0;
        for step in 0..50 {
            let regime = step % 2;
            process.step(&mut state, PriceStep { step, regime }, &mut ours);
            let [d, j] = &mut theirs;
            expected = chain.regimes()[regime].price.step(expected, d, j);
            assert_eq!(state.to_bits(), expected.to_bits(), "step {step}");
        }
        let scenario = ScenarioPrice::JumpDiffusion(process);
        assert_eq!(scenario.stream_names(), JUMP_DIFFUSION_STREAMS);
    }
}
