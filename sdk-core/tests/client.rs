//! The client against a real `olumi-mock` on 127.0.0.1: every endpoint, every auth mode, the
//! retry rules as the server's journal records them, and every stream fault.

use std::collections::HashSet;
use std::time::Duration;

use olumi::models::{
    ClarifyBriefRequest, CritiqueGraphRequest, DraftGraphInput, EvidencePackRequest,
    ExplainDiffRequest, GraphPatch, SuggestOptionsRequest,
};
use olumi::signing::BodyHashMode;
use olumi::{ApiErrorCategory, ApiErrorCode, Client, CompletedVia, Error, ErrorKind, StreamEvent};
use olumi_mock::{AuthMode, FaultInjection, MockServer};

mod common;

use common::{BRIEF, KEY, SECRET, hmac_client_builder, requests_to, server};

fn hmac_client(server: &MockServer, mode: BodyHashMode) -> Client {
    hmac_client_builder(server, mode).build().unwrap()
}

fn fault(server: &MockServer, spec: &str, path: &str) {
    server.inject_fault(FaultInjection::parse(spec).unwrap().path(path));
}

fn input() -> DraftGraphInput {
    DraftGraphInput::new(BRIEF)
}

async fn call_every_endpoint(client: &Client) {
    let health = client.health().await.expect("health");
    assert!(health.ok);
    client.status().await.expect("status");
    let limits = client.limits().await.expect("limits");
    assert_eq!(limits.schema, "limits.v1");
    let draft = client.draft_graph(&input()).await.expect("draft_graph");
    assert!(!draft.graph.nodes.is_empty());
    let options = client
        .suggest_options(&SuggestOptionsRequest::new("Grow revenue in Europe"))
        .await
        .expect("suggest_options");
    assert!(!options.options.is_empty());
    let questions = client
        .clarify_brief(&ClarifyBriefRequest::new(BRIEF))
        .await
        .expect("clarify_brief");
    assert!(!questions.questions.is_empty());
    let critique = client
        .critique_graph(&CritiqueGraphRequest::new(draft.graph.clone()))
        .await
        .expect("critique_graph");
    assert!(!critique.issues.is_empty());
    let diff = client
        .explain_diff(&ExplainDiffRequest::new(GraphPatch::default()))
        .await
        .expect("explain_diff");
    assert!(!diff.rationales.is_empty());
    let zip = client
        .evidence_pack(&EvidencePackRequest::default())
        .await
        .expect("evidence_pack");
    assert_eq!(&zip[..2], b"PK", "a ZIP archive");
    client
        .cee_draft_graph(&input())
        .await
        .expect("cee_draft_graph");
    let echoed: serde_json::Value = client
        .post_json("/assist/v1/draft-graph?schema=v1&note=a%20b%2Bc", &input())
        .await
        .expect("post_json with a signed, percent-encoded query");
    assert!(echoed.is_object());
    let done = drain(client.draft_graph_stream(&input()).await.expect("stream")).await;
    assert_eq!(done.unwrap().1, CompletedVia::Stream);
}

async fn drain(
    mut stream: olumi::DraftGraphStream,
) -> Result<(Vec<StreamEvent>, CompletedVia), Error> {
    let mut events = Vec::new();
    while let Some(event) = stream.next().await {
        let event = event?;
        if let StreamEvent::Complete(done) = &event {
            let via = done.via;
            events.push(event);
            assert!(
                stream.next().await.is_none(),
                "nothing after the final event"
            );
            return Ok((events, via));
        }
        events.push(event);
    }
    panic!("the stream ended without a final event or an error");
}

#[tokio::test]
async fn every_endpoint_with_an_api_key() {
    let server = server(AuthMode::Compat).await;
    let client = Client::builder(server.url()).api_key(KEY).build().unwrap();
    call_every_endpoint(&client).await;
    let journal = server.journal();
    assert!(journal.iter().all(|e| e.status < 400), "{journal:#?}");
    server.shutdown().await;
}

