//! Power contracts (model.md, "Farms" and "Regions: bids"): what a farm's
//! machines bid in their region's clearing, what a step of power costs and
//! earns back, and the price paid per MWh, one file per kind.
//!
//! Every kind implements [`PowerContract`]; [`Contract`] is the scenario's
//! choice among the built-in kinds and dispatches to them statically (a
//! `match`, no `dyn` call in the hot loop). A new kind is a file here, a
//! variant and its arm in [`Contract::dispatch`], its scenario piece
//! (`scenario/check_farm.rs`) and its doc section.
//!
//! Every function takes plain values (the step's adders, the daily
//! clearing price, the served share of a bid), not the engine's state.

mod fixed;
mod hosted;
mod index;
mod sell_back;

pub use fixed::Fixed;
pub use hosted::Hosted;
pub use index::Index;
pub use sell_back::SellBack;

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

/// What a contract's bid depends on besides the machine: the price in
/// force, the step's adders and the market's scarcity cap.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BidTerms {
    /// Price of the contract in force (the signing price, or a renewal's),
    /// USD/MWh; unused by an index contract.
    pub price_usd_per_mwh: f64,
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
/// clearing price, the price in force and the adders.
#[derive(Debug, Clone, Copy)]
pub struct Market<'a> {
    /// Hourly prices around the daily price.
    pub hours: &'a HourlySpread,
    /// The daily clearing price, USD/MWh.
    pub daily_usd_per_mwh: f64,
    /// Price of the contract in force, USD/MWh (unused by index).
    pub price_usd_per_mwh: f64,
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

/// A kind of power contract.
pub trait PowerContract {
    /// The price fixed at signing (of a fixed or hosted contract),
    /// USD/MWh; `None` for a contract that follows the market.
    fn fixed_price_usd_per_mwh(&self) -> Option<f64>;

    /// The bid of a machine to which one MWh is worth `value` (USD/MWh,
    /// its breakeven before tariffs): whether it bids its MW, and at what
    /// price.
    fn bid(&self, value: f64, terms: &BidTerms) -> (bool, f64);

    /// One bid's step: adds its power cost and credits to `totals` and
    /// returns the share of the step it ran.
    fn serve(&self, bid: &ServedBid, market: &Market<'_>, totals: &mut StepTotals) -> f64;

    /// The average price paid per MWh used over the step, from the totals
    /// and the energy used (MWh).
    fn paid_price(&self, market: &Market<'_>, totals: &StepTotals, energy_mwh: f64) -> f64;

    /// The price the farm pays at home this step (USD/MWh), against which
    /// it weighs a move: by default the price in force.
    fn home_price(&self, price_in_force: f64, market_usd_per_mwh: f64) -> f64 {
        let _ = market_usd_per_mwh;
        price_in_force
    }
}

/// A farm's power contract: one of the built-in kinds.
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

/// Calls `$call` on the kind `$contract` stands for.
macro_rules! dispatch {
    ($contract:expr, $c:ident => $call:expr) => {
        match *$contract {
            Contract::Fixed {
                price_usd_per_mwh,
                sell_back: false,
            } => {
                let $c = Fixed { price_usd_per_mwh };
                $call
            }
            Contract::Fixed {
                price_usd_per_mwh,
                sell_back: true,
            } => {
                let $c = SellBack { price_usd_per_mwh };
                $call
            }
            Contract::Hosted { price_usd_per_mwh } => {
                let $c = Hosted { price_usd_per_mwh };
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
    #[inline]
    fn fixed_price_usd_per_mwh(&self) -> Option<f64> {
        dispatch!(self, c => c.fixed_price_usd_per_mwh())
    }

    #[inline]
    fn bid(&self, value: f64, terms: &BidTerms) -> (bool, f64) {
        dispatch!(self, c => c.bid(value, terms))
    }

    #[inline]
    fn serve(&self, bid: &ServedBid, market: &Market<'_>, totals: &mut StepTotals) -> f64 {
        dispatch!(self, c => c.serve(bid, market, totals))
    }

    #[inline]
    fn paid_price(&self, market: &Market<'_>, totals: &StepTotals, energy_mwh: f64) -> f64 {
        dispatch!(self, c => c.paid_price(market, totals, energy_mwh))
    }

    #[inline]
    fn home_price(&self, price_in_force: f64, market_usd_per_mwh: f64) -> f64 {
        dispatch!(self, c => c.home_price(price_in_force, market_usd_per_mwh))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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

    fn terms(price: f64) -> BidTerms {
        BidTerms {
            price_usd_per_mwh: price,
            adders: ADDERS,
            cap_usd_per_mwh: 5_000.0,
        }
    }

    fn market(hours: &HourlySpread, price: f64) -> Market<'_> {
        Market {
            hours,
            daily_usd_per_mwh: 40.0,
            price_usd_per_mwh: price,
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
        assert_eq!(fixed.bid(52.0, &terms(50.0)), (true, 5_000.0));
        assert_eq!(sell_back.bid(52.0, &terms(50.0)), (true, 50.0));
        assert!(!fixed.bid(51.9, &terms(50.0)).0);
        // Hosted compares V itself with its all-in price.
        assert_eq!(hosted.bid(51.0, &terms(51.0)), (true, 5_000.0));
        assert!(!hosted.bid(50.9, &terms(51.0)).0);
        // Index always bids V − adders − its adder.
        assert_eq!(index.bid(52.0, &terms(0.0)), (true, 39.0));
        assert_eq!(index.fixed_price_usd_per_mwh(), None);
        assert_eq!(hosted.fixed_price_usd_per_mwh(), Some(51.0));
        assert_eq!(index.home_price(0.0, 45.0), 48.0);
        assert_eq!(fixed.home_price(47.0, 45.0), 47.0);
    }

    #[test]
    fn a_served_sell_back_bid_pays_its_whole_power_and_earns_the_hours_it_leaves() {
        let hours = spread();
        let m = market(&hours, 50.0);
        let mut totals = StepTotals::default();
        let run = SellBack {
            price_usd_per_mwh: 50.0,
        }
        .serve(&bid(1.0, 60.0), &m, &mut totals);
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
        .serve(&bid(1.0, 60.0), &m, &mut index);
        let energy = 240.0 * (o.energy_cost + 10.0 * o.uptime);
        assert_eq!(index.power_cost_usd, energy);
        let mean = 240.0 * o.mean_price;
        let parts = index.power_cost_usd - 240.0 * 10.0 * o.uptime + totals.credits_usd;
        assert!((parts - mean).abs() <= 1e-9 * mean, "{parts} vs {mean}");
    }

    #[test]
    fn an_unserved_bid_runs_nothing() {
        let hours = spread();
        let m = market(&hours, 50.0);
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
            assert_eq!(contract.serve(&bid(0.0, 60.0), &m, &mut totals), 0.0);
            assert_eq!(totals.power_cost_usd, 0.0);
        }
        // A sell-back farm not served still pays for and sells all its power.
        let mut totals = StepTotals::default();
        let run = SellBack {
            price_usd_per_mwh: 50.0,
        }
        .serve(&bid(0.0, 60.0), &m, &mut totals);
        assert_eq!(run, 0.0);
        assert_eq!(totals.power_cost_usd, 240.0 * 50.0);
        assert_eq!(totals.credits_usd, 240.0 * hours.mean_price(40.0));
    }
}
