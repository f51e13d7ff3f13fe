//! Batch insert: many `INSERT`s run concurrently on the client's pool with
//! `futures_util::future::try_join_all`, then the rows are counted.
//!
//! ```text
//! cargo run --example batch_insert
//! ```
//!
//! Creates the table `example_batch_insert_users` and drops it at the end. The server comes from
//! `MATRIXONE_URL`, else `DATABASE_URL`, else `mysql://root@127.0.0.1:3306/test`.

mod common;

use std::time::Instant;

use futures_util::future::try_join_all;
use matrixone::{Client, Error, ErrorKind, Executor, Result, query};

const USERS: &str = "example_batch_insert_users";
const COUNT: usize = 100;

#[tokio::main]
async fn main() -> Result<()> {
    // The pool size bounds how many inserts run at once; the rest wait for a free connection.
    common::with_table(
        common::options()?.max_connections(10),
        USERS,
        "id BIGINT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(50) NOT NULL, email VARCHAR(100)",
        run,
    )
    .await
}

async fn run(client: &Client) -> Result<()> {
    let insert = format!("INSERT INTO {USERS} (name, email) VALUES (?, ?)");

    // A few rows, as in the Python SDK's example.
    let users =
        [("Alice", "alice@example.com"), ("Bob", "bob@example.com"), ("Charlie", "charlie@example.com")];
    try_join_all(users.map(|(name, email)| client.execute(query(&insert).bind(name).bind(email)))).await?;
    println!("All {} users inserted concurrently", users.len());

    // Many rows: one future per row; `try_join_all` stops at the first error.
    let started = Instant::now();
    let inserts = (1..=COUNT).map(|i| {
        client.execute(query(&insert).bind(format!("user{i:03}")).bind(format!("user{i:03}@example.com")))
    });
    let results = try_join_all(inserts).await?;
    let inserted: u64 = results.iter().map(|rs| rs.rows_affected()).sum();
    println!("Inserted {inserted} more users concurrently in {:?}", started.elapsed());

    let total: i64 = client.fetch_scalar(format!("SELECT COUNT(*) FROM {USERS}")).await?;
    let expected = users.len() + COUNT;
    println!("Rows in {USERS}: {total} (expected {expected})");
    if usize::try_from(total).ok() != Some(expected) {
        return Err(Error::new(ErrorKind::Other, format!("expected {expected} rows, found {total}")));
    }
    Ok(())
}
