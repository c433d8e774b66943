//! `Client` (blocking) and `AsyncClient` (asyncio): each method converts its arguments, calls
//! one method of the core's [`olumi::Client`], and converts the result.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{PoisonError, RwLock};
use std::time::Duration;

use olumi::Error;
use olumi::models::{
    CeeDraftGraphRequest, ClarifyBriefRequest, CritiqueGraphRequest, DraftGraphInput,
    EvidencePackRequest, ExplainDiffRequest, SuggestOptionsRequest,
};
use olumi::signing::BodyHashMode;
use pyo3::prelude::*;
use pyo3::types::PyTuple;
use serde::Serialize;
use serde_json::Value;

use crate::convert::{Model, py_to_json, request, respond, respond_bytes, respond_json};
use crate::errors::to_py;
use crate::runtime::{PerProcess, awaitable, block_on};
use crate::stream::{AsyncEventStream, EventStream, StreamCore};

/// The constructor arguments shared by both clients.
#[derive(Clone)]
pub(crate) struct ClientOptions {
    base_url: String,
    api_key: Option<String>,
    bearer_token: Option<String>,
    hmac_secret: Option<String>,
    body_hash: String,
    timeout: f64,
    connect_timeout: f64,
    stream_idle_timeout: f64,
    max_retries: u32,
    verify_response_hash: bool,
    headers: Option<HashMap<String, String>>,
}

fn seconds(option: &str, value: f64) -> Result<Duration, Error> {
    Duration::try_from_secs_f64(value).map_err(|_| {
        Error::config(format!(
            "{option} must be a finite, non-negative number of seconds"
        ))
    })
}

impl TryFrom<ClientOptions> for olumi::Client {
    type Error = Error;

    fn try_from(o: ClientOptions) -> Result<Self, Error> {
        let body_hash: BodyHashMode = o.body_hash.parse()?;
        let mut builder = Self::builder(o.base_url)
            .user_agent(concat!("olumi-python/", env!("CARGO_PKG_VERSION")))
            .request_timeout(seconds("timeout", o.timeout)?)
            .connect_timeout(seconds("connect_timeout", o.connect_timeout)?)
            .stream_idle_timeout(seconds("stream_idle_timeout", o.stream_idle_timeout)?)
            .max_retries(o.max_retries)
            .verify_response_hash(o.verify_response_hash);
        if let Some(key) = o.api_key {
            builder = builder.api_key(key);
        }
        if let Some(token) = o.bearer_token {
            builder = builder.bearer_token(token);
        }
        if let Some(secret) = o.hmac_secret {
            builder = builder.hmac_secret(secret, body_hash);
        }
        for (name, value) in o.headers.into_iter().flatten() {
            builder = builder.header(name, value);
        }
        builder.build()
    }
}

/// The core client until `close()`.
struct Handle {
    base_url: String,
    /// Kept to rebuild the connection pool in a forked child (see [`Handle::get`]).
    options: ClientOptions,
    core: RwLock<Option<PerProcess<olumi::Client>>>,
}

fn build(options: &ClientOptions) -> PyResult<PerProcess<olumi::Client>> {
    let client = olumi::Client::try_from(options.clone()).map_err(to_py)?;
    Ok(PerProcess::new(client))
}

impl Handle {
    fn new(options: ClientOptions) -> PyResult<Self> {
        Ok(Self {
            base_url: options.base_url.clone(),
            core: RwLock::new(Some(build(&options)?)),
            options,
        })
    }

    /// The core client. In a child forked after this client was made, the inherited pool's
    /// connections belong to the parent's runtime, whose threads are gone (and their sockets
    /// are the parent's): the first call there builds a new pool, so an inherited client works.
    fn get(&self) -> PyResult<olumi::Client> {
        {
            let core = self.core.read().unwrap_or_else(PoisonError::into_inner);
            match &*core {
                None => return Err(to_py(Error::config("the client is closed"))),
                Some(current) if current.is_current() => return Ok(current.get().clone()),
                Some(_) => {}
            }
        }
        let mut core = self.core.write().unwrap_or_else(PoisonError::into_inner);
        match &mut *core {
            None => Err(to_py(Error::config("the client is closed"))),
            Some(current) => {
                if !current.is_current() {
                    *current = build(&self.options)?;
                }
                Ok(current.get().clone())
            }
        }
    }

