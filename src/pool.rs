//! The connection pool: sqlx connections in a deadpool pool, each with what the SDK learned about
//! its session when it opened.
//!
//! Why not sqlx's own pool: it PINGs on every acquire and every release (a third of a point
//! query's time), cannot tell the SDK a connection's thread id (needed to `KILL QUERY` a
//! statement that timed out or was cancelled), and its `close()` waits for a shutdown handshake
//! that MatrixOne does not complete. deadpool hands out connections from a LIFO queue, and the
//! SDK checks a connection only when it idled longer than a threshold.

use std::time::Duration;

use deadpool::managed::{self, Metrics, RecycleError, RecycleResult};
use sqlx::Connection as _;
use sqlx::mysql::{MySqlConnectOptions, MySqlConnection};

use crate::error::{Error, ErrorKind, Result};
use crate::options::ConnectOptions;
use crate::session_mode::{SessionFacts, open_session};

/// A pooled connection and its session's facts.
pub struct Conn {
    pub(crate) raw: MySqlConnection,
    /// The server's id for this session (`CONNECTION_ID()`), for `KILL QUERY`.
    pub(crate) thread_id: u64,
}

/// A connection checked out of the pool; returned to it when dropped.
pub(crate) type Pooled = managed::Object<Manager>;

/// The pool itself.
pub(crate) type Pool = managed::Pool<Manager>;

/// Opens and checks connections for the pool.
pub struct Manager {
    sqlx: MySqlConnectOptions,
    /// Bounds a side connection's `KILL QUERY`.
    pub(crate) connect_timeout: Duration,
    no_backslash_escapes: bool,
    /// Connections idle at least this long are PINGed before reuse; `None`: never.
    check_after_idle: Option<Duration>,
    idle_timeout: Option<Duration>,
    max_lifetime: Option<Duration>,
    /// Called with what the first connection learned (the server version).
    on_facts: Box<dyn Fn(&SessionFacts) + Send + Sync>,
    /// Connections go through the column-type relay (`crate::relay`).
    relayed: bool,
    /// Run on every new connection ([`ConnectOptions::session_variable`], `init_sql`).
    init: Vec<String>,
}

/// Idle time after which a connection is checked before reuse, when checks are on: a connection
/// the server closed meanwhile (a restart, `wait_timeout`, a KILL) is replaced before a caller
/// sees it fail, while a connection in steady use costs no extra round trip.
pub(crate) const CHECK_AFTER_IDLE: Duration = Duration::from_secs(1);

impl managed::Manager for Manager {
    type Type = Conn;
    type Error = Error;

    async fn create(&self) -> Result<Conn> {
        // Boxed, as is the PING in `recycle`: deadpool's checkout future holds these inline, and
        // every statement builds and moves that future; with them inline it was 13 KB, copied on
        // every checkout (over half the instructions the SDK added to a point select).
        Box::pin(async {
            let mut raw = if self.relayed {
                crate::relay::pump::connect(&self.sqlx, self.connect_timeout).await?
            } else {
                MySqlConnection::connect_with(&self.sqlx).await?
            };
            let facts = open_session(&mut raw, self.no_backslash_escapes).await?;
            for sql in &self.init {
                // Rendered and checked by `ConnectOptions::init_statements` when the pool was built.
                sqlx::Executor::execute(&mut raw, sqlx::AssertSqlSafe(sql.clone())).await?;
            }
            (self.on_facts)(&facts);
            Ok(Conn { raw, thread_id: facts.thread_id })
        })
        .await
    }

    async fn recycle(&self, conn: &mut Conn, metrics: &Metrics) -> RecycleResult<Error> {
        let idle = metrics.last_used();
        if self.max_lifetime.is_some_and(|max| metrics.age() >= max) {
            return Err(RecycleError::message("past its maximum lifetime"));
        }
        if self.idle_timeout.is_some_and(|max| idle >= max) {
            return Err(RecycleError::message("idle past the idle timeout"));
        }
        if self.check_after_idle.is_some_and(|after| idle >= after) {
            Box::pin(conn.raw.ping()).await.map_err(|e| RecycleError::Backend(e.into()))?;
        }
        Ok(())
    }
}

impl Manager {
    /// How this pool connects, for a side connection to the same server.
    pub(crate) fn connect_options(&self) -> &MySqlConnectOptions {
        &self.sqlx
    }
}

