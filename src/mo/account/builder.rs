//! Account statements: [`Account::create`], [`Account::alter`], [`Account::drop`] and
//! [`Account::show`] (grammar: `create_account_stmt`, `alter_account_stmt`, `drop_account_stmt`,
//! `show_accounts_stmt` in pkg/sql/parsers/dialect/mysql/mysql_sql.y).
//!
//! MatrixOne runs none of the DDL inside a transaction (`IsAdministrativeStatement`,
//! pkg/frontend/stmt_kind.go); only the sys account may run it.

use super::names::{comment_clause, login_ident, login_literal};
use super::{AccountInfo, Secret};
use crate::error::{Error, Result};
use crate::mo::literal::mode_independent_literal;
use crate::mo::{Dialect, InTransaction, MoStatement, Requires};
use crate::result::ResultSet;
use crate::value::Value;

/// Entry point for the account statements; it has no values of its own.
///
/// Account names must not contain quotes, backslashes, control characters, `:` or `#` (MatrixOne
/// splices them into its catalog SQL and its login string splits on `:` and `#`); MatrixOne
/// itself lower-cases them and allows little more than letters, digits, `_` and `-`.
#[derive(Debug)]
pub enum Account {}

impl Account {
    /// `CREATE ACCOUNT name ADMIN_NAME 'admin' IDENTIFIED BY ?`: a new tenant with its admin user.
    /// The password is a [`Secret`], sent as a bound value.
    ///
    /// ```
    /// use matrixone::mo::{Account, MoStatement};
    /// let create = Account::create("acc1", "admin", "111");
    /// assert_eq!(create.to_sql().unwrap(), "CREATE ACCOUNT `acc1` ADMIN_NAME 'admin' IDENTIFIED BY ?");
    /// assert!(!format!("{create:?}").contains("111"));
    /// assert!(Account::create("acc:1", "admin", "111").to_sql().is_err());
    /// ```
    pub fn create(
        name: impl Into<String>,
        admin: impl Into<String>,
        password: impl Into<Secret>,
    ) -> CreateAccount {
        CreateAccount {
            name: name.into(),
            admin: admin.into(),
            password: password.into(),
            if_not_exists: false,
            status: None,
            comment: None,
        }
    }

    /// `ALTER ACCOUNT name ...`: choose one change with [`AlterAccount::admin_password`],
    /// [`AlterAccount::suspend`], [`AlterAccount::open`], [`AlterAccount::restricted`] or
    /// [`AlterAccount::comment`]. Without one it does not render.
    ///
    /// ```
    /// use matrixone::mo::Account;
    /// assert_eq!(Account::alter("acc1").suspend().to_sql().unwrap(), "ALTER ACCOUNT `acc1` SUSPEND");
    /// assert!(Account::alter("acc1").to_sql().is_err());
    /// ```
    pub fn alter(name: impl Into<String>) -> AlterAccount {
        AlterAccount { name: name.into(), if_exists: false, auth: None, status: None, comment: None }
    }

    /// `DROP ACCOUNT name`: the account and everything in it.
    ///
    /// ```
    /// use matrixone::mo::Account;
    /// assert_eq!(Account::drop("acc1").to_sql().unwrap(), "DROP ACCOUNT `acc1`");
    /// ```
    pub fn drop(name: impl Into<String>) -> DropAccount {
        DropAccount { name: name.into(), if_exists: false }
    }

    /// `SHOW ACCOUNTS`; its output is a `Vec<AccountInfo>`.
    ///
    /// ```
    /// use matrixone::mo::Account;
    /// assert_eq!(Account::show().to_sql().unwrap(), "SHOW ACCOUNTS");
    /// ```
    pub fn show() -> ShowAccounts {
        ShowAccounts { like: None }
    }
}

/// An account's status (`account_status_option`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AccountStatus {
    /// `OPEN`: usable.
    Open,
    /// `SUSPEND`: its users cannot log in.
    Suspend,
    /// `RESTRICTED`: its users can log in and read, but not write.
    Restricted,
}

impl AccountStatus {
    fn keyword(self) -> &'static str {
        match self {
            AccountStatus::Open => "OPEN",
            AccountStatus::Suspend => "SUSPEND",
            AccountStatus::Restricted => "RESTRICTED",
        }
    }
}

/// `CREATE ACCOUNT [IF NOT EXISTS] name ADMIN_NAME 'admin' IDENTIFIED BY ? [OPEN | SUSPEND |
/// RESTRICTED] [COMMENT 'c']`. Built by [`Account::create`]; runs to `()`. `Debug` redacts the
/// password.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CreateAccount {
    name: String,
    admin: String,
    password: Secret,
    if_not_exists: bool,
    status: Option<AccountStatus>,
    comment: Option<String>,
}

