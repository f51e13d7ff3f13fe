//! mosim's own backend connections. Catalog reads and writes, and the MatrixOne statements
//! mosim carries out itself, run here rather than in the client's session: a client's
//! transaction (autocommit=0), its `sql_select_limit` or its isolation level must not decide
//! whether a snapshot record commits, which rows an internal SELECT returns, or whose row
//! locks a catalog write waits behind.

use std::fmt;
use std::ops::{Deref, DerefMut};
use std::sync::Mutex;

use crate::error::SqlError;
use crate::url::BackendUrl;
use crate::wire::backend::{Backend, ConnectError, UTF8MB4_GENERAL_CI};
use crate::wire::caps::{CONNECT_ATTRS, SERVER_CAPS};

/// Fixed settings of every pooled connection: UTC, ALTER allowed on versioned tables, and
/// READ COMMITTED so that copies (`INSERT ... SELECT`) read their source without locking it.
const INIT: &str = "SET time_zone = '+00:00', system_versioning_alter_history = KEEP, \
                    tx_isolation = 'READ-COMMITTED', autocommit = 1";

/// Undoes what a statement may have left behind (a handler that failed half-way, a lock
/// timeout adopted from a client); also proves an idle connection is still alive.
const RESET: &str = "SET foreign_key_checks = 1, innodb_lock_wait_timeout = DEFAULT, \
                     lock_wait_timeout = DEFAULT";

/// Idle connections kept for reuse; more are opened when needed and closed when returned.
const MAX_IDLE: usize = 4;

/// A small pool of autocommit connections with fixed session settings.
pub(crate) struct Pool {
    url: BackendUrl,
    idle: Mutex<Vec<Backend>>,
}

impl fmt::Debug for Pool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pool").field("url", &self.url).finish_non_exhaustive()
    }
}

impl Pool {
    /// A pool that connects to `url` on first use.
    pub(crate) fn new(url: BackendUrl) -> Self {
        Self { url, idle: Mutex::new(Vec::new()) }
    }

    fn pop(&self) -> Option<Backend> {
        match self.idle.lock() {
            Ok(mut idle) => idle.pop(),
            Err(poisoned) => poisoned.into_inner().pop(),
        }
    }

    /// A connection: an idle one that still answers, or a new one.
    pub(crate) async fn get(&self) -> Result<Conn<'_>, SqlError> {
        while let Some(mut b) = self.pop() {
            if b.exec(RESET).await.is_ok() {
                return Ok(Conn { pool: self, backend: b });
            }
            // Broken (killed, timed out): drop it and try the next.
        }
        let mut b =
            match Backend::connect(&self.url, None, SERVER_CAPS & !CONNECT_ATTRS, UTF8MB4_GENERAL_CI).await {
                Ok(b) => b,
                Err(ConnectError::Sql(e)) => return Err(e),
                Err(ConnectError::Io(e)) => return Err(SqlError::io(&e)),
            };
        b.exec(INIT).await?;
        Ok(Conn { pool: self, backend: b })
    }
}

/// A connection taken from the [`Pool`]. Hand it back with [`Conn::release`]; a connection
/// that is dropped instead (an error path, a cancelled task that may have left a response
/// unread) is closed, never reused.
pub(crate) struct Conn<'a> {
    pool: &'a Pool,
    backend: Backend,
}

impl Conn<'_> {
    /// Returns the connection to the pool, unless it was left inside a transaction.
    pub(crate) fn release(self) {
        if self.backend.in_transaction() {
            return;
        }
        let mut idle = match self.pool.idle.lock() {
            Ok(idle) => idle,
            Err(poisoned) => poisoned.into_inner(),
        };
        if idle.len() < MAX_IDLE {
            idle.push(self.backend);
        }
    }
}

impl Deref for Conn<'_> {
    type Target = Backend;

    fn deref(&self) -> &Backend {
        &self.backend
    }
}

impl DerefMut for Conn<'_> {
    fn deref_mut(&mut self) -> &mut Backend {
        &mut self.backend
    }
}
