//! Retrying transient failures: exponential backoff with full jitter, `Retry-After`,
//! and sleeps that a [`Cancel`] interrupts.
//!
//! Full jitter (a uniform wait between zero and the exponential cap) spreads out the
//! clients that a rate limit or an outage hit at the same moment, so they do not all
//! come back together.

use std::time::{Duration, Instant, SystemTime};

use crate::{Cancel, ProviderError};

/// How often a waiting thread looks at its [`Cancel`] flag.
pub(crate) const CANCEL_POLL: Duration = Duration::from_millis(25);

/// When and how often to try again.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RetryPolicy {
    /// Extra attempts after the first.
    pub max_retries: u32,
    /// The cap of the first backoff; doubled for each later one.
    pub initial: Duration,
    /// The longest wait, `Retry-After` included.
    pub max: Duration,
}

impl RetryPolicy {
    /// The wait before retry number `retry` (0 for the first retry): the server's
    /// `Retry-After` when it sent one, else a uniform draw up to `initial · 2^retry`;
    /// never more than `max`.
    pub fn backoff(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(asked) = retry_after {
            return asked.min(self.max);
        }
        let initial_ms = u64::try_from(self.initial.as_millis()).unwrap_or(u64::MAX);
        let max_ms = u64::try_from(self.max.as_millis()).unwrap_or(u64::MAX);
        let factor = 1u64.checked_shl(retry).unwrap_or(u64::MAX);
        let cap = initial_ms.saturating_mul(factor).min(max_ms);
        Duration::from_millis(fastrand::u64(0..=cap))
    }

    /// Runs `attempt` until it succeeds, fails in a way retrying cannot fix, runs out of
    /// retries, or is cancelled. Returns the value and the number of attempts made; a
    /// final error carries that number too.
    pub fn run<T>(
        &self,
        provider: &str,
        cancel: &Cancel,
        mut attempt: impl FnMut() -> Result<T, ProviderError>,
    ) -> Result<(T, u32), ProviderError> {
        let mut attempts = 0u32;
        loop {
            if cancel.is_cancelled() {
                return Err(cancelled(provider));
            }
            attempts += 1;
            match attempt() {
                Ok(value) => return Ok((value, attempts)),
                Err(error) => {
                    if !error.is_retryable() || attempts > self.max_retries {
                        return Err(error.with_attempts(attempts));
                    }
                    let wait = self.backoff(attempts - 1, error.retry_after());
                    if !sleep(wait, cancel) {
                        return Err(cancelled(provider));
                    }
                }
            }
        }
    }
}

pub(crate) fn cancelled(provider: &str) -> ProviderError {
    ProviderError::Cancelled {
        provider: provider.to_string(),
    }
}

/// Sleeps for `duration` in short slices; returns `false` as soon as `cancel` is set.
pub(crate) fn sleep(duration: Duration, cancel: &Cancel) -> bool {
    let end = Instant::now() + duration;
    loop {
        if cancel.is_cancelled() {
            return false;
        }
        let now = Instant::now();
        if now >= end {
            return true;
        }
        std::thread::sleep((end - now).min(CANCEL_POLL));
    }
}

/// Reads a `Retry-After` value: delay seconds (`120`) or an HTTP-date
/// (`Wed, 21 Oct 2015 07:28:00 GMT`), relative to `now`. A date in the past means
/// "now"; anything unreadable is ignored (the usual backoff applies).
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    if let Ok(secs) = value.parse::<f64>() {
        // Not allowed by RFC 9110, but some servers send fractions.
        if secs.is_finite() && secs >= 0.0 {
            return Duration::try_from_secs_f64(secs).ok();
        }
        return None;
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(retries: u32) -> RetryPolicy {
        RetryPolicy {
            max_retries: retries,
            initial: Duration::from_millis(100),
            max: Duration::from_millis(1000),
        }
    }

    #[test]
    fn backoff_is_bounded_and_grows() {
        let p = policy(3);
        for _ in 0..200 {
            assert!(p.backoff(0, None) <= Duration::from_millis(100));
            assert!(p.backoff(2, None) <= Duration::from_millis(400));
            assert!(p.backoff(60, None) <= Duration::from_millis(1000));
        }
        let biggest = (0..200).map(|_| p.backoff(3, None)).max();
        assert!(biggest > Some(Duration::from_millis(400)), "{biggest:?}");
    }

    #[test]
    fn retry_after_wins_but_is_capped() {
        let p = policy(3);
        assert_eq!(
            p.backoff(0, Some(Duration::from_millis(700))),
            Duration::from_millis(700)
        );
        assert_eq!(
            p.backoff(0, Some(Duration::from_secs(60))),
            Duration::from_millis(1000)
        );
    }

    #[test]
    fn retry_after_values() {
        let now = httpdate::parse_http_date("Wed, 21 Oct 2015 07:28:00 GMT")
            .unwrap_or(SystemTime::UNIX_EPOCH);
        assert_eq!(parse_retry_after(" 3 ", now), Some(Duration::from_secs(3)));
        assert_eq!(
            parse_retry_after("0.5", now),
            Some(Duration::from_millis(500))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-1", now), None);
    }

    fn server_error() -> ProviderError {
        ProviderError::Server {
            provider: "p".into(),
            status: 503,
            message: "busy".into(),
            attempts: 1,
            retry_after: None,
        }
    }

    #[test]
    fn gives_up_after_max_retries() {
        let mut calls = 0;
        let result: Result<((), u32), _> = policy(2).run("p", &Cancel::new(), || {
            calls += 1;
            Err(server_error())
        });
        assert_eq!(calls, 3);
        assert_eq!(result.err().and_then(|e| e.attempts()), Some(3));
    }

    #[test]
    fn does_not_retry_what_cannot_succeed() {
        let mut calls = 0;
        let result: Result<((), u32), _> = policy(2).run("p", &Cancel::new(), || {
            calls += 1;
            Err(ProviderError::Empty {
                provider: "p".into(),
            })
        });
        assert_eq!(calls, 1);
        assert!(matches!(result, Err(ProviderError::Empty { .. })));
    }

    #[test]
    fn succeeds_on_a_later_attempt() {
        let mut calls = 0;
        let result = policy(2).run("p", &Cancel::new(), || {
            calls += 1;
            if calls < 2 {
                Err(server_error())
            } else {
                Ok("done")
            }
        });
        assert_eq!(result, Ok(("done", 2)));
    }

    #[test]
    fn cancel_interrupts_the_backoff() {
        let cancel = Cancel::new();
        let slow = RetryPolicy {
            max_retries: 1,
            initial: Duration::from_secs(30),
            max: Duration::from_secs(30),
        };
        let flag = cancel.clone();
        let started = Instant::now();
        let result: Result<((), u32), _> = slow.run("p", &cancel, || {
            flag.cancel();
            Err(ProviderError::RateLimited {
                provider: "p".into(),
                attempts: 1,
                retry_after: Some(Duration::from_secs(30)),
            })
        });
        assert!(matches!(result, Err(ProviderError::Cancelled { .. })));
        assert!(started.elapsed() < Duration::from_secs(1));
    }
}
