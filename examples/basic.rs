//! Connect, run `SELECT 1`, disconnect: the smallest complete program.
//!
//! ```text
//! cargo run --example basic
//! RUST_LOG=matrixone=debug cargo run --example basic    # also log every statement
//! ```
//!
//! The server comes from `MATRIXONE_URL`, else `DATABASE_URL`, else
//! `mysql://root@127.0.0.1:3306/test`.

mod common;

use matrixone::{Client, Executor};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> matrixone::Result<()> {
    // Optional: the SDK logs each statement (SQL and time, never bound values) through `tracing`.
    tracing_subscriber::fmt().with_env_filter(EnvFilter::from_default_env()).init();

    // Connecting opens one connection right away, so a wrong address fails here.
    let client = Client::connect(&common::url()).await?;
    println!("Connected to {}", client.options()); // the password, if any, is redacted

    let result = client.execute("SELECT 1").await?;
    let one: i64 = result.scalar()?;
    println!("Result: {one}");

    // Closes every pooled connection and waits for them to finish.
    client.close().await;
    println!("Disconnected (closed: {})", client.is_closed());
    Ok(())
}
