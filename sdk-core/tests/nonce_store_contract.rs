//! The replay contract every `NonceStore` in the repository keeps, as a property: for any
//! interleaving of fresh requests (any timestamp inside the skew window) and replays of accepted
//! requests (at any later time), no replay is ever accepted, an honest request is refused only
//! when it is stamped at or below the store's floor, and the in-memory store stays at its cap.

use std::sync::Arc;

use olumi::signing::{BodyHashMode, SignatureHeaders, Signer};
use olumi::verify::{
    MemoryNonceStore, NonceStore, Rejection, SignedRequest, Verifier, VerifierConfig,
};
use proptest::prelude::*;
use proptest::sample::Index;

const SECRET: &str = "test-hmac-secret";
const TARGET: &str = "/v1/limits";
const START_MS: u64 = 1_700_000_000_000;
/// A short window so that expiry and eviction both happen within a few dozen steps.
const SKEW_MS: u64 = 1_000;

#[derive(Debug, Clone)]
enum Step {
    /// The clock moves on by `advance_ms`, then a client signs a new request stamped `now +
    /// offset_ms` (anywhere inside the skew window, clock drift in either direction).
    Fresh { advance_ms: u64, offset_ms: i64 },
    /// The clock moves on by `advance_ms` (past the window sometimes), then an attacker resends
    /// one of the requests accepted so far.
    Replay { advance_ms: u64, pick: Index },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => (0..300u64, -(SKEW_MS as i64)..=SKEW_MS as i64)
            .prop_map(|(advance_ms, offset_ms)| Step::Fresh { advance_ms, offset_ms }),
        2 => (0..3 * SKEW_MS, any::<Index>())
            .prop_map(|(advance_ms, pick)| Step::Replay { advance_ms, pick }),
    ]
}

fn request(h: &SignatureHeaders) -> SignedRequest<'_> {
    SignedRequest {
        method: "GET",
        target: TARGET,
        signature: Some(&h.signature),
        timestamp: Some(&h.timestamp),
        nonce: Some(&h.nonce),
        body: b"",
    }
}

/// Runs `steps` against a verifier backed by `store`; `len` reports how many nonces the store
/// holds, when it can tell.
fn check_contract<S: NonceStore>(
    store: S,
    steps: &[Step],
    len: impl Fn(&S) -> Option<usize>,
    capacity: Option<usize>,
) -> Result<(), TestCaseError> {
    let config = VerifierConfig {
        max_skew_ms: SKEW_MS,
        ..VerifierConfig::default()
    };
    let verifier = Verifier::with_store(SECRET, config, store).unwrap();
    let signer = Signer::new(SECRET, BodyHashMode::Unbound).unwrap();
    let mut now = START_MS;
    let mut accepted: Vec<SignatureHeaders> = Vec::new();
    for (i, step) in steps.iter().enumerate() {
        match step {
            Step::Fresh {
                advance_ms,
                offset_ms,
            } => {
                now += advance_ms;
                let ts = now.checked_add_signed(*offset_ms).unwrap();
                let h = signer
                    .sign("GET", TARGET, b"", ts, &format!("nonce-{i}"))
                    .unwrap();
                match verifier.verify(&request(&h), now) {
                    Ok(_) => accepted.push(h),
                    Err(Rejection::ReplayWindowFloor { floor_ms }) => {
                        prop_assert!(ts <= floor_ms, "honest request above the floor refused")
                    }
                    Err(other) => prop_assert!(false, "honest request {i} refused: {other}"),
                }
            }
            Step::Replay { advance_ms, pick } => {
                now += advance_ms;
                if accepted.is_empty() {
                    continue;
                }
                let h = &accepted[pick.index(accepted.len())];
                let verdict = verifier.verify(&request(h), now);
                prop_assert!(
                    matches!(
                        verdict,
                        Err(Rejection::ReplayBlocked
                            | Rejection::ReplayWindowFloor { .. }
                            | Rejection::SignatureSkew { .. })
                    ),
                    "replay of {} accepted at step {i}: {verdict:?}",
                    h.nonce
                );
            }
        }
        if let (Some(len), Some(capacity)) = (len(verifier.nonces()), capacity) {
            prop_assert!(len <= capacity, "{len} nonces held, capacity {capacity}");
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn memory_store_never_accepts_a_replay(
        capacity in 1..8usize,
        steps in prop::collection::vec(step(), 1..200),
    ) {
        check_contract(
            MemoryNonceStore::new(capacity),
            &steps,
            |s| Some(s.len()),
            Some(capacity),
        )?;
    }

    #[test]
    fn shared_memory_store_never_accepts_a_replay(
        capacity in 1..8usize,
        steps in prop::collection::vec(step(), 1..200),
    ) {
        // The mock server shares one store between the verifiers of all its secrets.
        let store = Arc::new(MemoryNonceStore::new(capacity));
        check_contract(Arc::clone(&store), &steps, |s| Some(s.len()), Some(capacity))?;
        let dynamic: Arc<dyn NonceStore> = Arc::new(MemoryNonceStore::new(capacity));
        check_contract(dynamic, &steps, |_| None, None)?;
    }

    #[test]
    fn roomy_store_refuses_nobody_honest(
        steps in prop::collection::vec(step(), 1..200),
    ) {
        // With room for every request, the floor never rises and every honest request passes
        // (check_contract refuses any other rejection of a fresh request).
        let store = MemoryNonceStore::new(1_000);
        check_contract(&store, &steps, |_| None, None)?;
        prop_assert_eq!(store.floor_ms(), None);
    }
}