#[tokio::test]
async fn every_endpoint_with_bearer_and_hmac_unbound() {
    let server = server(AuthMode::Compat).await;
    call_every_endpoint(
        &Client::builder(server.url())
            .bearer_token(KEY)
            .build()
            .unwrap(),
    )
    .await;
    call_every_endpoint(&hmac_client(&server, BodyHashMode::Unbound)).await;
    let signed: Vec<_> = server
        .journal()
        .into_iter()
        .filter(|e| e.nonce.is_some())
        .collect();
    assert!(signed.len() >= 12, "{} signed requests", signed.len());
    assert!(signed.iter().all(|e| e.verdict.allowed()), "{signed:#?}");
    server.shutdown().await;
}

#[tokio::test]
async fn every_endpoint_with_hmac_sha256_against_strict_mode() {
    let server = server(AuthMode::Strict).await;
    call_every_endpoint(&hmac_client(&server, BodyHashMode::Sha256)).await;
    server.shutdown().await;
    // The deployed service's form is refused by a body-binding server. (Only a server without
    // API keys answers with the HMAC code: with keys, a failed signature falls back to key auth.)
    let server = MockServer::builder()
        .hmac_secret(SECRET)
        .auth_mode(AuthMode::Strict)
        .start()
        .await
        .unwrap();
    let unbound = hmac_client(&server, BodyHashMode::Unbound);
    let err = unbound.draft_graph(&input()).await.unwrap_err();
    let api = err.as_api().expect("an API error");
    assert_eq!(api.status, 403);
    assert_eq!(api.code, ApiErrorCode::InvalidSignature);
    assert_eq!(api.category(), ApiErrorCategory::Signature);
    server.shutdown().await;
}

#[tokio::test]
async fn wrong_credentials_are_typed_errors() {
    let server = server(AuthMode::Compat).await;
    let err = Client::builder(server.url())
        .api_key("wrong")
        .build()
        .unwrap()
        .limits()
        .await
        .unwrap_err();
    let api = err.as_api().unwrap();
    assert_eq!(
        (api.status, api.category()),
        (403, ApiErrorCategory::Authentication)
    );
    assert!(api.request_id.is_some(), "X-Request-Id is read");
    let err = Client::builder(server.url())
        .build()
        .unwrap()
        .limits()
        .await
        .unwrap_err();
    assert_eq!(err.as_api().unwrap().status, 401);
    server.shutdown().await;
}

#[tokio::test]
async fn retries_are_resigned_with_fresh_nonces_and_one_request_id() {
    let server = server(AuthMode::Compat).await;
    fault(&server, "status=503,times=2", "/assist/draft-graph");
    let client = hmac_client(&server, BodyHashMode::Unbound);
    client
        .draft_graph(&input())
        .await
        .expect("succeeds on the third attempt");
    let journal = server.journal();
    let attempts = requests_to(&journal, "/assist/draft-graph");
    assert_eq!(
        attempts.iter().map(|e| e.status).collect::<Vec<_>>(),
        [503, 503, 200]
    );
    let nonces: HashSet<_> = attempts.iter().map(|e| e.nonce.clone().unwrap()).collect();
    assert_eq!(nonces.len(), 3, "every attempt carries a fresh nonce");
    let ids: HashSet<_> = attempts
        .iter()
        .map(|e| e.request_id.clone().unwrap())
        .collect();
    assert_eq!(ids.len(), 1, "one request id across the attempts of a call");
    server.shutdown().await;
}

#[tokio::test]
async fn retry_after_header_is_waited() {
    let server = server(AuthMode::Compat).await;
    fault(&server, "status=429,retry-after=1,times=1", "/v1/limits");
    let client = hmac_client(&server, BodyHashMode::Unbound);
    client.limits().await.expect("succeeds after the wait");
    let journal = server.journal();
    let attempts = requests_to(&journal, "/v1/limits");
    assert_eq!(attempts.len(), 2);
    let waited = attempts[1].since_start_ms - attempts[0].since_start_ms;
    assert!(
        waited >= 1000.0,
        "waited {waited} ms, the server asked for 1 s"
    );
    server.shutdown().await;
}

