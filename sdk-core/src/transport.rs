//! The only module that touches reqwest: one signed, verified, retried HTTP exchange.
//!
//! Every protocol decision is delegated to the sans-IO modules: [`crate::signing`] for the
//! headers, [`crate::response_hash`] for the integrity check, [`crate::retry`] for whether and
//! when to try again, [`crate::error`] for what a failure is called. This module only moves bytes
//! and reads clocks.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, Url};

use crate::clock::unix_ms;
use crate::error::{ApiError, Error, TimeoutPhase};
use crate::response_hash::verify_response_hash;
use crate::retry::{
    Decision, FastrandJitter, GiveUpReason, Now, Outcome, ResponseInfo, RetryBudget, RetryPolicy,
};
use crate::signing::{
    HEADER_NONCE, HEADER_SIGNATURE, HEADER_TIMESTAMP, Signer, generate_request_id,
};

/// The response-hash header the service stamps on every JSON response.
pub(crate) const HEADER_RESPONSE_HASH: &str = "x-olumi-response-hash";
const HEADER_REQUEST_ID: &str = "x-request-id";

/// How requests are authenticated.
#[derive(Clone)]
pub(crate) enum Credentials {
    /// `X-Olumi-Assist-Key: <key>` (kept as a sensitive header value).
    ApiKey(HeaderValue),
    /// `Authorization: Bearer <key>`.
    Bearer(HeaderValue),
    /// HMAC request signing.
    Hmac(Signer),
    /// No authentication (public routes, or a server with auth off).
    None,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ApiKey(_) => f.write_str("ApiKey(<redacted>)"),
            Self::Bearer(_) => f.write_str("Bearer(<redacted>)"),
            Self::Hmac(signer) => write!(f, "Hmac({:?})", signer.mode()),
            Self::None => f.write_str("None"),
        }
    }
}

/// Everything a transport needs, fixed when the client is built.
#[derive(Debug)]
pub(crate) struct TransportConfig {
    pub(crate) base: Url,
    pub(crate) credentials: Credentials,
    pub(crate) default_headers: HeaderMap,
    pub(crate) request_timeout: Duration,
    pub(crate) connect_timeout: Duration,
    pub(crate) retry: RetryPolicy,
    pub(crate) verify_response_hash: bool,
}

/// One logical call: the same request id and body on every attempt, fresh signature each time.
#[derive(Debug, Clone)]
pub(crate) struct ApiRequest {
    pub(crate) method: Method,
    /// Path (and query) relative to the base URL, starting with `/`.
    pub(crate) path: String,
    pub(crate) body: Option<Bytes>,
    pub(crate) accept: &'static str,
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
}

impl ApiRequest {
    /// A request with any method; the body, if any, is sent as `application/json`.
    pub(crate) fn new(method: Method, path: impl Into<String>, body: Option<Bytes>) -> Self {
        Self {
            method,
            path: path.into(),
            body,
            accept: "application/json",
            headers: Vec::new(),
        }
    }

    pub(crate) fn post(path: impl Into<String>, body: Option<Bytes>) -> Self {
        Self::new(Method::POST, path, body)
    }
}

/// An open streaming response whose status line and headers have arrived.
#[derive(Debug)]
pub(crate) struct StreamResponse {
    pub(crate) status: u16,
    pub(crate) is_event_stream: bool,
    pub(crate) request_id: Option<String>,
    pub(crate) body: reqwest::Response,
}

/// The shared HTTP machinery of a client.
#[derive(Debug)]
pub(crate) struct Transport {
    http: reqwest::Client,
    config: TransportConfig,
    budget: Arc<RetryBudget>,
}

/// A usable answer to one attempt.
enum Exchange {
    /// The verified body of a 2xx response.
    Complete(Bytes),
    Stream(StreamResponse),
}

/// A failed attempt: what the retry policy sees, and the error to report if it gives up.
struct Failure {
    outcome: FailedOutcome,
    error: Error,
}

// Boxed: failures are rare, and the success path should not move a large `Err` around.
type Attempt = Result<Exchange, Box<Failure>>;

enum FailedOutcome {
    /// Not worth retrying whatever the policy says (the request cannot even be built).
    Fatal,
    Connect,
    Timeout,
    Disconnected,
    Integrity,
    Response {
        status: u16,
        headers: HeaderMap,
        /// The server's wait, read when the body was parsed for the error: the body is parsed
        /// once per failure.
        server_wait: Option<Duration>,
    },
}

