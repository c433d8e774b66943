//! The sans-IO stream session: one event stream (`draft-graph`, the CEE draft stream, or any
//! other route that streams the service's `stage` events) from the first request to its final
//! answer, with the resilience contract of docs/protocol.md section 9.3 (idle timer, one resume, one
//! fallback, replay skipping).
//!
//! The session is generic over the final payload `T` ([`DraftGraphOutput`] by default; the CEE
//! stream uses [`CeeDraftGraphResponse`](crate::models::CeeDraftGraphResponse), the generic
//! [`Client::request_stream`](crate::Client::request_stream) uses [`serde_json::Value`]).
//!
//! [`StreamSession`] is a state machine in the style of `quinn-proto` and `h11`: it never opens a
//! socket and never reads a clock. A driver (the tokio transport) does the I/O and reports what
//! happened; the session says what to do next and what the consumer sees:
//!
//! ```text
//!            poll_action() ──► Action::{OpenStream, Resume, Fallback}   (start that request)
//!   driver ─ handle_response / handle_error_response / handle_bytes / handle_eof /
//!            handle_transport_error / handle_timeout / handle_fallback ──► session
//!            poll_event()  ──► StreamEvent … then the final Ok(Complete) or Err   (to the consumer)
//!            poll_timeout() ─► when to call handle_timeout
//! ```
//!
//! # The contract
//!
//! 1. Any bytes, heartbeat comments included, push the idle deadline to `now + idle_timeout`.
//! 2. An early end of the stream (EOF before the final event, a transport error, or the idle
//!    deadline) asks for **one** resume when a resume token was seen. The server replays every
//!    buffered event after the token's seq; the session counts the events it delivered after the
//!    newest `resume` event and skips that many replayed events, so nothing reaches the consumer
//!    twice.
//! 3. No token, or a failed resume (non-200, not SSE, transport error, idle, or an end without a
//!    final event) asks for **one** fallback to `POST /assist/draft-graph`, whose result is the
//!    final event. A session started from a bare token ([`Start::Resume`]) has nothing to fall
//!    back to and fails with the resume's error.
//! 4. The final event is the `COMPLETE` stage (`{"stage":"COMPLETE","payload":P}`) or, on a
//!    resume stream, `event: complete` with the bare payload `P`. An error envelope in `P` is a
//!    definitive answer: [`Error::Api`], no resume, no fallback.
//! 5. Decoding failures (an SSE limit crossed, event data that is not the expected JSON) are
//!    definitive too: the same bytes would be replayed, so neither recovery could help.
//!
//! See `docs/streaming.md` for the state diagram and the driver loop.

use std::collections::VecDeque;
use std::fmt;
use std::time::{Duration, Instant};

use serde::de::DeserializeOwned;
use serde_json::Value;
use serde_json::value::RawValue;

use crate::error::{ApiError, Error, StreamError};
use crate::models::{DraftGraphOutput, ResumeEvent, StageEvent, is_error_envelope};
use crate::retry::ResponseInfo;
use crate::sse::{SseConfig, SseDecoder, SseEvent, SseItem};

/// The default idle timeout: three missed heartbeats (the service sends one every 10 s).
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(30);

/// How a [`StreamSession`] behaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct SessionConfig {
    /// Longest silence (no byte at all) tolerated on an open stream or resume. Default
    /// [`DEFAULT_IDLE_TIMEOUT`].
    pub idle_timeout: Duration,
    /// Resume in live mode (`?mode=live`: keep streaming until completion) rather than replay
    /// mode (replay what is buffered, then end). Default `true`: a replay-mode resume of a
    /// stream still in progress ends without its final event, which forces a fallback.
    pub resume_live: bool,
    /// Limits of the SSE decoder.
    pub sse: SseConfig,
    /// Whether a failed stream may fall back to a non-streaming request (default `true`). A
    /// stream whose route has no JSON twin (the generic `request_stream`) sets it to `false`:
    /// after a failed resume, or with no resume token, the failure is the session's error.
    pub fallback: bool,
}

impl Default for SessionConfig {
    fn default() -> Self {
        Self::new()
    }
}

