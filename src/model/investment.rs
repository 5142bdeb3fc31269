//! Investment in the rest-of-world fleet (model.md §6 "Rest-of-world
//! fleet"): new frontier machines are ordered when their expected return
//! beats a hurdle, within the power available to them, hash after a lead
//! time and retire at the end of their life; the classes installed at day 0
//! retire by age ([`surviving_fraction`](super::retirement::surviving_fraction)).
//!
//! # Equations
//!
//! Step `t` covers days `[t·Δ, (t+1)·Δ)`; `d = t·Δ`, `Δy = Δ/365`.
//!
//! - Frontier machine: efficiency `e_f(d) = e0·(1 − g)^(d/365)` J/TH, price
//!   `c(d) = c0·(1 − k)^(d/365)` USD per TH/s (so `1000·c` USD per PH/s).
//! - Expected annual return of a frontier machine at the step's hashprice
//!   `HP` (USD per PH/s per day) and power factor `X`:
//!   `r = 365·(HP·(1 − f) − 0.024·e_f·PUE·p_site·exp(X)) / (1000·c)`,
//!   `f` the pool fee, `p_site` the site price at `X = 0`.
//! - Orders, EH/s: `o = min(o_max, R·max(0, r − (h + h_regime)))·Δy`, `R` the
//!   response (EH/s per year per unit of return above the hurdle), `h` the
//!   hurdle rate, `h_regime` the macro regime's premium; then
//!   `o ≤ max(0, A(d) − PUE·(M_inst + M_order)) / (PUE·e_f)`, with
//!   `A(d) = A0 + A1·d/365` the MW available to invested machines and
//!   `M_inst`, `M_order` the machine MW (EH/s × J/TH) installed and on order.
//! - Arrival: `n_lead = max(1, round(lead_days/Δ))` (half away from zero):
//!   an order placed in step `t` is installed at the start of step
//!   `t + n_lead` and hashes from that step on.
//!   ([`Investment::prepare`] caps `n_lead` and `n_life` at the run's
//!   steps: what would happen after the run does not happen within it.)
//! - Installed capacity sits in cohorts of `W = ⌈n_life/(MAX_BUCKETS − 1)⌉`
//!   steps, `n_life = max(1, round(365·life_years/Δ))`: deliveries of steps
//!   `[jW, (j+1)W)` go to cohort `j`, which keeps its EH/s `E_j`, machine MW
//!   `M_j` (efficiency `e_j = M_j/E_j`) and mean delivery step
//!   `d̄_j = Σ E·t / E_j`. The whole cohort retires at the start of the first
//!   step `t ≥ d̄_j + n_life − ½`.
//! - Online hashrate:
//!   `Σ_j E_j·Φ((ln HP − ln(0.024·e_j·PUE/(1 − f)) − (ln m + X)) / s)`, the
//!   rest-of-world formula ([`RestOfWorld::online_fraction`]) for a class of
//!   efficiency `e_j·PUE/(1 − f)`.
//!
//! # Why
//!
//! - **Orders at today's hashprice.** Investors value a machine at the
//!   current hashprice and power price (the payback rule of the industry);
//!   expected difficulty growth and halvings are what the hurdle rate
//!   prices. The order rate is linear in the excess return and capped, the
//!   investment response of the equilibrium literature; it needs no
//!   randomness: the order flow is deterministic given `HP` and `X`.
//! - **Power reserved at the order.** A site's power is contracted before
//!   its machines are bought, so orders count against the power from the
//!   order date, and capacity freed by a retirement can be ordered again.
//! - **Cohorts, not deliveries.** The engine keeps one state per path for
//!   1000 paths per worker: per-step deliveries over a five-year life would
//!   be 1825 values and as many `Φ` per step. At most [`MAX_BUCKETS`]
//!   cohorts cost at most that many `Φ` per step. A cohort's efficiency is
//!   the EH/s-weighted mean of what it received (`M_j/E_j`), so its MW, the
//!   unit of the power cap, is exact; retiring it whole at its mean delivery
//!   step plus the life keeps its EH/s·steps of service exact (up to
//!   rounding `d̄_j + n_life` to a step): machines delivered early in the
//!   cohort retire up to `W` steps late, those delivered late up to `W`
//!   early. A single delivery retires exactly at `n_life`.
//! - **PUE and pool fee in dispatch.** An invested machine runs when its
//!   margin net of fee and cooling is positive, as its investor assumed; with
//!   `PUE = 1` and no fee its online fraction is that of a rest-of-world
//!   class of the same efficiency. [`InvestmentPath::online_ehs`] takes the
//!   site-price distribution as arguments: the rest of world's (`ln m`,
//!   `1/s`), or, for new sites built where power costs `p_site`,
//!   `ln p_site`.
//! - **Orders in flight** are kept exactly, one slot per step of lead time
//!   (a ring of `n_lead` values per path), so arrivals are exact.

use serde::Serialize;

use super::error::{Interval, ParamError, Rule};
use super::special::normal_cdf;
use super::units::{DAYS_PER_YEAR, MWH_PER_PH_DAY_PER_J_TH};
#[cfg(doc)]
use crate::model::rest_of_world::RestOfWorld;

/// Most cohorts of invested machines alive at once (one `Φ` each per step).
pub const MAX_BUCKETS: usize = 8;

/// Default machine life, years (model.md §6: "about 5 years").
pub const DEFAULT_LIFE_YEARS: f64 = 5.0;

