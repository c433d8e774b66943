//! Server-side verification of signed requests (used by the mock server, usable by any Rust
//! server that accepts Olumi signatures).
//!
//! Checks run in the service's order: the signature first (constant time), then the timestamp's
//! skew window, then the nonce's freshness. Our verifier is stricter than the service on purpose:
//! a non-numeric timestamp is [`Rejection::MalformedTimestamp`] (the service lets it skip the
//! skew check); legacy signatures (no timestamp, no nonce, so no replay protection) are refused
//! unless [`VerifierConfig::accept_legacy`] is set; and no replay passes while its timestamp is
//! inside the window, whatever the traffic (the [`MemoryNonceStore`] raises a replay floor
//! instead of silently evicting live nonces as the service's LRU does).

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::{Arc, Mutex};

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
    /// How long a nonce must be remembered after its request is accepted: twice the skew
    /// window plus one millisecond.
    ///
    /// A request stamped `ts` passes the skew check while `now <= ts + max_skew_ms`, and it was
    /// first accepted at some `now0 >= ts - max_skew_ms`. So a replay can pass the skew check
    /// until `now0 + 2 * max_skew_ms` inclusive, and the nonce must still be remembered then. The
    /// service's TTL of exactly `2 * max_skew_ms` misses that last millisecond.
    pub fn nonce_ttl_ms(&self) -> u64 {
        self.max_skew_ms.saturating_mul(2).saturating_add(1)
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
    /// The timestamp is at or below the nonce store's replay floor: under load the store forgot
    /// live nonces stamped up to `floor_ms`, so it cannot tell whether this request is a replay.
    /// A request signed again now (a fresh timestamp and nonce) passes.
    #[error(
        "the timestamp is at or below the replay floor ({floor_ms}): the server cannot rule out a replay; sign the request again"
    )]
    ReplayWindowFloor {
        /// The floor in force (Unix milliseconds).
        floor_ms: u64,
    },
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
            Self::ReplayWindowFloor { .. } => "REPLAY_RISK",
            Self::NonceTooLong => "INVALID_SIGNATURE",
        }
    }

    /// Which check refused the request, as a stable snake_case name (finer than [`Self::code`],
    /// which follows the service and merges several checks): `missing_headers`,
    /// `signature_mismatch`, `skew`, `malformed_timestamp`, `nonce_replayed`, `replay_floor` or
    /// `nonce_too_long`.
    pub fn check(&self) -> &'static str {
        match self {
            Self::MissingHeaders { .. } => "missing_headers",
            Self::InvalidSignature => "signature_mismatch",
            Self::SignatureSkew { .. } => "skew",
            Self::MalformedTimestamp => "malformed_timestamp",
            Self::ReplayBlocked => "nonce_replayed",
            Self::ReplayWindowFloor { .. } => "replay_floor",
            Self::NonceTooLong => "nonce_too_long",
        }
    }
}

/// What a [`NonceStore`] decided about one request's nonce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NonceCheck {
    /// Not seen within its TTL: it is now recorded.
    Fresh,
    /// Seen within its TTL: the request is a replay.
    Replay,
    /// The store has forgotten live nonces stamped at or before `floor_ms` to stay within its
    /// memory bound, so it cannot tell whether this request (stamped at or before the floor) is a
    /// replay. It is refused and not recorded.
    BelowFloor {
        /// The highest timestamp (Unix milliseconds) of a nonce the store dropped to make room.
        floor_ms: u64,
    },
}

/// Remembers nonces so that a signed request cannot be replayed.
///
/// The contract every implementation keeps:
///
/// - **No replay within the TTL.** Once `check_and_insert` has answered [`NonceCheck::Fresh`] for
///   a nonce at `now_ms`, it never answers `Fresh` for that nonce again before `now_ms + ttl_ms`.
/// - **Forgetting early raises a floor.** A store that drops a nonce before its TTL (to bound
///   its memory) must from then on answer [`NonceCheck::BelowFloor`] for every request stamped at
///   or before that nonce's timestamp. A replay carries the same signed timestamp as the
///   original, so it is refused either way. A Redis store with `SET NX PX ttl` never forgets
///   early and never needs a floor.
/// - **Atomic.** The check and the insertion are one step: two concurrent requests with the
///   same nonce must not both be `Fresh` (the service's Redis `EXISTS` then `SET` is not atomic;
///   ours must be).
pub trait NonceStore: Send + Sync {
    /// Checks and records the nonce of a request stamped `timestamp_ms` (the signed
    /// `X-Olumi-Timestamp`), received at `now_ms`; a fresh nonce is remembered for `ttl_ms`.
    fn check_and_insert(
        &self,
        nonce: &str,
        timestamp_ms: u64,
        now_ms: u64,
        ttl_ms: u64,
    ) -> NonceCheck;
}

