//! Why a model constructor refused its parameters: [`ModelError`], one
//! variant per model error type, and [`ParamError`], the error of a single
//! parameter out of its range that several of them share.
//!
//! The model's constructors (`new(..) -> Result`) hold the rules of their
//! parameters; the scenario check calls them and keeps their error as the
//! `source` of its own ([`ScenarioError::model_error`]), so that a caller
//! can match on what the model refused rather than on a message.
//!
//! [`ScenarioError::model_error`]: crate::scenario::ScenarioError::model_error
//!
//! # Example
//! ```
//! use hashwatt::model::error::{ParamError, Rule};
//! use hashwatt::model::finance::{Finance, FinanceError};
//! use hashwatt::model::ModelError;
//! let err = Finance::new(-1.0, 0.0, 0.05, f64::INFINITY).unwrap_err();
//! assert_eq!(
//!     err,
//!     FinanceError::Finance(ParamError { field: "cash_usd", value: -1.0, rule: Rule::NonNegative })
//! );
//! assert_eq!(err.to_string(), "balance sheet: cash_usd = -1: must be ≥ 0");
//! let err = ModelError::from(err);
//! assert!(matches!(err, ModelError::Finance(_)));
//! ```

use std::fmt;

use super::allocation::UnknownPolicy;
use super::consensus::ConsensusError;
use super::datacenter::PipelineError;
use super::farm::FarmError;
use super::finance::FinanceError;
use super::grid::StackError;
use super::hours::HoursError;
use super::investment::InvestmentError;
use super::market::MinersError;
use super::politics::PoliticsError;
use super::region::RegionError;
use super::retirement::RetirementError;

