//! Grid competition in the engine (model.md §4-§5): data centers and miners
//! in one region's queue, clearing, lead times, bans; compared path by path
//! under common random numbers with [`hashwatt::engine::trace`].

mod common;

use hashwatt::Scenario;
use hashwatt::engine::{Trace, trace};
use hashwatt::scenario::Override;

/// A tight region: 70 GW of supply (76 GW from 2026-06-01), a 50 GW
/// baseline peaking at 57.5 GW and growing 2 % a year, 3 GW of miners
/// connected and 4 GW more queued from day 14, one index-contract farm. The
/// headroom is 1.3 GW at the start and 5.4 GW more when the addition comes.
const BASE: &str = concat!(
    common::small_world_header!("competition", 1095),
    common::calm_conflict_fuel_regimes!(),
    common::power_factor!(),
    common::rest_of_world_j20!(),
    common::tight_region!("policy = \"first_come\"\n"),
    r#"additions = [ { mw = 6000, date = "2026-06-01", cost_usd_per_mwh = 20 } ]
hours = { dispersion = 0.4, spike_probability = 0.01, spike_median_usd_per_mwh = 800, spike_dispersion = 0.8 }
miners = { connected_mw = 3000, efficiency_j_per_th = 22, pue = 1.1, requests = [ { mw = 4000, date = "2026-01-15", bid_usd_per_mw_year = 20000 } ] }

[[farms]]
name = "idx"
region = "tight"
fleet = [ { model = "S21", units = 5000, th_per_unit = 200, efficiency_j_per_th = 17.5 } ]
contract = { kind = "index", adder_usd_per_mwh = 3 }
"#,
);

/// The same world with an AI data-center wave queuing in the region.
const PIPELINE: &str = common::datacenter_wave!();

const PATHS: u64 = 48;

fn scenario(text: &str) -> Scenario {
    Scenario::from_toml_str(text).expect("a valid scenario")
}

fn with(text: &str, overrides: &[&str]) -> Scenario {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("s.toml");
    std::fs::write(&file, text).expect("write");
    let overrides: Vec<Override> = overrides
        .iter()
        .map(|o| o.parse().expect("an override"))
        .collect();
    Scenario::from_path_with(&file, &overrides).expect("a valid scenario")
}

fn series<'a>(t: &'a Trace, name: &str) -> &'a [f64] {
    t.series(name)
        .unwrap_or_else(|| panic!("series {name} is recorded"))
}

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len() as f64
}

#[test]
fn a_trace_is_the_path_the_summary_counts() {
    let s = scenario(&format!("{BASE}{PIPELINE}"));
    let summary = hashwatt::simulate(&s, &hashwatt::RunConfig::new(7, 1)).expect("runs");
    let t = trace(&s, 7, 0);
    for (name, values) in t.names.iter().zip(&t.values) {
        let recorded = &summary.series_summaries()[t.names.iter().position(|n| n == name).unwrap()];
        assert_eq!(&recorded.name(), name);
        for (step, v) in values.iter().enumerate() {
            let stats = recorded.steps()[step].statistics();
            assert_eq!(stats.mean.to_bits(), v.to_bits(), "{name} at step {step}");
        }
    }
}

#[test]
fn adding_a_pipeline_changes_the_grid_and_nothing_upstream() {
    let ai_first = ["regions[0].policy=\"ai_first\""];
    let base = with(BASE, &ai_first);
    let squeezed = with(&format!("{BASE}{PIPELINE}"), &ai_first);
    let mut binding = 0;
    for path in 0..PATHS {
        let (a, b) = (trace(&base, 3, path), trace(&squeezed, 3, path));
        // Common random numbers: the BTC price, the fuel factor and the
        // macro regime do not see the data centers at all.
        assert_eq!(series(&a, "btc_price_usd"), series(&b, "btc_price_usd"));
        assert_eq!(a.power_factor, b.power_factor);
        assert_eq!(a.macro_regime, b.macro_regime);
        // Before the pipeline's first grant connects, the grid is the same.
        let before = 31 + 90;
        let price = "region.tight.price_usd_per_mwh";
        assert_eq!(series(&a, price)[..before], series(&b, price)[..before]);
        let (pa, pb) = (mean(series(&a, price)), mean(series(&b, price)));
        assert!(pb >= pa, "path {path}: mean price {pb} < {pa}");
        let connected = "region.tight.miner_connected_mw";
        let (ma, mb) = (series(&a, connected), series(&b, connected));
        for (t, (x, y)) in ma.iter().zip(mb).enumerate() {
            assert!(y <= x, "path {path}, step {t}: miners {y} MW > {x} MW");
        }
        // The base grants every miner request when the addition comes;
        // where the data centers took that room, miners still wait at the
        // end, with fewer MW connected and a dearer grid on every such path.
        assert_eq!(
            *series(&a, "region.tight.miner_waiting_mw").last().unwrap(),
            0.0
        );
        if *series(&b, "region.tight.miner_waiting_mw").last().unwrap() > 0.0 {
            binding += 1;
            assert!(mean(mb) < mean(ma), "path {path}");
            assert!(
                pb > pa,
                "path {path}: the data centers' load left the price unchanged"
            );
        }
    }
    // The wave is sized to bind on most paths (5 000 MW median against
    // 2 700 MW of room left after the miners).
    assert!(
        binding as u64 >= PATHS * 3 / 4,
        "binding on {binding} paths"
    );
}

