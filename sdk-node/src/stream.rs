//! `EventStream`: one of the core's event streams ([`olumi::EventStream`]: the draft stream, the
//! CEE draft stream, or a generic `requestStream`), read ahead and handed over in batches.
//!
//! A task reads the core stream while JS handles earlier events: after each event it waits for,
//! it also takes the events that are ready without waiting (those decoded from the same network
//! read), writes them as text right away and queues the text as one batch (bounded queue). Each
//! `takeBatch()` (synchronous, when something is queued) or `nextBatch()` (a Promise) joins what
//! is queued into one string (at least one event), so a fast stream costs one string per network
//! read, and a Promise only when JS has caught up, instead of N-API work per event. The events
//! are exactly the core stream's, in order, an error after the events before it.
//!
//! The text is one line per event, which `index.js` unpacks without deciding anything:
//! - `S{stage}\t{payload}`: a stage event, its payload's JSON text as the service sent it (the
//!   core checked it once) or empty for `null` (only when the stage name holds no tab or line
//!   feed). JS makes a `StageEvent` that parses the payload only when `payload` is read;
//! - `T{json}`: a stage event whose name holds a tab or line feed: `[stage, payload text or null]`
//!   (the payload's text as a JSON string);
//! - `J{json}`: any other event, as the JSON of the object JS sees.
//!
//! A line feed always ends an event: the JSON written here is compact, and a payload's own line
//! feeds (whitespace between its tokens, never inside a string, where JSON escapes them) become
//! spaces. The short form saves the `JSON.parse` of each stage event's envelope, and the payload
//! is not parsed twice (once in the core, once in JS) nor serialised again: it is copied.

use std::sync::{Arc, Mutex, PoisonError};

use napi_derive::napi;
use olumi::Error;
use olumi::stream_session::StreamSummary;
use serde::Serialize;
use serde::de::DeserializeOwned;
use tokio::sync::mpsc;
use tokio_util::sync::{CancellationToken, DropGuard};

use crate::errors::to_napi;
use crate::types::{JsEvent, Summary};

/// Most events the reader writes into one batch, and `nextBatch()` joins (beyond one batch).
const MAX_BATCH: usize = 1024;
/// Batches read ahead of the consumer (back-pressure: the core stream waits beyond this).
const READ_AHEAD: usize = 8;

/// Consecutive events of the core stream, then the error that followed them, if any.
struct Batch {
    /// The events' lines (see the module's documentation).
    text: Vec<u8>,
    events: usize,
    error: Option<Error>,
}

struct Queue {
    batches: mpsc::Receiver<Batch>,
    /// An error met after other events of a batch: the next call's answer.
    stashed: Option<Error>,
}

impl Queue {
    /// `batch` joined with the batches queued behind it, as one string of at least one event; an
    /// error after those events is stashed for the next call (the order stays).
    fn hand_over(&mut self, mut batch: Batch) -> Result<String, Error> {
        while batch.error.is_none() && batch.events < MAX_BATCH {
            let Ok(more) = self.batches.try_recv() else {
                break;
            };
            batch.text.extend_from_slice(&more.text);
            batch.events += more.events;
            batch.error = more.error;
        }
        if batch.events == 0 {
            // Only an error: the stream's events before it were handed over already.
            return Err(batch.error.unwrap_or(Error::Cancelled));
        }
        self.stashed = batch.error;
        String::from_utf8(batch.text)
            .map_err(|e| Error::config(format!("cannot serialise the result: {e}")))
    }
}

/// An event stream (`index.js` iterates it with `for await`); the final event's `result` is the
/// route's response (the drafted graph for `draftGraphStream`).
#[napi]
pub struct EventStream {
    queue: tokio::sync::Mutex<Queue>,
    summary: Arc<Mutex<StreamSummary>>,
    /// The caller's token (from an `AbortSignal`): cancels the reader and the pending batch.
    abort: CancellationToken,
    /// Stops the reader, which drops the core stream and so closes the connection; also on drop.
    close: DropGuard,
}

impl std::fmt::Debug for EventStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventStream")
            .field("summary", &self.summary)
            .finish_non_exhaustive()
    }
}

impl EventStream {
    pub(crate) fn new<T>(stream: olumi::EventStream<T>, abort: CancellationToken) -> Self
    where
        T: Serialize + DeserializeOwned + Send + 'static,
    {
        let summary = Arc::new(Mutex::new(stream.summary().clone()));
        let (tx, batches) = mpsc::channel(READ_AHEAD);
        let close = abort.child_token();
        tokio::spawn(read(stream, tx, Arc::clone(&summary), close.clone()));
        Self {
            queue: tokio::sync::Mutex::new(Queue {
                batches,
                stashed: None,
            }),
            summary,
            abort,
            close: close.drop_guard(),
        }
    }
}

