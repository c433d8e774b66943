//! `--proxy-to URL`: a request that no fixture matches is forwarded to a real service (or another
//! `olumi-mock`), re-signed with the upstream's credentials, and its answer passed back: JSON
//! after its response hash is checked again, event streams chunk by chunk as they arrive (so
//! their timing is kept). With `--record DIR` each exchange is also written as a fixture
//! (`record.rs`).
//!
//! The client signed its request for the mock, so its signature, timestamp, nonce and keys are
//! not forwarded: the request is signed again, by the core's signing functions, over the exact
//! same target (path and query) with a fresh timestamp and nonce.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::header::{
    ACCEPT_ENCODING, AUTHORIZATION, CONNECTION, CONTENT_LENGTH, CONTENT_TYPE, HOST,
    PROXY_AUTHORIZATION, TE, TRAILER, TRANSFER_ENCODING, UPGRADE,
};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use bytes::Bytes;
use futures_util::StreamExt;
use olumi::signing::{BodyHashMode, sign_with_secret};

use crate::body::{self, Shutdown};
use crate::headers;
use crate::record::{RecordedRequest, Recorder, StreamRecording};

/// How long connecting to the upstream may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long the upstream may take to send a whole JSON answer (streams have no limit).
const JSON_TIMEOUT: Duration = Duration::from_secs(120);

/// What a recorded fixture matches on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RecordMatch {
    /// Method, path and query (the default).
    #[default]
    Path,
    /// Method, path, query and the JSON body (`match.body`).
    Body,
}

/// A `--record-match` value that is not `path` or `body`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown record match {0:?}: expected path or body")]
pub struct ParseRecordMatchError(String);

impl FromStr for RecordMatch {
    type Err = ParseRecordMatchError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "path" => Ok(Self::Path),
            "body" => Ok(Self::Body),
            other => Err(ParseRecordMatchError(other.chars().take(40).collect())),
        }
    }
}

/// The proxy settings, as the builder fills them in. Secrets are redacted from `Debug`.
#[derive(Clone, Default)]
pub(crate) struct ProxyConfig {
    pub(crate) upstream: String,
    pub(crate) hmac_secret: Option<String>,
    pub(crate) api_key: Option<String>,
    pub(crate) record_dir: Option<PathBuf>,
    pub(crate) record_match: RecordMatch,
}

impl fmt::Debug for ProxyConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProxyConfig")
            .field("upstream", &self.upstream)
            .field(
                "hmac_secret",
                &self.hmac_secret.as_ref().map(|_| "<redacted>"),
            )
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("record_dir", &self.record_dir)
            .field("record_match", &self.record_match)
            .finish()
    }
}

/// How forwarded requests are authenticated at the upstream.
#[derive(Clone)]
enum Credentials {
    None,
    HmacSecret(String),
    ApiKey(String),
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::None => "None",
            Self::HmacSecret(_) => "HmacSecret(<redacted>)",
            Self::ApiKey(_) => "ApiKey(<redacted>)",
        })
    }
}

/// The running proxy: the upstream client and, with `--record`, the recorder.
#[derive(Debug)]
pub(crate) struct Proxy {
    client: reqwest::Client,
    /// The upstream URL without a trailing `/`; the request-target is appended as is.
    base: String,
    credentials: Credentials,
    recorder: Option<Arc<Recorder>>,
}

/// A request to forward.
#[derive(Debug)]
pub(crate) struct Outgoing<'a> {
    pub(crate) method: &'a Method,
    /// The raw request-target (path and query), forwarded and signed byte for byte.
    pub(crate) target: &'a str,
    pub(crate) headers: &'a HeaderMap,
    pub(crate) body: Bytes,
    /// The `X-Request-Id` the mock answers with; the upstream gets the same one.
    pub(crate) request_id: &'a HeaderValue,
}

/// The upstream's answer.
#[derive(Debug)]
pub(crate) struct Forwarded {
    pub(crate) status: StatusCode,
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    pub(crate) body: ForwardedBody,
}

/// A whole body (JSON and everything else), or an event stream passed through as it arrives.
#[derive(Debug)]
pub(crate) enum ForwardedBody {
    Full(Bytes),
    Stream(Body),
}

