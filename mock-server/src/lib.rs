//! `olumi-mock`: the Olumi Assistants Service's behaviour, canned, with faults on command.
//!
//! Start it in-process from a Rust test, point a client at [`MockServer::url`], then assert on
//! what the client did through [`MockServer::journal`]:
//!
//! ```no_run
//! # async fn demo() -> Result<(), olumi_mock::StartError> {
//! use std::time::Duration;
//! use olumi_mock::{AuthMode, FaultInjection, MockServer};
//!
//! let server = MockServer::builder()
//!     .hmac_secret("test-hmac-secret")
//!     .auth_mode(AuthMode::Compat)
//!     .heartbeat(Duration::from_millis(50))
//!     .seed(7)
//!     .start()
//!     .await?;
//! // Two 503s, then the canned answer.
//! server.inject_fault(FaultInjection::parse("status=503,times=2").unwrap().path("/assist/draft-graph"));
//! // ... run the client against server.url() ...
//! for entry in server.journal() {
//!     println!("{} {} -> {} (nonce {:?})", entry.method, entry.target, entry.status, entry.nonce);
//! }
//! server.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! The same server runs as the `olumi-mock` binary; `docs/mock-server.md` describes its flags,
//! the fixture format, the fault syntax and the admin API.
//!
//! Module map (one reason to change each): `server` (builder, [`MockServer`], shared state),
//! `listen` (accept loop), `handler` (one request's path), `auth` (API keys and signatures
//! through the core's verifier), `rate_limit` (token buckets), `fixtures` (the file format and
//! loading), `matching` (fixture matching, near misses, scenarios), `validation` (input checks),
//! `faults` (fault syntax and the fault board), `sse_stream` (writing event streams),
//! `resume` (tokens and the [`StreamStore`]), `journal`, `explain` (why auth refused a request),
//! `verify` (request matchers and [`MockServer::verify`]), `proxy` (`--proxy-to`: forwarding to
//! an upstream), `record` (`--record`: proxied exchanges written as fixtures), `admin`
//! (`/__admin`), `dashboard` (`/__admin/ui`), `live` (its live feed), `streams` (its streams in
//! flight), `envelope`
//! (error bodies), `body` (body plumbing), `headers`, `ids`, `config`.
#![forbid(unsafe_code)]

mod admin;
mod auth;
mod body;
mod config;
mod dashboard;
mod envelope;
mod explain;
mod faults;
mod fixtures;
mod handler;
mod headers;
mod ids;
mod journal;
mod listen;
mod live;
mod matching;
mod proxy;
mod rate_limit;
mod record;
mod redis_batch;
mod redis_scripts;
mod redis_state;
mod resume;
mod server;
mod share;
mod sse_stream;
mod streams;
mod validation;
mod verify;

pub use config::{AuthMode, ParseAuthModeError};
pub use faults::{FaultError, FaultInjection, FaultSpec, RetryAfterVia};
pub use fixtures::FixtureError;
/// Public only so that `examples/bare_axum.rs` (a baseline without the mock's server) can serve
/// the same bytes as the mock; not part of the supported API.
#[doc(hidden)]
pub use fixtures::minify_json;
pub use journal::{JOURNAL_BODY_LIMIT, JournalEntry, Rejection, Source, Verdict};
pub use proxy::{ParseRecordMatchError, RecordMatch};
pub use redis_state::{DEFAULT_REDIS_PREFIX, RedisStartError};
pub use resume::{
    BufferedEvent, FinalPayload, MemoryStreamStore, ResumeToken, StreamStatus, StreamStore,
    StreamView, TokenError,
};
pub use server::{MockServer, MockServerBuilder, StartError};
pub use verify::{HeaderMatch, MatcherError, RequestMatcher, VerifyError};