impl SessionConfig {
    /// The defaults: 30 s idle timeout, live resume, default SSE limits.
    #[must_use]
    pub const fn new() -> Self {
        Self {
            idle_timeout: DEFAULT_IDLE_TIMEOUT,
            resume_live: true,
            sse: SseConfig::new(),
            fallback: true,
        }
    }

    /// Sets the idle timeout.
    #[must_use]
    pub const fn with_idle_timeout(mut self, idle_timeout: Duration) -> Self {
        self.idle_timeout = idle_timeout;
        self
    }

    /// Chooses live (`true`) or replay (`false`) resume.
    #[must_use]
    pub const fn with_resume_live(mut self, live: bool) -> Self {
        self.resume_live = live;
        self
    }

    /// Sets the SSE decoder's limits.
    #[must_use]
    pub const fn with_sse(mut self, sse: SseConfig) -> Self {
        self.sse = sse;
        self
    }

    /// Allows (`true`, the default) or forbids the fallback to a non-streaming request.
    #[must_use]
    pub const fn with_fallback(mut self, fallback: bool) -> Self {
        self.fallback = fallback;
        self
    }
}

/// How a session begins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Start {
    /// A new stream (`POST /assist/draft-graph/stream` with the request body); the driver has the
    /// body, so a fallback to `POST /assist/draft-graph` is possible.
    Stream,
    /// The caller resumes from a token it kept (`client.resume(token)`). There is no request body,
    /// so no fallback: a failed resume is the session's error.
    Resume {
        /// The token from an earlier stream's `resume` event.
        token: String,
    },
}

/// A request the driver must start now (from [`StreamSession::poll_action`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// `POST /assist/draft-graph/stream` with the request body, under the driver's normal retry
    /// policy for the initial request. Report the response with
    /// [`StreamSession::handle_response`] (or [`StreamSession::handle_error_response`]).
    OpenStream,
    /// `POST /assist/draft-graph/resume` (plus `?mode=live` when `live`, which must be signed
    /// too) with `X-Resume-Token: token` and no body. One attempt, no retries: the session
    /// decides what follows a failure.
    Resume {
        /// The value of `X-Resume-Token`.
        token: String,
        /// Add `?mode=live`.
        live: bool,
    },
    /// `POST /assist/draft-graph` (JSON, with the driver's normal retries). Report the outcome
    /// with [`StreamSession::handle_fallback`].
    Fallback,
}

/// One thing the consumer sees, in stream order. `T` is the final payload's type.
#[derive(Debug, Clone, PartialEq)]
pub enum StreamEvent<T = DraftGraphOutput> {
    /// A non-final stage event (`DRAFTING`, and the `DRAFTING` preview with a payload). Its
    /// payload (the preview graph, which may be partial) is the JSON text as sent, checked to be
    /// valid JSON and not parsed: [`StageEvent::payload`] parses it on demand. Unknown fields of
    /// the event are skipped (its `extra` is empty): the service sends none, and keeping them
    /// would cost allocations on every event.
    Stage(StageEvent),
    /// A resume token (`event: resume`): keep it to resume this stream later with
    /// [`Start::Resume`].
    ResumeToken(String),
    /// A comment line (the service's `: heartbeat`); only proves the connection is alive.
    Heartbeat,
    /// An event with a name this SDK does not know, delivered as is.
    Other {
        /// The event name (`message` when the event had none).
        event: String,
        /// The event data.
        data: String,
    },
    /// The final event: the result and how it was obtained. Nothing follows it.
    Complete(Box<Completion<T>>),
}

/// The successful end of a session.
#[derive(Debug, Clone, PartialEq)]
pub struct Completion<T = DraftGraphOutput> {
    /// The result.
    pub output: T,
    /// Which request delivered it.
    pub via: CompletedVia,
    /// What happened on the way, counts final.
    pub summary: StreamSummary,
}

/// Which request delivered the final result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CompletedVia {
    /// The original stream's `COMPLETE` stage.
    Stream,
    /// The resume stream (after a drop, or a session started with [`Start::Resume`]).
    Resume,
    /// The non-streaming `POST /assist/draft-graph`.
    Fallback,
}

impl CompletedVia {
    /// The name the bindings show: `"stream"`, `"resume"` or `"fallback"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Stream => "stream",
            Self::Resume => "resume",
            Self::Fallback => "fallback",
        }
    }
}

