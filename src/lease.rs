//! [`Lease`]: a pooled connection that goes back to the pool only when its protocol and session
//! state are known to be clean.
//!
//! A future dropped halfway through a statement (a `timeout`, a `select!`, a cancelled task)
//! leaves its connection in an unknown state: a `BEGIN` whose answer never arrived may have opened
//! a transaction that would swallow every later "autocommit" write on that connection. sqlx
//! returns such a connection to the pool after a PING, which does not notice. A lease is marked
//! busy for the length of each statement, and a lease dropped while busy (or marked to be
//! discarded) closes its connection instead.

use sqlx::MySql;
use sqlx::mysql::MySqlConnection;
use sqlx::pool::PoolConnection;

/// A pooled connection, closed on drop while a statement is in flight or once its session changed.
pub struct Lease {
    conn: PoolConnection<MySql>,
    busy: bool,
    discard: bool,
}

impl Lease {
    pub(crate) fn new(conn: PoolConnection<MySql>) -> Lease {
        Lease { conn, busy: false, discard: false }
    }

    /// The connection, marked busy until [`Lease::done`]: if the lease is dropped before then,
    /// the connection is closed.
    pub(crate) fn start(&mut self) -> &mut MySqlConnection {
        self.busy = true;
        &mut self.conn
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

    /// Closes the connection when the lease ends instead of returning it to the pool: its session
    /// carries state (a `SET`, a `USE`) that the next caller must not inherit.
    pub(crate) fn discard(&mut self) {
        self.discard = true;
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        if self.busy || self.discard {
            // sqlx closes it (bounded in time) and lets the pool open a replacement.
            self.conn.close_on_drop();
        }
    }
}
