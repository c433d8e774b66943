//! The one error type of the SDK.
//!
//! Every failure anywhere in the SDK is an [`Error`]. Each has a [`kind`](Error::kind) (one of a
//! closed list, which each binding maps once to one native error class), a stable
//! [`code`](Error::code) string, and [`is_retryable`](Error::is_retryable). No variant ever holds
//! a secret: API keys, HMAC secrets and signatures are never copied into an error.

use std::any::Any;
use std::fmt;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::task::Poll;
use std::time::Duration;

use crate::canonical_json::JsonError;
use crate::response_hash::IntegrityError;
use crate::retry::{ResponseInfo, is_retryable_status, server_retry_after_parsed};
use crate::signing::SigningError;
use crate::sse::SseError;
use crate::verify::Rejection;

/// The boxed cause of a network error.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Every error the SDK returns.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The client or server was configured wrongly (empty secret, bad URL, bad option).
    #[error("invalid configuration: {message}")]
    Config {
        /// What is wrong, naming the option.
        message: String,
    },
    /// A request could not be signed because one of its parts is malformed.
    #[error("cannot sign request: {0}")]
    Signing(#[source] SigningError),
    /// A server-side signature check rejected a request.
    #[error("signature rejected: {0}")]
    Rejected(#[from] Rejection),
    /// A response body does not match its `x-olumi-response-hash`.
    #[error("response integrity check failed: {0}")]
    Integrity(#[from] IntegrityError),
    /// A body is not valid JSON.
    #[error("invalid JSON: {0}")]
    Json(#[from] JsonError),
    /// A body is valid JSON but does not have the expected shape.
    #[error("unexpected response shape for {what}: {message}")]
    Decode {
        /// What was being decoded (a model name or route).
        what: String,
        /// The decoder's message.
        message: String,
    },
    /// The service answered with an error (`error.v1`, `cee.error.v1`, or an unknown body).
    #[error(transparent)]
    Api(Box<ApiError>),
    /// The connection failed or broke.
    #[error("network error: {message}")]
    Network {
        /// What failed.
        message: String,
        /// The underlying error.
        #[source]
        source: Option<BoxError>,
    },
    /// An operation ran out of time.
    #[error("timed out: {phase} after {after:?}")]
    Timeout {
        /// Which limit was hit.
        phase: TimeoutPhase,
        /// The limit in force.
        after: Duration,
    },
    /// A stream failed (idle timeout, truncation, undecodable events).
    #[error("stream failed: {0}")]
    Stream(#[from] StreamError),
    /// The caller cancelled the operation.
    #[error("cancelled")]
    Cancelled,
    /// A bug inside the SDK: a panic caught at a binding's boundary ([`Error::from_panic`]).
    /// Not retryable; please report it.
    #[error("internal error in the olumi SDK (a bug, please report it): {message}")]
    Internal {
        /// The panic's message.
        message: String,
    },
}

/// Runs `fut`, turning a panic while it is polled into [`Error::Internal`] (the bindings wrap
/// every future they hand to a runtime in this, so a panic inside one neither unwinds into the
/// host language nor leaves its caller waiting forever).
///
/// The future is dropped after a panic and never polled again, so what it held may be in a
/// half-updated state only until it is dropped: `AssertUnwindSafe` is sound here.
pub async fn catch_unwind<T>(fut: impl Future<Output = T>) -> Result<T, Error> {
    let mut fut = std::pin::pin!(fut);
    std::future::poll_fn(move |cx| {
        match std::panic::catch_unwind(AssertUnwindSafe(|| fut.as_mut().poll(cx))) {
            Ok(Poll::Ready(out)) => Poll::Ready(Ok(out)),
            Ok(Poll::Pending) => Poll::Pending,
            Err(payload) => Poll::Ready(Err(Error::from_panic(&*payload))),
        }
    })
    .await
}

/// Which time limit a [`Error::Timeout`] hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TimeoutPhase {
    /// Establishing the connection.
    Connect,
    /// One request/response exchange.
    Request,
    /// The total deadline across all attempts of one call.
    Deadline,
}

impl fmt::Display for TimeoutPhase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Connect => "connect",
            Self::Request => "request",
            Self::Deadline => "total deadline",
        })
    }
}

