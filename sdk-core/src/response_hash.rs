//! The `x-olumi-response-hash` header: computing it and checking a response against it.
//!
//! The deployed service sends the first 12 lowercase hex characters of SHA-256 over the body's
//! [canonical JSON](crate::canonical_json), so the header survives re-serialisation but a
//! 12-character prefix is a corruption check, not a signature. The documented (older) form is
//! the full 64-character SHA-256 of the raw body bytes. A verifier tells them apart by length.
//! Under gzip both are over the decompressed body: pass the bytes after decoding.

use std::fmt;

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::canonical_json::{JsonError, canonical_json_into};
use crate::hex;

/// The response header carrying the hash.
pub const HEADER_RESPONSE_HASH: &str = "x-olumi-response-hash";

/// Hex characters in the canonical (deployed) form.
const CANONICAL_LEN: usize = 12;
/// Hex characters in the raw-body (documented) form.
const RAW_LEN: usize = 64;

/// Which of the two header forms a hash is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HashForm {
    /// 12 hex characters: SHA-256 prefix of the body's canonical JSON (what the service sends).
    Canonical12,
    /// 64 hex characters: SHA-256 of the raw body bytes (the documented form).
    RawSha256,
}

impl fmt::Display for HashForm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Canonical12 => "canonical JSON SHA-256 prefix",
            Self::RawSha256 => "raw body SHA-256",
        })
    }
}

