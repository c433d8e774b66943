//! The abuse checks of the hardening work, with numbers: a flood of fresh-nonce signed requests
//! (rate, server RSS before and after), then a replay of the first request; half-sent requests
//! (when the server closes them, and whether others are served meanwhile); a 200 KB and a 1 MiB
//! header, 10 000 headers, JSON nested 100 000 deep, and 2 MiB bodies over the 1 MiB limit with
//! and without `Content-Length` (the answer to each, the server's RSS before and after).
//!
//! ```text
//! cargo run --release -p olumi-mock --example hardening -- [--requests 200000] [--connections 32] \
//!     [--max-secs 120] [--half-sent 500] [--bin target/release/olumi-mock]
//! ```
//! The server is a separate process on 127.0.0.1 (port 0), so that its RSS is its own: this
//! example started again with `--serve` (the library with the binary's defaults, one HMAC secret
//! and `--rpm 0` so that every fresh request is answered 200), or the `olumi-mock` binary given
//! with `--bin` (started with `--hmac-secret ... --rpm 0`). Bounded: at most 1 000 000 requests
//! and 200 s of flood (the replay must stay inside the 300 s skew window), at most 5 000
//! half-sent connections, 300 s in all; the server is stopped at the end.

use std::io::{BufRead, BufReader, Read};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Empty};
use hyper::Request;
use hyper::header::HOST;
use hyper_util::rt::TokioIo;
use olumi::signing::{BodyHashMode, SignatureHeaders, Signer, generate_nonce};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

mod common;
use common::flag;

const SECRET: &str = "test-hmac-secret";
const TARGET: &str = "/v1/limits";

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    if std::env::args().any(|a| a == "--serve") {
        runtime.block_on(serve());
        return;
    }
    let mut server = start_server();
    let outcome = runtime.block_on(async {
        tokio::time::timeout(Duration::from_secs(300), check(server.addr, server.pid)).await
    });
    server.stop();
    if outcome.is_err() {
        eprintln!("hardening: gave up after 300 s");
        std::process::exit(1);
    }
}

/// Server mode: the mock with one HMAC secret and no per-key quota, until stdin closes.
async fn serve() {
    let server = olumi_mock::MockServer::builder()
        .hmac_secret(SECRET)
        .rpm(0)
        .start()
        .await
        .expect("the server starts");
    println!("listening on {}", server.url());
    let _ = tokio::task::spawn_blocking(|| {
        let mut sink = Vec::new();
        let _ = std::io::stdin().read_to_end(&mut sink);
    })
    .await;
    server.shutdown().await;
}

struct Server {
    child: Child,
    /// The `olumi-mock` binary (stops on SIGTERM) rather than this example (stops when its stdin
    /// closes).
    binary: bool,
    addr: SocketAddr,
    pid: u32,
}

