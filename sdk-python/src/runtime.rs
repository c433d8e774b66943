//! The package's tokio runtime, and the two ways Python waits for the core: `block_on` for the
//! sync API and `awaitable` for asyncio. Both first poll the future once in place: a stream event
//! that is already decoded is returned without releasing the GIL or scheduling anything.
//!
//! **Fork.** tokio's worker threads do not survive `fork()`: a child that used the parent's
//! runtime would wait forever. So the runtime belongs to one *process generation*: the module
//! registers `os.register_at_fork(after_in_child=...)` when it is imported, the hook bumps
//! [`generation`] in the child, and the next [`runtime`] call there builds a fresh runtime. The
//! parent's runtime is never touched again in the child (not even dropped: dropping it would
//! wait for threads that do not exist, and its tasks hold sockets the parent still uses), so it
//! is leaked, once per fork. Clients check the generation too and rebuild their connection pool
//! (`client.rs`, `Handle::get`).
//!
//! **Exit.** The runtime is never shut down, so its worker threads outlive the interpreter's
//! finalization. A worker that then asked for the GIL (to hand an asyncio future its result)
//! would be ended by CPython inside PyO3's GIL scope, and the Python objects that scope drops
//! would be freed while the main thread collects garbage: a segfault at exit. So the module
//! registers an `atexit` hook ([`_before_exit`]) that stops every asyncio task from being polled
//! again and waits (with the GIL released) for the polls already running; each task spawned for
//! asyncio goes through [`ExitGuard`], and each blocking job (pyo3-async-runtimes sets asyncio
//! results from one) through the same check.
//!
//! **Panics.** Every future handed to the runtime is wrapped in [`olumi::error::catch_unwind`], and
//! the conversions of requests and results in [`catch_panic`] (`convert.rs`), so a panic in the
//! core or in a conversion surfaces as `olumi.InternalError` (an `Exception`), not as PyO3's
//! `PanicException` (a `BaseException`) and never as an awaitable that never finishes.

use std::cell::OnceCell;
use std::future::Future;
use std::mem::ManuallyDrop;
use std::panic::AssertUnwindSafe;
use std::pin::{Pin, pin};
use std::ptr;
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicU64, AtomicUsize, Ordering};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use olumi::error::catch_unwind;
use pyo3::exceptions::PyStopIteration;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use pyo3_async_runtimes::TaskLocals;
use pyo3_async_runtimes::generic::{ContextExt, Runtime as GenericRuntime};
use tokio::runtime::Runtime;
use tokio::task::JoinHandle;

use crate::errors::to_py;

/// The process generation: 0 in the process that imported the module, bumped in every forked
/// child by [`_after_fork_in_child`]. An atomic store is all the hook does (nothing in the child
/// may wait for a lock that a thread of the parent held when it forked).
static GENERATION: AtomicU64 = AtomicU64::new(0);

/// The runtime of the generation that built it. Every non-null pointer stored here comes from
/// `Box::into_raw` and is never freed (see the module doc), so it is valid for `'static`.
static CURRENT: AtomicPtr<GenerationRuntime> = AtomicPtr::new(ptr::null_mut());

struct GenerationRuntime {
    generation: u64,
    runtime: Runtime,
}

/// This process's generation (see [`GENERATION`]): a value built in another generation (a
/// connection pool) belongs to a runtime whose threads are gone.
pub(crate) fn generation() -> u64 {
    GENERATION.load(Ordering::Acquire)
}

/// The runtime of this process, built on first use (again after a fork).
pub(crate) fn runtime() -> &'static Runtime {
    let generation = generation();
    let current = CURRENT.load(Ordering::Acquire);
    // SAFETY: a non-null pointer in `CURRENT` came from `Box::into_raw` and is never freed.
    match unsafe { current.as_ref() } {
        Some(installed) if installed.generation == generation => &installed.runtime,
        _ => install(generation, current),
    }
}

#[cold]
fn install(generation: u64, seen: *mut GenerationRuntime) -> &'static Runtime {
    let built_runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("olumi-python")
        .build()
        // Only when the OS refuses threads; nothing asynchronous could work then.
        .unwrap_or_else(|e| panic!("olumi cannot start its tokio runtime: {e}"));
    let built = Box::into_raw(Box::new(GenerationRuntime {
        generation,
        runtime: built_runtime,
    }));
    match CURRENT.compare_exchange(seen, built, Ordering::AcqRel, Ordering::Acquire) {
        // SAFETY: `built` is now published and, like every published pointer, never freed.
        Ok(_) => unsafe { &(*built).runtime },
        Err(_) => {
            // Another thread installed one first: use it, and stop ours without waiting (this
            // may run on a runtime thread, where a blocking drop would panic).
            // SAFETY: `built` was never published, so this is its only owner.
            let lost = unsafe { Box::from_raw(built) };
            lost.runtime.shutdown_background();
            runtime()
        }
    }
}

