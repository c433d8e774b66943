//! Canonical JSON and the response hash: never panic; an accepted body's canonical form is a
//! fixed point (canonicalising it again gives the same text, so re-hashing gives the same hash),
//! and the body verifies against its own hash.
#![no_main]

use libfuzzer_sys::fuzz_target;
use olumi::canonical_json::canonical_json;
use olumi::response_hash::{response_hash, verify_response_hash};

fuzz_target!(|body: &[u8]| {
    let canonical = canonical_json(body);
    let hash = response_hash(body);
    assert_eq!(
        canonical.is_ok(),
        hash.is_ok(),
        "canonical_json and response_hash disagree"
    );
    let (Ok(canonical), Ok(hash)) = (canonical, hash) else {
        return;
    };
    let again = canonical_json(canonical.as_bytes()).expect("canonical form must parse");
    assert_eq!(canonical, again, "canonical form is not a fixed point");
    assert_eq!(
        response_hash(canonical.as_bytes()).expect("canonical form must hash"),
        hash,
        "re-hashing the canonical form changed the hash"
    );
    assert!(
        verify_response_hash(body, &hash).is_ok(),
        "a body does not verify against its own hash"
    );
});
