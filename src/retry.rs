//! [`RetryPolicy`]: how often, and how patiently, a transaction or statement is tried again after
//! an error a retry can fix (a write conflict, a deadlock, a lock wait; see
//! [`crate::ErrorKind::is_retryable`]).

use std::time::{Duration, Instant};

use crate::error::Error;

/// Bounds and pacing for retries: exponential backoff with jitter, a cap on attempts and on the
/// total time.
///
/// ```
/// use std::time::Duration;
/// use matrixone::RetryPolicy;
/// let policy = RetryPolicy::default().max_attempts(5).max_elapsed(Duration::from_secs(10));
/// assert_eq!(policy.attempts(), 5);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    max_elapsed: Duration,
    initial_backoff: Duration,
    max_backoff: Duration,
}

impl Default for RetryPolicy {
    /// 5 attempts within 30 s, backing off from 20 ms up to 1 s.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 5,
            max_elapsed: Duration::from_secs(30),
            initial_backoff: Duration::from_millis(20),
            max_backoff: Duration::from_secs(1),
        }
    }
}

impl RetryPolicy {
    /// At most this many attempts in all, the first included (at least 1).
    ///
    /// ```
    /// assert_eq!(matrixone::RetryPolicy::default().max_attempts(0).attempts(), 1);
    /// ```
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// No new attempt starts once this much time has passed since the first.
    ///
    /// ```
    /// use std::time::Duration;
    /// let p = matrixone::RetryPolicy::default().max_elapsed(Duration::from_secs(2));
    /// assert_eq!(p.elapsed_limit(), Duration::from_secs(2));
    /// ```
    pub fn max_elapsed(mut self, limit: Duration) -> Self {
        self.max_elapsed = limit;
        self
    }

    /// The first backoff; each later one doubles, up to [`RetryPolicy::max_backoff`].
    ///
    /// ```
    /// use std::time::Duration;
    /// let p = matrixone::RetryPolicy::default().initial_backoff(Duration::from_millis(5));
    /// assert!(p.backoff(1) <= Duration::from_millis(5));
    /// ```
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The longest pause between two attempts.
    ///
    /// ```
    /// use std::time::Duration;
    /// let p = matrixone::RetryPolicy::default().max_backoff(Duration::from_millis(50));
    /// assert!(p.backoff(30) <= Duration::from_millis(50));
    /// ```
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// The attempt limit.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The total time limit.
    pub fn elapsed_limit(&self) -> Duration {
        self.max_elapsed
    }

    /// The pause before attempt `retry + 1` (so `backoff(1)` follows the first failure): the
    /// exponential step, with "equal jitter" (between half of it and all of it) so that clients
    /// that collided do not collide again in step.
    pub fn backoff(&self, retry: u32) -> Duration {
        let step = self
            .initial_backoff
            .saturating_mul(1u32 << retry.saturating_sub(1).min(20))
            .min(self.max_backoff);
        let half = step / 2;
        half + half.mul_f64(jitter())
    }
}

/// One run of attempts under a policy: decides after each failure whether to try again, and
/// waits the backoff first.
pub(crate) struct Attempts {
    policy: RetryPolicy,
    what: &'static str,
    started: Instant,
    number: u32,
}

impl Attempts {
    pub(crate) fn new(policy: RetryPolicy, what: &'static str) -> Attempts {
        Attempts { policy, what, started: Instant::now(), number: 1 }
    }

    /// After attempt number `n` failed with `err`: `true`, after the backoff, when attempt `n + 1`
    /// should run; `false` when `err` is final (not retryable, or the bounds ran out). One
    /// tracing event per retry.
    pub(crate) async fn again(&mut self, err: &Error) -> bool {
        if !err.is_retryable() || self.number >= self.policy.max_attempts {
            return false;
        }
        let pause = self.policy.backoff(self.number);
        if self.started.elapsed() + pause >= self.policy.max_elapsed {
            return false;
        }
        tracing::info!(
            target: "matrixone::retry",
            what = self.what,
            attempt = self.number,
            error = %err,
            backoff_ms = pause.as_secs_f64() * 1000.0,
            "retrying"
        );
        tokio::time::sleep(pause).await;
        // On the statement span, when a statement is retried (a transaction has none).
        tracing::Span::current().record("matrixone.retries", self.number);
        self.number += 1;
        true
    }
}

/// A number in [0, 1): random enough to spread retries, with no dependency for it.
fn jitter() -> f64 {
    use std::hash::{BuildHasher as _, Hasher as _};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(Instant::now().elapsed().as_nanos());
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}