impl<T: NonceStore + ?Sized> NonceStore for &T {
    fn check_and_insert(
        &self,
        nonce: &str,
        timestamp_ms: u64,
        now_ms: u64,
        ttl_ms: u64,
    ) -> NonceCheck {
        (**self).check_and_insert(nonce, timestamp_ms, now_ms, ttl_ms)
    }
}

impl<T: NonceStore + ?Sized> NonceStore for Arc<T> {
    fn check_and_insert(
        &self,
        nonce: &str,
        timestamp_ms: u64,
        now_ms: u64,
        ttl_ms: u64,
    ) -> NonceCheck {
        (**self).check_and_insert(nonce, timestamp_ms, now_ms, ttl_ms)
    }
}

/// A bounded in-memory nonce store that never lets a replay through: at most `capacity`
/// nonces, each forgotten after its TTL.
///
/// Nonces are kept in the order of their requests' timestamps. When the store is full of live
/// nonces it drops the one with the smallest timestamp and raises its *floor* to that timestamp:
/// from then on, requests stamped at or before the floor get [`NonceCheck::BelowFloor`]. A
/// replay of the dropped nonce carries its original (signed) timestamp, so it is refused.
/// Honest clients stamp their requests with the current time, above the floor, and are not
/// affected unless more than `capacity` requests arrive between the moment a client signs and
/// the moment the server checks.
///
/// Ordering by timestamp, not by arrival, matters: a request stamped at the future edge of the
/// skew window is dropped last, so it can never lift the floor above honest clients' clocks.
///
/// Every operation is O(log n); memory is bounded by `capacity * (MAX_NONCE_LEN + overhead)`
/// under any request rate. The service's in-memory LRU instead evicts the oldest live nonce
/// without a floor, so an evicted nonce can be replayed while its timestamp is inside the window.
pub struct MemoryNonceStore {
    capacity: usize,
    inner: Mutex<NonceTable>,
}

/// Where a remembered nonce sits in [`NonceTable::by_timestamp`], and when it expires.
#[derive(Debug, Clone, Copy)]
struct NonceEntry {
    /// `(timestamp_ms, insertion sequence)`: unique, ordered by timestamp.
    slot: (u64, u64),
    expires_ms: u64,
}

#[derive(Default)]
struct NonceTable {
    by_nonce: HashMap<Arc<str>, NonceEntry>,
    by_timestamp: BTreeMap<(u64, u64), Arc<str>>,
    next_seq: u64,
    floor_ms: Option<u64>,
}

impl NonceTable {
    fn remove(&mut self, nonce: &str) {
        if let Some(entry) = self.by_nonce.remove(nonce) {
            self.by_timestamp.remove(&entry.slot);
        }
    }

    /// Drops expired nonces from the low end of the timestamp order. An expired nonce further up
    /// stays until it reaches the low end or is looked up; it still counts towards the capacity.
    fn expire(&mut self, now_ms: u64) {
        while let Some((_, nonce)) = self.by_timestamp.first_key_value() {
            match self.by_nonce.get(nonce) {
                Some(entry) if entry.expires_ms > now_ms => break,
                _ => {
                    if let Some((_, nonce)) = self.by_timestamp.pop_first() {
                        self.by_nonce.remove(&nonce);
                    }
                }
            }
        }
    }

    /// Drops the nonce with the smallest timestamp and raises the floor to that timestamp.
    fn drop_lowest(&mut self) {
        if let Some(((timestamp_ms, _), nonce)) = self.by_timestamp.pop_first() {
            self.by_nonce.remove(&nonce);
            self.floor_ms = Some(self.floor_ms.map_or(timestamp_ms, |f| f.max(timestamp_ms)));
        }
    }
}

