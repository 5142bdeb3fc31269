//! Blocks, halvings and retargets inside a step, hashprice and breakeven
//! (model.md §1.3-1.8, [core]).
//!
//! Difficulty is carried as `HD`, the hashrate (EH/s) at which blocks arrive
//! every 600 s. Heights are fluid (a step finds `144·Δ·H/HD` blocks, not an
//! integer), and a step is walked in segments so that a retarget or a halving
//! inside it takes effect at the right block. Bitcoin's off-by-one (a
//! retarget measures 2015 intervals, not 2016) is ignored, as model.md says.

use serde::Serialize;

use super::consensus::{COIN_SAT, HALVING_INTERVAL, subsidy_sat};
use super::units::MWH_PER_PH_DAY_PER_J_TH;

/// Blocks per day at the target spacing of 600 s.
pub const BLOCKS_PER_DAY: f64 = 144.0;
/// Blocks per difficulty epoch.
pub const EPOCH_BLOCKS: f64 = 2016.0;
/// Days per difficulty epoch at the target spacing.
pub const EPOCH_DAYS: f64 = 14.0;

/// The network's state carried by a path from one step to the next.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct NetworkState {
    /// Block height (fluid: fractional between whole blocks).
    pub height: f64,
    /// Difficulty as the hashrate at 600 s spacing, EH/s.
    pub difficulty_ehs: f64,
    /// Blocks found since the last retarget (`eb`).
    pub epoch_blocks: f64,
    /// Days elapsed since the last retarget (`ed`).
    pub epoch_days: f64,
}

/// What a step produced: blocks found and the subsidy they paid.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StepBlocks {
    /// Blocks found in the step (fluid).
    pub blocks: f64,
    /// Subsidy of those blocks, BTC, split at any halving crossed.
    pub subsidy_btc: f64,
}

/// The subsidy of the block at (fluid) height `height`, in BTC.
///
/// # Example
/// ```
/// use hashwatt::model::network::subsidy_btc;
/// assert_eq!(subsidy_btc(1_049_999.5), 3.125);
/// assert_eq!(subsidy_btc(1_050_000.0), 1.5625);
/// ```
#[inline]
pub fn subsidy_btc(height: f64) -> f64 {
    subsidy_sat(height as u64) as f64 / COIN_SAT as f64
}

/// Subsidy paid by the blocks in `[from, from + blocks)`, BTC:
/// `Σ (c − a)·S(era)` over the parts `[a, c)` inside one halving era.
///
/// # Example
/// ```
/// use hashwatt::model::network::paid_subsidy_btc;
/// // 100 blocks straddling the halving at 1 050 000: 40 at 3.125, 60 at 1.5625.
/// assert_eq!(paid_subsidy_btc(1_049_960.0, 100.0), 40.0 * 3.125 + 60.0 * 1.5625);
/// ```
pub fn paid_subsidy_btc(from: f64, blocks: f64) -> f64 {
    let end = from + blocks;
    let mut a = from;
    let mut paid = 0.0;
    while a < end {
        // Whole heights below 2^53 are exact in f64, so the era is exact.
        let c = next_halving_height(a).min(end);
        paid += (c - a) * subsidy_btc(a);
        a = c;
    }
    paid
}

/// Hashprice, USD per PH/s per day: `HP = 144·(S + F)·P / (HD·1000)`.
///
/// # Example
/// ```
/// use hashwatt::model::network::hashprice;
/// // 3.125 BTC subsidy, 0.03 BTC fees, 90 000 USD, 1000 EH/s.
/// let hp = hashprice(3.125, 0.03, 90_000.0, 1000.0);
/// assert!((hp - 40.8888).abs() < 1e-3);
/// ```
#[inline]
pub fn hashprice(subsidy_btc: f64, fee_btc: f64, btc_price_usd: f64, difficulty_ehs: f64) -> f64 {
    BLOCKS_PER_DAY * (subsidy_btc + fee_btc) * btc_price_usd / (difficulty_ehs * 1000.0)
}

/// Breakeven power price of a machine, USD/MWh: `b(e) = HP / (0.024·e)`.
///
/// # Example
/// ```
/// use hashwatt::model::network::breakeven_power_price;
/// assert_eq!(breakeven_power_price(42.0, 17.5), 100.0);
/// ```
#[inline]
pub fn breakeven_power_price(hashprice: f64, efficiency_j_per_th: f64) -> f64 {
    hashprice / (MWH_PER_PH_DAY_PER_J_TH * efficiency_j_per_th)
}

