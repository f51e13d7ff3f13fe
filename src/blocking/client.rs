//! The blocking [`Client`]: the async [`crate::Client`] and the runtime it runs on.

use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::sync::Arc;
use std::time::Duration;

use super::executor::sealed::Blocking;
use super::rows::Rows;
use super::runtime::{Runtime, refuse_inside_async};
use super::transaction::Transaction;
use crate::error::{Error, ErrorKind, Result};
use crate::from_row::FromRow;
use crate::mo::Dialect;
use crate::options::ConnectOptions;
use crate::retry::{Attempts, RetryPolicy};
use crate::statement::Statement;

/// How long dropping the last handle waits for the pool's connections to say goodbye.
const CLOSE_ON_DROP: Duration = Duration::from_secs(5);

/// A blocking MatrixOne client: the async [`crate::Client`] on a runtime of its own.
///
/// Cloning is cheap: clones share the pool and the runtime, and may be used from several threads
/// at once (each call runs on its caller's thread). The last clone to be dropped closes the pool.
///
/// Inside an async runtime every blocking call returns [`ErrorKind::InvalidInput`] instead of
/// blocking it: use [`crate::Client`] there.
///
/// ```no_run
/// use matrixone::blocking::{Client, Executor};
/// use matrixone::mo::Snapshot;
///
/// # fn demo() -> matrixone::Result<()> {
/// let client = Client::connect("mysql://root:111@127.0.0.1:6001/test")?;
/// let n: i64 = client.fetch_scalar("SELECT 1")?;
/// client.snapshots().create(Snapshot::create("s1").database("test"))?;
/// let id: u64 = client.transaction(|tx| {
///     tx.execute("INSERT INTO users (name) VALUES ('Bob')")?;
///     tx.fetch_scalar("SELECT LAST_INSERT_ID()")
/// })?;
/// client.close()?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

/// What the clones share. The async client is dropped before the runtime, inside it.
struct Inner {
    /// `None` only while dropping.
    client: Option<crate::Client>,
    /// The async client's options, kept here so that they can be lent without an `Option`.
    options: ConnectOptions,
    runtime: Runtime,
}

impl Inner {
    fn new(client: crate::Client, runtime: Runtime) -> Arc<Inner> {
        Arc::new(Inner { options: client.options().clone(), client: Some(client), runtime })
    }
}

impl Client {
    /// Connects with a URL such as `mysql://root:111@127.0.0.1:6001/test`; see
    /// [`crate::Client::connect`].
    pub fn connect(url: &str) -> Result<Client> {
        Client::connect_with(url.parse()?)
    }

    /// Connects with the URL in `MATRIXONE_URL`.
    pub fn connect_env() -> Result<Client> {
        Client::connect_with(ConnectOptions::from_env()?)
    }

    /// Connects with options, and opens one connection right away; see
    /// [`crate::Client::connect_with`].
    pub fn connect_with(options: ConnectOptions) -> Result<Client> {
        let runtime = Runtime::new()?;
        let client = runtime.block_on(crate::Client::connect_with(options))?;
        Ok(Client { inner: Inner::new(client, runtime) })
    }

    /// Builds the client without connecting; the first statement opens the first connection.
    pub fn connect_lazy_with(options: ConnectOptions) -> Result<Client> {
        let runtime = Runtime::new()?;
        let client = {
            let _enter = runtime.enter();
            crate::Client::connect_lazy_with(options)?
        };
        Ok(Client { inner: Inner::new(client, runtime) })
    }

    /// The async client underneath.
    fn async_client(&self) -> Result<&crate::Client> {
        self.inner.client.as_ref().ok_or_else(|| Error::new(ErrorKind::Connection, "the client is closed"))
    }

    pub(crate) fn runtime(&self) -> &Runtime {
        &self.inner.runtime
    }

    /// The options this client was built with (password redacted in `Debug`/`Display`).
    pub fn options(&self) -> &ConnectOptions {
        &self.inner.options
    }

    /// Closes every connection and waits for them to finish. Later calls fail with
    /// [`ErrorKind::Connection`].
    pub fn close(&self) -> Result<()> {
        self.block(|client| async move {
            client.close().await;
            Ok(())
        })
    }

    /// Whether [`Client::close`] was called.
    pub fn is_closed(&self) -> bool {
        self.inner.client.as_ref().is_none_or(crate::Client::is_closed)
    }