impl CreateAccount {
    /// The account name as given.
    ///
    /// ```
    /// use matrixone::mo::Account;
    /// assert_eq!(Account::create("acc1", "admin", "pw").name(), "acc1");
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Succeeds without doing anything when the account exists.
    ///
    /// ```
    /// use matrixone::mo::Account;
    /// assert_eq!(
    ///     Account::create("acc1", "admin", "pw").if_not_exists().to_sql().unwrap(),
    ///     "CREATE ACCOUNT IF NOT EXISTS `acc1` ADMIN_NAME 'admin' IDENTIFIED BY ?"
    /// );
    /// ```
    pub fn if_not_exists(mut self) -> Self {
        self.if_not_exists = true;
        self
    }

    /// The status it starts with.
    ///
    /// ```
    /// use matrixone::mo::{Account, AccountStatus};
    /// assert_eq!(
    ///     Account::create("acc1", "root", "pw").status(AccountStatus::Open).comment("tenant one").to_sql().unwrap(),
    ///     "CREATE ACCOUNT `acc1` ADMIN_NAME 'root' IDENTIFIED BY ? OPEN COMMENT 'tenant one'"
    /// );
    /// ```
    pub fn status(mut self, status: AccountStatus) -> Self {
        self.status = Some(status);
        self
    }

    /// A comment (no quotes or backslashes: MatrixOne stores it unescaped).
    ///
    /// ```
    /// use matrixone::mo::Account;
    /// assert_eq!(
    ///     Account::create("acc1", "admin", "pw").comment("for tests").to_sql().unwrap(),
    ///     "CREATE ACCOUNT `acc1` ADMIN_NAME 'admin' IDENTIFIED BY ? COMMENT 'for tests'"
    /// );
    /// assert!(Account::create("acc1", "admin", "pw").comment("it's").to_sql().is_err());
    /// ```
    pub fn comment(mut self, comment: impl Into<String>) -> Self {
        self.comment = Some(comment.into());
        self
    }
}

fn status_and_comment(status: Option<AccountStatus>, comment: &Option<String>) -> Result<String> {
    let mut sql = String::new();
    if let Some(status) = status {
        sql.push(' ');
        sql.push_str(status.keyword());
    }
    sql.push_str(&comment_clause(comment)?);
    Ok(sql)
}

impl MoStatement for CreateAccount {
    type Output = ();

    fn in_transaction(&self) -> InTransaction {
        InTransaction::Refused("CREATE ACCOUNT")
    }

    fn requires(&self) -> Requires {
        Requires::MatrixOne
    }

    fn render(&self, _dialect: Dialect) -> Result<String> {
        let if_not_exists = if self.if_not_exists { "IF NOT EXISTS " } else { "" };
        Ok(format!(
            "CREATE ACCOUNT {if_not_exists}{} ADMIN_NAME {} IDENTIFIED BY ?{}",
            login_ident("account", &self.name)?,
            login_literal("user", &self.admin)?,
            status_and_comment(self.status, &self.comment)?
        ))
    }

    fn values(&self) -> Vec<Value> {
        vec![Value::from(self.password.expose())]
    }

    fn secrets(&self) -> Vec<String> {
        vec![self.password.expose().to_owned()]
    }

    fn decode_output(_result: ResultSet) -> Result<()> {
        Ok(())
    }
}

/// `ALTER ACCOUNT [IF EXISTS] name [ADMIN_NAME 'admin' IDENTIFIED BY ?] [OPEN | SUSPEND |
/// RESTRICTED] [COMMENT 'c']`. Built by [`Account::alter`]; runs to `()`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AlterAccount {
    name: String,
    if_exists: bool,
    auth: Option<(String, Secret)>,
    status: Option<AccountStatus>,
    comment: Option<String>,
}

impl AlterAccount {
    /// Sets the password of the account's admin user.
    ///
    /// ```
    /// use matrixone::mo::Account;
    /// assert_eq!(
    ///     Account::alter("acc1").admin_password("admin", "n3w").to_sql().unwrap(),
    ///     "ALTER ACCOUNT `acc1` ADMIN_NAME 'admin' IDENTIFIED BY ?"
    /// );
    /// ```
    pub fn admin_password(mut self, admin: impl Into<String>, password: impl Into<Secret>) -> Self {
        self.auth = Some((admin.into(), password.into()));
        self
    }

    /// Suspends the account: its users cannot log in.
    ///
    /// ```
    /// use matrixone::mo::Account;
    /// assert_eq!(Account::alter("acc1").suspend().to_sql().unwrap(), "ALTER ACCOUNT `acc1` SUSPEND");
    /// ```
    pub fn suspend(mut self) -> Self {
        self.status = Some(AccountStatus::Suspend);
        self
    }

    /// Opens a suspended or restricted account again.
    ///
    /// ```
    /// use matrixone::mo::Account;
    /// assert_eq!(Account::alter("acc1").open().to_sql().unwrap(), "ALTER ACCOUNT `acc1` OPEN");
    /// ```
    pub fn open(mut self) -> Self {
        self.status = Some(AccountStatus::Open);
        self
    }

    /// Restricts the account: its users may read but not write.
    ///
    /// ```
    /// use matrixone::mo::Account;
    /// assert_eq!(Account::alter("acc1").restricted().to_sql().unwrap(), "ALTER ACCOUNT `acc1` RESTRICTED");
    /// ```
    pub fn restricted(mut self) -> Self {
        self.status = Some(AccountStatus::Restricted);
        self
    }

