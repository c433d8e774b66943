"""Typed views of the service's JSON, and the shapes of requests.

Responses are `Model` objects: a read-only view of the JSON the core decoded (and validated against
its typed model). Declared fields are typed attributes (nested objects become their model class);
any other field the service sends is still reachable as an attribute, as plain JSON values.
``to_dict()`` returns the JSON.

Requests are plain dicts; the ``TypedDict`` classes here describe them for type checkers. A model
object is accepted wherever a dict is.
"""

from __future__ import annotations

import copy
import typing
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, TypedDict, cast

__all__ = [
    "AlternativeWeighting",
    "AlternativeWeightingWeight",
    "AnalysisReady",
    "Archetype",
    "AskAttribution",
    "AskGraphSnapshot",
    "AskGraphSnapshotEdge",
    "AskGraphSnapshotNode",
    "AskHighlight",
    "AskMarketContextRef",
    "AskModelAction",
    "AskProvenanceItem",
    "AskProvenanceItemReferences",
    "AskRequest",
    "AskResponse",
    "AskSelection",
    "AskTurn",
    "Attachment",
    "BiasCheckRequest",
    "BiasCheckResponse",
    "BiasCheckResponseLimits",
    "BiasFinding",
    "BiasFindingMicroIntervention",
    "BiasFindingTargets",
    "BiasMitigationPatch",
    "CausalValidation",
    "CausalValidationDetails",
    "CausalValidationDetailsCounterfactualDelta",
    "CeeDraftGraphRequest",
    "CeeDraftGraphResponse",
    "CeeDraftGraphV1",
    "CeeDraftGraphV3",
    "CeeEdgeV3",
    "CeeGuidance",
    "CeeHealth",
    "CeeHealthCeeConfig",
    "CeeHealthRecentErrorCounts",
    "CeeNodeV3",
    "CeeOption",
    "CeeOptionV3",
    "CeeQuality",
    "CeeQualityIssuesBySeverity",
    "CeeResponse",
    "CeeTrace",
    "CeeTraceEngine",
    "CeeTraceGoalHandling",
    "CeeTracePipeline",
    "CeeTracePipelineConnectivity",
    "CeeTracePipelineFinalGraph",
    "CeeTracePipelineLlmCall",
    "CeeTracePipelineStage",
    "CeeValidationIssue",
    "ClarifyBriefRequest",
    "ClarifyBriefResponse",
    "ClarifyingQuestion",
    "Condition",
    "ConditionBranch",
    "ConditionSummary",
    "CreateShareRequest",
    "CreateShareResponse",
    "CritiqueGraphRequest",
    "CritiqueGraphResponse",
    "CritiqueIssue",
    "DecisionReviewBundle",
    "DecisionReviewBundleTrace",
    "DecisionStorySummary",
    "Diagnostics",
    "DraftGraphInput",
    "DraftGraphOutput",
    "Driver",
    "Edge",
    "EdgeFunctionAlternative",
    "EdgeFunctionParams",
    "EdgeProvenanceV3",
    "ElicitBeliefOption",
    "ElicitBeliefRequest",
    "ElicitBeliefResponse",
    "ElicitPreferencesAnswerRequest",
    "ElicitPreferencesAnswerResponse",
    "ElicitPreferencesOption",
    "ElicitPreferencesRequest",
    "ElicitPreferencesResponse",
    "ElicitRiskToleranceRequest",
    "ElicitRiskToleranceResponse",
    "EnvelopeHealth",
    "EvidenceHelperRequest",
    "EvidenceHelperResponse",
    "EvidenceHelperResponseLimits",
    "EvidenceItemRequest",
    "EvidenceItemResponse",
    "EvidencePackRequest",
    "EvidenceStrength",
    "ExplainDiffRequest",
    "ExplainDiffResponse",
    "ExplainGraphRequest",
    "ExplainGraphResponse",
    "ExplainGraphResponseExplanation",
    "ExplainGraphResponseExplanationTarget",
    "ExplainGraphResponseExplanationTopDriver",
    "ExplainPolicyRequest",
    "ExplainPolicyResponse",
    "ExplainTradeoffRequest",
    "ExplainTradeoffResponse",
    "FactorData",
    "FactorRange",
    "GenerateRecommendationRequest",
    "GenerateRecommendationResponse",
    "GoalInfo",
    "Graph",
    "GraphMeta",
    "GraphMetaV3",
    "GraphPatch",
    "GraphReadinessRequest",
    "GraphReadinessResponse",
    "HeadlineStructured",
    "Health",
    "Identifiability",
    "InferenceSummary",
    "InferenceSummaryExplain",
    "InferenceSummaryExplainTopDriver",
    "InterventionV3",
    "IslRobustnessResult",
    "IslSensitivityResult",
    "IslSynthesisRequest",
    "IslSynthesisResponse",
    "IslTippingPoint",
    "IslVoiResult",
    "JourneyHealth",
    "JourneyHealthPerEnvelope",
    "JourneySummary",
    "KeyFactor",
    "KeyInsightRequest",
    "KeyInsightResponse",
    "Layout",
    "Limits",
    "Model",
    "NarrateConditionsRequest",
    "NarrateConditionsResponse",
    "Node",
    "NodeInfo",
    "ObservedStateV3",
    "OptionData",
    "OptionSuggestion",
    "OptionsRequest",
    "OptionsResponse",
    "OptionsResponseLimits",
    "PatchAdds",
    "PolicyStep",
    "Position",
    "PreferenceAlignment",
    "PreferenceOption",
    "PreferenceQuestion",
    "PreviousAnswer",
    "QualityFactor",
    "QualityScoresV3",
    "Quota",
    "RankedAction",
    "Rationale",
    "RecommendationAction",
    "RequestCounters",
    "ReviewBlock",
    "ReviewReadiness",
    "ReviewReadinessFactor",
    "ReviewRequest",
    "ReviewResponse",
    "ReviewTrace",
    "RevokeShareResponse",
    "RiskBreakdown",
    "RiskProfile",
    "RiskToleranceAnswer",
    "RiskToleranceOption",
    "RiskToleranceProfileResponse",
    "RiskToleranceQuestion",
    "RiskToleranceQuestionsResponse",
    "SensitivityCoachRequest",
    "SensitivityCoachResponse",
    "SensitivityCoachResponseLimits",
    "SensitivitySuggestion",
    "ServiceDiagnostics",
    "SharedContent",
    "Status",
    "StepExplanation",
    "StructuredProvenance",
    "SuggestEdgeFunctionRequest",
    "SuggestEdgeFunctionResponse",
    "SuggestOptionsRequest",
    "SuggestOptionsResponse",
    "SuggestUtilityWeightsRequest",
    "SuggestUtilityWeightsResponse",
    "TargetMatch",
    "TeamPerspectiveItem",
    "TeamPerspectivesRequest",
    "TeamPerspectivesResponse",
    "TeamPerspectivesSummary",
    "UiFlags",
    "UserPreferences",
    "UserPreferencesDerivedFrom",
    "ValidationWarningV3",
    "WeightSuggestionItem",
]

_Convert = Callable[[Any], Any]


def _identity(value: Any) -> Any:
    return value


def _as_dict(value: Any) -> dict[str, Any] | None:
    return cast("dict[str, Any]", value) if isinstance(value, dict) else None


def _as_list(value: Any) -> list[Any] | None:
    # mypy calls the cast redundant; pyright needs it to know the items' type.
    return cast("list[Any]", value) if isinstance(value, list) else None  # type: ignore[redundant-cast]


