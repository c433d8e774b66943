//! HTTP body plumbing: reading request bodies under a size limit, and response bodies fed from a
//! channel, which is how streams, drops and stalls are written.
//!
//! A dropped connection is an error chunk: hyper then closes the connection without finishing
//! the message, so the client sees the body end early. The error is held back for one poll so
//! that hyper flushes the bytes sent before it.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};

use axum::body::Body;
use bytes::{Bytes, BytesMut};
use futures_util::Stream;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use hyper::body::Body as _;
use tokio::sync::{mpsc, watch};

/// Why a request body could not be read.
#[derive(Debug)]
pub(crate) enum ReadError {
    TooLarge,
    Io(String),
}

/// Reads the whole request body, refusing more than `limit` bytes.
pub(crate) async fn read_limited(body: Body, limit: usize) -> Result<Bytes, ReadError> {
    // A Content-Length over the limit is refused before a byte of the body is read; a chunked
    // body is cut off by `Limited` as soon as it passes the limit.
    if body.size_hint().lower() > u64::try_from(limit).unwrap_or(u64::MAX) {
        return Err(ReadError::TooLarge);
    }
    let mut body = Limited::new(body, limit);
    // Most bodies arrive in one frame: keep it as is; copy only when there are several.
    let mut first = Bytes::new();
    let mut more: Option<BytesMut> = None;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| {
            if e.downcast_ref::<LengthLimitError>().is_some() {
                ReadError::TooLarge
            } else {
                ReadError::Io(e.to_string())
            }
        })?;
        let Ok(data) = frame.into_data() else {
            continue;
        };
        match more.as_mut() {
            Some(buf) => buf.extend_from_slice(&data),
            None if first.is_empty() => first = data,
            None => {
                let mut buf = BytesMut::with_capacity(first.len() + data.len());
                buf.extend_from_slice(&first);
                buf.extend_from_slice(&data);
                more = Some(buf);
            }
        }
    }
    Ok(more.map_or(first, BytesMut::freeze))
}

/// One chunk for a channel body: bytes, or an error that aborts the connection.
pub(crate) type Chunk = Result<Bytes, io::Error>;

/// A response body fed from a channel.
#[derive(Debug)]
pub(crate) struct ChannelBody {
    rx: mpsc::Receiver<Chunk>,
    held_error: Option<io::Error>,
    /// An error met after bytes that were just returned: it is held back after the next poll.
    error_after_bytes: Option<io::Error>,
}

impl Stream for ChannelBody {
    type Item = Chunk;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Chunk>> {
        if let Some(err) = self.held_error.take() {
            return Poll::Ready(Some(Err(err)));
        }
        let first = match self
            .error_after_bytes
            .take()
            .map_or_else(|| self.rx.poll_recv(cx), |err| Poll::Ready(Some(Err(err))))
        {
            Poll::Ready(Some(Ok(bytes))) => bytes,
            Poll::Ready(Some(Err(err))) => {
                // Let hyper flush what it has buffered before the connection is cut.
                self.held_error = Some(err);
                cx.waker().wake_by_ref();
                return Poll::Pending;
            }
            other => return other,
        };
        // Chunks queued back to back (a script's events without delays) go out as one write,
        // as a buffered writer would send them; an error after them waits for the next poll.
        let mut joined: Option<BytesMut> = None;
        while joined.as_ref().map_or(first.len(), BytesMut::len) < COALESCE_LIMIT {
            match self.rx.poll_recv(cx) {
                Poll::Ready(Some(Ok(more))) => joined
                    .get_or_insert_with(|| {
                        let mut buf = BytesMut::with_capacity(COALESCE_LIMIT);
                        buf.extend_from_slice(&first);
                        buf
                    })
                    .extend_from_slice(&more),
                Poll::Ready(Some(Err(err))) => {
                    self.error_after_bytes = Some(err);
                    break;
                }
                // The end: the next poll sees it again (a closed channel stays closed).
                Poll::Ready(None) | Poll::Pending => break,
            }
        }
        Poll::Ready(Some(Ok(joined.map_or(first, BytesMut::freeze))))
    }
}

/// Largest write that queued chunks are joined into.
const COALESCE_LIMIT: usize = 64 * 1024;

/// A sender and the body it feeds. Dropping the sender ends the body cleanly.
pub(crate) fn channel(capacity: usize) -> (mpsc::Sender<Chunk>, Body) {
    let (tx, rx) = mpsc::channel(capacity);
    (
        tx,
        Body::from_stream(ChannelBody {
            rx,
            held_error: None,
            error_after_bytes: None,
        }),
    )
}

/// The error chunk that aborts a connection.
pub(crate) fn abort_chunk() -> Chunk {
    Err(io::Error::other("olumi-mock: injected connection drop"))
}

/// How a cut body ends after its prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cut {
    /// Abort the connection.
    Abort,
    /// Send nothing more until the client leaves or the server stops, then abort.
    Stall,
}

/// A body that sends `prefix` and then ends as `cut` says (used with a `Content-Length` larger
/// than the prefix, so the message is incomplete).
pub(crate) fn cut_body(prefix: Bytes, cut: Cut, shutdown: Shutdown) -> Body {
    let (tx, body) = channel(2);
    tokio::spawn(async move {
        if !prefix.is_empty() && tx.send(Ok(prefix)).await.is_err() {
            return;
        }
        if cut == Cut::Stall {
            tokio::select! {
                () = tx.closed() => return,
                () = shutdown.wait() => {}
            }
        }
        let _ = tx.send(abort_chunk()).await;
    });
    body
}

/// The server's stop signal, watched by everything that can outlive a request (streams, stalls).
/// A body sent one byte every `every` (the `trickle-ms` fault), ending early when the client
/// leaves or the server stops.
pub(crate) fn trickle_body(bytes: Bytes, every: std::time::Duration, shutdown: Shutdown) -> Body {
    let (tx, body) = channel(1);
    tokio::spawn(async move {
        for i in 0..bytes.len() {
            if tx.send(Ok(bytes.slice(i..=i))).await.is_err() {
                return;
            }
            tokio::select! {
                () = tokio::time::sleep(every) => {}
                () = tx.closed() => return,
                () = shutdown.wait() => return,
            }
        }
    });
    body
}

#[derive(Debug, Clone)]
pub(crate) struct Shutdown {
    rx: watch::Receiver<bool>,
    /// The same signal for polling: a script checks it before every step, and an atomic load is
    /// far cheaper than the watch channel's lock.
    flag: Arc<AtomicBool>,
}

/// The sending side of [`Shutdown`].
#[derive(Debug)]
pub(crate) struct ShutdownSender {
    tx: watch::Sender<bool>,
    flag: Arc<AtomicBool>,
}

impl ShutdownSender {
    /// Signals every [`Shutdown`] (idempotent).
    pub(crate) fn stop(&self) {
        self.flag.store(true, Ordering::Release);
        let _ = self.tx.send(true);
    }
}

impl Shutdown {
    pub(crate) fn new() -> (ShutdownSender, Self) {
        let (tx, rx) = watch::channel(false);
        let flag = Arc::new(AtomicBool::new(false));
        (
            ShutdownSender {
                tx,
                flag: Arc::clone(&flag),
            },
            Self { rx, flag },
        )
    }

    /// Resolves once the server is stopping.
    pub(crate) async fn wait(&self) {
        let mut rx = self.rx.clone();
        // An error means the sender is gone: the server is gone too.
        let _ = rx.wait_for(|stop| *stop).await;
    }

    pub(crate) fn is_set(&self) -> bool {
        self.flag.load(Ordering::Acquire)
    }
}
