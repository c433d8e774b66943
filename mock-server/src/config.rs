//! The server's settings, as the builder and the CLI fill them in.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr};
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use crate::resume::StreamStore;

/// How long a connection may take to send a request's head (request line and headers); idle
/// keep-alive connections are closed after the same time. Hyper's default is 30 s, Node's 60 s;
/// a real client sends its head in milliseconds.
pub(crate) const DEFAULT_HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// The largest request head (request line and headers) accepted, as Node's default: larger
/// heads get 431.
pub(crate) const DEFAULT_MAX_HEADER_BYTES: usize = 16 * 1024;
/// The most connections served at once; more get 503 and are closed.
pub(crate) const DEFAULT_MAX_CONNECTIONS: usize = 10_000;

/// How signed requests are verified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AuthMode {
    /// Like the deployed service: the body-hash slot must be empty; the legacy form (no timestamp,
    /// no nonce) is accepted.
    #[default]
    Compat,
    /// The documented design: the body-hash slot must be the SHA-256 of the body; legacy
    /// signatures are rejected.
    Strict,
    /// Either body-hash form and the legacy form: for clients such as the official TypeScript SDK
    /// that put `sha256(body)` in the slot. Not how the service behaves.
    Lenient,
}

impl AuthMode {
    /// The flag value: `compat`, `strict` or `lenient`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Compat => "compat",
            Self::Strict => "strict",
            Self::Lenient => "lenient",
        }
    }
}

impl fmt::Display for AuthMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An auth mode name that is not `compat`, `strict` or `lenient`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown auth mode {0:?}: expected compat, strict or lenient")]
pub struct ParseAuthModeError(String);

impl FromStr for AuthMode {
    type Err = ParseAuthModeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "compat" => Ok(Self::Compat),
            "strict" => Ok(Self::Strict),
            "lenient" => Ok(Self::Lenient),
            other => Err(ParseAuthModeError(other.chars().take(40).collect())),
        }
    }
}

/// Everything the server needs to start. Secrets are redacted from `Debug`.
#[derive(Clone)]
pub(crate) struct Config {
    pub(crate) host: IpAddr,
    pub(crate) port: u16,
    pub(crate) api_keys: Vec<String>,
    pub(crate) hmac_secrets: Vec<String>,
    pub(crate) resume_secret: Option<String>,
    pub(crate) auth_mode: AuthMode,
    pub(crate) max_skew_ms: u64,
    pub(crate) nonce_capacity: usize,
    pub(crate) heartbeat: Duration,
    pub(crate) seed: Option<u64>,
    pub(crate) rpm: u32,
    pub(crate) sse_rpm: u32,
    pub(crate) quirks: bool,
    pub(crate) body_limit: usize,
    pub(crate) header_timeout: Duration,
    pub(crate) max_header_bytes: usize,
    pub(crate) max_connections: usize,
    pub(crate) resume_state: bool,
    pub(crate) stream_store: Option<Arc<dyn StreamStore>>,
    pub(crate) resume_ttl: Duration,
    pub(crate) live_resume_limit: Duration,
    pub(crate) live_poll: Duration,
    pub(crate) fixture_dirs: Vec<PathBuf>,
    pub(crate) builtin_fixtures: bool,
    pub(crate) journal_capacity: usize,
    /// `--proxy-to` and `--record`: forwarding of unmatched requests (secrets redacted in its
    /// `Debug`).
    pub(crate) proxy: Option<crate::proxy::ProxyConfig>,
    /// Shared state in Redis (`--redis-url`); the URL may hold a password.
    pub(crate) redis_url: Option<String>,
    pub(crate) redis_prefix: String,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
            api_keys: Vec::new(),
            hmac_secrets: Vec::new(),
            resume_secret: None,
            auth_mode: AuthMode::Compat,
            max_skew_ms: olumi::verify::DEFAULT_MAX_SKEW_MS,
            nonce_capacity: olumi::verify::DEFAULT_NONCE_CAPACITY,
            heartbeat: Duration::from_secs(10),
            seed: None,
            rpm: 120,
            sse_rpm: 20,
            quirks: false,
            body_limit: 1024 * 1024,
            header_timeout: DEFAULT_HEADER_TIMEOUT,
            max_header_bytes: DEFAULT_MAX_HEADER_BYTES,
            max_connections: DEFAULT_MAX_CONNECTIONS,
            resume_state: true,
            stream_store: None,
            resume_ttl: Duration::from_secs(15 * 60),
            live_resume_limit: Duration::from_secs(120),
            live_poll: Duration::from_millis(50),
            fixture_dirs: Vec::new(),
            builtin_fixtures: true,
            journal_capacity: 10_000,
            proxy: None,
            redis_url: None,
            redis_prefix: crate::redis_state::DEFAULT_REDIS_PREFIX.to_owned(),
        }
    }
}

impl Config {
    /// The secret that signs resume tokens: `--resume-secret`, else the first HMAC secret.
    pub(crate) fn effective_resume_secret(&self) -> Option<&str> {
        self.resume_secret
            .as_deref()
            .or_else(|| self.hmac_secrets.first().map(String::as_str))
            .filter(|s| !s.is_empty())
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("host", &self.host)
            .field("port", &self.port)
            .field(
                "api_keys",
                &format_args!("<{} redacted>", self.api_keys.len()),
            )
            .field(
                "hmac_secrets",
                &format_args!("<{} redacted>", self.hmac_secrets.len()),
            )
            .field(
                "resume_secret",
                &self.resume_secret.as_ref().map(|_| "<redacted>"),
            )
            .field("auth_mode", &self.auth_mode)
            .field("max_skew_ms", &self.max_skew_ms)
            .field("nonce_capacity", &self.nonce_capacity)
            .field("heartbeat", &self.heartbeat)
            .field("seed", &self.seed)
            .field("rpm", &self.rpm)
            .field("sse_rpm", &self.sse_rpm)
            .field("quirks", &self.quirks)
            .field("body_limit", &self.body_limit)
            .field("header_timeout", &self.header_timeout)
            .field("max_header_bytes", &self.max_header_bytes)
            .field("max_connections", &self.max_connections)
            .field("resume_state", &self.resume_state)
            .field("custom_stream_store", &self.stream_store.is_some())
            .field("fixture_dirs", &self.fixture_dirs)
            .field("builtin_fixtures", &self.builtin_fixtures)
            .field("proxy", &self.proxy)
            .field(
                "redis_url",
                &self
                    .redis_url
                    .as_deref()
                    .map(crate::redis_state::redact_url),
            )
            .field("redis_prefix", &self.redis_prefix)
            .finish_non_exhaustive()
    }
}
