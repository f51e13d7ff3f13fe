//! Restore and PITR: bring a table and then a whole database back to a snapshot, then keep a
//! PITR (point-in-time recovery window) on the database, change its range, and restore the
//! database to a second in the past. Every restore is checked: the data comes back.
//!
//! ```text
//! cargo run --example restore_pitr
//! MATRIXONE_URL=mysql://root:111@127.0.0.1:6001/test cargo run --example restore_pitr
//! ```
//!
//! Runs against `MATRIXONE_URL` when it is set, else starts mosim (the MatrixOne simulator)
//! in-process on `MOSIM_BACKEND` (default `mysql://root@127.0.0.1:3306`). Creates the database
//! `restore_pitr_example`, the snapshot `restore_pitr_example_sp` and the PITR
//! `restore_pitr_example_pitr`, and drops them at the end (and at the start, in case an earlier
//! run was interrupted).
//!
//! Only database- and table-level restores are shown: an account or cluster restore puts back
//! every database of the account or cluster (on mosim: every database of its MariaDB backend).
//! A PITR restore takes the time as `YYYY-MM-DD HH:MM:SS` in the server's time zone; this
//! example reads it from the server as UTC, which is what a MatrixOne in a container runs in.

#[path = "common/simulated.rs"]
mod simulated;

use std::error::Error;

use matrixone::mo::{Pitr, PitrUnit, Snapshot, SnapshotLevel};
use matrixone::{Client, ErrorKind, Executor};
use simulated::{Outcome, check, count, utc_second_between_changes};

const DB: &str = "restore_pitr_example";
const SNAPSHOT: &str = "restore_pitr_example_sp";
const PITR: &str = "restore_pitr_example_pitr";

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    simulated::run_example("Restore and PITR example", run, clean_up).await
}

/// Drops what this example creates; also run first, for an interrupted earlier run.
async fn clean_up(client: &Client) -> matrixone::Result<()> {
    client.run(Pitr::drop(PITR).if_exists()).await?;
    client.run(Snapshot::drop(SNAPSHOT).if_exists()).await?;
    client.execute(format!("DROP DATABASE IF EXISTS {DB}")).await?;
    Ok(())
}

/// `(users, orders)` row counts.
async fn counts(client: &Client) -> matrixone::Result<(i64, i64)> {
    Ok((
        count(client, format!("SELECT COUNT(*) FROM {DB}.users")).await?,
        count(client, format!("SELECT COUNT(*) FROM {DB}.orders")).await?,
    ))
}

async fn run(client: &Client) -> Outcome {
    clean_up(client).await?;
    client.execute(format!("CREATE DATABASE {DB}")).await?;
    client.execute(format!("CREATE TABLE {DB}.users (id INT PRIMARY KEY, name VARCHAR(50))")).await?;
    client.execute(format!("INSERT INTO {DB}.users VALUES (1, 'Alice'), (2, 'Bob'), (3, 'Charlie')")).await?;
    client.execute(format!("CREATE TABLE {DB}.orders (id INT PRIMARY KEY, user_id INT)")).await?;
    client.execute(format!("INSERT INTO {DB}.orders VALUES (10, 1), (11, 2)")).await?;
    println!("{DB}: users 3 rows, orders 2 rows");

    restore_from_snapshot(client).await?;
    pitr(client).await
}

