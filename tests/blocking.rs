//! `matrixone::blocking`, the synchronous twin: plain SQL, transactions, threads and bulk writes
//! against the real MariaDB; the seed document's MatrixOne scenario in sync form (snapshots,
//! clones, mo_ctl, transactions, restore, PITR) against mosim; and a clear refusal, never a
//! panic, inside an async runtime.
#![cfg(feature = "blocking")]

mod support;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

use matrixone::blocking::{Client, Executor};
use matrixone::mo::{Pitr, PitrUnit, Snapshot, SnapshotLevel, snapshot_hint};
use matrixone::{Error, ErrorKind, FromRow, InsertOptions, Insertable, RetryPolicy, query};

fn client() -> Client {
    Client::connect_with(support::options().max_connections(4))
        .unwrap_or_else(|e| panic!("the test database at {} is unreachable: {e}", support::options()))
}

/// A table `name` with `columns`, dropped when the guard goes.
struct Table<'c> {
    client: &'c Client,
    name: String,
}

impl<'c> Table<'c> {
    fn new(client: &'c Client, prefix: &str, columns: &str) -> Table<'c> {
        let name = support::unique(prefix);
        client.execute(format!("DROP TABLE IF EXISTS `{name}`")).unwrap();
        client.execute(format!("CREATE TABLE `{name}` ({columns})")).unwrap();
        Table { client, name }
    }

    fn count(&self, db: &impl Executor) -> i64 {
        db.fetch_scalar(format!("SELECT COUNT(*) FROM `{}`", self.name)).unwrap()
    }

    fn names(&self, db: &impl Executor) -> Vec<String> {
        let rows: Vec<(String,)> =
            db.fetch_all(format!("SELECT name FROM `{}` ORDER BY id", self.name)).unwrap();
        rows.into_iter().map(|(name,)| name).collect()
    }
}

impl Drop for Table<'_> {
    fn drop(&mut self) {
        let _ = self.client.execute(format!("DROP TABLE IF EXISTS `{}`", self.name));
    }
}

const USERS: &str = "id BIGINT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(50) NOT NULL, email VARCHAR(100)";

#[derive(Debug, PartialEq, FromRow, Insertable)]
#[mo(table = "blocking_rs_users")]
struct User {
    #[mo(skip_insert)]
    id: i64,
    name: String,
    email: Option<String>,
}

fn user(name: &str) -> User {
    User { id: 0, name: name.to_owned(), email: Some(format!("{}@example.com", name.to_lowercase())) }
}

/// One function for the blocking Client and Transaction.
fn add_user(db: &impl Executor, table: &str, name: &str) -> matrixone::Result<u64> {
    let rs = db.execute(query(format!("INSERT INTO `{table}` (name) VALUES (?)")).bind(name))?;
    Ok(rs.last_insert_id())
}

#[test]
fn queries_through_every_executor_method() {
    let client = client();
    let t = Table::new(&client, "blk_users", USERS);
    let rs = client.execute("SELECT 1").unwrap();
    assert_eq!(rs.scalar::<i64>().unwrap(), 1);

    client
        .execute(
            query(format!("INSERT INTO `{}` (name, email) VALUES (?, ?)", t.name))
                .bind("Alice")
                .bind("a@x.io"),
        )
        .unwrap();
    assert_eq!(add_user(&client, &t.name, "Bob").unwrap(), 2);
    let users: Vec<User> = client
        .fetch_all(query(format!("SELECT id, name, email FROM `{}` WHERE id > ?", t.name)).bind(0))
        .unwrap();
    assert_eq!(
        users,
        [
            User { id: 1, name: "Alice".into(), email: Some("a@x.io".into()) },
            User { id: 2, name: "Bob".into(), email: None }
        ]
    );
    let bob: User =
        client.fetch_one(format!("SELECT id, name, email FROM `{}` WHERE id = 2", t.name)).unwrap();
    assert_eq!(bob.name, "Bob");
    let none: Option<User> =
        client.fetch_optional(format!("SELECT id, name, email FROM `{}` LIMIT 0", t.name)).unwrap();
    assert_eq!(none, None);
    let err =
        client.fetch_one::<User>(format!("SELECT id, name, email FROM `{}` LIMIT 0", t.name)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RowNotFound);
    assert_eq!(
        client
            .fetch_scalar::<Option<String>>(format!("SELECT email FROM `{}` WHERE id = 2", t.name))
            .unwrap(),
        None
    );
    let err = client.execute("SELECT * FROM no_such_table_blocking").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::TableNotFound);

    // The typed builders run unchanged (they render their SQL; MariaDB does not know it).
    let err = client.run(Snapshot::create("bad name").database("test")).unwrap_err();
    assert_eq!((err.kind(), err.code()), (ErrorKind::InvalidInput, None));
}