/// One of the streaming requests of a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Leg {
    /// `POST /assist/draft-graph/stream`.
    Stream,
    /// `POST /assist/draft-graph/resume`.
    Resume,
}

impl fmt::Display for Leg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Stream => "stream",
            Self::Resume => "resume",
        })
    }
}

/// Why a streaming request ended without its final event (and recovery was tried).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FailureCause {
    /// No byte for the idle timeout.
    IdleTimeout {
        /// The idle timeout in force.
        after: Duration,
    },
    /// The response ended (EOF) before the final event.
    Truncated {
        /// Events delivered to the consumer so far in the session.
        events: u64,
    },
    /// The connection failed or broke (or the driver's own request timeout fired).
    Transport {
        /// The error's message.
        message: String,
    },
    /// The server answered with an error status (a resume's 426, 401, 400 ...).
    Status {
        /// The HTTP status.
        status: u16,
        /// The error's message (`HTTP status N` when the body was not read).
        message: String,
    },
    /// A success status, but the body is not `text/event-stream`.
    NotEventStream {
        /// The HTTP status.
        status: u16,
    },
}

impl fmt::Display for FailureCause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::IdleTimeout { after } => write!(f, "no data for {after:?}"),
            Self::Truncated { events } => {
                write!(f, "ended before its final event (after {events} events)")
            }
            Self::Transport { message } => write!(f, "transport error: {message}"),
            Self::Status { status, message } => write!(f, "status {status}: {message}"),
            Self::NotEventStream { status } => {
                write!(f, "status {status} but not text/event-stream")
            }
        }
    }
}

/// A streaming request that failed, recorded in the [`StreamSummary`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegFailure {
    /// Which request failed.
    pub leg: Leg,
    /// Why.
    pub cause: FailureCause,
}

impl fmt::Display for LegFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} request {}", self.leg, self.cause)
    }
}

/// What happened during a session. Final once the session is finished.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct StreamSummary {
    /// Events delivered to the consumer, heartbeats excluded, the final `Complete` included.
    pub events: u64,
    /// Heartbeats (comment lines) delivered.
    pub heartbeats: u64,
    /// Replayed events skipped on the resume stream because they had already been delivered.
    pub skipped: u64,
    /// Resume requests made (0 or 1; 1 for a session started with [`Start::Resume`]).
    pub resumes: u32,
    /// Whether the fallback request was made.
    pub fallback: bool,
    /// The failure that started recovery (the first streaming request that failed), if any.
    pub first_failure: Option<LegFailure>,
    /// The failure of the resume request after `first_failure`, if it failed too.
    pub resume_failure: Option<LegFailure>,
}

/// Where the session is. `Requesting` and `Fallback` carry whether the driver has taken the
/// action yet, so that a response reported before the request was started is ignored.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Phase {
    /// A streaming request is due (`taken == false`) or in flight, awaiting its response headers.
    Requesting { leg: Leg, taken: bool },
    /// A streaming response is open: bytes are decoded.
    Open {
        leg: Leg,
        status: u16,
        request_id: Option<String>,
    },
    /// The fallback request is due or in flight.
    Fallback { taken: bool },
    /// The final event is queued; nothing changes any more.
    Finished,
}

/// The sans-IO state machine of one event stream; see the [module docs](self). `T` is the final
/// payload's type.
#[derive(Debug)]
pub struct StreamSession<T = DraftGraphOutput> {
    decoder: SseDecoder,
    // Everything but the decoder, so that the decoder's callback can borrow it mutably.
    core: Core<T>,
}

#[derive(Debug)]
struct Core<T> {
    idle_timeout: Duration,
    resume_live: bool,
    /// Whether a fallback is possible at all (not for [`Start::Resume`]).
    can_fall_back: bool,
    phase: Phase,
    /// The idle deadline; `Some` only while a response is open or a resume is due or awaited.
    deadline: Option<Instant>,
    /// The newest resume token seen on the original stream (or the caller's).
    token: Option<String>,
    /// Events delivered on the original stream after the newest `resume` event: the number of
    /// replayed events a resume must skip.
    after_token: u64,
    /// Replayed events still to skip on the open resume stream.
    to_skip: u64,
    events: VecDeque<Result<StreamEvent<T>, Error>>,
    summary: StreamSummary,
}

