//! The request journal: what each request was, how auth judged it, what answered it.
//!
//! Secrets never reach the journal: API keys, `Authorization` and signatures are redacted when an
//! entry is recorded. The journal is bounded (oldest entries are dropped first).

use std::collections::VecDeque;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::http::HeaderMap;
use serde::Serialize;
use sha2::{Digest, Sha256};

/// How authentication judged a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Verdict {
    /// No API key and no HMAC secret configured: every route is open.
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
    /// Whether the request was let through.
    pub fn allowed(&self) -> bool {
        !matches!(
            self,
            Self::MissingKey | Self::InvalidKey | Self::HmacRejected { .. }
        )
    }
}

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
    /// Lowercase hex SHA-256 of the body bytes.
    pub body_sha256: String,
    /// How authentication judged the request.
    pub verdict: Verdict,
    /// When a signature failed but API-key auth then decided (the service's silent fallback):
    /// the signature's rejection code.
    pub hmac_rejection: Option<String>,
    /// The nonce sent (`X-Olumi-Nonce`), if any.
    pub nonce: Option<String>,
    /// The `X-Request-Id` the client sent, if any.
    pub request_id: Option<String>,
    /// The fixture that answered, if one did.
    pub fixture: Option<String>,
    /// The fault applied, in canonical syntax, if any.
    pub fault: Option<String>,
    /// The HTTP status answered (0 when the connection was reset without a response).
    pub status: u16,
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

/// Headers whose values are secrets.
const REDACTED_HEADERS: &[&str] = &[
    "x-olumi-assist-key",
    "authorization",
    "proxy-authorization",
    "x-olumi-signature",
    "x-api-key",
    "cookie",
];

/// Recorded headers, secrets redacted.
pub(crate) fn redacted_headers(headers: &HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(name, value)| {
            let name = name.as_str().to_owned();
            let value = if REDACTED_HEADERS.contains(&name.as_str()) {
                redact(value.as_bytes())
            } else {
                String::from_utf8_lossy(value.as_bytes()).into_owned()
            };
            (name, value)
        })
        .collect()
}

fn redact(value: &[u8]) -> String {
    // Keep the scheme so a reader can tell Bearer from anything else.
    match value.iter().position(|&b| b == b' ') {
        Some(i) if value[..i].iter().all(u8::is_ascii_alphabetic) => {
            format!("{} <redacted>", String::from_utf8_lossy(&value[..i]))
        }
        _ => "<redacted>".to_owned(),
    }
}

/// Lowercase hex SHA-256.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for b in digest.iter() {
        out.push(char::from(b"0123456789abcdef"[usize::from(b >> 4)]));
        out.push(char::from(b"0123456789abcdef"[usize::from(b & 0x0f)]));
    }
    out
}

/// A bounded, thread-safe journal.
#[derive(Debug)]
pub(crate) struct Journal {
    capacity: usize,
    next_seq: AtomicU64,
    entries: Mutex<VecDeque<JournalEntry>>,
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

    pub(crate) fn record(&self, entry: JournalEntry) {
        let mut entries = self.lock();
        if entries.len() >= self.capacity {
            entries.pop_front();
        }
        // Requests finish out of order; keep the journal in arrival order.
        let at = entries.partition_point(|e| e.seq < entry.seq);
        entries.insert(at, entry);
    }

    pub(crate) fn snapshot(&self) -> Vec<JournalEntry> {
        self.lock().iter().cloned().collect()
    }

    pub(crate) fn clear(&self) {
        self.lock().clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<JournalEntry>> {
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
        let rec = redacted_headers(&h);
        let text = format!("{rec:?}");
        assert!(!text.contains("sk-live"), "{text}");
        assert!(!text.contains("abcdef"), "{text}");
        assert!(text.contains("Bearer <redacted>"));
        assert!(text.contains("n-1"));
    }

    #[test]
    fn bounded_and_ordered() {
        let j = Journal::new(2);
        for seq in [2, 1, 3] {
            j.record(entry(seq));
        }
        let seqs: Vec<u64> = j.snapshot().iter().map(|e| e.seq).collect();
        assert_eq!(seqs, [2, 3]);
    }

    fn entry(seq: u64) -> JournalEntry {
        JournalEntry {
            seq,
            received_at_ms: 0,
            since_start_ms: 0.0,
            method: "GET".into(),
            target: "/".into(),
            headers: Vec::new(),
            body_len: 0,
            body_sha256: sha256_hex(b""),
            verdict: Verdict::AuthOff,
            hmac_rejection: None,
            nonce: None,
            request_id: None,
            fixture: None,
            fault: None,
            status: 200,
        }
    }
}
