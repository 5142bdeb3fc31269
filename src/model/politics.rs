//! A region's political regime (model.md §5; issue "grid competition" §6).
//!
//! Regimes such as neutral, ai-priority, mining-hostile and mining-ban set
//! the region's allocation policy, its mining-specific tariff adder, and
//! whether mining may run at all (as in China in 2021: miners there go
//! offline and must move). The regime follows a continuous-time Markov
//! chain with annual rates ([`MarkovChain`]), and scheduled elections
//! redraw it on their day from a given distribution of outcomes.

use rand::{Rng, RngExt};
use serde::Serialize;

use super::allocation::Policy;
use super::markov::MarkovChain;

/// One political regime of a region.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PoliticalRegime {
    /// Regime name.
    pub name: String,
    /// How the region's interconnection queue is served.
    pub policy: Policy,
    /// Tariff adder for mining loads, USD/MWh.
    pub mining_adder_usd_per_mwh: f64,
    /// Whether mining is banned (farms go offline).
    pub mining_banned: bool,
}

/// A scheduled election: on `day`, the regime is redrawn.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Election {
    /// Day from the scenario start.
    pub day: f64,
    /// Probability of each regime (scenario order) after the election.
    pub outcome: Vec<f64>,
}

/// Why a political chain was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum PoliticsError {
    /// No regime.
    #[error("give at least one political regime")]
    NoRegime,
    /// A regime's mining adder is not finite.
    #[error("regimes[{0}].mining_adder_usd_per_mwh: must be finite")]
    Adder(usize),
    /// The rate matrix is not square with finite, non-negative entries.
    #[error("transition rates: must be finite, ≥ 0, one row and column per regime")]
    Rates,
    /// The initial regime is out of range.
    #[error("initial regime {0} does not exist")]
    Initial(usize),
    /// An election's day is negative or not finite.
    #[error("elections[{0}].day: must be finite and ≥ 0")]
    Day(usize),
    /// Two elections fall on the same day.
    #[error("elections[{0}].day: another election is on the same day")]
    SameDay(usize),
    /// An election's outcome is not a probability distribution over the regimes.
    #[error("elections[{0}].outcome: one probability in [0, 1] per regime, summing to 1")]
    Outcome(usize),
}

/// The regimes, their transition rates and the scheduled elections.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PoliticalChain {
    regimes: Vec<PoliticalRegime>,
    initial: usize,
    chain: MarkovChain,
    /// Elections by day, each with the cumulative distribution of outcomes.
    elections: Vec<(f64, Vec<f64>)>,
}

impl PoliticalChain {
    /// Builds the chain: regimes, annual rates `rates[i][j]`, the initial
    /// regime, the elections and the step length in years.
    ///
    /// # Errors
    /// [`PoliticsError`] for no regime, a non-finite adder, a malformed rate
    /// matrix, an initial regime out of range, an election day that is
    /// negative or shared, or an outcome that is not a distribution.
    ///
    /// # Example
    /// ```
    /// use hashwatt::model::allocation::Policy;
    /// use hashwatt::model::politics::{Election, PoliticalChain, PoliticalRegime};
    /// let regime = |name: &str, banned| PoliticalRegime {
    ///     name: name.into(), policy: Policy::FirstCome,
    ///     mining_adder_usd_per_mwh: 0.0, mining_banned: banned,
    /// };
    /// let chain = PoliticalChain::new(
    ///     vec![regime("neutral", false), regime("ban", true)],
    ///     &[vec![0.0, 0.0], vec![0.0, 0.0]],
    ///     0,
    ///     vec![Election { day: 100.0, outcome: vec![0.0, 1.0] }],
    ///     1.0 / 365.0,
    /// )?;
    /// let mut rng = hashwatt::engine::stream(1, 0, "doc");
    /// assert_eq!(chain.step(0, 99.0, 1.0, &mut rng), 0);
    /// assert_eq!(chain.step(0, 100.0, 1.0, &mut rng), 1);
    /// # Ok::<(), hashwatt::model::politics::PoliticsError>(())
    /// ```
    pub fn new(
        regimes: Vec<PoliticalRegime>,
        rates: &[Vec<f64>],
        initial: usize,
        elections: Vec<Election>,
        step_years: f64,
    ) -> Result<PoliticalChain, PoliticsError> {
        let n = regimes.len();
        if n == 0 {
            return Err(PoliticsError::NoRegime);
        }
        if let Some(i) = regimes
            .iter()
            .position(|r| !r.mining_adder_usd_per_mwh.is_finite())
        {
            return Err(PoliticsError::Adder(i));
        }
        let square = rates.len() == n && rates.iter().all(|row| row.len() == n);
        if !square
            || rates
                .iter()
                .flatten()
                .any(|q| !(q.is_finite() && *q >= 0.0))
        {
            return Err(PoliticsError::Rates);
        }
        if initial >= n {
            return Err(PoliticsError::Initial(initial));
        }
        let mut scheduled = Vec::with_capacity(elections.len());
        for (i, e) in elections.iter().enumerate() {
            if !(e.day.is_finite() && e.day >= 0.0) {
                return Err(PoliticsError::Day(i));
            }
            if elections[..i].iter().any(|other| other.day == e.day) {
                return Err(PoliticsError::SameDay(i));
            }
            let valid = e.outcome.len() == n
                && e.outcome.iter().all(|p| (0.0..=1.0).contains(p))
                && (e.outcome.iter().sum::<f64>() - 1.0).abs() <= 1e-9;
            if !valid {
                return Err(PoliticsError::Outcome(i));
            }
            let mut cumulative = 0.0;
            let cdf: Vec<f64> = e
                .outcome
                .iter()
                .map(|p| {
                    cumulative += p;
                    cumulative
                })
                .collect();
            scheduled.push((e.day, cdf));
        }
        scheduled.sort_by(|a, b| a.0.total_cmp(&b.0));
        Ok(PoliticalChain {
            regimes,
            initial,
            chain: MarkovChain::new(rates, step_years),
            elections: scheduled,
        })
    }

    /// The regimes, in scenario order.
    pub fn regimes(&self) -> &[PoliticalRegime] {
        &self.regimes
    }

    /// Index of the regime a path starts in.
    pub fn initial(&self) -> usize {
        self.initial
    }

    /// The regime after the step `[day, day + step_days)` from `current`:
    /// first the chain's transition (one uniform when the regime can be
    /// left), then every election inside the step redraws it (one uniform
    /// each, in date order).
    pub fn step<R: Rng + ?Sized>(
        &self,
        current: usize,
        day: f64,
        step_days: f64,
        rng: &mut R,
    ) -> usize {
        let mut regime = self.chain.step(current, rng);
        let end = day + step_days;
        for (_, cdf) in self.elections.iter().filter(|(d, _)| *d >= day && *d < end) {
            let u: f64 = rng.random();
            regime = cdf.iter().position(|&c| u < c).unwrap_or(cdf.len() - 1);
        }
        regime
    }
}
