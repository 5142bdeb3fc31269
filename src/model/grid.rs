//! A region's supply stack and the clearing of its load (model.md §4).
//!
//! The stack is a list of tranches `(MW, marginal cost, fuel-linked)`.
//! Fuel-linked costs move with the power factor and the macro regime:
//! `cost · exp(X) · fuel_multiplier`, which can change the merit order.
//! The wholesale price is the cost of the tranche where total load falls;
//! load beyond the stack pays the scarcity cap and is curtailed.
//!
//! Clearing places the inflexible load (baseline and connected data
//! centers) first; flexible loads (miners) bid at their breakeven and are
//! served from the highest bid down, each up to the capacity whose cost is
//! at or below its bid, so that no served miner pays more than it bid.

use serde::Serialize;

/// One tranche of supply.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Tranche {
    /// Capacity, MW.
    pub mw: f64,
    /// Marginal cost at `X = 0` and a fuel multiplier of 1, USD/MWh.
    pub cost_usd_per_mwh: f64,
    /// Whether the cost moves with fuel prices.
    pub fuel_linked: bool,
}

/// A region's supply: tranches and the scarcity cap above them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SupplyStack {
    tranches: Vec<Tranche>,
    scarcity_cap: f64,
    /// The tranches that are not fuel-linked, and those that are, each by
    /// base cost: one factor scales a whole group, so each group keeps its
    /// order and a merit order is a merge of the two. Laid out flat (index,
    /// cost, MW), so that the merge reads neither `tranches` nor an index.
    #[serde(skip)]
    by_cost: [Vec<Ranked>; 2],
}

/// A tranche in its group's cost order: its index among the tranches, its
/// MW, and its cost (capped, for the tranches that are not fuel-linked;
/// before the fuel scale, for those that are).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Ranked {
    index: usize,
    cost: f64,
    mw: f64,
}

/// Why a supply stack was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum StackError {
    /// A tranche's capacity is negative or not finite.
    #[error("tranche {0}: capacity must be finite and ≥ 0")]
    Capacity(usize),
    /// A tranche's cost is negative or not finite.
    #[error("tranche {0}: marginal cost must be finite and ≥ 0")]
    Cost(usize),
    /// The cap is not finite or below a tranche's cost.
    #[error("scarcity cap must be finite and at least every tranche's cost")]
    Cap,
}

impl SupplyStack {
    /// A stack of `tranches` under `scarcity_cap` USD/MWh.
    ///
    /// # Errors
    /// [`StackError`] naming the tranche (from 0) with a negative or
    /// non-finite capacity or cost, or a cap below a cost.
    pub fn new(tranches: Vec<Tranche>, scarcity_cap: f64) -> Result<SupplyStack, StackError> {
        for (i, t) in tranches.iter().enumerate() {
            if !(t.mw.is_finite() && t.mw >= 0.0) {
                return Err(StackError::Capacity(i));
            }
            if !(t.cost_usd_per_mwh.is_finite() && t.cost_usd_per_mwh >= 0.0) {
                return Err(StackError::Cost(i));
            }
        }
        let top = tranches
            .iter()
            .map(|t| t.cost_usd_per_mwh)
            .fold(0.0, f64::max);
        if !(scarcity_cap.is_finite() && scarcity_cap >= top) {
            return Err(StackError::Cap);
        }
        let group = |fuel_linked: bool| {
            let mut order: Vec<usize> = (0..tranches.len())
                .filter(|&i| tranches[i].fuel_linked == fuel_linked)
                .collect();
            order.sort_by(|&a, &b| {
                tranches[a]
                    .cost_usd_per_mwh
                    .total_cmp(&tranches[b].cost_usd_per_mwh)
            });
            // The cost of a tranche that is not fuel-linked is the same at
            // every step: cap it once (`· 1.0` is exact).
            let cost = |t: &Tranche| match fuel_linked {
                false => t.cost_usd_per_mwh.min(scarcity_cap),
                true => t.cost_usd_per_mwh,
            };
            order
                .into_iter()
                .map(|index| Ranked {
                    index,
                    cost: cost(&tranches[index]),
                    mw: tranches[index].mw,
                })
                .collect::<Vec<Ranked>>()
        };
        let by_cost = [group(false), group(true)];
        Ok(SupplyStack {
            tranches,
            scarcity_cap,
            by_cost,
        })
    }

    /// The scarcity cap, USD/MWh.
    pub fn scarcity_cap(&self) -> f64 {
        self.scarcity_cap
    }

    /// The tranches, in the order given.
    pub fn tranches(&self) -> &[Tranche] {
        &self.tranches
    }

