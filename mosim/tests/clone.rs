//! CREATE DATABASE | TABLE ... CLONE ..., now and at a snapshot, and its errors.

mod common;

use common::*;
use sqlx::Connection;

#[tokio::test]
async fn clone_table_now_and_at_snapshot() {
    let s = server().await;
    let (mut c, db) = fresh_db(&s, "clonetbl").await;
    let sp = unique("sp_clone");
    exec(&mut c, "CREATE TABLE t1 (a INT PRIMARY KEY, b INT AS (a * 10) VIRTUAL, KEY k (b))").await;
    exec(&mut c, "INSERT INTO t1 (a) VALUES (1),(2)").await;
    exec(&mut c, &format!("create snapshot {sp} for table {db} t1")).await;
    exec(&mut c, "INSERT INTO t1 (a) VALUES (3)").await;

    exec(&mut c, "create table t2 clone t1").await;
    assert_eq!(ints(&mut c, "SELECT a FROM t2 ORDER BY a").await, vec![1, 2, 3]);
    assert_eq!(ints(&mut c, "SELECT b FROM t2 ORDER BY a").await, vec![10, 20, 30]);
    exec(&mut c, &format!("create table t3 clone t1 {{snapshot = \"{sp}\"}}")).await;
    assert_eq!(ints(&mut c, "SELECT a FROM t3 ORDER BY a").await, vec![1, 2]);
    // Qualified names and TO ACCOUNT sys.
    let other = unique("clonedst");
    exec(&mut c, &format!("CREATE DATABASE {other}")).await;
    exec(&mut c, &format!("create table {other}.t4 clone {db}.t1 {{snapshot = '{sp}'}} to account sys"))
        .await;
    assert_eq!(ints(&mut c, &format!("SELECT a FROM {other}.t4 ORDER BY a")).await, vec![1, 2]);
    // The clone is independent of its source.
    exec(&mut c, "DELETE FROM t1").await;
    assert_eq!(ints(&mut c, "SELECT a FROM t2 ORDER BY a").await, vec![1, 2, 3]);
    cleanup(&mut c, &[&db, &other], &[&sp], &[]).await;
}

#[tokio::test]
async fn clone_database_at_snapshot_leaves_out_newer_tables() {
    let s = server().await;
    let (mut c, db) = fresh_db(&s, "clonedb").await;
    let sp = unique("sp_clonedb");
    exec(&mut c, "CREATE TABLE a (x INT)").await;
    exec(&mut c, "CREATE TABLE b (x INT)").await;
    exec(&mut c, "INSERT INTO a VALUES (1)").await;
    exec(&mut c, "INSERT INTO b VALUES (10),(20)").await;
    exec(&mut c, &format!("create snapshot {sp} for database {db}")).await;
    exec(&mut c, "INSERT INTO a VALUES (2)").await;
    exec(&mut c, "CREATE TABLE newer (x INT)").await;

    let dst = unique("clonedb_dst");
    exec(&mut c, &format!("create database {dst} clone {db} {{snapshot = '{sp}'}}")).await;
    assert_eq!(ints(&mut c, &format!("SELECT x FROM {dst}.a")).await, vec![1]);
    assert_eq!(ints(&mut c, &format!("SELECT x FROM {dst}.b ORDER BY x")).await, vec![10, 20]);
    let r = rows(
        &mut c,
        &format!("SELECT table_name FROM information_schema.tables WHERE table_schema = '{dst}'"),
    )
    .await;
    assert_eq!(r.len(), 2, "the table created after the snapshot is not cloned");

    let now = unique("clonedb_now");
    exec(&mut c, &format!("CREATE SCHEMA {now} CLONE {db}")).await;
    assert_eq!(ints(&mut c, &format!("SELECT x FROM {now}.a ORDER BY x")).await, vec![1, 2]);
    cleanup(&mut c, &[&db, &dst, &now], &[&sp], &[]).await;
}

