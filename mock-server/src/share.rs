//! Share links with real state: `POST /assist/share` creates one, `GET /assist/share/{token}`
//! reads it, `DELETE /assist/share/{token}` revokes it, and each expires after its
//! `ttl_hours`.
//!
//! The answers follow the service's: 201 `share.v1`, 200 `share-content.v1` (the read count
//! goes up by one per read), 200 `share-revoke.v1`; reading an unknown, expired or revoked
//! token answers **410**, revoking one answers **404**, both `error.v1` `NOT_FOUND` with the
//! request id; an invalid create body answers 400 `BAD_INPUT` `"Invalid request"`. The mock's
//! token is an opaque random string (the service signs its tokens; clients never look inside).
//!
//! The store is bounded: past [`MAX_SHARES`], expired and revoked shares go first, then the
//! oldest. Its clock can be moved forward ([`ShareStore::advance`]) so tests can expire a share
//! without waiting an hour.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::http::StatusCode;
use bytes::Bytes;
use serde_json::{Map, Value, json};

use crate::envelope::quote;

/// Most shares kept at once.
pub(crate) const MAX_SHARES: usize = 10_000;
const HOUR_MS: u64 = 60 * 60 * 1000;

#[derive(Debug, Clone)]
struct Share {
    share_id: String,
    graph: Value,
    brief: Option<String>,
    created_at_ms: u64,
    expires_at_ms: u64,
    revoked: bool,
    access_count: u64,
}

/// The mock's share links.
#[derive(Default)]
pub(crate) struct ShareStore {
    shares: Mutex<HashMap<String, Share>>,
    /// Added to the wall clock: how far tests moved time forward.
    offset_ms: AtomicU64,
}

/// A token opens its share to anyone who has it, so `Debug` shows how many there are, not them.
impl std::fmt::Debug for ShareStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ShareStore")
            .field("shares", &self.lock().len())
            .field("offset_ms", &self.offset_ms.load(Ordering::Relaxed))
            .finish()
    }
}

/// What a share route answers.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct ShareAnswer {
    pub(crate) status: StatusCode,
    pub(crate) body: Bytes,
}

impl ShareAnswer {
    fn json(status: StatusCode, body: &Value) -> Self {
        Self {
            status,
            body: Bytes::from(body.to_string()),
        }
    }

    fn error(status: StatusCode, code: &str, message: &str, request_id: &str) -> Self {
        let body = format!(
            r#"{{"schema":"error.v1","code":{},"message":{},"request_id":{}}}"#,
            quote(code),
            quote(message),
            quote(request_id)
        );
        Self {
            status,
            body: Bytes::from(body),
        }
    }
}

/// Where a share request goes.
#[derive(Debug)]
pub(crate) struct ShareRequest<'a> {
    pub(crate) method: &'a str,
    pub(crate) path: &'a str,
    pub(crate) body: Option<&'a Value>,
    /// The `Host` the client used, for the link (`http://HOST/assist/share/TOKEN`).
    pub(crate) host: &'a str,
    pub(crate) request_id: &'a str,
    /// A fresh random token and share id for a create.
    pub(crate) new_ids: (String, String),
}

impl ShareStore {
    /// Moves the store's clock forward (shares expire sooner).
    pub(crate) fn advance(&self, by_ms: u64) {
        self.offset_ms.fetch_add(by_ms, Ordering::Relaxed);
    }

