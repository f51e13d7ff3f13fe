//! The blocking [`Transaction`].

use super::client::Client;
use super::executor::sealed::Blocking;
use super::runtime::{Runtime, refuse_inside_async};
use crate::error::{Error, ErrorKind, Result};

/// A transaction on a connection of its own: the async [`crate::Transaction`], blocking.
/// Implements [`super::Executor`], and has the managers (`tx.snapshots()`, `tx.clones()`, ...).
///
/// End it with [`Transaction::commit`] or [`Transaction::rollback`]. Dropping it without either
/// rolls back, and the rollback is done before `drop` returns (inside an async runtime, where
/// the drop must not wait, it is done on the client's runtime in the background).
pub struct Transaction {
    /// `None` once committed or rolled back.
    tx: Option<crate::Transaction>,
    client: Client,
}

impl Transaction {
    pub(crate) fn new(tx: crate::Transaction, client: Client) -> Transaction {
        Transaction { tx: Some(tx), client }
    }

    /// Commits everything the transaction did; see [`crate::Transaction::commit`].
    pub fn commit(mut self) -> Result<()> {
        self.end(true)
    }

    /// Undoes everything the transaction did.
    pub fn rollback(mut self) -> Result<()> {
        self.end(false)
    }

    fn end(&mut self, commit: bool) -> Result<()> {
        // Checked before the transaction moves into a future: refused, it stays here for `drop`
        // to roll back on the client's runtime.
        refuse_inside_async()?;
        let tx = self.tx.take().ok_or_else(ended)?;
        self.client
            .runtime()
            .block_on(async move { if commit { tx.commit().await } else { tx.rollback().await } })
    }
}

fn ended() -> Error {
    Error::new(ErrorKind::Other, "the transaction has already ended")
}

impl Blocking for Transaction {
    type Async = crate::Transaction;

    fn parts(&self) -> Result<(&Runtime, &crate::Transaction)> {
        Ok((self.client.runtime(), self.tx.as_ref().ok_or_else(ended)?))
    }
}

impl Drop for Transaction {
    fn drop(&mut self) {
        let Some(tx) = self.tx.take() else { return };
        let runtime = self.client.runtime();
        if refuse_inside_async().is_ok() {
            if let Err(e) = runtime.block_on(tx.rollback()) {
                tracing::warn!(target: "matrixone::transaction", error = %e, "rollback on drop failed");
            }
        } else {
            // The async transaction's own drop spawns the rollback on the current runtime.
            let _enter = runtime.enter();
            drop(tx);
        }
    }
}

impl std::fmt::Debug for Transaction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transaction")
            .field("options", self.client.options())
            .field("ended", &self.tx.is_none())
            .finish_non_exhaustive()
    }
}
