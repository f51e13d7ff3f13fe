//! DATA BRANCH statements: [`Branch::create_table`], [`Branch::create_database`],
//! [`Branch::delete_table`], [`Branch::delete_database`], [`Branch::diff`], [`Branch::merge`]
//! and [`Branch::pick`].
//!
//! The grammar is `branch_stmt` in pkg/sql/parsers/dialect/mysql/mysql_sql.y (with
//! `diff_output_opt`, `conflict_opt`, `pick_keys_clause`, `to_account_opt` and, for the
//! `{SNAPSHOT = '...'}` after a table or database, `table_snapshot_opt`). Which forms run inside a
//! transaction follows `statementCanBeExecutedInUncommittedTransaction` in
//! pkg/frontend/stmt_kind.go: CREATE, DELETE, DIFF and MERGE may, PICK may not.

use crate::error::{Error, Result};
use crate::mo::literal::mode_independent_literal;
use crate::mo::names::object_ident;
use crate::mo::names::object_literal;
use crate::mo::{Dialect, InTransaction, MoStatement, Requires, TableRef};
use crate::mo::{DiffFile, DiffRows, DiffSummary};
use crate::result::ResultSet;
use crate::sql::quote_ident;
use crate::statement::Statement;
use crate::value::Value;

/// DATA BRANCH arrived in MatrixOne 3.0.5 (reference §0; the Python SDK gates it there too).
const NEEDS: Requires = Requires::MatrixOneAtLeast(3, 0, 5);

/// Entry point for the DATA BRANCH statements; it has no values of its own.
///
/// Tables are `"t"`, `"db.t"` or `("db", "t")` ([`TableRef`]); databases and accounts are plain
/// names, backtick-quoted. Snapshot names must match `[A-Za-z0-9_]+` and are sent lower-cased.
#[derive(Debug)]
pub enum Branch {}

impl Branch {
    /// `DATA BRANCH CREATE TABLE target FROM source`: a new table `target` that starts as a copy
    /// of `source` and remembers it as its base.
    ///
    /// ```
    /// use matrixone::mo::Branch;
    /// assert_eq!(
    ///     Branch::create_table("test.dev", "test.main").to_sql().unwrap(),
    ///     "DATA BRANCH CREATE TABLE `test`.`dev` FROM `test`.`main`"
    /// );
    /// ```
    pub fn create_table(target: impl Into<TableRef>, source: impl Into<TableRef>) -> CreateBranch {
        CreateBranch { object: Object::Table(target.into(), source.into()), snapshot: None, to_account: None }
    }

    /// `DATA BRANCH CREATE DATABASE target FROM source`: every table of `source` branched into a
    /// new database.
    ///
    /// ```
    /// use matrixone::mo::Branch;
    /// assert_eq!(
    ///     Branch::create_database("dev_db", "main_db").to_sql().unwrap(),
    ///     "DATA BRANCH CREATE DATABASE `dev_db` FROM `main_db`"
    /// );
    /// ```
    pub fn create_database(target: impl Into<String>, source: impl Into<String>) -> CreateBranch {
        CreateBranch {
            object: Object::Database(target.into(), source.into()),
            snapshot: None,
            to_account: None,
        }
    }

    /// `DATA BRANCH DELETE TABLE t`: drops a branch table and its branch metadata.
    ///
    /// ```
    /// use matrixone::mo::Branch;
    /// assert_eq!(Branch::delete_table("test.dev").to_sql().unwrap(), "DATA BRANCH DELETE TABLE `test`.`dev`");
    /// ```
    pub fn delete_table(table: impl Into<TableRef>) -> DeleteBranch {
        DeleteBranch { object: DeleteObject::Table(table.into()) }
    }

    /// `DATA BRANCH DELETE DATABASE d`.
    ///
    /// ```
    /// use matrixone::mo::Branch;
    /// assert_eq!(Branch::delete_database("dev_db").to_sql().unwrap(), "DATA BRANCH DELETE DATABASE `dev_db`");
    /// ```
    pub fn delete_database(database: impl Into<String>) -> DeleteBranch {
        DeleteBranch { object: DeleteObject::Database(database.into()) }
    }

