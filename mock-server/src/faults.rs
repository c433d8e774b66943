//! Faults on command: the syntax, and the board of injected faults.
//!
//! A fault spec is a list of items separated by `,` or `;`, each `name` or `name=value`:
//! `drop-after-events=3`, `status=503,times=2`, `delay-headers-ms=200,jitter-ms=50`. It comes from
//! the `X-Mock-Fault` request header (this request only), from the admin API or
//! [`crate::MockServer::inject_fault`] (the next `times` matching requests, or all of them), or
//! from a fixture's `fault` field. `docs/mock-server.md` lists every item.

use std::fmt;
use std::str::FromStr;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::Serialize;

use crate::ids::IdGen;

/// How much of a JSON body `truncate-body` keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Truncate {
    /// The first half (rounded down).
    Half,
    /// The first N bytes.
    Bytes(usize),
}

/// Where a `retry-after=N` fault puts its wait (`retry-after-via=...`), so that each source the
/// SDK reads can be checked on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryAfterVia {
    /// `Retry-After: N` (seconds).
    Header,
    /// `retry-after-ms: N*1000` only.
    Millis,
    /// `details.retry_after_seconds` in the body only (the service's per-key quota).
    Body,
    /// `x-ratelimit-reset: N` only (seconds until the window resets).
    RateLimitReset,
}

impl RetryAfterVia {
    fn name(self) -> &'static str {
        match self {
            Self::Header => "header",
            Self::Millis => "ms",
            Self::Body => "body",
            Self::RateLimitReset => "ratelimit-reset",
        }
    }
}

/// One parsed fault spec. Every field is optional; several can combine.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct FaultSpec {
    /// `status=S`: answer S with an `error.v1` body instead of the fixture.
    pub status: Option<u16>,
    /// `retry-after=N`: with a 429 (implied when no status is given), the seconds in
    /// `details.retry_after_seconds` and the `Retry-After` header.
    pub retry_after: Option<u64>,
    /// `retry-after-via=header|ms|body|ratelimit-reset`: send the wait of `retry-after` only
    /// there (default: the `Retry-After` header and, for a 429, the body).
    pub retry_after_via: Option<RetryAfterVia>,
    /// `trickle-ms=N`: send the response body (JSON or SSE) one byte every N ms.
    pub trickle_ms: Option<u64>,
    /// `times=N`: for injected faults, how many matching requests get it (default: all).
    pub times: Option<u32>,
    /// `chance=P`: apply with probability P (0..1), drawn from the seeded generator.
    pub chance: Option<f64>,
    /// `reset`: close the connection without answering (for a resume: the service's crash).
    pub reset: bool,
    /// `delay-headers-ms=N`: wait before sending the response head.
    pub delay_headers_ms: Option<u64>,
    /// `delay-events-ms=N`: wait before each SSE event (heartbeats continue meanwhile).
    pub delay_events_ms: Option<u64>,
    /// `jitter-ms=N`: add 0..=N ms (seeded) to each delay.
    pub jitter_ms: Option<u64>,
    /// `drop-after-events=N`: abort the connection after N SSE events.
    pub drop_after_events: Option<u32>,
    /// `drop-after-bytes=N`: abort the connection after N body bytes (JSON or SSE).
    pub drop_after_bytes: Option<u64>,
    /// `stall` or `stall-after-events=N`: send nothing more (heartbeats included) after N SSE
    /// events (0 for `stall`); on a JSON route, send the head and no body. The connection stays
    /// open until the client leaves or the server stops.
    pub stall_after_events: Option<u32>,
    /// `corrupt-hash`: send a wrong `x-olumi-response-hash`.
    pub corrupt_hash: bool,
    /// `tamper-body`: alter the JSON body after its hash was computed (still valid JSON).
    pub tamper_body: bool,
    /// `truncate-body` or `truncate-body=N`: send a complete HTTP message whose JSON body is cut.
    pub truncate_body: Option<Truncate>,
}

/// A fault spec that does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid fault spec: {0}")]
pub struct FaultError(String);