/// Why [`Investment::new`] refused its parameters.
///
/// # Example
/// ```
/// use hashwatt::model::error::{Interval, ParamError, Rule};
/// use hashwatt::model::investment::{Investment, InvestmentError};
/// # use hashwatt::model::investment::InvestmentParams;
/// # let params = InvestmentParams {
/// #     frontier_efficiency_j_per_th: 15.0, frontier_improvement_per_year: 0.1,
/// #     machine_cost_usd_per_th: 14.0, machine_cost_decline_per_year: 0.2,
/// #     site_power_price_usd_per_mwh: 40.0, pool_fee: 0.02, pue: 1.1,
/// #     hurdle_rate: 0.25, response_ehs_per_year: 300.0,
/// #     max_orders_ehs_per_year: None, lead_days: 90.0, life_years: 5.0,
/// #     power_available_mw: 5000.0, power_growth_mw_per_year: 1000.0,
/// # };
/// let err = Investment::new(InvestmentParams { pue: 0.9, ..params }).unwrap_err();
/// let rule = Rule::Within(Interval::closed(1.0, 10.0));
/// assert_eq!(err, InvestmentError::Param(ParamError { field: "pue", value: 0.9, rule }));
/// assert_eq!(err.to_string(), "rest-of-world investment: pue = 0.9: must be in [1, 10]");
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum InvestmentError {
    /// A parameter of [`Investment::new`] is out of range.
    #[error("rest-of-world investment: {0}")]
    Param(ParamError),
}

impl InvestmentError {
    /// The parameter out of range.
    pub fn param(&self) -> &ParamError {
        match self {
            InvestmentError::Param(p) => p,
        }
    }
}

/// The parameters of rest-of-world investment, as [`Investment::new`]
/// takes them (a scenario's `[rest_of_world.investment]`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InvestmentParams {
    /// Efficiency of the frontier machine at day 0, J/TH (> 0).
    pub frontier_efficiency_j_per_th: f64,
    /// Fraction `g` by which the frontier's J/TH falls per year, in [0, 1):
    /// `e_f(d) = e0·(1 − g)^(d/365)`.
    pub frontier_improvement_per_year: f64,
    /// Price of a frontier machine at day 0, USD per TH/s (> 0).
    pub machine_cost_usd_per_th: f64,
    /// Fraction by which the machine price per TH/s falls per year, in [0, 1).
    pub machine_cost_decline_per_year: f64,
    /// Power price new sites expect at `X = 0`, USD/MWh (≥ 0); multiplied by
    /// `exp(X)`.
    pub site_power_price_usd_per_mwh: f64,
    /// Pool fee of new sites, share of revenue in [0, 1).
    pub pool_fee: f64,
    /// Power usage effectiveness of new sites (site MW per machine MW), in
    /// [1, 10].
    pub pue: f64,
    /// Annual return on the machine's price that investors require (before
    /// the macro regime's premium), per year (finite).
    pub hurdle_rate: f64,
    /// EH/s ordered per year per unit of expected annual return above the
    /// hurdle (≥ 0).
    pub response_ehs_per_year: f64,
    /// Most EH/s ordered per year (≥ 0); `None`: no cap.
    pub max_orders_ehs_per_year: Option<f64>,
    /// Days from order to hashing (≥ 0; rounded to whole steps, at least 1).
    pub lead_days: f64,
    /// Age at which machines retire, years (> 0).
    pub life_years: f64,
    /// Site MW available to invested machines at day 0 (≥ 0).
    pub power_available_mw: f64,
    /// Site MW added to that per year (≥ 0).
    pub power_growth_mw_per_year: f64,
}

/// Rest-of-world investment: built by [`Investment::new`], which checks
/// its [`InvestmentParams`], or by the scenario check
/// (`[rest_of_world.investment]`); read through its accessors.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Investment {
    /// Efficiency of the frontier machine at day 0, J/TH (> 0).
    pub(crate) frontier_efficiency_j_per_th: f64,
    /// Fraction `g` by which the frontier's J/TH falls per year, in [0, 1):
    /// `e_f(d) = e0·(1 − g)^(d/365)`.
    pub(crate) frontier_improvement_per_year: f64,
    /// Price of a frontier machine at day 0, USD per TH/s (> 0).
    pub(crate) machine_cost_usd_per_th: f64,
    /// Fraction by which the machine price per TH/s falls per year, in [0, 1).
    pub(crate) machine_cost_decline_per_year: f64,
    /// Power price new sites expect at `X = 0`, USD/MWh (≥ 0); multiplied by
    /// `exp(X)`.
    pub(crate) site_power_price_usd_per_mwh: f64,
    /// Pool fee of new sites, share of revenue in [0, 1).
    pub(crate) pool_fee: f64,
    /// Power usage effectiveness of new sites (site MW per machine MW, ≥ 1).
    pub(crate) pue: f64,
    /// Annual return on the machine's price that investors require (before
    /// the macro regime's premium), per year.
    pub(crate) hurdle_rate: f64,
    /// EH/s ordered per year per unit of expected annual return above the
    /// hurdle (≥ 0).
    pub(crate) response_ehs_per_year: f64,
    /// Most EH/s ordered per year (≥ 0; `f64::INFINITY`: no cap).
    pub(crate) max_orders_ehs_per_year: f64,
    /// Days from order to hashing (≥ 0; rounded to whole steps, at least 1).
    pub(crate) lead_days: f64,
    /// Age at which machines retire, years (> 0).
    pub(crate) life_years: f64,
    /// Site MW available to invested machines at day 0 (≥ 0).
    pub(crate) power_available_mw: f64,
    /// Site MW added to that per year (≥ 0).
    pub(crate) power_growth_mw_per_year: f64,
}

