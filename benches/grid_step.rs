//! Cost of one region's per-step grid work, piece by piece and together
//! (`cargo bench --bench grid_step`): sharing headroom among the
//! interconnection queue, sorting the supply stack and clearing the load,
//! and the closed-form hourly outcome of a miner's bid.
//!
//! The engine repeats this work for every region, path and day, so these
//! numbers bound how many regions a run can afford. The region is
//! ERCOT-like (about 90 GW over eight tranches, a 5 000 USD/MWh cap), with a
//! four-request queue and four miner lots; every buffer is allocated before
//! the timed loop, as the engine does, so that the timings contain no heap
//! allocation.

use std::f64::consts::SQRT_2;
use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use hashwatt::model::allocation::{Allocator, Policy, Request, Requester};
use hashwatt::model::grid::{Bid, MeritOrder, SupplyStack, Tranche, clear};
use hashwatt::model::hours::{HourlySpread, HourlySpreadParams};

/// Number of precomputed days the timed loops cycle through (a power of two,
/// so that the index wraps with a mask).
const DAYS: usize = 1024;

/// Reserve margin kept out of the headroom offered to the queue.
const RESERVE_MARGIN: f64 = 0.12;

/// An ERCOT-like supply stack (90 GW in all, 0–250 USD/MWh at a fuel scale
/// of 1, cap 5 000 USD/MWh): cheap wind, solar and nuclear that are not
/// fuel-linked, then fuel-linked coal and CCGT, battery storage discharging
/// at a fixed 70 USD/MWh, and fuel-linked gas and oil peakers. Fuel-linked
/// costs all move together, so the fuel scale reorders the stack only
/// around the storage tranche: it falls below the CT peakers for a scale
/// under 0.58 and below the CCGT fleet above 1.75.
fn ercot_like_stack() -> SupplyStack {
    let tranche = |mw, cost_usd_per_mwh, fuel_linked| Tranche {
        mw,
        cost_usd_per_mwh,
        fuel_linked,
    };
    let tranches = vec![
        tranche(25_000.0, 0.0, false), // wind
        tranche(15_000.0, 0.0, false), // solar
        tranche(5_000.0, 12.0, false), // nuclear
        tranche(12_000.0, 30.0, true), // coal
        tranche(22_000.0, 40.0, true), // CCGT
        tranche(3_000.0, 70.0, false), // battery storage
        tranche(6_000.0, 120.0, true), // gas CT peakers
        tranche(2_000.0, 250.0, true), // oil-fired peakers
    ];
    match SupplyStack::new(tranches, 5_000.0) {
        Ok(stack) => stack,
        Err(e) => panic!("the benchmark stack must be valid: {e}"),
    }
}

/// The interconnection queue: two data centers and two miners, asking
/// 2 750 MW in all on different days with different auction bids, so that
/// each policy ranks them differently.
fn queue() -> [Request; 4] {
    let request = |requester, mw, requested_day, bid_usd_per_mw_year| Request {
        requester,
        mw,
        requested_day,
        bid_usd_per_mw_year,
    };
    [
        request(Requester::DataCenter, 1_000.0, 10.0, 150_000.0),
        request(Requester::Miner, 400.0, 5.0, 60_000.0),
        request(Requester::DataCenter, 750.0, 40.0, 120_000.0),
        request(Requester::Miner, 600.0, 25.0, 45_000.0),
    ]
}

/// The connected miners' flexible lots, bidding their breakevens between 30
/// and 90 USD/MWh (listed out of price order, so that clearing sorts them).
fn miner_bids() -> [Bid; 4] {
    [
        Bid {
            mw: 800.0,
            price: 45.0,
        },
        Bid {
            mw: 300.0,
            price: 90.0,
        },
        Bid {
            mw: 1_200.0,
            price: 30.0,
        },
        Bid {
            mw: 500.0,
            price: 65.0,
        },
    ]
}

/// An ERCOT-like hourly spread: 35 % dispersion of normal hours, 1 % of
/// hours spiking around 800 USD/MWh, capped at 5 000 USD/MWh.
fn hourly_spread() -> HourlySpread {
    let params = HourlySpreadParams {
        dispersion: 0.35,
        spike_probability: 0.01,
        spike_median: 800.0,
        spike_dispersion: 0.8,
        cap: 5_000.0,
    };
    match HourlySpread::new(params) {
        Ok(spread) => spread,
        Err(e) => panic!("the benchmark spread must be valid: {e}"),
    }
}

/// One precomputed day's drivers.
#[derive(Clone, Copy)]
struct Day {
    /// `exp(X)·fuel_multiplier`, between about 0.4 and 2.5.
    fuel_scale: f64,
    /// Baseline plus connected data centers, 62–84 GW: the load falls in
    /// the CCGT, storage or CT tranche, and the headroom left to the queue
    /// (79.2 GW after the reserve margin, less the load) ranges from ample
    /// to none.
    inflexible_mw: f64,
}

