//! The CEE capability routes (`/assist/v1/*`): request and response models.
//!
//! Field names, types and which fields are required follow the service's published schemas
//! (`CEE*V1`). As everywhere in [`models`](super), each struct keeps the fields this SDK does not
//! model in `extra`, and each string enum keeps unknown values as `Other`. Required fields are
//! plain fields (a response without one fails to decode: the service promised it); optional ones
//! are `Option`s, omitted when `None`. Request structs have a `new` taking the required fields.
//!
//! Shared pieces: [`CeeTrace`] (`trace`), [`CeeQuality`] (`quality`), [`CeeValidationIssue`]
//! (`validation_issues`), [`CeeGuidance`] (`guidance`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{Graph, GraphPatch, js_number, unknown};

string_enum! {
    /// The values of `ArchetypeMatch`.
    pub enum ArchetypeMatch {
        /// `exact`
        Exact = "exact",
        /// `fuzzy`
        Fuzzy = "fuzzy",
        /// `generic`
        Generic = "generic",
    }
}

string_enum! {
    /// The values of `AskHighlightStyle`.
    pub enum AskHighlightStyle {
        /// `primary`
        Primary = "primary",
        /// `secondary`
        Secondary = "secondary",
        /// `warning`
        Warning = "warning",
        /// `error`
        Error = "error",
    }
}

string_enum! {
    /// The values of `AskHighlightType`.
    pub enum AskHighlightType {
        /// `node`
        Node = "node",
        /// `edge`
        Edge = "edge",
        /// `path`
        Path = "path",
    }
}

string_enum! {
    /// The values of `AskIntent`.
    pub enum AskIntent {
        /// `clarify`
        Clarify = "clarify",
        /// `explain`
        Explain = "explain",
        /// `ideate`
        Ideate = "ideate",
        /// `repair`
        Repair = "repair",
        /// `compare`
        Compare = "compare",
        /// `challenge`
        Challenge = "challenge",
    }
}

string_enum! {
    /// The values of `AskModelActionOp`.
    pub enum AskModelActionOp {
        /// `add_node`
        AddNode = "add_node",
        /// `add_edge`
        AddEdge = "add_edge",
        /// `update_node`
        UpdateNode = "update_node",
        /// `update_edge`
        UpdateEdge = "update_edge",
        /// `delete_node`
        DeleteNode = "delete_node",
        /// `delete_edge`
        DeleteEdge = "delete_edge",
    }
}

string_enum! {
    /// The values of `AskProvenanceConfidence`.
    pub enum AskProvenanceConfidence {
        /// `high`
        High = "high",
        /// `medium`
        Medium = "medium",
        /// `low`
        Low = "low",
    }
}

string_enum! {
    /// The values of `AskProvenanceSource`.
    pub enum AskProvenanceSource {
        /// `brief`
        Brief = "brief",
        /// `graph`
        Graph = "graph",
        /// `market_context`
        MarketContext = "market_context",
        /// `validator`
        Validator = "validator",
        /// `engine`
        Engine = "engine",
        /// `user_edit`
        UserEdit = "user_edit",
    }
}

string_enum! {
    /// The values of `AskTurnRole`.
    pub enum AskTurnRole {
        /// `user`
        User = "user",
        /// `assistant`
        Assistant = "assistant",
    }
}

string_enum! {
    /// The values of `BiasFindingCategory`.
    pub enum BiasFindingCategory {
        /// `selection`
        Selection = "selection",
        /// `measurement`
        Measurement = "measurement",
        /// `optimisation`
        Optimisation = "optimisation",
        /// `framing`
        Framing = "framing",
        /// `other`
        OtherValue = "other",
    }
}

string_enum! {
    /// The values of `CeeErrorCode`.
    pub enum CeeErrorCode {
        /// `CEE_TIMEOUT`
        CEETIMEOUT = "CEE_TIMEOUT",
        /// `CEE_RATE_LIMIT`
        CEERATELIMIT = "CEE_RATE_LIMIT",
        /// `CEE_GRAPH_INVALID`
        CEEGRAPHINVALID = "CEE_GRAPH_INVALID",
        /// `CEE_GRAPH_CONNECTIVITY_FAILED`
        CEEGRAPHCONNECTIVITYFAILED = "CEE_GRAPH_CONNECTIVITY_FAILED",
        /// `CEE_VALIDATION_FAILED`
        CEEVALIDATIONFAILED = "CEE_VALIDATION_FAILED",
        /// `CEE_CLARIFICATION_REQUIRED`
        CEECLARIFICATIONREQUIRED = "CEE_CLARIFICATION_REQUIRED",
        /// `CEE_INTERNAL_ERROR`
        CEEINTERNALERROR = "CEE_INTERNAL_ERROR",
        /// `CEE_SERVICE_UNAVAILABLE`
        CEESERVICEUNAVAILABLE = "CEE_SERVICE_UNAVAILABLE",
        /// `CEE_ENGINE_DEGRADED`
        CEEENGINEDEGRADED = "CEE_ENGINE_DEGRADED",
        /// `CEE_REPRO_MISMATCH`
        CEEREPROMISMATCH = "CEE_REPRO_MISMATCH",
        /// `CEE_LLM_VALIDATION_FAILED`
        CEELLMVALIDATIONFAILED = "CEE_LLM_VALIDATION_FAILED",
    }
}

string_enum! {
    /// The values of `CeeOptionKind`.
    pub enum CeeOptionKind {
        /// `expand_scope`
        ExpandScope = "expand_scope",
        /// `reduce_scope`
        ReduceScope = "reduce_scope",
        /// `change_channel`
        ChangeChannel = "change_channel",
        /// `adjust_timing`
        AdjustTiming = "adjust_timing",
        /// `other`
        OtherValue = "other",
    }
}

string_enum! {
    /// The values of `CeeTraceGoalHandlingGoalSource`.
    pub enum CeeTraceGoalHandlingGoalSource {
        /// `llm_generated`
        LlmGenerated = "llm_generated",
        /// `retry_generated`
        RetryGenerated = "retry_generated",
        /// `inferred`
        Inferred = "inferred",
        /// `placeholder`
        Placeholder = "placeholder",
    }
}

string_enum! {
    /// The values of `CeeTracePipelineStageName`.
    pub enum CeeTracePipelineStageName {
        /// `llm_draft`
        LlmDraft = "llm_draft",
        /// `node_validation`
        NodeValidation = "node_validation",
        /// `connectivity_check`
        ConnectivityCheck = "connectivity_check",
        /// `goal_repair`
        GoalRepair = "goal_repair",
        /// `edge_repair`
        EdgeRepair = "edge_repair",
        /// `final_validation`
        FinalValidation = "final_validation",
    }
}

string_enum! {
    /// The values of `CeeTracePipelineStageStatus`.
    pub enum CeeTracePipelineStageStatus {
        /// `success`
        Success = "success",
        /// `failed`
        Failed = "failed",
        /// `skipped`
        Skipped = "skipped",
        /// `repaired`
        Repaired = "repaired",
    }
}

string_enum! {
    /// The values of `CeeTracePipelineStatus`.
    pub enum CeeTracePipelineStatus {
        /// `success`
        Success = "success",
        /// `failed`
        Failed = "failed",
        /// `repaired`
        Repaired = "repaired",
    }
}

string_enum! {
    /// The values of `EdgeFunctionAlternativeFunctionType`.
    pub enum EdgeFunctionAlternativeFunctionType {
        /// `linear`
        Linear = "linear",
        /// `diminishing_returns`
        DiminishingReturns = "diminishing_returns",
        /// `threshold`
        Threshold = "threshold",
        /// `s_curve`
        SCurve = "s_curve",
    }
}

string_enum! {
    /// The values of `ElicitBeliefRequestTargetType`.
    pub enum ElicitBeliefRequestTargetType {
        /// `prior`
        Prior = "prior",
        /// `edge_weight`
        EdgeWeight = "edge_weight",
    }
}

string_enum! {
    /// The values of `ElicitPreferencesAnswerRequestAnswer`.
    pub enum ElicitPreferencesAnswerRequestAnswer {
        /// `A`
        A = "A",
        /// `B`
        B = "B",
    }
}

string_enum! {
    /// The values of `ElicitRiskToleranceRequestContext`.
    pub enum ElicitRiskToleranceRequestContext {
        /// `product`
        Product = "product",
        /// `business`
        Business = "business",
    }
}

string_enum! {
    /// The values of `ElicitRiskToleranceRequestMode`.
    pub enum ElicitRiskToleranceRequestMode {
        /// `get_questions`
        GetQuestions = "get_questions",
        /// `process_responses`
        ProcessResponses = "process_responses",
    }
}

string_enum! {
    /// The values of `EnvelopeKind`.
    pub enum EnvelopeKind {
        /// `draft`
        Draft = "draft",
        /// `explain`
        Explain = "explain",
        /// `evidence`
        Evidence = "evidence",
        /// `bias`
        Bias = "bias",
        /// `options`
        Options = "options",
        /// `sensitivity`
        Sensitivity = "sensitivity",
        /// `team`
        Team = "team",
    }
}

string_enum! {
    /// The values of `EvidenceItemRequestType`.
    pub enum EvidenceItemRequestType {
        /// `experiment`
        Experiment = "experiment",
        /// `user_research`
        UserResearch = "user_research",
        /// `market_data`
        MarketData = "market_data",
        /// `expert_opinion`
        ExpertOpinion = "expert_opinion",
        /// `other`
        OtherValue = "other",
    }
}

string_enum! {
    /// The values of `EvidenceItemResponseStrength`.
    pub enum EvidenceItemResponseStrength {
        /// `none`
        None = "none",
        /// `weak`
        Weak = "weak",
        /// `medium`
        Medium = "medium",
        /// `strong`
        Strong = "strong",
    }
}

string_enum! {
    /// The values of `EvidenceStrengthCausalSupport`.
    pub enum EvidenceStrengthCausalSupport {
        /// `none`
        None = "none",
        /// `weak`
        Weak = "weak",
        /// `moderate`
        Moderate = "moderate",
        /// `strong`
        Strong = "strong",
    }
}

string_enum! {
    /// The values of `GenerateRecommendationRequestTone`.
    pub enum GenerateRecommendationRequestTone {
        /// `formal`
        Formal = "formal",
        /// `conversational`
        Conversational = "conversational",
    }
}

string_enum! {
    /// The values of `GoalInfoType`.
    pub enum GoalInfoType {
        /// `binary`
        Binary = "binary",
        /// `continuous`
        Continuous = "continuous",
        /// `compound`
        Compound = "compound",
    }
}

string_enum! {
    /// The values of `GraphReadinessResponseReadinessLevel`.
    pub enum GraphReadinessResponseReadinessLevel {
        /// `ready`
        Ready = "ready",
        /// `fair`
        Fair = "fair",
        /// `needs_work`
        NeedsWork = "needs_work",
    }
}