/// Tells the server to stop the statement running in session `thread_id`: `KILL QUERY` from a
/// side connection (the session itself is busy), all within `within`. Used when a statement ran
/// past its timeout or its caller gave up on it; MatrixOne keeps running a query its client
/// abandoned (#15310).
pub(crate) async fn kill_query(
    options: &MySqlConnectOptions,
    thread_id: u64,
    within: Duration,
) -> Result<()> {
    let kill = async {
        let mut side = MySqlConnection::connect_with(options).await?;
        // A number the server gave us, not user input.
        sqlx::Executor::execute(&mut side, sqlx::AssertSqlSafe(format!("KILL QUERY {thread_id}"))).await?;
        // The answer is in: a failing QUIT changes nothing.
        let _ = side.close().await;
        Ok::<(), Error>(())
    };
    match tokio::time::timeout(within, kill).await {
        Ok(result) => result,
        Err(_) => Err(Error::new(
            ErrorKind::Connection,
            format!("KILL QUERY {thread_id} did not finish within {within:?}"),
        )),
    }
}

/// Builds the pool for `options`; connects nothing yet. `on_facts` hears what each new
/// connection learned about the server.
pub(crate) fn build(
    options: &ConnectOptions,
    on_facts: impl Fn(&SessionFacts) + Send + Sync + 'static,
) -> Result<Pool> {
    build_pool(options, Box::new(on_facts), false)
}

/// Builds the pool of connections through the column-type relay (`crate::relay`), for the
/// statements whose results carry MatrixOne's own column types; connects nothing yet.
pub(crate) fn build_relayed(
    options: &ConnectOptions,
    on_facts: impl Fn(&SessionFacts) + Send + Sync + 'static,
) -> Result<Pool> {
    build_pool(options, Box::new(on_facts), true)
}

fn build_pool(
    options: &ConnectOptions,
    on_facts: Box<dyn Fn(&SessionFacts) + Send + Sync>,
    relayed: bool,
) -> Result<Pool> {
    let manager = Manager {
        sqlx: options.to_sqlx()?,
        connect_timeout: options.connect_timeout,
        no_backslash_escapes: options.no_backslash_escapes.unwrap_or(false),
        check_after_idle: options.test_before_acquire.then_some(CHECK_AFTER_IDLE),
        idle_timeout: options.idle_timeout,
        max_lifetime: options.max_lifetime,
        on_facts,
        relayed,
        init: options.init_statements()?,
    };
    let max = usize::try_from(options.max_connections.max(1)).unwrap_or(usize::MAX);
    managed::Pool::builder(manager)
        .max_size(max)
        // The most recently used connection first: warm, and the least likely to need a check.
        .queue_mode(deadpool::managed::QueueMode::Lifo)
        .wait_timeout(Some(options.acquire_timeout))
        .create_timeout(Some(options.connect_timeout))
        .recycle_timeout(Some(options.connect_timeout))
        .runtime(deadpool::Runtime::Tokio1)
        .build()
        .map_err(|e| Error::new(ErrorKind::InvalidInput, format!("cannot build the connection pool: {e}")))
}

/// What a failed checkout means for the caller.
pub(crate) fn checkout_error(e: managed::PoolError<Error>, options: &ConnectOptions) -> Error {
    use managed::{PoolError, TimeoutType};
    match e {
        // Only the wait for a free slot can time out this way: every connection is checked out.
        PoolError::Timeout(TimeoutType::Wait) => Error::new(
            ErrorKind::PoolTimedOut,
            format!(
                "no pooled connection became free within {:?}: all {} are in use",
                options.acquire_timeout, options.max_connections
            ),
        ),
        PoolError::Timeout(_) => Error::new(
            ErrorKind::Connection,
            format!("no connection to {options} within {:?}", options.connect_timeout),
        ),
        PoolError::Backend(e) if e.kind() == ErrorKind::Connection || e.code().is_some() => e,
        PoolError::Backend(e) => {
            Error::new(ErrorKind::Connection, format!("cannot connect to {options}: {e}")).with_source(e)
        }
        PoolError::Closed => Error::new(ErrorKind::Connection, "the client was closed"),
        PoolError::NoRuntimeSpecified | PoolError::PostCreateHook(_) => {
            Error::new(ErrorKind::Other, "the connection pool is misconfigured")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_checkout_future_stays_small() {
        // Every statement's checkout builds and moves this future; with the connect future
        // inline it was 13 KB, copied on every statement.
        let options: ConnectOptions = "mysql://root@127.0.0.1:3306/test".parse().unwrap();
        let pool = build(&options, |_| {}).unwrap();
        let size = std::mem::size_of_val(&pool.get());
        assert!(size <= 2048, "deadpool's checkout future is {size} bytes");
    }
}
