//! The typed client: one method per route of the Assistants Service.
//!
//! ```no_run
//! # async fn demo() -> Result<(), olumi::Error> {
//! use olumi::{Client, models::DraftGraphInput, signing::BodyHashMode};
//!
//! let client = Client::builder("http://127.0.0.1:8787")
//!     .hmac_secret("test-hmac-secret", BodyHashMode::Unbound)
//!     .build()?;
//! let draft = client
//!     .draft_graph(&DraftGraphInput::new("Should we expand our SaaS product into Europe next year?"))
//!     .await?;
//! println!("{} nodes", draft.graph.nodes.len());
//! # Ok(()) }
//! ```

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::Error;
use crate::models::{
    AskRequest, AskResponse, BiasCheckRequest, BiasCheckResponse, CeeDraftGraphOptions,
    CeeDraftGraphRequest, CeeDraftGraphResponse, CeeHealth, CeeSchema, ClarifyBriefRequest,
    ClarifyBriefResponse, CreateShareRequest, CreateShareResponse, CritiqueGraphRequest,
    CritiqueGraphResponse, DecisionReviewBundle, DraftGraphInput, DraftGraphOutput,
    ElicitBeliefRequest, ElicitBeliefResponse, ElicitPreferencesAnswerRequest,
    ElicitPreferencesAnswerResponse, ElicitPreferencesRequest, ElicitPreferencesResponse,
    ElicitRiskToleranceRequest, ElicitRiskToleranceResponse, EvidenceHelperRequest,
    EvidenceHelperResponse, EvidencePackRequest, ExplainDiffRequest, ExplainDiffResponse,
    ExplainGraphRequest, ExplainGraphResponse, ExplainPolicyRequest, ExplainPolicyResponse,
    ExplainTradeoffRequest, ExplainTradeoffResponse, GenerateRecommendationRequest,
    GenerateRecommendationResponse, GraphReadinessRequest, GraphReadinessResponse, Health,
    IslSynthesisRequest, IslSynthesisResponse, KeyInsightRequest, KeyInsightResponse, Limits,
    NarrateConditionsRequest, NarrateConditionsResponse, OptionsRequest, OptionsResponse,
    ReviewRequest, ReviewResponse, RevokeShareResponse, SensitivityCoachRequest,
    SensitivityCoachResponse, ServiceDiagnostics, SharedContent, Status,
    SuggestEdgeFunctionRequest, SuggestEdgeFunctionResponse, SuggestOptionsRequest,
    SuggestOptionsResponse, SuggestUtilityWeightsRequest, SuggestUtilityWeightsResponse,
    TeamPerspectivesRequest, TeamPerspectivesResponse,
};
use crate::retry::{RetryBudget, RetryPolicy};
use crate::routes::{Method, fill_path};
use crate::signing::{BodyHashMode, HEADER_NONCE, HEADER_SIGNATURE, HEADER_TIMESTAMP, Signer};
use crate::stream::{
    CeeDraftGraphStream, DraftGraphStream, JsonEventStream, StreamOptions, StreamRoute,
};
use crate::transport::{ApiRequest, Credentials, Transport, TransportConfig};

/// Default connect timeout.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Default timeout of one request/response exchange.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(60);
/// Default stream idle timeout: three missed 10 s heartbeats.
pub const DEFAULT_STREAM_IDLE_TIMEOUT: Duration = Duration::from_secs(30);

/// A client of the Olumi Assistants Service. Cheap to clone (`Arc` inside), `Send + Sync`.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    transport: Transport,
    stream_idle_timeout: Duration,
    resume_live: bool,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.transport.config().base.as_str())
            .field("credentials", &self.inner.transport.config().credentials)
            .finish_non_exhaustive()
    }
}

/// A secret string: never shown by `Debug`.
#[derive(Clone, PartialEq, Eq)]
struct Secret(String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

#[derive(Debug, Clone)]
enum AuthConfig {
    None,
    ApiKey(Secret),
    Bearer(Secret),
    Hmac(Secret, BodyHashMode),
}

impl AuthConfig {
    fn option_name(&self) -> &'static str {
        match self {
            Self::None => "none",
            Self::ApiKey(_) => "api_key",
            Self::Bearer(_) => "bearer_token",
            Self::Hmac(..) => "hmac_secret",
        }
    }
}