impl<T: DeserializeOwned> StreamSession<T> {
    /// A session that starts with [`Action::OpenStream`] ([`Start::Stream`]) or with
    /// [`Action::Resume`] ([`Start::Resume`]). For a resume start, the idle timer runs from `now`
    /// (it covers the wait for the response headers too, since the session owns that request).
    #[must_use]
    pub fn new(start: Start, config: SessionConfig, now: Instant) -> Self {
        let mut core = Core {
            idle_timeout: config.idle_timeout,
            resume_live: config.resume_live,
            can_fall_back: config.fallback,
            phase: Phase::Requesting {
                leg: Leg::Stream,
                taken: false,
            },
            deadline: None,
            token: None,
            after_token: 0,
            to_skip: 0,
            events: VecDeque::new(),
            summary: StreamSummary::default(),
        };
        if let Start::Resume { token } = start {
            core.can_fall_back = false;
            core.token = Some(token);
            core.summary.resumes = 1;
            core.phase = Phase::Requesting {
                leg: Leg::Resume,
                taken: false,
            };
            core.deadline = core.deadline_from(now);
        }
        Self {
            decoder: SseDecoder::with_config(config.sse),
            core,
        }
    }

    /// The request the driver must start now, if any. Each action is returned once.
    pub fn poll_action(&mut self) -> Option<Action> {
        let core = &mut self.core;
        match &mut core.phase {
            Phase::Requesting {
                leg,
                taken: taken @ false,
            } => {
                *taken = true;
                Some(match leg {
                    Leg::Stream => Action::OpenStream,
                    Leg::Resume => Action::Resume {
                        token: core.token.clone().unwrap_or_default(),
                        live: core.resume_live,
                    },
                })
            }
            Phase::Fallback {
                taken: taken @ false,
            } => {
                *taken = true;
                Some(Action::Fallback)
            }
            _ => None,
        }
    }

    /// The status and headers of the response to the current [`Action::OpenStream`] or
    /// [`Action::Resume`]. `is_event_stream`: its `Content-Type` is `text/event-stream`.
    /// `request_id`: the response's request or correlation id, copied into API errors.
    ///
    /// An SSE response to the first stream is decoded whatever its status (the service answers
    /// invalid input with a 400 stream whose `COMPLETE` carries `BAD_INPUT`); a resume must
    /// answer 2xx. A non-SSE error status on the first stream is final ([`Error::Api`],
    /// `HTTP status N`); on a resume it starts the fallback. A 2xx that is not SSE is a failed
    /// request: recovery follows.
    pub fn handle_response(
        &mut self,
        now: Instant,
        status: u16,
        is_event_stream: bool,
        request_id: Option<&str>,
    ) {
        let core = &mut self.core;
        let Phase::Requesting { leg, taken: true } = core.phase else {
            return;
        };
        let success = (200..300).contains(&status);
        // Any SSE body is decoded on the first stream: its COMPLETE says what went wrong. A resume
        // that answers an error status has no such event (the service answers those in JSON).
        if is_event_stream && (leg == Leg::Stream || success) {
            // A new response is a new event stream: drop any state a previous one left behind.
            self.decoder.reset();
            core.to_skip = if leg == Leg::Resume {
                core.after_token
            } else {
                0
            };
            core.phase = Phase::Open {
                leg,
                status,
                request_id: request_id.map(str::to_owned),
            };
            core.deadline = core.deadline_from(now);
            return;
        }
        if success {
            let error = Error::Decode {
                what: format!("event stream {leg} response"),
                message: format!("status {status} is not text/event-stream"),
            };
            core.leg_failed(now, leg, FailureCause::NotEventStream { status }, error);
        } else {
            let headers = [("x-request-id", request_id.unwrap_or_default())];
            let info = ResponseInfo::new(status).with_headers(if request_id.is_some() {
                &headers
            } else {
                &[]
            });
            core.error_answer(now, leg, ApiError::from_response(&info, 0));
        }
    }

    /// The current [`Action::OpenStream`] or [`Action::Resume`] was answered with an error the
    /// driver decoded from the body (which [`handle_response`](Self::handle_response) cannot
    /// see). On the first stream the error is final; on a resume it starts the fallback, or is
    /// the session's error when there is no fallback.
    pub fn handle_error_response(&mut self, now: Instant, error: ApiError) {
        let Phase::Requesting { leg, taken: true } = self.core.phase else {
            return;
        };
        self.core.error_answer(now, leg, error);
    }

