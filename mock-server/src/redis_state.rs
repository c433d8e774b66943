//! Shared state in Redis (`--redis-url`), so that a pool of mocks behaves like one service:
//! stream state for resumes, the HMAC nonces and the per-key token buckets, under one key
//! prefix (default `olumi-mock:`).
//!
//! | key | type | TTL | written by |
//! |---|---|---|---|
//! | `{prefix}hmac:nonce:{nonce}` | string `1` | 2 x max skew + 1 ms | `SET NX PX` (check and insert in one step), in a script with the token (`redis_batch.rs`) |
//! | `{prefix}qc:{keyId}:bucket`, `{prefix}qc:{keyId}:sse` | JSON `{capacity,tokens,refillRate,lastRefill}` | 1 h | Lua scripts (refill and take; `redis_scripts.rs`) |
//! | `{prefix}stream:{id}` | hash `status`, `final`, `cid` | the resume TTL (15 min) | `begin`, `complete`, `fail` |
//! | `{prefix}stream:{id}:events` | stream, entry id `{seq}-1`, fields `event`, `data`; at most `max_events` | the resume TTL | `append` (`XADD MAXLEN`) |
//!
//! Every call answers `Err` when Redis cannot be reached; the callers then give the service's
//! degraded answers (`X-Olumi-Degraded: redis`, resume 426) or fall back to in-process state
//! (nonces and quotas, as the service does). The connection reconnects by itself; a background
//! `PING` keeps [`RedisState::is_up`] current.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use bytes::Bytes;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::{RedisResult, Script, Value};
use tokio::task::JoinHandle;

use crate::redis_batch::{NonceBatcher, Step, StepOutcome};
use crate::redis_scripts::BUCKET;
use crate::resume::{BufferedEvent, FinalPayload, StreamStatus, StreamView};

/// The default key prefix.
pub const DEFAULT_REDIS_PREFIX: &str = "olumi-mock:";

/// How long a quota bucket is kept after its last use (the service's 3600 s).
const BUCKET_TTL_SECS: u64 = 3600;

/// How often the health check pings (and so how soon a lost or regained Redis is noticed).
const PING_EVERY: Duration = Duration::from_millis(200);

/// Why Redis could not be used at start.
#[derive(Debug, thiserror::Error)]
#[error("cannot use Redis at {url}: {reason}")]
pub struct RedisStartError {
    /// The URL, with any password replaced by `***`.
    pub url: String,
    /// What failed.
    pub reason: String,
}

/// The connection and the key prefix.
pub(crate) struct RedisState {
    conn: ConnectionManager,
    prefix: String,
    /// The URL with any password hidden, for messages.
    url: String,
    up: Arc<AtomicBool>,
    bucket: Script,
    /// Signed requests' nonce steps, sent to Redis together when they arrive together.
    nonce_steps: NonceBatcher,
    stream_ttl_ms: u64,
    max_events: usize,
    pinger: JoinHandle<()>,
}

impl fmt::Debug for RedisState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisState")
            .field("url", &self.url)
            .field("prefix", &self.prefix)
            .field("up", &self.is_up())
            .finish_non_exhaustive()
    }
}

impl Drop for RedisState {
    fn drop(&mut self) {
        self.pinger.abort();
    }
}