    /// `DATA BRANCH DIFF target AGAINST base`: the rows that differ, each with the side it is on
    /// and how it changed. Its output is [`DiffRows`]; [`BranchDiff::count`],
    /// [`BranchDiff::summary`], [`BranchDiff::output_as`] and [`BranchDiff::output_file`] ask for
    /// the other outputs.
    ///
    /// ```
    /// use matrixone::mo::Branch;
    /// assert_eq!(
    ///     Branch::diff("test.dev", "test.main").to_sql().unwrap(),
    ///     "DATA BRANCH DIFF `test`.`dev` AGAINST `test`.`main`"
    /// );
    /// ```
    pub fn diff(target: impl Into<TableRef>, base: impl Into<TableRef>) -> BranchDiff {
        BranchDiff {
            target: target.into(),
            target_snapshot: None,
            base: base.into(),
            base_snapshot: None,
            columns: Vec::new(),
            limit: None,
        }
    }

    /// `DATA BRANCH MERGE source INTO target`: applies the changes of `source` to `target`.
    /// Without [`BranchMerge::on_conflict`] the server fails on a conflict (its default, FAIL).
    ///
    /// ```
    /// use matrixone::mo::Branch;
    /// assert_eq!(
    ///     Branch::merge("test.dev", "test.main").to_sql().unwrap(),
    ///     "DATA BRANCH MERGE `test`.`dev` INTO `test`.`main`"
    /// );
    /// ```
    pub fn merge(source: impl Into<TableRef>, target: impl Into<TableRef>) -> BranchMerge {
        BranchMerge { source: source.into(), target: target.into(), conflict: None }
    }

    /// `DATA BRANCH PICK source INTO target KEYS (...)` or `... BETWEEN SNAPSHOT a AND b`: applies
    /// the changes of some rows only. Choose them with [`BranchPick::keys`],
    /// [`BranchPick::keys_from`] or [`BranchPick::between_snapshots`]; without one it does not
    /// render.
    ///
    /// ```
    /// use matrixone::mo::Branch;
    /// assert_eq!(
    ///     Branch::pick("dev", "main").keys([2, 4]).to_sql().unwrap(),
    ///     "DATA BRANCH PICK `dev` INTO `main` KEYS (?, ?)"
    /// );
    /// assert!(Branch::pick("dev", "main").to_sql().is_err());
    /// ```
    pub fn pick(source: impl Into<TableRef>, target: impl Into<TableRef>) -> BranchPick {
        BranchPick {
            source: source.into(),
            target: target.into(),
            keys: None,
            between: None,
            between_as_strings: false,
            conflict: None,
        }
    }
}

/// What MERGE and PICK do with a row changed on both sides with different values
/// (`conflict_opt`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OnConflict {
    /// `WHEN CONFLICT FAIL`, the server's default: nothing is applied and the statement fails
    /// with [`crate::ErrorKind::BranchConflict`] ([`crate::mo::BranchConflict`] has the key).
    Fail,
    /// `WHEN CONFLICT SKIP`: the target keeps its row.
    Skip,
    /// `WHEN CONFLICT ACCEPT`: the source's row replaces the target's.
    Accept,
}

impl OnConflict {
    fn clause(conflict: Option<OnConflict>) -> &'static str {
        match conflict {
            None => "",
            Some(OnConflict::Fail) => " WHEN CONFLICT FAIL",
            Some(OnConflict::Skip) => " WHEN CONFLICT SKIP",
            Some(OnConflict::Accept) => " WHEN CONFLICT ACCEPT",
        }
    }
}

