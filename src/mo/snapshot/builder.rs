//! Snapshot statements: [`Snapshot::create`], [`Snapshot::drop`] and [`Snapshot::show`].

use crate::error::{Error, Result};
use crate::mo::names::{object_ident, object_literal};
use crate::mo::scope::Scope;
use crate::mo::{Dialect, InTransaction, MoStatement, Requires, SnapshotInfo};
use crate::result::ResultSet;

/// The first release with snapshots (`CREATE`/`DROP SNAPSHOT`, `SHOW SNAPSHOTS`: mysql_sql.y at
/// v1.2.0, absent at v1.1.x).
const SNAPSHOTS_SINCE: Requires = Requires::MatrixOneAtLeast(1, 2, 0);

/// Entry point for the snapshot statements; it has no values of its own.
///
/// Snapshot names must match `[A-Za-z0-9_]+` and are sent lower-cased (MatrixOne lower-cases
/// them anyway and splices them unescaped into its own SQL); anything else is an
/// [`crate::ErrorKind::InvalidInput`] error when the statement renders, before anything is sent.
#[derive(Debug)]
pub enum Snapshot {}

impl Snapshot {
    /// `CREATE SNAPSHOT name FOR ...`; choose the scope with [`CreateSnapshot::cluster`],
    /// [`CreateSnapshot::account`], [`CreateSnapshot::account_named`],
    /// [`CreateSnapshot::database`] or [`CreateSnapshot::table`]. Without one it does not render.
    ///
    /// ```
    /// use matrixone::mo::Snapshot;
    /// assert_eq!(Snapshot::create("s1").database("test").to_sql().unwrap(), "CREATE SNAPSHOT `s1` FOR DATABASE `test`");
    /// assert!(Snapshot::create("s1").to_sql().is_err());
    /// assert!(Snapshot::create("s1 FOR CLUSTER -- ").table("d", "t").to_sql().is_err());
    /// ```
    pub fn create(name: impl Into<String>) -> CreateSnapshot {
        CreateSnapshot { name: name.into(), scope: None, if_not_exists: false }
    }

    /// `DROP SNAPSHOT name`.
    ///
    /// ```
    /// use matrixone::mo::Snapshot;
    /// assert_eq!(Snapshot::drop("S1").to_sql().unwrap(), "DROP SNAPSHOT `s1`");
    /// ```
    pub fn drop(name: impl Into<String>) -> DropSnapshot {
        DropSnapshot { name: name.into(), if_exists: false }
    }

    /// `SHOW SNAPSHOTS`; its output is a `Vec<SnapshotInfo>`, newest first.
    ///
    /// ```
    /// use matrixone::mo::Snapshot;
    /// assert_eq!(Snapshot::show().to_sql().unwrap(), "SHOW SNAPSHOTS");
    /// ```
    pub fn show() -> ShowSnapshots {
        ShowSnapshots { name: None }
    }
}

/// `CREATE SNAPSHOT [IF NOT EXISTS] name FOR {CLUSTER | ACCOUNT [a] | DATABASE d | TABLE d t}`.
/// Built by [`Snapshot::create`]; runs to `()`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CreateSnapshot {
    name: String,
    scope: Option<Scope>,
    if_not_exists: bool,
}

impl CreateSnapshot {
    /// The snapshot name as given (validated and lower-cased only when rendering).
    ///
    /// ```
    /// use matrixone::mo::Snapshot;
    /// assert_eq!(Snapshot::create("Daily_01").account().name(), "Daily_01");
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Snapshots the whole cluster (sys account only).
    ///
    /// ```
    /// use matrixone::mo::Snapshot;
    /// assert_eq!(Snapshot::create("s1").cluster().to_sql().unwrap(), "CREATE SNAPSHOT `s1` FOR CLUSTER");
    /// ```
    pub fn cluster(mut self) -> Self {
        self.scope = Some(Scope::Cluster);
        self
    }

    /// Snapshots the current account.
    ///
    /// ```
    /// use matrixone::mo::Snapshot;
    /// assert_eq!(Snapshot::create("s1").account().to_sql().unwrap(), "CREATE SNAPSHOT `s1` FOR ACCOUNT");
    /// ```
    pub fn account(mut self) -> Self {
        self.scope = Some(Scope::Account(None));
        self
    }

    /// Snapshots the named account (the sys account may name any).
    ///
    /// ```
    /// use matrixone::mo::Snapshot;
    /// assert_eq!(
    ///     Snapshot::create("s1").account_named("acc1").to_sql().unwrap(),
    ///     "CREATE SNAPSHOT `s1` FOR ACCOUNT `acc1`"
    /// );
    /// ```
    pub fn account_named(mut self, account: impl Into<String>) -> Self {
        self.scope = Some(Scope::Account(Some(account.into())));
        self
    }

    /// Snapshots one database.
    ///
    /// ```
    /// use matrixone::mo::Snapshot;
    /// assert_eq!(
    ///     Snapshot::create("s1").database("te`st").to_sql().unwrap(),
    ///     "CREATE SNAPSHOT `s1` FOR DATABASE `te``st`"
    /// );
    /// ```
    pub fn database(mut self, database: impl Into<String>) -> Self {
        self.scope = Some(Scope::Database(database.into()));
        self
    }

