//! `olumi.testing.MockServer`: the `olumi-mock` server run in-process on 127.0.0.1, for tests.

use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use olumi_mock::{AuthMode, FaultInjection, MockServerBuilder, RecordMatch};
use pyo3::exceptions::PyAssertionError;
use pyo3::prelude::*;
use pyo3::types::{PyList, PyTuple};

use crate::convert::{json_to_py, py_to_json};
use crate::errors::to_py;
use crate::runtime::{PerProcess, block_on};
use olumi::SetIfSome;

fn config_error(message: impl std::fmt::Display) -> PyErr {
    to_py(olumi::Error::config(message.to_string()))
}

/// A mock Olumi Assistants Service on `127.0.0.1` (a free port), running in this process until
/// `stop()` or the end of its `with` block.
///
/// After `os.fork()` the server keeps running in the parent (children reach it at its URL); in a
/// child, its methods raise `ConfigError` and `stop()` does nothing.
#[pyclass(frozen, module = "olumi._native")]
pub(crate) struct MockServer {
    url: String,
    server: Mutex<Option<PerProcess<olumi_mock::MockServer>>>,
}

impl MockServer {
    fn with<T>(&self, f: impl FnOnce(&olumi_mock::MockServer) -> T) -> PyResult<T> {
        let server = self.server.lock().unwrap_or_else(PoisonError::into_inner);
        match &*server {
            None => Err(config_error("the mock server is stopped")),
            Some(server) if !server.is_current() => Err(config_error(
                "the mock server runs in the parent process (this is a forked child)",
            )),
            Some(server) => Ok(f(server.get())),
        }
    }
}

/// A matcher dict (None: match everything), checked by the mock's own parser.
fn request_matcher(matcher: Option<&Bound<'_, PyAny>>) -> PyResult<olumi_mock::RequestMatcher> {
    let value = match matcher {
        Some(m) if !m.is_none() => py_to_json(m)?,
        _ => serde_json::Value::Object(serde_json::Map::new()),
    };
    olumi_mock::RequestMatcher::from_value(value).map_err(config_error)
}

fn entries_to_py<'py>(
    py: Python<'py>,
    entries: &[olumi_mock::JournalEntry],
) -> PyResult<Bound<'py, PyList>> {
    let list = PyList::empty(py);
    for entry in entries {
        let value = serde_json::to_value(entry).map_err(config_error)?;
        list.append(json_to_py(py, &value)?)?;
    }
    Ok(list)
}

