//! The sans-IO helpers: signing, nonces, response hashes, canonical JSON, the SSE decoder.

use napi::bindgen_prelude::{
    Either, FromNapiValue, TypeName, Uint8ArraySlice, ValidateNapiValue, ValueType,
};
use napi::sys;
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

/// A string argument read out of V8 with one N-API call into an inline buffer when it is short
/// (the common case: methods, paths, nonces, small bodies), instead of napi-rs's `String`
/// (two calls and a heap allocation); longer strings fall back to a `String`.
pub struct ShortStr<const N: usize = 128> {
    inline: [u8; N],
    len: usize,
    heap: Option<String>,
}

/// A small body read as a [`ShortStr`].
type ShortBody = ShortStr<256>;

impl<const N: usize> ShortStr<N> {
    fn as_str(&self) -> &str {
        match &self.heap {
            Some(text) => text,
            // Checked to be UTF-8 when read (V8 writes UTF-8; the check costs little).
            None => std::str::from_utf8(&self.inline[..self.len]).unwrap_or_default(),
        }
    }
}

impl<const N: usize> std::fmt::Debug for ShortStr<N> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Only the length: a `ShortStr` may hold `sign`'s secret.
        write!(f, "ShortStr({} bytes)", self.as_str().len())
    }
}

impl<const N: usize> TypeName for ShortStr<N> {
    fn type_name() -> &'static str {
        "String"
    }

    fn value_type() -> ValueType {
        ValueType::String
    }
}

impl<const N: usize> ValidateNapiValue for ShortStr<N> {}

impl<const N: usize> FromNapiValue for ShortStr<N> {
    unsafe fn from_napi_value(env: sys::napi_env, value: sys::napi_value) -> napi::Result<Self> {
        let mut text = Self {
            inline: [0; N],
            len: 0,
            heap: None,
        };
        let mut len = 0;
        // SAFETY: `env` and `value` come from napi-rs; the buffer is ours and its size is given.
        let status = unsafe {
            sys::napi_get_value_string_utf8(
                env,
                value,
                text.inline.as_mut_ptr().cast(),
                N,
                &raw mut len,
            )
        };
        if status != sys::Status::napi_ok {
            return Err(invalid_input("argument", "expected a string"));
        }
        // V8 writes whole characters only, so a string that may have been cut ends within a
        // character's length of the buffer's end; read those in full.
        if len + 4 < N && std::str::from_utf8(&text.inline[..len]).is_ok() {
            text.len = len;
        } else {
            // SAFETY: as above.
            text.heap = Some(unsafe { String::from_napi_value(env, value) }?);
        }
        Ok(text)
    }
}

/// The body argument of `sign`: absent, bytes, or a string that is read out of V8 only when
/// the signature covers the body (in the default unbound mode it does not, and reading an
/// 81-byte string costs about a tenth of a whole `sign`).
pub enum BodyArg<'a> {
    Absent,
    Text {
        env: sys::napi_env,
        value: sys::napi_value,
    },
    Bytes(Uint8ArraySlice<'a>),
}

impl BodyArg<'_> {
    fn with_bytes<T>(&self, read: bool, f: impl FnOnce(&[u8]) -> T) -> napi::Result<T> {
        match self {
            Self::Text { env, value } if read => {
                // SAFETY: `env` and `value` are this call's arguments, still alive.
                let text = unsafe { ShortBody::from_napi_value(*env, *value) }?;
                Ok(f(text.as_str().as_bytes()))
            }
            Self::Bytes(bytes) => Ok(f(bytes)),
            Self::Absent | Self::Text { .. } => Ok(f(&[])),
        }
    }
}

impl std::fmt::Debug for BodyArg<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Absent => "BodyArg::Absent",
            Self::Text { .. } => "BodyArg::Text",
            Self::Bytes(_) => "BodyArg::Bytes",
        })
    }
}

impl TypeName for BodyArg<'_> {
    fn type_name() -> &'static str {
        "string | Uint8Array"
    }

    fn value_type() -> ValueType {
        ValueType::Unknown
    }
}

impl ValidateNapiValue for BodyArg<'_> {}

impl FromNapiValue for BodyArg<'_> {
    unsafe fn from_napi_value(env: sys::napi_env, value: sys::napi_value) -> napi::Result<Self> {
        let mut kind = 0;
        // SAFETY: `env` and `value` come from napi-rs.
        let status = unsafe { sys::napi_typeof(env, value, &raw mut kind) };
        if status != sys::Status::napi_ok {
            return Err(invalid_input("body", "expected a string or a Uint8Array"));
        }
        match kind {
            sys::ValueType::napi_undefined | sys::ValueType::napi_null => Ok(Self::Absent),
            sys::ValueType::napi_string => Ok(Self::Text { env, value }),
            // SAFETY: as above; anything but a Uint8Array is refused there.
            _ => unsafe { Uint8ArraySlice::from_napi_value(env, value) }
                .map(Self::Bytes)
                .map_err(|_| invalid_input("body", "expected a string or a Uint8Array")),
        }
    }
}

