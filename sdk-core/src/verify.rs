//! Server-side verification of signed requests (used by the mock server, usable by any Rust
//! server that accepts Olumi signatures).
//!
//! Checks run in the service's order: the signature first (constant time), then the timestamp's
//! skew window, then the nonce's freshness. Our verifier is stricter than the service in two
//! places, both on purpose: a non-numeric timestamp is [`Rejection::MalformedTimestamp`] (the
//! service lets it skip the skew check), and legacy signatures (no timestamp, no nonce, so no
//! replay protection) are refused unless [`VerifierConfig::accept_legacy`] is set.

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::sync::Mutex;

use subtle::ConstantTimeEq;

use crate::signing::{BodyHashMode, Signer, SigningError, body_hash};

/// Default accepted distance between a request's timestamp and the server's clock.
pub const DEFAULT_MAX_SKEW_MS: u64 = 300_000;
/// Default number of nonces remembered, as the service's in-memory LRU.
pub const DEFAULT_NONCE_CAPACITY: usize = 10_000;
/// Nonces longer than this are refused: the store must stay small whatever clients send.
pub const MAX_NONCE_LEN: usize = 256;

/// Which body-hash slot contents a verifier accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AcceptedBodyHash {
    /// Only the empty slot, as the deployed service (its body is unread when it checks).
    #[default]
    Unbound,
    /// Only the SHA-256 of the exact body bytes (strict mode: the body is bound).
    Sha256,
    /// Either form: lenient, for servers that must accept both kinds of clients.
    Either,
}

/// Verifier settings. The defaults are the service's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifierConfig {
    /// Largest accepted `|now - timestamp|`, in milliseconds.
    pub max_skew_ms: u64,
    /// Accept the legacy canonical form (no timestamp and nonce headers).
    pub accept_legacy: bool,
    /// Which body-hash forms are accepted.
    pub body_hash: AcceptedBodyHash,
}

impl Default for VerifierConfig {
    fn default() -> Self {
        Self {
            max_skew_ms: DEFAULT_MAX_SKEW_MS,
            accept_legacy: false,
            body_hash: AcceptedBodyHash::Unbound,
        }
    }
}

impl VerifierConfig {
    /// How long a nonce must be remembered: twice the skew window, as the service does, so a
    /// request cannot be replayed at either edge of the window.
    pub fn nonce_ttl_ms(&self) -> u64 {
        self.max_skew_ms.saturating_mul(2)
    }
}

/// The parts of an incoming request that a signature covers. Header values are the raw strings
/// received; `None` means the header was absent.
#[derive(Debug, Clone, Copy)]
pub struct SignedRequest<'a> {
    /// The method from the request line.
    pub method: &'a str,
    /// The raw request-target (path and query) from the request line.
    pub target: &'a str,
    /// `X-Olumi-Signature`.
    pub signature: Option<&'a str>,
    /// `X-Olumi-Timestamp`.
    pub timestamp: Option<&'a str>,
    /// `X-Olumi-Nonce`.
    pub nonce: Option<&'a str>,
    /// The exact body bytes received.
    pub body: &'a [u8],
}

/// Which canonical form a verified request was signed with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureForm {
    /// `METHOD \n TARGET \n TIMESTAMP \n NONCE \n BODY_HASH`.
    Timestamped,
    /// `METHOD \n TARGET \n BODY_HASH` (no replay protection).
    Legacy,
}

/// A successful verification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verified {
    /// The canonical form that matched.
    pub form: SignatureForm,
    /// The body-hash mode that matched.
    pub body_hash: BodyHashMode,
}

/// Whether a timestamp lies before or after the server's clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkewDirection {
    /// The timestamp is older than the window allows.
    TooOld,
    /// The timestamp is further in the future than the window allows.
    TooNew,
}

/// Why a signed request was rejected. Never contains the secret or the expected signature.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Rejection {
    /// One or more of the signature headers is absent.
    #[error("missing signature header(s): {}", .missing.join(", "))]
    MissingHeaders {
        /// The names of the absent headers.
        missing: Vec<&'static str>,
    },
    /// The signature does not match the request.
    #[error("the signature does not match the request")]
    InvalidSignature,
    /// The timestamp is outside the skew window.
    #[error("timestamp is {} by {by_ms} ms (window is {max_skew_ms} ms)", match .direction { SkewDirection::TooOld => "too old", SkewDirection::TooNew => "too new" })]
    SignatureSkew {
        /// Before or after the server's clock.
        direction: SkewDirection,
        /// `|now - timestamp|` in milliseconds.
        by_ms: u64,
        /// The window in force.
        max_skew_ms: u64,
    },
    /// The nonce was already used within the replay window.
    #[error("the nonce was already used (replay)")]
    ReplayBlocked,
    /// The timestamp is not a decimal number of milliseconds.
    #[error("timestamp is not a decimal number of Unix milliseconds")]
    MalformedTimestamp,
    /// The nonce is longer than [`MAX_NONCE_LEN`] bytes.
    #[error("nonce is longer than {MAX_NONCE_LEN} bytes")]
    NonceTooLong,
}

