//! # hashwatt
//!
//! Monte Carlo simulation of bitcoin miners' electricity costs when AI data
//! centers compete with them for scarce grid capacity.
//!
//! A [`Scenario`] (read from TOML and validated once) describes the bitcoin
//! network, the BTC price and its macro regimes, the world power price, the
//! rest-of-world mining fleet, grid regions (supply stacks, queues,
//! political regimes, their own miners) with the AI data-center pipelines
//! that queue there, and the modelled farms. [`simulate`] runs Monte Carlo
//! paths in parallel and returns a mergeable [`Summary`]: per-step
//! distributions of every recorded series and per-farm results over the
//! run. [`engine::trace`] gives every series of one path, bit for bit the
//! values that path adds to the summary, to compare two scenarios path by
//! path under common random numbers.
//!
//! ```
//! use hashwatt::{simulate, RunConfig, Scenario};
//!
//! let scenario = Scenario::from_toml_str(
//!     r#"
//!     name = "tiny"
//!     start_date = "2026-11-24"
//!     step_days = 1
//!     horizon_days = 30
//!
//!     [network]
//!     height = 1_000_000
//!     difficulty_ehs = 1000.0
//!
//!     [fees]
//!     mean_btc_per_block = 0.03
//!     volatility = 0.5
//!
//!     [btc_price]
//!     initial_usd = 90_000.0
//!
//!     [[macro.regimes]]
//!     name = "calm"
//!     btc_drift = 0.10
//!     btc_volatility = 0.50
//!
//!     [power_factor]
//!     mean_reversion = 3.0
//!     volatility = 0.40
//!
//!     [rest_of_world]
//!     median_power_price_usd_per_mwh = 45.0
//!     price_dispersion = 0.35
//!     classes = [ { name = "frontier", installed_ehs = 1000.0, efficiency_j_per_th = 18.0 } ]
//!
//!     [[farms]]
//!     name = "operator"
//!     contract = { kind = "fixed", price_usd_per_mwh = 55.0 }
//!     fleet = [ { model = "S21", units = 250, th_per_unit = 200.0, efficiency_j_per_th = 17.5 } ]
//!     "#,
//! )?;
//! let summary = simulate(&scenario, &RunConfig::new(7, 200))?;
//! let price = summary.series("btc_price_usd").expect("recorded");
//! assert_eq!(price.len(), 30);
//! assert_eq!(price[0].mean, 90_000.0);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Modules, in the order data flows
//!
//! 1. [`scenario`]: a scenario file or a [`scenario::spec::ScenarioSpec`]
//!    built in code, checked once into a [`Scenario`] (typed errors with
//!    the field path and, for files, the position).
//! 2. [`model`]: the equations, one process or measure per file (network
//!    and consensus, BTC price as a [`model::price_process::PriceProcess`],
//!    fees, power factor, rest of world and its investment, regions'
//!    supply stacks, queues and politics, farms and their finance). Its
//!    constructors check their own parameters ([`model::ModelError`]). It
//!    imports no other layer.
//! 3. [`engine`]: the Monte Carlo loop that schedules the model on chunks
//!    of paths in parallel ([`simulate`], [`engine::Simulation`] to plug in
//!    a price process or an [`engine::Observer`], [`engine::trace`] for one
//!    path, [`engine::compare`] for paired scenarios), with each random
//!    process on its own stream.
//! 4. [`stats`]: exactly mergeable distributions and the [`Summary`] of a
//!    run, read through typed keys ([`stats::SeriesKey`],
//!    [`stats::FarmMeasure`]).
//! 5. [`sweep`]: grids of scenarios varied field by field.
//! 6. [`report`]: `summary.json`, CSV, charts and the HTML reports.
//!
//! The model is documented in `docs/model.md`; the scenario format in
//! `docs/scenario.md`; runnable programs are in `examples/`.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod engine;
pub mod model;
pub mod report;
pub mod scenario;
pub mod stats;
pub mod sweep;

pub use engine::{EngineError, RunConfig, Shard, simulate};
pub use scenario::{Scenario, ScenarioError};
pub use stats::Summary;

/// The README's examples compile and run as written.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

/// The Rust example of `docs/scenario.md` compiles and runs as written.
#[cfg(doctest)]
#[doc = include_str!("../docs/scenario.md")]
struct ScenarioDocDoctests;