impl FromStr for FaultSpec {
    type Err = FaultError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut spec = Self::default();
        let mut any = false;
        for item in s.split([',', ';']).map(str::trim).filter(|i| !i.is_empty()) {
            any = true;
            let (name, value) = match item.split_once('=') {
                Some((n, v)) => (n.trim(), Some(v.trim())),
                None => (item, None),
            };
            spec.set(name, value)?;
        }
        if !any {
            return Err(FaultError("empty".into()));
        }
        // `reset=0` alone parses to no fault at all; refused like an empty spec so that every
        // accepted spec prints (Display) to one that parses back (found by fuzz/fault_spec).
        if spec == Self::default() {
            return Err(FaultError(format!(
                "`{}`: every item is off, so there is no fault",
                s.trim()
            )));
        }
        if spec.retry_after.is_some() && spec.status.is_none() {
            spec.status = Some(429);
        }
        Ok(spec)
    }
}

impl FaultSpec {
    fn set(&mut self, name: &str, value: Option<&str>) -> Result<(), FaultError> {
        let num = |v: Option<&str>| -> Result<u64, FaultError> {
            let v = v.ok_or_else(|| FaultError(format!("`{name}` needs a value (`{name}=N`)")))?;
            v.parse()
                .map_err(|_| FaultError(format!("`{name}={v}`: expected a whole number")))
        };
        let flag = |v: Option<&str>| -> Result<bool, FaultError> {
            match v {
                None | Some("true" | "1") => Ok(true),
                Some("false" | "0") => Ok(false),
                Some(v) => Err(FaultError(format!("`{name}={v}`: expected no value"))),
            }
        };
        let small = |n: u64| -> Result<u32, FaultError> {
            u32::try_from(n).map_err(|_| FaultError(format!("`{name}`: {n} is too large")))
        };
        match name {
            "status" => {
                let n = num(value)?;
                if !(200..=599).contains(&n) {
                    return Err(FaultError(format!("`status={n}`: expected 200..=599")));
                }
                self.status = Some(u16::try_from(n).unwrap_or(500));
            }
            "retry-after" => self.retry_after = Some(num(value)?),
            "retry-after-via" => {
                self.retry_after_via = Some(match value {
                    Some("header") => RetryAfterVia::Header,
                    Some("ms") => RetryAfterVia::Millis,
                    Some("body") => RetryAfterVia::Body,
                    Some("ratelimit-reset") => RetryAfterVia::RateLimitReset,
                    _ => {
                        return Err(FaultError(format!(
                            "`retry-after-via={}`: expected header, ms, body or ratelimit-reset",
                            value.unwrap_or_default()
                        )));
                    }
                });
            }
            "trickle-ms" => self.trickle_ms = Some(num(value)?),
            "times" => {
                let n = small(num(value)?)?;
                if n == 0 {
                    return Err(FaultError("`times=0`: expected at least 1".into()));
                }
                self.times = Some(n);
            }
            "chance" => {
                let v = value.ok_or_else(|| FaultError("`chance` needs a value".into()))?;
                match v.parse::<f64>() {
                    Ok(p) if (0.0..=1.0).contains(&p) => self.chance = Some(p),
                    _ => return Err(FaultError(format!("`chance={v}`: expected 0..1"))),
                }
            }
            "reset" => self.reset = flag(value)?,
            "delay-headers-ms" => self.delay_headers_ms = Some(num(value)?),
            "delay-events-ms" => self.delay_events_ms = Some(num(value)?),
            "jitter-ms" => self.jitter_ms = Some(num(value)?),
            "drop-after-events" => self.drop_after_events = Some(small(num(value)?)?),
            "drop-after-bytes" => self.drop_after_bytes = Some(num(value)?),
            "stall" => {
                if flag(value)? {
                    self.stall_after_events = Some(0);
                }
            }
            "stall-after-events" => self.stall_after_events = Some(small(num(value)?)?),
            "corrupt-hash" => self.corrupt_hash = flag(value)?,
            "tamper-body" => self.tamper_body = flag(value)?,
            "truncate-body" => {
                self.truncate_body = Some(match value {
                    None => Truncate::Half,
                    Some(_) => Truncate::Bytes(usize::try_from(num(value)?).unwrap_or(usize::MAX)),
                });
            }
            other => {
                return Err(FaultError(format!(
                    "unknown fault `{other}` (known: status, retry-after, retry-after-via, times, \
                     chance, reset, delay-headers-ms, delay-events-ms, jitter-ms, \
                     drop-after-events, drop-after-bytes, stall, stall-after-events, \
                     corrupt-hash, tamper-body, truncate-body, trickle-ms)"
                )));
            }
        }
        Ok(())
    }

