//! HMAC-SHA256 request signing, exactly as the service verifies it.
//!
//! The canonical string is `METHOD \n REQUEST_TARGET \n TIMESTAMP \n NONCE \n BODY_HASH` (no
//! trailing newline after the last field; legacy form `METHOD \n REQUEST_TARGET \n BODY_HASH`).
//! The request-target is the raw path plus `?query`, exactly as it goes on the wire: sign the
//! final URL after all percent-encoding, never a path assembled separately.
//!
//! The deployed service checks signatures before it reads the body, so its body-hash slot is
//! always empty: [`BodyHashMode::Unbound`] is the default. [`BodyHashMode::Sha256`] is the
//! documented design, for servers that bind bodies (the mock server in strict mode).
//!
//! Signing is pure: the timestamp and the nonce are parameters. [`generate_nonce`] makes a fresh
//! UUID v4 from the operating system's random source.

use std::fmt;

use hmac::{KeyInit, Mac};
use sha2::{Digest, Sha256};

use crate::hex;

type HmacSha256 = hmac::Hmac<Sha256>;

/// Header carrying the lowercase hex HMAC-SHA256 signature.
pub const HEADER_SIGNATURE: &str = "X-Olumi-Signature";
/// Header carrying the Unix time in milliseconds, decimal.
pub const HEADER_TIMESTAMP: &str = "X-Olumi-Timestamp";
/// Header carrying the request's single-use nonce.
pub const HEADER_NONCE: &str = "X-Olumi-Nonce";

/// What goes into the canonical string's body-hash slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum BodyHashMode {
    /// The empty string, whatever the body: what the deployed service verifies.
    #[default]
    Unbound,
    /// Lowercase hex SHA-256 of the exact body bytes (empty string for an empty body).
    Sha256,
}

impl BodyHashMode {
    /// Whether the signature depends on the body's bytes (callers that must convert a body
    /// first can skip that when it does not).
    pub fn covers_body(self) -> bool {
        self == Self::Sha256
    }

    /// The configuration name: `"unbound"` or `"sha256"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unbound => "unbound",
            Self::Sha256 => "sha256",
        }
    }
}

impl std::str::FromStr for BodyHashMode {
    type Err = SigningError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "unbound" => Ok(Self::Unbound),
            "sha256" => Ok(Self::Sha256),
            other => Err(SigningError::UnknownBodyHashMode {
                given: crate::error::truncate_for_message(other),
            }),
        }
    }
}

impl fmt::Display for BodyHashMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a request could not be signed. Never contains the secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SigningError {
    /// The HMAC secret is empty.
    #[error("HMAC secret is required (it is empty)")]
    EmptySecret,
    /// The method is not an uppercase HTTP token.
    #[error("invalid HTTP method {given:?}: expected an uppercase token such as POST")]
    InvalidMethod {
        /// The method given (truncated).
        given: String,
    },
    /// The request-target is not an origin-form target (`/path?query`) as sent on the wire.
    #[error("invalid request-target {given:?}: {why}")]
    InvalidTarget {
        /// The target given (truncated).
        given: String,
        /// What is wrong with it.
        why: &'static str,
    },
    /// The nonce contains a character that would break the canonical string.
    #[error("invalid nonce: {why}")]
    InvalidNonce {
        /// What is wrong with it.
        why: &'static str,
    },
    /// A body-hash mode name that is neither `unbound` nor `sha256`.
    #[error("unknown body-hash mode {given:?}: expected \"unbound\" or \"sha256\"")]
    UnknownBodyHashMode {
        /// The name given (truncated).
        given: String,
    },
}

/// The three signature headers of one signed request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureHeaders {
    /// Value of `X-Olumi-Signature`: 64 lowercase hex characters.
    pub signature: String,
    /// Value of `X-Olumi-Timestamp`: Unix milliseconds, decimal.
    pub timestamp: String,
    /// Value of `X-Olumi-Nonce`.
    pub nonce: String,
}

impl SignatureHeaders {
    /// The headers as `(name, value)` pairs, in the order the service documents them.
    pub fn pairs(&self) -> [(&'static str, &str); 3] {
        [
            (HEADER_SIGNATURE, &self.signature),
            (HEADER_TIMESTAMP, &self.timestamp),
            (HEADER_NONCE, &self.nonce),
        ]
    }
}

/// A keyed signer. Cheap to clone; the HMAC key schedule is computed once.
#[derive(Clone)]
pub struct Signer {
    keyed: HmacSha256,
    mode: BodyHashMode,
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signer")
            .field("secret", &"<redacted>")
            .field("mode", &self.mode)
            .finish()
    }
}

