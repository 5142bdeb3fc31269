//! A region's baseline load and capacity additions.

use hashwatt::engine::stream;
use hashwatt::model::region::{BaselineLoad, CapacityAddition, capacity_mw, draw_in_service_days};

fn baseline(growth: f64) -> BaselineLoad {
    BaselineLoad::new(60_000.0, growth, 0.15, 210.0, 0.0, 0.05).expect("valid load")
}

#[test]
fn season_and_growth_shape_the_mean() {
    let load = baseline(0.04);
    let peak = load.mean_mw(210.0);
    let trough = load.mean_mw(210.0 + 182.5);
    let growth = 1.04f64.powf(210.0 / 365.0);
    assert!((peak - 60_000.0 * growth * 1.15).abs() < 1e-6);
    assert!(trough < peak);
    // A year later: the same season, 4 % more.
    assert!((load.mean_mw(210.0 + 365.0) / peak - 1.04).abs() < 1e-12);
    assert!(
        load.peak_mw(0.0)
            >= (0..365)
                .map(|d| load.mean_mw(f64::from(d)))
                .fold(0.0, f64::max)
    );
    let shrinking = baseline(-0.1);
    assert!(
        shrinking.peak_mw(0.0)
            >= (0..365)
                .map(|d| shrinking.mean_mw(f64::from(d)))
                .fold(0.0, f64::max)
    );
}

/// The noise is mean-one lognormal: E[L] = mean, Var[ln L] = σ_L².
#[test]
fn noise_keeps_the_mean() {
    let load = baseline(0.04);
    let n = 40_000u64;
    let day = 100.0;
    let draws: Vec<f64> = (0..n)
        .map(|i| load.draw_mw(day, &mut stream(2, i, "region.test")))
        .collect();
    let nf = n as f64;
    let mean = draws.iter().sum::<f64>() / nf;
    let want = load.mean_mw(day);
    let sd = want * ((load.noise() * load.noise()).exp() - 1.0).sqrt();
    assert!(
        (mean - want).abs() <= 4.0 * sd / nf.sqrt(),
        "{mean} vs {want}"
    );
    let logs: Vec<f64> = draws.iter().map(|x| x.ln()).collect();
    let m = logs.iter().sum::<f64>() / nf;
    let var = logs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (nf - 1.0);
    let v = load.noise() * load.noise();
    assert!(
        (var - v).abs() <= 4.0 * (2.0 * v * v / nf).sqrt(),
        "{var} vs {v}"
    );
}

#[test]
fn additions_arrive_after_a_lognormal_delay() {
    let adds = [
        CapacityAddition::new(1000.0, 365.0, 180.0, 0.5).expect("valid"),
        CapacityAddition::new(500.0, 30.0, 0.0, 0.0).expect("valid"),
    ];
    let n = 40_000u64;
    let mut days = [0.0; 2];
    let mut by_median = 0u64;
    for i in 0..n {
        draw_in_service_days(&adds, &mut stream(6, i, "region.test"), &mut days);
        assert!(days[0] > 365.0);
        assert_eq!(days[1], 30.0);
        if days[0] <= 365.0 + 180.0 {
            by_median += 1;
        }
        // Capacity steps up exactly when each addition is in service.
        assert_eq!(capacity_mw(50_000.0, &adds, &days, 29.0), 50_000.0);
        assert_eq!(capacity_mw(50_000.0, &adds, &days, 30.0), 50_500.0);
        assert_eq!(capacity_mw(50_000.0, &adds, &days, days[0]), 51_500.0);
    }
    // Half the delays are below the median.
    let share = by_median as f64 / n as f64;
    assert!(
        (share - 0.5).abs() <= 4.0 * (0.25 / n as f64).sqrt(),
        "{share}"
    );
}
