//! `retry-after-via` puts an injected wait in exactly one place, and `trickle-ms` sends a whole
//! body in many small pieces (the fault matrix in `tests/faults/` relies on both).

mod common;

use common::*;
use olumi_mock::MockServer;
use reqwest::StatusCode;

const LIMITS: &str = "/v1/limits";

async fn with_fault(server: &MockServer, path: &str, fault: &str) -> reqwest::Response {
    client()
        .get(format!("{}{path}", server.url()))
        .header("x-mock-fault", fault)
        .send()
        .await
        .unwrap()
}

/// The wait signals of an answer: (Retry-After, retry-after-ms, x-ratelimit-reset,
/// details.retry_after_seconds).
async fn signals(
    resp: reqwest::Response,
) -> (Option<String>, Option<String>, Option<String>, Option<u64>) {
    let get = |name: &str| header(&resp, name).map(str::to_owned);
    let headers = (
        get("retry-after"),
        get("retry-after-ms"),
        get("x-ratelimit-reset"),
    );
    let (body, clean) = read_body(resp).await;
    assert!(clean);
    let body = json(&body);
    let in_body = body["details"]["retry_after_seconds"].as_u64();
    (headers.0, headers.1, headers.2, in_body)
}

#[tokio::test]
async fn each_retry_after_source_alone() {
    let server = start(builder()).await;
    let two = || Some("2".to_owned());
    for (via, expected) in [
        ("header", (two(), None, None, None)),
        ("ms", (None, Some("2000".to_owned()), None, None)),
        ("body", (None, None, None, Some(2))),
        ("ratelimit-reset", (None, None, two(), None)),
    ] {
        let resp = with_fault(
            &server,
            LIMITS,
            &format!("retry-after=2,retry-after-via={via}"),
        )
        .await;
        assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(signals(resp).await, expected, "retry-after-via={via}");
    }
    // Without `retry-after-via`: the header and the body, as before.
    let resp = with_fault(&server, LIMITS, "retry-after=2").await;
    assert_eq!(signals(resp).await, (two(), None, None, Some(2)));
    server.shutdown().await;
}

#[tokio::test]
async fn with_quirks_an_injected_429_carries_its_wait_in_the_body_only() {
    // The service's per-key quota answers 429 without Retry-After.
    let server = start(builder().quirks(true)).await;
    let resp = with_fault(&server, LIMITS, "retry-after=3").await;
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(signals(resp).await, (None, None, None, Some(3)));
    // The per-IP limiter's 500 keeps its header.
    let resp = with_fault(&server, LIMITS, "status=500,retry-after=3").await;
    assert_eq!(signals(resp).await.0.as_deref(), Some("3"));
    server.shutdown().await;
}

#[tokio::test]
async fn trickle_sends_the_whole_body_in_pieces() {
    let server = start(builder()).await;
    let (whole, _) = read_body(with_fault(&server, "/healthz", "delay-headers-ms=1").await).await;
    let mut resp = with_fault(&server, "/healthz", "trickle-ms=2").await;
    assert_eq!(
        header(&resp, "content-length"),
        Some(whole.len().to_string().as_str())
    );
    let mut body = Vec::new();
    let mut pieces = 0;
    while let Some(chunk) = resp.chunk().await.unwrap() {
        body.extend_from_slice(&chunk);
        pieces += 1;
    }
    assert_eq!(body, whole);
    assert!(pieces > 1, "{pieces} pieces of {} bytes", whole.len());
    server.shutdown().await;
}
