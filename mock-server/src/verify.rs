//! Verification: which journaled requests match a [`RequestMatcher`], how many, and a failure
//! message that lists the nearest requests when the count is wrong (as the 404 near miss lists
//! the nearest fixtures).
//!
//! Served by `GET /__admin/requests/count`, `POST /__admin/requests/find` and
//! `POST /__admin/requests/verify`, and by [`crate::MockServer::verify`] (which the Python and
//! Node bindings call).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use serde::{Deserialize, Serialize};

use crate::admin;
use crate::journal::{JournalEntry, Source};
use crate::matching;
use crate::server::App;

/// The verdict kinds a matcher may name (`Verdict`'s `kind` in the journal).
const VERDICT_KINDS: [&str; 8] = [
    "auth_off",
    "public",
    "legacy_sse_bypass",
    "api_key",
    "hmac",
    "missing_key",
    "invalid_key",
    "hmac_rejected",
];

/// How many nearest non-matching requests a failure message lists.
const NEAREST: usize = 3;

/// Which journaled requests to count, find or verify. Every field that is set must hold; an
/// empty matcher matches every request.
///
/// From JSON (the admin API and the bindings): `{"method": "POST", "path": "/assist/draft-graph",
/// "query": {"mode": "live"}, "headers": {"accept": {"contains": "event-stream"}, "x-debug": null},
/// "body_contains": "brief", "verdict": "hmac", "status": 200, "source": "proxy"}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct RequestMatcher {
    /// The method (case-insensitive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// The path without its query: exact, or ending in `/*` for exactly one more segment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Query parameters that must be present with these (decoded) values.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub query: BTreeMap<String, String>,
    /// Headers (names case-insensitive): a rule, or `None` (JSON `null`) for "absent". Secret
    /// headers are redacted in the journal, so only their presence can be matched.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, Option<HeaderMatch>>,
    /// A substring of the request body (its first 64 KiB, as UTF-8).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_contains: Option<String>,
    /// The auth verdict's kind: `auth_off`, `public`, `legacy_sse_bypass`, `api_key`, `hmac`,
    /// `missing_key`, `invalid_key` or `hmac_rejected`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verdict: Option<String>,
    /// The status answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// What answered: the mock, a fixture or the proxied upstream.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
}

/// How a header must look.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum HeaderMatch {
    /// Exactly this value.
    Exact(String),
    /// A value containing this text (`{"contains": "..."}`).
    Contains {
        /// The text the value must contain.
        contains: String,
    },
}

/// A matcher that cannot be used: unknown field, wrong type, unknown verdict kind.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid request matcher: {0}")]
pub struct MatcherError(String);

/// A verification that failed: the message lists what matched and the nearest requests that
/// did not, with why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct VerifyError {
    /// How many requests matched.
    pub found: usize,
    /// The whole message.
    pub message: String,
}

impl RequestMatcher {
    /// A matcher that matches every request; narrow it with the setters.
    pub fn new() -> Self {
        Self::default()
    }

    /// Parses and checks a matcher from its JSON form.
    ///
    /// # Errors
    /// [`MatcherError`] naming the field that is wrong.
    pub fn from_json(text: &str) -> Result<Self, MatcherError> {
        let de = &mut serde_json::Deserializer::from_str(text);
        let matcher: Self =
            serde_path_to_error::deserialize(de).map_err(|e| MatcherError(e.to_string()))?;
        matcher.check()
    }

    /// The same from a JSON value.
    ///
    /// # Errors
    /// [`MatcherError`] naming the field that is wrong.
    pub fn from_value(value: serde_json::Value) -> Result<Self, MatcherError> {
        let matcher: Self =
            serde_path_to_error::deserialize(value).map_err(|e| MatcherError(e.to_string()))?;
        matcher.check()
    }

    fn check(self) -> Result<Self, MatcherError> {
        if let Some(kind) = &self.verdict
            && !VERDICT_KINDS.contains(&kind.as_str())
        {
            return Err(MatcherError(format!(
                "verdict: unknown kind {kind:?}, expected one of {}",
                VERDICT_KINDS.join(", ")
            )));
        }
        if let Some(path) = &self.path
            && (!path.starts_with('/') || path.contains('?'))
        {
            return Err(MatcherError(format!(
                "path: {path:?} must start with `/` and hold no query (use `query`)"
            )));
        }
        Ok(self)
    }

