//! Supply stack and clearing: properties for any stack, load and bids.

use hashwatt::model::grid::{Bid, MeritOrder, StackError, SupplyStack, Tranche, clear};
use proptest::prelude::*;

const CAP: f64 = 5000.0;

fn stack() -> impl Strategy<Value = SupplyStack> {
    prop::collection::vec((0.0..400.0f64, 0.0..300.0f64, any::<bool>()), 0..8).prop_map(|t| {
        let tranches = t
            .into_iter()
            .map(|(mw, cost, fuel_linked)| Tranche {
                mw,
                cost_usd_per_mwh: cost,
                fuel_linked,
            })
            .collect();
        SupplyStack::new(tranches, CAP).expect("valid stack")
    })
}

fn bids() -> impl Strategy<Value = Vec<Bid>> {
    prop::collection::vec(
        (0.0..300.0f64, 0.0..400.0f64).prop_map(|(mw, price)| Bid { mw, price }),
        0..8,
    )
}

proptest! {
    #[test]
    fn the_merit_order_prices_every_load_as_a_full_sort_would(s in stack(), fuel in 0.2..30.0f64, loads in prop::collection::vec(0.0..3500.0f64, 1..20), mask in any::<u8>()) {
        // Reference: scale, drop the unavailable tranches, sort by cost.
        let available = |i: usize| mask & (1 << (i % 8)) != 0;
        let mut steps: Vec<(f64, f64)> = s
            .tranches()
            .iter()
            .enumerate()
            .filter(|&(i, _)| available(i))
            .map(|(_, t)| {
                let scale = if t.fuel_linked { fuel } else { 1.0 };
                ((t.cost_usd_per_mwh * scale).min(CAP), t.mw)
            })
            .collect();
        steps.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut order = MeritOrder::default();
        s.merit_order_of(fuel, available, &mut order);
        let total: f64 = steps.iter().map(|x| x.1).sum();
        prop_assert!((order.capacity() - total).abs() <= 1e-9 * total.max(1.0));
        for mw in loads {
            let mut cumulative = 0.0;
            let want = steps
                .iter()
                .find(|&&(_, m)| {
                    cumulative += m;
                    mw <= cumulative
                })
                .map_or(CAP, |&(c, _)| c);
            prop_assert_eq!(order.price_at(mw), want, "load {}", mw);
        }
    }

    #[test]
    fn price_is_non_decreasing_in_load_and_fuel(s in stack(), a in 0.0..3000.0f64, b in 0.0..3000.0f64, fuel in 0.5..3.0f64) {
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        let mut order = MeritOrder::default();
        s.merit_order(fuel, &mut order);
        prop_assert!(order.price_at(lo) <= order.price_at(hi));
        let mut dearer = MeritOrder::default();
        s.merit_order(fuel * 1.5, &mut dearer);
        prop_assert!(order.price_at(hi) <= dearer.price_at(hi));
        prop_assert!(order.price_at(order.capacity() + 1.0) == CAP);
    }

    #[test]
    fn clearing_respects_supply_and_bids(s in stack(), inflexible in 0.0..2000.0f64, bids in bids()) {
        let mut order = MeritOrder::default();
        s.merit_order(1.0, &mut order);
        let mut served = vec![f64::NAN; bids.len()];
        let c = clear(&order, inflexible, &bids, &mut served, &mut Vec::new());
        let capacity = order.capacity();
        // Served load never exceeds the stack; what does not fit is curtailed.
        prop_assert!(c.inflexible_served_mw + c.flexible_served_mw <= capacity * (1.0 + 1e-12) + 1e-9);
        prop_assert!((c.inflexible_served_mw + c.curtailed_mw - inflexible).abs() <= 1e-9 * inflexible.max(1.0));
        if c.curtailed_mw > 0.0 {
            prop_assert_eq!(c.price, CAP);
            prop_assert!(served.iter().all(|&x| x == 0.0));
        }
        let load = c.inflexible_served_mw + c.flexible_served_mw;
        for (b, &x) in bids.iter().zip(&served) {
            prop_assert!(x >= 0.0 && x <= b.mw);
            // No served miner pays more than it bid.
            if x > 0.0 {
                prop_assert!(c.price <= b.price, "served at {} above bid {}", c.price, b.price);
            }
            // A miner left short had no capacity left at or below its bid.
            if x < b.mw && c.curtailed_mw == 0.0 {
                prop_assert!(order.mw_at_or_below(b.price) <= load * (1.0 + 1e-12) + 1e-9);
            }
        }
    }
}

#[test]
fn bad_stacks_are_refused_with_the_tranche() {
    let t = |mw: f64, cost: f64| Tranche {
        mw,
        cost_usd_per_mwh: cost,
        fuel_linked: false,
    };
    assert_eq!(
        SupplyStack::new(vec![t(10.0, 5.0), t(-1.0, 5.0)], CAP),
        Err(StackError::Capacity(1))
    );
    assert_eq!(
        SupplyStack::new(vec![t(10.0, f64::NAN)], CAP),
        Err(StackError::Cost(0))
    );
    assert_eq!(
        SupplyStack::new(vec![t(10.0, 6000.0)], CAP),
        Err(StackError::Cap)
    );
}
