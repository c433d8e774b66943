//! The request journal: what each request was, how auth judged it, what answered it.
//!
//! Secrets never reach the journal: API keys, `Authorization` and signatures are redacted when an
//! entry is recorded. The journal is bounded (oldest entries are dropped first).

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use axum::http::header::{AUTHORIZATION, COOKIE, PROXY_AUTHORIZATION};
use axum::http::{HeaderMap, HeaderName, Method};
use serde::Serialize;

use crate::headers;

/// How authentication judged a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Verdict {
    /// No API key and no HMAC secret configured: every route is open.
    #[default]
    AuthOff,
    /// A public route (`/healthz`, `/v1/status`, ...): no auth needed.
    Public,
    /// `POST /assist/draft-graph` with `Accept: text/event-stream` skips auth (the service answers
    /// it with 426 whoever asks).
    LegacySseBypass,
    /// A configured API key.
    ApiKey {
        /// The caller's key id (the service's `fastHash` of the key).
        key_id: String,
    },
    /// A valid HMAC signature.
    Hmac {
        /// The caller's key id (`fastHash` of the secret that matched).
        key_id: String,
        /// `timestamped` or `legacy`.
        form: String,
        /// `unbound` (empty slot) or `sha256` (body bound).
        body_hash: String,
    },
    /// Auth is on and the request carries no credentials (401).
    MissingKey,
    /// An API key that is not configured (403).
    InvalidKey,
    /// A signature the verifier rejected (403), with the service's code.
    HmacRejected {
        /// `INVALID_SIGNATURE`, `SIGNATURE_SKEW` or `REPLAY_BLOCKED`.
        code: String,
    },
}

impl Verdict {
    /// The verdict's `kind` as the journal's JSON names it (`hmac`, `api_key`, ...).
    pub fn kind(&self) -> &'static str {
        match self {
            Self::AuthOff => "auth_off",
            Self::Public => "public",
            Self::LegacySseBypass => "legacy_sse_bypass",
            Self::ApiKey { .. } => "api_key",
            Self::Hmac { .. } => "hmac",
            Self::MissingKey => "missing_key",
            Self::InvalidKey => "invalid_key",
            Self::HmacRejected { .. } => "hmac_rejected",
        }
    }

    /// Whether the request was let through.
    pub fn allowed(&self) -> bool {
        !matches!(
            self,
            Self::MissingKey | Self::InvalidKey | Self::HmacRejected { .. }
        )
    }
}

/// Why auth refused a request (or, when API-key auth then let it through, why its signature
/// failed): the explanation a test prints when it fails. Holds no secret: no key, no signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rejection {
    /// The check that failed: `missing_headers`, `signature_mismatch`, `skew`,
    /// `malformed_timestamp`, `nonce_replayed`, `replay_floor`, `nonce_too_long` (from the
    /// core's [`olumi::verify::Rejection::check`]), or `missing_api_key`, `invalid_api_key`.
    pub check: String,
    /// What was wrong, in plain words: the missing headers, the measured skew, when a replayed
    /// nonce was first seen.
    pub detail: String,
    /// The canonical string the mock would have accepted a signature of, built by the core from
    /// the request as received (method, target, timestamp, nonce, body-hash slot): diff it
    /// against what the client signed. `None` for API-key refusals and when no signed form
    /// applies (a timestamp or nonce header is missing).
    pub expected_canonical: Option<String>,
    /// In lenient mode, the other accepted canonical string (the body-bound form).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub also_accepted: Vec<String>,
    /// For `skew`: the mock's clock minus the request's timestamp, in milliseconds (negative
    /// when the request is from the future).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skew_ms: Option<i64>,
    /// For `nonce_replayed`: the journal `seq` of the request that first used the nonce, while
    /// the journal still holds it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_seen_seq: Option<u64>,
    /// For `nonce_replayed`: when that request arrived, Unix milliseconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_seen_at_ms: Option<u64>,
}

/// What answered a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// The mock itself, without a fixture (auth and input errors, faults, a 404).
    #[default]
    Mock,
    /// A fixture (named in [`JournalEntry::fixture`]).
    Fixture,
    /// The upstream of `--proxy-to`: no fixture matched and the request was forwarded.
    Proxy,
}

