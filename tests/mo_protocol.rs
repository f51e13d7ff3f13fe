//! What reaches the wire for MatrixOne statements, read back from MariaDB's general log.
//!
//! MariaDB does not know MatrixOne's syntax and rejects every statement; that is expected. What
//! is checked is how each one arrived: as one text `Query` carrying exactly the SQL `to_sql()`
//! renders, never as `Prepare`/`Execute` (MatrixOne cannot prepare most of them, reference
//! §10.2), and that an invalid name sends nothing at all.
//!
//! The general log is global server state, so one test function does everything in sequence,
//! reads only the rows of its own connections, and puts `general_log` / `log_output` back as it
//! found them.
//!
//! The SDK sends MatrixOne's statements only to MatrixOne ([`matrixone::mo::Requires`]): to
//! MariaDB itself they are refused before sending (checked here too). So the clients under test
//! reach MariaDB through [`Disguise`], a proxy that makes the server report a MatrixOne version
//! and changes nothing else.

mod support;

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicU32, Ordering};

use futures_util::FutureExt as _;
use matrixone::mo::{self, Dialect, MoCtl, MoStatement, Pitr, PitrUnit, Restore, Snapshot, SnapshotRead};
use matrixone::mo::{CloneManager, MoCtlManager, PitrManager, RestoreManager, SnapshotManager};
use matrixone::sql::{EscapeMode, string_literal};
use matrixone::{Client, ErrorKind, Executor, Transaction, query};

const TS: &str = "2026-01-02 03:04:05";

/// One row of `mysql.general_log`: `command_type` and `argument`.
type Sent = Vec<(String, String)>;

/// Reads the general log through its own connection.
struct Log {
    admin: Client,
    run: String,
}

impl Log {
    /// The rows logged for connection `thread` between the two markers that `probe` sent.
    async fn between(&self, thread: u64, begin: &str, end: &str) -> Sent {
        let rows: Vec<(String, String)> = self
            .admin
            .fetch_all(
                query(
                    "SELECT CAST(command_type AS CHAR), CAST(argument AS CHAR) FROM mysql.general_log \
                     WHERE thread_id = ?",
                )
                .bind(thread),
            )
            .await
            .expect("read the general log");
        let start = rows.iter().position(|(_, arg)| arg.contains(begin)).expect("begin marker logged");
        let stop = rows.iter().position(|(_, arg)| arg.contains(end)).expect("end marker logged");
        assert!(start < stop, "markers out of order");
        rows[start + 1..stop].to_vec()
    }

    /// Runs `action` on `exec` between two marker queries and returns what it sent.
    async fn probe<E: Executor, T>(
        &self,
        exec: &E,
        thread: u64,
        action: impl Future<Output = T>,
    ) -> (T, Sent) {
        static N: AtomicU32 = AtomicU32::new(0);
        let n = N.fetch_add(1, Ordering::Relaxed);
        let begin = format!("mo-protocol-{}-{n}-begin", self.run);
        let end = format!("mo-protocol-{}-{n}-end", self.run);
        exec.execute(format!("SELECT '{begin}'")).await.expect("begin marker");
        let out = action.await;
        exec.execute(format!("SELECT '{end}'")).await.expect("end marker");
        let sent = self.between(thread, &begin, &end).await;
        (out, sent)
    }
}

/// Asserts that `stmt` runs on `exec` as exactly one text query with its `to_sql()` text.
async fn arrives_as_query<E: Executor, S: MoStatement + Clone + std::fmt::Debug>(
    log: &Log,
    exec: &E,
    thread: u64,
    stmt: S,
) {
    let sql = stmt.render(Dialect::V4).expect("renders");
    let (result, sent) = log.probe(exec, thread, exec.run(stmt.clone())).await;
    // MariaDB rejects the syntax (a `mo_ctl` stand-in function may exist there, so a `SELECT
    // mo_ctl(..)` can succeed); either way the statement was sent, not refused.
    if let Err(err) = result {
        assert_ne!(err.kind(), ErrorKind::InvalidInput, "{stmt:?}: {err}");
    }
    assert_eq!(sent, vec![("Query".to_owned(), sql.clone())], "{stmt:?}");
}