impl Rejection {
    /// The service's error code for this rejection, as sent in an `error.v1` body.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidSignature | Self::MissingHeaders { .. } => "INVALID_SIGNATURE",
            Self::SignatureSkew { .. } | Self::MalformedTimestamp => "SIGNATURE_SKEW",
            Self::ReplayBlocked => "REPLAY_BLOCKED",
            Self::NonceTooLong => "INVALID_SIGNATURE",
        }
    }
}

/// Remembers nonces so that a signed request cannot be replayed.
///
/// Implementations must make the check and the insertion one atomic step: two concurrent
/// requests with the same nonce must not both pass (the service's Redis `EXISTS` then `SET` is
/// not atomic; ours must be).
pub trait NonceStore: Send + Sync {
    /// Records `nonce` as used at `now_ms` for `ttl_ms`. Returns `true` when it was fresh,
    /// `false` when it had been recorded within its TTL.
    fn check_and_insert(&self, nonce: &str, now_ms: u64, ttl_ms: u64) -> bool;
}

/// A bounded in-memory nonce store: at most `capacity` nonces, each forgotten after its TTL.
///
/// Every operation is O(1) amortised: entries are queued in insertion order, and because the TTL
/// is the same for all of them, the queue's front is always the first to expire. When the store
/// is full of unexpired nonces the oldest one is evicted, as the service's LRU does; memory is
/// bounded by `capacity * (MAX_NONCE_LEN + overhead)` under any request rate.
pub struct MemoryNonceStore {
    capacity: usize,
    inner: Mutex<NonceQueue>,
}

#[derive(Default)]
struct NonceQueue {
    expiry_by_nonce: HashMap<Box<str>, u64>,
    order: VecDeque<(Box<str>, u64)>,
}

impl NonceQueue {
    fn pop_oldest(&mut self) {
        let Some((old, expires)) = self.order.pop_front() else {
            return;
        };
        // The map may hold a newer expiry for the same nonce if it was re-inserted after
        // expiring; only remove the entry this queue slot stands for.
        if self.expiry_by_nonce.get(&old) == Some(&expires) {
            self.expiry_by_nonce.remove(&old);
        }
    }
}

/// The signature and, for the timestamped form, the timestamp and nonce of a request.
type RequiredHeaders<'r> = (&'r str, Option<(&'r str, &'r str)>);

impl fmt::Debug for MemoryNonceStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryNonceStore")
            .field("capacity", &self.capacity)
            .field("len", &self.len())
            .finish()
    }
}

impl Default for MemoryNonceStore {
    fn default() -> Self {
        Self::new(DEFAULT_NONCE_CAPACITY)
    }
}

impl MemoryNonceStore {
    /// A store that remembers at most `capacity` nonces (at least one).
    pub fn new(capacity: usize) -> Self {
        let capacity = capacity.max(1);
        Self {
            capacity,
            inner: Mutex::new(NonceQueue::default()),
        }
    }

    /// How many nonces are remembered now (expired ones are dropped lazily).
    pub fn len(&self) -> usize {
        self.lock().order.len()
    }

