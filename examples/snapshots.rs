//! Snapshots (seed section 4): create one for a database and one for a table, list them, get
//! one, ask whether one exists, read a table as it was at a snapshot, and delete them. Also shows
//! a bad snapshot name refused before anything is sent.
//!
//! ```text
//! cargo run --example snapshots
//! MATRIXONE_URL=mysql://root:111@127.0.0.1:6001/test cargo run --example snapshots
//! ```
//!
//! Runs against `MATRIXONE_URL` when it is set, else starts mosim (the MatrixOne simulator)
//! in-process on `MOSIM_BACKEND` (default `mysql://root@127.0.0.1:3306`). Creates the database
//! `snapshots_example` and the snapshots `snapshots_example_db` and `snapshots_example_table`,
//! and drops them at the end (and at the start, in case an earlier run was interrupted). Exits
//! non-zero when a snapshot does not behave as shown.

#[path = "common/simulated.rs"]
mod simulated;

use std::error::Error;

use matrixone::mo::{Snapshot, SnapshotLevel, snapshot_hint};
use matrixone::{Client, ErrorKind, Executor, query};
use simulated::{Outcome, check, count};

const DB: &str = "snapshots_example";
const DB_SNAPSHOT: &str = "snapshots_example_db";
const TABLE_SNAPSHOT: &str = "snapshots_example_table";

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    simulated::run_example("Snapshots example", run, clean_up).await
}

/// Drops what this example creates; also run first, for an interrupted earlier run.
async fn clean_up(client: &Client) -> matrixone::Result<()> {
    client.run(Snapshot::drop(DB_SNAPSHOT).if_exists()).await?;
    client.run(Snapshot::drop(TABLE_SNAPSHOT).if_exists()).await?;
    client.execute(format!("DROP DATABASE IF EXISTS {DB}")).await?;
    Ok(())
}

async fn run(client: &Client) -> Outcome {
    clean_up(client).await?;
    client.execute(format!("CREATE DATABASE {DB}")).await?;
    client.execute(format!("CREATE TABLE {DB}.users (id INT PRIMARY KEY, name VARCHAR(50))")).await?;
    client.execute(format!("INSERT INTO {DB}.users VALUES (1, 'Alice'), (2, 'Bob'), (3, 'Charlie')")).await?;
    println!("Created {DB}.users with 3 rows");

    // Create: the manager reads the snapshot back, so we get the server's timestamp.
    let db_snap = client.snapshots().create(Snapshot::create(DB_SNAPSHOT).database(DB)).await?;
    println!(
        "Created snapshot {} ({} level, database {:?}) at {} UTC",
        db_snap.name, db_snap.level, db_snap.database, db_snap.timestamp
    );
    check(db_snap.level == SnapshotLevel::Database, "the database snapshot has the database level")?;
    check(db_snap.database.as_deref() == Some(DB), "the database snapshot names its database")?;

    let table_snap = client.snapshots().create(Snapshot::create(TABLE_SNAPSHOT).table(DB, "users")).await?;
    println!(
        "Created snapshot {} ({} level, table {}.{})",
        table_snap.name,
        table_snap.level,
        table_snap.database.as_deref().unwrap_or("?"),
        table_snap.table.as_deref().unwrap_or("?")
    );
    check(table_snap.level == SnapshotLevel::Table, "the table snapshot has the table level")?;
    check(table_snap.table.as_deref() == Some("users"), "the table snapshot names its table")?;

    // Change the data after the snapshots.
    client.execute(query(format!("INSERT INTO {DB}.users VALUES (?, ?)")).bind(4).bind("Dave")).await?;
    client.execute(format!("UPDATE {DB}.users SET name = 'Alicia' WHERE id = 1")).await?;

    // Read at each snapshot: the rows as they were. `snapshot_hint` writes the `{SNAPSHOT = '..'}`
    // that follows the table name, with the name checked.
    let now = count(client, format!("SELECT COUNT(*) FROM {DB}.users")).await?;
    let at_db =
        count(client, format!("SELECT COUNT(*) FROM {DB}.users {}", snapshot_hint(DB_SNAPSHOT)?)).await?;
    let at_table =
        count(client, format!("SELECT COUNT(*) FROM {DB}.users {}", snapshot_hint(TABLE_SNAPSHOT)?)).await?;
    let first_name_then: String = client
        .fetch_scalar(format!("SELECT name FROM {DB}.users {} WHERE id = 1", snapshot_hint(DB_SNAPSHOT)?))
        .await?;
    println!("Rows now: {now}; at {DB_SNAPSHOT}: {at_db}; at {TABLE_SNAPSHOT}: {at_table}");
    println!("User 1 is now 'Alicia'; at {DB_SNAPSHOT} it was {first_name_then:?}");
    check(now == 4, format!("4 rows now, got {now}"))?;
    check(at_db == 3, format!("3 rows at the database snapshot, got {at_db}"))?;
    check(at_table == 3, format!("3 rows at the table snapshot, got {at_table}"))?;
    check(first_name_then == "Alice", format!("user 1 was Alice at the snapshot, got {first_name_then:?}"))?;

    // List, get, exists.
    let all = client.snapshots().list().await?;
    let ours: Vec<&str> =
        all.iter().map(|s| s.name.as_str()).filter(|n| [DB_SNAPSHOT, TABLE_SNAPSHOT].contains(n)).collect();
    println!("The server lists {} snapshots, ours among them: {ours:?}", all.len());
    check(ours.len() == 2, "both snapshots are listed")?;
    let got = client.snapshots().get(DB_SNAPSHOT).await?;
    println!("get({DB_SNAPSHOT:?}) -> {} taken at {}", got.name, got.timestamp);
    check(got == db_snap, "get returns what create returned")?;
    check(client.snapshots().exists(TABLE_SNAPSHOT).await?, "the table snapshot exists")?;

    // A bad name never reaches the server: it is an InvalidInput error before sending.
    let bad = Snapshot::create("nightly; DROP DATABASE x").database(DB);
    match client.snapshots().create(bad).await {
        Ok(_) => return Err("a snapshot with a bad name was created".into()),
        Err(e) => {
            println!("A bad name is refused before sending: {:?}: {}", e.kind(), e.message());
            check(e.kind() == ErrorKind::InvalidInput && e.code().is_none(), "refused by the SDK")?;
        }
    }

    // Delete: afterwards the snapshot is gone, and deleting it again is SnapshotNotFound.
    client.snapshots().delete(DB_SNAPSHOT).await?;
    client.snapshots().delete(TABLE_SNAPSHOT).await?;
    println!("Deleted both snapshots");
    check(!client.snapshots().exists(DB_SNAPSHOT).await?, "the database snapshot is gone")?;
    match client.snapshots().get(TABLE_SNAPSHOT).await {
        Ok(_) => return Err("get found a deleted snapshot".into()),
        Err(e) => check(e.kind() == ErrorKind::SnapshotNotFound, format!("get after delete: {e}"))?,
    }
    match client.snapshots().delete(DB_SNAPSHOT).await {
        Ok(()) => return Err("deleting a deleted snapshot succeeded".into()),
        Err(e) => {
            println!("Deleting it again: {:?} (server code {:?}): {}", e.kind(), e.code(), e.message());
            check(e.kind() == ErrorKind::SnapshotNotFound, "a second delete is SnapshotNotFound")?;
        }
    }
    Ok(())
}
