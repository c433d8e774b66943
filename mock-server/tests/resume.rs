//! Resume: after completion, replay and live during a running stream, every refusal, resets.

mod common;

use std::time::Duration;

use common::*;
use olumi::signing::BodyHashMode;
use olumi_mock::{MockServer, ResumeToken};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

const RESUME_SECRET: &str = "resume-secret";
const RESUME: &str = "/assist/draft-graph/resume";

/// Opens a stream (optionally with a fault) and returns what arrived and the resume token.
async fn stream(server: &MockServer, fault: Option<&str>) -> (Vec<u8>, bool, String) {
    let mut req = client()
        .post(format!("{}/assist/draft-graph/stream", server.url()))
        .header("content-type", "application/json")
        .body(BRIEF);
    if let Some(f) = fault {
        req = req.header("x-mock-fault", f);
    }
    let (body, clean) = read_body(req.send().await.unwrap()).await;
    let token = events(&body)
        .iter()
        .find(|f| f.name() == "resume")
        .map(|f| f.json()["token"].as_str().unwrap().to_owned())
        .expect("a resume event");
    (body, clean, token)
}

async fn resume(
    server: &MockServer,
    target: &str,
    token: Option<&str>,
    headers: HeaderMap,
) -> reqwest::Response {
    let mut req = client()
        .post(format!("{}{target}", server.url()))
        .header("accept", "text/event-stream")
        .headers(headers);
    if let Some(t) = token {
        req = req.header("x-resume-token", t);
    }
    req.send().await.unwrap()
}

async fn slow_server(
    wait_ms: u64,
    configure: impl FnOnce(olumi_mock::MockServerBuilder) -> olumi_mock::MockServerBuilder,
) -> (MockServer, TempDir) {
    let dir = TempDir::new();
    dir.write("stream.json", &slow_stream_fixture(wait_ms));
    let server = start(configure(
        builder()
            .resume_secret(RESUME_SECRET)
            .fixtures_dir(dir.path()),
    ))
    .await;
    (server, dir)
}

#[tokio::test]
async fn after_completion_a_resume_answers_the_bare_final_payload() {
    let server = start(builder().resume_secret(RESUME_SECRET)).await;
    let (body, clean, token) = stream(&server, None).await;
    assert!(clean && has_complete(&body));
    let id = ResumeToken::verify(&token, RESUME_SECRET, now_ms())
        .unwrap()
        .request_id;
    for target in [RESUME.to_owned(), format!("{RESUME}?mode=live")] {
        let resp = resume(&server, &target, Some(&token), HeaderMap::new()).await;
        assert_eq!(resp.status(), StatusCode::OK);
        assert_eq!(header(&resp, "content-type"), Some("text/event-stream"));
        assert_eq!(header(&resp, "x-correlation-id"), Some(id.as_str()));
        assert!(header(&resp, "x-olumi-response-hash").is_none());
        let (body, clean) = read_body(resp).await;
        assert!(clean);
        let evs = events(&body);
        assert_eq!(evs.len(), 1, "{}", String::from_utf8_lossy(&body));
        assert_eq!(evs[0].name(), "complete");
        let payload = evs[0].json();
        assert!(
            payload.get("stage").is_none(),
            "bare payload, no {{stage,payload}} wrapper"
        );
        assert!(payload["graph"]["nodes"].is_array());
        assert_eq!(payload["diagnostics"]["resumes"], 1);
        assert_eq!(payload["diagnostics"]["correlation_id"], id.as_str());
    }
}

#[tokio::test]
async fn replay_during_a_running_stream_sends_the_missed_events_then_a_heartbeat() {
    let (server, _dir) = slow_server(3000, |b| b).await;
    let (body, clean, token) = stream(&server, Some("drop-after-events=2")).await;
    assert!(!clean, "the connection was dropped");
    assert_eq!(count_events(&body), 2);
    let resp = resume(&server, RESUME, Some(&token), HeaderMap::new()).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let (body, clean) = read_body(resp).await;
    assert!(clean);
    let frames = frames(&body);
    assert_eq!(frames.len(), 2, "{frames:?}");
    assert_eq!(
        frames[0].json()["payload"]["preview"],
        true,
        "seq 2, the first event after the token"
    );
    assert_eq!(frames[1], Frame::Comment("heartbeat".into()));
}

