//! Power contracts (model.md, "Farms" and "Regions: bids"): what a farm's
//! machines bid in their region's clearing, what a step of power costs and
//! earns back, and the price paid per MWh, one file per kind.
//!
//! Every kind implements [`PowerContract`]: its per-path state
//! ([`PowerContract::State`], e.g. the price in force), the random streams
//! it draws from, its bids, what a step of power costs and earns back, how
//! it changes between steps (a renewal) and the series it records. The
//! engine calls a contract through generics only: no `dyn` call in the hot
//! loop.
//!
//! [`Contract`] is the scenario's choice among the built-in kinds
//! ([`Fixed`], [`SellBack`], [`Hosted`], [`Index`]) and dispatches to them
//! with a `match`; [`ScenarioContract`] adds the farm's renewal to it. A
//! new built-in kind is a file here, a variant and its arm in `dispatch!`,
//! its scenario piece (`scenario/check_farm.rs`) and its doc section. A
//! kind of one's own, in another crate, implements [`PowerContract`] and
//! is plugged into one farm with
//! [`Simulation::contract`](crate::engine::Simulation::contract) (the
//! other farms keep theirs, through [`Plugged`]).
//!
//! Every function takes plain values (the step's adders, the daily
//! clearing price, the served share of a bid), not the engine's state.

mod fixed;
mod hosted;
mod index;
mod plugged;
mod scenario_contract;
mod sell_back;

pub use fixed::Fixed;
pub use hosted::Hosted;
pub use index::Index;
pub use plugged::{Plugged, PluggedState};
pub use scenario_contract::{InForce, ScenarioContract};
pub use sell_back::SellBack;

use rand::Rng;
use serde::Serialize;

use super::hours::HourlySpread;

/// Tariffs on top of the wholesale price in one step of a region, USD/MWh.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Adders {
    /// Delivery, large-load and mining adders: what an index contract pays.
    pub all: f64,
    /// The political regime's mining adder: what every miner pays, fixed
    /// contracts included (their price covers delivery).
    pub mining: f64,
}

/// What a contract's bid depends on besides the machine and the
/// contract's state: the step's adders and the market's scarcity cap.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BidTerms {
    /// The step's adders.
    pub adders: Adders,
    /// The region's scarcity cap, USD/MWh: the bid of a load that takes its
    /// power whatever the market price.
    pub cap_usd_per_mwh: f64,
}

/// One bid's part of a region's step.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ServedBid {
    /// MW of the lot (or expansion) in service.
    pub mw: f64,
    /// Its energy over the whole step were it to run every hour, MWh
    /// (`mw·24·days`).
    pub energy_days: f64,
    /// Share of its bid the clearing served, in [0, 1].
    pub served: f64,
    /// The price it bid, USD/MWh.
    pub bid_usd_per_mwh: f64,
}

/// The market a bid meets in one step: the hourly spread around the daily
/// clearing price, and the adders.
#[derive(Debug, Clone, Copy)]
pub struct Market<'a> {
    /// Hourly prices around the daily price.
    pub hours: &'a HourlySpread,
    /// The daily clearing price, USD/MWh.
    pub daily_usd_per_mwh: f64,
    /// The step's adders.
    pub adders: Adders,
}

/// A farm's running totals over its bids in one step, added to in the
/// order of its bids.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct StepTotals {
    /// Power paid, USD.
    pub power_cost_usd: f64,
    /// Power sold back, USD.
    pub credits_usd: f64,
    /// Σ MW · the mean price an index contract would pay (USD/MWh):
    /// its price when no energy was used.
    pub mean_index_price_mw: f64,
    /// MW in service.
    pub mw_in_service: f64,
}

/// Where a farm is when its contract steps, at the end of a step
/// (model.md §2, step 7).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ContractStep {
    /// The step that ends, from 0.
    pub step: usize,
    /// First day of the next step, from the scenario start.
    pub next_day: f64,
    /// The market price a renewal is priced from, USD/MWh: in a region its
    /// smoothed mean hourly price plus delivery and large-load adders,
    /// outside the rest of the world's median site price.
    pub market_usd_per_mwh: f64,
    /// How tight the farm's region was at this step's queue update, in
    /// [0, 1] (0 outside the regions).
    pub tightness: f64,
}