impl Investment {
    /// Checks `params`: the ranges [`InvestmentParams`] gives.
    ///
    /// # Errors
    /// [`InvestmentError::Param`] naming the first parameter out of range
    /// (`life_years` first, then in the order of [`InvestmentParams`]).
    pub fn new(params: InvestmentParams) -> Result<Investment, InvestmentError> {
        let check = |field, value, rule| {
            ParamError::check(field, value, rule).map_err(InvestmentError::Param)
        };
        let fraction = Rule::Within(Interval::half_open(0.0, 1.0));
        let p = &params;
        let life_years = check("life_years", p.life_years, Rule::Positive)?;
        Ok(Investment {
            frontier_efficiency_j_per_th: check(
                "frontier_efficiency_j_per_th",
                p.frontier_efficiency_j_per_th,
                Rule::Positive,
            )?,
            frontier_improvement_per_year: check(
                "frontier_improvement_per_year",
                p.frontier_improvement_per_year,
                fraction,
            )?,
            machine_cost_usd_per_th: check(
                "machine_cost_usd_per_th",
                p.machine_cost_usd_per_th,
                Rule::Positive,
            )?,
            machine_cost_decline_per_year: check(
                "machine_cost_decline_per_year",
                p.machine_cost_decline_per_year,
                fraction,
            )?,
            site_power_price_usd_per_mwh: check(
                "site_power_price_usd_per_mwh",
                p.site_power_price_usd_per_mwh,
                Rule::NonNegative,
            )?,
            pool_fee: check("pool_fee", p.pool_fee, fraction)?,
            pue: check("pue", p.pue, Rule::Within(Interval::closed(1.0, 10.0)))?,
            hurdle_rate: check("hurdle_rate", p.hurdle_rate, Rule::Finite)?,
            response_ehs_per_year: check(
                "response_ehs_per_year",
                p.response_ehs_per_year,
                Rule::NonNegative,
            )?,
            max_orders_ehs_per_year: match p.max_orders_ehs_per_year {
                Some(v) => check("max_orders_ehs_per_year", v, Rule::NonNegative)?,
                None => f64::INFINITY,
            },
            lead_days: check("lead_days", p.lead_days, Rule::NonNegative)?,
            life_years,
            power_available_mw: check(
                "power_available_mw",
                p.power_available_mw,
                Rule::NonNegative,
            )?,
            power_growth_mw_per_year: check(
                "power_growth_mw_per_year",
                p.power_growth_mw_per_year,
                Rule::NonNegative,
            )?,
        })
    }

    /// Efficiency of the frontier machine at day 0, J/TH.
    pub fn frontier_efficiency_j_per_th(&self) -> f64 {
        self.frontier_efficiency_j_per_th
    }

    /// Fraction by which the frontier's J/TH falls per year, in [0, 1).
    pub fn frontier_improvement_per_year(&self) -> f64 {
        self.frontier_improvement_per_year
    }

    /// Price of a frontier machine at day 0, USD per TH/s.
    pub fn machine_cost_usd_per_th(&self) -> f64 {
        self.machine_cost_usd_per_th
    }

    /// Fraction by which the machine price per TH/s falls per year, in [0, 1).
    pub fn machine_cost_decline_per_year(&self) -> f64 {
        self.machine_cost_decline_per_year
    }

    /// Power price new sites expect at `X = 0`, USD/MWh.
    pub fn site_power_price_usd_per_mwh(&self) -> f64 {
        self.site_power_price_usd_per_mwh
    }

    /// Pool fee of new sites, share of revenue in [0, 1).
    pub fn pool_fee(&self) -> f64 {
        self.pool_fee
    }

    /// Cooling overhead of new sites (power usage effectiveness: site MW
    /// per machine MW), in [1, 10].
    pub fn pue(&self) -> f64 {
        self.pue
    }

    /// Annual return on the machine's price that investors require (before
    /// the macro regime's premium), per year.
    pub fn hurdle_rate(&self) -> f64 {
        self.hurdle_rate
    }

    /// EH/s ordered per year per unit of expected annual return above the
    /// hurdle.
    pub fn response_ehs_per_year(&self) -> f64 {
        self.response_ehs_per_year
    }

    /// Most EH/s ordered per year (`f64::INFINITY`: no cap).
    pub fn max_orders_ehs_per_year(&self) -> f64 {
        self.max_orders_ehs_per_year
    }

    /// Days from order to hashing (rounded to whole steps, at least 1:
    /// [`Investment::lead_steps`]).
    pub fn lead_days(&self) -> f64 {
        self.lead_days
    }

    /// Age at which machines retire, years.
    pub fn life_years(&self) -> f64 {
        self.life_years
    }

    /// Site MW available to invested machines at day 0.
    pub fn power_available_mw(&self) -> f64 {
        self.power_available_mw
    }

    /// Site MW added to that per year.
    pub fn power_growth_mw_per_year(&self) -> f64 {
        self.power_growth_mw_per_year
    }

    /// Frontier efficiency on day `day`, J/TH: `e0·(1 − g)^(day/365)`.
    ///
    /// # Example
    /// ```
    /// use hashwatt::model::investment::{Investment, InvestmentParams};
    /// let inv = Investment::new(InvestmentParams {
    ///     frontier_efficiency_j_per_th: 20.0,
    ///     frontier_improvement_per_year: 0.2,
    /// #   machine_cost_usd_per_th: 15.0,
    /// #   machine_cost_decline_per_year: 0.0,
    /// #   site_power_price_usd_per_mwh: 40.0,
    /// #   pool_fee: 0.0,
    /// #   pue: 1.0,
    /// #   hurdle_rate: 0.2,
    /// #   response_ehs_per_year: 500.0,
    /// #   max_orders_ehs_per_year: Some(400.0),
    /// #   lead_days: 90.0,
    /// #   life_years: 5.0,
    /// #   power_available_mw: 2000.0,
    /// #   power_growth_mw_per_year: 0.0,
    ///     // ...
    /// })?;
    /// assert_eq!(inv.frontier_efficiency(365.0), 16.0);
    /// # Ok::<(), hashwatt::model::investment::InvestmentError>(())
    /// ```
    pub fn frontier_efficiency(&self, day: f64) -> f64 {
        self.frontier_efficiency_j_per_th
            * (1.0 - self.frontier_improvement_per_year).powf(day / DAYS_PER_YEAR)
    }

    /// Price of a frontier machine on day `day`, USD per TH/s.
    pub fn machine_cost(&self, day: f64) -> f64 {
        self.machine_cost_usd_per_th
            * (1.0 - self.machine_cost_decline_per_year).powf(day / DAYS_PER_YEAR)
    }

    /// Site MW available to invested machines on day `day`.
    pub fn available_mw(&self, day: f64) -> f64 {
        self.power_available_mw + self.power_growth_mw_per_year * day / DAYS_PER_YEAR
    }

