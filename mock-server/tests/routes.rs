//! Every route's canned answer, request ids, malformed requests, user fixtures, the near-miss 404.

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::Value;

#[tokio::test]
async fn every_json_route_answers_with_hash_and_request_id() {
    let server = start(builder().api_key(KEY)).await;
    let http = client();
    let routes: &[(&str, &str, &str)] = &[
        ("GET", "/healthz", ""),
        ("GET", "/v1/status", ""),
        ("GET", "/v1/limits", ""),
        ("POST", "/assist/draft-graph", BRIEF),
        (
            "POST",
            "/assist/suggest-options",
            r#"{"goal":"Expand into the EU"}"#,
        ),
        ("POST", "/assist/clarify-brief", BRIEF),
        (
            "POST",
            "/assist/critique-graph",
            r#"{"graph":{"version":"1","nodes":[],"edges":[]}}"#,
        ),
        (
            "POST",
            "/assist/explain-diff",
            r#"{"patch":{"adds":{"nodes":[],"edges":[]}}}"#,
        ),
        ("POST", "/assist/v1/draft-graph", BRIEF),
    ];
    for (method, path, body) in routes {
        let req = http
            .request(method.parse().unwrap(), format!("{}{path}", server.url()))
            .header("x-olumi-assist-key", KEY);
        let req = if body.is_empty() {
            req
        } else {
            req.header("content-type", "application/json").body(*body)
        };
        let resp = req.send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::OK, "{method} {path}");
        assert_eq!(
            header(&resp, "content-type"),
            Some("application/json; charset=utf-8")
        );
        assert!(is_uuid_v4(header(&resp, "x-request-id").unwrap()));
        let headers = resp.headers().clone();
        let body = resp.bytes().await.unwrap();
        assert_hash(&headers, &body);
        let v = json(&body);
        match *path {
            "/healthz" => assert_eq!(v["ok"], true),
            "/v1/status" => assert!(v["uptime_seconds"].is_number()),
            "/v1/limits" => {
                assert_eq!(v["schema"], "limits.v1");
                assert_eq!(v["key_id"], "398765f1", "fastHash of the key");
                assert_eq!(v["rate_limit_rpm"], 120);
                assert_eq!(v["sse_quota"]["refill_rate_per_sec"], 20.0 / 60.0);
            }
            "/assist/draft-graph" => {
                let kinds = [
                    "goal", "decision", "option", "outcome", "risk", "action", "factor",
                ];
                for node in v["graph"]["nodes"].as_array().unwrap() {
                    assert!(kinds.contains(&node["kind"].as_str().unwrap()), "{node}");
                }
                assert_eq!(v["diagnostics"]["resumes"], 0);
                assert_eq!(
                    v["diagnostics"]["correlation_id"].as_str(),
                    headers
                        .get("x-correlation-id")
                        .and_then(|h| h.to_str().ok()),
                    "the diagnostics carry the X-Correlation-ID"
                );
                assert!(
                    v.get("schema").is_none(),
                    "the service sends no schema here"
                );
            }
            "/assist/suggest-options" => {
                let options = v["options"].as_array().unwrap();
                assert!((3..=5).contains(&options.len()));
                for key in ["id", "title", "pros", "cons", "evidence_to_gather"] {
                    assert!(options[0].get(key).is_some(), "{key}");
                }
            }
            "/assist/clarify-brief" => assert!(v["questions"].as_array().is_some()),
            "/assist/critique-graph" => {
                assert_eq!(v["issues"][0]["level"], "BLOCKER");
                assert!(v["suggested_fixes"].is_array());
            }
            "/assist/explain-diff" => assert!(v["rationales"][0]["why"].is_string()),
            "/assist/v1/draft-graph" => {
                assert_eq!(
                    headers.get("x-cee-api-version").unwrap(),
                    "v3",
                    "the CEE route defaults to schema v3"
                );
                assert_eq!(
                    v["trace"]["request_id"].as_str(),
                    headers.get("x-request-id").and_then(|h| h.to_str().ok())
                );
                assert_eq!(headers.get("x-cee-request-id"), headers.get("x-request-id"));
                assert!(v["analysis_ready"].is_object() && v["nodes"].is_array());
            }
            other => panic!("unchecked route {other}"),
        }
    }
    server.shutdown().await;
}

