//! Hours within a day: the hourly price spread around the daily clearing
//! price, with closed-form uptime and energy cost for a bid (model.md §4,
//! "Hours within a day"; `docs/hours.md`).
//!
//! The engine steps days, but flexible miners live on hourly price spikes.
//! Within a day of clearing price `P_d` (USD/MWh), an hour's uncapped price
//! `Z` is, independently from hour to hour,
//!
//! - a **normal hour** with probability `1 − π`: `Z = P_d·exp(s·η − s²/2)`,
//!   `η ~ N(0, 1)`, i.e. lognormal with `μ_n = ln P_d − s²/2`, `σ_n = s`, so
//!   that its mean is `P_d`;
//! - a **spike** with probability `π`: `Z = m·exp(s_k·η)`, lognormal with
//!   median `m` (`μ_k = ln m`, `σ_k = s_k`);
//!
//! and the hour's price is `p = min(Z, cap)` (the scarcity cap: a point mass
//! at `cap` of weight `P(Z > cap)`). A miner bidding `b` runs the hours with
//! `p ≤ b`. For `X` lognormal(`μ`, `σ`), with `z(x) = (ln x − μ)/σ`:
//!
//! - `P(X ≤ b) = Φ(z(b))`;
//! - the partial expectation `E[X·1{X ≤ b}] = e^{μ+σ²/2}·Φ(z(b) − σ)`;
//! - `σ = 0` (or `P_d = 0`) is a point mass `x₀ = e^μ`: `1{x₀ ≤ b}` and
//!   `x₀·1{x₀ ≤ b}`, with no division.
//!
//! Every quantity of [`HourlySpread`] is a pure, allocation-free function of
//! (parameters, daily price, bid) built from these two, mixed with weights
//! `1 − π` and `π`. Prices are in USD/MWh; [`HourlySpread::energy_cost`] and
//! [`HourlySpread::sell_back_revenue`] are USD per MWh of capacity-hour (a
//! miner of `C` MW over a day pays `24·C·energy_cost` USD).
//!
//! Peak-charge avoidance (4CP-style skipped hours) is not modelled here; see
//! `docs/hours.md`.

use std::f64::consts::FRAC_1_SQRT_2;

use serde::Serialize;

use crate::model::special;

/// Below this `z`, a lognormal component's probability (`Φ(z) < 10⁻¹⁷`)
/// and partial expectation are taken as 0: no hour of any day is that
/// unlikely (a cap term `c·Φ(z)` is then below 10⁻¹³ USD/MWh for a cap
/// up to 10 000), and the far tail's `erfc` would be the dearest part of a
/// region's step (cap terms sit 10 to 20 standard deviations out). It is
/// where [`special::normal_cdf`]'s polynomials end.
const FAR_TAIL: f64 = -special::POLYNOMIAL_LIMIT;

/// `Φ(z)`, 0 below [`FAR_TAIL`].
#[inline]
fn normal_cdf(z: f64) -> f64 {
    if z < FAR_TAIL {
        0.0
    } else {
        special::normal_cdf(z)
    }
}

/// Parameters of the hourly price spread (model.md §4, "Hours within a day").
///
/// Checked by [`HourlySpread::new`].
///
/// # Example
/// ```
/// use hashwatt::model::hours::{HourlySpread, HourlySpreadParams};
/// let params = HourlySpreadParams {
///     dispersion: 0.35,
///     spike_probability: 0.01,
///     spike_median: 800.0,
///     spike_dispersion: 0.8,
///     cap: 5_000.0,
/// };
/// assert!(HourlySpread::new(params).is_ok());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct HourlySpreadParams {
    /// Lognormal dispersion `s ≥ 0` of normal hours around the daily price:
    /// `p = P_d·exp(s·η − s²/2)` (mean `P_d`, median `P_d·e^{−s²/2}`).
    pub dispersion: f64,
    /// Probability `π ∈ [0, 1)` that an hour is a spike.
    pub spike_probability: f64,
    /// Median `m > 0` of spike prices, USD/MWh (finite).
    pub spike_median: f64,
    /// Lognormal dispersion `s_k ≥ 0` of spike prices.
    pub spike_dispersion: f64,
    /// Scarcity cap, USD/MWh (`> 0`; `+∞` means no cap): every hourly price
    /// is `min(p, cap)`.
    pub cap: f64,
}

