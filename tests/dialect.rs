//! Dialect learning against mosim in both modes: the client tries MatrixOne 4.x grammar, falls
//! back to 3.x once on MatrixOne's parser error, remembers it, and fills in the session's account
//! where the 3.x grammar needs one.
mod support;

use matrixone::mo::{Dialect, Snapshot};
use matrixone::{Client, ErrorKind, Executor};

const BACKEND: &str = "mysql://root@127.0.0.1:3306";

async fn simulator(v3: bool) -> mosim::Server {
    let config = mosim::Config::new(BACKEND);
    let config = if v3 { config.v3() } else { config };
    mosim::Server::start_with(config).await.expect("mosim starts on the local MariaDB")
}

/// A database with one table of two rows and a snapshot of it; then one row is deleted.
async fn scenario(client: &Client, db: &str, snap: &str) {
    client.run(Snapshot::drop(snap).if_exists()).await.unwrap();
    client.execute(format!("DROP DATABASE IF EXISTS {db}")).await.unwrap();
    client.execute(format!("CREATE DATABASE {db}")).await.unwrap();
    client.execute(format!("CREATE TABLE {db}.t (a INT PRIMARY KEY)")).await.unwrap();
    client.execute(format!("INSERT INTO {db}.t VALUES (1), (2)")).await.unwrap();
    client.snapshots().create(Snapshot::create(snap).database(db)).await.unwrap();
    client.execute(format!("DELETE FROM {db}.t WHERE a = 2")).await.unwrap();
}

async fn rows(client: &Client, db: &str) -> i64 {
    client.fetch_scalar(format!("SELECT COUNT(*) FROM {db}.t")).await.unwrap()
}

async fn clean(client: &Client, db: &str, snap: &str) {
    client.run(Snapshot::drop(snap).if_exists()).await.unwrap();
    client.execute(format!("DROP DATABASE IF EXISTS {db}")).await.unwrap();
}

#[tokio::test]
async fn a_3x_server_is_learned_once_and_its_account_filled_in() {
    let server = simulator(true).await;
    let client = Client::connect(&server.url("test")).await.unwrap();
    let (db, snap) = (support::unique("dialect_v3"), support::unique("sp_dialect_v3"));
    scenario(&client, &db, &snap).await;
    assert_eq!(client.dialect(), None, "nothing learned before a dialect-specific statement");

    client.restore().table(&db, "t", &snap).await.expect("V4 refused, V3 with the session's account works");
    assert_eq!(rows(&client, &db).await, 2, "the restore really happened");
    assert_eq!(client.dialect(), Some(Dialect::V3));

    client.execute(format!("DELETE FROM {db}.t")).await.unwrap();
    client.restore().database(&db, &snap).await.expect("straight to V3 now");
    assert_eq!(rows(&client, &db).await, 2);
    clean(&client, &db, &snap).await;
    server.shutdown().await;
}

#[tokio::test]
async fn a_4x_server_is_learned_and_never_probed_again() {
    let server = simulator(false).await;
    let client = Client::connect(&server.url("test")).await.unwrap();
    let (db, snap) = (support::unique("dialect_v4"), support::unique("sp_dialect_v4"));
    scenario(&client, &db, &snap).await;
    client.restore().table(&db, "t", &snap).await.unwrap();
    assert_eq!(client.dialect(), Some(Dialect::V4));
    assert_eq!(rows(&client, &db).await, 2);
    clean(&client, &db, &snap).await;
    server.shutdown().await;
}

#[tokio::test]
async fn a_pinned_dialect_is_never_second_guessed() {
    let server = simulator(true).await;
    let pinned_v4 = Client::connect_with(
        server.url("test").parse::<matrixone::ConnectOptions>().unwrap().dialect(Dialect::V4),
    )
    .await
    .unwrap();
    let (db, snap) = (support::unique("dialect_pin"), support::unique("sp_dialect_pin"));
    scenario(&pinned_v4, &db, &snap).await;
    let err = pinned_v4.restore().table(&db, "t", &snap).await.unwrap_err();
    assert_eq!((err.kind(), err.code()), (ErrorKind::Syntax, Some(1064)), "{err}");
    assert!(err.message().starts_with("SQL parser error"), "{err}");
    assert_eq!(pinned_v4.dialect(), Some(Dialect::V4));
    assert_eq!(rows(&pinned_v4, &db).await, 1, "nothing was restored");

    let pinned_v3 = Client::connect_with(
        server.url("test").parse::<matrixone::ConnectOptions>().unwrap().dialect(Dialect::V3),
    )
    .await
    .unwrap();
    pinned_v3.restore().table(&db, "t", &snap).await.unwrap();
    assert_eq!(rows(&pinned_v3, &db).await, 2);
    clean(&pinned_v3, &db, &snap).await;
    server.shutdown().await;
}
