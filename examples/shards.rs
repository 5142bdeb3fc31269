//! Shards: one run split in four parts, run apart (as four machines would)
//! and merged, gives exactly the bits of the run in one piece.
//!
//! Answers: "can I spread a big run over machines and trust the merge?"
//! Each shard runs a contiguous range of the run's chunks of paths; a
//! merged summary is equal (`==`, every bit) to the whole run's.
//!
//! ```text
//! cargo run --release --example shards -- [PATHS]
//! ```

use hashwatt::{RunConfig, Scenario, Shard, Summary, simulate};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let paths: u64 = std::env::args().nth(1).map_or(Ok(8000), |a| a.parse())?;
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/reference-core.toml");
    let scenario = Scenario::from_path(path)?;
    let whole = simulate(&scenario, &RunConfig::new(42, paths))?;

    let mut parts = Vec::new();
    for k in 1..=4 {
        let config = RunConfig {
            shard: Shard::new(k, 4)?,
            // One thread per shard, as on four small machines.
            threads: Some(1),
            ..RunConfig::new(42, paths)
        };
        let part = simulate(&scenario, &config)?;
        println!("shard {k}/4: {} paths", part.paths_done());
        parts.push(part);
    }
    let merged = Summary::merge_shards(parts)?;
    // `==` would also compare how each was split (4 shards against 1):
    // `same_results` compares what they measured.
    if !merged.same_results(&whole) {
        return Err("the merge differs from the whole run".into());
    }
    let price = merged.series("btc_price_usd").ok_or("recorded")?;
    let last = price.last().ok_or("at least one step")?;
    println!(
        "merged {} paths = the whole run, bit for bit; BTC at the horizon: mean {:.0} ± {:.0} USD",
        merged.paths_done(),
        last.mean,
        last.stderr
    );
    Ok(())
}