/// Builds a [`Client`]; every setting is validated in [`build`](Self::build).
#[derive(Clone)]
pub struct ClientBuilder {
    base_url: String,
    auth: AuthConfig,
    /// Set when two authentication methods were given: an error at build time, not a silent
    /// "last one wins".
    auth_conflict: Option<String>,
    connect_timeout: Duration,
    request_timeout: Duration,
    stream_idle_timeout: Duration,
    total_deadline: Option<Duration>,
    retry: RetryPolicy,
    retry_budget: Option<(f64, f64)>,
    verify_response_hash: bool,
    user_agent: String,
    headers: Vec<(String, String)>,
    http: Option<reqwest::Client>,
    resume_live: bool,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Not yet validated: the URL may carry `user:password@`, and extra headers may be keys.
        let base_url = if self.base_url.contains('@') {
            "(not shown: it contains '@')"
        } else {
            self.base_url.as_str()
        };
        let header_names: Vec<&str> = self.headers.iter().map(|(name, _)| name.as_str()).collect();
        f.debug_struct("ClientBuilder")
            .field("base_url", &base_url)
            .field("auth", &self.auth)
            .field("connect_timeout", &self.connect_timeout)
            .field("request_timeout", &self.request_timeout)
            .field("stream_idle_timeout", &self.stream_idle_timeout)
            .field("total_deadline", &self.total_deadline)
            .field("retry", &self.retry)
            .field("verify_response_hash", &self.verify_response_hash)
            .field("header_names", &header_names)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    fn new(base_url: impl Into<String>) -> Self {
        Self {
            base_url: base_url.into(),
            auth: AuthConfig::None,
            auth_conflict: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            stream_idle_timeout: DEFAULT_STREAM_IDLE_TIMEOUT,
            total_deadline: None,
            retry: RetryPolicy::default(),
            retry_budget: None,
            verify_response_hash: true,
            user_agent: format!("olumi-rust/{}", env!("CARGO_PKG_VERSION")),
            headers: Vec::new(),
            http: None,
            resume_live: true,
        }
    }

    /// Authenticate with an API key in `X-Olumi-Assist-Key`.
    pub fn api_key(self, key: impl Into<String>) -> Self {
        self.with_auth(AuthConfig::ApiKey(Secret(key.into())))
    }

    /// Authenticate with an API key in `Authorization: Bearer`.
    pub fn bearer_token(self, key: impl Into<String>) -> Self {
        self.with_auth(AuthConfig::Bearer(Secret(key.into())))
    }

    /// Sign every request with HMAC-SHA256. Use [`BodyHashMode::Unbound`] (the default) against
    /// the deployed service, [`BodyHashMode::Sha256`] against a server that binds bodies.
    pub fn hmac_secret(self, secret: impl Into<String>, body_hash: BodyHashMode) -> Self {
        self.with_auth(AuthConfig::Hmac(Secret(secret.into()), body_hash))
    }

    fn with_auth(mut self, auth: AuthConfig) -> Self {
        if !matches!(self.auth, AuthConfig::None) {
            self.auth_conflict = Some(format!(
                "give one authentication method, not both {} and {}",
                self.auth.option_name(),
                auth.option_name()
            ));
        }
        self.auth = auth;
        self
    }

    /// Connect timeout (default 5 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Timeout of one request/response exchange (default 60 s).
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// How long a stream may stay silent, heartbeats included, before it counts as dropped
    /// (default 30 s).
    pub fn stream_idle_timeout(mut self, timeout: Duration) -> Self {
        self.stream_idle_timeout = timeout;
        self
    }

    /// A deadline across all attempts of one call (default none). It becomes the retry policy's
    /// [`RetryPolicy::total_deadline`] (replacing the one given to [`retry_policy`](Self::retry_policy),
    /// if any): no retry starts that would pass it, and an attempt still running at it is cut
    /// off. Either way the call fails with [`Error::Timeout`] in phase
    /// [`TimeoutPhase::Deadline`](crate::error::TimeoutPhase::Deadline).
    pub fn total_deadline(mut self, deadline: Option<Duration>) -> Self {
        self.total_deadline = deadline;
        self
    }