def _converter(hint: Any) -> _Convert:
    """How to present a JSON value of a field annotated ``hint``."""
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if isinstance(hint, type) and issubclass(hint, Model):
        model: type[Model] = hint

        def to_model(value: Any) -> Any:
            data = _as_dict(value)
            return value if data is None else model(data)

        return to_model
    if origin is list and args:
        item = _converter(args[0])
        if item is _identity:
            return _identity

        def to_list(value: Any) -> Any:
            items = _as_list(value)
            return value if items is None else [item(x) for x in items]

        return to_list
    if origin is dict and len(args) == 2:
        entry = _converter(args[1])
        if entry is _identity:
            return _identity

        def to_dict(value: Any) -> Any:
            data = _as_dict(value)
            return value if data is None else {k: entry(x) for k, x in data.items()}

        return to_dict
    non_none = [a for a in args if a is not type(None)]
    if args and len(non_none) == 1:  # X | None
        return _converter(non_none[0])
    return _identity


class Model:
    """A read-only view of a JSON object; see the module docs."""

    __slots__ = ("_data",)
    _data: dict[str, Any]
    _aliases: ClassVar[Mapping[str, str]] = {}
    _fields_cache: ClassVar[dict[type, dict[str, _Convert]]] = {}

    def __init__(self, data: Mapping[str, Any] | None = None, /, **fields: Any) -> None:
        merged = dict(data or {})
        merged.update(fields)
        object.__setattr__(self, "_data", merged)

    @classmethod
    def _fields(cls) -> dict[str, _Convert]:
        fields = Model._fields_cache.get(cls)
        if fields is None:
            hints = typing.get_type_hints(cls)
            fields = {
                name: _converter(hint)
                for name, hint in hints.items()
                if not name.startswith("_") and typing.get_origin(hint) is not ClassVar
            }
            Model._fields_cache[cls] = fields
        return fields

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        key = self._aliases.get(name, name)
        convert = type(self)._fields().get(name)
        data: dict[str, Any] = self._data
        if key in data:
            value: Any = data[key]
            return value if convert is None else convert(value)
        if convert is not None:
            return None  # a declared optional field the service left out
        raise AttributeError(f"{type(self).__name__} has no field {name!r}")

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only; use to_dict() for a mutable copy")

    def __reduce__(self) -> tuple[type[Model], tuple[dict[str, Any]]]:
        return (type(self), (self._data,))

    def __dir__(self) -> list[str]:
        return sorted({*super().__dir__(), *type(self)._fields(), *self._data})

    def to_dict(self) -> dict[str, Any]:
        """The JSON object (a deep copy)."""
        return copy.deepcopy(self._data)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return bool(self._data == other._data)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        items = ", ".join(f"{key}={_short(value)}" for key, value in self._data.items())
        return f"{type(self).__name__}({items})"


def _short(value: Any, depth: int = 0) -> str:
    """A repr that stays on one screen: nested containers are summarised."""
    data = _as_dict(value)
    if data is not None:
        if depth >= 1 or len(data) > 6:
            return f"{{...{len(data)} keys}}"
        return "{" + ", ".join(f"{k!r}: {_short(v, depth + 1)}" for k, v in data.items()) + "}"
    items = _as_list(value)
    if items is not None:
        if depth >= 1 or len(items) > 3:
            return f"[...{len(items)} items]"
        return "[" + ", ".join(_short(v, depth + 1) for v in items) + "]"
    if isinstance(value, str) and len(value) > 60:
        return repr(value[:57] + "...")
    return repr(value)


# ------------------------------------------------------------------------------------------------
# Graphs
# ------------------------------------------------------------------------------------------------


class Position(Model):
    x: float
    y: float


class GraphMeta(Model):
    roots: list[str]
    leaves: list[str]
    suggested_positions: dict[str, Position]
    source: str | None


class Node(Model):
    id: str
    kind: str
    """``goal``, ``decision``, ``option``, ``outcome``, ``risk``, ``action``, ``factor`` (or newer)."""
    label: str | None
    body: str | None
    data: dict[str, Any] | None


class Edge(Model):
    _aliases: ClassVar[Mapping[str, str]] = {"from_": "from"}
    id: str | None
    from_: str
    """The source node id (``"from"`` in JSON)."""
    to: str
    strength_mean: float | None
    strength_std: float | None
    belief_exists: float | None
    weight: float | None
    belief: float | None
    provenance: Any
    provenance_source: str | None
    effect_direction: str | None


class Graph(Model):
    version: str
    default_seed: float
    nodes: list[Node]
    edges: list[Edge]
    meta: GraphMeta | None


class PatchAdds(Model):
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]


class GraphPatch(Model):
    adds: PatchAdds
    updates: list[Any]
    removes: list[Any]


class Rationale(Model):
    target: str
    why: str
    provenance_source: str | None


class Layout(Model):
    suggested_positions: dict[str, Position]


class Diagnostics(Model):
    resumes: int
    trims: int
    recovered_events: int
    correlation_id: str


# ------------------------------------------------------------------------------------------------
# Responses
# ------------------------------------------------------------------------------------------------


class DraftGraphOutput(Model):
    """``POST /assist/draft-graph`` (and the final event of a stream)."""

    graph: Graph
    patch: GraphPatch
    rationales: list[Rationale]
    issues: list[str] | None
    clarifier_status: str | None
    layout: Layout | None
    debug: Any
    confidence: float | None
    trace: dict[str, Any] | None
    diagnostics: Diagnostics | None


class OptionSuggestion(Model):
    id: str
    title: str
    pros: list[str]
    cons: list[str]
    evidence_to_gather: list[str]


class SuggestOptionsResponse(Model):
    """``POST /assist/suggest-options``."""

    options: list[OptionSuggestion]


class ClarifyingQuestion(Model):
    question: str
    choices: list[str] | None
    why_we_ask: str | None
    impacts_draft: str | None


class ClarifyBriefResponse(Model):
    """``POST /assist/clarify-brief``."""

    questions: list[ClarifyingQuestion]
    confidence: float | None
    should_continue: bool | None
    round: int | None


class CritiqueIssue(Model):
    level: str
    note: str
    target: str | None


class CritiqueGraphResponse(Model):
    """``POST /assist/critique-graph``."""

    issues: list[CritiqueIssue]
    suggested_fixes: list[str]
    overall_quality: str | None


class ExplainDiffResponse(Model):
    """``POST /assist/explain-diff``."""

    rationales: list[Rationale]


class Quota(Model):
    capacity_rpm: float
    tokens: float
    refill_rate_per_sec: float
    retry_after_seconds: float


class Limits(Model):
    """``GET /v1/limits``."""

    schema: str
    key_id: str
    rate_limit_rpm: float
    sse_rate_limit_rpm: float
    quota_backend: str
    graph_max_nodes: int
    graph_max_edges: int
    max_nodes: int | None
    max_edges: int | None
    standard_quota: Quota
    sse_quota: Quota


class Health(Model):
    """``GET /healthz``."""

    ok: bool
    degraded: bool | None
    degraded_reasons: list[str] | None
    service: str | None
    version: str | None
    commit: str | None
    provider: str | None
    model: str | None
    limits_source: str | None
    feature_flags: dict[str, Any] | None
    auth: dict[str, Any] | None
    commit_full: str | None
    llm: dict[str, Any] | None
    cee: dict[str, Any] | None
    isl: dict[str, Any] | None
    prompts: dict[str, Any] | None


