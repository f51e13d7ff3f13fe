//! Concurrent queries: three `COUNT(*)` queries run at the same time on the client's pool, first
//! with `tokio::try_join!`, then with `futures_util::future::join_all` (Python's `asyncio.gather`).
//!
//! ```text
//! cargo run --example concurrent
//! ```
//!
//! Creates `example_concurrent_users`, `example_concurrent_orders` and
//! `example_concurrent_products`, and drops them at the end. The server comes from
//! `MATRIXONE_URL`, else `DATABASE_URL`, else `mysql://root@127.0.0.1:3306/test`.

mod common;

use std::time::Instant;

use futures_util::future::join_all;
use matrixone::{Client, Executor, Result};

const USERS: &str = "example_concurrent_users";
const ORDERS: &str = "example_concurrent_orders";
const PRODUCTS: &str = "example_concurrent_products";

#[tokio::main]
async fn main() -> Result<()> {
    let client = Client::connect(&common::url()).await?;
    for (table, rows) in [(USERS, 3), (ORDERS, 5), (PRODUCTS, 2)] {
        client.execute(format!("DROP TABLE IF EXISTS {table}")).await?;
        client.execute(format!("CREATE TABLE {table} (id INT PRIMARY KEY)")).await?;
        let values: Vec<String> = (1..=rows).map(|id| format!("({id})")).collect();
        client.execute(format!("INSERT INTO {table} (id) VALUES {}", values.join(", "))).await?;
    }

    // Clean up whether the queries succeed or fail, then report their outcome.
    let outcome = run(&client).await;
    for table in [USERS, ORDERS, PRODUCTS] {
        client.execute(format!("DROP TABLE IF EXISTS {table}")).await?;
    }
    client.close().await;
    outcome
}

async fn run(client: &Client) -> Result<()> {
    // A fixed number of futures of different types: `tokio::try_join!` awaits them together and
    // returns the first error, if any. Each query takes its own pooled connection.
    let started = Instant::now();
    let (users, orders, products) = tokio::try_join!(
        client.execute(format!("SELECT COUNT(*) FROM {USERS}")),
        client.execute(format!("SELECT COUNT(*) FROM {ORDERS}")),
        client.execute(format!("SELECT COUNT(*) FROM {PRODUCTS}")),
    )?;
    println!("try_join! ({:?}):", started.elapsed());
    println!("  Users: {}", users.scalar::<i64>()?);
    println!("  Orders: {}", orders.scalar::<i64>()?);
    println!("  Products: {}", products.scalar::<i64>()?);

    // Any number of futures of one type: `join_all` returns every result, in order.
    let started = Instant::now();
    let tables = [USERS, ORDERS, PRODUCTS];
    let counts =
        join_all(tables.map(|t| client.fetch_scalar::<i64>(format!("SELECT COUNT(*) FROM {t}")))).await;
    println!("join_all ({:?}):", started.elapsed());
    for (table, count) in tables.iter().zip(counts) {
        println!("  {table}: {}", count?);
    }
    Ok(())
}
