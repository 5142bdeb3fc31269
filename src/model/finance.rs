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

use super::error::{Interval, ParamError, Rule};
use super::units::DAYS_PER_YEAR;

/// Why [`Finance::new`], [`Hedge::new`] or [`Renewal::new`] refused its
/// parameters.
///
/// # Example
/// ```
/// use hashwatt::model::error::{Interval, ParamError, Rule};
/// use hashwatt::model::finance::{FinanceError, Hedge};
/// let err = Hedge::new(1.5, 50.0, 0.0, 365.0).unwrap_err();
/// let rule = Rule::Within(Interval::left_open(0.0, 1.0));
/// assert_eq!(err, FinanceError::Hedge(ParamError { field: "share", value: 1.5, rule }));
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum FinanceError {
    /// A parameter of [`Finance::new`] is out of range.
    #[error("balance sheet: {0}")]
    Finance(ParamError),
    /// A parameter of [`Hedge::new`] is out of range.
    #[error("hedge: {0}")]
    Hedge(ParamError),
    /// A parameter of [`Renewal::new`] is out of range.
    #[error("renewal: {0}")]
    Renewal(ParamError),
    /// A renewal's tight-market tenor is longer than its slack one.
    #[error(
        "renewal: tight_tenor_days = {tight_tenor_days} is longer than tenor_days = {tenor_days}: tight markets shorten tenors"
    )]
    TightTenor {
        /// The slack-market tenor, days.
        tenor_days: f64,
        /// The tight-market tenor, days.
        tight_tenor_days: f64,
    },
}

impl FinanceError {
    /// The parameter out of range, unless the error is about two of them.
    pub fn param(&self) -> Option<&ParamError> {
        match self {
            FinanceError::Finance(p) | FinanceError::Hedge(p) | FinanceError::Renewal(p) => Some(p),
            FinanceError::TightTenor { .. } => None,
        }
    }
}

/// Opening balance sheet and debt terms.
///
/// Built by [`Finance::new`], which checks the terms; read through its
/// accessors.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Finance {
    /// Cash at the start, USD.
    pub(crate) cash_usd: f64,
    /// Debt outstanding at the start, USD.
    pub(crate) debt_usd: f64,
    /// Interest rate on the debt, per year (simple, accrued each step).
    pub(crate) debt_rate: f64,
    /// Days over which the opening debt is repaid in equal principal
    /// instalments (`f64::INFINITY`: interest only).
    pub(crate) amortisation_days: f64,
}

impl Finance {
    /// Checks the terms: cash and debt finite and ≥ 0, a rate in [0, 1],
    /// an amortisation period > 0 days (`f64::INFINITY`: interest only).
    ///
    /// # Errors
    /// [`FinanceError::Finance`] naming the first parameter out of range.
    ///
    /// # Example
    /// ```
    /// use hashwatt::model::finance::Finance;
    /// let f = Finance::new(1e6, 3650.0, 0.10, 365.0)?;
    /// assert_eq!(f.debt_usd(), 3650.0);
    /// assert!(Finance::new(1e6, 3650.0, 1.5, 365.0).is_err());
    /// # Ok::<(), hashwatt::model::finance::FinanceError>(())
    /// ```
    pub fn new(
        cash_usd: f64,
        debt_usd: f64,
        debt_rate: f64,
        amortisation_days: f64,
    ) -> Result<Finance, FinanceError> {
        let check = |field, value, rule| {
            ParamError::check(field, value, rule).map_err(FinanceError::Finance)
        };
        Ok(Finance {
            cash_usd: check("cash_usd", cash_usd, Rule::NonNegative)?,
            debt_usd: check("debt_usd", debt_usd, Rule::NonNegative)?,
            debt_rate: check(
                "debt_rate",
                debt_rate,
                Rule::Within(Interval::closed(0.0, 1.0)),
            )?,
            amortisation_days: ParamError::check_positive_or_infinite(
                "amortisation_days",
                amortisation_days,
            )
            .map_err(FinanceError::Finance)?,
        })
    }