    /// Sorts the tranches by their cost under fuel scaling `fuel_scale`
    /// (`exp(X)·fuel_multiplier`) into `order`, reusing its buffers.
    pub fn merit_order(&self, fuel_scale: f64, order: &mut MeritOrder) {
        let [fixed, fuel] = &self.by_cost;
        order.merge((fixed, fuel), fuel_scale, self.scarcity_cap);
    }

    /// [`SupplyStack::merit_order`] of the tranches `i` with `available(i)`
    /// only (capacity additions not yet in service are left out).
    pub fn merit_order_of(
        &self,
        fuel_scale: f64,
        available: impl Fn(usize) -> bool,
        order: &mut MeritOrder,
    ) {
        let mut in_service = std::mem::take(&mut order.in_service);
        self.in_service(available, &mut in_service);
        self.merit_order_in(&in_service, fuel_scale, order);
        order.in_service = in_service;
    }

    /// Writes the tranches `i` with `available(i)` into `into`, reusing its
    /// buffers: what [`SupplyStack::merit_order_in`] merges. A path keeps
    /// them from step to step, as capacity comes into service rarely.
    pub fn in_service(&self, available: impl Fn(usize) -> bool, into: &mut InService) {
        for (group, all) in into.by_cost.iter_mut().zip(&self.by_cost) {
            group.clear();
            group.extend(all.iter().filter(|t| available(t.index)));
        }
    }

    /// [`SupplyStack::merit_order`] of the tranches `in_service` (from
    /// [`SupplyStack::in_service`] of this stack).
    pub fn merit_order_in(&self, in_service: &InService, fuel_scale: f64, order: &mut MeritOrder) {
        let [fixed, fuel] = &in_service.by_cost;
        order.merge((fixed, fuel), fuel_scale, self.scarcity_cap);
    }
}

/// Some tranches of a [`SupplyStack`] (those in service), by group and cost:
/// see [`SupplyStack::in_service`].
#[derive(Debug, Clone, Default)]
pub struct InService {
    by_cost: [Vec<Ranked>; 2],
}

/// Tranches in merit order at one step: `(cost, cumulative MW)`.
#[derive(Debug, Clone, Default)]
pub struct MeritOrder {
    steps: Vec<(f64, f64)>,
    cap: f64,
    /// Whether the costs never decrease along `steps` (the merge of two
    /// groups in cost order): then the searches are binary.
    by_cost: bool,
    /// The buffers of [`SupplyStack::merit_order_of`].
    in_service: InService,
}

impl MeritOrder {
    /// The merge of the tranches `fixed` (not fuel-linked, costs capped
    /// already) and `fuel` (fuel-linked, scaled by `fuel_scale` and capped
    /// at `cap` here), each in cost order, by cost; on a tie the tranche
    /// given first goes first. Cumulative MW are summed in that order.
    // `!(fuel_scale < 0)`: a NaN scale caps every fuel-linked cost, which
    // keeps them in order.
    #[allow(clippy::neg_cmp_op_on_partial_ord)]
    fn merge(&mut self, (fixed, fuel): (&[Ranked], &[Ranked]), fuel_scale: f64, cap: f64) {
        let steps = &mut self.steps;
        steps.clear();
        steps.reserve(fixed.len() + fuel.len());
        let scaled = |t: &Ranked| (t.cost * fuel_scale).min(cap);
        let (mut i, mut j) = (0, 0);
        let mut total = 0.0;
        while let (Some(x), Some(y)) = (fixed.get(i), fuel.get(j)) {
            let cy = scaled(y);
            let first = x.cost < cy || (x.cost == cy && x.index < y.index);
            let (cost, mw) = if first { (x.cost, x.mw) } else { (cy, y.mw) };
            i += usize::from(first);
            j += usize::from(!first);
            total += mw;
            steps.push((cost, total));
        }
        for x in &fixed[i..] {
            total += x.mw;
            steps.push((x.cost, total));
        }
        for y in &fuel[j..] {
            total += y.mw;
            steps.push((scaled(y), total));
        }
        self.cap = cap;
        // A negative scale reverses the fuel-linked group: the merge is then
        // not in cost order, and the searches below must scan.
        self.by_cost = !(fuel_scale < 0.0);
    }

    /// Total capacity, MW.
    pub fn capacity(&self) -> f64 {
        self.steps.last().map_or(0.0, |s| s.1)
    }

    /// Wholesale price at total load `mw`: the cost of the tranche where the
    /// load falls (the cheapest for no load), the cap beyond the stack.
    #[inline]
    #[allow(clippy::neg_cmp_op_on_partial_ord)]
    pub fn price_at(&self, mw: f64) -> f64 {
        // Cumulative MW never decrease (capacities are ≥ 0): the first step
        // that holds `mw` is a partition point. A NaN load is held nowhere:
        // hence `!(mw <= c)`, not `mw > c`.
        let i = self
            .steps
            .partition_point(|&(_, cumulative)| !(mw <= cumulative));
        self.steps.get(i).map_or(self.cap, |&(cost, _)| cost)
    }

