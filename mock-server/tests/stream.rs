//! SSE framing on the draft streams: events, resume token, heartbeats, 400-as-SSE, headers.

mod common;

use std::time::Duration;

use common::*;
use olumi_mock::ResumeToken;
use reqwest::StatusCode;

async fn open_stream(server: &olumi_mock::MockServer, path: &str, body: &str) -> reqwest::Response {
    client()
        .post(format!("{}{path}", server.url()))
        .header("content-type", "application/json")
        .header("accept", "text/event-stream")
        .header("x-request-id", "rid-1")
        .body(body.to_owned())
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn draft_stream_is_framed_as_the_service_frames_it() {
    let server = start(
        builder()
            .hmac_secret(SECRET)
            .auth_mode(olumi_mock::AuthMode::Compat),
    )
    .await;
    let resp = signed_post(&server.url(), "/assist/draft-graph/stream")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(header(&resp, "content-type"), Some("text/event-stream"));
    assert_eq!(header(&resp, "cache-control"), Some("no-cache"));
    assert!(
        header(&resp, "x-olumi-response-hash").is_none(),
        "SSE carries no hash"
    );
    assert!(
        header(&resp, "x-request-id").is_none(),
        "SSE carries no X-Request-Id"
    );
    assert!(header(&resp, "x-olumi-degraded").is_none());
    let correlation = header(&resp, "x-correlation-id").unwrap().to_owned();
    assert!(is_uuid_v4(&correlation));
    let (body, clean) = read_body(resp).await;
    assert!(clean);
    let text = String::from_utf8(body.clone()).unwrap();
    assert!(
        text.starts_with(
            "event: stage\ndata: {\"stage\":\"DRAFTING\"}\n\nevent: resume\ndata: {\"token\":\""
        ),
        "{text}"
    );
    assert!(!text.contains("id:") && !text.contains("retry:"));
    let frames = frames(&body);
    let events = events(&body);
    assert_eq!(events.len(), 4, "DRAFTING, resume, preview, COMPLETE");
    let token = events[1].json()["token"].as_str().unwrap().to_owned();
    let decoded = ResumeToken::verify(&token, SECRET, now_ms()).unwrap();
    assert_eq!(
        (
            decoded.request_id.as_str(),
            decoded.step.as_str(),
            decoded.seq
        ),
        (correlation.as_str(), "DRAFTING", 1)
    );
    assert!(
        decoded.expires_at_ms > now_ms() + 14 * 60 * 1000,
        "15 minute TTL"
    );
    let preview = events[2].json();
    assert_eq!(
        (
            preview["stage"].as_str(),
            preview["payload"]["confidence"].as_f64()
        ),
        (Some("DRAFTING"), Some(0.5))
    );
    let complete = events[3].json();
    assert_eq!(complete["stage"], "COMPLETE");
    assert_eq!(
        complete["payload"]["diagnostics"]["correlation_id"],
        correlation.as_str()
    );
    assert_eq!(complete["payload"]["diagnostics"]["resumes"], 0);
    // 400 ms of sleep with 50 ms heartbeats between the preview and COMPLETE.
    let heartbeats = frames
        .iter()
        .filter(|f| **f == Frame::Comment("heartbeat".into()))
        .count();
    assert!(heartbeats >= 4, "{heartbeats} heartbeats");
    assert!(
        matches!(frames.last(), Some(Frame::Event { .. })),
        "no heartbeat after COMPLETE"
    );
}

#[tokio::test]
async fn no_resume_secret_means_no_resume_event() {
    let server = start(builder()).await;
    let (body, _) =
        read_body(open_stream(&server, "/assist/draft-graph/stream", BRIEF).await).await;
    let names: Vec<String> = events(&body).iter().map(|f| f.name().to_owned()).collect();
    assert_eq!(names, ["stage", "stage", "stage"]);
    assert!(has_complete(&body));
}

#[tokio::test]
async fn without_resume_state_streams_say_degraded_but_still_carry_a_token() {
    let server = start(builder().resume_secret("resume-only").resume_state(false)).await;
    let resp = open_stream(&server, "/assist/draft-graph/stream", BRIEF).await;
    assert_eq!(header(&resp, "x-olumi-degraded"), Some("redis"));
    let (body, _) = read_body(resp).await;
    assert_eq!(
        events(&body)[1].name(),
        "resume",
        "the service sends it even without Redis"
    );
}

#[tokio::test]
async fn invalid_input_is_a_400_stream() {
    let server = start(builder()).await;
    let resp = open_stream(
        &server,
        "/assist/draft-graph/stream",
        r#"{"brief":"short"}"#,
    )
    .await;
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    assert_eq!(header(&resp, "content-type"), Some("text/event-stream"));
    let (body, clean) = read_body(resp).await;
    assert!(clean);
    assert_eq!(
        String::from_utf8(body).unwrap(),
        concat!(
            "event: stage\ndata: {\"stage\":\"DRAFTING\"}\n\n",
            "event: stage\ndata: {\"stage\":\"COMPLETE\",\"payload\":{\"schema\":\"error.v1\",\"code\":\"BAD_INPUT\",",
            "\"message\":\"invalid input\",\"details\":{\"formErrors\":[],\"fieldErrors\":{\"brief\":",
            "[\"String must contain at least 30 character(s)\"]}}}}\n\n"
        )
    );
    let missing = open_stream(&server, "/assist/draft-graph/stream", "{}").await;
    let (body, _) = read_body(missing).await;
    assert_eq!(
        events(&body)[1].json()["payload"]["details"]["fieldErrors"]["brief"][0],
        "Required"
    );
    let long = format!(r#"{{"brief":"{}"}}"#, "x".repeat(5001));
    let (body, _) =
        read_body(open_stream(&server, "/assist/draft-graph/stream", &long).await).await;
    assert_eq!(
        events(&body)[1].json()["payload"]["details"]["fieldErrors"]["brief"][0],
        "String must contain at most 5000 character(s)"
    );
}

#[tokio::test]
async fn cee_stream_has_its_headers_and_resume_only_with_state() {
    let with_state = start(builder().hmac_secret(SECRET)).await;
    let resp = signed_post(&with_state.url(), "/assist/v1/draft-graph/stream")
        .header("x-request-id", "cee-rid")
        .send()
        .await
        .unwrap();
    assert_eq!(header(&resp, "x-cee-api-version"), Some("v1"));
    assert_eq!(header(&resp, "x-cee-feature-version"), Some("stream-1.0.0"));
    assert_eq!(header(&resp, "x-cee-request-id"), Some("cee-rid"));
    let (body, _) = read_body(resp).await;
    let names: Vec<String> = events(&body).iter().map(|f| f.name().to_owned()).collect();
    assert_eq!(names, ["stage", "resume", "stage"]);
    assert_eq!(
        events(&body)[2].json()["payload"]["trace"]["request_id"],
        "cee-rid"
    );

    let no_state = start(builder().hmac_secret(SECRET).resume_state(false)).await;
    let resp = signed_post(&no_state.url(), "/assist/v1/draft-graph/stream")
        .send()
        .await
        .unwrap();
    assert_eq!(header(&resp, "x-olumi-degraded"), Some("redis"));
    let (body, _) = read_body(resp).await;
    assert_eq!(count_events(&body), 2, "no resume event without state");

    // Invalid input: 400 with only the COMPLETE event carrying cee.error.v1.
    let invalid = open_stream(&no_state, "/assist/v1/draft-graph/stream", "{}").await;
    assert_eq!(
        invalid.status(),
        StatusCode::UNAUTHORIZED,
        "auth comes first"
    );
    let open = start(builder()).await;
    let invalid = open_stream(&open, "/assist/v1/draft-graph/stream", "{}").await;
    assert_eq!(invalid.status(), StatusCode::BAD_REQUEST);
    let (body, _) = read_body(invalid).await;
    let evs = events(&body);
    assert_eq!(evs.len(), 1);
    assert_eq!(evs[0].json()["payload"]["schema"], "cee.error.v1");
}

#[tokio::test]
async fn heartbeats_flow_while_a_script_sleeps() {
    let dir = TempDir::new();
    dir.write("stream.json", &slow_stream_fixture(10_000));
    let server = start(builder().fixtures_dir(dir.path())).await;
    let mut resp = open_stream(&server, "/assist/draft-graph/stream", BRIEF).await;
    let (body, stop) = read_until(&mut resp, Duration::from_secs(5), |b| {
        frames(b)
            .iter()
            .filter(|f| matches!(f, Frame::Comment(_)))
            .count()
            >= 3
    })
    .await;
    assert_eq!(
        stop,
        ReadStop::Matched,
        "{}",
        String::from_utf8_lossy(&body)
    );
    assert!(String::from_utf8_lossy(&body).contains(": heartbeat\n\n"));
    drop(resp);
    server.shutdown().await;
}

#[tokio::test]
async fn shutdown_ends_open_streams() {
    let dir = TempDir::new();
    dir.write("stream.json", &slow_stream_fixture(60_000));
    let server = start(builder().fixtures_dir(dir.path())).await;
    let mut resp = open_stream(&server, "/assist/draft-graph/stream", BRIEF).await;
    let (_, stop) = read_until(&mut resp, Duration::from_secs(5), |b| count_events(b) >= 2).await;
    assert_eq!(stop, ReadStop::Matched);
    let started = std::time::Instant::now();
    server.shutdown().await;
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "shutdown waited {:?}",
        started.elapsed()
    );
    let (_, stop) = read_until(&mut resp, Duration::from_secs(5), |_| false).await;
    assert_ne!(stop, ReadStop::TimedOut);
}

#[tokio::test]
async fn events_without_pauses_between_them_go_out_in_large_writes() {
    const EVENTS: usize = 2000;
    let steps: Vec<String> = (0..EVENTS)
        .map(|i| format!(r#"{{"event": "stage", "data": {{"stage": "DRAFTING", "seq": {i}}}}}"#))
        .collect();
    let dir = TempDir::new();
    dir.write(
        "stream.json",
        &format!(
            r#"{{"match": {{"method": "POST", "path": "/assist/draft-graph/stream"}}, "stream": {{"steps": [{}]}}}}"#,
            steps.join(",")
        ),
    );
    let server = start(builder().fixtures_dir(dir.path())).await;
    let mut resp = open_stream(&server, "/assist/draft-graph/stream", BRIEF).await;
    let mut body = Vec::new();
    let mut reads = 0;
    while let Some(chunk) = resp.chunk().await.unwrap() {
        body.extend_from_slice(&chunk);
        reads += 1;
    }
    assert_eq!(
        count_events(&body),
        EVENTS,
        "every event, whole and in order"
    );
    let seqs: Vec<u64> = events(&body)
        .iter()
        .map(|e| e.json()["seq"].as_u64().unwrap())
        .collect();
    assert!(seqs.iter().copied().eq(0..EVENTS as u64));
    // One write per event would give this reader (which keeps up) about one event per read.
    assert!(
        reads * 20 <= EVENTS,
        "{reads} reads for {EVENTS} events: the events were not written together"
    );
    server.shutdown().await;
}