/// Asserts that a manager call sends exactly `expected`, each as a text query.
async fn manager_sends<E: Executor, T>(
    log: &Log,
    exec: &E,
    thread: u64,
    call: impl Future<Output = matrixone::Result<T>>,
    expected: &[String],
) {
    let (result, sent) = log.probe(exec, thread, call).await;
    if let Err(err) = result {
        assert_ne!(err.kind(), ErrorKind::InvalidInput, "{expected:?}: {err}");
    }
    let want: Sent = expected.iter().map(|sql| ("Query".to_owned(), sql.clone())).collect();
    assert_eq!(sent, want);
}

/// Asserts that `call` fails with `InvalidInput` and sends nothing at all.
async fn sends_nothing<E: Executor, T: std::fmt::Debug>(
    log: &Log,
    exec: &E,
    thread: u64,
    what: &str,
    call: impl Future<Output = matrixone::Result<T>>,
) {
    refused_before_sending(log, exec, thread, what, ErrorKind::InvalidInput, call).await;
}

/// Asserts that `call` fails with `kind` and sends nothing at all.
async fn refused_before_sending<E: Executor, T: std::fmt::Debug>(
    log: &Log,
    exec: &E,
    thread: u64,
    what: &str,
    kind: ErrorKind,
    call: impl Future<Output = matrixone::Result<T>>,
) {
    let (result, sent) = log.probe(exec, thread, call).await;
    match result {
        Err(e) => assert_eq!(e.kind(), kind, "{what}: {e}"),
        Ok(v) => panic!("{what} succeeded: {v:?}"),
    }
    assert_eq!(sent, Sent::new(), "{what} sent something");
}

/// The manager accessors, which `Client` and `Transaction` each have as inherent methods, behind
/// one trait so the same scenario runs on both.
trait Managers: Executor + Sized {
    fn snapshots(&self) -> SnapshotManager<'_, Self>;
    fn clones(&self) -> CloneManager<'_, Self>;
    fn restore(&self) -> RestoreManager<'_, Self>;
    fn pitr(&self) -> PitrManager<'_, Self>;
    fn moctl(&self) -> MoCtlManager<'_, Self>;
}

macro_rules! managers {
    ($($ty:ty),+) => {$(
        impl Managers for $ty {
            fn snapshots(&self) -> SnapshotManager<'_, Self> {
                <$ty>::snapshots(self)
            }
            fn clones(&self) -> CloneManager<'_, Self> {
                <$ty>::clones(self)
            }
            fn restore(&self) -> RestoreManager<'_, Self> {
                <$ty>::restore(self)
            }
            fn pitr(&self) -> PitrManager<'_, Self> {
                <$ty>::pitr(self)
            }
            fn moctl(&self) -> MoCtlManager<'_, Self> {
                <$ty>::moctl(self)
            }
        }
    )+};
}
managers!(Client, Transaction);

fn v4<S: MoStatement>(stmt: S) -> String {
    stmt.render(Dialect::V4).expect("renders")
}

#[tokio::test]
async fn mo_statements_arrive_as_text_queries_and_invalid_ones_send_nothing() {
    let admin = support::client().await;
    let (output, on): (String, i64) =
        admin.fetch_one("SELECT @@GLOBAL.log_output, @@GLOBAL.general_log + 0").await.expect("read settings");
    let needs_table = !output.to_ascii_uppercase().contains("TABLE");
    if needs_table {
        admin.execute("SET GLOBAL log_output = 'TABLE'").await.expect("log to a table (needs SUPER)");
    }
    if on == 0 {
        admin.execute("SET GLOBAL general_log = 'ON'").await.expect("general log on");
    }
    let log = Log { admin: admin.clone(), run: support::unique("run") };

    let outcome = AssertUnwindSafe(scenarios(&log)).catch_unwind().await;

    if on == 0 {
        admin.execute("SET GLOBAL general_log = 'OFF'").await.expect("general log back off");
    }
    if needs_table {
        let previous = string_literal(&output, EscapeMode::Backslash);
        admin.execute(format!("SET GLOBAL log_output = {previous}")).await.expect("log_output restored");
    }
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}