#[tokio::test]
async fn request_ids_are_echoed_when_valid() {
    let server = start(builder()).await;
    let http = client();
    let url = format!("{}/healthz", server.url());
    let echoed = http
        .get(&url)
        .header("x-request-id", " my-req.123 ")
        .send()
        .await
        .unwrap();
    assert_eq!(header(&echoed, "x-request-id"), Some("my-req.123"));
    let replaced = http
        .get(&url)
        .header("x-request-id", "bad id!")
        .send()
        .await
        .unwrap();
    assert!(is_uuid_v4(header(&replaced, "x-request-id").unwrap()));
    let long = "a".repeat(65);
    let replaced = http
        .get(&url)
        .header("x-request-id", &long)
        .send()
        .await
        .unwrap();
    assert_ne!(header(&replaced, "x-request-id"), Some(long.as_str()));
}

#[tokio::test]
async fn evidence_pack_is_a_real_zip_without_hash() {
    let server = start(builder()).await;
    let resp = client()
        .post(format!("{}/assist/evidence-pack", server.url()))
        .header("content-type", "application/json")
        .body(r#"{"graph":{}}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(header(&resp, "content-type"), Some("application/zip"));
    assert!(header(&resp, "x-olumi-response-hash").is_none());
    assert!(header(&resp, "x-request-id").is_some());
    let body = resp.bytes().await.unwrap();
    assert!(body.starts_with(b"PK\x03\x04"), "a ZIP local file header");
    // The end-of-central-directory record lists three entries.
    let eocd = body.windows(4).rposition(|w| w == b"PK\x05\x06").unwrap();
    assert_eq!(u16::from_le_bytes([body[eocd + 10], body[eocd + 11]]), 3);
}

#[tokio::test]
async fn legacy_sse_on_the_json_route_is_426_without_auth() {
    let server = start(builder().api_key(KEY)).await;
    let resp = client()
        .post(format!("{}/assist/draft-graph", server.url()))
        .header("accept", "text/event-stream")
        .header("content-type", "application/json")
        .body(BRIEF)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UPGRADE_REQUIRED);
    let headers = resp.headers().clone();
    let body = resp.bytes().await.unwrap();
    assert_hash(&headers, &body);
    assert_eq!(
        json(&body)["details"]["recommended_endpoint"],
        "/assist/draft-graph/stream"
    );
    assert_eq!(
        server.journal()[0].verdict,
        olumi_mock::Verdict::LegacySseBypass
    );
}

