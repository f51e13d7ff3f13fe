//! Cancelling: the connection id a client is greeted with is the one KILL and
//! COM_PROCESS_KILL act on, and a client that leaves mid-statement stops that statement.

mod common;

use std::time::{Duration, Instant};

use common::*;

/// Long enough that finishing it naturally is unmistakable.
const SLEEP_SECS: u64 = 10;
/// Every wait in these tests is bounded by this.
const LIMIT: Duration = Duration::from_secs(30);

/// Starts `SELECT SLEEP(..), marker` on `raw` and waits until MariaDB runs it.
async fn start_sleep(raw: &mut Raw, marker: &str) {
    let mut p = vec![0x03];
    p.extend_from_slice(format!("SELECT SLEEP({SLEEP_SECS}), '{marker}'").as_bytes());
    raw.command(&p).await;
    assert!(wait_running(marker, 1, LIMIT).await, "the sleep never started");
}

/// A killed SLEEP answers 1 (MariaDB's interrupted sleep) or error 1317; either way early.
fn assert_interrupted(reply: &Reply, since: Instant) {
    match reply {
        Reply::Rows(rows) => assert_eq!(rows[0][0].as_deref(), Some("1"), "{rows:?}"),
        Reply::Err(code, msg) => assert_eq!(*code, 1317, "{msg}"),
        Reply::Ok => panic!("a SELECT answered OK"),
    }
    assert!(since.elapsed() < Duration::from_secs(SLEEP_SECS - 2), "the sleep ran to its end");
}

#[tokio::test]
async fn kill_query_with_the_greetings_id_stops_the_statement() {
    let s = server().await;
    let marker = unique("killq");
    let mut a = Raw::login(s.addr(), None, caps::SQLX).await;
    start_sleep(&mut a, &marker).await;
    let mut b = connect(&s, "test").await;
    let since = Instant::now();
    exec(&mut b, &format!("KILL QUERY {}", a.conn_id)).await;
    let reply = tokio::time::timeout(LIMIT, a.reply()).await.expect("A answered");
    assert_interrupted(&reply, since);
    // Only the query died: A goes on.
    assert_eq!(a.query("SELECT 4").await, Reply::Rows(vec![vec![Some("4".into())]]));
}

#[tokio::test]
async fn connection_id_is_the_id_of_the_greeting() {
    let s = server().await;
    let mut a = Raw::login(s.addr(), None, caps::SQLX).await;
    let want = Reply::Rows(vec![vec![Some(a.conn_id.to_string())]]);
    assert_eq!(a.query("SELECT CONNECTION_ID()").await, want);
}

#[tokio::test]
async fn a_client_with_other_capabilities_is_killed_by_its_greetings_id_too() {
    let s = server().await;
    let marker = unique("killremap");
    // Legacy EOF framing needs a backend connection of its own, with another thread id.
    let mut a = Raw::login(s.addr(), None, caps::LEGACY).await;
    let Reply::Rows(rows) = a.query("SELECT CONNECTION_ID()").await else { panic!("no id") };
    assert_ne!(rows[0][0].as_deref(), Some(a.conn_id.to_string().as_str()), "not remapped");
    start_sleep(&mut a, &marker).await;
    // COM_PROCESS_KILL, as old clients send it, names the greeting's id.
    let mut b = Raw::login(s.addr(), None, caps::SQLX).await;
    let since = Instant::now();
    let mut p = vec![0x0C];
    p.extend_from_slice(&a.conn_id.to_le_bytes());
    b.command(&p).await;
    assert_eq!(b.reply().await, Reply::Ok);
    // A whole-connection kill: A gets an error or the connection closes.
    let reply = tokio::time::timeout(LIMIT, async {
        let first = a.read().await?;
        Some(first)
    })
    .await
    .expect("A answered");
    if let Some(p) = reply {
        assert_eq!(p[0], 0xFF, "{p:?}");
    }
    assert!(since.elapsed() < Duration::from_secs(SLEEP_SECS - 2), "the sleep ran to its end");
}

#[tokio::test]
async fn sdk_style_cancel_by_connection_id_stops_the_statement() {
    let s = server().await;
    let marker = unique("killsdk");
    let mut a = connect(&s, "test").await;
    let id: u64 = sqlx::query_scalar("SELECT CONNECTION_ID()").fetch_one(&mut a).await.unwrap();
    let sql = format!("SELECT SLEEP({SLEEP_SECS}), '{marker}'");
    let sleeping = tokio::spawn(async move {
        let started = Instant::now();
        let r = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql)).fetch_one(&mut a).await;
        (r, started)
    });
    assert!(wait_running(&marker, 1, LIMIT).await, "the sleep never started");
    let mut b = connect(&s, "test").await;
    exec(&mut b, &format!("KILL QUERY {id}")).await;
    let (r, started) = tokio::time::timeout(LIMIT, sleeping).await.expect("A answered").unwrap();
    match r {
        Ok(v) => assert_eq!(v, 1),
        Err(e) => assert_eq!(db_error(e).0, 1317),
    }
    assert!(started.elapsed() < Duration::from_secs(SLEEP_SECS - 2), "the sleep ran to its end");
}

#[tokio::test]
async fn a_statement_stops_when_its_client_leaves() {
    let s = server().await;
    let marker = unique("leave");
    let mut a = Raw::login(s.addr(), None, caps::SQLX).await;
    start_sleep(&mut a, &marker).await;
    drop(a);
    let stopped = wait_running(&marker, 0, Duration::from_secs(SLEEP_SECS - 4)).await;
    assert!(stopped, "MariaDB kept running the statement of a client that left");
}