/// Why a response failed its integrity check.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IntegrityError {
    /// The header is neither 12 nor 64 lowercase hex characters.
    #[error("malformed {HEADER_RESPONSE_HASH} header {header:?} ({len} bytes): {reason}")]
    MalformedHeader {
        /// The header as received, cut to a length safe to echo.
        header: String,
        /// The header's full length in bytes.
        len: usize,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The body does not hash to the header: it was altered in transit (or mis-decoded).
    #[error("response hash mismatch ({form}): header says {expected}, body hashes to {computed}")]
    Mismatch {
        /// The form the header is in.
        form: HashForm,
        /// The header's value.
        expected: String,
        /// The hash of the body received, in the same form.
        computed: String,
    },
    /// A canonical-form header came with a body that is not JSON, so it has no canonical hash.
    #[error("response body is not JSON, so its canonical hash cannot be computed: {0}")]
    InvalidJson(#[from] JsonError),
}

/// The `x-olumi-response-hash` value the service would send for `body`.
///
/// # Errors
///
/// [`JsonError`] when `body` is not JSON (the service sends no header then).
pub fn response_hash(body: &[u8]) -> Result<String, JsonError> {
    let mut canonical = Vec::with_capacity(body.len());
    canonical_json_into(body, &mut canonical)?;
    let digest = Sha256::digest(&canonical);
    Ok(hex::encode(&digest[..CANONICAL_LEN / 2]))
}

/// The full 64-character lowercase hex SHA-256 of the raw body bytes (the documented form).
pub fn raw_body_hash(body: &[u8]) -> String {
    hex::encode(&Sha256::digest(body))
}

/// Checks `body` against an `x-olumi-response-hash` header value, in whichever form it is.
///
/// The header must be exactly 12 or 64 lowercase hex characters; nothing is trimmed. The
/// comparison is constant time.
///
/// # Errors
///
/// [`IntegrityError::MalformedHeader`] for any other header, [`IntegrityError::InvalidJson`]
/// for a 12-character header with a body that is not JSON, [`IntegrityError::Mismatch`] when
/// the body does not match.
pub fn verify_response_hash(body: &[u8], header: &str) -> Result<HashForm, IntegrityError> {
    let form = match header.len() {
        CANONICAL_LEN => HashForm::Canonical12,
        RAW_LEN => HashForm::RawSha256,
        _ => {
            return Err(malformed(
                header,
                "expected 12 (canonical) or 64 (raw body) hex characters",
            ));
        }
    };
    if !header
        .bytes()
        .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    {
        return Err(malformed(header, "expected lowercase hex characters only"));
    }
    let computed = match form {
        HashForm::Canonical12 => response_hash(body)?,
        HashForm::RawSha256 => raw_body_hash(body),
    };
    if bool::from(computed.as_bytes().ct_eq(header.as_bytes())) {
        Ok(form)
    } else {
        Err(IntegrityError::Mismatch {
            form,
            expected: header.to_owned(),
            computed,
        })
    }
}

fn malformed(header: &str, reason: &'static str) -> IntegrityError {
    IntegrityError::MalformedHeader {
        header: crate::error::truncate_for_message(header),
        len: header.len(),
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &[u8] = br#"{"z":1,"a":2,"m":3}"#;
    const HASH12: &str = "ebba85cfdc0a";
    const RAW: &str = "737595667395f15bcc90cda47954b221056aa765f6a44c6e4aed58e49859bc2d";

    #[test]
    fn computes_both_forms() {
        assert_eq!(response_hash(BODY).unwrap(), HASH12);
        // Re-serialisation keeps the canonical hash and changes the raw one.
        assert_eq!(
            response_hash(b"{ \"a\": 2, \"m\": 3, \"z\": 1.0 }").unwrap(),
            HASH12
        );
        assert_eq!(raw_body_hash(BODY), RAW);
        assert_eq!(
            raw_body_hash(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert!(matches!(
            response_hash(b"{"),
            Err(JsonError::UnexpectedEnd { offset: 1, .. })
        ));
    }

    #[test]
    fn verifies_each_form_by_length() {
        assert_eq!(
            verify_response_hash(BODY, HASH12),
            Ok(HashForm::Canonical12)
        );
        assert_eq!(verify_response_hash(BODY, RAW), Ok(HashForm::RawSha256));
        // The raw form needs no JSON at all.
        let not_json = b"\xff not json";
        assert_eq!(
            verify_response_hash(not_json, &raw_body_hash(not_json)),
            Ok(HashForm::RawSha256)
        );
    }

    #[test]
    fn reports_mismatches_with_both_values() {
        let altered = br#"{"z":1,"a":2,"m":4}"#;
        let Err(IntegrityError::Mismatch {
            form,
            expected,
            computed,
        }) = verify_response_hash(altered, HASH12)
        else {
            panic!("altered body accepted");
        };
        assert_eq!(form, HashForm::Canonical12);
        assert_eq!(expected, HASH12);
        assert_eq!(computed, response_hash(altered).unwrap());

        let err = verify_response_hash(altered, RAW).unwrap_err();
        assert!(
            matches!(&err, IntegrityError::Mismatch { form: HashForm::RawSha256, computed, .. }
                if *computed == raw_body_hash(altered)),
            "{err:?}"
        );
        assert!(
            err.to_string()
                .starts_with("response hash mismatch (raw body SHA-256): header says 7375")
        );
    }

    #[test]
    fn rejects_malformed_headers() {
        for (header, reason) in [
            (
                "",
                "expected 12 (canonical) or 64 (raw body) hex characters",
            ),
            (
                "ebba85cfdc0",
                "expected 12 (canonical) or 64 (raw body) hex characters",
            ),
            (
                " ebba85cfdc0a",
                "expected 12 (canonical) or 64 (raw body) hex characters",
            ),
            ("EBBA85CFDC0A", "expected lowercase hex characters only"),
            ("ebba85cfdc0g", "expected lowercase hex characters only"),
            ("ébba85cfdc0", "expected lowercase hex characters only"),
        ] {
            let err = verify_response_hash(BODY, header).unwrap_err();
            assert_eq!(
                err,
                IntegrityError::MalformedHeader {
                    header: header.to_owned(),
                    len: header.len(),
                    reason
                },
            );
        }
        let huge = "x".repeat(10_000);
        let err = verify_response_hash(BODY, &huge).unwrap_err();
        let IntegrityError::MalformedHeader { header, len, .. } = &err else {
            panic!("{err:?}");
        };
        assert_eq!(*len, 10_000);
        assert!(header.len() < 120, "{header}");
        assert!(err.to_string().len() < 250);
    }

    #[test]
    fn canonical_form_needs_json() {
        let err = verify_response_hash(b"<html>", HASH12).unwrap_err();
        assert_eq!(
            err,
            IntegrityError::InvalidJson(JsonError::UnexpectedByte {
                offset: 0,
                found: b'<',
                expected: "a JSON value",
            })
        );
        assert!(err.to_string().contains("unexpected '<' at byte 0"));
    }
}
