//! [`CloneManager`]: `client.clones()`.

use crate::error::Result;
use crate::executor::Executor;
use crate::mo::{Clone, TableRef};

/// Clones through an executor: `client.clones()` or `tx.clones()`.
///
/// For `IF NOT EXISTS` or `TO ACCOUNT`, build a [`crate::mo::Clone`] and run it with
/// [`Executor::run`]. A missing snapshot is the server's error
/// ([`crate::ErrorKind::SnapshotNotFound`]); nothing is checked beforehand.
///
/// ```no_run
/// # async fn demo(client: &matrixone::Client) -> matrixone::Result<()> {
/// client.clones().clone_database("backup_db", "source_db").await?;
/// client.clones().clone_table_with_snapshot("test.backup_t", ("test", "source_t"), "s1").await?;
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
    pub async fn clone_database(&self, target: &str, source: &str) -> Result<()> {
        self.executor.run(Clone::database(target, source)).await
    }

    /// `CREATE TABLE target CLONE source`; tables are `"t"`, `"db.t"` or `("db", "t")`.
    pub async fn clone_table(&self, target: impl Into<TableRef>, source: impl Into<TableRef>) -> Result<()> {
        self.executor.run(Clone::table(target, source)).await
    }

    /// `CREATE DATABASE target CLONE source {SNAPSHOT = 'snapshot'}`.
    pub async fn clone_database_with_snapshot(
        &self,
        target: &str,
        source: &str,
        snapshot: &str,
    ) -> Result<()> {
        self.executor.run(Clone::database(target, source).at_snapshot(snapshot)).await
    }

    /// `CREATE TABLE target CLONE source {SNAPSHOT = 'snapshot'}`.
    pub async fn clone_table_with_snapshot(
        &self,
        target: impl Into<TableRef>,
        source: impl Into<TableRef>,
        snapshot: &str,
    ) -> Result<()> {
        self.executor.run(Clone::table(target, source).at_snapshot(snapshot)).await
    }
}
