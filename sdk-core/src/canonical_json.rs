//! Canonical JSON, byte for byte what the service hashes for `x-olumi-response-hash`.
//!
//! The service computes `JSON.stringify(canonicalize(JSON.parse(body)))`, where `canonicalize`
//! rebuilds every object with its keys sorted by JavaScript's default sort. Reproducing that
//! exactly means reproducing four JavaScript behaviours, not just "sorted keys":
//!
//! - **Key order.** Keys sort by UTF-16 code units, so a character above U+FFFF (a surrogate
//!   pair, D800–DBFF first) sorts *below* U+E000..U+FFFF. Then the engine's own property order
//!   applies: keys that are array indices (`"0"` to `"4294967294"`, no leading zeros) come first
//!   in numeric order. A key `__proto__` vanishes (assigning it sets the prototype) and the last
//!   of duplicate keys wins.
//! - **Numbers** are IEEE-754 doubles printed by `Number.prototype.toString` (`5.0` -> `5`,
//!   `-0` -> `0`, `1e21` -> `1e+21`); a literal that overflows to infinity prints as `null`.
//! - **Strings** are escaped only where `JSON.stringify` escapes: `"`, `\`, control characters
//!   and lone surrogates. Everything else, `/` and U+2028 included, is emitted raw.
//! - **Lone surrogates** such as `"\ud800"` are valid JSON and survive the round trip, which is
//!   why this module owns its parser: `serde_json` rejects them.
//!
//! The parser accepts only strict JSON (RFC 8259, as `JSON.parse` does) in UTF-8, and reports the
//! first problem as a [`JsonError`] carrying its byte offset. Nesting is bounded by
//! [`MAX_DEPTH`] and the parser keeps its own stack, so no input can overflow the thread's stack
//! and no input makes it panic.
//!
//! Speed matters because every response is hashed. Parsing and writing are one pass with no
//! tree: an object's members are written as they are parsed and moved only if its keys are out
//! of order. Strings without escapes are copied straight through (they need no escaping either,
//! since JSON forbids raw `"`, `\` and control characters in them), and numbers of up to 15
//! significant digits are copied without a float round trip.

use std::cmp::Ordering;
use std::fmt;
use std::ops::Range;

/// Deepest nesting of arrays and objects accepted; one more level is [`JsonError::TooDeep`].
pub const MAX_DEPTH: usize = 512;

/// Why a body is not JSON that `JSON.parse` would accept. Offsets are byte offsets into the body.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum JsonError {
    /// A byte that cannot appear at this point of the grammar.
    #[error("unexpected {} at byte {offset}, expected {expected}", ShowByte(*.found))]
    UnexpectedByte {
        /// Where the byte is.
        offset: usize,
        /// The byte found.
        found: u8,
        /// What the grammar allows here.
        expected: &'static str,
    },
    /// The body ended in the middle of a value.
    #[error("unexpected end of input at byte {offset}, expected {expected}")]
    UnexpectedEnd {
        /// The body's length.
        offset: usize,
        /// What the grammar needed next.
        expected: &'static str,
    },
    /// A backslash escape that JSON does not define, or a `\u` without four hex digits.
    #[error("invalid escape at byte {offset}: {reason}")]
    InvalidEscape {
        /// Where the backslash is.
        offset: usize,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A raw control character (below U+0020) inside a string; JSON requires it escaped.
    #[error("unescaped control character {} in a string at byte {offset}", ShowByte(*.found))]
    ControlInString {
        /// Where the character is.
        offset: usize,
        /// The character's byte.
        found: u8,
    },
    /// Bytes that are not UTF-8 inside a string.
    #[error("invalid UTF-8 at byte {offset}")]
    InvalidUtf8 {
        /// Where the first invalid sequence starts.
        offset: usize,
    },
    /// A number that breaks JSON's number grammar (leading zero, missing digits).
    #[error("invalid number at byte {offset}: {reason}")]
    InvalidNumber {
        /// Where the offending byte is.
        offset: usize,
        /// What is wrong.
        reason: &'static str,
    },
    /// Something other than whitespace after the top-level value.
    #[error("trailing data at byte {offset} after the JSON value")]
    TrailingData {
        /// Where the trailing data starts.
        offset: usize,
    },
    /// Arrays and objects nested deeper than the limit.
    #[error("nesting deeper than {limit} arrays/objects at byte {offset}")]
    TooDeep {
        /// Where the first container beyond the limit opens.
        offset: usize,
        /// The limit, [`MAX_DEPTH`].
        limit: usize,
    },
}

impl JsonError {
    /// The byte offset the error points at.
    pub fn offset(&self) -> usize {
        match *self {
            Self::UnexpectedByte { offset, .. }
            | Self::UnexpectedEnd { offset, .. }
            | Self::InvalidEscape { offset, .. }
            | Self::ControlInString { offset, .. }
            | Self::InvalidUtf8 { offset }
            | Self::InvalidNumber { offset, .. }
            | Self::TrailingData { offset }
            | Self::TooDeep { offset, .. } => offset,
        }
    }
}

/// A byte as a human reads it in an error message: `'x'` when printable ASCII, else `0x1f`.
struct ShowByte(u8);

impl fmt::Display for ShowByte {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_ascii_graphic() || self.0 == b' ' {
            write!(f, "'{}'", char::from(self.0))
        } else {
            write!(f, "byte 0x{:02x}", self.0)
        }
    }
}

