//! Models against the service's real shapes: reference examples, round trips that lose nothing,
//! and request bodies with the service's field names.

use std::collections::BTreeMap;

use olumi::models::{
    Attachment, AttachmentKind, CeeDraftGraphResponse, ClarifierResponse, ClarifierStatus,
    ClarifyBriefRequest, ClarifyBriefResponse, ConversationTurn, CritiqueGraphRequest,
    CritiqueGraphResponse, DraftContext, DraftGraphInput, DraftGraphOutput, DraftPayload, Edge,
    EffectDirection, EvidencePackRequest, ExplainDiffRequest, ExplainDiffResponse, FocusArea,
    Graph, GraphPatch, GraphSource, Health, IssueLevel, Limits, Node, NodeData, NodeKind,
    OverallQuality, PiiGuardMode, PreviousAnswer, Provenance, ProvenanceSource, RefinementMode,
    ResumeEvent, Stage, StageEvent, Status, SuggestOptionsRequest, SuggestOptionsResponse,
    is_error_envelope,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// The final `stage` event of the observed stream (reference §5.2), verbatim.
const COMPLETE_EVENT: &str = r#"{"stage":"COMPLETE","payload":{"graph":{"version":"1","default_seed":17,"nodes":[{"id":"dec_1","kind":"decision","label":"Consider options"},{"id":"fac_1","kind":"factor","label":"Key factor","data":{"value":1}},{"id":"goal_1","kind":"goal","label":"Achieve primary objective"},{"id":"opt_1","kind":"option","label":"Option A"},{"id":"opt_2","kind":"option","label":"Option B"},{"id":"out_1","kind":"outcome","label":"Expected result"}],"edges":[{"id":"dec_1::opt_1::0","from":"dec_1","to":"opt_1"},{"id":"dec_1::opt_2::0","from":"dec_1","to":"opt_2"},{"id":"fac_1::out_1::0","from":"fac_1","to":"out_1"},{"id":"opt_1::fac_1::0","from":"opt_1","to":"fac_1"},{"id":"opt_2::fac_1::0","from":"opt_2","to":"fac_1"},{"id":"out_1::goal_1::0","from":"out_1","to":"goal_1"}],"meta":{"roots":["dec_1"],"leaves":["goal_1"],"suggested_positions":{"dec_1":{"x":325,"y":100},"opt_1":{"x":250,"y":250},"opt_2":{"x":400,"y":250},"fac_1":{"x":325,"y":400},"out_1":{"x":325,"y":550},"goal_1":{"x":325,"y":700}},"source":"fixtures"}},"patch":{"adds":{"nodes":[],"edges":[]},"updates":[],"removes":[]},"rationales":[],"issues":["validate_unreachable"],"clarifier_status":"complete","confidence":0.85,"diagnostics":{"resumes":0,"trims":0,"recovered_events":0,"correlation_id":"03fb9696-4f76-4c29-a7d7-d3052d434639"}}}"#;

/// The observed `limits.v1` body (reference §4), verbatim.
const LIMITS_V1: &str = r#"{"schema":"limits.v1","key_id":"398765f1","rate_limit_rpm":120,"sse_rate_limit_rpm":20,"quota_backend":"memory",
 "graph_max_nodes":50,"graph_max_edges":200,"max_nodes":50,"max_edges":200,
 "standard_quota":{"capacity_rpm":120,"tokens":119.004,"refill_rate_per_sec":2,"retry_after_seconds":0},
 "sse_quota":{"capacity_rpm":20,"tokens":20,"refill_rate_per_sec":0.3333333333333333,"retry_after_seconds":0}}"#;

const BRIEF: &str = "Should we expand our SaaS product into the German market next year?";

/// Parses `json` as `T`, serializes it back, and checks that nothing changed.
fn round_trip<T: DeserializeOwned + Serialize>(json: &str) -> T {
    let original: Value = serde_json::from_str(json).expect("test JSON is valid");
    let model: T = serde_json::from_value(original.clone()).expect("model parses");
    let back = serde_json::to_value(&model).expect("model serializes");
    assert_eq!(back, original, "round trip changed the body");
    // The string form parses to the same model too.
    let again: T = serde_json::from_str(&serde_json::to_string(&model).unwrap()).unwrap();
    assert_eq!(serde_json::to_value(&again).unwrap(), original);
    model
}

fn to_json<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).expect("serializes")
}

