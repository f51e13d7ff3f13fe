//! User statements: [`User::create`], [`User::alter`], [`User::drop`] (grammar:
//! `create_user_stmt`, `alter_user_stmt`, `drop_user_stmt` in
//! pkg/sql/parsers/dialect/mysql/mysql_sql.y). Users belong to the current account.
//!
//! MatrixOne runs none of them inside a transaction (`IsAdministrativeStatement`,
//! pkg/frontend/stmt_kind.go).

use super::Secret;
use super::names::{comment_clause, login_ident};
use crate::error::Result;
use crate::mo::{Dialect, InTransaction, MoStatement, Requires};
use crate::result::ResultSet;
use crate::value::Value;

/// Entry point for the user statements; it has no values of its own.
///
/// User and role names must not contain quotes, backslashes, control characters, `:` or `#`.
#[derive(Debug)]
pub enum User {}

impl User {
    /// `CREATE USER name IDENTIFIED BY ?`; the password is a [`Secret`], sent as a bound value.
    ///
    /// ```
    /// use matrixone::mo::{MoStatement, User};
    /// let create = User::create("alice", "pa'ss");
    /// assert_eq!(create.to_sql().unwrap(), "CREATE USER `alice` IDENTIFIED BY ?");
    /// assert!(!format!("{create:?}").contains("pa'ss"));
    /// assert_eq!(create.values().len(), 1);
    /// ```
    pub fn create(name: impl Into<String>, password: impl Into<Secret>) -> CreateUser {
        CreateUser {
            users: vec![(name.into(), password.into())],
            if_not_exists: false,
            default_role: None,
            lock: false,
            comment: None,
        }
    }

    /// `ALTER USER name IDENTIFIED BY ?`: a new password.
    ///
    /// ```
    /// use matrixone::mo::User;
    /// assert_eq!(User::alter_password("alice", "n3w").to_sql().unwrap(), "ALTER USER `alice` IDENTIFIED BY ?");
    /// ```
    pub fn alter_password(name: impl Into<String>, password: impl Into<Secret>) -> AlterUser {
        AlterUser { name: name.into(), change: Change::Password(password.into()), if_exists: false }
    }

    /// `ALTER USER name LOCK`: the user cannot log in.
    ///
    /// ```
    /// use matrixone::mo::User;
    /// assert_eq!(User::lock("alice").to_sql().unwrap(), "ALTER USER `alice` LOCK");
    /// ```
    pub fn lock(name: impl Into<String>) -> AlterUser {
        AlterUser { name: name.into(), change: Change::Lock, if_exists: false }
    }

    /// `ALTER USER name UNLOCK`.
    ///
    /// ```
    /// use matrixone::mo::User;
    /// assert_eq!(User::unlock("alice").if_exists().to_sql().unwrap(), "ALTER USER IF EXISTS `alice` UNLOCK");
    /// ```
    pub fn unlock(name: impl Into<String>) -> AlterUser {
        AlterUser { name: name.into(), change: Change::Unlock, if_exists: false }
    }

    /// `DROP USER name`.
    ///
    /// ```
    /// use matrixone::mo::User;
    /// assert_eq!(User::drop("alice").to_sql().unwrap(), "DROP USER `alice`");
    /// ```
    pub fn drop(name: impl Into<String>) -> DropUser {
        DropUser { name: name.into(), if_exists: false }
    }
}

/// `CREATE USER [IF NOT EXISTS] name IDENTIFIED BY ? [, name IDENTIFIED BY ? ...] [DEFAULT ROLE r]
/// [LOCK] [COMMENT 'c']`. Built by [`User::create`] (more users with [`CreateUser::user`]); runs
/// to `()`. `Debug` redacts the passwords.
///
/// The grammar's other forms, `IDENTIFIED BY RANDOM PASSWORD` and `IDENTIFIED WITH '...'`, are
/// left out: MatrixOne parses them but refuses them when it runs the statement ("only support
/// password verification now", `InitUser` in pkg/frontend/authenticate.go).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CreateUser {
    users: Vec<(String, Secret)>,
    if_not_exists: bool,
    default_role: Option<String>,
    lock: bool,
    comment: Option<String>,
}