/// Why the upstream gave no usable answer (the client gets 502).
#[derive(Debug, thiserror::Error)]
pub(crate) enum ProxyError {
    #[error("the upstream {upstream} cannot be reached: {reason}")]
    Unreachable { upstream: String, reason: String },
    #[error("the upstream's answer failed its response hash check: {0}")]
    Integrity(String),
    #[error("the request cannot be signed for the upstream: {0}")]
    Sign(String),
}

impl Proxy {
    /// Checks the settings and builds the client (and the recorder, creating its directory).
    pub(crate) fn new(config: &ProxyConfig) -> Result<Self, String> {
        if config.upstream.is_empty() {
            return Err(
                "--upstream-hmac-secret, --upstream-api-key and --record need --proxy-to URL"
                    .into(),
            );
        }
        let url = reqwest::Url::parse(&config.upstream)
            .map_err(|e| format!("--proxy-to {:?} is not a URL: {e}", config.upstream))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(format!(
                "--proxy-to {:?}: the scheme must be http or https",
                config.upstream
            ));
        }
        if !url.username().is_empty() || url.password().is_some() {
            // They would be logged and shown in error bodies.
            return Err(
                "--proxy-to: credentials in the URL are not accepted; use --upstream-hmac-secret \
                 or --upstream-api-key"
                    .into(),
            );
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(format!(
                "--proxy-to {:?}: the URL must have no query or fragment (the request's own \
                 path and query are appended)",
                config.upstream
            ));
        }
        let credentials = match (&config.hmac_secret, &config.api_key) {
            (Some(_), Some(_)) => {
                return Err("give --upstream-hmac-secret or --upstream-api-key, not both".into());
            }
            (Some(s), None) if s.is_empty() => {
                return Err("the upstream HMAC secret is empty".into());
            }
            (None, Some(k)) if k.is_empty() => return Err("the upstream API key is empty".into()),
            (Some(s), None) => Credentials::HmacSecret(s.clone()),
            (None, Some(k)) => Credentials::ApiKey(k.clone()),
            (None, None) => Credentials::None,
        };
        let host = url.host_str().unwrap_or_default();
        let loopback = host == "localhost"
            || host
                .trim_matches(['[', ']'])
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback());
        let mut client = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            // Redirects go back to the client, as the upstream sent them.
            .redirect(reqwest::redirect::Policy::none());
        if loopback {
            // An HTTP(S)_PROXY variable meant for the outside world must not catch a local upstream.
            client = client.no_proxy();
        }
        let client = client
            .build()
            .map_err(|e| format!("cannot build the upstream client: {e}"))?;
        let recorder = match &config.record_dir {
            Some(dir) => Some(Arc::new(Recorder::new(
                dir.clone(),
                config.record_match,
                url.origin().ascii_serialization(),
            )?)),
            None => None,
        };
        Ok(Self {
            client,
            base: config.upstream.trim_end_matches('/').to_owned(),
            credentials,
            recorder,
        })
    }

    /// The upstream as shown in messages: scheme, host and port.
    fn shown(&self) -> String {
        reqwest::Url::parse(&self.base)
            .map(|u| u.origin().ascii_serialization())
            .unwrap_or_else(|_| self.base.clone())
    }

    /// Forwards one request. A stream's body is pumped by a task that ends with the upstream's
    /// stream (or the server's shutdown), recording it when asked, even if the client left.
    pub(crate) async fn forward(
        &self,
        out: Outgoing<'_>,
        shutdown: Shutdown,
    ) -> Result<Forwarded, ProxyError> {
        let url = reqwest::Url::parse(&format!("{}{}", self.base, out.target))
            .map_err(|e| ProxyError::Sign(format!("the target cannot be forwarded: {e}")))?;
        // What the upstream will see as its request-target (the upstream URL's own path, if
        // any, in front), so that is what is signed.
        let sent_target = match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_owned(),
        };
        let mut headers = HeaderMap::with_capacity(out.headers.len() + 4);
        for (name, value) in out.headers {
            if forwarded_request_header(name) {
                headers.append(name.clone(), value.clone());
            }
        }
        headers.insert(headers::REQUEST_ID, out.request_id.clone());
        match &self.credentials {
            Credentials::None => {}
            Credentials::ApiKey(key) => {
                let value = HeaderValue::from_str(key).map_err(|_| {
                    ProxyError::Sign("the upstream API key is not a valid header value".into())
                })?;
                headers.insert(headers::ASSIST_KEY, value);
            }
            Credentials::HmacSecret(secret) => {
                // The deployed service checks the unbound form (an empty body-hash slot).
                let signed = sign_with_secret(
                    secret,
                    BodyHashMode::Unbound,
                    out.method.as_str(),
                    &sent_target,
                    &out.body,
                    None,
                    None,
                )
                .map_err(|e| ProxyError::Sign(e.to_string()))?;
                for (name, value) in signed.pairs() {
                    if let (Ok(name), Ok(value)) = (
                        HeaderName::from_bytes(name.as_bytes()),
                        HeaderValue::from_str(value),
                    ) {
                        headers.insert(name, value);
                    }
                }
            }
        }
        let recorded = self.recorder.as_ref().and_then(|recorder| {
            // A resume carries a bearer token and answers from the stream's state: on replay the
            // mock's own resume route answers it, so it is not recorded.
            (!out.headers.contains_key(headers::RESUME_TOKEN)).then(|| {
                (
                    Arc::clone(recorder),
                    RecordedRequest::new(out.method, out.target, &out.body, out.request_id),
                )
            })
        });
        let unreachable = |e: reqwest::Error| ProxyError::Unreachable {
            upstream: self.shown(),
            reason: error_chain(&e),
        };
        let response = self
            .client
            .request(out.method.clone(), url)
            .headers(headers)
            .body(out.body)
            .send()
            .await
            .map_err(unreachable)?;
        let status = response.status();
        let answer_headers: Vec<(HeaderName, HeaderValue)> = response
            .headers()
            .iter()
            .filter(|(name, _)| !hop_by_hop(name))
            .map(|(n, v)| (n.clone(), v.clone()))
            .collect();
        let is_stream = response
            .headers()
            .get(CONTENT_TYPE)
            .is_some_and(|v| v.as_bytes().starts_with(b"text/event-stream"));
        if is_stream {
            let recording = recorded.map(|(recorder, request)| {
                (
                    recorder,
                    StreamRecording::new(request, status, &answer_headers, Instant::now()),
                )
            });
            let body = pump(response, recording, shutdown);
            return Ok(Forwarded {
                status,
                headers: answer_headers,
                body: ForwardedBody::Stream(body),
            });
        }
        let body = tokio::time::timeout(JSON_TIMEOUT, response.bytes())
            .await
            .map_err(|_| ProxyError::Unreachable {
                upstream: self.shown(),
                reason: format!("no whole answer within {} s", JSON_TIMEOUT.as_secs()),
            })?
            .map_err(unreachable)?;
        if let Some((_, hash)) = answer_headers
            .iter()
            .find(|(n, _)| *n == headers::RESPONSE_HASH)
        {
            let hash = String::from_utf8_lossy(hash.as_bytes());
            olumi::response_hash::verify_response_hash(&body, &hash)
                .map_err(|e| ProxyError::Integrity(e.to_string()))?;
        }
        if let Some((recorder, request)) = recorded {
            recorder.record_answer(&request, status, &answer_headers, &body);
        }
        Ok(Forwarded {
            status,
            headers: answer_headers,
            body: ForwardedBody::Full(body),
        })
    }
}