    /// Expected annual return of a frontier machine bought on day `day` at
    /// hashprice `hashprice` (USD per PH/s per day) and power factor
    /// `power_factor`: the reference form of the module's equation (the
    /// engine uses [`InvestmentPlan::expected_return`]).
    pub fn expected_return(&self, day: f64, hashprice: f64, power_factor: f64) -> f64 {
        let energy = MWH_PER_PH_DAY_PER_J_TH
            * self.frontier_efficiency(day)
            * self.pue
            * self.site_power_price_usd_per_mwh
            * power_factor.exp();
        DAYS_PER_YEAR * (hashprice * (1.0 - self.pool_fee) - energy)
            / (1000.0 * self.machine_cost(day))
    }

    /// Steps from order to hashing: `max(1, round(lead_days / step_days))`.
    pub fn lead_steps(&self, step_days: u32) -> usize {
        (self.lead_days / f64::from(step_days)).round().max(1.0) as usize
    }

    /// Machine life in steps: `max(1, round(365·life_years / step_days))`.
    pub fn life_steps(&self, step_days: u32) -> usize {
        (DAYS_PER_YEAR * self.life_years / f64::from(step_days))
            .round()
            .max(1.0) as usize
    }

    /// The per-step tables of a run of `steps` steps of `step_days` days,
    /// shared by every path.
    pub fn prepare(&self, steps: usize, step_days: u32) -> InvestmentPlan {
        // An order that arrives at step `steps` or later never hashes within
        // the run, and a machine never retires within it if its life is
        // `steps`: clamping keeps the ring and the cohorts sized by the run.
        let horizon = steps.max(1);
        let lead_steps = self.lead_steps(step_days).min(horizon);
        let life_steps = self.life_steps(step_days).min(horizon);
        // A cohort `j` retires at the latest at step (j+1)W − 1 + n_life,
        // before its slot is reused at step (j + MAX_BUCKETS)·W when
        // n_life − 1 ≤ (MAX_BUCKETS − 1)·W.
        let cohort_steps = life_steps.div_ceil(MAX_BUCKETS - 1);
        let day = |t: usize| t as f64 * f64::from(step_days);
        let efficiency: Vec<f64> = (0..steps)
            .map(|t| self.frontier_efficiency(day(t)))
            .collect();
        let energy_cost_usd_per_ph_day = efficiency
            .iter()
            .map(|e| MWH_PER_PH_DAY_PER_J_TH * e * self.pue * self.site_power_price_usd_per_mwh)
            .collect();
        let return_per_margin = (0..steps)
            .map(|t| DAYS_PER_YEAR / (1000.0 * self.machine_cost(day(t))))
            .collect();
        let available_mw = (0..steps).map(|t| self.available_mw(day(t))).collect();
        InvestmentPlan {
            step_years: f64::from(step_days) / DAYS_PER_YEAR,
            lead_steps,
            life_steps,
            cohort_steps,
            revenue_share: 1.0 - self.pool_fee,
            hurdle_rate: self.hurdle_rate,
            response: self.response_ehs_per_year,
            max_orders: self.max_orders_ehs_per_year,
            pue: self.pue,
            dispatch_scale: MWH_PER_PH_DAY_PER_J_TH * self.pue / (1.0 - self.pool_fee),
            efficiency,
            energy_cost_usd_per_ph_day,
            return_per_margin,
            available_mw,
        }
    }
}

/// [`Investment`] prepared for a run: per-step tables (frontier efficiency,
/// machine price, power available), built once by [`Investment::prepare`]
/// and shared by every path.
#[derive(Debug, Clone)]
pub struct InvestmentPlan {
    step_years: f64,
    lead_steps: usize,
    life_steps: usize,
    cohort_steps: usize,
    revenue_share: f64,
    hurdle_rate: f64,
    response: f64,
    max_orders: f64,
    pue: f64,
    /// `0.024·PUE/(1 − f)`: a cohort of efficiency `e` dispatches like a
    /// class of `e·PUE/(1 − f)`.
    dispatch_scale: f64,
    /// `e_f` per step, J/TH.
    efficiency: Vec<f64>,
    /// `0.024·e_f·PUE·p_site` per step: energy cost of a frontier PH/s per
    /// day at `X = 0`, USD.
    energy_cost_usd_per_ph_day: Vec<f64>,
    /// `365/(1000·c)` per step: annual return per USD per PH/s per day of
    /// margin.
    return_per_margin: Vec<f64>,
    /// `A(d)` per step, site MW.
    available_mw: Vec<f64>,
}

impl InvestmentPlan {
    /// Number of steps the plan covers (`step` arguments are below it).
    pub fn steps(&self) -> usize {
        self.efficiency.len()
    }

    /// Steps from order to hashing (`max(1, round(lead_days/Δ))`, at most
    /// the run's steps: such an order never hashes within the run).
    pub fn lead_steps(&self) -> usize {
        self.lead_steps
    }

    /// Machine life in steps (at most the run's steps).
    pub fn life_steps(&self) -> usize {
        self.life_steps
    }

    /// Steps of deliveries per cohort, `⌈life_steps/(MAX_BUCKETS − 1)⌉`.
    pub fn cohort_steps(&self) -> usize {
        self.cohort_steps
    }

    /// Frontier efficiency at step `step`, J/TH.
    pub fn frontier_efficiency(&self, step: usize) -> f64 {
        self.efficiency[step]
    }

    /// Site MW available to invested machines at step `step`.
    pub fn available_mw(&self, step: usize) -> f64 {
        self.available_mw[step]
    }

    /// Power usage effectiveness of invested sites.
    pub fn pue(&self) -> f64 {
        self.pue
    }

    /// Expected annual return `r` of a frontier machine ordered at step
    /// `step`, at hashprice `hashprice` (USD per PH/s per day) and power
    /// factor `power_factor` (equal to [`Investment::expected_return`] to
    /// rounding).
    #[inline]
    pub fn expected_return(&self, step: usize, hashprice: f64, power_factor: f64) -> f64 {
        (hashprice * self.revenue_share
            - self.energy_cost_usd_per_ph_day[step] * power_factor.exp())
            * self.return_per_margin[step]
    }
}