/// `{SNAPSHOT = 'name'}` after a table or database, or nothing.
fn at_snapshot(snapshot: &Option<String>) -> Result<String> {
    match snapshot {
        None => Ok(String::new()),
        Some(name) => Ok(format!(" {{SNAPSHOT = {}}}", object_literal("snapshot", name)?)),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Object {
    Table(TableRef, TableRef),
    Database(String, String),
}

/// `DATA BRANCH CREATE {TABLE | DATABASE} target FROM source [{SNAPSHOT = 's'}] [TO ACCOUNT a]`.
/// Built by [`Branch::create_table`] and [`Branch::create_database`]; runs to `()`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CreateBranch {
    object: Object,
    snapshot: Option<String>,
    to_account: Option<String>,
}

impl CreateBranch {
    /// Branches from the source as it was at snapshot `snapshot`.
    ///
    /// ```
    /// use matrixone::mo::Branch;
    /// assert_eq!(
    ///     Branch::create_table("t1", "t0").at_snapshot("sp0").to_sql().unwrap(),
    ///     "DATA BRANCH CREATE TABLE `t1` FROM `t0` {SNAPSHOT = 'sp0'}"
    /// );
    /// assert_eq!(
    ///     Branch::create_database("d2", "d1").at_snapshot("SP1").to_sql().unwrap(),
    ///     "DATA BRANCH CREATE DATABASE `d2` FROM `d1` {SNAPSHOT = 'sp1'}"
    /// );
    /// assert!(Branch::create_table("t1", "t0").at_snapshot("s'}").to_sql().is_err());
    /// ```
    pub fn at_snapshot(mut self, snapshot: impl Into<String>) -> Self {
        self.snapshot = Some(snapshot.into());
        self
    }

    /// Creates the branch in another account (the sys account may name any).
    ///
    /// ```
    /// use matrixone::mo::Branch;
    /// assert_eq!(
    ///     Branch::create_database("br", "src").at_snapshot("sp").to_account("acc1").to_sql().unwrap(),
    ///     "DATA BRANCH CREATE DATABASE `br` FROM `src` {SNAPSHOT = 'sp'} TO ACCOUNT `acc1`"
    /// );
    /// assert_eq!(
    ///     Branch::create_table("db.t1", "db.t0").to_account("acc1").to_sql().unwrap(),
    ///     "DATA BRANCH CREATE TABLE `db`.`t1` FROM `db`.`t0` TO ACCOUNT `acc1`"
    /// );
    /// ```
    pub fn to_account(mut self, account: impl Into<String>) -> Self {
        self.to_account = Some(account.into());
        self
    }
}

impl MoStatement for CreateBranch {
    type Output = ();

    fn requires(&self) -> Requires {
        NEEDS
    }

    fn render(&self, _dialect: Dialect) -> Result<String> {
        let snapshot = at_snapshot(&self.snapshot)?;
        let to_account = match &self.to_account {
            None => String::new(),
            Some(account) => format!(" TO ACCOUNT {}", quote_ident(account)?),
        };
        Ok(match &self.object {
            Object::Table(target, source) => format!(
                "DATA BRANCH CREATE TABLE {} FROM {}{snapshot}{to_account}",
                target.to_sql()?,
                source.to_sql()?
            ),
            Object::Database(target, source) => format!(
                "DATA BRANCH CREATE DATABASE {} FROM {}{snapshot}{to_account}",
                quote_ident(target)?,
                quote_ident(source)?
            ),
        })
    }

    fn decode_output(_result: ResultSet) -> Result<()> {
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum DeleteObject {
    Table(TableRef),
    Database(String),
}

/// `DATA BRANCH DELETE {TABLE t | DATABASE d}`. Built by [`Branch::delete_table`] and
/// [`Branch::delete_database`]; runs to `()`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DeleteBranch {
    object: DeleteObject,
}

impl MoStatement for DeleteBranch {
    type Output = ();

    fn requires(&self) -> Requires {
        NEEDS
    }

    fn render(&self, _dialect: Dialect) -> Result<String> {
        Ok(match &self.object {
            DeleteObject::Table(table) => format!("DATA BRANCH DELETE TABLE {}", table.to_sql()?),
            DeleteObject::Database(db) => format!("DATA BRANCH DELETE DATABASE {}", quote_ident(db)?),
        })
    }

    fn decode_output(_result: ResultSet) -> Result<()> {
        Ok(())
    }
}

/// `DATA BRANCH DIFF target[{SNAPSHOT = 's'}] AGAINST base[{SNAPSHOT = 's'}] [COLUMNS (...)]
/// [OUTPUT LIMIT n]`. Built by [`Branch::diff`]; runs to [`DiffRows`]. The other outputs are
/// [`BranchDiff::count`], [`BranchDiff::summary`], [`BranchDiff::output_as`] and
/// [`BranchDiff::output_file`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BranchDiff {
    target: TableRef,
    target_snapshot: Option<String>,
    base: TableRef,
    base_snapshot: Option<String>,
    columns: Vec<String>,
    limit: Option<u64>,
}

impl BranchDiff {
    /// Compares the target as it was at snapshot `snapshot`.
    ///
    /// ```
    /// use matrixone::mo::Branch;
    /// assert_eq!(
    ///     Branch::diff("t2", "t1").target_at("sp2").base_at("sp1").to_sql().unwrap(),
    ///     "DATA BRANCH DIFF `t2` {SNAPSHOT = 'sp2'} AGAINST `t1` {SNAPSHOT = 'sp1'}"
    /// );
    /// ```
    pub fn target_at(mut self, snapshot: impl Into<String>) -> Self {
        self.target_snapshot = Some(snapshot.into());
        self
    }

    /// Compares against the base as it was at snapshot `snapshot`.
    ///
    /// ```
    /// use matrixone::mo::Branch;
    /// assert_eq!(
    ///     Branch::diff("t2", "t1").base_at("sp1").to_sql().unwrap(),
    ///     "DATA BRANCH DIFF `t2` AGAINST `t1` {SNAPSHOT = 'sp1'}"
    /// );
    /// ```
    pub fn base_at(mut self, snapshot: impl Into<String>) -> Self {
        self.base_snapshot = Some(snapshot.into());
        self
    }

    /// Compares (and returns) only these columns: `COLUMNS (a, b)`.
    ///
    /// ```
    /// use matrixone::mo::Branch;
    /// assert_eq!(
    ///     Branch::diff("child", "base").columns(["id", "na`me"]).to_sql().unwrap(),
    ///     "DATA BRANCH DIFF `child` AGAINST `base` COLUMNS (`id`, `na``me`)"
    /// );
    /// ```
    pub fn columns<I: IntoIterator<Item = S>, S: Into<String>>(mut self, columns: I) -> Self {
        self.columns = columns.into_iter().map(Into::into).collect();
        self
    }

    /// At most `n` rows: `OUTPUT LIMIT n`.
    ///
    /// ```
    /// use matrixone::mo::Branch;
    /// assert_eq!(
    ///     Branch::diff("child", "base").columns(["id"]).limit(0).to_sql().unwrap(),
    ///     "DATA BRANCH DIFF `child` AGAINST `base` COLUMNS (`id`) OUTPUT LIMIT 0"
    /// );
    /// ```
    pub fn limit(mut self, n: u64) -> Self {
        self.limit = Some(n);
        self
    }

    /// How many rows differ (`OUTPUT COUNT`); runs to `u64`.
    ///
    /// ```
    /// use matrixone::mo::Branch;
    /// assert_eq!(
    ///     Branch::diff("db.target", "db.base").count().to_sql().unwrap(),
    ///     "DATA BRANCH DIFF `db`.`target` AGAINST `db`.`base` OUTPUT COUNT"
    /// );
    /// ```
    pub fn count(self) -> BranchDiffCount {
        BranchDiffCount(self)
    }

    /// Rows inserted, deleted and updated on each side (`OUTPUT SUMMARY`); runs to
    /// [`DiffSummary`].
    ///
    /// ```
    /// use matrixone::mo::Branch;
    /// assert_eq!(
    ///     Branch::diff("wide_branch", "wide_base").summary().to_sql().unwrap(),
    ///     "DATA BRANCH DIFF `wide_branch` AGAINST `wide_base` OUTPUT SUMMARY"
    /// );
    /// ```
    pub fn summary(self) -> BranchDiffSummary {
        BranchDiffSummary(self)
    }

    /// Writes the rows into a new table (`OUTPUT AS t`); runs to the created table's name as the
    /// server reports it (`` `db`.`t` ``).
    ///
    /// ```
    /// use matrixone::mo::Branch;
    /// assert_eq!(
    ///     Branch::diff("db.target", "db.base").output_as("db.diff_out").to_sql().unwrap(),
    ///     "DATA BRANCH DIFF `db`.`target` AGAINST `db`.`base` OUTPUT AS `db`.`diff_out`"
    /// );
    /// ```
    pub fn output_as(self, table: impl Into<TableRef>) -> BranchDiffInto {
        BranchDiffInto(self, table.into())
    }

    /// Writes SQL that turns the base into the target to a file in directory (or stage URL)
    /// `dir`, on the server's side (`OUTPUT FILE 'dir'`); runs to [`DiffFile`]. A backslash in
    /// `dir` is refused (it reads differently depending on `NO_BACKSLASH_ESCAPES`).
    ///
    /// ```
    /// use matrixone::mo::Branch;
    /// assert_eq!(
    ///     Branch::diff("src", "dst").output_file("/tmp/").to_sql().unwrap(),
    ///     "DATA BRANCH DIFF `src` AGAINST `dst` OUTPUT FILE '/tmp/'"
    /// );
    /// ```
    pub fn output_file(self, dir: impl Into<String>) -> BranchDiffFile {
        BranchDiffFile(self, dir.into())
    }

    /// The SQL up to the output clause.
    fn head(&self) -> Result<String> {
        let mut sql = format!(
            "DATA BRANCH DIFF {}{} AGAINST {}{}",
            self.target.to_sql()?,
            at_snapshot(&self.target_snapshot)?,
            self.base.to_sql()?,
            at_snapshot(&self.base_snapshot)?
        );
        if !self.columns.is_empty() {
            let quoted = self.columns.iter().map(|c| quote_ident(c)).collect::<Result<Vec<_>>>()?;
            sql.push_str(&format!(" COLUMNS ({})", quoted.join(", ")));
        }
        Ok(sql)
    }
}

impl MoStatement for BranchDiff {
    type Output = DiffRows;

    fn requires(&self) -> Requires {
        NEEDS
    }

    fn render(&self, _dialect: Dialect) -> Result<String> {
        let head = self.head()?;
        Ok(match self.limit {
            None => head,
            Some(n) => format!("{head} OUTPUT LIMIT {n}"),
        })
    }

    fn decode_output(result: ResultSet) -> Result<DiffRows> {
        DiffRows::from_result(result)
    }
}

/// `DATA BRANCH DIFF ... OUTPUT COUNT`. Built by [`BranchDiff::count`]; runs to `u64`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BranchDiffCount(BranchDiff);

impl MoStatement for BranchDiffCount {
    type Output = u64;

    fn requires(&self) -> Requires {
        NEEDS
    }

    fn render(&self, _dialect: Dialect) -> Result<String> {
        Ok(format!("{} OUTPUT COUNT", self.0.head()?))
    }

    fn decode_output(result: ResultSet) -> Result<u64> {
        result.scalar()
    }
}

/// `DATA BRANCH DIFF ... OUTPUT SUMMARY`. Built by [`BranchDiff::summary`]; runs to
/// [`DiffSummary`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BranchDiffSummary(BranchDiff);

impl MoStatement for BranchDiffSummary {
    type Output = DiffSummary;

    fn requires(&self) -> Requires {
        NEEDS
    }

    fn render(&self, _dialect: Dialect) -> Result<String> {
        Ok(format!("{} OUTPUT SUMMARY", self.0.head()?))
    }

    fn decode_output(result: ResultSet) -> Result<DiffSummary> {
        DiffSummary::from_result(&result)
    }
}

/// `DATA BRANCH DIFF ... OUTPUT AS t`. Built by [`BranchDiff::output_as`]; runs to the created
/// table's name as the server reports it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BranchDiffInto(BranchDiff, TableRef);

impl MoStatement for BranchDiffInto {
    type Output = String;

    fn requires(&self) -> Requires {
        NEEDS
    }

    fn render(&self, _dialect: Dialect) -> Result<String> {
        Ok(format!("{} OUTPUT AS {}", self.0.head()?, self.1.to_sql()?))
    }

    /// One row, one column labelled `TABLE CREATED` (git4data/branch/edge/
    /// branch_float_special_values.result); an OK packet without rows gives an empty string.
    fn decode_output(result: ResultSet) -> Result<String> {
        Ok(result.first().map(|row| row.get::<String>(0)).transpose()?.unwrap_or_default())
    }
}

/// `DATA BRANCH DIFF ... OUTPUT FILE 'dir'`. Built by [`BranchDiff::output_file`]; runs to
/// [`DiffFile`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BranchDiffFile(BranchDiff, String);

impl MoStatement for BranchDiffFile {
    type Output = DiffFile;

    fn requires(&self) -> Requires {
        NEEDS
    }

    fn render(&self, _dialect: Dialect) -> Result<String> {
        Ok(format!("{} OUTPUT FILE {}", self.0.head()?, mode_independent_literal(&self.1)?))
    }

    fn decode_output(result: ResultSet) -> Result<DiffFile> {
        DiffFile::from_result(&result)
    }
}

/// `DATA BRANCH MERGE source INTO target [WHEN CONFLICT {FAIL | SKIP | ACCEPT}]`. Built by
/// [`Branch::merge`]; runs to `()`. A conflict under FAIL is an
/// [`crate::ErrorKind::BranchConflict`] error.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BranchMerge {
    source: TableRef,
    target: TableRef,
    conflict: Option<OnConflict>,
}