#[test]
fn ai_first_grants_miners_less_than_first_come() {
    let text = format!("{BASE}{PIPELINE}");
    let first_come = scenario(&text);
    let ai_first = with(&text, &["regions[0].policy=\"ai_first\""]);
    let mut less = 0;
    for path in 0..PATHS {
        let a = trace(&first_come, 5, path);
        let b = trace(&ai_first, 5, path);
        let (ma, mb) = (
            series(&a, "region.tight.miner_connected_mw"),
            series(&b, "region.tight.miner_connected_mw"),
        );
        for (t, (x, y)) in ma.iter().zip(mb).enumerate() {
            assert!(y <= x, "path {path}, step {t}: ai_first gave miners more");
        }
        // First come, the miners (queued on day 14) take the addition's
        // room before the data centers; data centers first, they wait
        // wherever the wave fills it.
        let waiting = "region.tight.miner_waiting_mw";
        assert_eq!(*series(&a, waiting).last().unwrap(), 0.0);
        if *series(&b, waiting).last().unwrap() > 0.0 {
            assert!(mean(mb) < mean(ma), "path {path}");
            less += 1;
        }
        // Under ai_first, no miner is granted MW on a step that ends with
        // data centers still waiting; a grant at step s shows in the
        // connected MW of step s + 90 (the lead time).
        let ai_queue = series(&b, "region.tight.ai_queued_mw");
        for s in 1..ai_queue.len() - 90 {
            if ai_queue[s] > 1e-9 {
                assert_eq!(
                    mb[s + 90],
                    mb[s + 89],
                    "path {path}: miners granted at step {s}"
                );
            }
        }
    }
    assert!(less as u64 >= PATHS * 3 / 4, "binding on {less} paths");
}

#[test]
fn the_grid_never_serves_more_than_its_capacity() {
    let s = scenario(&format!("{BASE}{PIPELINE}"));
    for path in 0..PATHS {
        let t = trace(&s, 11, path);
        let load = series(&t, "region.tight.load_mw");
        let capacity = series(&t, "region.tight.capacity_mw");
        let price = series(&t, "region.tight.price_usd_per_mwh");
        let curtailed = series(&t, "region.tight.curtailed_mwh");
        for step in 0..load.len() {
            assert!(load[step] <= capacity[step] * (1.0 + 1e-12), "step {step}");
            assert!((5.0..=5000.0).contains(&price[step]), "step {step}");
            if curtailed[step] > 0.0 {
                assert_eq!(price[step], 5000.0, "curtailment happens at the cap");
            }
            assert_eq!(capacity[step], if step < 151 { 70_000.0 } else { 76_000.0 });
        }
    }
}

/// A deterministic pipeline in a region with room for it.
fn roomy(lead_days: u32) -> Scenario {
    let text = format!("{BASE}{PIPELINE}")
        .replace("capex_dispersion = 0.3", "capex_dispersion = 0.0")
        .replace("cost_dispersion = 0.2", "cost_dispersion = 0.0")
        .replace(
            "{ mw = 10000, cost_usd_per_mwh = 150",
            "{ mw = 40000, cost_usd_per_mwh = 150",
        )
        .replace(
            "connection_lead_days = 90",
            &format!("connection_lead_days = {lead_days}"),
        );
    scenario(&text)
}

