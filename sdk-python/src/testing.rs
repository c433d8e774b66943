//! `olumi.testing.MockServer`: the `olumi-mock` server run in-process on 127.0.0.1, for tests.

use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use olumi_mock::{AuthMode, FaultInjection, MockServerBuilder};
use pyo3::prelude::*;
use pyo3::types::{PyList, PyTuple};

use crate::convert::json_to_py;
use crate::errors::to_py;
use crate::runtime::{PerProcess, block_on};

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

#[pymethods]
impl MockServer {
    #[new]
    #[pyo3(signature = (*, fixtures=None, hmac_secret=None, api_keys=Vec::new(), auth="compat", heartbeat_ms=None,
        seed=None, rpm=None, sse_rpm=None, resume_state=true, quirks=false, redis_url=None, redis_prefix=None))]
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
        redis_url: Option<String>,
        redis_prefix: Option<String>,
    ) -> PyResult<Self> {
        let mut builder: MockServerBuilder = olumi_mock::MockServer::builder()
            .auth_mode(auth.parse::<AuthMode>().map_err(config_error)?)
            .api_keys(api_keys)
            .resume_state(resume_state)
            .quirks(quirks);
        if let Some(dir) = fixtures {
            builder = builder.fixtures_dir(dir);
        }
        if let Some(secret) = hmac_secret {
            builder = builder.hmac_secret(secret);
        }
        if let Some(ms) = heartbeat_ms {
            builder = builder.heartbeat(Duration::from_millis(ms));
        }
        if let Some(seed) = seed {
            builder = builder.seed(seed);
        }
        if let Some(rpm) = rpm {
            builder = builder.rpm(rpm);
        }
        if let Some(rpm) = sse_rpm {
            builder = builder.sse_rpm(rpm);
        }
        if let Some(url) = redis_url {
            builder = builder.redis_url(url);
        }
        if let Some(prefix) = redis_prefix {
            builder = builder.redis_prefix(prefix);
        }
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

    /// Every recorded request, oldest first, as dicts (secrets redacted).
    fn journal<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let entries = self.with(olumi_mock::MockServer::journal)?;
        let list = PyList::empty(py);
        for entry in entries {
            let value = serde_json::to_value(&entry).map_err(config_error)?;
            list.append(json_to_py(py, &value)?)?;
        }
        Ok(list)
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
        let mut injection = FaultInjection::parse(spec).map_err(config_error)?;
        if let Some(path) = path {
            injection = injection.path(path);
        }
        if let Some(method) = method {
            injection = injection.method(method);
        }
        if let Some(fixture) = fixture {
            injection = injection.fixture(fixture);
        }
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
