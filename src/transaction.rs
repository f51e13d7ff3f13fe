//! [`Transaction`]: statements on one connection, committed or rolled back together.

use std::sync::Arc;

use tokio::sync::Mutex;

use crate::error::{Error, ErrorKind, Result};
use crate::executor::sealed::{Connection, ConnectionGuard};
use crate::shared::Shared;

/// A transaction on a connection of its own. Implements [`crate::Executor`], so every method a
/// [`crate::Client`] has for running SQL works here too, and the MatrixOne managers
/// (`tx.snapshots()`, `tx.clones()`, ...) run inside it.
///
/// End it with [`Transaction::commit`] or [`Transaction::rollback`]. Dropping it without either
/// rolls back: the rollback is sent before the connection is used again.
pub struct Transaction {
    shared: Arc<Shared>,
    inner: Mutex<Option<sqlx::Transaction<'static, sqlx::MySql>>>,
}

impl Transaction {
    pub(crate) fn new(shared: Arc<Shared>, tx: sqlx::Transaction<'static, sqlx::MySql>) -> Transaction {
        Transaction { shared, inner: Mutex::new(Some(tx)) }
    }

    async fn take(&self) -> Result<sqlx::Transaction<'static, sqlx::MySql>> {
        self.inner
            .lock()
            .await
            .take()
            .ok_or_else(|| Error::new(ErrorKind::Other, "the transaction has already ended"))
    }

    /// Commits everything the transaction did.
    pub async fn commit(self) -> Result<()> {
        let started = std::time::Instant::now();
        let result = self.take().await?.commit().await.map_err(Error::from);
        self.shared.log_statement("COMMIT", started.elapsed(), 0, 0, result.as_ref().err());
        result
    }

    /// Undoes everything the transaction did.
    pub async fn rollback(self) -> Result<()> {
        let started = std::time::Instant::now();
        let result = self.take().await?.rollback().await.map_err(Error::from);
        self.shared.log_statement("ROLLBACK", started.elapsed(), 0, 0, result.as_ref().err());
        result
    }
}

impl Connection for Transaction {
    async fn connection(&self) -> Result<ConnectionGuard<'_>> {
        Ok(ConnectionGuard::Transaction(self.inner.lock().await))
    }

    fn shared(&self) -> &Shared {
        &self.shared
    }
}

impl std::fmt::Debug for Transaction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transaction").field("options", &self.shared.options).finish_non_exhaustive()
    }
}
