//! One farm's contract replaced by a kind of one's own, the others kept:
//! what [`Simulation::contract`](crate::engine::Simulation::contract) runs.

use rand::Rng;

use super::{
    BidTerms, ContractStep, InForce, Market, PowerContract, ScenarioContract, ServedBid, StepTotals,
};

/// A farm's contract in a run where some farms have a contract `C` of
/// one's own: the scenario's, or `C`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Plugged<C> {
    /// The scenario's contract.
    Scenario(ScenarioContract),
    /// The contract plugged in.
    Own(C),
}

/// The state of a [`Plugged`] contract: its own kind's.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PluggedState<S> {
    /// The scenario's contract's state.
    Scenario(InForce),
    /// The plugged contract's state.
    Own(S),
}

/// Calls `$scenario` or `$own` with `$c` and `$s` bound to the contract and
/// its state; a state of the other kind (which the engine never passes,
/// as it draws each state from its own contract) gives `$other`.
macro_rules! either {
    ($contract:expr, $state:expr, ($c:ident, $s:ident) => $call:expr, $other:expr) => {
        match ($contract, $state) {
            (Plugged::Scenario($c), PluggedState::Scenario($s)) => $call,
            (Plugged::Own($c), PluggedState::Own($s)) => $call,
            _ => $other,
        }
    };
}

impl<C: PowerContract> PowerContract for Plugged<C> {
    type State = PluggedState<C::State>;

    fn stream_names(&self) -> &[&'static str] {
        match self {
            Plugged::Scenario(c) => c.stream_names(),
            Plugged::Own(c) => c.stream_names(),
        }
    }

    fn identity(&self) -> Option<String> {
        match self {
            Plugged::Scenario(c) => c.identity(),
            Plugged::Own(c) => c.identity(),
        }
    }

    fn init<R: Rng>(&self, streams: &mut [R]) -> Self::State {
        match self {
            Plugged::Scenario(c) => PluggedState::Scenario(c.init(streams)),
            Plugged::Own(c) => PluggedState::Own(c.init(streams)),
        }
    }

    #[inline]
    fn bid(&self, state: &Self::State, value: f64, terms: &BidTerms) -> (bool, f64) {
        either!(self, state, (c, s) => c.bid(s, value, terms), (false, 0.0))
    }

    #[inline]
    fn serve(
        &self,
        state: &Self::State,
        bid: &ServedBid,
        market: &Market<'_>,
        totals: &mut StepTotals,
    ) -> f64 {
        either!(self, state, (c, s) => c.serve(s, bid, market, totals), 0.0)
    }

    #[inline]
    fn paid_price(
        &self,
        state: &Self::State,
        market: &Market<'_>,
        totals: &StepTotals,
        energy_mwh: f64,
    ) -> f64 {
        either!(self, state, (c, s) => c.paid_price(s, market, totals, energy_mwh), f64::NAN)
    }

    #[inline]
    fn home_price(&self, state: &Self::State, market_usd_per_mwh: f64) -> f64 {
        either!(self, state, (c, s) => c.home_price(s, market_usd_per_mwh), f64::NAN)
    }

    #[inline]
    fn off_grid_price(&self, state: &Self::State) -> Option<f64> {
        either!(self, state, (c, s) => c.off_grid_price(s), None)
    }

    fn steps(&self) -> bool {
        match self {
            Plugged::Scenario(c) => c.steps(),
            Plugged::Own(c) => c.steps(),
        }
    }

    #[inline]
    fn step<R: Rng>(&self, state: &mut Self::State, at: &ContractStep, streams: &mut [R]) {
        either!(self, state, (c, s) => c.step(s, at, streams), ())
    }

    fn series_names(&self) -> Vec<String> {
        match self {
            Plugged::Scenario(c) => c.series_names(),
            Plugged::Own(c) => c.series_names(),
        }
    }

    fn series_value(&self, state: &Self::State, k: usize) -> f64 {
        either!(self, state, (c, s) => c.series_value(s, k), f64::NAN)
    }
}
