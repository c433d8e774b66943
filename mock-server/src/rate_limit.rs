//! Per-key token buckets, as the service's quota (reference §4.1): a standard bucket and an SSE
//! bucket per caller, both starting full and refilling continuously at `rpm / 60` tokens per
//! second. A request takes one token; without one it is refused with the seconds until the next.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::http::HeaderMap;

use crate::redis_state::RedisState;

/// Which of a caller's buckets a request draws from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum BucketKind {
    Standard,
    Sse,
}

impl BucketKind {
    /// The service's rule: the URL contains `/stream`, or `Accept` is exactly `text/event-stream`.
    pub(crate) fn for_request(target: &str, headers: &HeaderMap) -> Self {
        let sse_accept = headers
            .get(axum::http::header::ACCEPT)
            .is_some_and(|v| v.as_bytes() == b"text/event-stream");
        if target.contains("/stream") || sse_accept {
            Self::Sse
        } else {
            Self::Standard
        }
    }
}

/// The bucket a request draws from when it is kept in Redis: a signed request's nonce step
/// takes its token in the same round trip (see `Auth::check`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct QuotaAsk {
    pub(crate) kind: BucketKind,
    pub(crate) capacity: u32,
}

impl QuotaAsk {
    /// The quota's verdict from what the bucket answered.
    pub(crate) fn verdict(self, taken: bool, tokens_left: f64) -> Result<(), u64> {
        if taken {
            Ok(())
        } else {
            Err(retry_after(tokens_left, self.capacity))
        }
    }
}

/// A bucket's state as `/v1/limits` reports it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct QuotaView {
    pub(crate) capacity_rpm: u32,
    pub(crate) tokens: f64,
    pub(crate) refill_rate_per_sec: f64,
    pub(crate) retry_after_seconds: u64,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    last: Instant,
}

/// All callers' buckets: in Redis when the server has one (shared by a pool of mocks), in
/// this process otherwise, and in this process while Redis cannot be reached.
#[derive(Debug)]
pub(crate) struct RateLimiter {
    rpm: u32,
    sse_rpm: u32,
    buckets: Mutex<HashMap<(String, BucketKind), Bucket>>,
    redis: Option<Arc<RedisState>>,
}

impl RateLimiter {
    /// `rpm == 0` disables a bucket kind.
    pub(crate) fn new(rpm: u32, sse_rpm: u32) -> Self {
        Self {
            rpm,
            sse_rpm,
            buckets: Mutex::new(HashMap::new()),
            redis: None,
        }
    }

    /// Keeps the buckets in Redis.
    pub(crate) fn with_redis(mut self, redis: Option<Arc<RedisState>>) -> Self {
        self.redis = redis;
        self
    }

    /// The Redis state, when the buckets live there.
    pub(crate) fn redis(&self) -> Option<&Arc<RedisState>> {
        self.redis.as_ref()
    }

    /// What a request of `kind` asks of a bucket in Redis; `None` without Redis or without a
    /// limit for that kind.
    pub(crate) fn ask(&self, kind: BucketKind) -> Option<QuotaAsk> {
        let capacity = self.capacity(kind);
        (self.redis.is_some() && capacity > 0).then_some(QuotaAsk { kind, capacity })
    }

