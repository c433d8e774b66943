//! Holds thousands of SSE streams with heartbeats open against the mock and reports the server's
//! memory per stream (RSS delta / streams), measured from `/proc/PID/status` of a separate server
//! process so that the client's own sockets do not count.
//!
//! ```text
//! ulimit -n 20000
//! cargo run --release -p olumi-mock --example sse_soak -- [--streams 5000] [--hold-secs 5] [--heartbeat-ms 1000]
//! ```
//! The example starts itself a second time with `--serve` as the server (on 127.0.0.1, port 0),
//! opens the streams, waits until every stream has seen its resume event, holds them for the
//! given time (heartbeats flowing), measures, closes everything and exits. Bounded: at most
//! 20 000 streams, 60 s of holding, 180 s in all.

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use olumi::sse::{SseDecoder, SseItem};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::{Semaphore, watch};

mod common;
use common::flag;

const BODY: &str =
    r#"{"brief":"Should we expand our SaaS product into the European market next year?"}"#;

/// A draft stream that stays open for ten minutes (heartbeats only) once it has sent its token.
const LONG_STREAM: &str = r#"{
  "name": "draft-graph-stream",
  "match": {"method": "POST", "path": "/assist/draft-graph/stream"},
  "diagnostics": true,
  "stream": {"steps": [
    {"event": "stage", "data": {"stage": "DRAFTING"}},
    {"resume_token": "secret"},
    {"sleep_ms": 600000},
    {"event": "stage", "data": {"stage": "COMPLETE", "payload": {"graph": {"nodes": [], "edges": []}}}}
  ]}
}"#;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    if std::env::args().any(|a| a == "--serve") {
        runtime.block_on(serve());
    } else {
        let outcome = runtime
            .block_on(async { tokio::time::timeout(Duration::from_secs(180), soak()).await });
        if outcome.is_err() {
            eprintln!("sse_soak: gave up after 180 s");
            std::process::exit(1);
        }
    }
}

