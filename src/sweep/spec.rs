//! `--vary PATH=LO..HI:N`: one axis of a sweep, parsed and checked
//! against the scenario's document.

use std::fmt;
use std::str::FromStr;

use crate::scenario::{Document, FieldValue};

use super::SweepError;

/// Most values one `--vary` may ask for (the sweep's total is capped at
/// [`MAX_POINTS`](super::MAX_POINTS) too); checked before any value is
/// made, so that `:1000000000` fails fast.
const MAX_VALUES: usize = super::MAX_POINTS;

/// One `--vary PATH=LO..HI:N`: `N` evenly spaced values from `LO` to `HI`
/// (both included) for the field at `PATH` (the paths of `--set`).
///
/// Parsing checks the syntax alone: a path, two finite numbers with
/// `LO < HI` and `N ≥ 2`. Whether the field exists, is numeric and takes
/// every value is checked against the scenario by [`Vary::axis`] and
/// [`plan`](super::plan).
///
/// # Example
/// ```
/// use hashwatt::sweep::Vary;
/// let v: Vary = "farms[0].contract.price_usd_per_mwh=30..60:4".parse()?;
/// assert_eq!((v.path(), v.lo(), v.hi(), v.count()), ("farms[0].contract.price_usd_per_mwh", 30.0, 60.0, 4));
/// assert_eq!(v.values(), vec![30.0, 40.0, 50.0, 60.0]);
/// assert!("fees.volatility=0.5..0.2:3".parse::<Vary>().is_err());
/// # Ok::<(), hashwatt::sweep::SweepError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Vary {
    path: String,
    lo: f64,
    hi: f64,
    count: usize,
    text: String,
}

impl Vary {
    /// The field's path.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The first value.
    pub fn lo(&self) -> f64 {
        self.lo
    }

    /// The last value.
    pub fn hi(&self) -> f64 {
        self.hi
    }

    /// The number of values.
    pub fn count(&self) -> usize {
        self.count
    }

    /// The values, `LO + (HI − LO)·k/(N − 1)` for `k = 0..N`, `LO` and
    /// `HI` exactly and the others rounded to 15 significant digits (so
    /// that `0.2..0.7:3` gives 0.45, not the 0.44999999999999996 of
    /// binary arithmetic: the value written is the value meant).
    pub fn values(&self) -> Vec<f64> {
        let steps = (self.count - 1) as f64;
        (0..self.count)
            .map(|k| match k {
                0 => self.lo,
                k if k + 1 == self.count => self.hi,
                k => round_15(self.lo + (self.hi - self.lo) * (k as f64 / steps)),
            })
            .collect()
    }

    /// The axis this `--vary` makes in `document`: the field's value there
    /// and the values to run.
    ///
    /// An integer field (a TOML integer, like `units = 250`) takes integer
    /// values only: `LO`, `HI` and the step must be whole numbers, or the
    /// `--vary` is refused (rounding would run a different grid than the
    /// one asked for).
    ///
    /// # Errors
    /// [`SweepError::UnknownField`] when the document does not write the
    /// field, [`SweepError::NotNumeric`] when it is not a number,
    /// [`SweepError::NotInteger`] when an integer field would need
    /// fractional values.
    pub fn axis(&self, document: &Document) -> Result<Axis, SweepError> {
        let base = match document.field(&self.path) {
            None => {
                return Err(SweepError::UnknownField {
                    vary: self.text.clone(),
                    field: self.path.clone(),
                });
            }
            Some(FieldValue::Other(kind)) => {
                return Err(SweepError::NotNumeric {
                    vary: self.text.clone(),
                    field: self.path.clone(),
                    kind,
                });
            }
            Some(value) => value,
        };
        let integer = matches!(base, FieldValue::Integer(_));
        let values = self.values();
        if integer {
            self.check_integer_grid(&values)?;
        }
        Ok(Axis {
            path: self.path.clone(),
            vary: self.text.clone(),
            lo: self.lo,
            hi: self.hi,
            base_value: base.as_f64().unwrap_or(f64::NAN),
            integer,
            values,
        })
    }

    fn check_integer_grid(&self, values: &[f64]) -> Result<(), SweepError> {
        // Beyond 2^53 f64 holds no fractions, and i64 conversions saturate:
        // keep to the exactly representable range.
        const EXACT: f64 = 9_007_199_254_740_992.0;
        let whole = |x: f64| x.fract() == 0.0 && x.abs() <= EXACT;
        match values.iter().find(|v| !whole(**v)) {
            None => Ok(()),
            Some(&value) => Err(SweepError::NotInteger {
                vary: self.text.clone(),
                field: self.path.clone(),
                value,
            }),
        }
    }
}