impl Source {
    /// The name the journal's JSON uses: `mock`, `fixture` or `proxy`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Mock => "mock",
            Self::Fixture => "fixture",
            Self::Proxy => "proxy",
        }
    }
}

/// The most request-body bytes a journal entry keeps (for `body_contains` matching).
pub const JOURNAL_BODY_LIMIT: usize = 64 * 1024;

/// One recorded request.
#[derive(Debug, Clone, Serialize)]
pub struct JournalEntry {
    /// Position in arrival order, from 1; not reset by [`crate::MockServer::reset`].
    pub seq: u64,
    /// When the request arrived, Unix milliseconds.
    pub received_at_ms: u64,
    /// When the request arrived, milliseconds since the server started (monotonic clock): use
    /// differences of this to check waits such as Retry-After.
    pub since_start_ms: f64,
    /// The method.
    pub method: String,
    /// The raw request-target (path and query) as received.
    pub target: String,
    /// Headers in arrival order, names lowercase, secrets replaced by `<redacted>`.
    pub headers: Vec<(String, String)>,
    /// Body length in bytes.
    pub body_len: usize,
    /// Lowercase hex SHA-256 of the body bytes; 64 zeros when the body was never read (too
    /// large, or the read failed).
    pub body_sha256: String,
    /// How authentication judged the request.
    pub verdict: Verdict,
    /// When a signature failed but API-key auth then decided (the service's silent fallback):
    /// the signature's rejection code.
    pub hmac_rejection: Option<String>,
    /// Why auth refused the request, or why its signature failed before API-key auth let it
    /// through; `None` when nothing failed.
    pub rejection: Option<Rejection>,
    /// The nonce sent (`X-Olumi-Nonce`), if any.
    pub nonce: Option<String>,
    /// The `X-Request-Id` the client sent, if any.
    pub request_id: Option<String>,
    /// The fixture that answered, if one did.
    pub fixture: Option<String>,
    /// When no fixture answered (404): the nearest fixture and why it did not match.
    pub near_miss: Option<String>,
    /// The fault applied, in canonical syntax, if any.
    pub fault: Option<String>,
    /// The HTTP status answered (0 when the connection was reset without a response).
    pub status: u16,
    /// Milliseconds from the request's arrival to its answer's head (for a stream: to its
    /// first byte, not its end).
    pub latency_ms: f64,
    /// What answered: the mock, a fixture or the proxied upstream.
    pub source: Source,
    /// The request body as UTF-8 (invalid bytes replaced), at most [`JOURNAL_BODY_LIMIT`]
    /// bytes of it.
    pub body: String,
}

impl JournalEntry {
    /// The first value of header `name` (case-insensitive), as recorded (secrets redacted).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Headers whose values are secrets (a resume token is a bearer capability: whoever holds it can
/// read the stream).
pub(crate) const REDACTED_HEADERS: [HeaderName; 7] = [
    headers::ASSIST_KEY,
    AUTHORIZATION,
    PROXY_AUTHORIZATION,
    headers::SIGNATURE,
    headers::API_KEY,
    COOKIE,
    headers::RESUME_TOKEN,
];

/// Whether the values of header `name` are secrets, kept out of the journal and of error bodies.
pub(crate) fn is_secret_header(name: &HeaderName) -> bool {
    REDACTED_HEADERS.contains(name)
}

/// A request as recorded on the hot path, turned into a [`JournalEntry`] only when someone
/// reads the journal.
///
/// The target and headers are copied into one string: a record must not keep slices of the
/// connection's read buffer alive (thousands of records would pin thousands of buffers).
#[derive(Debug, Clone, Default)]
pub(crate) struct Record {
    pub(crate) seq: u64,
    pub(crate) received_at_ms: u64,
    pub(crate) since_start_ms: f64,
    pub(crate) method: Method,
    /// The target, then `\n` and one `name: value\n` line per header, secrets redacted.
    text: String,
    target_len: usize,
    pub(crate) body_len: usize,
    /// Lowercase hex SHA-256 of the body; empty until the body has been read.
    pub(crate) body_sha256: String,
    pub(crate) verdict: Verdict,
    pub(crate) hmac_rejection: Option<&'static str>,
    pub(crate) rejection: Option<Box<Rejection>>,
    pub(crate) fixture: Option<Arc<str>>,
    pub(crate) near_miss: Option<String>,
    pub(crate) fault: Option<String>,
    pub(crate) status: u16,
    pub(crate) latency_ms: f64,
    /// Whether the request was forwarded to the upstream (`--proxy-to`).
    pub(crate) proxied: bool,
    /// The first [`JOURNAL_BODY_LIMIT`] bytes of the body, as UTF-8.
    body_text: String,
}

impl Record {
    /// A record of a request just received (its answer is filled in later).
    pub(crate) fn new(
        seq: u64,
        received_at_ms: u64,
        since_start_ms: f64,
        method: Method,
        target: &str,
        headers: &HeaderMap,
    ) -> Self {
        let mut record = Self {
            seq,
            received_at_ms,
            since_start_ms,
            method,
            ..Self::default()
        };
        record.capture(target, headers);
        record
    }

