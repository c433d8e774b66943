//! Fixtures: canned answers, loaded from JSON files, matched against requests.
//!
//! One file holds one fixture: a route matcher (`method`, `path`, optional `query`, `headers`,
//! `body`) and one action: a `response` (status, headers, and a `json`, `text` or `file` body),
//! a `stream` script (steps `event`, `resume_token`, `comment`, `sleep_ms`, `drop`, `stall`), or a
//! `builtin` behaviour (`limits`, `resume`). Only `*.json` files directly in a directory are
//! fixtures, so body files can live in a subdirectory such as `files/`.
//!
//! The shipped set (`mock-server/fixtures/`) is compiled into the crate; `--fixtures DIR` adds
//! layers on top: a later layer's fixture wins over an earlier one's, and one with the same name
//! replaces it. Loading validates everything and names the file and the field of the first error,
//! so the server never starts half-configured.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use axum::http::{HeaderName, HeaderValue, StatusCode};
use bytes::Bytes;
use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;

use crate::faults::FaultSpec;

/// A fixture file that cannot be used, naming the file and the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("fixture {file}: field `{field}`: {message}")]
pub struct FixtureError {
    /// The file (or `builtin:NAME` for a shipped fixture).
    pub file: String,
    /// The field path inside the file, such as `response.status` or `stream.steps[2]`.
    pub field: String,
    /// What is wrong.
    pub message: String,
}

