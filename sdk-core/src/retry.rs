//! The retry decision: whether a failed attempt is tried again, and after how long.
//!
//! Everything here is a pure function of its arguments. [`RetryPolicy::decide`] never sleeps,
//! never reads a clock and never draws its own random numbers: the driver passes in
//!
//! - `attempt`: how many retries it has already made for this call (0 for the first failure);
//! - the [`Outcome`] of the attempt that just failed;
//! - [`Now`]: the monotonic time elapsed since the call started (for the deadline) and the
//!   wall-clock Unix time in milliseconds (only to turn an HTTP-date `Retry-After` into a wait);
//! - a [`Jitter`] source (use [`FastrandJitter`] in production and [`FixedJitter`] in tests);
//! - optionally the client's shared [`RetryBudget`].
//!
//! It answers with a [`Decision`]: [`Decision::Retry`] with the delay to wait, or
//! [`Decision::GiveUp`] with a typed [`GiveUpReason`].
//!
//! # What is retried
//!
//! Connect errors, timeouts, connections dropped before a complete response, HTTP 408, 429 and
//! 5xx except 501, 505 and 511. Other 4xx (426 included) are final. A response-hash mismatch
//! ([`Outcome::Integrity`]) is retried at most [`RetryPolicy::max_integrity_retries`] times
//! (default once). The service's per-IP limiter answers **500** with `retry-after` and
//! `x-ratelimit-*` headers (a service bug); such a 500 is treated as a 429
//! ([`RetryReason::RateLimited`]).
//!
//! # How long to wait
//!
//! A wait requested by the server wins, read in this order (see [`server_retry_after`]):
//! `retry-after-ms`, `Retry-After` (delta-seconds or HTTP-date), the error body's
//! `details.retry_after_seconds`, and for rate-limited answers only, `x-ratelimit-reset` (seconds
//! until the window resets). A server wait is used exactly, with no jitter: the service computes
//! it from the caller's own bucket or window, and jitter above it would only spend more of the
//! deadline. A wait above [`RetryPolicy::max_retry_after`] gives up
//! ([`GiveUpReason::RetryAfterTooLong`]) instead of sleeping.
//!
//! Without a server wait, the delay is exponential backoff with full jitter: uniform in
//! `[0, min(base_delay * 2^attempt, max_delay)]`.
//!
//! ```
//! use std::time::Duration;
//! use olumi::retry::{Decision, FixedJitter, Now, Outcome, ResponseInfo, RetryPolicy, RetryReason};
//!
//! let policy = RetryPolicy::default();
//! let headers = [("retry-after", "3")];
//! let outcome = Outcome::Response(ResponseInfo::new(429).with_headers(&headers));
//! let now = Now::new(Duration::ZERO, 1_700_000_000_000);
//! let decision = policy.decide(0, &outcome, now, &mut FixedJitter(0.5), None);
//! assert_eq!(
//!     decision,
//!     Decision::Retry { delay: Duration::from_secs(3), reason: RetryReason::RateLimited { status: 429 } }
//! );
//! ```

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use serde::Deserialize;

/// Bodies at least this large are not parsed for `details.retry_after_seconds`: an error envelope
/// is a few hundred bytes, and parsing a large body on every failure would cost more than it tells.
const MAX_BODY_FOR_RETRY_HINT: usize = 64 * 1024;

/// How, how often and how long to retry. Every field is public; start from [`Default`].
///
/// ```
/// use std::time::Duration;
/// use olumi::retry::RetryPolicy;
///
/// let policy = RetryPolicy { max_retries: 4, total_deadline: Some(Duration::from_secs(30)), ..RetryPolicy::default() };
/// assert_eq!(policy.base_delay, Duration::from_millis(500));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt, so a call makes at most `max_retries + 1` requests.
    /// Default 2. Zero disables retries.
    pub max_retries: u32,
    /// How many of those retries may follow a response-hash mismatch ([`Outcome::Integrity`]).
    /// Default 1: one mismatch can be a corrupting proxy or a torn read; two in a row mean the
    /// client and the service disagree, and more attempts will not change that.
    pub max_integrity_retries: u32,
    /// Backoff before the first retry, doubled for each retry after it. Default 500 ms.
    pub base_delay: Duration,
    /// Upper bound of the backoff (before jitter). Default 8 s. Does not bound server waits.
    pub max_delay: Duration,
    /// Longest server-requested wait honoured. Default 60 s. Above it the call gives up with
    /// [`GiveUpReason::RetryAfterTooLong`] so the caller learns of the limit instead of hanging.
    pub max_retry_after: Duration,
    /// Deadline across all attempts and waits, measured from the start of the call
    /// ([`Now::elapsed`]). Default none. A retry that would start at or after it is not made
    /// ([`GiveUpReason::DeadlineExceeded`]).
    pub total_deadline: Option<Duration>,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 2,
            max_integrity_retries: 1,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
            total_deadline: None,
        }
    }
}

impl RetryPolicy {
    /// The backoff ceiling before retry number `attempt + 1`: `min(base_delay * 2^attempt, max_delay)`.
    pub fn backoff_ceiling(&self, attempt: u32) -> Duration {
        1u32.checked_shl(attempt)
            .and_then(|factor| self.base_delay.checked_mul(factor))
            .map_or(self.max_delay, |d| d.min(self.max_delay))
    }

    /// A backoff with full jitter: uniform in `[0, backoff_ceiling(attempt)]`, drawn from `jitter`.
    pub fn backoff(&self, attempt: u32, jitter: &mut dyn Jitter) -> Duration {
        self.backoff_ceiling(attempt)
            .mul_f64(unit_interval(jitter.unit()))
    }

    /// Decides what to do after a failed attempt.
    ///
    /// - `attempt`: retries already made for this call, 0 for the first failure.
    /// - `outcome`: what the failed attempt produced.
    /// - `now`: elapsed monotonic time since the call started, and wall-clock Unix milliseconds.
    /// - `jitter`: the random source for backoff (not drawn from when the server gave a wait).
    /// - `budget`: the client's shared [`RetryBudget`], if any. One token is withdrawn only when
    ///   the answer is [`Decision::Retry`]; every other check comes first, so a refused retry
    ///   costs nothing. The driver calls [`RetryBudget::on_request`] itself, once per call.
    ///
    /// Checks run in this order, and the first that fails names the [`GiveUpReason`]:
    /// retryable outcome, `max_retries`, `max_integrity_retries`, `max_retry_after`,
    /// `total_deadline`, budget.
    pub fn decide(
        &self,
        attempt: u32,
        outcome: &Outcome<'_>,
        now: Now,
        jitter: &mut dyn Jitter,
        budget: Option<&RetryBudget>,
    ) -> Decision {
        self.decide_with_server_wait(
            attempt,
            outcome,
            now,
            || match outcome {
                Outcome::Response(resp) => server_retry_after(resp, now.unix_ms),
                _ => None,
            },
            jitter,
            budget,
        )
    }