    /// Bytes of the open response body, in any chunking. Non-empty chunks reset the idle timer.
    pub fn handle_bytes(&mut self, now: Instant, chunk: &[u8]) {
        let core = &mut self.core;
        if !matches!(core.phase, Phase::Open { .. }) || chunk.is_empty() {
            return;
        }
        core.deadline = core.deadline_from(now);
        self.decoder.feed_with(chunk, |item| core.on_item(item));
    }

    /// The open response body ended. Before the final event, that is a truncation.
    pub fn handle_eof(&mut self, now: Instant) {
        let core = &mut self.core;
        let (Phase::Open { leg, .. } | Phase::Requesting { leg, taken: true }) = core.phase else {
            return;
        };
        // What was pending is dropped: an event without its blank line was never dispatched, so
        // it was not counted, and the replay delivers it.
        let _ = self.decoder.finish();
        let events = core.summary.events;
        core.leg_failed(
            now,
            leg,
            FailureCause::Truncated { events },
            StreamError::Truncated { events }.into(),
        );
    }

    /// The current streaming request or its response failed (connection refused or reset, the
    /// driver's request timeout, ...). Before the final event, recovery follows.
    /// [`Error::Cancelled`] ends the session at once; an [`Error::Api`] is handled as
    /// [`handle_error_response`](Self::handle_error_response) does.
    pub fn handle_transport_error(&mut self, now: Instant, error: Error) {
        let core = &mut self.core;
        let (Phase::Open { leg, .. } | Phase::Requesting { leg, taken: true }) = core.phase else {
            return;
        };
        match error {
            Error::Cancelled => core.finish(Err(Error::Cancelled)),
            Error::Api(api) if matches!(core.phase, Phase::Requesting { .. }) => {
                core.error_answer(now, leg, *api)
            }
            error => {
                let cause = FailureCause::Transport {
                    message: error.to_string(),
                };
                core.leg_failed(now, leg, cause, error);
            }
        }
    }

    /// The driver's timer fired. Does nothing before [`poll_timeout`](Self::poll_timeout); at or
    /// after it, the current streaming request has been idle too long and recovery follows.
    pub fn handle_timeout(&mut self, now: Instant) {
        let core = &mut self.core;
        let Some(deadline) = core.deadline else {
            return;
        };
        let (Phase::Open { leg, .. } | Phase::Requesting { leg, .. }) = core.phase else {
            return;
        };
        if now < deadline {
            return;
        }
        let after = core.idle_timeout;
        core.leg_failed(
            now,
            leg,
            FailureCause::IdleTimeout { after },
            StreamError::IdleTimeout { after }.into(),
        );
    }

    /// The outcome of [`Action::Fallback`], after the driver's retries. `Ok` is the final event;
    /// `Err` is the session's error (the causes of the earlier failures stay in the summary).
    pub fn handle_fallback(&mut self, result: Result<T, Error>) {
        let core = &mut self.core;
        if core.phase != (Phase::Fallback { taken: true }) {
            return;
        }
        match result {
            Ok(output) => core.complete(output, CompletedVia::Fallback),
            Err(error) => core.finish(Err(error)),
        }
    }

    /// The next event for the consumer, in order. The last one is `Ok(StreamEvent::Complete)` or
    /// an `Err`; after it, `None` forever.
    pub fn poll_event(&mut self) -> Option<Result<StreamEvent<T>, Error>> {
        self.core.events.pop_front()
    }

    /// When to call [`handle_timeout`](Self::handle_timeout): the idle deadline of the open
    /// stream or resume (or of a resume awaiting its headers); `None` otherwise.
    #[must_use]
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.core.deadline
    }

    /// Whether the outcome is decided: no further action will be asked for, and the final event
    /// is queued (it may not have been polled yet).
    #[must_use]
    pub fn is_finished(&self) -> bool {
        self.core.phase == Phase::Finished
    }

    /// What happened so far.
    #[must_use]
    pub fn summary(&self) -> &StreamSummary {
        &self.core.summary
    }
}

