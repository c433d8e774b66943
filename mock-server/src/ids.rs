//! Identifiers and chance. With `--seed`, one seeded generator makes generated ids, jitter and
//! probabilistic faults repeat run after run (given the same sequence of requests).

use std::sync::Mutex;

/// A pseudo-random source, seeded or not. Not cryptographic: it makes ids for a mock.
///
/// Seeded, one generator serves every thread in turn, so the sequence repeats; unseeded, each
/// thread uses its own (no lock on the request path).
#[derive(Debug)]
pub(crate) struct IdGen {
    seed: Option<u64>,
    seeded: Option<Mutex<fastrand::Rng>>,
}

impl IdGen {
    pub(crate) fn new(seed: Option<u64>) -> Self {
        Self {
            seed,
            seeded: seed.map(|s| Mutex::new(fastrand::Rng::with_seed(s))),
        }
    }

    /// Starts the sequence again (with the same seed, the same ids follow).
    pub(crate) fn reset(&self) {
        if let (Some(seed), Some(rng)) = (self.seed, &self.seeded) {
            *rng.lock().unwrap_or_else(|p| p.into_inner()) = fastrand::Rng::with_seed(seed);
        }
    }

    fn with<T>(&self, draw: impl FnOnce(&mut fastrand::Rng) -> T) -> T {
        match &self.seeded {
            Some(rng) => draw(&mut rng.lock().unwrap_or_else(|p| p.into_inner())),
            None => THREAD_RNG.with(|rng| draw(&mut rng.borrow_mut())),
        }
    }

    /// A UUID v4 string, lowercase.
    pub(crate) fn uuid(&self) -> String {
        self.uuid_bytes().iter().map(|b| char::from(*b)).collect()
    }

    /// A UUID v4 as its 36 ASCII bytes (no allocation).
    pub(crate) fn uuid_bytes(&self) -> [u8; 36] {
        let mut b = [0u8; 16];
        self.with(|rng| rng.fill(&mut b));
        b[6] = (b[6] & 0x0f) | 0x40;
        b[8] = (b[8] & 0x3f) | 0x80;
        let mut out = [b'-'; 36];
        let mut at = 0;
        for (i, byte) in b.iter().enumerate() {
            if matches!(i, 4 | 6 | 8 | 10) {
                at += 1;
            }
            out[at] = HEX[usize::from(byte >> 4)];
            out[at + 1] = HEX[usize::from(byte & 0x0f)];
            at += 2;
        }
        out
    }

    /// True with probability `p` (clamped to 0..=1).
    pub(crate) fn chance(&self, p: f64) -> bool {
        self.with(fastrand::Rng::f64) < p.clamp(0.0, 1.0)
    }

    /// A number in `0..=max`.
    pub(crate) fn up_to(&self, max: u64) -> u64 {
        self.with(|rng| rng.u64(0..=max))
    }
}

thread_local! {
    static THREAD_RNG: std::cell::RefCell<fastrand::Rng> = std::cell::RefCell::new(fastrand::Rng::new());
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
