//! CREATE / ALTER / DROP / SHOW PITR with MatrixOne's validation, and RESTORE ... FROM PITR.

mod common;

use std::time::Duration;

use common::*;
use sqlx::Row;

#[tokio::test]
async fn pitr_lifecycle_and_show() {
    let s = server().await;
    let (mut c, db) = fresh_db(&s, "pitrshow").await;
    exec(&mut c, "CREATE TABLE t1 (a INT)").await;
    let p_db = unique("p_db");
    let p_tbl = unique("P_TBL");
    exec(&mut c, &format!("create pitr {p_db} for database {db} range 2 'h'")).await;
    exec(&mut c, &format!("create pitr `{p_tbl}` for table {db} t1 range 3 'D'")).await;
    let p_tbl = p_tbl.to_lowercase();

    let r = rows(&mut c, "show pitr").await;
    let names: Vec<&str> = r[0].columns().iter().map(sqlx::Column::name).collect();
    assert_eq!(
        names,
        [
            "PITR_NAME",
            "CREATED_TIME",
            "MODIFIED_TIME",
            "PITR_LEVEL",
            "ACCOUNT_NAME",
            "DATABASE_NAME",
            "TABLE_NAME",
            "PITR_LENGTH",
            "PITR_UNIT"
        ]
    );

    let r = rows(&mut c, &format!("show pitr where pitr_name = '{p_tbl}'")).await;
    assert_eq!(r.len(), 1);
    let names: Vec<&str> = r[0].columns().iter().map(sqlx::Column::name).collect();
    assert_eq!(names[0], "pitr_name", "labels are lower-case with WHERE");
    assert_eq!(r[0].get::<String, _>(3), "table");
    assert_eq!(r[0].get::<String, _>(4), "sys");
    assert_eq!(r[0].get::<String, _>(5), db);
    assert_eq!(r[0].get::<String, _>(6), "t1");
    assert_eq!(r[0].get::<i64, _>(7), 3);
    assert_eq!(r[0].get::<String, _>(8), "d");

    exec(&mut c, &format!("alter pitr {p_db} range 100 'd'")).await;
    let r = rows(&mut c, &format!("SHOW PITR WHERE PITR_NAME = '{p_db}'")).await;
    assert_eq!(
        (r[0].get::<String, _>(6), r[0].get::<i64, _>(7), r[0].get::<String, _>(8)),
        ("*".to_owned(), 100, "d".to_owned())
    );
    exec(&mut c, &format!("drop pitr {p_db}")).await;
    exec(&mut c, &format!("drop pitr if exists {p_db}")).await;
    assert!(rows(&mut c, &format!("show pitr where pitr_name = '{p_db}'")).await.is_empty());
    cleanup(&mut c, &[&db], &[], &[&p_db, &p_tbl]).await;
}

#[tokio::test]
async fn pitr_validation_errors() {
    let s = server().await;
    let (mut c, db) = fresh_db(&s, "pitrerr").await;
    exec(&mut c, "CREATE TABLE table01 (a INT)").await;
    let p = unique("p_err");
    let p2 = unique("p_err2");
    exec(&mut c, &format!("create pitr {p} for database {db} range 1 'h'")).await;
    let cases = [
        (
            format!("create pitr {p} for database {db} range 1 'h'"),
            format!("internal error: pitr {p} already exists"),
        ),
        (
            format!("create pitr {p2} for database {db} range 102 'h'"),
            "internal error: invalid pitr value 102".to_owned(),
        ),
        (
            format!("create pitr {p2} for database {db} range 0 'h'"),
            "internal error: invalid pitr value 0".to_owned(),
        ),
        (
            format!("create pitr {p2} for database {db} range 1 'day'"),
            "internal error: invalid pitr unit day".to_owned(),
        ),
        (
            format!("create pitr {p2} for database {db} range 1 'DAY'"),
            "internal error: invalid pitr unit day".to_owned(),
        ),
        (
            format!("create pitr {p2} for database mo_catalog range 1 'h'"),
            "internal error: can not create pitr for current database mo_catalog".to_owned(),
        ),
        (
            format!("create pitr {p2} for database {db} range 1 'yy'"),
            "internal error: invalid pitr unit yy".to_owned(),
        ),
        (
            format!("create pitr {p2} for database {db} range 1 'h'"),
            format!("internal error: database `{db}` already has a pitr"),
        ),
        (
            format!("create pitr {p2} for database db_missing_mosim range 1 'h'"),
            "internal error: database db_missing_mosim does not exist".to_owned(),
        ),
        (
            format!("create pitr {p2} for table {db} table02 range 1 'h'"),
            format!("internal error: table {db}.table02 does not exist"),
        ),
        (
            "alter pitr pitr100_mosim range 1 'd'".to_owned(),
            "internal error: pitr pitr100_mosim does not exist".to_owned(),
        ),
        (
            "drop pitr pitr100_mosim".to_owned(),
            "internal error: pitr pitr100_mosim does not exist".to_owned(),
        ),
        (
            format!("restore database {db} from pitr pitr_missing_mosim '2026-05-24 12:00:00'"),
            "internal error: pitr pitr_missing_mosim does not exist".to_owned(),
        ),
    ];
    for (sql, want) in cases {
        let (code, msg) = err(&mut c, &sql).await;
        assert_eq!((code, msg.as_str()), (20101, want.as_str()), "{sql}");
    }
    exec(&mut c, &format!("create pitr {p2} for table {db} table01 range 1 'mo'")).await;
    let (code, msg) = err(&mut c, &format!("create pitr {}x for table {db} table01 range 1 'y'", p2)).await;
    assert_eq!(
        (code, msg),
        (20101, format!("internal error: database `{db}` table `table01` already has a pitr"))
    );
    exec(&mut c, &format!("create pitr if not exists {p} for database {db} range 1 'h'")).await;
    exec(&mut c, "alter pitr if exists pitr100_mosim range 1 'd'").await;
    let (code, msg) = err(&mut c, &format!("create pitr {}y for database {db} range -1 'd';", p2)).await;
    assert_eq!(code, 1064);
    assert!(msg.starts_with("SQL parser error") && msg.ends_with("near \" -1 'd';\";"), "{msg}");
    cleanup(&mut c, &[&db], &[], &[&p, &p2]).await;
}