impl BranchMerge {
    /// What to do with a conflicting row.
    ///
    /// ```
    /// use matrixone::mo::{Branch, OnConflict};
    /// assert_eq!(
    ///     Branch::merge("t2", "t1").on_conflict(OnConflict::Skip).to_sql().unwrap(),
    ///     "DATA BRANCH MERGE `t2` INTO `t1` WHEN CONFLICT SKIP"
    /// );
    /// assert_eq!(
    ///     Branch::merge("t2", "t1").on_conflict(OnConflict::Accept).to_sql().unwrap(),
    ///     "DATA BRANCH MERGE `t2` INTO `t1` WHEN CONFLICT ACCEPT"
    /// );
    /// assert_eq!(
    ///     Branch::merge("t2", "t1").on_conflict(OnConflict::Fail).to_sql().unwrap(),
    ///     "DATA BRANCH MERGE `t2` INTO `t1` WHEN CONFLICT FAIL"
    /// );
    /// ```
    pub fn on_conflict(mut self, policy: OnConflict) -> Self {
        self.conflict = Some(policy);
        self
    }
}

impl MoStatement for BranchMerge {
    type Output = ();

    /// MERGE runs inside an explicit BEGIN (stmt_kind.go: `OptionBitsIsSet(OPTION_BEGIN)`),
    /// which is how [`crate::Transaction`] starts.
    fn in_transaction(&self) -> InTransaction {
        InTransaction::Allowed
    }

