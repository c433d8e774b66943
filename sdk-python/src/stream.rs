//! Event streams for Python: `EventStream` (`for event in ...`) and `AsyncEventStream`
//! (`async for event in ...`), both over one [`StreamCore`] that owns one of the core's event
//! streams (the draft stream, the CEE draft stream, or a generic `request_stream`). Every
//! resilience decision stays in the core; this file only moves events across and closes the
//! connection when Python is done with it.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use olumi::models::{CeeDraftGraphResponse, DraftGraphOutput, Stage};
use olumi::stream_session::Completion;
use olumi::{
    CeeDraftGraphStream, CompletedVia, DraftGraphStream, Error, JsonEventStream, StreamEvent,
    StreamSummary as CoreSummary,
};
use pyo3::exceptions::PyStopAsyncIteration;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyString;
use serde_json::Value;
use serde_json::value::RawValue;
use tokio_util::sync::CancellationToken;

use crate::convert::{Model, json_to_py};
use crate::errors::to_py;
use crate::runtime::{PerProcess, awaitable, awaitable_now, block_on};
use crate::value_class::value_class;

/// The final payload of any of the core's streams.
enum Output {
    Draft(Box<DraftGraphOutput>),
    Cee(Box<CeeDraftGraphResponse>),
    Json(Value),
}

impl Output {
    fn draft(output: DraftGraphOutput) -> Self {
        Self::Draft(Box::new(output))
    }

    fn cee(output: CeeDraftGraphResponse) -> Self {
        Self::Cee(Box::new(output))
    }

    /// The payload as Python sees it: its model class, or plain values for a generic stream.
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        match self {
            Self::Draft(output) => Model::DraftGraphOutput.wrap(py, output),
            Self::Cee(output) => Model::CeeDraftGraphResponse.wrap(py, output),
            Self::Json(value) => json_to_py(py, value),
        }
    }
}

/// One of the core's event streams (they differ only in their final payload).
pub(crate) enum AnyStream {
    Draft(DraftGraphStream),
    Cee(CeeDraftGraphStream),
    Json(JsonEventStream),
}

impl From<DraftGraphStream> for AnyStream {
    fn from(stream: DraftGraphStream) -> Self {
        Self::Draft(stream)
    }
}

impl From<CeeDraftGraphStream> for AnyStream {
    fn from(stream: CeeDraftGraphStream) -> Self {
        Self::Cee(stream)
    }
}

impl From<JsonEventStream> for AnyStream {
    fn from(stream: JsonEventStream) -> Self {
        Self::Json(stream)
    }
}

impl AnyStream {
    async fn next(&mut self) -> Option<Result<StreamEvent<Output>, Error>> {
        match self {
            Self::Draft(s) => wrap_event(s.next().await, Output::draft),
            Self::Cee(s) => wrap_event(s.next().await, Output::cee),
            Self::Json(s) => wrap_event(s.next().await, Output::Json),
        }
    }

    /// The next event if it is ready without waiting (see `olumi::EventStream::next_ready`).
    fn next_ready(&mut self) -> Option<Result<StreamEvent<Output>, Error>> {
        match self {
            Self::Draft(s) => wrap_event(s.next_ready(), Output::draft),
            Self::Cee(s) => wrap_event(s.next_ready(), Output::cee),
            Self::Json(s) => wrap_event(s.next_ready(), Output::Json),
        }
    }

    fn summary(&self) -> &CoreSummary {
        match self {
            Self::Draft(s) => s.summary(),
            Self::Cee(s) => s.summary(),
            Self::Json(s) => s.summary(),
        }
    }
}

/// What a read of the core stream gave, with the final payload wrapped by `wrap`.
fn wrap_event<T>(
    event: Option<Result<StreamEvent<T>, Error>>,
    wrap: fn(T) -> Output,
) -> Option<Result<StreamEvent<Output>, Error>> {
    event.map(|event| event.map(|event| with_output(event, wrap)))
}

/// One event with its final payload (if it is the final event) wrapped by `wrap`.
fn with_output<T>(event: StreamEvent<T>, wrap: fn(T) -> Output) -> StreamEvent<Output> {
    match event {
        StreamEvent::Stage(event) => StreamEvent::Stage(event),
        StreamEvent::ResumeToken(token) => StreamEvent::ResumeToken(token),
        StreamEvent::Heartbeat => StreamEvent::Heartbeat,
        StreamEvent::Other { event, data } => StreamEvent::Other { event, data },
        StreamEvent::Complete(done) => StreamEvent::Complete(Box::new(Completion {
            output: wrap(done.output),
            via: done.via,
            summary: done.summary,
        })),
    }
}

