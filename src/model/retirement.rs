//! Retirement by age of the machines installed before day 0 (model.md
//! §4): a class's ages at day 0 are uniform in `[a_min, a_max]`, and its
//! machines retire at a fixed life.

use serde::Serialize;

use super::error::{ParamError, Rule};
use super::units::DAYS_PER_YEAR;

/// Why [`ClassAge::new`] refused its parameters.
///
/// # Example
/// ```
/// use hashwatt::model::retirement::{ClassAge, RetirementError};
/// let err = ClassAge::new(3.0, 1.0, 5.0).unwrap_err();
/// assert_eq!(err, RetirementError::Order { min_years: 3.0, max_years: 1.0 });
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum RetirementError {
    /// An age or the life is out of range.
    #[error("class age: {0}")]
    Param(ParamError),
    /// The youngest age is above the oldest.
    #[error("class age: min_years = {min_years} is above max_years = {max_years}")]
    Order {
        /// The youngest age given, years.
        min_years: f64,
        /// The oldest age given, years.
        max_years: f64,
    },
}

/// The age profile at day 0 of a rest-of-world class: ages uniform in
/// `[min_years, max_years]`, retiring at `life_years`. Built by
/// [`ClassAge::new`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ClassAge {
    min_years: f64,
    max_years: f64,
    life_years: f64,
}

impl ClassAge {
    /// Ages at day 0 uniform in `[min_years, max_years]` (finite, `0 ≤
    /// min_years ≤ max_years`), retiring at `life_years` (> 0).
    ///
    /// # Errors
    /// [`RetirementError::Param`] naming the first parameter out of range
    /// (the ages first), or [`RetirementError::Order`].
    ///
    /// # Example
    /// ```
    /// use hashwatt::model::retirement::ClassAge;
    /// let age = ClassAge::new(1.0, 3.0, 5.0)?;
    /// assert_eq!(age.surviving_fraction(3.0 * 365.0), 0.5);
    /// # Ok::<(), hashwatt::model::retirement::RetirementError>(())
    /// ```
    pub fn new(
        min_years: f64,
        max_years: f64,
        life_years: f64,
    ) -> Result<ClassAge, RetirementError> {
        let check = |field, value, rule| {
            ParamError::check(field, value, rule).map_err(RetirementError::Param)
        };
        check("min_years", min_years, Rule::Finite)?;
        check("max_years", max_years, Rule::Finite)?;
        check("min_years", min_years, Rule::NonNegative)?;
        if min_years > max_years {
            return Err(RetirementError::Order {
                min_years,
                max_years,
            });
        }
        Ok(ClassAge {
            min_years,
            max_years,
            life_years: check("life_years", life_years, Rule::Positive)?,
        })
    }

    /// Youngest age at day 0, years (≥ 0).
    pub fn min_years(&self) -> f64 {
        self.min_years
    }

    /// Oldest age at day 0, years (≥ `min_years`).
    pub fn max_years(&self) -> f64 {
        self.max_years
    }

    /// Age at which the class's machines retire, years (> 0).
    pub fn life_years(&self) -> f64 {
        self.life_years
    }

    /// Share of the class's day-0 EH/s still installed on day `day`
    /// ([`surviving_fraction`]).
    pub fn surviving_fraction(&self, day: f64) -> f64 {
        surviving_fraction(self.min_years, self.max_years, self.life_years, day)
    }
}

/// Share of a class still installed on day `day` when its ages at day 0 are
/// uniform in `[min_age_years, max_age_years]` and machines retire at age
/// `life_years`: `clamp((life − day/365 − a_min)/(a_max − a_min), 0, 1)`,
/// and for `a_min = a_max` a step: 1 while `a_min + day/365 < life`, then 0.
///
/// # Example
/// ```
/// use hashwatt::model::retirement::surviving_fraction;
/// // Ages 1 to 3 years, life 5: all alive for 2 years, none after 4.
/// assert_eq!(surviving_fraction(1.0, 3.0, 5.0, 365.0), 1.0);
/// assert_eq!(surviving_fraction(1.0, 3.0, 5.0, 3.0 * 365.0), 0.5);
/// assert_eq!(surviving_fraction(1.0, 3.0, 5.0, 4.0 * 365.0), 0.0);
/// ```
pub fn surviving_fraction(
    min_age_years: f64,
    max_age_years: f64,
    life_years: f64,
    day: f64,
) -> f64 {
    let left = life_years - day / DAYS_PER_YEAR - min_age_years;
    let spread = max_age_years - min_age_years;
    if spread > 0.0 {
        (left / spread).clamp(0.0, 1.0)
    } else if left > 0.0 {
        1.0
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    #[test]
    fn surviving_fraction_shape() {
        let year = DAYS_PER_YEAR;
        // Ages 1 to 3, life 5: all alive 2 years, linear to none at 4.
        let f = |day: f64| surviving_fraction(1.0, 3.0, 5.0, day);
        assert_eq!(f(0.0), 1.0);
        assert_eq!(f(2.0 * year), 1.0);
        assert!(close(f(2.5 * year), 0.75, 1e-12));
        assert!(close(f(3.0 * year), 0.5, 1e-12));
        assert_eq!(f(4.0 * year), 0.0);
        assert_eq!(f(10.0 * year), 0.0);
        let mut last = 1.0;
        for d in 0..2000 {
            let s = f(f64::from(d));
            assert!((0.0..=last).contains(&s));
            last = s;
        }
        // Oldest already past its life at day 0: partly retired from the start.
        assert!(close(surviving_fraction(4.0, 6.0, 5.0, 0.0), 0.5, 1e-12));
        // One age: a step at the life.
        assert_eq!(surviving_fraction(2.0, 2.0, 5.0, 3.0 * year - 1.0), 1.0);
        assert_eq!(surviving_fraction(2.0, 2.0, 5.0, 3.0 * year), 0.0);
        let age = ClassAge::new(1.0, 3.0, 5.0).expect("valid");
        assert_eq!(age.surviving_fraction(3.0 * year), f(3.0 * year));
    }

    #[test]
    fn new_checks_ages_and_life() {
        let err = |min, max, life| ClassAge::new(min, max, life).unwrap_err();
        let param = |field, value, rule| RetirementError::Param(ParamError { field, value, rule });
        assert_eq!(
            err(-1.0, 1.0, 5.0),
            param("min_years", -1.0, Rule::NonNegative)
        );
        assert!(matches!(
            err(f64::NAN, 1.0, 5.0),
            RetirementError::Param(ParamError {
                field: "min_years",
                rule: Rule::Finite,
                ..
            })
        ));
        assert_eq!(
            err(0.0, f64::INFINITY, 5.0),
            param("max_years", f64::INFINITY, Rule::Finite)
        );
        assert_eq!(
            err(2.0, 1.0, 5.0),
            RetirementError::Order {
                min_years: 2.0,
                max_years: 1.0
            }
        );
        assert_eq!(err(1.0, 2.0, 0.0), param("life_years", 0.0, Rule::Positive));
        // One age is a profile too.
        assert!(ClassAge::new(2.0, 2.0, 5.0).is_ok());
    }
}