/// The canonical JSON of `body`, exactly what the service hashes.
///
/// # Errors
///
/// [`JsonError`] when `body` is not strict JSON in UTF-8 or nests deeper than [`MAX_DEPTH`].
pub fn canonical_json(body: &[u8]) -> Result<String, JsonError> {
    let mut out = Vec::new();
    canonical_json_into(body, &mut out)?;
    // The writer emits validated UTF-8 input and ASCII escapes only (lone surrogates are escaped,
    // never written raw), so the lossy branch is unreachable; it exists to keep this panic-free.
    Ok(String::from_utf8(out)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
}

/// Appends the canonical JSON of `body` to `out` (the hash path: no `String` round trip).
///
/// On error `out` is left as it was.
///
/// # Errors
///
/// As [`canonical_json`].
pub fn canonical_json_into(body: &[u8], out: &mut Vec<u8>) -> Result<(), JsonError> {
    let base = out.len();
    out.reserve(body.len());
    let result = Canonicalizer::new(body, out).run();
    if result.is_err() {
        out.truncate(base);
    }
    result
}

/// A string of the input: either a span of the input (no escapes, so valid UTF-8 that needs
/// no escaping on output) or a span of [`Canonicalizer::owned`] holding its unescaped WTF-8 form.
///
/// Two plain words, the owned flag in the top bit of `start` (no buffer gets that long): with a
/// `bool` field, the padding bytes made the compiler copy results through overlapping narrow
/// loads and stores, and the store-forwarding stalls cost a fifth of the parse time.
#[derive(Debug, Clone, Copy)]
struct Str {
    start: usize,
    end: usize,
}

impl Str {
    const OWNED: usize = 1 << (usize::BITS - 1);

    fn input(start: usize, end: usize) -> Self {
        Self { start, end }
    }

    fn owned(start: usize, end: usize) -> Self {
        Self {
            start: start | Self::OWNED,
            end,
        }
    }

    fn is_owned(self) -> bool {
        self.start & Self::OWNED != 0
    }

    /// Where an owned string starts in `owned` (meaningless for an input span).
    fn owned_start(self) -> usize {
        self.start & !Self::OWNED
    }

    fn bytes<'s>(self, input: &'s [u8], owned: &'s [u8]) -> &'s [u8] {
        if self.is_owned() {
            &owned[self.owned_start()..self.end]
        } else {
            &input[self.start..self.end]
        }
    }
}

/// A member of an open object: its key, and where its `"key":value` text sits in the output.
#[derive(Debug, Clone, Copy)]
struct Member {
    key: Str,
    /// [`sort_rank`] of the key.
    rank: u64,
    start: usize,
    end: usize,
}

#[derive(Debug, Clone, Copy)]
enum Frame {
    Array,
    /// `body` is where the object's first member starts in the output; its members are
    /// `members[mark..]` and its escaped keys live in `owned[owned_mark..]`.
    Object {
        body: usize,
        mark: usize,
        owned_mark: usize,
    },
}

/// Parses and writes in one pass. Arrays and scalars go straight to the output; an object's
/// members are written in source order and, only when that is not already the canonical order,
/// rearranged when the object closes. Bodies the service sends have few keys per object and
/// shallow nesting, so moving finished text is cheaper than building a tree and walking it.
#[derive(Debug)]
struct Canonicalizer<'a, 'o> {
    input: &'a [u8],
    pos: usize,
    out: &'o mut Vec<u8>,
    /// Unescaped forms of escaped strings: the keys of open objects (a stack), then at most one
    /// string value being written.
    owned: Vec<u8>,
    /// Members of open objects, innermost last.
    members: Vec<Member>,
    stack: Vec<Frame>,
    /// The text of an object being rearranged.
    scratch: Vec<u8>,
}

const EXPECT_VALUE: &str = "a JSON value";
const EXPECT_FIRST_KEY: &str = "'\"' (an object key) or '}'";
const EXPECT_KEY: &str = "'\"' (an object key)";

impl<'a, 'o> Canonicalizer<'a, 'o> {
    fn new(input: &'a [u8], out: &'o mut Vec<u8>) -> Self {
        Self {
            input,
            pos: 0,
            out,
            owned: Vec::new(),
            members: Vec::new(),
            stack: Vec::new(),
            scratch: Vec::new(),
        }
    }

    #[inline]
    fn peek(&self) -> Option<u8> {
        self.input.get(self.pos).copied()
    }

    #[inline]
    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    fn unexpected(&self, expected: &'static str) -> JsonError {
        match self.peek() {
            Some(found) => JsonError::UnexpectedByte {
                offset: self.pos,
                found,
                expected,
            },
            None => JsonError::UnexpectedEnd {
                offset: self.pos,
                expected,
            },
        }
    }

    /// Iterative on purpose: the depth limit bounds a heap stack, so no input can exhaust the
    /// thread's stack whatever the build profile.
    fn run(mut self) -> Result<(), JsonError> {
        'value: loop {
            self.skip_ws();
            match self.peek() {
                Some(b'{') => {
                    self.open()?;
                    self.out.push(b'{');
                    self.skip_ws();
                    if self.peek() == Some(b'}') {
                        self.pos += 1;
                        self.out.push(b'}');
                    } else {
                        self.stack.push(Frame::Object {
                            body: self.out.len(),
                            mark: self.members.len(),
                            owned_mark: self.owned.len(),
                        });
                        self.begin_member(EXPECT_FIRST_KEY)?;
                        continue 'value;
                    }
                }
                Some(b'[') => {
                    self.open()?;
                    self.out.push(b'[');
                    self.skip_ws();
                    if self.peek() == Some(b']') {
                        self.pos += 1;
                        self.out.push(b']');
                    } else {
                        self.stack.push(Frame::Array);
                        continue 'value;
                    }
                }
                Some(b'"') => {
                    let s = self.parse_string()?;
                    self.write_str(s);
                    if s.is_owned() {
                        self.owned.truncate(s.owned_start());
                    }
                }
                Some(b'-' | b'0'..=b'9') => self.number()?,
                Some(b't') => self.literal(b"true", "the literal `true`")?,
                Some(b'f') => self.literal(b"false", "the literal `false`")?,
                Some(b'n') => self.literal(b"null", "the literal `null`")?,
                _ => return Err(self.unexpected(EXPECT_VALUE)),
            }
            // A value is complete: a comma asks for the next one, a closing bracket completes
            // the container, which is a value in turn.
            loop {
                let Some(&frame) = self.stack.last() else {
                    break 'value;
                };
                if let Frame::Object { .. } = frame
                    && let Some(member) = self.members.last_mut()
                {
                    member.end = self.out.len();
                }
                self.skip_ws();
                match (frame, self.peek()) {
                    (_, Some(b',')) => {
                        self.pos += 1;
                        self.out.push(b',');
                        if let Frame::Object { .. } = frame {
                            self.skip_ws();
                            self.begin_member(EXPECT_KEY)?;
                        }
                        continue 'value;
                    }
                    (Frame::Array, Some(b']')) => {
                        self.pos += 1;
                        self.stack.pop();
                        self.out.push(b']');
                    }
                    (
                        Frame::Object {
                            body,
                            mark,
                            owned_mark,
                        },
                        Some(b'}'),
                    ) => {
                        self.pos += 1;
                        self.stack.pop();
                        self.close_object(body, mark, owned_mark);
                    }
                    (Frame::Array, _) => return Err(self.unexpected("',' or ']'")),
                    (Frame::Object { .. }, _) => return Err(self.unexpected("',' or '}'")),
                }
            }
        }
        self.skip_ws();
        if self.pos < self.input.len() {
            return Err(JsonError::TrailingData { offset: self.pos });
        }
        Ok(())
    }

    /// Steps over an opening bracket after checking the depth it would reach.
    fn open(&mut self) -> Result<(), JsonError> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(JsonError::TooDeep {
                offset: self.pos,
                limit: MAX_DEPTH,
            });
        }
        self.pos += 1;
        Ok(())
    }

    /// Parses a key and its colon (leading whitespace already skipped) and writes `"key":`.
    fn begin_member(&mut self, expected: &'static str) -> Result<(), JsonError> {
        if self.peek() != Some(b'"') {
            return Err(self.unexpected(expected));
        }
        let key = self.parse_string()?;
        let start = self.out.len();
        if !key.is_owned() && self.peek() == Some(b':') {
            // Compact input: `"key":` is already its own canonical text.
            self.pos += 1;
            self.out
                .extend_from_slice(&self.input[key.start - 1..self.pos]);
        } else {
            self.skip_ws();
            if self.peek() != Some(b':') {
                return Err(self.unexpected("':'"));
            }
            self.pos += 1;
            self.write_str(key);
            self.out.push(b':');
        }
        let rank = sort_rank(key.bytes(self.input, &self.owned));
        self.members.push(Member {
            key,
            rank,
            start,
            end: start,
        });
        Ok(())
    }

    fn literal(&mut self, word: &'static [u8], expected: &'static str) -> Result<(), JsonError> {
        for &want in word {
            if self.peek() != Some(want) {
                return Err(self.unexpected(expected));
            }
            self.pos += 1;
        }
        self.out.extend_from_slice(word);
        Ok(())
    }

    fn write_str(&mut self, s: Str) {
        if s.is_owned() {
            self.out.push(b'"');
            write_escaped(&self.owned[s.owned_start()..s.end], self.out);
            self.out.push(b'"');
        } else {
            // No escapes in the source means no `"`, `\`, control character or surrogate: what
            // JSON.stringify prints is the source text, quotes included.
            self.out
                .extend_from_slice(&self.input[s.start - 1..s.end + 1]);
        }
    }

    /// Puts the members of the object just closed into canonical order: array-index keys
    /// first, then UTF-16 order, the last of duplicate keys only, no `__proto__`.
    fn close_object(&mut self, body: usize, mark: usize, owned_mark: usize) {
        let Self {
            input,
            out,
            owned,
            members,
            scratch,
            ..
        } = self;
        let (input, owned): (&[u8], &[u8]) = (input, owned);
        let key = |m: &Member| m.key.bytes(input, owned);
        let order = |a: &Member, b: &Member| {
            if a.rank != b.rank && a.rank != NO_RANK && b.rank != NO_RANK {
                a.rank.cmp(&b.rank)
            } else {
                compare_keys(key(a), key(b))
            }
        };
        let is_proto = |m: &Member| m.rank == PROTO_RANK && key(m) == b"__proto__";
        let fresh = &mut members[mark..];
        let canonical =
            fresh.windows(2).all(|w| order(&w[0], &w[1]).is_lt()) && !fresh.iter().any(is_proto);
        if !canonical {
            // Stable, so duplicates stay in source order and the last of each run wins.
            fresh.sort_by(order);
            // The members are rebuilt in `scratch`. When the text before the object is shorter
            // than the object (the top-level object, typically), the whole output is rebuilt
            // there and the buffers swapped: one copy of the object instead of two.
            let whole = body < out.len() - body;
            scratch.clear();
            scratch.reserve(if whole {
                out.capacity()
            } else {
                out.len() - body
            });
            if whole {
                scratch.extend_from_slice(&out[..body]);
            }
            let mut first = true;
            let mut iter = fresh.iter().peekable();
            while let Some(m) = iter.next() {
                let duplicate = iter
                    .peek()
                    .is_some_and(|next| next.rank == m.rank && key(next) == key(m));
                if duplicate || is_proto(m) {
                    continue;
                }
                if !first {
                    scratch.push(b',');
                }
                first = false;
                scratch.extend_from_slice(&out[m.start..m.end]);
            }
            if whole {
                std::mem::swap(&mut **out, scratch);
            } else {
                out.truncate(body);
                out.extend_from_slice(scratch);
            }
        }
        out.push(b'}');
        members.truncate(mark);
        self.owned.truncate(owned_mark);
    }

    /// A string starting at the opening quote under `self.pos`.
    ///
    /// Inlined so the common result (a span of the input) stays in registers: returned through
    /// memory, the caller's wide reload of it stalled on store forwarding.
    #[inline(always)]
    fn parse_string(&mut self) -> Result<Str, JsonError> {
        let start = self.pos + 1;
        let mut non_ascii = false;
        let end = scan_string(self.input, start, &mut non_ascii);
        if self.input.get(end) != Some(&b'"') {
            return self.parse_string_slow(start, end, non_ascii);
        }
        if non_ascii {
            validate_utf8(&self.input[start..end], start)?;
        }
        self.pos = end + 1;
        Ok(Str::input(start, end))
    }

    /// The rest of a string that has escapes (or errors), from its first stop at `i`.
    #[cold]
    fn parse_string_slow(
        &mut self,
        start: usize,
        mut i: usize,
        mut non_ascii: bool,
    ) -> Result<Str, JsonError> {
        let owned_start = self.owned.len();
        let mut copied = start;
        loop {
            match self.input.get(i) {
                Some(b'"') => break,
                Some(b'\\') => {
                    self.owned.extend_from_slice(&self.input[copied..i]);
                    i = self.parse_escape(i)?;
                    copied = i;
                }
                Some(&found) => return Err(JsonError::ControlInString { offset: i, found }),
                None => {
                    return Err(JsonError::UnexpectedEnd {
                        offset: i,
                        expected: "'\"' closing the string",
                    });
                }
            }
            i = scan_string(self.input, i, &mut non_ascii);
        }
        if non_ascii {
            // Escapes are ASCII, so validating the raw span covers every copied segment too.
            validate_utf8(&self.input[start..i], start)?;
        }
        self.owned.extend_from_slice(&self.input[copied..i]);
        self.pos = i + 1;
        Ok(Str::owned(owned_start, self.owned.len()))
    }

    /// Unescapes the escape at `at` (a backslash) into `owned`; returns the index after it.
    fn parse_escape(&mut self, at: usize) -> Result<usize, JsonError> {
        let simple = match self.input.get(at + 1) {
            Some(b'"') => b'"',
            Some(b'\\') => b'\\',
            Some(b'/') => b'/',
            Some(b'b') => 0x08,
            Some(b'f') => 0x0c,
            Some(b'n') => b'\n',
            Some(b'r') => b'\r',
            Some(b't') => b'\t',
            Some(b'u') => return self.parse_unicode_escape(at),
            Some(_) => {
                return Err(JsonError::InvalidEscape {
                    offset: at,
                    reason: "expected one of \" \\ / b f n r t u after '\\'",
                });
            }
            None => {
                return Err(JsonError::UnexpectedEnd {
                    offset: at + 1,
                    expected: "an escape character after '\\'",
                });
            }
        };
        self.owned.push(simple);
        Ok(at + 2)
    }

    fn parse_unicode_escape(&mut self, at: usize) -> Result<usize, JsonError> {
        let unit = self.hex4(at)?;
        if (0xd800..0xdc00).contains(&unit)
            && self.input.get(at + 6..at + 8) == Some(b"\\u")
            && let Some(low) = hex4_at(self.input, at + 8)
            && (0xdc00..0xe000).contains(&low)
        {
            let c = 0x10000 + ((u32::from(unit) - 0xd800) << 10) + (u32::from(low) - 0xdc00);
            push_code_point(&mut self.owned, c);
            return Ok(at + 12);
        }
        // A lone surrogate is kept as its 3-byte generalized UTF-8 (WTF-8) form, so that it
        // sorts and prints as the single UTF-16 unit JavaScript holds.
        push_code_point(&mut self.owned, u32::from(unit));
        Ok(at + 6)
    }

    /// The four hex digits after the `\u` at `at`.
    fn hex4(&self, at: usize) -> Result<u16, JsonError> {
        if let Some(unit) = hex4_at(self.input, at + 2) {
            return Ok(unit);
        }
        let digits = self.input.get(at + 2..).unwrap_or_default();
        if digits.len() < 4 && digits.iter().all(u8::is_ascii_hexdigit) {
            return Err(JsonError::UnexpectedEnd {
                offset: self.input.len(),
                expected: "four hex digits after '\\u'",
            });
        }
        Err(JsonError::InvalidEscape {
            offset: at,
            reason: "'\\u' needs four hex digits",
        })
    }

    /// Parses the number under `self.pos` and writes it as JavaScript prints it.
    fn number(&mut self) -> Result<(), JsonError> {
        let input = self.input;
        let start = self.pos;
        let mut i = start;
        let negative = input.get(i) == Some(&b'-');
        if negative {
            i += 1;
        }
        match input.get(i) {
            Some(b'0') => {
                i += 1;
                if input.get(i).is_some_and(u8::is_ascii_digit) {
                    return Err(JsonError::InvalidNumber {
                        offset: i,
                        reason: "leading zeros are not allowed",
                    });
                }
            }
            Some(b'1'..=b'9') => i = skip_digits(input, i + 1),
            _ => return Err(number_needs_digit(input, i, "expected a digit after '-'")),
        }
        let int_end = i;
        let mut fraction = None;
        if input.get(i) == Some(&b'.') {
            i += 1;
            if !input.get(i).is_some_and(u8::is_ascii_digit) {
                return Err(number_needs_digit(input, i, "expected a digit after '.'"));
            }
            let digits = i;
            i = skip_digits(input, i);
            fraction = Some(digits..i);
        }
        let mut exponent = false;
        if let Some(b'e' | b'E') = input.get(i) {
            exponent = true;
            i += 1;
            if let Some(b'+' | b'-') = input.get(i) {
                i += 1;
            }
            if !input.get(i).is_some_and(u8::is_ascii_digit) {
                return Err(number_needs_digit(
                    input,
                    i,
                    "expected a digit in the exponent",
                ));
            }
            i = skip_digits(input, i);
        }
        self.pos = i;
        let int_start = start + usize::from(negative);
        if !exponent && let Some(end) = verbatim_end(input, negative, int_start..int_end, fraction)
        {
            self.out.extend_from_slice(&input[start..end]);
            return Ok(());
        }
        // The span is ASCII and matches JSON's number grammar, a subset of what `f64::from_str`
        // accepts, so neither step fails; the errors keep this function panic-free regardless.
        let invalid = JsonError::InvalidNumber {
            offset: start,
            reason: "not a number",
        };
        let text = std::str::from_utf8(&input[start..i]).map_err(|_| invalid.clone())?;
        let value = text.parse::<f64>().map_err(|_| invalid)?;
        if value.is_finite() {
            self.out
                .extend_from_slice(ryu_js::Buffer::new().format_finite(value).as_bytes());
        } else {
            // JSON.stringify prints a non-finite number (a literal beyond f64::MAX) as null.
            self.out.extend_from_slice(b"null");
        }
        Ok(())
    }
}