    /// Cash at the start, USD (≥ 0).
    pub fn cash_usd(&self) -> f64 {
        self.cash_usd
    }

    /// Debt outstanding at the start, USD (≥ 0).
    pub fn debt_usd(&self) -> f64 {
        self.debt_usd
    }

    /// Interest rate on the debt, per year, in [0, 1] (simple, accrued each
    /// step).
    pub fn debt_rate(&self) -> f64 {
        self.debt_rate
    }

    /// Days over which the opening debt is repaid in equal principal
    /// instalments, > 0 (`f64::INFINITY`: interest only).
    pub fn amortisation_days(&self) -> f64 {
        self.amortisation_days
    }

    /// Interest and principal due over a step of `days` days on `debt`
    /// outstanding, USD, when `borrowed` USD were borrowed since the start
    /// on the same terms: the opening debt and the borrowing are repaid in
    /// equal instalments over `amortisation_days`. The principal never
    /// exceeds the debt.
    ///
    /// # Example
    /// ```
    /// use hashwatt::model::finance::Finance;
    /// let f = Finance::new(0.0, 3650.0, 0.10, 365.0)?;
    /// let (interest, principal) = f.debt_service(3650.0, 0.0, 1.0);
    /// assert!((interest - 1.0).abs() < 1e-12);
    /// assert_eq!(principal, 10.0);
    /// assert_eq!(f.debt_service(3650.0, 365.0, 1.0).1, 11.0);
    /// assert_eq!(f.debt_service(4.0, 0.0, 1.0).1, 4.0);
    /// # Ok::<(), hashwatt::model::finance::FinanceError>(())
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
///
/// Built by [`Renewal::new`], which checks the terms; read through its
/// accessors.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Renewal {
    /// Day the first term ends, from the scenario start.
    pub(crate) end_day: f64,
    /// Premium over the market price in a slack market, USD/MWh.
    pub(crate) premium_usd_per_mwh: f64,
    /// Extra premium when the region is fully tight, USD/MWh.
    pub(crate) tight_premium_usd_per_mwh: f64,
    /// Length of a renewed term in a slack market, days.
    pub(crate) tenor_days: f64,
    /// Length of a renewed term when the region is fully tight, days.
    pub(crate) tight_tenor_days: f64,
}

impl Renewal {
    /// Checks the terms: the first term ends after the start (`end_day >
    /// 0`), the premium is finite, the tight premium ≥ 0, both tenors > 0
    /// and the tight one no longer than the slack one.
    ///
    /// # Errors
    /// [`FinanceError::Renewal`] naming the first parameter out of range,
    /// or [`FinanceError::TightTenor`].
    ///
    /// # Example
    /// ```
    /// use hashwatt::model::finance::{FinanceError, Renewal};
    /// let r = Renewal::new(365.0, 2.0, 10.0, 1095.0, 365.0)?;
    /// assert_eq!(r.price_usd_per_mwh(40.0, 0.5), 47.0);
    /// assert_eq!((r.slack_tenor_days(), r.tenor_days(0.5)), (1095.0, 730.0));
    /// assert!(matches!(
    ///     Renewal::new(365.0, 2.0, 10.0, 365.0, 1095.0),
    ///     Err(FinanceError::TightTenor { .. })
    /// ));
    /// # Ok::<(), FinanceError>(())
    /// ```
    pub fn new(
        end_day: f64,
        premium_usd_per_mwh: f64,
        tight_premium_usd_per_mwh: f64,
        tenor_days: f64,
        tight_tenor_days: f64,
    ) -> Result<Renewal, FinanceError> {
        let check = |field, value, rule| {
            ParamError::check(field, value, rule).map_err(FinanceError::Renewal)
        };
        let end_day = check("end_day", end_day, Rule::Positive)?;
        let tenor_days = check("tenor_days", tenor_days, Rule::Positive)?;
        let tight_tenor_days = check("tight_tenor_days", tight_tenor_days, Rule::Positive)?;
        if tight_tenor_days > tenor_days {
            return Err(FinanceError::TightTenor {
                tenor_days,
                tight_tenor_days,
            });
        }
        Ok(Renewal {
            end_day,
            premium_usd_per_mwh: check("premium_usd_per_mwh", premium_usd_per_mwh, Rule::Finite)?,
            tight_premium_usd_per_mwh: check(
                "tight_premium_usd_per_mwh",
                tight_premium_usd_per_mwh,
                Rule::NonNegative,
            )?,
            tenor_days,
            tight_tenor_days,
        })
    }