    /// [`decide`](Self::decide) with the server's wait given by the caller: the transport has
    /// already read it from the body it parsed for the error, and need not parse that body again.
    /// `server_wait` is only called once the outcome has passed the checks that come before it.
    pub(crate) fn decide_with_server_wait(
        &self,
        attempt: u32,
        outcome: &Outcome<'_>,
        now: Now,
        server_wait: impl FnOnce() -> Option<Duration>,
        jitter: &mut dyn Jitter,
        budget: Option<&RetryBudget>,
    ) -> Decision {
        let Some(reason) = outcome.retry_reason() else {
            return Decision::give_up(GiveUpReason::NotRetryable {
                status: outcome.status(),
            });
        };
        if attempt >= self.max_retries {
            return Decision::give_up(GiveUpReason::RetriesExhausted {
                attempts: attempt.saturating_add(1),
            });
        }
        if let Outcome::Integrity { previous_failures } = *outcome
            && previous_failures >= self.max_integrity_retries
        {
            return Decision::give_up(GiveUpReason::IntegrityExhausted {
                retries: previous_failures,
            });
        }
        let delay = match server_wait() {
            Some(requested) if requested > self.max_retry_after => {
                return Decision::give_up(GiveUpReason::RetryAfterTooLong {
                    requested,
                    cap: self.max_retry_after,
                });
            }
            Some(wait) => wait,
            None => self.backoff(attempt, jitter),
        };
        // `>=`: a retry that starts exactly at the deadline has no time left to get an answer.
        if let Some(deadline) = self.total_deadline
            && now.elapsed.saturating_add(delay) >= deadline
        {
            return Decision::give_up(GiveUpReason::DeadlineExceeded);
        }
        if let Some(budget) = budget
            && !budget.try_withdraw()
        {
            return Decision::give_up(GiveUpReason::BudgetExhausted);
        }
        Decision::Retry { delay, reason }
    }
}

/// The two clocks [`RetryPolicy::decide`] needs, both read by the caller.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Now {
    /// Monotonic time since the call started (just before its first attempt). Checked against
    /// [`RetryPolicy::total_deadline`]; take it from `Instant`, never from the wall clock, so a
    /// clock step cannot shorten or stretch the deadline.
    pub elapsed: Duration,
    /// Wall-clock time as milliseconds since the Unix epoch. Used only to turn an HTTP-date
    /// `Retry-After` into a wait, since that date is on the server's wall clock.
    pub unix_ms: u64,
}

impl Now {
    /// Both clocks at once.
    pub const fn new(elapsed: Duration, unix_ms: u64) -> Self {
        Self { elapsed, unix_ms }
    }
}

/// The result of a failed attempt, as [`RetryPolicy::decide`] sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome<'a> {
    /// The connection could not be made (DNS, refused, TLS handshake): the request never
    /// reached the service, so retrying is always safe.
    ConnectError,
    /// The request or a read timed out.
    Timeout,
    /// The connection broke after the request was sent and before a complete response arrived
    /// (reset, EOF before the headers or mid-body). Retried like a timeout: in both cases the
    /// service may have seen the request, and the routes retried are drafts without side effects.
    Disconnected,
    /// The response body did not match its `x-olumi-response-hash`.
    Integrity {
        /// Integrity failures this call had before this one. The caller counts them; this keeps
        /// `decide` stateless, and [`RetryPolicy::max_integrity_retries`] bounds them.
        previous_failures: u32,
    },
    /// The service answered with an unsuccessful status.
    Response(ResponseInfo<'a>),
}

impl Outcome<'_> {
    /// Why this outcome is worth retrying, or `None` if it is final whatever the policy.
    ///
    /// An error type can use this for its `is_retryable()`.
    pub fn retry_reason(&self) -> Option<RetryReason> {
        match self {
            Self::ConnectError => Some(RetryReason::ConnectError),
            Self::Timeout => Some(RetryReason::Timeout),
            Self::Disconnected => Some(RetryReason::Disconnected),
            Self::Integrity { .. } => Some(RetryReason::Integrity),
            Self::Response(resp) => resp.retry_reason(),
        }
    }

    /// The HTTP status, when there was a response.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Response(resp) => Some(resp.status),
            _ => None,
        }
    }
}

/// A borrowed view of an HTTP response: enough to classify it and find a server wait.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ResponseInfo<'a> {
    /// The HTTP status code.
    pub status: u16,
    /// Response headers as `(name, value)` pairs. Names are matched ASCII case-insensitively and
    /// the first match wins; values that are not UTF-8 can simply be left out.
    pub headers: &'a [(&'a str, &'a str)],
    /// The response body if it was read. Only parsed for 429, 500 and 503 below 64 KiB.
    pub body: Option<&'a [u8]>,
}

impl<'a> ResponseInfo<'a> {
    /// A response with this status, no headers and no body.
    pub const fn new(status: u16) -> Self {
        Self {
            status,
            headers: &[],
            body: None,
        }
    }

    /// The same response with these headers.
    pub const fn with_headers(self, headers: &'a [(&'a str, &'a str)]) -> Self {
        Self { headers, ..self }
    }

    /// The same response with this body.
    pub const fn with_body(self, body: &'a [u8]) -> Self {
        Self {
            body: Some(body),
            ..self
        }
    }

    /// The value of the first header named `name` (ASCII case-insensitive).
    pub fn header(&self, name: &str) -> Option<&'a str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|&(_, v)| v)
    }

    /// A 429, or a 500 carrying `retry-after`: the service's per-IP limiter answers 500 INTERNAL
    /// with `retry-after` and `x-ratelimit-*` (a service bug), and no real 500 carries that header.
    pub fn is_rate_limited(&self) -> bool {
        self.status == 429 || (self.status == 500 && self.header("retry-after").is_some())
    }

    fn retry_reason(&self) -> Option<RetryReason> {
        if self.is_rate_limited() {
            return Some(RetryReason::RateLimited {
                status: self.status,
            });
        }
        is_retryable_status(self.status).then_some(RetryReason::HttpStatus {
            status: self.status,
        })
    }
}

/// The one table of HTTP statuses worth retrying, whatever the headers say: 408, 429, and 5xx
/// except 501, 505 and 511. [`ResponseInfo`]'s retry reason and `ApiError::is_retryable` both
/// read it.
pub(crate) const fn is_retryable_status(status: u16) -> bool {
    match status {
        408 | 429 => true,
        // 501 Not Implemented and 505 HTTP Version Not Supported say the server lacks the
        // method or protocol; 511 Network Authentication Required waits for a person to log
        // in to a captive portal. None of them changes on a retry.
        501 | 505 | 511 => false,
        500..=599 => true,
        _ => false,
    }
}

/// The wait the server asked for, if it asked for one in a form we can read.
///
/// Signals, first readable one wins (an unreadable, negative or non-finite value is skipped):
/// 1. `retry-after-ms`: milliseconds, fractions allowed;
/// 2. `Retry-After`: delta-seconds, or an HTTP-date (IMF-fixdate, RFC 850 or asctime) taken
///    relative to `now_unix_ms`; a date in the past means no wait;
/// 3. the body's `details.retry_after_seconds` (`error.v1` and `cee.error.v1`), for 429, 500 and
///    503 with a body under 64 KiB;
/// 4. `x-ratelimit-reset` (seconds until the window resets, not a Unix time), only for a
///    rate-limited answer ([`ResponseInfo::is_rate_limited`]): every response of the service
///    carries it, so on a plain 5xx it says nothing about when to come back.
///
/// A wait too large for [`Duration`] saturates to [`Duration::MAX`].
pub fn server_retry_after(resp: &ResponseInfo<'_>, now_unix_ms: u64) -> Option<Duration> {
    server_retry_after_with(resp, now_unix_ms, || body_retry_after(resp))
}

