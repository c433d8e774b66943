//! Matching requests against fixtures, and explaining the near misses when none matches.
//! Also the scenario states that fixtures can require and advance.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use axum::http::HeaderMap;
use serde_json::Value;

use crate::fixtures::{Fixture, FixtureSet, HeaderRule};
use crate::journal;

impl FixtureSet {
    /// The fixture answering `req`, or the nearest misses.
    pub(crate) fn find(&self, req: &RequestView<'_>) -> Result<Arc<Fixture>, Vec<NearMiss>> {
        let best = self.route(req.method, req.path).and_then(|route| {
            route
                .fixtures
                .iter()
                .find(|f| mismatches(f, req, false).is_empty())
        });
        match best {
            Some(f) => Ok(Arc::clone(f)),
            None => Err(self.near_misses(req)),
        }
    }

    fn near_misses(&self, req: &RequestView<'_>) -> Vec<NearMiss> {
        let mut scored: Vec<(usize, usize, NearMiss)> = self
            .iter()
            .map(|f| {
                let reasons = mismatches(f, req, true);
                let mut score = reasons.len();
                if !crate::fixtures::path_matches(&f.path, req.path) {
                    score += 10 + levenshtein(&f.path, req.path).min(40);
                }
                if f.method != req.method {
                    score += 5;
                }
                let miss = NearMiss {
                    fixture: f.name.to_string(),
                    source: f.source.clone(),
                    method: f.method.clone(),
                    path: f.path.clone(),
                    mismatches: reasons,
                };
                (score, f.order, miss)
            })
            .collect();
        scored.sort_by_key(|(score, order, _)| (*score, *order));
        scored.into_iter().take(3).map(|(_, _, m)| m).collect()
    }
}

/// One fixture that did not match, and why.
#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct NearMiss {
    fixture: String,
    source: String,
    method: String,
    path: String,
    mismatches: Vec<String>,
}

impl NearMiss {
    /// One line for the journal: the fixture and why it did not match.
    pub(crate) fn summary(&self) -> String {
        format!(
            "{} ({} {}): {}",
            self.fixture,
            self.method,
            self.path,
            self.mismatches.join("; ")
        )
    }
}

/// What matching looks at.
#[derive(Debug)]
pub(crate) struct RequestView<'a> {
    pub(crate) method: &'a str,
    pub(crate) path: &'a str,
    pub(crate) query: &'a [(String, String)],
    pub(crate) headers: &'a HeaderMap,
    pub(crate) body: Option<&'a Value>,
    pub(crate) scenarios: &'a Scenarios,
}

/// Why `f` does not match `req` (empty: it matches). With `explain` false it stops at the first
/// reason and builds no text beyond it.
fn mismatches(f: &Fixture, req: &RequestView<'_>, explain: bool) -> Vec<String> {
    let mut out = Vec::new();
    macro_rules! miss {
        ($($arg:tt)*) => {{
            out.push(format!($($arg)*));
            if !explain {
                return out;
            }
        }};
    }
    if f.method != req.method {
        miss!("method: expected {}, got {}", f.method, req.method);
    }
    if !crate::fixtures::path_matches(&f.path, req.path) {
        miss!("path: expected {:?}, got {:?}", f.path, req.path);
    }
    for (name, want) in &f.query {
        match req.query.iter().find(|(n, _)| n == name) {
            None => miss!("query: parameter {name:?} missing (expected {want:?})"),
            Some((_, got)) if got != want => {
                miss!("query: parameter {name:?} is {got:?}, expected {want:?}")
            }
            Some(_) => {}
        }
    }
    for (name, rule) in &f.headers {
        let got = req
            .headers
            .get(name)
            .map(|v| String::from_utf8_lossy(v.as_bytes()));
        // The 404 body goes to whoever asked: values of secret headers (the journal's redacted
        // list), the request's and the fixture's, are not shown.
        let secret = journal::is_secret_header(name);
        let show = |value: &str| {
            if secret {
                "<redacted>".to_owned()
            } else {
                format!("{value:?}")
            }
        };
        match (rule, got) {
            (None, Some(got)) => miss!("header {name}: expected absent, got {}", show(&got)),
            (Some(HeaderRule::Exact(want)), None)
            | (Some(HeaderRule::Contains { needle: want }), None) => {
                miss!("header {name}: missing (expected {})", show(want))
            }
            (Some(HeaderRule::Exact(want)), Some(got)) if *got != **want => {
                miss!("header {name}: expected {}, got {}", show(want), show(&got))
            }
            (Some(HeaderRule::Contains { needle }), Some(got))
                if !got.contains(needle.as_str()) =>
            {
                miss!(
                    "header {name}: expected to contain {}, got {}",
                    show(needle),
                    show(&got)
                )
            }
            _ => {}
        }
    }
    if let Some(want) = &f.body {
        match req.body {
            None => miss!("body: expected JSON matching {want}, got no JSON body"),
            Some(got) => {
                if let Err(why) = json_subset(want, got, "body") {
                    miss!("{why}");
                }
            }
        }
    }
    if let Some(rule) = &f.scenario
        && let Some(want) = &rule.state
    {
        let got = req.scenarios.state(&rule.name);
        if got != *want {
            miss!(
                "scenario {:?}: is in state {got:?}, fixture needs {want:?}",
                rule.name
            );
        }
    }
    out
}