impl FixtureError {
    fn new(file: &str, field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            file: file.to_owned(),
            field: field.into(),
            message: message.into(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The file format.

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FixtureDoc {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    priority: i32,
    #[serde(rename = "match")]
    matcher: MatchDoc,
    #[serde(default)]
    validate: Option<Validation>,
    #[serde(default)]
    required: Vec<String>,
    #[serde(default)]
    diagnostics: bool,
    #[serde(default)]
    scenario: Option<ScenarioRule>,
    #[serde(default)]
    fault: Option<String>,
    #[serde(default)]
    response: Option<ResponseDoc>,
    #[serde(default)]
    stream: Option<StreamDoc>,
    #[serde(default)]
    builtin: Option<Builtin>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MatchDoc {
    method: String,
    path: String,
    #[serde(default)]
    query: BTreeMap<String, String>,
    #[serde(default)]
    headers: BTreeMap<String, Option<HeaderRule>>,
    #[serde(default)]
    body: Option<Value>,
}

/// How a request header must look: an exact value, or containing a substring. (`null` in the
/// file means the header must be absent.)
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub(crate) enum HeaderRule {
    Exact(String),
    Contains {
        #[serde(rename = "contains")]
        needle: String,
    },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ResponseDoc {
    #[serde(default = "ok")]
    status: u16,
    #[serde(default)]
    headers: BTreeMap<String, String>,
    #[serde(default)]
    json: Option<Box<RawValue>>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    file: Option<String>,
    #[serde(default)]
    content_type: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StreamDoc {
    #[serde(default = "ok")]
    status: u16,
    #[serde(default)]
    headers: BTreeMap<String, String>,
    steps: Vec<StepDoc>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StepDoc {
    #[serde(default)]
    event: Option<String>,
    #[serde(default)]
    data: Option<Box<RawValue>>,
    #[serde(default)]
    resume_token: Option<ResumeWhen>,
    #[serde(default)]
    comment: Option<String>,
    #[serde(default)]
    sleep_ms: Option<u64>,
    #[serde(default)]
    drop: Option<bool>,
    #[serde(default)]
    stall: Option<bool>,
}

fn ok() -> u16 {
    200
}

/// Input checks the service makes before answering (zod's messages).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Validation {
    /// `DraftGraphInput`: `brief` 30..=5000 characters; failures answer `error.v1` BAD_INPUT.
    DraftGraphInput,
    /// The same rule on the CEE routes; failures answer `cee.error.v1` CEE_VALIDATION_FAILED.
    CeeDraftGraphInput,
    /// The CEE capability routes: the body is an object holding every field named by the
    /// fixture's `required`; failures answer `cee.error.v1` CEE_VALIDATION_FAILED.
    CeeFields,
}

/// Server behaviours that are not canned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Builtin {
    /// `limits.v1` computed from the caller's buckets.
    Limits,
    /// `POST /assist/draft-graph/resume`.
    Resume,
    /// The share links: `POST /assist/share`, `GET` and `DELETE /assist/share/*`, with state.
    Share,
}

/// When a `resume_token` step emits its event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum ResumeWhen {
    /// Whenever a resume secret exists, even without resume state (the `/stream` route).
    Secret,
    /// Only when resume state is kept too (the CEE `/assist/v1/draft-graph/stream` route).
    State,
}

/// A fixture that only matches in a given scenario state, and may move the scenario on.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub(crate) struct ScenarioRule {
    pub(crate) name: String,
    /// The state required (scenarios start in `started`).
    #[serde(default)]
    pub(crate) state: Option<String>,
    /// The state after this fixture answers.
    #[serde(default)]
    pub(crate) next: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// Compiled fixtures.

/// A JSON text (or header value) with optional `${request_id}`, `${correlation_id}`, `${key_id}`.
#[derive(Debug, Clone)]
pub(crate) struct Template {
    text: Bytes,
    placeholders: bool,
}

/// Values for a template's placeholders.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Vars<'a> {
    pub(crate) request_id: &'a str,
    pub(crate) correlation_id: &'a str,
    pub(crate) key_id: &'a str,
}

const PLACEHOLDERS: &[&str] = &["request_id", "correlation_id", "key_id"];

impl Template {
    fn new(text: String, file: &str, field: &str) -> Result<Self, FixtureError> {
        let mut rest = text.as_str();
        let mut placeholders = false;
        while let Some(at) = rest.find("${") {
            let tail = &rest[at + 2..];
            let name = tail.split('}').next().unwrap_or("");
            if !tail.contains('}') || !PLACEHOLDERS.contains(&name) {
                return Err(FixtureError::new(
                    file,
                    field,
                    format!(
                        "unknown placeholder `${{{}`: known are ${{request_id}}, ${{correlation_id}}, ${{key_id}}",
                        name.chars().take(30).collect::<String>()
                    ),
                ));
            }
            placeholders = true;
            rest = &tail[name.len() + 1..];
        }
        Ok(Self {
            text: Bytes::from(text),
            placeholders,
        })
    }

    pub(crate) fn has_placeholders(&self) -> bool {
        self.placeholders
    }

    pub(crate) fn uses(&self, name: &str) -> bool {
        self.placeholders
            && std::str::from_utf8(&self.text).is_ok_and(|t| t.contains(&format!("${{{name}}}")))
    }

    /// The text with placeholders filled in, borrowed when there are none (no reference count
    /// touched: a replayed script renders every event).
    pub(crate) fn render_borrowed(&self, vars: &Vars<'_>) -> std::borrow::Cow<'_, [u8]> {
        if self.placeholders {
            std::borrow::Cow::Owned(self.render(vars).into())
        } else {
            std::borrow::Cow::Borrowed(&self.text)
        }
    }

    /// The text with placeholders filled in (no copy when there are none).
    pub(crate) fn render(&self, vars: &Vars<'_>) -> Bytes {
        if !self.placeholders {
            return self.text.clone();
        }
        let text = String::from_utf8_lossy(&self.text)
            .replace("${request_id}", vars.request_id)
            .replace("${correlation_id}", vars.correlation_id)
            .replace("${key_id}", vars.key_id);
        Bytes::from(text)
    }
}

/// A canned body.
#[derive(Debug, Clone)]
pub(crate) enum CannedBody {
    Empty,
    /// JSON, minified; `hash` precomputed when the text has no placeholders.
    Json {
        text: Template,
        hash: Option<HeaderValue>,
    },
    /// Anything else, sent as is.
    Raw {
        bytes: Bytes,
        content_type: HeaderValue,
    },
}

#[derive(Debug, Clone)]
pub(crate) struct Canned {
    pub(crate) status: StatusCode,
    pub(crate) headers: Vec<(HeaderName, Template)>,
    pub(crate) body: CannedBody,
}

#[derive(Debug, Clone)]
pub(crate) enum Step {
    /// `event: NAME` + `data: DATA`.
    Event {
        name: String,
        data: Template,
    },
    /// The COMPLETE stage: `{"stage":"COMPLETE","payload":PAYLOAD}`; the payload is the stream's
    /// final payload (what a resume answers).
    Complete {
        payload: Template,
    },
    ResumeToken(ResumeWhen),
    Comment(String),
    Sleep(Duration),
    Drop,
    Stall,
}

#[derive(Debug, Clone)]
pub(crate) struct Script {
    pub(crate) status: StatusCode,
    pub(crate) headers: Vec<(HeaderName, Template)>,
    /// Shared by every stream of this fixture.
    pub(crate) steps: Arc<[Step]>,
}

#[derive(Debug, Clone)]
pub(crate) enum Action {
    Respond(Canned),
    Stream(Script),
    Builtin(Builtin),
}

#[derive(Debug)]
pub(crate) struct Fixture {
    pub(crate) name: Arc<str>,
    pub(crate) source: String,
    pub(crate) description: Option<String>,
    pub(crate) method: String,
    pub(crate) path: String,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: Vec<(HeaderName, Option<HeaderRule>)>,
    pub(crate) body: Option<Value>,
    pub(crate) priority: i32,
    pub(crate) layer: usize,
    pub(crate) order: usize,
    pub(crate) scenario: Option<ScenarioRule>,
    pub(crate) validate: Option<Validation>,
    /// The top-level fields a `cee-fields` validation requires.
    pub(crate) required: Vec<String>,
    pub(crate) diagnostics: bool,
    pub(crate) fault: Option<FaultSpec>,
    pub(crate) action: Action,
    /// Answering needs a correlation id (the header, `${correlation_id}`, a stream's id).
    pub(crate) correlation_id: bool,
}

impl Fixture {
    fn uses_correlation_id(&self) -> bool {
        if self.diagnostics || matches!(self.action, Action::Builtin(Builtin::Resume)) {
            return true;
        }
        let (headers, templates): (&[(HeaderName, Template)], Vec<&Template>) = match &self.action {
            Action::Respond(c) => (
                &c.headers,
                match &c.body {
                    CannedBody::Json { text, .. } => vec![text],
                    _ => vec![],
                },
            ),
            Action::Stream(s) => (
                &s.headers,
                s.steps
                    .iter()
                    .filter_map(|step| match step {
                        Step::Event { data, .. } => Some(data),
                        Step::Complete { payload } => Some(payload),
                        _ => None,
                    })
                    .collect(),
            ),
            Action::Builtin(_) => (&[], vec![]),
        };
        headers.iter().any(|(_, t)| t.uses("correlation_id"))
            || templates.iter().any(|t| t.uses("correlation_id"))
    }

    pub(crate) fn specificity(&self) -> usize {
        self.query.len() + self.headers.len() + usize::from(self.body.is_some())
    }
}

// ---------------------------------------------------------------------------------------------
// Loading.

/// The shipped fixtures, compiled in so the binary works from anywhere.
const BUILTIN: &[(&str, &str)] = &[
    ("healthz.json", include_str!("../fixtures/healthz.json")),
    ("status.json", include_str!("../fixtures/status.json")),
    ("limits.json", include_str!("../fixtures/limits.json")),
    (
        "draft-graph.json",
        include_str!("../fixtures/draft-graph.json"),
    ),
    (
        "draft-graph-legacy-sse.json",
        include_str!("../fixtures/draft-graph-legacy-sse.json"),
    ),
    (
        "draft-graph-stream.json",
        include_str!("../fixtures/draft-graph-stream.json"),
    ),
    (
        "draft-graph-resume.json",
        include_str!("../fixtures/draft-graph-resume.json"),
    ),
    (
        "suggest-options.json",
        include_str!("../fixtures/suggest-options.json"),
    ),
    (
        "clarify-brief.json",
        include_str!("../fixtures/clarify-brief.json"),
    ),
    (
        "critique-graph.json",
        include_str!("../fixtures/critique-graph.json"),
    ),
    (
        "explain-diff.json",
        include_str!("../fixtures/explain-diff.json"),
    ),
    (
        "evidence-pack.json",
        include_str!("../fixtures/evidence-pack.json"),
    ),
    (
        "cee-draft-graph.json",
        include_str!("../fixtures/cee-draft-graph.json"),
    ),
    (
        "cee-draft-graph-stream.json",
        include_str!("../fixtures/cee-draft-graph-stream.json"),
    ),
    ("cee-ask.json", include_str!("../fixtures/cee-ask.json")),
    (
        "cee-bias-check.json",
        include_str!("../fixtures/cee-bias-check.json"),
    ),
    (
        "cee-decision-review-example.json",
        include_str!("../fixtures/cee-decision-review-example.json"),
    ),
    (
        "cee-draft-graph-v1.json",
        include_str!("../fixtures/cee-draft-graph-v1.json"),
    ),
    (
        "cee-elicit-belief.json",
        include_str!("../fixtures/cee-elicit-belief.json"),
    ),
    (
        "cee-elicit-preferences-answer.json",
        include_str!("../fixtures/cee-elicit-preferences-answer.json"),
    ),
    (
        "cee-elicit-preferences.json",
        include_str!("../fixtures/cee-elicit-preferences.json"),
    ),
    (
        "cee-elicit-risk-tolerance-profile.json",
        include_str!("../fixtures/cee-elicit-risk-tolerance-profile.json"),
    ),
    (
        "cee-elicit-risk-tolerance.json",
        include_str!("../fixtures/cee-elicit-risk-tolerance.json"),
    ),
    (
        "cee-evidence-helper.json",
        include_str!("../fixtures/cee-evidence-helper.json"),
    ),
    (
        "cee-explain-graph.json",
        include_str!("../fixtures/cee-explain-graph.json"),
    ),
    (
        "cee-explain-policy.json",
        include_str!("../fixtures/cee-explain-policy.json"),
    ),
    (
        "cee-explain-tradeoff.json",
        include_str!("../fixtures/cee-explain-tradeoff.json"),
    ),
    (
        "cee-generate-recommendation.json",
        include_str!("../fixtures/cee-generate-recommendation.json"),
    ),
    (
        "cee-graph-readiness.json",
        include_str!("../fixtures/cee-graph-readiness.json"),
    ),
    (
        "cee-health.json",
        include_str!("../fixtures/cee-health.json"),
    ),
    (
        "cee-isl-synthesis.json",
        include_str!("../fixtures/cee-isl-synthesis.json"),
    ),
    (
        "cee-key-insight.json",
        include_str!("../fixtures/cee-key-insight.json"),
    ),
    (
        "cee-narrate-conditions.json",
        include_str!("../fixtures/cee-narrate-conditions.json"),
    ),
    (
        "cee-options.json",
        include_str!("../fixtures/cee-options.json"),
    ),
    (
        "cee-review.json",
        include_str!("../fixtures/cee-review.json"),
    ),
    (
        "cee-sensitivity-coach.json",
        include_str!("../fixtures/cee-sensitivity-coach.json"),
    ),
    (
        "cee-suggest-edge-function.json",
        include_str!("../fixtures/cee-suggest-edge-function.json"),
    ),
    (
        "cee-suggest-utility-weights.json",
        include_str!("../fixtures/cee-suggest-utility-weights.json"),
    ),
    (
        "cee-team-perspectives.json",
        include_str!("../fixtures/cee-team-perspectives.json"),
    ),
    (
        "diagnostics.json",
        include_str!("../fixtures/diagnostics.json"),
    ),
    (
        "share-create.json",
        include_str!("../fixtures/share-create.json"),
    ),
    (
        "share-read.json",
        include_str!("../fixtures/share-read.json"),
    ),
    (
        "share-revoke.json",
        include_str!("../fixtures/share-revoke.json"),
    ),
];

const BUILTIN_FILES: &[(&str, &[u8])] = &[(
    "files/evidence-pack.zip",
    include_bytes!("../fixtures/files/evidence-pack.zip"),
)];

/// Where body files named by `response.file` are read from.
enum FileSource<'a> {
    Builtin,
    Dir(&'a Path),
}

impl FileSource<'_> {
    fn read(&self, name: &str, file: &str) -> Result<Bytes, FixtureError> {
        match self {
            Self::Builtin => BUILTIN_FILES
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, b)| Bytes::from_static(b))
                .ok_or_else(|| FixtureError::new(file, "response.file", "no such shipped file")),
            Self::Dir(dir) => {
                let rel = Path::new(name);
                if rel.is_absolute() || rel.components().any(|c| c.as_os_str() == "..") {
                    return Err(FixtureError::new(
                        file,
                        "response.file",
                        "must be a relative path inside the fixture directory",
                    ));
                }
                std::fs::read(dir.join(rel)).map(Bytes::from).map_err(|e| {
                    FixtureError::new(
                        file,
                        "response.file",
                        format!("cannot read {}: {e}", dir.join(rel).display()),
                    )
                })
            }
        }
    }
}

/// All loaded fixtures.
#[derive(Debug, Default)]
pub(crate) struct FixtureSet {
    fixtures: Vec<Arc<Fixture>>,
    routes: Vec<Route>,
}

/// The fixtures of one method and path, best first.
#[derive(Debug)]
pub(crate) struct Route {
    method: String,
    path: String,
    /// By priority, then layer (later first), then specificity, then file order.
    pub(crate) fixtures: Vec<Arc<Fixture>>,
    /// Whether any of them looks at the JSON body.
    pub(crate) wants_body: bool,
}

impl FixtureSet {
    /// Loads the shipped set (when `builtin`) and then each directory as a layer on top.
    pub(crate) fn load(builtin: bool, dirs: &[PathBuf]) -> Result<Self, FixtureError> {
        let mut set = Self::default();
        if builtin {
            for (name, text) in BUILTIN {
                let fixture = compile(
                    &format!("builtin:{name}"),
                    name,
                    text,
                    0,
                    &FileSource::Builtin,
                )?;
                set.insert(fixture)?;
            }
        }
        for (i, dir) in dirs.iter().enumerate() {
            let layer = i + 1;
            let dir_text = dir.display().to_string();
            let entries = std::fs::read_dir(dir).map_err(|e| {
                FixtureError::new(
                    &dir_text,
                    "(directory)",
                    format!("cannot read directory: {e}"),
                )
            })?;
            let mut files: Vec<PathBuf> = entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "json"))
                .collect();
            files.sort();
            for path in files {
                let file = path.display().to_string();
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| FixtureError::new(&file, "(file)", format!("cannot read: {e}")))?;
                let stem = path
                    .file_name()
                    .and_then(|s| s.to_str())
                    .unwrap_or("fixture");
                let fixture = compile(&file, stem, &text, layer, &FileSource::Dir(dir))?;
                set.insert(fixture)?;
            }
        }
        for (order, fixture) in set.fixtures.iter_mut().enumerate() {
            if let Some(f) = Arc::get_mut(fixture) {
                f.order = order;
            }
        }
        set.index_routes();
        Ok(set)
    }

    fn insert(&mut self, fixture: Fixture) -> Result<(), FixtureError> {
        if let Some(at) = self.fixtures.iter().position(|f| f.name == fixture.name) {
            let existing = &self.fixtures[at];
            if existing.layer == fixture.layer {
                return Err(FixtureError::new(
                    &fixture.source,
                    "name",
                    format!(
                        "duplicate fixture name {:?} (also in {})",
                        fixture.name, existing.source
                    ),
                ));
            }
            // A later layer replaces a fixture of the same name.
            self.fixtures[at] = Arc::new(fixture);
        } else {
            self.fixtures.push(Arc::new(fixture));
        }
        Ok(())
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &Arc<Fixture>> {
        self.fixtures.iter()
    }

    fn index_routes(&mut self) {
        for f in &self.fixtures {
            let at = self
                .routes
                .iter()
                .position(|r| r.method == f.method && r.path == f.path);
            let route = match at {
                Some(i) => &mut self.routes[i],
                None => {
                    self.routes.push(Route {
                        method: f.method.clone(),
                        path: f.path.clone(),
                        fixtures: Vec::new(),
                        wants_body: false,
                    });
                    self.routes.last_mut().expect("just pushed")
                }
            };
            route.wants_body |= f.body.is_some()
                || f.validate.is_some()
                || matches!(f.action, Action::Builtin(Builtin::Share));
            route.fixtures.push(Arc::clone(f));
        }
        for route in &mut self.routes {
            route.fixtures.sort_by_key(|f| {
                std::cmp::Reverse((
                    f.priority,
                    f.layer,
                    f.specificity(),
                    std::cmp::Reverse(f.order),
                ))
            });
        }
    }

    /// The fixtures for this method and path: an exact path first, else a wildcard one
    /// (`/assist/share/*`).
    pub(crate) fn route(&self, method: &str, path: &str) -> Option<&Route> {
        let mut routes = self.routes.iter().filter(|r| r.method == method);
        routes
            .clone()
            .find(|r| r.path == path)
            .or_else(|| routes.find(|r| path_matches(&r.path, path)))
    }
}