/// A decoded event: either the final payload (its JSON text) or an event for the consumer.
enum Decoded<T> {
    Final(Box<RawValue>),
    Event(StreamEvent<T>),
}

impl<T: DeserializeOwned> Core<T> {
    fn deadline_from(&self, now: Instant) -> Option<Instant> {
        // An absurd timeout that overflows `Instant` means "never".
        now.checked_add(self.idle_timeout)
    }

    fn on_item(&mut self, item: SseItem<'_>) {
        // Items after the final event (or after a failure) in the same chunk are ignored.
        let Phase::Open { leg, .. } = self.phase else {
            return;
        };
        match item {
            SseItem::Comment(_) => {
                self.summary.heartbeats += 1;
                self.events.push_back(Ok(StreamEvent::Heartbeat));
            }
            // The service sends no `retry:`; reconnection timing is the session's decision.
            SseItem::Retry(_) => {}
            SseItem::Error(e) => self.finish(Err(StreamError::Sse(e).into())),
            SseItem::Event(event) => self.on_event(leg, &event),
        }
    }

    fn on_event(&mut self, leg: Leg, event: &SseEvent<'_>) {
        if self.to_skip > 0 && !is_final(event) {
            // Already delivered before the drop. Not decoded: the server buffers trimmed copies
            // (a buffered `resume` event's data is `{}`), which need not parse as the original.
            self.to_skip -= 1;
            self.summary.skipped += 1;
            return;
        }
        match decode(event) {
            Err(message) => self.finish(Err(StreamError::MalformedEvent {
                event: event.event.to_owned(),
                message,
            }
            .into())),
            Ok(Decoded::Final(payload)) => self.on_final(event.event, &payload, leg),
            Ok(Decoded::Event(ev)) => {
                self.summary.events += 1;
                if leg == Leg::Stream {
                    if let StreamEvent::ResumeToken(token) = &ev {
                        // The server replays what follows this token's seq: count from here.
                        self.token = Some(token.clone());
                        self.after_token = 0;
                    } else {
                        self.after_token += 1;
                    }
                }
                self.events.push_back(Ok(ev));
            }
        }
    }

    fn on_final(&mut self, event_name: &str, payload: &RawValue, leg: Leg) {
        let Phase::Open {
            status, request_id, ..
        } = &self.phase
        else {
            return;
        };
        // Parsed once into a `Value` (one event per stream): the envelope check reads it, then
        // it becomes the `T`. The text is valid JSON; only a payload nested too deep fails here.
        let parsed = serde_json::from_str::<Value>(payload.get()).and_then(|value| {
            if is_error_envelope(&value) {
                Ok(Err(value))
            } else {
                serde_json::from_value::<T>(value).map(Ok)
            }
        });
        match parsed {
            Ok(Ok(output)) => self.complete(
                output,
                match leg {
                    Leg::Stream => CompletedVia::Stream,
                    Leg::Resume => CompletedVia::Resume,
                },
            ),
            Ok(Err(envelope)) => {
                let error =
                    ApiError::from_envelope(*status, &envelope, request_id.clone(), None, false);
                self.finish(Err(error.into()));
            }
            Err(e) => self.finish(Err(StreamError::MalformedEvent {
                event: event_name.to_owned(),
                message: format!("final payload is not a {}: {e}", short_type_name::<T>()),
            }
            .into())),
        }
    }

    /// An error answer to the current streaming request.
    fn error_answer(&mut self, now: Instant, leg: Leg, error: ApiError) {
        match leg {
            // The driver already applied its retry policy to the first request: the answer
            // stands (401, 403, 429 after retries ...), and a fallback would get the same one.
            Leg::Stream => self.finish(Err(error.into())),
            Leg::Resume => {
                let cause = FailureCause::Status {
                    status: error.status,
                    message: error.message.clone(),
                };
                self.leg_failed(now, leg, cause, error.into());
            }
        }
    }