    /// Only this method.
    pub fn method(mut self, method: &str) -> Self {
        self.method = Some(method.to_owned());
        self
    }

    /// Only this path (or `/prefix/*`).
    pub fn path(mut self, path: &str) -> Self {
        self.path = Some(path.to_owned());
        self
    }

    /// Only requests with this query parameter value.
    pub fn query(mut self, name: &str, value: &str) -> Self {
        self.query.insert(name.to_owned(), value.to_owned());
        self
    }

    /// Only requests with this header rule (`None`: the header is absent).
    pub fn header(mut self, name: &str, rule: Option<HeaderMatch>) -> Self {
        self.headers.insert(name.to_ascii_lowercase(), rule);
        self
    }

    /// Only requests whose body contains `text`.
    pub fn body_contains(mut self, text: &str) -> Self {
        self.body_contains = Some(text.to_owned());
        self
    }

    /// Only requests with this verdict kind (`hmac`, `api_key`, ...).
    pub fn verdict(mut self, kind: &str) -> Self {
        self.verdict = Some(kind.to_owned());
        self
    }

    /// Only requests answered with this status.
    pub fn status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }

    /// Only requests answered by this source.
    pub fn source(mut self, source: Source) -> Self {
        self.source = Some(source);
        self
    }

    /// Whether `entry` matches.
    pub fn matches(&self, entry: &JournalEntry) -> bool {
        self.mismatches(entry, false).is_empty()
    }

    /// Why `entry` does not match (empty: it matches). With `explain` false it stops at the
    /// first reason.
    fn mismatches(&self, entry: &JournalEntry, explain: bool) -> Vec<String> {
        let mut out = Vec::new();
        macro_rules! miss {
            ($($arg:tt)*) => {{
                out.push(format!($($arg)*));
                if !explain {
                    return out;
                }
            }};
        }
        let (path, query) = entry.target.split_once('?').unwrap_or((&entry.target, ""));
        if let Some(want) = &self.method
            && !want.eq_ignore_ascii_case(&entry.method)
        {
            miss!("method: expected {want}, got {}", entry.method);
        }
        if let Some(want) = &self.path
            && !crate::fixtures::path_matches(want, path)
        {
            miss!("path: expected {want:?}, got {path:?}");
        }
        if !self.query.is_empty() {
            let got = matching::parse_query(query);
            for (name, want) in &self.query {
                match got.iter().find(|(n, _)| n == name) {
                    None => miss!("query: parameter {name:?} missing (expected {want:?})"),
                    Some((_, v)) if v != want => {
                        miss!("query: parameter {name:?} is {v:?}, expected {want:?}")
                    }
                    Some(_) => {}
                }
            }
        }
        for (name, rule) in &self.headers {
            match (rule, entry.header(name)) {
                (None, Some(got)) => miss!("header {name}: expected absent, got {got:?}"),
                (Some(HeaderMatch::Exact(want)), None) => {
                    miss!("header {name}: missing (expected {want:?})")
                }
                (Some(HeaderMatch::Contains { contains }), None) => {
                    miss!("header {name}: missing (expected to contain {contains:?})")
                }
                (Some(HeaderMatch::Exact(want)), Some(got)) if got != want => {
                    miss!("header {name}: expected {want:?}, got {got:?}")
                }
                (Some(HeaderMatch::Contains { contains }), Some(got))
                    if !got.contains(contains.as_str()) =>
                {
                    miss!("header {name}: expected to contain {contains:?}, got {got:?}")
                }
                _ => {}
            }
        }
        if let Some(want) = &self.body_contains
            && !entry.body.contains(want.as_str())
        {
            miss!(
                "body: does not contain {want:?} (body: {:?})",
                shorten(&entry.body, 80)
            );
        }
        if let Some(want) = &self.verdict
            && entry.verdict.kind() != want
        {
            miss!("verdict: expected {want}, got {}", entry.verdict.kind());
        }
        if let Some(want) = self.status
            && want != entry.status
        {
            miss!("status: expected {want}, got {}", entry.status);
        }
        if let Some(want) = self.source
            && want != entry.source
        {
            miss!(
                "source: expected {}, got {}",
                want.as_str(),
                entry.source.as_str()
            );
        }
        out
    }

    /// This matcher as one line of JSON, for messages.
    fn describe(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".to_owned())
    }
}