    fn requires(&self) -> Requires {
        NEEDS
    }

    fn render(&self, _dialect: Dialect) -> Result<String> {
        Ok(format!(
            "DATA BRANCH MERGE {} INTO {}{}",
            self.source.to_sql()?,
            self.target.to_sql()?,
            OnConflict::clause(self.conflict)
        ))
    }

    fn decode_output(_result: ResultSet) -> Result<()> {
        Ok(())
    }
}

/// The rows a PICK takes: key values, or a query that returns them.
#[derive(Debug, Clone, PartialEq)]
enum Keys {
    Values(Vec<Value>),
    Query(Statement),
}

/// `DATA BRANCH PICK source INTO target [BETWEEN SNAPSHOT {a AND b | 'a' AND 'b'}] [KEYS (...)]
/// [WHEN CONFLICT ...]`. Built by [`Branch::pick`]; runs to `()`.
///
/// MatrixOne does not run PICK inside a transaction (it manages its own; stmt_kind.go): on a
/// [`crate::Transaction`] it is refused before anything is sent.
///
/// The keys are values: [`MoStatement::values`] has them and `to_sql()` shows a `?` for each;
/// the SDK inlines them, escaped for the session, when it sends the statement.
#[derive(Debug, Clone, PartialEq)]
pub struct BranchPick {
    source: TableRef,
    target: TableRef,
    keys: Option<Keys>,
    between: Option<(String, String)>,
    /// `BETWEEN SNAPSHOT 'a' AND 'b'` rather than identifiers.
    between_as_strings: bool,
    conflict: Option<OnConflict>,
}

