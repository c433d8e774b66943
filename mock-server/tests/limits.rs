//! The HTTP limits, with real sockets on 127.0.0.1: the header read timeout, the request-head
//! size and header-count limits (431), the connection limit (503), and bodies over the limit
//! with and without `Content-Length`. In each case the server keeps serving other clients.

mod common;

use std::net::SocketAddr;
use std::time::Duration;

use common::*;
use olumi_mock::MockServer;
use reqwest::StatusCode;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A bound on how long a socket may take to be answered or closed: only there so that a broken
/// server fails the test instead of hanging it.
const LIVENESS: Duration = Duration::from_secs(20);

async fn connect(addr: SocketAddr, bytes: &[u8]) -> TcpStream {
    let mut tcp = TcpStream::connect(addr).await.expect("connect");
    tcp.write_all(bytes).await.expect("write");
    tcp
}

/// Reads until the server closes the connection (a reset after some bytes counts as closed).
/// Returns what was received.
async fn read_to_close(tcp: &mut TcpStream) -> Vec<u8> {
    let mut out = Vec::new();
    let mut buf = [0u8; 8192];
    let read = tokio::time::timeout(LIVENESS, async {
        loop {
            match tcp.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => out.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await;
    assert!(read.is_ok(), "the server neither answered nor closed");
    out
}

fn status_line(response: &[u8]) -> String {
    let text = String::from_utf8_lossy(response);
    text.lines().next().unwrap_or_default().to_owned()
}

/// The body after the head of a complete HTTP/1.1 answer.
fn body_of(response: &[u8]) -> &[u8] {
    let at = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete head");
    &response[at + 4..]
}

/// 500 half-sent connections, or fewer when the open-files limit would not hold both ends of
/// them (the server runs in this process).
fn half_sent_count() -> usize {
    let limits = std::fs::read_to_string("/proc/self/limits").unwrap_or_default();
    let open_files: usize = limits
        .lines()
        .find(|l| l.starts_with("Max open files"))
        .and_then(|l| l.split_whitespace().nth(3))
        .and_then(|v| v.parse().ok())
        .unwrap_or(1024);
    500.min(open_files.saturating_sub(256) / 2).max(10)
}

async fn assert_serves_others(server: &MockServer) {
    let resp = client()
        .get(format!("{}/healthz", server.url()))
        .send()
        .await
        .expect("the server still answers");
    assert_eq!(resp.status(), StatusCode::OK);
}

#[tokio::test]
async fn half_sent_requests_are_closed_after_the_header_timeout() {
    let server = start(builder().header_timeout(Duration::from_millis(300))).await;
    let mut half_sent = Vec::new();
    for _ in 0..half_sent_count() {
        half_sent.push(connect(server.addr(), b"GET /healthz HTTP/1.1\r\nHost: x\r\n").await);
    }
    // Meanwhile, everyone else is served.
    assert_serves_others(&server).await;
    for tcp in &mut half_sent {
        let received = read_to_close(tcp).await;
        assert!(
            !received.starts_with(b"HTTP/1.1 200"),
            "a half-sent request was answered: {}",
            status_line(&received)
        );
    }
    assert_serves_others(&server).await;
}

#[tokio::test]
async fn a_request_head_over_the_limit_gets_431() {
    let server = start(builder()).await;
    // 15 KB of header fits in the default 16 KiB head.
    let fits = format!(
        "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Pad: {}\r\n\r\n",
        "a".repeat(15_000)
    );
    let mut tcp = connect(server.addr(), fits.as_bytes()).await;
    assert_eq!(
        status_line(&read_to_close(&mut tcp).await),
        "HTTP/1.1 200 OK"
    );

    // 200 KB: written from another task, since the server answers and closes before reading it
    // all.
    let big = format!(
        "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n",
        "a".repeat(200_000)
    );
    let tcp = TcpStream::connect(server.addr()).await.unwrap();
    let (mut read, mut write) = tcp.into_split();
    let writer = tokio::spawn(async move {
        let _ = write.write_all(big.as_bytes()).await;
        write
    });
    let mut received = Vec::new();
    let _ = tokio::time::timeout(LIVENESS, read.read_to_end(&mut received)).await;
    assert_eq!(
        status_line(&received),
        "HTTP/1.1 431 Request Header Fields Too Large"
    );
    drop(writer.await);
    assert_serves_others(&server).await;
}

#[tokio::test]
async fn ten_thousand_tiny_headers_get_431() {
    let many: String = (0..10_000).map(|i| format!("X-H{i}: v\r\n")).collect();
    let request = format!("GET /healthz HTTP/1.1\r\nHost: x\r\n{many}\r\n");
    // Refused by the size limit (the head is ~120 KB), and by the 100-header limit when the size
    // limit is raised out of the way.
    for server in [
        start(builder()).await,
        start(builder().max_header_bytes(1024 * 1024)).await,
    ] {
        let tcp = TcpStream::connect(server.addr()).await.unwrap();
        let (mut read, mut write) = tcp.into_split();
        let bytes = request.clone();
        let writer = tokio::spawn(async move {
            let _ = write.write_all(bytes.as_bytes()).await;
            write
        });
        let mut received = Vec::new();
        let _ = tokio::time::timeout(LIVENESS, read.read_to_end(&mut received)).await;
        assert_eq!(
            status_line(&received),
            "HTTP/1.1 431 Request Header Fields Too Large"
        );
        drop(writer.await);
        assert_serves_others(&server).await;
    }
}

#[tokio::test]
async fn connections_over_the_limit_are_refused_with_503() {
    let server = start(builder().max_connections(2)).await;
    // Two keep-alive connections, each answered once and then held open (idle).
    let mut held = Vec::new();
    for _ in 0..2 {
        let mut tcp = connect(server.addr(), b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").await;
        let mut buf = [0u8; 1024];
        let n = tokio::time::timeout(LIVENESS, tcp.read(&mut buf))
            .await
            .expect("answered")
            .unwrap();
        assert!(buf[..n].starts_with(b"HTTP/1.1 200 OK"));
        held.push(tcp);
    }

    let mut third = connect(
        server.addr(),
        b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    )
    .await;
    let refused = read_to_close(&mut third).await;
    assert_eq!(status_line(&refused), "HTTP/1.1 503 Service Unavailable");
    let text = String::from_utf8_lossy(&refused).to_ascii_lowercase();
    assert!(text.contains("\r\nretry-after: 1\r\n"), "{text}");
    let body = json(body_of(&refused));
    assert_eq!(body["schema"], "error.v1");
    assert_eq!(body["code"], "INTERNAL");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("at most 2 at once"),
        "{body}"
    );

    // Once a held connection closes, its slot is free again.
    drop(held.pop());
    let served = tokio::time::timeout(LIVENESS, async {
        loop {
            let mut tcp = connect(
                server.addr(),
                b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
            )
            .await;
            let received = read_to_close(&mut tcp).await;
            if received.starts_with(b"HTTP/1.1 200 OK") {
                return;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await;
    assert!(served.is_ok(), "the freed slot was never reused");
}

#[tokio::test]
async fn bodies_over_the_limit_are_refused_with_and_without_content_length() {
    let server = start(builder().body_limit(1024)).await;

    // Content-Length over the limit: refused before any of the body is sent.
    let mut tcp = connect(
        server.addr(),
        b"POST /assist/draft-graph HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
          Content-Length: 1000000\r\nConnection: close\r\n\r\n",
    )
    .await;
    let refused = read_to_close(&mut tcp).await;
    assert_eq!(status_line(&refused), "HTTP/1.1 413 Payload Too Large");
    let body = json(body_of(&refused));
    assert_eq!(body["code"], "BAD_INPUT");
    assert_eq!(body["details"]["max_size_bytes"], 1024);

    // Chunked, no Content-Length: refused once the chunks pass the limit.
    let chunk = format!("200\r\n{}\r\n", " ".repeat(512));
    let chunked = format!(
        "POST /assist/draft-graph HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
         Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n{}0\r\n\r\n",
        chunk.repeat(4)
    );
    let mut tcp = connect(server.addr(), chunked.as_bytes()).await;
    let refused = read_to_close(&mut tcp).await;
    assert_eq!(status_line(&refused), "HTTP/1.1 413 Payload Too Large");

    // A chunked body under the limit is read whole.
    let brief = BRIEF.as_bytes();
    let (a, b) = brief.split_at(brief.len() / 2);
    let mut small = format!(
        "POST /assist/draft-graph HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
         Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n{:x}\r\n",
        a.len()
    )
    .into_bytes();
    small.extend_from_slice(a);
    small.extend_from_slice(format!("\r\n{:x}\r\n", b.len()).as_bytes());
    small.extend_from_slice(b);
    small.extend_from_slice(b"\r\n0\r\n\r\n");
    let mut tcp = connect(server.addr(), &small).await;
    assert_eq!(
        status_line(&read_to_close(&mut tcp).await),
        "HTTP/1.1 200 OK"
    );
    assert_serves_others(&server).await;
}