    /// Where the buckets are now, as `/v1/limits` reports it: `redis` or `memory`.
    pub(crate) fn backend(&self) -> &'static str {
        match &self.redis {
            Some(redis) if redis.is_up() => "redis",
            _ => "memory",
        }
    }

    /// Takes one token from the shared bucket (Redis), or from this process' bucket when there
    /// is no Redis or it cannot be reached (as the service falls back).
    pub(crate) async fn take_shared(&self, key_id: &str, kind: BucketKind) -> Result<(), u64> {
        let capacity = self.capacity(kind);
        if capacity == 0 {
            return Ok(());
        }
        if let Some(redis) = &self.redis {
            match redis
                .bucket(key_id, kind == BucketKind::Sse, capacity, true)
                .await
            {
                Ok((true, _)) => return Ok(()),
                Ok((false, tokens)) => return Err(retry_after(tokens, capacity)),
                Err(_) => {}
            }
        }
        self.take(key_id, kind, Instant::now())
    }

    /// The bucket's state without taking a token, from where [`RateLimiter::take_shared`]
    /// takes them.
    pub(crate) async fn view_shared(&self, key_id: &str, kind: BucketKind) -> QuotaView {
        let capacity = self.capacity(kind);
        if let Some(redis) = &self.redis
            && capacity > 0
            && let Ok((_, tokens)) = redis
                .bucket(key_id, kind == BucketKind::Sse, capacity, false)
                .await
        {
            return quota_view(capacity, tokens);
        }
        self.view(key_id, kind, Instant::now())
    }

    /// Whether any bucket kind limits at all.
    pub(crate) fn enabled(&self) -> bool {
        self.rpm > 0 || self.sse_rpm > 0
    }

    fn capacity(&self, kind: BucketKind) -> u32 {
        match kind {
            BucketKind::Standard => self.rpm,
            BucketKind::Sse => self.sse_rpm,
        }
    }

    /// Takes one token: `Ok(())`, or `Err(retry_after_seconds)`.
    pub(crate) fn take(&self, key_id: &str, kind: BucketKind, now: Instant) -> Result<(), u64> {
        let capacity = self.capacity(kind);
        if capacity == 0 {
            return Ok(());
        }
        let mut buckets = self.lock();
        let bucket = buckets.entry((key_id.to_owned(), kind)).or_insert(Bucket {
            tokens: f64::from(capacity),
            last: now,
        });
        refill(bucket, capacity, now);
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(retry_after(bucket.tokens, capacity))
        }
    }

    /// The bucket's state without taking a token.
    pub(crate) fn view(&self, key_id: &str, kind: BucketKind, now: Instant) -> QuotaView {
        let capacity = self.capacity(kind);
        let mut buckets = self.lock();
        let tokens = match buckets.get_mut(&(key_id.to_owned(), kind)) {
            Some(bucket) => {
                refill(bucket, capacity, now);
                bucket.tokens
            }
            None => f64::from(capacity),
        };
        quota_view(capacity, tokens)
    }

    /// Refills every bucket (forgets every caller).
    pub(crate) fn reset(&self) {
        self.lock().clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<(String, BucketKind), Bucket>> {
        self.buckets.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// What `/v1/limits` reports for a bucket holding `tokens`.
fn quota_view(capacity: u32, tokens: f64) -> QuotaView {
    QuotaView {
        capacity_rpm: capacity,
        // Three decimals, as the service reports them.
        tokens: (tokens * 1000.0).round() / 1000.0,
        refill_rate_per_sec: f64::from(capacity) / 60.0,
        retry_after_seconds: if tokens >= 1.0 || capacity == 0 {
            0
        } else {
            retry_after(tokens, capacity)
        },
    }
}

fn refill(bucket: &mut Bucket, capacity: u32, now: Instant) {
    let elapsed = now.saturating_duration_since(bucket.last).as_secs_f64();
    let rate = f64::from(capacity) / 60.0;
    bucket.tokens = (bucket.tokens + elapsed * rate).min(f64::from(capacity));
    bucket.last = now;
}

/// `ceil((1 - tokens) / refill_rate)`, at least 1.
fn retry_after(tokens: f64, capacity: u32) -> u64 {
    let rate = f64::from(capacity) / 60.0;
    // The value is small and positive; the cast cannot truncate meaningfully.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    // The epsilon keeps float noise (0.4999...) from adding a whole second.
    let secs = ((1.0 - tokens) / rate - 1e-9).ceil() as u64;
    secs.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn bucket_empties_then_refills_continuously() {
        let limiter = RateLimiter::new(2, 20);
        let t0 = Instant::now();
        assert!(limiter.take("k", BucketKind::Standard, t0).is_ok());
        assert!(limiter.take("k", BucketKind::Standard, t0).is_ok());
        assert_eq!(limiter.take("k", BucketKind::Standard, t0), Err(30));
        // Half a token after 15 s: 15 s more to wait.
        assert_eq!(
            limiter.take("k", BucketKind::Standard, t0 + Duration::from_secs(15)),
            Err(15)
        );
        assert!(
            limiter
                .take("k", BucketKind::Standard, t0 + Duration::from_secs(31))
                .is_ok()
        );
        // Buckets are per key and per kind.
        assert!(limiter.take("other", BucketKind::Standard, t0).is_ok());
        assert!(limiter.take("k", BucketKind::Sse, t0).is_ok());
    }

    #[test]
    fn view_reports_tokens() {
        let limiter = RateLimiter::new(120, 20);
        let t0 = Instant::now();
        limiter.take("k", BucketKind::Standard, t0).unwrap();
        let v = limiter.view("k", BucketKind::Standard, t0);
        assert_eq!(v.tokens, 119.0);
        assert_eq!(v.refill_rate_per_sec, 2.0);
        assert_eq!(v.retry_after_seconds, 0);
        let sse = limiter.view("k", BucketKind::Sse, t0);
        assert_eq!(sse.tokens, 20.0);
    }
}
