//! Every shipped fixture decodes with the core's typed models, and no field of it falls into an
//! `extra` map: a fixture that drifts from the models (or models that drift from the service's
//! shapes the fixtures follow) fails here, with the unknown fields named. Every product route of
//! `olumi::routes::ROUTES` has a fixture.

use std::collections::BTreeMap;
use std::path::Path;

use olumi::models::{self, decode_reporting_unknown, is_error_envelope};
use olumi::routes::{self, Method, Route, RouteKind};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Decodes a body as `T`, returning the unknown fields.
fn typed<T: DeserializeOwned>(body: Value) -> Result<Vec<String>, String> {
    decode_reporting_unknown::<T>(body)
        .map(|(_, unknown)| unknown)
        .map_err(|e| e.to_string())
}

type Decoder = fn(Value) -> Result<Vec<String>, String>;

/// The model of a route's success body (for a stream: of its final payload).
fn decoder(route: &str) -> Option<Decoder> {
    use models::*;
    Some(match route {
        "health" => typed::<Health>,
        "status" => typed::<Status>,
        "limits" => typed::<Limits>,
        "diagnostics" => typed::<ServiceDiagnostics>,
        "draft_graph" | "draft_graph_stream" | "resume" => typed::<DraftGraphOutput>,
        "suggest_options" => typed::<SuggestOptionsResponse>,
        "clarify_brief" => typed::<ClarifyBriefResponse>,
        "critique_graph" => typed::<CritiqueGraphResponse>,
        "explain_diff" => typed::<ExplainDiffResponse>,
        "create_share" => typed::<CreateShareResponse>,
        "get_share" => typed::<SharedContent>,
        "revoke_share" => typed::<RevokeShareResponse>,
        "cee_draft_graph" | "cee_draft_graph_stream" => typed::<CeeDraftGraphResponse>,
        "options" => typed::<OptionsResponse>,
        "bias_check" => typed::<BiasCheckResponse>,
        "explain_graph" => typed::<ExplainGraphResponse>,
        "evidence_helper" => typed::<EvidenceHelperResponse>,
        "sensitivity_coach" => typed::<SensitivityCoachResponse>,
        "team_perspectives" => typed::<TeamPerspectivesResponse>,
        "graph_readiness" => typed::<GraphReadinessResponse>,
        "key_insight" => typed::<KeyInsightResponse>,
        "elicit_belief" => typed::<ElicitBeliefResponse>,
        "suggest_utility_weights" => typed::<SuggestUtilityWeightsResponse>,
        "elicit_risk_tolerance" => typed::<ElicitRiskToleranceResponse>,
        "suggest_edge_function" => typed::<SuggestEdgeFunctionResponse>,
        "generate_recommendation" => typed::<GenerateRecommendationResponse>,
        "narrate_conditions" => typed::<NarrateConditionsResponse>,
        "explain_policy" => typed::<ExplainPolicyResponse>,
        "elicit_preferences" => typed::<ElicitPreferencesResponse>,
        "elicit_preferences_answer" => typed::<ElicitPreferencesAnswerResponse>,
        "explain_tradeoff" => typed::<ExplainTradeoffResponse>,
        "isl_synthesis" => typed::<IslSynthesisResponse>,
        "ask" => typed::<AskResponse>,
        "review" => typed::<ReviewResponse>,
        "cee_health" => typed::<CeeHealth>,
        "decision_review_example" => typed::<DecisionReviewBundle>,
        _ => return None,
    })
}

/// The route a fixture's `match` names (a `*` path segment stands for a path parameter).
fn route_of(method: &str, path: &str) -> Option<&'static Route> {
    routes::ROUTES.iter().find(|r| {
        r.method.as_str() == method && {
            let pattern = r.path.replace("{token}", "*");
            pattern == path
        }
    })
}