#[tokio::test]
async fn retry_after_from_the_body_alone_is_waited() {
    // With quirks on, the mock answers 429 exactly like the service: the wait is only in
    // `details.retry_after_seconds`, with no Retry-After header.
    let server = MockServer::builder()
        .hmac_secret(SECRET)
        .quirks(true)
        .start()
        .await
        .unwrap();
    fault(&server, "status=429,retry-after=1,times=1", "/v1/limits");
    hmac_client(&server, BodyHashMode::Unbound)
        .limits()
        .await
        .expect("succeeds");
    let journal = server.journal();
    let attempts = requests_to(&journal, "/v1/limits");
    assert_eq!(attempts.len(), 2);
    assert!(attempts[1].since_start_ms - attempts[0].since_start_ms >= 1000.0);
    server.shutdown().await;
}

#[tokio::test]
async fn the_services_500_rate_limiter_is_waited_like_a_429() {
    let server = server(AuthMode::Compat).await;
    fault(&server, "status=500,retry-after=1,times=1", "/healthz");
    let client = hmac_client(&server, BodyHashMode::Unbound);
    client.health().await.expect("succeeds after the wait");
    let journal = server.journal();
    let attempts = requests_to(&journal, "/healthz");
    assert_eq!(attempts.len(), 2);
    assert!(attempts[1].since_start_ms - attempts[0].since_start_ms >= 1000.0);
    server.shutdown().await;
}

#[tokio::test]
async fn a_retry_after_above_the_cap_gives_up_at_once() {
    let server = server(AuthMode::Compat).await;
    fault(&server, "status=429,retry-after=3600", "/v1/limits");
    let err = hmac_client(&server, BodyHashMode::Unbound)
        .limits()
        .await
        .unwrap_err();
    let api = err.as_api().unwrap();
    assert_eq!(api.category(), ApiErrorCategory::RateLimit);
    assert_eq!(api.retry_after, Some(Duration::from_secs(3600)));
    assert_eq!(requests_to(&server.journal(), "/v1/limits").len(), 1);
    server.shutdown().await;
}

#[tokio::test]
async fn the_retry_budget_stops_a_storm() {
    let server = server(AuthMode::Compat).await;
    fault(&server, "status=503", "/healthz");
    let client = Client::builder(server.url())
        .retry_budget(2.0, 0.0)
        .retry_policy(olumi::retry::RetryPolicy {
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(2),
            ..Default::default()
        })
        .build()
        .unwrap();
    for _ in 0..10 {
        let err = client.health().await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Api);
    }
    // 10 calls, 2 retries allowed by the policy each, but only 2 tokens in the budget.
    assert_eq!(requests_to(&server.journal(), "/healthz").len(), 12);
    server.shutdown().await;
}

#[tokio::test]
async fn the_total_deadline_ends_a_retry_storm_with_the_deadlines_error() {
    let server = server(AuthMode::Compat).await;
    fault(&server, "status=503", "/healthz");
    let deadline = Duration::from_millis(500);
    let max_retries = 10_000;
    let client = Client::builder(server.url())
        .total_deadline(Some(deadline))
        .retry_budget(1_000_000.0, 0.0)
        .retry_policy(olumi::retry::RetryPolicy {
            max_retries,
            base_delay: Duration::from_millis(20),
            max_delay: Duration::from_millis(20),
            ..Default::default()
        })
        .build()
        .unwrap();
    let err = client.health().await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Timeout {
                phase: olumi::error::TimeoutPhase::Deadline,
                after,
            } if after == deadline
        ),
        "{err:?}"
    );
    assert_eq!(err.kind(), ErrorKind::Timeout);
    // At most 20 ms between attempts over 500 ms: some retries happened, and far fewer than
    // the 10 001 requests max_retries allows.
    let attempts = requests_to(&server.journal(), "/healthz").len();
    assert!(
        (1..=1_000).contains(&attempts),
        "{attempts} requests within the deadline"
    );
    server.shutdown().await;
}

