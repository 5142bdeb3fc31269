//! Scenarios built in code: a `ScenarioSpec` goes through the check that
//! files go through, with the same errors; `Scenario::to_toml` writes a
//! scenario back as one file that reads as the same scenario.

use std::path::{Path, PathBuf};

use hashwatt::scenario::spec::*;
use hashwatt::{Scenario, ScenarioError};

fn scenarios_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios")
}

fn shipped_scenarios() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(scenarios_dir())
        .expect("scenarios")
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_shipped_scenario_round_trips_through_toml() {
    let files = shipped_scenarios();
    assert!(files.len() >= 6, "{files:?}");
    for path in files {
        let scenario = Scenario::from_path(&path).expect("a shipped scenario loads");
        let text = scenario.to_toml();
        let spec: ScenarioSpec = toml::from_str(&text).unwrap_or_else(|e| {
            panic!(
                "{}: to_toml does not read back: {e}\n{text}",
                path.display()
            )
        });
        assert_eq!(&spec, scenario.spec(), "{}", path.display());
        let again = Scenario::from_spec_in(spec, scenarios_dir()).expect("reads back");
        assert_eq!(
            again.canonical_json(),
            scenario.canonical_json(),
            "{}",
            path.display()
        );
        // And as a file in the same directory.
        let dir = tempfile::tempdir_in(scenarios_dir().parent().expect("crate")).expect("tmp");
        let copy = dir.path().join("copy.toml");
        std::fs::write(&copy, &text).expect("write");
        if scenario.btc_price_replay().is_none() && scenario.fee_replay().is_none() {
            let from_file = Scenario::from_path(&copy).expect("the written file loads");
            assert_eq!(from_file.canonical_json(), scenario.canonical_json());
        }
    }
}

/// The scenario of [`in_code`], as a file.
const SMALL: &str = r#"
name = "in-code"
start_date = "2026-01-01"
step_days = 7
horizon_days = 364

[network]
height = 929_424
difficulty_ehs = 1045.0

[fees]
mean_btc_per_block = 0.05
volatility = 0.5

[btc_price]
initial_usd = 91000.0

[[macro.regimes]]
name = "calm"
btc_drift = 0.10
btc_volatility = 0.43
transitions = { stress = 0.5 }

[[macro.regimes]]
name = "stress"
btc_drift = -0.20
btc_volatility = 0.80
fuel_multiplier = 1.5
transitions = { calm = 2.0 }

[power_factor]
mean_reversion = 3.0
volatility = 0.40

[rest_of_world]
median_power_price_usd_per_mwh = 45.0
price_dispersion = 0.40
classes = [ { name = "fleet", installed_ehs = 1000.0, efficiency_j_per_th = 20.0 } ]

[[farms]]
name = "operator"
fleet = [ { model = "S21", units = 2000 } ]
contract = { kind = "fixed", price_usd_per_mwh = 50.0 }
pue = 1.05
"#;

fn in_code() -> ScenarioSpec {
    ScenarioSpec::new("in-code", "2026-01-01", 7, 364)
        .with_network(NetworkSpec::new(929_424, 1045.0))
        .with_fees(FeesSpec::new(0.05, 0.5))
        .with_btc_price(BtcPriceSpec::new(91_000.0))
        .with_regime(RegimeSpec::new("calm", 0.10, 0.43).with_transition("stress", 0.5))
        .with_regime(RegimeSpec {
            fuel_multiplier: 1.5,
            ..RegimeSpec::new("stress", -0.20, 0.80).with_transition("calm", 2.0)
        })
        .with_power_factor(PowerFactorSpec::new(3.0, 0.40))
        .with_rest_of_world(
            RestOfWorldSpec::new(45.0, 0.40).with_class(ClassSpec::new("fleet", 1000.0, 20.0)),
        )
        .with_farm(FarmSpec {
            pue: 1.05,
            ..FarmSpec::new(
                "operator",
                ContractSpec::fixed(50.0),
                vec![LotSpec::new("S21", 2000)],
            )
        })
}

#[test]
fn a_spec_built_in_code_is_the_file_that_writes_it() {
    let from_file = Scenario::from_toml_str(SMALL).expect("valid");
    let from_code = Scenario::from_spec(in_code()).expect("valid");
    assert_eq!(from_code.spec(), from_file.spec());
    assert_eq!(from_code.canonical_json(), from_file.canonical_json());
    assert_eq!(from_code.steps(), 52);
}

/// A change that makes a spec invalid.
type Change = fn(&mut ScenarioSpec);

#[test]
fn a_spec_error_names_the_field() {
    let mut spec = in_code();
    spec.farms[0].pue = 0.9;
    let err = Scenario::from_spec(spec).expect_err("pue below 1");
    assert_eq!(err.field(), Some("farms[0].pue"));
    assert_eq!(
        err.to_string(),
        "<spec>: farms[0].pue: must be in [1, 10], not 0.9"
    );
    // The file's error is the same, with the file's origin and position.
    let file_err = Scenario::from_toml_str(&SMALL.replace("pue = 1.05", "pue = 0.9"))
        .expect_err("pue below 1");
    assert_eq!(file_err.field(), Some("farms[0].pue"));
    assert!(
        file_err
            .to_string()
            .ends_with("farms[0].pue: must be in [1, 10], not 0.9"),
        "{file_err}"
    );

    let cases: Vec<(Change, &str)> = vec![
        (|s| s.step_days = 0, "step_days"),
        (|s| s.start_date = "2026-13-01".into(), "start_date"),
        (
            |s| s.network.difficulty_ehs = None,
            "network.difficulty_ehs",
        ),
        (|s| s.fees.volatility = Some(-1.0), "fees.volatility"),
        (|s| s.macro_.regimes.clear(), "macro.regimes"),
        (
            |s| s.macro_.regimes[0].btc_volatility = f64::NAN,
            "macro.regimes[0].btc_volatility",
        ),
        (
            |s| s.farms[0].opex_usd_per_mwh = 1e300,
            "farms[0].opex_usd_per_mwh",
        ),
        (|s| s.farms[0].fleet[0].units = 0, "farms[0].fleet[0].units"),
        (
            |s| s.farms[0].contract.kind = "spot".into(),
            "farms[0].contract.kind",
        ),
        (
            |s| s.farms[0].region = Some("texas".into()),
            "farms[0].region",
        ),
    ];
    for (change, field) in cases {
        let mut spec = in_code();
        change(&mut spec);
        match Scenario::from_spec(spec) {
            Err(ScenarioError::Invalid {
                origin,
                position,
                field: named,
                ..
            }) => {
                assert_eq!(origin, "<spec>");
                assert_eq!(position, None);
                assert_eq!(named, field);
            }
            other => panic!("{field}: {other:?}"),
        }
    }
}