    /// Keeps the start of the body for matching (an empty body costs nothing).
    pub(crate) fn capture_body(&mut self, body: &[u8]) {
        let kept = &body[..body.len().min(JOURNAL_BODY_LIMIT)];
        self.body_text = String::from_utf8_lossy(kept).into_owned();
    }

    /// The request-target as received.
    pub(crate) fn target(&self) -> &str {
        &self.text[..self.target_len]
    }

    /// Copies the target and the headers, replacing every secret by `<redacted>` (the scheme of
    /// an `Authorization` value is kept).
    fn capture(&mut self, target: &str, headers: &HeaderMap) {
        let size: usize = headers
            .iter()
            .map(|(n, v)| n.as_str().len() + v.len() + 3)
            .sum();
        let mut text = String::with_capacity(target.len() + 1 + size);
        text.push_str(target);
        text.push('\n');
        for (name, value) in headers {
            text.push_str(name.as_str());
            text.push_str(": ");
            if is_secret_header(name) {
                text.push_str(&redact(value.as_bytes()));
            } else {
                text.push_str(&String::from_utf8_lossy(value.as_bytes()));
            }
            text.push('\n');
        }
        self.target_len = target.len();
        self.text = text;
    }

    fn headers(&self) -> impl Iterator<Item = (&str, &str)> {
        self.text[self.target_len..]
            .lines()
            .filter_map(|line| line.split_once(": "))
    }

    fn header(&self, name: &HeaderName) -> Option<String> {
        self.headers()
            .find(|(n, _)| *n == name.as_str())
            .map(|(_, v)| v.to_owned())
    }

