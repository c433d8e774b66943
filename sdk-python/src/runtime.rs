//! The two ways Python waits for the core: `block_on` for the sync API and `future_into_py` for
//! asyncio. Both run on pyo3-async-runtimes' one tokio runtime, and both first poll the future
//! once in place: a stream event that is already decoded is returned without releasing the GIL
//! or scheduling anything.

use std::future::Future;
use std::pin::{Pin, pin};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use pyo3::exceptions::PyStopIteration;
use pyo3::prelude::*;

/// Polls `fut` once, inside the runtime's context (reqwest needs its reactor), with a waker that
/// does nothing: the caller polls again with a real one if this returns `Pending`.
fn poll_now<F: Future + ?Sized>(fut: Pin<&mut F>) -> Poll<F::Output> {
    let _context = pyo3_async_runtimes::tokio::get_runtime().enter();
    fut.poll(&mut Context::from_waker(Waker::noop()))
}

/// Runs `fut` to completion with the GIL released, checking for Ctrl-C every 50 ms. When Python
/// raises (KeyboardInterrupt), the future is dropped, which closes its connection.
///
/// Never call it from a tokio worker thread (the runtime would panic); Python threads are fine.
pub(crate) fn block_on<T: Send>(
    py: Python<'_>,
    fut: impl Future<Output = T> + Send,
) -> PyResult<T> {
    let mut fut = pin!(fut);
    if let Poll::Ready(out) = poll_now(fut.as_mut()) {
        return Ok(out);
    }
    let rt = pyo3_async_runtimes::tokio::get_runtime();
    py.detach(|| {
        rt.block_on(async {
            let mut tick = tokio::time::interval_at(
                tokio::time::Instant::now() + Duration::from_millis(50),
                Duration::from_millis(50),
            );
            loop {
                tokio::select! {
                    biased;
                    out = &mut fut => return Ok(out),
                    _ = tick.tick() => Python::attach(|py| py.check_signals())?,
                }
            }
        })
    })
}

/// An asyncio awaitable for a core future; cancelling the asyncio task drops the future.
pub(crate) fn awaitable<'py, F, T>(py: Python<'py>, fut: F) -> PyResult<Bound<'py, PyAny>>
where
    F: Future<Output = PyResult<T>> + Send + 'static,
    T: for<'a> IntoPyObject<'a> + Send + 'static,
{
    pyo3_async_runtimes::tokio::future_into_py(py, fut)
}

/// Like [`awaitable`], but when the future is ready at once its result is handed back in an
/// already-finished awaitable, without a round trip through the runtime and the event loop.
pub(crate) fn awaitable_now<'py, F>(py: Python<'py>, fut: F) -> PyResult<Bound<'py, PyAny>>
where
    F: Future<Output = PyResult<Py<PyAny>>> + Send + 'static,
{
    let mut fut = Box::pin(fut);
    match poll_now(fut.as_mut()) {
        Poll::Ready(result) => Ok(Bound::new(
            py,
            Ready {
                result: Some(result),
            },
        )?
        .into_any()),
        Poll::Pending => awaitable(py, fut),
    }
}

/// An awaitable whose result is already known: `await` returns it (or raises) without suspending.
#[pyclass(module = "olumi._native")]
struct Ready {
    result: Option<PyResult<Py<PyAny>>>,
}

#[pymethods]
impl Ready {
    fn __await__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&mut self) -> PyResult<Py<PyAny>> {
        match self.result.take() {
            Some(Ok(value)) => Err(PyStopIteration::new_err((value,))),
            Some(Err(error)) => Err(error),
            None => Err(PyStopIteration::new_err(())),
        }
    }
}
