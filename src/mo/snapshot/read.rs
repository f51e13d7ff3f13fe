//! Snapshot reads: a `SELECT` that reads every table as it was at a snapshot, a timestamp or a
//! `MO_TS`, written with MatrixOne's `{SNAPSHOT = 's'}` table hint (reference §1a,
//! `table_name: ident table_snapshot_opt`).
//!
//! - [`SnapshotRead`] renders a sea-query [`SelectStatement`] with the hint after **every**
//!   table reference: FROM lists, JOINs, subqueries in FROM, in WHERE and in the select list,
//!   UNIONs, schema-qualified names. The hint goes right after the table name and before its
//!   alias (`` `t` {SNAPSHOT = 's'} AS `a` ``), as the grammar requires.
//! - [`snapshot_hint`], [`timestamp_hint`] and [`mo_ts_hint`] render just the hint, validated,
//!   for SQL written by hand.
//!
//! # Why there is no rewrite of arbitrary SQL text
//!
//! Finding every table reference in SQL text means parsing SQL: `FROM` also appears in
//! `EXTRACT(YEAR FROM d)`, `TRIM(x FROM y)`, string literals, comments, CTE names and derived
//! tables. A pattern-based rewrite (the Python SDK's `SnapshotClient` regex) hints the wrong
//! places or misses tables, and a missed table silently reads current data. So for a plain SQL
//! string the caller writes the hint where the grammar wants it and the SDK renders its text:
//!
//! ```
//! use matrixone::mo::snapshot_hint;
//! let sql = format!("SELECT COUNT(*) FROM orders {} WHERE status = ?", snapshot_hint("Daily_01").unwrap());
//! assert_eq!(sql, "SELECT COUNT(*) FROM orders {SNAPSHOT = 'daily_01'} WHERE status = ?");
//! ```
//!
//! A sea-query statement is different: [`SnapshotRead`] hooks the one place sea-query writes a
//! table reference, so every hint lands exactly there and nowhere else.

use std::cell::Cell;

use chrono::{DateTime, Datelike, NaiveDateTime, Timelike, Utc};
use sea_query::{
    BinOper, ConditionHolder, DynIden, Expr, JoinType, LockClause, LockType, MysqlQueryBuilder,
    OnConflictAction, OnConflictTarget, Oper, PrecedenceDecider, QueryBuilder, QuotedBuilder,
    ReturningClause, SelectDistinct, SelectInto, SelectStatement, SqlWriter, SubQueryStatement, TableRef,
    TableRefBuilder, Value as SeaValue, WithClause,
};

use crate::error::{Error, Result};
use crate::mo::literal::mode_independent_literal;
use crate::mo::names::object_literal;
use crate::statement::Statement;
use crate::value::Value;

/// The point in time a snapshot read goes back to: a named snapshot, a UTC timestamp, or a
/// MatrixOne `MO_TS` (physical nanoseconds since the Unix epoch).
///
/// Nothing is checked until it renders ([`ReadAt::to_sql`], [`SnapshotRead::new`]): a snapshot
/// name must match `[A-Za-z0-9_]+` and is sent lower-cased (MatrixOne matches the string form
/// of the hint exactly, and snapshot names are stored lower-case); a timestamp must be a real
/// UTC date and time after the epoch; `MO_TS` must be positive.
///
/// ```
/// use matrixone::mo::ReadAt;
/// assert_eq!(ReadAt::snapshot("S1").to_sql().unwrap(), "{SNAPSHOT = 's1'}");
/// assert_eq!(ReadAt::timestamp("2026-01-02 03:04:05.5").to_sql().unwrap(), "{TIMESTAMP = '2026-01-02 03:04:05.5'}");
/// assert_eq!(ReadAt::mo_ts(1_700_000_000_000_000_000).to_sql().unwrap(), "{MO_TS = 1700000000000000000}");
/// assert!(ReadAt::snapshot("s1'} --").to_sql().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ReadAt(Point);

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Point {
    Snapshot(String),
    Timestamp(ReadTimestamp),
    MoTs(i64),
}

impl ReadAt {
    /// At the snapshot named `name`: `{SNAPSHOT = 'name'}`.
    ///
    /// ```
    /// use matrixone::mo::ReadAt;
    /// assert_eq!(ReadAt::snapshot("Daily_01").to_sql().unwrap(), "{SNAPSHOT = 'daily_01'}");
    /// assert!(ReadAt::snapshot("").to_sql().is_err());
    /// ```
    pub fn snapshot(name: impl Into<String>) -> ReadAt {
        ReadAt(Point::Snapshot(name.into()))
    }

