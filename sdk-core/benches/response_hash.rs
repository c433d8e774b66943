//! Response-hash verification of realistic JSON bodies (1 KiB and 1 MiB), in both header forms,
//! beside canonicalisation alone and raw SHA-256 of the same bytes in the same run.
//! `cargo bench -p olumi --bench response_hash`

use std::fmt::Write as _;
use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use olumi::canonical_json::canonical_json_into;
use olumi::response_hash::{HashForm, raw_body_hash, response_hash, verify_response_hash};
use sha2::{Digest, Sha256};

const KINDS: [&str; 7] = [
    "goal", "decision", "option", "outcome", "risk", "action", "factor",
];
const LABELS: [&str; 6] = [
    "Expand into the Nordic market",
    "Élargir la gamme de produits",
    "Выход на новый рынок",
    "価格戦略の決定",
    r#"Hire a \"growth\" lead / contractor"#,
    "Reduce churn 🚀 by 10%",
];

/// A DraftGraphOutput-like body of exactly `len` bytes, keys in the service's (unsorted) order.
fn draft_graph_body(len: usize) -> Vec<u8> {
    let mut nodes = String::new();
    let mut edges = String::new();
    let mut n = 0usize;
    // Stop with room for the envelope and one more node and edge; a padding string then makes
    // the length exact.
    while nodes.len() + edges.len() + 500 < len {
        if n > 0 {
            nodes.push(',');
        }
        let _ = write!(
            nodes,
            r#"{{"id":"n{n}","kind":"{}","label":"{}","body":"Line one\nline two, step {n}","data":{{"weight":{},"rank":{n},"score":0.{:03}}}}}"#,
            KINDS[n % KINDS.len()],
            LABELS[n % LABELS.len()],
            (n % 100) as f64 / 100.0 + 0.005,
            n * 37 % 1000,
        );
        if n > 0 {
            if n > 1 {
                edges.push(',');
            }
            let _ = write!(
                edges,
                r#"{{"to":"n{n}","from":"n{}","strength_mean":0.{},"id":"e{n}"}}"#,
                n / 2,
                (n * 7919) % 1000,
            );
        }
        n += 1;
    }
    let head = format!(
        r#"{{"version":"1.2","default_seed":17,"nodes":[{nodes}],"edges":[{edges}],"meta":{{"roots":["n0"],"leaves":["n{}"],"source":""#,
        n.saturating_sub(1)
    );
    let tail = r#""},"diagnostics":{"resumes":0,"trims":0,"calls":3}}"#;
    let padding = len.saturating_sub(head.len() + tail.len());
    let body = format!("{head}{}{tail}", "x".repeat(padding));
    assert_eq!(body.len(), len, "body builder overshot");
    body.into_bytes()
}

fn bench_response_hash(c: &mut Criterion) {
    let mut group = c.benchmark_group("response_hash");
    // 30 samples let the 1 MiB cases finish in 3 s each; the whole file runs in about 35 s.
    group
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(30);
    for (len, label) in [(1024, "1KiB"), (1024 * 1024, "1MiB")] {
        let body = draft_graph_body(len);
        let hash12 = response_hash(&body).expect("bench body is JSON");
        let raw = raw_body_hash(&body);
        assert_eq!(
            verify_response_hash(&body, &hash12),
            Ok(HashForm::Canonical12)
        );
        group.throughput(Throughput::Bytes(len as u64));
        group.bench_with_input(
            BenchmarkId::new("verify_canonical12", label),
            &body,
            |b, body| b.iter(|| verify_response_hash(black_box(body), black_box(&hash12))),
        );
        group.bench_with_input(
            BenchmarkId::new("canonical_json_only", label),
            &body,
            |b, body| {
                let mut out = Vec::with_capacity(body.len());
                b.iter(|| {
                    out.clear();
                    canonical_json_into(black_box(body), &mut out)
                })
            },
        );
        group.bench_with_input(
            BenchmarkId::new("verify_raw_sha256", label),
            &body,
            |b, body| b.iter(|| verify_response_hash(black_box(body), black_box(&raw))),
        );
        group.bench_with_input(BenchmarkId::new("raw_sha256", label), &body, |b, body| {
            b.iter(|| Sha256::digest(black_box(body)))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_response_hash);
criterion_main!(benches);
