//! A RESTORE that fails changes nothing: not the live rows, not which table holds a name,
//! not the graveyard. The same RESTORE succeeds once the obstacle is gone.

mod common;

use std::time::Instant;

use common::*;
use sqlx::mysql::MySqlConnection;

/// A database whose snapshot has t = [1, 2] and u = [7, 8]; since then t gained 3, and u was
/// dropped (into the graveyard) and created again with [70, 71].
async fn changed_since_snapshot(s: &mosim::Server, prefix: &str) -> (MySqlConnection, String, String) {
    let (mut c, db) = fresh_db(s, prefix).await;
    let sp = unique("sp_atomic");
    exec(&mut c, "CREATE TABLE t (a INT PRIMARY KEY)").await;
    exec(&mut c, "CREATE TABLE u (a INT)").await;
    exec(&mut c, "INSERT INTO t VALUES (1), (2)").await;
    exec(&mut c, "INSERT INTO u VALUES (7), (8)").await;
    exec(&mut c, &format!("CREATE SNAPSHOT {sp} FOR DATABASE {db}")).await;
    exec(&mut c, "INSERT INTO t VALUES (3)").await;
    exec(&mut c, "DROP TABLE u").await;
    exec(&mut c, "CREATE TABLE u (a INT)").await;
    exec(&mut c, "INSERT INTO u VALUES (70), (71)").await;
    assert_eq!(buried_count(&mut c, &db).await, 1);
    (c, db, sp)
}

/// The live state the failed restore must leave alone.
async fn assert_unchanged(c: &mut MySqlConnection, db: &str) {
    assert_eq!(ints(c, "SELECT a FROM t ORDER BY a").await, vec![1, 2, 3], "t keeps its rows");
    assert_eq!(ints(c, "SELECT a FROM u ORDER BY a").await, vec![70, 71], "u is still the live table");
    assert_eq!(buried_count(c, db).await, 1, "nothing more was buried");
}

#[tokio::test]
async fn a_restore_behind_a_row_lock_fails_and_changes_nothing() {
    let s = server().await;
    let (mut c, db, sp) = changed_since_snapshot(&s, "atomrow").await;
    let mut locker = connect(&s, &db).await;
    exec(&mut locker, "BEGIN").await;
    exec(&mut locker, "SELECT a FROM t WHERE a = 1 FOR UPDATE").await;

    // The client's lock wait applies to its RESTORE.
    exec(&mut c, "SET SESSION innodb_lock_wait_timeout = 1").await;
    let restore = format!("RESTORE DATABASE {db} {{SNAPSHOT = '{sp}'}}");
    let started = Instant::now();
    let (code, msg) = db_error(within(30, &mut c, &restore).await.unwrap_err());
    assert_eq!(code, 1205, "{msg}");
    assert!(started.elapsed().as_secs() < 20, "failed after the client's lock wait, not InnoDB's default");
    assert_unchanged(&mut c, &db).await;

    exec(&mut locker, "ROLLBACK").await;
    within(30, &mut c, &restore).await.unwrap();
    assert_eq!(ints(&mut c, "SELECT a FROM t ORDER BY a").await, vec![1, 2]);
    assert_eq!(ints(&mut c, "SELECT a FROM u ORDER BY a").await, vec![7, 8]);
    assert_eq!(buried_count(&mut c, &db).await, 2, "the replaced u went to the graveyard");
    cleanup(&mut c, &[&db], &[&sp], &[]).await;
}

#[tokio::test]
async fn a_restore_that_cannot_swap_a_table_in_rewinds_the_others() {
    let s = server().await;
    let (mut c, db, sp) = changed_since_snapshot(&s, "atommdl").await;
    // An open transaction that read u holds u's metadata lock: u cannot be renamed away.
    let mut reader = connect(&s, &db).await;
    exec(&mut reader, "BEGIN").await;
    exec(&mut reader, "SELECT a FROM u").await;

    exec(&mut c, "SET SESSION lock_wait_timeout = 1").await;
    let restore = format!("RESTORE DATABASE {db} {{SNAPSHOT = '{sp}'}}");
    let (code, msg) = db_error(within(30, &mut c, &restore).await.unwrap_err());
    assert_eq!(code, 1205, "{msg}");
    assert_unchanged(&mut c, &db).await;
    // The rewound rows still read as they were at the snapshot.
    assert_eq!(ints(&mut c, &format!("SELECT a FROM t {{SNAPSHOT = '{sp}'}} ORDER BY a")).await, vec![1, 2]);

    exec(&mut reader, "COMMIT").await;
    within(30, &mut c, &restore).await.unwrap();
    assert_eq!(ints(&mut c, "SELECT a FROM t ORDER BY a").await, vec![1, 2]);
    assert_eq!(ints(&mut c, "SELECT a FROM u ORDER BY a").await, vec![7, 8]);
    cleanup(&mut c, &[&db], &[&sp], &[]).await;
}