impl Signer {
    /// A signer for `secret` (its UTF-8 bytes are the HMAC key) in the given body-hash mode.
    pub fn new(secret: &str, mode: BodyHashMode) -> Result<Self, SigningError> {
        if secret.is_empty() {
            return Err(SigningError::EmptySecret);
        }
        Ok(Self {
            keyed: new_mac(secret.as_bytes()),
            mode,
        })
    }

    /// The body-hash mode this signer uses.
    pub fn mode(&self) -> BodyHashMode {
        self.mode
    }

    /// Signs one request. `target` is the raw request-target (path and query) as sent.
    pub fn sign(
        &self,
        method: &str,
        target: &str,
        body: &[u8],
        timestamp_ms: u64,
        nonce: &str,
    ) -> Result<SignatureHeaders, SigningError> {
        validate_method(method)?;
        validate_target(target)?;
        validate_nonce(nonce)?;
        let timestamp = timestamp_ms.to_string();
        let body_hash = body_hash(self.mode, body);
        let signature = self.signature_hex(method, target, Some((&timestamp, nonce)), &body_hash);
        Ok(SignatureHeaders {
            signature,
            timestamp,
            nonce: nonce.to_owned(),
        })
    }

    /// Signs with the current wall-clock time and a fresh nonce, both supplied by the caller's
    /// environment; the only function here that needs randomness.
    pub fn sign_now(
        &self,
        method: &str,
        target: &str,
        body: &[u8],
        now_unix_ms: u64,
    ) -> Result<SignatureHeaders, SigningError> {
        self.sign(method, target, body, now_unix_ms, &generate_nonce())
    }

    /// Lowercase hex HMAC-SHA256 of an arbitrary message under this signer's key, for checking a
    /// canonical string by hand (the legacy form included).
    pub fn hmac_hex(&self, message: &[u8]) -> String {
        let mut mac = self.keyed.clone();
        mac.update(message);
        hex::encode(&mac.finalize().into_bytes())
    }

    /// Lowercase hex HMAC of the canonical string built from raw header values.
    /// `timestamp_nonce` is `None` for the legacy form.
    pub(crate) fn signature_hex(
        &self,
        method: &str,
        target: &str,
        timestamp_nonce: Option<(&str, &str)>,
        body_hash: &str,
    ) -> String {
        hex::encode(&self.signature_bytes(method, target, timestamp_nonce, body_hash))
    }

    pub(crate) fn signature_bytes(
        &self,
        method: &str,
        target: &str,
        timestamp_nonce: Option<(&str, &str)>,
        body_hash: &str,
    ) -> [u8; 32] {
        // Feeding the fields straight into the MAC avoids building the canonical string.
        let mut mac = self.keyed.clone();
        mac.update(method.as_bytes());
        mac.update(b"\n");
        mac.update(target.as_bytes());
        mac.update(b"\n");
        if let Some((timestamp, nonce)) = timestamp_nonce {
            mac.update(timestamp.as_bytes());
            mac.update(b"\n");
            mac.update(nonce.as_bytes());
            mac.update(b"\n");
        }
        mac.update(body_hash.as_bytes());
        mac.finalize().into_bytes().into()
    }
}

fn new_mac(key: &[u8]) -> HmacSha256 {
    // HMAC accepts keys of any length, so this cannot fail.
    <HmacSha256 as KeyInit>::new_from_slice(key).expect("HMAC takes keys of any length")
}

/// Signs one request with `secret`, the way the bindings' `sign` helpers do: the timestamp
/// defaults to now ([`crate::clock::unix_ms`]) and the nonce to a fresh one (so, unlike
/// [`Signer::sign`], this reads the clock and the OS random source), and the signer of the last
/// secret and mode used on this thread is kept, so that signing many requests with one secret
/// computes its HMAC key schedule once.
pub fn sign_with_secret(
    secret: &str,
    mode: BodyHashMode,
    method: &str,
    target: &str,
    body: &[u8],
    timestamp_ms: Option<u64>,
    nonce: Option<&str>,
) -> Result<SignatureHeaders, SigningError> {
    use std::cell::RefCell;
    use subtle::ConstantTimeEq;

    thread_local! {
        static LAST: RefCell<Option<(Vec<u8>, Signer)>> = const { RefCell::new(None) };
    }

    let fresh;
    let nonce = match nonce {
        Some(nonce) => nonce,
        None => {
            fresh = generate_nonce();
            &fresh
        }
    };
    LAST.with_borrow_mut(|last| {
        let signer = match last {
            // Constant-time: the cached key must not leak through how fast a guess is rejected.
            Some((key, signer))
                if signer.mode() == mode && bool::from(key.as_slice().ct_eq(secret.as_bytes())) =>
            {
                signer
            }
            _ => {
                &last
                    .insert((secret.as_bytes().to_vec(), Signer::new(secret, mode)?))
                    .1
            }
        };
        let timestamp_ms = timestamp_ms.unwrap_or_else(crate::clock::unix_ms);
        signer.sign(method, target, body, timestamp_ms, nonce)
    })
}

