//! Request-signature verification (`olumi::verify`) on hostile header values: never panics and
//! always answers a typed `Rejection`; a request signed by `olumi::signing::Signer` with the same
//! secret and fields verifies.
//!
//! Input layout: fields separated by `\n`: method, target, signature, timestamp, nonce, body.
#![no_main]

use libfuzzer_sys::fuzz_target;
use olumi::signing::{BodyHashMode, Signer};
use olumi::verify::{MAX_NONCE_LEN, SignedRequest, Verifier, VerifierConfig};

const SECRET: &str = "fuzz-hmac-secret";
const NOW_MS: u64 = 1_700_000_000_000;

fuzz_target!(|input: &[u8]| {
    let text = String::from_utf8_lossy(input);
    let mut fields = text.splitn(6, '\n');
    let mut next = || fields.next();
    let method = next().unwrap_or("");
    let target = next().unwrap_or("");
    let signature = next();
    let timestamp = next();
    let nonce = next();
    let body = next().unwrap_or("").as_bytes();

    let config = VerifierConfig {
        accept_legacy: true,
        ..VerifierConfig::default()
    };
    let verifier = Verifier::new(SECRET, config).expect("non-empty secret");
    let hostile = SignedRequest {
        method,
        target,
        signature,
        timestamp,
        nonce,
        body,
    };
    let _ = verifier.verify(&hostile, NOW_MS);

    // The same method, target, nonce and body signed properly must verify once.
    let signer = Signer::new(SECRET, BodyHashMode::Unbound).expect("non-empty secret");
    let nonce = nonce.unwrap_or("n");
    if nonce.len() > MAX_NONCE_LEN {
        return; // the verifier refuses such nonces by design (NonceTooLong)
    }
    let Ok(headers) = signer.sign(method, target, body, NOW_MS, nonce) else {
        return;
    };
    let fresh = Verifier::new(SECRET, VerifierConfig::default()).expect("non-empty secret");
    let signed = SignedRequest {
        method,
        target,
        signature: Some(&headers.signature),
        timestamp: Some(&headers.timestamp),
        nonce: Some(&headers.nonce),
        body,
    };
    if let Err(rejection) = fresh.verify(&signed, NOW_MS) {
        panic!("a correctly signed request was rejected: {rejection}");
    }
});
