//! SSE decoding throughput: our decoder (zero-copy and owned), a bare memchr line scan (the
//! ceiling: finding the lines and nothing else) and the `eventsource-stream` crate, on three
//! deterministic corpora fed in 4 KiB chunks.

use std::hint::black_box;
use std::time::Duration;

use bytes::Bytes;
use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use eventsource_stream::Eventsource;
use futures::StreamExt;
use olumi::sse::{SseDecoder, SseItem};

const CHUNK: usize = 4096;

struct Corpus {
    name: &'static str,
    bytes: Vec<u8>,
    events: u64,
}

/// A small deterministic generator, so that every run measures the same bytes.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
}

/// JSON-ish text of about `len` bytes.
fn json(rng: &mut Lcg, len: usize, unicode: bool) -> String {
    let words = [
        "goal", "decision", "option", "outcome", "risk", "action", "factor",
    ];
    let mut s = String::from("{\"stage\":\"DRAFTING\",\"nodes\":[");
    while s.len() + 40 < len {
        let word = words[(rng.next() % 7) as usize];
        let label = if unicode && rng.next().is_multiple_of(4) {
            "\u{c9}largir le caf\u{e9} \u{1f680}"
        } else {
            "expand the market"
        };
        s.push_str(&format!(
            "{{\"id\":\"n{}\",\"kind\":\"{word}\",\"label\":\"{label}\"}},",
            rng.next() % 10_000
        ));
    }
    s.push_str("{}]}");
    s
}

fn small() -> Corpus {
    let mut rng = Lcg(1);
    let mut out = String::new();
    let n = 100_000;
    for i in 0..n {
        out.push_str(&format!(
            "event: stage\nid: {i}\ndata: {}\n\n",
            json(&mut rng, 200, false)
        ));
    }
    Corpus {
        name: "small",
        bytes: out.into_bytes(),
        events: n,
    }
}

fn large() -> Corpus {
    let mut rng = Lcg(2);
    let mut out = String::new();
    let n = 1_000;
    for _ in 0..n {
        out.push_str("event: stage\n");
        for _ in 0..64 {
            out.push_str("data: ");
            out.push_str(&json(&mut rng, 1024, false));
            out.push('\n');
        }
        out.push('\n');
    }
    Corpus {
        name: "large",
        bytes: out.into_bytes(),
        events: n,
    }
}

fn mixed() -> Corpus {
    let mut rng = Lcg(3);
    let mut out = String::new();
    let n: u64 = 50_000;
    for i in 0..n {
        if i.is_multiple_of(3) {
            out.push_str(": heartbeat\r\n");
        }
        if i.is_multiple_of(50) {
            out.push_str("retry: 3000\r\n");
        }
        out.push_str(&format!("event: stage\r\nid: {i}\r\n"));
        for _ in 0..1 + rng.next() % 3 {
            let len = 64 + (rng.next() % 256) as usize;
            out.push_str(&format!("data: {}\r\n", json(&mut rng, len, true)));
        }
        out.push_str("\r\n");
    }
    Corpus {
        name: "mixed",
        bytes: out.into_bytes(),
        events: n,
    }
}

fn ours_zero_copy(chunks: &[&[u8]]) -> u64 {
    let mut dec = SseDecoder::new();
    let mut events = 0u64;
    for chunk in chunks {
        dec.feed_with(chunk, |item| {
            if let SseItem::Event(e) = item {
                black_box(e.data.len());
                events += 1;
            }
        });
    }
    black_box(events)
}

fn ours_owned(chunks: &[&[u8]]) -> u64 {
    let mut dec = SseDecoder::new();
    let mut events = 0u64;
    for chunk in chunks {
        let items = dec.feed(chunk);
        events += items
            .iter()
            .filter(|i| matches!(i, olumi::sse::OwnedSseItem::Event(_)))
            .count() as u64;
        black_box(items);
    }
    black_box(events)
}

fn memchr_lines(chunks: &[&[u8]]) -> u64 {
    let mut lines = 0u64;
    for chunk in chunks {
        lines += memchr::memchr2_iter(b'\n', b'\r', chunk).count() as u64;
    }
    black_box(lines)
}

fn eventsource_stream(chunks: &[Bytes]) -> u64 {
    let stream = futures::stream::iter(chunks.iter().cloned().map(Ok::<Bytes, std::io::Error>));
    futures::executor::block_on(async {
        let mut events = stream.eventsource();
        let mut n = 0u64;
        while let Some(event) = events.next().await {
            if let Ok(event) = event {
                black_box(event.data.len());
                n += 1;
            }
        }
        black_box(n)
    })
}

fn bench(c: &mut Criterion) {
    for corpus in [small(), large(), mixed()] {
        let chunks: Vec<&[u8]> = corpus.bytes.chunks(CHUNK).collect();
        let shared: Vec<Bytes> = chunks.iter().map(|c| Bytes::copy_from_slice(c)).collect();
        // Every contender must see every event, or the comparison means nothing.
        assert_eq!(ours_zero_copy(&chunks), corpus.events, "{}", corpus.name);
        assert_eq!(ours_owned(&chunks), corpus.events, "{}", corpus.name);
        assert_eq!(
            eventsource_stream(&shared),
            corpus.events,
            "{}",
            corpus.name
        );

        let mut group = c.benchmark_group(format!("sse_{}", corpus.name));
        // Flat: the peer takes ~100 ms per pass, too slow for linear sampling in 3 s.
        group.sampling_mode(SamplingMode::Flat);
        group.throughput(Throughput::Bytes(corpus.bytes.len() as u64));
        group.bench_function("olumi_feed_with", |b| b.iter(|| ours_zero_copy(&chunks)));
        group.bench_function("olumi_feed_owned", |b| b.iter(|| ours_owned(&chunks)));
        group.bench_function("memchr_line_scan", |b| b.iter(|| memchr_lines(&chunks)));
        group.bench_function("eventsource_stream", |b| {
            b.iter(|| eventsource_stream(&shared));
        });
        group.finish();

        if corpus.name == "small" {
            let mut group = c.benchmark_group("sse_small_events");
            group.sampling_mode(SamplingMode::Flat);
            group.throughput(Throughput::Elements(corpus.events));
            group.bench_function("olumi_feed_with", |b| b.iter(|| ours_zero_copy(&chunks)));
            group.bench_function("eventsource_stream", |b| {
                b.iter(|| eventsource_stream(&shared));
            });
            group.finish();
        }
    }
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(10)
}

criterion_group! {
    name = benches;
    config = config();
    targets = bench
}
criterion_main!(benches);
