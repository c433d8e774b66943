//! CEE models the service's published schemas leave out or give as a union: the decision
//! review (`POST /assist/v1/review`) and the two answers of `POST /assist/v1/elicit-risk-tolerance`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{
    Graph, RiskToleranceProfileResponse, RiskToleranceQuestionsResponse, js_number, unknown,
};

/// Response of `POST /assist/v1/elicit-risk-tolerance`: questions (`mode: get_questions`) or the
/// profile computed from the answers (`mode: process_responses`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ElicitRiskToleranceResponse {
    /// The profile (`process_responses`).
    Profile(Box<RiskToleranceProfileResponse>),
    /// The questions (`get_questions`).
    Questions(Box<RiskToleranceQuestionsResponse>),
}

impl ElicitRiskToleranceResponse {
    /// The questions, if this is the `get_questions` answer.
    pub fn questions(&self) -> Option<&RiskToleranceQuestionsResponse> {
        match self {
            Self::Questions(q) => Some(q),
            Self::Profile(_) => None,
        }
    }

    /// The profile, if this is the `process_responses` answer.
    pub fn profile(&self) -> Option<&RiskToleranceProfileResponse> {
        match self {
            Self::Profile(p) => Some(p),
            Self::Questions(_) => None,
        }
    }
}

/// Request body of `POST /assist/v1/review`. Strict on the service: unknown fields are rejected.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewRequest {
    /// The graph to review.
    pub graph: Graph,
    /// The decision brief, 10..10000 characters.
    pub brief: String,
    /// A request id (1..64 of `A-Za-z0-9._-`); else the `X-Request-Id` header's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// The inference result (`ranked_actions`, `top_drivers`, `summary`, `seed`, ...), for a
    /// review after analysis.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inference: Option<Map<String, Value>>,
    /// Robustness analysis (`status`, `overall_score`, `sensitivities`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub robustness: Option<Map<String, Value>>,
    /// Robustness data for the narrative synthesis.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub robustness_data: Option<Map<String, Value>>,
    /// Session id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context_id: Option<String>,
    /// Archetype hint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archetype_hint: Option<String>,
    /// Seed for deterministic output.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<String>,
    /// Per-request feature flags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flags: Option<BTreeMap<String, bool>>,
    /// Fields this SDK does not model (the service rejects unknown fields).
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

with_extra!(ReviewRequest);

impl ReviewRequest {
    /// A review of `graph` for `brief`.
    pub fn new(graph: Graph, brief: impl Into<String>) -> Self {
        Self {
            graph,
            brief: brief.into(),
            request_id: None,
            inference: None,
            robustness: None,
            robustness_data: None,
            context_id: None,
            archetype_hint: None,
            seed: None,
            flags: None,
            extra: Map::new(),
        }
    }
}

string_enum! {
    /// What the review is for.
    pub enum ReviewIntent {
        /// `selection`
        Selection = "selection",
        /// `prediction`
        Prediction = "prediction",
        /// `validation`
        Validation = "validation",
    }
}

string_enum! {
    /// Whether analysis ran on the reviewed model.
    pub enum AnalysisState {
        /// `not_run`
        NotRun = "not_run",
        /// `ran`
        Ran = "ran",
        /// `partial`
        Partial = "partial",
        /// `stale`
        Stale = "stale",
    }
}

string_enum! {
    /// How ready a decision is.
    pub enum ReadinessLevel {
        /// `ready`
        Ready = "ready",
        /// `caution`
        Caution = "caution",
        /// `not_ready`
        NotReady = "not_ready",
    }
}

/// Response of `POST /assist/v1/review`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewResponse {
    /// What the review is for.
    pub intent: ReviewIntent,
    /// Whether analysis ran.
    pub analysis_state: AnalysisState,
    /// Request id, latency and model.
    pub trace: ReviewTrace,
    /// The overall readiness.
    pub readiness: ReviewReadiness,
    /// The review's blocks (`biases`, `recommendation`, `drivers`, `gaps`, `prediction`,
    /// `risks`, `next_steps`, `robustness`).
    pub blocks: Vec<ReviewBlock>,
    /// Quality scores (`overall`, `completeness`, `structure`, `evidence`, 0..10).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quality: Option<Map<String, Value>>,
    /// The decision archetype recognised.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archetype: Option<Map<String, Value>>,
    /// Truncation of `blocks`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_limits: Option<Map<String, Value>>,
    /// Headline, next steps and warnings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guidance: Option<Map<String, Value>>,
    /// Fields this SDK does not model (`robustness_synthesis`, `decision_quality`, `insights`,
    /// `improvement_guidance`, `rationale`, ...).
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// The `trace` of a [`ReviewResponse`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewTrace {
    /// The authoritative request id.
    pub request_id: String,
    /// Processing time in milliseconds.
    #[serde(serialize_with = "js_number::num")]
    pub latency_ms: f64,
    /// The model used.
    pub model: String,
    /// Correlation id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correlation_id: Option<String>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// The `readiness` of a [`ReviewResponse`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewReadiness {
    /// The level.
    pub level: ReadinessLevel,
    /// One-line summary.
    pub headline: String,
    /// What the level rests on.
    pub factors: Vec<ReviewReadinessFactor>,
    /// Score, 0..1.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "js_number::opt"
    )]
    pub score: Option<f64>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// One factor of a [`ReviewReadiness`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewReadinessFactor {
    /// What is assessed.
    pub label: String,
    /// `ok`, `warning` or `blocking`.
    pub status: String,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// One block of a [`ReviewResponse`]: the common fields typed, the block type's own fields
/// (`findings`, `suggestions`, `headline`, `warnings`, `level`, ...) in `extra`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewBlock {
    /// Block id (a UUID).
    pub id: String,
    /// `biases`, `recommendation`, `drivers`, `gaps`, `prediction`, `risks`, `next_steps` or
    /// `robustness`.
    #[serde(rename = "type")]
    pub kind: String,
    /// When the block was generated (ISO 8601).
    pub generated_at: String,
    /// Whether the block holds placeholder content.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placeholder: Option<bool>,
    /// The block type's own fields.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
