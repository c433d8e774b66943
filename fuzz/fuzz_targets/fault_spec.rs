//! The mock's fault-spec parser (`--fault`, the admin API): never panics, and an accepted spec
//! printed back parses to the same spec.
#![no_main]

use libfuzzer_sys::fuzz_target;
use olumi_mock::{FaultInjection, FaultSpec};

fuzz_target!(|input: &[u8]| {
    let Ok(text) = std::str::from_utf8(input) else {
        return;
    };
    let Ok(injection) = FaultInjection::parse(text) else {
        return;
    };
    let printed = injection.spec.to_string();
    let reparsed: FaultSpec = printed
        .parse()
        .unwrap_or_else(|e| panic!("printed spec {printed:?} does not parse: {e}"));
    assert_eq!(
        reparsed, injection.spec,
        "printed spec {printed:?} parses differently"
    );
});
