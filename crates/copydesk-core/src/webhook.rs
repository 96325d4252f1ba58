//! How a webhook delivery is signed and verified, and when a failed one is tried again.
//!
//! A delivery is a POST of a JSON body with four headers: [`TIMESTAMP_HEADER`] (Unix
//! seconds), [`SIGNATURE_HEADER`] (`v1=` and the lowercase hex HMAC-SHA256, keyed with the
//! webhook's secret as given, of `"{timestamp}.{body}"`), [`EVENT_HEADER`] and
//! [`DELIVERY_HEADER`] (the same on every retry, so receivers can drop repeats). Signing the
//! timestamp with the body lets a receiver refuse a captured request replayed later. This is
//! the scheme of Stripe and Standard Webhooks, so their receivers' habits carry over.

use chrono::Duration;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::secret::Secret;

/// Unix seconds at which the delivery was signed.
pub const TIMESTAMP_HEADER: &str = "X-Copydesk-Timestamp";
/// `v1=<hex>`; several comma-separated signatures may be sent, any one valid suffices.
pub const SIGNATURE_HEADER: &str = "X-Copydesk-Signature";
/// The event name, e.g. `review.requested`.
pub const EVENT_HEADER: &str = "X-Copydesk-Event";
/// The delivery id: one per event and webhook, repeated on retries.
pub const DELIVERY_HEADER: &str = "X-Copydesk-Delivery";
/// How far a signature's timestamp may be from the receiver's clock by default.
pub const DEFAULT_TOLERANCE: Duration = Duration::minutes(5);

const SCHEME: &str = "v1";

type HmacSha256 = Hmac<Sha256>;

fn mac(secret: &Secret, timestamp: i64, body: &[u8]) -> HmacSha256 {
    let mut mac = HmacSha256::new_from_slice(secret.expose().as_bytes())
        .expect("HMAC takes a key of any length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// The [`SIGNATURE_HEADER`] value for `body` sent at `timestamp` (Unix seconds).
pub fn sign(secret: &Secret, timestamp: i64, body: &[u8]) -> String {
    let tag = mac(secret, timestamp, body).finalize().into_bytes();
    format!("{SCHEME}={}", hex::encode(tag))
}

/// Why a delivery did not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    #[error("the timestamp header is not a number of seconds")]
    BadTimestamp,
    #[error("the timestamp is {seconds} s away from now, more than the tolerance")]
    OutsideTolerance { seconds: i64 },
    #[error("the signature header holds no v1 signature")]
    NoSignature,
    #[error("no signature matches the body")]
    Mismatch,
}

/// Checks a received delivery: the timestamp is within `tolerance` of `now` (Unix seconds)
/// and one of the header's `v1` signatures is the body's, compared in constant time.
pub fn verify(
    secret: &Secret,
    timestamp_header: &str,
    signature_header: &str,
    body: &[u8],
    now: i64,
    tolerance: Duration,
) -> Result<(), VerifyError> {
    let timestamp: i64 = timestamp_header
        .trim()
        .parse()
        .map_err(|_| VerifyError::BadTimestamp)?;
    let skew = now.saturating_sub(timestamp).saturating_abs();
    if skew > tolerance.num_seconds() {
        return Err(VerifyError::OutsideTolerance { seconds: skew });
    }
    let candidates: Vec<Vec<u8>> = signature_header
        .split([',', ' '])
        .filter_map(|part| part.trim().strip_prefix("v1="))
        .filter_map(|hex_tag| hex::decode(hex_tag).ok())
        .collect();
    if candidates.is_empty() {
        return Err(VerifyError::NoSignature);
    }
    let expected = mac(secret, timestamp, body);
    if candidates
        .iter()
        .any(|tag| expected.clone().verify_slice(tag).is_ok())
    {
        Ok(())
    } else {
        Err(VerifyError::Mismatch)
    }
}

/// When a failed delivery is tried again: `base` × 1, 3, 12, 60, 360, 1080, then 2160 for
/// every further attempt (with the default 10 s: 10 s, 30 s, 2 min, 10 min, 1 h, 3 h, then
/// every 6 h), until `max_attempts` have failed; then the delivery is given up on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    pub base: Duration,
    pub max_attempts: u32,
}

const STEPS: &[i32] = &[1, 3, 12, 60, 360, 1080, 2160];

impl Default for Backoff {
    /// Twelve attempts over about a day and a half: long enough to ride out a receiver's
    /// outage over a night, short enough that the log shows a failure the next day.
    fn default() -> Backoff {
        Backoff {
            base: Duration::seconds(10),
            max_attempts: 12,
        }
    }
}

