//! The webhook sender: a background task that claims due deliveries from the database,
//! posts them signed, and records each attempt. Requests only queue deliveries (in their own
//! transaction), so a slow or dead receiver never holds one up; the queue is in the database,
//! so deliveries survive a restart, and claims are leased, so every server process sharing a
//! PostgreSQL database can run a sender without two posting the same delivery at once.
//! Nothing here logs a secret or a payload: a delivery is named by its id and event.

use std::sync::Arc;
use std::time::Duration;

use copydesk_core::account::{Delivery, DeliveryState};
use copydesk_core::webhook::{self, Backoff};
use copydesk_service::{Attempt, ClaimedDelivery};
use tokio::sync::watch;
use tokio::task::{JoinHandle, JoinSet};

use crate::AppState;

/// How this process sends webhook deliveries.
#[derive(Debug, Clone)]
pub struct WebhookConfig {
    /// How long to wait before looking again when nothing was due.
    pub poll: Duration,
    /// How long one attempt may take, connecting and answering included.
    pub timeout: Duration,
    /// When a failed delivery is tried again, and how often before giving up.
    pub backoff: Backoff,
    /// Deliveries posted at the same time, so one slow receiver does not stall the rest.
    pub concurrency: usize,
}

impl Default for WebhookConfig {
    fn default() -> WebhookConfig {
        WebhookConfig {
            poll: Duration::from_secs(2),
            timeout: Duration::from_secs(10),
            backoff: Backoff::default(),
            concurrency: 4,
        }
    }
}

impl WebhookConfig {
    /// How long a claim is held: the attempt's timeout and a margin for recording it. A
    /// sender that dies mid-attempt releases its deliveries when their leases run out.
    fn lease(&self) -> chrono::Duration {
        let lease = self.timeout.saturating_add(Duration::from_secs(60));
        chrono::Duration::from_std(lease).unwrap_or(chrono::Duration::days(1))
    }
}

/// A running sender; [`WebhookSender::stop`] ends it.
pub struct WebhookSender {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl WebhookSender {
    /// Starts sending due deliveries on the current Tokio runtime.
    pub fn spawn(state: &AppState, config: WebhookConfig) -> WebhookSender {
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(run(state.clone(), config, stopped));
        WebhookSender { stop, task }
    }

    /// Claims nothing more, lets the attempts in flight finish (each within its timeout) and
    /// records them.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        if let Err(e) = self.task.await {
            tracing::error!(error = %e, "the webhook sender stopped unexpectedly");
        }
    }
}

async fn run(state: AppState, config: WebhookConfig, mut stopped: watch::Receiver<bool>) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        // a redirect is answered as a failure: following it would send the signed body to a
        // URL no admin registered
        .max_redirects(0)
        .timeout_global(Some(config.timeout))
        .user_agent(concat!("copydesk-webhooks/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let agent = Arc::new(agent);
    let concurrency = config.concurrency.max(1);
    let mut in_flight = JoinSet::new();
    loop {
        let mut idle = false;
        while in_flight.len() < concurrency {
            let lease = config.lease();
            match state.pool.run(move |svc| svc.delivery_claim(lease)).await {
                Ok(Some(claimed)) => {
                    in_flight.spawn(deliver(
                        state.clone(),
                        Arc::clone(&agent),
                        config.backoff,
                        claimed,
                    ));
                }
                Ok(None) => {
                    idle = true;
                    break;
                }
                Err(e) => {
                    tracing::warn!(error = %e.message, "cannot claim webhook deliveries");
                    idle = true;
                    break;
                }
            }
        }
        tokio::select! {
            _ = stopped.changed() => break,
            Some(_) = in_flight.join_next(), if !in_flight.is_empty() => {}
            _ = tokio::time::sleep(config.poll), if idle => {}
        }
    }
    while in_flight.join_next().await.is_some() {}
}

async fn deliver(
    state: AppState,
    agent: Arc<ureq::Agent>,
    backoff: Backoff,
    claimed: ClaimedDelivery,
) {
    let id = claimed.delivery.id;
    let event = claimed.delivery.event;
    let posted = tokio::task::spawn_blocking(move || {
        let attempt = post(&agent, &claimed.delivery, &claimed.secret);
        (claimed.delivery, attempt)
    })
    .await;
    let Ok((delivery, attempt)) = posted else {
        // the lease runs out and the delivery is tried again
        tracing::error!(delivery = %id, %event, "a webhook attempt stopped unexpectedly");
        return;
    };
    let (status, error) = (attempt.status, attempt.error.clone());
    let recorded = state
        .pool
        .run(move |svc| svc.delivery_finish(&delivery, &attempt, &backoff))
        .await;
    match recorded {
        Ok(DeliveryState::Delivered) => {
            tracing::info!(delivery = %id, %event, status, "webhook delivered");
        }
        Ok(left) => {
            tracing::warn!(delivery = %id, %event, status, error, state = %left, "webhook attempt failed");
        }
        Err(e) => {
            tracing::error!(delivery = %id, %event, error = %e.message, "cannot record a webhook attempt");
        }
    }
}

/// Posts one delivery, signed now; blocking.
fn post(
    agent: &ureq::Agent,
    delivery: &Delivery,
    secret: &copydesk_core::secret::Secret,
) -> Attempt {
    let now = chrono::Utc::now().timestamp();
    let body = delivery.payload.as_bytes();
    let result = agent
        .post(&delivery.url)
        .header("Content-Type", "application/json")
        .header(webhook::TIMESTAMP_HEADER, now.to_string())
        .header(webhook::SIGNATURE_HEADER, webhook::sign(secret, now, body))
        .header(webhook::EVENT_HEADER, delivery.event.as_str())
        .header(webhook::DELIVERY_HEADER, delivery.id.to_string())
        .send(body);
    match result {
        Ok(mut response) => {
            let status = response.status().as_u16();
            // read (a little of) the answer so the connection can be reused; its content
            // does not matter
            let _ = response
                .body_mut()
                .with_config()
                .limit(64 * 1024)
                .read_to_vec();
            let error = response
                .status()
                .is_redirection()
                .then(|| format!("answered {status}: redirects are not followed"));
            Attempt {
                status: Some(status),
                error,
            }
        }
        Err(e) => Attempt {
            status: None,
            error: Some(describe(&e)),
        },
    }
}

/// Why an attempt got no answer, without the URL (whose path may hold the receiver's own
/// secret) or anything sent.
fn describe(e: &ureq::Error) -> String {
    match e {
        ureq::Error::Timeout(_) => "no answer within the timeout".into(),
        ureq::Error::HostNotFound => "the host name does not resolve".into(),
        ureq::Error::ConnectionFailed => "cannot connect".into(),
        ureq::Error::Io(io) => format!("connection failed: {io}"),
        ureq::Error::BadUri(_) => "the URL cannot be used".into(),
        ureq::Error::Tls(why) => format!("TLS failed: {why}"),
        ureq::Error::Rustls(why) => format!("TLS failed: {why}"),
        _ => "the request failed".into(),
    }
}
