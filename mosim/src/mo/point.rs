//! Points in the past that reads name, and how to read a table as it was at one.
//!
//! User tables are versioned by transaction (`row_start` / `row_end` hold transaction ids,
//! `mysql.transaction_registry` maps them to commit ids), so "as of a snapshot" means "the
//! transactions committed before it", whenever they wrote. MatrixOne records a snapshot as
//! the wall clock (`doCreateSnapshot` in pkg/frontend/snapshot.go stores
//! `time.Now().UTC().UnixNano()`), and its MVCC reads at that instant see the transactions by
//! commit timestamp: a transaction still open then is invisible, all of it.
//!
//! MariaDB's own `FOR SYSTEM_TIME AS OF TRANSACTION` is not used: it answers what that
//! transaction could see under its isolation level, which hides a row deleted by a
//! REPEATABLE READ transaction that began before the point but committed after it.

use crate::error::SqlError;
use crate::mo::clock::{as_of_clause, as_of_expr, now_ns};
use crate::sql::lexer::lossy;
use crate::sql::rewrite::{ident, sql_str};
use crate::wire::backend::{Backend, cell};

/// A point a read names: the wall-clock instant, for tables versioned by timestamp (made
/// before mosim versioned by transaction, or on an engine other than InnoDB), and the commit
/// point, for tables versioned by transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Point {
    /// Nanoseconds since the epoch.
    pub(crate) ns: i128,
    /// The greatest `commit_id` the point includes; `None` reads the current data (an instant
    /// past what MariaDB's TIMESTAMP can express).
    pub(crate) commit: Option<u64>,
}

fn first_u64(rows: &crate::wire::backend::Rows) -> Result<u64, SqlError> {
    let text = rows.rows.first().map(|r| cell(r, 0)).unwrap_or_default();
    text.parse().map_err(|_| SqlError::internal(format!("unexpected commit id {text}")))
}

/// Now: the current instant and the last commit so far.
pub(crate) async fn now(b: &mut Backend) -> Result<Point, SqlError> {
    let rows = b.query("SELECT COALESCE(MAX(commit_id), 0) FROM mysql.transaction_registry").await?;
    let commit = first_u64(&rows)?;
    Ok(Point { ns: now_ns(b).await?, commit: Some(commit) })
}

/// The point at instant `ns`: every transaction that had committed by then.
pub(crate) async fn at(b: &mut Backend, ns: i128) -> Result<Point, SqlError> {
    let Some(expr) = as_of_expr(ns) else {
        return Ok(Point { ns, commit: None });
    };
    let rows = b
        .query(&format!(
            "SELECT COALESCE(MAX(commit_id), 0) FROM mysql.transaction_registry \
             WHERE commit_timestamp <= {expr}"
        ))
        .await?;
    Ok(Point { ns, commit: Some(first_u64(&rows)?) })
}

/// How a table keeps its past.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Versioning {
    /// `row_start` / `row_end` are transaction ids.
    Transaction,
    /// `row_start` / `row_end` are timestamps.
    Timestamp,
    /// Not system-versioned, or not found (a TEMPORARY table of the client's session).
    None,
}

/// How `db.t` is versioned.
pub(crate) async fn versioning(b: &mut Backend, db: &str, t: &str) -> Result<Versioning, SqlError> {
    let rows = b
        .query(&format!(
            "SELECT t.table_type, (SELECT MAX(c.data_type) FROM information_schema.columns c \
             WHERE c.table_schema = t.table_schema AND c.table_name = t.table_name \
             AND c.column_name = 'row_start' AND c.extra LIKE '%GENERATED%') \
             FROM information_schema.tables t WHERE t.table_schema = {} AND t.table_name = {}",
            sql_str(db),
            sql_str(t)
        ))
        .await?;
    let Some(row) = rows.rows.first() else { return Ok(Versioning::None) };
    let col = |i: usize| cell(row, i);
    Ok(match (col(0).as_str(), col(1).as_str()) {
        ("SYSTEM VERSIONED", "bigint") => Versioning::Transaction,
        ("SYSTEM VERSIONED", _) => Versioning::Timestamp,
        _ => Versioning::None,
    })
}