    /// At a UTC point in time: `{TIMESTAMP = 'YYYY-MM-DD HH:MM:SS[.fffffffff]'}`; see
    /// [`ReadTimestamp`] for what it is built from.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use matrixone::mo::ReadAt;
    /// let dt = NaiveDate::from_ymd_opt(2026, 1, 2).unwrap().and_hms_nano_opt(3, 4, 5, 123_000_000).unwrap();
    /// assert_eq!(ReadAt::timestamp(dt).to_sql().unwrap(), "{TIMESTAMP = '2026-01-02 03:04:05.123'}");
    /// assert!(ReadAt::timestamp("yesterday").to_sql().is_err());
    /// ```
    pub fn timestamp(ts: impl Into<ReadTimestamp>) -> ReadAt {
        ReadAt(Point::Timestamp(ts.into()))
    }

    /// At MatrixOne timestamp `ns` (physical nanoseconds since the Unix epoch, as MatrixOne
    /// reports them): `{MO_TS = ns}`. It must be positive.
    ///
    /// ```
    /// use matrixone::mo::ReadAt;
    /// assert_eq!(ReadAt::mo_ts(42).to_sql().unwrap(), "{MO_TS = 42}");
    /// assert!(ReadAt::mo_ts(0).to_sql().is_err());
    /// ```
    pub fn mo_ts(ns: i64) -> ReadAt {
        ReadAt(Point::MoTs(ns))
    }

    /// The validated hint text, `{SNAPSHOT = 's1'}`, `{TIMESTAMP = '...'}` or `{MO_TS = n}`; an
    /// invalid name or value is an [`crate::ErrorKind::InvalidInput`] error.
    pub fn to_sql(&self) -> Result<String> {
        match &self.0 {
            Point::Snapshot(name) => Ok(format!("{{SNAPSHOT = {}}}", object_literal("snapshot", name)?)),
            Point::Timestamp(ts) => {
                Ok(format!("{{TIMESTAMP = {}}}", mode_independent_literal(&ts.as_text()?)?))
            }
            Point::MoTs(ns) if *ns > 0 => Ok(format!("{{MO_TS = {ns}}}")),
            Point::MoTs(ns) => Err(Error::invalid_input(format!("MO_TS must be positive, got {ns}"))),
        }
    }
}

/// The UTC point in time of a `{TIMESTAMP = '...'}` read hint.
///
/// MatrixOne parses the hint's text as **UTC** with the layout `YYYY-MM-DD HH:MM:SS` and up to
/// nine fractional digits. Built from a [`DateTime<Utc>`], a [`NaiveDateTime`] (taken as UTC),
/// or a string, which must have exactly that layout and be a real date and time. It must be
/// after the Unix epoch (MatrixOne refuses a value <= 0). Checked when it renders.
///
/// ```
/// use matrixone::mo::ReadTimestamp;
/// assert_eq!(ReadTimestamp::from("2026-01-02 03:04:05").as_text().unwrap(), "2026-01-02 03:04:05");
/// assert_eq!(ReadTimestamp::from("2026-01-02 03:04:05.123456789").as_text().unwrap(), "2026-01-02 03:04:05.123456789");
/// assert!(ReadTimestamp::from("2026-01-02T03:04:05").as_text().is_err());
/// assert!(ReadTimestamp::from("2026-01-02 03:04:05.").as_text().is_err());
/// assert!(ReadTimestamp::from("2026-01-02 03:04:05.1234567890").as_text().is_err());
/// assert!(ReadTimestamp::from("2026-02-30 03:04:05").as_text().is_err());
/// assert!(ReadTimestamp::from("1970-01-01 00:00:00").as_text().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ReadTimestamp(TsForm);

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum TsForm {
    Text(String),
    DateTime(NaiveDateTime),
}

