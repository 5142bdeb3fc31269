//! Political regimes of a region: elections and the chain between them.

use hashwatt::engine::stream;
use hashwatt::model::allocation::Policy;
use hashwatt::model::politics::{Election, PoliticalChain, PoliticalRegime, PoliticsError};

fn regime(name: &str, policy: Policy, adder: f64, banned: bool) -> PoliticalRegime {
    PoliticalRegime {
        name: name.into(),
        policy,
        mining_adder_usd_per_mwh: adder,
        mining_banned: banned,
    }
}

fn regimes() -> Vec<PoliticalRegime> {
    vec![
        regime("neutral", Policy::FirstCome, 0.0, false),
        regime("ai_priority", Policy::AiFirst, 5.0, false),
        regime("mining_ban", Policy::AiFirst, 0.0, true),
    ]
}

const NO_RATES: [[f64; 3]; 3] = [[0.0; 3]; 3];

fn rates(r: [[f64; 3]; 3]) -> Vec<Vec<f64>> {
    r.iter().map(|row| row.to_vec()).collect()
}

#[test]
fn certain_elections_switch_on_their_day_only() {
    let chain = PoliticalChain::new(
        regimes(),
        &rates(NO_RATES),
        0,
        vec![
            Election {
                day: 20.0,
                outcome: vec![1.0, 0.0, 0.0],
            },
            Election {
                day: 10.0,
                outcome: vec![0.0, 0.0, 1.0],
            },
        ],
        1.0 / 365.0,
    )
    .expect("valid");
    let mut rng = stream(1, 0, "politics.test");
    let mut state = chain.initial();
    let mut path = Vec::new();
    for day in 0..30 {
        state = chain.step(state, f64::from(day), 1.0, &mut rng);
        path.push(state);
    }
    assert!(path[..10].iter().all(|&s| s == 0));
    assert!(path[10..20].iter().all(|&s| s == 2), "{path:?}");
    assert!(path[20..].iter().all(|&s| s == 0));
    // A weekly step that contains the election day sees it too.
    assert_eq!(chain.step(0, 7.0, 7.0, &mut rng), 2);
    assert!(chain.regimes()[2].mining_banned);
}

#[test]
fn an_uncertain_election_draws_its_outcome() {
    let outcome = vec![0.5, 0.3, 0.2];
    let chain = PoliticalChain::new(
        regimes(),
        &rates(NO_RATES),
        1,
        vec![Election {
            day: 3.0,
            outcome: outcome.clone(),
        }],
        1.0 / 365.0,
    )
    .expect("valid");
    let n = 40_000u64;
    let mut counts = [0u64; 3];
    for i in 0..n {
        let mut rng = stream(9, i, "politics.test");
        counts[chain.step(1, 3.0, 1.0, &mut rng)] += 1;
    }
    for (k, &p) in outcome.iter().enumerate() {
        let share = counts[k] as f64 / n as f64;
        let se = (p * (1.0 - p) / n as f64).sqrt();
        assert!((share - p).abs() <= 4.0 * se, "regime {k}: {share} vs {p}");
    }
}

#[test]
fn the_chain_moves_between_elections() {
    // Leave "neutral" at 12 per year for "ai_priority", nothing else: after
    // a 30-day step the share that moved is 1 − exp(−12·30/365).
    let mut r = NO_RATES;
    r[0][1] = 12.0;
    let chain = PoliticalChain::new(regimes(), &rates(r), 0, vec![], 30.0 / 365.0).expect("valid");
    let n = 40_000u64;
    let moved = (0..n)
        .filter(|&i| chain.step(0, 0.0, 30.0, &mut stream(4, i, "politics.test")) == 1)
        .count() as f64
        / n as f64;
    let p = 1.0 - (-12.0f64 * 30.0 / 365.0).exp();
    let se = (p * (1.0 - p) / n as f64).sqrt();
    assert!((moved - p).abs() <= 4.0 * se, "{moved} vs {p}");
}

#[test]
fn bad_input_is_refused_with_its_place() {
    let e = |day: f64, outcome: Vec<f64>| Election { day, outcome };
    let make = |r: Vec<PoliticalRegime>, q: Vec<Vec<f64>>, initial: usize, el: Vec<Election>| {
        PoliticalChain::new(r, &q, initial, el, 1.0 / 365.0)
    };
    assert_eq!(
        make(vec![], vec![], 0, vec![]),
        Err(PoliticsError::NoRegime)
    );
    let mut bad = regimes();
    bad[1].mining_adder_usd_per_mwh = f64::NAN;
    assert_eq!(
        make(bad, rates(NO_RATES), 0, vec![]),
        Err(PoliticsError::Adder(1))
    );
    assert_eq!(
        make(regimes(), vec![vec![0.0; 3]; 2], 0, vec![]),
        Err(PoliticsError::Rates)
    );
    let mut negative = NO_RATES;
    negative[2][0] = -1.0;
    assert_eq!(
        make(regimes(), rates(negative), 0, vec![]),
        Err(PoliticsError::Rates)
    );
    assert_eq!(
        make(regimes(), rates(NO_RATES), 3, vec![]),
        Err(PoliticsError::Initial(3))
    );
    let one = vec![1.0, 0.0, 0.0];
    assert_eq!(
        make(regimes(), rates(NO_RATES), 0, vec![e(-1.0, one.clone())]),
        Err(PoliticsError::Day(0))
    );
    assert_eq!(
        make(
            regimes(),
            rates(NO_RATES),
            0,
            vec![e(5.0, one.clone()), e(5.0, one.clone())]
        ),
        Err(PoliticsError::SameDay(1))
    );
    for outcome in [vec![0.5, 0.6, 0.0], vec![1.2, -0.2, 0.0], vec![1.0, 0.0]] {
        assert_eq!(
            make(
                regimes(),
                rates(NO_RATES),
                0,
                vec![e(5.0, one.clone()), e(9.0, outcome)]
            ),
            Err(PoliticsError::Outcome(1))
        );
    }
}
