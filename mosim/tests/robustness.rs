//! What a misbehaving or unusual client gets: oversized and silent connections, too many of
//! them, TLS requests, COM_FIELD_LIST, a connection reset, an out-of-range timestamp hint.

mod common;

use std::time::Duration;

use common::*;
use sqlx::Connection;

/// How long any test waits for mosim to close a connection before calling it a failure.
const CLOSE_LIMIT: Duration = Duration::from_secs(10);

async fn server_with(config: mosim::Config) -> mosim::Server {
    mosim::Server::start_with(config).await.expect("mosim needs MariaDB at 127.0.0.1:3306")
}

#[tokio::test]
async fn a_huge_header_before_login_is_refused_at_once() {
    // A handshake timeout far above the wait: only the size check can close this in time.
    let s = server_with(mosim::Config::new(BACKEND).handshake_timeout(Duration::from_secs(300))).await;
    let mut raw = Raw::connect(s.addr()).await;
    use tokio::io::AsyncWriteExt;
    raw.stream.write_all(&[0xFF, 0xFF, 0xFF, 0x01]).await.unwrap();
    assert!(raw.closed_within(CLOSE_LIMIT).await, "mosim kept a 16 MiB pre-login packet open");
}

#[tokio::test]
async fn a_silent_client_is_closed_after_the_handshake_timeout() {
    let s = server_with(mosim::Config::new(BACKEND).handshake_timeout(Duration::from_millis(300))).await;
    let mut raw = Raw::connect(s.addr()).await;
    assert!(raw.closed_within(CLOSE_LIMIT).await, "a client that never logged in was kept");
    // A half-sent login is no better: it claims 100 bytes and sends none.
    let mut raw = Raw::connect(s.addr()).await;
    use tokio::io::AsyncWriteExt;
    raw.stream.write_all(&[100, 0, 0, 1]).await.unwrap();
    assert!(raw.closed_within(CLOSE_LIMIT).await, "a half-sent login was kept");
}

#[tokio::test]
async fn an_idle_client_is_closed_after_the_idle_timeout() {
    let s = server_with(mosim::Config::new(BACKEND).idle_timeout(Duration::from_millis(300))).await;
    let mut raw = Raw::login(s.addr(), None, caps::SQLX).await;
    assert_eq!(raw.query("SELECT 1").await, Reply::Rows(vec![vec![Some("1".into())]]));
    assert!(raw.closed_within(CLOSE_LIMIT).await, "an idle client was kept");
}

#[tokio::test]
async fn a_connection_over_the_limit_gets_1040() {
    let s = server_with(mosim::Config::new(BACKEND).max_connections(2)).await;
    let a = connect(&s, "test").await;
    let _b = connect(&s, "test").await;
    let e = sqlx::MySqlConnection::connect(&s.url("test")).await.unwrap_err();
    let (code, msg) = db_error(e);
    assert_eq!(code, 1040);
    assert_eq!(msg, "Too many connections");
    // A slot frees when a client leaves.
    a.close().await.unwrap();
    let freed =
        eventually(CLOSE_LIMIT, || async { sqlx::MySqlConnection::connect(&s.url("test")).await.is_ok() })
            .await;
    assert!(freed, "the slot of a closed connection was not reused");
}

#[tokio::test]
async fn a_command_over_max_packet_gets_1153_and_is_closed() {
    let s = server_with(mosim::Config::new(BACKEND).max_packet(1 << 20)).await;
    let mut raw = Raw::login(s.addr(), None, caps::SQLX).await;
    let mut p = b"\x03SELECT '".to_vec();
    p.resize(2 << 20, b'a');
    p.push(b'\'');
    raw.command(&p).await;
    match raw.reply().await {
        Reply::Err(code, msg) => {
            assert_eq!(code, 1153, "{msg}");
            assert!(msg.contains("max_allowed_packet"), "{msg}");
        }
        other => panic!("expected 1153, got {other:?}"),
    }
    assert!(raw.closed_within(CLOSE_LIMIT).await);
}

#[tokio::test]
async fn a_query_over_16_mib_still_arrives_in_continuation_packets() {
    let s = server().await;
    let mut raw = Raw::login(s.addr(), None, caps::SQLX).await;
    // mosim answers SHOW PUBLICATIONS itself, so MariaDB's own packet limit does not apply.
    let mut sql = b"\x03SHOW PUBLICATIONS /* ".to_vec();
    sql.resize(0xFF_FFFF + 1000, b'x');
    sql.extend_from_slice(b" */");
    raw.command(&sql).await;
    assert_eq!(raw.reply().await, Reply::Rows(vec![]));
    assert_eq!(raw.query("SELECT 2").await, Reply::Rows(vec![vec![Some("2".into())]]));
}

