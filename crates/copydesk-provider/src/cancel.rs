//! Cooperative cancellation: a flag one thread sets and a running request polls.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// A cancellation flag shared between the caller and a running request.
///
/// Clones share the flag, so a UI thread can keep one and hand the other to
/// [`ChatModel::complete`](crate::ChatModel::complete). The request checks it while
/// waiting for the server, between streamed events, between retries and during backoff,
/// and then returns [`ProviderError::Cancelled`](crate::ProviderError::Cancelled)
/// within a fraction of a second. Cancelling cannot be undone: make a new `Cancel` for the
/// next request.
#[derive(Debug, Clone, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    /// A flag that is not set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Asks every request holding a clone of this flag to stop.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Release);
    }

    /// Whether [`cancel`](Self::cancel) was called on this flag or a clone of it.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Acquire)
    }
}

#[cfg(test)]
mod tests {
    use super::Cancel;

    #[test]
    fn clones_share_the_flag() {
        let a = Cancel::new();
        let b = a.clone();
        assert!(!b.is_cancelled());
        a.cancel();
        assert!(b.is_cancelled());
    }
}
