//! The memory a run's per-step summaries need, against what the machine
//! has: a run that cannot fit is refused before it starts (instead of
//! being killed minutes later), a large one is announced.

use anyhow::{Result, bail};

use hashwatt::Scenario;
use hashwatt::engine::{RunConfig, summary_memory_estimate};

/// Above this, say how much memory the run will take.
const ANNOUNCE_BYTES: u64 = 1 << 30;

/// Refuses a run whose summaries would need more than the memory available
/// (Linux's `MemAvailable`; not checked where it cannot be read) and warns
/// about one that needs more than 1 GiB.
pub fn check_memory(scenario: &Scenario, config: &RunConfig) -> Result<()> {
    let workers = rayon::current_num_threads();
    let need = summary_memory_estimate(scenario, config, workers);
    let gib = |b: u64| b as f64 / f64::from(1u32 << 30);
    let what = format!(
        "about {:.1} GiB for its per-step summaries ({} steps; memory grows with the steps \
         recorded and the workers, not with the paths)",
        gib(need),
        scenario.steps()
    );
    if let Some(available) = available_bytes()
        && need > available
    {
        bail!(
            "this run would need {what}, more than the {:.1} GiB available: record fewer steps \
             (a larger step_days) or a shorter horizon_days, or use fewer --threads",
            gib(available)
        );
    }
    if need > ANNOUNCE_BYTES {
        eprintln!("hashwatt: this run needs {what}");
    }
    Ok(())
}

/// `MemAvailable` of `/proc/meminfo`, bytes.
fn available_bytes() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = text.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}
