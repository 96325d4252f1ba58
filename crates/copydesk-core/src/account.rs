//! Signing in and calling out (issue 5, `copydesk serve`): browser sessions, API tokens,
//! webhooks and their delivery queue, as stored. Plain data: hashing, random tokens, clocks
//! and HTTP belong to the layers above. Session and token secrets are never held here (the
//! store keeps only their hashes); a webhook's signing secret is, and never leaves through
//! `Serialize` or `Debug`.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::ids::{DeliveryId, SessionId, TokenId, WebhookId};
use crate::secret::Secret;
use crate::vocab::UnknownName;
use crate::{BrandId, Role, UserId};

vocabulary!(
    /// What a webhook can be told about.
    WebhookEvent, "webhook event" {
        ReviewRequested => "review.requested",
        ReviewDecided => "review.decided",
        AssetApproved => "asset.approved",
        AssetPublished => "asset.published",
    }
);

vocabulary!(
    /// Where a webhook delivery is: waiting (first try or a retry), done, or given up on.
    DeliveryState, "delivery state" {
        Pending => "pending",
        Delivered => "delivered",
        Failed => "failed",
    }
);

/// A browser session. Returned whatever its state: whoever checks it decides whether an
/// expired or revoked session still counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Session {
    pub id: SessionId,
    pub user: UserId,
    /// Sent back with every form of this session; a request without it is refused.
    #[serde(skip_serializing)]
    pub csrf_token: Secret,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// An API token: one person's role in one brand, for scripts and integrations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiToken {
    pub id: TokenId,
    pub name: String,
    pub user: UserId,
    pub user_name: String,
    pub brand: BrandId,
    pub role: Role,
    /// The first characters of the token, shown so people can tell their tokens apart.
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A URL told about a brand's events, each delivery signed with `secret`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Webhook {
    pub id: WebhookId,
    pub brand: BrandId,
    pub url: String,
    /// Signs every delivery; never serialised or printed.
    #[serde(skip_serializing)]
    pub secret: Secret,
    pub events: Vec<WebhookEvent>,
    pub created_by: UserId,
    pub created_at: DateTime<Utc>,
    pub active: bool,
}

impl Webhook {
    /// Whether this webhook wants to hear about `event` (active or not).
    pub fn wants(&self, event: WebhookEvent) -> bool {
        self.events.contains(&event)
    }
}

/// One event on its way to one webhook: queued, retried with backoff, then delivered or
/// given up on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Delivery {
    pub id: DeliveryId,
    pub webhook: WebhookId,
    /// The webhook's URL when the delivery was read.
    pub url: String,
    pub event: WebhookEvent,
    /// The exact JSON body to POST (and to sign).
    pub payload: String,
    pub created_at: DateTime<Utc>,
    /// Attempts finished so far.
    pub attempts: u32,
    pub next_attempt_at: DateTime<Utc>,
    pub state: DeliveryState,
    /// The HTTP status of the last attempt, when it got an answer.
    pub last_status: Option<u16>,
    /// Why the last attempt failed, when it did.
    pub last_error: Option<String>,
    pub delivered_at: Option<DateTime<Utc>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn webhook() -> Webhook {
        Webhook {
            id: WebhookId(7),
            brand: BrandId(1),
            url: "https://hooks.example/copydesk".into(),
            secret: Secret::new("whsec-s3cret"),
            events: vec![WebhookEvent::ReviewRequested, WebhookEvent::AssetApproved],
            created_by: UserId(2),
            created_at: DateTime::from_timestamp(1_790_000_000, 0).expect("a valid time"),
            active: true,
        }
    }

    #[test]
    fn event_names_are_dotted_everywhere() {
        for event in WebhookEvent::ALL {
            assert_eq!(event.as_str().parse::<WebhookEvent>(), Ok(*event));
            let json = serde_json::to_string(event).expect("serialises");
            assert_eq!(json, format!("\"{}\"", event.as_str()));
            let back: WebhookEvent = serde_json::from_str(&json).expect("deserialises");
            assert_eq!(back, *event);
        }
        assert_eq!(
            " Asset.Published ".parse::<WebhookEvent>(),
            Ok(WebhookEvent::AssetPublished)
        );
        let err = "asset_published".parse::<WebhookEvent>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown webhook event 'asset_published' (expected one of: review.requested, \
             review.decided, asset.approved, asset.published)"
        );
        for state in DeliveryState::ALL {
            assert_eq!(state.as_str().parse::<DeliveryState>(), Ok(*state));
            assert_eq!(
                serde_json::to_string(state).expect("serialises"),
                format!("\"{state}\"")
            );
        }
    }

    #[test]
    fn the_webhook_secret_stays_out_of_json_and_debug() {
        let hook = webhook();
        let json = serde_json::to_value(&hook).expect("serialises");
        assert!(json.get("secret").is_none(), "{json}");
        assert!(!json.to_string().contains("s3cret"), "{json}");
        assert_eq!(json["url"], "https://hooks.example/copydesk");
        assert_eq!(
            json["events"],
            serde_json::json!(["review.requested", "asset.approved"])
        );
        let debug = format!("{hook:?}");
        assert!(!debug.contains("s3cret"), "{debug}");
        assert!(debug.contains("secret: \"<redacted>\""), "{debug}");
        assert!(debug.contains("https://hooks.example/copydesk"), "{debug}");
        let pretty = format!("{hook:#?}");
        assert!(!pretty.contains("s3cret"), "{pretty}");
    }

    #[test]
    fn a_webhook_wants_only_its_events() {
        let hook = webhook();
        assert!(hook.wants(WebhookEvent::ReviewRequested));
        assert!(!hook.wants(WebhookEvent::ReviewDecided));
    }
}
