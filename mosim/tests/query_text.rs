//! Query text is bytes: what a client sends reaches MariaDB unchanged, in the character set
//! the client logged in with, also where mosim rewrites the statement around it.

mod common;

use common::*;
use sqlx::Row;

#[tokio::test]
async fn binary_literals_arrive_byte_for_byte() {
    let s = server().await;
    let (mut c, db) = fresh_db(&s, "qbin").await;
    exec(&mut c, "CREATE TABLE b (id INT, v VARBINARY(16))").await;
    let mut raw = RawClient::connect(&s, &db, UTF8MB4, 0).await;

    let replies = raw.query(b"INSERT INTO b VALUES (1, _binary'\xff\xfe\x80abc')").await;
    assert_eq!(replies, [RawReply::Ok { affected: 1, more: false }]);
    // The prepared path, too.
    let id = raw.prepare(b"INSERT INTO b VALUES (2, _binary'\xff\xfe\x80abd')").await.unwrap();
    assert_eq!(raw.execute(id).await, RawReply::Ok { affected: 1, more: false });

    let r = rows(&mut c, "SELECT HEX(v) FROM b ORDER BY id").await;
    let hex: Vec<String> = r.iter().map(|r| r.get(0)).collect();
    assert_eq!(hex, ["FFFE80616263", "FFFE80616264"]);
    cleanup(&mut c, &[&db], &[], &[]).await;
}

#[tokio::test]
async fn a_latin1_client_is_read_as_latin1() {
    let s = server().await;
    let (mut c, db) = fresh_db(&s, "qlatin").await;
    exec(&mut c, "CREATE TABLE t (s VARCHAR(20)) DEFAULT CHARSET utf8mb4").await;
    let mut latin1 = RawClient::connect(&s, &db, LATIN1, 0).await;

    let replies = latin1.query(b"INSERT INTO t VALUES ('caf\xe9')").await;
    assert_eq!(replies, [RawReply::Ok { affected: 1, more: false }]);
    // A utf8 client reads the same word, stored as UTF-8.
    let r = rows(&mut c, "SELECT s, HEX(s) FROM t").await;
    assert_eq!(
        (r[0].get::<String, _>(0), r[0].get::<String, _>(1)),
        ("café".to_owned(), "636166C3A9".to_owned())
    );

    // A statement mosim rewrites (VERSION(), a snapshot hint) keeps the client's bytes
    // around the parts it replaces, and the latin1 client reads latin1 back.
    let sp = unique("sp_latin");
    exec(&mut c, &format!("CREATE SNAPSHOT {sp} FOR DATABASE {db}")).await;
    let sql = format!("SELECT s, VERSION() FROM t {{SNAPSHOT = '{sp}'}} WHERE s = 'caf\u{e9}'");
    let sql: Vec<u8> = sql.chars().map(|ch| u8::try_from(u32::from(ch)).unwrap()).collect();
    let replies = latin1.query(&sql).await;
    match &replies[..] {
        [RawReply::Rows { rows, more: false }] => {
            assert_eq!(rows.len(), 1, "{replies:?}");
            assert_eq!(rows[0][0].as_deref(), Some(&b"caf\xe9"[..]));
            assert_eq!(rows[0][1].as_deref(), Some(&b"8.0.30-MatrixOne-v4.2.0"[..]));
        }
        other => panic!("{other:?}"),
    }
    cleanup(&mut c, &[&db], &[&sp], &[]).await;
}

#[tokio::test]
async fn a_latin1_table_name_reads_at_a_snapshot() {
    let s = server().await;
    let (mut c, db) = fresh_db(&s, "qlatinname").await;
    let mut latin1 = RawClient::connect(&s, &db, LATIN1, 0).await;
    exec(&mut c, "CREATE TABLE other (a INT)").await;
    // A transaction that began writing before row 1 commits and commits after it, before the
    // snapshot: the reader MariaDB's AS OF TIMESTAMP would pick, and it cannot see row 1.
    let mut concurrent = connect(&s, &db).await;
    exec(&mut concurrent, "BEGIN").await;
    exec(&mut concurrent, "INSERT INTO other VALUES (1)").await;
    // Created through mosim in latin1: versioned by transaction under the name `caf\u{e9}`.
    for sql in [&b"CREATE TABLE `caf\xe9` (a INT)"[..], b"INSERT INTO `caf\xe9` VALUES (1)"] {
        assert_eq!(
            latin1.query(sql).await,
            [RawReply::Ok { affected: u64::from(sql[0] == b'I'), more: false }]
        );
    }
    exec(&mut concurrent, "COMMIT").await;
    let sp = unique("sp_latinname");
    exec(&mut c, &format!("CREATE SNAPSHOT {sp} FOR DATABASE {db}")).await;
    exec(&mut c, "INSERT INTO `caf\u{e9}` VALUES (2)").await;

    // The hint's table is rewritten around the client's bytes of its name, which must still
    // resolve `caf\xe9`.a. mosim's UTF-8 catalog cannot look the name up, so the client's own
    // connection tells how it is versioned: it is read at the snapshot's commit point, not by
    // MariaDB's AS OF TIMESTAMP (which answers what the last transaction committed by then
    // could see, and misses row 1 after the transaction above).
    let sql =
        [&b"SELECT `caf\xe9`.a FROM `caf\xe9` {SNAPSHOT = '"[..], sp.as_bytes(), b"'} ORDER BY a"].concat();
    let replies = latin1.query(&sql).await;
    assert_eq!(replies.len(), 1, "{replies:?}");
    assert_eq!(replies[0].text_rows(), [["1"]]);
    // A UTF-8 client's name is found: the table becomes a derived table at the commit point.
    let sql = format!("SELECT `caf\u{e9}`.a FROM `caf\u{e9}` {{SNAPSHOT = '{sp}'}} ORDER BY a");
    assert_eq!(ints(&mut c, &sql).await, vec![1]);
    cleanup(&mut c, &[&db], &[&sp], &[]).await;
}
