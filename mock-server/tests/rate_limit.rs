//! Per-key token buckets: 429 with the body, Retry-After (unless quirks), separate SSE bucket.

mod common;

use common::*;
use olumi_mock::MockServer;
use reqwest::StatusCode;

async fn call(server: &MockServer, path: &str, key: &str) -> reqwest::Response {
    client()
        .post(format!("{}{path}", server.url()))
        .header("x-olumi-assist-key", key)
        .header("content-type", "application/json")
        .body(BRIEF)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_bucket_empties_into_429_with_retry_after() {
    let server = start(builder().api_keys([KEY, "other-key"]).rpm(2)).await;
    for _ in 0..2 {
        assert_eq!(
            call(&server, "/assist/suggest-options", KEY).await.status(),
            StatusCode::OK
        );
    }
    let limited = call(&server, "/assist/suggest-options", KEY).await;
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(header(&limited, "retry-after"), Some("30"));
    assert_eq!(
        header(&limited, "x-olumi-response-hash"),
        Some("57e7e6aed57d"),
        "the reference's own example"
    );
    let body = limited.bytes().await.unwrap();
    assert_eq!(
        &body[..],
        br#"{"schema":"error.v1","code":"RATE_LIMITED","message":"Rate limit exceeded.","details":{"retry_after_seconds":30}}"#
    );
    // Per key: another key still has tokens.
    assert_eq!(
        call(&server, "/assist/suggest-options", "other-key")
            .await
            .status(),
        StatusCode::OK
    );
    // A reset refills.
    server.reset();
    assert_eq!(
        call(&server, "/assist/suggest-options", KEY).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn quirks_send_no_retry_after_header() {
    let server = start(builder().api_key(KEY).rpm(1).quirks(true)).await;
    call(&server, "/assist/suggest-options", KEY).await;
    let limited = call(&server, "/assist/suggest-options", KEY).await;
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(header(&limited, "retry-after").is_none());
    assert_eq!(
        json(&limited.bytes().await.unwrap())["details"]["retry_after_seconds"],
        60
    );
}

#[tokio::test]
async fn streams_draw_from_their_own_bucket() {
    let server = start(builder().api_key(KEY).sse_rpm(1)).await;
    let (body, _) = read_body(call(&server, "/assist/draft-graph/stream", KEY).await).await;
    assert!(has_complete(&body));
    let second = call(&server, "/assist/draft-graph/stream", KEY).await;
    assert_eq!(second.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        header(&second, "content-type"),
        Some("application/json; charset=utf-8")
    );
    assert_eq!(
        call(&server, "/assist/draft-graph", KEY).await.status(),
        StatusCode::OK
    );
    // Accept: text/event-stream (exactly) also counts as SSE, as on the service.
    let resume = client()
        .post(format!("{}/assist/draft-graph/resume", server.url()))
        .header("x-olumi-assist-key", KEY)
        .header("accept", "text/event-stream")
        .send()
        .await
        .unwrap();
    assert_eq!(resume.status(), StatusCode::TOO_MANY_REQUESTS);
    // /v1/limits reports both buckets.
    let limits = client()
        .get(format!("{}/v1/limits", server.url()))
        .header("x-olumi-assist-key", KEY)
        .send()
        .await
        .unwrap();
    let v = json(&limits.bytes().await.unwrap());
    assert_eq!(v["sse_quota"]["capacity_rpm"], 1);
    assert!(v["sse_quota"]["tokens"].as_f64().unwrap() < 1.0);
    assert!(v["sse_quota"]["retry_after_seconds"].as_u64().unwrap() >= 1);
    assert!(
        v["standard_quota"]["tokens"].as_f64().unwrap() < 119.0,
        "two standard requests"
    );
}

#[tokio::test]
async fn without_auth_there_is_no_quota() {
    let server = start(builder().rpm(1)).await;
    for _ in 0..3 {
        assert_eq!(
            call(&server, "/assist/suggest-options", "any")
                .await
                .status(),
            StatusCode::OK
        );
    }
    let limits = client()
        .get(format!("{}/v1/limits", server.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(limits.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        json(&limits.bytes().await.unwrap())["message"],
        "Authentication required"
    );
}
