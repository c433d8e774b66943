//! Olumi Assistants Service SDK core.
//!
//! Everything in this crate except the transport, client and stream-driver modules is sans-IO:
//! plain functions and state machines that never open a socket and never read the system clock.
//! Time is always a parameter, so every behaviour can be tested byte for byte and instant for
//! instant.
//!
//! - [`signing`]: HMAC-SHA256 request signatures (timestamp + nonce), both body-hash modes.
//! - [`verify`]: what a server does with those signatures: constant-time check, skew window,
//!   replay protection through a bounded [`verify::NonceStore`].
//! - [`canonical_json`] and [`response_hash`]: the `x-olumi-response-hash` header, byte-exact with
//!   the service's `JSON.stringify(canonicalize(JSON.parse(body)))`.
//! - [`sse`]: an incremental, bounded, WHATWG-conformant Server-Sent Events decoder.
//! - [`retry`]: the retry decision (backoff, jitter, Retry-After, deadline, budget).
//! - [`stream_session`]: the resilient stream as a state machine (idle timer, one resume, one
//!   fallback), fed bytes and instants by its driver.
//! - [`models`]: the service's request and response shapes; unknown fields are kept.
//! - [`error`]: the one error type every language maps from.
//! - [`routes`]: the one list of the service's product routes, one typed client method each.
//!
//! The I/O shell is thin: `transport` (private) is the only module that touches reqwest,
//! [`client`] has one method per route, and [`stream`] drives a [`stream_session::StreamSession`]
//! with tokio.
//!
//! ```no_run
//! # async fn demo() -> Result<(), olumi::Error> {
//! use olumi::{Client, StreamEvent, models::DraftGraphInput, signing::BodyHashMode};
//!
//! let client = Client::builder("http://127.0.0.1:8787")
//!     .hmac_secret("test-hmac-secret", BodyHashMode::Unbound)
//!     .build()?;
//! let input = DraftGraphInput::new("Should we expand our SaaS product into the European market next year?");
//! let mut stream = client.draft_graph_stream(&input).await?;
//! while let Some(event) = stream.next().await {
//!     if let StreamEvent::Complete(done) = event? {
//!         println!("{} nodes via {:?}", done.output.graph.nodes.len(), done.via);
//!     }
//! }
//! # Ok(()) }
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod cancel_flag;
pub mod canonical_json;
pub mod client;
pub mod clock;
pub mod error;
mod hex;
pub mod models;
pub mod response_hash;
pub mod retry;
pub mod routes;
mod set_if_some;
pub mod signing;
pub mod sse;
pub mod stream;
pub mod stream_session;
mod transport;
pub mod verify;

pub use client::{Client, ClientBuilder};
pub use error::{ApiError, ApiErrorCategory, ApiErrorCode, Error, ErrorKind, StreamError};
pub use set_if_some::SetIfSome;
pub use stream::{CeeDraftGraphStream, DraftGraphStream, EventStream, JsonEventStream};
pub use stream_session::{CompletedVia, StreamEvent, StreamSummary};