class RequestCounters(Model):
    total: int
    client_errors_4xx: int
    server_errors_5xx: int
    error_rate_5xx: float


class Status(Model):
    """``GET /v1/status``."""

    service: str
    version: str
    uptime_seconds: int
    timestamp: str
    requests: RequestCounters | None
    llm: dict[str, Any] | None
    share: dict[str, Any] | None
    feature_flags: dict[str, Any] | None
    performance: dict[str, Any] | None


# ------------------------------------------------------------------------------------------------
# CEE, share links and diagnostics (the fields the core's models type; generated from them)
# ------------------------------------------------------------------------------------------------


class CeeResponse(Model):
    """The fields every CEE capability response has: ``trace`` (request ids, engine), ``quality``,
    ``validation_issues`` and ``guidance``."""

    trace: CeeTrace
    quality: CeeQuality
    validation_issues: list[CeeValidationIssue] | None
    guidance: CeeGuidance | None


class OptionsResponse(CeeResponse):
    """Response of ``POST /assist/v1/options``."""

    options: list[CeeOption]
    response_limits: OptionsResponseLimits | None


class BiasCheckResponse(CeeResponse):
    """Response of ``POST /assist/v1/bias-check``."""

    bias_findings: list[BiasFinding]
    response_limits: BiasCheckResponseLimits | None
    mitigation_patches: list[BiasMitigationPatch] | None


class ExplainGraphResponse(CeeResponse):
    """Response of ``POST /assist/v1/explain-graph``."""

    explanation: ExplainGraphResponseExplanation


class EvidenceHelperResponse(CeeResponse):
    """Response of ``POST /assist/v1/evidence-helper``."""

    items: list[EvidenceItemResponse]
    response_limits: EvidenceHelperResponseLimits | None


class SensitivityCoachResponse(CeeResponse):
    """Response of ``POST /assist/v1/sensitivity-coach``."""

    sensitivity_suggestions: list[SensitivitySuggestion]
    response_limits: SensitivityCoachResponseLimits | None


class TeamPerspectivesResponse(CeeResponse):
    """Response of ``POST /assist/v1/team-perspectives``."""

    summary: TeamPerspectivesSummary


class GraphReadinessResponse(Model):
    """Response of ``POST /assist/v1/graph-readiness``."""

    readiness_score: int
    readiness_level: str
    confidence_level: str
    confidence_explanation: str
    quality_factors: list[QualityFactor]
    can_run_analysis: bool
    blocker_reason: str | None
    trace: CeeTrace


class KeyInsightResponse(Model):
    """Response of ``POST /assist/v1/key-insight``."""

    headline: str
    headline_structured: HeadlineStructured | None
    primary_driver: str
    confidence_statement: str
    caveat: str | None
    evidence: list[str] | None
    next_steps: list[str] | None
    recommendation_status: str | None
    identifiability_note: str | None
    quality: CeeQuality
    trace: CeeTrace
    provenance: str


class ElicitBeliefResponse(Model):
    """Response of ``POST /assist/v1/elicit-belief``."""

    suggested_value: float
    confidence: str
    reasoning: str
    needs_clarification: bool
    clarifying_question: str | None
    options: list[ElicitBeliefOption] | None
    provenance: str
    trace: CeeTrace | None


class SuggestUtilityWeightsResponse(Model):
    """Response of ``POST /assist/v1/suggest-utility-weights``."""

    suggestions: list[WeightSuggestionItem]
    reasoning: str
    confidence: str
    alternatives: list[AlternativeWeighting] | None
    provenance: str
    trace: CeeTrace | None


class SuggestEdgeFunctionResponse(Model):
    """Response of ``POST /assist/v1/suggest-edge-function``."""

    suggested_function: str
    suggested_params: EdgeFunctionParams
    reasoning: str
    alternatives: list[EdgeFunctionAlternative]
    confidence: str
    provenance: str
    trace: CeeTrace | None


class GenerateRecommendationResponse(Model):
    """Response of ``POST /assist/v1/generate-recommendation``."""

    headline: str
    recommendation_narrative: str
    confidence_statement: str
    alternatives_summary: str | None
    caveat: str | None
    trace: CeeTrace
    quality: CeeQuality
    provenance: str


class NarrateConditionsResponse(Model):
    """Response of ``POST /assist/v1/narrate-conditions``."""

    narrative: str
    conditions_summary: list[ConditionSummary]
    key_decision_points: list[str]
    trace: CeeTrace
    quality: CeeQuality
    provenance: str


class ExplainPolicyResponse(Model):
    """Response of ``POST /assist/v1/explain-policy``."""

    policy_narrative: str
    steps_explained: list[StepExplanation]
    dependencies_explained: str | None
    trace: CeeTrace
    quality: CeeQuality
    provenance: str


class ElicitPreferencesResponse(Model):
    """Response of ``POST /assist/v1/elicit/preferences``."""

    questions: list[PreferenceQuestion]
    estimated_value: float
    provenance: str
    trace: CeeTrace | None


class ElicitPreferencesAnswerResponse(Model):
    """Response of ``POST /assist/v1/elicit/preferences/answer``."""

    updated_preferences: UserPreferences
    recommendation_impact: str
    remaining_questions: int
    next_question: PreferenceQuestion | None
    provenance: str
    trace: CeeTrace | None


class ExplainTradeoffResponse(Model):
    """Response of ``POST /assist/v1/explain/tradeoff``."""

    explanation: str
    key_factors: list[KeyFactor]
    preference_alignment: PreferenceAlignment
    provenance: str
    trace: CeeTrace | None


class IslSynthesisResponse(Model):
    """Response of ``POST /assist/v1/isl-synthesis``."""

    robustness_narrative: str | None
    sensitivity_narrative: str | None
    voi_narrative: str | None
    tipping_narrative: str | None
    executive_summary: str
    trace: CeeTrace
    quality: CeeQuality
    provenance: str


class AskResponse(Model):
    """Response of ``POST /assist/v1/ask``."""

    request_id: str
    message: str
    model_actions: list[AskModelAction] | None
    highlights: list[AskHighlight] | None
    follow_up_question: str | None
    why: list[AskProvenanceItem] | None
    updated_decision_state_summary: str | None
    attribution: AskAttribution


class ReviewResponse(Model):
    """Response of ``POST /assist/v1/review``."""

    intent: str
    analysis_state: str
    trace: ReviewTrace
    readiness: ReviewReadiness
    blocks: list[ReviewBlock]
    quality: dict[str, Any] | None
    archetype: dict[str, Any] | None
    response_limits: dict[str, Any] | None
    guidance: dict[str, Any] | None


class CreateShareResponse(Model):
    """Response of ``POST /assist/share`` (HTTP 201)."""

    schema: str
    share_id: str
    url: str
    expires_at: str


class SharedContent(Model):
    """Response of ``GET /assist/share/{token}``: the shared, redacted content."""

    schema: str
    share_id: str
    graph: Graph
    brief: str | None
    created_at: str
    expires_at: str
    access_count: int


class RevokeShareResponse(Model):
    """Response of ``DELETE /assist/share/{token}``."""

    schema: str
    share_id: str
    revoked: bool


class ServiceDiagnostics(Model):
    """Response of ``GET /diagnostics`` (served only when the service enables it, to allow-listed keys). The
    service publishes no schema for it, so the body is kept whole, as JSON."""

    pass