type OpenFuture = Pin<Box<dyn Future<Output = Result<AnyStream, Error>> + Send>>;

enum Slot {
    /// The request that opens the stream, not finished yet.
    Pending(OpenFuture),
    Open(Box<AnyStream>),
    Closed,
}

/// Closes the stream if the future holding it is dropped before it finishes (a cancelled
/// asyncio task, a Ctrl-C), so an abandoned read never leaves a connection behind.
struct CloseOnDrop<'a> {
    slot: &'a mut Slot,
    finished: bool,
}

impl Drop for CloseOnDrop<'_> {
    fn drop(&mut self) {
        if !self.finished {
            *self.slot = Slot::Closed;
        }
    }
}

/// The state shared by a stream object and the futures reading it.
pub(crate) struct StreamCore {
    /// The connection belongs to the runtime of the process that opened it: in a forked child
    /// reads fail at once (see [`StreamCore::next_or_open`]) and nothing of it is dropped there.
    slot: PerProcess<tokio::sync::Mutex<Slot>>,
    closed: CancellationToken,
    /// Set with `closed`, read once per event without the token's lock.
    is_closed: AtomicBool,
    summary: Mutex<(CoreSummary, Option<CompletedVia>)>,
}

impl StreamCore {
    pub(crate) fn new<S: Into<AnyStream>>(
        open: impl Future<Output = Result<S, Error>> + Send + 'static,
    ) -> Arc<Self> {
        let open = async move { open.await.map(Into::into) };
        Arc::new(Self {
            slot: PerProcess::new(tokio::sync::Mutex::new(Slot::Pending(Box::pin(open)))),
            closed: CancellationToken::new(),
            is_closed: AtomicBool::new(false),
            summary: Mutex::new((CoreSummary::default(), None)),
        })
    }

    /// Finishes the opening request (a no-op once open).
    async fn open(&self) -> Result<(), Error> {
        match self.next_or_open(false).await {
            Some(Err(error)) => Err(error),
            _ => Ok(()),
        }
    }

    /// The next event; `None` after the last one or once closed.
    async fn next(&self) -> Option<Result<StreamEvent<Output>, Error>> {
        self.next_or_open(true).await
    }

    async fn next_or_open(&self, read: bool) -> Option<Result<StreamEvent<Output>, Error>> {
        if !self.slot.is_current() {
            // Its connection is driven by the parent's runtime, whose threads are gone here: a
            // read would wait for the idle timeout, and the socket is the parent's anyway.
            return Some(Err(Error::config(
                "this stream was opened before os.fork(), in the parent process: \
                 open a new stream in the child",
            )));
        }
        tokio::select! {
            biased;
            () = self.closed.cancelled() => None,
            event = self.advance(read) => event,
        }
    }

    async fn advance(&self, read: bool) -> Option<Result<StreamEvent<Output>, Error>> {
        let mut slot = self.slot.get().lock().await;
        let guard = CloseOnDrop {
            slot: &mut slot,
            finished: false,
        };
        if let Slot::Pending(open) = guard.slot {
            match open.await {
                Ok(stream) => *guard.slot = Slot::Open(Box::new(stream)),
                Err(error) => return Some(Err(error)),
            }
        }
        if let Slot::Open(stream) = &*guard.slot {
            // Counts the events `next_ready` took since the last copy, so that the copy is
            // current while this read holds the stream, and after it if the read is abandoned
            // (which closes the stream).
            self.note_summary(stream, None);
        }
        let event = match (&mut *guard.slot, read) {
            (Slot::Open(stream), true) => stream.next().await,
            _ => None,
        };
        if let Slot::Open(stream) = &*guard.slot {
            self.note_summary(stream, event.as_ref());
        }
        let mut guard = guard;
        guard.finished = true;
        event
    }