    /// Forgets every share and resets the clock.
    pub(crate) fn clear(&self) {
        self.lock().clear();
        self.offset_ms.store(0, Ordering::Relaxed);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Share>> {
        self.shares.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Answers one share request at `wall_ms` (the wall clock, before the test offset).
    pub(crate) fn answer(&self, req: ShareRequest<'_>, wall_ms: u64) -> ShareAnswer {
        let now = wall_ms.saturating_add(self.offset_ms.load(Ordering::Relaxed));
        match (req.method, req.path.strip_prefix("/assist/share/")) {
            ("POST", None) if req.path == "/assist/share" => self.create(req, now),
            ("GET", Some(token)) => self.read(token, req.request_id, now),
            ("DELETE", Some(token)) => self.revoke(token, req.request_id, now),
            _ => ShareAnswer::error(
                StatusCode::NOT_FOUND,
                "NOT_FOUND",
                "Share not found",
                req.request_id,
            ),
        }
    }

    fn create(&self, req: ShareRequest<'_>, now: u64) -> ShareAnswer {
        let (graph, brief, ttl_hours) = match parse_create(req.body) {
            Ok(parsed) => parsed,
            Err(errors) => {
                let body = format!(
                    r#"{{"schema":"error.v1","code":"BAD_INPUT","message":"Invalid request","details":{{"errors":{}}},"request_id":{}}}"#,
                    Value::Array(errors),
                    quote(req.request_id)
                );
                return ShareAnswer {
                    status: StatusCode::BAD_REQUEST,
                    body: Bytes::from(body),
                };
            }
        };
        let (token, share_id) = req.new_ids;
        // Whole milliseconds: `ttl_hours` may have a fraction.
        let expires_at_ms = now.saturating_add((ttl_hours * HOUR_MS as f64) as u64);
        let share = Share {
            share_id: share_id.clone(),
            graph,
            brief,
            created_at_ms: now,
            expires_at_ms,
            revoked: false,
            access_count: 0,
        };
        let mut shares = self.lock();
        if shares.len() >= MAX_SHARES {
            evict(&mut shares, now);
        }
        shares.insert(token.clone(), share);
        drop(shares);
        let url = format!("http://{}/assist/share/{token}", req.host);
        ShareAnswer::json(
            StatusCode::CREATED,
            &json!({
                "schema": "share.v1",
                "share_id": share_id,
                "url": url,
                "expires_at": iso8601(expires_at_ms),
            }),
        )
    }

    fn read(&self, token: &str, request_id: &str, now: u64) -> ShareAnswer {
        let mut shares = self.lock();
        let Some(share) = shares
            .get_mut(token)
            .filter(|s| !s.revoked && s.expires_at_ms > now)
        else {
            return ShareAnswer::error(
                StatusCode::GONE,
                "NOT_FOUND",
                "Share expired or invalid",
                request_id,
            );
        };
        share.access_count += 1;
        let mut body = Map::new();
        body.insert("schema".into(), "share-content.v1".into());
        body.insert("share_id".into(), share.share_id.clone().into());
        body.insert("graph".into(), share.graph.clone());
        if let Some(brief) = &share.brief {
            body.insert("brief".into(), brief.clone().into());
        }
        body.insert("created_at".into(), iso8601(share.created_at_ms).into());
        body.insert("expires_at".into(), iso8601(share.expires_at_ms).into());
        body.insert("access_count".into(), share.access_count.into());
        ShareAnswer::json(StatusCode::OK, &Value::Object(body))
    }

    fn revoke(&self, token: &str, request_id: &str, now: u64) -> ShareAnswer {
        let mut shares = self.lock();
        let Some(share) = shares
            .get_mut(token)
            .filter(|s| !s.revoked && s.expires_at_ms > now)
        else {
            return ShareAnswer::error(
                StatusCode::NOT_FOUND,
                "NOT_FOUND",
                "Share not found",
                request_id,
            );
        };
        share.revoked = true;
        ShareAnswer::json(
            StatusCode::OK,
            &json!({"schema": "share-revoke.v1", "share_id": share.share_id, "revoked": true}),
        )
    }
}

/// Drops expired and revoked shares, and if that frees nothing, the oldest one.
fn evict(shares: &mut HashMap<String, Share>, now: u64) {
    shares.retain(|_, s| !s.revoked && s.expires_at_ms > now);
    if shares.len() >= MAX_SHARES
        && let Some(oldest) = shares
            .iter()
            .min_by_key(|(_, s)| s.created_at_ms)
            .map(|(token, _)| token.clone())
    {
        shares.remove(&oldest);
    }
}

/// The service's create schema: `graph` (an object with `nodes` and `edges` arrays), `brief`
/// (a string, optional), `ttl_hours` (a number 1..168, default 24). `Err` holds zod-style
/// issues (`code`, `path`, `message`).
fn parse_create(body: Option<&Value>) -> Result<(Value, Option<String>, f64), Vec<Value>> {
    let issue = |path: &[&str], message: &str| json!({"code": "invalid_type", "path": path, "message": message});
    let Some(object) = body.and_then(Value::as_object) else {
        return Err(vec![issue(&[], "Expected object")]);
    };
    let mut errors = Vec::new();
    let graph = object.get("graph").cloned();
    match &graph {
        None | Some(Value::Null) => errors.push(issue(&["graph"], "Required")),
        Some(Value::Object(g)) => {
            for list in ["nodes", "edges"] {
                if !g.get(list).is_some_and(Value::is_array) {
                    errors.push(issue(&["graph", list], "Expected array"));
                }
            }
        }
        Some(_) => errors.push(issue(&["graph"], "Expected object")),
    }
    let brief = match object.get("brief") {
        None => None,
        Some(Value::String(b)) => Some(b.clone()),
        Some(_) => {
            errors.push(issue(&["brief"], "Expected string"));
            None
        }
    };
    let ttl_hours = match object.get("ttl_hours") {
        None => 24.0,
        Some(Value::Number(n)) => match n.as_f64() {
            Some(h) if (1.0..=168.0).contains(&h) => h,
            _ => {
                errors.push(json!({"code": "too_small_or_big", "path": ["ttl_hours"],
                    "message": "Number must be between 1 and 168"}));
                24.0
            }
        },
        Some(_) => {
            errors.push(issue(&["ttl_hours"], "Expected number"));
            24.0
        }
    };
    match graph {
        Some(graph) if errors.is_empty() => Ok((graph, brief, ttl_hours)),
        _ => Err(errors),
    }
}

/// Milliseconds since the epoch as JavaScript's `toISOString()` writes them
/// (`2026-12-05T08:00:00.000Z`).
pub(crate) fn iso8601(ms: u64) -> String {
    let secs = ms / 1000;
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        ms % 1000
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request<'a>(method: &'a str, path: &'a str, body: Option<&'a Value>) -> ShareRequest<'a> {
        ShareRequest {
            method,
            path,
            body,
            host: "127.0.0.1:1",
            request_id: "req-1",
            new_ids: ("tok".into(), "sid".into()),
        }
    }

