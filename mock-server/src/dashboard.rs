//! The live dashboard: `GET /__admin/ui` (one page shipped in the binary, no network access),
//! `GET /__admin/events` (the live feed it reads, see `live`) and `GET /__admin/streams` (the
//! streams in flight and the last ended ones, see `streams`).

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::Response;
use axum::routing::get;

use crate::server::App;

/// The page: HTML with its CSS and JS inline, so it loads from the binary alone.
const PAGE: &str = include_str!("ui/index.html");

pub(crate) fn router() -> Router<Arc<App>> {
    Router::new()
        .route("/ui", get(page))
        .route("/events", get(events))
        .route("/streams", get(streams))
}

async fn page() -> Response {
    let mut response = Response::new(PAGE.into());
    let h = response.headers_mut();
    h.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    // The page reads only this server: no script, style or connection elsewhere.
    h.insert(
        CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src data:",
        ),
    );
    h.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

async fn events(State(app): State<Arc<App>>) -> Response {
    let mut response = Response::new(crate::live::watch(&app.live, app.shutdown.clone()));
    let h = response.headers_mut();
    h.insert(CONTENT_TYPE, HeaderValue::from_static("text/event-stream"));
    h.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

async fn streams(State(app): State<Arc<App>>) -> Response {
    let body = serde_json::to_vec(&app.streams.snapshot()).unwrap_or_else(|_| b"[]".to_vec());
    let mut response = Response::new(body.into());
    *response.status_mut() = StatusCode::OK;
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    response
}
