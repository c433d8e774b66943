//! The server: the builder, the running [`MockServer`], and the state requests share.

use crate::share::ShareStore;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use axum::Router;
use tokio::task::JoinHandle;

use crate::admin;
use crate::auth::Auth;
use crate::body::{Shutdown, ShutdownSender};
use crate::config::{AuthMode, Config};
use crate::faults::{FaultBoard, FaultInjection};
use crate::fixtures::{FixtureError, FixtureSet};
use crate::ids::IdGen;
use crate::journal::{Journal, JournalEntry};
use crate::listen;
use crate::live::{FEED_CAPACITY, LiveFeed};
use crate::matching::Scenarios;
use crate::proxy::{Proxy, ProxyConfig, RecordMatch};
use crate::rate_limit::RateLimiter;
use crate::redis_state::{RedisStartError, RedisState};
use crate::resume::{MemoryStreamStore, StreamState, StreamStore};
use crate::streams::StreamRegistry;
use crate::verify::{self, RequestMatcher, VerifyError};

/// Why the server did not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StartError {
    /// A fixture file is invalid.
    #[error(transparent)]
    Fixture(#[from] FixtureError),
    /// The address cannot be bound.
    #[error("cannot listen on {addr}: {reason}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// A plain-words reason.
        reason: String,
        /// The operating system's error.
        #[source]
        source: io::Error,
    },
    /// A setting is invalid.
    #[error("invalid configuration: {0}")]
    Config(String),
    /// `redis_url` is set and Redis cannot be reached (the error names the URL, password
    /// hidden).
    #[error(transparent)]
    Redis(#[from] RedisStartError),
}

/// Configures and starts a [`MockServer`]. Every setting has the service's default.
#[derive(Debug, Default)]
#[must_use]
pub struct MockServerBuilder {
    config: Config,
}

impl MockServerBuilder {
    /// The address to bind (default 127.0.0.1).
    pub fn host(mut self, host: IpAddr) -> Self {
        self.config.host = host;
        self
    }

    /// The port to bind (default 0: any free port).
    pub fn port(mut self, port: u16) -> Self {
        self.config.port = port;
        self
    }