/// Why [`HourlySpread::new`] refused its parameters. Each variant names the
/// parameter (`field`, as in [`HourlySpreadParams`]) and its value.
///
/// # Example
/// ```
/// use hashwatt::model::hours::{HourlySpread, HourlySpreadParams, HoursError};
/// let params = HourlySpreadParams {
///     dispersion: -0.1,
///     spike_probability: 0.0,
///     spike_median: 500.0,
///     spike_dispersion: 0.0,
///     cap: 5_000.0,
/// };
/// let err = HourlySpread::new(params).unwrap_err();
/// assert_eq!(err, HoursError::Negative { field: "dispersion", value: -0.1 });
/// assert!(err.to_string().contains("dispersion = -0.1"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum HoursError {
    /// The value is NaN, or infinite where only a finite value makes sense
    /// (every parameter but `cap`, which may be `+∞`).
    #[error("{field} = {value} is not a finite number")]
    NotFinite {
        /// Name of the offending parameter.
        field: &'static str,
        /// The offending value.
        value: f64,
    },
    /// A dispersion is negative.
    #[error("{field} = {value} is negative (a dispersion must be >= 0)")]
    Negative {
        /// Name of the offending parameter.
        field: &'static str,
        /// The offending value.
        value: f64,
    },
    /// The spike probability is outside `[0, 1)`.
    #[error("{field} = {value} is not a probability in [0, 1)")]
    ProbabilityOutOfRange {
        /// Name of the offending parameter.
        field: &'static str,
        /// The offending value.
        value: f64,
    },
    /// A price (spike median or cap) is zero or negative.
    #[error("{field} = {value} USD/MWh is not positive")]
    NotPositive {
        /// Name of the offending parameter.
        field: &'static str,
        /// The offending value.
        value: f64,
    },
}

/// Everything a bid earns or pays within one day, per MWh of capacity-hour
/// (see [`HourlySpread::outcome`]).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct HourlyOutcome {
    /// Fraction of hours with price ≤ bid, in `[0, 1]`.
    pub uptime: f64,
    /// `E[p·1{p ≤ b}]`, USD/MWh of capacity-hour.
    pub energy_cost: f64,
    /// `E[p·1{p > b}]`, USD/MWh of capacity-hour.
    pub sell_back_revenue: f64,
    /// `E[p]`, USD/MWh.
    pub mean_price: f64,
}

/// A lognormal `X = exp(μ + σ·η)` with mean `e^{μ+σ²/2}`; `σ = 0` is the
/// point mass `x₀ = e^μ`, and `x₀ = 0` (a daily price of 0) the point mass
/// at 0. `x₀` and the mean are given by the caller (for normal hours both
/// are `P_d` exactly, where `exp(ln P_d)` may differ in the last bit).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
struct Lognormal {
    mu: f64,
    sigma: f64,
    /// The atom `x₀`, used when `σ = 0`.
    x0: f64,
    /// `e^{μ+σ²/2}` (may be `+∞` for a huge `σ`; only used where the
    /// product with `Φ` is bounded, or for an uncapped mean).
    mean: f64,
}

/// What a component knows about the cap `c`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
struct AtCap {
    /// `E[X·1{X ≤ c}]`.
    partial: f64,
    /// `c·P(X > c)`: the cap times the weight of its point mass (0 for
    /// `c = +∞`).
    cap_term: f64,
    /// `Φ(σ − z(c))`, the upper tail used by [`Lognormal::upper`].
    upper_tail: f64,
}

impl AtCap {
    /// `E[min(X, c)]`.
    #[inline]
    fn capped_mean(&self) -> f64 {
        self.partial + self.cap_term
    }
}

impl Lognormal {
    #[inline]
    fn new(mu: f64, sigma: f64, x0: f64, mean: f64) -> Self {
        let sigma = if x0 == 0.0 { 0.0 } else { sigma };
        Lognormal {
            mu,
            sigma,
            x0,
            mean,
        }
    }

    /// The atom `x₀` when `σ = 0`, else `None`.
    #[inline]
    fn atom(&self) -> Option<f64> {
        (self.sigma == 0.0).then_some(self.x0)
    }

    /// `z(x) = (ln x − μ)/σ` from `ln x` (`σ > 0`; `+∞` for `x = +∞`).
    #[inline]
    fn z(&self, ln_x: f64) -> f64 {
        (ln_x - self.mu) / self.sigma
    }