/// Why a stream failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StreamError {
    /// Nothing arrived (not even a heartbeat) for the idle timeout.
    #[error("no data (not even a heartbeat) for {after:?}")]
    IdleTimeout {
        /// The idle timeout in force.
        after: Duration,
    },
    /// The stream ended before its final event.
    #[error("the stream ended before its final event (after {events} events)")]
    Truncated {
        /// Events delivered before the end.
        events: u64,
    },
    /// The event stream itself could not be decoded.
    #[error(transparent)]
    Sse(#[from] SseError),
    /// An event's data did not have the expected shape.
    #[error("malformed {event} event: {message}")]
    MalformedEvent {
        /// The event name.
        event: String,
        /// What was wrong.
        message: String,
    },
}

/// The closed list of error kinds. Each binding maps each kind to exactly one native class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// Bad configuration or an unusable request input.
    Config,
    /// A server-side signature check failed (server and mock use only).
    SignatureRejected,
    /// A response failed its integrity check.
    Integrity,
    /// A body could not be decoded (invalid JSON or unexpected shape).
    Decode,
    /// The service answered with an error.
    Api,
    /// The network failed.
    Network,
    /// A time limit was hit.
    Timeout,
    /// A stream failed.
    Stream,
    /// The caller cancelled.
    Cancelled,
    /// A bug inside the SDK (a panic caught at a binding's boundary).
    Internal,
}

impl ErrorKind {
    /// Every kind, for bindings that must map them all.
    pub const ALL: [Self; 10] = [
        Self::Config,
        Self::SignatureRejected,
        Self::Integrity,
        Self::Decode,
        Self::Api,
        Self::Network,
        Self::Timeout,
        Self::Stream,
        Self::Cancelled,
        Self::Internal,
    ];

    /// A stable code for this kind, the same in every language.
    pub fn code(self) -> &'static str {
        match self {
            Self::Config => "ERR_CONFIG",
            Self::SignatureRejected => "ERR_SIGNATURE_REJECTED",
            Self::Integrity => "ERR_INTEGRITY",
            Self::Decode => "ERR_DECODE",
            Self::Api => "ERR_API",
            Self::Network => "ERR_NETWORK",
            Self::Timeout => "ERR_TIMEOUT",
            Self::Stream => "ERR_STREAM",
            Self::Cancelled => "ERR_CANCELLED",
            Self::Internal => "ERR_INTERNAL",
        }
    }
}

impl Error {
    /// A configuration error naming what is wrong.
    pub fn config(message: impl Into<String>) -> Self {
        Self::Config {
            message: message.into(),
        }
    }

    /// A network error with its cause.
    pub fn network(message: impl Into<String>, source: impl Into<BoxError>) -> Self {
        Self::Network {
            message: message.into(),
            source: Some(source.into()),
        }
    }

    /// The error for a caught panic, from its payload (`std::panic::catch_unwind`'s `Err`):
    /// the panic's message when it has one. The bindings turn every panic into this, so no
    /// panic crosses into Python or JS.
    pub fn from_panic(payload: &(dyn Any + Send)) -> Self {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".to_owned());
        Self::Internal { message }
    }

    /// This error's kind.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::Config { .. } | Self::Signing(_) => ErrorKind::Config,
            Self::Rejected(_) => ErrorKind::SignatureRejected,
            Self::Integrity(_) => ErrorKind::Integrity,
            Self::Json(_) | Self::Decode { .. } => ErrorKind::Decode,
            Self::Api(_) => ErrorKind::Api,
            Self::Network { .. } => ErrorKind::Network,
            Self::Timeout { .. } => ErrorKind::Timeout,
            Self::Stream(_) => ErrorKind::Stream,
            Self::Cancelled => ErrorKind::Cancelled,
            Self::Internal { .. } => ErrorKind::Internal,
        }
    }

    /// A stable code: the kind's code (`ERR_API` for every API error; the service's own code is
    /// in [`ApiError::code`]).
    pub fn code(&self) -> &'static str {
        self.kind().code()
    }

    /// Whether retrying the same call may succeed.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Api(api) => api.is_retryable(),
            Self::Network { .. } | Self::Integrity(_) => true,
            Self::Timeout { phase, .. } => *phase != TimeoutPhase::Deadline,
            Self::Stream(s) => matches!(
                s,
                StreamError::IdleTimeout { .. } | StreamError::Truncated { .. }
            ),
            _ => false,
        }
    }

    /// The API error, if this is one.
    pub fn as_api(&self) -> Option<&ApiError> {
        match self {
            Self::Api(api) => Some(api),
            _ => None,
        }
    }
}

