// Type definitions of @olumi/sdk (hand-written; the native layer's are in native.d.ts).
// Models follow the service's schemas. Every model may carry fields this SDK does not know yet.

/// <reference types="node" />

type Extra = { [field: string]: unknown }

// ---------------------------------------------------------------------------------------------
// Options

export interface OlumiClientOptions {
  /** Service address (default: the old SDK's default, the hosted service). */
  baseUrl?: string
  /** API key, sent in `X-Olumi-Assist-Key`. */
  apiKey?: string
  /** API key sent as `Authorization: Bearer`. */
  bearerToken?: string
  /** HMAC secret: every request is signed. Give one authentication method: `apiKey`, `bearerToken` or `hmacSecret`. */
  hmacSecret?: string
  /** What the signature binds of the body: `'unbound'` (default, what the service verifies) or `'sha256'`. */
  bodyHash?: BodyHashMode
  /** Timeout of one request/response exchange, ms (default 60 000). */
  timeout?: number
  /** Connect timeout, ms (default 5 000). */
  connectTimeout?: number
  /** How long a stream may stay silent, heartbeats included, ms (default 30 000). */
  streamIdleTimeout?: number
  /** A deadline across all attempts of one call, ms (default none). */
  totalTimeout?: number
  /** Retries after the first attempt (default 2; 0 disables). */
  maxRetries?: number
  /** Check `x-olumi-response-hash` on JSON responses (default true). */
  verifyResponseHash?: boolean
  /** Resume dropped streams in live mode (default true) or replay mode. */
  resumeLive?: boolean
  /** Extra headers sent on every request. */
  headers?: Record<string, string>
  /** The `User-Agent` header. */
  userAgent?: string
}

export type BodyHashMode = 'unbound' | 'sha256'

export interface RequestOptions {
  /** Cancels the call: it rejects with `OlumiAbortError` and the connection is closed. */
  signal?: AbortSignal
  /** A deadline for this call across all its attempts, ms: `OlumiTimeoutError` when hit. */
  timeout?: number
}

export interface StreamOptions {
  /** Cancels the stream: the iteration throws `OlumiAbortError` and the connection is closed. */
  signal?: AbortSignal
}

export interface ResumeOptions extends StreamOptions {
  /** Live mode (default true): keep streaming until completion; false replays what is buffered. */
  live?: boolean
}

// ---------------------------------------------------------------------------------------------
// Models

export type NodeKind = 'goal' | 'decision' | 'option' | 'outcome' | 'risk' | 'action' | 'factor' | (string & {})

export interface GraphNode extends Extra {
  id: string
  kind: NodeKind
  label?: string
  body?: string
  data?: Record<string, unknown>
}

export interface GraphEdge extends Extra {
  id?: string
  from: string
  to: string
  strength_mean?: number
  strength_std?: number
  belief_exists?: number
  weight?: number
  belief?: number
  provenance?: string | { source: string; quote: string; location?: string }
  provenance_source?: string
  effect_direction?: 'positive' | 'negative' | (string & {})
}

export interface Position extends Extra {
  x: number
  y: number
}

export interface Graph extends Extra {
  version: string
  default_seed: number
  nodes: GraphNode[]
  edges: GraphEdge[]
  meta?: {
    roots: string[]
    leaves: string[]
    suggested_positions: Record<string, Position>
    source?: string
  } & Extra
}

export interface GraphPatch extends Extra {
  adds?: { nodes?: unknown[]; edges?: unknown[] } & Extra
  updates?: unknown[]
  removes?: unknown[]
}

export interface Rationale extends Extra {
  target: string
  why: string
  provenance_source?: string
}

export interface Attachment extends Extra {
  id: string
  kind: 'pdf' | 'csv' | 'txt' | 'md' | (string & {})
  name: string
}

export interface DraftGraphRequest extends Extra {
  /** 30..5000 characters (checked by the service). */
  brief: string
  attachments?: Attachment[]
  attachment_payloads?: Record<string, unknown>
  constraints?: Record<string, unknown>
  flags?: Record<string, boolean>
  include_debug?: boolean
  focus_areas?: string[]
  context?: { goals?: string[] } & Extra
  previous_graph?: Graph
  refinement_mode?: string
  refinement_instructions?: string
  preserve_nodes?: string[]
  clarification_rounds_completed?: number
  clarifier_response?: { question_id: string; answer: string } & Extra
  conversation_history?: Array<{ question_id: string; question: string; answer: string } & Extra>
  max_clarifier_rounds?: number
  raw_output?: boolean
}

export interface DraftGraphResponse extends Extra {
  graph: Graph
  /** Always sent by the service. */
  patch: GraphPatch
  rationales: Rationale[]
  issues?: string[]
  clarifier_status?: string
  layout?: { suggested_positions: Record<string, Position> } & Extra
  debug?: unknown
  confidence?: number
  trace?: unknown
  diagnostics?: {
    resumes: number
    trims: number
    recovered_events: number
    correlation_id: string
  } & Extra
}

export interface SuggestOptionsRequest extends Extra {
  goal: string
  constraints?: Record<string, unknown>
  graph_summary?: unknown
}

export interface SuggestOptionsResponse extends Extra {
  options: Array<{ id: string; title: string; pros: string[]; cons: string[]; evidence_to_gather: string[] } & Extra>
}

export interface ClarifyBriefRequest extends Extra {
  brief: string
  round?: number
  previous_answers?: Array<{ question: string; answer: string } & Extra>
  seed?: number
  flags?: Record<string, boolean>
}

export interface ClarifyBriefResponse extends Extra {
  questions: Array<{ question: string; choices?: string[]; why_we_ask?: string; impacts_draft?: string } & Extra>
  confidence?: number
  should_continue?: boolean
  round?: number
}

export interface CritiqueGraphRequest extends Extra {
  graph: Graph
  brief?: string
  attachments?: Attachment[]
  attachment_payloads?: Record<string, unknown>
  flags?: Record<string, boolean>
  focus_areas?: string[]
}

export interface CritiqueGraphResponse extends Extra {
  issues: Array<
    { level: 'BLOCKER' | 'IMPROVEMENT' | 'OBSERVATION' | (string & {}); note: string; target?: string } & Extra
  >
  suggested_fixes: string[]
  overall_quality?: 'poor' | 'fair' | 'good' | 'excellent' | (string & {})
}

export interface ExplainDiffRequest extends Extra {
  patch: GraphPatch
  brief?: string
  graph_summary?: unknown
}

export interface ExplainDiffResponse extends Extra {
  rationales: Rationale[]
}

export interface EvidencePackRequest extends Extra {
  rationales?: unknown[]
  citations?: unknown[]
  csv_stats?: unknown[]
  graph?: Graph
  brief?: string
  pii_guard_mode?: 'standard' | 'strict' | 'off' | (string & {})
  include_share_url?: boolean
}

export interface CeeDraftGraphRequest extends DraftGraphRequest {}

/**
 * `POST /assist/v1/draft-graph` in the schema asked for: v3 (the JSON route's default: top-level
 * `nodes`, `edges`, `options`, `goal_node_id`) or v1 (`{ schema: 'v1' }`, and the CEE stream's
 * default: a nested `graph`). Other bodies (schema v2, a clarification answer) arrive as they are.
 */
export type CeeDraftGraphResponse = CeeDraftGraphV3 | CeeDraftGraphV1

/** `?schema=` of the CEE draft routes. */
export type CeeSchema = 'v1' | 'v2' | 'v3' | (string & {})

/** The query options of the CEE draft routes. */
export interface CeeDraftGraphQuery {
  /** `?schema=`: `'v3'` is the JSON route's default, `'v1'` the stream's (`'v2'` is deprecated). */
  schema?: CeeSchema
  /** `?strict=true`: an invalid v3 response is an `OlumiBadRequestError` (422 `CEE_V3_VALIDATION_FAILED`). */
  strict?: boolean
}

/**
 * `POST /assist/v1/elicit-risk-tolerance`: the questions (`mode: 'get_questions'`) or the profile
 * (`mode: 'process_responses'`).
 */
export type ElicitRiskToleranceResponse = RiskToleranceProfileResponse | RiskToleranceQuestionsResponse

// ---------------------------------------------------------------------------------------------
// CEE capabilities, share links and diagnostics (the shapes the core's models type)

/** The fields every CEE capability response has. */
export interface CeeResponse extends Extra {
  trace: CeeTrace
  quality: CeeQuality
  validation_issues?: CeeValidationIssue[]
  guidance?: CeeGuidance
}

export type AnalysisState = 'not_run' | 'ran' | 'partial' | 'stale' | (string & {})
export type ArchetypeMatch = 'exact' | 'fuzzy' | 'generic' | (string & {})
export type AskHighlightStyle = 'primary' | 'secondary' | 'warning' | 'error' | (string & {})
export type AskHighlightType = 'node' | 'edge' | 'path' | (string & {})
export type AskIntent = 'clarify' | 'explain' | 'ideate' | 'repair' | 'compare' | 'challenge' | (string & {})
export type AskModelActionOp =
  | 'add_node'
  | 'add_edge'
  | 'update_node'
  | 'update_edge'
  | 'delete_node'
  | 'delete_edge'
  | (string & {})
export type AskProvenanceConfidence = 'high' | 'medium' | 'low' | (string & {})
export type AskProvenanceSource =
  | 'brief'
  | 'graph'
  | 'market_context'
  | 'validator'
  | 'engine'
  | 'user_edit'
  | (string & {})
export type AskTurnRole = 'user' | 'assistant' | (string & {})
export type BiasFindingCategory = 'selection' | 'measurement' | 'optimisation' | 'framing' | 'other' | (string & {})
export type CeeOptionKind =
  | 'expand_scope'
  | 'reduce_scope'
  | 'change_channel'
  | 'adjust_timing'
  | 'other'
  | (string & {})