    /// `P(X ≤ b)` (`ln_b = ln b` when `b > 0`).
    #[inline]
    fn cdf(&self, b: f64, ln_b: f64) -> f64 {
        if let Some(x0) = self.atom() {
            return if x0 <= b { 1.0 } else { 0.0 };
        }
        if b <= 0.0 {
            return 0.0;
        }
        normal_cdf(self.z(ln_b))
    }

    /// `E[X·1{X ≤ b}]` (`ln_b = ln b` when `b > 0`).
    #[inline]
    fn partial(&self, b: f64, ln_b: f64) -> f64 {
        if let Some(x0) = self.atom() {
            return if x0 <= b { x0 } else { 0.0 };
        }
        if b <= 0.0 {
            return 0.0;
        }
        self.partial_at(b, self.z(ln_b))
    }

    /// The partial expectation `E[X·1{X ≤ b}] = e^{μ+σ²/2}·Φ(d)` with
    /// `z = z(b)`, `d = z − σ`, for `σ > 0` and `b > 0`.
    ///
    /// For `d < −1` the mean `e^{μ+σ²/2}` may overflow for a large `σ`
    /// while the product is small. When it is finite and `Φ(d)` comes from
    /// its polynomials (`d > −8.5`), the product of the two is at most `b`
    /// and as accurate as `Φ`. Otherwise it is written without the mean:
    /// with `Φ(d) = ½·e^{−d²/2}·erfcx(−d/√2)` and
    /// `μ + σ²/2 − d²/2 = ln b − z²/2`,
    /// `E[X·1{X ≤ b}] = ½·b·e^{−z²/2}·erfcx(−d/√2)`. For `d ≥ −1`,
    /// `e^{μ+σ²/2} ≤ b·e^{1/2}` cannot overflow.
    #[inline]
    fn partial_at(&self, b: f64, z: f64) -> f64 {
        let d = z - self.sigma;
        if d >= -1.0 {
            self.mean * normal_cdf(d)
        } else if z < FAR_TAIL {
            // Consistent with the uptime: no such hour runs.
            0.0
        } else if d > -special::POLYNOMIAL_LIMIT && self.mean.is_finite() {
            self.mean * normal_cdf(d)
        } else {
            0.5 * b * (-0.5 * z * z).exp() * puruspe::erfcx(-d * FRAC_1_SQRT_2)
        }
    }

    /// The cap `c > 0` (`ln_c = ln c`) seen from this component.
    #[inline]
    fn at_cap(&self, c: f64, ln_c: f64) -> AtCap {
        if let Some(x0) = self.atom() {
            let capped = x0 > c;
            return AtCap {
                partial: if capped { 0.0 } else { x0 },
                cap_term: if capped { c } else { 0.0 },
                upper_tail: 0.0,
            };
        }
        let z = self.z(ln_c);
        AtCap {
            partial: self.partial_at(c, z),
            cap_term: if c.is_finite() {
                c * normal_cdf(-z)
            } else {
                0.0
            },
            upper_tail: normal_cdf(self.sigma - z),
        }
    }

    /// `E[min(X, c)·1{min(X, c) > b}] = E[X·1{b < X ≤ c}] + c·P(X > c)` for
    /// `b < c`, given `partial_b = E[X·1{X ≤ b}]` and `z = z(b)`.
    ///
    /// `E[X·1{b < X ≤ c}]` is computed without cancellation: from upper
    /// tails, `e^{μ+σ²/2}·(Φ(σ − z(b)) − Φ(σ − z(c)))`, when `z(b) ≥ σ`
    /// (then `e^{μ+σ²/2} ≤ b`); else as `E[X·1{X ≤ c}] − E[X·1{X ≤ b}]`
    /// (then the second term is at most half the mean).
    #[inline]
    fn upper(&self, b: f64, z: f64, partial_b: f64, at: &AtCap) -> f64 {
        let between = if let Some(x0) = self.atom() {
            // at.partial is x₀ when x₀ ≤ c, else 0.
            if b < x0 { at.partial } else { 0.0 }
        } else if b <= 0.0 {
            at.partial
        } else if z - self.sigma >= 0.0 {
            self.mean * (normal_cdf(self.sigma - z) - at.upper_tail)
        } else {
            at.partial - partial_b
        };
        between.max(0.0) + at.cap_term
    }
}

/// One component's terms at a bid `b < cap`.
struct AtBid {
    cdf: f64,
    partial: f64,
    upper: f64,
}