    fn body(answer: &ShareAnswer) -> Value {
        serde_json::from_slice(&answer.body).unwrap()
    }

    #[test]
    fn debug_does_not_show_tokens() {
        let store = ShareStore::default();
        let graph = json!({"graph": {"nodes": [], "edges": []}});
        store.answer(request("POST", "/assist/share", Some(&graph)), 0);
        let shown = format!("{store:?}");
        assert!(
            shown.contains("shares: 1") && !shown.contains("tok"),
            "{shown}"
        );
    }

    #[test]
    fn timestamps_are_javascripts() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso8601(1_764_921_600_123), "2025-12-05T08:00:00.123Z");
        assert_eq!(iso8601(951_782_400_000), "2000-02-29T00:00:00.000Z");
    }

    #[test]
    fn create_read_revoke_expire() {
        let store = ShareStore::default();
        let graph = json!({"graph": {"nodes": [], "edges": []}, "brief": "b", "ttl_hours": 1});
        let created = store.answer(request("POST", "/assist/share", Some(&graph)), 0);
        assert_eq!(created.status, StatusCode::CREATED);
        assert_eq!(body(&created)["url"], "http://127.0.0.1:1/assist/share/tok");
        assert_eq!(body(&created)["expires_at"], "1970-01-01T01:00:00.000Z");

        let read = store.answer(request("GET", "/assist/share/tok", None), 10);
        assert_eq!(read.status, StatusCode::OK);
        assert_eq!(body(&read)["access_count"], 1);
        assert_eq!(body(&read)["brief"], "b");
        let again = store.answer(request("GET", "/assist/share/tok", None), 20);
        assert_eq!(body(&again)["access_count"], 2);

        store.advance(HOUR_MS);
        let expired = store.answer(request("GET", "/assist/share/tok", None), 0);
        assert_eq!(expired.status, StatusCode::GONE);
        assert_eq!(body(&expired)["code"], "NOT_FOUND");
        assert_eq!(body(&expired)["request_id"], "req-1");

        store.clear();
        store.answer(request("POST", "/assist/share", Some(&graph)), 0);
        let revoked = store.answer(request("DELETE", "/assist/share/tok", None), 1);
        assert_eq!(revoked.status, StatusCode::OK);
        assert_eq!(body(&revoked)["revoked"], true);
        let gone = store.answer(request("GET", "/assist/share/tok", None), 2);
        assert_eq!(gone.status, StatusCode::GONE);
        let twice = store.answer(request("DELETE", "/assist/share/tok", None), 3);
        assert_eq!(twice.status, StatusCode::NOT_FOUND);
    }

    #[test]
    fn invalid_create_bodies_are_bad_input() {
        let store = ShareStore::default();
        for bad in [
            json!({}),
            json!({"graph": {"nodes": []}}),
            json!({"graph": {"nodes": [], "edges": []}, "ttl_hours": 0.5}),
            json!({"graph": {"nodes": [], "edges": []}, "brief": 3}),
        ] {
            let answer = store.answer(request("POST", "/assist/share", Some(&bad)), 0);
            assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{bad}");
            assert_eq!(body(&answer)["message"], "Invalid request");
            assert!(
                body(&answer)["details"]["errors"]
                    .as_array()
                    .is_some_and(|e| !e.is_empty())
            );
        }
    }

    #[test]
    fn the_store_is_bounded() {
        let store = ShareStore::default();
        let graph = json!({"graph": {"nodes": [], "edges": []}});
        for i in 0..MAX_SHARES + 5 {
            let mut req = request("POST", "/assist/share", Some(&graph));
            req.new_ids = (format!("t{i}"), format!("s{i}"));
            store.answer(req, i as u64);
        }
        assert_eq!(store.lock().len(), MAX_SHARES);
        let newest = store.answer(
            request("GET", &format!("/assist/share/t{}", MAX_SHARES + 4), None),
            0,
        );
        assert_eq!(newest.status, StatusCode::OK);
    }
}