    /// Accepts this API key (repeatable).
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.config.api_keys.push(key.into());
        self
    }

    /// Accepts these API keys.
    pub fn api_keys<I, S>(mut self, keys: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.config
            .api_keys
            .extend(keys.into_iter().map(Into::into));
        self
    }

    /// Verifies signatures made with this secret (repeatable: several secrets, as in a rotation).
    pub fn hmac_secret(mut self, secret: impl Into<String>) -> Self {
        self.config.hmac_secrets.push(secret.into());
        self
    }

    /// Signs resume tokens with this secret (default: the first HMAC secret).
    pub fn resume_secret(mut self, secret: impl Into<String>) -> Self {
        self.config.resume_secret = Some(secret.into());
        self
    }

    /// How signatures are checked (default [`AuthMode::Compat`]).
    pub fn auth_mode(mut self, mode: AuthMode) -> Self {
        self.config.auth_mode = mode;
        self
    }

    /// The accepted clock skew of signed requests (default 5 minutes).
    pub fn max_skew(mut self, skew: Duration) -> Self {
        self.config.max_skew_ms = u64::try_from(skew.as_millis()).unwrap_or(u64::MAX);
        self
    }

    /// How many nonces the replay check remembers (default 10 000, as the service). When more
    /// signed requests than this arrive within the skew window, the oldest-stamped nonce is
    /// dropped and requests stamped at or before it are refused with 403 `REPLAY_RISK`; memory
    /// stays bounded and no replay passes.
    pub fn nonce_capacity(mut self, nonces: usize) -> Self {
        self.config.nonce_capacity = nonces;
        self
    }

    /// The SSE heartbeat interval (default 10 s).
    pub fn heartbeat(mut self, interval: Duration) -> Self {
        self.config.heartbeat = interval;
        self
    }

    /// Seeds generated ids, jitter and `chance` faults, so runs repeat.
    pub fn seed(mut self, seed: u64) -> Self {
        self.config.seed = Some(seed);
        self
    }

    /// Requests per minute per key (default 120; 0 disables the limit).
    pub fn rpm(mut self, rpm: u32) -> Self {
        self.config.rpm = rpm;
        self
    }

    /// Stream requests per minute per key (default 20; 0 disables the limit).
    pub fn sse_rpm(mut self, rpm: u32) -> Self {
        self.config.sse_rpm = rpm;
        self
    }

    /// Reproduces the service's quirks exactly (no `Retry-After` on 429, 500 on invalid JSON,
    /// 400 for a body over the limit, a connection reset for a resume of a running stream).
    pub fn quirks(mut self, on: bool) -> Self {
        self.config.quirks = on;
        self
    }

    /// The largest accepted request body (default 1 MiB).
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.config.body_limit = bytes;
        self
    }

    /// How long a connection may take to send a request's head (request line and headers) before
    /// it is closed (default 10 s). Idle keep-alive connections are closed after the same time.
    pub fn header_timeout(mut self, timeout: Duration) -> Self {
        self.config.header_timeout = timeout;
        self
    }

    /// The largest request head (request line and headers) accepted, in bytes (default 16 KiB,
    /// as Node's); a larger head, or more than 100 header lines, gets 431.
    pub fn max_header_bytes(mut self, bytes: usize) -> Self {
        self.config.max_header_bytes = bytes;
        self
    }

    /// The most connections served at once (default 10 000). A connection over the limit gets
    /// 503 `error.v1` with `Retry-After: 1` and is closed.
    pub fn max_connections(mut self, connections: usize) -> Self {
        self.config.max_connections = connections;
        self
    }

    /// Keeps stream state for resumes (default true). Off, the server behaves like the service
    /// without Redis: `X-Olumi-Degraded: redis` on streams, and resumes answer 426.
    pub fn resume_state(mut self, on: bool) -> Self {
        self.config.resume_state = on;
        self
    }

    /// Keeps stream state in `store` instead of the in-memory store.
    pub fn stream_store(mut self, store: Arc<dyn StreamStore>) -> Self {
        self.config.stream_store = Some(store);
        self
    }

    /// Keeps the shared state (stream state for resumes, HMAC nonces, per-key token buckets) in
    /// Redis at `url` (such as `redis://127.0.0.1:6379/0`), so that several mocks behind a load
    /// balancer behave like one service. `start` fails when Redis does not answer; while it is
    /// lost, the server gives the service's degraded answers and reconnects by itself.
    pub fn redis_url(mut self, url: impl Into<String>) -> Self {
        self.config.redis_url = Some(url.into());
        self
    }

    /// The prefix of every Redis key (default `olumi-mock:`), so that several test suites can
    /// share one Redis.
    pub fn redis_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.config.redis_prefix = prefix.into();
        self
    }

    /// How often a live resume looks for new events (default 50 ms; the service polls every
    /// 1.5 s).
    pub fn live_poll(mut self, interval: Duration) -> Self {
        self.config.live_poll = interval;
        self
    }

    /// Adds a fixture directory as a layer over the shipped fixtures (repeatable; later wins).
    pub fn fixtures_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.config.fixture_dirs.push(dir.into());
        self
    }

    /// Whether the shipped fixtures are loaded under the directories (default true).
    pub fn builtin_fixtures(mut self, on: bool) -> Self {
        self.config.builtin_fixtures = on;
        self
    }

    /// How many requests the journal keeps (default 10 000; oldest dropped first).
    pub fn journal_capacity(mut self, entries: usize) -> Self {
        self.config.journal_capacity = entries;
        self
    }

    /// Forwards every request that no fixture matches to `url` (such as
    /// `https://assistants.example.com`), re-signed with the upstream credentials, and answers
    /// with what it answers (journaled with `source: proxy`).
    pub fn proxy_to(mut self, url: impl Into<String>) -> Self {
        self.proxy_config().upstream = url.into();
        self
    }

    /// Signs forwarded requests with this HMAC secret (with [`Self::proxy_to`]).
    pub fn upstream_hmac_secret(mut self, secret: impl Into<String>) -> Self {
        self.proxy_config().hmac_secret = Some(secret.into());
        self
    }

    /// Sends this API key with forwarded requests (with [`Self::proxy_to`]).
    pub fn upstream_api_key(mut self, key: impl Into<String>) -> Self {
        self.proxy_config().api_key = Some(key.into());
        self
    }

    /// Writes every proxied exchange as a fixture file into `dir` (with [`Self::proxy_to`]); the
    /// directory then loads with [`Self::fixtures_dir`] and answers the same.
    pub fn record_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.proxy_config().record_dir = Some(dir.into());
        self
    }

    /// What a recorded fixture matches on (default [`RecordMatch::Path`]).
    pub fn record_match(mut self, on: RecordMatch) -> Self {
        self.proxy_config().record_match = on;
        self
    }

    fn proxy_config(&mut self) -> &mut ProxyConfig {
        self.config.proxy.get_or_insert_with(ProxyConfig::default)
    }

    /// Loads and checks everything, binds, and starts serving on the current tokio runtime.
    pub async fn start(self) -> Result<MockServer, StartError> {
        let config = self.config;
        if config.heartbeat.is_zero() {
            return Err(StartError::Config(
                "the heartbeat interval must be positive".into(),
            ));
        }
        if config.live_poll.is_zero() {
            return Err(StartError::Config(
                "the live poll interval must be positive".into(),
            ));
        }
        if config.header_timeout.is_zero() {
            return Err(StartError::Config(
                "the header timeout must be positive".into(),
            ));
        }
        if config.max_header_bytes == 0 {
            return Err(StartError::Config(
                "the header size limit must be at least 1 byte".into(),
            ));
        }
        if config.max_connections == 0 {
            return Err(StartError::Config(
                "the connection limit must be at least 1".into(),
            ));
        }
        if config.nonce_capacity == 0 {
            return Err(StartError::Config(
                "the nonce capacity must be at least 1".into(),
            ));
        }
        if config.hmac_secrets.iter().any(String::is_empty) {
            return Err(StartError::Config("an HMAC secret is empty".into()));
        }
        let proxy = match &config.proxy {
            Some(p) => Some(Proxy::new(p).map_err(StartError::Config)?),
            None => None,
        };
        if config.redis_url.is_some() && config.stream_store.is_some() {
            return Err(StartError::Config(
                "a custom stream store and a Redis URL cannot both be set".into(),
            ));
        }
        let fixtures = FixtureSet::load(config.builtin_fixtures, &config.fixture_dirs)?;
        let redis = match &config.redis_url {
            Some(url) => Some(Arc::new(
                RedisState::connect(url, &config.redis_prefix, config.resume_ttl, 1000).await?,
            )),
            None => None,
        };
        let auth = Auth::new(&config)
            .map_err(StartError::Config)?
            .with_redis(redis.clone());
        let addr = SocketAddr::new(config.host, config.port);
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|source| StartError::Bind {
                addr,
                reason: bind_reason(&source),
                source,
            })?;
        let local = listener.local_addr().map_err(|source| StartError::Bind {
            addr,
            reason: "cannot read the bound address".into(),
            source,
        })?;
        let store = match (&redis, config.resume_state) {
            (_, false) => None,
            (Some(redis), true) => Some(StreamState::Redis(Arc::clone(redis))),
            (None, true) => Some(StreamState::Local(
                config
                    .stream_store
                    .clone()
                    .unwrap_or_else(|| -> Arc<dyn StreamStore> {
                        Arc::new(MemoryStreamStore::new(config.resume_ttl, 10_000, 1000))
                    }),
            )),
        };
        let (stop_tx, shutdown) = Shutdown::new();
        let live = Arc::new(LiveFeed::new(FEED_CAPACITY));
        let app = Arc::new(App {
            streams: Arc::new(StreamRegistry::new(Arc::clone(&live))),
            live,
            limiter: RateLimiter::new(config.rpm, config.sse_rpm).with_redis(redis),
            journal: Journal::new(config.journal_capacity),
            faults: FaultBoard::default(),
            fixtures: RwLock::new(Arc::new(fixtures)),
            scenarios: Scenarios::default(),
            ids: Arc::new(IdGen::new(config.seed)),
            store,
            auth,
            shutdown: shutdown.clone(),
            started: Instant::now(),
            shares: ShareStore::default(),
            proxy,
            runtime: tokio::runtime::Handle::current(),
            config,
        });
        app.install_fixture_faults();
        let admin = Router::new()
            .nest("/__admin", admin::router())
            .with_state(Arc::clone(&app));
        let task = tokio::spawn(listen::serve(listener, Arc::clone(&app), admin, shutdown));
        tracing::info!(addr = %local, auth = %app.config.auth_mode, "olumi-mock listening");
        Ok(MockServer {
            addr: local,
            app,
            stop: stop_tx,
            task: Some(task),
        })
    }
}