#[test]
fn transaction_commits_on_ok_and_rolls_back_on_err_and_panic() {
    let client = client();
    let t = Table::new(&client, "blk_tx", USERS);

    let id: u64 = client
        .transaction(|tx| {
            add_user(tx, &t.name, "Alice")?;
            tx.fetch_scalar("SELECT LAST_INSERT_ID()")
        })
        .unwrap();
    assert_eq!(id, 1);
    assert_eq!(t.names(&client), ["Alice"]);

    let failed: matrixone::Result<()> = client.transaction(|tx| {
        add_user(tx, &t.name, "Mallory")?;
        assert_eq!(t.count(tx), 2, "the transaction sees its own insert");
        Err(Error::invalid_input("a business rule refused Mallory"))
    });
    assert_eq!(failed.unwrap_err().message(), "a business rule refused Mallory");
    assert_eq!(t.names(&client), ["Alice"]);

    let panicked = catch_unwind(AssertUnwindSafe(|| {
        client.transaction(|tx| -> matrixone::Result<()> {
            add_user(tx, &t.name, "Trudy")?;
            panic!("boom");
        })
    }));
    assert!(panicked.is_err(), "the panic goes on after the rollback");
    assert_eq!(t.names(&client), ["Alice"]);
}

#[test]
fn begin_commit_rollback_and_drop() {
    // One connection: a transaction that did not give it back would block the next statement.
    let client =
        Client::connect_with(support::options().max_connections(1).acquire_timeout(Duration::from_secs(3)))
            .unwrap();
    let t = Table::new(&client, "blk_begin", USERS);

    let tx = client.begin().unwrap();
    add_user(&tx, &t.name, "Alice").unwrap();
    tx.commit().unwrap();

    let tx = client.begin().unwrap();
    add_user(&tx, &t.name, "Mallory").unwrap();
    assert_eq!(t.names(&tx), ["Alice", "Mallory"]);
    tx.rollback().unwrap();

    {
        let tx = client.begin().unwrap();
        add_user(&tx, &t.name, "Dave").unwrap();
    } // rolled back before `drop` returns, and the connection is back
    assert_eq!(t.names(&client), ["Alice"]);
}

#[test]
fn transaction_with_runs_again_after_a_retryable_error() {
    let client = client();
    let t = Table::new(&client, "blk_retry", USERS);
    let mut attempts = 0;
    let policy = RetryPolicy::default().max_attempts(3).initial_backoff(Duration::from_millis(10));
    let id = client
        .transaction_with(policy, |tx| {
            attempts += 1;
            let id = add_user(tx, &t.name, &format!("attempt{attempts}"))?;
            if attempts == 1 {
                return Err(Error::from_server(1213, "Deadlock found when trying to get lock"));
            }
            Ok(id)
        })
        .unwrap();
    assert_eq!(attempts, 2);
    assert_eq!(t.names(&client), ["attempt2"], "the first attempt was rolled back");
    assert_eq!(id, 2);
}

