//! Failed-login limiter: after `max` failures within `window` for one key (an account, a client
//! address), attempts on that key are refused until the oldest failure leaves the window.
//! Only failures count, so a person who types their password right is never slowed down.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Keys kept at most; beyond it, keys whose failures all left the window are dropped.
const MAX_KEYS: usize = 100_000;

#[derive(Debug)]
pub struct FailureLimiter {
    max: usize,
    window: Duration,
    failures: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl FailureLimiter {
    pub fn new(max: u32, window: Duration) -> Self {
        Self {
            max: max.max(1) as usize,
            window,
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// `Err(seconds to wait)` when `key` has used up its failures.
    pub fn check(&self, key: &str) -> Result<(), u64> {
        let now = Instant::now();
        let mut failures = self.lock();
        let Some(times) = failures.get_mut(key) else {
            return Ok(());
        };
        Self::expire(times, now, self.window);
        if times.len() < self.max {
            return Ok(());
        }
        let oldest = times.front().copied().unwrap_or(now);
        let wait = (oldest + self.window).saturating_duration_since(now);
        Err(wait.as_secs().max(1))
    }

    /// Counts one attempt for `key` if it has any left, else `Err(seconds to wait)`: the
    /// limiter then counts every request (enrolments, public submissions), not only failures.
    pub fn admit(&self, key: &str) -> Result<(), u64> {
        self.check(key)?;
        self.fail(key);
        Ok(())
    }

    /// Records one failure for `key`.
    pub fn fail(&self, key: &str) {
        let now = Instant::now();
        let mut failures = self.lock();
        if failures.len() >= MAX_KEYS {
            let window = self.window;
            failures.retain(|_, times| {
                Self::expire(times, now, window);
                !times.is_empty()
            });
        }
        let times = failures.entry(key.to_owned()).or_default();
        Self::expire(times, now, self.window);
        times.push_back(now);
        while times.len() > self.max {
            times.pop_front();
        }
    }

    /// Forgets the failures of `key` (after a successful login).
    pub fn clear(&self, key: &str) {
        self.lock().remove(key);
    }

    fn expire(times: &mut VecDeque<Instant>, now: Instant, window: Duration) {
        while times
            .front()
            .is_some_and(|t| now.duration_since(*t) >= window)
        {
            times.pop_front();
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, VecDeque<Instant>>> {
        // A poisoned lock only means another thread panicked while counting; the counts are
        // still usable.
        self.failures
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_is_refused_after_max_failures_and_others_are_not() {
        let limiter = FailureLimiter::new(2, Duration::from_secs(60));
        limiter.fail("a");
        assert!(limiter.check("a").is_ok());
        limiter.fail("a");
        let wait = limiter.check("a").unwrap_err();
        assert!((1..=60).contains(&wait));
        assert!(limiter.check("b").is_ok());
        limiter.clear("a");
        assert!(limiter.check("a").is_ok());
    }
}