/// Whether a fixture's path matches a request's: equal, or a pattern ending in `/*` whose `*`
/// stands for exactly one non-empty path segment.
pub(crate) fn path_matches(pattern: &str, path: &str) -> bool {
    if pattern == path {
        return true;
    }
    match pattern.strip_suffix('*') {
        Some(prefix) if prefix.ends_with('/') => path
            .strip_prefix(prefix)
            .is_some_and(|rest| !rest.is_empty() && !rest.contains('/')),
        _ => false,
    }
}

/// Parses a fixture file and checks every field.
fn compile(
    file: &str,
    file_name: &str,
    text: &str,
    layer: usize,
    files: &FileSource<'_>,
) -> Result<Fixture, FixtureError> {
    let de = &mut serde_json::Deserializer::from_str(text);
    let doc: FixtureDoc = serde_path_to_error::deserialize(de).map_err(|e| {
        let field = e.path().to_string();
        FixtureError::new(
            file,
            if field == "." {
                "(root)".to_owned()
            } else {
                field
            },
            e.into_inner().to_string(),
        )
    })?;
    let name = doc
        .name
        .clone()
        .unwrap_or_else(|| file_name.trim_end_matches(".json").to_owned());
    if name.is_empty() {
        return Err(FixtureError::new(file, "name", "must not be empty"));
    }
    let m = &doc.matcher;
    let method = m.method.to_ascii_uppercase();
    if method.is_empty() || !method.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(FixtureError::new(
            file,
            "match.method",
            format!("not an HTTP method: {:?}", m.method),
        ));
    }
    if !m.path.starts_with('/') || m.path.contains('?') {
        return Err(FixtureError::new(
            file,
            "match.path",
            "must start with `/` and contain no query (use `match.query`)",
        ));
    }
    if m.path.starts_with("/__admin") {
        return Err(FixtureError::new(
            file,
            "match.path",
            "`/__admin` is reserved for the admin API",
        ));
    }
    let mut headers = Vec::new();
    for (h, rule) in &m.headers {
        let header = HeaderName::from_bytes(h.to_ascii_lowercase().as_bytes()).map_err(|_| {
            FixtureError::new(
                file,
                format!("match.headers.{h}"),
                "not a valid header name",
            )
        })?;
        headers.push((header, rule.clone()));
    }
    let fault = match &doc.fault {
        Some(spec) => Some(
            spec.parse::<FaultSpec>()
                .map_err(|e| FixtureError::new(file, "fault", e.to_string()))?,
        ),
        None => None,
    };
    let action = match (&doc.response, &doc.stream, doc.builtin) {
        (Some(r), None, None) => Action::Respond(compile_response(file, r, files)?),
        (None, Some(s), None) => Action::Stream(compile_stream(file, s)?),
        (None, None, Some(b)) => Action::Builtin(b),
        _ => {
            return Err(FixtureError::new(
                file,
                "(root)",
                "exactly one of `response`, `stream` or `builtin` is required",
            ));
        }
    };
    let mut fixture = Fixture {
        name: name.into(),
        source: file.to_owned(),
        description: doc.description,
        method,
        path: m.path.clone(),
        query: m
            .query
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        headers,
        body: m.body.clone(),
        priority: doc.priority,
        layer,
        order: 0,
        scenario: doc.scenario,
        validate: doc.validate,
        required: doc.required,
        diagnostics: doc.diagnostics,
        fault,
        action,
        correlation_id: false,
    };
    fixture.correlation_id = fixture.uses_correlation_id();
    Ok(fixture)
}