/// A value whose tasks run on the runtime of the generation that made it (a connection pool).
/// In a forked child it is stale: [`PerProcess::is_current`] says so, and it is leaked instead of
/// dropped, because dropping it would take locks and wake tasks of the parent's runtime, which
/// a thread of the parent may have held or been running at the fork.
pub(crate) struct PerProcess<T> {
    generation: u64,
    value: ManuallyDrop<T>,
}

impl<T> PerProcess<T> {
    /// `value`, made in this generation.
    pub(crate) fn new(value: T) -> Self {
        Self {
            generation: generation(),
            value: ManuallyDrop::new(value),
        }
    }

    /// Whether this process made it (false in a child forked after it was made).
    pub(crate) fn is_current(&self) -> bool {
        self.generation == generation()
    }

    pub(crate) fn get(&self) -> &T {
        &self.value
    }

    /// The value, when this process made it; in a forked child it is leaked and this is `None`.
    pub(crate) fn into_current(self) -> Option<T> {
        let mut this = ManuallyDrop::new(self);
        // SAFETY: `this` is never dropped, so `value` is taken out of it once, here.
        this.is_current()
            .then(|| unsafe { ManuallyDrop::take(&mut this.value) })
    }
}

impl<T> Drop for PerProcess<T> {
    fn drop(&mut self) {
        if self.is_current() {
            // SAFETY: `value` is dropped here, once, and `self` is never used again.
            unsafe { ManuallyDrop::drop(&mut self.value) }
        }
    }
}

/// `os.register_at_fork(after_in_child=...)`: the child starts a new generation.
#[pyfunction]
pub(crate) fn _after_fork_in_child() {
    GENERATION.fetch_add(1, Ordering::AcqRel);
}

/// Registers [`_after_fork_in_child`] with `os.register_at_fork` (called once, when the native
/// module is imported).
pub(crate) fn register_fork_hook(module: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = module.py();
    let kwargs = PyDict::new(py);
    kwargs.set_item("after_in_child", module.getattr("_after_fork_in_child")?)?;
    py.import("os")?
        .getattr("register_at_fork")?
        .call((), Some(&kwargs))?;
    Ok(())
}

/// Set by [`_before_exit`]: asyncio tasks are no longer polled (see the module doc).
static EXITING: AtomicBool = AtomicBool::new(false);
/// Polls of asyncio tasks (and blocking jobs) running right now.
static POLLS_RUNNING: AtomicUsize = AtomicUsize::new(0);

/// `atexit`: from now on no asyncio task is polled (one that wakes is leaked, unpolled), and the
/// polls already running are waited for (at most 2 s) with the GIL released, so that no worker
/// thread holds or asks for the GIL once the interpreter finalizes.
#[pyfunction]
pub(crate) fn _before_exit(py: Python<'_>) {
    EXITING.store(true, Ordering::SeqCst);
    py.detach(|| {
        let deadline = std::time::Instant::now() + Duration::from_secs(2);
        while POLLS_RUNNING.load(Ordering::SeqCst) > 0 && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(1));
        }
    });
}

/// Registers [`_before_exit`] with `atexit` (called once, when the native module is imported).
pub(crate) fn register_exit_hook(module: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = module.py();
    py.import("atexit")?
        .getattr("register")?
        .call1((module.getattr("_before_exit")?,))?;
    Ok(())
}

/// A task spawned for asyncio, polled only until the interpreter starts to exit. After that it is
/// leaked instead of polled or dropped: both may touch Python objects.
struct ExitGuard<F> {
    task: Option<Pin<Box<F>>>,
}

impl<F: Future<Output = ()>> Future for ExitGuard<F> {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        // Counted before the flag is read: `_before_exit` either sees this poll or this poll sees
        // the flag (both SeqCst).
        POLLS_RUNNING.fetch_add(1, Ordering::SeqCst);
        let polled = if EXITING.load(Ordering::SeqCst) {
            std::mem::forget(self.task.take());
            Poll::Ready(())
        } else {
            match self.task.as_mut() {
                Some(task) => task.as_mut().poll(cx),
                None => Poll::Ready(()),
            }
        };
        POLLS_RUNNING.fetch_sub(1, Ordering::SeqCst);
        polled
    }
}

impl<F> Drop for ExitGuard<F> {
    fn drop(&mut self) {
        if EXITING.load(Ordering::SeqCst) {
            std::mem::forget(self.task.take());
        }
    }
}

/// [`runtime`] as a pyo3-async-runtimes runtime, so asyncio awaitables run on it.
struct OlumiRuntime;

tokio::task_local! {
    static TASK_LOCALS: OnceCell<TaskLocals>;
}

