//! Writing Server-Sent Events the way the service frames them (`event: X\ndata: Y\n\n`, comments
//! `: heartbeat\n\n`, LF only, no `id:`/`retry:`), with heartbeats on a timer and the stream
//! faults applied per connection: drop after N events or bytes, stall, delay between events.
//!
//! A draft stream's script runs to its end even when the connection drops (the service's
//! pipeline does not stop for a lost client), so that a resume can pick it up.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use bytes::{BufMut, Bytes, BytesMut};
use tokio::sync::mpsc;
use tokio::time::Instant;

use crate::body::{self, Chunk, Shutdown};
use crate::faults::FaultSpec;
use crate::fixtures::{ResumeWhen, Step, Vars};
use crate::ids::IdGen;
use crate::resume::{BufferedEvent, FinalPayload, ResumeToken, StreamState};
use crate::streams::StreamTracker;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SinkState {
    Open,
    /// The connection was aborted on purpose; nothing more is sent.
    Dropped,
    /// Nothing more is sent, but the connection is held open.
    Stalled,
    /// The client went away or the server is stopping.
    Gone,
}

/// The writing end of one SSE response.
#[derive(Debug)]
pub(crate) struct SseSink {
    tx: mpsc::Sender<Chunk>,
    /// Frames written since the last flush: a script's events without pauses between them go
    /// out together (one channel message, one socket write), as a buffered writer sends them.
    pending: BytesMut,
    state: SinkState,
    heartbeat: Duration,
    next_heartbeat: Instant,
    events: u32,
    bytes: u64,
    fault: FaultSpec,
    ids: Arc<IdGen>,
    shutdown: Shutdown,
    keep_running: bool,
    /// The dashboard's record of this stream.
    tracker: Option<StreamTracker>,
}

/// A sink and the response body it writes.
pub(crate) fn sse_channel(
    heartbeat: Duration,
    fault: FaultSpec,
    ids: Arc<IdGen>,
    shutdown: Shutdown,
) -> (SseSink, Body) {
    // A few buffers in flight: a burst then waits for the connection instead of running ahead.
    let (tx, body) = body::channel(4);
    let mut sink = SseSink {
        tx,
        pending: BytesMut::new(),
        state: SinkState::Open,
        heartbeat,
        next_heartbeat: Instant::now() + heartbeat,
        events: 0,
        bytes: 0,
        fault,
        ids,
        shutdown,
        keep_running: false,
        tracker: None,
    };
    if sink.fault.stall_after_events == Some(0) {
        sink.state = SinkState::Stalled;
    } else if sink.fault.drop_after_events == Some(0) {
        sink.drop_now();
    }
    (sink, body)
}

impl SseSink {
    /// Reports this stream's progress to the dashboard's registry.
    pub(crate) fn track(&mut self, tracker: StreamTracker) {
        self.tracker = Some(tracker);
    }

    /// Whether anything written can still reach the client.
    pub(crate) fn is_open(&self) -> bool {
        self.state == SinkState::Open && !self.tx.is_closed()
    }

    /// Whether the client is gone or the server is stopping.
    pub(crate) fn is_gone(&self) -> bool {
        self.state == SinkState::Gone || self.tx.is_closed() || self.shutdown.is_set()
    }