string_enum! {
    /// The values of `HeadlineStructuredVsBaselineDirection`.
    pub enum HeadlineStructuredVsBaselineDirection {
        /// `better`
        Better = "better",
        /// `worse`
        Worse = "worse",
        /// `same`
        Same = "same",
    }
}

string_enum! {
    /// The values of `HealthStatus`.
    pub enum HealthStatus {
        /// `ok`
        Ok = "ok",
        /// `warning`
        Warning = "warning",
        /// `risk`
        Risk = "risk",
    }
}

string_enum! {
    /// The values of `IslSensitivityResultDirection`.
    pub enum IslSensitivityResultDirection {
        /// `positive`
        Positive = "positive",
        /// `negative`
        Negative = "negative",
    }
}

string_enum! {
    /// The values of `IssueSeverity`.
    pub enum IssueSeverity {
        /// `error`
        Error = "error",
        /// `warning`
        Warning = "warning",
        /// `info`
        Info = "info",
    }
}

string_enum! {
    /// The values of `JourneyHealthOverallTone`.
    pub enum JourneyHealthOverallTone {
        /// `success`
        Success = "success",
        /// `warning`
        Warning = "warning",
        /// `danger`
        Danger = "danger",
    }
}

string_enum! {
    /// The values of `KeyInsightRequestGoalType`.
    pub enum KeyInsightRequestGoalType {
        /// `binary`
        Binary = "binary",
        /// `continuous`
        Continuous = "continuous",
        /// `compound`
        Compound = "compound",
    }
}

string_enum! {
    /// The values of `KeyInsightResponseRecommendationStatus`.
    pub enum KeyInsightResponseRecommendationStatus {
        /// `actionable`
        Actionable = "actionable",
        /// `exploratory`
        Exploratory = "exploratory",
    }
}

string_enum! {
    /// The values of `Level`.
    pub enum Level {
        /// `high`
        High = "high",
        /// `medium`
        Medium = "medium",
        /// `low`
        Low = "low",
    }
}

string_enum! {
    /// The values of `OutcomeDirection`.
    pub enum OutcomeDirection {
        /// `positive`
        Positive = "positive",
        /// `negative`
        Negative = "negative",
        /// `neutral`
        Neutral = "neutral",
    }
}

string_enum! {
    /// The values of `PreferenceAlignmentRecommended`.
    pub enum PreferenceAlignmentRecommended {
        /// `A`
        A = "A",
        /// `B`
        B = "B",
        /// `neutral`
        Neutral = "neutral",
    }
}

string_enum! {
    /// The values of `PreferenceOptionId`.
    pub enum PreferenceOptionId {
        /// `A`
        A = "A",
        /// `B`
        B = "B",
    }
}

string_enum! {
    /// The values of `PreferenceQuestionType`.
    pub enum PreferenceQuestionType {
        /// `risk_reward`
        RiskReward = "risk_reward",
        /// `goal_tradeoff`
        GoalTradeoff = "goal_tradeoff",
        /// `loss_aversion`
        LossAversion = "loss_aversion",
        /// `time_preference`
        TimePreference = "time_preference",
    }
}

string_enum! {
    /// The values of `QualityFactorFactor`.
    pub enum QualityFactorFactor {
        /// `causal_detail`
        CausalDetail = "causal_detail",
        /// `weight_refinement`
        WeightRefinement = "weight_refinement",
        /// `risk_coverage`
        RiskCoverage = "risk_coverage",
        /// `outcome_balance`
        OutcomeBalance = "outcome_balance",
        /// `option_diversity`
        OptionDiversity = "option_diversity",
    }
}

string_enum! {
    /// The values of `RankedActionOutcomeQuality`.
    pub enum RankedActionOutcomeQuality {
        /// `positive`
        Positive = "positive",
        /// `neutral`
        Neutral = "neutral",
        /// `negative`
        Negative = "negative",
        /// `mixed`
        Mixed = "mixed",
    }
}

string_enum! {
    /// The values of `ReviewBiasFindingSeverity`.
    pub enum ReviewBiasFindingSeverity {
        /// `critical`
        Critical = "critical",
        /// `high`
        High = "high",
        /// `medium`
        Medium = "medium",
        /// `low`
        Low = "low",
    }
}

string_enum! {
    /// The values of `RiskProfileType`.
    pub enum RiskProfileType {
        /// `risk_averse`
        RiskAverse = "risk_averse",
        /// `risk_neutral`
        RiskNeutral = "risk_neutral",
        /// `risk_seeking`
        RiskSeeking = "risk_seeking",
    }
}

string_enum! {
    /// The values of `SensitivitySuggestionDirection`.
    pub enum SensitivitySuggestionDirection {
        /// `increase`
        Increase = "increase",
        /// `decrease`
        Decrease = "decrease",
    }
}

string_enum! {
    /// The values of `SuggestEdgeFunctionResponseSuggestedFunction`.
    pub enum SuggestEdgeFunctionResponseSuggestedFunction {
        /// `linear`
        Linear = "linear",
        /// `diminishing_returns`
        DiminishingReturns = "diminishing_returns",
        /// `threshold`
        Threshold = "threshold",
        /// `s_curve`
        SCurve = "s_curve",
    }
}

string_enum! {
    /// The values of `TeamPerspectiveItemStance`.
    pub enum TeamPerspectiveItemStance {
        /// `for`
        For = "for",
        /// `against`
        Against = "against",
        /// `neutral`
        Neutral = "neutral",
    }
}

/// Part of `BiasCheckRequest`, `OptionsRequest`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Archetype {
    /// `decision_type`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision_type: Option<String>,
    /// `match`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub r#match: Option<ArchetypeMatch>,
    /// `confidence`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "js_number::opt"
    )]
    pub confidence: Option<f64>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

impl Archetype {
    /// A request with the required fields; the optional ones are `None`.
    pub fn new() -> Self {
        Self {
            decision_type: None,
            r#match: None,
            confidence: None,
            extra: Map::new(),
        }
    }
}

/// Request body of `POST /assist/v1/options`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OptionsRequest {
    /// `graph`.
    pub graph: Graph,
    /// `archetype`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archetype: Option<Archetype>,
    /// `context_id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context_id: Option<String>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

impl OptionsRequest {
    /// A request with the required fields; the optional ones are `None`.
    pub fn new(graph: Graph) -> Self {
        Self {
            graph,
            archetype: None,
            context_id: None,
            extra: Map::new(),
        }
    }
}

/// Shared by 21 CEE models (for example `BiasCheckResponse` and `CeeErrorBody`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CeeTraceEngine {
    /// `provider`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    /// `model`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// `version`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// `response_hash`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_hash: Option<String>,
    /// `degraded`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub degraded: Option<bool>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Shared by 21 CEE models (for example `BiasCheckResponse` and `CeeErrorBody`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CeeTraceGoalHandling {
    /// `goal_source`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goal_source: Option<CeeTraceGoalHandlingGoalSource>,
    /// `retry_attempted`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_attempted: Option<bool>,
    /// `original_missing_kinds`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_missing_kinds: Option<Vec<String>>,
    /// `goal_node_id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goal_node_id: Option<String>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Shared by 21 CEE models (for example `BiasCheckResponse` and `CeeErrorBody`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CeeTracePipelineStage {
    /// `name`.
    pub name: CeeTracePipelineStageName,
    /// `status`.
    pub status: CeeTracePipelineStageStatus,
    /// `duration_ms`.
    #[serde(serialize_with = "js_number::num")]
    pub duration_ms: f64,
    /// `details`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<Map<String, Value>>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Shared by 21 CEE models (for example `BiasCheckResponse` and `CeeErrorBody`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CeeTracePipelineConnectivity {
    /// `checked`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checked: Option<bool>,
    /// `passed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passed: Option<bool>,
    /// `decision_ids`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision_ids: Option<Vec<String>>,
    /// `reachable_options`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reachable_options: Option<Vec<String>>,
    /// `reachable_goals`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reachable_goals: Option<Vec<String>>,
    /// `unreachable_nodes`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unreachable_nodes: Option<Vec<String>>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Shared by 21 CEE models (for example `BiasCheckResponse` and `CeeErrorBody`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CeeTracePipelineLlmCall {
    /// `provider`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    /// `model`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// `duration_ms`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "js_number::opt"
    )]
    pub duration_ms: Option<f64>,
    /// `raw_output_truncated`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw_output_truncated: Option<bool>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Shared by 21 CEE models (for example `BiasCheckResponse` and `CeeErrorBody`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CeeTracePipelineFinalGraph {
    /// `node_count`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_count: Option<i64>,
    /// `edge_count`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edge_count: Option<i64>,
    /// `node_kinds`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_kinds: Option<Vec<String>>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Shared by 21 CEE models (for example `BiasCheckResponse` and `CeeErrorBody`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CeeTracePipeline {
    /// `status`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<CeeTracePipelineStatus>,
    /// `total_duration_ms`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "js_number::opt"
    )]
    pub total_duration_ms: Option<f64>,
    /// `llm_call_count`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub llm_call_count: Option<i64>,
    /// `stages`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stages: Option<Vec<CeeTracePipelineStage>>,
    /// `connectivity`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connectivity: Option<CeeTracePipelineConnectivity>,
    /// `llm_calls`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub llm_calls: Option<Vec<CeeTracePipelineLlmCall>>,
    /// `final_graph`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub final_graph: Option<CeeTracePipelineFinalGraph>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Shared by 21 CEE models (for example `BiasCheckResponse` and `CeeErrorBody`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CeeTrace {
    /// `request_id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// `correlation_id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correlation_id: Option<String>,
    /// `engine`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engine: Option<CeeTraceEngine>,
    /// `details`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<Map<String, Value>>,
    /// `goal_handling`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goal_handling: Option<CeeTraceGoalHandling>,
    /// `pipeline`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pipeline: Option<CeeTracePipeline>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Shared by 11 CEE models (for example `BiasCheckResponse` and `EvidenceHelperResponse`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CeeQualityIssuesBySeverity {
    /// `error`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<i64>,
    /// `warning`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warning: Option<i64>,
    /// `info`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub info: Option<i64>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Shared by 11 CEE models (for example `BiasCheckResponse` and `EvidenceHelperResponse`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CeeQuality {
    /// `overall`.
    pub overall: i64,
    /// `structure`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub structure: Option<i64>,
    /// `causality`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub causality: Option<i64>,
    /// `coverage`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coverage: Option<i64>,
    /// `safety`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub safety: Option<i64>,
    /// `issues_by_severity`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issues_by_severity: Option<CeeQualityIssuesBySeverity>,
    /// `details`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<Map<String, Value>>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Shared by 6 CEE models (for example `BiasCheckResponse` and `EvidenceHelperResponse`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CeeValidationIssue {
    /// `code`.
    pub code: String,
    /// `severity`.
    pub severity: IssueSeverity,
    /// `field`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// `message`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// `suggestion`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
    /// `meta`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Map<String, Value>>,
    /// `details`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<Map<String, Value>>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Part of `OptionsResponse`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CeeOption {
    /// `id`.
    pub id: String,
    /// `kind`.
    pub kind: CeeOptionKind,
    /// `node_ids`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_ids: Option<Vec<String>>,
    /// `priority`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<Level>,
    /// `explanation`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explanation: Option<String>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Part of `OptionsResponse`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OptionsResponseLimits {
    /// `options_max`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options_max: Option<i64>,
    /// `options_truncated`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options_truncated: Option<bool>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Shared by 6 CEE models (for example `BiasCheckResponse` and `EvidenceHelperResponse`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CeeGuidance {
    /// `summary`.
    pub summary: String,
    /// `risks`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risks: Option<Vec<String>>,
    /// `next_actions`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_actions: Option<Vec<String>>,
    /// `any_truncated`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub any_truncated: Option<bool>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Response of `POST /assist/v1/options`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OptionsResponse {
    /// `trace`.
    pub trace: CeeTrace,
    /// `quality`.
    pub quality: CeeQuality,
    /// `validation_issues`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validation_issues: Option<Vec<CeeValidationIssue>>,
    /// `options`.
    pub options: Vec<CeeOption>,
    /// `response_limits`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_limits: Option<OptionsResponseLimits>,
    /// `guidance`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guidance: Option<CeeGuidance>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Request body of `POST /assist/v1/bias-check`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BiasCheckRequest {
    /// `graph`.
    pub graph: Graph,
    /// `archetype`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archetype: Option<Archetype>,
    /// `context_id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context_id: Option<String>,
    /// `seed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<String>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