fn status(file: &str, field: &str, code: u16) -> Result<StatusCode, FixtureError> {
    if !(200..=599).contains(&code) {
        return Err(FixtureError::new(
            file,
            field,
            format!("{code} is not a status in 200..=599"),
        ));
    }
    StatusCode::from_u16(code).map_err(|e| FixtureError::new(file, field, e.to_string()))
}

/// Fixture files are committed and shared: a credential, signature or resume token in an answer's
/// headers (by hand or by a recording) is refused rather than served. (A `match` may still
/// require a key: that is the test's own fake key, and the 404 near miss redacts it.)
fn refuse_secret_header(file: &str, field: &str, name: &HeaderName) -> Result<(), FixtureError> {
    if crate::journal::is_secret_header(name) {
        return Err(FixtureError::new(
            file,
            field,
            format!(
                "`{name}` carries a secret (a key, signature or resume token) and must not be \
                 in a fixture's answer; remove it"
            ),
        ));
    }
    Ok(())
}

fn compile_headers(
    file: &str,
    at: &str,
    headers: &BTreeMap<String, String>,
) -> Result<Vec<(HeaderName, Template)>, FixtureError> {
    headers
        .iter()
        .map(|(name, value)| {
            let field = format!("{at}.headers.{name}");
            let header = HeaderName::from_bytes(name.to_ascii_lowercase().as_bytes())
                .map_err(|_| FixtureError::new(file, &field, "not a valid header name"))?;
            refuse_secret_header(file, &field, &header)?;
            HeaderValue::from_str(value)
                .map_err(|_| FixtureError::new(file, &field, "not a valid header value"))?;
            Ok((header, Template::new(value.clone(), file, &field)?))
        })
        .collect()
}