    /// The MatrixOne grammar this client speaks, once known; see [`crate::Client::dialect`].
    pub fn dialect(&self) -> Option<Dialect> {
        self.inner.client.as_ref().and_then(crate::Client::dialect)
    }

    /// Starts a transaction on a connection of its own; see [`Transaction`].
    pub fn begin(&self) -> Result<Transaction> {
        let tx = self.block(|client| client.begin())?;
        Ok(Transaction::new(tx, self.clone()))
    }

    /// Runs `f` in a transaction: commits when it returns `Ok`, rolls back when it returns `Err`
    /// or panics (the rollback is done before the panic goes on), and returns what `f` returned.
    /// The seed's `with client.transaction() as tx:`.
    ///
    /// ```no_run
    /// # fn demo(client: matrixone::blocking::Client) -> matrixone::Result<()> {
    /// use matrixone::blocking::Executor;
    /// use matrixone::query;
    /// let id: u64 = client.transaction(|tx| {
    ///     tx.execute(query("INSERT INTO users (name) VALUES (?)").bind("Bob"))?;
    ///     tx.fetch_scalar("SELECT LAST_INSERT_ID()")
    /// })?;
    /// # Ok(()) }
    /// ```
    pub fn transaction<T, F>(&self, f: F) -> Result<T>
    where
        F: FnOnce(&Transaction) -> Result<T>,
    {
        let tx = self.begin()?;
        match catch_unwind(AssertUnwindSafe(|| f(&tx))) {
            Ok(Ok(value)) => {
                tx.commit()?;
                Ok(value)
            }
            Ok(Err(err)) => {
                // The closure's error is what the caller needs; a failed rollback only means the
                // connection is gone, and the server rolls back on its own then.
                if let Err(rollback) = tx.rollback() {
                    tracing::warn!(target: "matrixone::transaction", error = %rollback, "rollback failed");
                }
                Err(err)
            }
            Err(panic) => {
                if let Err(rollback) = tx.rollback() {
                    tracing::warn!(target: "matrixone::transaction", error = %rollback, "rollback failed");
                }
                resume_unwind(panic)
            }
        }
    }

    /// Runs `f` in a transaction like [`Client::transaction`], and again in a fresh one, as
    /// `policy` allows, when an attempt fails with an error a retry can fix; see
    /// [`crate::Client::transaction_with`].
    pub fn transaction_with<T, F>(&self, policy: RetryPolicy, mut f: F) -> Result<T>
    where
        F: FnMut(&Transaction) -> Result<T>,
    {
        let mut attempts = Attempts::new(policy, "transaction");
        loop {
            match self.transaction(&mut f) {
                // Waiting out the backoff cannot fail here: this thread already blocks.
                Err(e)
                    if self.runtime().block_on(async { Ok(attempts.again(&e).await) }).unwrap_or(false) => {}
                other => return other,
            }
        }
    }

    /// Iterates over the rows of a statement through [`FromRow`] without buffering them all;
    /// see [`crate::Client::fetch`]. The iterator holds one pooled connection until it ends or
    /// is dropped.
    pub fn fetch<T: FromRow + Send + 'static>(&self, stmt: impl Into<Statement>) -> Rows<T> {
        let stmt = stmt.into();
        match self.async_client() {
            Ok(client) => Rows::new(self.clone(), Box::pin(client.fetch(stmt))),
            Err(e) => Rows::failed(self.clone(), e),
        }
    }
}

impl Blocking for Client {
    type Async = crate::Client;

    fn parts(&self) -> Result<(&Runtime, &crate::Client)> {
        Ok((&self.inner.runtime, self.async_client()?))
    }
}

impl Drop for Inner {
    /// Closes the pool (each connection says goodbye to the server) unless this runs inside an
    /// async runtime, where it must not wait; then the connections are simply dropped.
    fn drop(&mut self) {
        let Some(client) = self.client.take() else { return };
        if refuse_inside_async().is_ok() {
            let closed = self.runtime.block_on(async {
                let _ = tokio::time::timeout(CLOSE_ON_DROP, client.close()).await;
                Ok(())
            });
            if let Err(e) = closed {
                tracing::debug!(target: "matrixone::blocking", error = %e, "closing on drop failed");
            }
        }
        let _enter = self.runtime.enter();
        drop(client);
    }
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client").field("options", &self.options()).finish_non_exhaustive()
    }
}

impl std::fmt::Display for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "blocking::Client({})", self.options())
    }
}