impl BiasCheckRequest {
    /// A request with the required fields; the optional ones are `None`.
    pub fn new(graph: Graph) -> Self {
        Self {
            graph,
            archetype: None,
            context_id: None,
            seed: None,
            extra: Map::new(),
        }
    }
}

/// Part of `BiasCheckResponse`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BiasFindingTargets {
    /// `node_ids`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_ids: Option<Vec<String>>,
    /// `edge_ids`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edge_ids: Option<Vec<String>>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Part of `BiasCheckResponse`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BiasFindingMicroIntervention {
    /// `steps`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub steps: Option<Vec<String>>,
    /// `estimated_minutes`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimated_minutes: Option<i64>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Part of `BiasCheckResponse`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CausalValidationDetailsCounterfactualDelta {
    /// `metric`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric: Option<String>,
    /// `change_percent`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "js_number::opt"
    )]
    pub change_percent: Option<f64>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Part of `BiasCheckResponse`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CausalValidationDetails {
    /// `affected_paths`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affected_paths: Option<Vec<String>>,
    /// `counterfactual_delta`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counterfactual_delta: Option<CausalValidationDetailsCounterfactualDelta>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Part of `BiasCheckResponse`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CausalValidation {
    /// `identifiable`.
    pub identifiable: bool,
    /// `strength`.
    #[serde(serialize_with = "js_number::num")]
    pub strength: f64,
    /// `confidence`.
    pub confidence: Level,
    /// `details`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<CausalValidationDetails>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Part of `BiasCheckResponse`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceStrength {
    /// `node_id`.
    pub node_id: String,
    /// `causal_support`.
    pub causal_support: EvidenceStrengthCausalSupport,
    /// `reasoning`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reasoning: Option<String>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Part of `BiasCheckResponse`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BiasFinding {
    /// `id`.
    pub id: String,
    /// `category`.
    pub category: BiasFindingCategory,
    /// `severity`.
    pub severity: Level,
    /// `node_ids`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_ids: Option<Vec<String>>,
    /// `explanation`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explanation: Option<String>,
    /// `code`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// `targets`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub targets: Option<BiasFindingTargets>,
    /// `structural_pattern`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub structural_pattern: Option<String>,
    /// `confidence_band`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence_band: Option<Level>,
    /// `micro_intervention`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub micro_intervention: Option<BiasFindingMicroIntervention>,
    /// `mechanism`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mechanism: Option<String>,
    /// `citation`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citation: Option<String>,
    /// `causal_validation`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub causal_validation: Option<CausalValidation>,
    /// `evidence_strength`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence_strength: Option<Vec<EvidenceStrength>>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Part of `BiasCheckResponse`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BiasCheckResponseLimits {
    /// `bias_findings_max`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bias_findings_max: Option<i64>,
    /// `bias_findings_truncated`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bias_findings_truncated: Option<bool>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Part of `BiasCheckResponse`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BiasMitigationPatch {
    /// `bias_code`.
    pub bias_code: String,
    /// `bias_id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bias_id: Option<String>,
    /// `description`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `patch`.
    pub patch: GraphPatch,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Response of `POST /assist/v1/bias-check`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BiasCheckResponse {
    /// `trace`.
    pub trace: CeeTrace,
    /// `quality`.
    pub quality: CeeQuality,
    /// `validation_issues`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validation_issues: Option<Vec<CeeValidationIssue>>,
    /// `bias_findings`.
    pub bias_findings: Vec<BiasFinding>,
    /// `response_limits`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_limits: Option<BiasCheckResponseLimits>,
    /// `guidance`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guidance: Option<CeeGuidance>,
    /// `mitigation_patches`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mitigation_patches: Option<Vec<BiasMitigationPatch>>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Part of `ExplainGraphRequest`, `SensitivityCoachRequest`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InferenceSummaryExplainTopDriver {
    /// `node_id`.
    pub node_id: String,
    /// `description`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `contribution`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "js_number::opt"
    )]
    pub contribution: Option<f64>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

impl InferenceSummaryExplainTopDriver {
    /// A request with the required fields; the optional ones are `None`.
    pub fn new(node_id: impl Into<String>) -> Self {
        Self {
            node_id: node_id.into(),
            description: None,
            contribution: None,
            extra: Map::new(),
        }
    }
}

/// Part of `ExplainGraphRequest`, `SensitivityCoachRequest`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct InferenceSummaryExplain {
    /// `top_drivers`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub top_drivers: Option<Vec<InferenceSummaryExplainTopDriver>>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

impl InferenceSummaryExplain {
    /// A request with the required fields; the optional ones are `None`.
    pub fn new() -> Self {
        Self {
            top_drivers: None,
            extra: Map::new(),
        }
    }
}

/// Part of `ExplainGraphRequest`, `SensitivityCoachRequest`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InferenceSummary {
    /// `summary`.
    pub summary: String,
    /// `explain`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explain: Option<InferenceSummaryExplain>,
    /// `model_card`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_card: Option<Map<String, Value>>,
    /// `seed`.
    pub seed: String,
    /// `response_hash`.
    pub response_hash: String,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

impl InferenceSummary {
    /// A request with the required fields; the optional ones are `None`.
    pub fn new(
        summary: impl Into<String>,
        seed: impl Into<String>,
        response_hash: impl Into<String>,
    ) -> Self {
        Self {
            summary: summary.into(),
            explain: None,
            model_card: None,
            seed: seed.into(),
            response_hash: response_hash.into(),
            extra: Map::new(),
        }
    }
}

/// Request body of `POST /assist/v1/explain-graph`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExplainGraphRequest {
    /// `graph`.
    pub graph: Graph,
    /// `inference`.
    pub inference: InferenceSummary,
    /// `context_id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context_id: Option<String>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

impl ExplainGraphRequest {
    /// A request with the required fields; the optional ones are `None`.
    pub fn new(graph: Graph, inference: InferenceSummary) -> Self {
        Self {
            graph,
            inference,
            context_id: None,
            extra: Map::new(),
        }
    }
}

/// Part of `ExplainGraphResponse`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExplainGraphResponseExplanationTarget {
    /// `summary`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// `p10`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "js_number::opt"
    )]
    pub p10: Option<f64>,
    /// `p50`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "js_number::opt"
    )]
    pub p50: Option<f64>,
    /// `p90`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "js_number::opt"
    )]
    pub p90: Option<f64>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Part of `ExplainGraphResponse`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExplainGraphResponseExplanationTopDriver {
    /// `id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `impact`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "js_number::opt"
    )]
    pub impact: Option<f64>,
    /// `rank`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rank: Option<i64>,
    /// `label`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Part of `ExplainGraphResponse`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExplainGraphResponseExplanation {
    /// `targets`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub targets: Option<BTreeMap<String, ExplainGraphResponseExplanationTarget>>,
    /// `top_drivers`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub top_drivers: Option<Vec<ExplainGraphResponseExplanationTopDriver>>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Response of `POST /assist/v1/explain-graph`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExplainGraphResponse {
    /// `trace`.
    pub trace: CeeTrace,
    /// `quality`.
    pub quality: CeeQuality,
    /// `validation_issues`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validation_issues: Option<Vec<CeeValidationIssue>>,
    /// `guidance`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guidance: Option<CeeGuidance>,
    /// `explanation`.
    pub explanation: ExplainGraphResponseExplanation,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Part of `EvidenceHelperRequest`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceItemRequest {
    /// `id`.
    pub id: String,
    /// `type`.
    pub r#type: EvidenceItemRequestType,
    /// `source`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// `content`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// `observed_at`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_at: Option<String>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

impl EvidenceItemRequest {
    /// A request with the required fields; the optional ones are `None`.
    pub fn new(id: impl Into<String>, r#type: EvidenceItemRequestType) -> Self {
        Self {
            id: id.into(),
            r#type,
            source: None,
            content: None,
            observed_at: None,
            extra: Map::new(),
        }
    }
}

/// Request body of `POST /assist/v1/evidence-helper`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceHelperRequest {
    /// `evidence`.
    pub evidence: Vec<EvidenceItemRequest>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

impl EvidenceHelperRequest {
    /// A request with the required fields; the optional ones are `None`.
    pub fn new(evidence: Vec<EvidenceItemRequest>) -> Self {
        Self {
            evidence,
            extra: Map::new(),
        }
    }
}

/// Part of `EvidenceHelperResponse`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceItemResponse {
    /// `id`.
    pub id: String,
    /// `type`.
    pub r#type: String,
    /// `strength`.
    pub strength: EvidenceItemResponseStrength,
    /// `relevance`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relevance: Option<Level>,
    /// `freshness`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub freshness: Option<Level>,
    /// `age_days`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "js_number::opt"
    )]
    pub age_days: Option<f64>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Part of `EvidenceHelperResponse`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceHelperResponseLimits {
    /// `items_max`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items_max: Option<i64>,
    /// `items_truncated`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items_truncated: Option<bool>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Response of `POST /assist/v1/evidence-helper`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceHelperResponse {
    /// `trace`.
    pub trace: CeeTrace,
    /// `quality`.
    pub quality: CeeQuality,
    /// `validation_issues`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validation_issues: Option<Vec<CeeValidationIssue>>,
    /// `items`.
    pub items: Vec<EvidenceItemResponse>,
    /// `response_limits`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_limits: Option<EvidenceHelperResponseLimits>,
    /// `guidance`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guidance: Option<CeeGuidance>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Request body of `POST /assist/v1/sensitivity-coach`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SensitivityCoachRequest {
    /// `graph`.
    pub graph: Graph,
    /// `inference`.
    pub inference: InferenceSummary,
    /// `context_id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context_id: Option<String>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

impl SensitivityCoachRequest {
    /// A request with the required fields; the optional ones are `None`.
    pub fn new(graph: Graph, inference: InferenceSummary) -> Self {
        Self {
            graph,
            inference,
            context_id: None,
            extra: Map::new(),
        }
    }
}

/// Part of `SensitivityCoachResponse`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SensitivitySuggestion {
    /// `driver_id`.
    pub driver_id: String,
    /// `rank`.
    pub rank: i64,
    /// `direction`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<SensitivitySuggestionDirection>,
    /// `target_id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_id: Option<String>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Part of `SensitivityCoachResponse`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SensitivityCoachResponseLimits {
    /// `sensitivity_suggestions_max`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sensitivity_suggestions_max: Option<i64>,
    /// `sensitivity_suggestions_truncated`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sensitivity_suggestions_truncated: Option<bool>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Response of `POST /assist/v1/sensitivity-coach`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SensitivityCoachResponse {
    /// `trace`.
    pub trace: CeeTrace,
    /// `quality`.
    pub quality: CeeQuality,
    /// `validation_issues`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validation_issues: Option<Vec<CeeValidationIssue>>,
    /// `sensitivity_suggestions`.
    pub sensitivity_suggestions: Vec<SensitivitySuggestion>,
    /// `response_limits`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_limits: Option<SensitivityCoachResponseLimits>,
    /// `guidance`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guidance: Option<CeeGuidance>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Part of `TeamPerspectivesRequest`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamPerspectiveItem {
    /// `id`.
    pub id: String,
    /// `stance`.
    pub stance: TeamPerspectiveItemStance,
    /// `weight`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "js_number::opt"
    )]
    pub weight: Option<f64>,
    /// `confidence`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "js_number::opt"
    )]
    pub confidence: Option<f64>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