/// Server mode: the mock with a long stream fixture, until stdin closes.
async fn serve() {
    let heartbeat: u64 = flag("--heartbeat-ms", 1000);
    let dir = std::env::temp_dir().join(format!("olumi-mock-soak-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temp dir");
    std::fs::write(dir.join("stream.json"), LONG_STREAM).expect("the fixture");
    let server = olumi_mock::MockServer::builder()
        .heartbeat(Duration::from_millis(heartbeat))
        .resume_secret("soak-resume-secret")
        .fixtures_dir(&dir)
        .journal_capacity(100)
        .start()
        .await
        .expect("the server starts");
    println!("listening on {}", server.url());
    // The parent closes our stdin when it is done (or dies).
    let _ = tokio::task::spawn_blocking(|| {
        let mut sink = Vec::new();
        let _ = std::io::stdin().read_to_end(&mut sink);
    })
    .await;
    server.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}

fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn open_files_limit() -> u64 {
    let limits = std::fs::read_to_string("/proc/self/limits").unwrap_or_default();
    limits
        .lines()
        .find(|l| l.starts_with("Max open files"))
        .and_then(|l| l.split_whitespace().nth(3))
        .and_then(|v| v.parse().ok())
        .unwrap_or(1024)
}

async fn soak() {
    let streams: u64 = flag("--streams", 5000).min(20_000);
    let hold = Duration::from_secs(flag("--hold-secs", 5).min(60));
    let heartbeat_ms: u64 = flag("--heartbeat-ms", 1000);
    let limit = open_files_limit();
    if limit < streams + 200 {
        eprintln!(
            "sse_soak: the open-files limit is {limit}; raise it first, e.g. `ulimit -n 20000`"
        );
        std::process::exit(1);
    }

    let exe = std::env::current_exe().expect("our own path");
    let mut child = Command::new(exe)
        .args(["--serve", "--heartbeat-ms", &heartbeat_ms.to_string()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the server process starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("the first line");
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .expect("an address")
        .to_owned();
    let addr = url.trim_start_matches("http://").to_owned();
    let pid = child.id();

    // Warm the server up with one request, then take the baseline.
    let (stop_tx, stop_rx) = watch::channel(false);
    let ready = Arc::new(AtomicU64::new(0));
    let heartbeats = Arc::new(AtomicU64::new(0));
    let warm = tokio::spawn(hold_stream(
        addr.clone(),
        stop_rx.clone(),
        Arc::new(AtomicU64::new(0)),
        Arc::new(AtomicU64::new(0)),
    ));
    tokio::time::sleep(Duration::from_millis(300)).await;
    let baseline = rss_kib(pid);
    println!("sse_soak: server pid {pid} at {url}, baseline RSS {baseline} KiB (1 stream open)");

    let started = Instant::now();
    let gate = Arc::new(Semaphore::new(256));
    let mut tasks = Vec::with_capacity(usize::try_from(streams).unwrap_or(0));
    for _ in 0..streams {
        let permit = Arc::clone(&gate).acquire_owned().await.expect("semaphore");
        let (addr, stop, ready, beats) = (
            addr.clone(),
            stop_rx.clone(),
            Arc::clone(&ready),
            Arc::clone(&heartbeats),
        );
        tasks.push(tokio::spawn(async move {
            let counted = Arc::new(AtomicU64::new(0));
            let task = tokio::spawn(hold_stream(addr, stop, Arc::clone(&counted), beats));
            // Release the gate once this stream is established.
            while counted.load(Ordering::Relaxed) == 0 && !task.is_finished() {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            drop(permit);
            ready.fetch_add(counted.load(Ordering::Relaxed), Ordering::Relaxed);
            task.await.unwrap_or(false)
        }));
    }
    while ready.load(Ordering::Relaxed) < streams && started.elapsed() < Duration::from_secs(90) {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let opened = ready.load(Ordering::Relaxed);
    println!(
        "sse_soak: {opened} streams open after {:.1} s; holding {} s",
        started.elapsed().as_secs_f64(),
        hold.as_secs()
    );
    let beats_before = heartbeats.load(Ordering::Relaxed);
    tokio::time::sleep(hold).await;
    let beats = heartbeats.load(Ordering::Relaxed) - beats_before;
    let loaded = rss_kib(pid);
    let _ = stop_tx.send(true);
    let mut healthy = 0u64;
    for t in tasks {
        if t.await.unwrap_or(false) {
            healthy += 1;
        }
    }
    let _ = warm.await;
    let delta = loaded.saturating_sub(baseline);
    #[allow(clippy::cast_precision_loss)]
    let per_stream = delta as f64 / opened.max(1) as f64;
    #[allow(clippy::cast_precision_loss)]
    let beats_per_stream = beats as f64 / opened.max(1) as f64;
    println!(
        "sse_soak: streams={opened} healthy={healthy} heartbeats_during_hold={beats} ({beats_per_stream:.1}/stream) \
         rss_baseline={baseline}KiB rss_loaded={loaded}KiB delta={delta}KiB per_stream={per_stream:.2}KiB"
    );
    drop(child.stdin.take());
    let deadline = Instant::now() + Duration::from_secs(10);
    while child.try_wait().ok().flatten().is_none() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    if child.try_wait().ok().flatten().is_none() {
        let _ = child.kill();
    }
    let _ = child.wait();
    if opened < streams || healthy < opened {
        std::process::exit(1);
    }
}

/// Opens one stream, marks it established once the resume event arrived, counts heartbeats
/// until told to stop. Returns whether it stayed healthy (open, and heartbeats came).
async fn hold_stream(
    addr: String,
    mut stop: watch::Receiver<bool>,
    established: Arc<AtomicU64>,
    heartbeats: Arc<AtomicU64>,
) -> bool {
    let Ok(mut tcp) = tokio::net::TcpStream::connect(&addr).await else {
        return false;
    };
    let request = format!(
        "POST /assist/draft-graph/stream HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{BODY}",
        BODY.len()
    );
    if tcp.write_all(request.as_bytes()).await.is_err() {
        return false;
    }
    let mut buf = [0u8; 2048];
    let mut body = Vec::new();
    let mut response = ResponseBody::default();
    let mut decoder = SseDecoder::new();
    let mut own_beats = 0u64;
    loop {
        tokio::select! {
            read = tcp.read(&mut buf) => match read {
                Ok(0) | Err(_) => return false,
                Ok(n) => {
                    // Reads split events and comments anywhere: the decoder joins them again.
                    body.clear();
                    if response.feed(&buf[..n], &mut body).is_err() {
                        return false;
                    }
                    let mut n_beats = 0u64;
                    decoder.feed_with(&body, |item| match item {
                        SseItem::Comment("heartbeat") => n_beats += 1,
                        SseItem::Event(e) if e.event == "resume" => {
                            established.store(1, Ordering::Relaxed);
                        }
                        _ => {}
                    });
                    own_beats += n_beats;
                    heartbeats.fetch_add(n_beats, Ordering::Relaxed);
                }
            },
            _ = stop.wait_for(|s| *s) => return established.load(Ordering::Relaxed) == 1 && own_beats > 0,
        }
    }
}

/// The body of an HTTP/1.1 response read off the socket in pieces: the head is skipped and
/// `Transfer-Encoding: chunked` framing removed.
#[derive(Debug, Default)]
struct ResponseBody {
    /// The head so far, until its blank line has been seen.
    head: Vec<u8>,
    head_done: bool,
    chunked: bool,
    state: Chunked,
    /// The chunk size read so far on a size line.
    size: u64,
}

/// Where the chunked decoder is.
#[derive(Debug, Default)]
enum Chunked {
    /// Reading a chunk-size line (hex digits, maybe extensions, then CRLF).
    #[default]
    Size,
    /// Inside a chunk-size line's extensions, until LF.
    SizeRest,
    /// Reading this many bytes of chunk data.
    Data(u64),
    /// Skipping the CRLF after a chunk's data.
    DataEnd,
    /// The last chunk was seen.
    Done,
}

impl ResponseBody {
    /// Appends the body bytes in `input` to `out`.
    fn feed(&mut self, mut input: &[u8], out: &mut Vec<u8>) -> Result<(), &'static str> {
        if !self.head_done {
            let from = self.head.len().saturating_sub(3);
            self.head.extend_from_slice(input);
            let Some(end) = self.head[from..]
                .windows(4)
                .position(|w| w == b"\r\n\r\n")
                .map(|i| from + i + 4)
            else {
                return Ok(());
            };
            let head = String::from_utf8_lossy(&self.head[..end]).to_ascii_lowercase();
            if !head.starts_with("http/1.1 200") {
                return Err("not a 200 response");
            }
            self.chunked = head.contains("\r\ntransfer-encoding: chunked\r\n");
            self.head_done = true;
            let rest = self.head.split_off(end);
            self.head = Vec::new();
            return self.feed(&rest, out);
        }
        if !self.chunked {
            out.extend_from_slice(input);
            return Ok(());
        }
        while let Some((&b, rest)) = input.split_first() {
            match &mut self.state {
                Chunked::Size => {
                    input = rest;
                    match b {
                        b'0'..=b'9' | b'a'..=b'f' | b'A'..=b'F' => {
                            let digit = u64::from(char::from(b).to_digit(16).unwrap_or(0));
                            self.size = self
                                .size
                                .checked_mul(16)
                                .and_then(|s| s.checked_add(digit))
                                .ok_or("chunk size overflows")?;
                        }
                        b'\n' => self.end_size_line(),
                        _ => self.state = Chunked::SizeRest,
                    }
                }
                Chunked::SizeRest => {
                    input = rest;
                    if b == b'\n' {
                        self.end_size_line();
                    }
                }
                Chunked::Data(left) => {
                    let take = usize::try_from(*left)
                        .unwrap_or(usize::MAX)
                        .min(input.len());
                    out.extend_from_slice(&input[..take]);
                    input = &input[take..];
                    *left -= take as u64;
                    if *left == 0 {
                        self.state = Chunked::DataEnd;
                    }
                }
                Chunked::DataEnd => {
                    input = rest;
                    if b == b'\n' {
                        self.state = Chunked::Size;
                    }
                }
                Chunked::Done => return Ok(()),
            }
        }
        Ok(())
    }

    fn end_size_line(&mut self) {
        let size = std::mem::take(&mut self.size);
        self.state = if size == 0 {
            Chunked::Done
        } else {
            Chunked::Data(size)
        };
    }
}
