//! A modelled farm on one path (model.md §6, farm finance): where it draws
//! its power, its balance sheet, insolvency, and the running totals its
//! [cost measures](super::cost_measures) are made of.
//!
//! Each step, [`FarmPath::settle`] turns the step's operation (BTC mined,
//! power bought and sold, energy) into a cash flow
//! `revenue + credits + hedge − power − opex − overhead − interest −
//! principal − capex + borrowing`, adds it to cash and declares the farm
//! insolvent on the first step its cash falls below zero (for farms with a
//! balance sheet). NPV discounts each step's margin less capex at the
//! farm's rate, `(1 + r)^(−t/365)`.

use super::contract::Index;
use super::expansion::{Expansion, ExpansionPath};
use super::farm::{Farm, FarmStep};
use super::finance::CashFlow;
use super::migration::{Location, MigrationPath};
use super::units::DAYS_PER_YEAR;

/// What a farm added up over a path, USD unless named otherwise.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct FarmRun {
    /// BTC mined, net of the pool fee.
    pub btc: f64,
    pub revenue_usd: f64,
    pub power_cost_usd: f64,
    pub credits_usd: f64,
    pub opex_usd: f64,
    pub interest_usd: f64,
    pub hedge_usd: f64,
    pub capex_usd: f64,
    /// Energy used, MWh.
    pub energy_mwh: f64,
    /// PH/s-days online (hashrate times days).
    pub online_ph_days: f64,
    /// Uptime times days, and days with machines in service.
    pub uptime_days: f64,
    pub service_days: f64,
    /// Operating margin summed, and discounted at the farm's rate.
    pub margin_usd: f64,
    pub npv_usd: f64,
    /// Day the summed margin first covered the capital at stake (NaN until).
    pub payback_day: f64,
    /// Expansion machines: PH/s-days connected, and the energy they could
    /// have drawn, MWh.
    pub expansion_ph_days: f64,
    pub expansion_mwh_available: f64,
}

/// A farm's state on one path.
// In this order: what every step reads and writes first, together, then
// what only farms that expand or move touch.
#[derive(Debug, Clone, Copy)]
#[repr(C)]
pub(crate) struct FarmPath {
    /// The step's operation, between the online decision and settlement.
    pub current: FarmStep,
    pub cash_usd: f64,
    pub debt_usd: f64,
    /// Day of insolvency (NaN while solvent).
    pub insolvent_day: f64,
    /// Discount factor at the end of the last settled step, and per step.
    discount: f64,
    step_discount: f64,
    /// The fleet's book value at the start (lots still to come at cost):
    /// what the margin must repay.
    capital_usd: f64,
    pub run: FarmRun,
    /// Whether the farm has any of the flows of [`FarmPath::settle_extras`].
    extras: bool,
    pub migration: MigrationPath,
    pub expansion: ExpansionPath,
}

impl FarmPath {
    /// The state at the start of a path with steps of `step_days` days.
    pub(crate) fn new(farm: &Farm, step_days: f64) -> Self {
        let finance = farm.finance;
        FarmPath {
            current: FarmStep::default(),
            cash_usd: finance.map_or(0.0, |f| f.cash_usd),
            debt_usd: finance.map_or(0.0, |f| f.debt_usd),
            insolvent_day: f64::NAN,
            discount: 1.0,
            step_discount: (1.0 + farm.discount_rate).powf(-step_days / DAYS_PER_YEAR),
            capital_usd: farm.fleet.iter().map(|l| l.book_value_usd(0.0)).sum(),
            run: FarmRun {
                payback_day: f64::NAN,
                ..FarmRun::default()
            },
            expansion: ExpansionPath::default(),
            migration: MigrationPath::default(),
            extras: farm.hedge.is_some()
                || farm.fleet.iter().any(|l| l.purchase_day > 0.0)
                || farm.expansion.is_some()
                || farm.migration.is_some()
                || farm.finance.is_some(),
        }
    }

    /// Whether the farm is still in business.
    #[inline]
    pub(crate) fn solvent(&self) -> bool {
        self.insolvent_day.is_nan()
    }

    /// Whether the farm draws its power from region `r` this step.
    #[inline]
    pub(crate) fn located_in(&self, farm: &Farm, r: usize) -> bool {
        match self.migration.location {
            Location::Home => farm.region_index == Some(r),
            Location::Moving => false,
            Location::Away => farm.migration.as_ref().is_some_and(|m| m.to_index == r),
        }
    }

    /// The index contract the farm buys its power on after a move, in
    /// force instead of its own; `None` while it has not moved.
    #[inline]
    pub(crate) fn moved_contract(&self, farm: &Farm) -> Option<Index> {
        match (&farm.migration, self.migration.location) {
            (Some(m), Location::Away) => Some(Index {
                adder_usd_per_mwh: m.adder_usd_per_mwh,
            }),
            _ => None,
        }
    }

