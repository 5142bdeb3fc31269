//! A farm's money: balance sheet, debt service, contract renewal and
//! hashprice hedges (model.md §6).
//!
//! Each step a farm sells the BTC it mined at the step's price and pays for
//! power, variable opex, fixed overhead, interest and principal, and any
//! machines delivered that step:
//!
//! `cash ← cash + revenue + credits + hedge − power − opex − overhead
//!        − interest − principal − capex`.
//!
//! A farm with a balance sheet whose cash falls below zero is insolvent: it
//! stops from the next step (its hashrate leaves the network) and the day is
//! recorded. A fixed power contract with an end date is renewed then at the
//! market price plus a premium that rises with the region's tightness, for a
//! tenor that shortens with it.

use serde::Serialize;

use super::units::DAYS_PER_YEAR;

/// Opening balance sheet and debt terms.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Finance {
    /// Cash at the start, USD.
    pub cash_usd: f64,
    /// Debt outstanding at the start, USD.
    pub debt_usd: f64,
    /// Interest rate on the debt, per year (simple, accrued each step).
    pub debt_rate: f64,
    /// Days over which the opening debt is repaid in equal principal
    /// instalments (`f64::INFINITY`: interest only).
    pub amortisation_days: f64,
}

impl Finance {
    /// Interest and principal due over a step of `days` days on `debt`
    /// outstanding, USD, when `borrowed` USD were borrowed since the start
    /// on the same terms: the opening debt and the borrowing are repaid in
    /// equal instalments over `amortisation_days`. The principal never
    /// exceeds the debt.
    ///
    /// # Example
    /// ```
    /// use hashwatt::model::finance::Finance;
    /// let f = Finance { cash_usd: 0.0, debt_usd: 3650.0, debt_rate: 0.10, amortisation_days: 365.0 };
    /// let (interest, principal) = f.debt_service(3650.0, 0.0, 1.0);
    /// assert!((interest - 1.0).abs() < 1e-12);
    /// assert_eq!(principal, 10.0);
    /// assert_eq!(f.debt_service(3650.0, 365.0, 1.0).1, 11.0);
    /// assert_eq!(f.debt_service(4.0, 0.0, 1.0).1, 4.0);
    /// ```
    #[inline]
    pub fn debt_service(&self, debt: f64, borrowed: f64, days: f64) -> (f64, f64) {
        let interest = debt * self.debt_rate * days / DAYS_PER_YEAR;
        let principal = ((self.debt_usd + borrowed) * days / self.amortisation_days).min(debt);
        (interest, principal)
    }
}

/// Renewal of a fixed contract at its end date, and at the end of every
/// renewed term.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Renewal {
    /// Day the first term ends, from the scenario start.
    pub end_day: f64,
    /// Premium over the market price in a slack market, USD/MWh.
    pub premium_usd_per_mwh: f64,
    /// Extra premium when the region is fully tight, USD/MWh.
    pub tight_premium_usd_per_mwh: f64,
    /// Length of a renewed term in a slack market, days.
    pub tenor_days: f64,
    /// Length of a renewed term when the region is fully tight, days.
    pub tight_tenor_days: f64,
}

impl Renewal {
    /// The renewed price at market price `market` (USD/MWh) and tightness
    /// `tightness` in [0, 1]: `market + premium + tight_premium·tightness`.
    #[inline]
    pub fn price_usd_per_mwh(&self, market: f64, tightness: f64) -> f64 {
        market + self.premium_usd_per_mwh + self.tight_premium_usd_per_mwh * tightness
    }

    /// The renewed term at tightness `tightness`, days: from the slack tenor
    /// to the tight one in proportion.
    #[inline]
    pub fn tenor_days(&self, tightness: f64) -> f64 {
        self.tenor_days + (self.tight_tenor_days - self.tenor_days) * tightness
    }
}

