//! MatrixOne's protocol rules: what COM_STMT_PREPARE refuses, and SHOW PUBLICATIONS' 0xF1.

mod common;

use common::*;

#[tokio::test]
async fn prepare_refuses_what_matrixone_cannot_prepare() {
    let s = server().await;
    let (mut c, db) = fresh_db(&s, "prep").await;
    exec(&mut c, "CREATE TABLE t (a INT)").await;
    let sp = unique("sp_prep");

    let sql = format!("create snapshot {sp} for database {db}");
    let e = sqlx::query(sqlx::AssertSqlSafe(sql.clone())).execute(&mut c).await.unwrap_err();
    assert_eq!(db_error(e), (20101, format!("internal error: statement: '{sql}'")));
    exec(&mut c, &sql).await;
    let sql = format!("drop snapshot {sp}");
    let e = sqlx::query(sqlx::AssertSqlSafe(sql.clone())).execute(&mut c).await.unwrap_err();
    assert_eq!(db_error(e), (20101, format!("internal error: statement: '{sql}'")));

    for sql in
        [format!("restore database {db}{{snapshot='{sp}'}}"), "data branch create table x from t".to_owned()]
    {
        let e = sqlx::query(sqlx::AssertSqlSafe(sql.clone())).execute(&mut c).await.unwrap_err();
        let (code, msg) = db_error(e);
        assert_eq!(code, 1064, "{sql}");
        assert!(msg.starts_with("SQL parser error"), "{msg}");
    }

    // What MatrixOne does prepare works: CREATE/DROP PITR and SHOW SNAPSHOTS.
    let p = unique("p_prep");
    sqlx::query(sqlx::AssertSqlSafe(format!("create pitr {p} for database {db} range 1 'h'")))
        .execute(&mut c)
        .await
        .unwrap();
    let n: Vec<(String,)> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("show snapshots where snapshot_name = '{sp}'")))
            .fetch_all(&mut c)
            .await
            .unwrap();
    assert_eq!(n, vec![(sp.clone(),)]);
    sqlx::query(sqlx::AssertSqlSafe(format!("drop pitr {p}"))).execute(&mut c).await.unwrap();
    assert!(rows(&mut c, &format!("show pitr where pitr_name = '{p}'")).await.is_empty());
    cleanup(&mut c, &[&db], &[&sp], &[]).await;
}

#[tokio::test]
async fn show_publications_sends_matrixones_0xf1_columns() {
    let s = server().await;
    let mut c = connect(&s, "test").await;
    // sqlx rejects the non-MySQL type code, exactly as it does against MatrixOne (§10.4).
    let e = sqlx::Executor::execute(&mut c, "SHOW PUBLICATIONS").await.unwrap_err();
    assert!(e.to_string().contains("0xf1"), "{e}");
}

#[tokio::test]
async fn statements_outside_the_simulation_say_so() {
    let s = server().await;
    let mut c = connect(&s, "test").await;
    for sql in [
        // Accounts and publications are simulated now (tests/account.rs).
        "show roles",
        "create cluster table ct1 (a int)",
    ] {
        let (code, msg) = err(&mut c, sql).await;
        assert_eq!(code, 20105, "{sql}");
        assert!(msg.starts_with("not supported: "), "{msg}");
    }
}