/// The upstream's event stream as a body: each chunk is passed on as it arrives; a broken
/// upstream stream breaks the client's connection the same way.
fn pump(
    response: reqwest::Response,
    mut recording: Option<(Arc<Recorder>, StreamRecording)>,
    shutdown: Shutdown,
) -> Body {
    let (tx, body) = body::channel(16);
    tokio::spawn(async move {
        let mut upstream = response.bytes_stream();
        let mut client_gone = false;
        let mut complete = true;
        loop {
            let next = tokio::select! {
                next = upstream.next() => next,
                () = shutdown.wait() => {
                    complete = false;
                    break;
                }
            };
            match next {
                Some(Ok(chunk)) => {
                    if let Some((_, rec)) = &mut recording {
                        rec.feed(&chunk, Instant::now());
                    }
                    if !client_gone && tx.send(Ok(chunk)).await.is_err() {
                        client_gone = true;
                        if recording.is_none() {
                            break;
                        }
                    }
                }
                Some(Err(_)) => {
                    if let Some((_, rec)) = &mut recording {
                        rec.dropped();
                    }
                    let _ = tx.send(body::abort_chunk()).await;
                    break;
                }
                None => break,
            }
        }
        // A stream cut short by the server's own shutdown is not what the upstream sent.
        if complete && let Some((recorder, rec)) = recording {
            recorder.record_stream(rec);
        }
    });
    body
}