/// A kind of power contract: its per-path state, its random streams, its
/// bids in a region's clearing, what a step of power costs and earns back,
/// how it changes between steps, and the series it records.
///
/// The engine keeps one [`State`](PowerContract::State) per farm and path,
/// opens the streams of [`stream_names`](PowerContract::stream_names) per
/// path, keyed by (seed, path, `farm.<name>.<stream>`), and calls
/// [`init`](PowerContract::init) at a path's start and
/// [`step`](PowerContract::step) at the end of every step. So a contract
/// of one's own keeps the engine's guarantees: the same seed gives the same
/// bits for any thread count and sharding, every other process draws the
/// same numbers (common random numbers), and summaries merge.
///
/// # Example
/// A fixed price that escalates by a rate a year (a common clause of power
/// purchase agreements), otherwise a [`Fixed`] contract: its state is the
/// price in force, which moves at the end of every step.
/// ```
/// use hashwatt::model::contract::{
///     BidTerms, ContractStep, Fixed, Market, PowerContract, ServedBid, StepTotals,
/// };
///
/// struct Escalating { start_usd_per_mwh: f64, rate_per_year: f64 }
///
/// impl Escalating {
///     fn at(price: f64) -> Fixed { Fixed { price_usd_per_mwh: price } }
/// }
///
/// impl PowerContract for Escalating {
///     type State = f64;
///     fn identity(&self) -> Option<String> {
///         Some(format!("escalating {} {}", self.start_usd_per_mwh, self.rate_per_year))
///     }
///     fn init<R: rand::Rng>(&self, _: &mut [R]) -> f64 { self.start_usd_per_mwh }
///     fn bid(&self, p: &f64, value: f64, terms: &BidTerms) -> (bool, f64) {
///         Self::at(*p).bid(&(), value, terms)
///     }
///     fn serve(&self, p: &f64, bid: &ServedBid, m: &Market<'_>, t: &mut StepTotals) -> f64 {
///         Self::at(*p).serve(&(), bid, m, t)
///     }
///     fn paid_price(&self, p: &f64, m: &Market<'_>, t: &StepTotals, energy: f64) -> f64 {
///         Self::at(*p).paid_price(&(), m, t, energy)
///     }
///     fn home_price(&self, p: &f64, _market: f64) -> f64 { *p }
///     fn off_grid_price(&self, p: &f64) -> Option<f64> { Some(*p) }
///     fn step<R: rand::Rng>(&self, p: &mut f64, at: &ContractStep, _: &mut [R]) {
///         let years = at.next_day / 365.0;
///         *p = self.start_usd_per_mwh * (1.0 + self.rate_per_year).powf(years);
///     }
/// }
/// ```
pub trait PowerContract: Sync {
    /// What the contract carries from one step to the next on a path
    /// (the price in force, the end of the term, ...).
    type State: Copy + Send + Sync;

    /// Names of the random streams it draws from: stream `k` of
    /// [`init`](PowerContract::init) and [`step`](PowerContract::step) is
    /// the path's stream `farm.<farm name>.<stream_names()[k]>`. None by
    /// default.
    fn stream_names(&self) -> &[&'static str] {
        &[]
    }

    /// What the contract is, parameters included, for the run's identity:
    /// parts of runs merge only when it is the same. `None` only for the
    /// scenario's own contract, which the scenario's identity holds.
    fn identity(&self) -> Option<String>;

    /// The state at the start of a path.
    fn init<R: Rng>(&self, streams: &mut [R]) -> Self::State;

    /// The bid of a machine to which one MWh is worth `value` (USD/MWh,
    /// its breakeven before tariffs): whether it bids its MW, and at what
    /// price.
    fn bid(&self, state: &Self::State, value: f64, terms: &BidTerms) -> (bool, f64);

    /// One bid's step: adds its power cost and credits to `totals` and
    /// returns the share of the step it ran.
    fn serve(
        &self,
        state: &Self::State,
        bid: &ServedBid,
        market: &Market<'_>,
        totals: &mut StepTotals,
    ) -> f64;

    /// The average price paid per MWh used over the step, from the totals
    /// and the energy used (MWh).
    fn paid_price(
        &self,
        state: &Self::State,
        market: &Market<'_>,
        totals: &StepTotals,
        energy_mwh: f64,
    ) -> f64;

    /// The price the farm pays at home this step (USD/MWh) at the market
    /// price `market_usd_per_mwh` (as in [`ContractStep`]): what it weighs
    /// a move and an expansion against.
    fn home_price(&self, state: &Self::State, market_usd_per_mwh: f64) -> f64;