impl ReadTimestamp {
    /// The validated `YYYY-MM-DD HH:MM:SS[.f]` text, in UTC.
    pub fn as_text(&self) -> Result<String> {
        match &self.0 {
            TsForm::Text(text) => {
                let bad = || {
                    Error::invalid_input(format!(
                        "read timestamp {text:?} is not a valid UTC 'YYYY-MM-DD HH:MM:SS[.fffffffff]'"
                    ))
                };
                let (whole, fraction) = match text.split_once('.') {
                    Some((whole, fraction)) => (whole, Some(fraction)),
                    None => (text.as_str(), None),
                };
                let shape_ok = whole.len() == 19
                    && whole.bytes().enumerate().all(|(i, b)| match i {
                        4 | 7 => b == b'-',
                        10 => b == b' ',
                        13 | 16 => b == b':',
                        _ => b.is_ascii_digit(),
                    })
                    && fraction
                        .is_none_or(|f| (1..=9).contains(&f.len()) && f.bytes().all(|b| b.is_ascii_digit()));
                if !shape_ok {
                    return Err(bad());
                }
                let dt = NaiveDateTime::parse_from_str(whole, "%Y-%m-%d %H:%M:%S").map_err(|_| bad())?;
                let nanos = match fraction {
                    // Right-padded to nine digits; all digits, so the parse cannot fail.
                    Some(f) => format!("{f:0<9}").parse::<u32>().map_err(|_| bad())?,
                    None => 0,
                };
                check_after_epoch(dt.with_nanosecond(nanos).ok_or_else(bad)?)?;
                Ok(text.clone())
            }
            TsForm::DateTime(dt) => {
                if !(0..=9999).contains(&dt.year()) {
                    return Err(Error::invalid_input(format!(
                        "read timestamp {dt} is outside the years 0000 to 9999"
                    )));
                }
                if dt.nanosecond() >= 1_000_000_000 {
                    return Err(Error::invalid_input(format!("read timestamp {dt} is a leap second")));
                }
                check_after_epoch(*dt)?;
                Ok(dt.format("%Y-%m-%d %H:%M:%S%.f").to_string())
            }
        }
    }
}

fn check_after_epoch(dt: NaiveDateTime) -> Result<()> {
    if dt <= DateTime::UNIX_EPOCH.naive_utc() {
        return Err(Error::invalid_input(format!(
            "read timestamp {dt} is not after 1970-01-01 00:00:00 UTC; MatrixOne refuses it"
        )));
    }
    Ok(())
}

impl From<&str> for ReadTimestamp {
    fn from(text: &str) -> ReadTimestamp {
        ReadTimestamp(TsForm::Text(text.to_owned()))
    }
}

impl From<String> for ReadTimestamp {
    fn from(text: String) -> ReadTimestamp {
        ReadTimestamp(TsForm::Text(text))
    }
}

impl From<&String> for ReadTimestamp {
    fn from(text: &String) -> ReadTimestamp {
        ReadTimestamp(TsForm::Text(text.clone()))
    }
}

impl From<NaiveDateTime> for ReadTimestamp {
    fn from(dt: NaiveDateTime) -> ReadTimestamp {
        ReadTimestamp(TsForm::DateTime(dt))
    }
}

impl From<DateTime<Utc>> for ReadTimestamp {
    fn from(dt: DateTime<Utc>) -> ReadTimestamp {
        ReadTimestamp(TsForm::DateTime(dt.naive_utc()))
    }
}

/// `{SNAPSHOT = 'name'}` for SQL written by hand; the name is validated (`[A-Za-z0-9_]+`) and
/// lower-cased. Put it right after each table name, before any alias.
///
/// ```
/// use matrixone::mo::snapshot_hint;
/// assert_eq!(snapshot_hint("S1").unwrap(), "{SNAPSHOT = 's1'}");
/// assert!(snapshot_hint("s1'} UNION SELECT 1 --").is_err());
/// ```
pub fn snapshot_hint(name: &str) -> Result<String> {
    ReadAt::snapshot(name).to_sql()
}

/// `{TIMESTAMP = 'YYYY-MM-DD HH:MM:SS[.f]'}` (UTC) for SQL written by hand; see
/// [`ReadTimestamp`].
///
/// ```
/// use matrixone::mo::timestamp_hint;
/// assert_eq!(timestamp_hint("2026-01-02 03:04:05").unwrap(), "{TIMESTAMP = '2026-01-02 03:04:05'}");
/// assert!(timestamp_hint("2026-01-02 03:04:05' OR '1").is_err());
/// ```
pub fn timestamp_hint(ts: impl Into<ReadTimestamp>) -> Result<String> {
    ReadAt::timestamp(ts).to_sql()
}

