//! Grants: privileges to roles and roles to users, their revokes, and `SHOW GRANTS` (grammar:
//! `grant_stmt`, `revoke_stmt`, `priv_type`, `object_type`, `priv_level`, `show_grants_stmt` in
//! pkg/sql/parsers/dialect/mysql/mysql_sql.y).
//!
//! MatrixOne grants privileges to roles only, and roles to users; GRANT and REVOKE do not run
//! inside a transaction (`IsAdministrativeStatement`, pkg/frontend/stmt_kind.go).

use super::names::{login_ident, login_list, strings};
use crate::error::{Error, Result};
use crate::mo::{Dialect, InTransaction, MoStatement, Requires, TableRef};
use crate::result::ResultSet;
use crate::sql::quote_ident;

/// What privileges are granted on: `object_type priv_level`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum GrantObject {
    /// `ACCOUNT *`: account-wide privileges (`CREATE USER`, `CREATE DATABASE`, ...).
    Account,
    /// `DATABASE *`: every database.
    AllDatabases,
    /// `DATABASE d`.
    Database(String),
    /// `TABLE *.*`: every table of every database.
    AllTables,
    /// `TABLE d.*`: every table of one database.
    AllTablesIn(String),
    /// `TABLE d.t` (or `TABLE t` in the current database).
    Table(TableRef),
}

impl GrantObject {
    fn to_sql(&self) -> Result<String> {
        Ok(match self {
            GrantObject::Account => "ACCOUNT *".to_owned(),
            GrantObject::AllDatabases => "DATABASE *".to_owned(),
            GrantObject::Database(db) => format!("DATABASE {}", quote_ident(db)?),
            GrantObject::AllTables => "TABLE *.*".to_owned(),
            GrantObject::AllTablesIn(db) => format!("TABLE {}.*", quote_ident(db)?),
            GrantObject::Table(table) => format!("TABLE {}", table.to_sql()?),
        })
    }
}

/// Privilege names are keywords (`SELECT`, `CREATE ACCOUNT`, `ALL`): letters, `_` and single
/// spaces only, sent upper-case.
fn privilege_list(privileges: &[String]) -> Result<String> {
    if privileges.is_empty() {
        return Err(Error::invalid_input("name at least one privilege"));
    }
    let mut out = Vec::with_capacity(privileges.len());
    for p in privileges {
        let words: Vec<&str> = p.split_whitespace().collect();
        if words.is_empty() || words.iter().any(|w| !w.chars().all(|c| c.is_ascii_alphabetic() || c == '_')) {
            return Err(Error::invalid_input(format!(
                "privilege {p:?} is not a privilege name (letters, '_' and spaces, e.g. \"SELECT\" or \"CREATE USER\")"
            )));
        }
        out.push(words.join(" ").to_ascii_uppercase());
    }
    Ok(out.join(", "))
}

/// Entry point for GRANT and SHOW GRANTS; it has no values of its own.
#[derive(Debug)]
pub enum Grant {}

impl Grant {
    /// `GRANT privileges ON object TO roles`.
    ///
    /// ```
    /// use matrixone::mo::{Grant, GrantObject};
    /// assert_eq!(
    ///     Grant::privileges(["select", "insert"], GrantObject::Table("db1.t1".into())).to(["reader"]).to_sql().unwrap(),
    ///     "GRANT SELECT, INSERT ON TABLE `db1`.`t1` TO `reader`"
    /// );
    /// assert_eq!(
    ///     Grant::privileges(["create  user"], GrantObject::Account).to(["admin2"]).with_grant_option().to_sql().unwrap(),
    ///     "GRANT CREATE USER ON ACCOUNT * TO `admin2` WITH GRANT OPTION"
    /// );
    /// assert_eq!(
    ///     Grant::privileges(["ALL"], GrantObject::AllTablesIn("db1".into())).to(["r"]).to_sql().unwrap(),
    ///     "GRANT ALL ON TABLE `db1`.* TO `r`"
    /// );
    /// assert!(Grant::privileges(["select; drop"], GrantObject::AllTables).to(["r"]).to_sql().is_err());
    /// assert!(Grant::privileges(["select"], GrantObject::AllTables).to_sql().is_err());
    /// ```
    pub fn privileges<I: IntoIterator<Item = S>, S: Into<String>>(
        privileges: I,
        on: GrantObject,
    ) -> GrantPrivileges {
        GrantPrivileges { privileges: strings(privileges), on, roles: Vec::new(), grant_option: false }
    }

