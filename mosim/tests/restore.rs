//! RESTORE from a snapshot: tables and databases really return to their old state; the
//! v4 and v3 grammars; MatrixOne's errors.

mod common;

use common::*;

#[tokio::test]
async fn restore_table_brings_the_rows_back() {
    let s = server().await;
    let (mut c, db) = fresh_db(&s, "rsttbl").await;
    let sp = unique("sp_rst_tbl");
    exec(&mut c, "CREATE TABLE t (a INT PRIMARY KEY, b VARCHAR(10))").await;
    exec(&mut c, "CREATE TABLE other (a INT)").await;
    exec(&mut c, "INSERT INTO t VALUES (1,'x'),(2,'y')").await;
    exec(&mut c, "INSERT INTO other VALUES (1)").await;
    exec(&mut c, &format!("create snapshot {sp} for table {db} t")).await;
    exec(&mut c, "DELETE FROM t WHERE a = 1").await;
    exec(&mut c, "INSERT INTO t VALUES (3,'z')").await;
    exec(&mut c, "INSERT INTO other VALUES (2)").await;

    exec(&mut c, &format!("restore table {db}.t{{snapshot=\"{sp}\"}}")).await;
    assert_eq!(ints(&mut c, "SELECT a FROM t ORDER BY a").await, vec![1, 2]);
    assert_eq!(ints(&mut c, "SELECT a FROM other ORDER BY a").await, vec![1, 2], "other tables untouched");
    // History is kept: the snapshot can be read and restored again.
    exec(&mut c, "DELETE FROM t").await;
    exec(&mut c, &format!("RESTORE TABLE sys.{db}.t {{SNAPSHOT = '{}'}}", sp.to_uppercase())).await;
    assert_eq!(ints(&mut c, "SELECT a FROM t ORDER BY a").await, vec![1, 2]);
    cleanup(&mut c, &[&db], &[&sp], &[]).await;
}

#[tokio::test]
async fn restore_database_is_whole_and_drops_newer_tables() {
    let s = server().await;
    let (mut c, db) = fresh_db(&s, "rstdb").await;
    let sp = unique("sp_rst_db");
    exec(&mut c, "CREATE TABLE p (id INT PRIMARY KEY)").await;
    exec(&mut c, "CREATE TABLE ch (id INT PRIMARY KEY, p INT, FOREIGN KEY (p) REFERENCES p(id))").await;
    exec(&mut c, "INSERT INTO p VALUES (1),(2)").await;
    exec(&mut c, "INSERT INTO ch VALUES (10,1),(20,2)").await;
    exec(&mut c, &format!("create snapshot {sp} for database {db}")).await;
    exec(&mut c, "DELETE FROM ch").await;
    exec(&mut c, "DELETE FROM p WHERE id = 2").await;
    exec(&mut c, "ALTER TABLE p ADD COLUMN note VARCHAR(10) DEFAULT 'n'").await;
    exec(&mut c, "CREATE TABLE newer (x INT)").await;

    exec(&mut c, &format!("restore database {db}{{snapshot='{sp}'}}")).await;
    assert_eq!(ints(&mut c, "SELECT id FROM p ORDER BY id").await, vec![1, 2]);
    assert_eq!(ints(&mut c, "SELECT id FROM ch ORDER BY id").await, vec![10, 20]);
    let (code, _) = err(&mut c, "SELECT * FROM newer").await;
    assert_eq!(code, 1146, "a table created after the snapshot is gone");
    cleanup(&mut c, &[&db], &[&sp], &[]).await;
}

