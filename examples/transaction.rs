//! Transactions: `begin` + `commit`, `rollback`, the `transaction` closure that commits on `Ok`
//! and rolls back on `Err`, and a transaction dropped without either (rolled back).
//!
//! ```text
//! cargo run --example transaction
//! ```
//!
//! Creates the table `example_transaction_users` and drops it at the end. The server comes from
//! `MATRIXONE_URL`, else `DATABASE_URL`, else `mysql://root@127.0.0.1:3306/test`.

mod common;

use matrixone::{Client, Error, Executor, Result, query};

const USERS: &str = "example_transaction_users";

/// Works with a `Client` and a `Transaction` alike: both implement `Executor`.
async fn add_user(db: &impl Executor, name: &str) -> Result<u64> {
    let rs = db.execute(query(format!("INSERT INTO {USERS} (name) VALUES (?)")).bind(name)).await?;
    Ok(rs.last_insert_id())
}

/// Prints what `db` sees in the table after `step`.
async fn report(step: &str, db: &impl Executor) -> Result<()> {
    let rows: Vec<(String,)> = db.fetch_all(format!("SELECT name FROM {USERS} ORDER BY id")).await?;
    let names: Vec<String> = rows.into_iter().map(|(name,)| name).collect();
    println!("{step:<34} users: {names:?}");
    Ok(())
}

#[tokio::main]
async fn main() -> Result<()> {
    common::with_table(
        common::options()?,
        USERS,
        "id BIGINT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(50) NOT NULL",
        run,
    )
    .await
}

async fn run(client: &Client) -> Result<()> {
    // 1. begin + commit: the transaction keeps one connection until it ends.
    let tx = client.begin().await?;
    add_user(&tx, "Alice").await?;
    tx.commit().await?;
    report("Committed Alice", client).await?;

    // 2. begin + rollback: the transaction sees its own insert, nobody else ever does.
    let tx = client.begin().await?;
    add_user(&tx, "Mallory").await?;
    report("Inside the transaction", &tx).await?;
    tx.rollback().await?;
    report("Rolled back Mallory", client).await?;

    // 3. The closure form (Python's `async with client.transaction() as tx`): commits when the
    //    closure returns Ok, rolls back when it returns Err, and hands back the Ok value.
    let id = client
        .transaction(async |tx| {
            add_user(tx, "Bob").await?;
            tx.fetch_scalar::<u64>("SELECT LAST_INSERT_ID()").await
        })
        .await?;
    report(&format!("Committed Bob (id {id})"), client).await?;

    let failed: Result<()> = client
        .transaction(async |tx| {
            add_user(tx, "Carol").await?;
            Err(Error::invalid_input("a business rule refused Carol"))
        })
        .await;
    if let Err(err) = failed {
        println!("The closure returned Err({err})");
    }
    report("Rolled back Carol", client).await?;

    // 4. A transaction dropped without commit or rollback is rolled back.
    {
        let tx = client.begin().await?;
        add_user(&tx, "Dave").await?;
    } // `tx` dropped here
    report("Dropped the transaction with Dave", client).await?;
    Ok(())
}
