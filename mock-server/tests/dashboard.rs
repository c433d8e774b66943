//! The dashboard's data: the rejection explanation in the journal, the live feed
//! (`/__admin/events`), the streams registry (`/__admin/streams`) and the page itself
//! (`/__admin/ui`). Secrets never appear in any of them.

mod common;

use common::*;
use olumi::signing::{BodyHashMode, canonical_string, generate_nonce};
use olumi_mock::{AuthMode, MockServer, Rejection};
use std::time::Duration;

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
    assert_eq!(entry.fixture.as_deref(), Some("draft-graph"));
    assert_eq!(entry.near_miss, None);
    // A request no fixture answers names its nearest fixture.
    let mut headers = HeaderMap::new();
    headers.insert("x-olumi-assist-key", HeaderValue::from_static(KEY));
    let status = client()
        .get(format!("{}{PATH}", server.url()))
        .headers(headers)
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, StatusCode::NOT_FOUND);
    let near = server
        .journal()
        .pop()
        .unwrap()
        .near_miss
        .expect("a near miss");
    assert!(near.contains("/assist/draft-graph"), "{near}");
    server.shutdown().await;
}

/// Opens the live feed and reads up to its greeting, so that later requests are on it.
async fn open_feed(server: &MockServer) -> reqwest::Response {
    let mut feed = client()
        .get(format!("{}/__admin/events", server.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(header(&feed, "content-type"), Some("text/event-stream"));
    let (_, stop) = read_until(&mut feed, Duration::from_secs(10), |b| b.ends_with(b"\n\n")).await;
    assert_eq!(stop, ReadStop::Matched);
    feed
}

async fn streams(server: &MockServer) -> Vec<serde_json::Value> {
    let body = client()
        .get(format!("{}/__admin/streams", server.url()))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    serde_json::from_slice(&body).unwrap()
}

#[tokio::test]
async fn the_live_feed_carries_redacted_entries_with_their_explanation() {
    let server = start(builder().hmac_secret(SECRET).api_key(KEY)).await;
    let mut feed = open_feed(&server).await;
    let mut headers = signed(BodyHashMode::Unbound, "POST", PATH, b"");
    let signature = headers["x-olumi-signature"].to_str().unwrap().to_owned();
    headers.insert("x-olumi-signature", HeaderValue::from_static("0badc0de"));
    headers.insert(
        "x-olumi-assist-key",
        HeaderValue::from_static("sk-not-configured-9"),
    );
    assert_eq!(post(&server, PATH, headers).await, StatusCode::FORBIDDEN);
    let mut good = HeaderMap::new();
    good.insert("x-olumi-assist-key", HeaderValue::from_static(KEY));
    assert_eq!(post(&server, PATH, good).await, StatusCode::OK);

    let (bytes, stop) = read_until(&mut feed, Duration::from_secs(10), |b| {
        events(b).iter().filter(|f| f.name() == "request").count() == 2
    })
    .await;
    assert_eq!(stop, ReadStop::Matched);
    let entries: Vec<_> = events(&bytes).iter().map(Frame::json).collect();
    assert_eq!(entries[0]["status"], 403);
    assert_eq!(entries[0]["rejection"]["check"], "signature_mismatch");
    assert!(
        entries[0]["rejection"]["expected_canonical"]
            .as_str()
            .unwrap()
            .starts_with("POST\n/assist/draft-graph\n")
    );
    assert_eq!(entries[1]["status"], 200);
    assert_eq!(entries[1]["rejection"], serde_json::Value::Null);
    // Neither the feed nor the journal shows a secret, a key or a signature.
    let journal = serde_json::to_string(&server.journal()).unwrap();
    for text in [String::from_utf8(bytes).unwrap(), journal] {
        for secret in [SECRET, KEY, "sk-not-configured-9", "0badc0de", &signature] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
    }
    drop(feed);
    server.shutdown().await;
}

#[tokio::test]
async fn streams_are_tracked_from_start_to_outcome() {
    let server = start(builder().hmac_secret(SECRET)).await;
    let mut feed = open_feed(&server).await;
    let (body, clean) = read_body(
        signed_post(&server.url(), "/assist/draft-graph/stream")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert!(clean);
    let sent = events(&body).len();
    let list = streams(&server).await;
    assert_eq!(list.len(), 1, "{list:?}");
    let done = &list[0];
    assert_eq!(done["route"], "/assist/draft-graph/stream");
    assert_eq!(done["kind"], "stream");
    assert_eq!(done["outcome"], "completed");
    assert_eq!(done["events_sent"], sent);
    assert_eq!(done["last_event_index"], sent - 1);
    assert_eq!(done["resume_token_issued"], true);
    assert_eq!(done["faults"], serde_json::Value::Null);

    // A stream dropped by a fault says so, with the fault armed.
    let resp = signed_post(&server.url(), "/assist/draft-graph/stream")
        .header("x-mock-fault", "drop-after-events=2")
        .send()
        .await
        .unwrap();
    let (_, clean) = read_body(resp).await;
    assert!(!clean);
    let list = streams(&server).await;
    let dropped = &list[0];
    assert_eq!(dropped["outcome"], "dropped");
    assert_eq!(dropped["events_sent"], 2);
    assert_eq!(dropped["faults"], "drop-after-events=2");

    // The feed showed the streams' updates, ending with the outcome.
    let (bytes, stop) = read_until(&mut feed, Duration::from_secs(10), |b| {
        std::str::from_utf8(b).is_ok_and(|t| t.contains(r#""outcome":"dropped""#))
    })
    .await;
    assert_eq!(stop, ReadStop::Matched);
    let updates: Vec<_> = events(&bytes)
        .into_iter()
        .filter(|f| f.name() == "stream")
        .map(|f| f.json())
        .collect();
    assert!(updates.iter().any(|u| u["outcome"] == "completed"));
    assert!(
        updates
            .iter()
            .any(|u| u["outcome"].is_null() && u["events_sent"] == 1)
    );
    server.shutdown().await;
}

#[tokio::test]
async fn a_legacy_stream_request_is_listed_as_refused_with_426() {
    let server = start(builder().api_key(KEY)).await;
    let resp = client()
        .post(format!("{}{PATH}", server.url()))
        .header("accept", "text/event-stream")
        .header("content-type", "application/json")
        .body(BRIEF)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 426);
    let list = streams(&server).await;
    assert_eq!(list[0]["kind"], "refused");
    assert_eq!(list[0]["outcome"], "426");
    server.shutdown().await;
}

#[tokio::test]
async fn the_page_is_served_from_the_binary() {
    let server = start(builder()).await;
    let resp = client()
        .get(format!("{}/__admin/ui", server.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(
        header(&resp, "content-type"),
        Some("text/html; charset=utf-8")
    );
    let csp = header(&resp, "content-security-policy").unwrap().to_owned();
    assert!(csp.contains("default-src 'none'"), "{csp}");
    let page = resp.text().await.unwrap();
    assert!(
        page.contains("/__admin/events"),
        "the page reads the live feed"
    );
    assert!(
        !page.contains("http://") && !page.contains("https://"),
        "no external resource"
    );
    assert!(
        server.journal().is_empty(),
        "admin requests are not journaled"
    );
    server.shutdown().await;
}

#[tokio::test]
async fn a_resume_is_listed_as_resumed() {
    let server = start(builder().resume_secret("resume-secret")).await;
    let (body, _) = read_body(
        client()
            .post(format!("{}/assist/draft-graph/stream", server.url()))
            .header("content-type", "application/json")
            .body(BRIEF)
            .send()
            .await
            .unwrap(),
    )
    .await;
    let token = events(&body)
        .iter()
        .find(|f| f.name() == "resume")
        .map(|f| f.json()["token"].as_str().unwrap().to_owned())
        .expect("a resume event");
    let resumed = client()
        .post(format!("{}/assist/draft-graph/resume", server.url()))
        .header("accept", "text/event-stream")
        .header("x-resume-token", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(resumed.status(), StatusCode::OK);
    let (_, clean) = read_body(resumed).await;
    assert!(clean);
    let list = streams(&server).await;
    assert_eq!(list[0]["kind"], "resume");
    assert_eq!(list[0]["outcome"], "resumed");
    assert_eq!(list[0]["events_sent"], 1);
    assert_eq!(list[1]["outcome"], "completed");
    // The token is a bearer capability: not in the registry, nor in the journal.
    let all = format!(
        "{list:?}{}",
        serde_json::to_string(&server.journal()).unwrap()
    );
    assert!(!all.contains(&token), "{all}");
    server.shutdown().await;
}
