//! A farm's migration (model.md §6): after too long denied power at home,
//! or when power there costs more than it will pay, the farm moves its
//! machines to another region: it pays a cost per MW, frees its power at
//! home, queues for power in the new region and hashes there, on an index
//! contract, once granted and after the move's downtime.

use serde::Serialize;

/// When and where a farm moves.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Migration {
    /// Region the farm moves to.
    pub to: String,
    /// Index of `to` in the scenario's regions (set by the scenario check).
    #[serde(skip)]
    pub to_index: usize,
    /// The farm moves after this many days in a row denied power at home
    /// (a ban on mining, or an expansion request left waiting).
    pub after_denied_days: f64,
    /// The farm moves when its power price at home is above this, USD/MWh.
    pub above_price_usd_per_mwh: f64,
    /// Cost of the move per MW of the farm (dismantling, transport,
    /// building the new site), USD.
    pub cost_usd_per_mw: f64,
    /// Days without hashing, from the move to the first day it can hash
    /// in the new region (if its power is granted by then).
    pub downtime_days: f64,
    /// Adder over the new region's market price and tariffs, USD/MWh.
    pub adder_usd_per_mwh: f64,
}

impl Migration {
    /// Whether the farm moves, `denied_days` in a row denied power at
    /// home with power there at `price_usd_per_mwh`.
    ///
    /// # Example
    /// ```
    /// use hashwatt::model::migration::Migration;
    /// let m = Migration {
    ///     to: "hydro".into(), to_index: 2, after_denied_days: 180.0,
    ///     above_price_usd_per_mwh: 80.0, cost_usd_per_mw: 250_000.0,
    ///     downtime_days: 90.0, adder_usd_per_mwh: 2.0,
    /// };
    /// assert!(!m.triggered(179.0, 79.0));
    /// assert!(m.triggered(180.0, 79.0));
    /// assert!(m.triggered(0.0, 80.5));
    /// ```
    pub fn triggered(&self, denied_days: f64, price_usd_per_mwh: f64) -> bool {
        denied_days >= self.after_denied_days || price_usd_per_mwh > self.above_price_usd_per_mwh
    }
}