class CeeHealth(Model):
    """Response of ``GET /assist/v1/health``."""

    service: str | None
    version: str | None
    provider: str | None
    model: str | None
    limits_source: str | None
    diagnostics_enabled: bool
    feature_flags: dict[str, bool]
    cee_config: dict[str, CeeHealthCeeConfig]
    recent_error_counts: CeeHealthRecentErrorCounts | None


class DecisionReviewBundle(Model):
    """Response of ``GET /assist/v1/decision-review/example``."""

    story: DecisionStorySummary
    journey: JourneySummary
    uiFlags: UiFlags
    trace: DecisionReviewBundleTrace | None


class CeeTrace(Model):
    """Shared by 21 CEE models (for example ``BiasCheckResponse`` and ``CeeErrorBody``)."""

    request_id: str | None
    correlation_id: str | None
    engine: CeeTraceEngine | None
    details: dict[str, Any] | None
    goal_handling: CeeTraceGoalHandling | None
    pipeline: CeeTracePipeline | None


class CeeQuality(Model):
    """Shared by 11 CEE models (for example ``BiasCheckResponse`` and ``EvidenceHelperResponse``)."""

    overall: int
    structure: int | None
    causality: int | None
    coverage: int | None
    safety: int | None
    issues_by_severity: CeeQualityIssuesBySeverity | None
    details: dict[str, Any] | None


class CeeValidationIssue(Model):
    """Shared by 6 CEE models (for example ``BiasCheckResponse`` and ``EvidenceHelperResponse``)."""

    code: str
    severity: str
    field: str | None
    message: str | None
    suggestion: str | None
    meta: dict[str, Any] | None
    details: dict[str, Any] | None


class CeeOption(Model):
    """Part of ``OptionsResponse``."""

    id: str
    kind: str
    node_ids: list[str] | None
    priority: str | None
    explanation: str | None


class OptionsResponseLimits(Model):
    """Part of ``OptionsResponse``."""

    options_max: int | None
    options_truncated: bool | None


class CeeGuidance(Model):
    """Shared by 6 CEE models (for example ``BiasCheckResponse`` and ``EvidenceHelperResponse``)."""

    summary: str
    risks: list[str] | None
    next_actions: list[str] | None
    any_truncated: bool | None


class BiasFinding(Model):
    """Part of ``BiasCheckResponse``."""

    id: str
    category: str
    severity: str
    node_ids: list[str] | None
    explanation: str | None
    code: str | None
    targets: BiasFindingTargets | None
    structural_pattern: str | None
    confidence_band: str | None
    micro_intervention: BiasFindingMicroIntervention | None
    mechanism: str | None
    citation: str | None
    causal_validation: CausalValidation | None
    evidence_strength: list[EvidenceStrength] | None


class BiasCheckResponseLimits(Model):
    """Part of ``BiasCheckResponse``."""

    bias_findings_max: int | None
    bias_findings_truncated: bool | None


class BiasMitigationPatch(Model):
    """Part of ``BiasCheckResponse``."""

    bias_code: str
    bias_id: str | None
    description: str | None
    patch: GraphPatch


class ExplainGraphResponseExplanation(Model):
    """Part of ``ExplainGraphResponse``."""

    targets: dict[str, ExplainGraphResponseExplanationTarget] | None
    top_drivers: list[ExplainGraphResponseExplanationTopDriver] | None


class EvidenceItemResponse(Model):
    """Part of ``EvidenceHelperResponse``."""

    id: str
    type: str
    strength: str
    relevance: str | None
    freshness: str | None
    age_days: float | None


class EvidenceHelperResponseLimits(Model):
    """Part of ``EvidenceHelperResponse``."""

    items_max: int | None
    items_truncated: bool | None


class SensitivitySuggestion(Model):
    """Part of ``SensitivityCoachResponse``."""

    driver_id: str
    rank: int
    direction: str | None
    target_id: str | None


class SensitivityCoachResponseLimits(Model):
    """Part of ``SensitivityCoachResponse``."""

    sensitivity_suggestions_max: int | None
    sensitivity_suggestions_truncated: bool | None


class TeamPerspectivesSummary(Model):
    """Part of ``TeamPerspectivesResponse``."""

    participant_count: int
    for_count: int
    against_count: int
    neutral_count: int
    weighted_for_fraction: float | None
    disagreement_score: float
    has_team_disagreement: bool | None


class QualityFactor(Model):
    """Part of ``GraphReadinessResponse``."""

    factor: str
    current_score: int
    impact: str
    recommendation: str
    potential_improvement: int


class HeadlineStructured(Model):
    """Part of ``KeyInsightResponse``."""

    goal_text: str | None
    action: str
    outcome_type: str
    likelihood: float
    vs_baseline: float | None
    vs_baseline_direction: str | None
    ranking_confidence: str
    is_close_race: bool


class ElicitBeliefOption(Model):
    """Part of ``ElicitBeliefResponse``."""

    label: str
    value: float


class WeightSuggestionItem(Model):
    """Part of ``SuggestUtilityWeightsResponse``."""

    node_id: str
    node_label: str
    suggested_weight: float
    reasoning: str


class AlternativeWeighting(Model):
    """Part of ``SuggestUtilityWeightsResponse``."""

    name: str
    description: str
    weights: list[AlternativeWeightingWeight]


class EdgeFunctionParams(Model):
    """Part of ``SuggestEdgeFunctionResponse``."""

    k: float | None
    threshold: float | None
    slope: float | None
    midpoint: float | None


class EdgeFunctionAlternative(Model):
    """Part of ``SuggestEdgeFunctionResponse``."""

    function_type: str
    params: EdgeFunctionParams
    reasoning: str


class ConditionSummary(Model):
    """Part of ``NarrateConditionsResponse``."""

    condition: str
    if_true_action: str
    if_false_action: str


class StepExplanation(Model):
    """Part of ``ExplainPolicyResponse``."""

    step: int
    action: str
    explanation: str


class PreferenceQuestion(Model):
    """Part of ``ElicitPreferencesAnswerResponse``, ``ElicitPreferencesResponse``."""

    id: str
    type: str
    question: str
    options: list[PreferenceOption]
    estimated_value: float
    context_node_ids: list[str] | None


class UserPreferences(Model):
    """Shared by 4 CEE models (for example ``ElicitPreferencesAnswerRequest`` and
    ``ElicitPreferencesAnswerResponse``)."""

    risk_aversion: float
    loss_aversion: float
    goal_weights: dict[str, float]
    time_discount: float
    confidence: str
    derived_from: UserPreferencesDerivedFrom


class KeyFactor(Model):
    """Part of ``ExplainTradeoffResponse``."""

    factor: str
    impact: str


class PreferenceAlignment(Model):
    """Part of ``ExplainTradeoffResponse``."""

    option_a_score: float
    option_b_score: float
    recommended: str


class AskModelAction(Model):
    """Part of ``AskResponse``."""

    action_id: str
    op: str
    target_id: str | None
    payload: dict[str, Any]
    reason_code: str | None
    label: str | None


class AskHighlight(Model):
    """Part of ``AskResponse``."""

    type: str
    ids: list[str]
    style: str | None
    label: str | None


class AskProvenanceItem(Model):
    """Part of ``AskResponse``."""

    source: str
    confidence: str
    note: str
    references: AskProvenanceItemReferences | None


class AskAttribution(Model):
    """Part of ``AskResponse``."""

    provider: str
    model_id: str
    timestamp: str
    assistant_response_hash: str
    seed: int | None