#[tokio::test]
async fn live_resume_streams_until_completion_and_is_signed_with_its_query() {
    let (server, _dir) = slow_server(600, |b| b.hmac_secret(SECRET)).await;
    let target = "/assist/draft-graph/stream";
    let resp = signed_post(&server.url(), target)
        .header("x-mock-fault", "drop-after-events=2")
        .send()
        .await
        .unwrap();
    let (body, _) = read_body(resp).await;
    let token = events(&body)[1].json()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let live = format!("{RESUME}?mode=live");
    // Signed over the path alone, as the official SDK does: rejected.
    let wrong = resume(
        &server,
        &live,
        Some(&token),
        signed(BodyHashMode::Unbound, "POST", RESUME, b""),
    )
    .await;
    assert_eq!(wrong.status(), StatusCode::FORBIDDEN);
    let resp = resume(
        &server,
        &live,
        Some(&token),
        signed(BodyHashMode::Unbound, "POST", &live, b""),
    )
    .await;
    assert_eq!(resp.status(), StatusCode::OK);
    let (body, clean) = read_body(resp).await;
    assert!(clean);
    let evs = events(&body);
    let names: Vec<&str> = evs.iter().map(Frame::name).collect();
    assert_eq!(
        names,
        ["stage", "complete"],
        "{}",
        String::from_utf8_lossy(&body)
    );
    assert_eq!(evs[0].json()["payload"]["preview"], true);
    assert!(evs[1].json()["graph"].is_object(), "the bare final payload");
    assert!(
        frames(&body).iter().any(|f| matches!(f, Frame::Comment(_))),
        "heartbeats while waiting"
    );
    let journal = server.journal();
    assert_eq!(journal.last().unwrap().target, live);
    assert!(matches!(
        journal.last().unwrap().verdict,
        olumi_mock::Verdict::Hmac { .. }
    ));
}

#[tokio::test]
async fn the_mode_header_selects_live_unless_the_query_says_otherwise() {
    let (server, _dir) = slow_server(400, |b| b).await;
    let mut live_header = HeaderMap::new();
    live_header.insert("x-resume-mode", "live".parse().unwrap());
    let (_, _, token) = stream(&server, Some("drop-after-events=2")).await;
    let (body, _) =
        read_body(resume(&server, RESUME, Some(&token), live_header.clone()).await).await;
    assert!(has_complete(&body), "header live: streams to completion");

    let (_, _, token) = stream(&server, Some("drop-after-events=2")).await;
    let target = format!("{RESUME}?mode=replay");
    let (body, _) = read_body(resume(&server, &target, Some(&token), live_header).await).await;
    assert!(
        !has_complete(&body),
        "the query wins: replay ends before completion"
    );
}

#[tokio::test]
async fn refusals_are_the_services() {
    let server = start(builder().resume_secret(RESUME_SECRET)).await;
    let check = |resp: reqwest::Response, status: StatusCode, expected: &'static str| async move {
        assert_eq!(resp.status(), status);
        let headers = resp.headers().clone();
        let body = resp.bytes().await.unwrap();
        assert_hash(&headers, &body);
        assert_eq!(String::from_utf8(body.to_vec()).unwrap(), expected);
    };
    check(
        resume(&server, RESUME, None, HeaderMap::new()).await,
        StatusCode::BAD_REQUEST,
        r#"{"schema":"error.v1","code":"BAD_INPUT","message":"Missing or invalid X-Resume-Token header"}"#,
    )
    .await;
    check(
        resume(&server, RESUME, Some("not-a-token"), HeaderMap::new()).await,
        StatusCode::UNAUTHORIZED,
        r#"{"schema":"error.v1","code":"BAD_INPUT","message":"Invalid resume token: INVALID_FORMAT"}"#,
    )
    .await;
    let forged =
        ResumeToken::new("x", "DRAFTING", 1, now_ms(), Duration::from_secs(60)).encode("other");
    check(
        resume(&server, RESUME, Some(&forged), HeaderMap::new()).await,
        StatusCode::UNAUTHORIZED,
        r#"{"schema":"error.v1","code":"BAD_INPUT","message":"Invalid resume token: INVALID_SIGNATURE"}"#,
    )
    .await;
    let expired = ResumeToken::new(
        "x",
        "DRAFTING",
        1,
        now_ms() - 120_000,
        Duration::from_secs(60),
    )
    .encode(RESUME_SECRET);
    check(
        resume(&server, RESUME, Some(&expired), HeaderMap::new()).await,
        StatusCode::UNAUTHORIZED,
        r#"{"schema":"error.v1","code":"BAD_INPUT","message":"Invalid resume token: TOKEN_EXPIRED"}"#,
    )
    .await;
    let unknown = ResumeToken::new("gone", "DRAFTING", 1, now_ms(), Duration::from_secs(60))
        .encode(RESUME_SECRET);
    check(
        resume(&server, RESUME, Some(&unknown), HeaderMap::new()).await,
        StatusCode::UPGRADE_REQUIRED,
        r#"{"schema":"error.v1","code":"INTERNAL","message":"Stream state expired, resume not available","details":{"upgrade":"resume=unsupported"}}"#,
    )
    .await;
    let no_secret = start(builder()).await;
    check(
        resume(&no_secret, RESUME, Some(&unknown), HeaderMap::new()).await,
        StatusCode::UNAUTHORIZED,
        r#"{"schema":"error.v1","code":"BAD_INPUT","message":"Invalid resume token: DECODE_ERROR"}"#,
    )
    .await;
}

