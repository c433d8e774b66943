//! The SSE decoder: never panics, gives the same items and the same end state for any chunking
//! of a stream as for the whole stream, and never yields more than its configured limits allow.
//!
//! Input layout: byte 0 and 1 pick small limits (so that they are crossed often), bytes 2..10
//! seed the chunk sizes, the rest is the stream.
#![no_main]

use libfuzzer_sys::fuzz_target;
use olumi::sse::{OwnedSseItem, SseConfig, SseDecoder};

fuzz_target!(|input: &[u8]| {
    let Some((head, stream)) = input.split_first_chunk::<10>() else {
        return;
    };
    let max_line_len = 1 + usize::from(head[0]);
    let max_event_size = 1 + usize::from(head[1]) * 2;
    let config = SseConfig::new()
        .with_max_line_len(max_line_len)
        .with_max_event_size(max_event_size);

    let mut whole = SseDecoder::with_config(config);
    let whole_items = whole.feed(stream);
    let whole_finish = whole.finish();

    // Chunk sizes from 1 to 16 bytes, cycling through the seed bytes.
    let mut chunked = SseDecoder::with_config(config);
    let mut chunked_items = Vec::new();
    let mut rest = stream;
    let mut i = 2;
    while !rest.is_empty() {
        let size = (1 + usize::from(head[i] % 16)).min(rest.len());
        let (chunk, tail) = rest.split_at(size);
        chunked.feed_into(chunk, &mut chunked_items);
        rest = tail;
        i = if i == 9 { 2 } else { i + 1 };
    }
    let chunked_finish = chunked.finish();

    assert_eq!(whole_items, chunked_items, "chunking changed the items");
    assert_eq!(
        whole_finish, chunked_finish,
        "chunking changed the end state"
    );
    assert_eq!(whole.last_event_id(), chunked.last_event_id());

    // The limits count raw bytes, before invalid UTF-8 becomes U+FFFD (3 bytes for as little as
    // one raw byte), so a decoded text stands for at least `len - 2 * replacements` raw bytes.
    let raw_len_at_least = |text: &str| text.len() - 2 * text.matches('\u{FFFD}').count();
    for item in &whole_items {
        match item {
            OwnedSseItem::Event(event) => {
                assert!(
                    raw_len_at_least(&event.data) <= max_event_size,
                    "event data over the limit"
                );
                // "message" is the default type, not read from the stream.
                assert!(
                    event.event == "message" || raw_len_at_least(&event.event) <= max_line_len,
                    "event type over the line limit"
                );
                if let Some(id) = &event.id {
                    assert!(
                        raw_len_at_least(id) <= max_line_len,
                        "event id over the line limit"
                    );
                }
            }
            OwnedSseItem::Comment(text) => {
                assert!(
                    raw_len_at_least(text) <= max_line_len,
                    "comment over the line limit"
                );
            }
            OwnedSseItem::Retry(_) | OwnedSseItem::Error(_) => {}
        }
    }
});
