//! Shared set-up for the integration tests: the real MariaDB (or `DATABASE_URL`).
#![allow(dead_code)]

pub mod captured;
pub mod proxy;

use std::sync::atomic::{AtomicU32, Ordering};

use matrixone::{Client, ConnectOptions, Executor};

/// The server the tests talk to.
pub fn url() -> String {
    std::env::var("DATABASE_URL").unwrap_or_else(|_| "mysql://root@127.0.0.1:3306/test".to_owned())
}

pub fn options() -> ConnectOptions {
    url().parse().expect("DATABASE_URL parses")
}

/// A client on the test server; panics (fails the test) when it is unreachable.
pub async fn client() -> Client {
    Client::connect_with(options().max_connections(4))
        .await
        .unwrap_or_else(|e| panic!("the test database at {} is unreachable: {e}", options()))
}

/// A table name no other test (or test run) uses.
pub fn unique(prefix: &str) -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    format!("{prefix}_{}_{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed))
}

/// Creates `name` with the given column definitions, dropping any leftover first.
pub async fn fresh_table(client: &Client, name: &str, columns: &str) {
    client.execute(format!("DROP TABLE IF EXISTS `{name}`")).await.expect("drop");
    client.execute(format!("CREATE TABLE `{name}` ({columns})")).await.expect("create");
}
