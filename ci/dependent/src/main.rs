//! Checks that a crate depending on hashwatt, built for the baseline
//! target, runs the hot loop's fast copy on a CPU that has its features
//! (engine/kernel.rs), and that it gives the same bits as the CLI's build.
//!
//! Usage: hashwatt-dependent SCENARIO.toml SUMMARY.json [PATHS SEED]

use hashwatt::engine::{Kernel, kernel};
use hashwatt::report::{Tables, summary_json};
use hashwatt::{RunConfig, Scenario, simulate};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, scenario, expected, paths, seed] = &args[..] else {
        panic!("usage: hashwatt-dependent SCENARIO.toml SUMMARY.json PATHS SEED");
    };
    // Built for the baseline: the compiler may not assume FMA here.
    assert!(
        !cfg!(target_feature = "fma"),
        "this crate must be built for the baseline target"
    );
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx2") && std::is_x86_feature_detected!("fma") {
        assert_eq!(kernel(), Kernel::X86_64V3, "the fast copy is not taken");
    }
    println!("hot loop: {}", kernel().name());
    let scenario = Scenario::from_path(scenario).expect("scenario");
    let config = RunConfig::new(seed.parse().expect("seed"), paths.parse().expect("paths"));
    let summary = simulate(&scenario, &config).expect("run");
    let expected = std::fs::read_to_string(expected).expect("the CLI's summary.json");
    assert!(
        summary_json(&summary, &Tables::of(&summary)) == expected,
        "summary.json differs from the CLI's"
    );
    println!("summary.json: the CLI's bits");
}