async fn scenarios(log: &Log) {
    // Straight to MariaDB, a MatrixOne statement is refused before sending.
    let direct = Client::connect_with(support::options().max_connections(1)).await.expect("connect");
    let direct_thread: u64 = direct.fetch_scalar("SELECT CONNECTION_ID()").await.expect("connection id");
    let l = log;
    refused_before_sending(
        l,
        &direct,
        direct_thread,
        "on MariaDB",
        ErrorKind::UnsupportedServer,
        direct.snapshots().list(),
    )
    .await;
    refused_before_sending(
        l,
        &direct,
        direct_thread,
        "on MariaDB",
        ErrorKind::UnsupportedServer,
        direct.run(mo::Clone::database("b", "a")),
    )
    .await;
    direct.close().await;

    // Through the disguise, the SDK takes MariaDB for MatrixOne and sends.
    let disguise = Disguise::start().await;
    // One connection, so every statement of this client shares one thread id in the log.
    let client = Client::connect_with(disguise.options().max_connections(1)).await.expect("connect");
    assert!(client.server_version().is_matrixone(), "{}", client.server_version());
    let thread: u64 = client.fetch_scalar("SELECT CONNECTION_ID()").await.expect("connection id");

    builders_via_run(log, &client, thread).await;
    managers(log, &client, thread).await;
    invalid_names_send_nothing(log, &client, thread).await;
    dialects(log, &client, thread, &disguise).await;

    // Inside a transaction MatrixOne's rule applies (stmt_kind.go): clones and mo_ctl run on the
    // transaction's connection; snapshot/PITR DDL and RESTORE are refused before sending; SHOW
    // SNAPSHOTS / SHOW PITR go to another pooled connection (so this client has two).
    let tx_client = Client::connect_with(disguise.options().max_connections(2)).await.expect("connect");
    let tx = tx_client.begin().await.expect("begin");
    let tx_thread: u64 = tx.fetch_scalar("SELECT CONNECTION_ID()").await.expect("connection id");
    in_transaction(log, &tx, tx_thread).await;
    invalid_names_send_nothing(log, &tx, tx_thread).await;
    tx.rollback().await.expect("rollback");

    // Over the whole run, nothing was prepared on this connection.
    let prepared: i64 = log
        .admin
        .fetch_scalar(
            query(
                "SELECT COUNT(*) FROM mysql.general_log WHERE thread_id = ? \
                 AND command_type IN ('Prepare', 'Execute')",
            )
            .bind(thread),
        )
        .await
        .expect("count prepares");
    assert_eq!(prepared, 0, "a MatrixOne statement was prepared");

    snapshot_reads(log).await;
    client.close().await;
}