class ReviewTrace(Model):
    """The ``trace`` of a [``ReviewResponse``]."""

    request_id: str
    latency_ms: float
    model: str
    correlation_id: str | None


class ReviewReadiness(Model):
    """The ``readiness`` of a [``ReviewResponse``]."""

    level: str
    headline: str
    factors: list[ReviewReadinessFactor]
    score: float | None


class ReviewBlock(Model):
    """One block of a [``ReviewResponse``]: the common fields typed, the block type's own fields
    (``findings``, ``suggestions``, ``headline``, ``warnings``, ``level``, ...) in ``extra``."""

    id: str
    type: str
    generated_at: str
    placeholder: bool | None


class RiskToleranceProfileResponse(Model):
    """Response of ``POST /assist/v1/elicit-risk-tolerance`` in ``process_responses`` mode."""

    profile: RiskProfile
    breakdown: RiskBreakdown
    confidence: str
    provenance: str
    trace: CeeTrace | None


class RiskToleranceQuestionsResponse(Model):
    """Response of ``POST /assist/v1/elicit-risk-tolerance`` in ``get_questions`` mode."""

    questions: list[RiskToleranceQuestion]
    provenance: str
    trace: CeeTrace | None


class CeeHealthCeeConfig(Model):
    """Part of ``CeeHealth``."""

    feature_version: str | None
    rate_limit_rpm: int | None


class CeeHealthRecentErrorCounts(Model):
    """Part of ``CeeHealth``."""

    total: int | None
    by_capability: dict[str, int] | None
    by_status: dict[str, int] | None
    by_error_code: dict[str, int] | None


class DecisionStorySummary(Model):
    """Part of ``DecisionReviewBundle``."""

    headline: str
    key_drivers: list[str]
    risks_and_gaps: list[str]
    next_actions: list[str]
    any_truncated: bool
    quality_overall: int | None


class JourneySummary(Model):
    """Part of ``DecisionReviewBundle``."""

    story: DecisionStorySummary
    health: JourneyHealth
    is_complete: bool
    missing_envelopes: list[str]
    has_team_disagreement: bool


class UiFlags(Model):
    """Part of ``DecisionReviewBundle``."""

    has_high_risk_envelopes: bool
    has_team_disagreement: bool
    has_truncation_somewhere: bool
    is_journey_complete: bool


class DecisionReviewBundleTrace(Model):
    """Part of ``DecisionReviewBundle``."""

    request_id: str | None
    correlation_id: str | None


class CeeDraftGraphV3(Model):
    """The schema v3 body of ``POST /assist/v1/draft-graph``."""

    schema_version: str
    nodes: list[CeeNodeV3]
    edges: list[CeeEdgeV3]
    options: list[CeeOptionV3]
    goal_node_id: str
    analysis_ready: AnalysisReady | None
    validation_warnings: list[ValidationWarningV3] | None
    meta: GraphMetaV3 | None
    quality: QualityScoresV3 | None
    trace: CeeTrace | None


class CeeDraftGraphV1(CeeResponse):
    """The schema v1 body: the draft-graph output plus CEE metadata (``trace``, ``quality``, ...)."""

    graph: Graph
    patch: GraphPatch
    rationales: list[Rationale]
    issues: list[str] | None
    clarifier_status: str | None
    layout: Layout | None
    confidence: float | None
    archetype: Archetype | None
    seed: str | None
    response_hash: str | None
    diagnostics: Diagnostics | None


class CeeTraceEngine(Model):
    """Shared by 21 CEE models (for example ``BiasCheckResponse`` and ``CeeErrorBody``)."""

    provider: str | None
    model: str | None
    version: str | None
    response_hash: str | None
    degraded: bool | None


class CeeTraceGoalHandling(Model):
    """Shared by 21 CEE models (for example ``BiasCheckResponse`` and ``CeeErrorBody``)."""

    goal_source: str | None
    retry_attempted: bool | None
    original_missing_kinds: list[str] | None
    goal_node_id: str | None


class CeeTracePipeline(Model):
    """Shared by 21 CEE models (for example ``BiasCheckResponse`` and ``CeeErrorBody``)."""

    status: str | None
    total_duration_ms: float | None
    llm_call_count: int | None
    stages: list[CeeTracePipelineStage] | None
    connectivity: CeeTracePipelineConnectivity | None
    llm_calls: list[CeeTracePipelineLlmCall] | None
    final_graph: CeeTracePipelineFinalGraph | None


class CeeQualityIssuesBySeverity(Model):
    """Shared by 11 CEE models (for example ``BiasCheckResponse`` and ``EvidenceHelperResponse``)."""

    error: int | None
    warning: int | None
    info: int | None


class BiasFindingTargets(Model):
    """Part of ``BiasCheckResponse``."""

    node_ids: list[str] | None
    edge_ids: list[str] | None


class BiasFindingMicroIntervention(Model):
    """Part of ``BiasCheckResponse``."""

    steps: list[str] | None
    estimated_minutes: int | None


class CausalValidation(Model):
    """Part of ``BiasCheckResponse``."""

    identifiable: bool
    strength: float
    confidence: str
    details: CausalValidationDetails | None


class EvidenceStrength(Model):
    """Part of ``BiasCheckResponse``."""

    node_id: str
    causal_support: str
    reasoning: str | None


class ExplainGraphResponseExplanationTarget(Model):
    """Part of ``ExplainGraphResponse``."""

    summary: str | None
    p10: float | None
    p50: float | None
    p90: float | None


class ExplainGraphResponseExplanationTopDriver(Model):
    """Part of ``ExplainGraphResponse``."""

    id: str | None
    impact: float | None
    rank: int | None
    label: str | None


class AlternativeWeightingWeight(Model):
    """Part of ``SuggestUtilityWeightsResponse``."""

    node_id: str
    weight: float


class PreferenceOption(Model):
    """Part of ``ElicitPreferencesAnswerResponse``, ``ElicitPreferencesResponse``."""

    id: str
    label: str
    description: str | None
    outcome_value: float | None
    probability: float | None
    timeframe: str | None


class UserPreferencesDerivedFrom(Model):
    """Shared by 4 CEE models (for example ``ElicitPreferencesAnswerRequest`` and
    ``ElicitPreferencesAnswerResponse``)."""

    questions_answered: int
    last_updated: str


class AskProvenanceItemReferences(Model):
    """Part of ``AskResponse``."""

    node_ids: list[str] | None
    edge_ids: list[str] | None


class ReviewReadinessFactor(Model):
    """One factor of a [``ReviewReadiness``]."""

    label: str
    status: str


class RiskProfile(Model):
    """Part of ``RiskToleranceProfileResponse``."""

    type: str
    score: int
    reasoning: str
    recommended_coefficient: float


class RiskBreakdown(Model):
    """Part of ``RiskToleranceProfileResponse``."""

    certainty: int
    loss_aversion: int
    time_preference: int


class RiskToleranceQuestion(Model):
    """Part of ``RiskToleranceQuestionsResponse``."""

    id: str
    question: str
    options: list[RiskToleranceOption]


class JourneyHealth(Model):
    """Part of ``DecisionReviewBundle``."""

    perEnvelope: JourneyHealthPerEnvelope
    overallStatus: str
    overallTone: str
    any_truncated: bool
    has_validation_issues: bool


class CeeNodeV3(Model):
    """A v3 node."""

    id: str
    kind: str
    label: str
    description: str | None
    observed_state: ObservedStateV3 | None


