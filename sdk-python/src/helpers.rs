//! The core's sans-IO helpers: request signing, response hashes, canonical JSON, and the SSE
//! decoder.

use std::ops::Range;
use std::sync::Arc;

use olumi::signing::{
    BodyHashMode, HEADER_NONCE, HEADER_SIGNATURE, HEADER_TIMESTAMP, SigningError,
};
use olumi::sse::{SseConfig, SseItem};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use crate::convert::with_bytes;
use crate::errors::to_py;
use crate::value_class::value_class;

/// Signs one request; returns the three `X-Olumi-*` headers. `timestamp_ms` defaults to now and
/// `nonce` to a fresh UUID v4.
#[pyfunction]
#[pyo3(signature = (method, target, body, secret, *, timestamp_ms=None, nonce=None, body_hash="unbound"))]
#[allow(
    clippy::too_many_arguments,
    reason = "the Python function's keyword arguments"
)]
pub(crate) fn sign<'py>(
    py: Python<'py>,
    method: &str,
    target: &str,
    body: &Bound<'py, PyAny>,
    secret: &str,
    timestamp_ms: Option<u64>,
    nonce: Option<&str>,
    body_hash: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let mode: BodyHashMode = body_hash.parse().map_err(config)?;
    let headers = with_bytes(body, |body| {
        olumi::signing::sign_with_secret(secret, mode, method, target, body, timestamp_ms, nonce)
    })?
    .map_err(config)?;
    let dict = PyDict::new(py);
    dict.set_item(intern!(py, HEADER_SIGNATURE), headers.signature)?;
    dict.set_item(intern!(py, HEADER_TIMESTAMP), headers.timestamp)?;
    dict.set_item(intern!(py, HEADER_NONCE), headers.nonce)?;
    Ok(dict)
}

fn config(error: SigningError) -> PyErr {
    to_py(olumi::Error::from(error))
}

/// A fresh random nonce (UUID v4).
#[pyfunction]
pub(crate) fn generate_nonce() -> String {
    olumi::signing::generate_nonce()
}

/// Whether `body` matches an `x-olumi-response-hash` header (12-hex canonical or 64-hex raw
/// form). A malformed header does not match.
#[pyfunction]
pub(crate) fn verify_response_hash(body: &Bound<'_, PyAny>, header: &str) -> PyResult<bool> {
    with_bytes(body, |body| {
        olumi::response_hash::verify_response_hash(body, header).is_ok()
    })
}

/// The body's canonical JSON (keys sorted as the service sorts them, numbers as JavaScript
/// prints them): the bytes the response hash covers. Raises `DecodeError` for invalid JSON.
#[pyfunction]
pub(crate) fn canonical_json(body: &Bound<'_, PyAny>) -> PyResult<String> {
    with_bytes(body, olumi::canonical_json::canonical_json)?
        .map_err(|e| to_py(olumi::Error::from(e)))
}

/// An incremental Server-Sent Events decoder: `feed(bytes)` returns what completed.
#[pyclass(module = "olumi._native")]
pub(crate) struct SseDecoder {
    inner: olumi::sse::SseDecoder,
    items: Vec<Pending>,
    /// The last event name and id, shared by the events that repeat them (most do).
    last_event: Arc<str>,
    last_id: Arc<str>,
}

#[pymethods]
impl SseDecoder {
    #[new]
    #[pyo3(signature = (*, max_line_len=None, max_event_size=None))]
    fn new(max_line_len: Option<usize>, max_event_size: Option<usize>) -> Self {
        let defaults = SseConfig::new();
        let config = SseConfig::new()
            .with_max_line_len(max_line_len.unwrap_or(defaults.max_line_len))
            .with_max_event_size(max_event_size.unwrap_or(defaults.max_event_size));
        Self {
            inner: olumi::sse::SseDecoder::with_config(config),
            items: Vec::new(),
            last_event: Arc::from("message"),
            last_id: Arc::from(""),
        }
    }

    /// Decodes a chunk; returns the events, comments, retries and skipped-event notices it
    /// completed, in order.
    fn feed<'py>(
        &mut self,
        py: Python<'py>,
        data: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyList>> {
        let Self {
            inner,
            items,
            last_event,
            last_id,
        } = self;
        // Every event's data and every comment of this chunk go into one string that the items
        // share, so that an item costs one Python object and no allocation of its own.
        let mut text = String::new();
        let mut take = |part: &str| {
            let start = text.len();
            text.push_str(part);
            start..text.len()
        };
        with_bytes(data, |data| {
            inner.feed_with(data, |item| {
                items.push(match item {
                    SseItem::Event(e) => Pending::Event {
                        event: shared(last_event, e.event),
                        data: take(e.data),
                        id: e.id.map(|id| shared(last_id, id)),
                    },
                    SseItem::Comment(comment) => Pending::Comment(take(comment)),
                    SseItem::Retry(retry_ms) => Pending::Retry(retry_ms),
                    SseItem::Error(e) => Pending::Skipped(e.to_string()),
                });
            });
        })?;
        let text: Arc<str> = Arc::from(text);
        let slice = |range: Range<usize>| Slice {
            text: Arc::clone(&text),
            range,
        };
        let objects = items
            .drain(..)
            .map(|item| -> PyResult<Bound<'py, PyAny>> {
                Ok(match item {
                    Pending::Event { event, data, id } => Bound::new(
                        py,
                        SseEvent {
                            event,
                            data: slice(data),
                            id,
                        },
                    )?
                    .into_any(),
                    Pending::Comment(range) => Bound::new(
                        py,
                        SseComment {
                            comment: slice(range),
                        },
                    )?
                    .into_any(),
                    Pending::Retry(retry_ms) => Bound::new(py, SseRetry { retry_ms })?.into_any(),
                    Pending::Skipped(reason) => Bound::new(py, SseSkipped { reason })?.into_any(),
                })
            })
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, objects)
    }

    /// Ends the stream: reports whether a partial line or an undispatched event was dropped, and
    /// resets the decoder.
    fn finish(&mut self) -> SseFinish {
        let finish = self.inner.finish();
        SseFinish {
            partial_line: finish.partial_line,
            pending_event: finish.pending_event,
            truncated: finish.is_truncated(),
        }
    }

    /// The last event id in force (`None` before any `id` field).
    #[getter]
    fn last_event_id(&self) -> Option<&str> {
        self.inner.last_event_id()
    }

    fn __repr__(&self) -> String {
        format!("SseDecoder(last_event_id={:?})", self.inner.last_event_id())
    }
}

