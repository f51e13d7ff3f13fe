//! The system variables MatrixOne has and MariaDB 10.11 lacks: `transaction_isolation` /
//! `transaction_read_only` (what MySQL 8 clients ask on connect) and MatrixOne's own session
//! variables, with names, types, defaults and answers from pkg/frontend/variables.go, and SET
//! TRANSACTION as `handleSetTransaction` (pkg/frontend/mysql_cmd_executor.go) checks it.

mod common;

use common::*;
use sqlx::{Column, Row, TypeInfo};

/// The first row's columns as text.
async fn texts(c: &mut sqlx::MySqlConnection, sql: &str) -> Vec<String> {
    let r = rows(c, sql).await;
    (0..r[0].len()).map(|i| r[0].get::<String, _>(i)).collect()
}

/// `SELECT @@x` answers as MatrixOne: the label `@@x` without the scope (set_transaction.result:
/// `select @@global.transaction_isolation` is labelled `@@transaction_isolation`), every value
/// as text in a BLOB column of utf8mb4 (base_binder.go binds system variables as T_text).
#[tokio::test]
async fn select_answers_with_matrixones_labels_and_types() {
    let s = server().await;
    let mut c = connect(&s, "test").await;
    let r = rows(
        &mut c,
        "SELECT @@transaction_isolation, @@SESSION.transaction_read_only, @@global.tx_isolation, \
         @@autocommit AS ac, @@experimental_ivf_index",
    )
    .await;
    let names: Vec<&str> = r[0].columns().iter().map(|col| col.name()).collect();
    assert_eq!(
        names,
        [
            "@@transaction_isolation",
            "@@transaction_read_only",
            "@@tx_isolation",
            "ac",
            "@@experimental_ivf_index"
        ]
    );
    for col in r[0].columns() {
        assert_eq!(col.type_info().name(), "TEXT", "{}: a BLOB column in a text collation", col.name());
    }
    let values: Vec<String> = (0..5).map(|i| r[0].get::<String, _>(i)).collect();
    assert_eq!(values, ["REPEATABLE-READ", "0", "REPEATABLE-READ", "1", "0"]);
    // Anywhere else in a statement the value reads the same.
    assert_eq!(
        texts(
            &mut c,
            "SELECT CONCAT('level ', @@transaction_isolation), IF(@@probe_limit = 5, 'five', 'other')"
        )
        .await,
        ["level REPEATABLE-READ", "five"]
    );
    exec(&mut c, "SET @saved = @@session.transaction_isolation").await;
    assert_eq!(texts(&mut c, "SELECT @saved").await, ["REPEATABLE-READ"]);
}