    /// The retry policy (default: 2 retries, 0.5 s to 8 s backoff with full jitter).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Shorthand for the policy's `max_retries` (0 disables retries).
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.retry.max_retries = retries;
        self
    }

    /// The retry budget shared by all calls of this client (default 10 tokens, 0.1 per call).
    pub fn retry_budget(mut self, max_tokens: f64, deposit_per_request: f64) -> Self {
        self.retry_budget = Some((max_tokens, deposit_per_request));
        self
    }

    /// Check `x-olumi-response-hash` on every JSON response (default on).
    pub fn verify_response_hash(mut self, verify: bool) -> Self {
        self.verify_response_hash = verify;
        self
    }

    /// The `User-Agent` header.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// An extra header sent on every request.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Use this `reqwest::Client` (proxies, TLS roots, pools). Its own timeouts apply too.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Resume dropped streams in live mode (default) or replay mode.
    pub fn resume_live(mut self, live: bool) -> Self {
        self.resume_live = live;
        self
    }

    /// Validates the settings and builds the client.
    pub fn build(self) -> Result<Client, Error> {
        if let Some(conflict) = self.auth_conflict {
            return Err(Error::config(conflict));
        }
        let base = reqwest::Url::parse(&self.base_url).map_err(|e| {
            // A URL with `@` may carry a password: it is not repeated in the message.
            let shown = if self.base_url.contains('@') {
                "(not shown: it contains '@')".to_owned()
            } else {
                format!("{:?}", self.base_url)
            };
            Error::config(format!("base_url {shown} is not a valid URL: {e}"))
        })?;
        if !base.username().is_empty() || base.password().is_some() {
            return Err(Error::config(
                "base_url must not carry credentials (user:password@); use api_key, bearer_token \
                 or hmac_secret",
            ));
        }
        if !matches!(base.scheme(), "http" | "https") {
            return Err(Error::config(format!(
                "base_url must use http or https, not {:?}",
                base.scheme()
            )));
        }
        if base.query().is_some() || base.fragment().is_some() {
            return Err(Error::config(
                "base_url must not have a query or a fragment",
            ));
        }
        for (name, value) in [
            ("connect_timeout", self.connect_timeout),
            ("request_timeout", self.request_timeout),
            ("stream_idle_timeout", self.stream_idle_timeout),
        ] {
            if value.is_zero() {
                return Err(Error::config(format!("{name} must be greater than zero")));
            }
        }
        // One deadline for the call: the builder's, else the policy's. The policy stops retrying
        // before it and the transport cuts off an attempt still running at it.
        let total_deadline = self.total_deadline.or(self.retry.total_deadline);
        if total_deadline.is_some_and(|d| d.is_zero()) {
            return Err(Error::config("total_deadline must be greater than zero"));
        }
        let credentials = match &self.auth {
            AuthConfig::None => Credentials::None,
            AuthConfig::ApiKey(key) => Credentials::ApiKey(secret_header("api_key", &key.0, "")?),
            AuthConfig::Bearer(key) => {
                Credentials::Bearer(secret_header("bearer_token", &key.0, "Bearer ")?)
            }
            AuthConfig::Hmac(secret, mode) => Credentials::Hmac(
                Signer::new(&secret.0, *mode)
                    .map_err(|e| Error::config(format!("hmac_secret: {e}")))?,
            ),
        };
        let mut default_headers = HeaderMap::new();
        default_headers.insert(
            reqwest::header::USER_AGENT,
            HeaderValue::from_str(&self.user_agent)
                .map_err(|_| Error::config("user_agent is not a valid header value"))?,
        );
        for (name, value) in &self.headers {
            let header = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| Error::config(format!("header name {name:?} is not valid")))?;
            let reserved = [
                HEADER_SIGNATURE,
                HEADER_TIMESTAMP,
                HEADER_NONCE,
                "x-olumi-assist-key",
                "authorization",
            ];
            if reserved.iter().any(|r| r.eq_ignore_ascii_case(name)) {
                return Err(Error::config(format!(
                    "header {name:?} is set by the client's authentication and cannot be overridden"
                )));
            }
            let value = HeaderValue::from_str(value).map_err(|_| {
                Error::config(format!(
                    "the value of header {name:?} is not a valid header value"
                ))
            })?;
            default_headers.insert(header, value);
        }
        let budget = match self.retry_budget {
            Some((max_tokens, deposit)) => {
                if !(max_tokens.is_finite()
                    && max_tokens >= 0.0
                    && deposit.is_finite()
                    && deposit >= 0.0)
                {
                    return Err(Error::config(
                        "retry_budget values must be finite and not negative",
                    ));
                }
                RetryBudget::new(max_tokens, deposit)
            }
            None => RetryBudget::default(),
        };
        let transport = Transport::new(
            TransportConfig {
                base,
                credentials,
                default_headers,
                request_timeout: self.request_timeout,
                connect_timeout: self.connect_timeout,
                retry: RetryPolicy {
                    total_deadline,
                    ..self.retry
                },
                verify_response_hash: self.verify_response_hash,
            },
            self.http,
            budget,
        )?;
        Ok(Client {
            inner: Arc::new(Inner {
                transport,
                stream_idle_timeout: self.stream_idle_timeout,
                resume_live: self.resume_live,
            }),
        })
    }
}