    /// The flat price per MWh of a farm outside the regions, which runs all
    /// day or not at all; `None` (the default) for a contract that needs a
    /// market: such a farm does not run.
    fn off_grid_price(&self, state: &Self::State) -> Option<f64> {
        let _ = state;
        None
    }

    /// Whether [`step`](PowerContract::step) ever changes the state: the
    /// engine skips the call (and the market price it needs) otherwise.
    fn steps(&self) -> bool {
        true
    }

    /// Advances the state at the end of a step (model.md §2, step 7): a
    /// fixed contract whose term ends renews. Does nothing by default.
    fn step<R: Rng>(&self, state: &mut Self::State, at: &ContractStep, streams: &mut [R]) {
        let _ = (state, at, streams);
    }

    /// Names of the series it records each step (as
    /// `farm.<farm name>.<series>`, after every other series).
    fn series_names(&self) -> Vec<String> {
        Vec::new()
    }

    /// The value of its series `k` in `state`, after the step's clearing.
    fn series_value(&self, state: &Self::State, k: usize) -> f64 {
        let _ = (state, k);
        f64::NAN
    }
}

/// A farm's power contract: one of the built-in kinds, as the scenario
/// gives it. Its state is the price in force, USD/MWh (unused by
/// [`Index`]).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Contract {
    /// A fixed price for the whole horizon, USD/MWh ([`Fixed`], or
    /// [`SellBack`] with `sell_back`).
    Fixed {
        /// Price, USD/MWh.
        price_usd_per_mwh: f64,
        /// Whether the farm, inside a region, buys its full power at the
        /// fixed price and sells back at the market price the hours it does
        /// not mine (the power-credit strategy).
        sell_back: bool,
    },
    /// Hosting: an all-in price per MWh used (power, tariffs and the
    /// host's services); the host takes the power whatever the market
    /// ([`Hosted`]).
    Hosted {
        /// All-in price, USD/MWh.
        price_usd_per_mwh: f64,
    },
    /// The region's hourly wholesale price plus tariffs and an adder
    /// ([`Index`]).
    Index {
        /// Adder on top of the wholesale price and tariffs, USD/MWh.
        adder_usd_per_mwh: f64,
    },
}

impl Contract {
    /// The price fixed at signing (of a fixed or hosted contract),
    /// USD/MWh; `None` for a contract that follows the market.
    pub fn fixed_price_usd_per_mwh(&self) -> Option<f64> {
        match *self {
            Contract::Fixed {
                price_usd_per_mwh, ..
            }
            | Contract::Hosted { price_usd_per_mwh } => Some(price_usd_per_mwh),
            Contract::Index { .. } => None,
        }
    }
}

/// Calls `$call` on the kind `$contract` stands for at the price in force
/// `$price` (every kind's state is `()`).
macro_rules! dispatch {
    ($contract:expr, $price:expr, $c:ident => $call:expr) => {
        match *$contract {
            Contract::Fixed {
                sell_back: false, ..
            } => {
                let $c = Fixed {
                    price_usd_per_mwh: $price,
                };
                $call
            }
            Contract::Fixed {
                sell_back: true, ..
            } => {
                let $c = SellBack {
                    price_usd_per_mwh: $price,
                };
                $call
            }
            Contract::Hosted { .. } => {
                let $c = Hosted {
                    price_usd_per_mwh: $price,
                };
                $call
            }
            Contract::Index { adder_usd_per_mwh } => {
                let $c = Index { adder_usd_per_mwh };
                $call
            }
        }
    };
}

impl PowerContract for Contract {
    /// The price in force, USD/MWh (0 for an index contract).
    type State = f64;

    fn identity(&self) -> Option<String> {
        serde_json::to_string(self).ok()
    }

    fn init<R: Rng>(&self, _: &mut [R]) -> f64 {
        self.fixed_price_usd_per_mwh().unwrap_or(0.0)
    }

    #[inline]
    fn bid(&self, price: &f64, value: f64, terms: &BidTerms) -> (bool, f64) {
        dispatch!(self, *price, c => c.bid(&(), value, terms))
    }

    #[inline]
    fn serve(
        &self,
        price: &f64,
        bid: &ServedBid,
        market: &Market<'_>,
        totals: &mut StepTotals,
    ) -> f64 {
        dispatch!(self, *price, c => c.serve(&(), bid, market, totals))
    }