/// `{MO_TS = ns}` for SQL written by hand; `ns` must be positive.
///
/// ```
/// use matrixone::mo::mo_ts_hint;
/// assert_eq!(mo_ts_hint(9_223_372_036_854_775_807).unwrap(), "{MO_TS = 9223372036854775807}");
/// assert!(mo_ts_hint(-1).is_err());
/// ```
pub fn mo_ts_hint(ns: i64) -> Result<String> {
    ReadAt::mo_ts(ns).to_sql()
}

/// A sea-query `SELECT` rendered to read every table at one point in time.
///
/// Built with [`SnapshotRead::new`] (or the `at_*` shorthands), which renders and validates at
/// once, so it converts into a [`Statement`] infallibly: pass it to `fetch_all`, `execute` and
/// friends. Bound values stay bound (MatrixOne prepares a `SELECT` with a snapshot hint, like any
/// other `SELECT`).
///
/// The hint goes after every table reference sea-query writes: `FROM` lists, `JOIN`s, derived
/// tables (`FROM (SELECT ..) AS x`), subqueries in `WHERE`, `HAVING` and the select list, and
/// `UNION`s, qualified or not, always before the alias. Refused with
/// [`crate::ErrorKind::InvalidInput`]:
/// - a statement with no table at all (nothing would be read at the snapshot);
/// - a `WITH` clause (the hint would also land on the references to the CTE's name; write the
///   hints into the CTEs by hand with [`snapshot_hint`]);
/// - an `ORDER BY` with `NULLS FIRST/LAST` or a field order, which this renderer does not
///   reproduce exactly.
///
/// Tables named inside raw SQL fragments (`Expr::cust`, `Expr::cust_with_values`) are the
/// caller's text and are not rewritten.
///
/// ```
/// use matrixone::mo::{ReadAt, SnapshotRead};
/// use sea_query::{Alias, Expr, ExprTrait, Query};
///
/// let select = Query::select()
///     .columns([Alias::new("id"), Alias::new("name")])
///     .from(Alias::new("users"))
///     .and_where(Expr::col(Alias::new("id")).gt(10))
///     .to_owned();
/// let read = SnapshotRead::new(&select, ReadAt::snapshot("s1")).unwrap();
/// assert_eq!(read.sql(), "SELECT `id`, `name` FROM `users` {SNAPSHOT = 's1'} WHERE `id` > ?");
/// assert_eq!(read.values().len(), 1);
/// ```
///
/// A join with aliases and a qualified name, and a subquery:
///
/// ```
/// use matrixone::mo::SnapshotRead;
/// use sea_query::{Alias, Expr, ExprTrait, JoinType, Query};
///
/// let select = Query::select()
///     .column((Alias::new("u"), Alias::new("name")))
///     .from_as((Alias::new("shop"), Alias::new("users")), Alias::new("u"))
///     .join_as(
///         JoinType::LeftJoin,
///         Alias::new("orders"),
///         Alias::new("o"),
///         Expr::col((Alias::new("o"), Alias::new("user_id"))).equals((Alias::new("u"), Alias::new("id"))),
///     )
///     .and_where(
///         Expr::col((Alias::new("u"), Alias::new("id"))).in_subquery(
///             Query::select().column(Alias::new("user_id")).from(Alias::new("vip")).to_owned(),
///         ),
///     )
///     .to_owned();
/// let read = SnapshotRead::at_snapshot(&select, "s1").unwrap();
/// assert_eq!(
///     read.sql(),
///     "SELECT `u`.`name` FROM `shop`.`users` {SNAPSHOT = 's1'} AS `u` \
///      LEFT JOIN `orders` {SNAPSHOT = 's1'} AS `o` ON `o`.`user_id` = `u`.`id` \
///      WHERE `u`.`id` IN (SELECT `user_id` FROM `vip` {SNAPSHOT = 's1'})"
/// );
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct SnapshotRead {
    sql: String,
    values: Vec<Value>,
    at: ReadAt,
}