impl From<SigningError> for Error {
    fn from(e: SigningError) -> Self {
        Self::Signing(e)
    }
}

impl From<ApiError> for Error {
    fn from(e: ApiError) -> Self {
        Self::Api(Box::new(e))
    }
}

/// The service's error codes. Unknown codes are kept as data, never a crash.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ApiErrorCode {
    /// `BAD_INPUT` (400, also 401 for a bad resume token and 426 for legacy SSE).
    BadInput,
    /// `FORBIDDEN` (401 missing key, 403 invalid key).
    Forbidden,
    /// `NOT_FOUND` (404).
    NotFound,
    /// `RATE_LIMITED` (429).
    RateLimited,
    /// `INTERNAL` (500, and 426 when resume state is gone).
    Internal,
    /// `INVALID_SIGNATURE` (403).
    InvalidSignature,
    /// `SIGNATURE_SKEW` (403).
    SignatureSkew,
    /// `REPLAY_BLOCKED` (403).
    ReplayBlocked,
    /// `REPLAY_RISK` (403): the request's timestamp is at or below the verifier's replay floor
    /// (a server under a flood of requests; ours, not the service's). Signing again passes.
    ReplayRisk,
    /// `CEE_RATE_LIMIT` (429 on `/assist/v1/*`).
    CeeRateLimit,
    /// Any other code, as sent (or `HTTP_<status>` when the body had none).
    Other(String),
}

impl ApiErrorCode {
    /// Parses a code string as the service sends it.
    pub fn parse(code: &str) -> Self {
        match code {
            "BAD_INPUT" => Self::BadInput,
            "FORBIDDEN" => Self::Forbidden,
            "NOT_FOUND" => Self::NotFound,
            "RATE_LIMITED" => Self::RateLimited,
            "INTERNAL" => Self::Internal,
            "INVALID_SIGNATURE" => Self::InvalidSignature,
            "SIGNATURE_SKEW" => Self::SignatureSkew,
            "REPLAY_BLOCKED" => Self::ReplayBlocked,
            "REPLAY_RISK" => Self::ReplayRisk,
            "CEE_RATE_LIMIT" => Self::CeeRateLimit,
            other => Self::Other(other.to_owned()),
        }
    }

    /// The code as the service spells it.
    pub fn as_str(&self) -> &str {
        match self {
            Self::BadInput => "BAD_INPUT",
            Self::Forbidden => "FORBIDDEN",
            Self::NotFound => "NOT_FOUND",
            Self::RateLimited => "RATE_LIMITED",
            Self::Internal => "INTERNAL",
            Self::InvalidSignature => "INVALID_SIGNATURE",
            Self::SignatureSkew => "SIGNATURE_SKEW",
            Self::ReplayBlocked => "REPLAY_BLOCKED",
            Self::ReplayRisk => "REPLAY_RISK",
            Self::CeeRateLimit => "CEE_RATE_LIMIT",
            Self::Other(code) => code,
        }
    }
}

impl fmt::Display for ApiErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What kind of API failure this is: the basis of each binding's exception subclasses, decided
/// here so that no binding has to look at statuses or codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ApiErrorCategory {
    /// 401/403: missing or unknown key, or failed signature with API keys configured.
    Authentication,
    /// 403 with `INVALID_SIGNATURE`, `SIGNATURE_SKEW`, `REPLAY_BLOCKED` or `REPLAY_RISK`.
    Signature,
    /// 429, or the service's 500-with-`retry-after` limiter.
    RateLimit,
    /// 400, 413, 422 and other client mistakes.
    BadRequest,
    /// 404.
    NotFound,
    /// 5xx.
    Internal,
    /// Anything else (426 resume unsupported, 409, ...).
    Other,
}

impl ApiErrorCategory {
    /// A stable snake_case name (`"rate_limit"`, ...), for bindings that pass it on as text.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Authentication => "authentication",
            Self::Signature => "signature",
            Self::RateLimit => "rate_limit",
            Self::BadRequest => "bad_request",
            Self::NotFound => "not_found",
            Self::Internal => "internal",
            Self::Other => "other",
        }
    }
}