#[tokio::test]
async fn restore_errors_match_matrixone() {
    let s = server().await;
    let (mut c, db) = fresh_db(&s, "rsterr").await;
    exec(&mut c, "CREATE TABLE t (a INT)").await;
    exec(&mut c, "CREATE TABLE u (a INT)").await;
    let sp_db = unique("sp_rst_e_db");
    let sp_tbl = unique("sp_rst_e_tbl");
    let sp_cl = unique("sp_rst_e_cl");
    exec(&mut c, &format!("create snapshot {sp_db} for database {db}")).await;
    exec(&mut c, &format!("create snapshot {sp_tbl} for table {db} t")).await;
    exec(&mut c, &format!("create snapshot {sp_cl} for cluster")).await;
    exec(&mut c, "CREATE TABLE later (a INT)").await;

    let cases = [
        (
            format!("restore database {db}{{snapshot='{sp_cl}'}}"),
            "internal error: can't restore db from cluster level snapshot".to_owned(),
        ),
        (
            format!("restore database other_db{{snapshot='{sp_db}'}}"),
            format!("internal error: databaseName(other_db) does not match snapshot.databaseName({db})"),
        ),
        (
            format!("restore table {db}.u{{snapshot='{sp_tbl}'}}"),
            "internal error: tableName(u) does not match snapshot.tableName(t)".to_owned(),
        ),
        (
            format!("restore table {db}.later{{snapshot='{sp_db}'}}"),
            format!("internal error: table later not exists at snapshot {sp_db}"),
        ),
        (
            format!("restore account sys{{snapshot='{sp_db}'}}"),
            "internal error: can't restore account from db or table level snapshot".to_owned(),
        ),
        (
            format!("restore database {db}{{snapshot='{sp_tbl}'}}"),
            "internal error: can't restore db from table level snapshot".to_owned(),
        ),
        (
            format!("restore database mo_catalog{{snapshot='{sp_db}'}}"),
            "internal error: can't restore db: mo_catalog".to_owned(),
        ),
        (
            format!("restore cluster{{snapshot='{sp_db}'}}"),
            format!("internal error: snapshot {sp_db} is not cluster level snapshot"),
        ),
        (
            format!("restore account acc01{{snapshot='{sp_cl}'}}"),
            "internal error: account acc01 does not exist".to_owned(),
        ),
        (
            "restore table x.y{snapshot='sp_none_mosim'}".to_owned(),
            "internal error: find 0 snapshot records by name(sp_none_mosim), expect only 1".to_owned(),
        ),
    ];
    for (sql, want) in cases {
        let (code, msg) = err(&mut c, &sql).await;
        assert_eq!((code, msg.as_str()), (20101, want.as_str()), "{sql}");
    }
    // v4 has no FROM SNAPSHOT form.
    let (code, msg) = err(&mut c, &format!("restore account sys database {db} from snapshot {sp_db}")).await;
    assert_eq!(code, 1064);
    assert!(msg.starts_with("SQL parser error"), "{msg}");
    // Not after BEGIN, and never prepared.
    exec(&mut c, "BEGIN").await;
    let (code, msg) = err(&mut c, &format!("restore database {db}{{snapshot='{sp_db}'}}")).await;
    assert_eq!(
        (code, msg.as_str()),
        (20101, "internal error: unclassified statement appears in uncommitted transaction")
    );
    exec(&mut c, "ROLLBACK").await;
    let e = sqlx::query(sqlx::AssertSqlSafe(format!("restore database {db}{{snapshot='{sp_db}'}}")))
        .execute(&mut c)
        .await
        .unwrap_err();
    let (code, msg) = db_error(e);
    assert_eq!(code, 1064);
    assert!(msg.starts_with("SQL parser error"), "{msg}");
    cleanup(&mut c, &[&db], &[&sp_db, &sp_tbl, &sp_cl], &[]).await;
}