    /// Snapshots one table.
    ///
    /// ```
    /// use matrixone::mo::Snapshot;
    /// assert_eq!(
    ///     Snapshot::create("s1").table("test", "users").to_sql().unwrap(),
    ///     "CREATE SNAPSHOT `s1` FOR TABLE `test` `users`"
    /// );
    /// ```
    pub fn table(mut self, database: impl Into<String>, table: impl Into<String>) -> Self {
        self.scope = Some(Scope::Table(database.into(), table.into()));
        self
    }

    /// Succeeds without doing anything when a snapshot of that name exists.
    ///
    /// ```
    /// use matrixone::mo::Snapshot;
    /// assert_eq!(
    ///     Snapshot::create("s1").account().if_not_exists().to_sql().unwrap(),
    ///     "CREATE SNAPSHOT IF NOT EXISTS `s1` FOR ACCOUNT"
    /// );
    /// ```
    pub fn if_not_exists(mut self) -> Self {
        self.if_not_exists = true;
        self
    }
}

impl MoStatement for CreateSnapshot {
    type Output = ();

    fn in_transaction(&self) -> InTransaction {
        InTransaction::Refused("CREATE SNAPSHOT")
    }

    fn render(&self, _dialect: Dialect) -> Result<String> {
        let name = object_ident("snapshot", &self.name)?;
        let scope = self.scope.as_ref().ok_or_else(|| {
            Error::invalid_input(format!(
                "snapshot {:?} has no scope: call .cluster(), .account(), .account_named(..), \
                 .database(..) or .table(..)",
                self.name
            ))
        })?;
        let if_not_exists = if self.if_not_exists { "IF NOT EXISTS " } else { "" };
        Ok(format!("CREATE SNAPSHOT {if_not_exists}{name} {}", scope.for_clause()?))
    }

    /// MatrixOne: snapshots of the cluster or a named account since 1.2.0; of the current
    /// account, a database or a table since 2.1.0.
    fn requires(&self) -> Requires {
        self.scope.as_ref().map_or(Requires::MatrixOne, Scope::snapshot_since)
    }

    fn decode_output(_result: ResultSet) -> Result<()> {
        Ok(())
    }
}

/// `DROP SNAPSHOT [IF EXISTS] name`. Built by [`Snapshot::drop`]; runs to `()`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DropSnapshot {
    name: String,
    if_exists: bool,
}

impl DropSnapshot {
    /// Succeeds without doing anything when no snapshot of that name exists.
    ///
    /// ```
    /// use matrixone::mo::Snapshot;
    /// assert_eq!(Snapshot::drop("s1").if_exists().to_sql().unwrap(), "DROP SNAPSHOT IF EXISTS `s1`");
    /// ```
    pub fn if_exists(mut self) -> Self {
        self.if_exists = true;
        self
    }
}

impl MoStatement for DropSnapshot {
    type Output = ();

    fn in_transaction(&self) -> InTransaction {
        InTransaction::Refused("DROP SNAPSHOT")
    }

    fn render(&self, _dialect: Dialect) -> Result<String> {
        let name = object_ident("snapshot", &self.name)?;
        let if_exists = if self.if_exists { "IF EXISTS " } else { "" };
        Ok(format!("DROP SNAPSHOT {if_exists}{name}"))
    }

    /// MatrixOne 1.2.0 or later (snapshots arrived then).
    fn requires(&self) -> Requires {
        SNAPSHOTS_SINCE
    }

    fn decode_output(_result: ResultSet) -> Result<()> {
        Ok(())
    }
}

/// `SHOW SNAPSHOTS [WHERE SNAPSHOT_NAME = 'name']`. Built by [`Snapshot::show`]; runs to
/// `Vec<SnapshotInfo>`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ShowSnapshots {
    name: Option<String>,
}

impl ShowSnapshots {
    /// Only the snapshot with this name (validated and lower-cased like every snapshot name).
    ///
    /// ```
    /// use matrixone::mo::Snapshot;
    /// assert_eq!(
    ///     Snapshot::show().named("S1").to_sql().unwrap(),
    ///     "SHOW SNAPSHOTS WHERE SNAPSHOT_NAME = 's1'"
    /// );
    /// assert!(Snapshot::show().named("x' OR '1'='1").to_sql().is_err());
    /// ```
    pub fn named(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }
}

impl MoStatement for ShowSnapshots {
    type Output = Vec<SnapshotInfo>;

    fn in_transaction(&self) -> InTransaction {
        InTransaction::OutsideTransaction
    }

    /// MatrixOne 1.2.0 or later (snapshots arrived then).
    fn requires(&self) -> Requires {
        SNAPSHOTS_SINCE
    }

    fn render(&self, _dialect: Dialect) -> Result<String> {
        match &self.name {
            None => Ok("SHOW SNAPSHOTS".to_owned()),
            Some(name) => {
                Ok(format!("SHOW SNAPSHOTS WHERE SNAPSHOT_NAME = {}", object_literal("snapshot", name)?))
            }
        }
    }

    /// Decodes every row with [`SnapshotInfo`]'s `FromRow`; a row that does not decode (for
    /// example a snapshot level this SDK does not know) fails the whole call with a
    /// [`crate::ErrorKind::Decode`] error naming that snapshot, rather than being dropped.
    fn decode_output(result: ResultSet) -> Result<Vec<SnapshotInfo>> {
        result.typed()
    }
}

crate::mo::impl_to_sql!(CreateSnapshot, DropSnapshot, ShowSnapshots);