/// An error answer from the service.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// HTTP status (200 for an error delivered inside a stream's COMPLETE event).
    pub status: u16,
    /// The service's code.
    pub code: ApiErrorCode,
    /// The service's message.
    pub message: String,
    /// The envelope's `details`, if any.
    pub details: Option<serde_json::Value>,
    /// `X-Request-Id` (or the body's `request_id` / `trace.request_id`).
    pub request_id: Option<String>,
    /// How long the service asked us to wait, from whichever of its three signals it sent.
    pub retry_after: Option<Duration>,
    /// The envelope's `retryable` flag (`cee.error.v1` only).
    pub retryable: Option<bool>,
    /// The envelope's schema (`error.v1`, `cee.error.v1`), or `None` for a non-envelope body.
    pub schema: Option<String>,
    rate_limited: bool,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "API error {} {}: {}",
            self.status, self.code, self.message
        )?;
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

impl ApiError {
    /// Builds the error from an unsuccessful response, reading the envelope (`error.v1` or
    /// `cee.error.v1`), the request id, and the retry wait from all the places the service puts
    /// one. A body that is not an envelope still gives a usable error.
    pub fn from_response(resp: &ResponseInfo<'_>, now_unix_ms: u64) -> Self {
        Self::from_response_with_server_wait(resp, now_unix_ms).0
    }

    /// [`from_response`](Self::from_response), and the wait the retry policy honours
    /// ([`server_retry_after`](crate::retry::server_retry_after)), from one parse of the body.
    pub(crate) fn from_response_with_server_wait(
        resp: &ResponseInfo<'_>,
        now_unix_ms: u64,
    ) -> (Self, Option<Duration>) {
        let body = resp
            .body
            .and_then(|b| serde_json::from_slice::<serde_json::Value>(b).ok());
        let server_wait = server_retry_after_parsed(resp, body.as_ref(), now_unix_ms);
        let envelope = body
            .and_then(flatten_nested_error)
            .filter(|v| v.get("code").is_some_and(|c| c.is_string()));
        let header_request_id = resp.header("x-request-id").map(str::to_owned);
        let rate_limited = resp.is_rate_limited();
        let error = match envelope {
            Some(v) => Self::from_envelope(
                resp.status,
                &v,
                header_request_id,
                server_wait,
                rate_limited,
            ),
            None => Self {
                status: resp.status,
                code: ApiErrorCode::Other(format!("HTTP_{}", resp.status)),
                message: resp
                    .body
                    .map(|b| truncate_for_message(String::from_utf8_lossy(b).trim()))
                    .filter(|m| !m.is_empty())
                    .unwrap_or_else(|| format!("HTTP status {}", resp.status)),
                details: None,
                request_id: header_request_id,
                retry_after: server_wait,
                retryable: None,
                schema: None,
                rate_limited,
            },
        };
        (error, server_wait)
    }

    /// Builds the error from an envelope that arrived without an HTTP error status, such as the
    /// `error.v1` payload of a stream's COMPLETE event.
    pub fn from_envelope(
        status: u16,
        envelope: &serde_json::Value,
        request_id: Option<String>,
        retry_after: Option<Duration>,
        rate_limited: bool,
    ) -> Self {
        let str_at = |key: &str| {
            envelope
                .get(key)
                .and_then(|v| v.as_str())
                .map(str::to_owned)
        };
        let body_request_id = str_at("request_id").or_else(|| {
            envelope
                .get("trace")
                .and_then(|t| t.get("request_id"))
                .and_then(|v| v.as_str())
                .map(str::to_owned)
        });
        let retry_after = retry_after.or_else(|| {
            envelope
                .get("details")
                .and_then(|d| d.get("retry_after_seconds"))
                .and_then(|v| v.as_f64())
                .and_then(crate::retry::retry_after_seconds)
        });
        Self {
            status,
            code: ApiErrorCode::parse(&str_at("code").unwrap_or_default()),
            message: str_at("message").unwrap_or_default(),
            details: envelope.get("details").cloned(),
            request_id: request_id.or(body_request_id),
            retry_after,
            retryable: envelope.get("retryable").and_then(|v| v.as_bool()),
            schema: str_at("schema"),
            rate_limited,
        }
    }

