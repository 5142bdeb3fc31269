//! A farm's expansion (model.md §6): when a frontier machine would pay for
//! itself quickly enough at the current hashprice and the farm's power
//! price, the farm asks its region's interconnection queue for more MW;
//! what the queue grants is bought then and hashes after the machines'
//! lead time.

use serde::Serialize;

use super::error::{Interval, ParamError, Rule};
use super::farm::FarmError;
use super::finance::payback_days;
use super::units::MWH_PER_PH_DAY_PER_J_TH;

/// The parameters of an [`Expansion`], as [`Expansion::new`] takes them.
#[derive(Debug, Clone, PartialEq)]
pub struct ExpansionParams {
    /// Machine model bought.
    pub model: String,
    /// Its efficiency, J/TH (> 0).
    pub efficiency_j_per_th: f64,
    /// Its price per PH/s, USD (≥ 0).
    pub price_usd_per_phs: f64,
    /// Service life of the machines bought, days (> 0).
    pub life_days: f64,
    /// The farm asks for MW when a machine's payback is at most this, days
    /// (≥ 0).
    pub payback_threshold_days: f64,
    /// MW asked for at a time (> 0).
    pub request_mw: f64,
    /// Most MW the farm adds over the run, granted whether connected yet or
    /// not (≥ 0).
    pub max_mw: f64,
    /// Days from the grant (when the machines are bought) to hashing (≥ 0).
    pub lead_days: f64,
    /// A request not granted after this many days is withdrawn (> 0);
    /// `None`: it waits for ever.
    pub max_wait_days: Option<f64>,
    /// Share of the machines' price borrowed (the rest is paid from cash),
    /// in [0, 1].
    pub debt_share: f64,
}

/// How a farm grows: built by [`Expansion::new`] or by the scenario check
/// (`[farms.expansion]`), read through its accessors.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Expansion {
    /// Machine model bought.
    pub(crate) model: String,
    /// Its efficiency, J/TH.
    pub(crate) efficiency_j_per_th: f64,
    /// Its price per PH/s, USD.
    pub(crate) price_usd_per_phs: f64,
    /// Service life of the machines bought, days.
    pub(crate) life_days: f64,
    /// The farm asks for MW when a machine's payback is at most this, days.
    pub(crate) payback_threshold_days: f64,
    /// MW asked for at a time.
    pub(crate) request_mw: f64,
    /// Most MW the farm adds over the run (granted, whether connected yet
    /// or not).
    pub(crate) max_mw: f64,
    /// Days from the grant (when the machines are bought) to hashing.
    pub(crate) lead_days: f64,
    /// A request not granted after this many days is withdrawn.
    pub(crate) max_wait_days: f64,
    /// Share of the machines' price borrowed (the rest is paid from cash).
    pub(crate) debt_share: f64,
}

impl Expansion {
    /// Checks `params`: the ranges [`ExpansionParams`] gives.
    ///
    /// # Errors
    /// [`FarmError::Expansion`] naming the first parameter out of range
    /// (`debt_share` and `request_mw` first, then in the order of
    /// [`ExpansionParams`]).
    pub fn new(params: ExpansionParams) -> Result<Expansion, FarmError> {
        let check = |field, value, rule| {
            ParamError::check(field, value, rule).map_err(FarmError::Expansion)
        };
        let p = params;
        let debt_share = check(
            "debt_share",
            p.debt_share,
            Rule::Within(Interval::closed(0.0, 1.0)),
        )?;
        let request_mw = check("request_mw", p.request_mw, Rule::Positive)?;
        Ok(Expansion {
            efficiency_j_per_th: check(
                "efficiency_j_per_th",
                p.efficiency_j_per_th,
                Rule::Positive,
            )?,
            price_usd_per_phs: check("price_usd_per_phs", p.price_usd_per_phs, Rule::NonNegative)?,
            life_days: check("life_days", p.life_days, Rule::Positive)?,
            payback_threshold_days: check(
                "payback_threshold_days",
                p.payback_threshold_days,
                Rule::NonNegative,
            )?,
            request_mw,
            max_mw: check("max_mw", p.max_mw, Rule::NonNegative)?,
            lead_days: check("lead_days", p.lead_days, Rule::NonNegative)?,
            max_wait_days: match p.max_wait_days {
                Some(days) => check("max_wait_days", days, Rule::Positive)?,
                None => f64::INFINITY,
            },
            debt_share,
            model: p.model,
        })
    }

