//! [`RestoreManager`]: `client.restore()`.

use crate::error::Result;
use crate::executor::Executor;
use crate::mo::{PitrTimestamp, Restore};

/// Restores through an executor: `client.restore()`.
///
/// Snapshot restores are written in the grammar of the server's release line (see
/// [`crate::mo::Dialect`]); 3.x servers need the account for database and table restores, so
/// use [`RestoreManager::restore`] with [`Restore::in_account`] there. MatrixOne refuses
/// restores inside an explicit transaction.
///
/// ```no_run
/// # async fn demo(client: &matrixone::Client) -> matrixone::Result<()> {
/// use matrixone::mo::Restore;
/// client.restore().database("test", "s1").await?;
/// client.restore().database_from_pitr("test", "p1", "2026-01-02 03:04:05").await?;
/// client.restore().restore(Restore::account("acc1").from_snapshot("s1").to_account("acc2")).await?;
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct RestoreManager<'a, E> {
    executor: &'a E,
}

impl<'a, E: Executor> RestoreManager<'a, E> {
    /// A manager running on `executor`.
    pub fn new(executor: &'a E) -> Self {
        RestoreManager { executor }
    }

    /// Runs any [`Restore`].
    pub async fn restore(&self, restore: Restore) -> Result<()> {
        self.executor.run(restore).await
    }

    /// Restores the cluster from `snapshot`.
    pub async fn cluster(&self, snapshot: &str) -> Result<()> {
        self.restore(Restore::cluster().from_snapshot(snapshot)).await
    }

    /// Restores `account` from `snapshot`.
    pub async fn account(&self, account: &str, snapshot: &str) -> Result<()> {
        self.restore(Restore::account(account).from_snapshot(snapshot)).await
    }

    /// Restores `account`'s data from `snapshot` into account `to_account`.
    pub async fn account_to(&self, account: &str, snapshot: &str, to_account: &str) -> Result<()> {
        self.restore(Restore::account(account).from_snapshot(snapshot).to_account(to_account)).await
    }

    /// Restores `database` of the current account from `snapshot` (4.x grammar).
    pub async fn database(&self, database: &str, snapshot: &str) -> Result<()> {
        self.restore(Restore::database(database).from_snapshot(snapshot)).await
    }

    /// Restores `database`.`table` of the current account from `snapshot` (4.x grammar).
    pub async fn table(&self, database: &str, table: &str, snapshot: &str) -> Result<()> {
        self.restore(Restore::table(database, table).from_snapshot(snapshot)).await
    }

    /// Restores the current account from PITR `pitr` as of `at` (server-local time,
    /// `YYYY-MM-DD HH:MM:SS`).
    pub async fn from_pitr(&self, pitr: &str, at: impl Into<PitrTimestamp>) -> Result<()> {
        self.restore(Restore::current_account().from_pitr(pitr, at)).await
    }

    /// Restores the cluster from PITR `pitr` as of `at`.
    pub async fn cluster_from_pitr(&self, pitr: &str, at: impl Into<PitrTimestamp>) -> Result<()> {
        self.restore(Restore::cluster().from_pitr(pitr, at)).await
    }

    /// Restores `account` from PITR `pitr` as of `at`.
    pub async fn account_from_pitr(
        &self,
        account: &str,
        pitr: &str,
        at: impl Into<PitrTimestamp>,
    ) -> Result<()> {
        self.restore(Restore::account(account).from_pitr(pitr, at)).await
    }

    /// Restores `database` from PITR `pitr` as of `at`.
    pub async fn database_from_pitr(
        &self,
        database: &str,
        pitr: &str,
        at: impl Into<PitrTimestamp>,
    ) -> Result<()> {
        self.restore(Restore::database(database).from_pitr(pitr, at)).await
    }

    /// Restores `database`.`table` from PITR `pitr` as of `at`.
    pub async fn table_from_pitr(
        &self,
        database: &str,
        table: &str,
        pitr: &str,
        at: impl Into<PitrTimestamp>,
    ) -> Result<()> {
        self.restore(Restore::table(database, table).from_pitr(pitr, at)).await
    }
}