#[tokio::test]
async fn a_tampered_response_is_an_integrity_error_after_one_retry() {
    let server = server(AuthMode::Compat).await;
    fault(&server, "tamper-body", "/assist/draft-graph");
    let err = hmac_client(&server, BodyHashMode::Unbound)
        .draft_graph(&input())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Integrity, "{err}");
    assert_eq!(
        requests_to(&server.journal(), "/assist/draft-graph").len(),
        2
    );
    // With verification off, the same body is accepted.
    let lenient = Client::builder(server.url())
        .hmac_secret(SECRET, BodyHashMode::Unbound)
        .verify_response_hash(false)
        .build()
        .unwrap();
    lenient
        .draft_graph(&input())
        .await
        .expect("accepted without verification");
    server.shutdown().await;
}

#[tokio::test]
async fn a_corrupted_hash_is_retried_once_then_succeeds() {
    let server = server(AuthMode::Compat).await;
    fault(&server, "corrupt-hash,times=1", "/v1/status");
    hmac_client(&server, BodyHashMode::Unbound)
        .status()
        .await
        .expect("second attempt verifies");
    assert_eq!(requests_to(&server.journal(), "/v1/status").len(), 2);
    server.shutdown().await;
}

#[tokio::test]
async fn a_clean_stream_completes_via_stream() {
    let server = server(AuthMode::Compat).await;
    let stream = hmac_client(&server, BodyHashMode::Unbound)
        .draft_graph_stream(&input())
        .await
        .unwrap();
    let (events, via) = drain(stream).await.unwrap();
    assert_eq!(via, CompletedVia::Stream);
    assert!(matches!(events[0], StreamEvent::Stage(_)), "{events:?}");
    assert!(
        events
            .iter()
            .any(|e| matches!(e, StreamEvent::ResumeToken(_)))
    );
    let signed = requests_to(&server.journal(), "/assist/draft-graph/stream")
        .iter()
        .all(|e| e.verdict.allowed());
    assert!(signed);
    server.shutdown().await;
}

fn stages(events: &[StreamEvent]) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| match e {
            StreamEvent::Stage(e) => Some(format!("{:?}:{}", e.stage, e.raw_payload().is_some())),
            StreamEvent::ResumeToken(_) => Some("resume".to_owned()),
            StreamEvent::Complete(_) => Some("complete".to_owned()),
            _ => None,
        })
        .collect()
}

/// The events of a clean stream; then the next stream will drop after its third event.
async fn clean_events_then_a_drop(server: &MockServer) -> Vec<StreamEvent> {
    let clean = drain(
        hmac_client(server, BodyHashMode::Unbound)
            .draft_graph_stream(&input())
            .await
            .unwrap(),
    )
    .await
    .unwrap()
    .0;
    fault(
        server,
        "drop-after-events=3,times=1",
        "/assist/draft-graph/stream",
    );
    clean
}

#[tokio::test]
async fn a_dropped_stream_resumes_once_without_duplicates() {
    let server = server(AuthMode::Compat).await;
    let clean = clean_events_then_a_drop(&server).await;
    let mut stream = hmac_client(&server, BodyHashMode::Unbound)
        .draft_graph_stream(&input())
        .await
        .unwrap();
    let mut events = Vec::new();
    while let Some(event) = stream.next().await {
        events.push(event.unwrap());
    }
    assert_eq!(stages(&events), stages(&clean), "same events, none twice");
    let StreamEvent::Complete(done) = events.last().unwrap() else {
        panic!()
    };
    assert_eq!(done.via, CompletedVia::Resume);
    assert_eq!(stream.summary().resumes, 1);
    let journal = server.journal();
    let resumes = requests_to(&journal, "/assist/draft-graph/resume");
    assert_eq!(resumes.len(), 1);
    assert_eq!(
        resumes[0].target, "/assist/draft-graph/resume?mode=live",
        "live mode, signed with its query"
    );
    assert!(resumes[0].verdict.allowed());
    server.shutdown().await;
}

