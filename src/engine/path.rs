//! One Monte Carlo path: its compact state and the order of a step
//! (model.md §2).

use super::contract_paths::ContractGroup;
use super::cost_curve::{self, CurveBuffer, Market};
use super::grid::{self, GridScratch, REGION_SERIES, RegionPath, Rings};
use super::price_paths::PriceGroup;
use super::streams::CoreStreams;
use crate::model::contract::{ContractStep, PowerContract};
use crate::model::farm::{Farm, FarmStep};
use crate::model::farm_path::FarmPath;
use crate::model::finance::CashFlow;
use crate::model::investment::InvestmentPath;
use crate::model::migration::Location;
use crate::model::network::{
    NetworkState, hashprice, next_halving_height, paid_subsidy_btc, subsidy_btc,
};
use crate::model::network_power::{
    CBECI_POWER_PRICE_USD_PER_MWH, machine_models, profitable_mean_efficiency,
};
use crate::model::price_process::{PriceProcess, PriceStep};
use crate::scenario::Scenario;

/// Index of each core series in a recorded row; farm series follow.
pub(crate) const BTC_PRICE: usize = 0;
pub(crate) const HASHRATE: usize = 1;
pub(crate) const DIFFICULTY: usize = 2;
pub(crate) const HASHPRICE: usize = 3;
pub(crate) const FEE: usize = 4;
/// Number of core series before the per-farm ones.
pub(crate) const CORE_SERIES: usize = 5;
/// Series recorded for every farm (after the core ones, farm by farm).
const FARM_SERIES: &str = "online_fraction";
/// Series recorded for farms in a region (after every farm's
/// [`FARM_SERIES`], grid farm by grid farm). A farm outside the regions
/// runs all day or not at all, pays its fixed price and sells nothing back:
/// these would be constants of its online fraction.
const GRID_FARM_SERIES: [&str; 3] = [
    "uptime_fraction",
    "power_price_usd_per_mwh",
    "power_credits_usd",
];

/// Series recorded for farms with a balance sheet (after the grid farms'
/// series, farm by farm): P(insolvent by the date) as the mean of 0/1, and
/// cash. A farm without one cannot fail.
const FINANCE_FARM_SERIES: [&str; 2] = ["insolvent_fraction", "cash_usd"];

/// The network's power and its CBECI-style estimate, MW (after the region
/// series, when the scenario records them).
const NETWORK_SERIES: [&str; 2] = ["network.power_mw", "network.cbeci_power_mw"];

/// The rest of the world's invested machines: installed and on order, EH/s
/// (after the network's, when the scenario models investment); the price
/// process's own series, if any, follow, then the contracts' own.
const INVESTMENT_SERIES: [&str; 2] = ["rest_of_world.invested_ehs", "rest_of_world.on_order_ehs"];

/// Where each group of series starts in a recorded row.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Layout {
    grid_farms: usize,
    finance_farms: usize,
    expansion_farms: usize,
    migration_farms: usize,
    regions: usize,
    network: usize,
    investment: usize,
    /// The price process's own series.
    price: usize,
    /// The farms' contracts' own series, farm by farm.
    contract: usize,
    end: usize,
    /// Whether any farm renews a contract, expands or may move.
    renewals: bool,
    expansions: bool,
    migrations: bool,
}

impl Layout {
    /// The rows of `scenario` run with a price process that records
    /// `price_series` series of its own and contracts that record
    /// `contract_series` in all; `renewals` when any contract steps.
    pub(crate) fn of(
        scenario: &Scenario,
        price_series: usize,
        (contract_series, renewals): (usize, bool),
    ) -> Self {
        let count = |has: fn(&Farm) -> bool| scenario.farms().iter().filter(|f| has(f)).count();
        let grid_farms = CORE_SERIES + scenario.farms().len();
        let finance_farms = grid_farms + GRID_FARM_SERIES.len() * count(|f| f.region.is_some());
        let expansion_farms =
            finance_farms + FINANCE_FARM_SERIES.len() * count(|f| f.finance.is_some());
        let migration_farms = expansion_farms + count(|f| f.expansion.is_some());
        let regions = migration_farms + count(|f| f.migration.is_some());
        let network = regions + REGION_SERIES.len() * scenario.regions().len();
        let n_network = if scenario.records_network_power() {
            NETWORK_SERIES.len()
        } else {
            0
        };
        let investment = network + n_network;
        let n_investment = if scenario.investment().is_some() {
            INVESTMENT_SERIES.len()
        } else {
            0
        };
        let price = investment + n_investment;
        Layout {
            grid_farms,
            finance_farms,
            expansion_farms,
            migration_farms,
            regions,
            network,
            investment,
            price,
            contract: price + price_series,
            end: price + price_series + contract_series,
            renewals,
            expansions: count(|f| f.expansion.is_some()) > 0,
            migrations: count(|f| f.migration.is_some()) > 0,
        }
    }

