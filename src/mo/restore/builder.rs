//! [`Restore`]: `RESTORE ...` from a snapshot or a PITR, in either release line's grammar.

use crate::error::{Error, Result};
use crate::mo::names::{object_ident, object_literal};
use crate::mo::{Dialect, InTransaction, MoStatement, PitrTimestamp, Requires};
use crate::result::ResultSet;
use crate::sql::quote_ident;

/// Restores a cluster, an account, a database or a table from a snapshot or a PITR. Runs to `()`.
///
/// Pick what to restore with [`Restore::cluster`], [`Restore::current_account`],
/// [`Restore::account`], [`Restore::database`] or [`Restore::table`] (the last two optionally
/// [`Restore::in_account`]), then where from with [`Restore::from_snapshot`] or
/// [`Restore::from_pitr`].
///
/// The snapshot forms differ between release lines: [`Dialect::V4`] (4.x and main) writes
/// `RESTORE DATABASE d {SNAPSHOT = 's'}`, [`Dialect::V3`] writes
/// `RESTORE ACCOUNT a DATABASE d FROM SNAPSHOT s` (3.x needs the account for database and
/// table restores). The PITR forms are the same in both, except that
/// `RESTORE ACCOUNT a DATABASE d [TABLE t] FROM PITR ...` exists only from 4.1.0 on
/// (mysql_sql.y at v4.1.0; absent at v4.0.0-rc4) and is refused for [`Dialect::V3`].
///
/// What the server must be ([`Requires`], checked before sending): MatrixOne 1.2.0 or later for
/// a snapshot restore, 2.0.0 (PITRs) for a PITR restore, 4.1.0 for a PITR restore naming the
/// account of a database or table. A combination the chosen grammar lacks is an
/// [`crate::ErrorKind::InvalidInput`] error when rendering, never a statement the server would
/// read differently.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Restore {
    scope: Scope,
    source: Option<Source>,
    to_account: Option<String>,
    source_account: Option<String>,
    /// A builder call that does not fit the scope, reported when rendering.
    misuse: Option<&'static str>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Scope {
    Cluster,
    CurrentAccount,
    Account(String),
    Database { account: Option<String>, database: String },
    Table { account: Option<String>, database: String, table: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Source {
    Snapshot(String),
    Pitr(String, PitrTimestamp),
}

impl Restore {
    fn new(scope: Scope) -> Restore {
        Restore { scope, source: None, to_account: None, source_account: None, misuse: None }
    }

    /// Restores the whole cluster (sys account only).
    ///
    /// ```
    /// use matrixone::mo::{Dialect, Restore};
    /// assert_eq!(Restore::cluster().from_snapshot("s1").to_sql().unwrap(), "RESTORE CLUSTER {SNAPSHOT = 's1'}");
    /// assert_eq!(
    ///     Restore::cluster().from_snapshot("s1").to_sql_for(Dialect::V3).unwrap(),
    ///     "RESTORE CLUSTER FROM SNAPSHOT `s1`"
    /// );
    /// ```
    pub fn cluster() -> Restore {
        Restore::new(Scope::Cluster)
    }

    /// Restores the current account; only from a PITR (`RESTORE FROM PITR p 'ts'`): the
    /// snapshot grammar has no such form, use [`Restore::account`] with the account's name.
    ///
    /// ```
    /// use matrixone::mo::Restore;
    /// assert_eq!(
    ///     Restore::current_account().from_pitr("p1", "2026-01-02 03:04:05").to_sql().unwrap(),
    ///     "RESTORE FROM PITR `p1` '2026-01-02 03:04:05'"
    /// );
    /// assert!(Restore::current_account().from_snapshot("s1").to_sql().is_err());
    /// ```
    pub fn current_account() -> Restore {
        Restore::new(Scope::CurrentAccount)
    }

    /// Restores the named account.
    ///
    /// ```
    /// use matrixone::mo::{Dialect, Restore};
    /// assert_eq!(Restore::account("acc1").from_snapshot("s1").to_sql().unwrap(), "RESTORE ACCOUNT `acc1` {SNAPSHOT = 's1'}");
    /// assert_eq!(
    ///     Restore::account("acc1").from_snapshot("s1").to_sql_for(Dialect::V3).unwrap(),
    ///     "RESTORE ACCOUNT `acc1` FROM SNAPSHOT `s1`"
    /// );
    /// ```
    pub fn account(account: impl Into<String>) -> Restore {
        Restore::new(Scope::Account(account.into()))
    }

    /// Restores one database (of the current account unless [`Restore::in_account`]).
    ///
    /// ```
    /// use matrixone::mo::{Dialect, Restore};
    /// assert_eq!(Restore::database("test").from_snapshot("s1").to_sql().unwrap(), "RESTORE DATABASE `test` {SNAPSHOT = 's1'}");
    /// // 3.x has no database restore without the account:
    /// assert!(Restore::database("test").from_snapshot("s1").to_sql_for(Dialect::V3).is_err());
    /// ```
    pub fn database(database: impl Into<String>) -> Restore {
        Restore::new(Scope::Database { account: None, database: database.into() })
    }

    /// Restores one table (of the current account unless [`Restore::in_account`]).
    ///
    /// ```
    /// use matrixone::mo::Restore;
    /// assert_eq!(
    ///     Restore::table("test", "users").from_snapshot("s1").to_sql().unwrap(),
    ///     "RESTORE TABLE `test`.`users` {SNAPSHOT = 's1'}"
    /// );
    /// ```
    pub fn table(database: impl Into<String>, table: impl Into<String>) -> Restore {
        Restore::new(Scope::Table { account: None, database: database.into(), table: table.into() })
    }

    /// Names the account a database or table restore is in. For other scopes it is refused
    /// when rendering.
    ///
    /// ```
    /// use matrixone::mo::{Dialect, Restore};
    /// let r = Restore::table("test", "users").in_account("acc1").from_snapshot("s1");
    /// assert_eq!(r.to_sql().unwrap(), "RESTORE TABLE `acc1`.`test`.`users` {SNAPSHOT = 's1'}");
    /// assert_eq!(
    ///     r.to_sql_for(Dialect::V3).unwrap(),
    ///     "RESTORE ACCOUNT `acc1` DATABASE `test` TABLE `users` FROM SNAPSHOT `s1`"
    /// );
    /// assert!(Restore::cluster().in_account("acc1").from_snapshot("s1").to_sql().is_err());
    /// ```
    pub fn in_account(mut self, account: impl Into<String>) -> Self {
        match &mut self.scope {
            Scope::Database { account: slot, .. } | Scope::Table { account: slot, .. } => {
                *slot = Some(account.into());
            }
            _ => self.misuse = Some("in_account(..) applies only to database and table restores"),
        }
        self
    }

    /// Restores from snapshot `snapshot`.
    ///
    /// ```
    /// use matrixone::mo::{Dialect, Restore};
    /// let r = Restore::database("test").in_account("acc1").from_snapshot("s1");
    /// assert_eq!(r.to_sql().unwrap(), "RESTORE DATABASE `acc1`.`test` {SNAPSHOT = 's1'}");
    /// assert_eq!(r.to_sql_for(Dialect::V3).unwrap(), "RESTORE ACCOUNT `acc1` DATABASE `test` FROM SNAPSHOT `s1`");
    /// ```
    pub fn from_snapshot(mut self, snapshot: impl Into<String>) -> Self {
        self.source = Some(Source::Snapshot(snapshot.into()));
        self
    }

    /// Restores from PITR `pitr` as of `at`: a `"YYYY-MM-DD HH:MM:SS"` string or a
    /// [`chrono::NaiveDateTime`], read by the server in **its process's local time zone**
    /// (see [`PitrTimestamp`]).
    ///
    /// ```
    /// use matrixone::mo::{Dialect, Restore};
    /// assert_eq!(
    ///     Restore::database("test").from_pitr("p1", "2026-01-02 03:04:05").to_sql().unwrap(),
    ///     "RESTORE DATABASE `test` FROM PITR `p1` '2026-01-02 03:04:05'"
    /// );
    /// assert_eq!(
    ///     Restore::table("test", "users").from_pitr("p1", "2026-01-02 03:04:05").to_sql().unwrap(),
    ///     "RESTORE DATABASE `test` TABLE `users` FROM PITR `p1` '2026-01-02 03:04:05'"
    /// );
    /// assert_eq!(
    ///     Restore::cluster().from_pitr("p1", "2026-01-02 03:04:05").to_sql().unwrap(),
    ///     "RESTORE CLUSTER FROM PITR `p1` '2026-01-02 03:04:05'"
    /// );
    /// // Naming the account of a database or table restore needs MatrixOne 4.1:
    /// let r = Restore::database("test").in_account("acc1").from_pitr("p1", "2026-01-02 03:04:05");
    /// assert_eq!(r.to_sql().unwrap(), "RESTORE ACCOUNT `acc1` DATABASE `test` FROM PITR `p1` '2026-01-02 03:04:05'");
    /// assert!(r.to_sql_for(Dialect::V3).is_err());
    /// assert!(Restore::database("test").from_pitr("p1", "2026-01-02").to_sql().is_err());
    /// ```
    pub fn from_pitr(mut self, pitr: impl Into<String>, at: impl Into<PitrTimestamp>) -> Self {
        self.source = Some(Source::Pitr(pitr.into(), at.into()));
        self
    }

    /// Restores into another account (`TO ACCOUNT a`): snapshot restores of an account, a
    /// database or a table (3.x: of an account only). PITR restores have no such clause.
    ///
    /// ```
    /// use matrixone::mo::{Dialect, Restore};
    /// let r = Restore::account("acc1").from_snapshot("s1").to_account("acc2");
    /// assert_eq!(r.to_sql().unwrap(), "RESTORE ACCOUNT `acc1` {SNAPSHOT = 's1'} TO ACCOUNT `acc2`");
    /// assert_eq!(r.to_sql_for(Dialect::V3).unwrap(), "RESTORE ACCOUNT `acc1` FROM SNAPSHOT `s1` TO ACCOUNT `acc2`");
    /// assert!(Restore::cluster().from_snapshot("s1").to_account("acc2").to_sql().is_err());
    /// ```
    pub fn to_account(mut self, account: impl Into<String>) -> Self {
        self.to_account = Some(account.into());
        self
    }

    /// For an account restore from a cluster-level PITR: the account whose data to take
    /// (`RESTORE ACCOUNT target FROM PITR p 'ts' source`). Refused with a snapshot or another
    /// scope.
    ///
    /// ```
    /// use matrixone::mo::Restore;
    /// assert_eq!(
    ///     Restore::account("acc1").from_pitr("p1", "2026-01-02 03:04:05").source_account("acc2").to_sql().unwrap(),
    ///     "RESTORE ACCOUNT `acc1` FROM PITR `p1` '2026-01-02 03:04:05' `acc2`"
    /// );
    /// ```
    pub fn source_account(mut self, account: impl Into<String>) -> Self {
        self.source_account = Some(account.into());
        self
    }

    fn render_snapshot(&self, snapshot: &str, dialect: Dialect) -> Result<String> {
        if self.source_account.is_some() {
            return Err(refuse("source_account(..) applies only to an account restore from a PITR"));
        }
        let to_account = match &self.to_account {
            Some(account) => format!(" TO ACCOUNT {}", quote_ident(account)?),
            None => String::new(),
        };
        match dialect {
            Dialect::V4 => {
                let hint = format!("{{SNAPSHOT = {}}}", object_literal("snapshot", snapshot)?);
                let target = match &self.scope {
                    Scope::Cluster if self.to_account.is_some() => {
                        return Err(refuse("a cluster restore has no TO ACCOUNT"));
                    }
                    Scope::Cluster => "CLUSTER".to_owned(),
                    Scope::CurrentAccount => return Err(current_account_needs_pitr()),
                    Scope::Account(account) => format!("ACCOUNT {}", quote_ident(account)?),
                    Scope::Database { account, database } => {
                        format!("DATABASE {}", dotted(&[account.as_deref(), Some(database)])?)
                    }
                    Scope::Table { account, database, table } => {
                        format!("TABLE {}", dotted(&[account.as_deref(), Some(database), Some(table)])?)
                    }
                };
                Ok(format!("RESTORE {target} {hint}{to_account}"))
            }
            Dialect::V3 => {
                let from = format!("FROM SNAPSHOT {}", object_ident("snapshot", snapshot)?);
                let needs_account = || {
                    refuse(
                        "MatrixOne 3.x restores a database or table only with its account: \
                         add .in_account(..)",
                    )
                };
                let no_to_account = || {
                    if self.to_account.is_some() {
                        Err(refuse("MatrixOne 3.x has TO ACCOUNT only for account restores"))
                    } else {
                        Ok(())
                    }
                };
                match &self.scope {
                    Scope::Cluster => {
                        no_to_account()?;
                        Ok(format!("RESTORE CLUSTER {from}"))
                    }
                    Scope::CurrentAccount => Err(current_account_needs_pitr()),
                    Scope::Account(account) => {
                        Ok(format!("RESTORE ACCOUNT {} {from}{to_account}", quote_ident(account)?))
                    }
                    Scope::Database { account: None, .. } | Scope::Table { account: None, .. } => {
                        Err(needs_account())
                    }
                    Scope::Database { account: Some(account), database } => {
                        no_to_account()?;
                        Ok(format!(
                            "RESTORE ACCOUNT {} DATABASE {} {from}",
                            quote_ident(account)?,
                            quote_ident(database)?
                        ))
                    }
                    Scope::Table { account: Some(account), database, table } => {
                        no_to_account()?;
                        Ok(format!(
                            "RESTORE ACCOUNT {} DATABASE {} TABLE {} {from}",
                            quote_ident(account)?,
                            quote_ident(database)?,
                            quote_ident(table)?
                        ))
                    }
                }
            }
        }
    }

    fn render_pitr(&self, pitr: &str, at: &PitrTimestamp, dialect: Dialect) -> Result<String> {
        if self.to_account.is_some() {
            return Err(refuse("a PITR restore has no TO ACCOUNT"));
        }
        if self.source_account.is_some() && !matches!(self.scope, Scope::Account(_)) {
            return Err(refuse("source_account(..) applies only to an account restore from a PITR"));
        }
        let from = format!("FROM PITR {} {}", object_ident("pitr", pitr)?, at.to_sql()?);
        let account_prefix = |account: &Option<String>| -> Result<String> {
            match account {
                None => Ok(String::new()),
                Some(_) if dialect == Dialect::V3 => Err(refuse(
                    "RESTORE ACCOUNT .. DATABASE .. FROM PITR needs MatrixOne 4.1; \
                     MatrixOne 3.x restores the current account's database without .in_account(..)",
                )),
                Some(account) => Ok(format!("ACCOUNT {} ", quote_ident(account)?)),
            }
        };
        Ok(match &self.scope {
            Scope::Cluster => format!("RESTORE CLUSTER {from}"),
            Scope::CurrentAccount => format!("RESTORE {from}"),
            Scope::Account(account) => {
                let source = match &self.source_account {
                    Some(source) => format!(" {}", quote_ident(source)?),
                    None => String::new(),
                };
                format!("RESTORE ACCOUNT {} {from}{source}", quote_ident(account)?)
            }
            Scope::Database { account, database } => {
                format!("RESTORE {}DATABASE {} {from}", account_prefix(account)?, quote_ident(database)?)
            }
            Scope::Table { account, database, table } => format!(
                "RESTORE {}DATABASE {} TABLE {} {from}",
                account_prefix(account)?,
                quote_ident(database)?,
                quote_ident(table)?
            ),
        })
    }
}

impl MoStatement for Restore {
    type Output = ();

    fn in_transaction(&self) -> InTransaction {
        InTransaction::Refused("RESTORE")
    }

    /// MatrixOne: 1.2.0 for a snapshot restore (its forms, mysql_sql.y at v1.2.0), 2.0.0 for a
    /// PITR restore, 4.1.0 for a PITR restore of a database or table that names its account.
    fn requires(&self) -> Requires {
        match (&self.source, &self.scope) {
            (
                Some(Source::Pitr(..)),
                Scope::Database { account: Some(_), .. } | Scope::Table { account: Some(_), .. },
            ) => Requires::MatrixOneAtLeast(4, 1, 0),
            (Some(Source::Pitr(..)), _) => Requires::MatrixOneAtLeast(2, 0, 0),
            (Some(Source::Snapshot(_)), _) => Requires::MatrixOneAtLeast(1, 2, 0),
            (None, _) => Requires::MatrixOne,
        }
    }

    fn render(&self, dialect: Dialect) -> Result<String> {
        if let Some(misuse) = self.misuse {
            return Err(refuse(misuse));
        }
        match &self.source {
            None => Err(refuse("a restore needs a source: call .from_snapshot(..) or .from_pitr(..)")),
            Some(Source::Snapshot(snapshot)) => self.render_snapshot(snapshot, dialect),
            Some(Source::Pitr(pitr, at)) => self.render_pitr(pitr, at, dialect),
        }
    }

    /// Snapshot restores differ between the lines, and so do PITR restores that name the
    /// account of a database or table (4.1.0 on).
    fn varies_by_dialect(&self) -> bool {
        match &self.source {
            Some(Source::Snapshot(_)) => true,
            Some(Source::Pitr(..)) => matches!(
                self.scope,
                Scope::Database { account: Some(_), .. } | Scope::Table { account: Some(_), .. }
            ),
            None => false,
        }
    }

    /// A 3.x database or table restore from a snapshot must name its account.
    fn needs_current_account(&self, dialect: Dialect) -> bool {
        dialect == Dialect::V3
            && matches!(self.source, Some(Source::Snapshot(_)))
            && matches!(
                self.scope,
                Scope::Database { account: None, .. } | Scope::Table { account: None, .. }
            )
    }

    fn render_in_account(&self, dialect: Dialect, current: &str) -> Result<String> {
        if !self.needs_current_account(dialect) {
            return self.render(dialect);
        }
        self.clone().in_account(current).render(dialect)
    }

    fn decode_output(_result: ResultSet) -> Result<()> {
        Ok(())
    }
}

fn refuse(message: &str) -> Error {
    Error::invalid_input(message)
}

fn current_account_needs_pitr() -> Error {
    refuse("only a PITR restores the current account; for a snapshot use Restore::account(name)")
}

/// `` `a`.`b`.`c` `` from the parts that are present.
fn dotted(parts: &[Option<&str>]) -> Result<String> {
    let quoted: Vec<String> = parts.iter().flatten().map(|p| quote_ident(p)).collect::<Result<_>>()?;
    Ok(quoted.join("."))
}

crate::mo::impl_to_sql!(Restore);