    /// Machine model bought.
    pub fn model(&self) -> &str {
        &self.model
    }

    /// Efficiency of the machines bought, J/TH.
    pub fn efficiency_j_per_th(&self) -> f64 {
        self.efficiency_j_per_th
    }

    /// Price of the machines bought, USD per PH/s.
    pub fn price_usd_per_phs(&self) -> f64 {
        self.price_usd_per_phs
    }

    /// Service life of the machines bought, days.
    pub fn life_days(&self) -> f64 {
        self.life_days
    }

    /// The farm asks for MW when a machine's payback is at most this, days.
    pub fn payback_threshold_days(&self) -> f64 {
        self.payback_threshold_days
    }

    /// MW asked for at a time.
    pub fn request_mw(&self) -> f64 {
        self.request_mw
    }

    /// Most MW the farm adds over the run (granted, whether connected yet
    /// or not).
    pub fn max_mw(&self) -> f64 {
        self.max_mw
    }

    /// Days from the grant (when the machines are bought) to hashing.
    pub fn lead_days(&self) -> f64 {
        self.lead_days
    }

    /// A request not granted after this many days is withdrawn
    /// (`f64::INFINITY`: never).
    pub fn max_wait_days(&self) -> f64 {
        self.max_wait_days
    }

    /// Share of the machines' price borrowed (the rest is paid from cash),
    /// in [0, 1].
    pub fn debt_share(&self) -> f64 {
        self.debt_share
    }

    /// PH/s of machines behind one MW of grid power at the farm's PUE and
    /// availability.
    pub fn phs_per_mw(&self, pue: f64, availability: f64) -> f64 {
        24.0 / (MWH_PER_PH_DAY_PER_J_TH * self.efficiency_j_per_th * pue * availability)
    }

    /// Whether a frontier machine pays for itself within the threshold at
    /// hashprice `hashprice` (USD per PH/s per day) and a cash cost of
    /// `cost_usd_per_mwh` (power and opex), for a farm with `pue`, pool fee
    /// `pool_fee` and machine availability `availability`.
    ///
    /// # Example
    /// ```
    /// use hashwatt::model::expansion::{Expansion, ExpansionParams};
    /// let e = Expansion::new(ExpansionParams {
    ///     model: "S21 XP".into(), efficiency_j_per_th: 15.0, price_usd_per_phs: 15_000.0,
    ///     life_days: 1826.0, payback_threshold_days: 540.0, request_mw: 10.0,
    ///     max_mw: 50.0, lead_days: 90.0, max_wait_days: Some(365.0), debt_share: 0.0,
    /// })?;
    /// // 1 PH/s: 48 USD a day of revenue, 0.36 MWh at 50 USD: payback 500 days.
    /// assert!(e.pays_back(48.0, 50.0, 1.0, 0.0, 1.0));
    /// assert!(!e.pays_back(40.0, 50.0, 1.0, 0.0, 1.0));
    /// # Ok::<(), hashwatt::model::farm::FarmError>(())
    /// ```
    pub fn pays_back(
        &self,
        hashprice: f64,
        cost_usd_per_mwh: f64,
        pue: f64,
        pool_fee: f64,
        availability: f64,
    ) -> bool {
        let days = payback_days(
            self.price_usd_per_phs,
            availability,
            self.efficiency_j_per_th,
            pue,
            hashprice,
            pool_fee,
            cost_usd_per_mwh,
        );
        days <= self.payback_threshold_days
    }
}