impl Transport {
    pub(crate) fn new(
        config: TransportConfig,
        http: Option<reqwest::Client>,
        budget: RetryBudget,
    ) -> Result<Self, Error> {
        let http = match http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .connect_timeout(config.connect_timeout)
                .build()
                .map_err(|e| Error::config(format!("cannot build the HTTP client: {e}")))?,
        };
        Ok(Self {
            http,
            config,
            budget: Arc::new(budget),
        })
    }

    pub(crate) fn config(&self) -> &TransportConfig {
        &self.config
    }

    /// Sends `req` and returns the whole (verified) body, retrying as the policy says. A non-2xx answer is
    /// `Error::Api` after the retries are spent.
    pub(crate) async fn send(&self, req: &ApiRequest) -> Result<Bytes, Error> {
        match self.with_deadline(self.run(req, false)).await? {
            Exchange::Complete(body) => Ok(body),
            Exchange::Stream(_) => {
                unreachable!("run(stream = false) only returns complete responses")
            }
        }
    }

    /// Opens a streaming request, retrying failures that happen before a usable response
    /// arrives. A 2xx response, or any `text/event-stream` response (the service answers invalid
    /// input with a 400 event stream), is handed back unread.
    pub(crate) async fn open_stream(&self, req: &ApiRequest) -> Result<StreamResponse, Error> {
        match self.with_deadline(self.run(req, true)).await? {
            Exchange::Stream(resp) => Ok(resp),
            Exchange::Complete(_) => unreachable!("a streaming attempt never reads a 2xx body"),
        }
    }

    /// Opens a streaming request once, without retries: used for a resume, which the stream
    /// session allows exactly once.
    pub(crate) async fn open_stream_once(&self, req: &ApiRequest) -> Result<StreamResponse, Error> {
        let request_id = generate_request_id();
        match self.attempt(req, &request_id, true).await {
            Ok(Exchange::Stream(resp)) => Ok(resp),
            Ok(Exchange::Complete(_)) => unreachable!("a streaming attempt never reads a 2xx body"),
            Err(failure) => Err(failure.error),
        }
    }

    async fn with_deadline<T>(
        &self,
        fut: impl Future<Output = Result<T, Error>>,
    ) -> Result<T, Error> {
        match self.config.retry.total_deadline {
            Some(deadline) => {
                tokio::time::timeout(deadline, fut)
                    .await
                    .unwrap_or(Err(Error::Timeout {
                        phase: TimeoutPhase::Deadline,
                        after: deadline,
                    }))
            }
            None => fut.await,
        }
    }

    async fn run(&self, req: &ApiRequest, stream: bool) -> Result<Exchange, Error> {
        // The same id on every attempt of a call: the service echoes it, so its logs join up.
        let request_id = generate_request_id();
        let started = tokio::time::Instant::now();
        let mut jitter = FastrandJitter::new();
        let mut integrity_failures = 0;
        self.budget.on_request();
        let mut attempt = 0;
        loop {
            let Failure { outcome, error } = match self.attempt(req, &request_id, stream).await {
                Ok(exchange) => return Ok(exchange),
                Err(failure) => *failure,
            };
            let header_pairs;
            let mut server_wait = None;
            let outcome = match &outcome {
                FailedOutcome::Fatal => return Err(error),
                FailedOutcome::Connect => Outcome::ConnectError,
                FailedOutcome::Timeout => Outcome::Timeout,
                FailedOutcome::Disconnected => Outcome::Disconnected,
                FailedOutcome::Integrity => Outcome::Integrity {
                    previous_failures: integrity_failures,
                },
                FailedOutcome::Response {
                    status,
                    headers,
                    server_wait: wait,
                } => {
                    header_pairs = header_pairs_of(headers);
                    server_wait = *wait;
                    // No body: the policy takes the server's wait from `server_wait` instead.
                    Outcome::Response(ResponseInfo::new(*status).with_headers(&header_pairs))
                }
            };
            if matches!(outcome, Outcome::Integrity { .. }) {
                integrity_failures += 1;
            }
            let now = Now::new(started.elapsed(), unix_ms());
            match self.config.retry.decide_with_server_wait(
                attempt,
                &outcome,
                now,
                || server_wait,
                &mut jitter,
                Some(&self.budget),
            ) {
                Decision::Retry { delay, .. } => tokio::time::sleep(delay).await,
                // The deadline's error, not the last attempt's: the caller learns which limit ended
                // the call, as when the deadline cuts off an attempt still running.
                Decision::GiveUp {
                    reason: GiveUpReason::DeadlineExceeded,
                } => {
                    return Err(Error::Timeout {
                        phase: TimeoutPhase::Deadline,
                        after: self.config.retry.total_deadline.unwrap_or_default(),
                    });
                }
                Decision::GiveUp { .. } => return Err(error),
            }
            attempt += 1;
        }
    }

    async fn attempt(&self, req: &ApiRequest, request_id: &str, stream: bool) -> Attempt {
        let (url, target) = match self.url_and_target(&req.path) {
            Ok(v) => v,
            Err(error) => return fatal(error),
        };
        let mut builder = self
            .http
            .request(req.method.clone(), url)
            .headers(self.config.default_headers.clone())
            .header(reqwest::header::ACCEPT, req.accept)
            .header(HEADER_REQUEST_ID, request_id);
        for (name, value) in &req.headers {
            builder = builder.header(name, value);
        }
        let body: &[u8] = req.body.as_deref().unwrap_or_default();
        match &self.config.credentials {
            Credentials::ApiKey(key) => builder = builder.header("x-olumi-assist-key", key.clone()),
            Credentials::Bearer(key) => {
                builder = builder.header(reqwest::header::AUTHORIZATION, key.clone())
            }
            Credentials::Hmac(signer) => {
                // Re-signed on every attempt: a retry with the old nonce would be a replay.
                match signer.sign_now(req.method.as_str(), &target, body, unix_ms()) {
                    Ok(h) => {
                        builder = builder
                            .header(HEADER_SIGNATURE, h.signature)
                            .header(HEADER_TIMESTAMP, h.timestamp)
                            .header(HEADER_NONCE, h.nonce);
                    }
                    Err(e) => return fatal(e.into()),
                }
            }
            Credentials::None => {}
        }
        if let Some(body) = &req.body {
            builder = builder
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(body.clone());
        }
        // One deadline for the whole exchange: the headers and the body share it.
        let deadline = tokio::time::Instant::now() + self.config.request_timeout;
        let response = self.before(deadline, builder.send()).await?;
        let status = response.status().as_u16();
        let is_event_stream = header_str(response.headers(), "content-type")
            .is_some_and(|ct| ct.trim_start().starts_with("text/event-stream"));
        if stream && (response.status().is_success() || is_event_stream) {
            return Ok(Exchange::Stream(StreamResponse {
                status,
                is_event_stream,
                request_id: header_str(response.headers(), HEADER_REQUEST_ID).map(str::to_owned),
                body: response,
            }));
        }
        let headers = response.headers().clone();
        let body = self.before(deadline, response.bytes()).await?;
        let expected_hash =
            header_str(&headers, HEADER_RESPONSE_HASH).filter(|_| self.config.verify_response_hash);
        if let Some(Err(e)) = expected_hash.map(|expected| verify_response_hash(&body, expected)) {
            return Err(Box::new(Failure {
                outcome: FailedOutcome::Integrity,
                error: e.into(),
            }));
        }
        if (200..300).contains(&status) {
            return Ok(Exchange::Complete(body));
        }
        let pairs = header_pairs_of(&headers);
        let info = ResponseInfo::new(status)
            .with_headers(&pairs)
            .with_body(&body);
        let (error, server_wait) = ApiError::from_response_with_server_wait(&info, unix_ms());
        Err(Box::new(Failure {
            outcome: FailedOutcome::Response {
                status,
                headers,
                server_wait,
            },
            error: error.into(),
        }))
    }

    /// Awaits one step of an exchange before the exchange's deadline.
    async fn before<T>(
        &self,
        deadline: tokio::time::Instant,
        step: impl Future<Output = Result<T, reqwest::Error>>,
    ) -> Result<T, Box<Failure>> {
        match tokio::time::timeout_at(deadline, step).await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(e)) => Err(self.transport_failure(e)),
            Err(_) => Err(Box::new(Failure {
                outcome: FailedOutcome::Timeout,
                error: Error::Timeout {
                    phase: TimeoutPhase::Request,
                    after: self.config.request_timeout,
                },
            })),
        }
    }

    fn transport_failure(&self, e: reqwest::Error) -> Box<Failure> {
        let host = self.config.base.host_str().unwrap_or("the server");
        let (outcome, error) = if e.is_timeout() {
            let (phase, after) = if e.is_connect() {
                (TimeoutPhase::Connect, self.config.connect_timeout)
            } else {
                (TimeoutPhase::Request, self.config.request_timeout)
            };
            (FailedOutcome::Timeout, Error::Timeout { phase, after })
        } else if e.is_connect() {
            let message = format!("could not connect to {host}");
            (
                FailedOutcome::Connect,
                Error::network(message, e.without_url()),
            )
        } else if e.is_builder() {
            // A request reqwest refuses to build will not build on a retry either.
            let message = format!("invalid request: {}", e.without_url());
            (FailedOutcome::Fatal, Error::config(message))
        } else {
            let message = format!("connection to {host} failed");
            (
                FailedOutcome::Disconnected,
                Error::network(message, e.without_url()),
            )
        };
        Box::new(Failure { outcome, error })
    }

    /// The full URL and the exact request-target reqwest will put on the wire, which is what
    /// must be signed (path plus `?query`, percent-encoded as sent).
    fn url_and_target(&self, path: &str) -> Result<(Url, String), Error> {
        let base = &self.config.base;
        let joined = format!("{}{}", base.as_str().trim_end_matches('/'), path);
        let url = Url::parse(&joined)
            .map_err(|e| Error::config(format!("invalid request path {path:?}: {e}")))?;
        let target = match url.query() {
            Some(q) => format!("{}?{}", url.path(), q),
            None => url.path().to_owned(),
        };
        Ok((url, target))
    }
}

fn fatal(error: Error) -> Attempt {
    Err(Box::new(Failure {
        outcome: FailedOutcome::Fatal,
        error,
    }))
}

pub(crate) fn header_str<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

fn header_pairs_of(headers: &HeaderMap) -> Vec<(&str, &str)> {
    headers
        .iter()
        .filter_map(|(n, v)| v.to_str().ok().map(|v| (n.as_str(), v)))
        .collect()
}
