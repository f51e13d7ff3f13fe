//! The blocking managers: `client.snapshots()`, `clones()`, `restore()`, `pitr()` and `moctl()`
//! on [`super::Client`] and [`super::Transaction`], method for method the async managers of
//! [`crate::mo`], which they run. The accessors, `branches()`, `publications()` and `accounts()`
//! too (their managers live in `branch.rs`, `publication.rs` and `account.rs`), come from the
//! async side's list (`crate::mo::manager_accessors!`), so the twin cannot miss one.

use super::account::AccountManager;
use super::branch::BranchManager;
use super::executor::Executor;
use super::publication::PublicationManager;
use crate::error::Result;
use crate::mo::{
    self, AlterPitr, CreatePitr, CreateSnapshot, MoCtlResponse, PitrInfo, PitrTimestamp, Restore,
    SnapshotInfo, TableRef,
};

/// Snapshots, blocking: `client.snapshots()`; see [`mo::SnapshotManager`].
///
/// ```no_run
/// # fn demo(client: &matrixone::blocking::Client) -> matrixone::Result<()> {
/// use matrixone::mo::Snapshot;
/// let info = client.snapshots().create(Snapshot::create("s1").database("test"))?;
/// assert!(client.snapshots().exists("s1")?);
/// client.snapshots().delete("s1")?;
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct SnapshotManager<'a, E> {
    executor: &'a E,
}

impl<'a, E: Executor> SnapshotManager<'a, E> {
    /// A manager running on `executor`.
    pub fn new(executor: &'a E) -> Self {
        SnapshotManager { executor }
    }

    /// Creates the snapshot and reads it back; see [`mo::SnapshotManager::create`].
    pub fn create(&self, snapshot: CreateSnapshot) -> Result<SnapshotInfo> {
        self.executor.block(|db| async move { mo::SnapshotManager::new(db).create(snapshot).await })
    }

    /// Every snapshot the current account can see, newest first.
    pub fn list(&self) -> Result<Vec<SnapshotInfo>> {
        self.executor.block(|db| async move { mo::SnapshotManager::new(db).list().await })
    }

    /// The snapshot called `name`; [`crate::ErrorKind::SnapshotNotFound`] when there is none.
    pub fn get(&self, name: &str) -> Result<SnapshotInfo> {
        self.executor.block(|db| async move { mo::SnapshotManager::new(db).get(name).await })
    }

    /// Whether a snapshot called `name` exists.
    pub fn exists(&self, name: &str) -> Result<bool> {
        self.executor.block(|db| async move { mo::SnapshotManager::new(db).exists(name).await })
    }

    /// Drops the snapshot; [`crate::ErrorKind::SnapshotNotFound`] when there is none.
    pub fn delete(&self, name: &str) -> Result<()> {
        self.executor.block(|db| async move { mo::SnapshotManager::new(db).delete(name).await })
    }
}

/// Clones, blocking: `client.clones()`; see [`mo::CloneManager`].
///
/// ```no_run
/// # fn demo(client: &matrixone::blocking::Client) -> matrixone::Result<()> {
/// client.clones().clone_database("backup_db", "source_db")?;
/// client.clones().clone_table_with_snapshot("test.backup_t", ("test", "source_t"), "s1")?;
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct CloneManager<'a, E> {
    executor: &'a E,
}

impl<'a, E: Executor> CloneManager<'a, E> {
    /// A manager running on `executor`.
    pub fn new(executor: &'a E) -> Self {
        CloneManager { executor }
    }

    /// `CREATE DATABASE target CLONE source`.
    pub fn clone_database(&self, target: &str, source: &str) -> Result<()> {
        self.executor
            .block(|db| async move { mo::CloneManager::new(db).clone_database(target, source).await })
    }

    /// `CREATE TABLE target CLONE source`; tables are `"t"`, `"db.t"` or `("db", "t")`.
    pub fn clone_table(&self, target: impl Into<TableRef>, source: impl Into<TableRef>) -> Result<()> {
        let (target, source) = (target.into(), source.into());
        self.executor.block(|db| async move { mo::CloneManager::new(db).clone_table(target, source).await })
    }

    /// `CREATE DATABASE target CLONE source {SNAPSHOT = 'snapshot'}`.
    pub fn clone_database_with_snapshot(&self, target: &str, source: &str, snapshot: &str) -> Result<()> {
        self.executor.block(|db| async move {
            mo::CloneManager::new(db).clone_database_with_snapshot(target, source, snapshot).await
        })
    }

    /// `CREATE TABLE target CLONE source {SNAPSHOT = 'snapshot'}`.
    pub fn clone_table_with_snapshot(
        &self,
        target: impl Into<TableRef>,
        source: impl Into<TableRef>,
        snapshot: &str,
    ) -> Result<()> {
        let (target, source) = (target.into(), source.into());
        self.executor.block(|db| async move {
            mo::CloneManager::new(db).clone_table_with_snapshot(target, source, snapshot).await
        })
    }
}

