//! Bring your own `reqwest::Client` (proxies, TLS roots, pool sizes): signing, retries and
//! verification work the same.
//!
//! `olumi-mock --port 8787 --api-key test-api-key` then
//! `cargo run -p olumi-examples --bin custom_http_client`.

use std::time::Duration;

use olumi::{Client, Error};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let base_url =
        std::env::var("OLUMI_BASE_URL").unwrap_or_else(|_| "http://127.0.0.1:8787".to_owned());
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(4)
        .tcp_nodelay(true)
        .build()
        .map_err(|e| Error::config(e.to_string()))?;
    let client = Client::builder(&base_url)
        .api_key(std::env::var("OLUMI_API_KEY").unwrap_or_else(|_| "test-api-key".to_owned()))
        .http_client(http)
        .request_timeout(Duration::from_secs(10))
        .user_agent("my-app/1.0")
        .build()?;
    let health = client.health().await?;
    println!(
        "healthz ok={} via a caller-supplied reqwest client",
        health.ok
    );
    Ok(())
}