/// The first `max` characters of `text`, with `...` when cut.
fn shorten(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}...", &text[..at]),
        None => text.to_owned(),
    }
}

/// The entries that match `matcher`, in journal order.
pub(crate) fn find<'a>(
    entries: &'a [JournalEntry],
    matcher: &RequestMatcher,
) -> Vec<&'a JournalEntry> {
    entries.iter().filter(|e| matcher.matches(e)).collect()
}

/// Checks that `matcher` matches exactly `times` entries (at least one when `times` is `None`).
/// Returns how many matched.
pub(crate) fn verify(
    entries: &[JournalEntry],
    matcher: &RequestMatcher,
    times: Option<usize>,
) -> Result<usize, VerifyError> {
    let matched = find(entries, matcher);
    let found = matched.len();
    let ok = match times {
        Some(n) => found == n,
        None => found > 0,
    };
    if ok {
        return Ok(found);
    }
    let expected = match times {
        Some(1) => "exactly 1 request".to_owned(),
        Some(n) => format!("exactly {n} requests"),
        None => "at least 1 request".to_owned(),
    };
    let mut message = format!(
        "expected {expected} matching {}, found {found} (of {} journaled)",
        matcher.describe(),
        entries.len()
    );
    if !matched.is_empty() {
        message.push_str("\nmatched:");
        for e in &matched {
            let _ = write!(message, "\n  {}", one_line(e));
        }
    }
    let nearest = nearest(entries, matcher);
    if !nearest.is_empty() {
        message.push_str("\nnearest requests that did not match:");
        for (e, reasons) in nearest {
            let _ = write!(message, "\n  {}", one_line(e));
            for reason in reasons {
                let _ = write!(message, "\n    - {reason}");
            }
        }
    }
    Err(VerifyError { found, message })
}

/// `#SEQ METHOD TARGET -> STATUS (fixture NAME | proxy)`.
fn one_line(e: &JournalEntry) -> String {
    let by = match (&e.fixture, e.source) {
        (_, Source::Proxy) => " (proxy)".to_owned(),
        (Some(name), _) => format!(" (fixture {name})"),
        (None, _) => String::new(),
    };
    format!("#{} {} {} -> {}{by}", e.seq, e.method, e.target, e.status)
}

/// The non-matching entries closest to `matcher`, with why each missed: fewest mismatches
/// first, a different path weighing most (as the 404's nearest fixtures), latest first on ties.
fn nearest<'a>(
    entries: &'a [JournalEntry],
    matcher: &RequestMatcher,
) -> Vec<(&'a JournalEntry, Vec<String>)> {
    let mut scored: Vec<(usize, u64, &JournalEntry, Vec<String>)> = entries
        .iter()
        .filter_map(|e| {
            let reasons = matcher.mismatches(e, true);
            if reasons.is_empty() {
                return None;
            }
            let mut score = reasons.len();
            if let Some(want) = &matcher.path {
                let path = e.target.split_once('?').map_or(e.target.as_str(), |p| p.0);
                if !crate::fixtures::path_matches(want, path) {
                    score += 10 + matching::levenshtein(want, path).min(40);
                }
            }
            Some((score, u64::MAX - e.seq, e, reasons))
        })
        .collect();
    scored.sort_by_key(|(score, latest, _, _)| (*score, *latest));
    scored
        .into_iter()
        .take(NEAREST)
        .map(|(_, _, e, reasons)| (e, reasons))
        .collect()
}

