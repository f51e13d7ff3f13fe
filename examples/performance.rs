//! Why async pays off: ten `SELECT SLEEP(0.1)` run one after another take about a second; run
//! concurrently on a pool of ten connections they take about 0.1 s. The example fails (exits
//! non-zero) when the speed-up is below 3x.
//!
//! ```text
//! cargo run --example performance
//! ```
//!
//! The server comes from `MATRIXONE_URL`, else `DATABASE_URL`, else
//! `mysql://root@127.0.0.1:3306/test`.

mod common;

use std::time::Instant;

use futures_util::future::try_join_all;
use matrixone::{Client, ConnectOptions, Error, ErrorKind, Executor, Result};

const QUERIES: u32 = 10;
const MIN_SPEEDUP: f64 = 3.0;

#[tokio::main]
async fn main() -> Result<()> {
    // One connection per concurrent query, so none waits for a free one.
    let options: ConnectOptions = common::url().parse()?;
    let client = Client::connect_with(options.max_connections(QUERIES)).await?;
    let outcome = compare(&client).await;
    client.close().await;
    outcome
}

async fn compare(client: &Client) -> Result<()> {
    // Open all the pool's connections first, so that neither timing includes connecting.
    try_join_all((0..QUERIES).map(|_| client.execute("SELECT SLEEP(0.01)"))).await?;

    // Sequential: each query waits for the one before it.
    let started = Instant::now();
    for _ in 0..QUERIES {
        client.execute("SELECT SLEEP(0.1)").await?;
    }
    let sequential = started.elapsed();

    // Concurrent: all queries are in flight at once, each on its own pooled connection.
    let started = Instant::now();
    try_join_all((0..QUERIES).map(|_| client.execute("SELECT SLEEP(0.1)"))).await?;
    let concurrent = started.elapsed();

    let speedup = sequential.as_secs_f64() / concurrent.as_secs_f64().max(f64::EPSILON);
    println!("{QUERIES} x SELECT SLEEP(0.1)");
    println!("Sequential time: {:.2}s", sequential.as_secs_f64());
    println!("Concurrent time: {:.2}s", concurrent.as_secs_f64());
    println!("Speedup: {speedup:.1}x");
    if speedup < MIN_SPEEDUP {
        return Err(Error::new(
            ErrorKind::Other,
            format!("speed-up {speedup:.1}x is below {MIN_SPEEDUP}x: were the queries serialized?"),
        ));
    }
    Ok(())
}
