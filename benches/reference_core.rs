//! Throughput of the engine on the reference-core scenario (4 000 paths, eight
//! chunks of 500 (`engine::chunk_paths`), so that two threads share the work equally), in
//! path-steps per second (`cargo bench --bench reference_core`).

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use hashwatt::{RunConfig, Scenario, simulate};

fn reference_core(c: &mut Criterion) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/reference-core.toml");
    let scenario = match Scenario::from_path(path) {
        Ok(s) => s,
        Err(e) => panic!("the bundled scenario must load: {e}"),
    };
    let mut group = c.benchmark_group("reference_core");
    group.sample_size(10);
    for threads in [1usize, 2] {
        let paths = 4 * hashwatt::engine::MAX_CHUNK_PATHS;
        let config = RunConfig {
            threads: Some(threads),
            ..RunConfig::new(1, paths)
        };
        group.throughput(Throughput::Elements(paths * scenario.steps() as u64));
        group.bench_with_input(BenchmarkId::new("threads", threads), &config, |b, cfg| {
            b.iter(|| simulate(&scenario, cfg))
        });
    }
    group.finish();
}

criterion_group!(benches, reference_core);
criterion_main!(benches);