export type CeeTraceGoalHandlingGoalSource =
  | 'llm_generated'
  | 'retry_generated'
  | 'inferred'
  | 'placeholder'
  | (string & {})
export type CeeTracePipelineStageName =
  | 'llm_draft'
  | 'node_validation'
  | 'connectivity_check'
  | 'goal_repair'
  | 'edge_repair'
  | 'final_validation'
  | (string & {})
export type CeeTracePipelineStageStatus = 'success' | 'failed' | 'skipped' | 'repaired' | (string & {})
export type CeeTracePipelineStatus = 'success' | 'failed' | 'repaired' | (string & {})
export type ClarifierStatus = 'complete' | 'max_rounds' | 'confident' | (string & {})
export type EdgeFunctionAlternativeFunctionType =
  | 'linear'
  | 'diminishing_returns'
  | 'threshold'
  | 's_curve'
  | (string & {})
export type EffectDirection = 'positive' | 'negative' | (string & {})
export type ElicitBeliefRequestTargetType = 'prior' | 'edge_weight' | (string & {})
export type ElicitPreferencesAnswerRequestAnswer = 'A' | 'B' | (string & {})
export type ElicitRiskToleranceRequestContext = 'product' | 'business' | (string & {})
export type ElicitRiskToleranceRequestMode = 'get_questions' | 'process_responses' | (string & {})
export type EnvelopeKind =
  | 'draft'
  | 'explain'
  | 'evidence'
  | 'bias'
  | 'options'
  | 'sensitivity'
  | 'team'
  | (string & {})
export type EvidenceItemRequestType =
  | 'experiment'
  | 'user_research'
  | 'market_data'
  | 'expert_opinion'
  | 'other'
  | (string & {})
export type EvidenceItemResponseStrength = 'none' | 'weak' | 'medium' | 'strong' | (string & {})
export type EvidenceStrengthCausalSupport = 'none' | 'weak' | 'moderate' | 'strong' | (string & {})
export type GenerateRecommendationRequestTone = 'formal' | 'conversational' | (string & {})
export type GoalInfoType = 'binary' | 'continuous' | 'compound' | (string & {})
export type GraphReadinessResponseReadinessLevel = 'ready' | 'fair' | 'needs_work' | (string & {})
export type GraphSource = 'assistant' | 'fixtures' | (string & {})
export type HeadlineStructuredVsBaselineDirection = 'better' | 'worse' | 'same' | (string & {})
export type HealthStatus = 'ok' | 'warning' | 'risk' | (string & {})
export type IslSensitivityResultDirection = 'positive' | 'negative' | (string & {})
export type IssueSeverity = 'error' | 'warning' | 'info' | (string & {})
export type JourneyHealthOverallTone = 'success' | 'warning' | 'danger' | (string & {})
export type KeyInsightRequestGoalType = 'binary' | 'continuous' | 'compound' | (string & {})
export type KeyInsightResponseRecommendationStatus = 'actionable' | 'exploratory' | (string & {})
export type Level = 'high' | 'medium' | 'low' | (string & {})
export type OptionStatusV3 = 'ready' | 'needs_user_mapping' | 'needs_encoding' | (string & {})
export type OutcomeDirection = 'positive' | 'negative' | 'neutral' | (string & {})
export type PreferenceAlignmentRecommended = 'A' | 'B' | 'neutral' | (string & {})
export type PreferenceOptionId = 'A' | 'B' | (string & {})
export type PreferenceQuestionType =
  | 'risk_reward'
  | 'goal_tradeoff'
  | 'loss_aversion'
  | 'time_preference'
  | (string & {})
export type ProvenanceSource = 'document' | 'metric' | 'hypothesis' | 'engine' | (string & {})
export type QualityFactorFactor =
  | 'causal_detail'
  | 'weight_refinement'
  | 'risk_coverage'
  | 'outcome_balance'
  | 'option_diversity'
  | (string & {})
export type RankedActionOutcomeQuality = 'positive' | 'neutral' | 'negative' | 'mixed' | (string & {})
export type ReadinessLevel = 'ready' | 'caution' | 'not_ready' | (string & {})
export type ReviewIntent = 'selection' | 'prediction' | 'validation' | (string & {})
export type RiskProfileType = 'risk_averse' | 'risk_neutral' | 'risk_seeking' | (string & {})
export type SensitivitySuggestionDirection = 'increase' | 'decrease' | (string & {})
export type SuggestEdgeFunctionResponseSuggestedFunction =
  | 'linear'
  | 'diminishing_returns'
  | 'threshold'
  | 's_curve'
  | (string & {})
export type TeamPerspectiveItemStance = 'for' | 'against' | 'neutral' | (string & {})

/** Request body of `POST /assist/v1/options`. */
export interface OptionsRequest extends Extra {
  graph: Graph
  archetype?: Archetype
  context_id?: string
}

/** Request body of `POST /assist/v1/bias-check`. */
export interface BiasCheckRequest extends Extra {
  graph: Graph
  archetype?: Archetype
  context_id?: string
  seed?: string
}

/** Request body of `POST /assist/v1/explain-graph`. */
export interface ExplainGraphRequest extends Extra {
  graph: Graph
  inference: InferenceSummary
  context_id?: string
}

/** Request body of `POST /assist/v1/evidence-helper`. */
export interface EvidenceHelperRequest extends Extra {
  evidence: EvidenceItemRequest[]
}

/** Request body of `POST /assist/v1/sensitivity-coach`. */
export interface SensitivityCoachRequest extends Extra {
  graph: Graph
  inference: InferenceSummary
  context_id?: string
}

/** Request body of `POST /assist/v1/team-perspectives`. */
export interface TeamPerspectivesRequest extends Extra {
  perspectives: TeamPerspectiveItem[]
  context_id?: string
}

/** Request body of `POST /assist/v1/graph-readiness`. */
export interface GraphReadinessRequest extends Extra {
  graph: Graph
}

/** Request body of `POST /assist/v1/key-insight`. */
export interface KeyInsightRequest extends Extra {
  graph: Graph
  ranked_actions: RankedAction[]
  top_drivers?: Driver[]
  context_id?: string
  goal_text?: string
  goal_type?: KeyInsightRequestGoalType
  goal_id?: string
  goals?: GoalInfo[]
  primary_goal_id?: string
  identifiability?: Identifiability
}

/** Request body of `POST /assist/v1/elicit-belief`. */
export interface ElicitBeliefRequest extends Extra {
  node_id: string
  node_label: string
  user_expression: string
  target_type: ElicitBeliefRequestTargetType
  context_id?: string
}

/** Request body of `POST /assist/v1/suggest-utility-weights`. */
export interface SuggestUtilityWeightsRequest extends Extra {
  graph: Graph
  outcome_node_ids: string[]
  decision_description?: string
  context_id?: string
}

/** Request body of `POST /assist/v1/suggest-edge-function`. */
export interface SuggestEdgeFunctionRequest extends Extra {
  edge_id: string
  source_node: NodeInfo
  target_node: NodeInfo
  relationship_description?: string
  context_id?: string
}

/** Request body of `POST /assist/v1/generate-recommendation`. */
export interface GenerateRecommendationRequest extends Extra {
  ranked_actions: RecommendationAction[]
  goal_label?: string
  context?: string
  tone?: GenerateRecommendationRequestTone
  context_id?: string
}

/** Request body of `POST /assist/v1/narrate-conditions`. */
export interface NarrateConditionsRequest extends Extra {
  conditions: Condition[]
  primary_recommendation?: string
  context?: string
  context_id?: string
}

/** Request body of `POST /assist/v1/explain-policy`. */
export interface ExplainPolicyRequest extends Extra {
  policy_steps: PolicyStep[]
  goal_label?: string
  context?: string
  context_id?: string
}

/** Request body of `POST /assist/v1/elicit/preferences`. */
export interface ElicitPreferencesRequest extends Extra {
  graph_id: string
  goal_ids: string[]
  options: ElicitPreferencesOption[]
  current_preferences?: UserPreferences
  max_questions?: number
  context_id?: string
}

/** Request body of `POST /assist/v1/elicit/preferences/answer`. */
export interface ElicitPreferencesAnswerRequest extends Extra {
  question_id: string
  answer: ElicitPreferencesAnswerRequestAnswer
  graph_id: string
  current_preferences?: UserPreferences
  context_id?: string
}

/** Request body of `POST /assist/v1/explain/tradeoff`. */
export interface ExplainTradeoffRequest extends Extra {
  option_a: string
  option_b: string
  user_preferences: UserPreferences
  goal_context?: string
  context_id?: string
}

/** Request body of `POST /assist/v1/isl-synthesis`. */
export interface IslSynthesisRequest extends Extra {
  sensitivity?: IslSensitivityResult[]
  voi?: IslVoiResult[]
  tipping_points?: IslTippingPoint[]
  robustness?: IslRobustnessResult[]
  goal_label?: string
  recommendation_label?: string
  context_id?: string
}

/** Request body of `POST /assist/v1/ask`. */
export interface AskRequest extends Extra {
  request_id: string
  scenario_id: string
  graph_schema_version: string
  brief: string
  message: string
  graph_snapshot: AskGraphSnapshot
  market_context: AskMarketContextRef
  selection?: AskSelection
  turns_recent?: AskTurn[]
  decision_state_summary?: string
  intent?: AskIntent
}

/** Request body of `POST /assist/v1/review`. Strict on the service: unknown fields are rejected. */
export interface ReviewRequest extends Extra {
  graph: Graph
  brief: string
  request_id?: string
  inference?: Record<string, unknown>
  robustness?: Record<string, unknown>
  robustness_data?: Record<string, unknown>
  context_id?: string
  archetype_hint?: string
  seed?: string
  flags?: Record<string, boolean>
}