impl SnapshotRead {
    /// Renders `select` with the hint for `at` after every table reference; see the type's docs
    /// for what is refused.
    pub fn new(select: &SelectStatement, at: ReadAt) -> Result<SnapshotRead> {
        let hint = at.to_sql()?;
        let hinted = Cell::new(0usize);
        let saw_with = Cell::new(false);
        let builder =
            HintedMysql { hint: &hint, hinted: &hinted, saw_with: &saw_with, mysql: MysqlQueryBuilder };
        let (sql, values) = select.build(builder);
        if saw_with.get() {
            return Err(Error::invalid_input(
                "a snapshot read cannot take a WITH clause: the hint would also follow the references to \
                 the common table expressions; write the hints by hand with mo::snapshot_hint",
            ));
        }
        if hinted.get() == 0 {
            return Err(Error::invalid_input(
                "the SELECT reads no table, so nothing would be read at the snapshot",
            ));
        }
        // The hinted rendering must be sea-query's own MySQL rendering plus the hints, nothing
        // else: this catches any construct whose MySQL form this builder does not reproduce.
        let (plain_sql, plain_values) = select.build(MysqlQueryBuilder);
        if sql.replace(&format!(" {hint}"), "") != plain_sql || values != plain_values {
            return Err(Error::invalid_input(format!(
                "this SELECT uses a construct the snapshot-read renderer does not reproduce exactly \
                 (e.g. ORDER BY ... NULLS FIRST/LAST or a field order): {plain_sql}"
            )));
        }
        let values = values.into_iter().map(Value::try_from).collect::<Result<Vec<Value>>>()?;
        Ok(SnapshotRead { sql, values, at })
    }

    /// [`SnapshotRead::new`] at snapshot `name`.
    ///
    /// ```
    /// use matrixone::mo::SnapshotRead;
    /// use sea_query::{Alias, Asterisk, Query};
    /// let select = Query::select().column(Asterisk).from(Alias::new("t1")).from(Alias::new("t2")).to_owned();
    /// assert_eq!(
    ///     SnapshotRead::at_snapshot(&select, "sp0").unwrap().sql(),
    ///     "SELECT * FROM `t1` {SNAPSHOT = 'sp0'}, `t2` {SNAPSHOT = 'sp0'}"
    /// );
    /// assert!(SnapshotRead::at_snapshot(&select, "bad name").is_err());
    /// ```
    pub fn at_snapshot(select: &SelectStatement, name: impl Into<String>) -> Result<SnapshotRead> {
        SnapshotRead::new(select, ReadAt::snapshot(name))
    }

    /// [`SnapshotRead::new`] at a UTC timestamp; see [`ReadTimestamp`].
    ///
    /// ```
    /// use matrixone::mo::SnapshotRead;
    /// use sea_query::{Alias, Expr, ExprTrait, Query};
    /// let select = Query::select()
    ///     .expr(Expr::col(Alias::new("a")).count())
    ///     .from_subquery(Query::select().column(Alias::new("a")).from(Alias::new("t")).to_owned(), Alias::new("x"))
    ///     .to_owned();
    /// assert_eq!(
    ///     SnapshotRead::at_timestamp(&select, "2026-01-02 03:04:05.123").unwrap().sql(),
    ///     "SELECT COUNT(`a`) FROM (SELECT `a` FROM `t` {TIMESTAMP = '2026-01-02 03:04:05.123'}) AS `x`"
    /// );
    /// assert!(SnapshotRead::at_timestamp(&select, "2026-01-02").is_err());
    /// ```
    pub fn at_timestamp(select: &SelectStatement, ts: impl Into<ReadTimestamp>) -> Result<SnapshotRead> {
        SnapshotRead::new(select, ReadAt::timestamp(ts))
    }

    /// [`SnapshotRead::new`] at MatrixOne timestamp `ns` (`{MO_TS = ns}`).
    ///
    /// ```
    /// use matrixone::mo::SnapshotRead;
    /// use sea_query::{Alias, Query};
    /// let select = Query::select().column(Alias::new("id")).from(Alias::new("t")).limit(1).to_owned();
    /// assert_eq!(
    ///     SnapshotRead::at_mo_ts(&select, 123).unwrap().sql(),
    ///     "SELECT `id` FROM `t` {MO_TS = 123} LIMIT ?"
    /// );
    /// assert!(SnapshotRead::at_mo_ts(&select, 0).is_err());
    /// ```
    pub fn at_mo_ts(select: &SelectStatement, ns: i64) -> Result<SnapshotRead> {
        SnapshotRead::new(select, ReadAt::mo_ts(ns))
    }

    /// The rendered SQL, with `?` placeholders.
    pub fn sql(&self) -> &str {
        &self.sql
    }

    /// The values bound to the placeholders, in order.
    pub fn values(&self) -> &[Value] {
        &self.values
    }

    /// The point in time the read goes back to.
    pub fn read_at(&self) -> &ReadAt {
        &self.at
    }