/// Where JavaScript's form of a number without exponent ends, when that form is the literal
/// itself minus trailing fraction zeros (and the '.' if no digit is left after it), which skips
/// a float round trip.
///
/// That holds for nonzero values with at most 15 significant digits, printed in fixed notation
/// (10^-6 <= |v| < 10^21): a decimal of at most 15 digits survives the trip to a double and
/// back (DBL_DIG), so the shortest round-trip digits, which JavaScript prints, are its own.
fn verbatim_end(
    input: &[u8],
    negative: bool,
    int: Range<usize>,
    fraction: Option<Range<usize>>,
) -> Option<usize> {
    let int_digits = &input[int.clone()];
    let int_is_zero = int_digits == b"0";
    let Some(fraction) = fraction else {
        return (int_digits.len() <= 15 && !(negative && int_is_zero)).then_some(int.end);
    };
    let digits = &input[fraction.clone()];
    let kept = digits.len() - digits.iter().rev().take_while(|&&d| d == b'0').count();
    let significant = if int_is_zero {
        let leading_zeros = digits.iter().take_while(|&&d| d == b'0').count();
        if kept == 0 || leading_zeros > 5 {
            // Zero (printed "0") or below 10^-6 (printed with an exponent).
            return None;
        }
        kept - leading_zeros
    } else {
        int_digits.len() + kept
    };
    (significant <= 15).then_some(if kept == 0 {
        int.end
    } else {
        fraction.start + kept
    })
}