impl RedisState {
    /// Connects (refusing to start when Redis does not answer `PING`) and starts the health
    /// check. Must run on a tokio runtime.
    pub(crate) async fn connect(
        url: &str,
        prefix: &str,
        stream_ttl: Duration,
        max_events: usize,
    ) -> Result<Self, RedisStartError> {
        let shown = redact_url(url);
        let fail = |reason: String| RedisStartError {
            url: shown.clone(),
            reason,
        };
        let client = redis::Client::open(url).map_err(|e| fail(e.to_string()))?;
        // Short timeouts: a mock must answer (degraded) quickly when Redis is gone, and
        // reconnect soon after it is back.
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(Duration::from_secs(1)))
            .set_response_timeout(Some(Duration::from_secs(1)))
            .set_number_of_retries(1)
            .set_max_delay(Duration::from_millis(200));
        let mut conn = ConnectionManager::new_with_config(client, config)
            .await
            .map_err(|e| fail(e.to_string()))?;
        let _: String = redis::cmd("PING")
            .query_async(&mut conn)
            .await
            .map_err(|e| fail(e.to_string()))?;
        let up = Arc::new(AtomicBool::new(true));
        let pinger = tokio::spawn(ping_forever(conn.clone(), Arc::clone(&up), shown.clone()));
        let nonce_steps = NonceBatcher::start(conn.clone(), BUCKET_TTL_SECS);
        Ok(Self {
            conn,
            prefix: prefix.to_owned(),
            url: shown,
            up,
            bucket: Script::new(BUCKET),
            nonce_steps,
            stream_ttl_ms: u64::try_from(stream_ttl.as_millis()).unwrap_or(u64::MAX),
            max_events: max_events.max(1),
            pinger,
        })
    }

    /// Whether the last command (or health check) reached Redis.
    pub(crate) fn is_up(&self) -> bool {
        self.up.load(Ordering::Relaxed)
    }

    /// The connection, or at once an error while Redis is known to be down: a Redis that
    /// hangs instead of refusing would otherwise cost every request the response timeout. The
    /// health check notices when it is back.
    fn live_conn(&self) -> RedisResult<ConnectionManager> {
        if self.is_up() {
            Ok(self.conn.clone())
        } else {
            Err((redis::ErrorKind::Io, "Redis is unreachable").into())
        }
    }

    /// Notes the outcome of a command: a failure marks Redis down until the next success.
    fn note<T>(&self, result: RedisResult<T>) -> RedisResult<T> {
        match &result {
            Ok(_) => {
                self.up.store(true, Ordering::Relaxed);
            }
            Err(e) => {
                if self.up.swap(false, Ordering::Relaxed) {
                    tracing::warn!(url = %self.url, error = %e, "Redis lost: degraded answers until it is back");
                }
            }
        }
        result
    }

    fn key(&self, parts: &[&str]) -> String {
        let mut key = self.prefix.clone();
        for part in parts {
            key.push_str(part);
        }
        key
    }

    // --- nonces ---------------------------------------------------------------------------

    /// Records `nonce` for `ttl_ms` unless it is already there: `Ok(true)` when it was fresh,
    /// `Ok(false)` for a replay. One atomic `SET key 1 NX PX ttl`.
    pub(crate) async fn insert_nonce(&self, nonce: &str, ttl_ms: u64) -> RedisResult<bool> {
        let outcome = self.nonce_step(nonce, ttl_ms, None).await?;
        Ok(outcome != StepOutcome::Replay)
    }

    /// [`RedisState::insert_nonce`] and, for a fresh nonce, [`RedisState::bucket`] taking a
    /// token from `key_id`'s bucket, in one atomic step (one round trip per signed request, or
    /// fewer: see `redis_batch.rs`). `Ok(None)` for a replay (no token taken);
    /// `Ok(Some((taken, tokens_left)))` otherwise.
    pub(crate) async fn insert_nonce_and_take(
        &self,
        nonce: &str,
        ttl_ms: u64,
        key_id: &str,
        sse: bool,
        capacity: u32,
    ) -> RedisResult<Option<(bool, f64)>> {
        let kind = if sse { ":sse" } else { ":bucket" };
        let bucket = (self.key(&["qc:", key_id, kind]), capacity);
        Ok(match self.nonce_step(nonce, ttl_ms, Some(bucket)).await? {
            StepOutcome::Replay => None,
            // Not asked for a token (a capacity of 0 takes none): none was needed.
            StepOutcome::Fresh => Some((true, 0.0)),
            StepOutcome::FreshWithToken { taken, tokens } => Some((taken, tokens)),
        })
    }

    async fn nonce_step(
        &self,
        nonce: &str,
        ttl_ms: u64,
        bucket: Option<(String, u32)>,
    ) -> RedisResult<StepOutcome> {
        // Fails at once while Redis is known to be down (see `live_conn`).
        self.live_conn()?;
        let step = Step {
            nonce_key: self.key(&["hmac:nonce:", nonce]),
            nonce_ttl_ms: ttl_ms,
            bucket,
        };
        self.note(self.nonce_steps.run(step).await)
    }

    // --- quotas -----------------------------------------------------------------------------

    /// Refills the bucket and, when `take`, takes one token. Answers whether a token was taken
    /// and the tokens left.
    pub(crate) async fn bucket(
        &self,
        key_id: &str,
        sse: bool,
        capacity: u32,
        take: bool,
    ) -> RedisResult<(bool, f64)> {
        let mut conn = self.live_conn()?;
        let kind = if sse { ":sse" } else { ":bucket" };
        let answer: RedisResult<(i64, String)> = self
            .bucket
            .key(self.key(&["qc:", key_id, kind]))
            .arg(capacity)
            .arg(u8::from(take))
            .arg(BUCKET_TTL_SECS)
            .invoke_async(&mut conn)
            .await;
        let (allowed, tokens) = self.note(answer)?;
        let tokens = tokens.parse::<f64>().unwrap_or(0.0);
        Ok((allowed == 1, tokens))
    }

    // --- streams ----------------------------------------------------------------------------

    fn stream_keys(&self, id: &str) -> (String, String) {
        (
            self.key(&["stream:", id]),
            self.key(&["stream:", id, ":events"]),
        )
    }

    /// A stream starts: a fresh state hash and an empty event buffer.
    pub(crate) async fn begin(&self, id: &str) -> RedisResult<()> {
        let (state, events) = self.stream_keys(id);
        let mut pipe = redis::pipe();
        pipe.del(&[&state, &events]).ignore();
        self.set_status(&mut pipe, &state, "drafting");
        self.run_atomic(pipe).await
    }

    /// Adds to `pipe`: the state hash's `status`, and its TTL renewed.
    fn set_status(&self, pipe: &mut redis::Pipeline, state: &str, status: &str) {
        pipe.hset(state, "status", status)
            .ignore()
            .pexpire(state, self.ttl_arg())
            .ignore();
    }

    /// Runs `pipe` as one `MULTI`/`EXEC` (its answers ignored), noting whether Redis was reached.
    async fn run_atomic(&self, mut pipe: redis::Pipeline) -> RedisResult<()> {
        let mut conn = self.live_conn()?;
        let done = pipe.atomic().query_async::<()>(&mut conn).await;
        self.note(done)
    }

    fn ttl_arg(&self) -> i64 {
        i64::try_from(self.stream_ttl_ms).unwrap_or(i64::MAX)
    }

    /// A stream emitted an event: appended with entry id `{seq}-1` (seqs only grow), the
    /// buffer trimmed to `max_events`, its TTL renewed.
    pub(crate) async fn append(&self, id: &str, event: &BufferedEvent) -> RedisResult<()> {
        let (_, events) = self.stream_keys(id);
        let mut pipe = redis::pipe();
        pipe.cmd("XADD")
            .arg(&events)
            .arg("MAXLEN")
            .arg(self.max_events)
            .arg(format!("{}-1", event.seq))
            .arg("event")
            .arg(&event.event)
            .arg("data")
            .arg(event.data.as_ref())
            .ignore()
            .pexpire(&events, self.ttl_arg())
            .ignore();
        self.run_atomic(pipe).await
    }

    /// A stream finished with its final payload. The event buffer is kept (until its TTL) so
    /// that a live resume that has not yet read the last events still gets them; a replay of a
    /// finished stream sees only the payload, as in the service.
    pub(crate) async fn complete(&self, id: &str, payload: &FinalPayload) -> RedisResult<()> {
        let (state, _) = self.stream_keys(id);
        let mut pipe = redis::pipe();
        pipe.hset_multiple(
            &state,
            &[
                ("final", payload.body.as_ref()),
                (
                    "cid",
                    payload.correlation_id.as_deref().unwrap_or("").as_bytes(),
                ),
            ],
        )
        .ignore();
        self.set_status(&mut pipe, &state, "complete");
        self.run_atomic(pipe).await
    }

    /// A stream ended without a final payload.
    pub(crate) async fn fail(&self, id: &str) -> RedisResult<()> {
        let (state, _) = self.stream_keys(id);
        let mut pipe = redis::pipe();
        self.set_status(&mut pipe, &state, "error");
        self.run_atomic(pipe).await
    }

    /// The stream's status and its events after `after_seq`, read in one atomic step; `None`
    /// when unknown or expired. With `keep_events_when_complete`, a finished stream's buffered
    /// events are answered too (a live resume catching up).
    pub(crate) async fn view(
        &self,
        id: &str,
        after_seq: u64,
        keep_events_when_complete: bool,
    ) -> RedisResult<Option<StreamView>> {
        let (state, events) = self.stream_keys(id);
        let mut conn = self.live_conn()?;
        let answer: RedisResult<(StateFields, Value)> = redis::pipe()
            .atomic()
            .hgetall(&state)
            .cmd("XRANGE")
            .arg(&events)
            .arg(format!("({after_seq}-1"))
            .arg("+")
            .query_async(&mut conn)
            .await;
        let (fields, entries) = self.note(answer)?;
        if fields.is_empty() {
            return Ok(None);
        }
        let field = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v);
        let status = match field("status").map(Vec::as_slice) {
            Some(b"complete") => StreamStatus::Complete,
            Some(b"error") => StreamStatus::Error,
            _ => StreamStatus::Drafting,
        };
        let final_payload = match (status, field("final")) {
            (StreamStatus::Complete, Some(body)) => Some(FinalPayload {
                body: Bytes::copy_from_slice(body),
                correlation_id: field("cid")
                    .filter(|c| !c.is_empty())
                    .map(|c| String::from_utf8_lossy(c).into_owned()),
            }),
            _ => None,
        };
        let events = if status == StreamStatus::Complete && !keep_events_when_complete {
            Vec::new()
        } else {
            parse_entries(entries)
        };
        Ok(Some(StreamView {
            status,
            events,
            final_payload,
        }))
    }

    /// Deletes every key under the prefix (`SCAN` + `UNLINK`): `reset` of a pool.
    pub(crate) async fn clear(&self) -> RedisResult<()> {
        let mut conn = self.live_conn()?;
        let pattern = format!("{}*", escape_glob(&self.prefix));
        let mut cursor: u64 = 0;
        let done: RedisResult<()> = async {
            loop {
                let (next, keys): (u64, Vec<String>) = redis::cmd("SCAN")
                    .arg(cursor)
                    .arg("MATCH")
                    .arg(&pattern)
                    .arg("COUNT")
                    .arg(500)
                    .query_async(&mut conn)
                    .await?;
                if !keys.is_empty() {
                    redis::cmd("UNLINK")
                        .arg(&keys)
                        .query_async::<i64>(&mut conn)
                        .await?;
                }
                if next == 0 {
                    return Ok(());
                }
                cursor = next;
            }
        }
        .await;
        self.note(done)
    }
}

