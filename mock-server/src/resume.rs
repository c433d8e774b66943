//! Resuming streams: the service's token format, the stream state behind [`StreamStore`], and the
//! resume route's intended behaviour (reference §5.3–5.5).
//!
//! Token: base64url without padding of `request_id:step:seq:expires_at_ms:hex_hmac`, the HMAC
//! (SHA-256, keyed with the resume secret) over `request_id:step:seq:expires_at_ms`.
//!
//! The route: replay the buffered events after the token's seq; then, when the stream has
//! finished, `event: complete` with the bare final payload; when it is still running, a heartbeat
//! and the end (replay mode), or the new events as they come until it finishes (live mode).

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::sync::Mutex;
use std::time::Duration;

use axum::http::StatusCode;
use bytes::Bytes;
use olumi::signing::{BodyHashMode, Signer};
use subtle::ConstantTimeEq;

use crate::envelope;
use crate::sse_stream::SseSink;

/// A decoded resume token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResumeToken {
    /// The stream's id (its correlation id).
    pub request_id: String,
    /// The stage the token was issued in (`DRAFTING`).
    pub step: String,
    /// The seq of the resume event itself: replay starts after it.
    pub seq: u64,
    /// Expiry, Unix milliseconds.
    pub expires_at_ms: u64,
}

/// Why a token was refused, with the service's codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// Not five `:`-separated parts, or seq/expiry not integers.
    #[error("INVALID_FORMAT")]
    InvalidFormat,
    /// The HMAC does not match (or the token does not re-encode to itself).
    #[error("INVALID_SIGNATURE")]
    InvalidSignature,
    /// Past its expiry.
    #[error("TOKEN_EXPIRED")]
    TokenExpired,
    /// It could not be checked at all (no secret, undecodable).
    #[error("DECODE_ERROR")]
    DecodeError,
}

impl ResumeToken {
    /// A token for `request_id` issued at `now_ms`, valid for `ttl`.
    pub fn new(request_id: &str, step: &str, seq: u64, now_ms: u64, ttl: Duration) -> Self {
        let ttl_ms = u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX);
        Self {
            request_id: request_id.to_owned(),
            step: step.to_owned(),
            seq,
            expires_at_ms: now_ms.saturating_add(ttl_ms),
        }
    }

    /// The signed part: `request_id:step:seq:expires_at_ms`.
    pub fn payload(&self) -> String {
        format!(
            "{}:{}:{}:{}",
            self.request_id, self.step, self.seq, self.expires_at_ms
        )
    }

    /// The opaque token string. An empty secret gives an empty string (no token can be issued).
    pub fn encode(&self, secret: &str) -> String {
        let Some(mac) = hmac_hex(secret, &self.payload()) else {
            return String::new();
        };
        base64url_encode(format!("{}:{mac}", self.payload()).as_bytes())
    }

    /// Decodes and checks `token` at `now_ms`, in the service's order.
    pub fn verify(token: &str, secret: &str, now_ms: u64) -> Result<Self, TokenError> {
        let decoded = base64url_decode(token).ok_or(TokenError::InvalidFormat)?;
        let text = String::from_utf8(decoded).map_err(|_| TokenError::InvalidFormat)?;
        let parts: Vec<&str> = text.split(':').collect();
        let [request_id, step, seq, expires, mac] = parts[..] else {
            return Err(TokenError::InvalidFormat);
        };
        let signed = format!("{request_id}:{step}:{seq}:{expires}");
        let expected = hmac_hex(secret, &signed).ok_or(TokenError::DecodeError)?;
        if !(expected.len() == mac.len() && bool::from(expected.as_bytes().ct_eq(mac.as_bytes()))) {
            return Err(TokenError::InvalidSignature);
        }
        let parse = |s: &str| -> Result<u64, TokenError> {
            if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
                return Err(TokenError::InvalidFormat);
            }
            s.parse().map_err(|_| TokenError::InvalidFormat)
        };
        let token_value = Self {
            request_id: request_id.to_owned(),
            step: step.to_owned(),
            seq: parse(seq)?,
            expires_at_ms: parse(expires)?,
        };
        if now_ms > token_value.expires_at_ms {
            return Err(TokenError::TokenExpired);
        }
        if token_value.encode(secret) != token {
            return Err(TokenError::InvalidSignature);
        }
        Ok(token_value)
    }
}

