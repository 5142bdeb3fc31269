//! A library of bitcoin mining machine models with their nameplate figures.
//!
//! The library is the file `data/machines.toml`, embedded in the crate at
//! compile time and parsed once, on first use. Each entry gives a model's
//! nameplate hashrate (TH/s) and efficiency at the wall (J/TH), the month it
//! was launched and, where known, the typical price of a new unit while it
//! was current, together with the source of every figure.
//!
//! The figures come, in order of preference, from the project's calibration
//! notes (`shared/calibration/README.md` and the March 2020 device list in
//! `shared/calibration/data/mining_devices_2020/`), from manufacturers'
//! nameplate figures as published in launch reports and miners' purchase
//! announcements and filings, and otherwise from secondary pages; a figure
//! that no stored source confirms is marked "assumption" in its `source`.
//! The table, with every source, is in `docs/calibration.md`, section
//! "Machine library".
//!
//! Nameplate figures are what manufacturers guarantee to about ±3 %
//! (hashrate) and ±5 % (efficiency) at 25 °C; machines run hotter, older or
//! tuned differ. Prices are those of their time (the date is in `source`),
//! not today's.

use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

/// One machine model of the library.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MachineSpec {
    /// Model name, e.g. "S21" or "S21+ Hydro"; unique in the library, also
    /// ignoring case.
    pub model: String,
    /// Nameplate hashrate of one machine, TH/s.
    pub th_per_unit: f64,
    /// Nameplate efficiency at the wall, J/TH.
    pub efficiency_j_per_th: f64,
    /// Month the model was launched (announced with its nameplate figures
    /// and offered for order), `YYYY-MM`. First deliveries usually follow a
    /// few months later.
    pub release: String,
    /// Typical price of a new unit while the model was current, USD per
    /// TH/s (the date is in `source`); `None` where no figure was found.
    #[serde(default)]
    pub price_usd_per_th: Option<f64>,
    /// Where each figure comes from, with dates; "assumption" marks a figure
    /// that no stored source confirms.
    pub source: String,
}

/// The file's layout: an array of `[[machine]]` tables.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LibraryFile {
    machine: Vec<MachineSpec>,
}

/// The library file, embedded at compile time.
const LIBRARY_TOML: &str = include_str!("../../data/machines.toml");

/// The parsed library, in file order (by release month).
static LIBRARY: LazyLock<Vec<MachineSpec>> = LazyLock::new(|| {
    toml::from_str::<LibraryFile>(LIBRARY_TOML)
        .expect("data/machines.toml, embedded in the crate, is a valid machine library")
        .machine
});

/// Every machine model of the library, ordered by release month.
pub fn library() -> &'static [MachineSpec] {
    &LIBRARY
}

/// The model named `model`: an exact match first, otherwise the one whose
/// name matches ignoring ASCII case ("s21 xp" finds "S21 XP"). `None` if no
/// model has that name.
pub fn lookup(model: &str) -> Option<&'static MachineSpec> {
    let library = library();
    library.iter().find(|spec| spec.model == model).or_else(|| {
        library
            .iter()
            .find(|spec| spec.model.eq_ignore_ascii_case(model))
    })
}

/// The most efficient model released by the month `at` (`YYYY-MM`,
/// inclusive): the lowest J/TH among the models whose `release` is `at` or
/// earlier; of equally efficient models, the earliest released (then the
/// first in the library). `None` if `at` is not a valid `YYYY-MM` month or
/// precedes every release.
pub fn frontier(at: &str) -> Option<&'static MachineSpec> {
    let at = month_index(at)?;
    let mut best: Option<(&'static MachineSpec, u32)> = None;
    for spec in library() {
        let Some(released) = month_index(&spec.release) else {
            continue;
        };
        if released > at {
            continue;
        }
        let better = match best {
            None => true,
            Some((current, current_release)) => {
                spec.efficiency_j_per_th < current.efficiency_j_per_th
                    || (spec.efficiency_j_per_th == current.efficiency_j_per_th
                        && released < current_release)
            }
        };
        if better {
            best = Some((spec, released));
        }
    }
    best.map(|(spec, _)| spec)
}

