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

/// Waits until the pool's connection is back and idle: sqlx PINGs a returned connection first,
/// and through the slow proxy that takes a while. A cancel must hit the statement, not the wait.
async fn settle(client: &Client) {
    for _ in 0..100 {
        let pool = client.sqlx_pool();
        if pool.size() == 1 && pool.num_idle() == 1 {
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
    let (proxy, client) = slow_client().await;
    let before = proxy.accepted();
    let slow = client.execute("SELECT 1");
    assert!(tokio::time::timeout(Duration::from_millis(50), slow).await.is_err());
    client.execute("SELECT 2").await.unwrap();
    assert_eq!(proxy.accepted(), before + 1, "a fresh connection replaced the interrupted one");
}