impl Backoff {
    /// The wait after the `failed`-th failed attempt (counting from 1), or `None` when no
    /// attempt is left.
    pub fn after(&self, failed: u32) -> Option<Duration> {
        if failed == 0 || failed >= self.max_attempts {
            return None;
        }
        let step = STEPS[(failed as usize - 1).min(STEPS.len() - 1)];
        Some(self.base.checked_mul(step).unwrap_or(Duration::MAX))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_790_000_000;

    fn secret() -> Secret {
        Secret::new("whsec_test")
    }

    #[test]
    fn the_signature_is_hmac_sha256_of_timestamp_dot_body() {
        // computed independently: printf '1790000000.{"a":1}' | openssl dgst -sha256 -hmac whsec_test
        let signature = sign(&secret(), NOW, br#"{"a":1}"#);
        assert_eq!(
            signature, "v1=f08690bbaaecbd1607eb9af71f092a9f7054e2b83f8b9d6a0690744d24fc6059",
            "if this fails after a change, the wire format changed"
        );
    }

    #[test]
    fn a_signed_body_verifies_and_any_change_does_not() {
        let body = br#"{"event":"asset.approved"}"#;
        let header = sign(&secret(), NOW, body);
        let ok = verify(
            &secret(),
            &NOW.to_string(),
            &header,
            body,
            NOW + 30,
            DEFAULT_TOLERANCE,
        );
        assert_eq!(ok, Ok(()));
        let tampered = verify(
            &secret(),
            &NOW.to_string(),
            &header,
            br#"{"event":"asset.published"}"#,
            NOW,
            DEFAULT_TOLERANCE,
        );
        assert_eq!(tampered, Err(VerifyError::Mismatch));
        let other_key = verify(
            &Secret::new("whsec_other"),
            &NOW.to_string(),
            &header,
            body,
            NOW,
            DEFAULT_TOLERANCE,
        );
        assert_eq!(other_key, Err(VerifyError::Mismatch));
        // the timestamp is signed too: moving it breaks the signature
        let moved = verify(
            &secret(),
            &(NOW + 1).to_string(),
            &header,
            body,
            NOW,
            DEFAULT_TOLERANCE,
        );
        assert_eq!(moved, Err(VerifyError::Mismatch));
    }

    #[test]
    fn old_timestamps_and_malformed_headers_are_refused() {
        let body = b"{}";
        let header = sign(&secret(), NOW, body);
        let late = verify(
            &secret(),
            &NOW.to_string(),
            &header,
            body,
            NOW + 301,
            DEFAULT_TOLERANCE,
        );
        assert_eq!(late, Err(VerifyError::OutsideTolerance { seconds: 301 }));
        let early = verify(
            &secret(),
            &NOW.to_string(),
            &header,
            body,
            NOW - 301,
            DEFAULT_TOLERANCE,
        );
        assert!(matches!(early, Err(VerifyError::OutsideTolerance { .. })));
        assert_eq!(
            verify(&secret(), "soon", &header, body, NOW, DEFAULT_TOLERANCE),
            Err(VerifyError::BadTimestamp)
        );
        assert_eq!(
            verify(
                &secret(),
                &NOW.to_string(),
                "v0=abc",
                body,
                NOW,
                DEFAULT_TOLERANCE
            ),
            Err(VerifyError::NoSignature)
        );
    }

    #[test]
    fn one_valid_signature_among_several_suffices() {
        let body = b"{}";
        let header = format!("v1=00ff, {}", sign(&secret(), NOW, body));
        assert_eq!(
            verify(
                &secret(),
                &NOW.to_string(),
                &header,
                body,
                NOW,
                DEFAULT_TOLERANCE
            ),
            Ok(())
        );
    }

    #[test]
    fn retries_back_off_then_give_up() {
        let backoff = Backoff::default();
        let waits: Vec<i64> = (1..backoff.max_attempts)
            .map(|n| backoff.after(n).map_or(-1, |d| d.num_seconds()))
            .collect();
        assert_eq!(
            waits,
            [10, 30, 120, 600, 3600, 10800, 21600, 21600, 21600, 21600, 21600]
        );
        assert_eq!(backoff.after(backoff.max_attempts), None);
        assert_eq!(backoff.after(0), None);
        let quick = Backoff {
            base: Duration::milliseconds(50),
            max_attempts: 3,
        };
        assert_eq!(quick.after(2), Some(Duration::milliseconds(150)));
        assert_eq!(quick.after(3), None);
    }
}
