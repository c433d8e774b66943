//! `--record DIR`: every proxied exchange becomes a fixture file in DIR, in the fixture format
//! `--fixtures DIR` loads, so the recorded directory replays the same answers.
//!
//! - JSON and other whole bodies become `response` (status, the headers that matter, the body
//!   byte for byte: JSON is kept as the upstream wrote it, so its hash is the same).
//! - Event streams become `stream.steps`: each event, `sleep_ms` for the gaps observed between
//!   events, heartbeats dropped, the resume event turned into `{"resume_token": "secret"}` (the
//!   mock issues its own tokens on replay), and `{"drop": true}` where the upstream broke off.
//! - Recording the same request again in one session gives a scenario (`NAME-1.json` in state
//!   `started` moving to `2`, `NAME-2.json` in state `2`, ...), not an overwrite.
//! - Nothing secret reaches a file: request headers are not recorded at all, secret response
//!   headers are dropped, resume tokens become steps, and the request id (and correlation id)
//!   become the `${request_id}` (`${correlation_id}`) placeholders; other `*request-id` headers
//!   are dropped.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

use axum::http::header::{CONTENT_TYPE, SET_COOKIE};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode};
use olumi::sse::{SseDecoder, SseItem};
use serde::Serialize;
use serde_json::value::RawValue;

use crate::headers;
use crate::journal::is_secret_header;
use crate::matching;
use crate::proxy::RecordMatch;

/// Gaps between events shorter than this are not recorded (they are the upstream's own
/// buffering, not a pause).
const MIN_SLEEP_MS: u128 = 5;
/// Ids shorter than this are not replaced by placeholders (a short string would be replaced
/// inside unrelated text).
const MIN_ID_LEN: usize = 8;

/// Writes recorded exchanges into one directory.
#[derive(Debug)]
pub(crate) struct Recorder {
    dir: PathBuf,
    on: RecordMatch,
    upstream: String,
    /// Per request key: its file-name stem and the fixtures recorded for it this session.
    recorded: Mutex<HashMap<String, Recorded>>,
}

#[derive(Debug)]
struct Recorded {
    stem: String,
    fixtures: Vec<FixtureFile>,
}

/// What the recorder keeps of a forwarded request.
#[derive(Debug, Clone)]
pub(crate) struct RecordedRequest {
    method: String,
    path: String,
    query: Vec<(String, String)>,
    /// The JSON body, when it is JSON.
    body: Option<Box<RawValue>>,
    /// The request id the upstream was sent.
    request_id: String,
}

impl RecordedRequest {
    pub(crate) fn new(
        method: &Method,
        target: &str,
        body: &[u8],
        request_id: &HeaderValue,
    ) -> Self {
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        Self {
            method: method.as_str().to_owned(),
            path: path.to_owned(),
            query: matching::parse_query(query),
            body: std::str::from_utf8(body)
                .ok()
                .filter(|b| !b.trim().is_empty())
                .and_then(|b| RawValue::from_string(b.to_owned()).ok()),
            request_id: String::from_utf8_lossy(request_id.as_bytes()).into_owned(),
        }
    }
}

// The file format (the subset of `fixtures.rs`'s that a recording writes).

#[derive(Debug, Serialize)]
struct FixtureFile {
    name: String,
    description: String,
    #[serde(rename = "match")]
    matcher: MatchOut,
    #[serde(skip_serializing_if = "Option::is_none")]
    scenario: Option<ScenarioOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    response: Option<ResponseOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stream: Option<StreamOut>,
}

#[derive(Debug, Clone, Serialize)]
struct MatchOut {
    method: String,
    path: String,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    query: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<Box<RawValue>>,
}

#[derive(Debug, Serialize)]
struct ScenarioOut {
    name: String,
    state: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    next: Option<String>,
}

#[derive(Debug, Serialize)]
struct ResponseOut {
    status: u16,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    headers: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    json: Option<Box<RawValue>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    content_type: Option<String>,
}

#[derive(Debug, Serialize)]
struct StreamOut {
    status: u16,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    headers: BTreeMap<String, String>,
    steps: Vec<StepOut>,
}

