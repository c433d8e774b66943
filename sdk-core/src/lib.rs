//! Olumi Assistants Service SDK core.
//!
//! Everything in this crate except the (future) transport module is sans-IO: plain functions and
//! state machines that never open a socket and never read the system clock. Time is always a
//! parameter, so every behaviour can be tested byte for byte and instant for instant.
//!
//! - [`signing`]: HMAC-SHA256 request signatures (timestamp + nonce), both body-hash modes.
//! - [`verify`]: what a server does with those signatures: constant-time check, skew window,
//!   replay protection through a bounded [`verify::NonceStore`].
//! - [`canonical_json`] and [`response_hash`]: the `x-olumi-response-hash` header, byte-exact with
//!   the service's `JSON.stringify(canonicalize(JSON.parse(body)))`.
//! - [`sse`]: an incremental, bounded, WHATWG-conformant Server-Sent Events decoder.
//! - [`retry`]: the retry decision (backoff, jitter, Retry-After, deadline, budget).
//! - [`error`]: the one error type every language maps from.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod canonical_json;
pub mod client;
pub mod error;
mod hex;
pub mod models;
pub mod response_hash;
pub mod retry;
pub mod signing;
pub mod sse;
pub mod stream;
pub mod stream_session;
mod transport;
pub mod verify;

pub use client::{Client, ClientBuilder};
pub use error::{ApiError, ApiErrorCategory, ApiErrorCode, Error, ErrorKind, StreamError};
pub use stream::DraftGraphStream;
pub use stream_session::{CompletedVia, StreamEvent, StreamSummary};
