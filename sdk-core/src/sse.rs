//! An incremental, bounded, WHATWG-conformant Server-Sent Events decoder.
//!
//! [`SseDecoder`] is sans-IO: feed it the bytes of a `text/event-stream` body in chunks of any
//! size, exactly as they come off the wire, and it reports [`SseItem`]s through a callback
//! ([`SseDecoder::feed_with`], zero-copy) or as owned values ([`SseDecoder::feed`]). Call
//! [`SseDecoder::finish`] at end of stream to learn whether it ended mid-line or mid-event. Any
//! chunking of the same bytes, down to one byte at a time, yields the same items.
//!
//! # Parsing rules (WHATWG HTML, "event stream interpretation")
//!
//! - One U+FEFF byte order mark is skipped at stream start only (even when it arrives split
//!   across chunks); a later U+FEFF is ordinary text.
//! - Lines end at CR, LF or CRLF, also when the CR ends one chunk and the LF starts the next.
//! - `data` lines are joined with LF; `event` sets the type (default `message`); `id` sets the
//!   last event id, which persists across events until changed (a value containing NUL is
//!   ignored; an empty value sets it to `""`); `retry` with only ASCII digits is reported as
//!   [`SseItem::Retry`]; other fields are ignored. A line without a colon is a field name with
//!   an empty value; one space after the colon is stripped.
//! - A line starting with `:` is a comment. Unlike a browser, the decoder reports it as
//!   [`SseItem::Comment`] (one leading space stripped) so a heartbeat can reset an idle timer.
//! - A blank line dispatches the event if any `data` line arrived, otherwise it only resets the
//!   event type. An event not followed by its blank line before end of stream is not dispatched.
//! - Invalid UTF-8 becomes U+FFFD, exactly as a lossy decode of the whole stream would (line
//!   terminators are ASCII, so decoding line by line is equivalent).
//!
//! # Limits
//!
//! [`SseConfig`] holds two limits, 16 MiB each by default:
//!
//! - `max_line_len`: bytes in one line, not counting its terminator (raw bytes, before any
//!   U+FFFD replacement).
//! - `max_event_size`: bytes of one event's data as it would be dispatched (data lines plus the
//!   LFs joining them).
//!
//! Crossing either yields one [`SseItem::Error`] at the point where the excess is first seen,
//! after every item from earlier lines. The decoder then drops the rest of that line and of its
//! event, up to and including the next blank line, and decodes normally from there; items from
//! later events in the same chunk are still delivered. Nothing is ever buffered beyond the
//! limits: the pending line, event type and last event id each stay within `max_line_len` and
//! the data within `max_event_size`, buffer capacities included (see
//! [`SseDecoder::buffer_capacity`]). The caller's chunk is never copied as a whole.
//!
//! # How it is fast
//!
//! Every byte is validated as UTF-8 once, per chunk and with SIMD (`simdutf8`); when a chunk
//! ends inside a multi-byte character only the part up to its last line terminator is. Lines
//! are then cut out of that `&str` with one `memchr2` per line, starting at the line start so
//! that the LF of a CRLF is stepped over rather than searched for, and blank lines (the event
//! ends) are seen by peeking at the byte after a terminator. Slicing at ASCII terminators always
//! falls on char boundaries, so no line is validated twice. Fields are matched on their first
//! byte. An event whose single `data` line lies in the current chunk is handed out borrowed from
//! the chunk, as are its type and id; multi-line data and whatever is still pending when the
//! chunk ends go to buffers that are reused, so the steady state allocates nothing per line or
//! per event. Besides multi-line data, only the line that straddles a chunk boundary is copied
//! (and its pieces are validated as they arrive, not again), and only a line holding invalid
//! UTF-8 takes the slow lossy path (a transient copy of that line, up to three times its length
//! once invalid bytes become U+FFFD).
//!
//! Limit errors are items rather than a `Result` so that one oversized event does not cost the
//! caller the events that follow it in the same chunk.

use memchr::{memchr, memchr2, memrchr2};

/// The default for both limits in [`SseConfig`]: 16 MiB.
pub const DEFAULT_LIMIT: usize = 16 * 1024 * 1024;

const BOM: [u8; 3] = [0xEF, 0xBB, 0xBF];
/// `bom` state once the stream start has been decided (BOM skipped or absent).
const BOM_DONE: u8 = u8::MAX;

/// Limits of an [`SseDecoder`]; see the [module docs](self#limits).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct SseConfig {
    /// Longest accepted line in bytes, terminator excluded. Default [`DEFAULT_LIMIT`].
    pub max_line_len: usize,
    /// Largest accepted event data in bytes (data lines plus joining LFs). Default
    /// [`DEFAULT_LIMIT`].
    pub max_event_size: usize,
}

impl Default for SseConfig {
    fn default() -> Self {
        Self::new()
    }
}

impl SseConfig {
    /// Both limits at [`DEFAULT_LIMIT`].
    #[must_use]
    pub const fn new() -> Self {
        Self {
            max_line_len: DEFAULT_LIMIT,
            max_event_size: DEFAULT_LIMIT,
        }
    }

    /// Sets the longest accepted line, in bytes.
    #[must_use]
    pub const fn with_max_line_len(mut self, bytes: usize) -> Self {
        self.max_line_len = bytes;
        self
    }

    /// Sets the largest accepted event data, in bytes.
    #[must_use]
    pub const fn with_max_event_size(mut self, bytes: usize) -> Self {
        self.max_event_size = bytes;
        self
    }
}

