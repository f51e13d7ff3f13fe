//! [`BranchManager`]: `client.branches()` and `tx.branches()`.

use crate::error::Result;
use crate::executor::Executor;
use crate::mo::{Branch, DiffRows, DiffSummary, OnConflict, TableRef};

/// DATA BRANCH through an executor: `client.branches()` or `tx.branches()`.
///
/// Each method runs one statement of [`Branch`]; use `executor.run(Branch::...)` for the forms
/// it does not cover (snapshots on either side of a DIFF, `COLUMNS`, `OUTPUT AS`/`FILE`, PICK by
/// subquery or between snapshots). On a [`crate::Transaction`], CREATE, DELETE and MERGE run
/// inside it; PICK is refused before anything is sent (MatrixOne runs it only outside one,
/// pkg/frontend/stmt_kind.go), and so is DIFF, though MatrixOne would run it: its rows carry
/// MatrixOne's own column types, which the SDK reads through a relayed connection of its own
/// (`crate::relay`), where the transaction's changes are not visible (an
/// [`crate::ErrorKind::InvalidInput`] error; run it before BEGIN or after COMMIT).
/// On a server older than MatrixOne 3.0.5, or not MatrixOne, every method fails with
/// [`crate::ErrorKind::UnsupportedServer`] before sending anything.
///
/// ```no_run
/// # async fn demo(client: &matrixone::Client) -> matrixone::Result<()> {
/// use matrixone::Executor;
/// use matrixone::mo::{DiffSide, OnConflict};
/// client.branches().create_table("test.dev", "test.main").await?;
/// client.execute("UPDATE test.dev SET name = 'Bobby' WHERE id = 2").await?;
/// let diff = client.branches().diff("test.dev", "test.main").await?;
/// assert!(diff.iter().all(|row| row.side == DiffSide::Target));
/// client.branches().merge("test.dev", "test.main", OnConflict::Skip).await?;
/// client.branches().delete_table("test.dev").await?;
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

    /// Branches table `source` into a new table `target`.
    pub async fn create_table(&self, target: impl Into<TableRef>, source: impl Into<TableRef>) -> Result<()> {
        self.executor.run(Branch::create_table(target, source)).await
    }

    /// Branches table `source`, as it was at `snapshot`, into a new table `target`.
    pub async fn create_table_at(
        &self,
        target: impl Into<TableRef>,
        source: impl Into<TableRef>,
        snapshot: &str,
    ) -> Result<()> {
        self.executor.run(Branch::create_table(target, source).at_snapshot(snapshot)).await
    }

    /// Branches database `source` into a new database `target`.
    pub async fn create_database(&self, target: &str, source: &str) -> Result<()> {
        self.executor.run(Branch::create_database(target, source)).await
    }

    /// Deletes a branch table.
    pub async fn delete_table(&self, table: impl Into<TableRef>) -> Result<()> {
        self.executor.run(Branch::delete_table(table)).await
    }

    /// Deletes a branch database.
    pub async fn delete_database(&self, database: &str) -> Result<()> {
        self.executor.run(Branch::delete_database(database)).await
    }

    /// The rows that differ between `target` and `base`.
    pub async fn diff(&self, target: impl Into<TableRef>, base: impl Into<TableRef>) -> Result<DiffRows> {
        self.executor.run(Branch::diff(target, base)).await
    }

    /// How many rows differ.
    pub async fn diff_count(&self, target: impl Into<TableRef>, base: impl Into<TableRef>) -> Result<u64> {
        self.executor.run(Branch::diff(target, base).count()).await
    }

    /// Rows inserted, deleted and updated on each side.
    pub async fn diff_summary(
        &self,
        target: impl Into<TableRef>,
        base: impl Into<TableRef>,
    ) -> Result<DiffSummary> {
        self.executor.run(Branch::diff(target, base).summary()).await
    }

    /// Merges `source` into `target` with a conflict policy; under [`OnConflict::Fail`] a
    /// conflict is an [`crate::ErrorKind::BranchConflict`] error ([`crate::mo::BranchConflict`]).
    pub async fn merge(
        &self,
        source: impl Into<TableRef>,
        target: impl Into<TableRef>,
        on_conflict: OnConflict,
    ) -> Result<()> {
        self.executor.run(Branch::merge(source, target).on_conflict(on_conflict)).await
    }

    /// Applies the changes of the rows with these keys from `source` to `target`. MatrixOne
    /// runs PICK only outside a transaction: on a [`crate::Transaction`] it is refused.
    pub fn pick<I, V>(
        &self,
        source: impl Into<TableRef>,
        target: impl Into<TableRef>,
        keys: I,
        on_conflict: OnConflict,
    ) -> impl Future<Output = Result<()>> + Send + 'a
    where
        I: IntoIterator<Item = V>,
        V: Into<crate::Value>,
    {
        let stmt = Branch::pick(source, target).keys(keys).on_conflict(on_conflict);
        let executor = self.executor;
        async move { executor.run(stmt).await }
    }
}
