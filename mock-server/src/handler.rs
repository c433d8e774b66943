//! The path of one request: body limit, auth, rate limit, fixture matching and faults, to a
//! JSON or SSE answer, journaled.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::Request;
use axum::http::header::{CACHE_CONTROL, CONNECTION, CONTENT_LENGTH, CONTENT_TYPE, RETRY_AFTER};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::Response;
use bytes::Bytes;
use serde_json::Value;

use crate::body::{self, Cut, ReadError};
use crate::envelope;
use crate::faults::{FaultSpec, RetryAfterVia, Truncate};
use crate::fixtures::{Action, Builtin, CannedBody, Fixture, Template, Validation, Vars};
use crate::headers;
use crate::ids;
use crate::journal::{Record, Verdict};
use crate::matching::{self, RequestView};
use crate::proxy::{self, ForwardedBody};
use crate::rate_limit::BucketKind;
use crate::resume::{self, ResumeMode, ResumePlan, StreamState, StreamStatus};
use crate::server::App;
use crate::share::ShareRequest;
use crate::sse_stream::{self, ScriptRun};
use crate::streams::StreamInfo;
use crate::validation;

const JSON: HeaderValue = HeaderValue::from_static("application/json; charset=utf-8");

/// A request's facts, kept until its answer is known and journaled.
struct Exchange {
    app: Arc<App>,
    entry: Record,
    /// The request's headers.
    request_headers: HeaderMap,
    /// The `X-Request-Id` answered (visible ASCII, so also a `&str`).
    request_id: HeaderValue,
    fault: FaultSpec,
}

/// Shows the journal record (secrets already redacted), not the raw request headers.
impl std::fmt::Debug for Exchange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Exchange")
            .field("entry", &self.entry)
            .field("request_id", &self.request_id)
            .field("fault", &self.fault)
            .finish_non_exhaustive()
    }
}

impl Exchange {
    /// Journals the request with `status`.
    fn record(&mut self, status: u16) {
        self.entry.status = status;
        self.entry.latency_ms =
            self.app.started.elapsed().as_secs_f64() * 1000.0 - self.entry.since_start_ms;
        self.entry.fault = (self.fault != FaultSpec::default()).then(|| self.fault.to_string());
        tracing::debug!(
            method = %self.entry.method.as_str(),
            target = %self.entry.target(),
            status,
            fixture = self.entry.fixture.as_deref().unwrap_or("-"),
            "request"
        );
        if self.app.live.is_watched() {
            self.app.live.publish("request", &self.entry.entry());
        }
        if status == 426 {
            let info = StreamInfo::for_request(&self.entry, status, &self.fault);
            self.app.streams.refused(info);
        }
        self.app.journal.record(std::mem::take(&mut self.entry));
    }

    /// An `error.v1` JSON answer.
    fn error(
        mut self,
        status: StatusCode,
        code: &str,
        message: &str,
        details: Option<&str>,
    ) -> Response {
        let body = envelope::error_v1(code, message, details);
        self.json(status, body, None, Vec::new())
    }

    /// A JSON answer with the response hash and request id, body faults applied.
    fn json(
        &mut self,
        status: StatusCode,
        body: Bytes,
        hash: Option<HeaderValue>,
        headers: Vec<(HeaderName, HeaderValue)>,
    ) -> Response {
        self.record(status.as_u16());
        let hash = hash.or_else(|| {
            olumi::response_hash::response_hash(&body)
                .ok()
                .and_then(|h| HeaderValue::from_str(&h).ok())
        });
        let mut response = Response::new(Body::empty());
        *response.status_mut() = status;
        // One allocation for every header this answer gets.
        *response.headers_mut() = HeaderMap::with_capacity(headers.len() + 5);
        let h = response.headers_mut();
        h.insert(CONTENT_TYPE, JSON);
        for (name, value) in headers {
            h.insert(name, value);
        }
        if let Some(hash) = hash {
            let hash = if self.fault.corrupt_hash {
                corrupt(&hash)
            } else {
                hash
            };
            h.insert(headers::RESPONSE_HASH, hash);
        }
        h.insert(headers::REQUEST_ID, self.request_id.clone());
        h.insert(headers::SERVICE, HeaderValue::from_static("cee"));
        let body = if self.fault.tamper_body {
            tamper(&body)
        } else {
            body
        };
        *response.body_mut() = self.cut(body, h);
        response
    }