#[derive(Debug, Serialize)]
#[serde(untagged)]
enum StepOut {
    Event { event: String, data: Box<RawValue> },
    Resume { resume_token: &'static str },
    Sleep { sleep_ms: u64 },
    Drop { drop: bool },
}

/// The ids replaced by placeholders in recorded text.
#[derive(Debug, Clone, Default)]
struct Ids {
    request_id: String,
    correlation_id: String,
}

impl Ids {
    fn new(request: &RecordedRequest, headers: &[(HeaderName, HeaderValue)]) -> Self {
        let correlation_id = headers
            .iter()
            .find(|(n, _)| *n == headers::CORRELATION_ID)
            .map(|(_, v)| String::from_utf8_lossy(v.as_bytes()).into_owned())
            .unwrap_or_default();
        Self {
            request_id: request.request_id.clone(),
            correlation_id,
        }
    }

    /// `text` with the ids replaced by `${request_id}` and `${correlation_id}`.
    fn template(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for (id, placeholder) in [
            (&self.request_id, "${request_id}"),
            (&self.correlation_id, "${correlation_id}"),
        ] {
            if id.len() >= MIN_ID_LEN && out.contains(id.as_str()) {
                out = out.replace(id.as_str(), placeholder);
            }
        }
        out
    }
}

/// The response headers worth replaying: not per-message framing, not what the mock adds on its
/// own (content type, response hash, service, request id, degraded), never a secret.
fn recorded_headers(headers: &[(HeaderName, HeaderValue)], ids: &Ids) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (name, value) in headers {
        let n = name.as_str();
        let skip = is_secret_header(name)
            || *name == SET_COOKIE
            || *name == CONTENT_TYPE
            || *name == axum::http::header::DATE
            || *name == axum::http::header::CACHE_CONTROL
            || *name == headers::RESPONSE_HASH
            || *name == headers::SERVICE
            || *name == headers::DEGRADED
            || *name == headers::REQUEST_ID;
        if skip {
            continue;
        }
        let Ok(text) = value.to_str() else { continue };
        let templated = ids.template(text);
        // Another request id (one the upstream made up) would reach the file as is.
        if n.contains("request-id") && !templated.contains("${request_id}") {
            continue;
        }
        out.insert(n.to_owned(), templated);
    }
    out
}

/// JSON text as a raw value (kept byte for byte), or the text as a JSON string.
fn raw_json(text: String) -> Box<RawValue> {
    RawValue::from_string(text.clone()).unwrap_or_else(|_| {
        RawValue::from_string(serde_json::to_string(&text).unwrap_or_else(|_| "\"\"".into()))
            .expect("a JSON string is JSON")
    })
}

/// A stream being recorded, fed the upstream's chunks as they arrive.
#[derive(Debug)]
pub(crate) struct StreamRecording {
    request: RecordedRequest,
    status: StatusCode,
    headers: Vec<(HeaderName, HeaderValue)>,
    ids: Ids,
    decoder: SseDecoder,
    /// When the last event (or the head) arrived.
    last: Instant,
    steps: Vec<StepOut>,
}

impl StreamRecording {
    pub(crate) fn new(
        request: RecordedRequest,
        status: StatusCode,
        headers: &[(HeaderName, HeaderValue)],
        now: Instant,
    ) -> Self {
        let ids = Ids::new(&request, headers);
        Self {
            request,
            status,
            headers: headers.to_vec(),
            ids,
            decoder: SseDecoder::new(),
            last: now,
            steps: Vec::new(),
        }
    }

    /// One chunk of the upstream's stream, arrived at `now`.
    pub(crate) fn feed(&mut self, chunk: &[u8], now: Instant) {
        let mut events = Vec::new();
        self.decoder.feed_with(chunk, |item| {
            // Heartbeats (comments), retry fields and oversized events are not replayed.
            if let SseItem::Event(e) = item {
                events.push((e.event.to_owned(), e.data.to_owned()));
            }
        });
        for (event, data) in events {
            let gap = now.duration_since(self.last).as_millis();
            if gap >= MIN_SLEEP_MS {
                self.steps.push(StepOut::Sleep {
                    sleep_ms: u64::try_from(gap).unwrap_or(u64::MAX),
                });
            }
            self.last = now;
            if event == "resume" {
                self.steps.push(StepOut::Resume {
                    resume_token: "secret",
                });
            } else {
                let data = raw_json(self.ids.template(&data));
                self.steps.push(StepOut::Event { event, data });
            }
        }
    }

