//! Share links (`POST /assist/share`, `GET` and `DELETE /assist/share/{token}`) and the
//! service's diagnostics (`GET /diagnostics`).
//!
//! A share is a redacted copy of a graph (and brief) behind a signed token. The service answers
//! 404 `NOT_FOUND` on all three routes unless sharing is enabled; reading an expired, revoked
//! or forged token answers **410** `NOT_FOUND`, revoking one answers 404.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{Graph, js_number, unknown};

/// Request body of `POST /assist/share`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreateShareRequest {
    /// The graph to share (redacted by the service before it is stored).
    pub graph: Graph,
    /// The brief (redacted too).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brief: Option<String>,
    /// How long the link lives, 1..168 hours (service default 24).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "js_number::opt"
    )]
    pub ttl_hours: Option<f64>,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

with_extra!(CreateShareRequest);

impl CreateShareRequest {
    /// A request to share `graph` for the service's default time.
    pub fn new(graph: Graph) -> Self {
        Self {
            graph,
            brief: None,
            ttl_hours: None,
            extra: Map::new(),
        }
    }
}

/// Response of `POST /assist/share` (HTTP 201).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreateShareResponse {
    /// `"share.v1"`.
    pub schema: String,
    /// The share's id (not the token).
    pub share_id: String,
    /// The public link: `<base>/assist/share/<token>`.
    pub url: String,
    /// When the link expires (ISO 8601).
    pub expires_at: String,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

impl CreateShareResponse {
    /// The token: the last path segment of `url`, which [`get_share`](crate::Client::get_share)
    /// and [`revoke_share`](crate::Client::revoke_share) take.
    ///
    /// ```
    /// # let body = serde_json::json!({"schema":"share.v1","share_id":"s","url":"https://x.example/assist/share/abc.def","expires_at":"2026-01-01T00:00:00.000Z"});
    /// let share: olumi::models::CreateShareResponse = serde_json::from_value(body).unwrap();
    /// assert_eq!(share.token(), Some("abc.def"));
    /// ```
    pub fn token(&self) -> Option<&str> {
        let path = self.url.split(['?', '#']).next().unwrap_or_default();
        let (_, token) = path.rsplit_once("/assist/share/")?;
        (!token.is_empty() && !token.contains('/')).then_some(token)
    }
}

/// Response of `GET /assist/share/{token}`: the shared, redacted content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SharedContent {
    /// `"share-content.v1"`.
    pub schema: String,
    /// The share's id.
    pub share_id: String,
    /// The redacted graph.
    pub graph: Graph,
    /// The redacted brief, when one was shared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brief: Option<String>,
    /// When the share was created (ISO 8601).
    pub created_at: String,
    /// When it expires (ISO 8601).
    pub expires_at: String,
    /// How many times it was read before this read.
    pub access_count: u64,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Response of `DELETE /assist/share/{token}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RevokeShareResponse {
    /// `"share-revoke.v1"`.
    pub schema: String,
    /// The share's id.
    pub share_id: String,
    /// Always `true`.
    pub revoked: bool,
    /// Fields this SDK does not model.
    #[serde(flatten, deserialize_with = "unknown::record")]
    pub extra: Map<String, Value>,
}

/// Response of `GET /diagnostics` (served only when the service enables it, to allow-listed
/// keys). The service publishes no schema for it, so the body is kept whole, as JSON.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ServiceDiagnostics {
    /// The whole body.
    #[serde(flatten)]
    pub body: Map<String, Value>,
}