    /// Step 6: the step's cash flow from the BTC mined (`btc`, net of the
    /// pool fee) sold at `btc_price`, the operation in `current` and the
    /// balance sheet; adds it to the totals and declares insolvency when
    /// cash falls below zero. An insolvent farm settles nothing.
    #[inline]
    pub(crate) fn settle(
        &mut self,
        farm: &Farm,
        btc: f64,
        btc_price: f64,
        hashprice: f64,
        (day, days): (f64, f64),
        sink: Option<&mut CashFlow>,
    ) {
        if !self.solvent() {
            if let Some(sink) = sink {
                *sink = CashFlow::default();
            }
            return;
        }
        let op = &self.current;
        let mut flow = CashFlow {
            revenue_usd: btc * btc_price,
            credits_usd: op.credits_usd,
            power_usd: op.power_cost_usd,
            opex_usd: op.energy_mwh * farm.opex_usd_per_mwh,
            overhead_usd: farm.overhead_usd_per_day * days,
            ..CashFlow::default()
        };
        if self.extras {
            self.settle_extras(farm, &mut flow, hashprice, day, days);
        }
        self.cash_usd += flow.net_usd();
        self.add(&flow, btc, day, days);
        if farm.finance.is_some() && self.cash_usd < 0.0 {
            self.insolvent_day = day;
        }
        if let Some(sink) = sink {
            *sink = flow;
        }
    }

    /// The parts of a step's cash flow that only some farms have: hedge,
    /// deliveries, expansion, the cost of a move, debt service.
    // Out of line: most farms have none, and the core step stays small.
    #[inline(never)]
    fn settle_extras(
        &mut self,
        farm: &Farm,
        flow: &mut CashFlow,
        hashprice: f64,
        day: f64,
        days: f64,
    ) {
        if let Some(hedge) = &farm.hedge {
            let phs = self.current.phs_in_service * farm.availability;
            flow.hedge_usd = hedge.settlement_usd(day, days, hashprice, phs);
        }
        // Lots delivered inside the horizon are paid on delivery; lots
        // owned at the start are paid already.
        for lot in &farm.fleet {
            if lot.purchase_day > 0.0 && lot.purchase_day >= day && lot.purchase_day < day + days {
                flow.capex_usd += lot.cost_usd();
            }
        }
        if let Some(e) = &farm.expansion {
            self.settle_expansion(farm, e, flow, days);
        }
        flow.capex_usd += std::mem::take(&mut self.migration.cost_usd);
        if let Some(finance) = &farm.finance {
            let borrowed = self.expansion.borrowed_usd;
            let (interest, principal) = finance.debt_service(self.debt_usd, borrowed, days);
            flow.interest_usd = interest;
            flow.principal_usd = principal;
            self.debt_usd -= principal;
        }
    }

    /// The expansion's machines bought at the last grants, and what its
    /// connected machines count for depreciation and curtailment.
    fn settle_expansion(&mut self, farm: &Farm, e: &Expansion, flow: &mut CashFlow, days: f64) {
        let x = &mut self.expansion;
        flow.capex_usd += std::mem::take(&mut x.capex_usd);
        let borrowing = std::mem::take(&mut x.borrowing_usd);
        flow.borrowing_usd = borrowing;
        x.borrowed_usd += borrowing;
        self.debt_usd += borrowing;
        let phs = x.connected_mw * e.phs_per_mw(farm.pue, farm.availability);
        self.run.expansion_ph_days += phs * days;
        self.run.expansion_mwh_available += x.connected_mw * 24.0 * days;
    }

    #[inline(always)]
    fn add(&mut self, flow: &CashFlow, btc: f64, day: f64, days: f64) {
        let op = &self.current;
        let run = &mut self.run;
        run.btc += btc;
        run.revenue_usd += flow.revenue_usd;
        run.power_cost_usd += flow.power_usd;
        run.credits_usd += flow.credits_usd;
        run.opex_usd += flow.opex_usd;
        run.interest_usd += flow.interest_usd;
        run.hedge_usd += flow.hedge_usd;
        run.capex_usd += flow.capex_usd;
        run.energy_mwh += op.energy_mwh;
        run.online_ph_days += op.online_phs * days;
        if op.phs_in_service > 0.0 {
            run.uptime_days += op.uptime * days;
            run.service_days += days;
        }
        let margin = flow.operating_margin_usd();
        run.margin_usd += margin;
        self.discount *= self.step_discount;
        run.npv_usd += self.discount * (margin - flow.capex_usd);
        if run.payback_day.is_nan() && run.margin_usd >= self.capital_usd {
            run.payback_day = day + days;
        }
    }
}