    fn close(&self) {
        self.core
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
    }
}

/// Runs a core call to completion (GIL released) and converts its result to `model`.
fn call<T: Serialize + Send>(
    py: Python<'_>,
    model: Model,
    fut: impl Future<Output = Result<T, Error>> + Send,
) -> PyResult<Py<PyAny>> {
    respond(model, block_on(py, fut)?)
}

/// The asyncio awaitable of a core call whose result converts to `model`.
fn spawn<T: Serialize + Send + 'static>(
    py: Python<'_>,
    model: Model,
    fut: impl Future<Output = Result<T, Error>> + Send + 'static,
) -> PyResult<Bound<'_, PyAny>> {
    awaitable(py, async move { respond(model, fut.await) })
}

/// A blocking client of the Olumi Assistants Service. Thread-safe; one connection pool.
#[pyclass(frozen, module = "olumi._native")]
pub(crate) struct Client {
    handle: Handle,
}

/// An asyncio client of the Olumi Assistants Service; every method returns an awaitable.
#[pyclass(frozen, module = "olumi._native")]
pub(crate) struct AsyncClient {
    handle: Handle,
}

#[pymethods]
impl Client {
    #[new]
    #[pyo3(signature = (base_url, *, api_key=None, bearer_token=None, hmac_secret=None, body_hash="unbound",
        timeout=60.0, connect_timeout=5.0, stream_idle_timeout=30.0, max_retries=2, verify_response_hash=true, headers=None))]
    #[allow(
        clippy::too_many_arguments,
        reason = "the Python constructor's keyword arguments"
    )]
    fn new(
        base_url: String,
        api_key: Option<String>,
        bearer_token: Option<String>,
        hmac_secret: Option<String>,
        body_hash: &str,
        timeout: f64,
        connect_timeout: f64,
        stream_idle_timeout: f64,
        max_retries: u32,
        verify_response_hash: bool,
        headers: Option<HashMap<String, String>>,
    ) -> PyResult<Self> {
        let options = ClientOptions {
            base_url,
            api_key,
            bearer_token,
            hmac_secret,
            body_hash: body_hash.to_owned(),
            timeout,
            connect_timeout,
            stream_idle_timeout,
            max_retries,
            verify_response_hash,
            headers,
        };
        Ok(Self {
            handle: Handle::new(options)?,
        })
    }

    fn health(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let core = self.handle.get()?;
        call(py, Model::Health, async move { core.health().await })
    }

    fn status(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let core = self.handle.get()?;
        call(py, Model::Status, async move { core.status().await })
    }

    fn limits(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let core = self.handle.get()?;
        call(py, Model::Limits, async move { core.limits().await })
    }

    fn draft_graph(&self, py: Python<'_>, request: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let (core, input) = (
            self.handle.get()?,
            self::request::<DraftGraphInput>(request)?,
        );
        call(py, Model::DraftGraphOutput, async move {
            core.draft_graph(&input).await
        })
    }

    fn draft_graph_stream(
        &self,
        py: Python<'_>,
        request: &Bound<'_, PyAny>,
    ) -> PyResult<EventStream> {
        let (core, input) = (
            self.handle.get()?,
            self::request::<DraftGraphInput>(request)?,
        );
        EventStream::open(
            py,
            StreamCore::new(async move { core.draft_graph_stream(&input).await }),
        )
    }

    #[pyo3(signature = (token, live=true))]
    fn resume(&self, py: Python<'_>, token: String, live: bool) -> PyResult<EventStream> {
        let core = self.handle.get()?;
        EventStream::open(
            py,
            StreamCore::new(async move { core.resume(&token, live).await }),
        )
    }

    fn suggest_options(&self, py: Python<'_>, request: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let (core, req) = (
            self.handle.get()?,
            self::request::<SuggestOptionsRequest>(request)?,
        );
        call(py, Model::SuggestOptionsResponse, async move {
            core.suggest_options(&req).await
        })
    }

    fn clarify_brief(&self, py: Python<'_>, request: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let (core, req) = (
            self.handle.get()?,
            self::request::<ClarifyBriefRequest>(request)?,
        );
        call(py, Model::ClarifyBriefResponse, async move {
            core.clarify_brief(&req).await
        })
    }

    fn critique_graph(&self, py: Python<'_>, request: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let (core, req) = (
            self.handle.get()?,
            self::request::<CritiqueGraphRequest>(request)?,
        );
        call(py, Model::CritiqueGraphResponse, async move {
            core.critique_graph(&req).await
        })
    }

    fn explain_diff(&self, py: Python<'_>, request: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let (core, req) = (
            self.handle.get()?,
            self::request::<ExplainDiffRequest>(request)?,
        );
        call(py, Model::ExplainDiffResponse, async move {
            core.explain_diff(&req).await
        })
    }

    fn evidence_pack(&self, py: Python<'_>, request: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let (core, req) = (
            self.handle.get()?,
            self::request::<EvidencePackRequest>(request)?,
        );
        respond_bytes(block_on(py, async move { core.evidence_pack(&req).await })?)
    }

    fn cee_draft_graph(&self, py: Python<'_>, request: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let (core, req) = (
            self.handle.get()?,
            self::request::<CeeDraftGraphRequest>(request)?,
        );
        call(py, Model::CeeDraftGraphResponse, async move {
            core.cee_draft_graph(&req).await
        })
    }

    fn post_json(
        &self,
        py: Python<'_>,
        path: String,
        body: &Bound<'_, PyAny>,
    ) -> PyResult<Py<PyAny>> {
        let (core, body) = (self.handle.get()?, py_to_json(body)?);
        respond_json(block_on(py, async move {
            core.post_json::<Value, Value>(&path, &body).await
        })?)
    }

    fn get_json(&self, py: Python<'_>, path: String) -> PyResult<Py<PyAny>> {
        let core = self.handle.get()?;
        respond_json(block_on(
            py,
            async move { core.get_json::<Value>(&path).await },
        )?)
    }

    /// Releases the connection pool; later calls raise `ConfigError`.
    fn close(&self) {
        self.handle.close();
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_exc))]
    fn __exit__(&self, _exc: &Bound<'_, PyTuple>) {
        self.handle.close();
    }

    fn __repr__(&self) -> String {
        format!("olumi.Client(base_url={:?})", self.handle.base_url)
    }
}

