//! Explanations of auth refusals for the journal and the dashboard: which check failed, the
//! measured numbers, and the canonical string the mock expected. Every protocol fact comes from
//! the core's verifier (its `Rejection` and `expected_canonical`); nothing here re-derives one.

use olumi::verify::{self, NonceStore, SignedRequest, Verifier};

use crate::journal::{Journal, Rejection, Verdict};

/// The explanation of a signature the core's verifier rejected, for `req` as received at
/// `now_ms`.
pub(crate) fn signature<S: NonceStore>(
    rejection: &verify::Rejection,
    verifier: &Verifier<S>,
    req: &SignedRequest<'_>,
    now_ms: u64,
) -> Rejection {
    let mut expected = verifier.expected_canonical(req).into_iter();
    let expected_canonical = expected.next();
    let also_accepted = expected.collect();
    let mut skew_ms = None;
    let detail = match rejection {
        verify::Rejection::SignatureSkew { .. } => {
            let timestamp = req.timestamp.and_then(|t| t.parse::<u64>().ok());
            skew_ms = timestamp
                .map(|ts| i64::try_from(i128::from(now_ms) - i128::from(ts)).unwrap_or(i64::MAX));
            format!(
                "{rejection}; the mock's clock read {now_ms} (Unix ms), the request's X-Olumi-Timestamp is {}",
                req.timestamp.unwrap_or("-")
            )
        }
        verify::Rejection::InvalidSignature => format!(
            "{rejection}: the HMAC-SHA256 of the expected canonical string differs from \
             X-Olumi-Signature; compare it with the string the client signed (method, target \
             with its query, timestamp, nonce, body-hash slot, joined by \\n)"
        ),
        other => other.to_string(),
    };
    Rejection {
        check: rejection.check().to_owned(),
        detail,
        expected_canonical,
        also_accepted,
        skew_ms,
        first_seen_seq: None,
        first_seen_at_ms: None,
    }
}

/// The explanation of an API-key refusal (the key itself is never repeated).
pub(crate) fn api_key(verdict: &Verdict) -> Option<Rejection> {
    let (check, detail) = match verdict {
        Verdict::MissingKey => (
            "missing_api_key",
            "no credentials: neither X-Olumi-Assist-Key, nor Authorization: Bearer, nor a signature",
        ),
        Verdict::InvalidKey => (
            "invalid_api_key",
            "the API key sent (X-Olumi-Assist-Key, else Authorization: Bearer) is not one the mock was started with",
        ),
        _ => return None,
    };
    Some(Rejection {
        check: check.to_owned(),
        detail: detail.to_owned(),
        expected_canonical: None,
        also_accepted: Vec::new(),
        skew_ms: None,
        first_seen_seq: None,
        first_seen_at_ms: None,
    })
}

/// For a replayed nonce: when the journal saw it accepted first.
pub(crate) fn add_first_seen(rejection: &mut Rejection, journal: &Journal, nonce: Option<&str>) {
    if rejection.check != verify::Rejection::ReplayBlocked.check() {
        return;
    }
    let Some(nonce) = nonce else { return };
    match journal.first_accepted_nonce(nonce) {
        Some((seq, at_ms)) => {
            rejection.first_seen_seq = Some(seq);
            rejection.first_seen_at_ms = Some(at_ms);
            rejection.detail = format!(
                "nonce {nonce:?} was first accepted in request #{seq} at {at_ms} (Unix ms); a nonce is single-use within the replay window"
            );
        }
        None => {
            rejection.detail = format!(
                "nonce {nonce:?} was already used within the replay window (its first request is no longer in the journal)"
            );
        }
    }
}