impl Server {
    fn stop(&mut self) {
        drop(self.child.stdin.take());
        if self.binary {
            let _ = Command::new("kill")
                .args(["-TERM", &self.pid.to_string()])
                .status();
        }
        let deadline = Instant::now() + Duration::from_secs(5);
        while self.child.try_wait().ok().flatten().is_none() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

fn start_server() -> Server {
    let bin: String = flag("--bin", String::new());
    let mut command = if bin.is_empty() {
        let mut c = Command::new(std::env::current_exe().expect("our own path"));
        c.arg("--serve");
        c
    } else {
        let mut c = Command::new(&bin);
        c.args(["--port", "0", "--rpm", "0", "--log-level", "warn"])
            .env("OLUMI_MOCK_HMAC_SECRET", SECRET);
        c
    };
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the server process starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("the first line");
    let addr = line
        .trim()
        .strip_prefix("listening on http://")
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"));
    let pid = child.id();
    Server {
        child,
        binary: !bin.is_empty(),
        addr,
        pid,
    }
}

fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn sign(signer: &Signer, ts: u64) -> SignatureHeaders {
    signer
        .sign("GET", TARGET, b"", ts, &generate_nonce())
        .expect("signable")
}

/// One signed GET on a new connection: the status and the body's `code`, if any.
async fn signed_get(addr: SocketAddr, h: &SignatureHeaders) -> (u16, String) {
    let tcp = TcpStream::connect(addr).await.expect("connect");
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(tcp))
        .await
        .expect("handshake");
    tokio::spawn(conn);
    let mut req = Request::get(TARGET).header(HOST, addr.to_string());
    for (name, value) in h.pairs() {
        req = req.header(name, value);
    }
    let resp = sender
        .send_request(req.body(Empty::<Bytes>::new()).expect("a request"))
        .await
        .expect("an answer");
    let status = resp.status().as_u16();
    let body = resp.into_body().collect().await.expect("a body").to_bytes();
    let code = serde_json::from_slice::<serde_json::Value>(&body)
        .ok()
        .and_then(|v| v.get("code").and_then(|c| c.as_str()).map(str::to_owned))
        .unwrap_or_default();
    (status, code)
}

#[derive(Default)]
struct Counts {
    issued: AtomicU64,
    ok: AtomicU64,
    other: AtomicU64,
    errors: AtomicU64,
}

/// One keep-alive connection sending fresh signed requests until the count or the deadline.
async fn flood_connection(addr: SocketAddr, limit: u64, deadline: Instant, counts: Arc<Counts>) {
    let Ok(tcp) = TcpStream::connect(addr).await else {
        counts.errors.fetch_add(1, Ordering::Relaxed);
        return;
    };
    let _ = tcp.set_nodelay(true);
    let Ok((mut sender, conn)) = hyper::client::conn::http1::handshake(TokioIo::new(tcp)).await
    else {
        counts.errors.fetch_add(1, Ordering::Relaxed);
        return;
    };
    tokio::spawn(conn);
    let signer = Signer::new(SECRET, BodyHashMode::Unbound).expect("a secret");
    while Instant::now() < deadline && counts.issued.fetch_add(1, Ordering::Relaxed) < limit {
        let h = sign(&signer, olumi::clock::unix_ms());
        let mut req = Request::get(TARGET).header(HOST, addr.to_string());
        for (name, value) in h.pairs() {
            req = req.header(name, value);
        }
        let req = req.body(Empty::<Bytes>::new()).expect("a request");
        if sender.ready().await.is_err() {
            counts.errors.fetch_add(1, Ordering::Relaxed);
            return;
        }
        match sender.send_request(req).await {
            Ok(resp) => {
                let status = resp.status();
                if resp.into_body().collect().await.is_err() {
                    counts.errors.fetch_add(1, Ordering::Relaxed);
                    return;
                }
                let counter = if status.is_success() {
                    &counts.ok
                } else {
                    &counts.other
                };
                counter.fetch_add(1, Ordering::Relaxed);
            }
            Err(_) => {
                counts.errors.fetch_add(1, Ordering::Relaxed);
                return;
            }
        }
    }
}

async fn check(addr: SocketAddr, pid: u32) {
    let requests: u64 = flag("--requests", 200_000u64).min(1_000_000);
    let connections: usize = flag("--connections", 32usize).clamp(1, 256);
    let max_secs: u64 = flag("--max-secs", 120u64).min(200);
    let half_sent: usize = flag("--half-sent", 500usize).min(5_000);
    let signer = Signer::new(SECRET, BodyHashMode::Unbound).expect("a secret");
    println!("hardening: server pid {pid} at http://{addr}");

    // 1. Replay after a flood of fresh nonces.
    let first = sign(&signer, olumi::clock::unix_ms());
    let (status, _) = signed_get(addr, &first).await;
    println!("hardening: first signed request -> {status}");
    let (status, code) = signed_get(addr, &first).await;
    println!("hardening: the same request again at once -> {status} {code}");
    let rss_before = rss_kib(pid);
    let counts = Arc::new(Counts::default());
    let started = Instant::now();
    let deadline = started + Duration::from_secs(max_secs);
    // Five stages, the server's RSS after each: it must stop growing once the nonce store (and
    // the journal) are full.
    let mut rss_stages = Vec::new();
    for stage in 1..=5u64 {
        let stage_limit = requests * stage / 5;
        let tasks: Vec<_> = (0..connections)
            .map(|_| {
                tokio::spawn(flood_connection(
                    addr,
                    stage_limit,
                    deadline,
                    Arc::clone(&counts),
                ))
            })
            .collect();
        for t in tasks {
            let _ = t.await;
        }
        // `issued` overshoots by one per connection; the stage's real count is the answers.
        counts.issued.store(stage_limit, Ordering::Relaxed);
        let answered = counts.ok.load(Ordering::Relaxed) + counts.other.load(Ordering::Relaxed);
        rss_stages.push(format!("{answered}: {} KiB", rss_kib(pid)));
    }
    let elapsed = started.elapsed().as_secs_f64();
    let ok = counts.ok.load(Ordering::Relaxed);
    let done = ok + counts.other.load(Ordering::Relaxed);
    let rss_after = rss_kib(pid);
    #[allow(clippy::cast_precision_loss)]
    let rate = done as f64 / elapsed;
    println!(
        "hardening: flood of {done} fresh-nonce signed requests over {connections} connections in \
         {elapsed:.1} s = {rate:.0} req/s (200: {ok}, other: {}, errors: {})",
        counts.other.load(Ordering::Relaxed),
        counts.errors.load(Ordering::Relaxed),
    );
    println!(
        "hardening: server RSS before the flood {rss_before} KiB, after {rss_after} KiB (delta {} KiB); \
         after each fifth of the flood (requests: RSS): {}",
        i128::from(rss_after) - i128::from(rss_before),
        rss_stages.join(", ")
    );
    let age_s = olumi::clock::unix_ms().saturating_sub(first.timestamp.parse().unwrap_or(0)) / 1000;
    let (status, code) = signed_get(addr, &first).await;
    println!(
        "hardening: replay of the first request after the flood ({age_s} s old, inside the 300 s window) -> {status} {code}"
    );
    let (status, _) = signed_get(addr, &sign(&signer, olumi::clock::unix_ms())).await;
    println!("hardening: a fresh request after the flood -> {status}");

    // 2. Half-sent requests.
    let mut open = Vec::with_capacity(half_sent);
    for _ in 0..half_sent {
        let mut tcp = TcpStream::connect(addr).await.expect("connect");
        tcp.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
            .await
            .expect("write");
        open.push(tcp);
    }
    let sent_at = Instant::now();
    let closers: Vec<_> = open
        .into_iter()
        .map(|mut tcp| {
            tokio::spawn(async move {
                let mut buf = [0u8; 1024];
                // Until the server closes (EOF or reset), for at most 60 s.
                let closed = tokio::time::timeout(Duration::from_secs(60), async {
                    while let Ok(n) = tcp.read(&mut buf).await {
                        if n == 0 {
                            break;
                        }
                    }
                })
                .await;
                closed.ok().map(|()| sent_at.elapsed())
            })
        })
        .collect();
    let probe_started = Instant::now();
    let (status, _) = signed_get(addr, &sign(&signer, olumi::clock::unix_ms())).await;
    println!(
        "hardening: {half_sent} half-sent requests open; a normal request meanwhile -> {status} in {:.1} ms",
        probe_started.elapsed().as_secs_f64() * 1000.0
    );
    let mut closed = Vec::new();
    for c in closers {
        if let Ok(Some(after)) = c.await {
            closed.push(after);
        }
    }
    closed.sort_unstable();
    match (closed.first(), closed.last()) {
        (Some(min), Some(max)) => println!(
            "hardening: {} of {half_sent} half-sent connections closed by the server, after {:.2} s to {:.2} s",
            closed.len(),
            min.as_secs_f64(),
            max.as_secs_f64()
        ),
        _ => {
            println!("hardening: none of {half_sent} half-sent connections was closed within 60 s")
        }
    }

    // 3. Oversized and hostile requests: each must get a clear error while the server stays up.
    let rss_before = rss_kib(pid);
    let header = |size: usize| format!("X-Big: {}\r\n", "a".repeat(size));
    let many_headers: String = (0..10_000).map(|i| format!("X-H{i}: v\r\n")).collect();
    for (what, head) in [
        ("a 200 KB header", header(200_000)),
        ("a 1 MiB header", header(1024 * 1024)),
        ("10 000 headers", many_headers),
    ] {
        let request = format!("GET /healthz HTTP/1.1\r\nHost: x\r\n{head}\r\n");
        let answer = raw_exchange(addr, request.into_bytes(), None).await;
        println!("hardening: {what} -> {answer}");
    }
    let depth = 100_000;
    let deep = format!(r#"{{"brief":{}{}}}"#, "[".repeat(depth), "]".repeat(depth));
    let target = "/assist/draft-graph";
    let h = signer
        .sign(
            "POST",
            target,
            b"",
            olumi::clock::unix_ms(),
            &generate_nonce(),
        )
        .expect("signable");
    let signed: String = h
        .pairs()
        .into_iter()
        .map(|(name, value)| format!("{name}: {value}\r\n"))
        .collect();
    let request = format!(
        "POST {target} HTTP/1.1\r\nHost: x\r\n{signed}Content-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n{deep}",
        deep.len()
    );
    let answer = raw_exchange(addr, request.into_bytes(), None).await;
    println!("hardening: JSON nested {depth} deep (signed) -> {answer}");
    // Over the body limit (1 MiB): announced by Content-Length, and chunked without one.
    let over = 2 * 1024 * 1024;
    let request = format!("POST {target} HTTP/1.1\r\nHost: x\r\nContent-Length: {over}\r\n\r\n");
    let answer = raw_exchange(addr, request.into_bytes(), Some(vec![b'a'; over])).await;
    println!("hardening: a 2 MiB body with Content-Length -> {answer}");
    let request =
        format!("POST {target} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
    let mut chunked = Vec::new();
    for _ in 0..over / 65_536 {
        chunked.extend_from_slice(b"10000\r\n");
        chunked.extend_from_slice(&[b'a'; 65_536]);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    let answer = raw_exchange(addr, request.into_bytes(), Some(chunked)).await;
    println!("hardening: a 2 MiB chunked body (no Content-Length) -> {answer}");
    let (status, _) = signed_get(addr, &sign(&signer, olumi::clock::unix_ms())).await;
    println!(
        "hardening: after the oversized requests: a normal request -> {status}; server RSS {rss_before} KiB before them, {} KiB after",
        rss_kib(pid)
    );
    println!("hardening: server RSS at the end {} KiB", rss_kib(pid));
}

/// Sends `head` then `body` (if any) on a new connection, and returns the answer's status line
/// (or how the connection ended). The body is written while the answer is read, so an early
/// answer (a 413 before the body) is seen even if the server stops reading.
async fn raw_exchange(addr: SocketAddr, head: Vec<u8>, body: Option<Vec<u8>>) -> String {
    let tcp = TcpStream::connect(addr).await.expect("connect");
    let (mut read, mut write) = tcp.into_split();
    let writer = tokio::spawn(async move {
        let _ = write.write_all(&head).await;
        if let Some(body) = body {
            let _ = write.write_all(&body).await;
        }
        write
    });
    let mut received = Vec::new();
    let mut buf = vec![0u8; 16 * 1024];
    let _ = tokio::time::timeout(Duration::from_secs(10), async {
        // Until the status line is complete or the connection ends.
        while !received.windows(2).any(|w| w == b"\r\n") {
            match read.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => received.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await;
    writer.abort();
    let text = String::from_utf8_lossy(&received);
    text.lines()
        .next()
        .map_or_else(|| "(closed without an answer)".to_owned(), str::to_owned)
}
