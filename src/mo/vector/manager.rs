//! [`VectorIndexManager`]: `client.vector_indexes()`.

use crate::error::Result;
use crate::executor::Executor;
use crate::mo::vector::{CreateVectorIndex, IndexInfo, ShowIndex, VectorIndex};

/// Vector indexes through an executor: `client.vector_indexes()` or `tx.vector_indexes()`.
///
/// ```no_run
/// # async fn demo(client: &matrixone::Client) -> matrixone::Result<()> {
/// use matrixone::mo::vector::{Metric, VectorIndex};
/// client.vector_indexes().create(VectorIndex::ivfflat("idx", "docs", "emb").lists(4).op_type(Metric::Cosine)).await?;
/// assert!(client.vector_indexes().exists("docs", "idx").await?);
/// client.vector_indexes().reindex("docs", "idx", 8).await?;
/// client.vector_indexes().drop("docs", "idx").await?;
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

    /// Creates the index (IVF-FLAT or HNSW). On MatrixOne, HNSW needs
    /// `experimental_hnsw_index = 1` in the session: set it for every pooled connection with
    /// [`crate::ConnectOptions::session_variable`].
    pub async fn create(&self, index: CreateVectorIndex) -> Result<()> {
        self.executor.run(index).await
    }

    /// Drops the index `name` of `table`.
    pub async fn drop(&self, table: &str, name: &str) -> Result<()> {
        self.executor.run(VectorIndex::drop(name, table)).await
    }

    /// Rebuilds the IVF-FLAT index `name` of `table` with `lists` clusters.
    pub async fn reindex(&self, table: &str, name: &str, lists: u32) -> Result<()> {
        self.executor.run(VectorIndex::reindex(name, table, lists)).await
    }

    /// The indexes of `table` (`SHOW INDEX`), one entry per index and column.
    pub async fn list(&self, table: &str) -> Result<Vec<IndexInfo>> {
        self.executor.run(ShowIndex { database: None, table: table.to_owned() }).await
    }

    /// Whether `table` has an index called `name` (names compare case-insensitively, as
    /// MySQL's and MatrixOne's index names do).
    pub async fn exists(&self, table: &str, name: &str) -> Result<bool> {
        Ok(self.list(table).await?.iter().any(|i| i.name.eq_ignore_ascii_case(name)))
    }
}
