//! MatrixOne's own statements: snapshots, clones, restore, PITR, `mo_ctl`, DATA BRANCH,
//! publications and subscriptions, accounts, users, roles and grants, as typed builders.
//!
//! Each builder validates its names when it renders ([`MoStatement::render`], or `to_sql()` /
//! `to_sql_for(dialect)` on the builder): snapshot and PITR names must match `[A-Za-z0-9_]+`
//! and are sent lower-cased, database, table and account names are backtick-quoted with
//! backticks doubled, and string literals are written so that they read the same whatever the
//! session's `NO_BACKSLASH_ESCAPES`. A bad argument is an [`crate::ErrorKind::InvalidInput`]
//! error before anything is sent.
//!
//! ```
//! use matrixone::mo::{self, Dialect, Pitr, PitrUnit, Restore, Snapshot};
//! assert_eq!(Snapshot::create("s1").database("test").to_sql().unwrap(), "CREATE SNAPSHOT `s1` FOR DATABASE `test`");
//! assert_eq!(mo::Clone::database("b", "a").at_snapshot("s1").to_sql().unwrap(), "CREATE DATABASE `b` CLONE `a` {SNAPSHOT = 's1'}");
//! assert_eq!(Restore::account("acc1").from_snapshot("s1").to_sql_for(Dialect::V3).unwrap(), "RESTORE ACCOUNT `acc1` FROM SNAPSHOT `s1`");
//! assert_eq!(Pitr::create("p1").account().range(1, PitrUnit::Hour).to_sql().unwrap(), "CREATE PITR `p1` FOR ACCOUNT RANGE 1 'h'");
//! ```

/// Adds `to_sql()` and `to_sql_for(dialect)` to builders that implement [`MoStatement`].
macro_rules! impl_to_sql {
    ($($ty:ty),+ $(,)?) => {$(
        impl $ty {
            /// Renders the statement for the current MatrixOne grammar ([`Dialect::V4`](crate::mo::Dialect::V4)).
            /// An invalid name or value is an [`InvalidInput`](crate::ErrorKind::InvalidInput) error.
            pub fn to_sql(&self) -> $crate::Result<String> {
                <Self as $crate::mo::MoStatement>::render(self, $crate::mo::Dialect::V4)
            }

            /// Renders the statement for `dialect`; see [`Dialect`](crate::mo::Dialect).
            pub fn to_sql_for(&self, dialect: $crate::mo::Dialect) -> $crate::Result<String> {
                <Self as $crate::mo::MoStatement>::render(self, dialect)
            }
        }
    )+};
}
use impl_to_sql;

// One folder per MatrixOne feature (its statements, what they return, its manager); what the
// features share sits beside them.
mod accessors;
mod account;
mod branch;
mod clone;
mod dialect;
pub mod fulltext;
mod literal;
mod moctl;
mod names;
mod pitr;
mod publication;
mod restore;
mod scope;
mod snapshot;
mod statement;
mod table_ref;
pub mod vector;

pub use crate::server_version::Requires;
#[cfg(feature = "blocking")]
pub(crate) use accessors::manager_accessors;
pub use account::{
    Account, AccountInfo, AccountManager, AccountStatus, AlterAccount, AlterUser, CreateAccount, CreateRole,
    CreateUser, CurrentIdentity, DropAccount, DropRole, DropUser, Grant, GrantObject, GrantPrivileges,
    GrantRoles, Identity, Revoke, RevokePrivileges, RevokeRoles, Role, Secret, ShowAccounts, ShowGrants,
    User,
};
pub use branch::{
    Branch, BranchConflict, BranchDiff, BranchDiffCount, BranchDiffFile, BranchDiffInto, BranchDiffSummary,
    BranchManager, BranchMerge, BranchPick, CreateBranch, DeleteBranch, DiffFile, DiffFlag, DiffRow,
    DiffRows, DiffSide, DiffSummary, OnConflict, SideCounts,
};
pub use clone::{Clone, CloneManager};
pub use dialect::Dialect;
pub use moctl::{MoCtl, MoCtlManager, MoCtlResponse};
pub use pitr::{
    AlterPitr, CreatePitr, DropPitr, PITR_RANGE, Pitr, PitrInfo, PitrManager, PitrUnit, ShowPitr,
};
pub use publication::{
    AlterPublication, CreatePublication, CreateSubscription, DropPublication, DropSubscription, Publication,
    PublicationInfo, PublicationManager, ShowCreatePublication, ShowPublicationCoverage, ShowPublications,
    ShowSubscriptions, Subscription, SubscriptionInfo, SubscriptionStatus,
};
pub use restore::{PitrTimestamp, Restore, RestoreManager};
pub use snapshot::{
    CreateSnapshot, DropSnapshot, ReadAt, ReadTimestamp, ShowSnapshots, Snapshot, SnapshotInfo,
    SnapshotLevel, SnapshotManager, SnapshotRead, mo_ts_hint, snapshot_hint, timestamp_hint,
};
pub use statement::{InTransaction, MoStatement};
pub use table_ref::TableRef;