/// Moves the core stream's events into the queue as text, in batches, until the last one or
/// until stopped (which drops the core stream, closing its connection).
async fn read<T: Serialize + DeserializeOwned + Send + 'static>(
    mut stream: olumi::EventStream<T>,
    tx: mpsc::Sender<Batch>,
    summary: Arc<Mutex<StreamSummary>>,
    stop: CancellationToken,
) {
    let read_all = async {
        // Each wait yields one event; the events decoded from the same network read follow
        // without waiting (`next_ready`), so a batch holds what one read delivered.
        while let Some(first) = stream.next().await {
            let mut batch = Batch {
                text: Vec::with_capacity(4096),
                events: 0,
                error: None,
            };
            let mut item = Some(first);
            while let Some(next) = item.take() {
                match next.and_then(|event| write_event(&mut batch.text, &JsEvent::from(&event))) {
                    Ok(()) => batch.events += 1,
                    Err(error) => {
                        batch.error = Some(error);
                        break;
                    }
                }
                if batch.events < MAX_BATCH {
                    item = stream.next_ready();
                }
            }
            stream
                .summary()
                .clone_into(&mut summary.lock().unwrap_or_else(PoisonError::into_inner));
            if tx.send(batch).await.is_err() {
                return;
            }
            // The woken `nextBatch()` waits in this worker's LIFO slot, which no other worker
            // may steal: without a yield it would wait until the reader next waits for the
            // network, after decoding a whole read (hundreds of microseconds), and JS would idle.
            tokio::task::yield_now().await;
        }
        // The summary after the end (a stream that ends with `None` may have changed it).
        stream
            .summary()
            .clone_into(&mut summary.lock().unwrap_or_else(PoisonError::into_inner));
    };
    let pump = async {
        // A panic while reading ends the stream with `ERR_INTERNAL`, not with a silent end.
        if let Err(panic) = olumi::error::catch_unwind(read_all).await {
            let ended = Batch {
                text: Vec::new(),
                events: 0,
                error: Some(panic),
            };
            // The consumer may be gone already: then nobody is waiting for the error.
            let _ = tx.send(ended).await;
        }
    };
    tokio::select! {
        biased;
        () = stop.cancelled() => {}
        () = pump => {}
    }
}

/// Appends one event's line to `text` (nothing on error).
fn write_event<T: Serialize>(text: &mut Vec<u8>, event: &JsEvent<'_, T>) -> Result<(), Error> {
    let mark = text.len();
    let written = match event {
        JsEvent::Stage { stage, payload } if !stage.contains(['\t', '\n']) => {
            text.push(b'S');
            text.extend_from_slice(stage.as_bytes());
            text.push(b'\t');
            if let Some(payload) = payload {
                text.extend_from_slice(payload.get().as_bytes());
            }
            Ok(())
        }
        JsEvent::Stage { stage, payload } => {
            text.push(b'T');
            // The payload's text as a JSON string, so JS gets the same text as on the short form.
            let payload = payload.map(serde_json::value::RawValue::get);
            serde_json::to_writer(&mut *text, &(stage, payload))
        }
        _ => {
            text.push(b'J');
            serde_json::to_writer(&mut *text, event)
        }
    };
    match written {
        Ok(()) => {
            let line = &mut text[mark..];
            if line.contains(&b'\n') {
                // Only a payload's whitespace can hold one (see the module's documentation).
                line.iter_mut()
                    .filter(|b| **b == b'\n')
                    .for_each(|b| *b = b' ');
            }
            text.push(b'\n');
            Ok(())
        }
        Err(e) => {
            text.truncate(mark);
            Err(Error::config(format!("cannot serialise the result: {e}")))
        }
    }
}

#[napi]
impl EventStream {
    /// The next events (at least one), one line each (see `stream.rs`), or `null` after the last
    /// one (or after `close()`). Rejects with the stream's error, or `ERR_CANCELLED` after an abort.
    #[napi(catch_unwind)]
    pub async fn next_batch(&self) -> napi::Result<Option<String>> {
        let mut guard = self.queue.lock().await;
        let queue = &mut *guard;
        if let Some(error) = queue.stashed.take() {
            return Err(to_napi(error));
        }
        let received = tokio::select! {
            biased;
            () = self.abort.cancelled() => return Err(to_napi(Error::Cancelled)),
            received = queue.batches.recv() => received,
        };
        match received {
            Some(batch) => queue.hand_over(batch).map(Some).map_err(to_napi),
            None => Ok(None),
        }
    }

    /// What `nextBatch()` would resolve to when that is ready now, without a Promise (the common
    /// case when the reader is ahead of JS); `null` when it is not (then call `nextBatch()`).
    #[napi(catch_unwind)]
    pub fn take_batch(&self) -> napi::Result<Option<String>> {
        if self.abort.is_cancelled() {
            return Err(to_napi(Error::Cancelled));
        }
        // Busy only while a `nextBatch()` waits: then nothing is ready anyway.
        let Ok(mut guard) = self.queue.try_lock() else {
            return Ok(None);
        };
        let queue = &mut *guard;
        if let Some(error) = queue.stashed.take() {
            return Err(to_napi(error));
        }
        match queue.batches.try_recv() {
            Ok(batch) => queue.hand_over(batch).map(Some).map_err(to_napi),
            Err(_) => Ok(None),
        }
    }

    /// What happened so far: events, heartbeats, resumes, fallback (final after the last event).
    /// Events read ahead but not yet handed over are counted.
    #[napi(getter, catch_unwind)]
    pub fn summary(&self) -> Summary {
        Summary::from(&*self.summary.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// Stops reading and closes the connection now; `nextBatch()` then returns `null`.
    #[napi(catch_unwind)]
    pub fn close(&self) {
        self.close.token().cancel();
    }
}