/// Restores, blocking: `client.restore()`; see [`mo::RestoreManager`].
///
/// ```no_run
/// # fn demo(client: &matrixone::blocking::Client) -> matrixone::Result<()> {
/// client.restore().database("test", "s1")?;
/// client.restore().table_from_pitr("test", "users", "p1", "2026-01-02 03:04:05")?;
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
    pub fn restore(&self, restore: Restore) -> Result<()> {
        self.executor.block(|db| async move { mo::RestoreManager::new(db).restore(restore).await })
    }

    /// Restores the cluster from `snapshot`.
    pub fn cluster(&self, snapshot: &str) -> Result<()> {
        self.executor.block(|db| async move { mo::RestoreManager::new(db).cluster(snapshot).await })
    }

    /// Restores `account` from `snapshot`.
    pub fn account(&self, account: &str, snapshot: &str) -> Result<()> {
        self.executor.block(|db| async move { mo::RestoreManager::new(db).account(account, snapshot).await })
    }

    /// Restores `account`'s data from `snapshot` into account `to_account`.
    pub fn account_to(&self, account: &str, snapshot: &str, to_account: &str) -> Result<()> {
        self.executor.block(|db| async move {
            mo::RestoreManager::new(db).account_to(account, snapshot, to_account).await
        })
    }

    /// Restores `database` of the current account from `snapshot`.
    pub fn database(&self, database: &str, snapshot: &str) -> Result<()> {
        self.executor
            .block(|db| async move { mo::RestoreManager::new(db).database(database, snapshot).await })
    }

    /// Restores `database`.`table` of the current account from `snapshot`.
    pub fn table(&self, database: &str, table: &str, snapshot: &str) -> Result<()> {
        self.executor
            .block(|db| async move { mo::RestoreManager::new(db).table(database, table, snapshot).await })
    }

    /// Restores the current account from PITR `pitr` as of `at`.
    pub fn from_pitr(&self, pitr: &str, at: impl Into<PitrTimestamp>) -> Result<()> {
        let at = at.into();
        self.executor.block(|db| async move { mo::RestoreManager::new(db).from_pitr(pitr, at).await })
    }

    /// Restores the cluster from PITR `pitr` as of `at`.
    pub fn cluster_from_pitr(&self, pitr: &str, at: impl Into<PitrTimestamp>) -> Result<()> {
        let at = at.into();
        self.executor.block(|db| async move { mo::RestoreManager::new(db).cluster_from_pitr(pitr, at).await })
    }

    /// Restores `account` from PITR `pitr` as of `at`.
    pub fn account_from_pitr(&self, account: &str, pitr: &str, at: impl Into<PitrTimestamp>) -> Result<()> {
        let at = at.into();
        self.executor
            .block(|db| async move { mo::RestoreManager::new(db).account_from_pitr(account, pitr, at).await })
    }

    /// Restores `database` from PITR `pitr` as of `at`.
    pub fn database_from_pitr(&self, database: &str, pitr: &str, at: impl Into<PitrTimestamp>) -> Result<()> {
        let at = at.into();
        self.executor.block(|db| async move {
            mo::RestoreManager::new(db).database_from_pitr(database, pitr, at).await
        })
    }

    /// Restores `database`.`table` from PITR `pitr` as of `at`.
    pub fn table_from_pitr(
        &self,
        database: &str,
        table: &str,
        pitr: &str,
        at: impl Into<PitrTimestamp>,
    ) -> Result<()> {
        let at = at.into();
        self.executor.block(|db| async move {
            mo::RestoreManager::new(db).table_from_pitr(database, table, pitr, at).await
        })
    }
}

/// PITRs, blocking: `client.pitr()`; see [`mo::PitrManager`].
///
/// ```no_run
/// # fn demo(client: &matrixone::blocking::Client) -> matrixone::Result<()> {
/// use matrixone::mo::{Pitr, PitrUnit};
/// let info = client.pitr().create(Pitr::create("p1").database("test").range(1, PitrUnit::Day))?;
/// client.pitr().delete("p1")?;
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct PitrManager<'a, E> {
    executor: &'a E,
}

impl<'a, E: Executor> PitrManager<'a, E> {
    /// A manager running on `executor`.
    pub fn new(executor: &'a E) -> Self {
        PitrManager { executor }
    }

    /// Creates the PITR and reads it back; see [`mo::PitrManager::create`].
    pub fn create(&self, pitr: CreatePitr) -> Result<PitrInfo> {
        self.executor.block(|db| async move { mo::PitrManager::new(db).create(pitr).await })
    }

    /// Every PITR the current account created.
    pub fn list(&self) -> Result<Vec<PitrInfo>> {
        self.executor.block(|db| async move { mo::PitrManager::new(db).list().await })
    }