class CeeEdgeV3(Model):
    """A v3 edge: a signed linear coefficient with its uncertainty."""

    _aliases: ClassVar[Mapping[str, str]] = {"from_": "from"}
    id: str | None
    from_: str
    to: str
    strength_mean: float
    strength_std: float
    belief_exists: float
    effect_direction: str
    provenance: EdgeProvenanceV3 | None


class CeeOptionV3(Model):
    """A v3 option: a decision path and what it sets each factor to."""

    id: str
    label: str
    description: str | None
    status: str
    interventions: dict[str, InterventionV3]
    raw_interventions: dict[str, Any] | None
    unresolved_targets: list[str] | None
    user_questions: list[str] | None
    provenance: Any | None


class AnalysisReady(Model):
    """The ``analysis_ready`` block of a v3 body."""

    status: str
    blockers: list[Any] | None
    goal_node_id: str | None
    options: list[Any] | None
    model_adjustments: list[Any] | None


class ValidationWarningV3(Model):
    """A v3 validation warning."""

    code: str
    severity: str
    message: str
    affected_option_id: str | None
    affected_node_id: str | None
    suggestion: str | None


class GraphMetaV3(Model):
    """The ``meta`` of a v3 body."""

    roots: list[str] | None
    leaves: list[str] | None
    source: str | None


class QualityScoresV3(Model):
    """The ``quality`` of a v3 body."""

    overall: float
    structure: float | None
    coverage: float | None
    causality: float | None
    safety: float | None


class Archetype(Model):
    """Part of ``BiasCheckRequest``, ``OptionsRequest``."""

    decision_type: str | None
    match: str | None
    confidence: float | None


class CeeTracePipelineStage(Model):
    """Shared by 21 CEE models (for example ``BiasCheckResponse`` and ``CeeErrorBody``)."""

    name: str
    status: str
    duration_ms: float
    details: dict[str, Any] | None


class CeeTracePipelineConnectivity(Model):
    """Shared by 21 CEE models (for example ``BiasCheckResponse`` and ``CeeErrorBody``)."""

    checked: bool | None
    passed: bool | None
    decision_ids: list[str] | None
    reachable_options: list[str] | None
    reachable_goals: list[str] | None
    unreachable_nodes: list[str] | None


class CeeTracePipelineLlmCall(Model):
    """Shared by 21 CEE models (for example ``BiasCheckResponse`` and ``CeeErrorBody``)."""

    provider: str | None
    model: str | None
    duration_ms: float | None
    raw_output_truncated: bool | None


class CeeTracePipelineFinalGraph(Model):
    """Shared by 21 CEE models (for example ``BiasCheckResponse`` and ``CeeErrorBody``)."""

    node_count: int | None
    edge_count: int | None
    node_kinds: list[str] | None


class CausalValidationDetails(Model):
    """Part of ``BiasCheckResponse``."""

    affected_paths: list[str] | None
    counterfactual_delta: CausalValidationDetailsCounterfactualDelta | None


class RiskToleranceOption(Model):
    """Part of ``RiskToleranceQuestionsResponse``."""

    id: str
    label: str
    description: str | None
    risk_score: int


class JourneyHealthPerEnvelope(Model):
    """Part of ``DecisionReviewBundle``."""

    draft: EnvelopeHealth | None
    explain: EnvelopeHealth | None
    evidence: EnvelopeHealth | None
    bias: EnvelopeHealth | None
    options: EnvelopeHealth | None
    sensitivity: EnvelopeHealth | None
    team: EnvelopeHealth | None


class ObservedStateV3(Model):
    """The ``observed_state`` of a v3 factor node."""

    value: float
    baseline: float | None
    unit: str | None
    source: str | None


class EdgeProvenanceV3(Model):
    """The ``provenance`` of a v3 edge."""

    source: str
    reasoning: str | None


class InterventionV3(Model):
    """One intervention of a v3 option on a factor."""

    value: float
    unit: str | None
    source: str
    target_match: TargetMatch
    value_confidence: str | None
    reasoning: str | None
    raw_value: Any | None
    value_type: str | None
    encoding_map: dict[str, float] | None


class CausalValidationDetailsCounterfactualDelta(Model):
    """Part of ``BiasCheckResponse``."""

    metric: str | None
    change_percent: float | None


class FactorData(Model):
    """Quantitative data for a factor node."""

    value: float
    baseline: float | None
    unit: str | None
    range: FactorRange | None
    extractionType: str | None
    confidence: float | None
    rangeMin: float | None
    rangeMax: float | None


class OptionData(Model):
    """Interventions of an option node: factor id to intervention value."""

    interventions: dict[str, float]


class StructuredProvenance(Model):
    """Structured provenance of an edge."""

    source: str
    quote: str
    location: str | None


class EnvelopeHealth(Model):
    """Part of ``DecisionReviewBundle``."""

    status: str
    reasons: list[str]
    any_truncated: bool
    has_validation_issues: bool
    quality_overall: int | None
    source: str


class TargetMatch(Model):
    """How an intervention's target was matched to a node."""

    node_id: str
    match_type: str
    confidence: str


class FactorRange(Model):
    """The ``range`` of a [``FactorData``]."""

    min: float
    max: float


class ElicitRiskToleranceResponse(Model):
    """``POST /assist/v1/elicit-risk-tolerance``: the questions (``mode: get_questions``) or the
    profile (``mode: process_responses``); the other answer's fields are ``None``."""

    profile: RiskProfile | None
    breakdown: RiskBreakdown | None
    confidence: str | None
    provenance: str | None
    trace: CeeTrace | None
    questions: list[RiskToleranceQuestion] | None


class CeeDraftGraphResponse(Model):
    """``POST /assist/v1/draft-graph`` (and the CEE stream's final payload) in whichever schema was
    asked for: v3 (the JSON route's default: top-level ``nodes``, ``edges``, ``options``) or v1 (a nested
    ``graph``, the stream's default); the other schema's fields are ``None``."""

    schema_version: str | None
    nodes: list[CeeNodeV3] | None
    edges: list[CeeEdgeV3] | None
    options: list[CeeOptionV3] | None
    goal_node_id: str | None
    analysis_ready: AnalysisReady | None
    validation_warnings: list[ValidationWarningV3] | None
    meta: GraphMetaV3 | None
    quality: Any
    trace: CeeTrace | None
    graph: Graph | None
    patch: GraphPatch | None
    rationales: list[Rationale] | None
    issues: list[str] | None
    clarifier_status: str | None
    layout: Layout | None
    confidence: float | None
    validation_issues: list[CeeValidationIssue] | None
    archetype: Archetype | None
    seed: str | None
    response_hash: str | None
    guidance: CeeGuidance | None
    diagnostics: Diagnostics | None


# ------------------------------------------------------------------------------------------------
# Requests (plain dicts; these describe them for type checkers)
# ------------------------------------------------------------------------------------------------


class Attachment(TypedDict):
    id: str
    kind: str
    name: str


class _DraftGraphInputRequired(TypedDict):
    brief: str


class DraftGraphInput(_DraftGraphInputRequired, total=False):
    """``POST /assist/draft-graph`` and its stream; ``brief`` is 30..5000 characters."""

    attachments: list[Attachment]
    attachment_payloads: dict[str, Any]
    constraints: dict[str, Any]
    flags: dict[str, bool]
    include_debug: bool
    focus_areas: list[str]
    context: dict[str, Any]
    previous_graph: dict[str, Any]
    refinement_mode: str
    refinement_instructions: str
    preserve_nodes: list[str]
    clarification_rounds_completed: int
    clarifier_response: dict[str, Any]
    conversation_history: list[dict[str, Any]]
    max_clarifier_rounds: int
    raw_output: bool


