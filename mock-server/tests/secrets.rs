//! No secret, API key or signature in any text a user can see: `Debug` and `Display` of clients,
//! builders, servers, errors and journal entries, the journal as JSON, and the mock's logs at
//! trace level (every crate's events, captured in-process). The binary's own trace logs are
//! checked in `cli.rs`; the Python and Node suites have the same test for their objects.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use common::*;
use olumi::signing::{BodyHashMode, generate_nonce};
use olumi::{Client, Error};
use olumi_mock::{FaultInjection, MockServer};

/// Distinctive values, so that any leak of them (or of a signature) is found by a substring search.
const HMAC_SECRET: &str = "hmac-secret-8d1f3c5e7a9b";
const API_KEY: &str = "api-key-2e4a6c8d0f1b";
const RESUME_SECRET: &str = "resume-secret-5b7d9f1a3c";

/// Everything the trace subscriber writes.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(PoisonError::into_inner)).into_owned()
    }
}

fn assert_clean(what: &str, text: &str, secrets: &[&str]) {
    for secret in secrets {
        assert!(
            !text.contains(secret),
            "{what} shows a secret ({secret}):\n{text}"
        );
    }
}

#[tokio::test]
async fn no_secret_in_debug_display_journal_or_trace_logs() {
    let logs = Captured::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let builder = MockServer::builder()
        .hmac_secret(HMAC_SECRET)
        .api_key(API_KEY)
        .resume_secret(RESUME_SECRET)
        .heartbeat(HEARTBEAT);
    let mut texts = vec![format!("{builder:?}")];
    let server = start(builder).await;
    texts.push(format!("{server:?}"));

    // A signature the test knows, sent by hand, so that its leak can be searched for.
    let target = "/assist/draft-graph";
    let nonce = generate_nonce();
    let headers = sign_at(
        HMAC_SECRET,
        BodyHashMode::Unbound,
        "POST",
        target,
        b"",
        now_ms(),
        &nonce,
    );
    let signature = headers["x-olumi-signature"].to_str().unwrap().to_owned();
    let resp = client()
        .post(format!("{}{target}", server.url()))
        .headers(headers)
        .header("content-type", "application/json")
        .body(BRIEF)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);

    let hmac = Client::builder(server.url())
        .hmac_secret(HMAC_SECRET, BodyHashMode::Unbound)
        .max_retries(0)
        .stream_idle_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let keyed = Client::builder(server.url())
        .api_key(API_KEY)
        .max_retries(0)
        .build()
        .unwrap();
    let bearer = Client::builder(server.url())
        .bearer_token(API_KEY)
        .max_retries(0)
        .build()
        .unwrap();
    texts.extend([
        format!("{hmac:?}"),
        format!("{keyed:?}"),
        format!("{bearer:?}"),
    ]);
    hmac.limits().await.expect("signed call");
    keyed.limits().await.expect("keyed call");
    bearer.limits().await.expect("bearer call");
    let mut stream = hmac
        .draft_graph_stream(&olumi::models::DraftGraphInput::new(
            "Should we expand our SaaS product into the European market next year?",
        ))
        .await
        .unwrap();
    texts.push(format!("{stream:?}"));
    while let Some(event) = stream.next().await {
        texts.push(format!("{:?}", event.unwrap()));
    }

    // Errors of every kind a secret could reach: refused signature and key, a config error
    // about a bad key, an integrity failure, a stream error, a network error.
    let mut errors: Vec<Error> = Vec::new();
    let wrong_secret = format!("{HMAC_SECRET}-wrong");
    let wrong_key = format!("{API_KEY}-wrong");
    errors.push(
        Client::builder(server.url())
            .hmac_secret(&wrong_secret, BodyHashMode::Unbound)
            .max_retries(0)
            .build()
            .unwrap()
            .limits()
            .await
            .unwrap_err(),
    );
    errors.push(
        Client::builder(server.url())
            .api_key(&wrong_key)
            .max_retries(0)
            .build()
            .unwrap()
            .limits()
            .await
            .unwrap_err(),
    );
    errors.push(
        Client::builder(server.url())
            .api_key(format!("{API_KEY}\n"))
            .build()
            .expect_err("a key with a newline is refused"),
    );
    server.inject_fault(
        FaultInjection::parse("corrupt-hash")
            .unwrap()
            .path("/v1/limits"),
    );
    errors.push(hmac.limits().await.unwrap_err());
    server.inject_fault(
        FaultInjection::parse("stall")
            .unwrap()
            .path("/assist/draft-graph/resume"),
    );
    errors.push(
        hmac.resume("not-a-token", true)
            .await
            .unwrap()
            .next()
            .await
            .unwrap()
            .unwrap_err(),
    );
    for error in &errors {
        texts.push(format!("{error:?}"));
        texts.push(error.to_string());
    }

    let journal = server.journal();
    assert!(journal.len() >= 8, "{} entries", journal.len());
    texts.push(format!("{journal:?}"));
    texts.push(serde_json::to_string(&journal).unwrap());
    let url = server.url();
    server.shutdown().await;
    errors.clear();
    let dead = Client::builder(url)
        .hmac_secret(HMAC_SECRET, BodyHashMode::Unbound)
        .max_retries(0)
        .build()
        .unwrap()
        .limits()
        .await
        .unwrap_err();
    texts.push(format!("{dead:?}"));
    texts.push(dead.to_string());

    let secrets = [
        HMAC_SECRET,
        API_KEY,
        RESUME_SECRET,
        signature.as_str(),
        wrong_secret.as_str(),
        wrong_key.as_str(),
    ];
    for text in &texts {
        assert_clean("a Debug or Display text", text, &secrets);
    }
    let logs = logs.text();
    assert!(
        logs.contains("TRACE") || logs.contains("DEBUG"),
        "trace logs were captured: {logs}"
    );
    assert!(logs.contains("request"), "one line per request");
    assert_clean("the trace logs", &logs, &secrets);
}
