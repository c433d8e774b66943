//! `--proxy-to` and `--record` against a second olumi-mock acting as the upstream (CI has no real
//! service): forwarding re-signed requests, streams passed through, a drop and its resume through
//! the proxy, an unreachable upstream, recording, and replaying the recording.

mod common;

use std::path::Path;
use std::time::Duration;

use common::*;
use olumi::signing::BodyHashMode;
use olumi_mock::{FaultInjection, MockServer, RecordMatch, Source, StartError};
use reqwest::header::HeaderMap;

/// The upstream's own secret: the client never knows it, the proxy signs with it.
const UPSTREAM_SECRET: &str = "upstream-only-hmac-secret";
/// The request id the client sends, so that a replay can be compared byte for byte.
const REQUEST_ID: &str = "req-recorded-000001";

async fn upstream() -> MockServer {
    start(builder().hmac_secret(UPSTREAM_SECRET).seed(11)).await
}

/// A proxy with no fixtures of its own (everything is forwarded), checking the client's
/// signatures with [`SECRET`].
fn proxy_to(upstream: &MockServer) -> olumi_mock::MockServerBuilder {
    builder()
        .builtin_fixtures(false)
        .hmac_secret(SECRET)
        .proxy_to(upstream.url())
        .upstream_hmac_secret(UPSTREAM_SECRET)
}

/// A replaying mock: only the recorded directory, signatures checked with [`SECRET`].
async fn replay(dir: &Path) -> MockServer {
    start(
        builder()
            .builtin_fixtures(false)
            .hmac_secret(SECRET)
            .fixtures_dir(dir)
            .seed(5),
    )
    .await
}

/// A signed request (for the mock, with [`SECRET`]) carrying [`REQUEST_ID`].
fn request(base: &str, method: &str, target: &str, body: &str) -> reqwest::RequestBuilder {
    let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut req = client()
        .request(m, format!("{base}{target}"))
        .headers(signed(
            BodyHashMode::Unbound,
            method,
            target,
            body.as_bytes(),
        ))
        .header("x-request-id", REQUEST_ID);
    if !body.is_empty() {
        req = req
            .header("content-type", "application/json")
            .body(body.to_owned());
    }
    req
}

/// Every recorded file's text, by file name.
fn recorded_files(dir: &Path) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read_to_string(e.path()).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

/// `body` with the correlation id (which a replay generates afresh) replaced by a marker.
fn without_correlation(body: &[u8], headers: &HeaderMap) -> String {
    let text = String::from_utf8(body.to_vec()).unwrap();
    match headers
        .get("x-correlation-id")
        .and_then(|v| v.to_str().ok())
    {
        Some(id) if !id.is_empty() => text.replace(id, "<correlation-id>"),
        _ => text,
    }
}

#[tokio::test]
async fn forwarded_requests_are_re_signed_for_the_upstream() {
    let upstream = upstream().await;
    let proxy = start(proxy_to(&upstream)).await;
    let target = "/assist/suggest-options?trace=a%20b";
    let body = r#"{"goal":"Grow revenue in Europe"}"#;
    let client_headers = signed(BodyHashMode::Unbound, "POST", target, body.as_bytes());
    let client_nonce = client_headers["x-olumi-nonce"].to_str().unwrap().to_owned();
    let resp = client()
        .post(format!("{}{target}", proxy.url()))
        .headers(client_headers)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let headers = resp.headers().clone();
    let bytes = resp.bytes().await.unwrap();
    assert_hash(&headers, &bytes);

    let seen = upstream.journal();
    assert_eq!(seen.len(), 1);
    let forwarded = &seen[0];
    assert_eq!(forwarded.target, target, "the exact target, query included");
    assert!(
        matches!(&forwarded.verdict, olumi_mock::Verdict::Hmac { .. }),
        "signed with the upstream's secret: {:?}",
        forwarded.verdict
    );
    assert_ne!(
        forwarded.nonce.as_deref(),
        Some(client_nonce.as_str()),
        "a fresh nonce"
    );
    assert_eq!(forwarded.body, body);
    let own = proxy.journal();
    assert_eq!(own[0].source, Source::Proxy);
    assert_eq!(own[0].status, 200);
    assert_eq!(own[0].fixture, None);
    proxy.shutdown().await;
    upstream.shutdown().await;
}

#[tokio::test]
async fn an_unreachable_upstream_gives_502_error_v1() {
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap()
    };
    let proxy = start(
        builder()
            .builtin_fixtures(false)
            .proxy_to(format!("http://{closed}")),
    )
    .await;
    let resp = client()
        .get(format!("{}/v1/status", proxy.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 502);
    let body = json(&resp.bytes().await.unwrap());
    assert_eq!(body["schema"], "error.v1");
    assert_eq!(body["code"], "INTERNAL");
    let message = body["message"].as_str().unwrap();
    assert!(message.contains("cannot be reached"), "{message}");
    assert!(message.contains(&closed.to_string()), "{message}");
    let entry = &proxy.journal()[0];
    assert_eq!((entry.source, entry.status), (Source::Proxy, 502));
    proxy.shutdown().await;
}

