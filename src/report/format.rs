//! Numbers, shares and dates as a reader wants them: `12.3M`, `54.5 %`,
//! `2029-03`. Shared by the terminal summary, the HTML report and the
//! charts' axis labels, so that the same value reads the same everywhere.

use jiff::civil::Date;

/// What an undefined statistic (NaN: no path had a value) reads as.
pub const UNDEFINED: &str = "undefined";

/// `x` with 3 significant digits and a k/M/B/T suffix: `12.3M`, `-450k`,
/// `0.0123`, `7`. Trailing zeros are dropped (`20k`, not `20.0k`).
/// NaN reads [`UNDEFINED`], infinities `inf`/`-inf`.
pub fn compact(x: f64) -> String {
    compact_digits(x, 3)
}

/// [`compact`] with `digits` significant digits (at least 1): tick labels
/// of a narrow range need more than 3 to tell 20.05 from 20.1.
pub fn compact_digits(x: f64, digits: u32) -> String {
    let digits = digits.clamp(1, 15) as i32;
    if x.is_nan() {
        return UNDEFINED.to_string();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf" } else { "-inf" }.to_string();
    }
    const SUFFIXES: [(f64, &str); 4] = [(1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")];
    // Rounding to 3 digits first decides the suffix: 999 950 is "1M", not
    // "1000k".
    let rounded = round_significant(x, digits);
    for (scale, suffix) in SUFFIXES {
        if rounded.abs() >= scale {
            return format!("{}{suffix}", significant(rounded / scale, digits));
        }
    }
    significant(rounded, digits)
}

/// `x` rounded to `digits` significant digits.
fn round_significant(x: f64, digits: i32) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let magnitude = x.abs().log10().floor() as i32;
    let scale = 10f64.powi(digits - 1 - magnitude);
    (x * scale).round() / scale
}

/// `x` printed with at most `digits` significant digits, no trailing zeros.
fn significant(x: f64, digits: i32) -> String {
    if x == 0.0 {
        return "0".to_string();
    }
    let magnitude = x.abs().log10().floor() as i32;
    let decimals = (digits - 1 - magnitude).clamp(0, 12) as usize;
    let text = format!("{x:.decimals$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    };
    if text == "-0" { "0".to_string() } else { text }
}

/// A share (0.545) as a percentage with one decimal: `54.5 %`; below
/// 0.1 % two significant digits (`0.05 %`). NaN reads [`UNDEFINED`].
pub fn percent(share: f64) -> String {
    if share.is_nan() {
        return UNDEFINED.to_string();
    }
    let pct = share * 100.0;
    if pct != 0.0 && pct.abs() < 0.1 {
        format!("{} %", significant(pct, 2))
    } else {
        format!("{pct:.1} %")
    }
}

/// An integer with thousands separators: `12,345`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A duration in days as a reader says it: `45 days`, `2.3 years`.
pub fn duration_days(days: f64) -> String {
    if days.is_nan() {
        return UNDEFINED.to_string();
    }
    if days.abs() < 90.0 {
        format!("{days:.0} days")
    } else {
        format!("{:.1} years", days / 365.25)
    }
}

/// The calendar of a run: day offsets from its first recorded step to dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Calendar {
    start: Date,
}

impl Calendar {
    /// The calendar of a run whose step at day `t0` falls on `date`
    /// (ISO 8601); `None` when `date` does not parse.
    pub fn new(date: &str, t0: u32) -> Option<Calendar> {
        let date: Date = date.parse().ok()?;
        let start = date
            .checked_sub(jiff::Span::new().days(i64::from(t0)))
            .ok()?;
        Some(Calendar { start })
    }

    /// The calendar of `summary`, from its first recorded date.
    pub fn of(summary: &crate::stats::Summary) -> Option<Calendar> {
        Calendar::new(summary.dates.first()?, *summary.t_days.first()?)
    }

    /// The date `days` (rounded down) after the start; `None` when not
    /// finite or out of the calendar's range.
    pub fn date(&self, days: f64) -> Option<Date> {
        if !days.is_finite() || days.abs() > 1e7 {
            return None;
        }
        self.start
            .checked_add(jiff::Span::new().days(days.floor() as i64))
            .ok()
    }

    /// The month `days` after the start, `2029-03`; [`UNDEFINED`] when
    /// there is none.
    pub fn month(&self, days: f64) -> String {
        self.date(days).map_or_else(
            || UNDEFINED.to_string(),
            |d| format!("{:04}-{:02}", d.year(), d.month()),
        )
    }

    /// The decimal year of the day `days` after the start (2027.5 is about
    /// 2027-07-02): the x coordinate of dated charts, so that their ticks
    /// fall on round years and half years.
    pub fn decimal_year(&self, days: f64) -> f64 {
        let year = f64::from(self.start.year());
        let into_year = f64::from(self.start.day_of_year() - 1);
        year + (into_year + days) / DAYS_PER_GREGORIAN_YEAR
    }
}

/// Mean Gregorian year: decimal years are for drawing, not for counting days.
const DAYS_PER_GREGORIAN_YEAR: f64 = 365.2425;

/// The label of a decimal year on a dated axis: `2027` at a year's start,
/// `2027-07` otherwise (to the nearest month).
pub fn year_label(x: f64) -> String {
    if !x.is_finite() {
        return String::new();
    }
    let months = (x * 12.0).round() as i64;
    let (year, month) = (months.div_euclid(12), months.rem_euclid(12) + 1);
    if month == 1 {
        format!("{year}")
    } else {
        format!("{year}-{month:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_numbers() {
        let cases = [
            (0.0, "0"),
            (7.0, "7"),
            (12.34, "12.3"),
            (0.012345, "0.0123"),
            (20_000.0, "20k"),
            (-450_400.0, "-450k"),
            (12_345_678.0, "12.3M"),
            (999_950.0, "1M"),
            (3.2e9, "3.2B"),
            (f64::NAN, "undefined"),
        ];
        for (x, want) in cases {
            assert_eq!(compact(x), want, "{x}");
        }
    }

    #[test]
    fn percentages_and_thousands() {
        assert_eq!(percent(0.545), "54.5 %");
        assert_eq!(percent(0.0005), "0.05 %");
        assert_eq!(percent(0.0), "0.0 %");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(999), "999");
        assert_eq!(compact_digits(20.05, 4), "20.05");
        assert_eq!(compact_digits(1_234_567.0, 5), "1.2346M");
        assert_eq!(duration_days(840.0), "2.3 years");
        assert_eq!(duration_days(30.0), "30 days");
    }

    #[test]
    fn calendar_dates() {
        let cal = Calendar::new("2026-01-01", 0).unwrap();
        assert_eq!(cal.month(31.0), "2026-02");
        assert_eq!(cal.month(f64::NAN), UNDEFINED);
        assert_eq!(year_label(cal.decimal_year(365.0)), "2027");
        assert_eq!(year_label(2027.5), "2027-07");
        let later = Calendar::new("2026-01-11", 10).unwrap();
        assert_eq!(later, cal);
    }
}
