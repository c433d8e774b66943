//! Authentication as the service does it (reference §1): API keys, HMAC signatures through the
//! core's [`Verifier`], public routes, and the service's status codes and bodies.
//!
//! | keys | secret | behaviour |
//! |---|---|---|
//! | none | none | auth off |
//! | some | none | API key only; signatures ignored |
//! | none | set | a signature is verified (failure: 403 with its code); without one, API-key rules (401/403) |
//! | some | set | a signature is tried first; when it fails, API-key auth decides (the service's silent fallback) |

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use axum::http::header::{ACCEPT, AUTHORIZATION};
use axum::http::{HeaderMap, HeaderName, Method};
use olumi::verify::{
    AcceptedBodyHash, MemoryNonceStore, NonceCheck, NonceStore, PendingNonce, Rejection,
    SignatureForm, SignedRequest, Verifier, VerifierConfig,
};

use crate::config::{AuthMode, Config};
use crate::explain;
use crate::headers;
use crate::journal::{self, Verdict};
use crate::rate_limit::{BucketKind, QuotaAsk};
use crate::redis_state::RedisState;

/// The nonce store shared by the verifiers of every configured secret (the core's bounded
/// store: a replay is refused for the whole skew window, see `docs/protocol.md` section 3).
type SharedNonces = Arc<MemoryNonceStore>;

/// One secret's verifier and the key id its callers get.
#[derive(Debug)]
struct SecretVerifier {
    verifier: Verifier<SharedNonces>,
    key_id: Arc<str>,
}

/// What auth decided for one request.
#[derive(Debug, Clone)]
pub(crate) struct AuthDecision {
    pub(crate) verdict: Verdict,
    /// The caller's key id, when a credential was accepted (the rate-limit bucket key).
    pub(crate) key_id: Option<Arc<str>>,
    /// A signature rejection that API-key auth then overrode.
    pub(crate) hmac_rejection: Option<&'static str>,
    /// Why the signature failed or the key was refused (for the journal and the dashboard).
    pub(crate) rejection: Option<Box<journal::Rejection>>,
    /// The quota's verdict when the nonce step already took the token (Redis: one script call
    /// for both); `None` when the quota is still to be checked.
    pub(crate) quota: Option<Result<(), u64>>,
}

