//! Typed names of the per-step series a run records: a [`SeriesKey`] is
//! what a string like `farm.operator.cash_usd` says, checked. Its
//! [`name`](SeriesKey::name) is the series' name in the summary,
//! `summary.json` and the csv files, and [`FromStr`] reads it back.

use std::fmt;
use std::str::FromStr;

/// A series of the network, the BTC price and the fees (recorded for
/// every scenario but `Power` and `CbeciPower`, recorded unless
/// `[outputs] network_power = false`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NetworkSeries {
    /// `btc_price_usd`: the BTC price at the start of the step, USD/BTC.
    BtcPrice,
    /// `hashrate_ehs`: the network's hashrate, EH/s.
    Hashrate,
    /// `difficulty_ehs`: the difficulty, as the hashrate it targets, EH/s.
    Difficulty,
    /// `hashprice_usd_per_ph_day`: revenue of one PH/s for a day, USD per
    /// PH/s per day.
    Hashprice,
    /// `fee_btc_per_block`: transaction fees per block, BTC.
    Fees,
    /// `network.power_mw`: the network's power draw, MW.
    Power,
    /// `network.cbeci_power_mw`: the CBECI-style estimate of it, MW.
    CbeciPower,
}

impl NetworkSeries {
    /// Every network series, in the order the engine records them.
    pub const ALL: [NetworkSeries; 7] = [
        NetworkSeries::BtcPrice,
        NetworkSeries::Hashrate,
        NetworkSeries::Difficulty,
        NetworkSeries::Hashprice,
        NetworkSeries::Fees,
        NetworkSeries::Power,
        NetworkSeries::CbeciPower,
    ];

    /// The series' full name: `btc_price_usd`, `network.power_mw`, ...
    pub const fn name(self) -> &'static str {
        match self {
            NetworkSeries::BtcPrice => "btc_price_usd",
            NetworkSeries::Hashrate => "hashrate_ehs",
            NetworkSeries::Difficulty => "difficulty_ehs",
            NetworkSeries::Hashprice => "hashprice_usd_per_ph_day",
            NetworkSeries::Fees => "fee_btc_per_block",
            NetworkSeries::Power => "network.power_mw",
            NetworkSeries::CbeciPower => "network.cbeci_power_mw",
        }
    }
}

/// A series of one farm, `farm.<name>.<series>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FarmSeries {
    /// `online_fraction`: online PH/s over nameplate PH/s, share (every farm).
    OnlineFraction,
    /// `uptime_fraction`: share of the step the fleet ran, weighted by
    /// nameplate hashrate (farms in a region).
    UptimeFraction,
    /// `power_price_usd_per_mwh`: the price the farm paid, USD/MWh (farms
    /// in a region).
    PowerPrice,
    /// `power_credits_usd`: sell-back credits of the step, USD per step
    /// (farms in a region).
    PowerCredits,
    /// `insolvent_fraction`: 1 once the farm has failed, share (farms with
    /// a balance sheet: its mean is P(insolvent by the date)).
    InsolventFraction,
    /// `cash_usd`: the farm's cash, USD (farms with a balance sheet).
    Cash,
    /// `expansion_mw`: MW granted to the farm's expansion so far, MW
    /// (farms that expand).
    Expansion,
    /// `moved_fraction`: 1 once the farm has left its region, share (farms
    /// that may move: its mean is P(moved by the date)).
    Moved,
}

impl FarmSeries {
    /// Every farm series.
    pub const ALL: [FarmSeries; 8] = [
        FarmSeries::OnlineFraction,
        FarmSeries::UptimeFraction,
        FarmSeries::PowerPrice,
        FarmSeries::PowerCredits,
        FarmSeries::InsolventFraction,
        FarmSeries::Cash,
        FarmSeries::Expansion,
        FarmSeries::Moved,
    ];

    /// The last part of the series' name: `cash_usd`.
    pub const fn name(self) -> &'static str {
        match self {
            FarmSeries::OnlineFraction => "online_fraction",
            FarmSeries::UptimeFraction => "uptime_fraction",
            FarmSeries::PowerPrice => "power_price_usd_per_mwh",
            FarmSeries::PowerCredits => "power_credits_usd",
            FarmSeries::InsolventFraction => "insolvent_fraction",
            FarmSeries::Cash => "cash_usd",
            FarmSeries::Expansion => "expansion_mw",
            FarmSeries::Moved => "moved_fraction",
        }
    }
}

