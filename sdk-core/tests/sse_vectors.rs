//! The shared SSE vectors (`tests/vectors/sse.json`) under every chunking, plus properties: any
//! chunking of any input decodes like the whole input, random transcripts decode like a naive
//! reference parser, and arbitrary bytes never panic nor grow memory past the limits.

use olumi::sse::{OwnedSseItem, SseConfig, SseDecoder, SseEventOwned};
use proptest::prelude::*;
use serde_json::Value;

struct Case {
    name: String,
    input: Vec<u8>,
    expected: Vec<OwnedSseItem>,
}

fn load_cases() -> Vec<Case> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors/sse.json");
    let text = std::fs::read_to_string(path).expect("read sse.json");
    let root: Value = serde_json::from_str(&text).expect("parse sse.json");
    root["cases"]
        .as_array()
        .expect("cases array")
        .iter()
        .map(|case| Case {
            name: case["name"].as_str().expect("name").to_owned(),
            input: case["input"].as_str().expect("input").as_bytes().to_vec(),
            expected: case["expected"]
                .as_array()
                .expect("expected array")
                .iter()
                .map(expected_item)
                .collect(),
        })
        .collect()
}

fn expected_item(item: &Value) -> OwnedSseItem {
    let text = |key: &str| item[key].as_str().expect(key).to_owned();
    match item["kind"].as_str().expect("kind") {
        "event" => OwnedSseItem::Event(SseEventOwned {
            event: text("event"),
            data: text("data"),
            id: item["id"].as_str().map(str::to_owned),
        }),
        "retry" => OwnedSseItem::Retry(item["ms"].as_u64().expect("ms")),
        "comment" => OwnedSseItem::Comment(text("text")),
        other => panic!("unknown kind {other}"),
    }
}

/// Decodes through the zero-copy API; also returns what `finish` reported.
fn decode_with<'a>(
    config: SseConfig,
    chunks: impl IntoIterator<Item = &'a [u8]>,
) -> (Vec<OwnedSseItem>, bool) {
    let mut dec = SseDecoder::with_config(config);
    let mut out = Vec::new();
    for chunk in chunks {
        dec.feed_with(chunk, |item| out.push(item.into_owned()));
    }
    (out, dec.finish().is_truncated())
}

/// Decodes through the owned API.
fn decode_owned<'a>(
    config: SseConfig,
    chunks: impl IntoIterator<Item = &'a [u8]>,
) -> (Vec<OwnedSseItem>, bool) {
    let mut dec = SseDecoder::with_config(config);
    let mut out = Vec::new();
    for chunk in chunks {
        out.extend(dec.feed(chunk));
    }
    (out, dec.finish().is_truncated())
}

/// Both APIs agree on `chunks`; returns their result.
fn decode_both<'a>(
    config: SseConfig,
    chunks: impl IntoIterator<Item = &'a [u8]> + Clone,
) -> (Vec<OwnedSseItem>, bool) {
    let zero_copy = decode_with(config, chunks.clone());
    let owned = decode_owned(config, chunks);
    assert_eq!(zero_copy, owned, "feed_with and feed disagree");
    zero_copy
}

/// Cuts `input` at the given offsets (taken modulo its length, in any order).
fn chunked(input: &[u8], cuts: &[usize]) -> Vec<Vec<u8>> {
    let mut points: Vec<usize> = cuts.iter().map(|c| c % (input.len() + 1)).collect();
    points.sort_unstable();
    let mut chunks = Vec::new();
    let mut last = 0;
    for p in points.into_iter().chain([input.len()]) {
        chunks.push(input[last..p].to_vec());
        last = p;
    }
    chunks
}

#[test]
fn vectors_file_has_at_least_20_cases() {
    let cases = load_cases();
    assert!(cases.len() >= 20, "only {} cases", cases.len());
}

#[test]
fn vectors_whole() {
    for case in load_cases() {
        let (items, _) = decode_both(SseConfig::default(), [&case.input[..]]);
        assert_eq!(items, case.expected, "case {}", case.name);
    }
}

