//! What shared state in Redis costs the mock, against in-memory state, in the same run.
//!
//! ```text
//! cargo run --release -p olumi-mock --example redis_bench -- \
//!     [--secs 3] [--rounds 3] [--connections 32] [--open-streams 500]
//! ```
//!
//! It starts its own `redis-server` (on a free loopback port, no persistence, killed at the end)
//! and, per round and per state (memory, then Redis), an in-process mock on 127.0.0.1 with
//! `--auth strict` (every request signed with a fresh nonce and its body's SHA-256), then:
//!
//! 1. **req/s**: `POST /assist/suggest-options` over `--connections` keep-alive connections for
//!    `--secs` seconds (each request: signature, nonce step, quota bucket, response hash);
//! 2. **streams/s**: complete `/assist/draft-graph/stream` answers (four events, no pauses: the
//!    stream state is written per event) over the same connections for `--secs` seconds;
//! 3. **memory per open stream**: opens `--open-streams` streams that then wait, and reports the
//!    growth of this process' RSS (the client's side is the same in both modes, so the
//!    difference between the modes is the server's) and of Redis' `used_memory`, per stream.
//!
//! Numbers go to stdout; nothing is asserted (docs/performance.md has a run).

#[path = "../tests/support/redis_server.rs"]
mod redis_server;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper::header::{CONTENT_TYPE, HOST};
use hyper_util::rt::TokioIo;
use olumi::signing::{BodyHashMode, Signer, generate_nonce};
use olumi_mock::{AuthMode, MockServer};
use redis_server::RedisServer;

mod common;
use common::flag;

const SECRET: &str = "bench-hmac-secret";
const OPTIONS_BODY: &str = r#"{"goal":"Expand our SaaS product into the European market"}"#;
const BRIEF: &str =
    r#"{"brief":"Should we expand our SaaS product into the European market next year?"}"#;

/// A stream with no pauses (streams/s), and one that waits a minute after its token (held open).
fn fixtures() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("olumi-redis-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary fixture directory");
    let stream = |name: &str, path: &str, pause: &str| {
        format!(
            r#"{{"name": "{name}", "match": {{"method": "POST", "path": "{path}"}}, "diagnostics": true,
  "stream": {{"steps": [
    {{"event": "stage", "data": {{"stage": "DRAFTING"}}}},
    {{"resume_token": "secret"}},
    {{"event": "stage", "data": {{"stage": "DRAFTING", "payload": {{"preview": true}}}}}},{pause}
    {{"event": "stage", "data": {{"stage": "COMPLETE", "payload": {{"graph": {{"version": "1", "nodes": [], "edges": []}}}}}}}}
  ]}}}}"#
        )
    };
    std::fs::write(
        dir.join("fast.json"),
        stream("fast-stream", "/assist/draft-graph/stream", ""),
    )
    .expect("write fixture");
    std::fs::write(
        dir.join("held.json"),
        stream(
            "held-stream",
            "/bench/held-stream",
            r#"
    {"sleep_ms": 60000},"#,
        ),
    )
    .expect("write fixture");
    dir
}

async fn start(redis: Option<&str>, prefix: &str, fixtures: &std::path::Path) -> MockServer {
    let mut b = MockServer::builder()
        .hmac_secret(SECRET)
        .auth_mode(AuthMode::Strict)
        // The quota is checked (and written) on every request, but never refuses one.
        .rpm(1_000_000_000)
        .sse_rpm(1_000_000_000)
        .journal_capacity(1000)
        .fixtures_dir(fixtures);
    if let Some(url) = redis {
        b = b.redis_url(url).redis_prefix(prefix);
    }
    b.start().await.expect("the mock starts")
}

type Sender = hyper::client::conn::http1::SendRequest<Full<Bytes>>;

async fn connect(addr: std::net::SocketAddr) -> Sender {
    let tcp = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let _ = tcp.set_nodelay(true);
    let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(tcp))
        .await
        .expect("handshake");
    tokio::spawn(conn);
    sender
}

fn signed_request(signer: &Signer, path: &str, body: &'static str) -> Request<Full<Bytes>> {
    let mut req = Request::builder()
        .method("POST")
        .uri(path)
        .header(HOST, "127.0.0.1")
        .header(CONTENT_TYPE, "application/json");
    let h = signer
        .sign(
            "POST",
            path,
            body.as_bytes(),
            olumi::clock::unix_ms(),
            &generate_nonce(),
        )
        .expect("signable");
    for (name, value) in h.pairs() {
        req = req.header(name, value);
    }
    req.body(Full::new(Bytes::from_static(body.as_bytes())))
        .expect("a valid request")
}