/// A series of one grid region, `region.<name>.<series>` (model.md,
/// "Recorded series"); "during" is the state at the step's clearing,
/// "end" after the step's queue update.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RegionSeries {
    /// `price_usd_per_mwh`: the daily clearing price, USD/MWh (during).
    Price,
    /// `load_mw`: average load served, MW (during).
    Load,
    /// `capacity_mw`: the capacity in service, MW (during).
    Capacity,
    /// `reserve_margin_fraction`: (capacity − load)/load, share (during).
    ReserveMargin,
    /// `ai_connected_mw`: data-center rating connected, MW (during).
    AiConnected,
    /// `ai_queued_mw`: data-center MW requested and not granted, MW (end).
    AiQueued,
    /// `miner_connected_mw`: miners' connected MW, MW (during).
    MinerConnected,
    /// `miner_waiting_mw`: miner requests neither granted nor refused, MW
    /// (end).
    MinerWaiting,
    /// `miner_denied_mw`: miner MW refused or banned out, cumulative MW
    /// (end).
    MinerDenied,
    /// `curtailed_mwh`: load not served, MWh per step (during).
    Curtailed,
}

impl RegionSeries {
    /// Every region series, in the order the engine records them.
    pub const ALL: [RegionSeries; 10] = [
        RegionSeries::Price,
        RegionSeries::Load,
        RegionSeries::Capacity,
        RegionSeries::ReserveMargin,
        RegionSeries::AiConnected,
        RegionSeries::AiQueued,
        RegionSeries::MinerConnected,
        RegionSeries::MinerWaiting,
        RegionSeries::MinerDenied,
        RegionSeries::Curtailed,
    ];

    /// The last part of the series' name: `price_usd_per_mwh`.
    pub const fn name(self) -> &'static str {
        match self {
            RegionSeries::Price => "price_usd_per_mwh",
            RegionSeries::Load => "load_mw",
            RegionSeries::Capacity => "capacity_mw",
            RegionSeries::ReserveMargin => "reserve_margin_fraction",
            RegionSeries::AiConnected => "ai_connected_mw",
            RegionSeries::AiQueued => "ai_queued_mw",
            RegionSeries::MinerConnected => "miner_connected_mw",
            RegionSeries::MinerWaiting => "miner_waiting_mw",
            RegionSeries::MinerDenied => "miner_denied_mw",
            RegionSeries::Curtailed => "curtailed_mwh",
        }
    }
}

/// A series of the rest of the world's invested machines,
/// `rest_of_world.<series>` (scenarios with investment).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RestOfWorldSeries {
    /// `invested_ehs`: invested machines installed, EH/s.
    Invested,
    /// `on_order_ehs`: invested machines ordered, not yet hashing, EH/s.
    OnOrder,
}

impl RestOfWorldSeries {
    /// Every rest-of-world series.
    pub const ALL: [RestOfWorldSeries; 2] =
        [RestOfWorldSeries::Invested, RestOfWorldSeries::OnOrder];

    /// The series' full name: `rest_of_world.invested_ehs`.
    pub const fn name(self) -> &'static str {
        match self {
            RestOfWorldSeries::Invested => "rest_of_world.invested_ehs",
            RestOfWorldSeries::OnOrder => "rest_of_world.on_order_ehs",
        }
    }
}

/// The name of one recorded per-step series.
///
/// ```
/// use hashwatt::stats::{FarmSeries, SeriesKey};
/// let key: SeriesKey = "farm.operator.cash_usd".parse()?;
/// assert_eq!(key, SeriesKey::farm("operator", FarmSeries::Cash));
/// assert_eq!(key.to_string(), "farm.operator.cash_usd");
/// # Ok::<(), hashwatt::stats::UnknownSeries>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SeriesKey {
    /// A series of the network, the price or the fees.
    Network(NetworkSeries),
    /// A series of one farm.
    Farm {
        /// The farm's name.
        farm: String,
        /// Which of its series.
        series: FarmSeries,
    },
    /// A series of one grid region.
    Region {
        /// The region's name.
        region: String,
        /// Which of its series.
        series: RegionSeries,
    },
    /// A series of the rest of the world's invested machines.
    RestOfWorld(RestOfWorldSeries),
}

const FARM_PREFIX: &str = "farm.";
const REGION_PREFIX: &str = "region.";

impl SeriesKey {
    /// The series `series` of the farm `farm`.
    pub fn farm(farm: &str, series: FarmSeries) -> Self {
        SeriesKey::Farm {
            farm: farm.to_string(),
            series,
        }
    }

    /// The series `series` of the region `region`.
    pub fn region(region: &str, series: RegionSeries) -> Self {
        SeriesKey::Region {
            region: region.to_string(),
            series,
        }
    }