#[test]
fn reference_complete_event_parses_and_round_trips() {
    let event: StageEvent = round_trip(COMPLETE_EVENT);
    assert_eq!(event.stage, Stage::Complete);
    assert!(event.is_complete());
    let payload = event.payload().unwrap().expect("COMPLETE has a payload");
    assert!(!is_error_envelope(&payload));
    // Read from text, the payload is that text, untouched.
    let from_text: StageEvent = serde_json::from_str(COMPLETE_EVENT).unwrap();
    let raw = from_text
        .raw_payload()
        .expect("COMPLETE has a payload")
        .get();
    assert_eq!(
        raw,
        &COMPLETE_EVENT[r#"{"stage":"COMPLETE","payload":"#.len()..COMPLETE_EVENT.len() - 1]
    );

    let out: DraftGraphOutput = round_trip(raw);
    assert_eq!(
        event.payload_as::<DraftGraphOutput>().unwrap().as_ref(),
        Some(&out)
    );
    let graph = &out.graph;
    assert_eq!(graph.version, "1");
    assert_eq!(graph.default_seed, 17.0);
    let kinds: Vec<&NodeKind> = graph.nodes.iter().map(|n| &n.kind).collect();
    assert_eq!(
        kinds,
        [
            &NodeKind::Decision,
            &NodeKind::Factor,
            &NodeKind::Goal,
            &NodeKind::Option,
            &NodeKind::Option,
            &NodeKind::Outcome
        ]
    );
    assert_eq!(graph.nodes[0].id, "dec_1");
    assert_eq!(graph.nodes[0].label.as_deref(), Some("Consider options"));
    match &graph.nodes[1].data {
        Some(NodeData::Factor(f)) => assert_eq!(f.value, 1.0),
        other => panic!("factor data expected, got {other:?}"),
    }
    let edge_ids: Vec<&str> = graph
        .edges
        .iter()
        .map(|e| e.id.as_deref().unwrap())
        .collect();
    assert_eq!(
        edge_ids,
        [
            "dec_1::opt_1::0",
            "dec_1::opt_2::0",
            "fac_1::out_1::0",
            "opt_1::fac_1::0",
            "opt_2::fac_1::0",
            "out_1::goal_1::0"
        ]
    );
    assert_eq!(
        (graph.edges[5].from.as_str(), graph.edges[5].to.as_str()),
        ("out_1", "goal_1")
    );

    let meta = graph.meta.as_ref().expect("meta");
    assert_eq!(meta.roots, ["dec_1"]);
    assert_eq!(meta.leaves, ["goal_1"]);
    assert_eq!(meta.source, Some(GraphSource::Fixtures));
    assert_eq!(meta.suggested_positions.len(), 6);
    let goal = &meta.suggested_positions["goal_1"];
    assert_eq!((goal.x, goal.y), (325.0, 700.0));
    assert_eq!(meta.suggested_positions["opt_2"].x, 400.0);

    let patch = &out.patch;
    assert!(patch.adds.nodes.is_empty() && patch.updates.is_empty() && patch.removes.is_empty());
    assert!(out.rationales.is_empty());
    assert_eq!(
        out.issues.as_deref(),
        Some(&["validate_unreachable".to_owned()][..])
    );
    assert_eq!(out.clarifier_status, Some(ClarifierStatus::Complete));
    assert_eq!(out.confidence, Some(0.85));

    let diagnostics = out.diagnostics.as_ref().expect("diagnostics");
    assert_eq!(
        (
            diagnostics.resumes,
            diagnostics.trims,
            diagnostics.recovered_events
        ),
        (0, 0, 0)
    );
    assert_eq!(
        diagnostics.correlation_id,
        "03fb9696-4f76-4c29-a7d7-d3052d434639"
    );
    assert!(out.extra.is_empty());

    // The same payload through the stream helper.
    match event.into_draft_payload() {
        Some(Ok(DraftPayload::Output(parsed))) => assert_eq!(*parsed, out),
        other => panic!("draft output expected, got {other:?}"),
    }
}

#[test]
fn other_stream_events_round_trip() {
    let drafting: StageEvent = round_trip(r#"{"stage":"DRAFTING"}"#);
    assert_eq!(drafting.stage, Stage::Drafting);
    assert!(drafting.raw_payload().is_none() && !drafting.is_complete());
    assert_eq!(drafting.payload().unwrap(), None);
    assert!(drafting.into_draft_payload().is_none());

    let unknown: StageEvent = round_trip(r#"{"stage":"REVIEWING","payload":{"x":1},"seq":3}"#);
    assert_eq!(unknown.stage, Stage::Other("REVIEWING".into()));
    assert_eq!(unknown.extra["seq"], 3);
    // Equal events: same stage, payload text and unknown fields.
    let again: StageEvent =
        serde_json::from_str(r#"{"seq":3,"payload":{"x":1},"stage":"REVIEWING"}"#).unwrap();
    assert_eq!(again, unknown);
    let spaced: StageEvent =
        serde_json::from_str(r#"{"stage":"REVIEWING","payload":{"x": 1},"seq":3}"#).unwrap();
    assert_ne!(spaced, unknown, "payloads compare as text");
    // An explicit null payload is no payload.
    let null: StageEvent = serde_json::from_str(r#"{"stage":"DRAFTING","payload":null}"#).unwrap();
    assert!(null.raw_payload().is_none());
    // Unknown fields are reported like any model's.
    let (_, unknown_keys) = olumi::models::decode_reporting_unknown::<StageEvent>(
        json!({"stage":"DRAFTING","seq":1,"payload":{"a":[1]}}),
    )
    .unwrap();
    assert_eq!(unknown_keys, ["seq"]);

    let resume: ResumeEvent = round_trip(r#"{"token":"MDNmYjk2OTYtNGY3Ni00YzI5"}"#);
    assert_eq!(resume.token, "MDNmYjk2OTYtNGY3Ni00YzI5");
    let resume: ResumeEvent = round_trip(r#"{"token":"t","seq":4}"#);
    assert_eq!(
        (resume.token.as_str(), &resume.extra["seq"]),
        ("t", &json!(4))
    );
}

#[test]
fn malformed_stream_events_name_the_field() {
    let error = |json: &str| {
        serde_json::from_str::<StageEvent>(json)
            .unwrap_err()
            .to_string()
    };
    assert!(error(r#"{"payload":{}}"#).contains("missing field `stage`"));
    assert!(
        error(r#"{"stage":"DRAFTING","stage":"COMPLETE"}"#).contains("duplicate field `stage`")
    );
    assert!(error(r#"{"stage":"DRAFTING","payload":{"a":]}"#).contains("expected value"));
    assert!(error(r#"["DRAFTING"]"#).contains("a stage event object"));
    let error = serde_json::from_str::<ResumeEvent>(r#"{"seq":1}"#).unwrap_err();
    assert!(error.to_string().contains("missing field `token`"));
}

#[test]
fn limits_v1_round_trips_with_fractional_numbers() {
    let limits: Limits = round_trip(LIMITS_V1);
    assert_eq!(limits.schema, "limits.v1");
    assert_eq!(limits.key_id, "398765f1");
    assert_eq!(limits.rate_limit_rpm, 120.0);
    assert_eq!(limits.sse_rate_limit_rpm, 20.0);
    assert_eq!(limits.quota_backend, "memory");
    assert_eq!((limits.graph_max_nodes, limits.graph_max_edges), (50, 200));
    assert_eq!((limits.max_nodes, limits.max_edges), (Some(50), Some(200)));
    assert_eq!(limits.standard_quota.tokens, 119.004);
    assert_eq!(limits.standard_quota.refill_rate_per_sec, 2.0);
    assert_eq!(limits.sse_quota.refill_rate_per_sec, 1.0 / 3.0);
    assert_eq!(limits.sse_quota.retry_after_seconds, 0.0);
    // Integral doubles are written as JavaScript writes them.
    let text = serde_json::to_string(&limits).unwrap();
    assert!(text.contains(r#""refill_rate_per_sec":2,"#), "{text}");
    assert!(text.contains(r#""tokens":119.004"#), "{text}");
}

#[test]
fn healthz_body_round_trips() {
    let body = r#"{"ok":true,"degraded":true,"degraded_reasons":["redis"],"service":"assistants",
        "version":"1.11.1","commit":"abc1234","commit_full":"abc1234def5678","provider":"fixtures",
        "model":"fixture-v1","limits_source":"config",
        "feature_flags":{"grounding":true,"critique":true,"clarifier":false},
        "auth":{"keys_configured":1,"hmac_configured":false},
        "llm":{"provider":"fixtures","key_configured":false},
        "cee":{"diagnostics_enabled":false,"config":{},"timeouts":{"draft":60000}},
        "isl":{"enabled":false},"prompts":{"store":"file"}}"#;
    let health: Health = round_trip(body);
    assert!(health.ok);
    assert_eq!(health.degraded, Some(true));
    assert_eq!(
        health.degraded_reasons.as_deref(),
        Some(&["redis".to_owned()][..])
    );
    assert_eq!(health.version.as_deref(), Some("1.11.1"));
    assert_eq!(health.limits_source.as_deref(), Some("config"));
    assert_eq!(health.feature_flags.as_ref().unwrap()["clarifier"], false);
    assert_eq!(health.commit_full.as_deref(), Some("abc1234def5678"));
    assert_eq!(health.cee.as_ref().unwrap()["timeouts"]["draft"], 60000);

    // A minimal body is enough.
    let minimal: Health = round_trip(r#"{"ok":false}"#);
    assert!(!minimal.ok && minimal.service.is_none());
}

#[test]
fn status_body_round_trips() {
    let body = r#"{"service":"assistants","version":"1.11.1","uptime_seconds":3605,
        "timestamp":"2026-11-25T01:33:00.000Z",
        "requests":{"total":42,"client_errors_4xx":3,"server_errors_5xx":1,"error_rate_5xx":2.38},
        "llm":{"provider":"openai","model":"gpt-4o","cache_enabled":false,"failover_enabled":false},
        "share":{"enabled":false,"total_shares":0,"active_shares":0,"revoked_shares":0},
        "feature_flags":{"grounding":true,"pii_guard":false},"performance":{"p95_ms":812.5}}"#;
    let status: Status = round_trip(body);
    assert_eq!(status.service, "assistants");
    assert_eq!(status.uptime_seconds, 3605);
    assert_eq!(status.timestamp, "2026-11-25T01:33:00.000Z");
    let requests = status.requests.as_ref().unwrap();
    assert_eq!(
        (
            requests.total,
            requests.client_errors_4xx,
            requests.server_errors_5xx
        ),
        (42, 3, 1)
    );
    assert_eq!(requests.error_rate_5xx, 2.38);
    assert_eq!(status.llm.as_ref().unwrap()["model"], "gpt-4o");
    assert_eq!(status.performance.as_ref().unwrap()["p95_ms"], 812.5);

    // error_rate_5xx of 0 stays an integer on the way out.
    let zero: Status = round_trip(
        r#"{"service":"s","version":"v","uptime_seconds":0,"timestamp":"t",
            "requests":{"total":0,"client_errors_4xx":0,"server_errors_5xx":0,"error_rate_5xx":0}}"#,
    );
    assert_eq!(zero.requests.unwrap().error_rate_5xx, 0.0);
}

#[test]
fn error_envelopes_are_recognised() {
    // The invalid-input COMPLETE event of reference §5.2.
    let event: StageEvent = round_trip(
        r#"{"stage":"COMPLETE","payload":{"schema":"error.v1","code":"BAD_INPUT","message":"invalid input","details":{"formErrors":[],"fieldErrors":{"brief":["String must contain at least 30 character(s)"]}}}}"#,
    );
    let payload = event.payload().unwrap().unwrap();
    assert!(is_error_envelope(&payload));
    match event.into_draft_payload() {
        Some(Ok(DraftPayload::Error(value))) => assert_eq!(value, payload),
        other => panic!("error envelope expected, got {other:?}"),
    }

    let cee = json!({"schema":"cee.error.v1","code":"CEE_RATE_LIMIT","message":"slow down",
        "retryable":true,"trace":{"request_id":"r-1"}});
    assert!(is_error_envelope(&cee));
    // A pipeline error with diagnostics attached is still an error.
    let pipeline = json!({"schema":"error.v1","code":"INTERNAL","message":"boom",
        "diagnostics":{"resumes":0,"trims":0,"recovered_events":0}});
    assert!(is_error_envelope(&pipeline));
    // Without a schema: string code and message, and no graph.
    assert!(is_error_envelope(
        &json!({"code":"RATE_LIMITED","message":"Rate limit exceeded."})
    ));
    assert!(!is_error_envelope(
        &json!({"code":"X","message":"m","graph":{"nodes":[],"edges":[]}})
    ));
    assert!(!is_error_envelope(&json!({"code":404,"message":"m"})));
    // Fastify's non-envelope 404 is not an envelope (no string `code`).
    assert!(!is_error_envelope(
        &json!({"message":"Route POST:/assist/nope not found","error":"Not Found","statusCode":404})
    ));
    assert!(!is_error_envelope(&json!("error.v1")));
    assert!(!is_error_envelope(&Value::Null));

    // Neither an envelope nor a draft output: a parse error, not a panic.
    assert!(DraftPayload::from_value(json!({"nodes":[]})).is_err());
}

#[test]
fn unknown_fields_and_values_round_trip_at_every_level() {
    let body = r#"{
      "graph":{"version":"2","default_seed":17.5,"graph_extra":[1,2],
        "nodes":[
          {"id":"h1","kind":"hypothesis","label":"New kind","node_extra":{"a":null},
           "data":{"value":0.25,"baseline":0,"unit":"%","range":{"min":0,"max":1,"step":0.05},
                   "extractionType":"range","confidence":0.7,"rangeMin":0.1,"rangeMax":0.9,"data_extra":"x"}},
          {"id":"o1","kind":"option","data":{"interventions":{"h1":0.5,"f2":3},"note":"n"}},
          {"id":"r1","kind":"risk","data":{"something":"else"}},
          {"id":"a1","kind":"action","body":"Do it","data":[1,2,3]}
        ],
        "edges":[
          {"id":"e1","from":"o1","to":"h1","strength_mean":-1.5,"strength_std":0.2,"belief_exists":1,
           "weight":2,"belief":0.4,"provenance":{"source":"report.pdf","quote":"sales up","location":"page 3","page":3},
           "provenance_source":"document","effect_direction":"sideways","edge_extra":true},
          {"from":"h1","to":"r1","provenance":"legacy text","provenance_source":"oracle"},
          {"from":"r1","to":"a1","provenance":42}
        ],
        "meta":{"roots":["o1"],"leaves":["a1"],"suggested_positions":{"o1":{"x":1.5,"y":-2,"z":0}},
                "source":"imported","meta_extra":{}}},
      "patch":{"adds":{"nodes":[{"id":"n"}],"edges":[],"adds_extra":1},"updates":[{"id":"h1","label":"x"}],
               "removes":[{"node_id":"zz"}],"patch_extra":"p"},
      "rationales":[{"target":"e1","why":"because","provenance_source":"engine","score":0.9},
                    {"target":"h1","why":"hunch","provenance_source":"gut feeling"}],
      "issues":["a","b"],
      "clarifier_status":"gave_up",
      "layout":{"suggested_positions":{"h1":{"x":0,"y":0}},"layout_extra":"l"},
      "debug":{"needle_movers":[1]},
      "confidence":1,
      "trace":{"corrections":[],"request_id":"r"},
      "diagnostics":{"resumes":1,"trims":1,"recovered_events":4,"correlation_id":"c","diag_extra":[]},
      "goal_constraints":[{"constraint_id":"c1"}],
      "coaching":{"summary":"s","strengthen_items":[]}
    }"#;
    let out: DraftGraphOutput = round_trip(body);
    let graph = &out.graph;
    assert_eq!(graph.version, "2");
    assert_eq!(graph.default_seed, 17.5);
    assert_eq!(graph.extra["graph_extra"], json!([1, 2]));

    let hypothesis = &graph.nodes[0];
    assert_eq!(hypothesis.kind, NodeKind::Other("hypothesis".into()));
    assert_eq!(hypothesis.kind.as_str(), "hypothesis");
    assert_eq!(hypothesis.extra["node_extra"], json!({"a": null}));
    let Some(NodeData::Factor(factor)) = &hypothesis.data else {
        panic!("factor data expected: {:?}", hypothesis.data);
    };
    assert_eq!(factor.value, 0.25);
    assert_eq!(factor.baseline, Some(0.0));
    assert_eq!(factor.range.as_ref().unwrap().max, 1.0);
    assert_eq!(factor.range.as_ref().unwrap().extra["step"], 0.05);
    assert_eq!(factor.extraction_type.as_deref(), Some("range"));
    assert_eq!((factor.range_min, factor.range_max), (Some(0.1), Some(0.9)));
    assert_eq!(factor.extra["data_extra"], "x");

    let Some(NodeData::Option(option)) = &graph.nodes[1].data else {
        panic!("option data expected: {:?}", graph.nodes[1].data);
    };
    assert_eq!(option.interventions["f2"], 3.0);
    assert_eq!(option.extra["note"], "n");
    assert_eq!(
        graph.nodes[2].data,
        Some(NodeData::Other(json!({"something": "else"})))
    );
    assert_eq!(graph.nodes[3].data, Some(NodeData::Other(json!([1, 2, 3]))));
    assert_eq!(graph.nodes[3].body.as_deref(), Some("Do it"));

    let e1 = &graph.edges[0];
    assert_eq!(e1.strength_mean, Some(-1.5));
    assert_eq!(e1.belief_exists, Some(1.0));
    assert_eq!(e1.provenance_source, Some(ProvenanceSource::Document));
    assert_eq!(
        e1.effect_direction,
        Some(EffectDirection::Other("sideways".into()))
    );
    assert_eq!(e1.extra["edge_extra"], true);
    let Some(Provenance::Structured(p)) = &e1.provenance else {
        panic!("structured provenance expected: {:?}", e1.provenance);
    };
    assert_eq!(
        (p.source.as_str(), p.quote.as_str()),
        ("report.pdf", "sales up")
    );
    assert_eq!(p.location.as_deref(), Some("page 3"));
    assert_eq!(p.extra["page"], 3);
    assert_eq!(
        graph.edges[1].provenance,
        Some(Provenance::Text("legacy text".into()))
    );
    assert_eq!(
        graph.edges[1].provenance_source,
        Some(ProvenanceSource::Other("oracle".into()))
    );
    assert_eq!(
        graph.edges[2].provenance,
        Some(Provenance::Other(json!(42)))
    );

    let meta = graph.meta.as_ref().unwrap();
    assert_eq!(meta.source, Some(GraphSource::Other("imported".into())));
    assert_eq!(meta.suggested_positions["o1"].extra["z"], 0);

    let patch = &out.patch;
    assert_eq!(patch.adds.extra["adds_extra"], 1);
    assert_eq!(patch.extra["patch_extra"], "p");
    assert_eq!(out.rationales[0].extra["score"], 0.9);
    assert_eq!(
        out.rationales[1].provenance_source,
        Some(ProvenanceSource::Other("gut feeling".into()))
    );
    assert_eq!(
        out.clarifier_status,
        Some(ClarifierStatus::Other("gave_up".into()))
    );
    assert_eq!(out.layout.as_ref().unwrap().extra["layout_extra"], "l");
    assert_eq!(out.confidence, Some(1.0));
    assert_eq!(out.diagnostics.as_ref().unwrap().recovered_events, 4);
    assert_eq!(
        out.diagnostics.as_ref().unwrap().extra["diag_extra"],
        json!([])
    );
    assert_eq!(out.extra.len(), 2);
    assert!(out.extra.contains_key("goal_constraints") && out.extra.contains_key("coaching"));
}

#[test]
fn missing_optional_fields_are_tolerated() {
    let out: DraftGraphOutput = serde_json::from_str(
        r#"{"graph":{"nodes":[{"id":"g","kind":"goal"}],"edges":[]},"patch":{}}"#,
    )
    .unwrap();
    assert_eq!(out.graph.version, "1");
    assert_eq!(out.graph.default_seed, 17.0);
    assert!(out.graph.meta.is_none() && out.diagnostics.is_none());
    assert_eq!(out.patch, GraphPatch::default());
    assert!(out.rationales.is_empty() && out.issues.is_none());

    // Missing lists default to empty; nothing else is invented on the way out.
    let out: DraftGraphOutput = serde_json::from_str(r#"{"graph":{},"patch":{}}"#).unwrap();
    assert_eq!(
        to_json(&out),
        json!({"graph":{"version":"1","default_seed":17,"nodes":[],"edges":[]},
               "patch":{"adds":{"nodes":[],"edges":[]},"updates":[],"removes":[]},"rationales":[]})
    );

    // No graph: not a draft output.
    assert!(serde_json::from_str::<DraftGraphOutput>(r#"{"rationales":[]}"#).is_err());
}

#[test]
fn edges_accept_source_target_and_serialize_from_to() {
    let edge: Edge =
        serde_json::from_str(r#"{"source":"a","target":"b","weight":0.5,"label":"x"}"#).unwrap();
    assert_eq!((edge.from.as_str(), edge.to.as_str()), ("a", "b"));
    assert_eq!(
        to_json(&edge),
        json!({"from":"a","to":"b","weight":0.5,"label":"x"})
    );

    // from/to win over source/target, which are dropped (as the service does).
    let edge: Edge =
        serde_json::from_str(r#"{"from":"a","to":"b","source":"x","target":"y"}"#).unwrap();
    assert_eq!(to_json(&edge), json!({"from":"a","to":"b"}));

    // Inside a graph too.
    let graph: Graph = serde_json::from_str(
        r#"{"nodes":[],"edges":[{"id":"e","source":"n1","target":"n2","strength_std":0.1}]}"#,
    )
    .unwrap();
    assert_eq!(
        to_json(&graph.edges),
        json!([{"id":"e","from":"n1","to":"n2","strength_std":0.1}])
    );

    let err = serde_json::from_str::<Edge>(r#"{"from":"a"}"#).unwrap_err();
    assert!(
        err.to_string().contains("from/to or source/target"),
        "{err}"
    );

    assert_eq!(to_json(&Edge::new("x", "y")), json!({"from":"x","to":"y"}));
}

#[test]
fn draft_graph_input_new_is_just_the_brief() {
    let input = DraftGraphInput::new(BRIEF);
    assert_eq!(
        serde_json::to_string(&input).unwrap(),
        format!(r#"{{"brief":"{BRIEF}"}}"#)
    );
    // The service accepts an unknown pass-through field in `extra`.
    let input = input.with_extra("fixtures", true);
    assert_eq!(to_json(&input), json!({"brief": BRIEF, "fixtures": true}));
}

#[test]
fn full_draft_graph_input_uses_the_service_field_names() {
    let mut previous = Graph::new(
        vec![
            Node::new("g", NodeKind::Goal).with_label("Grow revenue"),
            Node::new("d", NodeKind::Decision),
        ],
        vec![Edge::new("d", "g")],
    );
    previous.default_seed = 42.0;
    let input = DraftGraphInput {
        constraints: Some(json!({"budget": 10000}).as_object().unwrap().clone()),
        include_debug: Some(true),
        focus_areas: Some(vec![FocusArea::Structure, FocusArea::Provenance]),
        context: Some(DraftContext {
            goals: Some(vec!["Grow revenue".into()]),
            ..DraftContext::default()
        }),
        previous_graph: Some(previous),
        refinement_mode: Some(RefinementMode::Expand),
        refinement_instructions: Some("Add risks".into()),
        preserve_nodes: Some(vec!["g".into()]),
        clarification_rounds_completed: Some(1),
        clarifier_response: Some(ClarifierResponse {
            question_id: "q2".into(),
            answer: "EU first".into(),
            extra: Default::default(),
        }),
        conversation_history: Some(vec![ConversationTurn {
            question_id: "q1".into(),
            question: "Which market?".into(),
            answer: "Germany".into(),
            extra: Default::default(),
        }]),
        max_clarifier_rounds: Some(3),
        raw_output: Some(false),
        ..DraftGraphInput::new(BRIEF)
    }
    .with_attachment(
        Attachment::new("att1", AttachmentKind::Csv, "sales.csv"),
        "YSxiCjEsMgo=",
    )
    .with_attachment(
        Attachment::new("att2", AttachmentKind::Pdf, "deck.pdf"),
        json!({"data": "JVBERi0=", "encoding": "base64"}),
    )
    .with_flag("grounding", true)
    .with_flag("critique", false)
    .with_extra("seed", "abc");

    let expected = json!({
        "brief": BRIEF,
        "attachments": [
            {"id": "att1", "kind": "csv", "name": "sales.csv"},
            {"id": "att2", "kind": "pdf", "name": "deck.pdf"}
        ],
        "attachment_payloads": {
            "att1": "YSxiCjEsMgo=",
            "att2": {"data": "JVBERi0=", "encoding": "base64"}
        },
        "constraints": {"budget": 10000},
        "flags": {"grounding": true, "critique": false},
        "include_debug": true,
        "focus_areas": ["structure", "provenance"],
        "context": {"goals": ["Grow revenue"]},
        "previous_graph": {
            "version": "1",
            "default_seed": 42,
            "nodes": [{"id": "g", "kind": "goal", "label": "Grow revenue"}, {"id": "d", "kind": "decision"}],
            "edges": [{"from": "d", "to": "g"}]
        },
        "refinement_mode": "expand",
        "refinement_instructions": "Add risks",
        "preserve_nodes": ["g"],
        "clarification_rounds_completed": 1,
        "clarifier_response": {"question_id": "q2", "answer": "EU first"},
        "conversation_history": [{"question_id": "q1", "question": "Which market?", "answer": "Germany"}],
        "max_clarifier_rounds": 3,
        "raw_output": false,
        "seed": "abc"
    });
    assert_eq!(to_json(&input), expected);
    // A server (the mock) reads it back unchanged.
    let parsed: DraftGraphInput = serde_json::from_value(expected.clone()).unwrap();
    assert_eq!(parsed, input);
}

#[test]
fn suggest_options_uses_the_service_shape() {
    // Not the old SDK's {graph, question_id}.
    assert_eq!(
        to_json(&SuggestOptionsRequest::new("Increase retention")),
        json!({"goal": "Increase retention"})
    );
    let request = SuggestOptionsRequest {
        constraints: Some(json!({"budget": "low"}).as_object().unwrap().clone()),
        graph_summary: Some(json!({"decision": "How?", "existing_options": ["Discounts"]})),
        ..SuggestOptionsRequest::new("Increase retention")
    };
    assert_eq!(
        to_json(&request),
        json!({"goal": "Increase retention", "constraints": {"budget": "low"},
               "graph_summary": {"decision": "How?", "existing_options": ["Discounts"]}})
    );

    let response: SuggestOptionsResponse = round_trip(
        r#"{"options":[{"id":"opt_a","title":"Loyalty programme","pros":["p1","p2"],"cons":["c1","c2"],
            "evidence_to_gather":["e1","e2"],"cost":"low"}],"debug":{"x":1}}"#,
    );
    assert_eq!(response.options[0].title, "Loyalty programme");
    assert_eq!(response.options[0].evidence_to_gather, ["e1", "e2"]);
    assert_eq!(response.options[0].extra["cost"], "low");
    assert_eq!(response.extra["debug"]["x"], 1);
}

#[test]
fn clarify_brief_uses_the_service_shape() {
    assert_eq!(
        to_json(&ClarifyBriefRequest::new(BRIEF)),
        json!({"brief": BRIEF})
    );
    // `previous_answers` is an array of {question, answer}, not a Record.
    let request = ClarifyBriefRequest {
        round: Some(1),
        previous_answers: Some(vec![PreviousAnswer::new("Which market?", "Germany")]),
        seed: Some(7),
        flags: Some(BTreeMap::from([("clarifier".to_owned(), true)])),
        ..ClarifyBriefRequest::new(BRIEF)
    };
    assert_eq!(
        to_json(&request),
        json!({"brief": BRIEF, "round": 1,
               "previous_answers": [{"question": "Which market?", "answer": "Germany"}],
               "seed": 7, "flags": {"clarifier": true}})
    );

    let response: ClarifyBriefResponse = round_trip(
        r#"{"questions":[{"question":"Which market first?","choices":["DE","FR"],
            "why_we_ask":"Market choice drives the options","impacts_draft":"Changes the option set",
            "targets_factor":"specificity"}],
            "confidence":0.6,"should_continue":true,"round":0,
            "readiness":{"score":0.5,"level":"needs_clarification"}}"#,
    );
    let q = &response.questions[0];
    assert_eq!(
        q.choices.as_deref(),
        Some(&["DE".to_owned(), "FR".to_owned()][..])
    );
    assert_eq!(
        q.why_we_ask.as_deref(),
        Some("Market choice drives the options")
    );
    assert_eq!(q.extra["targets_factor"], "specificity");
    assert_eq!(response.confidence, Some(0.6));
    assert_eq!(
        (response.should_continue, response.round),
        (Some(true), Some(0))
    );
    assert_eq!(response.extra["readiness"]["level"], "needs_clarification");
}

#[test]
fn critique_graph_uses_the_service_shape() {
    let graph = Graph::new(vec![Node::new("g", NodeKind::Goal)], vec![]);
    assert_eq!(
        to_json(&CritiqueGraphRequest::new(graph.clone())),
        json!({"graph": {"version": "1", "default_seed": 17, "nodes": [{"id": "g", "kind": "goal"}], "edges": []}})
    );
    let request = CritiqueGraphRequest {
        brief: Some(BRIEF.into()),
        focus_areas: Some(vec![FocusArea::Feasibility]),
        ..CritiqueGraphRequest::new(graph)
    };
    let body = to_json(&request);
    assert_eq!(body["brief"], BRIEF);
    assert_eq!(body["focus_areas"], json!(["feasibility"]));

    let response: CritiqueGraphResponse = round_trip(
        r#"{"issues":[{"level":"BLOCKER","note":"Goal has no incoming edges","target":"g"},
                      {"level":"IMPROVEMENT","note":"Consider adding risks"},
                      {"level":"NITPICK","note":"Labels could be shorter","confidence":0.3}],
            "suggested_fixes":["Connect an outcome to the goal"],"overall_quality":"fair"}"#,
    );
    assert_eq!(response.issues[0].level, IssueLevel::Blocker);
    assert_eq!(response.issues[0].target.as_deref(), Some("g"));
    assert_eq!(response.issues[1].level, IssueLevel::Improvement);
    assert_eq!(
        response.issues[2].level,
        IssueLevel::Other("NITPICK".into())
    );
    assert_eq!(response.issues[2].extra["confidence"], 0.3);
    assert_eq!(response.suggested_fixes, ["Connect an outcome to the goal"]);
    assert_eq!(response.overall_quality, Some(OverallQuality::Fair));
}

#[test]
fn explain_diff_uses_the_service_shape() {
    // `{patch, brief?, graph_summary?}`, not `{before, after}`.
    assert_eq!(
        to_json(&ExplainDiffRequest::new(GraphPatch::default())),
        json!({"patch": {"adds": {"nodes": [], "edges": []}, "updates": [], "removes": []}})
    );
    let mut patch = GraphPatch::default();
    patch
        .adds
        .nodes
        .push(json!({"id": "r1", "kind": "risk", "label": "Churn"}));
    patch.removes.push(json!({"node_id": "old"}));
    let request = ExplainDiffRequest {
        brief: Some(BRIEF.into()),
        graph_summary: Some(json!({"node_count": 5, "edge_count": 4})),
        ..ExplainDiffRequest::new(patch)
    };
    assert_eq!(
        to_json(&request),
        json!({"patch": {"adds": {"nodes": [{"id": "r1", "kind": "risk", "label": "Churn"}], "edges": []},
                         "updates": [], "removes": [{"node_id": "old"}]},
               "brief": BRIEF, "graph_summary": {"node_count": 5, "edge_count": 4}})
    );

    let response: ExplainDiffResponse = round_trip(
        r#"{"rationales":[{"target":"r1","why":"Churn threatens revenue","provenance_source":"hypothesis"}]}"#,
    );
    assert_eq!(response.rationales[0].target, "r1");
    assert_eq!(
        response.rationales[0].provenance_source,
        Some(ProvenanceSource::Hypothesis)
    );
}

#[test]
fn evidence_pack_request_serializes_only_what_is_set() {
    assert_eq!(to_json(&EvidencePackRequest::default()), json!({}));
    let request = EvidencePackRequest {
        rationales: Some(vec![
            json!({"target": "e1", "why": "w", "provenance": {"source": "a.pdf", "quote": "q"}}),
        ]),
        pii_guard_mode: Some(PiiGuardMode::Strict),
        include_share_url: Some(true),
        ..EvidencePackRequest::default()
    };
    assert_eq!(
        to_json(&request),
        json!({"rationales": [{"target": "e1", "why": "w", "provenance": {"source": "a.pdf", "quote": "q"}}],
               "pii_guard_mode": "strict", "include_share_url": true})
    );
}

#[test]
fn string_enums_keep_unknown_values() {
    assert_eq!(NodeKind::from("goal"), NodeKind::Goal);
    assert_eq!(
        NodeKind::from("hypothesis".to_owned()),
        NodeKind::Other("hypothesis".into())
    );
    assert_eq!(NodeKind::Factor.as_str(), "factor");
    assert_eq!(NodeKind::Other("x".into()).to_string(), "x");
    // Values are case-sensitive, as on the service.
    assert_eq!(Stage::from("complete"), Stage::Other("complete".into()));
    assert_eq!(Stage::from("COMPLETE"), Stage::Complete);

    let kinds: Vec<NodeKind> = serde_json::from_str(
        r#"["goal","decision","option","outcome","risk","action","factor","question"]"#,
    )
    .unwrap();
    assert_eq!(
        kinds,
        [
            NodeKind::Goal,
            NodeKind::Decision,
            NodeKind::Option,
            NodeKind::Outcome,
            NodeKind::Risk,
            NodeKind::Action,
            NodeKind::Factor,
            NodeKind::Other("question".into())
        ]
    );
    assert_eq!(
        to_json(&kinds),
        json!([
            "goal", "decision", "option", "outcome", "risk", "action", "factor", "question"
        ])
    );
    for (kind, wire) in [(AttachmentKind::Md, "md"), (AttachmentKind::Txt, "txt")] {
        assert_eq!(to_json(&kind), json!(wire));
    }
    assert_eq!(to_json(&ClarifierStatus::MaxRounds), json!("max_rounds"));
    assert_eq!(to_json(&RefinementMode::Clarify), json!("clarify"));
    assert_eq!(to_json(&EffectDirection::Negative), json!("negative"));
    assert_eq!(to_json(&IssueLevel::Observation), json!("OBSERVATION"));
    assert_eq!(to_json(&OverallQuality::Excellent), json!("excellent"));
    assert!(serde_json::from_str::<NodeKind>("3").is_err());
}

#[test]
fn required_fields_follow_the_service() {
    // `patch` is always sent on a draft; `diagnostics.correlation_id` whenever diagnostics are.
    let no_patch = serde_json::from_str::<DraftGraphOutput>(r#"{"graph":{"nodes":[],"edges":[]}}"#);
    assert!(no_patch.unwrap_err().to_string().contains("patch"));
    let no_id = serde_json::from_value::<olumi::models::Diagnostics>(
        json!({"resumes":0,"trims":0,"recovered_events":0}),
    );
    assert!(no_id.unwrap_err().to_string().contains("correlation_id"));
}

#[test]
fn cee_draft_responses_decode_by_shape() {
    let v3: CeeDraftGraphResponse = round_trip(
        r#"{"schema_version":"3.0","nodes":[{"id":"g","kind":"goal","label":"Grow"},{"id":"f","kind":"factor","label":"Price","observed_state":{"value":59,"unit":"GBP"}}],
            "edges":[{"id":"f::g::0","from":"f","to":"g","strength_mean":-0.4,"strength_std":0.1,"belief_exists":0.9,"effect_direction":"negative"}],
            "options":[{"id":"o","label":"Raise","status":"ready","interventions":{"f":{"value":69,"source":"brief_extraction","target_match":{"node_id":"f","match_type":"exact_id","confidence":"high"}}}}],
            "goal_node_id":"g","analysis_ready":{"status":"ready"},
            "validation_warnings":[{"code":"MISSING_UNIT","severity":"warning","message":"m"}],
            "trace":{"request_id":"req-3","engine":{}}}"#,
    );
    let body = v3.as_v3().expect("a v3 body");
    assert_eq!(body.nodes[1].observed_state.as_ref().unwrap().value, 59.0);
    assert_eq!(body.edges[0].effect_direction, EffectDirection::Negative);
    assert_eq!(body.edges[0].strength_mean, -0.4);
    let intervention = &body.options[0].interventions["f"];
    assert_eq!(
        (
            intervention.value,
            intervention.target_match.node_id.as_str()
        ),
        (69.0, "f")
    );
    assert_eq!(
        body.validation_warnings.as_ref().unwrap()[0].code,
        "MISSING_UNIT"
    );
    assert_eq!(v3.request_id(), Some("req-3"));

    let v1: CeeDraftGraphResponse = round_trip(
        r#"{"graph":{"version":"1","default_seed":17,"nodes":[{"id":"a","kind":"goal"},{"id":"b","kind":"option"}],"edges":[]},
            "patch":{"adds":{"nodes":[],"edges":[]},"updates":[],"removes":[]},"rationales":[],
            "trace":{"request_id":"req-1","correlation_id":"c"},"quality":{"overall":7}}"#,
    );
    let body = v1.as_v1().expect("a v1 body");
    assert_eq!(body.graph.nodes[1].kind, NodeKind::Option);
    assert_eq!(v1.request_id(), Some("req-1"));

    // Interventions as bare numbers are not the v3 shape: the body is kept, untyped.
    let old: CeeDraftGraphResponse = round_trip(
        r#"{"schema_version":"3.0","nodes":[],"edges":[],"options":[{"id":"o","label":"A","status":"ready","interventions":{"f":1}}],"goal_node_id":"g"}"#,
    );
    assert!(old.as_v3().is_none() && old.as_v1().is_none());

    let empty = CeeDraftGraphResponse::default();
    assert!(empty.as_v3().is_none() && empty.request_id().is_none());
}

#[test]
fn graph_defaults_match_the_service() {
    let graph = Graph::default();
    assert_eq!(
        to_json(&graph),
        json!({"version": "1", "default_seed": 17, "nodes": [], "edges": []})
    );
}