    /// A non-JSON answer (no response hash), body faults that apply to any body applied.
    fn raw(
        &mut self,
        status: StatusCode,
        body: Bytes,
        headers: Vec<(HeaderName, HeaderValue)>,
    ) -> Response {
        self.record(status.as_u16());
        let mut response = Response::new(Body::empty());
        *response.status_mut() = status;
        let h = response.headers_mut();
        for (name, value) in headers {
            h.insert(name, value);
        }
        h.insert(headers::REQUEST_ID, self.request_id.clone());
        *response.body_mut() = self.cut(body, h);
        response
    }

    /// The body after `truncate-body`, `drop-after-bytes` or `stall`.
    fn cut(&self, body: Bytes, headers: &mut HeaderMap) -> Body {
        let full = || HeaderValue::from(body.len());
        if let Some(t) = self.fault.truncate_body {
            let keep = match t {
                Truncate::Half => body.len() / 2,
                Truncate::Bytes(n) => n.min(body.len()),
            };
            return self.trickled(body.slice(..keep));
        }
        if let Some(n) = self.fault.drop_after_bytes {
            let keep = usize::try_from(n).unwrap_or(usize::MAX).min(body.len());
            if keep < body.len() {
                headers.insert(CONTENT_LENGTH, full());
                return body::cut_body(body.slice(..keep), Cut::Abort, self.app.shutdown.clone());
            }
        }
        if self.fault.stall_after_events.is_some() {
            headers.insert(CONTENT_LENGTH, full());
            return body::cut_body(Bytes::new(), Cut::Stall, self.app.shutdown.clone());
        }
        if self.fault.trickle_ms.is_some() {
            headers.insert(CONTENT_LENGTH, full());
        }
        self.trickled(body)
    }

    /// The body as is, or one byte at a time under `trickle-ms`.
    fn trickled(&self, body: Bytes) -> Body {
        match self.fault.trickle_ms {
            Some(ms) => body::trickle_body(
                body,
                std::time::Duration::from_millis(ms),
                self.app.shutdown.clone(),
            ),
            None => Body::from(body),
        }
    }

    /// An SSE answer: the head now, the events from `run` on a task.
    fn sse<F, Fut>(
        &mut self,
        status: StatusCode,
        headers: Vec<(HeaderName, HeaderValue)>,
        run: F,
    ) -> Response
    where
        F: FnOnce(sse_stream::SseSink) -> Fut,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let info = StreamInfo::for_request(&self.entry, status.as_u16(), &self.fault);
        self.record(status.as_u16());
        let (mut sink, body) = sse_stream::sse_channel(
            self.app.config.heartbeat,
            self.fault.clone(),
            Arc::clone(&self.app.ids),
            self.app.shutdown.clone(),
        );
        sink.track(self.app.streams.open(info));
        tokio::spawn(run(sink));
        let mut response = Response::new(body);
        *response.status_mut() = status;
        let h = response.headers_mut();
        for (name, value) in headers {
            h.insert(name, value);
        }
        h.insert(CONTENT_TYPE, HeaderValue::from_static("text/event-stream"));
        h.insert(CONNECTION, HeaderValue::from_static("keep-alive"));
        h.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        response
    }

    /// The upstream's answer (`--proxy-to`), journaled with `source: proxy`.
    async fn proxied(
        mut self,
        proxy: &proxy::Proxy,
        method: &axum::http::Method,
        target: &str,
        body: Bytes,
    ) -> Response {
        self.entry.proxied = true;
        let outgoing = proxy::Outgoing {
            method,
            target,
            headers: &self.request_headers,
            body,
            request_id: &self.request_id,
        };
        match proxy.forward(outgoing, self.app.shutdown.clone()).await {
            Ok(answer) => match answer.body {
                ForwardedBody::Full(bytes) => self.raw(answer.status, bytes, answer.headers),
                ForwardedBody::Stream(stream) => {
                    self.record(answer.status.as_u16());
                    let mut response = Response::new(stream);
                    *response.status_mut() = answer.status;
                    response.headers_mut().extend(answer.headers);
                    response
                }
            },
            Err(e) => {
                tracing::warn!(error = %e, "proxy");
                self.error(
                    StatusCode::BAD_GATEWAY,
                    "INTERNAL",
                    &format!("Proxy: {e}"),
                    None,
                )
            }
        }
    }

    /// No answer at all: the connection is closed.
    fn reset(&mut self) -> Response {
        self.record(0);
        Response::new(Body::from_stream(futures_util::stream::once(async {
            body::abort_chunk()
        })))
    }
}