#[tokio::test]
async fn public_routes_match_the_exact_url() {
    let server = start(builder().api_key(KEY)).await;
    let http = client();
    let ok = http
        .get(format!("{}/healthz", server.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), StatusCode::OK);
    let with_query = http
        .get(format!("{}/healthz?x=1", server.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(
        with_query.status(),
        StatusCode::UNAUTHORIZED,
        "the query makes it non-public"
    );
    let status = http
        .get(format!("{}/v1/status", server.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(status.status(), StatusCode::OK);
}

#[tokio::test]
async fn unmatched_requests_list_the_nearest_fixtures() {
    let server = start(builder()).await;
    let resp = client()
        .post(format!("{}/assist/draft-grap", server.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    let headers = resp.headers().clone();
    let body = resp.bytes().await.unwrap();
    assert_hash(&headers, &body);
    let v = json(&body);
    assert_eq!(v["message"], "Route POST:/assist/draft-grap not found");
    assert_eq!(v["statusCode"], 404);
    let nearest = v["nearest"].as_array().unwrap();
    assert_eq!(nearest[0]["fixture"], "draft-graph");
    let why = nearest[0]["mismatches"][0].as_str().unwrap();
    assert!(
        why.starts_with("path: expected \"/assist/draft-graph\""),
        "{why}"
    );
    assert!(server.journal()[0].fixture.is_none());
}

#[tokio::test]
async fn near_miss_explains_header_and_body_matchers() {
    let dir = TempDir::new();
    dir.write(
        "special.json",
        r#"{"match": {"method": "POST", "path": "/custom", "query": {"v": "2"},
            "headers": {"x-tenant": "acme"}, "body": {"kind": "special", "n": 1}},
           "response": {"status": 201, "json": {"ok": true}}}"#,
    );
    let server = start(builder().fixtures_dir(dir.path())).await;
    let http = client();
    let url = format!("{}/custom?v=2", server.url());
    let hit = http
        .post(&url)
        .header("x-tenant", "acme")
        .header("content-type", "application/json")
        .body(r#"{"kind":"special","n":1.0,"extra":true}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(hit.status(), StatusCode::CREATED);
    let miss = http
        .post(&url)
        .header("x-tenant", "other")
        .header("content-type", "application/json")
        .body(r#"{"kind":"plain"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(miss.status(), StatusCode::NOT_FOUND);
    let v = json(&miss.bytes().await.unwrap());
    assert_eq!(v["nearest"][0]["fixture"], "special");
    let reasons: Vec<&str> = v["nearest"][0]["mismatches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    assert!(
        reasons
            .iter()
            .any(|r| r.starts_with("header x-tenant: expected \"acme\"")),
        "{reasons:?}"
    );
    assert!(
        reasons
            .iter()
            .any(|r| r.starts_with("body.kind: expected \"special\"")),
        "{reasons:?}"
    );
}

#[tokio::test]
async fn near_miss_redacts_secret_header_values() {
    let dir = TempDir::new();
    dir.write(
        "secret.json",
        r#"{"match": {"method": "GET", "path": "/secret",
            "headers": {"authorization": "Bearer fixture-secret-1", "x-resume-token": {"contains": "fixture-secret-2"},
                        "x-tenant": "acme"}},
           "response": {"status": 200, "json": {"ok": true}}}"#,
    );
    let server = start(builder().fixtures_dir(dir.path())).await;
    let miss = client()
        .get(format!("{}/secret", server.url()))
        .header("authorization", "Bearer request-secret-1")
        .header("x-resume-token", "request-secret-2")
        .header("x-tenant", "other")
        .send()
        .await
        .unwrap();
    assert_eq!(miss.status(), StatusCode::NOT_FOUND);
    let text = miss.text().await.unwrap();
    for secret in ["request-secret", "fixture-secret"] {
        assert!(!text.contains(secret), "{text}");
    }
    let v = json(text.as_bytes());
    let reasons: Vec<&str> = v["nearest"][0]["mismatches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    assert!(
        reasons.contains(&"header authorization: expected <redacted>, got <redacted>"),
        "{reasons:?}"
    );
    assert!(
        reasons.contains(&"header x-resume-token: expected to contain <redacted>, got <redacted>"),
        "{reasons:?}"
    );
    // Other headers still show their values.
    assert!(
        reasons.contains(&r#"header x-tenant: expected "acme", got "other""#),
        "{reasons:?}"
    );
}

#[tokio::test]
async fn user_fixtures_override_shipped_ones_and_use_placeholders() {
    let dir = TempDir::new();
    dir.write(
        "mine.json",
        r#"{"name": "healthz", "match": {"method": "GET", "path": "/healthz"},
           "response": {"headers": {"x-echo": "${request_id}"},
                        "json": {"ok": false, "rid": "${request_id}"}}}"#,
    );
    let server = start(builder().fixtures_dir(dir.path())).await;
    let resp = client()
        .get(format!("{}/healthz", server.url()))
        .header("x-request-id", "r-1")
        .send()
        .await
        .unwrap();
    assert_eq!(header(&resp, "x-echo"), Some("r-1"));
    let headers = resp.headers().clone();
    let body = resp.bytes().await.unwrap();
    assert_hash(&headers, &body);
    assert_eq!(json(&body), serde_json::json!({"ok": false, "rid": "r-1"}));
}

#[tokio::test]
async fn invalid_input_is_rejected_like_the_service() {
    let server = start(builder()).await;
    let http = client();
    let resp = http
        .post(format!("{}/assist/draft-graph", server.url()))
        .header("content-type", "application/json")
        .body(r#"{"brief":"too short"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        resp.text().await.unwrap(),
        r#"{"schema":"error.v1","code":"BAD_INPUT","message":"invalid input","details":{"formErrors":[],"fieldErrors":{"brief":["String must contain at least 30 character(s)"]}}}"#
    );
    let cee = http
        .post(format!("{}/assist/v1/draft-graph", server.url()))
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(cee.status(), StatusCode::BAD_REQUEST);
    let rid = header(&cee, "x-request-id").unwrap().to_owned();
    let v = json(&cee.bytes().await.unwrap());
    assert_eq!(v["schema"], "cee.error.v1");
    assert_eq!(v["code"], "CEE_VALIDATION_FAILED");
    assert_eq!(v["retryable"], false);
    assert_eq!(v["trace"]["request_id"], Value::String(rid));
    assert_eq!(
        v["details"]["field_errors"]["fieldErrors"]["brief"][0],
        "Required"
    );
}

#[tokio::test]
async fn malformed_requests_get_clear_errors() {
    let server = start(builder().body_limit(1024)).await;
    let http = client();
    let url = format!("{}/assist/draft-graph", server.url());
    let bad_json = http
        .post(&url)
        .header("content-type", "application/json")
        .body(r#"{"brief": "#)
        .send()
        .await
        .unwrap();
    assert_eq!(bad_json.status(), StatusCode::BAD_REQUEST);
    let headers = bad_json.headers().clone();
    let body = bad_json.bytes().await.unwrap();
    assert_hash(&headers, &body);
    let v = json(&body);
    assert_eq!(v["code"], "BAD_INPUT");
    assert!(
        v["message"]
            .as_str()
            .unwrap()
            .starts_with("Body is not valid JSON")
    );

    let huge = http
        .post(&url)
        .header("content-type", "application/json")
        .body(format!(r#"{{"brief":"{}"}}"#, "x".repeat(4096)))
        .send()
        .await
        .unwrap();
    assert_eq!(huge.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        json(&huge.bytes().await.unwrap())["details"]["max_size_bytes"],
        1024
    );

    let bad_header = http
        .get(format!("{}/healthz", server.url()))
        .header(
            "x-olumi-nonce",
            reqwest::header::HeaderValue::from_bytes(b"n\xffx").unwrap(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(bad_header.status(), StatusCode::BAD_REQUEST);
    assert!(
        json(&bad_header.bytes().await.unwrap())["message"]
            .as_str()
            .unwrap()
            .contains("x-olumi-nonce")
    );
}

#[tokio::test]
async fn quirks_mode_answers_malformed_requests_as_the_service() {
    let server = start(builder().quirks(true).body_limit(64)).await;
    let http = client();
    let url = format!("{}/assist/draft-graph", server.url());
    let bad_json = http
        .post(&url)
        .header("content-type", "application/json")
        .body("{")
        .send()
        .await
        .unwrap();
    assert_eq!(bad_json.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(json(&bad_json.bytes().await.unwrap())["code"], "INTERNAL");
    let huge = http
        .post(&url)
        .header("content-type", "application/json")
        .body("x".repeat(100))
        .send()
        .await
        .unwrap();
    assert_eq!(huge.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn scenarios_sequence_answers() {
    let dir = TempDir::new();
    dir.write(
        "first.json",
        r#"{"match": {"method": "GET", "path": "/seq"}, "scenario": {"name": "s", "state": "started", "next": "second"},
           "response": {"status": 503, "json": {"n": 1}}}"#,
    );
    dir.write(
        "second.json",
        r#"{"match": {"method": "GET", "path": "/seq"}, "scenario": {"name": "s", "state": "second"},
           "response": {"json": {"n": 2}}}"#,
    );
    let server = start(builder().fixtures_dir(dir.path())).await;
    let http = client();
    let url = format!("{}/seq", server.url());
    let statuses = [
        http.get(&url).send().await.unwrap().status(),
        http.get(&url).send().await.unwrap().status(),
        http.get(&url).send().await.unwrap().status(),
    ];
    assert_eq!(
        statuses,
        [
            StatusCode::SERVICE_UNAVAILABLE,
            StatusCode::OK,
            StatusCode::OK
        ]
    );
    server.reset();
    assert_eq!(
        http.get(&url).send().await.unwrap().status(),
        StatusCode::SERVICE_UNAVAILABLE
    );
    server.set_scenario("s", "second");
    assert_eq!(
        http.get(&url).send().await.unwrap().status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn bad_fixture_stops_the_start_naming_file_and_field() {
    let dir = TempDir::new();
    let file = dir.write(
        "broken.json",
        r#"{"match": {"method": "GET", "path": "/x"}, "response": {"status": "two hundred"}}"#,
    );
    let err = builder()
        .fixtures_dir(dir.path())
        .start()
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(text.contains(&file.display().to_string()), "{text}");
    assert!(text.contains("`response.status`"), "{text}");
}