    /// The statement to run: the SQL and its bound values.
    ///
    /// ```
    /// use matrixone::{Statement, mo::SnapshotRead};
    /// use sea_query::{Alias, Expr, ExprTrait, Query};
    /// let select = Query::select().column(Alias::new("id")).from(Alias::new("t"))
    ///     .and_where(Expr::col(Alias::new("name")).eq("it's")).to_owned();
    /// let stmt: Statement = SnapshotRead::at_snapshot(&select, "s1").unwrap().into();
    /// assert_eq!(stmt.sql(), "SELECT `id` FROM `t` {SNAPSHOT = 's1'} WHERE `name` = ?");
    /// assert_eq!(stmt.values(), &[matrixone::Value::from("it's")]);
    /// ```
    pub fn into_statement(self) -> Statement {
        self.values.into_iter().fold(Statement::new(self.sql), Statement::bind)
    }
}

impl From<SnapshotRead> for Statement {
    fn from(read: SnapshotRead) -> Statement {
        read.into_statement()
    }
}

impl From<&SnapshotRead> for Statement {
    fn from(read: &SnapshotRead) -> Statement {
        read.clone().into_statement()
    }
}

/// sea-query's MySQL builder with one change: a table reference is followed by the hint.
///
/// Every method that `MysqlQueryBuilder` overrides is delegated to it, except the ones that
/// recurse into nested statements, which must recurse through this builder so that nested
/// tables get the hint too. `SnapshotRead::new` compares the result with the plain MySQL
/// rendering, so a difference other than the hints is an error, never wrong SQL.
struct HintedMysql<'a> {
    hint: &'a str,
    hinted: &'a Cell<usize>,
    saw_with: &'a Cell<bool>,
    mysql: MysqlQueryBuilder,
}

impl QuotedBuilder for HintedMysql<'_> {
    fn quote(&self) -> sea_query::Quote {
        self.mysql.quote()
    }
}

impl sea_query::EscapeBuilder for HintedMysql<'_> {}

impl TableRefBuilder for HintedMysql<'_> {
    fn prepare_table_ref_iden(&self, table_ref: &TableRef, sql: &mut impl SqlWriter) {
        match table_ref {
            TableRef::Table(name, alias) => {
                self.prepare_table_name(name, sql);
                // Writing into sea-query's in-memory writers cannot fail.
                let _ = write!(sql, " {}", self.hint);
                self.hinted.set(self.hinted.get() + 1);
                if let Some(alias) = alias {
                    let _ = sql.write_str(" AS ");
                    self.prepare_iden(alias, sql);
                }
            }
            other => self.mysql.prepare_table_ref_iden(other, sql),
        }
    }
}

impl sea_query::OperLeftAssocDecider for HintedMysql<'_> {
    fn well_known_left_associative(&self, op: &BinOper) -> bool {
        self.mysql.well_known_left_associative(op)
    }
}

impl PrecedenceDecider for HintedMysql<'_> {
    fn inner_expr_well_known_greater_precedence(&self, inner: &Expr, outer_oper: &Oper) -> bool {
        self.mysql.inner_expr_well_known_greater_precedence(inner, outer_oper)
    }
}

