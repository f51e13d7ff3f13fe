//! The MatrixOne parts of the seed document (sections 4 to 7, plus restore and PITR) as
//! scenarios that assert their effects, shared by `tests/seed_end_to_end.rs` (against mosim)
//! and `tests/live_matrixone.rs` (against a real MatrixOne). Included with
//! `#[path = "support/mo.rs"] mod mo;`.
//!
//! Each scenario works in a database of its own with unique snapshot and PITR names (tests run
//! in parallel), and drops all of them afterwards whether it passed or not. Failures are `Err`s
//! rather than panics so that the clean-up always runs. Everything here is valid on a real
//! MatrixOne: snapshots, restores and PITRs run outside transactions (reference §10.6), the
//! snapshots are of databases the scenario created, and nothing touches an account or the
//! cluster.
#![allow(dead_code)]

use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use matrixone::mo::{Pitr, PitrUnit, Snapshot, SnapshotLevel, snapshot_hint};
use matrixone::{Client, ErrorKind, Executor, query};

/// What a scenario returns; an `Err` says which effect did not hold.
pub type TestResult<T = ()> = Result<T, Box<dyn std::error::Error>>;

/// `Err` with the message unless the condition holds.
macro_rules! ensure {
    ($cond:expr, $($msg:tt)+) => {{
        let holds: bool = $cond;
        if !holds {
            return Err(format!($($msg)+).into());
        }
    }};
}

/// `Err` naming both values unless they are equal.
macro_rules! ensure_eq {
    ($left:expr, $right:expr, $($msg:tt)+) => {
        // A `match`, as in `assert_eq!`, keeps temporaries in the operands alive.
        match (&$left, &$right) {
            (left, right) => {
                if left != right {
                    return Err(format!("{}: got {left:?}, expected {right:?}", format!($($msg)+)).into());
                }
            }
        }
    };
}
// Not every including test file uses both.
#[allow(unused_imports)]
pub(crate) use {ensure, ensure_eq};

/// The users every scenario starts with, in id order.
pub const USERS: [&str; 3] = ["Bob", "Charlie", "Dave"];

/// A lower-case name no other test or test run uses (valid for databases, snapshots and PITRs).
pub fn unique(prefix: &str) -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos() % 100_000)
        .unwrap_or_default();
    format!("{prefix}_{}_{}_{nanos}", std::process::id(), N.fetch_add(1, Ordering::Relaxed))
}

/// The names one scenario uses, remembered so that [`Scratch::finish`] can drop them.
pub struct Scratch {
    base: String,
    databases: Mutex<Vec<String>>,
    snapshots: Mutex<Vec<String>>,
    pitrs: Mutex<Vec<String>>,
}

impl Scratch {
    pub fn new(prefix: &str) -> Scratch {
        Scratch {
            base: unique(prefix),
            databases: Mutex::default(),
            snapshots: Mutex::default(),
            pitrs: Mutex::default(),
        }
    }

    fn named(&self, list: &Mutex<Vec<String>>, tag: &str) -> String {
        let name = format!("{}_{tag}", self.base);
        list.lock().unwrap_or_else(|e| e.into_inner()).push(name.clone());
        name
    }

    /// A database name, e.g. `database("src")`.
    pub fn database(&self, tag: &str) -> String {
        self.named(&self.databases, tag)
    }

    /// A snapshot name.
    pub fn snapshot(&self, tag: &str) -> String {
        self.named(&self.snapshots, tag)
    }

    /// A PITR name.
    pub fn pitr(&self, tag: &str) -> String {
        self.named(&self.pitrs, tag)
    }

    /// Drops every PITR, snapshot and database named, then returns `outcome` (or the clean-up's
    /// error when the scenario itself passed).
    pub async fn finish(self, client: &Client, outcome: TestResult) -> TestResult {
        let cleaned = self.clean_up(client).await;
        outcome.and(cleaned)
    }

    async fn clean_up(&self, client: &Client) -> TestResult {
        let take =
            |list: &Mutex<Vec<String>>| std::mem::take(&mut *list.lock().unwrap_or_else(|e| e.into_inner()));
        for pitr in take(&self.pitrs) {
            client.run(Pitr::drop(pitr).if_exists()).await?;
        }
        for snapshot in take(&self.snapshots) {
            client.run(Snapshot::drop(snapshot).if_exists()).await?;
        }
        for db in take(&self.databases) {
            client.execute(format!("DROP DATABASE IF EXISTS `{db}`")).await?;
        }
        Ok(())
    }
}

