//! The dashboard in a real browser: Debian's headless Chromium driven through chromedriver
//! (W3C WebDriver over HTTP, no browser downloaded), against a real `olumi-mock` process.
//!
//! Built only with `--features browser-test` (`scripts/test-dashboard.sh` runs it). The page is
//! opened first; then a good request, a badly signed one and a stream are made, and the test
//! reads the rendered page: live rows, the refusal's explanation with the expected canonical
//! string, the stream's row, no secret anywhere in the text. Screenshots go to
//! `target/artifacts/dashboard.png` and `dashboard-narrow.png` (or `$OLUMI_ARTIFACTS_DIR`).
//!
//! `CHROMEDRIVER` and `CHROME_BIN` override `/usr/bin/chromedriver` and `/usr/bin/chromium`.
//! Every process started here is killed when its guard drops.

mod common;

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use base64::Engine as _;
use common::*;
use olumi::signing::{BodyHashMode, canonical_string, generate_nonce};
use reqwest::header::HeaderValue;
use serde_json::{Value, json};

/// Starts the mock binary on a free loopback port; returns it and its base URL.
fn start_mock() -> (Proc, String) {
    let mut child = Command::new(BIN)
        .args([
            "--port",
            "0",
            "--hmac-secret",
            SECRET,
            "--heartbeat-ms",
            "100",
            "--rpm",
            "0",
            "--sse-rpm",
            "0",
            "--log-level",
            "warn",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("the olumi-mock binary starts");
    let stdout = child.stdout.take().unwrap();
    let proc = Proc(child);
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    let line = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("the mock announces its address");
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned();
    (proc, url)
}

/// A free loopback port (chromedriver takes a port, not a listener).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A WebDriver session on a chromedriver this test started.
struct Browser {
    http: reqwest::Client,
    base: String,
    session: String,
    _driver: Proc,
}

impl Browser {
    async fn start() -> Self {
        let driver_path =
            std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        let chrome = std::env::var("CHROME_BIN").unwrap_or_else(|_| "/usr/bin/chromium".into());
        let port = free_port();
        let driver = Proc(
            Command::new(&driver_path)
                .arg(format!("--port={port}"))
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap_or_else(|e| panic!("cannot start {driver_path}: {e}")),
        );
        let http = client();
        let base = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let ready = http.get(format!("{base}/status")).send().await;
            if ready.is_ok_and(|r| r.status().is_success()) {
                break;
            }
            assert!(Instant::now() < deadline, "chromedriver did not come up");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let mut browser = Self {
            http,
            base,
            session: String::new(),
            _driver: driver,
        };
        let created = browser
            .call(
                "POST",
                "/session",
                &json!({"capabilities": {"alwaysMatch": {
                    "browserName": "chrome",
                    "goog:chromeOptions": {
                        "binary": chrome,
                        "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                                 "--disable-dev-shm-usage", "--window-size=1600,900"],
                    },
                }}}),
            )
            .await;
        browser.session = created["sessionId"]
            .as_str()
            .expect("a session id")
            .to_owned();
        browser
    }

    /// One WebDriver command; its `value`.
    async fn call(&self, method: &str, path: &str, body: &Value) -> Value {
        let url = if path == "/session" {
            format!("{}{path}", self.base)
        } else {
            format!("{}/session/{}{path}", self.base, self.session)
        };
        let request = match method {
            "GET" => self.http.get(url),
            "DELETE" => self.http.delete(url),
            _ => self
                .http
                .post(url)
                .header("content-type", "application/json")
                .body(body.to_string()),
        };
        let resp = request.send().await.expect("chromedriver answers");
        let status = resp.status();
        let value: Value = serde_json::from_slice(&resp.bytes().await.unwrap()).unwrap();
        assert!(status.is_success(), "{method} {path}: {status} {value}");
        value["value"].clone()
    }

    async fn script(&self, source: &str) -> Value {
        self.call(
            "POST",
            "/execute/sync",
            &json!({"script": source, "args": []}),
        )
        .await
    }

    /// Evaluates `source` (a JS expression) until it is truthy; its last value.
    async fn until(&self, what: &str, source: &str) -> Value {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let value = self.script(&format!("return ({source});")).await;
            if !(value.is_null() || value == false || value == 0 || value == "") {
                return value;
            }
            let text = self.text().await;
            assert!(
                Instant::now() < deadline,
                "{what}: not seen on the page:\n{text}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn text(&self) -> String {
        self.script("return document.body.innerText;")
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    async fn find(&self, css: &str) -> String {
        let found = self
            .call(
                "POST",
                "/element",
                &json!({"using": "css selector", "value": css}),
            )
            .await;
        found
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .expect("an element reference")
            .to_owned()
    }

    async fn press(&self, key: &str) {
        self.call(
            "POST",
            "/actions",
            &json!({"actions": [{"type": "key", "id": "keyboard", "actions": [
                {"type": "keyDown", "value": key}, {"type": "keyUp", "value": key}]}]}),
        )
        .await;
    }

    async fn screenshot(&self, name: &str) -> PathBuf {
        let png = self.call("GET", "/screenshot", &Value::Null).await;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(png.as_str().expect("base64 PNG"))
            .expect("valid base64");
        assert!(bytes.starts_with(b"\x89PNG"), "a PNG");
        let dir = std::env::var_os("OLUMI_ARTIFACTS_DIR").map_or_else(
            || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/artifacts"),
            PathBuf::from,
        );
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        println!("screenshot: {}", path.display());
        path
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Ends the browser; the driver's guard then ends chromedriver.
        let url = format!("{}/session/{}", self.base, self.session);
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async { client().delete(url).send().await })
        })
        .join();
    }
}

/// Back to the top left of the page and of its tables, for the screenshots.
const SCROLL_HOME: &str = "window.scrollTo(0, 0); for (const s of document.querySelectorAll('.scroll')) s.scrollLeft = 0;";
const ARROW_DOWN: &str = "\u{E015}";
const ENTER: &str = "\u{E007}";

#[tokio::test(flavor = "multi_thread")]
async fn the_dashboard_shows_live_requests_a_refusal_explained_and_a_stream() {
    let (_mock, url) = start_mock();
    let browser = Browser::start().await;
    browser
        .call("POST", "/url", &json!({"url": format!("{url}/__admin/ui")}))
        .await;
    browser
        .until(
            "the live feed connected",
            "document.getElementById('live').textContent === 'live'",
        )
        .await;
    assert_eq!(
        browser
            .script("return document.querySelectorAll('#requests tbody tr').length;")
            .await,
        0,
        "nothing was requested before the page opened"
    );

    // A good request, a badly signed one, and a stream, all after the page opened.
    let good = signed(BodyHashMode::Unbound, "GET", "/v1/limits", b"");
    let good_signature = good["x-olumi-signature"].to_str().unwrap().to_owned();
    let resp = client()
        .get(format!("{url}/v1/limits"))
        .headers(good)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);

    let (ts, nonce) = (now_ms(), generate_nonce());
    let target = "/assist/draft-graph?lang=en";
    let mut bad = sign_at(
        SECRET,
        BodyHashMode::Unbound,
        "POST",
        "/assist/draft-graph",
        b"",
        ts,
        &nonce,
    );
    let bad_signature = bad["x-olumi-signature"].to_str().unwrap().to_owned();
    bad.insert(
        "x-request-id",
        HeaderValue::from_static("dashboard-bad-signature"),
    );
    let resp = client()
        .post(format!("{url}{target}"))
        .headers(bad)
        .header("content-type", "application/json")
        .body(BRIEF)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);

    let stream = signed_post(&url, "/assist/draft-graph/stream")
        .send()
        .await
        .unwrap();
    let (body, clean) = read_body(stream).await;
    assert!(clean);
    let events_sent = events(&body).len();
    let dropped = signed_post(&url, "/assist/draft-graph/stream")
        .header("x-mock-fault", "drop-after-events=2")
        .send()
        .await
        .unwrap();
    let (_, clean) = read_body(dropped).await;
    assert!(!clean, "the fault cut the stream");

    // The rows arrived live, newest first.
    browser
        .until(
            "four live rows",
            "document.querySelectorAll('#requests tbody tr').length === 4",
        )
        .await;
    let targets = browser
        .script(
            "return [...document.querySelectorAll('#requests tbody td.target:not(.wide)')].map(td => td.textContent);",
        )
        .await;
    assert_eq!(
        targets,
        json!([
            "/assist/draft-graph/stream",
            "/assist/draft-graph/stream",
            target,
            "/v1/limits"
        ])
    );

    // The refusal, chosen by keyboard: focus the newest row, arrow down twice, Enter.
    let first_row = browser.find("#requests tbody tr").await;
    browser
        .call("POST", &format!("/element/{first_row}/click"), &json!({}))
        .await;
    browser.press(ARROW_DOWN).await;
    browser.press(ARROW_DOWN).await;
    browser.press(ENTER).await;
    browser
        .until(
            "the refusal's explanation",
            "document.querySelector('#detail .rejection[data-check=signature_mismatch]')",
        )
        .await;
    let shown = browser
        .script("return document.querySelector('#detail pre.canonical').textContent;")
        .await;
    let expected = canonical_string("POST", target, Some((&ts.to_string(), &nonce)), "");
    assert_eq!(shown, json!(expected));
    let text = browser.text().await;
    assert!(text.contains("body-hash slot\n(empty)"), "{text}");
    assert!(text.contains("signature_mismatch"), "{text}");
    assert!(text.contains("dashboard-bad-signature"), "{text}");

    // The streams' rows, newest first, with their outcomes.
    browser
        .until(
            "both streams ended",
            "document.querySelectorAll('#streams tbody tr').length === 2 && \
             ![...document.querySelectorAll('#streams tbody tr')].some(r => r.textContent.includes('in flight'))",
        )
        .await;
    let rows = browser
        .script("return [...document.querySelectorAll('#streams tbody tr')].map(r => [...r.cells].map(c => c.textContent));")
        .await;
    let (cut, done) = (&rows[0], &rows[1]);
    assert_eq!(done[2], "POST /assist/draft-graph/stream", "{done}");
    assert_eq!(done[4], "completed", "{done}");
    assert_eq!(done[5], events_sent.to_string(), "{done}");
    assert_eq!(done[7], "issued", "{done}");
    assert_eq!(cut[4], "dropped", "{cut}");
    assert_eq!(cut[5], "2", "{cut}");
    assert_eq!(cut[9], "drop-after-events=2", "{cut}");

    // Filters: refused only leaves the bad request.
    let refused = browser.find("#f-refused").await;
    browser
        .call("POST", &format!("/element/{refused}/click"), &json!({}))
        .await;
    browser
        .until(
            "the refused-only filter",
            "document.querySelectorAll('#requests tbody tr').length === 1",
        )
        .await;

    // No secret, key or signature anywhere on the page.
    let text = browser.text().await;
    let html = browser
        .script("return document.documentElement.outerHTML;")
        .await;
    for secret in [SECRET, &good_signature, &bad_signature] {
        assert!(!text.contains(secret), "{secret} shown");
        assert!(!html.to_string().contains(secret), "{secret} in the DOM");
    }
    browser
        .call("POST", &format!("/element/{refused}/click"), &json!({}))
        .await;
    browser.script(SCROLL_HOME).await;
    browser.screenshot("dashboard.png").await;

    // A narrow window: one column, the wide columns hidden.
    browser
        .call(
            "POST",
            "/window/rect",
            &json!({"width": 480, "height": 1000}),
        )
        .await;
    browser
        .until(
            "the narrow layout",
            "getComputedStyle(document.querySelector('#requests th.wide')).display === 'none'",
        )
        .await;
    browser.script(SCROLL_HOME).await;
    browser.screenshot("dashboard-narrow.png").await;
}