#[test]
fn grants_connect_after_the_lead_time() {
    // 60 bn / 12 M = 5 000 MW requested evenly from day 31 over 120 days;
    // with room for all of it, the MW granted at step s (the MW requested by
    // day s) connect for step s + L.
    for lead in [1, 90, 365] {
        let s = roomy(lead);
        let t = trace(&s, 1, 0);
        let connected = series(&t, "region.tight.ai_connected_mw");
        let queued = series(&t, "region.tight.ai_queued_mw");
        let lead = lead as usize;
        for (step, &c) in connected.iter().enumerate() {
            let granted_by = step as f64 - lead as f64;
            let want = if granted_by < 31.0 {
                0.0
            } else {
                5000.0 * ((granted_by - 31.0) / 120.0).min(1.0)
            };
            assert!(
                (c - want).abs() <= 1e-9 * 5000.0,
                "lead {lead}, step {step}: {c} MW connected, expected {want}"
            );
            assert_eq!(queued[step], 0.0, "room for every request");
        }
    }
}

#[test]
fn a_lead_time_beyond_the_horizon_connects_nothing() {
    let near = roomy(1);
    let text = format!("{BASE}{PIPELINE}")
        .replace("connection_lead_days = 90", "connection_lead_days = 1e12");
    let far = scenario(&text);
    let t = trace(&far, 1, 0);
    assert!(
        series(&t, "region.tight.ai_connected_mw")
            .iter()
            .all(|&c| c == 0.0)
    );
    assert!(series(&trace(&near, 1, 0), "region.tight.ai_connected_mw")[40] > 0.0);
}

#[test]
fn a_mining_ban_takes_the_regions_miners_offline() {
    let politics = r#"
[regions.politics]
initial = "ban"
regimes = [
  { name = "neutral", policy = "first_come" },
  { name = "ban", policy = "first_come", mining_banned = true },
]
"#;
    // `[regions.politics]` replaces the region's `policy` and belongs to
    // the region: it goes before the farms.
    let text = BASE
        .replace("policy = \"first_come\"\n", "")
        .replace("[[farms]]", &format!("{}\n\n[[farms]]", politics.trim()))
        + PIPELINE;
    let banned = scenario(&text);
    let free = scenario(&format!("{BASE}{PIPELINE}"));
    for path in 0..8 {
        let b = trace(&banned, 2, path);
        let f = trace(&free, 2, path);
        assert!(
            series(&b, "farm.idx.uptime_fraction")
                .iter()
                .all(|&u| u == 0.0)
        );
        assert!(
            series(&b, "farm.idx.power_price_usd_per_mwh")
                .iter()
                .all(|p| p.is_finite())
        );
        let denied = series(&b, "region.tight.miner_denied_mw");
        // The 3 000 MW connected are denied at once, the 4 000 MW request
        // when it enters the queue (day 14).
        let want = |t: usize| if t < 14 { 3000.0 } else { 7000.0 };
        assert!(
            denied.iter().enumerate().all(|(t, &d)| d == want(t)),
            "{:?}",
            &denied[..16]
        );
        // The farm is still connected, just offline: its MW only.
        let farm_mw = 5000.0 * 200.0 / 1000.0 * 17.5 * 0.001;
        let connected = series(&b, "region.tight.miner_connected_mw");
        assert!(connected[1..].iter().all(|&c| (c - farm_mw).abs() < 1e-9));
        // The network loses the region's hashrate at once.
        assert!(series(&b, "hashrate_ehs")[0] < series(&f, "hashrate_ehs")[0]);
    }
}

#[test]
fn regional_miners_add_their_hashrate() {
    // Without noise or spread, on day 0 every regional miner runs (their
    // bid is far above the price) and the network gains MW / (0.001·e·PUE)
    // PH/s over the same world without the region.
    let quiet = BASE
        .replace("noise = 0.05", "noise = 0.0")
        .replace(
            "hours = { dispersion = 0.4, spike_probability = 0.01, spike_median_usd_per_mwh = 800, spike_dispersion = 0.8 }",
            "",
        );
    let with_region = scenario(&quiet);
    let start = quiet.find("[[regions]]").unwrap();
    let without = scenario(&quiet[..start]);
    let (a, b) = (trace(&with_region, 1, 0), trace(&without, 1, 0));
    let miners_ehs = 3000.0 / (0.001 * 22.0 * 1.1) / 1000.0;
    let farm_ehs = 5000.0 * 200.0 / 1e6;
    let gained = series(&a, "hashrate_ehs")[0] - series(&b, "hashrate_ehs")[0];
    assert!(
        (gained - miners_ehs - farm_ehs).abs() < 1e-9,
        "gained {gained} EH/s"
    );
    assert_eq!(series(&a, "farm.idx.uptime_fraction")[0], 1.0);
}