/// Signs one request. `timestamp` defaults to now (ms), `nonce` to a fresh UUID v4, `bodyHash`
/// to `"unbound"`. Returns the signature, the timestamp and the nonce as one string, joined by
/// line feeds (the core rejects a nonce with a control character); `index.js` splits it.
#[napi]
#[allow(
    clippy::too_many_arguments,
    reason = "the JS helper's arguments, spread out"
)]
pub fn sign(
    #[napi(ts_arg_type = "string")] method: ShortStr,
    #[napi(ts_arg_type = "string")] path: ShortStr,
    #[napi(ts_arg_type = "string | Uint8Array | undefined | null")] body: BodyArg<'_>,
    #[napi(ts_arg_type = "string | undefined | null")] secret: Option<ShortStr>,
    timestamp: Option<i64>,
    #[napi(ts_arg_type = "string | undefined | null")] nonce: Option<ShortStr>,
    #[napi(ts_arg_type = "string | undefined | null")] body_hash: Option<ShortStr>,
) -> napi::Result<String> {
    let mode = body_hash
        .as_ref()
        .map(|mode| body_hash_mode(mode.as_str()))
        .transpose()?
        .unwrap_or_default();
    let secret = secret.as_ref().map_or("", |secret| secret.as_str());
    let timestamp = timestamp
        .map(|ms| {
            u64::try_from(ms).map_err(|_| invalid_input("timestamp", "expected Unix milliseconds"))
        })
        .transpose()?;
    let headers = body.with_bytes(mode.covers_body(), |body| {
        signing::sign_with_secret(
            secret,
            mode,
            method.as_str(),
            path.as_str(),
            body,
            timestamp,
            nonce.as_ref().map(|nonce| nonce.as_str()),
        )
    })?;
    let headers = headers.map_err(|e| to_napi(Error::from(e)))?;
    let mut packed = String::with_capacity(
        headers.signature.len() + headers.timestamp.len() + headers.nonce.len() + 2,
    );
    packed.push_str(&headers.signature);
    packed.push('\n');
    packed.push_str(&headers.timestamp);
    packed.push('\n');
    packed.push_str(&headers.nonce);
    Ok(packed)
}

/// A fresh random UUID v4.
#[napi(catch_unwind)]
pub fn generate_nonce() -> String {
    signing::generate_nonce()
}

/// Whether `body` matches an `x-olumi-response-hash` value, in either form (12-hex canonical or
/// 64-hex raw).
#[napi(catch_unwind)]
pub fn verify_response_hash(
    body: Either<String, Uint8ArraySlice<'_>>,
    expected_hash: String,
) -> bool {
    olumi::response_hash::verify_response_hash(bytes(&body), &expected_hash).is_ok()
}

/// The `x-olumi-response-hash` value the service sends for `body` (12-hex canonical form).
#[napi(catch_unwind)]
pub fn response_hash(body: Either<String, Uint8ArraySlice<'_>>) -> napi::Result<String> {
    olumi::response_hash::response_hash(bytes(&body)).map_err(|e| to_napi(Error::from(e)))
}

/// The service's canonical JSON of `body` (sorted keys, JavaScript number and string forms).
#[napi(catch_unwind)]
pub fn canonical_json(body: Either<String, Uint8ArraySlice<'_>>) -> napi::Result<String> {
    olumi::canonical_json::canonical_json(bytes(&body)).map_err(|e| to_napi(Error::from(e)))
}

/// Limits of an [`SseDecoder`] (bytes; default 16 MiB each).
#[napi(object)]
#[derive(Debug, Default)]
pub struct SseDecoderOptions {
    /// Longest line.
    pub max_line_len: Option<f64>,
    /// Largest event data.
    pub max_event_size: Option<f64>,
}

/// A byte limit given as a JS number: a positive whole number (N-API's own integer conversion
/// would wrap -1 to 4 GiB and cut 1.5 to 1 without a word).
fn byte_limit(option: &str, value: f64) -> napi::Result<usize> {
    if value.fract() == 0.0 && value >= 1.0 && value <= u32::MAX.into() {
        // Checked just above: a whole number within u32, so the cast is exact.
        Ok(value as usize)
    } else {
        Err(invalid_input(
            option,
            "expected a whole number of bytes, at least 1",
        ))
    }
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
    #[napi(constructor, catch_unwind)]
    pub fn new(options: Option<SseDecoderOptions>) -> napi::Result<Self> {
        let options = options.unwrap_or_default();
        let mut config = SseConfig::new();
        if let Some(limit) = options.max_line_len {
            config = config.with_max_line_len(byte_limit("maxLineLen", limit)?);
        }
        if let Some(limit) = options.max_event_size {
            config = config.with_max_event_size(byte_limit("maxEventSize", limit)?);
        }
        Ok(Self {
            inner: olumi::sse::SseDecoder::with_config(config),
        })
    }

    /// Decodes a chunk; the items it completes as a JSON array.
    #[napi(catch_unwind)]
    pub fn feed(&mut self, chunk: Either<String, Uint8ArraySlice<'_>>) -> napi::Result<String> {
        let items = self.inner.feed(bytes(&chunk));
        json(&items.iter().map(JsItem::from).collect::<Vec<_>>())
    }

    /// Ends the stream: what was pending is dropped and reported; the decoder is ready for a
    /// new stream (the last event id is kept).
    #[napi(catch_unwind)]
    pub fn finish(&mut self) -> SseFinish {
        let finish = self.inner.finish();
        SseFinish {
            partial_line: finish.partial_line,
            pending_event: finish.pending_event,
        }
    }

    /// Back to a new decoder's state, last event id included.
    #[napi(catch_unwind)]
    pub fn reset(&mut self) {
        self.inner.reset();
    }

    /// The last event id accepted so far.
    #[napi(getter, catch_unwind)]
    pub fn last_event_id(&self) -> Option<String> {
        self.inner.last_event_id().map(str::to_owned)
    }
}