#[tokio::test]
async fn a_stalled_stream_times_out_then_resumes() {
    let server = server(AuthMode::Compat).await;
    fault(
        &server,
        "stall-after-events=2,times=1",
        "/assist/draft-graph/stream",
    );
    let stream = hmac_client(&server, BodyHashMode::Unbound)
        .draft_graph_stream(&input())
        .await
        .unwrap();
    let (_, via) = drain(stream).await.unwrap();
    assert_eq!(via, CompletedVia::Resume);
    server.shutdown().await;
}

/// A server without shared stream state (a resume answers 426, like the service without Redis)
/// whose next stream drops after two events.
async fn stateless_server_with_a_drop() -> MockServer {
    let server = MockServer::builder()
        .hmac_secret(SECRET)
        .heartbeat(Duration::from_millis(50))
        .resume_state(false)
        .start()
        .await
        .unwrap();
    fault(
        &server,
        "drop-after-events=2,times=1",
        "/assist/draft-graph/stream",
    );
    server
}

#[tokio::test]
async fn resume_426_falls_back_to_the_json_route() {
    // Without shared stream state the server cannot resume, exactly like the service without
    // Redis: the resume answers 426 and the client falls back.
    let server = stateless_server_with_a_drop().await;
    let mut stream = hmac_client(&server, BodyHashMode::Unbound)
        .draft_graph_stream(&input())
        .await
        .unwrap();
    let mut last = None;
    while let Some(event) = stream.next().await {
        last = Some(event.unwrap());
    }
    let Some(StreamEvent::Complete(done)) = last else {
        panic!("{last:?}")
    };
    assert_eq!(done.via, CompletedVia::Fallback);
    assert!(!done.output.graph.nodes.is_empty());
    let summary = stream.summary();
    assert_eq!((summary.resumes, summary.fallback), (1, true));
    let journal = server.journal();
    assert_eq!(
        requests_to(&journal, "/assist/draft-graph/resume")[0].status,
        426
    );
    assert_eq!(requests_to(&journal, "/assist/draft-graph").len(), 1);
    server.shutdown().await;
}

#[tokio::test]
async fn a_reset_during_resume_falls_back() {
    let server = server(AuthMode::Compat).await;
    fault(
        &server,
        "drop-after-events=2,times=1",
        "/assist/draft-graph/stream",
    );
    fault(&server, "reset,times=1", "/assist/draft-graph/resume");
    let stream = hmac_client(&server, BodyHashMode::Unbound)
        .draft_graph_stream(&input())
        .await
        .unwrap();
    let (_, via) = drain(stream).await.unwrap();
    assert_eq!(via, CompletedVia::Fallback);
    server.shutdown().await;
}

#[tokio::test]
async fn invalid_input_answers_400_as_sse_and_is_a_typed_error() {
    let server = server(AuthMode::Compat).await;
    let stream = hmac_client(&server, BodyHashMode::Unbound)
        .draft_graph_stream(&DraftGraphInput::new("too short"))
        .await
        .unwrap();
    let err = drain(stream).await.unwrap_err();
    let api = err.as_api().expect("an API error");
    assert_eq!((api.status, &api.code), (400, &ApiErrorCode::BadInput));
    assert!(requests_to(&server.journal(), "/assist/draft-graph/resume").is_empty());
    server.shutdown().await;
}

