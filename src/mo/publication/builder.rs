//! Publication statements: [`Publication::create`], [`Publication::alter`],
//! [`Publication::drop`], [`Publication::show`] and [`Publication::show_create`] (grammar:
//! `create_publication_stmt`, `alter_publication_stmt`, `drop_publication_stmt`,
//! `show_publications_stmt`, `show_create_publication`, `show_publication_coverage_stmt` in
//! pkg/sql/parsers/dialect/mysql/mysql_sql.y), and [`Publication::create_all_databases`] and
//! [`Publication::show_coverage`].

use super::PublicationInfo;
use crate::error::{Error, Result};
use crate::mo::account::names::{catalog_ident, catalog_list, comment_clause, strings};
use crate::mo::literal::mode_independent_literal;
use crate::mo::{Dialect, InTransaction, MoStatement, Requires};
use crate::result::ResultSet;

/// Entry point for the publication statements; it has no values of its own.
#[derive(Debug)]
pub enum Publication {}

impl Publication {
    /// `CREATE PUBLICATION name DATABASE db ACCOUNT ...`: publishes a database (or, with
    /// [`CreatePublication::tables`], some of its tables) to the accounts chosen with
    /// [`CreatePublication::to_accounts`] or [`CreatePublication::to_all_accounts`]; without
    /// one it does not render (the grammar requires the clause).
    ///
    /// ```
    /// use matrixone::mo::Publication;
    /// assert_eq!(
    ///     Publication::create("pub1", "db1").to_accounts(["acc1", "acc2"]).to_sql().unwrap(),
    ///     "CREATE PUBLICATION `pub1` DATABASE `db1` ACCOUNT `acc1`, `acc2`"
    /// );
    /// assert!(Publication::create("pub1", "db1").to_sql().is_err());
    /// ```
    pub fn create(name: impl Into<String>, database: impl Into<String>) -> CreatePublication {
        CreatePublication {
            name: name.into(),
            database: Some(database.into()),
            tables: Vec::new(),
            accounts: None,
            comment: None,
            if_not_exists: false,
        }
    }

    /// `CREATE PUBLICATION name DATABASE * ACCOUNT ...`: publishes every database of the
    /// account (the grammar's `DATABASE '*'` form; no [`CreatePublication::tables`] with it, the
    /// grammar has no `TABLE` clause there).
    ///
    /// ```
    /// use matrixone::mo::Publication;
    /// assert_eq!(
    ///     Publication::create_all_databases("pub_acc").to_accounts(["acc1"]).to_sql().unwrap(),
    ///     "CREATE PUBLICATION `pub_acc` DATABASE * ACCOUNT `acc1`"
    /// );
    /// assert!(Publication::create_all_databases("p").tables(["t1"]).to_all_accounts().to_sql().is_err());
    /// ```
    pub fn create_all_databases(name: impl Into<String>) -> CreatePublication {
        CreatePublication {
            name: name.into(),
            database: None,
            tables: Vec::new(),
            accounts: None,
            comment: None,
            if_not_exists: false,
        }
    }

    /// `ALTER PUBLICATION name ...`: change its accounts, database, tables or comment.
    ///
    /// ```
    /// use matrixone::mo::Publication;
    /// assert_eq!(
    ///     Publication::alter("pub1").add_accounts(["acc3"]).to_sql().unwrap(),
    ///     "ALTER PUBLICATION `pub1` ACCOUNT ADD `acc3`"
    /// );
    /// assert!(Publication::alter("pub1").to_sql().is_err());
    /// ```
    pub fn alter(name: impl Into<String>) -> AlterPublication {
        AlterPublication {
            name: name.into(),
            if_exists: false,
            accounts: None,
            database: None,
            tables: Vec::new(),
            comment: None,
        }
    }

    /// `DROP PUBLICATION name`.
    ///
    /// ```
    /// use matrixone::mo::Publication;
    /// assert_eq!(Publication::drop("pub1").to_sql().unwrap(), "DROP PUBLICATION `pub1`");
    /// ```
    pub fn drop(name: impl Into<String>) -> DropPublication {
        DropPublication { name: name.into(), if_exists: false }
    }

