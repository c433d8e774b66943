//! The CEE draft (`POST /assist/v1/draft-graph` and its stream): the response in each schema
//! version, and the typed query options.
//!
//! The JSON route answers schema **v3** by default (top-level `nodes`, `edges`, `options` with
//! intervention objects, `goal_node_id`, `analysis_ready`, `validation_warnings`); `?schema=v1`
//! gives the v1 shape (the draft-graph output with a nested `graph`, plus CEE metadata), which is
//! also what the stream's `COMPLETE` event carries. [`CeeDraftGraphResponse`] decodes either, and
//! keeps any other body (schema v2, the `needs_clarification` answer) as JSON.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{
    Archetype, CeeGuidance, CeeQuality, CeeTrace, CeeValidationIssue, ClarifierStatus, Diagnostics,
    EffectDirection, Graph, GraphPatch, IssueSeverity, Layout, Level, NodeKind, Rationale,
    js_number, unknown,
};

string_enum! {
    /// The response schema of `POST /assist/v1/draft-graph` (`?schema=`).
    pub enum CeeSchema {
        /// `v1`: the draft-graph output with a nested `graph` (deprecated by the service).
        V1 = "v1",
        /// `v2` (deprecated by the service).
        V2 = "v2",
        /// `v3`: the service's default.
        V3 = "v3",
    }
}

/// The query options of `POST /assist/v1/draft-graph` (and its stream).
///
/// ```
/// use olumi::models::{CeeDraftGraphOptions, CeeSchema};
///
/// assert_eq!(CeeDraftGraphOptions::default().query(), "");
/// let strict = CeeDraftGraphOptions::new().schema(CeeSchema::V3).strict(true);
/// assert_eq!(strict.query(), "?schema=v3&strict=true");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CeeDraftGraphOptions {
    /// `?schema=v1|v2|v3`; `None` leaves the service's default (v3 on the JSON route, v1 on the
    /// stream).
    pub schema: Option<CeeSchema>,
    /// `?strict=true`: the service checks the v3 response and answers 422
    /// `CEE_V3_VALIDATION_FAILED` (an [`Error::Api`](crate::Error::Api)) when it is not valid.
    pub strict: bool,
}

impl CeeDraftGraphOptions {
    /// No query: the service's defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// Asks for this response schema.
    #[must_use]
    pub fn schema(mut self, schema: CeeSchema) -> Self {
        self.schema = Some(schema);
        self
    }

    /// Turns strict mode on or off.
    #[must_use]
    pub fn strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }

    /// The query string, with its leading `?` (empty when there is nothing to send). Unknown
    /// schema names are percent-encoded.
    pub fn query(&self) -> String {
        let mut parts = Vec::new();
        if let Some(schema) = &self.schema {
            let value: String =
                percent_encoding::utf8_percent_encode(schema.as_str(), QUERY_VALUE).collect();
            parts.push(format!("schema={value}"));
        }
        if self.strict {
            parts.push("strict=true".to_owned());
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("?{}", parts.join("&"))
        }
    }
}

/// Everything but RFC 3986 unreserved characters is encoded in a query value.
const QUERY_VALUE: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Response of `POST /assist/v1/draft-graph` in whichever schema was asked for, and the final
/// payload of `POST /assist/v1/draft-graph/stream`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum CeeDraftGraphResponse {
    /// Schema v3 (the JSON route's default).
    V3(Box<CeeDraftGraphV3>),
    /// Schema v1 (`?schema=v1`, and the stream's final payload).
    V1(Box<CeeDraftGraphV1>),
    /// Any other body (schema v2, the `needs_clarification` answer), kept as JSON.
    Other(Map<String, Value>),
}

impl Default for CeeDraftGraphResponse {
    fn default() -> Self {
        Self::Other(Map::new())
    }
}

impl CeeDraftGraphResponse {
    /// The v3 body, if this is one.
    pub fn as_v3(&self) -> Option<&CeeDraftGraphV3> {
        match self {
            Self::V3(v3) => Some(v3),
            _ => None,
        }
    }