/// A wrong hash of the same shape (each hex digit moved on by one).
fn corrupt(hash: &HeaderValue) -> HeaderValue {
    let moved: String = hash
        .as_bytes()
        .iter()
        .map(|b| match b {
            b'0'..=b'8' | b'a'..=b'e' => char::from(b + 1),
            b'9' => 'a',
            _ => '0',
        })
        .collect();
    HeaderValue::from_str(&moved).unwrap_or_else(|_| hash.clone())
}

/// The body with `"tampered":true` added at the front of its top-level object (still valid JSON,
/// so only the hash can tell).
fn tamper(body: &Bytes) -> Bytes {
    match body.first() {
        Some(b'{') => {
            let rest = &body[1..];
            let sep: &[u8] = if rest.trim_ascii_start().starts_with(b"}") {
                b""
            } else {
                b","
            };
            [b"{\"tampered\":true".as_slice(), sep, rest]
                .concat()
                .into()
        }
        _ => {
            let mut v = body.to_vec();
            v.push(b' ');
            v.into()
        }
    }
}

/// Header values the server reads must be visible ASCII.
fn malformed_header(headers: &HeaderMap) -> Option<&str> {
    headers.iter().find_map(|(name, value)| {
        let n = name.as_str();
        let checked = n.starts_with("x-olumi-")
            || n.starts_with("x-resume-")
            || n.starts_with("x-mock-")
            || n == "authorization"
            || n == "x-request-id";
        (checked && value.as_bytes().iter().any(|b| !(0x20..0x7f).contains(b))).then_some(n)
    })
}

/// The JSON body when a fixture looks at it; otherwise a JSON body (by content type) is only
/// checked for syntax, without building it.
fn parse_body(
    body: &[u8],
    headers: &HeaderMap,
    wanted: bool,
) -> Result<Option<Value>, serde_json::Error> {
    if body.is_empty() {
        Ok(None)
    } else if wanted {
        serde_json::from_slice(body).map(Some)
    } else if is_json_content(headers) {
        serde_json::from_slice::<serde::de::IgnoredAny>(body).map(|_| None)
    } else {
        Ok(None)
    }
}

fn is_json_content(headers: &HeaderMap) -> bool {
    headers
        .get(CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().windows(4).any(|w| w == b"json"))
}

/// The incoming `X-Request-Id` when it matches `^[A-Za-z0-9._-]{1,64}$` after trimming, else a
/// fresh UUID v4.
fn answered_request_id(headers: &HeaderMap, app: &App) -> HeaderValue {
    if let Some(v) = headers.get(headers::REQUEST_ID)
        && let Ok(text) = v.to_str()
    {
        let id = text.trim();
        if ids::is_valid_request_id(id) {
            return if id.len() == text.len() {
                v.clone()
            } else {
                HeaderValue::from_str(id).unwrap_or_else(|_| v.clone())
            };
        }
    }
    HeaderValue::from_bytes(&app.ids.uuid_bytes()).unwrap_or(HeaderValue::from_static(
        "00000000-0000-4000-8000-000000000000",
    ))
}

