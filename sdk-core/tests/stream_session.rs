//! The stream session (docs/protocol.md section 9.3) driven instant by instant: no sockets, no sleeps. Every
//! instant is `base + Duration`, every response is fed as bytes, and each test checks the exact
//! actions asked for and the exact events delivered.
// The one real clock read per test is the base every instant is offset from.
#![allow(clippy::disallowed_methods)]

use std::time::{Duration, Instant};

use olumi::error::{ApiError, ApiErrorCode, Error, ErrorKind, StreamError};
use olumi::models::{DraftGraphOutput, Stage, StageEvent};
use olumi::retry::ResponseInfo;
use olumi::sse::SseConfig;
use olumi::stream_session::{
    Action, CompletedVia, Completion, FailureCause, Leg, LegFailure, SessionConfig, Start,
    StreamEvent, StreamSession, StreamSummary,
};
use proptest::prelude::*;
use serde_json::value::RawValue;
use serde_json::{Value, json};

// ---------------------------------------------------------------------------------------------
// Transcript building blocks, byte-exact with the service (LF, `event:` then `data:`).
// ---------------------------------------------------------------------------------------------

const TOKEN: &str = "cmVxLTEyMzpEUkFGVElORzoxOjE3MDAwMDA5MDAwMDA6ZDIzYjYzOWExNjY5ZDRmYjc0OWM5NTVkOThlMmMxZWMzZjIyZWU1YzM0YjBlZDgyODM5YWQyNDUyZGIxODFjMg";

fn output_json() -> Value {
    json!({
        "graph": {
            "version": "1", "default_seed": 17,
            "nodes": [{"id": "dec_1", "kind": "decision", "label": "Consider options"},
                      {"id": "goal_1", "kind": "goal", "label": "Achieve primary objective"}],
            "edges": [{"id": "dec_1::goal_1::0", "from": "dec_1", "to": "goal_1"}],
            "meta": {"roots": ["dec_1"], "leaves": ["goal_1"], "suggested_positions": {}, "source": "assistant"}
        },
        "patch": {"adds": {"nodes": [], "edges": []}, "updates": [], "removes": []},
        "rationales": [],
        "issues": ["validate_unreachable"],
        "clarifier_status": "complete",
        "confidence": 0.85,
        "diagnostics": {"resumes": 0, "trims": 0, "recovered_events": 0, "correlation_id": "c-1"}
    })
}

fn output() -> DraftGraphOutput {
    serde_json::from_value(output_json()).expect("the sample output parses")
}

/// A different result, to tell the fallback's answer from the stream's.
fn fallback_output() -> DraftGraphOutput {
    let mut v = output_json();
    v["confidence"] = json!(0.5);
    serde_json::from_value(v).expect("parses")
}

fn event(name: &str, data: &str) -> String {
    format!("event: {name}\ndata: {data}\n\n")
}

