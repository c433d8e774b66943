//! The real binary: first line, a signed request, clean SIGTERM exit, start-up errors.
//! Every process started here is killed when its guard drops, whatever happens.

mod common;

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::*;
use reqwest::StatusCode;

impl Proc {
    fn spawn(args: &[&str], env: &[(&str, &str)]) -> Self {
        let mut cmd = Command::new(BIN);
        cmd.args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (k, v) in env {
            cmd.env(k, v);
        }
        Self(cmd.spawn().expect("the binary starts"))
    }

    /// The first line of stdout, waiting at most 20 s.
    fn first_line(&mut self) -> String {
        let stdout = self.0.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        rx.recv_timeout(Duration::from_secs(20))
            .expect("a first line within 20 s")
    }

    /// Waits at most `limit` for the process to exit.
    fn wait_exit(&mut self, limit: Duration) -> ExitStatus {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(status) = self.0.try_wait().unwrap() {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "the process did not exit within {limit:?}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn stderr(&mut self) -> String {
        let mut text = String::new();
        if let Some(mut err) = self.0.stderr.take() {
            let _ = err.read_to_string(&mut text);
        }
        text
    }
}

#[tokio::test]
async fn serves_a_signed_request_and_exits_cleanly_on_sigterm() {
    let mut proc = Proc::spawn(
        &[
            "--port",
            "0",
            "--heartbeat-ms",
            "50",
            "--log-format",
            "json",
        ],
        &[("OLUMI_MOCK_HMAC_SECRET", SECRET)],
    );
    let line = proc.first_line();
    let url = line
        .trim_end()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");

    let target = "/assist/draft-graph";
    let resp = signed_post(&url, target).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let unsigned = client()
        .post(format!("{url}{target}"))
        .body(BRIEF)
        .send()
        .await
        .unwrap();
    assert_eq!(
        unsigned.status(),
        StatusCode::UNAUTHORIZED,
        "the secret came from the environment"
    );

    let pid = proc.0.id().to_string();
    let killed = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    assert!(killed.success());
    let status = proc.wait_exit(Duration::from_secs(10));
    assert!(status.success(), "clean exit, got {status:?}");
    let logs = proc.stderr();
    let first_log: serde_json::Value =
        serde_json::from_str(logs.lines().next().unwrap()).expect("JSON logs");
    assert_eq!(first_log["fields"]["message"], "olumi-mock listening");
    assert!(logs.contains("shutting down"));
    assert!(!logs.contains(SECRET), "the secret is never logged");
}

#[test]
fn a_bad_fixture_stops_the_start_naming_file_and_field() {
    let dir = TempDir::new();
    let file = dir.write(
        "bad.json",
        r#"{"match": {"method": "POST", "path": "/x"}, "stream": {"steps": [{"event": "stage", "sleep_ms": 5}]}}"#,
    );
    let mut proc = Proc::spawn(
        &["--port", "0", "--fixtures", dir.path().to_str().unwrap()],
        &[],
    );
    let status = proc.wait_exit(Duration::from_secs(10));
    assert!(!status.success());
    let err = proc.stderr();
    assert!(err.contains(&file.display().to_string()), "{err}");
    assert!(err.contains("`stream.steps[0]`"), "{err}");
    let mut out = String::new();
    proc.0
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    assert!(out.is_empty(), "it never announced an address: {out:?}");
}

#[test]
fn a_busy_port_is_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let mut proc = Proc::spawn(&["--port", &port], &[]);
    let status = proc.wait_exit(Duration::from_secs(10));
    assert!(!status.success());
    let err = proc.stderr();
    assert!(
        err.contains(&format!("cannot listen on 127.0.0.1:{port}")),
        "{err}"
    );
    assert!(err.contains("already in use"), "{err}");
}

#[test]
fn a_bad_flag_is_a_usage_error() {
    let mut proc = Proc::spawn(&["--auth", "sloppy"], &[]);
    let status = proc.wait_exit(Duration::from_secs(10));
    assert_eq!(status.code(), Some(2));
    assert!(proc.stderr().contains("sloppy"));
}

#[tokio::test]
async fn the_http_limit_flags_reach_the_server() {
    let mut proc = Proc::spawn(
        &[
            "--port",
            "0",
            "--max-header-bytes",
            "1024",
            "--header-timeout-ms",
            "5000",
            "--max-connections",
            "50",
            "--nonce-capacity",
            "10",
        ],
        &[],
    );
    let line = proc.first_line();
    let url = line
        .trim_end()
        .strip_prefix("listening on ")
        .unwrap()
        .to_owned();
    let ok = client().get(format!("{url}/healthz")).send().await.unwrap();
    assert_eq!(ok.status(), StatusCode::OK);
    let big = client()
        .get(format!("{url}/healthz"))
        .header("x-pad", "a".repeat(2000))
        .send()
        .await
        .unwrap();
    assert_eq!(big.status(), StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE);
}

