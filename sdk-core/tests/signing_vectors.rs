//! Every case of `tests/vectors/signing.json` (produced by the service's own code), plus
//! properties of sign/verify.

use olumi::signing::{BodyHashMode, Signer, body_hash, canonical_string};
use olumi::verify::{
    AcceptedBodyHash, Rejection, SignatureForm, SignedRequest, Verifier, VerifierConfig,
};
use proptest::prelude::*;
use serde_json::Value;

fn load_cases() -> Vec<Value> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors/signing.json");
    let text = std::fs::read_to_string(path).expect("read signing vectors");
    let doc: Value = serde_json::from_str(&text).expect("signing vectors are JSON");
    let cases = doc["cases"].as_array().expect("cases array").clone();
    assert!(
        cases.len() >= 8,
        "expected at least 8 signing cases, found {}",
        cases.len()
    );
    cases
}

fn body_of(case: &Value) -> Vec<u8> {
    if let Some(body) = case["body"].as_str() {
        return body.as_bytes().to_vec();
    }
    let rep = &case["body_repeat"];
    let mut body = rep["prefix"].as_str().unwrap().to_owned();
    let ch = rep["char"].as_str().unwrap();
    body.push_str(&ch.repeat(rep["count"].as_u64().unwrap() as usize));
    body.push_str(rep["suffix"].as_str().unwrap());
    body.into_bytes()
}

fn s<'a>(case: &'a Value, path: &[&str]) -> &'a str {
    let mut v = case;
    for p in path {
        v = &v[*p];
    }
    v.as_str()
        .unwrap_or_else(|| panic!("{}: missing {path:?}", case["name"]))
}

#[test]
fn every_signing_vector() {
    for case in load_cases() {
        let name = s(&case, &["name"]);
        let secret = s(&case, &["secret"]);
        let method = s(&case, &["method"]);
        let target = s(&case, &["path"]);
        let body = body_of(&case);
        assert_eq!(
            body_hash(BodyHashMode::Sha256, &body),
            s(&case, &["body_sha256"]),
            "{name}: body hash"
        );

        let modes = [
            (
                BodyHashMode::Unbound,
                "server_effective",
                AcceptedBodyHash::Unbound,
            ),
            (BodyHashMode::Sha256, "body_bound", AcceptedBodyHash::Sha256),
        ];
        for (mode, key, accepted) in modes {
            let signer = Signer::new(secret, mode).unwrap();
            let expected_sig = s(&case, &[key, "signature"]);
            let expected_canonical = s(&case, &[key, "canonical"]);
            let hash = body_hash(mode, &body);
            // The signature of the expected canonical string is the expected signature.
            assert_eq!(
                signer.hmac_hex(expected_canonical.as_bytes()),
                expected_sig,
                "{name}/{key}: hmac"
            );

            let config = VerifierConfig {
                body_hash: accepted,
                accept_legacy: true,
                ..VerifierConfig::default()
            };
            let verifier = Verifier::new(secret, config).unwrap();
            match (case["timestamp"].as_str(), case["nonce"].as_str()) {
                (Some(ts), Some(nonce)) => {
                    let canonical = canonical_string(method, target, Some((ts, nonce)), &hash);
                    assert_eq!(canonical, expected_canonical, "{name}/{key}: canonical");
                    let ts_ms: u64 = ts.parse().unwrap();
                    let headers = signer.sign(method, target, &body, ts_ms, nonce).unwrap();
                    assert_eq!(headers.signature, expected_sig, "{name}/{key}: signature");
                    assert_eq!(headers.timestamp, ts);
                    let req = SignedRequest {
                        method,
                        target,
                        signature: Some(expected_sig),
                        timestamp: Some(ts),
                        nonce: Some(nonce),
                        body: &body,
                    };
                    let verified = verifier
                        .verify(&req, ts_ms)
                        .unwrap_or_else(|e| panic!("{name}/{key}: {e}"));
                    assert_eq!(verified.form, SignatureForm::Timestamped);
                    assert_eq!(verified.body_hash, mode);
                    assert_eq!(
                        verifier.verify(&req, ts_ms),
                        Err(Rejection::ReplayBlocked),
                        "{name}/{key}"
                    );
                }
                (None, None) => {
                    let canonical = canonical_string(method, target, None, &hash);
                    assert_eq!(
                        canonical, expected_canonical,
                        "{name}/{key}: legacy canonical"
                    );
                    let req = SignedRequest {
                        method,
                        target,
                        signature: Some(expected_sig),
                        timestamp: None,
                        nonce: None,
                        body: &body,
                    };
                    let verified = verifier
                        .verify(&req, 0)
                        .unwrap_or_else(|e| panic!("{name}/{key}: {e}"));
                    assert_eq!(verified.form, SignatureForm::Legacy);
                    let strict = Verifier::new(
                        secret,
                        VerifierConfig {
                            body_hash: accepted,
                            ..Default::default()
                        },
                    )
                    .unwrap();
                    assert!(matches!(
                        strict.verify(&req, 0),
                        Err(Rejection::MissingHeaders { .. })
                    ));
                }
                _ => panic!("{name}: timestamp and nonce must both be present or both absent"),
            }
        }
    }
}

