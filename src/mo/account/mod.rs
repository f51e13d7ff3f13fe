//! Accounts, users, roles and privileges: the statements ([`Account`], [`User`], [`Role`],
//! [`Grant`], [`Revoke`], [`Identity`]), what `SHOW ACCOUNTS` returns ([`AccountInfo`]),
//! passwords as [`Secret`]s, and the manager (`client.accounts()`).
//!
//! These are MatrixOne's own statements ([`crate::mo::Requires::MatrixOne`]): on MySQL or MariaDB
//! they are refused before anything is sent ([`crate::ErrorKind::UnsupportedServer`]), since
//! there they would fail to parse or mean something else. The DDL and grants are refused on a
//! [`crate::Transaction`] (MatrixOne's `IsAdministrativeStatement`, pkg/frontend/stmt_kind.go).
//!
//! A password goes into the statement as a bound value: `to_sql()`, the tracing span, the
//! statement log and `Debug` show `?` or `***`, and a server error that quotes it gets `***`.

mod builder;
mod grant;
mod identity;
mod info;
mod manager;
pub(crate) mod names;
mod role;
mod secret;
mod user;

pub use builder::{Account, AccountStatus, AlterAccount, CreateAccount, DropAccount, ShowAccounts};
pub use grant::{
    Grant, GrantObject, GrantPrivileges, GrantRoles, Revoke, RevokePrivileges, RevokeRoles, ShowGrants,
};
pub use identity::{CurrentIdentity, Identity};
pub use info::AccountInfo;
pub use manager::AccountManager;
pub use role::{CreateRole, DropRole, Role};
pub use secret::Secret;
pub use user::{AlterUser, CreateUser, DropUser, User};
