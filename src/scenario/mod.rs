//! Scenario files: the TOML format (`docs/scenario.md`), its validation and
//! the checked [`Scenario`] the engine runs.
//!
//! A file is read once, deserialised with unknown keys rejected, then
//! checked field by field. Errors name the file, the field and, where it
//! can be found, the line and column ([`ScenarioError`]).

mod checked;
mod error;
mod locate;
mod raw;

use std::path::Path;

pub use checked::{DAYS_PER_YEAR, Scenario};
pub use error::{Position, ScenarioError};

use crate::model::farm::Farm;
use crate::model::fees::FeeModel;
use crate::model::network::NetworkState;
use crate::model::power::PowerFactor;
use crate::model::regime::RegimeChain;
use crate::model::rest_of_world::RestOfWorld;

impl Scenario {
    /// Reads and checks the scenario file at `path`.
    ///
    /// # Errors
    /// [`ScenarioError::Io`] when the file cannot be read, and every error of
    /// [`Scenario::from_toml_str`], with the path as origin.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Scenario, ScenarioError> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|source| ScenarioError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let origin = path.display().to_string();
        let text = match String::from_utf8(bytes) {
            Ok(t) if !t.contains('\0') => t,
            _ => return Err(ScenarioError::NotText { origin }),
        };
        Self::parse(&text, &origin)
    }

    /// Reads and checks a scenario from TOML text.
    ///
    /// # Errors
    /// [`ScenarioError::Syntax`] for TOML syntax errors, wrong types, unknown
    /// or missing keys (with line and column); [`ScenarioError::Invalid`] for
    /// values out of range or inconsistent (naming the field);
    /// [`ScenarioError::NotText`] for text with NUL bytes.
    ///
    /// # Example
    /// ```
    /// use hashwatt::Scenario;
    /// let err = Scenario::from_toml_str("name = 1").unwrap_err();
    /// assert!(err.to_string().starts_with("<string>:1:8:"), "{err}");
    /// ```
    pub fn from_toml_str(text: &str) -> Result<Scenario, ScenarioError> {
        Self::parse(text, "<string>")
    }

    fn parse(text: &str, origin: &str) -> Result<Scenario, ScenarioError> {
        if text.contains('\0') {
            return Err(ScenarioError::NotText {
                origin: origin.to_string(),
            });
        }
        let raw: raw::RawScenario = toml::from_str(text).map_err(|e| match e.span() {
            Some(span) => {
                let message = e.message().trim();
                ScenarioError::Syntax {
                    origin: origin.to_string(),
                    position: Position::of_offset(text, span.start),
                    message: match locate::field_at(text, span.start) {
                        Some(field) => format!("{field}: {message}"),
                        None => message.to_string(),
                    },
                }
            }
            None => ScenarioError::Format {
                origin: origin.to_string(),
                message: e.message().trim().to_string(),
            },
        })?;
        Scenario::check(raw).map_err(|e| ScenarioError::Invalid {
            origin: origin.to_string(),
            position: locate::field_position(text, &e.field),
            field: e.field,
            message: e.message,
        })
    }

    /// The checked scenario as canonical JSON: two scenarios that simulate
    /// the same thing give the same text.
    pub fn canonical_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Scenario name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Free-text description, if any.
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }

    /// Date of step 0.
    pub fn start_date(&self) -> jiff::civil::Date {
        self.start_date
    }

    /// Step length `Δ`, days.
    pub fn step_days(&self) -> u32 {
        self.step_days
    }

    /// Number of recorded steps (horizon / step, rounded down).
    pub fn steps(&self) -> usize {
        self.steps
    }

    /// Network state at step 0.
    pub fn network(&self) -> &NetworkState {
        &self.network
    }

    /// Fee model.
    pub fn fees(&self) -> &FeeModel {
        &self.fees
    }

    /// BTC price at step 0, USD.
    pub fn initial_btc_price(&self) -> f64 {
        self.initial_btc_price
    }

    /// Macro regimes and their transitions.
    pub fn regimes(&self) -> &RegimeChain {
        &self.regimes
    }

    /// World power-price factor.
    pub fn power_factor(&self) -> &PowerFactor {
        &self.power_factor
    }

    /// Rest-of-world fleet.
    pub fn rest_of_world(&self) -> &RestOfWorld {
        &self.rest_of_world
    }

    /// Modelled farms.
    pub fn farms(&self) -> &[Farm] {
        &self.farms
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn core_types_are_send_and_sync() {
        assert_send_sync::<Scenario>();
        assert_send_sync::<ScenarioError>();
    }
}