    /// The upstream broke the stream off here.
    pub(crate) fn dropped(&mut self) {
        self.steps.push(StepOut::Drop { drop: true });
    }
}

impl Recorder {
    /// A recorder writing into `dir` (created when missing).
    pub(crate) fn new(dir: PathBuf, on: RecordMatch, upstream: String) -> Result<Self, String> {
        std::fs::create_dir_all(&dir).map_err(|e| {
            format!(
                "--record {}: cannot create the directory: {e}",
                dir.display()
            )
        })?;
        Ok(Self {
            dir,
            on,
            upstream,
            recorded: Mutex::new(HashMap::new()),
        })
    }

    fn matcher(&self, request: &RecordedRequest) -> MatchOut {
        MatchOut {
            method: request.method.clone(),
            path: request.path.clone(),
            query: request.query.iter().cloned().collect(),
            body: match self.on {
                RecordMatch::Body => request.body.clone(),
                RecordMatch::Path => None,
            },
        }
    }

    /// A whole answer (JSON, text or bytes).
    pub(crate) fn record_answer(
        &self,
        request: &RecordedRequest,
        status: StatusCode,
        headers: &[(HeaderName, HeaderValue)],
        body: &[u8],
    ) {
        let ids = Ids::new(request, headers);
        let content_type = headers
            .iter()
            .find(|(n, _)| *n == CONTENT_TYPE)
            .and_then(|(_, v)| v.to_str().ok())
            .unwrap_or("");
        let mut response = ResponseOut {
            status: status.as_u16(),
            headers: recorded_headers(headers, &ids),
            json: None,
            text: None,
            file: None,
            content_type: None,
        };
        let text = std::str::from_utf8(body).ok();
        let is_json = content_type.contains("json") || content_type.is_empty();
        match text {
            _ if body.is_empty() => {}
            Some(text) if is_json && RawValue::from_string(text.to_owned()).is_ok() => {
                response.json = Some(raw_json(ids.template(text)));
            }
            Some(text) => {
                response.text = Some(ids.template(text));
                response.content_type = Some(content_type.to_owned());
            }
            None => {
                response.content_type = Some(content_type.to_owned());
                // The file is named after the fixture; filled in by `write`.
                response.file = Some(String::new());
            }
        }
        let binary = (response.file.is_some()).then(|| body.to_vec());
        self.write(request, |f| f.response = Some(response), binary);
    }

    /// A finished (or broken-off) stream.
    pub(crate) fn record_stream(&self, rec: StreamRecording) {
        let stream = StreamOut {
            status: rec.status.as_u16(),
            headers: recorded_headers(&rec.headers, &rec.ids),
            steps: rec.steps,
        };
        self.write(&rec.request, |f| f.stream = Some(stream), None);
    }

