//! The accept loop: HTTP/1.1 connections served by hyper, with graceful shutdown.
//!
//! A hand-written loop rather than `axum::serve`: it serves HTTP/1.1 only (no protocol
//! detection, so each idle stream holds less memory), sends every request outside `/__admin`
//! straight to the handler (no routing table on the hot path), and lets the server wait for its
//! connections when it stops.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::response::Response;
use futures_util::future::Either;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tower_service::Service;

use crate::body::Shutdown;
use crate::handler;
use crate::server::App;

/// Accepts and serves connections until `shutdown`, then waits for open connections to finish
/// (streams end themselves on shutdown; idle keep-alive connections are closed).
pub(crate) async fn serve(listener: TcpListener, app: Arc<App>, admin: Router, shutdown: Shutdown) {
    let (all_closed, connection_open) = watch::channel(());
    let mut http = hyper::server::conn::http1::Builder::new();
    http.keep_alive(true).writev(true);
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
        });
    }
    drop(listener);
    drop(connection_open);
    all_closed.closed().await;
}