/// Creates database `db` with `users` holding [`USERS`] (ids 1 to 3).
pub async fn users_database(client: &Client, db: &str) -> TestResult {
    client.execute(format!("CREATE DATABASE `{db}`")).await?;
    client
        .execute(format!(
            "CREATE TABLE `{db}`.users (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(50), email VARCHAR(100))"
        ))
        .await?;
    for name in USERS {
        client
            .execute(
                query(format!("INSERT INTO `{db}`.users (name, email) VALUES (?, ?)"))
                    .bind(name)
                    .bind(format!("{}@example.com", name.to_lowercase())),
            )
            .await?;
    }
    Ok(())
}

/// The `name` column of `source` (a table, optionally with a `{SNAPSHOT = ...}` hint) by id.
pub async fn names(client: &Client, source: &str) -> matrixone::Result<Vec<String>> {
    client
        .fetch_all::<(String,)>(format!("SELECT name FROM {source} ORDER BY id"))
        .await
        .map(|rows| rows.into_iter().map(|(name,)| name).collect())
}

/// `SELECT COUNT(*) FROM {source}`.
pub async fn count(client: &Client, source: &str) -> matrixone::Result<i64> {
    client.fetch_scalar(format!("SELECT COUNT(*) FROM {source}")).await
}

/// [`USERS`] followed by `more`.
fn users_and(more: &[&str]) -> Vec<String> {
    USERS.iter().chain(more).map(|s| (*s).to_owned()).collect()
}

/// The current UTC second (`YYYY-MM-DD HH:MM:SS`, what `RESTORE ... FROM PITR` takes), with more
/// than a second's pause on each side so that it falls cleanly between earlier and later changes.
///
/// MatrixOne reads that time in its process's time zone; this assumes the server runs in UTC,
/// as MatrixOne's containers do (and mosim always does).
pub async fn utc_second_between_changes(client: &Client) -> matrixone::Result<String> {
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let at = client.fetch_scalar("SELECT DATE_FORMAT(UTC_TIMESTAMP(), '%Y-%m-%d %H:%i:%s')").await?;
    tokio::time::sleep(Duration::from_millis(1100)).await;
    Ok(at)
}

/// Seed section 4: a DATABASE-level snapshot is created, listed, got and deleted, and a read at
/// it returns the rows as they were.
pub async fn section_4_snapshots(client: &Client) -> TestResult {
    let scratch = Scratch::new("s4");
    let outcome = snapshots_steps(client, &scratch).await;
    scratch.finish(client, outcome).await
}

async fn snapshots_steps(client: &Client, s: &Scratch) -> TestResult {
    let db = s.database("db");
    let sp = s.snapshot("sp");
    users_database(client, &db).await?;

    // The seed's `description` has no MatrixOne counterpart: snapshots have a name and a scope.
    let created = client.snapshots().create(Snapshot::create(&sp).database(&db)).await?;
    ensure_eq!(created.name, sp, "the created snapshot's name");
    ensure_eq!(created.level, SnapshotLevel::Database, "the created snapshot's level");
    ensure_eq!(created.database.as_deref(), Some(db.as_str()), "the created snapshot's database");
    ensure_eq!(created.table, None, "a database snapshot names no table");

    client.execute(query(format!("INSERT INTO `{db}`.users (name) VALUES (?)")).bind("Erin")).await?;
    client.execute(format!("UPDATE `{db}`.users SET name = 'Robert' WHERE name = 'Bob'")).await?;
    ensure_eq!(
        names(client, &format!("`{db}`.users")).await?,
        vec!["Robert", "Charlie", "Dave", "Erin"],
        "the rows now"
    );
    ensure_eq!(
        names(client, &format!("`{db}`.users {}", snapshot_hint(&sp)?)).await?,
        users_and(&[]),
        "a read at the snapshot returns the rows as they were"
    );

    let listed = client.snapshots().list().await?;
    ensure!(listed.contains(&created), "list() has {created:?}; it has {} others", listed.len());
    ensure_eq!(client.snapshots().get(&sp).await?, created, "get() returns what create() returned");
    ensure!(client.snapshots().exists(&sp).await?, "exists() before delete()");

    client.snapshots().delete(&sp).await?;
    ensure!(!client.snapshots().exists(&sp).await?, "exists() after delete()");
    ensure!(!client.snapshots().list().await?.iter().any(|x| x.name == sp), "list() after delete()");
    match client.snapshots().get(&sp).await {
        Ok(found) => return Err(format!("get() found a deleted snapshot: {found:?}").into()),
        Err(e) => ensure_eq!(e.kind(), ErrorKind::SnapshotNotFound, "get() after delete(): {e}"),
    }
    match client
        .fetch_scalar::<i64>(format!("SELECT COUNT(*) FROM `{db}`.users {}", snapshot_hint(&sp)?))
        .await
    {
        Ok(n) => return Err(format!("a read at a deleted snapshot returned {n}").into()),
        Err(e) => ensure_eq!(e.kind(), ErrorKind::SnapshotNotFound, "a read at a deleted snapshot: {e}"),
    }
    Ok(())
}