/** Request body of `POST /assist/share`. */
export interface CreateShareRequest extends Extra {
  graph: Graph
  brief?: string
  ttl_hours?: number
}

/** Request body of `POST /assist/v1/elicit-risk-tolerance`. */
export interface ElicitRiskToleranceRequest extends Extra {
  mode: ElicitRiskToleranceRequestMode
  context?: ElicitRiskToleranceRequestContext
  responses?: RiskToleranceAnswer[]
  context_id?: string
}

/** Response of `POST /assist/v1/options`. */
export interface OptionsResponse extends CeeResponse {
  options: CeeOption[]
  response_limits?: OptionsResponseLimits
}

/** Response of `POST /assist/v1/bias-check`. */
export interface BiasCheckResponse extends CeeResponse {
  bias_findings: BiasFinding[]
  response_limits?: BiasCheckResponseLimits
  mitigation_patches?: BiasMitigationPatch[]
}

/** Response of `POST /assist/v1/explain-graph`. */
export interface ExplainGraphResponse extends CeeResponse {
  explanation: ExplainGraphResponseExplanation
}

/** Response of `POST /assist/v1/evidence-helper`. */
export interface EvidenceHelperResponse extends CeeResponse {
  items: EvidenceItemResponse[]
  response_limits?: EvidenceHelperResponseLimits
}

/** Response of `POST /assist/v1/sensitivity-coach`. */
export interface SensitivityCoachResponse extends CeeResponse {
  sensitivity_suggestions: SensitivitySuggestion[]
  response_limits?: SensitivityCoachResponseLimits
}

/** Response of `POST /assist/v1/team-perspectives`. */
export interface TeamPerspectivesResponse extends CeeResponse {
  summary: TeamPerspectivesSummary
}

/** Response of `POST /assist/v1/graph-readiness`. */
export interface GraphReadinessResponse extends Extra {
  readiness_score: number
  readiness_level: GraphReadinessResponseReadinessLevel
  confidence_level: Level
  confidence_explanation: string
  quality_factors: QualityFactor[]
  can_run_analysis: boolean
  blocker_reason?: string
  trace: CeeTrace
}

/** Response of `POST /assist/v1/key-insight`. */
export interface KeyInsightResponse extends Extra {
  headline: string
  headline_structured?: HeadlineStructured
  primary_driver: string
  confidence_statement: string
  caveat?: string
  evidence?: string[]
  next_steps?: string[]
  recommendation_status?: KeyInsightResponseRecommendationStatus
  identifiability_note?: string
  quality: CeeQuality
  trace: CeeTrace
  provenance: string
}

/** Response of `POST /assist/v1/elicit-belief`. */
export interface ElicitBeliefResponse extends Extra {
  suggested_value: number
  confidence: Level
  reasoning: string
  needs_clarification: boolean
  clarifying_question?: string
  options?: ElicitBeliefOption[]
  provenance: string
  trace?: CeeTrace
}

/** Response of `POST /assist/v1/suggest-utility-weights`. */
export interface SuggestUtilityWeightsResponse extends Extra {
  suggestions: WeightSuggestionItem[]
  reasoning: string
  confidence: Level
  alternatives?: AlternativeWeighting[]
  provenance: string
  trace?: CeeTrace
}

/** Response of `POST /assist/v1/suggest-edge-function`. */
export interface SuggestEdgeFunctionResponse extends Extra {
  suggested_function: SuggestEdgeFunctionResponseSuggestedFunction
  suggested_params: EdgeFunctionParams
  reasoning: string
  alternatives: EdgeFunctionAlternative[]
  confidence: Level
  provenance: string
  trace?: CeeTrace
}

/** Response of `POST /assist/v1/generate-recommendation`. */
export interface GenerateRecommendationResponse extends Extra {
  headline: string
  recommendation_narrative: string
  confidence_statement: string
  alternatives_summary?: string
  caveat?: string
  trace: CeeTrace
  quality: CeeQuality
  provenance: string
}

/** Response of `POST /assist/v1/narrate-conditions`. */
export interface NarrateConditionsResponse extends Extra {
  narrative: string
  conditions_summary: ConditionSummary[]
  key_decision_points: string[]
  trace: CeeTrace
  quality: CeeQuality
  provenance: string
}

/** Response of `POST /assist/v1/explain-policy`. */
export interface ExplainPolicyResponse extends Extra {
  policy_narrative: string
  steps_explained: StepExplanation[]
  dependencies_explained?: string
  trace: CeeTrace
  quality: CeeQuality
  provenance: string
}

/** Response of `POST /assist/v1/elicit/preferences`. */
export interface ElicitPreferencesResponse extends Extra {
  questions: PreferenceQuestion[]
  estimated_value: number
  provenance: string
  trace?: CeeTrace
}

/** Response of `POST /assist/v1/elicit/preferences/answer`. */
export interface ElicitPreferencesAnswerResponse extends Extra {
  updated_preferences: UserPreferences
  recommendation_impact: string
  remaining_questions: number
  next_question?: PreferenceQuestion
  provenance: string
  trace?: CeeTrace
}

/** Response of `POST /assist/v1/explain/tradeoff`. */
export interface ExplainTradeoffResponse extends Extra {
  explanation: string
  key_factors: KeyFactor[]
  preference_alignment: PreferenceAlignment
  provenance: string
  trace?: CeeTrace
}

/** Response of `POST /assist/v1/isl-synthesis`. */
export interface IslSynthesisResponse extends Extra {
  robustness_narrative?: string
  sensitivity_narrative?: string
  voi_narrative?: string
  tipping_narrative?: string
  executive_summary: string
  trace: CeeTrace
  quality: CeeQuality
  provenance: string
}

/** Response of `POST /assist/v1/ask`. */
export interface AskResponse extends Extra {
  request_id: string
  message: string
  model_actions?: AskModelAction[]
  highlights?: AskHighlight[]
  follow_up_question?: string
  why?: AskProvenanceItem[]
  updated_decision_state_summary?: string
  attribution: AskAttribution
}

/** Response of `POST /assist/v1/review`. */
export interface ReviewResponse extends Extra {
  intent: ReviewIntent
  analysis_state: AnalysisState
  trace: ReviewTrace
  readiness: ReviewReadiness
  blocks: ReviewBlock[]
  quality?: Record<string, unknown>
  archetype?: Record<string, unknown>
  response_limits?: Record<string, unknown>
  guidance?: Record<string, unknown>
}

/** Response of `POST /assist/share` (HTTP 201). */
export interface CreateShareResponse extends Extra {
  schema: string
  share_id: string
  url: string
  expires_at: string
}

/** Response of `GET /assist/share/{token}`: the shared, redacted content. */
export interface SharedContent extends Extra {
  schema: string
  share_id: string
  graph: Graph
  brief?: string
  created_at: string
  expires_at: string
  access_count: number
}

/** Response of `DELETE /assist/share/{token}`. */
export interface RevokeShareResponse extends Extra {
  schema: string
  share_id: string
  revoked: boolean
}

/** Response of `GET /diagnostics` (served only when the service enables it, to allow-listed keys). The service publishes no schema for it, so the body is kept whole, as JSON. */
export interface ServiceDiagnostics extends Extra {}

/** Response of `GET /assist/v1/health`. */
export interface CeeHealth extends Extra {
  service?: string
  version?: string
  provider?: string
  model?: string
  limits_source?: string
  diagnostics_enabled: boolean
  feature_flags: Record<string, boolean>
  cee_config: Record<string, CeeHealthCeeConfig>
  recent_error_counts?: CeeHealthRecentErrorCounts
}

/** Response of `GET /assist/v1/decision-review/example`. */
export interface DecisionReviewBundle extends Extra {
  story: DecisionStorySummary
  journey: JourneySummary
  uiFlags: UiFlags
  trace?: DecisionReviewBundleTrace
}

/** Part of `BiasCheckRequest`, `OptionsRequest`. */
export interface Archetype extends Extra {
  decision_type?: string
  match?: ArchetypeMatch
  confidence?: number
}

/** Part of `ExplainGraphRequest`, `SensitivityCoachRequest`. */
export interface InferenceSummary extends Extra {
  summary: string
  explain?: InferenceSummaryExplain
  model_card?: Record<string, unknown>
  seed: string
  response_hash: string
}

/** Part of `EvidenceHelperRequest`. */
export interface EvidenceItemRequest extends Extra {
  id: string
  type: EvidenceItemRequestType
  source?: string
  content?: string
  observed_at?: string
}

/** Part of `TeamPerspectivesRequest`. */
export interface TeamPerspectiveItem extends Extra {
  id: string
  stance: TeamPerspectiveItemStance
  weight?: number
  confidence?: number
}

/** Part of `KeyInsightRequest`. */
export interface RankedAction extends Extra {
  node_id: string
  label: string
  expected_utility: number
  dominant?: boolean
  outcome_quality?: RankedActionOutcomeQuality
  primary_outcome?: string
}

/** Part of `KeyInsightRequest`. */
export interface Driver extends Extra {
  node_id: string
  label: string
  impact_pct?: number
  direction?: OutcomeDirection
  kind?: string
}

/** Part of `KeyInsightRequest`. */
export interface GoalInfo extends Extra {
  id: string
  text: string
  type: GoalInfoType
  is_primary: boolean
}

/** Part of `KeyInsightRequest`. */
export interface Identifiability extends Extra {
  identifiable: boolean
  method?: string
  adjustment_set?: string[]
  explanation?: string
}

/** Part of `SuggestEdgeFunctionRequest`. */
export interface NodeInfo extends Extra {
  id: string
  label: string
  kind: string
}

/** Part of `GenerateRecommendationRequest`. */
export interface RecommendationAction extends Extra {
  node_id: string
  label: string
  score: number
  rank: number
}

/** Part of `NarrateConditionsRequest`. */
export interface Condition extends Extra {
  condition_id: string
  condition_label: string
  if_true: ConditionBranch
  if_false: ConditionBranch
}

