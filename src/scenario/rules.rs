//! The rules a scenario's values are checked against: finite, signed,
//! in a range, a valid name, unique names. Each returns the value or an
//! [`Invalid`] naming the field, to which the scenario attaches the file
//! and position.

use std::collections::HashSet;

/// A value error before its origin and position are attached.
#[derive(Debug)]
pub(crate) struct Invalid {
    pub field: String,
    pub message: String,
}

pub(crate) fn invalid(field: impl Into<String>, message: impl Into<String>) -> Invalid {
    Invalid {
        field: field.into(),
        message: message.into(),
    }
}

pub(crate) type Checked<T> = Result<T, Invalid>;

pub(crate) fn finite(field: &str, v: f64) -> Checked<f64> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(invalid(field, format!("must be a finite number, not {v}")))
    }
}

pub(crate) fn non_negative(field: &str, v: f64) -> Checked<f64> {
    if finite(field, v)? >= 0.0 {
        Ok(v)
    } else {
        Err(invalid(field, format!("must be ≥ 0, not {v}")))
    }
}

pub(crate) fn positive(field: &str, v: f64) -> Checked<f64> {
    if finite(field, v)? > 0.0 {
        Ok(v)
    } else {
        Err(invalid(field, format!("must be > 0, not {v}")))
    }
}

pub(crate) fn in_range(
    field: &str,
    v: f64,
    range: &str,
    contains: impl Fn(f64) -> bool,
) -> Checked<f64> {
    if contains(finite(field, v)?) {
        Ok(v)
    } else {
        Err(invalid(field, format!("must be in {range}, not {v}")))
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