fn drafting() -> String {
    event("stage", r#"{"stage":"DRAFTING"}"#)
}

fn preview(n: u32) -> String {
    event(
        "stage",
        &json!({"stage": "DRAFTING", "payload": {"preview": n}}).to_string(),
    )
}

fn resume_event(token: &str) -> String {
    event("resume", &json!({ "token": token }).to_string())
}

fn heartbeat() -> String {
    ": heartbeat\n\n".to_owned()
}

fn complete_stage(payload: &Value) -> String {
    event(
        "stage",
        &json!({"stage": "COMPLETE", "payload": payload}).to_string(),
    )
}

fn complete_bare(payload: &Value) -> String {
    event("complete", &payload.to_string())
}

fn error_v1(code: &str, message: &str) -> Value {
    json!({"schema": "error.v1", "code": code, "message": message})
}

// ---------------------------------------------------------------------------------------------
// A tiny harness: the driver's side, with a virtual clock.
// ---------------------------------------------------------------------------------------------

struct Harness {
    base: Instant,
    s: StreamSession,
}

impl Harness {
    fn new(start: Start, config: SessionConfig) -> Self {
        let base = Instant::now();
        Self {
            base,
            s: StreamSession::new(start, config, base),
        }
    }

    fn stream() -> Self {
        Self::new(Start::Stream, SessionConfig::default())
    }

    fn at(&self, secs: u64) -> Instant {
        self.base + Duration::from_secs(secs)
    }

    /// Takes the next action, which must be `expected`.
    fn expect_action(&mut self, expected: &Action) {
        assert_eq!(self.s.poll_action().as_ref(), Some(expected));
        assert_eq!(self.s.poll_action(), None, "an action is handed out once");
    }

    fn open(&mut self, secs: u64) {
        self.s
            .handle_response(self.at(secs), 200, true, Some("corr-1"));
    }

    fn bytes(&mut self, secs: u64, text: &str) {
        self.s.handle_bytes(self.at(secs), text.as_bytes());
    }

    fn events(&mut self) -> Vec<Result<StreamEvent, Error>> {
        std::iter::from_fn(|| self.s.poll_event()).collect()
    }

    fn ok_events(&mut self) -> Vec<StreamEvent> {
        self.events()
            .into_iter()
            .map(|e| e.expect("no error expected"))
            .collect()
    }
}

fn resume_action(live: bool) -> Action {
    Action::Resume {
        token: TOKEN.to_owned(),
        live,
    }
}

fn stage(stage: Stage) -> StreamEvent {
    StreamEvent::Stage(StageEvent::new(stage, None))
}

fn preview_event(n: u32) -> StreamEvent {
    let payload = RawValue::from_string(json!({ "preview": n }).to_string()).unwrap();
    StreamEvent::Stage(StageEvent::new(Stage::Drafting, Some(payload)))
}

fn token_event() -> StreamEvent {
    StreamEvent::ResumeToken(TOKEN.to_owned())
}

fn completion(event: &StreamEvent) -> &Completion {
    match event {
        StreamEvent::Complete(c) => c,
        other => panic!("expected Complete, got {other:?}"),
    }
}

/// The last event must be the only final one; returns it.
fn split_final(mut events: Vec<StreamEvent>) -> (Vec<StreamEvent>, Completion) {
    let last = events.pop().expect("at least the final event");
    assert!(
        !events.iter().any(|e| matches!(e, StreamEvent::Complete(_))),
        "only the last event is final"
    );
    (events, completion(&last).clone())
}

fn api_error(status: u16, code: &str, message: &str) -> ApiError {
    let body = json!({"schema": "error.v1", "code": code, "message": message}).to_string();
    ApiError::from_response(&ResponseInfo::new(status).with_body(body.as_bytes()), 0)
}

fn reset_error() -> Error {
    Error::network(
        "connection reset",
        std::io::Error::from(std::io::ErrorKind::ConnectionReset),
    )
}

fn assert_finished_forever(h: &mut Harness) {
    assert!(h.s.is_finished());
    let later = h.at(10_000);
    h.s.handle_bytes(later, complete_stage(&output_json()).as_bytes());
    h.s.handle_eof(later);
    h.s.handle_transport_error(later, reset_error());
    h.s.handle_timeout(later);
    h.s.handle_fallback(Ok(output()));
    h.s.handle_response(later, 200, true, None);
    assert_eq!(h.s.poll_action(), None);
    assert!(h.s.poll_event().is_none());
    assert_eq!(h.s.poll_timeout(), None);
}

// ---------------------------------------------------------------------------------------------
// The happy path
// ---------------------------------------------------------------------------------------------

fn clean_transcript() -> String {
    [
        drafting(),
        resume_event(TOKEN),
        preview(1),
        heartbeat(),
        heartbeat(),
        complete_stage(&output_json()),
    ]
    .concat()
}

#[test]
fn clean_completion_via_stream() {
    let mut h = Harness::stream();
    assert_eq!(
        h.s.poll_timeout(),
        None,
        "the first request's headers are the driver's business"
    );
    h.expect_action(&Action::OpenStream);
    h.open(0);
    assert_eq!(h.s.poll_timeout(), Some(h.at(30)));
    h.bytes(1, &clean_transcript());
    assert!(h.s.is_finished());
    let events = h.ok_events();
    let (head, done) = split_final(events);
    assert_eq!(
        head,
        vec![
            stage(Stage::Drafting),
            token_event(),
            preview_event(1),
            StreamEvent::Heartbeat,
            StreamEvent::Heartbeat
        ]
    );
    assert_eq!(done.output, output());
    assert_eq!(done.via, CompletedVia::Stream);
    let mut expected = StreamSummary::default();
    expected.events = 4;
    expected.heartbeats = 2;
    assert_eq!(done.summary, expected);
    assert_eq!(h.s.summary(), &expected);
    h.s.handle_eof(h.at(2));
    assert_finished_forever(&mut h);
}

#[test]
fn any_split_gives_the_same_events() {
    let transcript = clean_transcript();
    let whole = {
        let mut h = Harness::stream();
        h.expect_action(&Action::OpenStream);
        h.open(0);
        h.bytes(0, &transcript);
        h.ok_events()
    };
    let bytes = transcript.as_bytes();
    for cut in 0..=bytes.len() {
        let mut h = Harness::stream();
        h.expect_action(&Action::OpenStream);
        h.open(0);
        h.s.handle_bytes(h.at(0), &bytes[..cut]);
        h.s.handle_bytes(h.at(1), &bytes[cut..]);
        assert_eq!(h.ok_events(), whole, "split at {cut}");
    }
    let mut h = Harness::stream();
    h.expect_action(&Action::OpenStream);
    h.open(0);
    for b in bytes {
        h.s.handle_bytes(h.at(0), std::slice::from_ref(b));
    }
    assert_eq!(h.ok_events(), whole, "one byte at a time");
}

#[test]
fn unknown_event_names_are_delivered_as_other() {
    let mut h = Harness::stream();
    h.expect_action(&Action::OpenStream);
    h.open(0);
    h.bytes(
        0,
        &[
            drafting(),
            event("progress", r#"{"pct":40}"#),
            "data: unnamed\n\n".to_owned(),
            complete_stage(&output_json()),
        ]
        .concat(),
    );
    let (head, done) = split_final(h.ok_events());
    assert_eq!(
        head,
        vec![
            stage(Stage::Drafting),
            StreamEvent::Other {
                event: "progress".into(),
                data: r#"{"pct":40}"#.into()
            },
            StreamEvent::Other {
                event: "message".into(),
                data: "unnamed".into()
            },
        ]
    );
    assert_eq!(done.summary.events, 4);
}

#[test]
fn unknown_stage_names_are_kept() {
    let mut h = Harness::stream();
    h.expect_action(&Action::OpenStream);
    h.open(0);
    h.bytes(
        0,
        &event("stage", r#"{"stage":"REVIEWING","payload":null}"#),
    );
    assert_eq!(h.ok_events(), vec![stage(Stage::Other("REVIEWING".into()))]);
}

// ---------------------------------------------------------------------------------------------
// Resume
// ---------------------------------------------------------------------------------------------

#[test]
fn drop_then_resume_skips_replayed_events() {
    let mut h = Harness::stream();
    h.expect_action(&Action::OpenStream);
    h.open(0);
    h.bytes(
        1,
        &[
            drafting(),
            resume_event(TOKEN),
            preview(1),
            heartbeat(),
            event("note", "n1"),
        ]
        .concat(),
    );
    // A half-received event is lost with the connection; the replay brings it back.
    h.bytes(2, "event: stage\ndata: {\"stage\":\"DRA");
    h.s.handle_eof(h.at(3));
    let before = h.ok_events();
    assert_eq!(before.len(), 5);
    h.expect_action(&resume_action(true));
    h.open(4);
    // The server replays every buffered event after the token's seq: 2 already delivered (the
    // heartbeat is a comment, never buffered), then the new ones. Buffered copies may be trimmed.
    h.bytes(
        5,
        &[
            preview(99),
            event("note", "trimmed"),
            heartbeat(),
            preview(2),
            complete_bare(&output_json()),
        ]
        .concat(),
    );
    let (after, done) = split_final(h.ok_events());
    assert_eq!(after, vec![StreamEvent::Heartbeat, preview_event(2)]);
    assert_eq!(done.via, CompletedVia::Resume);
    assert_eq!(done.output, output());
    let mut expected = StreamSummary::default();
    expected.events = 6;
    expected.heartbeats = 2;
    expected.skipped = 2;
    expected.resumes = 1;
    expected.first_failure = Some(LegFailure {
        leg: Leg::Stream,
        cause: FailureCause::Truncated { events: 4 },
    });
    assert_eq!(done.summary, expected);
    assert_finished_forever(&mut h);
}

#[test]
fn a_newer_token_wins_and_restarts_the_count() {
    let mut h = Harness::new(Start::Stream, SessionConfig::new().with_resume_live(false));
    h.expect_action(&Action::OpenStream);
    h.open(0);
    h.bytes(
        0,
        &[
            drafting(),
            resume_event("old"),
            preview(1),
            resume_event(TOKEN),
            preview(2),
        ]
        .concat(),
    );
    h.s.handle_transport_error(h.at(1), reset_error());
    assert_eq!(h.ok_events().len(), 5);
    h.expect_action(&resume_action(false));
    h.open(1);
    h.bytes(
        2,
        &[preview(2), preview(3), complete_bare(&output_json())].concat(),
    );
    let (after, done) = split_final(h.ok_events());
    assert_eq!(after, vec![preview_event(3)]);
    assert_eq!(done.summary.skipped, 1);
    assert_eq!(
        done.summary.first_failure.map(|f| f.cause),
        Some(FailureCause::Transport {
            message: reset_error().to_string()
        })
    );
}

#[test]
fn the_final_event_is_never_skipped() {
    // The server's buffer was trimmed: it replays fewer events than we delivered.
    let mut h = Harness::stream();
    h.expect_action(&Action::OpenStream);
    h.open(0);
    h.bytes(
        0,
        &[drafting(), resume_event(TOKEN), preview(1), preview(2)].concat(),
    );
    h.s.handle_eof(h.at(1));
    h.expect_action(&resume_action(true));
    h.open(1);
    h.bytes(1, &complete_bare(&output_json()));
    let (head, done) = split_final(h.ok_events());
    assert_eq!(head.len(), 4);
    assert_eq!(done.via, CompletedVia::Resume);
    assert_eq!(done.summary.skipped, 0);
}

#[test]
fn a_complete_stage_on_the_resume_stream_also_ends_it() {
    let mut h = Harness::stream();
    h.expect_action(&Action::OpenStream);
    h.open(0);
    h.bytes(0, &[drafting(), resume_event(TOKEN)].concat());
    h.s.handle_eof(h.at(1));
    h.expect_action(&resume_action(true));
    h.open(1);
    h.bytes(1, &complete_stage(&output_json()));
    let (_, done) = split_final(h.ok_events());
    assert_eq!(done.via, CompletedVia::Resume);
}

#[test]
fn stall_until_the_idle_deadline_resumes() {
    let mut h = Harness::stream();
    h.expect_action(&Action::OpenStream);
    h.open(0);
    h.bytes(1, &[drafting(), resume_event(TOKEN)].concat());
    assert_eq!(h.s.poll_timeout(), Some(h.at(31)));
    h.s.handle_timeout(h.at(30));
    assert_eq!(h.s.poll_action(), None, "an early wake-up does nothing");
    h.s.handle_timeout(h.at(31));
    h.expect_action(&resume_action(true));
    assert_eq!(
        h.s.summary().first_failure,
        Some(LegFailure {
            leg: Leg::Stream,
            cause: FailureCause::IdleTimeout {
                after: Duration::from_secs(30)
            }
        })
    );
    // The resume's own idle timer already runs while its headers are awaited.
    assert_eq!(h.s.poll_timeout(), Some(h.at(61)));
    h.open(32);
    assert_eq!(h.s.poll_timeout(), Some(h.at(62)));
    h.bytes(33, &complete_bare(&output_json()));
    let (_, done) = split_final(h.ok_events());
    assert_eq!(done.via, CompletedVia::Resume);
    assert_eq!(h.s.poll_timeout(), None);
}

#[test]
fn heartbeats_keep_the_stream_alive() {
    let mut h = Harness::stream();
    h.expect_action(&Action::OpenStream);
    h.open(0);
    h.bytes(0, &[drafting(), resume_event(TOKEN)].concat());
    for t in (10..=120).step_by(10) {
        // The driver wakes up at the deadline only; check that every wake-up before it is void.
        h.s.handle_timeout(h.at(t));
        h.bytes(t, &heartbeat());
        assert_eq!(h.s.poll_timeout(), Some(h.at(t + 30)));
        assert_eq!(h.s.poll_action(), None);
    }
    h.bytes(125, &complete_stage(&output_json()));
    let (head, done) = split_final(h.ok_events());
    assert_eq!(head.len(), 2 + 12);
    assert_eq!(done.via, CompletedVia::Stream);
    assert_eq!(done.summary.heartbeats, 12);
    assert_eq!(done.summary.resumes, 0);
}

#[test]
fn an_empty_chunk_is_not_activity() {
    let mut h = Harness::stream();
    h.expect_action(&Action::OpenStream);
    h.open(0);
    h.s.handle_bytes(h.at(20), b"");
    assert_eq!(h.s.poll_timeout(), Some(h.at(30)));
}

// ---------------------------------------------------------------------------------------------
// Fallback
// ---------------------------------------------------------------------------------------------

/// A session that received DRAFTING and the token, then dropped; the resume is now due.
fn dropped_with_token(config: SessionConfig) -> Harness {
    let mut h = Harness::new(Start::Stream, config);
    h.expect_action(&Action::OpenStream);
    h.open(0);
    h.bytes(0, &[drafting(), resume_event(TOKEN), preview(1)].concat());
    h.s.handle_eof(h.at(1));
    assert_eq!(h.ok_events().len(), 3);
    h
}

fn finish_with_fallback(h: &mut Harness) -> Completion {
    h.expect_action(&Action::Fallback);
    assert_eq!(
        h.s.poll_timeout(),
        None,
        "the fallback is under the driver's retry policy"
    );
    h.s.handle_fallback(Ok(fallback_output()));
    let (head, done) = split_final(h.ok_events());
    assert!(head.is_empty());
    assert_eq!(done.via, CompletedVia::Fallback);
    assert_eq!(done.output, fallback_output());
    assert!(done.summary.fallback);
    assert_finished_forever(h);
    done
}

#[test]
fn resume_426_falls_back() {
    let mut h = dropped_with_token(SessionConfig::default());
    h.expect_action(&resume_action(true));
    h.s.handle_response(h.at(2), 426, false, Some("req-9"));
    let done = finish_with_fallback(&mut h);
    assert_eq!(done.summary.resumes, 1);
    assert_eq!(
        done.summary.events, 4,
        "DRAFTING, token, preview, and the fallback's result"
    );
    assert_eq!(
        done.summary.resume_failure,
        Some(LegFailure {
            leg: Leg::Resume,
            cause: FailureCause::Status {
                status: 426,
                message: "HTTP status 426".into()
            }
        })
    );
    assert_eq!(
        done.summary.first_failure.map(|f| f.cause),
        Some(FailureCause::Truncated { events: 3 })
    );
}

#[test]
fn resume_error_status_labelled_sse_still_falls_back() {
    let mut h = dropped_with_token(SessionConfig::default());
    h.expect_action(&resume_action(true));
    h.s.handle_response(h.at(2), 401, true, None);
    let done = finish_with_fallback(&mut h);
    assert!(matches!(
        done.summary.resume_failure.map(|f| f.cause),
        Some(FailureCause::Status { status: 401, .. })
    ));
}

#[test]
fn resume_error_body_falls_back_with_its_message() {
    let mut h = dropped_with_token(SessionConfig::default());
    h.expect_action(&resume_action(true));
    h.s.handle_error_response(
        h.at(2),
        api_error(401, "BAD_INPUT", "Invalid resume token: TOKEN_EXPIRED"),
    );
    let done = finish_with_fallback(&mut h);
    assert_eq!(
        done.summary.resume_failure.map(|f| f.cause),
        Some(FailureCause::Status {
            status: 401,
            message: "Invalid resume token: TOKEN_EXPIRED".into()
        })
    );
}

#[test]
fn resume_that_is_not_an_event_stream_falls_back() {
    let mut h = dropped_with_token(SessionConfig::default());
    h.expect_action(&resume_action(true));
    h.s.handle_response(h.at(2), 200, false, None);
    let done = finish_with_fallback(&mut h);
    assert_eq!(
        done.summary.resume_failure.map(|f| f.cause),
        Some(FailureCause::NotEventStream { status: 200 })
    );
}

#[test]
fn resume_reset_falls_back() {
    // The current service crashes on a resume of an in-progress stream: the client sees a reset.
    let mut h = dropped_with_token(SessionConfig::default());
    h.expect_action(&resume_action(true));
    h.s.handle_transport_error(h.at(2), reset_error());
    let done = finish_with_fallback(&mut h);
    assert!(matches!(
        done.summary.resume_failure.map(|f| f.cause),
        Some(FailureCause::Transport { .. })
    ));
}

#[test]
fn resume_reset_mid_body_falls_back() {
    let mut h = dropped_with_token(SessionConfig::default());
    h.expect_action(&resume_action(true));
    h.open(2);
    h.bytes(3, &preview(2));
    h.s.handle_transport_error(h.at(4), reset_error());
    finish_with_fallback(&mut h);
}

#[test]
fn replay_mode_resume_ending_without_complete_falls_back() {
    let mut h = dropped_with_token(SessionConfig::new().with_resume_live(false));
    h.expect_action(&resume_action(false));
    h.open(2);
    // Replay of a stream still in progress: the buffered events after the token, a heartbeat, EOF.
    h.bytes(2, &[preview(1), heartbeat()].concat());
    h.s.handle_eof(h.at(3));
    let events = h.ok_events();
    assert_eq!(
        events,
        vec![StreamEvent::Heartbeat],
        "the replayed preview was skipped"
    );
    let done = finish_with_fallback(&mut h);
    assert_eq!(done.summary.skipped, 1);
    assert_eq!(
        done.summary.resume_failure.map(|f| f.cause),
        Some(FailureCause::Truncated { events: 3 })
    );
}

#[test]
fn resume_idle_timeout_falls_back() {
    let mut h = dropped_with_token(SessionConfig::default());
    h.expect_action(&resume_action(true));
    // No headers at all: the resume's timer started when it became due (t = 1).
    h.s.handle_timeout(h.at(31));
    finish_with_fallback(&mut h);
}

#[test]
fn no_token_then_eof_falls_back_directly() {
    let mut h = Harness::stream();
    h.expect_action(&Action::OpenStream);
    h.open(0);
    h.bytes(0, &drafting());
    h.s.handle_eof(h.at(5));
    assert_eq!(h.ok_events(), vec![stage(Stage::Drafting)]);
    let done = finish_with_fallback(&mut h);
    assert_eq!(done.summary.resumes, 0);
    assert_eq!(done.summary.resume_failure, None);
}

#[test]
fn no_token_then_idle_timeout_falls_back() {
    let mut h = Harness::stream();
    h.expect_action(&Action::OpenStream);
    h.open(0);
    h.s.handle_timeout(h.at(30));
    finish_with_fallback(&mut h);
}

#[test]
fn a_first_stream_that_is_not_sse_falls_back() {
    let mut h = Harness::stream();
    h.expect_action(&Action::OpenStream);
    h.s.handle_response(h.at(0), 200, false, None);
    finish_with_fallback(&mut h);
}

#[test]
fn a_failed_fallback_is_the_final_error_and_the_cause_is_kept() {
    let mut h = dropped_with_token(SessionConfig::default());
    h.expect_action(&resume_action(true));
    h.s.handle_response(h.at(2), 426, false, None);
    h.expect_action(&Action::Fallback);
    h.s.handle_fallback(Err(api_error(503, "INTERNAL", "overloaded").into()));
    let events = h.events();
    assert_eq!(events.len(), 1);
    let Err(Error::Api(api)) = &events[0] else {
        panic!("expected the fallback's API error, got {events:?}");
    };
    assert_eq!((api.status, api.message.as_str()), (503, "overloaded"));
    let summary = h.s.summary();
    assert_eq!(
        summary.first_failure,
        Some(LegFailure {
            leg: Leg::Stream,
            cause: FailureCause::Truncated { events: 3 }
        })
    );
    assert_eq!(
        summary.resume_failure.as_ref().map(|f| f.leg),
        Some(Leg::Resume)
    );
    assert!(summary.fallback);
    assert_finished_forever(&mut h);
}

#[test]
fn exactly_one_resume_and_one_fallback() {
    let mut h = dropped_with_token(SessionConfig::default());
    h.expect_action(&resume_action(true));
    h.open(2);
    // The resume stream hands out a new token, then drops too: no second resume.
    // (preview 1 is the replay of an event already delivered, skipped.)
    h.bytes(3, &[preview(1), resume_event("another")].concat());
    h.s.handle_eof(h.at(4));
    h.expect_action(&Action::Fallback);
    // A confused driver reporting stream things now changes nothing.
    h.s.handle_response(h.at(5), 200, true, None);
    h.s.handle_eof(h.at(5));
    h.s.handle_transport_error(h.at(5), reset_error());
    h.s.handle_timeout(h.at(500));
    assert_eq!(h.s.poll_action(), None);
    h.s.handle_fallback(Err(reset_error()));
    let events = h.events();
    assert!(
        matches!(events.as_slice(), [Ok(StreamEvent::ResumeToken(t)), Err(Error::Network { .. })] if t == "another")
    );
    let summary = h.s.summary();
    assert_eq!((summary.resumes, summary.fallback), (1, true));
    assert_finished_forever(&mut h);
}

// ---------------------------------------------------------------------------------------------
// Definitive answers: no resume, no fallback
// ---------------------------------------------------------------------------------------------

fn assert_no_recovery(h: &mut Harness) {
    assert_eq!(h.s.poll_action(), None);
    assert_eq!(h.s.summary().resumes, 0);
    assert!(!h.s.summary().fallback);
    assert_finished_forever(h);
}

#[test]
fn invalid_input_400_as_sse_is_an_api_error() {
    let mut h = Harness::stream();
    h.expect_action(&Action::OpenStream);
    h.s.handle_response(h.at(0), 400, true, Some("corr-400"));
    let payload = json!({"schema":"error.v1","code":"BAD_INPUT","message":"invalid input",
        "details":{"formErrors":[],"fieldErrors":{"brief":["String must contain at least 30 character(s)"]}}});
    h.bytes(0, &[drafting(), complete_stage(&payload)].concat());
    let events = h.events();
    assert!(matches!(
        &events[0],
        Ok(StreamEvent::Stage(StageEvent {
            stage: Stage::Drafting,
            ..
        }))
    ));
    let Err(Error::Api(api)) = &events[1] else {
        panic!("expected an API error, got {events:?}");
    };
    assert_eq!(api.status, 400);
    assert_eq!(api.code, ApiErrorCode::BadInput);
    assert_eq!(api.request_id.as_deref(), Some("corr-400"));
    assert!(api.details.is_some());
    assert_eq!(events.len(), 2);
    h.s.handle_eof(h.at(1));
    assert_no_recovery(&mut h);
}

#[test]
fn error_payload_at_http_200_is_an_api_error() {
    let mut h = Harness::stream();
    h.expect_action(&Action::OpenStream);
    h.open(0);
    let mut payload = error_v1("INTERNAL", "pipeline failed");
    payload["diagnostics"] =
        json!({"resumes":0,"trims":0,"recovered_events":0,"correlation_id":"c"});
    h.bytes(
        0,
        &[drafting(), resume_event(TOKEN), complete_stage(&payload)].concat(),
    );
    let mut events = h.events();
    let Some(Err(Error::Api(api))) = events.pop() else {
        panic!("expected an API error last");
    };
    assert_eq!(
        (api.status, api.code.clone()),
        (200, ApiErrorCode::Internal)
    );
    assert_eq!(api.message, "pipeline failed");
    assert_eq!(api.request_id.as_deref(), Some("corr-1"));
    assert_no_recovery(&mut h);
}

#[test]
fn cee_error_payload_on_a_resume_is_an_api_error() {
    let mut h = dropped_with_token(SessionConfig::default());
    h.expect_action(&resume_action(true));
    h.open(2);
    let payload =
        json!({"schema":"cee.error.v1","code":"CEE_TIMEOUT","message":"slow","retryable":true});
    h.bytes(2, &complete_bare(&payload));
    let events = h.events();
    let [Err(Error::Api(api))] = events.as_slice() else {
        panic!("expected one API error, got {events:?}");
    };
    assert_eq!(api.code, ApiErrorCode::Other("CEE_TIMEOUT".into()));
    assert_eq!(
        h.s.poll_action(),
        None,
        "no fallback after a definitive answer"
    );
    assert!(!h.s.summary().fallback);
}

#[test]
fn malformed_stage_data_is_a_decode_error() {
    for data in [
        r#"{"stage":"DRAFTING""#,
        r#"{"payload":{}}"#,
        r#"{"stage":17}"#,
        r#"{"stage":"COMPLETE"}"#,
    ] {
        let mut h = Harness::stream();
        h.expect_action(&Action::OpenStream);
        h.open(0);
        h.bytes(
            0,
            &[
                drafting(),
                resume_event(TOKEN),
                event("stage", data),
                preview(1),
            ]
            .concat(),
        );
        let mut events = h.events();
        assert_eq!(events.len(), 3, "{data}: nothing after the error");
        let Some(Err(Error::Stream(StreamError::MalformedEvent { event, .. }))) = events.pop()
        else {
            panic!("{data}: expected MalformedEvent");
        };
        assert_eq!(event, "stage");
        assert_no_recovery(&mut h);
    }
}

#[test]
fn malformed_resume_data_and_final_payload_are_decode_errors() {
    for (transcript, name) in [
        (event("resume", r#"{"tok":"x"}"#), "resume"),
        (complete_stage(&json!({"graph": 5})), "stage"),
        (event("complete", "not json"), "complete"),
    ] {
        let mut h = Harness::stream();
        h.expect_action(&Action::OpenStream);
        h.open(0);
        h.bytes(0, &transcript);
        let events = h.events();
        let [Err(Error::Stream(StreamError::MalformedEvent { event, .. }))] = events.as_slice()
        else {
            panic!("{name}: expected MalformedEvent, got {events:?}");
        };
        assert_eq!(event, name);
        assert_no_recovery(&mut h);
    }
}

#[test]
fn an_sse_limit_crossed_is_a_decode_error() {
    let config = SessionConfig::new().with_sse(SseConfig::new().with_max_line_len(64));
    let mut h = Harness::new(Start::Stream, config);
    h.expect_action(&Action::OpenStream);
    h.open(0);
    h.bytes(0, &[drafting(), resume_event(TOKEN)].concat());
    let events = h.events();
    assert!(
        matches!(
            events.as_slice(),
            [Ok(_), Err(Error::Stream(StreamError::Sse(_)))]
        ),
        "{events:?}"
    );
    assert_no_recovery(&mut h);
}

#[test]
fn an_http_error_on_the_first_stream_is_final() {
    let mut h = Harness::stream();
    h.expect_action(&Action::OpenStream);
    h.s.handle_response(h.at(0), 503, false, Some("req-7"));
    let events = h.events();
    let [Err(Error::Api(api))] = events.as_slice() else {
        panic!("expected one API error, got {events:?}");
    };
    assert_eq!(api.status, 503);
    assert_eq!(api.message, "HTTP status 503");
    assert_eq!(api.request_id.as_deref(), Some("req-7"));
    assert_no_recovery(&mut h);

    let mut h = Harness::stream();
    h.expect_action(&Action::OpenStream);
    h.s.handle_error_response(h.at(0), api_error(401, "FORBIDDEN", "Missing API key."));
    assert!(matches!(h.events().as_slice(), [Err(Error::Api(api))] if api.status == 401));
    assert_no_recovery(&mut h);
}

#[test]
fn cancellation_ends_the_session_at_once() {
    let mut h = dropped_with_token(SessionConfig::default());
    h.expect_action(&resume_action(true));
    h.open(2);
    h.s.handle_transport_error(h.at(3), Error::Cancelled);
    assert!(matches!(h.events().as_slice(), [Err(Error::Cancelled)]));
    assert!(!h.s.summary().fallback);
    assert_finished_forever(&mut h);
}

// ---------------------------------------------------------------------------------------------
// A session started from a bare token
// ---------------------------------------------------------------------------------------------

/// What the driver reports in one test case.
type Step = dyn Fn(&mut Harness);

fn from_token(live: bool) -> Harness {
    let mut h = Harness::new(
        Start::Resume {
            token: TOKEN.to_owned(),
        },
        SessionConfig::new().with_resume_live(live),
    );
    assert_eq!(h.s.poll_timeout(), Some(h.at(30)));
    h.expect_action(&resume_action(live));
    h
}

#[test]
fn start_resume_completes_via_resume() {
    let mut h = from_token(true);
    h.open(1);
    h.bytes(
        2,
        &[preview(1), heartbeat(), complete_bare(&output_json())].concat(),
    );
    let (head, done) = split_final(h.ok_events());
    assert_eq!(
        head,
        vec![preview_event(1), StreamEvent::Heartbeat],
        "nothing is skipped"
    );
    assert_eq!(done.via, CompletedVia::Resume);
    assert_eq!(done.summary.resumes, 1);
    assert_eq!(done.summary.skipped, 0);
}

#[test]
fn start_resume_failures_are_errors_without_fallback() {
    let cases: Vec<(&str, Box<Step>, ErrorKind)> = vec![
        (
            "426",
            Box::new(|h| h.s.handle_response(h.at(1), 426, false, None)),
            ErrorKind::Api,
        ),
        (
            "426 with body",
            Box::new(|h| {
                h.s.handle_error_response(
                    h.at(1),
                    api_error(426, "INTERNAL", "Stream state expired"),
                )
            }),
            ErrorKind::Api,
        ),
        (
            "not SSE",
            Box::new(|h| h.s.handle_response(h.at(1), 200, false, None)),
            ErrorKind::Decode,
        ),
        (
            "reset",
            Box::new(|h| h.s.handle_transport_error(h.at(1), reset_error())),
            ErrorKind::Network,
        ),
        (
            "idle before headers",
            Box::new(|h| h.s.handle_timeout(h.at(30))),
            ErrorKind::Stream,
        ),
        (
            "heartbeat then EOF",
            Box::new(|h| {
                h.open(1);
                h.bytes(1, &heartbeat());
                h.s.handle_eof(h.at(2));
            }),
            ErrorKind::Stream,
        ),
        (
            "idle after headers",
            Box::new(|h| {
                h.open(1);
                h.s.handle_timeout(h.at(31));
            }),
            ErrorKind::Stream,
        ),
    ];
    for (name, act, kind) in cases {
        let mut h = from_token(true);
        act(&mut h);
        let last = h
            .events()
            .pop()
            .unwrap_or_else(|| panic!("{name}: no final event"));
        let error = last.expect_err(name);
        assert_eq!(error.kind(), kind, "{name}: {error}");
        assert_eq!(
            h.s.poll_action(),
            None,
            "{name}: no fallback without a request body"
        );
        assert!(!h.s.summary().fallback, "{name}");
        assert_eq!(
            h.s.summary().first_failure.as_ref().map(|f| f.leg),
            Some(Leg::Resume),
            "{name}"
        );
        assert_finished_forever(&mut h);
    }
    // The stream errors name their cause.
    let mut h = from_token(true);
    h.open(1);
    h.s.handle_timeout(h.at(31));
    assert!(matches!(
        h.events().pop(),
        Some(Err(Error::Stream(StreamError::IdleTimeout { after }))) if after == Duration::from_secs(30)
    ));
    let mut h = from_token(false);
    h.open(1);
    h.s.handle_eof(h.at(2));
    assert!(matches!(
        h.events().pop(),
        Some(Err(Error::Stream(StreamError::Truncated { events: 0 })))
    ));
}

// ---------------------------------------------------------------------------------------------
// Illegal sequences are harmless
// ---------------------------------------------------------------------------------------------

#[test]
fn inputs_out_of_turn_are_ignored() {
    let mut h = Harness::stream();
    // Before the action was taken: no response, no bytes, no timer.
    h.s.handle_response(h.at(0), 200, true, None);
    h.bytes(0, &clean_transcript());
    h.s.handle_fallback(Ok(output()));
    h.s.handle_timeout(h.at(1000));
    assert!(h.s.poll_event().is_none());
    assert!(!h.s.is_finished());
    h.expect_action(&Action::OpenStream);
    // Bytes before the headers are ignored too.
    h.bytes(0, &drafting());
    assert!(h.s.poll_event().is_none());
    h.open(0);
    h.bytes(0, &clean_transcript());
    let (_, done) = split_final(h.ok_events());
    assert_eq!(done.via, CompletedVia::Stream);
}

#[test]
fn bytes_after_the_final_event_in_the_same_chunk_are_ignored() {
    let mut h = Harness::stream();
    h.expect_action(&Action::OpenStream);
    h.open(0);
    h.bytes(
        0,
        &[complete_stage(&output_json()), preview(1), heartbeat()].concat(),
    );
    let events = h.ok_events();
    assert_eq!(events.len(), 1);
    assert_eq!(completion(&events[0]).summary.events, 1);
    assert_finished_forever(&mut h);
}

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

/// One event of a random transcript between the token and COMPLETE.
#[derive(Debug, Clone)]
enum Piece {
    Preview(u32),
    Heartbeat,
    Note(String),
}

impl Piece {
    fn wire(&self) -> String {
        match self {
            Self::Preview(n) => preview(*n),
            Self::Heartbeat => heartbeat(),
            Self::Note(text) => event("note", text),
        }
    }

    /// Whether the server buffers it (and so replays it): events yes, comments no.
    fn is_event(&self) -> bool {
        !matches!(self, Self::Heartbeat)
    }
}

fn piece() -> impl Strategy<Value = Piece> {
    prop_oneof![
        (0u32..1000).prop_map(Piece::Preview),
        Just(Piece::Heartbeat),
        "[a-z{}\":, ]{0,12}".prop_map(Piece::Note),
    ]
}

/// How the first connection ends early.
#[derive(Debug, Clone, Copy)]
enum Cut {
    Eof,
    Reset,
    Idle,
}

/// Feeds `bytes` in chunks cut at `cuts` (fractions of the length).
fn feed_chunked(s: &mut StreamSession, now: Instant, bytes: &[u8], cuts: &[f64]) {
    let mut points: Vec<usize> = cuts
        .iter()
        .map(|c| (c * bytes.len() as f64) as usize)
        .collect();
    points.push(0);
    points.push(bytes.len());
    points.sort_unstable();
    for w in points.windows(2) {
        s.handle_bytes(now, &bytes[w[0]..w[1]]);
    }
}

/// A comparable form of an event: the final one without its route and counts.
fn comparable(event: StreamEvent) -> Option<String> {
    match event {
        StreamEvent::Heartbeat => None,
        StreamEvent::Complete(c) => Some(format!("Complete({:?})", c.output)),
        other => Some(format!("{other:?}")),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Drop anywhere after the token, resume with a correct replay: the consumer sees exactly
    /// the events of an uninterrupted run (heartbeats aside), once each, in order.
    #[test]
    fn resume_with_replay_equals_an_uninterrupted_run(
        pieces in prop::collection::vec(piece(), 0..12),
        drop_at in 0.0f64..1.0,
        cut_kind in prop_oneof![Just(Cut::Eof), Just(Cut::Reset), Just(Cut::Idle)],
        cuts1 in prop::collection::vec(0.0f64..1.0, 0..6),
        cuts2 in prop::collection::vec(0.0f64..1.0, 0..6),
        live: bool,
    ) {
        let head = [drafting(), resume_event(TOKEN)].concat();
        let body: Vec<String> = pieces.iter().map(Piece::wire).collect();
        let tail = complete_stage(&output_json());
        let full = [head.clone(), body.concat(), tail.clone()].concat();

        let base = Instant::now();
        let mut reference = StreamSession::new(Start::Stream, SessionConfig::default(), base);
        prop_assert_eq!(reference.poll_action(), Some(Action::OpenStream));
        reference.handle_response(base, 200, true, None);
        reference.handle_bytes(base, full.as_bytes());
        let expected: Vec<String> =
            std::iter::from_fn(|| reference.poll_event()).map(|e| e.expect("ok")).filter_map(comparable).collect();

        // Cut somewhere from the end of the token event to just before COMPLETE's last byte (its
        // blank line dispatches it).
        let lo = head.len();
        let hi = full.len() - 1;
        let cut = lo + ((hi - lo) as f64 * drop_at) as usize;
        let config = SessionConfig::new().with_resume_live(live);
        let mut s = StreamSession::new(Start::Stream, config, base);
        prop_assert_eq!(s.poll_action(), Some(Action::OpenStream));
        s.handle_response(base, 200, true, None);
        feed_chunked(&mut s, base, &full.as_bytes()[..cut], &cuts1);
        let t1 = base + Duration::from_secs(1);
        match cut_kind {
            Cut::Eof => s.handle_eof(t1),
            Cut::Reset => s.handle_transport_error(t1, reset_error()),
            Cut::Idle => s.handle_timeout(base + Duration::from_secs(30)),
        }
        prop_assert_eq!(s.poll_action(), Some(Action::Resume { token: TOKEN.to_owned(), live }));

        // The server replays every buffered event after the token (fully sent or not), then the
        // bare final payload.
        let replay: String = pieces.iter().filter(|p| p.is_event()).map(Piece::wire).collect::<String>()
            + &complete_bare(&output_json());
        let t2 = base + Duration::from_secs(40);
        s.handle_response(t2, 200, true, None);
        feed_chunked(&mut s, t2, replay.as_bytes(), &cuts2);

        let mut got = Vec::new();
        let mut last_via = None;
        while let Some(event) = s.poll_event() {
            let event = event.expect("no error");
            if let StreamEvent::Complete(c) = &event {
                last_via = Some(c.via);
            }
            got.extend(comparable(event));
        }
        prop_assert_eq!(got, expected);
        prop_assert_eq!(last_via, Some(CompletedVia::Resume));
        prop_assert_eq!(s.poll_action(), None);
        prop_assert!(s.is_finished());
    }

    /// Any sequence of driver calls: no panic, at most one resume and one fallback, nothing after
    /// the final event, and the final event is last.
    #[test]
    fn any_call_sequence_is_harmless(
        calls in prop::collection::vec((0u8..9, 0u64..100, prop::collection::vec(any::<u8>(), 0..40)), 0..40),
        from_token: bool,
    ) {
        let base = Instant::now();
        let start = if from_token { Start::Resume { token: "t".into() } } else { Start::Stream };
        let mut s = StreamSession::new(start, SessionConfig::default(), base);
        let mut delivered = Vec::new();
        let (mut resumes, mut fallbacks) = (0, 0);
        let pool = [drafting(), resume_event(TOKEN), heartbeat(), complete_stage(&output_json()), complete_bare(&error_v1("INTERNAL", "x"))];
        for (op, secs, bytes) in calls {
            let now = base + Duration::from_secs(secs);
            match op {
                0 => match s.poll_action() {
                    Some(Action::Resume { .. }) => resumes += 1,
                    Some(Action::Fallback) => fallbacks += 1,
                    _ => {}
                },
                1 => s.handle_response(now, [200, 400, 426, 503][bytes.len() % 4], bytes.len() % 3 != 0, None),
                2 => s.handle_bytes(now, &bytes),
                3 => s.handle_bytes(now, pool[bytes.len() % pool.len()].as_bytes()),
                4 => s.handle_eof(now),
                5 => s.handle_transport_error(now, reset_error()),
                6 => s.handle_timeout(now),
                7 => s.handle_fallback(if bytes.is_empty() { Err(reset_error()) } else { Ok(output()) }),
                _ => s.handle_error_response(now, api_error(426, "INTERNAL", "gone")),
            }
            while let Some(event) = s.poll_event() {
                delivered.push(event.map(|e| matches!(e, StreamEvent::Complete(_))).unwrap_or(true));
            }
        }
        prop_assert!(resumes <= 1 && fallbacks <= 1);
        if from_token {
            prop_assert_eq!(fallbacks, 0);
        }
        let finals = delivered.iter().filter(|f| **f).count();
        prop_assert!(finals <= 1);
        if finals == 1 {
            prop_assert!(*delivered.last().expect("non-empty"));
            prop_assert!(s.is_finished());
        }
        prop_assert!(s.summary().resumes <= 1);
    }
}

// ---------------------------------------------------------------------------------------------
// Streams without a fallback route, and other final payload types.

#[test]
fn without_a_fallback_a_break_without_a_token_is_the_sessions_error() {
    let mut h = Harness::new(Start::Stream, SessionConfig::default().with_fallback(false));
    h.expect_action(&Action::OpenStream);
    h.open(0);
    h.bytes(1, &drafting());
    h.s.handle_eof(h.at(2));
    let events = h.events();
    assert!(matches!(events[0], Ok(StreamEvent::Stage(_))));
    assert!(
        matches!(
            events.last(),
            Some(Err(Error::Stream(StreamError::Truncated { events: 1 })))
        ),
        "{events:?}"
    );
    assert_eq!(h.s.poll_action(), None, "no fallback is asked for");
    assert!(!h.s.summary().fallback);
    assert_finished_forever(&mut h);
}

#[test]
fn without_a_fallback_a_token_still_gets_its_one_resume() {
    let mut h = Harness::new(Start::Stream, SessionConfig::default().with_fallback(false));
    h.expect_action(&Action::OpenStream);
    h.open(0);
    h.bytes(1, &format!("{}{}", drafting(), resume_event(TOKEN)));
    h.s.handle_eof(h.at(2));
    h.expect_action(&resume_action(true));
    h.open(3);
    h.bytes(4, &complete_bare(&output_json()));
    let events = h.ok_events();
    let (_, done) = split_final(events);
    assert_eq!(done.via, CompletedVia::Resume);
}

#[test]
fn the_final_payload_can_be_any_type() {
    // The generic stream (`request_stream`) keeps the payload as JSON.
    let mut s: StreamSession<Value> =
        StreamSession::new(Start::Stream, SessionConfig::default(), Instant::now());
    assert_eq!(s.poll_action(), Some(Action::OpenStream));
    let now = Instant::now();
    s.handle_response(now, 200, true, None);
    s.handle_bytes(
        now,
        complete_stage(&serde_json::json!({"anything": [1, 2]})).as_bytes(),
    );
    let Some(Ok(StreamEvent::Complete(done))) = s.poll_event() else {
        panic!("a final event")
    };
    assert_eq!(done.output, serde_json::json!({"anything": [1, 2]}));

    // A payload that is not the expected type is a malformed final event, named by its type.
    let mut s: StreamSession<olumi::models::CeeDraftGraphV3> =
        StreamSession::new(Start::Stream, SessionConfig::default(), now);
    s.poll_action();
    s.handle_response(now, 200, true, None);
    s.handle_bytes(
        now,
        complete_stage(&serde_json::json!({"nodes": 3})).as_bytes(),
    );
    let Some(Err(err)) = s.poll_event() else {
        panic!("an error")
    };
    assert!(err.to_string().contains("CeeDraftGraphV3"), "{err}");
}
