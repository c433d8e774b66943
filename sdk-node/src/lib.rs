//! Node bindings of the olumi SDK (npm package `@olumi/sdk`).
//!
//! Conversions only: every function converts its arguments, calls one core method and converts
//! the result or the error. JSON crosses the boundary as text (`JSON.stringify` on the way in,
//! `JSON.parse` in `index.js` on the way out), which is faster than building JS objects field by
//! field through N-API. The hand-written `index.js` adds the JS idioms: `AbortSignal` ->
//! [`CancelToken`](cancel::CancelToken), an `async function*` over
//! [`EventStream::next_batch`](stream::EventStream::next_batch), and the one error mapping
//! (`toSdkError`) from the `"ERR_*: {...}"` messages made in `errors.rs`.

pub mod cancel;
pub mod client;
mod errors;
pub mod helpers;
#[cfg(feature = "mock")]
pub mod mock;
pub mod stream;
pub mod types;

use napi_derive::napi;

/// The stable code of every core error kind (`ERR_CONFIG`, `ERR_API`, ...), in the core's order.
#[napi]
pub fn error_kinds() -> Vec<&'static str> {
    olumi::ErrorKind::ALL
        .iter()
        .map(|kind| kind.code())
        .collect()
}