impl Lognormal {
    /// `P(X ≤ b)`, `E[X·1{X ≤ b}]` and the upper term of [`Lognormal::upper`]
    /// at once, sharing `z(b)`; the same bits as the separate functions.
    #[inline]
    fn at_bid(&self, b: f64, ln_b: f64, at: &AtCap) -> AtBid {
        if self.atom().is_some() || b <= 0.0 {
            let partial = self.partial(b, ln_b);
            return AtBid {
                cdf: self.cdf(b, ln_b),
                partial,
                upper: self.upper(b, f64::NAN, partial, at),
            };
        }
        let z = self.z(ln_b);
        let partial = self.partial_at(b, z);
        AtBid {
            cdf: normal_cdf(z),
            partial,
            upper: self.upper(b, z, partial, at),
        }
    }
}

/// The hourly price spread around a daily clearing price, with closed-form
/// uptime, energy cost and sell-back revenue of a bid.
///
/// With the mixture of the module documentation (normal hours lognormal
/// with mean `P_d` and dispersion `s`, spikes with probability `π` lognormal
/// with median `m` and dispersion `s_k`, every price capped at `cap`), for a
/// bid `b < cap`:
///
/// - uptime `F(b) = (1 − π)·Φ(z_n(b)) + π·Φ(z_k(b))`;
/// - energy cost `E[p·1{p ≤ b}] = Σ w_j·e^{μ_j+σ_j²/2}·Φ(z_j(b) − σ_j)`
///   (the normal-hour term is `P_d·Φ(z_n(b) − s)`);
/// - sell-back revenue `E[p·1{p > b}] = Σ w_j·(E[X_j·1{b < X_j ≤ cap}] +
///   cap·P(X_j > cap))`;
///
/// and for `b ≥ cap` the miner runs every hour: `F = 1`, energy cost = mean
/// price, sell-back = 0. Mean price
/// `E[p] = Σ w_j·(E[X_j·1{X_j ≤ cap}] + cap·P(X_j > cap))`.
///
/// The daily price must be finite and `≥ 0` (0 is a point mass at 0 for
/// normal hours); otherwise, or for a NaN bid, every method returns NaN.
///
/// # Example
/// ```
/// use hashwatt::model::hours::{HourlySpread, HourlySpreadParams};
/// let spread = HourlySpread::new(HourlySpreadParams {
///     dispersion: 0.35,
///     spike_probability: 0.01,
///     spike_median: 800.0,
///     spike_dispersion: 0.8,
///     cap: 5_000.0,
/// })?;
/// let (daily, bid) = (45.0, 60.0);
/// let uptime = spread.uptime(daily, bid);
/// assert!(uptime > 0.8 && uptime < 0.99);
/// // A 10 MW miner pays this many USD for the day:
/// let cost = 24.0 * 10.0 * spread.energy_cost(daily, bid);
/// assert!(cost < 24.0 * 10.0 * bid * uptime);
/// // Running or selling back, each hour is accounted for once:
/// let total = spread.energy_cost(daily, bid) + spread.sell_back_revenue(daily, bid);
/// assert!((total - spread.mean_price(daily)).abs() < 1e-12 * total);
/// # Ok::<(), hashwatt::model::hours::HoursError>(())
/// ```
#[derive(Debug, Clone, Copy, Serialize)]
pub struct HourlySpread {
    params: HourlySpreadParams,
    /// `s²/2`.
    half_variance: f64,
    /// `ln cap` (`+∞` without a cap).
    ln_cap: f64,
    /// Spike prices, lognormal(`ln m`, `s_k`).
    spike: Lognormal,
    /// The cap seen from spike prices.
    spike_at_cap: AtCap,
    /// What every bid of one day shares ([`HourlySpread::at_daily_price`]).
    #[serde(skip)]
    day: Option<DayTerms>,
}

/// Every spread with the same parameters is the same spread: the rest is
/// derived from them, and a day's terms give the same values as without.
impl PartialEq for HourlySpread {
    fn eq(&self, other: &Self) -> bool {
        self.params == other.params
    }
}

/// The normal hours of one day and what they know about the cap, with the
/// mean price: the same for every bid of that day, so computed once.
#[derive(Debug, Clone, Copy, PartialEq)]
struct DayTerms {
    /// The daily price they are for, as bits (the terms serve that price
    /// only, bit for bit).
    daily_bits: u64,
    normal: Lognormal,
    at_cap: AtCap,
    mean_price: f64,
}

