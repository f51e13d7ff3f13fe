//! PITR statements: [`Pitr::create`], [`Pitr::alter`], [`Pitr::drop`] and [`Pitr::show`].

use crate::error::{Error, Result};
use crate::mo::literal::mode_independent_literal;
use crate::mo::names::{object_ident, object_literal};
use crate::mo::scope::Scope;
use crate::mo::{Dialect, InTransaction, MoStatement, PitrInfo, PitrUnit, Requires};
use crate::result::ResultSet;

/// The range MatrixOne accepts for a PITR: 1 to 100 units.
pub const PITR_RANGE: std::ops::RangeInclusive<u32> = 1..=100;

/// The first release with PITRs (`CREATE`/`ALTER`/`DROP PITR`, `SHOW PITR`: mysql_sql.y at
/// v2.0.0, absent at v1.2.x).
const PITR_SINCE: Requires = Requires::MatrixOneAtLeast(2, 0, 0);

/// Entry point for the PITR (point-in-time recovery) statements; it has no values of its own.
///
/// PITR names must match `[A-Za-z0-9_]+` and are sent lower-cased; a range must be 1 to 100
/// units. Anything else is an [`crate::ErrorKind::InvalidInput`] error when the statement
/// renders, before anything is sent.
#[derive(Debug)]
pub enum Pitr {}

impl Pitr {
    /// `CREATE PITR name FOR ... RANGE n 'unit'`; choose the scope with
    /// [`CreatePitr::cluster`], [`CreatePitr::account`], [`CreatePitr::account_named`],
    /// [`CreatePitr::database`] or [`CreatePitr::table`], and the range with
    /// [`CreatePitr::range`]. Without either it does not render.
    ///
    /// ```
    /// use matrixone::mo::{Pitr, PitrUnit};
    /// assert_eq!(
    ///     Pitr::create("p1").database("test").range(1, PitrUnit::Day).to_sql().unwrap(),
    ///     "CREATE PITR `p1` FOR DATABASE `test` RANGE 1 'd'"
    /// );
    /// assert!(Pitr::create("p1").database("test").to_sql().is_err());
    /// assert!(Pitr::create("p1").range(1, PitrUnit::Day).to_sql().is_err());
    /// ```
    pub fn create(name: impl Into<String>) -> CreatePitr {
        CreatePitr { name: name.into(), scope: None, range: None, if_not_exists: false }
    }

    /// `ALTER PITR name RANGE n 'unit'`; set the new range with [`AlterPitr::range`].
    ///
    /// ```
    /// use matrixone::mo::{Pitr, PitrUnit};
    /// assert_eq!(Pitr::alter("p1").range(2, PitrUnit::Hour).to_sql().unwrap(), "ALTER PITR `p1` RANGE 2 'h'");
    /// assert!(Pitr::alter("p1").to_sql().is_err());
    /// ```
    pub fn alter(name: impl Into<String>) -> AlterPitr {
        AlterPitr { name: name.into(), range: None, if_exists: false }
    }

    /// `DROP PITR name`.
    ///
    /// ```
    /// use matrixone::mo::Pitr;
    /// assert_eq!(Pitr::drop("p1").to_sql().unwrap(), "DROP PITR `p1`");
    /// ```
    pub fn drop(name: impl Into<String>) -> DropPitr {
        DropPitr { name: name.into(), if_exists: false }
    }

    /// `SHOW PITR`: the PITRs the current account created; its output is a `Vec<PitrInfo>`.
    ///
    /// ```
    /// use matrixone::mo::Pitr;
    /// assert_eq!(Pitr::show().to_sql().unwrap(), "SHOW PITR");
    /// ```
    pub fn show() -> ShowPitr {
        ShowPitr { name: None }
    }
}

fn range_clause(name: &str, range: Option<(u32, PitrUnit)>) -> Result<String> {
    let (length, unit) = range.ok_or_else(|| {
        Error::invalid_input(format!("PITR {name:?} has no range: call .range(n, PitrUnit::..)"))
    })?;
    if !PITR_RANGE.contains(&length) {
        return Err(Error::invalid_input(format!(
            "PITR range {length} is outside 1..=100, which MatrixOne accepts"
        )));
    }
    Ok(format!("RANGE {length} {}", mode_independent_literal(unit.as_str())?))
}

/// `CREATE PITR [IF NOT EXISTS] name FOR {CLUSTER | ACCOUNT [a] | DATABASE d | TABLE d t}
/// RANGE n 'unit'`. Built by [`Pitr::create`]; runs to `()`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CreatePitr {
    name: String,
    scope: Option<Scope>,
    range: Option<(u32, PitrUnit)>,
    if_not_exists: bool,
}