fn bind_reason(err: &io::Error) -> String {
    match err.kind() {
        io::ErrorKind::AddrInUse => "the address is already in use (another server is listening \
                                     there; choose another --port, or 0 for any free port)"
            .into(),
        io::ErrorKind::PermissionDenied => {
            "permission denied (ports below 1024 need privileges)".into()
        }
        io::ErrorKind::AddrNotAvailable => "the address is not available on this machine".into(),
        _ => err.to_string(),
    }
}

/// A running mock server. Dropping it stops it (in the background); [`MockServer::shutdown`]
/// stops it and waits.
pub struct MockServer {
    addr: SocketAddr,
    app: Arc<App>,
    stop: ShutdownSender,
    task: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for MockServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockServer")
            .field("addr", &self.addr)
            .field("config", &self.app.config)
            .finish_non_exhaustive()
    }
}

impl MockServer {
    /// A builder with the service's defaults.
    pub fn builder() -> MockServerBuilder {
        MockServerBuilder::default()
    }

    /// The base URL, such as `http://127.0.0.1:43117`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Every recorded request, in arrival order (admin requests are not recorded).
    pub fn journal(&self) -> Vec<JournalEntry> {
        self.app.journal.snapshot()
    }

    /// The journaled requests after sequence number `seq` (every one for 0), for long suites
    /// that look only at what happened since a point.
    pub fn journal_since(&self, seq: u64) -> Vec<JournalEntry> {
        self.app.journal.since(seq)
    }