    /// `GRANT roles TO users`.
    ///
    /// ```
    /// use matrixone::mo::Grant;
    /// assert_eq!(Grant::roles(["reader"]).to(["alice", "bob"]).to_sql().unwrap(), "GRANT `reader` TO `alice`, `bob`");
    /// ```
    pub fn roles<I: IntoIterator<Item = S>, S: Into<String>>(roles: I) -> GrantRoles {
        GrantRoles { roles: strings(roles), users: Vec::new(), grant_option: false }
    }

    /// `SHOW GRANTS` (the current user's); its output is one `String` per grant.
    ///
    /// ```
    /// use matrixone::mo::Grant;
    /// assert_eq!(Grant::show().to_sql().unwrap(), "SHOW GRANTS");
    /// ```
    pub fn show() -> ShowGrants {
        ShowGrants { target: None }
    }
}

/// `GRANT privileges ON object TO roles [WITH GRANT OPTION]`. Built by [`Grant::privileges`];
/// runs to `()`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GrantPrivileges {
    privileges: Vec<String>,
    on: GrantObject,
    roles: Vec<String>,
    grant_option: bool,
}

impl GrantPrivileges {
    /// The roles that get the privileges.
    ///
    /// ```
    /// use matrixone::mo::{Grant, GrantObject};
    /// assert_eq!(
    ///     Grant::privileges(["SHOW TABLES"], GrantObject::Database("db1".into())).to(["r1", "r2"]).to_sql().unwrap(),
    ///     "GRANT SHOW TABLES ON DATABASE `db1` TO `r1`, `r2`"
    /// );
    /// ```
    pub fn to<I: IntoIterator<Item = S>, S: Into<String>>(mut self, roles: I) -> Self {
        self.roles = strings(roles);
        self
    }

    /// Lets the roles grant the privileges on.
    ///
    /// ```
    /// use matrixone::mo::{Grant, GrantObject};
    /// assert_eq!(
    ///     Grant::privileges(["SELECT"], GrantObject::AllDatabases).to(["r"]).with_grant_option().to_sql().unwrap(),
    ///     "GRANT SELECT ON DATABASE * TO `r` WITH GRANT OPTION"
    /// );
    /// ```
    pub fn with_grant_option(mut self) -> Self {
        self.grant_option = true;
        self
    }
}

impl MoStatement for GrantPrivileges {
    type Output = ();

    fn in_transaction(&self) -> InTransaction {
        InTransaction::Refused("GRANT")
    }

    fn requires(&self) -> Requires {
        Requires::MatrixOne
    }

    fn render(&self, _dialect: Dialect) -> Result<String> {
        let option = if self.grant_option { " WITH GRANT OPTION" } else { "" };
        Ok(format!(
            "GRANT {} ON {} TO {}{option}",
            privilege_list(&self.privileges)?,
            self.on.to_sql()?,
            login_list("role", &self.roles)?
        ))
    }

    fn decode_output(_result: ResultSet) -> Result<()> {
        Ok(())
    }
}

/// `GRANT roles TO users [WITH GRANT OPTION]`. Built by [`Grant::roles`]; runs to `()`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GrantRoles {
    roles: Vec<String>,
    users: Vec<String>,
    grant_option: bool,
}

impl GrantRoles {
    /// The users that get the roles.
    ///
    /// ```
    /// use matrixone::mo::Grant;
    /// assert_eq!(Grant::roles(["r1", "r2"]).to(["alice"]).to_sql().unwrap(), "GRANT `r1`, `r2` TO `alice`");
    /// assert!(Grant::roles(["r1"]).to_sql().is_err());
    /// ```
    pub fn to<I: IntoIterator<Item = S>, S: Into<String>>(mut self, users: I) -> Self {
        self.users = strings(users);
        self
    }

    /// Lets the users grant the roles on.
    ///
    /// ```
    /// use matrixone::mo::Grant;
    /// assert_eq!(
    ///     Grant::roles(["r1"]).to(["alice"]).with_grant_option().to_sql().unwrap(),
    ///     "GRANT `r1` TO `alice` WITH GRANT OPTION"
    /// );
    /// ```
    pub fn with_grant_option(mut self) -> Self {
        self.grant_option = true;
        self
    }
}

