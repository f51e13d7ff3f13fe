//! MatrixOne's catalog databases, where mosim keeps its own catalog, are read-only to
//! clients: MatrixOne's `internal error: do not have privilege to execute the statement`.
//!
//! The backend is shared, so every probe but the last would do no harm if mosim let it
//! through (missing objects, `WHERE 1 = 0`): a mosim without the guard fails this test
//! long before `DROP DATABASE mo_catalog`.

mod common;

use common::*;
use sqlx::Row;

const NO_PRIVILEGE: (u16, &str) = (20101, "internal error: do not have privilege to execute the statement");

#[tokio::test]
async fn catalog_databases_refuse_writes() {
    let s = server().await;
    let mut c = connect(&s, "test").await;
    let count = "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'mo_catalog'";
    let tables = rows(&mut c, count).await[0].get::<i64, _>(0);
    assert!(tables >= 5, "mosim's catalog exists: {tables}");

    for sql in [
        "DROP DATABASE IF EXISTS mo_debug",
        "drop schema if exists SYSTEM_METRICS",
        "DROP TABLE mo_catalog.no_such_table_mosim",
        "DROP TABLE IF EXISTS test.no_such_table_mosim, mo_catalog.no_such_table_mosim",
        "TRUNCATE TABLE mo_catalog.no_such_table_mosim",
        "ALTER TABLE mo_catalog.no_such_table_mosim ADD COLUMN x INT",
        "RENAME TABLE mo_catalog.no_such_table_mosim TO test.no_such_table_mosim",
        "DELETE FROM mo_catalog.mo_snapshots WHERE 1 = 0",
        "UPDATE mo_catalog.mo_pitr SET pitr_length = 1 WHERE 1 = 0",
        "INSERT INTO mo_catalog.mo_created SELECT * FROM mo_catalog.mo_created WHERE 1 = 0",
        "CREATE TABLE IF NOT EXISTS mo_catalog.mo_pitr (a INT)",
    ] {
        let (code, msg) = err(&mut c, sql).await;
        assert_eq!((code, msg.as_str()), NO_PRIVILEGE, "{sql}");
    }
    // Through the current database, in a multi-statement text, and prepared.
    let (code, msg) = err(&mut c, "USE mo_catalog; DELETE FROM mo_pitr WHERE 1 = 0").await;
    assert_eq!((code, msg.as_str()), NO_PRIVILEGE);
    let (code, msg) = err(&mut c, "DROP TABLE mo_no_such_table_mosim").await;
    assert_eq!((code, msg.as_str()), NO_PRIVILEGE);
    let e = sqlx::query("DELETE FROM mo_catalog.mo_snapshots WHERE sname = ? AND 1 = 0")
        .bind("x")
        .execute(&mut c)
        .await
        .unwrap_err();
    assert_eq!(db_error(e), (NO_PRIVILEGE.0, NO_PRIVILEGE.1.to_owned()));
    // Reading stays allowed.
    rows(&mut c, "SELECT COUNT(*) FROM mo_snapshots").await;
    exec(&mut c, "USE test").await;

    let (code, msg) = err(&mut c, "DROP DATABASE mo_catalog").await;
    assert_eq!((code, msg.as_str()), NO_PRIVILEGE);
    assert_eq!(rows(&mut c, count).await[0].get::<i64, _>(0), tables, "the catalog is untouched");

    // A user table with a catalog-like name in a user database is the user's own.
    let (mut u, db) = fresh_db(&s, "guard").await;
    exec(&mut u, "CREATE TABLE mo_pitr (a INT); INSERT INTO mo_pitr VALUES (1); DELETE FROM mo_pitr").await;
    exec(&mut u, "DROP TABLE mo_pitr").await;
    cleanup(&mut u, &[&db], &[], &[]).await;
}
