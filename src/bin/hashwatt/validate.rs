//! `hashwatt validate`: check a scenario file and describe it.

use std::path::Path;

use anyhow::Result;

use hashwatt::Scenario;
use hashwatt::scenario::Override;

pub fn validate(path: &Path, overrides: &[Override]) -> Result<()> {
    let s = Scenario::from_path_with(path, overrides)?;
    println!(
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
            .map(|r| r.datacenters.len())
            .sum::<usize>(),
        s.farms().len()
    );
    Ok(())
}
