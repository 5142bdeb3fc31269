//! Farms that grow and farms that move (model.md §6): expansion through the
//! region's queue and migration to another region, each triggered in a
//! world built for it and absent from one built against it, and never
//! connecting more than the queue granted.

mod common;

use hashwatt::engine::{Trace, trace};
use hashwatt::stats::FarmMeasure;
use hashwatt::{RunConfig, Scenario, simulate};

/// Two regions: `tight` has no headroom (its baseline peak fills its
/// capacity less the reserve), `roomy` has gigawatts of it. A hashprice of
/// about 50 USD per PH/s per day makes a frontier machine pay back in about
/// a year at 30 USD/MWh.
const WORLD: &str = concat!(
    r#"name = "growth"
start_date = "2026-01-01"
step_days = 1
horizon_days = 730

[network]
height = 930_000
difficulty_ehs = 900.0

[fees]
mean_btc_per_block = 0.05
volatility = 0.3

[btc_price]
initial_usd = 100000.0

[macro]
initial_regime = "calm"

[[macro.regimes]]
name = "calm"
btc_drift = 0.1
btc_volatility = 0.3

[power_factor]
mean_reversion = 3.0
volatility = 0.2

"#,
    common::rest_of_world_j20!(),
    r#"[[regions]]
name = "tight"
reserve_margin = 0.15
connection_lead_days = 30
scarcity_cap_usd_per_mwh = 5000
policy = "first_come"
baseline_load = { initial_mw = 50000, seasonal_amplitude = 0.1, peak_day_of_year = 200 }
supply = [ { mw = 40000, cost_usd_per_mwh = 20 }, { mw = 20000, cost_usd_per_mwh = 60 } ]

[[regions]]
name = "roomy"
reserve_margin = 0.10
connection_lead_days = 30
scarcity_cap_usd_per_mwh = 3000
policy = "first_come"
baseline_load = { initial_mw = 3000 }
supply = [ { mw = 8000, cost_usd_per_mwh = 25 } ]
"#,
);

/// A farm in `region` on an index contract with `extra` keys.
fn farm(name: &str, region: &str, extra: &str) -> String {
    format!(
        r#"
[[farms]]
name = "{name}"
region = "{region}"
fleet = [ {{ model = "S21", units = 2000, th_per_unit = 200, efficiency_j_per_th = 17.5 }} ]
contract = {{ kind = "index", adder_usd_per_mwh = 1 }}
{extra}
"#
    )
}

const GROW: &str = r#"expansion = { model = "S21 Pro", payback_threshold_days = 900, request_mw = 10, max_mw = 40, lead_days = 60, max_wait_days = 120 }"#;
const NEVER_GROW: &str = r#"expansion = { model = "S21 Pro", payback_threshold_days = 1, request_mw = 10, max_mw = 40, lead_days = 60 }"#;
const MOVE: &str = r#"migration = { to = "roomy", after_denied_days = 90, cost_usd_per_mw = 300000, downtime_days = 45, adder_usd_per_mwh = 1 }"#;
const NEVER_MOVE: &str = r#"migration = { to = "roomy", after_denied_days = 100000, cost_usd_per_mw = 300000, downtime_days = 45 }"#;

fn scenario(farms: &[String]) -> Scenario {
    Scenario::from_toml_str(&format!("{WORLD}{}", farms.concat())).expect("a valid scenario")
}

fn series<'a>(t: &'a Trace, name: &str) -> &'a [f64] {
    t.series(name).unwrap_or_else(|| panic!("series {name}"))
}

const PATHS: u64 = 16;

#[test]
fn a_farm_with_room_and_a_fast_payback_expands_and_one_without_does_not() {
    let grows = scenario(&[farm("g", "roomy", GROW)]);
    let never = scenario(&[farm("g", "roomy", NEVER_GROW)]);
    let a = simulate(&grows, &RunConfig::new(1, 256)).expect("runs");
    let b = simulate(&never, &RunConfig::new(1, 256)).expect("runs");
    let expanded = a
        .farm("g")
        .expect("farm")
        .measure(FarmMeasure::Expanded)
        .statistics();
    assert_eq!(expanded.n, 256);
    assert!(
        expanded.quantiles[0] > 0.0,
        "every path expands: {expanded:?}"
    );
    assert!(expanded.quantiles[4] <= 40.0 + 1e-9, "never past max_mw");
    let none = b
        .farm("g")
        .expect("farm")
        .measure(FarmMeasure::Expanded)
        .statistics();
    assert_eq!((none.mean, none.quantiles[4]), (0.0, 0.0));
}

