//! Webhooks: brand admins register URLs for events; the operations that cause an event queue
//! one delivery per interested webhook inside their own transaction (so an event is queued
//! exactly when its action commits), and a sender — the server process, not a person —
//! claims due deliveries, posts them and records how each attempt went.

use chrono::Duration;
use copydesk_core::account::{Delivery, DeliveryState, Webhook, WebhookEvent};
use copydesk_core::asset::Asset;
use copydesk_core::org::Brand;
use copydesk_core::secret::Secret;
use copydesk_core::webhook::Backoff;
use copydesk_core::{AssetState, DeliveryId, WebhookId};
use copydesk_store::{DeliveryOutcome, NewDelivery, NewWebhook, Tx};
use rand::RngCore;
use serde_json::{json, Map, Value};

use crate::access::{member, member_by_slug, Actor};
use crate::accounts::new_secret;
use crate::audit::record;
use crate::{Ctx, Result, Service, ServiceError};

const SECRET_PREFIX: &str = "whsec_";
const MAX_URL_CHARS: usize = 2_000;
/// Longest failure reason kept in the delivery log.
const MAX_ERROR_CHARS: usize = 500;

/// A new webhook and its signing secret, which is shown only here.
#[derive(Debug, Clone)]
pub struct CreatedWebhook {
    pub webhook: Webhook,
    pub secret: Secret,
}

/// A delivery leased to a sender, with the key to sign it.
#[derive(Debug, Clone)]
pub struct ClaimedDelivery {
    pub delivery: Delivery,
    pub secret: Secret,
}

/// How one attempt to post a delivery went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    /// The HTTP status, when the receiver answered.
    pub status: Option<u16>,
    /// Why the attempt failed, when it did; no URL, header or body in it.
    pub error: Option<String>,
}