impl HourlySpread {
    /// Checks `params`: dispersions finite and `≥ 0`, `π ∈ [0, 1)`, spike
    /// median finite and `> 0`, cap `> 0` (`+∞` allowed). NaN is refused
    /// everywhere.
    ///
    /// # Errors
    /// The first offending parameter, in the order of the fields, as a
    /// [`HoursError`].
    pub fn new(params: HourlySpreadParams) -> Result<Self, HoursError> {
        let p = params;
        dispersion("dispersion", p.dispersion)?;
        let pi = p.spike_probability;
        if pi.is_nan() {
            return Err(HoursError::NotFinite {
                field: "spike_probability",
                value: pi,
            });
        }
        if !(0.0..1.0).contains(&pi) {
            return Err(HoursError::ProbabilityOutOfRange {
                field: "spike_probability",
                value: pi,
            });
        }
        if !p.spike_median.is_finite() {
            return Err(HoursError::NotFinite {
                field: "spike_median",
                value: p.spike_median,
            });
        }
        if p.spike_median <= 0.0 {
            return Err(HoursError::NotPositive {
                field: "spike_median",
                value: p.spike_median,
            });
        }
        dispersion("spike_dispersion", p.spike_dispersion)?;
        if p.cap.is_nan() {
            return Err(HoursError::NotFinite {
                field: "cap",
                value: p.cap,
            });
        }
        if p.cap <= 0.0 {
            return Err(HoursError::NotPositive {
                field: "cap",
                value: p.cap,
            });
        }
        let m = p.spike_median;
        let s_k = p.spike_dispersion;
        let spike = Lognormal::new(m.ln(), s_k, m, m * (0.5 * s_k * s_k).exp());
        let ln_cap = p.cap.ln();
        Ok(HourlySpread {
            params,
            half_variance: 0.5 * p.dispersion * p.dispersion,
            ln_cap,
            spike,
            spike_at_cap: spike.at_cap(p.cap, ln_cap),
            day: None,
        })
    }

    /// The spread with the terms of a day priced `daily_price` computed
    /// once (its normal hours' `ln P_d`, their terms at the cap and the mean
    /// price): every method then gives the same bits as before, faster at
    /// that daily price. A region's step asks the day's mean price and the
    /// outcome of each bid at one daily price.
    ///
    /// # Example
    /// ```
    /// use hashwatt::model::hours::{HourlySpread, HourlySpreadParams};
    /// let spread = HourlySpread::new(HourlySpreadParams {
    ///     dispersion: 0.3,
    ///     spike_probability: 0.01,
    ///     spike_median: 600.0,
    ///     spike_dispersion: 0.7,
    ///     cap: 5_000.0,
    /// })?;
    /// let day = spread.at_daily_price(40.0);
    /// assert_eq!(day.outcome(40.0, 55.0), spread.outcome(40.0, 55.0));
    /// assert_eq!(day.mean_price(41.0), spread.mean_price(41.0));
    /// # Ok::<(), hashwatt::model::hours::HoursError>(())
    /// ```
    #[inline]
    pub fn at_daily_price(&self, daily_price: f64) -> HourlySpread {
        let day = self.normal_hours(daily_price).map(|normal| {
            let at_cap = normal.at_cap(self.params.cap, self.ln_cap);
            DayTerms {
                daily_bits: daily_price.to_bits(),
                normal,
                at_cap,
                mean_price: self.mix(at_cap.capped_mean(), self.spike_at_cap.capped_mean()),
            }
        });
        HourlySpread { day, ..*self }
    }

    /// The day's terms, when they are those of `daily_price`.
    #[inline]
    fn day_terms(&self, daily_price: f64) -> Option<&DayTerms> {
        self.day
            .as_ref()
            .filter(|d| d.daily_bits == daily_price.to_bits())
    }

    /// Normal hours `normal` of a day priced `daily_price` seen from the
    /// cap.
    #[inline]
    fn normal_at_cap(&self, daily_price: f64, normal: &Lognormal) -> AtCap {
        match self.day_terms(daily_price) {
            Some(d) => d.at_cap,
            None => normal.at_cap(self.params.cap, self.ln_cap),
        }
    }

    /// The parameters.
    pub fn params(&self) -> &HourlySpreadParams {
        &self.params
    }