/// The signature and, for the timestamped form, the timestamp and nonce of a request.
type RequiredHeaders<'r> = (&'r str, Option<(&'r str, &'r str)>);

impl fmt::Debug for MemoryNonceStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let table = self.lock();
        f.debug_struct("MemoryNonceStore")
            .field("capacity", &self.capacity)
            .field("len", &table.by_nonce.len())
            .field("floor_ms", &table.floor_ms)
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
            inner: Mutex::new(NonceTable::default()),
        }
    }

    /// The most nonces remembered at once.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// How many nonces are remembered now (expired ones are dropped lazily).
    pub fn len(&self) -> usize {
        self.lock().by_nonce.len()
    }

    /// Whether no nonce is remembered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The replay floor: requests stamped at or before it are refused. `None` until the store
    /// has had to forget a live nonce.
    pub fn floor_ms(&self) -> Option<u64> {
        self.lock().floor_ms
    }

    /// Forgets every nonce and the floor.
    pub fn clear(&self) {
        *self.lock() = NonceTable::default();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, NonceTable> {
        // Every mutation leaves both indexes consistent before it can panic (allocation aside),
        // so keep serving after a poisoning panic elsewhere.
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl NonceStore for MemoryNonceStore {
    fn check_and_insert(
        &self,
        nonce: &str,
        timestamp_ms: u64,
        now_ms: u64,
        ttl_ms: u64,
    ) -> NonceCheck {
        let mut table = self.lock();
        table.expire(now_ms);
        if let Some(entry) = table.by_nonce.get(nonce) {
            if entry.expires_ms > now_ms {
                return NonceCheck::Replay;
            }
            table.remove(nonce);
        }
        if let Some(floor_ms) = table.floor_ms
            && timestamp_ms <= floor_ms
        {
            return NonceCheck::BelowFloor { floor_ms };
        }
        let slot = (timestamp_ms, table.next_seq);
        table.next_seq += 1;
        let key: Arc<str> = nonce.into();
        table.by_nonce.insert(
            Arc::clone(&key),
            NonceEntry {
                slot,
                expires_ms: now_ms.saturating_add(ttl_ms),
            },
        );
        table.by_timestamp.insert(slot, key);
        while table.by_nonce.len() > self.capacity {
            table.drop_lowest();
        }
        NonceCheck::Fresh
    }
}

/// A request whose signature, skew and nonce length checked out, waiting for its nonce step
/// (see [`Verifier::verify_signature`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use = "the request is not verified until its nonce is recorded and `finish` says so"]
pub struct CheckedSignature<'r> {
    verified: Verified,
    nonce: Option<PendingNonce<'r>>,
}

/// The nonce a timestamped request must record before it is accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PendingNonce<'r> {
    /// The `X-Olumi-Nonce` value (at most [`MAX_NONCE_LEN`] bytes).
    pub nonce: &'r str,
    /// The signed `X-Olumi-Timestamp`, Unix milliseconds.
    pub timestamp_ms: u64,
    /// How long the nonce must be remembered ([`VerifierConfig::nonce_ttl_ms`]).
    pub ttl_ms: u64,
}