/// MatrixOne's own variables (the official Python SDK sets the experimental index ones on
/// connect): SET in its three spellings, read back by SELECT and SHOW VARIABLES (booleans as
/// on / off, doShowVariables), defaults from variables.go, MatrixOne's conversion errors.
#[tokio::test]
async fn matrixone_variables_are_kept_per_session() {
    let s = server().await;
    let mut c = connect(&s, "test").await;
    assert_eq!(
        texts(
            &mut c,
            "SELECT @@experimental_fulltext_index, @@experimental_ivf_index, @@experimental_hnsw_index, \
             @@probe_limit, @@ivf_threads_search, @@save_query_result"
        )
        .await,
        ["0", "0", "0", "5", "0", "0"]
    );
    exec(&mut c, "SET experimental_ivf_index = 1").await;
    exec(&mut c, "SET @@experimental_hnsw_index = ON").await;
    exec(&mut c, "SET SESSION experimental_fulltext_index = true, probe_limit = 64, ivf_threads_search = 4")
        .await;
    exec(&mut c, "SET save_query_result = 'on'").await;
    assert_eq!(
        texts(
            &mut c,
            "SELECT @@experimental_fulltext_index, @@experimental_ivf_index, @@experimental_hnsw_index, \
             @@probe_limit, @@ivf_threads_search, @@save_query_result"
        )
        .await,
        ["1", "1", "1", "64", "4", "1"]
    );
    let shown: Vec<(String, String)> = rows(&mut c, "SHOW VARIABLES LIKE 'experimental%index'")
        .await
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert!(shown.contains(&("experimental_ivf_index".into(), "on".into())), "{shown:?}");
    assert!(shown.contains(&("experimental_cagra_index".into(), "off".into())), "{shown:?}");
    assert!(shown.windows(2).all(|w| w[0].0 < w[1].0), "sorted by name: {shown:?}");
    let shown = rows(&mut c, "SHOW VARIABLES WHERE Variable_name IN ('probe_limit', 'autocommit')").await;
    let shown: Vec<(String, String)> = shown.iter().map(|r| (r.get(0), r.get(1))).collect();
    assert_eq!(shown, [("autocommit".into(), "ON".into()), ("probe_limit".into(), "64".into())]);

    // Values outside the type: MatrixOne's conversion errors, and nothing of the SET applies.
    for (sql, ty) in [
        ("SET probe_limit = 0", "int"),
        ("SET probe_limit = 80001", "int"),
        ("SET experimental_ivf_index = 2", "bool"),
        ("SET transaction_isolation = 'NONE'", "enum"),
    ] {
        assert_eq!(
            err(&mut c, sql).await,
            (20101, format!("internal error: convert to the system variable {ty} type failed")),
            "{sql}"
        );
    }
    assert_eq!(err(&mut c, "SET sql_mode = 'ANSI_QUOTES', probe_limit = 0").await.0, 20101);
    assert_ne!(texts(&mut c, "SELECT @@sql_mode").await, ["ANSI_QUOTES"], "the MariaDB part did not run");
    // A value computed by an expression.
    exec(&mut c, "SET @n = 7").await;
    exec(&mut c, "SET probe_limit = @n * 2, sql_mode = 'ANSI_QUOTES'").await;
    assert_eq!(texts(&mut c, "SELECT @@probe_limit, @@sql_mode").await, ["14", "ANSI_QUOTES"]);

    // Another session starts from the defaults; SET GLOBAL changes what new sessions start with.
    let mut other = connect(&s, "test").await;
    assert_eq!(texts(&mut other, "SELECT @@probe_limit").await, ["5"]);
    exec(&mut other, "SET GLOBAL probe_limit = 9").await;
    assert_eq!(texts(&mut other, "SELECT @@probe_limit, @@global.probe_limit").await, ["5", "9"]);
    let mut third = connect(&s, "test").await;
    assert_eq!(texts(&mut third, "SELECT @@probe_limit").await, ["9"]);
    exec(&mut third, "SET GLOBAL probe_limit = DEFAULT").await;
    assert_eq!(texts(&mut third, "SELECT @@global.probe_limit").await, ["5"]);
}