/// Months since year 0 of a `YYYY-MM` string (`year·12 + month − 1`);
/// `None` unless it is exactly four digits, a dash and a month 01-12.
fn month_index(text: &str) -> Option<u32> {
    let bytes = text.as_bytes();
    if bytes.len() != 7 || bytes[4] != b'-' {
        return None;
    }
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        bytes[range].iter().try_fold(0_u32, |acc, &b| {
            b.is_ascii_digit().then(|| acc * 10 + u32::from(b - b'0'))
        })
    };
    let year = digits(0..4)?;
    let month = digits(5..7)?;
    (1..=12).contains(&month).then(|| year * 12 + month - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn library_parses_and_is_not_empty() {
        let parsed: LibraryFile = toml::from_str(LIBRARY_TOML).expect("library parses");
        assert!(
            parsed.machine.len() >= 10,
            "{} models",
            parsed.machine.len()
        );
        assert_eq!(library().len(), parsed.machine.len());
    }

    #[test]
    fn names_are_unique_ignoring_case() {
        let lib = library();
        for (i, a) in lib.iter().enumerate() {
            assert!(!a.model.trim().is_empty(), "empty model name at {i}");
            assert_eq!(a.model.trim(), a.model, "untrimmed name {:?}", a.model);
            for b in &lib[i + 1..] {
                assert!(
                    !a.model.eq_ignore_ascii_case(&b.model),
                    "duplicate model {:?} / {:?}",
                    a.model,
                    b.model
                );
            }
        }
    }

    #[test]
    fn figures_are_finite_positive_and_plausible() {
        for spec in library() {
            let m = &spec.model;
            assert!(
                spec.th_per_unit.is_finite() && spec.th_per_unit > 0.0,
                "{m}: TH/s {}",
                spec.th_per_unit
            );
            assert!(
                (1.0..=1000.0).contains(&spec.th_per_unit),
                "{m}: TH/s {} outside 1-1000",
                spec.th_per_unit
            );
            assert!(
                spec.efficiency_j_per_th.is_finite() && spec.efficiency_j_per_th > 0.0,
                "{m}: J/TH {}",
                spec.efficiency_j_per_th
            );
            assert!(
                (5.0..=120.0).contains(&spec.efficiency_j_per_th),
                "{m}: J/TH {} outside 5-120",
                spec.efficiency_j_per_th
            );
            if let Some(price) = spec.price_usd_per_th {
                assert!(price.is_finite() && price > 0.0, "{m}: price {price}");
            }
            assert!(
                month_index(&spec.release).is_some(),
                "{m}: release {:?}",
                spec.release
            );
            assert!(!spec.source.trim().is_empty(), "{m}: no source");
        }
    }

    #[test]
    fn library_is_ordered_by_release() {
        let months: Vec<u32> = library()
            .iter()
            .map(|s| month_index(&s.release).expect("valid release"))
            .collect();
        assert!(months.windows(2).all(|w| w[0] <= w[1]), "{months:?}");
    }

    #[test]
    fn existing_defaults_agree_with_the_library() {
        // Figures used by scenarios/default.toml and docs/calibration.md.
        let cases = [
            ("S21", Some(200.0), 17.5),
            ("S21 XP", None, 13.5),
            ("S21+ Hydro", None, 15.0),
            ("S19 XP", Some(140.0), 21.5),
            ("S19 Pro", Some(110.0), 29.5),
            ("S19", None, 34.2),
            ("M30S", None, 38.0),
        ];
        for (model, th, eff) in cases {
            let spec = lookup(model).unwrap_or_else(|| panic!("{model} missing"));
            assert_eq!(spec.efficiency_j_per_th, eff, "{model}");
            if let Some(th) = th {
                assert_eq!(spec.th_per_unit, th, "{model}");
            }
        }
    }

    #[test]
    fn lookup_exact_and_case_insensitive() {
        assert_eq!(lookup("S21").map(|s| s.model.as_str()), Some("S21"));
        assert_eq!(lookup("s21 xp").map(|s| s.model.as_str()), Some("S21 XP"));
        assert_eq!(
            lookup("S21+ HYDRO").map(|s| s.model.as_str()),
            Some("S21+ Hydro")
        );
        assert!(lookup("S21 Plus Hydro").is_none());
        assert!(lookup("S21XP").is_none());
        assert!(lookup("").is_none());
        assert!(lookup("nonexistent").is_none());
    }

    #[test]
    fn month_index_accepts_only_yyyy_mm() {
        assert_eq!(month_index("2024-01"), Some(2024 * 12));
        assert_eq!(month_index("2024-12"), Some(2024 * 12 + 11));
        for bad in [
            "",
            "2024",
            "2024-1",
            "2024-00",
            "2024-13",
            "2024/01",
            "20a4-01",
            "2024-01-01",
            "+024-01",
        ] {
            assert_eq!(month_index(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn frontier_examples() {
        assert!(frontier("2016-06").is_none());
        assert_eq!(frontier("2016-07").map(|s| s.model.as_str()), Some("S9"));
        assert_eq!(
            frontier("2020-03").map(|s| s.model.as_str()),
            Some("S19 Pro")
        );
        assert_eq!(
            frontier("2022-01").map(|s| s.model.as_str()),
            Some("S19 XP")
        );
        assert_eq!(
            frontier("2026-01").map(|s| s.model.as_str()),
            Some("S21 XP")
        );
        assert!(frontier("not a month").is_none());
        assert!(frontier("2026-13").is_none());
        // The frontier at any month is at least as efficient as every model
        // released by then.
        let at = "2025-06";
        let best = frontier(at).expect("models released by 2025-06");
        let at = month_index(at).expect("valid month");
        for spec in library() {
            if month_index(&spec.release).expect("valid release") <= at {
                assert!(
                    best.efficiency_j_per_th <= spec.efficiency_j_per_th,
                    "{}",
                    spec.model
                );
            }
        }
    }

    #[test]
    fn frontier_is_monotone() {
        let first = library()
            .iter()
            .filter_map(|s| month_index(&s.release))
            .min()
            .expect("non-empty library");
        let last = 2030 * 12 + 11;
        let mut previous: Option<f64> = None;
        for month in first..=last {
            let at = format!("{:04}-{:02}", month / 12, month % 12 + 1);
            let spec = frontier(&at).unwrap_or_else(|| panic!("no frontier at {at}"));
            if let Some(prev) = previous {
                assert!(
                    spec.efficiency_j_per_th <= prev,
                    "frontier worsens at {at}: {} J/TH after {prev}",
                    spec.efficiency_j_per_th
                );
            }
            previous = Some(spec.efficiency_j_per_th);
        }
    }
}