impl NetworkState {
    /// Walks `days` days at hashrate `hashrate_ehs`: blocks arrive at
    /// `r = 144·H/HD` per day; whenever the epoch's 2016th block falls inside
    /// the step, `HD ← HD·clamp(14/(ed + δ), 1/4, 4)` there and the walk goes
    /// on at the new rate. Moves the height and returns the blocks and the
    /// subsidy they paid.
    ///
    /// # Example
    /// ```
    /// use hashwatt::model::network::NetworkState;
    /// let mut n = NetworkState { height: 0.0, difficulty_ehs: 100.0, epoch_blocks: 0.0, epoch_days: 0.0 };
    /// // Twice the difficulty's hashrate: the epoch ends after 7 days and
    /// // difficulty doubles.
    /// let b = n.advance(200.0, 7.0);
    /// assert_eq!(b.blocks, 2016.0);
    /// assert_eq!(n.difficulty_ehs, 200.0);
    /// ```
    pub fn advance(&mut self, hashrate_ehs: f64, days: f64) -> StepBlocks {
        let blocks = self.walk(hashrate_ehs, days);
        let subsidy_btc = paid_subsidy_btc(self.height, blocks);
        self.height += blocks;
        StepBlocks {
            blocks,
            subsidy_btc,
        }
    }

    /// The difficulty walk of [`NetworkState::advance`] without the height:
    /// updates `HD`, `eb` and `ed` and returns the blocks found. The caller
    /// moves the height (the engine pays the subsidy from a cached era).
    #[inline]
    pub fn walk(&mut self, hashrate_ehs: f64, days: f64) -> f64 {
        let mut left = days;
        let mut blocks = 0.0;
        loop {
            let rate = BLOCKS_PER_DAY * hashrate_ehs / self.difficulty_ehs;
            let needed = EPOCH_BLOCKS - self.epoch_blocks;
            // Divide only when the epoch may end in this step: the margin
            // covers the rounding, so the decision is that of `needed/rate ≤ left`.
            if rate > 0.0 && needed <= rate * left * (1.0 + 1e-12) {
                let to_retarget = needed / rate;
                if to_retarget <= left {
                    blocks += needed;
                    let factor = (EPOCH_DAYS / (self.epoch_days + to_retarget)).clamp(0.25, 4.0);
                    self.difficulty_ehs *= factor;
                    left -= to_retarget;
                    self.epoch_blocks = 0.0;
                    self.epoch_days = 0.0;
                    continue;
                }
            }
            blocks += rate * left;
            self.epoch_blocks += rate * left;
            self.epoch_days += left;
            return blocks;
        }
    }
}

/// The first height of the halving era after the one holding `height`.
#[inline]
pub fn next_halving_height(height: f64) -> f64 {
    ((height as u64) / HALVING_INTERVAL + 1) as f64 * HALVING_INTERVAL as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_hashrate_finds_no_blocks() {
        let mut n = NetworkState {
            height: 10.0,
            difficulty_ehs: 1.0,
            epoch_blocks: 5.0,
            epoch_days: 1.0,
        };
        let b = n.advance(0.0, 2.0);
        assert_eq!((b.blocks, b.subsidy_btc), (0.0, 0.0));
        assert_eq!((n.height, n.epoch_blocks, n.epoch_days), (10.0, 5.0, 3.0));
    }

    #[test]
    fn retarget_is_clamped_to_four() {
        // 100x the difficulty's hashrate: the epoch takes 0.14 days, so the
        // factor 14/0.14 = 100 is clamped to 4.
        let mut n = NetworkState {
            height: 0.0,
            difficulty_ehs: 1.0,
            epoch_blocks: 0.0,
            epoch_days: 0.0,
        };
        n.advance(100.0, 0.14);
        assert_eq!(n.difficulty_ehs, 4.0);
    }

    #[test]
    fn several_retargets_in_one_step() {
        // At 1000x the difficulty's hashrate each epoch is short and the
        // difficulty quadruples every epoch until the rate falls.
        let mut n = NetworkState {
            height: 0.0,
            difficulty_ehs: 1.0,
            epoch_blocks: 0.0,
            epoch_days: 0.0,
        };
        n.advance(1000.0, 1.0);
        assert!(n.difficulty_ehs >= 64.0, "{}", n.difficulty_ehs);
    }
}