    /// Whether no nonce is remembered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Forgets every nonce.
    pub fn clear(&self) {
        let mut q = self.lock();
        q.expiry_by_nonce.clear();
        q.order.clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, NonceQueue> {
        // A panic while holding the lock cannot leave the queue inconsistent in a way that
        // matters for safety (worst case a nonce is forgotten early), so keep serving.
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl NonceStore for MemoryNonceStore {
    fn check_and_insert(&self, nonce: &str, now_ms: u64, ttl_ms: u64) -> bool {
        let mut q = self.lock();
        while let Some((_, expires)) = q.order.front() {
            if *expires > now_ms {
                break;
            }
            q.pop_oldest();
        }
        if q.expiry_by_nonce
            .get(nonce)
            .is_some_and(|&expires| expires > now_ms)
        {
            return false;
        }
        if q.order.len() >= self.capacity {
            q.pop_oldest();
        }
        let key: Box<str> = nonce.into();
        // Clock steps backwards must not make the queue unordered: never expire earlier than
        // the entry in front of us.
        let floor = q.order.back().map_or(0, |(_, e)| *e);
        let expires = now_ms.saturating_add(ttl_ms).max(floor);
        q.expiry_by_nonce.insert(key.clone(), expires);
        q.order.push_back((key, expires));
        true
    }
}

/// Verifies signed requests for one secret.
pub struct Verifier<S: NonceStore = MemoryNonceStore> {
    signer: Signer,
    config: VerifierConfig,
    nonces: S,
}

impl<S: NonceStore> fmt::Debug for Verifier<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier")
            .field("secret", &"<redacted>")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Verifier<MemoryNonceStore> {
    /// A verifier with the default bounded in-memory nonce store.
    pub fn new(secret: &str, config: VerifierConfig) -> Result<Self, SigningError> {
        Self::with_store(secret, config, MemoryNonceStore::default())
    }
}

impl<S: NonceStore> Verifier<S> {
    /// A verifier that remembers nonces in `nonces`.
    pub fn with_store(
        secret: &str,
        config: VerifierConfig,
        nonces: S,
    ) -> Result<Self, SigningError> {
        // The signer's own mode is irrelevant: the verifier picks the body hash per check.
        let signer = Signer::new(secret, BodyHashMode::Unbound)?;
        Ok(Self {
            signer,
            config,
            nonces,
        })
    }

    /// The settings in force.
    pub fn config(&self) -> &VerifierConfig {
        &self.config
    }

    /// The nonce store.
    pub fn nonces(&self) -> &S {
        &self.nonces
    }

    /// Verifies `req` at server time `now_ms` (Unix milliseconds). On success the nonce has been
    /// recorded; on any rejection it has not.
    pub fn verify(&self, req: &SignedRequest<'_>, now_ms: u64) -> Result<Verified, Rejection> {
        let (signature, timestamp_nonce) = self.required_headers(req)?;
        let body_hash = self.matching_body_hash(req, signature, timestamp_nonce)?;
        let Some((timestamp, nonce)) = timestamp_nonce else {
            return Ok(Verified {
                form: SignatureForm::Legacy,
                body_hash,
            });
        };
        let timestamp_ms = parse_timestamp(timestamp)?;
        let by_ms = now_ms.abs_diff(timestamp_ms);
        if by_ms > self.config.max_skew_ms {
            return Err(Rejection::SignatureSkew {
                direction: if timestamp_ms < now_ms {
                    SkewDirection::TooOld
                } else {
                    SkewDirection::TooNew
                },
                by_ms,
                max_skew_ms: self.config.max_skew_ms,
            });
        }
        if nonce.len() > MAX_NONCE_LEN {
            return Err(Rejection::NonceTooLong);
        }
        if !self
            .nonces
            .check_and_insert(nonce, now_ms, self.config.nonce_ttl_ms())
        {
            return Err(Rejection::ReplayBlocked);
        }
        Ok(Verified {
            form: SignatureForm::Timestamped,
            body_hash,
        })
    }

    fn required_headers<'r>(
        &self,
        req: &SignedRequest<'r>,
    ) -> Result<RequiredHeaders<'r>, Rejection> {
        let mut missing = Vec::new();
        if req.signature.is_none() {
            missing.push(crate::signing::HEADER_SIGNATURE);
        }
        let timestamp_nonce = match (req.timestamp, req.nonce) {
            (Some(t), Some(n)) => Some((t, n)),
            // Like the service, either header missing means the legacy form.
            _ if self.config.accept_legacy => None,
            (t, n) => {
                if t.is_none() {
                    missing.push(crate::signing::HEADER_TIMESTAMP);
                }
                if n.is_none() {
                    missing.push(crate::signing::HEADER_NONCE);
                }
                None
            }
        };
        match req.signature {
            Some(signature) if missing.is_empty() => Ok((signature, timestamp_nonce)),
            _ => Err(Rejection::MissingHeaders { missing }),
        }
    }

    fn matching_body_hash(
        &self,
        req: &SignedRequest<'_>,
        signature: &str,
        timestamp_nonce: Option<(&str, &str)>,
    ) -> Result<BodyHashMode, Rejection> {
        let candidates: &[BodyHashMode] = match self.config.body_hash {
            AcceptedBodyHash::Unbound => &[BodyHashMode::Unbound],
            AcceptedBodyHash::Sha256 => &[BodyHashMode::Sha256],
            AcceptedBodyHash::Either => &[BodyHashMode::Unbound, BodyHashMode::Sha256],
        };
        for &mode in candidates {
            let expected = self.signer.signature_hex(
                req.method,
                req.target,
                timestamp_nonce,
                &body_hash(mode, req.body),
            );
            // Equal length first, then constant-time equality: the length of a valid signature
            // is public (64), so leaking a length mismatch reveals nothing.
            if expected.len() == signature.len()
                && bool::from(expected.as_bytes().ct_eq(signature.as_bytes()))
            {
                return Ok(mode);
            }
        }
        Err(Rejection::InvalidSignature)
    }
}

fn parse_timestamp(raw: &str) -> Result<u64, Rejection> {
    if raw.is_empty() || raw.len() > 19 || !raw.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Rejection::MalformedTimestamp);
    }
    raw.parse().map_err(|_| Rejection::MalformedTimestamp)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "test-hmac-secret";
    const NOW: u64 = 1_700_000_000_000;

    fn signed(
        mode: BodyHashMode,
        ts: u64,
        nonce: &str,
        body: &[u8],
    ) -> crate::signing::SignatureHeaders {
        Signer::new(SECRET, mode)
            .unwrap()
            .sign("POST", "/assist/draft-graph", body, ts, nonce)
            .unwrap()
    }

    fn request<'a>(h: &'a crate::signing::SignatureHeaders, body: &'a [u8]) -> SignedRequest<'a> {
        SignedRequest {
            method: "POST",
            target: "/assist/draft-graph",
            signature: Some(&h.signature),
            timestamp: Some(&h.timestamp),
            nonce: Some(&h.nonce),
            body,
        }
    }

    #[test]
    fn accepts_then_blocks_replay() {
        let v = Verifier::new(SECRET, VerifierConfig::default()).unwrap();
        let h = signed(BodyHashMode::Unbound, NOW, "n1", b"{}");
        let ok = v.verify(&request(&h, b"{}"), NOW).unwrap();
        assert_eq!(ok.form, SignatureForm::Timestamped);
        assert_eq!(
            v.verify(&request(&h, b"{}"), NOW + 1),
            Err(Rejection::ReplayBlocked)
        );
    }

    #[test]
    fn skew_both_directions() {
        let v = Verifier::new(SECRET, VerifierConfig::default()).unwrap();
        let old = signed(BodyHashMode::Unbound, NOW - 300_001, "a", b"");
        assert_eq!(
            v.verify(&request(&old, b""), NOW),
            Err(Rejection::SignatureSkew {
                direction: SkewDirection::TooOld,
                by_ms: 300_001,
                max_skew_ms: 300_000
            })
        );
        let new = signed(BodyHashMode::Unbound, NOW + 400_000, "b", b"");
        assert!(matches!(
            v.verify(&request(&new, b""), NOW),
            Err(Rejection::SignatureSkew {
                direction: SkewDirection::TooNew,
                by_ms: 400_000,
                ..
            })
        ));
        let edge = signed(BodyHashMode::Unbound, NOW - 300_000, "c", b"");
        assert!(v.verify(&request(&edge, b""), NOW).is_ok());
        // A rejected request must not burn its nonce.
        assert_eq!(v.nonces().len(), 1);
    }

    #[test]
    fn malformed_timestamp_is_rejected_even_when_signed() {
        let v = Verifier::new(SECRET, VerifierConfig::default()).unwrap();
        let signer = Signer::new(SECRET, BodyHashMode::Unbound).unwrap();
        let sig = signer.signature_hex("POST", "/x", Some(("abc", "n")), "");
        let req = SignedRequest {
            method: "POST",
            target: "/x",
            signature: Some(&sig),
            timestamp: Some("abc"),
            nonce: Some("n"),
            body: b"",
        };
        assert_eq!(v.verify(&req, NOW), Err(Rejection::MalformedTimestamp));
        assert_eq!(Rejection::MalformedTimestamp.code(), "SIGNATURE_SKEW");
    }

    #[test]
    fn body_hash_modes() {
        let body = br#"{"brief":"x"}"#;
        let strict = Verifier::new(
            SECRET,
            VerifierConfig {
                body_hash: AcceptedBodyHash::Sha256,
                ..Default::default()
            },
        )
        .unwrap();
        let unbound = signed(BodyHashMode::Unbound, NOW, "u", body);
        assert_eq!(
            strict.verify(&request(&unbound, body), NOW),
            Err(Rejection::InvalidSignature)
        );
        let bound = signed(BodyHashMode::Sha256, NOW, "s", body);
        assert_eq!(
            strict
                .verify(&request(&bound, body), NOW)
                .unwrap()
                .body_hash,
            BodyHashMode::Sha256
        );
        let tampered = signed(BodyHashMode::Sha256, NOW, "t", body);
        assert_eq!(
            strict.verify(&request(&tampered, br#"{"brief":"y"}"#), NOW),
            Err(Rejection::InvalidSignature)
        );
        let either = Verifier::new(
            SECRET,
            VerifierConfig {
                body_hash: AcceptedBodyHash::Either,
                ..Default::default()
            },
        )
        .unwrap();
        assert!(either.verify(&request(&unbound, body), NOW).is_ok());
        assert!(either.verify(&request(&bound, body), NOW).is_ok());
    }

    #[test]
    fn missing_headers_are_named() {
        let v = Verifier::new(SECRET, VerifierConfig::default()).unwrap();
        let req = SignedRequest {
            method: "GET",
            target: "/v1/limits",
            signature: Some("00"),
            timestamp: None,
            nonce: Some("n"),
            body: b"",
        };
        let err = v.verify(&req, NOW).unwrap_err();
        assert_eq!(
            err,
            Rejection::MissingHeaders {
                missing: vec!["X-Olumi-Timestamp"]
            }
        );
        assert!(err.to_string().contains("X-Olumi-Timestamp"));
    }

    #[test]
    fn legacy_only_when_configured() {
        let signer = Signer::new(SECRET, BodyHashMode::Unbound).unwrap();
        let sig = signer.signature_hex("POST", "/x", None, "");
        let req = SignedRequest {
            method: "POST",
            target: "/x",
            signature: Some(&sig),
            timestamp: None,
            nonce: None,
            body: b"",
        };
        let strict = Verifier::new(SECRET, VerifierConfig::default()).unwrap();
        assert!(matches!(
            strict.verify(&req, NOW),
            Err(Rejection::MissingHeaders { .. })
        ));
        let lenient = Verifier::new(
            SECRET,
            VerifierConfig {
                accept_legacy: true,
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(
            lenient.verify(&req, NOW).unwrap().form,
            SignatureForm::Legacy
        );
    }

    #[test]
    fn uppercase_hex_is_rejected() {
        let v = Verifier::new(SECRET, VerifierConfig::default()).unwrap();
        let mut h = signed(BodyHashMode::Unbound, NOW, "up", b"");
        h.signature = h.signature.to_uppercase();
        assert_eq!(
            v.verify(&request(&h, b""), NOW),
            Err(Rejection::InvalidSignature)
        );
    }

    #[test]
    fn long_nonce_is_refused() {
        let v = Verifier::new(SECRET, VerifierConfig::default()).unwrap();
        let nonce = "n".repeat(MAX_NONCE_LEN + 1);
        let h = signed(BodyHashMode::Unbound, NOW, &nonce, b"");
        assert_eq!(
            v.verify(&request(&h, b""), NOW),
            Err(Rejection::NonceTooLong)
        );
    }

    #[test]
    fn store_is_bounded_and_expires() {
        let store = MemoryNonceStore::new(3);
        assert!(store.check_and_insert("a", 0, 100));
        assert!(!store.check_and_insert("a", 99, 100));
        assert!(
            store.check_and_insert("a", 100, 100),
            "expired nonce is fresh again"
        );
        for (i, n) in ["b", "c", "d", "e"].iter().enumerate() {
            assert!(store.check_and_insert(n, 101 + i as u64, 100));
        }
        assert_eq!(store.len(), 3);
        // "a" (re-inserted at 100) was evicted to make room.
        assert!(store.check_and_insert("a", 105, 100));
    }

    #[test]
    fn store_memory_is_bounded_under_any_rate() {
        let store = MemoryNonceStore::new(1000);
        for i in 0..50_000u64 {
            assert!(store.check_and_insert(&i.to_string(), i / 10, 600_000));
        }
        assert_eq!(store.len(), 1000);
        let q = store.lock();
        assert_eq!(q.expiry_by_nonce.len(), 1000);
    }

    #[test]
    fn store_survives_clock_going_backwards() {
        let store = MemoryNonceStore::new(10);
        assert!(store.check_and_insert("a", 1000, 100));
        assert!(store.check_and_insert("b", 500, 100));
        assert!(!store.check_and_insert("b", 550, 100));
        assert!(!store.check_and_insert("a", 1050, 100));
    }
}