/// A matcher from the query string of `GET /__admin/requests/count`: `method`, `path`,
/// `body_contains`, `verdict`, `status`, `source`, `query.NAME` and `header.NAME` (exact value).
pub(crate) fn matcher_from_query(
    pairs: &[(String, String)],
) -> Result<RequestMatcher, MatcherError> {
    let mut object = serde_json::Map::new();
    let mut query = serde_json::Map::new();
    let mut headers = serde_json::Map::new();
    for (name, value) in pairs {
        if let Some(q) = name.strip_prefix("query.") {
            query.insert(q.to_owned(), value.clone().into());
        } else if let Some(h) = name.strip_prefix("header.") {
            headers.insert(h.to_ascii_lowercase(), value.clone().into());
        } else if name == "status" {
            let status: u16 = value
                .parse()
                .map_err(|_| MatcherError(format!("status: {value:?} is not a status code")))?;
            object.insert(name.clone(), status.into());
        } else {
            object.insert(name.clone(), value.clone().into());
        }
    }
    if !query.is_empty() {
        object.insert("query".into(), query.into());
    }
    if !headers.is_empty() {
        object.insert("headers".into(), headers.into());
    }
    RequestMatcher::from_value(object.into())
}

// ---------------------------------------------------------------------------------------------
// The admin routes (`/__admin/requests/...`).

/// `GET /__admin/requests/count?method=POST&path=...`: `{"count": N}`.
pub(crate) async fn count(State(app): State<Arc<App>>, uri: Uri) -> Response {
    let pairs = matching::parse_query(uri.query().unwrap_or(""));
    match matcher_from_query(&pairs) {
        Ok(m) => {
            let count = find(&app.journal.snapshot(), &m).len();
            admin::json(StatusCode::OK, &serde_json::json!({ "count": count }))
        }
        Err(e) => admin::problem(StatusCode::BAD_REQUEST, &e.to_string()),
    }
}

/// `POST /__admin/requests/find` with a JSON matcher: `{"count": N, "requests": [...]}`.
pub(crate) async fn find_route(State(app): State<Arc<App>>, body: Bytes) -> Response {
    let text = String::from_utf8_lossy(&body);
    let text = if text.trim().is_empty() { "{}" } else { &text };
    match RequestMatcher::from_json(text) {
        Ok(m) => {
            let entries = app.journal.snapshot();
            let found = find(&entries, &m);
            admin::json(
                StatusCode::OK,
                &serde_json::json!({ "count": found.len(), "requests": found }),
            )
        }
        Err(e) => admin::problem(StatusCode::BAD_REQUEST, &e.to_string()),
    }
}

/// The body of `POST /__admin/requests/verify`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct VerifyRequest {
    #[serde(default)]
    matcher: serde_json::Value,
    #[serde(default)]
    times: Option<usize>,
}

