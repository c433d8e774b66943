//! The streams in flight, for the dashboard (`GET /__admin/streams`, and `event: stream` on the
//! live feed): each SSE answer's route, events sent, last event, resume token issued,
//! heartbeats and armed faults, and how it ended.
//!
//! Each stream updates its own record (one uncontended lock per stream); the registry's lock is
//! taken only when a stream opens or ends. Ended streams are kept, most recent first, up to
//! [`ENDED_KEPT`].

use std::collections::{BTreeMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use serde::Serialize;

use crate::faults::FaultSpec;
use crate::journal::Record;
use crate::live::LiveFeed;

/// How many ended streams are remembered.
pub(crate) const ENDED_KEPT: usize = 200;

/// One stream as the dashboard shows it.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct StreamInfo {
    /// The registry's id for the stream.
    pub(crate) id: u64,
    /// The journal `seq` of the request that opened it.
    pub(crate) request_seq: u64,
    pub(crate) method: String,
    /// The request-target.
    pub(crate) route: String,
    /// `stream`, `resume` (a resume of an earlier stream) or `refused` (answered 426).
    pub(crate) kind: &'static str,
    /// The HTTP status of the stream's head.
    pub(crate) status: u16,
    pub(crate) started_at_ms: u64,
    pub(crate) ended_at_ms: Option<u64>,
    pub(crate) events_sent: u32,
    /// The name of the last event sent.
    pub(crate) last_event: Option<String>,
    /// The index (from 0) of the last event sent on this connection (the service's events
    /// carry no `id:` field).
    pub(crate) last_event_index: Option<u32>,
    pub(crate) resume_token_issued: bool,
    pub(crate) heartbeats: u32,
    /// The faults armed on the stream, in the fault syntax.
    pub(crate) faults: Option<String>,
    /// `completed`, `resumed` (a resume that completed), `dropped` (a fault or the script cut
    /// the connection), `stalled`, `client_left`, `server_stopped`, `426`; `None` while in flight.
    pub(crate) outcome: Option<String>,
}

impl StreamInfo {
    /// The record of a stream answering the request `record` with `status`, faults `fault`.
    pub(crate) fn for_request(record: &Record, status: u16, fault: &FaultSpec) -> Self {
        let route = record.target().to_owned();
        let path = route.split('?').next().unwrap_or_default();
        Self {
            request_seq: record.seq,
            method: record.method.as_str().to_owned(),
            kind: if path.ends_with("/resume") {
                "resume"
            } else {
                "stream"
            },
            route,
            status,
            faults: (*fault != FaultSpec::default()).then(|| fault.to_string()),
            ..Self::default()
        }
    }
}

type Cell = Arc<Mutex<StreamInfo>>;

fn lock(cell: &Mutex<StreamInfo>) -> std::sync::MutexGuard<'_, StreamInfo> {
    cell.lock().unwrap_or_else(|p| p.into_inner())
}

/// Every stream in flight, and the last ended ones.
#[derive(Debug)]
pub(crate) struct StreamRegistry {
    next_id: AtomicU64,
    live: Mutex<BTreeMap<u64, Cell>>,
    ended: Mutex<VecDeque<StreamInfo>>,
    feed: Arc<LiveFeed>,
}

impl StreamRegistry {
    pub(crate) fn new(feed: Arc<LiveFeed>) -> Self {
        Self {
            next_id: AtomicU64::new(1),
            live: Mutex::new(BTreeMap::new()),
            ended: Mutex::new(VecDeque::new()),
            feed,
        }
    }

    /// Registers a stream that starts now; its tracker updates it.
    pub(crate) fn open(self: &Arc<Self>, mut info: StreamInfo) -> StreamTracker {
        info.id = self.next_id.fetch_add(1, Ordering::Relaxed);
        info.started_at_ms = olumi::clock::unix_ms();
        self.feed.publish("stream", &info);
        let cell = Arc::new(Mutex::new(info));
        let id = lock(&cell).id;
        self.live_lock().insert(id, Arc::clone(&cell));
        StreamTracker {
            registry: Arc::clone(self),
            cell,
            closed: false,
        }
    }

    /// Records a stream request refused with 426 (it never streamed).
    pub(crate) fn refused(self: &Arc<Self>, info: StreamInfo) {
        let mut tracker = self.open(info);
        tracker.kind("refused");
        tracker.close("426");
    }