    /// The category, from the status and code.
    pub fn category(&self) -> ApiErrorCategory {
        use ApiErrorCode as C;
        match (&self.code, self.status) {
            (C::InvalidSignature | C::SignatureSkew | C::ReplayBlocked | C::ReplayRisk, _) => {
                ApiErrorCategory::Signature
            }
            (C::RateLimited | C::CeeRateLimit, _) | (_, 429) => ApiErrorCategory::RateLimit,
            _ if self.rate_limited => ApiErrorCategory::RateLimit,
            (_, 401 | 403) | (C::Forbidden, _) => ApiErrorCategory::Authentication,
            (_, 404) | (C::NotFound, _) => ApiErrorCategory::NotFound,
            (_, 400 | 413 | 422) => ApiErrorCategory::BadRequest,
            (_, 500..=599) => ApiErrorCategory::Internal,
            (C::BadInput, 200) => ApiErrorCategory::BadRequest,
            (C::Internal, 200) => ApiErrorCategory::Internal,
            _ => ApiErrorCategory::Other,
        }
    }

    /// Whether the same call may succeed if retried (the retry policy's rule, plus the
    /// envelope's own `retryable` flag when it has one).
    pub fn is_retryable(&self) -> bool {
        if let Some(flag) = self.retryable {
            return flag;
        }
        if self.rate_limited {
            return true;
        }
        is_retryable_status(self.status)
    }
}

/// The error bodies that nest the error under `error` (`{"error":{"code","message",...}}`: the
/// strict-mode 422 of `/assist/v1/draft-graph`, the `ask` and `review` errors) are lifted to the
/// envelope form: the nested object, with the top level's `request_id` and `trace` when it has
/// none, and its fields other than `code`, `message` and `retryable` (such as the strict mode's
/// `validation_warnings`) as `details` when it has no `details`. Other bodies pass unchanged.
fn flatten_nested_error(body: serde_json::Value) -> Option<serde_json::Value> {
    use serde_json::Value;
    let Value::Object(mut top) = body else {
        return Some(body);
    };
    if top.get("code").is_some_and(Value::is_string) {
        return Some(Value::Object(top));
    }
    let nested = match top.remove("error") {
        Some(Value::Object(nested)) if nested.get("code").is_some_and(Value::is_string) => nested,
        Some(other) => {
            top.insert("error".to_owned(), other);
            return Some(Value::Object(top));
        }
        None => return Some(Value::Object(top)),
    };
    let mut envelope = serde_json::Map::new();
    let mut rest = serde_json::Map::new();
    for (key, value) in nested {
        match key.as_str() {
            "code" | "message" | "retryable" | "details" | "request_id" => {
                envelope.insert(key, value);
            }
            _ => {
                rest.insert(key, value);
            }
        }
    }
    if !envelope.contains_key("details") && !rest.is_empty() {
        envelope.insert("details".to_owned(), Value::Object(rest));
    }
    for key in ["request_id", "trace"] {
        if let Some(value) = top.remove(key) {
            envelope.entry(key).or_insert(value);
        }
    }
    Some(Value::Object(envelope))
}