#[test]
fn a_zero_limit_is_a_usage_error() {
    for flag in [
        "--max-connections",
        "--max-header-bytes",
        "--header-timeout-ms",
        "--nonce-capacity",
    ] {
        let mut proc = Proc::spawn(&[flag, "0"], &[]);
        let status = proc.wait_exit(Duration::from_secs(10));
        assert_eq!(status.code(), Some(2), "{flag}");
        assert!(proc.stderr().contains(flag), "{flag}");
    }
}

/// The URL a started binary announces.
fn announced(proc: &mut Proc) -> String {
    proc.first_line()
        .trim_end()
        .strip_prefix("listening on ")
        .expect("the first line announces the URL")
        .to_owned()
}

#[tokio::test]
async fn records_through_a_second_binary_and_replays_with_fixtures() {
    let dir = TempDir::new();
    let record = dir.path().join("recorded");
    let record = record.to_str().unwrap();
    let mut upstream = Proc::spawn(&["--port", "0", "--hmac-secret", "upstream-secret"], &[]);
    let upstream_url = announced(&mut upstream);
    let mut proxy = Proc::spawn(
        &[
            "--port",
            "0",
            "--no-builtin-fixtures",
            "--proxy-to",
            &upstream_url,
            "--record",
            record,
        ],
        &[("OLUMI_MOCK_UPSTREAM_HMAC_SECRET", "upstream-secret")],
    );
    let proxy_url = announced(&mut proxy);
    let live = client()
        .get(format!("{proxy_url}/v1/status"))
        .send()
        .await
        .unwrap();
    assert_eq!(live.status(), StatusCode::OK);
    let live = live.bytes().await.unwrap();
    drop(proxy);
    drop(upstream);

    let mut replay = Proc::spawn(
        &["--port", "0", "--no-builtin-fixtures", "--fixtures", record],
        &[],
    );
    let replay_url = announced(&mut replay);
    let replayed = client()
        .get(format!("{replay_url}/v1/status"))
        .send()
        .await
        .unwrap();
    assert_eq!(replayed.status(), StatusCode::OK);
    assert_eq!(replayed.bytes().await.unwrap(), live, "the same bytes");
}

#[test]
fn proxy_flags_without_proxy_to_are_a_usage_error() {
    for args in [
        &["--record", "/tmp/x"][..],
        &["--upstream-api-key", "k"][..],
        &[
            "--proxy-to",
            "http://127.0.0.1:1",
            "--record-match",
            "headers",
        ][..],
    ] {
        let mut proc = Proc::spawn(args, &[]);
        let status = proc.wait_exit(Duration::from_secs(10));
        assert_eq!(status.code(), Some(2), "{args:?}");
    }
}

#[tokio::test]
async fn trace_logs_never_show_a_secret_an_api_key_or_a_signature() {
    let secret = "cli-hmac-secret-3f5a7c9e";
    let key = "cli-api-key-4b6d8f0a";
    let mut proc = Proc::spawn(
        &["--port", "0", "--log-level", "trace"],
        &[
            ("OLUMI_MOCK_HMAC_SECRET", secret),
            ("OLUMI_MOCK_API_KEYS", key),
        ],
    );
    let url = proc
        .first_line()
        .trim_end()
        .trim_start_matches("listening on ")
        .to_owned();
    let target = "/assist/draft-graph";
    let headers = sign_at(
        secret,
        olumi::signing::BodyHashMode::Unbound,
        "POST",
        target,
        b"",
        now_ms(),
        &olumi::signing::generate_nonce(),
    );
    let signature = headers["x-olumi-signature"].to_str().unwrap().to_owned();
    let post = |headers: reqwest::header::HeaderMap| {
        client()
            .post(format!("{url}{target}"))
            .headers(headers)
            .header("content-type", "application/json")
            .body(BRIEF)
            .send()
    };
    assert_eq!(
        post(headers.clone()).await.unwrap().status(),
        StatusCode::OK
    );
    // The same signature again: a replay, refused (and logged) with the signature in the request.
    assert!(post(headers).await.unwrap().status().is_client_error());
    let mut keyed = reqwest::header::HeaderMap::new();
    keyed.insert("x-olumi-assist-key", key.parse().unwrap());
    assert_eq!(post(keyed).await.unwrap().status(), StatusCode::OK);
    let mut wrong = reqwest::header::HeaderMap::new();
    wrong.insert(
        "authorization",
        format!("Bearer {key}-wrong").parse().unwrap(),
    );
    assert_eq!(post(wrong).await.unwrap().status(), StatusCode::FORBIDDEN);

    let pid = proc.0.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    assert!(proc.wait_exit(Duration::from_secs(10)).success());
    let logs = proc.stderr();
    assert!(
        logs.contains(target),
        "one line per request at trace level:\n{logs}"
    );
    for shown in [secret, key, signature.as_str()] {
        assert!(
            !logs.contains(shown),
            "the trace logs show {shown}:\n{logs}"
        );
    }
}
