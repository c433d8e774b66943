//! The one mapping from the core's [`olumi::Error`] to the exception classes of
//! `python/olumi/_errors.py`, decided by [`ErrorKind`] and [`ApiErrorCategory`] only.

use olumi::{ApiErrorCategory, Error, ErrorKind};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyType};

use crate::convert::json_to_py;

/// The exception classes, one per error kind and one per API error category.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Config,
    SignatureRejected,
    Integrity,
    Decode,
    Api,
    Authentication,
    Signature,
    RateLimit,
    BadRequest,
    NotFound,
    InternalServer,
    Network,
    Timeout,
    Stream,
    Cancelled,
    Internal,
}

impl Class {
    const COUNT: usize = 16;

    /// THE mapping: each kind to exactly one class; API errors by the core's category.
    fn of(error: &Error) -> Self {
        match error.kind() {
            ErrorKind::Config => Self::Config,
            ErrorKind::SignatureRejected => Self::SignatureRejected,
            ErrorKind::Integrity => Self::Integrity,
            ErrorKind::Decode => Self::Decode,
            ErrorKind::Api => error
                .as_api()
                .map_or(Self::Api, |api| match api.category() {
                    ApiErrorCategory::Authentication => Self::Authentication,
                    ApiErrorCategory::Signature => Self::Signature,
                    ApiErrorCategory::RateLimit => Self::RateLimit,
                    ApiErrorCategory::BadRequest => Self::BadRequest,
                    ApiErrorCategory::NotFound => Self::NotFound,
                    ApiErrorCategory::Internal => Self::InternalServer,
                    ApiErrorCategory::Other => Self::Api,
                }),
            ErrorKind::Network => Self::Network,
            ErrorKind::Timeout => Self::Timeout,
            ErrorKind::Stream => Self::Stream,
            ErrorKind::Cancelled => Self::Cancelled,
            ErrorKind::Internal => Self::Internal,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::Config => "ConfigError",
            Self::SignatureRejected => "SignatureRejectedError",
            Self::Integrity => "IntegrityError",
            Self::Decode => "DecodeError",
            Self::Api => "APIError",
            Self::Authentication => "AuthenticationError",
            Self::Signature => "SignatureError",
            Self::RateLimit => "RateLimitError",
            Self::BadRequest => "BadRequestError",
            Self::NotFound => "NotFoundError",
            Self::InternalServer => "InternalServerError",
            Self::Network => "NetworkError",
            Self::Timeout => "TimeoutError",
            Self::Stream => "StreamError",
            Self::Cancelled => "CancelledError",
            Self::Internal => "InternalError",
        }
    }

    fn get(self, py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
        static CLASSES: [PyOnceLock<Py<PyType>>; Class::COUNT] =
            [const { PyOnceLock::new() }; Class::COUNT];
        CLASSES[self as usize].import(py, "olumi._errors", self.name())
    }
}

/// The core error as the Python exception of its class, with `code`, `kind`, `retryable` and,
/// for API errors, the service's answer (`status`, `code`, `details`, `request_id`,
/// `retry_after` in seconds).
pub(crate) fn to_py(error: Error) -> PyErr {
    Python::attach(|py| build(py, &error).unwrap_or_else(|e| e))
}

fn build(py: Python<'_>, error: &Error) -> PyResult<PyErr> {
    let kwargs = PyDict::new(py);
    kwargs.set_item("kind", error.code())?;
    kwargs.set_item("code", error.code())?;
    kwargs.set_item("retryable", error.is_retryable())?;
    if let Some(api) = error.as_api() {
        kwargs.set_item("code", api.code.as_str())?;
        kwargs.set_item("status", api.status)?;
        kwargs.set_item("message", &api.message)?;
        let details = api
            .details
            .as_ref()
            .map(|d| json_to_py(py, d))
            .transpose()?;
        kwargs.set_item("details", details)?;
        kwargs.set_item("request_id", api.request_id.as_deref())?;
        kwargs.set_item("retry_after", api.retry_after.map(|d| d.as_secs_f64()))?;
    }
    let exception = Class::of(error)
        .get(py)?
        .call((error.to_string(),), Some(&kwargs))?;
    Ok(PyErr::from_value(exception))
}

