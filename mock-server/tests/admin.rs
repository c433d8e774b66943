//! The admin API and the journal as tests use it.

mod common;

use std::time::Duration;

use common::*;
use olumi::signing::BodyHashMode;
use reqwest::StatusCode;
use serde_json::{Value, json as j};

async fn admin(
    server: &olumi_mock::MockServer,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut req = client().request(
        method.parse().unwrap(),
        format!("{}/__admin{path}", server.url()),
    );
    if let Some(b) = body {
        req = req
            .header("content-type", "application/json")
            .body(b.to_string());
    }
    let resp = req.send().await.unwrap();
    let status = resp.status();
    (
        status,
        serde_json::from_slice(&resp.bytes().await.unwrap()).unwrap(),
    )
}

#[tokio::test]
async fn journal_over_http_records_everything_but_secrets() {
    let server = start(builder().hmac_secret(SECRET)).await;
    let target = "/assist/draft-graph?x=1";
    let resp = signed_post(&server.url(), target)
        .header("x-request-id", "retry-1")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let (status, journal) = admin(&server, "GET", "/journal", None).await;
    assert_eq!(status, StatusCode::OK);
    let e = &journal[0];
    assert_eq!(e["method"], "POST");
    assert_eq!(e["target"], target);
    assert_eq!(e["status"], 200);
    assert_eq!(e["fixture"], "draft-graph");
    assert_eq!(e["request_id"], "retry-1");
    assert_eq!(
        e["verdict"],
        j!({"kind": "hmac", "key_id": "7e87f69b", "form": "timestamped", "body_hash": "unbound"})
    );
    assert_eq!(
        e["body_sha256"], "2bb0bb323bd0e44bf0e31d7f91443f23aae95165fe2faf1eb6b2a12beca7df6f",
        "sha256 of the brief (the reference's vector body)"
    );
    assert!(e["received_at_ms"].as_u64().unwrap() > 1_700_000_000_000);
    let headers = e["headers"].as_array().unwrap();
    assert!(headers.contains(&j!(["x-olumi-signature", "<redacted>"])));
    // Admin requests are not journaled.
    let (_, again) = admin(&server, "GET", "/journal", None).await;
    assert_eq!(again.as_array().unwrap().len(), 1);
    let (_, _) = admin(&server, "DELETE", "/journal", None).await;
    assert!(server.journal().is_empty());
}