    /// The PITR called `name`; [`crate::ErrorKind::PitrNotFound`] when there is none.
    pub fn get(&self, name: &str) -> Result<PitrInfo> {
        self.executor.block(|db| async move { mo::PitrManager::new(db).get(name).await })
    }

    /// Whether a PITR called `name` exists.
    pub fn exists(&self, name: &str) -> Result<bool> {
        self.executor.block(|db| async move { mo::PitrManager::new(db).exists(name).await })
    }

    /// Changes a PITR's range.
    pub fn alter(&self, alter: AlterPitr) -> Result<()> {
        self.executor.block(|db| async move { mo::PitrManager::new(db).alter(alter).await })
    }

    /// Drops the PITR; [`crate::ErrorKind::PitrNotFound`] when there is none.
    pub fn delete(&self, name: &str) -> Result<()> {
        self.executor.block(|db| async move { mo::PitrManager::new(db).delete(name).await })
    }
}

/// `mo_ctl`, blocking, with the answer checked: `client.moctl()`; see [`mo::MoCtlManager`].
///
/// ```no_run
/// # fn demo(client: &matrixone::blocking::Client) -> matrixone::Result<()> {
/// client.moctl().flush_table("db1", "users")?;
/// client.moctl().checkpoint()?;
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct MoCtlManager<'a, E> {
    executor: &'a E,
}

impl<'a, E: Executor> MoCtlManager<'a, E> {
    /// A manager running on `executor`.
    pub fn new(executor: &'a E) -> Self {
        MoCtlManager { executor }
    }

    /// `mo_ctl('dn', 'flush', 'db.table')`.
    pub fn flush_table(&self, database: &str, table: &str) -> Result<MoCtlResponse> {
        self.executor.block(|db| async move { mo::MoCtlManager::new(db).flush_table(database, table).await })
    }

    /// `mo_ctl('dn', 'checkpoint', '')`, an incremental checkpoint.
    pub fn checkpoint(&self) -> Result<MoCtlResponse> {
        self.executor.block(|db| async move { mo::MoCtlManager::new(db).checkpoint().await })
    }

    /// `mo_ctl('dn', 'globalcheckpoint', '')`.
    pub fn global_checkpoint(&self) -> Result<MoCtlResponse> {
        self.executor.block(|db| async move { mo::MoCtlManager::new(db).global_checkpoint().await })
    }

    /// Any `mo_ctl(service, method, argument)` whose answer is a list of `returnStr: "OK"`.
    pub fn call(&self, service: &str, method: &str, argument: &str) -> Result<MoCtlResponse> {
        self.executor
            .block(|db| async move { mo::MoCtlManager::new(db).call(service, method, argument).await })
    }
}

/// Vector indexes, blocking: `client.vector_indexes()`; see [`mo::vector::VectorIndexManager`].
///
/// ```no_run
/// # fn demo(client: &matrixone::blocking::Client) -> matrixone::Result<()> {
/// use matrixone::mo::vector::VectorIndex;
/// client.vector_indexes().create(VectorIndex::ivfflat("idx", "docs", "emb").lists(4))?;
/// assert!(client.vector_indexes().exists("docs", "idx")?);
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct VectorIndexManager<'a, E> {
    executor: &'a E,
}

impl<'a, E: Executor> VectorIndexManager<'a, E> {
    /// A manager running on `executor`.
    pub fn new(executor: &'a E) -> Self {
        VectorIndexManager { executor }
    }

    /// Creates the index; see [`mo::vector::VectorIndexManager::create`].
    pub fn create(&self, index: mo::vector::CreateVectorIndex) -> Result<()> {
        self.executor.block(|db| async move { mo::vector::VectorIndexManager::new(db).create(index).await })
    }

    /// Drops the index `name` of `table`.
    pub fn drop(&self, table: &str, name: &str) -> Result<()> {
        self.executor
            .block(|db| async move { mo::vector::VectorIndexManager::new(db).drop(table, name).await })
    }

    /// Rebuilds the IVF-FLAT index `name` of `table` with `lists` clusters.
    pub fn reindex(&self, table: &str, name: &str, lists: u32) -> Result<()> {
        self.executor.block(|db| async move {
            mo::vector::VectorIndexManager::new(db).reindex(table, name, lists).await
        })
    }

    /// The indexes of `table`, one entry per index and column.
    pub fn list(&self, table: &str) -> Result<Vec<mo::vector::IndexInfo>> {
        self.executor.block(|db| async move { mo::vector::VectorIndexManager::new(db).list(table).await })
    }

    /// Whether `table` has an index called `name`.
    pub fn exists(&self, table: &str, name: &str) -> Result<bool> {
        self.executor
            .block(|db| async move { mo::vector::VectorIndexManager::new(db).exists(table, name).await })
    }
}

// `client.snapshots()` and the rest: the same list as the async accessors, naming this module's
// managers.
crate::mo::manager_accessors!(super::Client, super::Transaction);