impl BranchPick {
    /// Picks the rows with these primary-key values: `KEYS (?, ?, ...)`.
    ///
    /// ```
    /// use matrixone::Value;
    /// use matrixone::mo::{Branch, MoStatement, OnConflict};
    /// let pick = Branch::pick("src", "dst").keys(["a'1", "b"]).on_conflict(OnConflict::Accept);
    /// assert_eq!(pick.to_sql().unwrap(), "DATA BRANCH PICK `src` INTO `dst` KEYS (?, ?) WHEN CONFLICT ACCEPT");
    /// assert_eq!(pick.values(), vec![Value::from("a'1"), Value::from("b")]);
    /// assert!(Branch::pick("src", "dst").keys(Vec::<i64>::new()).to_sql().is_err());
    /// ```
    pub fn keys<I: IntoIterator<Item = V>, V: Into<Value>>(mut self, keys: I) -> Self {
        self.keys = Some(Keys::Values(keys.into_iter().map(Into::into).collect()));
        self
    }

    /// Picks the rows whose keys `query` returns: `KEYS (SELECT ...)`. The query is SQL the
    /// caller writes (a `&str`, [`crate::query`] with bound values, or a sea-query
    /// `SelectStatement`); its values follow the statement's own.
    ///
    /// ```
    /// use matrixone::{query, Value};
    /// use matrixone::mo::{Branch, MoStatement};
    /// let pick = Branch::pick("br_pick.src", "br_pick.dst")
    ///     .keys_from(query("SELECT k FROM br_pick.pick_keys WHERE k > ?").bind(1));
    /// assert_eq!(
    ///     pick.to_sql().unwrap(),
    ///     "DATA BRANCH PICK `br_pick`.`src` INTO `br_pick`.`dst` KEYS (SELECT k FROM br_pick.pick_keys WHERE k > ?)"
    /// );
    /// assert_eq!(pick.values(), vec![Value::from(1)]);
    /// ```
    pub fn keys_from(mut self, query: impl Into<Statement>) -> Self {
        self.keys = Some(Keys::Query(query.into()));
        self
    }