CeeDraftGraphRequest = DraftGraphInput


class _SuggestOptionsRequired(TypedDict):
    goal: str


class SuggestOptionsRequest(_SuggestOptionsRequired, total=False):
    constraints: dict[str, Any]
    graph_summary: dict[str, Any]


class PreviousAnswer(TypedDict):
    question: str
    answer: str


class _ClarifyBriefRequired(TypedDict):
    brief: str


class ClarifyBriefRequest(_ClarifyBriefRequired, total=False):
    round: int
    previous_answers: list[PreviousAnswer]
    seed: int
    flags: dict[str, bool]


class _CritiqueGraphRequired(TypedDict):
    graph: dict[str, Any]


class CritiqueGraphRequest(_CritiqueGraphRequired, total=False):
    brief: str
    attachments: list[Attachment]
    attachment_payloads: dict[str, Any]
    flags: dict[str, bool]
    focus_areas: list[str]


class _ExplainDiffRequired(TypedDict):
    patch: dict[str, Any]


class ExplainDiffRequest(_ExplainDiffRequired, total=False):
    brief: str
    graph_summary: dict[str, Any]


class EvidencePackRequest(TypedDict, total=False):
    rationales: list[dict[str, Any]]
    citations: list[dict[str, Any]]
    csv_stats: list[dict[str, Any]]
    graph: dict[str, Any]
    brief: str
    pii_guard_mode: str
    include_share_url: bool


# CEE and share link requests (generated from the core's models). Nested objects that responses
# share are plain dicts here.


class _InferenceSummaryExplainTopDriverRequired(TypedDict):
    node_id: str


class InferenceSummaryExplainTopDriver(_InferenceSummaryExplainTopDriverRequired, total=False):
    """Part of ``ExplainGraphRequest``, ``SensitivityCoachRequest``."""

    description: str
    contribution: float


_AskGraphSnapshotEdgeRequired = TypedDict("_AskGraphSnapshotEdgeRequired", {"from": str, "to": str})


class AskGraphSnapshotEdge(_AskGraphSnapshotEdgeRequired, total=False):
    """Part of ``AskRequest``."""

    belief: float


class _AskGraphSnapshotNodeRequired(TypedDict):
    id: str
    kind: str


class AskGraphSnapshotNode(_AskGraphSnapshotNodeRequired, total=False):
    """Part of ``AskRequest``."""

    label: str
    body: str


class ConditionBranch(TypedDict):
    """Part of ``NarrateConditionsRequest``."""

    recommendation: str
    confidence: float


class InferenceSummaryExplain(TypedDict, total=False):
    """Part of ``ExplainGraphRequest``, ``SensitivityCoachRequest``."""

    top_drivers: list[InferenceSummaryExplainTopDriver]


class RiskToleranceAnswer(TypedDict):
    """Part of ``ElicitRiskToleranceRequest``."""

    question_id: str
    option_id: str


class _AskTurnRequired(TypedDict):
    role: str
    content: str


class AskTurn(_AskTurnRequired, total=False):
    """Part of ``AskRequest``."""

    referenced_ids: list[str]
    timestamp: str


class AskSelection(TypedDict, total=False):
    """Part of ``AskRequest``."""

    node_id: str
    edge_id: str
    panel_section: str


class AskMarketContextRef(TypedDict):
    """Part of ``AskRequest``."""

    id: str
    version: str
    hash: str


class _AskGraphSnapshotRequired(TypedDict):
    nodes: list[AskGraphSnapshotNode]
    edges: list[AskGraphSnapshotEdge]


class AskGraphSnapshot(_AskGraphSnapshotRequired, total=False):
    """Part of ``AskRequest``."""

    default_seed: int


class _IslRobustnessResultRequired(TypedDict):
    recommendation_id: str
    robustness_score: float


class IslRobustnessResult(_IslRobustnessResultRequired, total=False):
    """Part of ``IslSynthesisRequest``."""

    recommendation_label: str
    scenarios_tested: float
    scenarios_dominant: float


class _IslTippingPointRequired(TypedDict):
    factor_id: str
    threshold_value: float


class IslTippingPoint(_IslTippingPointRequired, total=False):
    """Part of ``IslSynthesisRequest``."""

    factor_label: str
    current_value: float
    optimal_before: str
    optimal_after: str


class _IslVoiResultRequired(TypedDict):
    factor_id: str
    voi: float


class IslVoiResult(_IslVoiResultRequired, total=False):
    """Part of ``IslSynthesisRequest``."""

    factor_label: str
    recommended_research: str


class _IslSensitivityResultRequired(TypedDict):
    factor_id: str
    sensitivity: float


class IslSensitivityResult(_IslSensitivityResultRequired, total=False):
    """Part of ``IslSynthesisRequest``."""

    factor_label: str
    direction: str
    impact_description: str


class _ElicitPreferencesOptionRequired(TypedDict):
    id: str
    label: str


class ElicitPreferencesOption(_ElicitPreferencesOptionRequired, total=False):
    """Part of ``ElicitPreferencesRequest``."""

    expected_value: float
    risk_level: float


class _PolicyStepRequired(TypedDict):
    step_number: int
    action: str


class PolicyStep(_PolicyStepRequired, total=False):
    """Part of ``ExplainPolicyRequest``."""

    rationale: str
    depends_on: list[str]


class Condition(TypedDict):
    """Part of ``NarrateConditionsRequest``."""

    condition_id: str
    condition_label: str
    if_true: ConditionBranch
    if_false: ConditionBranch


class RecommendationAction(TypedDict):
    """Part of ``GenerateRecommendationRequest``."""

    node_id: str
    label: str
    score: float
    rank: int


class NodeInfo(TypedDict):
    """Part of ``SuggestEdgeFunctionRequest``."""

    id: str
    label: str
    kind: str


class _IdentifiabilityRequired(TypedDict):
    identifiable: bool


class Identifiability(_IdentifiabilityRequired, total=False):
    """Part of ``KeyInsightRequest``."""

    method: str
    adjustment_set: list[str]
    explanation: str


class GoalInfo(TypedDict):
    """Part of ``KeyInsightRequest``."""

    id: str
    text: str
    type: str
    is_primary: bool


class _DriverRequired(TypedDict):
    node_id: str
    label: str


class Driver(_DriverRequired, total=False):
    """Part of ``KeyInsightRequest``."""

    impact_pct: float
    direction: str
    kind: str


class _RankedActionRequired(TypedDict):
    node_id: str
    label: str
    expected_utility: float


class RankedAction(_RankedActionRequired, total=False):
    """Part of ``KeyInsightRequest``."""

    dominant: bool
    outcome_quality: str
    primary_outcome: str


class _TeamPerspectiveItemRequired(TypedDict):
    id: str
    stance: str


class TeamPerspectiveItem(_TeamPerspectiveItemRequired, total=False):
    """Part of ``TeamPerspectivesRequest``."""

    weight: float
    confidence: float


class _EvidenceItemRequestRequired(TypedDict):
    id: str
    type: str


class EvidenceItemRequest(_EvidenceItemRequestRequired, total=False):
    """Part of ``EvidenceHelperRequest``."""

    source: str
    content: str
    observed_at: str