fn compile_response(
    file: &str,
    r: &ResponseDoc,
    files: &FileSource<'_>,
) -> Result<Canned, FixtureError> {
    let status = status(file, "response.status", r.status)?;
    let headers = compile_headers(file, "response", &r.headers)?;
    let content_type = |default: &'static str| -> Result<HeaderValue, FixtureError> {
        match &r.content_type {
            Some(ct) => HeaderValue::from_str(ct).map_err(|_| {
                FixtureError::new(file, "response.content_type", "not a valid header value")
            }),
            None => Ok(HeaderValue::from_static(default)),
        }
    };
    let body = match (&r.json, &r.text, &r.file) {
        (None, None, None) => CannedBody::Empty,
        (Some(json), None, None) => {
            let text = Template::new(minify_json(json.get()), file, "response.json")?;
            let hash = if text.has_placeholders() {
                None
            } else {
                let hash = olumi::response_hash::response_hash(&text.text).map_err(|e| {
                    FixtureError::new(file, "response.json", format!("cannot hash: {e}"))
                })?;
                Some(HeaderValue::from_str(&hash).unwrap_or(HeaderValue::from_static("")))
            };
            CannedBody::Json { text, hash }
        }
        (None, Some(text), None) => CannedBody::Raw {
            bytes: Bytes::from(text.clone()),
            content_type: content_type("text/plain; charset=utf-8")?,
        },
        (None, None, Some(name)) => CannedBody::Raw {
            bytes: files.read(name, file)?,
            content_type: content_type("application/octet-stream")?,
        },
        _ => {
            return Err(FixtureError::new(
                file,
                "response",
                "at most one of `json`, `text` or `file`",
            ));
        }
    };
    Ok(Canned {
        status,
        headers,
        body,
    })
}