/// Checks a webhook URL: http or https, with a host, no credentials (they would be stored
/// and shown in the clear; the signature is how a receiver knows the sender).
fn check_url(text: &str) -> Result<String> {
    let text = text.trim();
    let invalid = |why: &str| ServiceError::Invalid(format!("webhook URL '{text}': {why}"));
    if text.chars().count() > MAX_URL_CHARS {
        return Err(ServiceError::Invalid(format!(
            "the webhook URL is longer than {MAX_URL_CHARS} characters"
        )));
    }
    let url = url::Url::parse(text).map_err(|e| invalid(&e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("use an http:// or https:// URL"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(invalid("the URL names no host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid(
            "leave credentials out of the URL; receivers verify the signature instead",
        ));
    }
    if url.fragment().is_some() {
        return Err(invalid("a fragment is never sent; remove the #…"));
    }
    Ok(url.to_string())
}

/// What the audit log keeps of a URL: its origin. Paths and queries often hold a receiver's
/// own secret, and the chain is insert-only and read by every member.
fn origin(url: &str) -> String {
    url::Url::parse(url)
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_default()
}

fn check_events(events: &[WebhookEvent]) -> Result<Vec<WebhookEvent>> {
    let mut wanted: Vec<WebhookEvent> = Vec::new();
    for event in events {
        if !wanted.contains(event) {
            wanted.push(*event);
        }
    }
    if wanted.is_empty() {
        let names: Vec<&str> = WebhookEvent::ALL.iter().map(|e| e.as_str()).collect();
        return Err(ServiceError::Invalid(format!(
            "a webhook needs at least one event: {}",
            names.join(", ")
        )));
    }
    Ok(wanted)
}

/// What an event says beyond its name: the asset as it now is, and `details` per event.
pub(crate) struct Event<'a> {
    pub kind: WebhookEvent,
    pub brand: &'a Brand,
    pub asset: &'a Asset,
    /// The asset's state after the action.
    pub state: AssetState,
    pub version: u32,
    pub actor: &'a str,
    pub details: Value,
}

/// Queues `event` for every active webhook of its brand that wants it, in the caller's
/// transaction: it is sent if and only if the action commits.
pub(crate) fn emit(tx: &mut dyn Tx, ctx: &Ctx<'_>, event: Event<'_>) -> Result<()> {
    let hooks: Vec<Webhook> = tx
        .webhooks(event.brand.id)?
        .into_iter()
        .filter(|h| h.active && h.wants(event.kind))
        .collect();
    if hooks.is_empty() {
        return Ok(());
    }
    let mut body = Map::new();
    body.insert("id".into(), json!(event_id()));
    body.insert("event".into(), json!(event.kind));
    body.insert("created_at".into(), json!(ctx.now));
    body.insert("brand".into(), json!(event.brand.slug));
    body.insert("actor".into(), json!(event.actor));
    body.insert(
        "asset".into(),
        json!({
            "id": event.asset.id, "title": event.asset.title, "kind": event.asset.kind,
            "channel": event.asset.channel, "state": event.state,
        }),
    );
    body.insert("version".into(), json!(event.version));
    if let Value::Object(details) = event.details {
        body.extend(details);
    }
    let payload = Value::Object(body).to_string();
    for hook in hooks {
        tx.enqueue_delivery(&NewDelivery {
            webhook: hook.id,
            event: event.kind,
            payload: &payload,
            at: ctx.now,
        })?;
    }
    Ok(())
}

/// One id per event, shared by its deliveries to several webhooks (the delivery header tells
/// retries of one delivery apart from other deliveries).
fn event_id() -> String {
    let mut bytes = [0u8; 12];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!("evt_{}", hex::encode(bytes))
}

fn truncate(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

impl Service {
    /// Registers a webhook for a brand's events (brand admins only). The signing secret is
    /// returned here and never again.
    pub fn webhook_create(
        &mut self,
        actor: impl Into<Actor>,
        brand: &str,
        url: &str,
        events: &[WebhookEvent],
    ) -> Result<CreatedWebhook> {
        let actor: Actor = actor.into();
        let url = check_url(url)?;
        let events = check_events(events)?;
        let secret = new_secret(SECRET_PREFIX);
        self.write(|tx, ctx| {
            let access = member_by_slug(tx, &actor, brand)?;
            access.require_admin("adding a webhook")?;
            let id = tx.insert_webhook(&NewWebhook {
                brand: access.brand.id,
                url: &url,
                secret: secret.expose(),
                events: &events,
                created_by: access.user.id,
                at: ctx.now,
            })?;
            record(
                tx,
                ctx,
                actor.name(),
                Some(&access.brand.slug),
                "webhook.created",
                format!("webhook:{id}"),
                json!({"origin": origin(&url), "events": events}),
            )?;
            let webhook = tx
                .webhook(id)?
                .ok_or_else(|| ServiceError::NotFound(format!("webhook {id} vanished")))?;
            Ok(CreatedWebhook {
                webhook,
                secret: secret.clone(),
            })
        })
    }

    /// A brand's webhooks, active or not, without their secrets (brand admins only).
    pub fn webhook_list(&mut self, actor: impl Into<Actor>, brand: &str) -> Result<Vec<Webhook>> {
        let actor: Actor = actor.into();
        self.read(|tx, _| {
            let access = member_by_slug(tx, &actor, brand)?;
            access.require_admin("listing webhooks")?;
            Ok(tx.webhooks(access.brand.id)?)
        })
    }

    /// Turns a webhook on or off (brand admins only). While off it is sent nothing new, and
    /// what was queued for it waits until it is on again.
    pub fn webhook_set_active(
        &mut self,
        actor: impl Into<Actor>,
        id: WebhookId,
        active: bool,
    ) -> Result<Webhook> {
        let actor: Actor = actor.into();
        self.write(|tx, ctx| {
            let missing = || format!("no webhook {id}");
            let hook = tx
                .webhook(id)?
                .ok_or_else(|| ServiceError::NotFound(missing()))?;
            let access = member(tx, &actor, hook.brand, missing)?;
            access.require_admin(if active {
                "enabling a webhook"
            } else {
                "disabling a webhook"
            })?;
            if hook.active != active {
                tx.set_webhook_active(id, active)?;
                record(
                    tx,
                    ctx,
                    actor.name(),
                    Some(&access.brand.slug),
                    if active {
                        "webhook.enabled"
                    } else {
                        "webhook.disabled"
                    },
                    format!("webhook:{id}"),
                    json!({"origin": origin(&hook.url)}),
                )?;
            }
            Ok(Webhook { active, ..hook })
        })
    }

    /// A brand's delivery log, newest first, with ids below `after` (brand admins only).
    pub fn webhook_deliveries(
        &mut self,
        actor: impl Into<Actor>,
        brand: &str,
        after: Option<DeliveryId>,
        limit: u32,
    ) -> Result<Vec<Delivery>> {
        let actor: Actor = actor.into();
        self.read(|tx, _| {
            let access = member_by_slug(tx, &actor, brand)?;
            access.require_admin("reading the webhook delivery log")?;
            Ok(tx.deliveries(access.brand.id, after, limit)?)
        })
    }

    /// For the sender (the server process, acting for nobody): leases the delivery due
    /// longest for `lease`, or returns `None` when nothing is due. The lease must outlast the
    /// attempt; if the sender dies, the delivery is claimable again when it runs out.
    pub fn delivery_claim(&mut self, lease: Duration) -> Result<Option<ClaimedDelivery>> {
        self.write(|tx, ctx| {
            let until = ctx
                .now
                .checked_add_signed(lease)
                .ok_or_else(|| ServiceError::Invalid(format!("a lease of {lease} is too long")))?;
            let Some(delivery) = tx.claim_delivery(ctx.now, until)? else {
                return Ok(None);
            };
            let hook = tx.webhook(delivery.webhook)?.ok_or_else(|| {
                ServiceError::NotFound(format!("webhook {} of a delivery", delivery.webhook))
            })?;
            Ok(Some(ClaimedDelivery {
                delivery,
                secret: hook.secret,
            }))
        })
    }

    /// For the sender: records an attempt at a claimed delivery. A failed one is due again
    /// after `backoff`'s wait, or failed for good when no attempt is left. Returns the state
    /// the delivery is left in.
    pub fn delivery_finish(
        &mut self,
        delivery: &Delivery,
        attempt: &Attempt,
        backoff: &Backoff,
    ) -> Result<DeliveryState> {
        self.write(|tx, ctx| {
            let failed = delivery.attempts.saturating_add(1);
            let outcome = DeliveryOutcome {
                at: ctx.now,
                status: attempt.status,
                error: attempt
                    .error
                    .as_deref()
                    .map(|e| truncate(e, MAX_ERROR_CHARS)),
                next: backoff
                    .after(failed)
                    .and_then(|wait| ctx.now.checked_add_signed(wait)),
            };
            tx.finish_delivery(delivery.id, &outcome)?;
            Ok(outcome.state())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_urls_with_a_host_and_no_credentials_are_taken() {
        assert_eq!(
            check_url(" https://hooks.example/copydesk?x=1 ").expect("valid"),
            "https://hooks.example/copydesk?x=1"
        );
        assert!(check_url("http://127.0.0.1:8080/hook").is_ok());
        for bad in [
            "ftp://hooks.example/",
            "hooks.example/copydesk",
            "https://",
            "https://user:pw@hooks.example/",
            "https://hooks.example/#top",
            "javascript:alert(1)",
        ] {
            let err = check_url(bad).expect_err(bad);
            assert!(matches!(err, ServiceError::Invalid(_)), "{bad}: {err}");
        }
        let long = format!("https://hooks.example/{}", "a".repeat(MAX_URL_CHARS));
        assert!(check_url(&long).is_err());
    }

    #[test]
    fn the_audit_keeps_only_the_origin() {
        assert_eq!(
            origin("https://hooks.slack.example/services/T0/B0/SECRET"),
            "https://hooks.slack.example"
        );
        assert_eq!(
            origin("http://127.0.0.1:9000/x?token=abc"),
            "http://127.0.0.1:9000"
        );
    }

    #[test]
    fn events_are_needed_and_deduplicated() {
        assert!(check_events(&[]).is_err());
        assert_eq!(
            check_events(&[WebhookEvent::AssetApproved, WebhookEvent::AssetApproved])
                .expect("valid"),
            vec![WebhookEvent::AssetApproved]
        );
    }

    #[test]
    fn long_errors_are_cut_on_a_character_boundary() {
        assert_eq!(truncate("héllo", 2), "hé…");
        assert_eq!(truncate("short", 10), "short");
    }
}