#[tokio::test]
async fn without_resume_state_every_resume_is_426_and_clients_fall_back() {
    let server = start(builder().resume_secret(RESUME_SECRET).resume_state(false)).await;
    let (_, clean, token) = stream(&server, Some("drop-after-events=2")).await;
    assert!(!clean);
    let resp = resume(&server, RESUME, Some(&token), HeaderMap::new()).await;
    assert_eq!(resp.status(), StatusCode::UPGRADE_REQUIRED);
    assert_eq!(
        json(&resp.bytes().await.unwrap())["details"]["upgrade"],
        "resume=unsupported"
    );
    // What a well-behaved client does next: one fallback to the JSON route.
    let fallback = client()
        .post(format!("{}/assist/draft-graph", server.url()))
        .header("content-type", "application/json")
        .body(BRIEF)
        .send()
        .await
        .unwrap();
    assert_eq!(fallback.status(), StatusCode::OK);
    let trail: Vec<(String, u16)> = server
        .journal()
        .into_iter()
        .map(|e| (e.target, e.status))
        .collect();
    assert_eq!(
        trail,
        [
            ("/assist/draft-graph/stream".to_owned(), 200),
            (RESUME.to_owned(), 426),
            ("/assist/draft-graph".to_owned(), 200)
        ],
        "the client resumed once, then fell back"
    );
    assert_eq!(
        server.journal()[0].fault.as_deref(),
        Some("drop-after-events=2")
    );
}

#[tokio::test]
async fn a_reset_during_resume_is_a_transport_error() {
    let (server, _dir) = slow_server(2000, |b| b).await;
    let (_, _, token) = stream(&server, Some("drop-after-events=2")).await;
    let mut fault = HeaderMap::new();
    fault.insert("x-mock-fault", "reset".parse().unwrap());
    let err = client()
        .post(format!("{}{RESUME}", server.url()))
        .header("x-resume-token", &token)
        .headers(fault)
        .send()
        .await
        .unwrap_err();
    assert!(!err.is_status(), "{err}");
    assert_eq!(
        server.journal().last().unwrap().status,
        0,
        "journaled as no answer"
    );
    // A reset in the middle of the replay: drop after the first replayed event.
    let mut fault = HeaderMap::new();
    fault.insert("x-mock-fault", "drop-after-events=1".parse().unwrap());
    let (body, clean) = read_body(resume(&server, RESUME, Some(&token), fault).await).await;
    assert!(!clean);
    assert_eq!(count_events(&body), 1);
}

#[tokio::test]
async fn quirks_reproduce_the_service_crash_on_an_in_progress_resume() {
    let (server, _dir) = slow_server(2000, |b| b.quirks(true)).await;
    let (_, _, token) = stream(&server, Some("drop-after-events=2")).await;
    let result = client()
        .post(format!("{}{RESUME}", server.url()))
        .header("x-resume-token", &token)
        .send()
        .await;
    assert!(result.is_err(), "the connection is reset");
}
