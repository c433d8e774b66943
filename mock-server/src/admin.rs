//! The admin API under `/__admin`: journal, reset, faults, fixtures, scenarios. Admin requests
//! need no auth, are not rate-limited and are not journaled.
//!
//! | method | path | effect |
//! |---|---|---|
//! | GET | `/__admin/journal` | the journal (JSON array); `?since=SEQ`: only entries after SEQ |
//! | DELETE | `/__admin/journal` | empty it |
//! | POST | `/__admin/reset` | everything back to the start state |
//! | GET / POST / DELETE | `/__admin/faults` | list / inject `{"fault","method"?,"path"?,"fixture"?}` / remove all |
//! | DELETE | `/__admin/faults/{id}` | remove one |
//! | GET | `/__admin/fixtures` | the loaded fixtures |
//! | POST | `/__admin/fixtures/reload` | reload them (the current set stays on error) |
//! | GET | `/__admin/scenarios` | scenario states |
//! | PUT | `/__admin/scenarios/{name}` | `{"state": "..."}` |
//! | GET | `/__admin/ui`, `/__admin/events`, `/__admin/streams` | the dashboard (see `dashboard`) |
//! | GET | `/__admin/requests/count` | `{"count": N}` of the requests matching the query's matcher |
//! | POST | `/__admin/requests/find` | `{"count": N, "requests": [...]}` for a JSON matcher |
//! | POST | `/__admin/requests/verify` | `{"matcher", "times"?}`: 200, or 417 with the near misses |

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderValue, StatusCode, Uri};
use axum::response::Response;
use axum::routing::{delete, get, post, put};
use serde::{Deserialize, Serialize};

use crate::faults::{FaultInjection, FaultSpec};
use crate::fixtures::Action;
use crate::server::App;
use crate::verify as verify_api;

pub(crate) fn router() -> Router<Arc<App>> {
    Router::new()
        .route("/journal", get(journal).delete(clear_journal))
        .route("/reset", post(reset))
        .route(
            "/faults",
            get(list_faults).post(add_fault).delete(clear_faults),
        )
        .route("/faults/{id}", delete(remove_fault))
        .route("/fixtures", get(list_fixtures))
        .route("/fixtures/reload", post(reload_fixtures))
        .route("/scenarios", get(scenarios))
        .route("/scenarios/{name}", put(set_scenario))
        .merge(crate::dashboard::router())
        .route("/requests/count", get(verify_api::count))
        .route("/requests/find", post(verify_api::find_route))
        .route("/requests/verify", post(verify_api::verify_route))
}

pub(crate) fn json(status: StatusCode, value: &impl Serialize) -> Response {
    let body = serde_json::to_vec(value).unwrap_or_else(|_| b"null".to_vec());
    let mut response = Response::new(body.into());
    *response.status_mut() = status;
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    response
}

pub(crate) fn problem(status: StatusCode, message: &str) -> Response {
    json(status, &serde_json::json!({ "error": message }))
}

async fn journal(State(app): State<Arc<App>>, uri: Uri) -> Response {
    let pairs = crate::matching::parse_query(uri.query().unwrap_or(""));
    match pairs.iter().find(|(k, _)| k == "since") {
        None => json(StatusCode::OK, &app.journal.snapshot()),
        Some((_, since)) => match since.parse::<u64>() {
            Ok(seq) => json(StatusCode::OK, &app.journal.since(seq)),
            Err(_) => problem(
                StatusCode::BAD_REQUEST,
                &format!("since: {since:?} is not a sequence number"),
            ),
        },
    }
}

async fn clear_journal(State(app): State<Arc<App>>) -> Response {
    app.journal.clear();
    json(StatusCode::OK, &serde_json::json!({ "cleared": true }))
}

async fn reset(State(app): State<Arc<App>>) -> Response {
    app.reset();
    app.reset_shared().await;
    json(StatusCode::OK, &serde_json::json!({ "reset": true }))
}

async fn list_faults(State(app): State<Arc<App>>) -> Response {
    json(StatusCode::OK, &app.faults.list())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NewFault {
    fault: String,
    #[serde(default)]
    method: Option<String>,
    #[serde(default)]
    path: Option<String>,
    #[serde(default)]
    fixture: Option<String>,
}

async fn add_fault(State(app): State<Arc<App>>, body: Bytes) -> Response {
    let new: NewFault = match serde_json::from_slice(&body) {
        Ok(n) => n,
        Err(e) => {
            return problem(
                StatusCode::BAD_REQUEST,
                &format!("expected {{\"fault\": SPEC, \"method\"?, \"path\"?, \"fixture\"?}}: {e}"),
            );
        }
    };
    let spec: FaultSpec = match new.fault.parse() {
        Ok(s) => s,
        Err(e) => return problem(StatusCode::BAD_REQUEST, &e.to_string()),
    };
    let mut injection = FaultInjection::new(spec);
    if let Some(m) = &new.method {
        injection = injection.method(m);
    }
    if let Some(p) = &new.path {
        injection = injection.path(p);
    }
    if let Some(f) = &new.fixture {
        injection = injection.fixture(f);
    }
    let id = app.faults.add(injection, false);
    json(StatusCode::CREATED, &serde_json::json!({ "id": id }))
}

async fn clear_faults(State(app): State<Arc<App>>) -> Response {
    app.faults.clear(false);
    json(StatusCode::OK, &serde_json::json!({ "cleared": true }))
}

async fn remove_fault(State(app): State<Arc<App>>, Path(id): Path<u64>) -> Response {
    if app.faults.remove(id) {
        json(StatusCode::OK, &serde_json::json!({ "removed": id }))
    } else {
        problem(StatusCode::NOT_FOUND, &format!("no fault with id {id}"))
    }
}

#[derive(Debug, Serialize)]
struct FixtureListing<'a> {
    name: &'a str,
    source: &'a str,
    method: &'a str,
    path: &'a str,
    kind: &'static str,
    description: Option<&'a str>,
}

async fn list_fixtures(State(app): State<Arc<App>>) -> Response {
    let set = app.fixtures();
    let list: Vec<FixtureListing<'_>> = set
        .iter()
        .map(|f| FixtureListing {
            name: &f.name,
            source: &f.source,
            method: &f.method,
            path: &f.path,
            kind: match f.action {
                Action::Respond(_) => "response",
                Action::Stream(_) => "stream",
                Action::Builtin(_) => "builtin",
            },
            description: f.description.as_deref(),
        })
        .collect();
    json(StatusCode::OK, &list)
}

async fn reload_fixtures(State(app): State<Arc<App>>) -> Response {
    match app.reload_fixtures() {
        Ok(count) => json(StatusCode::OK, &serde_json::json!({ "loaded": count })),
        Err(e) => json(
            StatusCode::BAD_REQUEST,
            &serde_json::json!({
                "error": e.to_string(), "file": e.file, "field": e.field, "message": e.message,
            }),
        ),
    }
}

async fn scenarios(State(app): State<Arc<App>>) -> Response {
    json(StatusCode::OK, &app.scenarios.all())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NewState {
    state: String,
}

async fn set_scenario(
    State(app): State<Arc<App>>,
    Path(name): Path<String>,
    body: Bytes,
) -> Response {
    match serde_json::from_slice::<NewState>(&body) {
        Ok(s) => {
            app.scenarios.set(&name, &s.state);
            json(
                StatusCode::OK,
                &serde_json::json!({ "name": name, "state": s.state }),
            )
        }
        Err(e) => problem(
            StatusCode::BAD_REQUEST,
            &format!("expected {{\"state\": \"...\"}}: {e}"),
        ),
    }
}
