//! CREATE / DROP / SHOW SNAPSHOTS and reads at a snapshot, a timestamp or an MO_TS.

mod common;

use common::*;
use sqlx::Row;

#[tokio::test]
async fn snapshot_read_sees_the_old_data() {
    let s = server().await;
    let (mut c, db) = fresh_db(&s, "snapread").await;
    let sp = unique("sp_read");
    exec(&mut c, "CREATE TABLE t (a INT PRIMARY KEY, b VARCHAR(10))").await;
    exec(&mut c, "INSERT INTO t VALUES (1,'one'),(2,'two'),(3,'three')").await;
    exec(&mut c, &format!("create snapshot {sp} for database {db}")).await;
    exec(&mut c, "DELETE FROM t WHERE a = 2").await;
    exec(&mut c, "UPDATE t SET b = 'uno' WHERE a = 1").await;
    exec(&mut c, "INSERT INTO t VALUES (4,'four')").await;

    assert_eq!(ints(&mut c, "SELECT a FROM t ORDER BY a").await, vec![1, 3, 4]);
    assert_eq!(
        ints(&mut c, &format!("SELECT a FROM t {{snapshot = '{sp}'}} ORDER BY a")).await,
        vec![1, 2, 3]
    );
    // The ident form, a qualified name and an alias.
    let r = rows(&mut c, &format!("SELECT x.b FROM {db}.t{{snapshot = `{sp}`}} AS x WHERE x.a = 1")).await;
    assert_eq!(r[0].get::<String, _>(0), "one");
    // Over the binary protocol too.
    let got: Vec<(i32,)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT a FROM t {{SNAPSHOT = '{sp}'}} WHERE a > ? ORDER BY a"
    )))
    .bind(1)
    .fetch_all(&mut c)
    .await
    .unwrap();
    assert_eq!(got, vec![(2,), (3,)]);
    // INSERT ... SELECT from the past.
    exec(&mut c, "CREATE TABLE t2 (a INT PRIMARY KEY, b VARCHAR(10))").await;
    exec(&mut c, &format!("INSERT INTO t2 SELECT * FROM t{{snapshot = '{sp}'}} WHERE a <= 2")).await;
    assert_eq!(ints(&mut c, "SELECT a FROM t2 ORDER BY a").await, vec![1, 2]);
    cleanup(&mut c, &[&db], &[&sp], &[]).await;
}

#[tokio::test]
async fn timestamp_and_mo_ts_reads() {
    let s = server().await;
    let (mut c, db) = fresh_db(&s, "tsread").await;
    exec(&mut c, "CREATE TABLE t (a INT)").await;
    exec(&mut c, "INSERT INTO t VALUES (1)").await;
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let r = rows(&mut c, "SELECT DATE_FORMAT(UTC_TIMESTAMP(6), '%Y-%m-%d %H:%i:%s.%f'), CAST(UNIX_TIMESTAMP(NOW(6)) * 1000000000 AS UNSIGNED)").await;
    let (utc, nanos): (String, u64) = (r[0].get(0), r[0].get(1));
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    exec(&mut c, "INSERT INTO t VALUES (2)").await;

    assert_eq!(ints(&mut c, &format!("SELECT a FROM t {{timestamp = '{utc}'}}")).await, vec![1]);
    assert_eq!(ints(&mut c, &format!("SELECT a FROM t {{MO_TS = {nanos}}}")).await, vec![1]);
    assert_eq!(ints(&mut c, "SELECT a FROM t {MO_TS = 9223372036854775807} ORDER BY a").await, vec![1, 2]);
    let (code, msg) = err(&mut c, "SELECT a FROM t {MO_TS = 0}").await;
    assert_eq!((code, msg.as_str()), (20203, "invalid argument invalid timestamp value, bad value 0"));
    cleanup(&mut c, &[&db], &[], &[]).await;
}

#[tokio::test]
async fn show_snapshots_columns_and_where() {
    let s = server().await;
    let (mut c, db) = fresh_db(&s, "snapshow").await;
    exec(&mut c, "CREATE TABLE t1 (a INT)").await;
    let sp_db = unique("sp_show_db");
    let sp_tbl = unique("SP_SHOW_TBL");
    exec(&mut c, &format!("CREATE SNAPSHOT {sp_db} FOR DATABASE {db}")).await;
    exec(&mut c, &format!("create snapshot `{sp_tbl}` for table {db} t1")).await;
    let lower = sp_tbl.to_lowercase();

    let all = rows(&mut c, "SHOW SNAPSHOTS").await;
    let names: Vec<&str> = all[0].columns().iter().map(sqlx::Column::name).collect();
    assert_eq!(
        names,
        ["SNAPSHOT_NAME", "TIMESTAMP", "SNAPSHOT_LEVEL", "ACCOUNT_NAME", "DATABASE_NAME", "TABLE_NAME"]
    );

    let r = rows(&mut c, &format!("show snapshots where SNAPSHOT_NAME = '{lower}'")).await;
    assert_eq!(r.len(), 1);
    let names: Vec<&str> = r[0].columns().iter().map(sqlx::Column::name).collect();
    assert_eq!(
        names,
        ["snapshot_name", "timestamp", "snapshot_level", "account_name", "database_name", "table_name"]
    );
    let row: Vec<String> = (0..6).map(|i| r[0].get::<String, _>(i)).collect();
    assert_eq!(row[0], lower, "names are folded to lower case");
    assert_eq!(&row[2..], ["table", "sys", db.as_str(), "t1"]);
    // TIMESTAMP is UTC text with up to 9 fractional digits, trailing zeros trimmed.
    let ts = &row[1];
    assert!(ts.len() >= 19 && ts.as_bytes()[10] == b' ' && !ts.ends_with('0'), "{ts}");

    let r = rows(&mut c, &format!("SHOW SNAPSHOTS WHERE snapshot_name = '{sp_db}'")).await;
    assert_eq!(r[0].get::<String, _>(2), "database");
    assert_eq!(r[0].get::<String, _>(5), "", "unset TABLE_NAME is empty, not NULL");
    cleanup(&mut c, &[&db], &[&sp_db, &lower], &[]).await;
}