/// The official TypeScript SDK's first bug: signing sha256(body) against the deployed service.
#[test]
fn body_bound_signature_is_rejected_by_a_service_like_verifier() {
    let verifier = Verifier::new("test-hmac-secret", VerifierConfig::default()).unwrap();
    let signer = Signer::new("test-hmac-secret", BodyHashMode::Sha256).unwrap();
    let body =
        br#"{"brief":"Should we expand our SaaS product into the European market next year?"}"#;
    let h = signer
        .sign("POST", "/assist/draft-graph", body, 1_700_000_000_000, "n")
        .unwrap();
    let req = SignedRequest {
        method: "POST",
        target: "/assist/draft-graph",
        signature: Some(&h.signature),
        timestamp: Some(&h.timestamp),
        nonce: Some(&h.nonce),
        body,
    };
    assert_eq!(
        verifier.verify(&req, 1_700_000_000_000),
        Err(Rejection::InvalidSignature)
    );
}

#[derive(Debug, Clone, Copy)]
enum Field {
    Method,
    Target,
    Timestamp,
    Nonce,
    Body,
    Signature,
}

fn mutate(s: &str, at: usize, to: u8) -> String {
    let mut bytes = s.as_bytes().to_vec();
    let i = at % bytes.len();
    // Replace with a different printable ASCII byte so the text stays a valid header value.
    let mut b = 0x21 + (to % 94);
    if b == bytes[i] {
        b = if b == 0x7e { 0x21 } else { b + 1 };
    }
    bytes[i] = b;
    String::from_utf8(bytes).unwrap()
}

proptest! {
    #[test]
    fn verify_accepts_what_sign_produces(
        secret in "[ -~]{1,40}",
        method in "(GET|POST|PUT|DELETE|PATCH)",
        target in "/[a-z0-9/_.~%-]{0,40}(\\?[a-z0-9=&%]{0,20})?",
        body in proptest::collection::vec(any::<u8>(), 0..300),
        ts in 0u64..4_000_000_000_000,
        nonce in "[A-Za-z0-9-]{1,40}",
        sha in any::<bool>(),
    ) {
        let mode = if sha { BodyHashMode::Sha256 } else { BodyHashMode::Unbound };
        let accepted = if sha { AcceptedBodyHash::Sha256 } else { AcceptedBodyHash::Unbound };
        let h = Signer::new(&secret, mode).unwrap().sign(&method, &target, &body, ts, &nonce).unwrap();
        let v = Verifier::new(&secret, VerifierConfig { body_hash: accepted, ..Default::default() }).unwrap();
        let req = SignedRequest {
            method: &method, target: &target, signature: Some(&h.signature),
            timestamp: Some(&h.timestamp), nonce: Some(&h.nonce), body: &body,
        };
        prop_assert_eq!(v.verify(&req, ts).map(|x| x.body_hash), Ok(mode));
    }

    #[test]
    fn any_one_byte_change_is_rejected(
        field in prop_oneof![
            Just(Field::Method), Just(Field::Target), Just(Field::Timestamp),
            Just(Field::Nonce), Just(Field::Body), Just(Field::Signature)
        ],
        at in any::<usize>(),
        to in any::<u8>(),
        body in proptest::collection::vec(any::<u8>(), 1..200),
    ) {
        let ts = 1_700_000_000_000u64;
        let h = Signer::new("secret", BodyHashMode::Sha256).unwrap()
            .sign("POST", "/assist/draft-graph?x=1", &body, ts, "nonce-1").unwrap();
        let (mut method, mut target) = ("POST".to_owned(), "/assist/draft-graph?x=1".to_owned());
        let (mut sig, mut tsv, mut nonce, mut b) = (h.signature.clone(), h.timestamp.clone(), h.nonce.clone(), body.clone());
        match field {
            Field::Method => method = mutate(&method, at, to),
            Field::Target => target = mutate(&target, at, to),
            Field::Timestamp => tsv = mutate(&tsv, at, to),
            Field::Nonce => nonce = mutate(&nonce, at, to),
            Field::Signature => sig = mutate(&sig, at, to),
            Field::Body => { let i = at % b.len(); b[i] = b[i].wrapping_add(1 + to % 255); }
        }
        let v = Verifier::new("secret", VerifierConfig { body_hash: AcceptedBodyHash::Sha256, ..Default::default() }).unwrap();
        let req = SignedRequest {
            method: &method, target: &target, signature: Some(&sig),
            timestamp: Some(&tsv), nonce: Some(&nonce), body: &b,
        };
        prop_assert!(v.verify(&req, ts).is_err(), "{:?} change accepted", field);
    }
}