    /// Adds one fixture for `request`, turning repeats into a scenario, and writes the files.
    fn write(
        &self,
        request: &RecordedRequest,
        fill: impl FnOnce(&mut FixtureFile),
        binary: Option<Vec<u8>>,
    ) {
        let matcher = self.matcher(request);
        let key = serde_json::to_string(&matcher).unwrap_or_default();
        let mut recorded = self.recorded.lock().unwrap_or_else(|p| p.into_inner());
        if !recorded.contains_key(&key) {
            let mut stem = stem(&matcher, &key);
            // `/a-b` and `/a/b` make the same stem: the second request gets a hash of its key.
            if recorded.values().any(|r| r.stem == stem) {
                stem = format!("{stem}-{}", key_hash(&key));
            }
            remove_earlier_session(&self.dir, &stem);
            recorded.insert(
                key.clone(),
                Recorded {
                    stem,
                    fixtures: Vec::new(),
                },
            );
        }
        let entry = recorded.get_mut(&key).expect("inserted above");
        let n = entry.fixtures.len() + 1;
        let name = format!("{}-{n}", entry.stem);
        let mut fixture = FixtureFile {
            description: format!(
                "recorded from {} {} {}",
                self.upstream, request.method, request.path
            ),
            name: name.clone(),
            matcher,
            scenario: None,
            response: None,
            stream: None,
        };
        fill(&mut fixture);
        if let (Some(bytes), Some(response)) = (binary, fixture.response.as_mut()) {
            let file = format!("files/{name}.bin");
            let path = self.dir.join(&file);
            if let Err(e) = std::fs::create_dir_all(self.dir.join("files"))
                .and_then(|()| std::fs::write(&path, bytes))
            {
                tracing::warn!(file = %path.display(), error = %e, "cannot write a recorded body");
            }
            response.file = Some(file);
        }
        entry.fixtures.push(fixture);
        let count = entry.fixtures.len();
        if count > 1 {
            // The same request again: the recordings answer in turn.
            for (i, f) in entry.fixtures.iter_mut().enumerate() {
                f.scenario = Some(ScenarioOut {
                    name: entry.stem.clone(),
                    state: if i == 0 {
                        "started".to_owned()
                    } else {
                        (i + 1).to_string()
                    },
                    next: (i + 1 < count).then(|| (i + 2).to_string()),
                });
            }
            // Only the last two changed.
            for f in &entry.fixtures[count - 2..] {
                write_fixture(&self.dir, f);
            }
        } else {
            write_fixture(&self.dir, &entry.fixtures[0]);
        }
    }
}

/// The file-name stem of a request: its method and path, plus a short hash of the whole key
/// when a query or body takes part.
fn stem(matcher: &MatchOut, key: &str) -> String {
    let mut stem = matcher.method.to_ascii_lowercase();
    for segment in matcher.path.split('/').filter(|s| !s.is_empty()) {
        stem.push('-');
        stem.extend(
            segment
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '-' {
                        c.to_ascii_lowercase()
                    } else {
                        '_'
                    }
                })
                .take(40),
        );
    }
    if !matcher.query.is_empty() || matcher.body.is_some() {
        stem.push('-');
        stem.push_str(&key_hash(key));
    }
    stem
}

/// Eight hex digits of the SHA-256 of a request key.
fn key_hash(key: &str) -> String {
    olumi::response_hash::raw_body_hash(key.as_bytes())[..8].to_owned()
}

