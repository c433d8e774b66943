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
#[napi(catch_unwind)]
pub fn error_kinds() -> Vec<&'static str> {
    olumi::ErrorKind::ALL
        .iter()
        .map(|kind| kind.code())
        .collect()
}

/// **Test only** (the suite's proof that no panic crosses into JS; never call it otherwise):
/// panics on purpose in this synchronous export, which `catch_unwind` turns into an error that
/// `index.js` maps to `OlumiInternalError` (`ERR_INTERNAL`).
#[napi(catch_unwind)]
pub fn panic_for_tests() {
    panic!("panicForTests: a deliberate panic");
}

/// **Test only**, like `panicForTests`, in a Promise: `site` `"call"` panics inside a core
/// future run by the helper every async method uses (`Call::run`), `"task"` directly in an async
/// export. Each must reject with `ERR_INTERNAL`, never stay pending.
#[napi(catch_unwind)]
pub async fn panic_for_tests_async(site: String) -> napi::Result<()> {
    async fn boom() -> Result<(), olumi::Error> {
        // A yield first, so the panic happens on a later poll, on a runtime thread.
        tokio::task::yield_now().await;
        panic!("panicForTestsAsync: a deliberate panic")
    }
    match site.as_str() {
        "call" => cancel::Call::new(None, None)?.run(boom()).await,
        "task" => boom().await.map_err(errors::to_napi),
        other => Err(errors::invalid_input(
            "panicForTestsAsync",
            format!("unknown site {other:?} (call, task)"),
        )),
    }
}

/// Worker threads of the addon's tokio runtime: one fewer than the cores (JS keeps one busy),
/// at least one, at most four. The addon's work is mostly waiting on sockets, and on a small
/// machine more workers than free cores only add thread hand-offs: on two cores one worker
/// streams ~25 % faster than napi's default of one worker per core.
fn worker_threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .saturating_sub(1)
        .clamp(1, 4)
}

#[napi_derive::module_init]
fn init() {
    // Without a runtime nothing asynchronous works; failing to start threads is unrecoverable.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(worker_threads())
        .thread_name("olumi-node")
        .enable_all()
        .build()
        .expect("the olumi addon cannot start its tokio runtime");
    napi::bindgen_prelude::create_custom_tokio_runtime(runtime);
}
