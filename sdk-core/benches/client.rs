//! The client against peers on the same loopback server, in the same run:
//! - sequential keep-alive JSON requests: `olumi::Client` (signing every request, verifying every
//!   response hash) vs bare `reqwest`;
//! - consuming a 10 000-event stream: `olumi::Client::draft_graph_stream` vs `reqwest` +
//!   `eventsource-stream` (parsing each event's JSON too, as our session does).
//!
//! The server is a minimal HTTP/1.1 responder over raw TCP that answers from pre-rendered bytes,
//! so that the numbers measure the clients, not the server.
//!
//! A third group, `stream_session_10k_events`, feeds the same event bytes to the sans-IO
//! `StreamSession` alone (no socket, no task), and the bench ends by printing the core's cost
//! per event in ns.
//! `cargo bench -p olumi --bench client`

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use eventsource_stream::Eventsource;
use futures::StreamExt;
use olumi::models::{DraftGraphInput, DraftGraphOutput};
use olumi::signing::BodyHashMode;
use olumi::stream_session::{Action, SessionConfig, Start, StreamSession};
use olumi::{Client, StreamEvent};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

const STREAM_EVENTS: usize = 10_000;
const BRIEF: &str = "Should we expand our SaaS product into the European market next year?";

struct Canned {
    json: Vec<u8>,
    sse: Vec<u8>,
    /// The event stream's body alone (what `sse` carries after its headers).
    events: Vec<u8>,
}

fn canned() -> Canned {
    let body = br#"{"ok":true,"service":"assistants","version":"1.11.1","degraded":false,"provider":"fixtures","model":"fixture","limits_source":"config"}"#;
    let hash = olumi::response_hash::response_hash(body).unwrap();
    let mut json = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json; charset=utf-8\r\nx-olumi-response-hash: {hash}\r\ncontent-length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    json.extend_from_slice(body);

    let mut events = String::new();
    events.push_str("event: stage\ndata: {\"stage\":\"DRAFTING\"}\n\nevent: resume\ndata: {\"token\":\"abc\"}\n\n");
    for i in 2..STREAM_EVENTS - 1 {
        events.push_str(&format!(
            "event: stage\ndata: {{\"stage\":\"DRAFTING\",\"payload\":{{\"progress\":{i},\"note\":\"drafting the graph, step {i}\"}}}}\n\n"
        ));
    }
    events.push_str(
        "event: stage\ndata: {\"stage\":\"COMPLETE\",\"payload\":{\"graph\":{\"version\":\"1\",\"default_seed\":17,\"nodes\":[{\"id\":\"goal_1\",\"kind\":\"goal\",\"label\":\"Grow\"}],\"edges\":[],\"meta\":{\"roots\":[],\"leaves\":[],\"suggested_positions\":{},\"source\":\"fixtures\"}},\"patch\":{\"adds\":{\"nodes\":[],\"edges\":[]},\"updates\":[],\"removes\":[]},\"rationales\":[]}}\n\n",
    );
    let mut sse = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\ncontent-length: {}\r\n\r\n",
        events.len()
    )
    .into_bytes();
    sse.extend_from_slice(events.as_bytes());
    Canned {
        json,
        sse,
        events: events.into_bytes(),
    }
}

/// Serves keep-alive connections: a request to a path containing `/stream` gets the event
/// stream, anything else the JSON body.
async fn serve(listener: TcpListener, canned: Arc<Canned>) {
    loop {
        let Ok((socket, _)) = listener.accept().await else {
            return;
        };
        let canned = canned.clone();
        tokio::spawn(async move {
            let (read, mut write) = socket.into_split();
            let mut reader = BufReader::new(read);
            let mut line = String::new();
            loop {
                line.clear();
                if reader.read_line(&mut line).await.unwrap_or(0) == 0 {
                    return;
                }
                let wants_stream = line.contains("/stream");
                let mut content_length = 0usize;
                loop {
                    line.clear();
                    if reader.read_line(&mut line).await.unwrap_or(0) == 0 {
                        return;
                    }
                    if line == "\r\n" {
                        break;
                    }
                    if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                        content_length = v.trim().parse().unwrap_or(0);
                    }
                }
                let mut body = vec![0; content_length];
                if reader.read_exact(&mut body).await.is_err() {
                    return;
                }
                let reply = if wants_stream {
                    &canned.sse
                } else {
                    &canned.json
                };
                if write.write_all(reply).await.is_err() {
                    return;
                }
            }
        });
    }
}