#[test]
fn an_index_farm_pays_the_clearing_price_plus_tariffs() {
    // No spread: every hour costs the daily price; the farm pays it plus
    // delivery (6), large-load (2) and its own adder (3) while it runs.
    let quiet = BASE.replace(
        "hours = { dispersion = 0.4, spike_probability = 0.01, spike_median_usd_per_mwh = 800, spike_dispersion = 0.8 }",
        "",
    );
    let s = scenario(&quiet);
    for path in 0..8 {
        let t = trace(&s, 4, path);
        let paid = series(&t, "farm.idx.power_price_usd_per_mwh");
        let price = series(&t, "region.tight.price_usd_per_mwh");
        let uptime = series(&t, "farm.idx.uptime_fraction");
        for step in 0..paid.len() {
            if uptime[step] > 0.0 {
                let want = price[step] + 11.0;
                assert!((paid[step] - want).abs() <= 1e-9 * want, "step {step}");
            }
        }
    }
}

#[test]
fn a_fixed_contract_with_sell_back_earns_credits_in_spikes() {
    let text = BASE.replace(
        "contract = { kind = \"index\", adder_usd_per_mwh = 3 }",
        "contract = { kind = \"fixed\", price_usd_per_mwh = 40.0, sell_back = true }",
    );
    let s = scenario(&text);
    let t = trace(&s, 9, 0);
    let credits = series(&t, "farm.idx.power_credits_usd");
    let paid = series(&t, "farm.idx.power_price_usd_per_mwh");
    assert!(
        credits.iter().all(|&c| c > 0.0),
        "spike hours are sold back"
    );
    assert!(paid.iter().all(|&p| p == 40.0));
    // Without sell-back there are no credits.
    let text = text.replace("sell_back = true", "sell_back = false");
    let t = trace(&scenario(&text), 9, 0);
    assert!(
        series(&t, "farm.idx.power_credits_usd")
            .iter()
            .all(|&c| c == 0.0)
    );
}

#[test]
fn a_hosted_farm_pays_its_all_in_price_and_takes_power_whatever_the_market() {
    let text = BASE.replace(
        "contract = { kind = \"index\", adder_usd_per_mwh = 3 }",
        "contract = { kind = \"hosted\", price_usd_per_mwh = 65.0 }",
    );
    let s = scenario(&text);
    let t = trace(&s, 6, 0);
    let paid = series(&t, "farm.idx.power_price_usd_per_mwh");
    let uptime = series(&t, "farm.idx.uptime_fraction");
    assert!(paid.iter().all(|&p| p == 65.0));
    assert!(
        series(&t, "farm.idx.power_credits_usd")
            .iter()
            .all(|&c| c == 0.0)
    );
    // Served at the cap: while mining pays 65 USD/MWh it runs every hour,
    // spikes or not (the hourly spread does not reach it).
    assert!(uptime.iter().all(|&u| u == 0.0 || u == 1.0), "{uptime:?}");
    assert!(uptime.contains(&1.0));
}

#[test]
fn outside_the_regions_hosted_and_fixed_contracts_are_the_same_thing() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/reference-core.toml");
    let fixed = Scenario::from_path(path).expect("valid");
    let price = fixed.farms()[0]
        .contract()
        .fixed_price_usd_per_mwh()
        .expect("fixed");
    let hosted = Scenario::from_path_with(
        path,
        &[
            format!("farms[0].contract={{ kind = \"hosted\", price_usd_per_mwh = {price:?} }}")
                .parse()
                .expect("an override"),
        ],
    )
    .expect("valid");
    let a = hashwatt::simulate(&fixed, &hashwatt::RunConfig::new(3, 300)).expect("runs");
    let b = hashwatt::simulate(&hosted, &hashwatt::RunConfig::new(3, 300)).expect("runs");
    assert_eq!(a.series_summaries(), b.series_summaries());
    assert_eq!(a.farms(), b.farms());
}
