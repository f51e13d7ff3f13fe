//! Shared helpers for mosim's integration tests: an in-process server on the local MariaDB,
//! plain sqlx connections (never the SDK), and error extraction.
#![allow(dead_code)]

use std::sync::atomic::{AtomicU32, Ordering};

use sqlx::mysql::{MySqlConnection, MySqlDatabaseError, MySqlRow};
use sqlx::{AssertSqlSafe, Connection, Executor, Row};

/// Where MariaDB runs; the tests fail (not skip) when it is unreachable.
pub const BACKEND: &str = "mysql://root@127.0.0.1:3306";

/// Starts mosim in front of the local MariaDB.
pub async fn server() -> mosim::Server {
    mosim::Server::start(BACKEND).await.expect("mosim needs MariaDB at 127.0.0.1:3306")
}

/// A name unique to this process and call, so tests can run in parallel and be re-run.
pub fn unique(prefix: &str) -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
    format!("{prefix}_{}_{}_{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed), nanos % 100_000)
}

/// Connects a plain sqlx client to mosim.
pub async fn connect(server: &mosim::Server, db: &str) -> MySqlConnection {
    MySqlConnection::connect(&server.url(db)).await.expect("connect to mosim")
}

/// A fresh database of its own, and a connection using it.
pub async fn fresh_db(server: &mosim::Server, prefix: &str) -> (MySqlConnection, String) {
    let db = unique(prefix);
    let mut c = connect(server, "test").await;
    exec(&mut c, &format!("CREATE DATABASE {db}")).await;
    exec(&mut c, &format!("USE {db}")).await;
    (c, db)
}

/// Runs text-protocol SQL (COM_QUERY), panicking on error.
pub async fn exec(c: &mut MySqlConnection, sql: &str) {
    c.execute(AssertSqlSafe(sql.to_owned())).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
}

/// Runs text-protocol SQL and returns its rows.
pub async fn rows(c: &mut MySqlConnection, sql: &str) -> Vec<MySqlRow> {
    c.fetch_all(AssertSqlSafe(sql.to_owned())).await.unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// The `a` column (INT) of `SELECT a FROM ... ORDER BY a`, as text protocol.
pub async fn ints(c: &mut MySqlConnection, sql: &str) -> Vec<i32> {
    rows(c, sql).await.iter().map(|r| r.get::<i32, _>(0)).collect()
}

/// Runs text-protocol SQL that must fail; returns the MySQL error number and message.
pub async fn err(c: &mut MySqlConnection, sql: &str) -> (u16, String) {
    match c.execute(AssertSqlSafe(sql.to_owned())).await {
        Ok(_) => panic!("expected an error from {sql}"),
        Err(e) => db_error(e),
    }
}

/// The number and message of a database error.
pub fn db_error(e: sqlx::Error) -> (u16, String) {
    match e {
        sqlx::Error::Database(d) => {
            let my = d.downcast_ref::<MySqlDatabaseError>();
            (my.number(), my.message().to_owned())
        }
        other => panic!("expected a database error, got {other}"),
    }
}

/// Removes what a test made (snapshots and PITRs first, so the databases' tables need no
/// graveyard copy), leaving the shared backend tidy for the next run.
pub async fn cleanup(c: &mut MySqlConnection, dbs: &[&str], snapshots: &[&str], pitrs: &[&str]) {
    for s in snapshots {
        exec(c, &format!("DROP SNAPSHOT IF EXISTS {s}")).await;
    }
    for p in pitrs {
        exec(c, &format!("DROP PITR IF EXISTS {p}")).await;
    }
    for d in dbs {
        exec(c, &format!("DROP DATABASE IF EXISTS {d}")).await;
    }
}

/// The first column of the first row, as an integer (COUNT(*) and the like).
pub async fn count(c: &mut MySqlConnection, sql: &str) -> i64 {
    rows(c, sql).await[0].get::<i64, _>(0)
}

/// Rows that mosim's graveyard holds for database `db` (tables it buried there).
pub async fn buried_count(c: &mut MySqlConnection, db: &str) -> i64 {
    count(c, &format!("SELECT COUNT(*) FROM mo_catalog.mo_dropped WHERE database_name = '{db}'")).await
}

/// Runs `sql`, failing the test if it takes longer than `secs` seconds; returns its result.
pub async fn within(
    secs: u64,
    c: &mut MySqlConnection,
    sql: &str,
) -> Result<sqlx::mysql::MySqlQueryResult, sqlx::Error> {
    let run = c.execute(AssertSqlSafe(sql.to_owned()));
    match tokio::time::timeout(std::time::Duration::from_secs(secs), run).await {
        Ok(r) => r,
        Err(_) => panic!("{sql} took more than {secs} s"),
    }
}