/// Files an earlier session recorded for this stem: the new recording replaces them (a stale
/// `-2` left behind would join the new scenario).
fn remove_earlier_session(dir: &Path, stem: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let ours = name
            .strip_prefix(stem)
            .and_then(|rest| rest.strip_prefix('-'))
            .and_then(|rest| rest.strip_suffix(".json"))
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        if ours {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Writes one fixture file (through a temporary file, so a reader never sees half of it).
fn write_fixture(dir: &Path, fixture: &FixtureFile) {
    let path = dir.join(format!("{}.json", fixture.name));
    let tmp = dir.join(format!(".{}.json.tmp", fixture.name));
    let written = serde_json::to_string_pretty(fixture)
        .map_err(std::io::Error::other)
        .and_then(|mut text| {
            text.push('\n');
            std::fs::write(&tmp, text)
        })
        .and_then(|()| std::fs::rename(&tmp, &path));
    match written {
        Ok(()) => tracing::info!(file = %path.display(), "recorded"),
        Err(e) => {
            tracing::warn!(file = %path.display(), error = %e, "cannot write a recorded fixture")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(target: &str, body: &str) -> RecordedRequest {
        RecordedRequest::new(
            &Method::POST,
            target,
            body.as_bytes(),
            &HeaderValue::from_static("req-12345678"),
        )
    }

    #[test]
    fn ids_become_placeholders_and_secret_headers_are_dropped() {
        let req = request("/x", "");
        let headers = vec![
            (
                HeaderName::from_static("x-correlation-id"),
                HeaderValue::from_static("corr-abcdefgh"),
            ),
            (
                HeaderName::from_static("x-cee-request-id"),
                HeaderValue::from_static("req-12345678"),
            ),
            (
                HeaderName::from_static("x-other-request-id"),
                HeaderValue::from_static("upstream-made-9"),
            ),
            (
                HeaderName::from_static("x-olumi-assist-key"),
                HeaderValue::from_static("sk-live"),
            ),
            (
                HeaderName::from_static("x-resume-token"),
                HeaderValue::from_static("tok"),
            ),
            (
                HeaderName::from_static("x-request-id"),
                HeaderValue::from_static("req-12345678"),
            ),
            (
                HeaderName::from_static("x-cee-version"),
                HeaderValue::from_static("3"),
            ),
        ];
        let ids = Ids::new(&req, &headers);
        let kept = recorded_headers(&headers, &ids);
        assert_eq!(
            kept.into_iter().collect::<Vec<_>>(),
            vec![
                ("x-cee-request-id".to_owned(), "${request_id}".to_owned()),
                ("x-cee-version".to_owned(), "3".to_owned()),
                (
                    "x-correlation-id".to_owned(),
                    "${correlation_id}".to_owned()
                ),
            ]
        );
        assert_eq!(
            ids.template(r#"{"r":"req-12345678","c":"corr-abcdefgh"}"#),
            r#"{"r":"${request_id}","c":"${correlation_id}"}"#
        );
    }

    #[test]
    fn streams_become_steps() {
        let start = Instant::now();
        let mut rec = StreamRecording::new(request("/s", ""), StatusCode::OK, &[], start);
        rec.feed(b"event: stage\ndata: {\"stage\":\"DRAFTING\"}\n\nevent: resume\ndata: {\"token\":\"abc\"}\n\n", start);
        rec.feed(
            b": heartbeat\n\n",
            start + std::time::Duration::from_millis(50),
        );
        rec.feed(
            b"event: note\ndata: plain text\n\n",
            start + std::time::Duration::from_millis(120),
        );
        rec.dropped();
        let text = serde_json::to_string(&rec.steps).unwrap();
        assert_eq!(
            text,
            r#"[{"event":"stage","data":{"stage":"DRAFTING"}},{"resume_token":"secret"},{"sleep_ms":120},{"event":"note","data":"plain text"},{"drop":true}]"#
        );
    }

    #[test]
    fn requests_whose_stems_collide_get_their_own_files() {
        let dir = std::env::temp_dir().join(format!("olumi-record-unit-{}", std::process::id()));
        let recorder = Recorder::new(dir.clone(), RecordMatch::Path, "http://up".into()).unwrap();
        for target in ["/a-b", "/a/b", "/a-b"] {
            let req = RecordedRequest::new(
                &Method::GET,
                target,
                b"",
                &HeaderValue::from_static("req-12345678"),
            );
            recorder.record_answer(&req, StatusCode::OK, &[], b"{}");
        }
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(names.len(), 3, "{names:?}");
        // The repeat of `/a-b` is its scenario's second answer; `/a/b` has a file of its own.
        assert!(names.contains(&"get-a-b-1.json".to_owned()), "{names:?}");
        assert!(names.contains(&"get-a-b-2.json".to_owned()), "{names:?}");
        assert!(
            names
                .iter()
                .any(|n| n.starts_with("get-a-b-") && n.len() == "get-a-b-12345678-1.json".len()),
            "{names:?}"
        );
    }

    #[test]
    fn stems_name_method_path_and_a_hash_of_the_rest() {
        let plain = MatchOut {
            method: "POST".into(),
            path: "/assist/draft-graph".into(),
            query: BTreeMap::new(),
            body: None,
        };
        assert_eq!(stem(&plain, "k"), "post-assist-draft-graph");
        let mut with_query = plain.clone();
        with_query.query.insert("schema".into(), "v1".into());
        let s = stem(&with_query, "k2");
        assert!(
            s.starts_with("post-assist-draft-graph-") && s.len() == 24 + 8,
            "{s}"
        );
    }
}