/// Serves every non-admin request.
pub(crate) async fn handle(app: Arc<App>, request: Request) -> Response {
    let since_start = app.started.elapsed();
    let received_at_ms = olumi::clock::unix_ms();
    let (parts, body) = request.into_parts();
    let uri = parts.uri;
    let target = uri
        .path_and_query()
        .map_or_else(|| uri.path(), |pq| pq.as_str());
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let method = parts.method;
    let request_id = answered_request_id(&parts.headers, &app);
    let mut ex = Exchange {
        app: Arc::clone(&app),
        entry: Record::new(
            app.journal.next_seq(),
            received_at_ms,
            since_start.as_secs_f64() * 1000.0,
            method.clone(),
            target,
            &parts.headers,
        ),
        request_headers: parts.headers,
        request_id,
        fault: FaultSpec::default(),
    };

    let body = match body::read_limited(body, app.config.body_limit).await {
        Ok(body) => body,
        Err(ReadError::TooLarge) => {
            let status = if app.config.quirks {
                StatusCode::BAD_REQUEST
            } else {
                StatusCode::PAYLOAD_TOO_LARGE
            };
            let details = format!(r#"{{"max_size_bytes":{}}}"#, app.config.body_limit);
            return ex.error(
                status,
                "BAD_INPUT",
                "Request body too large",
                Some(&details),
            );
        }
        Err(ReadError::Io(e)) => {
            return ex.error(
                StatusCode::BAD_REQUEST,
                "BAD_INPUT",
                &format!("Cannot read the request body: {e}"),
                None,
            );
        }
    };
    let headers = &ex.request_headers;
    ex.entry.body_len = body.len();
    ex.entry.capture_body(&body);
    ex.entry.body_sha256 = olumi::response_hash::raw_body_hash(&body);

    if let Some(name) = malformed_header(headers) {
        let message = format!("Header {name} is malformed: only visible ASCII is allowed");
        return ex.error(StatusCode::BAD_REQUEST, "BAD_INPUT", &message, None);
    }

    // Auth, then the per-key quota, as the service orders them.
    let kind = BucketKind::for_request(target, headers);
    let quota_ask = app.limiter.ask(kind);
    let decision = app
        .auth
        .check(&method, target, headers, &body, received_at_ms, quota_ask)
        .await;
    ex.entry.verdict = decision.verdict;
    ex.entry.hmac_rejection = decision.hmac_rejection;
    ex.entry.rejection = decision.rejection;
    if let Some(rejection) = &mut ex.entry.rejection {
        let nonce = headers.get(headers::NONCE).and_then(|v| v.to_str().ok());
        crate::explain::add_first_seen(rejection, &app.journal, nonce);
    }
    let key_id = decision.key_id;
    match &ex.entry.verdict {
        Verdict::MissingKey => {
            return ex.error(
                StatusCode::UNAUTHORIZED,
                "FORBIDDEN",
                "Missing API key. Provide X-Olumi-Assist-Key header.",
                None,
            );
        }
        Verdict::InvalidKey => {
            return ex.error(StatusCode::FORBIDDEN, "FORBIDDEN", "Invalid API key.", None);
        }
        Verdict::HmacRejected { code } => {
            let code = code.clone();
            let message = format!("HMAC signature validation failed: {code}");
            return ex.error(StatusCode::FORBIDDEN, &code, &message, None);
        }
        _ => {}
    }
    if let Some(key_id) = &key_id
        && app.limiter.enabled()
    {
        let quota = match decision.quota {
            Some(taken) => taken,
            None => app.limiter.take_shared(key_id, kind).await,
        };
        if let Err(secs) = quota {
            let mut extra = Vec::new();
            if !app.config.quirks {
                extra.push((RETRY_AFTER, HeaderValue::from(secs)));
            }
            let body = envelope::rate_limited(secs);
            return ex.json(StatusCode::TOO_MANY_REQUESTS, body, None, extra);
        }
    }

    let header_fault = match headers.get(headers::MOCK_FAULT) {
        None => None,
        Some(v) => match String::from_utf8_lossy(v.as_bytes()).parse::<FaultSpec>() {
            Ok(spec) => Some(spec),
            Err(e) => {
                return ex.error(
                    StatusCode::BAD_REQUEST,
                    "BAD_INPUT",
                    &format!("X-Mock-Fault: {e}"),
                    None,
                );
            }
        },
    };

    let fixtures = app.fixtures();
    let json = match parse_body(
        &body,
        headers,
        fixtures
            .route(method.as_str(), path)
            .is_some_and(|r| r.wants_body),
    ) {
        Ok(json) => json,
        Err(_) if app.config.quirks => {
            return ex.error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "INTERNAL",
                "Body is not valid JSON but content-type is set to 'application[path]'",
                None,
            );
        }
        Err(e) => {
            return ex.error(
                StatusCode::BAD_REQUEST,
                "BAD_INPUT",
                &format!("Body is not valid JSON: {e}"),
                None,
            );
        }
    };

    let query_pairs = matching::parse_query(query);
    let found = fixtures.find(&RequestView {
        method: method.as_str(),
        path,
        query: &query_pairs,
        headers,
        body: json.as_ref(),
        scenarios: &app.scenarios,
    });
    let fixture_name = found.as_ref().ok().map(|f| &*f.name);
    ex.fault = match header_fault {
        Some(spec) => spec.fires(&app.ids).then_some(spec),
        None => app
            .faults
            .take(method.as_str(), path, fixture_name, &app.ids),
    }
    .unwrap_or_default();
    ex.entry.fixture = found.as_ref().ok().map(|f| Arc::clone(&f.name));

    if ex.fault.reset {
        return ex.reset();
    }
    if let Some(ms) = ex.fault.delay_headers_ms {
        let delay = ex.fault.jittered(ms, &app.ids);
        tokio::select! {
            () = tokio::time::sleep(delay) => {}
            () = app.shutdown.wait() => {}
        }
    }
    if let Some(status) = ex.fault.status {
        return injected_status(ex, status);
    }

    let fixture = match found {
        Ok(fixture) => fixture,
        Err(nearest) => {
            ex.entry.near_miss = nearest.first().map(matching::NearMiss::summary);
            if let Some(proxy) = &app.proxy {
                return ex.proxied(proxy, &method, target, body).await;
            }
            let body = format!(
                r#"{{"message":{},"error":"Not Found","statusCode":404,"nearest":{}}}"#,
                envelope::quote(&format!("Route {method}:{path} not found")),
                serde_json::to_string(&nearest).unwrap_or_else(|_| "[]".into())
            );
            return ex.json(StatusCode::NOT_FOUND, Bytes::from(body), None, Vec::new());
        }
    };
    if let Some(rule) = &fixture.scenario
        && let Some(next) = &rule.next
    {
        app.scenarios.set(&rule.name, next);
    }
    let correlation_id = if fixture.correlation_id {
        app.ids.uuid()
    } else {
        String::new()
    };
    let ctx = Answer {
        fixture: &fixture,
        request_id: ex.request_id.clone(),
        correlation_id,
        key_id: key_id.clone(),
    };

    if let Some(validation) = fixture.validate {
        let checked = match validation {
            Validation::DraftGraphInput | Validation::CeeDraftGraphInput => {
                validation::check_draft_graph_input(json.as_ref())
            }
            Validation::CeeFields => {
                validation::check_required_fields(json.as_ref(), &fixture.required)
            }
        };
        if let Err(details) = checked {
            return invalid_input(ex, &ctx, validation, &details);
        }
    }
    match &fixture.action {
        Action::Respond(_) => canned(ex, &ctx),
        Action::Stream(_) => stream(ex, &ctx),
        Action::Builtin(Builtin::Limits) => limits(ex, key_id.as_deref()).await,
        Action::Builtin(Builtin::Resume) => resume_route(ex, &query_pairs).await,
        Action::Builtin(Builtin::Share) => {
            let host = headers
                .get(axum::http::header::HOST)
                .and_then(|h| h.to_str().ok())
                .unwrap_or("127.0.0.1");
            let request = ShareRequest {
                method: method.as_str(),
                path,
                body: json.as_ref(),
                host,
                request_id: ctx.request_id(),
                new_ids: (ex.app.ids.uuid().replace('-', ""), ex.app.ids.uuid()),
            };
            let answer = ex.app.shares.answer(request, olumi::clock::unix_ms());
            ex.json(answer.status, answer.body, None, Vec::new())
        }
    }
}

