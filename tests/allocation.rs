//! Interconnection allocation policies: properties that must hold for any
//! queue and headroom.

use hashwatt::model::allocation::{Allocator, Policy, Request, Requester};
use proptest::prelude::*;

fn request() -> impl Strategy<Value = Request> {
    (any::<bool>(), 0.0..500.0f64, 0u32..400, 0.0..2e5f64).prop_map(|(dc, mw, day, bid)| Request {
        requester: if dc {
            Requester::DataCenter
        } else {
            Requester::Miner
        },
        mw,
        requested_day: f64::from(day),
        bid_usd_per_mw_year: bid,
    })
}

fn run(policy: Policy, headroom: f64, queue: &[Request]) -> Vec<f64> {
    let mut granted = vec![f64::NAN; queue.len()];
    let total = Allocator::default().allocate(policy, headroom, queue, &mut granted);
    assert_eq!(total, granted.iter().sum::<f64>());
    granted
}

proptest! {
    #[test]
    fn grants_are_bounded_and_work_conserving(
        queue in prop::collection::vec(request(), 0..12),
        headroom in -50.0..2000.0f64,
        p in 0usize..4,
    ) {
        let policy = Policy::ALL[p];
        let granted = run(policy, headroom, &queue);
        let total: f64 = granted.iter().sum();
        let asked: f64 = queue.iter().map(|r| r.mw).sum();
        // Each grant is at most what is left, so the grants never exceed the
        // headroom; adding them up again may round up by an ulp or so.
        prop_assert!(total <= headroom.max(0.0) * (1.0 + 1e-12), "{policy}: {total} > {headroom}");
        for (g, r) in granted.iter().zip(&queue) {
            prop_assert!(*g >= 0.0 && *g <= r.mw, "{policy}: grant {g} of {}", r.mw);
        }
        // Nothing is left idle while someone waits (up to rounding).
        let expect = asked.min(headroom.max(0.0));
        prop_assert!((total - expect).abs() <= 1e-9 * expect.max(1.0), "{policy}: {total} vs {expect}");
    }

    #[test]
    fn ai_first_serves_no_miner_while_data_centers_wait(
        queue in prop::collection::vec(request(), 0..12),
        headroom in 0.0..2000.0f64,
    ) {
        let granted = run(Policy::AiFirst, headroom, &queue);
        let dc_waiting = granted.iter().zip(&queue)
            .any(|(g, r)| r.requester == Requester::DataCenter && *g < r.mw);
        let miner_served = granted.iter().zip(&queue)
            .any(|(g, r)| r.requester == Requester::Miner && *g > 0.0);
        prop_assert!(!(dc_waiting && miner_served));
    }

    #[test]
    fn pro_rata_shares_are_proportional(
        queue in prop::collection::vec(request(), 1..12),
        headroom in 0.0..2000.0f64,
    ) {
        let granted = run(Policy::ProRata, headroom, &queue);
        let asked: f64 = queue.iter().map(|r| r.mw).sum();
        let share = if asked > headroom { headroom / asked } else { 1.0 };
        for (g, r) in granted.iter().zip(&queue) {
            prop_assert!((g - r.mw * share).abs() <= 1e-9 * r.mw.max(1.0));
        }
    }

    #[test]
    fn auction_serves_higher_bids_first(
        queue in prop::collection::vec(request(), 1..12),
        headroom in 0.0..2000.0f64,
    ) {
        let granted = run(Policy::Auction, headroom, &queue);
        for (i, a) in queue.iter().enumerate() {
            for (j, b) in queue.iter().enumerate() {
                // A bidder that got less than it asked outbids no one who got anything.
                if a.bid_usd_per_mw_year > b.bid_usd_per_mw_year && granted[i] < a.mw {
                    prop_assert!(granted[j] == 0.0, "bid {} waits, lower bid {} served", a.bid_usd_per_mw_year, b.bid_usd_per_mw_year);
                }
            }
        }
    }

    #[test]
    fn first_come_serves_earlier_requests_first(
        queue in prop::collection::vec(request(), 1..12),
        headroom in 0.0..2000.0f64,
    ) {
        let granted = run(Policy::FirstCome, headroom, &queue);
        for (i, a) in queue.iter().enumerate() {
            for (j, b) in queue.iter().enumerate() {
                if a.requested_day < b.requested_day && granted[i] < a.mw {
                    prop_assert!(granted[j] == 0.0);
                }
            }
        }
    }
}

#[test]
fn ai_first_grants_miners_less_than_first_come_when_capacity_binds() {
    // Miners asked first; data centers later; the headroom binds.
    let queue: Vec<Request> = (0..6)
        .map(|i| Request {
            requester: if i < 3 {
                Requester::Miner
            } else {
                Requester::DataCenter
            },
            mw: 100.0,
            requested_day: f64::from(i),
            bid_usd_per_mw_year: 0.0,
        })
        .collect();
    let miners = |g: &[f64]| g[..3].iter().sum::<f64>();
    let ai = run(Policy::AiFirst, 350.0, &queue);
    let fc = run(Policy::FirstCome, 350.0, &queue);
    assert_eq!(miners(&ai), 50.0);
    assert_eq!(miners(&fc), 300.0);
}

#[test]
fn policies_round_trip_their_names() {
    for p in Policy::ALL {
        assert_eq!(p.name().parse::<Policy>(), Ok(p));
    }
    let err = "lottery".parse::<Policy>().unwrap_err();
    assert!(err.to_string().contains("lottery"));
}