/// Seed section 5: `clone_database`, `clone_table` and `clone_database_with_snapshot`; a clone
/// now has the current rows, a clone at a snapshot the old ones.
pub async fn section_5_clones(client: &Client) -> TestResult {
    let scratch = Scratch::new("s5");
    let outcome = clones_steps(client, &scratch).await;
    scratch.finish(client, outcome).await
}

async fn clones_steps(client: &Client, s: &Scratch) -> TestResult {
    let source = s.database("source");
    let backup = s.database("backup");
    let then = s.database("then");
    let sp = s.snapshot("sp");
    users_database(client, &source).await?;
    client.snapshots().create(Snapshot::create(&sp).database(&source)).await?;
    client.execute(query(format!("INSERT INTO `{source}`.users (name) VALUES (?)")).bind("Erin")).await?;
    let now = users_and(&["Erin"]);

    client.clones().clone_database(&backup, &source).await?;
    ensure_eq!(names(client, &format!("`{backup}`.users")).await?, now, "clone_database has today's rows");

    // The seed names tables relative to the current database; here they are qualified.
    client.clones().clone_table(format!("{source}.backup_table"), format!("{source}.users")).await?;
    ensure_eq!(
        names(client, &format!("`{source}`.backup_table")).await?,
        now,
        "clone_table has today's rows"
    );

    client.clones().clone_database_with_snapshot(&then, &source, &sp).await?;
    ensure_eq!(
        names(client, &format!("`{then}`.users")).await?,
        users_and(&[]),
        "clone_database_with_snapshot has the rows of the snapshot"
    );
    client
        .clones()
        .clone_table_with_snapshot((source.as_str(), "users_then"), (source.as_str(), "users"), &sp)
        .await?;
    ensure_eq!(
        names(client, &format!("`{source}`.users_then")).await?,
        users_and(&[]),
        "clone_table_with_snapshot has the rows of the snapshot"
    );

    // The clones are copies: changing one leaves the source alone.
    client.execute(format!("DELETE FROM `{backup}`.users")).await?;
    ensure_eq!(names(client, &format!("`{source}`.users")).await?, now, "the source after emptying a clone");

    match client.clones().clone_database(&backup, &source).await {
        Ok(()) => return Err("cloning onto an existing database succeeded".into()),
        Err(e) => ensure_eq!(e.kind(), ErrorKind::DatabaseExists, "cloning onto an existing database: {e}"),
    }
    Ok(())
}

/// Seed section 6: `flush_table` and `checkpoint` (and the global checkpoint) answer OK. They
/// need the sys account on MatrixOne: with `is_sys` false, a refusal is accepted (but an answer
/// that is not OK never is). The `tn` service is refused by the SDK before sending.
pub async fn section_6_moctl(client: &Client, is_sys: bool) -> TestResult {
    let scratch = Scratch::new("s6");
    let outcome = moctl_steps(client, &scratch, is_sys).await;
    scratch.finish(client, outcome).await
}

