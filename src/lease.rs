//! [`Lease`]: a pooled connection that goes back to the pool only when its protocol and session
//! state are known to be clean.
//!
//! A future dropped halfway through a statement (a `timeout`, a `select!`, a cancelled task)
//! leaves its connection in an unknown state: a `BEGIN` whose answer never arrived may have opened
//! a transaction that would swallow every later "autocommit" write on that connection. A lease is
//! marked busy for the length of each statement, and a lease dropped while busy (or marked to be
//! discarded) takes its connection out of the pool and closes it.

use sqlx::mysql::MySqlConnection;

use crate::pool::{Pooled, kill_query};

/// A pooled connection, closed on drop while a statement is in flight or once its session changed.
pub struct Lease {
    conn: Option<Pooled>,
    busy: bool,
    discard: bool,
    /// The server was already told to stop the busy statement.
    killed: bool,
}

impl Lease {
    pub(crate) fn new(conn: Pooled) -> Lease {
        Lease { conn: Some(conn), busy: false, discard: false, killed: false }
    }

    /// The connection, marked busy until [`Lease::done`]: if the lease is dropped before then,
    /// the connection is closed.
    pub(crate) fn start(&mut self) -> &mut MySqlConnection {
        self.busy = true;
        // A proven invariant: `conn` is `Some` from `new` until `drop` takes it.
        #[allow(clippy::expect_used)]
        &mut self.conn.as_mut().expect("a lease holds its connection until dropped").raw
    }

    /// The statement started by [`Lease::start`] ran to its end (successfully or with an error
    /// the driver read in full).
    pub(crate) fn done(&mut self) {
        self.busy = false;
    }

    /// Whether a statement was interrupted and the connection's state is unknown.
    pub(crate) fn is_interrupted(&self) -> bool {
        self.busy
    }

    /// The server's id for this connection's session.
    pub(crate) fn thread_id(&self) -> u64 {
        self.conn.as_ref().map_or(0, |c| c.thread_id)
    }

    /// The caller told the server to stop the busy statement itself.
    pub(crate) fn killed(&mut self) {
        self.killed = true;
    }

    /// Closes the connection when the lease ends instead of returning it to the pool: its session
    /// carries state (a `SET`, a `USE`) that the next caller must not inherit.
    pub(crate) fn discard(&mut self) {
        self.discard = true;
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        if !(self.busy || self.discard) {
            return;
        }
        let Some(conn) = self.conn.take() else { return };
        if self.busy && !self.killed {
            // Its caller gave up on a statement the server may still be running: tell the server
            // to stop it, on a task of its own, bounded in time.
            if let (Some(pool), Ok(runtime)) = (Pooled::pool(&conn), tokio::runtime::Handle::try_current()) {
                let (thread_id, options) = (conn.thread_id, pool.manager().connect_options().clone());
                let within = pool.manager().connect_timeout;
                runtime.spawn(async move {
                    if let Err(e) = kill_query(&options, thread_id, within).await {
                        tracing::warn!(target: "matrixone::cancel", thread_id, error = %e, "could not stop an abandoned statement");
                    }
                });
            }
        }
        // Out of the pool for good (it opens a replacement when needed); dropping the connection
        // closes its socket, and the server ends the session and rolls back what was open.
        drop(Pooled::take(conn));
    }
}
