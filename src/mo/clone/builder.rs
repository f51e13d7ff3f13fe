//! [`Clone`]: `CREATE DATABASE ... CLONE ...` and `CREATE TABLE ... CLONE ...`.

use crate::error::Result;
use crate::mo::names::object_literal;
use crate::mo::{Dialect, MoStatement, Requires, TableRef};
use crate::result::ResultSet;
use crate::sql::quote_ident;

/// Copies a database or a table, now or as of a snapshot:
/// `CREATE {DATABASE | TABLE} [IF NOT EXISTS] target CLONE source [{SNAPSHOT = 's'}] [TO ACCOUNT a]`.
///
/// Runs to `()`. Named `mo::Clone`; it is not [`std::clone::Clone`] (which it implements).
/// Refer to it as `mo::Clone`: a glob import of `matrixone::mo::*` would shadow the prelude's
/// `Clone` in that module.
/// Note the server's own rules: with `IF NOT EXISTS`, an existing target *or a missing source*
/// makes the statement a silent no-op; `TO ACCOUNT` needs a qualified target table.
#[derive(Debug, std::clone::Clone, PartialEq, Eq, Hash)]
pub struct Clone {
    object: Object,
    snapshot: Option<String>,
    if_not_exists: bool,
    to_account: Option<String>,
}

#[derive(Debug, std::clone::Clone, PartialEq, Eq, Hash)]
enum Object {
    Database { target: String, source: String },
    Table { target: TableRef, source: TableRef },
}

impl Clone {
    /// Clones database `source` into a new database `target`.
    ///
    /// ```
    /// use matrixone::mo;
    /// assert_eq!(
    ///     mo::Clone::database("backup_db", "source_db").to_sql().unwrap(),
    ///     "CREATE DATABASE `backup_db` CLONE `source_db`"
    /// );
    /// ```
    pub fn database(target: impl Into<String>, source: impl Into<String>) -> Clone {
        Clone::new(Object::Database { target: target.into(), source: source.into() })
    }

    /// Clones table `source` into a new table `target`; each is `"t"`, `"db.t"` or
    /// `("db", "t")`.
    ///
    /// ```
    /// use matrixone::mo;
    /// assert_eq!(
    ///     mo::Clone::table("test.backup_t", ("test", "source_t")).to_sql().unwrap(),
    ///     "CREATE TABLE `test`.`backup_t` CLONE `test`.`source_t`"
    /// );
    /// ```
    pub fn table(target: impl Into<TableRef>, source: impl Into<TableRef>) -> Clone {
        Clone::new(Object::Table { target: target.into(), source: source.into() })
    }

    fn new(object: Object) -> Clone {
        Clone { object, snapshot: None, if_not_exists: false, to_account: None }
    }

    /// Clones the source as it was at snapshot `snapshot` (`{SNAPSHOT = 'name'}`).
    ///
    /// ```
    /// use matrixone::mo;
    /// assert_eq!(
    ///     mo::Clone::database("db2", "db1").at_snapshot("s1").to_sql().unwrap(),
    ///     "CREATE DATABASE `db2` CLONE `db1` {SNAPSHOT = 's1'}"
    /// );
    /// assert!(mo::Clone::database("x", "prod").at_snapshot("s1\"} TO ACCOUNT victim -- ").to_sql().is_err());
    /// ```
    pub fn at_snapshot(mut self, snapshot: impl Into<String>) -> Self {
        self.snapshot = Some(snapshot.into());
        self
    }

    /// Succeeds without doing anything when the target exists (or, the server's rule, when the
    /// source is missing).
    ///
    /// ```
    /// use matrixone::mo;
    /// assert_eq!(
    ///     mo::Clone::table("t2", "t1").if_not_exists().to_sql().unwrap(),
    ///     "CREATE TABLE IF NOT EXISTS `t2` CLONE `t1`"
    /// );
    /// ```
    pub fn if_not_exists(mut self) -> Self {
        self.if_not_exists = true;
        self
    }

    /// Creates the copy in another account (sys account only; across accounts a snapshot is
    /// required).
    ///
    /// ```
    /// use matrixone::mo;
    /// assert_eq!(
    ///     mo::Clone::table("test.backup_t", "test.source_t").at_snapshot("s1").if_not_exists().to_account("acc1").to_sql().unwrap(),
    ///     "CREATE TABLE IF NOT EXISTS `test`.`backup_t` CLONE `test`.`source_t` {SNAPSHOT = 's1'} TO ACCOUNT `acc1`"
    /// );
    /// ```
    pub fn to_account(mut self, account: impl Into<String>) -> Self {
        self.to_account = Some(account.into());
        self
    }
}

impl MoStatement for Clone {
    type Output = ();

    fn render(&self, _dialect: Dialect) -> Result<String> {
        let (kind, target, source) = match &self.object {
            Object::Database { target, source } => ("DATABASE", quote_ident(target)?, quote_ident(source)?),
            Object::Table { target, source } => ("TABLE", target.to_sql()?, source.to_sql()?),
        };
        let mut sql = format!("CREATE {kind} ");
        if self.if_not_exists {
            sql.push_str("IF NOT EXISTS ");
        }
        sql.push_str(&format!("{target} CLONE {source}"));
        if let Some(snapshot) = &self.snapshot {
            sql.push_str(&format!(" {{SNAPSHOT = {}}}", object_literal("snapshot", snapshot)?));
        }
        if let Some(account) = &self.to_account {
            sql.push_str(&format!(" TO ACCOUNT {}", quote_ident(account)?));
        }
        Ok(sql)
    }

    /// MatrixOne 3.0.0 or later: `CLONE` is in mysql_sql.y from v3.0.0 on (absent at v2.2.x),
    /// with `{SNAPSHOT = ..}` and `TO ACCOUNT`.
    fn requires(&self) -> Requires {
        Requires::MatrixOneAtLeast(3, 0, 0)
    }

    fn decode_output(_result: ResultSet) -> Result<()> {
        Ok(())
    }
}

crate::mo::impl_to_sql!(Clone);
