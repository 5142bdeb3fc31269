//! One Monte Carlo path: its compact state and the order of a step
//! (model.md §2).

use super::streams::CoreStreams;
use crate::model::farm::FarmStep;
use crate::model::network::{
    NetworkState, hashprice, next_halving_height, paid_subsidy_btc, subsidy_btc,
};
use crate::scenario::Scenario;

/// Index of each core series in a recorded row; farm series follow.
pub(crate) const BTC_PRICE: usize = 0;
pub(crate) const HASHRATE: usize = 1;
pub(crate) const DIFFICULTY: usize = 2;
pub(crate) const HASHPRICE: usize = 3;
pub(crate) const FEE: usize = 4;
/// Number of core series before the per-farm ones.
pub(crate) const CORE_SERIES: usize = 5;

/// Names of the recorded series, in row order.
pub(crate) fn series_names(scenario: &Scenario) -> Vec<String> {
    let mut names: Vec<String> = [
        "btc_price_usd",
        "hashrate_ehs",
        "difficulty_ehs",
        "hashprice_usd_per_ph_day",
        "fee_btc_per_block",
    ]
    .map(String::from)
    .to_vec();
    names.extend(
        scenario
            .farms()
            .iter()
            .map(|f| format!("farm.{}.online_fraction", f.name)),
    );
    names
}

/// A farm's running totals on one path.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct FarmTotals {
    pub btc: f64,
    pub power_cost_usd: f64,
    pub opex_usd: f64,
    /// This step's operation, between the online decision and the revenue.
    current: FarmStep,
}

/// The state a path carries from one step to the next.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PathState {
    regime: usize,
    btc_price: f64,
    power_factor: f64,
    network: NetworkState,
    /// Subsidy of the current halving era, BTC, and the height where the
    /// era ends: cached, as they change once every 210 000 blocks.
    subsidy_btc: f64,
    next_halving: f64,
}

impl PathState {
    pub(crate) fn new(scenario: &Scenario) -> Self {
        PathState {
            regime: scenario.regimes().initial(),
            btc_price: scenario.initial_btc_price(),
            power_factor: scenario.power_factor().initial(),
            network: *scenario.network(),
            subsidy_btc: subsidy_btc(scenario.network().height),
            next_halving: next_halving_height(scenario.network().height),
        }
    }

    /// Advances one step, writing the recorded values into `row` (series
    /// order of [`series_names`]) and adding to the farms' totals.
    #[inline]
    pub(crate) fn step(
        &mut self,
        scenario: &Scenario,
        streams: &mut CoreStreams,
        row: &mut [f64],
        farms: &mut [FarmTotals],
    ) {
        let days = f64::from(scenario.step_days());
        // 1. regime transitions
        self.regime = scenario.regimes().step(self.regime, &mut streams.regime);
        // 2. fees
        let fee = scenario.fees().draw(&mut streams.fees);
        // 3. hashprice at the start of the step
        let net = &mut self.network;
        let hp = hashprice(self.subsidy_btc, fee, self.btc_price, net.difficulty_ehs);
        // 4-5. power prices and online decisions → network hashrate
        let mut hashrate = scenario
            .rest_of_world()
            .online_ehs(hp.ln(), self.power_factor);
        for ((farm, totals), on) in scenario
            .farms()
            .iter()
            .zip(farms.iter_mut())
            .zip(&mut row[CORE_SERIES..])
        {
            totals.current = farm.operate(hp, days);
            hashrate += totals.current.online_phs / 1000.0;
            *on = totals.current.online_phs / farm.nameplate_phs();
        }
        row[BTC_PRICE] = self.btc_price;
        row[HASHRATE] = hashrate;
        row[DIFFICULTY] = net.difficulty_ehs;
        row[HASHPRICE] = hp;
        row[FEE] = fee;
        // 6. blocks, halvings, retargets; revenue and costs
        let blocks = net.walk(hashrate, days);
        let end = net.height + blocks;
        let paid = if end <= self.next_halving {
            (end - net.height) * self.subsidy_btc
        } else {
            paid_subsidy_btc(net.height, blocks)
        };
        net.height = end;
        if end >= self.next_halving {
            self.subsidy_btc = subsidy_btc(end);
            self.next_halving = next_halving_height(end);
        }
        let reward = paid + blocks * fee;
        for (farm, totals) in scenario.farms().iter().zip(farms.iter_mut()) {
            let op = totals.current;
            if hashrate > 0.0 {
                totals.btc += op.online_phs / (1000.0 * hashrate) * reward * (1.0 - farm.pool_fee);
            }
            totals.power_cost_usd += op.energy_mwh * op.power_price;
            totals.opex_usd += op.energy_mwh * farm.opex_usd_per_mwh;
        }
        // 7. next price and power factor
        let regime = &scenario.regimes().regimes()[self.regime];
        self.btc_price = regime.price.step(
            self.btc_price,
            &mut streams.btc_diffusion,
            &mut streams.btc_jumps,
        );
        self.power_factor = scenario
            .power_factor()
            .step(self.power_factor, &mut streams.power_factor);
    }
}