#[test]
fn vectors_one_byte_at_a_time() {
    for case in load_cases() {
        let whole = decode_both(SseConfig::default(), [&case.input[..]]);
        let bytewise = decode_both(SseConfig::default(), case.input.chunks(1));
        assert_eq!(bytewise.0, case.expected, "case {}", case.name);
        assert_eq!(bytewise, whole, "case {} (finish)", case.name);
    }
}

#[test]
fn vectors_every_single_split() {
    for case in load_cases() {
        let whole = decode_both(SseConfig::default(), [&case.input[..]]);
        for split in 0..=case.input.len() {
            let (a, b) = case.input.split_at(split);
            let got = decode_both(SseConfig::default(), [a, b]);
            assert_eq!(got.0, case.expected, "case {} split at {split}", case.name);
            assert_eq!(got, whole, "case {} split at {split} (finish)", case.name);
        }
    }
}

#[test]
fn vectors_truncation_reported() {
    for case in load_cases() {
        let (_, truncated) = decode_both(SseConfig::default(), [&case.input[..]]);
        let expect = case.name == "trailing-incomplete-event";
        assert_eq!(truncated, expect, "case {}", case.name);
    }
}

/// A deliberately naive WHATWG parser over the whole stream, for comparison.
fn reference(input: &[u8]) -> Vec<OwnedSseItem> {
    let text = String::from_utf8_lossy(input);
    let mut text: &str = &text;
    if let Some(rest) = text.strip_prefix('\u{feff}') {
        text = rest;
    }
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                lines.push(std::mem::take(&mut line));
            }
            '\n' => lines.push(std::mem::take(&mut line)),
            c => line.push(c),
        }
    }
    let mut out = Vec::new();
    let (mut data, mut event, mut id) = (String::new(), String::new(), None::<String>);
    for line in lines {
        if line.is_empty() {
            if !data.is_empty() {
                data.pop();
                let event = if event.is_empty() { "message" } else { &event };
                out.push(OwnedSseItem::Event(SseEventOwned {
                    event: event.to_owned(),
                    data: std::mem::take(&mut data),
                    id: id.clone(),
                }));
            }
            data.clear();
            event.clear();
            continue;
        }
        let (name, value) = match line.find(':') {
            Some(i) => {
                let v = &line[i + 1..];
                (&line[..i], v.strip_prefix(' ').unwrap_or(v))
            }
            None => (&line[..], ""),
        };
        match name {
            "" => out.push(OwnedSseItem::Comment(value.to_owned())),
            "data" => {
                data.push_str(value);
                data.push('\n');
            }
            "event" => value.clone_into(&mut event),
            "id" if !value.contains('\0') => id = Some(value.to_owned()),
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                out.push(OwnedSseItem::Retry(value.parse().unwrap_or(u64::MAX)));
            }
            _ => {}
        }
    }
    out
}

#[test]
fn reference_agrees_with_vectors() {
    for case in load_cases() {
        assert_eq!(reference(&case.input), case.expected, "case {}", case.name);
    }
}

/// Random transcripts: a mix of fields, comments, blank lines, unicode, invalid bytes and every
/// line ending, optionally starting with a BOM.
fn transcript() -> impl Strategy<Value = Vec<u8>> {
    let name = prop_oneof![
        4 => Just("data"),
        2 => Just("event"),
        1 => Just("id"),
        1 => Just("retry"),
        1 => Just(""),
        1 => Just("foo"),
    ];
    let value = prop_oneof![
        3 => "[ a-z0-9{}\":,]{0,12}",
        1 => "[0-9]{1,6}",
        1 => "[ \u{e9}\u{1f680}\u{feff}:\0a]{0,6}",
        1 => proptest::collection::vec(any::<u8>(), 0..4)
            .prop_map(|b| b.iter().map(|&x| char::from(x)).collect::<String>()),
    ];
    let colon = prop_oneof![3 => Just(": "), 2 => Just(":"), 1 => Just("")];
    let ending = prop_oneof![Just("\n"), Just("\r"), Just("\r\n")];
    let line = (name, colon, value, ending.clone())
        .prop_map(|(n, c, v, e)| format!("{n}{c}{v}{e}").into_bytes());
    let blank = ending.prop_map(|e| e.as_bytes().to_vec());
    let invalid = proptest::collection::vec(0x80u8..=0xFF, 1..3);
    let piece = prop_oneof![6 => line, 3 => blank, 1 => invalid];
    (
        any::<bool>(),
        proptest::collection::vec(piece, 0..40),
        "[a-z: ]{0,4}",
    )
        .prop_map(|(bom, pieces, tail)| {
            let mut out = if bom {
                "\u{feff}".as_bytes().to_vec()
            } else {
                Vec::new()
            };
            out.extend(pieces.concat());
            out.extend(tail.as_bytes());
            out
        })
}