impl CreateUser {
    /// One more user created by the same statement, with its own password (a [`Secret`], sent
    /// as a bound value); the default role, lock and comment apply to every user.
    ///
    /// ```
    /// use matrixone::mo::{MoStatement, User};
    /// let create = User::create("u1", "p1").user("u2", "p'2").default_role("reader");
    /// assert_eq!(
    ///     create.to_sql().unwrap(),
    ///     "CREATE USER `u1` IDENTIFIED BY ?, `u2` IDENTIFIED BY ? DEFAULT ROLE `reader`"
    /// );
    /// assert_eq!(create.values().len(), 2);
    /// assert!(!format!("{create:?}").contains("p'2"));
    /// assert!(User::create("u1", "p1").user("o'brien", "p2").to_sql().is_err());
    /// ```
    pub fn user(mut self, name: impl Into<String>, password: impl Into<Secret>) -> Self {
        self.users.push((name.into(), password.into()));
        self
    }

    /// Succeeds without doing anything when the user exists.
    ///
    /// ```
    /// use matrixone::mo::User;
    /// assert_eq!(
    ///     User::create("alice", "pw").if_not_exists().to_sql().unwrap(),
    ///     "CREATE USER IF NOT EXISTS `alice` IDENTIFIED BY ?"
    /// );
    /// ```
    pub fn if_not_exists(mut self) -> Self {
        self.if_not_exists = true;
        self
    }

    /// The role the user gets at login.
    ///
    /// ```
    /// use matrixone::mo::User;
    /// assert_eq!(
    ///     User::create("alice", "pw").default_role("reader").to_sql().unwrap(),
    ///     "CREATE USER `alice` IDENTIFIED BY ? DEFAULT ROLE `reader`"
    /// );
    /// ```
    pub fn default_role(mut self, role: impl Into<String>) -> Self {
        self.default_role = Some(role.into());
        self
    }

    /// Creates the user locked.
    ///
    /// ```
    /// use matrixone::mo::User;
    /// assert_eq!(User::create("alice", "pw").locked().to_sql().unwrap(), "CREATE USER `alice` IDENTIFIED BY ? LOCK");
    /// ```
    pub fn locked(mut self) -> Self {
        self.lock = true;
        self
    }

    /// A comment (no quotes or backslashes: MatrixOne stores it unescaped).
    ///
    /// ```
    /// use matrixone::mo::User;
    /// assert_eq!(
    ///     User::create("alice", "pw").comment("analyst").to_sql().unwrap(),
    ///     "CREATE USER `alice` IDENTIFIED BY ? COMMENT 'analyst'"
    /// );
    /// ```
    pub fn comment(mut self, comment: impl Into<String>) -> Self {
        self.comment = Some(comment.into());
        self
    }
}

impl MoStatement for CreateUser {
    type Output = ();

    fn in_transaction(&self) -> InTransaction {
        InTransaction::Refused("CREATE USER")
    }

    fn requires(&self) -> Requires {
        Requires::MatrixOne
    }

    fn render(&self, _dialect: Dialect) -> Result<String> {
        let if_not_exists = if self.if_not_exists { "IF NOT EXISTS " } else { "" };
        let users = self
            .users
            .iter()
            .map(|(name, _)| Ok(format!("{} IDENTIFIED BY ?", login_ident("user", name)?)))
            .collect::<Result<Vec<_>>>()?;
        let mut sql = format!("CREATE USER {if_not_exists}{}", users.join(", "));
        if let Some(role) = &self.default_role {
            sql.push_str(&format!(" DEFAULT ROLE {}", login_ident("role", role)?));
        }
        if self.lock {
            sql.push_str(" LOCK");
        }
        sql.push_str(&comment_clause(&self.comment)?);
        Ok(sql)
    }