    /// Number of series in a row.
    pub(crate) fn end(&self) -> usize {
        self.end
    }

    /// Row of series `k` of the `g`-th farm in a region.
    fn grid_farm(&self, g: usize, k: usize) -> usize {
        self.grid_farms + GRID_FARM_SERIES.len() * g + k
    }

    /// Row of series `k` of the `g`-th farm with a balance sheet.
    fn finance_farm(&self, g: usize, k: usize) -> usize {
        self.finance_farms + FINANCE_FARM_SERIES.len() * g + k
    }

    /// Row of series `k` of region `r`.
    fn region(&self, r: usize, k: usize) -> usize {
        self.regions + REGION_SERIES.len() * r + k
    }
}

/// Number of series recorded for `scenario` run with its own price
/// process and contracts.
pub(crate) fn series_count(scenario: &Scenario) -> usize {
    Layout::of(scenario, 0, (0, false)).end
}

/// Names of the recorded series of `scenario` run with `process` and
/// `contracts` (one per farm), in row order.
pub(crate) fn series_names<P: PriceProcess, C: PowerContract>(
    scenario: &Scenario,
    process: &P,
    contracts: &[C],
) -> Vec<String> {
    let mut names: Vec<String> = [
        "btc_price_usd",
        "hashrate_ehs",
        "difficulty_ehs",
        "hashprice_usd_per_ph_day",
        "fee_btc_per_block",
    ]
    .map(String::from)
    .to_vec();
    for farm in scenario.farms() {
        names.push(format!("farm.{}.{FARM_SERIES}", farm.name));
    }
    for farm in scenario.farms().iter().filter(|f| f.region.is_some()) {
        names.extend(GRID_FARM_SERIES.map(|k| format!("farm.{}.{k}", farm.name)));
    }
    for farm in scenario.farms().iter().filter(|f| f.finance.is_some()) {
        names.extend(FINANCE_FARM_SERIES.map(|k| format!("farm.{}.{k}", farm.name)));
    }
    for farm in scenario.farms().iter().filter(|f| f.expansion.is_some()) {
        names.push(format!("farm.{}.expansion_mw", farm.name));
    }
    for farm in scenario.farms().iter().filter(|f| f.migration.is_some()) {
        names.push(format!("farm.{}.moved_fraction", farm.name));
    }
    for region in scenario.regions() {
        names.extend(REGION_SERIES.map(|k| format!("region.{}.{k}", region.name)));
    }
    if scenario.records_network_power() {
        names.extend(NETWORK_SERIES.map(String::from));
    }
    if scenario.investment().is_some() {
        names.extend(INVESTMENT_SERIES.map(String::from));
    }
    names.extend(process.series_names());
    for (farm, contract) in scenario.farms().iter().zip(contracts) {
        let own = contract.series_names();
        names.extend(own.iter().map(|k| format!("farm.{}.{k}", farm.name)));
    }
    names
}

/// The state a path carries from one step to the next (the price
/// process's own state is apart, in a [`PriceGroup`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct PathState {
    regime: usize,
    /// The price process's price at the start of the step, USD/BTC.
    btc_price: f64,
    power_factor: f64,
    network: NetworkState,
    /// Subsidy of the current halving era, BTC, and the height where the
    /// era ends: cached, as they change once every 210 000 blocks.
    subsidy_btc: f64,
    next_halving: f64,
}

impl PathState {
    /// A path's start at BTC price `btc_price` (USD/BTC).
    pub(crate) fn new(scenario: &Scenario, btc_price: f64) -> Self {
        PathState {
            regime: scenario.regimes().initial(),
            btc_price,
            power_factor: scenario.power_factor().initial(),
            network: *scenario.network(),
            subsidy_btc: subsidy_btc(scenario.network().height),
            next_halving: next_halving_height(scenario.network().height),
        }
    }

    /// The power factor `X` before the next step.
    pub(crate) fn power_factor(&self) -> f64 {
        self.power_factor
    }

    /// The macro regime of the last step.
    pub(crate) fn regime(&self) -> usize {
        self.regime
    }
}

