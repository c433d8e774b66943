//! The dashboard's data: the rejection explanation in the journal, the live feed
//! (`/__admin/events`), the streams registry (`/__admin/streams`) and the page itself
//! (`/__admin/ui`). Secrets never appear in any of them.

mod common;

use common::*;
use olumi::signing::{BodyHashMode, canonical_string, generate_nonce};
use olumi_mock::{AuthMode, MockServer, Rejection};
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderValue};

const PATH: &str = "/assist/draft-graph";

async fn post(server: &MockServer, target: &str, headers: HeaderMap) -> StatusCode {
    client()
        .post(format!("{}{target}", server.url()))
        .headers(headers)
        .header("content-type", "application/json")
        .body(BRIEF)
        .send()
        .await
        .unwrap()
        .status()
}

fn last_rejection(server: &MockServer) -> Rejection {
    let entry = server.journal().pop().expect("a journaled request");
    entry.rejection.expect("an explanation")
}

#[tokio::test]
async fn a_bad_signature_is_explained_with_the_canonical_string_expected() {
    let server = start(builder().hmac_secret(SECRET)).await;
    let ts = now_ms();
    let nonce = generate_nonce();
    let target = "/assist/draft-graph?x=1";
    // Signed for another target: the mock's expected string names the target it received.
    let headers = sign_at(SECRET, BodyHashMode::Unbound, "POST", PATH, b"", ts, &nonce);
    assert_eq!(post(&server, target, headers).await, StatusCode::FORBIDDEN);
    let why = last_rejection(&server);
    assert_eq!(why.check, "signature_mismatch");
    let expected = canonical_string("POST", target, Some((&ts.to_string(), &nonce)), "");
    assert_eq!(why.expected_canonical.as_deref(), Some(expected.as_str()));
    assert!(why.detail.contains("does not match"), "{}", why.detail);
    server.shutdown().await;
}

#[tokio::test]
async fn lenient_mode_lists_both_accepted_strings() {
    let server = start(builder().hmac_secret(SECRET).auth_mode(AuthMode::Lenient)).await;
    let mut headers = signed(BodyHashMode::Unbound, "POST", PATH, b"");
    headers.insert("x-olumi-signature", HeaderValue::from_static("00"));
    assert_eq!(post(&server, PATH, headers).await, StatusCode::FORBIDDEN);
    let why = last_rejection(&server);
    assert!(why.expected_canonical.unwrap().ends_with('\n'));
    let sha = olumi::signing::body_hash(BodyHashMode::Sha256, BRIEF.as_bytes());
    assert_eq!(why.also_accepted.len(), 1);
    assert!(why.also_accepted[0].ends_with(&sha));
    server.shutdown().await;
}

#[tokio::test]
async fn skew_replay_and_missing_headers_are_explained() {
    let server = start(builder().hmac_secret(SECRET)).await;

    let old = now_ms() - 400_000;
    let headers = sign_at(
        SECRET,
        BodyHashMode::Unbound,
        "POST",
        PATH,
        b"",
        old,
        "n-old",
    );
    assert_eq!(post(&server, PATH, headers).await, StatusCode::FORBIDDEN);
    let why = last_rejection(&server);
    assert_eq!(why.check, "skew");
    let skew = why.skew_ms.expect("the measured offset");
    assert!((400_000..460_000).contains(&skew), "{skew}");
    assert!(why.detail.contains("too old"), "{}", why.detail);

    let headers = signed(BodyHashMode::Unbound, "POST", PATH, b"");
    assert_eq!(post(&server, PATH, headers.clone()).await, StatusCode::OK);
    let first = server.journal().pop().unwrap();
    assert!(first.rejection.is_none());
    assert_eq!(post(&server, PATH, headers).await, StatusCode::FORBIDDEN);
    let why = last_rejection(&server);
    assert_eq!(why.check, "nonce_replayed");
    assert_eq!(why.first_seen_seq, Some(first.seq));
    assert_eq!(why.first_seen_at_ms, Some(first.received_at_ms));
    assert!(
        why.detail.contains(&format!("request #{}", first.seq)),
        "{}",
        why.detail
    );

    // Compat mode takes a request without a timestamp as the legacy form, and says so.
    let mut headers = signed(BodyHashMode::Unbound, "POST", PATH, b"");
    headers.remove("x-olumi-timestamp");
    assert_eq!(
        post(&server, PATH, headers.clone()).await,
        StatusCode::FORBIDDEN
    );
    let why = last_rejection(&server);
    assert_eq!(why.check, "signature_mismatch");
    assert_eq!(
        why.expected_canonical.as_deref(),
        Some("POST\n/assist/draft-graph\n")
    );
    server.shutdown().await;

    // Strict mode refuses the legacy form: the missing header is named.
    let strict = start(builder().hmac_secret(SECRET).auth_mode(AuthMode::Strict)).await;
    assert_eq!(post(&strict, PATH, headers).await, StatusCode::FORBIDDEN);
    let why = last_rejection(&strict);
    assert_eq!(why.check, "missing_headers");
    assert!(why.detail.contains("X-Olumi-Timestamp"), "{}", why.detail);
    assert_eq!(why.expected_canonical, None);
    strict.shutdown().await;
}

#[tokio::test]
async fn api_key_refusals_are_explained_without_the_key() {
    let server = start(builder().api_key(KEY)).await;
    assert_eq!(
        post(&server, PATH, HeaderMap::new()).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(last_rejection(&server).check, "missing_api_key");
    let mut headers = HeaderMap::new();
    headers.insert(
        "x-olumi-assist-key",
        HeaderValue::from_static("sk-wrong-key-77"),
    );
    assert_eq!(post(&server, PATH, headers).await, StatusCode::FORBIDDEN);
    let entry = server.journal().pop().unwrap();
    assert_eq!(entry.rejection.as_ref().unwrap().check, "invalid_api_key");
    let json = serde_json::to_string(&entry).unwrap();
    assert!(!json.contains("sk-wrong-key-77"), "{json}");
    // A good request has no rejection and a measured latency.
    let mut headers = HeaderMap::new();
    headers.insert("x-olumi-assist-key", HeaderValue::from_static(KEY));
    assert_eq!(post(&server, PATH, headers).await, StatusCode::OK);
    let entry = server.journal().pop().unwrap();
    assert!(entry.rejection.is_none());
    assert!(entry.latency_ms >= 0.0, "{}", entry.latency_ms);
    server.shutdown().await;
}
