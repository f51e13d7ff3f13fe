//! Moving between the blocking and the async client (the seed's "migration" section): the seed's
//! own example in both forms, then its comparison table row by row (connect, execute, snapshots,
//! clone, mo_ctl, transaction), each row run once with `matrixone::blocking::Client` and once
//! with `matrixone::Client`, and both results checked.
//!
//! ```text
//! cargo run --features blocking --example sync_migration
//! MATRIXONE_URL=mysql://root:111@127.0.0.1:6001/test cargo run --features blocking --example sync_migration
//! ```
//!
//! Runs against `MATRIXONE_URL` when it is set, else starts mosim (the MatrixOne simulator)
//! in-process on `MOSIM_BACKEND` (default `mysql://root@127.0.0.1:3306`). Creates the database
//! `sync_migration_example`, two clones of it and two snapshots, and drops them at the end (and
//! at the start, in case an earlier run was interrupted). Exits non-zero when the two forms do
//! not do the same.

#[path = "common/simulated.rs"]
mod simulated;

use std::error::Error;

use matrixone::mo::{Snapshot, SnapshotLevel};
use matrixone::{Client, Executor as _, blocking, query};
use simulated::{Outcome, Target, check};
use tokio::runtime::Runtime;

const DB: &str = "sync_migration_example";
const BACKUP_SYNC: &str = "sync_migration_example_sync";
const BACKUP_ASYNC: &str = "sync_migration_example_async";
const SNAPSHOT_SYNC: &str = "sync_migration_example_sync";
const SNAPSHOT_ASYNC: &str = "sync_migration_example_async";

/// The seed's synchronous version.
fn sync_example(url: &str) -> matrixone::Result<i64> {
    use matrixone::blocking::Executor as _;
    let client = blocking::Client::connect(url)?;
    let result = client.execute("SELECT 1")?;
    client.close()?;
    result.scalar()
}

/// The seed's asynchronous version: the same lines, with `.await`.
async fn async_example(url: &str) -> matrixone::Result<i64> {
    let client = Client::connect(url).await?;
    let result = client.execute("SELECT 1").await?;
    client.close().await;
    result.scalar()
}

fn main() -> Result<(), Box<dyn Error>> {
    // The async side needs a runtime (Python's `asyncio.run`), and so does mosim when it serves
    // this run; the blocking client brings its own.
    let runtime = Runtime::new()?;
    let target = runtime.block_on(Target::start())?;
    let outcome = run(&runtime, target.url());
    runtime.block_on(target.stop());
    outcome?;
    println!("\nsync_migration complete.");
    Ok(())
}

fn run(runtime: &Runtime, url: &str) -> Outcome {
    let from_sync = sync_example(url)?;
    let from_async = runtime.block_on(async_example(url))?;
    println!("sync_example() -> {from_sync}, asyncio.run(async_example()) -> {from_async}");
    check(from_sync == 1 && from_async == 1, "both versions answer 1")?;

    let sync_client = blocking::Client::connect(url)?;
    let async_client = runtime.block_on(Client::connect(url))?;
    clean_up(&sync_client)?;
    let outcome = comparison_table(runtime, &sync_client, &async_client);
    let cleaned = clean_up(&sync_client);
    // The async client ends inside its runtime, where its connections live.
    runtime.block_on(async move { async_client.close().await });
    sync_client.close()?;
    outcome.and(cleaned.map_err(Into::into))
}

fn clean_up(client: &blocking::Client) -> matrixone::Result<()> {
    use matrixone::blocking::Executor as _;
    for snapshot in [SNAPSHOT_SYNC, SNAPSHOT_ASYNC] {
        client.run(Snapshot::drop(snapshot).if_exists())?;
    }
    for db in [BACKUP_SYNC, BACKUP_ASYNC, DB] {
        client.execute(format!("DROP DATABASE IF EXISTS {db}"))?;
    }
    Ok(())
}

/// Prints one row of the comparison: the call in each form and what each returned.
fn row(feature: &str, sync: &str, asynchronous: &str) {
    println!("{feature:<12} | {sync:<42} | {asynchronous}");
}