class _InferenceSummaryRequired(TypedDict):
    summary: str
    seed: str
    response_hash: str


class InferenceSummary(_InferenceSummaryRequired, total=False):
    """Part of ``ExplainGraphRequest``, ``SensitivityCoachRequest``."""

    explain: InferenceSummaryExplain
    model_card: dict[str, Any]


class _ElicitRiskToleranceRequestRequired(TypedDict):
    mode: str


class ElicitRiskToleranceRequest(_ElicitRiskToleranceRequestRequired, total=False):
    """Request body of ``POST /assist/v1/elicit-risk-tolerance``."""

    context: str
    responses: list[RiskToleranceAnswer]
    context_id: str


class _CreateShareRequestRequired(TypedDict):
    graph: dict[str, Any]


class CreateShareRequest(_CreateShareRequestRequired, total=False):
    """Request body of ``POST /assist/share``."""

    brief: str
    ttl_hours: float


class _ReviewRequestRequired(TypedDict):
    graph: dict[str, Any]
    brief: str


class ReviewRequest(_ReviewRequestRequired, total=False):
    """Request body of ``POST /assist/v1/review``. Strict on the service: unknown fields are rejected."""

    request_id: str
    inference: dict[str, Any]
    robustness: dict[str, Any]
    robustness_data: dict[str, Any]
    context_id: str
    archetype_hint: str
    seed: str
    flags: dict[str, bool]


class _AskRequestRequired(TypedDict):
    request_id: str
    scenario_id: str
    graph_schema_version: str
    brief: str
    message: str
    graph_snapshot: AskGraphSnapshot
    market_context: AskMarketContextRef


class AskRequest(_AskRequestRequired, total=False):
    """Request body of ``POST /assist/v1/ask``."""

    selection: AskSelection
    turns_recent: list[AskTurn]
    decision_state_summary: str
    intent: str


class IslSynthesisRequest(TypedDict, total=False):
    """Request body of ``POST /assist/v1/isl-synthesis``."""

    sensitivity: list[IslSensitivityResult]
    voi: list[IslVoiResult]
    tipping_points: list[IslTippingPoint]
    robustness: list[IslRobustnessResult]
    goal_label: str
    recommendation_label: str
    context_id: str


class _ExplainTradeoffRequestRequired(TypedDict):
    option_a: str
    option_b: str
    user_preferences: dict[str, Any]


class ExplainTradeoffRequest(_ExplainTradeoffRequestRequired, total=False):
    """Request body of ``POST /assist/v1/explain/tradeoff``."""

    goal_context: str
    context_id: str


class _ElicitPreferencesAnswerRequestRequired(TypedDict):
    question_id: str
    answer: str
    graph_id: str


class ElicitPreferencesAnswerRequest(_ElicitPreferencesAnswerRequestRequired, total=False):
    """Request body of ``POST /assist/v1/elicit/preferences/answer``."""

    current_preferences: dict[str, Any]
    context_id: str


class _ElicitPreferencesRequestRequired(TypedDict):
    graph_id: str
    goal_ids: list[str]
    options: list[ElicitPreferencesOption]


class ElicitPreferencesRequest(_ElicitPreferencesRequestRequired, total=False):
    """Request body of ``POST /assist/v1/elicit/preferences``."""

    current_preferences: dict[str, Any]
    max_questions: int
    context_id: str


class _ExplainPolicyRequestRequired(TypedDict):
    policy_steps: list[PolicyStep]


class ExplainPolicyRequest(_ExplainPolicyRequestRequired, total=False):
    """Request body of ``POST /assist/v1/explain-policy``."""

    goal_label: str
    context: str
    context_id: str


class _NarrateConditionsRequestRequired(TypedDict):
    conditions: list[Condition]


class NarrateConditionsRequest(_NarrateConditionsRequestRequired, total=False):
    """Request body of ``POST /assist/v1/narrate-conditions``."""

    primary_recommendation: str
    context: str
    context_id: str


class _GenerateRecommendationRequestRequired(TypedDict):
    ranked_actions: list[RecommendationAction]


class GenerateRecommendationRequest(_GenerateRecommendationRequestRequired, total=False):
    """Request body of ``POST /assist/v1/generate-recommendation``."""

    goal_label: str
    context: str
    tone: str
    context_id: str


class _SuggestEdgeFunctionRequestRequired(TypedDict):
    edge_id: str
    source_node: NodeInfo
    target_node: NodeInfo


class SuggestEdgeFunctionRequest(_SuggestEdgeFunctionRequestRequired, total=False):
    """Request body of ``POST /assist/v1/suggest-edge-function``."""

    relationship_description: str
    context_id: str


class _SuggestUtilityWeightsRequestRequired(TypedDict):
    graph: dict[str, Any]
    outcome_node_ids: list[str]


class SuggestUtilityWeightsRequest(_SuggestUtilityWeightsRequestRequired, total=False):
    """Request body of ``POST /assist/v1/suggest-utility-weights``."""

    decision_description: str
    context_id: str


class _ElicitBeliefRequestRequired(TypedDict):
    node_id: str
    node_label: str
    user_expression: str
    target_type: str


class ElicitBeliefRequest(_ElicitBeliefRequestRequired, total=False):
    """Request body of ``POST /assist/v1/elicit-belief``."""

    context_id: str


class _KeyInsightRequestRequired(TypedDict):
    graph: dict[str, Any]
    ranked_actions: list[RankedAction]


class KeyInsightRequest(_KeyInsightRequestRequired, total=False):
    """Request body of ``POST /assist/v1/key-insight``."""

    top_drivers: list[Driver]
    context_id: str
    goal_text: str
    goal_type: str
    goal_id: str
    goals: list[GoalInfo]
    primary_goal_id: str
    identifiability: Identifiability


class GraphReadinessRequest(TypedDict):
    """Request body of ``POST /assist/v1/graph-readiness``."""

    graph: dict[str, Any]


class _TeamPerspectivesRequestRequired(TypedDict):
    perspectives: list[TeamPerspectiveItem]


class TeamPerspectivesRequest(_TeamPerspectivesRequestRequired, total=False):
    """Request body of ``POST /assist/v1/team-perspectives``."""

    context_id: str


class _SensitivityCoachRequestRequired(TypedDict):
    graph: dict[str, Any]
    inference: InferenceSummary


class SensitivityCoachRequest(_SensitivityCoachRequestRequired, total=False):
    """Request body of ``POST /assist/v1/sensitivity-coach``."""

    context_id: str


class EvidenceHelperRequest(TypedDict):
    """Request body of ``POST /assist/v1/evidence-helper``."""

    evidence: list[EvidenceItemRequest]


class _ExplainGraphRequestRequired(TypedDict):
    graph: dict[str, Any]
    inference: InferenceSummary


class ExplainGraphRequest(_ExplainGraphRequestRequired, total=False):
    """Request body of ``POST /assist/v1/explain-graph``."""

    context_id: str


class _BiasCheckRequestRequired(TypedDict):
    graph: dict[str, Any]


class BiasCheckRequest(_BiasCheckRequestRequired, total=False):
    """Request body of ``POST /assist/v1/bias-check``."""

    archetype: dict[str, Any]
    context_id: str
    seed: str


class _OptionsRequestRequired(TypedDict):
    graph: dict[str, Any]


class OptionsRequest(_OptionsRequestRequired, total=False):
    """Request body of ``POST /assist/v1/options``."""

    archetype: dict[str, Any]
    context_id: str