#[tokio::test]
async fn an_upstream_answer_with_a_wrong_hash_is_refused() {
    let upstream = upstream().await;
    upstream.inject_fault(
        FaultInjection::parse("corrupt-hash")
            .unwrap()
            .path("/v1/status"),
    );
    let proxy = start(proxy_to(&upstream)).await;
    let resp = request(&proxy.url(), "GET", "/v1/status", "")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 502);
    let body = json(&resp.bytes().await.unwrap());
    assert!(body["message"].as_str().unwrap().contains("hash"), "{body}");
    proxy.shutdown().await;
    upstream.shutdown().await;
}

#[tokio::test]
async fn streams_pass_through_as_they_arrive() {
    let dir = TempDir::new();
    dir.write("stream.json", &slow_stream_fixture(600));
    let upstream = start(
        builder()
            .hmac_secret(UPSTREAM_SECRET)
            .fixtures_dir(dir.path()),
    )
    .await;
    let proxy = start(proxy_to(&upstream)).await;
    let mut resp = request(&proxy.url(), "POST", "/assist/draft-graph/stream", BRIEF)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(header(&resp, "content-type"), Some("text/event-stream"));
    // The first events reach the client while the upstream still holds COMPLETE back: the
    // stream is forwarded, not buffered.
    let (early, stop) =
        read_until(&mut resp, Duration::from_secs(10), |b| count_events(b) >= 3).await;
    assert_eq!(stop, ReadStop::Matched);
    assert!(
        !has_complete(&early),
        "COMPLETE came before the upstream sent it"
    );
    let (rest, clean) = read_body(resp).await;
    assert!(clean);
    let all = [early, rest].concat();
    assert!(has_complete(&all));
    assert_eq!(
        events(&all).iter().map(Frame::name).collect::<Vec<_>>(),
        ["stage", "resume", "stage", "stage"]
    );
    proxy.shutdown().await;
    upstream.shutdown().await;
}

