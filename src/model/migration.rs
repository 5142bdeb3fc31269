//! A farm's migration (model.md §6): after too long denied power at home,
//! or when power there costs more than it will pay, the farm moves its
//! machines to another region: it pays a cost per MW, frees its power at
//! home, queues for power in the new region and hashes there, on an index
//! contract, once granted and after the move's downtime.

use serde::Serialize;

use super::error::{ParamError, Rule};
use super::farm::FarmError;

/// When and where a farm moves: built by [`Migration::new`] or by the
/// scenario check (`[farms.migration]`), read through its accessors.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Migration {
    /// Region the farm moves to.
    pub(crate) to: String,
    /// Index of `to` in the scenario's regions (set by the scenario check).
    #[serde(skip)]
    pub(crate) to_index: usize,
    /// The farm moves after this many days in a row denied power at home
    /// (a ban on mining, or an expansion request left waiting).
    pub(crate) after_denied_days: f64,
    /// The farm moves when its power price at home is above this, USD/MWh.
    pub(crate) above_price_usd_per_mwh: f64,
    /// Cost of the move per MW of the farm (dismantling, transport,
    /// building the new site), USD.
    pub(crate) cost_usd_per_mw: f64,
    /// Days without hashing, from the move to the first day it can hash
    /// in the new region (if its power is granted by then).
    pub(crate) downtime_days: f64,
    /// Adder over the new region's market price and tariffs, USD/MWh.
    pub(crate) adder_usd_per_mwh: f64,
}

impl Migration {
    /// A move to region `to` after `after_denied_days` (≥ 0) days in a row
    /// denied power at home, or when power there costs more than
    /// `above_price_usd_per_mwh` (finite, USD/MWh) — `None`: never on that
    /// ground — at a cost of `cost_usd_per_mw` (≥ 0, USD per MW of the
    /// farm), `downtime_days` (≥ 0) without hashing, paying
    /// `adder_usd_per_mwh` (finite) over the new region's market price and
    /// tariffs. The destination's index among a scenario's regions is set
    /// when a scenario places it (0 until then).
    ///
    /// # Errors
    /// [`FarmError::Migration`] naming the first parameter out of range.
    pub fn new(
        to: impl Into<String>,
        after_denied_days: Option<f64>,
        above_price_usd_per_mwh: Option<f64>,
        cost_usd_per_mw: f64,
        downtime_days: f64,
        adder_usd_per_mwh: f64,
    ) -> Result<Migration, FarmError> {
        let check = |field, value, rule| {
            ParamError::check(field, value, rule).map_err(FarmError::Migration)
        };
        Ok(Migration {
            to: to.into(),
            to_index: 0,
            after_denied_days: match after_denied_days {
                Some(days) => check("after_denied_days", days, Rule::NonNegative)?,
                None => f64::INFINITY,
            },
            above_price_usd_per_mwh: match above_price_usd_per_mwh {
                Some(price) => check("above_price_usd_per_mwh", price, Rule::Finite)?,
                None => f64::INFINITY,
            },
            cost_usd_per_mw: check("cost_usd_per_mw", cost_usd_per_mw, Rule::NonNegative)?,
            downtime_days: check("downtime_days", downtime_days, Rule::NonNegative)?,
            adder_usd_per_mwh: check("adder_usd_per_mwh", adder_usd_per_mwh, Rule::Finite)?,
        })
    }

    /// Region the farm moves to.
    pub fn to(&self) -> &str {
        &self.to
    }

    /// Index of [`Migration::to`] in the scenario's regions (set by the
    /// scenario check; 0 before).
    pub fn to_index(&self) -> usize {
        self.to_index
    }

    /// The farm moves after this many days in a row denied power at home
    /// (`f64::INFINITY`: never on that ground).
    pub fn after_denied_days(&self) -> f64 {
        self.after_denied_days
    }

    /// The farm moves when its power price at home is above this, USD/MWh
    /// (`f64::INFINITY`: never on that ground).
    pub fn above_price_usd_per_mwh(&self) -> f64 {
        self.above_price_usd_per_mwh
    }

    /// Cost of the move per MW of the farm (dismantling, transport,
    /// building the new site), USD.
    pub fn cost_usd_per_mw(&self) -> f64 {
        self.cost_usd_per_mw
    }