    /// `SHOW PUBLICATIONS`; its output is a `Vec<PublicationInfo>`.
    ///
    /// ```
    /// use matrixone::mo::Publication;
    /// assert_eq!(Publication::show().to_sql().unwrap(), "SHOW PUBLICATIONS");
    /// ```
    pub fn show() -> ShowPublications {
        ShowPublications { like: None }
    }

    /// `SHOW CREATE PUBLICATION name`; its output is the `CREATE PUBLICATION` text.
    ///
    /// ```
    /// use matrixone::mo::Publication;
    /// assert_eq!(Publication::show_create("pub1").to_sql().unwrap(), "SHOW CREATE PUBLICATION `pub1`");
    /// ```
    pub fn show_create(name: impl Into<String>) -> ShowCreatePublication {
        ShowCreatePublication { name: name.into() }
    }

    /// `SHOW PUBLICATION COVERAGE name`: what a publication covers, as `(database, table)` pairs;
    /// `*` stands for every database or every table (`doShowPublicationCoverage`,
    /// pkg/frontend/publication_subscription.go).
    ///
    /// ```
    /// use matrixone::mo::Publication;
    /// assert_eq!(Publication::show_coverage("pub1").to_sql().unwrap(), "SHOW PUBLICATION COVERAGE `pub1`");
    /// assert!(Publication::show_coverage("p'1").to_sql().is_err());
    /// ```
    pub fn show_coverage(name: impl Into<String>) -> ShowPublicationCoverage {
        ShowPublicationCoverage { name: name.into() }
    }
}

/// Who may subscribe.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Accounts {
    All,
    Some(Vec<String>),
}

/// `CREATE PUBLICATION [IF NOT EXISTS] name DATABASE {db [TABLE t, ...] | *} ACCOUNT {ALL | a,
/// ...} [COMMENT 'c']`. Built by [`Publication::create`] and
/// [`Publication::create_all_databases`]; runs to `()`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CreatePublication {
    name: String,
    /// `None`: every database (`DATABASE *`).
    database: Option<String>,
    tables: Vec<String>,
    accounts: Option<Accounts>,
    comment: Option<String>,
    if_not_exists: bool,
}

impl CreatePublication {
    /// Publishes only these tables of the database.
    ///
    /// ```
    /// use matrixone::mo::Publication;
    /// assert_eq!(
    ///     Publication::create("pub05", "db05").tables(["t2", "t3"]).to_accounts(["acc03"]).to_sql().unwrap(),
    ///     "CREATE PUBLICATION `pub05` DATABASE `db05` TABLE `t2`, `t3` ACCOUNT `acc03`"
    /// );
    /// ```
    pub fn tables<I: IntoIterator<Item = S>, S: Into<String>>(mut self, tables: I) -> Self {
        self.tables = strings(tables);
        self
    }

    /// The accounts that may subscribe.
    ///
    /// ```
    /// use matrixone::mo::Publication;
    /// assert_eq!(
    ///     Publication::create("p", "d").to_accounts(["acc1"]).to_sql().unwrap(),
    ///     "CREATE PUBLICATION `p` DATABASE `d` ACCOUNT `acc1`"
    /// );
    /// assert!(Publication::create("p", "d").to_accounts(["o'brien"]).to_sql().is_err());
    /// ```
    pub fn to_accounts<I: IntoIterator<Item = S>, S: Into<String>>(mut self, accounts: I) -> Self {
        self.accounts = Some(Accounts::Some(strings(accounts)));
        self
    }

    /// Every account may subscribe (`ACCOUNT ALL`, sys account only).
    ///
    /// ```
    /// use matrixone::mo::Publication;
    /// assert_eq!(
    ///     Publication::create("pub_all", "db1").to_all_accounts().to_sql().unwrap(),
    ///     "CREATE PUBLICATION `pub_all` DATABASE `db1` ACCOUNT ALL"
    /// );
    /// ```
    pub fn to_all_accounts(mut self) -> Self {
        self.accounts = Some(Accounts::All);
        self
    }

    /// A comment (no quotes or backslashes: MatrixOne stores it unescaped).
    ///
    /// ```
    /// use matrixone::mo::Publication;
    /// assert_eq!(
    ///     Publication::create("p", "d").to_accounts(["a"]).comment("republish").to_sql().unwrap(),
    ///     "CREATE PUBLICATION `p` DATABASE `d` ACCOUNT `a` COMMENT 'republish'"
    /// );
    /// ```
    pub fn comment(mut self, comment: impl Into<String>) -> Self {
        self.comment = Some(comment.into());
        self
    }

