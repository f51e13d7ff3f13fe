//! RESTORE ACCOUNT / CLUSTER: every user database returns to the snapshot, and databases
//! created after it are dropped. Kept in its own test binary (cargo runs binaries one at a
//! time) because it touches every database on the backend; the window between snapshot and
//! restore is kept to a few milliseconds.

mod common;

use common::*;

#[tokio::test]
async fn restore_account_and_cluster_roll_every_database_back() {
    let s = server().await;
    let (mut c, db) = fresh_db(&s, "rstacc").await;
    exec(&mut c, "CREATE TABLE t (a INT)").await;
    exec(&mut c, "INSERT INTO t VALUES (1)").await;
    let sp = unique("sp_acc");
    let sp_cluster = unique("sp_cluster");
    let newer = unique("rstacc_newer");
    exec(&mut c, &format!("create snapshot {sp} for account sys")).await;
    exec(&mut c, "INSERT INTO t VALUES (2)").await;
    exec(&mut c, &format!("CREATE DATABASE {newer}")).await;
    exec(&mut c, &format!("restore account sys{{snapshot=\"{sp}\"}} to account sys")).await;
    assert_eq!(ints(&mut c, &format!("SELECT a FROM {db}.t")).await, vec![1]);
    let r = rows(&mut c, &format!("SELECT 1 FROM information_schema.schemata WHERE schema_name = '{newer}'"))
        .await;
    assert!(r.is_empty(), "a database created after the snapshot is dropped");

    exec(&mut c, &format!("create snapshot {sp_cluster} for cluster")).await;
    exec(&mut c, &format!("DELETE FROM {db}.t")).await;
    exec(&mut c, &format!("restore cluster{{snapshot='{sp_cluster}'}}")).await;
    assert_eq!(ints(&mut c, &format!("SELECT a FROM {db}.t")).await, vec![1]);
    cleanup(&mut c, &[&db], &[&sp, &sp_cluster], &[]).await;
}