    #[inline]
    fn paid_price(
        &self,
        price: &f64,
        market: &Market<'_>,
        totals: &StepTotals,
        energy_mwh: f64,
    ) -> f64 {
        dispatch!(self, *price, c => c.paid_price(&(), market, totals, energy_mwh))
    }

    #[inline]
    fn home_price(&self, price: &f64, market_usd_per_mwh: f64) -> f64 {
        dispatch!(self, *price, c => c.home_price(&(), market_usd_per_mwh))
    }

    #[inline]
    fn off_grid_price(&self, price: &f64) -> Option<f64> {
        dispatch!(self, *price, c => c.off_grid_price(&()))
    }

    fn steps(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::finance::Renewal;
    use crate::model::hours::HourlySpreadParams;

    fn spread() -> HourlySpread {
        HourlySpread::new(HourlySpreadParams {
            dispersion: 0.3,
            spike_probability: 0.02,
            spike_median: 900.0,
            spike_dispersion: 0.5,
            cap: 5_000.0,
        })
        .expect("valid spread")
    }

    const ADDERS: Adders = Adders {
        all: 10.0,
        mining: 2.0,
    };

    fn terms() -> BidTerms {
        BidTerms {
            adders: ADDERS,
            cap_usd_per_mwh: 5_000.0,
        }
    }

    fn market(hours: &HourlySpread) -> Market<'_> {
        Market {
            hours,
            daily_usd_per_mwh: 40.0,
            adders: ADDERS,
        }
    }

    fn bid(served: f64, bid: f64) -> ServedBid {
        ServedBid {
            mw: 10.0,
            energy_days: 240.0,
            served,
            bid_usd_per_mwh: bid,
        }
    }

    #[test]
    fn bids_follow_each_kind_s_rule() {
        let fixed = Contract::Fixed {
            price_usd_per_mwh: 50.0,
            sell_back: false,
        };
        let sell_back = Contract::Fixed {
            price_usd_per_mwh: 50.0,
            sell_back: true,
        };
        let hosted = Contract::Hosted {
            price_usd_per_mwh: 51.0,
        };
        let index = Contract::Index {
            adder_usd_per_mwh: 3.0,
        };
        // V − a_m = 50 reaches the price: fixed kinds bid, at the cap or at V − a_m.
        let (p50, p51) = (&50.0, &51.0);
        assert_eq!(fixed.bid(p50, 52.0, &terms()), (true, 5_000.0));
        assert_eq!(sell_back.bid(p50, 52.0, &terms()), (true, 50.0));
        assert!(!fixed.bid(p50, 51.9, &terms()).0);
        // The price in force decides, not the signing price.
        assert!(fixed.bid(&45.0, 51.9, &terms()).0);
        // Hosted compares V itself with its all-in price.
        assert_eq!(hosted.bid(p51, 51.0, &terms()), (true, 5_000.0));
        assert!(!hosted.bid(p51, 50.9, &terms()).0);
        // Index always bids V − adders − its adder.
        assert_eq!(index.bid(&0.0, 52.0, &terms()), (true, 39.0));
        assert_eq!(index.fixed_price_usd_per_mwh(), None);
        assert_eq!(hosted.fixed_price_usd_per_mwh(), Some(51.0));
        let mut none: [rand_pcg::Pcg64Mcg; 0] = [];
        assert_eq!(hosted.init(&mut none), 51.0);
        assert_eq!(index.home_price(&0.0, 45.0), 48.0);
        assert_eq!(fixed.home_price(&47.0, 45.0), 47.0);
        assert_eq!(fixed.off_grid_price(&47.0), Some(47.0));
        assert_eq!(index.off_grid_price(&0.0), None);
    }

    #[test]
    fn a_served_sell_back_bid_pays_its_whole_power_and_earns_the_hours_it_leaves() {
        let hours = spread();
        let m = market(&hours);
        let mut totals = StepTotals::default();
        let run = SellBack {
            price_usd_per_mwh: 50.0,
        }
        .serve(&(), &bid(1.0, 60.0), &m, &mut totals);
        let o = hours.outcome(40.0, 60.0);
        assert_eq!(run, o.uptime);
        assert_eq!(totals.credits_usd, 240.0 * o.sell_back_revenue);
        assert_eq!(totals.power_cost_usd, 240.0 * (50.0 + o.uptime * 2.0));
        // Index on the same bid: the energy cost of the hours run, so that
        // with the credits of the hours left it makes the mean price.
        let mut index = StepTotals::default();
        Index {
            adder_usd_per_mwh: 0.0,
        }
        .serve(&(), &bid(1.0, 60.0), &m, &mut index);
        let energy = 240.0 * (o.energy_cost + 10.0 * o.uptime);
        assert_eq!(index.power_cost_usd, energy);
        let mean = 240.0 * o.mean_price;
        let parts = index.power_cost_usd - 240.0 * 10.0 * o.uptime + totals.credits_usd;
        assert!((parts - mean).abs() <= 1e-9 * mean, "{parts} vs {mean}");
    }

