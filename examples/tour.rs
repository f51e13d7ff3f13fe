//! The tour of the SDK: every section of the seed document, end to end.
//!
//! Runs against the MatrixOne server in `MATRIXONE_URL` when it is set. Otherwise it starts
//! mosim, the MatrixOne simulator, in-process on the local MariaDB (`MOSIM_BACKEND`, default
//! `mysql://root@127.0.0.1:3306`) and runs against that.
//!
//! ```text
//! cargo run --example tour
//! MATRIXONE_URL=mysql://root:111@127.0.0.1:6001/test cargo run --example tour
//! ```

#[path = "common/simulated.rs"]
mod simulated;

use std::time::{Duration, Instant};

use matrixone::mo::vector::{Knn, Metric};
use matrixone::mo::{self, PitrUnit, Snapshot, SnapshotLevel};
use matrixone::{Client, ErrorKind, Executor, FromRow, Vecf32, query};
use simulated::Target;

const DB: &str = "tour";

#[derive(FromRow)]
struct User {
    id: i64,
    name: String,
    #[mo(default)]
    email: Option<String>,
}

#[derive(FromRow)]
struct Titled {
    title: String,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let target = Target::start().await?;
    let outcome = tour(target.url()).await;
    target.stop().await;
    outcome?;
    println!("\nTour complete.");
    Ok(())
}

