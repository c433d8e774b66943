//! Cancellation and per-call deadlines: the one helper every async method goes through.

use std::future::Future;
use std::time::Duration;

use napi_derive::napi;
use olumi::Error;
use olumi::error::TimeoutPhase;
use tokio_util::sync::CancellationToken;

use crate::errors::to_napi;
use crate::types::millis;

/// A cancellation token; `index.js` cancels it from an `AbortSignal`.
#[napi]
#[derive(Debug, Default)]
pub struct CancelToken {
    inner: CancellationToken,
}

#[napi]
impl CancelToken {
    /// A token that is not cancelled yet.
    #[napi(constructor, catch_unwind)]
    pub fn new() -> Self {
        Self::default()
    }

    /// Cancels every operation that holds this token.
    #[napi(catch_unwind)]
    pub fn cancel(&self) {
        self.inner.cancel();
    }
}

impl CancelToken {
    pub(crate) fn token(&self) -> CancellationToken {
        self.inner.clone()
    }
}

/// How one call may end early: the caller's token, and a deadline across all its attempts.
#[derive(Debug)]
pub(crate) struct Call {
    deadline: Option<Duration>,
    cancel: CancellationToken,
}

impl Call {
    pub(crate) fn new(timeout_ms: Option<f64>, token: Option<&CancelToken>) -> napi::Result<Self> {
        Ok(Self {
            deadline: timeout_ms.map(|ms| millis("timeout", ms)).transpose()?,
            cancel: token.map(CancelToken::token).unwrap_or_default(),
        })
    }

    /// Runs one core future: cancelled by the token (`ERR_CANCELLED`), cut by the deadline
    /// (`ERR_TIMEOUT`, the total-deadline phase), a panic inside it turned into `ERR_INTERNAL`,
    /// its error mapped once.
    pub(crate) async fn run<T>(
        &self,
        fut: impl Future<Output = Result<T, Error>>,
    ) -> napi::Result<T> {
        let fut = async { olumi::error::catch_unwind(fut).await.and_then(|r| r) };
        let bounded = async {
            match self.deadline {
                Some(after) => {
                    tokio::time::timeout(after, fut)
                        .await
                        .unwrap_or(Err(Error::Timeout {
                            phase: TimeoutPhase::Deadline,
                            after,
                        }))
                }
                None => fut.await,
            }
        };
        let result = tokio::select! {
            biased;
            () = self.cancel.cancelled() => Err(Error::Cancelled),
            result = bounded => result,
        };
        result.map_err(to_napi)
    }

    pub(crate) fn token(&self) -> CancellationToken {
        self.cancel.clone()
    }
}
