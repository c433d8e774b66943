//! [`CancelFlag`]: whether a [`CancellationToken`] was cancelled, read without a lock.
//!
//! `CancellationToken::is_cancelled` locks the token's mutex. A stream drained in batches asks
//! once per event (a cancel from another task must drop what was read but not delivered), and at
//! millions of events a second that lock was a tenth of the reader's time.

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll, Wake, Waker};

use tokio_util::sync::{CancellationToken, WaitForCancellationFutureOwned};

/// Set when the token's waiter is woken, which `cancel()` does before it returns.
struct Flag(AtomicBool);

impl Wake for Flag {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.0.store(true, Ordering::Release);
    }
}

/// A waiter registered on the token; it sets an atomic flag when the token is cancelled.
pub(crate) struct CancelFlag {
    flag: Arc<Flag>,
    /// Kept alive so that it stays registered (dropping it would unregister the waker).
    _waiter: Pin<Box<WaitForCancellationFutureOwned>>,
}

impl CancelFlag {
    pub(crate) fn new(token: &CancellationToken) -> Self {
        let flag = Arc::new(Flag(AtomicBool::new(false)));
        let mut waiter = Box::pin(token.clone().cancelled_owned());
        let waker = Waker::from(Arc::clone(&flag));
        // The first poll registers the waker (or finds the token cancelled already).
        if let Poll::Ready(()) = waiter.as_mut().poll(&mut Context::from_waker(&waker)) {
            flag.0.store(true, Ordering::Release);
        }
        Self {
            flag,
            _waiter: waiter,
        }
    }

    /// Whether the token was cancelled: exact once `cancel()` has returned on any thread.
    pub(crate) fn is_set(&self) -> bool {
        self.flag.0.load(Ordering::Acquire)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follows_the_token_and_its_parent() {
        let parent = CancellationToken::new();
        let token = parent.child_token();
        let flag = CancelFlag::new(&token);
        assert!(!flag.is_set());
        parent.cancel();
        assert!(flag.is_set(), "a parent's cancel reaches the child's flag");
    }

    #[test]
    fn a_token_cancelled_before_is_seen() {
        let token = CancellationToken::new();
        token.cancel();
        assert!(CancelFlag::new(&token).is_set());
    }

    #[test]
    fn a_cancel_on_another_thread_is_seen_once_it_returned() {
        let token = CancellationToken::new();
        let flag = CancelFlag::new(&token);
        let other = token.clone();
        std::thread::spawn(move || other.cancel()).join().unwrap();
        assert!(flag.is_set());
    }
}