    /// Normal hours of a day priced `daily_price`: lognormal(`ln P_d − s²/2`,
    /// `s`); `None` when the daily price is negative, infinite or NaN.
    #[inline]
    fn normal_hours(&self, daily_price: f64) -> Option<Lognormal> {
        if let Some(d) = self.day_terms(daily_price) {
            return Some(d.normal);
        }
        (daily_price >= 0.0 && daily_price.is_finite()).then(|| {
            Lognormal::new(
                daily_price.ln() - self.half_variance,
                self.params.dispersion,
                daily_price,
                daily_price,
            )
        })
    }

    /// The fraction of hours with price `≤ bid`: a miner that runs whenever
    /// power costs at most its bid runs this fraction of the day.
    ///
    /// Formula: `1` for `bid ≥ cap`, else
    /// `F(b) = (1 − π)·Φ((ln b − ln P_d + s²/2)/s) + π·Φ((ln b − ln m)/s_k)`,
    /// each `Φ` replaced by an indicator `1{x₀ ≤ b}` for a zero dispersion
    /// (and 0 for `b ≤ 0` otherwise). NaN for a NaN bid or a daily price
    /// that is not finite and `≥ 0`.
    ///
    /// # Example
    /// ```
    /// use hashwatt::model::hours::{HourlySpread, HourlySpreadParams};
    /// use hashwatt::model::special::normal_cdf;
    /// let spread = HourlySpread::new(HourlySpreadParams {
    ///     dispersion: 0.4,
    ///     spike_probability: 0.0,
    ///     spike_median: 1_000.0,
    ///     spike_dispersion: 0.0,
    ///     cap: 5_000.0,
    /// })?;
    /// // Bidding the daily price: run while ln(p/P_d) ≤ 0, i.e. η ≤ s/2.
    /// assert!((spread.uptime(50.0, 50.0) - normal_cdf(0.2)).abs() < 1e-14);
    /// assert_eq!(spread.uptime(50.0, 5_000.0), 1.0);
    /// # Ok::<(), hashwatt::model::hours::HoursError>(())
    /// ```
    #[inline]
    pub fn uptime(&self, daily_price: f64, bid: f64) -> f64 {
        let Some(normal) = self.checked(daily_price, bid) else {
            return f64::NAN;
        };
        if bid >= self.params.cap {
            return 1.0;
        }
        let ln_b = bid.ln();
        self.mix_uptime(normal.cdf(bid, ln_b), self.spike.cdf(bid, ln_b))
    }

    /// `E[p·1{p ≤ bid}]`, USD per MWh of capacity-hour: what a miner bidding
    /// `bid` pays per MW of capacity per hour on average, so that a miner of
    /// `C` MW pays `24·C·energy_cost` USD for the day (and
    /// `energy_cost / uptime` USD per MWh actually drawn).
    ///
    /// Formula: for `bid ≥ cap`, [`HourlySpread::mean_price`]; else, with the
    /// partial expectation of a lognormal(`μ`, `σ`)
    /// `E[X·1{X ≤ b}] = e^{μ+σ²/2}·Φ((ln b − μ − σ²)/σ)`,
    /// `(1 − π)·P_d·Φ((ln b − ln P_d − s²/2)/s) +
    /// π·m·e^{s_k²/2}·Φ((ln b − ln m − s_k²)/s_k)`
    /// (point masses `x₀·1{x₀ ≤ b}` for a zero dispersion). No cap term:
    /// with `b < cap`, a capped hour never runs. NaN as for
    /// [`HourlySpread::uptime`].
    ///
    /// # Example
    /// ```
    /// use hashwatt::model::hours::{HourlySpread, HourlySpreadParams};
    /// use hashwatt::model::special::normal_cdf;
    /// let spread = HourlySpread::new(HourlySpreadParams {
    ///     dispersion: 0.4,
    ///     spike_probability: 0.0,
    ///     spike_median: 1_000.0,
    ///     spike_dispersion: 0.0,
    ///     cap: 5_000.0,
    /// })?;
    /// let cost = spread.energy_cost(50.0, 50.0);
    /// assert!((cost - 50.0 * normal_cdf(-0.2)).abs() < 1e-12 * cost);
    /// # Ok::<(), hashwatt::model::hours::HoursError>(())
    /// ```
    #[inline]
    pub fn energy_cost(&self, daily_price: f64, bid: f64) -> f64 {
        let Some(normal) = self.checked(daily_price, bid) else {
            return f64::NAN;
        };
        if bid >= self.params.cap {
            return self.mean_price_of(daily_price, normal);
        }
        let ln_b = bid.ln();
        self.mix(normal.partial(bid, ln_b), self.spike.partial(bid, ln_b))
    }