/// [`server_retry_after`] with the body already parsed (`None` when it is not JSON), so a
/// caller that parsed it for the error does not parse it again.
pub(crate) fn server_retry_after_parsed(
    resp: &ResponseInfo<'_>,
    body: Option<&serde_json::Value>,
    now_unix_ms: u64,
) -> Option<Duration> {
    server_retry_after_with(resp, now_unix_ms, || {
        let envelope = body.and_then(|v| RetryAfterEnvelope::deserialize(v).ok());
        body_retry_after_from(resp, envelope)
    })
}

/// The signals in order; `body_wait` reads the body's, and is only called if the headers before
/// it gave none.
fn server_retry_after_with(
    resp: &ResponseInfo<'_>,
    now_unix_ms: u64,
    body_wait: impl FnOnce() -> Option<Duration>,
) -> Option<Duration> {
    resp.header("retry-after-ms")
        .and_then(|v| parse_decimal(v, 1e-3))
        .or_else(|| {
            resp.header("retry-after")
                .and_then(|v| parse_retry_after(v, now_unix_ms))
        })
        .or_else(body_wait)
        .or_else(|| {
            if resp.is_rate_limited() {
                resp.header("x-ratelimit-reset")
                    .and_then(|v| parse_decimal(v, 1.0))
            } else {
                None
            }
        })
}

/// Parses a non-negative decimal number of `unit` seconds. Rejects NaN and infinities, which
/// `f64::from_str` would otherwise accept from the words "NaN" and "inf".
fn parse_decimal(value: &str, unit: f64) -> Option<Duration> {
    let n: f64 = value.trim().parse().ok()?;
    if !n.is_finite() || n < 0.0 {
        return None;
    }
    Some(Duration::try_from_secs_f64(n * unit).unwrap_or(Duration::MAX))
}

/// `Retry-After = HTTP-date / delay-seconds` (RFC 9110 section 10.2.3).
fn parse_retry_after(value: &str, now_unix_ms: u64) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // All digits, so a parse error can only be overflow: a wait that long is "too long".
        return Some(Duration::from_secs(value.parse().unwrap_or(u64::MAX)));
    }
    let now_secs = i64::try_from(now_unix_ms / 1000).ok()?;
    let date_ms = i128::from(parse_http_date(value, now_secs)?) * 1000;
    let wait_ms = (date_ms - i128::from(now_unix_ms)).max(0);
    Some(Duration::from_millis(
        u64::try_from(wait_ms).unwrap_or(u64::MAX),
    ))
}

/// The part of an error body that carries a wait.
#[derive(Deserialize)]
struct RetryAfterEnvelope {
    details: Option<RetryAfterDetails>,
}

#[derive(Deserialize)]
struct RetryAfterDetails {
    retry_after_seconds: Option<f64>,
}

/// Whether the body of `resp` is one whose `details.retry_after_seconds` counts.
fn body_may_carry_wait(resp: &ResponseInfo<'_>) -> bool {
    matches!(resp.status, 429 | 500 | 503)
        && resp.body.is_some_and(|b| b.len() < MAX_BODY_FOR_RETRY_HINT)
}

fn body_retry_after(resp: &ResponseInfo<'_>) -> Option<Duration> {
    if !body_may_carry_wait(resp) {
        return None;
    }
    let envelope = resp
        .body
        .and_then(|b| serde_json::from_slice::<RetryAfterEnvelope>(b).ok());
    body_retry_after_from(resp, envelope)
}

fn body_retry_after_from(
    resp: &ResponseInfo<'_>,
    envelope: Option<RetryAfterEnvelope>,
) -> Option<Duration> {
    if !body_may_carry_wait(resp) {
        return None;
    }
    retry_after_seconds(envelope?.details?.retry_after_seconds?)
}

/// A `retry_after_seconds` value as a wait: `None` when negative or not finite, saturating (not
/// panicking) when a server sends something absurd like `1e300`.
pub(crate) fn retry_after_seconds(secs: f64) -> Option<Duration> {
    if !secs.is_finite() || secs < 0.0 {
        return None;
    }
    Some(Duration::try_from_secs_f64(secs).unwrap_or(Duration::MAX))
}

const SHORT_DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const LONG_DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Parses an HTTP-date into Unix seconds: IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), and the
/// obsolete RFC 850 (`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime (`Sun Nov  6 08:49:37 1994`)
/// forms that RFC 9110 says recipients must accept. `now_secs` resolves RFC 850's two-digit year.
/// The weekday must be a weekday name but is not checked against the date: it is redundant.
fn parse_http_date(s: &str, now_secs: i64) -> Option<i64> {
    let (year, month, day, time) = if let Some((weekday, rest)) = s.split_once(", ") {
        let fields: Vec<&str> = rest.split(' ').collect();
        if SHORT_DAYS.contains(&weekday) {
            let [day, month, year, time, "GMT"] = fields[..] else {
                return None;
            };
            (
                digits(year, 4, 4)?,
                month_number(month)?,
                digits(day, 2, 2)?,
                time,
            )
        } else if LONG_DAYS.contains(&weekday) {
            let [date, time, "GMT"] = fields[..] else {
                return None;
            };
            let mut parts = date.split('-');
            let (Some(day), Some(month), Some(yy), None) =
                (parts.next(), parts.next(), parts.next(), parts.next())
            else {
                return None;
            };
            (
                rfc850_year(digits(yy, 2, 2)?, now_secs),
                month_number(month)?,
                digits(day, 2, 2)?,
                time,
            )
        } else {
            return None;
        }
    } else {
        // asctime pads a one-digit day with a space, hence the whitespace split.
        let fields: Vec<&str> = s.split_ascii_whitespace().collect();
        let [weekday, month, day, time, year] = fields[..] else {
            return None;
        };
        if !SHORT_DAYS.contains(&weekday) {
            return None;
        }
        (
            digits(year, 4, 4)?,
            month_number(month)?,
            digits(day, 1, 2)?,
            time,
        )
    };
    let mut hms = time.split(':');
    let (Some(h), Some(m), Some(sec), None) = (hms.next(), hms.next(), hms.next(), hms.next())
    else {
        return None;
    };
    let (h, m, sec) = (digits(h, 2, 2)?, digits(m, 2, 2)?, digits(sec, 2, 2)?);
    // 60 is a leap second, which the grammar allows.
    if !(1..=days_in_month(year, month)).contains(&day) || h > 23 || m > 59 || sec > 60 {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400 + h * 3600 + m * 60 + sec)
}

