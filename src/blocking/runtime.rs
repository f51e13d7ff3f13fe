//! [`Runtime`]: the Tokio runtime a blocking client owns, and the check every blocking call makes
//! first.

use std::future::Future;

use tokio::runtime::{EnterGuard, Handle};

use crate::error::{Error, ErrorKind, Result};

/// A small multi-thread runtime. A call runs its future on the caller's thread
/// (`block_on`, so calls from several threads run side by side); its one worker thread runs what
/// is spawned between calls: the pool's upkeep, returning connections, the rollback of a
/// transaction dropped inside an async context.
pub struct Runtime {
    /// `None` only while dropping.
    rt: Option<tokio::runtime::Runtime>,
}

impl Runtime {
    /// Starts the runtime; refused inside an async runtime.
    pub(crate) fn new() -> Result<Runtime> {
        refuse_inside_async()?;
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("matrixone-blocking")
            .enable_all()
            .build()
            .map_err(|e| {
                Error::new(ErrorKind::Other, format!("cannot start the blocking client's runtime: {e}"))
                    .with_source(e)
            })?;
        Ok(Runtime { rt: Some(rt) })
    }

    /// Runs `future` to completion on this thread. Inside an async runtime it returns
    /// [`ErrorKind::InvalidInput`] without polling `future`.
    pub(crate) fn block_on<T>(&self, future: impl Future<Output = Result<T>>) -> Result<T> {
        refuse_inside_async()?;
        match &self.rt {
            Some(rt) => rt.block_on(future),
            None => Err(Error::new(ErrorKind::Connection, "the blocking client's runtime has shut down")),
        }
    }

    /// Makes this runtime the current one until the guard drops: what the SDK's async types need
    /// when they are dropped, since they may spawn their clean-up.
    pub(crate) fn enter(&self) -> Option<EnterGuard<'_>> {
        self.rt.as_ref().map(tokio::runtime::Runtime::enter)
    }
}

/// Blocking inside an async runtime would stall one of its threads (or, on a current-thread
/// runtime, everything), and Tokio panics when a runtime is started there: refuse with an error.
///
/// Tokio offers no way to tell a `spawn_blocking` thread from a worker, so the former is refused
/// too; there, use the async client with `Handle::current().block_on(..)`.
pub(crate) fn refuse_inside_async() -> Result<()> {
    if Handle::try_current().is_ok() {
        Err(Error::invalid_input(
            "matrixone::blocking was called inside an async runtime, where blocking would stall the \
             runtime: use the async Client inside an async runtime (matrixone::Client, with .await)",
        ))
    } else {
        Ok(())
    }
}

impl Drop for Runtime {
    /// Inside an async runtime a runtime must not wait for its threads: it is let go in the
    /// background instead.
    fn drop(&mut self) {
        if let Some(rt) = self.rt.take() {
            if Handle::try_current().is_ok() {
                rt.shutdown_background();
            } else {
                drop(rt);
            }
        }
    }
}

impl std::fmt::Debug for Runtime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runtime").field("running", &self.rt.is_some()).finish()
    }
}
