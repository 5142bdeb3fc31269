//! `hashwatt validate`: check a scenario file and describe it.

use std::path::Path;

use anyhow::Result;

use hashwatt::Scenario;
use hashwatt::scenario::{Document, Override};

/// Checks the scenario and prints what it holds; with `print`, the
/// effective scenario (after `extends` and `--set`) as TOML, headed by that
/// line as a comment.
pub fn validate(path: &Path, overrides: &[Override], print: bool) -> Result<()> {
    let s = Scenario::from_path_with(path, overrides)?;
    let line = describe(path, &s);
    if print {
        let document = Document::read(path, overrides)?;
        print!("# {line}\n{}", document.to_toml());
    } else {
        println!("{line}");
    }
    Ok(())
}

/// `FILE: ok: `name`, N steps of ...`.
fn describe(path: &Path, s: &Scenario) -> String {
    format!(
        "{}: ok: `{}`, {} steps of {} day(s) from {}, {} regime(s), {} rest-of-world class(es), {} region(s), {} data-center pipeline(s), {} farm(s)",
        path.display(),
        s.name(),
        s.steps(),
        s.step_days(),
        s.start_date(),
        s.regimes().regimes().len(),
        s.rest_of_world().classes().len(),
        s.regions().len(),
        s.regions()
            .iter()
            .map(|r| r.datacenters().len())
            .sum::<usize>(),
        s.farms().len()
    ) + &format!(
        "; per-step summaries up to about {} MiB each (one per worker and one more)",
        summary_mib(s)
    )
}

/// The memory of one summary of `s`, MiB (see
/// [`hashwatt::engine::summary_memory_estimate`]: two summaries for one
/// worker).
fn summary_mib(s: &Scenario) -> u64 {
    let config = hashwatt::engine::RunConfig::new(1, 1);
    hashwatt::engine::summary_memory_estimate(s, &config, 1) / 2 / (1 << 20)
}
