//! A pool of mocks sharing one Redis (`redis_url`) behaves like one service: a stream started on
//! instance A resumes on instance B (replay and live), a signed request replayed to B is refused,
//! a quota spent on A is spent on B, keys carry TTLs, and a lost Redis gives degraded answers
//! and comes back by itself. Every test starts its own `redis-server` on a free loopback port
//! (the test fails, naming the package, when it is not installed).

mod common;
#[path = "support/redis_server.rs"]
mod redis_server;

use std::time::Duration;

use common::*;
use olumi::signing::BodyHashMode;
use olumi_mock::{MockServer, MockServerBuilder, ResumeToken, StartError};
use redis::AsyncCommands;
use redis_server::RedisServer;
use reqwest::StatusCode;

const RESUME_SECRET: &str = "resume-secret";
const RESUME: &str = "/assist/draft-graph/resume";
const STREAM: &str = "/assist/draft-graph/stream";
const PREFIX: &str = "olumi-mock:";

/// Three numbered events `n` (seq 2, 3, 4) with pauses between them, then the final payload.
fn numbered_stream_fixture(pause_ms: u64) -> String {
    format!(
        r#"{{
  "name": "draft-graph-stream",
  "match": {{"method": "POST", "path": "/assist/draft-graph/stream"}},
  "diagnostics": true,
  "stream": {{"steps": [
    {{"event": "stage", "data": {{"stage": "DRAFTING"}}}},
    {{"resume_token": "secret"}},
    {{"event": "stage", "data": {{"stage": "DRAFTING", "payload": {{"n": 1}}}}}},
    {{"sleep_ms": {pause_ms}}},
    {{"event": "stage", "data": {{"stage": "DRAFTING", "payload": {{"n": 2}}}}}},
    {{"sleep_ms": {pause_ms}}},
    {{"event": "stage", "data": {{"stage": "DRAFTING", "payload": {{"n": 3}}}}}},
    {{"sleep_ms": {pause_ms}}},
    {{"event": "stage", "data": {{"stage": "COMPLETE", "payload": {{"graph": {{"version": "1", "nodes": [], "edges": []}}}}}}}}
  ]}}
}}"#
    )
}

/// A pool member: the shared Redis, the numbered stream, a resume secret and an HMAC secret.
fn pool_member(redis: &RedisServer, fixtures: &TempDir) -> MockServerBuilder {
    builder()
        .redis_url(redis.url())
        .resume_secret(RESUME_SECRET)
        .hmac_secret(SECRET)
        .fixtures_dir(fixtures.path())
}

fn fixtures(pause_ms: u64) -> TempDir {
    let dir = TempDir::new();
    dir.write("stream.json", &numbered_stream_fixture(pause_ms));
    dir
}

/// Two pool members on a fresh Redis, serving the numbered stream with `pause_ms` pauses; the
/// Redis and the fixture directory are returned to be kept alive as long as the members.
async fn two_members(pause_ms: u64) -> (MockServer, MockServer, (TempDir, RedisServer)) {
    let redis = RedisServer::start();
    let dir = fixtures(pause_ms);
    let a = start(pool_member(&redis, &dir)).await;
    let b = start(pool_member(&redis, &dir)).await;
    (a, b, (dir, redis))
}

/// Opens a signed stream on `server` that the mock drops after the DRAFTING and resume events;
/// returns the resume token.
async fn dropped_stream(server: &MockServer) -> String {
    let resp = signed_post(&server.url(), STREAM)
        .header("x-mock-fault", "drop-after-events=2")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(
        header(&resp, "x-olumi-degraded"),
        None,
        "Redis is up: not degraded"
    );
    let (body, clean) = read_body(resp).await;
    assert!(!clean, "the mock dropped the connection");
    let evs = events(&body);
    assert_eq!(evs.len(), 2, "{}", String::from_utf8_lossy(&body));
    evs[1].json()["token"].as_str().unwrap().to_owned()
}

async fn resume_on(server: &MockServer, target: &str, token: &str) -> reqwest::Response {
    signed_post(&server.url(), target)
        .header("accept", "text/event-stream")
        .header("x-resume-token", token)
        .send()
        .await
        .unwrap()
}

/// The `n` of each numbered event, and how many `complete` events, in order.
fn numbers_and_completes(frames: &[Frame]) -> (Vec<u64>, usize) {
    let mut numbers = Vec::new();
    let mut completes = 0;
    for f in frames {
        match f.name() {
            "complete" => completes += 1,
            "stage" => numbers.extend(f.json()["payload"]["n"].as_u64()),
            _ => {}
        }
    }
    (numbers, completes)
}