#[test]
fn a_replay_is_read_relative_to_the_given_directory() {
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::write(
        dir.path().join("price.csv"),
        "date,usd\n2025-12-31,90000\n2027-01-01,95000\n",
    )
    .expect("write");
    let spec = in_code().with_btc_price(BtcPriceSpec {
        replay: Some(ReplaySpec::new("price.csv", "usd")),
        ..BtcPriceSpec::default()
    });
    let scenario = Scenario::from_spec_in(spec.clone(), dir.path()).expect("valid");
    assert_eq!(scenario.btc_price_replay().map(<[f64]>::len), Some(52));
    let err = Scenario::from_spec(spec).expect_err("no price.csv here");
    assert_eq!(err.field(), Some("btc_price.replay.file"));
}

/// `Default` is the format's default for every key a file may leave out.
#[test]
fn defaults_are_the_formats() {
    fn read<T: serde::de::DeserializeOwned>(text: &str) -> T {
        toml::from_str(text).expect("valid")
    }
    assert_eq!(
        read::<FarmSpec>("name = \"f\"\nfleet = []\ncontract = { kind = \"fixed\" }"),
        FarmSpec {
            name: "f".into(),
            contract: ContractSpec {
                kind: "fixed".into(),
                ..ContractSpec::default()
            },
            ..FarmSpec::default()
        }
    );
    assert_eq!(
        read::<RegimeSpec>("name = \"r\"\nbtc_drift = 0.1\nbtc_volatility = 0.4"),
        RegimeSpec::new("r", 0.1, 0.4)
    );
    assert_eq!(
        read::<ReplaySpec>("file = \"a.csv\"\nvalue_column = \"v\""),
        ReplaySpec::new("a.csv", "v")
    );
    assert_eq!(
        read::<RegionalMinersSpec>("efficiency_j_per_th = 20.0"),
        RegionalMinersSpec {
            efficiency_j_per_th: 20.0,
            ..RegionalMinersSpec::default()
        }
    );
    assert_eq!(
        read::<DataCenterSpec>(
            "name = \"d\"\nregion = \"r\"\ncapex_median_usd = 1e9\ncost_median_usd_per_mw = 1e7\nstart_date = \"2026-01-01\"\nbuild_days = 0"
        ),
        DataCenterSpec {
            name: "d".into(),
            region: "r".into(),
            capex_median_usd: 1e9,
            cost_median_usd_per_mw: 1e7,
            start_date: "2026-01-01".into(),
            ..DataCenterSpec::default()
        }
    );
    assert_eq!(
        read::<InvestmentSpec>(
            "frontier_efficiency_j_per_th = 15.0\nmachine_cost_usd_per_th = 14.0\nsite_power_price_usd_per_mwh = 40.0\nhurdle_rate = 0.25\nresponse_ehs_per_year = 300.0\npower_available_mw = 5000.0"
        ),
        InvestmentSpec {
            frontier_efficiency_j_per_th: 15.0,
            machine_cost_usd_per_th: 14.0,
            site_power_price_usd_per_mwh: 40.0,
            hurdle_rate: 0.25,
            response_ehs_per_year: 300.0,
            power_available_mw: 5000.0,
            ..InvestmentSpec::default()
        }
    );
    assert_eq!(read::<OutputsSpec>(""), OutputsSpec::default());
    assert_eq!(read::<HoursSpec>(""), HoursSpec::default());
    assert_eq!(read::<RenewalSpec>(""), RenewalSpec::default());
    assert_eq!(read::<FeesSpec>(""), FeesSpec::default());
    assert_eq!(
        read::<LotSpec>("model = \"S21\"\nunits = 3"),
        LotSpec::new("S21", 3)
    );
    assert_eq!(
        read::<NetworkSpec>("height = 1\ndifficulty_ehs = 2.0"),
        NetworkSpec::new(1, 2.0)
    );
    assert_eq!(
        read::<PowerFactorSpec>("mean_reversion = 1.0\nvolatility = 0.2"),
        PowerFactorSpec::new(1.0, 0.2)
    );
}

#[test]
fn unknown_keys_are_refused_in_a_spec_read_from_toml() {
    let err = toml::from_str::<FarmSpec>(
        "name = \"f\"\nfleet = []\ncontract = { kind = \"fixed\" }\npeu = 1.0",
    )
    .expect_err("misspelt key");
    assert!(err.to_string().contains("unknown field `peu`"), "{err}");
}

#[test]
fn public_types_are_send_and_sync() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Scenario>();
    send_sync::<ScenarioSpec>();
    send_sync::<ScenarioError>();
}