impl CreatePitr {
    /// The PITR name as given (validated and lower-cased only when rendering).
    ///
    /// ```
    /// use matrixone::mo::Pitr;
    /// assert_eq!(Pitr::create("P1").account().name(), "P1");
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Covers the whole cluster (sys account only).
    ///
    /// ```
    /// use matrixone::mo::{Pitr, PitrUnit};
    /// assert_eq!(
    ///     Pitr::create("p1").cluster().range(1, PitrUnit::Hour).to_sql().unwrap(),
    ///     "CREATE PITR `p1` FOR CLUSTER RANGE 1 'h'"
    /// );
    /// ```
    pub fn cluster(mut self) -> Self {
        self.scope = Some(Scope::Cluster);
        self
    }

    /// Covers the current account.
    ///
    /// ```
    /// use matrixone::mo::{Pitr, PitrUnit};
    /// assert_eq!(
    ///     Pitr::create("p1").account().range(1, PitrUnit::Hour).to_sql().unwrap(),
    ///     "CREATE PITR `p1` FOR ACCOUNT RANGE 1 'h'"
    /// );
    /// ```
    pub fn account(mut self) -> Self {
        self.scope = Some(Scope::Account(None));
        self
    }

    /// Covers the named account.
    ///
    /// ```
    /// use matrixone::mo::{Pitr, PitrUnit};
    /// assert_eq!(
    ///     Pitr::create("p1").account_named("acc1").range(3, PitrUnit::Month).to_sql().unwrap(),
    ///     "CREATE PITR `p1` FOR ACCOUNT `acc1` RANGE 3 'mo'"
    /// );
    /// ```
    pub fn account_named(mut self, account: impl Into<String>) -> Self {
        self.scope = Some(Scope::Account(Some(account.into())));
        self
    }

    /// Covers one database.
    ///
    /// ```
    /// use matrixone::mo::{Pitr, PitrUnit};
    /// assert_eq!(
    ///     Pitr::create("p1").database("test").range(100, PitrUnit::Year).to_sql().unwrap(),
    ///     "CREATE PITR `p1` FOR DATABASE `test` RANGE 100 'y'"
    /// );
    /// ```
    pub fn database(mut self, database: impl Into<String>) -> Self {
        self.scope = Some(Scope::Database(database.into()));
        self
    }

    /// Covers one table.
    ///
    /// ```
    /// use matrixone::mo::{Pitr, PitrUnit};
    /// assert_eq!(
    ///     Pitr::create("p1").table("test", "users").range(2, PitrUnit::Day).to_sql().unwrap(),
    ///     "CREATE PITR `p1` FOR TABLE `test` `users` RANGE 2 'd'"
    /// );
    /// ```
    pub fn table(mut self, database: impl Into<String>, table: impl Into<String>) -> Self {
        self.scope = Some(Scope::Table(database.into(), table.into()));
        self
    }

    /// How far back the PITR reaches: `length` (1 to 100) units.
    ///
    /// ```
    /// use matrixone::mo::{Pitr, PitrUnit};
    /// assert!(Pitr::create("p1").account().range(0, PitrUnit::Day).to_sql().is_err());
    /// assert!(Pitr::create("p1").account().range(101, PitrUnit::Day).to_sql().is_err());
    /// ```
    pub fn range(mut self, length: u32, unit: PitrUnit) -> Self {
        self.range = Some((length, unit));
        self
    }

    /// Succeeds without doing anything when a PITR of that name exists.
    ///
    /// ```
    /// use matrixone::mo::{Pitr, PitrUnit};
    /// assert_eq!(
    ///     Pitr::create("p1").account().range(1, PitrUnit::Hour).if_not_exists().to_sql().unwrap(),
    ///     "CREATE PITR IF NOT EXISTS `p1` FOR ACCOUNT RANGE 1 'h'"
    /// );
    /// ```
    pub fn if_not_exists(mut self) -> Self {
        self.if_not_exists = true;
        self
    }
}

impl MoStatement for CreatePitr {
    type Output = ();

    fn in_transaction(&self) -> InTransaction {
        InTransaction::Refused("CREATE PITR")
    }

    fn render(&self, _dialect: Dialect) -> Result<String> {
        let name = object_ident("pitr", &self.name)?;
        let scope = self.scope.as_ref().ok_or_else(|| {
            Error::invalid_input(format!(
                "PITR {:?} has no scope: call .cluster(), .account(), .account_named(..), \
                 .database(..) or .table(..)",
                self.name
            ))
        })?;
        let if_not_exists = if self.if_not_exists { "IF NOT EXISTS " } else { "" };
        Ok(format!(
            "CREATE PITR {if_not_exists}{name} {} {}",
            scope.for_clause()?,
            range_clause(&self.name, self.range)?
        ))
    }

    /// MatrixOne: PITRs of the cluster, a named account or a database since 2.0.0; of the
    /// current account or a table since 2.1.0.
    fn requires(&self) -> Requires {
        self.scope.as_ref().map_or(Requires::MatrixOne, Scope::pitr_since)
    }

    fn decode_output(_result: ResultSet) -> Result<()> {
        Ok(())
    }
}

/// `ALTER PITR [IF EXISTS] name RANGE n 'unit'`. Built by [`Pitr::alter`]; runs to `()`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AlterPitr {
    name: String,
    range: Option<(u32, PitrUnit)>,
    if_exists: bool,
}