#[tokio::test]
async fn a_stream_can_be_cancelled_from_another_task() {
    let server = server(AuthMode::Compat).await;
    fault(
        &server,
        "stall-after-events=1",
        "/assist/draft-graph/stream",
    );
    let mut stream = Client::builder(server.url())
        .hmac_secret(SECRET, BodyHashMode::Unbound)
        .build()
        .unwrap()
        .draft_graph_stream(&input())
        .await
        .unwrap();
    let token = stream.cancel_token();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(100)).await;
        token.cancel();
    });
    let mut saw_cancel = false;
    while let Some(event) = stream.next().await {
        if let Err(e) = event {
            assert_eq!(e.kind(), ErrorKind::Cancelled);
            saw_cancel = true;
        }
    }
    assert!(saw_cancel);
    server.shutdown().await;
}

#[tokio::test]
async fn a_dead_server_is_a_network_error_after_retries() {
    let server = server(AuthMode::Compat).await;
    let url = server.url();
    server.shutdown().await;
    let err = Client::builder(url)
        .retry_policy(olumi::retry::RetryPolicy {
            base_delay: Duration::from_millis(1),
            ..Default::default()
        })
        .build()
        .unwrap()
        .health()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Network, "{err}");
    assert!(err.is_retryable());
}

#[tokio::test]
async fn a_kept_token_resumes_a_finished_stream() {
    let server = server(AuthMode::Compat).await;
    let client = hmac_client(&server, BodyHashMode::Unbound);
    let (events, _) = drain(client.draft_graph_stream(&input()).await.unwrap())
        .await
        .unwrap();
    let token = events
        .iter()
        .find_map(|e| match e {
            StreamEvent::ResumeToken(t) => Some(t.clone()),
            _ => None,
        })
        .expect("a resume token");
    let (_, via) = drain(client.resume(&token, false).await.unwrap())
        .await
        .unwrap();
    assert_eq!(via, CompletedVia::Resume);
    let journal = server.journal();
    let resumes = requests_to(&journal, "/assist/draft-graph/resume");
    assert_eq!(resumes.len(), 1);
    assert_eq!(
        resumes[0].target, "/assist/draft-graph/resume",
        "replay mode: no query"
    );
    server.shutdown().await;
}

#[tokio::test]
async fn a_bad_token_fails_without_fallback() {
    let server = server(AuthMode::Compat).await;
    let client = hmac_client(&server, BodyHashMode::Unbound);
    let mut stream = client.resume("bm90LWEtdG9rZW4", true).await.unwrap();
    let err = stream.next().await.unwrap().unwrap_err();
    assert_eq!(err.as_api().map(|a| a.status), Some(401), "{err}");
    assert!(stream.next().await.is_none());
    assert!(
        requests_to(&server.journal(), "/assist/draft-graph").is_empty(),
        "no fallback without a body"
    );
    server.shutdown().await;
}

/// Reads `stream` as a batching consumer does: wait for one event, then take the events that are
/// ready without waiting. Returns the events and how many came from `next_ready`.
async fn drain_in_batches(mut stream: olumi::DraftGraphStream) -> (Vec<StreamEvent>, usize) {
    let mut events = Vec::new();
    let mut ready = 0;
    while let Some(first) = stream.next().await {
        events.push(first.unwrap());
        while let Some(event) = stream.next_ready() {
            events.push(event.unwrap());
            ready += 1;
        }
    }
    (events, ready)
}