async fn builders_via_run<E: Managers>(log: &Log, exec: &E, thread: u64) {
    // Snapshots.
    arrives_as_query(log, exec, thread, Snapshot::create("s1").cluster()).await;
    arrives_as_query(log, exec, thread, Snapshot::create("s1").account()).await;
    arrives_as_query(log, exec, thread, Snapshot::create("s1").account_named("acc1")).await;
    arrives_as_query(log, exec, thread, Snapshot::create("s1").database("test")).await;
    arrives_as_query(log, exec, thread, Snapshot::create("Daily_01").table("test", "users").if_not_exists())
        .await;
    arrives_as_query(log, exec, thread, Snapshot::drop("s1")).await;
    arrives_as_query(log, exec, thread, Snapshot::drop("s1").if_exists()).await;
    arrives_as_query(log, exec, thread, Snapshot::show()).await;
    arrives_as_query(log, exec, thread, Snapshot::show().named("s1")).await;

    // Clone.
    arrives_as_query(log, exec, thread, mo::Clone::database("backup_db", "source_db")).await;
    arrives_as_query(
        log,
        exec,
        thread,
        mo::Clone::table("test.backup_t", "test.source_t")
            .at_snapshot("s1")
            .if_not_exists()
            .to_account("acc1"),
    )
    .await;

    // Restore from a snapshot: MariaDB answers the V4 form with its own 1064, which is not
    // MatrixOne's parser error, so it is sent once and not retried in the V3 form.
    arrives_as_query(log, exec, thread, Restore::cluster().from_snapshot("s1")).await;
    arrives_as_query(log, exec, thread, Restore::account("acc1").from_snapshot("s1").to_account("acc2"))
        .await;
    arrives_as_query(log, exec, thread, Restore::database("test").from_snapshot("s1")).await;
    arrives_as_query(log, exec, thread, Restore::table("test", "users").from_snapshot("s1")).await;

    // Restore from a PITR.
    arrives_as_query(log, exec, thread, Restore::current_account().from_pitr("p1", TS)).await;
    arrives_as_query(log, exec, thread, Restore::cluster().from_pitr("p1", TS)).await;
    arrives_as_query(log, exec, thread, Restore::account("acc1").from_pitr("p1", TS)).await;
    arrives_as_query(log, exec, thread, Restore::database("test").from_pitr("p1", TS)).await;
    arrives_as_query(log, exec, thread, Restore::table("test", "users").from_pitr("p1", TS)).await;

    // PITR.
    arrives_as_query(log, exec, thread, Pitr::create("p1").database("test").range(1, PitrUnit::Day)).await;
    arrives_as_query(
        log,
        exec,
        thread,
        Pitr::create("p1").account().range(1, PitrUnit::Hour).if_not_exists(),
    )
    .await;
    arrives_as_query(log, exec, thread, Pitr::create("p1").cluster().range(1, PitrUnit::Year)).await;
    arrives_as_query(log, exec, thread, Pitr::create("p1").table("test", "users").range(2, PitrUnit::Month))
        .await;
    arrives_as_query(log, exec, thread, Pitr::alter("p1").range(2, PitrUnit::Hour)).await;
    arrives_as_query(log, exec, thread, Pitr::drop("p1").if_exists()).await;
    arrives_as_query(log, exec, thread, Pitr::show()).await;
    arrives_as_query(log, exec, thread, Pitr::show().named("p1")).await;

    // mo_ctl.
    arrives_as_query(log, exec, thread, MoCtl::flush_table("db1", "users")).await;
    arrives_as_query(log, exec, thread, MoCtl::checkpoint()).await;
    arrives_as_query(log, exec, thread, MoCtl::global_checkpoint()).await;
    arrives_as_query(log, exec, thread, MoCtl::call("dn", "diskcleaner", "force_gc")).await;
}

/// Asserts that `call` is refused with `NotAllowedInTransaction` and sends nothing.
async fn refused_in_transaction<T: std::fmt::Debug>(
    log: &Log,
    tx: &Transaction,
    thread: u64,
    what: &str,
    call: impl Future<Output = matrixone::Result<T>>,
) {
    refused_before_sending(log, tx, thread, what, ErrorKind::NotAllowedInTransaction, call).await;
}

/// Asserts that `call` reached the server, but not on the transaction's connection.
async fn runs_outside<T: std::fmt::Debug>(
    log: &Log,
    tx: &Transaction,
    thread: u64,
    what: &str,
    call: impl Future<Output = matrixone::Result<T>>,
) {
    let (result, sent) = log.probe(tx, thread, call).await;
    // MariaDB does not know SHOW SNAPSHOTS / SHOW PITR: its syntax error shows it was sent.
    let err = result.expect_err("MariaDB rejects the SHOW");
    assert_eq!(err.code(), Some(1064), "{what}: {err}");
    assert_eq!(sent, Sent::new(), "{what} ran on the transaction's connection");
}

