//! What a run was given (`inputs.json`): the scenario file, the values it
//! sets over the files it extends, the `--set` overrides, the seed, the
//! paths, the version and the scenario's hash. The report's table of
//! inputs is made from it.

use serde::{Deserialize, Serialize};

/// File name of the inputs inside a result directory.
pub const INPUTS_FILE: &str = "inputs.json";

/// What a run was given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunInputs {
    /// The scenario file as given on the command line.
    pub scenario_file: String,
    /// The scenario's `name`.
    pub scenario_name: String,
    /// The scenario's `description`, if any.
    pub description: Option<String>,
    /// The files it extends, nearest first.
    pub extends: Vec<String>,
    /// Every value the scenario file and its overrides set, with the value
    /// of the files it extends where they set one (all the file's values
    /// when it extends nothing).
    pub changes: Vec<InputChange>,
    /// The `--set PATH=VALUE` overrides, in order.
    pub overrides: Vec<String>,
    /// The run's seed.
    pub seed: u64,
    /// Paths of the whole run.
    pub paths: u64,
    /// hashwatt's version.
    pub version: String,
    /// SHA-256 of the checked scenario's canonical JSON, hex.
    pub scenario_sha256: String,
}

/// One value a scenario sets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InputChange {
    /// Dotted field path, as `--set` takes it (`farms[0].pue`).
    pub field: String,
    /// The value in force, as TOML.
    pub value: String,
    /// The value the extended files give it, as TOML; `None` when they
    /// do not set it.
    pub base: Option<String>,
    /// Where the value in force comes from: a file, or `--set`.
    pub origin: String,
}