/// Paths stepped together: each stage of a step runs over the whole group
/// before the next stage, so that the independent work of different paths
/// (the long chains of `ln`, the normal CDF, `exp`) overlaps in the
/// processor instead of waiting on each other.
pub(crate) const GROUP: usize = 32;

/// Where a step's recorded values go: value of series `s` for path `i` of
/// the group at `values[s·series_stride + offset + i]`.
pub(crate) struct Recorder<'a> {
    pub values: &'a mut [f64],
    pub series_stride: usize,
    pub offset: usize,
}

impl Recorder<'_> {
    #[inline]
    fn put(&mut self, series: usize, path: usize, value: f64) {
        self.values[series * self.series_stride + self.offset + path] = value;
    }
}

/// A group's share of the engine's state, path-major: farm totals
/// `farms[i·n_farms + f]` and region states `regions[i·n_regions + r]` for
/// path `i`; the chunk's lead-time rings, where the group's path `i` is the
/// chunk's path `first + i`.
pub(crate) struct GroupState<'a, S, K> {
    pub paths: &'a mut [PathState],
    pub streams: &'a mut [CoreStreams],
    /// The price process's states and streams.
    pub price: PriceGroup<'a, S>,
    /// The farms' contracts' states and streams.
    pub contracts: ContractGroup<'a, K>,
    pub farms: &'a mut [FarmPath],
    pub regions: &'a mut [RegionPath],
    pub rings: &'a mut Rings,
    pub first: usize,
    /// Invested rest-of-world capacity per path (empty without investment).
    pub investment: &'a mut [InvestmentPath],
    /// Where the cost curve's values go (the chunk's path `first + i`), if
    /// anywhere.
    pub curves: Option<&'a mut CurveBuffer>,
    /// Where each group of series goes in a row.
    pub layout: &'a Layout,
    /// Where to put each farm's cash flow of the step, path-major like
    /// `farms` (only [`trace`](super::trace) asks).
    pub flows: Option<&'a mut [CashFlow]>,
}

