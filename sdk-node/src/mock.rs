//! `MockServer`: the `olumi-mock` library in-process, for tests (cargo feature `mock`).

use std::sync::{Mutex, PoisonError};

use napi::bindgen_prelude::Either;
use napi_derive::napi;
use olumi::Error;
use olumi_mock::{AuthMode, FaultInjection, RecordMatch};

use crate::errors::{invalid_input, to_napi};
use crate::types::{json, millis};

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
}

impl std::fmt::Debug for MockOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockOptions")
            .field("fixtures", &self.fixtures)
            .finish_non_exhaustive()
    }
}

impl TryFrom<MockOptions> for olumi_mock::MockServerBuilder {
    type Error = napi::Error;

    fn try_from(o: MockOptions) -> napi::Result<Self> {
        let mut b = olumi_mock::MockServer::builder();
        let dirs = match o.fixtures {
            Some(Either::A(dir)) => vec![dir],
            Some(Either::B(dirs)) => dirs,
            None => Vec::new(),
        };
        for dir in dirs {
            b = b.fixtures_dir(dir);
        }
        if let Some(on) = o.builtin_fixtures {
            b = b.builtin_fixtures(on);
        }
        if let Some(secret) = o.hmac_secret {
            b = b.hmac_secret(secret);
        }
        if let Some(secret) = o.resume_secret {
            b = b.resume_secret(secret);
        }
        if let Some(keys) = o.api_keys {
            b = b.api_keys(keys);
        }
        if let Some(mode) = o.auth {
            b = b.auth_mode(
                mode.parse::<AuthMode>()
                    .map_err(|e| invalid_input("auth", e))?,
            );
        }
        if let Some(ms) = o.heartbeat_ms {
            b = b.heartbeat(millis("heartbeatMs", ms)?);
        }
        if let Some(seed) = o.seed {
            b = b.seed(u64::try_from(seed).map_err(|e| invalid_input("seed", e))?);
        }
        if let Some(rpm) = o.rpm {
            b = b.rpm(rpm);
        }
        if let Some(rpm) = o.sse_rpm {
            b = b.sse_rpm(rpm);
        }
        if let Some(on) = o.resume_state {
            b = b.resume_state(on);
        }
        if let Some(on) = o.quirks {
            b = b.quirks(on);
        }
        if let Some(url) = o.proxy_to {
            b = b.proxy_to(url);
        }
        if let Some(secret) = o.upstream_hmac_secret {
            b = b.upstream_hmac_secret(secret);
        }
        if let Some(key) = o.upstream_api_key {
            b = b.upstream_api_key(key);
        }
        if let Some(dir) = o.record {
            b = b.record_dir(dir);
        }
        if let Some(on) = o.record_match {
            b = b.record_match(
                on.parse::<RecordMatch>()
                    .map_err(|e| invalid_input("recordMatch", e))?,
            );
        }
        Ok(b)
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
        let builder = olumi_mock::MockServerBuilder::try_from(options.unwrap_or_default())?;
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