impl GenericRuntime for OlumiRuntime {
    type JoinError = tokio::task::JoinError;
    type JoinHandle = JoinHandle<()>;

    fn spawn<F>(fut: F) -> Self::JoinHandle
    where
        F: Future<Output = ()> + Send + 'static,
    {
        runtime().spawn(ExitGuard {
            task: Some(Box::pin(fut)),
        })
    }

    fn spawn_blocking<F>(f: F) -> Self::JoinHandle
    where
        F: FnOnce() + Send + 'static,
    {
        // pyo3-async-runtimes hands asyncio its result from here (a blocking thread that takes
        // the GIL), so this is guarded like the tasks.
        runtime().spawn_blocking(move || {
            POLLS_RUNNING.fetch_add(1, Ordering::SeqCst);
            if EXITING.load(Ordering::SeqCst) {
                std::mem::forget(f);
            } else {
                f();
            }
            POLLS_RUNNING.fetch_sub(1, Ordering::SeqCst);
        })
    }
}

impl ContextExt for OlumiRuntime {
    fn scope<F, R>(locals: TaskLocals, fut: F) -> Pin<Box<dyn Future<Output = R> + Send>>
    where
        F: Future<Output = R> + Send + 'static,
    {
        Box::pin(TASK_LOCALS.scope(OnceCell::from(locals), fut))
    }

    fn get_task_locals() -> Option<TaskLocals> {
        TASK_LOCALS
            .try_with(|cell| cell.get().cloned())
            .unwrap_or_default()
    }
}

/// Runs `f` (synchronous code holding the GIL, such as a conversion), turning a panic inside it
/// into `olumi.InternalError`, as the futures are (see the module doc).
pub(crate) fn catch_panic<T>(f: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    std::panic::catch_unwind(AssertUnwindSafe(f))
        .unwrap_or_else(|payload| Err(to_py(olumi::Error::from_panic(&*payload))))
}

/// Polls `fut` once, inside the runtime's context (reqwest needs its reactor), with a waker that
/// does nothing: the caller polls again with a real one if this returns `Pending`.
fn poll_now<F: Future + ?Sized>(fut: Pin<&mut F>) -> Poll<F::Output> {
    let _context = runtime().enter();
    fut.poll(&mut Context::from_waker(Waker::noop()))
}

/// Runs `fut` to completion with the GIL released, checking for Ctrl-C every 50 ms. When Python
/// raises (KeyboardInterrupt), the future is dropped, which closes its connection.
///
/// A panic inside `fut` raises `olumi.InternalError`.
///
/// Never call it from a tokio worker thread (the runtime would panic); Python threads are fine.
pub(crate) fn block_on<T: Send>(
    py: Python<'_>,
    fut: impl Future<Output = T> + Send,
) -> PyResult<T> {
    let mut fut = pin!(catch_unwind(fut));
    if let Poll::Ready(out) = poll_now(fut.as_mut()) {
        return out.map_err(to_py);
    }
    let rt = runtime();
    py.detach(|| {
        rt.block_on(async {
            let mut tick = tokio::time::interval_at(
                tokio::time::Instant::now() + Duration::from_millis(50),
                Duration::from_millis(50),
            );
            loop {
                tokio::select! {
                    biased;
                    out = &mut fut => return out.map_err(to_py),
                    _ = tick.tick() => Python::attach(|py| py.check_signals())?,
                }
            }
        })
    })
}

/// An asyncio awaitable for a core future; cancelling the asyncio task drops the future. A panic
/// inside `fut` raises `olumi.InternalError` from the awaitable.
pub(crate) fn awaitable<'py, F, T>(py: Python<'py>, fut: F) -> PyResult<Bound<'py, PyAny>>
where
    F: Future<Output = PyResult<T>> + Send + 'static,
    T: for<'a> IntoPyObject<'a> + Send + 'static,
{
    pyo3_async_runtimes::generic::future_into_py::<OlumiRuntime, _, _>(py, async move {
        catch_unwind(fut).await.map_err(to_py)?
    })
}

/// Like [`awaitable`], but when the future is ready at once its result is handed back in an
/// already-finished awaitable, without a round trip through the runtime and the event loop.
pub(crate) fn awaitable_now<'py, F>(py: Python<'py>, fut: F) -> PyResult<Bound<'py, PyAny>>
where
    F: Future<Output = PyResult<Py<PyAny>>> + Send + 'static,
{
    let mut fut = Box::pin(catch_unwind(fut));
    match poll_now(fut.as_mut()) {
        Poll::Ready(result) => Ok(Bound::new(
            py,
            Ready {
                result: Some(result.map_err(to_py).and_then(|r| r)),
            },
        )?
        .into_any()),
        Poll::Pending => awaitable(py, async move { fut.await.map_err(to_py)? }),
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