    /// Days without hashing, from the move to the first day the farm can
    /// hash in the new region (if its power is granted by then).
    pub fn downtime_days(&self) -> f64 {
        self.downtime_days
    }

    /// Adder over the new region's market price and tariffs, USD/MWh.
    pub fn adder_usd_per_mwh(&self) -> f64 {
        self.adder_usd_per_mwh
    }

    /// Whether the farm moves, `denied_days` in a row denied power at
    /// home with power there at `price_usd_per_mwh`.
    ///
    /// # Example
    /// ```
    /// use hashwatt::model::migration::Migration;
    /// let m = Migration::new("hydro", Some(180.0), Some(80.0), 250_000.0, 90.0, 2.0)?;
    /// assert!(!m.triggered(179.0, 79.0));
    /// assert!(m.triggered(180.0, 79.0));
    /// assert!(m.triggered(0.0, 80.5));
    /// // Without a price trigger, only a denial moves it.
    /// let m = Migration::new("hydro", Some(180.0), None, 250_000.0, 90.0, 2.0)?;
    /// assert!(!m.triggered(0.0, 1e9));
    /// # Ok::<(), hashwatt::model::farm::FarmError>(())
    /// ```
    pub fn triggered(&self, denied_days: f64, price_usd_per_mwh: f64) -> bool {
        denied_days >= self.after_denied_days || price_usd_per_mwh > self.above_price_usd_per_mwh
    }
}

/// Where a migrating farm is on a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Location {
    /// In its own region.
    Home,
    /// Left home, not hashing yet in the new region.
    Moving,
    /// Hashing in the new region.
    Away,
}

/// A farm's migration on one path.
#[derive(Debug, Clone, Copy)]
pub(crate) struct MigrationPath {
    pub(crate) location: Location,
    /// Day the farm left home (NaN while home).
    pub(crate) moved_day: f64,
    /// MW still to be granted in the new region, and granted there.
    pub(crate) asked_mw: f64,
    pub(crate) granted_mw: f64,
    /// First day of the current run of days denied power at home (NaN
    /// when not denied).
    pub(crate) denied_since: f64,
    /// Cost of the move, to settle next step.
    pub(crate) cost_usd: f64,
}

impl Default for MigrationPath {
    fn default() -> Self {
        MigrationPath {
            location: Location::Home,
            moved_day: f64::NAN,
            asked_mw: 0.0,
            granted_mw: 0.0,
            denied_since: f64::NAN,
            cost_usd: 0.0,
        }
    }
}

impl MigrationPath {
    /// Leaves home on `day` with `mw` to place in the new region, at `cost_usd`.
    pub(crate) fn leave(&mut self, day: f64, mw: f64, cost_usd: f64) {
        self.location = Location::Moving;
        self.moved_day = day;
        self.asked_mw = mw;
        self.cost_usd = cost_usd;
    }

    /// The days in a row the farm has been denied power at home by
    /// `next_day`, given whether it is denied this step (a ban, or its
    /// expansion request waiting since `waiting_since`, NaN when none
    /// waits) from `day`.
    pub(crate) fn denied_days(
        &mut self,
        denied: bool,
        waiting_since: f64,
        (day, next_day): (f64, f64),
    ) -> f64 {
        let since = &mut self.denied_since;
        if !denied {
            *since = f64::NAN;
        } else if since.is_nan() {
            *since = if waiting_since.is_nan() {
                day
            } else {
                waiting_since.min(day)
            };
        }
        if since.is_nan() {
            0.0
        } else {
            next_day - *since
        }
    }

    /// `mw` granted in the new region.
    pub(crate) fn grant(&mut self, mw: f64) {
        self.asked_mw = (self.asked_mw - mw).max(0.0);
        self.granted_mw += mw;
    }

    /// Starts hashing in the new region on `day` once all its power is
    /// granted and the downtime is over.
    pub(crate) fn arrive(&mut self, day: f64, downtime_days: f64) {
        if self.location == Location::Moving
            && self.asked_mw == 0.0
            && day >= self.moved_day + downtime_days
        {
            self.location = Location::Away;
        }
    }
}
