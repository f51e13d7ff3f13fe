//! What the client learns about its server, and what it does with it (issue 7): on MatrixOne
//! values are bound by the SDK over the text protocol, because MatrixOne's binary protocol has
//! stored values as NULL (#28138); on MariaDB they are prepared.
mod support;

use std::time::Duration;

use matrixone::{Client, ConnectOptions, Executor, query};

/// `Com_stmt_prepare` of the session a one-connection client runs on.
async fn prepares(c: &Client) -> i64 {
    let rs = c.execute("SHOW SESSION STATUS LIKE 'Com_stmt_prepare'").await.unwrap();
    rs.first().unwrap().get::<String>(1).unwrap().parse().unwrap()
}

#[tokio::test]
async fn mariadb_is_recognised_and_gets_prepared_statements() {
    let c = Client::connect_with(support::options().max_connections(1)).await.unwrap();
    let version = c.server_version();
    assert!(version.as_str().contains("MariaDB"), "{version}");
    assert!(!version.is_matrixone());
    assert_eq!(version.matrixone(), None);
    let before = prepares(&c).await;
    c.execute(query("SELECT ? + 1").bind(1)).await.unwrap();
    assert_eq!(prepares(&c).await, before + 1, "bound values are prepared on MariaDB");
}

#[tokio::test]
async fn matrixone_is_recognised_and_gets_client_side_binding() {
    let backend = std::env::var("MOSIM_BACKEND").unwrap_or_else(|_| "mysql://root@127.0.0.1:3306".to_owned());
    let server = mosim::Server::start(&backend).await.expect("mosim starts on the local MariaDB");
    let options: ConnectOptions = server.url("test").parse().unwrap();
    let c = Client::connect_with(options.clone().max_connections(1)).await.unwrap();
    assert!(c.server_version().is_matrixone(), "{}", c.server_version());
    assert!(c.server_version().matrixone().is_some(), "{}", c.server_version());
    let before = prepares(&c).await;
    let two: i64 = c.fetch_scalar(query("SELECT ? + 1").bind(1)).await.unwrap();
    assert_eq!(two, 2);
    assert_eq!(prepares(&c).await, before, "no prepared statement on MatrixOne by default");
    // The option still forces either.
    let forced = Client::connect_with(options.max_connections(1).prepared_statements(true)).await.unwrap();
    let before = prepares(&forced).await;
    forced.execute(query("SELECT ? + 1").bind(1)).await.unwrap();
    assert_eq!(prepares(&forced).await, before + 1);
    server.shutdown().await;
}

#[tokio::test]
async fn a_lazy_client_learns_the_version_with_its_first_connection() {
    let c = Client::connect_lazy_with(support::options()).unwrap();
    assert_eq!(c.server_version().as_str(), "");
    assert_eq!(c.server_version().to_string(), "unknown");
    c.execute("SELECT 1").await.unwrap();
    assert!(c.server_version().as_str().contains("MariaDB"));
}

/// Issue 7: `close()` returns within a bound whatever the server does; sqlx's pool close waits
/// for a shutdown handshake MatrixOne does not complete.
#[tokio::test]
async fn close_returns_at_once_even_when_the_server_never_answers() {
    let proxy = support::proxy::Proxy::start(support::proxy::server_addr(), Duration::from_millis(100)).await;
    let options: ConnectOptions = proxy.url().parse().unwrap();
    let c = Client::connect_with(options.max_connections(2)).await.unwrap();
    // One connection idle, one busy in a statement whose answer is held back.
    let busy = c.clone();
    let running = tokio::spawn(async move { busy.execute("SELECT SLEEP(2)").await });
    tokio::time::sleep(Duration::from_millis(150)).await;
    let started = std::time::Instant::now();
    c.close().await;
    assert!(started.elapsed() < Duration::from_millis(100), "{:?}", started.elapsed());
    assert!(c.is_closed());
    let err = c.execute("SELECT 1").await.unwrap_err();
    assert_eq!(err.kind(), matrixone::ErrorKind::Connection, "{err}");
    running.abort();
}