/// `text` as the shared string in `slot`, replacing it when it differs.
fn shared(slot: &mut Arc<str>, text: &str) -> Arc<str> {
    if **slot != *text {
        *slot = Arc::from(text);
    }
    Arc::clone(slot)
}

/// What `SseDecoder.feed` returns, before it becomes Python objects; text as ranges of the
/// chunk's shared string.
enum Pending {
    Event {
        event: Arc<str>,
        data: Range<usize>,
        id: Option<Arc<str>>,
    },
    Comment(Range<usize>),
    Retry(u64),
    Skipped(String),
}

/// A part of a shared string (an item keeps its chunk's text alive, never more than one chunk).
#[derive(Debug, Clone)]
struct Slice {
    text: Arc<str>,
    range: Range<usize>,
}

impl Slice {
    fn new(text: &str) -> Self {
        Self {
            text: Arc::from(text),
            range: 0..text.len(),
        }
    }

    fn as_str(&self) -> &str {
        &self.text[self.range.clone()]
    }
}

impl PartialEq for Slice {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Slice {}

/// A dispatched event: `event` (`"message"` by default), `data`, and the last event `id`.
#[pyclass(frozen, eq, module = "olumi._native")]
#[derive(PartialEq, Eq)]
pub(crate) struct SseEvent {
    event: Arc<str>,
    data: Slice,
    id: Option<Arc<str>>,
}

#[pymethods]
impl SseEvent {
    #[new]
    #[pyo3(signature = (event, data, id=None))]
    fn new(event: &str, data: &str, id: Option<&str>) -> Self {
        Self {
            event: Arc::from(event),
            data: Slice::new(data),
            id: id.map(Arc::from),
        }
    }

    #[getter]
    fn data(&self) -> &str {
        self.data.as_str()
    }

    #[classattr]
    fn __match_args__() -> (&'static str, &'static str, &'static str) {
        ("event", "data", "id")
    }

    #[getter]
    fn event(&self) -> &str {
        &self.event
    }

    #[getter]
    fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }

    fn __repr__(&self) -> String {
        format!(
            "SseEvent(event={:?}, data={:?}, id={:?})",
            self.event,
            self.data.as_str(),
            self.id
        )
    }
}

/// A comment line (`: text`), such as the service's heartbeat.
#[pyclass(frozen, eq, module = "olumi._native")]
#[derive(PartialEq, Eq)]
pub(crate) struct SseComment {
    comment: Slice,
}

#[pymethods]
impl SseComment {
    #[new]
    fn new(comment: &str) -> Self {
        Self {
            comment: Slice::new(comment),
        }
    }

    #[getter]
    fn comment(&self) -> &str {
        self.comment.as_str()
    }

    #[classattr]
    fn __match_args__() -> (&'static str,) {
        ("comment",)
    }

    fn __repr__(&self) -> String {
        format!("SseComment(comment={:?})", self.comment.as_str())
    }
}

/// A valid `retry` field, in milliseconds.
#[pyclass(frozen, eq, get_all, module = "olumi._native")]
#[derive(PartialEq, Eq)]
pub(crate) struct SseRetry {
    retry_ms: u64,
}

#[pymethods]
impl SseRetry {
    #[new]
    fn new(retry_ms: u64) -> Self {
        Self { retry_ms }
    }

    #[classattr]
    fn __match_args__() -> (&'static str,) {
        ("retry_ms",)
    }

    fn __repr__(&self) -> String {
        format!("SseRetry(retry_ms={})", self.retry_ms)
    }
}

value_class!(
    /// An event skipped because it crossed a size limit; the decoder carries on.
    SseSkipped { reason: String },
    |e| format!("SseSkipped(reason={:?})", e.reason)
);

/// What `SseDecoder.finish()` found pending at the end of the stream.
#[pyclass(frozen, eq, get_all, module = "olumi._native")]
#[derive(PartialEq, Eq)]
pub(crate) struct SseFinish {
    partial_line: bool,
    pending_event: bool,
    truncated: bool,
}

#[pymethods]
impl SseFinish {
    fn __bool__(&self) -> bool {
        self.truncated
    }

    fn __repr__(&self) -> String {
        let b = |v: bool| if v { "True" } else { "False" };
        format!(
            "SseFinish(partial_line={}, pending_event={}, truncated={})",
            b(self.partial_line),
            b(self.pending_event),
            b(self.truncated)
        )
    }
}
