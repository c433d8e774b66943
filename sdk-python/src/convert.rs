//! Conversions between Python objects and the core's serde models, through `serde_json::Value`.
//!
//! Requests: a `dict` (or a model object with `to_dict()`) becomes JSON, then the core's typed
//! request model, so a wrong shape fails here with the path of the offending field. Responses:
//! the core's model becomes JSON, then plain Python values wrapped in the `olumi._models` class of
//! the same name.

use olumi::routes::Method;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{
    PyBool, PyByteArray, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple, PyType,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Number, Value};

use crate::errors::to_py;
use crate::runtime::catch_panic;

/// Deepest nesting accepted from Python, so a self-referencing dict cannot overflow the stack.
const MAX_DEPTH: usize = 128;

/// A JSON value as a Python object (`dict`, `list`, `str`, `int`, `float`, `bool`, `None`).
pub(crate) fn json_to_py<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => i.into_pyobject(py)?.into_any(),
            (None, Some(u)) => u.into_pyobject(py)?.into_any(),
            (None, None) => PyFloat::new(py, n.as_f64().unwrap_or(f64::NAN)).into_any(),
        },
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(json_to_py(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (key, item) in map {
                dict.set_item(key, json_to_py(py, item)?)?;
            }
            dict.into_any()
        }
    })
}

/// A Python object as a JSON value; errors name the position (`request.graph.nodes[0]`).
pub(crate) fn py_to_json(obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    catch_panic(|| to_json_at(obj, &mut String::from("request"), 0))
}

fn to_json_at(obj: &Bound<'_, PyAny>, path: &mut String, depth: usize) -> PyResult<Value> {
    if depth > MAX_DEPTH {
        return Err(config(format!(
            "{path}: nested more than {MAX_DEPTH} levels deep"
        )));
    }
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if let Ok(i) = obj.cast::<PyInt>() {
        if let Ok(v) = i.extract::<i64>() {
            return Ok(Value::from(v));
        }
        return i
            .extract::<u64>()
            .map(Value::from)
            .map_err(|_| config(format!("{path}: the integer does not fit in 64 bits")));
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return Number::from_f64(f.value())
            .map(Value::Number)
            .ok_or_else(|| config(format!("{path}: NaN and infinities are not JSON")));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Value::String(s.to_str()?.to_owned()));
    }
    if let Ok(dict) = obj.cast::<PyDict>() {
        let mut map = Map::with_capacity(dict.len());
        for (key, item) in dict.iter() {
            let Ok(key) = key.cast::<PyString>() else {
                return Err(config(format!(
                    "{path}: dict keys must be str, not {}",
                    type_name(&key)
                )));
            };
            let key = key.to_str()?.to_owned();
            let len = path.len();
            path.push('.');
            path.push_str(&key);
            let value = to_json_at(&item, path, depth + 1)?;
            path.truncate(len);
            map.insert(key, value);
        }
        return Ok(Value::Object(map));
    }
    if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
        let mut items = Vec::new();
        for (i, item) in obj.try_iter()?.enumerate() {
            let len = path.len();
            path.push_str(&format!("[{i}]"));
            items.push(to_json_at(&item?, path, depth + 1)?);
            path.truncate(len);
        }
        return Ok(Value::Array(items));
    }
    // A model object (`olumi._models._Model`) or any mapping-like object with `to_dict()`.
    if let Ok(to_dict) = obj.getattr(pyo3::intern!(obj.py(), "to_dict")) {
        return to_json_at(&to_dict.call0()?, path, depth + 1);
    }
    Err(config(format!(
        "{path}: a {} cannot be sent as JSON",
        type_name(obj)
    )))
}

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map_or_else(|_| "object".to_owned(), |n| n.to_string())
}

fn config(message: String) -> PyErr {
    to_py(olumi::Error::config(message))
}

/// A method argument read as the core's typed request `T` (from a dict, a model object, or any
/// JSON-like value); a wrong shape is a `ConfigError` naming the field.
#[derive(Debug)]
pub(crate) struct Json<T>(T);

impl<T> Json<T> {
    pub(crate) fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for Json<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<'a, 'py, T: DeserializeOwned> FromPyObject<'a, 'py> for Json<T> {
    type Error = PyErr;

    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        request(&obj).map(Self)
    }
}

/// An HTTP method argument (`"GET"`, `"delete"`, ...; any case); another name is a
/// `ConfigError`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct HttpMethod(pub(crate) Method);

impl<'a, 'py> FromPyObject<'a, 'py> for HttpMethod {
    type Error = PyErr;

    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        let name: &str = obj.extract()?;
        name.parse().map(Self).map_err(to_py)
    }
}

