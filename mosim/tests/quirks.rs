//! The opt-in MatrixOne quirks: `quirk_prepared_null_shape` (#28138 / #26874) and
//! `quirk_ignore_quit` (no close on COM_QUIT), each against a normal mosim for contrast, and
//! their command-line flags.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use common::*;
use sqlx::{AssertSqlSafe, Connection, MySqlConnection, Row};

async fn server_with(config: mosim::Config) -> mosim::Server {
    mosim::Server::start_with(config).await.expect("mosim needs MariaDB at 127.0.0.1:3306")
}

/// Runs the reproduction of #28138 on one connection: a persistent prepared INSERT with a NULL
/// parent, then with a value. Returns the parents stored, in order.
async fn prepared_twice(c: &mut MySqlConnection) -> Vec<Option<String>> {
    let t = unique("null_shape");
    exec(c, &format!("CREATE TABLE {t} (id VARCHAR(64) PRIMARY KEY, parent_id VARCHAR(64) NULL, n INT)"))
        .await;
    let sql = format!("INSERT INTO {t} (id, parent_id, n) VALUES (?, ?, ?)");
    for (id, parent, n) in [("root", None, 1), ("child", Some("root"), 2), ("other", Some("x"), 3)] {
        sqlx::query(AssertSqlSafe(sql.clone())).bind(id).bind(parent).bind(n).execute(&mut *c).await.unwrap();
    }
    let rows = rows(c, &format!("SELECT parent_id, n FROM {t} ORDER BY n")).await;
    // The values around the dropped one arrive intact: the packet was cut at the right place.
    assert_eq!(rows.iter().map(|r| r.get::<i32, _>(1)).collect::<Vec<_>>(), [1, 2, 3]);
    exec(c, &format!("DROP TABLE {t}")).await;
    rows.iter().map(|r| r.get::<Option<String>, _>(0)).collect()
}

#[tokio::test]
async fn a_reexecuted_prepared_statement_keeps_its_first_null_shape() {
    let quirky = server_with(mosim::Config::new(BACKEND).quirk_prepared_null_shape(true)).await;
    let mut c = connect(&quirky, "test").await;
    assert_eq!(prepared_twice(&mut c).await, [None, None, None], "later parents are lost");
    // A new connection has statements of its own, with shapes of their own.
    let mut fresh = connect(&quirky, "test").await;
    let t = unique("null_shape_fresh");
    exec(&mut fresh, &format!("CREATE TABLE {t} (v VARCHAR(8))")).await;
    let insert = format!("INSERT INTO {t} VALUES (?)");
    for v in [Some("a"), None, Some("b")] {
        sqlx::query(AssertSqlSafe(insert.clone())).bind(v).execute(&mut fresh).await.unwrap();
    }
    let stored = rows(&mut fresh, &format!("SELECT v FROM {t}")).await;
    let mut stored: Vec<Option<String>> = stored.iter().map(|r| r.get(0)).collect();
    stored.sort();
    assert_eq!(stored, [None, Some("a".into()), Some("b".into())], "no NULL first: nothing lost");
    exec(&mut fresh, &format!("DROP TABLE {t}")).await;

    let normal = server().await;
    let mut c = connect(&normal, "test").await;
    assert_eq!(prepared_twice(&mut c).await, [None, Some("root".into()), Some("x".into())]);
}

/// Reads MariaDB's process list for thread `id` (mosim advertises its backend thread's id).
async fn backend_alive(id: u32) -> bool {
    let mut d = direct().await;
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = ?")
        .bind(id)
        .fetch_one(&mut d)
        .await
        .unwrap();
    n == 1
}

#[tokio::test]
async fn com_quit_is_ignored_until_the_client_closes_or_idles_out() {
    const QUIT: &[u8] = &[0x01];
    let normal = server().await;
    let mut raw = Raw::login(normal.addr(), Some("test"), caps::SQLX).await;
    raw.command(QUIT).await;
    assert!(raw.closed_within(Duration::from_secs(5)).await, "a normal mosim closes on COM_QUIT");

    let quirky = server_with(mosim::Config::new(BACKEND).quirk_ignore_quit(true)).await;
    let mut raw = Raw::login(quirky.addr(), Some("test"), caps::SQLX).await;
    let thread = raw.conn_id;
    raw.command(QUIT).await;
    assert!(!raw.closed_within(Duration::from_millis(500)).await, "still open after COM_QUIT");
    // Whatever follows is read and dropped, never answered.
    raw.command(b"\x03SELECT 1").await;
    assert!(!raw.closed_within(Duration::from_millis(300)).await);
    assert!(backend_alive(thread).await, "the session lives on");
    drop(raw);
    let gone = eventually(Duration::from_secs(5), || async { !backend_alive(thread).await }).await;
    assert!(gone, "the session ends once the client closes its socket");

    // Silent past the idle timeout: closed then.
    let idle = server_with(
        mosim::Config::new(BACKEND).quirk_ignore_quit(true).idle_timeout(Duration::from_millis(300)),
    )
    .await;
    let mut raw = Raw::login(idle.addr(), Some("test"), caps::SQLX).await;
    raw.command(QUIT).await;
    assert!(raw.closed_within(Duration::from_secs(5)).await, "closed after the idle timeout");
}

#[tokio::test]
async fn the_binary_takes_the_quirk_flags() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mosim"))
        .args(["--listen", "127.0.0.1:0", "--backend", BACKEND])
        .args(["--quirk-prepared-null-shape", "--quirk-ignore-quit"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let addr: std::net::SocketAddr = line.trim().rsplit(' ').next().unwrap().parse().unwrap();

    let mut c = MySqlConnection::connect(&format!("mysql://root:111@{addr}/test")).await.unwrap();
    assert_eq!(prepared_twice(&mut c).await, [None, None, None]);
    drop(c);
    let mut raw = Raw::login(addr, None, caps::SQLX).await;
    raw.command(&[0x01]).await;
    assert!(!raw.closed_within(Duration::from_millis(500)).await, "COM_QUIT ignored");
    drop(raw);
    child.kill().unwrap();
    child.wait().unwrap();
}
