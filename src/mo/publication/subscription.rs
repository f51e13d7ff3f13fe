//! Subscription statements: [`Subscription::create`] (`CREATE DATABASE d FROM acc PUBLICATION p`,
//! `subscription_opt` in pkg/sql/parsers/dialect/mysql/mysql_sql.y), [`Subscription::show`] and
//! [`Subscription::drop`] (a subscription is a database: `DROP DATABASE`).

use super::SubscriptionInfo;
use crate::error::Result;
use crate::mo::account::names::catalog_ident;
use crate::mo::literal::mode_independent_literal;
use crate::mo::{Dialect, MoStatement, Requires};
use crate::result::ResultSet;
use crate::sql::quote_ident;

/// Entry point for the subscription statements; it has no values of its own.
#[derive(Debug)]
pub enum Subscription {}

impl Subscription {
    /// `CREATE DATABASE database FROM account PUBLICATION publication`: subscribes to a
    /// publication of another account; the new database is read-only and shows the publisher's
    /// current data.
    ///
    /// ```
    /// use matrixone::mo::Subscription;
    /// assert_eq!(
    ///     Subscription::create("resub01", "sys", "publication01").to_sql().unwrap(),
    ///     "CREATE DATABASE `resub01` FROM `sys` PUBLICATION `publication01`"
    /// );
    /// ```
    pub fn create(
        database: impl Into<String>,
        account: impl Into<String>,
        publication: impl Into<String>,
    ) -> CreateSubscription {
        CreateSubscription {
            database: database.into(),
            account: account.into(),
            publication: publication.into(),
            if_not_exists: false,
        }
    }

    /// `SHOW SUBSCRIPTIONS`: the subscribed publications; its output is a
    /// `Vec<SubscriptionInfo>`.
    ///
    /// ```
    /// use matrixone::mo::Subscription;
    /// assert_eq!(Subscription::show().to_sql().unwrap(), "SHOW SUBSCRIPTIONS");
    /// ```
    pub fn show() -> ShowSubscriptions {
        ShowSubscriptions { all: false, like: None }
    }

    /// `DROP DATABASE database`: ends a subscription.
    ///
    /// ```
    /// use matrixone::mo::Subscription;
    /// assert_eq!(Subscription::drop("resub01").to_sql().unwrap(), "DROP DATABASE `resub01`");
    /// ```
    pub fn drop(database: impl Into<String>) -> DropSubscription {
        DropSubscription { database: database.into(), if_exists: false }
    }
}

/// `CREATE DATABASE [IF NOT EXISTS] d FROM account PUBLICATION p`. Built by
/// [`Subscription::create`]; runs to `()`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CreateSubscription {
    database: String,
    account: String,
    publication: String,
    if_not_exists: bool,
}

impl CreateSubscription {
    /// Succeeds without doing anything when the database exists.
    ///
    /// ```
    /// use matrixone::mo::Subscription;
    /// assert_eq!(
    ///     Subscription::create("sub01", "sys", "add").if_not_exists().to_sql().unwrap(),
    ///     "CREATE DATABASE IF NOT EXISTS `sub01` FROM `sys` PUBLICATION `add`"
    /// );
    /// ```
    pub fn if_not_exists(mut self) -> Self {
        self.if_not_exists = true;
        self
    }
}

impl MoStatement for CreateSubscription {
    type Output = ();

    fn requires(&self) -> Requires {
        Requires::MatrixOne
    }

    fn render(&self, _dialect: Dialect) -> Result<String> {
        let if_not_exists = if self.if_not_exists { "IF NOT EXISTS " } else { "" };
        Ok(format!(
            "CREATE DATABASE {if_not_exists}{} FROM {} PUBLICATION {}",
            catalog_ident("database", &self.database)?,
            catalog_ident("account", &self.account)?,
            catalog_ident("publication", &self.publication)?
        ))
    }

    fn decode_output(_result: ResultSet) -> Result<()> {
        Ok(())
    }
}

/// `SHOW SUBSCRIPTIONS [ALL] [LIKE 'pattern']`. Built by [`Subscription::show`]; runs to
/// `Vec<SubscriptionInfo>`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ShowSubscriptions {
    all: bool,
    like: Option<String>,
}

impl ShowSubscriptions {
    /// Also the publications the account may subscribe to but has not (`SHOW SUBSCRIPTIONS
    /// ALL`; their `sub_name` and `sub_time` are `None`).
    ///
    /// ```
    /// use matrixone::mo::Subscription;
    /// assert_eq!(Subscription::show().all().to_sql().unwrap(), "SHOW SUBSCRIPTIONS ALL");
    /// ```
    pub fn all(mut self) -> Self {
        self.all = true;
        self
    }

    /// Only the publications whose name matches a `LIKE` pattern (`%` and `_`; a backslash is refused, since it
    /// reads differently depending on `NO_BACKSLASH_ESCAPES`).
    ///
    /// ```
    /// use matrixone::mo::Subscription;
    /// assert_eq!(Subscription::show().all().like("pub%").to_sql().unwrap(), "SHOW SUBSCRIPTIONS ALL LIKE 'pub%'");
    /// ```
    pub fn like(mut self, pattern: impl Into<String>) -> Self {
        self.like = Some(pattern.into());
        self
    }
}

impl MoStatement for ShowSubscriptions {
    type Output = Vec<SubscriptionInfo>;

    fn requires(&self) -> Requires {
        Requires::MatrixOne
    }

    fn render(&self, _dialect: Dialect) -> Result<String> {
        let mut sql = "SHOW SUBSCRIPTIONS".to_owned();
        if self.all {
            sql.push_str(" ALL");
        }
        if let Some(pattern) = &self.like {
            sql.push_str(&format!(" LIKE {}", mode_independent_literal(pattern)?));
        }
        Ok(sql)
    }

    fn decode_output(result: ResultSet) -> Result<Vec<SubscriptionInfo>> {
        result.typed()
    }
}

/// `DROP DATABASE [IF EXISTS] d` for a subscribed database. Built by [`Subscription::drop`];
/// runs to `()`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DropSubscription {
    database: String,
    if_exists: bool,
}

impl DropSubscription {
    /// Succeeds without doing anything when the database does not exist.
    ///
    /// ```
    /// use matrixone::mo::Subscription;
    /// assert_eq!(Subscription::drop("sub1").if_exists().to_sql().unwrap(), "DROP DATABASE IF EXISTS `sub1`");
    /// ```
    pub fn if_exists(mut self) -> Self {
        self.if_exists = true;
        self
    }
}

impl MoStatement for DropSubscription {
    type Output = ();

    fn render(&self, _dialect: Dialect) -> Result<String> {
        let if_exists = if self.if_exists { "IF EXISTS " } else { "" };
        Ok(format!("DROP DATABASE {if_exists}{}", quote_ident(&self.database)?))
    }

    fn decode_output(_result: ResultSet) -> Result<()> {
        Ok(())
    }
}

crate::mo::impl_to_sql!(CreateSubscription, ShowSubscriptions, DropSubscription);
