//! `olumi-mock`: run the mock Olumi Assistants Service.
//!
//! Prints `listening on http://HOST:PORT` as the first line of stdout once it accepts
//! connections, serves until SIGINT or SIGTERM, then shuts down cleanly. Logs go to stderr.
//! A bad flag or fixture stops it before it listens, with a non-zero exit.
#![forbid(unsafe_code)]

use std::io::Write;
use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Arg, ArgAction, ArgMatches, Command, value_parser};
use olumi_mock::{AuthMode, MockServer, RecordMatch};
use tracing::level_filters::LevelFilter;

fn cli() -> Command {
    Command::new("olumi-mock")
        .version(env!("CARGO_PKG_VERSION"))
        .about("A mock Olumi Assistants Service: canned responses, real signatures, SSE with heartbeats and resume, faults on command")
        .arg(Arg::new("host").long("host").value_name("ADDR").default_value("127.0.0.1")
            .value_parser(value_parser!(IpAddr)).help("Address to bind"))
        .arg(Arg::new("port").long("port").value_name("PORT").default_value("8787")
            .value_parser(value_parser!(u16)).help("Port to bind (0: any free port)"))
        .arg(Arg::new("fixtures").long("fixtures").value_name("DIR").action(ArgAction::Append)
            .value_parser(value_parser!(PathBuf))
            .help("Fixture directory layered over the shipped fixtures (repeatable; later wins)"))
        .arg(Arg::new("no-builtin-fixtures").long("no-builtin-fixtures").action(ArgAction::SetTrue)
            .help("Serve only the fixtures from --fixtures"))
        .arg(Arg::new("hmac-secret").long("hmac-secret").value_name("SECRET").action(ArgAction::Append)
            .env("OLUMI_MOCK_HMAC_SECRET").hide_env_values(true)
            .help("Verify HMAC signatures with this secret (repeatable)"))
        .arg(Arg::new("api-key").long("api-key").value_name("KEY").action(ArgAction::Append)
            .value_delimiter(',').env("OLUMI_MOCK_API_KEYS").hide_env_values(true)
            .help("Accept this API key (repeatable, or comma-separated)"))
        .arg(Arg::new("auth").long("auth").value_name("MODE").default_value("compat")
            .value_parser(["compat", "strict", "lenient"])
            .help("compat: empty body-hash slot, legacy accepted (the service); strict: sha256 body binding, no legacy; lenient: either"))
        .arg(Arg::new("resume-secret").long("resume-secret").value_name("SECRET")
            .env("OLUMI_MOCK_RESUME_SECRET").hide_env_values(true)
            .help("Sign resume tokens with this secret (default: the first HMAC secret)"))
        .arg(Arg::new("no-resume-state").long("no-resume-state").action(ArgAction::SetTrue)
            .help("Behave like the service without Redis: X-Olumi-Degraded: redis, resume answers 426"))
        .arg(Arg::new("redis-url").long("redis-url").value_name("URL")
            .env("OLUMI_MOCK_REDIS_URL").hide_env_values(true)
            .help("Keep stream state, HMAC nonces and quotas in Redis (redis://127.0.0.1:6379/0), shared by a pool of mocks"))
        .arg(Arg::new("redis-prefix").long("redis-prefix").value_name("PREFIX").default_value("olumi-mock:")
            .help("Prefix of every Redis key, so several test suites can share one Redis"))
        .arg(Arg::new("heartbeat-ms").long("heartbeat-ms").value_name("MS").default_value("10000")
            .value_parser(value_parser!(u64).range(1..)).help("SSE heartbeat interval"))
        .arg(Arg::new("max-skew-ms").long("max-skew-ms").value_name("MS").default_value("300000")
            .value_parser(value_parser!(u64)).help("Accepted clock skew of signed requests"))
        .arg(Arg::new("nonce-capacity").long("nonce-capacity").value_name("N").default_value("10000")
            .value_parser(value_parser!(u64).range(1..))
            .help("Nonces remembered for the replay check; past it, requests stamped at or before the oldest dropped nonce get 403 REPLAY_RISK"))
        .arg(Arg::new("seed").long("seed").value_name("N").value_parser(value_parser!(u64))
            .help("Seed generated ids, jitter and chance faults (repeatable runs)"))
        .arg(Arg::new("rpm").long("rpm").value_name("N").default_value("120")
            .value_parser(value_parser!(u32)).help("Requests per minute per key (0: unlimited)"))
        .arg(Arg::new("sse-rpm").long("sse-rpm").value_name("N").default_value("20")
            .value_parser(value_parser!(u32)).help("Stream requests per minute per key (0: unlimited)"))
        .arg(Arg::new("quirks").long("quirks").action(ArgAction::SetTrue)
            .help("Reproduce the service's quirks exactly (no Retry-After on 429, 500 on bad JSON, reset on an in-progress resume)"))
        .arg(Arg::new("body-limit").long("body-limit").value_name("BYTES").default_value("1048576")
            .value_parser(value_parser!(usize)).help("Largest accepted request body"))
        .arg(Arg::new("header-timeout-ms").long("header-timeout-ms").value_name("MS").default_value("10000")
            .value_parser(value_parser!(u64).range(1..))
            .help("Close a connection that has not sent a whole request head (or stays idle) this long"))
        .arg(Arg::new("max-header-bytes").long("max-header-bytes").value_name("BYTES").default_value("16384")
            .value_parser(value_parser!(u64).range(1..))
            .help("Largest request head (request line and headers); larger heads, or over 100 headers, get 431"))
        .arg(Arg::new("max-connections").long("max-connections").value_name("N").default_value("10000")
            .value_parser(value_parser!(u64).range(1..))
            .help("Most connections served at once; more get 503 and are closed"))
        .arg(Arg::new("proxy-to").long("proxy-to").value_name("URL")
            .help("Forward requests that no fixture matches to this upstream (re-signed with its credentials)"))
        .arg(Arg::new("upstream-hmac-secret").long("upstream-hmac-secret").value_name("SECRET")
            .env("OLUMI_MOCK_UPSTREAM_HMAC_SECRET").hide_env_values(true).requires("proxy-to")
            .conflicts_with("upstream-api-key")
            .help("Sign forwarded requests with this HMAC secret"))
        .arg(Arg::new("upstream-api-key").long("upstream-api-key").value_name("KEY")
            .env("OLUMI_MOCK_UPSTREAM_API_KEY").hide_env_values(true).requires("proxy-to")
            .help("Send this API key with forwarded requests"))
        .arg(Arg::new("record").long("record").value_name("DIR").requires("proxy-to")
            .value_parser(value_parser!(PathBuf))
            .help("Write every proxied exchange as a fixture file into DIR (load it back with --fixtures DIR)"))
        .arg(Arg::new("record-match").long("record-match").value_name("ON").default_value("path")
            .value_parser(["path", "body"])
            .help("What recorded fixtures match on: path (method, path, query) or body (also the JSON body)"))
        .arg(Arg::new("log-format").long("log-format").value_name("FORMAT").default_value("human")
            .value_parser(["human", "json"]).help("Log format on stderr"))
        .arg(Arg::new("log-level").long("log-level").value_name("LEVEL").default_value("info")
            .value_parser(["error", "warn", "info", "debug", "trace"])
            .help("Log level (debug logs one line per request)"))
}

