//! A text of several statements runs each of them, as MatrixOne does, whether or not the
//! client asked for CLIENT_MULTI_STATEMENTS; a prepare of several statements is refused.

mod common;

use std::time::Duration;

use common::*;
use sqlx::Row;

fn ok(more: bool) -> RawReply {
    RawReply::Ok { affected: 0, more }
}

#[tokio::test]
async fn every_statement_runs_without_client_multi_statements() {
    let s = server().await;
    let (mut c, db) = fresh_db(&s, "multi").await;
    exec(&mut c, "CREATE TABLE t (a INT)").await;
    let mut raw = RawClient::connect(&s, &db, UTF8MB4, 0).await;

    let replies = raw.query(b"SELECT 1; SELECT 2").await;
    assert_eq!(replies.len(), 2, "{replies:?}");
    assert_eq!(replies[0], RawReply::Rows { rows: vec![vec![Some(b"1".to_vec())]], more: true });
    assert_eq!(replies[1], RawReply::Rows { rows: vec![vec![Some(b"2".to_vec())]], more: false });

    let replies = raw.query(b"INSERT INTO t VALUES (1), (2);\n SELECT a FROM t ORDER BY a;").await;
    assert_eq!(replies[0], RawReply::Ok { affected: 2, more: true });
    assert_eq!(replies[1].text_rows(), [["1"], ["2"]]);
    assert_eq!(replies.len(), 2);

    // The first error ends the text: what ran before it stays done.
    let replies = raw
        .query(b"INSERT INTO t VALUES (3); INSERT INTO no_such_t VALUES (1); INSERT INTO t VALUES (4)")
        .await;
    assert_eq!(replies.len(), 2, "{replies:?}");
    assert_eq!(replies[0], RawReply::Ok { affected: 1, more: true });
    assert!(
        matches!(&replies[1], RawReply::Err { code: 1146, message } if message.contains("no_such_t")),
        "{replies:?}"
    );
    assert_eq!(ints(&mut c, "SELECT a FROM t ORDER BY a").await, [1, 2, 3]);

    // MatrixOne statements and plain ones mix; sqlx (which sets the flag) sees the same.
    let replies = raw.query(b"SET @x = 5; SELECT @x + 1; SHOW PUBLICATIONS").await;
    assert_eq!(replies[0], ok(true));
    assert_eq!(replies[1].text_rows(), [["6"]]);
    assert!(matches!(replies[2], RawReply::Rows { more: false, .. }), "{replies:?}");
    assert_eq!(ints(&mut c, "SELECT 7; SELECT a FROM t WHERE a = 3").await, [7, 3]);
    cleanup(&mut c, &[&db], &[], &[]).await;
}

#[tokio::test]
async fn a_stacked_query_runs_as_on_matrixone() {
    let s = server().await;
    let (mut c, db) = fresh_db(&s, "stacked").await;
    let victim = unique("victim");
    exec(&mut c, &format!("CREATE DATABASE {victim}")).await;
    exec(&mut c, "CREATE TABLE t (a VARCHAR(40))").await;
    let mut raw = RawClient::connect(&s, &db, UTF8MB4, 0).await;
    // What an application that formats `name` into its SQL sends for hostile names.
    for name in ["1'; INSERT INTO t VALUES ('pwned'); -- ", &format!("1'; DROP DATABASE {victim}; -- ")] {
        let replies = raw.query(format!("SELECT * FROM t WHERE a = '{name}'").as_bytes()).await;
        assert_eq!(replies.len(), 2, "{replies:?}");
        assert_eq!(replies[0], RawReply::Rows { rows: vec![], more: true });
    }
    let r = rows(&mut c, "SELECT a FROM t").await;
    assert_eq!(r.iter().map(|r| r.get::<String, _>(0)).collect::<Vec<_>>(), ["pwned"]);
    let r = rows(
        &mut c,
        &format!("SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = '{victim}'"),
    )
    .await;
    assert_eq!(r[0].get::<i64, _>(0), 0, "the stacked DROP DATABASE ran");
    cleanup(&mut c, &[&db], &[], &[]).await;
}

#[tokio::test]
async fn stored_programs_and_executable_comments_stay_whole() {
    let s = server().await;
    let (mut c, db) = fresh_db(&s, "compound").await;
    let mut raw = RawClient::connect(&s, &db, UTF8MB4, 0).await;
    let replies = raw
        .query(
            b"CREATE PROCEDURE p(n INT) BEGIN DECLARE i INT DEFAULT 0; \
              WHILE i < n DO SET i = i + 1; END WHILE; SELECT i; END; \
              CALL p(3); /*!40101 SET @v = 9 */; SELECT @v",
        )
        .await;
    // CREATE, then CALL's row set and its closing OK, then SET and SELECT.
    assert_eq!(replies.len(), 5, "{replies:?}");
    assert_eq!(replies[0], ok(true));
    assert_eq!(replies[1].text_rows(), [["3"]]);
    assert_eq!(replies[2], ok(true));
    assert_eq!(replies[3], ok(true));
    assert_eq!(replies[4].text_rows(), [["9"]]);
    cleanup(&mut c, &[&db], &[], &[]).await;
}

#[tokio::test]
async fn preparing_several_statements_is_refused() {
    let s = server().await;
    let mut raw = RawClient::connect(&s, "test", UTF8MB4, MULTI_STATEMENTS).await;
    let e = raw.prepare(b"SELECT 1; SELECT 2").await.unwrap_err();
    assert_eq!(e, (20105, "not supported: prepare multi statements".to_owned()));
    // One statement with a trailing `;` is still one.
    raw.prepare(b"SELECT 1;").await.unwrap();
    let mut c = connect(&s, "test").await;
    let e = sqlx::query("SELECT ?; SELECT 2").bind(1).execute(&mut c).await.unwrap_err();
    assert_eq!(db_error(e), (20105, "not supported: prepare multi statements".to_owned()));
}

#[tokio::test]
async fn use_then_create_records_the_table_in_the_new_database() {
    let s = server().await;
    let mut c = connect(&s, "test").await;
    let db = unique("usecreate");
    exec(&mut c, &format!("CREATE DATABASE {db}")).await;
    let p = unique("p_use");
    exec(&mut c, &format!("create pitr {p} for database {db} range 1 'h'")).await;
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let r = rows(&mut c, "SELECT DATE_FORMAT(UTC_TIMESTAMP(), '%Y-%m-%d %H:%i:%s')").await;
    let ts: String = r[0].get(0);
    tokio::time::sleep(Duration::from_millis(1100)).await;

    // The session is in `test` when the text starts; the table is made in `db`.
    exec(&mut c, &format!("USE {db}; CREATE TABLE later (x INT)")).await;
    let r = rows(&mut c, "SELECT database_name FROM mo_catalog.mo_created WHERE table_name = 'later'").await;
    let recorded: Vec<String> = r.iter().map(|r| r.get(0)).collect();
    assert!(recorded.contains(&db), "{recorded:?}");

    // So a restore to before it knows the table did not exist then.
    exec(&mut c, &format!("restore database {db} from pitr {p} '{ts}'")).await;
    let (code, _) = err(&mut c, &format!("SELECT * FROM {db}.later")).await;
    assert_eq!(code, 1146, "a table created after the timestamp is dropped");
    exec(&mut c, "USE test").await;
    cleanup(&mut c, &[&db], &[], &[&p]).await;
}