    /// The v1 body, if this is one.
    pub fn as_v1(&self) -> Option<&CeeDraftGraphV1> {
        match self {
            Self::V1(v1) => Some(v1),
            _ => None,
        }
    }

    /// `trace.request_id`, which equals the `X-CEE-Request-ID` header.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Self::V3(v3) => v3.trace.as_ref()?.request_id.as_deref(),
            Self::V1(v1) => v1.trace.request_id.as_deref(),
            Self::Other(body) => body.get("trace")?.get("request_id")?.as_str(),
        }
    }
}

/// The schema v3 body of `POST /assist/v1/draft-graph`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CeeDraftGraphV3 {
    /// `"3.0"`.
    pub schema_version: String,
    /// The graph's nodes, option nodes included.
    pub nodes: Vec<CeeNodeV3>,
    /// The graph's edges, with strength coefficients.
    pub edges: Vec<CeeEdgeV3>,
    /// The decision's options with their intervention bundles.
    pub options: Vec<CeeOptionV3>,
    /// The goal node's id.
    pub goal_node_id: String,
    /// Whether the model can be analysed, and what blocks it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub analysis_ready: Option<AnalysisReady>,
    /// Problems found while building the v3 body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validation_warnings: Option<Vec<ValidationWarningV3>>,
    /// Roots, leaves, source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<GraphMetaV3>,
    /// Quality scores.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quality: Option<QualityScoresV3>,
    /// Request ids and engine details.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace: Option<CeeTrace>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// A v3 node.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CeeNodeV3 {
    /// Node id (lowercase letters, digits, `_`, `:`, `-`).
    pub id: String,
    /// The node's kind.
    pub kind: NodeKind,
    /// Label.
    pub label: String,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Quantitative data of a factor node.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_state: Option<ObservedStateV3>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// The `observed_state` of a v3 factor node.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ObservedStateV3 {
    /// Current or proposed value.
    #[serde(serialize_with = "js_number::num")]
    pub value: f64,
    /// Baseline value.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "js_number::opt"
    )]
    pub baseline: Option<f64>,
    /// Unit (`GBP`, `percent`, `count`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// `brief_extraction` or `cee_inference`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// A v3 edge: a signed linear coefficient with its uncertainty.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CeeEdgeV3 {
    /// Edge id (`"<from>::<to>::<n>"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Source node id.
    pub from: String,
    /// Target node id.
    pub to: String,
    /// Signed coefficient (not limited to 0..1).
    #[serde(serialize_with = "js_number::num")]
    pub strength_mean: f64,
    /// Its uncertainty (> 0).
    #[serde(serialize_with = "js_number::num")]
    pub strength_std: f64,
    /// Probability that the relationship exists, 0..1.
    #[serde(serialize_with = "js_number::num")]
    pub belief_exists: f64,
    /// The sign of `strength_mean`.
    pub effect_direction: EffectDirection,
    /// Where the relationship comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<EdgeProvenanceV3>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// The `provenance` of a v3 edge.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EdgeProvenanceV3 {
    /// `brief_extraction`, `cee_hypothesis`, `domain_knowledge` or `user_specified`.
    pub source: String,
    /// Why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reasoning: Option<String>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

string_enum! {
    /// Whether a v3 option can be analysed.
    pub enum OptionStatusV3 {
        /// `ready`: every intervention is encoded.
        Ready = "ready",
        /// `needs_user_mapping`: a factor match or value is missing.
        NeedsUserMapping = "needs_user_mapping",
        /// `needs_encoding`: raw (categorical or boolean) values await encoding.
        NeedsEncoding = "needs_encoding",
    }
}

