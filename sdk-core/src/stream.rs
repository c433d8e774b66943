//! The tokio driver of a [`StreamSession`]: it performs the requests the session asks for, feeds
//! it bytes, EOFs, errors and timer expiries, and hands its events to the consumer. Every
//! decision (resume or not, skip which replayed events, fall back, how it ended) is the
//! session's; this module only does I/O.
//!
//! One driver serves every streaming route: [`EventStream`] is generic over the final payload,
//! and [`DraftGraphStream`], [`CeeDraftGraphStream`] and [`JsonEventStream`] name its uses.

use std::fmt;

use bytes::Bytes;
use futures_util::Stream;
use reqwest::Method;
use reqwest::header::{HeaderName, HeaderValue};
use serde::de::DeserializeOwned;
use tokio_util::sync::CancellationToken;

use crate::cancel_flag::CancelFlag;
use crate::client::Client;
use crate::error::Error;
use crate::models::{CeeDraftGraphResponse, DraftGraphOutput};
use crate::stream_session::{
    Action, SessionConfig, Start, StreamEvent, StreamSession, StreamSummary,
};
use crate::transport::ApiRequest;

const EVENT_STREAM: &str = "text/event-stream";
/// Most bytes of a network read decoded ahead of the consumer: a large read (hundreds of KiB
/// arrive at once from a fast server) is fed to the session in slices, so the first event is
/// not held back until the whole read is decoded, and decoded events never pile up.
const FEED_SLICE: usize = 16 * 1024;
const HEADER_RESUME_TOKEN: &str = "x-resume-token";

/// The service's one resume route (it resumes the draft stream and the CEE stream alike).
const RESUME_PATH: &str = "/assist/draft-graph/resume";

/// Where a stream's requests go.
#[derive(Debug, Clone)]
pub(crate) struct StreamRoute {
    /// The streaming request's method.
    pub(crate) method: Method,
    /// The streaming request's path and query.
    pub(crate) path: String,
    /// The JSON route (path and query) that answers the same request without streaming, for the
    /// one fallback; `None` when there is none.
    pub(crate) fallback: Option<String>,
}

impl StreamRoute {
    /// `POST /assist/draft-graph/stream`, falling back to `POST /assist/draft-graph`.
    pub(crate) fn draft_graph() -> Self {
        Self {
            method: Method::POST,
            path: "/assist/draft-graph/stream".to_owned(),
            fallback: Some("/assist/draft-graph".to_owned()),
        }
    }
}

/// What a stream starts from.
#[derive(Debug)]
pub(crate) enum StreamOptions {
    /// A new stream with this JSON body (which the fallback reuses).
    Open {
        route: StreamRoute,
        body: Option<Bytes>,
    },
    /// A resume from a token the caller kept.
    Resume { token: String, live: bool },
}

/// What a stream needs from its client.
#[derive(Debug)]
pub(crate) struct StreamParts {
    pub(crate) client: Client,
    pub(crate) idle_timeout: std::time::Duration,
    pub(crate) resume_live: bool,
}

/// A resilient `POST /assist/draft-graph/stream` (see [`EventStream`]).
pub type DraftGraphStream = EventStream<DraftGraphOutput>;

/// A resilient `POST /assist/v1/draft-graph/stream` (see [`EventStream`]): its final event
/// carries the CEE draft response.
pub type CeeDraftGraphStream = EventStream<CeeDraftGraphResponse>;

/// A stream opened with [`Client::request_stream`]: the final payload is kept as JSON.
pub type JsonEventStream = EventStream<serde_json::Value>;

/// A resilient event stream of the service (`stage` events, `resume` tokens, heartbeats, and a
/// final `COMPLETE` whose payload is a `T`).
///
/// Read it with [`next`](Self::next) or turn it into a [`futures_util::Stream`] with
/// [`into_stream`](Self::into_stream). It delivers every event once, resumes once after a drop,
/// falls back once to the non-streaming route, and ends with [`StreamEvent::Complete`] or an
/// error. [`summary`](Self::summary) tells how it went. Dropping it closes the connection at
/// once; [`cancel_token`](Self::cancel_token) stops it from another task.
pub struct EventStream<T = DraftGraphOutput> {
    client: Client,
    session: StreamSession<T>,
    /// Where the requests go; `None` for a stream started from a resume token.
    route: Option<StreamRoute>,
    body: Option<Bytes>,
    response: Option<reqwest::Response>,
    /// The part of the last network read not yet fed to the session.
    unfed: Bytes,
    cancel: CancellationToken,
    /// `cancel`'s state without its lock, for the check per drained event.
    cancel_seen: CancelFlag,
    cancelled: bool,
}

