//! The benchmark's baseline: a bare axum server answering every request with the same bytes the
//! mock sends for `POST /assist/suggest-options` (no auth, no hash computation, no journal).
//!
//! `cargo run --release -p olumi-mock --example bare_axum -- [PORT]` prints
//! `listening on http://127.0.0.1:PORT` and serves until SIGINT or SIGTERM.

use std::io::Write;

use axum::Router;
use axum::http::HeaderValue;
use axum::http::header::CONTENT_TYPE;
use axum::response::Response;
use axum::serve::ListenerExt;
use bytes::Bytes;
use serde::Deserialize;
use serde_json::value::RawValue;

const FIXTURE: &str = include_str!("../fixtures/suggest-options.json");

#[derive(Deserialize)]
struct Doc<'a> {
    #[serde(borrow)]
    response: Resp<'a>,
}

#[derive(Deserialize)]
struct Resp<'a> {
    #[serde(borrow)]
    json: &'a RawValue,
}

/// The fixture's body as the mock sends it: JSON without insignificant whitespace.
fn canned_body() -> Bytes {
    let doc: Doc<'_> = serde_json::from_str(FIXTURE).expect("the shipped fixture parses");
    Bytes::from(olumi_mock::minify_json(doc.response.json.get()))
}

#[tokio::main]
async fn main() {
    let port: u16 = std::env::args()
        .nth(1)
        .map_or(0, |p| p.parse().expect("a port number"));
    let body = canned_body();
    let app = Router::new().fallback(move || {
        let body = body.clone();
        async move {
            let mut response = Response::new(axum::body::Body::from(body));
            response.headers_mut().insert(
                CONTENT_TYPE,
                HeaderValue::from_static("application/json; charset=utf-8"),
            );
            response
        }
    });
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .expect("bind 127.0.0.1");
    let addr = listener.local_addr().expect("local address");
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "listening on http://{addr}").expect("stdout");
    stdout.flush().expect("stdout");
    drop(stdout);
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            use tokio::signal::unix::{SignalKind, signal};
            let mut term = signal(SignalKind::terminate()).expect("signal handler");
            tokio::select! {
                _ = term.recv() => {}
                _ = tokio::signal::ctrl_c() => {}
            }
        })
        .await
        .expect("serve");
}