/// A v3 option: a decision path and what it sets each factor to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CeeOptionV3 {
    /// Option id.
    pub id: String,
    /// Label.
    pub label: String,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Readiness.
    pub status: OptionStatusV3,
    /// Factor id to the intervention on it.
    pub interventions: BTreeMap<String, InterventionV3>,
    /// Factor id to the value before encoding (categorical or boolean interventions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw_interventions: Option<BTreeMap<String, Value>>,
    /// Concepts named in the brief but matched to no factor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unresolved_targets: Option<Vec<String>>,
    /// Questions for the user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_questions: Option<Vec<String>>,
    /// `{source, brief_quote?}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Value>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// One intervention of a v3 option on a factor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InterventionV3 {
    /// The (encoded) numeric value.
    #[serde(serialize_with = "js_number::num")]
    pub value: f64,
    /// Unit (should match the factor's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// `brief_extraction`, `cee_hypothesis` or `user_specified`.
    pub source: String,
    /// How the target factor was matched.
    pub target_match: TargetMatch,
    /// Confidence in the value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_confidence: Option<Level>,
    /// Why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reasoning: Option<String>,
    /// The value before encoding (a number, string or boolean).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw_value: Option<Value>,
    /// `numeric`, `categorical` or `boolean`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_type: Option<String>,
    /// Raw value to encoded number, for categorical values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding_map: Option<BTreeMap<String, f64>>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// How an intervention's target was matched to a node.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetMatch {
    /// The matched node id.
    pub node_id: String,
    /// `exact_id`, `exact_label` or `semantic`.
    pub match_type: String,
    /// Confidence in the match.
    pub confidence: Level,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// A v3 validation warning.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValidationWarningV3 {
    /// `INTERVENTION_TARGET_NOT_FOUND`, `MISSING_UNIT`, ...
    pub code: String,
    /// Severity.
    pub severity: IssueSeverity,
    /// What is wrong.
    pub message: String,
    /// The option concerned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affected_option_id: Option<String>,
    /// The node concerned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affected_node_id: Option<String>,
    /// How to fix it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// The `analysis_ready` block of a v3 body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnalysisReady {
    /// `ready`, or why not.
    pub status: String,
    /// What stops the analysis.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blockers: Option<Vec<Value>>,
    /// The goal node's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goal_node_id: Option<String>,
    /// The options ready for analysis.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options: Option<Vec<Value>>,
    /// Repairs the service made to the model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_adjustments: Option<Vec<Value>>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// The `meta` of a v3 body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GraphMetaV3 {
    /// Root node ids.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roots: Option<Vec<String>>,
    /// Leaf node ids.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leaves: Option<Vec<String>>,
    /// `assistant`, `user` or `imported`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// The `quality` of a v3 body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QualityScoresV3 {
    /// Overall score.
    #[serde(serialize_with = "js_number::num")]
    pub overall: f64,
    /// Structure score.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "js_number::opt"
    )]
    pub structure: Option<f64>,
    /// Coverage score.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "js_number::opt"
    )]
    pub coverage: Option<f64>,
    /// Causality score.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "js_number::opt"
    )]
    pub causality: Option<f64>,
    /// Safety score.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "js_number::opt"
    )]
    pub safety: Option<f64>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// The schema v1 body: the draft-graph output plus CEE metadata (`trace`, `quality`, ...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CeeDraftGraphV1 {
    /// The drafted graph.
    pub graph: Graph,
    /// The patch (always sent).
    pub patch: GraphPatch,
    /// Why each element is there.
    #[serde(default)]
    pub rationales: Vec<Rationale>,
    /// Issue codes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issues: Option<Vec<String>>,
    /// Why the clarifier stopped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clarifier_status: Option<ClarifierStatus>,
    /// Suggested layout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layout: Option<Layout>,
    /// Confidence, 0..1.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "js_number::opt"
    )]
    pub confidence: Option<f64>,
    /// Request ids and engine details.
    pub trace: CeeTrace,
    /// Quality scores.
    pub quality: CeeQuality,
    /// Validation findings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validation_issues: Option<Vec<CeeValidationIssue>>,
    /// The decision archetype recognised.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archetype: Option<Archetype>,
    /// The seed used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<String>,
    /// The engine's response hash.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_hash: Option<String>,
    /// Summary and next steps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guidance: Option<CeeGuidance>,
    /// Stream diagnostics (on the stream's final payload).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diagnostics: Option<Diagnostics>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

impl fmt::Display for CeeDraftGraphOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.query())
    }
}