/// What answering with a fixture needs.
#[derive(Debug)]
struct Answer<'a> {
    fixture: &'a Arc<Fixture>,
    request_id: HeaderValue,
    correlation_id: String,
    key_id: Option<Arc<str>>,
}

impl Answer<'_> {
    fn request_id(&self) -> &str {
        self.request_id.to_str().unwrap_or_default()
    }

    fn key_id(&self) -> &str {
        self.key_id.as_deref().unwrap_or_default()
    }

    fn vars(&self) -> Vars<'_> {
        Vars {
            request_id: self.request_id(),
            correlation_id: &self.correlation_id,
            key_id: self.key_id(),
        }
    }

    fn headers(&self, templates: &[(HeaderName, Template)]) -> Vec<(HeaderName, HeaderValue)> {
        let vars = self.vars();
        let mut out: Vec<(HeaderName, HeaderValue)> = templates
            .iter()
            .filter_map(|(name, t)| {
                HeaderValue::from_maybe_shared(t.render(&vars))
                    .ok()
                    .map(|v| (name.clone(), v))
            })
            .collect();
        out.extend(self.diagnostics_header());
        out
    }

    /// `X-Correlation-ID` when the fixture asks for diagnostics.
    fn diagnostics_header(&self) -> Option<(HeaderName, HeaderValue)> {
        if self.fixture.diagnostics {
            correlation_header(&self.correlation_id)
        } else {
            None
        }
    }
}