/// Completed 200 answers per second on `path` over `connections` connections for `secs`.
async fn rate(
    addr: std::net::SocketAddr,
    path: &'static str,
    body: &'static str,
    connections: usize,
    secs: u64,
) -> (f64, u64) {
    let ok = Arc::new(AtomicU64::new(0));
    let failed = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let deadline = started + Duration::from_secs(secs);
    let tasks: Vec<_> = (0..connections)
        .map(|_| {
            let (ok, failed) = (Arc::clone(&ok), Arc::clone(&failed));
            tokio::spawn(async move {
                let signer = Signer::new(SECRET, BodyHashMode::Sha256).expect("secret");
                let mut sender = connect(addr).await;
                while Instant::now() < deadline {
                    if sender.ready().await.is_err() {
                        sender = connect(addr).await;
                        continue;
                    }
                    let Ok(resp) = sender
                        .send_request(signed_request(&signer, path, body))
                        .await
                    else {
                        failed.fetch_add(1, Ordering::Relaxed);
                        continue;
                    };
                    let status = resp.status();
                    let read = resp.into_body().collect().await;
                    if status.is_success() && read.is_ok() {
                        ok.fetch_add(1, Ordering::Relaxed);
                    } else {
                        failed.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    for t in tasks {
        let _ = t.await;
    }
    #[allow(clippy::cast_precision_loss)]
    let per_sec = ok.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64();
    (per_sec, failed.load(Ordering::Relaxed))
}

/// Opens `count` held streams, each read until its resume token; keeps them open while
/// measuring. Returns the growth of RSS and of Redis' used memory, in bytes.
async fn open_streams(
    addr: std::net::SocketAddr,
    count: usize,
    redis: &RedisServer,
) -> (u64, Option<i64>) {
    let mut conn = redis.connection().await;
    let used = |info: String| -> i64 {
        info.lines()
            .find_map(|l| l.strip_prefix("used_memory:"))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0)
    };
    let redis_before = used(
        redis::cmd("INFO")
            .arg("memory")
            .query_async(&mut conn)
            .await
            .unwrap(),
    );
    let rss_before = rss_bytes();
    let signer = Signer::new(SECRET, BodyHashMode::Sha256).expect("secret");
    let mut held = Vec::with_capacity(count);
    for _ in 0..count {
        let mut sender = connect(addr).await;
        let resp = sender
            .send_request(signed_request(&signer, "/bench/held-stream", BRIEF))
            .await
            .expect("a stream answer");
        let mut body = resp.into_body();
        let mut seen = Vec::new();
        while !seen.windows(13).any(|w| w == b"event: resume") {
            let Some(Ok(frame)) = body.frame().await else {
                break;
            };
            if let Ok(data) = frame.into_data() {
                seen.extend_from_slice(&data);
            }
        }
        held.push((sender, body));
    }
    let rss = rss_bytes().saturating_sub(rss_before);
    let redis_after = used(
        redis::cmd("INFO")
            .arg("memory")
            .query_async(&mut conn)
            .await
            .unwrap(),
    );
    drop(held);
    (rss, Some(redis_after - redis_before))
}

fn rss_bytes() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kib| kib * 1024)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

#[tokio::main]
async fn main() {
    let secs: u64 = flag("--secs", 3);
    let rounds: usize = flag("--rounds", 3);
    let connections: usize = flag("--connections", 32);
    let open: usize = flag("--open-streams", 500);
    assert!(secs <= 30 && rounds <= 10, "keep runs short");
    let redis = RedisServer::start();
    let url = redis.url();
    let fixtures = fixtures();
    println!(
        "redis_bench: {rounds} rounds, {secs} s each, {connections} connections, {open} held streams; redis-server on 127.0.0.1:{}",
        redis.port()
    );
    let mut rps = [Vec::new(), Vec::new()];
    let mut sps = [Vec::new(), Vec::new()];
    for round in 0..rounds {
        for (i, state) in [None, Some(url.as_str())].into_iter().enumerate() {
            let name = if state.is_some() { "redis" } else { "memory" };
            let server = start(state, &format!("bench-{round}:"), &fixtures).await;
            let (r, r_failed) = rate(
                server.addr(),
                "/assist/suggest-options",
                OPTIONS_BODY,
                connections,
                secs,
            )
            .await;
            let (s, s_failed) = rate(
                server.addr(),
                "/assist/draft-graph/stream",
                BRIEF,
                connections,
                secs,
            )
            .await;
            println!(
                "round {round} {name:>6}: {r:>8.0} req/s signed+hashed ({r_failed} failed), {s:>7.0} streams/s ({s_failed} failed)"
            );
            rps[i].push(r);
            sps[i].push(s);
            server.shutdown().await;
        }
    }
    // Each round runs both states back to back, so the ratio is taken per round (the machine's
    // load changes between rounds more than within one).
    let ratios =
        |v: &[Vec<f64>; 2]| -> Vec<f64> { v[0].iter().zip(&v[1]).map(|(m, r)| m / r).collect() };
    for (what, v) in [("req/s", &rps), ("streams/s", &sps)] {
        let r = ratios(v);
        let (lo, hi) = r
            .iter()
            .fold((f64::MAX, 0.0_f64), |(lo, hi), x| (lo.min(*x), hi.max(*x)));
        println!(
            "{what}: median memory {:.0}, redis {:.0}; memory/redis per round: median {:.2} ({lo:.2} - {hi:.2})",
            median(v[0].clone()),
            median(v[1].clone()),
            median(r),
        );
    }
    for state in [None, Some(url.as_str())] {
        let name = if state.is_some() { "redis" } else { "memory" };
        let server = start(state, "bench-held:", &fixtures).await;
        let (rss, redis_used) = open_streams(server.addr(), open, &redis).await;
        #[allow(clippy::cast_precision_loss)]
        let per = |bytes: f64| bytes / open as f64 / 1024.0;
        #[allow(clippy::cast_precision_loss)]
        let redis_per = redis_used.map_or(0.0, |b| per(b as f64));
        #[allow(clippy::cast_precision_loss)]
        let rss_per = per(rss as f64);
        println!(
            "{name:>6}: {open} open streams: process RSS +{rss_per:.1} KiB per stream (client and server), Redis used_memory +{redis_per:.2} KiB per stream"
        );
        server.shutdown().await;
    }
    let _ = std::fs::remove_dir_all(&fixtures);
}
