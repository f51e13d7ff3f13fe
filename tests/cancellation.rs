//! Cancelled futures never leave a connection in the pool whose state is unknown (review
//! finding 2): a `begin()` dropped after BEGIN was sent, but before its answer arrived, used to
//! leave a transaction open on a pooled connection, and later "autocommit" writes vanished.
mod support;

use std::time::Duration;

use matrixone::{Client, ConnectOptions, Executor, query};
use support::proxy::{Proxy, server_addr};

/// A one-connection client behind a proxy that holds every server answer back for 100 ms.
async fn slow_client() -> (Proxy, Client) {
    let proxy = Proxy::start(server_addr(), Duration::from_millis(100)).await;
    let options: ConnectOptions = proxy.url().parse().unwrap();
    // No PING before each acquire: the cancelled future must be inside BEGIN, not inside a PING.
    let client = Client::connect_with(options.max_connections(1).test_before_acquire(false)).await.unwrap();
    client.execute("SELECT 1").await.unwrap();
    settle(&client).await;
    (proxy, client)
}

/// Waits until the pool's connection is back and idle, so that a cancel hits the statement and
/// not a wait for the connection.
async fn settle(client: &Client) {
    for _ in 0..100 {
        let status = client.pool_status();
        if status.open == 1 && status.idle == 1 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("the pool's connection did not come back within 2 s");
}

async fn count(table: &str) -> i64 {
    let direct = support::client().await;
    direct.fetch_scalar(format!("SELECT COUNT(*) FROM {table}")).await.unwrap()
}

#[tokio::test]
async fn a_cancelled_begin_never_swallows_later_autocommit_writes() {
    let (_proxy, client) = slow_client().await;
    let table = support::unique("cancel_begin");
    support::fresh_table(&support::client().await, &table, "id INT PRIMARY KEY").await;

    let cancelled = tokio::time::timeout(Duration::from_millis(50), client.begin()).await;
    assert!(cancelled.is_err(), "BEGIN's answer was held back past the timeout");

    let written = client.execute(query(format!("INSERT INTO {table} VALUES (?)")).bind(1)).await.unwrap();
    assert_eq!(written.rows_affected(), 1);
    assert_eq!(count(&table).await, 1, "the write is committed and visible to another session");
    let open: i64 = client.fetch_scalar("SELECT @@in_transaction").await.unwrap();
    assert_eq!(open, 0, "the pooled connection is not inside a transaction");
    client.close().await;
    assert_eq!(count(&table).await, 1, "the row survives the client closing");
}

#[tokio::test]
async fn a_cancelled_commit_closes_the_connection_and_leaves_no_open_transaction() {
    let (_proxy, client) = slow_client().await;
    let table = support::unique("cancel_commit");
    support::fresh_table(&support::client().await, &table, "id INT PRIMARY KEY").await;
    let first_id: u64 = client.fetch_scalar("SELECT CONNECTION_ID()").await.unwrap();
    settle(&client).await;

    let tx = client.begin().await.unwrap();
    tx.execute(query(format!("INSERT INTO {table} VALUES (?)")).bind(1)).await.unwrap();
    let cancelled = tokio::time::timeout(Duration::from_millis(50), tx.commit()).await;
    assert!(cancelled.is_err(), "COMMIT's answer was held back past the timeout");

    let next_id: u64 = client.fetch_scalar("SELECT CONNECTION_ID()").await.unwrap();
    assert_ne!(next_id, first_id, "the connection whose COMMIT was cut off is not reused");
    let open: i64 = client.fetch_scalar("SELECT @@in_transaction").await.unwrap();
    assert_eq!(open, 0);
    // The COMMIT reached the server before the cancel: its outcome is the server's, and it stands.
    assert_eq!(count(&table).await, 1);
}

#[tokio::test]
async fn a_statement_cancelled_inside_a_transaction_ends_it_safely() {
    let (_proxy, client) = slow_client().await;
    let table = support::unique("cancel_stmt");
    support::fresh_table(&support::client().await, &table, "id INT PRIMARY KEY").await;

    let tx = client.begin().await.unwrap();
    let insert = tx.execute(query(format!("INSERT INTO {table} VALUES (?)")).bind(1));
    assert!(tokio::time::timeout(Duration::from_millis(50), insert).await.is_err());
    let err = tx.execute("SELECT 1").await.unwrap_err();
    assert_eq!(err.kind(), matrixone::ErrorKind::Connection, "{err}");
    assert!(err.to_string().contains("cancelled"), "{err}");
    drop(tx);
    // The transaction never committed: its connection was closed, and the server rolled it back.
    let open: i64 = client.fetch_scalar("SELECT @@in_transaction").await.unwrap();
    assert_eq!(open, 0);
    assert_eq!(count(&table).await, 0);
}

#[tokio::test]
async fn a_cancelled_pooled_statement_does_not_return_its_connection() {
    let (_proxy, client) = slow_client().await;
    let first_id: u64 = client.fetch_scalar("SELECT CONNECTION_ID()").await.unwrap();
    settle(&client).await;
    let slow = client.execute("SELECT 1");
    assert!(tokio::time::timeout(Duration::from_millis(50), slow).await.is_err());
    let next_id: u64 = client.fetch_scalar("SELECT CONNECTION_ID()").await.unwrap();
    assert_ne!(next_id, first_id, "a fresh connection replaced the interrupted one");
}

/// How many statements on the server are running `marker`.
async fn running(marker: &str) -> i64 {
    let direct = support::client().await;
    direct
        .fetch_scalar(query(
            "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID() AND INFO LIKE ?",
        )
        .bind(format!("%{marker}%")))
        .await
        .unwrap()
}

async fn stops_within(marker: &str, limit: Duration) -> bool {
    let started = std::time::Instant::now();
    while started.elapsed() < limit {
        if running(marker).await == 0 {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

/// Issue 7: a statement past its timeout is stopped on the server, its caller gets
/// `ErrorKind::Timeout`, and no later caller waits for it.
#[tokio::test]
async fn a_statement_past_its_timeout_is_stopped_on_the_server() {
    let c = Client::connect_with(
        support::options().max_connections(1).statement_timeout(Duration::from_millis(300)),
    )
    .await
    .unwrap();
    let marker = support::unique("sleep_timeout");
    let started = std::time::Instant::now();
    let err = c.execute(format!("SELECT SLEEP(5) AS `{marker}`")).await.unwrap_err();
    assert_eq!(err.kind(), matrixone::ErrorKind::Timeout, "{err}");
    assert!(err.to_string().contains("KILL QUERY"), "{err}");
    let to_caller = started.elapsed();
    assert!(to_caller < Duration::from_secs(3), "the caller got control back: {to_caller:?}");
    assert!(stops_within(&marker, Duration::from_secs(2)).await, "the server stopped the statement");
    let stopped = started.elapsed();
    // The next caller on the one-connection pool does not wait for the stopped statement.
    let next = std::time::Instant::now();
    let one: i64 = c.fetch_scalar(query("SELECT ?").bind(1).timeout(Duration::from_secs(5))).await.unwrap();
    assert_eq!(one, 1);
    assert!(next.elapsed() < Duration::from_secs(2), "{:?}", next.elapsed());
    eprintln!(
        "statement_timeout 300 ms: caller back after {to_caller:?}, server idle by {stopped:?}, next call took {:?}",
        next.elapsed()
    );
}

#[tokio::test]
async fn a_statement_whose_caller_gave_up_is_stopped_on_the_server() {
    let c = support::client().await;
    let marker = support::unique("sleep_cancel");
    let sleeping = c.execute(format!("SELECT SLEEP(5) AS `{marker}`"));
    assert!(tokio::time::timeout(Duration::from_millis(300), sleeping).await.is_err());
    assert!(
        stops_within(&marker, Duration::from_secs(3)).await,
        "the server stopped the abandoned statement"
    );
}