    /// Whether this spec applies to the request at hand: always without `chance`, else with
    /// probability P drawn from the seeded generator.
    pub(crate) fn fires(&self, ids: &IdGen) -> bool {
        self.chance.is_none_or(|p| ids.chance(p))
    }

    /// A delay plus the seeded jitter, if any.
    pub(crate) fn jittered(&self, base_ms: u64, ids: &IdGen) -> std::time::Duration {
        let jitter = self.jitter_ms.map_or(0, |j| ids.up_to(j));
        std::time::Duration::from_millis(base_ms.saturating_add(jitter))
    }
}

impl fmt::Display for FaultSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut items: Vec<String> = Vec::new();
        let mut num = |name: &str, v: Option<u64>| {
            if let Some(v) = v {
                items.push(format!("{name}={v}"));
            }
        };
        num("status", self.status.map(u64::from));
        num("retry-after", self.retry_after);
        num("times", self.times.map(u64::from));
        num("delay-headers-ms", self.delay_headers_ms);
        num("delay-events-ms", self.delay_events_ms);
        num("jitter-ms", self.jitter_ms);
        num("drop-after-events", self.drop_after_events.map(u64::from));
        num("drop-after-bytes", self.drop_after_bytes);
        num("trickle-ms", self.trickle_ms);
        num("stall-after-events", self.stall_after_events.map(u64::from));
        if let Some(p) = self.chance {
            items.push(format!("chance={p}"));
        }
        if let Some(via) = self.retry_after_via {
            items.push(format!("retry-after-via={}", via.name()));
        }
        for (on, name) in [
            (self.reset, "reset"),
            (self.corrupt_hash, "corrupt-hash"),
            (self.tamper_body, "tamper-body"),
        ] {
            if on {
                items.push(name.to_owned());
            }
        }
        match self.truncate_body {
            Some(Truncate::Half) => items.push("truncate-body".to_owned()),
            Some(Truncate::Bytes(n)) => items.push(format!("truncate-body={n}")),
            None => {}
        }
        f.write_str(&items.join(","))
    }
}

/// A fault to hand to matching requests, with optional filters (all given ones must match).
#[derive(Debug, Clone, PartialEq)]
pub struct FaultInjection {
    /// The fault.
    pub spec: FaultSpec,
    /// Only requests with this method.
    pub method: Option<String>,
    /// Only requests to this exact path (query ignored).
    pub path: Option<String>,
    /// Only requests answered by the fixture of this name.
    pub fixture: Option<String>,
}

impl FaultInjection {
    /// Parses a spec; the injection matches every request until filters are added.
    pub fn parse(spec: &str) -> Result<Self, FaultError> {
        Ok(Self::new(spec.parse()?))
    }

    /// An injection of `spec` matching every request.
    pub fn new(spec: FaultSpec) -> Self {
        Self {
            spec,
            method: None,
            path: None,
            fixture: None,
        }
    }

    /// Restricts to requests with `method` (case-insensitive).
    #[must_use]
    pub fn method(mut self, method: &str) -> Self {
        self.method = Some(method.to_ascii_uppercase());
        self
    }

    /// Restricts to requests to `path` (exact, query ignored).
    #[must_use]
    pub fn path(mut self, path: &str) -> Self {
        self.path = Some(path.to_owned());
        self
    }

    /// Restricts to requests answered by fixture `name`.
    #[must_use]
    pub fn fixture(mut self, name: &str) -> Self {
        self.fixture = Some(name.to_owned());
        self
    }

    fn matches(&self, method: &str, path: &str, fixture: Option<&str>) -> bool {
        self.method.as_deref().is_none_or(|m| m == method)
            && self.path.as_deref().is_none_or(|p| p == path)
            && self.fixture.as_deref().is_none_or(|f| Some(f) == fixture)
    }
}

