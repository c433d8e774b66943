//! Identifiers and chance: one seeded generator, so that `--seed` makes generated ids, jitter and
//! probabilistic faults repeat run after run (given the same sequence of requests).

use std::sync::Mutex;

/// A seeded pseudo-random source. Not cryptographic: it makes ids for a mock.
#[derive(Debug)]
pub(crate) struct IdGen {
    seed: Option<u64>,
    rng: Mutex<fastrand::Rng>,
}

impl IdGen {
    pub(crate) fn new(seed: Option<u64>) -> Self {
        let rng = seed.map_or_else(fastrand::Rng::new, fastrand::Rng::with_seed);
        Self {
            seed,
            rng: Mutex::new(rng),
        }
    }

    /// Starts the sequence again (with the same seed, the same ids follow).
    pub(crate) fn reset(&self) {
        if let Some(seed) = self.seed {
            *self.lock() = fastrand::Rng::with_seed(seed);
        }
    }

    /// A UUID v4 string, lowercase.
    pub(crate) fn uuid(&self) -> String {
        let mut b = [0u8; 16];
        self.lock().fill(&mut b);
        b[6] = (b[6] & 0x0f) | 0x40;
        b[8] = (b[8] & 0x3f) | 0x80;
        let mut out = String::with_capacity(36);
        for (i, byte) in b.iter().enumerate() {
            if matches!(i, 4 | 6 | 8 | 10) {
                out.push('-');
            }
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0x0f)]));
        }
        out
    }

    /// True with probability `p` (clamped to 0..=1).
    pub(crate) fn chance(&self, p: f64) -> bool {
        self.lock().f64() < p.clamp(0.0, 1.0)
    }

    /// A number in `0..=max`.
    pub(crate) fn up_to(&self, max: u64) -> u64 {
        self.lock().u64(0..=max)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, fastrand::Rng> {
        self.rng.lock().unwrap_or_else(|p| p.into_inner())
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Whether an incoming `X-Request-Id` (already trimmed) is echoed: `^[A-Za-z0-9._-]{1,64}$`.
pub(crate) fn is_valid_request_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_v4_shape_and_seeded_repeat() {
        let a = IdGen::new(Some(7));
        let b = IdGen::new(Some(7));
        let id = a.uuid();
        assert_eq!(id, b.uuid());
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4");
        assert!(matches!(&id[19..20], "8" | "9" | "a" | "b"));
        a.reset();
        assert_eq!(a.uuid(), id);
    }

    #[test]
    fn request_id_rule() {
        assert!(is_valid_request_id("my-req.123"));
        assert!(is_valid_request_id(&"a".repeat(64)));
        assert!(!is_valid_request_id(&"a".repeat(65)));
        assert!(!is_valid_request_id("bad id!"));
        assert!(!is_valid_request_id(""));
    }
}