#[tokio::test]
async fn snapshot_ddl_errors_match_matrixone() {
    let s = server().await;
    let (mut c, db) = fresh_db(&s, "snaperr").await;
    let sp = unique("sp_err");
    exec(&mut c, &format!("create snapshot {sp} for account")).await;
    let (code, msg) = err(&mut c, &format!("create snapshot {sp} for account sys")).await;
    assert_eq!((code, msg), (20101, format!("internal error: snapshot {sp} already exists")));
    exec(&mut c, &format!("create snapshot if not exists {sp} for cluster")).await;
    let r = rows(&mut c, &format!("show snapshots where snapshot_name = '{sp}'")).await;
    assert_eq!(r[0].get::<String, _>(2), "account", "IF NOT EXISTS left the first one alone");

    exec(&mut c, &format!("drop snapshot {sp}")).await;
    let (code, msg) = err(&mut c, &format!("DROP SNAPSHOT {sp}")).await;
    assert_eq!((code, msg), (20101, format!("internal error: snapshot {sp} does not exist")));
    exec(&mut c, &format!("drop snapshot if exists {sp}")).await;

    let (code, msg) = err(&mut c, "create snapshot sp_x for account default_1").await;
    assert_eq!((code, msg.as_str()), (20101, "internal error: account default_1 does not exist"));
    let (code, msg) = err(&mut c, "create snapshot sp_x for database mo_catalog").await;
    assert_eq!(
        (code, msg.as_str()),
        (20101, "internal error: can not create snapshot for system database mo_catalog")
    );
    let (code, msg) = err(&mut c, &format!("create snapshot sp_x for account a database {db};")).await;
    assert_eq!(code, 1064);
    assert!(
        msg.starts_with("SQL parser error") && msg.ends_with(&format!("near \" database {db};\";")),
        "{msg}"
    );

    let missing = unique("sp_missing");
    exec(&mut c, "CREATE TABLE t (a INT)").await;
    let (code, msg) = err(&mut c, &format!("select count(*) from t {{snapshot = '{missing}'}}")).await;
    assert_eq!(
        (code, msg),
        (20101, format!("internal error: find 0 snapshot records by name({missing}), expect only 1"))
    );
    cleanup(&mut c, &[&db], &[], &[]).await;
}

#[tokio::test]
async fn snapshot_ddl_is_refused_in_a_transaction() {
    let s = server().await;
    let (mut c, db) = fresh_db(&s, "snaptxn").await;
    let sp = unique("sp_txn");
    exec(&mut c, "BEGIN").await;
    let (code, msg) = err(&mut c, &format!("create snapshot {sp} for database {db}")).await;
    assert_eq!(
        (code, msg.as_str()),
        (20101, "internal error: unclassified statement appears in uncommitted transaction")
    );
    exec(&mut c, "ROLLBACK").await;
    exec(&mut c, &format!("create snapshot {sp} for database {db}")).await;
    cleanup(&mut c, &[&db], &[&sp], &[]).await;
}

#[tokio::test]
async fn snapshots_survive_a_restart() {
    let sp = unique("sp_restart");
    let s = server().await;
    let (mut c, db) = fresh_db(&s, "snaprestart").await;
    exec(&mut c, "CREATE TABLE t (a INT)").await;
    exec(&mut c, "INSERT INTO t VALUES (1)").await;
    exec(&mut c, &format!("create snapshot {sp} for database {db}")).await;
    exec(&mut c, "INSERT INTO t VALUES (2)").await;
    drop(c);
    s.shutdown().await;

    let s = server().await;
    let mut c = connect(&s, &db).await;
    let r = rows(&mut c, &format!("show snapshots where snapshot_name = '{sp}'")).await;
    assert_eq!(r.len(), 1);
    assert_eq!(ints(&mut c, &format!("select a from t {{snapshot = '{sp}'}}")).await, vec![1]);
    cleanup(&mut c, &[&db], &[&sp], &[]).await;
}

#[tokio::test]
async fn multi_statement_scripts_mix_plain_and_matrixone_statements() {
    let s = server().await;
    let (mut c, db) = fresh_db(&s, "snapmulti").await;
    let sp = unique("sp_multi");
    let script = format!(
        "CREATE TABLE a (x INT); CREATE TABLE b (x INT); INSERT INTO b VALUES (1);
         create snapshot {sp} for database {db}; INSERT INTO b VALUES (2);
         SELECT x FROM b {{snapshot = '{sp}'}};"
    );
    let got = sqlx::raw_sql(sqlx::AssertSqlSafe(script)).fetch_all(&mut c).await.unwrap();
    let xs: Vec<i32> = got.iter().map(|r| r.get(0)).collect();
    assert_eq!(xs, vec![1]);
    // Every table of the script is versioned, not only the first.
    let r = rows(&mut c, "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'SYSTEM VERSIONED'").await;
    assert_eq!(r[0].get::<i64, _>(0), 2);
    // The script stops at the first error.
    let e = sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "create snapshot {sp} for account; INSERT INTO a VALUES (9)"
    )))
    .execute(&mut c)
    .await
    .unwrap_err();
    assert_eq!(db_error(e), (20101, format!("internal error: snapshot {sp} already exists")));
    assert!(ints(&mut c, "SELECT x FROM a").await.is_empty());
    cleanup(&mut c, &[&db], &[&sp], &[]).await;
}
