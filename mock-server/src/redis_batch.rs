//! Signed requests' nonce steps, many in one Redis call (group commit).
//!
//! Every signed request needs one atomic step in Redis: record its nonce and, for a fresh one,
//! take its caller's token. One script call per request made redis-server spend most of its
//! time entering and leaving Lua (a script that only does the `SET` runs at 56 % of a plain
//! `SET`'s rate), and on a small machine that CPU is taken from the mock. So the steps that
//! arrive while a call is in flight wait for it and then go together, in arrival order, in the
//! next call: a request alone still goes at once, and each step is as atomic as before (the
//! whole call is).

use redis::aio::ConnectionManager;
use redis::{ErrorKind, RedisError, RedisResult, Script};
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

use crate::redis_scripts::NONCE_STEPS;

/// Most steps in one call (a bound on the script's time, during which Redis serves nobody else).
const MAX_STEPS: usize = 128;

/// What Redis did with a step.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum StepOutcome {
    /// The nonce was there already: a replay; no token was taken.
    Replay,
    /// The nonce was fresh and is recorded (the step asked for no token).
    Fresh,
    /// The nonce was fresh, and the token was taken (`taken`) or refused; `tokens` left (read
    /// only when refused: 0 when taken).
    FreshWithToken { taken: bool, tokens: f64 },
}

/// One request's step: its nonce's key and TTL, and the bucket to take a token from, if any.
#[derive(Debug)]
pub(crate) struct Step {
    pub(crate) nonce_key: String,
    pub(crate) nonce_ttl_ms: u64,
    /// The bucket's key and capacity (more than 0).
    pub(crate) bucket: Option<(String, u32)>,
}

struct Queued {
    step: Step,
    reply: oneshot::Sender<RedisResult<StepOutcome>>,
}

/// The queue of steps and the task that sends them to Redis.
pub(crate) struct NonceBatcher {
    queue: mpsc::UnboundedSender<Queued>,
    task: JoinHandle<()>,
}

impl std::fmt::Debug for NonceBatcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NonceBatcher").finish_non_exhaustive()
    }
}

impl Drop for NonceBatcher {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl NonceBatcher {
    /// Starts the task (on the current tokio runtime). `bucket_ttl_secs`: how long a bucket is
    /// kept after its last use.
    pub(crate) fn start(conn: ConnectionManager, bucket_ttl_secs: u64) -> Self {
        let (queue, steps) = mpsc::unbounded_channel();
        let task = tokio::spawn(send_batches(steps, conn, bucket_ttl_secs));
        Self { queue, task }
    }

    /// Runs `step` in Redis (with the steps queued beside it) and answers what Redis did.
    pub(crate) async fn run(&self, step: Step) -> RedisResult<StepOutcome> {
        let (reply, answer) = oneshot::channel();
        self.queue
            .send(Queued { step, reply })
            .map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }
}

fn stopped() -> RedisError {
    (ErrorKind::Io, "the Redis nonce queue has stopped").into()
}

/// Sends what is queued as one call and waits for its answer before the next (the steps that
/// arrive meanwhile make the next call), until the batcher is dropped. One call at a time
/// makes the calls larger under load, which is what saves Redis' time: two at a time halved
/// them and cost more than the overlap gained.
async fn send_batches(
    mut queue: mpsc::UnboundedReceiver<Queued>,
    mut conn: ConnectionManager,
    bucket_ttl_secs: u64,
) {
    let script = Script::new(NONCE_STEPS);
    let mut batch = Vec::with_capacity(MAX_STEPS);
    while queue.recv_many(&mut batch, MAX_STEPS).await > 0 {
        let answers = call(&script, &batch, bucket_ttl_secs, &mut conn).await;
        reply_all(batch.drain(..), answers);
    }
}

/// One call of the script with the steps of `batch`, in order.
async fn call(
    script: &Script,
    batch: &[Queued],
    bucket_ttl_secs: u64,
    conn: &mut ConnectionManager,
) -> RedisResult<String> {
    let mut call = script.prepare_invoke();
    call.arg(bucket_ttl_secs);
    for Queued { step, .. } in batch {
        let (bucket_key, capacity) = match &step.bucket {
            Some((key, capacity)) => (key.as_str(), *capacity),
            // A key the script does not touch (capacity 0 says so).
            None => (step.nonce_key.as_str(), 0),
        };
        call.key(&step.nonce_key)
            .key(bucket_key)
            .arg(step.nonce_ttl_ms.max(1))
            .arg(capacity);
    }
    call.invoke_async(conn).await
}

/// Hands each step of `batch` its outcome (see `NONCE_STEPS` for the answer's form), or the
/// call's error.
fn reply_all(batch: impl ExactSizeIterator<Item = Queued>, answer: RedisResult<String>) {
    let outcomes = answer.and_then(|answer| {
        let outcomes = answer.split(',').map(outcome).collect::<Option<Vec<_>>>();
        match outcomes {
            Some(outcomes) if outcomes.len() == batch.len() => Ok(outcomes),
            _ => Err(RedisError::from((
                ErrorKind::Parse,
                "unexpected answer to the nonce steps",
                format!("{} steps, answer {answer:?}", batch.len()),
            ))),
        }
    });
    match outcomes {
        Ok(outcomes) => {
            for (queued, outcome) in batch.zip(outcomes) {
                let _ = queued.reply.send(Ok(outcome));
            }
        }
        Err(e) => {
            // One error for every step of the call (a `RedisError` is not `Clone`).
            for queued in batch {
                let copy = (e.kind(), "Redis call failed", e.to_string()).into();
                let _ = queued.reply.send(Err(copy));
            }
        }
    }
}

/// One step's outcome in the script's answer; `None` if it is none of the forms.
fn outcome(text: &str) -> Option<StepOutcome> {
    match text.split_at_checked(1)? {
        ("r", "") => Some(StepOutcome::Replay),
        ("f", "") => Some(StepOutcome::Fresh),
        ("t", "") => Some(StepOutcome::FreshWithToken {
            taken: true,
            tokens: 0.0,
        }),
        ("n", tokens) => Some(StepOutcome::FreshWithToken {
            taken: false,
            tokens: tokens.parse().ok()?,
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::StepOutcome::{Fresh, FreshWithToken, Replay};
    use super::outcome;

    #[test]
    fn the_answer_forms_parse_and_nothing_else_does() {
        assert_eq!(outcome("r"), Some(Replay));
        assert_eq!(outcome("f"), Some(Fresh));
        assert_eq!(
            outcome("t"),
            Some(FreshWithToken {
                taken: true,
                tokens: 0.0
            })
        );
        assert_eq!(
            outcome("n0.25"),
            Some(FreshWithToken {
                taken: false,
                tokens: 0.25
            })
        );
        for bad in ["", "x", "rr", "n", "nabc", "t1"] {
            assert_eq!(outcome(bad), None, "{bad:?}");
        }
    }
}