impl MoStatement for GrantRoles {
    type Output = ();

    fn in_transaction(&self) -> InTransaction {
        InTransaction::Refused("GRANT")
    }

    fn requires(&self) -> Requires {
        Requires::MatrixOne
    }

    fn render(&self, _dialect: Dialect) -> Result<String> {
        let option = if self.grant_option { " WITH GRANT OPTION" } else { "" };
        Ok(format!(
            "GRANT {} TO {}{option}",
            login_list("role", &self.roles)?,
            login_list("user", &self.users)?
        ))
    }

    fn decode_output(_result: ResultSet) -> Result<()> {
        Ok(())
    }
}

/// Entry point for REVOKE; it has no values of its own.
#[derive(Debug)]
pub enum Revoke {}

impl Revoke {
    /// `REVOKE privileges ON object FROM roles`.
    ///
    /// ```
    /// use matrixone::mo::{GrantObject, Revoke};
    /// assert_eq!(
    ///     Revoke::privileges(["insert"], GrantObject::Table("t1".into())).from(["writer"]).to_sql().unwrap(),
    ///     "REVOKE INSERT ON TABLE `t1` FROM `writer`"
    /// );
    /// ```
    pub fn privileges<I: IntoIterator<Item = S>, S: Into<String>>(
        privileges: I,
        on: GrantObject,
    ) -> RevokePrivileges {
        RevokePrivileges { privileges: strings(privileges), on, roles: Vec::new(), if_exists: false }
    }

    /// `REVOKE roles FROM users`.
    ///
    /// ```
    /// use matrixone::mo::Revoke;
    /// assert_eq!(Revoke::roles(["reader"]).from(["alice"]).to_sql().unwrap(), "REVOKE `reader` FROM `alice`");
    /// ```
    pub fn roles<I: IntoIterator<Item = S>, S: Into<String>>(roles: I) -> RevokeRoles {
        RevokeRoles { roles: strings(roles), users: Vec::new(), if_exists: false }
    }
}

/// `REVOKE [IF EXISTS] privileges ON object FROM roles`. Built by [`Revoke::privileges`]; runs
/// to `()`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RevokePrivileges {
    privileges: Vec<String>,
    on: GrantObject,
    roles: Vec<String>,
    if_exists: bool,
}

impl RevokePrivileges {
    /// The roles that lose the privileges.
    ///
    /// ```
    /// use matrixone::mo::{GrantObject, Revoke};
    /// assert_eq!(
    ///     Revoke::privileges(["ALL"], GrantObject::AllTables).from(["r1", "r2"]).to_sql().unwrap(),
    ///     "REVOKE ALL ON TABLE *.* FROM `r1`, `r2`"
    /// );
    /// ```
    pub fn from<I: IntoIterator<Item = S>, S: Into<String>>(mut self, roles: I) -> Self {
        self.roles = strings(roles);
        self
    }

    /// Succeeds for roles that do not exist.
    ///
    /// ```
    /// use matrixone::mo::{GrantObject, Revoke};
    /// assert_eq!(
    ///     Revoke::privileges(["SELECT"], GrantObject::Account).from(["r"]).if_exists().to_sql().unwrap(),
    ///     "REVOKE IF EXISTS SELECT ON ACCOUNT * FROM `r`"
    /// );
    /// ```
    pub fn if_exists(mut self) -> Self {
        self.if_exists = true;
        self
    }
}

impl MoStatement for RevokePrivileges {
    type Output = ();

    fn in_transaction(&self) -> InTransaction {
        InTransaction::Refused("REVOKE")
    }

    fn requires(&self) -> Requires {
        Requires::MatrixOne
    }

    fn render(&self, _dialect: Dialect) -> Result<String> {
        let if_exists = if self.if_exists { "IF EXISTS " } else { "" };
        Ok(format!(
            "REVOKE {if_exists}{} ON {} FROM {}",
            privilege_list(&self.privileges)?,
            self.on.to_sql()?,
            login_list("role", &self.roles)?
        ))
    }

    fn decode_output(_result: ResultSet) -> Result<()> {
        Ok(())
    }
}