    /// Day the first term ends, from the scenario start (> 0).
    pub fn end_day(&self) -> f64 {
        self.end_day
    }

    /// Premium over the market price in a slack market, USD/MWh.
    pub fn premium_usd_per_mwh(&self) -> f64 {
        self.premium_usd_per_mwh
    }

    /// Extra premium when the region is fully tight, USD/MWh (≥ 0).
    pub fn tight_premium_usd_per_mwh(&self) -> f64 {
        self.tight_premium_usd_per_mwh
    }

    /// Length of a renewed term in a slack market, days (> 0): the
    /// `tenor_days` given to [`Renewal::new`]. [`Renewal::tenor_days`]
    /// gives the term at a tightness.
    pub fn slack_tenor_days(&self) -> f64 {
        self.tenor_days
    }

    /// Length of a renewed term when the region is fully tight, days (> 0,
    /// at most [`Renewal::slack_tenor_days`]).
    pub fn tight_tenor_days(&self) -> f64 {
        self.tight_tenor_days
    }

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
///
/// Built by [`Hedge::new`], which checks the terms.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Hedge {
    share: f64,
    hashprice_usd_per_ph_day: f64,
    start_day: f64,
    end_day: f64,
}

impl Hedge {
    /// A forward of `share` in (0, 1] of the hashrate in service at a fixed
    /// hashprice ≥ 0 (USD per PH/s per day), from day `start_day` (finite,
    /// from the scenario start; before it is allowed) for `tenor_days` > 0.
    ///
    /// # Errors
    /// [`FinanceError::Hedge`] naming the first parameter out of range.
    pub fn new(
        share: f64,
        hashprice_usd_per_ph_day: f64,
        start_day: f64,
        tenor_days: f64,
    ) -> Result<Hedge, FinanceError> {
        let check =
            |field, value, rule| ParamError::check(field, value, rule).map_err(FinanceError::Hedge);
        let start_day = check("start_day", start_day, Rule::Finite)?;
        let share = check("share", share, Rule::Within(Interval::left_open(0.0, 1.0)))?;
        let hashprice_usd_per_ph_day = check(
            "hashprice_usd_per_ph_day",
            hashprice_usd_per_ph_day,
            Rule::NonNegative,
        )?;
        let tenor_days = check("tenor_days", tenor_days, Rule::Positive)?;
        Ok(Hedge {
            share,
            hashprice_usd_per_ph_day,
            start_day,
            end_day: start_day + tenor_days,
        })
    }

    /// Share of the farm's hashrate in service that is sold forward, (0, 1].
    pub fn share(&self) -> f64 {
        self.share
    }

    /// Fixed hashprice of the forward, USD per PH/s per day.
    pub fn hashprice_usd_per_ph_day(&self) -> f64 {
        self.hashprice_usd_per_ph_day
    }

    /// First day of the forward, from the scenario start.
    pub fn start_day(&self) -> f64 {
        self.start_day
    }

    /// Day the forward ends (exclusive).
    pub fn end_day(&self) -> f64 {
        self.end_day
    }

    /// The forward's settlement for a step from `day` of `days` days, USD:
    /// `share · PH/s in service · (K − HP) · days` while it runs, else 0.
    ///
    /// # Example
    /// ```
    /// use hashwatt::model::finance::Hedge;
    /// let h = Hedge::new(0.5, 50.0, 0.0, 365.0)?;
    /// assert_eq!(h.settlement_usd(0.0, 1.0, 40.0, 100.0), 500.0);
    /// assert_eq!(h.settlement_usd(365.0, 1.0, 40.0, 100.0), 0.0);
    /// # Ok::<(), hashwatt::model::finance::FinanceError>(())
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