async fn tour(url: &str) -> matrixone::Result<()> {
    // 1. Connecting.
    let client = Client::connect(url).await?;
    println!("1. connected to {}", client.options());
    let one: i64 = client.execute("SELECT 1").await?.scalar()?;
    println!("   SELECT 1 -> {one}");
    let version: String = client.fetch_scalar("SELECT VERSION()").await?;
    println!("   server version {version}");

    // 2. A scoped client: closed on every path.
    let scoped = Client::connect(url).await?;
    let answer = scoped.fetch_scalar::<i64>("SELECT 40 + 2").await;
    scoped.close().await;
    println!("2. scoped client answered {} and is closed: {}", answer?, scoped.is_closed());

    // 3. Queries: rows, bound values, FromRow. (First, whatever an interrupted run left.)
    client.run(Snapshot::drop("tour_snapshot").if_exists()).await?;
    client.run(Snapshot::drop("tour_tx_snapshot").if_exists()).await?;
    client.run(mo::Pitr::drop("tour_pitr").if_exists()).await?;
    client.execute("DROP DATABASE IF EXISTS tour_backup").await?;
    client.execute(format!("DROP DATABASE IF EXISTS {DB}")).await?;
    client.execute(format!("CREATE DATABASE {DB}")).await?;
    client
        .execute(format!(
            "CREATE TABLE {DB}.users (id BIGINT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(50), email VARCHAR(100))"
        ))
        .await?;
    for (name, email) in
        [("Alice", "alice@example.com"), ("Bob", "bob@example.com"), ("Charlie", "charlie@example.com")]
    {
        client
            .execute(
                query(format!("INSERT INTO {DB}.users (name, email) VALUES (?, ?)")).bind(name).bind(email),
            )
            .await?;
    }
    let rs = client.execute(format!("SELECT id, name FROM {DB}.users ORDER BY id")).await?;
    for row in &rs {
        println!("3. ID: {}, Name: {}", row.get::<i64>(0)?, row.get::<String>(1)?);
    }
    let user: User = client
        .fetch_one(query(format!("SELECT id, name, email FROM {DB}.users WHERE id = ?")).bind(1))
        .await?;
    println!("   fetchone -> id {}, name {}, email {:?}", user.id, user.name, user.email);

    // 4. Snapshots.
    let snap = client.snapshots().create(Snapshot::create("tour_snapshot").database(DB)).await?;
    println!("4. created snapshot {} ({:?}) at {} UTC", snap.name, snap.level, snap.timestamp);
    assert_eq!(snap.level, SnapshotLevel::Database);
    client.execute(query(format!("INSERT INTO {DB}.users (name) VALUES (?)")).bind("Dave")).await?;
    let now: i64 = client.fetch_scalar(format!("SELECT COUNT(*) FROM {DB}.users")).await?;
    let then: i64 = client
        .fetch_scalar(format!("SELECT COUNT(*) FROM {DB}.users {}", mo::snapshot_hint("tour_snapshot")?))
        .await?;
    println!("   {now} users now, {then} at the snapshot");
    check(then == now - 1, "the snapshot read returns the rows as they were")?;
    println!(
        "   snapshots: {:?}",
        client.snapshots().list().await?.iter().map(|s| &s.name).collect::<Vec<_>>()
    );
    println!(
        "   get -> {}; exists -> {}",
        client.snapshots().get("tour_snapshot").await?.name,
        client.snapshots().exists("tour_snapshot").await?
    );

    // 5. Clones: now, and as of the snapshot.
    client.clones().clone_table(format!("{DB}.users_copy").as_str(), format!("{DB}.users").as_str()).await?;
    client
        .clones()
        .clone_table_with_snapshot(
            format!("{DB}.users_then").as_str(),
            format!("{DB}.users").as_str(),
            "tour_snapshot",
        )
        .await?;
    client.clones().clone_database_with_snapshot("tour_backup", DB, "tour_snapshot").await?;
    let copied: i64 = client.fetch_scalar(format!("SELECT COUNT(*) FROM {DB}.users_copy")).await?;
    let cloned_then: i64 = client.fetch_scalar(format!("SELECT COUNT(*) FROM {DB}.users_then")).await?;
    let backup: i64 = client.fetch_scalar("SELECT COUNT(*) FROM tour_backup.users").await?;
    println!(
        "5. clone now: {copied} rows; clone at the snapshot: {cloned_then} rows; database clone: {backup} rows"
    );

    // 6. mo_ctl.
    let flushed = client.moctl().flush_table(DB, "users").await?;
    println!("6. flush -> method {} ok={}", flushed.method, flushed.is_ok());
    check(flushed.is_ok(), "mo_ctl flush answers OK")?;
    let checkpoint = client.moctl().checkpoint().await?;
    println!("   checkpoint -> method {} ok={}", checkpoint.method, checkpoint.is_ok());

    // 7. Transactions: statements and clones inside one; MatrixOne refuses snapshots there.
    let tx = client.begin().await?;
    tx.execute(query(format!("INSERT INTO {DB}.users (name) VALUES (?)")).bind("Eve")).await?;
    tx.clones().clone_table(format!("{DB}.users_in_tx").as_str(), format!("{DB}.users").as_str()).await?;
    // MatrixOne refuses snapshot DDL in a transaction; the SDK says so before sending anything,
    // and the transaction goes on. Listing snapshots reads the catalog on another connection.
    let refused = tx.snapshots().create(Snapshot::create("tour_tx_snapshot").database(DB)).await;
    match &refused {
        Ok(s) => println!("7. snapshot {} created inside the transaction", s.name),
        Err(e) => println!("7. snapshot inside a transaction refused, as MatrixOne does: {e}"),
    }
    check(
        refused.is_err_and(|e| e.kind() == ErrorKind::NotAllowedInTransaction),
        "a snapshot inside a transaction is refused with NotAllowedInTransaction",
    )?;
    println!("   {} snapshot(s) listed from inside the transaction", tx.snapshots().list().await?.len());
    tx.commit().await?;
    client.snapshots().create(Snapshot::create("tour_tx_snapshot").database(DB)).await?;
    println!("   snapshot tour_tx_snapshot taken right after COMMIT");
    let failed = client
        .transaction(async |tx| {
            tx.execute(query(format!("INSERT INTO {DB}.users (name) VALUES (?)")).bind("Mallory")).await?;
            tx.execute("INSERT INTO nonexistent_table (name) VALUES ('x')").await?;
            Ok(())
        })
        .await;
    let mallory: i64 = client
        .fetch_scalar(query(format!("SELECT COUNT(*) FROM {DB}.users WHERE name = ?")).bind("Mallory"))
        .await?;
    println!("   failed transaction: {:?}; rows it left behind: {mallory}", failed.map_err(|e| e.kind()));
    check(mallory == 0, "a failed transaction leaves nothing behind")?;

    // Restore: the table returns to its state at the snapshot.
    client.restore().table(DB, "users", "tour_snapshot").await?;
    let restored: i64 = client.fetch_scalar(format!("SELECT COUNT(*) FROM {DB}.users")).await?;
    println!("   restore table from snapshot -> {restored} users (was {then} at the snapshot)");
    check(restored == then, "the restore brings the snapshot's rows back")?;

    // PITR: create, list, restore at a second, drop.
    client.pitr().create(mo::Pitr::create("tour_pitr").database(DB).range(1, PitrUnit::Day)).await?;
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let at: String = client.fetch_scalar("SELECT DATE_FORMAT(UTC_TIMESTAMP(), '%Y-%m-%d %H:%i:%s')").await?;
    tokio::time::sleep(Duration::from_millis(1100)).await;
    client.execute(format!("DELETE FROM {DB}.users")).await?;
    client.restore().database_from_pitr(DB, "tour_pitr", at.as_str()).await?;
    let after_pitr: i64 = client.fetch_scalar(format!("SELECT COUNT(*) FROM {DB}.users")).await?;
    check(
        after_pitr == restored,
        &format!("the PITR restore brings back the rows of that second ({after_pitr} vs {restored})"),
    )?;
    println!(
        "   PITRs: {:?}; restore from PITR at {at} -> {after_pitr} users",
        client.pitr().list().await?.iter().map(|p| &p.name).collect::<Vec<_>>()
    );

    // B. Data branches (MatrixOne 3.0.5+): branch a table, change the branch, diff, merge back.
    let (main, dev) = (format!("{DB}.users"), format!("{DB}.users_dev"));
    client.branches().create_table(&dev, &main).await?;
    client
        .execute(query(format!("INSERT INTO {dev} (id, name) VALUES (?, ?)")).bind(1000).bind("Branchy"))
        .await?;
    let diff = client.branches().diff(&dev, &main).await?;
    client.branches().merge(&dev, &main, mo::OnConflict::Skip).await?;
    client.branches().delete_table(&dev).await?;
    let merged: i64 = client.fetch_scalar(format!("SELECT COUNT(*) FROM {main} WHERE id = 1000")).await?;
    println!(
        "B. branch {dev}: diff {:?}; merged into {main}: {merged} row",
        diff.iter().map(|r| r.flag).collect::<Vec<_>>()
    );
    check(diff.len() == 1 && merged == 1, "the branch's insert is the diff and the merge brings it")?;

    // Advanced 1: concurrent queries.
    let (users, copies, backups) = tokio::try_join!(
        client.fetch_scalar::<i64>(format!("SELECT COUNT(*) FROM {DB}.users")),
        client.fetch_scalar::<i64>(format!("SELECT COUNT(*) FROM {DB}.users_copy")),
        client.fetch_scalar::<i64>("SELECT COUNT(*) FROM tour_backup.users"),
    )?;
    println!("A1. concurrently: users {users}, users_copy {copies}, tour_backup.users {backups}");

    // Advanced 2: concurrent inserts.
    let inserts = (0..20).map(|i| {
        client.execute(query(format!("INSERT INTO {DB}.users (name) VALUES (?)")).bind(format!("batch-{i}")))
    });
    futures_util::future::try_join_all(inserts).await?;
    println!("A2. 20 concurrent inserts done");

    // Advanced 3: errors are typed and keep the server's number.
    let err = client.execute("SELECT * FROM nonexistent_table").await.unwrap_err();
    println!("A3. {:?} (code {:?}): {}", err.kind(), err.code(), err.message());
    assert_eq!(err.kind(), ErrorKind::TableNotFound);
    let bad = client
        .snapshots()
        .create(Snapshot::create("bad name; DROP DATABASE x").database(DB))
        .await
        .unwrap_err();
    println!("    a bad snapshot name never reaches the server: {bad}");

    // Performance: sequential vs concurrent.
    let started = Instant::now();
    for _ in 0..10 {
        client.execute("SELECT SLEEP(0.1)").await?;
    }
    let sequential = started.elapsed();
    let started = Instant::now();
    futures_util::future::try_join_all((0..10).map(|_| client.execute("SELECT SLEEP(0.1)"))).await?;
    let concurrent = started.elapsed();
    println!(
        "P. sequential {:.2}s, concurrent {:.2}s, speed-up {:.1}x",
        sequential.as_secs_f64(),
        concurrent.as_secs_f64(),
        sequential.as_secs_f64() / concurrent.as_secs_f64()
    );

    // V. Vectors: a vecf32 column, bound vectors, the nearest rows by cosine distance.
    client
        .execute(format!("CREATE TABLE {DB}.docs (id BIGINT PRIMARY KEY, title VARCHAR(40), emb vecf32(3))"))
        .await?;
    for (id, title, emb) in
        [(1, "north", [0.0, 1.0, 0.0]), (2, "east", [1.0, 0.0, 0.0]), (3, "north-east", [0.7, 0.7, 0.0])]
    {
        let insert = query(format!("INSERT INTO {DB}.docs VALUES (?, ?, ?)"));
        client.execute(insert.bind(id).bind(title).bind(Vecf32::from(emb))).await?;
    }
    let hits = Knn::new("docs", "emb", vec![0.1, 0.9, 0.0])
        .database(DB)
        .metric(Metric::Cosine)
        .k(2)
        .columns(["title"])
        .fetch::<Titled>(&client)
        .await?;
    let shown: Vec<String> = hits.iter().map(|h| format!("{} ({:.3})", h.row.title, h.distance)).collect();
    println!("V. nearest to [0.1, 0.9, 0]: {}", shown.join(", "));
    check(hits.first().map(|h| h.row.title.as_str()) == Some("north"), "the nearest vector is north")?;

    // Clean up.
    client.pitr().delete("tour_pitr").await?;
    client.snapshots().delete("tour_snapshot").await?;
    client.snapshots().delete("tour_tx_snapshot").await?;
    client.execute("DROP DATABASE IF EXISTS tour_backup").await?;
    client.execute(format!("DROP DATABASE IF EXISTS {DB}")).await?;
    client.close().await;
    Ok(())
}

/// Stops the tour with an error when an effect it demonstrates did not happen.
fn check(holds: bool, what: &str) -> matrixone::Result<()> {
    if holds {
        Ok(())
    } else {
        Err(matrixone::Error::new(ErrorKind::Other, format!("tour check failed: {what}")))
    }
}