#[tokio::test]
async fn a_live_resume_on_b_follows_the_stream_a_is_still_producing() {
    let (a, b, _shared) = two_members(300).await;
    let token = dropped_stream(&a).await;
    let resp = resume_on(&b, &format!("{RESUME}?mode=live"), &token).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let (body, clean) = read_body(resp).await;
    assert!(clean);
    let frames = frames(&body);
    let (numbers, completes) = numbers_and_completes(&frames);
    assert_eq!(
        numbers,
        [1, 2, 3],
        "every event after the token, once, in order: {}",
        String::from_utf8_lossy(&body)
    );
    assert_eq!(completes, 1, "event: complete exactly once");
    assert_eq!(frames.last().unwrap().name(), "complete");
    let payload = frames.last().unwrap().json();
    assert!(payload["graph"].is_object(), "the bare final payload");
    a.shutdown().await;
    b.shutdown().await;
}

#[tokio::test]
async fn a_replay_resume_on_b_sends_what_a_buffered_then_the_snapshot_once_complete() {
    let (a, b, _shared) = two_members(300).await;
    let token = dropped_stream(&a).await;
    let id = ResumeToken::verify(&token, RESUME_SECRET, now_ms())
        .unwrap()
        .request_id;

    // While A is still producing: the events buffered so far, then a heartbeat and the end.
    let resp = resume_on(&b, RESUME, &token).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(header(&resp, "x-correlation-id"), Some(id.as_str()));
    let (body, clean) = read_body(resp).await;
    assert!(clean);
    let frames_b = frames(&body);
    let (numbers, completes) = numbers_and_completes(&frames_b);
    assert!(
        numbers.len() < 3,
        "replay of a running stream: the events so far, not all: {numbers:?}"
    );
    let expected: Vec<u64> = (1..=u64::try_from(numbers.len()).unwrap()).collect();
    assert_eq!(numbers, expected, "no event lost or repeated");
    assert_eq!(completes, 0);
    assert_eq!(
        frames_b.last(),
        Some(&Frame::Comment("heartbeat".into())),
        "a running stream's replay ends with a heartbeat"
    );

    // Once A has finished: the final payload alone, exactly once (resumes counted).
    let mut payload = None;
    for _ in 0..100 {
        let (body, _) = read_body(resume_on(&b, RESUME, &token).await).await;
        let evs = events(&body);
        if evs.iter().any(|f| f.name() == "complete") {
            assert_eq!(evs.len(), 1, "{}", String::from_utf8_lossy(&body));
            payload = Some(evs[0].json());
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let payload = payload.expect("the stream completes on A and B sees it");
    assert_eq!(payload["diagnostics"]["resumes"], 1);
    assert_eq!(payload["diagnostics"]["correlation_id"], id.as_str());
    a.shutdown().await;
    b.shutdown().await;
}

#[tokio::test]
async fn a_signed_request_accepted_by_a_is_a_replay_on_b() {
    let (a, b, (_dir, redis)) = two_members(10).await;
    let target = "/assist/draft-graph";
    let headers = signed(BodyHashMode::Unbound, "POST", target, b"");
    let send = |server: &MockServer| {
        client()
            .post(format!("{}{target}", server.url()))
            .headers(headers.clone())
            .header("content-type", "application/json")
            .body(BRIEF)
            .send()
    };
    assert_eq!(send(&a).await.unwrap().status(), StatusCode::OK);
    let replay = send(&b).await.unwrap();
    assert_eq!(replay.status(), StatusCode::FORBIDDEN);
    let body = json(&replay.bytes().await.unwrap());
    assert_eq!(body["code"], "REPLAY_BLOCKED");
    assert_eq!(
        send(&a).await.unwrap().status(),
        StatusCode::FORBIDDEN,
        "and on A itself"
    );

    // The nonce key carries the TTL 2 x max skew (+1 ms), so memory is bounded.
    let nonce = headers["x-olumi-nonce"].to_str().unwrap();
    let mut conn = redis.connection().await;
    let pttl: i64 = conn
        .pttl(format!("{PREFIX}hmac:nonce:{nonce}"))
        .await
        .unwrap();
    assert!(
        pttl > 500_000 && pttl <= 600_001,
        "nonce PTTL {pttl} ms, expected just under 600 001"
    );
}

#[tokio::test]
async fn nonce_keys_expire_with_the_skew_window() {
    let redis = RedisServer::start();
    let a = start(
        builder()
            .redis_url(redis.url())
            .hmac_secret(SECRET)
            .max_skew(Duration::from_millis(300)),
    )
    .await;
    let target = "/assist/draft-graph";
    let headers = signed(BodyHashMode::Unbound, "POST", target, b"");
    let resp = client()
        .post(format!("{}{target}", a.url()))
        .headers(headers.clone())
        .header("content-type", "application/json")
        .body(BRIEF)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let key = format!(
        "{PREFIX}hmac:nonce:{}",
        headers["x-olumi-nonce"].to_str().unwrap()
    );
    let mut conn = redis.connection().await;
    let pttl: i64 = conn.pttl(&key).await.unwrap();
    assert!(pttl > 0 && pttl <= 601, "PTTL {pttl} ms for a 300 ms skew");
    let mut gone = false;
    for _ in 0..100 {
        if !conn.exists::<_, bool>(&key).await.unwrap() {
            gone = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(gone, "the nonce key expired");
}

#[tokio::test]
async fn a_quota_spent_on_a_is_spent_on_b_with_the_same_429() {
    let redis = RedisServer::start();
    let member = || builder().redis_url(redis.url()).api_key(KEY).rpm(2);
    let a = start(member()).await;
    let b = start(member()).await;
    let alone = start(builder().api_key(KEY).rpm(2)).await;
    let get = |server: &MockServer| {
        client()
            .get(format!("{}/v1/limits", server.url()))
            .header("x-olumi-assist-key", KEY)
            .send()
    };
    let first = get(&a).await.unwrap();
    assert_eq!(first.status(), StatusCode::OK);
    let limits = json(&first.bytes().await.unwrap());
    assert_eq!(limits["quota_backend"], "redis");
    let tokens = |limits: &serde_json::Value| limits["standard_quota"]["tokens"].as_f64().unwrap();
    // Refilled a little between requests (2 rpm: 0.033 tokens a second).
    assert!(
        (1.0..1.1).contains(&tokens(&limits)),
        "one token taken: {limits}"
    );
    let second = get(&b).await.unwrap();
    assert_eq!(second.status(), StatusCode::OK);
    let limits = json(&second.bytes().await.unwrap());
    assert!(
        tokens(&limits) < 0.1,
        "B sees the token A took, and takes the last one: {limits}"
    );
    let refused = get(&a).await.unwrap();
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after = header(&refused, "retry-after").map(str::to_owned);
    let shared_body = refused.bytes().await.unwrap();

    // The same 429 as a single in-memory mock after the same two requests.
    for _ in 0..2 {
        assert_eq!(get(&alone).await.unwrap().status(), StatusCode::OK);
    }
    let alone_refused = get(&alone).await.unwrap();
    assert_eq!(alone_refused.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        header(&alone_refused, "retry-after").map(str::to_owned),
        retry_after
    );
    assert_eq!(alone_refused.bytes().await.unwrap(), shared_body);
    assert_eq!(
        json(&shared_body)["details"]["retry_after_seconds"],
        30,
        "{}",
        String::from_utf8_lossy(&shared_body)
    );

    // The bucket's key has the service's one-hour TTL.
    let mut conn = redis.connection().await;
    let ttl: i64 = conn
        .ttl(format!("{PREFIX}qc:{}:bucket", "398765f1"))
        .await
        .unwrap();
    assert!(ttl > 3500 && ttl <= 3600, "bucket TTL {ttl} s");
}

#[tokio::test]
async fn stream_keys_carry_the_resume_ttl_and_are_bounded() {
    let redis = RedisServer::start();
    let dir = fixtures(10);
    let a = start(pool_member(&redis, &dir)).await;
    let token = dropped_stream(&a).await;
    let id = ResumeToken::verify(&token, RESUME_SECRET, now_ms())
        .unwrap()
        .request_id;
    let mut conn = redis.connection().await;
    let state = format!("{PREFIX}stream:{id}");
    let events = format!("{state}:events");
    // Wait until the stream completes (it runs on without its client).
    for _ in 0..100 {
        let status: Option<String> = conn.hget(&state, "status").await.unwrap();
        if status.as_deref() == Some("complete") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    for key in [&state, &events] {
        let pttl: i64 = conn.pttl(key).await.unwrap();
        assert!(
            pttl > 14 * 60 * 1000 && pttl <= 15 * 60 * 1000,
            "{key}: PTTL {pttl} ms, expected the 15 min resume TTL"
        );
    }
    let len: usize = redis::cmd("XLEN")
        .arg(&events)
        .query_async(&mut conn)
        .await
        .unwrap();
    assert_eq!(len, 5, "DRAFTING, resume, n=1..3");
}

#[tokio::test]
async fn prefixes_keep_two_suites_apart_on_one_redis() {
    let redis = RedisServer::start();
    let suite = |prefix: &str| {
        builder()
            .redis_url(redis.url())
            .redis_prefix(prefix)
            .hmac_secret(SECRET)
    };
    let one = start(suite("suite-one:")).await;
    let two = start(suite("suite-two:")).await;
    let target = "/assist/draft-graph";
    let headers = signed(BodyHashMode::Unbound, "POST", target, b"");
    for server in [&one, &two] {
        let resp = client()
            .post(format!("{}{target}", server.url()))
            .headers(headers.clone())
            .header("content-type", "application/json")
            .body(BRIEF)
            .send()
            .await
            .unwrap();
        assert_eq!(
            resp.status(),
            StatusCode::OK,
            "another prefix is another service"
        );
    }
    let mut conn = redis.connection().await;
    let mut keys: Vec<String> = conn.keys("*").await.unwrap();
    keys.sort();
    let nonce = headers["x-olumi-nonce"].to_str().unwrap();
    let key_id = "7e87f69b"; // the secret's key id: its quota buckets
    assert_eq!(
        keys,
        [
            format!("suite-one:hmac:nonce:{nonce}"),
            format!("suite-one:qc:{key_id}:bucket"),
            format!("suite-two:hmac:nonce:{nonce}"),
            format!("suite-two:qc:{key_id}:bucket"),
        ]
    );

    // A reset deletes its own prefix only.
    one.reset_shared().await;
    let keys: Vec<String> = conn.keys("*").await.unwrap();
    assert_eq!(keys.len(), 2, "{keys:?}");
    assert!(keys.iter().all(|k| k.starts_with("suite-two:")));
}

/// Streams on `server` until its answer is (or is not) degraded; panics after 10 s.
async fn wait_degraded(server: &MockServer, degraded: bool) {
    for _ in 0..200 {
        let resp = signed_post(&server.url(), STREAM).send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        let is = header(&resp, "x-olumi-degraded") == Some("redis");
        let (body, _) = read_body(resp).await;
        assert!(has_complete(&body), "streams work degraded or not");
        if is == degraded {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the server never became degraded={degraded}");
}

#[tokio::test]
async fn redis_lost_gives_degraded_answers_then_comes_back_by_itself() {
    let mut redis = RedisServer::start();
    let dir = fixtures(10);
    let a = start(pool_member(&redis, &dir).rpm(0).sse_rpm(0)).await;
    let b = start(pool_member(&redis, &dir).rpm(0).sse_rpm(0)).await;
    let token = dropped_stream(&a).await;

    redis.kill();
    wait_degraded(&a, true).await;
    // A resume cannot find the state: the service's 426.
    let resp = resume_on(&b, RESUME, &token).await;
    assert_eq!(resp.status(), StatusCode::UPGRADE_REQUIRED);
    let body = json(&resp.bytes().await.unwrap());
    assert_eq!(body["details"]["upgrade"], "resume=unsupported");
    // Signed requests still pass, with the in-process nonce store (the service's fallback),
    // which still refuses a replay to the same instance.
    let target = "/assist/draft-graph";
    let headers = signed(BodyHashMode::Unbound, "POST", target, b"");
    let send = || {
        client()
            .post(format!("{}{target}", a.url()))
            .headers(headers.clone())
            .header("content-type", "application/json")
            .body(BRIEF)
            .send()
    };
    assert_eq!(send().await.unwrap().status(), StatusCode::OK);
    assert_eq!(send().await.unwrap().status(), StatusCode::FORBIDDEN);

    // Back: no longer degraded, and a resume across instances works again.
    redis.restart();
    wait_degraded(&a, false).await;
    wait_degraded(&b, false).await;
    let token = dropped_stream(&a).await;
    let (body, _) = read_body(resume_on(&b, &format!("{RESUME}?mode=live"), &token).await).await;
    let (numbers, completes) = numbers_and_completes(&frames(&body));
    assert_eq!((numbers, completes), (vec![1, 2, 3], 1));
    a.shutdown().await;
    b.shutdown().await;
}

#[tokio::test]
async fn redis_down_at_start_is_an_error_naming_the_url_without_its_password() {
    let redis = RedisServer::start();
    let port = redis.port();
    drop(redis);
    let url = format!("redis://:hunter2@127.0.0.1:{port}/0");
    let err = builder()
        .redis_url(&url)
        .start()
        .await
        .expect_err("no Redis there");
    assert!(matches!(err, StartError::Redis(_)), "{err:?}");
    let message = err.to_string();
    assert!(
        message.contains(&format!("redis://:***@127.0.0.1:{port}/0")),
        "{message}"
    );
    assert!(!message.contains("hunter2") && !format!("{err:?}").contains("hunter2"));
}

#[test]
fn the_binary_exits_1_naming_the_url_when_redis_is_down() {
    let redis = RedisServer::start();
    let port = redis.port();
    drop(redis);
    let url = format!("redis://127.0.0.1:{port}/0");
    let out = std::process::Command::new(BIN)
        .args(["--port", "0", "--redis-url", &url])
        .output()
        .expect("the binary runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "it never listened");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&url), "{stderr}");
}

#[tokio::test]
async fn the_binary_serves_a_pool_with_its_flags() {
    let redis = RedisServer::start();
    let mut child = std::process::Command::new(BIN)
        .args(["--port", "0", "--api-key", KEY, "--rpm", "1"])
        .args(["--redis-url", &redis.url(), "--redis-prefix", "cli:"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.as_mut().unwrap()),
        &mut line,
    )
    .unwrap();
    let base = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap()
        .to_owned();
    let in_process = start(
        builder()
            .redis_url(redis.url())
            .redis_prefix("cli:")
            .api_key(KEY)
            .rpm(1),
    )
    .await;
    let get = |base: String| {
        client()
            .get(format!("{base}/v1/limits"))
            .header("x-olumi-assist-key", KEY)
            .send()
    };
    assert_eq!(get(base.clone()).await.unwrap().status(), StatusCode::OK);
    assert_eq!(
        get(in_process.url()).await.unwrap().status(),
        StatusCode::TOO_MANY_REQUESTS,
        "the binary and the in-process mock share the prefix's bucket"
    );
    let _ = child.kill();
    let _ = child.wait();
}

#[allow(dead_code, unreachable_pub, clippy::all)]
#[path = "../examples/verify_middleware.rs"]
mod verify_middleware;

#[tokio::test]
async fn the_axum_middleware_example_shares_the_nonce_store_across_instances() {
    let redis = RedisServer::start();
    let manager = || async {
        redis::aio::ConnectionManager::new(redis::Client::open(redis.url()).unwrap())
            .await
            .unwrap()
    };
    // Two instances of the service, one Redis.
    let mut bases = Vec::new();
    let mut servers = Vec::new();
    for _ in 0..2 {
        let auth = verify_middleware::OlumiAuth::new(SECRET, manager().await, "svc:");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        bases.push(format!("http://{}", listener.local_addr().unwrap()));
        servers.push(tokio::spawn(async move {
            axum::serve(listener, verify_middleware::app(auth)).await
        }));
    }
    let headers = signed(BodyHashMode::Unbound, "POST", "/echo", b"");
    let send = |base: &str, signed: bool| {
        let mut req = client().post(format!("{base}/echo")).body("{\"a\":1}");
        if signed {
            req = req.headers(headers.clone());
        }
        req.send()
    };
    let ok = send(&bases[0], true).await.unwrap();
    assert_eq!(ok.status(), StatusCode::OK);
    assert_eq!(
        ok.text().await.unwrap(),
        "{\"a\":1}",
        "the body reaches the handler"
    );
    let replay = send(&bases[1], true).await.unwrap();
    assert_eq!(replay.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        json(&replay.bytes().await.unwrap())["code"],
        "REPLAY_BLOCKED"
    );
    let unsigned = send(&bases[1], false).await.unwrap();
    assert_eq!(unsigned.status(), StatusCode::UNAUTHORIZED);
    let nonce = headers["x-olumi-nonce"].to_str().unwrap();
    let mut conn = redis.connection().await;
    let pttl: i64 = conn.pttl(format!("svc:hmac:nonce:{nonce}")).await.unwrap();
    assert!(pttl > 500_000 && pttl <= 600_001, "PTTL {pttl}");
    for server in servers {
        server.abort();
    }
}

#[tokio::test]
async fn signed_requests_share_the_quota_and_a_replay_takes_no_token() {
    let redis = RedisServer::start();
    let member = || builder().redis_url(redis.url()).hmac_secret(SECRET).rpm(3);
    let a = start(member()).await;
    let b = start(member()).await;
    let target = "/assist/draft-graph";
    let send = |server: &MockServer, headers: reqwest::header::HeaderMap| {
        client()
            .post(format!("{}{target}", server.url()))
            .headers(headers)
            .header("content-type", "application/json")
            .body(BRIEF)
            .send()
    };
    let fresh = || signed(BodyHashMode::Unbound, "POST", target, b"");
    let first = fresh();
    assert_eq!(
        send(&a, first.clone()).await.unwrap().status(),
        StatusCode::OK
    );
    let replay = send(&b, first).await.unwrap();
    assert_eq!(replay.status(), StatusCode::FORBIDDEN, "auth before quota");
    assert_eq!(send(&b, fresh()).await.unwrap().status(), StatusCode::OK);
    assert_eq!(send(&a, fresh()).await.unwrap().status(), StatusCode::OK);
    let refused = send(&b, fresh()).await.unwrap();
    assert_eq!(
        refused.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "three tokens for three accepted requests, none for the replay"
    );
    assert_eq!(
        json(&refused.bytes().await.unwrap())["code"],
        "RATE_LIMITED"
    );
}

/// Sends a signed `POST /assist/draft-graph` with each of `headers` at once, alternating between
/// the two instances; answers the statuses in the same order.
async fn burst(
    pool: &[MockServer; 2],
    headers: Vec<reqwest::header::HeaderMap>,
) -> Vec<StatusCode> {
    let client = client();
    let sends = headers.into_iter().enumerate().map(|(i, headers)| {
        client
            .post(format!("{}/assist/draft-graph", pool[i % 2].url()))
            .headers(headers)
            .header("content-type", "application/json")
            .body(BRIEF)
            .send()
    });
    futures_util::future::join_all(sends)
        .await
        .into_iter()
        .map(|answer| answer.unwrap().status())
        .collect()
}

fn count(statuses: &[StatusCode], status: StatusCode) -> usize {
    statuses.iter().filter(|s| **s == status).count()
}

#[tokio::test]
async fn concurrent_signed_requests_take_exactly_the_quota_and_one_copy_of_a_nonce_wins() {
    // Signed requests that arrive together have their nonce steps sent to Redis together (one
    // script call for several requests): each step must stay exact.
    let redis = RedisServer::start();
    let member = |rpm| {
        builder()
            .redis_url(redis.url())
            .hmac_secret(SECRET)
            .rpm(rpm)
    };
    let sign = || signed(BodyHashMode::Unbound, "POST", "/assist/draft-graph", b"");

    // Twenty copies of one signed request at once, across both instances: one is accepted.
    let pool = [start(member(10)).await, start(member(10)).await];
    let copies = burst(&pool, vec![sign(); 20]).await;
    assert_eq!(count(&copies, StatusCode::OK), 1, "{copies:?}");
    assert_eq!(count(&copies, StatusCode::FORBIDDEN), 19, "{copies:?}");

    // Forty fresh ones at once: the nine tokens left (ten a minute, one taken above; a token
    // takes six seconds to come back) go to nine of them, and no replay took one.
    let fresh = burst(&pool, (0..40).map(|_| sign()).collect()).await;
    assert_eq!(count(&fresh, StatusCode::OK), 9, "{fresh:?}");
    assert_eq!(
        count(&fresh, StatusCode::TOO_MANY_REQUESTS),
        31,
        "{fresh:?}"
    );

    // Without a quota a step records the nonce only: still one copy of twenty, and every
    // fresh request is accepted.
    let unlimited = [start(member(0)).await, start(member(0)).await];
    let copies = burst(&unlimited, vec![sign(); 20]).await;
    assert_eq!(count(&copies, StatusCode::OK), 1, "{copies:?}");
    assert_eq!(count(&copies, StatusCode::FORBIDDEN), 19, "{copies:?}");
    let fresh = burst(&unlimited, (0..40).map(|_| sign()).collect()).await;
    assert_eq!(count(&fresh, StatusCode::OK), 40, "{fresh:?}");
}