/** Part of `ExplainPolicyRequest`. */
export interface PolicyStep extends Extra {
  step_number: number
  action: string
  rationale?: string
  depends_on?: string[]
}

/** Part of `ElicitPreferencesRequest`. */
export interface ElicitPreferencesOption extends Extra {
  id: string
  label: string
  expected_value?: number
  risk_level?: number
}

/** Shared by 4 CEE models (for example `ElicitPreferencesAnswerRequest` and `ElicitPreferencesAnswerResponse`). */
export interface UserPreferences extends Extra {
  risk_aversion: number
  loss_aversion: number
  goal_weights: Record<string, number>
  time_discount: number
  confidence: Level
  derived_from: UserPreferencesDerivedFrom
}

/** Part of `IslSynthesisRequest`. */
export interface IslSensitivityResult extends Extra {
  factor_id: string
  factor_label?: string
  sensitivity: number
  direction?: IslSensitivityResultDirection
  impact_description?: string
}

/** Part of `IslSynthesisRequest`. */
export interface IslVoiResult extends Extra {
  factor_id: string
  factor_label?: string
  voi: number
  recommended_research?: string
}

/** Part of `IslSynthesisRequest`. */
export interface IslTippingPoint extends Extra {
  factor_id: string
  factor_label?: string
  threshold_value: number
  current_value?: number
  optimal_before?: string
  optimal_after?: string
}

/** Part of `IslSynthesisRequest`. */
export interface IslRobustnessResult extends Extra {
  recommendation_id: string
  recommendation_label?: string
  robustness_score: number
  scenarios_tested?: number
  scenarios_dominant?: number
}

/** Part of `AskRequest`. */
export interface AskGraphSnapshot extends Extra {
  nodes: AskGraphSnapshotNode[]
  edges: AskGraphSnapshotEdge[]
  default_seed?: number
}

/** Part of `AskRequest`. */
export interface AskMarketContextRef extends Extra {
  id: string
  version: string
  hash: string
}

/** Part of `AskRequest`. */
export interface AskSelection extends Extra {
  node_id?: string
  edge_id?: string
  panel_section?: string
}

/** Part of `AskRequest`. */
export interface AskTurn extends Extra {
  role: AskTurnRole
  content: string
  referenced_ids?: string[]
  timestamp?: string
}

/** Part of `ElicitRiskToleranceRequest`. */
export interface RiskToleranceAnswer extends Extra {
  question_id: string
  option_id: string
}

/** Shared by 21 CEE models (for example `BiasCheckResponse` and `CeeErrorBody`). */
export interface CeeTrace extends Extra {
  request_id?: string
  correlation_id?: string
  engine?: CeeTraceEngine
  details?: Record<string, unknown>
  goal_handling?: CeeTraceGoalHandling
  pipeline?: CeeTracePipeline
}

/** Shared by 11 CEE models (for example `BiasCheckResponse` and `EvidenceHelperResponse`). */
export interface CeeQuality extends Extra {
  overall: number
  structure?: number
  causality?: number
  coverage?: number
  safety?: number
  issues_by_severity?: CeeQualityIssuesBySeverity
  details?: Record<string, unknown>
}

/** Shared by 6 CEE models (for example `BiasCheckResponse` and `EvidenceHelperResponse`). */
export interface CeeValidationIssue extends Extra {
  code: string
  severity: IssueSeverity
  field?: string
  message?: string
  suggestion?: string
  meta?: Record<string, unknown>
  details?: Record<string, unknown>
}

/** Part of `OptionsResponse`. */
export interface CeeOption extends Extra {
  id: string
  kind: CeeOptionKind
  node_ids?: string[]
  priority?: Level
  explanation?: string
}

/** Part of `OptionsResponse`. */
export interface OptionsResponseLimits extends Extra {
  options_max?: number
  options_truncated?: boolean
}

/** Shared by 6 CEE models (for example `BiasCheckResponse` and `EvidenceHelperResponse`). */
export interface CeeGuidance extends Extra {
  summary: string
  risks?: string[]
  next_actions?: string[]
  any_truncated?: boolean
}

/** Part of `BiasCheckResponse`. */
export interface BiasFinding extends Extra {
  id: string
  category: BiasFindingCategory
  severity: Level
  node_ids?: string[]
  explanation?: string
  code?: string
  targets?: BiasFindingTargets
  structural_pattern?: string
  confidence_band?: Level
  micro_intervention?: BiasFindingMicroIntervention
  mechanism?: string
  citation?: string
  causal_validation?: CausalValidation
  evidence_strength?: EvidenceStrength[]
}

/** Part of `BiasCheckResponse`. */
export interface BiasCheckResponseLimits extends Extra {
  bias_findings_max?: number
  bias_findings_truncated?: boolean
}

/** Part of `BiasCheckResponse`. */
export interface BiasMitigationPatch extends Extra {
  bias_code: string
  bias_id?: string
  description?: string
  patch: GraphPatch
}

/** Part of `ExplainGraphResponse`. */
export interface ExplainGraphResponseExplanation extends Extra {
  targets?: Record<string, ExplainGraphResponseExplanationTarget>
  top_drivers?: ExplainGraphResponseExplanationTopDriver[]
}

/** Part of `EvidenceHelperResponse`. */
export interface EvidenceItemResponse extends Extra {
  id: string
  type: string
  strength: EvidenceItemResponseStrength
  relevance?: Level
  freshness?: Level
  age_days?: number
}

/** Part of `EvidenceHelperResponse`. */
export interface EvidenceHelperResponseLimits extends Extra {
  items_max?: number
  items_truncated?: boolean
}

/** Part of `SensitivityCoachResponse`. */
export interface SensitivitySuggestion extends Extra {
  driver_id: string
  rank: number
  direction?: SensitivitySuggestionDirection
  target_id?: string
}

/** Part of `SensitivityCoachResponse`. */
export interface SensitivityCoachResponseLimits extends Extra {
  sensitivity_suggestions_max?: number
  sensitivity_suggestions_truncated?: boolean
}

/** Part of `TeamPerspectivesResponse`. */
export interface TeamPerspectivesSummary extends Extra {
  participant_count: number
  for_count: number
  against_count: number
  neutral_count: number
  weighted_for_fraction?: number
  disagreement_score: number
  has_team_disagreement?: boolean
}

/** Part of `GraphReadinessResponse`. */
export interface QualityFactor extends Extra {
  factor: QualityFactorFactor
  current_score: number
  impact: Level
  recommendation: string
  potential_improvement: number
}

/** Part of `KeyInsightResponse`. */
export interface HeadlineStructured extends Extra {
  goal_text?: string
  action: string
  outcome_type: OutcomeDirection
  likelihood: number
  vs_baseline?: number
  vs_baseline_direction?: HeadlineStructuredVsBaselineDirection
  ranking_confidence: Level
  is_close_race: boolean
}

/** Part of `ElicitBeliefResponse`. */
export interface ElicitBeliefOption extends Extra {
  label: string
  value: number
}

/** Part of `SuggestUtilityWeightsResponse`. */
export interface WeightSuggestionItem extends Extra {
  node_id: string
  node_label: string
  suggested_weight: number
  reasoning: string
}

/** Part of `SuggestUtilityWeightsResponse`. */
export interface AlternativeWeighting extends Extra {
  name: string
  description: string
  weights: AlternativeWeightingWeight[]
}

/** Part of `SuggestEdgeFunctionResponse`. */
export interface EdgeFunctionParams extends Extra {
  k?: number
  threshold?: number
  slope?: number
  midpoint?: number
}

/** Part of `SuggestEdgeFunctionResponse`. */
export interface EdgeFunctionAlternative extends Extra {
  function_type: EdgeFunctionAlternativeFunctionType
  params: EdgeFunctionParams
  reasoning: string
}

/** Part of `NarrateConditionsResponse`. */
export interface ConditionSummary extends Extra {
  condition: string
  if_true_action: string
  if_false_action: string
}

/** Part of `ExplainPolicyResponse`. */
export interface StepExplanation extends Extra {
  step: number
  action: string
  explanation: string
}

/** Part of `ElicitPreferencesAnswerResponse`, `ElicitPreferencesResponse`. */
export interface PreferenceQuestion extends Extra {
  id: string
  type: PreferenceQuestionType
  question: string
  options: PreferenceOption[]
  estimated_value: number
  context_node_ids?: string[]
}

/** Part of `ExplainTradeoffResponse`. */
export interface KeyFactor extends Extra {
  factor: string
  impact: string
}

/** Part of `ExplainTradeoffResponse`. */
export interface PreferenceAlignment extends Extra {
  option_a_score: number
  option_b_score: number
  recommended: PreferenceAlignmentRecommended
}

/** Part of `AskResponse`. */
export interface AskModelAction extends Extra {
  action_id: string
  op: AskModelActionOp
  target_id?: string
  payload: Record<string, unknown>
  reason_code?: string
  label?: string
}

/** Part of `AskResponse`. */
export interface AskHighlight extends Extra {
  type: AskHighlightType
  ids: string[]
  style?: AskHighlightStyle
  label?: string
}

/** Part of `AskResponse`. */
export interface AskProvenanceItem extends Extra {
  source: AskProvenanceSource
  confidence: AskProvenanceConfidence
  note: string
  references?: AskProvenanceItemReferences
}

/** Part of `AskResponse`. */
export interface AskAttribution extends Extra {
  provider: string
  model_id: string
  timestamp: string
  assistant_response_hash: string
  seed?: number
}

/** The `trace` of a [`ReviewResponse`]. */
export interface ReviewTrace extends Extra {
  request_id: string
  latency_ms: number
  model: string
  correlation_id?: string
}

/** The `readiness` of a [`ReviewResponse`]. */
export interface ReviewReadiness extends Extra {
  level: ReadinessLevel
  headline: string
  factors: ReviewReadinessFactor[]
  score?: number
}

