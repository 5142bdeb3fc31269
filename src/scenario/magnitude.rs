//! One bound on every number a scenario writes, before any field's own
//! check: values far beyond anything physical (1e308 USD, 1e300 machines)
//! overflow the model's products to infinity and its outputs to `null`, so
//! they are refused with the field named instead.

use toml::{Table, Value};

/// The largest magnitude a scenario value may have: a trillion (USD, MW,
/// EH/s, units, days, ...), far beyond every real figure (the largest,
/// balance sheets and data-center capex, are below 1e12 USD) and small
/// enough that the products of a few of them stay finite.
pub const MAX_MAGNITUDE: f64 = 1e12;

/// The first number of `table` (depth first, in key order) beyond
/// [`MAX_MAGNITUDE`], as `(field path, message)`.
pub(crate) fn check_magnitudes(table: &Table) -> Result<(), (String, String)> {
    for (key, value) in table {
        check_value(key.clone(), value)?;
    }
    Ok(())
}

fn check_value(path: String, value: &Value) -> Result<(), (String, String)> {
    let too_big = |shown: String| {
        Err((
            path.clone(),
            format!("{shown} is beyond ±{MAX_MAGNITUDE:e}, the largest magnitude a value may have"),
        ))
    };
    match value {
        Value::Float(x) if x.is_nan() || x.is_infinite() => {
            Err((path.clone(), format!("must be a finite number, not {x}")))
        }
        Value::Float(x) if x.abs() > MAX_MAGNITUDE => too_big(format!("{x:e}")),
        Value::Integer(i) if (*i as f64).abs() > MAX_MAGNITUDE => too_big(i.to_string()),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                check_value(format!("{path}[{i}]"), item)?;
            }
            Ok(())
        }
        Value::Table(t) => {
            for (key, item) in t {
                check_value(format!("{path}.{key}"), item)?;
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_huge_value_is_named_with_its_path() {
        let table: Table = "a = 1.0\n[b]\nc = [1, 2e13]\n".parse().expect("toml");
        let (field, message) = check_magnitudes(&table).unwrap_err();
        assert_eq!(field, "b.c[1]");
        assert!(message.starts_with("2e13 is beyond ±1e12"), "{message}");
        let inf: Table = "a = -inf".parse().expect("toml");
        assert_eq!(
            check_magnitudes(&inf).unwrap_err().1,
            "must be a finite number, not -inf"
        );
        let fine: Table = "a = -1e12\nb = [{ c = 5 }]\n".parse().expect("toml");
        assert!(check_magnitudes(&fine).is_ok());
    }
}