fn hmac_hex(secret: &str, message: &str) -> Option<String> {
    let signer = Signer::new(secret, BodyHashMode::Unbound).ok()?;
    Some(signer.hmac_hex(message.as_bytes()))
}

const B64URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, b)| acc | u32::from(*b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(char::from(B64URL[((n >> (18 - 6 * i)) & 0x3f) as usize]));
        }
    }
    out
}

fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    if text.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    for chunk in text.as_bytes().chunks(4) {
        let mut n = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            let v = B64URL.iter().position(|x| x == c)?;
            n |= u32::try_from(v).ok()? << (18 - 6 * i);
        }
        for i in 0..chunk.len() - 1 {
            out.push(u8::try_from((n >> (16 - 8 * i)) & 0xff).ok()?);
        }
    }
    Some(out)
}

// ---------------------------------------------------------------------------------------------
// Stream state.

/// One buffered event of a stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BufferedEvent {
    /// Position in the stream (DRAFTING is 0, the resume event 1).
    pub seq: u64,
    /// The event name.
    pub event: String,
    /// The data line(s).
    pub data: Bytes,
}

/// A finished stream's final payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FinalPayload {
    /// The payload JSON (`DraftGraphOutput` or `error.v1`), without `diagnostics`.
    pub body: Bytes,
    /// When set, `diagnostics` with this correlation id is added whenever the payload is sent.
    pub correlation_id: Option<String>,
}

impl FinalPayload {
    /// The payload as sent, with `diagnostics` for the given counts when it carries them.
    pub fn render(&self, resumes: u32, recovered_events: u64) -> Bytes {
        match &self.correlation_id {
            None => self.body.clone(),
            Some(id) => envelope::append_field(
                &self.body,
                "diagnostics",
                &format!(
                    r#"{{"resumes":{resumes},"trims":0,"recovered_events":{recovered_events},"correlation_id":{}}}"#,
                    envelope::quote(id)
                ),
            ),
        }
    }
}

/// Where a stream is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamStatus {
    /// Still running.
    Drafting,
    /// Finished with its final payload.
    Complete,
    /// Ended without a final payload.
    Error,
}

/// What a resume sees of a stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamView {
    /// Where the stream is.
    pub status: StreamStatus,
    /// Buffered events after the requested seq (empty once complete: the buffer is then gone,
    /// as in the service).
    pub events: Vec<BufferedEvent>,
    /// The final payload, once complete.
    pub final_payload: Option<FinalPayload>,
}

/// Stream state shared between a stream and the resumes of it. The in-memory store serves one
/// process; a shared store (Redis, as the service uses) can replace it behind this trait.
pub trait StreamStore: Send + Sync + fmt::Debug {
    /// A stream starts.
    fn begin(&self, id: &str, now_ms: u64);
    /// A stream emitted an event.
    fn append(&self, id: &str, event: BufferedEvent);
    /// A stream finished: keep only its final payload (the snapshot).
    fn complete(&self, id: &str, final_payload: FinalPayload, now_ms: u64);
    /// A stream ended without a final payload.
    fn fail(&self, id: &str);
    /// The stream's status and its events after `after_seq`; `None` when unknown or expired.
    fn view(&self, id: &str, after_seq: u64, now_ms: u64) -> Option<StreamView>;
    /// Forgets every stream.
    fn clear(&self);
}

#[derive(Debug)]
struct Entry {
    status: StreamStatus,
    events: VecDeque<BufferedEvent>,
    final_payload: Option<FinalPayload>,
    expires_at_ms: u64,
}

/// A bounded in-memory [`StreamStore`]: at most `max_streams` streams of at most `max_events`
/// events each, each forgotten `ttl` after it started or finished.
#[derive(Debug)]
pub struct MemoryStreamStore {
    ttl_ms: u64,
    max_streams: usize,
    max_events: usize,
    inner: Mutex<Streams>,
}

#[derive(Debug, Default)]
struct Streams {
    by_id: HashMap<String, Entry>,
    order: VecDeque<String>,
}