/// The body-hash slot for `body` in `mode`.
pub fn body_hash(mode: BodyHashMode, body: &[u8]) -> String {
    if mode.covers_body() && !body.is_empty() {
        hex::encode(&Sha256::digest(body))
    } else {
        String::new()
    }
}

/// The canonical string that is signed. `timestamp_nonce` is `None` for the legacy form.
/// Signing never builds it (the MAC is fed field by field); it is here for tests and debugging.
pub fn canonical_string(
    method: &str,
    target: &str,
    timestamp_nonce: Option<(&str, &str)>,
    body_hash: &str,
) -> String {
    match timestamp_nonce {
        Some((timestamp, nonce)) => {
            format!("{method}\n{target}\n{timestamp}\n{nonce}\n{body_hash}")
        }
        None => format!("{method}\n{target}\n{body_hash}"),
    }
}

/// A fresh random UUID v4 (lowercase, hyphenated), the nonce format the service's SDK uses.
///
/// # Panics
/// If the operating system's random source fails, which leaves no safe way to make a nonce.
pub fn generate_nonce() -> String {
    format_uuid_v4(os_random_16())
}

/// Sixteen bytes of operating-system randomness, from a per-thread pool refilled 4 KiB at a
/// time: one system call per 256 nonces instead of one per nonce. The pool is refilled after a
/// `fork()` (the process id changes), so parent and child never hand out the same bytes; used
/// bytes are wiped from the pool.
fn os_random_16() -> [u8; 16] {
    use std::cell::RefCell;

    struct Pool {
        bytes: [u8; 4096],
        next: usize,
        pid: u32,
    }

    thread_local! {
        static POOL: RefCell<Pool> = const {
            RefCell::new(Pool { bytes: [0; 4096], next: 4096, pid: 0 })
        };
    }

    POOL.with(|pool| {
        let mut pool = pool.borrow_mut();
        let pid = std::process::id();
        if pool.next + 16 > pool.bytes.len() || pool.pid != pid {
            getrandom::fill(&mut pool.bytes).expect("the operating system's random source failed");
            pool.next = 0;
            pool.pid = pid;
        }
        let start = pool.next;
        let mut out = [0u8; 16];
        out.copy_from_slice(&pool.bytes[start..start + 16]);
        pool.bytes[start..start + 16].fill(0);
        pool.next += 16;
        out
    })
}

/// A random UUID v4 for correlation (`X-Request-Id`), not for security: it comes from a fast
/// non-cryptographic generator, which saves a system call per request.
pub fn generate_request_id() -> String {
    format_uuid_v4(fastrand::u128(..).to_le_bytes())
}

fn format_uuid_v4(mut bytes: [u8; 16]) -> String {
    bytes[6] = (bytes[6] & 0x0f) | 0x40; // version 4
    bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 4122 variant
    let mut out = String::with_capacity(36);
    for (i, group) in [
        &bytes[0..4],
        &bytes[4..6],
        &bytes[6..8],
        &bytes[8..10],
        &bytes[10..16],
    ]
    .into_iter()
    .enumerate()
    {
        if i > 0 {
            out.push('-');
        }
        hex::encode_into(group, &mut out);
    }
    out
}

fn validate_method(method: &str) -> Result<(), SigningError> {
    let ok = !method.is_empty() && method.bytes().all(|b| b.is_ascii_uppercase());
    if ok {
        Ok(())
    } else {
        Err(SigningError::InvalidMethod {
            given: crate::error::truncate_for_message(method),
        })
    }
}

fn validate_target(target: &str) -> Result<(), SigningError> {
    let why = if !target.starts_with('/') {
        Some("it must start with '/' (sign the path and query, not a full URL)")
    } else if target.bytes().any(|b| b <= b' ' || b == 0x7f || b >= 0x80) {
        Some("it must be percent-encoded exactly as sent (no spaces, controls or raw non-ASCII)")
    } else if target.contains('#') {
        Some("a fragment is never sent, so it must not be signed")
    } else {
        None
    };
    match why {
        None => Ok(()),
        Some(why) => Err(SigningError::InvalidTarget {
            given: crate::error::truncate_for_message(target),
            why,
        }),
    }
}

