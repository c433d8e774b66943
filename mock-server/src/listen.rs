//! The accept loop: HTTP/1.1 connections served by hyper, with graceful shutdown.
//!
//! A hand-written loop rather than `axum::serve`: it serves HTTP/1.1 only (no protocol
//! detection, so each idle stream holds less memory), sends every request outside `/__admin`
//! straight to the handler (no routing table on the hot path), and lets the server wait for its
//! connections when it stops.
//!
//! The HTTP limits live here: a header read timeout (hyper's, driven by tokio's timer), a
//! request-head size limit (hyper answers 431, as Node does), at most 100 header lines (431 too)
//! and a bound on open connections (503, then close). The body limit is the handler's
//! (`body::read_limited`).

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::response::Response;
use bytes::Bytes;
use futures_util::future::Either;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};
use tower_service::Service;

use crate::body::Shutdown;
use crate::envelope;
use crate::handler;
use crate::server::App;

/// Accepts and serves connections until `shutdown`, then waits for open connections to finish
/// (streams end themselves on shutdown; idle keep-alive connections are closed).
pub(crate) async fn serve(listener: TcpListener, app: Arc<App>, admin: Router, shutdown: Shutdown) {
    let (all_closed, connection_open) = watch::channel(());
    let mut http = hyper::server::conn::http1::Builder::new();
    http.keep_alive(true)
        .writev(true)
        .timer(TokioTimer::new())
        .header_read_timeout(app.config.header_timeout)
        .max_header_size(app.config.max_header_bytes);
    let slots = Arc::new(Semaphore::new(app.config.max_connections));
    let refusal = too_many_connections(app.config.max_connections);
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = shutdown.wait() => break,
        };
        let tcp = match accepted {
            Ok((tcp, _)) => tcp,
            Err(e) => {
                // Out of file descriptors and the like: back off instead of spinning.
                tracing::warn!(error = %e, "accept failed");
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            }
        };
        let Ok(slot) = Arc::clone(&slots).try_acquire_owned() else {
            tokio::spawn(refuse(tcp, refusal.clone()));
            continue;
        };
        // Events must leave as soon as they are written.
        let _ = tcp.set_nodelay(true);
        let (app, admin) = (Arc::clone(&app), admin.clone());
        let service = hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
            let request = request.map(Body::new);
            if request.uri().path().starts_with("/__admin") {
                // Router is always ready; `call` needs no `poll_ready` first.
                Either::Left(admin.clone().call(request))
            } else {
                let app = Arc::clone(&app);
                // Boxed: hyper keeps a connection's in-flight future slot for the connection's
                // life, so the large handler state lives only while a request is handled.
                Either::Right(Box::pin(async move {
                    Ok::<Response, Infallible>(handler::handle(app, request).await)
                }))
            }
        });
        let conn = http.serve_connection(TokioIo::new(tcp), service);
        let (shutdown, open) = (shutdown.clone(), connection_open.clone());
        tokio::spawn(async move {
            let mut conn = std::pin::pin!(conn);
            tokio::select! {
                _ = conn.as_mut() => {}
                () = shutdown.wait() => {
                    conn.as_mut().graceful_shutdown();
                    let _ = conn.await;
                }
            }
            drop(open);
            drop(slot);
        });
    }
    drop(listener);
    drop(connection_open);
    all_closed.closed().await;
}

/// The whole answer to a connection over `--max-connections`: 503 `error.v1`, `Retry-After: 1`
/// (the SDK's retry policy waits and tries again), then the connection is closed.
fn too_many_connections(limit: usize) -> Bytes {
    let message = format!(
        "Too many connections: this server serves at most {limit} at once (--max-connections)"
    );
    let body = envelope::error_v1("INTERNAL", &message, None);
    let hash = olumi::response_hash::response_hash(&body).unwrap_or_default();
    let head = format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json; charset=utf-8\r\n\
         content-length: {}\r\nretry-after: 1\r\nx-olumi-response-hash: {hash}\r\n\
         connection: close\r\n\r\n",
        body.len()
    );
    let mut out = Vec::with_capacity(head.len() + body.len());
    out.extend_from_slice(head.as_bytes());
    out.extend_from_slice(&body);
    Bytes::from(out)
}

/// Sends the refusal and closes. The request is read (up to 64 KiB, for at most a second) so
/// that the close is a clean FIN after the answer rather than a reset that could discard it.
async fn refuse(mut tcp: TcpStream, answer: Bytes) {
    let _ = tokio::time::timeout(Duration::from_secs(1), async move {
        tcp.write_all(&answer).await?;
        tcp.shutdown().await?;
        let mut sink = [0u8; 4096];
        let mut drained = 0;
        while drained < 64 * 1024 {
            match tcp.read(&mut sink).await? {
                0 => break,
                n => drained += n,
            }
        }
        Ok::<(), std::io::Error>(())
    })
    .await;
}