    /// A streaming request ended without its final event: resume once, else fall back once,
    /// else fail with `error`.
    fn leg_failed(&mut self, now: Instant, leg: Leg, cause: FailureCause, error: Error) {
        self.deadline = None;
        let failure = LegFailure { leg, cause };
        if self.summary.first_failure.is_none() {
            self.summary.first_failure = Some(failure);
        } else if self.summary.resume_failure.is_none() {
            self.summary.resume_failure = Some(failure);
        }
        if leg == Leg::Stream && self.token.is_some() && self.summary.resumes == 0 {
            self.summary.resumes = 1;
            self.phase = Phase::Requesting {
                leg: Leg::Resume,
                taken: false,
            };
            // The resume is started at once; its idle timer covers the wait for its headers.
            self.deadline = self.deadline_from(now);
        } else if self.can_fall_back && !self.summary.fallback {
            self.summary.fallback = true;
            self.phase = Phase::Fallback { taken: false };
        } else {
            self.finish(Err(error));
        }
    }

    fn complete(&mut self, output: T, via: CompletedVia) {
        self.summary.events += 1;
        let completion = Completion {
            output,
            via,
            summary: self.summary.clone(),
        };
        self.finish(Ok(StreamEvent::Complete(Box::new(completion))));
    }

    /// Queues the final event; nothing is queued or asked for after it.
    fn finish(&mut self, last: Result<StreamEvent<T>, Error>) {
        if self.phase == Phase::Finished {
            return;
        }
        self.phase = Phase::Finished;
        self.deadline = None;
        self.events.push_back(last);
    }
}

/// The last segment of a type's path (`DraftGraphOutput`, `Value`), for error messages.
fn short_type_name<T>() -> &'static str {
    let name = std::any::type_name::<T>();
    let base = name.split('<').next().unwrap_or(name);
    base.rsplit("::").next().unwrap_or(base)
}

/// Whether `event` is a final event, judged without failing on data that does not parse.
fn is_final(event: &SseEvent<'_>) -> bool {
    match event.event {
        "complete" => true,
        "stage" => StageEvent::from_stream_data(event.data).is_ok_and(|d| d.is_complete()),
        _ => false,
    }
}