fn validate_nonce(nonce: &str) -> Result<(), SigningError> {
    if nonce.is_empty() {
        Err(SigningError::InvalidNonce { why: "it is empty" })
    } else if nonce.bytes().any(|b| b < b' ' || b == 0x7f) {
        // A newline would let one canonical string stand for another.
        Err(SigningError::InvalidNonce {
            why: "it contains a control character",
        })
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonce_is_uuid_v4() {
        let n = generate_nonce();
        assert_eq!(n.len(), 36);
        let parts: Vec<&str> = n.split('-').collect();
        assert_eq!(
            parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12]
        );
        assert!(parts[2].starts_with('4'));
        assert!(matches!(&parts[3][..1], "8" | "9" | "a" | "b"));
        assert_ne!(n, generate_nonce());
    }

    #[test]
    fn nonces_do_not_repeat_across_pool_refills() {
        let nonces: std::collections::HashSet<String> =
            (0..1000).map(|_| generate_nonce()).collect();
        assert_eq!(nonces.len(), 1000);
    }

    #[test]
    fn uuid_bits_are_forced() {
        assert_eq!(
            format_uuid_v4([0xff; 16]),
            "ffffffff-ffff-4fff-bfff-ffffffffffff"
        );
        assert_eq!(
            format_uuid_v4([0; 16]),
            "00000000-0000-4000-8000-000000000000"
        );
    }

    #[test]
    fn sign_with_secret_matches_a_signer_and_follows_secret_changes() {
        let direct = Signer::new("a", BodyHashMode::Sha256)
            .unwrap()
            .sign("POST", "/x", b"{}", 5, "n")
            .unwrap();
        let cached = sign_with_secret(
            "a",
            BodyHashMode::Sha256,
            "POST",
            "/x",
            b"{}",
            Some(5),
            Some("n"),
        )
        .unwrap();
        assert_eq!(cached, direct);
        let other = sign_with_secret(
            "b",
            BodyHashMode::Sha256,
            "POST",
            "/x",
            b"{}",
            Some(5),
            Some("n"),
        )
        .unwrap();
        assert_ne!(
            other.signature, direct.signature,
            "a new secret is not served from the cache"
        );
        let unbound = sign_with_secret(
            "b",
            BodyHashMode::Unbound,
            "POST",
            "/x",
            b"{}",
            Some(5),
            Some("n"),
        )
        .unwrap();
        assert_ne!(unbound.signature, other.signature, "nor is a new mode");
        let fresh =
            sign_with_secret("b", BodyHashMode::Unbound, "POST", "/x", b"", Some(5), None).unwrap();
        assert_eq!(fresh.nonce.len(), 36);
        let before = crate::clock::unix_ms();
        let now =
            sign_with_secret("b", BodyHashMode::Unbound, "POST", "/x", b"", None, None).unwrap();
        let stamped: u64 = now.timestamp.parse().unwrap();
        assert!(
            (before..=crate::clock::unix_ms()).contains(&stamped),
            "defaults to now"
        );
        assert_eq!(
            sign_with_secret("", BodyHashMode::Unbound, "POST", "/x", b"", Some(5), None)
                .unwrap_err(),
            SigningError::EmptySecret
        );
    }

    #[test]
    fn empty_secret_is_rejected() {
        assert_eq!(
            Signer::new("", BodyHashMode::Unbound).unwrap_err(),
            SigningError::EmptySecret
        );
    }

    #[test]
    fn debug_redacts_secret() {
        let s = Signer::new("super-secret-value", BodyHashMode::Sha256).unwrap();
        let dbg = format!("{s:?}");
        assert!(!dbg.contains("super-secret-value"), "{dbg}");
        assert!(dbg.contains("redacted"));
    }

    #[test]
    fn rejects_bad_inputs() {
        let s = Signer::new("k", BodyHashMode::Unbound).unwrap();
        assert!(matches!(
            s.sign("post", "/a", b"", 1, "n"),
            Err(SigningError::InvalidMethod { .. })
        ));
        assert!(matches!(
            s.sign("POST", "https://x/a", b"", 1, "n"),
            Err(SigningError::InvalidTarget { .. })
        ));
        assert!(matches!(
            s.sign("POST", "/a b", b"", 1, "n"),
            Err(SigningError::InvalidTarget { .. })
        ));
        assert!(matches!(
            s.sign("POST", "/a#f", b"", 1, "n"),
            Err(SigningError::InvalidTarget { .. })
        ));
        assert!(matches!(
            s.sign("POST", "/a", b"", 1, "a\nb"),
            Err(SigningError::InvalidNonce { .. })
        ));
        assert!(matches!(
            s.sign("POST", "/a", b"", 1, ""),
            Err(SigningError::InvalidNonce { .. })
        ));
    }

    #[test]
    fn body_hash_modes() {
        assert_eq!(body_hash(BodyHashMode::Unbound, b"abc"), "");
        assert_eq!(body_hash(BodyHashMode::Sha256, b""), "");
        assert_eq!(
            body_hash(BodyHashMode::Sha256, b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            "sha256".parse::<BodyHashMode>().unwrap(),
            BodyHashMode::Sha256
        );
        assert!("SHA256".parse::<BodyHashMode>().is_err());
    }
}