/// A hashprice forward sold by the farm: for `share` of its hashrate in
/// service it receives the fixed hashprice and pays the market one, every
/// day from `start_day` to `end_day`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Hedge {
    /// Share of the farm's hashrate in service that is sold forward, (0, 1].
    pub share: f64,
    /// Fixed hashprice of the forward, USD per PH/s per day.
    pub hashprice_usd_per_ph_day: f64,
    /// First day of the forward, from the scenario start.
    pub start_day: f64,
    /// Day the forward ends (exclusive).
    pub end_day: f64,
}

impl Hedge {
    /// The forward's settlement for a step from `day` of `days` days, USD:
    /// `share · PH/s in service · (K − HP) · days` while it runs, else 0.
    ///
    /// # Example
    /// ```
    /// use hashwatt::model::finance::Hedge;
    /// let h = Hedge { share: 0.5, hashprice_usd_per_ph_day: 50.0, start_day: 0.0, end_day: 365.0 };
    /// assert_eq!(h.settlement_usd(0.0, 1.0, 40.0, 100.0), 500.0);
    /// assert_eq!(h.settlement_usd(365.0, 1.0, 40.0, 100.0), 0.0);
    /// ```
    #[inline]
    pub fn settlement_usd(&self, day: f64, days: f64, hashprice: f64, phs_in_service: f64) -> f64 {
        if day >= self.start_day && day < self.end_day {
            self.share * phs_in_service * (self.hashprice_usd_per_ph_day - hashprice) * days
        } else {
            0.0
        }
    }
}

/// What a farm's step brought in and paid out, USD.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct CashFlow {
    /// BTC mined, net of the pool fee, sold at the step's price.
    pub revenue_usd: f64,
    /// Power sold back to the market.
    pub credits_usd: f64,
    /// Hedge settlement (negative when the market hashprice is above the
    /// forward's).
    pub hedge_usd: f64,
    /// Power bought.
    pub power_usd: f64,
    /// Variable opex on the energy used.
    pub opex_usd: f64,
    /// Fixed overhead.
    pub overhead_usd: f64,
    /// Interest on the debt.
    pub interest_usd: f64,
    /// Debt repaid.
    pub principal_usd: f64,
    /// Machines paid for (on delivery, or when an expansion's power is
    /// granted).
    pub capex_usd: f64,
    /// New debt taken to pay for machines.
    pub borrowing_usd: f64,
}

impl CashFlow {
    /// Operating margin: revenue, credits and hedge less power, opex and
    /// overhead (before financing and capital spending).
    #[inline]
    pub fn operating_margin_usd(&self) -> f64 {
        self.revenue_usd + self.credits_usd + self.hedge_usd
            - self.power_usd
            - self.opex_usd
            - self.overhead_usd
    }

    /// The change in cash: the operating margin less interest, principal
    /// and capital spending, plus new debt.
    #[inline]
    pub fn net_usd(&self) -> f64 {
        self.operating_margin_usd() - self.interest_usd - self.principal_usd - self.capex_usd
            + self.borrowing_usd
    }
}

/// Days a farm's hashrate `phs` (PH/s) needs to repay a machine costing
/// `cost_usd` at hashprice `hashprice` (USD per PH/s per day), net of the
/// pool fee and of its power at `power_usd_per_mwh` (the payback used to
/// decide expansion); infinite when the machine does not earn its power.
///
/// # Example
/// ```
/// use hashwatt::model::finance::payback_days;
/// // 1 PH/s at 15 J/TH: 0.36 MWh a day at 50 USD/MWh = 18 USD; earns 48.
/// let days = payback_days(15_000.0, 1.0, 15.0, 1.0, 48.0, 0.0, 50.0);
/// assert!((days - 500.0).abs() < 1e-9);
/// ```
pub fn payback_days(
    cost_usd: f64,
    phs: f64,
    efficiency_j_per_th: f64,
    pue: f64,
    hashprice: f64,
    pool_fee: f64,
    power_usd_per_mwh: f64,
) -> f64 {
    let energy = super::units::MWH_PER_PH_DAY_PER_J_TH * efficiency_j_per_th * pue;
    let daily = phs * (hashprice * (1.0 - pool_fee) - energy * power_usd_per_mwh);
    if daily > 0.0 {
        cost_usd / daily
    } else {
        f64::INFINITY
    }
}