    /// The journaled requests that `matcher` matches, in arrival order.
    pub fn find_requests(&self, matcher: &RequestMatcher) -> Vec<JournalEntry> {
        let entries = self.app.journal.snapshot();
        verify::find(&entries, matcher)
            .into_iter()
            .cloned()
            .collect()
    }

    /// Checks that `matcher` matches exactly `times` journaled requests (at least one when
    /// `times` is `None`); returns how many did.
    ///
    /// # Errors
    /// [`VerifyError`], whose message lists the requests that matched and the nearest ones that
    /// did not, with why.
    pub fn verify(
        &self,
        matcher: &RequestMatcher,
        times: Option<usize>,
    ) -> Result<usize, VerifyError> {
        verify::verify(&self.app.journal.snapshot(), matcher, times)
    }

    /// Back to the start state: empties the journal, removes injected faults, refills rate
    /// limits, forgets nonces, stream state, share links and scenario states, and restarts the
    /// seeded ids. With Redis, the keys under the prefix are deleted in the background (for
    /// the whole pool); [`MockServer::reset_shared`] waits for it.
    pub fn reset(&self) {
        self.app.reset();
        if self.app.shared_state() {
            let app = Arc::clone(&self.app);
            self.app
                .runtime
                .spawn(async move { app.reset_shared().await });
        }
    }

    /// [`MockServer::reset`], waiting until the shared state in Redis (every key under the
    /// prefix, for the whole pool) is deleted.
    pub async fn reset_shared(&self) {
        self.app.reset();
        self.app.reset_shared().await;
    }

    /// Injects a fault; returns its id.
    pub fn inject_fault(&self, injection: FaultInjection) -> u64 {
        self.app.faults.add(injection, false)
    }

    /// Removes the injected faults (fixtures' own faults stay).
    pub fn clear_faults(&self) {
        self.app.faults.clear(false);
    }