fn compile_stream(file: &str, s: &StreamDoc) -> Result<Script, FixtureError> {
    let status = status(file, "stream.status", s.status)?;
    let headers = compile_headers(file, "stream", &s.headers)?;
    let mut steps = Vec::with_capacity(s.steps.len());
    for (i, step) in s.steps.iter().enumerate() {
        let field = format!("stream.steps[{i}]");
        let kinds = [
            step.event.is_some(),
            step.resume_token.is_some(),
            step.comment.is_some(),
            step.sleep_ms.is_some(),
            step.drop.is_some(),
            step.stall.is_some(),
        ];
        if kinds.iter().filter(|k| **k).count() != 1
            || (step.data.is_some() && step.event.is_none())
        {
            return Err(FixtureError::new(
                file,
                &field,
                "each step has exactly one of `event` (with `data`), `resume_token`, `comment`, \
                 `sleep_ms`, `drop` or `stall`",
            ));
        }
        let compiled = if let Some(name) = &step.event {
            if name.is_empty() || name.contains(['\n', '\r']) {
                return Err(FixtureError::new(
                    file,
                    format!("{field}.event"),
                    "must be one line, not empty",
                ));
            }
            let data = step.data.as_ref().ok_or_else(|| {
                FixtureError::new(file, format!("{field}.data"), "an event needs `data`")
            })?;
            complete_payload(name, data.get())
                .map(|payload| -> Result<Step, FixtureError> {
                    Ok(Step::Complete {
                        payload: Template::new(
                            minify_json(payload),
                            file,
                            &format!("{field}.data.payload"),
                        )?,
                    })
                })
                .unwrap_or_else(|| {
                    Ok(Step::Event {
                        name: name.clone(),
                        data: Template::new(
                            minify_json(data.get()),
                            file,
                            &format!("{field}.data"),
                        )?,
                    })
                })?
        } else if let Some(when) = step.resume_token {
            Step::ResumeToken(when)
        } else if let Some(text) = &step.comment {
            if text.contains(['\n', '\r']) {
                return Err(FixtureError::new(
                    file,
                    format!("{field}.comment"),
                    "must be one line",
                ));
            }
            Step::Comment(text.clone())
        } else if let Some(ms) = step.sleep_ms {
            Step::Sleep(Duration::from_millis(ms))
        } else if step.drop == Some(true) {
            Step::Drop
        } else if step.stall == Some(true) {
            Step::Stall
        } else {
            return Err(FixtureError::new(
                file,
                &field,
                "`drop`/`stall` must be true",
            ));
        };
        steps.push(compiled);
    }
    Ok(Script {
        status,
        headers,
        steps: steps.into(),
    })
}