impl fmt::Display for Vary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl FromStr for Vary {
    type Err = SweepError;

    fn from_str(s: &str) -> Result<Vary, SweepError> {
        let bad = |message: &str| SweepError::Syntax {
            vary: s.to_string(),
            message: message.to_string(),
        };
        let (path, range) = s
            .split_once('=')
            .ok_or_else(|| bad("expected PATH=LO..HI:N, e.g. fees.volatility=0.3..0.7:5"))?;
        let path = path.trim();
        if !crate::scenario::is_field_path(path) {
            return Err(bad("the path is not of the form a.b[0].c"));
        }
        let (range, count) = range
            .rsplit_once(':')
            .ok_or_else(|| bad("expected :N after LO..HI, the number of values"))?;
        let (lo, hi) = range
            .split_once("..")
            .ok_or_else(|| bad("expected LO..HI, two numbers separated by `..`"))?;
        let number = |text: &str, what: &str| -> Result<f64, SweepError> {
            parse_number(text)
                .ok_or_else(|| bad(&format!("{what} `{}` is not a number", text.trim())))
        };
        let (lo, hi) = (number(lo, "LO")?, number(hi, "HI")?);
        let count: usize = count
            .trim()
            .parse()
            .map_err(|_| bad(&format!("N `{}` is not a whole number", count.trim())))?;
        let vary = Vary {
            path: path.to_string(),
            lo,
            hi,
            count,
            text: s.to_string(),
        };
        vary.check_range()?;
        Ok(vary)
    }
}

impl Vary {
    fn check_range(&self) -> Result<(), SweepError> {
        let vary = self.text.clone();
        if !self.lo.is_finite() || !self.hi.is_finite() {
            return Err(SweepError::NotFinite { vary });
        }
        if self.lo >= self.hi {
            let (lo, hi) = (self.lo, self.hi);
            return Err(SweepError::EmptyRange { vary, lo, hi });
        }
        if self.count < 2 {
            let count = self.count;
            return Err(SweepError::TooFewValues { vary, count });
        }
        if self.count > MAX_VALUES {
            let points = self.count;
            let max = MAX_VALUES;
            return Err(SweepError::TooManyPoints { points, max });
        }
        if !(self.hi - self.lo).is_finite() {
            // LO and HI finite but so far apart the step overflows.
            return Err(SweepError::NotFinite { vary });
        }
        Ok(())
    }
}

/// `x` to 15 significant digits, the most every decimal of which an
/// `f64` keeps.
fn round_15(x: f64) -> f64 {
    format!("{x:.14e}").parse().unwrap_or(x)
}

/// A number as TOML writes it, with `_` between digits allowed
/// (`1_000.5`); `inf` and `nan` parse (and are then refused as not
/// finite, with their own message).
fn parse_number(text: &str) -> Option<f64> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    text.replace('_', "").parse().ok()
}

/// A `--vary` checked against the scenario: a field and its values.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Axis {
    /// The field's path, as given (`farms[0].contract.price_usd_per_mwh`).
    pub path: String,
    /// The `--vary` as given.
    pub vary: String,
    /// The first value.
    pub lo: f64,
    /// The last value.
    pub hi: f64,
    /// The value the scenario (with its `--set` overrides) gives the field.
    pub base_value: f64,
    /// Whether the field is a TOML integer (its values are whole numbers,
    /// written as integers).
    pub integer: bool,
    /// The values run, increasing.
    pub values: Vec<f64>,
}

impl Axis {
    /// The `--set` text that gives the field `value`: an integer field's
    /// value as an integer, a float's in Rust's shortest round-trip form
    /// with a decimal point or exponent (so TOML reads it back as the same
    /// float).
    pub fn set_text(&self, value: f64) -> String {
        if self.integer {
            format!("{}={}", self.path, value as i64)
        } else {
            format!("{}={value:?}", self.path)
        }
    }

    /// Index of the value closest to the scenario's own (the lower one on
    /// a tie).
    pub fn closest_to_base(&self) -> usize {
        let distance = |v: f64| (v - self.base_value).abs();
        let mut best = 0;
        for (k, &v) in self.values.iter().enumerate() {
            if distance(v) < distance(self.values[best]) {
                best = k;
            }
        }
        best
    }
}
