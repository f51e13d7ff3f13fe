//! [`Transaction`]: statements on one connection, committed or rolled back together.

use std::sync::Arc;

use tokio::sync::Mutex;

use crate::error::{Error, ErrorKind, Result};
use crate::executor::sealed::{Connection, ConnectionGuard};
use crate::lease::Lease;
use crate::shared::Shared;
use crate::sql::EscapeMode;

/// A transaction on a connection of its own. Implements [`crate::Executor`], so every method a
/// [`crate::Client`] has for running SQL works here too, and the MatrixOne managers
/// (`tx.snapshots()`, `tx.clones()`, ...) run inside it.
///
/// End it with [`Transaction::commit`] or [`Transaction::rollback`]. Dropping it without either
/// rolls back: the rollback is sent before the connection goes back to the pool.
///
/// Its connection is closed rather than returned to the pool when the transaction cannot leave a
/// clean session behind: a statement, `BEGIN`, `COMMIT` or `ROLLBACK` was cancelled before its
/// answer arrived (its outcome is unknown; the server rolls back what is open when the connection
/// closes), or a statement changed the session (`SET`, `USE`, `LOCK TABLES`, a temporary table),
/// which a transaction may do but a later caller must not inherit.
pub struct Transaction {
    shared: Arc<Shared>,
    state: Mutex<TxState>,
}

/// The transaction's connection and what the SDK knows about its session.
pub struct TxState {
    /// `None` once committed or rolled back.
    lease: Option<Lease>,
    /// How this session reads string literals; a `SET` in the transaction may change it.
    pub(crate) escape_mode: EscapeMode,
}

impl TxState {
    /// The connection for a statement, or why there is none.
    pub(crate) fn lease(&mut self) -> Result<&mut Lease> {
        match self.lease.as_mut() {
            None => Err(Error::new(ErrorKind::Other, "the transaction has already ended")),
            Some(lease) if lease.is_interrupted() => Err(Error::new(
                ErrorKind::Connection,
                "a statement of this transaction was cancelled before it finished, so its outcome \
                 is unknown; roll the transaction back (its connection is closed) and retry it",
            )),
            Some(lease) => Ok(lease),
        }
    }

    /// Sends COMMIT or ROLLBACK. The lease stays in place while the answer is awaited, so a
    /// cancelled COMMIT closes the connection instead of returning it.
    async fn end(&mut self, commit: bool) -> Result<()> {
        let lease = self.lease()?;
        let sql = if commit { "COMMIT" } else { "ROLLBACK" };
        let ended = sqlx::Executor::execute(lease.start(), sql).await;
        lease.done();
        if ended.is_err() {
            // The server's view of the transaction is not certain after a failed COMMIT.
            lease.discard();
        }
        self.lease = None;
        ended.map(drop).map_err(|e| {
            let err = Error::from(e);
            if commit && err.kind() == ErrorKind::Connection {
                // The COMMIT may have been carried out before the connection broke.
                Error::new(
                    ErrorKind::CommitUnknown,
                    format!(
                        "the connection was lost during COMMIT, so whether the transaction was \
                         committed is unknown; check the data before doing it again ({})",
                        err.message()
                    ),
                )
                .with_source(err)
            } else {
                err
            }
        })
    }
}

impl Transaction {
    /// Sends `BEGIN` on `lease`. Cancelled before the answer arrives, the lease closes the
    /// connection: a transaction may have been opened on it, and it must never reach the pool.
    pub(crate) async fn begin(shared: Arc<Shared>, mut lease: Lease) -> Result<Transaction> {
        sqlx::Executor::execute(lease.start(), "BEGIN").await?;
        lease.done();
        let escape_mode = shared.escape_mode();
        Ok(Transaction { shared, state: Mutex::new(TxState { lease: Some(lease), escape_mode }) })
    }

    /// Commits everything the transaction did.
    pub async fn commit(self) -> Result<()> {
        self.end(true).await
    }

    /// Undoes everything the transaction did.
    pub async fn rollback(self) -> Result<()> {
        self.end(false).await
    }

    async fn end(&self, commit: bool) -> Result<()> {
        let started = std::time::Instant::now();
        let result = self.state.lock().await.end(commit).await;
        let sql = if commit { "COMMIT" } else { "ROLLBACK" };
        self.shared.log_statement(sql, started.elapsed(), 0, 0, result.as_ref().err());
        result
    }
}

impl Drop for Transaction {
    /// Rolls back on a task of its own, holding the connection until the server answered; without
    /// a runtime to run it, or after an interrupted statement, the connection is closed instead
    /// (the server rolls back an open transaction when its connection closes).
    fn drop(&mut self) {
        let Some(mut lease) = self.state.get_mut().lease.take() else { return };
        if lease.is_interrupted() {
            return;
        }
        // Busy from now on: should the task never run (a runtime shutting down), the lease is
        // dropped busy and its connection closed, never pooled with the transaction open. There
        // is no statement to KILL.
        let _ = lease.start();
        lease.killed();
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => {
                runtime.spawn(async move {
                    if sqlx::Executor::execute(lease.start(), "ROLLBACK").await.is_ok() {
                        lease.done();
                    }
                });
            }
            Err(_) => drop(lease),
        }
    }
}

impl Connection for Transaction {
    async fn connection(&self) -> Result<ConnectionGuard<'_>> {
        Ok(ConnectionGuard::Transaction(self.state.lock().await))
    }

    fn shared(&self) -> &Shared {
        &self.shared
    }

    fn in_transaction(&self) -> bool {
        true
    }

    fn client(&self) -> crate::Client {
        crate::Client::from_shared(self.shared.clone())
    }

    async fn begin_atomic(&self) -> Result<Option<Transaction>> {
        Ok(None)
    }
}

impl std::fmt::Debug for Transaction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transaction").field("options", &self.shared.options).finish_non_exhaustive()
    }
}