    /// `E[p]`, USD/MWh: the mean hourly price with the cap.
    ///
    /// Formula: `Σ_j w_j·(E[X_j·1{X_j ≤ cap}] + cap·P(X_j > cap))` over normal
    /// hours (`w = 1 − π`) and spikes (`w = π`), i.e.
    /// `(1 − π)·(P_d·Φ(z_n(cap) − s) + cap·Φ(−z_n(cap))) + π·(…)`; equal to
    /// `(1 − π)·P_d + π·m·e^{s_k²/2}` without a cap. NaN for a daily price
    /// that is not finite and `≥ 0`.
    ///
    /// # Example
    /// ```
    /// use hashwatt::model::hours::{HourlySpread, HourlySpreadParams};
    /// let spread = HourlySpread::new(HourlySpreadParams {
    ///     dispersion: 0.4,
    ///     spike_probability: 0.02,
    ///     spike_median: 1_000.0,
    ///     spike_dispersion: 0.0,
    ///     cap: f64::INFINITY,
    /// })?;
    /// let mean = spread.mean_price(50.0);
    /// assert!((mean - (0.98 * 50.0 + 0.02 * 1_000.0)).abs() < 1e-12 * mean);
    /// # Ok::<(), hashwatt::model::hours::HoursError>(())
    /// ```
    #[inline]
    pub fn mean_price(&self, daily_price: f64) -> f64 {
        let Some(normal) = self.normal_hours(daily_price) else {
            return f64::NAN;
        };
        self.mean_price_of(daily_price, normal)
    }

    /// `E[p·1{p > bid}]`, USD per MWh of capacity-hour: what a miner with a
    /// fixed-price contract earns by curtailing in the hours priced above
    /// `bid` (its breakeven) and selling the power back at the market price
    /// (the power-credit strategy).
    ///
    /// Formula: 0 for `bid ≥ cap`; else
    /// `Σ_j w_j·(E[X_j·1{b < X_j ≤ cap}] + cap·P(X_j > cap))`, with
    /// `E[X·1{b < X ≤ c}] = e^{μ+σ²/2}·(Φ(σ − z(b)) − Φ(σ − z(c)))`, so that
    /// `energy_cost + sell_back_revenue = mean_price` (to rounding). NaN as
    /// for [`HourlySpread::uptime`].
    ///
    /// # Example
    /// ```
    /// use hashwatt::model::hours::{HourlySpread, HourlySpreadParams};
    /// let spread = HourlySpread::new(HourlySpreadParams {
    ///     dispersion: 0.0,
    ///     spike_probability: 0.05,
    ///     spike_median: 9_000.0,
    ///     spike_dispersion: 0.0,
    ///     cap: 5_000.0,
    /// })?;
    /// // Spikes (5 % of hours) hit the cap: 0.05 · 5 000 USD/MWh.
    /// assert_eq!(spread.sell_back_revenue(40.0, 70.0), 0.05 * 5_000.0);
    /// # Ok::<(), hashwatt::model::hours::HoursError>(())
    /// ```
    #[inline]
    pub fn sell_back_revenue(&self, daily_price: f64, bid: f64) -> f64 {
        let Some(normal) = self.checked(daily_price, bid) else {
            return f64::NAN;
        };
        if bid >= self.params.cap {
            return 0.0;
        }
        let ln_b = bid.ln();
        let at_cap = self.normal_at_cap(daily_price, &normal);
        let n = normal.at_bid(bid, ln_b, &at_cap);
        let k = self.spike.at_bid(bid, ln_b, &self.spike_at_cap);
        self.mix(n.upper, k.upper)
    }