impl TeamPerspectiveItem {
    /// A request with the required fields; the optional ones are `None`.
    pub fn new(id: impl Into<String>, stance: TeamPerspectiveItemStance) -> Self {
        Self {
            id: id.into(),
            stance,
            weight: None,
            confidence: None,
            extra: Map::new(),
        }
    }
}

/// Request body of `POST /assist/v1/team-perspectives`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamPerspectivesRequest {
    /// `perspectives`.
    pub perspectives: Vec<TeamPerspectiveItem>,
    /// `context_id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context_id: Option<String>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

impl TeamPerspectivesRequest {
    /// A request with the required fields; the optional ones are `None`.
    pub fn new(perspectives: Vec<TeamPerspectiveItem>) -> Self {
        Self {
            perspectives,
            context_id: None,
            extra: Map::new(),
        }
    }
}

/// Part of `TeamPerspectivesResponse`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamPerspectivesSummary {
    /// `participant_count`.
    pub participant_count: i64,
    /// `for_count`.
    pub for_count: i64,
    /// `against_count`.
    pub against_count: i64,
    /// `neutral_count`.
    pub neutral_count: i64,
    /// `weighted_for_fraction`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "js_number::opt"
    )]
    pub weighted_for_fraction: Option<f64>,
    /// `disagreement_score`.
    #[serde(serialize_with = "js_number::num")]
    pub disagreement_score: f64,
    /// `has_team_disagreement`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has_team_disagreement: Option<bool>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Response of `POST /assist/v1/team-perspectives`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamPerspectivesResponse {
    /// `trace`.
    pub trace: CeeTrace,
    /// `quality`.
    pub quality: CeeQuality,
    /// `validation_issues`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validation_issues: Option<Vec<CeeValidationIssue>>,
    /// `summary`.
    pub summary: TeamPerspectivesSummary,
    /// `guidance`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guidance: Option<CeeGuidance>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Request body of `POST /assist/v1/graph-readiness`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GraphReadinessRequest {
    /// `graph`.
    pub graph: Graph,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

impl GraphReadinessRequest {
    /// A request with the required fields; the optional ones are `None`.
    pub fn new(graph: Graph) -> Self {
        Self {
            graph,
            extra: Map::new(),
        }
    }
}

/// Part of `GraphReadinessResponse`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QualityFactor {
    /// `factor`.
    pub factor: QualityFactorFactor,
    /// `current_score`.
    pub current_score: i64,
    /// `impact`.
    pub impact: Level,
    /// `recommendation`.
    pub recommendation: String,
    /// `potential_improvement`.
    pub potential_improvement: i64,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Response of `POST /assist/v1/graph-readiness`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GraphReadinessResponse {
    /// `readiness_score`.
    pub readiness_score: i64,
    /// `readiness_level`.
    pub readiness_level: GraphReadinessResponseReadinessLevel,
    /// `confidence_level`.
    pub confidence_level: Level,
    /// `confidence_explanation`.
    pub confidence_explanation: String,
    /// `quality_factors`.
    pub quality_factors: Vec<QualityFactor>,
    /// `can_run_analysis`.
    pub can_run_analysis: bool,
    /// `blocker_reason`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocker_reason: Option<String>,
    /// `trace`.
    pub trace: CeeTrace,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Part of `KeyInsightRequest`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RankedAction {
    /// `node_id`.
    pub node_id: String,
    /// `label`.
    pub label: String,
    /// `expected_utility`.
    #[serde(serialize_with = "js_number::num")]
    pub expected_utility: f64,
    /// `dominant`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dominant: Option<bool>,
    /// `outcome_quality`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome_quality: Option<RankedActionOutcomeQuality>,
    /// `primary_outcome`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_outcome: Option<String>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

impl RankedAction {
    /// A request with the required fields; the optional ones are `None`.
    pub fn new(
        node_id: impl Into<String>,
        label: impl Into<String>,
        expected_utility: f64,
    ) -> Self {
        Self {
            node_id: node_id.into(),
            label: label.into(),
            expected_utility,
            dominant: None,
            outcome_quality: None,
            primary_outcome: None,
            extra: Map::new(),
        }
    }
}

/// Part of `KeyInsightRequest`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Driver {
    /// `node_id`.
    pub node_id: String,
    /// `label`.
    pub label: String,
    /// `impact_pct`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "js_number::opt"
    )]
    pub impact_pct: Option<f64>,
    /// `direction`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<OutcomeDirection>,
    /// `kind`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

impl Driver {
    /// A request with the required fields; the optional ones are `None`.
    pub fn new(node_id: impl Into<String>, label: impl Into<String>) -> Self {
        Self {
            node_id: node_id.into(),
            label: label.into(),
            impact_pct: None,
            direction: None,
            kind: None,
            extra: Map::new(),
        }
    }
}

/// Part of `KeyInsightRequest`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoalInfo {
    /// `id`.
    pub id: String,
    /// `text`.
    pub text: String,
    /// `type`.
    pub r#type: GoalInfoType,
    /// `is_primary`.
    pub is_primary: bool,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

impl GoalInfo {
    /// A request with the required fields; the optional ones are `None`.
    pub fn new(
        id: impl Into<String>,
        text: impl Into<String>,
        r#type: GoalInfoType,
        is_primary: bool,
    ) -> Self {
        Self {
            id: id.into(),
            text: text.into(),
            r#type,
            is_primary,
            extra: Map::new(),
        }
    }
}

/// Part of `KeyInsightRequest`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Identifiability {
    /// `identifiable`.
    pub identifiable: bool,
    /// `method`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// `adjustment_set`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adjustment_set: Option<Vec<String>>,
    /// `explanation`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explanation: Option<String>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

impl Identifiability {
    /// A request with the required fields; the optional ones are `None`.
    pub fn new(identifiable: bool) -> Self {
        Self {
            identifiable,
            method: None,
            adjustment_set: None,
            explanation: None,
            extra: Map::new(),
        }
    }
}

/// Request body of `POST /assist/v1/key-insight`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyInsightRequest {
    /// `graph`.
    pub graph: Graph,
    /// `ranked_actions`.
    pub ranked_actions: Vec<RankedAction>,
    /// `top_drivers`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub top_drivers: Option<Vec<Driver>>,
    /// `context_id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context_id: Option<String>,
    /// `goal_text`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goal_text: Option<String>,
    /// `goal_type`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goal_type: Option<KeyInsightRequestGoalType>,
    /// `goal_id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goal_id: Option<String>,
    /// `goals`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goals: Option<Vec<GoalInfo>>,
    /// `primary_goal_id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_goal_id: Option<String>,
    /// `identifiability`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identifiability: Option<Identifiability>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

impl KeyInsightRequest {
    /// A request with the required fields; the optional ones are `None`.
    pub fn new(graph: Graph, ranked_actions: Vec<RankedAction>) -> Self {
        Self {
            graph,
            ranked_actions,
            top_drivers: None,
            context_id: None,
            goal_text: None,
            goal_type: None,
            goal_id: None,
            goals: None,
            primary_goal_id: None,
            identifiability: None,
            extra: Map::new(),
        }
    }
}