/// A limit was crossed; the decoder skipped to the next event boundary and remains usable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SseError {
    /// A line was longer than `max_line_len`.
    #[error(
        "SSE line longer than the {limit}-byte limit; its event was skipped up to the next blank line"
    )]
    LineTooLong {
        /// The configured `max_line_len`.
        limit: usize,
    },
    /// An event's data grew beyond `max_event_size`.
    #[error(
        "SSE event data larger than the {limit}-byte limit; the event was skipped up to the next blank line"
    )]
    EventTooLarge {
        /// The configured `max_event_size`.
        limit: usize,
    },
}

/// A dispatched event, borrowed from the chunk or from the decoder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SseEvent<'a> {
    /// Event type; `"message"` when no `event` field was given.
    pub event: &'a str,
    /// Data lines joined with LF.
    pub data: &'a str,
    /// The last event id in force at dispatch; `None` if no `id` field was ever accepted.
    pub id: Option<&'a str>,
}

/// One thing the decoder reports, borrowed; valid only during the callback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SseItem<'a> {
    /// An event was dispatched by a blank line.
    Event(SseEvent<'a>),
    /// A comment line (`:` prefix), text after the colon with one leading space stripped.
    Comment(&'a str),
    /// A `retry` field with a valid value, in milliseconds (saturating at `u64::MAX`).
    Retry(u64),
    /// A limit was crossed; the offending event was skipped.
    Error(SseError),
}

/// Owned form of [`SseEvent`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SseEventOwned {
    /// Event type; `"message"` when no `event` field was given.
    pub event: String,
    /// Data lines joined with LF.
    pub data: String,
    /// The last event id in force at dispatch; `None` if no `id` field was ever accepted.
    pub id: Option<String>,
}

/// Owned form of [`SseItem`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OwnedSseItem {
    /// An event was dispatched by a blank line.
    Event(SseEventOwned),
    /// A comment line, text after the colon with one leading space stripped.
    Comment(String),
    /// A `retry` field with a valid value, in milliseconds.
    Retry(u64),
    /// A limit was crossed; the offending event was skipped.
    Error(SseError),
}

impl SseEvent<'_> {
    /// Copies the event out of the decoder's or the chunk's memory.
    #[must_use]
    pub fn to_owned_event(&self) -> SseEventOwned {
        SseEventOwned {
            event: self.event.to_owned(),
            data: self.data.to_owned(),
            id: self.id.map(str::to_owned),
        }
    }
}

impl SseItem<'_> {
    /// Copies the item out of the decoder's or the chunk's memory.
    #[must_use]
    pub fn into_owned(self) -> OwnedSseItem {
        match self {
            SseItem::Event(e) => OwnedSseItem::Event(e.to_owned_event()),
            SseItem::Comment(c) => OwnedSseItem::Comment(c.to_owned()),
            SseItem::Retry(ms) => OwnedSseItem::Retry(ms),
            SseItem::Error(e) => OwnedSseItem::Error(e),
        }
    }
}

/// What [`SseDecoder::finish`] found pending at end of stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[must_use]
pub struct SseFinish {
    /// Bytes of a line without its terminator were pending; they were dropped.
    pub partial_line: bool,
    /// An event had data but no terminating blank line; it was not dispatched.
    pub pending_event: bool,
}

impl SseFinish {
    /// Whether the stream was cut short: a partial line or an undispatched event was dropped.
    #[must_use]
    pub const fn is_truncated(self) -> bool {
        self.partial_line || self.pending_event
    }
}

/// Incremental Server-Sent Events decoder; see the [module docs](self).
#[derive(Debug, Clone)]
pub struct SseDecoder {
    config: SseConfig,
    /// Start of the line that straddles chunks (empty while discarding).
    line: LineBuf,
    /// Length of that pending line; still counted while discarding, so that its end is not
    /// mistaken for a blank line.
    partial_len: usize,
    /// The last byte seen was a CR ending a line: an LF next is the rest of a CRLF.
    skip_lf: bool,
    /// BOM bytes matched so far at stream start, or [`BOM_DONE`].
    bom: u8,
    /// A limit was crossed: skip lines up to and including the next blank line.
    discarding: bool,
    /// Data of the pending event when it is not borrowed from the current chunk.
    data: String,
    has_data: bool,
    event_type: String,
    has_event_type: bool,
    last_id: String,
    has_id: bool,
}

impl Default for SseDecoder {
    fn default() -> Self {
        Self::new()
    }
}

impl SseDecoder {
    /// A decoder with the default limits ([`DEFAULT_LIMIT`]).
    #[must_use]
    pub fn new() -> Self {
        Self::with_config(SseConfig::new())
    }

    /// A decoder with the given limits.
    #[must_use]
    pub fn with_config(config: SseConfig) -> Self {
        Self {
            config,
            line: LineBuf::default(),
            partial_len: 0,
            skip_lf: false,
            bom: 0,
            discarding: false,
            data: String::new(),
            has_data: false,
            event_type: String::new(),
            has_event_type: false,
            last_id: String::new(),
            has_id: false,
        }
    }

    /// The limits in force.
    #[must_use]
    pub const fn config(&self) -> &SseConfig {
        &self.config
    }

    /// The last event id accepted so far (`None` if no `id` field was ever accepted).
    #[must_use]
    pub fn last_event_id(&self) -> Option<&str> {
        self.has_id.then_some(self.last_id.as_str())
    }

    /// Total capacity of the internal buffers, in bytes. Never more than
    /// `3 * max_line_len + max_event_size`, whatever the input.
    #[must_use]
    pub fn buffer_capacity(&self) -> usize {
        self.line.capacity()
            + self.data.capacity()
            + self.event_type.capacity()
            + self.last_id.capacity()
    }

