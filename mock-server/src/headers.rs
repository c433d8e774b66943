//! Header names the server reads and writes, built once (looking a header up by a string parses
//! the name on every call).

use axum::http::HeaderName;

pub(crate) const ASSIST_KEY: HeaderName = HeaderName::from_static("x-olumi-assist-key");
pub(crate) const SIGNATURE: HeaderName = HeaderName::from_static("x-olumi-signature");
pub(crate) const TIMESTAMP: HeaderName = HeaderName::from_static("x-olumi-timestamp");
pub(crate) const NONCE: HeaderName = HeaderName::from_static("x-olumi-nonce");
pub(crate) const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");
pub(crate) const CORRELATION_ID: HeaderName = HeaderName::from_static("x-correlation-id");
pub(crate) const RESPONSE_HASH: HeaderName = HeaderName::from_static("x-olumi-response-hash");
pub(crate) const SERVICE: HeaderName = HeaderName::from_static("x-olumi-service");
pub(crate) const DEGRADED: HeaderName = HeaderName::from_static("x-olumi-degraded");
pub(crate) const MOCK_FAULT: HeaderName = HeaderName::from_static("x-mock-fault");
pub(crate) const RESUME_TOKEN: HeaderName = HeaderName::from_static("x-resume-token");
pub(crate) const RESUME_MODE: HeaderName = HeaderName::from_static("x-resume-mode");
pub(crate) const API_KEY: HeaderName = HeaderName::from_static("x-api-key");
