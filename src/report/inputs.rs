//! What a run was given (`inputs.json`): the scenario file, the values it
//! sets over the files it extends, the `--set` overrides, the seed, the
//! paths, the version and the scenario's hash. The report's table of
//! inputs is made from it.

use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub use crate::scenario::SetValue as InputChange;
use crate::scenario::{Override, Scenario, ScenarioError, provenance};

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

impl RunInputs {
    /// The inputs of a run of `scenario`, read from `file` with
    /// `overrides`, with `seed` and `paths`.
    ///
    /// # Errors
    /// The errors of reading and composing the scenario's files.
    pub fn of(
        file: &Path,
        overrides: &[Override],
        scenario: &Scenario,
        seed: u64,
        paths: u64,
    ) -> Result<RunInputs, ScenarioError> {
        let p = provenance(file, overrides)?;
        Ok(RunInputs {
            scenario_file: file.display().to_string(),
            scenario_name: scenario.name().to_string(),
            description: scenario.description().map(str::to_string),
            extends: p.extends,
            changes: p.values,
            overrides: overrides.iter().map(|o| o.text().to_string()).collect(),
            seed,
            paths,
            version: env!("CARGO_PKG_VERSION").to_string(),
            scenario_sha256: scenario_sha256(scenario),
        })
    }

    /// `inputs.json`'s text.
    pub fn to_json(&self) -> String {
        // Plain strings and numbers: serialising cannot fail.
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }
}

/// SHA-256 of the checked scenario's canonical JSON, hex: equal for two
/// files that describe the same simulation.
pub fn scenario_sha256(scenario: &Scenario) -> String {
    Sha256::digest(scenario.canonical_json().as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