/// How the table a client wrote is versioned, asked on the client's own connection so that
/// MariaDB reads the name in the client's character set (and finds the client's TEMPORARY
/// tables): for a name mosim's UTF-8 catalog lookup did not find. A table MariaDB cannot show
/// counts as unversioned; the read that follows reports why.
pub(crate) async fn versioning_as_written(client: &mut Backend, written: &[u8]) -> Versioning {
    let Ok(rows) = client.query_bytes(&[&b"SHOW CREATE TABLE "[..], written].concat()).await else {
        return Versioning::None;
    };
    let ddl = rows.rows.first().map(|r| cell(r, 1)).unwrap_or_default();
    versioning_of_ddl(&ddl)
}

/// [`Versioning`] from `SHOW CREATE TABLE`'s text: transaction ids when the ROW START column
/// is a BIGINT (mosim's `TRX_VERSIONING`), timestamps otherwise.
fn versioning_of_ddl(ddl: &str) -> Versioning {
    if !ddl.contains("WITH SYSTEM VERSIONING") {
        return Versioning::None;
    }
    let by_trx = ddl.lines().any(|l| l.contains("AS ROW START") && l.to_ascii_lowercase().contains("bigint"));
    if by_trx { Versioning::Transaction } else { Versioning::Timestamp }
}

/// A FROM item that reads `db.t` as it was at `p`, and whether it is a derived table (which
/// needs an alias after it).
///
/// A table versioned by transaction becomes a derived table over its whole history, keeping
/// the row versions whose creating transaction had committed by the point and whose ending
/// transaction had not. A transaction's own uncommitted DELETE leaves the old version ended
/// by a transaction not yet in the registry, so a restore can delete and re-read a table in
/// one transaction. Other tables get `FOR SYSTEM_TIME AS OF TIMESTAMP`, which MariaDB refuses
/// for an unversioned table with its own error.
pub(crate) fn read_at(db: &str, t: &str, kind: Versioning, p: Point) -> (String, bool) {
    let (sql, derived) = read_ref(format!("{}.{}", ident(db), ident(t)).as_bytes(), kind, p);
    (lossy(&sql), derived)
}

/// [`read_at`] of a table reference as SQL bytes, such as the client's own spelling of it.
pub(crate) fn read_ref(table: &[u8], kind: Versioning, p: Point) -> (Vec<u8>, bool) {
    match (kind, p.commit) {
        (_, None) => (table.to_vec(), false),
        (Versioning::Transaction, Some(c)) => {
            let committed = |col: &str| {
                format!(
                    "EXISTS (SELECT 1 FROM mysql.transaction_registry mosim_r \
                     WHERE mosim_r.transaction_id = mosim_v.{col} AND mosim_r.commit_id <= {c})"
                )
            };
            let mut sql = b"(SELECT mosim_v.* FROM ".to_vec();
            sql.extend_from_slice(table);
            let cond = format!(
                " FOR SYSTEM_TIME ALL AS mosim_v WHERE {} AND NOT {})",
                committed("row_start"),
                committed("row_end")
            );
            sql.extend_from_slice(cond.as_bytes());
            (sql, true)
        }
        _ => ([table, as_of_clause(p.ns).as_bytes()].concat(), false),
    }
}

/// [`read_at`] as a complete FROM item: derived tables get the alias `mosim_src`.
pub(crate) fn source_at(db: &str, t: &str, kind: Versioning, p: Point) -> String {
    match read_at(db, t, kind, p) {
        (sql, true) => format!("{sql} AS mosim_src"),
        (sql, false) => sql,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn show_create_table_tells_the_versioning() {
        let trx = "CREATE TABLE `t` (\n  `a` int(11) DEFAULT NULL,\n  `row_start` bigint(20) unsigned \
                   GENERATED ALWAYS AS ROW START INVISIBLE,\n  `row_end` bigint(20) unsigned GENERATED \
                   ALWAYS AS ROW END INVISIBLE,\n  PERIOD FOR SYSTEM_TIME (`row_start`, `row_end`)\n) \
                   ENGINE=InnoDB WITH SYSTEM VERSIONING";
        assert_eq!(versioning_of_ddl(trx), Versioning::Transaction);
        let ts = "CREATE TABLE `t` (\n  `a` int(11) DEFAULT NULL\n) ENGINE=InnoDB WITH SYSTEM VERSIONING";
        assert_eq!(versioning_of_ddl(ts), Versioning::Timestamp);
        assert_eq!(versioning_of_ddl("CREATE TABLE `t` (\n  `a` int(11)\n) ENGINE=InnoDB"), Versioning::None);
    }
}