impl AlterPitr {
    /// The PITR name as given (validated and lower-cased only when rendering).
    ///
    /// ```
    /// use matrixone::mo::Pitr;
    /// assert_eq!(Pitr::alter("p1").name(), "p1");
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The new range: `length` (1 to 100) units.
    ///
    /// ```
    /// use matrixone::mo::{Pitr, PitrUnit};
    /// assert_eq!(Pitr::alter("p1").range(100, PitrUnit::Day).to_sql().unwrap(), "ALTER PITR `p1` RANGE 100 'd'");
    /// assert!(Pitr::alter("p1").range(0, PitrUnit::Day).to_sql().is_err());
    /// ```
    pub fn range(mut self, length: u32, unit: PitrUnit) -> Self {
        self.range = Some((length, unit));
        self
    }

    /// Succeeds without doing anything when no PITR of that name exists.
    ///
    /// ```
    /// use matrixone::mo::{Pitr, PitrUnit};
    /// assert_eq!(
    ///     Pitr::alter("p1").if_exists().range(1, PitrUnit::Day).to_sql().unwrap(),
    ///     "ALTER PITR IF EXISTS `p1` RANGE 1 'd'"
    /// );
    /// ```
    pub fn if_exists(mut self) -> Self {
        self.if_exists = true;
        self
    }
}

impl MoStatement for AlterPitr {
    type Output = ();

    fn in_transaction(&self) -> InTransaction {
        InTransaction::Refused("ALTER PITR")
    }

    /// MatrixOne 2.0.0 or later (PITRs arrived then).
    fn requires(&self) -> Requires {
        PITR_SINCE
    }

    fn render(&self, _dialect: Dialect) -> Result<String> {
        let name = object_ident("pitr", &self.name)?;
        let if_exists = if self.if_exists { "IF EXISTS " } else { "" };
        Ok(format!("ALTER PITR {if_exists}{name} {}", range_clause(&self.name, self.range)?))
    }

    fn decode_output(_result: ResultSet) -> Result<()> {
        Ok(())
    }
}

/// `DROP PITR [IF EXISTS] name`. Built by [`Pitr::drop`]; runs to `()`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DropPitr {
    name: String,
    if_exists: bool,
}

impl DropPitr {
    /// Succeeds without doing anything when no PITR of that name exists.
    ///
    /// ```
    /// use matrixone::mo::Pitr;
    /// assert_eq!(Pitr::drop("p1").if_exists().to_sql().unwrap(), "DROP PITR IF EXISTS `p1`");
    /// ```
    pub fn if_exists(mut self) -> Self {
        self.if_exists = true;
        self
    }
}

impl MoStatement for DropPitr {
    type Output = ();

    fn in_transaction(&self) -> InTransaction {
        InTransaction::Refused("DROP PITR")
    }

    /// MatrixOne 2.0.0 or later (PITRs arrived then).
    fn requires(&self) -> Requires {
        PITR_SINCE
    }

    fn render(&self, _dialect: Dialect) -> Result<String> {
        let name = object_ident("pitr", &self.name)?;
        let if_exists = if self.if_exists { "IF EXISTS " } else { "" };
        Ok(format!("DROP PITR {if_exists}{name}"))
    }

    fn decode_output(_result: ResultSet) -> Result<()> {
        Ok(())
    }
}

/// `SHOW PITR [WHERE PITR_NAME = 'name']`. Built by [`Pitr::show`]; runs to `Vec<PitrInfo>`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ShowPitr {
    name: Option<String>,
}

impl ShowPitr {
    /// Only the PITR with this name (validated and lower-cased like every PITR name).
    ///
    /// ```
    /// use matrixone::mo::Pitr;
    /// assert_eq!(Pitr::show().named("P1").to_sql().unwrap(), "SHOW PITR WHERE PITR_NAME = 'p1'");
    /// assert!(Pitr::show().named("x' OR '1'='1").to_sql().is_err());
    /// ```
    pub fn named(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }
}

impl MoStatement for ShowPitr {
    type Output = Vec<PitrInfo>;

    fn in_transaction(&self) -> InTransaction {
        InTransaction::OutsideTransaction
    }

    /// MatrixOne 2.0.0 or later (PITRs arrived then).
    fn requires(&self) -> Requires {
        PITR_SINCE
    }

    fn render(&self, _dialect: Dialect) -> Result<String> {
        match &self.name {
            None => Ok("SHOW PITR".to_owned()),
            Some(name) => Ok(format!("SHOW PITR WHERE PITR_NAME = {}", object_literal("pitr", name)?)),
        }
    }

    /// Decodes every row with [`PitrInfo`]'s `FromRow`; a row that does not decode fails the
    /// whole call with a [`crate::ErrorKind::Decode`] error naming that PITR.
    fn decode_output(result: ResultSet) -> Result<Vec<PitrInfo>> {
        result.typed()
    }
}

crate::mo::impl_to_sql!(CreatePitr, AlterPitr, DropPitr, ShowPitr);
