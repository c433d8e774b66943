//! `Client`: one async method per core method. Requests arrive as JSON text and results leave as
//! JSON text; each method takes the call's `timeout` (ms) and `CancelToken`.

use napi::bindgen_prelude::Buffer;
use napi_derive::napi;
use olumi::models::{
    CeeDraftGraphRequest, ClarifyBriefRequest, CritiqueGraphRequest, DraftGraphInput,
    EvidencePackRequest, ExplainDiffRequest, SuggestOptionsRequest,
};
use olumi::stream_session::SessionConfig;
use serde_json::value::RawValue;

use crate::cancel::{Call, CancelToken};
use crate::errors::to_napi;
use crate::stream::EventStream;
use crate::types::{ClientOptions, json, request};

/// The native client (`OlumiClient` in `index.js` wraps it).
#[napi]
#[derive(Debug)]
pub struct Client {
    inner: olumi::Client,
}

#[napi]
impl Client {
    /// Validates the options and builds the core client.
    #[napi(constructor, catch_unwind)]
    pub fn new(options: Option<ClientOptions>) -> napi::Result<Self> {
        let builder = olumi::ClientBuilder::try_from(options.unwrap_or_default())?;
        let inner = builder.build().map_err(to_napi)?;
        Ok(Self { inner })
    }

    /// `GET /healthz`.
    #[napi(catch_unwind)]
    pub async fn health(
        &self,
        timeout: Option<f64>,
        token: Option<&CancelToken>,
    ) -> napi::Result<String> {
        let call = Call::new(timeout, token)?;
        json(&call.run(self.inner.health()).await?)
    }

    /// `GET /v1/status`.
    #[napi(catch_unwind)]
    pub async fn status(
        &self,
        timeout: Option<f64>,
        token: Option<&CancelToken>,
    ) -> napi::Result<String> {
        let call = Call::new(timeout, token)?;
        json(&call.run(self.inner.status()).await?)
    }

    /// `GET /v1/limits`.
    #[napi(catch_unwind)]
    pub async fn limits(
        &self,
        timeout: Option<f64>,
        token: Option<&CancelToken>,
    ) -> napi::Result<String> {
        let call = Call::new(timeout, token)?;
        json(&call.run(self.inner.limits()).await?)
    }

    /// `POST /assist/draft-graph`.
    #[napi(catch_unwind)]
    pub async fn draft_graph(
        &self,
        request_json: String,
        timeout: Option<f64>,
        token: Option<&CancelToken>,
    ) -> napi::Result<String> {
        let (call, req) = (
            Call::new(timeout, token)?,
            request::<DraftGraphInput>("draftGraph", &request_json)?,
        );
        json(&call.run(self.inner.draft_graph(&req)).await?)
    }

    /// `POST /assist/suggest-options`.
    #[napi(catch_unwind)]
    pub async fn suggest_options(
        &self,
        request_json: String,
        timeout: Option<f64>,
        token: Option<&CancelToken>,
    ) -> napi::Result<String> {
        let (call, req) = (
            Call::new(timeout, token)?,
            request::<SuggestOptionsRequest>("suggestOptions", &request_json)?,
        );
        json(&call.run(self.inner.suggest_options(&req)).await?)
    }

    /// `POST /assist/clarify-brief`.
    #[napi(catch_unwind)]
    pub async fn clarify_brief(
        &self,
        request_json: String,
        timeout: Option<f64>,
        token: Option<&CancelToken>,
    ) -> napi::Result<String> {
        let (call, req) = (
            Call::new(timeout, token)?,
            request::<ClarifyBriefRequest>("clarifyBrief", &request_json)?,
        );
        json(&call.run(self.inner.clarify_brief(&req)).await?)
    }

