//! `hashwatt calc`: the network identities of model.md §1.

use anyhow::{Result, bail};
use clap::Subcommand;
use serde_json::json;

use hashwatt::model::consensus;
use hashwatt::model::network;

/// Network identities: subsidy, hashrate, hashprice, breakeven, retarget.
#[derive(Subcommand)]
pub enum Calc {
    /// Block subsidy at a height.
    Subsidy {
        /// Block height.
        #[arg(long)]
        height: u64,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Hashrate implied by a consensus difficulty.
    Hashrate {
        /// Consensus difficulty.
        #[arg(long)]
        difficulty: f64,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Hashprice, USD per PH/s per day.
    Hashprice {
        /// Consensus difficulty.
        #[arg(long)]
        difficulty: f64,
        /// BTC price, USD.
        #[arg(long)]
        btc_price: f64,
        /// Height whose subsidy to use.
        #[arg(long, conflicts_with = "subsidy", required_unless_present = "subsidy")]
        height: Option<u64>,
        /// Subsidy per block, BTC.
        #[arg(long)]
        subsidy: Option<f64>,
        /// Fees per block, BTC.
        #[arg(long, default_value_t = 0.0)]
        fees: f64,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Breakeven power price of a machine, USD/MWh.
    Breakeven {
        /// Hashprice, USD per PH/s per day.
        #[arg(long)]
        hashprice: f64,
        /// Machine efficiency, J/TH.
        #[arg(long)]
        efficiency: f64,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Bitcoin Core's retarget at the end of an epoch.
    Retarget {
        /// Compact target (nBits) of the epoch, e.g. 0x1d00ffff.
        #[arg(long, value_parser = parse_bits)]
        bits: u32,
        /// Time of the epoch's first block, unix seconds.
        #[arg(long)]
        first_time: i64,
        /// Time of the epoch's last block, unix seconds.
        #[arg(long)]
        last_time: i64,
        /// Proof-of-work limit as compact bits (mainnet by default).
        #[arg(long, value_parser = parse_bits, default_value = "0x1d00ffff")]
        pow_limit: u32,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
}

fn parse_bits(s: &str) -> Result<u32, String> {
    let hex = s
        .strip_prefix("0x")
        .or_else(|| s.strip_prefix("0X"))
        .unwrap_or(s);
    u32::from_str_radix(hex, 16).map_err(|e| format!("`{s}` is not a 32-bit hex number: {e}"))
}

fn finite(name: &str, v: f64) -> Result<f64> {
    if !v.is_finite() {
        bail!("--{name} must be a finite number, not {v}");
    }
    Ok(v)
}

fn positive(name: &str, v: f64) -> Result<f64> {
    if finite(name, v)? <= 0.0 {
        bail!("--{name} must be > 0, not {v}");
    }
    Ok(v)
}

fn print(as_json: bool, value: serde_json::Value, text: String) {
    if as_json {
        println!("{value}");
    } else {
        println!("{text}");
    }
}

pub fn calculate(calc: Calc) -> Result<()> {
    match calc {
        Calc::Subsidy { height, json } => {
            let sat = consensus::subsidy_sat(height);
            let btc = sat as f64 / consensus::COIN_SAT as f64;
            print(
                json,
                json!({"subsidy_sat": sat, "subsidy_btc": btc}),
                format!("subsidy at height {height}: {sat} sat = {btc} BTC"),
            );
        }
        Calc::Hashrate { difficulty, json } => {
            let ehs = consensus::difficulty_to_hashrate_ehs(positive("difficulty", difficulty)?);
            print(
                json,
                json!({"hashrate_ehs": ehs}),
                format!("difficulty {difficulty} ↔ {ehs} EH/s"),
            );
        }
        Calc::Hashprice {
            difficulty,
            btc_price,
            height,
            subsidy,
            fees,
            json,
        } => {
            let hd = consensus::difficulty_to_hashrate_ehs(positive("difficulty", difficulty)?);
            let subsidy_btc = match (height, subsidy) {
                (Some(h), _) => consensus::subsidy_sat(h) as f64 / consensus::COIN_SAT as f64,
                (None, Some(s)) => finite("subsidy", s)?,
                (None, None) => bail!("give --height or --subsidy"),
            };
            let hp = network::hashprice(
                subsidy_btc,
                finite("fees", fees)?,
                positive("btc-price", btc_price)?,
                hd,
            );
            print(
                json,
                json!({"hashprice_usd_per_ph_day": hp}),
                format!("hashprice: {hp} USD per PH/s per day"),
            );
        }
        Calc::Breakeven {
            hashprice,
            efficiency,
            json,
        } => {
            let b = network::breakeven_power_price(
                finite("hashprice", hashprice)?,
                positive("efficiency", efficiency)?,
            );
            print(
                json,
                json!({"breakeven_usd_per_mwh": b}),
                format!("breakeven power price: {b} USD/MWh"),
            );
        }
        Calc::Retarget {
            bits,
            first_time,
            last_time,
            pow_limit,
            json,
        } => {
            let next = consensus::next_work_required(bits, first_time, last_time, pow_limit)?;
            let difficulty = consensus::bits_to_difficulty(next)?;
            let hex = format!("{next:#010x}");
            print(
                json,
                json!({"bits": hex, "difficulty": difficulty}),
                format!("next bits {hex}, difficulty {difficulty}"),
            );
        }
    }
    Ok(())
}
