//! `MockServer`: the `olumi-mock` library in-process, for tests (cargo feature `mock`).

use std::sync::{Mutex, PoisonError};

use napi::bindgen_prelude::Either;
use napi_derive::napi;
use olumi::Error;
use olumi_mock::{AuthMode, FaultInjection};

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
    /// Keep stream state, HMAC nonces and quotas in this Redis (`redis://127.0.0.1:6379/0`),
    /// shared by a pool of mocks.
    pub redis_url: Option<String>,
    /// Prefix of every Redis key (default `olumi-mock:`).
    pub redis_prefix: Option<String>,
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
        if let Some(url) = o.redis_url {
            b = b.redis_url(url);
        }
        if let Some(prefix) = o.redis_prefix {
            b = b.redis_prefix(prefix);
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

    /// Every recorded request (secrets redacted), as a JSON array.
    #[napi(catch_unwind)]
    pub fn journal(&self) -> napi::Result<String> {
        json(
            &self
                .with(olumi_mock::MockServer::journal)
                .unwrap_or_default(),
        )
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