/** One block of a [`ReviewResponse`]: the common fields typed, the block type's own fields (`findings`, `suggestions`, `headline`, `warnings`, `level`, ...) in `extra`. */
export interface ReviewBlock extends Extra {
  id: string
  type: string
  generated_at: string
  placeholder?: boolean
}

/** Response of `POST /assist/v1/elicit-risk-tolerance` in `process_responses` mode. */
export interface RiskToleranceProfileResponse extends Extra {
  profile: RiskProfile
  breakdown: RiskBreakdown
  confidence: Level
  provenance: string
  trace?: CeeTrace
}

/** Response of `POST /assist/v1/elicit-risk-tolerance` in `get_questions` mode. */
export interface RiskToleranceQuestionsResponse extends Extra {
  questions: RiskToleranceQuestion[]
  provenance: string
  trace?: CeeTrace
}

/** Part of `CeeHealth`. */
export interface CeeHealthCeeConfig extends Extra {
  feature_version?: string
  rate_limit_rpm?: number
}

/** Part of `CeeHealth`. */
export interface CeeHealthRecentErrorCounts extends Extra {
  total?: number
  by_capability?: Record<string, number>
  by_status?: Record<string, number>
  by_error_code?: Record<string, number>
}

/** Part of `DecisionReviewBundle`. */
export interface DecisionStorySummary extends Extra {
  headline: string
  key_drivers: string[]
  risks_and_gaps: string[]
  next_actions: string[]
  any_truncated: boolean
  quality_overall?: number
}

/** Part of `DecisionReviewBundle`. */
export interface JourneySummary extends Extra {
  story: DecisionStorySummary
  health: JourneyHealth
  is_complete: boolean
  missing_envelopes: EnvelopeKind[]
  has_team_disagreement: boolean
}

/** Part of `DecisionReviewBundle`. */
export interface UiFlags extends Extra {
  has_high_risk_envelopes: boolean
  has_team_disagreement: boolean
  has_truncation_somewhere: boolean
  is_journey_complete: boolean
}

/** Part of `DecisionReviewBundle`. */
export interface DecisionReviewBundleTrace extends Extra {
  request_id?: string
  correlation_id?: string
}

/** The schema v3 body of `POST /assist/v1/draft-graph`. */
export interface CeeDraftGraphV3 extends Extra {
  schema_version: string
  nodes: CeeNodeV3[]
  edges: CeeEdgeV3[]
  options: CeeOptionV3[]
  goal_node_id: string
  analysis_ready?: AnalysisReady
  validation_warnings?: ValidationWarningV3[]
  meta?: GraphMetaV3
  quality?: QualityScoresV3
  trace?: CeeTrace
}

/** The schema v1 body: the draft-graph output plus CEE metadata (`trace`, `quality`, ...). */
export interface CeeDraftGraphV1 extends CeeResponse {
  graph: Graph
  patch?: GraphPatch
  rationales?: Rationale[]
  issues?: string[]
  clarifier_status?: ClarifierStatus
  layout?: Layout
  confidence?: number
  archetype?: Archetype
  seed?: string
  response_hash?: string
  diagnostics?: Diagnostics
}

/** A graph's `meta`. */
export interface GraphMeta extends Extra {
  roots?: string[]
  leaves?: string[]
  suggested_positions?: Record<string, Position>
  source?: GraphSource
}

/** Part of `ExplainGraphRequest`, `SensitivityCoachRequest`. */
export interface InferenceSummaryExplain extends Extra {
  top_drivers?: InferenceSummaryExplainTopDriver[]
}

/** Part of `NarrateConditionsRequest`. */
export interface ConditionBranch extends Extra {
  recommendation: string
  confidence: number
}

/** Shared by 4 CEE models (for example `ElicitPreferencesAnswerRequest` and `ElicitPreferencesAnswerResponse`). */
export interface UserPreferencesDerivedFrom extends Extra {
  questions_answered: number
  last_updated: string
}

/** Part of `AskRequest`. */
export interface AskGraphSnapshotNode extends Extra {
  id: string
  kind: string
  label?: string
  body?: string
}

/** Part of `AskRequest`. */
export interface AskGraphSnapshotEdge extends Extra {
  from: string
  to: string
  belief?: number
}

/** Shared by 21 CEE models (for example `BiasCheckResponse` and `CeeErrorBody`). */
export interface CeeTraceEngine extends Extra {
  provider?: string
  model?: string
  version?: string
  response_hash?: string
  degraded?: boolean
}

/** Shared by 21 CEE models (for example `BiasCheckResponse` and `CeeErrorBody`). */
export interface CeeTraceGoalHandling extends Extra {
  goal_source?: CeeTraceGoalHandlingGoalSource
  retry_attempted?: boolean
  original_missing_kinds?: string[]
  goal_node_id?: string
}

/** Shared by 21 CEE models (for example `BiasCheckResponse` and `CeeErrorBody`). */
export interface CeeTracePipeline extends Extra {
  status?: CeeTracePipelineStatus
  total_duration_ms?: number
  llm_call_count?: number
  stages?: CeeTracePipelineStage[]
  connectivity?: CeeTracePipelineConnectivity
  llm_calls?: CeeTracePipelineLlmCall[]
  final_graph?: CeeTracePipelineFinalGraph
}

/** Shared by 11 CEE models (for example `BiasCheckResponse` and `EvidenceHelperResponse`). */
export interface CeeQualityIssuesBySeverity extends Extra {
  error?: number
  warning?: number
  info?: number
}

/** Part of `BiasCheckResponse`. */
export interface BiasFindingTargets extends Extra {
  node_ids?: string[]
  edge_ids?: string[]
}

/** Part of `BiasCheckResponse`. */
export interface BiasFindingMicroIntervention extends Extra {
  steps?: string[]
  estimated_minutes?: number
}

/** Part of `BiasCheckResponse`. */
export interface CausalValidation extends Extra {
  identifiable: boolean
  strength: number
  confidence: Level
  details?: CausalValidationDetails
}

/** Part of `BiasCheckResponse`. */
export interface EvidenceStrength extends Extra {
  node_id: string
  causal_support: EvidenceStrengthCausalSupport
  reasoning?: string
}

/** Part of `ExplainGraphResponse`. */
export interface ExplainGraphResponseExplanationTarget extends Extra {
  summary?: string
  p10?: number
  p50?: number
  p90?: number
}

/** Part of `ExplainGraphResponse`. */
export interface ExplainGraphResponseExplanationTopDriver extends Extra {
  id?: string
  impact?: number
  rank?: number
  label?: string
}

/** Part of `SuggestUtilityWeightsResponse`. */
export interface AlternativeWeightingWeight extends Extra {
  node_id: string
  weight: number
}

/** Part of `ElicitPreferencesAnswerResponse`, `ElicitPreferencesResponse`. */
export interface PreferenceOption extends Extra {
  id: PreferenceOptionId
  label: string
  description?: string
  outcome_value?: number
  probability?: number
  timeframe?: string
}

/** Part of `AskResponse`. */
export interface AskProvenanceItemReferences extends Extra {
  node_ids?: string[]
  edge_ids?: string[]
}

/** One factor of a [`ReviewReadiness`]. */
export interface ReviewReadinessFactor extends Extra {
  label: string
  status: string
}

/** Part of `RiskToleranceProfileResponse`. */
export interface RiskProfile extends Extra {
  type: RiskProfileType
  score: number
  reasoning: string
  recommended_coefficient: number
}

/** Part of `RiskToleranceProfileResponse`. */
export interface RiskBreakdown extends Extra {
  certainty: number
  loss_aversion: number
  time_preference: number
}

/** Part of `RiskToleranceQuestionsResponse`. */
export interface RiskToleranceQuestion extends Extra {
  id: string
  question: string
  options: RiskToleranceOption[]
}

/** Part of `DecisionReviewBundle`. */
export interface JourneyHealth extends Extra {
  perEnvelope: JourneyHealthPerEnvelope
  overallStatus: HealthStatus
  overallTone: JourneyHealthOverallTone
  any_truncated: boolean
  has_validation_issues: boolean
}

/** A v3 node. */
export interface CeeNodeV3 extends Extra {
  id: string
  kind: NodeKind
  label: string
  description?: string
  observed_state?: ObservedStateV3
}

/** A v3 edge: a signed linear coefficient with its uncertainty. */
export interface CeeEdgeV3 extends Extra {
  id?: string
  from: string
  to: string
  strength_mean: number
  strength_std: number
  belief_exists: number
  effect_direction: EffectDirection
  provenance?: EdgeProvenanceV3
}

/** A v3 option: a decision path and what it sets each factor to. */
export interface CeeOptionV3 extends Extra {
  id: string
  label: string
  description?: string
  status: OptionStatusV3
  interventions: Record<string, InterventionV3>
  raw_interventions?: Record<string, unknown>
  unresolved_targets?: string[]
  user_questions?: string[]
  provenance?: unknown
}

/** The `analysis_ready` block of a v3 body. */
export interface AnalysisReady extends Extra {
  status: string
  blockers?: unknown[]
  goal_node_id?: string
  options?: unknown[]
  model_adjustments?: unknown[]
}

/** A v3 validation warning. */
export interface ValidationWarningV3 extends Extra {
  code: string
  severity: IssueSeverity
  message: string
  affected_option_id?: string
  affected_node_id?: string
  suggestion?: string
}

/** The `meta` of a v3 body. */
export interface GraphMetaV3 extends Extra {
  roots?: string[]
  leaves?: string[]
  source?: string
}

/** The `quality` of a v3 body. */
export interface QualityScoresV3 extends Extra {
  overall: number
  structure?: number
  coverage?: number
  causality?: number
  safety?: number
}