/// `DAYS` deterministic, irregular days (two incommensurate sines), so that
/// the merit order, the clearing tranche and the headroom change from one
/// iteration to the next and the branch predictor cannot learn one path.
fn days() -> Vec<Day> {
    (0..DAYS)
        .map(|i| {
            let t = i as f64;
            let x = 0.9 * (t * 0.618_033_988_749_895).sin();
            let u = 0.5 + 0.5 * (t * SQRT_2 + 0.3).sin();
            Day {
                fuel_scale: x.exp(),
                inflexible_mw: 62_000.0 + 22_000.0 * u,
            }
        })
        .collect()
}

/// Sharing 1 500 MW of headroom among the four queued requests (asking
/// 2 750 MW) under each policy: the sort by rank, or pro rata's single pass.
fn allocation(c: &mut Criterion) {
    let requests = queue();
    let mut granted = [0.0; 4];
    let mut allocator = Allocator::default();
    let mut group = c.benchmark_group("allocation");
    for policy in Policy::ALL {
        group.bench_function(BenchmarkId::from_parameter(policy), |b| {
            b.iter(|| {
                allocator.allocate(
                    black_box(policy),
                    black_box(1_500.0),
                    black_box(&requests),
                    &mut granted,
                )
            })
        });
    }
    group.finish();
}

/// Sorting the stack under the day's fuel scale and clearing the day's
/// inflexible load and the four miner bids, cycling through `DAYS`
/// precomputed days so that the merit order really changes.
fn merit_order_and_clear(c: &mut Criterion) {
    let stack = ercot_like_stack();
    let bids = miner_bids();
    let days = days();
    let mut order = MeritOrder::default();
    let mut served = [0.0; 4];
    let mut scratch = Vec::with_capacity(bids.len());
    // Warm the buffers to their final size outside the timed loop.
    stack.merit_order(1.0, &mut order);
    let mut i = 0;
    c.bench_function("merit_order_and_clear", |b| {
        b.iter(|| {
            let day = black_box(days[i]);
            i = (i + 1) & (DAYS - 1);
            stack.merit_order(day.fuel_scale, &mut order);
            clear(
                &order,
                day.inflexible_mw,
                black_box(&bids),
                &mut served,
                &mut scratch,
            )
        })
    });
}

/// The closed-form hourly outcome (uptime, energy cost, sell-back, mean
/// price) of one bid, for bids below, above and far above the daily price;
/// a bid at the cap takes the short path.
fn hourly_outcome(c: &mut Criterion) {
    let spread = hourly_spread();
    let mut group = c.benchmark_group("hourly_outcome");
    for (price, bid) in [(25.0, 30.0), (45.0, 65.0), (80.0, 45.0), (45.0, 5_000.0)] {
        group.bench_function(BenchmarkId::from_parameter(format!("{price}/{bid}")), |b| {
            b.iter(|| spread.outcome(black_box(price), black_box(bid)))
        });
    }
    group.finish();
}

/// One whole region step under each policy: merit order, clearing, the
/// hourly outcome of each miner lot at the clearing price, and the queue
/// allocation of the headroom left by the day's load, reported per step.
fn region_step(c: &mut Criterion) {
    let stack = ercot_like_stack();
    let spread = hourly_spread();
    let bids = miner_bids();
    let requests = queue();
    let days = days();
    let mut order = MeritOrder::default();
    let mut served = [0.0; 4];
    let mut scratch = Vec::with_capacity(bids.len());
    let mut granted = [0.0; 4];
    let mut allocator = Allocator::default();
    // Warm the buffers to their final size outside the timed loop.
    stack.merit_order(1.0, &mut order);
    allocator.allocate(Policy::FirstCome, 0.0, &requests, &mut granted);
    let mut group = c.benchmark_group("region_step");
    group.throughput(Throughput::Elements(1));
    for policy in Policy::ALL {
        let mut i = 0;
        group.bench_function(BenchmarkId::from_parameter(policy), |b| {
            b.iter(|| {
                let day = black_box(days[i]);
                i = (i + 1) & (DAYS - 1);
                stack.merit_order(day.fuel_scale, &mut order);
                let clearing = clear(
                    &order,
                    day.inflexible_mw,
                    black_box(&bids),
                    &mut served,
                    &mut scratch,
                );
                let mut energy_cost = 0.0;
                for (bid, mw) in bids.iter().zip(&served) {
                    let out = spread.outcome(clearing.price, bid.price);
                    energy_cost += 24.0 * mw * out.energy_cost;
                }
                let headroom = order.capacity() * (1.0 - RESERVE_MARGIN)
                    - day.inflexible_mw
                    - clearing.flexible_served_mw;
                let granted_mw =
                    allocator.allocate(black_box(policy), headroom, &requests, &mut granted);
                (clearing, energy_cost, granted_mw)
            })
        });
    }
    group.finish();
}

criterion_group!(
    benches,
    allocation,
    merit_order_and_clear,
    hourly_outcome,
    region_step
);
criterion_main!(benches);
