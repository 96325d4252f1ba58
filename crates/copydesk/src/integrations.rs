//! `copydesk token` and `copydesk webhook`: what automation needs to reach copydesk (API
//! tokens) and to be told about it (webhooks). Secrets are printed once, when issued.

use std::fmt::Write as _;

use anyhow::Result;
use copydesk_core::account::{ApiToken, Delivery, Webhook, WebhookEvent};
use copydesk_core::{DeliveryId, Role, TokenId, WebhookId};

use crate::cli::{TokenCmd, WebhookCmd};
use crate::commands::{emit, open, parse_name, Globals};
use crate::render::time;

pub fn token(globals: &Globals, cmd: TokenCmd) -> Result<()> {
    let mut s = open(globals)?;
    let actor = globals.actor()?;
    match cmd {
        TokenCmd::Create { brand, role, name } => {
            let role: Role = parse_name(&role)?;
            let issued = s.service.token_create(actor, &brand, role, &name)?;
            let shown = serde_json::json!({
                "token": issued.token,
                "secret": issued.secret.expose(),
            });
            emit(globals.format, &shown, |_| {
                let t = &issued.token;
                format!(
                    "token {} \"{}\" acts as {} ({}) in {brand}\nsecret (shown once, store it now): {}\n",
                    t.id,
                    t.name,
                    t.user_name,
                    t.role,
                    issued.secret.expose()
                )
            })
        }
        TokenCmd::List { brand } => {
            let tokens = s.service.token_list(actor, &brand)?;
            emit(globals.format, &tokens, |tokens| token_list(tokens))
        }
        TokenCmd::Revoke { id } => {
            let revoked = s.service.token_revoke(actor, TokenId(id))?;
            emit(
                globals.format,
                &serde_json::json!({"token": id, "revoked": true, "already": !revoked}),
                |_| {
                    if revoked {
                        format!("token {id} revoked\n")
                    } else {
                        format!("token {id} was already revoked\n")
                    }
                },
            )
        }
    }
}

pub fn webhook(globals: &Globals, cmd: WebhookCmd) -> Result<()> {
    let mut s = open(globals)?;
    let actor = globals.actor()?;
    match cmd {
        WebhookCmd::Add { brand, url, events } => {
            let events = events
                .iter()
                .filter(|e| !e.trim().is_empty())
                .map(|e| parse_name::<WebhookEvent>(e))
                .collect::<Result<Vec<_>, _>>()?;
            let created = s.service.webhook_create(actor, &brand, &url, &events)?;
            let shown = serde_json::json!({
                "webhook": created.webhook,
                "secret": created.secret.expose(),
            });
            emit(globals.format, &shown, |_| {
                let w = &created.webhook;
                format!(
                    "webhook {} for {brand}: {} on {}\nsigning secret (shown once, store it now): {}\n",
                    w.id,
                    w.url,
                    event_names(&w.events),
                    created.secret.expose()
                )
            })
        }
        WebhookCmd::List { brand } => {
            let hooks = s.service.webhook_list(actor, &brand)?;
            emit(globals.format, &hooks, |hooks| webhook_list(hooks))
        }
        WebhookCmd::Disable { id } | WebhookCmd::Enable { id } => {
            let active = matches!(cmd, WebhookCmd::Enable { .. });
            let hook = s.service.webhook_set_active(actor, WebhookId(id), active)?;
            emit(globals.format, &hook, |h| {
                let now = if h.active { "enabled" } else { "disabled" };
                format!("webhook {} {now}\n", h.id)
            })
        }
        WebhookCmd::Deliveries {
            brand,
            after,
            limit,
        } => {
            let log = s
                .service
                .webhook_deliveries(actor, &brand, after.map(DeliveryId), limit)?;
            emit(globals.format, &log, |log| delivery_log(log))
        }
    }
}

fn event_names(events: &[WebhookEvent]) -> String {
    events
        .iter()
        .map(|e| e.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn token_list(tokens: &[ApiToken]) -> String {
    if tokens.is_empty() {
        return "no tokens\n".into();
    }
    let mut out = String::new();
    for t in tokens {
        let used = t.last_used_at.map_or_else(
            || "never used".to_string(),
            |at| format!("used {}", time(&at)),
        );
        let revoked = t
            .revoked_at
            .map(|at| format!(" · revoked {}", time(&at)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{:>4}  {}…  {:<24} {} as {} · {used}{revoked}",
            t.id, t.prefix, t.name, t.user_name, t.role
        );
    }
    out
}

fn webhook_list(hooks: &[Webhook]) -> String {
    if hooks.is_empty() {
        return "no webhooks\n".into();
    }
    let mut out = String::new();
    for h in hooks {
        let _ = writeln!(
            out,
            "{:>4}  {:<8} {}  on {}",
            h.id,
            if h.active { "active" } else { "disabled" },
            h.url,
            event_names(&h.events)
        );
    }
    out
}

fn delivery_log(log: &[Delivery]) -> String {
    if log.is_empty() {
        return "no deliveries\n".into();
    }
    let mut out = String::new();
    for d in log {
        let last = match (d.last_status, &d.last_error) {
            (_, Some(error)) => format!(" · {error}"),
            (Some(status), None) => format!(" · answered {status}"),
            (None, None) => String::new(),
        };
        let when = match d.delivered_at {
            Some(at) => format!("delivered {}", time(&at)),
            None if d.state == copydesk_core::account::DeliveryState::Pending => {
                format!("next {}", time(&d.next_attempt_at))
            }
            None => "given up".to_string(),
        };
        let _ = writeln!(
            out,
            "{:>6}  {:<16} {:<9} webhook {} · {} attempt{}{last} · {when}",
            d.id,
            d.event,
            d.state,
            d.webhook,
            d.attempts,
            if d.attempts == 1 { "" } else { "s" }
        );
    }
    out
}