    /// Succeeds without doing anything when the publication exists.
    ///
    /// ```
    /// use matrixone::mo::Publication;
    /// assert_eq!(
    ///     Publication::create("p", "d").to_all_accounts().if_not_exists().to_sql().unwrap(),
    ///     "CREATE PUBLICATION IF NOT EXISTS `p` DATABASE `d` ACCOUNT ALL"
    /// );
    /// ```
    pub fn if_not_exists(mut self) -> Self {
        self.if_not_exists = true;
        self
    }
}

fn accounts_clause(accounts: &Accounts) -> Result<String> {
    Ok(match accounts {
        Accounts::All => " ACCOUNT ALL".to_owned(),
        Accounts::Some(names) => format!(" ACCOUNT {}", catalog_list("account", names)?),
    })
}

impl MoStatement for CreatePublication {
    type Output = ();

    fn in_transaction(&self) -> InTransaction {
        InTransaction::Refused("CREATE PUBLICATION")
    }

    fn requires(&self) -> Requires {
        Requires::MatrixOne
    }

    fn render(&self, _dialect: Dialect) -> Result<String> {
        let name = catalog_ident("publication", &self.name)?;
        let accounts = self.accounts.as_ref().ok_or_else(|| {
            Error::invalid_input(format!(
                "publication {name} names no accounts: call .to_accounts(..) or .to_all_accounts()"
            ))
        })?;
        let if_not_exists = if self.if_not_exists { "IF NOT EXISTS " } else { "" };
        let tables = if self.tables.is_empty() {
            String::new()
        } else if self.database.is_none() {
            return Err(Error::invalid_input(format!(
                "publication {name} of every database cannot name tables: MatrixOne's grammar has no \
                 TABLE clause after DATABASE *"
            )));
        } else {
            format!(" TABLE {}", catalog_list("table", &self.tables)?)
        };
        let database = match &self.database {
            Some(database) => catalog_ident("database", database)?,
            None => "*".to_owned(),
        };
        Ok(format!(
            "CREATE PUBLICATION {if_not_exists}{name} DATABASE {database}{tables}{}{}",
            accounts_clause(accounts)?,
            comment_clause(&self.comment)?
        ))
    }

    fn decode_output(_result: ResultSet) -> Result<()> {
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum AccountChange {
    Set(Accounts),
    Add(Vec<String>),
    Drop(Vec<String>),
}

/// `ALTER PUBLICATION [IF EXISTS] name [ACCOUNT {ALL | a, ... | ADD a, ... | DROP a, ...}]
/// [DATABASE db] [TABLE t, ...] [COMMENT 'c']`. Built by [`Publication::alter`]; runs to `()`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AlterPublication {
    name: String,
    if_exists: bool,
    accounts: Option<AccountChange>,
    database: Option<String>,
    tables: Vec<String>,
    comment: Option<String>,
}

impl AlterPublication {
    /// Replaces the accounts that may subscribe.
    ///
    /// ```
    /// use matrixone::mo::Publication;
    /// assert_eq!(
    ///     Publication::alter("p03").accounts(["acc01", "acc02"]).database("test_pub_sub1").tables(["table01"]).to_sql().unwrap(),
    ///     "ALTER PUBLICATION `p03` ACCOUNT `acc01`, `acc02` DATABASE `test_pub_sub1` TABLE `table01`"
    /// );
    /// ```
    pub fn accounts<I: IntoIterator<Item = S>, S: Into<String>>(mut self, accounts: I) -> Self {
        self.accounts = Some(AccountChange::Set(Accounts::Some(strings(accounts))));
        self
    }

    /// Lets every account subscribe.
    ///
    /// ```
    /// use matrixone::mo::Publication;
    /// assert_eq!(Publication::alter("p").all_accounts().to_sql().unwrap(), "ALTER PUBLICATION `p` ACCOUNT ALL");
    /// ```
    pub fn all_accounts(mut self) -> Self {
        self.accounts = Some(AccountChange::Set(Accounts::All));
        self
    }

