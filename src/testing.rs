//! A fresh database for each test (feature `testing`): on the MatrixOne server in
//! `MATRIXONE_URL` when it is set, otherwise on mosim, the MatrixOne simulator, started once per
//! test process over the MariaDB in `MOSIM_BACKEND` (default `mysql://root@127.0.0.1:3306`).
//! The database is dropped when the [`TestDatabase`] is, also when the test panics; fixtures are
//! SQL files run before the test body.
//!
//! ```no_run
//! use matrixone::Executor;
//! use matrixone::testing::TestDatabase;
//!
//! #[tokio::test]
//! async fn users_are_listed() -> matrixone::Result<()> {
//!     let db = TestDatabase::builder().fixture("tests/fixtures/users.sql").create().await?;
//!     let n: i64 = db.client().fetch_scalar("SELECT COUNT(*) FROM users").await?;
//!     assert_eq!(n, 3);
//!     Ok(())
//! }   // the database is dropped here
//! ```
//!
//! Compared with `#[sqlx::test]`: it works on the test attribute you already use, gives a
//! MatrixOne (real or simulated, so snapshots, clones and restores work), needs no migrations
//! folder, and can be pointed at a real MatrixOne with one environment variable.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

use sqlx::Connection as _;

use crate::client::Client;
use crate::error::{Error, ErrorKind, Result};
use crate::options::{ConnectOptions, URL_ENV};
use crate::sql::quote_ident;

/// Where mosim finds its MariaDB when `MATRIXONE_URL` is unset.
pub const MOSIM_BACKEND_ENV: &str = "MOSIM_BACKEND";

const DEFAULT_BACKEND: &str = "mysql://root@127.0.0.1:3306";

/// A database that exists for one test, and a client connected to it.
///
/// Dropping it drops the database (on a thread of its own, so it works inside and outside an
/// async runtime, and during a panic).
#[derive(Debug)]
pub struct TestDatabase {
    name: String,
    client: Client,
    /// Connects outside the client's pool, for set-up and the final DROP.
    admin: ConnectOptions,
}

/// Builds a [`TestDatabase`]: fixtures and options.
#[derive(Debug, Default)]
pub struct TestDatabaseBuilder {
    fixtures: Vec<PathBuf>,
    prefix: Option<String>,
    options: Option<fn(ConnectOptions) -> ConnectOptions>,
}

impl TestDatabase {
    /// A fresh, empty database and a client on it.
    pub async fn new() -> Result<TestDatabase> {
        TestDatabase::builder().create().await
    }

    /// Starts a builder.
    pub fn builder() -> TestDatabaseBuilder {
        TestDatabaseBuilder::default()
    }

    /// The database's name (unique per test process and test).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// A client whose connections use this database.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Options that connect to this database, for a second client or a non-SDK driver.
    pub fn options(&self) -> ConnectOptions {
        self.admin.clone().database(self.name.clone())
    }

    /// Runs a SQL file (several statements separated by `;`) in this database, on a connection of
    /// its own, as a fixture would be.
    pub async fn run_script(&self, path: impl AsRef<Path>) -> Result<()> {
        run_script(&self.options(), path.as_ref()).await
    }
}

impl TestDatabaseBuilder {
    /// Runs this SQL file in the new database before the test gets it (in the order given).
    pub fn fixture(mut self, path: impl Into<PathBuf>) -> Self {
        self.fixtures.push(path.into());
        self
    }

    /// Starts the database name with `prefix` (letters, digits, `_`), e.g. the test's name.
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = Some(prefix.into());
        self
    }

    /// Adjusts the test client's options (pool size, timeouts, ...).
    pub fn options(mut self, adjust: fn(ConnectOptions) -> ConnectOptions) -> Self {
        self.options = Some(adjust);
        self
    }

    /// Creates the database, runs the fixtures and connects the client. On any failure the
    /// database is dropped again before the error returns.
    pub async fn create(self) -> Result<TestDatabase> {
        let admin = server_options()?;
        let name = unique_name(self.prefix.as_deref())?;
        let mut conn = sqlx::mysql::MySqlConnection::connect_with(&admin.to_sqlx()?).await?;
        sqlx::Executor::execute(
            &mut conn,
            sqlx::AssertSqlSafe(format!("CREATE DATABASE {}", quote_ident(&name)?)),
        )
        .await?;
        let _ = conn.close().await;
        // From here on the guard drops the database, whatever happens.
        let adjust = self.options.unwrap_or(|o| o);
        let options = adjust(admin.clone().database(name.clone()));
        let client = match Client::connect_with(options).await {
            Ok(client) => client,
            Err(e) => {
                drop_database(&admin, &name);
                return Err(e);
            }
        };
        let db = TestDatabase { name, client, admin };
        for fixture in &self.fixtures {
            db.run_script(fixture).await?;
        }
        Ok(db)
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        drop_database(&self.admin, &self.name);
    }
}