/// Advances every path of a group (at most [`GROUP`]) by one step (`step`
/// from 0), in the order of model.md §2, recording the series of
/// [`series_names`] and adding to the farms' totals.
// Always inlined into its two callers: out of line, the compiler no longer
// inlines the core's random draws into it.
#[inline(always)]
pub(crate) fn step_group<P: PriceProcess, C: PowerContract>(
    scenario: &Scenario,
    (process, contracts): (&P, &[C]),
    group: GroupState<'_, P::State, C::State>,
    grid: &mut GridScratch,
    step: usize,
    out: &mut Recorder<'_>,
) {
    let GroupState {
        paths,
        streams,
        mut price,
        contracts: mut contract_states,
        farms,
        regions,
        rings,
        first,
        investment,
        mut curves,
        mut flows,
        layout,
    } = group;
    let curve_date = scenario.cost_curve_steps().binary_search(&step).ok();
    let n = paths.len();
    let n_farms = scenario.farms().len();
    let n_regions = scenario.regions().len();
    let days = f64::from(scenario.step_days());
    let day = days * step as f64;
    let mut fee = [0.0; GROUP];
    let mut hp = [0.0; GROUP];
    let mut hashrate = [0.0; GROUP];
    // 1-3. regime transitions, fees, hashprice at the start of the step
    for i in 0..n {
        let (path, rng) = (&mut paths[i], &mut streams[i]);
        path.regime = scenario.regimes().step(path.regime, &mut rng.regime);
        fee[i] = match scenario.fee_replay() {
            Some(fees) => fees[step],
            None => scenario.fees().draw(&mut rng.fees),
        };
        let net = &path.network;
        hp[i] = hashprice(path.subsidy_btc, fee[i], path.btc_price, net.difficulty_ehs);
        let states = &mut regions[i * n_regions..(i + 1) * n_regions];
        for (region, state) in scenario.regions().iter().zip(states) {
            grid::step_politics(region, state, day, days);
        }
    }
    // 4-5. power prices and online decisions → network hashrate
    let row = scenario.rest_of_world();
    let record_power = scenario.records_network_power();
    if record_power {
        let (farms, regions) = (scenario.farms(), scenario.regions());
        machine_models(row, step, day, (farms, regions), &mut grid.models);
    }
    let mut power = [0.0; GROUP];
    for i in 0..n {
        let (ln_hp, x) = (hp[i].ln(), paths[i].power_factor);
        if record_power {
            (hashrate[i], power[i]) = row.online_ehs_mw_at(step, ln_hp, x);
        } else {
            hashrate[i] = row.online_ehs_at(step, ln_hp, x);
        }
        if let Some(plan) = scenario.investment_plan() {
            let premium = scenario.regimes().regimes()[paths[i].regime].hurdle_premium;
            let inv = &mut investment[i];
            inv.step(plan, step, hp[i], x, premium);
            let (ln_m, inv_s) = (row.ln_median(), row.inverse_dispersion());
            let (ehs, mw) = inv.online_ehs_mw(ln_hp, x, ln_m, inv_s);
            hashrate[i] += ehs;
            power[i] += mw;
            out.put(layout.investment, i, inv.installed_ehs());
            out.put(layout.investment + 1, i, inv.on_order_ehs());
        }
    }
    let mut region_out = [0.0; REGION_SERIES.len()];
    for i in 0..n {
        let totals = &mut farms[i * n_farms..(i + 1) * n_farms];
        let path = &paths[i];
        let fuel_scale = if n_regions > 0 {
            path.power_factor.exp() * scenario.regimes().regimes()[path.regime].fuel_multiplier
        } else {
            1.0
        };
        // A farm on the move runs nowhere this step.
        if layout.migrations {
            for state in totals.iter_mut() {
                if state.migration.location == Location::Moving {
                    state.current = FarmStep::default();
                }
            }
        }
        let states = &mut regions[i * n_regions..(i + 1) * n_regions];
        let in_force = contract_states.path(i);
        for (r, (region, state)) in scenario.regions().iter().zip(states).enumerate() {
            let cleared = grid::clear_region(
                scenario,
                (contracts, in_force),
                (r, region),
                state,
                grid,
                step,
                hp[i],
                fuel_scale,
                totals,
                &mut region_out,
            );
            hashrate[i] += cleared.miners_phs / 1000.0;
            power[i] += cleared.miners_phs / 1000.0 * region.miners.efficiency_j_per_th;
            for k in grid::CLEAR_SERIES {
                out.put(layout.region(r, k), i, region_out[k]);
            }
        }
        let (mut g, mut b, mut x, mut m) = (0, 0, 0, 0);
        for (f, (farm, state)) in scenario.farms().iter().zip(totals).enumerate() {
            if farm.region.is_none() {
                let price = contracts[f].off_grid_price(&in_force[f]);
                state.current = match price.filter(|_| state.solvent()) {
                    Some(price) => farm.operate(hp[i], days, day, price),
                    None => FarmStep::default(),
                };
            }
            let op = &state.current;
            hashrate[i] += op.online_phs / 1000.0;
            if record_power {
                power[i] += op.energy_mwh / (24.0 * days * farm.pue);
            }
            let online_fraction = if op.phs_in_service > 0.0 {
                op.online_phs / op.phs_in_service
            } else {
                0.0
            };
            out.put(CORE_SERIES + f, i, online_fraction);
            if farm.region.is_some() {
                let row = |k| layout.grid_farm(g, k);
                out.put(row(0), i, op.uptime);
                out.put(row(1), i, op.price_usd_per_mwh);
                out.put(row(2), i, op.credits_usd);
                g += 1;
            }
            if farm.finance.is_some() {
                let row = |k| layout.finance_farm(b, k);
                out.put(row(0), i, if state.solvent() { 0.0 } else { 1.0 });
                b += 1;
            }
            if farm.expansion.is_some() {
                out.put(layout.expansion_farms + x, i, state.expansion.connected_mw);
                x += 1;
            }
            if farm.migration.is_some() {
                let moved = state.migration.location != Location::Home;
                out.put(layout.migration_farms + m, i, if moved { 1.0 } else { 0.0 });
                m += 1;
            }
        }
        let path = &paths[i];
        if let (Some(date), Some(buffer)) = (curve_date, curves.as_deref_mut()) {
            let market = Market {
                step,
                btc_price: path.btc_price,
                hashprice: hp[i],
                power_factor: path.power_factor,
            };
            let states = &regions[i * n_regions..(i + 1) * n_regions];
            let farms = &farms[i * n_farms..(i + 1) * n_farms];
            let inv = investment.get(i);
            cost_curve::record(
                scenario,
                buffer,
                date,
                first + i,
                market,
                inv,
                states,
                farms,
            );
        }
        out.put(BTC_PRICE, i, path.btc_price);
        for k in 0..layout.contract - layout.price {
            out.put(
                layout.price + k,
                i,
                process.series_value(&price.states[i], k),
            );
        }
        if layout.end > layout.contract {
            record_contracts(contracts, &contract_states, i, layout.contract, out);
        }
        out.put(HASHRATE, i, hashrate[i]);
        out.put(DIFFICULTY, i, path.network.difficulty_ehs);
        out.put(HASHPRICE, i, hp[i]);
        out.put(FEE, i, fee[i]);
        if record_power {
            // The investment's frontier counts once any is installed.
            let frontier = scenario
                .investment_plan()
                .zip(investment.get(i))
                .filter(|(_, inv)| inv.installed_ehs() > 0.0)
                .map(|(plan, _)| plan.frontier_efficiency(step));
            let models = grid.models.iter().copied().chain(frontier);
            let e = profitable_mean_efficiency(models, hp[i], CBECI_POWER_PRICE_USD_PER_MWH);
            out.put(layout.network, i, power[i]);
            // No machine left anywhere (every class retired, nothing
            // invested): no hashrate, no power, and no efficiency to take.
            let cbeci = if hashrate[i] > 0.0 {
                hashrate[i] * e
            } else {
                0.0
            };
            out.put(layout.network + 1, i, cbeci);
        }
    }
    // 6. blocks, halvings, retargets; revenue and costs
    for i in 0..n {
        let path = &mut paths[i];
        let reward = path.find_blocks(hashrate[i], days, fee[i]);
        let states = &mut farms[i * n_farms..(i + 1) * n_farms];
        let mut b = 0;
        for (f, (farm, state)) in scenario.farms().iter().zip(states).enumerate() {
            let mut btc = 0.0;
            if hashrate[i] > 0.0 {
                btc = state.current.online_phs / (1000.0 * hashrate[i])
                    * reward
                    * (1.0 - farm.pool_fee);
            }
            let sink = flows
                .as_deref_mut()
                .map(|flows| &mut flows[i * n_farms + f]);
            state.settle(farm, btc, path.btc_price, hp[i], (day, days), sink);
            if farm.finance.is_some() {
                out.put(layout.finance_farm(b, 1), i, state.cash_usd);
                b += 1;
            }
        }
    }
    // 7. next price and power factor
    for i in 0..n {
        let (path, rng) = (&mut paths[i], &mut streams[i]);
        let (state, price_streams) = price.path(i);
        let at = PriceStep {
            step,
            regime: path.regime,
        };
        process.step(state, at, price_streams);
        path.btc_price = process.price_usd(state);
        let power_factor = path.power_factor;
        path.power_factor = scenario
            .power_factor()
            .step(path.power_factor, &mut rng.power_factor);
        let states = &mut regions[i * n_regions..(i + 1) * n_regions];
        let farm_states = &mut farms[i * n_farms..(i + 1) * n_farms];
        for (r, (region, state)) in scenario.regions().iter().zip(states).enumerate() {
            let ring = rings.of(r, first + i);
            grid::update_queue(
                scenario,
                region,
                state,
                farm_states,
                ring,
                grid,
                step,
                day,
                &mut region_out,
            );
            for k in grid::QUEUE_SERIES {
                out.put(layout.region(r, k), i, region_out[k]);
            }
        }
        let farm_states = &mut farms[i * n_farms..(i + 1) * n_farms];
        let states = &regions[i * n_regions..(i + 1) * n_regions];
        if layout.renewals {
            let at = (step, day + days, power_factor);
            step_contracts(scenario, contracts, (&mut contract_states, i), states, at);
        }
        let states = &mut regions[i * n_regions..(i + 1) * n_regions];
        let in_force = (contracts, contract_states.path(i));
        if layout.migrations {
            plan_migrations(scenario, in_force, farm_states, states, day, days);
        }
        if layout.expansions {
            plan_expansions(scenario, in_force, farm_states, states, hp[i], day, days);
        }
    }
}