#[tokio::test]
async fn a_large_stream_drained_in_batches_arrives_whole_and_in_order() {
    // Far more than one 16 KiB feed slice, so that one network read spans several slices.
    const EVENTS: u64 = 3000;
    let dir = std::env::temp_dir().join(format!("olumi-batches-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut steps: Vec<String> = (0..EVENTS)
        .map(|i| {
            format!(
                r#"{{"event": "stage", "data": {{"stage": "DRAFTING", "payload": {{"seq": {i}, "note": "drafting the graph"}}}}}}"#
            )
        })
        .collect();
    steps.push(r#"{"event": "stage", "data": {"stage": "COMPLETE", "payload": {"graph": {"version": "1", "nodes": [], "edges": []}, "patch": {}}}}"#.to_owned());
    std::fs::write(
        dir.join("stream.json"),
        format!(
            r#"{{"match": {{"method": "POST", "path": "/assist/draft-graph/stream"}}, "stream": {{"steps": [{}]}}}}"#,
            steps.join(",")
        ),
    )
    .unwrap();
    let server = MockServer::builder()
        .fixtures_dir(&dir)
        .api_key(KEY)
        .start()
        .await
        .unwrap();
    let client = Client::builder(server.url()).api_key(KEY).build().unwrap();
    let (events, ready) =
        drain_in_batches(client.draft_graph_stream(&input()).await.unwrap()).await;
    let seqs: Vec<u64> = events
        .iter()
        .filter_map(|e| match e {
            StreamEvent::Stage(e) => e.payload().unwrap()?["seq"].as_u64(),
            _ => None,
        })
        .collect();
    assert!(
        seqs.iter().copied().eq(0..EVENTS),
        "every event once, in order"
    );
    assert!(matches!(events.last(), Some(StreamEvent::Complete(_))));
    assert_eq!(events.len(), usize::try_from(EVENTS).unwrap() + 1);
    assert!(
        ready * 2 > events.len(),
        "most events were ready without waiting ({ready} of {})",
        events.len()
    );
    server.shutdown().await;
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn draining_in_batches_through_a_drop_and_resume_gives_the_same_events() {
    let server = server(AuthMode::Compat).await;
    let clean = clean_events_then_a_drop(&server).await;
    let client = hmac_client(&server, BodyHashMode::Unbound);
    let (events, _) = drain_in_batches(client.draft_graph_stream(&input()).await.unwrap()).await;
    assert_eq!(stages(&events), stages(&clean), "same events, none twice");
    let Some(StreamEvent::Complete(done)) = events.last() else {
        panic!("{events:?}")
    };
    assert_eq!(done.via, CompletedVia::Resume);
    server.shutdown().await;
}

#[tokio::test]
async fn a_cancel_drops_events_already_read_but_not_delivered() {
    let server = server(AuthMode::Compat).await;
    let mut stream = hmac_client(&server, BodyHashMode::Unbound)
        .draft_graph_stream(&input())
        .await
        .unwrap();
    // The first read holds at least the first two events (DRAFTING and the resume token).
    assert!(stream.next().await.unwrap().is_ok());
    stream.cancel_token().cancel();
    let after: Vec<_> = std::iter::from_fn(|| stream.next_ready()).collect();
    assert_eq!(after.len(), 1, "{after:?}");
    assert_eq!(after[0].as_ref().unwrap_err().kind(), ErrorKind::Cancelled);
    assert!(
        stream.next().await.is_none(),
        "nothing after the cancellation"
    );
    server.shutdown().await;
}

#[tokio::test]
async fn a_next_dropped_during_the_fallback_ends_the_stream_instead_of_spinning() {
    let server = stateless_server_with_a_drop().await;
    // The fallback (after the resume's 426) answers only after 2 s.
    fault(&server, "delay-headers-ms=2000", "/assist/draft-graph");
    let mut stream = hmac_client(&server, BodyHashMode::Unbound)
        .draft_graph_stream(&input())
        .await
        .unwrap();
    let dropped = tokio::time::timeout(Duration::from_millis(1000), async {
        while let Some(event) = stream.next().await {
            event.unwrap();
        }
    })
    .await;
    assert!(dropped.is_err(), "the fallback was still in flight");
    assert!(stream.summary().fallback);
    let ended = tokio::time::timeout(Duration::from_secs(5), stream.next())
        .await
        .expect("next() returns instead of spinning");
    assert_eq!(ended.unwrap().unwrap_err().kind(), ErrorKind::Cancelled);
    assert!(stream.next().await.is_none());
    server.shutdown().await;
}
