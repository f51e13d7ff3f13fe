//! The wire layer: version, forwarding of text and prepared statements, sessions,
//! transactions, errors and logins, seen through a plain sqlx client.

mod common;

use common::*;
use sqlx::mysql::MySqlConnectOptions;
use sqlx::{Connection, Row};

#[tokio::test]
async fn version_is_matrixone() {
    let s = server().await;
    let mut c = connect(&s, "test").await;
    let r = rows(&mut c, "SELECT VERSION(), @@version_comment").await;
    assert_eq!(r[0].get::<String, _>(0), "8.0.30-MatrixOne-v4.2.0");
    assert_eq!(r[0].get::<String, _>(1), "MatrixOne");
    let v: (String,) = sqlx::query_as("select version()").fetch_one(&mut c).await.unwrap();
    assert_eq!(v.0, "8.0.30-MatrixOne-v4.2.0");
}

#[tokio::test]
async fn v3_mode_reports_its_version() {
    let s = mosim::Server::start_with(mosim::Config::new(BACKEND).v3()).await.unwrap();
    let mut c = connect(&s, "test").await;
    let r = rows(&mut c, "SELECT VERSION()").await;
    assert_eq!(r[0].get::<String, _>(0), "8.0.30-MatrixOne-v3.0.18");
}

#[tokio::test]
async fn text_and_prepared_statements_reach_mariadb() {
    let s = server().await;
    let (mut c, db) = fresh_db(&s, "wire").await;
    exec(&mut c, "CREATE TABLE t (a INT PRIMARY KEY, b VARCHAR(20), d DATETIME(6), x DECIMAL(10,2))").await;
    for i in 1..=3 {
        sqlx::query("INSERT INTO t VALUES (?, ?, '2024-01-02 03:04:05.123456', ?)")
            .bind(i)
            .bind(format!("row{i}"))
            .bind(i as f64 * 1.5)
            .execute(&mut c)
            .await
            .unwrap();
    }
    let got: Vec<(i32, String)> =
        sqlx::query_as("SELECT a, b FROM t WHERE a >= ? ORDER BY a").bind(2).fetch_all(&mut c).await.unwrap();
    assert_eq!(got, vec![(2, "row2".to_owned()), (3, "row3".to_owned())]);
    assert_eq!(ints(&mut c, "SELECT a FROM t ORDER BY a").await, vec![1, 2, 3]);
    // The table is system-versioned on the backend, invisibly to the client.
    let r = rows(&mut c, "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 't' AND table_schema = DATABASE() AND table_type = 'SYSTEM VERSIONED'").await;
    assert_eq!(r[0].get::<i64, _>(0), 1);
    // TRUNCATE works on it (MariaDB refuses TRUNCATE on versioned tables).
    exec(&mut c, "TRUNCATE TABLE t").await;
    assert!(ints(&mut c, "SELECT a FROM t").await.is_empty());
    cleanup(&mut c, &[&db], &[], &[]).await;
}

#[tokio::test]
async fn transactions_behave_as_mariadb() {
    let s = server().await;
    let (mut c, db) = fresh_db(&s, "txn").await;
    exec(&mut c, "CREATE TABLE t (a INT)").await;
    let mut tx = c.begin().await.unwrap();
    sqlx::query("INSERT INTO t VALUES (1)").execute(&mut *tx).await.unwrap();
    tx.rollback().await.unwrap();
    assert!(ints(&mut c, "SELECT a FROM t").await.is_empty());
    let mut tx = c.begin().await.unwrap();
    sqlx::query("INSERT INTO t VALUES (2)").execute(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(ints(&mut c, "SELECT a FROM t").await, vec![2]);
    cleanup(&mut c, &[&db], &[], &[]).await;
}

#[tokio::test]
async fn errors_keep_mariadb_codes_and_parse_errors_read_like_matrixone() {
    let s = server().await;
    let mut c = connect(&s, "test").await;
    let (code, msg) = err(&mut c, "SELECT * FROM no_such_table_mosim").await;
    assert_eq!(code, 1146);
    assert!(msg.contains("no_such_table_mosim"), "{msg}");
    let (code, msg) = err(&mut c, "SELEC 1").await;
    assert_eq!(code, 1064);
    assert!(msg.starts_with("SQL parser error"), "{msg}");
    // The session survives errors.
    assert_eq!(ints(&mut c, "SELECT 7").await, vec![7]);
}

#[tokio::test]
async fn matrixone_logins_accept_only_sys() {
    let s = server().await;
    let port = s.addr().port();
    let opts =
        MySqlConnectOptions::new().host("127.0.0.1").port(port).username("sys:root:moadmin").password("111");
    let mut c = sqlx::MySqlConnection::connect_with(&opts).await.unwrap();
    assert_eq!(ints(&mut c, "SELECT 1").await, vec![1]);
    let opts = MySqlConnectOptions::new().host("127.0.0.1").port(port).username("acc1:admin").password("111");
    let e = sqlx::MySqlConnection::connect_with(&opts).await.unwrap_err();
    let (code, msg) = db_error(e);
    assert_eq!(code, 1045);
    assert!(msg.contains("acc1"), "{msg}");
}

#[tokio::test]
async fn unknown_database_at_connect_is_mariadbs_error() {
    let s = server().await;
    let e = sqlx::MySqlConnection::connect(&s.url("no_such_db_mosim")).await.unwrap_err();
    assert_eq!(db_error(e).0, 1049);
}

#[tokio::test]
async fn start_fails_when_mariadb_is_unreachable() {
    let e = mosim::Server::start("mysql://root@127.0.0.1:1").await.unwrap_err();
    assert!(e.to_string().contains("backend"), "{e}");
}
