//! A fixed set of `Service`s, each with its own database connection. The service layer is
//! synchronous, so each call runs on Tokio's blocking threads with one service borrowed for
//! its duration; requests beyond the pool's size wait for one to come back.

use std::sync::{Arc, Condvar, Mutex};

use copydesk_service::Service;

use crate::error::ApiError;

/// Opens one more service (one more database connection).
pub type OpenService = Arc<dyn Fn() -> Result<Service, String> + Send + Sync>;

pub struct ServicePool {
    open: OpenService,
    size: usize,
    state: Mutex<Slots>,
    returned: Condvar,
}

struct Slots {
    idle: Vec<Service>,
    /// Services that exist, idle or borrowed.
    opened: usize,
}

/// A borrowed service; goes back to the pool when dropped, or is forgotten (and may be
/// opened again) if the call panicked with it.
struct Lease<'a> {
    pool: &'a ServicePool,
    service: Option<Service>,
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        let Ok(mut slots) = self.pool.state.lock() else {
            return;
        };
        match self.service.take() {
            Some(s) if !std::thread::panicking() => slots.idle.push(s),
            _ => slots.opened = slots.opened.saturating_sub(1),
        }
        self.pool.returned.notify_one();
    }
}

impl Drop for ServicePool {
    fn drop(&mut self) {
        let idle = match self.state.get_mut() {
            Ok(slots) => std::mem::take(&mut slots.idle),
            Err(poisoned) => std::mem::take(&mut poisoned.into_inner().idle),
        };
        // The PostgreSQL client closes its connection by blocking on a runtime of its own,
        // which panics on a Tokio thread, where the last handle to the pool is usually
        // dropped (a server shutting down): close them on a plain thread.
        if idle.is_empty() || tokio::runtime::Handle::try_current().is_err() {
            return;
        }
        let _ = std::thread::spawn(move || drop(idle)).join();
    }
}

impl ServicePool {
    pub fn new(open: OpenService, size: usize) -> ServicePool {
        ServicePool {
            open,
            size: size.max(1),
            state: Mutex::new(Slots {
                idle: Vec::new(),
                opened: 0,
            }),
            returned: Condvar::new(),
        }
    }

    fn lease(&self) -> Result<Lease<'_>, ApiError> {
        let poisoned = || ApiError::internal("the service pool is unusable after a crash");
        let mut slots = self.state.lock().map_err(|_| poisoned())?;
        loop {
            if let Some(service) = slots.idle.pop() {
                return Ok(Lease {
                    pool: self,
                    service: Some(service),
                });
            }
            if slots.opened < self.size {
                slots.opened += 1;
                drop(slots);
                return match (self.open)() {
                    Ok(service) => Ok(Lease {
                        pool: self,
                        service: Some(service),
                    }),
                    Err(e) => {
                        if let Ok(mut s) = self.state.lock() {
                            s.opened -= 1;
                        }
                        tracing::error!(error = %e, "cannot open the database");
                        Err(ApiError::unavailable("the database cannot be reached"))
                    }
                };
            }
            slots = self.returned.wait(slots).map_err(|_| poisoned())?;
        }
    }

    /// Runs `op` with a service on a blocking thread.
    pub async fn run<T, E, F>(self: &Arc<Self>, op: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        E: Into<ApiError>,
        F: FnOnce(&mut Service) -> Result<T, E> + Send + 'static,
    {
        let pool = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let mut lease = pool.lease()?;
            let service = lease
                .service
                .as_mut()
                .ok_or_else(|| ApiError::internal("a leased service is missing"))?;
            op(service).map_err(Into::into)
        })
        .await
        .map_err(|_| ApiError::internal("the request's worker stopped unexpectedly"))?
    }
}