    /// Decodes `chunk`, calling `f` for every item it completes, in stream order. Items borrow
    /// from `chunk` or from the decoder and live only for the call of `f`.
    pub fn feed_with<F: FnMut(SseItem<'_>)>(&mut self, chunk: &[u8], f: F) {
        let mut run = Run {
            data: if self.has_data {
                Slot::Buf
            } else {
                Slot::Empty
            },
            etype: if self.has_event_type {
                Slot::Buf
            } else {
                Slot::Empty
            },
            id: if self.has_id { Slot::Buf } else { Slot::Empty },
            dec: self,
            f,
        };
        run.chunk(chunk);
        run.spill();
    }

    /// Decodes `chunk` and returns the items it completes, owned.
    #[must_use]
    pub fn feed(&mut self, chunk: &[u8]) -> Vec<OwnedSseItem> {
        let mut out = Vec::new();
        self.feed_into(chunk, &mut out);
        out
    }

    /// Decodes `chunk`, appending the items it completes to `out`.
    pub fn feed_into(&mut self, chunk: &[u8], out: &mut Vec<OwnedSseItem>) {
        self.feed_with(chunk, |item| out.push(item.into_owned()));
    }

    /// Ends the stream: reports what was pending (and is now dropped), then resets the decoder
    /// for a new stream (a BOM is accepted again). The last event id is kept, as an
    /// `EventSource` keeps it across reconnections; use [`SseDecoder::reset`] to clear it too.
    pub fn finish(&mut self) -> SseFinish {
        let result = SseFinish {
            partial_line: self.partial_len > 0 || (self.bom != BOM_DONE && self.bom > 0),
            pending_event: self.has_data,
        };
        self.line.clear();
        self.partial_len = 0;
        self.skip_lf = false;
        self.bom = 0;
        self.discarding = false;
        self.has_data = false;
        self.has_event_type = false;
        result
    }

    /// Back to the state of a new decoder (keeping its limits and buffer capacity), last event
    /// id included.
    pub fn reset(&mut self) {
        let _ = self.finish();
        self.has_id = false;
        self.last_id.clear();
    }
}

/// The line that straddles chunks. Kept as text while every piece validated on its own, so
/// that a complete line is not validated twice; raw bytes once a piece did not (a character cut
/// by the chunk end, or invalid UTF-8). Switching reuses the one allocation.
#[derive(Debug, Clone)]
enum LineBuf {
    Text(String),
    Raw(Vec<u8>),
}

impl Default for LineBuf {
    fn default() -> Self {
        Self::Text(String::new())
    }
}

impl LineBuf {
    fn capacity(&self) -> usize {
        match self {
            Self::Text(s) => s.capacity(),
            Self::Raw(v) => v.capacity(),
        }
    }

    fn clear(&mut self) {
        match self {
            Self::Text(s) => s.clear(),
            Self::Raw(v) => {
                v.clear();
                // Empty bytes are valid text: back to `Text`, keeping the capacity.
                *self = Self::Text(String::from_utf8(std::mem::take(v)).unwrap_or_default());
            }
        }
    }

    fn push_str(&mut self, piece: &str, limit: usize) {
        match self {
            Self::Text(s) => push_bounded(s, piece, limit),
            Self::Raw(v) => extend_bounded(v, piece.as_bytes(), limit),
        }
    }

    fn push_bytes(&mut self, piece: &[u8], limit: usize) {
        match self {
            Self::Text(s) => {
                if let Ok(text) = simdutf8::basic::from_utf8(piece) {
                    push_bounded(s, text, limit);
                } else {
                    let mut v = std::mem::take(s).into_bytes();
                    extend_bounded(&mut v, piece, limit);
                    *self = Self::Raw(v);
                }
            }
            Self::Raw(v) => extend_bounded(v, piece, limit),
        }
    }
}

/// Where a pending event's data, type or the last event id lives during one `feed_with` call.
#[derive(Debug, Clone, Copy)]
enum Slot<'c> {
    Empty,
    /// Borrowed from the current chunk; copied to the decoder's buffer if the chunk ends first.
    Chunk(&'c str),
    /// In the decoder's buffer.
    Buf,
}

#[derive(Debug, Clone, Copy)]
enum Field {
    Data,
    Event,
    Id,
    Retry,
    Comment,
    Other,
}

/// The state of one `feed_with` call: the decoder plus what may borrow from the chunk.
struct Run<'c, 'd, F> {
    dec: &'d mut SseDecoder,
    data: Slot<'c>,
    etype: Slot<'c>,
    /// The last event id; `Empty` when none was ever set. Borrowed while possible because
    /// servers that send ids send one per event.
    id: Slot<'c>,
    f: F,
}

impl<'c, F: FnMut(SseItem<'_>)> Run<'c, '_, F> {
    fn chunk(&mut self, mut chunk: &'c [u8]) {
        if self.dec.bom != BOM_DONE {
            match self.bom(chunk) {
                Some(rest) => chunk = rest,
                None => return,
            }
        }
        let mut pos = 0;
        if self.dec.partial_len > 0 {
            // The line that straddles chunks: finish it in the line buffer. (A pending CR
            // cannot coexist with a partial line, so no LF to skip here.)
            match memchr2(b'\n', b'\r', chunk) {
                None => {
                    self.append_partial(chunk);
                    return;
                }
                Some(t) => {
                    self.append_partial(&chunk[..t]);
                    self.end_partial();
                    pos = self.after_terminator(chunk, t);
                }
            }
        }
        self.region(&chunk[pos..]);
    }