/// An `X-Correlation-ID` header (none when `id` is not a valid header value).
fn correlation_header(id: &str) -> Option<(HeaderName, HeaderValue)> {
    HeaderValue::from_str(id)
        .ok()
        .map(|v| (headers::CORRELATION_ID, v))
}

fn injected_status(mut ex: Exchange, status: u16) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let rate_limited = status == StatusCode::TOO_MANY_REQUESTS;
    // Where the wait goes: `retry-after-via` when given; with quirks a 429 is the service's
    // per-key quota, whose wait is in the body only; otherwise the header (and a 429's body).
    let via = ex
        .fault
        .retry_after_via
        .or((rate_limited && ex.app.config.quirks).then_some(RetryAfterVia::Body));
    let extra: Vec<_> = match (ex.fault.retry_after, via) {
        (Some(secs), None | Some(RetryAfterVia::Header)) => {
            vec![(RETRY_AFTER, HeaderValue::from(secs))]
        }
        (Some(secs), Some(RetryAfterVia::Millis)) => vec![(
            HeaderName::from_static("retry-after-ms"),
            HeaderValue::from(secs.saturating_mul(1000)),
        )],
        (Some(secs), Some(RetryAfterVia::RateLimitReset)) => vec![(
            HeaderName::from_static("x-ratelimit-reset"),
            HeaderValue::from(secs),
        )],
        (None, _) | (Some(_), Some(RetryAfterVia::Body)) => Vec::new(),
    };
    let body_wait = matches!(via, None | Some(RetryAfterVia::Body));
    let body = if rate_limited && body_wait {
        envelope::rate_limited(ex.fault.retry_after.unwrap_or(1))
    } else if rate_limited {
        envelope::error_v1("RATE_LIMITED", "Rate limit exceeded.", None)
    } else {
        let message = format!("Injected fault: status {}", status.as_u16());
        envelope::error_v1(envelope::code_for_status(status.as_u16()), &message, None)
    };
    ex.json(status, body, None, extra)
}