    /// The series' name: `hashrate_ehs`, `farm.<farm>.cash_usd`,
    /// `region.<region>.load_mw`, `rest_of_world.on_order_ehs`.
    pub fn name(&self) -> String {
        self.to_string()
    }

    /// Whether `name` is this series' name (without building it).
    pub fn is_named(&self, name: &str) -> bool {
        let owned = |prefix: &str, owner: &str, series: &str| {
            name.strip_prefix(prefix)
                .and_then(|rest| rest.strip_suffix(series))
                .and_then(|rest| rest.strip_suffix('.'))
                == Some(owner)
        };
        match self {
            SeriesKey::Network(s) => name == s.name(),
            SeriesKey::Farm { farm, series } => owned(FARM_PREFIX, farm, series.name()),
            SeriesKey::Region { region, series } => owned(REGION_PREFIX, region, series.name()),
            SeriesKey::RestOfWorld(s) => name == s.name(),
        }
    }
}

impl From<NetworkSeries> for SeriesKey {
    fn from(series: NetworkSeries) -> Self {
        SeriesKey::Network(series)
    }
}

impl From<RestOfWorldSeries> for SeriesKey {
    fn from(series: RestOfWorldSeries) -> Self {
        SeriesKey::RestOfWorld(series)
    }
}

impl fmt::Display for SeriesKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SeriesKey::Network(s) => f.write_str(s.name()),
            SeriesKey::Farm { farm, series } => {
                write!(f, "{FARM_PREFIX}{farm}.{}", series.name())
            }
            SeriesKey::Region { region, series } => {
                write!(f, "{REGION_PREFIX}{region}.{}", series.name())
            }
            SeriesKey::RestOfWorld(s) => f.write_str(s.name()),
        }
    }
}

/// A name that is none of the series a run records.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown series `{name}` (a network series such as `hashrate_ehs`, \
     `farm.<farm>.<series>`, `region.<region>.<series>` or `rest_of_world.<series>`)"
)]
pub struct UnknownSeries {
    /// The name given.
    pub name: String,
}

/// `prefix<owner>.<series>` split into a non-empty owner and the series
/// (owners may hold dots, series names do not).
fn owned<'a>(name: &'a str, prefix: &str) -> Option<(&'a str, &'a str)> {
    let (owner, series) = name.strip_prefix(prefix)?.rsplit_once('.')?;
    (!owner.is_empty()).then_some((owner, series))
}

impl FromStr for SeriesKey {
    type Err = UnknownSeries;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        let network = || NetworkSeries::ALL.into_iter().find(|s| s.name() == name);
        let rest_of_world = || {
            RestOfWorldSeries::ALL
                .into_iter()
                .find(|s| s.name() == name)
        };
        let farm = || {
            let (farm, series) = owned(name, FARM_PREFIX)?;
            let series = FarmSeries::ALL.into_iter().find(|s| s.name() == series)?;
            Some(SeriesKey::farm(farm, series))
        };
        let region = || {
            let (region, series) = owned(name, REGION_PREFIX)?;
            let series = RegionSeries::ALL.into_iter().find(|s| s.name() == series)?;
            Some(SeriesKey::region(region, series))
        };
        network()
            .map(SeriesKey::Network)
            .or_else(|| rest_of_world().map(SeriesKey::RestOfWorld))
            .or_else(farm)
            .or_else(region)
            .ok_or_else(|| UnknownSeries {
                name: name.to_string(),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        let keys = [
            SeriesKey::Network(NetworkSeries::Power),
            SeriesKey::farm("a.b", FarmSeries::Moved),
            SeriesKey::region("ercot", RegionSeries::MinerDenied),
            SeriesKey::RestOfWorld(RestOfWorldSeries::OnOrder),
        ];
        for key in keys {
            let name = key.name();
            assert_eq!(name.parse::<SeriesKey>(), Ok(key.clone()));
            assert!(key.is_named(&name));
            assert!(!key.is_named(&format!("{name}x")));
        }
        assert_eq!(
            SeriesKey::farm("a.b", FarmSeries::Moved).name(),
            "farm.a.b.moved_fraction"
        );
        for bad in [
            "",
            "farm..cash_usd",
            "farm.x",
            "region.x.cash_usd",
            "hashrate",
        ] {
            assert!(bad.parse::<SeriesKey>().is_err(), "{bad}");
        }
        assert!(!SeriesKey::farm("b", FarmSeries::Cash).is_named("farm.ab.cash_usd"));
    }
}