/// Checks the raw bytes of a string found at `offset` in the input.
fn validate_utf8(bytes: &[u8], offset: usize) -> Result<(), JsonError> {
    simdutf8::compat::from_utf8(bytes)
        .map(drop)
        .map_err(|e| JsonError::InvalidUtf8 {
            offset: offset + e.valid_up_to(),
        })
}

fn skip_digits(input: &[u8], mut i: usize) -> usize {
    while input.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    i
}

fn number_needs_digit(input: &[u8], i: usize, reason: &'static str) -> JsonError {
    if i < input.len() {
        JsonError::InvalidNumber { offset: i, reason }
    } else {
        JsonError::UnexpectedEnd {
            offset: i,
            expected: "a digit",
        }
    }
}

fn hex4_at(input: &[u8], at: usize) -> Option<u16> {
    let digits = input.get(at..at + 4)?;
    digits.iter().try_fold(0u16, |acc, &d| {
        let v = char::from(d).to_digit(16)?;
        Some(acc << 4 | v as u16)
    })
}

/// Appends `c` as UTF-8, or, for a surrogate, as the same 3-byte pattern (WTF-8).
fn push_code_point(out: &mut Vec<u8>, c: u32) {
    // Truncating casts are intended: each byte keeps only its masked bits.
    match c {
        0..=0x7f => out.push(c as u8),
        0x80..=0x7ff => out.extend_from_slice(&[0xc0 | (c >> 6) as u8, 0x80 | (c & 0x3f) as u8]),
        0x800..=0xffff => out.extend_from_slice(&[
            0xe0 | (c >> 12) as u8,
            0x80 | ((c >> 6) & 0x3f) as u8,
            0x80 | (c & 0x3f) as u8,
        ]),
        _ => out.extend_from_slice(&[
            0xf0 | (c >> 18) as u8,
            0x80 | ((c >> 12) & 0x3f) as u8,
            0x80 | ((c >> 6) & 0x3f) as u8,
            0x80 | (c & 0x3f) as u8,
        ]),
    }
}