fn secret_header(option: &str, key: &str, prefix: &str) -> Result<HeaderValue, Error> {
    if key.trim().is_empty() {
        return Err(Error::config(format!("{option} is empty")));
    }
    let mut value = HeaderValue::from_str(&format!("{prefix}{key}")).map_err(|_| {
        Error::config(format!(
            "{option} contains characters that cannot go in a header"
        ))
    })?;
    value.set_sensitive(true);
    Ok(value)
}

/// One typed method per plain JSON `POST` route: the name, request and response types, path.
macro_rules! cee_routes {
    ($( $(#[$doc:meta])* $name:ident($req:ty) -> $resp:ty = $path:literal; )+) => {$(
        $(#[$doc])*
        pub async fn $name(&self, req: &$req) -> Result<$resp, Error> {
            self.post_json($path, req).await
        }
    )+};
}

impl Client {
    /// Starts building a client for the service at `base_url` (for example
    /// `http://127.0.0.1:8787` for the mock server).
    pub fn builder(base_url: impl Into<String>) -> ClientBuilder {
        ClientBuilder::new(base_url)
    }

    /// `GET /healthz`.
    pub async fn health(&self) -> Result<Health, Error> {
        self.get_json("/healthz").await
    }

    /// `GET /v1/status`.
    pub async fn status(&self) -> Result<Status, Error> {
        self.get_json("/v1/status").await
    }

    /// `GET /v1/limits`.
    pub async fn limits(&self) -> Result<Limits, Error> {
        self.get_json("/v1/limits").await
    }

    /// `POST /assist/draft-graph`.
    pub async fn draft_graph(&self, input: &DraftGraphInput) -> Result<DraftGraphOutput, Error> {
        self.post_json("/assist/draft-graph", input).await
    }

    /// `POST /assist/draft-graph/stream`, with resume and fallback (see [`DraftGraphStream`]).
    pub async fn draft_graph_stream(
        &self,
        input: &DraftGraphInput,
    ) -> Result<DraftGraphStream, Error> {
        let body = to_body(input)?;
        let options = StreamOptions::Open {
            route: StreamRoute::draft_graph(),
            body: Some(body),
        };
        DraftGraphStream::open(self.stream_parts(), options).await
    }

    /// `POST /assist/draft-graph/resume` with a token from a stream's resume event.
    pub async fn resume(&self, token: &str, live: bool) -> Result<DraftGraphStream, Error> {
        DraftGraphStream::open(
            self.stream_parts(),
            StreamOptions::Resume {
                token: token.to_owned(),
                live,
            },
        )
        .await
    }

    /// `POST /assist/suggest-options`.
    pub async fn suggest_options(
        &self,
        req: &SuggestOptionsRequest,
    ) -> Result<SuggestOptionsResponse, Error> {
        self.post_json("/assist/suggest-options", req).await
    }

    /// `POST /assist/clarify-brief`.
    pub async fn clarify_brief(
        &self,
        req: &ClarifyBriefRequest,
    ) -> Result<ClarifyBriefResponse, Error> {
        self.post_json("/assist/clarify-brief", req).await
    }

    /// `POST /assist/critique-graph`.
    pub async fn critique_graph(
        &self,
        req: &CritiqueGraphRequest,
    ) -> Result<CritiqueGraphResponse, Error> {
        self.post_json("/assist/critique-graph", req).await
    }

    /// `POST /assist/explain-diff`.
    pub async fn explain_diff(
        &self,
        req: &ExplainDiffRequest,
    ) -> Result<ExplainDiffResponse, Error> {
        self.post_json("/assist/explain-diff", req).await
    }

    /// `POST /assist/evidence-pack`: the ZIP archive's bytes.
    pub async fn evidence_pack(&self, req: &EvidencePackRequest) -> Result<Bytes, Error> {
        let body = to_body(req)?;
        let mut request = ApiRequest::post("/assist/evidence-pack", Some(body));
        request.accept = "application/zip, application/json";
        self.inner.transport.send(&request).await
    }

    /// `POST /assist/v1/draft-graph` (CEE) with the service's defaults: the schema v3 response.
    /// [`cee_draft_graph_with_options`](Self::cee_draft_graph_with_options) takes `?schema` and
    /// `?strict`.
    pub async fn cee_draft_graph(
        &self,
        req: &CeeDraftGraphRequest,
    ) -> Result<CeeDraftGraphResponse, Error> {
        self.post_json("/assist/v1/draft-graph", req).await
    }

    /// `POST /assist/v1/draft-graph?schema=..&strict=..` (CEE). In strict mode a v3 response
    /// that fails the service's checks is `Error::Api` (422, `CEE_V3_VALIDATION_FAILED`, the
    /// warnings in `details.validation_warnings`).
    pub async fn cee_draft_graph_with_options(
        &self,
        req: &CeeDraftGraphRequest,
        options: &CeeDraftGraphOptions,
    ) -> Result<CeeDraftGraphResponse, Error> {
        let path = format!("/assist/v1/draft-graph{}", options.query());
        self.post_json(&path, req).await
    }

    /// `POST /assist/v1/draft-graph/stream` (CEE) as a resilient stream (see [`EventStream`]):
    /// the idle timer, one resume when the service sent a resume token (it does only when it
    /// keeps stream state), and one fallback to `POST /assist/v1/draft-graph` in the stream's
    /// schema (v1 unless `options.schema` says otherwise). The final event carries a
    /// [`CeeDraftGraphResponse`] (v1 by default).
    ///
    /// [`EventStream`]: crate::EventStream
    pub async fn cee_draft_graph_stream(
        &self,
        req: &CeeDraftGraphRequest,
        options: &CeeDraftGraphOptions,
    ) -> Result<CeeDraftGraphStream, Error> {
        let body = to_body(req)?;
        // The stream answers schema v1 unless asked otherwise; the fallback must answer the
        // same shape.
        let fallback_options = CeeDraftGraphOptions {
            schema: Some(options.schema.clone().unwrap_or(CeeSchema::V1)),
            strict: options.strict,
        };
        let options = StreamOptions::Open {
            route: StreamRoute {
                method: reqwest::Method::POST,
                path: format!("/assist/v1/draft-graph/stream{}", options.query()),
                fallback: Some(format!(
                    "/assist/v1/draft-graph{}",
                    fallback_options.query()
                )),
            },
            body: Some(body),
        };
        CeeDraftGraphStream::open(self.stream_parts(), options).await
    }

    /// `GET /diagnostics` (only when the service enables it, for allow-listed keys).
    pub async fn diagnostics(&self) -> Result<ServiceDiagnostics, Error> {
        self.get_json("/diagnostics").await
    }

    /// `POST /assist/share`: a signed, redacted share link (HTTP 201).
    pub async fn create_share(
        &self,
        req: &CreateShareRequest,
    ) -> Result<CreateShareResponse, Error> {
        self.post_json("/assist/share", req).await
    }

    /// `GET /assist/share/{token}`: the shared content. An expired, revoked or unknown token is
    /// `Error::Api` with status 410.
    pub async fn get_share(&self, token: &str) -> Result<SharedContent, Error> {
        let path = fill_path("/assist/share/{token}", &[("token", token)])?;
        self.get_json(&path).await
    }

    /// `DELETE /assist/share/{token}`: revokes a share. An unknown token is `Error::Api` with
    /// status 404.
    pub async fn revoke_share(&self, token: &str) -> Result<RevokeShareResponse, Error> {
        let path = fill_path("/assist/share/{token}", &[("token", token)])?;
        self.call(Method::Delete, &path, None).await
    }

    /// `POST /assist/v1/elicit-risk-tolerance`: questions (`mode: get_questions`) or a risk
    /// profile (`mode: process_responses`).
    pub async fn elicit_risk_tolerance(
        &self,
        req: &ElicitRiskToleranceRequest,
    ) -> Result<ElicitRiskToleranceResponse, Error> {
        self.post_json("/assist/v1/elicit-risk-tolerance", req)
            .await
    }

    /// `GET /assist/v1/health`: the CEE health summary.
    pub async fn cee_health(&self) -> Result<CeeHealth, Error> {
        self.get_json("/assist/v1/health").await
    }

    /// `GET /assist/v1/decision-review/example` (only when the service enables it).
    pub async fn decision_review_example(&self) -> Result<DecisionReviewBundle, Error> {
        self.get_json("/assist/v1/decision-review/example").await
    }

    cee_routes! {
        /// `POST /assist/v1/options`: option ideas for a graph.
        options(OptionsRequest) -> OptionsResponse = "/assist/v1/options";
        /// `POST /assist/v1/bias-check`: bias findings (and mitigation patches).
        bias_check(BiasCheckRequest) -> BiasCheckResponse = "/assist/v1/bias-check";
        /// `POST /assist/v1/explain-graph`: an explanation of an inference result.
        explain_graph(ExplainGraphRequest) -> ExplainGraphResponse = "/assist/v1/explain-graph";
        /// `POST /assist/v1/evidence-helper`: the strength of each evidence item.
        evidence_helper(EvidenceHelperRequest) -> EvidenceHelperResponse = "/assist/v1/evidence-helper";
        /// `POST /assist/v1/sensitivity-coach`: which drivers to test.
        sensitivity_coach(SensitivityCoachRequest) -> SensitivityCoachResponse = "/assist/v1/sensitivity-coach";
        /// `POST /assist/v1/team-perspectives`: a summary of the team's stances.
        team_perspectives(TeamPerspectivesRequest) -> TeamPerspectivesResponse = "/assist/v1/team-perspectives";
        /// `POST /assist/v1/graph-readiness`: whether a graph is ready for analysis.
        graph_readiness(GraphReadinessRequest) -> GraphReadinessResponse = "/assist/v1/graph-readiness";
        /// `POST /assist/v1/key-insight`: the headline insight of ranked actions.
        key_insight(KeyInsightRequest) -> KeyInsightResponse = "/assist/v1/key-insight";
        /// `POST /assist/v1/elicit-belief`: a value from a natural-language belief.
        elicit_belief(ElicitBeliefRequest) -> ElicitBeliefResponse = "/assist/v1/elicit-belief";
        /// `POST /assist/v1/suggest-utility-weights`: weights for outcome nodes.
        suggest_utility_weights(SuggestUtilityWeightsRequest) -> SuggestUtilityWeightsResponse = "/assist/v1/suggest-utility-weights";
        /// `POST /assist/v1/suggest-edge-function`: a function shape for an edge.
        suggest_edge_function(SuggestEdgeFunctionRequest) -> SuggestEdgeFunctionResponse = "/assist/v1/suggest-edge-function";
        /// `POST /assist/v1/generate-recommendation`: a recommendation narrative.
        generate_recommendation(GenerateRecommendationRequest) -> GenerateRecommendationResponse = "/assist/v1/generate-recommendation";
        /// `POST /assist/v1/narrate-conditions`: a narrative of conditional recommendations.
        narrate_conditions(NarrateConditionsRequest) -> NarrateConditionsResponse = "/assist/v1/narrate-conditions";
        /// `POST /assist/v1/explain-policy`: an explanation of a sequential policy.
        explain_policy(ExplainPolicyRequest) -> ExplainPolicyResponse = "/assist/v1/explain-policy";
        /// `POST /assist/v1/elicit/preferences`: preference questions.
        elicit_preferences(ElicitPreferencesRequest) -> ElicitPreferencesResponse = "/assist/v1/elicit/preferences";
        /// `POST /assist/v1/elicit/preferences/answer`: updated preferences after an answer.
        elicit_preferences_answer(ElicitPreferencesAnswerRequest) -> ElicitPreferencesAnswerResponse = "/assist/v1/elicit/preferences/answer";
        /// `POST /assist/v1/explain/tradeoff`: the trade-off between two options.
        explain_tradeoff(ExplainTradeoffRequest) -> ExplainTradeoffResponse = "/assist/v1/explain/tradeoff";
        /// `POST /assist/v1/isl-synthesis`: narratives of robustness results.
        isl_synthesis(IslSynthesisRequest) -> IslSynthesisResponse = "/assist/v1/isl-synthesis";
        /// `POST /assist/v1/ask`: a question about the model, with proposed model actions.
        ask(AskRequest) -> AskResponse = "/assist/v1/ask";
        /// `POST /assist/v1/review`: a decision review in blocks.
        review(ReviewRequest) -> ReviewResponse = "/assist/v1/review";
    }

    /// Any JSON `POST` route, with the same signing, retries and verification as the typed
    /// methods. `path` may carry a query string. (A thin wrapper over
    /// [`request_json`](Self::request_json)'s machinery, typed at both ends.)
    pub async fn post_json<Req, Resp>(&self, path: &str, req: &Req) -> Result<Resp, Error>
    where
        Req: Serialize + ?Sized,
        Resp: DeserializeOwned,
    {
        self.call(Method::Post, path, Some(to_body(req)?)).await
    }

    /// Any JSON `GET` route.
    pub async fn get_json<Resp: DeserializeOwned>(&self, path: &str) -> Result<Resp, Error> {
        self.call(Method::Get, path, None).await
    }

    /// The generic escape hatch: any method, any path, so a route the service adds today is
    /// usable today. The same signing (over the exact request-target, query included),
    /// retries, response-hash check and typed errors as the typed methods.
    ///
    /// `path_and_query` starts with `/` and may carry a query string (`/assist/v1/x?strict=true`);
    /// it is sent as given. `body`, when given, is sent as JSON. An empty response body is
    /// `Value::Null`.
    ///
    /// ```no_run
    /// # async fn demo(client: &olumi::Client) -> Result<(), olumi::Error> {
    /// use olumi::routes::Method;
    /// let revoked = client.request_json(Method::Delete, "/assist/share/TOKEN", None).await?;
    /// # Ok(()) }
    /// ```
    pub async fn request_json(
        &self,
        method: Method,
        path_and_query: &str,
        body: Option<&Value>,
    ) -> Result<Value, Error> {
        let body = body.map(to_body).transpose()?;
        self.call(method, path_and_query, body).await
    }

    /// The streaming form of [`request_json`](Self::request_json): sends the request with
    /// `Accept: text/event-stream` and returns the service's events typed ([`StreamEvent`]:
    /// stages, resume tokens, heartbeats, other named events), ending with the `COMPLETE`
    /// payload as JSON.
    ///
    /// The resilience contract of the draft stream holds where the route allows it: the idle
    /// timer, and one resume when the stream sent a resume token. There is no fallback (the
    /// SDK does not know the route's JSON twin), so a stream that breaks without a token, or
    /// whose resume fails, ends with the error.
    ///
    /// [`StreamEvent`]: crate::StreamEvent
    pub async fn request_stream(
        &self,
        method: Method,
        path_and_query: &str,
        body: Option<&Value>,
    ) -> Result<JsonEventStream, Error> {
        check_path(path_and_query)?;
        let body = body.map(to_body).transpose()?;
        let options = StreamOptions::Open {
            route: StreamRoute {
                method: method.into(),
                path: path_and_query.to_owned(),
                fallback: None,
            },
            body,
        };
        JsonEventStream::open(self.stream_parts(), options).await
    }

    /// One JSON exchange: signed, retried, verified, decoded into `Resp`.
    async fn call<Resp: DeserializeOwned>(
        &self,
        method: Method,
        path_and_query: &str,
        body: Option<Bytes>,
    ) -> Result<Resp, Error> {
        check_path(path_and_query)?;
        let request = ApiRequest::new(method.into(), path_and_query, body);
        let response = self.inner.transport.send(&request).await?;
        decode_json(path_and_query, &response)
    }

    fn stream_parts(&self) -> crate::stream::StreamParts {
        crate::stream::StreamParts {
            client: self.clone(),
            idle_timeout: self.inner.stream_idle_timeout,
            resume_live: self.inner.resume_live,
        }
    }

    pub(crate) fn transport(&self) -> &Transport {
        &self.inner.transport
    }
}

fn to_body<T: Serialize + ?Sized>(value: &T) -> Result<Bytes, Error> {
    serde_json::to_vec(value)
        .map(Bytes::from)
        .map_err(|e| Error::config(format!("the request cannot be serialised as JSON: {e}")))
}

/// Decodes a JSON response; an empty body (a 204, or a 200 without content) decodes as `null`,
/// so `Value` and `Option<_>` responses accept it.
fn decode_json<T: DeserializeOwned>(what: &str, body: &[u8]) -> Result<T, Error> {
    let body: &[u8] = if body.iter().all(u8::is_ascii_whitespace) {
        b"null"
    } else {
        body
    };
    serde_json::from_slice(body).map_err(|e| Error::Decode {
        what: what.to_owned(),
        message: e.to_string(),
    })
}

/// A request path must be absolute (`/...`): it is appended to the base URL as it is.
fn check_path(path_and_query: &str) -> Result<(), Error> {
    if !path_and_query.starts_with('/') {
        return Err(Error::config(format!(
            "request path {path_and_query:?} must start with '/'"
        )));
    }
    if path_and_query.contains(['#', '\r', '\n']) {
        return Err(Error::config(format!(
            "request path {path_and_query:?} must not contain '#' or line breaks"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_errors_name_the_option() {
        let err = |b: ClientBuilder| b.build().unwrap_err().to_string();
        assert!(err(Client::builder("ftp://x")).contains("http or https"));
        assert!(err(Client::builder("not a url")).contains("base_url"));
        let builder = Client::builder("https://user:hunter2@example.com")
            .header("x-extra-key", "hunter3")
            .api_key("hunter4");
        let shown = format!("{builder:?}");
        assert!(
            !shown.contains("hunter") && shown.contains("x-extra-key"),
            "{shown}"
        );
        let with_password = err(Client::builder("https://user:hunter2@example.com"));
        assert!(
            with_password.contains("must not carry credentials"),
            "{with_password}"
        );
        assert!(!with_password.contains("hunter2"));
        let broken = err(Client::builder("https://user:hunter2@exa mple.com"));
        assert!(
            broken.contains("not a valid URL") && !broken.contains("hunter2"),
            "{broken}"
        );
        assert!(err(Client::builder("http://x").api_key("")).contains("api_key is empty"));
        assert!(
            err(Client::builder("http://x").hmac_secret("", BodyHashMode::Unbound))
                .contains("hmac_secret")
        );
        assert!(
            err(Client::builder("http://x").request_timeout(Duration::ZERO))
                .contains("request_timeout")
        );
        assert!(
            err(Client::builder("http://x").header("X-Olumi-Signature", "x"))
                .contains("cannot be overridden")
        );
        assert!(err(Client::builder("http://x").header("bad name", "x")).contains("not valid"));
        assert!(
            err(Client::builder("http://x")
                .api_key("k")
                .hmac_secret("s", BodyHashMode::Unbound))
            .contains("not both api_key and hmac_secret")
        );
    }

    #[test]
    fn the_builders_total_deadline_is_the_retry_policys() {
        let policy_deadline = |b: ClientBuilder| {
            b.build()
                .unwrap()
                .inner
                .transport
                .config()
                .retry
                .total_deadline
        };
        let five = Some(Duration::from_secs(5));
        assert_eq!(
            policy_deadline(Client::builder("http://x").total_deadline(five)),
            five
        );
        // Given either way round, the builder's deadline replaces the policy's.
        let policy = RetryPolicy {
            total_deadline: Some(Duration::from_secs(60)),
            ..RetryPolicy::default()
        };
        assert_eq!(
            policy_deadline(
                Client::builder("http://x")
                    .total_deadline(five)
                    .retry_policy(policy.clone())
            ),
            five
        );
        assert_eq!(
            policy_deadline(Client::builder("http://x").retry_policy(policy.clone())),
            policy.total_deadline
        );
        assert_eq!(policy_deadline(Client::builder("http://x")), None);
        let zero = RetryPolicy {
            total_deadline: Some(Duration::ZERO),
            ..RetryPolicy::default()
        };
        let err = Client::builder("http://x")
            .retry_policy(zero)
            .build()
            .unwrap_err();
        assert!(err.to_string().contains("total_deadline"), "{err}");
    }

    #[test]
    fn debug_never_shows_secrets() {
        let client = Client::builder("http://127.0.0.1:1")
            .api_key("sk-very-secret")
            .build()
            .unwrap();
        let builder =
            Client::builder("http://x").hmac_secret("hmac-very-secret", BodyHashMode::Sha256);
        let text = format!("{client:?} {builder:?}");
        assert!(!text.contains("very-secret"), "{text}");
    }
}
