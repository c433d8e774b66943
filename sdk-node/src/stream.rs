//! `EventStream`: the core's [`DraftGraphStream`], read ahead and handed over in batches.
//!
//! A task reads the core stream into a bounded queue while JS handles earlier events: after each
//! event it waits for, it also takes the events that are ready without waiting (those decoded
//! from the same network read), and queues them as one batch. Each `nextBatch()` takes what is
//! queued (at least one event, at most `MAX_BATCH`), so a fast stream costs one Promise and a
//! few queue operations per network read instead of per event. The events are exactly the core
//! stream's, in order; `index.js` iterates the batches.

use std::sync::{Arc, Mutex, PoisonError};

use futures_util::{FutureExt, StreamExt};
use napi_derive::napi;
use olumi::stream_session::StreamSummary;
use olumi::{DraftGraphStream, Error, StreamEvent};
use tokio::sync::mpsc;
use tokio_util::sync::{CancellationToken, DropGuard};

use crate::errors::to_napi;
use crate::types::{JsEvent, Summary, json};

/// Most events handed over by one `nextBatch()`, and queued by the reader as one batch.
const MAX_BATCH: usize = 1024;
/// Batches read ahead of the consumer (back-pressure: the core stream waits beyond this).
const READ_AHEAD: usize = 8;

type Item = Result<StreamEvent, Error>;

struct Queue {
    batches: mpsc::Receiver<Vec<Item>>,
    /// Events received but not handed over yet (a batch larger than what one call hands over).
    pending: std::collections::VecDeque<Item>,
    /// An error met after other events of a batch: the next call's answer.
    stashed: Option<Error>,
}

/// A draft-graph event stream (`index.js` iterates it with `for await`).
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
    pub(crate) fn new(stream: DraftGraphStream, abort: CancellationToken) -> Self {
        let summary = Arc::new(Mutex::new(stream.summary().clone()));
        let (tx, batches) = mpsc::channel(READ_AHEAD);
        let close = abort.child_token();
        tokio::spawn(read(stream, tx, Arc::clone(&summary), close.clone()));
        Self {
            queue: tokio::sync::Mutex::new(Queue {
                batches,
                pending: std::collections::VecDeque::new(),
                stashed: None,
            }),
            summary,
            abort,
            close: close.drop_guard(),
        }
    }
}

/// Moves the core stream's events into the queue, in batches, until the last one or until
/// stopped (which drops the core stream, closing its connection).
async fn read(
    stream: DraftGraphStream,
    tx: mpsc::Sender<Vec<Item>>,
    summary: Arc<Mutex<StreamSummary>>,
    stop: CancellationToken,
) {
    // As a `futures` stream, a `next()` that is not ready can be dropped and polled again later
    // without losing anything: the core's pending work stays inside the stream. Fused, because
    // a batch may have seen the end already.
    let events = futures_util::stream::unfold(stream, move |mut stream| {
        let summary = Arc::clone(&summary);
        async move {
            let item = stream.next().await;
            stream
                .summary()
                .clone_into(&mut summary.lock().unwrap_or_else(PoisonError::into_inner));
            item.map(|item| (item, stream))
        }
    });
    let pump = async {
        let mut events = std::pin::pin!(events.fuse());
        while let Some(first) = events.next().await {
            let mut batch = vec![first];
            while batch.len() < MAX_BATCH {
                match events.next().now_or_never() {
                    Some(Some(item)) => batch.push(item),
                    Some(None) | None => break,
                }
            }
            if tx.send(batch).await.is_err() {
                return;
            }
        }
    };
    tokio::select! {
        biased;
        () = stop.cancelled() => {}
        () = pump => {}
    }
}

#[napi]
impl EventStream {
    /// The next events as a JSON array (at least one), or `null` after the last one (or after
    /// `close()`). Rejects with the stream's error, or `ERR_CANCELLED` after an abort.
    #[napi]
    pub async fn next_batch(&self) -> napi::Result<Option<String>> {
        let mut guard = self.queue.lock().await;
        let Queue {
            batches,
            pending,
            stashed,
        } = &mut *guard;
        if let Some(error) = stashed.take() {
            return Err(to_napi(error));
        }
        if pending.is_empty() {
            let received = tokio::select! {
                biased;
                () = self.abort.cancelled() => return Err(to_napi(Error::Cancelled)),
                received = batches.recv() => received,
            };
            let Some(received) = received else {
                return Ok(None);
            };
            pending.extend(received);
            while pending.len() < MAX_BATCH {
                match batches.try_recv() {
                    Ok(more) => pending.extend(more),
                    Err(_) => break,
                }
            }
        }
        let mut batch = Vec::with_capacity(pending.len().min(MAX_BATCH));
        while batch.len() < MAX_BATCH {
            match pending.pop_front() {
                Some(Ok(event)) => batch.push(event),
                Some(Err(error)) if batch.is_empty() => return Err(to_napi(error)),
                Some(Err(error)) => {
                    *stashed = Some(error);
                    break;
                }
                None => break,
            }
        }
        json(&batch.iter().map(JsEvent::from).collect::<Vec<_>>()).map(Some)
    }

    /// What happened so far: events, heartbeats, resumes, fallback (final after the last event).
    /// Events read ahead but not yet handed over are counted.
    #[napi(getter)]
    pub fn summary(&self) -> Summary {
        Summary::from(&*self.summary.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// Stops reading and closes the connection now; `nextBatch()` then returns `null`.
    #[napi]
    pub fn close(&self) {
        self.close.token().cancel();
    }
}