fn bench_clients(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    // The server gets its own runtime thread so that it never competes with the client's.
    let server_runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let listener = server_runtime
        .block_on(TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    server_runtime.spawn(serve(listener, Arc::new(canned())));

    let olumi = Client::builder(&base)
        .hmac_secret("test-hmac-secret", BodyHashMode::Unbound)
        .build()
        .unwrap();
    // The peer, with reqwest's defaults.
    let reqwest = reqwest::Client::builder().build().unwrap();
    let input = DraftGraphInput::new(BRIEF);
    let body = serde_json::to_vec(&input).unwrap();

    let mut group = c.benchmark_group("json_request");
    group
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    group.throughput(Throughput::Elements(1));
    group.bench_function("reqwest_bare", |b| {
        b.to_async(&runtime).iter(|| async {
            let resp = reqwest.get(format!("{base}/healthz")).send().await.unwrap();
            black_box(resp.bytes().await.unwrap());
        })
    });
    group.bench_function("olumi_signed_verified", |b| {
        b.to_async(&runtime)
            .iter(|| async { black_box(olumi.health().await.unwrap()) })
    });
    group.finish();

    let mut group = c.benchmark_group("stream_10k_events");
    group
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5))
        .sample_size(20);
    group.throughput(Throughput::Elements(STREAM_EVENTS as u64));
    group.bench_function("reqwest_eventsource_stream", |b| {
        b.to_async(&runtime).iter(|| async {
            let resp = reqwest
                .post(format!("{base}/assist/draft-graph/stream"))
                .header("content-type", "application/json")
                .body(body.clone())
                .send()
                .await
                .unwrap();
            let mut events = resp.bytes_stream().eventsource();
            let mut count = 0usize;
            while let Some(event) = events.next().await {
                let event = event.unwrap();
                let value: serde_json::Value = serde_json::from_str(&event.data).unwrap();
                black_box(value);
                count += 1;
            }
            assert_eq!(count, STREAM_EVENTS);
        })
    });
    group.bench_function("olumi_draft_graph_stream", |b| {
        b.to_async(&runtime).iter(|| async {
            let mut stream = olumi.draft_graph_stream(&input).await.unwrap();
            let mut count = 0usize;
            while let Some(event) = stream.next().await {
                let event = event.unwrap();
                let complete = matches!(event, StreamEvent::Complete(_));
                black_box(event);
                count += 1;
                if complete {
                    break;
                }
            }
            assert_eq!(count, STREAM_EVENTS);
        })
    });
    group.finish();
}

/// Slices of the body as the driver feeds them (`stream.rs`: `FEED_SLICE`).
const FEED_SLICE: usize = 16 * 1024;

/// One whole stream through the sans-IO session: every event decoded and polled, as the driver
/// does after each network read.
#[allow(clippy::disallowed_methods, reason = "the session's base instant")]
fn run_session(body: &[u8]) -> usize {
    let now = Instant::now();
    let mut session =
        StreamSession::<DraftGraphOutput>::new(Start::Stream, SessionConfig::new(), now);
    assert_eq!(session.poll_action(), Some(Action::OpenStream));
    session.handle_response(now, 200, true, None);
    let mut count = 0;
    for slice in body.chunks(FEED_SLICE) {
        session.handle_bytes(now, slice);
        while let Some(event) = session.poll_event() {
            black_box(event.unwrap());
            count += 1;
        }
    }
    count
}

fn bench_session(c: &mut Criterion) {
    let body = canned().events;
    let mut group = c.benchmark_group("stream_session_10k_events");
    group
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    group.throughput(Throughput::Elements(STREAM_EVENTS as u64));
    group.bench_function("session_alone", |b| {
        b.iter(|| assert_eq!(run_session(black_box(&body)), STREAM_EVENTS));
    });
    group.finish();

    // The same, timed by hand so the per-event cost is printed as a number (the best of 30
    // streams: the least disturbed by other work on the machine).
    #[allow(clippy::disallowed_methods, reason = "a benchmark's own timer")]
    let best = (0..30)
        .map(|_| {
            let start = Instant::now();
            black_box(run_session(&body));
            start.elapsed()
        })
        .min()
        .unwrap_or_default();
    println!(
        "core per-event cost (StreamSession alone, {STREAM_EVENTS} events, best of 30): {:.0} ns/event",
        best.as_nanos() as f64 / STREAM_EVENTS as f64
    );
}

criterion_group!(benches, bench_clients, bench_session);
criterion_main!(benches);
