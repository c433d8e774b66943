//! Authentication: API keys, HMAC in compat, strict and lenient modes, the service's fallback,
//! replay and skew, and secrets kept out of the journal.

mod common;

use common::*;
use olumi::signing::{BodyHashMode, generate_nonce};
use olumi_mock::{AuthMode, MockServer, Verdict};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

const PATH: &str = "/assist/draft-graph";

async fn post(
    server: &MockServer,
    target: &str,
    headers: HeaderMap,
    body: &str,
) -> (StatusCode, serde_json::Value) {
    let resp = client()
        .post(format!("{}{target}", server.url()))
        .headers(headers)
        .header("content-type", "application/json")
        .body(body.to_owned())
        .send()
        .await
        .unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let body = resp.bytes().await.unwrap();
    assert_hash(&headers, &body);
    (status, json(&body))
}

fn key_header(name: &str, value: &str) -> HeaderMap {
    let mut h = HeaderMap::new();
    h.insert(
        reqwest::header::HeaderName::from_bytes(name.as_bytes()).unwrap(),
        value.parse().unwrap(),
    );
    h
}

#[tokio::test]
async fn api_keys_as_the_service_reads_them() {
    let server = start(builder().api_key(KEY)).await;
    let (s, _) = post(&server, PATH, key_header("x-olumi-assist-key", KEY), BRIEF).await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = post(
        &server,
        PATH,
        key_header("authorization", &format!("Bearer {KEY}")),
        BRIEF,
    )
    .await;
    assert_eq!(s, StatusCode::OK);

    let (s, body) = post(&server, PATH, HeaderMap::new(), BRIEF).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert_eq!(
        body,
        serde_json::json!({"schema":"error.v1","code":"FORBIDDEN","message":"Missing API key. Provide X-Olumi-Assist-Key header."})
    );
    let (s, body) = post(
        &server,
        PATH,
        key_header("x-olumi-assist-key", "nope"),
        BRIEF,
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert_eq!(
        body,
        serde_json::json!({"schema":"error.v1","code":"FORBIDDEN","message":"Invalid API key."})
    );
    // X-Olumi-Assist-Key wins even when wrong: no fallback to a correct Bearer.
    let mut both = key_header("x-olumi-assist-key", "nope");
    both.insert("authorization", format!("Bearer {KEY}").parse().unwrap());
    let (s, _) = post(&server, PATH, both, BRIEF).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // X-API-Key is not read.
    let (s, _) = post(&server, PATH, key_header("x-api-key", KEY), BRIEF).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, _) = post(
        &server,
        PATH,
        key_header("authorization", &format!("bearer {KEY}")),
        BRIEF,
    )
    .await;
    assert_eq!(
        s,
        StatusCode::UNAUTHORIZED,
        "the Bearer prefix is case-sensitive"
    );
}

#[tokio::test]
async fn compat_accepts_the_empty_body_hash_slot_only() {
    let server = start(builder().hmac_secret(SECRET)).await;
    let ok = signed(BodyHashMode::Unbound, "POST", PATH, BRIEF.as_bytes());
    let (s, _) = post(&server, PATH, ok, BRIEF).await;
    assert_eq!(s, StatusCode::OK);
    // The official TypeScript SDK's form: sha256(body) in the slot. The service rejects it.
    let bound = signed(BodyHashMode::Sha256, "POST", PATH, BRIEF.as_bytes());
    let (s, body) = post(&server, PATH, bound, BRIEF).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert_eq!(
        body,
        serde_json::json!({"schema":"error.v1","code":"INVALID_SIGNATURE","message":"HMAC signature validation failed: INVALID_SIGNATURE"})
    );
    // Legacy signatures still pass, as on the service.
    let (s, _) = post(&server, PATH, legacy_signed("POST", PATH), BRIEF).await;
    assert_eq!(s, StatusCode::OK);
    // The signed target includes the query.
    let target = format!("{PATH}?x=1");
    let path_only = signed(BodyHashMode::Unbound, "POST", PATH, b"");
    let (s, _) = post(&server, &target, path_only, BRIEF).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // Secret only, no signature: the API-key rules answer.
    let (s, _) = post(&server, PATH, HeaderMap::new(), BRIEF).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, _) = post(&server, PATH, key_header("x-olumi-assist-key", KEY), BRIEF).await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    let verdicts: Vec<Verdict> = server.journal().into_iter().map(|e| e.verdict).collect();
    assert_eq!(
        verdicts[0],
        Verdict::Hmac {
            key_id: "7e87f69b".into(),
            form: "timestamped".into(),
            body_hash: "unbound".into()
        }
    );
    assert_eq!(
        verdicts[1],
        Verdict::HmacRejected {
            code: "INVALID_SIGNATURE".into()
        }
    );
    assert!(matches!(&verdicts[2], Verdict::Hmac { form, .. } if form == "legacy"));
}