    /// Writes one event (multi-line data gets one `data:` line per line).
    pub(crate) async fn event(&mut self, name: &str, data: &[u8]) {
        if let Some(ms) = self.fault.delay_events_ms {
            let delay = self.fault.jittered(ms, &self.ids);
            self.pause(delay).await;
        }
        if !self.is_open() {
            return;
        }
        let start = self.pending.len();
        let frame = &mut self.pending;
        frame.reserve(name.len() + data.len() + 16);
        frame.put_slice(b"event: ");
        frame.put_slice(name.as_bytes());
        frame.put_slice(b"\n");
        if data.contains(&b'\n') {
            for line in data.split(|b| *b == b'\n') {
                frame.put_slice(b"data: ");
                frame.put_slice(line);
                frame.put_slice(b"\n");
            }
        } else {
            // The usual one-line data (compact JSON), without a byte-by-byte split.
            frame.put_slice(b"data: ");
            frame.put_slice(data);
            frame.put_slice(b"\n");
        }
        frame.put_slice(b"\n");
        self.written_from(start).await;
        if let Some(tracker) = &self.tracker {
            tracker.event(name);
        }
        self.events += 1;
        if self.fault.drop_after_events == Some(self.events) {
            self.drop_now();
        } else if self.fault.stall_after_events == Some(self.events)
            && self.state == SinkState::Open
        {
            self.state = SinkState::Stalled;
        }
    }

    /// Writes a comment line (`: text`).
    pub(crate) async fn comment(&mut self, text: &str) {
        if self.is_open() {
            let start = self.pending.len();
            self.pending.put_slice(b": ");
            self.pending.put_slice(text.as_bytes());
            self.pending.put_slice(b"\n\n");
            self.written_from(start).await;
            if text == "heartbeat"
                && let Some(tracker) = &self.tracker
            {
                tracker.heartbeat();
            }
        }
    }

    /// Keeps the script running after the client leaves (its events feed resumes).
    pub(crate) fn keep_running(&mut self, keep: bool) {
        self.keep_running = keep;
    }

    /// Waits `duration`, writing `: heartbeat` whenever one is due; returns early when the server
    /// stops, or when the client leaves unless the script must keep running.
    pub(crate) async fn pause(&mut self, duration: Duration) {
        // What was written before the pause is sent before it; a burst's buffer is not kept
        // through the pause (thousands of waiting streams would each hold one).
        self.flush().await;
        if self.pending.capacity() > 4096 {
            self.pending = BytesMut::new();
        }
        let deadline = Instant::now() + duration;
        loop {
            let wake = deadline.min(self.next_heartbeat);
            let stop = tokio::select! {
                () = tokio::time::sleep_until(wake) => false,
                () = self.shutdown.wait() => true,
                () = self.tx.closed(), if !self.keep_running => true,
            };
            if stop {
                self.state = SinkState::Gone;
                return;
            }
            let now = Instant::now();
            if now >= self.next_heartbeat {
                while self.next_heartbeat <= now {
                    self.next_heartbeat += self.heartbeat;
                }
                self.comment("heartbeat").await;
                self.flush().await;
            }
            if now >= deadline {
                return;
            }
        }
    }

    /// Aborts the connection now (the stream's remaining events go nowhere).
    pub(crate) fn drop_now(&mut self) {
        if self.state == SinkState::Open {
            // What was written before the drop is sent, then the abort.
            let pending = self.pending.split().freeze();
            let mut chunks = [Ok(pending), body::abort_chunk()]
                .into_iter()
                .filter(|chunk| chunk.as_ref().map_or(true, |bytes| !bytes.is_empty()));
            while let Some(chunk) = chunks.next() {
                if let Err(mpsc::error::TrySendError::Full(chunk)) = self.tx.try_send(chunk) {
                    // The client is not reading; the rest waits its turn behind the queued bytes.
                    let tx = self.tx.clone();
                    let rest: Vec<Chunk> = std::iter::once(chunk).chain(chunks).collect();
                    tokio::spawn(async move {
                        for chunk in rest {
                            if tx.send(chunk).await.is_err() {
                                return;
                            }
                        }
                    });
                    break;
                }
            }
            self.state = SinkState::Dropped;
            // The client's stream ends here, though a script may run on to feed resumes.
            if let Some(tracker) = &mut self.tracker {
                tracker.close("dropped");
            }
        }
    }

    /// Stops sending anything, heartbeats included, while keeping the connection open.
    pub(crate) fn stall_now(&mut self) {
        if self.state == SinkState::Open {
            self.state = SinkState::Stalled;
        }
    }