/// Cuts user-supplied text to a length that is safe to echo in an error message.
pub(crate) fn truncate_for_message(text: &str) -> String {
    const LIMIT: usize = 80;
    if text.len() <= LIMIT {
        return text.to_owned();
    }
    let mut end = LIMIT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}... ({} bytes)", &text[..end], text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_error_bodies_are_typed_errors() {
        let strict = br#"{"error":{"code":"CEE_V3_VALIDATION_FAILED","message":"goal node missing","validation_warnings":[{"code":"GOAL_NODE_MISSING","severity":"error","message":"m"}]}}"#;
        let e = ApiError::from_response(&ResponseInfo::new(422).with_body(strict), 0);
        assert_eq!(e.code.as_str(), "CEE_V3_VALIDATION_FAILED");
        assert_eq!(e.message, "goal node missing");
        assert_eq!(e.category(), ApiErrorCategory::BadRequest);
        let details = e.details.expect("the warnings are the details");
        assert_eq!(
            details["validation_warnings"][0]["code"],
            "GOAL_NODE_MISSING"
        );

        let ask = br#"{"request_id":"r-9","error":{"code":"CEE_ASK_RATE_LIMITED","message":"slow","retryable":true}}"#;
        let e = ApiError::from_response(&ResponseInfo::new(429).with_body(ask), 0);
        assert_eq!(e.code.as_str(), "CEE_ASK_RATE_LIMITED");
        assert_eq!(e.request_id.as_deref(), Some("r-9"));
        assert_eq!(e.retryable, Some(true));

        let review = br#"{"trace":{"request_id":"r-7"},"error":{"code":"CEE_REVIEW_VALIDATION_FAILED","message":"bad","retryable":false,"details":{"x":1}}}"#;
        let e = ApiError::from_response(&ResponseInfo::new(400).with_body(review), 0);
        assert_eq!(e.request_id.as_deref(), Some("r-7"));
        assert_eq!(e.details.unwrap()["x"], 1);

        // Fastify's own 404 has a string `error`: not an envelope.
        let fastify =
            br#"{"message":"Route GET:/x not found","error":"Not Found","statusCode":404}"#;
        let e = ApiError::from_response(&ResponseInfo::new(404).with_body(fastify), 0);
        assert_eq!(e.code.as_str(), "HTTP_404");
    }

    fn api(status: u16, headers: &[(&str, &str)], body: &str) -> ApiError {
        let resp = ResponseInfo::new(status)
            .with_headers(headers)
            .with_body(body.as_bytes());
        ApiError::from_response(&resp, 0)
    }

    #[test]
    fn parses_error_v1_with_body_retry_after() {
        let e = api(
            429,
            &[("x-request-id", "req-1")],
            r#"{"schema":"error.v1","code":"RATE_LIMITED","message":"Rate limit exceeded.","details":{"retry_after_seconds":30}}"#,
        );
        assert_eq!(e.code, ApiErrorCode::RateLimited);
        assert_eq!(e.retry_after, Some(Duration::from_secs(30)));
        assert_eq!(e.request_id.as_deref(), Some("req-1"));
        assert_eq!(e.category(), ApiErrorCategory::RateLimit);
        assert!(e.is_retryable());
        assert_eq!(
            e.to_string(),
            "API error 429 RATE_LIMITED: Rate limit exceeded. (request id req-1)"
        );
    }

    #[test]
    fn an_absurd_retry_after_in_a_body_saturates_instead_of_panicking() {
        for status in [409, 429] {
            let e = api(
                status,
                &[],
                r#"{"schema":"error.v1","code":"RATE_LIMITED","message":"x","details":{"retry_after_seconds":1e300}}"#,
            );
            assert_eq!(e.retry_after, Some(Duration::MAX), "status {status}");
        }
        let negative = api(
            409,
            &[],
            r#"{"schema":"error.v1","code":"X","message":"x","details":{"retry_after_seconds":-1}}"#,
        );
        assert_eq!(negative.retry_after, None);
    }

    #[test]
    fn limiter_500_is_rate_limit() {
        let e = api(
            500,
            &[("retry-after", "7")],
            r#"{"schema":"error.v1","code":"INTERNAL","message":"An unexpected error occurred","request_id":"r9"}"#,
        );
        assert_eq!(e.category(), ApiErrorCategory::RateLimit);
        assert_eq!(e.retry_after, Some(Duration::from_secs(7)));
        assert_eq!(e.request_id.as_deref(), Some("r9"));
    }

    #[test]
    fn parses_cee_envelope() {
        let e = api(
            429,
            &[],
            r#"{"schema":"cee.error.v1","code":"CEE_RATE_LIMIT","message":"slow down","retryable":true,"trace":{"request_id":"t-1"},"details":{"retry_after_seconds":12}}"#,
        );
        assert_eq!(e.code, ApiErrorCode::CeeRateLimit);
        assert_eq!(e.request_id.as_deref(), Some("t-1"));
        assert_eq!(e.retryable, Some(true));
        assert_eq!(e.retry_after, Some(Duration::from_secs(12)));
    }

    #[test]
    fn unknown_code_and_non_envelope_bodies() {
        let e = api(
            418,
            &[],
            r#"{"schema":"error.v1","code":"TEAPOT","message":"short and stout"}"#,
        );
        assert_eq!(e.code, ApiErrorCode::Other("TEAPOT".into()));
        assert_eq!(e.category(), ApiErrorCategory::Other);
        let e = api(404, &[], "Route POST:/nope not found");
        assert_eq!(e.code.as_str(), "HTTP_404");
        assert_eq!(e.category(), ApiErrorCategory::NotFound);
        assert!(e.message.contains("not found"));
        let e = api(502, &[], "");
        assert_eq!(e.message, "HTTP status 502");
        assert!(e.is_retryable());
    }

    #[test]
    fn categories() {
        let sig = api(
            403,
            &[],
            r#"{"schema":"error.v1","code":"REPLAY_BLOCKED","message":"x"}"#,
        );
        assert_eq!(sig.category(), ApiErrorCategory::Signature);
        let risk = api(
            403,
            &[],
            r#"{"schema":"error.v1","code":"REPLAY_RISK","message":"x"}"#,
        );
        assert_eq!(risk.code, ApiErrorCode::ReplayRisk);
        assert_eq!(risk.code.as_str(), "REPLAY_RISK");
        assert_eq!(risk.category(), ApiErrorCategory::Signature);
        assert!(!risk.is_retryable());
        let auth = api(
            401,
            &[],
            r#"{"schema":"error.v1","code":"FORBIDDEN","message":"Missing API key."}"#,
        );
        assert_eq!(auth.category(), ApiErrorCategory::Authentication);
        assert!(!auth.is_retryable());
        let gone = api(
            426,
            &[],
            r#"{"schema":"error.v1","code":"INTERNAL","message":"gone","details":{"upgrade":"resume=unsupported"}}"#,
        );
        assert_eq!(gone.category(), ApiErrorCategory::Other);
        assert!(!gone.is_retryable());
        let bad = api(
            400,
            &[],
            r#"{"schema":"error.v1","code":"BAD_INPUT","message":"invalid input"}"#,
        );
        assert_eq!(bad.category(), ApiErrorCategory::BadRequest);
    }

    #[test]
    fn kinds_have_distinct_stable_codes() {
        let mut codes: Vec<_> = ErrorKind::ALL.iter().map(|k| k.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), ErrorKind::ALL.len());
        assert_eq!(Error::config("x").code(), "ERR_CONFIG");
        assert_eq!(
            Error::from(SigningError::EmptySecret).kind(),
            ErrorKind::Config
        );
        assert!(
            Error::from(StreamError::IdleTimeout {
                after: Duration::from_secs(30)
            })
            .is_retryable()
        );
        assert!(
            !Error::Timeout {
                phase: TimeoutPhase::Deadline,
                after: Duration::from_secs(1)
            }
            .is_retryable()
        );
    }

    #[test]
    fn a_panic_becomes_an_internal_error() {
        let caught = std::panic::catch_unwind(|| panic!("boom {}", 1)).unwrap_err();
        let error = Error::from_panic(&*caught);
        assert_eq!(error.kind(), ErrorKind::Internal);
        assert_eq!(error.code(), "ERR_INTERNAL");
        assert!(!error.is_retryable());
        assert!(error.to_string().contains("boom 1"), "{error}");
        let caught = std::panic::catch_unwind(|| std::panic::panic_any(7_u8)).unwrap_err();
        assert!(
            Error::from_panic(&*caught)
                .to_string()
                .contains("without a message")
        );
    }

    #[test]
    fn catch_unwind_turns_a_panicking_future_into_an_error() {
        let waker = std::task::Waker::noop();
        let mut cx = std::task::Context::from_waker(waker);
        let mut ok = std::pin::pin!(catch_unwind(async { 5 }));
        assert!(matches!(ok.as_mut().poll(&mut cx), Poll::Ready(Ok(5))));
        let mut bad = std::pin::pin!(catch_unwind(async {
            if true {
                panic!("inside a future");
            }
        }));
        match bad.as_mut().poll(&mut cx) {
            Poll::Ready(Err(e)) => assert!(e.to_string().contains("inside a future"), "{e}"),
            other => panic!("expected an internal error, got {other:?}"),
        }
    }

    #[test]
    fn long_text_is_truncated() {
        let long = "é".repeat(500);
        let t = truncate_for_message(&long);
        assert!(t.len() < 240, "{}", t.len());
        assert!(t.ends_with("(1000 bytes)"));
    }
}