/// `POST /__admin/requests/verify` `{"matcher": {...}, "times"?: N}`: 200 `{"count": N}`, or
/// 417 `{"error": message, "count": N}`.
pub(crate) async fn verify_route(State(app): State<Arc<App>>, body: Bytes) -> Response {
    let request: VerifyRequest = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => {
            return admin::problem(
                StatusCode::BAD_REQUEST,
                &format!("expected {{\"matcher\": {{...}}, \"times\"?: N}}: {e}"),
            );
        }
    };
    let value = if request.matcher.is_null() {
        serde_json::Value::Object(serde_json::Map::new())
    } else {
        request.matcher
    };
    let m = match RequestMatcher::from_value(value) {
        Ok(m) => m,
        Err(e) => return admin::problem(StatusCode::BAD_REQUEST, &e.to_string()),
    };
    match verify(&app.journal.snapshot(), &m, request.times) {
        Ok(count) => admin::json(StatusCode::OK, &serde_json::json!({ "count": count })),
        Err(e) => admin::json(
            StatusCode::EXPECTATION_FAILED,
            &serde_json::json!({ "error": e.message, "count": e.found }),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::Verdict;

    fn entry(seq: u64, method: &str, target: &str, status: u16) -> JournalEntry {
        JournalEntry {
            seq,
            received_at_ms: 0,
            since_start_ms: 0.0,
            method: method.into(),
            target: target.into(),
            headers: vec![("accept".into(), "text/event-stream".into())],
            body_len: 0,
            body_sha256: String::new(),
            verdict: Verdict::Hmac {
                key_id: "k".into(),
                form: "timestamped".into(),
                body_hash: "unbound".into(),
            },
            hmac_rejection: None,
            rejection: None,
            nonce: None,
            request_id: None,
            fixture: None,
            near_miss: None,
            fault: None,
            status,
            latency_ms: 0.0,
            source: Source::Fixture,
            body: r#"{"brief":"expand"}"#.into(),
        }
    }

    #[test]
    fn every_field_is_checked() {
        let e = entry(1, "POST", "/assist/draft-graph?mode=live", 200);
        let base = RequestMatcher::new()
            .method("post")
            .path("/assist/draft-graph");
        assert!(base.matches(&e));
        assert!(base.clone().query("mode", "live").matches(&e));
        assert!(!base.clone().query("mode", "replay").matches(&e));
        assert!(
            base.clone()
                .header(
                    "Accept",
                    Some(HeaderMatch::Contains {
                        contains: "event".into()
                    })
                )
                .matches(&e)
        );
        assert!(!base.clone().header("accept", None).matches(&e));
        assert!(base.clone().body_contains("expand").matches(&e));
        assert!(!base.clone().body_contains("shrink").matches(&e));
        assert!(base.clone().verdict("hmac").matches(&e));
        assert!(!base.clone().verdict("api_key").matches(&e));
        assert!(!base.clone().status(404).matches(&e));
        assert!(!base.clone().source(Source::Proxy).matches(&e));
        assert!(!RequestMatcher::new().path("/*").matches(&e));
        assert!(RequestMatcher::new().path("/assist/*").matches(&e));
        assert!(RequestMatcher::new().path("/assist/*").matches(&entry(
            2,
            "GET",
            "/assist/x",
            200
        )));
    }

    #[test]
    fn json_form_is_checked() {
        let m = RequestMatcher::from_json(
            r#"{"method":"POST","headers":{"x-debug":null,"accept":{"contains":"sse"}},"source":"proxy"}"#,
        )
        .unwrap();
        assert_eq!(m.source, Some(Source::Proxy));
        assert_eq!(m.headers["x-debug"], None);
        let err = RequestMatcher::from_json(r#"{"metod":"POST"}"#).unwrap_err();
        assert!(err.to_string().contains("metod"), "{err}");
        let err = RequestMatcher::from_json(r#"{"verdict":"hmca"}"#).unwrap_err();
        assert!(err.to_string().contains("hmca"), "{err}");
        let err = RequestMatcher::from_json(r#"{"path":"/x?y=1"}"#).unwrap_err();
        assert!(err.to_string().contains("query"), "{err}");
    }

    #[test]
    fn failure_lists_matches_and_nearest_misses() {
        let entries = [
            entry(1, "POST", "/assist/draft-graph", 200),
            entry(2, "POST", "/assist/draft-grap", 404),
            entry(3, "GET", "/healthz", 200),
        ];
        let m = RequestMatcher::new()
            .method("POST")
            .path("/assist/draft-graph");
        assert_eq!(verify(&entries, &m, Some(1)), Ok(1));
        assert_eq!(verify(&entries, &m, None), Ok(1));
        let err = verify(&entries, &m, Some(2)).unwrap_err();
        assert_eq!(err.found, 1);
        let text = err.message;
        assert!(
            text.starts_with("expected exactly 2 requests matching"),
            "{text}"
        );
        assert!(
            text.contains("#1 POST /assist/draft-graph -> 200"),
            "{text}"
        );
        let near = text
            .find("#2 POST /assist/draft-grap -> 404")
            .expect("nearest listed");
        let far = text.find("#3 GET /healthz").expect("all three listed");
        assert!(near < far, "the closest path comes first: {text}");
        assert!(
            text.contains(r#"path: expected "/assist/draft-graph", got "/assist/draft-grap""#),
            "{text}"
        );
    }

    #[test]
    fn count_matcher_from_query_string() {
        let pairs = matching::parse_query("method=POST&status=200&query.mode=live&header.Accept=x");
        let m = matcher_from_query(&pairs).unwrap();
        assert_eq!(m.status, Some(200));
        assert_eq!(m.query["mode"], "live");
        assert_eq!(m.headers["accept"], Some(HeaderMatch::Exact("x".into())));
        assert!(matcher_from_query(&matching::parse_query("status=abc")).is_err());
        assert!(matcher_from_query(&matching::parse_query("colour=red")).is_err());
    }
}