#[tokio::test]
async fn a_dropped_upstream_stream_is_resumed_through_the_proxy() {
    let upstream = upstream().await;
    upstream.inject_fault(
        FaultInjection::parse("drop-after-events=2,times=1")
            .unwrap()
            .path("/assist/draft-graph/stream"),
    );
    let record = TempDir::new();
    let proxy = start(proxy_to(&upstream).record_dir(record.path())).await;
    let resp = request(&proxy.url(), "POST", "/assist/draft-graph/stream", BRIEF)
        .send()
        .await
        .unwrap();
    let (body, clean) = read_body(resp).await;
    assert!(!clean, "the upstream's drop reaches the client");
    let frames = events(&body);
    assert_eq!(frames.len(), 2, "{}", String::from_utf8_lossy(&body));
    let token = frames[1].json()["token"].as_str().unwrap().to_owned();

    // The client resumes at the mock (signed for the mock); the mock forwards it.
    let target = "/assist/draft-graph/resume?mode=live";
    let resp = client()
        .post(format!("{}{target}", proxy.url()))
        .headers(signed(BodyHashMode::Unbound, "POST", target, b""))
        .header("x-resume-token", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let (resumed, clean) = read_body(resp).await;
    assert!(clean);
    assert!(
        has_complete(&resumed),
        "{}",
        String::from_utf8_lossy(&resumed)
    );

    let at_upstream: Vec<_> = upstream
        .journal()
        .iter()
        .map(|e| (e.target.clone(), e.status))
        .collect();
    assert_eq!(
        at_upstream,
        [
            ("/assist/draft-graph/stream".to_owned(), 200),
            (target.to_owned(), 200)
        ]
    );
    assert!(proxy.journal().iter().all(|e| e.source == Source::Proxy));
    // The broken stream is recorded with its drop; the resume (a bearer token) is not.
    let files = recorded_files(record.path());
    assert_eq!(files.len(), 1, "{files:?}");
    let (name, text) = &files[0];
    assert!(
        name.starts_with("post-assist-draft-graph-stream-"),
        "{name}"
    );
    assert!(text.contains(r#""drop": true"#), "{text}");
    assert!(!text.contains(&token), "{text}");
    proxy.shutdown().await;
    upstream.shutdown().await;
}

#[tokio::test]
async fn recorded_exchanges_replay_the_same_answers() {
    let upstream = upstream().await;
    let dir = TempDir::new();
    let proxy = start(proxy_to(&upstream).record_dir(dir.path())).await;
    let calls = [
        ("GET", "/v1/status", ""),
        ("POST", "/assist/draft-graph", BRIEF),
        ("POST", "/assist/v1/draft-graph?schema=v1", BRIEF),
    ];
    let mut live = Vec::new();
    let mut client_signatures = Vec::new();
    for (method, target, body) in calls {
        let req = request(&proxy.url(), method, target, body).build().unwrap();
        client_signatures.push(
            req.headers()["x-olumi-signature"]
                .to_str()
                .unwrap()
                .to_owned(),
        );
        let resp = client().execute(req).await.unwrap();
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = resp.bytes().await.unwrap();
        assert_hash(&headers, &bytes);
        live.push((status, headers, bytes));
    }
    let stream_live = read_body(
        request(&proxy.url(), "POST", "/assist/draft-graph/stream", BRIEF)
            .send()
            .await
            .unwrap(),
    )
    .await
    .0;
    proxy.shutdown().await;

    let files = recorded_files(dir.path());
    assert_eq!(
        files.len(),
        4,
        "{:?}",
        files.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    for (name, text) in &files {
        for secret in [SECRET, UPSTREAM_SECRET, REQUEST_ID] {
            assert!(!text.contains(secret), "{name} holds {secret:?}:\n{text}");
        }
        for signature in &client_signatures {
            assert!(
                !text.contains(signature.as_str()),
                "{name} holds a signature"
            );
        }
        for forbidden in [
            "x-olumi-signature",
            "x-olumi-nonce",
            "x-resume-token",
            "\"token\"",
        ] {
            assert!(
                !text.contains(forbidden),
                "{name} holds {forbidden}:\n{text}"
            );
        }
    }
    let stream_file = &files.iter().find(|f| f.0.contains("stream")).unwrap().1;
    assert!(
        stream_file.contains(r#""resume_token": "secret""#),
        "{stream_file}"
    );
    assert!(stream_file.contains("sleep_ms"), "{stream_file}");
    assert!(!stream_file.contains("heartbeat"), "{stream_file}");

    let replay = replay(dir.path()).await;
    for ((method, target, body), (status, headers, bytes)) in calls.iter().zip(&live) {
        let resp = request(&replay.url(), method, target, body)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), *status, "{method} {target}");
        let replay_headers = resp.headers().clone();
        let replayed = resp.bytes().await.unwrap();
        assert_hash(&replay_headers, &replayed);
        assert_eq!(
            without_correlation(&replayed, &replay_headers),
            without_correlation(bytes, headers),
            "{method} {target}: the same bytes"
        );
        for name in ["x-cee-api-version", "x-correlation-id"] {
            assert_eq!(
                headers.contains_key(name),
                replay_headers.contains_key(name),
                "{target}: {name}"
            );
        }
    }
    let stream_replay = read_body(
        request(&replay.url(), "POST", "/assist/draft-graph/stream", BRIEF)
            .send()
            .await
            .unwrap(),
    )
    .await
    .0;
    let (live_events, replay_events) = (events(&stream_live), events(&stream_replay));
    assert_eq!(live_events.len(), replay_events.len());
    for (a, b) in live_events.iter().zip(&replay_events) {
        assert_eq!(a.name(), b.name());
        if a.name() == "stage" {
            let (mut a, mut b) = (a.json(), b.json());
            for v in [&mut a, &mut b] {
                if let Some(d) = v.pointer_mut("/payload/diagnostics") {
                    d["correlation_id"] = "<correlation-id>".into();
                }
            }
            assert_eq!(a, b, "event for event");
        }
    }
    let journal = replay.journal();
    assert!(
        journal.iter().all(|e| e.source == Source::Fixture),
        "{journal:?}"
    );
    replay.shutdown().await;
    upstream.shutdown().await;
}

#[tokio::test]
async fn the_same_request_recorded_twice_becomes_a_scenario() {
    let upstream_fixtures = TempDir::new();
    for (state, next, answer) in [
        ("started", "second", "first"),
        ("second", "third", "second"),
    ] {
        upstream_fixtures.write(
            &format!("{answer}.json"),
            &format!(
                r#"{{"match": {{"method": "GET", "path": "/v1/status"}}, "priority": 5,
                    "scenario": {{"name": "s", "state": "{state}", "next": "{next}"}},
                    "response": {{"json": {{"answer": "{answer}"}}}}}}"#
            ),
        );
    }
    let upstream = start(
        builder()
            .hmac_secret(UPSTREAM_SECRET)
            .fixtures_dir(upstream_fixtures.path()),
    )
    .await;
    let dir = TempDir::new();
    let proxy = start(proxy_to(&upstream).record_dir(dir.path())).await;
    for _ in 0..2 {
        let resp = request(&proxy.url(), "GET", "/v1/status", "")
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
    }
    proxy.shutdown().await;
    let names: Vec<_> = recorded_files(dir.path())
        .into_iter()
        .map(|f| f.0)
        .collect();
    assert_eq!(names, ["get-v1-status-1.json", "get-v1-status-2.json"]);

    let replay = replay(dir.path()).await;
    let mut answers = Vec::new();
    for _ in 0..3 {
        let resp = request(&replay.url(), "GET", "/v1/status", "")
            .send()
            .await
            .unwrap();
        answers.push(json(&resp.bytes().await.unwrap())["answer"].clone());
    }
    assert_eq!(answers, ["first", "second", "second"]);
    replay.shutdown().await;
    upstream.shutdown().await;
}

#[tokio::test]
async fn record_match_body_keeps_requests_with_different_bodies_apart() {
    let upstream = upstream().await;
    let dir = TempDir::new();
    let proxy = start(
        proxy_to(&upstream)
            .record_dir(dir.path())
            .record_match(RecordMatch::Body),
    )
    .await;
    let short = r#"{"brief":"too short"}"#;
    let mut got = Vec::new();
    for body in [BRIEF, short] {
        let resp = request(&proxy.url(), "POST", "/assist/draft-graph", body)
            .send()
            .await
            .unwrap();
        got.push(resp.status().as_u16());
    }
    assert_eq!(got, [200, 400]);
    proxy.shutdown().await;
    let files = recorded_files(dir.path());
    assert_eq!(files.len(), 2);
    assert!(
        files
            .iter()
            .all(|(_, t)| t.contains(r#""body""#) && !t.contains("scenario"))
    );

    let replay = replay(dir.path()).await;
    for (body, status) in [(short, 400), (BRIEF, 200), (short, 400)] {
        let resp = request(&replay.url(), "POST", "/assist/draft-graph", body)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), status, "{body}");
    }
    replay.shutdown().await;
    upstream.shutdown().await;
}

#[tokio::test]
async fn a_recorded_fixture_with_a_secret_header_is_refused_at_load() {
    let dir = TempDir::new();
    dir.write(
        "leaky-1.json",
        r#"{"match": {"method": "GET", "path": "/v1/status"},
            "response": {"headers": {"x-olumi-assist-key": "sk-live-leaked"}, "json": {}}}"#,
    );
    let err = builder()
        .builtin_fixtures(false)
        .fixtures_dir(dir.path())
        .start()
        .await
        .unwrap_err();
    let StartError::Fixture(e) = &err else {
        panic!("expected a fixture error, got {err}")
    };
    assert!(e.file.ends_with("leaky-1.json"), "{e}");
    assert_eq!(e.field, "response.headers.x-olumi-assist-key");
    assert!(!err.to_string().contains("sk-live-leaked"), "{err}");
}