async fn restore_from_snapshot(client: &Client) -> Outcome {
    let snapshot = client.snapshots().create(Snapshot::create(SNAPSHOT).database(DB)).await?;
    println!("\nSnapshot {} of database {DB} taken at {} UTC", snapshot.name, snapshot.timestamp);
    check(snapshot.level == SnapshotLevel::Database, "a database-level snapshot")?;

    // A table: the deleted rows come back; the other table is not touched.
    client.execute(format!("DELETE FROM {DB}.users WHERE id > 1")).await?;
    client.execute(format!("INSERT INTO {DB}.orders VALUES (12, 3)")).await?;
    println!("Deleted 2 users, added an order: {:?} (users, orders)", counts(client).await?);
    client.restore().table(DB, "users", SNAPSHOT).await?;
    let after = counts(client).await?;
    println!("restore().table({DB:?}, \"users\", {SNAPSHOT:?}) -> {after:?}");
    check(after == (3, 3), format!("users back to 3 rows, orders still 3; got {after:?}"))?;

    // A database: every table returns to the snapshot, even a dropped one.
    client.execute(format!("DROP TABLE {DB}.orders")).await?;
    client.execute(format!("INSERT INTO {DB}.users VALUES (4, 'Dave')")).await?;
    println!("Dropped orders, added a user");
    client.restore().database(DB, SNAPSHOT).await?;
    let after = counts(client).await?;
    println!("restore().database({DB:?}, {SNAPSHOT:?}) -> {after:?}");
    check(after == (3, 2), format!("users 3 and orders 2 as at the snapshot; got {after:?}"))?;
    Ok(())
}

async fn pitr(client: &Client) -> Outcome {
    // Create: the manager reads the PITR back.
    let created = client.pitr().create(Pitr::create(PITR).database(DB).range(1, PitrUnit::Day)).await?;
    println!(
        "\nPITR {} on {} ({} level), range {} {:?}, created {}",
        created.name,
        created.database.as_deref().unwrap_or("?"),
        created.level,
        created.length,
        created.unit,
        created.created
    );
    check(created.level == SnapshotLevel::Database && created.database.as_deref() == Some(DB), "scope")?;
    check(created.length == 1 && created.unit == PitrUnit::Day, "range 1 day")?;

    // List and alter.
    let listed = client.pitr().list().await?;
    println!("PITRs of this account: {:?}", listed.iter().map(|p| &p.name).collect::<Vec<_>>());
    check(listed.iter().any(|p| p.name == PITR), "the PITR is listed")?;
    client.pitr().alter(Pitr::alter(PITR).range(2, PitrUnit::Day)).await?;
    let altered = client.pitr().get(PITR).await?;
    println!("alter -> range {} {:?}", altered.length, altered.unit);
    check(altered.length == 2 && altered.unit == PitrUnit::Day, "range 2 days after alter")?;

    // Restore to a second between two sets of changes.
    let at = utc_second_between_changes(client).await?;
    println!("The time to return to: {at}");
    client.execute(format!("DELETE FROM {DB}.users")).await?;
    client.execute(format!("DELETE FROM {DB}.orders WHERE id = 10")).await?;
    println!("Then deleted every user and an order: {:?}", counts(client).await?);
    client.restore().database_from_pitr(DB, PITR, at.as_str()).await?;
    let after = counts(client).await?;
    println!("restore().database_from_pitr({DB:?}, {PITR:?}, {at:?}) -> {after:?}");
    check(after == (3, 2), format!("users 3 and orders 2 as at {at}; got {after:?}"))?;

    // One table of the database, to the same second.
    client.execute(format!("DELETE FROM {DB}.orders")).await?;
    client.restore().table_from_pitr(DB, "orders", PITR, at.as_str()).await?;
    let after = counts(client).await?;
    println!("Deleted every order; restore().table_from_pitr(.., \"orders\", ..) -> {after:?}");
    check(after == (3, 2), format!("orders back to 2 rows; got {after:?}"))?;

    // A time after now is refused by the server.
    match client.restore().database_from_pitr(DB, PITR, "2999-01-01 00:00:00").await {
        Ok(()) => return Err("a restore to the year 2999 succeeded".into()),
        Err(e) => {
            println!("Restore to 2999-01-01: {:?} (server code {:?}): {}", e.kind(), e.code(), e.message())
        }
    }

    // Drop.
    client.pitr().delete(PITR).await?;
    check(!client.pitr().exists(PITR).await?, "the PITR is gone")?;
    match client.pitr().get(PITR).await {
        Ok(_) => return Err("get found a dropped PITR".into()),
        Err(e) => check(e.kind() == ErrorKind::PitrNotFound, format!("get after drop: {e}"))?,
    }
    println!("Dropped PITR {PITR}");
    Ok(())
}