    /// The next event when it is ready without waiting (decoded from bytes already read), taken
    /// without entering the runtime; `None` when the caller must wait for it with [`next`]
    /// (which also says when the stream has ended).
    ///
    /// [`next`]: StreamCore::next
    fn next_ready(&self) -> Option<Result<StreamEvent<Output>, Error>> {
        if !self.slot.is_current() || self.is_closed.load(Ordering::Acquire) {
            return None;
        }
        let mut slot = self.slot.get().try_lock().ok()?;
        let Slot::Open(stream) = &mut *slot else {
            return None;
        };
        let event = stream.next_ready()?;
        // A stage event changes only the counts, which the `summary` getter reads from the
        // stream itself; the copy is kept for when the stream is busy or gone.
        if !matches!(event, Ok(StreamEvent::Stage(_))) {
            self.note_summary(stream, Some(&event));
        }
        Some(event)
    }

    /// Copies the stream's summary (and how it completed, after `event`) for the `summary`
    /// getter, which reads it while a read holds the stream and once the stream is closed.
    fn note_summary(&self, stream: &AnyStream, event: Option<&Result<StreamEvent<Output>, Error>>) {
        let via = match event {
            Some(Ok(StreamEvent::Complete(done))) => Some(done.via),
            _ => None,
        };
        let mut summary = self.summary.lock().unwrap_or_else(PoisonError::into_inner);
        stream.summary().clone_into(&mut summary.0);
        summary.1 = via.or(summary.1);
    }

    /// Closes now from any thread: a pending read ends, later reads end at once.
    fn close_now(&self) {
        self.is_closed.store(true, Ordering::Release);
        self.closed.cancel();
        if !self.slot.is_current() {
            return; // the parent's connection: left alone in a forked child
        }
        if let Ok(mut slot) = self.slot.get().try_lock() {
            if let Slot::Open(stream) = &*slot {
                self.note_summary(stream, None);
            }
            *slot = Slot::Closed;
        }
    }

    /// Closes and waits until the connection is released.
    async fn close(&self) {
        self.is_closed.store(true, Ordering::Release);
        self.closed.cancel();
        if self.slot.is_current() {
            let mut slot = self.slot.get().lock().await;
            if let Slot::Open(stream) = &*slot {
                self.note_summary(stream, None);
            }
            *slot = Slot::Closed;
        }
    }

    /// The stream's own summary when no read holds it, else the copy (current then: see
    /// `advance`).
    fn summary(&self) -> StreamSummary {
        let live = self
            .slot
            .is_current()
            .then(|| self.slot.get().try_lock().ok())
            .flatten();
        let (copy, via) = &*self.summary.lock().unwrap_or_else(PoisonError::into_inner);
        match live.as_deref() {
            Some(Slot::Open(stream)) => StreamSummary::new(stream.summary(), *via),
            _ => StreamSummary::new(copy, *via),
        }
    }
}

/// A stream event as its Python class.
fn event_to_py(py: Python<'_>, event: StreamEvent<Output>) -> PyResult<Py<PyAny>> {
    Ok(match event {
        StreamEvent::Stage(event) => {
            let stage = event.stage.clone();
            Py::new(
                py,
                StageEvent {
                    stage,
                    raw_payload: event.into_raw_payload(),
                    payload: PyOnceLock::new(),
                },
            )?
            .into_any()
        }
        StreamEvent::ResumeToken(token) => Py::new(py, ResumeTokenEvent { token })?.into_any(),
        StreamEvent::Heartbeat => Py::new(py, HeartbeatEvent)?.into_any(),
        StreamEvent::Other { event, data } => Py::new(py, OtherEvent { event, data })?.into_any(),
        StreamEvent::Complete(done) => {
            let Completion {
                output,
                via,
                summary,
            } = *done;
            let complete = CompleteEvent {
                output: output.to_py(py)?.unbind(),
                via: via.as_str(),
                summary: Py::new(py, StreamSummary::new(&summary, Some(via)))?,
            };
            Py::new(py, complete)?.into_any()
        }
    })
}

fn deliver(
    py: Python<'_>,
    event: Option<Result<StreamEvent<Output>, Error>>,
) -> PyResult<Option<Py<PyAny>>> {
    event
        .map(|e| event_to_py(py, e.map_err(to_py)?))
        .transpose()
}

/// An event stream read with `for event in stream`. Closing it (`close()`, `with`, or
/// dropping the last reference) closes the connection.
#[pyclass(frozen, module = "olumi._native")]
pub(crate) struct EventStream {
    core: Arc<StreamCore>,
}

impl EventStream {
    /// Opens the stream now, so that an authentication or rate-limit error is the caller's.
    pub(crate) fn open(py: Python<'_>, core: Arc<StreamCore>) -> PyResult<Self> {
        let opening = Arc::clone(&core);
        block_on(py, async move { opening.open().await })?.map_err(to_py)?;
        Ok(Self { core })
    }
}