    /// Capacity whose cost is at or below `price`, MW.
    #[inline]
    pub fn mw_at_or_below(&self, price: f64) -> f64 {
        // Every cost is capped: a bid at the cap (a load that takes its
        // power whatever the price) reaches the whole stack.
        if price >= self.cap {
            return self.capacity();
        }
        let n = if self.by_cost {
            self.steps.partition_point(|&(cost, _)| cost <= price)
        } else {
            self.steps
                .iter()
                .take_while(|&&(cost, _)| cost <= price)
                .count()
        };
        match n {
            0 => 0.0,
            n => self.steps[n - 1].1,
        }
    }
}

/// A flexible load's demand bid.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bid {
    /// MW wanted.
    pub mw: f64,
    /// Highest price it pays, USD/MWh (its breakeven).
    pub price: f64,
}

/// The outcome of clearing one step's load.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Clearing {
    /// Wholesale price, USD/MWh.
    pub price: f64,
    /// Inflexible load served, MW.
    pub inflexible_served_mw: f64,
    /// Inflexible load curtailed for lack of supply, MW.
    pub curtailed_mw: f64,
    /// Flexible load served, MW.
    pub flexible_served_mw: f64,
}

/// Clears `inflexible_mw` and the `bids` against `order`; writes each bid's
/// served MW into `served` (same order and length as `bids`). `scratch`
/// holds the bid order between calls.
///
/// # Example
/// ```
/// use hashwatt::model::grid::{clear, Bid, MeritOrder, SupplyStack, Tranche};
/// let stack = SupplyStack::new(vec![
///     Tranche { mw: 100.0, cost_usd_per_mwh: 20.0, fuel_linked: false },
///     Tranche { mw: 100.0, cost_usd_per_mwh: 60.0, fuel_linked: true },
/// ], 5000.0)?;
/// let mut order = MeritOrder::default();
/// stack.merit_order(1.0, &mut order);
/// let bids = [Bid { mw: 50.0, price: 40.0 }, Bid { mw: 50.0, price: 80.0 }];
/// let mut served = [0.0; 2];
/// let c = clear(&order, 80.0, &bids, &mut served, &mut Vec::new());
/// // The 80-USD miner takes the rest of the cheap tranche and 30 MW of the
/// // dear one; the 40-USD miner gets nothing at 60.
/// assert_eq!(served, [0.0, 50.0]);
/// assert_eq!(c.price, 60.0);
/// # Ok::<(), hashwatt::model::grid::StackError>(())
/// ```
pub fn clear(
    order: &MeritOrder,
    inflexible_mw: f64,
    bids: &[Bid],
    served: &mut [f64],
    scratch: &mut Vec<usize>,
) -> Clearing {
    served.fill(0.0);
    let capacity = order.capacity();
    let inflexible = inflexible_mw.max(0.0);
    if inflexible > capacity {
        return Clearing {
            price: order.cap,
            inflexible_served_mw: capacity,
            curtailed_mw: inflexible - capacity,
            flexible_served_mw: 0.0,
        };
    }
    // A bid of +0 MW is served 0 and moves no load: leave it out.
    scratch.clear();
    scratch.extend((0..bids.len()).filter(|&i| bids[i].mw.to_bits() != 0));
    sort_by_bid(scratch, bids);
    let mut load = inflexible;
    for &i in scratch.iter() {
        let bid = bids[i];
        let reach = order.mw_at_or_below(bid.price);
        let s = (reach - load).min(bid.mw).max(0.0);
        served[i] = s;
        if s > 0.0 {
            // `load + (reach − load)` can round one ulp past `reach`, into
            // the next tranche's price: never past what the bid reaches.
            load = (load + s).min(reach);
        }
    }
    Clearing {
        price: order.price_at(load),
        inflexible_served_mw: inflexible,
        curtailed_mw: 0.0,
        flexible_served_mw: load - inflexible,
    }
}

/// Sorts the bid indices `order` (ascending on entry) from the highest bid
/// down, ties in index order: an insertion sort, as a step has a handful of
/// bids, mostly in the order of the step before.
#[inline]
fn sort_by_bid(order: &mut [usize], bids: &[Bid]) {
    for j in 1..order.len() {
        let k = order[j];
        let price = bids[k].price;
        let mut at = j;
        // `total_cmp`: the order of `sort_by` with it (NaN bids first).
        while at > 0 && bids[order[at - 1]].price.total_cmp(&price).is_lt() {
            order[at] = order[at - 1];
            at -= 1;
        }
        order[at] = k;
    }
}