impl QueryBuilder for HintedMysql<'_> {
    fn placeholder(&self) -> (&'static str, bool) {
        self.mysql.placeholder()
    }

    fn values_list_tuple_prefix(&self) -> &str {
        self.mysql.values_list_tuple_prefix()
    }

    fn prepare_select_distinct(&self, select_distinct: &SelectDistinct, sql: &mut impl SqlWriter) {
        self.mysql.prepare_select_distinct(select_distinct, sql);
    }

    fn prepare_select_into(&self, into_table: &SelectInto, sql: &mut impl SqlWriter) {
        self.mysql.prepare_select_into(into_table, sql);
    }

    fn prepare_index_hints(&self, table_ref: &TableRef, select: &SelectStatement, sql: &mut impl SqlWriter) {
        self.mysql.prepare_index_hints(table_ref, select, sql);
    }

    /// Recurses through `self`, so subqueries get the hint.
    fn prepare_query_statement(&self, query: &SubQueryStatement, sql: &mut impl SqlWriter) {
        match query {
            SubQueryStatement::SelectStatement(stmt) => self.prepare_select_statement(stmt, sql),
            SubQueryStatement::InsertStatement(stmt) => self.prepare_insert_statement(stmt, sql),
            SubQueryStatement::UpdateStatement(stmt) => self.prepare_update_statement(stmt, sql),
            SubQueryStatement::DeleteStatement(stmt) => self.prepare_delete_statement(stmt, sql),
            SubQueryStatement::WithStatement(stmt) => self.prepare_with_query(stmt, sql),
        }
    }

    fn prepare_explain_statement(&self, explain: &sea_query::ExplainStatement, sql: &mut impl SqlWriter) {
        self.mysql.prepare_explain_statement(explain, sql);
    }

    fn prepare_with_clause_start(&self, with_clause: &WithClause, sql: &mut impl SqlWriter) {
        self.saw_with.set(true);
        self.mysql.prepare_with_clause_start(with_clause, sql);
    }

    fn prepare_with_clause_recursive_options(&self, with_clause: &WithClause, sql: &mut impl SqlWriter) {
        self.mysql.prepare_with_clause_recursive_options(with_clause, sql);
    }

    fn prepare_with_query_clause_materialization(
        &self,
        cte: &sea_query::CommonTableExpression,
        sql: &mut impl SqlWriter,
    ) {
        self.mysql.prepare_with_query_clause_materialization(cte, sql);
    }

    fn prepare_update_join(&self, from: &[TableRef], condition: &ConditionHolder, sql: &mut impl SqlWriter) {
        self.mysql.prepare_update_join(from, condition, sql);
    }

    fn prepare_update_from(&self, from: &[TableRef], sql: &mut impl SqlWriter) {
        self.mysql.prepare_update_from(from, sql);
    }

    fn prepare_update_column(
        &self,
        table: &Option<Box<TableRef>>,
        from: &[TableRef],
        column: &DynIden,
        sql: &mut impl SqlWriter,
    ) {
        self.mysql.prepare_update_column(table, from, column, sql);
    }

    fn prepare_update_condition(
        &self,
        from: &[TableRef],
        condition: &ConditionHolder,
        sql: &mut impl SqlWriter,
    ) {
        self.mysql.prepare_update_condition(from, condition, sql);
    }

    fn prepare_join_type(&self, join_type: &JoinType, sql: &mut impl SqlWriter) {
        self.mysql.prepare_join_type(join_type, sql);
    }

    // `prepare_order_expr` is deliberately not overridden: MySQL's version would render a
    // subquery inside ORDER BY without the hint. The generic one recurses through `self`; where
    // it differs from MySQL's (NULLS ordering, field order), `SnapshotRead::new` refuses.

    fn prepare_value(&self, value: SeaValue, sql: &mut impl SqlWriter) {
        self.mysql.prepare_value(value, sql);
    }

    fn prepare_on_conflict_target(&self, target: &OnConflictTarget, sql: &mut impl SqlWriter) {
        self.mysql.prepare_on_conflict_target(target, sql);
    }

    fn prepare_on_conflict_action(&self, action: &Option<OnConflictAction>, sql: &mut impl SqlWriter) {
        self.mysql.prepare_on_conflict_action(action, sql);
    }

    fn prepare_on_conflict_keywords(&self, sql: &mut impl SqlWriter) {
        self.mysql.prepare_on_conflict_keywords(sql);
    }

    fn prepare_on_conflict_do_update_keywords(&self, sql: &mut impl SqlWriter) {
        self.mysql.prepare_on_conflict_do_update_keywords(sql);
    }

    fn prepare_on_conflict_excluded_table(&self, col: &DynIden, sql: &mut impl SqlWriter) {
        self.mysql.prepare_on_conflict_excluded_table(col, sql);
    }

    fn prepare_on_conflict_condition(&self, condition: &ConditionHolder, sql: &mut impl SqlWriter) {
        self.mysql.prepare_on_conflict_condition(condition, sql);
    }

    fn prepare_returning(&self, returning: &Option<ReturningClause>, sql: &mut impl SqlWriter) {
        self.mysql.prepare_returning(returning, sql);
    }

    /// Delegated whole: the tables of `FOR UPDATE OF t` are not table reads.
    fn prepare_select_lock(&self, lock: &LockClause, sql: &mut impl SqlWriter) {
        self.mysql.prepare_select_lock(lock, sql);
    }

    fn random_function(&self) -> &str {
        self.mysql.random_function()
    }

    fn lock_phrase(&self, lock_type: LockType) -> &'static str {
        self.mysql.lock_phrase(lock_type)
    }

    fn insert_default_keyword(&self) -> &str {
        self.mysql.insert_default_keyword()
    }
}