impl<T: DeserializeOwned> fmt::Debug for EventStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream")
            .field("summary", self.session.summary())
            .field("open", &self.response.is_some())
            .finish_non_exhaustive()
    }
}

fn now() -> std::time::Instant {
    // tokio's clock, so that tests with paused time drive the session's timers too.
    tokio::time::Instant::now().into_std()
}

impl<T: DeserializeOwned + Send + 'static> EventStream<T> {
    /// Opens the stream. For a new stream the first request (with the client's retries) is made
    /// here, so an authentication or rate-limit error is this call's error.
    pub(crate) async fn open(parts: StreamParts, options: StreamOptions) -> Result<Self, Error> {
        let (start, route, body, resume_live) = match options {
            StreamOptions::Open { route, body } => {
                (Start::Stream, Some(route), body, parts.resume_live)
            }
            StreamOptions::Resume { token, live } => (Start::Resume { token }, None, None, live),
        };
        let config = SessionConfig::new()
            .with_idle_timeout(parts.idle_timeout)
            .with_resume_live(resume_live)
            .with_fallback(route.as_ref().is_some_and(|r| r.fallback.is_some()));
        let cancel = CancellationToken::new();
        let mut stream = Self {
            client: parts.client,
            session: StreamSession::new(start, config, now()),
            route,
            body,
            response: None,
            unfed: Bytes::new(),
            cancel_seen: CancelFlag::new(&cancel),
            cancel,
            cancelled: false,
        };
        match stream.session.poll_action() {
            Some(Action::OpenStream) => {
                let request = stream.stream_request()?;
                let response = stream.client.transport().open_stream(&request).await?;
                stream.opened(response);
            }
            // A resume start: its failures are the session's to report, as events.
            Some(action) => stream.perform(action).await,
            None => {}
        }
        Ok(stream)
    }

    /// The next event, or `None` after the final one. The last item is
    /// `Ok(StreamEvent::Complete(..))` or an `Err`.
    pub async fn next(&mut self) -> Option<Result<StreamEvent<T>, Error>> {
        loop {
            if self.cancelled {
                return None;
            }
            if let Some(event) = self.next_ready() {
                return Some(event);
            }
            if self.session.is_finished() {
                self.disconnect();
                return None;
            }
            if let Some(action) = self.session.poll_action() {
                self.disconnect();
                let cancel = self.cancel.clone();
                tokio::select! {
                    biased;
                    () = cancel.cancelled() => return self.cancelled_now(),
                    () = self.perform(action) => {}
                }
                continue;
            }
            let Some(response) = self.response.as_mut() else {
                // A request of this stream was abandoned mid-flight (a `next()` future dropped,
                // e.g. by a timeout around it): nothing will answer it. A dropped fallback ends
                // the stream as cancelled; a dropped stream or resume request counts as ended,
                // so recovery goes on. (Each call does nothing in the other phases.)
                self.session.handle_fallback(Err(Error::Cancelled));
                self.session.handle_eof(now());
                continue;
            };
            let deadline = self.session.poll_timeout();
            tokio::select! {
                biased;
                () = self.cancel.cancelled() => return self.cancelled_now(),
                chunk = response.chunk() => match chunk {
                    Ok(Some(bytes)) => self.unfed = bytes,
                    Ok(None) => {
                        self.disconnect();
                        self.session.handle_eof(now());
                    }
                    Err(e) => {
                        self.disconnect();
                        self.session.handle_transport_error(now(), Error::network("the stream broke", e.without_url()));
                    }
                },
                () = sleep_until(deadline) => self.session.handle_timeout(now()),
            }
        }
    }

    /// The next event if it is ready without any I/O (decoded from bytes already read), else
    /// `None`: the same sequence as [`next`](Self::next), for draining what one network read
    /// delivered in a batch. `None` does not mean the stream has ended; `next` says that.
    pub fn next_ready(&mut self) -> Option<Result<StreamEvent<T>, Error>> {
        if self.cancelled {
            return None;
        }
        if self.cancel_seen.is_set() {
            // Cancelled from another task: what was read but not delivered is dropped.
            return self.cancelled_now();
        }
        let event = loop {
            if let Some(event) = self.session.poll_event() {
                break event;
            }
            if self.unfed.is_empty() || self.session.is_finished() {
                return None;
            }
            let slice = self.unfed.split_to(self.unfed.len().min(FEED_SLICE));
            self.session.handle_bytes(now(), &slice);
        };
        if self.session.is_finished() && matches!(event, Ok(StreamEvent::Complete(_)) | Err(_)) {
            // The final event: the connection is of no further use.
            self.disconnect();
        }
        Some(event)
    }

    /// What happened so far (final after the last event): events, heartbeats, resumes,
    /// fallback, and the failures that triggered recovery.
    pub fn summary(&self) -> &StreamSummary {
        self.session.summary()
    }

    /// A token that stops this stream from another task: the pending [`next`](Self::next)
    /// returns `Err(Error::Cancelled)` and the connection is closed.
    pub fn cancel_token(&self) -> CancellationToken {
        self.cancel.clone()
    }

    /// Closes the connection now; later calls to [`next`](Self::next) return `None`.
    pub fn close(&mut self) {
        self.disconnect();
        self.cancelled = true;
        self.cancel.cancel();
    }

    /// The stream as a [`futures_util::Stream`].
    pub fn into_stream(self) -> impl Stream<Item = Result<StreamEvent<T>, Error>> + Send + 'static {
        futures_util::stream::unfold(self, |mut stream| async move {
            stream.next().await.map(|event| (event, stream))
        })
    }

    /// Drops the response (closing its connection unless it was read to the end) and what is
    /// left of its last read.
    fn disconnect(&mut self) {
        self.response = None;
        self.unfed.clear();
    }

    fn cancelled_now(&mut self) -> Option<Result<StreamEvent<T>, Error>> {
        self.disconnect();
        self.cancelled = true;
        Some(Err(Error::Cancelled))
    }

    /// The streaming request of the route (the session asks for it only when there is a route).
    fn stream_request(&self) -> Result<ApiRequest, Error> {
        let route = self
            .route
            .as_ref()
            .ok_or_else(|| Error::config("a stream resumed from a token has no route to open"))?;
        let mut request = ApiRequest::new(route.method.clone(), &route.path, self.body.clone());
        request.accept = EVENT_STREAM;
        Ok(request)
    }

    async fn perform(&mut self, action: Action) {
        match action {
            Action::OpenStream => {
                let result = match self.stream_request() {
                    Ok(request) => self.client.transport().open_stream(&request).await,
                    Err(error) => Err(error),
                };
                match result {
                    Ok(response) => self.opened(response),
                    Err(error) => self.session.handle_transport_error(now(), error),
                }
            }
            Action::Resume { token, live } => {
                let path = if live {
                    format!("{RESUME_PATH}?mode=live")
                } else {
                    RESUME_PATH.to_owned()
                };
                let mut request = ApiRequest::post(path, None);
                request.accept = EVENT_STREAM;
                match HeaderValue::from_str(&token) {
                    Ok(value) => request
                        .headers
                        .push((HeaderName::from_static(HEADER_RESUME_TOKEN), value)),
                    Err(_) => {
                        let error = Error::config(
                            "the resume token contains characters that cannot go in a header",
                        );
                        self.session.handle_transport_error(now(), error);
                        return;
                    }
                }
                let deadline = self.session.poll_timeout();
                tokio::select! {
                    result = self.client.transport().open_stream_once(&request) => match result {
                        Ok(response) => self.opened(response),
                        Err(error) => self.session.handle_transport_error(now(), error),
                    },
                    () = sleep_until(deadline) => self.session.handle_timeout(now()),
                }
            }
            Action::Fallback => {
                // The session asks for a fallback only when the route has one.
                let Some(path) = self.route.as_ref().and_then(|r| r.fallback.clone()) else {
                    let error = Error::config("this stream's route has no fallback");
                    self.session.handle_fallback(Err(error));
                    return;
                };
                let request = ApiRequest::post(path.as_str(), self.body.clone());
                let result = match self.client.transport().send(&request).await {
                    Ok(response) => {
                        serde_json::from_slice::<T>(&response).map_err(|e| Error::Decode {
                            what: path.clone(),
                            message: e.to_string(),
                        })
                    }
                    Err(error) => Err(error),
                };
                self.session.handle_fallback(result);
            }
        }
    }

    fn opened(&mut self, response: crate::transport::StreamResponse) {
        self.session.handle_response(
            now(),
            response.status,
            response.is_event_stream,
            response.request_id.as_deref(),
        );
        self.response = Some(response.body);
    }
}

async fn sleep_until(deadline: Option<std::time::Instant>) {
    match deadline {
        Some(deadline) => tokio::time::sleep_until(deadline.into()).await,
        None => std::future::pending().await,
    }
}