#[tokio::test]
async fn retries_are_observable_fresh_nonces_and_waits() {
    let server = start(builder().hmac_secret(SECRET)).await;
    server.inject_fault(olumi_mock::FaultInjection::parse("retry-after=1,times=1").unwrap());
    let http = client();
    let url = format!("{}/v1/limits", server.url());
    let first = http
        .get(&url)
        .headers(signed(BodyHashMode::Unbound, "GET", "/v1/limits", b""))
        .send()
        .await
        .unwrap();
    assert_eq!(first.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = header(&first, "retry-after").unwrap().parse().unwrap();
    assert_eq!(wait, 1, "the injected retry-after is the header");
    let body = json(&first.bytes().await.unwrap());
    assert_eq!(body["schema"], "error.v1");
    assert_eq!(body["code"], "RATE_LIMITED");
    assert_eq!(body["details"]["retry_after_seconds"], 1, "{body}");
    // A well-behaved client waits Retry-After; the journal's receive times show it did.
    tokio::time::sleep(Duration::from_secs(wait)).await;
    let second = http
        .get(&url)
        .headers(signed(BodyHashMode::Unbound, "GET", "/v1/limits", b""))
        .send()
        .await
        .unwrap();
    assert_eq!(second.status(), StatusCode::OK);
    let journal = server.journal();
    assert_eq!(journal.len(), 2);
    assert_eq!(journal[0].status, 429);
    assert_eq!(
        journal[0].fault.as_deref(),
        Some("status=429,retry-after=1,times=1"),
        "retry-after implies the 429"
    );
    assert_eq!(journal[1].status, 200);
    assert_eq!(journal[1].fault, None, "times=1: the fault was used up");
    // These measure the test's own wait; they check that the journal's two clocks are in
    // milliseconds and follow it.
    assert!(
        journal[1].since_start_ms - journal[0].since_start_ms >= 1000.0,
        "it waited the Retry-After"
    );
    assert!(journal[1].received_at_ms >= journal[0].received_at_ms + 1000);
    let nonces: Vec<&str> = journal
        .iter()
        .map(|e| e.nonce.as_deref().unwrap())
        .collect();
    assert_ne!(nonces[0], nonces[1], "every retry carried a fresh nonce");
}

#[tokio::test]
async fn faults_through_the_admin_api() {
    let server = start(builder()).await;
    let (status, created) = admin(
        &server,
        "POST",
        "/faults",
        Some(j!({"fault": "status=500,times=1", "path": "/healthz"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let id = created["id"].as_u64().unwrap();
    let (_, list) = admin(&server, "GET", "/faults", None).await;
    assert_eq!(list[0]["fault"], "status=500,times=1");
    assert_eq!(list[0]["remaining"], 1);
    let url = format!("{}/healthz", server.url());
    assert_eq!(
        client().get(&url).send().await.unwrap().status(),
        StatusCode::INTERNAL_SERVER_ERROR
    );
    assert_eq!(
        client().get(&url).send().await.unwrap().status(),
        StatusCode::OK
    );
    let (status, _) = admin(&server, "DELETE", &format!("/faults/{id}"), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "used up and gone");

    let (_, created) = admin(
        &server,
        "POST",
        "/faults",
        Some(j!({"fault": "status=503"})),
    )
    .await;
    let id = created["id"].as_u64().unwrap();
    assert_eq!(
        client().get(&url).send().await.unwrap().status(),
        StatusCode::SERVICE_UNAVAILABLE
    );
    let (status, _) = admin(&server, "DELETE", &format!("/faults/{id}"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        client().get(&url).send().await.unwrap().status(),
        StatusCode::OK
    );

    let (status, err) = admin(&server, "POST", "/faults", Some(j!({"fault": "explode"}))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        err["error"]
            .as_str()
            .unwrap()
            .contains("unknown fault `explode`")
    );
    admin(
        &server,
        "POST",
        "/faults",
        Some(j!({"fault": "status=503"})),
    )
    .await;
    admin(&server, "DELETE", "/faults", None).await;
    assert_eq!(
        client().get(&url).send().await.unwrap().status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn reset_restores_the_start_state() {
    let server = start(builder().api_key(KEY).rpm(1)).await;
    let url = format!("{}/v1/limits", server.url());
    let call = || client().get(&url).header("x-olumi-assist-key", KEY).send();
    assert_eq!(call().await.unwrap().status(), StatusCode::OK);
    assert_eq!(
        call().await.unwrap().status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    admin(
        &server,
        "PUT",
        "/scenarios/login",
        Some(j!({"state": "done"})),
    )
    .await;
    let (_, states) = admin(&server, "GET", "/scenarios", None).await;
    assert_eq!(states, j!({"login": "done"}));
    let (status, _) = admin(&server, "POST", "/reset", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(server.journal().is_empty());
    assert_eq!(admin(&server, "GET", "/scenarios", None).await.1, j!({}));
    assert_eq!(
        call().await.unwrap().status(),
        StatusCode::OK,
        "the bucket is full again"
    );
}

#[tokio::test]
async fn fixtures_reload_and_keep_the_old_set_on_error() {
    let dir = TempDir::new();
    let server = start(builder().fixtures_dir(dir.path())).await;
    let url = format!("{}/new-route", server.url());
    assert_eq!(
        client().get(&url).send().await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
    dir.write(
        "new.json",
        r#"{"match": {"method": "GET", "path": "/new-route"}, "response": {"json": {"v": 1}}}"#,
    );
    let (status, loaded) = admin(&server, "POST", "/fixtures/reload", None).await;
    assert_eq!(status, StatusCode::OK);
    let count = loaded["loaded"].as_u64().unwrap();
    assert_eq!(
        client().get(&url).send().await.unwrap().status(),
        StatusCode::OK
    );
    let (_, list) = admin(&server, "GET", "/fixtures", None).await;
    assert_eq!(list.as_array().unwrap().len() as u64, count);
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .any(|f| f["name"] == "new" && f["kind"] == "response")
    );

    let broken = dir.write(
        "broken.json",
        r#"{"match": {"method": "GET", "path": "/b"}, "stream": {"steps": [{"sleep_ms": -1}]}}"#,
    );
    let (status, err) = admin(&server, "POST", "/fixtures/reload", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(err["file"], broken.display().to_string());
    assert_eq!(err["field"], "stream.steps[0].sleep_ms");
    assert_eq!(
        client().get(&url).send().await.unwrap().status(),
        StatusCode::OK,
        "the old set stays"
    );
    assert!(server.reload_fixtures().is_err());
}