    /// Adds accounts.
    ///
    /// ```
    /// use matrixone::mo::Publication;
    /// assert_eq!(
    ///     Publication::alter("sys_pub_1").add_accounts(["acc0"]).to_sql().unwrap(),
    ///     "ALTER PUBLICATION `sys_pub_1` ACCOUNT ADD `acc0`"
    /// );
    /// ```
    pub fn add_accounts<I: IntoIterator<Item = S>, S: Into<String>>(mut self, accounts: I) -> Self {
        self.accounts = Some(AccountChange::Add(strings(accounts)));
        self
    }

    /// Removes accounts.
    ///
    /// ```
    /// use matrixone::mo::Publication;
    /// assert_eq!(
    ///     Publication::alter("p").drop_accounts(["acc1", "acc2"]).to_sql().unwrap(),
    ///     "ALTER PUBLICATION `p` ACCOUNT DROP `acc1`, `acc2`"
    /// );
    /// ```
    pub fn drop_accounts<I: IntoIterator<Item = S>, S: Into<String>>(mut self, accounts: I) -> Self {
        self.accounts = Some(AccountChange::Drop(strings(accounts)));
        self
    }

    /// Publishes another database.
    ///
    /// ```
    /// use matrixone::mo::Publication;
    /// assert_eq!(Publication::alter("p").database("db2").to_sql().unwrap(), "ALTER PUBLICATION `p` DATABASE `db2`");
    /// ```
    pub fn database(mut self, database: impl Into<String>) -> Self {
        self.database = Some(database.into());
        self
    }

    /// Publishes only these tables.
    ///
    /// ```
    /// use matrixone::mo::Publication;
    /// assert_eq!(Publication::alter("p").tables(["t1"]).to_sql().unwrap(), "ALTER PUBLICATION `p` TABLE `t1`");
    /// ```
    pub fn tables<I: IntoIterator<Item = S>, S: Into<String>>(mut self, tables: I) -> Self {
        self.tables = strings(tables);
        self
    }

    /// Sets the comment.
    ///
    /// ```
    /// use matrixone::mo::Publication;
    /// assert_eq!(Publication::alter("p").comment("v2").to_sql().unwrap(), "ALTER PUBLICATION `p` COMMENT 'v2'");
    /// ```
    pub fn comment(mut self, comment: impl Into<String>) -> Self {
        self.comment = Some(comment.into());
        self
    }

    /// Succeeds without doing anything when the publication does not exist.
    ///
    /// ```
    /// use matrixone::mo::Publication;
    /// assert_eq!(
    ///     Publication::alter("p").comment("c").if_exists().to_sql().unwrap(),
    ///     "ALTER PUBLICATION IF EXISTS `p` COMMENT 'c'"
    /// );
    /// ```
    pub fn if_exists(mut self) -> Self {
        self.if_exists = true;
        self
    }
}

impl MoStatement for AlterPublication {
    type Output = ();

    fn in_transaction(&self) -> InTransaction {
        InTransaction::Refused("ALTER PUBLICATION")
    }

    fn requires(&self) -> Requires {
        Requires::MatrixOne
    }

    fn render(&self, _dialect: Dialect) -> Result<String> {
        let name = catalog_ident("publication", &self.name)?;
        let mut sql = format!("ALTER PUBLICATION {}{name}", if self.if_exists { "IF EXISTS " } else { "" });
        let unchanged = sql.len();
        match &self.accounts {
            None => {}
            Some(AccountChange::Set(accounts)) => sql.push_str(&accounts_clause(accounts)?),
            Some(AccountChange::Add(names)) => {
                sql.push_str(&format!(" ACCOUNT ADD {}", catalog_list("account", names)?))
            }
            Some(AccountChange::Drop(names)) => {
                sql.push_str(&format!(" ACCOUNT DROP {}", catalog_list("account", names)?))
            }
        }
        if let Some(db) = &self.database {
            sql.push_str(&format!(" DATABASE {}", catalog_ident("database", db)?));
        }
        if !self.tables.is_empty() {
            sql.push_str(&format!(" TABLE {}", catalog_list("table", &self.tables)?));
        }
        sql.push_str(&comment_clause(&self.comment)?);
        if sql.len() == unchanged {
            return Err(Error::invalid_input(format!(
                "ALTER PUBLICATION {name} changes nothing: set its accounts, database, tables or comment"
            )));
        }
        Ok(sql)
    }

