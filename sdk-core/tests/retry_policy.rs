//! The retry policy as a driver uses it: a scripted sequence of outcomes on a fake clock, and
//! property tests of the bounds every decision keeps.

use std::time::Duration;

use olumi::retry::{
    Decision, FastrandJitter, FixedJitter, GiveUpReason, Jitter, Now, Outcome, ResponseInfo,
    RetryBudget, RetryPolicy, RetryReason, server_retry_after,
};
use proptest::prelude::*;

const SEC: Duration = Duration::from_secs(1);
/// 2015-10-21T07:28:00Z.
const START_UNIX_MS: u64 = 1_445_412_480_000;

/// What one attempt produced, owned so a script can be written as a list.
#[derive(Clone, Debug)]
enum Step {
    Ok,
    Connect,
    Timeout,
    Integrity,
    Status(u16, Vec<(&'static str, String)>, Option<&'static str>),
}

fn status(code: u16) -> Step {
    Step::Status(code, Vec::new(), None)
}

#[derive(Debug, PartialEq, Eq)]
struct Run {
    attempts: u32,
    waited: Duration,
    elapsed: Duration,
    retried_for: Vec<RetryReason>,
    /// `None` when the last attempt succeeded.
    gave_up: Option<GiveUpReason>,
}

/// A driver loop on a fake clock: each attempt takes `attempt_time`, each retry waits the delay
/// the policy asks for. Nothing sleeps; the clock is a number.
fn drive(
    policy: &RetryPolicy,
    budget: Option<&RetryBudget>,
    jitter: &mut dyn Jitter,
    attempt_time: Duration,
    script: &[Step],
) -> Run {
    if let Some(budget) = budget {
        budget.on_request();
    }
    let mut elapsed = Duration::ZERO;
    let mut waited = Duration::ZERO;
    let mut retried_for = Vec::new();
    let mut integrity_failures = 0;
    for (retries, step) in (0u32..).zip(script) {
        elapsed += attempt_time;
        let headers: Vec<(&str, &str)> = match step {
            Step::Status(_, headers, _) => headers.iter().map(|(n, v)| (*n, v.as_str())).collect(),
            _ => Vec::new(),
        };
        let outcome = match step {
            Step::Ok => {
                return Run {
                    attempts: retries + 1,
                    waited,
                    elapsed,
                    retried_for,
                    gave_up: None,
                };
            }
            Step::Connect => Outcome::ConnectError,
            Step::Timeout => Outcome::Timeout,
            Step::Integrity => Outcome::Integrity {
                previous_failures: integrity_failures,
            },
            Step::Status(code, _, body) => {
                let mut resp = ResponseInfo::new(*code).with_headers(&headers);
                resp.body = body.map(str::as_bytes);
                Outcome::Response(resp)
            }
        };
        if matches!(step, Step::Integrity) {
            integrity_failures += 1;
        }
        let wall = START_UNIX_MS + u64::try_from(elapsed.as_millis()).unwrap();
        match policy.decide(retries, &outcome, Now::new(elapsed, wall), jitter, budget) {
            Decision::Retry { delay, reason } => {
                waited += delay;
                elapsed += delay;
                retried_for.push(reason);
            }
            Decision::GiveUp { reason } => {
                return Run {
                    attempts: retries + 1,
                    waited,
                    elapsed,
                    retried_for,
                    gave_up: Some(reason),
                };
            }
        }
    }
    panic!("script ran out after {} steps", script.len());
}

#[test]
fn rate_limited_then_server_error_then_success() {
    // The per-key quota (429 with the wait in the body only), then a bare 503, then success.
    let policy = RetryPolicy::default();
    let script = [
        Step::Status(
            429,
            Vec::new(),
            Some(
                r#"{"schema":"error.v1","code":"RATE_LIMITED","message":"Rate limit exceeded.","details":{"retry_after_seconds":2}}"#,
            ),
        ),
        status(503),
        Step::Ok,
    ];
    let run = drive(&policy, None, &mut FixedJitter(1.0), SEC / 10, &script);
    assert_eq!(
        run,
        Run {
            attempts: 3,
            // 2 s from the body, then the second backoff ceiling (1 s) at full jitter.
            waited: 3 * SEC,
            elapsed: 3 * SEC + 3 * (SEC / 10),
            retried_for: vec![
                RetryReason::RateLimited { status: 429 },
                RetryReason::HttpStatus { status: 503 }
            ],
            gave_up: None,
        }
    );
}

#[test]
fn per_ip_limiter_500_waits_for_retry_after() {
    let policy = RetryPolicy::default();
    let limiter = Step::Status(
        500,
        vec![
            ("x-ratelimit-limit", "120".into()),
            ("x-ratelimit-remaining", "0".into()),
            ("x-ratelimit-reset", "17".into()),
            ("retry-after", "17".into()),
        ],
        Some(
            r#"{"schema":"error.v1","code":"INTERNAL","message":"An unexpected error occurred","request_id":"x"}"#,
        ),
    );
    let run = drive(
        &policy,
        None,
        &mut FixedJitter(0.0),
        Duration::ZERO,
        &[limiter, Step::Ok],
    );
    assert_eq!(run.attempts, 2);
    assert_eq!(run.waited, 17 * SEC);
    assert_eq!(run.retried_for, [RetryReason::RateLimited { status: 500 }]);
}

#[test]
fn http_date_retry_after_follows_the_fake_wall_clock() {
    // The first attempt takes 4 s, so a date 10 s after the start is 6 s away when it is read.
    let policy = RetryPolicy::default();
    let dated = Step::Status(
        503,
        vec![("Retry-After", "Wed, 21 Oct 2015 07:28:10 GMT".into())],
        None,
    );
    let run = drive(
        &policy,
        None,
        &mut FixedJitter(1.0),
        4 * SEC,
        &[dated, Step::Ok],
    );
    assert_eq!(run.waited, 6 * SEC);
    assert_eq!(run.elapsed, 14 * SEC);
}

#[test]
fn connect_errors_until_retries_run_out() {
    let policy = RetryPolicy {
        max_retries: 4,
        ..RetryPolicy::default()
    };
    let script = vec![Step::Connect; 5];
    let run = drive(
        &policy,
        None,
        &mut FixedJitter(1.0),
        Duration::ZERO,
        &script,
    );
    assert_eq!(run.attempts, 5);
    // 0.5 + 1 + 2 + 4 s: the ceilings, since the jitter is at its top.
    assert_eq!(run.waited, Duration::from_millis(7500));
    assert_eq!(
        run.gave_up,
        Some(GiveUpReason::RetriesExhausted { attempts: 5 })
    );
    // With real jitter the total is random but never above the ceilings' sum.
    let run = drive(
        &policy,
        None,
        &mut FastrandJitter::with_seed(42),
        Duration::ZERO,
        &script,
    );
    assert!(run.waited <= Duration::from_millis(7500));
    assert_eq!(run.attempts, 5);
}

#[test]
fn deadline_cuts_a_slow_call_short() {
    let policy = RetryPolicy {
        max_retries: 10,
        total_deadline: Some(10 * SEC),
        ..RetryPolicy::default()
    };
    // Each attempt times out after 3 s. Attempt 1 ends at 3 s (+0.5), attempt 2 at 6.5 s (+1),
    // attempt 3 at 10.5 s: already past the deadline.
    let script = vec![Step::Timeout; 11];
    let run = drive(&policy, None, &mut FixedJitter(1.0), 3 * SEC, &script);
    assert_eq!(run.attempts, 3);
    assert_eq!(run.waited, Duration::from_millis(1500));
    assert_eq!(run.gave_up, Some(GiveUpReason::DeadlineExceeded));
}

#[test]
fn too_long_a_wait_is_reported_not_slept() {
    let policy = RetryPolicy::default();
    let script = [Step::Status(
        429,
        vec![("retry-after", "3600".into())],
        None,
    )];
    let run = drive(
        &policy,
        None,
        &mut FixedJitter(1.0),
        Duration::ZERO,
        &script,
    );
    assert_eq!(run.attempts, 1);
    assert_eq!(run.waited, Duration::ZERO);
    assert_eq!(
        run.gave_up,
        Some(GiveUpReason::RetryAfterTooLong {
            requested: 3600 * SEC,
            cap: 60 * SEC
        })
    );
}

#[test]
fn final_statuses_and_integrity() {
    let policy = RetryPolicy::default();
    let mut j = FixedJitter(1.0);
    for code in [400, 401, 403, 404, 426, 501] {
        let run = drive(&policy, None, &mut j, Duration::ZERO, &[status(code)]);
        assert_eq!(
            run.gave_up,
            Some(GiveUpReason::NotRetryable { status: Some(code) })
        );
        assert_eq!(run.attempts, 1);
    }
    let twice = [Step::Integrity, Step::Integrity, Step::Ok];
    let run = drive(&policy, None, &mut j, Duration::ZERO, &twice);
    assert_eq!(
        run.gave_up,
        Some(GiveUpReason::IntegrityExhausted { retries: 1 })
    );
    assert_eq!(run.attempts, 2);
    let once = [Step::Integrity, Step::Ok];
    assert_eq!(
        drive(&policy, None, &mut j, Duration::ZERO, &once).gave_up,
        None
    );
}

#[test]
fn shared_budget_caps_retries_across_calls() {
    // An outage: 1000 calls, each failing with 503 on every attempt, 2 retries allowed each.
    // The default budget (10 tokens, 0.1 per call, starting full) allows 10 + 999 * 0.1 = 109.9
    // tokens in all: 109 retries instead of 2000.
    let policy = RetryPolicy::default();
    let budget = RetryBudget::default();
    let script = vec![status(503); 3];
    let mut retries = 0;
    let mut refused = 0;
    for _ in 0..1000 {
        let run = drive(
            &policy,
            Some(&budget),
            &mut FastrandJitter::with_seed(1),
            Duration::ZERO,
            &script,
        );
        retries += run.retried_for.len();
        refused += usize::from(run.gave_up == Some(GiveUpReason::BudgetExhausted));
    }
    assert_eq!(retries, 109);
    assert!(refused > 900, "{refused}");
    // Successful calls refill it.
    for _ in 0..10 {
        budget.on_request();
    }
    assert!(budget.tokens() >= 1.0);
}

/// A response header set mixing readable, garbage and extreme values.
fn header_strategy() -> impl Strategy<Value = Vec<(&'static str, String)>> {
    let name = prop::sample::select(vec![
        "retry-after-ms",
        "retry-after",
        "Retry-After",
        "x-ratelimit-reset",
        "x-ratelimit-remaining",
    ]);
    let value = prop_oneof![
        (0u64..150).prop_map(|n| n.to_string()),
        (0.0f64..150_000.0).prop_map(|x| x.to_string()),
        (-1000i64..0).prop_map(|n| n.to_string()),
        // Dates from two minutes before to five minutes after the fake start.
        (0u64..420).prop_map(|s| http_date(START_UNIX_MS / 1000 + s - 120)),
        prop::sample::select(vec![
            "",
            "soon",
            "NaN",
            "inf",
            "1e400",
            "99999999999999999999999"
        ])
        .prop_map(String::from),
    ];
    prop::collection::vec((name, value), 0..4)
}

/// IMF-fixdate of a Unix time, so the property covers dates without a fixed list.
fn http_date(unix: u64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let days = unix / 86_400;
    let secs = unix % 86_400;
    // Civil date from days since 1970 (Hinnant); the years here are all after 1970.
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    format!(
        "{}, {day:02} {} {year} {:02}:{:02}:{:02} GMT",
        DAYS[usize::try_from(days % 7).unwrap()],
        MONTHS[usize::try_from(month - 1).unwrap()],
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

#[derive(Clone, Debug)]
enum OutcomeSpec {
    Connect,
    Timeout,
    Integrity(u32),
    Response(u16, Vec<(&'static str, String)>, Option<String>),
}

fn outcome_strategy() -> impl Strategy<Value = OutcomeSpec> {
    let body = prop::option::of(prop_oneof![
        (-10.0f64..150.0).prop_map(|s| format!(
            r#"{{"schema":"error.v1","details":{{"retry_after_seconds":{s}}}}}"#
        )),
        Just("garbage".to_owned()),
    ]);
    let code = prop_oneof![
        3 => prop::sample::select(vec![400u16, 408, 426, 429, 500, 501, 502, 503, 504]),
        1 => 100u16..600,
    ];
    prop_oneof![
        1 => Just(OutcomeSpec::Connect),
        1 => Just(OutcomeSpec::Timeout),
        1 => (0u32..3).prop_map(OutcomeSpec::Integrity),
        5 => (code, header_strategy(), body).prop_map(|(c, h, b)| OutcomeSpec::Response(c, h, b)),
    ]
}

fn policy_strategy() -> impl Strategy<Value = RetryPolicy> {
    (
        0u32..10,
        0u32..3,
        0u64..3000,
        0u64..20_000,
        0u64..120_000,
        prop::option::of(0u64..600_000),
    )
        .prop_map(
            |(retries, integrity, base, max, cap, deadline)| RetryPolicy {
                max_retries: retries,
                max_integrity_retries: integrity,
                base_delay: Duration::from_millis(base),
                max_delay: Duration::from_millis(max),
                max_retry_after: Duration::from_millis(cap),
                total_deadline: deadline.map(Duration::from_millis),
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn delays_stay_within_their_bounds(
        policy in policy_strategy(),
        attempt in prop_oneof![4 => 0u32..4, 2 => 4u32..8, 1 => Just(u32::MAX)],
        spec in outcome_strategy(),
        jitter in prop_oneof![0.0f64..1.0, Just(f64::NAN), Just(-1.0), Just(2.0)],
        elapsed_ms in 0u64..200_000,
        with_budget in any::<bool>(),
    ) {
        let headers: Vec<(&str, &str)> = match &spec {
            OutcomeSpec::Response(_, h, _) => h.iter().map(|(n, v)| (*n, v.as_str())).collect(),
            _ => Vec::new(),
        };
        let outcome = match &spec {
            OutcomeSpec::Connect => Outcome::ConnectError,
            OutcomeSpec::Timeout => Outcome::Timeout,
            OutcomeSpec::Integrity(n) => Outcome::Integrity { previous_failures: *n },
            OutcomeSpec::Response(code, _, body) => {
                let mut resp = ResponseInfo::new(*code).with_headers(&headers);
                resp.body = body.as_deref().map(str::as_bytes);
                Outcome::Response(resp)
            }
        };
        let elapsed = Duration::from_millis(elapsed_ms);
        let now = Now::new(elapsed, START_UNIX_MS + elapsed_ms);
        let budget = RetryBudget::default();
        let decision = policy.decide(
            attempt,
            &outcome,
            now,
            &mut FixedJitter(jitter),
            with_budget.then_some(&budget),
        );

        let server_wait = match &outcome {
            Outcome::Response(resp) => server_retry_after(resp, now.unix_ms),
            _ => None,
        };
        match decision {
            Decision::Retry { delay, reason } => {
                let capped_wait = server_wait.map_or(Duration::ZERO, |w| w.min(policy.max_retry_after));
                prop_assert!(delay <= policy.max_delay.max(capped_wait));
                if let Some(deadline) = policy.total_deadline {
                    prop_assert!(delay < deadline.saturating_sub(elapsed));
                }
                prop_assert!(attempt < policy.max_retries);
                prop_assert_eq!(Some(reason), outcome.retry_reason());
                if let Some(wait) = server_wait {
                    prop_assert_eq!(delay, wait);
                }
                if with_budget {
                    prop_assert!((budget.tokens() - 9.0).abs() < 1e-9);
                }
            }
            Decision::GiveUp { reason } => {
                if attempt >= policy.max_retries && outcome.retry_reason().is_some() {
                    prop_assert_eq!(
                        reason,
                        GiveUpReason::RetriesExhausted { attempts: attempt.saturating_add(1) }
                    );
                }
                // Giving up never spends the budget.
                prop_assert!((budget.tokens() - 10.0).abs() < 1e-9);
            }
        }
    }

    #[test]
    fn server_wait_matches_a_lone_retry_after_header(secs in 0u64..1_000_000) {
        let value = secs.to_string();
        let headers = [("retry-after", value.as_str())];
        let resp = ResponseInfo::new(503).with_headers(&headers);
        prop_assert_eq!(server_retry_after(&resp, START_UNIX_MS), Some(Duration::from_secs(secs)));
        let date = http_date(START_UNIX_MS / 1000 + secs);
        let headers = [("retry-after", date.as_str())];
        let resp = ResponseInfo::new(503).with_headers(&headers);
        prop_assert_eq!(server_retry_after(&resp, START_UNIX_MS), Some(Duration::from_secs(secs)));
    }
}
