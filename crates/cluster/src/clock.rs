//! Simulated time. `SimTime` counts milliseconds since the cluster was created; the cluster was
//! created at [`EPOCH_UNIX_SECONDS`] in wall-clock terms, which is what timestamps print.

/// 2025-12-31T23:55:00Z: when every simulated cluster is born. It boots for five minutes
/// ([`crate::system::BOOT_SECONDS`]), so the user gets it at 2026-01-01T00:00:00Z.
pub const EPOCH_UNIX_SECONDS: i64 = 1_767_225_600 - 300;

/// An instant on the simulated clock (milliseconds since the cluster's birth).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct SimTime(pub u64);

/// A span of simulated time in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct SimDuration(pub u64);

impl SimDuration {
    pub const fn from_secs(seconds: u64) -> SimDuration {
        SimDuration(seconds * 1000)
    }
    pub const fn as_millis(self) -> u64 {
        self.0
    }
}

impl SimTime {
    /// Seconds since the Unix epoch, for timestamps.
    pub fn unix_seconds(self) -> i64 {
        EPOCH_UNIX_SECONDS + (self.0 / 1000) as i64
    }

    /// The RFC 3339 timestamp the API server writes (`2026-01-01T00:00:05Z`).
    pub fn to_k8s_time(self) -> model::k8s_openapi::apimachinery::pkg::apis::meta::v1::Time {
        let timestamp = model::k8s_openapi::jiff::Timestamp::from_second(self.unix_seconds())
            .unwrap_or(model::k8s_openapi::jiff::Timestamp::UNIX_EPOCH);
        model::k8s_openapi::apimachinery::pkg::apis::meta::v1::Time(timestamp)
    }

    /// Time elapsed from `earlier` to `self` (zero if `earlier` is later).
    pub fn since(self, earlier: SimTime) -> SimDuration {
        SimDuration(self.0.saturating_sub(earlier.0))
    }

    /// The instant a k8s timestamp names, on this clock (clamped at the cluster's birth).
    pub fn from_k8s_time(
        time: &model::k8s_openapi::apimachinery::pkg::apis::meta::v1::Time,
    ) -> SimTime {
        let seconds = time.0.as_second() - EPOCH_UNIX_SECONDS;
        SimTime(seconds.max(0) as u64 * 1000)
    }
}

/// The cluster's clock. Only `advance` moves it.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    now: SimTime,
}

impl Clock {
    pub fn now(&self) -> SimTime {
        self.now
    }
    pub fn advance(&mut self, by: SimDuration) {
        self.now = SimTime(self.now.0.saturating_add(by.0));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_start_at_the_epoch_and_round_trip() {
        let t = SimTime(365_000);
        assert_eq!(
            crate::clock::SimTime::from_k8s_time(&t.to_k8s_time()),
            SimTime(365_000)
        );
        let json = serde_json::to_value(t.to_k8s_time()).unwrap();
        assert_eq!(json, serde_json::json!("2026-01-01T00:01:05Z"));
    }
}