    /// All four quantities of a bid at once (the same values as the four
    /// methods, bit for bit).
    ///
    /// # Example
    /// ```
    /// use hashwatt::model::hours::{HourlySpread, HourlySpreadParams};
    /// let spread = HourlySpread::new(HourlySpreadParams {
    ///     dispersion: 0.3,
    ///     spike_probability: 0.01,
    ///     spike_median: 600.0,
    ///     spike_dispersion: 0.7,
    ///     cap: 5_000.0,
    /// })?;
    /// let out = spread.outcome(40.0, 55.0);
    /// assert_eq!(out.uptime, spread.uptime(40.0, 55.0));
    /// assert_eq!(out.sell_back_revenue, spread.sell_back_revenue(40.0, 55.0));
    /// # Ok::<(), hashwatt::model::hours::HoursError>(())
    /// ```
    #[inline]
    pub fn outcome(&self, daily_price: f64, bid: f64) -> HourlyOutcome {
        let Some(normal) = self.checked(daily_price, bid) else {
            return HourlyOutcome {
                uptime: f64::NAN,
                energy_cost: f64::NAN,
                sell_back_revenue: f64::NAN,
                mean_price: self.mean_price(daily_price),
            };
        };
        let at_cap = self.normal_at_cap(daily_price, &normal);
        let mean_price = match self.day_terms(daily_price) {
            Some(d) => d.mean_price,
            None => self.mix(at_cap.capped_mean(), self.spike_at_cap.capped_mean()),
        };
        if bid >= self.params.cap {
            return HourlyOutcome {
                uptime: 1.0,
                energy_cost: mean_price,
                sell_back_revenue: 0.0,
                mean_price,
            };
        }
        let ln_b = bid.ln();
        let n = normal.at_bid(bid, ln_b, &at_cap);
        let k = self.spike.at_bid(bid, ln_b, &self.spike_at_cap);
        HourlyOutcome {
            uptime: self.mix_uptime(n.cdf, k.cdf),
            energy_cost: self.mix(n.partial, k.partial),
            sell_back_revenue: self.mix(n.upper, k.upper),
            mean_price,
        }
    }

    /// Normal hours, or `None` for a NaN bid or a bad daily price.
    #[inline]
    fn checked(&self, daily_price: f64, bid: f64) -> Option<Lognormal> {
        if bid.is_nan() {
            return None;
        }
        self.normal_hours(daily_price)
    }

    /// `E[p]` for normal hours `normal` of a day priced `daily_price`.
    #[inline]
    fn mean_price_of(&self, daily_price: f64, normal: Lognormal) -> f64 {
        if let Some(d) = self.day_terms(daily_price) {
            return d.mean_price;
        }
        let at_cap = normal.at_cap(self.params.cap, self.ln_cap);
        self.mix(at_cap.capped_mean(), self.spike_at_cap.capped_mean())
    }

    /// `(1 − π)·n + π·k`, exactly `n` for `π = 0` (even if `k` is infinite:
    /// an uncapped spike mean may overflow).
    #[inline]
    fn mix(&self, n: f64, k: f64) -> f64 {
        let pi = self.params.spike_probability;
        if pi == 0.0 {
            n
        } else {
            (1.0 - pi) * n + pi * k
        }
    }

    /// `(1 − π)·n + π·k` for probabilities, written `n + π·(k − n)` to give
    /// exactly 1 when `n = k = 1`.
    #[inline]
    fn mix_uptime(&self, n: f64, k: f64) -> f64 {
        n + self.params.spike_probability * (k - n)
    }
}

/// Checks a dispersion: finite and `≥ 0`.
fn dispersion(field: &'static str, value: f64) -> Result<(), HoursError> {
    if !value.is_finite() {
        Err(HoursError::NotFinite { field, value })
    } else if value < 0.0 {
        Err(HoursError::Negative { field, value })
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_expectation_branches_agree_at_the_switch() {
        // d = −1 exactly: both forms of E[X·1{X ≤ b}] must agree (a
        // relative step of 1e-12 in b moves the value by about 1e-12).
        let x = Lognormal::new(0.3, 1.7, 0.3f64.exp(), (0.3f64 + 0.5 * 1.7 * 1.7).exp());
        let b = (0.3 + 1.7 * (1.7 - 1.0f64)).exp();
        let direct = x.mean * normal_cdf(x.z(b.ln()) - 1.7);
        for b in [b * (1.0 - 1e-12), b, b * (1.0 + 1e-12)] {
            let got = x.partial(b, b.ln());
            assert!((got - direct).abs() < 3e-12 * direct, "{got} vs {direct}");
        }
    }

    #[test]
    fn huge_dispersion_does_not_overflow() {
        // e^{σ²/2} overflows for σ = 40, but E[X·1{X ≤ b}] ≤ b.
        let x = Lognormal::new(0.0, 40.0, 1.0, f64::INFINITY);
        for b in [1e-3, 1.0, 1e3, 1e300] {
            let v = x.partial(b, b.ln());
            assert!(
                v.is_finite() && v >= 0.0 && v <= b * x.cdf(b, b.ln()),
                "b = {b}: {v}"
            );
        }
        let cap = 5_000.0f64;
        assert!(x.at_cap(cap, cap.ln()).capped_mean().is_finite());
    }
}