/// A cohort of invested machines.
#[derive(Debug, Clone, Copy)]
struct Cohort {
    /// Cohort number `j` (deliveries of steps `[jW, (j+1)W)`).
    index: usize,
    /// Installed EH/s.
    ehs: f64,
    /// Machine MW (EH/s × J/TH).
    mw: f64,
    /// `Σ EH/s × delivery step`.
    step_sum: f64,
    /// Retires at the start of the first step `t ≥ retire_at`.
    retire_at: f64,
    /// `ln(0.024·e·PUE/(1 − f))`, `e = mw/ehs`.
    ln_energy: f64,
}

impl Cohort {
    const EMPTY: Cohort = Cohort {
        index: 0,
        ehs: 0.0,
        mw: 0.0,
        step_sum: 0.0,
        retire_at: f64::INFINITY,
        ln_energy: 0.0,
    };
}

/// Invested rest-of-world capacity on one path: orders in flight and
/// installed cohorts. Sized once by [`InvestmentPath::new`]; stepping it
/// allocates nothing.
#[derive(Debug, Clone)]
pub struct InvestmentPath {
    /// EH/s ordered at step `t`, in slot `t % lead_steps` until it arrives.
    pipeline: Vec<f64>,
    /// Slots of `pipeline` holding a non-zero order.
    orders_in_flight: usize,
    cohorts: [Cohort; MAX_BUCKETS],
    on_order_ehs: f64,
    on_order_mw: f64,
    ordered_ehs: f64,
    arrived_ehs: f64,
    retired_ehs: f64,
}

impl InvestmentPath {
    /// An empty path (nothing ordered or installed) for runs of `plan`.
    pub fn new(plan: &InvestmentPlan) -> Self {
        InvestmentPath {
            pipeline: vec![0.0; plan.lead_steps],
            orders_in_flight: 0,
            cohorts: [Cohort::EMPTY; MAX_BUCKETS],
            on_order_ehs: 0.0,
            on_order_mw: 0.0,
            ordered_ehs: 0.0,
            arrived_ehs: 0.0,
            retired_ehs: 0.0,
        }
    }

    /// Empties the path for a new run of the same plan.
    pub fn reset(&mut self) {
        self.pipeline.fill(0.0);
        self.orders_in_flight = 0;
        self.cohorts = [Cohort::EMPTY; MAX_BUCKETS];
        self.on_order_ehs = 0.0;
        self.on_order_mw = 0.0;
        self.ordered_ehs = 0.0;
        self.arrived_ehs = 0.0;
        self.retired_ehs = 0.0;
    }

    /// Step `step` (called once per step, in order from 0, before the
    /// online decisions): retires the cohorts at the end of their life,
    /// installs the orders placed `lead_steps` ago, and orders at the
    /// step's hashprice `hashprice` (USD per PH/s per day) and power factor
    /// `power_factor`, with the macro regime's `hurdle_premium` (per year)
    /// added to the hurdle.
    // Always inlined into the engine's per-instruction-set copies of the
    // hot loop (engine/kernel.rs): its normal CDFs want FMA.
    #[inline(always)]
    pub fn step(
        &mut self,
        plan: &InvestmentPlan,
        step: usize,
        hashprice: f64,
        power_factor: f64,
        hurdle_premium: f64,
    ) {
        let t = step as f64;
        self.retired_ehs = 0.0;
        for c in &mut self.cohorts {
            if t >= c.retire_at {
                self.retired_ehs += c.ehs;
                *c = Cohort::EMPTY;
            }
        }

        let slot = step % plan.lead_steps;
        let arrived = self.pipeline[slot];
        self.arrived_ehs = arrived;
        if arrived > 0.0 {
            let mw = arrived * plan.efficiency[step - plan.lead_steps];
            self.orders_in_flight -= 1;
            if self.orders_in_flight == 0 {
                // Exactly nothing on order, not the rounding of the sums.
                self.on_order_ehs = 0.0;
                self.on_order_mw = 0.0;
            } else {
                self.on_order_ehs -= arrived;
                self.on_order_mw -= mw;
            }
            let index = step / plan.cohort_steps;
            let c = &mut self.cohorts[index % MAX_BUCKETS];
            debug_assert!(c.ehs == 0.0 || c.index == index, "cohort slot reused");
            c.index = index;
            c.ehs += arrived;
            c.mw += mw;
            c.step_sum += arrived * t;
            c.retire_at = c.step_sum / c.ehs + plan.life_steps as f64 - 0.5;
            c.ln_energy = (c.mw / c.ehs * plan.dispatch_scale).ln();
        }

        let excess = plan.expected_return(step, hashprice, power_factor)
            - (plan.hurdle_rate + hurdle_premium);
        let wanted = (plan.response * excess.max(0.0)).min(plan.max_orders) * plan.step_years;
        let efficiency = plan.efficiency[step];
        let committed = (self.installed_mw() + self.on_order_mw) * plan.pue;
        let room = (plan.available_mw[step] - committed).max(0.0) / (efficiency * plan.pue);
        let ordered = wanted.min(room);
        self.pipeline[slot] = ordered;
        self.ordered_ehs = ordered;
        if ordered > 0.0 {
            self.orders_in_flight += 1;
            self.on_order_ehs += ordered;
            self.on_order_mw += ordered * efficiency;
        }
    }

    /// Online invested hashrate, EH/s, at hashprice `exp(ln_hashprice)` and
    /// power factor `power_factor`, for site prices of median
    /// `exp(ln_median)·exp(X)` USD/MWh and log-dispersion
    /// `1/inverse_dispersion` (the rest of world's, or other sites').
    // A plain loop, always inlined into the hot loop's per-instruction-set
    // copies (engine/kernel.rs); it starts at −0, as `Sum for f64` does.
    #[inline(always)]
    pub fn online_ehs(
        &self,
        ln_hashprice: f64,
        power_factor: f64,
        ln_median: f64,
        inverse_dispersion: f64,
    ) -> f64 {
        let ln_price = ln_median + power_factor;
        let mut total = -0.0;
        for c in self.cohorts.iter().filter(|c| c.ehs > 0.0) {
            total +=
                c.ehs * normal_cdf((ln_hashprice - c.ln_energy - ln_price) * inverse_dispersion);
        }
        total
    }