/** The `layout` of a [`DraftGraphOutput`]. */
export interface Layout extends Extra {
  suggested_positions?: Record<string, Position>
}

/** Stream diagnostics added to draft results (and to error payloads on the stream). */
export interface Diagnostics extends Extra {
  resumes?: number
  trims?: number
  recovered_events?: number
  correlation_id: string
}

/** Part of `ExplainGraphRequest`, `SensitivityCoachRequest`. */
export interface InferenceSummaryExplainTopDriver extends Extra {
  node_id: string
  description?: string
  contribution?: number
}

/** Shared by 21 CEE models (for example `BiasCheckResponse` and `CeeErrorBody`). */
export interface CeeTracePipelineStage extends Extra {
  name: CeeTracePipelineStageName
  status: CeeTracePipelineStageStatus
  duration_ms: number
  details?: Record<string, unknown>
}

/** Shared by 21 CEE models (for example `BiasCheckResponse` and `CeeErrorBody`). */
export interface CeeTracePipelineConnectivity extends Extra {
  checked?: boolean
  passed?: boolean
  decision_ids?: string[]
  reachable_options?: string[]
  reachable_goals?: string[]
  unreachable_nodes?: string[]
}

/** Shared by 21 CEE models (for example `BiasCheckResponse` and `CeeErrorBody`). */
export interface CeeTracePipelineLlmCall extends Extra {
  provider?: string
  model?: string
  duration_ms?: number
  raw_output_truncated?: boolean
}

/** Shared by 21 CEE models (for example `BiasCheckResponse` and `CeeErrorBody`). */
export interface CeeTracePipelineFinalGraph extends Extra {
  node_count?: number
  edge_count?: number
  node_kinds?: string[]
}

/** Part of `BiasCheckResponse`. */
export interface CausalValidationDetails extends Extra {
  affected_paths?: string[]
  counterfactual_delta?: CausalValidationDetailsCounterfactualDelta
}

/** The `adds` of a [`GraphPatch`]. */
export interface PatchAdds extends Extra {
  nodes?: unknown[]
  edges?: unknown[]
}

/** Part of `RiskToleranceQuestionsResponse`. */
export interface RiskToleranceOption extends Extra {
  id: string
  label: string
  description?: string
  risk_score: number
}

/** Part of `DecisionReviewBundle`. */
export interface JourneyHealthPerEnvelope extends Extra {
  draft?: EnvelopeHealth
  explain?: EnvelopeHealth
  evidence?: EnvelopeHealth
  bias?: EnvelopeHealth
  options?: EnvelopeHealth
  sensitivity?: EnvelopeHealth
  team?: EnvelopeHealth
}

/** The `observed_state` of a v3 factor node. */
export interface ObservedStateV3 extends Extra {
  value: number
  baseline?: number
  unit?: string
  source?: string
}

/** The `provenance` of a v3 edge. */
export interface EdgeProvenanceV3 extends Extra {
  source: string
  reasoning?: string
}

/** One intervention of a v3 option on a factor. */
export interface InterventionV3 extends Extra {
  value: number
  unit?: string
  source: string
  target_match: TargetMatch
  value_confidence?: Level
  reasoning?: string
  raw_value?: unknown
  value_type?: string
  encoding_map?: Record<string, number>
}

/** Quantitative data for a factor node. */
export interface FactorData extends Extra {
  value: number
  baseline?: number
  unit?: string
  range?: FactorRange
  extractionType?: string
  confidence?: number
  rangeMin?: number
  rangeMax?: number
}

/** Interventions of an option node: factor id to intervention value. */
export interface OptionData extends Extra {
  interventions: Record<string, number>
}

/** Structured provenance of an edge. */
export interface StructuredProvenance extends Extra {
  source: string
  quote: string
  location?: string
}

/** Part of `BiasCheckResponse`. */
export interface CausalValidationDetailsCounterfactualDelta extends Extra {
  metric?: string
  change_percent?: number
}

/** Part of `DecisionReviewBundle`. */
export interface EnvelopeHealth extends Extra {
  status: HealthStatus
  reasons: string[]
  any_truncated: boolean
  has_validation_issues: boolean
  quality_overall?: number
  source: EnvelopeKind
}

/** How an intervention's target was matched to a node. */
export interface TargetMatch extends Extra {
  node_id: string
  match_type: string
  confidence: Level
}

/** The `range` of a [`FactorData`]. */
export interface FactorRange extends Extra {
  min: number
  max: number
}

export interface HealthCheckResponse extends Extra {
  ok: boolean
  degraded?: boolean
  degraded_reasons?: string[]
  service?: string
  version?: string
  commit?: string
  provider?: string
  model?: string
  limits_source?: string
  feature_flags?: unknown
  auth?: unknown
  commit_full?: string
  llm?: unknown
  cee?: unknown
  isl?: unknown
  prompts?: unknown
}

export interface StatusResponse extends Extra {
  service: string
  version: string
  uptime_seconds: number
  timestamp: string
  requests?: { total: number; client_errors_4xx: number; server_errors_5xx: number; error_rate_5xx: number } & Extra
  llm?: unknown
  share?: unknown
  feature_flags?: unknown
  performance?: unknown
}

export interface Quota extends Extra {
  capacity_rpm: number
  tokens: number
  refill_rate_per_sec: number
  retry_after_seconds: number
}

export interface LimitsResponse extends Extra {
  schema: string
  key_id: string
  rate_limit_rpm: number
  sse_rate_limit_rpm: number
  quota_backend: string
  graph_max_nodes: number
  graph_max_edges: number
  max_nodes?: number
  max_edges?: number
  standard_quota: Quota
  sse_quota: Quota
}

// ---------------------------------------------------------------------------------------------
// Streams

export interface StageEvent {
  type: 'stage'
  /** `'DRAFTING'` (the only non-final stage the service sends). */
  stage: string
  /** A preview graph, if any (may be partial): parsed from `rawPayload` on first access. */
  readonly payload: unknown | null
  /** The payload's JSON text as the service sent it (line feeds between tokens become spaces), or `null`. */
  readonly rawPayload: string | null
  /** `{ type, stage, payload }`, for `JSON.stringify`. */
  toJSON(): { type: 'stage'; stage: string; payload: unknown | null }
}

export interface ResumeEvent {
  type: 'resume'
  /** Keep it to resume this stream later with `client.resumeDraftGraph(token)`. */
  token: string
}

export interface HeartbeatEvent {
  type: 'heartbeat'
}

export interface OtherEvent {
  type: 'other'
  event: string
  data: string
}

export type CompletedVia = 'stream' | 'resume' | 'fallback'

export interface StreamFailure {
  leg: 'stream' | 'resume'
  reason: string
}

export interface StreamSummary {
  /** Events delivered, heartbeats excluded, the final one included. */
  events: number
  heartbeats: number
  /** Replayed events skipped after a resume (never delivered twice). */
  skipped: number
  resumes: number
  fallback: boolean
  firstFailure?: StreamFailure | null
  resumeFailure?: StreamFailure | null
}

export interface CompleteEvent<R = DraftGraphResponse> {
  type: 'complete'
  /** The route's result: the drafted graph for `streamDraftGraph`, the CEE response for `ceeDraftGraphStream`. */
  result: R
  via: CompletedVia
  summary: StreamSummary
}

export type DraftGraphEvent<R = DraftGraphResponse> =
  | StageEvent
  | ResumeEvent
  | HeartbeatEvent
  | OtherEvent
  | CompleteEvent<R>

/**
 * The events of one stream (`R` is its final result: the drafted graph by default); iterate it
 * once with `for await`. A hand-written async iterator (not a generator): it is its own iterator,
 * with `next` and `return` but no `throw`.
 */
export declare class DraftGraphStream<R = DraftGraphResponse>
  implements AsyncIterableIterator<DraftGraphEvent<R>, undefined, undefined>
{
  private constructor()
  /** What happened so far; null before the iteration starts. */
  readonly summary: StreamSummary | null;
  /** Starts the stream and returns it (a second call throws `OlumiStreamError`). */
  [Symbol.asyncIterator](): this
  /** The next event; `{ done: true }` after the last one, after `return()` or an error. */
  next(): Promise<IteratorResult<DraftGraphEvent<R>, undefined>>
  /** Stops early (what `break` calls): closes the connection, or cancels the open in flight. */
  return(): Promise<IteratorReturnResult<undefined>>
}

// ---------------------------------------------------------------------------------------------
// The client