/// An injected fault as the admin API lists it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FaultListing {
    id: u64,
    fault: String,
    method: Option<String>,
    path: Option<String>,
    fixture: Option<String>,
    /// Requests still to receive it (`null`: unlimited).
    remaining: Option<u32>,
    /// Installed by a fixture's `fault` field (comes back after a reset).
    from_fixture: bool,
}

#[derive(Debug)]
struct ActiveFault {
    id: u64,
    injection: FaultInjection,
    remaining: Option<u32>,
    from_fixture: bool,
}

/// The injected faults, in the order they are consulted: admin injections first (oldest
/// first), then the fixtures' own faults.
#[derive(Debug, Default)]
pub(crate) struct FaultBoard {
    inner: Mutex<Board>,
    /// How many faults are active: lets the request path skip the lock when there are none.
    active: AtomicUsize,
}

#[derive(Debug, Default)]
struct Board {
    next_id: u64,
    active: Vec<ActiveFault>,
}

impl FaultBoard {
    /// Adds an injection; returns its id.
    pub(crate) fn add(&self, injection: FaultInjection, from_fixture: bool) -> u64 {
        let mut board = self.lock();
        board.next_id += 1;
        let id = board.next_id;
        let fault = ActiveFault {
            id,
            remaining: injection.spec.times,
            injection,
            from_fixture,
        };
        let at = if from_fixture {
            board.active.len()
        } else {
            board
                .active
                .iter()
                .position(|f| f.from_fixture)
                .unwrap_or(board.active.len())
        };
        board.active.insert(at, fault);
        self.active.store(board.active.len(), Ordering::Release);
        id
    }

    /// The fault for a request, if any; consumes one use of it.
    pub(crate) fn take(
        &self,
        method: &str,
        path: &str,
        fixture: Option<&str>,
        ids: &IdGen,
    ) -> Option<FaultSpec> {
        if self.active.load(Ordering::Acquire) == 0 {
            return None;
        }
        let mut board = self.lock();
        let index = board.active.iter().position(|f| {
            f.injection.matches(method, path, fixture) && f.injection.spec.fires(ids)
        })?;
        let fault = &mut board.active[index];
        let spec = fault.injection.spec.clone();
        if let Some(remaining) = fault.remaining.as_mut() {
            *remaining -= 1;
            if *remaining == 0 {
                board.active.remove(index);
                self.active.store(board.active.len(), Ordering::Release);
            }
        }
        Some(spec)
    }

    pub(crate) fn list(&self) -> Vec<FaultListing> {
        self.lock()
            .active
            .iter()
            .map(|f| FaultListing {
                id: f.id,
                fault: f.injection.spec.to_string(),
                method: f.injection.method.clone(),
                path: f.injection.path.clone(),
                fixture: f.injection.fixture.clone(),
                remaining: f.remaining,
                from_fixture: f.from_fixture,
            })
            .collect()
    }

    /// Removes one injection; false when no such id.
    pub(crate) fn remove(&self, id: u64) -> bool {
        let mut board = self.lock();
        let before = board.active.len();
        board.active.retain(|f| f.id != id);
        self.active.store(board.active.len(), Ordering::Release);
        board.active.len() != before
    }