/// Records the contracts' own series of the group's path `i`, from row
/// `start`, farm by farm.
fn record_contracts<C: PowerContract>(
    contracts: &[C],
    states: &ContractGroup<'_, C::State>,
    i: usize,
    start: usize,
    out: &mut Recorder<'_>,
) {
    let mut row = start;
    for (f, contract) in contracts.iter().enumerate() {
        for k in 0..states.series[f] {
            let state = &states.path(i)[f];
            out.put(row, i, contract.series_value(state, k));
            row += 1;
        }
    }
}

/// Step 7: a migrating farm at home counts the days it has been denied
/// power (a ban, or its expansion request waiting) and leaves when that, or
/// its power price, says so; a farm on the move starts hashing in the new
/// region once granted all its power and past the downtime.
fn plan_migrations<C: PowerContract>(
    scenario: &Scenario,
    (contracts, in_force): (&[C], &[C::State]),
    farms: &mut [FarmPath],
    regions: &mut [RegionPath],
    day: f64,
    days: f64,
) {
    for (f, (farm, state)) in scenario.farms().iter().zip(farms).enumerate() {
        let (Some(m), Some(home)) = (&farm.migration, farm.region_index) else {
            continue;
        };
        let next_day = day + days;
        if state.migration.location != Location::Home {
            state.migration.arrive(next_day, m.downtime_days);
            continue;
        }
        let region = &scenario.regions()[home];
        let waiting = state.expansion.asked_mw > 0.0;
        let denied = regions[home].mining_banned(region) || waiting;
        let waiting_since = if waiting {
            state.expansion.asked_day
        } else {
            f64::NAN
        };
        let days = (day, next_day);
        let denied_days = state.migration.denied_days(denied, waiting_since, days);
        let price = contracts[f].home_price(&in_force[f], regions[home].market_price());
        if state.solvent() && m.triggered(denied_days, price) {
            let expansion_mw = state.expansion.connected_mw;
            let mw = farm.mw() + expansion_mw;
            state.migration.leave(next_day, mw, mw * m.cost_usd_per_mw);
            if let Some(e) = &farm.expansion {
                state.expansion.withdraw(e, day, true);
            }
            regions[home].release(farm.mw(), state.expansion.granted_mw);
        }
    }
}