#[tokio::test]
async fn restore_database_from_pitr_at_a_second() {
    let s = server().await;
    let (mut c, db) = fresh_db(&s, "pitrrst").await;
    let p = unique("p_rst");
    exec(&mut c, "CREATE TABLE t (a INT)").await;
    exec(&mut c, "INSERT INTO t VALUES (1)").await;
    exec(&mut c, &format!("create pitr {p} for database {db} range 1 'h'")).await;
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let r = rows(&mut c, "SELECT DATE_FORMAT(UTC_TIMESTAMP(), '%Y-%m-%d %H:%i:%s')").await;
    let ts: String = r[0].get(0);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    exec(&mut c, "INSERT INTO t VALUES (2)").await;
    exec(&mut c, "CREATE TABLE later (x INT)").await;
    exec(&mut c, "DELETE FROM t WHERE a = 1").await;

    exec(&mut c, &format!("restore database {db} table t from pitr {p} '{ts}'")).await;
    assert_eq!(ints(&mut c, "SELECT a FROM t").await, vec![1]);
    exec(&mut c, "INSERT INTO t VALUES (3)").await;
    exec(&mut c, &format!("restore account sys database {db} from pitr {p} \"{ts}\"")).await;
    assert_eq!(ints(&mut c, "SELECT a FROM t").await, vec![1]);
    let (code, _) = err(&mut c, "SELECT * FROM later").await;
    assert_eq!(code, 1146, "a table created after the timestamp is dropped");
    // A table dropped since comes back too.
    exec(&mut c, "DROP TABLE t").await;
    exec(&mut c, &format!("restore database {db} from pitr {p} '{ts}'")).await;
    assert_eq!(ints(&mut c, "SELECT a FROM t").await, vec![1]);
    // The bare form restores the current account, which a database PITR cannot do.
    let (code, msg) = err(&mut c, &format!("restore from pitr {p} '{ts}'")).await;
    assert_eq!((code, msg), (20101, format!("internal error: can not restore account sys by pitr {p}")));
    let (code, msg) = err(&mut c, &format!("restore database other_db from pitr {p} '{ts}'")).await;
    assert_eq!(
        (code, msg),
        (20101, format!("internal error: pitr {p} is not allowed to restore database other_db"))
    );
    let (code, msg) = err(&mut c, &format!("restore cluster from pitr {p} '{ts}'")).await;
    assert_eq!(
        (code, msg.as_str()),
        (20101, "internal error: restore level database is not allowed for cluster restore")
    );
    let (code, msg) = err(&mut c, &format!("restore database mo_catalog from pitr {p} '{ts}'")).await;
    assert_eq!((code, msg.as_str()), (20101, "internal error: database mo_catalog can not be restore"));

    let (code, msg) =
        err(&mut c, &format!("restore database {db} from pitr {p} '2999-01-01 00:00:00'")).await;
    assert_eq!(code, 20101);
    assert!(
        msg.starts_with("internal error: input timestamp 2999-01-01 00:00:00 is bigger than now timestamp"),
        "{msg}"
    );
    let (code, msg) =
        err(&mut c, &format!("restore database {db} from pitr {p} '2000-01-01 00:00:00'")).await;
    assert_eq!(code, 20101);
    assert!(
        msg.starts_with(
            "internal error: input timestamp 2000-01-01 00:00:00 is less than the pitr valid time"
        ),
        "{msg}"
    );
    // pitr.go prints both times at second precision.
    let valid = msg.rsplit("valid time ").next().unwrap();
    assert_eq!(valid.len(), "2026-01-02 03:04:05".len(), "{msg}");
    let (code, msg) = err(&mut c, &format!("restore account sys from pitr {p} '{ts}' acc02")).await;
    assert_eq!(
        (code, msg),
        (
            20101,
            format!("internal error: can not restore account sys by pitr {p}, the pitr level is not cluster")
        )
    );
    cleanup(&mut c, &[&db], &[], &[&p]).await;
}
