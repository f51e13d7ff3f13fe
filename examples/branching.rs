//! DATA BRANCH, MatrixOne's "git for data": branch a table, change both sides, see the
//! difference, and merge with a conflict policy.
//!
//! ```text
//! cargo run --example branching
//! MATRIXONE_URL=mysql://root:111@127.0.0.1:6001/test cargo run --example branching
//! ```
//!
//! Runs against `MATRIXONE_URL` when it is set (MatrixOne 3.0.5 or later), else starts mosim
//! (the MatrixOne simulator) in-process on `MOSIM_BACKEND` (default `mysql://root@127.0.0.1:3306`).
//! Creates the database `branching_example` and drops it at the end (and at the start, in case an
//! earlier run was interrupted). Exits non-zero when a step does not behave as shown.

#[path = "common/simulated.rs"]
mod simulated;

use std::error::Error;

use matrixone::mo::{Branch, BranchConflict, DiffFlag, DiffSide, OnConflict};
use matrixone::{Client, ErrorKind, Executor, FromRow};
use simulated::{Outcome, check};

const DB: &str = "branching_example";

/// The table's rows, as the diff hands them back.
#[derive(FromRow, Debug, PartialEq)]
struct Price {
    sku: String,
    cents: i64,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    simulated::run_example("Branching example", run, clean_up).await
}

/// Drops what this example creates; also run first, for an interrupted earlier run.
async fn clean_up(client: &Client) -> matrixone::Result<()> {
    client.execute(format!("DROP DATABASE IF EXISTS {DB}")).await?;
    Ok(())
}

async fn prices(client: &Client, table: &str) -> matrixone::Result<Vec<(String, i64)>> {
    client.fetch_all(format!("SELECT sku, cents FROM {DB}.{table} ORDER BY sku")).await
}

async fn run(client: &Client) -> Outcome {
    clean_up(client).await?;
    client.execute(format!("CREATE DATABASE {DB}")).await?;
    client.execute(format!("CREATE TABLE {DB}.prices (sku VARCHAR(10) PRIMARY KEY, cents BIGINT)")).await?;
    client
        .execute(format!("INSERT INTO {DB}.prices VALUES ('apple', 100), ('pear', 150), ('plum', 90)"))
        .await?;
    println!("Server: {}", client.server_version());

    // 1. Branch: `staging` starts as a copy of `prices` and remembers it as its base.
    let (main, staging) = (format!("{DB}.prices"), format!("{DB}.staging"));
    client.branches().create_table(&staging, &main).await?;
    println!("Branched {main} into {staging}");

    // 2. Change both sides: staging raises the pear and adds a fig; production changes the apple,
    //    and so does staging (a conflict to come).
    client.execute(format!("UPDATE {staging} SET cents = 175 WHERE sku = 'pear'")).await?;
    client.execute(format!("INSERT INTO {staging} VALUES ('fig', 300)")).await?;
    client.execute(format!("UPDATE {staging} SET cents = 120 WHERE sku = 'apple'")).await?;
    client.execute(format!("UPDATE {main} SET cents = 110 WHERE sku = 'apple'")).await?;

    // 3. Diff: each changed row with its side and how it changed, read into our own type.
    let diff = client.branches().diff(&staging, &main).await?;
    println!("diff {} against {}:", diff.target, diff.base);
    for row in diff.iter() {
        let price: Price = row.read()?;
        println!("  {:<6} {:?} {:<7} {:?}", row.table, row.side, format!("{:?}", row.flag), price);
    }
    let typed = diff.typed::<Price>()?;
    check(
        typed.iter().any(|(side, flag, p)| {
            *side == DiffSide::Target && *flag == DiffFlag::Insert && p.sku == "fig" && p.cents == 300
        }),
        "the diff shows staging's new fig",
    )?;
    let summary = client.branches().diff_summary(&staging, &main).await?;
    println!("summary: staging {:?}, prices {:?}", summary.target, summary.base);
    check(summary.target.inserted == 1, "one row inserted on staging")?;

    // 4. Merge. The apple changed on both sides: the default policy (FAIL) stops with a typed
    //    conflict naming the key, and changes nothing.
    match client.run(Branch::merge(&staging, &main)).await {
        Ok(()) => return Err("a conflicting merge went through".into()),
        Err(e) if e.kind() == ErrorKind::BranchConflict => {
            let conflict = BranchConflict::of(&e).ok_or("the conflict names its key")?;
            println!("Merge refused: {conflict}");
            check(
                conflict.key.contains("apple"),
                format!("the conflict is on the apple, got {}", conflict.key),
            )?;
        }
        Err(e) => return Err(e.into()),
    }
    check(prices(client, "prices").await?.len() == 3, "a failed merge changes nothing")?;

    //    SKIP keeps production's apple and brings everything else.
    client.branches().merge(&staging, &main, OnConflict::Skip).await?;
    let after = prices(client, "prices").await?;
    println!("After MERGE ... WHEN CONFLICT SKIP: {after:?}");
    check(after.contains(&("apple".to_owned(), 110)), "SKIP keeps production's apple")?;
    check(after.contains(&("pear".to_owned(), 175)), "the pear's new price arrived")?;
    check(after.contains(&("fig".to_owned(), 300)), "the fig arrived")?;

    // 5. Done with the branch.
    client.branches().delete_table(&staging).await?;
    println!("Deleted the branch");
    clean_up(client).await?;
    Ok(())
}