    fn decode_output(_result: ResultSet) -> Result<()> {
        Ok(())
    }
}

/// `DROP PUBLICATION [IF EXISTS] name`. Built by [`Publication::drop`]; runs to `()`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DropPublication {
    name: String,
    if_exists: bool,
}

impl DropPublication {
    /// Succeeds without doing anything when the publication does not exist.
    ///
    /// ```
    /// use matrixone::mo::Publication;
    /// assert_eq!(Publication::drop("p").if_exists().to_sql().unwrap(), "DROP PUBLICATION IF EXISTS `p`");
    /// ```
    pub fn if_exists(mut self) -> Self {
        self.if_exists = true;
        self
    }
}

impl MoStatement for DropPublication {
    type Output = ();

    fn in_transaction(&self) -> InTransaction {
        InTransaction::Refused("DROP PUBLICATION")
    }

    fn requires(&self) -> Requires {
        Requires::MatrixOne
    }

    fn render(&self, _dialect: Dialect) -> Result<String> {
        let if_exists = if self.if_exists { "IF EXISTS " } else { "" };
        Ok(format!("DROP PUBLICATION {if_exists}{}", catalog_ident("publication", &self.name)?))
    }

    fn decode_output(_result: ResultSet) -> Result<()> {
        Ok(())
    }
}

/// `SHOW PUBLICATIONS [LIKE 'pattern']`. Built by [`Publication::show`]; runs to
/// `Vec<PublicationInfo>`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ShowPublications {
    like: Option<String>,
}

impl ShowPublications {
    /// Only the publications whose name matches a `LIKE` pattern (`%` and `_`; a backslash is refused, since it
    /// reads differently depending on `NO_BACKSLASH_ESCAPES`).
    ///
    /// ```
    /// use matrixone::mo::Publication;
    /// assert_eq!(Publication::show().like("pub%").to_sql().unwrap(), "SHOW PUBLICATIONS LIKE 'pub%'");
    /// ```
    pub fn like(mut self, pattern: impl Into<String>) -> Self {
        self.like = Some(pattern.into());
        self
    }
}

impl MoStatement for ShowPublications {
    type Output = Vec<PublicationInfo>;

    fn requires(&self) -> Requires {
        Requires::MatrixOne
    }

    fn render(&self, _dialect: Dialect) -> Result<String> {
        match &self.like {
            None => Ok("SHOW PUBLICATIONS".to_owned()),
            Some(pattern) => Ok(format!("SHOW PUBLICATIONS LIKE {}", mode_independent_literal(pattern)?)),
        }
    }

    fn decode_output(result: ResultSet) -> Result<Vec<PublicationInfo>> {
        result.typed()
    }
}

/// `SHOW CREATE PUBLICATION name`. Built by [`Publication::show_create`]; runs to the
/// `CREATE PUBLICATION` text (the second column).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ShowCreatePublication {
    name: String,
}

impl MoStatement for ShowCreatePublication {
    type Output = String;

    fn requires(&self) -> Requires {
        Requires::MatrixOne
    }

    fn render(&self, _dialect: Dialect) -> Result<String> {
        Ok(format!("SHOW CREATE PUBLICATION {}", catalog_ident("publication", &self.name)?))
    }

    fn decode_output(result: ResultSet) -> Result<String> {
        let row = result.first().ok_or_else(crate::Error::row_not_found)?;
        row.get(1)
    }
}

/// `SHOW PUBLICATION COVERAGE name`. Built by [`Publication::show_coverage`]; runs to the
/// `(database, table)` pairs the publication covers, `*` standing for all of them.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ShowPublicationCoverage {
    name: String,
}

impl MoStatement for ShowPublicationCoverage {
    type Output = Vec<(String, String)>;

    fn requires(&self) -> Requires {
        Requires::MatrixOne
    }

    fn render(&self, _dialect: Dialect) -> Result<String> {
        Ok(format!("SHOW PUBLICATION COVERAGE {}", catalog_ident("publication", &self.name)?))
    }

    fn decode_output(result: ResultSet) -> Result<Vec<(String, String)>> {
        result.typed()
    }
}

crate::mo::impl_to_sql!(
    CreatePublication,
    AlterPublication,
    DropPublication,
    ShowPublications,
    ShowCreatePublication,
    ShowPublicationCoverage
);