    /// Online invested hashrate (EH/s) and the machine power it draws
    /// (MW = EH/s × J/TH, without PUE), as [`InvestmentPath::online_ehs`].
    #[inline(always)]
    pub fn online_ehs_mw(
        &self,
        ln_hashprice: f64,
        power_factor: f64,
        ln_median: f64,
        inverse_dispersion: f64,
    ) -> (f64, f64) {
        let ln_price = ln_median + power_factor;
        let mut ehs = 0.0;
        let mut mw = 0.0;
        for c in self.cohorts.iter().filter(|c| c.ehs > 0.0) {
            let online = normal_cdf((ln_hashprice - c.ln_energy - ln_price) * inverse_dispersion);
            ehs += c.ehs * online;
            mw += c.mw * online;
        }
        (ehs, mw)
    }

    /// Installed invested hashrate, EH/s.
    pub fn installed_ehs(&self) -> f64 {
        self.cohorts.iter().map(|c| c.ehs).sum()
    }

    /// MW drawn by the installed invested machines at full load, without
    /// PUE (EH/s × J/TH).
    pub fn installed_mw(&self) -> f64 {
        self.cohorts.iter().map(|c| c.mw).sum()
    }

    /// EH/s ordered and not yet arrived.
    pub fn on_order_ehs(&self) -> f64 {
        self.on_order_ehs
    }

    /// Machine MW of the orders not yet arrived (EH/s × J/TH, without PUE).
    pub fn on_order_mw(&self) -> f64 {
        self.on_order_mw
    }

    /// Site MW committed (installed and on order, with PUE): what the
    /// power cap bounds by [`InvestmentPlan::available_mw`].
    pub fn committed_mw(&self, plan: &InvestmentPlan) -> f64 {
        (self.installed_mw() + self.on_order_mw) * plan.pue
    }

    /// EH/s ordered in the last step.
    pub fn ordered_ehs(&self) -> f64 {
        self.ordered_ehs
    }

    /// EH/s installed in the last step.
    pub fn arrived_ehs(&self) -> f64 {
        self.arrived_ehs
    }

    /// EH/s retired in the last step.
    pub fn retired_ehs(&self) -> f64 {
        self.retired_ehs
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::rest_of_world::{MinerClass, RestOfWorld};

    /// 20 J/TH machines at 15 USD per TH/s (15 000 USD per PH/s), 50 USD/MWh
    /// sites, PUE 1.1, 2 % pool fee, 30 % hurdle, 100 EH/s per year per unit
    /// of excess return, 30 days of lead, no power cap to speak of.
    fn base() -> Investment {
        Investment {
            frontier_efficiency_j_per_th: 20.0,
            frontier_improvement_per_year: 0.0,
            machine_cost_usd_per_th: 15.0,
            machine_cost_decline_per_year: 0.0,
            site_power_price_usd_per_mwh: 50.0,
            pool_fee: 0.02,
            pue: 1.1,
            hurdle_rate: 0.3,
            response_ehs_per_year: 100.0,
            max_orders_ehs_per_year: f64::INFINITY,
            lead_days: 30.0,
            life_years: 5.0,
            power_available_mw: 1e9,
            power_growth_mw_per_year: 0.0,
        }
    }

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * b.abs().max(1e-300)
    }

    /// A path of `inv` with one order at step 0 at hashprice 50 and nothing
    /// after (hashprice 0), stepped to `until` (inclusive); calls `f` after
    /// each step.
    fn pulse(
        inv: &Investment,
        steps: usize,
        step_days: u32,
        until: usize,
        mut f: impl FnMut(usize, &InvestmentPath),
    ) -> (InvestmentPlan, InvestmentPath) {
        let plan = inv.prepare(steps, step_days);
        let mut path = InvestmentPath::new(&plan);
        for t in 0..=until {
            path.step(&plan, t, if t == 0 { 50.0 } else { 0.0 }, 0.0, 0.0);
            f(t, &path);
        }
        (plan, path)
    }

    #[test]
    fn orders_follow_the_return_above_the_hurdle() {
        let inv = base();
        let plan = inv.prepare(400, 1);
        // r = 365·(50·0.98 − 0.024·20·1.1·50)/15 000 = 365·22.6/15 000.
        let r = 8249.0 / 15_000.0;
        assert!(close(plan.expected_return(0, 50.0, 0.0), r, 1e-14));
        assert!(close(inv.expected_return(0.0, 50.0, 0.0), r, 1e-14));

        // Hurdle 0.3 + premium 0.1: 100·(r − 0.4)/365 EH/s in a day.
        let mut path = InvestmentPath::new(&plan);
        path.step(&plan, 0, 50.0, 0.0, 0.1);
        let expected = 100.0 * (r - 0.4) / 365.0;
        assert!(close(expected, 0.041_077_625_570_776_26, 1e-12));
        assert!(close(path.ordered_ehs(), expected, 1e-12));
        assert!(close(path.on_order_ehs(), expected, 1e-12));
        assert!(close(path.on_order_mw(), expected * 20.0, 1e-12));

        // Weekly steps order seven times as much.
        let weekly = inv.prepare(60, 7);
        let mut path = InvestmentPath::new(&weekly);
        path.step(&weekly, 0, 50.0, 0.0, 0.1);
        assert!(close(path.ordered_ehs(), 7.0 * expected, 1e-12));

        // At the hurdle, below it, and when power doubles (X = ln 2: the
        // margin 49 − 52.8 is negative): nothing.
        for (hurdle_premium, x) in [(r - 0.3, 0.0), (0.3, 0.0), (0.0, 2f64.ln())] {
            let mut path = InvestmentPath::new(&plan);
            path.step(&plan, 0, 50.0, x, hurdle_premium);
            assert_eq!(path.ordered_ehs(), 0.0, "premium {hurdle_premium}, X {x}");
            assert_eq!(path.on_order_ehs(), 0.0);
        }
        // Just above it: a little.
        let mut path = InvestmentPath::new(&plan);
        path.step(&plan, 0, 50.0, 0.0, r - 0.3 - 1e-6);
        assert!(path.ordered_ehs() > 0.0);
    }