/// Step 7: each expanding farm connects the machines whose lead time is
/// over, withdraws a request that waited too long, and asks for more power
/// (from the next step) when a frontier machine pays back fast enough at
/// this step's hashprice and its power price.
fn plan_expansions<C: PowerContract>(
    scenario: &Scenario,
    (contracts, in_force): (&[C], &[C::State]),
    farms: &mut [FarmPath],
    regions: &[RegionPath],
    hashprice: f64,
    day: f64,
    days: f64,
) {
    for (f, (farm, state)) in scenario.farms().iter().zip(farms).enumerate() {
        let (Some(e), Some(r)) = (&farm.expansion, farm.region_index) else {
            continue;
        };
        let x = &mut state.expansion;
        x.connect(day + days);
        x.withdraw(e, day, false);
        if state.migration.location != Location::Home {
            continue;
        }
        let home = contracts[f].home_price(&in_force[f], regions[r].market_price());
        let cost = home + farm.opex_usd_per_mwh;
        if state.insolvent_day.is_nan()
            && e.pays_back(hashprice, cost, farm.pue, farm.pool_fee, farm.availability)
        {
            state.expansion.ask(e, day + days);
        }
    }
}

/// The rest of the world's median site price at power factor `x`, USD/MWh.
// Out of line: inlined, the compiler computes its `exp` on every step,
// renewal or not.
#[inline(never)]
fn site_price(scenario: &Scenario, x: f64) -> f64 {
    scenario.rest_of_world().median_power_price() * x.exp()
}

/// Step 7: steps the contracts of the group's path `i` that change (a
/// renewal) at the end of step `step`, before the step from `next_day`: in
/// a region at its market price and tightness, outside at the rest of the
/// world's median site price at the step's power factor (no tightness).
fn step_contracts<C: PowerContract>(
    scenario: &Scenario,
    contracts: &[C],
    (states, i): (&mut ContractGroup<'_, C::State>, usize),
    regions: &[RegionPath],
    (step, next_day, power_factor): (usize, f64, f64),
) {
    for (f, (farm, contract)) in scenario.farms().iter().zip(contracts).enumerate() {
        if !contract.steps() {
            continue;
        }
        let (market, tightness) = match farm.region_index {
            Some(r) => (regions[r].market_price(), regions[r].tightness()),
            None => (site_price(scenario, power_factor), 0.0),
        };
        let at = ContractStep {
            step,
            next_day,
            market_usd_per_mwh: market,
            tightness,
        };
        let (state, streams) = states.farm(i, f);
        contract.step(state, &at, streams);
    }
}

impl PathState {
    /// Walks the step's blocks at `hashrate` and moves the height; returns
    /// the reward of those blocks (subsidy, split at a halving, plus fees).
    #[inline]
    fn find_blocks(&mut self, hashrate: f64, days: f64, fee: f64) -> f64 {
        let net = &mut self.network;
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
        paid + blocks * fee
    }
}