/// A run of `min..=max` ASCII digits as a number.
fn digits(s: &str, min: usize, max: usize) -> Option<i64> {
    if !(min..=max).contains(&s.len()) || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn month_number(name: &str) -> Option<i64> {
    let index = MONTHS.iter().position(|m| *m == name)?;
    i64::try_from(index).ok().map(|i| i + 1)
}

/// RFC 9110: a two-digit year more than 50 years in the future is the most recent past year
/// with the same last two digits.
fn rfc850_year(yy: i64, now_secs: i64) -> i64 {
    let now_year = civil_year(now_secs.div_euclid(86_400));
    let year = now_year - now_year.rem_euclid(100) + yy;
    if year > now_year + 50 {
        year - 100
    } else {
        year
    }
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The year of a day counted from 1970-01-01 (the inverse of [`days_from_civil`], year only).
fn civil_year(days: i64) -> i64 {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let year = yoe + era * 400;
    // Hinnant's years start in March; January and February belong to the next civil year.
    if mp >= 10 { year + 1 } else { year }
}

/// What to do after a failed attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Wait `delay`, then send the request again.
    Retry {
        /// How long to wait before the next attempt.
        delay: Duration,
        /// Why the attempt is worth repeating.
        reason: RetryReason,
    },
    /// Stop, and report the failure to the caller.
    GiveUp {
        /// Why no further attempt is made.
        reason: GiveUpReason,
    },
}

impl Decision {
    const fn give_up(reason: GiveUpReason) -> Self {
        Self::GiveUp { reason }
    }

    /// The delay, if this is a retry.
    pub const fn delay(&self) -> Option<Duration> {
        match self {
            Self::Retry { delay, .. } => Some(*delay),
            Self::GiveUp { .. } => None,
        }
    }
}

/// Why an attempt is retried.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RetryReason {
    /// [`Outcome::ConnectError`].
    ConnectError,
    /// [`Outcome::Timeout`].
    Timeout,
    /// [`Outcome::Disconnected`].
    Disconnected,
    /// [`Outcome::Integrity`].
    Integrity,
    /// 429, or the per-IP limiter's 500 with `retry-after`.
    RateLimited {
        /// The status as sent: 429 or 500.
        status: u16,
    },
    /// 408 or a retryable 5xx.
    HttpStatus {
        /// The status.
        status: u16,
    },
}

impl fmt::Display for RetryReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ConnectError => f.write_str("connect error"),
            Self::Timeout => f.write_str("timeout"),
            Self::Disconnected => f.write_str("connection dropped before a complete response"),
            Self::Integrity => f.write_str("response hash mismatch"),
            Self::RateLimited { status } => write!(f, "rate limited (HTTP {status})"),
            Self::HttpStatus { status } => write!(f, "HTTP {status}"),
        }
    }
}

/// Why a call stops retrying.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum GiveUpReason {
    /// The outcome is final: a 4xx other than 408 and 429, a 501/505/511, or a non-error status.
    NotRetryable {
        /// The HTTP status, when there was a response.
        status: Option<u16>,
    },
    /// [`RetryPolicy::max_retries`] retries were made already.
    RetriesExhausted {
        /// Requests sent for this call, the first one included.
        attempts: u32,
    },
    /// [`RetryPolicy::max_integrity_retries`] retries after response-hash mismatches were made already.
    IntegrityExhausted {
        /// Retries already made after a mismatch.
        retries: u32,
    },
    /// The server asked for a wait longer than [`RetryPolicy::max_retry_after`].
    RetryAfterTooLong {
        /// The wait the server asked for.
        requested: Duration,
        /// The longest wait the policy honours.
        cap: Duration,
    },
    /// The next attempt would start at or after [`RetryPolicy::total_deadline`].
    DeadlineExceeded,
    /// The client's [`RetryBudget`] has no token left: too many recent calls needed retries.
    BudgetExhausted,
}

impl fmt::Display for GiveUpReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotRetryable { status: Some(s) } => write!(f, "HTTP {s} is not retryable"),
            Self::NotRetryable { status: None } => f.write_str("the error is not retryable"),
            Self::RetriesExhausted { attempts } => {
                write!(f, "gave up after {attempts} attempts")
            }
            Self::IntegrityExhausted { retries } => write!(
                f,
                "response hash still mismatched after {retries} integrity retries"
            ),
            Self::RetryAfterTooLong { requested, cap } => write!(
                f,
                "server asked to retry after {requested:?}, more than the {cap:?} allowed"
            ),
            Self::DeadlineExceeded => f.write_str("the next retry would pass the call's deadline"),
            Self::BudgetExhausted => f.write_str("the client's retry budget is exhausted"),
        }
    }
}

/// A source of uniform random numbers for backoff jitter.
///
/// Any `FnMut() -> f64` closure is a `Jitter`.
pub trait Jitter {
    /// A number in `[0, 1)`. Values above 1 count as 1, and negative or NaN values as 0, so a
    /// faulty source can never stretch a delay beyond its ceiling.
    fn unit(&mut self) -> f64;
}

impl<F: FnMut() -> f64> Jitter for F {
    fn unit(&mut self) -> f64 {
        self()
    }
}

fn unit_interval(x: f64) -> f64 {
    // `f64::clamp` would pass NaN through, and `Duration::mul_f64` panics on it.
    if x.is_nan() { 0.0 } else { x.clamp(0.0, 1.0) }
}

/// Production jitter backed by [`fastrand::Rng`]. Seedable for reproducible runs.
#[derive(Clone, Debug)]
pub struct FastrandJitter(fastrand::Rng);

impl FastrandJitter {
    /// A generator forked from fastrand's thread-local one.
    pub fn new() -> Self {
        Self(fastrand::Rng::new())
    }

    /// A generator with a fixed seed: the same seed gives the same delays.
    pub fn with_seed(seed: u64) -> Self {
        Self(fastrand::Rng::with_seed(seed))
    }
}

impl Default for FastrandJitter {
    fn default() -> Self {
        Self::new()
    }
}

impl Jitter for FastrandJitter {
    fn unit(&mut self) -> f64 {
        self.0.f64()
    }
}

/// Jitter that always returns the same number: `FixedJitter(0.0)` gives no delay and
/// `FixedJitter(1.0)` the full backoff ceiling. For tests and for callers who want no randomness.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FixedJitter(pub f64);

impl Jitter for FixedJitter {
    fn unit(&mut self) -> f64 {
        self.0
    }
}

/// Thousandths of a token: integer arithmetic keeps ten deposits of 0.1 worth exactly one retry,
/// where `f64` sums would leave 0.9999999 and refuse it.
const MILLI: u64 = 1000;

/// A client-wide token bucket that stops retry storms (the gRPC and Finagle retry budget).
///
/// Every call deposits `deposit_per_request` tokens (up to `max_tokens`) through
/// [`on_request`](Self::on_request); every retry withdraws one token through
/// [`try_withdraw`](Self::try_withdraw), and none is allowed below one token. The bucket starts
/// full, so a new client can retry at once, and in the long run retries stay below
/// `deposit_per_request` times the number of calls (10% by default), however many fail.
///
/// Thread-safe through `&self`: share it with `Arc` across a client's clones. Token counts are
/// kept in thousandths of a token.
#[derive(Debug)]
pub struct RetryBudget {
    millitokens: AtomicU64,
    max: u64,
    deposit: u64,
}

impl RetryBudget {
    /// A full budget of `max_tokens` that earns `deposit_per_request` per call. Negative or NaN
    /// arguments count as zero; a `max_tokens` below 1 allows no retry at all.
    pub fn new(max_tokens: f64, deposit_per_request: f64) -> Self {
        let max = to_millitokens(max_tokens);
        Self {
            millitokens: AtomicU64::new(max),
            max,
            deposit: to_millitokens(deposit_per_request),
        }
    }

    /// Records a new call (its first attempt, not its retries): deposits the per-request share.
    pub fn on_request(&self) {
        // Relaxed: the counter guards nothing else, and `fetch_update` keeps each update atomic.
        let _ = self
            .millitokens
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |t| {
                Some(t.saturating_add(self.deposit).min(self.max))
            });
    }

    /// Takes one token for a retry; `false` (and nothing taken) when less than one is left.
    pub fn try_withdraw(&self) -> bool {
        self.millitokens
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |t| {
                t.checked_sub(MILLI)
            })
            .is_ok()
    }

    /// Tokens left now.
    pub fn tokens(&self) -> f64 {
        from_millitokens(self.millitokens.load(Ordering::Relaxed))
    }

    /// The most tokens the bucket holds.
    pub fn max_tokens(&self) -> f64 {
        from_millitokens(self.max)
    }
}