    #[test]
    fn machine_price_decline_raises_the_return() {
        let inv = Investment {
            machine_cost_decline_per_year: 0.2,
            ..base()
        };
        let plan = inv.prepare(400, 1);
        let r = 8249.0 / 15_000.0;
        assert!(close(plan.expected_return(365, 50.0, 0.0), r / 0.8, 1e-12));
        assert!(close(inv.machine_cost(365.0), 12.0, 1e-12));
    }

    #[test]
    fn orders_are_capped() {
        let inv = Investment {
            response_ehs_per_year: 1e6,
            max_orders_ehs_per_year: 250.0,
            ..base()
        };
        let plan = inv.prepare(10, 1);
        let mut path = InvestmentPath::new(&plan);
        path.step(&plan, 0, 50.0, 0.0, 0.0);
        assert!(close(path.ordered_ehs(), 250.0 / 365.0, 1e-12));
    }

    #[test]
    fn orders_arrive_after_the_lead_time() {
        let inv = base();
        let mut ordered = 0.0;
        let (plan, path) = pulse(&inv, 100, 1, 31, |t, path| {
            if t == 0 {
                ordered = path.ordered_ehs();
            }
            if t < 30 {
                assert_eq!(path.installed_ehs(), 0.0, "step {t}");
                assert_eq!(path.on_order_ehs(), ordered, "step {t}");
                assert_eq!(path.arrived_ehs(), 0.0, "step {t}");
            } else if t == 30 {
                assert_eq!(path.arrived_ehs(), ordered);
                assert_eq!(path.installed_ehs(), ordered);
                assert_eq!(path.installed_mw(), ordered * 20.0);
                assert_eq!(path.on_order_ehs(), 0.0);
                assert_eq!(path.on_order_mw(), 0.0);
            }
        });
        assert_eq!(plan.lead_steps(), 30);
        assert!(ordered > 0.0);
        assert_eq!(path.installed_ehs(), ordered);

        // Rounded to whole steps, at least one.
        let lead = |days: f64, step_days: u32| {
            Investment {
                lead_days: days,
                ..base()
            }
            .lead_steps(step_days)
        };
        assert_eq!(lead(0.0, 1), 1);
        assert_eq!(lead(0.0, 7), 1);
        assert_eq!(lead(3.5, 7), 1);
        assert_eq!(lead(10.0, 7), 1);
        assert_eq!(lead(11.0, 7), 2);
        assert_eq!(lead(90.0, 7), 13);
        // A lead beyond the run: the order never arrives.
        let far = Investment {
            lead_days: 1000.0,
            ..base()
        };
        let (plan, path) = pulse(&far, 50, 1, 49, |_, path| {
            assert_eq!(path.installed_ehs(), 0.0);
        });
        assert_eq!(plan.lead_steps(), 50);
        assert!(path.on_order_ehs() > 0.0);
    }

    #[test]
    fn machines_retire_at_their_life() {
        let inv = Investment {
            life_years: 1.0,
            ..base()
        };
        let mut ordered = 0.0;
        let mut hashing_steps = 0;
        let (plan, path) = pulse(&inv, 800, 1, 500, |t, path| {
            if t == 0 {
                ordered = path.ordered_ehs();
            }
            // Delivered at step 30, retired at age 365 steps: step 395.
            if (30..395).contains(&t) {
                assert_eq!(path.installed_ehs(), ordered, "step {t}");
                hashing_steps += 1;
            } else {
                assert_eq!(path.installed_ehs(), 0.0, "step {t}");
                assert_eq!(path.installed_mw(), 0.0, "step {t}");
            }
            if t == 395 {
                assert_eq!(path.retired_ehs(), ordered);
            } else {
                assert_eq!(path.retired_ehs(), 0.0, "step {t}");
            }
        });
        assert_eq!(plan.life_steps(), 365);
        assert_eq!(hashing_steps, 365);
        assert_eq!(path.installed_ehs(), 0.0);
    }

    #[test]
    fn a_cohort_retires_at_its_mean_delivery_step() {
        // One-day lead, one-year life: cohorts of ⌈365/7⌉ = 53 steps.
        let inv = Investment {
            lead_days: 1.0,
            life_years: 1.0,
            response_ehs_per_year: 1e6,
            max_orders_ehs_per_year: 365.0,
            frontier_improvement_per_year: 0.5,
            ..base()
        };
        let plan = inv.prepare(800, 1);
        assert_eq!(plan.cohort_steps(), 53);
        // Equal orders at steps 0, 4, 5, 7: deliveries at 1, 5, 6, 8, mean
        // step 5, so the cohort retires whole at step 370.
        let order_steps = [0, 4, 5, 7];
        let mut path = InvestmentPath::new(&plan);
        let mut ehs_steps = 0.0;
        let mut mw = 0.0;
        for t in 0..400 {
            let hp = if order_steps.contains(&t) { 50.0 } else { 0.0 };
            path.step(&plan, t, hp, 0.0, 0.0);
            if order_steps.contains(&t) {
                assert_eq!(path.ordered_ehs(), 1.0);
                mw += plan.frontier_efficiency(t);
            }
            if t == 8 {
                // Its MW are those of the machines it received.
                assert!(close(path.installed_mw(), mw, 1e-15));
                // It dispatches at their EH/s-weighted mean efficiency.
                let class = MinerClass {
                    name: "cohort".into(),
                    installed_ehs: 4.0,
                    efficiency_j_per_th: mw / 4.0 * 1.1 / 0.98,
                };
                let row = RestOfWorld::new(45.0, 0.35, vec![class]);
                let ln_hp = f64::ln(40.0);
                let ours = path.online_ehs(ln_hp, 0.1, f64::ln(45.0), 1.0 / 0.35);
                assert!(close(ours, row.online_ehs(ln_hp, 0.1), 1e-12));
            }
            assert_eq!(
                path.installed_ehs() > 0.0,
                (1..370).contains(&t),
                "step {t}"
            );
            ehs_steps += path.installed_ehs();
        }
        // The cohort's EH/s·steps of service are those of its machines.
        assert_eq!(ehs_steps, 4.0 * 365.0);
    }