/// What one fixture holds, decoded: (description of the body, unknown fields) per body.
fn check_fixture(route: &Route, doc: &Value) -> Result<Vec<(String, Vec<String>)>, String> {
    let decode = || decoder(route.name).ok_or_else(|| format!("no decoder for {}", route.name));
    let mut bodies = Vec::new();
    if let Some(response) = doc.get("response") {
        let status = response
            .get("status")
            .and_then(Value::as_u64)
            .unwrap_or(200);
        match response.get("json") {
            Some(json) if status >= 400 => {
                if !is_error_envelope(json) {
                    return Err(format!(
                        "status {status} with a body that is not an error envelope"
                    ));
                }
                bodies.push(("error".to_owned(), Vec::new()));
            }
            Some(json) => {
                let unknown = decode()?(json.clone()).map_err(|e| format!("response.json: {e}"))?;
                check_cee_shape(route, doc, json)?;
                bodies.push(("response.json".to_owned(), unknown));
            }
            // Bytes (the evidence pack's ZIP) or an empty body.
            None if route.kind == RouteKind::Bytes => bodies.push(("bytes".to_owned(), Vec::new())),
            None => return Err("a JSON route's fixture without a JSON body".to_owned()),
        }
    }
    if let Some(stream) = doc.get("stream") {
        for (i, step) in stream["steps"].as_array().into_iter().flatten().enumerate() {
            let data = &step["data"];
            if step.get("event").and_then(Value::as_str) != Some("stage")
                || data.get("stage").and_then(Value::as_str) != Some("COMPLETE")
            {
                continue;
            }
            let payload = &data["payload"];
            let at = format!("stream.steps[{i}] COMPLETE payload");
            if is_error_envelope(payload) {
                bodies.push((at, Vec::new()));
                continue;
            }
            let unknown = decode()?(payload.clone()).map_err(|e| format!("{at}: {e}"))?;
            check_cee_shape(route, doc, payload)?;
            bodies.push((at, unknown));
        }
    }
    Ok(bodies)
}

/// The CEE draft answers v3 by default and v1 on `?schema=v1` and on the stream.
fn check_cee_shape(route: &Route, doc: &Value, body: &Value) -> Result<(), String> {
    let want_v1 = match route.name {
        "cee_draft_graph" => doc["match"]["query"]["schema"] == "v1",
        "cee_draft_graph_stream" => true,
        _ => return Ok(()),
    };
    let decoded: models::CeeDraftGraphResponse =
        serde_json::from_value(body.clone()).map_err(|e| e.to_string())?;
    let ok = if want_v1 {
        decoded.as_v1().is_some()
    } else {
        decoded.as_v3().is_some()
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "expected the schema {} shape",
            if want_v1 { "v1" } else { "v3" }
        ))
    }
}

#[test]
fn every_fixture_decodes_with_the_typed_models_without_unknown_fields() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let mut failures = Vec::new();
    let mut covered: BTreeMap<&str, usize> = BTreeMap::new();
    let mut report = Vec::new();
    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        let method = doc["match"]["method"].as_str().unwrap_or_default();
        let path = doc["match"]["path"].as_str().unwrap_or_default();
        let Some(route) = route_of(method, path) else {
            failures.push(format!("{name}: {method} {path} is not a product route"));
            continue;
        };
        *covered.entry(route.name).or_default() += 1;
        if doc.get("builtin").is_some() {
            // Computed answers (limits, resume, shares): the client tests decode them live.
            report.push(format!("{name:45} builtin"));
            continue;
        }
        match check_fixture(route, &doc) {
            Ok(bodies) => {
                for (at, unknown) in bodies {
                    report.push(format!("{name:45} {at}: {} unknown", unknown.len()));
                    if !unknown.is_empty() {
                        failures.push(format!(
                            "{name} {at}: fields not in the models: {unknown:?}"
                        ));
                    }
                }
            }
            Err(e) => failures.push(format!("{name}: {e}")),
        }
    }
    println!("{}", report.join("\n"));
    let missing: Vec<&str> = routes::ROUTES
        .iter()
        .map(|r| r.name)
        .filter(|n| !covered.contains_key(n))
        .collect();
    assert!(missing.is_empty(), "routes without a fixture: {missing:?}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn unknown_fields_are_counted() {
    // The check above would miss nothing: a field the models lack is reported, nested too.
    let body = serde_json::json!({
        "headline": "h", "primary_driver": "d", "confidence_statement": "c", "provenance": "cee",
        "quality": {"overall": 7, "new_score": 1},
        "trace": {"request_id": "r"},
        "brand_new": true
    });
    let unknown = typed::<models::KeyInsightResponse>(body).unwrap();
    assert_eq!(unknown, ["new_score", "brand_new"]);
    assert_eq!(Method::Delete.as_str(), "DELETE");
}