    /// `POST /assist/critique-graph`.
    #[napi(catch_unwind)]
    pub async fn critique_graph(
        &self,
        request_json: String,
        timeout: Option<f64>,
        token: Option<&CancelToken>,
    ) -> napi::Result<String> {
        let (call, req) = (
            Call::new(timeout, token)?,
            request::<CritiqueGraphRequest>("critiqueGraph", &request_json)?,
        );
        json(&call.run(self.inner.critique_graph(&req)).await?)
    }

    /// `POST /assist/explain-diff`.
    #[napi(catch_unwind)]
    pub async fn explain_diff(
        &self,
        request_json: String,
        timeout: Option<f64>,
        token: Option<&CancelToken>,
    ) -> napi::Result<String> {
        let (call, req) = (
            Call::new(timeout, token)?,
            request::<ExplainDiffRequest>("explainDiff", &request_json)?,
        );
        json(&call.run(self.inner.explain_diff(&req)).await?)
    }

    /// `POST /assist/evidence-pack`: the ZIP archive.
    #[napi(catch_unwind)]
    pub async fn evidence_pack(
        &self,
        request_json: String,
        timeout: Option<f64>,
        token: Option<&CancelToken>,
    ) -> napi::Result<Buffer> {
        let (call, req) = (
            Call::new(timeout, token)?,
            request::<EvidencePackRequest>("evidencePack", &request_json)?,
        );
        Ok(call
            .run(self.inner.evidence_pack(&req))
            .await?
            .to_vec()
            .into())
    }

    /// `POST /assist/v1/draft-graph` (CEE).
    #[napi(catch_unwind)]
    pub async fn cee_draft_graph(
        &self,
        request_json: String,
        timeout: Option<f64>,
        token: Option<&CancelToken>,
    ) -> napi::Result<String> {
        let (call, req) = (
            Call::new(timeout, token)?,
            request::<CeeDraftGraphRequest>("ceeDraftGraph", &request_json)?,
        );
        json(&call.run(self.inner.cee_draft_graph(&req)).await?)
    }

    /// Any JSON `POST` route, with the same signing, retries and verification.
    #[napi(catch_unwind)]
    pub async fn post_json(
        &self,
        path: String,
        body_json: String,
        timeout: Option<f64>,
        token: Option<&CancelToken>,
    ) -> napi::Result<String> {
        let (call, body) = (
            Call::new(timeout, token)?,
            request::<Box<RawValue>>("postJson", &body_json)?,
        );
        let response: Box<RawValue> = call.run(self.inner.post_json(&path, &body)).await?;
        Ok(response.get().to_owned())
    }

    /// Any JSON `GET` route.
    #[napi(catch_unwind)]
    pub async fn get_json(
        &self,
        path: String,
        timeout: Option<f64>,
        token: Option<&CancelToken>,
    ) -> napi::Result<String> {
        let call = Call::new(timeout, token)?;
        let response: Box<RawValue> = call.run(self.inner.get_json(&path)).await?;
        Ok(response.get().to_owned())
    }

    /// `POST /assist/draft-graph/stream`: the resilient stream. The token cancels the opening
    /// request and, later, the stream itself.
    #[napi(catch_unwind)]
    pub async fn draft_graph_stream(
        &self,
        request_json: String,
        token: Option<&CancelToken>,
    ) -> napi::Result<EventStream> {
        let (call, req) = (
            Call::new(None, token)?,
            request::<DraftGraphInput>("streamDraftGraph", &request_json)?,
        );
        let stream = call.run(self.inner.draft_graph_stream(&req)).await?;
        Ok(EventStream::new(stream, call.token()))
    }

    /// `POST /assist/draft-graph/resume` from a token kept from an earlier stream.
    #[napi(catch_unwind)]
    pub async fn resume(
        &self,
        resume_token: String,
        live: Option<bool>,
        token: Option<&CancelToken>,
    ) -> napi::Result<EventStream> {
        let call = Call::new(None, token)?;
        let live = live.unwrap_or(SessionConfig::new().resume_live);
        let stream = call.run(self.inner.resume(&resume_token, live)).await?;
        Ok(EventStream::new(stream, call.token()))
    }
}
