//! Publications and subscriptions: the statements ([`Publication`], [`Subscription`]), what
//! `SHOW PUBLICATIONS` and `SHOW SUBSCRIPTIONS` return ([`PublicationInfo`],
//! [`SubscriptionInfo`]), and the manager (`client.publications()`).
//!
//! MatrixOne's own statements ([`crate::mo::Requires::MatrixOne`]): refused before sending on
//! MySQL and MariaDB. The listings carry MatrixOne's column type 0xF1, which the SDK reads
//! through its relay (`crate::relay`). Creating, altering and dropping a publication does not run
//! inside a transaction (pkg/frontend/stmt_kind.go): refused on a [`crate::Transaction`].
//!
//! MatrixOne writes publication, database, table and account names and the comment into its
//! catalog unescaped (`insertIntoMoPubsFormat`, pkg/frontend/publication_subscription.go): names
//! with quotes, backslashes or control characters, and such comments, are refused.

mod builder;
mod info;
mod manager;
mod subscription;

pub use builder::{
    AlterPublication, CreatePublication, DropPublication, Publication, ShowCreatePublication,
    ShowPublicationCoverage, ShowPublications,
};
pub use info::{PublicationInfo, SubscriptionInfo, SubscriptionStatus};
pub use manager::PublicationManager;
pub use subscription::{CreateSubscription, DropSubscription, ShowSubscriptions, Subscription};