/// `want` is contained in `got`: objects by key (extra keys allowed), arrays element by element
/// (same length), numbers by value, everything else equal.
fn json_subset(want: &Value, got: &Value, at: &str) -> Result<(), String> {
    match (want, got) {
        (Value::Object(w), Value::Object(g)) => {
            for (k, wv) in w {
                let here = format!("{at}.{k}");
                match g.get(k) {
                    None => return Err(format!("{here}: missing (expected {wv})")),
                    Some(gv) => json_subset(wv, gv, &here)?,
                }
            }
            Ok(())
        }
        (Value::Array(w), Value::Array(g)) if w.len() == g.len() => {
            for (i, (wv, gv)) in w.iter().zip(g).enumerate() {
                json_subset(wv, gv, &format!("{at}[{i}]"))?;
            }
            Ok(())
        }
        (Value::Number(w), Value::Number(g)) if w.as_f64() == g.as_f64() => Ok(()),
        _ if want == got => Ok(()),
        _ => Err(format!("{at}: expected {want}, got {got}")),
    }
}

pub(crate) fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Named scenario states (each starts in `started`).
#[derive(Debug, Default)]
pub(crate) struct Scenarios {
    states: Mutex<HashMap<String, String>>,
}

impl Scenarios {
    pub(crate) const START: &'static str = "started";

    pub(crate) fn state(&self, name: &str) -> String {
        self.lock()
            .get(name)
            .cloned()
            .unwrap_or_else(|| Self::START.to_owned())
    }

    pub(crate) fn set(&self, name: &str, state: &str) {
        self.lock().insert(name.to_owned(), state.to_owned());
    }

    pub(crate) fn all(&self) -> BTreeMap<String, String> {
        self.lock()
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    pub(crate) fn clear(&self) {
        self.lock().clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, String>> {
        self.states.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Percent-decoded `name=value` pairs of a query string (`+` is a space).
pub(crate) fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b'%' => match bytes.get(i + 1..i + 3) {
                Some(&[h, l]) if h.is_ascii_hexdigit() && l.is_ascii_hexdigit() => {
                    out.push(hex_value(h) << 4 | hex_value(l));
                    i += 3;
                }
                _ => {
                    out.push(b'%');
                    i += 1;
                }
            },
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex_value(digit: u8) -> u8 {
    match digit {
        b'0'..=b'9' => digit - b'0',
        b'a'..=b'f' => digit - b'a' + 10,
        _ => digit - b'A' + 10,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subset_matching() {
        let want = serde_json::json!({"a": {"b": 1}});
        assert!(
            json_subset(
                &want,
                &serde_json::json!({"a": {"b": 1.0, "c": 2}, "d": 3}),
                "body"
            )
            .is_ok()
        );
        let err = json_subset(&want, &serde_json::json!({"a": {"b": 2}}), "body").unwrap_err();
        assert!(err.starts_with("body.a.b"), "{err}");
    }

    #[test]
    fn query_decoding() {
        assert_eq!(
            parse_query("mode=live&x=a%20b+c&flag&bad=%zz"),
            vec![
                ("mode".into(), "live".into()),
                ("x".into(), "a b c".into()),
                ("flag".into(), String::new()),
                ("bad".into(), "%zz".into())
            ]
        );
    }
}