async fn moctl_steps(client: &Client, s: &Scratch, is_sys: bool) -> TestResult {
    let db = s.database("db");
    users_database(client, &db).await?;

    let answers = [
        ("flush", client.moctl().flush_table(&db, "users").await),
        ("checkpoint", client.moctl().checkpoint().await),
        ("globalcheckpoint", client.moctl().global_checkpoint().await),
    ];
    for (method, answer) in answers {
        match answer {
            Ok(response) => {
                ensure!(response.method_is(method), "mo_ctl {method} answered for {:?}", response.method);
                ensure!(response.is_ok(), "mo_ctl {method} answered {:?}", response.result);
            }
            Err(e) if !is_sys => eprintln!("mo_ctl {method} refused for a non-sys account: {e}"),
            Err(e) => return Err(format!("mo_ctl {method} failed for the sys account: {e}").into()),
        }
    }

    match client.moctl().call("tn", "flush", &format!("{db}.users")).await {
        Ok(answer) => return Err(format!("mo_ctl('tn', ...) was sent and answered {answer:?}").into()),
        Err(e) => {
            ensure_eq!(e.kind(), ErrorKind::InvalidInput, "the tn service: {e}");
            ensure_eq!(e.code(), None, "the tn service is refused before sending");
        }
    }
    Ok(())
}

/// Seed section 7: insert, snapshot and clone in one transaction.
///
/// MatrixOne refuses the snapshot inside a transaction (pkg/frontend/stmt_kind.go): this asserts
/// the SDK's refusal before sending (kind `NotAllowedInTransaction`) and the server's own for the
/// same plain SQL, that listing snapshots in the transaction works, that the transaction rolled back after
/// it leaves nothing (neither the insert nor a snapshot), and then meets the seed's intent the
/// way MatrixOne allows: a snapshot before the transaction, the insert and the clone inside it,
/// a snapshot after it; reads at the two snapshots show the data before and after.
pub async fn section_7_transaction(client: &Client) -> TestResult {
    let scratch = Scratch::new("s7");
    let outcome = transaction_steps(client, &scratch).await;
    scratch.finish(client, outcome).await
}

async fn transaction_steps(client: &Client, s: &Scratch) -> TestResult {
    let db = s.database("db");
    let in_tx = s.snapshot("in_tx");
    let before = s.snapshot("before");
    let after = s.snapshot("after");
    users_database(client, &db).await?;
    let insert_alice = || query(format!("INSERT INTO `{db}`.users (name) VALUES (?)")).bind("Alice");

    // As the seed wrote it.
    let tx = client.begin().await?;
    tx.execute(insert_alice()).await?;
    match tx.snapshots().create(Snapshot::create(&in_tx).database(&db)).await {
        Ok(created) => {
            tx.rollback().await?;
            return Err(format!("a snapshot was created inside a transaction: {created:?}").into());
        }
        Err(e) => {
            ensure_eq!(e.kind(), ErrorKind::NotAllowedInTransaction, "the refusal's kind ({e})");
            ensure_eq!(e.code(), None, "refused before anything was sent ({e})");
        }
    }
    // The catalog is read outside the transaction (MatrixOne refuses SHOW SNAPSHOTS in one).
    ensure!(!tx.snapshots().exists(&in_tx).await?, "the refused snapshot is not listed");
    // Plain SQL that MatrixOne refuses in a transaction gets the same kind from the server.
    if let Err(e) = tx.execute(format!("CREATE SNAPSHOT {in_tx} FOR DATABASE `{db}`")).await {
        ensure_eq!(e.kind(), ErrorKind::NotAllowedInTransaction, "the server's refusal ({e})");
    } else {
        return Err("the server ran CREATE SNAPSHOT inside a transaction".into());
    }
    // The snapshot was part of the unit of work and cannot be taken here: roll it all back.
    tx.rollback().await?;
    ensure_eq!(names(client, &format!("`{db}`.users")).await?, users_and(&[]), "after the rollback");
    ensure!(!client.snapshots().exists(&in_tx).await?, "the refused snapshot does not exist");

    // What works. The clone is of a table (MatrixOne allows clones in a transaction); whether it
    // sees the transaction's own uncommitted insert is the server's choice (mosim's does not).
    client.snapshots().create(Snapshot::create(&before).database(&db)).await?;
    client
        .transaction(async |tx| {
            tx.execute(insert_alice()).await?;
            tx.clones().clone_table(format!("{db}.backup"), format!("{db}.users")).await
        })
        .await?;
    client.snapshots().create(Snapshot::create(&after).database(&db)).await?;

    ensure_eq!(
        names(client, &format!("`{db}`.users {}", snapshot_hint(&before)?)).await?,
        users_and(&[]),
        "the snapshot before the transaction"
    );
    ensure_eq!(
        names(client, &format!("`{db}`.users {}", snapshot_hint(&after)?)).await?,
        users_and(&["Alice"]),
        "the snapshot after the transaction"
    );
    let cloned = names(client, &format!("`{db}`.backup")).await?;
    ensure!(
        cloned == users_and(&[]) || cloned == users_and(&["Alice"]),
        "the clone made in the transaction has the committed rows: {cloned:?}"
    );
    Ok(())
}