/// Part of `KeyInsightResponse`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeadlineStructured {
    /// `goal_text`.
    #[serde(default)]
    pub goal_text: Option<String>,
    /// `action`.
    pub action: String,
    /// `outcome_type`.
    pub outcome_type: OutcomeDirection,
    /// `likelihood`.
    #[serde(serialize_with = "js_number::num")]
    pub likelihood: f64,
    /// `vs_baseline`.
    #[serde(default, serialize_with = "js_number::opt")]
    pub vs_baseline: Option<f64>,
    /// `vs_baseline_direction`.
    #[serde(default)]
    pub vs_baseline_direction: Option<HeadlineStructuredVsBaselineDirection>,
    /// `ranking_confidence`.
    pub ranking_confidence: Level,
    /// `is_close_race`.
    pub is_close_race: bool,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Response of `POST /assist/v1/key-insight`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyInsightResponse {
    /// `headline`.
    pub headline: String,
    /// `headline_structured`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headline_structured: Option<HeadlineStructured>,
    /// `primary_driver`.
    pub primary_driver: String,
    /// `confidence_statement`.
    pub confidence_statement: String,
    /// `caveat`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caveat: Option<String>,
    /// `evidence`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<Vec<String>>,
    /// `next_steps`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_steps: Option<Vec<String>>,
    /// `recommendation_status`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recommendation_status: Option<KeyInsightResponseRecommendationStatus>,
    /// `identifiability_note`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identifiability_note: Option<String>,
    /// `quality`.
    pub quality: CeeQuality,
    /// `trace`.
    pub trace: CeeTrace,
    /// `provenance` (always `"cee"`).
    pub provenance: String,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Request body of `POST /assist/v1/elicit-belief`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ElicitBeliefRequest {
    /// `node_id`.
    pub node_id: String,
    /// `node_label`.
    pub node_label: String,
    /// `user_expression`.
    pub user_expression: String,
    /// `target_type`.
    pub target_type: ElicitBeliefRequestTargetType,
    /// `context_id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context_id: Option<String>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

impl ElicitBeliefRequest {
    /// A request with the required fields; the optional ones are `None`.
    pub fn new(
        node_id: impl Into<String>,
        node_label: impl Into<String>,
        user_expression: impl Into<String>,
        target_type: ElicitBeliefRequestTargetType,
    ) -> Self {
        Self {
            node_id: node_id.into(),
            node_label: node_label.into(),
            user_expression: user_expression.into(),
            target_type,
            context_id: None,
            extra: Map::new(),
        }
    }
}

/// Part of `ElicitBeliefResponse`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ElicitBeliefOption {
    /// `label`.
    pub label: String,
    /// `value`.
    #[serde(serialize_with = "js_number::num")]
    pub value: f64,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Response of `POST /assist/v1/elicit-belief`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ElicitBeliefResponse {
    /// `suggested_value`.
    #[serde(serialize_with = "js_number::num")]
    pub suggested_value: f64,
    /// `confidence`.
    pub confidence: Level,
    /// `reasoning`.
    pub reasoning: String,
    /// `needs_clarification`.
    pub needs_clarification: bool,
    /// `clarifying_question`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clarifying_question: Option<String>,
    /// `options`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options: Option<Vec<ElicitBeliefOption>>,
    /// `provenance` (always `"cee"`).
    pub provenance: String,
    /// `trace`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace: Option<CeeTrace>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Request body of `POST /assist/v1/suggest-utility-weights`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SuggestUtilityWeightsRequest {
    /// `graph`.
    pub graph: Graph,
    /// `outcome_node_ids`.
    pub outcome_node_ids: Vec<String>,
    /// `decision_description`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision_description: Option<String>,
    /// `context_id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context_id: Option<String>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

impl SuggestUtilityWeightsRequest {
    /// A request with the required fields; the optional ones are `None`.
    pub fn new(graph: Graph, outcome_node_ids: Vec<String>) -> Self {
        Self {
            graph,
            outcome_node_ids,
            decision_description: None,
            context_id: None,
            extra: Map::new(),
        }
    }
}

/// Part of `SuggestUtilityWeightsResponse`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WeightSuggestionItem {
    /// `node_id`.
    pub node_id: String,
    /// `node_label`.
    pub node_label: String,
    /// `suggested_weight`.
    #[serde(serialize_with = "js_number::num")]
    pub suggested_weight: f64,
    /// `reasoning`.
    pub reasoning: String,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Part of `SuggestUtilityWeightsResponse`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlternativeWeightingWeight {
    /// `node_id`.
    pub node_id: String,
    /// `weight`.
    #[serde(serialize_with = "js_number::num")]
    pub weight: f64,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Part of `SuggestUtilityWeightsResponse`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlternativeWeighting {
    /// `name`.
    pub name: String,
    /// `description`.
    pub description: String,
    /// `weights`.
    pub weights: Vec<AlternativeWeightingWeight>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Response of `POST /assist/v1/suggest-utility-weights`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SuggestUtilityWeightsResponse {
    /// `suggestions`.
    pub suggestions: Vec<WeightSuggestionItem>,
    /// `reasoning`.
    pub reasoning: String,
    /// `confidence`.
    pub confidence: Level,
    /// `alternatives`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alternatives: Option<Vec<AlternativeWeighting>>,
    /// `provenance` (always `"cee"`).
    pub provenance: String,
    /// `trace`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace: Option<CeeTrace>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Part of `ElicitRiskToleranceRequest`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RiskToleranceAnswer {
    /// `question_id`.
    pub question_id: String,
    /// `option_id`.
    pub option_id: String,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

impl RiskToleranceAnswer {
    /// A request with the required fields; the optional ones are `None`.
    pub fn new(question_id: impl Into<String>, option_id: impl Into<String>) -> Self {
        Self {
            question_id: question_id.into(),
            option_id: option_id.into(),
            extra: Map::new(),
        }
    }
}

/// Request body of `POST /assist/v1/elicit-risk-tolerance`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ElicitRiskToleranceRequest {
    /// `mode`.
    pub mode: ElicitRiskToleranceRequestMode,
    /// `context`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<ElicitRiskToleranceRequestContext>,
    /// `responses`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub responses: Option<Vec<RiskToleranceAnswer>>,
    /// `context_id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context_id: Option<String>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

impl ElicitRiskToleranceRequest {
    /// A request with the required fields; the optional ones are `None`.
    pub fn new(mode: ElicitRiskToleranceRequestMode) -> Self {
        Self {
            mode,
            context: None,
            responses: None,
            context_id: None,
            extra: Map::new(),
        }
    }
}

/// Part of `SuggestEdgeFunctionRequest`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NodeInfo {
    /// `id`.
    pub id: String,
    /// `label`.
    pub label: String,
    /// `kind`.
    pub kind: String,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

impl NodeInfo {
    /// A request with the required fields; the optional ones are `None`.
    pub fn new(id: impl Into<String>, label: impl Into<String>, kind: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            label: label.into(),
            kind: kind.into(),
            extra: Map::new(),
        }
    }
}

/// Request body of `POST /assist/v1/suggest-edge-function`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SuggestEdgeFunctionRequest {
    /// `edge_id`.
    pub edge_id: String,
    /// `source_node`.
    pub source_node: NodeInfo,
    /// `target_node`.
    pub target_node: NodeInfo,
    /// `relationship_description`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relationship_description: Option<String>,
    /// `context_id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context_id: Option<String>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

impl SuggestEdgeFunctionRequest {
    /// A request with the required fields; the optional ones are `None`.
    pub fn new(edge_id: impl Into<String>, source_node: NodeInfo, target_node: NodeInfo) -> Self {
        Self {
            edge_id: edge_id.into(),
            source_node,
            target_node,
            relationship_description: None,
            context_id: None,
            extra: Map::new(),
        }
    }
}

/// Part of `SuggestEdgeFunctionResponse`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EdgeFunctionParams {
    /// `k`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "js_number::opt"
    )]
    pub k: Option<f64>,
    /// `threshold`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "js_number::opt"
    )]
    pub threshold: Option<f64>,
    /// `slope`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "js_number::opt"
    )]
    pub slope: Option<f64>,
    /// `midpoint`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "js_number::opt"
    )]
    pub midpoint: Option<f64>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Part of `SuggestEdgeFunctionResponse`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EdgeFunctionAlternative {
    /// `function_type`.
    pub function_type: EdgeFunctionAlternativeFunctionType,
    /// `params`.
    pub params: EdgeFunctionParams,
    /// `reasoning`.
    pub reasoning: String,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Response of `POST /assist/v1/suggest-edge-function`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SuggestEdgeFunctionResponse {
    /// `suggested_function`.
    pub suggested_function: SuggestEdgeFunctionResponseSuggestedFunction,
    /// `suggested_params`.
    pub suggested_params: EdgeFunctionParams,
    /// `reasoning`.
    pub reasoning: String,
    /// `alternatives`.
    pub alternatives: Vec<EdgeFunctionAlternative>,
    /// `confidence`.
    pub confidence: Level,
    /// `provenance` (always `"cee"`).
    pub provenance: String,
    /// `trace`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace: Option<CeeTrace>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Part of `GenerateRecommendationRequest`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecommendationAction {
    /// `node_id`.
    pub node_id: String,
    /// `label`.
    pub label: String,
    /// `score`.
    #[serde(serialize_with = "js_number::num")]
    pub score: f64,
    /// `rank`.
    pub rank: i64,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

impl RecommendationAction {
    /// A request with the required fields; the optional ones are `None`.
    pub fn new(
        node_id: impl Into<String>,
        label: impl Into<String>,
        score: f64,
        rank: i64,
    ) -> Self {
        Self {
            node_id: node_id.into(),
            label: label.into(),
            score,
            rank,
            extra: Map::new(),
        }
    }
}

/// Request body of `POST /assist/v1/generate-recommendation`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GenerateRecommendationRequest {
    /// `ranked_actions`.
    pub ranked_actions: Vec<RecommendationAction>,
    /// `goal_label`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goal_label: Option<String>,
    /// `context`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
    /// `tone`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tone: Option<GenerateRecommendationRequestTone>,
    /// `context_id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context_id: Option<String>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

impl GenerateRecommendationRequest {
    /// A request with the required fields; the optional ones are `None`.
    pub fn new(ranked_actions: Vec<RecommendationAction>) -> Self {
        Self {
            ranked_actions,
            goal_label: None,
            context: None,
            tone: None,
            context_id: None,
            extra: Map::new(),
        }
    }
}

/// Response of `POST /assist/v1/generate-recommendation`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GenerateRecommendationResponse {
    /// `headline`.
    pub headline: String,
    /// `recommendation_narrative`.
    pub recommendation_narrative: String,
    /// `confidence_statement`.
    pub confidence_statement: String,
    /// `alternatives_summary`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alternatives_summary: Option<String>,
    /// `caveat`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caveat: Option<String>,
    /// `trace`.
    pub trace: CeeTrace,
    /// `quality`.
    pub quality: CeeQuality,
    /// `provenance` (always `"cee"`).
    pub provenance: String,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Part of `NarrateConditionsRequest`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConditionBranch {
    /// `recommendation`.
    pub recommendation: String,
    /// `confidence`.
    #[serde(serialize_with = "js_number::num")]
    pub confidence: f64,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

impl ConditionBranch {
    /// A request with the required fields; the optional ones are `None`.
    pub fn new(recommendation: impl Into<String>, confidence: f64) -> Self {
        Self {
            recommendation: recommendation.into(),
            confidence,
            extra: Map::new(),
        }
    }
}

/// Part of `NarrateConditionsRequest`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Condition {
    /// `condition_id`.
    pub condition_id: String,
    /// `condition_label`.
    pub condition_label: String,
    /// `if_true`.
    pub if_true: ConditionBranch,
    /// `if_false`.
    pub if_false: ConditionBranch,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

impl Condition {
    /// A request with the required fields; the optional ones are `None`.
    pub fn new(
        condition_id: impl Into<String>,
        condition_label: impl Into<String>,
        if_true: ConditionBranch,
        if_false: ConditionBranch,
    ) -> Self {
        Self {
            condition_id: condition_id.into(),
            condition_label: condition_label.into(),
            if_true,
            if_false,
            extra: Map::new(),
        }
    }
}

/// Request body of `POST /assist/v1/narrate-conditions`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NarrateConditionsRequest {
    /// `conditions`.
    pub conditions: Vec<Condition>,
    /// `primary_recommendation`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_recommendation: Option<String>,
    /// `context`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
    /// `context_id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context_id: Option<String>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

impl NarrateConditionsRequest {
    /// A request with the required fields; the optional ones are `None`.
    pub fn new(conditions: Vec<Condition>) -> Self {
        Self {
            conditions,
            primary_recommendation: None,
            context: None,
            context_id: None,
            extra: Map::new(),
        }
    }
}

/// Part of `NarrateConditionsResponse`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConditionSummary {
    /// `condition`.
    pub condition: String,
    /// `if_true_action`.
    pub if_true_action: String,
    /// `if_false_action`.
    pub if_false_action: String,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Response of `POST /assist/v1/narrate-conditions`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NarrateConditionsResponse {
    /// `narrative`.
    pub narrative: String,
    /// `conditions_summary`.
    pub conditions_summary: Vec<ConditionSummary>,
    /// `key_decision_points`.
    pub key_decision_points: Vec<String>,
    /// `trace`.
    pub trace: CeeTrace,
    /// `quality`.
    pub quality: CeeQuality,
    /// `provenance` (always `"cee"`).
    pub provenance: String,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Part of `ExplainPolicyRequest`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PolicyStep {
    /// `step_number`.
    pub step_number: i64,
    /// `action`.
    pub action: String,
    /// `rationale`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rationale: Option<String>,
    /// `depends_on`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub depends_on: Option<Vec<String>>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

impl PolicyStep {
    /// A request with the required fields; the optional ones are `None`.
    pub fn new(step_number: i64, action: impl Into<String>) -> Self {
        Self {
            step_number,
            action: action.into(),
            rationale: None,
            depends_on: None,
            extra: Map::new(),
        }
    }
}

/// Request body of `POST /assist/v1/explain-policy`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExplainPolicyRequest {
    /// `policy_steps`.
    pub policy_steps: Vec<PolicyStep>,
    /// `goal_label`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goal_label: Option<String>,
    /// `context`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
    /// `context_id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context_id: Option<String>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

impl ExplainPolicyRequest {
    /// A request with the required fields; the optional ones are `None`.
    pub fn new(policy_steps: Vec<PolicyStep>) -> Self {
        Self {
            policy_steps,
            goal_label: None,
            context: None,
            context_id: None,
            extra: Map::new(),
        }
    }
}

/// Part of `ExplainPolicyResponse`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepExplanation {
    /// `step`.
    pub step: i64,
    /// `action`.
    pub action: String,
    /// `explanation`.
    pub explanation: String,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Response of `POST /assist/v1/explain-policy`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExplainPolicyResponse {
    /// `policy_narrative`.
    pub policy_narrative: String,
    /// `steps_explained`.
    pub steps_explained: Vec<StepExplanation>,
    /// `dependencies_explained`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dependencies_explained: Option<String>,
    /// `trace`.
    pub trace: CeeTrace,
    /// `quality`.
    pub quality: CeeQuality,
    /// `provenance` (always `"cee"`).
    pub provenance: String,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Part of `ElicitPreferencesRequest`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ElicitPreferencesOption {
    /// `id`.
    pub id: String,
    /// `label`.
    pub label: String,
    /// `expected_value`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "js_number::opt"
    )]
    pub expected_value: Option<f64>,
    /// `risk_level`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "js_number::opt"
    )]
    pub risk_level: Option<f64>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

impl ElicitPreferencesOption {
    /// A request with the required fields; the optional ones are `None`.
    pub fn new(id: impl Into<String>, label: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            label: label.into(),
            expected_value: None,
            risk_level: None,
            extra: Map::new(),
        }
    }
}

/// Shared by 4 CEE models (for example `ElicitPreferencesAnswerRequest` and `ElicitPreferencesAnswerResponse`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserPreferencesDerivedFrom {
    /// `questions_answered`.
    pub questions_answered: i64,
    /// `last_updated`.
    pub last_updated: String,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

impl UserPreferencesDerivedFrom {
    /// A request with the required fields; the optional ones are `None`.
    pub fn new(questions_answered: i64, last_updated: impl Into<String>) -> Self {
        Self {
            questions_answered,
            last_updated: last_updated.into(),
            extra: Map::new(),
        }
    }
}

/// Shared by 4 CEE models (for example `ElicitPreferencesAnswerRequest` and `ElicitPreferencesAnswerResponse`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserPreferences {
    /// `risk_aversion`.
    #[serde(serialize_with = "js_number::num")]
    pub risk_aversion: f64,
    /// `loss_aversion`.
    #[serde(serialize_with = "js_number::num")]
    pub loss_aversion: f64,
    /// `goal_weights`.
    pub goal_weights: BTreeMap<String, f64>,
    /// `time_discount`.
    #[serde(serialize_with = "js_number::num")]
    pub time_discount: f64,
    /// `confidence`.
    pub confidence: Level,
    /// `derived_from`.
    pub derived_from: UserPreferencesDerivedFrom,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

impl UserPreferences {
    /// A request with the required fields; the optional ones are `None`.
    pub fn new(
        risk_aversion: f64,
        loss_aversion: f64,
        goal_weights: BTreeMap<String, f64>,
        time_discount: f64,
        confidence: Level,
        derived_from: UserPreferencesDerivedFrom,
    ) -> Self {
        Self {
            risk_aversion,
            loss_aversion,
            goal_weights,
            time_discount,
            confidence,
            derived_from,
            extra: Map::new(),
        }
    }
}

/// Request body of `POST /assist/v1/elicit/preferences`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ElicitPreferencesRequest {
    /// `graph_id`.
    pub graph_id: String,
    /// `goal_ids`.
    pub goal_ids: Vec<String>,
    /// `options`.
    pub options: Vec<ElicitPreferencesOption>,
    /// `current_preferences`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_preferences: Option<UserPreferences>,
    /// `max_questions`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_questions: Option<i64>,
    /// `context_id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context_id: Option<String>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

impl ElicitPreferencesRequest {
    /// A request with the required fields; the optional ones are `None`.
    pub fn new(
        graph_id: impl Into<String>,
        goal_ids: Vec<String>,
        options: Vec<ElicitPreferencesOption>,
    ) -> Self {
        Self {
            graph_id: graph_id.into(),
            goal_ids,
            options,
            current_preferences: None,
            max_questions: None,
            context_id: None,
            extra: Map::new(),
        }
    }
}

/// Part of `ElicitPreferencesAnswerResponse`, `ElicitPreferencesResponse`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PreferenceOption {
    /// `id`.
    pub id: PreferenceOptionId,
    /// `label`.
    pub label: String,
    /// `description`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `outcome_value`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "js_number::opt"
    )]
    pub outcome_value: Option<f64>,
    /// `probability`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "js_number::opt"
    )]
    pub probability: Option<f64>,
    /// `timeframe`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeframe: Option<String>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Part of `ElicitPreferencesAnswerResponse`, `ElicitPreferencesResponse`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PreferenceQuestion {
    /// `id`.
    pub id: String,
    /// `type`.
    pub r#type: PreferenceQuestionType,
    /// `question`.
    pub question: String,
    /// `options`.
    pub options: Vec<PreferenceOption>,
    /// `estimated_value`.
    #[serde(serialize_with = "js_number::num")]
    pub estimated_value: f64,
    /// `context_node_ids`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context_node_ids: Option<Vec<String>>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Response of `POST /assist/v1/elicit/preferences`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ElicitPreferencesResponse {
    /// `questions`.
    pub questions: Vec<PreferenceQuestion>,
    /// `estimated_value`.
    #[serde(serialize_with = "js_number::num")]
    pub estimated_value: f64,
    /// `provenance` (always `"cee"`).
    pub provenance: String,
    /// `trace`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace: Option<CeeTrace>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Request body of `POST /assist/v1/elicit/preferences/answer`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ElicitPreferencesAnswerRequest {
    /// `question_id`.
    pub question_id: String,
    /// `answer`.
    pub answer: ElicitPreferencesAnswerRequestAnswer,
    /// `graph_id`.
    pub graph_id: String,
    /// `current_preferences`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_preferences: Option<UserPreferences>,
    /// `context_id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context_id: Option<String>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

