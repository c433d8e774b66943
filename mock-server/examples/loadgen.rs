//! A small HTTP/1.1 keep-alive load generator that signs every request with a fresh nonce, for
//! benchmarking the mock's signed canned route (wrk cannot make fresh nonces).
//!
//! ```text
//! cargo run --release -p olumi-mock --example loadgen -- --url http://127.0.0.1:8787 \
//!     [--path /assist/suggest-options] [--method POST] [--connections 64] [--duration-secs 10] \
//!     [--max-requests 2000000] [--auth none|key|hmac] [--key K] [--secret S] [--body-hash unbound|sha256]
//! ```
//! It targets 127.0.0.1 only, stops after the duration or the request cap, whichever comes first,
//! and prints requests per second, latency percentiles and the status codes seen.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper::header::{CONTENT_TYPE, HOST};
use hyper_util::rt::TokioIo;
use olumi::signing::{BodyHashMode, Signer, generate_nonce};

const BODY: &str = r#"{"goal":"Expand our SaaS product into the European market"}"#;

#[derive(Debug, Clone)]
struct Options {
    host_port: String,
    path: String,
    method: String,
    connections: usize,
    duration: Duration,
    max_requests: u64,
    auth: String,
    key: String,
    secret: String,
    body_hash: BodyHashMode,
}

fn parse_args() -> Options {
    let mut o = Options {
        host_port: "127.0.0.1:8787".into(),
        path: "/assist/suggest-options".into(),
        method: "POST".into(),
        connections: 64,
        duration: Duration::from_secs(10),
        max_requests: 2_000_000,
        auth: "hmac".into(),
        key: "test-api-key".into(),
        secret: "test-hmac-secret".into(),
        body_hash: BodyHashMode::Unbound,
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut it = args.chunks(2);
    while let Some([flag, value]) = it.next() {
        match flag.as_str() {
            "--url" => {
                let hp = value.trim_start_matches("http://").trim_end_matches('/');
                assert!(
                    hp.starts_with("127.0.0.1:"),
                    "loadgen only targets 127.0.0.1 (got {value})"
                );
                o.host_port = hp.to_owned();
            }
            "--path" => o.path = value.clone(),
            "--method" => o.method = value.to_ascii_uppercase(),
            "--connections" => o.connections = value.parse().expect("--connections N"),
            "--duration-secs" => {
                o.duration = Duration::from_secs(value.parse().expect("--duration-secs N"));
            }
            "--max-requests" => o.max_requests = value.parse().expect("--max-requests N"),
            "--auth" => o.auth = value.clone(),
            "--key" => o.key = value.clone(),
            "--secret" => o.secret = value.clone(),
            "--body-hash" => o.body_hash = value.parse().expect("unbound or sha256"),
            other => panic!("unknown flag {other}"),
        }
    }
    assert!(
        o.duration <= Duration::from_secs(120),
        "keep runs under two minutes"
    );
    o
}

#[derive(Debug, Default)]
struct Counters {
    issued: AtomicU64,
    ok: AtomicU64,
    other_status: AtomicU64,
    errors: AtomicU64,
}

async fn connection(o: Arc<Options>, counters: Arc<Counters>, deadline: Instant) -> Vec<u32> {
    let mut latencies = Vec::new();
    let Ok(tcp) = tokio::net::TcpStream::connect(&o.host_port).await else {
        counters.errors.fetch_add(1, Ordering::Relaxed);
        return latencies;
    };
    let _ = tcp.set_nodelay(true);
    let Ok((mut sender, conn)) = hyper::client::conn::http1::handshake(TokioIo::new(tcp)).await
    else {
        counters.errors.fetch_add(1, Ordering::Relaxed);
        return latencies;
    };
    tokio::spawn(conn);
    let signer = Signer::new(&o.secret, o.body_hash).expect("a non-empty secret");
    let body = if o.method == "GET" {
        Bytes::new()
    } else {
        Bytes::from_static(BODY.as_bytes())
    };
    while Instant::now() < deadline
        && counters.issued.fetch_add(1, Ordering::Relaxed) < o.max_requests
    {
        let mut req = Request::builder()
            .method(o.method.as_str())
            .uri(o.path.as_str())
            .header(HOST, o.host_port.as_str());
        if !body.is_empty() {
            req = req.header(CONTENT_TYPE, "application/json");
        }
        match o.auth.as_str() {
            "key" => req = req.header("x-olumi-assist-key", o.key.as_str()),
            "hmac" => {
                let h = signer
                    .sign(
                        &o.method,
                        &o.path,
                        &body,
                        olumi::clock::unix_ms(),
                        &generate_nonce(),
                    )
                    .expect("signable request");
                for (name, value) in h.pairs() {
                    req = req.header(name, value);
                }
            }
            _ => {}
        }
        let req = req.body(Full::new(body.clone())).expect("a valid request");
        let started = Instant::now();
        if sender.ready().await.is_err() {
            counters.errors.fetch_add(1, Ordering::Relaxed);
            break;
        }
        match sender.send_request(req).await {
            Ok(resp) => {
                let status = resp.status();
                if resp.into_body().collect().await.is_err() {
                    counters.errors.fetch_add(1, Ordering::Relaxed);
                    break;
                }
                let micros = u32::try_from(started.elapsed().as_micros()).unwrap_or(u32::MAX);
                latencies.push(micros);
                if status.is_success() {
                    counters.ok.fetch_add(1, Ordering::Relaxed);
                } else {
                    counters.other_status.fetch_add(1, Ordering::Relaxed);
                }
            }
            Err(_) => {
                counters.errors.fetch_add(1, Ordering::Relaxed);
                break;
            }
        }
    }
    latencies
}

#[tokio::main]
async fn main() {
    let o = Arc::new(parse_args());
    let counters = Arc::new(Counters::default());
    let started = Instant::now();
    let deadline = started + o.duration;
    let tasks: Vec<_> = (0..o.connections)
        .map(|_| tokio::spawn(connection(Arc::clone(&o), Arc::clone(&counters), deadline)))
        .collect();
    let mut latencies = Vec::new();
    for t in tasks {
        latencies.extend(t.await.unwrap_or_default());
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort_unstable();
    let pct = |p: f64| -> f64 {
        if latencies.is_empty() {
            return 0.0;
        }
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            clippy::cast_precision_loss
        )]
        let i = ((latencies.len() - 1) as f64 * p) as usize;
        f64::from(latencies[i]) / 1000.0
    };
    let done = latencies.len();
    #[allow(clippy::cast_precision_loss)]
    let rps = done as f64 / elapsed;
    println!(
        "loadgen: {} {}{} auth={} connections={} -> {done} requests in {elapsed:.2} s = {rps:.0} req/s; \
         latency p50 {:.2} ms, p99 {:.2} ms; 2xx {}, other {}, errors {}",
        o.method,
        o.host_port,
        o.path,
        o.auth,
        o.connections,
        pct(0.50),
        pct(0.99),
        counters.ok.load(Ordering::Relaxed),
        counters.other_status.load(Ordering::Relaxed),
        counters.errors.load(Ordering::Relaxed),
    );
}