    /// Skips a BOM at stream start; `None` while the chunk is all a BOM prefix.
    fn bom(&mut self, chunk: &'c [u8]) -> Option<&'c [u8]> {
        let before = usize::from(self.dec.bom);
        let mut i = 0;
        while before + i < BOM.len() && i < chunk.len() && chunk[i] == BOM[before + i] {
            i += 1;
        }
        if before + i == BOM.len() {
            self.dec.bom = BOM_DONE;
            return Some(&chunk[i..]);
        }
        if i == chunk.len() {
            // `before + i < 3`, so this fits.
            self.dec.bom = (before + i) as u8;
            return None;
        }
        // Not a BOM after all: the bytes held back from earlier chunks start the first line.
        self.dec.bom = BOM_DONE;
        self.append_partial(&BOM[..before]);
        Some(chunk)
    }

    /// Position after the terminator at `t`; notes a CR at the very end so that a following
    /// LF in the next chunk completes a CRLF instead of ending an empty line.
    #[inline]
    fn after_terminator(&mut self, bytes: &[u8], t: usize) -> usize {
        if bytes[t] == b'\r' {
            match bytes.get(t + 1) {
                Some(b'\n') => return t + 2,
                Some(_) => {}
                None => self.dec.skip_lf = true,
            }
        }
        t + 1
    }

    /// Bytes that start at a line start (no partial line pending).
    fn region(&mut self, mut rest: &'c [u8]) {
        if rest.is_empty() {
            return;
        }
        if self.dec.skip_lf {
            self.dec.skip_lf = false;
            if rest[0] == b'\n' {
                rest = &rest[1..];
            }
        }
        // One forward pass over the chunk first: validation streams it into L1 for the line
        // scan that follows.
        if let Ok(s) = simdutf8::basic::from_utf8(rest) {
            let end = self.lines(s);
            // A CR ending `s` would have made `end` its length, so no LF skip is pending here.
            self.append_partial_str(&s[end..]);
            return;
        }
        // Invalid UTF-8, or just a character cut by the chunk end: validating only up to the
        // last terminator keeps the cut character out of the slow path; it lands in the line
        // buffer and is decoded once its line completes.
        let Some(last) = memrchr2(b'\n', b'\r', rest) else {
            self.append_partial(rest);
            return;
        };
        let (complete, tail) = rest.split_at(last + 1);
        self.complete(complete);
        if !tail.is_empty() {
            // `complete` may end in CR, but what follows it is not an LF.
            self.dec.skip_lf = false;
            self.append_partial(tail);
        }
    }

    /// Whole lines, `bytes` ending with a terminator.
    fn complete(&mut self, mut bytes: &'c [u8]) {
        loop {
            if let Ok(s) = simdutf8::basic::from_utf8(bytes) {
                let _ = self.lines(s);
                return;
            }
            // Slow path, invalid UTF-8: lines before the bad byte stay zero-copy, the line
            // holding it is decoded lossily, and the rest is validated again.
            let valid = match simdutf8::compat::from_utf8(bytes) {
                Ok(s) => {
                    let _ = self.lines(s);
                    return;
                }
                Err(e) => e.valid_up_to(),
            };
            let cut = memrchr2(b'\n', b'\r', &bytes[..valid]).map_or(0, |i| i + 1);
            if cut > 0 {
                // A prefix of the valid part: cannot fail.
                let _ = self.lines(std::str::from_utf8(&bytes[..cut]).unwrap_or_default());
                // The bad line follows, and it does not start with LF.
                self.dec.skip_lf = false;
            }
            // `bytes` ends with a terminator and the bad byte is not one, so this finds one.
            let Some(k) = memchr2(b'\n', b'\r', &bytes[valid..]) else {
                self.append_partial(&bytes[cut..]);
                return;
            };
            let t = valid + k;
            self.raw_line(&bytes[cut..t]);
            let next = self.after_terminator(bytes, t);
            bytes = &bytes[next..];
            if bytes.is_empty() {
                return;
            }
        }
    }

    /// The hot loop: the whole lines of valid text `s`; returns where the unterminated rest
    /// starts.
    #[inline]
    fn lines(&mut self, s: &'c str) -> usize {
        let bytes = s.as_bytes();
        let mut start = 0;
        // One search per line from its start (not `memchr2_iter`): the LF of a CRLF is stepped
        // over instead of being searched for.
        while let Some(k) = memchr2(b'\n', b'\r', &bytes[start..]) {
            let t = start + k;
            let line = &s[start..t];
            start = self.after_terminator(bytes, t);
            self.chunk_line(line);
            // Blank lines end every event: catch them without another search.
            while let Some(&b) = bytes.get(start) {
                if b != b'\n' && b != b'\r' {
                    break;
                }
                start = self.after_terminator(bytes, start);
                self.blank();
            }
        }
        start
    }

    #[inline]
    fn chunk_line(&mut self, line: &'c str) {
        if line.is_empty() {
            self.blank();
            return;
        }
        if self.dec.discarding {
            return;
        }
        if line.len() > self.dec.config.max_line_len {
            self.line_too_long();
            return;
        }
        let (field, value) = parse(line);
        match field {
            Field::Data => self.data_chunk(value),
            Field::Event => {
                self.etype = if value.is_empty() {
                    Slot::Empty
                } else {
                    Slot::Chunk(value)
                };
            }
            Field::Id => {
                if valid_id(value) {
                    self.id = Slot::Chunk(value);
                }
            }
            _ => self.common(field, value),
        }
    }

    /// A complete line that is not part of the chunk's validated text (it straddled chunks or
    /// holds invalid UTF-8), raw bytes.
    fn raw_line(&mut self, bytes: &[u8]) {
        if bytes.is_empty() {
            self.blank();
            return;
        }
        if self.dec.discarding {
            return;
        }
        if bytes.len() > self.dec.config.max_line_len {
            self.line_too_long();
            return;
        }
        match simdutf8::basic::from_utf8(bytes) {
            Ok(s) => self.temp_line(s),
            Err(_) => self.temp_line(&String::from_utf8_lossy(bytes)),
        }
    }

    fn temp_line(&mut self, line: &str) {
        let (field, value) = parse(line);
        match field {
            Field::Data => self.data_temp(value),
            Field::Event => {
                if value.is_empty() {
                    self.etype = Slot::Empty;
                } else {
                    let buf = &mut self.dec.event_type;
                    buf.clear();
                    push_bounded(buf, value, self.dec.config.max_line_len);
                    self.etype = Slot::Buf;
                }
            }
            Field::Id => {
                if valid_id(value) {
                    let buf = &mut self.dec.last_id;
                    buf.clear();
                    push_bounded(buf, value, self.dec.config.max_line_len);
                    self.id = Slot::Buf;
                }
            }
            _ => self.common(field, value),
        }
    }

    #[inline]
    fn common(&mut self, field: Field, value: &str) {
        match field {
            Field::Retry => {
                if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
                    let ms = value.bytes().fold(0u64, |acc, b| {
                        acc.saturating_mul(10).saturating_add(u64::from(b - b'0'))
                    });
                    (self.f)(SseItem::Retry(ms));
                }
            }
            Field::Comment => (self.f)(SseItem::Comment(value)),
            Field::Data | Field::Event | Field::Id | Field::Other => {}
        }
    }