/// Bytes that hit every branch: terminators, field letters, colons, BOM and invalid bytes.
fn sse_bytes() -> impl Strategy<Value = Vec<u8>> {
    let byte = prop_oneof![
        3 => Just(b'\n'),
        2 => Just(b'\r'),
        2 => Just(b':'),
        1 => Just(b' '),
        4 => proptest::sample::select(b"dataeventidretry".to_vec()),
        1 => proptest::sample::select(vec![0xEF, 0xBB, 0xBF, 0xC3, 0xA9, 0xFF, 0]),
        3 => any::<u8>(),
    ];
    proptest::collection::vec(byte, 0..600)
}

fn cuts() -> impl Strategy<Value = Vec<usize>> {
    proptest::collection::vec(any::<usize>(), 0..12)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_chunking_of_vectors(case in 0usize..64, cuts in cuts()) {
        let cases = load_cases();
        let case = &cases[case % cases.len()];
        let chunks = chunked(&case.input, &cuts);
        let got = decode_both(SseConfig::default(), chunks.iter().map(Vec::as_slice));
        prop_assert_eq!(&got.0, &case.expected);
    }

    #[test]
    fn transcripts_any_chunking_matches_whole_and_reference(
        input in transcript(),
        cuts in cuts(),
    ) {
        let whole = decode_both(SseConfig::default(), [&input[..]]);
        prop_assert_eq!(&whole.0, &reference(&input));
        let chunks = chunked(&input, &cuts);
        let got = decode_both(SseConfig::default(), chunks.iter().map(Vec::as_slice));
        prop_assert_eq!(&got, &whole);
        let bytewise = decode_both(SseConfig::default(), input.chunks(1));
        prop_assert_eq!(&bytewise, &whole);
    }

    #[test]
    fn arbitrary_bytes_bounded_and_chunking_invariant(
        input in sse_bytes(),
        cuts in cuts(),
        max_line_len in 0usize..40,
        max_event_size in 0usize..60,
    ) {
        let config = SseConfig::default()
            .with_max_line_len(max_line_len)
            .with_max_event_size(max_event_size);
        let bound = 3 * max_line_len + max_event_size;
        let whole = decode_both(config, [&input[..]]);
        let mut dec = SseDecoder::with_config(config);
        let mut items = Vec::new();
        for chunk in chunked(&input, &cuts) {
            dec.feed_with(&chunk, |item| items.push(item.into_owned()));
            prop_assert!(dec.buffer_capacity() <= bound, "{} > {}", dec.buffer_capacity(), bound);
        }
        let truncated = dec.finish().is_truncated();
        prop_assert_eq!(&(items, truncated), &whole);
        let bytewise = decode_both(config, input.chunks(1));
        prop_assert_eq!(&bytewise, &whole);
    }

    #[test]
    fn arbitrary_bytes_never_panic(input in proptest::collection::vec(any::<u8>(), 0..2000)) {
        let mut dec = SseDecoder::new();
        for chunk in input.chunks(97) {
            dec.feed_with(chunk, |_| {});
        }
        let _ = dec.finish();
        prop_assert_eq!(SseDecoder::new().feed(&input), reference(&input));
    }
}
