//! Clones (seed section 5): copy a database and a table as they are now and as they were at a
//! snapshot, with `client.clones()`; then the `mo::Clone` builder for what the manager does not
//! cover, such as `IF NOT EXISTS`. Every clone's row count is checked.
//!
//! ```text
//! cargo run --example clone
//! MATRIXONE_URL=mysql://root:111@127.0.0.1:6001/test cargo run --example clone
//! ```
//!
//! Runs against `MATRIXONE_URL` when it is set, else starts mosim (the MatrixOne simulator)
//! in-process on `MOSIM_BACKEND` (default `mysql://root@127.0.0.1:3306`). Creates the databases
//! `clone_example`, `clone_example_backup` and `clone_example_then` and the snapshot
//! `clone_example_sp`, and drops them at the end (and at the start, in case an earlier run was
//! interrupted). Exits non-zero when a clone does not hold the rows it should.

#[path = "common/simulated.rs"]
mod simulated;

use std::error::Error;

use matrixone::mo::{self, Snapshot};
use matrixone::{Client, ErrorKind, Executor};
use simulated::{Outcome, check, count};

const DB: &str = "clone_example";
const BACKUP: &str = "clone_example_backup";
const THEN: &str = "clone_example_then";
const SNAPSHOT: &str = "clone_example_sp";

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    simulated::run_example("Clone example", run, clean_up).await
}

/// Drops what this example creates; also run first, for an interrupted earlier run.
async fn clean_up(client: &Client) -> matrixone::Result<()> {
    client.run(Snapshot::drop(SNAPSHOT).if_exists()).await?;
    for db in [THEN, BACKUP, DB] {
        client.execute(format!("DROP DATABASE IF EXISTS {db}")).await?;
    }
    Ok(())
}

/// Checks that `table` has `expected` rows.
async fn expect_rows(client: &Client, table: &str, expected: i64) -> Outcome {
    let rows = count(client, format!("SELECT COUNT(*) FROM {table}")).await?;
    println!("  {table}: {rows} rows");
    check(rows == expected, format!("{table} should have {expected} rows, has {rows}"))
}

async fn run(client: &Client) -> Outcome {
    clean_up(client).await?;
    client.execute(format!("CREATE DATABASE {DB}")).await?;
    client.execute(format!("CREATE TABLE {DB}.users (id INT PRIMARY KEY, name VARCHAR(50))")).await?;
    client.execute(format!("INSERT INTO {DB}.users VALUES (1, 'Alice'), (2, 'Bob'), (3, 'Charlie')")).await?;
    client.snapshots().create(Snapshot::create(SNAPSHOT).database(DB)).await?;
    client.execute(format!("INSERT INTO {DB}.users VALUES (4, 'Dave'), (5, 'Erin')")).await?;
    println!("{DB}.users had 3 rows at snapshot {SNAPSHOT} and has 5 now");

    // The seed's three calls, plus the table clone at a snapshot.
    println!("clone_database({BACKUP:?}, {DB:?}): the database as it is now");
    client.clones().clone_database(BACKUP, DB).await?;
    expect_rows(client, &format!("{BACKUP}.users"), 5).await?;

    println!("clone_table(\"{DB}.users_copy\", \"{DB}.users\"): the table as it is now");
    client.clones().clone_table(format!("{DB}.users_copy"), format!("{DB}.users")).await?;
    expect_rows(client, &format!("{DB}.users_copy"), 5).await?;

    println!("clone_database_with_snapshot({THEN:?}, {DB:?}, {SNAPSHOT:?}): the database as it was");
    client.clones().clone_database_with_snapshot(THEN, DB, SNAPSHOT).await?;
    expect_rows(client, &format!("{THEN}.users"), 3).await?;

    println!("clone_table_with_snapshot: the table as it was (a table is \"db.t\" or (db, t))");
    client.clones().clone_table_with_snapshot((DB, "users_then"), (DB, "users"), SNAPSHOT).await?;
    expect_rows(client, &format!("{DB}.users_then"), 3).await?;

    // The builder: IF NOT EXISTS makes a clone onto an existing table a no-op.
    client.execute(format!("INSERT INTO {DB}.users VALUES (6, 'Frank')")).await?;
    let again = mo::Clone::table((DB, "users_copy"), (DB, "users")).if_not_exists();
    println!("{}", again.to_sql()?);
    client.run(again).await?;
    println!("  users_copy already existed: left as it was");
    expect_rows(client, &format!("{DB}.users_copy"), 5).await?;

    // Without IF NOT EXISTS the same clone is an error the SDK classifies.
    match client.run(mo::Clone::table((DB, "users_copy"), (DB, "users"))).await {
        Ok(()) => return Err("cloning onto an existing table succeeded".into()),
        Err(e) => {
            println!("Without IF NOT EXISTS: {:?} (server code {:?}): {}", e.kind(), e.code(), e.message());
            check(e.kind() == ErrorKind::TableExists, "cloning onto an existing table is TableExists")?;
        }
    }

    // The builder also takes the snapshot (and TO ACCOUNT, for the sys account).
    let at_snapshot =
        mo::Clone::table((THEN, "users_again"), (DB, "users")).at_snapshot(SNAPSHOT).if_not_exists();
    println!("{}", at_snapshot.to_sql()?);
    client.run(at_snapshot).await?;
    expect_rows(client, &format!("{THEN}.users_again"), 3).await?;
    Ok(())
}
