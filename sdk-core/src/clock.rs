//! The wall clock, read in one place for the I/O shell and the bindings (signature timestamps,
//! HTTP-date `Retry-After`). The sans-IO modules never call it: they take the time as a parameter.

use std::time::{SystemTime, UNIX_EPOCH};

/// Wall-clock milliseconds since the Unix epoch (0 if the clock is set before 1970).
#[allow(
    clippy::disallowed_methods,
    reason = "this is the one place the wall clock is read"
)]
pub fn unix_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}
