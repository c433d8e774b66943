//! Retries, Retry-After and typed errors, against the mock server's faults.
//!
//! `olumi-mock --port 8787 --hmac-secret test-hmac-secret` then
//! `cargo run -p olumi-examples --bin retries_and_errors`.

use std::time::{Duration, Instant};

use olumi::retry::RetryPolicy;
use olumi::signing::BodyHashMode;
use olumi::{ApiErrorCategory, Client, Error, ErrorKind};

fn client(base_url: &str, fault: &str) -> Result<Client, Error> {
    Client::builder(base_url)
        .hmac_secret("test-hmac-secret", BodyHashMode::Unbound)
        // Every request of this client asks the mock for a fault.
        .header("X-Mock-Fault", fault)
        .retry_policy(RetryPolicy {
            max_retries: 2,
            base_delay: Duration::from_millis(200),
            ..RetryPolicy::default()
        })
        .build()
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let base_url =
        std::env::var("OLUMI_BASE_URL").unwrap_or_else(|_| "http://127.0.0.1:8787".to_owned());

    // A 429 with Retry-After: 1 on every attempt: the client waits as asked, then gives up.
    let started = Instant::now();
    match client(&base_url, "status=429,retry-after=1")?
        .limits()
        .await
    {
        Err(Error::Api(api)) if api.category() == ApiErrorCategory::RateLimit => println!(
            "rate limited after {:.1?} of honoured waits: {api} (retry after {:?})",
            started.elapsed(),
            api.retry_after
        ),
        other => println!("unexpected: {other:?}"),
    }

    // A body altered in transit: the hash check catches it (retried once, then reported).
    match client(&base_url, "tamper-body")?.status().await {
        Err(e) if e.kind() == ErrorKind::Integrity => println!("integrity check caught it: {e}"),
        other => println!("unexpected: {other:?}"),
    }

    // A server that is not there: a network error, retryable, with its cause.
    let nowhere = Client::builder("http://127.0.0.1:9")
        .max_retries(1)
        .build()?;
    if let Err(e) = nowhere.health().await {
        println!("{} (code {}, retryable {})", e, e.code(), e.is_retryable());
    }
    Ok(())
}