    fn values(&self) -> Vec<Value> {
        self.users.iter().map(|(_, pw)| Value::from(pw.expose())).collect()
    }

    fn secrets(&self) -> Vec<String> {
        self.users.iter().map(|(_, pw)| pw.expose().to_owned()).collect()
    }

    fn decode_output(_result: ResultSet) -> Result<()> {
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Change {
    Password(Secret),
    Lock,
    Unlock,
}

/// `ALTER USER [IF EXISTS] name {IDENTIFIED BY ? | LOCK | UNLOCK}`. Built by
/// [`User::alter_password`], [`User::lock`] and [`User::unlock`]; runs to `()`.
///
/// The grammar also takes `ALTER USER name IDENTIFIED BY ... DEFAULT ROLE r`, but MatrixOne
/// refuses it when it runs the statement ("not support alter role", `doAlterUser` in
/// pkg/frontend/authenticate.go), so it is left out.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AlterUser {
    name: String,
    change: Change,
    if_exists: bool,
}

impl AlterUser {
    /// Succeeds without doing anything when the user does not exist.
    ///
    /// ```
    /// use matrixone::mo::User;
    /// assert_eq!(User::lock("alice").if_exists().to_sql().unwrap(), "ALTER USER IF EXISTS `alice` LOCK");
    /// ```
    pub fn if_exists(mut self) -> Self {
        self.if_exists = true;
        self
    }
}

impl MoStatement for AlterUser {
    type Output = ();

    fn in_transaction(&self) -> InTransaction {
        InTransaction::Refused("ALTER USER")
    }

    fn requires(&self) -> Requires {
        Requires::MatrixOne
    }

    fn render(&self, _dialect: Dialect) -> Result<String> {
        let if_exists = if self.if_exists { "IF EXISTS " } else { "" };
        let change = match self.change {
            Change::Password(_) => "IDENTIFIED BY ?",
            Change::Lock => "LOCK",
            Change::Unlock => "UNLOCK",
        };
        Ok(format!("ALTER USER {if_exists}{} {change}", login_ident("user", &self.name)?))
    }

    fn values(&self) -> Vec<Value> {
        match &self.change {
            Change::Password(pw) => vec![Value::from(pw.expose())],
            _ => Vec::new(),
        }
    }

    fn secrets(&self) -> Vec<String> {
        match &self.change {
            Change::Password(pw) => vec![pw.expose().to_owned()],
            _ => Vec::new(),
        }
    }

    fn decode_output(_result: ResultSet) -> Result<()> {
        Ok(())
    }
}

/// `DROP USER [IF EXISTS] name`. Built by [`User::drop`]; runs to `()`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DropUser {
    name: String,
    if_exists: bool,
}

impl DropUser {
    /// Succeeds without doing anything when the user does not exist.
    ///
    /// ```
    /// use matrixone::mo::User;
    /// assert_eq!(User::drop("alice").if_exists().to_sql().unwrap(), "DROP USER IF EXISTS `alice`");
    /// ```
    pub fn if_exists(mut self) -> Self {
        self.if_exists = true;
        self
    }
}

impl MoStatement for DropUser {
    type Output = ();

    fn in_transaction(&self) -> InTransaction {
        InTransaction::Refused("DROP USER")
    }

    fn requires(&self) -> Requires {
        Requires::MatrixOne
    }

    fn render(&self, _dialect: Dialect) -> Result<String> {
        let if_exists = if self.if_exists { "IF EXISTS " } else { "" };
        Ok(format!("DROP USER {if_exists}{}", login_ident("user", &self.name)?))
    }

    fn decode_output(_result: ResultSet) -> Result<()> {
        Ok(())
    }
}

crate::mo::impl_to_sql!(CreateUser, AlterUser, DropUser);