async fn in_transaction(log: &Log, tx: &Transaction, thread: u64) {
    let (l, t) = (log, thread);
    for (what, create) in [
        ("snapshot for cluster", Snapshot::create("s1").cluster()),
        ("snapshot for database", Snapshot::create("s1").database("test")),
    ] {
        refused_in_transaction(l, tx, t, what, tx.run(create)).await;
    }
    refused_in_transaction(l, tx, t, "drop snapshot", tx.run(Snapshot::drop("s1").if_exists())).await;
    refused_in_transaction(l, tx, t, "restore", tx.run(Restore::database("test").from_snapshot("s1"))).await;
    refused_in_transaction(l, tx, t, "restore pitr", tx.run(Restore::table("test", "u").from_pitr("p1", TS)))
        .await;
    let pitr = Pitr::create("p1").database("test").range(1, PitrUnit::Day);
    refused_in_transaction(l, tx, t, "create pitr", tx.run(pitr.clone())).await;
    refused_in_transaction(l, tx, t, "alter pitr", tx.run(Pitr::alter("p1").range(2, PitrUnit::Hour))).await;
    refused_in_transaction(l, tx, t, "drop pitr", tx.run(Pitr::drop("p1"))).await;
    runs_outside(l, tx, t, "show snapshots", tx.run(Snapshot::show())).await;
    runs_outside(l, tx, t, "show pitr", tx.run(Pitr::show().named("p1"))).await;

    // What MatrixOne runs inside: clones and mo_ctl, as text queries on the transaction's connection.
    arrives_as_query(l, tx, t, mo::Clone::database("backup_db", "source_db")).await;
    arrives_as_query(l, tx, t, mo::Clone::table("test.b", "test.a").at_snapshot("s1")).await;
    arrives_as_query(l, tx, t, MoCtl::flush_table("db1", "users")).await;
    arrives_as_query(l, tx, t, MoCtl::checkpoint()).await;

    // The managers follow the same rule.
    refused_in_transaction(
        l,
        tx,
        t,
        "snapshots().create",
        tx.snapshots().create(Snapshot::create("s1").database("test")),
    )
    .await;
    refused_in_transaction(l, tx, t, "snapshots().delete", tx.snapshots().delete("s1")).await;
    runs_outside(l, tx, t, "snapshots().list", tx.snapshots().list()).await;
    runs_outside(l, tx, t, "snapshots().exists", tx.snapshots().exists("s1")).await;
    refused_in_transaction(l, tx, t, "restore().table", tx.restore().table("d", "t", "s1")).await;
    refused_in_transaction(l, tx, t, "pitr().create", tx.pitr().create(pitr)).await;
    runs_outside(l, tx, t, "pitr().list", tx.pitr().list()).await;
    manager_sends(l, tx, t, tx.clones().clone_database("b", "a"), &[v4(mo::Clone::database("b", "a"))]).await;
    manager_sends(l, tx, t, tx.moctl().checkpoint(), &[v4(MoCtl::checkpoint())]).await;
    // The transaction is still usable.
    let one: i64 = tx.fetch_scalar("SELECT 1").await.expect("the transaction goes on");
    assert_eq!(one, 1);
}