/// Restore from a snapshot: a table, then the whole database (a dropped table included), get
/// their rows back.
pub async fn restore_from_snapshot(client: &Client) -> TestResult {
    let scratch = Scratch::new("rs");
    let outcome = restore_steps(client, &scratch).await;
    scratch.finish(client, outcome).await
}

async fn restore_steps(client: &Client, s: &Scratch) -> TestResult {
    let db = s.database("db");
    let sp = s.snapshot("sp");
    users_database(client, &db).await?;
    client.execute(format!("CREATE TABLE `{db}`.orders (id INT PRIMARY KEY, user_id INT)")).await?;
    client.execute(format!("INSERT INTO `{db}`.orders VALUES (10, 1), (11, 2)")).await?;
    client.snapshots().create(Snapshot::create(&sp).database(&db)).await?;

    client.execute(format!("DELETE FROM `{db}`.users WHERE id > 1")).await?;
    client.execute(format!("INSERT INTO `{db}`.orders VALUES (12, 3)")).await?;
    client.restore().table(&db, "users", &sp).await?;
    ensure_eq!(
        names(client, &format!("`{db}`.users")).await?,
        users_and(&[]),
        "users after the table restore"
    );
    ensure_eq!(count(client, &format!("`{db}`.orders")).await?, 3, "a table restore leaves the other tables");

    client.execute(format!("DROP TABLE `{db}`.orders")).await?;
    client.execute(format!("UPDATE `{db}`.users SET name = 'Zed'")).await?;
    client.restore().database(&db, &sp).await?;
    ensure_eq!(
        names(client, &format!("`{db}`.users")).await?,
        users_and(&[]),
        "users after the database restore"
    );
    ensure_eq!(
        count(client, &format!("`{db}`.orders")).await?,
        2,
        "the dropped table after the database restore"
    );
    Ok(())
}

/// PITR: create (read back), list, alter, restore the database to a second in the past, drop.
pub async fn pitr_restore(client: &Client) -> TestResult {
    let scratch = Scratch::new("pt");
    let outcome = pitr_steps(client, &scratch).await;
    scratch.finish(client, outcome).await
}

async fn pitr_steps(client: &Client, s: &Scratch) -> TestResult {
    let db = s.database("db");
    let pitr = s.pitr("p");
    users_database(client, &db).await?;

    let created = client.pitr().create(Pitr::create(&pitr).database(&db).range(1, PitrUnit::Day)).await?;
    ensure_eq!(created.name, pitr, "the PITR's name");
    ensure_eq!(created.level, SnapshotLevel::Database, "the PITR's level");
    ensure_eq!(created.database.as_deref(), Some(db.as_str()), "the PITR's database");
    ensure_eq!((created.length, created.unit), (1, PitrUnit::Day), "the PITR's range");
    ensure!(client.pitr().list().await?.contains(&created), "list() has the PITR");
    client.pitr().alter(Pitr::alter(&pitr).range(2, PitrUnit::Day)).await?;
    let altered = client.pitr().get(&pitr).await?;
    ensure_eq!((altered.length, altered.unit), (2, PitrUnit::Day), "the range after alter()");

    let at = utc_second_between_changes(client).await?;
    client.execute(format!("DELETE FROM `{db}`.users WHERE name <> 'Bob'")).await?;
    client.execute(query(format!("INSERT INTO `{db}`.users (name) VALUES (?)")).bind("Mallory")).await?;
    client.restore().database_from_pitr(&db, &pitr, at.as_str()).await?;
    ensure_eq!(
        names(client, &format!("`{db}`.users")).await?,
        users_and(&[]),
        "users after restoring the database to {at}"
    );

    client.pitr().delete(&pitr).await?;
    ensure!(!client.pitr().exists(&pitr).await?, "exists() after delete()");
    match client.pitr().get(&pitr).await {
        Ok(found) => return Err(format!("get() found a deleted PITR: {found:?}").into()),
        Err(e) => ensure_eq!(e.kind(), ErrorKind::PitrNotFound, "get() after delete(): {e}"),
    }
    Ok(())
}
