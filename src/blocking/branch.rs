//! The blocking [`BranchManager`]: `client.branches()` and `tx.branches()`, method for method
//! [`mo::BranchManager`], which it runs.

use super::executor::Executor;
use crate::error::Result;
use crate::mo::{self, DiffRows, DiffSummary, OnConflict, TableRef};

/// DATA BRANCH, blocking: `client.branches()` or `tx.branches()`; see [`mo::BranchManager`]
/// (MatrixOne 3.0.5 or later; elsewhere [`crate::ErrorKind::UnsupportedServer`] before anything
/// is sent). The same transaction rules: on a [`super::Transaction`], CREATE, DELETE and MERGE
/// run inside it; DIFF and PICK are refused. For the forms the methods leave out, run a
/// [`mo::Branch`] builder with [`Executor::run`].
///
/// ```no_run
/// # fn demo(client: &matrixone::blocking::Client) -> matrixone::Result<()> {
/// use matrixone::blocking::Executor;
/// use matrixone::mo::{DiffSide, OnConflict};
/// client.branches().create_table("test.dev", "test.main")?;
/// client.execute("UPDATE test.dev SET name = 'Bobby' WHERE id = 2")?;
/// let diff = client.branches().diff("test.dev", "test.main")?;
/// assert!(diff.iter().all(|row| row.side == DiffSide::Target));
/// client.branches().merge("test.dev", "test.main", OnConflict::Skip)?;
/// client.branches().delete_table("test.dev")?;
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct BranchManager<'a, E> {
    executor: &'a E,
}

impl<'a, E: Executor> BranchManager<'a, E> {
    /// A manager running on `executor`.
    pub fn new(executor: &'a E) -> Self {
        BranchManager { executor }
    }

    /// Branches table `source` into a new table `target`; see [`mo::BranchManager::create_table`].
    pub fn create_table(&self, target: impl Into<TableRef>, source: impl Into<TableRef>) -> Result<()> {
        let (target, source) = (target.into(), source.into());
        self.executor.block(|db| async move { mo::BranchManager::new(db).create_table(target, source).await })
    }

    /// Branches table `source`, as it was at `snapshot`, into a new table `target`.
    pub fn create_table_at(
        &self,
        target: impl Into<TableRef>,
        source: impl Into<TableRef>,
        snapshot: &str,
    ) -> Result<()> {
        let (target, source) = (target.into(), source.into());
        self.executor.block(|db| async move {
            mo::BranchManager::new(db).create_table_at(target, source, snapshot).await
        })
    }

    /// Branches database `source` into a new database `target`.
    pub fn create_database(&self, target: &str, source: &str) -> Result<()> {
        self.executor
            .block(|db| async move { mo::BranchManager::new(db).create_database(target, source).await })
    }

    /// Deletes a branch table.
    pub fn delete_table(&self, table: impl Into<TableRef>) -> Result<()> {
        let table = table.into();
        self.executor.block(|db| async move { mo::BranchManager::new(db).delete_table(table).await })
    }

    /// Deletes a branch database.
    pub fn delete_database(&self, database: &str) -> Result<()> {
        self.executor.block(|db| async move { mo::BranchManager::new(db).delete_database(database).await })
    }

    /// The rows that differ between `target` and `base`; see [`mo::BranchManager::diff`].
    pub fn diff(&self, target: impl Into<TableRef>, base: impl Into<TableRef>) -> Result<DiffRows> {
        let (target, base) = (target.into(), base.into());
        self.executor.block(|db| async move { mo::BranchManager::new(db).diff(target, base).await })
    }

    /// How many rows differ.
    pub fn diff_count(&self, target: impl Into<TableRef>, base: impl Into<TableRef>) -> Result<u64> {
        let (target, base) = (target.into(), base.into());
        self.executor.block(|db| async move { mo::BranchManager::new(db).diff_count(target, base).await })
    }

    /// Rows inserted, deleted and updated on each side.
    pub fn diff_summary(
        &self,
        target: impl Into<TableRef>,
        base: impl Into<TableRef>,
    ) -> Result<DiffSummary> {
        let (target, base) = (target.into(), base.into());
        self.executor.block(|db| async move { mo::BranchManager::new(db).diff_summary(target, base).await })
    }

    /// Merges `source` into `target` with a conflict policy; under [`OnConflict::Fail`] a
    /// conflict is a [`crate::ErrorKind::BranchConflict`] error ([`mo::BranchConflict`]).
    pub fn merge(
        &self,
        source: impl Into<TableRef>,
        target: impl Into<TableRef>,
        on_conflict: OnConflict,
    ) -> Result<()> {
        let (source, target) = (source.into(), target.into());
        self.executor
            .block(|db| async move { mo::BranchManager::new(db).merge(source, target, on_conflict).await })
    }

    /// Applies the changes of the rows with these keys from `source` to `target`; refused on a
    /// [`super::Transaction`] (MatrixOne runs PICK only outside one).
    pub fn pick<I, V>(
        &self,
        source: impl Into<TableRef>,
        target: impl Into<TableRef>,
        keys: I,
        on_conflict: OnConflict,
    ) -> Result<()>
    where
        I: IntoIterator<Item = V>,
        V: Into<crate::Value>,
    {
        // What mo::BranchManager::pick runs (its future borrows the manager it is called on).
        self.executor.run(mo::Branch::pick(source, target).keys(keys).on_conflict(on_conflict))
    }
}
