//! [`PublicationManager`]: `client.publications()`.

use super::{Publication, PublicationInfo, Subscription, SubscriptionInfo};
use crate::error::{Error, ErrorKind, Result};
use crate::executor::Executor;

/// Publications and subscriptions through an executor: `client.publications()`.
///
/// Each method runs one statement of [`Publication`] or [`Subscription`]; run the builders with
/// `executor.run(..)` for the options left out here (tables, comments, `ACCOUNT ALL`, `IF
/// [NOT] EXISTS`). MatrixOne only ([`ErrorKind::UnsupportedServer`] elsewhere).
///
/// ```no_run
/// # async fn demo(publisher: &matrixone::Client, subscriber: &matrixone::Client) -> matrixone::Result<()> {
/// publisher.publications().create("pub1", "sales", ["acc1"]).await?;
/// subscriber.publications().subscribe("sales_sub", "sys", "pub1").await?;
/// assert_eq!(subscriber.publications().subscriptions().await?[0].publication, "pub1");
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct PublicationManager<'a, E> {
    executor: &'a E,
}

impl<'a, E: Executor> PublicationManager<'a, E> {
    /// A manager running on `executor`.
    pub fn new(executor: &'a E) -> Self {
        PublicationManager { executor }
    }

    /// Publishes `database` to `accounts`.
    pub async fn create<I, S>(&self, name: &str, database: &str, accounts: I) -> Result<()>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let stmt = Publication::create(name, database).to_accounts(accounts);
        self.executor.run(stmt).await
    }

    /// Lets more accounts subscribe.
    pub async fn add_accounts<I, S>(&self, name: &str, accounts: I) -> Result<()>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let stmt = Publication::alter(name).add_accounts(accounts);
        self.executor.run(stmt).await
    }

    /// Stops accounts from subscribing.
    pub async fn drop_accounts<I, S>(&self, name: &str, accounts: I) -> Result<()>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let stmt = Publication::alter(name).drop_accounts(accounts);
        self.executor.run(stmt).await
    }

    /// Drops a publication.
    pub async fn drop(&self, name: &str) -> Result<()> {
        self.executor.run(Publication::drop(name)).await
    }

    /// The current account's publications.
    pub async fn list(&self) -> Result<Vec<PublicationInfo>> {
        self.executor.run(Publication::show()).await
    }

    /// The publication called `name`; [`ErrorKind::RowNotFound`] when there is none.
    pub async fn get(&self, name: &str) -> Result<PublicationInfo> {
        self.list()
            .await?
            .into_iter()
            .find(|p| p.name == name)
            .ok_or_else(|| Error::new(ErrorKind::RowNotFound, format!("publication {name:?} does not exist")))
    }

    /// The `CREATE PUBLICATION` text of a publication.
    pub async fn show_create(&self, name: &str) -> Result<String> {
        self.executor.run(Publication::show_create(name)).await
    }

    /// What a publication covers: `(database, table)` pairs, `*` standing for all
    /// (`SHOW PUBLICATION COVERAGE`).
    pub async fn coverage(&self, name: &str) -> Result<Vec<(String, String)>> {
        self.executor.run(Publication::show_coverage(name)).await
    }

    /// Subscribes: a new read-only database `database` showing `account`'s publication.
    pub async fn subscribe(&self, database: &str, account: &str, publication: &str) -> Result<()> {
        self.executor.run(Subscription::create(database, account, publication)).await
    }

    /// The current account's subscriptions.
    pub async fn subscriptions(&self) -> Result<Vec<SubscriptionInfo>> {
        self.executor.run(Subscription::show()).await
    }

    /// Ends a subscription (drops its database).
    pub async fn unsubscribe(&self, database: &str) -> Result<()> {
        self.executor.run(Subscription::drop(database)).await
    }
}