impl Default for MemoryStreamStore {
    fn default() -> Self {
        Self::new(Duration::from_secs(15 * 60), 10_000, 1000)
    }
}

impl MemoryStreamStore {
    /// A store with the given bounds.
    pub fn new(ttl: Duration, max_streams: usize, max_events: usize) -> Self {
        Self {
            ttl_ms: u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX),
            max_streams: max_streams.max(1),
            max_events: max_events.max(1),
            inner: Mutex::new(Streams::default()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Streams> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl StreamStore for MemoryStreamStore {
    fn begin(&self, id: &str, now_ms: u64) {
        let mut s = self.lock();
        // Drop expired streams from the front, then the oldest while full.
        while let Some(front) = s.order.front() {
            let expired = s.by_id.get(front).is_none_or(|e| e.expires_at_ms <= now_ms);
            if !expired && s.order.len() < self.max_streams {
                break;
            }
            if let Some(old) = s.order.pop_front() {
                s.by_id.remove(&old);
            }
        }
        let entry = Entry {
            status: StreamStatus::Drafting,
            events: VecDeque::new(),
            final_payload: None,
            expires_at_ms: now_ms.saturating_add(self.ttl_ms),
        };
        if s.by_id.insert(id.to_owned(), entry).is_none() {
            s.order.push_back(id.to_owned());
        }
    }

    fn append(&self, id: &str, event: BufferedEvent) {
        let max = self.max_events;
        if let Some(e) = self.lock().by_id.get_mut(id) {
            if e.events.len() >= max {
                e.events.pop_front();
            }
            e.events.push_back(event);
        }
    }

    fn complete(&self, id: &str, final_payload: FinalPayload, now_ms: u64) {
        let ttl = self.ttl_ms;
        if let Some(e) = self.lock().by_id.get_mut(id) {
            e.status = StreamStatus::Complete;
            e.events.clear();
            e.final_payload = Some(final_payload);
            e.expires_at_ms = now_ms.saturating_add(ttl);
        }
    }

    fn fail(&self, id: &str) {
        if let Some(e) = self.lock().by_id.get_mut(id) {
            e.status = StreamStatus::Error;
        }
    }

    fn view(&self, id: &str, after_seq: u64, now_ms: u64) -> Option<StreamView> {
        let s = self.lock();
        let e = s.by_id.get(id).filter(|e| e.expires_at_ms > now_ms)?;
        Some(StreamView {
            status: e.status,
            events: e
                .events
                .iter()
                .filter(|ev| ev.seq > after_seq)
                .cloned()
                .collect(),
            final_payload: e.final_payload.clone(),
        })
    }

    fn clear(&self) {
        let mut s = self.lock();
        s.by_id.clear();
        s.order.clear();
    }
}

// ---------------------------------------------------------------------------------------------
// Where stream state lives.

/// Where the server keeps stream state: a [`StreamStore`] in this process (the in-memory one,
/// or one given to the builder), or Redis, shared by a pool of mocks.
#[derive(Debug, Clone)]
pub(crate) enum StreamState {
    Local(std::sync::Arc<dyn StreamStore>),
    Redis(std::sync::Arc<crate::redis_state::RedisState>),
}

impl StreamState {
    /// Whether streams must be answered as the service does without Redis
    /// (`X-Olumi-Degraded: redis`): Redis is the store and cannot be reached.
    pub(crate) fn degraded(&self) -> bool {
        matches!(self, Self::Redis(redis) if !redis.is_up())
    }

    // Redis failures are logged by the Redis state and end in the degraded answers (a resume
    // that finds no state answers 426); a stream itself goes on without its state.

    pub(crate) async fn begin(&self, id: &str, now_ms: u64) {
        match self {
            Self::Local(store) => store.begin(id, now_ms),
            Self::Redis(redis) => drop(redis.begin(id).await),
        }
    }

    pub(crate) async fn append(&self, id: &str, event: BufferedEvent) {
        match self {
            Self::Local(store) => store.append(id, event),
            Self::Redis(redis) => drop(redis.append(id, &event).await),
        }
    }

    pub(crate) async fn complete(&self, id: &str, final_payload: FinalPayload, now_ms: u64) {
        match self {
            Self::Local(store) => store.complete(id, final_payload, now_ms),
            Self::Redis(redis) => drop(redis.complete(id, &final_payload).await),
        }
    }

    pub(crate) async fn fail(&self, id: &str) {
        match self {
            Self::Local(store) => store.fail(id),
            Self::Redis(redis) => drop(redis.fail(id).await),
        }
    }

    /// The stream after `after_seq`; `None` when unknown, expired, or Redis cannot be reached.
    /// `following` (a live resume catching up) also answers a finished stream's last buffered
    /// events when the store still has them.
    pub(crate) async fn view(
        &self,
        id: &str,
        after_seq: u64,
        now_ms: u64,
        following: bool,
    ) -> Option<StreamView> {
        match self {
            Self::Local(store) => store.view(id, after_seq, now_ms),
            Self::Redis(redis) => redis.view(id, after_seq, following).await.ok().flatten(),
        }
    }

    /// Forgets every stream (in Redis: every key under the prefix).
    pub(crate) async fn clear(&self) {
        match self {
            Self::Local(store) => store.clear(),
            Self::Redis(redis) => drop(redis.clear().await),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The resume route.

/// What the resume route answers.
#[derive(Debug)]
pub(crate) enum ResumePlan {
    /// A JSON `error.v1` answer.
    Refuse { status: StatusCode, body: Bytes },
    /// An SSE answer for this stream.
    Stream {
        token: ResumeToken,
        view: StreamView,
    },
}

fn refuse(status: u16, code: &str, message: &str, details: Option<&str>) -> ResumePlan {
    ResumePlan::Refuse {
        status: StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        body: envelope::error_v1(code, message, details),
    }
}

/// Decides the answer, in the service's order of checks.
pub(crate) async fn plan(
    token: Option<&str>,
    secret: Option<&str>,
    store: Option<&StreamState>,
    now_ms: u64,
) -> ResumePlan {
    let Some(token) = token.filter(|t| !t.is_empty()) else {
        return refuse(
            400,
            "BAD_INPUT",
            "Missing or invalid X-Resume-Token header",
            None,
        );
    };
    let verified = match secret {
        Some(secret) => ResumeToken::verify(token, secret, now_ms),
        None => Err(TokenError::DecodeError),
    };
    let token = match verified {
        Ok(t) => t,
        Err(e) => {
            return refuse(
                401,
                "BAD_INPUT",
                &format!("Invalid resume token: {e}"),
                None,
            );
        }
    };
    const UNSUPPORTED: &str = r#"{"upgrade":"resume=unsupported"}"#;
    let view = match store {
        Some(store) => {
            store
                .view(&token.request_id, token.seq, now_ms, false)
                .await
        }
        None => None,
    };
    let Some(view) = view else {
        return refuse(
            426,
            "INTERNAL",
            "Stream state expired, resume not available",
            Some(UNSUPPORTED),
        );
    };
    ResumePlan::Stream { token, view }
}

/// How a resume streams.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ResumeMode {
    pub(crate) live: bool,
    /// Live mode gives up after this long (the service: 120 s).
    pub(crate) limit: Duration,
    /// How often live mode looks for new events.
    pub(crate) poll: Duration,
}

/// StreamState a resume answer into `sink`.
pub(crate) async fn run(
    mut sink: SseSink,
    store: Option<StreamState>,
    token: ResumeToken,
    view: StreamView,
    mode: ResumeMode,
) {
    if view.status == StreamStatus::Complete {
        if let Some(payload) = &view.final_payload {
            sink.event("complete", &payload.render(1, 0)).await;
        }
        sink.finish().await;
        return;
    }
    let mut last = token.seq;
    for ev in &view.events {
        sink.event(&ev.event, &ev.data).await;
        last = ev.seq;
    }
    match (mode.live, store) {
        (true, Some(store)) => {
            let deadline = tokio::time::Instant::now() + mode.limit;
            while !sink.is_gone() && tokio::time::Instant::now() < deadline {
                sink.pause(mode.poll).await;
                let now = store
                    .view(&token.request_id, last, olumi::clock::unix_ms(), true)
                    .await;
                let Some(now) = now else {
                    break;
                };
                for ev in &now.events {
                    sink.event(&ev.event, &ev.data).await;
                    last = ev.seq;
                }
                match (now.status, &now.final_payload) {
                    (StreamStatus::Complete, Some(payload)) => {
                        sink.event("complete", &payload.render(0, 0)).await;
                        break;
                    }
                    (StreamStatus::Drafting, _) => {}
                    _ => break,
                }
            }
        }
        _ => sink.comment("heartbeat").await,
    }
    sink.finish().await;
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "test-hmac-secret";
    const VECTOR: &str = "cmVxLTEyMzpEUkFGVElORzoxOjE3MDAwMDA5MDAwMDA6ZDIzYjYzOWExNjY5ZDRmYjc0OWM5NTVkOThlMmMxZWMzZjIyZWU1YzM0YjBlZDgyODM5YWQyNDUyZGIxODFjMg";

    fn vector_token() -> ResumeToken {
        ResumeToken {
            request_id: "req-123".into(),
            step: "DRAFTING".into(),
            seq: 1,
            expires_at_ms: 1_700_000_900_000,
        }
    }

    #[test]
    fn service_vector() {
        assert_eq!(vector_token().encode(SECRET), VECTOR);
        assert_eq!(
            ResumeToken::verify(VECTOR, SECRET, 1_700_000_000_000),
            Ok(vector_token())
        );
    }

    #[test]
    fn verification_codes() {
        let now = 1_700_000_000_000;
        assert_eq!(
            ResumeToken::verify(VECTOR, SECRET, 1_700_000_900_001),
            Err(TokenError::TokenExpired)
        );
        assert_eq!(
            ResumeToken::verify(VECTOR, "other", now),
            Err(TokenError::InvalidSignature)
        );
        assert_eq!(
            ResumeToken::verify("bm9wZQ", SECRET, now),
            Err(TokenError::InvalidFormat)
        );
        assert_eq!(
            ResumeToken::verify("!!", SECRET, now),
            Err(TokenError::InvalidFormat)
        );
        assert_eq!(
            ResumeToken::verify(VECTOR, "", now),
            Err(TokenError::DecodeError)
        );
        // Padding decodes to the same bytes but does not re-encode to the token.
        assert_eq!(
            ResumeToken::verify(&format!("{VECTOR}=="), SECRET, now),
            Err(TokenError::InvalidSignature)
        );
    }

    #[test]
    fn base64url_round_trip() {
        for len in 0..20 {
            let data: Vec<u8> = (0..len).map(|i| (i * 37 + 250) as u8).collect();
            assert_eq!(base64url_decode(&base64url_encode(&data)).unwrap(), data);
        }
    }

    #[test]
    fn store_keeps_only_the_snapshot_after_completion() {
        let store = MemoryStreamStore::new(Duration::from_secs(1), 2, 2);
        store.begin("a", 0);
        for seq in 0..3 {
            store.append(
                "a",
                BufferedEvent {
                    seq,
                    event: "stage".into(),
                    data: Bytes::from_static(b"{}"),
                },
            );
        }
        let v = store.view("a", 0, 10).unwrap();
        assert_eq!(v.events.len(), 2, "bounded to two events, seq 1 and 2");
        assert_eq!(store.view("a", 1, 10).unwrap().events.len(), 1);
        let payload = FinalPayload {
            body: Bytes::from_static(b"{\"x\":1}"),
            correlation_id: Some("c".into()),
        };
        store.complete("a", payload, 10);
        let v = store.view("a", 1, 20).unwrap();
        assert_eq!(v.status, StreamStatus::Complete);
        assert!(v.events.is_empty());
        assert_eq!(
            &v.final_payload.unwrap().render(1, 0)[..],
            br#"{"x":1,"diagnostics":{"resumes":1,"trims":0,"recovered_events":0,"correlation_id":"c"}}"#
        );
        assert!(store.view("a", 1, 1010).is_none(), "expired");
        store.begin("b", 0);
        store.begin("c", 0);
        assert!(
            store.view("a", 0, 0).is_none(),
            "evicted: at most two streams"
        );
    }
}