#[pymethods]
impl EventStream {
    fn __iter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        // Most events were decoded from an earlier network read: no future, no runtime. A panic
        // there is an `InternalError`, as on the path through the runtime.
        let ready = std::panic::catch_unwind(AssertUnwindSafe(|| self.core.next_ready()))
            .unwrap_or_else(|panic| Some(Err(Error::from_panic(&*panic))));
        if let Some(event) = ready {
            return deliver(py, Some(event));
        }
        let core = Arc::clone(&self.core);
        let event = block_on(py, async move { core.next().await })?;
        deliver(py, event)
    }

    /// How the stream went so far (final after the last event).
    #[getter]
    fn summary(&self) -> StreamSummary {
        self.core.summary()
    }

    /// Closes the connection; iteration ends.
    fn close(&self) {
        self.core.close_now();
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_exc))]
    fn __exit__(&self, _exc: &Bound<'_, pyo3::types::PyTuple>) {
        self.core.close_now();
    }

    fn __repr__(&self) -> String {
        format!("<olumi.EventStream {}>", self.core.summary().__repr__())
    }
}

/// An event stream read with `async for event in stream` (or awaited first: `await
/// client.draft_graph_stream(...)` opens it). The request is made on first use.
#[pyclass(frozen, module = "olumi._native")]
pub(crate) struct AsyncEventStream {
    core: Arc<StreamCore>,
}

impl AsyncEventStream {
    pub(crate) fn new(core: Arc<StreamCore>) -> Self {
        Self { core }
    }
}

#[pymethods]
impl AsyncEventStream {
    fn __aiter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    fn __anext__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let core = Arc::clone(&self.core);
        awaitable_now(py, async move {
            let event = core.next().await;
            Python::attach(|py| {
                deliver(py, event)?.ok_or_else(|| PyStopAsyncIteration::new_err(()))
            })
        })
    }

    fn __await__<'py>(slf: Py<Self>, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let core = Arc::clone(&slf.get().core);
        let opened = awaitable(py, async move {
            core.open().await.map_err(to_py)?;
            Ok(slf)
        })?;
        opened.call_method0("__await__")
    }

    /// How the stream went so far (final after the last event).
    #[getter]
    fn summary(&self) -> StreamSummary {
        self.core.summary()
    }

    /// Closes the connection and waits until it is released.
    fn aclose<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let core = Arc::clone(&self.core);
        awaitable(py, async move {
            core.close().await;
            Ok(())
        })
    }

    /// Closes the connection without waiting.
    fn close(&self) {
        self.core.close_now();
    }

    fn __aenter__<'py>(slf: Py<Self>, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        awaitable(py, async move { Ok(slf) })
    }

    #[pyo3(signature = (*_exc))]
    fn __aexit__<'py>(
        &self,
        py: Python<'py>,
        _exc: &Bound<'py, pyo3::types::PyTuple>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.aclose(py)
    }

    fn __repr__(&self) -> String {
        format!(
            "<olumi.AsyncEventStream {}>",
            self.core.summary().__repr__()
        )
    }
}

/// What happened during a stream: counts, recoveries, and how it completed.
#[pyclass(frozen, eq, module = "olumi._native")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StreamSummary {
    /// `"stream"`, `"resume"` or `"fallback"` once complete, else `None`.
    #[pyo3(get)]
    via: Option<&'static str>,
    #[pyo3(get)]
    events: u64,
    #[pyo3(get)]
    heartbeats: u64,
    #[pyo3(get)]
    skipped: u64,
    #[pyo3(get)]
    resumes: u32,
    #[pyo3(get)]
    fallback: bool,
    #[pyo3(get)]
    first_failure: Option<String>,
    #[pyo3(get)]
    resume_failure: Option<String>,
}

impl StreamSummary {
    fn new(summary: &CoreSummary, via: Option<CompletedVia>) -> Self {
        Self {
            via: via.map(CompletedVia::as_str),
            events: summary.events,
            heartbeats: summary.heartbeats,
            skipped: summary.skipped,
            resumes: summary.resumes,
            fallback: summary.fallback,
            first_failure: summary.first_failure.as_ref().map(ToString::to_string),
            resume_failure: summary.resume_failure.as_ref().map(ToString::to_string),
        }
    }
}

