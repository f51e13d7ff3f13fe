//! [`PitrManager`]: `client.pitr()`.

use crate::error::{Error, ErrorKind, Result};
use crate::executor::Executor;
use crate::mo::{AlterPitr, CreatePitr, Pitr, PitrInfo};

/// PITRs through an executor: `client.pitr()`.
///
/// ```no_run
/// # async fn demo(client: &matrixone::Client) -> matrixone::Result<()> {
/// use matrixone::mo::{Pitr, PitrUnit};
/// let info = client.pitr().create(Pitr::create("p1").database("test").range(1, PitrUnit::Day)).await?;
/// assert_eq!(info.length, 1);
/// client.pitr().alter(Pitr::alter("p1").range(2, PitrUnit::Day)).await?;
/// client.pitr().delete("p1").await?;
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

    /// Creates the PITR, then reads it back with `SHOW PITR WHERE ...`.
    ///
    /// When the creation fails, that error is returned as is (e.g. [`ErrorKind::PitrExists`]).
    /// When it succeeded but the read-back failed, the error is [`ErrorKind::Other`], says that
    /// the PITR **was created**, and has the read-back error as its source.
    pub async fn create(&self, pitr: CreatePitr) -> Result<PitrInfo> {
        let name = pitr.name().to_owned();
        self.executor.run(pitr).await?;
        self.get(&name).await.map_err(|e| {
            Error::new(
                ErrorKind::Other,
                format!("PITR {name:?} was created, but reading it back failed: {}", e.message()),
            )
            .with_source(e)
        })
    }

    /// Every PITR the current account created.
    pub async fn list(&self) -> Result<Vec<PitrInfo>> {
        self.executor.run(Pitr::show()).await
    }

    /// The PITR called `name`; [`ErrorKind::PitrNotFound`] when there is none.
    pub async fn get(&self, name: &str) -> Result<PitrInfo> {
        self.executor
            .run(Pitr::show().named(name))
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| Error::new(ErrorKind::PitrNotFound, format!("PITR {name:?} does not exist")))
    }

    /// Whether a PITR called `name` exists (an invalid name is an error, not `false`).
    pub async fn exists(&self, name: &str) -> Result<bool> {
        Ok(!self.executor.run(Pitr::show().named(name)).await?.is_empty())
    }

    /// Changes a PITR's range; [`ErrorKind::PitrNotFound`] when there is none (unless
    /// [`AlterPitr::if_exists`]).
    pub async fn alter(&self, alter: AlterPitr) -> Result<()> {
        self.executor.run(alter).await
    }

    /// Drops the PITR; [`ErrorKind::PitrNotFound`] when there is none.
    pub async fn delete(&self, name: &str) -> Result<()> {
        self.executor.run(Pitr::drop(name)).await
    }
}