    /// The streams in flight (oldest first), then the ended ones (most recent first).
    pub(crate) fn snapshot(&self) -> Vec<StreamInfo> {
        let live: Vec<Cell> = self.live_lock().values().cloned().collect();
        let mut out: Vec<StreamInfo> = live.iter().map(|c| lock(c).clone()).collect();
        out.extend(self.ended_lock().iter().cloned());
        out
    }

    /// Forgets the ended streams (streams in flight stay: they are still running).
    pub(crate) fn clear(&self) {
        self.ended_lock().clear();
    }

    fn end(&self, id: u64, info: StreamInfo) {
        self.live_lock().remove(&id);
        let mut ended = self.ended_lock();
        ended.push_front(info);
        ended.truncate(ENDED_KEPT);
    }

    fn live_lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<u64, Cell>> {
        self.live.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn ended_lock(&self) -> std::sync::MutexGuard<'_, VecDeque<StreamInfo>> {
        self.ended.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// One stream's handle on its record. Dropped without [`StreamTracker::close`], the stream
/// counts as ended (`ended`).
#[derive(Debug)]
pub(crate) struct StreamTracker {
    registry: Arc<StreamRegistry>,
    cell: Cell,
    closed: bool,
}

impl StreamTracker {
    /// An event was written (`resume` events carry a resume token).
    pub(crate) fn event(&self, name: &str) {
        self.update(|info| {
            info.last_event_index = Some(info.events_sent);
            info.events_sent += 1;
            if name == "resume" {
                info.resume_token_issued = true;
            }
            if info.last_event.as_deref() != Some(name) {
                info.last_event = Some(name.to_owned());
            }
        });
    }

    /// A heartbeat comment was written.
    pub(crate) fn heartbeat(&self) {
        self.update(|info| info.heartbeats += 1);
    }

    fn kind(&mut self, kind: &'static str) {
        self.update(|info| info.kind = kind);
    }

    /// The stream ended with `outcome`.
    pub(crate) fn close(&mut self, outcome: &str) {
        if self.closed {
            return;
        }
        self.closed = true;
        let info = {
            let mut info = lock(&self.cell);
            let outcome = if outcome == "completed" && info.kind == "resume" {
                "resumed"
            } else {
                outcome
            };
            info.outcome = Some(outcome.to_owned());
            info.ended_at_ms = Some(olumi::clock::unix_ms());
            info.clone()
        };
        self.registry.feed.publish("stream", &info);
        self.registry.end(info.id, info);
    }

    fn update(&self, change: impl FnOnce(&mut StreamInfo)) {
        let mut info = lock(&self.cell);
        change(&mut info);
        if self.registry.feed.is_watched() {
            let snapshot = info.clone();
            drop(info);
            self.registry.feed.publish("stream", &snapshot);
        }
    }
}

impl Drop for StreamTracker {
    fn drop(&mut self) {
        self.close("ended");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stream_is_live_until_closed_then_kept_with_its_outcome() {
        let registry = Arc::new(StreamRegistry::new(Arc::new(LiveFeed::new(8))));
        let mut tracker = registry.open(StreamInfo {
            route: "/assist/draft-graph/stream".into(),
            kind: "stream",
            ..StreamInfo::default()
        });
        tracker.event("stage");
        tracker.event("resume");
        tracker.heartbeat();
        let live = registry.snapshot();
        assert_eq!(live.len(), 1);
        assert_eq!(live[0].events_sent, 2);
        assert_eq!(live[0].last_event.as_deref(), Some("resume"));
        assert_eq!(live[0].last_event_index, Some(1));
        assert!(live[0].resume_token_issued);
        assert_eq!(live[0].heartbeats, 1);
        assert_eq!(live[0].outcome, None);
        tracker.close("dropped");
        drop(tracker);
        let ended = registry.snapshot();
        assert_eq!(ended.len(), 1, "closing twice (drop) keeps one record");
        assert_eq!(ended[0].outcome.as_deref(), Some("dropped"));
        assert!(ended[0].ended_at_ms.is_some());

        registry.refused(StreamInfo::default());
        assert_eq!(registry.snapshot()[0].outcome.as_deref(), Some("426"));
        assert_eq!(registry.snapshot()[0].kind, "refused");
        registry.clear();
        assert!(registry.snapshot().is_empty());
    }

    #[test]
    fn ended_streams_are_bounded() {
        let registry = Arc::new(StreamRegistry::new(Arc::new(LiveFeed::new(8))));
        for _ in 0..ENDED_KEPT + 5 {
            drop(registry.open(StreamInfo::default()));
        }
        assert_eq!(registry.snapshot().len(), ENDED_KEPT);
    }
}