    /// Removes the admin injections (and, with `fixture_faults`, the fixtures' own too).
    pub(crate) fn clear(&self, fixture_faults: bool) {
        let mut board = self.lock();
        board.active.retain(|f| f.from_fixture && !fixture_faults);
        self.active.store(board.active.len(), Ordering::Release);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Board> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_canonically() {
        let spec: FaultSpec = " drop-after-events=3 ; delay-headers-ms=20,corrupt-hash"
            .parse()
            .unwrap();
        assert_eq!(spec.drop_after_events, Some(3));
        assert_eq!(spec.delay_headers_ms, Some(20));
        assert!(spec.corrupt_hash);
        assert_eq!(
            spec.to_string(),
            "delay-headers-ms=20,drop-after-events=3,corrupt-hash"
        );
        let again: FaultSpec = spec.to_string().parse().unwrap();
        assert_eq!(again, spec);
        for via in ["header", "ms", "body", "ratelimit-reset"] {
            let text = format!("retry-after=2,trickle-ms=5,retry-after-via={via}");
            let spec: FaultSpec = text.parse().unwrap();
            assert_eq!(spec.status, Some(429));
            assert_eq!(spec.trickle_ms, Some(5));
            assert_eq!(spec.to_string().parse::<FaultSpec>().unwrap(), spec);
            assert!(spec.to_string().contains(&format!("retry-after-via={via}")));
        }
    }

    #[test]
    fn retry_after_implies_429() {
        let spec: FaultSpec = "retry-after=7".parse().unwrap();
        assert_eq!(spec.status, Some(429));
        assert_eq!(spec.retry_after, Some(7));
        let stall: FaultSpec = "stall".parse().unwrap();
        assert_eq!(stall.stall_after_events, Some(0));
        let cut: FaultSpec = "truncate-body=10".parse().unwrap();
        assert_eq!(cut.truncate_body, Some(Truncate::Bytes(10)));
    }

    #[test]
    fn errors_name_the_item() {
        for (bad, needle) in [
            ("drop-after-event=3", "unknown fault `drop-after-event`"),
            ("status=abc", "status=abc"),
            ("status=99", "200..=599"),
            ("times=0", "times=0"),
            ("chance=2", "chance=2"),
            ("", "empty"),
            ("stall=maybe", "stall=maybe"),
            ("retry-after-via=query", "retry-after-via=query"),
            ("trickle-ms", "`trickle-ms` needs a value"),
        ] {
            let err = bad.parse::<FaultSpec>().unwrap_err().to_string();
            assert!(err.contains(needle), "{bad}: {err}");
        }
    }

    /// Regression (fuzz/fault_spec, input `reset=0`): a spec whose items are all off was
    /// accepted but printed as "", which does not parse.
    #[test]
    fn all_off_spec_is_refused_and_accepted_specs_round_trip() {
        for off in ["reset=0", "stall=false", "corrupt-hash=0;tamper-body=false"] {
            let err = off.parse::<FaultSpec>().unwrap_err().to_string();
            assert!(err.contains("every item is off"), "{off}: {err}");
        }
        for on in ["reset=1", "reset=0,corrupt-hash", "times=1", "chance=0"] {
            let spec: FaultSpec = on.parse().unwrap();
            assert_eq!(spec.to_string().parse::<FaultSpec>().unwrap(), spec, "{on}");
        }
    }

    #[test]
    fn board_counts_down_and_filters() {
        let board = FaultBoard::default();
        let ids = IdGen::new(Some(1));
        board.add(
            FaultInjection::parse("status=503,times=2")
                .unwrap()
                .path("/a"),
            false,
        );
        board.add(
            FaultInjection::parse("corrupt-hash").unwrap().fixture("f"),
            true,
        );
        assert!(board.take("GET", "/b", None, &ids).is_none());
        assert_eq!(
            board.take("GET", "/a", None, &ids).unwrap().status,
            Some(503)
        );
        assert_eq!(
            board.take("GET", "/a", None, &ids).unwrap().status,
            Some(503)
        );
        assert!(board.take("GET", "/a", None, &ids).is_none());
        assert!(
            board
                .take("GET", "/a", Some("f"), &ids)
                .unwrap()
                .corrupt_hash
        );
        board.clear(false);
        assert_eq!(
            board.list().len(),
            1,
            "fixture faults survive a plain clear"
        );
        board.clear(true);
        assert!(board.list().is_empty());
    }

    #[test]
    fn chance_is_seeded() {
        let draw = |seed| {
            let board = FaultBoard::default();
            let ids = IdGen::new(Some(seed));
            board.add(FaultInjection::parse("reset,chance=0.5").unwrap(), false);
            (0..32)
                .map(|_| board.take("GET", "/", None, &ids).is_some())
                .collect::<Vec<_>>()
        };
        assert_eq!(draw(9), draw(9));
        assert!(draw(9).contains(&true) && draw(9).contains(&false));
    }
}