#[tokio::test]
async fn v3_mode_speaks_the_old_restore_grammar() {
    let s = mosim::Server::start_with(mosim::Config::new(BACKEND).v3()).await.unwrap();
    let (mut c, db) = fresh_db(&s, "rstv3").await;
    let sp = unique("sp_v3");
    exec(&mut c, "CREATE TABLE t (a INT)").await;
    exec(&mut c, "INSERT INTO t VALUES (1)").await;
    exec(&mut c, &format!("create snapshot {sp} for database {db}")).await;
    exec(&mut c, "INSERT INTO t VALUES (2)").await;

    let (code, msg) = err(&mut c, &format!("restore table {db}.t{{snapshot='{sp}'}}")).await;
    assert_eq!(code, 1064, "the 4.x form is a parse error on 3.x");
    assert!(msg.starts_with("SQL parser error"), "{msg}");
    exec(&mut c, &format!("restore account sys database {db} table t from snapshot {sp}")).await;
    assert_eq!(ints(&mut c, "SELECT a FROM t").await, vec![1]);
    exec(&mut c, "INSERT INTO t VALUES (3)").await;
    exec(&mut c, &format!("RESTORE ACCOUNT sys DATABASE {db} FROM SNAPSHOT {sp}")).await;
    assert_eq!(ints(&mut c, "SELECT a FROM t").await, vec![1]);
    cleanup(&mut c, &[&db], &[&sp], &[]).await;
}

#[tokio::test]
async fn dropped_tables_and_databases_come_back() {
    let s = server().await;
    let (mut c, db) = fresh_db(&s, "rstdrop").await;
    let sp = unique("sp_rst_drop");
    exec(&mut c, "CREATE TABLE t (a INT)").await;
    exec(&mut c, "CREATE TABLE u (a INT)").await;
    exec(&mut c, "INSERT INTO t VALUES (1),(2)").await;
    exec(&mut c, "INSERT INTO u VALUES (7)").await;
    exec(&mut c, &format!("create snapshot {sp} for database {db}")).await;

    // Dropped, then re-created under the same name with other rows.
    exec(&mut c, "DROP TABLE t").await;
    exec(&mut c, "CREATE TABLE t (a INT)").await;
    exec(&mut c, "INSERT INTO t VALUES (99)").await;
    // Reads at the snapshot see the dropped incarnation, with or without an alias.
    assert_eq!(ints(&mut c, &format!("SELECT a FROM t {{snapshot='{sp}'}} ORDER BY a")).await, vec![1, 2]);
    let sql = format!("SELECT x.a FROM {db}.t {{snapshot='{sp}'}} x JOIN u ON u.a = 7 ORDER BY x.a");
    assert_eq!(ints(&mut c, &sql).await, vec![1, 2]);
    exec(&mut c, &format!("restore table {db}.t{{snapshot='{sp}'}}")).await;
    assert_eq!(ints(&mut c, "SELECT a FROM t ORDER BY a").await, vec![1, 2]);

    // The whole database dropped (prepared, as sqlx::query sends it).
    exec(&mut c, "USE test").await;
    sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE {db}"))).execute(&mut c).await.unwrap();
    let (code, _) = err(&mut c, &format!("SELECT * FROM {db}.u")).await;
    assert_eq!(code, 1146);
    exec(&mut c, &format!("restore database {db}{{snapshot='{sp}'}}")).await;
    assert_eq!(ints(&mut c, &format!("SELECT a FROM {db}.t ORDER BY a")).await, vec![1, 2]);
    assert_eq!(ints(&mut c, &format!("SELECT a FROM {db}.u")).await, vec![7]);
    // Plain DROP semantics are kept, in MatrixOne's words (1146 `no such table db.t`, as
    // test/distributed/cases/auto_increment/auto_increment.result shows; MariaDB says 1051).
    let (code, msg) = err(&mut c, &format!("DROP TABLE {db}.missing_table")).await;
    assert_eq!((code, msg), (1146, format!("no such table {db}.missing_table")));
    exec(&mut c, &format!("DROP TABLE IF EXISTS {db}.missing_table, {db}.u")).await;
    let (code, _) = err(&mut c, &format!("SELECT * FROM {db}.u")).await;
    assert_eq!(code, 1146);
    cleanup(&mut c, &[&db], &[&sp], &[]).await;
}
