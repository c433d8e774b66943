-- wrk script: POST the canned suggest-options request with API-key auth (wrk cannot make fresh
-- nonces, so the signed run uses examples/loadgen.rs instead).
wrk.method = "POST"
wrk.body = '{"goal":"Expand our SaaS product into the European market"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-Olumi-Assist-Key"] = "bench-key"
