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
  patch?: GraphPatch
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
    correlation_id?: string
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

export interface CeeDraftGraphResponse extends Extra {}

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
}

export interface StatusResponse extends Extra {
  service: string
  version: string
  uptime_seconds: number
  timestamp: string
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
  /** A preview graph, if any (may be partial). */
  payload: unknown | null
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

export interface CompleteEvent {
  type: 'complete'
  result: DraftGraphResponse
  via: CompletedVia
  summary: StreamSummary
}

export type DraftGraphEvent = StageEvent | ResumeEvent | HeartbeatEvent | OtherEvent | CompleteEvent

/**
 * The events of one draft-graph stream; iterate it once with `for await`. A hand-written async
 * iterator (not a generator): it is its own iterator, with `next` and `return` but no `throw`.
 */
export declare class DraftGraphStream implements AsyncIterableIterator<DraftGraphEvent, undefined, undefined> {
  private constructor()
  /** What happened so far; null before the iteration starts. */
  readonly summary: StreamSummary | null;
  /** Starts the stream and returns it (a second call throws `OlumiStreamError`). */
  [Symbol.asyncIterator](): this
  /** The next event; `{ done: true }` after the last one, after `return()` or an error. */
  next(): Promise<IteratorResult<DraftGraphEvent, undefined>>
  /** Stops early (what `break` calls): closes the connection, or cancels the open in flight. */
  return(): Promise<IteratorReturnResult<undefined>>
}

// ---------------------------------------------------------------------------------------------
// The client

export declare class OlumiClient {
  constructor(options?: OlumiClientOptions)
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
  ceeDraftGraph(request: CeeDraftGraphRequest, options?: RequestOptions): Promise<CeeDraftGraphResponse>
  /** Any JSON POST route, with the same signing, retries and checks. */
  postJson<T = unknown>(path: string, body: unknown, options?: RequestOptions): Promise<T>
  /** Any JSON GET route. */
  getJson<T = unknown>(path: string, options?: RequestOptions): Promise<T>
  streamDraftGraph(request: DraftGraphRequest, options?: StreamOptions): DraftGraphStream
  resumeDraftGraph(resumeToken: string, options?: ResumeOptions): DraftGraphStream
}

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
}

export interface JournalEntry extends Extra {
  seq: number
  method: string
  target: string
  headers: Array<[string, string]>
  body_len: number
  body_sha256: string
  verdict: { kind: string } & Extra
  nonce: string | null
  fixture: string | null
  fault: string | null
  status: number
  since_start_ms: number
}

export declare class MockServer {
  private constructor()
  static start(options?: MockServerOptions): Promise<MockServer>
  readonly url: string
  journal(): JournalEntry[]
  injectFault(spec: string, filter?: { method?: string; path?: string; fixture?: string }): number
  reset(): void
  close(): Promise<void>
}
