//! A region's baseline load and capacity additions.

use hashwatt::engine::stream;
use hashwatt::model::region::{BaselineLoad, CapacityAddition, capacity_mw, draw_in_service_days};

const LOAD: BaselineLoad = BaselineLoad {
    initial_mw: 60_000.0,
    growth: 0.04,
    seasonal_amplitude: 0.15,
    peak_day_of_year: 210.0,
    start_day_of_year: 0.0,
    noise: 0.05,
};

#[test]
fn season_and_growth_shape_the_mean() {
    let peak = LOAD.mean_mw(210.0);
    let trough = LOAD.mean_mw(210.0 + 182.5);
    let growth = 1.04f64.powf(210.0 / 365.0);
    assert!((peak - 60_000.0 * growth * 1.15).abs() < 1e-6);
    assert!(trough < peak);
    // A year later: the same season, 4 % more.
    assert!((LOAD.mean_mw(210.0 + 365.0) / peak - 1.04).abs() < 1e-12);
    assert!(
        LOAD.peak_mw(0.0)
            >= (0..365)
                .map(|d| LOAD.mean_mw(f64::from(d)))
                .fold(0.0, f64::max)
    );
    let shrinking = BaselineLoad {
        growth: -0.1,
        ..LOAD
    };
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
    let n = 40_000u64;
    let day = 100.0;
    let draws: Vec<f64> = (0..n)
        .map(|i| LOAD.draw_mw(day, &mut stream(2, i, "region.test")))
        .collect();
    let nf = n as f64;
    let mean = draws.iter().sum::<f64>() / nf;
    let want = LOAD.mean_mw(day);
    let sd = want * ((LOAD.noise * LOAD.noise).exp() - 1.0).sqrt();
    assert!(
        (mean - want).abs() <= 4.0 * sd / nf.sqrt(),
        "{mean} vs {want}"
    );
    let logs: Vec<f64> = draws.iter().map(|x| x.ln()).collect();
    let m = logs.iter().sum::<f64>() / nf;
    let var = logs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (nf - 1.0);
    let v = LOAD.noise * LOAD.noise;
    assert!(
        (var - v).abs() <= 4.0 * (2.0 * v * v / nf).sqrt(),
        "{var} vs {v}"
    );
}

#[test]
fn additions_arrive_after_a_lognormal_delay() {
    let adds = [
        CapacityAddition {
            mw: 1000.0,
            planned_day: 365.0,
            delay_median_days: 180.0,
            delay_dispersion: 0.5,
        },
        CapacityAddition {
            mw: 500.0,
            planned_day: 30.0,
            delay_median_days: 0.0,
            delay_dispersion: 0.0,
        },
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