    #[inline]
    fn data_chunk(&mut self, value: &'c str) {
        match self.data {
            Slot::Empty => {
                if value.len() > self.dec.config.max_event_size {
                    self.event_too_large();
                } else {
                    self.data = Slot::Chunk(value);
                }
            }
            Slot::Chunk(prev) => self.data_join(prev, value),
            Slot::Buf => self.data_append(value),
        }
    }

    fn data_temp(&mut self, value: &str) {
        match self.data {
            Slot::Empty => {
                let limit = self.dec.config.max_event_size;
                if value.len() > limit {
                    self.event_too_large();
                    return;
                }
                let buf = &mut self.dec.data;
                buf.clear();
                push_bounded(buf, value, limit);
                self.data = Slot::Buf;
            }
            Slot::Chunk(prev) => self.data_join(prev, value),
            Slot::Buf => self.data_append(value),
        }
    }

    /// A second data line: the borrowed first one moves to the buffer.
    fn data_join(&mut self, prev: &str, value: &str) {
        let limit = self.dec.config.max_event_size;
        let need = prev.len() + 1 + value.len();
        if need > limit {
            self.event_too_large();
            return;
        }
        let buf = &mut self.dec.data;
        buf.clear();
        reserve_bounded(buf, need, limit);
        buf.push_str(prev);
        buf.push('\n');
        buf.push_str(value);
        self.data = Slot::Buf;
    }

    #[inline]
    fn data_append(&mut self, value: &str) {
        let limit = self.dec.config.max_event_size;
        let buf = &mut self.dec.data;
        let need = buf.len() + 1 + value.len();
        if need > limit {
            self.event_too_large();
            return;
        }
        reserve_bounded(buf, need, limit);
        buf.push('\n');
        buf.push_str(value);
    }

    #[inline]
    fn blank(&mut self) {
        if self.dec.discarding {
            // The event boundary after an oversized line or event: decode normally again.
            self.dec.discarding = false;
            return;
        }
        let data: &str = match self.data {
            Slot::Empty => {
                self.etype = Slot::Empty;
                return;
            }
            Slot::Chunk(s) => s,
            Slot::Buf => &self.dec.data,
        };
        let event: &str = match self.etype {
            Slot::Empty => "message",
            Slot::Chunk(s) => s,
            Slot::Buf => &self.dec.event_type,
        };
        let id = match self.id {
            Slot::Empty => None,
            Slot::Chunk(s) => Some(s),
            Slot::Buf => Some(self.dec.last_id.as_str()),
        };
        (self.f)(SseItem::Event(SseEvent { event, data, id }));
        self.data = Slot::Empty;
        self.etype = Slot::Empty;
    }

    /// Adds validated text to the line that straddles chunks.
    fn append_partial_str(&mut self, text: &str) {
        if self.partial_fits(text.len()) {
            let limit = self.dec.config.max_line_len;
            self.dec.line.push_str(text, limit);
        }
    }

    /// Adds bytes not validated yet to the line that straddles chunks.
    fn append_partial(&mut self, bytes: &[u8]) {
        if self.partial_fits(bytes.len()) {
            let limit = self.dec.config.max_line_len;
            self.dec.line.push_bytes(bytes, limit);
        }
    }

    /// Counts `n` more bytes of the pending line and enforces the line limit; whether to
    /// store them.
    #[inline]
    fn partial_fits(&mut self, n: usize) -> bool {
        if n == 0 {
            return false;
        }
        let len = self.dec.partial_len.saturating_add(n);
        self.dec.partial_len = len;
        if self.dec.discarding {
            return false;
        }
        if len > self.dec.config.max_line_len {
            self.dec.line.clear();
            self.line_too_long();
            return false;
        }
        true
    }