/// A failed signature: the service's code and the explanation for the journal.
type SignatureFailure = (&'static str, Box<journal::Rejection>);

/// The configured credentials.
pub(crate) struct Auth {
    /// Each configured key and its key id.
    api_keys: HashMap<String, Arc<str>>,
    secrets: Vec<SecretVerifier>,
    nonces: SharedNonces,
    /// Nonces shared by a pool of mocks; `nonces` serves while Redis cannot be reached (the
    /// service's fallback).
    redis: Option<Arc<RedisState>>,
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Key ids are public (the service reports them); keys and secrets are not.
        f.debug_struct("Auth")
            .field(
                "api_keys",
                &format_args!("<{} redacted>", self.api_keys.len()),
            )
            .field(
                "secret_key_ids",
                &self.secrets.iter().map(|s| &*s.key_id).collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}

impl Auth {
    pub(crate) fn new(config: &Config) -> Result<Self, String> {
        let (body_hash, accept_legacy) = match config.auth_mode {
            AuthMode::Compat => (AcceptedBodyHash::Unbound, true),
            AuthMode::Strict => (AcceptedBodyHash::Sha256, false),
            AuthMode::Lenient => (AcceptedBodyHash::Either, true),
        };
        let verifier_config = VerifierConfig {
            max_skew_ms: config.max_skew_ms,
            accept_legacy,
            body_hash,
        };
        let nonces = Arc::new(MemoryNonceStore::new(config.nonce_capacity));
        let mut secrets = Vec::new();
        for secret in &config.hmac_secrets {
            let verifier =
                Verifier::with_store(secret, verifier_config.clone(), Arc::clone(&nonces))
                    .map_err(|e| format!("HMAC secret: {e}"))?;
            secrets.push(SecretVerifier {
                verifier,
                key_id: fast_hash(secret).into(),
            });
        }
        let api_keys = config
            .api_keys
            .iter()
            .map(|k| k.trim())
            .filter(|k| !k.is_empty())
            .map(|k| (k.to_owned(), Arc::from(fast_hash(k))))
            .collect();
        Ok(Self {
            api_keys,
            secrets,
            nonces,
            redis: None,
        })
    }

    /// Records nonces in Redis.
    pub(crate) fn with_redis(mut self, redis: Option<Arc<RedisState>>) -> Self {
        self.redis = redis;
        self
    }

    /// Whether any credential is configured (otherwise every route is open).
    pub(crate) fn enabled(&self) -> bool {
        !self.api_keys.is_empty() || !self.secrets.is_empty()
    }

    /// Forgets every nonce seen.
    pub(crate) fn reset(&self) {
        self.nonces.clear();
    }

    /// Judges one request. `target` is the raw request-target; `now_ms` Unix milliseconds.
    /// `quota`: the bucket an accepted signed request draws from, when it is in Redis.
    pub(crate) async fn check(
        &self,
        method: &Method,
        target: &str,
        headers: &HeaderMap,
        body: &[u8],
        now_ms: u64,
        quota: Option<QuotaAsk>,
    ) -> AuthDecision {
        let open = |verdict| AuthDecision {
            verdict,
            key_id: None,
            hmac_rejection: None,
            rejection: None,
            quota: None,
        };
        if !self.enabled() {
            return open(Verdict::AuthOff);
        }
        if is_public(method, target) {
            return open(Verdict::Public);
        }
        if is_legacy_sse(method, target, headers) {
            return open(Verdict::LegacySseBypass);
        }
        let mut hmac_rejection = None;
        let mut explanation = None;
        if !self.secrets.is_empty()
            && let Some(signature) = joined(headers, headers::SIGNATURE)
        {
            match self
                .verify(method, target, headers, &signature, body, now_ms, quota)
                .await
            {
                Ok((verdict, key_id, quota)) => {
                    return AuthDecision {
                        verdict,
                        key_id: Some(key_id),
                        hmac_rejection: None,
                        rejection: None,
                        quota,
                    };
                }
                Err((code, why)) if self.api_keys.is_empty() => {
                    let mut decision = open(Verdict::HmacRejected {
                        code: code.to_owned(),
                    });
                    decision.rejection = Some(why);
                    return decision;
                }
                Err((code, why)) => {
                    hmac_rejection = Some(code);
                    explanation = Some(why);
                }
            }
        }
        let mut decision = self.check_api_key(headers);
        decision.hmac_rejection = hmac_rejection;
        decision.rejection =
            explanation.or_else(|| explain::api_key(&decision.verdict).map(Box::new));
        decision
    }

    #[allow(clippy::too_many_arguments, reason = "one request's parts")]
    async fn verify(
        &self,
        method: &Method,
        target: &str,
        headers: &HeaderMap,
        signature: &str,
        body: &[u8],
        now_ms: u64,
        quota: Option<QuotaAsk>,
    ) -> Result<(Verdict, Arc<str>, Option<Result<(), u64>>), SignatureFailure> {
        let timestamp = joined(headers, headers::TIMESTAMP);
        let nonce = joined(headers, headers::NONCE);
        let request = SignedRequest {
            method: method.as_str(),
            target,
            signature: Some(signature),
            timestamp: timestamp.as_deref(),
            nonce: nonce.as_deref(),
            body,
        };
        let mut last = Rejection::InvalidSignature;
        for secret in &self.secrets {
            let mut quota_verdict = None;
            let checked = match secret.verifier.verify_signature(&request, now_ms) {
                Ok(checked) => match checked.nonce() {
                    Some(pending) => {
                        let (check, taken) = self
                            .record_nonce(pending, now_ms, &secret.key_id, quota)
                            .await;
                        quota_verdict = taken;
                        checked.finish(Some(check))
                    }
                    None => checked.finish(None),
                },
                Err(rejection) => Err(rejection),
            };
            match checked {
                Ok(verified) => {
                    let verdict = Verdict::Hmac {
                        key_id: secret.key_id.to_string(),
                        form: match verified.form {
                            SignatureForm::Timestamped => "timestamped",
                            SignatureForm::Legacy => "legacy",
                        }
                        .to_owned(),
                        body_hash: verified.body_hash.as_str().to_owned(),
                    };
                    return Ok((verdict, Arc::clone(&secret.key_id), quota_verdict));
                }
                // Another secret may still match; anything else is this secret's final word.
                Err(Rejection::InvalidSignature) => {}
                Err(other) => {
                    last = other;
                    break;
                }
            }
        }
        let why = explain::signature(&last, &self.secrets[0].verifier, &request, now_ms);
        Err((last.code(), Box::new(why)))
    }

    /// The nonce step: Redis (`SET NX PX`, one atomic step shared by the pool; with `quota`,
    /// the same script takes the caller's token and its verdict is returned too), or this
    /// process' bounded store when there is no Redis or it cannot be reached.
    async fn record_nonce(
        &self,
        pending: PendingNonce<'_>,
        now_ms: u64,
        key_id: &str,
        quota: Option<QuotaAsk>,
    ) -> (NonceCheck, Option<Result<(), u64>>) {
        if let Some(redis) = &self.redis {
            let recorded = match quota {
                Some(ask) => redis
                    .insert_nonce_and_take(
                        pending.nonce,
                        pending.ttl_ms,
                        key_id,
                        ask.kind == BucketKind::Sse,
                        ask.capacity,
                    )
                    .await
                    .map(|taken| match taken {
                        Some((taken, left)) => (NonceCheck::Fresh, Some(ask.verdict(taken, left))),
                        None => (NonceCheck::Replay, None),
                    }),
                None => redis
                    .insert_nonce(pending.nonce, pending.ttl_ms)
                    .await
                    .map(|fresh| {
                        let check = if fresh {
                            NonceCheck::Fresh
                        } else {
                            NonceCheck::Replay
                        };
                        (check, None)
                    }),
            };
            if let Ok(recorded) = recorded {
                return recorded;
            }
        }
        let check = self.nonces.check_and_insert(
            pending.nonce,
            pending.timestamp_ms,
            now_ms,
            pending.ttl_ms,
        );
        (check, None)
    }

    fn check_api_key(&self, headers: &HeaderMap) -> AuthDecision {
        let (verdict, key_id) = match extract_api_key(headers) {
            None => (Verdict::MissingKey, None),
            Some(key) => match self.api_keys.get(key.as_ref()) {
                Some(key_id) => (
                    Verdict::ApiKey {
                        key_id: key_id.to_string(),
                    },
                    Some(Arc::clone(key_id)),
                ),
                None => (Verdict::InvalidKey, None),
            },
        };
        AuthDecision {
            verdict,
            key_id,
            hmac_rejection: None,
            rejection: None,
            quota: None,
        }
    }
}

/// The API key a request carries: `X-Olumi-Assist-Key` when present (even if wrong), else
/// `Authorization: Bearer <key>` (prefix case-sensitive). `X-API-Key` is not read.
fn extract_api_key(headers: &HeaderMap) -> Option<Cow<'_, str>> {
    if let Some(key) = headers.get(headers::ASSIST_KEY) {
        return Some(String::from_utf8_lossy(key.as_bytes()));
    }
    let auth = headers.get(AUTHORIZATION)?.as_bytes();
    let key = auth.strip_prefix(b"Bearer ")?;
    Some(String::from_utf8_lossy(key))
}

/// All values of a header joined with `", "`, as Node presents duplicates.
fn joined(headers: &HeaderMap, name: HeaderName) -> Option<Cow<'_, str>> {
    let mut values = headers.get_all(name).iter();
    let first = String::from_utf8_lossy(values.next()?.as_bytes());
    let Some(second) = values.next() else {
        return Some(first);
    };
    let mut out = first.into_owned();
    for v in std::iter::once(second).chain(values) {
        out.push_str(", ");
        out.push_str(&String::from_utf8_lossy(v.as_bytes()));
    }
    Some(Cow::Owned(out))
}