    /// Sets the comment.
    ///
    /// ```
    /// use matrixone::mo::Account;
    /// assert_eq!(
    ///     Account::alter("acc1").comment("moved").to_sql().unwrap(),
    ///     "ALTER ACCOUNT `acc1` COMMENT 'moved'"
    /// );
    /// ```
    pub fn comment(mut self, comment: impl Into<String>) -> Self {
        self.comment = Some(comment.into());
        self
    }

    /// Succeeds without doing anything when the account does not exist.
    ///
    /// ```
    /// use matrixone::mo::Account;
    /// assert_eq!(Account::alter("acc1").open().if_exists().to_sql().unwrap(), "ALTER ACCOUNT IF EXISTS `acc1` OPEN");
    /// ```
    pub fn if_exists(mut self) -> Self {
        self.if_exists = true;
        self
    }
}

impl MoStatement for AlterAccount {
    type Output = ();

    fn in_transaction(&self) -> InTransaction {
        InTransaction::Refused("ALTER ACCOUNT")
    }

    fn requires(&self) -> Requires {
        Requires::MatrixOne
    }

    fn render(&self, _dialect: Dialect) -> Result<String> {
        let name = login_ident("account", &self.name)?;
        if self.auth.is_none() && self.status.is_none() && self.comment.is_none() {
            return Err(Error::invalid_input(format!(
                "ALTER ACCOUNT {name} changes nothing: call .admin_password(..), .suspend(), .open(), \
                 .restricted() or .comment(..)"
            )));
        }
        let if_exists = if self.if_exists { "IF EXISTS " } else { "" };
        let auth = match &self.auth {
            None => String::new(),
            Some((admin, _)) => format!(" ADMIN_NAME {} IDENTIFIED BY ?", login_literal("user", admin)?),
        };
        Ok(format!(
            "ALTER ACCOUNT {if_exists}{name}{auth}{}",
            status_and_comment(self.status, &self.comment)?
        ))
    }

    fn values(&self) -> Vec<Value> {
        self.auth.iter().map(|(_, pw)| Value::from(pw.expose())).collect()
    }

    fn secrets(&self) -> Vec<String> {
        self.auth.iter().map(|(_, pw)| pw.expose().to_owned()).collect()
    }

    fn decode_output(_result: ResultSet) -> Result<()> {
        Ok(())
    }
}

/// `DROP ACCOUNT [IF EXISTS] name`. Built by [`Account::drop`]; runs to `()`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DropAccount {
    name: String,
    if_exists: bool,
}

impl DropAccount {
    /// Succeeds without doing anything when the account does not exist.
    ///
    /// ```
    /// use matrixone::mo::Account;
    /// assert_eq!(Account::drop("acc1").if_exists().to_sql().unwrap(), "DROP ACCOUNT IF EXISTS `acc1`");
    /// ```
    pub fn if_exists(mut self) -> Self {
        self.if_exists = true;
        self
    }
}

impl MoStatement for DropAccount {
    type Output = ();

    fn in_transaction(&self) -> InTransaction {
        InTransaction::Refused("DROP ACCOUNT")
    }

    fn requires(&self) -> Requires {
        Requires::MatrixOne
    }

    fn render(&self, _dialect: Dialect) -> Result<String> {
        let if_exists = if self.if_exists { "IF EXISTS " } else { "" };
        Ok(format!("DROP ACCOUNT {if_exists}{}", login_ident("account", &self.name)?))
    }

    fn decode_output(_result: ResultSet) -> Result<()> {
        Ok(())
    }
}

/// `SHOW ACCOUNTS [LIKE 'pattern']`. Built by [`Account::show`]; runs to `Vec<AccountInfo>`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ShowAccounts {
    like: Option<String>,
}

impl ShowAccounts {
    /// Only the accounts whose name matches a `LIKE` pattern (`%` and `_`; a backslash is refused, since it
    /// reads differently depending on `NO_BACKSLASH_ESCAPES`).
    ///
    /// ```
    /// use matrixone::mo::Account;
    /// assert_eq!(Account::show().like("acc%").to_sql().unwrap(), "SHOW ACCOUNTS LIKE 'acc%'");
    /// ```
    pub fn like(mut self, pattern: impl Into<String>) -> Self {
        self.like = Some(pattern.into());
        self
    }
}

impl MoStatement for ShowAccounts {
    type Output = Vec<AccountInfo>;

    fn requires(&self) -> Requires {
        Requires::MatrixOne
    }

    fn render(&self, _dialect: Dialect) -> Result<String> {
        match &self.like {
            None => Ok("SHOW ACCOUNTS".to_owned()),
            Some(pattern) => Ok(format!("SHOW ACCOUNTS LIKE {}", mode_independent_literal(pattern)?)),
        }
    }

    fn decode_output(result: ResultSet) -> Result<Vec<AccountInfo>> {
        result.typed()
    }
}

crate::mo::impl_to_sql!(CreateAccount, AlterAccount, DropAccount, ShowAccounts);