fn main() -> ExitCode {
    let matches = match cli().try_get_matches() {
        Ok(m) => m,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    init_logging(&matches);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("olumi-mock: error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(run(&matches))
}

fn init_logging(m: &ArgMatches) {
    let level = match m.get_one::<String>("log-level").map(String::as_str) {
        Some("error") => LevelFilter::ERROR,
        Some("warn") => LevelFilter::WARN,
        Some("debug") => LevelFilter::DEBUG,
        Some("trace") => LevelFilter::TRACE,
        _ => LevelFilter::INFO,
    };
    let fmt = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_max_level(level)
        .with_target(false);
    if m.get_one::<String>("log-format").map(String::as_str) == Some("json") {
        fmt.json().init();
    } else {
        fmt.with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .init();
    }
}

fn builder(m: &ArgMatches) -> olumi_mock::MockServerBuilder {
    let strings = |name: &str| -> Vec<String> {
        m.get_many::<String>(name)
            .map(|v| v.cloned().collect())
            .unwrap_or_default()
    };
    let mut b = MockServer::builder()
        .host(*m.get_one::<IpAddr>("host").expect("has a default"))
        .port(*m.get_one::<u16>("port").expect("has a default"))
        .api_keys(
            strings("api-key")
                .into_iter()
                .filter(|k| !k.trim().is_empty()),
        )
        .auth_mode(
            m.get_one::<String>("auth")
                .and_then(|s| s.parse::<AuthMode>().ok())
                .unwrap_or_default(),
        )
        .heartbeat(Duration::from_millis(
            *m.get_one::<u64>("heartbeat-ms").expect("default"),
        ))
        .max_skew(Duration::from_millis(
            *m.get_one::<u64>("max-skew-ms").expect("default"),
        ))
        .nonce_capacity(usize_flag(m, "nonce-capacity"))
        .rpm(*m.get_one::<u32>("rpm").expect("default"))
        .sse_rpm(*m.get_one::<u32>("sse-rpm").expect("default"))
        .quirks(m.get_flag("quirks"))
        .body_limit(*m.get_one::<usize>("body-limit").expect("default"))
        .header_timeout(Duration::from_millis(
            *m.get_one::<u64>("header-timeout-ms").expect("default"),
        ))
        .max_header_bytes(usize_flag(m, "max-header-bytes"))
        .max_connections(usize_flag(m, "max-connections"))
        .resume_state(!m.get_flag("no-resume-state"))
        .builtin_fixtures(!m.get_flag("no-builtin-fixtures"));
    for secret in strings("hmac-secret") {
        b = b.hmac_secret(secret);
    }
    if let Some(secret) = m.get_one::<String>("resume-secret") {
        b = b.resume_secret(secret.clone());
    }
    if let Some(url) = m.get_one::<String>("redis-url") {
        b = b.redis_url(url.clone());
    }
    if let Some(prefix) = m.get_one::<String>("redis-prefix") {
        b = b.redis_prefix(prefix.clone());
    }
    if let Some(seed) = m.get_one::<u64>("seed") {
        b = b.seed(*seed);
    }
    for dir in m.get_many::<PathBuf>("fixtures").into_iter().flatten() {
        b = b.fixtures_dir(dir.clone());
    }
    proxy_flags(m, b)
}

/// `--proxy-to`, its credentials and `--record`.
fn proxy_flags(
    m: &ArgMatches,
    mut b: olumi_mock::MockServerBuilder,
) -> olumi_mock::MockServerBuilder {
    let Some(url) = m.get_one::<String>("proxy-to") else {
        return b;
    };
    b = b.proxy_to(url.clone());
    if let Some(secret) = m.get_one::<String>("upstream-hmac-secret") {
        b = b.upstream_hmac_secret(secret.clone());
    }
    if let Some(key) = m.get_one::<String>("upstream-api-key") {
        b = b.upstream_api_key(key.clone());
    }
    if let Some(dir) = m.get_one::<PathBuf>("record") {
        b = b.record_dir(dir.clone());
    }
    match m
        .get_one::<String>("record-match")
        .and_then(|s| s.parse::<RecordMatch>().ok())
    {
        Some(on) => b.record_match(on),
        None => b,
    }
}

/// A count flag parsed as `u64` (clap ranges need a fixed-width type), saturated to `usize`.
fn usize_flag(m: &ArgMatches, name: &str) -> usize {
    usize::try_from(*m.get_one::<u64>(name).expect("has a default")).unwrap_or(usize::MAX)
}

async fn run(m: &ArgMatches) -> ExitCode {
    // Listen for signals before announcing the address, so that a SIGTERM sent right after the
    // first line is never fatal.
    let signals = match Signals::new() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("olumi-mock: error: cannot install signal handlers: {e}");
            return ExitCode::FAILURE;
        }
    };
    let server = match builder(m).start().await {
        Ok(server) => server,
        Err(e) => {
            eprintln!("olumi-mock: error: {e}");
            return ExitCode::FAILURE;
        }
    };
    // The first line of stdout: scripts and tests wait for it.
    let mut stdout = std::io::stdout().lock();
    let announced = writeln!(stdout, "listening on {}", server.url()).and_then(|()| stdout.flush());
    drop(stdout);
    if let Err(e) = announced {
        eprintln!("olumi-mock: error: cannot write to stdout: {e}");
        server.shutdown().await;
        return ExitCode::FAILURE;
    }
    signals.wait().await;
    tracing::info!("shutting down");
    server.shutdown().await;
    ExitCode::SUCCESS
}

/// SIGINT and SIGTERM.
struct Signals {
    term: tokio::signal::unix::Signal,
    int: tokio::signal::unix::Signal,
}

impl Signals {
    fn new() -> std::io::Result<Self> {
        use tokio::signal::unix::{SignalKind, signal};
        Ok(Self {
            term: signal(SignalKind::terminate())?,
            int: signal(SignalKind::interrupt())?,
        })
    }

    async fn wait(mut self) {
        tokio::select! {
            _ = self.term.recv() => {}
            _ = self.int.recv() => {}
        }
    }
}
