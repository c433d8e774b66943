//! `MockServer`: the `olumi-mock` library in-process, for tests (cargo feature `mock`).

use std::sync::{Mutex, PoisonError};

use napi::bindgen_prelude::Either;
use napi_derive::napi;
use olumi::Error;
use olumi_mock::{AuthMode, FaultInjection, MockServerBuilder as Builder, RecordMatch};

use crate::errors::{invalid_input, to_napi};
use crate::types::{json, millis};
use olumi::SetIfSome;

/// `MockServer.start(options)`.
#[napi(object)]
#[derive(Default)]
pub struct MockOptions {
    /// Fixture directories layered over the shipped fixtures (later wins).
    pub fixtures: Option<Either<String, Vec<String>>>,
    /// Serve the shipped fixtures too (default true).
    pub builtin_fixtures: Option<bool>,
    /// Verify HMAC signatures with this secret.
    pub hmac_secret: Option<String>,
    /// Sign resume tokens with this secret (default: the HMAC secret). Without either, streams
    /// carry no resume token.
    pub resume_secret: Option<String>,
    /// Accept these API keys.
    pub api_keys: Option<Vec<String>>,
    /// `"compat"` (default: empty body-hash slot, as the service), `"strict"` (sha256) or `"lenient"`.
    pub auth: Option<String>,
    /// SSE heartbeat interval, ms (default 10 000).
    pub heartbeat_ms: Option<f64>,
    /// Seed of generated ids, jitter and chance faults.
    pub seed: Option<i64>,
    /// Requests per minute per key (0: unlimited; default 120).
    pub rpm: Option<u32>,
    /// Stream requests per minute per key (0: unlimited; default 20).
    pub sse_rpm: Option<u32>,
    /// Keep stream state so resumes work (default true; false answers resumes with 426).
    pub resume_state: Option<bool>,
    /// Reproduce the service's quirks exactly.
    pub quirks: Option<bool>,
    /// Forward requests that no fixture matches to this upstream URL.
    pub proxy_to: Option<String>,
    /// Sign forwarded requests with this HMAC secret.
    pub upstream_hmac_secret: Option<String>,
    /// Send this API key with forwarded requests.
    pub upstream_api_key: Option<String>,
    /// Write every proxied exchange as a fixture file into this directory.
    pub record: Option<String>,
    /// What recorded fixtures match on: `"path"` (default) or `"body"`.
    pub record_match: Option<String>,
    /// Keep stream state, HMAC nonces and quotas in this Redis (`redis://127.0.0.1:6379/0`),
    /// shared by a pool of mocks.
    pub redis_url: Option<String>,
    /// Prefix of every Redis key (default `olumi-mock:`).
    pub redis_prefix: Option<String>,
}

impl TryFrom<MockOptions> for Builder {
    type Error = napi::Error;

    fn try_from(o: MockOptions) -> napi::Result<Self> {
        let dirs = match o.fixtures {
            Some(Either::A(dir)) => vec![dir],
            Some(Either::B(dirs)) => dirs,
            None => Vec::new(),
        };
        let auth = parse_option::<AuthMode>("auth", o.auth)?;
        let heartbeat = o
            .heartbeat_ms
            .map(|ms| millis("heartbeatMs", ms))
            .transpose()?;
        let seed = o
            .seed
            .map(u64::try_from)
            .transpose()
            .map_err(|e| invalid_input("seed", e))?;
        let record_match = parse_option::<RecordMatch>("recordMatch", o.record_match)?;
        let b = dirs
            .into_iter()
            .fold(olumi_mock::MockServer::builder(), Self::fixtures_dir)
            .set_if_some(o.builtin_fixtures, Self::builtin_fixtures)
            .set_if_some(o.hmac_secret, Self::hmac_secret)
            .set_if_some(o.resume_secret, Self::resume_secret)
            .set_if_some(o.api_keys, Self::api_keys)
            .set_if_some(auth, Self::auth_mode)
            .set_if_some(heartbeat, Self::heartbeat)
            .set_if_some(seed, Self::seed)
            .set_if_some(o.rpm, Self::rpm)
            .set_if_some(o.sse_rpm, Self::sse_rpm)
            .set_if_some(o.resume_state, Self::resume_state)
            .set_if_some(o.quirks, Self::quirks)
            .set_if_some(o.proxy_to, Self::proxy_to)
            .set_if_some(o.upstream_hmac_secret, Self::upstream_hmac_secret)
            .set_if_some(o.upstream_api_key, Self::upstream_api_key)
            .set_if_some(o.record, Self::record_dir)
            .set_if_some(record_match, Self::record_match)
            .set_if_some(o.redis_url, Self::redis_url)
            .set_if_some(o.redis_prefix, Self::redis_prefix);
        Ok(b)
    }
}

/// An option given as text, parsed by its type (`auth`, `recordMatch`); an error names the option.
fn parse_option<T>(name: &str, value: Option<String>) -> napi::Result<Option<T>>
where
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    value
        .map(|text| text.parse::<T>())
        .transpose()
        .map_err(|e| invalid_input(name, e))
}

/// Only what tells one mock's options from another's: the secrets, keys and the Redis URL (it
/// may hold a password) never appear, and the started `MockServer` shows its own settings.
impl std::fmt::Debug for MockOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockOptions")
            .field("fixtures", &self.fixtures)
            .field("auth", &self.auth)
            .finish_non_exhaustive()
    }
}

