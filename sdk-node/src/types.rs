//! Conversions between JS values and the core's types.

use std::collections::HashMap;
use std::fmt;
use std::time::Duration;

use napi_derive::napi;
use olumi::routes::Method;
use olumi::signing::BodyHashMode;
use olumi::stream_session::{LegFailure, StreamSummary};
use olumi::{ClientBuilder, Error, StreamEvent};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};

use crate::errors::{invalid_input, to_napi};
use olumi::SetIfSome;

/// The old TypeScript SDK's default service address, kept so that `new OlumiClient({ apiKey })`
/// works as it did.
const DEFAULT_BASE_URL: &str = "https://olumi-assistants-service.onrender.com";

/// `new OlumiClient(options)`: every duration in milliseconds, as in the old SDK.
#[napi(object)]
#[derive(Default)]
pub struct ClientOptions {
    /// Service address (default: the old SDK's default).
    pub base_url: Option<String>,
    /// API key, sent in `X-Olumi-Assist-Key`.
    pub api_key: Option<String>,
    /// API key sent as `Authorization: Bearer`.
    pub bearer_token: Option<String>,
    /// HMAC secret: every request is signed (one authentication method only).
    pub hmac_secret: Option<String>,
    /// `"unbound"` (default, what the service verifies) or `"sha256"`.
    pub body_hash: Option<String>,
    /// Timeout of one request/response exchange, ms (core default 60 000).
    pub timeout: Option<f64>,
    /// Connect timeout, ms (core default 5 000).
    pub connect_timeout: Option<f64>,
    /// How long a stream may stay silent, heartbeats included, ms (core default 30 000).
    pub stream_idle_timeout: Option<f64>,
    /// A deadline across all attempts of one call, ms (default none).
    pub total_timeout: Option<f64>,
    /// Retries after the first attempt (core default 2; 0 disables).
    pub max_retries: Option<u32>,
    /// Check `x-olumi-response-hash` on JSON responses (default true).
    pub verify_response_hash: Option<bool>,
    /// Resume dropped streams in live mode (default true) or replay mode.
    pub resume_live: Option<bool>,
    /// Extra headers sent on every request.
    pub headers: Option<HashMap<String, String>>,
    /// The `User-Agent` header.
    pub user_agent: Option<String>,
}

impl fmt::Debug for ClientOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientOptions")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl TryFrom<ClientOptions> for ClientBuilder {
    type Error = napi::Error;

    fn try_from(o: ClientOptions) -> napi::Result<Self> {
        // Checked even without a secret: a misspelt mode is a mistake either way.
        let mode = o
            .body_hash
            .as_deref()
            .map(body_hash_mode)
            .transpose()?
            .unwrap_or_default();
        let duration = |option, ms: Option<f64>| ms.map(|ms| millis(option, ms)).transpose();
        let b = olumi::Client::builder(o.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL))
            .set_if_some(o.api_key, Self::api_key)
            .set_if_some(o.bearer_token, Self::bearer_token)
            .set_if_some(o.hmac_secret, |b, secret| b.hmac_secret(secret, mode))
            .set_if_some(duration("timeout", o.timeout)?, Self::request_timeout)
            .set_if_some(
                duration("connectTimeout", o.connect_timeout)?,
                Self::connect_timeout,
            )
            .set_if_some(
                duration("streamIdleTimeout", o.stream_idle_timeout)?,
                Self::stream_idle_timeout,
            )
            .set_if_some(duration("totalTimeout", o.total_timeout)?, |b, deadline| {
                b.total_deadline(Some(deadline))
            })
            .set_if_some(o.max_retries, Self::max_retries)
            .set_if_some(o.verify_response_hash, Self::verify_response_hash)
            .set_if_some(o.resume_live, Self::resume_live)
            .set_if_some(o.user_agent, Self::user_agent);
        Ok(o.headers
            .unwrap_or_default()
            .into_iter()
            .fold(b, |b, (name, value)| b.header(name, value)))
    }
}

/// `"unbound"` or `"sha256"`.
pub(crate) fn body_hash_mode(name: &str) -> napi::Result<BodyHashMode> {
    name.parse().map_err(|e| to_napi(Error::from(e)))
}

