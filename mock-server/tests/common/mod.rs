//! Shared test helpers: an HTTP client, signing, SSE reading, temporary fixture directories.
#![allow(dead_code, unreachable_pub)]

use std::path::{Path, PathBuf};
use std::process::Child;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use olumi::signing::{BodyHashMode, Signer, generate_nonce};
use olumi_mock::{MockServer, MockServerBuilder};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

pub const SECRET: &str = "test-hmac-secret";
pub const KEY: &str = "test-api-key";
pub const BRIEF: &str =
    r#"{"brief":"Should we expand our SaaS product into the European market next year?"}"#;

/// Short heartbeats so stream tests run fast.
pub const HEARTBEAT: Duration = Duration::from_millis(50);

/// The mock binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_olumi-mock");

/// A child process (the mock binary, a browser driver) killed by its own handle when dropped, so
/// a failing test leaves nothing running.
pub struct Proc(pub Child);

impl Drop for Proc {
    fn drop(&mut self) {
        if matches!(self.0.try_wait(), Ok(None)) {
            let _ = self.0.kill();
        }
        let _ = self.0.wait();
    }
}

pub fn builder() -> MockServerBuilder {
    MockServer::builder().heartbeat(HEARTBEAT)
}

pub async fn start(builder: MockServerBuilder) -> MockServer {
    builder.start().await.expect("the mock server starts")
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(20))
        .build()
        .expect("client")
}

/// Wall-clock Unix milliseconds: the SDK's one clock reader.
pub use olumi::clock::unix_ms as now_ms;

/// The three signature headers for one request.
pub fn signed(mode: BodyHashMode, method: &str, target: &str, body: &[u8]) -> HeaderMap {
    sign_at(
        SECRET,
        mode,
        method,
        target,
        body,
        now_ms(),
        &generate_nonce(),
    )
}

pub fn sign_at(
    secret: &str,
    mode: BodyHashMode,
    method: &str,
    target: &str,
    body: &[u8],
    ts: u64,
    nonce: &str,
) -> HeaderMap {
    let h = Signer::new(secret, mode)
        .unwrap()
        .sign(method, target, body, ts, nonce)
        .unwrap();
    let mut map = HeaderMap::new();
    for (name, value) in h.pairs() {
        map.insert(
            HeaderName::from_bytes(name.as_bytes()).unwrap(),
            HeaderValue::from_str(value).unwrap(),
        );
    }
    map
}

/// The legacy signature headers (no timestamp, no nonce).
pub fn legacy_signed(method: &str, target: &str) -> HeaderMap {
    let signer = Signer::new(SECRET, BodyHashMode::Unbound).unwrap();
    let sig = signer.hmac_hex(format!("{method}\n{target}\n").as_bytes());
    let mut map = HeaderMap::new();
    map.insert("x-olumi-signature", HeaderValue::from_str(&sig).unwrap());
    map
}

pub fn header<'a>(resp: &'a reqwest::Response, name: &str) -> Option<&'a str> {
    resp.headers().get(name).and_then(|v| v.to_str().ok())
}

/// A POST of [`BRIEF`] to `base` + `target`, signed (unbound) with [`SECRET`].
pub fn signed_post(base: &str, target: &str) -> reqwest::RequestBuilder {
    client()
        .post(format!("{base}{target}"))
        .headers(signed(BodyHashMode::Unbound, "POST", target, b""))
        .header("content-type", "application/json")
        .body(BRIEF)
}

/// Reads a body to its end: the bytes, and whether it ended cleanly (false: the connection
/// broke, as a dropped stream does).
pub async fn read_body(mut resp: reqwest::Response) -> (Vec<u8>, bool) {
    let mut out = Vec::new();
    loop {
        match resp.chunk().await {
            Ok(Some(chunk)) => out.extend_from_slice(&chunk),
            Ok(None) => return (out, true),
            Err(_) => return (out, false),
        }
    }
}

