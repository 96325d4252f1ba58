//! Appending to and verifying the audit chain.

use copydesk_core::audit::{seal, AuditDraft, AuditEntry, ChainBreak, Verifier};
use copydesk_store::{AuditFilter, Tx};
use serde::Serialize;

use crate::access::{memberships, resolve, Actor};
use crate::{Ctx, Result, Service};

/// Appends one entry, chained to the current head, inside the caller's transaction.
pub(crate) fn record(
    tx: &mut dyn Tx,
    ctx: &Ctx<'_>,
    actor: &str,
    brand: Option<&str>,
    action: &str,
    subject: String,
    details: serde_json::Value,
) -> Result<()> {
    let head = tx.audit_head()?;
    let entry = seal(
        head.as_ref().map(|(seq, hash)| (*seq, hash.as_str())),
        AuditDraft {
            at: ctx.now,
            actor: actor.to_string(),
            brand: brand.map(str::to_string),
            action: action.to_string(),
            subject,
            details,
        },
    );
    tx.append_audit(&entry)?;
    Ok(())
}

#[derive(Debug, Clone, Serialize)]
pub struct VerifyReport {
    pub entries: i64,
    pub head_seq: i64,
    pub head_hash: String,
    /// The first break, if the chain is not intact.
    pub broken: Option<ChainBreak>,
}

impl VerifyReport {
    pub fn ok(&self) -> bool {
        self.broken.is_none()
    }
}

const PAGE: u32 = 5_000;

impl Service {
    /// Entries the actor may read: their brands' entries (every entry for workspace admins).
    pub fn audit_log(
        &mut self,
        actor: impl Into<Actor>,
        subject: Option<String>,
        after_seq: i64,
        limit: u32,
    ) -> Result<Vec<AuditEntry>> {
        let actor: Actor = actor.into();
        self.read(|tx, _| {
            let user = resolve(tx, &actor)?;
            let brands = if user.is_admin {
                None
            } else {
                let ids: Vec<_> = memberships(tx, &actor, &user)?
                    .into_iter()
                    .map(|m| m.brand)
                    .collect();
                let mut slugs = Vec::new();
                for b in tx.brands()? {
                    if ids.contains(&b.id) {
                        slugs.push(b.slug);
                    }
                }
                Some(slugs)
            };
            Ok(tx.audit_entries(&AuditFilter { subject, brands }, after_seq, limit)?)
        })
    }

    /// Walks the whole chain in pages and reports the first break.
    pub fn audit_verify(&mut self, actor: impl Into<Actor>) -> Result<VerifyReport> {
        let actor: Actor = actor.into();
        self.audit_verify_with_progress(&actor, &mut |_, _| {})
    }

    /// As [`Service::audit_verify`], calling `progress(entries checked, entries stored)` after
    /// each page, so a long chain can show how far it has got.
    pub fn audit_verify_with_progress(
        &mut self,
        actor: impl Into<Actor>,
        progress: &mut dyn FnMut(i64, i64),
    ) -> Result<VerifyReport> {
        let actor: Actor = actor.into();
        self.read(|tx, _| {
            resolve(tx, &actor)?;
            let stored = tx.audit_head()?.map_or(0, |(seq, _)| seq);
            let mut verifier = Verifier::default();
            let mut after = 0;
            let mut count = 0;
            loop {
                let page = tx.audit_entries(&AuditFilter::default(), after, PAGE)?;
                let Some(last) = page.last() else { break };
                after = last.seq;
                for entry in &page {
                    if let Err(broken) = verifier.push(entry) {
                        let (head_seq, head_hash) = verifier.head();
                        return Ok(VerifyReport {
                            entries: count,
                            head_seq,
                            head_hash: head_hash.to_string(),
                            broken: Some(broken),
                        });
                    }
                    count += 1;
                }
                progress(count, stored);
            }
            let (head_seq, head_hash) = verifier.head();
            Ok(VerifyReport {
                entries: count,
                head_seq,
                head_hash: head_hash.to_string(),
                broken: None,
            })
        })
    }
}