/// A duration given in milliseconds.
pub(crate) fn millis(option: &str, ms: f64) -> napi::Result<Duration> {
    Duration::try_from_secs_f64(ms / 1000.0).map_err(|_| {
        invalid_input(
            option,
            "expected a finite, non-negative number of milliseconds",
        )
    })
}

/// An HTTP method argument (`"GET"`, `"delete"`, ...; any case); another name is `ERR_CONFIG`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct HttpMethod(pub(crate) Method);

impl<'de> Deserialize<'de> for HttpMethod {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        name.parse().map(Self).map_err(serde::de::Error::custom)
    }
}

/// A request given as JSON text, into the core's typed request: a wrong shape is `ERR_CONFIG`.
pub(crate) fn request<T: DeserializeOwned>(what: &str, json: &str) -> napi::Result<T> {
    serde_json::from_str(json).map_err(|e| invalid_input(what, e))
}

/// A core result as JSON text for `JSON.parse`.
pub(crate) fn json<T: Serialize + ?Sized>(value: &T) -> napi::Result<String> {
    serde_json::to_string(value)
        .map_err(|e| to_napi(Error::config(format!("cannot serialise the result: {e}"))))
}

/// One stream event as JS sees it: `{ type: 'stage' | 'resume' | 'heartbeat' | 'other' | 'complete', ... }`.
#[derive(Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub(crate) enum JsEvent<'a, T> {
    Stage {
        stage: &'a str,
        /// The payload's JSON text as the service sent it (see `stream.rs`).
        payload: Option<&'a serde_json::value::RawValue>,
    },
    Resume {
        token: &'a str,
    },
    Heartbeat,
    Other {
        event: &'a str,
        data: &'a str,
    },
    Complete {
        result: &'a T,
        via: &'static str,
        summary: Summary,
    },
}

impl<'a, T> From<&'a StreamEvent<T>> for JsEvent<'a, T> {
    fn from(event: &'a StreamEvent<T>) -> Self {
        match event {
            StreamEvent::Stage(event) => Self::Stage {
                stage: event.stage.as_str(),
                payload: event.raw_payload(),
            },
            StreamEvent::ResumeToken(token) => Self::Resume { token },
            StreamEvent::Heartbeat => Self::Heartbeat,
            StreamEvent::Other { event, data } => Self::Other { event, data },
            StreamEvent::Complete(done) => Self::Complete {
                result: &done.output,
                via: done.via.as_str(),
                summary: Summary::from(&done.summary),
            },
        }
    }
}

/// How a stream went: the core's [`StreamSummary`].
#[napi(object)]
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    /// Events delivered, heartbeats excluded, the final one included.
    pub events: f64,
    /// Heartbeats delivered.
    pub heartbeats: f64,
    /// Replayed events skipped after a resume.
    pub skipped: f64,
    /// Resume requests made.
    pub resumes: u32,
    /// Whether the fallback request was made.
    pub fallback: bool,
    /// The failure that started recovery.
    pub first_failure: Option<Failure>,
    /// The failure of the resume after it, if any.
    pub resume_failure: Option<Failure>,
}

/// A streaming request that failed (`leg` is `"stream"` or `"resume"`).
#[napi(object)]
#[derive(Debug, Serialize)]
pub struct Failure {
    /// Which request failed.
    pub leg: String,
    /// Why.
    pub reason: String,
}

impl From<&LegFailure> for Failure {
    fn from(f: &LegFailure) -> Self {
        Self {
            leg: f.leg.to_string(),
            reason: f.cause.to_string(),
        }
    }
}

impl From<&StreamSummary> for Summary {
    #[allow(
        clippy::cast_precision_loss,
        reason = "event counts stay far below 2^53"
    )]
    fn from(s: &StreamSummary) -> Self {
        Self {
            events: s.events as f64,
            heartbeats: s.heartbeats as f64,
            skipped: s.skipped as f64,
            resumes: s.resumes,
            fallback: s.fallback,
            first_failure: s.first_failure.as_ref().map(Failure::from),
            resume_failure: s.resume_failure.as_ref().map(Failure::from),
        }
    }
}
