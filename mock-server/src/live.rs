//! The dashboard's live feed, `GET /__admin/events`: an SSE stream of journal entries
//! (`event: request`) and stream updates (`event: stream`) as they happen.
//!
//! One bounded `tokio::sync::broadcast` channel fans out to every watcher. Publishing never
//! waits: a watcher that reads too slowly loses the oldest frames and is told how many
//! (`event: lagged`, `data: {"missed":N}`), and the server goes on serving. Nothing is rendered
//! while nobody watches. Entries reach the feed already redacted (see `journal`).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::body::Body;
use bytes::Bytes;
use serde::Serialize;
use tokio::sync::broadcast;
use tokio::sync::broadcast::error::RecvError;

use crate::body::Shutdown;

/// How many frames a watcher may fall behind before it loses some.
pub(crate) const FEED_CAPACITY: usize = 1024;

/// A comment sent when nothing else was, so a watcher that left is noticed.
const KEEPALIVE: Duration = Duration::from_secs(15);

/// The fan-out of live dashboard frames.
#[derive(Debug)]
pub(crate) struct LiveFeed {
    tx: broadcast::Sender<Bytes>,
    /// Open `/__admin/events` responses: read on every request, so an atomic rather than the
    /// channel's own count (which takes its lock).
    watchers: Arc<AtomicUsize>,
}

/// Counts one watcher while it lives.
#[derive(Debug)]
struct Watching(Arc<AtomicUsize>);

impl Drop for Watching {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

impl LiveFeed {
    pub(crate) fn new(capacity: usize) -> Self {
        let (tx, _) = broadcast::channel(capacity.max(1));
        Self {
            tx,
            watchers: Arc::new(AtomicUsize::new(0)),
        }
    }

    /// Whether anyone watches (otherwise publishing renders nothing).
    pub(crate) fn is_watched(&self) -> bool {
        self.watchers.load(Ordering::Relaxed) > 0
    }

    /// Sends `value` as one SSE event named `event` to every watcher; never waits.
    pub(crate) fn publish(&self, event: &str, value: &impl Serialize) {
        if !self.is_watched() {
            return;
        }
        let Ok(data) = serde_json::to_string(value) else {
            return;
        };
        // No watcher left since the check is fine: the frame is dropped.
        let _ = self
            .tx
            .send(Bytes::from(format!("event: {event}\ndata: {data}\n\n")));
    }

    fn subscribe(&self) -> (broadcast::Receiver<Bytes>, Watching) {
        self.watchers.fetch_add(1, Ordering::Relaxed);
        (self.tx.subscribe(), Watching(Arc::clone(&self.watchers)))
    }
}

/// The body of one `/__admin/events` response: frames until the watcher leaves or the server
/// stops.
pub(crate) fn watch(feed: &LiveFeed, shutdown: Shutdown) -> Body {
    // The watcher counts until the body is dropped (the client left or the server stopped).
    let (rx, watching) = feed.subscribe();
    let first = Bytes::from_static(b": olumi-mock live feed\n\n");
    let state = (rx, shutdown, Some(first), watching);
    let frames =
        futures_util::stream::unfold(state, |(mut rx, shutdown, first, watching)| async move {
            if let Some(first) = first {
                return Some((
                    Ok::<_, std::io::Error>(first),
                    (rx, shutdown, None, watching),
                ));
            }
            let frame = tokio::select! {
                () = shutdown.wait() => return None,
                () = tokio::time::sleep(KEEPALIVE) => Bytes::from_static(b": keepalive\n\n"),
                received = rx.recv() => match received {
                    Ok(frame) => frame,
                    Err(RecvError::Lagged(missed)) => lagged(missed),
                    Err(RecvError::Closed) => return None,
                },
            };
            Some((Ok(frame), (rx, shutdown, None, watching)))
        });
    Body::from_stream(frames)
}

fn lagged(missed: u64) -> Bytes {
    Bytes::from(format!("event: lagged\ndata: {{\"missed\":{missed}}}\n\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_slow_watcher_loses_frames_and_is_told_without_blocking_the_publisher() {
        let feed = LiveFeed::new(4);
        assert!(!feed.is_watched());
        let (mut rx, watching) = feed.subscribe();
        assert!(feed.is_watched());
        for i in 0..10u32 {
            // Never waits, though nobody reads.
            feed.publish("request", &i);
        }
        assert_eq!(rx.recv().await, Err(RecvError::Lagged(6)));
        let frame = rx.recv().await.unwrap();
        assert_eq!(&frame[..], b"event: request\ndata: 6\n\n");
        assert_eq!(&lagged(6)[..], b"event: lagged\ndata: {\"missed\":6}\n\n");
        drop(watching);
        assert!(!feed.is_watched());
    }
}