#[test]
fn expansion_machines_hash_lead_days_after_the_grant_and_never_more_than_granted() {
    let s = scenario(&[farm("g", "roomy", GROW)]);
    let e = s.farms()[0].expansion().expect("an expansion");
    for path in 0..PATHS {
        let t = trace(&s, 3, path);
        let connected = series(&t, "farm.g.expansion_mw");
        // Each grant connects after the lead time: connected MW move in
        // whole requests' worth or less, never down, never past max_mw.
        assert!(connected.windows(2).all(|w| w[1] >= w[0]), "path {path}");
        assert!(connected.iter().all(|&c| c <= e.max_mw() + 1e-9));
        // The region has room, so the first request (asked at the end of
        // step 0, queued on step 1) is granted on step 1 and connects
        // `lead_days` later: on the step from day 1 + 60.
        let first = connected.iter().position(|&c| c > 0.0).expect("connects");
        assert_eq!(first, 1 + 60, "path {path}");
        assert_eq!(connected[first], e.request_mw());
    }
    let runs = simulate(&s, &RunConfig::new(3, PATHS)).expect("runs");
    let granted = runs
        .farm("g")
        .expect("farm")
        .measure(FarmMeasure::Expanded)
        .statistics();
    let connected_end = runs
        .series("farm.g.expansion_mw")
        .expect("series")
        .last()
        .expect("steps")
        .mean;
    assert!(connected_end <= granted.mean + 1e-9);
}

#[test]
fn a_farm_denied_power_for_long_moves_and_one_that_waits_longer_does_not() {
    let mover = farm("m", "tight", &format!("{GROW}\n{MOVE}"));
    let stayer = farm("m", "tight", &format!("{GROW}\n{NEVER_MOVE}"));
    let moves = scenario(&[mover]);
    let stays = scenario(&[stayer]);
    for path in 0..4 {
        let t = trace(&moves, 5, path);
        let moved = series(&t, "farm.m.moved_fraction");
        // The tight region never grants: the request, asked at the end of
        // step 0 for day 1, waits; 90 days denied (days 1 to 90) at the end
        // of step 90, the farm leaves: away from the step of day 91.
        let left = moved.iter().position(|&m| m == 1.0).expect("moves");
        assert_eq!(left, 91, "path {path}");
        assert!(moved[left..].iter().all(|&m| m == 1.0));
        // On the move it hashes nowhere; then in `roomy` once granted and
        // past the 45 days of downtime.
        let online = series(&t, "farm.m.online_fraction");
        assert!(online[left..left + 45].iter().all(|&o| o == 0.0));
        let back = online
            .iter()
            .skip(left)
            .position(|&o| o > 0.0)
            .expect("hashes again");
        assert_eq!(back, 45, "path {path}");
        // It pays for the move on its first step away: MW × cost.
        let mw = moves.farms()[0].mw();
        let capex = t.cash_flows[0][left].capex_usd;
        assert!((capex - mw * 300_000.0).abs() <= 1e-9 * capex, "{capex}");
        // In `roomy` it pays roomy's price: its power price now follows
        // roomy's market, not tight's.
        let price = series(&t, "farm.m.power_price_usd_per_mwh");
        let roomy = series(&t, "region.roomy.price_usd_per_mwh");
        let tight = series(&t, "region.tight.price_usd_per_mwh");
        let late = left + 100;
        assert!((price[late] - roomy[late]).abs() < (price[late] - tight[late]).abs());
        // Its home's headroom is freed, and roomy counts it as connected.
        let connected = series(&t, "region.roomy.miner_connected_mw");
        assert!(
            (connected[late] - mw).abs() <= 1e-6 * mw,
            "{}",
            connected[late]
        );
        let t = trace(&stays, 5, path);
        assert!(
            series(&t, "farm.m.moved_fraction")
                .iter()
                .all(|&m| m == 0.0)
        );
    }
}

#[test]
fn expansion_and_migration_left_unused_change_nothing() {
    let plain = scenario(&[farm("f", "roomy", "")]);
    let unused = scenario(&[farm(
        "f",
        "roomy",
        &format!("{NEVER_GROW}\n{NEVER_MOVE}").replace("roomy\"", "tight\""),
    )]);
    let a = trace(&plain, 9, 0);
    let b = trace(&unused, 9, 0);
    for name in [
        "hashrate_ehs",
        "farm.f.online_fraction",
        "region.roomy.price_usd_per_mwh",
    ] {
        let (x, y) = (series(&a, name), series(&b, name));
        assert!(
            x.iter().zip(y).all(|(p, q)| p.to_bits() == q.to_bits()),
            "{name}"
        );
    }
}

#[test]
fn expansions_and_migrations_need_a_region_and_known_destinations() {
    let text = format!(
        "{WORLD}{}",
        farm("f", "roomy", &MOVE.replace("\"roomy\"", "\"nowhere\""))
    );
    let err = Scenario::from_toml_str(&text).expect_err("unknown destination");
    assert_eq!(err.field(), Some("farms[0].migration.to"), "{err}");
    let text = format!("{WORLD}{}", farm("f", "roomy", MOVE));
    let err = Scenario::from_toml_str(&text).expect_err("moving to its own region");
    assert_eq!(err.field(), Some("farms[0].migration.to"), "{err}");
    let no_trigger = r#"migration = { to = "tight", cost_usd_per_mw = 1 }"#;
    let err = Scenario::from_toml_str(&format!("{WORLD}{}", farm("f", "roomy", no_trigger)))
        .expect_err("no trigger");
    assert_eq!(err.field(), Some("farms[0].migration"), "{err}");
    let borrow = GROW.replace("max_wait_days = 120", "debt_share = 0.5");
    let err = Scenario::from_toml_str(&format!("{WORLD}{}", farm("f", "roomy", &borrow)))
        .expect_err("borrowing without finance");
    assert_eq!(err.field(), Some("farms[0].expansion.debt_share"), "{err}");
}