/// The payload text of a `stage` event whose data is `{"stage":"COMPLETE","payload":...}`.
fn complete_payload<'a>(event: &str, data: &'a str) -> Option<&'a str> {
    #[derive(Deserialize)]
    struct Stage<'a> {
        stage: String,
        #[serde(borrow)]
        payload: Option<&'a RawValue>,
    }
    if event != "stage" {
        return None;
    }
    let stage: Stage<'a> = serde_json::from_str(data).ok()?;
    (stage.stage == "COMPLETE").then_some(stage.payload?.get())
}

/// JSON text without insignificant whitespace (the input is valid JSON), key order and
/// number forms kept: how the mock sends a fixture's `json` body.
pub fn minify_json(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_string = false;
    let mut escaped = false;
    for c in text.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if !c.is_ascii_whitespace() {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_star_segment_matches_exactly_one_segment() {
        assert!(path_matches("/assist/share/*", "/assist/share/abc"));
        assert!(path_matches("/assist/share", "/assist/share"));
        assert!(!path_matches("/assist/share/*", "/assist/share/"));
        assert!(!path_matches("/assist/share/*", "/assist/share/a/b"));
        assert!(!path_matches("/assist/share/*", "/assist/shares/a"));
        assert!(!path_matches("/assist/share*", "/assist/shareX"));
    }

    fn compile_str(text: &str) -> Result<Fixture, FixtureError> {
        compile("t.json", "t.json", text, 1, &FileSource::Builtin)
    }

    #[test]
    fn shipped_fixtures_load() {
        let set = FixtureSet::load(true, &[]).unwrap();
        assert!(set.iter().count() >= 14);
    }

    #[test]
    fn errors_name_file_and_field() {
        let err =
            compile_str(r#"{"match":{"method":"GET","path":"/x"},"response":{"status":"ok"}}"#)
                .unwrap_err();
        assert_eq!(err.file, "t.json");
        assert_eq!(err.field, "response.status");
        let err =
            compile_str(r#"{"match":{"method":"GET","path":"/x"},"respons":{}}"#).unwrap_err();
        assert_eq!(err.field, "respons");
        let err = compile_str(
            r#"{"match":{"method":"GET","path":"/x"},"stream":{"steps":[{"sleep_ms":1},{"event":"x"}]}}"#,
        )
        .unwrap_err();
        assert_eq!(err.field, "stream.steps[1].data");
        let err = compile_str(
            r#"{"match":{"method":"GET","path":"/x"},"fault":"explode","builtin":"limits"}"#,
        )
        .unwrap_err();
        assert_eq!(err.field, "fault");
        let err = compile_str(
            r#"{"match":{"method":"GET","path":"/x"},"response":{"json":{"a":"${nope}"}}}"#,
        )
        .unwrap_err();
        assert_eq!(err.field, "response.json");
    }

    #[test]
    fn secret_headers_are_refused() {
        for (text, field) in [
            (
                r#"{"match":{"method":"GET","path":"/x"},"response":{"headers":{"X-Olumi-Assist-Key":"sk-live-1"}}}"#,
                "response.headers.X-Olumi-Assist-Key",
            ),
            (
                r#"{"match":{"method":"GET","path":"/x"},"stream":{"headers":{"x-resume-token":"t"},"steps":[]}}"#,
                "stream.headers.x-resume-token",
            ),
        ] {
            let err = compile_str(text).unwrap_err();
            assert_eq!(err.field, field, "{err}");
            assert!(err.message.contains("secret"), "{err}");
            assert!(!err.to_string().contains("sk-live-1"), "{err}");
        }
        let matched = r#"{"match":{"method":"GET","path":"/x","headers":{"authorization":"Bearer k"}},"response":{}}"#;
        assert!(compile_str(matched).is_ok(), "a match may require a key");
    }

    #[test]
    fn complete_stage_is_recognised() {
        let f = compile_str(
            r#"{"match":{"method":"POST","path":"/s"},"stream":{"steps":[
                {"event":"stage","data":{"stage":"DRAFTING"}},
                {"event":"stage","data":{"stage":"COMPLETE","payload":{"b": 1, "a": 2}}}]}}"#,
        )
        .unwrap();
        let Action::Stream(script) = &f.action else {
            panic!()
        };
        assert!(matches!(&script.steps[0], Step::Event { .. }));
        match &script.steps[1] {
            Step::Complete { payload } => assert_eq!(&payload.text[..], br#"{"b":1,"a":2}"#),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn minify_keeps_strings() {
        assert_eq!(
            minify_json("{ \"a b\" : [1, \"x \\\" y\"] }"),
            r#"{"a b":[1,"x \" y"]}"#
        );
    }
}
