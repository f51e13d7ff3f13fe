//! Error handling: every error has an `ErrorKind` to match on and, when the server reported it,
//! the server's error number (`err.code()`). Shows a query on a missing table, a transaction that
//! fails half-way (and is rolled back), and a connection that cannot be made.
//!
//! ```text
//! cargo run --example error_handling
//! ```
//!
//! Creates the table `example_error_handling_users` and drops it at the end. The server comes from
//! `MATRIXONE_URL`, else `DATABASE_URL`, else `mysql://root@127.0.0.1:3306/test`.

mod common;

use std::time::{Duration, Instant};

use matrixone::{Client, ConnectOptions, Error, ErrorKind, Executor, Result, query};

const USERS: &str = "example_error_handling_users";

#[tokio::main]
async fn main() -> Result<()> {
    common::with_table(common::options()?, USERS, "id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(50)", run)
        .await
}

async fn run(client: &Client) -> Result<()> {
    query_on_missing_table(client).await?;
    failing_transaction(client).await?;
    connection_failure().await
}

/// 1. A query that fails: match on the kind, read the server's number.
async fn query_on_missing_table(client: &Client) -> Result<()> {
    match client.execute("SELECT * FROM nonexistent_table").await {
        Ok(_) => return Err(unexpected("nonexistent_table exists")),
        Err(err) => match err.kind() {
            ErrorKind::TableNotFound => {
                println!("Query failed: table not found (server code {:?})", err.code());
                println!("  message: {}", err.message());
            }
            ErrorKind::Connection | ErrorKind::PoolTimedOut => {
                println!("The server is unreachable: {err}");
                return Err(err);
            }
            // ErrorKind is #[non_exhaustive]: keep a catch-all arm.
            _ => return Err(err),
        },
    }
    Ok(())
}

/// 2. A transaction whose second statement fails: the first insert is rolled back with it.
async fn failing_transaction(client: &Client) -> Result<()> {
    let outcome = client
        .transaction(async |tx| {
            tx.execute(query(format!("INSERT INTO {USERS} (name) VALUES (?)")).bind("Alice")).await?;
            println!("Inserted Alice inside the transaction");
            tx.execute(query("INSERT INTO nonexistent_table (name) VALUES (?)").bind("Bob")).await?;
            Ok(())
        })
        .await;
    match outcome {
        Err(err) => println!("Transaction failed: {err}"),
        Ok(()) => return Err(unexpected("the transaction succeeded")),
    }
    let alices: i64 = client
        .fetch_scalar(query(format!("SELECT COUNT(*) FROM {USERS} WHERE name = ?")).bind("Alice"))
        .await?;
    println!("Rows for Alice after the failed transaction: {alices} (rolled back)");
    if alices != 0 {
        return Err(unexpected("the failed transaction left a row behind"));
    }

    // Whether an error is worth retrying (MatrixOne's txn-retry, deadlocks, lock wait time-outs):
    let err = client.fetch_one::<(i64,)>(format!("SELECT id FROM {USERS} WHERE id = 42")).await;
    if let Err(err) = err {
        println!("fetch_one on no row: kind {:?}, retryable: {}", err.kind(), err.is_retryable());
    }
    Ok(())
}

/// 3. A connection that cannot be made (nothing listens on port 1). Short time-outs make it fail
///    fast instead of retrying for the default 10 s.
async fn connection_failure() -> Result<()> {
    let options: ConnectOptions = common::url().parse()?;
    let options =
        options.port(1).connect_timeout(Duration::from_secs(2)).acquire_timeout(Duration::from_secs(2));
    let started = Instant::now();
    match Client::connect_with(options).await {
        Ok(client) => {
            client.close().await;
            return Err(unexpected("something accepted a connection on port 1"));
        }
        Err(err) => {
            println!("Connection failed after {:?}: kind {:?}", started.elapsed(), err.kind());
            println!("  {err}");
            if !matches!(err.kind(), ErrorKind::Connection | ErrorKind::PoolTimedOut) {
                return Err(err);
            }
        }
    }
    Ok(())
}

/// The example's own failure: what it demonstrates did not happen.
fn unexpected(what: &str) -> Error {
    Error::new(ErrorKind::Other, format!("unexpected: {what}"))
}
