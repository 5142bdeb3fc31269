//! The model: one file per process of `docs/model.md`.
//!
//! Every function here works on one path and one step; the engine
//! (`crate::engine`) owns the loop over paths and steps.

pub mod allocation;
pub mod consensus;
pub mod contract;
pub mod cost_curve;
pub mod cost_measures;
pub mod datacenter;
pub mod error;
pub mod expansion;
pub mod farm;
pub mod farm_path;
pub mod fees;
pub mod finance;
pub mod grid;
pub mod hours;
pub mod investment;
pub mod machines;
pub mod market;
pub mod markov;
pub mod migration;
pub mod network;
pub mod network_power;
pub mod politics;
pub mod power;
pub mod price;
pub mod price_process;
pub mod queue;
pub mod regime;
pub mod region;
pub mod rest_of_world;
pub mod retirement;
pub mod special;
pub mod units;

pub use error::ModelError;
