//! A stream that drops mid-way: one resume, no duplicate events, and how it ended.
//!
//! `olumi-mock --port 8787 --hmac-secret test-hmac-secret` then
//! `cargo run -p olumi-examples --bin streaming_with_resume`.

use std::time::Duration;

use olumi::models::DraftGraphInput;
use olumi::signing::BodyHashMode;
use olumi::{Client, Error, StreamEvent};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let base_url =
        std::env::var("OLUMI_BASE_URL").unwrap_or_else(|_| "http://127.0.0.1:8787".to_owned());
    for fault in ["drop-after-events=2", "stall-after-events=2"] {
        let client = Client::builder(&base_url)
            .hmac_secret("test-hmac-secret", BodyHashMode::Unbound)
            .stream_idle_timeout(Duration::from_secs(2))
            .header("X-Mock-Fault", fault)
            .build()?;
        let input = DraftGraphInput::new(
            "Should we expand our SaaS product into the European market next year?",
        );
        let mut stream = client.draft_graph_stream(&input).await?;
        while let Some(event) = stream.next().await {
            match event {
                Ok(StreamEvent::Complete(done)) => {
                    println!("[{fault}] complete via {:?}", done.via)
                }
                Ok(event) => println!("[{fault}] {event:?}"),
                Err(e) => println!("[{fault}] failed: {e}"),
            }
        }
        let summary = stream.summary();
        println!(
            "[{fault}] {} events, {} resumes, {} replayed events skipped, fallback {}, first failure: {:?}",
            summary.events,
            summary.resumes,
            summary.skipped,
            summary.fallback,
            summary.first_failure
        );
    }
    Ok(())
}