/// The server the test databases live on: `MATRIXONE_URL`, or the process's mosim.
fn server_options() -> Result<ConnectOptions> {
    if std::env::var_os(URL_ENV).is_some() {
        return ConnectOptions::from_env().map(|o| o.max_connections(4));
    }
    mosim_url()?.parse::<ConnectOptions>().map(|o| o.max_connections(4))
}

/// One mosim per test process, on a thread and runtime of its own so that it outlives every
/// test's runtime.
fn mosim_url() -> Result<String> {
    static URL: OnceLock<std::result::Result<String, String>> = OnceLock::new();
    URL.get_or_init(|| {
        let backend = std::env::var(MOSIM_BACKEND_ENV).unwrap_or_else(|_| DEFAULT_BACKEND.to_owned());
        let (tx, rx) = std::sync::mpsc::channel();
        let started = std::thread::Builder::new().name("mosim".into()).spawn(move || {
            let runtime =
                match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
                    Ok(runtime) => runtime,
                    Err(e) => {
                        let _ = tx.send(Err(format!("cannot start a runtime for mosim: {e}")));
                        return;
                    }
                };
            runtime.block_on(async move {
                match mosim::Server::start(&backend).await {
                    Ok(server) => {
                        let _ = tx.send(Ok(server.url("test")));
                        // Serves until the process ends.
                        std::future::pending::<()>().await;
                        drop(server);
                    }
                    Err(e) => {
                        let _ =
                            tx.send(Err(format!("mosim could not start on the MariaDB at {backend}: {e}")));
                    }
                }
            });
        });
        match started {
            Ok(_) => rx.recv().unwrap_or_else(|_| Err("the mosim thread ended before it started".into())),
            Err(e) => Err(format!("cannot start the mosim thread: {e}")),
        }
    })
    .clone()
    .map_err(|e| Error::new(ErrorKind::Connection, e))
}

/// `mo_test_<prefix>_<pid>_<n>`: unique across the tests of a process and across processes.
fn unique_name(prefix: Option<&str>) -> Result<String> {
    static N: AtomicU32 = AtomicU32::new(0);
    let prefix = prefix.unwrap_or("db");
    if prefix.is_empty()
        || !prefix.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        || prefix.len() > 32
    {
        return Err(Error::invalid_input(format!(
            "test database prefix {prefix:?}: use 1 to 32 letters, digits or '_'"
        )));
    }
    Ok(format!("mo_test_{prefix}_{}_{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed)))
}

/// Runs every statement of a SQL file on a connection of its own (outside any pool, so a `SET`
/// or `USE` in the script stays there).
async fn run_script(options: &ConnectOptions, path: &Path) -> Result<()> {
    let script = std::fs::read_to_string(path).map_err(|e| {
        Error::new(ErrorKind::InvalidInput, format!("cannot read the fixture {}: {e}", path.display()))
    })?;
    let mut conn = sqlx::mysql::MySqlConnection::connect_with(&options.to_sqlx()?).await?;
    // The fixture is the test author's own SQL; several statements go as one text.
    let ran = sqlx::Executor::execute(&mut conn, sqlx::raw_sql(sqlx::AssertSqlSafe(script))).await;
    let _ = conn.close().await;
    ran.map(drop).map_err(|e| {
        let e = Error::from(e);
        Error::new(e.kind(), format!("fixture {} failed: {e}", path.display())).with_source(e)
    })
}

/// Drops the database from a thread of its own: `Drop` cannot await, may run inside a runtime
/// (where blocking on another is refused) or during a panic.
fn drop_database(admin: &ConnectOptions, name: &str) {
    let (admin, owned) = (admin.clone(), name.to_owned());
    let dropped = std::thread::spawn(move || {
        let name = owned;
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().ok()?;
        runtime.block_on(async {
            let mut conn = sqlx::mysql::MySqlConnection::connect_with(&admin.to_sqlx().ok()?).await.ok()?;
            let sql = format!("DROP DATABASE IF EXISTS {}", quote_ident(&name).ok()?);
            sqlx::Executor::execute(&mut conn, sqlx::AssertSqlSafe(sql)).await.ok()?;
            let _ = conn.close().await;
            Some(())
        })
    })
    .join();
    if !matches!(dropped, Ok(Some(()))) {
        eprintln!("matrixone::testing: could not drop the test database {name}");
    }
}
