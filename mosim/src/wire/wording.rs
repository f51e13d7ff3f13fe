//! MariaDB's errors as MatrixOne words them, and the errors after which MatrixOne has rolled
//! back the whole transaction.
//!
//! MatrixOne sends a moerr under MySQL's number when it has one and under its own otherwise
//! (pkg/frontend/protocol.go), with the texts of pkg/common/moerr/error.go.

use crate::error::{ER_PARSE, SqlError};
use crate::sql::lexer::Token;

/// MatrixOne's moerr.ErrDeadLockDetected, sent under its own number as `deadlock detected`.
const ER_DEADLOCK_DETECTED: u16 = 20701;
/// MySQL's ER_LOCK_DEADLOCK, as MariaDB answers a deadlock.
const ER_LOCK_DEADLOCK: u16 = 1213;
/// MySQL's ER_LOCK_WAIT_TIMEOUT, which MatrixOne also sends (moerr.ErrLockWaitTimeout).
const ER_LOCK_WAIT_TIMEOUT: u16 = 1205;
/// MySQL's ER_NO_SUCH_TABLE, which MatrixOne also sends (moerr.ErrNoSuchTable).
const ER_NO_SUCH_TABLE: u16 = 1146;
/// MySQL's ER_BAD_TABLE_ERROR, MariaDB's answer to DROP TABLE of a missing table.
const ER_BAD_TABLE_ERROR: u16 = 1051;
/// MySQL's ER_BAD_FIELD_ERROR, which MatrixOne also sends (moerr.ErrBadFieldError).
const ER_BAD_FIELD_ERROR: u16 = 1054;

/// Which of MatrixOne's texts a statement's errors take where they depend on the statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Wording {
    /// A query (SELECT, WITH, VALUES, TABLE, a parenthesised query): built by the query
    /// builder, whose missing table is `SQL parser error: table "t" does not exist`
    /// (pkg/sql/plan/query_builder.go); an unknown column is the binder's.
    Query,
    /// UPDATE and DELETE: a missing table is `no such table db.t`; an unknown column is the
    /// binder's.
    UpdateDelete,
    /// Any other statement: a missing table is `no such table db.t` (moerr.NewNoSuchTable);
    /// an unknown column keeps MariaDB's text (an INSERT's column list reads `Unknown column
    /// 'c' in 't'` in MatrixOne, `in 'field list'` in MariaDB).
    Other,
}

impl Wording {
    /// The wording of the statement `toks`.
    pub(crate) fn of(toks: &[Token]) -> Wording {
        let Some(first) = toks.first() else { return Wording::Other };
        if first.is('(') || ["select", "with", "values", "table"].iter().any(|kw| first.is_kw(kw)) {
            Wording::Query
        } else if first.is_kw("update") || first.is_kw("delete") {
            Wording::UpdateDelete
        } else {
            Wording::Other
        }
    }
}

/// MariaDB's error `e` as MatrixOne words it:
/// - parse errors: `SQL parser error: ...` (reference §10.5);
/// - deadlocks: 20701 `deadlock detected`;
/// - a missing table (1146): `SQL parser error: table "t" does not exist` in a query, `no such
///   table db.t` elsewhere, with an account's database under its own name (`acc$db` is `db`).
///   test/distributed/cases has both hundreds of times (`select *` the first, `insert into`,
///   `drop table`, `show create`, `alter table`, `truncate`, `delete from` the second);
/// - DROP TABLE of a missing table (MariaDB's 1051 `Unknown table 'db.t'`): 1146 `no such
///   table db.t` (test/distributed/cases/auto_increment/auto_increment.result);
/// - an unknown column in a query, UPDATE or DELETE (MariaDB's `Unknown column 'c' in 'where
///   clause'`): 1054 `invalid input: column c does not exist`, a qualified name quoted
///   (`column 't.c' does not exist`), as the binder words it (pkg/sql/plan/base_binder.go,
///   `bindColRef`). MatrixOne answers a qualifier that names no table of the FROM clause with
///   20301 `missing FROM-clause entry for table 't'`; mosim cannot tell that case apart.
pub(crate) fn as_matrixone(mut e: SqlError, wording: Wording) -> SqlError {
    match e.code {
        ER_LOCK_DEADLOCK => return SqlError::new(ER_DEADLOCK_DETECTED, "deadlock detected"),
        ER_NO_SUCH_TABLE => {
            if let Some((db, table)) = missing_table(&e.message) {
                let message = match wording {
                    Wording::Query => format!("SQL parser error: table {} does not exist", go_quote(table)),
                    Wording::UpdateDelete | Wording::Other => format!("no such table {db}.{table}"),
                };
                return SqlError::new(ER_NO_SUCH_TABLE, message);
            }
        }
        ER_BAD_TABLE_ERROR => {
            let name = e.message.strip_prefix("Unknown table '").and_then(|m| m.strip_suffix('\''));
            if let Some((db, table)) = name.filter(|n| !n.contains(',')).and_then(|n| n.split_once('.')) {
                return SqlError::new(ER_NO_SUCH_TABLE, format!("no such table {}.{table}", logical_db(db)));
            }
        }
        ER_BAD_FIELD_ERROR if wording != Wording::Other => {
            let name = e.message.strip_prefix("Unknown column '").and_then(|m| m.split_once("' in '"));
            if let Some((name, _)) = name {
                let name = if name.contains('.') { format!("'{name}'") } else { name.to_owned() };
                e.message = format!("invalid input: column {name} does not exist");
                e.state = "42S22".to_owned();
            }
        }
        ER_PARSE if !e.message.starts_with("SQL parser error") => {
            e.state = "HY000".to_owned();
            e.message = format!(
                "SQL parser error: {}",
                e.message.replace("MariaDB server version", "MatrixOne server version")
            );
        }
        _ => {}
    }
    e
}