impl ElicitPreferencesAnswerRequest {
    /// A request with the required fields; the optional ones are `None`.
    pub fn new(
        question_id: impl Into<String>,
        answer: ElicitPreferencesAnswerRequestAnswer,
        graph_id: impl Into<String>,
    ) -> Self {
        Self {
            question_id: question_id.into(),
            answer,
            graph_id: graph_id.into(),
            current_preferences: None,
            context_id: None,
            extra: Map::new(),
        }
    }
}

/// Response of `POST /assist/v1/elicit/preferences/answer`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ElicitPreferencesAnswerResponse {
    /// `updated_preferences`.
    pub updated_preferences: UserPreferences,
    /// `recommendation_impact`.
    pub recommendation_impact: String,
    /// `remaining_questions`.
    pub remaining_questions: i64,
    /// `next_question`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_question: Option<PreferenceQuestion>,
    /// `provenance` (always `"cee"`).
    pub provenance: String,
    /// `trace`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace: Option<CeeTrace>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Request body of `POST /assist/v1/explain/tradeoff`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExplainTradeoffRequest {
    /// `option_a`.
    pub option_a: String,
    /// `option_b`.
    pub option_b: String,
    /// `user_preferences`.
    pub user_preferences: UserPreferences,
    /// `goal_context`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goal_context: Option<String>,
    /// `context_id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context_id: Option<String>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

impl ExplainTradeoffRequest {
    /// A request with the required fields; the optional ones are `None`.
    pub fn new(
        option_a: impl Into<String>,
        option_b: impl Into<String>,
        user_preferences: UserPreferences,
    ) -> Self {
        Self {
            option_a: option_a.into(),
            option_b: option_b.into(),
            user_preferences,
            goal_context: None,
            context_id: None,
            extra: Map::new(),
        }
    }
}