async fn managers<E: Managers>(log: &Log, exec: &E, thread: u64) {
    let snaps = exec.snapshots();
    let create = Snapshot::create("s1").database("test");
    manager_sends(log, exec, thread, snaps.create(create.clone()), &[v4(create)]).await;
    manager_sends(log, exec, thread, snaps.list(), &[v4(Snapshot::show())]).await;
    manager_sends(log, exec, thread, snaps.get("S1"), &[v4(Snapshot::show().named("s1"))]).await;
    manager_sends(log, exec, thread, snaps.exists("s1"), &[v4(Snapshot::show().named("s1"))]).await;
    manager_sends(log, exec, thread, snaps.delete("s1"), &[v4(Snapshot::drop("s1"))]).await;

    let clones = exec.clones();
    manager_sends(log, exec, thread, clones.clone_database("b", "a"), &[v4(mo::Clone::database("b", "a"))])
        .await;
    manager_sends(
        log,
        exec,
        thread,
        clones.clone_table("t2", "test.t1"),
        &[v4(mo::Clone::table("t2", "test.t1"))],
    )
    .await;
    manager_sends(
        log,
        exec,
        thread,
        clones.clone_database_with_snapshot("b", "a", "s1"),
        &[v4(mo::Clone::database("b", "a").at_snapshot("s1"))],
    )
    .await;
    manager_sends(
        log,
        exec,
        thread,
        clones.clone_table_with_snapshot("t2", "t1", "s1"),
        &[v4(mo::Clone::table("t2", "t1").at_snapshot("s1"))],
    )
    .await;

    let restore = exec.restore();
    manager_sends(log, exec, thread, restore.cluster("s1"), &[v4(Restore::cluster().from_snapshot("s1"))])
        .await;
    manager_sends(
        log,
        exec,
        thread,
        restore.account("a1", "s1"),
        &[v4(Restore::account("a1").from_snapshot("s1"))],
    )
    .await;
    manager_sends(
        log,
        exec,
        thread,
        restore.account_to("a1", "s1", "a2"),
        &[v4(Restore::account("a1").from_snapshot("s1").to_account("a2"))],
    )
    .await;
    manager_sends(
        log,
        exec,
        thread,
        restore.database("d", "s1"),
        &[v4(Restore::database("d").from_snapshot("s1"))],
    )
    .await;
    manager_sends(
        log,
        exec,
        thread,
        restore.table("d", "t", "s1"),
        &[v4(Restore::table("d", "t").from_snapshot("s1"))],
    )
    .await;
    manager_sends(
        log,
        exec,
        thread,
        restore.from_pitr("p1", TS),
        &[v4(Restore::current_account().from_pitr("p1", TS))],
    )
    .await;
    manager_sends(
        log,
        exec,
        thread,
        restore.database_from_pitr("d", "p1", TS),
        &[v4(Restore::database("d").from_pitr("p1", TS))],
    )
    .await;

    let pitr = exec.pitr();
    let create = Pitr::create("p1").database("test").range(1, PitrUnit::Day);
    manager_sends(log, exec, thread, pitr.create(create.clone()), &[v4(create)]).await;
    manager_sends(log, exec, thread, pitr.list(), &[v4(Pitr::show())]).await;
    manager_sends(log, exec, thread, pitr.get("p1"), &[v4(Pitr::show().named("p1"))]).await;
    manager_sends(log, exec, thread, pitr.exists("p1"), &[v4(Pitr::show().named("p1"))]).await;
    let alter = Pitr::alter("p1").range(2, PitrUnit::Hour);
    manager_sends(log, exec, thread, pitr.alter(alter.clone()), &[v4(alter)]).await;
    manager_sends(log, exec, thread, pitr.delete("p1"), &[v4(Pitr::drop("p1"))]).await;

    let moctl = exec.moctl();
    manager_sends(
        log,
        exec,
        thread,
        moctl.flush_table("db1", "users"),
        &[v4(MoCtl::flush_table("db1", "users"))],
    )
    .await;
    manager_sends(log, exec, thread, moctl.checkpoint(), &[v4(MoCtl::checkpoint())]).await;
    manager_sends(log, exec, thread, moctl.global_checkpoint(), &[v4(MoCtl::global_checkpoint())]).await;
    manager_sends(
        log,
        exec,
        thread,
        moctl.call("dn", "diskcleaner", "force_gc"),
        &[v4(MoCtl::call("dn", "diskcleaner", "force_gc"))],
    )
    .await;
}

async fn invalid_names_send_nothing<E: Managers>(log: &Log, exec: &E, thread: u64) {
    let (l, e, t) = (log, exec, thread);
    sends_nothing(l, e, t, "snapshot 'bad name'", e.run(Snapshot::create("bad name").database("d"))).await;
    sends_nothing(l, e, t, "PITR range 0", e.run(Pitr::create("p").database("d").range(0, PitrUnit::Day)))
        .await;
    sends_nothing(l, e, t, "mo_ctl db 'a.b'", e.run(MoCtl::flush_table("a.b", "t"))).await;
    sends_nothing(l, e, t, "drop snapshot 's1;'", e.run(Snapshot::drop("s1;"))).await;
    sends_nothing(l, e, t, "restore at 'now'", e.run(Restore::database("d").from_pitr("p1", "now"))).await;
    sends_nothing(l, e, t, "clone at 's 1'", e.run(mo::Clone::database("b", "a").at_snapshot("s 1"))).await;

    sends_nothing(
        l,
        e,
        t,
        "snapshots().create",
        e.snapshots().create(Snapshot::create("bad name").database("d")),
    )
    .await;
    sends_nothing(l, e, t, "snapshots().get", e.snapshots().get("x' OR '1")).await;
    sends_nothing(l, e, t, "snapshots().delete", e.snapshots().delete("")).await;
    sends_nothing(l, e, t, "clones()", e.clones().clone_database_with_snapshot("b", "a", "bad name")).await;
    sends_nothing(l, e, t, "restore()", e.restore().database("d", "bad name")).await;
    sends_nothing(
        l,
        e,
        t,
        "pitr().create",
        e.pitr().create(Pitr::create("p").database("d").range(0, PitrUnit::Day)),
    )
    .await;
    sends_nothing(l, e, t, "moctl()", e.moctl().flush_table("a.b", "t")).await;
}