/// Index of the first `"`, `\` or control byte at or after `i` (or `input.len()`), eight bytes
/// at a time. Sets `non_ascii` if any byte looked at has its high bit set (possibly beyond the
/// result: the flag only decides whether to run UTF-8 validation, so over-reporting is harmless).
#[inline]
fn scan_string(input: &[u8], mut i: usize, non_ascii: &mut bool) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut seen = 0u64;
    while let Some(chunk) = input.get(i..).and_then(<[u8]>::first_chunk::<8>) {
        let word = u64::from_le_bytes(*chunk);
        seen |= word;
        let quote = word ^ (ONES * u64::from(b'"'));
        let backslash = word ^ (ONES * u64::from(b'\\'));
        // Classic "has zero byte" / "has byte less than n" tests. Borrows can flag bytes above
        // a real hit, never below one, so the lowest flagged byte is exact.
        let hits = (quote.wrapping_sub(ONES) & !quote
            | backslash.wrapping_sub(ONES) & !backslash
            | word.wrapping_sub(ONES * 0x20) & !word)
            & HIGH;
        if hits != 0 {
            *non_ascii |= seen & HIGH != 0;
            return i + (hits.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    *non_ascii |= seen & HIGH != 0;
    while let Some(&b) = input.get(i) {
        if b == b'"' || b == b'\\' || b < 0x20 {
            break;
        }
        *non_ascii |= b >= 0x80;
        i += 1;
    }
    i
}

/// JavaScript's property order for the sorted keys: array indices first, numerically, then the
/// rest by UTF-16 code units.
#[inline]
fn compare_keys(a: &[u8], b: &[u8]) -> Ordering {
    // Most keys differ in an ASCII first byte; a digit there may start an array index.
    if let (Some(&x), Some(&y)) = (a.first(), b.first())
        && x != y
        && x < 0x80
        && y < 0x80
        && !x.is_ascii_digit()
        && !y.is_ascii_digit()
    {
        return x.cmp(&y);
    }
    compare_keys_in_full(a, b)
}

fn compare_keys_in_full(a: &[u8], b: &[u8]) -> Ordering {
    match (array_index(a), array_index(b)) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => compare_utf16(a, b),
    }
}

/// A number that orders keys as [`compare_keys`] does whenever two keys' numbers differ and
/// neither is [`NO_RANK`]; equal numbers decide nothing. Sorting compares these first, so most
/// comparisons are one integer comparison.
///
/// An array index ranks as itself (below 2^32). A key whose first seven bytes are ASCII ranks
/// above 2^63 by those bytes (zero-padded, big-endian; ASCII order is UTF-16 order), then by
/// its length capped at 8: a shorter key with the same padded bytes is a prefix of the longer.
/// Other keys get [`NO_RANK`].
fn sort_rank(key: &[u8]) -> u64 {
    if let Some(index) = array_index(key) {
        return u64::from(index);
    }
    // Built in a register: assembling it in a byte array and reloading it as a word stalled on
    // store forwarding.
    let mut head = 0u64;
    for (i, &b) in key.iter().take(7).enumerate() {
        head |= u64::from(b) << (56 - 8 * i);
    }
    if head & 0x8080_8080_8080_8000 != 0 {
        return NO_RANK;
    }
    1 << 63 | head | key.len().min(8) as u64
}

/// The rank of keys that [`sort_rank`] cannot order.
const NO_RANK: u64 = u64::MAX;

/// `sort_rank(b"__proto__")`, to find that key without comparing bytes.
const PROTO_RANK: u64 = 1 << 63 | u64::from_be_bytes(*b"__proto\x08");

/// The key as an array index: a canonical decimal from 0 to 2^32 - 2.
fn array_index(key: &[u8]) -> Option<u32> {
    match key {
        [b'0'] => Some(0),
        [b'1'..=b'9', rest @ ..] if rest.len() <= 9 && rest.iter().all(u8::is_ascii_digit) => {
            let n = key
                .iter()
                .fold(0u64, |acc, &d| acc * 10 + u64::from(d - b'0'));
            u32::try_from(n).ok().filter(|&n| n != u32::MAX)
        }
        _ => None,
    }
}

/// Orders two WTF-8 strings as JavaScript orders their UTF-16 forms.
fn compare_utf16(a: &[u8], b: &[u8]) -> Ordering {
    let Some(i) = a.iter().zip(b).position(|(x, y)| x != y) else {
        return a.len().cmp(&b.len());
    };
    // An ASCII byte at the first difference sits on a character boundary in both strings and
    // is below every unit of any longer character, so byte order is UTF-16 order.
    if a[i] < 0x80 || b[i] < 0x80 {
        return a[i].cmp(&b[i]);
    }
    // Byte order is code point order, which differs from UTF-16 order only above U+FFFF:
    // compare units from the start of the differing character.
    let mut boundary = i;
    while boundary > 0 && a[boundary] & 0xc0 == 0x80 {
        boundary -= 1;
    }
    Utf16Units::new(&a[boundary..]).cmp(Utf16Units::new(&b[boundary..]))
}

/// The UTF-16 code units of a WTF-8 string.
#[derive(Debug)]
struct Utf16Units<'a> {
    bytes: &'a [u8],
    low_surrogate: Option<u16>,
}

impl<'a> Utf16Units<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Self {
            bytes,
            low_surrogate: None,
        }
    }
}

impl Iterator for Utf16Units<'_> {
    type Item = u16;

    fn next(&mut self) -> Option<u16> {
        if let Some(low) = self.low_surrogate.take() {
            return Some(low);
        }
        let (&lead, rest) = self.bytes.split_first()?;
        let width = match lead {
            0x00..=0x7f => 1,
            0x80..=0xdf => 2,
            0xe0..=0xef => 3,
            _ => 4,
        };
        let tail = rest.get(..width - 1).unwrap_or(rest);
        self.bytes = &rest[tail.len()..];
        let lead_bits = if width == 1 {
            u32::from(lead)
        } else {
            u32::from(lead) & (0x7f >> width)
        };
        let c = tail
            .iter()
            .fold(lead_bits, |acc, &b| acc << 6 | u32::from(b & 0x3f));
        match u16::try_from(c) {
            Ok(unit) => Some(unit),
            Err(_) => {
                let c = c - 0x10000;
                // Both halves fit: c < 2^20 for any 4-byte sequence the parser let through.
                self.low_surrogate = Some(0xdc00 | (c & 0x3ff) as u16);
                Some(0xd800 | ((c >> 10) & 0x3ff) as u16)
            }
        }
    }
}

/// Bytes `write_escaped` must look at: `"`, `\`, controls, and 0xED (leads U+D000..U+DFFF,
/// which includes the WTF-8 surrogates).
const NEEDS_LOOK: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = true;
        b += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table[0xed] = true;
    table
};