    /// The line that straddled chunks got its terminator.
    fn end_partial(&mut self) {
        self.dec.partial_len = 0;
        if self.dec.discarding {
            // Its start was dropped; it was not blank, so it cannot end the discarding.
            self.dec.line.clear();
            return;
        }
        // The limit was enforced while appending.
        if let LineBuf::Text(text) = &mut self.dec.line {
            let mut text = std::mem::take(text);
            self.temp_line(&text);
            text.clear();
            self.dec.line = LineBuf::Text(text);
            return;
        }
        self.end_raw_partial();
    }

    #[cold]
    fn end_raw_partial(&mut self) {
        let mut line = match std::mem::take(&mut self.dec.line) {
            // Handled by `end_partial`.
            text @ LineBuf::Text(_) => text,
            LineBuf::Raw(bytes) => match String::from_utf8(bytes) {
                Ok(text) => {
                    self.temp_line(&text);
                    LineBuf::Text(text)
                }
                Err(e) => {
                    let bytes = e.into_bytes();
                    self.temp_line(&String::from_utf8_lossy(&bytes));
                    LineBuf::Raw(bytes)
                }
            },
        };
        line.clear();
        self.dec.line = line;
    }

    #[cold]
    fn line_too_long(&mut self) {
        let limit = self.dec.config.max_line_len;
        self.fail(SseError::LineTooLong { limit });
    }

    #[cold]
    fn event_too_large(&mut self) {
        let limit = self.dec.config.max_event_size;
        self.fail(SseError::EventTooLarge { limit });
    }

    fn fail(&mut self, error: SseError) {
        self.dec.discarding = true;
        self.data = Slot::Empty;
        self.etype = Slot::Empty;
        (self.f)(SseItem::Error(error));
    }

    /// End of the call: whatever borrows from the chunk moves to the decoder's buffers.
    fn spill(&mut self) {
        if let Slot::Chunk(s) = self.data {
            let buf = &mut self.dec.data;
            buf.clear();
            push_bounded(buf, s, self.dec.config.max_event_size);
            self.data = Slot::Buf;
        }
        if let Slot::Chunk(s) = self.etype {
            let buf = &mut self.dec.event_type;
            buf.clear();
            push_bounded(buf, s, self.dec.config.max_line_len);
            self.etype = Slot::Buf;
        }
        if let Slot::Chunk(s) = self.id {
            let buf = &mut self.dec.last_id;
            buf.clear();
            push_bounded(buf, s, self.dec.config.max_line_len);
            self.id = Slot::Buf;
        }
        self.dec.has_data = matches!(self.data, Slot::Buf);
        self.dec.has_event_type = matches!(self.etype, Slot::Buf);
        self.dec.has_id = matches!(self.id, Slot::Buf);
    }
}

/// WHATWG ignores an `id` containing NUL. Ids are short: a plain scan beats memchr's call
/// overhead.
#[inline]
fn valid_id(value: &str) -> bool {
    !value.as_bytes().contains(&0)
}

/// Splits a non-empty line into field and value (one leading space stripped).
#[inline(always)]
fn parse(line: &str) -> (Field, &str) {
    let b = line.as_bytes();
    match b[0] {
        b'd' if b.starts_with(b"data:") => (Field::Data, value_at(line, 5)),
        b'e' if b.starts_with(b"event:") => (Field::Event, value_at(line, 6)),
        b'i' if b.starts_with(b"id:") => (Field::Id, value_at(line, 3)),
        b'r' if b.starts_with(b"retry:") => (Field::Retry, value_at(line, 6)),
        b':' => (Field::Comment, value_at(line, 1)),
        _ => parse_slow(line),
    }
}

#[inline(never)]
fn parse_slow(line: &str) -> (Field, &str) {
    let (name, value) = match memchr(b':', line.as_bytes()) {
        Some(colon) => (&line[..colon], value_at(line, colon + 1)),
        None => (line, ""),
    };
    let field = match name {
        "data" => Field::Data,
        "event" => Field::Event,
        "id" => Field::Id,
        "retry" => Field::Retry,
        _ => Field::Other,
    };
    (field, value)
}

/// `line[at..]` without one leading space; `at` follows an ASCII colon.
#[inline(always)]
fn value_at(line: &str, at: usize) -> &str {
    let v = &line[at..];
    v.strip_prefix(' ').unwrap_or(v)
}

/// Grows `buf` to hold `need` bytes, doubling as usual but never past `limit`, so that
/// capacity, not only length, stays within the limit.
#[inline]
fn reserve_bounded(buf: &mut String, need: usize, limit: usize) {
    if need > buf.capacity() {
        let target = need.max(buf.capacity().saturating_mul(2).min(limit));
        buf.reserve_exact(target - buf.len());
    }
}

#[inline]
fn push_bounded(buf: &mut String, s: &str, limit: usize) {
    reserve_bounded(buf, buf.len() + s.len(), limit);
    buf.push_str(s);
}

