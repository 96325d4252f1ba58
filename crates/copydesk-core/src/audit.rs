//! The tamper-evident audit chain. Each entry's hash covers its own canonical content and the
//! previous entry's hash, so editing, removing or reordering any entry breaks the chain from
//! that point on. The chain cannot show that entries were cut off the end: publish the head
//! hash (`audit verify` prints it) somewhere else to anchor it.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The hash that the first entry chains to.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// An entry before it is sealed into the chain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditDraft {
    pub at: DateTime<Utc>,
    pub actor: String,
    pub brand: Option<String>,
    pub action: String,
    /// What the entry is about, e.g. `asset:12`.
    pub subject: String,
    pub details: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub brand: Option<String>,
    pub action: String,
    pub subject: String,
    pub details: serde_json::Value,
    pub prev_hash: String,
    pub hash: String,
}

/// The canonical form that is hashed: JSON with sorted keys, times in RFC 3339 with
/// microseconds (the precision both databases keep).
pub fn canonical(
    seq: i64,
    at: &DateTime<Utc>,
    actor: &str,
    brand: Option<&str>,
    action: &str,
    subject: &str,
    details: &serde_json::Value,
) -> String {
    serde_json::json!({
        "seq": seq,
        "at": at.to_rfc3339_opts(SecondsFormat::Micros, true),
        "actor": actor,
        "brand": brand,
        "action": action,
        "subject": subject,
        "details": details,
    })
    .to_string()
}

fn chain_hash(prev_hash: &str, canonical: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(prev_hash.as_bytes());
    hasher.update(b"\n");
    hasher.update(canonical.as_bytes());
    hex::encode(hasher.finalize())
}

/// Seals a draft after `head` (the last entry's seq and hash, or none for the first entry).
pub fn seal(head: Option<(i64, &str)>, draft: AuditDraft) -> AuditEntry {
    let (seq, prev_hash) = match head {
        Some((seq, hash)) => (seq + 1, hash.to_string()),
        None => (1, GENESIS.to_string()),
    };
    let hash = chain_hash(&prev_hash, &entry_canonical(seq, &draft));
    AuditEntry {
        seq,
        at: draft.at,
        actor: draft.actor,
        brand: draft.brand,
        action: draft.action,
        subject: draft.subject,
        details: draft.details,
        prev_hash,
        hash,
    }
}

fn entry_canonical(seq: i64, d: &AuditDraft) -> String {
    canonical(
        seq,
        &d.at,
        &d.actor,
        d.brand.as_deref(),
        &d.action,
        &d.subject,
        &d.details,
    )
}

/// The first place the chain breaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
pub enum ChainBreak {
    #[error("entry {expected} is missing: the chain jumps from {} to {found} (removed)", expected - 1)]
    Missing { expected: i64, found: i64 },
    #[error("entry {seq} appears out of order after entry {after} (reordered or duplicated)")]
    OutOfOrder { seq: i64, after: i64 },
    #[error("entry {seq} does not chain to entry {}: its previous-hash is not that entry's hash (entries removed, inserted or reordered)", seq - 1)]
    Unlinked { seq: i64 },
    #[error("entry {seq} was altered: its content does not match its hash")]
    Altered { seq: i64 },
}

impl ChainBreak {
    pub fn seq(&self) -> i64 {
        match self {
            ChainBreak::Missing { expected, .. } => *expected,
            ChainBreak::OutOfOrder { seq, .. }
            | ChainBreak::Unlinked { seq }
            | ChainBreak::Altered { seq } => *seq,
        }
    }
}

/// Checks entries one at a time, in the order they are stored, so a long log can be streamed.
#[derive(Debug, Clone)]
pub struct Verifier {
    last_seq: i64,
    last_hash: String,
}

impl Default for Verifier {
    fn default() -> Self {
        Verifier {
            last_seq: 0,
            last_hash: GENESIS.to_string(),
        }
    }
}

impl Verifier {
    pub fn push(&mut self, e: &AuditEntry) -> Result<(), ChainBreak> {
        let expected = self.last_seq + 1;
        if e.seq > expected {
            return Err(ChainBreak::Missing {
                expected,
                found: e.seq,
            });
        }
        if e.seq < expected {
            return Err(ChainBreak::OutOfOrder {
                seq: e.seq,
                after: self.last_seq,
            });
        }
        if e.prev_hash != self.last_hash {
            return Err(ChainBreak::Unlinked { seq: e.seq });
        }
        let canonical = canonical(
            e.seq,
            &e.at,
            &e.actor,
            e.brand.as_deref(),
            &e.action,
            &e.subject,
            &e.details,
        );
        if chain_hash(&e.prev_hash, &canonical) != e.hash {
            return Err(ChainBreak::Altered { seq: e.seq });
        }
        self.last_seq = e.seq;
        self.last_hash = e.hash.clone();
        Ok(())
    }

    /// The last verified entry: its seq and hash.
    pub fn head(&self) -> (i64, &str) {
        (self.last_seq, &self.last_hash)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn chain(n: usize) -> Vec<AuditEntry> {
        let mut out: Vec<AuditEntry> = Vec::new();
        for i in 0..n {
            let draft = AuditDraft {
                at: Utc
                    .timestamp_opt(1_790_000_000 + i as i64, 123_456_000)
                    .single()
                    .expect("valid time"),
                actor: "alice".into(),
                brand: Some("acme".into()),
                action: "version.added".into(),
                subject: format!("asset:{i}"),
                details: serde_json::json!({"version": i}),
            };
            let head = out.last().map(|e| (e.seq, e.hash.as_str()));
            let entry = seal(head, draft);
            out.push(entry);
        }
        out
    }

    fn verify(entries: &[AuditEntry]) -> Result<(), ChainBreak> {
        let mut v = Verifier::default();
        entries.iter().try_for_each(|e| v.push(e))
    }

    #[test]
    fn an_untouched_chain_verifies() {
        assert_eq!(verify(&chain(5)), Ok(()));
    }

    #[test]
    fn edits_removals_and_swaps_are_named() {
        let mut edited = chain(5);
        edited[2].details = serde_json::json!({"version": 99});
        assert_eq!(verify(&edited), Err(ChainBreak::Altered { seq: 3 }));

        let mut removed = chain(5);
        removed.remove(1);
        assert_eq!(
            verify(&removed),
            Err(ChainBreak::Missing {
                expected: 2,
                found: 3
            })
        );

        // swap the content of entries 2 and 3 but keep their positions' numbers
        let mut swapped = chain(5);
        let (a, b) = (swapped[1].clone(), swapped[2].clone());
        swapped[1] = AuditEntry { seq: 2, ..b };
        swapped[2] = AuditEntry { seq: 3, ..a };
        assert_eq!(verify(&swapped), Err(ChainBreak::Unlinked { seq: 2 }));
    }
}