/// Part of `ExplainTradeoffResponse`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyFactor {
    /// `factor`.
    pub factor: String,
    /// `impact`.
    pub impact: String,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Part of `ExplainTradeoffResponse`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PreferenceAlignment {
    /// `option_a_score`.
    #[serde(serialize_with = "js_number::num")]
    pub option_a_score: f64,
    /// `option_b_score`.
    #[serde(serialize_with = "js_number::num")]
    pub option_b_score: f64,
    /// `recommended`.
    pub recommended: PreferenceAlignmentRecommended,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Response of `POST /assist/v1/explain/tradeoff`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExplainTradeoffResponse {
    /// `explanation`.
    pub explanation: String,
    /// `key_factors`.
    pub key_factors: Vec<KeyFactor>,
    /// `preference_alignment`.
    pub preference_alignment: PreferenceAlignment,
    /// `provenance` (always `"cee"`).
    pub provenance: String,
    /// `trace`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace: Option<CeeTrace>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Part of `IslSynthesisRequest`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IslSensitivityResult {
    /// `factor_id`.
    pub factor_id: String,
    /// `factor_label`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub factor_label: Option<String>,
    /// `sensitivity`.
    #[serde(serialize_with = "js_number::num")]
    pub sensitivity: f64,
    /// `direction`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<IslSensitivityResultDirection>,
    /// `impact_description`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub impact_description: Option<String>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

impl IslSensitivityResult {
    /// A request with the required fields; the optional ones are `None`.
    pub fn new(factor_id: impl Into<String>, sensitivity: f64) -> Self {
        Self {
            factor_id: factor_id.into(),
            factor_label: None,
            sensitivity,
            direction: None,
            impact_description: None,
            extra: Map::new(),
        }
    }
}

/// Part of `IslSynthesisRequest`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IslVoiResult {
    /// `factor_id`.
    pub factor_id: String,
    /// `factor_label`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub factor_label: Option<String>,
    /// `voi`.
    #[serde(serialize_with = "js_number::num")]
    pub voi: f64,
    /// `recommended_research`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recommended_research: Option<String>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

impl IslVoiResult {
    /// A request with the required fields; the optional ones are `None`.
    pub fn new(factor_id: impl Into<String>, voi: f64) -> Self {
        Self {
            factor_id: factor_id.into(),
            factor_label: None,
            voi,
            recommended_research: None,
            extra: Map::new(),
        }
    }
}

/// Part of `IslSynthesisRequest`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IslTippingPoint {
    /// `factor_id`.
    pub factor_id: String,
    /// `factor_label`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub factor_label: Option<String>,
    /// `threshold_value`.
    #[serde(serialize_with = "js_number::num")]
    pub threshold_value: f64,
    /// `current_value`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "js_number::opt"
    )]
    pub current_value: Option<f64>,
    /// `optimal_before`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optimal_before: Option<String>,
    /// `optimal_after`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optimal_after: Option<String>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

impl IslTippingPoint {
    /// A request with the required fields; the optional ones are `None`.
    pub fn new(factor_id: impl Into<String>, threshold_value: f64) -> Self {
        Self {
            factor_id: factor_id.into(),
            factor_label: None,
            threshold_value,
            current_value: None,
            optimal_before: None,
            optimal_after: None,
            extra: Map::new(),
        }
    }
}

/// Part of `IslSynthesisRequest`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IslRobustnessResult {
    /// `recommendation_id`.
    pub recommendation_id: String,
    /// `recommendation_label`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recommendation_label: Option<String>,
    /// `robustness_score`.
    #[serde(serialize_with = "js_number::num")]
    pub robustness_score: f64,
    /// `scenarios_tested`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "js_number::opt"
    )]
    pub scenarios_tested: Option<f64>,
    /// `scenarios_dominant`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "js_number::opt"
    )]
    pub scenarios_dominant: Option<f64>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

impl IslRobustnessResult {
    /// A request with the required fields; the optional ones are `None`.
    pub fn new(recommendation_id: impl Into<String>, robustness_score: f64) -> Self {
        Self {
            recommendation_id: recommendation_id.into(),
            recommendation_label: None,
            robustness_score,
            scenarios_tested: None,
            scenarios_dominant: None,
            extra: Map::new(),
        }
    }
}

/// Request body of `POST /assist/v1/isl-synthesis`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct IslSynthesisRequest {
    /// `sensitivity`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sensitivity: Option<Vec<IslSensitivityResult>>,
    /// `voi`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voi: Option<Vec<IslVoiResult>>,
    /// `tipping_points`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tipping_points: Option<Vec<IslTippingPoint>>,
    /// `robustness`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub robustness: Option<Vec<IslRobustnessResult>>,
    /// `goal_label`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goal_label: Option<String>,
    /// `recommendation_label`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recommendation_label: Option<String>,
    /// `context_id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context_id: Option<String>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

impl IslSynthesisRequest {
    /// A request with the required fields; the optional ones are `None`.
    pub fn new() -> Self {
        Self {
            sensitivity: None,
            voi: None,
            tipping_points: None,
            robustness: None,
            goal_label: None,
            recommendation_label: None,
            context_id: None,
            extra: Map::new(),
        }
    }
}

/// Response of `POST /assist/v1/isl-synthesis`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IslSynthesisResponse {
    /// `robustness_narrative`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub robustness_narrative: Option<String>,
    /// `sensitivity_narrative`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sensitivity_narrative: Option<String>,
    /// `voi_narrative`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voi_narrative: Option<String>,
    /// `tipping_narrative`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tipping_narrative: Option<String>,
    /// `executive_summary`.
    pub executive_summary: String,
    /// `trace`.
    pub trace: CeeTrace,
    /// `quality`.
    pub quality: CeeQuality,
    /// `provenance` (always `"cee"`).
    pub provenance: String,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Part of `AskRequest`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AskGraphSnapshotNode {
    /// `id`.
    pub id: String,
    /// `kind`.
    pub kind: String,
    /// `label`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// `body`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

impl AskGraphSnapshotNode {
    /// A request with the required fields; the optional ones are `None`.
    pub fn new(id: impl Into<String>, kind: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            kind: kind.into(),
            label: None,
            body: None,
            extra: Map::new(),
        }
    }
}

/// Part of `AskRequest`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AskGraphSnapshotEdge {
    /// `from`.
    pub from: String,
    /// `to`.
    pub to: String,
    /// `belief`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "js_number::opt"
    )]
    pub belief: Option<f64>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

impl AskGraphSnapshotEdge {
    /// A request with the required fields; the optional ones are `None`.
    pub fn new(from: impl Into<String>, to: impl Into<String>) -> Self {
        Self {
            from: from.into(),
            to: to.into(),
            belief: None,
            extra: Map::new(),
        }
    }
}

/// Part of `AskRequest`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AskGraphSnapshot {
    /// `nodes`.
    pub nodes: Vec<AskGraphSnapshotNode>,
    /// `edges`.
    pub edges: Vec<AskGraphSnapshotEdge>,
    /// `default_seed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_seed: Option<i64>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

impl AskGraphSnapshot {
    /// A request with the required fields; the optional ones are `None`.
    pub fn new(nodes: Vec<AskGraphSnapshotNode>, edges: Vec<AskGraphSnapshotEdge>) -> Self {
        Self {
            nodes,
            edges,
            default_seed: None,
            extra: Map::new(),
        }
    }
}

/// Part of `AskRequest`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AskMarketContextRef {
    /// `id`.
    pub id: String,
    /// `version`.
    pub version: String,
    /// `hash`.
    pub hash: String,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

impl AskMarketContextRef {
    /// A request with the required fields; the optional ones are `None`.
    pub fn new(id: impl Into<String>, version: impl Into<String>, hash: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            version: version.into(),
            hash: hash.into(),
            extra: Map::new(),
        }
    }
}

/// Part of `AskRequest`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct AskSelection {
    /// `node_id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_id: Option<String>,
    /// `edge_id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edge_id: Option<String>,
    /// `panel_section`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub panel_section: Option<String>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

impl AskSelection {
    /// A request with the required fields; the optional ones are `None`.
    pub fn new() -> Self {
        Self {
            node_id: None,
            edge_id: None,
            panel_section: None,
            extra: Map::new(),
        }
    }
}

/// Part of `AskRequest`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AskTurn {
    /// `role`.
    pub role: AskTurnRole,
    /// `content`.
    pub content: String,
    /// `referenced_ids`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referenced_ids: Option<Vec<String>>,
    /// `timestamp`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

impl AskTurn {
    /// A request with the required fields; the optional ones are `None`.
    pub fn new(role: AskTurnRole, content: impl Into<String>) -> Self {
        Self {
            role,
            content: content.into(),
            referenced_ids: None,
            timestamp: None,
            extra: Map::new(),
        }
    }
}

/// Request body of `POST /assist/v1/ask`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AskRequest {
    /// `request_id`.
    pub request_id: String,
    /// `scenario_id`.
    pub scenario_id: String,
    /// `graph_schema_version` (always `"2.2"`).
    pub graph_schema_version: String,
    /// `brief`.
    pub brief: String,
    /// `message`.
    pub message: String,
    /// `graph_snapshot`.
    pub graph_snapshot: AskGraphSnapshot,
    /// `market_context`.
    pub market_context: AskMarketContextRef,
    /// `selection`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selection: Option<AskSelection>,
    /// `turns_recent`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub turns_recent: Option<Vec<AskTurn>>,
    /// `decision_state_summary`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision_state_summary: Option<String>,
    /// `intent`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intent: Option<AskIntent>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

impl AskRequest {
    /// A request with the required fields; the optional ones are `None`.
    pub fn new(
        request_id: impl Into<String>,
        scenario_id: impl Into<String>,
        graph_schema_version: impl Into<String>,
        brief: impl Into<String>,
        message: impl Into<String>,
        graph_snapshot: AskGraphSnapshot,
        market_context: AskMarketContextRef,
    ) -> Self {
        Self {
            request_id: request_id.into(),
            scenario_id: scenario_id.into(),
            graph_schema_version: graph_schema_version.into(),
            brief: brief.into(),
            message: message.into(),
            graph_snapshot,
            market_context,
            selection: None,
            turns_recent: None,
            decision_state_summary: None,
            intent: None,
            extra: Map::new(),
        }
    }
}

