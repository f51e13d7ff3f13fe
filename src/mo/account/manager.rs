//! [`AccountManager`]: `client.accounts()`.

use super::{Account, AccountInfo, Grant, GrantObject, Identity, Revoke, Role, Secret, User};
use crate::error::{Error, ErrorKind, Result};
use crate::executor::Executor;

/// Accounts, users, roles and grants through an executor: `client.accounts()`.
///
/// Every method runs one statement of this module's builders (use `executor.run(..)` for the
/// options they leave out). They need MatrixOne ([`crate::ErrorKind::UnsupportedServer`]
/// elsewhere); the DDL and grants are refused on a [`crate::Transaction`].
///
/// ```no_run
/// # async fn demo(client: &matrixone::Client) -> matrixone::Result<()> {
/// use matrixone::mo::GrantObject;
/// let accounts = client.accounts();
/// accounts.create_account("acc1", "admin", "s3cr3t").await?;
/// accounts.create_role("reader").await?;
/// accounts.grant_privileges(["SELECT"], GrantObject::AllTablesIn("test".into()), "reader").await?;
/// accounts.create_user("alice", "pa55").await?;
/// accounts.grant_role("reader", "alice").await?;
/// println!("{:?}", accounts.grants_of_user("alice").await?);
/// assert_eq!(accounts.current().await?.account, "sys");
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
    pub async fn create_account(&self, name: &str, admin: &str, password: impl Into<Secret>) -> Result<()> {
        let stmt = Account::create(name, admin, password);
        self.executor.run(stmt).await
    }

    /// Drops an account and everything in it.
    pub async fn drop_account(&self, name: &str) -> Result<()> {
        self.executor.run(Account::drop(name)).await
    }

    /// Suspends an account: its users cannot log in.
    pub async fn suspend_account(&self, name: &str) -> Result<()> {
        self.executor.run(Account::alter(name).suspend()).await
    }

    /// Opens a suspended or restricted account again.
    pub async fn open_account(&self, name: &str) -> Result<()> {
        self.executor.run(Account::alter(name).open()).await
    }

    /// Sets the password of an account's admin user.
    pub async fn set_admin_password(
        &self,
        name: &str,
        admin: &str,
        password: impl Into<Secret>,
    ) -> Result<()> {
        let stmt = Account::alter(name).admin_password(admin, password);
        self.executor.run(stmt).await
    }

    /// Every account the session can see.
    pub async fn list_accounts(&self) -> Result<Vec<AccountInfo>> {
        self.executor.run(Account::show()).await
    }

    /// The account called `name`; [`ErrorKind::AccountNotFound`] when there is none.
    pub async fn get_account(&self, name: &str) -> Result<AccountInfo> {
        self.list_accounts()
            .await?
            .into_iter()
            .find(|a| a.name.eq_ignore_ascii_case(name))
            .ok_or_else(|| Error::new(ErrorKind::AccountNotFound, format!("account {name:?} does not exist")))
    }

    /// Creates a user in the current account.
    pub async fn create_user(&self, name: &str, password: impl Into<Secret>) -> Result<()> {
        let stmt = User::create(name, password);
        self.executor.run(stmt).await
    }

    /// Sets a user's password.
    pub async fn set_password(&self, name: &str, password: impl Into<Secret>) -> Result<()> {
        let stmt = User::alter_password(name, password);
        self.executor.run(stmt).await
    }

    /// Locks a user out.
    pub async fn lock_user(&self, name: &str) -> Result<()> {
        self.executor.run(User::lock(name)).await
    }

    /// Lets a locked user in again.
    pub async fn unlock_user(&self, name: &str) -> Result<()> {
        self.executor.run(User::unlock(name)).await
    }

    /// Drops a user.
    pub async fn drop_user(&self, name: &str) -> Result<()> {
        self.executor.run(User::drop(name)).await
    }

    /// Creates a role.
    pub async fn create_role(&self, name: &str) -> Result<()> {
        self.executor.run(Role::create([name])).await
    }

    /// Drops a role.
    pub async fn drop_role(&self, name: &str) -> Result<()> {
        self.executor.run(Role::drop([name])).await
    }

    /// Grants privileges on an object to a role.
    pub async fn grant_privileges<I, S>(&self, privileges: I, on: GrantObject, role: &str) -> Result<()>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let stmt = Grant::privileges(privileges, on).to([role]);
        self.executor.run(stmt).await
    }

    /// Revokes privileges on an object from a role.
    pub async fn revoke_privileges<I, S>(&self, privileges: I, on: GrantObject, role: &str) -> Result<()>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let stmt = Revoke::privileges(privileges, on).from([role]);
        self.executor.run(stmt).await
    }

    /// Grants a role to a user.
    pub async fn grant_role(&self, role: &str, user: &str) -> Result<()> {
        self.executor.run(Grant::roles([role]).to([user])).await
    }

    /// Revokes a role from a user.
    pub async fn revoke_role(&self, role: &str, user: &str) -> Result<()> {
        self.executor.run(Revoke::roles([role]).from([user])).await
    }

    /// The current user's grants, one GRANT statement each.
    pub async fn grants(&self) -> Result<Vec<String>> {
        self.executor.run(Grant::show()).await
    }

    /// A user's grants.
    pub async fn grants_of_user(&self, user: &str) -> Result<Vec<String>> {
        self.executor.run(Grant::show().for_user(user, Vec::<String>::new())).await
    }

    /// A role's grants.
    pub async fn grants_of_role(&self, role: &str) -> Result<Vec<String>> {
        self.executor.run(Grant::show().for_role(role)).await
    }

    /// The session's account, user and role.
    pub async fn current(&self) -> Result<Identity> {
        self.executor.run(Identity::current()).await
    }

    /// The session's account (`current_account_name()`).
    pub async fn current_account(&self) -> Result<String> {
        Ok(self.current().await?.account)
    }

    /// The session's user (`current_user_name()`).
    pub async fn current_user(&self) -> Result<String> {
        Ok(self.current().await?.user)
    }

    /// The session's role (`current_role_name()`).
    pub async fn current_role(&self) -> Result<String> {
        Ok(self.current().await?.role)
    }
}