#[tokio::test]
async fn bad_proxy_settings_are_refused_at_start() {
    for (b, says) in [
        (builder().upstream_api_key("k"), "--proxy-to"),
        (builder().proxy_to("ftp://127.0.0.1:1"), "scheme"),
        (
            builder()
                .proxy_to("http://127.0.0.1:1")
                .upstream_api_key("k")
                .upstream_hmac_secret("s"),
            "not both",
        ),
    ] {
        let err = b.start().await.unwrap_err();
        assert!(matches!(err, StartError::Config(_)), "{err}");
        assert!(err.to_string().contains(says), "{err}");
    }
}

#[tokio::test]
async fn an_upstream_url_with_a_path_prefixes_the_signed_target() {
    let dir = TempDir::new();
    dir.write(
        "prefixed.json",
        r#"{"match": {"method": "POST", "path": "/api/assist/draft-graph", "query": {"v": "1"}},
            "response": {"json": {"prefixed": true}}}"#,
    );
    let upstream = start(
        builder()
            .hmac_secret(UPSTREAM_SECRET)
            .fixtures_dir(dir.path()),
    )
    .await;
    let proxy = start(
        builder()
            .builtin_fixtures(false)
            .proxy_to(format!("{}/api/", upstream.url()))
            .upstream_hmac_secret(UPSTREAM_SECRET),
    )
    .await;
    let resp = request(&proxy.url(), "POST", "/assist/draft-graph?v=1", BRIEF)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(json(&resp.bytes().await.unwrap())["prefixed"], true);
    let seen = &upstream.journal()[0];
    assert_eq!(seen.target, "/api/assist/draft-graph?v=1");
    assert!(
        matches!(seen.verdict, olumi_mock::Verdict::Hmac { .. }),
        "{:?}",
        seen.verdict
    );
    proxy.shutdown().await;
    upstream.shutdown().await;
}
