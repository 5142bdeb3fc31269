//! Scenario files: the TOML format (`docs/scenario.md`), its validation and
//! the checked [`Scenario`] the engine runs.
//!
//! A file is read once, deserialised with unknown keys rejected, then
//! checked field by field. Errors name the file, the field and, where it
//! can be found, the line and column ([`ScenarioError`]).

mod check_farm;
mod check_grid;
mod check_investment;
mod checked;
mod compose;
mod error;
mod field;
mod files;
mod locate;
mod magnitude;
mod provenance;
mod replay;
mod rules;
pub mod spec;

use std::path::Path;

pub use checked::{MAX_HASHRATE_LEVELS, Scenario};
pub use compose::{MAX_DEPTH, Override};
pub use error::{Position, ScenarioError};
pub(crate) use field::is_field_path;
pub use field::{Document, FieldValue};
pub use files::{MAX_REPLAY_BYTES, MAX_SCENARIO_BYTES};
pub use magnitude::MAX_MAGNITUDE;
pub use provenance::{Provenance, SetValue, provenance};
pub use spec::ScenarioSpec;

use compose::Source;

/// The origin errors name for a scenario built in code.
const SPEC_ORIGIN: &str = "<spec>";

use crate::model::contract::ScenarioContract;
use crate::model::farm::Farm;
use crate::model::fees::FeeModel;
use crate::model::investment::{Investment, InvestmentPlan};
use crate::model::market::Region;
use crate::model::network::NetworkState;
use crate::model::power::PowerFactor;
use crate::model::price_process::{PriceReplay, RegimeSwitchingPrice, ScenarioPrice};
use crate::model::regime::RegimeChain;
use crate::model::rest_of_world::RestOfWorld;

