//! [`MoCtlManager`]: `client.moctl()`.

use crate::error::Result;
use crate::executor::Executor;
use crate::mo::{MoCtl, MoCtlResponse};

/// `mo_ctl` through an executor, with the answer checked: `client.moctl()`. Usually needs the
/// sys account.
///
/// Every method fails with [`crate::ErrorKind::Other`], carrying the server's text, when the
/// answer is not OK by [`MoCtlResponse::is_ok`]. For methods whose answer has another shape
/// (`motablestats`, `mergeobjects`, `inspect`), run [`MoCtl::call`] with [`Executor::run`] and
/// read the [`MoCtlResponse`] yourself.
///
/// ```no_run
/// # async fn demo(client: &matrixone::Client) -> matrixone::Result<()> {
/// client.moctl().flush_table("db1", "users").await?;
/// client.moctl().checkpoint().await?;
/// client.moctl().call("dn", "diskcleaner", "force_gc").await?;
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

    async fn checked(&self, call: MoCtl) -> Result<MoCtlResponse> {
        self.executor.run(call).await?.ensure_ok()
    }

    /// `mo_ctl('dn', 'flush', 'db.table')`; names containing `.` are refused.
    pub async fn flush_table(&self, database: &str, table: &str) -> Result<MoCtlResponse> {
        self.checked(MoCtl::flush_table(database, table)).await
    }

    /// `mo_ctl('dn', 'checkpoint', '')`, an incremental checkpoint.
    pub async fn checkpoint(&self) -> Result<MoCtlResponse> {
        self.checked(MoCtl::checkpoint()).await
    }

    /// `mo_ctl('dn', 'globalcheckpoint', '')`.
    pub async fn global_checkpoint(&self) -> Result<MoCtlResponse> {
        self.checked(MoCtl::global_checkpoint()).await
    }

    /// Any `mo_ctl(service, method, argument)` whose answer is a list of `returnStr: "OK"`;
    /// see [`MoCtl::call`] for what is accepted.
    pub async fn call(&self, service: &str, method: &str, argument: &str) -> Result<MoCtlResponse> {
        self.checked(MoCtl::call(service, method, argument)).await
    }
}
