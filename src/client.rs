//! [`Client`]: a cheap-to-clone handle on a connection pool.

use std::sync::{Arc, OnceLock};

use futures_core::Stream;
use futures_util::TryStreamExt as _;
use sqlx::Either;

use crate::error::{Error, Result};
use crate::executor::sealed::{Connection, ConnectionGuard};
use crate::executor::{ResultBoundaries, prepare};
use crate::from_row::FromRow;
use crate::lease::Lease;
use crate::options::ConnectOptions;
use crate::pool::{Pooled, checkout_error};
use crate::result::Row;
use crate::retry::{Attempts, RetryPolicy};
use crate::server_version::ServerVersion;
use crate::shared::Shared;
use crate::statement::Statement;
use crate::transaction::Transaction;

/// An async MatrixOne client on a connection pool.
///
/// Cloning is cheap: clones share one pool. Statements run on any free pooled connection, so a
/// statement that would leave session state behind for the next caller (`SET` other than
/// `SET GLOBAL`, `USE`, `BEGIN`, `LOCK TABLES`, a temporary table) is refused with
/// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) before anything is sent: run it in a [`Transaction`], whose
/// connection is closed afterwards when its session changed.
///
/// ```no_run
/// # async fn demo() -> matrixone::Result<()> {
/// use matrixone::{Client, Executor};
/// let client = Client::connect("mysql://root:111@127.0.0.1:6001/test").await?;
/// let one: i64 = client.execute("SELECT 1").await?.scalar()?;
/// assert_eq!(one, 1);
/// client.close().await;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    shared: Arc<Shared>,
}

impl Client {
    /// The client of an existing shared state (a transaction's own client).
    pub(crate) fn from_shared(shared: Arc<Shared>) -> Client {
        Client { shared }
    }

    /// Connects with a URL such as `mysql://root:111@127.0.0.1:6001/test`.
    pub async fn connect(url: &str) -> Result<Client> {
        Client::connect_with(url.parse()?).await
    }

    /// Connects with the URL in `MATRIXONE_URL`.
    pub async fn connect_env() -> Result<Client> {
        Client::connect_with(ConnectOptions::from_env()?).await
    }

    /// Connects with options, and opens one connection right away so that a wrong address or
    /// password fails here, at once and as [`ErrorKind::Connection`](crate::ErrorKind::Connection) (a refused login keeps the
    /// server's number), rather than at the first statement.
    pub async fn connect_with(options: ConnectOptions) -> Result<Client> {
        let client = Client::connect_lazy_with(options)?;
        // Back into the pool at once: it is the first connection every later statement reuses.
        drop(client.acquire().await?);
        Ok(client)
    }

    /// Builds the client without connecting; the first statement opens the first connection.
    ///
    /// Must be called inside a Tokio runtime (the pool times its waits with it); outside one it
    /// fails with [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput).
    pub fn connect_lazy_with(options: ConnectOptions) -> Result<Client> {
        if tokio::runtime::Handle::try_current().is_err() {
            return Err(Error::invalid_input("a Client needs a Tokio runtime: create it inside one"));
        }
        let server_version = Arc::new(OnceLock::new());
        let learned = server_version.clone();
        let pool = crate::pool::build(&options, move |facts| {
            learned.get_or_init(|| ServerVersion::parse(&facts.version));
        })?;
        Ok(Client { shared: Arc::new(Shared::new(pool, options, server_version)) })
    }

    /// The options this client was built with (password redacted in `Debug`/`Display`).
    pub fn options(&self) -> &ConnectOptions {
        &self.shared.options
    }

    /// The server's version (from `VERSION()`), learned by the first connection: `connect` and
    /// `connect_with` have one before they return; after `connect_lazy_with` it is
    /// [`ServerVersion`]'s empty "unknown" until the first statement.
    pub fn server_version(&self) -> &ServerVersion {
        static UNKNOWN: OnceLock<ServerVersion> = OnceLock::new();
        self.shared.server_version.get().unwrap_or_else(|| UNKNOWN.get_or_init(ServerVersion::unknown))
    }

    /// Closes the pool: idle connections are closed at once, busy ones when their statement or
    /// transaction ends. Returns without waiting for the server (MatrixOne does not complete the
    /// shutdown handshake some drivers wait for). Later calls fail with [`ErrorKind::Connection`](crate::ErrorKind::Connection).
    pub async fn close(&self) {
        self.shared.close();
    }

    /// The MatrixOne grammar this client speaks, once known: pinned by
    /// [`ConnectOptions::dialect`], or learned from the server by the first statement whose SQL
    /// differs between the lines. `None` until then.
    pub fn dialect(&self) -> Option<crate::mo::Dialect> {
        self.shared.known_dialect()
    }

    /// How many connections the pool holds and how many of them are idle.
    pub fn pool_status(&self) -> PoolStatus {
        let status = self.shared.pool.status();
        PoolStatus {
            max: status.max_size,
            open: status.size,
            idle: status.available,
            waiting: status.waiting,
            relayed: self.shared.relayed_connections(),
        }
    }

    /// Whether [`Client::close`] was called.
    pub fn is_closed(&self) -> bool {
        self.shared.pool.is_closed()
    }

    /// Starts a transaction on a connection of its own.
    ///
    /// Cancel-safe: if this future is dropped after `BEGIN` was sent but before its answer
    /// arrived, the connection is closed, never returned to the pool with a transaction open.
    pub async fn begin(&self) -> Result<Transaction> {
        let lease = Lease::new(self.acquire().await?);
        Transaction::begin(self.shared.clone(), lease).await
    }