fn canned(mut ex: Exchange, ctx: &Answer<'_>) -> Response {
    let Action::Respond(canned) = &ctx.fixture.action else {
        unreachable!("canned() is only called for responses")
    };
    let headers = ctx.headers(&canned.headers);
    match &canned.body {
        CannedBody::Json { text, hash } => {
            let mut body = text.render(&ctx.vars());
            let mut hash = hash.clone();
            if ctx.fixture.diagnostics {
                let diagnostics = resume::FinalPayload {
                    body,
                    correlation_id: Some(ctx.correlation_id.clone()),
                };
                body = diagnostics.render(0, 0);
                hash = None;
            }
            ex.json(canned.status, body, hash, headers)
        }
        CannedBody::Raw {
            bytes,
            content_type,
        } => {
            let mut headers = headers;
            headers.push((CONTENT_TYPE, content_type.clone()));
            ex.raw(canned.status, bytes.clone(), headers)
        }
        CannedBody::Empty => ex.raw(canned.status, Bytes::new(), headers),
    }
}

fn stream(mut ex: Exchange, ctx: &Answer<'_>) -> Response {
    let Action::Stream(script) = &ctx.fixture.action else {
        unreachable!("stream() is only called for streams")
    };
    let mut headers = ctx.headers(&script.headers);
    if ex.app.store.as_ref().is_none_or(StreamState::degraded) {
        headers.push((headers::DEGRADED, HeaderValue::from_static("redis")));
    }
    let run = ScriptRun {
        steps: Arc::clone(&script.steps),
        correlation_id: ctx.correlation_id.clone(),
        request_id: ctx.request_id().to_owned(),
        key_id: ctx.key_id().to_owned(),
        diagnostics: ctx.fixture.diagnostics,
        store: ex.app.store.clone(),
        resume_secret: ex.app.resume_secret(),
        resume_ttl: ex.app.config.resume_ttl,
    };
    ex.sse(script.status, headers, move |sink| {
        sse_stream::run_script(run, sink)
    })
}

