//! Signing cost in both body-hash modes, beside raw SHA-256 of the same bytes in the same run.
//! `cargo bench -p olumi --bench signing`

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use olumi::signing::{BodyHashMode, Signer, generate_nonce};
use olumi::verify::{SignedRequest, Verifier, VerifierConfig};
use sha2::{Digest, Sha256};

const SIZES: [(usize, &str); 4] = [
    (0, "0B"),
    (1024, "1KiB"),
    (64 * 1024, "64KiB"),
    (1024 * 1024, "1MiB"),
];
const TARGET: &str = "/assist/draft-graph/stream";
const NONCE: &str = "550e8400-e29b-41d4-a716-446655440000";

fn body(len: usize) -> Vec<u8> {
    (0..len).map(|i| b'a' + (i % 26) as u8).collect()
}

fn bench_sign(c: &mut Criterion) {
    let mut group = c.benchmark_group("sign");
    group
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    let unbound = Signer::new("test-hmac-secret", BodyHashMode::Unbound).unwrap();
    let bound = Signer::new("test-hmac-secret", BodyHashMode::Sha256).unwrap();
    for (len, label) in SIZES {
        let body = body(len);
        group.throughput(Throughput::Bytes(len.max(1) as u64));
        group.bench_with_input(BenchmarkId::new("unbound", label), &body, |b, body| {
            b.iter(|| {
                unbound.sign(
                    "POST",
                    TARGET,
                    black_box(body),
                    black_box(1_700_000_000_000),
                    NONCE,
                )
            })
        });
        group.bench_with_input(BenchmarkId::new("sha256", label), &body, |b, body| {
            b.iter(|| {
                bound.sign(
                    "POST",
                    TARGET,
                    black_box(body),
                    black_box(1_700_000_000_000),
                    NONCE,
                )
            })
        });
        group.bench_with_input(BenchmarkId::new("raw_sha256", label), &body, |b, body| {
            b.iter(|| Sha256::digest(black_box(body)))
        });
    }
    group.finish();
}

fn bench_nonce_and_verify(c: &mut Criterion) {
    let mut group = c.benchmark_group("sign_extra");
    group
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    group.bench_function("generate_nonce", |b| b.iter(generate_nonce));
    let signer = Signer::new("test-hmac-secret", BodyHashMode::Unbound).unwrap();
    group.bench_function("sign_now_with_fresh_nonce", |b| {
        b.iter(|| signer.sign_now("POST", TARGET, b"{}", black_box(1_700_000_000_000)))
    });
    let verifier = Verifier::new("test-hmac-secret", VerifierConfig::default()).unwrap();
    let mut ts = 1_700_000_000_000u64;
    group.bench_function("verify_unbound_fresh_nonce", |b| {
        b.iter(|| {
            ts += 1;
            let nonce = ts.to_string();
            let h = signer.sign("POST", TARGET, b"{}", ts, &nonce).unwrap();
            let req = SignedRequest {
                method: "POST",
                target: TARGET,
                signature: Some(&h.signature),
                timestamp: Some(&h.timestamp),
                nonce: Some(&h.nonce),
                body: b"{}",
            };
            verifier.verify(&req, ts).unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, bench_sign, bench_nonce_and_verify);
criterion_main!(benches);
