//! Error bodies in the service's shapes, keys in the service's order.

use bytes::Bytes;
use serde_json::Value;

/// A JSON string literal.
pub(crate) fn quote(s: &str) -> String {
    Value::String(s.to_owned()).to_string()
}

/// `{"schema":"error.v1","code":C,"message":M[,"details":D]}`; `details` is JSON text.
pub(crate) fn error_v1(code: &str, message: &str, details: Option<&str>) -> Bytes {
    let mut out = format!(
        r#"{{"schema":"error.v1","code":{},"message":{}"#,
        quote(code),
        quote(message)
    );
    if let Some(details) = details {
        out.push_str(r#","details":"#);
        out.push_str(details);
    }
    out.push('}');
    Bytes::from(out)
}

/// The `error.v1` body of a 429: `RATE_LIMITED` with `details.retry_after_seconds`.
pub(crate) fn rate_limited(retry_after_seconds: u64) -> Bytes {
    error_v1(
        "RATE_LIMITED",
        "Rate limit exceeded.",
        Some(&format!(
            r#"{{"retry_after_seconds":{retry_after_seconds}}}"#
        )),
    )
}

/// `cee.error.v1` as the CEE routes send it.
pub(crate) fn cee_error_v1(
    code: &str,
    message: &str,
    retryable: bool,
    request_id: &str,
    details: Option<&str>,
) -> Bytes {
    let rid = quote(request_id);
    let mut out = format!(
        r#"{{"schema":"cee.error.v1","code":{},"message":{},"retryable":{retryable},"source":"cee","request_id":{rid},"trace":{{"request_id":{rid},"correlation_id":{rid}}}"#,
        quote(code),
        quote(message),
    );
    if let Some(details) = details {
        out.push_str(r#","details":"#);
        out.push_str(details);
    }
    out.push('}');
    Bytes::from(out)
}

/// The `error.v1` code the service uses for a status.
pub(crate) fn code_for_status(status: u16) -> &'static str {
    match status {
        400 | 413 => "BAD_INPUT",
        401 | 403 => "FORBIDDEN",
        404 => "NOT_FOUND",
        429 => "RATE_LIMITED",
        _ => "INTERNAL",
    }
}

/// Adds `"name":value` (value is JSON text) at the end of a JSON object's text; other JSON is
/// returned unchanged.
pub(crate) fn append_field(object: &[u8], name: &str, value: &str) -> Bytes {
    let trimmed = object.trim_ascii_end();
    if !(trimmed.starts_with(b"{") && trimmed.ends_with(b"}")) {
        return Bytes::copy_from_slice(object);
    }
    let inner = &trimmed[..trimmed.len() - 1];
    let empty = inner[1..].trim_ascii().is_empty();
    let mut out = Vec::with_capacity(object.len() + name.len() + value.len() + 8);
    out.extend_from_slice(inner);
    if !empty {
        out.push(b',');
    }
    out.extend_from_slice(quote(name).as_bytes());
    out.push(b':');
    out.extend_from_slice(value.as_bytes());
    out.push(b'}');
    Bytes::from(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        assert_eq!(
            &error_v1("FORBIDDEN", "Invalid API key.", None)[..],
            br#"{"schema":"error.v1","code":"FORBIDDEN","message":"Invalid API key."}"#
        );
        assert_eq!(
            &error_v1("RATE_LIMITED", "Rate limit exceeded.", Some(r#"{"retry_after_seconds":30}"#))[..],
            br#"{"schema":"error.v1","code":"RATE_LIMITED","message":"Rate limit exceeded.","details":{"retry_after_seconds":30}}"#
        );
    }

    #[test]
    fn append() {
        assert_eq!(&append_field(b"{}", "d", "1")[..], br#"{"d":1}"#);
        assert_eq!(
            &append_field(br#"{"a":2}"#, "d", "1")[..],
            br#"{"a":2,"d":1}"#
        );
        assert_eq!(&append_field(b"[1]", "d", "1")[..], b"[1]");
    }
}