    #[test]
    fn cohorts_track_the_exact_fleet_within_a_cohort() {
        // Orders every step with a varying hashprice: installed EH/s stays
        // within one cohort's deliveries of the machines younger than the
        // life, and no cohort slot is reused while alive (debug assertion).
        for step_days in [1, 7, 30] {
            for life_years in [0.1, 0.5, 1.0, 2.0, 5.0, 7.3] {
                let inv = Investment {
                    life_years,
                    lead_days: 45.0,
                    ..base()
                };
                let steps = 12 * 365 / step_days as usize;
                let plan = inv.prepare(steps, step_days);
                let (life, width) = (plan.life_steps(), plan.cohort_steps());
                let mut path = InvestmentPath::new(&plan);
                let mut arrivals = Vec::with_capacity(steps);
                for t in 0..steps {
                    let hp = 50.0 + 10.0 * (t as f64 * 0.05).sin();
                    path.step(&plan, t, hp, 0.0, 0.0);
                    arrivals.push(path.arrived_ehs());
                    let exact: f64 = arrivals[(t + 1).saturating_sub(life)..].iter().sum();
                    let biggest = arrivals.iter().fold(0.0, |a: f64, &b| a.max(b));
                    let gap = (path.installed_ehs() - exact).abs();
                    assert!(
                        gap <= width as f64 * biggest + 1e-9,
                        "Δ {step_days}, life {life_years}, step {t}: {gap}"
                    );
                }
            }
        }
    }

    #[test]
    fn frontier_efficiency_improves_at_its_rate() {
        let inv = Investment {
            frontier_improvement_per_year: 0.2,
            ..base()
        };
        let plan = inv.prepare(800, 1);
        assert_eq!(plan.frontier_efficiency(0), 20.0);
        assert!(close(plan.frontier_efficiency(365), 20.0 * 0.8, 1e-15));
        assert!(close(plan.frontier_efficiency(730), 20.0 * 0.64, 1e-15));
        assert!(close(inv.frontier_efficiency(365.0), 16.0, 1e-15));
    }

    #[test]
    fn power_cap_is_never_exceeded() {
        let inv = Investment {
            frontier_improvement_per_year: 0.15,
            response_ehs_per_year: 1e4,
            max_orders_ehs_per_year: 2000.0,
            lead_days: 60.0,
            life_years: 2.0,
            power_available_mw: 1000.0,
            power_growth_mw_per_year: 200.0,
            ..base()
        };
        let plan = inv.prepare(3650, 1);
        let mut path = InvestmentPath::new(&plan);
        let (mut binding, mut retired, mut reordered) = (0, 0.0, false);
        for t in 0..3650 {
            path.step(&plan, t, 200.0, 0.0, 0.0);
            let committed = path.committed_mw(&plan);
            let available = plan.available_mw(t);
            assert!(
                committed <= available * (1.0 + 1e-12),
                "step {t}: {committed} > {available}"
            );
            assert!(path.on_order_ehs() >= 0.0);
            if committed > available * 0.999 {
                binding += 1;
            }
            if retired > 0.0 && path.ordered_ehs() > 0.0 {
                reordered = true;
            }
            retired += path.retired_ehs();
        }
        assert!(binding > 3000, "the cap binds: {binding} steps");
        assert!(retired > 0.0 && reordered);
        assert!(close(
            inv.available_mw(3649.0),
            plan.available_mw(3649),
            1e-15
        ));
    }

    #[test]
    fn online_hashrate_is_the_rest_of_world_formula() {
        let (median, dispersion) = (45.0, 0.35);
        let (ln_median, inverse) = (f64::ln(median), 1.0 / dispersion);
        for (pue, pool_fee) in [(1.0, 0.0), (1.1, 0.02)] {
            let inv = Investment {
                pue,
                pool_fee,
                frontier_improvement_per_year: 0.1,
                ..base()
            };
            let (plan, path) = pulse(&inv, 100, 1, 40, |_, _| {});
            let ehs = path.installed_ehs();
            assert!(ehs > 0.0);
            let class = MinerClass {
                name: "invested".into(),
                installed_ehs: ehs,
                efficiency_j_per_th: plan.frontier_efficiency(0) * pue / (1.0 - pool_fee),
            };
            let row = RestOfWorld::new(median, dispersion, vec![class]);
            for hp in [20.0, 35.0, 43.2, 60.0, 120.0] {
                for x in [-0.5, 0.0, 0.3] {
                    let ln_hp = f64::ln(hp);
                    let ours = path.online_ehs(ln_hp, x, ln_median, inverse);
                    let theirs = row.online_ehs(ln_hp, x);
                    assert!(
                        close(ours, theirs, 1e-12),
                        "HP {hp}, X {x}: {ours} vs {theirs}"
                    );
                    if pue == 1.0 {
                        assert_eq!(ours, theirs);
                    }
                }
            }
        }
    }

    #[test]
    fn reset_empties_the_path() {
        let inv = base();
        let plan = inv.prepare(100, 1);
        let mut path = InvestmentPath::new(&plan);
        let run = |path: &mut InvestmentPath| {
            (0..60)
                .map(|t| {
                    path.step(&plan, t, 50.0, 0.0, 0.0);
                    path.installed_ehs()
                })
                .collect::<Vec<_>>()
        };
        let first = run(&mut path);
        assert!(path.installed_ehs() > 0.0);
        path.reset();
        assert_eq!(path.installed_ehs(), 0.0);
        assert_eq!(path.on_order_ehs(), 0.0);
        assert_eq!(run(&mut path), first);
    }
}
