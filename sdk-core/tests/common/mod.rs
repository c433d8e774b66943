//! Helpers shared by the test files that run the client against a real `olumi-mock` on
//! 127.0.0.1 (`client.rs`, `routes.rs`).
#![allow(dead_code, reason = "each test file uses its own subset")]

use std::time::Duration;

use olumi::ClientBuilder;
use olumi::signing::BodyHashMode;
use olumi_mock::{AuthMode, JournalEntry, MockServer};

pub(crate) const SECRET: &str = "test-hmac-secret";
pub(crate) const KEY: &str = "test-api-key";
pub(crate) const BRIEF: &str =
    "Should we expand our SaaS product into the European market next year?";

/// A mock that verifies signatures with [`SECRET`] in `mode` and accepts the API key [`KEY`],
/// with fast heartbeats and seeded ids.
pub(crate) async fn server(mode: AuthMode) -> MockServer {
    MockServer::builder()
        .hmac_secret(SECRET)
        .api_key(KEY)
        .auth_mode(mode)
        .heartbeat(Duration::from_millis(50))
        .seed(7)
        .start()
        .await
        .expect("mock server starts")
}

/// A client for `server` signing with [`SECRET`], with a short stream idle timeout.
pub(crate) fn hmac_client_builder(server: &MockServer, mode: BodyHashMode) -> ClientBuilder {
    olumi::Client::builder(server.url())
        .hmac_secret(SECRET, mode)
        .stream_idle_timeout(Duration::from_millis(400))
}

/// The journal's requests to `path` (query ignored).
pub(crate) fn requests_to<'a>(journal: &'a [JournalEntry], path: &str) -> Vec<&'a JournalEntry> {
    journal
        .iter()
        .filter(|e| e.target.split('?').next() == Some(path))
        .collect()
}