/// [`push_bounded`] for bytes.
fn extend_bounded(buf: &mut Vec<u8>, bytes: &[u8], limit: usize) {
    let need = buf.len() + bytes.len();
    if need > buf.capacity() {
        let target = need.max(buf.capacity().saturating_mul(2).min(limit));
        buf.reserve_exact(target - buf.len());
    }
    buf.extend_from_slice(bytes);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(event: &str, data: &str, id: Option<&str>) -> OwnedSseItem {
        OwnedSseItem::Event(SseEventOwned {
            event: event.to_owned(),
            data: data.to_owned(),
            id: id.map(str::to_owned),
        })
    }

    fn decode_chunks(dec: &mut SseDecoder, chunks: &[&[u8]]) -> Vec<OwnedSseItem> {
        chunks.iter().flat_map(|c| dec.feed(c)).collect()
    }

    fn bytewise(dec: &mut SseDecoder, input: &[u8]) -> Vec<OwnedSseItem> {
        input.iter().flat_map(|b| dec.feed(&[*b])).collect()
    }

    #[test]
    fn cr_at_chunk_end_lf_at_next_start() {
        let mut dec = SseDecoder::new();
        let items = decode_chunks(&mut dec, &[b"data: a\r", b"\ndata: b\r", b"\n\r", b"\n"]);
        assert_eq!(items, [ev("message", "a\nb", None)]);
        // CR then a non-LF byte in the next chunk is still a line end.
        let items = decode_chunks(&mut dec, &[b"data: c\r", b"\r"]);
        assert_eq!(items, [ev("message", "c", None)]);
        // A lone pending CR survives an empty chunk.
        let items = decode_chunks(&mut dec, &[b"data: d\r", b"", b"\n", b"\n"]);
        assert_eq!(items, [ev("message", "d", None)]);
    }

    #[test]
    fn bom_split_across_chunks() {
        let input = "\u{feff}data: x\n\n".as_bytes();
        let expected = [ev("message", "x", None)];
        assert_eq!(bytewise(&mut SseDecoder::new(), input), expected);
        let mut dec = SseDecoder::new();
        assert_eq!(
            decode_chunks(&mut dec, &[&input[..2], &input[2..]]),
            expected
        );
        let mut dec = SseDecoder::new();
        assert_eq!(
            decode_chunks(&mut dec, &[&input[..1], b"", &input[1..3], &input[3..]]),
            expected
        );
    }

    #[test]
    fn bom_only_at_stream_start() {
        // A second BOM is part of the field name, so the line is an unknown field.
        let input = "\u{feff}\u{feff}data: x\n\ndata: \u{feff}y\n\n".as_bytes();
        let expected = [ev("message", "\u{feff}y", None)];
        assert_eq!(SseDecoder::new().feed(input), expected);
        assert_eq!(bytewise(&mut SseDecoder::new(), input), expected);
        // A BOM prefix that turns out not to be one is content (decoded lossily).
        let mut dec = SseDecoder::new();
        let items = decode_chunks(&mut dec, &[b"\xEF\xBB", b"x\n", b"data: z\n\n"]);
        assert_eq!(items, [ev("message", "z", None)]);
        let mut dec = SseDecoder::new();
        let items = decode_chunks(&mut dec, &[b"\xEF", b"data: z\n\n"]);
        assert_eq!(items, []);
        let mut dec = SseDecoder::new();
        let items = decode_chunks(&mut dec, &[b":\xEF", b"\xBB!\n"]);
        assert_eq!(items, [OwnedSseItem::Comment("\u{fffd}!".to_owned())]);
    }

    #[test]
    fn invalid_utf8_becomes_replacement() {
        let input: &[u8] = b"data: a\xFFb\ndata: \xE2\x82\n: c\xC3\n\ndata: ok\n\n";
        let expected = [
            OwnedSseItem::Comment("c\u{fffd}".to_owned()),
            ev("message", "a\u{fffd}b\n\u{fffd}", None),
            ev("message", "ok", None),
        ];
        assert_eq!(SseDecoder::new().feed(input), expected);
        assert_eq!(bytewise(&mut SseDecoder::new(), input), expected);
        for split in 0..=input.len() {
            let mut dec = SseDecoder::new();
            assert_eq!(
                decode_chunks(&mut dec, &[&input[..split], &input[split..]]),
                expected,
                "split at {split}"
            );
        }
        // A character split across chunks is not invalid.
        let mut dec = SseDecoder::new();
        let items = decode_chunks(&mut dec, &[b"data: \xC3", b"\xA9\n\n"]);
        assert_eq!(items, [ev("message", "\u{e9}", None)]);
    }

    #[test]
    fn line_too_long_then_recovery() {
        let config = SseConfig::new().with_max_line_len(16);
        let long = format!("data: {}\n", "x".repeat(40));
        let input = format!("data: kept\n{long}data: dropped\n\ndata: next\n\n");
        let expected = [
            OwnedSseItem::Error(SseError::LineTooLong { limit: 16 }),
            ev("message", "next", None),
        ];
        assert_eq!(
            SseDecoder::with_config(config).feed(input.as_bytes()),
            expected
        );
        let mut dec = SseDecoder::with_config(config);
        assert_eq!(bytewise(&mut dec, input.as_bytes()), expected);
        // Exactly at the limit is fine.
        let mut dec = SseDecoder::with_config(config);
        let exact = format!("data: {}\n\n", "y".repeat(10));
        assert_eq!(
            dec.feed(exact.as_bytes()),
            [ev("message", &"y".repeat(10), None)]
        );
    }

    #[test]
    fn event_too_large_then_recovery() {
        let config = SseConfig::new().with_max_event_size(25);
        let many = "data: 0123456789\n".repeat(5);
        let input = format!("data: a\n\n{many}id: 9\n: c\n\ndata: b\n\n");
        let expected = [
            ev("message", "a", None),
            OwnedSseItem::Error(SseError::EventTooLarge { limit: 25 }),
            ev("message", "b", None),
        ];
        assert_eq!(
            SseDecoder::with_config(config).feed(input.as_bytes()),
            expected
        );
        let mut dec = SseDecoder::with_config(config);
        assert_eq!(bytewise(&mut dec, input.as_bytes()), expected);
        // Two lines of ten plus the joining LF: 21 bytes, fits.
        let mut dec = SseDecoder::with_config(config);
        let ok = "data: 0123456789\n".repeat(2) + "\n";
        assert_eq!(
            dec.feed(ok.as_bytes()),
            [ev("message", "0123456789\n0123456789", None)]
        );
    }

    #[test]
    fn error_does_not_lose_later_events_in_chunk() {
        let config = SseConfig::new().with_max_line_len(8);
        let input = b"data: 123456789\n\ndata: a\n\n: hi\n";
        let mut seen = Vec::new();
        SseDecoder::with_config(config).feed_with(input, |item| seen.push(item.into_owned()));
        assert_eq!(
            seen,
            [
                OwnedSseItem::Error(SseError::LineTooLong { limit: 8 }),
                ev("message", "a", None),
                OwnedSseItem::Comment("hi".to_owned()),
            ]
        );
    }

    #[test]
    fn memory_bounded_after_oversized_line() {
        let limit = 1000;
        let config = SseConfig::new()
            .with_max_line_len(limit)
            .with_max_event_size(limit);
        let mut dec = SseDecoder::with_config(config);
        let chunk = vec![b'a'; 4096];
        let mut errors = 0;
        for _ in 0..100 {
            dec.feed_with(&chunk, |item| {
                assert!(matches!(item, SseItem::Error(SseError::LineTooLong { .. })));
                errors += 1;
            });
            assert!(dec.line.capacity() <= limit);
            assert!(dec.buffer_capacity() <= 3 * limit + limit);
        }
        assert_eq!(errors, 1);
        // The oversized line ends, then the blank line ends its event.
        assert_eq!(dec.feed(b"\n\n"), []);
        // Big data and ids up to the limits keep the capacity bounded too.
        let line = format!("data: {}\n", "d".repeat(limit - 6));
        let id = format!("id: {}\n", "i".repeat(limit - 4));
        for piece in line.as_bytes().chunks(7) {
            dec.feed_with(piece, |_| {});
        }
        assert_eq!(dec.feed(b"\n").len(), 1);
        dec.feed_with(id.as_bytes(), |_| {});
        for _ in 0..50 {
            dec.feed_with(b"data: 0123456789\n", |_| {});
        }
        assert!(
            dec.buffer_capacity() <= 4 * limit,
            "{}",
            dec.buffer_capacity()
        );
        assert!(dec.data.capacity() <= limit);
        assert!(dec.line.capacity() <= limit);
    }

    #[test]
    fn finish_reports_pending() {
        let mut dec = SseDecoder::new();
        assert_eq!(
            dec.feed(b"data: done\n\ndata: partial\n"),
            [ev("message", "done", None)]
        );
        let end = dec.finish();
        assert!(end.pending_event && !end.partial_line && end.is_truncated());

        assert_eq!(dec.feed(b"data: x\n\nda"), [ev("message", "x", None)]);
        let end = dec.finish();
        assert!(end.partial_line && !end.pending_event);

        assert_eq!(dec.feed(b"data: y\n\n"), [ev("message", "y", None)]);
        assert!(!dec.finish().is_truncated());

        // A held-back BOM prefix is a partial line; a fresh stream accepts a BOM again.
        dec.feed_with(b"\xEF\xBB", |_| {});
        assert!(dec.finish().partial_line);
        assert_eq!(
            dec.feed("\u{feff}data: z\n\n".as_bytes()),
            [ev("message", "z", None)]
        );
        assert_eq!(dec.finish(), SseFinish::default());
    }

    #[test]
    fn finish_keeps_last_event_id_reset_clears_it() {
        let mut dec = SseDecoder::new();
        let _ = dec.feed(b"id: 7\ndata: a\n\n");
        let _ = dec.finish();
        assert_eq!(dec.last_event_id(), Some("7"));
        assert_eq!(dec.feed(b"data: b\n\n"), [ev("message", "b", Some("7"))]);
        dec.reset();
        assert_eq!(dec.last_event_id(), None);
        assert_eq!(dec.feed(b"data: c\n\n"), [ev("message", "c", None)]);
    }

    #[test]
    fn retry_only_digits() {
        let input = b"retry: 10\nretry: -1\nretry: 1 \nretry:  5\nretry: 99999999999999999999999\nretry: 0\nretry\n\n";
        let expected = [
            OwnedSseItem::Retry(10),
            OwnedSseItem::Retry(u64::MAX),
            OwnedSseItem::Retry(0),
        ];
        assert_eq!(SseDecoder::new().feed(input), expected);
    }

    #[test]
    fn data_borrowed_from_chunk_or_buffer() {
        let chunk = b"event: e\ndata: single\n\n";
        let range = chunk.as_ptr_range();
        let mut dec = SseDecoder::new();
        let mut n = 0;
        dec.feed_with(chunk, |item| {
            let SseItem::Event(e) = item else {
                panic!("expected an event")
            };
            assert!(range.contains(&e.data.as_ptr()));
            assert!(range.contains(&e.event.as_ptr()));
            n += 1;
        });
        // Pending across chunks: the event type and data move to the decoder's buffers.
        dec.feed_with(b"event: e2\ndata: x", |_| unreachable!());
        dec.feed_with(b"y\n\n", |item| {
            assert_eq!(
                item,
                SseItem::Event(SseEvent {
                    event: "e2",
                    data: "xy",
                    id: None
                })
            );
            n += 1;
        });
        assert_eq!(n, 2);
    }
}
