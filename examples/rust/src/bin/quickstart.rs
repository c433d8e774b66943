//! Sign a call, verify the reply, stream a draft: the whole SDK in one screen.
//!
//! Run against a mock server: `olumi-mock --port 8787 --hmac-secret test-hmac-secret`, then
//! `cargo run -p olumi-examples --bin quickstart` (`OLUMI_BASE_URL` overrides the address).

use olumi::models::DraftGraphInput;
use olumi::signing::BodyHashMode;
use olumi::{Client, StreamEvent};

#[tokio::main]
async fn main() -> Result<(), olumi::Error> {
    let base_url =
        std::env::var("OLUMI_BASE_URL").unwrap_or_else(|_| "http://127.0.0.1:8787".to_owned());
    let secret =
        std::env::var("OLUMI_HMAC_SECRET").unwrap_or_else(|_| "test-hmac-secret".to_owned());
    let client = Client::builder(&base_url)
        .hmac_secret(secret.clone(), BodyHashMode::Unbound)
        .build()?;
    println!("client: {client:?}");

    // A signed GET: the client adds X-Olumi-Signature/-Timestamp/-Nonce and, because response
    // verification is on, checks x-olumi-response-hash before returning.
    let limits = client.limits().await?;
    println!(
        "signed call ok: GET /v1/limits -> key_id {:?}, {} rpm (response hash verified)",
        limits.key_id, limits.rate_limit_rpm
    );

    let input = DraftGraphInput::new(
        "Should we expand our SaaS product into the European market next year?",
    );
    let draft = client.draft_graph(&input).await?;
    println!(
        "signed POST ok: /assist/draft-graph -> {} nodes, {} edges (response hash verified)",
        draft.graph.nodes.len(),
        draft.graph.edges.len()
    );

    let mut stream = client.draft_graph_stream(&input).await?;
    while let Some(event) = stream.next().await {
        match event? {
            StreamEvent::Stage(stage) => {
                println!(
                    "stream: stage {:?}{}",
                    stage.stage,
                    if stage.raw_payload().is_some() {
                        " (preview)"
                    } else {
                        ""
                    }
                )
            }
            StreamEvent::ResumeToken(_) => println!("stream: resume token received"),
            StreamEvent::Heartbeat => println!("stream: heartbeat"),
            StreamEvent::Other { event, .. } => println!("stream: unknown event {event:?}"),
            StreamEvent::Complete(done) => println!(
                "stream: complete via {:?}: {} nodes",
                done.via,
                done.output.graph.nodes.len()
            ),
        }
    }
    let summary = stream.summary();
    println!(
        "stream summary: {} events, {} heartbeats, {} resumes, fallback {}",
        summary.events, summary.heartbeats, summary.resumes, summary.fallback
    );

    // The same stream through a connection that drops after two events (a mock-server fault):
    // the client resumes once, skips what it already delivered, and falls back if it must.
    let flaky = Client::builder(&base_url)
        .hmac_secret(
            std::env::var("OLUMI_HMAC_SECRET").unwrap_or_else(|_| "test-hmac-secret".to_owned()),
            BodyHashMode::Unbound,
        )
        .header("X-Mock-Fault", "drop-after-events=2")
        .build()?;
    let mut stream = flaky.draft_graph_stream(&input).await?;
    let mut delivered = 0;
    while let Some(event) = stream.next().await {
        if let StreamEvent::Complete(done) = event? {
            println!(
                "dropped stream: complete via {:?} after {} events ({} resume, fallback {}; first failure: {})",
                done.via,
                delivered,
                done.summary.resumes,
                done.summary.fallback,
                done.summary
                    .first_failure
                    .as_ref()
                    .map_or("none".to_owned(), ToString::to_string)
            );
        }
        delivered += 1;
    }
    Ok(())
}
