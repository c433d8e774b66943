//! The sans-IO helpers: signing, nonces, response hashes, canonical JSON, the SSE decoder.

use std::time::{SystemTime, UNIX_EPOCH};

use napi::bindgen_prelude::{Either, Uint8ArraySlice};
use napi_derive::napi;
use olumi::sse::{OwnedSseItem, SseConfig};
use olumi::{Error, signing};
use serde::Serialize;

use crate::errors::{invalid_input, to_napi};
use crate::types::{body_hash_mode, json};

/// The bytes of a body given as text or bytes (a `Buffer` or any `Uint8Array`). (The `Either`
/// is spelt out in each signature so that the generated `native.d.ts` names its JS types.)
fn bytes<'a>(body: &'a Either<String, Uint8ArraySlice<'_>>) -> &'a [u8] {
    match body {
        Either::A(text) => text.as_bytes(),
        Either::B(bytes) => bytes,
    }
}

/// The three signature headers, named as they go on the wire.
#[napi(object)]
#[derive(Debug)]
pub struct SignatureHeaders {
    /// Lowercase hex HMAC-SHA256.
    #[napi(js_name = "X-Olumi-Signature")]
    pub signature: String,
    /// Unix milliseconds, decimal.
    #[napi(js_name = "X-Olumi-Timestamp")]
    pub timestamp: String,
    /// The nonce.
    #[napi(js_name = "X-Olumi-Nonce")]
    pub nonce: String,
}

/// Signs one request. `timestamp` defaults to now (ms), `nonce` to a fresh UUID v4, `bodyHash`
/// to `"unbound"`.
#[napi]
pub fn sign(
    method: String,
    path: String,
    body: Option<Either<String, Uint8ArraySlice<'_>>>,
    secret: Option<String>,
    timestamp: Option<i64>,
    nonce: Option<String>,
    body_hash: Option<String>,
) -> napi::Result<SignatureHeaders> {
    let mode = body_hash
        .as_deref()
        .map(body_hash_mode)
        .transpose()?
        .unwrap_or_default();
    let signer = signing::Signer::new(&secret.unwrap_or_default(), mode)
        .map_err(|e| to_napi(Error::from(e)))?;
    let timestamp = match timestamp {
        Some(ms) => u64::try_from(ms)
            .map_err(|_| invalid_input("timestamp", "expected Unix milliseconds"))?,
        None => unix_ms(),
    };
    let nonce = nonce.unwrap_or_else(signing::generate_nonce);
    let body = body.as_ref().map_or(&[][..], bytes);
    let headers = signer
        .sign(&method, &path, body, timestamp, &nonce)
        .map_err(|e| to_napi(Error::from(e)))?;
    Ok(SignatureHeaders {
        signature: headers.signature,
        timestamp: headers.timestamp,
        nonce: headers.nonce,
    })
}

#[allow(
    clippy::cast_possible_truncation,
    reason = "Unix milliseconds fit in u64 for 500 million years"
)]
fn unix_ms() -> u64 {
    // The signer takes the time as an argument; the binding's environment supplies the clock.
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// A fresh random UUID v4.
#[napi]
pub fn generate_nonce() -> String {
    signing::generate_nonce()
}

/// Whether `body` matches an `x-olumi-response-hash` value, in either form (12-hex canonical or
/// 64-hex raw).
#[napi]
pub fn verify_response_hash(
    body: Either<String, Uint8ArraySlice<'_>>,
    expected_hash: String,
) -> bool {
    olumi::response_hash::verify_response_hash(bytes(&body), &expected_hash).is_ok()
}

/// The `x-olumi-response-hash` value the service sends for `body` (12-hex canonical form).
#[napi]
pub fn response_hash(body: Either<String, Uint8ArraySlice<'_>>) -> napi::Result<String> {
    olumi::response_hash::response_hash(bytes(&body)).map_err(|e| to_napi(Error::from(e)))
}

/// The service's canonical JSON of `body` (sorted keys, JavaScript number and string forms).
#[napi]
pub fn canonical_json(body: Either<String, Uint8ArraySlice<'_>>) -> napi::Result<String> {
    olumi::canonical_json::canonical_json(bytes(&body)).map_err(|e| to_napi(Error::from(e)))
}

/// Limits of an [`SseDecoder`] (bytes; default 16 MiB each).
#[napi(object)]
#[derive(Debug, Default)]
pub struct SseDecoderOptions {
    /// Longest line.
    pub max_line_len: Option<u32>,
    /// Largest event data.
    pub max_event_size: Option<u32>,
}

/// The incremental WHATWG Server-Sent Events decoder.
#[napi]
#[derive(Debug)]
pub struct SseDecoder {
    inner: olumi::sse::SseDecoder,
}

/// One decoded item, as JS sees it.
#[derive(Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
enum JsItem<'a> {
    Event {
        event: &'a str,
        data: &'a str,
        id: Option<&'a str>,
    },
    Comment {
        text: &'a str,
    },
    Retry {
        ms: u64,
    },
    Error {
        message: String,
    },
}

impl<'a> From<&'a OwnedSseItem> for JsItem<'a> {
    fn from(item: &'a OwnedSseItem) -> Self {
        match item {
            OwnedSseItem::Event(e) => Self::Event {
                event: &e.event,
                data: &e.data,
                id: e.id.as_deref(),
            },
            OwnedSseItem::Comment(text) => Self::Comment { text },
            OwnedSseItem::Retry(ms) => Self::Retry { ms: *ms },
            OwnedSseItem::Error(e) => Self::Error {
                message: e.to_string(),
            },
        }
    }
}

/// What [`SseDecoder::finish`] found pending (and dropped).
#[napi(object)]
#[derive(Debug)]
pub struct SseFinish {
    /// A line without its terminator was pending.
    pub partial_line: bool,
    /// An event had data but no terminating blank line.
    pub pending_event: bool,
}

#[napi]
impl SseDecoder {
    /// A decoder with the given limits.
    #[napi(constructor)]
    pub fn new(options: Option<SseDecoderOptions>) -> Self {
        let options = options.unwrap_or_default();
        let mut config = SseConfig::new();
        if let Some(limit) = options.max_line_len {
            config = config.with_max_line_len(limit as usize);
        }
        if let Some(limit) = options.max_event_size {
            config = config.with_max_event_size(limit as usize);
        }
        Self {
            inner: olumi::sse::SseDecoder::with_config(config),
        }
    }

    /// Decodes a chunk; the items it completes as a JSON array.
    #[napi]
    pub fn feed(&mut self, chunk: Either<String, Uint8ArraySlice<'_>>) -> napi::Result<String> {
        let items = self.inner.feed(bytes(&chunk));
        json(&items.iter().map(JsItem::from).collect::<Vec<_>>())
    }

    /// Ends the stream: what was pending is dropped and reported; the decoder is ready for a
    /// new stream (the last event id is kept).
    #[napi]
    pub fn finish(&mut self) -> SseFinish {
        let finish = self.inner.finish();
        SseFinish {
            partial_line: finish.partial_line,
            pending_event: finish.pending_event,
        }
    }

    /// Back to a new decoder's state, last event id included.
    #[napi]
    pub fn reset(&mut self) {
        self.inner.reset();
    }

    /// The last event id accepted so far.
    #[napi(getter)]
    pub fn last_event_id(&self) -> Option<String> {
        self.inner.last_event_id().map(str::to_owned)
    }
}
