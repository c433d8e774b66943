//! Python bindings of the olumi SDK: the native module `olumi._native`.
//!
//! Conversions only: every behaviour (signing, verification, retries, streaming, resume,
//! fallback, error classification) is the core crate's. See `python/olumi/` for the package
//! around this module and `docs/errors.md` for the error mapping.

mod client;
mod convert;
mod errors;
mod helpers;
mod runtime;
mod stream;
mod testing;
mod value_class;

/// The native module.
#[pyo3::pymodule(gil_used = false)]
mod _native {
    #[pymodule_export]
    use crate::client::{_routes, AsyncClient, Client};
    #[pymodule_export]
    use crate::convert::_model_classes;
    #[pymodule_export]
    use crate::errors::{_error_kinds, _panic_for_tests};
    #[pymodule_export]
    use crate::helpers::{
        SseComment, SseDecoder, SseEvent, SseFinish, SseRetry, SseSkipped, canonical_json,
        generate_nonce, sign, verify_response_hash,
    };
    #[pymodule_export]
    use crate::runtime::{_after_fork_in_child, _before_exit};
    #[pymodule_export]
    use crate::stream::{
        AsyncEventStream, CompleteEvent, EventStream, HeartbeatEvent, OtherEvent, ResumeTokenEvent,
        StageEvent, StreamSummary,
    };
    #[pymodule_export]
    use crate::testing::MockServer;

    #[pymodule_init]
    fn init(module: &pyo3::Bound<'_, pyo3::types::PyModule>) -> pyo3::PyResult<()> {
        crate::runtime::register_fork_hook(module)?;
        crate::runtime::register_exit_hook(module)
    }
}
