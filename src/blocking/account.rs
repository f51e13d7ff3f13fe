//! The blocking [`AccountManager`]: `client.accounts()`, method for method
//! [`mo::AccountManager`], which it runs.

use super::executor::Executor;
use crate::error::Result;
use crate::mo::{self, AccountInfo, GrantObject, Identity, Secret};

/// Accounts, users, roles and grants, blocking: `client.accounts()`; see
/// [`mo::AccountManager`] (MatrixOne only: elsewhere [`crate::ErrorKind::UnsupportedServer`]
/// before anything is sent; the DDL and grants are refused on a [`super::Transaction`]).
/// Passwords are [`Secret`]s: kept out of `Debug`, errors and the recorded statement text.
///
/// ```no_run
/// # fn demo(client: &matrixone::blocking::Client) -> matrixone::Result<()> {
/// use matrixone::mo::GrantObject;
/// let accounts = client.accounts();
/// accounts.create_account("acc1", "admin", "s3cr3t")?;
/// accounts.create_role("reader")?;
/// accounts.grant_privileges(["SELECT"], GrantObject::AllTablesIn("test".into()), "reader")?;
/// accounts.create_user("alice", "pa55")?;
/// accounts.grant_role("reader", "alice")?;
/// println!("{:?}", accounts.grants_of_user("alice")?);
/// assert_eq!(accounts.current()?.account, "sys");
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct AccountManager<'a, E> {
    executor: &'a E,
}

impl<'a, E: Executor> AccountManager<'a, E> {
    /// A manager running on `executor`.
    pub fn new(executor: &'a E) -> Self {
        AccountManager { executor }
    }

    /// Creates an account with its admin user (sys account only).
    pub fn create_account(&self, name: &str, admin: &str, password: impl Into<Secret>) -> Result<()> {
        let password = password.into();
        self.executor.block(|db| async move {
            mo::AccountManager::new(db).create_account(name, admin, password).await
        })
    }

    /// Drops an account and everything in it.
    pub fn drop_account(&self, name: &str) -> Result<()> {
        self.executor.block(|db| async move { mo::AccountManager::new(db).drop_account(name).await })
    }

    /// Suspends an account: its users cannot log in.
    pub fn suspend_account(&self, name: &str) -> Result<()> {
        self.executor.block(|db| async move { mo::AccountManager::new(db).suspend_account(name).await })
    }

    /// Opens a suspended or restricted account again.
    pub fn open_account(&self, name: &str) -> Result<()> {
        self.executor.block(|db| async move { mo::AccountManager::new(db).open_account(name).await })
    }

    /// Sets the password of an account's admin user.
    pub fn set_admin_password(&self, name: &str, admin: &str, password: impl Into<Secret>) -> Result<()> {
        let password = password.into();
        self.executor.block(|db| async move {
            mo::AccountManager::new(db).set_admin_password(name, admin, password).await
        })
    }

    /// Every account the session can see.
    pub fn list_accounts(&self) -> Result<Vec<AccountInfo>> {
        self.executor.block(|db| async move { mo::AccountManager::new(db).list_accounts().await })
    }

    /// The account called `name`; [`crate::ErrorKind::AccountNotFound`] when there is none.
    pub fn get_account(&self, name: &str) -> Result<AccountInfo> {
        self.executor.block(|db| async move { mo::AccountManager::new(db).get_account(name).await })
    }

    /// Creates a user in the current account.
    pub fn create_user(&self, name: &str, password: impl Into<Secret>) -> Result<()> {
        let password = password.into();
        self.executor.block(|db| async move { mo::AccountManager::new(db).create_user(name, password).await })
    }

    /// Sets a user's password.
    pub fn set_password(&self, name: &str, password: impl Into<Secret>) -> Result<()> {
        let password = password.into();
        self.executor
            .block(|db| async move { mo::AccountManager::new(db).set_password(name, password).await })
    }

    /// Locks a user out.
    pub fn lock_user(&self, name: &str) -> Result<()> {
        self.executor.block(|db| async move { mo::AccountManager::new(db).lock_user(name).await })
    }

    /// Lets a locked user in again.
    pub fn unlock_user(&self, name: &str) -> Result<()> {
        self.executor.block(|db| async move { mo::AccountManager::new(db).unlock_user(name).await })
    }

    /// Drops a user.
    pub fn drop_user(&self, name: &str) -> Result<()> {
        self.executor.block(|db| async move { mo::AccountManager::new(db).drop_user(name).await })
    }

    /// Creates a role.
    pub fn create_role(&self, name: &str) -> Result<()> {
        self.executor.block(|db| async move { mo::AccountManager::new(db).create_role(name).await })
    }

    /// Drops a role.
    pub fn drop_role(&self, name: &str) -> Result<()> {
        self.executor.block(|db| async move { mo::AccountManager::new(db).drop_role(name).await })
    }

    /// Grants privileges on an object to a role.
    pub fn grant_privileges<I, S>(&self, privileges: I, on: GrantObject, role: &str) -> Result<()>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let privileges: Vec<String> = privileges.into_iter().map(Into::into).collect();
        self.executor.block(|db| async move {
            mo::AccountManager::new(db).grant_privileges(privileges, on, role).await
        })
    }

    /// Revokes privileges on an object from a role.
    pub fn revoke_privileges<I, S>(&self, privileges: I, on: GrantObject, role: &str) -> Result<()>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let privileges: Vec<String> = privileges.into_iter().map(Into::into).collect();
        self.executor.block(|db| async move {
            mo::AccountManager::new(db).revoke_privileges(privileges, on, role).await
        })
    }

    /// Grants a role to a user.
    pub fn grant_role(&self, role: &str, user: &str) -> Result<()> {
        self.executor.block(|db| async move { mo::AccountManager::new(db).grant_role(role, user).await })
    }

    /// Revokes a role from a user.
    pub fn revoke_role(&self, role: &str, user: &str) -> Result<()> {
        self.executor.block(|db| async move { mo::AccountManager::new(db).revoke_role(role, user).await })
    }

    /// The current user's grants, one GRANT statement each.
    pub fn grants(&self) -> Result<Vec<String>> {
        self.executor.block(|db| async move { mo::AccountManager::new(db).grants().await })
    }

    /// A user's grants.
    pub fn grants_of_user(&self, user: &str) -> Result<Vec<String>> {
        self.executor.block(|db| async move { mo::AccountManager::new(db).grants_of_user(user).await })
    }

    /// A role's grants.
    pub fn grants_of_role(&self, role: &str) -> Result<Vec<String>> {
        self.executor.block(|db| async move { mo::AccountManager::new(db).grants_of_role(role).await })
    }

    /// The session's account, user and role.
    pub fn current(&self) -> Result<Identity> {
        self.executor.block(|db| async move { mo::AccountManager::new(db).current().await })
    }

    /// The session's account (`current_account_name()`).
    pub fn current_account(&self) -> Result<String> {
        self.executor.block(|db| async move { mo::AccountManager::new(db).current_account().await })
    }

    /// The session's user (`current_user_name()`).
    pub fn current_user(&self) -> Result<String> {
        self.executor.block(|db| async move { mo::AccountManager::new(db).current_user().await })
    }

    /// The session's role (`current_role_name()`).
    pub fn current_role(&self) -> Result<String> {
        self.executor.block(|db| async move { mo::AccountManager::new(db).current_role().await })
    }
}
