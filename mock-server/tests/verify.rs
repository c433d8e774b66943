//! Verification: `MockServer::verify`, `/__admin/requests/{count,find,verify}` and
//! `/__admin/journal?since=SEQ`, against real requests.

mod common;

use common::*;
use olumi::signing::BodyHashMode;
use olumi_mock::{HeaderMatch, RequestMatcher, Source};

/// Two signed drafts (the second with a fresh nonce), a health check, and an unknown route.
async fn traffic(base: &str) {
    for _ in 0..2 {
        let resp = signed_post(base, "/assist/draft-graph")
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
    }
    client()
        .get(format!("{base}/healthz"))
        .send()
        .await
        .unwrap();
    client()
        .get(format!("{base}/assist/draft-grap"))
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn verify_counts_and_explains() {
    let server = start(builder().hmac_secret(SECRET)).await;
    traffic(&server.url()).await;
    let drafts = RequestMatcher::new()
        .method("POST")
        .path("/assist/draft-graph")
        .verdict("hmac")
        .header(
            "content-type",
            Some(HeaderMatch::Contains {
                contains: "json".into(),
            }),
        )
        .body_contains("European market");
    assert_eq!(server.verify(&drafts, Some(2)), Ok(2));
    let found = server.find_requests(&drafts);
    assert_ne!(
        found[0].nonce, found[1].nonce,
        "every request carried a fresh nonce"
    );
    assert!(found.iter().all(|e| e.source == Source::Fixture));

    let err = server
        .verify(&drafts.clone().status(201), None)
        .unwrap_err();
    assert_eq!(err.found, 0);
    let text = err.to_string();
    assert!(
        text.starts_with("expected at least 1 request matching"),
        "{text}"
    );
    assert!(text.contains("status: expected 201, got 200"), "{text}");
    assert!(
        text.contains("POST /assist/draft-graph -> 200 (fixture draft-graph)"),
        "{text}"
    );
    let unknown = server
        .verify(
            &RequestMatcher::new()
                .path("/assist/draft-graph")
                .source(Source::Mock),
            Some(1),
        )
        .unwrap_err();
    assert!(
        unknown
            .message
            .contains("source: expected mock, got fixture"),
        "{}",
        unknown.message
    );
    assert!(
        unknown.message.contains("#4 GET /assist/draft-grap -> 401"),
        "{}",
        unknown.message
    );
    server.shutdown().await;
}

#[tokio::test]
async fn the_admin_api_counts_finds_and_verifies() {
    let server = start(builder().hmac_secret(SECRET)).await;
    let base = server.url();
    traffic(&base).await;
    let admin = |path: &str| format!("{base}/__admin{path}");

    let count = client()
        .get(admin(
            "/requests/count?method=POST&path=/assist/draft-graph&status=200&verdict=hmac",
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(json(&count.bytes().await.unwrap())["count"], 2);
    let bad = client()
        .get(admin("/requests/count?colour=red"))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    assert!(String::from_utf8_lossy(&bad.bytes().await.unwrap()).contains("colour"));

    let found = client()
        .post(admin("/requests/find"))
        .body(r#"{"path": "/healthz", "headers": {"x-olumi-signature": null}}"#)
        .send()
        .await
        .unwrap();
    let found = json(&found.bytes().await.unwrap());
    assert_eq!(found["count"], 1);
    assert_eq!(found["requests"][0]["target"], "/healthz");
    assert_eq!(found["requests"][0]["source"], "fixture");

    let ok = client()
        .post(admin("/requests/verify"))
        .body(r#"{"matcher": {"method": "POST"}, "times": 2}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
    let failed = client()
        .post(admin("/requests/verify"))
        .body(r#"{"matcher": {"method": "POST"}, "times": 3}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(failed.status(), 417);
    let failed = json(&failed.bytes().await.unwrap());
    assert_eq!(failed["count"], 2);
    assert!(
        failed["error"]
            .as_str()
            .unwrap()
            .contains("expected exactly 3 requests")
    );

    let since = client()
        .get(admin("/journal?since=2"))
        .send()
        .await
        .unwrap();
    let since = json(&since.bytes().await.unwrap());
    let seqs: Vec<_> = since
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["seq"].as_u64().unwrap())
        .collect();
    assert_eq!(seqs, [3, 4]);
    assert_eq!(server.journal_since(3).len(), 1);
    let bad = client()
        .get(admin("/journal?since=x"))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    server.shutdown().await;
}

#[tokio::test]
async fn secret_headers_are_matched_by_presence_only() {
    let server = start(builder().hmac_secret(SECRET)).await;
    let target = "/assist/draft-graph";
    client()
        .post(format!("{}{target}", server.url()))
        .headers(signed(BodyHashMode::Unbound, "POST", target, b""))
        .header("content-type", "application/json")
        .body(BRIEF)
        .send()
        .await
        .unwrap();
    let present = RequestMatcher::new().header(
        "x-olumi-signature",
        Some(HeaderMatch::Contains {
            contains: String::new(),
        }),
    );
    assert_eq!(server.verify(&present, Some(1)), Ok(1));
    // The journal holds `<redacted>`, never the value, so the message cannot leak it either.
    let entry = &server.journal()[0];
    assert_eq!(entry.header("x-olumi-signature"), Some("<redacted>"));
    server.shutdown().await;
}