    #[test]
    fn an_unserved_bid_runs_nothing() {
        let hours = spread();
        let m = market(&hours);
        for contract in [
            Contract::Fixed {
                price_usd_per_mwh: 50.0,
                sell_back: false,
            },
            Contract::Hosted {
                price_usd_per_mwh: 50.0,
            },
            Contract::Index {
                adder_usd_per_mwh: 1.0,
            },
        ] {
            let mut totals = StepTotals::default();
            let price = contract.fixed_price_usd_per_mwh().unwrap_or(0.0);
            assert_eq!(
                contract.serve(&price, &bid(0.0, 60.0), &m, &mut totals),
                0.0
            );
            assert_eq!(totals.power_cost_usd, 0.0);
        }
        // A sell-back farm not served still pays for and sells all its power.
        let mut totals = StepTotals::default();
        let run = SellBack {
            price_usd_per_mwh: 50.0,
        }
        .serve(&(), &bid(0.0, 60.0), &m, &mut totals);
        assert_eq!(run, 0.0);
        assert_eq!(totals.power_cost_usd, 240.0 * 50.0);
        assert_eq!(totals.credits_usd, 240.0 * hours.mean_price(40.0));
    }

    fn renewing() -> ScenarioContract {
        ScenarioContract {
            kind: Contract::Fixed {
                price_usd_per_mwh: 40.0,
                sell_back: false,
            },
            renewal: Some(Renewal {
                end_day: 100.0,
                premium_usd_per_mwh: 5.0,
                tight_premium_usd_per_mwh: 10.0,
                tenor_days: 365.0,
                tight_tenor_days: 165.0,
            }),
        }
    }

    #[test]
    fn a_fixed_contract_renews_at_market_when_its_term_ends() {
        let c = renewing();
        let mut none: [rand_pcg::Pcg64Mcg; 0] = [];
        let mut s = c.init(&mut none);
        assert_eq!((s.price_usd_per_mwh, s.term_end_day), (40.0, 100.0));
        assert!(c.steps());
        let at = |next_day| ContractStep {
            step: 0,
            next_day,
            market_usd_per_mwh: 60.0,
            tightness: 0.5,
        };
        c.step(&mut s, &at(99.0), &mut none);
        assert_eq!(s.price_usd_per_mwh, 40.0);
        c.step(&mut s, &at(100.0), &mut none);
        // 60 + 5 + 10·0.5, for 365 − 200·0.5 days.
        assert_eq!((s.price_usd_per_mwh, s.term_end_day), (70.0, 365.0));
        assert!(c.bid(&s, 70.0 + 2.0, &terms()).0);
        assert!(!c.bid(&s, 69.9 + 2.0, &terms()).0);
        let without = ScenarioContract { renewal: None, ..c };
        assert!(!without.steps());
        assert_eq!(without.init(&mut none).term_end_day, f64::INFINITY);
    }

    #[test]
    fn plugged_contracts_keep_the_scenario_s_and_run_their_own() {
        let mut none: [rand_pcg::Pcg64Mcg; 0] = [];
        let scenario: Plugged<Index> = Plugged::Scenario(renewing());
        let own = Plugged::Own(Index {
            adder_usd_per_mwh: 3.0,
        });
        let (s, o) = (scenario.init(&mut none), own.init(&mut none));
        assert_eq!(scenario.identity(), None);
        assert_eq!(
            own.identity().as_deref(),
            Some("Index { adder_usd_per_mwh: 3.0 }")
        );
        assert_eq!(scenario.home_price(&s, 45.0), 40.0);
        assert_eq!(own.home_price(&o, 45.0), 48.0);
        assert_eq!(own.bid(&o, 52.0, &terms()), (true, 39.0));
        // A state of the other kind bids nothing.
        assert_eq!(own.bid(&s, 52.0, &terms()), (false, 0.0));
        assert!(scenario.steps() && !own.steps());
    }
}
