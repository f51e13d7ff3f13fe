//! The blocking [`PublicationManager`]: `client.publications()`, method for method
//! [`mo::PublicationManager`], which it runs.

use super::executor::Executor;
use crate::error::Result;
use crate::mo::{self, PublicationInfo, SubscriptionInfo};

/// Publications and subscriptions, blocking: `client.publications()`; see
/// [`mo::PublicationManager`] (MatrixOne only: elsewhere [`crate::ErrorKind::UnsupportedServer`]
/// before anything is sent). For the options the methods leave out, run a [`mo::Publication`]
/// or [`mo::Subscription`] builder with [`Executor::run`].
///
/// ```no_run
/// # fn demo(publisher: &matrixone::blocking::Client, subscriber: &matrixone::blocking::Client) -> matrixone::Result<()> {
/// publisher.publications().create("pub1", "sales", ["acc1"])?;
/// subscriber.publications().subscribe("sales_sub", "sys", "pub1")?;
/// assert_eq!(subscriber.publications().subscriptions()?[0].publication, "pub1");
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
    pub fn create<I, S>(&self, name: &str, database: &str, accounts: I) -> Result<()>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let accounts: Vec<String> = accounts.into_iter().map(Into::into).collect();
        self.executor
            .block(|db| async move { mo::PublicationManager::new(db).create(name, database, accounts).await })
    }

    /// Lets more accounts subscribe.
    pub fn add_accounts<I, S>(&self, name: &str, accounts: I) -> Result<()>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let accounts: Vec<String> = accounts.into_iter().map(Into::into).collect();
        self.executor
            .block(|db| async move { mo::PublicationManager::new(db).add_accounts(name, accounts).await })
    }

    /// Stops accounts from subscribing.
    pub fn drop_accounts<I, S>(&self, name: &str, accounts: I) -> Result<()>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let accounts: Vec<String> = accounts.into_iter().map(Into::into).collect();
        self.executor
            .block(|db| async move { mo::PublicationManager::new(db).drop_accounts(name, accounts).await })
    }

    /// Drops a publication.
    pub fn drop(&self, name: &str) -> Result<()> {
        self.executor.block(|db| async move { mo::PublicationManager::new(db).drop(name).await })
    }

    /// The current account's publications.
    pub fn list(&self) -> Result<Vec<PublicationInfo>> {
        self.executor.block(|db| async move { mo::PublicationManager::new(db).list().await })
    }

    /// The publication called `name`; [`crate::ErrorKind::RowNotFound`] when there is none.
    pub fn get(&self, name: &str) -> Result<PublicationInfo> {
        self.executor.block(|db| async move { mo::PublicationManager::new(db).get(name).await })
    }

    /// The `CREATE PUBLICATION` text of a publication.
    pub fn show_create(&self, name: &str) -> Result<String> {
        self.executor.block(|db| async move { mo::PublicationManager::new(db).show_create(name).await })
    }

    /// What a publication covers: `(database, table)` pairs, `*` standing for all
    /// (`SHOW PUBLICATION COVERAGE`).
    pub fn coverage(&self, name: &str) -> Result<Vec<(String, String)>> {
        self.executor.block(|db| async move { mo::PublicationManager::new(db).coverage(name).await })
    }

    /// Subscribes: a new read-only database `database` showing `account`'s publication.
    pub fn subscribe(&self, database: &str, account: &str, publication: &str) -> Result<()> {
        self.executor.block(|db| async move {
            mo::PublicationManager::new(db).subscribe(database, account, publication).await
        })
    }

    /// The current account's subscriptions.
    pub fn subscriptions(&self) -> Result<Vec<SubscriptionInfo>> {
        self.executor.block(|db| async move { mo::PublicationManager::new(db).subscriptions().await })
    }

    /// Ends a subscription (drops its database).
    pub fn unsubscribe(&self, database: &str) -> Result<()> {
        self.executor.block(|db| async move { mo::PublicationManager::new(db).unsubscribe(database).await })
    }
}