fn comparison_table(runtime: &Runtime, sync: &blocking::Client, client: &Client) -> Outcome {
    use matrixone::blocking::Executor as _;
    println!("\nBoth clients connected to {}", sync.options());
    println!("\n{:<12} | {:<42} | async", "feature", "sync");

    // Connection management: both are connected above; `options()` is the same in both.
    row("connect", "Client::connect(url)?", "Client::connect(url).await?");
    check(sync.options().to_string() == client.options().to_string(), "both connected to the same server")?;

    // Query execution.
    let a: i64 = sync.execute("SELECT 1 + 1")?.scalar()?;
    let b: i64 = runtime.block_on(client.execute("SELECT 1 + 1"))?.scalar()?;
    row("execute", &format!("client.execute(..)? -> {a}"), &format!("client.execute(..).await? -> {b}"));
    check(a == 2 && b == 2, "execute answers the same")?;

    sync.execute(format!("CREATE DATABASE {DB}"))?;
    sync.execute(format!("CREATE TABLE {DB}.users (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(50))"))?;
    sync.execute(format!("INSERT INTO {DB}.users (name) VALUES ('Alice'), ('Bob')"))?;

    // Snapshots.
    let s = sync.snapshots().create(Snapshot::create(SNAPSHOT_SYNC).database(DB))?;
    let a = runtime.block_on(client.snapshots().create(Snapshot::create(SNAPSHOT_ASYNC).database(DB)))?;
    row(
        "snapshots",
        &format!("snapshots().create(..)? -> {} level", s.level),
        &format!("snapshots().create(..).await? -> {} level", a.level),
    );
    check(s.level == SnapshotLevel::Database && a.level == s.level, "both snapshots are of the database")?;
    check(s.database.as_deref() == Some(DB) && a.database == s.database, "both snapshots name the database")?;

    // Clones.
    sync.clones().clone_database(BACKUP_SYNC, DB)?;
    runtime.block_on(client.clones().clone_database(BACKUP_ASYNC, DB))?;
    let in_sync: i64 = sync.fetch_scalar(format!("SELECT COUNT(*) FROM {BACKUP_SYNC}.users"))?;
    let in_async: i64 =
        runtime.block_on(client.fetch_scalar(format!("SELECT COUNT(*) FROM {BACKUP_ASYNC}.users")))?;
    row(
        "clone",
        &format!("clones().clone_database(..)? -> {in_sync} rows"),
        &format!("clones().clone_database(..).await? -> {in_async} rows"),
    );
    check(in_sync == 2 && in_async == 2, "both clones have the source's two rows")?;

    // mo_ctl.
    let s = sync.moctl().flush_table(DB, "users")?;
    let a = runtime.block_on(client.moctl().flush_table(DB, "users"))?;
    row(
        "mo_ctl",
        &format!("moctl().flush_table(..)? -> ok: {}", s.is_ok()),
        &format!("moctl().flush_table(..).await? -> ok: {}", a.is_ok()),
    );
    check(s.is_ok() && a.is_ok(), "both flushes answer OK")?;

    // Transactions: `with client.transaction():` and `async with client.transaction():`.
    let insert = |name: &str| query(format!("INSERT INTO {DB}.users (name) VALUES (?)")).bind(name);
    let s: u64 = sync.transaction(|tx| {
        tx.execute(insert("Carol"))?;
        tx.fetch_scalar("SELECT LAST_INSERT_ID()")
    })?;
    let a: u64 = runtime.block_on(client.transaction(async |tx| {
        tx.execute(insert("Dave")).await?;
        tx.fetch_scalar("SELECT LAST_INSERT_ID()").await
    }))?;
    row(
        "transaction",
        &format!("transaction(|tx| ..)? -> id {s}"),
        &format!("transaction(async |tx| ..).await? -> id {a}"),
    );
    let names: Vec<(String,)> = sync.fetch_all(format!("SELECT name FROM {DB}.users ORDER BY id"))?;
    let names: Vec<String> = names.into_iter().map(|(n,)| n).collect();
    check(names == ["Alice", "Bob", "Carol", "Dave"], format!("both transactions committed: {names:?}"))?;
    Ok(())
}