/// A request argument as the core's typed request model; a wrong shape is a `ConfigError`
/// naming the field.
pub(crate) fn request<T: DeserializeOwned>(obj: &Bound<'_, PyAny>) -> PyResult<T> {
    catch_panic(|| {
        let value = py_to_json(obj)?;
        serde_path_to_error::deserialize(value).map_err(|e| {
            let path = e.path().to_string();
            let at = if path == "." {
                String::new()
            } else {
                format!(" at `{path}`")
            };
            config(format!("invalid request{at}: {}", e.into_inner()))
        })
    })
}

/// The Python classes of the response models, in `olumi._models`: one variant per class, named
/// as the class.
macro_rules! models {
    ($($name:ident),* $(,)?) => {
        /// A response model class of `olumi._models`.
        #[derive(Debug, Clone, Copy)]
        pub(crate) enum Model {
            $($name,)*
        }

        impl Model {
            pub(crate) const ALL: &[Self] = &[$(Self::$name,)*];
            const COUNT: usize = Self::ALL.len();

            /// The class's name in `olumi._models`.
            pub(crate) fn name(self) -> &'static str {
                match self {
                    $(Self::$name => stringify!($name),)*
                }
            }
        }
    };
}

models! {
    Health,
    Status,
    Limits,
    DraftGraphOutput,
    SuggestOptionsResponse,
    ClarifyBriefResponse,
    CritiqueGraphResponse,
    ExplainDiffResponse,
    CeeDraftGraphResponse,
    OptionsResponse,
    BiasCheckResponse,
    ExplainGraphResponse,
    EvidenceHelperResponse,
    SensitivityCoachResponse,
    TeamPerspectivesResponse,
    GraphReadinessResponse,
    KeyInsightResponse,
    ElicitBeliefResponse,
    SuggestUtilityWeightsResponse,
    SuggestEdgeFunctionResponse,
    GenerateRecommendationResponse,
    NarrateConditionsResponse,
    ExplainPolicyResponse,
    ElicitPreferencesResponse,
    ElicitPreferencesAnswerResponse,
    ExplainTradeoffResponse,
    IslSynthesisResponse,
    AskResponse,
    ReviewResponse,
    ElicitRiskToleranceResponse,
    CeeHealth,
    DecisionReviewBundle,
    CreateShareResponse,
    SharedContent,
    RevokeShareResponse,
    ServiceDiagnostics,
}

impl Model {
    fn class(self, py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
        static CLASSES: [PyOnceLock<Py<PyType>>; Model::COUNT] =
            [const { PyOnceLock::new() }; Model::COUNT];
        CLASSES[self as usize].import(py, "olumi._models", self.name())
    }

    /// `value` (a serde model) as an instance of this class.
    pub(crate) fn wrap<'py, T: Serialize>(
        self,
        py: Python<'py>,
        value: &T,
    ) -> PyResult<Bound<'py, PyAny>> {
        let json = serde_json::to_value(value).map_err(|e| {
            to_py(olumi::Error::Decode {
                what: self.name().to_owned(),
                message: e.to_string(),
            })
        })?;
        self.class(py)?.call1((json_to_py(py, &json)?,))
    }
}

/// A core call's result as a model object, or the mapped exception.
pub(crate) fn respond<T: Serialize>(
    model: Model,
    result: Result<T, olumi::Error>,
) -> PyResult<Py<PyAny>> {
    let value = result.map_err(to_py)?;
    catch_panic(|| Python::attach(|py| model.wrap(py, &value).map(Bound::unbind)))
}

/// A core call's JSON result as plain Python values (`dict`, `list`, ...).
pub(crate) fn respond_json(result: Result<Value, olumi::Error>) -> PyResult<Py<PyAny>> {
    let value = result.map_err(to_py)?;
    catch_panic(|| Python::attach(|py| json_to_py(py, &value).map(Bound::unbind)))
}

/// A core call's bytes as Python `bytes`.
pub(crate) fn respond_bytes(result: Result<bytes::Bytes, olumi::Error>) -> PyResult<Py<PyAny>> {
    let value = result.map_err(to_py)?;
    Python::attach(|py| Ok(PyBytes::new(py, &value).into_any().unbind()))
}

/// Calls `f` with the bytes of a `bytes`, `bytearray` or `str` (as UTF-8), borrowed when possible.
pub(crate) fn with_bytes<R>(obj: &Bound<'_, PyAny>, f: impl FnOnce(&[u8]) -> R) -> PyResult<R> {
    if let Ok(b) = obj.cast::<PyBytes>() {
        return Ok(f(b.as_bytes()));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(f(s.to_str()?.as_bytes()));
    }
    if let Ok(b) = obj.cast::<PyByteArray>() {
        return Ok(f(&b.to_vec()));
    }
    Err(PyTypeError::new_err(format!(
        "expected bytes or str, not {}",
        type_name(obj)
    )))
}

/// The names of the response classes the native module wraps results in (a test checks that
/// `olumi._models` defines each).
#[pyfunction]
pub(crate) fn _model_classes() -> Vec<&'static str> {
    Model::ALL.iter().map(|m| m.name()).collect()
}