impl Scenario {
    /// Reads and checks the scenario file at `path`, with the files it
    /// `extends`.
    ///
    /// # Errors
    /// [`ScenarioError::Io`] when a file cannot be read,
    /// [`ScenarioError::Compose`] when `extends` cannot be followed, and
    /// every error of [`Scenario::from_toml_str`], with the path as origin.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Scenario, ScenarioError> {
        Self::from_path_with(path, &[])
    }

    /// Reads the scenario file at `path` (with the files it `extends`),
    /// applies `overrides` in order, and checks the result.
    ///
    /// # Errors
    /// As [`Scenario::from_path`]; an override that does not lead to a field
    /// gives [`ScenarioError::Compose`], and an error in a value an override
    /// set names the override as its origin.
    ///
    /// # Example
    /// ```
    /// use hashwatt::Scenario;
    /// use hashwatt::scenario::Override;
    /// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/reference-core.toml");
    /// let cheap: Override = "farms[0].contract.price_usd_per_mwh=40".parse()?;
    /// let s = Scenario::from_path_with(path, &[cheap])?;
    /// assert_eq!(s.farms()[0].contract().fixed_price_usd_per_mwh(), Some(40.0));
    /// # Ok::<(), hashwatt::ScenarioError>(())
    /// ```
    pub fn from_path_with(
        path: impl AsRef<Path>,
        overrides: &[Override],
    ) -> Result<Scenario, ScenarioError> {
        let path = path.as_ref();
        let source = compose::read_source(path)?;
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        Self::build(source, dir, overrides)
    }

    /// Reads and checks a scenario from TOML text (an `extends` in it is
    /// taken relative to the current directory).
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
        let origin = "<string>".to_string();
        if text.contains('\0') {
            return Err(ScenarioError::NotText { origin });
        }
        let source = Source {
            origin,
            text: text.to_string(),
        };
        Self::build(source, Path::new("."), &[])
    }

    /// Checks a scenario built in code, with the check a file goes through:
    /// the same rules, and errors naming the same fields (`farms[0].pue`),
    /// with `<spec>` as origin and no position. A replay's `file` is taken
    /// relative to the current directory ([`Scenario::from_spec_in`] says
    /// which directory).
    ///
    /// # Errors
    /// [`ScenarioError::Invalid`] for a value out of range or inconsistent
    /// (or beyond [`MAX_MAGNITUDE`]); [`ScenarioError::Format`] for a spec
    /// that cannot be written as TOML (a height above `i64::MAX`).
    ///
    /// # Example
    /// See [`ScenarioSpec`].
    pub fn from_spec(spec: ScenarioSpec) -> Result<Scenario, ScenarioError> {
        Self::from_spec_in(spec, ".")
    }

    /// As [`Scenario::from_spec`], with replay files taken relative to
    /// `dir` (as a file's are relative to its directory).
    ///
    /// # Errors
    /// As [`Scenario::from_spec`].
    pub fn from_spec_in(
        spec: ScenarioSpec,
        dir: impl AsRef<Path>,
    ) -> Result<Scenario, ScenarioError> {
        let origin = || SPEC_ORIGIN.to_string();
        let invalid = |field: String, message: String, source| ScenarioError::Invalid {
            origin: origin(),
            position: None,
            field,
            message,
            source,
        };
        // The bound every file's numbers are held to, on the same table.
        let table = toml::Table::try_from(&spec).map_err(|e| ScenarioError::Format {
            origin: origin(),
            message: e.to_string(),
        })?;
        magnitude::check_magnitudes(&table)
            .map_err(|(field, message)| invalid(field, message, None))?;
        Scenario::check(spec, dir.as_ref())
            .map_err(|e| invalid(e.field, e.message, e.source.map(Box::new)))
    }

    /// The specification this scenario was checked from: the file (after
    /// `extends` and `--set`) or the spec built in code, as written, with
    /// defaults left out.
    pub fn spec(&self) -> &ScenarioSpec {
        &self.spec
    }

    /// The scenario as one TOML file (no `extends`): read back from the
    /// same directory (for replay files), it gives the same scenario, with
    /// the same [`canonical_json`](Scenario::canonical_json).
    pub fn to_toml(&self) -> String {
        toml::to_string(&self.spec)
            .expect("a checked spec writes as TOML: its numbers are finite and in range")
    }

    fn build(
        source: Source,
        dir: &Path,
        overrides: &[Override],
    ) -> Result<Scenario, ScenarioError> {
        let composed = compose::compose(source, dir)?;
        let sources = &composed.sources;
        let mut table = composed.table;
        // Entries picked by name are picked by position once found, so
        // that errors name the fields as the file does.
        let mut applied = Vec::with_capacity(overrides.len());
        for o in overrides {
            let o = o.resolved(&table)?;
            compose::apply(&mut table, &o)?;
            applied.push(o);
        }
        let overrides = &applied[..];
        magnitude::check_magnitudes(&table).map_err(|(field, message)| {
            let (origin, position) = blame(sources, overrides, &field);
            ScenarioError::Invalid {
                origin,
                position,
                field,
                message,
                source: None,
            }
        })?;
        let raw: spec::ScenarioSpec = if sources.len() == 1 && overrides.is_empty() {
            // A plain file: deserialise from the text, so that every error
            // keeps its line and column.
            toml::from_str(&sources[0].text).map_err(|e| compose::syntax_error(&sources[0], &e))?
        } else {
            serde_path_to_error::deserialize(toml::Value::Table(table)).map_err(|e| {
                let field = e.path().to_string();
                let inner = e.inner().message().trim();
                let (origin, position) = blame(sources, overrides, &field);
                // An override's origin already names the field.
                let message = if origin == format!("--set {field}") {
                    inner.to_string()
                } else {
                    format!("{field}: {inner}")
                };
                match position {
                    Some(position) => ScenarioError::Syntax {
                        origin,
                        position,
                        message,
                    },
                    None => ScenarioError::Format { origin, message },
                }
            })?
        };
        Scenario::check(raw, dir).map_err(|e| {
            let (origin, position) = blame(sources, overrides, &e.field);
            ScenarioError::Invalid {
                origin,
                position,
                field: e.field,
                message: e.message,
                source: e.source.map(Box::new),
            }
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

    /// The replayed BTC price at each step (USD), when the scenario reads
    /// it from a CSV instead of simulating it.
    pub fn btc_price_replay(&self) -> Option<&[f64]> {
        self.btc_price_replay.as_deref()
    }

    /// The replayed fees at each step (BTC per block), when read from a CSV.
    pub fn fee_replay(&self) -> Option<&[f64]> {
        self.fee_replay.as_deref()
    }

    /// The farms' contracts as the scenario gives them (kind and renewal),
    /// one per farm in order: what a run uses unless another is plugged in.
    pub fn contracts(&self) -> Vec<ScenarioContract> {
        self.farms.iter().map(Farm::scenario_contract).collect()
    }

    /// The scenario's BTC price process: its replay when it has one, the
    /// regimes' jump-diffusion from [`initial_btc_price`](Self::initial_btc_price)
    /// otherwise.
    pub fn price_process(&self) -> ScenarioPrice<'_> {
        match self.btc_price_replay() {
            Some(prices) => ScenarioPrice::Replay(PriceReplay { prices }),
            None => ScenarioPrice::JumpDiffusion(RegimeSwitchingPrice {
                regimes: &self.regimes,
                initial_usd: self.initial_btc_price,
            }),
        }
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

    /// Investment in new rest-of-world machines, if the scenario models it.
    pub fn investment(&self) -> Option<&Investment> {
        self.investment.as_ref()
    }

    /// The investment's per-step tables, if the scenario models it.
    pub fn investment_plan(&self) -> Option<&InvestmentPlan> {
        self.investment_plan.as_ref()
    }

    /// Steps at which runs take the industry cost curve, increasing.
    pub fn cost_curve_steps(&self) -> &[usize] {
        &self.cost_curve_steps
    }

    /// Whether runs record `network.power_mw` and its CBECI-style estimate
    /// (`[outputs] network_power`, on unless turned off).
    pub fn records_network_power(&self) -> bool {
        self.record_network_power
    }

    /// Series are recorded at every `k`-th step, `k` this
    /// (`[outputs] record_every_steps`, 1 unless set).
    pub fn record_every(&self) -> usize {
        self.record_every
    }

    /// The steps whose statistics runs record: `0, k, 2k, …` below
    /// [`Scenario::steps`], `k` = [`Scenario::record_every`].
    pub fn recorded_steps(&self) -> impl ExactSizeIterator<Item = usize> + '_ {
        (0..self.steps.div_ceil(self.record_every)).map(|i| i * self.record_every)
    }

    /// The grid's regions, with their data-center pipelines and farms.
    pub fn regions(&self) -> &[Region] {
        &self.regions
    }

    /// Modelled farms.
    pub fn farms(&self) -> &[Farm] {
        &self.farms
    }

    /// The hashrate levels (EH/s) whose first crossing is recorded.
    pub fn hashrate_levels_ehs(&self) -> &[f64] {
        &self.hashrate_levels_ehs
    }
}

/// Where the value at `field` came from: the last override that set it (or
/// a table above it), else the first file (child first) that writes it,
/// else the scenario file itself.
fn blame(sources: &[Source], overrides: &[Override], field: &str) -> (String, Option<Position>) {
    let covers = |o: &&Override| {
        let p = o.path();
        field == p || field.starts_with(&format!("{p}.")) || field.starts_with(&format!("{p}["))
    };
    if let Some(o) = overrides.iter().rev().find(covers) {
        return (format!("--set {}", o.path()), None);
    }
    match compose::locate_field(sources, field) {
        Some((origin, position)) => (origin, Some(position)),
        None => (sources[0].origin.clone(), None),
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
        assert_send_sync::<ScenarioSpec>();
    }
}