    /// Picks the changes made between two snapshots of the source:
    /// `BETWEEN SNAPSHOT a AND b` (with [`BranchPick::keys`], only those rows' changes).
    ///
    /// ```
    /// use matrixone::mo::{Branch, OnConflict};
    /// assert_eq!(
    ///     Branch::pick("t1", "t2").between_snapshots("sp1", "sp2").on_conflict(OnConflict::Fail).to_sql().unwrap(),
    ///     "DATA BRANCH PICK `t1` INTO `t2` BETWEEN SNAPSHOT `sp1` AND `sp2` WHEN CONFLICT FAIL"
    /// );
    /// assert_eq!(
    ///     Branch::pick("t1", "t2").between_snapshots("sp1", "sp2").keys([3]).to_sql().unwrap(),
    ///     "DATA BRANCH PICK `t1` INTO `t2` BETWEEN SNAPSHOT `sp1` AND `sp2` KEYS (?)"
    /// );
    /// assert!(Branch::pick("t1", "t2").between_snapshots("sp1 AND x", "sp2").to_sql().is_err());
    /// ```
    pub fn between_snapshots(mut self, from: impl Into<String>, to: impl Into<String>) -> Self {
        self.between = Some((from.into(), to.into()));
        self.between_as_strings = false;
        self
    }

