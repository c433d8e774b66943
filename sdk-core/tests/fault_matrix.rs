//! The fault matrix (`tests/faults/matrix.json`), run by the Rust client against an in-process
//! `olumi-mock`. The Python (`sdk-python/tests/test_fault_matrix.py`) and Node
//! (`sdk-node/test/fault_matrix.test.mjs`) suites run the same rows and expect the same outcome,
//! events and journal; the row format is in `tests/faults/README.md`.

use std::collections::BTreeMap;
use std::time::Duration;

use futures_util::StreamExt;
use olumi::models::DraftGraphInput;
use olumi::{Client, Error, StreamEvent};
use olumi_mock::{FaultInjection, JournalEntry, MockServer};
use serde::Deserialize;
use serde_json::Value;

const MATRIX: &str = include_str!("../../tests/faults/matrix.json");
const SECRET: &str = "test-hmac-secret";
const KEY: &str = "test-api-key";
const BRIEF: &str = "Should we expand our SaaS product into the European market next year?";
/// Rows run at the same time (each against its own server): enough to shorten the run, few
/// enough that the idle timeouts of the rows are not starved on a small machine.
const PARALLEL_ROWS: usize = 4;

// `deny_unknown_fields` everywhere: a misspelt field must fail the run, not silently pass.

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Matrix {
    #[allow(dead_code, reason = "documentation in the file")]
    comment: String,
    rows: Vec<Row>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Row {
    name: String,
    route: String,
    #[serde(default)]
    request: Option<Value>,
    #[serde(default)]
    faults: Vec<Fault>,
    #[serde(default)]
    client: ClientOptions,
    #[serde(default)]
    mock: MockOptions,
    #[serde(default)]
    cancel_after_events: Option<usize>,
    expect: Expect,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Fault {
    spec: String,
    path: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ClientOptions {
    timeout_ms: Option<u64>,
    stream_idle_timeout_ms: Option<u64>,
    max_retries: Option<u32>,
    verify_response_hash: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct MockOptions {
    resume_state: Option<bool>,
    quirks: Option<bool>,
    heartbeat_ms: Option<u64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    outcome: Outcome,
    #[serde(default)]
    error: Option<ExpectedError>,
    events: Vec<String>,
    attempts: BTreeMap<String, Attempts>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Outcome {
    Stream,
    Resume,
    Fallback,
    Ok,
    Error,
    Cancelled,
}

#[derive(Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectedError {
    kind: String,
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    status: Option<u16>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Attempts {
    min: usize,
    max: usize,
    #[serde(default)]
    statuses: Option<Vec<u16>>,
    #[serde(default)]
    min_wait_ms: Option<f64>,
}

/// What one run of a row gave.
#[derive(Debug)]
struct Observed {
    outcome: Outcome,
    error: Option<ExpectedError>,
    events: Vec<String>,
}

fn parse(text: &str) -> Result<Matrix, serde_json::Error> {
    serde_json::from_str(text)
}

async fn start_mock(row: &Row) -> MockServer {
    let mut builder = MockServer::builder()
        .hmac_secret(SECRET)
        .api_key(KEY)
        .rpm(0)
        .sse_rpm(0)
        .seed(7)
        .heartbeat(Duration::from_millis(row.mock.heartbeat_ms.unwrap_or(50)));
    if let Some(on) = row.mock.resume_state {
        builder = builder.resume_state(on);
    }
    if let Some(on) = row.mock.quirks {
        builder = builder.quirks(on);
    }
    let server = builder.start().await.expect("the mock server starts");
    for fault in &row.faults {
        let injection = FaultInjection::parse(&fault.spec)
            .unwrap_or_else(|e| panic!("row {:?}: {e}", row.name))
            .path(&fault.path);
        server.inject_fault(injection);
    }
    server
}

fn client_for(server: &MockServer, options: &ClientOptions) -> Client {
    let mut builder = Client::builder(server.url()).hmac_secret(SECRET, Default::default());
    if let Some(ms) = options.timeout_ms {
        builder = builder.request_timeout(Duration::from_millis(ms));
    }
    if let Some(ms) = options.stream_idle_timeout_ms {
        builder = builder.stream_idle_timeout(Duration::from_millis(ms));
    }
    if let Some(n) = options.max_retries {
        builder = builder.max_retries(n);
    }
    if let Some(on) = options.verify_response_hash {
        builder = builder.verify_response_hash(on);
    }
    builder.build().expect("the client builds")
}

fn error_of(error: &Error) -> ExpectedError {
    let api = error.as_api();
    ExpectedError {
        kind: error.kind().code().to_owned(),
        code: api.map(|a| a.code.as_str().to_owned()),
        status: api.map(|a| a.status),
    }
}

fn event_name<T>(event: &StreamEvent<T>) -> Option<String> {
    match event {
        StreamEvent::Stage(event) => Some(format!("stage:{}", event.stage.as_str())),
        StreamEvent::ResumeToken(_) => Some("resume".to_owned()),
        StreamEvent::Heartbeat => None,
        StreamEvent::Other { event, .. } => Some(format!("other:{event}")),
        StreamEvent::Complete(_) => Some("complete".to_owned()),
    }
}

async fn run_stream(client: &Client, body: &Value, cancel_after: Option<usize>) -> Observed {
    let mut events = Vec::new();
    let input: DraftGraphInput = serde_json::from_value(body.clone()).expect("a draft-graph input");
    let mut stream = match client.draft_graph_stream(&input).await {
        Ok(stream) => stream,
        Err(error) => {
            return Observed {
                outcome: Outcome::Error,
                error: Some(error_of(&error)),
                events,
            };
        }
    };
    while let Some(item) = stream.next().await {
        match item {
            Ok(StreamEvent::Complete(done)) => {
                events.push("complete".to_owned());
                let outcome = match done.via.as_str() {
                    "stream" => Outcome::Stream,
                    "resume" => Outcome::Resume,
                    _ => Outcome::Fallback,
                };
                assert!(
                    stream.next().await.is_none(),
                    "nothing after the final event"
                );
                return Observed {
                    outcome,
                    error: None,
                    events,
                };
            }
            Ok(event) => {
                events.extend(event_name(&event));
                if cancel_after == Some(events.len()) {
                    stream.cancel_token().cancel();
                }
            }
            Err(error) if error.kind() == olumi::ErrorKind::Cancelled => {
                assert!(stream.next().await.is_none(), "nothing after the cancel");
                return Observed {
                    outcome: Outcome::Cancelled,
                    error: None,
                    events,
                };
            }
            Err(error) => {
                assert!(stream.next().await.is_none(), "nothing after the error");
                return Observed {
                    outcome: Outcome::Error,
                    error: Some(error_of(&error)),
                    events,
                };
            }
        }
    }
    panic!("the stream ended without a final event or an error: {events:?}");
}

async fn run_json(client: &Client, route: &str, body: &Value) -> Result<(), Error> {
    match route {
        "draft_graph" => {
            let input: DraftGraphInput =
                serde_json::from_value(body.clone()).expect("a draft-graph input");
            client.draft_graph(&input).await.map(drop)
        }
        "health" => client.health().await.map(drop),
        "status" => client.status().await.map(drop),
        "limits" => client.limits().await.map(drop),
        other => panic!(
            "unknown route {other:?} (known: draft_graph_stream, draft_graph, health, status, limits)"
        ),
    }
}

async fn run_row(row: &Row) -> Result<(), String> {
    let server = start_mock(row).await;
    let client = client_for(&server, &row.client);
    let body = row
        .request
        .clone()
        .unwrap_or_else(|| serde_json::json!({ "brief": BRIEF }));
    let observed = if row.route == "draft_graph_stream" {
        run_stream(&client, &body, row.cancel_after_events).await
    } else {
        match run_json(&client, &row.route, &body).await {
            Ok(()) => Observed {
                outcome: Outcome::Ok,
                error: None,
                events: Vec::new(),
            },
            Err(error) => Observed {
                outcome: Outcome::Error,
                error: Some(error_of(&error)),
                events: Vec::new(),
            },
        }
    };
    let journal = server.journal();
    server.shutdown().await;
    check(row, &observed, &journal)
}

fn check(row: &Row, observed: &Observed, journal: &[JournalEntry]) -> Result<(), String> {
    let mut problems = Vec::new();
    let expect = &row.expect;
    if observed.outcome != expect.outcome {
        problems.push(format!(
            "outcome {:?}, expected {:?} (error: {:?})",
            observed.outcome, expect.outcome, observed.error
        ));
    }
    if let Some(want) = &expect.error {
        let got = observed.error.as_ref();
        let same = got.is_some_and(|got| {
            got.kind == want.kind
                && (want.code.is_none() || got.code == want.code)
                && (want.status.is_none() || got.status == want.status)
        });
        if !same {
            problems.push(format!("error {got:?}, expected {want:?}"));
        }
    }
    if observed.events != expect.events {
        problems.push(format!(
            "events {:?}, expected {:?}",
            observed.events, expect.events
        ));
    }
    let path_of = |e: &JournalEntry| e.target.split('?').next().unwrap_or_default().to_owned();
    for entry in journal {
        if !expect.attempts.contains_key(&path_of(entry)) {
            problems.push(format!("an unexpected request to {}", entry.target));
        }
    }
    for (path, bounds) in &expect.attempts {
        let requests: Vec<&JournalEntry> = journal.iter().filter(|e| &path_of(e) == path).collect();
        if !(bounds.min..=bounds.max).contains(&requests.len()) {
            problems.push(format!(
                "{} requests to {path}, expected {}..={}",
                requests.len(),
                bounds.min,
                bounds.max
            ));
        }
        if let Some(statuses) = &bounds.statuses {
            let got: Vec<u16> = requests.iter().map(|e| e.status).collect();
            if &got != statuses {
                problems.push(format!("statuses {got:?} at {path}, expected {statuses:?}"));
            }
        }
        if let (Some(min), [first, .., last]) = (bounds.min_wait_ms, requests.as_slice()) {
            let waited = last.since_start_ms - first.since_start_ms;
            if waited < min {
                problems.push(format!("{waited} ms between the first and last request to {path}, expected at least {min}"));
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("row {:?}:\n  {}", row.name, problems.join("\n  ")))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_row_of_the_fault_matrix() {
    let matrix = parse(MATRIX).expect("tests/faults/matrix.json parses (unknown fields fail)");
    assert!(matrix.rows.len() >= 30, "{} rows", matrix.rows.len());
    let failures: Vec<String> = futures_util::stream::iter(&matrix.rows)
        .map(run_row)
        .buffer_unordered(PARALLEL_ROWS)
        .filter_map(|r| async move { r.err() })
        .collect()
        .await;
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn an_unknown_field_in_a_row_fails_the_matrix() {
    let good = r#"{"comment": "", "rows": [{"name": "n", "route": "health",
        "expect": {"outcome": "ok", "events": [], "attempts": {}}}]}"#;
    parse(good).expect("the minimal row parses");
    for typo in [
        r#"{"comment": "", "rows": [{"name": "n", "route": "health", "fautls": [],
            "expect": {"outcome": "ok", "events": [], "attempts": {}}}]}"#,
        r#"{"comment": "", "rows": [{"name": "n", "route": "health", "client": {"max_retry": 0},
            "expect": {"outcome": "ok", "events": [], "attempts": {}}}]}"#,
        r#"{"comment": "", "rows": [{"name": "n", "route": "health",
            "expect": {"outcome": "ok", "events": [], "attempts": {"/healthz": {"min": 1, "max": 1, "status": [200]}}}}]}"#,
        r#"{"comment": "", "rows": [{"name": "n", "route": "health",
            "expect": {"outcome": "okay", "events": [], "attempts": {}}}]}"#,
    ] {
        let err = parse(typo).expect_err("a typo is refused");
        assert!(
            err.to_string().contains("unknown"),
            "the error names the unknown field or variant: {err}"
        );
    }
}
