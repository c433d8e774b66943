//! The mock's resume-token parser: never panics on any token, and a token it issued verifies to
//! the same fields.
//!
//! Input layout: the first 8 bytes are the clock (`now_ms`), the rest is split at the first 0
//! byte into a token to check and the request id and step of a token to issue.
#![no_main]

use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use olumi_mock::{ResumeToken, TokenError};

const SECRET: &str = "fuzz-resume-secret";

fuzz_target!(|input: &[u8]| {
    let Some((clock, rest)) = input.split_first_chunk::<8>() else {
        return;
    };
    let now_ms = u64::from_le_bytes(*clock) >> 1; // leaves room for the TTL below
    let text = String::from_utf8_lossy(rest);
    let (token, fields) = text.split_once('\0').unwrap_or((&text, ""));

    // Any string: a typed error or a token, never a panic.
    let _: Result<ResumeToken, TokenError> = ResumeToken::verify(token, SECRET, now_ms);
    let _ = ResumeToken::verify(token, "", now_ms);

    // Issue and check: fields without the `:` separator round-trip.
    let (request_id, step) = fields.split_once('\0').unwrap_or((fields, "DRAFTING"));
    if request_id.contains(':') || step.contains(':') {
        return;
    }
    let seq = u64::from(clock[0]);
    let issued = ResumeToken::new(request_id, step, seq, now_ms, Duration::from_secs(60));
    let encoded = issued.encode(SECRET);
    assert_eq!(ResumeToken::verify(&encoded, SECRET, now_ms), Ok(issued));
    assert_eq!(
        ResumeToken::verify(&encoded, "another-secret", now_ms),
        Err(TokenError::InvalidSignature)
    );
});