/// The service's answer to input that fails validation: JSON, or SSE on stream routes.
fn invalid_input(
    mut ex: Exchange,
    ctx: &Answer<'_>,
    validation: Validation,
    details: &str,
) -> Response {
    let cee = validation != Validation::DraftGraphInput;
    let payload = if cee {
        let details = format!(r#"{{"field_errors":{details}}}"#);
        envelope::cee_error_v1(
            "CEE_VALIDATION_FAILED",
            "invalid input",
            false,
            ctx.request_id(),
            Some(&details),
        )
    } else {
        envelope::error_v1("BAD_INPUT", "invalid input", Some(details))
    };
    if !matches!(ctx.fixture.action, Action::Stream(_)) {
        return ex.json(StatusCode::BAD_REQUEST, payload, None, Vec::new());
    }
    let mut events = Vec::new();
    if !cee {
        events.push(("stage", Bytes::from_static(br#"{"stage":"DRAFTING"}"#)));
    }
    events.push(("stage", sse_stream::complete_stage(&payload)));
    let headers: Vec<_> = ctx.diagnostics_header().into_iter().collect();
    ex.sse(StatusCode::BAD_REQUEST, headers, move |sink| {
        sse_stream::run_fixed(events, sink)
    })
}

async fn limits(mut ex: Exchange, key_id: Option<&str>) -> Response {
    let Some(key_id) = key_id else {
        return ex.error(
            StatusCode::UNAUTHORIZED,
            "FORBIDDEN",
            "Authentication required",
            None,
        );
    };
    let quota = |q: crate::rate_limit::QuotaView| {
        format!(
            r#"{{"capacity_rpm":{},"tokens":{},"refill_rate_per_sec":{},"retry_after_seconds":{}}}"#,
            q.capacity_rpm,
            js_number(q.tokens),
            js_number(q.refill_rate_per_sec),
            q.retry_after_seconds
        )
    };
    let limiter = &ex.app.limiter;
    let standard = quota(limiter.view_shared(key_id, BucketKind::Standard).await);
    let sse = quota(limiter.view_shared(key_id, BucketKind::Sse).await);
    let backend = limiter.backend();
    let c = &ex.app.config;
    let body = format!(
        r#"{{"schema":"limits.v1","key_id":{},"rate_limit_rpm":{},"sse_rate_limit_rpm":{},"quota_backend":"{backend}","graph_max_nodes":50,"graph_max_edges":200,"max_nodes":50,"max_edges":200,"standard_quota":{standard},"sse_quota":{sse}}}"#,
        envelope::quote(key_id),
        c.rpm,
        c.sse_rpm,
    );
    ex.json(StatusCode::OK, Bytes::from(body), None, Vec::new())
}

/// A number as JavaScript prints it (integers without `.0`).
fn js_number(v: f64) -> String {
    if v.is_finite() && v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.0}")
    } else {
        format!("{v}")
    }
}

async fn resume_route(mut ex: Exchange, query: &[(String, String)]) -> Response {
    let headers = &ex.request_headers;
    let app = Arc::clone(&ex.app);
    let token = headers
        .get(headers::RESUME_TOKEN)
        .and_then(|v| v.to_str().ok());
    let secret = app.resume_secret();
    match resume::plan(
        token,
        secret.as_deref(),
        app.store.as_ref(),
        olumi::clock::unix_ms(),
    )
    .await
    {
        ResumePlan::Refuse { status, body } => ex.json(status, body, None, Vec::new()),
        ResumePlan::Stream { token, view } => {
            if app.config.quirks && view.status == StreamStatus::Drafting {
                // The deployed service crashes here (reference §5.5): the client sees a reset.
                return ex.reset();
            }
            // The query wins over the header.
            let live = match query.iter().find(|(k, _)| k == "mode") {
                Some((_, mode)) => mode == "live",
                None => headers
                    .get(headers::RESUME_MODE)
                    .is_some_and(|v| v.as_bytes() == b"live"),
            };
            let mode = ResumeMode {
                live,
                limit: app.config.live_resume_limit,
                poll: app.config.live_poll,
            };
            let out: Vec<_> = correlation_header(&token.request_id).into_iter().collect();
            let store = app.store.clone();
            ex.sse(StatusCode::OK, out, move |sink| {
                resume::run(sink, store, token, view, mode)
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corrupt_changes_every_digit() {
        let h = HeaderValue::from_static("09afaf000000");
        let c = corrupt(&h);
        assert_eq!(c.to_str().unwrap(), "1ab0b0111111");
    }

    #[test]
    fn tamper_keeps_json_valid() {
        for body in [&b"{}"[..], br#"{"a":1}"#] {
            let t = tamper(&Bytes::copy_from_slice(body));
            let v: Value = serde_json::from_slice(&t).unwrap();
            assert_eq!(v["tampered"], Value::Bool(true));
        }
    }

    #[test]
    fn numbers_print_like_javascript() {
        assert_eq!(js_number(119.0), "119");
        assert_eq!(js_number(119.004), "119.004");
        assert_eq!(js_number(20.0 / 60.0), "0.3333333333333333");
    }
}