/// A stream's state hash, as `HGETALL` answers it.
type StateFields = Vec<(String, Vec<u8>)>;

/// `XRANGE` entries `[[id, [field, value, ...]], ...]` as buffered events; the seq is the
/// entry id's first part.
fn parse_entries(entries: Value) -> Vec<BufferedEvent> {
    let Value::Array(entries) = entries else {
        return Vec::new();
    };
    let mut out = Vec::with_capacity(entries.len());
    for entry in entries {
        let Value::Array(parts) = entry else { continue };
        let [Value::BulkString(id), Value::Array(fields)] = &parts[..] else {
            continue;
        };
        let Some(seq) = std::str::from_utf8(id)
            .ok()
            .and_then(|id| id.split_once('-'))
            .and_then(|(seq, _)| seq.parse::<u64>().ok())
        else {
            continue;
        };
        let mut event = None;
        let mut data = None;
        for pair in fields.chunks(2) {
            if let [Value::BulkString(k), Value::BulkString(v)] = pair {
                match k.as_slice() {
                    b"event" => event = Some(String::from_utf8_lossy(v).into_owned()),
                    b"data" => data = Some(Bytes::copy_from_slice(v)),
                    _ => {}
                }
            }
        }
        if let (Some(event), Some(data)) = (event, data) {
            out.push(BufferedEvent { seq, event, data });
        }
    }
    out
}