    /// Moves the share links' clock forward by `by`, so a test can expire a share without
    /// waiting (`reset` puts it back).
    pub fn advance_share_clock(&self, by: Duration) {
        self.app
            .shares
            .advance(u64::try_from(by.as_millis()).unwrap_or(u64::MAX));
    }

    /// Sets a scenario's state.
    pub fn set_scenario(&self, name: &str, state: &str) {
        self.app.scenarios.set(name, state);
    }

    /// Reloads the fixtures from the shipped set and the directories; on error the current set
    /// stays. Returns how many fixtures are loaded.
    pub fn reload_fixtures(&self) -> Result<usize, FixtureError> {
        self.app.reload_fixtures()
    }

    /// Stops accepting, ends open streams, and waits (at most 5 s) for connections to close.
    pub async fn shutdown(mut self) {
        self.stop.stop();
        if let Some(mut task) = self.task.take()
            && tokio::time::timeout(Duration::from_secs(5), &mut task)
                .await
                .is_err()
        {
            task.abort();
        }
        tracing::info!(addr = %self.addr, "olumi-mock stopped");
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        self.stop.stop();
    }
}

/// Everything requests share.
#[derive(Debug)]
pub(crate) struct App {
    pub(crate) config: Config,
    pub(crate) auth: Auth,
    pub(crate) limiter: RateLimiter,
    pub(crate) journal: Journal,
    pub(crate) faults: FaultBoard,
    pub(crate) fixtures: RwLock<Arc<FixtureSet>>,
    pub(crate) scenarios: Scenarios,
    pub(crate) store: Option<StreamState>,
    pub(crate) ids: Arc<IdGen>,
    pub(crate) shutdown: Shutdown,
    pub(crate) started: Instant,
    pub(crate) shares: ShareStore,
    /// The dashboard's live feed (`/__admin/events`).
    pub(crate) live: Arc<LiveFeed>,
    /// The dashboard's streams in flight (`/__admin/streams`).
    pub(crate) streams: Arc<StreamRegistry>,
    /// `--proxy-to`: where unmatched requests go.
    pub(crate) proxy: Option<Proxy>,
    /// The runtime the server runs on (a reset from outside it deletes Redis keys there).
    pub(crate) runtime: tokio::runtime::Handle,
}

impl App {
    pub(crate) fn fixtures(&self) -> Arc<FixtureSet> {
        Arc::clone(&self.fixtures.read().unwrap_or_else(|p| p.into_inner()))
    }

    pub(crate) fn reload_fixtures(&self) -> Result<usize, FixtureError> {
        let set = FixtureSet::load(self.config.builtin_fixtures, &self.config.fixture_dirs)?;
        let count = set.iter().count();
        *self.fixtures.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(set);
        self.faults.clear(true);
        self.install_fixture_faults();
        tracing::info!(count, "fixtures reloaded");
        Ok(count)
    }

    fn install_fixture_faults(&self) {
        for f in self.fixtures().iter() {
            if let Some(spec) = &f.fault {
                self.faults
                    .add(FaultInjection::new(spec.clone()).fixture(&f.name), true);
            }
        }
    }

    pub(crate) fn reset(&self) {
        self.journal.clear();
        self.streams.clear();
        self.faults.clear(true);
        self.install_fixture_faults();
        self.limiter.reset();
        self.auth.reset();
        self.shares.clear();
        if let Some(StreamState::Local(store)) = &self.store {
            store.clear();
        }
        self.scenarios.clear();
        self.ids.reset();
    }

    /// Whether state is kept in Redis.
    pub(crate) fn shared_state(&self) -> bool {
        self.config.redis_url.is_some()
    }

    /// Deletes the shared state (every Redis key under the prefix).
    pub(crate) async fn reset_shared(&self) {
        if let Some(store @ StreamState::Redis(_)) = &self.store {
            store.clear().await;
        } else if let Some(redis) = self.limiter.redis() {
            drop(redis.clear().await);
        }
    }

    pub(crate) fn resume_secret(&self) -> Option<String> {
        self.config.effective_resume_secret().map(str::to_owned)
    }
}