/// Reads until `pred` holds for the bytes so far, the body ends, or `within` passes.
/// Returns the bytes and how it stopped.
pub async fn read_until(
    resp: &mut reqwest::Response,
    within: Duration,
    pred: impl Fn(&[u8]) -> bool,
) -> (Vec<u8>, ReadStop) {
    let mut out = Vec::new();
    let deadline = tokio::time::Instant::now() + within;
    loop {
        if pred(&out) {
            return (out, ReadStop::Matched);
        }
        match tokio::time::timeout_at(deadline, resp.chunk()).await {
            Err(_) => return (out, ReadStop::TimedOut),
            Ok(Ok(Some(chunk))) => out.extend_from_slice(&chunk),
            Ok(Ok(None)) => return (out, ReadStop::Ended),
            Ok(Err(_)) => return (out, ReadStop::Broken),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadStop {
    Matched,
    Ended,
    Broken,
    TimedOut,
}

/// One SSE block: an event (`name`, `data`) or a comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frame {
    Event { name: String, data: String },
    Comment(String),
}

impl Frame {
    pub fn json(&self) -> serde_json::Value {
        match self {
            Self::Event { data, .. } => serde_json::from_str(data).expect("event data is JSON"),
            Self::Comment(_) => panic!("a comment has no data"),
        }
    }

    pub fn name(&self) -> &str {
        match self {
            Self::Event { name, .. } => name,
            Self::Comment(_) => ":",
        }
    }
}

/// Splits an SSE body into complete frames (a trailing partial frame is ignored).
pub fn frames(body: &[u8]) -> Vec<Frame> {
    let text = std::str::from_utf8(body).expect("SSE is UTF-8");
    assert!(!text.contains('\r'), "the service uses LF only");
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(end) = rest.find("\n\n") {
        let block = &rest[..end];
        rest = &rest[end + 2..];
        if let Some(comment) = block.strip_prefix(": ") {
            out.push(Frame::Comment(comment.to_owned()));
            continue;
        }
        let mut name = String::new();
        let mut data = Vec::new();
        for line in block.lines() {
            if let Some(v) = line.strip_prefix("event: ") {
                name = v.to_owned();
            } else if let Some(v) = line.strip_prefix("data: ") {
                data.push(v);
            } else {
                panic!("unexpected SSE line {line:?}");
            }
        }
        out.push(Frame::Event {
            name,
            data: data.join("\n"),
        });
    }
    out
}

pub fn events(body: &[u8]) -> Vec<Frame> {
    frames(body)
        .into_iter()
        .filter(|f| matches!(f, Frame::Event { .. }))
        .collect()
}

pub fn count_events(body: &[u8]) -> usize {
    events(body).len()
}

/// Whether the body holds the COMPLETE stage (or a resume's `complete`).
pub fn has_complete(body: &[u8]) -> bool {
    events(body)
        .iter()
        .any(|f| f.name() == "complete" || (f.name() == "stage" && f.json()["stage"] == "COMPLETE"))
}

pub fn json(body: &[u8]) -> serde_json::Value {
    serde_json::from_slice(body).expect("a JSON body")
}

/// Checks `x-olumi-response-hash` against the body with the core's own function.
pub fn assert_hash(resp_headers: &HeaderMap, body: &[u8]) {
    let header = resp_headers
        .get("x-olumi-response-hash")
        .expect("x-olumi-response-hash present")
        .to_str()
        .unwrap();
    assert_eq!(
        header,
        olumi::response_hash::response_hash(body).unwrap(),
        "hash of {}",
        String::from_utf8_lossy(body)
    );
}

pub fn is_uuid_v4(s: &str) -> bool {
    let b = s.as_bytes();
    s.len() == 36
        && [8, 13, 18, 23].iter().all(|&i| b[i] == b'-')
        && b[14] == b'4'
        && s.chars()
            .filter(|c| *c != '-')
            .all(|c| c.is_ascii_hexdigit())
}

/// A fresh temporary directory, removed on drop.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new() -> Self {
        static N: AtomicU32 = AtomicU32::new(0);
        let dir = std::env::temp_dir().join(format!(
            "olumi-mock-test-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A slow draft stream: DRAFTING, resume, preview (seq 2), then COMPLETE after `wait_ms`.
pub fn slow_stream_fixture(wait_ms: u64) -> String {
    format!(
        r#"{{
  "name": "draft-graph-stream",
  "match": {{"method": "POST", "path": "/assist/draft-graph/stream"}},
  "diagnostics": true,
  "stream": {{"steps": [
    {{"event": "stage", "data": {{"stage": "DRAFTING"}}}},
    {{"resume_token": "secret"}},
    {{"event": "stage", "data": {{"stage": "DRAFTING", "payload": {{"preview": true}}}}}},
    {{"sleep_ms": {wait_ms}}},
    {{"event": "stage", "data": {{"stage": "COMPLETE", "payload": {{"graph": {{"version": "1", "nodes": [], "edges": []}}}}}}}}
  ]}}
}}"#
    )
}