async fn dialects(log: &Log, client: &Client, thread: u64, disguise: &Disguise) {
    // The default client tries V4 only: MariaDB's 1064 is not MatrixOne's parser error.
    let restore = Restore::database("test").from_snapshot("s1");
    let (result, sent) = log.probe(client, thread, client.run(restore.clone())).await;
    let err = result.expect_err("MariaDB rejects RESTORE");
    assert_eq!(err.code(), Some(1064));
    assert!(err.message().contains("You have an error in your SQL syntax"), "{err}");
    assert!(!err.message().starts_with("SQL parser error"));
    assert_eq!(sent, vec![("Query".to_owned(), restore.to_sql_for(Dialect::V4).unwrap())]);
    assert_eq!(sent[0].1, "RESTORE DATABASE `test` {SNAPSHOT = 's1'}");

    // A client pinned to V3 sends the V3 text, once.
    let v3 = Client::connect_with(disguise.options().max_connections(1).dialect(Dialect::V3))
        .await
        .expect("connect");
    let v3_thread: u64 = v3.fetch_scalar("SELECT CONNECTION_ID()").await.expect("connection id");
    for stmt in [
        Restore::cluster().from_snapshot("s1"),
        Restore::account("acc1").from_snapshot("s1").to_account("acc2"),
        Restore::database("test").in_account("acc1").from_snapshot("s1"),
        Restore::table("test", "users").in_account("acc1").from_snapshot("s1"),
    ] {
        let (result, sent) = log.probe(&v3, v3_thread, v3.run(stmt.clone())).await;
        let err = result.expect_err("MariaDB rejects RESTORE");
        assert_eq!(err.code(), Some(1064), "{err:?}");
        let text = stmt.to_sql_for(Dialect::V3).unwrap();
        assert!(text.contains("FROM SNAPSHOT"), "{text}");
        assert_eq!(sent, vec![("Query".to_owned(), text)]);
    }
    let (result, sent) = log.probe(&v3, v3_thread, v3.restore().account("acc1", "s1")).await;
    assert!(result.is_err());
    assert_eq!(sent, vec![("Query".to_owned(), "RESTORE ACCOUNT `acc1` FROM SNAPSHOT `s1`".to_owned())]);
    // 3.x restores a database only with its account: the SDK asks the session's account first
    // (MariaDB has no current_account_name(), so it stops there and the RESTORE is never sent).
    let (result, sent) = log.probe(&v3, v3_thread, v3.restore().database("test", "s1")).await;
    let err = result.expect_err("MariaDB has no current_account_name()");
    assert_eq!(err.code(), Some(1305), "{err:?}");
    assert_eq!(sent, vec![("Query".to_owned(), "SELECT current_account_name()".to_owned())]);
    // An invalid name is still refused before even that question is asked.
    sends_nothing(
        log,
        &v3,
        v3_thread,
        "V3 database restore, bad name",
        v3.restore().database("test", "bad name"),
    )
    .await;
    v3.close().await;
}