#[pymethods]
impl StreamSummary {
    fn __repr__(&self) -> String {
        format!(
            "StreamSummary(via={}, events={}, heartbeats={}, skipped={}, resumes={}, fallback={}, first_failure={}, resume_failure={})",
            py_opt(self.via),
            self.events,
            self.heartbeats,
            self.skipped,
            self.resumes,
            if self.fallback { "True" } else { "False" },
            py_opt(self.first_failure.as_deref()),
            py_opt(self.resume_failure.as_deref()),
        )
    }
}

/// `None` or a quoted string, as Python's `repr` shows them.
fn py_opt(value: Option<&str>) -> String {
    value.map_or_else(|| "None".to_owned(), |v| format!("{v:?}"))
}

/// A stage event before completion (`DRAFTING`; `payload` is a preview graph or `None`). The
/// payload arrives as the JSON text the service sent (checked once by the core) and becomes
/// Python objects on the first read of `payload`, so reading only `stage` parses nothing.
#[pyclass(frozen, module = "olumi._native")]
pub(crate) struct StageEvent {
    stage: Stage,
    raw_payload: Option<Box<RawValue>>,
    /// The parsed payload, made on first access.
    payload: PyOnceLock<Py<PyAny>>,
}

#[pymethods]
impl StageEvent {
    #[classattr]
    fn __match_args__() -> (&'static str, &'static str) {
        ("stage", "payload")
    }

    /// The stage's name (`"DRAFTING"`, `"COMPLETE"` or one this SDK does not know).
    #[getter]
    fn stage<'py>(&self, py: Python<'py>) -> Bound<'py, PyString> {
        // The known names are interned: no new string per event.
        match &self.stage {
            Stage::Drafting => intern!(py, "DRAFTING").clone(),
            Stage::Complete => intern!(py, "COMPLETE").clone(),
            Stage::Other(name) => PyString::new(py, name),
        }
    }

    /// The payload as Python values (parsed once, on first access), or `None`.
    #[getter]
    fn payload(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let Some(raw) = &self.raw_payload else {
            return Ok(py.None());
        };
        self.payload
            .get_or_try_init(py, || {
                // Valid JSON already: only a payload nested deeper than 128 levels fails.
                let value: Value = serde_json::from_str(raw.get()).map_err(|e| {
                    to_py(Error::Decode {
                        what: "stage event payload".to_owned(),
                        message: e.to_string(),
                    })
                })?;
                json_to_py(py, &value).map(Bound::unbind)
            })
            .map(|payload| payload.clone_ref(py))
    }

    /// The payload's JSON text as the service sent it, or `None`.
    #[getter]
    fn raw_payload(&self) -> Option<&str> {
        self.raw_payload.as_deref().map(RawValue::get)
    }

    fn __repr__(&self) -> String {
        let preview = if self.raw_payload.is_some() {
            "{...}"
        } else {
            "None"
        };
        format!(
            "StageEvent(stage={:?}, payload={preview})",
            self.stage.as_str()
        )
    }
}

value_class!(
    /// A resume token: keep it to resume this stream with `client.resume(token)`.
    ResumeTokenEvent { token: String },
    |e| format!("ResumeTokenEvent(token=<{} chars>)", e.token.len())
);

value_class!(
    /// An event this SDK does not know, as sent.
    OtherEvent { event: String, data: String },
    |e| format!("OtherEvent(event={:?}, data=<{} chars>)", e.event, e.data.len())
);

/// A heartbeat comment: the connection is alive.
#[pyclass(frozen, eq, module = "olumi._native")]
#[derive(PartialEq, Eq)]
pub(crate) struct HeartbeatEvent;

#[pymethods]
impl HeartbeatEvent {
    fn __repr__(&self) -> &'static str {
        "HeartbeatEvent()"
    }
}

/// The final event: the result (the drafted graph for `draft_graph_stream`), which request
/// delivered it, and the summary.
#[pyclass(frozen, module = "olumi._native")]
pub(crate) struct CompleteEvent {
    #[pyo3(get)]
    output: Py<PyAny>,
    #[pyo3(get)]
    via: &'static str,
    #[pyo3(get)]
    summary: Py<StreamSummary>,
}

#[pymethods]
impl CompleteEvent {
    #[classattr]
    fn __match_args__() -> (&'static str, &'static str, &'static str) {
        ("output", "via", "summary")
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "CompleteEvent(output={}, via={:?}, summary={})",
            self.output.bind(py).repr()?,
            self.via,
            self.summary.get().__repr__()
        ))
    }
}