/// Whether MatrixOne rolls back the whole transaction after error `code`, where MariaDB may
/// roll back only the statement. MatrixOne's `isErrorRollbackWholeTxn` (pkg/frontend/util.go,
/// `errCodeRollbackWholeTxn`, applied by `rollbackTxnFunc` in pkg/frontend/txn.go) lists lock
/// wait timeouts and deadlocks; test/distributed/cases/pessimistic_transaction/
/// lock_wait_timeout_remote.result shows the waiter's earlier UPDATE gone. After a deadlock
/// MariaDB has already rolled back the rows; mosim still undoes the transaction's DDL.
pub(crate) fn rolls_back_whole_transaction(code: u16) -> bool {
    code == ER_LOCK_WAIT_TIMEOUT || code == ER_DEADLOCK_DETECTED
}

/// `db` and `t` of MariaDB's `Table 'db.t' doesn't exist`, the database under its logical
/// name (an account's `acc$db` is `db`: `$` cannot occur in an account name).
fn missing_table(message: &str) -> Option<(&str, &str)> {
    let quoted = message.strip_prefix("Table '")?.strip_suffix("' doesn't exist")?;
    let (db, table) = quoted.split_once('.')?;
    Some((logical_db(db), table))
}

/// A backend database under the name its account knows it by (`acc$db` is `db`).
fn logical_db(db: &str) -> &str {
    db.split_once('$').map_or(db, |(_, logical)| logical)
}

/// Go's `%q` of a name: double quotes, with `"` and `\` escaped and control characters spelled
/// as escapes.
fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\x{:02x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::lexer::tokenize;

    fn missing(message: &str, sql: &str) -> String {
        let e = SqlError { code: 1146, state: "42S02".into(), message: message.into() };
        as_matrixone(e, Wording::of(&tokenize(sql.as_bytes()))).message
    }

    #[test]
    fn a_missing_table_is_worded_by_the_statement() {
        assert_eq!(
            missing("Table 'd.t' doesn't exist", "SELECT * FROM t"),
            "SQL parser error: table \"t\" does not exist"
        );
        assert_eq!(
            missing("Table 'd.t' doesn't exist", "(select 1 from t)"),
            "SQL parser error: table \"t\" does not exist"
        );
        assert_eq!(missing("Table 'd.t' doesn't exist", "INSERT INTO t VALUES (1)"), "no such table d.t");
        assert_eq!(missing("Table 'acc$d.t' doesn't exist", "DROP TABLE t"), "no such table d.t");
        assert_eq!(
            missing("Table 'd.a\"b' doesn't exist", "select 1 from `a\"b`"),
            "SQL parser error: table \"a\\\"b\" does not exist"
        );
        // Anything else MariaDB says under 1146 passes as it is.
        assert_eq!(missing("Unknown table 'x'", "select 1"), "Unknown table 'x'");
    }

    #[test]
    fn an_unknown_column_is_worded_by_the_statement() {
        let unknown = |message: &str, sql: &str| {
            let e = SqlError { code: 1054, state: "42S22".into(), message: message.into() };
            as_matrixone(e, Wording::of(&tokenize(sql.as_bytes()))).message
        };
        let select = "select * from t order by c";
        assert_eq!(
            unknown("Unknown column 'c' in 'order clause'", select),
            "invalid input: column c does not exist"
        );
        assert_eq!(
            unknown("Unknown column 'db1.t1.c' in 'field list'", "SELECT db1.t1.c FROM db1.t1"),
            "invalid input: column 'db1.t1.c' does not exist"
        );
        let delete = "delete from primary01 where col1 = 1";
        assert_eq!(
            unknown("Unknown column 'col1' in 'where clause'", delete),
            "invalid input: column col1 does not exist"
        );
        let insert = "insert into t (x) values (1)";
        assert_eq!(
            unknown("Unknown column 'x' in 'field list'", insert),
            "Unknown column 'x' in 'field list'"
        );
    }

    #[test]
    fn drop_table_of_a_missing_table() {
        let drop = |message: &str| as_matrixone(SqlError::new(1051, message), Wording::Other);
        let e = drop("Unknown table 'acc$d.t'");
        assert_eq!((e.code, e.message.as_str()), (1146, "no such table d.t"));
        // Several missing tables: MariaDB's own answer.
        assert_eq!(drop("Unknown table 'd.a,d.b'").code, 1051);
    }

    #[test]
    fn deadlocks_and_lock_waits() {
        let e = as_matrixone(SqlError::new(1213, "Deadlock found when trying to get lock"), Wording::Other);
        assert_eq!((e.code, e.message.as_str()), (20701, "deadlock detected"));
        assert!(rolls_back_whole_transaction(e.code));
        assert!(rolls_back_whole_transaction(1205));
        assert!(!rolls_back_whole_transaction(1062));
    }
}
