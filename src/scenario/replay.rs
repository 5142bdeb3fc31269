//! Historical replay: a series read from a CSV of dates and values in
//! place of a stochastic process (the BTC price, the fees), so that a
//! scenario can be run against what happened.
//!
//! The CSV has a header row; `date_column` holds dates whose first ten
//! characters are `YYYY-MM-DD` (so `2024-02-07` and `"2024-02-07 00:00:00"`
//! both work), `value_column` the values, multiplied by `scale`. Rows must
//! be in increasing date order. Step `t` (day `t·Δ` from the start) takes
//! the value of the last row dated on or before its date (days without a
//! row repeat the previous value); the file must have a row on or before
//! the start and one on or after the last step's date.

use std::path::Path;

use super::files::{MAX_REPLAY_BYTES, read_bounded};
use super::rules::{Checked, invalid};
use super::spec::ReplaySpec;
use jiff::civil::Date;

/// The steps of a run: start date, step length and count.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Steps {
    pub start: Date,
    pub step_days: u32,
    pub count: usize,
}

/// Reads the replay `raw` (set at scenario field `field`, e.g.
/// `btc_price.replay`) and returns one value per step, each checked by
/// `valid` (which says what is wrong with a value, if anything).
pub(crate) fn load(
    field: &str,
    raw: &ReplaySpec,
    dir: &Path,
    steps: Steps,
    valid: impl Fn(f64) -> Option<&'static str>,
) -> Checked<Vec<f64>> {
    let file_field = format!("{field}.file");
    let path = dir.join(&raw.file);
    let shown = path.display().to_string();
    if !(raw.scale.is_finite() && raw.scale > 0.0) {
        return Err(invalid(
            format!("{field}.scale"),
            format!("must be finite and > 0, not {}", raw.scale),
        ));
    }
    let bytes = read_bounded(&path, MAX_REPLAY_BYTES)
        .map_err(|e| invalid(&file_field, format!("cannot read `{shown}`: {e}")))?;
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(bytes.as_slice());
    let headers = reader
        .headers()
        .map_err(|e| invalid(&file_field, format!("`{shown}`: {e}")))?
        .clone();
    let column = |name: &str, which: &str| {
        headers
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}').trim_matches('"') == name)
            .ok_or_else(|| {
                let known: Vec<&str> = headers.iter().collect();
                invalid(
                    format!("{field}.{which}"),
                    format!(
                        "`{shown}` has no column `{name}`: its columns are {}",
                        known.join(", ")
                    ),
                )
            })
    };
    let date_at = column(&raw.date_column, "date_column")?;
    let value_at = column(&raw.value_column, "value_column")?;
    let mut rows: Vec<(Date, f64)> = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = record.map_err(|e| invalid(&file_field, format!("`{shown}`: {e}")))?;
        let bad = |what: String| invalid(&file_field, format!("`{shown}`, line {line}: {what}"));
        let text = record.get(date_at).unwrap_or("");
        let date: Date = text
            .get(..10)
            .and_then(|d| d.parse().ok())
            .ok_or_else(|| bad(format!("`{text}` does not start with a YYYY-MM-DD date")))?;
        let cell = record.get(value_at).unwrap_or("");
        let value: f64 = cell
            .parse()
            .map_err(|_| bad(format!("`{cell}` is not a number")))?;
        let value = value * raw.scale;
        if let Some(why) = valid(value) {
            return Err(bad(format!("value {value} {why}")));
        }
        if let Some(&(previous, _)) = rows.last()
            && date <= previous
        {
            return Err(bad(format!(
                "{date} does not follow {previous}: rows must be in increasing date order"
            )));
        }
        rows.push((date, value));
    }
    per_step(&file_field, &shown, &rows, steps)
}

/// The value of each step: the last row dated on or before the step's date.
fn per_step(field: &str, shown: &str, rows: &[(Date, f64)], steps: Steps) -> Checked<Vec<f64>> {
    let date_of = |t: usize| {
        let days = i64::from(steps.step_days) * t as i64;
        let span = jiff::Span::new().try_days(days)?;
        steps.start.checked_add(span)
    };
    let last_step = date_of(steps.count.saturating_sub(1))
        .map_err(|e| invalid(field, format!("the horizon's last date: {e}")))?;
    match (rows.first(), rows.last()) {
        (Some(&(first, _)), Some(&(last, _))) if first <= steps.start && last >= last_step => {}
        (Some(&(first, _)), Some(&(last, _))) => {
            return Err(invalid(
                field,
                format!(
                    "`{shown}` covers {first} to {last}; the run needs {} to {last_step}",
                    steps.start
                ),
            ));
        }
        _ => return Err(invalid(field, format!("`{shown}` has no rows"))),
    }
    let mut values = Vec::with_capacity(steps.count);
    let mut row = 0;
    for t in 0..steps.count {
        let date = date_of(t).map_err(|e| invalid(field, e.to_string()))?;
        while row + 1 < rows.len() && rows[row + 1].0 <= date {
            row += 1;
        }
        values.push(rows[row].1);
    }
    Ok(values)
}