#[test]
fn clones_run_side_by_side_on_many_threads() {
    let client = client();
    let t = Table::new(&client, "blk_threads", USERS);
    let started = Instant::now();
    std::thread::scope(|s| {
        for thread in 0..4 {
            let client = client.clone();
            let table = t.name.clone();
            s.spawn(move || {
                client.execute("SELECT SLEEP(0.5)").unwrap();
                for i in 0..25 {
                    add_user(&client, &table, &format!("t{thread}_{i}")).unwrap();
                }
            });
        }
    });
    assert_eq!(t.count(&client), 100);
    // Four half-second sleeps on four connections at once, not one after another.
    assert!(started.elapsed() < Duration::from_millis(1800), "took {:?}", started.elapsed());
}

#[test]
fn fetch_iterates_and_an_early_drop_frees_the_connection() {
    let client =
        Client::connect_with(support::options().max_connections(1).acquire_timeout(Duration::from_secs(3)))
            .unwrap();
    let sql =
        "WITH RECURSIVE s (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 1000) SELECT n FROM s";
    let sum: i64 = client.fetch::<(i64,)>(sql).map(|row| row.unwrap().0).sum();
    assert_eq!(sum, 500_500);
    let mut rows = client.fetch::<(i64,)>(sql);
    assert_eq!(rows.next().unwrap().unwrap(), (1,));
    drop(rows);
    assert_eq!(client.fetch_scalar::<i64>("SELECT 2").unwrap(), 2);
    let mut failing = client.fetch::<(i64,)>("SELECT * FROM no_such_table_blocking");
    assert_eq!(failing.next().unwrap().unwrap_err().kind(), ErrorKind::TableNotFound);
    assert!(failing.next().is_none());
}

#[test]
fn insert_many_writes_all_or_nothing() {
    let client = client();
    let t = Table::new(&client, "blk_insert", USERS);
    let users: Vec<User> = ["Alice", "Bob", "Carol"].map(user).into();
    let options = || InsertOptions::new().table(t.name.as_str());
    assert_eq!(client.insert_many_with(&users, options()).unwrap(), 3);
    assert_eq!(client.transaction(|tx| tx.insert_many_with(&users[..1], options())).unwrap(), 1);
    let back: Vec<User> =
        client.fetch_all(format!("SELECT id, name, email FROM `{}` ORDER BY id", t.name)).unwrap();
    assert_eq!(back.iter().map(|u| u.name.as_str()).collect::<Vec<_>>(), ["Alice", "Bob", "Carol", "Alice"]);
    assert_eq!(back[1].email.as_deref(), Some("bob@example.com"));

    // A duplicate id in the third statement: nothing of this batch is written.
    client.execute(format!("DELETE FROM `{}` WHERE id = 4", t.name)).unwrap();
    client.execute(format!("ALTER TABLE `{}` ADD UNIQUE (name)", t.name)).unwrap();
    let batch: Vec<User> =
        (0..30).map(|i| user(&if i == 25 { "Bob".to_owned() } else { format!("n{i}") })).collect();
    let err = client.insert_many_with(&batch, options().max_rows_per_statement(10)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::DuplicateKey, "{err}");
    assert!(err.message().contains("nothing was written"), "{err}");
    assert_eq!(t.count(&client), 3);

    // The derive's own table, through `insert`.
    let fixed = Table { client: &client, name: User::TABLE.to_owned() };
    client.execute(format!("DROP TABLE IF EXISTS {}", User::TABLE)).unwrap();
    client.execute(format!("CREATE TABLE {} ({USERS})", User::TABLE)).unwrap();
    assert_eq!(client.insert(&user("Zed")).unwrap(), 1);
    assert_eq!(fixed.names(&client), ["Zed"]);
}

#[test]
fn close_ends_the_client() {
    let client = client();
    let clone = client.clone();
    client.close().unwrap();
    assert!(clone.is_closed());
    assert_eq!(clone.execute("SELECT 1").unwrap_err().kind(), ErrorKind::Connection);
    assert!(format!("{client:?}").contains("Client"));
}