    /// Runs `f` in a transaction: commits when it returns `Ok`, rolls back when it returns `Err`
    /// (or panics, or is cancelled at any point, `BEGIN` and `COMMIT` included), and returns what
    /// `f` returned.
    ///
    /// ```no_run
    /// # async fn demo(client: matrixone::Client) -> matrixone::Result<()> {
    /// use matrixone::{Executor, query};
    /// let id: u64 = client
    ///     .transaction(async |tx| {
    ///         tx.execute(query("INSERT INTO users (name) VALUES (?)").bind("Bob")).await?;
    ///         tx.fetch_scalar("SELECT LAST_INSERT_ID()").await
    ///     })
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn transaction<T, F>(&self, f: F) -> Result<T>
    where
        F: AsyncFnOnce(&Transaction) -> Result<T>,
    {
        let tx = self.begin().await?;
        match f(&tx).await {
            Ok(value) => {
                tx.commit().await?;
                Ok(value)
            }
            Err(err) => {
                // The closure's error is what the caller needs; a failed rollback only means the
                // connection is gone, and the server rolls back on its own then.
                if let Err(rollback) = tx.rollback().await {
                    tracing::warn!(target: "matrixone::transaction", error = %rollback, "rollback failed");
                }
                Err(err)
            }
        }
    }

    /// Runs `f` in a transaction like [`Client::transaction`], and runs it again in a fresh
    /// transaction, as `policy` allows, when the attempt fails with an error a retry can fix
    /// ([`ErrorKind::is_retryable`](crate::ErrorKind::is_retryable): write conflicts, "txn need retry", deadlocks, lock waits),
    /// whether `f`, `BEGIN` or `COMMIT` failed. Any other error returns at once; so does
    /// [`ErrorKind::CommitUnknown`](crate::ErrorKind::CommitUnknown): a transaction whose COMMIT may have happened is never re-run.
    /// One `matrixone::retry` tracing event per retry.
    ///
    /// ```no_run
    /// # async fn demo(client: matrixone::Client) -> matrixone::Result<()> {
    /// use matrixone::{Executor, RetryPolicy, query};
    /// let balance: i64 = client
    ///     .transaction_with(RetryPolicy::default(), async |tx| {
    ///         tx.execute(query("UPDATE accounts SET balance = balance - ? WHERE id = ?").bind(10).bind(1)).await?;
    ///         tx.fetch_scalar(query("SELECT balance FROM accounts WHERE id = ?").bind(1)).await
    ///     })
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn transaction_with<T, F>(&self, policy: RetryPolicy, mut f: F) -> Result<T>
    where
        F: AsyncFnMut(&Transaction) -> Result<T>,
    {
        let mut attempts = Attempts::new(policy, "transaction");
        loop {
            match self.transaction(async |tx| f(tx).await).await {
                Err(e) if attempts.again(&e).await => {}
                other => return other,
            }
        }
    }

    /// Streams the rows of a statement through [`FromRow`] without buffering them all.
    ///
    /// The stream holds one pooled connection until it ends or is dropped.
    pub fn fetch<T: FromRow + Send + 'static>(
        &self,
        stmt: impl Into<Statement>,
    ) -> impl Stream<Item = Result<T>> + Send + 'static {
        let stmt = stmt.into();
        let client = self.clone();
        async_stream::try_stream! {
            let lease = match crate::relay::route(stmt.sql()) {
                None => Lease::new(client.acquire().await?),
                Some(route) => crate::relay::lease(&client.shared, route, false).await?,
            };
            let mut guard = ConnectionGuard::Pooled(lease);
            let (wire, _) = prepare(&mut guard, &client.shared, stmt)?;
            let lease = guard.lease()?;
            let mut items = sqlx::Executor::fetch_many(lease.start(), wire.into_execute());
            let mut boundaries = ResultBoundaries::default();
            while let Some(item) = items.try_next().await? {
                match item {
                    Either::Left(_) => boundaries.end_of_result(),
                    Either::Right(row) => {
                        let place = boundaries.row(&row);
                        place.only_one_set()?;
                        yield T::from_row(&Row::new(row, place.columns))?;
                    }
                }
            }
            drop(items);
            lease.done();
        }
    }

    /// Takes a connection from the pool: an idle one (checked first when it idled a while), or
    /// a new one. A connect failure comes back as it is; a time-out only when every connection
    /// is checked out.
    async fn acquire(&self) -> Result<Pooled> {
        self.shared.pool.get().await.map_err(|e| checkout_error(e, &self.shared.options))
    }
}

impl Connection for Client {
    async fn connection(&self) -> Result<ConnectionGuard<'_>> {
        self.acquire().await.map(|conn| ConnectionGuard::Pooled(Lease::new(conn)))
    }

    fn shared(&self) -> &Shared {
        &self.shared
    }

    fn in_transaction(&self) -> bool {
        false
    }

    fn client(&self) -> Client {
        self.clone()
    }

    async fn begin_atomic(&self) -> Result<Option<Transaction>> {
        self.begin().await.map(Some)
    }
}

/// A snapshot of the pool's counts, from [`Client::pool_status`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct PoolStatus {
    /// The most connections the pool opens ([`ConnectOptions::max_connections`]).
    pub max: usize,
    /// Connections open now, idle or checked out.
    pub open: usize,
    /// Open connections waiting in the pool.
    pub idle: usize,
    /// Callers waiting for a connection.
    pub waiting: usize,
    /// Connections open through the SDK's column-type relay, a second pool used only by the
    /// statements whose results carry MatrixOne's own column types (`SHOW PUBLICATIONS`, ...);
    /// not counted in `open`. Stays 0 while no such statement ran.
    pub relayed: usize,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client").field("options", &self.shared.options).finish_non_exhaustive()
    }
}

impl std::fmt::Display for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Client({})", self.shared.options)
    }
}
