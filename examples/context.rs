//! A scoped client: `with_client` connects, runs your code, and closes the client on every path,
//! whether the code succeeds or fails (the Rust form of Python's `async with AsyncClient()`).
//!
//! ```text
//! cargo run --example context
//! ```
//!
//! The server comes from `MATRIXONE_URL`, else `DATABASE_URL`, else
//! `mysql://root@127.0.0.1:3306/test`.

mod common;

use matrixone::{Client, Error, ErrorKind, Executor, Result};

/// Connects, hands the client to `f`, and closes the client whatever `f` returned.
///
/// The error from `f`, if any, is passed on unchanged after the client is closed.
async fn with_client<T>(url: &str, f: impl AsyncFnOnce(&Client) -> Result<T>) -> Result<T> {
    let client = Client::connect(url).await?;
    let outcome = f(&client).await;
    client.close().await;
    outcome
}

#[tokio::main]
async fn main() -> Result<()> {
    let url = common::url();

    // Success: the value comes out, the client is closed.
    let mut used = None; // a clone of the client, kept only to show it was closed afterwards
    let one: i64 = with_client(&url, async |client| {
        used = Some(client.clone());
        client.execute("SELECT 1").await?.scalar()
    })
    .await?;
    println!("Result: {one}");
    println!("Success path: client closed afterwards: {}", used.as_ref().is_some_and(Client::is_closed));

    // Failure: the error comes out, and the client is still closed.
    let mut used = None;
    let outcome: Result<i64> = with_client(&url, async |client| {
        used = Some(client.clone());
        client.fetch_scalar("SELECT COUNT(*) FROM example_context_no_such_table").await
    })
    .await;
    match outcome {
        Err(err) if err.kind() == ErrorKind::TableNotFound => println!("Query failed as expected: {err}"),
        Err(err) => return Err(err),
        Ok(n) => {
            return Err(Error::new(ErrorKind::Other, format!("unexpected: the table exists ({n} rows)")));
        }
    }
    println!("Error path: client closed afterwards: {}", used.as_ref().is_some_and(Client::is_closed));
    Ok(())
}
