//! [`PublicationInfo`] and [`SubscriptionInfo`]: rows of `SHOW PUBLICATIONS` and
//! `SHOW SUBSCRIPTIONS`.
//!
//! Columns and types from pkg/frontend/publication_subscription.go (`showPublicationsOutputColumns`
//! and `showSubscriptionsOutputColumns`) and test/distributed/cases/publication_subscription/
//! pub_sub.result, pub_sub3.result. Several are MatrixOne's type 0xF1 (`MYSQL_TYPE_TEXT`), which
//! the SDK reads through its relay.

use chrono::NaiveDateTime;

use crate::error::{Error, Result};
use crate::from_row::FromRow;
use crate::result::Row;

/// A comma-separated list (`a,b`), or `*`, as the server writes it: split, `*` kept as one item.
fn list(text: Option<String>) -> Vec<String> {
    text.map(|t| t.split(',').map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect())
        .unwrap_or_default()
}

/// One row of `SHOW PUBLICATIONS`: `publication database tables sub_account
/// subscribed_accounts create_time update_time comments`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct PublicationInfo {
    /// The publication's name.
    pub name: String,
    /// The published database.
    pub database: String,
    /// The published tables; `["*"]` for all of them.
    pub tables: Vec<String>,
    /// The accounts that may subscribe (`["*"]` or the server's `ALL` for every account).
    pub accounts: Vec<String>,
    /// The accounts that have subscribed.
    pub subscribed_accounts: Vec<String>,
    /// When it was created.
    pub created: Option<NaiveDateTime>,
    /// When it was last altered.
    pub updated: Option<NaiveDateTime>,
    /// Its comment (`None` when empty).
    pub comment: Option<String>,
}

impl FromRow for PublicationInfo {
    fn from_row(row: &Row) -> Result<PublicationInfo> {
        let name: String = row.get("publication")?;
        let in_row = |e: Error| Error::decode(format!("SHOW PUBLICATIONS row for {name:?}: {}", e.message()));
        Ok(PublicationInfo {
            database: row.get("database").map_err(in_row)?,
            tables: list(row.get_optional("tables").map_err(in_row)?),
            accounts: list(row.get_optional("sub_account").map_err(in_row)?),
            subscribed_accounts: list(row.get_optional("subscribed_accounts").map_err(in_row)?),
            created: row.get_optional("create_time").map_err(in_row)?,
            updated: row.get_optional("update_time").map_err(in_row)?,
            comment: row.get_optional::<String>("comments").map_err(in_row)?.filter(|c| !c.is_empty()),
            name,
        })
    }
}

/// A subscription's `status` (pkg/common/pubsub/types.go).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum SubscriptionStatus {
    /// 0: the publication can be read.
    Normal,
    /// 1: the account is no longer allowed to read it.
    NotAuthorized,
    /// 2: the publication was dropped.
    Deleted,
    /// Another number, from a newer server.
    Other(i64),
}

impl From<i64> for SubscriptionStatus {
    fn from(code: i64) -> SubscriptionStatus {
        match code {
            0 => SubscriptionStatus::Normal,
            1 => SubscriptionStatus::NotAuthorized,
            2 => SubscriptionStatus::Deleted,
            other => SubscriptionStatus::Other(other),
        }
    }
}

/// One row of `SHOW SUBSCRIPTIONS [ALL]`: `pub_name pub_account pub_database pub_tables
/// pub_comment pub_time sub_name sub_time status`. The Python SDK hard-codes `status` to 0
/// (its review §1.8); here it is read.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct SubscriptionInfo {
    /// The publication.
    pub publication: String,
    /// The publishing account.
    pub publisher: String,
    /// The published database.
    pub database: String,
    /// The published tables; `["*"]` for all.
    pub tables: Vec<String>,
    /// The publication's comment.
    pub comment: Option<String>,
    /// When it was published.
    pub published: Option<NaiveDateTime>,
    /// The subscribed database; `None` for a publication not subscribed to (`SHOW SUBSCRIPTIONS ALL`).
    pub subscription: Option<String>,
    /// When it was subscribed to.
    pub subscribed: Option<NaiveDateTime>,
    /// Whether it can be read.
    pub status: SubscriptionStatus,
}

impl FromRow for SubscriptionInfo {
    fn from_row(row: &Row) -> Result<SubscriptionInfo> {
        let publication: String = row.get("pub_name")?;
        let in_row =
            |e: Error| Error::decode(format!("SHOW SUBSCRIPTIONS row for {publication:?}: {}", e.message()));
        Ok(SubscriptionInfo {
            publisher: row.get("pub_account").map_err(in_row)?,
            database: row.get("pub_database").map_err(in_row)?,
            tables: list(row.get_optional("pub_tables").map_err(in_row)?),
            comment: row.get_optional::<String>("pub_comment").map_err(in_row)?.filter(|c| !c.is_empty()),
            published: row.get_optional("pub_time").map_err(in_row)?,
            subscription: row.get_optional("sub_name").map_err(in_row)?,
            subscribed: row.get_optional("sub_time").map_err(in_row)?,
            status: row.get_optional::<i64>("status").map_err(in_row)?.unwrap_or(0).into(),
            publication,
        })
    }
}
