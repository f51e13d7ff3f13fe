//! Role statements: [`Role::create`] and [`Role::drop`] (grammar: `create_role_stmt`,
//! `drop_role_stmt` in pkg/sql/parsers/dialect/mysql/mysql_sql.y). Grants are in `grant.rs`.

use super::names::{login_list, strings};
use crate::error::Result;
use crate::mo::{Dialect, InTransaction, MoStatement, Requires};
use crate::result::ResultSet;

/// Entry point for the role statements; it has no values of its own.
#[derive(Debug)]
pub enum Role {}

impl Role {
    /// `CREATE ROLE r1[, r2 ...]`.
    ///
    /// ```
    /// use matrixone::mo::Role;
    /// assert_eq!(Role::create(["reader", "writer"]).to_sql().unwrap(), "CREATE ROLE `reader`, `writer`");
    /// assert!(Role::create(Vec::<String>::new()).to_sql().is_err());
    /// ```
    pub fn create<I: IntoIterator<Item = S>, S: Into<String>>(roles: I) -> CreateRole {
        CreateRole { roles: strings(roles), if_not_exists: false }
    }

    /// `DROP ROLE r1[, r2 ...]`.
    ///
    /// ```
    /// use matrixone::mo::Role;
    /// assert_eq!(Role::drop(["reader"]).to_sql().unwrap(), "DROP ROLE `reader`");
    /// ```
    pub fn drop<I: IntoIterator<Item = S>, S: Into<String>>(roles: I) -> DropRole {
        DropRole { roles: strings(roles), if_exists: false }
    }
}

/// `CREATE ROLE [IF NOT EXISTS] r, ...`. Built by [`Role::create`]; runs to `()`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CreateRole {
    roles: Vec<String>,
    if_not_exists: bool,
}

impl CreateRole {
    /// Succeeds without doing anything for roles that exist.
    ///
    /// ```
    /// use matrixone::mo::Role;
    /// assert_eq!(Role::create(["reader"]).if_not_exists().to_sql().unwrap(), "CREATE ROLE IF NOT EXISTS `reader`");
    /// ```
    pub fn if_not_exists(mut self) -> Self {
        self.if_not_exists = true;
        self
    }
}

impl MoStatement for CreateRole {
    type Output = ();

    fn in_transaction(&self) -> InTransaction {
        InTransaction::Refused("CREATE ROLE")
    }

    fn requires(&self) -> Requires {
        Requires::MatrixOne
    }

    fn render(&self, _dialect: Dialect) -> Result<String> {
        let if_not_exists = if self.if_not_exists { "IF NOT EXISTS " } else { "" };
        Ok(format!("CREATE ROLE {if_not_exists}{}", login_list("role", &self.roles)?))
    }

    fn decode_output(_result: ResultSet) -> Result<()> {
        Ok(())
    }
}

/// `DROP ROLE [IF EXISTS] r, ...`. Built by [`Role::drop`]; runs to `()`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DropRole {
    roles: Vec<String>,
    if_exists: bool,
}

impl DropRole {
    /// Succeeds without doing anything for roles that do not exist.
    ///
    /// ```
    /// use matrixone::mo::Role;
    /// assert_eq!(Role::drop(["reader"]).if_exists().to_sql().unwrap(), "DROP ROLE IF EXISTS `reader`");
    /// ```
    pub fn if_exists(mut self) -> Self {
        self.if_exists = true;
        self
    }
}

impl MoStatement for DropRole {
    type Output = ();

    fn in_transaction(&self) -> InTransaction {
        InTransaction::Refused("DROP ROLE")
    }

    fn requires(&self) -> Requires {
        Requires::MatrixOne
    }

    fn render(&self, _dialect: Dialect) -> Result<String> {
        let if_exists = if self.if_exists { "IF EXISTS " } else { "" };
        Ok(format!("DROP ROLE {if_exists}{}", login_list("role", &self.roles)?))
    }

    fn decode_output(_result: ResultSet) -> Result<()> {
        Ok(())
    }
}

crate::mo::impl_to_sql!(CreateRole, DropRole);