    pub(crate) fn entry(&self) -> JournalEntry {
        JournalEntry {
            seq: self.seq,
            received_at_ms: self.received_at_ms,
            since_start_ms: self.since_start_ms,
            method: self.method.as_str().to_owned(),
            target: self.target().to_owned(),
            headers: self
                .headers()
                .map(|(n, v)| (n.to_owned(), v.to_owned()))
                .collect(),
            body_len: self.body_len,
            body_sha256: if self.body_sha256.is_empty() {
                UNREAD_BODY_SHA256.to_owned()
            } else {
                self.body_sha256.clone()
            },
            verdict: self.verdict.clone(),
            hmac_rejection: self.hmac_rejection.map(str::to_owned),
            rejection: self.rejection.as_deref().cloned(),
            nonce: self.header(&headers::NONCE),
            request_id: self.header(&headers::REQUEST_ID),
            fixture: self.fixture.as_deref().map(str::to_owned),
            near_miss: self.near_miss.clone(),
            fault: self.fault.clone(),
            status: self.status,
            latency_ms: self.latency_ms,
            source: if self.proxied {
                Source::Proxy
            } else if self.fixture.is_some() {
                Source::Fixture
            } else {
                Source::Mock
            },
            body: self.body_text.clone(),
        }
    }
}

/// A secret header value as recorded: `<redacted>`, keeping an alphabetic scheme
/// (`Bearer <redacted>`).
fn redact(value: &[u8]) -> String {
    match value.iter().position(|&b| b == b' ') {
        Some(i) if i > 0 && value[..i].iter().all(u8::is_ascii_alphabetic) => {
            format!("{} <redacted>", String::from_utf8_lossy(&value[..i]))
        }
        _ => "<redacted>".to_owned(),
    }
}

/// [`JournalEntry::body_sha256`] for a request whose body was never read.
const UNREAD_BODY_SHA256: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// A bounded, thread-safe journal.
#[derive(Debug)]
pub(crate) struct Journal {
    capacity: usize,
    next_seq: AtomicU64,
    entries: Mutex<VecDeque<Record>>,
}

impl Journal {
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            capacity: capacity.max(1),
            next_seq: AtomicU64::new(1),
            entries: Mutex::new(VecDeque::new()),
        }
    }

    pub(crate) fn next_seq(&self) -> u64 {
        self.next_seq.fetch_add(1, Ordering::Relaxed)
    }

    pub(crate) fn record(&self, entry: Record) {
        let evicted = {
            let mut entries = self.lock();
            let evicted = if entries.len() >= self.capacity {
                entries.pop_front()
            } else {
                None
            };
            // Requests finish out of order; keep the journal in arrival order.
            let at = entries.partition_point(|e| e.seq < entry.seq);
            entries.insert(at, entry);
            evicted
        };
        // Freed outside the lock: other requests need not wait for it.
        drop(evicted);
    }

    /// The most recent request whose signature with `nonce` was accepted: its `seq` and arrival
    /// (Unix ms), while the journal still holds it. Only read to explain a replay.
    pub(crate) fn first_accepted_nonce(&self, nonce: &str) -> Option<(u64, u64)> {
        self.lock()
            .iter()
            .rev()
            .find(|r| {
                matches!(r.verdict, Verdict::Hmac { .. })
                    && r.header(&headers::NONCE).as_deref() == Some(nonce)
            })
            .map(|r| (r.seq, r.received_at_ms))
    }

    pub(crate) fn snapshot(&self) -> Vec<JournalEntry> {
        self.lock().iter().map(Record::entry).collect()
    }

    /// The entries after sequence number `seq` (all of them for 0).
    pub(crate) fn since(&self, seq: u64) -> Vec<JournalEntry> {
        let entries = self.lock();
        let from = entries.partition_point(|e| e.seq <= seq);
        entries.range(from..).map(Record::entry).collect()
    }

    pub(crate) fn clear(&self) {
        self.lock().clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<Record>> {
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn secrets_are_redacted() {
        let mut h = HeaderMap::new();
        h.insert(
            "x-olumi-assist-key",
            HeaderValue::from_static("sk-live-123"),
        );
        h.insert(
            "authorization",
            HeaderValue::from_static("Bearer sk-live-123"),
        );
        h.insert("x-olumi-signature", HeaderValue::from_static("abcdef"));
        h.insert("x-olumi-nonce", HeaderValue::from_static("n-1"));
        h.insert(
            "x-resume-token",
            HeaderValue::from_static("cmVzdW1lLWNhcGFiaWxpdHk"),
        );
        let rec = Record::new(1, 0, 0.0, Method::GET, "/x?y=1", &h);
        let entry = rec.entry();
        let text = format!("{entry:?}");
        assert!(!text.contains("sk-live"), "{text}");
        assert!(!text.contains("abcdef"), "{text}");
        assert!(!text.contains("cmVzdW1l"), "{text}");
        assert_eq!(entry.header("authorization"), Some("Bearer <redacted>"));
        assert_eq!(entry.header("x-olumi-assist-key"), Some("<redacted>"));
        assert_eq!(entry.header("x-olumi-signature"), Some("<redacted>"));
        assert_eq!(entry.header("x-resume-token"), Some("<redacted>"));
        assert_eq!(entry.nonce.as_deref(), Some("n-1"));
        assert_eq!(entry.target, "/x?y=1");
        assert_eq!(entry.headers.len(), 5);
    }

    #[test]
    fn body_hash_is_the_read_body_or_zeros_when_unread() {
        let mut rec = Record::new(1, 0, 0.0, Method::POST, "/x", &HeaderMap::new());
        assert_eq!(rec.entry().body_sha256, UNREAD_BODY_SHA256);
        rec.body_sha256 = olumi::response_hash::raw_body_hash(b"");
        assert_eq!(
            rec.entry().body_sha256,
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "an empty body that was read hashes as empty, not as unread"
        );
    }

    #[test]
    fn bounded_and_ordered() {
        let j = Journal::new(2);
        for seq in [2, 1, 3] {
            j.record(Record {
                seq,
                ..Record::default()
            });
        }
        let seqs: Vec<u64> = j.snapshot().iter().map(|e| e.seq).collect();
        assert_eq!(seqs, [2, 3]);
    }
}