/// Which requests an injected fault applies to.
#[napi(object)]
#[derive(Debug, Default)]
pub struct FaultFilter {
    /// Only this method.
    pub method: Option<String>,
    /// Only this exact path (query ignored).
    pub path: Option<String>,
    /// Only requests answered by this fixture.
    pub fixture: Option<String>,
}

/// What `verify` found.
#[napi(object)]
#[derive(Debug)]
pub struct VerifyOutcome {
    /// How many requests matched.
    pub count: f64,
    /// Why the verification failed (what matched, the nearest requests that did not); absent
    /// when it passed.
    pub failure: Option<String>,
}

/// A JSON matcher, checked by the mock's own parser.
fn request_matcher(text: &str) -> napi::Result<olumi_mock::RequestMatcher> {
    olumi_mock::RequestMatcher::from_json(text).map_err(|e| invalid_input("matcher", e))
}

/// A non-negative whole number given as a JS number.
fn sequence(what: &str, n: f64) -> napi::Result<u64> {
    if n.is_finite() && n >= 0.0 && n.fract() == 0.0 && n <= 9_007_199_254_740_991.0 {
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "checked: a whole number in 0..=2^53-1"
        )]
        Ok(n as u64)
    } else {
        Err(invalid_input(what, "expected a whole number >= 0"))
    }
}

/// A running mock server bound to 127.0.0.1 on a free port.
#[napi]
#[derive(Debug)]
pub struct MockServer {
    url: String,
    inner: Mutex<Option<olumi_mock::MockServer>>,
}

#[napi]
impl MockServer {
    /// Starts a server on 127.0.0.1, any free port.
    #[napi(factory, catch_unwind)]
    pub async fn start(options: Option<MockOptions>) -> napi::Result<Self> {
        let builder = Builder::try_from(options.unwrap_or_default())?;
        let server = builder
            .start()
            .await
            .map_err(|e| to_napi(Error::config(format!("mock server: {e}"))))?;
        Ok(Self {
            url: server.url(),
            inner: Mutex::new(Some(server)),
        })
    }

    /// The base URL, such as `http://127.0.0.1:43117`.
    #[napi(getter, catch_unwind)]
    pub fn url(&self) -> String {
        self.url.clone()
    }

    /// Every recorded request (secrets redacted) after sequence number `since` (all for 0 or
    /// none), as a JSON array.
    #[napi(catch_unwind)]
    pub fn journal(&self, since: Option<f64>) -> napi::Result<String> {
        let since = sequence("since", since.unwrap_or(0.0))?;
        json(
            &self
                .with(|server| server.journal_since(since))
                .unwrap_or_default(),
        )
    }

    /// The recorded requests that the JSON matcher matches, as a JSON array.
    #[napi(catch_unwind)]
    pub fn find_requests(&self, matcher: String) -> napi::Result<String> {
        let matcher = request_matcher(&matcher)?;
        json(
            &self
                .with(|server| server.find_requests(&matcher))
                .unwrap_or_default(),
        )
    }

    /// Counts the recorded requests the JSON matcher matches against `times` (at least one when
    /// absent): `failure` is the message listing the nearest requests when the count is wrong.
    #[napi(catch_unwind)]
    pub fn verify(&self, matcher: String, times: Option<f64>) -> napi::Result<VerifyOutcome> {
        let matcher = request_matcher(&matcher)?;
        let times = times
            .map(|t| sequence("times", t).map(|t| usize::try_from(t).unwrap_or(usize::MAX)))
            .transpose()?;
        let outcome = self
            .with(|server| server.verify(&matcher, times))
            .ok_or_else(|| to_napi(Error::config("the mock server is closed")))?;
        #[allow(clippy::cast_precision_loss, reason = "request counts are small")]
        Ok(match outcome {
            Ok(count) => VerifyOutcome {
                count: count as f64,
                failure: None,
            },
            Err(e) => VerifyOutcome {
                count: e.found as f64,
                failure: Some(e.message),
            },
        })
    }

    /// Injects a fault (`"status=503,times=2"`, `"drop-after-events=2"`, ...); returns its id.
    #[napi(catch_unwind)]
    pub fn inject_fault(&self, spec: String, filter: Option<FaultFilter>) -> napi::Result<f64> {
        let filter = filter.unwrap_or_default();
        let mut injection = FaultInjection::parse(&spec).map_err(|e| invalid_input("fault", e))?;
        injection.method = filter.method.map(|m| m.to_ascii_uppercase());
        injection.path = filter.path;
        injection.fixture = filter.fixture;
        #[allow(clippy::cast_precision_loss, reason = "fault ids are small counters")]
        Ok(self
            .with(|server| server.inject_fault(injection) as f64)
            .unwrap_or(0.0))
    }

    /// Back to the start state (journal, faults, rate limits, nonces, stream state).
    #[napi(catch_unwind)]
    pub fn reset(&self) {
        self.with(olumi_mock::MockServer::reset);
    }

    /// Stops the server and waits for its connections to close. Idempotent.
    #[napi(catch_unwind)]
    pub async fn close(&self) {
        let server = self
            .inner
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(server) = server {
            server.shutdown().await;
        }
    }
}

impl MockServer {
    /// Runs `f` on the server unless it was closed.
    fn with<T>(&self, f: impl FnOnce(&olumi_mock::MockServer) -> T) -> Option<T> {
        self.inner
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
            .map(f)
    }
}