#[tokio::test]
async fn clone_errors_and_if_not_exists() {
    let s = server().await;
    let (mut c, db) = fresh_db(&s, "cloneerr").await;
    exec(&mut c, "CREATE TABLE src (a INT)").await;
    exec(&mut c, "INSERT INTO src VALUES (1)").await;
    exec(&mut c, "CREATE TABLE dst (a INT, b INT)").await;

    let (code, msg) = err(&mut c, "create table dst clone src").await;
    assert_eq!((code, msg.as_str()), (1050, "table dst already exists"));
    exec(&mut c, "create table if not exists dst clone src").await;
    assert!(ints(&mut c, "SELECT a FROM dst").await.is_empty(), "IF NOT EXISTS leaves dst unchanged");
    exec(&mut c, "create table if not exists dst2 clone src_missing").await;
    let (code, msg) = err(&mut c, "create table dst2 clone src_missing").await;
    assert_eq!((code, msg.as_str()), (1064, "SQL parser error: table src_missing does not exist"));

    let (code, msg) = err(&mut c, &format!("create database {db} clone {db}")).await;
    assert_eq!((code, msg), (1007, format!("database {db} already exists")));
    let (code, msg) = err(&mut c, "create database clone_dst_x clone clone_missing_src_x").await;
    assert_eq!((code, msg.as_str()), (1049, "Unknown database clone_missing_src_x"));
    exec(&mut c, "create database if not exists clone_dst_x clone clone_missing_src_x").await;

    let missing = unique("sp_nope");
    let (code, msg) = err(&mut c, &format!("create table t9 clone src {{snapshot = '{missing}'}}")).await;
    assert_eq!(
        (code, msg),
        (20101, format!("internal error: find 0 snapshot records by name({missing}), expect only 1"))
    );
    // Unqualified names use the session's database, so only a session without one fails.
    let mut nodb = connect(&s, "").await;
    let (code, msg) = err(&mut nodb, &format!("create table t4_copy clone {db}.src to account sys")).await;
    assert_eq!((code, msg.as_str()), (20101, "internal error: no db selected for the dst table t4_copy"));
    let (code, msg) = err(&mut nodb, &format!("create table {db}.t4_copy clone src")).await;
    assert_eq!((code, msg.as_str()), (20101, "internal error: no db selected for the src table src"));
    let (code, msg) = err(&mut c, "create table acc01_copy clone src to account acc01").await;
    assert_eq!((code, msg.as_str()), (20101, "internal error: account acc01 does not exist"));
    exec(&mut c, "create table t4_copy clone src to account sys").await;
    assert_eq!(ints(&mut c, "SELECT a FROM t4_copy").await, vec![1]);

    let sp = unique("sp_tbl_lvl");
    exec(&mut c, &format!("create snapshot {sp} for table {db} src")).await;
    let (code, msg) =
        err(&mut c, &format!("create database {}_c clone {db} {{snapshot = '{sp}'}}", db)).await;
    assert_eq!(
        (code, msg.as_str()),
        (20101, "internal error: cannot use a table-level snapshot to clone cluster/account/database")
    );
    cleanup(&mut c, &[&db], &[&sp], &[]).await;
}

#[tokio::test]
async fn clone_is_allowed_in_a_transaction_and_when_prepared() {
    let s = server().await;
    let (mut c, db) = fresh_db(&s, "clonetx").await;
    exec(&mut c, "CREATE TABLE src (a INT)").await;
    exec(&mut c, "INSERT INTO src VALUES (5)").await;
    let mut tx = c.begin().await.unwrap();
    sqlx::query("INSERT INTO src VALUES (6)").execute(&mut *tx).await.unwrap();
    sqlx::raw_sql("create table in_tx clone src").execute(&mut *tx).await.unwrap();
    // The clone reads the transaction's own rows (clone.go shares the transaction's view)...
    let in_tx: Vec<i32> =
        sqlx::query_scalar("SELECT a FROM in_tx ORDER BY a").fetch_all(&mut *tx).await.unwrap();
    assert_eq!(in_tx, vec![5, 6]);
    tx.rollback().await.unwrap();
    // ...and is part of it: ROLLBACK takes back the rows and the clone.
    assert_eq!(ints(&mut c, "SELECT a FROM src").await, vec![5]);
    assert_eq!(err(&mut c, "SELECT a FROM in_tx").await.0, 1146);
    // MatrixOne can PREPARE a table clone (reference §10.2).
    sqlx::query("create table prepared_clone clone src").execute(&mut c).await.unwrap();
    assert_eq!(ints(&mut c, "SELECT a FROM prepared_clone").await, vec![5]);
    cleanup(&mut c, &[&db], &[], &[]).await;
}

#[tokio::test]
async fn clone_at_snapshot_finds_tables_dropped_since() {
    let s = server().await;
    let (mut c, db) = fresh_db(&s, "clonedrop").await;
    let sp = unique("sp_clonedrop");
    exec(&mut c, "CREATE TABLE a (x INT)").await;
    exec(&mut c, "CREATE TABLE b (x INT)").await;
    exec(&mut c, "INSERT INTO a VALUES (1)").await;
    exec(&mut c, "INSERT INTO b VALUES (2)").await;
    exec(&mut c, &format!("create snapshot {sp} for database {db}")).await;
    exec(&mut c, "DROP TABLE a").await;
    exec(&mut c, &format!("create table a_back clone a {{snapshot = '{sp}'}}")).await;
    assert_eq!(ints(&mut c, "SELECT x FROM a_back").await, vec![1]);

    exec(&mut c, "USE test").await;
    exec(&mut c, &format!("DROP DATABASE {db}")).await;
    let dst = unique("clonedrop_dst");
    exec(&mut c, &format!("create database {dst} clone {db} {{snapshot = '{sp}'}}")).await;
    assert_eq!(ints(&mut c, &format!("SELECT x FROM {dst}.a")).await, vec![1]);
    assert_eq!(ints(&mut c, &format!("SELECT x FROM {dst}.b")).await, vec![2]);
    cleanup(&mut c, &[&db, &dst], &[&sp], &[]).await;
}