/// The service's public routes, matched on the raw URL (query included), so `/healthz?x=1` is
/// not public.
pub(crate) fn is_public(method: &Method, target: &str) -> bool {
    const PUBLIC: &[&str] = &["/healthz", "/health", "/", "/v1/status", "/admin"];
    let exact_or_below = PUBLIC.iter().any(|p| {
        target == *p
            || (*p != "/" && target.starts_with(p) && target.as_bytes().get(p.len()) == Some(&b'/'))
    });
    exact_or_below
        || ((*method == Method::GET || *method == Method::DELETE)
            && target.starts_with("/assist/share/"))
}

/// `POST /assist/draft-graph` (exact URL) asking for `text/event-stream`: the service skips auth
/// so that the route can answer 426.
fn is_legacy_sse(method: &Method, target: &str, headers: &HeaderMap) -> bool {
    *method == Method::POST
        && target == "/assist/draft-graph"
        && headers
            .get_all(ACCEPT)
            .iter()
            .any(|v| String::from_utf8_lossy(v.as_bytes()).contains("text/event-stream"))
}

/// The service's caller id: a Java-style 32-bit string hash over UTF-16 code units, absolute
/// value, lowercase hex, left-padded to 8.
pub(crate) fn fast_hash(s: &str) -> String {
    let mut h: i32 = 0;
    for unit in s.encode_utf16() {
        h = h.wrapping_mul(31).wrapping_add(i32::from(unit));
    }
    format!("{:08x}", i64::from(h).unsigned_abs())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn fast_hash_matches_the_service() {
        assert_eq!(fast_hash("test-api-key"), "398765f1");
        assert_eq!(fast_hash("test-hmac-secret"), "7e87f69b");
    }

    #[test]
    fn public_routes_are_exact() {
        assert!(is_public(&Method::GET, "/healthz"));
        assert!(is_public(&Method::GET, "/v1/status"));
        assert!(is_public(&Method::GET, "/admin/prompts"));
        assert!(is_public(&Method::GET, "/"));
        assert!(!is_public(&Method::GET, "/healthz?x=1"));
        assert!(!is_public(&Method::GET, "/healthzz"));
        assert!(!is_public(&Method::GET, "/v1/limits"));
        assert!(is_public(&Method::GET, "/assist/share/abc"));
        assert!(!is_public(&Method::POST, "/assist/share/abc"));
    }

    #[test]
    fn assist_key_header_wins_over_bearer() {
        let mut h = HeaderMap::new();
        h.insert("authorization", HeaderValue::from_static("Bearer good"));
        assert_eq!(extract_api_key(&h).as_deref(), Some("good"));
        h.insert("x-olumi-assist-key", HeaderValue::from_static("bad"));
        assert_eq!(extract_api_key(&h).as_deref(), Some("bad"));
        let mut lower = HeaderMap::new();
        lower.insert("authorization", HeaderValue::from_static("bearer good"));
        assert_eq!(extract_api_key(&lower), None);
    }
}