/// Decodes an event's data; `Err` is the message of a malformed event.
fn decode<T>(event: &SseEvent<'_>) -> Result<Decoded<T>, String> {
    match event.event {
        "stage" => {
            let data = StageEvent::from_stream_data(event.data)
                .map_err(|e| format!("invalid stage data: {e}"))?;
            if data.is_complete() {
                return data
                    .into_raw_payload()
                    .map(Decoded::Final)
                    .ok_or_else(|| "COMPLETE stage without a payload".to_owned());
            }
            Ok(Decoded::Event(StreamEvent::Stage(data)))
        }
        "complete" => serde_json::from_str::<Box<RawValue>>(event.data)
            .map(Decoded::Final)
            .map_err(|e| format!("invalid complete data: {e}")),
        "resume" => serde_json::from_str::<ResumeEvent>(event.data)
            .map(|d| Decoded::Event(StreamEvent::ResumeToken(d.token)))
            .map_err(|e| format!("invalid resume data: {e}")),
        other => Ok(Decoded::Event(StreamEvent::Other {
            event: other.to_owned(),
            data: event.data.to_owned(),
        })),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::Stage;

    fn ev<'a>(event: &'a str, data: &'a str) -> SseEvent<'a> {
        SseEvent {
            event,
            data,
            id: None,
        }
    }

    #[test]
    fn final_events_are_recognised_without_failing() {
        assert!(is_final(&ev("complete", "not even json")));
        assert!(is_final(&ev(
            "stage",
            r#"{"stage":"COMPLETE","payload":{}}"#
        )));
        assert!(!is_final(&ev("stage", r#"{"stage":"DRAFTING"}"#)));
        assert!(!is_final(&ev("stage", "{}")));
        assert!(!is_final(&ev("resume", "{}")));
        assert!(!is_final(&ev("message", "COMPLETE")));
    }

    #[test]
    fn decoding_stage_resume_and_other_events() {
        let Ok(Decoded::Final(p)) =
            decode::<DraftGraphOutput>(&ev("stage", r#"{"stage":"COMPLETE","payload":{"a":1}}"#))
        else {
            panic!("COMPLETE is final");
        };
        assert_eq!(p.get(), r#"{"a":1}"#);
        let Ok(Decoded::Event(e)) =
            decode::<DraftGraphOutput>(&ev("stage", r#"{"stage":"DRAFTING","payload":null}"#))
        else {
            panic!("DRAFTING is an event");
        };
        assert_eq!(
            e,
            StreamEvent::Stage(StageEvent::new(Stage::Drafting, None))
        );
        // The payload is handed on as the text that was sent, not re-serialised.
        let Ok(Decoded::Event(StreamEvent::Stage(preview))) = decode::<DraftGraphOutput>(&ev(
            "stage",
            r#"{"stage":"DRAFTING","payload":{"b": [1, 2.50]}}"#,
        )) else {
            panic!("a preview is a stage event");
        };
        assert_eq!(
            preview.raw_payload().map(RawValue::get),
            Some(r#"{"b": [1, 2.50]}"#)
        );
        assert_eq!(
            preview.payload().unwrap(),
            Some(serde_json::json!({"b": [1, 2.5]}))
        );
        let Ok(Decoded::Event(e)) =
            decode::<DraftGraphOutput>(&ev("resume", r#"{"token":"abc","extra":true}"#))
        else {
            panic!("resume is an event");
        };
        assert_eq!(e, StreamEvent::ResumeToken("abc".into()));
        assert!(decode::<DraftGraphOutput>(&ev("resume", "{}")).is_err());
        assert!(decode::<DraftGraphOutput>(&ev("stage", r#"{"stage":"COMPLETE"}"#)).is_err());
        // Unknown fields are skipped on the stream (no allocation per event), not kept.
        let Ok(Decoded::Event(StreamEvent::Stage(with_seq))) = decode::<DraftGraphOutput>(&ev(
            "stage",
            r#"{"seq":3,"stage":"DRAFTING","payload":{"a":1},"note":{"x":[1]}}"#,
        )) else {
            panic!("a stage event with unknown fields");
        };
        assert!(with_seq.extra.is_empty());
        assert_eq!(
            with_seq.raw_payload().map(RawValue::get),
            Some(r#"{"a":1}"#)
        );
        // Trailing characters after the object fail, as with `serde_json::from_str`.
        assert!(decode::<DraftGraphOutput>(&ev("stage", r#"{"stage":"DRAFTING"} x"#)).is_err());
        // A payload that is not JSON fails the event, as it did when it was parsed whole.
        assert!(
            decode::<DraftGraphOutput>(&ev("stage", r#"{"stage":"DRAFTING","payload":{"a":}}"#))
                .is_err()
        );
        let Ok(Decoded::Event(e)) = decode::<DraftGraphOutput>(&ev("x-custom", "raw")) else {
            panic!("unknown names are events");
        };
        assert_eq!(
            e,
            StreamEvent::Other {
                event: "x-custom".into(),
                data: "raw".into()
            }
        );
    }

    #[test]
    fn config_defaults_and_builders() {
        let c = SessionConfig::default();
        assert_eq!(
            (c.idle_timeout, c.resume_live),
            (Duration::from_secs(30), true)
        );
        let c = c
            .with_idle_timeout(Duration::from_secs(5))
            .with_resume_live(false);
        assert_eq!(
            (c.idle_timeout, c.resume_live),
            (Duration::from_secs(5), false)
        );
    }

    #[test]
    #[allow(clippy::disallowed_methods, reason = "a test's base instant")]
    fn an_unrepresentable_deadline_means_no_timer() {
        let now = Instant::now();
        let config = SessionConfig::new().with_idle_timeout(Duration::MAX);
        let mut s = StreamSession::<DraftGraphOutput>::new(
            Start::Resume { token: "t".into() },
            config,
            now,
        );
        assert_eq!(s.poll_timeout(), None);
        assert!(matches!(s.poll_action(), Some(Action::Resume { .. })));
        s.handle_response(now, 200, true, None);
        s.handle_timeout(now + Duration::from_secs(1_000_000));
        assert!(!s.is_finished());
    }

    #[test]
    fn failures_display_their_cause() {
        let f = LegFailure {
            leg: Leg::Resume,
            cause: FailureCause::Status {
                status: 426,
                message: "gone".into(),
            },
        };
        assert_eq!(f.to_string(), "resume request status 426: gone");
        let f = LegFailure {
            leg: Leg::Stream,
            cause: FailureCause::Truncated { events: 3 },
        };
        assert_eq!(
            f.to_string(),
            "stream request ended before its final event (after 3 events)"
        );
    }
}