const INSIDE_ASYNC: &str = "use the async Client inside an async runtime";

/// Inside an async runtime every blocking call says so instead of blocking (or panicking), and
/// dropping blocking values there is safe.
#[tokio::test]
async fn inside_an_async_runtime_calls_are_refused_not_panics() {
    let err = Client::connect(&support::url()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert!(err.message().contains(INSIDE_ASYNC), "{err}");

    // Built on a thread of its own, outside the runtime, then used in here.
    let url = support::url();
    let (client, table, tx) = std::thread::spawn(move || {
        let client = Client::connect(&url).unwrap();
        let table = support::unique("blk_async");
        client.execute(format!("CREATE TABLE `{table}` ({USERS})")).unwrap();
        let tx = client.begin().unwrap();
        add_user(&tx, &table, "Alice").unwrap();
        (client, table, tx)
    })
    .join()
    .unwrap();

    for err in [
        client.execute("SELECT 1").unwrap_err(),
        client.fetch_scalar::<i64>("SELECT 1").unwrap_err(),
        client.begin().unwrap_err(),
        client.transaction(|_| Ok(())).unwrap_err(),
        client.snapshots().list().unwrap_err(),
        client.insert_many(&[user("Bob")]).unwrap_err(),
        client.close().unwrap_err(),
        client.fetch::<(i64,)>("SELECT 1").next().unwrap().unwrap_err(),
        tx.execute("SELECT 1").unwrap_err(),
    ] {
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err}");
        assert!(err.message().contains(INSIDE_ASYNC), "{err}");
    }
    let mut rows = client.fetch::<(i64,)>("SELECT 1");
    assert!(rows.next().unwrap().is_err());
    assert!(rows.next().is_none(), "after the refusal the iterator ends");
    assert_eq!(tx.commit().unwrap_err().kind(), ErrorKind::InvalidInput);

    // `tx` was dropped by the refused commit: its rollback runs on the client's own runtime.
    let check = client.clone();
    let count = std::thread::spawn(move || {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let n: i64 = check.fetch_scalar(format!("SELECT COUNT(*) FROM `{table}`")).unwrap();
            if n == 0 || Instant::now() > deadline {
                check.execute(format!("DROP TABLE `{table}`")).unwrap();
                return n;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    })
    .join()
    .unwrap();
    assert_eq!(count, 0, "the dropped transaction's insert was rolled back");
    drop(client); // the last handle, dropped inside the runtime: no panic
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inside_a_multi_thread_runtime_too() {
    let err = Client::connect(&support::url()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    let err = tokio::spawn(async { Client::connect(&support::url()).unwrap_err() }).await.unwrap();
    assert!(err.message().contains(INSIDE_ASYNC), "{err}");
}

/// mosim (the MatrixOne simulator) on the local MariaDB, run by a runtime of the test's own, and
/// the databases, snapshots and PITRs a scenario creates, dropped at the end.
struct Mosim {
    runtime: tokio::runtime::Runtime,
    server: Option<mosim::Server>,
    client: Client,
    databases: Vec<String>,
    snapshots: Vec<String>,
    pitrs: Vec<String>,
}

impl Mosim {
    fn start() -> Mosim {
        let backend =
            std::env::var("MOSIM_BACKEND").unwrap_or_else(|_| "mysql://root@127.0.0.1:3306".to_owned());
        let runtime =
            tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        let server = runtime
            .block_on(mosim::Server::start(&backend))
            .unwrap_or_else(|e| panic!("mosim could not start on the MariaDB at {backend}: {e}"));
        let client = Client::connect(&server.url("test")).unwrap();
        Mosim {
            runtime,
            server: Some(server),
            client,
            databases: Vec::new(),
            snapshots: Vec::new(),
            pitrs: Vec::new(),
        }
    }

    fn database(&mut self, tag: &str) -> String {
        let name = support::unique(&format!("blk_{tag}"));
        self.databases.push(name.clone());
        name
    }

    fn snapshot(&mut self, tag: &str) -> String {
        let name = support::unique(&format!("blk_{tag}"));
        self.snapshots.push(name.clone());
        name
    }

    fn pitr(&mut self, tag: &str) -> String {
        let name = support::unique(&format!("blk_{tag}"));
        self.pitrs.push(name.clone());
        name
    }

    /// A database with `users` holding Bob, Charlie and Dave (ids 1 to 3).
    fn users_database(&mut self, tag: &str) -> String {
        let db = self.database(tag);
        self.client.execute(format!("CREATE DATABASE `{db}`")).unwrap();
        self.client.execute(format!("CREATE TABLE `{db}`.users ({USERS})")).unwrap();
        for name in ["Bob", "Charlie", "Dave"] {
            self.client
                .execute(query(format!("INSERT INTO `{db}`.users (name) VALUES (?)")).bind(name))
                .unwrap();
        }
        db
    }

    fn names(&self, source: &str) -> Vec<String> {
        let rows: Vec<(String,)> =
            self.client.fetch_all(format!("SELECT name FROM {source} ORDER BY id")).unwrap();
        rows.into_iter().map(|(name,)| name).collect()
    }
}

impl Drop for Mosim {
    fn drop(&mut self) {
        for pitr in &self.pitrs {
            let _ = self.client.run(Pitr::drop(pitr.as_str()).if_exists());
        }
        for snapshot in &self.snapshots {
            let _ = self.client.run(Snapshot::drop(snapshot.as_str()).if_exists());
        }
        for db in &self.databases {
            let _ = self.client.execute(format!("DROP DATABASE IF EXISTS `{db}`"));
        }
        let _ = self.client.close();
        if let Some(server) = self.server.take() {
            self.runtime.block_on(server.shutdown());
        }
    }
}

fn strings(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| (*s).to_owned()).collect()
}

/// Seed sections 1 and 4: connect, `SELECT 1`, and a database snapshot created, listed, got, read
/// at, and deleted.
#[test]
fn seed_snapshots_in_sync_form() {
    let mut mo = Mosim::start();
    assert_eq!(mo.client.execute("SELECT 1").unwrap().scalar::<i64>().unwrap(), 1);
    let db = mo.users_database("snapdb");
    let sp = mo.snapshot("sp");
    let created = mo.client.snapshots().create(Snapshot::create(&sp).database(&db)).unwrap();
    assert_eq!((created.name.as_str(), created.level), (sp.as_str(), SnapshotLevel::Database));
    assert_eq!(created.database.as_deref(), Some(db.as_str()));

    mo.client.execute(format!("UPDATE `{db}`.users SET name = 'Robert' WHERE name = 'Bob'")).unwrap();
    assert_eq!(mo.names(&format!("`{db}`.users")), strings(&["Robert", "Charlie", "Dave"]));
    let then = format!("`{db}`.users {}", snapshot_hint(&sp).unwrap());
    assert_eq!(mo.names(&then), strings(&["Bob", "Charlie", "Dave"]));

    assert!(mo.client.snapshots().list().unwrap().contains(&created));
    assert_eq!(mo.client.snapshots().get(&sp).unwrap(), created);
    assert!(mo.client.snapshots().exists(&sp).unwrap());
    mo.client.snapshots().delete(&sp).unwrap();
    assert!(!mo.client.snapshots().exists(&sp).unwrap());
    assert_eq!(mo.client.snapshots().get(&sp).unwrap_err().kind(), ErrorKind::SnapshotNotFound);
}

/// Seed sections 5 and 6: clones now and at a snapshot, and `mo_ctl` answering OK.
#[test]
fn seed_clones_and_moctl_in_sync_form() {
    let mut mo = Mosim::start();
    let source = mo.users_database("source");
    let backup = mo.database("backup");
    let then = mo.database("then");
    let sp = mo.snapshot("sp");
    mo.client.snapshots().create(Snapshot::create(&sp).database(&source)).unwrap();
    mo.client.execute(query(format!("INSERT INTO `{source}`.users (name) VALUES (?)")).bind("Erin")).unwrap();

    mo.client.clones().clone_database(&backup, &source).unwrap();
    assert_eq!(mo.names(&format!("`{backup}`.users")), strings(&["Bob", "Charlie", "Dave", "Erin"]));
    mo.client.clones().clone_table(format!("{source}.copy"), (source.as_str(), "users")).unwrap();
    assert_eq!(mo.names(&format!("`{source}`.copy")).len(), 4);
    mo.client.clones().clone_database_with_snapshot(&then, &source, &sp).unwrap();
    assert_eq!(mo.names(&format!("`{then}`.users")), strings(&["Bob", "Charlie", "Dave"]));
    mo.client
        .clones()
        .clone_table_with_snapshot((source.as_str(), "old"), (source.as_str(), "users"), &sp)
        .unwrap();
    assert_eq!(mo.names(&format!("`{source}`.old")), strings(&["Bob", "Charlie", "Dave"]));
    let err = mo.client.clones().clone_database(&backup, &source).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::DatabaseExists, "{err}");

    let flushed = mo.client.moctl().flush_table(&source, "users").unwrap();
    assert!(flushed.is_ok(), "{flushed:?}");
    assert!(mo.client.moctl().checkpoint().unwrap().is_ok());
    assert!(mo.client.moctl().global_checkpoint().unwrap().is_ok());
}

/// Seed section 7, `with client.transaction() as tx:`: committed on Ok, rolled back on Err; a
/// snapshot inside a transaction is refused by MatrixOne (and the transaction rolled back).
#[test]
fn seed_transactions_in_sync_form() {
    let mut mo = Mosim::start();
    let db = mo.users_database("txdb");
    let in_tx = mo.snapshot("in_tx");
    let insert = |name: &str| query(format!("INSERT INTO `{db}`.users (name) VALUES (?)")).bind(name);

    mo.client
        .transaction(|tx| {
            tx.execute(insert("Alice"))?;
            tx.clones().clone_table(format!("{db}.backup"), format!("{db}.users"))
        })
        .unwrap();
    assert_eq!(mo.names(&format!("`{db}`.users")), strings(&["Bob", "Charlie", "Dave", "Alice"]));

    let err = mo
        .client
        .transaction(|tx| {
            tx.execute(insert("Mallory"))?;
            tx.snapshots().create(Snapshot::create(&in_tx).database(&db))
        })
        .unwrap_err();
    // MatrixOne refuses snapshot DDL in a transaction; the SDK says so before sending anything.
    assert_eq!(err.kind(), matrixone::ErrorKind::NotAllowedInTransaction, "{err}");
    assert_eq!(err.code(), None, "{err}");
    assert_eq!(mo.names(&format!("`{db}`.users")), strings(&["Bob", "Charlie", "Dave", "Alice"]));
    assert!(!mo.client.snapshots().exists(&in_tx).unwrap());

    let tx = mo.client.begin().unwrap();
    tx.execute(insert("Eve")).unwrap();
    tx.rollback().unwrap();
    assert_eq!(mo.names(&format!("`{db}`.users")).len(), 4);

    // Bulk writes on MatrixOne's wire: two statements in a transaction of their own, then a
    // duplicate in the second one, which leaves nothing.
    let table = format!("{db}.users");
    let batch = [user("Frank"), user("Grace")];
    let options = || InsertOptions::new().table(table.as_str()).max_rows_per_statement(1);
    assert_eq!(mo.client.insert_many_with(&batch, options()).unwrap(), 2);
    assert_eq!(
        mo.names(&format!("`{db}`.users")),
        strings(&["Bob", "Charlie", "Dave", "Alice", "Frank", "Grace"])
    );
    #[derive(Insertable)]
    #[mo(table = "members")]
    struct Member {
        id: i64,
        name: &'static str,
    }
    let clash = [Member { id: 100, name: "Heidi" }, Member { id: 1, name: "Ivan" }];
    let err = mo.client.insert_many_with(&clash, options()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::DuplicateKey, "{err}");
    assert_eq!(mo.names(&format!("`{db}`.users")).len(), 6, "nothing of the failed batch");
}

/// Restore a table and a database from a snapshot, and a database from a PITR.
#[test]
fn seed_restore_and_pitr_in_sync_form() {
    let mut mo = Mosim::start();
    let db = mo.users_database("restoredb");
    let sp = mo.snapshot("sp");
    let pitr = mo.pitr("p");
    mo.client.snapshots().create(Snapshot::create(&sp).database(&db)).unwrap();

    mo.client.execute(format!("DELETE FROM `{db}`.users WHERE id > 1")).unwrap();
    mo.client.restore().table(&db, "users", &sp).unwrap();
    assert_eq!(mo.names(&format!("`{db}`.users")), strings(&["Bob", "Charlie", "Dave"]));
    mo.client.execute(format!("UPDATE `{db}`.users SET name = 'Zed'")).unwrap();
    mo.client.restore().database(&db, &sp).unwrap();
    assert_eq!(mo.names(&format!("`{db}`.users")), strings(&["Bob", "Charlie", "Dave"]));

    let created = mo.client.pitr().create(Pitr::create(&pitr).database(&db).range(1, PitrUnit::Day)).unwrap();
    assert_eq!((created.length, created.unit), (1, PitrUnit::Day));
    mo.client.pitr().alter(Pitr::alter(&pitr).range(2, PitrUnit::Day)).unwrap();
    assert_eq!(mo.client.pitr().get(&pitr).unwrap().length, 2);
    assert!(mo.client.pitr().list().unwrap().iter().any(|p| p.name == pitr));

    std::thread::sleep(Duration::from_millis(1100));
    let at: String =
        mo.client.fetch_scalar("SELECT DATE_FORMAT(UTC_TIMESTAMP(), '%Y-%m-%d %H:%i:%s')").unwrap();
    std::thread::sleep(Duration::from_millis(1100));
    mo.client.execute(format!("DELETE FROM `{db}`.users")).unwrap();
    mo.client.restore().database_from_pitr(&db, &pitr, at.as_str()).unwrap();
    assert_eq!(mo.names(&format!("`{db}`.users")), strings(&["Bob", "Charlie", "Dave"]));

    mo.client.pitr().delete(&pitr).unwrap();
    assert!(!mo.client.pitr().exists(&pitr).unwrap());
}

/// DATA BRANCH through the blocking client: a branch, changes on both sides, a diff listing
/// exactly them, MERGE failing with the typed conflict (nothing applied), then SKIP keeping the
/// target's row; PICK refused in a transaction, a MERGE in one undone by its rollback; and the
/// publication and account managers refused on MariaDB before anything is sent.
#[test]
fn branches_create_diff_and_merge_in_sync_form() {
    use matrixone::mo::{BranchConflict, DiffFlag, DiffSide, OnConflict};

    #[derive(Debug, PartialEq, Eq, PartialOrd, Ord, FromRow)]
    struct Person {
        id: i64,
        name: String,
    }

    let mut mo = Mosim::start();
    let db = mo.database("branch");
    let (main, dev) = (format!("{db}.main"), format!("{db}.dev"));
    mo.client.execute(format!("CREATE DATABASE `{db}`")).unwrap();
    mo.client.execute(format!("CREATE TABLE {main} (id INT PRIMARY KEY, name VARCHAR(20))")).unwrap();
    mo.client.execute(format!("INSERT INTO {main} VALUES (1, 'Alice'), (2, 'Bob'), (3, 'Carol')")).unwrap();
    mo.client.branches().create_table(&dev, &main).unwrap();
    assert!(mo.client.branches().diff(&dev, &main).unwrap().is_empty(), "a fresh branch differs in nothing");

    mo.client.execute(format!("UPDATE {dev} SET name = 'Alicia' WHERE id = 1")).unwrap();
    mo.client.execute(format!("INSERT INTO {dev} VALUES (4, 'Dave')")).unwrap();
    mo.client.execute(format!("UPDATE {main} SET name = 'Ally' WHERE id = 1")).unwrap();
    mo.client.execute(format!("DELETE FROM {main} WHERE id = 3")).unwrap();

    let diff = mo.client.branches().diff(&dev, &main).unwrap();
    assert_eq!((diff.target.as_str(), diff.base.as_str()), ("dev", "main"));
    let mut rows = diff.typed::<Person>().unwrap();
    rows.sort_by(|a, b| (&a.2, a.0 as u8).cmp(&(&b.2, b.0 as u8)));
    assert_eq!(
        rows,
        vec![
            (DiffSide::Target, DiffFlag::Update, Person { id: 1, name: "Alicia".into() }),
            (DiffSide::Base, DiffFlag::Update, Person { id: 1, name: "Ally".into() }),
            (DiffSide::Base, DiffFlag::Delete, Person { id: 3, name: "Carol".into() }),
            (DiffSide::Target, DiffFlag::Insert, Person { id: 4, name: "Dave".into() }),
        ]
    );
    assert_eq!(mo.client.branches().diff_count(&dev, &main).unwrap(), 4);
    let summary = mo.client.branches().diff_summary(&dev, &main).unwrap();
    assert_eq!((summary.target.inserted, summary.target.updated, summary.target.deleted), (1, 1, 0));
    assert_eq!((summary.base.inserted, summary.base.updated, summary.base.deleted), (0, 1, 1));

    let main_rows = |mo: &Mosim| -> Vec<(i64, String)> {
        mo.client.fetch_all(format!("SELECT id, name FROM {main} ORDER BY id")).unwrap()
    };
    let before = main_rows(&mo);
    assert_eq!(before, [(1, "Ally".to_owned()), (2, "Bob".to_owned())]);
    let err = mo.client.branches().merge(&dev, &main, OnConflict::Fail).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::BranchConflict, "{err}");
    assert_eq!(BranchConflict::of(&err).expect("the conflict parses").key, "1", "{err}");
    assert_eq!(main_rows(&mo), before, "a failed merge changes nothing");

    // In a transaction: PICK is refused before sending, a MERGE runs and the rollback undoes it.
    let tx = mo.client.begin().unwrap();
    let err = tx.branches().pick(&dev, &main, [4], OnConflict::Skip).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotAllowedInTransaction, "{err}");
    tx.branches().merge(&dev, &main, OnConflict::Skip).unwrap();
    assert_eq!(tx.fetch_scalar::<i64>(format!("SELECT COUNT(*) FROM {main}")).unwrap(), 3);
    tx.rollback().unwrap();
    assert_eq!(main_rows(&mo), before, "the rollback took the merge back");

    mo.client.branches().merge(&dev, &main, OnConflict::Skip).unwrap();
    assert_eq!(
        main_rows(&mo),
        [(1, "Ally".to_owned()), (2, "Bob".to_owned()), (4, "Dave".to_owned())],
        "SKIP keeps the target's row 1 and brings Dave"
    );
    mo.client.branches().delete_table(&dev).unwrap();
    let err = mo.client.execute(format!("SELECT * FROM {dev}")).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::TableNotFound, "{err}");

    // MariaDB is no MatrixOne: every manager refuses before sending.
    let maria = client();
    let err = maria.branches().diff("a", "b").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnsupportedServer, "{err}");
    let err = maria.publications().list().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnsupportedServer, "{err}");
    let err = maria.accounts().create_user("blk_nobody", "pa55").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnsupportedServer, "{err}");
    assert!(!err.to_string().contains("pa55"), "{err}");
}