#[pymethods]
impl AsyncClient {
    #[new]
    #[pyo3(signature = (base_url, *, api_key=None, bearer_token=None, hmac_secret=None, body_hash="unbound",
        timeout=60.0, connect_timeout=5.0, stream_idle_timeout=30.0, max_retries=2, verify_response_hash=true, headers=None))]
    #[allow(
        clippy::too_many_arguments,
        reason = "the Python constructor's keyword arguments"
    )]
    fn new(
        base_url: String,
        api_key: Option<String>,
        bearer_token: Option<String>,
        hmac_secret: Option<String>,
        body_hash: &str,
        timeout: f64,
        connect_timeout: f64,
        stream_idle_timeout: f64,
        max_retries: u32,
        verify_response_hash: bool,
        headers: Option<HashMap<String, String>>,
    ) -> PyResult<Self> {
        let options = ClientOptions {
            base_url,
            api_key,
            bearer_token,
            hmac_secret,
            body_hash: body_hash.to_owned(),
            timeout,
            connect_timeout,
            stream_idle_timeout,
            max_retries,
            verify_response_hash,
            headers,
        };
        Ok(Self {
            handle: Handle::new(options)?,
        })
    }

    fn health<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let core = self.handle.get()?;
        spawn(py, Model::Health, async move { core.health().await })
    }

    fn status<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let core = self.handle.get()?;
        spawn(py, Model::Status, async move { core.status().await })
    }

    fn limits<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let core = self.handle.get()?;
        spawn(py, Model::Limits, async move { core.limits().await })
    }

    fn draft_graph<'py>(
        &self,
        py: Python<'py>,
        request: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (core, input) = (
            self.handle.get()?,
            self::request::<DraftGraphInput>(request)?,
        );
        spawn(py, Model::DraftGraphOutput, async move {
            core.draft_graph(&input).await
        })
    }

    fn draft_graph_stream(&self, request: &Bound<'_, PyAny>) -> PyResult<AsyncEventStream> {
        let (core, input) = (
            self.handle.get()?,
            self::request::<DraftGraphInput>(request)?,
        );
        Ok(AsyncEventStream::new(StreamCore::new(async move {
            core.draft_graph_stream(&input).await
        })))
    }

    #[pyo3(signature = (token, live=true))]
    fn resume(&self, token: String, live: bool) -> PyResult<AsyncEventStream> {
        let core = self.handle.get()?;
        Ok(AsyncEventStream::new(StreamCore::new(async move {
            core.resume(&token, live).await
        })))
    }

    fn suggest_options<'py>(
        &self,
        py: Python<'py>,
        request: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (core, req) = (
            self.handle.get()?,
            self::request::<SuggestOptionsRequest>(request)?,
        );
        spawn(py, Model::SuggestOptionsResponse, async move {
            core.suggest_options(&req).await
        })
    }

    fn clarify_brief<'py>(
        &self,
        py: Python<'py>,
        request: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (core, req) = (
            self.handle.get()?,
            self::request::<ClarifyBriefRequest>(request)?,
        );
        spawn(py, Model::ClarifyBriefResponse, async move {
            core.clarify_brief(&req).await
        })
    }

    fn critique_graph<'py>(
        &self,
        py: Python<'py>,
        request: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (core, req) = (
            self.handle.get()?,
            self::request::<CritiqueGraphRequest>(request)?,
        );
        spawn(py, Model::CritiqueGraphResponse, async move {
            core.critique_graph(&req).await
        })
    }

    fn explain_diff<'py>(
        &self,
        py: Python<'py>,
        request: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (core, req) = (
            self.handle.get()?,
            self::request::<ExplainDiffRequest>(request)?,
        );
        spawn(py, Model::ExplainDiffResponse, async move {
            core.explain_diff(&req).await
        })
    }

    fn evidence_pack<'py>(
        &self,
        py: Python<'py>,
        request: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (core, req) = (
            self.handle.get()?,
            self::request::<EvidencePackRequest>(request)?,
        );
        awaitable(
            py,
            async move { respond_bytes(core.evidence_pack(&req).await) },
        )
    }

    fn cee_draft_graph<'py>(
        &self,
        py: Python<'py>,
        request: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (core, req) = (
            self.handle.get()?,
            self::request::<CeeDraftGraphRequest>(request)?,
        );
        spawn(py, Model::CeeDraftGraphResponse, async move {
            core.cee_draft_graph(&req).await
        })
    }

    fn post_json<'py>(
        &self,
        py: Python<'py>,
        path: String,
        body: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (core, body) = (self.handle.get()?, py_to_json(body)?);
        awaitable(py, async move {
            respond_json(core.post_json::<Value, Value>(&path, &body).await)
        })
    }

    fn get_json<'py>(&self, py: Python<'py>, path: String) -> PyResult<Bound<'py, PyAny>> {
        let core = self.handle.get()?;
        awaitable(py, async move {
            respond_json(core.get_json::<Value>(&path).await)
        })
    }

    /// Releases the connection pool; later calls raise `ConfigError`.
    fn close(&self) {
        self.handle.close();
    }

    /// `close()` as an awaitable, for symmetry with `async with`.
    fn aclose<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.handle.close();
        awaitable(py, async { Ok(()) })
    }

    fn __aenter__<'py>(slf: Py<Self>, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        awaitable(py, async move { Ok(slf) })
    }

    #[pyo3(signature = (*_exc))]
    fn __aexit__<'py>(
        &self,
        py: Python<'py>,
        _exc: &Bound<'py, PyTuple>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.aclose(py)
    }

    fn __repr__(&self) -> String {
        format!("olumi.AsyncClient(base_url={:?})", self.handle.base_url)
    }
}