impl<'r> CheckedSignature<'r> {
    /// The nonce to record, or `None` for the legacy form (no nonce: nothing to record).
    pub fn nonce(&self) -> Option<PendingNonce<'r>> {
        self.nonce
    }

    /// The verdict, given what the nonce store answered for [`CheckedSignature::nonce`]. A
    /// timestamped request with no answer (`None`) is refused as a replay: a nonce that was not
    /// recorded cannot be trusted.
    pub fn finish(self, check: Option<NonceCheck>) -> Result<Verified, Rejection> {
        match (self.nonce, check) {
            (None, _) | (Some(_), Some(NonceCheck::Fresh)) => Ok(self.verified),
            (Some(_), Some(NonceCheck::Replay) | None) => Err(Rejection::ReplayBlocked),
            (Some(_), Some(NonceCheck::BelowFloor { floor_ms })) => {
                Err(Rejection::ReplayWindowFloor { floor_ms })
            }
        }
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

    /// The canonical strings this verifier would accept a signature of, for `req` as received:
    /// one per accepted body-hash mode (the empty slot first), in the timestamped form when both
    /// the timestamp and the nonce headers are present, else in the legacy form when
    /// [`VerifierConfig::accept_legacy`] is set. Empty when no form applies (a timestamp or nonce
    /// header is missing and legacy signatures are refused).
    ///
    /// For explaining a rejection: a client diffs it against the string it signed. It holds no
    /// secret (the fields are the request's own, the body slot a hash of its body).
    pub fn expected_canonical(&self, req: &SignedRequest<'_>) -> Vec<String> {
        let timestamp_nonce = match (req.timestamp, req.nonce) {
            (Some(t), Some(n)) => Some((t, n)),
            _ if self.config.accept_legacy => None,
            _ => return Vec::new(),
        };
        self.accepted_modes()
            .iter()
            .map(|&mode| {
                crate::signing::canonical_string(
                    req.method,
                    req.target,
                    timestamp_nonce,
                    &body_hash(mode, req.body),
                )
            })
            .collect()
    }

    fn accepted_modes(&self) -> &'static [BodyHashMode] {
        match self.config.body_hash {
            AcceptedBodyHash::Unbound => &[BodyHashMode::Unbound],
            AcceptedBodyHash::Sha256 => &[BodyHashMode::Sha256],
            AcceptedBodyHash::Either => &[BodyHashMode::Unbound, BodyHashMode::Sha256],
        }
    }

    /// Verifies `req` at server time `now_ms` (Unix milliseconds). On success the nonce has been
    /// recorded; on any rejection it has not.
    pub fn verify(&self, req: &SignedRequest<'_>, now_ms: u64) -> Result<Verified, Rejection> {
        let checked = self.verify_signature(req, now_ms)?;
        let check = checked.nonce().map(|n| {
            self.nonces
                .check_and_insert(n.nonce, n.timestamp_ms, now_ms, n.ttl_ms)
        });
        checked.finish(check)
    }

    /// Every check of [`Verifier::verify`] except the nonce step: headers, signature, skew and
    /// nonce length. A server whose nonce store is asynchronous (Redis, shared by several
    /// instances) calls this, records [`CheckedSignature::nonce`] in its own store (atomically:
    /// `SET key 1 NX PX ttl_ms`), and passes the answer to [`CheckedSignature::finish`]. This
    /// verifier's own store is not touched.
    pub fn verify_signature<'r>(
        &self,
        req: &SignedRequest<'r>,
        now_ms: u64,
    ) -> Result<CheckedSignature<'r>, Rejection> {
        let (signature, timestamp_nonce) = self.required_headers(req)?;
        let body_hash = self.matching_body_hash(req, signature, timestamp_nonce)?;
        let Some((timestamp, nonce)) = timestamp_nonce else {
            return Ok(CheckedSignature {
                verified: Verified {
                    form: SignatureForm::Legacy,
                    body_hash,
                },
                nonce: None,
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
        Ok(CheckedSignature {
            verified: Verified {
                form: SignatureForm::Timestamped,
                body_hash,
            },
            nonce: Some(PendingNonce {
                nonce,
                timestamp_ms,
                ttl_ms: self.config.nonce_ttl_ms(),
            }),
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
        for &mode in self.accepted_modes() {
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
    fn verify_signature_leaves_the_nonce_step_to_the_caller() {
        let v = Verifier::new(SECRET, VerifierConfig::default()).unwrap();
        let h = signed(BodyHashMode::Unbound, NOW, "n2", b"{}");
        let checked = v.verify_signature(&request(&h, b"{}"), NOW).unwrap();
        let pending = checked.nonce().unwrap();
        assert_eq!(
            (pending.nonce, pending.timestamp_ms, pending.ttl_ms),
            ("n2", NOW, 600_001)
        );
        assert!(
            v.nonces().is_empty(),
            "the verifier's own store is untouched"
        );
        assert_eq!(
            checked.finish(Some(NonceCheck::Replay)),
            Err(Rejection::ReplayBlocked)
        );
        assert_eq!(checked.finish(None), Err(Rejection::ReplayBlocked));
        assert_eq!(
            checked.finish(Some(NonceCheck::BelowFloor { floor_ms: 5 })),
            Err(Rejection::ReplayWindowFloor { floor_ms: 5 })
        );
        assert_eq!(
            checked.finish(Some(NonceCheck::Fresh)).unwrap().form,
            SignatureForm::Timestamped
        );
        // A bad signature is refused before any nonce step.
        let mut bad = request(&h, b"{}");
        bad.target = "/assist/other";
        assert_eq!(
            v.verify_signature(&bad, NOW),
            Err(Rejection::InvalidSignature)
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
    fn expected_canonical_is_what_a_matching_client_signs() {
        let body = br#"{"brief":"x"}"#;
        let either = Verifier::new(
            SECRET,
            VerifierConfig {
                body_hash: AcceptedBodyHash::Either,
                ..Default::default()
            },
        )
        .unwrap();
        let h = signed(BodyHashMode::Sha256, NOW, "n-9", body);
        let expected = either.expected_canonical(&request(&h, body));
        let sha = body_hash(BodyHashMode::Sha256, body);
        assert_eq!(
            expected,
            [
                "POST\n/assist/draft-graph\n1700000000000\nn-9\n".to_owned(),
                format!("POST\n/assist/draft-graph\n1700000000000\nn-9\n{sha}"),
            ]
        );
        // The signature a client made over the second string is the one sent.
        let signer = Signer::new(SECRET, BodyHashMode::Sha256).unwrap();
        assert_eq!(signer.hmac_hex(expected[1].as_bytes()), h.signature);
        assert!(!expected.concat().contains(SECRET));

        let mut no_nonce = request(&h, body);
        no_nonce.nonce = None;
        assert!(either.expected_canonical(&no_nonce).is_empty());
        let legacy = Verifier::new(
            SECRET,
            VerifierConfig {
                accept_legacy: true,
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(
            legacy.expected_canonical(&no_nonce),
            ["POST\n/assist/draft-graph\n"]
        );
    }

    #[test]
    fn every_rejection_names_its_check() {
        let checks = [
            Rejection::MissingHeaders { missing: vec![] }.check(),
            Rejection::InvalidSignature.check(),
            Rejection::SignatureSkew {
                direction: SkewDirection::TooOld,
                by_ms: 1,
                max_skew_ms: 0,
            }
            .check(),
            Rejection::MalformedTimestamp.check(),
            Rejection::ReplayBlocked.check(),
            Rejection::ReplayWindowFloor { floor_ms: 0 }.check(),
            Rejection::NonceTooLong.check(),
        ];
        let distinct: std::collections::BTreeSet<_> = checks.iter().collect();
        assert_eq!(distinct.len(), checks.len(), "{checks:?}");
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
        assert_eq!(store.check_and_insert("a", 0, 0, 100), NonceCheck::Fresh);
        assert_eq!(store.check_and_insert("a", 0, 99, 100), NonceCheck::Replay);
        assert_eq!(
            store.check_and_insert("a", 100, 100, 100),
            NonceCheck::Fresh,
            "an expired nonce is fresh again"
        );
        for (i, n) in ["b", "c", "d", "e"].iter().enumerate() {
            let ts = 101 + i as u64;
            assert_eq!(store.check_and_insert(n, ts, ts, 100), NonceCheck::Fresh);
        }
        assert_eq!(store.len(), 3);
        // "a" (stamped 100) and "b" (stamped 101) were dropped to make room: the floor is 101,
        // so neither can come back, while a request stamped later is still welcome.
        assert_eq!(store.floor_ms(), Some(101));
        assert_eq!(
            store.check_and_insert("a", 100, 105, 100),
            NonceCheck::BelowFloor { floor_ms: 101 }
        );
        assert_eq!(
            store.check_and_insert("b", 101, 105, 100),
            NonceCheck::BelowFloor { floor_ms: 101 }
        );
        assert_eq!(
            store.check_and_insert("f", 102, 105, 100),
            NonceCheck::Fresh
        );
        store.clear();
        assert_eq!((store.len(), store.floor_ms()), (0, None));
    }

    #[test]
    fn store_memory_is_bounded_under_any_rate() {
        let store = MemoryNonceStore::new(1000);
        for i in 0..50_000u64 {
            let now = i / 10;
            assert_eq!(
                store.check_and_insert(&i.to_string(), now, now, 600_000),
                NonceCheck::Fresh
            );
            assert!(store.len() <= 1000);
        }
        assert_eq!(store.len(), 1000);
        let table = store.lock();
        assert_eq!(table.by_timestamp.len(), 1000);
    }

    #[test]
    fn store_survives_clock_going_backwards() {
        let store = MemoryNonceStore::new(10);
        assert_eq!(
            store.check_and_insert("a", 1000, 1000, 100),
            NonceCheck::Fresh
        );
        assert_eq!(
            store.check_and_insert("b", 500, 500, 100),
            NonceCheck::Fresh
        );
        assert_eq!(
            store.check_and_insert("b", 500, 550, 100),
            NonceCheck::Replay
        );
        assert_eq!(
            store.check_and_insert("a", 1000, 1050, 100),
            NonceCheck::Replay
        );
    }

    #[test]
    fn replay_after_a_flood_of_fresh_nonces_is_refused() {
        // 200 000 fresh requests, one per millisecond: all inside the 300 s window.
        let v = Verifier::new(SECRET, VerifierConfig::default()).unwrap();
        let first = signed(BodyHashMode::Unbound, NOW, "first", b"");
        assert!(v.verify(&request(&first, b""), NOW).is_ok());
        let signer = Signer::new(SECRET, BodyHashMode::Unbound).unwrap();
        let mut max_len = 0;
        for i in 1..=200_000u64 {
            let now = NOW + i;
            let nonce = format!("n{i}");
            let h = signer
                .sign("POST", "/assist/draft-graph", b"", now, &nonce)
                .unwrap();
            assert!(
                v.verify(&request(&h, b""), now).is_ok(),
                "fresh request {i}"
            );
            max_len = max_len.max(v.nonces().len());
        }
        assert_eq!(max_len, DEFAULT_NONCE_CAPACITY);
        let now = NOW + 200_001;
        assert!(now - NOW <= DEFAULT_MAX_SKEW_MS, "still inside the window");
        assert_eq!(
            v.verify(&request(&first, b""), now),
            Err(Rejection::ReplayWindowFloor {
                floor_ms: NOW + 200_000 - DEFAULT_NONCE_CAPACITY as u64
            })
        );
        assert_eq!(
            Rejection::ReplayWindowFloor { floor_ms: 0 }.code(),
            "REPLAY_RISK"
        );
        // A client signing now is not affected.
        let fresh = signed(BodyHashMode::Unbound, now, "after", b"");
        assert!(v.verify(&request(&fresh, b""), now).is_ok());
    }

    #[test]
    fn a_future_dated_request_does_not_lift_the_floor_above_honest_clients() {
        let config = VerifierConfig::default();
        let v = Verifier::with_store(SECRET, config.clone(), MemoryNonceStore::new(4)).unwrap();
        let future = signed(
            BodyHashMode::Unbound,
            NOW + config.max_skew_ms,
            "future",
            b"",
        );
        assert!(v.verify(&request(&future, b""), NOW).is_ok());
        for i in 0..20u64 {
            let h = signed(BodyHashMode::Unbound, NOW + i, &format!("h{i}"), b"");
            assert!(v.verify(&request(&h, b""), NOW + i).is_ok(), "honest {i}");
        }
        // The future-dated nonce is still remembered (it sorts last), and the floor trails
        // the honest clients' clocks.
        assert!(v.nonces().floor_ms().unwrap() < NOW + 19);
        assert_eq!(
            v.verify(&request(&future, b""), NOW + 20),
            Err(Rejection::ReplayBlocked)
        );
    }

    #[test]
    fn replay_at_the_far_edge_of_the_window_is_refused() {
        // Stamped at the future edge and accepted at NOW, a request passes the skew check until
        // NOW + 2 * skew inclusive; its nonce must be remembered until then.
        let config = VerifierConfig::default();
        let skew = config.max_skew_ms;
        let v = Verifier::new(SECRET, config).unwrap();
        let h = signed(BodyHashMode::Unbound, NOW + skew, "edge", b"");
        assert!(v.verify(&request(&h, b""), NOW).is_ok());
        assert_eq!(
            v.verify(&request(&h, b""), NOW + 2 * skew),
            Err(Rejection::ReplayBlocked)
        );
        assert!(matches!(
            v.verify(&request(&h, b""), NOW + 2 * skew + 1),
            Err(Rejection::SignatureSkew { .. })
        ));
    }
}
