//! Hashrate growth over a run: annualised rates and first crossings of
//! levels, per path, checked against the paths' traces.

use hashwatt::engine::trace;
use hashwatt::{RunConfig, Scenario, simulate};

fn reference(levels: &str) -> Scenario {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/reference-core.toml");
    let text = std::fs::read_to_string(path).expect("reference-core");
    let text = text.replacen("\n[network]", &format!("\n{levels}\n[network]"), 1);
    Scenario::from_toml_str(&text).expect("valid")
}

#[test]
fn growth_and_levels_are_those_of_the_paths() {
    let levels = [1050.0, 1100.0, 1140.0];
    let s = reference("hashrate_levels_ehs = [1050.0, 1100.0, 1140.0]");
    assert_eq!(s.hashrate_levels_ehs(), levels);
    let paths = 96;
    let summary = simulate(&s, &RunConfig::new(5, paths)).expect("runs");
    let span = f64::from(s.step_days()) * (s.steps() - 1) as f64;
    let mut rates = Vec::new();
    let mut reached: Vec<Vec<f64>> = vec![Vec::new(); levels.len()];
    for p in 0..paths {
        let t = trace(&s, 5, p);
        let h = t.series("hashrate_ehs").expect("recorded");
        rates.push((h[h.len() - 1] / h[0]).powf(365.0 / span) - 1.0);
        for (k, &level) in levels.iter().enumerate() {
            if let Some(step) = h.iter().position(|&x| x >= level) {
                reached[k].push(f64::from(s.step_days()) * step as f64);
            }
        }
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let growth = &summary.hashrate_growth();
    let got = growth.annualised().statistics();
    assert_eq!(got.n, paths);
    assert!((got.mean - mean(&rates)).abs() <= 1e-12 * mean(&rates).abs().max(1e-3));
    for (k, level) in growth.levels().iter().enumerate() {
        assert_eq!(level.level_ehs(), levels[k]);
        assert_eq!(
            level.days().count(),
            reached[k].len() as u64,
            "level {}",
            levels[k]
        );
        if !reached[k].is_empty() {
            let want = mean(&reached[k]);
            assert!((level.days().statistics().mean - want).abs() <= 1e-9 * want.max(1.0));
        }
    }
    // The levels are chosen so that some paths reach some and not others.
    let counts: Vec<u64> = growth.levels().iter().map(|l| l.days().count()).collect();
    assert!(counts.iter().any(|&c| c > 0 && c < paths), "{counts:?}");
}

#[test]
fn default_levels_follow_the_starting_difficulty() {
    let s = reference("");
    // reference-core starts at 1 000 EH/s: 1.25, 1.5 and 2 times that.
    assert_eq!(s.network().difficulty_ehs, 1000.0);
    assert_eq!(s.hashrate_levels_ehs(), [1250.0, 1500.0, 2000.0]);
}

#[test]
fn bad_levels_are_refused_naming_the_field() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/reference-core.toml");
    let text = std::fs::read_to_string(path).expect("reference-core");
    for (levels, field, says) in [
        ("[800.0, 500.0]", "hashrate_levels_ehs[1]", "increase"),
        ("[-1.0]", "hashrate_levels_ehs[0]", "> 0"),
        (
            "[1, 2, 3, 4, 5, 6, 7, 8, 9]",
            "hashrate_levels_ehs",
            "at most 8",
        ),
    ] {
        let broken = text.replacen(
            "\n[network]",
            &format!("\nhashrate_levels_ehs = {levels}\n[network]"),
            1,
        );
        let err = Scenario::from_toml_str(&broken).expect_err("refused");
        assert_eq!(err.field(), Some(field), "{err}");
        assert!(err.to_string().contains(says), "{err}");
        assert!(err.to_string().starts_with("<string>:"), "{err}");
    }
}