/// A snapshot read is a SELECT: without bound values it is a text query, with bound values it is
/// prepared like any other SELECT (MatrixOne prepares `select ... {snapshot = '...'}`).
async fn snapshot_reads(log: &Log) {
    use sea_query::{Alias, Expr, ExprTrait, Query};

    let client = Client::connect_with(support::options().max_connections(1)).await.expect("connect");
    let thread: u64 = client.fetch_scalar("SELECT CONNECTION_ID()").await.expect("connection id");

    let plain = Query::select().column(Alias::new("id")).from(Alias::new("users")).to_owned();
    let read = SnapshotRead::at_snapshot(&plain, "s1").unwrap();
    let (result, sent) = log.probe(&client, thread, client.execute(read.clone())).await;
    assert_eq!(result.expect_err("MariaDB rejects the hint").code(), Some(1064));
    assert_eq!(sent, vec![("Query".to_owned(), "SELECT `id` FROM `users` {SNAPSHOT = 's1'}".to_owned())]);

    let bound = Query::select()
        .column(Alias::new("id"))
        .from(Alias::new("users"))
        .and_where(Expr::col(Alias::new("id")).gt(1))
        .to_owned();
    let read = SnapshotRead::at_snapshot(&bound, "s1").unwrap();
    let (result, sent) = log.probe(&client, thread, client.execute(read)).await;
    // The server saw it (its 1064), yet no text query was logged: it went as COM_STMT_PREPARE,
    // which MariaDB logs only once the statement parses.
    assert_eq!(result.expect_err("MariaDB rejects the hint").code(), Some(1064));
    assert!(sent.iter().all(|(command, _)| command != "Query"), "{sent:?}");
    client.close().await;
}

/// A proxy in front of the test MariaDB that answers the SDK's connect-time question
/// (`SELECT CONNECTION_ID(), VERSION(), @@SESSION.sql_mode`, src/session_mode.rs) with a
/// MatrixOne version, so that the SDK sends MatrixOne's statements (which MariaDB then rejects,
/// as this test expects). Every other byte passes unchanged; the test server has no TLS.
struct Disguise {
    addr: std::net::SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl Disguise {
    const ASKED: &'static [u8] = b"SELECT CONNECTION_ID(), VERSION(), @@SESSION.sql_mode";
    const ANSWERED: &'static [u8] = b"SELECT CONNECTION_ID(), '8.0.30-MatrixOne-v4.2.0', @@SESSION.sql_mode";

    async fn start() -> Disguise {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind a loopback port");
        let addr = listener.local_addr().unwrap();
        let target = support::proxy::server_addr();
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                tokio::spawn(Disguise::relay(client, target));
            }
        });
        Disguise { addr, task }
    }

    /// The test server's options with this proxy's address in its place.
    fn options(&self) -> matrixone::ConnectOptions {
        let target = support::proxy::server_addr();
        let url =
            support::url().replace(&format!("{}:{}", target.ip(), target.port()), &self.addr.to_string());
        url.parse().expect("the disguised URL parses")
    }

    async fn relay(client: tokio::net::TcpStream, target: std::net::SocketAddr) {
        use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
        let Ok(server) = tokio::net::TcpStream::connect(target).await else { return };
        let _ = (client.set_nodelay(true), server.set_nodelay(true));
        let (mut from_client, mut to_client) = client.into_split();
        let (mut from_server, mut to_server) = server.into_split();
        let down = tokio::spawn(async move {
            let _ = tokio::io::copy(&mut from_server, &mut to_client).await;
        });
        // Client to server, packet by packet: a 4-byte header (3-byte little-endian length,
        // sequence id), then the payload.
        loop {
            let mut header = [0u8; 4];
            if from_client.read_exact(&mut header).await.is_err() {
                break;
            }
            let len = u32::from_le_bytes([header[0], header[1], header[2], 0]) as usize;
            let mut payload = vec![0u8; len];
            if from_client.read_exact(&mut payload).await.is_err() {
                break;
            }
            if payload.first() == Some(&0x03) && &payload[1..] == Disguise::ASKED {
                payload.truncate(1);
                payload.extend_from_slice(Disguise::ANSWERED);
                let n = (payload.len() as u32).to_le_bytes();
                header[..3].copy_from_slice(&n[..3]);
            }
            let mut packet = header.to_vec();
            packet.extend_from_slice(&payload);
            if to_server.write_all(&packet).await.is_err() {
                break;
            }
        }
        let _ = to_server.shutdown().await;
        let _ = down.await;
    }
}

impl Drop for Disguise {
    fn drop(&mut self) {
        self.task.abort();
    }
}