/// An error of a model constructor, whichever it is.
///
/// Carried as the `source` of
/// [`ScenarioError::Invalid`](crate::scenario::ScenarioError::Invalid) when
/// the model refused a scenario's value.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ModelError {
    /// The hourly price spread ([`HourlySpread::new`](super::hours::HourlySpread::new)).
    #[error(transparent)]
    Hours(#[from] HoursError),
    /// A supply stack ([`SupplyStack::new`](super::grid::SupplyStack::new)).
    #[error(transparent)]
    Stack(#[from] StackError),
    /// A political chain ([`PoliticalChain::new`](super::politics::PoliticalChain::new)).
    #[error(transparent)]
    Politics(#[from] PoliticsError),
    /// A data-center pipeline ([`Pipeline::new`](super::datacenter::Pipeline::new)).
    #[error(transparent)]
    Pipeline(#[from] PipelineError),
    /// An allocation policy's name (`"first_come".parse::<Policy>()`).
    #[error(transparent)]
    Policy(#[from] UnknownPolicy),
    /// A consensus value (compact difficulty bits).
    #[error(transparent)]
    Consensus(#[from] ConsensusError),
    /// A balance sheet, a hedge or a contract renewal
    /// ([`Finance::new`](super::finance::Finance::new),
    /// [`Hedge::new`](super::finance::Hedge::new),
    /// [`Renewal::new`](super::finance::Renewal::new)).
    #[error(transparent)]
    Finance(#[from] FinanceError),
    /// A region's baseline load or a capacity addition
    /// ([`BaselineLoad::new`](super::region::BaselineLoad::new),
    /// [`CapacityAddition::new`](super::region::CapacityAddition::new)).
    #[error(transparent)]
    Region(#[from] RegionError),
    /// A region's own miners or one of their requests
    /// ([`RegionalMiners::new`](super::market::RegionalMiners::new),
    /// [`MinerRequest::new`](super::market::MinerRequest::new)).
    #[error(transparent)]
    Miners(#[from] MinersError),
    /// A rest-of-world class's age profile
    /// ([`ClassAge::new`](super::retirement::ClassAge::new)).
    #[error(transparent)]
    Retirement(#[from] RetirementError),
    /// A farm's machine lot, expansion or migration
    /// ([`MachineLot::with_price`](super::farm::MachineLot::with_price),
    /// [`MachineLot::with_service`](super::farm::MachineLot::with_service),
    /// [`Expansion::new`](super::expansion::Expansion::new),
    /// [`Migration::new`](super::migration::Migration::new)).
    #[error(transparent)]
    Farm(#[from] FarmError),
    /// Rest-of-world investment
    /// ([`Investment::new`](super::investment::Investment::new)).
    #[error(transparent)]
    Investment(#[from] InvestmentError),
}

/// The rule a parameter breaks.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum Rule {
    /// It must be a finite number (not NaN, not infinite).
    Finite,
    /// It must be ≥ 0 (and finite, or `+∞` where the parameter says so).
    NonNegative,
    /// It must be > 0 (and finite).
    Positive,
    /// It must lie in an interval.
    Within(Interval),
}

impl fmt::Display for Rule {
    /// As a scenario's messages put it: `must be ≥ 0`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rule::Finite => f.write_str("must be a finite number"),
            Rule::NonNegative => f.write_str("must be ≥ 0"),
            Rule::Positive => f.write_str("must be > 0"),
            Rule::Within(interval) => write!(f, "must be in {interval}"),
        }
    }
}

/// An interval of the real line, each end open or closed.
///
/// # Example
/// ```
/// use hashwatt::model::error::Interval;
/// let unit = Interval::half_open(0.0, 1.0);
/// assert!(unit.contains(0.0) && !unit.contains(1.0));
/// assert_eq!(unit.to_string(), "[0, 1)");
/// assert_eq!(Interval::left_open(-1.0, 1.0).to_string(), "(-1, 1]");
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    /// Lower end.
    pub low: f64,
    /// Whether the lower end belongs to the interval.
    pub low_closed: bool,
    /// Upper end.
    pub high: f64,
    /// Whether the upper end belongs to the interval.
    pub high_closed: bool,
}

impl Interval {
    /// `[low, high]`.
    pub const fn closed(low: f64, high: f64) -> Interval {
        Interval {
            low,
            low_closed: true,
            high,
            high_closed: true,
        }
    }

    /// `[low, high)`.
    pub const fn half_open(low: f64, high: f64) -> Interval {
        Interval {
            low,
            low_closed: true,
            high,
            high_closed: false,
        }
    }

    /// `(low, high]`.
    pub const fn left_open(low: f64, high: f64) -> Interval {
        Interval {
            low,
            low_closed: false,
            high,
            high_closed: true,
        }
    }

    /// Whether `v` is in the interval (never for NaN).
    pub fn contains(&self, v: f64) -> bool {
        let above = if self.low_closed {
            v >= self.low
        } else {
            v > self.low
        };
        let below = if self.high_closed {
            v <= self.high
        } else {
            v < self.high
        };
        above && below
    }
}

impl fmt::Display for Interval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let open = if self.low_closed { '[' } else { '(' };
        let close = if self.high_closed { ']' } else { ')' };
        write!(f, "{open}{}, {}{close}", self.low, self.high)
    }
}

/// A parameter out of its range: which (`field`, named as in the model's
/// constructor), its value and the rule it breaks.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
#[error("{field} = {value}: {rule}")]
pub struct ParamError {
    /// The parameter, as the constructor names it.
    pub field: &'static str,
    /// The value given.
    pub value: f64,
    /// The rule it breaks.
    pub rule: Rule,
}

impl ParamError {
    /// Checks `value` of `field` against `rule`: a NaN or an infinite value
    /// breaks [`Rule::Finite`] first, whatever the rule.
    ///
    /// # Errors
    /// The [`ParamError`] naming the rule broken.
    ///
    /// # Example
    /// ```
    /// use hashwatt::model::error::{ParamError, Rule};
    /// assert_eq!(ParamError::check("x", 2.0, Rule::Positive), Ok(2.0));
    /// let err = ParamError::check("x", f64::NAN, Rule::Positive).unwrap_err();
    /// assert_eq!(err.rule, Rule::Finite);
    /// ```
    pub fn check(field: &'static str, value: f64, rule: Rule) -> Result<f64, ParamError> {
        let ok = value.is_finite()
            && match rule {
                Rule::Finite => true,
                Rule::NonNegative => value >= 0.0,
                Rule::Positive => value > 0.0,
                Rule::Within(interval) => interval.contains(value),
            };
        if ok {
            return Ok(value);
        }
        let rule = if value.is_finite() {
            rule
        } else {
            Rule::Finite
        };
        Err(ParamError { field, value, rule })
    }

    /// As [`ParamError::check`] with [`Rule::NonNegative`], `+∞` allowed
    /// (a wait or a term without end).
    ///
    /// # Errors
    /// The [`ParamError`] naming the rule broken.
    pub fn check_non_negative_or_infinite(
        field: &'static str,
        value: f64,
    ) -> Result<f64, ParamError> {
        if value == f64::INFINITY {
            Ok(value)
        } else {
            ParamError::check(field, value, Rule::NonNegative)
        }
    }

    /// As [`ParamError::check`] with [`Rule::Positive`], `+∞` allowed.
    ///
    /// # Errors
    /// The [`ParamError`] naming the rule broken.
    pub fn check_positive_or_infinite(field: &'static str, value: f64) -> Result<f64, ParamError> {
        if value == f64::INFINITY {
            Ok(value)
        } else {
            ParamError::check(field, value, Rule::Positive)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_errors_are_send_sync_and_static() {
        fn assert_bounds<T: std::error::Error + Send + Sync + 'static>() {}
        assert_bounds::<ModelError>();
        assert_bounds::<ParamError>();
        assert_bounds::<FarmError>();
        assert_bounds::<InvestmentError>();
    }

    #[test]
    fn rules_word_as_the_scenario_does() {
        assert_eq!(Rule::Finite.to_string(), "must be a finite number");
        assert_eq!(Rule::NonNegative.to_string(), "must be ≥ 0");
        assert_eq!(Rule::Positive.to_string(), "must be > 0");
        let r = Rule::Within(Interval::closed(1.0, 10.0));
        assert_eq!(r.to_string(), "must be in [1, 10]");
    }

    #[test]
    fn check_names_the_rule_broken() {
        let err = |v, rule| ParamError::check("x", v, rule).unwrap_err().rule;
        assert_eq!(err(-1.0, Rule::NonNegative), Rule::NonNegative);
        assert_eq!(err(0.0, Rule::Positive), Rule::Positive);
        assert_eq!(err(f64::INFINITY, Rule::NonNegative), Rule::Finite);
        assert_eq!(err(f64::NAN, Rule::Finite), Rule::Finite);
        let unit = Interval::left_open(0.0, 1.0);
        assert_eq!(err(0.0, Rule::Within(unit)), Rule::Within(unit));
        assert_eq!(ParamError::check("x", 1.0, Rule::Within(unit)), Ok(1.0));
        assert_eq!(
            ParamError::check_non_negative_or_infinite("x", f64::INFINITY),
            Ok(f64::INFINITY)
        );
        assert!(ParamError::check_non_negative_or_infinite("x", -1.0).is_err());
        assert!(ParamError::check_positive_or_infinite("x", 0.0).is_err());
        assert!(ParamError::check_positive_or_infinite("x", f64::NAN).is_err());
    }

    #[test]
    fn a_model_error_shows_the_model_s_message() {
        let err = ModelError::from(StackError::Cap);
        assert_eq!(err.to_string(), StackError::Cap.to_string());
    }
}