/// Writes a WTF-8 string with JSON.stringify's escaping.
fn write_escaped(s: &[u8], out: &mut Vec<u8>) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut copied = 0;
    let mut i = 0;
    while i < s.len() {
        let b = s[i];
        if !NEEDS_LOOK[usize::from(b)] {
            i += 1;
            continue;
        }
        let (escape, width): (&[u8], usize) = match b {
            b'"' => (b"\\\"", 1),
            b'\\' => (b"\\\\", 1),
            0x08 => (b"\\b", 1),
            0x0c => (b"\\f", 1),
            b'\n' => (b"\\n", 1),
            b'\r' => (b"\\r", 1),
            b'\t' => (b"\\t", 1),
            0x00..=0x1f => (&[], 1),
            // 0xED followed by 0xA0..0xBF is a surrogate; below that it is U+D000..U+D7FF.
            _ if s.get(i + 1).is_some_and(|&next| next >= 0xa0) => (&[], 3),
            _ => {
                i += 1;
                continue;
            }
        };
        out.extend_from_slice(&s[copied..i]);
        if !escape.is_empty() {
            out.extend_from_slice(escape);
        } else {
            let unit = if width == 1 {
                u32::from(b)
            } else {
                let tail = s.get(i + 1..i + 3).unwrap_or_default();
                tail.iter().fold(u32::from(b & 0x0f), |acc, &t| {
                    acc << 6 | u32::from(t & 0x3f)
                })
            };
            out.extend_from_slice(b"\\u");
            for shift in [12, 8, 4, 0] {
                out.push(HEX[((unit >> shift) & 0xf) as usize]);
            }
        }
        i += width;
        copied = i.min(s.len());
    }
    out.extend_from_slice(&s[copied..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(s: &str) -> String {
        canonical_json(s.as_bytes()).unwrap_or_else(|e| panic!("{s:?}: {e}"))
    }

    fn err(s: &[u8]) -> JsonError {
        match canonical_json(s) {
            Ok(c) => panic!("{:?} was accepted as {c:?}", String::from_utf8_lossy(s)),
            Err(e) => e,
        }
    }

    #[test]
    fn sorts_keys_recursively_and_keeps_array_order() {
        assert_eq!(
            canon(r#"{"b":[{"y":2,"x":1},[3,2,1]],"a":{"d":{"f":0,"e":-1}}}"#),
            r#"{"a":{"d":{"e":-1,"f":0}},"b":[{"x":1,"y":2},[3,2,1]]}"#
        );
    }

    #[test]
    fn removes_whitespace_and_keeps_scalars() {
        assert_eq!(
            canon(" \t\r\n[ true , false , null , \"x\" ] \n"),
            r#"[true,false,null,"x"]"#
        );
        assert_eq!(canon(r#""just a string""#), r#""just a string""#);
        assert_eq!(canon("7"), "7");
        assert_eq!(canon(r#"{"o":{},"a":[]}"#), r#"{"a":[],"o":{}}"#);
    }

    #[test]
    fn array_index_keys_come_first_in_numeric_order() {
        assert_eq!(
            canon(
                r#"{"b":1,"10":2,"9":3,"a":4,"01":5,"-1":6,"4294967294":7,"4294967295":8,"0":9}"#
            ),
            r#"{"0":9,"9":3,"10":2,"4294967294":7,"-1":6,"01":5,"4294967295":8,"a":4,"b":1}"#
        );
        assert_eq!(array_index(b"4294967295"), None);
        assert_eq!(array_index(b"4294967294"), Some(4_294_967_294));
        assert_eq!(array_index(b"99999999999"), None);
        assert_eq!(array_index(b"1.5"), None);
        assert_eq!(array_index(b""), None);
    }

    #[test]
    fn proto_key_disappears_even_when_escaped() {
        assert_eq!(canon(r#"{"__proto__":{"x":1},"a":1}"#), r#"{"a":1}"#);
        assert_eq!(
            canon(r#"{"\u005f_proto__":null,"__proto":2}"#),
            r#"{"__proto":2}"#
        );
        assert_eq!(canon(r#"{"a":{"__proto__":3}}"#), r#"{"a":{}}"#);
    }

    #[test]
    fn duplicate_keys_keep_the_last_value_at_every_level() {
        assert_eq!(canon(r#"{"a":1,"b":0,"a":2}"#), r#"{"a":2,"b":0}"#);
        assert_eq!(
            canon(r#"{"o":{"k":1,"k":{"z":1,"z":[2]}},"o":{"k":3,"j":{"y":1,"y":2}}}"#),
            r#"{"o":{"j":{"y":2},"k":3}}"#
        );
        // The same key spelled with an escape is the same key.
        assert_eq!(canon(r#"{"a":1,"\u0061":2}"#), r#"{"a":2}"#);
    }

    #[test]
    fn keys_sort_by_utf16_units_not_code_points() {
        assert_eq!(
            canon(r#"{"\uffff":1,"\ud83d\ude80":2,"é":3,"e":4,"E":5,"":6}"#),
            "{\"\":6,\"E\":5,\"e\":4,\"é\":3,\"🚀\":2,\"\u{ffff}\":1}"
        );
        // A lone high surrogate sorts with the pairs; a lone low one above them.
        assert_eq!(
            canon(r#"{"\udc00":1,"\ue000":2,"😀":3,"\ud83d":4,"\ud7ff":5}"#),
            "{\"\u{d7ff}\":5,\"\\ud83d\":4,\"😀\":3,\"\\udc00\":1,\"\u{e000}\":2}"
        );
        assert_eq!(
            compare_utf16("a😀".as_bytes(), "a\u{ff61}".as_bytes()),
            Ordering::Less
        );
        assert_eq!(
            compare_utf16("😀".as_bytes(), "😁".as_bytes()),
            Ordering::Less
        );
        assert_eq!(
            compare_utf16("ab".as_bytes(), "a".as_bytes()),
            Ordering::Greater
        );
        assert_eq!(
            compare_utf16("é".as_bytes(), "ê".as_bytes()),
            Ordering::Less
        );
    }

    #[test]
    fn sort_ranks_agree_with_the_full_order() {
        let keys: [&[u8]; 22] = [
            b"",
            b"a",
            b"a\0",
            b"a\0b",
            b"ab",
            b"abcdefg",
            b"abcdefgA",
            b"abcdefgZ",
            b"abcdefgAA",
            b"0",
            b"1",
            b"10",
            b"01",
            b"-1",
            b"4294967294",
            b"4294967295",
            b"__proto__",
            b"__proto",
            "é".as_bytes(),
            "\u{ffff}".as_bytes(),
            "🚀".as_bytes(),
            b"Z",
        ];
        assert_eq!(PROTO_RANK, sort_rank(b"__proto__"));
        for a in keys {
            for b in keys {
                let (ra, rb) = (sort_rank(a), sort_rank(b));
                if ra != rb && ra != NO_RANK && rb != NO_RANK {
                    assert_eq!(ra.cmp(&rb), compare_keys(a, b), "{a:?} {b:?}");
                }
            }
        }
    }

    #[test]
    fn numbers_print_as_javascript_does() {
        let cases = [
            ("5", "5"),
            ("5.0", "5"),
            ("-0", "0"),
            ("-0.0", "0"),
            ("-0e5", "0"),
            ("1e400", "null"),
            ("-1e400", "null"),
            ("1e-400", "0"),
            ("5e-324", "5e-324"),
            ("0.30000000000000004", "0.30000000000000004"),
            ("0.1", "0.1"),
            ("1e21", "1e+21"),
            ("1E21", "1e+21"),
            ("1e+21", "1e+21"),
            ("123456789012345680000", "123456789012345680000"),
            ("12345678901234567890", "12345678901234567000"),
            ("999999999999999", "999999999999999"),
            ("9007199254740993", "9007199254740992"),
            ("1e-7", "1e-7"),
            ("0.000001", "0.000001"),
            ("-2.5E-3", "-0.0025"),
            ("1.5e300", "1.5e+300"),
            ("1.7976931348623157e308", "1.7976931348623157e+308"),
            ("100e-2", "1"),
            ("-12", "-12"),
            ("2.50", "2.5"),
            ("-2.000", "-2"),
            ("0.0", "0"),
            ("-0.000", "0"),
            ("0.000001", "0.000001"),
            ("0.0000010", "0.000001"),
            ("0.0000001", "1e-7"),
            ("0.00000123", "0.00000123"),
            ("0.000000123", "1.23e-7"),
            ("123456789012345.0", "123456789012345"),
            ("123456789012345.6", "123456789012345.6"),
            ("12345678901234.56", "12345678901234.56"),
            ("0.123456789012345678", "0.12345678901234568"),
            ("999999999999999.9", "999999999999999.9"),
            ("9999999999999999", "10000000000000000"),
            ("1000000000000000000000", "1e+21"),
            ("100000000000000000000.0", "100000000000000000000"),
        ];
        for (input, want) in cases {
            assert_eq!(canon(input), want, "{input}");
            assert_eq!(canon(&format!("[{input}]")), format!("[{want}]"), "{input}");
        }
    }

    #[test]
    fn strings_escape_as_json_stringify_does() {
        assert_eq!(
            canon(r#""q\" b\\ s\/ \n\t\r\b\f \u0000\u001f\u007f\u2028\u2029 é""#),
            "\"q\\\" b\\\\ s/ \\n\\t\\r\\b\\f \\u0000\\u001f\u{7f}\u{2028}\u{2029} é\""
        );
        assert_eq!(canon(r#""\u00e9\u0041\u000B""#), "\"éA\\u000b\"");
        // Raw text without escapes is copied as is, including '/', DEL and U+2028.
        assert_eq!(canon("\"a/\u{7f}\u{2028}é\""), "\"a/\u{7f}\u{2028}é\"");
    }

    #[test]
    fn surrogates() {
        assert_eq!(canon(r#""\ud83d\ude80""#), "\"🚀\"");
        assert_eq!(canon(r#""\uD83D\uDE80""#), "\"🚀\"");
        assert_eq!(canon(r#""\ud800""#), r#""\ud800""#);
        assert_eq!(canon(r#""\udc00""#), r#""\udc00""#);
        assert_eq!(canon(r#""\uDC00x""#), r#""\udc00x""#);
        assert_eq!(canon(r#""\ude80\ud83d""#), r#""\ude80\ud83d""#);
        assert_eq!(canon(r#""\ud83d\ud83d\ude80""#), "\"\\ud83d🚀\"");
        assert_eq!(canon(r#""\ud83d\n""#), r#""\ud83d\n""#);
        // U+D7FF shares the 0xED lead byte with the surrogates but is an ordinary character.
        assert_eq!(canon(r#""\ud7ff""#), "\"\u{d7ff}\"");
    }

    #[test]
    fn long_strings_cross_the_word_scanner() {
        let text = "abcdefghij".repeat(10) + "é\\\"x" + &"klmnopq".repeat(5);
        let input = format!("{{\"{text}\":\"{text}\"}}");
        assert_eq!(canon(&input), input);
        for len in 0..40 {
            let s = "x".repeat(len);
            assert_eq!(canon(&format!("\"{s}\\n{s}\"")), format!("\"{s}\\n{s}\""));
            assert!(matches!(
                err(format!("\"{s}\u{1}\"").as_bytes()),
                JsonError::ControlInString { found: 1, offset } if offset == len + 1
            ));
        }
    }

    #[test]
    fn syntax_errors_name_what_and_where() {
        use JsonError::*;
        let exp = |e: &str| -> &'static str {
            match e {
                "v" => EXPECT_VALUE,
                "k" => EXPECT_KEY,
                "fk" => EXPECT_FIRST_KEY,
                _ => unreachable!(),
            }
        };
        let cases: Vec<(&[u8], JsonError)> = vec![
            (
                b"",
                UnexpectedEnd {
                    offset: 0,
                    expected: exp("v"),
                },
            ),
            (
                b"   ",
                UnexpectedEnd {
                    offset: 3,
                    expected: exp("v"),
                },
            ),
            (
                b"[1,]",
                UnexpectedByte {
                    offset: 3,
                    found: b']',
                    expected: exp("v"),
                },
            ),
            (
                b"{\"a\":1,}",
                UnexpectedByte {
                    offset: 7,
                    found: b'}',
                    expected: exp("k"),
                },
            ),
            (
                b"{a:1}",
                UnexpectedByte {
                    offset: 1,
                    found: b'a',
                    expected: exp("fk"),
                },
            ),
            (
                b"{\"a\" 1}",
                UnexpectedByte {
                    offset: 5,
                    found: b'1',
                    expected: "':'",
                },
            ),
            (
                b"[1 2]",
                UnexpectedByte {
                    offset: 3,
                    found: b'2',
                    expected: "',' or ']'",
                },
            ),
            (
                b"{\"a\":1 \"b\"}",
                UnexpectedByte {
                    offset: 7,
                    found: b'"',
                    expected: "',' or '}'",
                },
            ),
            (
                b"// c\n1",
                UnexpectedByte {
                    offset: 0,
                    found: b'/',
                    expected: exp("v"),
                },
            ),
            (
                b"NaN",
                UnexpectedByte {
                    offset: 0,
                    found: b'N',
                    expected: exp("v"),
                },
            ),
            (
                b"'a'",
                UnexpectedByte {
                    offset: 0,
                    found: b'\'',
                    expected: exp("v"),
                },
            ),
            (
                b"\xef\xbb\xbf1",
                UnexpectedByte {
                    offset: 0,
                    found: 0xef,
                    expected: exp("v"),
                },
            ),
            (
                b"\x0c1",
                UnexpectedByte {
                    offset: 0,
                    found: 0x0c,
                    expected: exp("v"),
                },
            ),
            (
                b"tru",
                UnexpectedEnd {
                    offset: 3,
                    expected: "the literal `true`",
                },
            ),
            (
                b"nul1",
                UnexpectedByte {
                    offset: 3,
                    found: b'1',
                    expected: "the literal `null`",
                },
            ),
            (b"1 2", TrailingData { offset: 2 }),
            (b"{}x", TrailingData { offset: 2 }),
            (
                b"01",
                InvalidNumber {
                    offset: 1,
                    reason: "leading zeros are not allowed",
                },
            ),
            (
                b"-01",
                InvalidNumber {
                    offset: 2,
                    reason: "leading zeros are not allowed",
                },
            ),
            (
                b"1.",
                UnexpectedEnd {
                    offset: 2,
                    expected: "a digit",
                },
            ),
            (
                b"1.e5",
                InvalidNumber {
                    offset: 2,
                    reason: "expected a digit after '.'",
                },
            ),
            (
                b".5",
                UnexpectedByte {
                    offset: 0,
                    found: b'.',
                    expected: exp("v"),
                },
            ),
            (
                b"+1",
                UnexpectedByte {
                    offset: 0,
                    found: b'+',
                    expected: exp("v"),
                },
            ),
            (
                b"-a",
                InvalidNumber {
                    offset: 1,
                    reason: "expected a digit after '-'",
                },
            ),
            (
                b"1e+",
                UnexpectedEnd {
                    offset: 3,
                    expected: "a digit",
                },
            ),
            (
                b"[1e]",
                InvalidNumber {
                    offset: 3,
                    reason: "expected a digit in the exponent",
                },
            ),
            (
                b"\"ab",
                UnexpectedEnd {
                    offset: 3,
                    expected: "'\"' closing the string",
                },
            ),
            (
                b"\"a\tb\"",
                ControlInString {
                    offset: 2,
                    found: b'\t',
                },
            ),
            (
                b"\"\\x\"",
                InvalidEscape {
                    offset: 1,
                    reason: "expected one of \" \\ / b f n r t u after '\\'",
                },
            ),
            (
                b"\"\\u12G4\"",
                InvalidEscape {
                    offset: 1,
                    reason: "'\\u' needs four hex digits",
                },
            ),
            (
                b"\"\\u12",
                UnexpectedEnd {
                    offset: 5,
                    expected: "four hex digits after '\\u'",
                },
            ),
            (
                b"\"\\",
                UnexpectedEnd {
                    offset: 2,
                    expected: "an escape character after '\\'",
                },
            ),
            (b"\"ab\xff\"", InvalidUtf8 { offset: 3 }),
            (b"{\"k\xc3\":1}", InvalidUtf8 { offset: 3 }),
            (b"\"\xed\xa0\x80\"", InvalidUtf8 { offset: 1 }),
            (b"\"\\n\xf0\x9f\x9a\"", InvalidUtf8 { offset: 3 }),
        ];
        for (input, want) in cases {
            let got = err(input);
            assert_eq!(got, want, "{:?}", String::from_utf8_lossy(input));
            assert_eq!(got.offset(), want.offset());
        }
    }

    #[test]
    fn error_messages_are_readable() {
        assert_eq!(
            err(b"[1,]").to_string(),
            "unexpected ']' at byte 3, expected a JSON value"
        );
        assert_eq!(
            err(b"\"a\x01\"").to_string(),
            "unescaped control character byte 0x01 in a string at byte 2"
        );
        assert_eq!(err(b"\"\xff\"").to_string(), "invalid UTF-8 at byte 1");
        assert_eq!(
            err(b"1 x").to_string(),
            "trailing data at byte 2 after the JSON value"
        );
    }

    #[test]
    fn nesting_is_bounded() {
        let ok = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert_eq!(canon(&ok), ok);
        let objects = "{\"a\":".repeat(MAX_DEPTH) + "1" + &"}".repeat(MAX_DEPTH);
        assert_eq!(canon(&objects), objects);

        // Every level rearranged, each inside a member that moves.
        let reordered =
            "{\"b\":[1,".repeat(MAX_DEPTH / 2) + "0" + &"],\"a\":0}".repeat(MAX_DEPTH / 2);
        let expected =
            "{\"a\":0,\"b\":[1,".repeat(MAX_DEPTH / 2) + "0" + &"]}".repeat(MAX_DEPTH / 2);
        assert_eq!(canon(&reordered), expected);

        let deep = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
        assert_eq!(
            err(deep.as_bytes()),
            JsonError::TooDeep {
                offset: MAX_DEPTH,
                limit: MAX_DEPTH
            }
        );
        let huge = "[{\"a\":".repeat(100_000);
        assert!(matches!(
            err(huge.as_bytes()),
            JsonError::TooDeep {
                limit: MAX_DEPTH,
                ..
            }
        ));
    }

    #[test]
    fn every_truncation_of_a_valid_document_is_an_error() {
        let doc = r#" {"a":[1,-2.5e-3,true,false,null,{"b":"x\u00e9\ud83d\ude80\"y","é":{}}],"c":[] ,"d":"🚀"} "#;
        canon(doc);
        let trimmed = doc.trim_end();
        for end in 0..trimmed.len() {
            assert!(
                canonical_json(&doc.as_bytes()[..end]).is_err(),
                "prefix {end} accepted"
            );
        }
    }

    #[test]
    fn rearranges_objects_inside_moved_and_dropped_members() {
        assert_eq!(
            canon(
                r#"{"z":{"y":{"b":1,"a":2},"x":[{"d":1,"c":2}]},"a":{"__proto__":{"q":{"s":1,"r":2}},"k":{"n":1,"m":2},"k":0}}"#
            ),
            r#"{"a":{"k":0},"z":{"x":[{"c":2,"d":1}],"y":{"a":2,"b":1}}}"#
        );
    }

    #[test]
    fn into_appends_and_leaves_output_untouched_on_error() {
        let mut out = b"prefix:".to_vec();
        canonical_json_into(br#"{"b":1,"a":2}"#, &mut out).unwrap();
        assert_eq!(out, br#"prefix:{"a":2,"b":1}"#);
        assert!(canonical_json_into(br#"{"b":1,"a":}"#, &mut out).is_err());
        assert_eq!(out, br#"prefix:{"a":2,"b":1}"#);
        // A rearranged object longer than the text before it (rebuilt whole, buffers swapped).
        canonical_json_into(br#"[{"dddddddddddddddddddddddddddddd":1,"c":2}]"#, &mut out).unwrap();
        assert_eq!(
            out,
            br#"prefix:{"a":2,"b":1}[{"c":2,"dddddddddddddddddddddddddddddd":1}]"#
        );
    }
}
