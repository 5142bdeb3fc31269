//! The rules a scenario's values are checked against: finite, signed,
//! in a range, a valid name, unique names. Each returns the value or an
//! [`Invalid`] naming the field, to which the scenario attaches the file
//! and position.

use std::collections::HashSet;

use crate::model::ModelError;
use crate::model::error::{Interval, ParamError, Rule};

/// A value error before its origin and position are attached: the field,
/// the message, and the model's error when a model constructor refused it.
#[derive(Debug)]
pub(crate) struct Invalid {
    pub field: String,
    pub message: String,
    pub source: Option<ModelError>,
}

pub(crate) fn invalid(field: impl Into<String>, message: impl Into<String>) -> Invalid {
    Invalid {
        field: field.into(),
        message: message.into(),
        source: None,
    }
}

impl Invalid {
    /// The same error, caused by the model's `err` (kept as its source).
    pub(crate) fn because(mut self, err: impl Into<ModelError>) -> Invalid {
        self.source = Some(err.into());
        self
    }
}

/// The message for a value that breaks `rule`: `must be ≥ 0, not -1`.
pub(crate) fn broken(rule: Rule, value: f64) -> String {
    format!("{rule}, not {value}")
}

/// A parameter the model refused (`param`, in `err`), on the scenario's
/// `field`, whose value the scenario wrote as `value` (the model's may be
/// in other units).
pub(crate) fn refused(
    field: impl Into<String>,
    param: &ParamError,
    value: f64,
    err: impl Into<ModelError>,
) -> Invalid {
    invalid(field, broken(param.rule, value)).because(err)
}

pub(crate) type Checked<T> = Result<T, Invalid>;

pub(crate) fn finite(field: &str, v: f64) -> Checked<f64> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(invalid(field, broken(Rule::Finite, v)))
    }
}

pub(crate) fn non_negative(field: &str, v: f64) -> Checked<f64> {
    if finite(field, v)? >= 0.0 {
        Ok(v)
    } else {
        Err(invalid(field, broken(Rule::NonNegative, v)))
    }
}

pub(crate) fn positive(field: &str, v: f64) -> Checked<f64> {
    if finite(field, v)? > 0.0 {
        Ok(v)
    } else {
        Err(invalid(field, broken(Rule::Positive, v)))
    }
}

pub(crate) fn in_range(field: &str, v: f64, interval: Interval) -> Checked<f64> {
    if interval.contains(finite(field, v)?) {
        Ok(v)
    } else {
        Err(invalid(field, broken(Rule::Within(interval), v)))
    }
}

/// Names that appear in series names: letters, digits, `_` and `-`.
pub(crate) fn identifier(field: &str, name: &str) -> Checked<String> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if ok {
        Ok(name.to_string())
    } else {
        Err(invalid(
            field,
            format!("`{name}` is not a valid name: use 1 to 64 letters, digits, `_` or `-`"),
        ))
    }
}

pub(crate) fn unique<'a>(field: &str, names: impl IntoIterator<Item = &'a str>) -> Checked<()> {
    let mut seen = HashSet::new();
    for (i, n) in names.into_iter().enumerate() {
        if !seen.insert(n) {
            return Err(invalid(
                format!("{field}[{i}].name"),
                format!("`{n}` is used twice"),
            ));
        }
    }
    Ok(())
}