    /// Ends the response: cleanly, or for a stalled stream once the client leaves or the server
    /// stops.
    pub(crate) async fn finish(mut self) {
        self.flush().await;
        if self.state == SinkState::Stalled {
            tokio::select! {
                () = self.tx.closed() => {}
                () = self.shutdown.wait() => {}
            }
            let _ = self.tx.send(body::abort_chunk()).await;
        }
        let outcome = match self.state {
            SinkState::Dropped => "dropped",
            SinkState::Stalled => "stalled",
            _ if self.shutdown.is_set() => "server_stopped",
            SinkState::Gone => "client_left",
            SinkState::Open if self.tx.is_closed() => "client_left",
            SinkState::Open => "completed",
        };
        if let Some(tracker) = &mut self.tracker {
            tracker.close(outcome);
        }
    }

    /// Accounts for the frame just appended to `pending` at `start`: cuts it at the byte limit
    /// of a `drop-after-bytes` fault, and flushes once enough is buffered.
    async fn written_from(&mut self, start: usize) {
        let mut len = self.pending.len() - start;
        let mut cut = false;
        if let Some(limit) = self.fault.drop_after_bytes {
            let room = limit.saturating_sub(self.bytes);
            if u64::try_from(len).unwrap_or(u64::MAX) >= room {
                len = usize::try_from(room).unwrap_or(usize::MAX);
                self.pending.truncate(start + len);
                cut = true;
            }
        }
        self.bytes += u64::try_from(len).unwrap_or(u64::MAX);
        if cut {
            self.drop_now();
        } else if self.pending.len() >= FLUSH_AT {
            self.flush().await;
            // A burst: room for the next full buffer at once, rather than growing from a frame.
            self.pending.reserve(FLUSH_AT + FLUSH_AT / 4);
        }
    }

    /// Sends what was written since the last flush (also after a stall: it was written before).
    async fn flush(&mut self) {
        if self.pending.is_empty() || matches!(self.state, SinkState::Gone | SinkState::Dropped) {
            return;
        }
        let chunk = self.pending.split().freeze();
        if let Some(ms) = self.fault.trickle_ms {
            self.trickle(chunk, Duration::from_millis(ms)).await;
            return;
        }
        if self.tx.send(Ok(chunk)).await.is_err() {
            self.state = SinkState::Gone;
            return;
        }
        // Let the connection write it now: the send woke the connection's task into this
        // worker's LIFO slot, where it would wait until a burst's script yields on its own.
        tokio::task::yield_now().await;
    }
}

impl SseSink {
    /// Sends `chunk` one byte every `every` (the `trickle-ms` fault).
    async fn trickle(&mut self, chunk: Bytes, every: Duration) {
        for i in 0..chunk.len() {
            if self.tx.send(Ok(chunk.slice(i..=i))).await.is_err() {
                self.state = SinkState::Gone;
                return;
            }
            tokio::select! {
                () = tokio::time::sleep(every) => {}
                () = self.shutdown.wait() => {
                    self.state = SinkState::Gone;
                    return;
                }
            }
        }
    }
}

/// Buffered bytes that are sent without waiting for a pause or the end.
const FLUSH_AT: usize = 16 * 1024;

/// Everything a draft stream's script needs besides the sink.
pub(crate) struct ScriptRun {
    pub(crate) steps: Arc<[Step]>,
    pub(crate) correlation_id: String,
    pub(crate) request_id: String,
    pub(crate) key_id: String,
    /// Add `diagnostics` to the final payload.
    pub(crate) diagnostics: bool,
    pub(crate) store: Option<StreamState>,
    pub(crate) resume_secret: Option<String>,
    pub(crate) resume_ttl: Duration,
}

/// Shows whether a resume secret is set, not the secret.
impl std::fmt::Debug for ScriptRun {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScriptRun")
            .field("steps", &self.steps)
            .field("correlation_id", &self.correlation_id)
            .field("request_id", &self.request_id)
            .field("key_id", &self.key_id)
            .field("diagnostics", &self.diagnostics)
            .field("store", &self.store.is_some())
            .field(
                "resume_secret",
                &self.resume_secret.as_ref().map(|_| "<redacted>"),
            )
            .field("resume_ttl", &self.resume_ttl)
            .finish()
    }
}

