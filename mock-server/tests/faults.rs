//! Every fault, from the request header, the library API, the admin API and fixtures.

mod common;

use std::time::{Duration, Instant};

use common::*;
use olumi_mock::{FaultInjection, MockServer};
use reqwest::StatusCode;

async fn get(server: &MockServer, path: &str, fault: Option<&str>) -> reqwest::Response {
    let mut req = client().post(format!("{}{path}", server.url()));
    if let Some(f) = fault {
        req = req.header("x-mock-fault", f);
    }
    req.header("content-type", "application/json")
        .body(BRIEF)
        .send()
        .await
        .unwrap()
}

const JSON_ROUTE: &str = "/assist/suggest-options";
const STREAM: &str = "/assist/draft-graph/stream";

#[tokio::test]
async fn drop_after_events_cuts_the_stream_mid_way() {
    let server = start(builder().resume_secret("s")).await;
    let (body, clean) = read_body(get(&server, STREAM, Some("drop-after-events=3")).await).await;
    assert!(!clean, "the connection breaks instead of ending");
    assert_eq!(count_events(&body), 3);
    assert!(!has_complete(&body));
    assert!(body.ends_with(b"\n\n"), "the third event arrived whole");
}

#[tokio::test]
async fn drop_after_bytes_cuts_json_and_streams() {
    let server = start(builder()).await;
    let resp = get(&server, JSON_ROUTE, Some("drop-after-bytes=10")).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let declared: usize = header(&resp, "content-length").unwrap().parse().unwrap();
    let (body, clean) = read_body(resp).await;
    assert!(!clean);
    assert!(
        body.len() <= 10 && declared > 10,
        "{} of {declared}",
        body.len()
    );
    let (body, clean) = read_body(get(&server, STREAM, Some("drop-after-bytes=30")).await).await;
    assert!(!clean);
    assert_eq!(body, b"event: stage\ndata: {\"stage\":\"D");
}

#[tokio::test]
async fn stall_stops_everything_including_heartbeats() {
    let server = start(builder()).await;
    let mut resp = get(&server, STREAM, Some("stall-after-events=1")).await;
    let (body, stop) = read_until(&mut resp, Duration::from_millis(900), |_| false).await;
    assert_eq!(stop, ReadStop::TimedOut, "the connection stays open");
    assert_eq!(
        frames(&body).len(),
        1,
        "one event, no heartbeat in 18 intervals: {:?}",
        frames(&body)
    );
    drop(resp);

    let mut json = get(&server, JSON_ROUTE, Some("stall")).await;
    assert_eq!(json.status(), StatusCode::OK, "the head arrives");
    let (body, stop) = read_until(&mut json, Duration::from_millis(300), |_| false).await;
    assert_eq!((body.len(), stop), (0, ReadStop::TimedOut));
}

#[tokio::test]
async fn delays_before_headers_and_between_events() {
    let server = start(builder()).await;
    let started = Instant::now();
    let resp = get(&server, JSON_ROUTE, Some("delay-headers-ms=300")).await;
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(resp.status(), StatusCode::OK);

    let started = Instant::now();
    let (body, clean) = read_body(get(&server, STREAM, Some("delay-events-ms=150")).await).await;
    assert!(clean && has_complete(&body));
    // Three events at 150 ms each on top of the script's 500 ms.
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "{:?}",
        started.elapsed()
    );
    assert!(
        frames(&body).iter().any(|f| matches!(f, Frame::Comment(_))),
        "heartbeats continue during delays"
    );
}

#[tokio::test]
async fn status_for_the_next_n_requests_then_success() {
    let server = start(builder()).await;
    server.inject_fault(
        FaultInjection::parse("status=503,times=2")
            .unwrap()
            .method("post")
            .path(JSON_ROUTE),
    );
    let mut statuses = Vec::new();
    for _ in 0..3 {
        let resp = get(&server, JSON_ROUTE, None).await;
        statuses.push(resp.status());
        let headers = resp.headers().clone();
        let body = resp.bytes().await.unwrap();
        assert_hash(&headers, &body);
    }
    assert_eq!(
        statuses,
        [
            StatusCode::SERVICE_UNAVAILABLE,
            StatusCode::SERVICE_UNAVAILABLE,
            StatusCode::OK
        ]
    );
    assert_eq!(
        get(&server, "/assist/explain-diff", None).await.status(),
        StatusCode::OK
    );
    let journal = server.journal();
    assert_eq!(journal[0].fault.as_deref(), Some("status=503,times=2"));
    assert_eq!(journal[2].fault, None);
}