/// The stable codes of every core error kind (for the test that checks the mapping covers all).
#[pyfunction]
pub(crate) fn _error_kinds() -> Vec<&'static str> {
    ErrorKind::ALL.iter().map(|kind| kind.code()).collect()
}

/// **Test only** (the suite's proof that no panic crosses into Python; never call it otherwise):
/// panics on purpose inside the SDK. `site` picks where: `"convert"` in synchronous code guarded
/// as the conversions of requests and results are, `"block_on"` in a future a sync call waits for, `"awaitable"` in a future spawned for asyncio (returns the awaitable), `"ready"` in
/// a future polled at once by `awaitable_now` (returns the awaitable). Each must raise
/// `olumi.InternalError`.
#[pyfunction]
pub(crate) fn _panic_for_tests(py: Python<'_>, site: &str) -> PyResult<Py<PyAny>> {
    fn boom_now() -> PyResult<Py<PyAny>> {
        panic!("_panic_for_tests: a deliberate panic")
    }
    async fn boom() -> PyResult<Py<PyAny>> {
        // A yield first, so the panic happens on a later poll (on a runtime thread for asyncio).
        tokio::task::yield_now().await;
        boom_now()
    }
    match site {
        "convert" => crate::runtime::catch_panic(boom_now),
        "block_on" => crate::runtime::block_on(py, boom())?,
        "awaitable" => Ok(crate::runtime::awaitable(py, boom())?.unbind()),
        "ready" => Ok(crate::runtime::awaitable_now(py, async { boom_now() })?.unbind()),
        other => Err(to_py(Error::config(format!(
            "_panic_for_tests: unknown site {other:?} (convert, block_on, awaitable, ready)"
        )))),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use olumi::error::TimeoutPhase;
    use olumi::retry::ResponseInfo;
    use olumi::{ApiError, StreamError};

    use super::*;

    /// One error of `kind` (the Python suite makes its errors through the mock instead; this
    /// covers the kinds no Python call can produce, such as a server-side signature rejection).
    fn sample(kind: ErrorKind) -> Error {
        match kind {
            ErrorKind::Config => Error::config("sample"),
            ErrorKind::SignatureRejected => Error::from(olumi::verify::Rejection::ReplayBlocked),
            ErrorKind::Integrity => {
                match olumi::response_hash::verify_response_hash(b"{}", "000000000000") {
                    Err(e) => Error::from(e),
                    Ok(_) => Error::config("unreachable: {} does not hash to zeros"),
                }
            }
            ErrorKind::Decode => Error::Decode {
                what: "sample".to_owned(),
                message: "sample".to_owned(),
            },
            ErrorKind::Api => api_error(418, "TEAPOT"),
            ErrorKind::Network => Error::Network {
                message: "sample".to_owned(),
                source: None,
            },
            ErrorKind::Timeout => Error::Timeout {
                phase: TimeoutPhase::Request,
                after: Duration::from_secs(1),
            },
            ErrorKind::Stream => Error::from(StreamError::Truncated { events: 0 }),
            ErrorKind::Cancelled => Error::Cancelled,
            ErrorKind::Internal => Error::Internal {
                message: "sample".to_owned(),
            },
        }
    }

    fn api_error(status: u16, code: &str) -> Error {
        let body = format!(
            r#"{{"schema":"error.v1","code":"{code}","message":"sample","details":{{"retry_after_seconds":1}}}}"#
        );
        let headers = [("x-request-id", "req-sample")];
        let info = ResponseInfo::new(status)
            .with_headers(&headers)
            .with_body(body.as_bytes());
        Error::from(ApiError::from_response(&info, 0))
    }

    #[test]
    fn every_kind_has_its_own_class() {
        let classes: Vec<Class> = ErrorKind::ALL
            .iter()
            .map(|kind| Class::of(&sample(*kind)))
            .collect();
        for (i, class) in classes.iter().enumerate() {
            assert!(!classes[..i].contains(class), "{class:?} is used twice");
        }
        assert_eq!(
            Class::of(&api_error(403, "REPLAY_BLOCKED")),
            Class::Signature
        );
        assert_eq!(Class::of(&api_error(429, "RATE_LIMITED")), Class::RateLimit);
    }
}