/// `REVOKE [IF EXISTS] roles FROM users`. Built by [`Revoke::roles`]; runs to `()`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RevokeRoles {
    roles: Vec<String>,
    users: Vec<String>,
    if_exists: bool,
}

impl RevokeRoles {
    /// The users that lose the roles.
    ///
    /// ```
    /// use matrixone::mo::Revoke;
    /// assert_eq!(Revoke::roles(["r1"]).from(["a", "b"]).to_sql().unwrap(), "REVOKE `r1` FROM `a`, `b`");
    /// ```
    pub fn from<I: IntoIterator<Item = S>, S: Into<String>>(mut self, users: I) -> Self {
        self.users = strings(users);
        self
    }

    /// Succeeds for roles that do not exist.
    ///
    /// ```
    /// use matrixone::mo::Revoke;
    /// assert_eq!(Revoke::roles(["r1"]).from(["a"]).if_exists().to_sql().unwrap(), "REVOKE IF EXISTS `r1` FROM `a`");
    /// ```
    pub fn if_exists(mut self) -> Self {
        self.if_exists = true;
        self
    }
}

impl MoStatement for RevokeRoles {
    type Output = ();

    fn in_transaction(&self) -> InTransaction {
        InTransaction::Refused("REVOKE")
    }

    fn requires(&self) -> Requires {
        Requires::MatrixOne
    }

    fn render(&self, _dialect: Dialect) -> Result<String> {
        let if_exists = if self.if_exists { "IF EXISTS " } else { "" };
        Ok(format!(
            "REVOKE {if_exists}{} FROM {}",
            login_list("role", &self.roles)?,
            login_list("user", &self.users)?
        ))
    }

    fn decode_output(_result: ResultSet) -> Result<()> {
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum GrantsOf {
    User(String, Vec<String>),
    Role(String),
}

/// `SHOW GRANTS [FOR user [USING roles] | FOR ROLE r]`. Built by [`Grant::show`]; runs to one
/// `String` per grant (the first column of each row: MatrixOne writes each as a GRANT statement).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ShowGrants {
    target: Option<GrantsOf>,
}

impl ShowGrants {
    /// The grants of a user (and, with `using`, of these of its roles).
    ///
    /// ```
    /// use matrixone::mo::Grant;
    /// assert_eq!(Grant::show().for_user("alice", Vec::<String>::new()).to_sql().unwrap(), "SHOW GRANTS FOR `alice`");
    /// assert_eq!(
    ///     Grant::show().for_user("alice", ["reader"]).to_sql().unwrap(),
    ///     "SHOW GRANTS FOR `alice` USING `reader`"
    /// );
    /// ```
    pub fn for_user<I: IntoIterator<Item = S>, S: Into<String>>(
        mut self,
        user: impl Into<String>,
        using: I,
    ) -> Self {
        self.target = Some(GrantsOf::User(user.into(), strings(using)));
        self
    }

    /// The grants of a role.
    ///
    /// ```
    /// use matrixone::mo::Grant;
    /// assert_eq!(Grant::show().for_role("reader").to_sql().unwrap(), "SHOW GRANTS FOR ROLE `reader`");
    /// ```
    pub fn for_role(mut self, role: impl Into<String>) -> Self {
        self.target = Some(GrantsOf::Role(role.into()));
        self
    }
}

impl MoStatement for ShowGrants {
    type Output = Vec<String>;

    fn requires(&self) -> Requires {
        Requires::MatrixOne
    }

    fn render(&self, _dialect: Dialect) -> Result<String> {
        Ok(match &self.target {
            None => "SHOW GRANTS".to_owned(),
            Some(GrantsOf::User(user, using)) if using.is_empty() => {
                format!("SHOW GRANTS FOR {}", login_ident("user", user)?)
            }
            Some(GrantsOf::User(user, using)) => {
                format!("SHOW GRANTS FOR {} USING {}", login_ident("user", user)?, login_list("role", using)?)
            }
            Some(GrantsOf::Role(role)) => format!("SHOW GRANTS FOR ROLE {}", login_ident("role", role)?),
        })
    }

    fn decode_output(result: ResultSet) -> Result<Vec<String>> {
        result.iter().map(|row| row.get::<String>(0)).collect()
    }
}

crate::mo::impl_to_sql!(GrantPrivileges, GrantRoles, RevokePrivileges, RevokeRoles, ShowGrants);
