//! A snapshot is a commit point: a transaction still open when it is taken is not in it at
//! all (whenever it wrote), and one committed before it is in it entirely. The same holds
//! for reads at a timestamp, clone, restore and PITR restore.

mod common;

use std::time::Duration;

use common::*;
use sqlx::Row;
use sqlx::mysql::MySqlConnection;

/// `t` holds 1 (to be deleted) and 2 (kept).
async fn table_with_two_rows(c: &mut MySqlConnection) {
    exec(c, "CREATE TABLE t (a INT PRIMARY KEY)").await;
    exec(c, "INSERT INTO t VALUES (1), (2)").await;
}

/// Session `a` begins, inserts 10 and deletes 1, without committing.
async fn open_writer(s: &mosim::Server, db: &str) -> MySqlConnection {
    let mut a = connect(s, db).await;
    exec(&mut a, "BEGIN").await;
    exec(&mut a, "INSERT INTO t VALUES (10)").await;
    exec(&mut a, "DELETE FROM t WHERE a = 1").await;
    a
}

#[tokio::test]
async fn a_transaction_open_at_the_snapshot_is_not_in_it() {
    let s = server().await;
    let (mut b, db) = fresh_db(&s, "commitopen").await;
    let sp = unique("sp_open");
    table_with_two_rows(&mut b).await;
    let mut a = open_writer(&s, &db).await;
    exec(&mut b, &format!("CREATE SNAPSHOT {sp} FOR DATABASE {db}")).await;
    let r = rows(&mut b, &format!("SHOW SNAPSHOTS WHERE snapshot_name = '{sp}'")).await;
    let ts: String = r[0].get(1);
    exec(&mut a, "COMMIT").await;

    let at = format!("{{SNAPSHOT = '{sp}'}}");
    assert_eq!(ints(&mut b, "SELECT a FROM t ORDER BY a").await, vec![2, 10]);
    assert_eq!(ints(&mut b, &format!("SELECT a FROM t {at} ORDER BY a")).await, vec![1, 2]);
    let joined = format!("SELECT x.a FROM {db}.t {at} AS x JOIN t y ON y.a = 2 ORDER BY x.a");
    assert_eq!(ints(&mut b, &joined).await, vec![1, 2], "qualified, aliased and joined");
    // A read at the snapshot's time sees the same: commits, not writes, are what count.
    let sql = format!("SELECT a FROM t {{TIMESTAMP = '{ts}'}} ORDER BY a");
    assert_eq!(ints(&mut b, &sql).await, vec![1, 2]);
    // Clone and restore copy the same rows.
    exec(&mut b, &format!("CREATE TABLE c CLONE t {at}")).await;
    assert_eq!(ints(&mut b, "SELECT a FROM c ORDER BY a").await, vec![1, 2]);
    exec(&mut b, &format!("CREATE DATABASE {db}_copy CLONE {db} {at}")).await;
    assert_eq!(ints(&mut b, &format!("SELECT a FROM {db}_copy.t ORDER BY a")).await, vec![1, 2]);
    exec(&mut b, &format!("RESTORE TABLE {db}.t {at}")).await;
    assert_eq!(ints(&mut b, "SELECT a FROM t ORDER BY a").await, vec![1, 2]);
    cleanup(&mut b, &[&db, &format!("{db}_copy")], &[&sp], &[]).await;
}

#[tokio::test]
async fn a_transaction_committed_before_the_snapshot_is_all_in_it() {
    let s = server().await;
    let (mut b, db) = fresh_db(&s, "commitdone").await;
    let sp = unique("sp_done");
    table_with_two_rows(&mut b).await;
    // Begun and written well before, committed just before the snapshot.
    let mut a = open_writer(&s, &db).await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    exec(&mut a, "COMMIT").await;
    exec(&mut b, &format!("CREATE SNAPSHOT {sp} FOR DATABASE {db}")).await;
    exec(&mut b, "DELETE FROM t").await;

    let at = format!("{{SNAPSHOT = '{sp}'}}");
    assert_eq!(ints(&mut b, &format!("SELECT a FROM t {at} ORDER BY a")).await, vec![2, 10]);
    exec(&mut b, &format!("RESTORE DATABASE {db} {at}")).await;
    assert_eq!(ints(&mut b, "SELECT a FROM t ORDER BY a").await, vec![2, 10]);
    cleanup(&mut b, &[&db], &[&sp], &[]).await;
}

#[tokio::test]
async fn a_pitr_restore_leaves_out_a_transaction_open_at_its_second() {
    let s = server().await;
    let (mut b, db) = fresh_db(&s, "commitpitr").await;
    let p = unique("pitr_open");
    table_with_two_rows(&mut b).await;
    exec(&mut b, &format!("CREATE PITR {p} FOR DATABASE {db} RANGE 1 'h'")).await;
    let mut a = open_writer(&s, &db).await;
    // The next whole second (UTC): after the writes and the PITR, before the commit.
    let r =
        rows(&mut b, "SELECT DATE_FORMAT(UTC_TIMESTAMP() + INTERVAL 1 SECOND, '%Y-%m-%d %H:%i:%s')").await;
    let second: String = r[0].get(0);
    let past = format!("SELECT UTC_TIMESTAMP(6) > '{second}' + INTERVAL 100000 MICROSECOND");
    let b_ref = tokio::sync::Mutex::new(&mut b);
    let passed =
        eventually(Duration::from_secs(4), || async { count(&mut **b_ref.lock().await, &past).await == 1 })
            .await;
    assert!(passed, "the second has passed");
    exec(&mut a, "COMMIT").await;

    exec(&mut b, &format!("RESTORE DATABASE {db} FROM PITR {p} '{second}'")).await;
    assert_eq!(ints(&mut b, "SELECT a FROM t ORDER BY a").await, vec![1, 2]);
    cleanup(&mut b, &[&db], &[], &[&p]).await;
}
