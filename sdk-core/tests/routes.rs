//! The route list and the generic escape hatch (`request_json`, `request_stream`) against a real
//! `olumi-mock` on 127.0.0.1.

use std::time::Duration;

use olumi::routes::{self, Method, RouteKind};
use olumi::signing::BodyHashMode;
use olumi::{Client, CompletedVia, Error, StreamEvent};
use olumi_mock::{AuthMode, JournalEntry, MockServer, Verdict};
use serde_json::{Value, json};

const SECRET: &str = "test-hmac-secret";
const BRIEF: &str = "Should we expand our SaaS product into the European market next year?";

async fn server(mode: AuthMode) -> MockServer {
    MockServer::builder()
        .hmac_secret(SECRET)
        .auth_mode(mode)
        .heartbeat(Duration::from_millis(50))
        .seed(7)
        .start()
        .await
        .expect("mock server starts")
}

fn client(server: &MockServer, mode: BodyHashMode) -> Client {
    Client::builder(server.url())
        .hmac_secret(SECRET, mode)
        .max_retries(0)
        .stream_idle_timeout(Duration::from_millis(400))
        .build()
        .unwrap()
}

fn last_to(server: &MockServer, target: &str) -> JournalEntry {
    server
        .journal()
        .into_iter()
        .rev()
        .find(|e| e.target == target)
        .unwrap_or_else(|| panic!("no request to {target} in the journal"))
}

#[test]
fn the_route_list_covers_the_services_forty_product_routes() {
    assert_eq!(routes::ROUTES.len(), 40);
    let streams: Vec<&str> = routes::ROUTES
        .iter()
        .filter(|r| r.kind == RouteKind::Stream)
        .map(|r| r.name)
        .collect();
    assert_eq!(
        streams,
        ["draft_graph_stream", "resume", "cee_draft_graph_stream"]
    );
    let share: Vec<(Method, &str)> = ["create_share", "get_share", "revoke_share"]
        .iter()
        .map(|n| {
            let r = routes::find(n).unwrap();
            (r.method, r.path)
        })
        .collect();
    assert_eq!(
        share,
        [
            (Method::Post, "/assist/share"),
            (Method::Get, "/assist/share/{token}"),
            (Method::Delete, "/assist/share/{token}"),
        ]
    );
}

#[tokio::test]
async fn every_method_is_sent_and_signed_over_the_exact_target() {
    // Strict mode binds the body too, so a wrong method, target or body would be rejected.
    for mode in [AuthMode::Compat, AuthMode::Strict] {
        let server = server(mode).await;
        let body_mode = if mode == AuthMode::Strict {
            BodyHashMode::Sha256
        } else {
            BodyHashMode::Unbound
        };
        let client = client(&server, body_mode);
        for method in Method::ALL {
            let target = format!("/assist/v1/not-yet-typed?m={method}&note=a%20b");
            let body = (method != Method::Get).then(|| json!({"x": 1}));
            let err = client
                .request_json(method, &target, body.as_ref())
                .await
                .expect_err("no such route on the mock");
            // Auth passed (a rejected signature is 403): the route itself is unknown.
            let Error::Api(api) = &err else {
                panic!("{method}: {err:?}")
            };
            assert_eq!(api.status, 404, "{method}: {err}");
            let entry = last_to(&server, &target);
            assert_eq!(entry.method, method.as_str());
            assert!(
                matches!(entry.verdict, Verdict::Hmac { .. }),
                "{method} {mode:?}: {:?}",
                entry.verdict
            );
            assert_eq!(entry.body_len > 0, body.is_some());
        }
    }
}

#[tokio::test]
async fn request_json_returns_the_body_as_json() {
    let server = server(AuthMode::Compat).await;
    let client = client(&server, BodyHashMode::Unbound);
    let health = client
        .request_json(Method::Get, "/healthz", None)
        .await
        .unwrap();
    assert_eq!(health["ok"], true);
    let draft = client
        .request_json(
            Method::Post,
            "/assist/v1/draft-graph",
            Some(&json!({ "brief": BRIEF })),
        )
        .await
        .unwrap();
    assert!(draft["nodes"].is_array(), "{draft}");
}

#[tokio::test]
async fn a_relative_path_is_a_config_error() {
    let server = server(AuthMode::Compat).await;
    let client = client(&server, BodyHashMode::Unbound);
    let err = client
        .request_json(Method::Get, "healthz", None)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("must start with '/'"), "{err}");
    let err = client
        .request_stream(Method::Post, "x", None)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("must start with '/'"), "{err}");
}

#[tokio::test]
async fn request_stream_returns_the_typed_events_of_any_streaming_route() {
    let server = server(AuthMode::Compat).await;
    let client = client(&server, BodyHashMode::Unbound);
    let mut stream = client
        .request_stream(
            Method::Post,
            "/assist/v1/draft-graph/stream",
            Some(&json!({ "brief": BRIEF })),
        )
        .await
        .unwrap();
    let mut stages = 0;
    let mut complete: Option<Value> = None;
    while let Some(event) = stream.next().await {
        match event.unwrap() {
            StreamEvent::Stage { .. } => stages += 1,
            StreamEvent::Complete(done) => {
                assert_eq!(done.via, CompletedVia::Stream);
                complete = Some(done.output);
            }
            _ => {}
        }
    }
    assert!(stages >= 1);
    let payload = complete.expect("a final event");
    assert!(payload.is_object(), "{payload}");
}

#[tokio::test]
async fn request_stream_of_invalid_input_is_a_typed_error() {
    let server = server(AuthMode::Compat).await;
    let client = client(&server, BodyHashMode::Unbound);
    let mut stream = client
        .request_stream(
            Method::Post,
            "/assist/v1/draft-graph/stream",
            Some(&json!({ "brief": "too short" })),
        )
        .await
        .unwrap();
    let mut last = None;
    while let Some(event) = stream.next().await {
        last = Some(event);
    }
    let Some(Err(Error::Api(api))) = last else {
        panic!("{last:?}")
    };
    assert_eq!(api.status, 400);
    assert_eq!(api.code.as_str(), "CEE_VALIDATION_FAILED");
}