/// Whether a request header goes to the upstream: not the client's credentials for the mock
/// (the request is signed again), not hop-by-hop headers, not the mock's own controls.
fn forwarded_request_header(name: &HeaderName) -> bool {
    !(hop_by_hop(name)
        || *name == HOST
        || *name == AUTHORIZATION
        || *name == PROXY_AUTHORIZATION
        || *name == ACCEPT_ENCODING
        || *name == headers::ASSIST_KEY
        || *name == headers::API_KEY
        || *name == headers::SIGNATURE
        || *name == headers::TIMESTAMP
        || *name == headers::NONCE
        || *name == headers::REQUEST_ID
        || *name == headers::MOCK_FAULT)
}

/// Headers about one connection, not the message.
fn hop_by_hop(name: &HeaderName) -> bool {
    *name == CONNECTION
        || *name == CONTENT_LENGTH
        || *name == TRANSFER_ENCODING
        || *name == TE
        || *name == TRAILER
        || *name == UPGRADE
        || name.as_str() == "keep-alive"
        || name.as_str() == "proxy-connection"
}

/// An error and its causes, joined (reqwest's top-level message alone says little).
fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        let more = cause.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(upstream: &str) -> ProxyConfig {
        ProxyConfig {
            upstream: upstream.into(),
            ..ProxyConfig::default()
        }
    }

    #[test]
    fn settings_are_checked() {
        assert!(Proxy::new(&config("http://127.0.0.1:9")).is_ok());
        let no_url = ProxyConfig {
            hmac_secret: Some("s".into()),
            ..ProxyConfig::default()
        };
        assert!(Proxy::new(&no_url).unwrap_err().contains("--proxy-to"));
        assert!(
            Proxy::new(&config("ftp://x"))
                .unwrap_err()
                .contains("scheme")
        );
        assert!(
            Proxy::new(&config("not a url"))
                .unwrap_err()
                .contains("not a URL")
        );
        let err = Proxy::new(&config("http://user:hunter2@127.0.0.1:9")).unwrap_err();
        assert!(!err.contains("hunter2"), "{err}");
        assert!(
            Proxy::new(&config("http://x/?a=1"))
                .unwrap_err()
                .contains("query")
        );
        let both = ProxyConfig {
            hmac_secret: Some("s".into()),
            api_key: Some("k".into()),
            ..config("http://x")
        };
        assert!(Proxy::new(&both).unwrap_err().contains("not both"));
    }

    #[test]
    fn secrets_stay_out_of_debug() {
        let c = ProxyConfig {
            hmac_secret: Some("sekrit-hmac".into()),
            api_key: Some("sekrit-key".into()),
            ..config("http://x")
        };
        let text = format!("{c:?}");
        assert!(!text.contains("sekrit"), "{text}");
        let p = Proxy::new(&ProxyConfig { api_key: None, ..c }).unwrap();
        let text = format!("{p:?}");
        assert!(!text.contains("sekrit"), "{text}");
    }

    #[test]
    fn client_credentials_are_not_forwarded() {
        for name in [
            "x-olumi-signature",
            "x-olumi-timestamp",
            "x-olumi-nonce",
            "x-olumi-assist-key",
            "authorization",
            "x-api-key",
            "host",
            "content-length",
            "x-mock-fault",
        ] {
            assert!(
                !forwarded_request_header(&HeaderName::from_static(name)),
                "{name}"
            );
        }
        for name in [
            "content-type",
            "accept",
            "x-resume-token",
            "x-resume-mode",
            "x-cee-x",
        ] {
            assert!(
                forwarded_request_header(&HeaderName::from_static(name)),
                "{name}"
            );
        }
    }
}
