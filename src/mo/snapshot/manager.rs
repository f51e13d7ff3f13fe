//! [`SnapshotManager`]: `client.snapshots()`.

use crate::error::{Error, ErrorKind, Result};
use crate::executor::Executor;
use crate::mo::{CreateSnapshot, Snapshot, SnapshotInfo};

/// Snapshots through an executor: `client.snapshots()` or `tx.snapshots()`.
///
/// ```no_run
/// # async fn demo(client: &matrixone::Client) -> matrixone::Result<()> {
/// use matrixone::mo::Snapshot;
/// let info = client.snapshots().create(Snapshot::create("s1").database("test")).await?;
/// assert_eq!(info.database.as_deref(), Some("test"));
/// assert!(client.snapshots().exists("s1").await?);
/// client.snapshots().delete("s1").await?;
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

    /// Creates the snapshot, then reads it back with `SHOW SNAPSHOTS WHERE ...` for its
    /// server-side timestamp.
    ///
    /// When the creation fails, that error is returned as is (e.g.
    /// [`ErrorKind::SnapshotExists`]). When the creation succeeded but the read-back failed, the
    /// error is [`ErrorKind::Other`], says that the snapshot **was created**, and has the
    /// read-back error as its source: the snapshot exists, do not create it again.
    pub async fn create(&self, snapshot: CreateSnapshot) -> Result<SnapshotInfo> {
        let name = snapshot.name().to_owned();
        self.executor.run(snapshot).await?;
        self.get(&name).await.map_err(|e| {
            Error::new(
                ErrorKind::Other,
                format!("snapshot {name:?} was created, but reading it back failed: {}", e.message()),
            )
            .with_source(e)
        })
    }

    /// Every snapshot the current account can see, newest first.
    pub async fn list(&self) -> Result<Vec<SnapshotInfo>> {
        self.executor.run(Snapshot::show()).await
    }

    /// The snapshot called `name`; [`ErrorKind::SnapshotNotFound`] when there is none.
    pub async fn get(&self, name: &str) -> Result<SnapshotInfo> {
        self.executor.run(Snapshot::show().named(name)).await?.into_iter().next().ok_or_else(|| {
            Error::new(ErrorKind::SnapshotNotFound, format!("snapshot {name:?} does not exist"))
        })
    }

    /// Whether a snapshot called `name` exists. An invalid name is an
    /// [`ErrorKind::InvalidInput`] error, not `false`; so is every other failure an error.
    pub async fn exists(&self, name: &str) -> Result<bool> {
        Ok(!self.executor.run(Snapshot::show().named(name)).await?.is_empty())
    }

    /// Drops the snapshot; [`ErrorKind::SnapshotNotFound`] when there is none (run
    /// `Snapshot::drop(name).if_exists()` to ignore that).
    pub async fn delete(&self, name: &str) -> Result<()> {
        self.executor.run(Snapshot::drop(name)).await
    }
}
