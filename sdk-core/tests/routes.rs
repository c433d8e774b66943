//! The route list and the generic escape hatch (`request_json`, `request_stream`) against a real
//! `olumi-mock` on 127.0.0.1.

use std::time::Duration;

use olumi::routes::{self, Method, RouteKind};
use olumi::signing::BodyHashMode;
use olumi::{Client, CompletedVia, Error, StreamEvent};
use olumi_mock::{AuthMode, JournalEntry, MockServer, Verdict};
use serde_json::{Value, json};

mod common;

use common::{BRIEF, SECRET, hmac_client_builder, server};

fn client(server: &MockServer, mode: BodyHashMode) -> Client {
    hmac_client_builder(server, mode)
        .max_retries(0)
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
            StreamEvent::Stage(_) => stages += 1,
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

// ---------------------------------------------------------------------------------------------
// The typed methods of the CEE capability routes, share links, and the CEE draft and stream.

/// Example requests for the CEE capability routes, in the service's request shapes.
fn cee_requests() -> serde_json::Map<String, Value> {
    let text = include_str!("data/cee_requests.json");
    serde_json::from_str(text).expect("valid JSON")
}

/// Calls the typed method `name` with the example request, decoded into the typed request
/// model, and returns the typed response re-encoded as JSON.
async fn call_typed(client: &Client, name: &str, req: Value) -> Result<Value, Error> {
    macro_rules! typed {
        ($($method:ident),+ $(,)?) => {
            match name {
                $(stringify!($method) => {
                    let req = serde_json::from_value(req).expect("the example request decodes");
                    let resp = client.$method(&req).await?;
                    Ok(serde_json::to_value(resp).unwrap())
                })+
                other => panic!("no typed call for {other}"),
            }
        };
    }
    typed!(
        options,
        bias_check,
        explain_graph,
        evidence_helper,
        sensitivity_coach,
        team_perspectives,
        graph_readiness,
        key_insight,
        elicit_belief,
        suggest_utility_weights,
        elicit_risk_tolerance,
        suggest_edge_function,
        generate_recommendation,
        narrate_conditions,
        explain_policy,
        elicit_preferences,
        elicit_preferences_answer,
        explain_tradeoff,
        isl_synthesis,
        ask,
    )
}

#[tokio::test]
async fn every_cee_capability_route_has_a_typed_method_that_works_against_the_mock() {
    let server = server(AuthMode::Compat).await;
    let client = client(&server, BodyHashMode::Unbound);
    let requests = cee_requests();
    for (name, req) in &requests {
        let route = routes::find(name).unwrap_or_else(|| panic!("{name} is not in ROUTES"));
        let body = call_typed(&client, name, req.clone())
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(
            body.is_object() && !body.as_object().unwrap().is_empty(),
            "{name}"
        );
        let entry = server.journal().pop().unwrap();
        assert_eq!(
            (entry.method.as_str(), entry.target.as_str(), entry.status),
            (route.method.as_str(), route.path, 200),
            "{name}"
        );
    }
    // Every plain JSON POST of /assist/v1 in ROUTES is covered here, or by its own test below.
    let own_tests = ["cee_draft_graph", "review"];
    for route in routes::ROUTES.iter().filter(|r| {
        r.path.starts_with("/assist/v1/") && r.method == Method::Post && r.kind == RouteKind::Json
    }) {
        assert!(
            requests.contains_key(route.name) || own_tests.contains(&route.name),
            "{} has no example request",
            route.name
        );
    }
}

#[tokio::test]
async fn cee_capability_routes_answer_invalid_input_with_a_typed_validation_error() {
    let server = server(AuthMode::Compat).await;
    let client = client(&server, BodyHashMode::Unbound);
    // The generic call sends what the typed request model would refuse to build.
    let err = client
        .request_json(
            Method::Post,
            "/assist/v1/bias-check",
            Some(&json!({"seed": "1"})),
        )
        .await
        .unwrap_err();
    let api = err.as_api().expect("an API error");
    assert_eq!(
        (api.status, api.code.as_str()),
        (400, "CEE_VALIDATION_FAILED")
    );
    assert_eq!(api.schema.as_deref(), Some("cee.error.v1"));
    assert_eq!(api.retryable, Some(false));
    let details = api.details.as_ref().unwrap();
    assert_eq!(
        details["field_errors"]["fieldErrors"]["graph"],
        json!(["Required"])
    );
}

#[tokio::test]
async fn elicit_risk_tolerance_has_both_answers() {
    let server = server(AuthMode::Compat).await;
    let client = client(&server, BodyHashMode::Unbound);
    use olumi::models::{
        ElicitRiskToleranceRequest, ElicitRiskToleranceRequestMode, RiskToleranceAnswer,
    };
    let questions = client
        .elicit_risk_tolerance(&ElicitRiskToleranceRequest::new(
            ElicitRiskToleranceRequestMode::GetQuestions,
        ))
        .await
        .unwrap();
    assert!(
        !questions
            .questions()
            .expect("questions")
            .questions
            .is_empty()
    );
    let mut answers =
        ElicitRiskToleranceRequest::new(ElicitRiskToleranceRequestMode::ProcessResponses);
    answers.responses = Some(vec![RiskToleranceAnswer::new("item_1", "item_1")]);
    let profile = client.elicit_risk_tolerance(&answers).await.unwrap();
    assert!(profile.profile().is_some() && profile.questions().is_none());
}

#[tokio::test]
async fn review_health_example_and_diagnostics_are_typed() {
    let server = server(AuthMode::Compat).await;
    let client = client(&server, BodyHashMode::Unbound);
    use olumi::models::{Graph, Node, NodeKind, ReadinessLevel, ReviewIntent, ReviewRequest};
    let graph = Graph::new(vec![Node::new("goal_1", NodeKind::Goal)], Vec::new());
    let review = client
        .review(&ReviewRequest::new(graph, BRIEF))
        .await
        .unwrap();
    assert_eq!(review.intent, ReviewIntent::Selection);
    assert_eq!(review.readiness.level, ReadinessLevel::Caution);
    assert!(!review.blocks.is_empty() && !review.trace.request_id.is_empty());
    let health = client.cee_health().await.unwrap();
    assert!(!health.feature_flags.is_empty());
    let example = client.decision_review_example().await.unwrap();
    assert!(!example.story.headline.is_empty());
    let diagnostics = client.diagnostics().await.unwrap();
    assert!(!diagnostics.body.is_empty());
}

#[tokio::test]
async fn share_links_are_created_read_revoked_and_expire() {
    let server = server(AuthMode::Compat).await;
    let client = client(&server, BodyHashMode::Unbound);
    use olumi::ApiErrorCategory;
    use olumi::models::{CreateShareRequest, Graph, Node, NodeKind};
    let graph = Graph::new(vec![Node::new("goal_1", NodeKind::Goal)], Vec::new());
    let mut req = CreateShareRequest::new(graph.clone());
    req.brief = Some(BRIEF.to_owned());
    req.ttl_hours = Some(1.0);
    let created = client.create_share(&req).await.unwrap();
    assert_eq!(created.schema, "share.v1");
    let token = created
        .token()
        .expect("the link ends with the token")
        .to_owned();
    assert!(created.url.starts_with(&server.url()), "{}", created.url);

    let shared = client.get_share(&token).await.unwrap();
    assert_eq!(
        (shared.share_id.as_str(), shared.access_count),
        (created.share_id.as_str(), 1)
    );
    assert_eq!(shared.graph.nodes[0].id, "goal_1");
    assert_eq!(shared.brief.as_deref(), Some(BRIEF));
    assert_eq!(client.get_share(&token).await.unwrap().access_count, 2);

    let revoked = client.revoke_share(&token).await.unwrap();
    assert!(revoked.revoked);
    let gone = client.get_share(&token).await.unwrap_err();
    let api = gone.as_api().unwrap();
    assert_eq!((api.status, api.code.as_str()), (410, "NOT_FOUND"));
    assert_eq!(api.category(), ApiErrorCategory::NotFound);
    let again = client.revoke_share(&token).await.unwrap_err();
    assert_eq!(again.as_api().unwrap().status, 404);
    // The DELETE went out as a DELETE, to the token's path.
    let entry = server.journal().pop().unwrap();
    assert_eq!(
        (entry.method.as_str(), entry.target.as_str()),
        ("DELETE", format!("/assist/share/{token}").as_str())
    );

    // Expiry: an hour later the link is gone.
    let short = client.create_share(&req).await.unwrap();
    let token = short.token().unwrap().to_owned();
    assert!(client.get_share(&token).await.is_ok());
    server.advance_share_clock(Duration::from_secs(3601));
    assert_eq!(
        client
            .get_share(&token)
            .await
            .unwrap_err()
            .as_api()
            .unwrap()
            .status,
        410
    );

    // Invalid input and path-unsafe tokens are typed errors.
    let bad = client
        .request_json(Method::Post, "/assist/share", Some(&json!({"graph": {}})))
        .await
        .unwrap_err();
    assert_eq!(bad.as_api().unwrap().code.as_str(), "BAD_INPUT");
    let unsafe_token = client.get_share("..").await.unwrap_err();
    assert!(unsafe_token.to_string().contains("token"), "{unsafe_token}");
}

#[tokio::test]
async fn the_cee_draft_answers_v3_by_default_and_v1_on_request() {
    let server = server(AuthMode::Compat).await;
    let client = client(&server, BodyHashMode::Unbound);
    use olumi::models::{CeeDraftGraphOptions, CeeSchema, DraftGraphInput, EffectDirection};
    let input = DraftGraphInput::new(BRIEF);
    let v3 = client.cee_draft_graph(&input).await.unwrap();
    let body = v3.as_v3().expect("v3 by default");
    assert!(
        body.edges
            .iter()
            .all(|e| e.strength_std > 0.0 && e.effect_direction == EffectDirection::Positive)
    );
    let option = &body.options[0];
    assert_eq!(option.interventions["fac_1"].target_match.node_id, "fac_1");
    assert!(body.validation_warnings.is_some());

    let options = CeeDraftGraphOptions::new().schema(CeeSchema::V1);
    let v1 = client
        .cee_draft_graph_with_options(&input, &options)
        .await
        .unwrap();
    assert!(!v1.as_v1().expect("v1 on request").graph.nodes.is_empty());
    let entry = server.journal().pop().unwrap();
    assert_eq!(entry.target, "/assist/v1/draft-graph?schema=v1");
    assert!(
        matches!(entry.verdict, Verdict::Hmac { .. }),
        "the query is signed"
    );

    let strict = CeeDraftGraphOptions::new().strict(true);
    assert!(
        client
            .cee_draft_graph_with_options(&input, &strict)
            .await
            .unwrap()
            .as_v3()
            .is_some()
    );
    assert_eq!(
        server.journal().pop().unwrap().target,
        "/assist/v1/draft-graph?strict=true"
    );

    let invalid = client
        .cee_draft_graph(&DraftGraphInput::new("short"))
        .await
        .unwrap_err();
    assert_eq!(
        invalid.as_api().unwrap().code.as_str(),
        "CEE_VALIDATION_FAILED"
    );
}

async fn drain_cee(
    mut stream: olumi::CeeDraftGraphStream,
) -> Result<(olumi::models::CeeDraftGraphResponse, CompletedVia), Error> {
    while let Some(event) = stream.next().await {
        if let StreamEvent::Complete(done) = event? {
            assert!(
                stream.next().await.is_none(),
                "nothing after the final event"
            );
            return Ok((done.output, done.via));
        }
    }
    panic!("the stream ended without a final event or an error");
}

#[tokio::test]
async fn the_cee_stream_is_typed_and_completes_via_stream() {
    let server = server(AuthMode::Compat).await;
    let client = client(&server, BodyHashMode::Unbound);
    use olumi::models::{CeeDraftGraphOptions, DraftGraphInput};
    let stream = client
        .cee_draft_graph_stream(&DraftGraphInput::new(BRIEF), &CeeDraftGraphOptions::new())
        .await
        .unwrap();
    let (payload, via) = drain_cee(stream).await.unwrap();
    assert_eq!(via, CompletedVia::Stream);
    assert!(payload.as_v1().is_some(), "the stream carries the v1 shape");
}

#[tokio::test]
async fn a_dropped_cee_stream_resumes_when_the_server_keeps_state() {
    let server = server(AuthMode::Compat).await;
    let client = client(&server, BodyHashMode::Unbound);
    use olumi::models::{CeeDraftGraphOptions, DraftGraphInput};
    use olumi_mock::FaultInjection;
    server.inject_fault(
        FaultInjection::parse("drop-after-events=2")
            .unwrap()
            .path("/assist/v1/draft-graph/stream"),
    );
    let stream = client
        .cee_draft_graph_stream(&DraftGraphInput::new(BRIEF), &CeeDraftGraphOptions::new())
        .await
        .unwrap();
    let (payload, via) = drain_cee(stream).await.unwrap();
    assert_eq!(via, CompletedVia::Resume);
    assert!(payload.as_v1().is_some());
}

#[tokio::test]
async fn a_dropped_cee_stream_without_state_falls_back_to_the_json_route_in_v1() {
    let server = MockServer::builder()
        .hmac_secret(SECRET)
        .resume_state(false)
        .start()
        .await
        .unwrap();
    let client = client(&server, BodyHashMode::Unbound);
    use olumi::models::{CeeDraftGraphOptions, DraftGraphInput};
    use olumi_mock::FaultInjection;
    server.inject_fault(
        FaultInjection::parse("drop-after-events=1")
            .unwrap()
            .path("/assist/v1/draft-graph/stream"),
    );
    let stream = client
        .cee_draft_graph_stream(&DraftGraphInput::new(BRIEF), &CeeDraftGraphOptions::new())
        .await
        .unwrap();
    let (payload, via) = drain_cee(stream).await.unwrap();
    assert_eq!(via, CompletedVia::Fallback);
    assert!(
        payload.as_v1().is_some(),
        "the fallback asks for the stream's schema"
    );
    let fallback = server.journal().pop().unwrap();
    assert_eq!(fallback.target, "/assist/v1/draft-graph?schema=v1");
}

#[tokio::test]
async fn invalid_input_on_the_cee_stream_is_a_typed_validation_error() {
    let server = server(AuthMode::Compat).await;
    let client = client(&server, BodyHashMode::Unbound);
    use olumi::models::{CeeDraftGraphOptions, DraftGraphInput};
    let stream = client
        .cee_draft_graph_stream(
            &DraftGraphInput::new("too short"),
            &CeeDraftGraphOptions::new(),
        )
        .await
        .unwrap();
    let err = drain_cee(stream).await.unwrap_err();
    let api = err.as_api().expect("an API error");
    assert_eq!(
        (api.status, api.code.as_str()),
        (400, "CEE_VALIDATION_FAILED")
    );
    // Definitive: neither a resume nor a fallback was tried.
    assert!(
        server
            .journal()
            .iter()
            .all(|e| e.target == "/assist/v1/draft-graph/stream")
    );
}

/// Rust's side of the route parity: every route in `ROUTES` is called here through its typed
/// method (a route added to the list without a method fails at the `panic!`), against the mock.
#[tokio::test]
async fn every_route_in_the_list_answers_through_its_typed_method() {
    use olumi::models::CeeDraftGraphOptions;
    use olumi::models::{
        ClarifyBriefRequest, CreateShareRequest, CritiqueGraphRequest, DraftGraphInput,
        EvidencePackRequest, ExplainDiffRequest, Graph, GraphPatch, Node, NodeKind, ReviewRequest,
        SuggestOptionsRequest,
    };
    let server = server(AuthMode::Compat).await;
    let client = client(&server, BodyHashMode::Unbound);
    let requests = cee_requests();
    let graph = Graph::new(vec![Node::new("goal_1", NodeKind::Goal)], Vec::new());
    let input = DraftGraphInput::new(BRIEF);
    let share = client
        .create_share(&CreateShareRequest::new(graph.clone()))
        .await
        .unwrap();
    let token = share.token().unwrap().to_owned();
    let mut resume_token = None;
    for route in routes::ROUTES {
        let ok = match route.name {
            "health" => client.health().await.map(|h| h.ok),
            "status" => client.status().await.map(|s| !s.version.is_empty()),
            "limits" => client.limits().await.map(|l| l.schema == "limits.v1"),
            "diagnostics" => client.diagnostics().await.map(|d| !d.body.is_empty()),
            "draft_graph" => client
                .draft_graph(&input)
                .await
                .map(|d| !d.graph.nodes.is_empty()),
            "draft_graph_stream" => {
                let mut stream = client.draft_graph_stream(&input).await.unwrap();
                let mut done = false;
                while let Some(event) = stream.next().await {
                    match event.unwrap() {
                        StreamEvent::ResumeToken(t) => resume_token = Some(t),
                        StreamEvent::Complete(_) => done = true,
                        _ => {}
                    }
                }
                Ok(done)
            }
            "resume" => {
                let token = resume_token
                    .clone()
                    .expect("the stream sent a resume token");
                let mut stream = client.resume(&token, false).await.unwrap();
                let mut via = None;
                while let Some(event) = stream.next().await {
                    if let StreamEvent::Complete(done) = event.unwrap() {
                        via = Some(done.via);
                    }
                }
                Ok(via == Some(CompletedVia::Resume))
            }
            "suggest_options" => client
                .suggest_options(&SuggestOptionsRequest::new("Grow revenue in Europe"))
                .await
                .map(|r| !r.options.is_empty()),
            "clarify_brief" => client
                .clarify_brief(&ClarifyBriefRequest::new(BRIEF))
                .await
                .map(|r| !r.questions.is_empty()),
            "critique_graph" => client
                .critique_graph(&CritiqueGraphRequest::new(graph.clone()))
                .await
                .map(|r| !r.issues.is_empty()),
            "explain_diff" => client
                .explain_diff(&ExplainDiffRequest::new(GraphPatch::default()))
                .await
                .map(|r| !r.rationales.is_empty()),
            "evidence_pack" => client
                .evidence_pack(&EvidencePackRequest::default())
                .await
                .map(|zip| zip.starts_with(b"PK")),
            "create_share" => Ok(share.schema == "share.v1"),
            "get_share" => client.get_share(&token).await.map(|s| s.access_count == 1),
            "revoke_share" => client.revoke_share(&token).await.map(|r| r.revoked),
            "cee_draft_graph" => client
                .cee_draft_graph(&input)
                .await
                .map(|r| r.as_v3().is_some()),
            "cee_draft_graph_stream" => {
                let stream = client
                    .cee_draft_graph_stream(&input, &CeeDraftGraphOptions::new())
                    .await
                    .unwrap();
                drain_cee(stream)
                    .await
                    .map(|(payload, _)| payload.as_v1().is_some())
            }
            "review" => client
                .review(&ReviewRequest::new(graph.clone(), BRIEF))
                .await
                .map(|r| !r.blocks.is_empty()),
            "cee_health" => client
                .cee_health()
                .await
                .map(|h| !h.feature_flags.is_empty()),
            "decision_review_example" => client
                .decision_review_example()
                .await
                .map(|e| !e.story.headline.is_empty()),
            name if requests.contains_key(name) => {
                call_typed(&client, name, requests[name].clone())
                    .await
                    .map(|body| body.is_object())
            }
            other => panic!("route {other} has no typed call in this test"),
        };
        assert!(
            ok.unwrap_or_else(|e| panic!("{}: {e}", route.name)),
            "{}",
            route.name
        );
    }
}