#[tokio::test]
async fn a_429_with_retry_after() {
    let server = start(builder()).await;
    let resp = get(&server, JSON_ROUTE, Some("retry-after=7")).await;
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(header(&resp, "retry-after"), Some("7"));
    let headers = resp.headers().clone();
    let body = resp.bytes().await.unwrap();
    assert_hash(&headers, &body);
    assert_eq!(
        json(&body),
        serde_json::json!({"schema":"error.v1","code":"RATE_LIMITED","message":"Rate limit exceeded.","details":{"retry_after_seconds":7}})
    );
}

#[tokio::test]
async fn corrupt_hash_tamper_and_truncate() {
    let server = start(builder()).await;
    let resp = get(&server, JSON_ROUTE, Some("corrupt-hash")).await;
    let sent = header(&resp, "x-olumi-response-hash").unwrap().to_owned();
    let body = resp.bytes().await.unwrap();
    assert_eq!(sent.len(), 12);
    assert_ne!(sent, olumi::response_hash::response_hash(&body).unwrap());

    let clean_body = get(&server, JSON_ROUTE, None).await.bytes().await.unwrap();
    let resp = get(&server, JSON_ROUTE, Some("tamper-body")).await;
    let sent = header(&resp, "x-olumi-response-hash").unwrap().to_owned();
    let body = resp.bytes().await.unwrap();
    assert_eq!(
        sent,
        olumi::response_hash::response_hash(&clean_body).unwrap(),
        "hash of the original"
    );
    assert_ne!(sent, olumi::response_hash::response_hash(&body).unwrap());
    assert_eq!(json(&body)["tampered"], true, "still valid JSON");

    let resp = get(&server, JSON_ROUTE, Some("truncate-body")).await;
    let length: usize = header(&resp, "content-length").unwrap().parse().unwrap();
    let (body, clean) = read_body(resp).await;
    assert!(clean, "a complete HTTP message");
    assert_eq!(
        (body.len(), length),
        (clean_body.len() / 2, clean_body.len() / 2)
    );
    assert!(serde_json::from_slice::<serde_json::Value>(&body).is_err());
    let (body, _) = read_body(get(&server, JSON_ROUTE, Some("truncate-body=5")).await).await;
    assert_eq!(body, &clean_body[..5]);
}

#[tokio::test]
async fn reset_closes_without_an_answer() {
    let server = start(builder()).await;
    let err = client()
        .get(format!("{}/healthz", server.url()))
        .header("x-mock-fault", "reset")
        .send()
        .await
        .unwrap_err();
    assert!(err.status().is_none(), "{err}");
}

#[tokio::test]
async fn chance_and_generated_ids_repeat_under_a_seed() {
    async fn pattern(seed: u64) -> Vec<u16> {
        let server = start(builder().seed(seed)).await;
        server.inject_fault(FaultInjection::parse("status=500,chance=0.5").unwrap());
        let mut out = Vec::new();
        for _ in 0..16 {
            out.push(get(&server, JSON_ROUTE, None).await.status().as_u16());
        }
        out
    }
    let a = pattern(42).await;
    assert_eq!(a, pattern(42).await);
    assert!(a.contains(&500) && a.contains(&200), "{a:?}");
    // Generated ids repeat too.
    let ids = |seed| async move {
        let server = start(builder().seed(seed)).await;
        let resp = get(&server, JSON_ROUTE, None).await;
        header(&resp, "x-request-id").unwrap().to_owned()
    };
    assert_eq!(ids(3).await, ids(3).await);
}

#[tokio::test]
async fn fixture_faults_apply_and_come_back_after_reset() {
    let dir = TempDir::new();
    dir.write(
        "flaky.json",
        r#"{"match": {"method": "GET", "path": "/flaky"}, "fault": "status=502,times=1",
            "response": {"json": {"ok": true}}}"#,
    );
    let server = start(builder().fixtures_dir(dir.path())).await;
    let http = client();
    let url = format!("{}/flaky", server.url());
    assert_eq!(
        http.get(&url).send().await.unwrap().status(),
        StatusCode::BAD_GATEWAY
    );
    assert_eq!(
        http.get(&url).send().await.unwrap().status(),
        StatusCode::OK
    );
    server.reset();
    assert_eq!(
        http.get(&url).send().await.unwrap().status(),
        StatusCode::BAD_GATEWAY
    );
    assert_eq!(server.journal()[0].fixture.as_deref(), Some("flaky"));
}

#[tokio::test]
async fn header_faults_win_and_bad_syntax_is_a_400() {
    let server = start(builder()).await;
    server.inject_fault(FaultInjection::parse("status=500").unwrap());
    let resp = get(&server, JSON_ROUTE, Some("status=418")).await;
    assert_eq!(resp.status(), StatusCode::IM_A_TEAPOT);
    server.clear_faults();
    let resp = get(&server, JSON_ROUTE, Some("drop-after-event=3")).await;
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    let message = json(&resp.bytes().await.unwrap())["message"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        message.contains("unknown fault `drop-after-event`"),
        "{message}"
    );
}