    /// [`BranchPick::between_snapshots`] in the grammar's string-literal form:
    /// `BETWEEN SNAPSHOT 'a' AND 'b'`. The names are validated and lower-cased the same way (MatrixOne
    /// takes the strings as they are, where it lower-cases identifiers).
    ///
    /// ```
    /// use matrixone::mo::{Branch, OnConflict};
    /// assert_eq!(
    ///     Branch::pick("t1", "t2").between_snapshot_strings("sp1", "SP2").on_conflict(OnConflict::Skip).to_sql().unwrap(),
    ///     "DATA BRANCH PICK `t1` INTO `t2` BETWEEN SNAPSHOT 'sp1' AND 'sp2' WHEN CONFLICT SKIP"
    /// );
    /// assert_eq!(
    ///     Branch::pick("t1", "t2").between_snapshot_strings("sp1", "sp2").keys([3]).to_sql().unwrap(),
    ///     "DATA BRANCH PICK `t1` INTO `t2` BETWEEN SNAPSHOT 'sp1' AND 'sp2' KEYS (?)"
    /// );
    /// assert!(Branch::pick("t1", "t2").between_snapshot_strings("sp1' AND 'x", "sp2").to_sql().is_err());
    /// ```
    pub fn between_snapshot_strings(mut self, from: impl Into<String>, to: impl Into<String>) -> Self {
        self.between = Some((from.into(), to.into()));
        self.between_as_strings = true;
        self
    }

    /// What to do with a conflicting row.
    ///
    /// ```
    /// use matrixone::mo::{Branch, OnConflict};
    /// assert_eq!(
    ///     Branch::pick("src", "dst").keys([2, 4]).on_conflict(OnConflict::Skip).to_sql().unwrap(),
    ///     "DATA BRANCH PICK `src` INTO `dst` KEYS (?, ?) WHEN CONFLICT SKIP"
    /// );
    /// ```
    pub fn on_conflict(mut self, policy: OnConflict) -> Self {
        self.conflict = Some(policy);
        self
    }
}

impl MoStatement for BranchPick {
    type Output = ();

    fn in_transaction(&self) -> InTransaction {
        InTransaction::Refused("DATA BRANCH PICK")
    }

    fn requires(&self) -> Requires {
        NEEDS
    }

    fn render(&self, _dialect: Dialect) -> Result<String> {
        let mut sql = format!("DATA BRANCH PICK {} INTO {}", self.source.to_sql()?, self.target.to_sql()?);
        if let Some((from, to)) = &self.between {
            let name = if self.between_as_strings { object_literal } else { object_ident };
            sql.push_str(&format!(
                " BETWEEN SNAPSHOT {} AND {}",
                name("snapshot", from)?,
                name("snapshot", to)?
            ));
        }
        match &self.keys {
            None if self.between.is_none() => {
                return Err(Error::invalid_input(
                    "a PICK needs its rows: call .keys(..), .keys_from(..) or .between_snapshots(..)",
                ));
            }
            None => {}
            Some(Keys::Values(values)) if values.is_empty() => {
                return Err(Error::invalid_input("a PICK with .keys(..) needs at least one key"));
            }
            Some(Keys::Values(values)) => {
                sql.push_str(&format!(" KEYS ({})", vec!["?"; values.len()].join(", ")));
            }
            Some(Keys::Query(query)) => {
                if query.sql().trim().is_empty() {
                    return Err(Error::invalid_input("a PICK with .keys_from(..) needs a query"));
                }
                sql.push_str(&format!(" KEYS ({})", query.sql()));
            }
        }
        sql.push_str(OnConflict::clause(self.conflict));
        Ok(sql)
    }

    fn values(&self) -> Vec<Value> {
        match &self.keys {
            None => Vec::new(),
            Some(Keys::Values(values)) => values.clone(),
            Some(Keys::Query(query)) => query.values().to_vec(),
        }
    }

    fn decode_output(_result: ResultSet) -> Result<()> {
        Ok(())
    }
}

crate::mo::impl_to_sql!(
    CreateBranch,
    DeleteBranch,
    BranchDiff,
    BranchDiffCount,
    BranchDiffSummary,
    BranchDiffInto,
    BranchDiffFile,
    BranchMerge,
    BranchPick
);