/// Deliveries of expansion machines in flight at once; a grant beyond
/// joins the last delivery (arriving with it, later than its own lead).
const MAX_DELIVERIES: usize = 4;

/// A farm's expansion on one path: MW asked of the region's queue, granted,
/// on their way and connected.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ExpansionPath {
    /// Grid MW connected and hashing.
    pub(crate) connected_mw: f64,
    /// MW of the open request (0: none open).
    pub(crate) asked_mw: f64,
    /// Day the open request was made.
    pub(crate) asked_day: f64,
    /// MW granted over the run.
    pub(crate) granted_mw: f64,
    /// MW asked for and withdrawn (waited too long, or refused by a ban).
    pub(crate) denied_mw: f64,
    /// Deliveries in flight: (day they hash from, MW).
    deliveries: [(f64, f64); MAX_DELIVERIES],
    in_flight: usize,
    /// Machines bought and money borrowed at grants, to settle next step.
    pub(crate) capex_usd: f64,
    pub(crate) borrowing_usd: f64,
    /// Debt taken for expansions over the run.
    pub(crate) borrowed_usd: f64,
}

impl Default for ExpansionPath {
    fn default() -> Self {
        ExpansionPath {
            connected_mw: 0.0,
            asked_mw: 0.0,
            asked_day: 0.0,
            granted_mw: 0.0,
            denied_mw: 0.0,
            deliveries: [(0.0, 0.0); MAX_DELIVERIES],
            in_flight: 0,
            capex_usd: 0.0,
            borrowing_usd: 0.0,
            borrowed_usd: 0.0,
        }
    }
}

impl ExpansionPath {
    /// Opens a request on `day` unless one is open or the farm has asked
    /// for its maximum.
    pub(crate) fn ask(&mut self, e: &Expansion, day: f64) {
        let room = e.max_mw - self.granted_mw;
        if self.asked_mw == 0.0 && room > 0.0 {
            self.asked_mw = e.request_mw.min(room);
            self.asked_day = day;
        }
    }

    /// `mw` granted on `day`: the machines are bought now (part on debt
    /// when the farm has a balance sheet, `borrows`) and hash after their
    /// lead time; `(pue, availability)` are the farm's.
    pub(crate) fn grant(
        &mut self,
        e: &Expansion,
        (mw, day): (f64, f64),
        (pue, availability): (f64, f64),
        borrows: bool,
    ) {
        if mw <= 0.0 {
            return;
        }
        self.asked_mw = (self.asked_mw - mw).max(0.0);
        self.granted_mw += mw;
        let arrival = day + e.lead_days;
        if self.in_flight < MAX_DELIVERIES {
            self.deliveries[self.in_flight] = (arrival, mw);
            self.in_flight += 1;
        } else {
            let last = &mut self.deliveries[MAX_DELIVERIES - 1];
            *last = (arrival, last.1 + mw);
        }
        let cost = mw * e.phs_per_mw(pue, availability) * e.price_usd_per_phs;
        self.capex_usd += cost;
        if borrows {
            self.borrowing_usd += cost * e.debt_share;
        }
    }

    /// Withdraws the open request: refused, or waited `max_wait_days` by
    /// `day` (`force` for a refusal).
    pub(crate) fn withdraw(&mut self, e: &Expansion, day: f64, force: bool) {
        if self.asked_mw > 0.0 && (force || day - self.asked_day >= e.max_wait_days) {
            self.denied_mw += self.asked_mw;
            self.asked_mw = 0.0;
        }
    }

    /// Connects the deliveries that hash from `day` or earlier.
    pub(crate) fn connect(&mut self, day: f64) {
        let mut kept = 0;
        for k in 0..self.in_flight {
            let (arrival, mw) = self.deliveries[k];
            if arrival <= day {
                self.connected_mw += mw;
            } else {
                self.deliveries[kept] = (arrival, mw);
                kept += 1;
            }
        }
        self.in_flight = kept;
    }
}
