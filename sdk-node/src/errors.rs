//! The one mapping from the core's [`Error`] to a JS error.
//!
//! Async functions cannot set `err.code` (napi-rs limitation), so the message carries everything:
//! `"<CODE>: <JSON>"`, where `<CODE>` is the core's stable code (`ERR_API`, `ERR_TIMEOUT`, ...)
//! and the JSON holds the message, `retryable`, and for API errors the service's fields.
//! `toSdkError()` in `index.js` builds the JS class from the code alone.

use napi::Status;
use olumi::{ApiError, Error, ErrorKind};
use serde::Serialize;

#[derive(Serialize)]
struct Fields<'a> {
    message: String,
    retryable: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    api: Option<ApiFields<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ApiFields<'a> {
    status: u16,
    code: &'a str,
    message: &'a str,
    category: &'static str,
    details: Option<&'a serde_json::Value>,
    request_id: Option<&'a str>,
    retry_after_ms: Option<f64>,
    schema: Option<&'a str>,
}

impl<'a> From<&'a ApiError> for ApiFields<'a> {
    fn from(api: &'a ApiError) -> Self {
        Self {
            status: api.status,
            code: api.code.as_str(),
            message: &api.message,
            category: api.category().as_str(),
            details: api.details.as_ref(),
            request_id: api.request_id.as_deref(),
            retry_after_ms: api.retry_after.map(|d| d.as_secs_f64() * 1000.0),
            schema: api.schema.as_deref(),
        }
    }
}

/// The JS error for a core error: `"<CODE>: <JSON fields>"`.
pub(crate) fn to_napi(error: Error) -> napi::Error {
    let fields = Fields {
        message: error.to_string(),
        retryable: error.is_retryable(),
        api: error.as_api().map(ApiFields::from),
    };
    let status = match error.kind() {
        ErrorKind::Cancelled => Status::Cancelled,
        _ => Status::GenericFailure,
    };
    // Serialising these plain fields cannot fail; the fallback keeps the code parseable anyway.
    let json = serde_json::to_string(&fields).unwrap_or_else(|_| "{}".to_owned());
    napi::Error::new(status, format!("{}: {json}", error.code()))
}

/// An unusable argument (a request that is not the expected JSON shape, a bad option value).
pub(crate) fn invalid_input(what: &str, why: impl std::fmt::Display) -> napi::Error {
    to_napi(Error::config(format!("{what}: {why}")))
}