/// Pings every [`PING_EVERY`], keeping `up` current; a failed ping also makes the connection
/// manager reconnect.
async fn ping_forever(mut conn: ConnectionManager, up: Arc<AtomicBool>, url: String) {
    let mut tick = tokio::time::interval(PING_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let ok = redis::cmd("PING")
            .query_async::<String>(&mut conn)
            .await
            .is_ok();
        let was = up.swap(ok, Ordering::Relaxed);
        if ok && !was {
            tracing::info!(url = %url, "Redis is back");
        } else if !ok && was {
            tracing::warn!(url = %url, "Redis lost: degraded answers until it is back");
        }
    }
}

/// The URL with its password (if any) replaced by `***`.
pub(crate) fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split_once(':').map_or("", |(user, _)| user);
            let shown = if userinfo.contains(':') {
                format!("{user}:***")
            } else {
                "***".to_owned()
            };
            format!("{scheme}://{shown}@{host}{path}")
        }
        None => url.to_owned(),
    }
}

/// Escapes `SCAN MATCH` glob characters so the prefix matches literally.
fn escape_glob(prefix: &str) -> String {
    let mut out = String::with_capacity(prefix.len());
    for c in prefix.chars() {
        if matches!(c, '*' | '?' | '[' | ']' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_show() {
        assert_eq!(
            redact_url("redis://127.0.0.1:6379/0"),
            "redis://127.0.0.1:6379/0"
        );
        assert_eq!(
            redact_url("redis://:hunter2@127.0.0.1:6379/0"),
            "redis://:***@127.0.0.1:6379/0"
        );
        assert_eq!(
            redact_url("redis://user:p@ss@host/1"),
            "redis://user:***@host/1"
        );
        assert_eq!(redact_url("redis://token@host"), "redis://***@host");
    }

    #[test]
    fn glob_characters_are_escaped() {
        assert_eq!(escape_glob("a*b?[c]\\"), "a\\*b\\?\\[c\\]\\\\");
    }

    #[test]
    fn entries_parse_to_events() {
        let entry = |id: &str, event: &str, data: &str| {
            Value::Array(vec![
                Value::BulkString(id.as_bytes().to_vec()),
                Value::Array(vec![
                    Value::BulkString(b"event".to_vec()),
                    Value::BulkString(event.as_bytes().to_vec()),
                    Value::BulkString(b"data".to_vec()),
                    Value::BulkString(data.as_bytes().to_vec()),
                ]),
            ])
        };
        let events = parse_entries(Value::Array(vec![
            entry("2-1", "stage", "{}"),
            entry("3-1", "resume", "{\"a\":1}"),
        ]));
        assert_eq!(events.len(), 2);
        assert_eq!((events[0].seq, events[0].event.as_str()), (2, "stage"));
        assert_eq!(&events[1].data[..], b"{\"a\":1}");
    }
}