export declare class OlumiClient {
  constructor(options?: OlumiClientOptions)
  /** `GET /healthz` (also `healthCheck`, the old SDK's name). */
  health(options?: RequestOptions): Promise<HealthCheckResponse>
  healthCheck(options?: RequestOptions): Promise<HealthCheckResponse>
  status(options?: RequestOptions): Promise<StatusResponse>
  limits(options?: RequestOptions): Promise<LimitsResponse>
  draftGraph(request: DraftGraphRequest, options?: RequestOptions): Promise<DraftGraphResponse>
  suggestOptions(request: SuggestOptionsRequest, options?: RequestOptions): Promise<SuggestOptionsResponse>
  clarifyBrief(request: ClarifyBriefRequest, options?: RequestOptions): Promise<ClarifyBriefResponse>
  critiqueGraph(request: CritiqueGraphRequest, options?: RequestOptions): Promise<CritiqueGraphResponse>
  explainDiff(request: ExplainDiffRequest, options?: RequestOptions): Promise<ExplainDiffResponse>
  /** The ZIP archive. */
  evidencePack(request: EvidencePackRequest, options?: RequestOptions): Promise<Buffer>
  /** `POST /assist/v1/draft-graph`: schema v3 unless `options.schema` says otherwise. */
  ceeDraftGraph(
    request: CeeDraftGraphRequest,
    options: RequestOptions & CeeDraftGraphQuery & { schema: 'v1' },
  ): Promise<CeeDraftGraphV1>
  ceeDraftGraph(
    request: CeeDraftGraphRequest,
    options?: RequestOptions & CeeDraftGraphQuery & { schema?: 'v3' },
  ): Promise<CeeDraftGraphV3>
  ceeDraftGraph(
    request: CeeDraftGraphRequest,
    options?: RequestOptions & CeeDraftGraphQuery,
  ): Promise<CeeDraftGraphResponse>
  /**
   * `POST /assist/v1/draft-graph/stream`: resumes once (when the service sent a token), falls back
   * once; the `complete` event's `result` is schema v1 unless `options.schema` says otherwise.
   */
  ceeDraftGraphStream(
    request: CeeDraftGraphRequest,
    options: StreamOptions & CeeDraftGraphQuery & { schema: 'v3' },
  ): DraftGraphStream<CeeDraftGraphV3>
  ceeDraftGraphStream(
    request: CeeDraftGraphRequest,
    options?: StreamOptions & CeeDraftGraphQuery & { schema?: 'v1' },
  ): DraftGraphStream<CeeDraftGraphV1>
  ceeDraftGraphStream(
    request: CeeDraftGraphRequest,
    options?: StreamOptions & CeeDraftGraphQuery,
  ): DraftGraphStream<CeeDraftGraphResponse>
  /** `POST /assist/v1/options`. */
  options(request: OptionsRequest, options?: RequestOptions): Promise<OptionsResponse>
  /** `POST /assist/v1/bias-check`. */
  biasCheck(request: BiasCheckRequest, options?: RequestOptions): Promise<BiasCheckResponse>
  /** `POST /assist/v1/explain-graph`. */
  explainGraph(request: ExplainGraphRequest, options?: RequestOptions): Promise<ExplainGraphResponse>
  /** `POST /assist/v1/evidence-helper`. */
  evidenceHelper(request: EvidenceHelperRequest, options?: RequestOptions): Promise<EvidenceHelperResponse>
  /** `POST /assist/v1/sensitivity-coach`. */
  sensitivityCoach(request: SensitivityCoachRequest, options?: RequestOptions): Promise<SensitivityCoachResponse>
  /** `POST /assist/v1/team-perspectives`. */
  teamPerspectives(request: TeamPerspectivesRequest, options?: RequestOptions): Promise<TeamPerspectivesResponse>
  /** `POST /assist/v1/graph-readiness`. */
  graphReadiness(request: GraphReadinessRequest, options?: RequestOptions): Promise<GraphReadinessResponse>
  /** `POST /assist/v1/key-insight`. */
  keyInsight(request: KeyInsightRequest, options?: RequestOptions): Promise<KeyInsightResponse>
  /** `POST /assist/v1/elicit-belief`. */
  elicitBelief(request: ElicitBeliefRequest, options?: RequestOptions): Promise<ElicitBeliefResponse>
  /** `POST /assist/v1/suggest-utility-weights`. */
  suggestUtilityWeights(
    request: SuggestUtilityWeightsRequest,
    options?: RequestOptions,
  ): Promise<SuggestUtilityWeightsResponse>
  /** `POST /assist/v1/suggest-edge-function`. */
  suggestEdgeFunction(
    request: SuggestEdgeFunctionRequest,
    options?: RequestOptions,
  ): Promise<SuggestEdgeFunctionResponse>
  /** `POST /assist/v1/generate-recommendation`. */
  generateRecommendation(
    request: GenerateRecommendationRequest,
    options?: RequestOptions,
  ): Promise<GenerateRecommendationResponse>
  /** `POST /assist/v1/narrate-conditions`. */
  narrateConditions(request: NarrateConditionsRequest, options?: RequestOptions): Promise<NarrateConditionsResponse>
  /** `POST /assist/v1/explain-policy`. */
  explainPolicy(request: ExplainPolicyRequest, options?: RequestOptions): Promise<ExplainPolicyResponse>
  /** `POST /assist/v1/elicit/preferences`. */
  elicitPreferences(request: ElicitPreferencesRequest, options?: RequestOptions): Promise<ElicitPreferencesResponse>
  /** `POST /assist/v1/elicit/preferences/answer`. */
  elicitPreferencesAnswer(
    request: ElicitPreferencesAnswerRequest,
    options?: RequestOptions,
  ): Promise<ElicitPreferencesAnswerResponse>
  /** `POST /assist/v1/explain/tradeoff`. */
  explainTradeoff(request: ExplainTradeoffRequest, options?: RequestOptions): Promise<ExplainTradeoffResponse>
  /** `POST /assist/v1/isl-synthesis`. */
  islSynthesis(request: IslSynthesisRequest, options?: RequestOptions): Promise<IslSynthesisResponse>
  /** `POST /assist/v1/ask`. */
  ask(request: AskRequest, options?: RequestOptions): Promise<AskResponse>
  /** `POST /assist/v1/review`. */
  review(request: ReviewRequest, options?: RequestOptions): Promise<ReviewResponse>
  /** `POST /assist/v1/elicit-risk-tolerance`. */
  elicitRiskTolerance(
    request: ElicitRiskToleranceRequest & { mode: 'get_questions' },
    options?: RequestOptions,
  ): Promise<RiskToleranceQuestionsResponse>
  elicitRiskTolerance(
    request: ElicitRiskToleranceRequest & { mode: 'process_responses' },
    options?: RequestOptions,
  ): Promise<RiskToleranceProfileResponse>
  elicitRiskTolerance(
    request: ElicitRiskToleranceRequest,
    options?: RequestOptions,
  ): Promise<ElicitRiskToleranceResponse>
  /** `GET /assist/v1/health`. */
  ceeHealth(options?: RequestOptions): Promise<CeeHealth>
  /** `GET /assist/v1/decision-review/example` (when the service enables it). */
  decisionReviewExample(options?: RequestOptions): Promise<DecisionReviewBundle>
  /** `POST /assist/share`: a redacted, expiring share link. */
  createShare(request: CreateShareRequest, options?: RequestOptions): Promise<CreateShareResponse>
  /** `GET /assist/share/{token}`. */
  getShare(token: string, options?: RequestOptions): Promise<SharedContent>
  /** `DELETE /assist/share/{token}`. */
  revokeShare(token: string, options?: RequestOptions): Promise<RevokeShareResponse>
  /** `GET /diagnostics` (when the service enables it, for allow-listed keys). */
  diagnostics(options?: RequestOptions): Promise<ServiceDiagnostics>
  /** Any JSON POST route, with the same signing, retries and checks. */
  postJson<T = unknown>(path: string, body: unknown, options?: RequestOptions): Promise<T>
  /** Any JSON GET route. */
  getJson<T = unknown>(path: string, options?: RequestOptions): Promise<T>
  /**
   * Any route: any method, any path (with its query), an optional JSON body; signed over the exact
   * target, retried and verified like the typed methods. An empty answer is `null`.
   */
  requestJson<T = unknown>(method: HttpMethod, path: string, body?: unknown, options?: RequestOptions): Promise<T>
  /** Any streaming route: the service's events, typed; the final event's `result` is its JSON. */
  requestStream<T = unknown>(
    method: HttpMethod,
    path: string,
    body?: unknown,
    options?: StreamOptions,
  ): DraftGraphStream<T>
  /** `POST /assist/draft-graph/stream`: resumes once, falls back once, ends with `complete`. */
  draftGraphStream(request: DraftGraphRequest, options?: StreamOptions): DraftGraphStream
  /** The old SDK's name of `draftGraphStream`. */
  streamDraftGraph(request: DraftGraphRequest, options?: StreamOptions): DraftGraphStream
  /** `POST /assist/draft-graph/resume` with a token from an earlier stream's `resume` event. */
  resume(resumeToken: string, options?: ResumeOptions): DraftGraphStream
  /** The old SDK's name of `resume`. */
  resumeDraftGraph(resumeToken: string, options?: ResumeOptions): DraftGraphStream
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'get' | 'post' | 'put' | 'patch' | 'delete'

/** The old TypeScript SDK's CEE client: its method names, on the same core (`draftGraph` is `ceeDraftGraph`). */
export interface CEEClient
  extends Pick<
    OlumiClient,
    | 'explainGraph'
    | 'evidenceHelper'
    | 'biasCheck'
    | 'options'
    | 'sensitivityCoach'
    | 'teamPerspectives'
    | 'graphReadiness'
  > {
  /** `POST /assist/v1/draft-graph` (`OlumiClient.ceeDraftGraph`). */
  draftGraph: OlumiClient['ceeDraftGraph']
}

export declare const CEEClient: {
  /** The old SDK's `{ apiKey, baseUrl?, timeout? }`, or any `OlumiClient` option. */
  new (options?: OlumiClientOptions): CEEClient
  readonly prototype: CEEClient
}

/** The old SDK's factory: `new CEEClient(options)`. */
export declare function createCEEClient(options?: OlumiClientOptions): CEEClient

/** One route of the service, from the core's list. */
export interface Route {
  /** The typed method's name in snake_case (`bias_check`; `OlumiClient.biasCheck`). */
  name: string
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  /** Path parameters in braces (`/assist/share/{token}`). */
  path: string
  kind: 'json' | 'stream' | 'bytes'
}

/** Every product route of the service, from the core's one list. */
export declare function routes(): Route[]

// ---------------------------------------------------------------------------------------------
// Errors

export type ErrorKind =
  | 'ERR_CONFIG'
  | 'ERR_SIGNATURE_REJECTED'
  | 'ERR_INTEGRITY'
  | 'ERR_DECODE'
  | 'ERR_API'
  | 'ERR_NETWORK'
  | 'ERR_TIMEOUT'
  | 'ERR_STREAM'
  | 'ERR_CANCELLED'
  | 'ERR_INTERNAL'

export interface ErrorOptions {
  cause?: unknown
  retryable?: boolean
}

export declare class OlumiError extends Error {
  static readonly kind: string
  constructor(message: string, options?: ErrorOptions)
  /** The core's stable code of this error's kind. */
  readonly kind: ErrorKind
  /** `kind`, except on `OlumiAPIError` where it is the service's code. */
  code: string
  readonly retryable: boolean
  isRetryable(): boolean
}

export type ApiErrorCategory =
  | 'authentication'
  | 'signature'
  | 'rate_limit'
  | 'bad_request'
  | 'not_found'
  | 'internal'
  | 'other'

export interface ErrorResponse {
  code?: string
  message?: string
  details?: Record<string, unknown>
  request_id?: string
  schema?: string
}

export declare class OlumiAPIError extends OlumiError {
  constructor(
    statusCode: number,
    body?: ErrorResponse,
    options?: ErrorOptions & {
      message?: string
      retryAfter?: number
      category?: ApiErrorCategory
      requestId?: string
      schema?: string
    },
  )
  statusCode: number
  /** The service's code (`RATE_LIMITED`, `BAD_INPUT`, `CEE_RATE_LIMIT`, `HTTP_404` ...). */
  code: string
  /** The service's own message (`message` is the full text). */
  serviceMessage?: string
  details?: Record<string, unknown>
  requestId?: string
  /** How long the service asked to wait, ms, from any of its three signals. */
  retryAfter?: number
  category?: ApiErrorCategory
  schema?: string
  getRetryAfter(): number | null
}

export declare class OlumiNetworkError extends OlumiError {
  constructor(message: string, options?: ErrorOptions & { timeout?: boolean })
  isTimeout: boolean
}

export declare class OlumiTimeoutError extends OlumiNetworkError {}
export declare class OlumiConfigError extends OlumiError {}
export declare class OlumiIntegrityError extends OlumiError {}
export declare class OlumiStreamError extends OlumiError {}
export declare class OlumiDecodeError extends OlumiError {}
/** Cancelled through an `AbortSignal` (`name` is `'AbortError'`, as web APIs use). */
export declare class OlumiAbortError extends OlumiError {}
/** A server-side signature check failed (raised by verifiers, not by the client). */
export declare class OlumiSignatureRejectedError extends OlumiError {}
/**
 * A bug inside the SDK: a panic in the native addon, caught before it reached JS (`cause` holds
 * the addon's original error). Never retryable; please report it. Not a 5xx from the service
 * (that is `OlumiInternalServerError`).
 */
export declare class OlumiInternalError extends OlumiError {}

// API errors by category (decided by the core from the status and the service's code).
/** 401/403: missing or unknown key. */
export declare class OlumiAuthenticationError extends OlumiAPIError {}
/** 403 `INVALID_SIGNATURE`, `SIGNATURE_SKEW` or `REPLAY_BLOCKED`. */
export declare class OlumiSignatureError extends OlumiAuthenticationError {}
/** 429, or the service's per-IP limiter (500 with `retry-after`). */
export declare class OlumiRateLimitError extends OlumiAPIError {}
/** 400, 413, 422. */
export declare class OlumiBadRequestError extends OlumiAPIError {}
/** 404. */
export declare class OlumiNotFoundError extends OlumiAPIError {}
/** 5xx. */
export declare class OlumiInternalServerError extends OlumiAPIError {}

/** The one mapping from a native error to its class; other values are returned unchanged. */
export declare function toSdkError(error: unknown): unknown
/** The stable codes of every core error kind. */
export declare function errorKinds(): ErrorKind[]

// ---------------------------------------------------------------------------------------------
// Helpers

export interface SignOptions {
  secret: string
  /** Unix ms (default now). */
  timestamp?: number
  /** Default: a fresh UUID v4. */
  nonce?: string
  /** Default `'unbound'`. */
  bodyHash?: BodyHashMode
}

export interface SignatureHeaders {
  'X-Olumi-Signature': string
  'X-Olumi-Timestamp': string
  'X-Olumi-Nonce': string
}

export declare function sign(
  method: string,
  path: string,
  body: string | Uint8Array | undefined | null,
  options: SignOptions,
): SignatureHeaders
export declare function generateNonce(): string
export declare function verifyResponseHash(body: string | Uint8Array, expectedHash: string): boolean
export declare function canonicalJson(body: string | Uint8Array | unknown): string
export declare function responseHash(body: string | Uint8Array | unknown): string

export type SseItem =
  | { type: 'event'; event: string; data: string; id: string | null }
  | { type: 'comment'; text: string }
  | { type: 'retry'; ms: number }
  | { type: 'error'; message: string }

export declare class SseDecoder {
  constructor(options?: { maxLineLen?: number; maxEventSize?: number })
  feed(chunk: string | Uint8Array): SseItem[]
  finish(): { partialLine: boolean; pendingEvent: boolean }
  reset(): void
  readonly lastEventId: string | null
}

// ---------------------------------------------------------------------------------------------
// Testing support

/** `MockServer.start(options)`: the fields of the native layer's `MockOptions`. */
export interface MockServerOptions {
  /** Fixture directories layered over the shipped fixtures (later wins). */
  fixtures?: string | string[]
  /** Serve the shipped fixtures too (default true). */
  builtinFixtures?: boolean
  /** Verify HMAC signatures with this secret. */
  hmacSecret?: string
  /** Sign resume tokens with this secret (default: the HMAC secret). Without either, streams carry no resume token. */
  resumeSecret?: string
  /** Accept these API keys. */
  apiKeys?: string[]
  /** `'compat'` (default, as the service: empty body-hash slot), `'strict'` (sha256) or `'lenient'`. */
  auth?: 'compat' | 'strict' | 'lenient'
  /** SSE heartbeat interval, ms (default 10 000). */
  heartbeatMs?: number
  /** Seed of generated ids, jitter and chance faults. */
  seed?: number
  /** Requests per minute per key (0: unlimited; default 120). */
  rpm?: number
  /** Stream requests per minute per key (0: unlimited; default 20). */
  sseRpm?: number
  /** False: behave like the service without Redis (resumes answer 426). */
  resumeState?: boolean
  /** Reproduce the service's quirks exactly. */
  quirks?: boolean
  /** Forward requests that no fixture matches to this upstream URL (re-signed with the upstream's credentials). */
  proxyTo?: string
  /** Sign forwarded requests with this HMAC secret. */
  upstreamHmacSecret?: string
  /** Send this API key with forwarded requests. */
  upstreamApiKey?: string
  /** Write every proxied exchange as a fixture file into this directory (load it back with `fixtures`). */
  record?: string
  /** What recorded fixtures match on: `'path'` (method, path, query; the default) or `'body'` (also the JSON body). */
  recordMatch?: 'path' | 'body'
  /**
   * Keep stream state, HMAC nonces and quotas in this Redis (`redis://127.0.0.1:6379/0`), shared
   * by a pool of mocks: a resume, a replay check and a quota work across instances.
   */
  redisUrl?: string
  /** Prefix of every Redis key (default `olumi-mock:`), so several suites can share one Redis. */
  redisPrefix?: string
}

/**
 * Why auth refused a request (or why its signature failed before an API key let it through).
 * Print it when a test fails: `detail` says what was wrong, `expected_canonical` is the string
 * the mock would accept a signature of, to diff against what the client signed.
 */
export interface JournalRejection extends Extra {
  /** `missing_headers`, `signature_mismatch`, `skew`, `malformed_timestamp`, `nonce_replayed`, `replay_floor`, `nonce_too_long`, `missing_api_key` or `invalid_api_key`. */
  check: string
  detail: string
  expected_canonical: string | null
  /** Lenient mode: the other accepted canonical string. */
  also_accepted?: string[]
  /** For `skew`: the mock's clock minus the request's timestamp, in ms. */
  skew_ms?: number
  /** For `nonce_replayed`: the `seq` and arrival of the request that first used the nonce. */
  first_seen_seq?: number
  first_seen_at_ms?: number
}

export interface JournalEntry extends Extra {
  seq: number
  received_at_ms: number
  method: string
  target: string
  headers: Array<[string, string]>
  body_len: number
  body_sha256: string
  verdict: { kind: string } & Extra
  hmac_rejection: string | null
  rejection: JournalRejection | null
  nonce: string | null
  request_id: string | null
  fixture: string | null
  /** 404: the nearest fixture and why it did not match. */
  near_miss: string | null
  fault: string | null
  status: number
  since_start_ms: number
  latency_ms: number
  /** What answered: the mock itself, a fixture, or the proxied upstream. */
  source: 'mock' | 'fixture' | 'proxy'
  /** The request body as UTF-8 (its first 64 KiB). */
  body: string
}

/** Which journaled requests `findRequests` and `verify` look at; every field given must hold. */
export interface RequestMatcher {
  method?: string
  /** Exact path without the query, or ending in `/*` for one more segment. */
  path?: string
  query?: Record<string, string>
  /** An exact value, `{ contains }`, or `null` for "absent". */
  headers?: Record<string, string | { contains: string } | null>
  body_contains?: string
  verdict?:
    | 'auth_off'
    | 'public'
    | 'legacy_sse_bypass'
    | 'api_key'
    | 'hmac'
    | 'missing_key'
    | 'invalid_key'
    | 'hmac_rejected'
  status?: number
  source?: 'mock' | 'fixture' | 'proxy'
}

export declare class MockServer {
  private constructor()
  static start(options?: MockServerOptions): Promise<MockServer>
  readonly url: string
  journal(since?: number): JournalEntry[]
  findRequests(matcher?: RequestMatcher): JournalEntry[]
  /** Throws an `AssertionError` listing the nearest requests when the count is not `times` (at least 1 without it). */
  verify(matcher?: RequestMatcher, times?: number): number
  injectFault(spec: string, filter?: { method?: string; path?: string; fixture?: string }): number
  reset(): void
  close(): Promise<void>
}
