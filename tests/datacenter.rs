//! AI data-center pipelines: the law of the MW requested and the ramp.

use hashwatt::engine::stream;
use hashwatt::model::datacenter::{Pipeline, PipelineError, PipelineParams};

const META: PipelineParams = PipelineParams {
    // One company's program: reported 23-70 bn USD, median ~40 bn.
    capex_median_usd: 40e9,
    capex_dispersion: 0.35,
    cost_median_usd_per_mw: 12e6,
    cost_dispersion: 0.25,
    start_day: 30.0,
    build_days: 730.0,
    load_factor: 0.8,
    curtailable: 0.0,
};

/// `ln MW ~ N(ln(capex/cost), s_capex² + s_cost²)`: its mean and variance
/// from 40 000 paths within 4 standard errors (normal: μ₄ = 3σ⁴).
#[test]
fn log_mw_is_normal_with_the_summed_dispersions() {
    let p = Pipeline::new(META).expect("valid");
    let n = 40_000u64;
    let logs: Vec<f64> = (0..n)
        .map(|i| p.draw_mw(&mut stream(3, i, "datacenter.test")).ln())
        .collect();
    let nf = n as f64;
    let mean = logs.iter().sum::<f64>() / nf;
    let var = logs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (nf - 1.0);
    let want_mean = (META.capex_median_usd / META.cost_median_usd_per_mw).ln();
    let want_var = META.capex_dispersion.powi(2) + META.cost_dispersion.powi(2);
    let se_mean = (want_var / nf).sqrt();
    let se_var = (2.0 * want_var * want_var / (nf - 1.0)).sqrt();
    assert!(
        (mean - want_mean).abs() <= 4.0 * se_mean,
        "{mean} vs {want_mean}"
    );
    assert!(
        (var - want_var).abs() <= 4.0 * se_var,
        "{var} vs {want_var}"
    );
}

#[test]
fn requests_ramp_over_the_build_period() {
    let p = Pipeline::new(META).expect("valid");
    assert_eq!(p.requested_by(0.0, 1000.0), 0.0);
    assert_eq!(p.requested_by(30.0, 1000.0), 0.0);
    assert_eq!(p.requested_by(30.0 + 365.0, 1000.0), 500.0);
    assert_eq!(p.requested_by(760.0, 1000.0), 1000.0);
    assert_eq!(p.requested_by(5000.0, 1000.0), 1000.0);
    let at_once = Pipeline::new(PipelineParams {
        build_days: 0.0,
        ..META
    })
    .expect("valid");
    assert_eq!(at_once.requested_by(30.0, 1000.0), 1000.0);
    assert_eq!(p.load_mw(1000.0), 800.0);
}

#[test]
fn bad_parameters_name_the_field() {
    let cases = [
        (
            PipelineParams {
                capex_median_usd: -1.0,
                ..META
            },
            "capex_median_usd",
        ),
        (
            PipelineParams {
                capex_dispersion: f64::NAN,
                ..META
            },
            "capex_dispersion",
        ),
        (
            PipelineParams {
                cost_median_usd_per_mw: 0.0,
                ..META
            },
            "cost_median_usd_per_mw",
        ),
        (
            PipelineParams {
                build_days: -5.0,
                ..META
            },
            "build_days",
        ),
        (
            PipelineParams {
                load_factor: 1.2,
                ..META
            },
            "load_factor",
        ),
        (
            PipelineParams {
                curtailable: -0.1,
                ..META
            },
            "curtailable",
        ),
    ];
    for (params, field) in cases {
        match Pipeline::new(params) {
            Err(PipelineError::OutOfRange { field: f, .. }) => assert_eq!(f, field),
            other => panic!("{field}: expected an error, got {other:?}"),
        }
    }
}
