//! The Lua scripts the mock runs in Redis: the per-key token bucket, alone, and the signed
//! requests' nonce steps with their tokens, many requests in one call.
//!
//! A bucket is the service's JSON `{capacity, tokens, refillRate, lastRefill}` under
//! `{prefix}qc:{keyId}:bucket` (or `:sse`), refilled to Redis' own clock (`TIME`), so that
//! instances on several machines share one clock. Tokens go back as strings: Lua numbers would
//! be truncated to integers on the way out.

/// Defines `now` (Redis' clock, ms), `refill(key, capacity)` (the bucket's tokens refilled to
/// `now`, and its rate per second) and `store(key, capacity, tokens, rate, ttl)`.
macro_rules! bucket_functions {
    () => {
        r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local function refill(key, capacity)
  local rate = capacity / 60
  local tokens = capacity
  local last = now
  local raw = redis.call('GET', key)
  if raw then
    local ok, b = pcall(cjson.decode, raw)
    if ok and tonumber(b.tokens) and tonumber(b.lastRefill) then
      tokens = tonumber(b.tokens)
      last = tonumber(b.lastRefill)
    end
  end
  return math.min(capacity, tokens + math.max(0, now - last) / 1000 * rate), rate
end
local function store(key, capacity, tokens, rate, ttl)
  redis.call('SET', key, cjson.encode({capacity = capacity, tokens = tokens, refillRate = rate, lastRefill = now}), 'EX', ttl)
end
"
    };
}

/// One bucket: `KEYS[1]` the bucket; `ARGV` capacity, take (0 or 1), TTL in seconds. Answers
/// `{allowed, tokens}`; without `take` the bucket is only read.
pub(crate) const BUCKET: &str = concat!(
    bucket_functions!(),
    r"
local capacity = tonumber(ARGV[1])
local tokens, rate = refill(KEYS[1], capacity)
local allowed = 0
if tonumber(ARGV[2]) == 1 then
  if tokens >= 1 then
    tokens = tokens - 1
    allowed = 1
  end
  store(KEYS[1], capacity, tokens, rate, ARGV[3])
end
return {allowed, string.format('%.17g', tokens)}
"
);

/// The nonce steps of several signed requests, in order. Step `i` has `KEYS[2i-1]` its nonce
/// and `KEYS[2i]` its bucket, `ARGV[2i]` the nonce's TTL in ms and `ARGV[2i+1]` the bucket's
/// capacity (0: no bucket, the nonce only); `ARGV[1]` is the buckets' TTL in seconds. Each step
/// records its nonce (`SET NX PX`) and, for a fresh one, takes a token: a replay takes none,
/// as auth comes before the quota. A bucket is read once and written once per call, however
/// many steps take from it.
///
/// Answers one string, a comma-separated outcome per step (one string, not an array of arrays:
/// the client then allocates once per call, not per step): `r` a replay, `f` fresh without a
/// bucket, `t` fresh with the token taken, `n{tokens}` fresh with the token refused and the
/// tokens left (for the Retry-After).
pub(crate) const NONCE_STEPS: &str = concat!(
    bucket_functions!(),
    r"
local buckets = {}
local out = {}
for i = 1, #KEYS / 2 do
  local capacity = tonumber(ARGV[2 * i + 1])
  if not redis.call('SET', KEYS[2 * i - 1], '1', 'NX', 'PX', ARGV[2 * i]) then
    out[i] = 'r'
  elseif capacity == 0 then
    out[i] = 'f'
  else
    local key = KEYS[2 * i]
    local b = buckets[key]
    if not b then
      local tokens, rate = refill(key, capacity)
      b = {capacity = capacity, tokens = tokens, rate = rate}
      buckets[key] = b
    end
    if b.tokens >= 1 then
      b.tokens = b.tokens - 1
      out[i] = 't'
    else
      out[i] = 'n' .. string.format('%.17g', b.tokens)
    end
  end
end
for key, b in pairs(buckets) do
  store(key, b.capacity, b.tokens, b.rate, ARGV[1])
end
return table.concat(out, ',')
"
);