/// Runs a stream script into `sink`, mirroring events into the store for resumes.
pub(crate) async fn run_script(run: ScriptRun, mut sink: SseSink) {
    let vars = Vars {
        request_id: &run.request_id,
        correlation_id: &run.correlation_id,
        key_id: &run.key_id,
    };
    let id = run.correlation_id.as_str();
    // State is kept only when a resume could use it (a token needs a secret).
    let store = run.store.as_ref().filter(|_| run.resume_secret.is_some());
    if let Some(store) = store {
        store.begin(id, olumi::clock::unix_ms()).await;
    }
    sink.keep_running(store.is_some());
    let mut seq: u64 = 0;
    let mut completed = false;
    for step in run.steps.iter() {
        // Without anyone to resume it, a stream whose client left can stop.
        if sink.shutdown.is_set() || (store.is_none() && sink.is_gone()) {
            break;
        }
        match step {
            Step::Event { name, data } => {
                if let Some(store) = store {
                    let data = data.render(&vars);
                    store
                        .append(
                            id,
                            BufferedEvent {
                                seq,
                                event: name.clone(),
                                data: data.clone(),
                            },
                        )
                        .await;
                    sink.event(name, &data).await;
                } else {
                    sink.event(name, &data.render_borrowed(&vars)).await;
                }
                seq += 1;
            }
            Step::ResumeToken(when) => {
                let Some(secret) = run.resume_secret.as_deref() else {
                    continue;
                };
                if *when == ResumeWhen::State && run.store.is_none() {
                    continue;
                }
                let token =
                    ResumeToken::new(id, "DRAFTING", seq, olumi::clock::unix_ms(), run.resume_ttl)
                        .encode(secret);
                if let Some(store) = store {
                    // The service buffers the resume event trimmed to `{}`.
                    store
                        .append(
                            id,
                            BufferedEvent {
                                seq,
                                event: "resume".into(),
                                data: Bytes::from_static(b"{}"),
                            },
                        )
                        .await;
                }
                sink.event("resume", format!(r#"{{"token":"{token}"}}"#).as_bytes())
                    .await;
                seq += 1;
            }
            Step::Complete { payload } => {
                let final_payload = FinalPayload {
                    body: payload.render(&vars),
                    correlation_id: run.diagnostics.then(|| run.correlation_id.clone()),
                };
                let rendered = final_payload.render(0, 0);
                if let Some(store) = store {
                    store
                        .complete(id, final_payload, olumi::clock::unix_ms())
                        .await;
                }
                completed = true;
                sink.event("stage", &complete_stage(&rendered)).await;
            }
            Step::Comment(text) => sink.comment(text).await,
            Step::Sleep(duration) => sink.pause(*duration).await,
            Step::Drop => sink.drop_now(),
            Step::Stall => sink.stall_now(),
        }
    }
    if !completed && let Some(store) = store {
        store.fail(id).await;
    }
    sink.finish().await;
}

/// The data of the final `stage` event: `{"stage":"COMPLETE","payload":PAYLOAD}` (`payload` is
/// JSON text).
pub(crate) fn complete_stage(payload: &[u8]) -> Bytes {
    let mut data = BytesMut::with_capacity(payload.len() + 32);
    data.put_slice(br#"{"stage":"COMPLETE","payload":"#);
    data.put_slice(payload);
    data.put_slice(b"}");
    data.freeze()
}

/// Writes fixed events (an error answered as SSE) and ends.
pub(crate) async fn run_fixed(events: Vec<(&'static str, Bytes)>, mut sink: SseSink) {
    for (name, data) in events {
        sink.event(name, &data).await;
    }
    sink.finish().await;
}