impl Default for RetryBudget {
    /// 10 tokens, 0.1 per call: after a burst of 10 retries, one retry per 10 calls.
    fn default() -> Self {
        Self::new(10.0, 0.1)
    }
}

fn to_millitokens(tokens: f64) -> u64 {
    if tokens > 0.0 {
        // `as` saturates at u64::MAX for huge or infinite values, which is the cap we want.
        (tokens * 1000.0).round() as u64
    } else {
        0
    }
}

// Exact while the count stays below 2^53 thousandths, far above any sensible budget.
fn from_millitokens(m: u64) -> f64 {
    m as f64 / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2015-10-21T07:28:00Z, the `Retry-After` example of RFC 9110.
    const NOW_MS: u64 = 1_445_412_480_000;
    const SEC: Duration = Duration::from_secs(1);

    fn now() -> Now {
        Now::new(Duration::ZERO, NOW_MS)
    }

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn the_wait_from_a_parsed_body_is_the_wait_from_its_bytes() {
        let big = format!(
            r#"{{"details":{{"retry_after_seconds":2}},"pad":"{}"}}"#,
            "x".repeat(MAX_BODY_FOR_RETRY_HINT)
        );
        let bodies = [
            r#"{"details":{"retry_after_seconds":2.5}}"#,
            r#"{"code":"X","details":{"retry_after_seconds":-1}}"#,
            r#"{"details":{"retry_after_seconds":"2"}}"#,
            r#"{"details":null}"#,
            r#"{"error":{"code":"X","details":{"retry_after_seconds":4}}}"#,
            r#"[{"retry_after_seconds":3}]"#,
            "not json",
            "",
            big.as_str(),
        ];
        let header_sets: [&[(&str, &str)]; 3] =
            [&[], &[("retry-after", "7")], &[("x-ratelimit-reset", "9")]];
        for status in [400, 408, 429, 500, 502, 503] {
            for headers in header_sets {
                for body in bodies {
                    let resp = ResponseInfo::new(status)
                        .with_headers(headers)
                        .with_body(body.as_bytes());
                    let parsed = serde_json::from_slice::<serde_json::Value>(body.as_bytes()).ok();
                    assert_eq!(
                        server_retry_after_parsed(&resp, parsed.as_ref(), NOW_MS),
                        server_retry_after(&resp, NOW_MS),
                        "status {status}, headers {headers:?}, body {:.60}",
                        body
                    );
                }
            }
        }
    }

    fn decide(policy: &RetryPolicy, attempt: u32, outcome: &Outcome<'_>) -> Decision {
        policy.decide(attempt, outcome, now(), &mut FixedJitter(1.0), None)
    }

    fn response(status: u16) -> Outcome<'static> {
        Outcome::Response(ResponseInfo::new(status))
    }

    fn retry(delay: Duration, reason: RetryReason) -> Decision {
        Decision::Retry { delay, reason }
    }

    fn give_up(reason: GiveUpReason) -> Decision {
        Decision::GiveUp { reason }
    }

    fn wait(status: u16, headers: &[(&str, &str)], body: Option<&[u8]>) -> Option<Duration> {
        let mut resp = ResponseInfo::new(status).with_headers(headers);
        resp.body = body;
        server_retry_after(&resp, NOW_MS)
    }

    #[test]
    fn defaults() {
        let p = RetryPolicy::default();
        assert_eq!(p.max_retries, 2);
        assert_eq!(p.max_integrity_retries, 1);
        assert_eq!(p.base_delay, ms(500));
        assert_eq!(p.max_delay, 8 * SEC);
        assert_eq!(p.max_retry_after, 60 * SEC);
        assert_eq!(p.total_deadline, None);
    }

    #[test]
    fn backoff_schedule_with_full_and_zero_jitter() {
        let p = RetryPolicy::default();
        let ceilings: Vec<Duration> = (0..7).map(|n| p.backoff_ceiling(n)).collect();
        let expected = [ms(500), SEC, 2 * SEC, 4 * SEC, 8 * SEC, 8 * SEC, 8 * SEC];
        assert_eq!(ceilings, expected);
        for n in 0..7 {
            assert_eq!(p.backoff(n, &mut FixedJitter(1.0)), expected[n as usize]);
            assert_eq!(p.backoff(n, &mut FixedJitter(0.0)), Duration::ZERO);
        }
        // Just below 1, as a real generator returns: within a nanosecond-scale rounding of the ceiling.
        let almost = p.backoff(3, &mut FixedJitter(1.0 - f64::EPSILON));
        assert!(almost <= 4 * SEC && almost > 4 * SEC - Duration::from_micros(1));
        assert_eq!(p.backoff(2, &mut FixedJitter(0.25)), ms(500));
    }

    #[test]
    fn backoff_does_not_overflow_for_huge_attempts() {
        let p = RetryPolicy::default();
        assert_eq!(p.backoff_ceiling(31), 8 * SEC);
        assert_eq!(p.backoff_ceiling(32), 8 * SEC);
        assert_eq!(p.backoff_ceiling(u32::MAX), 8 * SEC);
        let huge_base = RetryPolicy {
            base_delay: Duration::MAX,
            max_delay: Duration::MAX,
            ..RetryPolicy::default()
        };
        assert_eq!(huge_base.backoff_ceiling(5), Duration::MAX);
    }

    #[test]
    fn faulty_jitter_is_clamped() {
        let p = RetryPolicy::default();
        assert_eq!(p.backoff(0, &mut FixedJitter(f64::NAN)), Duration::ZERO);
        assert_eq!(p.backoff(0, &mut FixedJitter(-3.0)), Duration::ZERO);
        assert_eq!(p.backoff(0, &mut FixedJitter(7.0)), ms(500));
        assert_eq!(p.backoff(0, &mut FixedJitter(f64::INFINITY)), ms(500));
        assert_eq!(p.backoff(1, &mut || 0.5), ms(500));
    }

    #[test]
    fn fastrand_jitter_is_seedable_and_in_range() {
        let mut a = FastrandJitter::with_seed(7);
        let mut b = FastrandJitter::with_seed(7);
        for _ in 0..1000 {
            let x = a.unit();
            assert_eq!(x, b.unit());
            assert!((0.0..1.0).contains(&x));
        }
        let p = RetryPolicy::default();
        let d = p.backoff(4, &mut FastrandJitter::new());
        assert!(d <= 8 * SEC);
    }

    #[test]
    fn decide_uses_backoff_for_each_retry() {
        let p = RetryPolicy {
            max_retries: 5,
            ..RetryPolicy::default()
        };
        let delays: Vec<_> = (0..5)
            .map(|n| decide(&p, n, &Outcome::ConnectError).delay())
            .collect();
        let expected = [ms(500), SEC, 2 * SEC, 4 * SEC, 8 * SEC];
        assert_eq!(delays, expected.map(Some));
    }

    #[test]
    fn retryable_statuses() {
        let p = RetryPolicy::default();
        for status in [408, 500, 502, 503, 504, 507, 599] {
            assert_eq!(
                decide(&p, 0, &response(status)),
                retry(ms(500), RetryReason::HttpStatus { status }),
                "status {status}"
            );
        }
        assert_eq!(
            decide(&p, 0, &response(429)),
            retry(ms(500), RetryReason::RateLimited { status: 429 })
        );
    }

    #[test]
    fn non_retryable_statuses() {
        let p = RetryPolicy::default();
        for status in [
            200, 204, 304, 400, 401, 403, 404, 409, 413, 422, 426, 501, 505, 511,
        ] {
            assert_eq!(
                decide(&p, 0, &response(status)),
                give_up(GiveUpReason::NotRetryable {
                    status: Some(status)
                }),
                "status {status}"
            );
        }
    }

    #[test]
    fn not_retryable_even_with_retry_after() {
        // 426 is the service's "resume unavailable": a wait does not make it available.
        let p = RetryPolicy::default();
        let headers = [("retry-after", "1")];
        for status in [400, 426, 501] {
            let outcome = Outcome::Response(ResponseInfo::new(status).with_headers(&headers));
            assert_eq!(
                decide(&p, 0, &outcome),
                give_up(GiveUpReason::NotRetryable {
                    status: Some(status)
                })
            );
        }
    }

    #[test]
    fn transport_outcomes_are_retried() {
        let p = RetryPolicy::default();
        assert_eq!(
            decide(&p, 0, &Outcome::ConnectError),
            retry(ms(500), RetryReason::ConnectError)
        );
        assert_eq!(
            decide(&p, 1, &Outcome::Timeout),
            retry(SEC, RetryReason::Timeout)
        );
        assert_eq!(
            decide(&p, 0, &Outcome::Disconnected),
            retry(ms(500), RetryReason::Disconnected)
        );
        assert_eq!(Outcome::Timeout.status(), None);
    }

    #[test]
    fn limiter_500_with_retry_after_is_rate_limited() {
        let p = RetryPolicy::default();
        let headers = [
            ("x-ratelimit-limit", "6"),
            ("x-ratelimit-remaining", "0"),
            ("x-ratelimit-reset", "42"),
            ("retry-after", "42"),
        ];
        let body = br#"{"schema":"error.v1","code":"INTERNAL","message":"An unexpected error occurred","request_id":"r1"}"#;
        let outcome = Outcome::Response(
            ResponseInfo::new(500)
                .with_headers(&headers)
                .with_body(body),
        );
        assert_eq!(
            decide(&p, 0, &outcome),
            retry(42 * SEC, RetryReason::RateLimited { status: 500 })
        );
        // The header's presence is what marks the limiter, even when its value is unreadable;
        // x-ratelimit-reset then supplies the wait.
        let garbage = [("retry-after", "soon"), ("x-ratelimit-reset", "7")];
        let outcome = Outcome::Response(ResponseInfo::new(500).with_headers(&garbage));
        assert_eq!(
            decide(&p, 0, &outcome),
            retry(7 * SEC, RetryReason::RateLimited { status: 500 })
        );
    }

    #[test]
    fn plain_500_ignores_x_ratelimit_reset() {
        // Every response of the service carries x-ratelimit-reset; on a real 500 it is noise.
        let p = RetryPolicy::default();
        let headers = [("x-ratelimit-reset", "60"), ("x-ratelimit-remaining", "5")];
        let outcome = Outcome::Response(ResponseInfo::new(500).with_headers(&headers));
        assert_eq!(
            decide(&p, 0, &outcome),
            retry(ms(500), RetryReason::HttpStatus { status: 500 })
        );
        assert_eq!(wait(503, &headers, None), None);
        assert_eq!(wait(429, &headers, None), Some(60 * SEC));
    }

    #[test]
    fn retry_after_precedence() {
        let body = br#"{"schema":"error.v1","code":"RATE_LIMITED","message":"Rate limit exceeded.","details":{"retry_after_seconds":30}}"#;
        let all = [
            ("x-ratelimit-reset", "50"),
            ("Retry-After", "20"),
            ("retry-after-ms", "1500"),
        ];
        assert_eq!(wait(429, &all, Some(body)), Some(ms(1500)));
        assert_eq!(wait(429, &all[..2], Some(body)), Some(20 * SEC));
        assert_eq!(wait(429, &all[..1], Some(body)), Some(30 * SEC));
        assert_eq!(wait(429, &all[..1], None), Some(50 * SEC));
        assert_eq!(wait(429, &[], None), None);
        // An unreadable signal falls through to the next one.
        let bad_ms = [("retry-after-ms", "fast"), ("retry-after", "20")];
        assert_eq!(wait(429, &bad_ms, Some(body)), Some(20 * SEC));
        let bad_both = [("retry-after-ms", "-1"), ("retry-after", "-20")];
        assert_eq!(wait(429, &bad_both, Some(body)), Some(30 * SEC));
    }

    #[test]
    fn per_key_quota_429_uses_the_body() {
        let p = RetryPolicy::default();
        let body = br#"{"schema":"error.v1","code":"RATE_LIMITED","message":"Rate limit exceeded.","details":{"retry_after_seconds":30}}"#;
        let outcome = Outcome::Response(ResponseInfo::new(429).with_body(body));
        assert_eq!(
            decide(&p, 1, &outcome),
            retry(30 * SEC, RetryReason::RateLimited { status: 429 })
        );
        let cee = br#"{"schema":"cee.error.v1","code":"CEE_RATE_LIMIT","retryable":true,"details":{"retry_after_seconds":2.5}}"#;
        assert_eq!(wait(429, &[], Some(cee)), Some(ms(2500)));
        assert_eq!(wait(503, &[], Some(cee)), Some(ms(2500)));
        assert_eq!(wait(500, &[], Some(cee)), Some(ms(2500)));
    }

    #[test]
    fn body_is_only_read_for_429_500_503_and_small_bodies() {
        let body = br#"{"details":{"retry_after_seconds":3}}"#;
        assert_eq!(wait(502, &[], Some(body)), None);
        assert_eq!(wait(504, &[], Some(body)), None);
        let mut big = br#"{"details":{"retry_after_seconds":3},"pad":""#.to_vec();
        big.resize(MAX_BODY_FOR_RETRY_HINT, b' ');
        big.extend_from_slice(br#""}"#);
        assert_eq!(wait(429, &[], Some(&big)), None);
    }

    #[test]
    fn fractional_retry_after_ms() {
        assert_eq!(
            wait(503, &[("retry-after-ms", "1500.5")], None),
            Some(Duration::from_micros(1_500_500))
        );
        assert_eq!(
            wait(503, &[("retry-after-ms", " 0 ")], None),
            Some(Duration::ZERO)
        );
    }

    #[test]
    fn retry_after_is_honoured_on_503() {
        let p = RetryPolicy::default();
        let headers = [("retry-after", "5")];
        let outcome = Outcome::Response(ResponseInfo::new(503).with_headers(&headers));
        assert_eq!(
            decide(&p, 0, &outcome),
            retry(5 * SEC, RetryReason::HttpStatus { status: 503 })
        );
    }

    #[test]
    fn http_date_retry_after_is_relative_to_now() {
        let ra = |v: &'static str| wait(429, &[("retry-after", v)], None);
        assert_eq!(ra("Wed, 21 Oct 2015 07:28:30 GMT"), Some(30 * SEC));
        assert_eq!(ra("Wed, 21 Oct 2015 07:28:00 GMT"), Some(Duration::ZERO));
        // A date in the past: no wait, retry at once.
        assert_eq!(ra("Wed, 21 Oct 2015 07:27:00 GMT"), Some(Duration::ZERO));
        assert_eq!(ra("Sun, 06 Nov 1994 08:49:37 GMT"), Some(Duration::ZERO));
        // The obsolete forms.
        assert_eq!(ra("Wednesday, 21-Oct-15 07:28:10 GMT"), Some(10 * SEC));
        assert_eq!(ra("Wed Oct 21 07:29:00 2015"), Some(60 * SEC));
        // Milliseconds of `now` count.
        let resp = ResponseInfo::new(429)
            .with_headers(&[("retry-after", "Wed, 21 Oct 2015 07:28:01 GMT")]);
        assert_eq!(server_retry_after(&resp, NOW_MS + 250), Some(ms(750)));
    }

    #[test]
    fn http_date_parser() {
        let p = |s| parse_http_date(s, 1_445_412_480);
        assert_eq!(p("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        assert_eq!(p("Sun, 06 Nov 1994 08:49:37 GMT"), Some(784_111_777));
        assert_eq!(p("Sunday, 06-Nov-94 08:49:37 GMT"), Some(784_111_777));
        assert_eq!(p("Sun Nov  6 08:49:37 1994"), Some(784_111_777));
        assert_eq!(p("Wed, 21 Oct 2015 07:28:00 GMT"), Some(1_445_412_480));
        assert_eq!(p("Tue, 29 Feb 2000 12:00:00 GMT"), Some(951_825_600));
        assert_eq!(p("Sat, 01 Jan 2000 00:00:00 GMT"), Some(946_684_800));
        assert_eq!(p("Tue, 31 Dec 2024 23:59:60 GMT"), Some(1_735_689_600));
        for bad in [
            "",
            "soon",
            "Wed, 21 Oct 2015 07:28:00 UTC",
            "Wed, 21 Oct 2015 07:28:00",
            "Wed, 21 Oct 15 07:28:00 GMT",
            "Wed, 1 Oct 2015 07:28:00 GMT",
            "Wed, 21 Foo 2015 07:28:00 GMT",
            "Wed, 30 Feb 2015 07:28:00 GMT",
            "Wed, 29 Feb 2015 07:28:00 GMT",
            "Wed, 32 Jan 2015 07:28:00 GMT",
            "Wed, 21 Oct 2015 24:00:00 GMT",
            "Wed, 21 Oct 2015 07:60:00 GMT",
            "Wed, 21 Oct 2015 07:28:61 GMT",
            "Wed, 21 Oct 2015 07:28 GMT",
            "Wed, 21 Oct 2015 07:28:00:00 GMT",
            "Wed, 21 Oct 2015 7:28:00 GMT",
            "Xyz, 21 Oct 2015 07:28:00 GMT",
            "Wednesday, 21-Oct-2015 07:28:00 GMT",
            "Wednesday, 21-Oct-15-1 07:28:00 GMT",
            "Wed Oct 21 07:28:00 15",
            "Wed, 21 Oct +015 07:28:00 GMT",
        ] {
            assert_eq!(p(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn rfc850_two_digit_years() {
        // Now is 2015: "65" is 2065 (50 years ahead, allowed); "66" is 1966.
        let now = 1_445_412_480;
        assert_eq!(rfc850_year(15, now), 2015);
        assert_eq!(rfc850_year(65, now), 2065);
        assert_eq!(rfc850_year(66, now), 1966);
        assert_eq!(rfc850_year(99, now), 1999);
        assert_eq!(civil_year(0), 1970);
        assert_eq!(civil_year(-1), 1969);
        assert_eq!(civil_year(days_from_civil(2000, 2, 29)), 2000);
        assert_eq!(civil_year(days_from_civil(2024, 12, 31)), 2024);
        assert_eq!(civil_year(days_from_civil(2025, 1, 1)), 2025);
    }

    #[test]
    fn retry_after_above_the_cap_gives_up() {
        let p = RetryPolicy::default();
        let headers = [("retry-after", "61")];
        let outcome = Outcome::Response(ResponseInfo::new(429).with_headers(&headers));
        assert_eq!(
            decide(&p, 0, &outcome),
            give_up(GiveUpReason::RetryAfterTooLong {
                requested: 61 * SEC,
                cap: 60 * SEC
            })
        );
        let headers = [("retry-after", "60")];
        let outcome = Outcome::Response(ResponseInfo::new(429).with_headers(&headers));
        assert_eq!(
            decide(&p, 0, &outcome),
            retry(60 * SEC, RetryReason::RateLimited { status: 429 })
        );
        // Too many digits for u64: still a number, and far too long.
        let headers = [("retry-after", "99999999999999999999999")];
        let outcome = Outcome::Response(ResponseInfo::new(429).with_headers(&headers));
        assert!(matches!(
            decide(&p, 0, &outcome),
            Decision::GiveUp {
                reason: GiveUpReason::RetryAfterTooLong { .. }
            }
        ));
        let headers = [("retry-after-ms", "1e300")];
        assert_eq!(wait(429, &headers, None), Some(Duration::MAX));
    }

    #[test]
    fn deadline_exceeded() {
        let p = RetryPolicy {
            total_deadline: Some(10 * SEC),
            ..RetryPolicy::default()
        };
        let at = |elapsed| Now::new(elapsed, NOW_MS);
        let mut full = FixedJitter(1.0);
        // 9.4 s + 0.5 s backoff ends before 10 s.
        assert_eq!(
            p.decide(0, &Outcome::Timeout, at(ms(9400)), &mut full, None),
            retry(ms(500), RetryReason::Timeout)
        );
        // 9.5 s + 0.5 s would start the retry exactly at the deadline.
        assert_eq!(
            p.decide(0, &Outcome::Timeout, at(ms(9500)), &mut full, None),
            give_up(GiveUpReason::DeadlineExceeded)
        );
        assert_eq!(
            p.decide(
                0,
                &Outcome::Timeout,
                at(11 * SEC),
                &mut FixedJitter(0.0),
                None
            ),
            give_up(GiveUpReason::DeadlineExceeded)
        );
        // A server wait counts against the deadline too.
        let headers = [("retry-after", "5")];
        let outcome = Outcome::Response(ResponseInfo::new(429).with_headers(&headers));
        assert_eq!(
            p.decide(0, &outcome, at(6 * SEC), &mut full, None),
            give_up(GiveUpReason::DeadlineExceeded)
        );
    }

    #[test]
    fn retries_exhausted_after_max_retries() {
        let p = RetryPolicy::default();
        assert!(matches!(
            decide(&p, 1, &response(503)),
            Decision::Retry { .. }
        ));
        assert_eq!(
            decide(&p, 2, &response(503)),
            give_up(GiveUpReason::RetriesExhausted { attempts: 3 })
        );
        assert_eq!(
            decide(&p, u32::MAX, &Outcome::Timeout),
            give_up(GiveUpReason::RetriesExhausted { attempts: u32::MAX })
        );
        let none = RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::default()
        };
        assert_eq!(
            decide(&none, 0, &Outcome::ConnectError),
            give_up(GiveUpReason::RetriesExhausted { attempts: 1 })
        );
    }

    #[test]
    fn integrity_is_retried_once() {
        let p = RetryPolicy::default();
        assert_eq!(
            decide(
                &p,
                0,
                &Outcome::Integrity {
                    previous_failures: 0
                }
            ),
            retry(ms(500), RetryReason::Integrity)
        );
        assert_eq!(
            decide(
                &p,
                1,
                &Outcome::Integrity {
                    previous_failures: 1
                }
            ),
            give_up(GiveUpReason::IntegrityExhausted { retries: 1 })
        );
        // A first mismatch after a timeout retry is still retried.
        assert_eq!(
            decide(
                &p,
                1,
                &Outcome::Integrity {
                    previous_failures: 0
                }
            ),
            retry(SEC, RetryReason::Integrity)
        );
        let never = RetryPolicy {
            max_integrity_retries: 0,
            ..RetryPolicy::default()
        };
        assert_eq!(
            decide(
                &never,
                0,
                &Outcome::Integrity {
                    previous_failures: 0
                }
            ),
            give_up(GiveUpReason::IntegrityExhausted { retries: 0 })
        );
    }

    #[test]
    fn garbage_signals_are_ignored() {
        let p = RetryPolicy::default();
        for (name, value) in [
            ("retry-after-ms", "abc"),
            ("retry-after-ms", "-1"),
            ("retry-after-ms", "NaN"),
            ("retry-after-ms", "inf"),
            ("retry-after-ms", ""),
            ("retry-after", "-5"),
            ("retry-after", "1.5"),
            ("retry-after", "5 s"),
            ("retry-after", ""),
            ("retry-after", "Wed, 21 Oct 2015"),
            ("x-ratelimit-reset", "-3"),
            ("x-ratelimit-reset", "soon"),
        ] {
            let headers = [(name, value)];
            let outcome = Outcome::Response(ResponseInfo::new(503).with_headers(&headers));
            assert_eq!(
                decide(&p, 0, &outcome),
                retry(ms(500), RetryReason::HttpStatus { status: 503 }),
                "{name}: {value:?}"
            );
        }
        for body in [
            &b"not json"[..],
            br#"{"details":{"retry_after_seconds":-3}}"#,
            br#"{"details":{"retry_after_seconds":"30"}}"#,
            br#"{"details":"slow down"}"#,
            br#"{"details":{}}"#,
            br#"[]"#,
            b"",
        ] {
            assert_eq!(wait(429, &[], Some(body)), None, "{body:?}");
        }
    }

    #[test]
    fn header_names_are_case_insensitive() {
        let headers = [("Retry-After-Ms", "10"), ("retry-after-ms", "20")];
        let resp = ResponseInfo::new(429).with_headers(&headers);
        assert_eq!(resp.header("retry-after-ms"), Some("10"));
        assert_eq!(server_retry_after(&resp, NOW_MS), Some(ms(10)));
    }

    #[test]
    fn budget_stops_a_storm() {
        // 100 calls that always fail, up to 2 retries each, sharing a 10-token budget earning 0.1
        // per call. The bucket starts full (10) and the first deposit is lost to the cap, so at
        // most 10 + 99 * 0.1 = 19.9 tokens are ever available: 19 retries instead of 200.
        let p = RetryPolicy::default();
        let budget = RetryBudget::new(10.0, 0.1);
        let (mut retries, mut refused) = (0, 0);
        for _ in 0..100 {
            budget.on_request();
            let mut attempt = 0;
            loop {
                match p.decide(
                    attempt,
                    &response(503),
                    now(),
                    &mut FixedJitter(0.5),
                    Some(&budget),
                ) {
                    Decision::Retry { .. } => {
                        retries += 1;
                        attempt += 1;
                    }
                    Decision::GiveUp {
                        reason: GiveUpReason::BudgetExhausted,
                    } => {
                        refused += 1;
                        break;
                    }
                    Decision::GiveUp { .. } => break,
                }
            }
        }
        assert_eq!(retries, 19);
        // Calls 1-5 make both retries (10 tokens); every later call is refused at least once.
        assert_eq!(refused, 95);
        assert!((budget.tokens() - 0.9).abs() < 1e-9, "{}", budget.tokens());
    }

    #[test]
    fn budget_is_only_spent_on_retry() {
        let budget = RetryBudget::new(1.0, 0.0);
        let p = RetryPolicy {
            total_deadline: Some(SEC),
            ..RetryPolicy::default()
        };
        let mut j = FixedJitter(1.0);
        let late = Now::new(ms(900), NOW_MS);
        for (attempt, outcome, at) in [
            (0, response(400), now()),
            (2, response(503), now()),
            (0, response(503), late),
        ] {
            assert!(matches!(
                p.decide(attempt, &outcome, at, &mut j, Some(&budget)),
                Decision::GiveUp { .. }
            ));
        }
        assert_eq!(budget.tokens(), 1.0);
        assert!(matches!(
            p.decide(0, &response(503), now(), &mut j, Some(&budget)),
            Decision::Retry { .. }
        ));
        assert_eq!(
            p.decide(0, &response(503), now(), &mut j, Some(&budget)),
            give_up(GiveUpReason::BudgetExhausted)
        );
    }

    #[test]
    fn budget_arguments() {
        let b = RetryBudget::default();
        assert_eq!((b.tokens(), b.max_tokens()), (10.0, 10.0));
        let b = RetryBudget::new(0.5, 1.0);
        assert!(!b.try_withdraw());
        let b = RetryBudget::new(f64::NAN, -1.0);
        b.on_request();
        assert_eq!((b.tokens(), b.max_tokens()), (0.0, 0.0));
        let b = RetryBudget::new(f64::INFINITY, f64::INFINITY);
        b.on_request();
        assert!(b.try_withdraw());
    }

    #[test]
    fn budget_is_thread_safe() {
        let budget = RetryBudget::new(1000.0, 0.0);
        let granted = std::sync::atomic::AtomicU32::new(0);
        std::thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| {
                    for _ in 0..500 {
                        if budget.try_withdraw() {
                            granted.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                });
            }
        });
        assert_eq!(granted.into_inner(), 1000);
        assert_eq!(budget.tokens(), 0.0);
    }

    #[test]
    fn reasons_display() {
        assert_eq!(
            GiveUpReason::NotRetryable { status: Some(426) }.to_string(),
            "HTTP 426 is not retryable"
        );
        assert_eq!(
            GiveUpReason::RetriesExhausted { attempts: 3 }.to_string(),
            "gave up after 3 attempts"
        );
        assert_eq!(
            GiveUpReason::RetryAfterTooLong {
                requested: 90 * SEC,
                cap: 60 * SEC
            }
            .to_string(),
            "server asked to retry after 90s, more than the 60s allowed"
        );
        assert_eq!(
            RetryReason::RateLimited { status: 500 }.to_string(),
            "rate limited (HTTP 500)"
        );
        for reason in [
            GiveUpReason::NotRetryable { status: None },
            GiveUpReason::IntegrityExhausted { retries: 1 },
            GiveUpReason::DeadlineExceeded,
            GiveUpReason::BudgetExhausted,
        ] {
            assert!(!reason.to_string().is_empty());
        }
        for reason in [
            RetryReason::ConnectError,
            RetryReason::Timeout,
            RetryReason::Disconnected,
            RetryReason::Integrity,
            RetryReason::HttpStatus { status: 503 },
        ] {
            assert!(!reason.to_string().is_empty());
        }
    }
}