/// Part of `AskResponse`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AskModelAction {
    /// `action_id`.
    pub action_id: String,
    /// `op`.
    pub op: AskModelActionOp,
    /// `target_id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_id: Option<String>,
    /// `payload`.
    pub payload: Map<String, Value>,
    /// `reason_code`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason_code: Option<String>,
    /// `label`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Part of `AskResponse`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AskHighlight {
    /// `type`.
    pub r#type: AskHighlightType,
    /// `ids`.
    pub ids: Vec<String>,
    /// `style`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub style: Option<AskHighlightStyle>,
    /// `label`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Part of `AskResponse`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AskProvenanceItemReferences {
    /// `node_ids`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_ids: Option<Vec<String>>,
    /// `edge_ids`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edge_ids: Option<Vec<String>>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Part of `AskResponse`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AskProvenanceItem {
    /// `source`.
    pub source: AskProvenanceSource,
    /// `confidence`.
    pub confidence: AskProvenanceConfidence,
    /// `note`.
    pub note: String,
    /// `references`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub references: Option<AskProvenanceItemReferences>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Part of `AskResponse`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AskAttribution {
    /// `provider`.
    pub provider: String,
    /// `model_id`.
    pub model_id: String,
    /// `timestamp`.
    pub timestamp: String,
    /// `assistant_response_hash`.
    pub assistant_response_hash: String,
    /// `seed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<i64>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Response of `POST /assist/v1/ask`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AskResponse {
    /// `request_id`.
    pub request_id: String,
    /// `message`.
    pub message: String,
    /// `model_actions`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_actions: Option<Vec<AskModelAction>>,
    /// `highlights`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub highlights: Option<Vec<AskHighlight>>,
    /// `follow_up_question`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follow_up_question: Option<String>,
    /// `why`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<Vec<AskProvenanceItem>>,
    /// `updated_decision_state_summary`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_decision_state_summary: Option<String>,
    /// `attribution`.
    pub attribution: AskAttribution,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Part of `CeeHealth`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CeeHealthCeeConfig {
    /// `feature_version`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feature_version: Option<String>,
    /// `rate_limit_rpm`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_limit_rpm: Option<i64>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Part of `CeeHealth`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CeeHealthRecentErrorCounts {
    /// `total`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<i64>,
    /// `by_capability`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by_capability: Option<BTreeMap<String, i64>>,
    /// `by_status`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by_status: Option<BTreeMap<String, i64>>,
    /// `by_error_code`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by_error_code: Option<BTreeMap<String, i64>>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Response of `GET /assist/v1/health`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CeeHealth {
    /// `service`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    /// `version`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// `provider`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    /// `model`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// `limits_source`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limits_source: Option<String>,
    /// `diagnostics_enabled`.
    pub diagnostics_enabled: bool,
    /// `feature_flags`.
    pub feature_flags: BTreeMap<String, bool>,
    /// `cee_config`.
    pub cee_config: BTreeMap<String, CeeHealthCeeConfig>,
    /// `recent_error_counts`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recent_error_counts: Option<CeeHealthRecentErrorCounts>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Part of `DecisionReviewBundle`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecisionStorySummary {
    /// `headline`.
    pub headline: String,
    /// `key_drivers`.
    pub key_drivers: Vec<String>,
    /// `risks_and_gaps`.
    pub risks_and_gaps: Vec<String>,
    /// `next_actions`.
    pub next_actions: Vec<String>,
    /// `any_truncated`.
    pub any_truncated: bool,
    /// `quality_overall`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quality_overall: Option<i64>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Part of `DecisionReviewBundle`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnvelopeHealth {
    /// `status`.
    pub status: HealthStatus,
    /// `reasons`.
    pub reasons: Vec<String>,
    /// `any_truncated`.
    pub any_truncated: bool,
    /// `has_validation_issues`.
    pub has_validation_issues: bool,
    /// `quality_overall`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quality_overall: Option<i64>,
    /// `source`.
    pub source: EnvelopeKind,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Part of `DecisionReviewBundle`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JourneyHealthPerEnvelope {
    /// `draft`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub draft: Option<EnvelopeHealth>,
    /// `explain`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explain: Option<EnvelopeHealth>,
    /// `evidence`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<EnvelopeHealth>,
    /// `bias`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bias: Option<EnvelopeHealth>,
    /// `options`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options: Option<EnvelopeHealth>,
    /// `sensitivity`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sensitivity: Option<EnvelopeHealth>,
    /// `team`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<EnvelopeHealth>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Part of `DecisionReviewBundle`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JourneyHealth {
    /// `perEnvelope`.
    #[serde(rename = "perEnvelope")]
    pub per_envelope: JourneyHealthPerEnvelope,
    /// `overallStatus`.
    #[serde(rename = "overallStatus")]
    pub overall_status: HealthStatus,
    /// `overallTone`.
    #[serde(rename = "overallTone")]
    pub overall_tone: JourneyHealthOverallTone,
    /// `any_truncated`.
    pub any_truncated: bool,
    /// `has_validation_issues`.
    pub has_validation_issues: bool,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Part of `DecisionReviewBundle`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JourneySummary {
    /// `story`.
    pub story: DecisionStorySummary,
    /// `health`.
    pub health: JourneyHealth,
    /// `is_complete`.
    pub is_complete: bool,
    /// `missing_envelopes`.
    pub missing_envelopes: Vec<EnvelopeKind>,
    /// `has_team_disagreement`.
    pub has_team_disagreement: bool,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Part of `DecisionReviewBundle`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UiFlags {
    /// `has_high_risk_envelopes`.
    pub has_high_risk_envelopes: bool,
    /// `has_team_disagreement`.
    pub has_team_disagreement: bool,
    /// `has_truncation_somewhere`.
    pub has_truncation_somewhere: bool,
    /// `is_journey_complete`.
    pub is_journey_complete: bool,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Part of `DecisionReviewBundle`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecisionReviewBundleTrace {
    /// `request_id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// `correlation_id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correlation_id: Option<String>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Response of `GET /assist/v1/decision-review/example`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecisionReviewBundle {
    /// `story`.
    pub story: DecisionStorySummary,
    /// `journey`.
    pub journey: JourneySummary,
    /// `uiFlags`.
    #[serde(rename = "uiFlags")]
    pub ui_flags: UiFlags,
    /// `trace`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace: Option<DecisionReviewBundleTrace>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Part of `RiskToleranceQuestionsResponse`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RiskToleranceOption {
    /// `id`.
    pub id: String,
    /// `label`.
    pub label: String,
    /// `description`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `risk_score`.
    pub risk_score: i64,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Part of `RiskToleranceQuestionsResponse`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RiskToleranceQuestion {
    /// `id`.
    pub id: String,
    /// `question`.
    pub question: String,
    /// `options`.
    pub options: Vec<RiskToleranceOption>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Response of `POST /assist/v1/elicit-risk-tolerance` in `get_questions` mode.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RiskToleranceQuestionsResponse {
    /// `questions`.
    pub questions: Vec<RiskToleranceQuestion>,
    /// `provenance` (always `"cee"`).
    pub provenance: String,
    /// `trace`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace: Option<CeeTrace>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Part of `RiskToleranceProfileResponse`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RiskProfile {
    /// `type`.
    pub r#type: RiskProfileType,
    /// `score`.
    pub score: i64,
    /// `reasoning`.
    pub reasoning: String,
    /// `recommended_coefficient`.
    #[serde(serialize_with = "js_number::num")]
    pub recommended_coefficient: f64,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Part of `RiskToleranceProfileResponse`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RiskBreakdown {
    /// `certainty`.
    pub certainty: i64,
    /// `loss_aversion`.
    pub loss_aversion: i64,
    /// `time_preference`.
    pub time_preference: i64,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Response of `POST /assist/v1/elicit-risk-tolerance` in `process_responses` mode.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RiskToleranceProfileResponse {
    /// `profile`.
    pub profile: RiskProfile,
    /// `breakdown`.
    pub breakdown: RiskBreakdown,
    /// `confidence`.
    pub confidence: Level,
    /// `provenance` (always `"cee"`).
    pub provenance: String,
    /// `trace`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace: Option<CeeTrace>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Part of `CeeErrorBody`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CeeErrorBodyRecovery {
    /// `suggestion`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
    /// `hints`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hints: Option<Vec<String>>,
    /// `example`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<String>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// The `cee.error.v1` envelope of every `/assist/v1/*` error (the client turns it into `Error::Api`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CeeErrorBody {
    /// `schema` (always `"cee.error.v1"`).
    pub schema: String,
    /// `code`.
    pub code: CeeErrorCode,
    /// `message`.
    pub message: String,
    /// `source`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// `request_id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// `degraded`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub degraded: Option<bool>,
    /// `reason`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// `recovery`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recovery: Option<CeeErrorBodyRecovery>,
    /// `node_count`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_count: Option<i64>,
    /// `edge_count`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edge_count: Option<i64>,
    /// `missing_kinds`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing_kinds: Option<Vec<String>>,
    /// `retryable`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retryable: Option<bool>,
    /// `trace`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace: Option<CeeTrace>,
    /// `details`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<Map<String, Value>>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Part of `CeeReview`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewRecommendation {
    /// `id`.
    pub id: String,
    /// `priority`.
    pub priority: Level,
    /// `message`.
    pub message: String,
    /// `action`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// `affected_nodes`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affected_nodes: Option<Vec<String>>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Part of `CeeReview`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewBiasFindingMicroIntervention {
    /// `steps`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub steps: Option<Vec<String>>,
    /// `estimated_minutes`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimated_minutes: Option<i64>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Part of `CeeReview`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewBiasFinding {
    /// `code`.
    pub code: String,
    /// `severity`.
    pub severity: ReviewBiasFindingSeverity,
    /// `message`.
    pub message: String,
    /// `confidence`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "js_number::opt"
    )]
    pub confidence: Option<f64>,
    /// `affected_node_ids`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affected_node_ids: Option<Vec<String>>,
    /// `micro_intervention`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub micro_intervention: Option<ReviewBiasFindingMicroIntervention>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Part of `CeeReview`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewStructuralIssue {
    /// `code`.
    pub code: String,
    /// `severity`.
    pub severity: IssueSeverity,
    /// `message`.
    pub message: String,
    /// `affected_node_ids`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affected_node_ids: Option<Vec<String>>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// The `review` block of a decision review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CeeReview {
    /// `summary`.
    pub summary: String,
    /// `confidence`.
    #[serde(serialize_with = "js_number::num")]
    pub confidence: f64,
    /// `quality_band`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quality_band: Option<Level>,
    /// `recommendations`.
    pub recommendations: Vec<ReviewRecommendation>,
    /// `bias_findings`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bias_findings: Option<Vec<ReviewBiasFinding>>,
    /// `structural_issues`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub structural_issues: Option<Vec<ReviewStructuralIssue>>,
    /// `strengths`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strengths: Option<Vec<String>>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}
with_extra!(
    OptionsRequest,
    BiasCheckRequest,
    ExplainGraphRequest,
    EvidenceHelperRequest,
    SensitivityCoachRequest,
    TeamPerspectivesRequest,
    GraphReadinessRequest,
    KeyInsightRequest,
    ElicitBeliefRequest,
    SuggestUtilityWeightsRequest,
    ElicitRiskToleranceRequest,
    SuggestEdgeFunctionRequest,
    GenerateRecommendationRequest,
    NarrateConditionsRequest,
    ExplainPolicyRequest,
    ElicitPreferencesRequest,
    ElicitPreferencesAnswerRequest,
    ExplainTradeoffRequest,
    IslSynthesisRequest,
    AskRequest,
);