#[tokio::test]
async fn an_ssl_request_gets_an_error_that_says_so() {
    let s = server().await;
    let mut raw = Raw::connect(s.addr()).await;
    let mut p = (caps::SQLX | caps::SSL).to_le_bytes().to_vec();
    p.extend_from_slice(&(16u32 << 20).to_le_bytes());
    p.push(45);
    p.extend_from_slice(&[0u8; 23]);
    raw.write(&p).await;
    let answer = raw.read().await.expect("an error packet before the close");
    assert_eq!(answer[0], 0xFF, "{answer:?}");
    let (code, msg) = parse_err_packet(&answer);
    assert_eq!(code, 2026);
    assert!(msg.contains("does not support TLS") && msg.contains("ssl-mode=DISABLED"), "{msg}");
    assert!(raw.closed_within(CLOSE_LIMIT).await);
}

#[tokio::test]
async fn com_field_list_is_answered_by_mariadb() {
    let s = server().await;
    let (mut c, db) = fresh_db(&s, "fieldlist").await;
    exec(&mut c, "CREATE TABLE t (a INT, bee VARCHAR(5))").await;
    for caps in [caps::SQLX, caps::LEGACY] {
        let mut raw = Raw::login(s.addr(), Some(&db), caps).await;
        raw.command(b"\x04t\0").await;
        let mut names = Vec::new();
        loop {
            let p = raw.read().await.expect("a column definition or EOF");
            assert_ne!(p[0], 0xFF, "{:?}", parse_err_packet(&p));
            if p[0] == 0xFE {
                break;
            }
            // catalog, schema, table, org_table, then the name.
            let mut pos = 0;
            for _ in 0..4 {
                let n = lenenc(&p, &mut pos) as usize;
                pos += n;
            }
            let n = lenenc(&p, &mut pos) as usize;
            names.push(String::from_utf8_lossy(&p[pos..pos + n]).into_owned());
        }
        assert_eq!(names, ["a", "bee"]);
        // The session goes on.
        assert_eq!(raw.query("SELECT 3").await, Reply::Rows(vec![vec![Some("3".into())]]));
    }
    cleanup(&mut c, &[&db], &[], &[]).await;
}

/// COM_STMT_EXECUTE of statement `id` without parameters.
fn execute_packet(id: u32) -> Vec<u8> {
    let mut p = vec![0x17];
    p.extend_from_slice(&id.to_le_bytes());
    p.push(0);
    p.extend_from_slice(&1u32.to_le_bytes());
    p
}

#[tokio::test]
async fn a_connection_reset_forgets_mosims_own_prepared_statements() {
    let s = server().await;
    let (mut c, db) = fresh_db(&s, "reset").await;
    let mut raw = Raw::login(s.addr(), Some(&db), caps::SQLX).await;
    // mosim runs a prepared DROP TABLE itself, under an id of its own.
    let mut p = vec![0x16];
    p.extend_from_slice(b"DROP TABLE IF EXISTS no_such_table");
    raw.command(&p).await;
    let ok = raw.read().await.unwrap();
    assert_eq!(ok[0], 0, "{:?}", parse_err_packet(&ok));
    let id = u32::from_le_bytes(ok[1..5].try_into().unwrap());
    raw.command(&execute_packet(id)).await;
    assert_eq!(raw.reply().await, Reply::Ok);

    raw.command(&[0x1F]).await;
    assert_eq!(raw.reply().await, Reply::Ok);
    raw.command(&execute_packet(id)).await;
    match raw.reply().await {
        Reply::Err(code, msg) => {
            assert_eq!(code, 1243, "{msg}");
            assert!(msg.contains(&format!("({id})")), "{msg}");
        }
        other => panic!("a reset statement still ran: {other:?}"),
    }
    cleanup(&mut c, &[&db], &[], &[]).await;
}

#[tokio::test]
async fn an_out_of_range_timestamp_hint_is_an_error_not_a_lost_connection() {
    let s = server().await;
    let (mut c, db) = fresh_db(&s, "farhint").await;
    exec(&mut c, "CREATE TABLE t (a INT)").await;
    let (code, msg) = err(&mut c, "SELECT * FROM t {TIMESTAMP = '999999999999-01-01 00:00:00'}").await;
    assert_eq!(code, 20203, "{msg}");
    assert_eq!(msg, "invalid argument invalid timestamp value, bad value 999999999999-01-01 00:00:00");
    // The connection survived.
    assert!(ints(&mut c, "SELECT a FROM t").await.is_empty());
    cleanup(&mut c, &[&db], &[], &[]).await;
}