#[pymethods]
impl MockServer {
    #[new]
    #[pyo3(signature = (*, fixtures=None, hmac_secret=None, api_keys=Vec::new(), auth="compat", heartbeat_ms=None,
        seed=None, rpm=None, sse_rpm=None, resume_state=true, quirks=false, builtin_fixtures=true,
        proxy_to=None, upstream_hmac_secret=None, upstream_api_key=None, record=None, record_match="path",
        redis_url=None, redis_prefix=None))]
    #[allow(
        clippy::too_many_arguments,
        reason = "the Python constructor's keyword arguments"
    )]
    fn new(
        py: Python<'_>,
        fixtures: Option<std::path::PathBuf>,
        hmac_secret: Option<String>,
        api_keys: Vec<String>,
        auth: &str,
        heartbeat_ms: Option<u64>,
        seed: Option<u64>,
        rpm: Option<u32>,
        sse_rpm: Option<u32>,
        resume_state: bool,
        quirks: bool,
        builtin_fixtures: bool,
        proxy_to: Option<String>,
        upstream_hmac_secret: Option<String>,
        upstream_api_key: Option<String>,
        record: Option<std::path::PathBuf>,
        record_match: &str,
        redis_url: Option<String>,
        redis_prefix: Option<String>,
    ) -> PyResult<Self> {
        let record_match = record_match.parse::<RecordMatch>().map_err(config_error)?;
        let builder = olumi_mock::MockServer::builder()
            .auth_mode(auth.parse::<AuthMode>().map_err(config_error)?)
            .api_keys(api_keys)
            .resume_state(resume_state)
            .quirks(quirks)
            .builtin_fixtures(builtin_fixtures)
            .set_if_some(fixtures, MockServerBuilder::fixtures_dir)
            .set_if_some(hmac_secret, MockServerBuilder::hmac_secret)
            .set_if_some(
                heartbeat_ms.map(Duration::from_millis),
                MockServerBuilder::heartbeat,
            )
            .set_if_some(seed, MockServerBuilder::seed)
            .set_if_some(rpm, MockServerBuilder::rpm)
            .set_if_some(sse_rpm, MockServerBuilder::sse_rpm)
            .set_if_some(proxy_to, |b, url| {
                b.proxy_to(url).record_match(record_match)
            })
            .set_if_some(
                upstream_hmac_secret,
                MockServerBuilder::upstream_hmac_secret,
            )
            .set_if_some(upstream_api_key, MockServerBuilder::upstream_api_key)
            .set_if_some(record, MockServerBuilder::record_dir)
            .set_if_some(redis_url, MockServerBuilder::redis_url)
            .set_if_some(redis_prefix, MockServerBuilder::redis_prefix);
        let server = block_on(py, builder.start())?.map_err(config_error)?;
        Ok(Self {
            url: server.url(),
            server: Mutex::new(Some(PerProcess::new(server))),
        })
    }

    /// The base URL, such as `http://127.0.0.1:43117`.
    #[getter]
    fn url(&self) -> &str {
        &self.url
    }

    /// Every recorded request, oldest first, as dicts (secrets redacted); with `since=SEQ`, only
    /// those after sequence number SEQ.
    #[pyo3(signature = (*, since=0))]
    fn journal<'py>(&self, py: Python<'py>, since: u64) -> PyResult<Bound<'py, PyList>> {
        let entries = self.with(|server| server.journal_since(since))?;
        entries_to_py(py, &entries)
    }

    /// The recorded requests that `matcher` matches (a dict: method, path, query, headers,
    /// body_contains, verdict, status, source), oldest first.
    #[pyo3(signature = (matcher=None))]
    fn find_requests<'py>(
        &self,
        py: Python<'py>,
        matcher: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyList>> {
        let matcher = request_matcher(matcher)?;
        let entries = self.with(|server| server.find_requests(&matcher))?;
        entries_to_py(py, &entries)
    }

    /// Asserts that `matcher` matches exactly `times` recorded requests (at least one when
    /// `times` is None) and returns how many did; raises `AssertionError` listing the nearest
    /// requests otherwise.
    #[pyo3(signature = (matcher=None, *, times=None))]
    fn verify(&self, matcher: Option<&Bound<'_, PyAny>>, times: Option<usize>) -> PyResult<usize> {
        let matcher = request_matcher(matcher)?;
        self.with(|server| server.verify(&matcher, times))?
            .map_err(|e| PyAssertionError::new_err(e.message))
    }

    /// Injects a fault (the `X-Mock-Fault` syntax, e.g. `"status=503,times=2"`) for matching
    /// requests; returns its id.
    #[pyo3(signature = (spec, *, path=None, method=None, fixture=None))]
    fn inject_fault(
        &self,
        spec: &str,
        path: Option<&str>,
        method: Option<&str>,
        fixture: Option<&str>,
    ) -> PyResult<u64> {
        let injection = FaultInjection::parse(spec)
            .map_err(config_error)?
            .set_if_some(path, FaultInjection::path)
            .set_if_some(method, FaultInjection::method)
            .set_if_some(fixture, FaultInjection::fixture);
        self.with(|server| server.inject_fault(injection))
    }

    /// Removes the injected faults.
    fn clear_faults(&self) -> PyResult<()> {
        self.with(olumi_mock::MockServer::clear_faults)
    }

    /// Back to the start state: empty journal, no faults, full rate limits, no nonces or streams.
    fn reset(&self) -> PyResult<()> {
        self.with(olumi_mock::MockServer::reset)
    }

    /// Sets a fixture scenario's state.
    fn set_scenario(&self, name: &str, state: &str) -> PyResult<()> {
        self.with(|server| server.set_scenario(name, state))
    }

    /// Stops the server and waits for its connections to close (idempotent).
    fn stop(&self, py: Python<'_>) -> PyResult<()> {
        let server = self
            .server
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        // In a forked child the server is the parent's: leaving it is all a child may do.
        if let Some(server) = server.and_then(PerProcess::into_current) {
            block_on(py, server.shutdown())?;
        }
        Ok(())
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_exc))]
    fn __exit__(&self, py: Python<'_>, _exc: &Bound<'_, PyTuple>) -> PyResult<()> {
        self.stop(py)
    }

    fn __repr__(&self) -> String {
        format!("MockServer(url={:?})", self.url)
    }
}
