//! A real Rust service verifying Olumi signatures: an axum middleware built on the core's
//! [`Verifier`], with the nonce step in Redis, so that every instance of the service refuses a
//! replayed request (the same store `olumi-mock --redis-url` uses).
//!
//! ```text
//! cargo run -p olumi-mock --example verify_middleware                       # starts its own redis-server
//! cargo run -p olumi-mock --example verify_middleware -- --redis-url redis://127.0.0.1:6379/0
//! ```
//!
//! It serves `POST /echo` behind the middleware on 127.0.0.1 (a free port), then sends a signed
//! request (200), the same request again (403 `REPLAY_BLOCKED`), a tampered one (403
//! `INVALID_SIGNATURE`) and an unsigned one (401), prints each answer, and exits non-zero if any
//! answer is not the expected one.
//!
//! The steps: [`Verifier::verify_signature`] checks headers, signature (constant time), skew and
//! nonce length without touching any store; the nonce is then recorded with one atomic
//! `SET {prefix}hmac:nonce:{nonce} 1 NX PX {ttl}` (TTL 2 x max skew + 1 ms, so memory is bounded
//! and a nonce is refused for as long as its timestamp is acceptable); `finish` turns the answer
//! into the verdict. The core itself has no Redis dependency.
#![allow(dead_code)] // The test suite includes this file for `app`, without `main`.

#[path = "../tests/support/redis_server.rs"]
mod redis_server;

use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::{Next, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use olumi::signing::{HEADER_NONCE, HEADER_SIGNATURE, HEADER_TIMESTAMP};
use olumi::verify::{NonceCheck, Rejection, SignedRequest, Verifier, VerifierConfig};
use redis::aio::ConnectionManager;

/// The largest body the middleware buffers to verify.
const BODY_LIMIT: usize = 1024 * 1024;

/// What the middleware needs: the verifier (one secret) and the shared nonce store.
#[derive(Clone)]
pub struct OlumiAuth {
    verifier: Arc<Verifier>,
    redis: ConnectionManager,
    prefix: Arc<str>,
}

impl std::fmt::Debug for OlumiAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The verifier's Debug redacts the secret.
        f.debug_struct("OlumiAuth")
            .field("verifier", &self.verifier)
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}

impl OlumiAuth {
    /// A verifier for `secret` with the service's defaults (5 min skew, empty body-hash slot
    /// or legacy form; see `VerifierConfig`), recording nonces under `prefix` in `redis`.
    pub fn new(secret: &str, redis: ConnectionManager, prefix: &str) -> Self {
        let verifier =
            Verifier::new(secret, VerifierConfig::default()).expect("a non-empty secret");
        Self {
            verifier: Arc::new(verifier),
            redis,
            prefix: prefix.into(),
        }
    }
}

/// The middleware: verifies the request's signature, records its nonce in Redis, and passes the
/// request on with its body, or answers 401/403 with the service's `error.v1` code.
pub async fn verify_olumi_signature(
    State(auth): State<OlumiAuth>,
    request: Request,
    next: Next,
) -> Response {
    let (parts, body) = request.into_parts();
    let Ok(body) = axum::body::to_bytes(body, BODY_LIMIT).await else {
        return reject(StatusCode::PAYLOAD_TOO_LARGE, "BAD_INPUT");
    };
    let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
    let target = parts
        .uri
        .path_and_query()
        .map_or_else(|| parts.uri.path(), |pq| pq.as_str());
    let signed = SignedRequest {
        method: parts.method.as_str(),
        target,
        signature: header(HEADER_SIGNATURE),
        timestamp: header(HEADER_TIMESTAMP),
        nonce: header(HEADER_NONCE),
        body: &body,
    };
    let checked = match auth
        .verifier
        .verify_signature(&signed, olumi::clock::unix_ms())
    {
        Ok(checked) => checked,
        Err(rejection) => return rejected(&rejection),
    };
    let check = match checked.nonce() {
        None => None, // the legacy form: no nonce to record
        Some(pending) => {
            let mut redis = auth.redis.clone();
            let set: redis::RedisResult<Option<String>> = redis::cmd("SET")
                .arg(format!("{}hmac:nonce:{}", auth.prefix, pending.nonce))
                .arg(1)
                .arg("NX")
                .arg("PX")
                .arg(pending.ttl_ms)
                .query_async(&mut redis)
                .await;
            match set {
                Ok(Some(_)) => Some(NonceCheck::Fresh),
                Ok(None) => Some(NonceCheck::Replay),
                // Without the shared store a replay cannot be ruled out: refuse, retryable.
                Err(_) => return reject(StatusCode::SERVICE_UNAVAILABLE, "SERVICE_UNAVAILABLE"),
            }
        }
    };
    if let Err(rejection) = checked.finish(check) {
        return rejected(&rejection);
    }
    next.run(Request::from_parts(parts, Body::from(body))).await
}

fn rejected(rejection: &Rejection) -> Response {
    let status = match rejection {
        Rejection::MissingHeaders { .. } => StatusCode::UNAUTHORIZED,
        _ => StatusCode::FORBIDDEN,
    };
    reject(status, rejection.code())
}

fn reject(status: StatusCode, code: &str) -> Response {
    let body = format!(
        r#"{{"schema":"error.v1","code":"{code}","message":"HMAC signature validation failed: {code}"}}"#
    );
    (status, [("content-type", "application/json")], body).into_response()
}

/// The service: `POST /echo` answers the body it got, behind the middleware.
pub fn app(auth: OlumiAuth) -> Router {
    Router::new()
        .route("/echo", post(|body: Bytes| async move { body }))
        .layer(from_fn_with_state(auth, verify_olumi_signature))
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let given = args
        .iter()
        .position(|a| a == "--redis-url")
        .and_then(|i| args.get(i + 1).cloned());
    let own = given.is_none().then(redis_server::RedisServer::start);
    let url = given.unwrap_or_else(|| own.as_ref().expect("started").url());
    let client = redis::Client::open(url.as_str()).expect("a Redis URL");
    let redis = ConnectionManager::new(client).await.expect("Redis answers");
    let secret = "example-hmac-secret";
    let auth = OlumiAuth::new(secret, redis, "verify-example:");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("address");
    let server = tokio::spawn(async move { axum::serve(listener, app(auth)).await });

    let signer =
        olumi::signing::Signer::new(secret, olumi::signing::BodyHashMode::Unbound).expect("secret");
    let body = br#"{"hello":"world"}"#;
    let headers = signer
        .sign(
            "POST",
            "/echo",
            body,
            olumi::clock::unix_ms(),
            &olumi::signing::generate_nonce(),
        )
        .expect("signable");
    let http = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client");
    let send = |signed: bool, path: &'static str| {
        let mut req = http.post(format!("http://{addr}{path}")).body(&body[..]);
        if signed {
            for (name, value) in headers.pairs() {
                req = req.header(name, value);
            }
        }
        req.send()
    };
    let mut failures = 0;
    for (what, signed, path, expected) in [
        ("signed", true, "/echo", 200),
        ("the same again", true, "/echo", 403),
        ("signed for another path", true, "/echo?x=1", 403),
        ("unsigned", false, "/echo", 401),
    ] {
        let resp = send(signed, path).await.expect("an answer");
        let status = resp.status().as_u16();
        let text = resp.text().await.unwrap_or_default();
        let mark = if status == expected {
            "ok"
        } else {
            "UNEXPECTED"
        };
        println!("{what}: {status} {text} [{mark}]");
        failures += usize::from(status != expected);
    }
    server.abort();
    drop(own);
    std::process::exit(i32::from(failures > 0));
}