#[tokio::test]
async fn strict_binds_the_body_and_rejects_legacy() {
    let server = start(builder().hmac_secret(SECRET).auth_mode(AuthMode::Strict)).await;
    let bound = signed(BodyHashMode::Sha256, "POST", PATH, BRIEF.as_bytes());
    let (s, _) = post(&server, PATH, bound, BRIEF).await;
    assert_eq!(s, StatusCode::OK);
    let unbound = signed(BodyHashMode::Unbound, "POST", PATH, BRIEF.as_bytes());
    let (s, body) = post(&server, PATH, unbound, BRIEF).await;
    assert_eq!(
        (s, body["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("INVALID_SIGNATURE"))
    );
    let (s, _) = post(&server, PATH, legacy_signed("POST", PATH), BRIEF).await;
    assert_eq!(
        s,
        StatusCode::FORBIDDEN,
        "legacy signatures are refused in strict mode"
    );
    // A body changed after signing.
    let tampered = signed(BodyHashMode::Sha256, "POST", PATH, BRIEF.as_bytes());
    let other = BRIEF.replace("European", "Japanese");
    let (s, _) = post(&server, PATH, tampered, &other).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // Bodiless GET: the slot is empty in both modes.
    let resp = client()
        .get(format!("{}/v1/limits", server.url()))
        .headers(signed(BodyHashMode::Sha256, "GET", "/v1/limits", b""))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(json(&resp.bytes().await.unwrap())["key_id"], "7e87f69b");
}

#[tokio::test]
async fn lenient_accepts_either_form() {
    let server = start(builder().hmac_secret(SECRET).auth_mode(AuthMode::Lenient)).await;
    for mode in [BodyHashMode::Unbound, BodyHashMode::Sha256] {
        let (s, _) = post(
            &server,
            PATH,
            signed(mode, "POST", PATH, BRIEF.as_bytes()),
            BRIEF,
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{mode}");
    }
}

#[tokio::test]
async fn replay_and_skew_are_blocked() {
    let server = start(builder().hmac_secret(SECRET)).await;
    let nonce = generate_nonce();
    let headers = sign_at(
        SECRET,
        BodyHashMode::Unbound,
        "POST",
        PATH,
        b"",
        now_ms(),
        &nonce,
    );
    let (s, _) = post(&server, PATH, headers.clone(), BRIEF).await;
    assert_eq!(s, StatusCode::OK);
    let (s, body) = post(&server, PATH, headers, BRIEF).await;
    assert_eq!(
        (s, body["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("REPLAY_BLOCKED"))
    );
    let stale = sign_at(
        SECRET,
        BodyHashMode::Unbound,
        "POST",
        PATH,
        b"",
        now_ms() - 301_000,
        &generate_nonce(),
    );
    let (s, body) = post(&server, PATH, stale, BRIEF).await;
    assert_eq!(
        (s, body["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("SIGNATURE_SKEW"))
    );
    assert_eq!(
        body["message"],
        "HMAC signature validation failed: SIGNATURE_SKEW"
    );
    // Seconds instead of milliseconds is a skew too.
    let seconds = sign_at(
        SECRET,
        BodyHashMode::Unbound,
        "POST",
        PATH,
        b"",
        now_ms() / 1000,
        &generate_nonce(),
    );
    let (s, _) = post(&server, PATH, seconds, BRIEF).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let journal = server.journal();
    assert_eq!(journal[0].nonce.as_deref(), Some(nonce.as_str()));
    assert_eq!(journal[1].nonce, journal[0].nonce);
}

#[tokio::test]
async fn with_keys_and_secret_a_failed_signature_falls_back_to_keys() {
    let server = start(builder().hmac_secret(SECRET).api_key(KEY)).await;
    let bad = sign_at(
        "wrong-secret",
        BodyHashMode::Unbound,
        "POST",
        PATH,
        b"",
        now_ms(),
        &generate_nonce(),
    );
    let (s, body) = post(&server, PATH, bad.clone(), BRIEF).await;
    assert_eq!(
        (s, body["message"].as_str()),
        (
            StatusCode::UNAUTHORIZED,
            Some("Missing API key. Provide X-Olumi-Assist-Key header.")
        )
    );
    let mut with_key = bad;
    with_key.insert("x-olumi-assist-key", KEY.parse().unwrap());
    let (s, _) = post(&server, PATH, with_key, BRIEF).await;
    assert_eq!(s, StatusCode::OK);
    let last = server.journal().pop().unwrap();
    assert_eq!(
        last.verdict,
        Verdict::ApiKey {
            key_id: "398765f1".into()
        }
    );
    assert_eq!(last.hmac_rejection.as_deref(), Some("INVALID_SIGNATURE"));
}

#[tokio::test]
async fn several_secrets_verify_and_get_their_own_key_ids() {
    let server = start(builder().hmac_secret("old-secret").hmac_secret(SECRET)).await;
    for secret in ["old-secret", SECRET] {
        let h = sign_at(
            secret,
            BodyHashMode::Unbound,
            "GET",
            "/v1/limits",
            b"",
            now_ms(),
            &generate_nonce(),
        );
        let resp = client()
            .get(format!("{}/v1/limits", server.url()))
            .headers(h)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK, "{secret}");
    }
    let ids: Vec<Verdict> = server.journal().into_iter().map(|e| e.verdict).collect();
    assert!(matches!(&ids[1], Verdict::Hmac { key_id, .. } if key_id == "7e87f69b"));
}

#[tokio::test]
async fn the_journal_never_holds_secrets() {
    let server = start(builder().hmac_secret(SECRET).api_key(KEY)).await;
    let signature_headers = signed(BodyHashMode::Unbound, "POST", PATH, b"");
    let signature = signature_headers["x-olumi-signature"]
        .to_str()
        .unwrap()
        .to_owned();
    post(&server, PATH, signature_headers, BRIEF).await;
    post(&server, PATH, key_header("x-olumi-assist-key", KEY), BRIEF).await;
    post(
        &server,
        PATH,
        key_header("authorization", &format!("Bearer {KEY}")),
        BRIEF,
    )
    .await;
    let in_memory = format!("{:?}", server.journal());
    let over_http = client()
        .get(format!("{}/__admin/journal", server.url()))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for text in [&in_memory, &over_http] {
        assert!(!text.contains(KEY), "API key leaked: {text}");
        assert!(!text.contains(&signature), "signature leaked");
        assert!(text.contains("<redacted>"));
    }
    let journal = server.journal();
    assert_eq!(journal[0].header("x-olumi-signature"), Some("<redacted>"));
    assert_eq!(journal[1].header("x-olumi-assist-key"), Some("<redacted>"));
    assert_eq!(
        journal[2].header("authorization"),
        Some("Bearer <redacted>")
    );
    assert!(
        journal[0].header("x-olumi-nonce").is_some(),
        "the nonce is kept"
    );
    assert_eq!(
        journal[0].body_sha256,
        olumi::response_hash::raw_body_hash(BRIEF.as_bytes())
    );
    // Debug output of the server and builder redacts too.
    let debug = format!(
        "{server:?} {:?}",
        builder().hmac_secret(SECRET).api_key(KEY)
    );
    assert!(!debug.contains(SECRET) && !debug.contains(KEY), "{debug}");
}

#[tokio::test]
async fn a_replay_after_a_flood_of_fresh_nonces_is_refused() {
    // The store holds 50 nonces; 200 fresh requests overflow it four times over.
    let server = start(builder().hmac_secret(SECRET).rpm(0).nonce_capacity(50)).await;
    let http = client();
    let get = |headers: HeaderMap| {
        http.get(format!("{}/v1/limits", server.url()))
            .headers(headers)
            .send()
    };
    let sign = |ts: u64, nonce: &str| {
        sign_at(
            SECRET,
            BodyHashMode::Unbound,
            "GET",
            "/v1/limits",
            b"",
            ts,
            nonce,
        )
    };
    let start_ms = now_ms();
    let first = sign(start_ms, &generate_nonce());
    assert_eq!(get(first.clone()).await.unwrap().status(), StatusCode::OK);
    for i in 1..=200 {
        let resp = get(sign(start_ms + i, &generate_nonce())).await.unwrap();
        assert_eq!(resp.status(), StatusCode::OK, "fresh request {i}");
    }
    let resp = get(first).await.unwrap();
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    let headers = resp.headers().clone();
    let body = resp.bytes().await.unwrap();
    assert_hash(&headers, &body);
    assert_eq!(
        json(&body),
        serde_json::json!({"schema":"error.v1","code":"REPLAY_RISK","message":"HMAC signature validation failed: REPLAY_RISK"})
    );
    // A client signing now is not affected.
    let resp = get(sign(now_ms().max(start_ms + 201), &generate_nonce()))
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let journal = server.journal();
    assert!(matches!(
        &journal[201].verdict,
        Verdict::HmacRejected { code } if code == "REPLAY_RISK"
    ));
}