/// `transaction_isolation` (alias `tx_isolation`) and SET TRANSACTION: the level is MariaDB's
/// too, so transactions behave as it says; MatrixOne runs only READ-COMMITTED and
/// REPEATABLE-READ, and refuses access modes (set_transaction.result).
#[tokio::test]
async fn isolation_level_is_reported_and_applied() {
    let s = server().await;
    let (mut c, db) = fresh_db(&s, "isolation").await;
    exec(&mut c, "CREATE TABLE t (a INT)").await;
    let mut writer = connect(&s, &db).await;

    // REPEATABLE-READ by default: a second read in a transaction sees the same rows.
    exec(&mut c, "BEGIN").await;
    assert_eq!(count(&mut c, "SELECT COUNT(*) FROM t").await, 0);
    exec(&mut writer, "INSERT INTO t VALUES (1)").await;
    assert_eq!(count(&mut c, "SELECT COUNT(*) FROM t").await, 0);
    exec(&mut c, "COMMIT").await;

    exec(&mut c, "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED").await;
    assert_eq!(
        texts(&mut c, "SELECT @@transaction_isolation, @@tx_isolation").await,
        ["READ-COMMITTED", "READ-COMMITTED"]
    );
    // SET TRANSACTION without a scope is for the next transaction only: the session's level
    // stays (set_transaction.result).
    exec(&mut c, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ").await;
    assert_eq!(texts(&mut c, "SELECT @@transaction_isolation").await, ["READ-COMMITTED"]);
    exec(&mut c, "BEGIN").await;
    exec(&mut c, "COMMIT").await;
    // READ-COMMITTED now: the second read sees the other session's commit.
    exec(&mut c, "BEGIN").await;
    assert_eq!(count(&mut c, "SELECT COUNT(*) FROM t").await, 1);
    exec(&mut writer, "INSERT INTO t VALUES (2)").await;
    assert_eq!(count(&mut c, "SELECT COUNT(*) FROM t").await, 2);
    exec(&mut c, "COMMIT").await;

    exec(&mut c, "SET transaction_isolation = 'REPEATABLE-READ'").await;
    assert_eq!(texts(&mut c, "SELECT @@transaction_isolation").await, ["REPEATABLE-READ"]);
    exec(&mut c, "SET @@session.tx_isolation = 1").await;
    assert_eq!(texts(&mut c, "SELECT @@transaction_isolation").await, ["READ-COMMITTED"], "an enum by index");
    let refused: &[(&str, u16, &str)] = &[
        (
            "SET transaction_isolation = 'SERIALIZABLE'",
            20105,
            "not supported: transaction isolation level SERIALIZABLE is not supported",
        ),
        (
            "SET SESSION TRANSACTION ISOLATION LEVEL READ UNCOMMITTED",
            20105,
            "not supported: transaction isolation level READ-UNCOMMITTED is not supported",
        ),
        (
            "SET SESSION TRANSACTION READ ONLY",
            20105,
            "not supported: transaction access mode READ ONLY is not supported",
        ),
        (
            "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY",
            20105,
            "not supported: transaction access mode READ ONLY is not supported",
        ),
        (
            "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED, ISOLATION LEVEL READ COMMITTED",
            20301,
            "invalid input: transaction isolation level specified more than once",
        ),
        (
            "SET SESSION TRANSACTION READ ONLY, READ WRITE",
            20301,
            "invalid input: transaction access mode specified more than once",
        ),
    ];
    for (sql, code, msg) in refused {
        assert_eq!(err(&mut c, sql).await, (*code, (*msg).to_owned()), "{sql}");
    }
    assert_eq!(texts(&mut c, "SELECT @@transaction_isolation").await, ["READ-COMMITTED"]);
    // A global level is the next sessions' (mosim keeps it; MariaDB's own global stays).
    exec(&mut c, "SET GLOBAL TRANSACTION ISOLATION LEVEL READ COMMITTED").await;
    let mut next = connect(&s, &db).await;
    assert_eq!(
        texts(&mut next, "SELECT @@transaction_isolation, @@global.transaction_isolation").await,
        ["READ-COMMITTED", "READ-COMMITTED"]
    );
    exec(&mut next, "BEGIN").await;
    assert_eq!(count(&mut next, "SELECT COUNT(*) FROM t").await, 2);
    exec(&mut writer, "INSERT INTO t VALUES (3)").await;
    assert_eq!(count(&mut next, "SELECT COUNT(*) FROM t").await, 3, "the new session reads committed");
    exec(&mut next, "COMMIT").await;
    exec(&mut c, "SET GLOBAL transaction_isolation = DEFAULT").await;
    let mut fresh = connect(&s, &db).await;
    assert_eq!(texts(&mut fresh, "SELECT @@transaction_isolation").await, ["REPEATABLE-READ"]);
    cleanup(&mut c, &[&db], &[], &[]).await;
}

/// A prepared statement reads a kept variable as it is at each execution, not as it was
/// when it was prepared: sqlx caches the statement, so the second read runs the same one.
#[tokio::test]
async fn a_prepared_read_follows_a_later_set() {
    let s = server().await;
    let mut c = connect(&s, "test").await;
    let read = "SELECT @@probe_limit, CAST(@@probe_limit AS SIGNED) + 1";
    let first: (String, i64) = sqlx::query_as(read).fetch_one(&mut c).await.unwrap();
    assert_eq!(first, ("5".to_owned(), 6));
    exec(&mut c, "SET probe_limit = 7").await;
    let second: (String, i64) = sqlx::query_as(read).fetch_one(&mut c).await.unwrap();
    assert_eq!(second, ("7".to_owned(), 8));
    // The statement was prepared once (the driver's cache), so the new value came through
    // the same prepared statement.
    let prepared: i64 = sqlx::raw_sql("SHOW SESSION STATUS LIKE 'Com_stmt_prepare'")
        .fetch_one(&mut c)
        .await
        .map(|r| r.get::<String, _>(1).parse().unwrap())
        .unwrap();
    assert_eq!(prepared, 1, "one COM_STMT_PREPARE for both reads");
}
